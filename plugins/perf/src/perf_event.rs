//! perf_event_open(attr, pid, cpu, group_fd, flags) and `struct perf_event_attr`
//! (linux/perf_event.h).
//!
//! Layout: type u32 @0, size u32 @4, config @8, sample_period/freq @16,
//! sample_type @24, read_format @32, the flag bits @40, wakeup_events/watermark
//! u32 @48, bp_type u32 @52, bp_addr/config1 @56, bp_len/config2 @64,
//! branch_sample_type @72, sample_regs_user @80, sample_stack_user u32 @88,
//! clockid s32 @92, sample_regs_intr @96, aux_watermark u32 @104,
//! sample_max_stack u16 @108, __reserved_2 u16 @110, aux_sample_size u32 @112,
//! aux_action u32 @116, sig_data @120, config3 @128, config4 @136 (u64 unless said).

use rtrace_sdk::kstruct::{Fields, Layout};
use rtrace_sdk::shared_flags::CLOCKS;
use rtrace_sdk::{Call, DecodeStatus, FlagTable, Out, Phase, ReturnStyle};

/// The largest attr this decoder knows (PERF_ATTR_SIZE_VER9).
const ATTR_SIZE: usize = 144;
const SIZE_VER0: usize = 64;
/// Without -v, strace reads and shows the attr up to wakeup_events.
const ABBREV_SIZE: usize = 48;
const E2BIG: i64 = 7;

const PERF_TYPE_HARDWARE: u64 = 0;
const PERF_TYPE_SOFTWARE: u64 = 1;
const PERF_TYPE_TRACEPOINT: u64 = 2;
const PERF_TYPE_HW_CACHE: u64 = 3;
const PERF_TYPE_BREAKPOINT: u64 = 5;

use crate::kernel_consts::BREAKPOINT_TYPES;
use crate::kernel_consts::CACHE_IDS;
use crate::kernel_consts::CACHE_OPS;
use crate::kernel_consts::CACHE_RESULTS;
use crate::kernel_consts::HW_IDS;
use crate::kernel_consts::SIZES;
use crate::kernel_consts::SW_IDS;
use crate::kernel_consts::TYPES;
const SAMPLE_FORMAT: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "PERF_SAMPLE_IP"),
    (1 << 1, "PERF_SAMPLE_TID"),
    (1 << 2, "PERF_SAMPLE_TIME"),
    (1 << 3, "PERF_SAMPLE_ADDR"),
    (1 << 4, "PERF_SAMPLE_READ"),
    (1 << 5, "PERF_SAMPLE_CALLCHAIN"),
    (1 << 6, "PERF_SAMPLE_ID"),
    (1 << 7, "PERF_SAMPLE_CPU"),
    (1 << 8, "PERF_SAMPLE_PERIOD"),
    (1 << 9, "PERF_SAMPLE_STREAM_ID"),
    (1 << 10, "PERF_SAMPLE_RAW"),
    (1 << 11, "PERF_SAMPLE_BRANCH_STACK"),
    (1 << 12, "PERF_SAMPLE_REGS_USER"),
    (1 << 13, "PERF_SAMPLE_STACK_USER"),
    (1 << 14, "PERF_SAMPLE_WEIGHT"),
    (1 << 15, "PERF_SAMPLE_DATA_SRC"),
    (1 << 16, "PERF_SAMPLE_IDENTIFIER"),
    (1 << 17, "PERF_SAMPLE_TRANSACTION"),
    (1 << 18, "PERF_SAMPLE_REGS_INTR"),
    (1 << 19, "PERF_SAMPLE_PHYS_ADDR"),
    (1 << 20, "PERF_SAMPLE_AUX"),
    (1 << 21, "PERF_SAMPLE_CGROUP"),
    (1 << 22, "PERF_SAMPLE_DATA_PAGE_SIZE"),
    (1 << 23, "PERF_SAMPLE_CODE_PAGE_SIZE"),
    (1 << 24, "PERF_SAMPLE_WEIGHT_STRUCT"),
]);
const PERF_SAMPLE_BRANCH_STACK: u64 = 1 << 11;
const PERF_SAMPLE_STACK_USER: u64 = 1 << 13;
const READ_FORMAT: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "PERF_FORMAT_TOTAL_TIME_ENABLED"),
    (1 << 1, "PERF_FORMAT_TOTAL_TIME_RUNNING"),
    (1 << 2, "PERF_FORMAT_ID"),
    (1 << 3, "PERF_FORMAT_GROUP"),
    (1 << 4, "PERF_FORMAT_LOST"),
]);
const BRANCH_SAMPLE_TYPES: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "PERF_SAMPLE_BRANCH_USER"),
    (1 << 1, "PERF_SAMPLE_BRANCH_KERNEL"),
    (1 << 2, "PERF_SAMPLE_BRANCH_HV"),
    (1 << 3, "PERF_SAMPLE_BRANCH_ANY"),
    (1 << 4, "PERF_SAMPLE_BRANCH_ANY_CALL"),
    (1 << 5, "PERF_SAMPLE_BRANCH_ANY_RETURN"),
    (1 << 6, "PERF_SAMPLE_BRANCH_IND_CALL"),
    (1 << 7, "PERF_SAMPLE_BRANCH_ABORT_TX"),
    (1 << 8, "PERF_SAMPLE_BRANCH_IN_TX"),
    (1 << 9, "PERF_SAMPLE_BRANCH_NO_TX"),
    (1 << 10, "PERF_SAMPLE_BRANCH_COND"),
    (1 << 11, "PERF_SAMPLE_BRANCH_CALL_STACK"),
    (1 << 12, "PERF_SAMPLE_BRANCH_IND_JUMP"),
    (1 << 13, "PERF_SAMPLE_BRANCH_CALL"),
    (1 << 14, "PERF_SAMPLE_BRANCH_NO_FLAGS"),
    (1 << 15, "PERF_SAMPLE_BRANCH_NO_CYCLES"),
    (1 << 16, "PERF_SAMPLE_BRANCH_TYPE_SAVE"),
    (1 << 17, "PERF_SAMPLE_BRANCH_HW_INDEX"),
    (1 << 18, "PERF_SAMPLE_BRANCH_PRIV_SAVE"),
    (1 << 19, "PERF_SAMPLE_BRANCH_COUNTERS"),
]);
use crate::kernel_consts::OPEN_FLAGS;

/// The one-bit flags at offset 40, bit by bit, up to `sigtrap`; `precise_ip`
/// (two bits) sits between `watermark` and `mmap_data`.
const FLAG_BITS_BEFORE_PRECISE: [&str; 15] = [
    "disabled",
    "inherit",
    "pinned",
    "exclusive",
    "exclude_user",
    "exclude_kernel",
    "exclude_hv",
    "exclude_idle",
    "mmap",
    "comm",
    "freq",
    "inherit_stat",
    "enable_on_exec",
    "task",
    "watermark",
];
const FLAG_BITS_AFTER_PRECISE: [&str; 21] = [
    "mmap_data",
    "sample_id_all",
    "exclude_host",
    "exclude_guest",
    "exclude_callchain_kernel",
    "exclude_callchain_user",
    "mmap2",
    "comm_exec",
    "use_clockid",
    "context_switch",
    "write_backward",
    "namespaces",
    "ksymbol",
    "bpf_event",
    "aux_output",
    "cgroup",
    "text_poke",
    "build_id",
    "inherit_thread",
    "remove_on_exec",
    "sigtrap",
];
const PRECISE_IP: [&str; 4] = [
    "arbitrary skid",
    "constant skid",
    "requested to have 0 skid",
    "must have 0 skid",
];

/// How much of the attr strace reads: its size field (0 means VER0), at most what
/// this decoder knows, only up to wakeup_events without -v; `None` when too small.
fn fetched_size(declared: u64, verbose: bool) -> Option<usize> {
    let size = match declared as usize {
        0 => SIZE_VER0,
        n => n.min(ATTR_SIZE),
    };
    if size < SIZE_VER0 {
        return None;
    }
    Some(if verbose { size } else { ABBREV_SIZE })
}

/// `name=N` when `-v` or set.
fn flag_field(out: &mut Out<'_>, verbose: bool, name: &'static str, bit: u64) {
    if verbose || bit != 0 {
        out.field(name);
        out.uint(bit);
    }
}

fn config(out: &mut Out<'_>, kind: u64, config: u64) {
    out.field("config");
    match kind {
        PERF_TYPE_HARDWARE => {
            out.begin_flags();
            if config >> 32 != 0 {
                out.text_fmt(format_args!("{:#x}<<32", config >> 32));
            }
            out.constant(config & 0xffff_ffff, HW_IDS, "PERF_COUNT_HW_???");
            out.end();
        }
        PERF_TYPE_SOFTWARE => out.constant(config, SW_IDS, "PERF_COUNT_SW_???"),
        PERF_TYPE_TRACEPOINT => out.uint(config),
        PERF_TYPE_HW_CACHE => {
            out.begin_flags();
            if config >> 32 != 0 {
                out.text_fmt(format_args!("{:#x}<<32", config >> 32));
            }
            if (config & 0xffff_ffff) >> 24 != 0 {
                out.text_fmt(format_args!("{:#x}<<24", (config & 0xffff_ffff) >> 24));
            }
            let result = (config >> 16) & 0xff;
            match CACHE_RESULTS.iter().find(|(v, _)| *v == result) {
                Some((_, name)) => out.text_fmt(format_args!("{name}<<16")),
                None => out.text_fmt(format_args!(
                    "{result:#x} /* PERF_COUNT_HW_CACHE_RESULT_??? */<<16"
                )),
            }
            let op = (config >> 8) & 0xff;
            match CACHE_OPS.iter().find(|(v, _)| *v == op) {
                Some((_, name)) => out.text_fmt(format_args!("{name}<<8")),
                None => out.text_fmt(format_args!("{op:#x} /* PERF_COUNT_HW_CACHE_OP_??? */<<8")),
            }
            out.constant(config & 0xff, CACHE_IDS, "PERF_COUNT_HW_CACHE_???");
            out.end();
        }
        _ => out.hex(config),
    }
}

/// The attr as read at entry (`size` bytes of `bytes`), with the size the kernel
/// wrote back on E2BIG (`new_size`: `Some(None)` when unreadable).
fn emit_attr(
    out: &mut Out<'_>,
    f: &Fields<'_>,
    (size, declared): (usize, u64),
    verbose: bool,
    new_size: Option<Option<u64>>,
) {
    let kind = f.u32(0);
    out.structure(|out| {
        out.field("type");
        out.constant(kind, TYPES, "PERF_TYPE_???");
        out.field("size");
        out.constant(declared, SIZES, "PERF_ATTR_SIZE_???");
        if let Some(new_size) = new_size {
            out.arrow();
            match new_size {
                Some(n) => out.constant(n, SIZES, "PERF_ATTR_SIZE_???"),
                None => out.text("???"),
            }
        }
        config(out, kind, f.u64(8));
        let flags = f.u64(40);
        let bit = |n: u32| (flags >> n) & 1;
        if bit(10) != 0 {
            out.field("sample_freq");
        } else {
            out.field("sample_period");
        }
        out.uint(f.u64(16));
        let sample_type = f.u64(24);
        out.field("sample_type");
        out.flags_or_unknown(sample_type, SAMPLE_FORMAT, "PERF_SAMPLE_???");
        out.field("read_format");
        out.flags_or_unknown(f.u64(32), READ_FORMAT, "PERF_FORMAT_???");
        for (index, name) in FLAG_BITS_BEFORE_PRECISE.into_iter().enumerate() {
            flag_field(out, verbose, name, bit(index as u32));
        }
        let precise = (flags >> 15) & 3;
        out.field("precise_ip");
        out.text_fmt(format_args!(
            "{precise} /* {} */",
            PRECISE_IP[precise as usize]
        ));
        for (index, name) in FLAG_BITS_AFTER_PRECISE.into_iter().enumerate() {
            flag_field(out, verbose, name, bit(17 + index as u32));
        }
        if flags >> 38 != 0 {
            out.field("__reserved_1");
            out.text_fmt(format_args!("{:#x} /* Bits 63..38 */", flags >> 38));
        }
        if verbose {
            emit_verbose_tail(out, f, size, kind, flags, sample_type);
        }
        if (declared != 0 && declared as usize > size) || (declared == 0 && size < SIZE_VER0) {
            out.ellipsis();
        }
    });
}

/// The fields after the flags, shown with -v as far as the attr's size covers them.
fn emit_verbose_tail(
    out: &mut Out<'_>,
    f: &Fields<'_>,
    size: usize,
    kind: u64,
    flags: u64,
    sample_type: u64,
) {
    let watermark = (flags >> 14) & 1 != 0;
    out.field(if watermark {
        "wakeup_watermark"
    } else {
        "wakeup_events"
    });
    out.uint(f.u32(48));
    let breakpoint = kind == PERF_TYPE_BREAKPOINT;
    if breakpoint {
        let bp_type = f.u32(52);
        out.field("bp_type");
        let unknown = if bp_type <= 7 {
            "HW_BREAKPOINT_INVALID"
        } else {
            "HW_BREAKPOINT_???"
        };
        out.constant(bp_type, BREAKPOINT_TYPES, unknown);
        out.field("bp_addr");
    } else {
        out.field("config1");
    }
    out.hex(f.u64(56));
    if size <= 64 {
        return;
    }
    if breakpoint {
        out.field("bp_len");
        out.uint(f.u64(64));
    } else {
        out.field("config2");
        out.hex(f.u64(64));
    }
    if size <= 72 {
        return;
    }
    if sample_type & PERF_SAMPLE_BRANCH_STACK != 0 {
        out.field("branch_sample_type");
        out.flags_or_unknown(f.u64(72), BRANCH_SAMPLE_TYPES, "PERF_SAMPLE_BRANCH_???");
    }
    if size <= 80 {
        return;
    }
    out.field("sample_regs_user");
    out.hex(f.u64(80));
    if size <= 88 {
        return;
    }
    if sample_type & PERF_SAMPLE_STACK_USER != 0 {
        out.field("sample_stack_user");
        out.hex(f.u32(88));
    }
    if (flags >> 25) & 1 != 0 {
        if size <= 92 {
            return;
        }
        out.field("clockid");
        out.constant_of(f.u32(92), CLOCKS);
    }
    if size <= 96 {
        return;
    }
    out.field("sample_regs_intr");
    out.hex(f.u64(96));
    if size <= 104 {
        return;
    }
    out.field("aux_watermark");
    out.uint(f.u32(104));
    if size <= 108 {
        return;
    }
    out.field("sample_max_stack");
    out.uint(f.u16(108));
    if size <= 110 {
        return;
    }
    if f.u16(110) != 0 {
        out.text_fmt(format_args!("/* bytes 110..111: {:#x} */", f.u16(110)));
    }
    if size <= 112 {
        return;
    }
    out.field("aux_sample_size");
    out.uint(f.u32(112));
    if size <= 116 {
        return;
    }
    let action = f.u32(116);
    for (index, name) in ["aux_start_paused", "aux_pause", "aux_resume"]
        .into_iter()
        .enumerate()
    {
        out.field(name);
        out.uint((action >> index) & 1);
    }
    if action >> 3 != 0 {
        out.field("__reserved_3");
        out.text_fmt(format_args!("{:#x} /* Bits 931..959 */", action >> 3));
    }
    for (offset, name) in [(120, "sig_data"), (128, "config3"), (136, "config4")] {
        if size <= offset {
            return;
        }
        out.field(name);
        out.hex(f.u64(offset));
    }
}

/// perf_event_open: the attr is read at entry (its size kept in scratch[0]) and
/// shown at exit with the size the kernel may write back on E2BIG.
pub fn perf_event_open(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    out.return_style(ReturnStyle::Fd);
    let addr = call.arg_ulong(0);
    let verbose = call.options().verbose;
    let layout = Layout::of(call);
    let read_size = |call: &Call<'_, '_>| -> Option<u64> {
        let mut bytes = [0u8; 4];
        call.tracee()
            .read_exact(addr.wrapping_add(4), &mut bytes)
            .then(|| Fields::new(&bytes, layout).u32(0))
    };
    let rest = |call: &Call<'_, '_>, out: &mut Out<'_>| {
        out.int(call.arg_int(1));
        out.int(call.arg_int(2));
        out.fd(call.arg_int(3) as i32);
        out.flags_or_unknown(call.arg_ulong(4), OPEN_FLAGS, "PERF_FLAG_???");
    };
    let mut bytes = [0u8; ATTR_SIZE];
    match phase {
        Phase::Entry => {
            let declared = read_size(call);
            let size = declared.and_then(|declared| fetched_size(declared, verbose));
            match size {
                Some(size) if addr != 0 && call.tracee().read_exact(addr, &mut bytes[..size]) => {
                    let scratch = call.scratch();
                    scratch[0] = size as u64;
                    scratch[1] = 1;
                    scratch[2] = declared.unwrap_or(0);
                    DecodeStatus::MoreAtExit
                }
                _ => {
                    out.pointer(addr);
                    rest(call, out);
                    DecodeStatus::Complete
                }
            }
        }
        Phase::Exit if call.scratch()[1] != 1 => DecodeStatus::Complete,
        Phase::Exit => {
            let size = call.scratch()[0] as usize;
            let new_size = (call.is_error() && call.retval() == -E2BIG).then(|| read_size(call));
            if call.tracee().read_exact(addr, &mut bytes[..size]) {
                // On E2BIG the kernel rewrote the size field: show the one passed.
                let f = Fields::new(&bytes[..size], layout);
                let declared = call.scratch()[2];
                emit_attr(out, &f, (size, declared), verbose, new_size);
            } else {
                out.pointer(addr);
            }
            rest(call, out);
            DecodeStatus::Complete
        }
    }
}
