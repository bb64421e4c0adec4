//! Test support for decoder plugins: run one syscall through a plugin's decoder table
//! (entry, then exit) against a [`FakeTracee`], and get the line strace would print.
//!
//! Owns: the entry/exit driving and the rendering glue every plugin's tests need, and
//! the test double of a tracee ([`FakeTracee`]) that every decoding test, benchmark and
//! fuzz target reads through.
//! Must not know: any particular syscall or plugin; it is a dev-dependency only.

mod fake_tracee;

pub use fake_tracee::FakeTracee;
pub use rtrace_decode::DecodeOptions;

use rtrace_arch::RegisterAbi;
use rtrace_decode::{DecodeStatus, Emitter, HostBinding, Phase};
use rtrace_render::errno::write_return;
use rtrace_render::{ArgCursor, NoFdPaths, ValueRenderer};
use rtrace_sdk::Syscall;

/// The tracee's personality: its word size, byte order, audit arch and layout facts,
/// as the ABI layer states them (the same values the `rtrace` host hands in).
pub type Arch = &'static dyn RegisterAbi;

pub const X86_64: Arch = &rtrace_arch_x86_64::X86_64;
pub const I386: Arch = &rtrace_arch_i386::I386;
pub const X32: Arch = &rtrace_arch_x32::X32;
pub const ARM: Arch = &rtrace_arch_arm::Arm;
pub const AARCH64: Arch = &rtrace_arch_aarch64::Aarch64;

/// Little-endian words of `word` bytes each: the bytes of a struct of words, to put in
/// a [`FakeTracee`].
pub fn words(word: u8, values: &[u64]) -> Vec<u8> {
    values
        .iter()
        .flat_map(|v| v.to_le_bytes()[..word as usize].to_vec())
        .collect()
}

/// Decodes `name` from `table` with `args` at entry and `ret` at exit, on `arch`, and
/// renders `name(args) = ret (note)` as strace prints it (without the column padding).
/// Panics, with the decoder's message, if the decoder panicked.
pub fn line(
    table: &'static [Syscall],
    arch: Arch,
    mem: &FakeTracee,
    name: &str,
    args: [u64; 6],
    ret: i64,
    options: DecodeOptions,
) -> String {
    line_at_stack(table, arch, mem, name, args, ret, options, 0)
}

/// As [`line`], with the tracee's stack pointer at the call (where sigreturn finds its
/// frame).
// The parameters are those of `line` and the one fact it lacks.
#[allow(clippy::too_many_arguments)]
pub fn line_at_stack(
    table: &'static [Syscall],
    arch: Arch,
    mem: &FakeTracee,
    name: &str,
    args: [u64; 6],
    ret: i64,
    options: DecodeOptions,
    stack_pointer: u64,
) -> String {
    let index = table
        .iter()
        .position(|s| s.name == name)
        .unwrap_or_else(|| panic!("the table has no {name}"));
    let binding = HostBinding::new(mem, 1, arch.word_size(), arch.big_endian());
    let mut ctx = binding.call_context(name, 0, args, options);
    ctx.audit_arch = arch.audit_arch();
    ctx.abi = arch.layout();
    ctx.stack_pointer = stack_pointer;
    let renderer = ValueRenderer::default();
    let mut cursor = ArgCursor::default();
    let mut out = format!("{name}(").into_bytes();
    let mut em = Emitter::default();

    let status = rtrace_sdk::dispatch(table, index as u32, Phase::Entry, &mut ctx, &mut em);
    assert_ne!(
        status,
        DecodeStatus::Panicked,
        "{}",
        String::from_utf8_lossy(&em.bytes)
    );
    renderer.render_args(&mut out, &em, &mut cursor, &NoFdPaths);
    if status == DecodeStatus::MoreAtExit && cursor.args_written > 0 {
        out.extend_from_slice(b", ");
        cursor.separator_pending = true;
    }

    em.clear();
    ctx.retval = ret;
    ctx.is_error = (-4095..0).contains(&ret);
    let status = rtrace_sdk::dispatch(table, index as u32, Phase::Exit, &mut ctx, &mut em);
    assert_ne!(
        status,
        DecodeStatus::Panicked,
        "{}",
        String::from_utf8_lossy(&em.bytes)
    );
    let note = renderer.render_args(&mut out, &em, &mut cursor, &NoFdPaths);
    out.extend_from_slice(b") = ");
    write_return(&mut out, ret, ctx.is_error, em.return_style);
    if let Some(at) = note {
        out.extend_from_slice(b" (");
        renderer.render_note(&mut out, &em, at, &NoFdPaths);
        out.push(b')');
    }
    String::from_utf8(out).expect("rendered text is UTF-8 for these tests")
}
