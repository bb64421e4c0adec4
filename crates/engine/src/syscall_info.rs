//! Reading what a syscall stop holds: PTRACE_GET_SYSCALL_INFO where the kernel has it,
//! the raw registers (PTRACE_GETREGSET) otherwise. The bytes are not interpreted here.

use nix::errno::Errno;
use nix::sys::ptrace;
use nix::unistd::Pid;
use rtrace_target_bytes::RawRegs;

use crate::stop::SyscallStop;

/// Whether PTRACE_GET_SYSCALL_INFO is worth asking (it stops being asked once the
/// kernel refuses it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SyscallInfoSupport(bool);

impl Default for SyscallInfoSupport {
    fn default() -> Self {
        SyscallInfoSupport(true)
    }
}

/// The syscall stop `pid` is in; `in_syscall` says which side a register read is at.
/// None when neither way could read it (the thread vanished).
pub(crate) fn read_syscall_stop(
    pid: i32,
    in_syscall: bool,
    support: &mut SyscallInfoSupport,
) -> Option<SyscallStop> {
    if support.0 {
        match syscall_info(pid) {
            Ok(Some(stop)) => return Some(stop),
            Ok(None) => {}
            Err(Errno::EIO) | Err(Errno::EINVAL) => support.0 = false,
            Err(_) => {}
        }
    }
    let regs = read_regs(pid)?;
    Some(if in_syscall {
        SyscallStop::ExitRegs(regs)
    } else {
        SyscallStop::EntryRegs(regs)
    })
}

/// PTRACE_GET_SYSCALL_INFO; Ok(None) for a stop it does not describe as a syscall.
fn syscall_info(pid: i32) -> Result<Option<SyscallStop>, Errno> {
    let info = ptrace::syscall_info(Pid::from_raw(pid))?;
    // An entry stop, and a seccomp stop (the filter selected the call at its entry),
    // carry the same number and arguments.
    let entry = |nr: u64, args: [u64; 6]| SyscallStop::Entry {
        audit_arch: info.arch,
        number: nr,
        args,
        instruction_pointer: info.instruction_pointer,
        stack_pointer: info.stack_pointer,
    };
    Ok(match info.op {
        libc::PTRACE_SYSCALL_INFO_ENTRY => {
            // SAFETY: op says the entry member of the union is valid.
            let call = unsafe { info.u.entry };
            Some(entry(call.nr, call.args))
        }
        libc::PTRACE_SYSCALL_INFO_SECCOMP => {
            // SAFETY: op says the seccomp member of the union is valid.
            let call = unsafe { info.u.seccomp };
            Some(entry(call.nr, call.args))
        }
        libc::PTRACE_SYSCALL_INFO_EXIT => {
            // SAFETY: op says the exit member of the union is valid.
            let exit = unsafe { info.u.exit };
            Some(SyscallStop::Exit {
                audit_arch: info.arch,
                value: exit.sval,
                is_error: exit.is_error != 0,
            })
        }
        _ => None,
    })
}

/// The thread's general registers (PTRACE_GETREGSET, NT_PRSTATUS) at a ptrace stop, as raw
/// bytes for the arch crates; public for -k's unwinder, which starts from them.
pub fn read_regs(pid: i32) -> Option<RawRegs> {
    get_regset(pid).ok().map(|(regs, _)| regs)
}

/// PTRACE_GETREGSET of the general registers: the set, and the size the kernel filled
/// in (a 32-bit tracee's set is shorter than the tracer's).
pub(crate) fn get_regset(pid: i32) -> Result<(RawRegs, usize), Errno> {
    let mut regs = RawRegs::default();
    let mut iov = libc::iovec {
        iov_base: regs.0.as_mut_ptr().cast(),
        iov_len: regs.0.len(),
    };
    // SAFETY: PTRACE_GETREGSET writes at most iov_len bytes and updates iov_len.
    let res = unsafe {
        libc::ptrace(
            libc::PTRACE_GETREGSET,
            pid,
            libc::NT_PRSTATUS as usize,
            &mut iov,
        )
    };
    if res != 0 {
        return Err(Errno::last());
    }
    Ok((regs, iov.iov_len))
}
