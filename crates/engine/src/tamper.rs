//! Changing what a stopped thread's syscall does: its number at the entry stop, its
//! result at the exit stop, and the memory its arguments point to (strace's
//! `-e inject=`). What to change is the caller's decision; this module only writes.
//!
//! Registers are written with PTRACE_SET_SYSCALL_INFO where the kernel has it (Linux
//! 6.16 and later: one request, every personality, no register layout involved), and
//! otherwise through the register set, where the personality's [`RegisterAbi`] says which
//! bytes hold the number and the result. The first refusal of PTRACE_SET_SYSCALL_INFO
//! (EIO: an older kernel) switches every later write to the register set.

use std::sync::atomic::{AtomicU8, Ordering};

use nix::errno::Errno;
use nix::sys::uio::{process_vm_writev, RemoteIoVec};
use nix::unistd::Pid;
use rtrace_arch::{NumberSlot, RegisterAbi};
use rtrace_target_bytes::RawRegs;

use crate::syscall_info::get_regset;

/// `PTRACE_SET_SYSCALL_INFO` (linux/ptrace.h, Linux 6.16).
const PTRACE_SET_SYSCALL_INFO: libc::c_uint = 0x4212;

/// How a register write reached the kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WritePath {
    /// PTRACE_SET_SYSCALL_INFO.
    SyscallInfo,
    /// PTRACE_GETREGSET / PTRACE_SETREGSET (and, for a number kept apart from the
    /// registers, ARM's PTRACE_SET_SYSCALL or aarch64's NT_ARM_SYSTEM_CALL).
    Registers,
}

impl WritePath {
    pub fn name(self) -> &'static str {
        match self {
            WritePath::SyscallInfo => "PTRACE_SET_SYSCALL_INFO",
            WritePath::Registers => "PTRACE_SETREGSET",
        }
    }
}

/// Whether PTRACE_SET_SYSCALL_INFO works here: not tried yet, works, refused.
static SET_INFO: AtomicU8 = AtomicU8::new(UNTRIED);
const UNTRIED: u8 = 0;
const WORKS: u8 = 1;
const REFUSED: u8 = 2;

/// The path the latest successful write took (`None` before the first).
pub fn last_write_path() -> Option<WritePath> {
    match SET_INFO.load(Ordering::Relaxed) {
        WORKS => Some(WritePath::SyscallInfo),
        REFUSED => Some(WritePath::Registers),
        _ => None,
    }
}

/// Replaces the number of the syscall `pid` is entering (it must be at a syscall-entry
/// or seccomp stop): `u64::MAX` (-1) makes the kernel skip the call and fail it with
/// ENOSYS. `prefer` picks PTRACE_SET_SYSCALL_INFO (falling back on the register set
/// when the kernel lacks it) or the register set alone.
pub fn set_syscall_number(
    pid: i32,
    abi: &dyn RegisterAbi,
    number: u64,
    prefer: WritePath,
) -> Result<WritePath, Errno> {
    if prefer == WritePath::SyscallInfo && SET_INFO.load(Ordering::Relaxed) != REFUSED {
        let done = edit_syscall_info(pid, |info| match info.op {
            libc::PTRACE_SYSCALL_INFO_ENTRY => {
                info.u.entry.nr = number;
                Ok(())
            }
            libc::PTRACE_SYSCALL_INFO_SECCOMP => {
                info.u.seccomp.nr = number;
                Ok(())
            }
            _ => Err(Errno::EINVAL),
        });
        if let Some(done) = done {
            return done.map(|()| WritePath::SyscallInfo);
        }
    }
    match abi.number_slot() {
        NumberSlot::GeneralRegisters => {
            edit_registers(pid, abi, |regs| abi.set_number_in_regs(regs, number))?
        }
        NumberSlot::Separate => set_separate_number(pid, number)?,
    }
    Ok(WritePath::Registers)
}

/// Replaces the result of the syscall `pid` is leaving (it must be at a syscall-exit
/// stop): `value` is the return value, or `-errno` with `is_error`.
pub fn set_syscall_return(
    pid: i32,
    abi: &dyn RegisterAbi,
    value: i64,
    is_error: bool,
    prefer: WritePath,
) -> Result<WritePath, Errno> {
    if prefer == WritePath::SyscallInfo && SET_INFO.load(Ordering::Relaxed) != REFUSED {
        let done = edit_syscall_info(pid, |info| {
            if info.op != libc::PTRACE_SYSCALL_INFO_EXIT {
                return Err(Errno::EINVAL);
            }
            info.u.exit.sval = value;
            info.u.exit.is_error = u8::from(is_error);
            Ok(())
        });
        if let Some(done) = done {
            return done.map(|()| WritePath::SyscallInfo);
        }
    }
    edit_registers(pid, abi, |regs| abi.set_return_in_regs(regs, value))?;
    Ok(WritePath::Registers)
}

/// Reads the stop's PTRACE_GET_SYSCALL_INFO, lets `edit` change it and writes it back
/// with PTRACE_SET_SYSCALL_INFO. `None` when the kernel has no PTRACE_SET_SYSCALL_INFO
/// (remembered: the register set serves from then on).
fn edit_syscall_info(
    pid: i32,
    edit: impl FnOnce(&mut libc::ptrace_syscall_info) -> Result<(), Errno>,
) -> Option<Result<(), Errno>> {
    let size = std::mem::size_of::<libc::ptrace_syscall_info>();
    // SAFETY: an all-zero ptrace_syscall_info is valid (plain integers and a union of them).
    let mut info: libc::ptrace_syscall_info = unsafe { std::mem::zeroed() };
    // SAFETY: the kernel writes at most `size` bytes into `info`.
    let got = unsafe {
        libc::ptrace(
            libc::PTRACE_GET_SYSCALL_INFO,
            pid,
            size,
            &mut info as *mut libc::ptrace_syscall_info,
        )
    };
    if got <= 0 {
        return Some(Err(Errno::last()));
    }
    if let Err(e) = edit(&mut info) {
        return Some(Err(e));
    }
    // SAFETY: the kernel reads `size` bytes from `info`, a complete struct.
    let set = unsafe {
        libc::ptrace(
            PTRACE_SET_SYSCALL_INFO,
            pid,
            size,
            &info as *const libc::ptrace_syscall_info,
        )
    };
    if set == 0 {
        SET_INFO.store(WORKS, Ordering::Relaxed);
        return Some(Ok(()));
    }
    match Errno::last() {
        // An unknown request: a kernel before 6.16.
        Errno::EIO => {
            SET_INFO.store(REFUSED, Ordering::Relaxed);
            None
        }
        e => Some(Err(e)),
    }
}

/// PTRACE_GETREGSET, `edit`, PTRACE_SETREGSET, with the size the kernel reported (a
/// 32-bit tracee's set is shorter than the tracer's). A set of another size than the
/// ABI's is laid out for another personality (`int $0x80` from 64-bit code): EINVAL,
/// nothing written.
fn edit_registers(
    pid: i32,
    abi: &dyn RegisterAbi,
    edit: impl FnOnce(&mut RawRegs),
) -> Result<(), Errno> {
    let (mut regs, size) = get_regset(pid)?;
    if size != abi.regset_size() {
        return Err(Errno::EINVAL);
    }
    edit(&mut regs);
    let mut iov = libc::iovec {
        iov_base: regs.0.as_mut_ptr().cast(),
        iov_len: size,
    };
    // SAFETY: PTRACE_SETREGSET reads iov_len bytes, the size GETREGSET filled in.
    let set = unsafe {
        libc::ptrace(
            libc::PTRACE_SETREGSET,
            pid,
            libc::NT_PRSTATUS as usize,
            &mut iov,
        )
    };
    if set != 0 {
        return Err(Errno::last());
    }
    Ok(())
}

/// A syscall number the kernel keeps apart from the registers: aarch64's
/// NT_ARM_SYSTEM_CALL register set (for native and compat tracees alike).
#[cfg(target_arch = "aarch64")]
fn set_separate_number(pid: i32, number: u64) -> Result<(), Errno> {
    const NT_ARM_SYSTEM_CALL: usize = 0x404;
    let mut value = number as i32;
    let mut iov = libc::iovec {
        iov_base: (&mut value as *mut i32).cast(),
        iov_len: std::mem::size_of::<i32>(),
    };
    // SAFETY: the kernel reads the 4-byte number iov points to.
    let set = unsafe { libc::ptrace(libc::PTRACE_SETREGSET, pid, NT_ARM_SYSTEM_CALL, &mut iov) };
    if set != 0 {
        return Err(Errno::last());
    }
    Ok(())
}

/// A syscall number the kernel keeps apart from the registers: ARM's
/// PTRACE_SET_SYSCALL.
#[cfg(target_arch = "arm")]
fn set_separate_number(pid: i32, number: u64) -> Result<(), Errno> {
    const PTRACE_SET_SYSCALL: libc::c_uint = 23;
    // SAFETY: the number is passed by value as the data argument.
    let set = unsafe {
        libc::ptrace(
            PTRACE_SET_SYSCALL,
            pid,
            0,
            (number as u32 & 0xffff) as libc::c_long,
        )
    };
    if set != 0 {
        return Err(Errno::last());
    }
    Ok(())
}

/// Only ARM kernels keep the number apart, and this build traces none of them.
#[cfg(not(any(target_arch = "aarch64", target_arch = "arm")))]
fn set_separate_number(_pid: i32, _number: u64) -> Result<(), Errno> {
    Err(Errno::ENOSYS)
}

/// Writes `data` at `addr` in `pid`: process_vm_writev, or PTRACE_POKEDATA word by
/// word where that is refused (it also writes read-only pages, as a debugger does).
pub fn write_memory(pid: i32, addr: u64, data: &[u8]) -> Result<(), Errno> {
    if data.is_empty() {
        return Ok(());
    }
    let remote = [RemoteIoVec {
        base: addr as usize,
        len: data.len(),
    }];
    match process_vm_writev(Pid::from_raw(pid), &[std::io::IoSlice::new(data)], &remote) {
        Ok(n) if n == data.len() => Ok(()),
        _ => poke_write(pid, addr, data),
    }
}

/// PTRACE_POKEDATA: whole words, the bytes around the range read first and kept.
fn poke_write(pid: i32, addr: u64, data: &[u8]) -> Result<(), Errno> {
    const W: usize = std::mem::size_of::<libc::c_long>();
    let pid = Pid::from_raw(pid);
    let mut done = 0usize;
    while done < data.len() {
        let at = addr + done as u64;
        let aligned = at & !(W as u64 - 1);
        let skip = (at - aligned) as usize;
        let take = (W - skip).min(data.len() - done);
        let mut word = if skip == 0 && take == W {
            [0u8; W]
        } else {
            nix::sys::ptrace::read(pid, aligned as nix::sys::ptrace::AddressType)?.to_ne_bytes()
        };
        word[skip..skip + take].copy_from_slice(&data[done..done + take]);
        nix::sys::ptrace::write(
            pid,
            aligned as nix::sys::ptrace::AddressType,
            libc::c_long::from_ne_bytes(word),
        )?;
        done += take;
    }
    Ok(())
}
