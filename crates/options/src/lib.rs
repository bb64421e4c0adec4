//! rtrace's command line, with strace's option names and meanings.
//!
//! Owns: every option, its help text and grouping, and the checks that need only the
//! options themselves (conflicts, pid lists, shorthands).
//!
//! Must not know: what the options do. It is its own crate so that `cargo xtask docs`
//! can build the man page and shell completions from it without building the tracer.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{ArgAction, ArgMatches, CommandFactory, FromArgMatches, Parser, ValueEnum};

/// `--cpu-placement`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Placement {
    Adaptive,
    SameCpu,
    Spin,
    None,
}

/// `-I` / `--interruptible`: when signals may interrupt rtrace (strace's four modes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interruptible {
    /// `1`, `anywhere` (or `always`): rtrace leaves its fatal signals as it found them.
    Anywhere,
    /// `2`, `waiting`: SIGHUP, SIGINT, SIGQUIT, SIGPIPE and SIGTERM end the trace
    /// cleanly (detaching); the default unless `-D`, or `-o FILE` with a command.
    Waiting,
    /// `3`, `never`: those signals are ignored; the default with `-o FILE COMMAND`.
    Never,
    /// `4`, `never_tstp`: SIGTSTP (^Z) is ignored too; the default with `-D`.
    NeverTstp,
}

/// strace's `-I` words and numbers.
fn parse_interruptible(word: &str) -> Result<Interruptible, String> {
    Ok(match word {
        "1" | "anywhere" | "always" => Interruptible::Anywhere,
        "2" | "waiting" => Interruptible::Waiting,
        "3" | "never" => Interruptible::Never,
        "4" | "never_tstp" => Interruptible::NeverTstp,
        _ => return Err(format!("invalid -I argument: '{word}'")),
    })
}

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// What `-k`/`--stack-trace` asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StackTraces {
    /// `--stack-trace-frame-limit`; `None`: the default.
    pub frame_limit: Option<usize>,
    /// `-kk` / `--stack-trace=source`: each frame's source file and line too.
    pub source: bool,
}

/// rtrace: trace system calls and signals, with strace's output.
#[derive(Parser, Debug)]
#[command(
    name = "rtrace",
    version,
    about = "Trace system calls and signals (strace-compatible output, decoder plugins)",
    override_usage = "rtrace [OPTIONS] COMMAND [ARGS...]\n       rtrace [OPTIONS] -p PID [-p PID...]",
    disable_help_subcommand = true
)]
pub struct Options {
    // Startup
    /// Attach to the process PID (repeatable, or a comma- or space-separated list).
    #[arg(
        short = 'p',
        long = "attach",
        value_name = "PID",
        help_heading = "Startup"
    )]
    pub pids: Vec<String>,

    /// When signals interrupt rtrace: 1/anywhere (rtrace leaves them as it found them),
    /// 2/waiting (SIGHUP, SIGINT, SIGQUIT, SIGPIPE and SIGTERM detach and end the
    /// trace, even if inherited ignored; the default), 3/never (they are ignored; the
    /// default with -o FILE and a command), 4/never_tstp (SIGTSTP too; the default with
    /// -D).
    #[arg(
        short = 'I',
        long = "interruptible",
        value_name = "INTERRUPTIBLE",
        value_parser = parse_interruptible,
        help_heading = "Startup"
    )]
    pub interruptible: Option<Interruptible>,

    /// Set VAR=VAL, or remove VAR, in the command's environment (repeatable).
    #[arg(
        short = 'E',
        long = "env",
        value_name = "VAR[=VAL]",
        help_heading = "Startup"
    )]
    pub env: Vec<String>,

    /// Run the command as USERNAME (uid, gid and groups); needs root.
    #[arg(
        short = 'u',
        long = "user",
        value_name = "USERNAME",
        help_heading = "Startup"
    )]
    pub user: Option<String>,

    /// Run the command with this argv[0] (for multi-call programs such as busybox).
    #[arg(long = "argv0", value_name = "NAME", help_heading = "Startup")]
    pub argv0: Option<OsString>,

    // Tracing
    /// Run rtrace as the command's grandchild, not its parent; -DD: also in a process
    /// group of its own; -DDD: in a session of its own.
    #[arg(short = 'D', action = ArgAction::Count, help_heading = "Tracing")]
    pub daemonize: u8,

    /// grandchild (the default), pgroup or session (as -D, -DD, -DDD).
    #[arg(
        long = "daemonize",
        value_name = "MODE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "grandchild",
        help_heading = "Tracing"
    )]
    pub daemonize_mode: Option<String>,

    /// Detach from every tracee after N syscalls have been shown.
    #[arg(long = "syscall-limit", value_name = "N", help_heading = "Tracing")]
    pub syscall_limit: Option<String>,
    /// Follow forks, vforks and clones (threads). -ff with -o: one file per process.
    #[arg(short = 'f', action = ArgAction::Count, help_heading = "Tracing")]
    pub follow: u8,

    /// Follow forks, vforks and clones (as -f).
    #[arg(long = "follow-forks", help_heading = "Tracing")]
    pub follow_forks: bool,

    /// With -o FILE, write each process's trace to FILE.PID (as -ff).
    #[arg(long = "output-separately", help_heading = "Tracing")]
    pub output_separately: bool,

    /// Detach from a process when it calls execve (-b execve).
    #[arg(
        short = 'b',
        long = "detach-on",
        value_name = "SYSCALL",
        help_heading = "Tracing"
    )]
    pub detach_on: Option<String>,

    /// Kill every tracee when rtrace exits, however it exits (PTRACE_O_EXITKILL).
    #[arg(long = "kill-on-exit", help_heading = "Tracing")]
    pub kill_on_exit: bool,

    /// With a syscall filter, stop the launched command only at the traced syscalls (a
    /// seccomp-bpf program); the rest run at full speed. Needs -f; implies --kill-on-exit;
    /// not for -p.
    #[arg(long = "seccomp-bpf", help_heading = "Tracing")]
    pub seccomp_bpf: bool,

    /// Where rtrace runs relative to its tracees: adaptive (the default with a command:
    /// the command starts on the CPU rtrace runs on, where stops are cheapest; a
    /// thread or process that computes while another one also wants a CPU, or two
    /// that make syscalls at once while rtrace has time to spare, get their full
    /// affinity back; until then sched_getaffinity shows one CPU), same-cpu
    /// (the command stays on rtrace's CPU throughout: its threads take turns), none
    /// (the default with -p and with --seccomp-bpf), spin (poll briefly before
    /// sleeping). See PERFORMANCE.md.
    #[arg(
        long = "cpu-placement",
        value_enum,
        value_name = "HOW",
        help_heading = "Tracing"
    )]
    pub cpu_placement: Option<Placement>,

    // Filtering
    /// A filter expression: [trace=|signal=|status=|raw=|abbrev=|verbose=|trace-fds=][!]VALUE,...
    /// or a tampering one: inject=SPEC, fault=SPEC (see --inject, --fault).
    #[arg(short = 'e', value_name = "EXPR", help_heading = "Filtering")]
    pub exprs: Vec<String>,

    /// Trace only these syscalls (as -e trace=SET): names, %classes, /regex, !, ?, all, none.
    #[arg(long = "trace", value_name = "SET", help_heading = "Filtering")]
    pub trace: Option<String>,

    /// Show only these signals (as -e signal=SET).
    #[arg(long = "signal", value_name = "SET", help_heading = "Filtering")]
    pub signal: Option<String>,

    /// Show only calls with these results (as -e status=SET):
    /// successful, failed, unfinished, unavailable, detached.
    #[arg(long = "status", value_name = "SET", help_heading = "Filtering")]
    pub status: Option<String>,

    /// Trace only syscalls touching PATH, and the fds opened on it (repeatable).
    #[arg(
        short = 'P',
        long = "trace-path",
        value_name = "PATH",
        help_heading = "Filtering"
    )]
    pub trace_paths: Vec<PathBuf>,

    /// Trace only syscalls on these file descriptors (as -e trace-fds=SET).
    #[arg(long = "trace-fds", value_name = "SET", help_heading = "Filtering")]
    pub trace_fds: Option<String>,

    /// Dump the data read from these file descriptors in hex and ASCII (as -e read=SET).
    #[arg(long = "read", value_name = "SET", help_heading = "Filtering")]
    pub read: Option<String>,

    /// Dump the data written to these file descriptors in hex and ASCII (as -e write=SET).
    #[arg(long = "write", value_name = "SET", help_heading = "Filtering")]
    pub write: Option<String>,

    /// new: after clone, clone3, unshare and setns, the namespaces entered (as
    /// -e namespace=new).
    #[arg(
        long = "namespace",
        value_name = "new",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "new",
        help_heading = "Filtering"
    )]
    pub namespace: Option<String>,

    /// vcpu: after KVM_RUN, the exit reason of the vcpu (as -e kvm=vcpu).
    #[arg(long = "kvm", value_name = "vcpu", help_heading = "Filtering")]
    pub kvm: Option<String>,

    /// Tamper with the calls in SET (as -e inject=SPEC):
    /// SET[:error=ERRNO|:retval=VALUE][:signal=SIG][:syscall=NAME][:delay_enter=TIME]
    /// [:delay_exit=TIME][:poke_enter=@argN=HEX,...][:poke_exit=@argN=HEX,...][:when=FIRST[..LAST][+[STEP]]].
    #[arg(long = "inject", value_name = "SPEC", help_heading = "Tampering")]
    pub inject: Vec<String>,

    /// Make the calls in SET fail (as -e fault=SPEC): SET[:error=ERRNO][:when=EXPR],
    /// ENOSYS by default.
    #[arg(long = "fault", value_name = "SPEC", help_heading = "Tampering")]
    pub fault: Vec<String>,

    /// Show only calls that succeeded (-e status=successful).
    #[arg(short = 'z', long = "successful-only", help_heading = "Filtering")]
    pub successful_only: bool,

    /// Show only calls that failed (-e status=failed).
    #[arg(short = 'Z', long = "failed-only", help_heading = "Filtering")]
    pub failed_only: bool,

    // Output format
    /// Write the trace to FILE instead of stderr (FILE.PID per process with -ff).
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        help_heading = "Output format"
    )]
    pub output: Option<PathBuf>,

    /// Append to the -o file instead of truncating it.
    #[arg(
        short = 'A',
        long = "output-append-mode",
        help_heading = "Output format"
    )]
    pub append: bool,

    /// Show at most N bytes of each string (default 32; 0: no limit).
    #[arg(
        short = 's',
        long = "string-limit",
        value_name = "N",
        // `-s -1` is a bad value, not an unknown option `-1`: say which option it is for.
        allow_negative_numbers = true,
        default_value_t = 32,
        help_heading = "Output format"
    )]
    pub string_limit: u32,

    /// Put `= ` at column N (default 40).
    #[arg(
        short = 'a',
        long = "columns",
        value_name = "N",
        allow_negative_numbers = true,
        default_value_t = 40,
        help_heading = "Output format"
    )]
    pub align_column: usize,

    /// Print non-ASCII strings in hex; -xx: every string.
    #[arg(short = 'x', action = ArgAction::Count, help_heading = "Output format")]
    pub hex: u8,

    /// Hex escapes in strings: none, non-ascii-chars (\xNN instead of octal), non-ascii
    /// (as -x), all (as -xx, the default without a value).
    #[arg(
        long = "strings-in-hex",
        value_name = "MODE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "all",
        help_heading = "Output format"
    )]
    pub strings_in_hex: Option<String>,

    /// Print structures, arrays and environments in full (-e verbose=all).
    #[arg(short = 'v', long = "no-abbrev", help_heading = "Output format")]
    pub verbose: bool,

    /// Print the name of each syscall argument before its value (`pathname="/etc"`).
    #[arg(short = 'N', long = "arg-names", help_heading = "Output format")]
    pub arg_names: bool,

    /// How constants print: raw (numbers), abbrev (names, the default), verbose (both).
    #[arg(
        short = 'X',
        long = "const-print-style",
        value_name = "STYLE",
        help_heading = "Output format"
    )]
    pub const_style: Option<String>,

    /// Show what file descriptors refer to (paths); -yy: also socket endpoints.
    #[arg(short = 'y', action = ArgAction::Count, help_heading = "Output format")]
    pub decode_fds: u8,

    /// What to show about file descriptors: path, socket, dev, pidfd, signalfd, eventfd,
    /// all, none (path without a value; as -e decode-fds=SET).
    #[arg(
        long = "decode-fds",
        value_name = "SET",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "path",
        help_heading = "Output format"
    )]
    pub decode_fds_set: Option<String>,

    /// Print the command name after each process id (as --decode-pids=comm).
    #[arg(short = 'Y', help_heading = "Output format")]
    pub decode_pid_comm: bool,

    /// What to show about process ids: comm (the command name, as -Y), pidns (a pid
    /// of another pid namespace followed by its id in rtrace's), all, none.
    #[arg(
        long = "decode-pids",
        value_name = "LIST",
        help_heading = "Output format"
    )]
    pub decode_pids: Vec<String>,

    /// Follow each pid a tracee in another pid namespace prints by its id in rtrace's
    /// (as --decode-pids=pidns).
    #[arg(long = "pidns-translation", help_heading = "Output format")]
    pub pidns_translation: bool,

    /// `-Y`, `--decode-pids`, `--pidns-translation` and `-e decode-pids=` as
    /// `decode-pids=` expressions in command-line order (each replaces the set the ones
    /// before chose, as strace's do); filled by [`Options::parse_args`].
    #[arg(skip)]
    pub decode_pids_in_order: Vec<String>,

    /// Show the pid prefix for the launched command too.
    #[arg(long = "always-show-pid", help_heading = "Output format")]
    pub always_show_pid: bool,

    /// Prefix each line with the time: -t seconds, -tt microseconds, -ttt since the epoch.
    #[arg(short = 't', action = ArgAction::Count, help_heading = "Output format")]
    pub timestamps: u8,

    /// Prefix each line with the wall-clock time: [format:]time|unix|none and
    /// [precision:]s|ms|us|ns, comma-separated (default time, s).
    #[arg(
        long = "absolute-timestamps",
        visible_alias = "timestamps",
        value_name = "FORMAT,PRECISION",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "format:time",
        help_heading = "Output format"
    )]
    pub absolute_timestamps: Option<String>,

    /// Prefix each line with the time since the previous line (microseconds).
    #[arg(short = 'r', help_heading = "Output format")]
    pub relative: bool,

    /// As -r, to this precision: s, ms, us (the default) or ns.
    #[arg(
        long = "relative-timestamps",
        value_name = "PRECISION",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "us",
        help_heading = "Output format"
    )]
    pub relative_precision: Option<String>,

    /// Show the time spent in each syscall (microseconds).
    #[arg(short = 'T', help_heading = "Output format")]
    pub syscall_times: bool,

    /// As -T, to this precision: s, ms, us (the default) or ns.
    #[arg(
        long = "syscall-times",
        value_name = "PRECISION",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "us",
        help_heading = "Output format"
    )]
    pub syscall_times_precision: Option<String>,

    /// Prefix each syscall with its number.
    #[arg(short = 'n', long = "syscall-number", help_heading = "Output format")]
    pub syscall_numbers: bool,

    /// Prefix each line with the instruction pointer at the syscall.
    #[arg(
        short = 'i',
        long = "instruction-pointer",
        help_heading = "Output format"
    )]
    pub instruction_pointer: bool,

    /// Print the user stack of the tracee after each syscall (-kk: with each frame's
    /// source file and line, from the files' debug information).
    #[arg(short = 'k', action = ArgAction::Count, help_heading = "Output format")]
    pub stack_trace_k: u8,

    /// The long form of -k: symbol (the default) or source.
    #[arg(
        long = "stack-trace",
        visible_alias = "stack-traces",
        value_name = "MODE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "symbol",
        help_heading = "Output format"
    )]
    pub stack_trace: Option<String>,

    /// With -k: print at most this many frames of a stack (default 256).
    #[arg(
        long = "stack-trace-frame-limit",
        value_name = "LIMIT",
        help_heading = "Output format"
    )]
    pub stack_trace_frame_limit: Option<String>,

    /// Suppress messages about attaching and detaching; -qq: also exit messages;
    /// -qqq: every message that can be suppressed.
    #[arg(short = 'q', action = ArgAction::Count, help_heading = "Output format")]
    pub quiet: u8,

    /// Suppress these messages: attach, personality, exit, path-resolution,
    /// thread-execve (superseded), all, none (attach,personality without a value).
    #[arg(
        long = "quiet",
        visible_aliases = ["silent", "silence"],
        value_name = "SET",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "attach,personality",
        help_heading = "Output format"
    )]
    pub quiet_set: Option<String>,

    /// One JSON object per event (JSON Lines) instead of text.
    #[arg(long = "json", help_heading = "Output format")]
    pub json: bool,

    /// Write the trace as one self-contained HTML timeline (threads as lanes, calls as
    /// bars, zoom, search, summary). The text trace is then written only with -o.
    #[arg(long = "timeline", value_name = "FILE", help_heading = "Output format")]
    pub timeline: Option<PathBuf>,

    /// Write the trace in the Trace Event JSON format that Perfetto's viewer and
    /// chrome://tracing open. The text trace is then written only with -o.
    #[arg(long = "perfetto", value_name = "FILE", help_heading = "Output format")]
    pub perfetto: Option<PathBuf>,

    /// Draw a trace recorded with --json instead of tracing (with --timeline or
    /// --perfetto; -e trace= still selects calls by name).
    #[arg(
        long = "from-json",
        value_name = "TRACE",
        help_heading = "Output format"
    )]
    pub from_json: Option<PathBuf>,

    /// Colour names, errors, strings and signals: auto (on a terminal), always, never.
    #[arg(long = "color", value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = "Output format")]
    pub color: ColorChoice,

    // Statistics
    /// Count time, calls and errors per syscall and print a summary instead of the trace.
    #[arg(short = 'c', long = "summary-only", help_heading = "Statistics")]
    pub summary_only: bool,

    /// Like -c, but print the trace too.
    #[arg(short = 'C', long = "summary", help_heading = "Statistics")]
    pub summary: bool,

    /// Subtract this overhead from each call's time in the summary (a time: 15us, 1.5ms).
    #[arg(
        short = 'O',
        long = "summary-syscall-overhead",
        value_name = "OVERHEAD",
        help_heading = "Statistics"
    )]
    pub overhead: Option<String>,

    /// The summary's columns, in order: time-percent, total-time, min-time, max-time,
    /// avg-time, wall-total, wall-min, wall-max, wall-avg, calls, errors, name.
    #[arg(
        short = 'U',
        long = "summary-columns",
        value_name = "COLUMNS",
        help_heading = "Statistics"
    )]
    pub summary_columns: Option<String>,

    /// Sort the summary by: time (default), min-time, max-time, avg-time, wall-total,
    /// wall-min, wall-max, wall-avg, calls, errors, name, nothing.
    #[arg(
        short = 'S',
        long = "summary-sort-by",
        value_name = "KEY",
        help_heading = "Statistics"
    )]
    pub sort_by: Option<String>,

    /// Summarise wall-clock latency instead of system CPU time.
    #[arg(short = 'w', long = "summary-wall-clock", help_heading = "Statistics")]
    pub wall_clock: bool,

    /// Add p50, p99 and max latency columns to the summary (implies -w).
    #[arg(long = "latency", help_heading = "Statistics")]
    pub latency: bool,

    /// Show a tip about rtrace on exit: [[id:]ID|random][,[format:]none|compact|full].
    #[arg(
        long = "tips",
        value_name = "ID,FORMAT",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "",
        help_heading = "Miscellaneous"
    )]
    pub tips: Option<String>,

    // Plugins
    /// Load a decoder plugin (a path, or a name found in the plugin directories). Repeatable;
    /// a later plugin overrides earlier ones for the syscalls it claims, and replaces the
    /// built-in family of its name. A statically linked rtrace refuses it.
    #[arg(long = "plugin", value_name = "PATH_OR_NAME", help_heading = "Plugins")]
    pub plugins: Vec<String>,

    /// Use neither the built-in families nor the plugins found in the plugin directories
    /// (arguments print raw).
    #[arg(long = "no-default-plugins", help_heading = "Plugins")]
    pub no_default_plugins: bool,

    /// List the plugins in use, their versions, where each comes from (a path, or built
    /// in) and their syscalls, and exit.
    #[arg(long = "list-plugins", help_heading = "Plugins")]
    pub list_plugins: bool,

    /// The command to trace, with its arguments.
    #[arg(trailing_var_arg = true, value_name = "COMMAND")]
    pub command: Vec<OsString>,
}

impl Options {
    /// The pids given with -p, each list split and parsed.
    pub fn parsed_pids(&self) -> Result<Vec<i32>, String> {
        let mut pids = Vec::new();
        for spec in &self.pids {
            for word in spec.split([',', ' ', '\t', '\n']).filter(|w| !w.is_empty()) {
                match word.parse::<i32>() {
                    Ok(pid) if pid > 0 => pids.push(pid),
                    _ => return Err(format!("Invalid process id: '{word}'")),
                }
            }
        }
        Ok(pids)
    }

    /// `-I`, or strace's default, decided in strace's order: `never_tstp` with `-D` (the
    /// tracer shares the command's terminal: the terminal's interrupt and stop signals
    /// are meant for the command), then `never` when the trace goes to a file and rtrace
    /// runs the command, `waiting` otherwise.
    pub fn interruptible(&self) -> Interruptible {
        self.interruptible.unwrap_or(if self.daemonizes() {
            Interruptible::NeverTstp
        } else if self.output.is_some() && !self.command.is_empty() {
            Interruptible::Never
        } else {
            Interruptible::Waiting
        })
    }

    /// `-D` (any count) or `--daemonize` given.
    pub fn daemonizes(&self) -> bool {
        self.daemonize > 0 || self.daemonize_mode.is_some()
    }

    /// -f given in any form.
    pub fn follows(&self) -> bool {
        self.follow > 0 || self.follow_forks || self.per_process_files()
    }

    /// -ff / --output-separately, which only means something with -o.
    pub fn per_process_files(&self) -> bool {
        (self.follow >= 2 || self.output_separately) && self.output.is_some()
    }

    /// Whether trace lines are printed: not with `-c`, nor with `--latency` alone
    /// (a summary option); `-C` prints both.
    /// `--timeline` or `--perfetto`: the trace is drawn into files.
    pub fn draws(&self) -> bool {
        self.timeline.is_some() || self.perfetto.is_some()
    }

    /// Trace lines go to the output: not with `-c`, and with `--timeline`/`--perfetto`
    /// only when `-o` names where.
    pub fn writes_trace_lines(&self) -> bool {
        self.prints_trace() && (!self.draws() || self.output.is_some())
    }

    pub fn prints_trace(&self) -> bool {
        self.summary || !(self.summary_only || self.latency)
    }

    pub fn counting(&self) -> bool {
        self.summary_only || self.summary || self.latency
    }

    /// `-k`/`--stack-trace`: `Ok(Some(StackTraces))` when stack traces are asked for,
    /// or the one-line reason the request is refused (strace's wording).
    pub fn stack_traces(&self) -> Result<Option<StackTraces>, String> {
        let limit = match &self.stack_trace_frame_limit {
            None => None,
            Some(text) => match text.parse::<u32>() {
                Ok(n) if n > 0 && n <= u32::MAX / 4 => Some(n as usize),
                _ => {
                    return Err(format!(
                        "invalid --stack-trace-frame-limit argument: '{text}'"
                    ))
                }
            },
        };
        let source = match (self.stack_trace.as_deref(), self.stack_trace_k) {
            (Some("symbol"), _) | (None, 1) => false,
            (Some("source"), _) | (None, 2) => true,
            (None, 0) => return Ok(None),
            (None, _) => return Err("Too many -k options".into()),
            (Some(other), _) => return Err(format!("invalid --stack-trace argument: '{other}'")),
        };
        Ok(Some(StackTraces {
            frame_limit: limit,
            source,
        }))
    }

    /// Parses `args` (the program's name first) as [`Parser::try_parse_from`] does, and
    /// keeps the order of the options that strace applies in order.
    pub fn parse_args<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let matches = Self::command().try_get_matches_from(args)?;
        let mut options = Self::from_arg_matches(&matches)?;
        options.decode_pids_in_order = decode_pids_in_order(&matches);
        Ok(options)
    }

    /// The filter expressions, in the order they apply: -e first, then the long forms,
    /// then -z/-Z.
    pub fn filter_exprs(&self) -> Vec<String> {
        let mut exprs = self.exprs.clone();
        let long = [
            ("trace", &self.trace),
            ("signal", &self.signal),
            ("status", &self.status),
            ("trace-fds", &self.trace_fds),
            ("read", &self.read),
            ("write", &self.write),
            ("quiet", &self.quiet_set),
            ("decode-fds", &self.decode_fds_set),
            ("namespace", &self.namespace),
            ("kvm", &self.kvm),
        ];
        for (qualifier, value) in long {
            if let Some(v) = value {
                exprs.push(format!("{qualifier}={v}"));
            }
        }
        exprs.extend(self.inject.iter().map(|v| format!("inject={v}")));
        if self.decode_pids_in_order.is_empty() {
            exprs.extend(self.decode_pids.iter().map(|v| format!("decode-pids={v}")));
            if self.decode_pid_comm {
                exprs.push("decode-pids=comm".into());
            }
            if self.pidns_translation {
                exprs.push("decode-pids=pidns".into());
            }
        } else {
            // Again after -e's own, in their order: the last one decides.
            exprs.extend(self.decode_pids_in_order.iter().cloned());
        }
        exprs.extend(self.fault.iter().map(|v| format!("fault={v}")));
        match (self.successful_only, self.failed_only) {
            (true, true) => exprs.push("status=successful,failed".into()),
            (true, false) => exprs.push("status=successful".into()),
            (false, true) => exprs.push("status=failed".into()),
            _ => {}
        }
        exprs
    }

    /// Options that cannot go together, as one line each.
    pub fn conflicts(&self) -> Option<&'static str> {
        if (self.summary_only || self.summary) && self.per_process_files() {
            return Some("(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive");
        }
        if self.summary_only && self.summary {
            return Some("-c/--summary-only and -C/--summary are mutually exclusive");
        }
        if self.json && self.summary_only {
            return Some("--json and -c/--summary-only are mutually exclusive");
        }
        if self.draws() && !self.prints_trace() {
            return Some("--timeline/--perfetto draw the trace: not with -c/--summary-only or --latency alone");
        }
        if self.from_json.is_some() {
            if !self.draws() {
                return Some("--from-json requires --timeline or --perfetto");
            }
            if !self.command.is_empty() || !self.pids.is_empty() {
                return Some("--from-json draws a recorded trace: it takes no command and no -p");
            }
            if self.output.is_some() || self.json || self.summary {
                return Some("--from-json writes only --timeline and --perfetto files (not -o, --json or -C)");
            }
        }
        if self.append && self.output.is_none() {
            return Some("-A/--output-append-mode requires -o");
        }
        if self.user.is_some() && self.command.is_empty() {
            return Some("-u/--user requires a command to run");
        }
        None
    }
}

/// `-e decode-pids=`, `--decode-pids`, `-Y` and `--pidns-translation` as `decode-pids=`
/// expressions, in the order of the command line.
fn decode_pids_in_order(matches: &ArgMatches) -> Vec<String> {
    let mut found: Vec<(usize, String)> = Vec::new();
    // Each value with the index clap recorded for it, in the same order.
    let indexed = |id: &str| {
        let indices = matches.indices_of(id).into_iter().flatten();
        let values = matches.get_many::<String>(id).into_iter().flatten();
        indices.zip(values)
    };
    for (index, expr) in indexed("exprs") {
        if expr.starts_with("decode-pids=") || expr.starts_with("decode-pid=") {
            found.push((index, expr.clone()));
        }
    }
    for (index, value) in indexed("decode_pids") {
        found.push((index, format!("decode-pids={value}")));
    }
    for (id, expr) in [
        ("decode_pid_comm", "decode-pids=comm"),
        ("pidns_translation", "decode-pids=pidns"),
    ] {
        if matches.get_flag(id) {
            let indices = matches.indices_of(id).into_iter().flatten();
            found.extend(indices.map(|index| (index, expr.to_owned())));
        }
    }
    found.sort_by_key(|(index, _)| *index);
    found.into_iter().map(|(_, expr)| expr).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_pids_options_keep_their_order() {
        let last = |args: &[&str]| {
            let o = Options::parse_args(args.iter().copied()).unwrap();
            o.filter_exprs().last().cloned()
        };
        assert_eq!(
            last(&["rtrace", "--pidns-translation", "-Y", "true"]).as_deref(),
            Some("decode-pids=comm")
        );
        assert_eq!(
            last(&["rtrace", "-Y", "--pidns-translation", "true"]).as_deref(),
            Some("decode-pids=pidns")
        );
        assert_eq!(
            last(&[
                "rtrace",
                "--decode-pids=all",
                "-e",
                "decode-pids=comm",
                "true"
            ])
            .as_deref(),
            Some("decode-pids=comm")
        );
        assert_eq!(
            last(&[
                "rtrace",
                "-e",
                "decode-pids=comm",
                "--decode-pids",
                "pidns",
                "true"
            ])
            .as_deref(),
            Some("decode-pids=pidns")
        );
    }

    #[test]
    fn command_options_stay_with_the_command() {
        let o = Options::try_parse_from(["rtrace", "-f", "ls", "-l", "-f"]).unwrap();
        assert_eq!(o.follow, 1);
        assert_eq!(
            o.command,
            vec![OsString::from("ls"), "-l".into(), "-f".into()]
        );
    }

    #[test]
    fn pid_lists() {
        let o = Options::try_parse_from(["rtrace", "-p", "1,2", "-p", "3 4"]).unwrap();
        assert_eq!(o.parsed_pids().unwrap(), vec![1, 2, 3, 4]);
        let o = Options::try_parse_from(["rtrace", "-p", "x"]).unwrap();
        assert_eq!(o.parsed_pids().unwrap_err(), "Invalid process id: 'x'");
    }

    #[test]
    fn counts_and_limits() {
        let o = Options::try_parse_from([
            "rtrace", "-xx", "-ff", "-o", "f", "-s", "64", "-ttt", "-yy", "true",
        ])
        .unwrap();
        assert_eq!(
            (o.hex, o.follow, o.string_limit, o.timestamps, o.decode_fds),
            (2, 2, 64, 3, 2)
        );
        assert!(o.per_process_files());
        assert!(Options::try_parse_from(["rtrace", "-s", "-1", "true"]).is_err());
        assert!(Options::try_parse_from(["rtrace", "--bogus", "true"]).is_err());
    }

    #[test]
    fn conflicts_are_named() {
        let o = Options::try_parse_from(["rtrace", "-c", "-ff", "-o", "x", "true"]).unwrap();
        assert!(o.conflicts().unwrap().contains("mutually exclusive"));
        let o = Options::try_parse_from(["rtrace", "-A", "true"]).unwrap();
        assert_eq!(o.conflicts(), Some("-A/--output-append-mode requires -o"));
        let o = Options::try_parse_from(["rtrace", "--from-json", "t.jsonl"]).unwrap();
        assert_eq!(
            o.conflicts(),
            Some("--from-json requires --timeline or --perfetto")
        );
        let o =
            Options::try_parse_from(["rtrace", "--timeline", "t.html", "--from-json", "t", "ls"])
                .unwrap();
        assert!(o.conflicts().unwrap().contains("takes no command"));
        let o = Options::try_parse_from(["rtrace", "--perfetto", "p.json", "-c", "ls"]).unwrap();
        assert!(o
            .conflicts()
            .unwrap()
            .starts_with("--timeline/--perfetto draw the trace"));
        let o = Options::try_parse_from(["rtrace", "--timeline", "t.html", "-C", "ls"]).unwrap();
        assert_eq!(o.conflicts(), None);
        assert!(!o.writes_trace_lines());
    }

    #[test]
    fn filter_shorthands() {
        let o = Options::try_parse_from(["rtrace", "-e", "open", "--signal=none", "-z", "true"])
            .unwrap();
        assert_eq!(
            o.filter_exprs(),
            vec!["open", "signal=none", "status=successful"]
        );
    }

    #[test]
    fn interruptible_defaults_in_straces_order() {
        let mode = |args: &[&str]| {
            let mut argv = vec!["rtrace"];
            argv.extend_from_slice(args);
            Options::try_parse_from(argv).unwrap().interruptible()
        };
        assert_eq!(mode(&["true"]), Interruptible::Waiting);
        assert_eq!(mode(&["-p", "1"]), Interruptible::Waiting);
        assert_eq!(mode(&["-o", "f", "-p", "1"]), Interruptible::Waiting);
        assert_eq!(mode(&["-o", "f", "true"]), Interruptible::Never);
        // -D is checked before -o's rule.
        assert_eq!(mode(&["-D", "true"]), Interruptible::NeverTstp);
        assert_eq!(mode(&["-DD", "-o", "f", "true"]), Interruptible::NeverTstp);
        assert_eq!(
            mode(&["--daemonize=session", "true"]),
            Interruptible::NeverTstp
        );
        // An explicit -I wins.
        assert_eq!(mode(&["-D", "-I1", "true"]), Interruptible::Anywhere);
        assert_eq!(
            mode(&["-D", "-I", "waiting", "true"]),
            Interruptible::Waiting
        );
    }

    #[test]
    fn tampering_long_forms_are_expressions() {
        let o = Options::try_parse_from([
            "rtrace",
            "--inject=openat:error=ENOENT",
            "--fault",
            "read:when=2",
            "--inject=close:retval=0",
            "true",
        ])
        .unwrap();
        assert_eq!(
            o.filter_exprs(),
            vec![
                "inject=openat:error=ENOENT",
                "inject=close:retval=0",
                "fault=read:when=2"
            ]
        );
    }
}
