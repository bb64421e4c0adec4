//! `rtrace`: the command line. Parses strace's options, loads the decoder plugins,
//! wires engine → arch → decoders → renderer → sink, and exits as strace does.
//!
//! Owns: option parsing and validation (one clear line per bad input), plugin loading
//! order, the session glue, and rtrace's own exit status.
//!
//! Must not know: ptrace details (the engine), register layouts (arch crates), any
//! syscall's decoding (plugins), or text layout (the renderer).

mod arches;
mod options;
mod session;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;
use rtrace_decode::{DecodeOptions, DecoderRegistry, PluginSearch};
use rtrace_engine::{install_interrupt_handlers, resolve_command, ExitKind, Tracer, TracerOptions};
use rtrace_render::{HexMode, LayoutOptions, LineLayout, PidPrefix, ValueRenderer};
use rtrace_sink::Output;

use crate::arches::Arches;
use crate::options::Options;
use crate::session::Session;

/// Prints rtrace's own one-line error and gives the exit status for it.
fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("rtrace: {message}");
    ExitCode::from(1)
}

fn parse_options() -> Result<Options, ExitCode> {
    match Options::try_parse() {
        Ok(o) => Ok(o),
        Err(e) => match e.kind() {
            clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
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

fn load_plugins(options: &Options) -> Result<DecoderRegistry, String> {
    let search = PluginSearch::from_environment();
    let mut registry = DecoderRegistry::new();
    if !options.no_default_plugins {
        registry.load_defaults(&search).map_err(|e| e.to_string())?;
    }
    for spec in &options.plugins {
        registry
            .load_spec(&search, spec)
            .map_err(|e| e.to_string())?;
    }
    Ok(registry)
}

fn list_plugins(registry: &DecoderRegistry) {
    if registry.list().is_empty() {
        println!("no plugins loaded");
    }
    for plugin in registry.list() {
        println!(
            "{} {} {}",
            plugin.name,
            plugin.version,
            plugin.path.display()
        );
        println!("  syscalls: {}", plugin.syscalls.join(" "));
    }
}

fn open_output(options: &Options) -> Result<Output, String> {
    let result = match (&options.output, options.follow >= 2) {
        (Some(path), true) => Output::per_process(path),
        (Some(path), false) => Output::file(path),
        (None, _) => Ok(Output::stderr()),
    };
    result.map_err(|e| e.to_string())
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
    let pids = match options.parsed_pids() {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let registry = match load_plugins(&options) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    if options.list_plugins {
        list_plugins(&registry);
        return ExitCode::SUCCESS;
    }
    if options.command.is_empty() && pids.is_empty() {
        return fail("must have PROG [ARGS] or -p PID (see 'rtrace --help')");
    }
    let program = match options.command.first() {
        Some(name) => match resolve_command(name) {
            Ok(path) => Some(path),
            Err(e) => return fail(e),
        },
        None => None,
    };
    // The output is opened before anything starts, so a bad -o path stops us early.
    let output = match open_output(&options) {
        Ok(o) => o,
        Err(e) => return fail(e),
    };

    let several = options.follow > 0 || pids.len() + usize::from(program.is_some()) > 1;
    let prefix = match (&options.output, options.follow >= 2) {
        (Some(_), true) => PidPrefix::Never,
        (Some(_), false) if several => PidPrefix::Always,
        _ => PidPrefix::WhileSeveral,
    };
    let layout = LineLayout::new(
        LayoutOptions {
            align_column: options.align_column,
            prefix,
            separate_streams: prefix == PidPrefix::Never,
            ..LayoutOptions::default()
        },
        ValueRenderer {
            hex: HexMode::from_level(options.hex),
        },
    );
    let decode_options = DecodeOptions {
        string_limit: options.string_limit,
        verbose: options.verbose,
        hex_strings: options.hex.min(2),
    };
    let mut session = Session::new(Arches::all(), registry, decode_options, layout, output);
    session.quiet = options.quiet > 0;

    let mut tracer = Tracer::new(TracerOptions {
        follow_forks: options.follow > 0,
    });
    install_interrupt_handlers();
    for &pid in &pids {
        match tracer.attach(pid) {
            Ok(tids) => {
                for &tid in &tids {
                    session.attached(tid);
                }
                if !session.quiet {
                    if tids.len() > 1 {
                        eprintln!("rtrace: Process {pid} attached with {} threads", tids.len());
                    } else {
                        eprintln!("rtrace: Process {pid} attached");
                    }
                }
            }
            Err(e) => {
                tracer.detach_everything(&mut session);
                return fail(e);
            }
        }
    }
    if let Some(program) = program {
        let env: Vec<(OsString, OsString)> = std::env::vars_os().collect();
        match tracer.launch(&program, &options.command, &env) {
            Ok(pid) => session.launched(pid),
            Err(e) => {
                tracer.detach_everything(&mut session);
                return fail(e);
            }
        }
    }

    let outcome = tracer.run(&mut session);
    session.finish();
    if let Some(err) = &session.output_error {
        eprintln!("rtrace: {err}");
    }
    if let Some(how) = outcome.launched {
        return exit_like(how);
    }
    if let Some(signal) = outcome.interrupted_by {
        return exit_like(ExitKind::Killed {
            signal,
            core_dumped: false,
        });
    }
    if session.output_error.is_some() {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
