//! The virtual console's keyboard and display modes (linux/kd.h): the KD* ioctls'
//! values, as strace names them.

pub use crate::kernel_consts::{DISPLAY_MODES, KEYBOARD_MODES, KEYBOARD_TYPES, META_MODES};
