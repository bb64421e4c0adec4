//! `--seccomp-bpf`: a classic-BPF program, installed in the launched command before
//! its execve, that stops the tracee (SECCOMP_RET_TRACE) only for the traced syscalls;
//! the rest run at native speed under PTRACE_CONT. Threads and children inherit it.

/// Which syscalls of the tracer's own architecture stop the tracee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeccompFilter {
    /// `AUDIT_ARCH_*` the numbers belong to; any other personality stops on everything.
    pub audit_arch: u32,
    /// Syscall numbers in the set.
    pub numbers: Vec<u32>,
    /// The set is "everything except `numbers`".
    pub negated: bool,
}

const BPF_LD_W_ABS: u16 = 0x20; // BPF_LD | BPF_W | BPF_ABS
const BPF_JEQ_K: u16 = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
const BPF_RET_K: u16 = 0x06; // BPF_RET | BPF_K
const SECCOMP_RET_ALLOW: u32 = 0x7fff_0000;
const SECCOMP_RET_TRACE: u32 = 0x7ff0_0000;
/// offsetof(struct seccomp_data, nr) and (.., arch).
const DATA_NR: u32 = 0;
const DATA_ARCH: u32 = 4;
/// The kernel's limit on a program's length.
const BPF_MAXINSNS: usize = 4096;

fn stmt(code: u16, k: u32) -> libc::sock_filter {
    libc::sock_filter {
        code,
        jt: 0,
        jf: 0,
        k,
    }
}

fn jeq(k: u32, jt: u8, jf: u8) -> libc::sock_filter {
    libc::sock_filter {
        code: BPF_JEQ_K,
        jt,
        jf,
        k,
    }
}

impl SeccompFilter {
    /// The program. Each number is a compare followed by its own return, so every jump
    /// is short whatever the set's size.
    pub fn program(&self) -> Result<Vec<libc::sock_filter>, String> {
        let (hit, miss) = if self.negated {
            (SECCOMP_RET_ALLOW, SECCOMP_RET_TRACE)
        } else {
            (SECCOMP_RET_TRACE, SECCOMP_RET_ALLOW)
        };
        let mut prog = vec![
            stmt(BPF_LD_W_ABS, DATA_ARCH),
            // Another personality (i386 on x86_64): stop on everything.
            jeq(self.audit_arch, 1, 0),
            stmt(BPF_RET_K, SECCOMP_RET_TRACE),
            stmt(BPF_LD_W_ABS, DATA_NR),
        ];
        for &nr in &self.numbers {
            prog.push(jeq(nr, 0, 1));
            prog.push(stmt(BPF_RET_K, hit));
        }
        prog.push(stmt(BPF_RET_K, miss));
        if prog.len() > BPF_MAXINSNS {
            return Err(format!(
                "the seccomp filter would need {} instructions (the kernel allows {BPF_MAXINSNS})",
                prog.len()
            ));
        }
        Ok(prog)
    }
}

/// Installs `prog` in the calling process. Only async-signal-safe calls: this runs
/// between fork and exec.
///
/// # Safety
/// `prog` must be a valid program that outlives the call.
pub(crate) unsafe fn install(prog: &[libc::sock_filter]) -> bool {
    let fprog = libc::sock_fprog {
        len: prog.len() as u16,
        filter: prog.as_ptr() as *mut libc::sock_filter,
    };
    // Without CAP_SYS_ADMIN the kernel insists on no_new_privs first.
    libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    libc::prctl(
        libc::PR_SET_SECCOMP,
        libc::SECCOMP_MODE_FILTER,
        &fprog as *const libc::sock_fprog,
    ) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the program on (arch, nr) like the kernel would.
    fn verdict(prog: &[libc::sock_filter], arch: u32, nr: u32) -> u32 {
        let mut acc = 0u32;
        let mut pc = 0usize;
        loop {
            let insn = prog[pc];
            match insn.code {
                BPF_LD_W_ABS => acc = if insn.k == DATA_ARCH { arch } else { nr },
                BPF_JEQ_K => {
                    pc += if acc == insn.k { insn.jt } else { insn.jf } as usize;
                }
                BPF_RET_K => return insn.k,
                other => panic!("unexpected opcode {other:#x}"),
            }
            pc += 1;
        }
    }

    #[test]
    fn traces_only_the_set() {
        let f = SeccompFilter {
            audit_arch: 0xc000_003e,
            numbers: vec![257, 3],
            negated: false,
        };
        let prog = f.program().unwrap();
        assert_eq!(verdict(&prog, 0xc000_003e, 257), SECCOMP_RET_TRACE);
        assert_eq!(verdict(&prog, 0xc000_003e, 3), SECCOMP_RET_TRACE);
        assert_eq!(verdict(&prog, 0xc000_003e, 110), SECCOMP_RET_ALLOW);
        assert_eq!(verdict(&prog, 0x4000_0003, 110), SECCOMP_RET_TRACE);
    }

    #[test]
    fn negated_sets_allow_the_listed() {
        let f = SeccompFilter {
            audit_arch: 0xc000_003e,
            numbers: vec![110],
            negated: true,
        };
        let prog = f.program().unwrap();
        assert_eq!(verdict(&prog, 0xc000_003e, 110), SECCOMP_RET_ALLOW);
        assert_eq!(verdict(&prog, 0xc000_003e, 0), SECCOMP_RET_TRACE);
    }

    #[test]
    fn huge_sets_are_refused() {
        let f = SeccompFilter {
            audit_arch: 1,
            numbers: (0..3000).collect(),
            negated: false,
        };
        assert!(f.program().is_err());
    }
}
