//! `--tips[=[[id:]ID][,[format:]FORMAT]]`: a tip about rtrace, printed to stderr when
//! rtrace exits, as strace prints one of its own. The option's language is strace's
//! (an id or `random`, a format `none`, `compact` or `full`); the tips are rtrace's, in
//! its own words, about what it can do.

use std::time::{SystemTime, UNIX_EPOCH};

/// The tips, each a few lines of at most [`WIDTH`] characters.
const TIPS: &[&[&str]] = &[
    &[
        "-k shows the user stack of each call:",
        "which function made it, in which file.",
        "Add --stack-trace=source (-kk) for the",
        "source file and line of each frame.",
    ],
    &[
        "--timeline FILE.html draws the trace as",
        "one page: threads as lanes, calls as bars,",
        "with zoom and search. --perfetto writes it",
        "for Perfetto's viewer; --from-json redraws",
        "a trace recorded with --json.",
    ],
    &[
        "--json writes one JSON object per event:",
        "each argument's raw value beside its",
        "decoded structure, ready for jq.",
    ],
    &[
        "-e inject=openat:error=ENOENT:when=3",
        "makes the third openat fail: a quick way",
        "to test a program's error paths. Add",
        "delay_enter= or retval= for other faults.",
    ],
    &[
        "--seccomp-bpf stops the tracee only for",
        "the calls -e trace= selects: tracing a",
        "few calls of a busy program costs almost",
        "nothing for the others.",
    ],
    &[
        "-Y (--decode-pids=comm) names the command",
        "behind every pid it prints, and -N",
        "(--arg-names) names every argument.",
    ],
    &[
        "-yy shows what a descriptor is: a file's",
        "path, a socket's addresses and protocol,",
        "a device's numbers.",
    ],
    &[
        "-c counts calls, errors and time per",
        "syscall; -w counts wall-clock time",
        "instead of system time, and --latency",
        "adds p50, p99 and maximum columns.",
    ],
    &[
        "A decoder is a plugin: rtrace --plugin",
        "./my.so adds or replaces the decoding of",
        "a syscall family, and --list-plugins",
        "shows who decodes what.",
    ],
    &[
        "By default a launched command shares",
        "rtrace's CPU while its threads take turns,",
        "and gets its CPUs back when they compute",
        "in parallel (--cpu-placement).",
    ],
    &[
        "-P PATH traces only the calls that touch",
        "PATH, and --syscall-limit=N detaches",
        "after N traced calls, leaving the",
        "program running.",
    ],
    &[
        "-e read=3 and -e write=1 dump the bytes",
        "each call read from or wrote to those",
        "descriptors, in hex and ASCII.",
    ],
];

/// The box's inner width.
const WIDTH: usize = 42;

/// How the tip is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TipFormat {
    /// The tip alone, in its box.
    Compact,
    /// The box, and how to see any other tip.
    Full,
}

/// The tip `--tips` asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TipRequest {
    /// None: a random one.
    pub id: Option<usize>,
    pub format: TipFormat,
}

/// Parses `--tips`'s argument (empty for the bare option): None when the format is
/// `none`. An id past the last tip wraps around, as strace's does.
pub fn parse(spec: &str) -> Result<Option<TipRequest>, String> {
    let invalid = || format!("invalid --tips argument: '{spec}'");
    let mut id = None;
    let mut format = Some(TipFormat::Compact);
    for token in spec.split(',').filter(|t| !t.is_empty()) {
        let (kind, value) = match token.split_once(':') {
            Some((kind, value)) if kind.eq_ignore_ascii_case("id") => (Some(true), value),
            Some((kind, value)) if kind.eq_ignore_ascii_case("format") => (Some(false), value),
            _ => (None, token),
        };
        let as_id = if value.eq_ignore_ascii_case("random") {
            Some(None)
        } else {
            value.parse::<u32>().ok().map(|n| Some(n as usize))
        };
        let as_format = match value.to_ascii_lowercase().as_str() {
            "none" => Some(None),
            "compact" => Some(Some(TipFormat::Compact)),
            "full" => Some(Some(TipFormat::Full)),
            _ => None,
        };
        match (kind, as_id, as_format) {
            (Some(true) | None, Some(chosen), _) => id = chosen,
            (Some(false) | None, _, Some(chosen)) => format = chosen,
            _ => return Err(invalid()),
        }
    }
    Ok(format.map(|format| TipRequest { id, format }))
}

impl TipRequest {
    /// The tip's lines, boxed.
    pub fn lines(&self) -> Vec<String> {
        let id = self.id.unwrap_or_else(random_id) % TIPS.len();
        let rule = "_".repeat(WIDTH + 2);
        let mut lines = vec![format!("  {rule}")];
        let title = format!("rtrace tip #{id}");
        lines.push(format!(" / {title:<WIDTH$} \\"));
        lines.push(format!(" | {:<WIDTH$} |", ""));
        for text in TIPS[id] {
            lines.push(format!(" | {text:<WIDTH$} |"));
        }
        lines.push(format!(" \\{rule}/"));
        if self.format == TipFormat::Full {
            lines.push(format!(
                "   Any other: rtrace --tips=id:N, N from 0 to {}.",
                TIPS.len() - 1
            ));
        }
        lines
    }
}

/// A tip chosen by the clock, as strace seeds its choice.
fn random_id() -> usize {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    (now.as_secs() ^ u64::from(now.subsec_micros())) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tip_fits_its_box() {
        for (id, tip) in TIPS.iter().enumerate() {
            assert!(!tip.is_empty(), "tip {id} is empty");
            for line in *tip {
                assert!(line.chars().count() <= WIDTH, "tip {id}: {line:?}");
            }
        }
    }

    #[test]
    fn the_option_takes_strace_s_language() {
        let compact = |id| {
            Some(TipRequest {
                id,
                format: TipFormat::Compact,
            })
        };
        assert_eq!(parse(""), Ok(compact(None)));
        assert_eq!(parse("3"), Ok(compact(Some(3))));
        assert_eq!(parse("id:4"), Ok(compact(Some(4))));
        assert_eq!(parse("ID:random"), Ok(compact(None)));
        assert_eq!(
            parse("full,id:2"),
            Ok(Some(TipRequest {
                id: Some(2),
                format: TipFormat::Full
            }))
        );
        assert_eq!(parse("format:none"), Ok(None));
        assert_eq!(parse("none"), Ok(None));
        for bad in ["bogus", "id:full", "format:3", "id:-1"] {
            assert_eq!(
                parse(bad),
                Err(format!("invalid --tips argument: '{bad}'")),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_tip_is_boxed_and_ids_wrap_around() {
        let request = |id, format| TipRequest {
            id: Some(id),
            format,
        };
        let lines = request(1, TipFormat::Compact).lines();
        let title = "rtrace tip #1";
        assert!(lines[1].starts_with(&format!(" / {title} ")), "{lines:#?}");
        assert!(lines.iter().any(|l| l.contains(TIPS[1][0])));
        // The sides line up: every line but the top rule is as wide as the bottom one.
        let width = lines[lines.len() - 1].chars().count();
        assert!(
            lines[1..].iter().all(|l| l.chars().count() == width),
            "{lines:#?}"
        );
        assert_eq!(lines[0].trim_start(), &lines[lines.len() - 1][2..width - 1]);
        assert_eq!(request(1 + TIPS.len(), TipFormat::Compact).lines(), lines);
        let full = request(1, TipFormat::Full).lines();
        assert_eq!(&full[..lines.len()], &lines[..]);
        assert!(full[lines.len()].contains("--tips=id:N"));
    }
}
