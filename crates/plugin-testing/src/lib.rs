//! Test support for decoders: run one syscall through a plugin's decoder table, or
//! through a plugin loaded as rtrace loads it (entry, then exit) against a
//! [`FakeTracee`], and get the line strace would print. The one harness every decoder
//! test uses (the plugins' own tests, rtrace-decode's tests of loaded plugins).
//!
//! Owns: the entry/exit driving and the rendering glue every decoder test needs, and
//! the test double of a tracee ([`FakeTracee`]) that every decoding test, benchmark and
//! fuzz target reads through.
//! Must not know: any particular syscall or plugin; it is a dev-dependency only.

mod fake_tracee;

pub use fake_tracee::FakeTracee;
pub use rtrace_decode::DecodeOptions;

use rtrace_arch::{is_error_return, RegisterAbi};
use rtrace_decode::{CallContext, DecodeStatus, DecoderRegistry, Emitter, HostBinding, Phase};

use rtrace_render::errno::write_return;
use rtrace_render::{ArgCursor, NoFdPaths, ValueRenderer};
use rtrace_sdk::{ReturnStyle, Syscall};

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
    ctx.stack_pointer = stack_pointer;
    render_call(arch, name, &mut ctx, ret, |phase, ctx, em| {
        rtrace_sdk::dispatch(table, index as u32, phase, ctx, em)
    })
    .unwrap_or_else(|panicked| panic!("{panicked}"))
}

/// Decodes `name` with the plugin `registry` loaded for it (a cdylib, through the
/// plugin interface, as rtrace decodes), `args` being the call's registers as `arch`
/// records them, and renders the line as [`line`] does. `Err` holds the decoder's panic
/// message, or says that no plugin decodes `name`.
pub fn loaded_line(
    registry: &DecoderRegistry,
    arch: Arch,
    mem: &FakeTracee,
    name: &str,
    number: u64,
    args: [u64; 6],
    ret: i64,
) -> Result<String, String> {
    let decoder = registry
        .decoder_for(name)
        .ok_or_else(|| format!("no plugin decodes {name}"))?;
    let binding = HostBinding::new(mem, 1, arch.word_size(), arch.big_endian());
    let mut ctx = binding.call_context(name, number, args, DecodeOptions::default());
    render_call(arch, name, &mut ctx, ret, |phase, ctx, em| {
        registry.decode(decoder, phase, ctx, em)
    })
}

/// Drives `decode` through entry and exit of the call `ctx` describes on `arch`, and
/// renders `name(args) = ret (note)` as rtrace prints it. `Err` holds the message of a
/// decoder that panicked.
fn render_call(
    arch: Arch,
    name: &str,
    ctx: &mut CallContext<'_>,
    ret: i64,
    mut decode: impl FnMut(Phase, &mut CallContext<'_>, &mut Emitter) -> DecodeStatus,
) -> Result<String, String> {
    ctx.audit_arch = arch.audit_arch();
    ctx.abi = arch.layout();
    let renderer = ValueRenderer::default();
    let mut cursor = ArgCursor::default();
    let mut out = format!("{name}(").into_bytes();
    let mut em = Emitter::default();
    let panicked = |em: &Emitter| String::from_utf8_lossy(&em.bytes).into_owned();

    let status = decode(Phase::Entry, ctx, &mut em);
    if status == DecodeStatus::Panicked {
        return Err(panicked(&em));
    }
    renderer.render_args(&mut out, &em, &mut cursor, &NoFdPaths);
    if status == DecodeStatus::MoreAtExit && cursor.args_written > 0 {
        out.extend_from_slice(b", ");
        cursor.separator_pending = true;
    }

    em.clear();
    ctx.retval = ret;
    ctx.is_error = is_error_return(ret);
    if decode(Phase::Exit, ctx, &mut em) == DecodeStatus::Panicked {
        return Err(panicked(&em));
    }
    let note = renderer.render_args(&mut out, &em, &mut cursor, &NoFdPaths);
    out.extend_from_slice(b") = ");
    // As the CLI shows it: an address (or other hex result) of a 32-bit tracee is a
    // 32-bit number.
    let shown = match em.return_style {
        ReturnStyle::Hex | ReturnStyle::Octal if !ctx.is_error && arch.word_size() == 4 => {
            ret as u32 as i64
        }
        _ => ret,
    };
    write_return(&mut out, shown, ctx.is_error, em.return_style);
    if let Some(at) = note {
        out.extend_from_slice(b" (");
        renderer.render_note(&mut out, &em, at, &NoFdPaths);
        out.push(b')');
    }
    String::from_utf8(out).map_err(|e| format!("the rendered line is not UTF-8: {e}"))
}
