//! One fuzz case, end to end: decode entry then exit through the plugin's dispatch,
//! render the tokens as text and as JSON, and check what must hold whatever the input.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use rtrace_decode::HostBinding;
use rtrace_render::{
    write_event, Event, JsonCall, LayoutOptions, LineLayout, LineSink, NoFdPaths, OpenCall, Return,
    ValueRenderer,
};
use rtrace_sdk::{dispatch, Arg, DecodeStatus, Decoding, Emitter, Phase, Syscall, Token};

use crate::counting_tracee::{CountingTracee, ReadTally};
use crate::families::Family;
use crate::guard;
use crate::input::{Case, PAGE};

/// No decode phase may ask for more tracee memory than this in all, unless `-s` is
/// so large that an array of `-s` elements of `-s` bytes each (how strace shows iovec
/// arrays and argv) is larger: a bound set by the options, not by the tracee.
pub const MAX_BYTES_PER_CALL: u64 = 1 << 20;

/// The longest string a `-s 0` ("no limit") read may ask for, as the SDK caps it.
const NO_LIMIT_STRING: u64 = 65536;

/// What the cases of a run reached: evidence that the checks had something to check.
#[derive(Debug, Default, Clone, Copy)]
pub struct Coverage {
    /// Cases the decoder declined (at entry or exit); the host shows those raw.
    pub declined: u64,
    /// Cases in which the decoder read tracee memory.
    pub read_memory: u64,
    /// Cases whose output holds bytes read from tracee memory.
    pub showed_memory: u64,
    /// Unmapped pointer arguments whose address was looked for in the output.
    pub unmapped_checked: u64,
}

thread_local! {
    static COVERAGE: Cell<Coverage> = const { Cell::new(Coverage { declined: 0, read_memory: 0, showed_memory: 0, unmapped_checked: 0 }) };
}

/// The coverage since the last call, which starts a new count.
pub fn take_coverage() -> Coverage {
    COVERAGE.take()
}

fn count(update: impl FnOnce(&mut Coverage)) {
    let mut coverage = COVERAGE.get();
    update(&mut coverage);
    COVERAGE.set(coverage);
}

/// Runs one case of decoder `index` of `family`; `Err` says what went wrong.
pub fn run_case(family: &Family, index: usize, case: &Case) -> Result<(), String> {
    let syscall = &family.decoders[index];
    guard::in_case(family.name, syscall.name, case, || {
        match catch_unwind(AssertUnwindSafe(|| decode_and_render(family, index, case))) {
            Ok(result) => result,
            Err(_) => Err(format!("panic outside the decoder{}", panic_site())),
        }
    })
}

fn panic_site() -> String {
    match guard::last_panic_location() {
        Some(location) => format!(" at {location}"),
        None => String::new(),
    }
}

fn decode_and_render(family: &Family, index: usize, case: &Case) -> Result<(), String> {
    let syscall = &family.decoders[index];
    let tracee = CountingTracee::of(case);
    let binding = HostBinding::new(&tracee, 4242, case.abi.word_size, case.abi.big_endian);
    let mut ctx = binding.call_context(syscall.name, 0, case.args, case.options);
    ctx.audit_arch = case.abi.audit_arch;
    ctx.stack_pointer = case.stack_pointer;

    let mut entry = Emitter::default();
    let status = dispatch(
        family.decoders,
        index as u32,
        Phase::Entry,
        &mut ctx,
        &mut entry,
    );
    let entry_reads = tracee.take_tally();
    check_phase("entry", status, &entry, entry_reads, case)?;
    if status == DecodeStatus::Declined {
        count(|c| c.declined += 1);
        return Ok(()); // the host shows the call raw; nothing of the decoder's to check
    }

    ctx.retval = case.retval;
    ctx.is_error = case.is_error;
    let mut exit = Emitter::default();
    let exit_status = dispatch(
        family.decoders,
        index as u32,
        Phase::Exit,
        &mut ctx,
        &mut exit,
    );
    let exit_reads = tracee.take_tally();
    check_phase("exit", exit_status, &exit, exit_reads, case)?;
    if exit_status == DecodeStatus::Declined {
        count(|c| c.declined += 1);
        return Ok(());
    }
    let shows_bytes = |e: &Emitter| e.tokens.iter().any(|t| matches!(t, Token::Bytes { .. }));
    count(|c| {
        c.read_memory += u64::from(entry_reads.calls + exit_reads.calls > 0);
        c.showed_memory += u64::from(shows_bytes(&entry) || shows_bytes(&exit));
    });

    let text = render_text(syscall.name, status, &entry, &exit, case);
    render_json(syscall.name, &entry, &exit, case)?;
    check_unmapped_pointers(family, syscall, case, &text)
}

/// A phase must not panic and must stay within the read bounds.
fn check_phase(
    phase: &str,
    status: DecodeStatus,
    emitter: &Emitter,
    tally: ReadTally,
    case: &Case,
) -> Result<(), String> {
    if status == DecodeStatus::Panicked {
        return Err(format!(
            "panicked at {phase}: {}",
            String::from_utf8_lossy(&emitter.bytes)
        ) + &panic_site());
    }
    let limit = match case.options.string_limit {
        0 => NO_LIMIT_STRING,
        n => u64::from(n),
    };
    let total_bound = MAX_BYTES_PER_CALL.max(limit * (limit + PAGE));
    if tally.requested > total_bound {
        return Err(format!(
            "unbounded read at {phase}: {} bytes asked in {} reads with -s {} (bound {total_bound})",
            tally.requested, tally.calls, case.options.string_limit
        ));
    }
    if tally.largest > limit + PAGE {
        return Err(format!(
            "oversized read at {phase}: {} bytes at once with -s {} (bound {})",
            tally.largest,
            case.options.string_limit,
            limit + PAGE
        ));
    }
    Ok(())
}

struct Collect(Vec<u8>);

impl LineSink for Collect {
    fn write(&mut self, _pid: i32, text: &[u8]) {
        self.0.extend_from_slice(text);
    }
}

fn return_of(exit: &Emitter, case: &Case) -> Return {
    Return {
        value: case.retval,
        is_error: case.is_error,
        style: exit.return_style,
        duration: Some(Duration::from_micros(7)),
        tampered: Default::default(),
    }
}

/// The line as rtrace prints it.
fn render_text(
    name: &str,
    status: DecodeStatus,
    entry: &Emitter,
    exit: &Emitter,
    case: &Case,
) -> String {
    let values = ValueRenderer {
        hex: case.hex,
        colors: false,
        consts: case.consts,
    };
    let mut layout = LineLayout::new(LayoutOptions::default(), values);
    let mut sink = Collect(Vec::new());
    let mut open = OpenCall::default();
    layout.syscall_entry(&mut sink, 1, name, entry, status, &mut open, &NoFdPaths);
    layout.syscall_exit(
        &mut sink,
        1,
        name,
        exit,
        &mut open,
        return_of(exit, case),
        &NoFdPaths,
    );
    String::from_utf8_lossy(&sink.0).into_owned()
}

/// The `--json` line, which must parse.
fn render_json(name: &str, entry: &Emitter, exit: &Emitter, case: &Case) -> Result<(), String> {
    let call = JsonCall {
        pid: 1,
        timestamp: Duration::from_secs(1),
        name,
        number: 0,
        arch: if case.abi.word_size == 4 {
            "arm"
        } else {
            "x86_64"
        },
        args: &case.args,
        entry,
        exit: Some(exit),
        ret: Some(return_of(exit, case)),
        fds: &NoFdPaths,
        stack: None,
        dump: None,
    };
    let mut out = Vec::new();
    write_event(&mut out, &Event::Syscall(&call));
    serde_json::from_slice::<serde_json::Value>(&out)
        .map(|_| ())
        .map_err(|e| format!("invalid JSON ({e}): {}", String::from_utf8_lossy(&out)))
}

/// An unreadable pointer is shown as its address: for the argument kinds whose
/// meaning is "memory at this address", and for the families' listed struct pointers.
fn check_unmapped_pointers(
    family: &Family,
    syscall: &Syscall,
    case: &Case,
    text: &str,
) -> Result<(), String> {
    let mask = case.word_mask();
    let unmapped = |i: usize| {
        let addr = case.args[i] & mask;
        (addr != 0 && !case.is_mapped(addr)).then_some(addr)
    };
    let listed = family
        .struct_pointers
        .iter()
        .filter(|p| p.syscall == syscall.name)
        .filter(|p| {
            let count_mask = if p.count_is_32_bit {
                mask & 0xffff_ffff
            } else {
                mask
            };
            let returned = !p.count_is_return || (!case.is_error && case.retval > 0);
            returned && p.count_arg.is_none_or(|c| case.args[c] & count_mask != 0)
        })
        .map(|p| p.arg);
    let by_kind = match syscall.decoding {
        Decoding::Args { args, .. } => args
            .iter()
            .enumerate()
            .filter(|(_, kind)| shows_address_when_unreadable(kind, case))
            .map(|(i, _)| i)
            .collect(),
        Decoding::Custom(_) => Vec::new(),
    };
    for i in listed.chain(by_kind) {
        if let Some(addr) = unmapped(i) {
            count(|c| c.unmapped_checked += 1);
            let hex = format!("{addr:#x}");
            if !text.contains(&hex) {
                return Err(format!(
                    "argument {i} points to unmapped {hex}, which the output does not show: {text}"
                ));
            }
        }
    }
    Ok(())
}

fn shows_address_when_unreadable(kind: &Arg, case: &Case) -> bool {
    let mask = case.word_mask();
    match *kind {
        Arg::Ptr | Arg::Path | Arg::CStr => true,
        Arg::InBuf { len_arg } => case.args[usize::from(len_arg)] & mask != 0,
        Arg::OutBuf { .. } => case.is_error || case.retval > 0,
        _ => false,
    }
}
