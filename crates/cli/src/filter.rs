//! `-e` expressions: which syscalls, signals and results are shown, and how.
//!
//! A syscall set is resolved by name, so one set serves every architecture.

use std::collections::HashSet;

use rtrace_render::signals::signal_by_name;

use crate::fds::FdDetails;

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

/// strace's designator of a personality in `NAME@64`, `NAME@32`, `NAME@x32`: its mode
/// name without the ` bit`.
pub fn personality_designator(abi: &dyn rtrace_arch::RegisterAbi) -> &'static str {
    let mode = abi.mode();
    mode.strip_suffix(" bit").unwrap_or(mode)
}

/// A set of syscalls: everything, or these names, possibly negated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyscallSet {
    /// Names in every personality.
    names: HashSet<String>,
    /// Names in one personality only (`open@32`), with its designator.
    scoped: HashSet<(String, &'static str)>,
    /// The set is "everything except `names` and `scoped`".
    negated: bool,
}

impl SyscallSet {
    pub fn all() -> Self {
        SyscallSet {
            names: HashSet::new(),
            scoped: HashSet::new(),
            negated: true,
        }
    }

    pub fn none() -> Self {
        SyscallSet {
            names: HashSet::new(),
            scoped: HashSet::new(),
            negated: false,
        }
    }

    /// Whether a syscall of the personality with this designator (`64`, `32`, `x32`) is
    /// in the set; no personality: in any. `None` is a number no table names, which only
    /// an "everything (except ...)" set contains.
    pub fn contains(&self, name: Option<&str>, personality: Option<&str>) -> bool {
        let Some(name) = name else {
            return self.negated;
        };
        let listed = self.names.contains(name)
            || self
                .scoped
                .iter()
                .any(|(n, p)| n == name && personality.is_none_or(|want| want == *p));
        listed != self.negated
    }

    /// Parses `[!]item[,item...]` where an item is a name, `%class`, `/regex`, `all`,
    /// `none`, each optionally limited to a personality by `@DESIGNATOR` (one of
    /// `personalities`), and `?` before an item tolerates it matching nothing. `known`
    /// lists every syscall name of every architecture.
    pub fn parse(
        spec: &str,
        known: &[&'static str],
        personalities: &[&'static str],
    ) -> Result<Self, String> {
        let (negated, body) = match spec.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, spec),
        };
        let mut all_names = HashSet::new();
        let mut scoped = HashSet::new();
        let mut everything = false;
        for raw in body.split(',') {
            let (optional, item) = match raw.strip_prefix('?') {
                Some(rest) => (true, rest),
                None => (false, raw),
            };
            // `NAME@64`: the item for one personality only.
            let (item, personality) = match item.rsplit_once('@') {
                Some((base, designator)) => {
                    let Some(p) = personalities.iter().find(|p| **p == designator) else {
                        return Err(format!(
                            "incorrect personality designator '{designator}' in qualification '{item}'"
                        ));
                    };
                    (base, Some(*p))
                }
                None => (item, None),
            };
            let mut names = HashSet::new();
            match item {
                "all" if personality.is_some() => names.extend(known.iter().map(|n| n.to_string())),
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
            match personality {
                Some(p) => scoped.extend(names.into_iter().map(|n| (n, p))),
                None => all_names.extend(names),
            }
        }
        let set = if everything {
            SyscallSet::all()
        } else {
            SyscallSet {
                names: all_names,
                scoped,
                negated: false,
            }
        };
        Ok(if negated { set.complement() } else { set })
    }

    /// The syscall numbers of `table` (the personality `personality`'s) in the set, as a
    /// seccomp filter wants them: the shorter of the set and its complement, and whether
    /// it is the complement.
    pub fn numbers_in(
        &self,
        table: &rtrace_arch::SyscallTable,
        personality: &str,
    ) -> (Vec<u32>, bool) {
        let (inside, outside): (
            Vec<&rtrace_arch::SyscallDesc>,
            Vec<&rtrace_arch::SyscallDesc>,
        ) = table
            .entries
            .iter()
            .partition(|d| self.contains(Some(d.name), Some(personality)));
        if inside.len() <= outside.len() && !self.negated {
            (inside.iter().map(|d| d.number).collect(), false)
        } else {
            (outside.iter().map(|d| d.number).collect(), true)
        }
    }

    fn complement(self) -> Self {
        SyscallSet {
            negated: !self.negated,
            ..self
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

    /// `-e read=`/`-e write=`: as a descriptor set, with `all` and `none`.
    pub fn parse_dump(spec: &str) -> Result<Self, String> {
        let (negated, body) = match spec.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, spec),
        };
        match body {
            "all" => Ok(FdSet {
                fds: HashSet::new(),
                negated: !negated,
            }),
            "none" => Ok(FdSet {
                fds: HashSet::new(),
                negated,
            }),
            _ => {
                let mut set = FdSet::parse(body)?;
                set.negated = negated;
                Ok(set)
            }
        }
    }
}

/// `-e quiet=`: which of rtrace's informational messages are suppressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Quiet {
    /// `Process N attached` / `Process N detached`.
    pub attach: bool,
    /// `[ Process PID=N runs in 32 bit mode. ]`.
    pub personality: bool,
    /// `+++ exited with N +++`.
    pub exit: bool,
    /// `Requested path "..." resolved into "..."` (`-P` through a symlink).
    pub path_resolution: bool,
    /// `+++ superseded by execve in pid N +++`.
    pub thread_execve: bool,
}

impl Quiet {
    /// `-q` (attach, personality), `-qq` (and exit), `-qqq` (everything).
    pub fn from_count(count: u8) -> Self {
        let all = Quiet {
            attach: true,
            personality: true,
            exit: true,
            path_resolution: true,
            thread_execve: true,
        };
        match count {
            0 => Quiet::default(),
            1 => Quiet {
                attach: true,
                personality: true,
                ..Quiet::default()
            },
            2 => Quiet {
                exit: true,
                ..Quiet::from_count(1)
            },
            _ => all,
        }
    }

    pub fn parse(spec: &str) -> Result<Self, String> {
        let (negated, body) = match spec.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, spec),
        };
        let mut set = Quiet::default();
        for item in body.split(',') {
            match item {
                "all" => set = Quiet::from_count(3),
                "none" => {}
                "attach" => set.attach = true,
                "personality" => set.personality = true,
                "exit" | "exits" => set.exit = true,
                "path-resolution" => set.path_resolution = true,
                "thread-execve" | "superseded" => set.thread_execve = true,
                _ => return Err(format!("invalid quiet '{item}'")),
            }
        }
        if negated {
            set = Quiet {
                attach: !set.attach,
                personality: !set.personality,
                exit: !set.exit,
                path_resolution: !set.path_resolution,
                thread_execve: !set.thread_execve,
            };
        }
        Ok(set)
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
    /// `-e read=`: descriptors whose data read is dumped.
    pub dump_reads: Option<FdSet>,
    /// `-e write=`: descriptors whose data written is dumped.
    pub dump_writes: Option<FdSet>,
    /// `-e quiet=`, when given.
    pub quiet: Option<Quiet>,
    /// `-e decode-fds=`, when given.
    pub decode_fds: Option<FdDetails>,
    /// `-e namespace=new`: the namespaces a call entered, after its return.
    pub namespace_new: bool,
    /// The personality designators of this build (`64`, `32`, `x32`), for `NAME@64`.
    personalities: Vec<&'static str>,
    /// `-e inject=`, `-e fault=`, in order (for a call in several sets, the last).
    pub tamper: Vec<tamper::rules::Rule>,
    /// `-Y` / `decode-pids=comm`: command names after pids.
    pub decode_pid_comm: bool,
    /// `--pidns-translation` / `decode-pids=pidns`: pids of another pid namespace
    /// followed by their id in rtrace's.
    pub decode_pid_ns: bool,
    /// `-e kvm=vcpu`: KVM_RUN's result is followed by the vcpu's exit reason.
    pub kvm_vcpu: bool,
}

impl Filters {
    /// The defaults: everything traced, abbreviated (nothing with `-v`), dereferenced.
    /// `personalities`: the designators `NAME@...` may use.
    pub fn new(no_abbrev: bool, personalities: Vec<&'static str>) -> Self {
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
            dump_reads: None,
            dump_writes: None,
            quiet: None,
            decode_fds: None,
            namespace_new: false,
            personalities,
            tamper: Vec::new(),
            decode_pid_comm: false,
            decode_pid_ns: false,
            kvm_vcpu: false,
        }
    }

    /// Whether `-P` or `--trace-fds` choose calls by their arguments, which must then be
    /// decoded even when nothing is printed (`-c`).
    pub fn selects_by_arguments(&self) -> bool {
        !self.trace_paths.is_empty() || self.trace_fds.is_some()
    }

    /// `-e decode-pids=LIST` (and `-Y`, `--decode-pids`, `--pidns-translation`): `comm`
    /// turns on the command names, `pidns` the translation between pid namespaces. As
    /// strace's, each use replaces the set the ones before chose.
    fn apply_decode_pids(&mut self, value: &str) -> Result<(), String> {
        let (mut comm, mut pidns) = (false, false);
        for word in value.split(',') {
            match word {
                "comm" => comm = true,
                "pidns" => pidns = true,
                "all" => (comm, pidns) = (true, true),
                "none" => (comm, pidns) = (false, false),
                _ => return Err(format!("invalid decode-pids '{word}'")),
            }
        }
        self.decode_pid_comm = comm;
        self.decode_pid_ns = pidns;
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
        let syscalls = |value: &str| SyscallSet::parse(value, known, &self.personalities);
        match qualifier {
            "trace" | "t" => self.trace = syscalls(value)?,
            "raw" | "x" => self.raw = syscalls(value)?,
            "abbrev" | "a" => self.abbrev = syscalls(value)?,
            "verbose" | "v" => self.verbose = syscalls(value)?,
            "signal" | "signals" | "s" => self.signals = SignalSet::parse(value)?,
            "status" => self.status = StatusSet::parse(value)?,
            "trace-fds" | "trace-fd" | "fd" | "fds" => self.trace_fds = Some(FdSet::parse(value)?),
            "read" | "reads" | "r" => self.dump_reads = Some(FdSet::parse_dump(value)?),
            "write" | "writes" | "w" => self.dump_writes = Some(FdSet::parse_dump(value)?),
            "quiet" | "silent" | "silence" | "q" => self.quiet = Some(Quiet::parse(value)?),
            "decode-fds" | "decode-fd" => self.decode_fds = Some(FdDetails::parse(value)?),
            "decode-pids" | "decode-pid" => self.apply_decode_pids(value)?,
            "namespace" => match value {
                "new" => self.namespace_new = true,
                _ => return Err(format!("invalid -e namespace= argument: '{value}'")),
            },
            "kvm" => match value {
                "vcpu" => self.kvm_vcpu = true,
                // strace 7.2's vcpu+ prints the whole kvm_run after the line.
                "vcpu+" => {
                    return Err(
                        "-e kvm=vcpu+ is not supported by rtrace (the kvm_run structure \
                         after KVM_RUN); -e kvm=vcpu prints the exit reason"
                            .into(),
                    )
                }
                _ => return Err(format!("invalid -e kvm= argument: '{value}'")),
            },
            "inject" | "fault" => {
                let kind = match qualifier {
                    "inject" => tamper::rules::Kind::Inject,
                    _ => tamper::rules::Kind::Fault,
                };
                let pure = SyscallSet::parse("%pure", known, &self.personalities)?;
                let (rule, warnings) =
                    tamper::rules::parse(value, kind, known, &self.personalities, &pure)?;
                for warning in warnings {
                    crate::say(format_args!("{warning}"));
                }
                self.tamper.push(rule);
            }
            _ => return Err(format!("invalid -e qualifier '{qualifier}'")),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PERS: &[&str] = &["64", "32", "x32"];

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
        let s = SyscallSet::parse("open,close", KNOWN, PERS).unwrap();
        assert!(
            s.contains(Some("open"), None)
                && !s.contains(Some("read"), None)
                && !s.contains(None, None)
        );
        let s = SyscallSet::parse("%file", KNOWN, PERS).unwrap();
        assert!(
            s.contains(Some("openat"), None)
                && s.contains(Some("stat"), None)
                && !s.contains(Some("read"), None)
        );
        let s = SyscallSet::parse("/^open", KNOWN, PERS).unwrap();
        assert!(
            s.contains(Some("open"), None)
                && s.contains(Some("openat"), None)
                && !s.contains(Some("close"), None)
        );
        let s = SyscallSet::parse("!close", KNOWN, PERS).unwrap();
        assert!(
            !s.contains(Some("close"), None)
                && s.contains(Some("read"), None)
                && s.contains(None, None)
        );
        assert_eq!(
            SyscallSet::parse("all", KNOWN, PERS).unwrap(),
            SyscallSet::all()
        );
        assert!(!SyscallSet::parse("none", KNOWN, PERS)
            .unwrap()
            .contains(Some("read"), None));
        let s = SyscallSet::parse("%%stat", KNOWN, PERS).unwrap();
        assert!(s.contains(Some("fstat"), None) && s.contains(Some("newfstatat"), None));
    }

    #[test]
    fn personality_designators_limit_an_item() {
        let s = SyscallSet::parse("open@32,close", KNOWN, PERS).unwrap();
        assert!(s.contains(Some("open"), Some("32")) && !s.contains(Some("open"), Some("64")));
        assert!(s.contains(Some("close"), Some("64")) && s.contains(Some("close"), Some("x32")));
        let s = SyscallSet::parse("!/^open@64", KNOWN, PERS).unwrap();
        assert!(!s.contains(Some("openat"), Some("64")) && s.contains(Some("openat"), Some("32")));
        let s = SyscallSet::parse("all@x32", KNOWN, PERS).unwrap();
        assert!(s.contains(Some("read"), Some("x32")) && !s.contains(Some("read"), Some("64")));
        assert_eq!(
            SyscallSet::parse("open@16", KNOWN, PERS).unwrap_err(),
            "incorrect personality designator '16' in qualification 'open@16'"
        );
    }

    #[test]
    fn quiet_sets() {
        assert_eq!(
            Quiet::parse("attach,personality").unwrap(),
            Quiet::from_count(1)
        );
        assert_eq!(Quiet::parse("all").unwrap(), Quiet::from_count(3));
        let q = Quiet::parse("!exit").unwrap();
        assert!(q.attach && q.thread_execve && !q.exit);
        assert!(Quiet::parse("superseded").unwrap().thread_execve);
        assert_eq!(Quiet::parse("bogus").unwrap_err(), "invalid quiet 'bogus'");
    }

    #[test]
    fn dump_sets() {
        let all = FdSet::parse_dump("all").unwrap();
        assert!(all.contains(0) && all.contains(99));
        let some = FdSet::parse_dump("1,3").unwrap();
        assert!(some.contains(3) && !some.contains(2));
        assert!(!FdSet::parse_dump("!1").unwrap().contains(1));
        assert!(FdSet::parse_dump("x").is_err());
    }

    #[test]
    fn unknown_names_are_errors_unless_tolerated() {
        assert_eq!(
            SyscallSet::parse("foo", KNOWN, PERS).unwrap_err(),
            "invalid system call 'foo'"
        );
        assert_eq!(
            SyscallSet::parse("%foo", KNOWN, PERS).unwrap_err(),
            "invalid system call '%foo'"
        );
        let s = SyscallSet::parse("?foo,close", KNOWN, PERS).unwrap();
        assert!(s.contains(Some("close"), None));
        assert!(SyscallSet::parse("/[", KNOWN, PERS)
            .unwrap_err()
            .starts_with("invalid regular expression '[': unclosed character class"));
    }

    #[test]
    fn qualifiers() {
        let mut f = Filters::new(false, PERS.to_vec());
        f.apply("open", KNOWN).unwrap();
        assert!(f.trace.contains(Some("open"), None) && !f.trace.contains(Some("read"), None));
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
        f.apply("decode-pids=pidns", KNOWN).unwrap();
        assert!(f.decode_pid_ns && !f.decode_pid_comm);
        f.apply("decode-pids=comm", KNOWN).unwrap();
        assert!(
            !f.decode_pid_ns && f.decode_pid_comm,
            "each use replaces the set"
        );
        f.apply("decode-pids=all", KNOWN).unwrap();
        assert!(f.decode_pid_ns && f.decode_pid_comm);
        assert_eq!(
            f.apply("decode-pids=bad", KNOWN).unwrap_err(),
            "invalid decode-pids 'bad'"
        );
        f.apply("inject=open:error=ENOENT", KNOWN).unwrap();
        f.apply("fault=open,close:when=2", KNOWN).unwrap();
        assert_eq!(f.tamper.len(), 2);
        assert!(f.tamper[1].set.contains(Some("close"), Some("64")));
        // A personality designator limits a tampering set as it does a trace set.
        f.apply("inject=open@32:error=ENOENT", KNOWN).unwrap();
        let set = &f.tamper[2].set;
        assert!(set.contains(Some("open"), Some("32")) && !set.contains(Some("open"), Some("64")));
        assert_eq!(
            f.apply("fault=open@16", KNOWN).unwrap_err(),
            "incorrect personality designator '16' in qualification 'open@16'"
        );
        assert_eq!(
            f.apply("inject=open", KNOWN).unwrap_err(),
            "invalid inject argument 'open'"
        );
        assert!(f.apply("kvm=vcpu", KNOWN).is_ok() && f.kvm_vcpu);
        assert!(f
            .apply("kvm=vcpu+", KNOWN)
            .unwrap_err()
            .contains("not supported"));
        assert_eq!(
            f.apply("kvm=cpu", KNOWN).unwrap_err(),
            "invalid -e kvm= argument: 'cpu'"
        );
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
