//! `-e` expressions: which syscalls, signals and results are shown, and how.
//!
//! A syscall set is resolved by name, so one set serves every architecture.

use std::collections::HashSet;

use rtrace_render::signals::signal_by_name;

use crate::tamper;

/// strace's syscall classes, by the letters of `data/syscall-classes.tsv`.
const CLASS_TABLE: &str = include_str!("../data/syscall-classes.tsv");

/// `%name` → the flag letters that put a syscall in that class.
const CLASSES: &[(&str, &[&str])] = &[
    ("file", &["TF"]),
    ("desc", &["TD"]),
    ("process", &["TP"]),
    ("network", &["TN"]),
    ("net", &["TN"]),
    ("signal", &["TS"]),
    ("ipc", &["TI"]),
    ("memory", &["TM"]),
    ("creds", &["TC"]),
    ("clock", &["TCL"]),
    ("pure", &["PU"]),
    ("stat", &["TST"]),
    ("lstat", &["TLST"]),
    ("fstat", &["TFST"]),
    ("%stat", &["TSTA"]),
    ("statfs", &["TSF"]),
    ("fstatfs", &["TFSF"]),
    ("%statfs", &["TSFA"]),
];

/// The syscalls in a class, from the class table.
fn class_members<'a>(letters: &'a [&'a str]) -> impl Iterator<Item = &'static str> + 'a {
    CLASS_TABLE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(move |line| {
            let (name, flags) = line.split_once('\t')?;
            flags
                .split('|')
                .any(|f| letters.contains(&f))
                .then_some(name)
        })
}

/// The family a syscall is drawn in by `--timeline` (its colour), from the class table:
/// the first of these classes it belongs to, or `other`.
pub fn syscall_family(name: &str) -> &'static str {
    const FAMILIES: &[(&str, &str)] = &[
        ("TP", "process"),
        ("TN", "network"),
        ("TS", "signal"),
        ("TI", "ipc"),
        ("TM", "memory"),
        ("TF", "file"),
        ("TD", "desc"),
        ("TC", "creds"),
        ("TCL", "clock"),
    ];
    static BY_NAME: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    let by_name = BY_NAME.get_or_init(|| {
        CLASS_TABLE
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|line| {
                let (name, flags) = line.split_once('\t')?;
                let family = FAMILIES
                    .iter()
                    .find(|(letters, _)| flags.split('|').any(|f| f == *letters))?;
                Some((name, family.1))
            })
            .collect()
    });
    by_name.get(name).copied().unwrap_or("other")
}

/// A set of syscalls: everything, or these names, possibly negated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyscallSet {
    names: HashSet<String>,
    /// The set is "everything except `names`".
    negated: bool,
}

impl SyscallSet {
    pub fn all() -> Self {
        SyscallSet {
            names: HashSet::new(),
            negated: true,
        }
    }

    pub fn none() -> Self {
        SyscallSet {
            names: HashSet::new(),
            negated: false,
        }
    }

    /// Whether a syscall is in the set; `None` is a number no table names, which only
    /// an "everything (except ...)" set contains.
    pub fn contains(&self, name: Option<&str>) -> bool {
        match name {
            Some(name) => self.names.contains(name) != self.negated,
            None => self.negated,
        }
    }

    /// Parses `[!]item[,item...]` where an item is a name, `%class`, `/regex`, `all`,
    /// `none`, and `?` before an item tolerates it matching nothing. `known` lists every
    /// syscall name of every architecture.
    pub fn parse(spec: &str, known: &[&'static str]) -> Result<Self, String> {
        let (negated, body) = match spec.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, spec),
        };
        let mut names = HashSet::new();
        let mut everything = false;
        for raw in body.split(',') {
            let (optional, item) = match raw.strip_prefix('?') {
                Some(rest) => (true, rest),
                None => (false, raw),
            };
            let before = names.len();
            match item {
                "all" => everything = true,
                "none" => {}
                "" => return Err(format!("invalid system call '{raw}'")),
                _ if item.starts_with('/') => {
                    let re = regex::Regex::new(&item[1..]).map_err(|e| {
                        format!(
                            "invalid regular expression '{}': {}",
                            &item[1..],
                            regex_reason(&e.to_string())
                        )
                    })?;
                    names.extend(
                        known
                            .iter()
                            .filter(|n| re.is_match(n))
                            .map(|n| n.to_string()),
                    );
                }
                _ if item.starts_with('%') => {
                    let class = &item[1..];
                    let Some((_, letters)) = CLASSES.iter().find(|(c, _)| *c == class) else {
                        if optional {
                            continue;
                        }
                        return Err(format!("invalid system call '{item}'"));
                    };
                    names.extend(
                        class_members(letters)
                            .filter(|n| known.contains(n))
                            .map(str::to_string),
                    );
                }
                _ => {
                    if known.contains(&item) {
                        names.insert(item.to_string());
                    } else if !optional {
                        return Err(format!("invalid system call '{item}'"));
                    }
                }
            }
            if names.len() == before && optional {
                continue;
            }
        }
        let set = if everything {
            SyscallSet::all()
        } else {
            SyscallSet {
                names,
                negated: false,
            }
        };
        Ok(if negated { set.complement() } else { set })
    }

    /// The syscall numbers of `table` in the set, as a seccomp filter wants them: the
    /// shorter of the set and its complement, and whether it is the complement.
    pub fn numbers_in(&self, table: &rtrace_arch::SyscallTable) -> (Vec<u32>, bool) {
        let (inside, outside): (
            Vec<&rtrace_arch::SyscallDesc>,
            Vec<&rtrace_arch::SyscallDesc>,
        ) = table
            .entries
            .iter()
            .partition(|d| self.contains(Some(d.name)));
        if inside.len() <= outside.len() && !self.negated {
            (inside.iter().map(|d| d.number).collect(), false)
        } else {
            (outside.iter().map(|d| d.number).collect(), true)
        }
    }

    fn complement(self) -> Self {
        SyscallSet {
            names: self.names,
            negated: !self.negated,
        }
    }
}

/// The regex crate's message is several lines (`regex parse error:`, the pattern, a caret,
/// then `error: REASON`); the reason, on its last line, is what fits on one.
fn regex_reason(s: &str) -> &str {
    let last = s
        .lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim();
    last.strip_prefix("error: ").unwrap_or(last)
}

/// A set of signals, 1..=64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignalSet(u128);

impl SignalSet {
    pub fn all() -> Self {
        SignalSet(!0)
    }

    pub fn contains(&self, sig: i32) -> bool {
        (0..128).contains(&sig) && self.0 & (1u128 << sig) != 0
    }

    pub fn parse(spec: &str) -> Result<Self, String> {
        let (negated, body) = match spec.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, spec),
        };
        let mut bits = 0u128;
        for item in body.split(',') {
            match item {
                "all" => bits = !0,
                "none" => {}
                _ => {
                    let sig =
                        signal_by_name(item).ok_or_else(|| format!("invalid signal '{item}'"))?;
                    bits |= 1u128 << sig;
                }
            }
        }
        Ok(SignalSet(if negated { !bits } else { bits }))
    }
}

/// `-e status=`: which results are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusSet {
    pub successful: bool,
    pub failed: bool,
    /// Calls that never returned (`= ?`).
    pub unfinished: bool,
    /// Calls whose result could not be had (rtrace always has it when it saw the exit).
    pub unavailable: bool,
    /// Calls in progress when rtrace detached.
    pub detached: bool,
}

impl StatusSet {
    pub fn all() -> Self {
        StatusSet {
            successful: true,
            failed: true,
            unfinished: true,
            unavailable: true,
            detached: true,
        }
    }

    pub fn is_all(&self) -> bool {
        *self == Self::all()
    }

    pub fn parse(spec: &str) -> Result<Self, String> {
        let (negated, body) = match spec.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, spec),
        };
        let mut set = StatusSet {
            successful: false,
            failed: false,
            unfinished: false,
            unavailable: false,
            detached: false,
        };
        for item in body.split(',') {
            match item {
                "all" => set = Self::all(),
                "none" => {}
                "successful" => set.successful = true,
                "failed" => set.failed = true,
                "unfinished" => set.unfinished = true,
                "unavailable" => set.unavailable = true,
                "detached" => set.detached = true,
                _ => return Err(format!("invalid status '{item}'")),
            }
        }
        if negated {
            set = StatusSet {
                successful: !set.successful,
                failed: !set.failed,
                unfinished: !set.unfinished,
                unavailable: !set.unavailable,
                detached: !set.detached,
            };
        }
        Ok(set)
    }
}

/// A set of file descriptors (`--trace-fds=3,4`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FdSet {
    pub fds: HashSet<i32>,
    pub negated: bool,
}

impl FdSet {
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (negated, body) = match spec.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, spec),
        };
        let mut fds = HashSet::new();
        for item in body.split(',') {
            match item.parse::<i32>() {
                Ok(fd) if fd >= 0 => {
                    fds.insert(fd);
                }
                _ => return Err(format!("invalid descriptor '{item}'")),
            }
        }
        Ok(FdSet { fds, negated })
    }

    pub fn contains(&self, fd: i32) -> bool {
        self.fds.contains(&fd) != self.negated
    }
}

/// Everything `-e` (and its shorthands) can say.
#[derive(Debug, Clone)]
pub struct Filters {
    pub trace: SyscallSet,
    pub raw: SyscallSet,
    pub abbrev: SyscallSet,
    pub verbose: SyscallSet,
    pub signals: SignalSet,
    pub status: StatusSet,
    pub trace_fds: Option<FdSet>,
    /// `-P`: paths whose syscalls are shown, as given and resolved.
    pub trace_paths: Vec<Vec<u8>>,
    /// `-e inject=`, `-e fault=`, in order (for a call in several sets, the last).
    pub tamper: Vec<tamper::rules::Rule>,
    /// `-Y` / `decode-pids=comm`: command names after pids.
    pub decode_pid_comm: bool,
}

impl Filters {
    /// The defaults: everything traced, abbreviated (nothing with `-v`), dereferenced.
    pub fn new(no_abbrev: bool) -> Self {
        Filters {
            trace: SyscallSet::all(),
            raw: SyscallSet::none(),
            abbrev: if no_abbrev {
                SyscallSet::none()
            } else {
                SyscallSet::all()
            },
            verbose: SyscallSet::all(),
            signals: SignalSet::all(),
            status: StatusSet::all(),
            trace_fds: None,
            trace_paths: Vec::new(),
            tamper: Vec::new(),
            decode_pid_comm: false,
        }
    }

    /// Whether `-P` or `--trace-fds` choose calls by their arguments, which must then be
    /// decoded even when nothing is printed (`-c`).
    pub fn selects_by_arguments(&self) -> bool {
        !self.trace_paths.is_empty() || self.trace_fds.is_some()
    }

    /// `-e decode-pids=LIST` (and `-Y`, `--decode-pids`, `--pidns-translation`): `comm`
    /// turns on the command names; `pidns` is refused, as rtrace does not translate pids
    /// between pid namespaces.
    fn apply_decode_pids(&mut self, value: &str) -> Result<(), String> {
        let mut comm = false;
        for word in value.split(',') {
            match word {
                "comm" | "all" => comm = true,
                "none" => comm = false,
                "pidns" => {
                    return Err(
                        "--decode-pids=pidns (--pidns-translation) is not supported: \
                                rtrace does not translate pids between pid namespaces"
                            .into(),
                    )
                }
                _ => return Err(format!("invalid decode-pids '{word}'")),
            }
        }
        self.decode_pid_comm = comm;
        Ok(())
    }

    /// Applies one `-e [QUALIFIER=]VALUE`.
    pub fn apply(&mut self, expr: &str, known: &[&'static str]) -> Result<(), String> {
        let (qualifier, value) = match expr.split_once('=') {
            Some((q, v))
                if !q.is_empty() && q.chars().all(|c| c.is_ascii_alphabetic() || c == '-') =>
            {
                (q, v)
            }
            _ => ("trace", expr),
        };
        match qualifier {
            "trace" | "t" => self.trace = SyscallSet::parse(value, known)?,
            "raw" | "x" => self.raw = SyscallSet::parse(value, known)?,
            "abbrev" | "a" => self.abbrev = SyscallSet::parse(value, known)?,
            "verbose" | "v" => self.verbose = SyscallSet::parse(value, known)?,
            "signal" | "signals" | "s" => self.signals = SignalSet::parse(value)?,
            "status" => self.status = StatusSet::parse(value)?,
            "trace-fds" | "trace-fd" | "fd" | "fds" => self.trace_fds = Some(FdSet::parse(value)?),
            "inject" | "fault" => {
                let kind = match qualifier {
                    "inject" => tamper::rules::Kind::Inject,
                    _ => tamper::rules::Kind::Fault,
                };
                let pure = SyscallSet::parse("%pure", known)?;
                let (rule, warnings) = tamper::rules::parse(value, kind, known, &pure)?;
                for warning in warnings {
                    crate::say(format_args!("{warning}"));
                }
                self.tamper.push(rule);
            }
            "decode-pids" | "decode-pid" => self.apply_decode_pids(value)?,
            "read" | "r" | "write" | "w" | "quiet" | "silent" | "silence" | "q" | "kvm"
            | "decode-fds" | "decode-fd" => {
                return Err(format!("-e {qualifier}= is not supported by rtrace"))
            }
            _ => return Err(format!("invalid -e qualifier '{qualifier}'")),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &[
        "open",
        "openat",
        "close",
        "read",
        "write",
        "stat",
        "fstat",
        "newfstatat",
        "getpid",
    ];

    #[test]
    fn names_classes_regex_and_negation() {
        let s = SyscallSet::parse("open,close", KNOWN).unwrap();
        assert!(s.contains(Some("open")) && !s.contains(Some("read")) && !s.contains(None));
        let s = SyscallSet::parse("%file", KNOWN).unwrap();
        assert!(
            s.contains(Some("openat")) && s.contains(Some("stat")) && !s.contains(Some("read"))
        );
        let s = SyscallSet::parse("/^open", KNOWN).unwrap();
        assert!(
            s.contains(Some("open")) && s.contains(Some("openat")) && !s.contains(Some("close"))
        );
        let s = SyscallSet::parse("!close", KNOWN).unwrap();
        assert!(!s.contains(Some("close")) && s.contains(Some("read")) && s.contains(None));
        assert_eq!(SyscallSet::parse("all", KNOWN).unwrap(), SyscallSet::all());
        assert!(!SyscallSet::parse("none", KNOWN)
            .unwrap()
            .contains(Some("read")));
        let s = SyscallSet::parse("%%stat", KNOWN).unwrap();
        assert!(s.contains(Some("fstat")) && s.contains(Some("newfstatat")));
    }

    #[test]
    fn unknown_names_are_errors_unless_tolerated() {
        assert_eq!(
            SyscallSet::parse("foo", KNOWN).unwrap_err(),
            "invalid system call 'foo'"
        );
        assert_eq!(
            SyscallSet::parse("%foo", KNOWN).unwrap_err(),
            "invalid system call '%foo'"
        );
        let s = SyscallSet::parse("?foo,close", KNOWN).unwrap();
        assert!(s.contains(Some("close")));
        assert!(SyscallSet::parse("/[", KNOWN)
            .unwrap_err()
            .starts_with("invalid regular expression '[': unclosed character class"));
    }

    #[test]
    fn qualifiers() {
        let mut f = Filters::new(false);
        f.apply("open", KNOWN).unwrap();
        assert!(f.trace.contains(Some("open")) && !f.trace.contains(Some("read")));
        f.apply("signal=!SIGCHLD,USR1", KNOWN).unwrap();
        assert!(!f.signals.contains(17) && !f.signals.contains(10) && f.signals.contains(15));
        f.apply("status=failed", KNOWN).unwrap();
        assert!(f.status.failed && !f.status.successful);
        assert_eq!(
            f.apply("signal=FOO", KNOWN).unwrap_err(),
            "invalid signal 'FOO'"
        );
        assert_eq!(
            f.apply("status=bad", KNOWN).unwrap_err(),
            "invalid status 'bad'"
        );
        assert_eq!(
            f.apply("bogus=1", KNOWN).unwrap_err(),
            "invalid -e qualifier 'bogus'"
        );
        f.apply("decode-pids=comm", KNOWN).unwrap();
        assert!(f.decode_pid_comm);
        f.apply("decode-pids=none", KNOWN).unwrap();
        assert!(!f.decode_pid_comm);
        assert!(f
            .apply("decode-pids=pidns", KNOWN)
            .unwrap_err()
            .contains("not supported"));
        assert_eq!(
            f.apply("decode-pids=bad", KNOWN).unwrap_err(),
            "invalid decode-pids 'bad'"
        );
        f.apply("inject=open:error=ENOENT", KNOWN).unwrap();
        f.apply("fault=open,close:when=2", KNOWN).unwrap();
        assert_eq!(f.tamper.len(), 2);
        assert!(f.tamper[1].set.contains(Some("close")));
        assert_eq!(
            f.apply("inject=open", KNOWN).unwrap_err(),
            "invalid inject argument 'open'"
        );
        assert!(f
            .apply("kvm=vcpu", KNOWN)
            .unwrap_err()
            .contains("not supported"));
    }

    #[test]
    fn families_come_from_the_class_table() {
        assert_eq!(syscall_family("clone"), "process");
        assert_eq!(syscall_family("mmap"), "memory");
        assert_eq!(syscall_family("openat"), "file");
        assert_eq!(syscall_family("read"), "desc");
        assert_eq!(syscall_family("connect"), "network");
        assert_eq!(syscall_family("no_such_call"), "other");
    }

    #[test]
    fn every_class_resolves_to_some_syscall() {
        for (class, letters) in CLASSES {
            assert!(class_members(letters).next().is_some(), "%{class}");
        }
    }
}
