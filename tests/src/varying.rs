//! Values that change from one run of a program to the next and so differ between any
//! two traces of it, whoever traces: on the lines of the calls that carry them, and only
//! there, they become placeholders. One home for every test that needs them (the
//! per-family differential tests, the personality tests); each rule says why it varies.

use regex::Regex;

/// On lines of the `calls` listed (every line when empty), every match of `pattern`
/// becomes `replacement`.
pub struct Varying {
    pub calls: &'static [&'static str],
    pub pattern: &'static str,
    pub replacement: &'static str,
}

/// The System V IPC calls whose first argument is an id the kernel hands out.
const SYSV: &[&str] = &[
    "shmget",
    "shmat",
    "shmctl",
    "semget",
    "semop",
    "semtimedop",
    "semctl",
    "msgget",
    "msgsnd",
    "msgrcv",
    "msgctl",
];

/// Clocks, timers and system counters read at run time.
pub const TIME: &[Varying] = &[
    Varying {
        calls: &[
            "clock_gettime",
            "clock_gettime64",
            "gettimeofday",
            "timer_gettime",
            "timer_gettime64",
            "timerfd_gettime",
            "timerfd_gettime64",
            "getitimer",
        ],
        pattern: r"tv_(sec|nsec|usec)=\d+",
        replacement: "tv_$1=N",
    },
    // The CPU ticks so far, and so whether strace 7's `/* 0.01 s */` follows each.
    Varying {
        calls: &["times"],
        pattern: r" /\* \d+\.\d+ s \*/",
        replacement: "",
    },
    Varying {
        calls: &["times"],
        pattern: r"(tms_[a-z]+=|= )\d+",
        replacement: "${1}N",
    },
    Varying {
        calls: &["time"],
        pattern: r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}|\[\d+|= \d+",
        replacement: "N",
    },
    Varying {
        calls: &["sysinfo"],
        pattern: r"\d+",
        replacement: "N",
    },
    // The CPU the caller happened to run on.
    Varying {
        calls: &["getcpu"],
        pattern: r"\[\d+\]",
        replacement: "[N]",
    },
];

/// Ports the kernel picks, a peer's pid, what is left of a timeout.
pub const NET: &[Varying] = &[
    Varying {
        calls: &[],
        pattern: r"(sin6?_port)=htons\(\d+\)",
        replacement: "$1=htons(PORT)",
    },
    Varying {
        calls: &["recvmsg"],
        pattern: r"cmsg_data=\{pid=\d+,",
        replacement: "cmsg_data={pid=PID,",
    },
    Varying {
        calls: &["recvmmsg", "recvmmsg_time64"],
        pattern: r"left \{tv_sec=\d+, tv_nsec=\d+\}",
        replacement: "left {tv_sec=N, tv_nsec=N}",
    },
];

/// System V ids, what is left of a timeout.
pub const IPC: &[Varying] = &[
    Varying {
        calls: &[
            "ppoll",
            "ppoll_time64",
            "pselect6",
            "pselect6_time64",
            "select",
            "_newselect",
        ],
        pattern: r"left \{tv_sec=\d+, tv_(n|u)sec=\d+\}",
        replacement: "left {tv_sec=N, tv_${1}sec=N}",
    },
    Varying {
        calls: SYSV,
        pattern: r"^([a-z]+)\(\d+,",
        replacement: "$1(ID,",
    },
    Varying {
        calls: &["shmget", "semget", "msgget"],
        pattern: r"\) = \d+$",
        replacement: ") = ID",
    },
];

/// The pid a signal is queued to.
pub const SIGNAL: &[Varying] = &[Varying {
    calls: &["rt_sigqueueinfo", "rt_tgsigqueueinfo"],
    pattern: r"^(rt_t?g?sigqueueinfo)\(\d+(, \d+)?",
    replacement: "$1(PID",
}];

/// waitid's pid (its second argument; pids in first place are the normaliser's), resource
/// usage, CPU masks.
pub const PROCESS: &[Varying] = &[
    Varying {
        calls: &["waitid"],
        pattern: r"^waitid\((P_PID|P_PGID), \d+",
        replacement: "waitid($1, PID",
    },
    // CPU time and fault/switch counts of the process so far.
    Varying {
        calls: &["getrusage", "wait4", "waitid"],
        pattern: r"(ru_utime|ru_stime)=\{tv_sec=\d+, tv_usec=\d+\}",
        replacement: "$1={T}",
    },
    Varying {
        calls: &["getrusage", "wait4", "waitid"],
        pattern: r"(ru_[a-z]+)=\d+",
        replacement: "$1=N",
    },
    // rtrace's default --cpu-placement same-cpu runs the command on one CPU
    // (PERFORMANCE.md), so the mask it sees differs from strace's by design; how a CPU
    // set is decoded is checked by the process plugin's fake-tracee tests.
    Varying {
        calls: &["sched_getaffinity", "sched_setaffinity"],
        pattern: r"^(sched_[gs]etaffinity\(PID, \d+), \[[0-9 ]+\]",
        replacement: "$1, [CPUS]",
    },
];

/// The key calls, whose lines carry key serials.
pub const KEY_CALLS: &[&str] = &["add_key", "request_key", "keyctl"];

/// Key serials are random 31-bit numbers (at least 3): four digits or more, in
/// decimal. Smaller numbers in these lines (lengths, timeouts) are replaced on both
/// sides alike.
pub const KEYS: &[Varying] = &[Varying {
    calls: KEY_CALLS,
    pattern: r"\b\d{4,}\b",
    replacement: "SERIAL",
}];

/// kcmp compares two processes of this run, by pid.
pub const KCMP: &[Varying] = &[Varying {
    calls: &["kcmp"],
    pattern: r"^kcmp\(\d+, \d+,",
    replacement: "kcmp(PID, PID,",
}];

/// Mount ids the kernel hands out (listmount, statmount).
pub const MOUNT_IDS: &[Varying] = &[
    // Unique mount ids: 0x80000000 and up.
    Varying {
        calls: &["listmount", "statmount"],
        pattern: r"\b0x8[0-9a-f]{7}\b",
        replacement: "MNT_ID",
    },
    // The old, reusable ids, as /proc/self/mountinfo shows them.
    Varying {
        calls: &["statmount"],
        pattern: r"(mnt_id_old|mnt_parent_id_old)=0x[0-9a-f]+",
        replacement: "$1=OLD_ID",
    },
];

/// The rules compiled once, for applying to many lines.
pub struct VaryingRules {
    rules: Vec<(&'static [&'static str], Regex, &'static str)>,
}

impl VaryingRules {
    pub fn new<'a>(lists: impl IntoIterator<Item = &'a [Varying]>) -> Self {
        let rules = lists
            .into_iter()
            .flatten()
            .map(|v| {
                let regex = Regex::new(v.pattern)
                    .unwrap_or_else(|e| panic!("bad varying-value pattern {}: {e}", v.pattern));
                (v.calls, regex, v.replacement)
            })
            .collect();
        VaryingRules { rules }
    }

    /// `line` with the varying values of its call replaced.
    pub fn apply(&self, line: &str) -> String {
        let name = line.split('(').next().unwrap_or("");
        self.rules
            .iter()
            .filter(|(calls, ..)| calls.is_empty() || calls.contains(&name))
            .fold(line.to_owned(), |line, (_, regex, replacement)| {
                regex.replace_all(&line, *replacement).into_owned()
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_vary_only_on_their_calls() {
        let rules = VaryingRules::new([TIME, NET]);
        assert_eq!(
            rules.apply("getcpu([1], NULL, NULL) = 0"),
            "getcpu([N], NULL, NULL) = 0"
        );
        // Not a getcpu line: the same bracketed number stays.
        assert_eq!(rules.apply("read(3, [1], 4) = 4"), "read(3, [1], 4) = 4");
        assert_eq!(
            rules.apply("bind(3, {sa_family=AF_INET, sin_port=htons(4242)}, 16) = 0"),
            "bind(3, {sa_family=AF_INET, sin_port=htons(PORT)}, 16) = 0"
        );
    }
}
