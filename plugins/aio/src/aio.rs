//! Linux AIO (linux/aio_abi.h).
//!
//! iocb (64 bytes, little-endian field order): aio_data u64 @0, aio_key u32 @8,
//! aio_rw_flags u32 @12, aio_lio_opcode u16 @16, aio_reqprio s16 @18,
//! aio_fildes u32 @20, aio_buf u64 @24, aio_nbytes u64 @32, aio_offset s64 @40,
//! aio_flags u32 @56, aio_resfd u32 @60. io_event: data, obj, res, res2 (u64 each).

use rtrace_sdk::array::array_at;
use rtrace_sdk::ioprio::emit_ioprio;
use rtrace_sdk::iovec::{iovec_array, IovContents};
use rtrace_sdk::kstruct::{time_at, with_struct, Fields, Layout, TimeAbi, TimeUnit};
use rtrace_sdk::shared_flags::{POLL_EVENTS, RWF_FLAGS};
use rtrace_sdk::{sigset_at, Call, DecodeStatus, Out, Phase};

const IOCB_SIZE: usize = 64;
const IO_EVENT_SIZE: usize = 32;

const IOCB_CMDS: &[(u64, &str)] = &[
    (0, "IOCB_CMD_PREAD"),
    (1, "IOCB_CMD_PWRITE"),
    (2, "IOCB_CMD_FSYNC"),
    (3, "IOCB_CMD_FDSYNC"),
    (4, "IOCB_CMD_PREADX"),
    (5, "IOCB_CMD_POLL"),
    (6, "IOCB_CMD_NOOP"),
    (7, "IOCB_CMD_PREADV"),
    (8, "IOCB_CMD_PWRITEV"),
];
use crate::kernel_consts::IOCB_FLAGS;
const IOCB_FLAG_RESFD: u64 = 1;
const IOCB_FLAG_IOPRIO: u64 = 2;

/// io_setup's context, written by the kernel: `[0x7f...]`.
pub fn context_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
        return;
    }
    let word = Layout::of(call).word;
    with_struct(call, out, addr, word, |out, f| {
        out.array(|out| out.pointer(f.word(0)))
    });
}

/// The fields every request has; returns the opcode.
fn iocb_header(out: &mut Out<'_>, f: &Fields<'_>) -> u64 {
    out.field("aio_data");
    out.hex(f.u64(0));
    if f.u32(8) != 0 {
        out.field("aio_key");
        out.uint(f.u32(8));
    }
    if f.u32(12) != 0 {
        out.field("aio_rw_flags");
        out.flags_or_unknown(f.u32(12), RWF_FLAGS, "RWF_???");
    }
    let opcode = f.u16(16);
    out.field("aio_lio_opcode");
    match IOCB_CMDS.iter().find(|(v, _)| *v == opcode) {
        Some((_, name)) => out.name(name),
        None => out.text_fmt(format_args!("{opcode} /* IOCB_CMD_??? */")),
    }
    let reqprio = f.unsigned(18, 2);
    if f.u32(56) & IOCB_FLAG_IOPRIO != 0 {
        out.field("aio_reqprio");
        emit_ioprio(out, reqprio);
    } else if reqprio != 0 {
        out.field("aio_reqprio");
        out.int(i64::from(reqprio as u16 as i16));
    }
    out.field("aio_fildes");
    out.fd(f.u32(20) as i32);
    opcode
}

/// aio_flags and aio_resfd, when set.
fn iocb_flags(out: &mut Out<'_>, f: &Fields<'_>) {
    let flags = f.u32(56);
    if flags != 0 {
        out.field("aio_flags");
        out.flags_or_unknown(flags, IOCB_FLAGS, "IOCB_FLAG_???");
    }
    let resfd = f.u32(60);
    if flags & IOCB_FLAG_RESFD != 0 {
        out.field("aio_resfd");
        out.fd(resfd as i32);
    } else if resfd != 0 {
        out.field("aio_resfd");
        out.hex(resfd);
    }
}

fn iocb(call: &Call<'_, '_>, out: &mut Out<'_>, f: &Fields<'_>) {
    out.structure(|out| {
        let opcode = iocb_header(out, f);
        let (buf, nbytes) = (f.u64(24), f.u64(32));
        // The buffer fits the tracee's pointer and size types, as strace checks.
        let valid = (call.word_size() == 8 || (buf >> 32 == 0 && nbytes >> 32 == 0))
            && (nbytes as i64) >= 0;
        match opcode {
            0 | 1 => {
                out.field("aio_buf");
                if opcode == 1 && valid {
                    out.buffer_at(call.tracee(), buf, nbytes, call.options().string_limit);
                } else {
                    out.hex(buf);
                }
                out.field("aio_nbytes");
                out.uint(nbytes);
                out.field("aio_offset");
                out.int(f.i64(40));
                iocb_flags(out, f);
            }
            7 | 8 => {
                out.field("aio_buf");
                if valid {
                    let contents = if opcode == 8 {
                        IovContents::Bytes(u64::MAX)
                    } else {
                        IovContents::Address
                    };
                    iovec_array(call, out, buf, nbytes, contents);
                } else {
                    out.hex(buf);
                    out.field("aio_nbytes");
                    out.uint(nbytes);
                }
                out.field("aio_offset");
                out.int(f.i64(40));
                iocb_flags(out, f);
            }
            5 => {
                out.field("aio_buf");
                out.flags_or_unknown(buf, POLL_EVENTS, "POLL???");
                iocb_flags(out, f);
            }
            _ => {}
        }
    });
}

/// io_submit(ctx, nr, iocbpp): each pointer's request.
pub fn io_submit(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    out.pointer(call.arg_ulong(0));
    let nr = call.arg_long(1);
    out.int(nr);
    let list = call.arg_ulong(2);
    if nr < 0 {
        out.pointer(list);
        return DecodeStatus::Complete;
    }
    let word = call.word_size() as usize;
    array_at(call, out, list, nr as u64, word, |out, p| {
        let addr = p.word(0);
        with_struct(call, out, addr, IOCB_SIZE, |out, f| iocb(call, out, &f));
    });
    DecodeStatus::Complete
}

fn io_event(out: &mut Out<'_>, f: &Fields<'_>) {
    out.structure(|out| {
        out.field("data");
        out.hex(f.u64(0));
        out.field("obj");
        out.hex(f.u64(8));
        out.field("res");
        out.int(f.i64(16));
        out.field("res2");
        out.int(f.i64(24));
    });
}

/// io_cancel(ctx, iocb, result): the request's header; the event at exit.
pub fn io_cancel(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    match phase {
        Phase::Entry => {
            out.pointer(call.arg_ulong(0));
            with_struct(call, out, call.arg_ulong(1), IOCB_SIZE, |out, f| {
                out.structure(|out| {
                    iocb_header(out, &f);
                })
            });
            DecodeStatus::MoreAtExit
        }
        Phase::Exit => {
            let addr = call.arg_ulong(2);
            if call.is_error() {
                out.pointer(addr);
            } else {
                with_struct(call, out, addr, IO_EVENT_SIZE, |out, f| io_event(out, &f));
            }
            DecodeStatus::Complete
        }
    }
}

/// io_getevents and io_pgetevents(ctx, min_nr, nr, events, timeout[, sig]): the
/// events at exit; the timeout and signal mask as the kernel read them at entry.
pub fn io_getevents(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    match phase {
        Phase::Entry => {
            out.pointer(call.arg_ulong(0));
            out.int(call.arg_long(1));
            out.int(call.arg_long(2));
            DecodeStatus::MoreAtExit
        }
        Phase::Exit => {
            let events = call.arg_ulong(3);
            if call.is_error() {
                out.pointer(events);
            } else {
                let count = call.retval() as u64;
                array_at(call, out, events, count, IO_EVENT_SIZE, |out, f| {
                    io_event(out, &f)
                });
            }
            let abi = if call.name().starts_with("io_pgetevents") && call.word_size() == 4 {
                if call.name().ends_with("time64") {
                    TimeAbi::Time64
                } else {
                    TimeAbi::Native
                }
            } else {
                TimeAbi::of(call)
            };
            time_at(call, out, call.arg_ulong(4), abi, TimeUnit::Nanos);
            if call.name().starts_with("io_pgetevents") {
                aio_sigset(call, out, call.arg_ulong(5));
            }
            DecodeStatus::Complete
        }
    }
}

/// `struct __aio_sigset`: `{sigmask=[USR1], sigsetsize=8}`.
fn aio_sigset(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let word = Layout::of(call).word;
    with_struct(call, out, addr, 2 * word, |out, f| {
        let (mask, size) = (f.word(0), f.word(word));
        out.structure(|out| {
            out.field("sigmask");
            sigset_at(call, out, mask, size);
            out.field("sigsetsize");
            out.uint(size);
        })
    });
}
