//! The command line, with strace's option names and meanings.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{ArgAction, Parser};

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
    /// Follow forks, vforks and clones (threads). Given twice with -o, one file per process.
    #[arg(short = 'f', action = ArgAction::Count, help_heading = "Tracing")]
    pub follow: u8,

    /// Attach to the process PID (repeatable, or a comma- or space-separated list).
    #[arg(short = 'p', value_name = "PID", help_heading = "Tracing")]
    pub pids: Vec<String>,

    /// Write the trace to FILE instead of stderr (FILE.PID per process with -ff).
    #[arg(short = 'o', value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,

    /// Show at most N bytes of each string (default 32; 0: no limit).
    #[arg(
        short = 's',
        value_name = "N",
        default_value_t = 32,
        help_heading = "Output"
    )]
    pub string_limit: u32,

    /// Put `= ` at column N (default 40).
    #[arg(
        short = 'a',
        value_name = "N",
        default_value_t = 40,
        help_heading = "Output"
    )]
    pub align_column: usize,

    /// Print non-ASCII strings in hex; given twice (-xx), every string.
    #[arg(short = 'x', action = ArgAction::Count, help_heading = "Output")]
    pub hex: u8,

    /// Print structures and arrays in full.
    #[arg(short = 'v', help_heading = "Output")]
    pub verbose: bool,

    /// Suppress messages about attaching and detaching.
    #[arg(short = 'q', action = ArgAction::Count, help_heading = "Output")]
    pub quiet: u8,

    /// Load a decoder plugin (a path, or a name found in the plugin directories). Repeatable;
    /// a later plugin overrides earlier ones for the syscalls it claims.
    #[arg(long = "plugin", value_name = "PATH_OR_NAME", help_heading = "Plugins")]
    pub plugins: Vec<String>,

    /// Do not load the bundled decoder plugins (arguments print raw).
    #[arg(long = "no-default-plugins", help_heading = "Plugins")]
    pub no_default_plugins: bool,

    /// List the loaded plugins, their versions, paths and syscalls, and exit.
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let o = Options::try_parse_from(["rtrace", "-xx", "-ff", "-s", "64", "true"]).unwrap();
        assert_eq!((o.hex, o.follow, o.string_limit), (2, 2, 64));
        assert!(Options::try_parse_from(["rtrace", "-s", "-1", "true"]).is_err());
    }
}
