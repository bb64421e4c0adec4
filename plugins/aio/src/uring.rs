//! io_uring (linux/io_uring.h).
//!
//! io_uring_params (120 bytes): sq_entries @0, cq_entries @4, flags @8,
//! sq_thread_cpu @12, sq_thread_idle @16, features @20, wq_fd @24, resv[3] @28
//! (u32 each); sq_off @40 and cq_off @80, each seven u32, resv1 u32 and user_addr
//! u64. io_uring_getevents_arg: sigmask u64, sigmask_sz u32, min_wait_usec u32, ts u64.

use rtrace_sdk::array::array_at;
use rtrace_sdk::iovec::{iovec_array, IovContents};
use rtrace_sdk::kstruct::{time_at, with_struct, Fields, TimeAbi, TimeUnit};
use rtrace_sdk::{sigset_at, Call, DecodeStatus, FlagTable, Out, Phase, ReturnStyle};

const SETUP_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "IORING_SETUP_IOPOLL"),
    (1 << 1, "IORING_SETUP_SQPOLL"),
    (1 << 2, "IORING_SETUP_SQ_AFF"),
    (1 << 3, "IORING_SETUP_CQSIZE"),
    (1 << 4, "IORING_SETUP_CLAMP"),
    (1 << 5, "IORING_SETUP_ATTACH_WQ"),
    (1 << 6, "IORING_SETUP_R_DISABLED"),
    (1 << 7, "IORING_SETUP_SUBMIT_ALL"),
    (1 << 8, "IORING_SETUP_COOP_TASKRUN"),
    (1 << 9, "IORING_SETUP_TASKRUN_FLAG"),
    (1 << 10, "IORING_SETUP_SQE128"),
    (1 << 11, "IORING_SETUP_CQE32"),
    (1 << 12, "IORING_SETUP_SINGLE_ISSUER"),
    (1 << 13, "IORING_SETUP_DEFER_TASKRUN"),
    (1 << 14, "IORING_SETUP_NO_MMAP"),
    (1 << 15, "IORING_SETUP_REGISTERED_FD_ONLY"),
    (1 << 16, "IORING_SETUP_NO_SQARRAY"),
    (1 << 17, "IORING_SETUP_HYBRID_IOPOLL"),
    (1 << 18, "IORING_SETUP_CQE_MIXED"),
    (1 << 19, "IORING_SETUP_SQE_MIXED"),
    (1 << 20, "IORING_SETUP_SQ_REWIND"),
]);
const IORING_SETUP_ATTACH_WQ: u64 = 1 << 5;
const FEATURES: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "IORING_FEAT_SINGLE_MMAP"),
    (1 << 1, "IORING_FEAT_NODROP"),
    (1 << 2, "IORING_FEAT_SUBMIT_STABLE"),
    (1 << 3, "IORING_FEAT_RW_CUR_POS"),
    (1 << 4, "IORING_FEAT_CUR_PERSONALITY"),
    (1 << 5, "IORING_FEAT_FAST_POLL"),
    (1 << 6, "IORING_FEAT_POLL_32BITS"),
    (1 << 7, "IORING_FEAT_SQPOLL_NONFIXED"),
    (1 << 8, "IORING_FEAT_EXT_ARG"),
    (1 << 9, "IORING_FEAT_NATIVE_WORKERS"),
    (1 << 10, "IORING_FEAT_RSRC_TAGS"),
    (1 << 11, "IORING_FEAT_CQE_SKIP"),
    (1 << 12, "IORING_FEAT_LINKED_FILE"),
    (1 << 13, "IORING_FEAT_REG_REG_RING"),
    (1 << 14, "IORING_FEAT_RECVSEND_BUNDLE"),
    (1 << 15, "IORING_FEAT_MIN_TIMEOUT"),
    (1 << 16, "IORING_FEAT_RW_ATTR"),
    (1 << 17, "IORING_FEAT_NO_IOWAIT"),
]);
const ENTER_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "IORING_ENTER_GETEVENTS"),
    (1 << 1, "IORING_ENTER_SQ_WAKEUP"),
    (1 << 2, "IORING_ENTER_SQ_WAIT"),
    (1 << 3, "IORING_ENTER_EXT_ARG"),
    (1 << 4, "IORING_ENTER_REGISTERED_RING"),
    (1 << 5, "IORING_ENTER_ABS_TIMER"),
    (1 << 6, "IORING_ENTER_EXT_ARG_REG"),
    (1 << 7, "IORING_ENTER_NO_IOWAIT"),
]);
const IORING_ENTER_EXT_ARG: u64 = 1 << 3;
const IORING_ENTER_EXT_ARG_REG: u64 = 1 << 6;
use crate::kernel_consts::REGISTER_OPCODES;
const IORING_REGISTER_USE_REGISTERED_RING: u64 = 1 << 31;

fn ring_offsets(out: &mut Out<'_>, f: &Fields<'_>, at: usize, names: [&'static str; 7]) {
    out.structure(|out| {
        for (index, name) in names.into_iter().enumerate() {
            out.field(name);
            out.uint(f.u32(at + 4 * index));
        }
        if f.u32(at + 28) != 0 {
            out.field("resv1");
            out.hex(f.u32(at + 28));
        }
        out.field("user_addr");
        out.hex(f.u64(at + 32));
    });
}

/// io_uring_setup(entries, params): what the caller asked for and, when it
/// worked, what the kernel filled in. Both are shown at exit (the struct is one
/// value, and the kernel leaves the fields it reads alone).
pub fn io_uring_setup(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    out.return_style(ReturnStyle::Fd);
    if phase == Phase::Entry {
        out.uint(call.arg(0) & 0xffff_ffff);
        return DecodeStatus::MoreAtExit;
    }
    let filled = !call.is_error();
    with_struct(call, out, call.arg_ulong(1), 120, |out, f| {
        out.structure(|out| {
            let flags = f.u32(8);
            out.field("flags");
            out.flags_or_unknown(flags, SETUP_FLAGS, "IORING_SETUP_???");
            out.field("sq_thread_cpu");
            out.hex(f.u32(12));
            out.field("sq_thread_idle");
            out.uint(f.u32(16));
            if flags & IORING_SETUP_ATTACH_WQ != 0 {
                out.field("wq_fd");
                out.fd(f.u32(24) as i32);
            }
            if (0..3).any(|i| f.u32(28 + 4 * i) != 0) {
                out.field("resv");
                out.array(|out| (0..3).for_each(|i| out.hex(f.u32(28 + 4 * i))));
            }
            if !filled {
                return;
            }
            out.field("sq_entries");
            out.uint(f.u32(0));
            out.field("cq_entries");
            out.uint(f.u32(4));
            out.field("features");
            out.flags_or_unknown(f.u32(20), FEATURES, "IORING_FEAT_???");
            out.field("sq_off");
            ring_offsets(
                out,
                &f,
                40,
                [
                    "head",
                    "tail",
                    "ring_mask",
                    "ring_entries",
                    "flags",
                    "dropped",
                    "array",
                ],
            );
            out.field("cq_off");
            ring_offsets(
                out,
                &f,
                80,
                [
                    "head",
                    "tail",
                    "ring_mask",
                    "ring_entries",
                    "overflow",
                    "cqes",
                    "flags",
                ],
            );
        })
    });
    DecodeStatus::Complete
}

/// io_uring_enter(fd, to_submit, min_complete, flags, arg, argsz): the last two
/// are a signal mask, an extended argument or an offset, per the flags.
pub fn io_uring_enter(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    out.fd(call.arg_int(0) as i32);
    out.uint(call.arg(1) & 0xffff_ffff);
    out.uint(call.arg(2) & 0xffff_ffff);
    let flags = call.arg(3) & 0xffff_ffff;
    out.flags_or_unknown(flags, ENTER_FLAGS, "IORING_ENTER_???");
    let (arg, size) = (call.arg_ulong(4), call.arg_ulong(5));
    let ext = flags & IORING_ENTER_EXT_ARG != 0;
    let reg = flags & IORING_ENTER_EXT_ARG_REG != 0;
    if reg && !ext {
        out.uint(arg);
    } else if ext && !reg {
        with_struct(call, out, arg, 24, |out, f| {
            out.structure(|out| {
                out.field("sigmask");
                sigset_at(call, out, f.u64(0), f.u32(8));
                out.field("sigmask_sz");
                out.uint(f.u32(8));
                out.field("min_wait_usec");
                out.uint(f.u32(12));
                out.field("ts");
                time_at(call, out, f.u64(16), TimeAbi::Time64, TimeUnit::Nanos);
            })
        });
    } else {
        sigset_at(call, out, arg, size);
    }
    out.uint(size);
    DecodeStatus::Complete
}

/// io_uring_register(fd, opcode, arg, nr_args): buffers and descriptor lists are
/// decoded; the other opcodes' arguments show as addresses.
pub fn io_uring_register(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    let raw = call.arg(1) & 0xffff_ffff;
    let registered = raw & IORING_REGISTER_USE_REGISTERED_RING;
    let opcode = raw & !IORING_REGISTER_USE_REGISTERED_RING;
    if registered != 0 {
        out.uint(call.arg(0) & 0xffff_ffff);
        out.begin_flag_set(raw);
    } else {
        out.fd(call.arg_int(0) as i32);
    }
    out.constant(opcode, REGISTER_OPCODES, "IORING_REGISTER_???");
    if registered != 0 {
        out.name("IORING_REGISTER_USE_REGISTERED_RING");
        out.end();
    }
    let (arg, count) = (call.arg_ulong(2), call.arg(3) & 0xffff_ffff);
    match opcode {
        0 => iovec_array(call, out, arg, count, IovContents::Address),
        2 | 4 | 7 => array_at(call, out, arg, count, 4, |out, f| out.fd(f.i32(0) as i32)),
        _ => out.pointer(arg),
    }
    out.uint(count);
    DecodeStatus::Complete
}
