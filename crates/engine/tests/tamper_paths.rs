//! Both ways of writing a syscall's number and result (PTRACE_SET_SYSCALL_INFO and the
//! register set), and both ways of writing tracee memory, on a forked child whose exit
//! status says what it saw.
#![cfg(target_arch = "x86_64")]

use rtrace_arch::RegisterAbi;
use rtrace_arch_i386::I386;
use rtrace_arch_x86_64::X86_64;
use rtrace_engine::tamper::{set_syscall_number, set_syscall_return, write_memory, WritePath};

/// The child's buffer: the same address in the child after fork.
static mut BUFFER: [u8; 16] = *b"untouched.......";

/// Read-only data (.rodata): process_vm_writev cannot write it, PTRACE_POKEDATA can.
static READ_ONLY: [u8; 16] = *b"untouched.......";

/// What the child returns from getppid after the tracer's change.
const INJECTED: i64 = 4242;

/// How the child makes its call: x86_64's getppid, or i386's getppid (64) through
/// `int $0x80` from 64-bit code (an i386 call in x86_64 registers).
#[derive(Clone, Copy)]
enum Call {
    Native,
    Int80,
}

fn make_call(call: Call) -> i64 {
    match call {
        // SAFETY: a plain syscall without pointer arguments.
        Call::Native => unsafe { libc::syscall(libc::SYS_getppid) },
        Call::Int80 => {
            let mut eax: i32 = 64;
            // SAFETY: i386's getppid through the 32-bit entry; it takes no arguments and
            // clobbers nothing but eax.
            unsafe { std::arch::asm!("int 0x80", inout("eax") eax) };
            i64::from(eax)
        }
    }
}

/// Forks a child that stops, makes one getppid and exits 0 when it returned
/// `INJECTED`, its buffer starts with "poked" and its read-only data with "force"; 1,
/// 2 or 4 otherwise.
fn traced_child(call: Call) -> i32 {
    // SAFETY: the child calls only async-signal-safe functions before _exit.
    unsafe {
        let pid = libc::fork();
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            libc::ptrace(libc::PTRACE_TRACEME, 0, 0, 0);
            libc::raise(libc::SIGSTOP);
            let got = make_call(call);
            let buffer = std::ptr::addr_of!(BUFFER);
            let poked = (*buffer).starts_with(b"poked");
            // Volatile: the compiler would otherwise read the constant it knows.
            let read_only = std::ptr::read_volatile(std::ptr::addr_of!(READ_ONLY));
            let forced = read_only.starts_with(b"force");
            libc::_exit(if got != INJECTED {
                1
            } else if !poked {
                2
            } else if !forced {
                4
            } else {
                0
            });
        }
        pid
    }
}

fn wait_stopped(pid: i32) -> i32 {
    let mut status = 0;
    // SAFETY: waitpid on our own child.
    let got = unsafe { libc::waitpid(pid, &mut status, libc::__WALL) };
    assert_eq!(got, pid);
    status
}

fn run_with(path: WritePath, call: Call, abi: &dyn RegisterAbi) -> (i32, Vec<WritePath>) {
    let pid = traced_child(call);
    let mut used = Vec::new();
    let status = wait_stopped(pid);
    assert!(libc::WIFSTOPPED(status));
    // SAFETY: ptrace requests on our stopped child.
    unsafe {
        libc::ptrace(
            libc::PTRACE_SETOPTIONS,
            pid,
            0,
            libc::PTRACE_O_TRACESYSGOOD | libc::PTRACE_O_EXITKILL,
        );
        libc::ptrace(libc::PTRACE_SYSCALL, pid, 0, 0);
    }
    // The first syscall stop after the SIGSTOP is getppid's entry.
    let status = wait_stopped(pid);
    assert_eq!(libc::WSTOPSIG(status), libc::SIGTRAP | 0x80);
    used.push(set_syscall_number(pid, abi, u64::MAX, path).expect("number written"));
    let buffer = std::ptr::addr_of!(BUFFER) as u64;
    write_memory(pid, buffer, b"poked").expect("memory written");
    let read_only = std::ptr::addr_of!(READ_ONLY) as u64;
    write_memory(pid, read_only, b"force").expect("read-only memory written");
    // SAFETY: restarting our stopped child.
    unsafe { libc::ptrace(libc::PTRACE_SYSCALL, pid, 0, 0) };
    let status = wait_stopped(pid);
    assert_eq!(libc::WSTOPSIG(status), libc::SIGTRAP | 0x80);
    used.push(set_syscall_return(pid, abi, INJECTED, false, path).expect("result written"));
    // SAFETY: detaching from our stopped child.
    unsafe { libc::ptrace(libc::PTRACE_DETACH, pid, 0, 0) };
    let status = wait_stopped(pid);
    assert!(libc::WIFEXITED(status), "status {status:#x}");
    (libc::WEXITSTATUS(status), used)
}

#[test]
fn the_register_set_path_changes_number_and_result() {
    let (code, used) = run_with(WritePath::Registers, Call::Native, &X86_64);
    assert_eq!(
        code, 0,
        "1: getppid's result unchanged, 2: memory unchanged, 4: read-only memory unchanged"
    );
    assert_eq!(used, [WritePath::Registers, WritePath::Registers]);
}

/// This machine's kernel (6.18) has PTRACE_SET_SYSCALL_INFO; an older kernel is
/// reported as such instead of passing through the fallback unnoticed.
#[test]
fn the_syscall_info_path_changes_number_and_result() {
    let (code, used) = run_with(WritePath::SyscallInfo, Call::Native, &X86_64);
    assert_eq!(
        code, 0,
        "1: getppid's result unchanged, 2: memory unchanged, 4: read-only memory unchanged"
    );
    assert_eq!(
        used,
        [WritePath::SyscallInfo, WritePath::SyscallInfo],
        "this kernel has no PTRACE_SET_SYSCALL_INFO (Linux 6.16+): the register set served"
    );
}

/// `int $0x80` from 64-bit code: an i386 call whose registers are x86_64's.
/// PTRACE_SET_SYSCALL_INFO changes it without any layout; the register set is refused
/// (i386's layout does not fit x86_64's registers) rather than written wrong.
#[test]
fn an_i386_call_in_x86_64_registers() {
    let (code, used) = run_with(WritePath::SyscallInfo, Call::Int80, &I386);
    assert_eq!(
        code, 0,
        "1: getppid's result unchanged, 2: memory unchanged, 4: read-only memory unchanged"
    );
    assert_eq!(used, [WritePath::SyscallInfo, WritePath::SyscallInfo]);

    let pid = traced_child(Call::Int80);
    wait_stopped(pid);
    // SAFETY: ptrace requests on our stopped child.
    unsafe {
        libc::ptrace(
            libc::PTRACE_SETOPTIONS,
            pid,
            0,
            libc::PTRACE_O_TRACESYSGOOD | libc::PTRACE_O_EXITKILL,
        );
        libc::ptrace(libc::PTRACE_SYSCALL, pid, 0, 0);
    }
    wait_stopped(pid);
    assert_eq!(
        set_syscall_number(pid, &I386, u64::MAX, WritePath::Registers),
        Err(nix::errno::Errno::EINVAL)
    );
    // SAFETY: ending our own stopped child.
    unsafe { libc::kill(pid, libc::SIGKILL) };
    wait_stopped(pid);
}
