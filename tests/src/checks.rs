//! Properties of a whole trace, written once and applied to strace's trace (which proves
//! the check right) and to rtrace's (which tests rtrace). Each returns what is wrong.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use regex::Regex;

use crate::trace::{join_resumed, parse, Event};

/// A number as tracers print it: decimal, or hex in the raw form.
pub fn parse_number(text: &str) -> Option<i64> {
    match text.strip_prefix("0x") {
        Some(hex) => i64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

/// `-o FILE -f`: every line is `PID` left-aligned in five columns, a space, then the
/// event. Returns the pids seen.
pub fn file_pid_prefixes(trace: &[String]) -> Result<BTreeSet<u32>, String> {
    static PID: OnceLock<Regex> = OnceLock::new();
    let pid_re = PID.get_or_init(|| Regex::new(r"^(\d+)").expect("valid regex"));
    let mut pids = BTreeSet::new();
    for line in trace {
        let pid: u32 = pid_re
            .captures(line)
            .and_then(|c| c[1].parse().ok())
            .ok_or_else(|| format!("line without a pid prefix: {line:?}"))?;
        let prefix = format!("{pid:<5} ");
        let rest = line
            .strip_prefix(&prefix)
            .ok_or_else(|| format!("prefix is not {prefix:?}: {line:?}"))?;
        if rest.is_empty() || rest.starts_with(' ') {
            return Err(format!("extra padding after the pid: {line:?}"));
        }
        pids.insert(pid);
    }
    Ok(pids)
}

/// Stderr with `-f`: a `[pid  N] ` prefix (pid right-aligned in five) on the lines that
/// have one. Returns the number of prefixed lines.
pub fn stderr_pid_prefixes(trace: &[String]) -> Result<usize, String> {
    let mut prefixed = 0;
    for line in trace.iter().filter(|l| l.starts_with("[pid")) {
        let close = line
            .find("] ")
            .ok_or_else(|| format!("unclosed pid prefix: {line:?}"))?;
        let pid: u32 = line[4..close]
            .trim()
            .parse()
            .map_err(|_| format!("bad pid in prefix: {line:?}"))?;
        if line[..close + 2] != format!("[pid {pid:>5}] ") {
            return Err(format!("prefix is not `[pid {pid:>5}] `: {line:?}"));
        }
        prefixed += 1;
    }
    Ok(prefixed)
}

/// What the threads fixture promises (see tests/fixtures/threads.c).
pub const THREADS: i64 = 4;
pub const CALLS_PER_THREAD: i64 = 5;

/// The threads fixture traced with `-f`: each worker's gettid, five closes and one
/// write appear exactly once, complete (entry and exit joined), under one tid that is
/// the worker's own and no other worker's.
pub fn threads_fixture(trace: &[String]) -> Result<(), String> {
    static CALL: OnceLock<Regex> = OnceLock::new();
    let call = CALL.get_or_init(|| {
        Regex::new(r"^(gettid|close|write)\(([^,)]*)[^=]*\) += (-?\w+)").expect("valid regex")
    });
    let events: Vec<Event> = join_resumed(parse(trace));
    let mut problems = Vec::new();
    for event in &events {
        if event.text.ends_with("<unfinished ...>") || event.text.starts_with("<... ") {
            problems.push(format!(
                "unpaired half of a call: {:?} {}",
                event.pid, event.text
            ));
        }
    }

    // tid -> the calls it made, as (name, first argument, return value).
    let mut calls: BTreeMap<u32, Vec<(String, Option<i64>, String)>> = BTreeMap::new();
    for event in &events {
        let (Some(pid), Some(c)) = (event.pid, call.captures(&event.text)) else {
            continue;
        };
        calls.entry(pid).or_default().push((
            c[1].to_owned(),
            parse_number(c[2].trim()),
            c[3].to_owned(),
        ));
    }

    let mut worker_tids = BTreeSet::new();
    for worker in 0..THREADS {
        let fds: Vec<i64> = (0..CALLS_PER_THREAD)
            .map(|j| 1000 + 100 * worker + j)
            .collect();
        // Which tids closed this worker's fds, and how often each fd was seen.
        let mut owners = BTreeSet::new();
        for fd in &fds {
            let seen: Vec<(u32, &String)> = calls
                .iter()
                .flat_map(|(tid, list)| list.iter().map(move |c| (*tid, c)))
                .filter(|(_, (name, arg, _))| name == "close" && *arg == Some(*fd))
                .map(|(tid, (_, _, ret))| (tid, ret))
                .collect();
            if seen.len() != 1 {
                problems.push(format!(
                    "close({fd}) seen {} times, expected once",
                    seen.len()
                ));
            }
            for (tid, ret) in seen {
                if ret != "-1" {
                    problems.push(format!("close({fd}) returned {ret}, expected -1 EBADF"));
                }
                owners.insert(tid);
            }
        }
        let Some(&tid) = owners.iter().next() else {
            continue;
        };
        if owners.len() != 1 {
            problems.push(format!(
                "worker {worker}'s closes are spread over tids {owners:?}"
            ));
            continue;
        }
        if !worker_tids.insert(tid) {
            problems.push(format!("tid {tid} made the closes of two workers"));
        }
        let made = &calls[&tid];
        let count = |name: &str| made.iter().filter(|c| c.0 == name).count();
        if count("close") != fds.len() {
            problems.push(format!(
                "tid {tid} made {} closes, expected {}",
                count("close"),
                fds.len()
            ));
        }
        let gettids: Vec<&String> = made
            .iter()
            .filter(|c| c.0 == "gettid")
            .map(|c| &c.2)
            .collect();
        if gettids.len() != 1 || parse_number(gettids[0]) != Some(i64::from(tid)) {
            problems.push(format!(
                "tid {tid}: gettid results {gettids:?}, expected exactly [{tid}]"
            ));
        }
        let writes: Vec<&String> = made
            .iter()
            .filter(|c| c.0 == "write")
            .map(|c| &c.2)
            .collect();
        if writes.len() != 1 || parse_number(writes[0]) != Some(9) {
            problems.push(format!(
                "tid {tid}: write results {writes:?}, expected exactly [9]"
            ));
        }
    }
    if let Some(leader) = events.first().and_then(|e| e.pid) {
        if worker_tids.contains(&leader) {
            problems.push(format!("the main thread {leader} made a worker's calls"));
        }
    }
    if worker_tids.len() != THREADS as usize {
        problems.push(format!(
            "found {} worker tids {worker_tids:?}, expected {THREADS}",
            worker_tids.len()
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_owned).collect()
    }

    #[test]
    fn file_prefix_must_be_left_aligned_in_five() {
        assert!(file_pid_prefixes(&lines("4731  execve() = 0\n123456 close(3) = 0")).is_ok());
        assert!(file_pid_prefixes(&lines(" 4731 execve() = 0")).is_err());
        assert!(file_pid_prefixes(&lines("4731 execve() = 0")).is_err());
        assert!(file_pid_prefixes(&lines("4731   execve() = 0")).is_err());
    }

    #[test]
    fn stderr_prefix_must_be_right_aligned_in_five() {
        assert_eq!(
            stderr_pid_prefixes(&lines("[pid  4731] a() = 0\nb() = 0")),
            Ok(1)
        );
        assert!(stderr_pid_prefixes(&lines("[pid 4731] a() = 0")).is_err());
    }

    #[test]
    fn threads_check_catches_a_duplicate() {
        let mut trace = Vec::new();
        for worker in 0..THREADS {
            let tid = 101 + worker;
            trace.push(format!("{tid}  gettid() = {tid}"));
            for j in 0..CALLS_PER_THREAD {
                trace.push(format!(
                    "{tid}  close({}) = -1 EBADF (Bad file descriptor)",
                    1000 + 100 * worker + j
                ));
            }
            trace.push(format!("{tid}  write(1, \"thread {worker}\\n\", 9) = 9"));
        }
        let mut all = vec!["100   execve(\"./threads\") = 0".to_owned()];
        all.extend(trace);
        assert_eq!(threads_fixture(&all), Ok(()));
        all.push("102   close(0x4b1) = -1 EBADF (Bad file descriptor)".to_owned());
        assert!(threads_fixture(&all)
            .unwrap_err()
            .contains("close(1201) seen 2 times"));
    }
}
