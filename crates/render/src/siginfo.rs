//! The `{si_signo=..., si_code=..., ...}` part of a `--- SIGxxx ---` line.

use std::io::Write;

use rtrace_plugin_api::PidKind;

use crate::escape::HexMode;
use crate::signals::write_signal_value;
use crate::token_text::{write_constant, write_pid, ConstStyle, FdPaths};

/// A siginfo as PTRACE_GETSIGINFO returns it, in the tracer's own layout.
pub struct SigInfo<'a> {
    raw: &'a [u8],
}

impl<'a> SigInfo<'a> {
    /// Wraps the raw bytes of a `siginfo_t`.
    pub fn new(raw: &'a [u8]) -> Self {
        SigInfo { raw }
    }

    fn i32_at(&self, offset: usize) -> i32 {
        self.raw
            .get(offset..offset + 4)
            .map(|b| i32::from_ne_bytes(b.try_into().unwrap()))
            .unwrap_or(0)
    }

    fn word_at(&self, offset: usize) -> u64 {
        const W: usize = std::mem::size_of::<usize>();
        self.raw
            .get(offset..offset + W)
            .map(|b| {
                let mut buf = [0u8; 8];
                buf[..W].copy_from_slice(b);
                usize::from_ne_bytes(buf[..W].try_into().unwrap()) as u64
            })
            .unwrap_or(0)
    }

    pub fn signo(&self) -> i32 {
        self.i32_at(0)
    }

    pub fn code(&self) -> i32 {
        self.i32_at(8)
    }
}

const WORD: usize = std::mem::size_of::<usize>();
/// Where the union of per-kind fields starts (after signo, errno, code and padding).
const UNION: usize = if WORD == 8 { 16 } else { 12 };
const fn align_word(n: usize) -> usize {
    n.div_ceil(WORD) * WORD
}

const SI_USER: i32 = 0;
const SI_KERNEL: i32 = 0x80;
const SI_QUEUE: i32 = -1;
const SI_TIMER: i32 = -2;
const SI_MESGQ: i32 = -3;
const SI_ASYNCIO: i32 = -4;
const SI_SIGIO: i32 = -5;
const SI_TKILL: i32 = -6;
const SI_DETHREAD: i32 = -7;
const SI_ASYNCNL: i32 = -60;

fn generic_code_name(code: i32) -> Option<&'static str> {
    Some(match code {
        SI_USER => "SI_USER",
        SI_KERNEL => "SI_KERNEL",
        SI_QUEUE => "SI_QUEUE",
        SI_TIMER => "SI_TIMER",
        SI_MESGQ => "SI_MESGQ",
        SI_ASYNCIO => "SI_ASYNCIO",
        SI_SIGIO => "SI_SIGIO",
        SI_TKILL => "SI_TKILL",
        SI_DETHREAD => "SI_DETHREAD",
        SI_ASYNCNL => "SI_ASYNCNL",
        _ => return None,
    })
}

/// The si_code names a kernel-generated signal uses, by signal (index = code - 1).
fn specific_code_names(signo: i32) -> &'static [&'static str] {
    match signo {
        libc::SIGCHLD => &rtrace_sdk::signals::CLD_CODES,
        libc::SIGSEGV => &[
            "SEGV_MAPERR",
            "SEGV_ACCERR",
            "SEGV_BNDERR",
            "SEGV_PKUERR",
            "SEGV_ACCADI",
            "SEGV_ADIDERR",
            "SEGV_ADIPERR",
            "SEGV_MTEAERR",
            "SEGV_MTESERR",
            "SEGV_CPERR",
        ],
        libc::SIGBUS => &[
            "BUS_ADRALN",
            "BUS_ADRERR",
            "BUS_OBJERR",
            "BUS_MCEERR_AR",
            "BUS_MCEERR_AO",
        ],
        libc::SIGILL => &[
            "ILL_ILLOPC",
            "ILL_ILLOPN",
            "ILL_ILLADR",
            "ILL_ILLTRP",
            "ILL_PRVOPC",
            "ILL_PRVREG",
            "ILL_COPROC",
            "ILL_BADSTK",
            "ILL_BADIADDR",
        ],
        libc::SIGFPE => &[
            "FPE_INTDIV",
            "FPE_INTOVF",
            "FPE_FLTDIV",
            "FPE_FLTOVF",
            "FPE_FLTUND",
            "FPE_FLTRES",
            "FPE_FLTINV",
            "FPE_FLTSUB",
            "FPE_FLTUNK",
            "FPE_CONDTRAP",
        ],
        libc::SIGTRAP => &[
            "TRAP_BRKPT",
            "TRAP_TRACE",
            "TRAP_BRANCH",
            "TRAP_HWBKPT",
            "TRAP_UNK",
            "TRAP_PERF",
        ],
        libc::SIGIO => &[
            "POLL_IN", "POLL_OUT", "POLL_MSG", "POLL_ERR", "POLL_PRI", "POLL_HUP",
        ],
        libc::SIGSYS => &["SYS_SECCOMP", "SYS_USER_DISPATCH"],
        _ => &[],
    }
}

/// How one siginfo field's value is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigValue {
    /// A signal number, shown by name (`SIGCHLD`).
    Signal(i32),
    /// An `si_code`, with its name when it has one (`CLD_EXITED`, `SI_USER`).
    Code {
        code: i32,
        name: Option<&'static str>,
    },
    /// A decimal number (uids, statuses).
    Int(i64),
    /// The sender's process id: `-Y` adds its command name.
    Pid(i32),
    /// `clock_t` ticks: the number, and when not zero its seconds in a comment
    /// (`1 /* 0.01 s */`), as strace 7 prints si_utime and si_stime.
    Ticks(u64),
    /// An address: `NULL` or hex.
    Pointer(u64),
    /// A number shown in hex (timer ids, audit arches).
    Hex(u32),
}

/// One `name=value` field of a siginfo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigField {
    pub name: &'static str,
    pub value: SigValue,
}

impl SigInfo<'_> {
    /// The fields strace shows for this siginfo, in its order: which ones depend on the
    /// signal and on who sent it (the kernel, a process, a timer, a queue). The text
    /// line and the JSON object are both built from this list.
    pub fn fields(&self) -> Vec<SigField> {
        let signo = self.signo();
        let code = self.code();
        let specific = specific_code_names(signo);
        let kernel_specific = code > 0 && code != SI_KERNEL && (code as usize) <= specific.len();
        let code_name = if kernel_specific {
            Some(specific[code as usize - 1])
        } else {
            generic_code_name(code)
        };
        let mut fields = Vec::with_capacity(8);
        let mut push = |name: &'static str, value: SigValue| fields.push(SigField { name, value });
        push("si_signo", SigValue::Signal(signo));
        push(
            "si_code",
            SigValue::Code {
                code,
                name: code_name,
            },
        );

        let sender = |push: &mut dyn FnMut(&'static str, SigValue)| {
            push("si_pid", SigValue::Pid(self.i32_at(UNION)));
            push(
                "si_uid",
                SigValue::Int((self.i32_at(UNION + 4) as u32).into()),
            );
        };
        let sigval = |push: &mut dyn FnMut(&'static str, SigValue), at: usize| {
            push("si_int", SigValue::Int(self.i32_at(at).into()));
            push("si_ptr", SigValue::Pointer(self.word_at(at)));
        };
        let fault = matches!(
            signo,
            libc::SIGSEGV | libc::SIGBUS | libc::SIGILL | libc::SIGFPE | libc::SIGTRAP
        );

        if kernel_specific {
            match signo {
                libc::SIGCHLD => {
                    sender(&mut push);
                    let status = self.i32_at(UNION + 8);
                    // CLD_EXITED carries an exit code; the others a signal number.
                    let status = if code == 1 {
                        SigValue::Int(status.into())
                    } else {
                        SigValue::Signal(status)
                    };
                    push("si_status", status);
                    let utime = align_word(UNION + 12);
                    push("si_utime", SigValue::Ticks(self.word_at(utime)));
                    push("si_stime", SigValue::Ticks(self.word_at(utime + WORD)));
                }
                _ if fault => push("si_addr", SigValue::Pointer(self.word_at(UNION))),
                libc::SIGIO => {
                    push("si_band", SigValue::Int(self.word_at(UNION) as i64));
                    push("si_fd", SigValue::Int(self.i32_at(UNION + WORD).into()));
                }
                libc::SIGSYS => {
                    push("si_call_addr", SigValue::Pointer(self.word_at(UNION)));
                    push(
                        "si_syscall",
                        SigValue::Int(self.i32_at(UNION + WORD).into()),
                    );
                    push(
                        "si_arch",
                        SigValue::Hex(self.i32_at(UNION + WORD + 4) as u32),
                    );
                }
                _ => {}
            }
        } else {
            match code {
                SI_USER | SI_TKILL | SI_DETHREAD => sender(&mut push),
                SI_QUEUE | SI_MESGQ | SI_ASYNCIO | SI_ASYNCNL => {
                    sender(&mut push);
                    sigval(&mut push, align_word(UNION + 8));
                }
                SI_TIMER => {
                    push("si_timerid", SigValue::Hex(self.i32_at(UNION) as u32));
                    push("si_overrun", SigValue::Int(self.i32_at(UNION + 4).into()));
                    sigval(&mut push, align_word(UNION + 8));
                }
                SI_KERNEL if fault => push("si_addr", SigValue::Pointer(self.word_at(UNION))),
                _ => {}
            }
        }
        fields
    }
}

/// Appends `{si_signo=SIGCHLD, si_code=CLD_EXITED, ...}` for a siginfo; `pids` names
/// the sender under `-Y`; `consts` is `-X` (`{si_signo=17, si_code=0x1, ...}` raw).
pub fn write_siginfo(
    out: &mut Vec<u8>,
    info: &SigInfo<'_>,
    pids: &dyn FdPaths,
    hex: HexMode,
    consts: ConstStyle,
) {
    out.push(b'{');
    for (i, field) in info.fields().iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b", ");
        }
        out.extend_from_slice(field.name.as_bytes());
        out.push(b'=');
        match field.value {
            SigValue::Signal(sig) => write_signal_value(out, sig, consts),
            // strace prints si_code as its other constants: hex under -X raw.
            SigValue::Code {
                code,
                name: Some(name),
            } => write_constant(out, name, (code as u32).into(), true, consts),
            SigValue::Code { code, name: None } => {
                let _ = write!(out, "{code}");
            }
            SigValue::Int(v) => {
                let _ = write!(out, "{v}");
            }
            SigValue::Pid(pid) => write_pid(out, pid.into(), PidKind::Tgid, pids, hex),
            SigValue::Ticks(0) => out.push(b'0'),
            SigValue::Ticks(v) => {
                let hz = rtrace_sdk::signals::USER_HZ;
                let _ = write!(out, "{v} /* {}.{:02} s */", v / hz, v % hz);
            }
            SigValue::Pointer(ptr) => write_pointer(out, ptr),
            // C's `%#x`, as strace prints these: zero is a bare `0`.
            SigValue::Hex(0) => out.push(b'0'),
            SigValue::Hex(v) => {
                let _ = write!(out, "{v:#x}");
            }
        }
    }
    out.push(b'}');
}

fn write_pointer(out: &mut Vec<u8>, ptr: u64) {
    if ptr == 0 {
        out.extend_from_slice(b"NULL");
    } else {
        let _ = write!(out, "{ptr:#x}");
    }
}

#[cfg(all(test, target_pointer_width = "64"))]
mod tests {
    use super::*;

    fn raw(fields: &[(usize, &[u8])]) -> [u8; 128] {
        let mut buf = [0u8; 128];
        for (at, bytes) in fields {
            buf[*at..*at + bytes.len()].copy_from_slice(bytes);
        }
        buf
    }

    fn render(buf: &[u8]) -> String {
        let mut out = Vec::new();
        write_siginfo(
            &mut out,
            &SigInfo::new(buf),
            &crate::NoFdPaths,
            HexMode::None,
            ConstStyle::Abbrev,
        );
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn child_exited() {
        let buf = raw(&[
            (0, &17i32.to_ne_bytes()),
            (8, &1i32.to_ne_bytes()),
            (16, &4413i32.to_ne_bytes()),
            (24, &3i32.to_ne_bytes()),
        ]);
        assert_eq!(
            render(&buf),
            "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=4413, si_uid=0, si_status=3, si_utime=0, si_stime=0}"
        );
    }

    /// strace 7 follows a non-zero tick count with its seconds (USER_HZ ticks a second).
    #[test]
    fn child_cpu_ticks_show_their_seconds() {
        let buf = raw(&[
            (0, &17i32.to_ne_bytes()),
            (8, &1i32.to_ne_bytes()),
            (16, &4413i32.to_ne_bytes()),
            (24, &3i32.to_ne_bytes()),
            (32, &1u64.to_ne_bytes()),
            (40, &250u64.to_ne_bytes()),
        ]);
        assert!(
            render(&buf).ends_with("si_utime=1 /* 0.01 s */, si_stime=250 /* 2.50 s */}"),
            "{}",
            render(&buf)
        );
    }

    #[test]
    fn child_killed_names_the_signal() {
        let buf = raw(&[
            (0, &17i32.to_ne_bytes()),
            (8, &2i32.to_ne_bytes()),
            (24, &15i32.to_ne_bytes()),
        ]);
        assert!(render(&buf).contains("si_code=CLD_KILLED, si_pid=0, si_uid=0, si_status=SIGTERM,"));
    }

    #[test]
    fn user_and_fault_and_queue() {
        let user = raw(&[(0, &15i32.to_ne_bytes()), (16, &6185i32.to_ne_bytes())]);
        assert_eq!(
            render(&user),
            "{si_signo=SIGTERM, si_code=SI_USER, si_pid=6185, si_uid=0}"
        );
        let fault = raw(&[
            (0, &11i32.to_ne_bytes()),
            (8, &1i32.to_ne_bytes()),
            (16, &0x10u64.to_ne_bytes()),
        ]);
        assert_eq!(
            render(&fault),
            "{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10}"
        );
        let kernel = raw(&[(0, &11i32.to_ne_bytes()), (8, &0x80i32.to_ne_bytes())]);
        assert_eq!(
            render(&kernel),
            "{si_signo=SIGSEGV, si_code=SI_KERNEL, si_addr=NULL}"
        );
        let queue = raw(&[
            (0, &10i32.to_ne_bytes()),
            (8, &(-1i32).to_ne_bytes()),
            (16, &7i32.to_ne_bytes()),
            (24, &42u64.to_ne_bytes()),
        ]);
        assert_eq!(
            render(&queue),
            "{si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=7, si_uid=0, si_int=42, si_ptr=0x2a}"
        );
    }
}
