//! `-e inject=SET:TOKEN:...` and `-e fault=SET:...` as strace 7.2 reads them: the
//! actions (`error=`, `retval=`, `signal=`, `syscall=`, `delay_enter=`, `delay_exit=`,
//! `poke_enter=`, `poke_exit=`) and which invocations they apply to (`when=`).

use std::time::Duration;

use rtrace_render::errno::errno_by_name;
use rtrace_render::signals::{signal_by_name, KERNEL_SIGRTMAX};

use crate::filter::SyscallSet;

/// The largest errno a syscall returns (`MAX_ERRNO`).
const MAX_ERRNO: u64 = 4095;
/// strace's `when=` numbers are 16-bit; `last` stops one short, its maximum meaning
/// "no last".
const WHEN_MAX: u32 = 0xffff;
/// strace's limit on a poke's hex digits.
const POKE_MAX_DIGITS: usize = 2048;

/// Which invocations of a syscall (counted from 1, per syscall and per thread) are
/// tampered with: `first`, then every `step`th after it (none when 0), up to `last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    pub first: u32,
    pub last: Option<u32>,
    pub step: u32,
}

impl Default for When {
    /// Every invocation.
    fn default() -> Self {
        When {
            first: 1,
            last: None,
            step: 1,
        }
    }
}

impl When {
    /// Whether invocation number `n` (from 1) is tampered with.
    pub fn selects(&self, n: u32) -> bool {
        if n < self.first || self.last.is_some_and(|last| n > last) {
            return false;
        }
        match self.step {
            0 => n == self.first,
            step => (n - self.first) % step == 0,
        }
    }

    /// `FIRST`, `FIRST+`, `FIRST+STEP`, `FIRST..LAST`, `FIRST..LAST+`, `FIRST..LAST+STEP`.
    fn parse(text: &str) -> Option<When> {
        let (range, step) = match text.split_once('+') {
            Some((range, step)) => (range, Some(step)),
            None => (text, None),
        };
        let (first, last) = match range.split_once("..") {
            Some((first, last)) => (first, Some(last)),
            None => (range, None),
        };
        let first = when_number(first, WHEN_MAX)?;
        let last = match last {
            Some(last) => {
                let last = when_number(last, WHEN_MAX - 1)?;
                if last < first {
                    return None;
                }
                Some(last)
            }
            None => None,
        };
        let step = match step {
            Some("") => 1,
            Some(step) => when_number(step, WHEN_MAX)?,
            // `FIRST` alone is that invocation only; a range takes every one in it.
            None if last.is_none() => 0,
            None => 1,
        };
        Some(When { first, last, step })
    }
}

/// A decimal number in 1..=max.
fn when_number(text: &str, max: u32) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = text.parse().ok()?;
    (1..=max).contains(&n).then_some(n)
}

/// What the tampered call returns instead of running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// `error=`: fails with this errno.
    Error(u16),
    /// `retval=`: succeeds with this value.
    Retval(u64),
}

/// `@argN=HEX`: bytes written where argument N (1..7) points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poke {
    pub arg: u8,
    pub data: Vec<u8>,
}

/// One `inject=` or `fault=` expression's actions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Action {
    pub outcome: Option<Outcome>,
    pub signal: Option<i32>,
    /// `syscall=`: a call without side effects run instead of -1 (the outcome still
    /// replaces its result).
    pub substitute: Option<&'static str>,
    pub delay_enter: Option<Duration>,
    pub delay_exit: Option<Duration>,
    pub poke_enter: Vec<Poke>,
    pub poke_exit: Vec<Poke>,
    pub when: When,
}

impl Action {
    fn has_effect(&self) -> bool {
        self.outcome.is_some()
            || self.signal.is_some()
            || self.delay_enter.is_some()
            || self.delay_exit.is_some()
            || !self.poke_enter.is_empty()
            || !self.poke_exit.is_empty()
    }
}

/// A syscall set and what is done to its calls.
#[derive(Debug, Clone)]
pub struct Rule {
    pub set: SyscallSet,
    pub action: Action,
}

/// Which expression is being read: `fault=` takes only `error=` and `when=`, and
/// defaults to ENOSYS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Inject,
    Fault,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::Inject => "inject argument",
            Kind::Fault => "fault argument",
        }
    }
}

/// Reads one expression. `known` lists every syscall name, `personalities` the
/// designators a name may carry (`open@64`); `pure` is strace's `%pure` class (the only
/// calls `syscall=` may substitute). Warnings strace prints for a
/// `retval=` that a caller could take for an error are returned beside the rule.
pub fn parse(
    spec: &str,
    kind: Kind,
    known: &[&'static str],
    personalities: &[&'static str],
    pure: &SyscallSet,
) -> Result<(Rule, Vec<String>), String> {
    let invalid = || format!("invalid {} '{spec}'", kind.describe());
    // Without a set in front, nothing else is read: the empty set is the error.
    if spec.is_empty() || spec.starts_with(':') {
        return Err(SyscallSet::parse("", known, personalities)
            .err()
            .unwrap_or_else(|| "invalid system call ''".into()));
    }
    let mut pieces = spec.split(':').filter(|p| !p.is_empty());
    let set_text = pieces.next().unwrap_or("");
    let mut action = Action::default();
    let mut warnings = Vec::new();
    for token in pieces {
        if !apply_token(token, kind, known, pure, &mut action, &mut warnings) {
            return Err(invalid());
        }
    }
    let set = SyscallSet::parse(set_text, known, personalities)?;
    if !action.has_effect() {
        match kind {
            Kind::Fault => action.outcome = Some(Outcome::Error(libc::ENOSYS as u16)),
            Kind::Inject => return Err(invalid()),
        }
    }
    Ok((Rule { set, action }, warnings))
}

/// Applies one `NAME=VALUE` token; false when it is not valid here.
fn apply_token(
    token: &str,
    kind: Kind,
    known: &[&'static str],
    pure: &SyscallSet,
    action: &mut Action,
    warnings: &mut Vec<String>,
) -> bool {
    let Some((name, value)) = token.split_once('=') else {
        return false;
    };
    let inject_only = kind == Kind::Inject;
    match name {
        "when" => match When::parse(value) {
            Some(when) => action.when = when,
            None => return false,
        },
        "error" if action.outcome.is_none() => {
            let errno = match value.parse::<u64>() {
                Ok(n) if value.bytes().all(|b| b.is_ascii_digit()) => Some(n as i64),
                _ => errno_by_name(value),
            };
            match errno {
                Some(n @ 1..) if n as u64 <= MAX_ERRNO => {
                    action.outcome = Some(Outcome::Error(n as u16))
                }
                _ => return false,
            }
        }
        "syscall" if action.substitute.is_none() => match known.iter().find(|&&k| k == value) {
            Some(&name) if pure.contains(Some(name), None) => action.substitute = Some(name),
            _ => return false,
        },
        "retval" if inject_only && action.outcome.is_none() => match parse_retval(value) {
            Some(v) => {
                warnings.extend(retval_warnings(v));
                action.outcome = Some(Outcome::Retval(v));
            }
            None => return false,
        },
        "signal" if inject_only && action.signal.is_none() => match signal_by_name(value) {
            Some(sig) if (1..=KERNEL_SIGRTMAX).contains(&sig) => action.signal = Some(sig),
            _ => return false,
        },
        "delay_enter" if inject_only && action.delay_enter.is_none() => {
            match parse_time_spec(value) {
                Some(d) => action.delay_enter = Some(d),
                None => return false,
            }
        }
        "delay_exit" if inject_only && action.delay_exit.is_none() => {
            match parse_time_spec(value) {
                Some(d) => action.delay_exit = Some(d),
                None => return false,
            }
        }
        "poke_enter" if inject_only && action.poke_enter.is_empty() => match parse_pokes(value) {
            Some(p) => action.poke_enter = p,
            None => return false,
        },
        "poke_exit" if inject_only && action.poke_exit.is_empty() => match parse_pokes(value) {
            Some(p) => action.poke_exit = p,
            None => return false,
        },
        _ => return false,
    }
    true
}

/// strtoull's reading of `retval=`: decimal, `0x` hex or `0` octal, a leading `-`
/// wrapping around as in C; anything left over, or an overflow, is refused.
fn parse_retval(text: &str) -> Option<u64> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let value = if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        u64::from_str_radix(hex, 16).ok()?
    } else if body.len() > 1 && body.starts_with('0') {
        u64::from_str_radix(&body[1..], 8).ok()?
    } else {
        if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        body.parse().ok()?
    };
    Some(if negative {
        value.wrapping_neg()
    } else {
        value
    })
}

/// Whether this build traces a 32-bit personality beside a 64-bit one (a retval is
/// then also read as a 32-bit number).
const HAS_COMPAT_PERSONALITY: bool = cfg!(any(target_arch = "x86_64", target_arch = "aarch64"));

/// strace's warnings for a `retval=` that the caller may see as an error, or that a
/// 32-bit personality cannot hold.
fn retval_warnings(value: u64) -> Vec<String> {
    let as_error = |v: i64| (-(MAX_ERRNO as i64)..0).contains(&v);
    if as_error(value as i64) {
        return vec![format!(
            "Inadvertent injection of error {} is possible for retval={value}",
            -(value as i64)
        )];
    }
    if !HAS_COMPAT_PERSONALITY {
        return Vec::new();
    }
    if as_error(i64::from(value as u32 as i32)) {
        return vec![format!(
            "Inadvertent injection of error {} is possible in compat personality for retval={value}",
            -(value as u32 as i32)
        )];
    }
    if u64::from(value as u32) != value {
        return vec![format!(
            "Injected return value {value} will be clipped to {} in compat personality",
            value as u32
        )];
    }
    Vec::new()
}

/// strace's time specification: a decimal number (integer or floating point) and an
/// optional unit, `s`, `ms`, `us` (the default) or `ns`.
pub fn parse_time_spec(text: &str) -> Option<Duration> {
    let number_len = text
        .find(|c: char| !(c.is_ascii_digit() || "eE.-+".contains(c)))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(number_len);
    let nanos_per_unit: f64 = match unit {
        "" | "us" => 1e3,
        "s" => 1e9,
        "ms" => 1e6,
        "ns" => 1.0,
        _ => return None,
    };
    if number.is_empty() || number.starts_with('-') {
        return None;
    }
    if number.bytes().all(|b| b.is_ascii_digit() || b == b'+') {
        let n: u64 = number.parse().ok()?;
        return Some(Duration::from_nanos(n.checked_mul(nanos_per_unit as u64)?));
    }
    let n: f64 = number.parse().ok()?;
    if !(n >= 0.0 && n.is_finite()) {
        return None;
    }
    Some(Duration::from_secs_f64(n * nanos_per_unit / 1e9))
}

/// `@argN=HEX,@argM=HEX...`: N in 1..7, an even number of hex digits (at most 2048).
fn parse_pokes(text: &str) -> Option<Vec<Poke>> {
    let mut pokes = Vec::new();
    for item in text.split(',').filter(|i| !i.is_empty()) {
        let rest = item.strip_prefix("@arg")?;
        let mut chars = rest.chars();
        let arg = chars.next()?.to_digit(10).filter(|n| (1..=7).contains(n))? as u8;
        let hex = chars.as_str().strip_prefix('=')?;
        if hex.is_empty() || hex.len() % 2 != 0 || hex.len() > POKE_MAX_DIGITS {
            return None;
        }
        let data = hex
            .as_bytes()
            .chunks(2)
            .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        pokes.push(Poke { arg, data });
    }
    (!pokes.is_empty()).then_some(pokes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &["openat", "open", "getpid", "read", "chdir"];
    const PERSONALITIES: &[&str] = &["64", "32", "x32"];

    fn pure() -> SyscallSet {
        SyscallSet::parse("getpid", KNOWN, PERSONALITIES).unwrap()
    }

    fn inject(spec: &str) -> Result<Action, String> {
        parse(spec, Kind::Inject, KNOWN, PERSONALITIES, &pure()).map(|(rule, _)| rule.action)
    }

    #[test]
    fn when_forms_select_as_strace_counts() {
        let picks = |spec: &str| -> Vec<u32> {
            let when = When::parse(spec).unwrap();
            (1..=12).filter(|&n| when.selects(n)).collect()
        };
        assert_eq!(picks("3"), [3]);
        assert_eq!(picks("3+"), [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        assert_eq!(picks("2+3"), [2, 5, 8, 11]);
        assert_eq!(picks("2..4"), [2, 3, 4]);
        assert_eq!(picks("2..9+3"), [2, 5, 8]);
        assert_eq!(picks("2..4+"), [2, 3, 4]);
        for bad in [
            "0", "3..2", "1..65535", "65536", "1+0", "x", "1.5", "1..", "..3",
        ] {
            assert_eq!(When::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn actions_and_their_values() {
        let a = inject("openat:error=ENOENT:when=2+").unwrap();
        assert_eq!(a.outcome, Some(Outcome::Error(2)));
        assert_eq!(a.when.first, 2);
        let a = inject("openat:retval=0x2a:signal=usr1:syscall=getpid").unwrap();
        assert_eq!(a.outcome, Some(Outcome::Retval(42)));
        assert_eq!(a.signal, Some(libc::SIGUSR1));
        assert_eq!(a.substitute, Some("getpid"));
        let a = inject("read:delay_enter=1.5ms:delay_exit=2").unwrap();
        assert_eq!(a.delay_enter, Some(Duration::from_micros(1500)));
        assert_eq!(a.delay_exit, Some(Duration::from_micros(2)));
        let a = inject("read:poke_exit=@arg2=00ff,@arg3=41").unwrap();
        assert_eq!(
            a.poke_exit,
            [
                Poke {
                    arg: 2,
                    data: vec![0, 255]
                },
                Poke {
                    arg: 3,
                    data: vec![0x41]
                }
            ]
        );
        let fault = parse("openat:when=3", Kind::Fault, KNOWN, PERSONALITIES, &pure())
            .unwrap()
            .0;
        assert_eq!(fault.action.outcome, Some(Outcome::Error(38)));
    }

    #[test]
    fn invalid_expressions_are_refused_in_one_line() {
        for bad in [
            "openat",
            "openat:error=ENOENT:retval=1",
            "openat:error=0",
            "openat:error=4096",
            "openat:error=EWHAT",
            "openat:signal=SIGFOO",
            "openat:signal=0",
            "openat:syscall=open:error=1",
            "openat:poke_enter=@arg1=abc",
            "openat:poke_enter=@arg8=00",
            "openat:poke_enter=@arg1=zz",
            "openat:delay_enter=xyz",
            "openat:delay_enter=-1",
            "openat:when=0:error=1",
            "openat:bogus=1",
            "openat:error",
        ] {
            assert_eq!(
                inject(bad).unwrap_err(),
                format!("invalid inject argument '{bad}'")
            );
        }
        assert_eq!(
            parse(
                "openat:retval=1",
                Kind::Fault,
                KNOWN,
                PERSONALITIES,
                &pure()
            )
            .unwrap_err(),
            "invalid fault argument 'openat:retval=1'"
        );
        assert_eq!(
            inject("foo:error=1").unwrap_err(),
            "invalid system call 'foo'"
        );
        assert_eq!(inject(":error=1").unwrap_err(), "invalid system call ''");
    }

    #[test]
    fn retvals_that_look_like_errors_are_warned_about() {
        let warnings = |spec: &str| {
            parse(spec, Kind::Inject, KNOWN, PERSONALITIES, &pure())
                .unwrap()
                .1
        };
        assert_eq!(
            warnings("openat:retval=-1"),
            ["Inadvertent injection of error 1 is possible for retval=18446744073709551615"]
        );
        assert!(warnings("openat:retval=42").is_empty());
        if HAS_COMPAT_PERSONALITY {
            assert_eq!(
                warnings("openat:retval=4294967295"),
                ["Inadvertent injection of error 1 is possible in compat personality for retval=4294967295"]
            );
            assert_eq!(
                warnings("openat:retval=4294967296"),
                ["Injected return value 4294967296 will be clipped to 0 in compat personality"]
            );
        }
    }

    #[test]
    fn time_specifications() {
        assert_eq!(parse_time_spec("100"), Some(Duration::from_micros(100)));
        assert_eq!(parse_time_spec("2s"), Some(Duration::from_secs(2)));
        assert_eq!(parse_time_spec("0.5s"), Some(Duration::from_millis(500)));
        assert_eq!(parse_time_spec("7ns"), Some(Duration::from_nanos(7)));
        assert_eq!(parse_time_spec("1e3us"), Some(Duration::from_millis(1)));
        for bad in ["", "s", "1h", "-1", "1 s"] {
            assert_eq!(parse_time_spec(bad), None, "{bad}");
        }
    }
}
