//! The time family's constant and flag tables, in strace's print order.

/// Clock ids, shared with the other families.
pub use rtrace_sdk::shared_flags::CLOCKS;

pub use crate::kernel_consts::TIMER_FLAGS;

pub use crate::kernel_consts::ITIMERS;

pub use crate::kernel_consts::GETRANDOM_FLAGS;
