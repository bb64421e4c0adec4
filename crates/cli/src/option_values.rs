//! What the options that take strace's small languages mean: timestamp formats and
//! precisions, `--strings-in-hex`, the short forms against their long forms (`-q` or
//! `--quiet=`, `-y` or `--decode-fds=`, `-t` or `--absolute-timestamps=`), and
//! `--tips`.

use std::time::Duration;

use rtrace_engine::Daemonize;
use rtrace_options::Options;
use rtrace_render::{Precision, TimeFormat};

use crate::fds::FdDetails;
use crate::filter::{Filters, Quiet};
use crate::tips::{self, TipRequest};

/// `--tips[=...]`: the tip to show on exit, if any.
pub fn tips(options: &Options) -> Result<Option<TipRequest>, String> {
    options.tips.as_deref().map_or(Ok(None), tips::parse)
}

/// `-D`/`-DD`/`-DDD` or `--daemonize[=grandchild|pgroup|session]`.
pub fn daemonize(options: &Options) -> Result<Option<Daemonize>, String> {
    let how = match (&options.daemonize_mode, options.daemonize) {
        (Some(_), n) if n > 0 => {
            return Err("-D and --daemonize cannot be provided simultaneously".into())
        }
        (Some(mode), _) => match mode.as_str() {
            "grandchild" => Daemonize::Grandchild,
            "pgroup" | "pgrp" => Daemonize::ProcessGroup,
            "session" => Daemonize::Session,
            _ => return Err(format!("invalid --daemonize argument: '{mode}'")),
        },
        (None, 0) => return Ok(None),
        (None, 1) => Daemonize::Grandchild,
        (None, 2) => Daemonize::ProcessGroup,
        (None, 3) => Daemonize::Session,
        (None, n) => {
            return Err(format!(
                "Too many -D's ({n}), maximum supported -D count is 3"
            ))
        }
    };
    // Neither a command nor -p: the general message says what is missing.
    if options.command.is_empty() && !options.pids.is_empty() {
        return Err("PROG [ARGS] must be specified with -D/--daemonize".into());
    }
    Ok((!options.command.is_empty()).then_some(how))
}

/// strace's precision names, for `--relative-timestamps=` and `--syscall-times=`.
fn precision(option: &str, value: &str) -> Result<Precision, String> {
    Precision::parse(value).ok_or_else(|| format!("invalid --{option} argument: '{value}'"))
}

/// `-t`/`-tt`/`-ttt` or `--absolute-timestamps=[format:]FORMAT,[precision:]PRECISION`.
pub fn absolute_time(options: &Options) -> Result<TimeFormat, String> {
    let spec = match (&options.absolute_timestamps, options.timestamps) {
        (Some(_), n) if n > 0 => {
            return Err("-t and --absolute-timestamps cannot be provided simultaneously".into())
        }
        (Some(spec), _) => spec.as_str(),
        (None, 0) => return Ok(TimeFormat::None),
        (None, 1) => "format:time",
        (None, 2) => "precision:us,format:time",
        (None, _) => "format:unix,precision:us",
    };
    parse_time_spec(spec).ok_or_else(|| format!("invalid --absolute-timestamps argument: '{spec}'"))
}

/// Each comma-separated token is a format (`none`, `time`, `unix`) or a precision,
/// optionally marked by `format:` or `precision:`. The format defaults to `time`, the
/// precision to seconds.
fn parse_time_spec(spec: &str) -> Option<TimeFormat> {
    #[derive(Clone, Copy, PartialEq)]
    enum Format {
        None,
        Time,
        Unix,
    }
    let mut format = Format::Time;
    let mut digits = Precision::Seconds;
    for token in spec.split(',') {
        let lower = token.to_ascii_lowercase();
        let (as_format, as_precision, value) = if let Some(v) = lower.strip_prefix("format:") {
            (true, false, v.to_string())
        } else if let Some(v) = lower.strip_prefix("precision:") {
            (false, true, v.to_string())
        } else {
            (true, true, lower.clone())
        };
        let named_format = match value.as_str() {
            "none" => Some(Format::None),
            "time" => Some(Format::Time),
            "unix" => Some(Format::Unix),
            _ => None,
        };
        match (named_format, Precision::parse(&value)) {
            (Some(f), _) if as_format => format = f,
            (_, Some(p)) if as_precision => digits = p,
            _ => return None,
        }
    }
    Some(match format {
        Format::None => TimeFormat::None,
        Format::Time => TimeFormat::Clock(digits),
        Format::Unix => TimeFormat::Unix(digits),
    })
}

/// `-r` (microseconds) or `--relative-timestamps[=PRECISION]`.
pub fn relative_time(options: &Options) -> Result<Option<Precision>, String> {
    match &options.relative_precision {
        Some(p) => precision("relative-timestamps", p).map(Some),
        None => Ok(options.relative.then_some(Precision::Micros)),
    }
}

/// `-T` (microseconds) or `--syscall-times[=PRECISION]`.
pub fn syscall_times(options: &Options) -> Result<Option<Precision>, String> {
    match &options.syscall_times_precision {
        Some(p) => precision("syscall-times", p).map(Some),
        None => Ok(options.syscall_times.then_some(Precision::Micros)),
    }
}

/// The decode options' hex level: `-x`/`-xx`, or `--strings-in-hex=` (strace's
/// numbering: 0 none, 1 non-ascii, 2 all, 3 non-ascii-chars).
pub fn hex_level(options: &Options) -> Result<u8, String> {
    let Some(mode) = &options.strings_in_hex else {
        return Ok(options.hex.min(2));
    };
    if options.hex > 0 {
        return Err("-x and --strings-in-hex cannot be provided simultaneously".into());
    }
    Ok(match mode.as_str() {
        "none" => 0,
        "non-ascii" => 1,
        "all" => 2,
        "non-ascii-chars" => 3,
        other => return Err(format!("invalid --strings-in-hex argument: '{other}'")),
    })
}

/// `-q`/`-qq`/`-qqq` or `-e quiet=`/`--quiet=`; without either, `-o FILE` with a
/// command implies `-q` as in strace.
pub fn quiet(options: &Options, filters: &Filters) -> Result<Quiet, String> {
    match (filters.quiet, options.quiet) {
        (Some(_), n) if n > 0 => {
            Err("-q and -e quiet/--quiet cannot be provided simultaneously".into())
        }
        (Some(set), _) => Ok(set),
        (None, 0) if options.output.is_some() && !options.command.is_empty() => {
            Ok(Quiet::from_count(1))
        }
        (None, n) => Ok(Quiet::from_count(n)),
    }
}

/// `-y`/`-yy` or `-e decode-fds=`/`--decode-fds=`.
pub fn fd_details(options: &Options, filters: &Filters) -> Result<FdDetails, String> {
    match (filters.decode_fds, options.decode_fds) {
        (Some(_), n) if n > 0 => {
            Err("-y and --decode-fds cannot be provided simultaneously".into())
        }
        (Some(set), _) => Ok(set),
        (None, 0) => Ok(FdDetails::default()),
        (None, 1) => Ok(FdDetails::PATH),
        (None, _) => Ok(FdDetails::ALL),
    }
}

/// strace's time specification (`-O`): a non-negative number, integer or decimal, and
/// an optional unit `s`, `ms`, `us` (the default) or `ns`.
pub fn time_spec(text: &str) -> Option<Duration> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-')))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let nanos_per_unit: f64 = match unit {
        "s" => 1e9,
        "ms" => 1e6,
        "" | "us" => 1e3,
        "ns" => 1.0,
        _ => return None,
    };
    if number.is_empty() {
        return None;
    }
    if let Ok(whole) = number.parse::<u64>() {
        return Some(Duration::from_nanos(
            whole.checked_mul(nanos_per_unit as u64)?,
        ));
    }
    let value: f64 = number.parse().ok()?;
    (value >= 0.0 && value.is_finite())
        .then(|| Duration::from_nanos((value * nanos_per_unit) as u64))
}

/// `--syscall-limit=N`, N at least 1.
pub fn syscall_limit(options: &Options) -> Result<Option<u64>, String> {
    match &options.syscall_limit {
        None => Ok(None),
        Some(text) => match text.parse::<u64>() {
            Ok(n) if n > 0 => Ok(Some(n)),
            _ => Err(format!("invalid --syscall-limit argument: '{text}'")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn parse(args: &[&str]) -> Options {
        let mut all = vec!["rtrace"];
        all.extend_from_slice(args);
        all.push("true");
        Options::try_parse_from(all).unwrap()
    }

    #[test]
    fn timestamp_specs() {
        let t = |args: &[&str]| absolute_time(&parse(args));
        assert_eq!(t(&[]).unwrap(), TimeFormat::None);
        assert_eq!(t(&["-t"]).unwrap(), TimeFormat::Clock(Precision::Seconds));
        assert_eq!(t(&["-tt"]).unwrap(), TimeFormat::Clock(Precision::Micros));
        assert_eq!(t(&["-ttt"]).unwrap(), TimeFormat::Unix(Precision::Micros));
        assert_eq!(
            t(&["--absolute-timestamps"]).unwrap(),
            TimeFormat::Clock(Precision::Seconds)
        );
        assert_eq!(
            t(&["--timestamps=unix,ns"]).unwrap(),
            TimeFormat::Unix(Precision::Nanos)
        );
        assert_eq!(
            t(&["--absolute-timestamps=precision:ms"]).unwrap(),
            TimeFormat::Clock(Precision::Millis)
        );
        assert_eq!(t(&["--timestamps=format:none"]).unwrap(), TimeFormat::None);
        assert_eq!(
            t(&["--timestamps=foo"]).unwrap_err(),
            "invalid --absolute-timestamps argument: 'foo'"
        );
        assert_eq!(
            t(&["--timestamps=format:ms"]).unwrap_err(),
            "invalid --absolute-timestamps argument: 'format:ms'"
        );
        assert!(t(&["-t", "--timestamps"])
            .unwrap_err()
            .contains("simultaneously"));
    }

    #[test]
    fn precisions_of_r_and_t() {
        assert_eq!(
            relative_time(&parse(&["-r"])).unwrap(),
            Some(Precision::Micros)
        );
        assert_eq!(
            relative_time(&parse(&["--relative-timestamps=ns"])).unwrap(),
            Some(Precision::Nanos)
        );
        assert_eq!(
            syscall_times(&parse(&["--syscall-times=s"])).unwrap(),
            Some(Precision::Seconds)
        );
        assert_eq!(syscall_times(&parse(&[])).unwrap(), None);
        assert_eq!(
            syscall_times(&parse(&["--syscall-times=xs"])).unwrap_err(),
            "invalid --syscall-times argument: 'xs'"
        );
    }

    #[test]
    fn hex_levels() {
        assert_eq!(hex_level(&parse(&["-xx"])).unwrap(), 2);
        assert_eq!(hex_level(&parse(&["--strings-in-hex"])).unwrap(), 2);
        assert_eq!(
            hex_level(&parse(&["--strings-in-hex=non-ascii-chars"])).unwrap(),
            3
        );
        assert!(hex_level(&parse(&["-x", "--strings-in-hex=none"])).is_err());
        assert!(hex_level(&parse(&["--strings-in-hex=foo"])).is_err());
    }

    #[test]
    fn daemonize_modes() {
        assert_eq!(
            daemonize(&parse(&["-DD"])).unwrap(),
            Some(Daemonize::ProcessGroup)
        );
        assert_eq!(
            daemonize(&parse(&["--daemonize"])).unwrap(),
            Some(Daemonize::Grandchild)
        );
        assert_eq!(
            daemonize(&parse(&["--daemonize=pgrp"])).unwrap(),
            Some(Daemonize::ProcessGroup)
        );
        assert_eq!(
            daemonize(&parse(&["--daemonize=x"])).unwrap_err(),
            "invalid --daemonize argument: 'x'"
        );
        assert!(daemonize(&parse(&["-DDDD"]))
            .unwrap_err()
            .starts_with("Too many -D's (4)"));
    }

    #[test]
    fn tips_are_asked_for_in_strace_s_language() {
        assert_eq!(tips(&parse(&[])), Ok(None));
        assert_eq!(tips(&parse(&["--tips=format:none"])), Ok(None));
        assert!(tips(&parse(&["--tips"])).unwrap().is_some());
        assert_eq!(
            tips(&parse(&["--tips=bogus"])),
            Err("invalid --tips argument: 'bogus'".to_string())
        );
    }

    #[test]
    fn time_specs() {
        assert_eq!(time_spec("15"), Some(Duration::from_micros(15)));
        assert_eq!(time_spec("1.5ms"), Some(Duration::from_micros(1500)));
        assert_eq!(time_spec("2s"), Some(Duration::from_secs(2)));
        assert_eq!(time_spec("100ns"), Some(Duration::from_nanos(100)));
        assert_eq!(time_spec("-1"), None);
        assert_eq!(time_spec("5m"), None);
        assert_eq!(time_spec("us"), None);
    }

    #[test]
    fn syscall_limits() {
        assert_eq!(
            syscall_limit(&parse(&["--syscall-limit=3"])).unwrap(),
            Some(3)
        );
        assert_eq!(
            syscall_limit(&parse(&["--syscall-limit=0"])).unwrap_err(),
            "invalid --syscall-limit argument: '0'"
        );
    }
}
