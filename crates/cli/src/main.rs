//! `rtrace`: the command line. Parses strace's options, loads the decoder plugins,
//! wires engine → arch → decoders → renderer → sink, and exits as strace does.
//!
//! Owns: option parsing and validation (one clear line per bad input), plugin loading
//! order, the session glue, and rtrace's own exit status.
//!
//! Must not know: ptrace details (the engine), register layouts (arch crates), any
//! syscall's decoding (plugins), or text layout (the renderer).

mod arches;
mod dumps;
mod fds;
mod filter;
mod namespaces;
mod option_values;
mod pictures;
mod pid_namespaces;
mod plugins;
mod printer;
mod session;
mod sockets;
mod stacks;
mod stop_read_cache;
mod summaries;
mod tamper;
mod tips;
mod version;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::os::unix::ffi::OsStrExt;
use std::process::ExitCode;
use std::time::Duration;

use rtrace_decode::DecodeOptions;
use rtrace_engine::{
    handle_fatal_signals, resolve_command, CpuPlacement, Credentials, ExitKind, SeccompFilter,
    SeccompSection, Tracer, TracerOptions,
};
use rtrace_render::{ConstStyle, HexMode, LayoutOptions, LineLayout, PidPrefix, ValueRenderer};
use rtrace_sink::Output;
use rtrace_summary::{Columns, SortKey, SummaryOptions};

use crate::arches::Arches;
use crate::filter::{personality_designator, Filters, Quiet};
use crate::pictures::{draw_recorded, Pictures};
use crate::printer::{Printer, PrinterOptions};
use crate::session::{Session, SessionOptions};
use crate::summaries::Summaries;
use crate::tips::TipRequest;
use rtrace_options::{ColorChoice, Interruptible, Options, Placement};

/// Writes one `rtrace: ...` line to stderr. A write error is ignored, not a panic as
/// with `eprintln!`: stderr may be the very pipe that just broke (`2>&1 | head -1`).
pub(crate) fn say(message: std::fmt::Arguments) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "rtrace: {message}");
}

/// Prints rtrace's own one-line error and gives the exit status for it.
fn fail(message: impl std::fmt::Display) -> ExitCode {
    say(format_args!("{message}"));
    ExitCode::from(1)
}

fn parse_options() -> Result<Options, ExitCode> {
    match Options::parse_args(std::env::args_os()) {
        Ok(o) => Ok(o),
        Err(e) => match e.kind() {
            // Built only when asked for: it names the built-in families and the ABIs.
            clap::error::ErrorKind::DisplayVersion => {
                use std::io::Write;
                let _ = writeln!(std::io::stdout(), "rtrace {}", version::text());
                Err(ExitCode::SUCCESS)
            }
            clap::error::ErrorKind::DisplayHelp => {
                let _ = e.print();
                Err(ExitCode::SUCCESS)
            }
            _ => {
                // clap's message is several lines; keep the first, which names the problem.
                let text = e.render().to_string();
                let first = text.lines().next().unwrap_or("invalid arguments");
                let first = first.strip_prefix("error: ").unwrap_or(first);
                Err(fail(format_args!("{first} (see 'rtrace --help')")))
            }
        },
    }
}

fn open_output(options: &Options) -> Result<Output, String> {
    let result = match &options.output {
        Some(path) if options.per_process_files() => Output::per_process(path),
        Some(path) if options.append => Output::append(path),
        Some(path) => Output::file(path),
        None => Ok(Output::stderr()),
    };
    result.map_err(|e| e.to_string())
}

/// Every syscall name any architecture knows, for validating filters.
fn known_syscalls(arches: &Arches) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = arches
        .iter()
        .flat_map(|a| a.syscalls().entries.iter().map(|d| d.name))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The environment for the command: rtrace's own, changed by `-E`.
fn command_env(options: &Options) -> Vec<(OsString, OsString)> {
    let mut env: Vec<(OsString, OsString)> = std::env::vars_os().collect();
    for spec in &options.env {
        let (name, value) = match spec.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (spec.as_str(), None),
        };
        env.retain(|(k, _)| k.as_bytes() != name.as_bytes());
        if let Some(v) = value {
            env.push((name.into(), v.into()));
        }
    }
    env
}

/// `-P` paths as given and as the kernel would show them (resolved), as bytes; a path
/// that resolves elsewhere is said, as strace says it (not with `--quiet=path-resolution`).
fn trace_paths(options: &Options, quiet: Quiet) -> Vec<Vec<u8>> {
    let mut paths = Vec::new();
    for p in &options.trace_paths {
        let given = p.as_os_str().as_bytes();
        paths.push(given.to_vec());
        if let Ok(real) = std::fs::canonicalize(p) {
            let real = real.as_os_str().as_bytes();
            if real != given && !quiet.path_resolution {
                let quote = |bytes: &[u8]| {
                    let mut text = Vec::new();
                    rtrace_render::escape::escape_into(&mut text, bytes, HexMode::None);
                    String::from_utf8_lossy(&text).into_owned()
                };
                say(format_args!(
                    "Requested path \"{}\" resolved into \"{}\"",
                    quote(given),
                    quote(real)
                ));
            }
            paths.push(real.to_vec());
        }
    }
    paths
}

/// The `--seccomp-bpf` program's syscalls, with strace's limits: only with -f, only
/// for the launched command (not -p); every personality of this build gets its numbers.
/// `also_stop`: calls whose entries must stop though no filter traces them (`-k` must
/// see every call that changes mappings, as strace adds them to its filter).
fn seccomp_filter(
    options: &Options,
    pids: &[i32],
    filters: &Filters,
    arches: &Arches,
    also_stop: &[&str],
) -> Option<SeccompFilter> {
    if !options.seccomp_bpf {
        return None;
    }
    if options.syscall_limit.is_some() {
        say(format_args!(
            "--seccomp-bpf is not enabled because it is not compatible with --syscall-limit"
        ));
        return None;
    }
    if !options.follows() {
        say(format_args!(
            "--seccomp-bpf cannot be used without -f/--follow-forks, disabling"
        ));
        return None;
    }
    if !pids.is_empty() {
        say(format_args!(
            "--seccomp-bpf is not enabled for processes attached with -p"
        ));
    }
    if options.command.is_empty() {
        return None;
    }
    // One section per personality; those that mark their numbers with bits (x32) come
    // before the one they share an audit arch with.
    let mut abis: Vec<_> = arches.iter().collect();
    abis.sort_by_key(|abi| abi.number_bits() == 0);
    let sections = abis
        .into_iter()
        .map(|abi| {
            let bits = abi.number_bits() as u32;
            let (mut numbers, negated) = filters
                .trace
                .numbers_in(abi.syscalls(), personality_designator(abi));
            let extra = abi
                .syscalls()
                .entries
                .iter()
                .filter(|d| also_stop.contains(&d.name))
                .map(|d| d.number);
            // Listed numbers stop, or (negated) are the only ones that do not.
            for number in extra {
                if negated {
                    numbers.retain(|&n| n != number);
                } else if !numbers.contains(&number) {
                    numbers.push(number);
                }
            }
            SeccompSection {
                audit_arch: abi.audit_arch(),
                number_bits: bits,
                numbers: numbers.into_iter().map(|n| n | bits).collect(),
                negated,
            }
        })
        .collect();
    Some(SeccompFilter { sections })
}

/// `--tips`: the tip on stderr, whatever -o says.
fn show_tip(tip: TipRequest) {
    let mut text = tip.lines().join("\n");
    text.push('\n');
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Ends rtrace the way the traced command ended: its exit code, or its death signal.
fn exit_like(how: ExitKind) -> ExitCode {
    match how {
        ExitKind::Exited(code) => ExitCode::from(code as u8),
        ExitKind::Killed { signal, .. } => {
            // strace kills itself with the same signal, without dumping its own core.
            // SAFETY: resetting a disposition, limiting core size and raising a signal.
            unsafe {
                let no_core = libc::rlimit {
                    rlim_cur: 0,
                    rlim_max: 0,
                };
                libc::setrlimit(libc::RLIMIT_CORE, &no_core);
                libc::signal(signal, libc::SIG_DFL);
                let mut set: libc::sigset_t = std::mem::zeroed();
                libc::sigemptyset(&mut set);
                libc::sigaddset(&mut set, signal);
                libc::sigprocmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
                libc::raise(signal);
            }
            ExitCode::from(128u8.wrapping_add(signal as u8))
        }
    }
}

fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(o) => o,
        Err(code) => return code,
    };
    match run(options) {
        Ok(code) => code,
        Err(message) => fail(message),
    }
}

fn run(options: Options) -> Result<ExitCode, String> {
    let pids = options.parsed_pids()?;
    if let Some(conflict) = options.conflicts() {
        return Err(conflict.to_string());
    }
    let tip = option_values::tips(&options)?;
    let arches = Arches::all();
    let mut filters = Filters::new(
        options.verbose,
        arches.iter().map(personality_designator).collect(),
    );
    let known = known_syscalls(&arches);
    for expr in options.filter_exprs() {
        filters.apply(&expr, &known)?;
    }
    let quiet = option_values::quiet(&options, &filters)?;
    let fd_details = option_values::fd_details(&options, &filters)?;
    let hex_level = option_values::hex_level(&options)?;
    let time = option_values::absolute_time(&options)?;
    let relative_time = option_values::relative_time(&options)?;
    let durations = option_values::syscall_times(&options)?;
    let syscall_limit = option_values::syscall_limit(&options)?;
    let daemonize = option_values::daemonize(&options)?;
    // As in strace, only `--quiet=`/`-e quiet=` hide this message: -P paths are resolved
    // before -q takes effect.
    filters.trace_paths = trace_paths(&options, filters.quiet.unwrap_or_default());
    if let Some(recorded) = &options.from_json {
        draw_recorded(&options, recorded, filters)?;
        return Ok(ExitCode::SUCCESS);
    }
    let sort = SortKey::parse(options.sort_by.as_deref().unwrap_or("time"))?;
    let mut summary_options = SummaryOptions {
        latency: options.latency,
        columns: match &options.summary_columns {
            Some(spec) => Columns::parse(spec)?,
            None => Columns::default(),
        },
        overhead: match &options.overhead {
            Some(spec) => option_values::time_spec(spec)
                .ok_or_else(|| format!("invalid -O argument: '{spec}'"))?,
            None => Duration::ZERO,
        },
        wall: false,
    };
    summary_options.wall = summary_options.needs_wall(sort);
    let consts = match options.const_style.as_deref() {
        None | Some("abbrev") => ConstStyle::Abbrev,
        Some("raw") => ConstStyle::Raw,
        Some("verbose") => ConstStyle::Verbose,
        Some(other) => {
            return Err(format!(
                "invalid -X argument: '{other}' (raw, abbrev or verbose)"
            ))
        }
    };
    let detach_on_execve = match options.detach_on.as_deref() {
        None => false,
        Some("execve") => true,
        Some(other) => {
            return Err(format!(
                "Syscall '{other}' for -b isn't supported (only execve)"
            ))
        }
    };
    let registry = plugins::load(&options, filters.selects_by_arguments())?;
    registry.configure(&rtrace_plugin_api::SessionOptions {
        kvm_vcpu_exit_reason: filters.kvm_vcpu,
        ..Default::default()
    });
    if options.list_plugins {
        // Listing a plugin vouches for it: open the libraries a trace would open later.
        registry.open_all().map_err(|e| e.to_string())?;
        plugins::list(&registry).map_err(|e| format!("--list-plugins: {e}"))?;
        return Ok(ExitCode::SUCCESS);
    }
    if options.command.is_empty() && pids.is_empty() {
        // As strace: a tip asked for is shown alone.
        if let Some(tip) = tip {
            show_tip(tip);
            return Ok(ExitCode::SUCCESS);
        }
        return Err("must have PROG [ARGS] or -p PID (see 'rtrace --help')".into());
    }
    let credentials = match &options.user {
        Some(user) => Some(Credentials::for_user(user).map_err(|e| e.to_string())?),
        None => None,
    };
    let program = match options.command.first() {
        Some(name) => Some(resolve_command(name).map_err(|e| e.to_string())?),
        None => None,
    };
    // The outputs are opened before anything starts, so a bad path stops us early.
    let output = open_output(&options)?;
    let pictures = Pictures::open(&options)?;

    let several = options.follows() || pids.len() + usize::from(program.is_some()) > 1;
    let prefix = match &options.output {
        _ if options.always_show_pid => PidPrefix::Always,
        Some(_) if options.per_process_files() => PidPrefix::Never,
        Some(_) if several => PidPrefix::Always,
        _ => PidPrefix::WhileSeveral,
    };
    let colors = match options.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => options.output.is_none() && std::io::stderr().is_terminal(),
    };
    let layout = LineLayout::new(
        LayoutOptions {
            align_column: options.align_column,
            prefix,
            separate_streams: options.per_process_files(),
            time,
            relative_time,
            syscall_numbers: options.syscall_numbers,
            instruction_pointer: options
                .instruction_pointer
                .then_some(2 * std::mem::size_of::<usize>()),
            durations,
            colors,
        },
        ValueRenderer {
            hex: HexMode::from_level(hex_level),
            colors,
            consts,
        },
    );
    let decode_options = DecodeOptions {
        string_limit: options.string_limit,
        verbose: options.verbose,
        hex_strings: hex_level,
        dereference: true,
        arg_names: options.arg_names,
    };
    let session_options = SessionOptions {
        decode: decode_options,
        print_trace: options.prints_trace(),
        count: options.counting(),
        wall_clock: options.wall_clock || options.latency,
        time_calls: durations.is_some()
            || summary_options.wall
            || options.json
            || options.draws()
            || options.wall_clock
            || options.latency,
        detach_on_execve,
        quiet,
        syscall_limit,
    };
    let mut printer = Printer::new(
        layout,
        output,
        PrinterOptions {
            json: options.json,
            decode_fds: fd_details,
            decode_pid_comm: filters.decode_pid_comm,
            decode_pid_ns: filters.decode_pid_ns,
            wall_stamps: time != rtrace_render::TimeFormat::None || relative_time.is_some(),
            quiet,
            lines: options.writes_trace_lines(),
        },
    );
    if pictures.is_some() {
        printer.record_into(Pictures::recorder());
    }
    let stack_traces = match options.stack_traces()? {
        Some(_) if !options.prints_trace() => {
            say(format_args!(
                "-k/--stack-trace has no effect with -c/--summary-only"
            ));
            None
        }
        Some(request) => {
            if let Some(reason) = rtrace_stack::Stacks::unsupported() {
                return Err(reason.into());
            }
            Some(stacks::StackTraces::new(
                request
                    .frame_limit
                    .unwrap_or(rtrace_stack::DEFAULT_FRAME_LIMIT),
                request.source,
            ))
        }
        None => {
            if options.stack_trace_frame_limit.is_some() {
                say(format_args!(
                    "--stack-trace-frame-limit has no effect without -k/--stack-trace"
                ));
            }
            None
        }
    };
    let also_stop = if stack_traces.is_some() {
        stacks::CHANGES_MAPPINGS
    } else {
        &[]
    };
    let seccomp = seccomp_filter(&options, &pids, &filters, &arches, also_stop);
    let summaries = Summaries::new(arches.iter(), summary_options);
    let mut session = Session::new(
        arches,
        registry,
        filters,
        session_options,
        printer,
        summaries,
    );
    session.stacks = stack_traces;

    let placement = match options.cpu_placement {
        Some(Placement::Adaptive) => CpuPlacement::Adaptive,
        Some(Placement::SameCpu) => CpuPlacement::SameCpu,
        Some(Placement::Spin) => CpuPlacement::Spin,
        Some(Placement::None) => CpuPlacement::Free,
        // The figures in PERFORMANCE.md chose it: a launched command shares rtrace's
        // CPU while its tracees take turns, where every syscall's stop is cheapest, and
        // gets its CPUs back where it computes in parallel. Under --seccomp-bpf it
        // mostly runs untraced, and keeping its threads on every CPU is worth more than
        // cheap hand-overs at the few stops. Attached processes are not moved.
        None if program.is_some() && seccomp.is_none() => CpuPlacement::Adaptive,
        None => CpuPlacement::Free,
    };
    let mut tracer = Tracer::new(TracerOptions {
        seccomp,
        placement,
        follow_forks: options.follows(),
        kill_on_exit: options.kill_on_exit,
        cpu_times: options.counting() && !(options.wall_clock || options.latency),
    });
    handle_fatal_signals(match options.interruptible() {
        Interruptible::Anywhere => rtrace_engine::Interruptible::Anywhere,
        Interruptible::Waiting => rtrace_engine::Interruptible::Waiting,
        Interruptible::Never => rtrace_engine::Interruptible::Never,
        Interruptible::NeverTstp => rtrace_engine::Interruptible::NeverTstp,
    });
    for &pid in &pids {
        match tracer.attach(pid) {
            Ok(tids) => {
                for &tid in &tids {
                    session.attached(tid);
                }
                if !quiet.attach {
                    if tids.len() > 1 {
                        say(format_args!(
                            "Process {pid} attached with {} threads",
                            tids.len()
                        ));
                    } else {
                        say(format_args!("Process {pid} attached"));
                    }
                }
            }
            Err(e) => {
                tracer.detach_everything(&mut session);
                // strace's two lines: the refusal, then why when it can tell.
                if let Some(why) = e.diagnosis() {
                    say(format_args!("{e}"));
                    return Err(why);
                }
                return Err(e.to_string());
            }
        }
    }
    if let Some(program) = program {
        let env = command_env(&options);
        // `--argv0`: the program still comes from the command's first word.
        let mut argv = options.command.clone();
        if let Some(argv0) = &options.argv0 {
            argv[0] = argv0.clone();
        }
        let launched = match daemonize {
            // strace says it attached, as to a -p process.
            Some(how) => tracer
                .launch_as_grandparent(&program, &argv, &env, credentials.as_ref(), how)
                .inspect(|pid| {
                    if !quiet.attach {
                        say(format_args!("Process {pid} attached"));
                    }
                }),
            None => tracer.launch(&program, &argv, &env, credentials.as_ref()),
        };
        match launched {
            Ok(pid) => session.launched(pid),
            Err(e) => {
                tracer.detach_everything(&mut session);
                return Err(e.to_string());
            }
        }
    }

    let outcome = tracer.run(&mut session);
    if options.counting() {
        let mut table = Vec::new();
        session.summaries.write(&mut table, sort);
        session.printer.write_raw(&table);
    }
    session.printer.finish();
    let mut output_error = session.printer.error().map(str::to_string);
    if let Some(err) = &output_error {
        say(format_args!("{err}"));
    }
    if let (Some(pictures), Some(recorder)) = (pictures, session.printer.take_recorder()) {
        if let Err(err) = pictures.write(recorder) {
            say(format_args!("{err}"));
            output_error.get_or_insert(err);
        }
    }
    // Last, after the summary and the pictures, as strace shows its tip.
    if let Some(tip) = tip {
        show_tip(tip);
    }
    if let Some(how) = outcome.launched {
        return Ok(exit_like(how));
    }
    if let Some(signal) = outcome.interrupted_by {
        return Ok(exit_like(ExitKind::Killed {
            signal,
            core_dumped: false,
        }));
    }
    if output_error.is_some() {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
