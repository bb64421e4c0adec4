//! Removing from trace lines what differs between two runs of the same program: pids,
//! addresses (ASLR), the environment's size, random bytes, times, column padding, and
//! paths of per-run temporary directories.

use std::sync::OnceLock;

use regex::Regex;

/// Syscalls whose return value is a pid or tid (or 0 for "none").
const PID_RETURNING: &str =
    "getpid|getppid|gettid|fork|vfork|clone|clone3|wait4|waitid|set_tid_address|getpgrp|getpgid|getsid|setsid";

/// Syscalls whose first argument is a pid or tid.
const PID_FIRST_ARGUMENT: &str =
    "kill|tkill|tgkill|pidfd_open|getpgid|setpgid|getsid|sched_getaffinity|sched_setaffinity|prlimit64|ptrace";

/// Each rule rewrites every match of its pattern, in this order; `{PID_RETURNING}` and
/// `{PID_FIRST_ARGUMENT}` stand for the lists above.
/// Numbers may be decimal or hex: the raw form (`-e raw=all`) prints everything in hex.
const RULES: &[(&str, &str)] = &[
    // Column padding before ` = `: the last `)` followed by spaces and `= `.
    (r"^(.*\)) +(= )", "$1 $2"),
    // `-t`, `-tt`, `-ttt`, `-r` prefixes and the `-T` suffix.
    (r"^\d\d:\d\d:\d\d(?:\.\d+)? ", "TIME "),
    (r"^\d{9,}\.\d+ ", "TIME "),
    (r"^\(\+ *\d+\.\d+\) ", "(+RELTIME) "),
    (r" <\d+\.\d+>$", " <DURATION>"),
    // Pids in the places they occur.
    (
        r"^((?:{PID_RETURNING})\(.*\) = )(?:0x[0-9a-f]+|\d+)",
        "${1}PID",
    ),
    (
        r"^((?:{PID_FIRST_ARGUMENT})\()(?:0x[0-9a-f]+|\d+)",
        "${1}PID",
    ),
    (r"^(tgkill\(PID, )(?:0x[0-9a-f]+|\d+)", "${1}PID"),
    (r"si_pid=\d+", "si_pid=PID"),
    (r"^\[ Process PID=\d+ ", "[ Process PID=PID "),
    (r"(parent_tid|child_tid)=\[\d+\]", "$1=[PID]"),
    (
        r"superseded by execve in pid \d+",
        "superseded by execve in pid PID",
    ),
    // CPU times in SIGCHLD's siginfo.
    // (with strace 7's `/* 0.01 s */` after a non-zero count, so present or not by run).
    (
        r"si_utime=\d+(?: /\* \d+\.\d+ s \*/)?, si_stime=\d+(?: /\* \d+\.\d+ s \*/)?",
        "si_utime=T, si_stime=T",
    ),
    // Addresses: user-space pointers have 12 hex digits on x86_64 (0x55.., 0x7f..);
    // nine or more digits catches them and leaves sizes, offsets and flags alone.
    (r"\b0x[0-9a-f]{9,}\b", "0xADDR"),
    // execve's environment pointer, whatever its width: in the traced command's first
    // execve it points into the tracer's own memory (each tracer builds that array its
    // own way), and a 32-bit address has too few digits for the rule above.
    (r"0x[0-9a-f]+ (/\* \d+ vars \*/)", "0xADDR $1"),
    // The environment's size, and getrandom's bytes.
    (r"/\* \d+ vars \*/", "/* N vars */"),
    (r#""(?:\\x[0-9a-f]{2})+"(\.\.\.)?"#, r#""RANDOM""#),
];

fn rules() -> &'static [(Regex, &'static str)] {
    static COMPILED: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    COMPILED.get_or_init(|| {
        RULES
            .iter()
            .map(|(pattern, replacement)| {
                let pattern = pattern
                    .replace("{PID_RETURNING}", PID_RETURNING)
                    .replace("{PID_FIRST_ARGUMENT}", PID_FIRST_ARGUMENT);
                let regex = Regex::new(&pattern)
                    .unwrap_or_else(|e| panic!("bad normalisation rule {pattern}: {e}"));
                (regex, *replacement)
            })
            .collect()
    })
}

/// Normalises lines; `literals` are per-run strings (a temporary directory) replaced by
/// a stable name first, so that two runs in two directories compare equal.
#[derive(Debug, Default, Clone)]
pub struct Normaliser {
    literals: Vec<(String, String)>,
    /// Also rewrite 32-bit addresses (see [`Normaliser::with_32_bit_addresses`]).
    short_addresses: bool,
}

/// A 32-bit personality's user-space addresses (brk, mmap, stack, TLS: all moved by ASLR)
/// have seven or eight hex digits (0x8c65000, 0xffaa6628), below the nine-digit rule.
const SHORT_ADDRESS: &str = r"\b0x[0-9a-f]{7,8}\b";

fn short_address() -> &'static Regex {
    static COMPILED: OnceLock<Regex> = OnceLock::new();
    COMPILED.get_or_init(|| Regex::new(SHORT_ADDRESS).expect("a valid pattern"))
}

impl Normaliser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces every occurrence of `text` by `name` before the rules run.
    pub fn replacing(mut self, text: impl Into<String>, name: impl Into<String>) -> Self {
        self.literals.push((text.into(), name.into()));
        self
    }

    /// For traces of 32-bit programs: seven- and eight-digit hex numbers are addresses
    /// that ASLR moves, so they become `0xADDR` too. Not for 64-bit traces, where such
    /// numbers are flags and sizes that must compare.
    pub fn with_32_bit_addresses(mut self) -> Self {
        self.short_addresses = true;
        self
    }

    pub fn line(&self, line: &str) -> String {
        let mut out = line.to_owned();
        for (text, name) in &self.literals {
            if !text.is_empty() {
                out = out.replace(text.as_str(), name);
            }
        }
        for (regex, replacement) in rules() {
            if let std::borrow::Cow::Owned(changed) = regex.replace_all(&out, *replacement) {
                out = changed;
            }
        }
        if self.short_addresses {
            if let std::borrow::Cow::Owned(changed) = short_address().replace_all(&out, "0xADDR") {
                out = changed;
            }
        }
        out
    }

    pub fn lines<S: AsRef<str>>(&self, lines: &[S]) -> Vec<String> {
        lines.iter().map(|l| self.line(l.as_ref())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(line: &str) -> String {
        Normaliser::new().line(line)
    }

    #[test]
    fn short_addresses_only_when_asked() {
        let line = "brk(0x8c89880) = 0x8c89880";
        assert_eq!(norm(line), line);
        assert_eq!(
            Normaliser::new().with_32_bit_addresses().line(line),
            "brk(0xADDR) = 0xADDR"
        );
        // Six digits stay: sizes and flags.
        assert_eq!(
            Normaliser::new()
                .with_32_bit_addresses()
                .line("x(0x100000) = 0"),
            "x(0x100000) = 0"
        );
    }

    #[test]
    fn padding_addresses_and_pids() {
        assert_eq!(
            norm("brk(NULL)                               = 0x563e83a3b000"),
            "brk(NULL) = 0xADDR"
        );
        assert_eq!(norm("getpid()                = 4691"), "getpid() = PID");
        assert_eq!(norm("getppid() = 0x1253"), "getppid() = PID");
        assert_eq!(
            norm("kill(4727, SIGTERM)                     = 0"),
            "kill(PID, SIGTERM) = 0"
        );
        assert_eq!(
            norm("mmap(0x7f46d6f22000, 1400832, PROT_READ, MAP_PRIVATE, 3, 0x26000) = 0x7f46d6f22000"),
            "mmap(0xADDR, 1400832, PROT_READ, MAP_PRIVATE, 3, 0x26000) = 0xADDR"
        );
    }

    #[test]
    fn signals_env_random_and_times() {
        assert_eq!(
            norm("--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=4413, si_uid=0, si_status=0, si_utime=3, si_stime=1} ---"),
            "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=PID, si_uid=0, si_status=0, si_utime=T, si_stime=T} ---"
        );
        assert_eq!(
            norm(r#"execve("/bin/true", ["/bin/true"], 0x7ffeb8ef55a0 /* 35 vars */) = 0"#),
            r#"execve("/bin/true", ["/bin/true"], 0xADDR /* N vars */) = 0"#
        );
        assert_eq!(
            norm(r#"getrandom("\x84\x97\xeb\x37", 4, GRND_NONBLOCK) = 4"#),
            r#"getrandom("RANDOM", 4, GRND_NONBLOCK) = 4"#
        );
        assert_eq!(
            norm("02:45:30.292241 close(3) = 0 <0.000016>"),
            "TIME close(3) = 0 <DURATION>"
        );
    }

    #[test]
    fn environment_pointers_of_any_width() {
        assert_eq!(
            norm(r#"execve("/bin/x", ["/bin/x"], 0xbefffe4c /* 3 vars */) = 0"#),
            r#"execve("/bin/x", ["/bin/x"], 0xADDR /* N vars */) = 0"#
        );
        assert_eq!(
            norm(r#"execve("/bin/x", ["/bin/x"], 0x5a1c08 /* 3 vars */) = 0"#),
            r#"execve("/bin/x", ["/bin/x"], 0xADDR /* N vars */) = 0"#
        );
    }

    #[test]
    fn leaves_ordinary_values_alone() {
        let line = r#"read(3, "\177ELF\2\1", 832) = 832"#;
        assert_eq!(norm(line), line);
        assert_eq!(
            norm("close(1000) = -1 EBADF (Bad file descriptor)"),
            "close(1000) = -1 EBADF (Bad file descriptor)"
        );
    }

    #[test]
    fn replaces_literals() {
        let n = Normaliser::new().replacing("/tmp/.tmpAbC", "$TMP");
        assert_eq!(
            n.line(r#"unlink("/tmp/.tmpAbC/f") = 0"#),
            r#"unlink("$TMP/f") = 0"#
        );
    }
}
