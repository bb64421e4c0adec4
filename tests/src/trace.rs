//! Trace lines as events: the pid prefix split off, and a call that another thread
//! interrupted (`<unfinished ...>` then `<... NAME resumed>`) joined back into one line.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::Regex;

/// One trace line without its pid prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// From `[pid  N] ` (stderr) or `N  ` (`-o` with `-f`); `None` without a prefix.
    pub pid: Option<u32>,
    /// `-Y`'s command name in the prefix (`[pid  N<sh>] `, `N<sh> `), if any.
    pub comm: Option<String>,
    pub text: String,
}

const UNFINISHED: &str = " <unfinished ...>";

/// Splits each line into its pid prefix, if any, and the rest.
pub fn parse(lines: &[String]) -> Vec<Event> {
    static PREFIX: OnceLock<Regex> = OnceLock::new();
    // `[pid  123] ` (right-aligned pid) or `123   ` (left-aligned pid, -o with -f); with
    // -Y, `[pid  123<sh>] ` or `123<sh> `.
    let prefix = PREFIX.get_or_init(|| {
        Regex::new(r"^(?:\[pid +(\d+)(?:<([^>]*)>)?\] |(\d+)(?:<([^>]*)>)? +)(.*)$")
            .expect("valid regex")
    });
    lines
        .iter()
        .map(|line| match prefix.captures(line) {
            Some(c) => Event {
                pid: c.get(1).or(c.get(3)).and_then(|m| m.as_str().parse().ok()),
                comm: c.get(2).or(c.get(4)).map(|m| m.as_str().to_owned()),
                text: c[5].to_owned(),
            },
            None => Event {
                pid: None,
                comm: None,
                text: line.clone(),
            },
        })
        .collect()
}

/// Joins each `NAME(args <unfinished ...>` with the same pid's next
/// `<... NAME resumed>rest`, into `NAME(args rest` at the entry's place. Halves that have
/// no partner stay as they are, so that a test sees them.
pub fn join_resumed(events: Vec<Event>) -> Vec<Event> {
    static RESUMED: OnceLock<Regex> = OnceLock::new();
    let resumed =
        RESUMED.get_or_init(|| Regex::new(r"^<\.\.\. (\S+) resumed>(.*)$").expect("valid regex"));

    let mut joined: Vec<Option<Event>> = Vec::with_capacity(events.len());
    // pid -> index in `joined` of its call still waiting for the rest.
    let mut pending: BTreeMap<Option<u32>, usize> = BTreeMap::new();
    for event in events {
        if let Some(c) = resumed.captures(&event.text) {
            if let Some(index) = pending.remove(&event.pid) {
                let entry = joined[index].as_mut().expect("pending entries are kept");
                let head = entry.text.strip_suffix(UNFINISHED).unwrap_or(&entry.text);
                if head.starts_with(&format!("{}(", &c[1])) {
                    entry.text = format!("{head}{}", &c[2]);
                    continue;
                }
            }
        }
        if event.text.ends_with(UNFINISHED) {
            pending.insert(event.pid, joined.len());
        }
        joined.push(Some(event));
    }
    joined.into_iter().flatten().collect()
}

/// Events grouped per pid, pids in increasing order (which is their order of creation,
/// so two runs of one program list their processes and threads alike).
pub fn by_pid(events: &[Event]) -> Vec<(Option<u32>, Vec<String>)> {
    let mut groups: BTreeMap<Option<u32>, Vec<String>> = BTreeMap::new();
    for event in events {
        groups
            .entry(event.pid)
            .or_default()
            .push(event.text.clone());
    }
    groups.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_owned).collect()
    }

    #[test]
    fn parses_both_prefix_styles_and_none() {
        let events = parse(&lines(
            "[pid  4242] getpid() = 4242\n4243  close(3) = 0\nexit_group(0) = ?",
        ));
        assert_eq!(events[0].pid, Some(4242));
        assert_eq!(events[0].text, "getpid() = 4242");
        assert_eq!(events[1].pid, Some(4243));
        assert_eq!(events[1].text, "close(3) = 0");
        assert_eq!(events[2].pid, None);
    }

    #[test]
    fn joins_interleaved_calls_per_pid() {
        let events = parse(&lines(
            "[pid 10] read(3,  <unfinished ...>\n\
             [pid 11] write(4, \"x\", 1) = 1\n\
             [pid 10] <... read resumed>\"x\", 1) = 1",
        ));
        let joined = join_resumed(events);
        assert_eq!(joined.len(), 2);
        assert_eq!(joined[0].text, "read(3, \"x\", 1) = 1");
        assert_eq!(joined[0].pid, Some(10));
        assert_eq!(joined[1].pid, Some(11));
    }

    #[test]
    fn keeps_halves_without_partner() {
        let events = parse(&lines(
            "[pid 10] futex(0x1, FUTEX_WAIT, 0, NULL <unfinished ...>\n\
             [pid 10] +++ exited with 0 +++\n\
             [pid 11] <... read resumed>\"x\", 1) = 1",
        ));
        let joined = join_resumed(events);
        assert_eq!(joined.len(), 3);
        assert!(joined[0].text.ends_with(UNFINISHED));
        assert!(joined[2].text.starts_with("<... read resumed>"));
    }

    #[test]
    fn groups_by_increasing_pid() {
        let events = parse(&lines(
            "[pid 12] a() = 0\n[pid 9] b() = 0\n[pid 12] c() = 0",
        ));
        let groups = by_pid(&events);
        assert_eq!(groups[0], (Some(9), vec!["b() = 0".to_owned()]));
        assert_eq!(groups[1].1, vec!["a() = 0", "c() = 0"]);
    }
}
