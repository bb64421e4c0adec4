//! POSIX message queues: mq_open's attributes, the received priority, timeouts.

use rtrace_sdk::kstruct::{time_at, with_struct, Layout, TimeAbi, TimeUnit};
use rtrace_sdk::{Call, DecodeStatus, Out, Phase};

use rtrace_sdk::FlagTable;

use crate::tables::MQ_OPEN_FLAGS;

/// `mq_flags`: the one open flag a queue keeps.
const MQ_ATTR_FLAGS: &FlagTable = &FlagTable::bits(&[(0o4000, "O_NONBLOCK")]);

const O_CREAT: u64 = 0o100;

/// mq_open(name, oflag[, mode, attr]): mode and attributes only with O_CREAT.
pub fn mq_open(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        out.path_at(call.tracee(), call.arg(0));
        let flags = call.arg(1) & 0xffff_ffff;
        out.flags(flags, MQ_OPEN_FLAGS);
        if flags & O_CREAT != 0 {
            out.octal(call.arg(2) & 0o7777);
            mq_attr(call, out, call.arg(3));
        }
    }
    out.return_style(rtrace_sdk::Ret::Fd.style());
    DecodeStatus::Complete
}

/// `struct mq_attr`: four longs.
fn mq_attr(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let layout = Layout::of(call);
    with_struct(call, out, addr, layout.words(4), |out, f| {
        out.structure(|out| {
            for (i, name) in ["mq_flags", "mq_maxmsg", "mq_msgsize", "mq_curmsgs"]
                .into_iter()
                .enumerate()
            {
                out.field(name);
                out.int(f.long(layout.words(i)));
            }
        })
    });
}

/// mq_getsetattr's `struct mq_attr`, flags decoded (`O_NONBLOCK`).
fn mq_attr_flags(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let layout = Layout::of(call);
    with_struct(call, out, addr, layout.words(4), |out, f| {
        out.structure(|out| {
            out.field("mq_flags");
            out.flags_or_unknown(f.word(0), MQ_ATTR_FLAGS, "O_???");
            for (i, name) in ["mq_maxmsg", "mq_msgsize", "mq_curmsgs"]
                .into_iter()
                .enumerate()
            {
                out.field(name);
                out.int(f.long(layout.words(i + 1)));
            }
        })
    });
}

/// mq_getsetattr(mqdes, newattr, oldattr): the old attributes at exit.
pub fn newattr(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    mq_attr_flags(call, out, addr);
}

pub fn oldattr(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
    } else {
        mq_attr_flags(call, out, addr);
    }
}

pub fn timeout(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    time_at(call, out, addr, TimeAbi::of(call), TimeUnit::Nanos);
}

/// mq_timedreceive's priority: `[3]`, or the address when the call failed.
pub fn priority_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
        return;
    }
    with_struct(call, out, addr, 4, |out, f| {
        out.array(|out| out.uint(f.u32(0)))
    });
}
