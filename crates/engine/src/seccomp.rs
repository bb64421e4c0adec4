//! `--seccomp-bpf`: a classic-BPF program, installed in the launched command before
//! its execve, that stops the tracee (SECCOMP_RET_TRACE) only for the traced syscalls;
//! the rest run at native speed under PTRACE_CONT. Threads and children inherit it.

/// Which syscalls of one personality stop the tracee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeccompSection {
    /// `AUDIT_ARCH_*` the numbers belong to.
    pub audit_arch: u32,
    /// Bits every number of this personality carries (x32's `__X32_SYSCALL_BIT`, where it
    /// shares x86_64's audit arch); 0 for none. A section with bits must come before the
    /// section of the same audit arch without them.
    pub number_bits: u32,
    /// Syscall numbers in the set, as the kernel numbers them.
    pub numbers: Vec<u32>,
    /// The set is "everything except `numbers`".
    pub negated: bool,
}

/// Which syscalls stop the tracee, per personality; a personality no section names stops
/// on everything, so no call is ever hidden by the filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeccompFilter {
    pub sections: Vec<SeccompSection>,
}

const BPF_LD_W_ABS: u16 = 0x20; // BPF_LD | BPF_W | BPF_ABS
const BPF_JEQ_K: u16 = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
const BPF_JSET_K: u16 = 0x45; // BPF_JMP | BPF_JSET | BPF_K
const BPF_JA: u16 = 0x05; // BPF_JMP | BPF_JA: an unconditional jump by k
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

fn jump(code: u16, k: u32, jt: u8, jf: u8) -> libc::sock_filter {
    libc::sock_filter { code, jt, jf, k }
}

impl SeccompSection {
    /// This section's instructions: when the stop is not this personality's, they fall
    /// through to whatever follows (a long `ja` over the body, so sections of any size
    /// chain); when it is, they return.
    fn program(&self) -> Vec<libc::sock_filter> {
        let (hit, miss) = if self.negated {
            (SECCOMP_RET_ALLOW, SECCOMP_RET_TRACE)
        } else {
            (SECCOMP_RET_TRACE, SECCOMP_RET_ALLOW)
        };
        let mut body = vec![stmt(BPF_LD_W_ABS, DATA_NR)];
        if self.number_bits != 0 {
            // Not this personality's number after all: skip the compares.
            body.push(jump(BPF_JSET_K, self.number_bits, 1, 0));
        }
        let compares_at = body.len();
        for &nr in &self.numbers {
            body.push(jump(BPF_JEQ_K, nr, 0, 1));
            body.push(stmt(BPF_RET_K, hit));
        }
        body.push(stmt(BPF_RET_K, miss));
        if self.number_bits != 0 {
            // The jset's false branch lands on a `ja` past the section.
            let past = (body.len() - compares_at) as u32;
            body.insert(compares_at, stmt(BPF_JA, past));
        }
        let mut prog = vec![
            stmt(BPF_LD_W_ABS, DATA_ARCH),
            jump(BPF_JEQ_K, self.audit_arch, 1, 0),
            stmt(BPF_JA, body.len() as u32),
        ];
        prog.extend(body);
        prog
    }
}

impl SeccompFilter {
    /// The program: each section in turn, then "stop" for any other personality.
    pub fn program(&self) -> Result<Vec<libc::sock_filter>, String> {
        let mut prog: Vec<libc::sock_filter> =
            self.sections.iter().flat_map(|s| s.program()).collect();
        prog.push(stmt(BPF_RET_K, SECCOMP_RET_TRACE));
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

    const X86_64: u32 = 0xc000_003e;
    const I386: u32 = 0x4000_0003;
    const X32_BIT: u32 = 0x4000_0000;

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
                BPF_JSET_K => {
                    pc += if acc & insn.k != 0 { insn.jt } else { insn.jf } as usize;
                }
                BPF_JA => pc += insn.k as usize,
                BPF_RET_K => return insn.k,
                other => panic!("unexpected opcode {other:#x}"),
            }
            pc += 1;
        }
    }

    fn section(audit_arch: u32, numbers: Vec<u32>, negated: bool) -> SeccompSection {
        SeccompSection {
            audit_arch,
            number_bits: 0,
            numbers,
            negated,
        }
    }

    #[test]
    fn traces_only_the_set() {
        let f = SeccompFilter {
            sections: vec![section(X86_64, vec![257, 3], false)],
        };
        let prog = f.program().unwrap();
        assert_eq!(verdict(&prog, X86_64, 257), SECCOMP_RET_TRACE);
        assert_eq!(verdict(&prog, X86_64, 3), SECCOMP_RET_TRACE);
        assert_eq!(verdict(&prog, X86_64, 110), SECCOMP_RET_ALLOW);
        // A personality without a section stops on everything.
        assert_eq!(verdict(&prog, I386, 110), SECCOMP_RET_TRACE);
    }

    #[test]
    fn negated_sets_allow_the_listed() {
        let f = SeccompFilter {
            sections: vec![section(X86_64, vec![110], true)],
        };
        let prog = f.program().unwrap();
        assert_eq!(verdict(&prog, X86_64, 110), SECCOMP_RET_ALLOW);
        assert_eq!(verdict(&prog, X86_64, 0), SECCOMP_RET_TRACE);
    }

    #[test]
    fn each_personality_has_its_own_numbers() {
        // openat: 257 on x86_64, 295 on i386, 257 | bit on x32; i386 negated.
        let f = SeccompFilter {
            sections: vec![
                SeccompSection {
                    audit_arch: X86_64,
                    number_bits: X32_BIT,
                    numbers: vec![X32_BIT | 257],
                    negated: false,
                },
                section(X86_64, vec![257], false),
                section(I386, (0..295).collect(), true),
            ],
        };
        let prog = f.program().unwrap();
        assert_eq!(verdict(&prog, X86_64, X32_BIT | 257), SECCOMP_RET_TRACE);
        assert_eq!(verdict(&prog, X86_64, X32_BIT | 39), SECCOMP_RET_ALLOW);
        assert_eq!(verdict(&prog, X86_64, 257), SECCOMP_RET_TRACE);
        assert_eq!(verdict(&prog, X86_64, 39), SECCOMP_RET_ALLOW);
        assert_eq!(verdict(&prog, I386, 295), SECCOMP_RET_TRACE);
        assert_eq!(verdict(&prog, I386, 20), SECCOMP_RET_ALLOW);
        assert_eq!(verdict(&prog, 0xc000_00b7, 56), SECCOMP_RET_TRACE);
    }

    #[test]
    fn huge_sets_are_refused() {
        let f = SeccompFilter {
            sections: vec![section(1, (0..3000).collect(), false)],
        };
        assert!(f.program().is_err());
    }
}
