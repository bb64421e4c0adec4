//! The kernel's signal frame: where a signal handler's caller, the interrupted code,
//! left its registers. A handler returns into the sigreturn trampoline with the stack
//! pointer at the `ucontext_t` the kernel pushed (its layout from the libc crate).

use crate::FrameRegisters;

/// x86_64's rt_sigreturn trampoline (glibc's `__restore_rt`): `mov $15, %rax; syscall`.
#[cfg(target_arch = "x86_64")]
pub const TRAMPOLINE: &[u8] = &[0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05];

/// On aarch64 the trampoline is the vDSO's (`__kernel_rt_sigreturn`), which maps no
/// file: no file's bytes match, and the walk ends there as at any code outside files.
#[cfg(target_arch = "aarch64")]
pub const TRAMPOLINE: &[u8] = &[];

/// The interrupted code's registers, read from the `ucontext_t` at `sp`.
#[cfg(target_arch = "x86_64")]
pub fn interrupted(
    sp: u64,
    read_word: &mut dyn FnMut(u64) -> Result<u64, ()>,
) -> Option<FrameRegisters> {
    use std::mem::offset_of;
    let gregs = sp
        + offset_of!(libc::ucontext_t, uc_mcontext) as u64
        + offset_of!(libc::mcontext_t, gregs) as u64;
    let mut register = |index: libc::c_int| read_word(gregs + 8 * index as u64).ok();
    Some(FrameRegisters {
        pc: register(libc::REG_RIP)?,
        sp: register(libc::REG_RSP)?,
        fp: register(libc::REG_RBP)?,
        lr: 0,
    })
}

#[cfg(target_arch = "aarch64")]
pub fn interrupted(
    _sp: u64,
    _read_word: &mut dyn FnMut(u64) -> Result<u64, ()>,
) -> Option<FrameRegisters> {
    None
}
