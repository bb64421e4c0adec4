//! futex(uaddr, op, val, timeout_or_val2, uaddr2, val3): which arguments strace shows,
//! and how, depends on the command in `op`.

use rtrace_sdk::kstruct::{time_at, TimeAbi, TimeUnit};
use rtrace_sdk::{Call, DecodeStatus, Out, Phase};

use crate::futex2::bitset;
use crate::tables::{FUTEX_CMPS, FUTEX_COMMANDS, FUTEX_OPS};

const FUTEX_PRIVATE_FLAG: u64 = 128;
const FUTEX_CLOCK_REALTIME: u64 = 256;
const FUTEX_CMD_MASK: u64 = !(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);

/// The arguments after `op` that each command shows.
#[derive(Clone, Copy)]
enum Shape {
    /// val, timeout (WAIT)
    ValTimeout,
    /// val, timeout, val3 as a bitset (WAIT_BITSET)
    ValTimeoutBitset,
    /// val (WAKE)
    Val,
    /// val, val3 as a bitset (WAKE_BITSET)
    ValBitset,
    /// val, val2, uaddr2 (REQUEUE)
    Requeue,
    /// val, val2, uaddr2, val3 (CMP_REQUEUE, CMP_REQUEUE_PI)
    CmpRequeue,
    /// val, val2, uaddr2, the encoded operation (WAKE_OP)
    WakeOp,
    /// timeout (LOCK_PI, LOCK_PI2)
    Timeout,
    /// nothing (UNLOCK_PI, TRYLOCK_PI)
    Nothing,
    /// val, timeout, uaddr2 (WAIT_REQUEUE_PI)
    WaitRequeuePi,
    /// everything raw (unknown commands)
    Raw,
}

impl Shape {
    /// The arguments' names (`-N`) in the order this shape shows them.
    fn arg_names(self) -> &'static [&'static str] {
        match self {
            Shape::ValTimeout => &["uaddr", "futex_op", "val", "timeout"],
            Shape::ValTimeoutBitset => &["uaddr", "futex_op", "val", "timeout", "val3"],
            Shape::Val => &["uaddr", "futex_op", "val"],
            Shape::ValBitset => &["uaddr", "futex_op", "val", "val3"],
            Shape::Requeue => &["uaddr", "futex_op", "val", "val2", "uaddr2"],
            Shape::CmpRequeue | Shape::WakeOp => {
                &["uaddr", "futex_op", "val", "val2", "uaddr2", "val3"]
            }
            Shape::Timeout => &["uaddr", "futex_op", "timeout"],
            Shape::Nothing => &["uaddr", "futex_op"],
            Shape::WaitRequeuePi => &["uaddr", "futex_op", "val", "timeout", "uaddr2"],
            Shape::Raw => &["uaddr", "futex_op", "val", "timeout", "uaddr2", "val3"],
        }
    }
}

fn shape(command: u64) -> Shape {
    match command {
        0 => Shape::ValTimeout,
        1 | 2 => Shape::Val,
        3 => Shape::Requeue,
        4 | 12 => Shape::CmpRequeue,
        5 => Shape::WakeOp,
        6 | 13 => Shape::Timeout,
        7 | 8 => Shape::Nothing,
        9 => Shape::ValTimeoutBitset,
        10 => Shape::ValBitset,
        11 => Shape::WaitRequeuePi,
        _ => Shape::Raw,
    }
}

pub fn futex(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    let op = call.arg(1) & 0xffff_ffff;
    let command = op & FUTEX_CMD_MASK;
    let known = FUTEX_COMMANDS.iter().find(|(c, _)| *c == command);
    let shape = if known.is_some() {
        shape(command)
    } else {
        Shape::Raw
    };
    out.use_arg_names(shape.arg_names());
    out.pointer(call.arg_ulong(0));
    emit_op(out, op, known.map(|(_, name)| *name));
    let val = |out: &mut Out<'_>| out.int(call.arg_int(2));
    let val2 = |out: &mut Out<'_>| out.uint(call.arg(3) & 0xffff_ffff);
    let timeout =
        |out: &mut Out<'_>| time_at(call, out, call.arg(3), TimeAbi::of(call), TimeUnit::Nanos);
    let uaddr2 = |out: &mut Out<'_>| out.pointer(call.arg_ulong(4));
    let val3 = |out: &mut Out<'_>| bitset(out, call.arg(5) & 0xffff_ffff);
    match shape {
        Shape::ValTimeout => {
            val(out);
            timeout(out);
        }
        Shape::ValTimeoutBitset => {
            val(out);
            timeout(out);
            val3(out);
        }
        Shape::Val => val(out),
        Shape::ValBitset => {
            val(out);
            val3(out);
        }
        Shape::Requeue => {
            val(out);
            val2(out);
            uaddr2(out);
        }
        Shape::CmpRequeue => {
            val(out);
            val2(out);
            uaddr2(out);
            out.int(call.arg_int(5));
        }
        Shape::WakeOp => {
            val(out);
            val2(out);
            uaddr2(out);
            emit_wake_op(out, call.arg(5) & 0xffff_ffff);
        }
        Shape::Timeout => timeout(out),
        Shape::Nothing => {}
        Shape::WaitRequeuePi => {
            val(out);
            timeout(out);
            uaddr2(out);
        }
        Shape::Raw => {
            val(out);
            out.pointer(call.arg_ulong(3));
            uaddr2(out);
            out.hex(call.arg(5) & 0xffff_ffff);
        }
    }
    DecodeStatus::Complete
}

/// `FUTEX_WAIT_PRIVATE`, `FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME`, or
/// `0x63 /* FUTEX_??? */`.
fn emit_op(out: &mut Out<'_>, op: u64, name: Option<&'static str>) {
    let Some(name) = name else {
        out.text_fmt(format_args!("{op:#x} /* FUTEX_??? */"));
        return;
    };
    out.begin_flag_set(op);
    if op & FUTEX_PRIVATE_FLAG != 0 {
        out.text_fmt(format_args!("{name}_PRIVATE"));
    } else {
        out.name(name);
    }
    if op & FUTEX_CLOCK_REALTIME != 0 {
        out.name("FUTEX_CLOCK_REALTIME");
    }
    out.end();
}

/// FUTEX_WAKE_OP's encoded operation:
/// `FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1`.
fn emit_wake_op(out: &mut Out<'_>, encoded: u64) {
    let op = (encoded >> 28) & 0x7;
    let shift = (encoded >> 28) & 0x8 != 0;
    let cmp = (encoded >> 24) & 0xf;
    let oparg = (encoded >> 12) & 0xfff;
    let cmparg = encoded & 0xfff;
    let name = |table: &[(u64, &'static str)], v: u64| {
        table.iter().find(|(n, _)| *n == v).map(|(_, s)| *s)
    };
    let shift_text = if shift { "FUTEX_OP_OPARG_SHIFT|" } else { "" };
    let op_text = name(FUTEX_OPS, op).map_or_else(|| op.to_string(), str::to_owned);
    let cmp_text = name(FUTEX_CMPS, cmp).map_or_else(|| cmp.to_string(), str::to_owned);
    let (oparg, cmparg) = (c_hex(oparg), c_hex(cmparg));
    out.text_fmt(format_args!(
        "{shift_text}{op_text}<<28|{oparg}<<12|{cmp_text}<<24|{cmparg}"
    ));
}

/// C's `%#x`: `0` for zero, else `0x...`.
fn c_hex(value: u64) -> String {
    if value == 0 {
        "0".to_owned()
    } else {
        format!("{value:#x}")
    }
}
