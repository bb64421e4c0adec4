//! I/O priorities as strace shows them, `IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)`
//! (linux/ioprio.h): ioprio_get/ioprio_set (sched) and AIO requests (aio).

use crate::value_builder::Out;

pub use crate::kernel_consts::IOPRIO_CLASSES;

/// An I/O priority is its class shifted by this, or'ed with the level.
pub const IOPRIO_CLASS_SHIFT: u32 = 13;

/// An I/O priority as the macro that builds it.
pub fn emit_ioprio(out: &mut Out<'_>, value: u64) {
    let value = value & 0xffff_ffff;
    out.begin_call("IOPRIO_PRIO_VALUE");
    out.constant(
        value >> IOPRIO_CLASS_SHIFT,
        IOPRIO_CLASSES,
        "IOPRIO_CLASS_???",
    );
    out.int((value & ((1 << IOPRIO_CLASS_SHIFT) - 1)) as i64);
    out.end();
}
