//! The trace as the pictures draw it: lanes, calls, marks and links, built from the
//! event stream one JSON line at a time.

use std::time::Duration;

use rtrace_summary::{SortKey, Summary};
use rustc_hash::FxHashMap;
use serde_json::Value;

use crate::event::{Event, Syscall};
use crate::line::call_line;

/// `CLONE_THREAD` from linux/sched.h, the same on every architecture.
const CLONE_THREAD: u64 = 0x0001_0000;

/// Turns a syscall name into its family (`file`, `process`, ...), for colours.
pub type Classifier = Box<dyn Fn(&str) -> &'static str>;

/// Says whether a call of this name is kept.
pub type NameFilter = Box<dyn Fn(&str) -> bool>;

/// Collects events; [`Recorder::finish`] makes the [`Trace`].
pub struct Recorder {
    classify: Classifier,
    /// Which calls are kept, by name (`--from-json` with `-e trace=`); all when None.
    keep: Option<NameFilter>,
    lines: usize,
    threads: FxHashMap<i32, ThreadSeen>,
    calls: Vec<PendingCall>,
    marks: Vec<(i32, Mark)>,
    spawns: Vec<Spawn>,
    names: Interner,
    arches: Interner,
    summary: Summary,
}

/// What is known of one thread while events arrive.
struct ThreadSeen {
    /// Order of first appearance.
    order: usize,
    first: i64,
    last: i64,
    /// Programs it executed, in order.
    programs: Vec<String>,
    end: Option<String>,
}

struct PendingCall {
    tid: i32,
    call: Call,
}

/// A fork, vfork, clone or clone3 that returned a new task's id.
struct Spawn {
    parent: i32,
    child: i32,
    at: i64,
    thread: bool,
    /// The call's name.
    how: &'static str,
}

#[derive(Default)]
struct Interner {
    names: Vec<String>,
    index: FxHashMap<String, u32>,
}

impl Interner {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        self.names.push(name.to_string());
        let i = (self.names.len() - 1) as u32;
        self.index.insert(name.to_string(), i);
        i
    }
}

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallEnd {
    Returned,
    Failed,
    /// It never returned (exit_group, a thread ended inside it); it is drawn up to the
    /// thread's last event.
    NeverReturned,
}

/// One syscall, from entry to exit. Times are nanoseconds since the trace's first event.
#[derive(Debug, Clone)]
pub struct Call {
    pub lane: u32,
    pub start: i64,
    pub duration: i64,
    /// Index into [`Trace::names`].
    pub name: u32,
    /// Index into [`Trace::arches`].
    pub arch: u32,
    pub end: CallEnd,
    /// The call as strace's line.
    pub text: String,
}

/// One thread's lane.
#[derive(Debug, Clone)]
pub struct Lane {
    pub tid: i32,
    /// The process (thread-group) it belongs to.
    pub pid: i32,
    /// The parent process, when the trace saw it fork this one.
    pub parent: Option<i32>,
    /// Depth in the process tree (0 for a root).
    pub depth: u32,
    /// `pid N prog` for a process's first lane, `tid N` for its other threads.
    pub label: String,
    pub first: i64,
    pub last: i64,
    /// How the thread ended (`exited with 0`, `killed by SIGKILL`), when seen.
    pub end: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    Signal,
    Exit,
    Killed,
    Stopped,
    Exec,
    Superseded,
    Attach,
    Detach,
}

impl MarkKind {
    pub fn name(self) -> &'static str {
        match self {
            MarkKind::Signal => "signal",
            MarkKind::Exit => "exit",
            MarkKind::Killed => "killed",
            MarkKind::Stopped => "stopped",
            MarkKind::Exec => "exec",
            MarkKind::Superseded => "superseded",
            MarkKind::Attach => "attach",
            MarkKind::Detach => "detach",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Mark {
    pub lane: u32,
    pub at: i64,
    pub kind: MarkKind,
    /// As strace's line says it (`--- SIGCHLD ---`, `+++ exited with 0 +++`).
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// A new process (fork, vfork, clone without CLONE_THREAD).
    Process,
    /// A new thread of the same process.
    Thread,
}

/// A parent lane's fork or clone starting a child lane.
#[derive(Debug, Clone)]
pub struct Link {
    pub from: u32,
    pub to: u32,
    /// When the call returned in the parent.
    pub at: i64,
    /// When the child's first event was seen.
    pub child_start: i64,
    pub kind: LinkKind,
    pub how: &'static str,
}

/// A whole trace, ready to draw.
#[derive(Debug, Clone)]
pub struct Trace {
    /// Wall-clock time of time 0, in seconds since the epoch.
    pub epoch: f64,
    pub lanes: Vec<Lane>,
    /// Sorted by lane, then start.
    pub calls: Vec<Call>,
    pub names: Vec<String>,
    /// The family of each name, same order.
    pub families: Vec<&'static str>,
    pub arches: Vec<String>,
    pub marks: Vec<Mark>,
    pub links: Vec<Link>,
    /// The `-c` table's rows (wall-clock time, with latency percentiles), by total time.
    pub summary: Vec<SummaryRow>,
}

/// One syscall's line of the summary; times in nanoseconds.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SummaryRow {
    pub name: String,
    pub calls: u64,
    pub errors: u64,
    pub total: u64,
    pub p50: u64,
    pub p99: u64,
    pub max: u64,
}

fn nanos(seconds: f64) -> i64 {
    (seconds * 1e9).round() as i64
}

/// Whether a decoded value holds the flag name anywhere.
fn holds_flag(v: &Value, flag: &str) -> bool {
    match v {
        Value::String(s) => s == flag,
        Value::Array(items) => items.iter().any(|i| holds_flag(i, flag)),
        Value::Object(map) => map.values().any(|i| holds_flag(i, flag)),
        _ => false,
    }
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

impl Recorder {
    pub fn new(classify: Classifier) -> Self {
        Recorder {
            classify,
            keep: None,
            lines: 0,
            threads: FxHashMap::default(),
            calls: Vec::new(),
            marks: Vec::new(),
            spawns: Vec::new(),
            names: Interner::default(),
            arches: Interner::default(),
            summary: Summary::new(true),
        }
    }

    /// Keeps only the calls whose name `keep` accepts (a recorded trace drawn with
    /// `-e trace=`); a live trace is filtered before it gets here.
    pub fn keep_only(&mut self, keep: NameFilter) {
        self.keep = Some(keep);
    }

    /// How many calls so far.
    pub fn calls(&self) -> usize {
        self.calls.len()
    }

    /// Reads one line of `--json` output. Blank lines are skipped; anything that is not
    /// one event is an error naming the line.
    pub fn add_line(&mut self, line: &[u8]) -> Result<(), String> {
        self.lines += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        let event = Event::parse(line)
            .map_err(|e| format!("line {}: not an rtrace --json event: {e}", self.lines))?;
        self.add(event);
        Ok(())
    }

    fn thread(&mut self, tid: i32, at: i64) -> &mut ThreadSeen {
        let order = self.threads.len();
        let seen = self.threads.entry(tid).or_insert(ThreadSeen {
            order,
            first: at,
            last: at,
            programs: Vec::new(),
            end: None,
        });
        seen.first = seen.first.min(at);
        seen.last = seen.last.max(at);
        seen
    }

    fn mark(&mut self, tid: i32, at: i64, kind: MarkKind, text: String) {
        self.thread(tid, at);
        self.marks.push((
            tid,
            Mark {
                lane: 0,
                at,
                kind,
                text,
            },
        ));
    }

    fn add(&mut self, event: Event) {
        let tid = event.pid();
        let at = nanos(event.timestamp());
        match event {
            Event::Syscall(call) => self.syscall(*call),
            Event::Signal { signal, .. } => {
                self.mark(tid, at, MarkKind::Signal, format!("--- {signal} ---"))
            }
            Event::Exit { exit_code, .. } => {
                let text = format!("exited with {exit_code}");
                self.mark(tid, at, MarkKind::Exit, format!("+++ {text} +++"));
                self.thread(tid, at).end = Some(text);
            }
            Event::Killed {
                signal,
                core_dumped,
                ..
            } => {
                let core = if core_dumped { " (core dumped)" } else { "" };
                let text = format!("killed by {signal}{core}");
                self.mark(tid, at, MarkKind::Killed, format!("+++ {text} +++"));
                self.thread(tid, at).end = Some(text);
            }
            Event::Stopped { signal, .. } => self.mark(
                tid,
                at,
                MarkKind::Stopped,
                format!("--- stopped by {signal} ---"),
            ),
            Event::Attach { .. } => self.mark(tid, at, MarkKind::Attach, "attached".into()),
            Event::Detach { .. } => self.mark(tid, at, MarkKind::Detach, "detached".into()),
            Event::Superseded { by_tid, .. } => self.mark(
                tid,
                at,
                MarkKind::Superseded,
                format!("+++ superseded by execve in pid {by_tid} +++"),
            ),
        }
    }

    fn syscall(&mut self, call: Syscall) {
        if self.keep.as_ref().is_some_and(|keep| !keep(&call.name)) {
            return;
        }
        let start = nanos(call.timestamp);
        let duration = call.duration.map(nanos);
        let end = match (call.returned, &call.errno) {
            (false, _) => CallEnd::NeverReturned,
            (true, Some(_)) => CallEnd::Failed,
            (true, None) => CallEnd::Returned,
        };
        let finished = start + duration.unwrap_or(0);
        let tid = call.pid;
        self.thread(tid, start);
        self.thread(tid, finished);
        if let Some(d) = duration {
            self.summary.record(
                &call.name,
                call.number(),
                Duration::from_nanos(d.max(0) as u64),
                end == CallEnd::Failed,
            );
        }
        let returned = call.return_int().filter(|_| end == CallEnd::Returned);
        match (call.name.as_str(), returned) {
            (how @ ("fork" | "vfork" | "clone" | "clone3"), Some(child)) if child > 0 => {
                let how = match how {
                    "fork" => "fork",
                    "vfork" => "vfork",
                    "clone" => "clone",
                    _ => "clone3",
                };
                // Decoded flags name it; a raw clone (no decoder, -e raw=) has them in
                // its first register on every architecture.
                let thread = call
                    .args
                    .iter()
                    .any(|a| holds_flag(&a.value, "CLONE_THREAD"))
                    || (how == "clone"
                        && call
                            .args
                            .first()
                            .and_then(|a| a.raw.as_u64())
                            .is_some_and(|flags| flags & CLONE_THREAD != 0));
                self.spawns.push(Spawn {
                    parent: tid,
                    child: child as i32,
                    at: finished,
                    thread,
                    how,
                });
            }
            ("execve" | "execveat", Some(0)) => {
                let path_arg = usize::from(call.name == "execveat");
                let program = call
                    .args
                    .get(path_arg)
                    .and_then(|a| a.value.get("str"))
                    .and_then(Value::as_str)
                    .map(|p| basename(p).to_string())
                    .unwrap_or_else(|| "?".into());
                self.mark(tid, finished, MarkKind::Exec, format!("exec {program}"));
                self.thread(tid, finished).programs.push(program);
            }
            _ => {}
        }
        let text = call_line(&call);
        let name = self.names.id(&call.name);
        let arch = self.arches.id(&call.arch);
        self.calls.push(PendingCall {
            tid,
            call: Call {
                lane: 0,
                start,
                duration: duration.unwrap_or(0),
                name,
                arch,
                end,
                text,
            },
        });
    }

    /// The process each thread belongs to, and each process's parent, from the spawns.
    fn tree(&self) -> (FxHashMap<i32, i32>, FxHashMap<i32, i32>) {
        let mut thread_parent: FxHashMap<i32, i32> = FxHashMap::default();
        let mut process_parent: FxHashMap<i32, i32> = FxHashMap::default();
        for s in &self.spawns {
            if s.thread {
                thread_parent.insert(s.child, s.parent);
            } else {
                process_parent.insert(s.child, s.parent);
            }
        }
        let mut process: FxHashMap<i32, i32> = FxHashMap::default();
        for &tid in self.threads.keys() {
            // Up the chain of thread creators; bounded, as a reused id could loop.
            let mut p = tid;
            for _ in 0..64 {
                match thread_parent.get(&p) {
                    Some(&up) if up != p => p = up,
                    _ => break,
                }
            }
            process.insert(tid, p);
        }
        // A process's parent is the process of the thread that forked it.
        let parents = process_parent
            .into_iter()
            .map(|(child, by)| (child, *process.get(&by).unwrap_or(&by)))
            .filter(|(child, by)| child != by)
            .collect();
        (process, parents)
    }

    /// Orders the lanes by the process tree and resolves every index.
    pub fn finish(self) -> Trace {
        let (process, parents) = self.tree();
        let first_of = |tid: i32| self.threads.get(&tid).map_or(i64::MAX, |t| t.first);
        let order_of = |tid: i32| self.threads.get(&tid).map_or(usize::MAX, |t| t.order);
        // Processes, their threads, and their child processes.
        let mut members: FxHashMap<i32, Vec<i32>> = FxHashMap::default();
        for (&tid, &pid) in &process {
            members.entry(pid).or_default().push(tid);
        }
        let mut children: FxHashMap<i32, Vec<i32>> = FxHashMap::default();
        let mut roots = Vec::new();
        for &pid in members.keys() {
            match parents.get(&pid) {
                Some(parent) if members.contains_key(parent) => {
                    children.entry(*parent).or_default().push(pid)
                }
                _ => roots.push(pid),
            }
        }
        let by_appearance =
            |a: &i32, b: &i32| (first_of(*a), order_of(*a)).cmp(&(first_of(*b), order_of(*b)));
        roots.sort_by(by_appearance);
        // Parents that loop (a reused pid) leave processes no root reaches: they become
        // roots after the others, so every thread gets its lane.
        let mut every_process: Vec<i32> = members.keys().copied().collect();
        every_process.sort_by(by_appearance);
        for list in children.values_mut() {
            list.sort_by(by_appearance);
        }
        let mut lanes: Vec<Lane> = Vec::new();
        let mut stack: Vec<(i32, u32)> = roots.iter().rev().map(|&p| (p, 0)).collect();
        let mut placed: FxHashMap<i32, ()> = FxHashMap::default();
        let mut unreached = every_process.into_iter();
        while let Some((pid, depth)) = stack.pop().or_else(|| {
            unreached
                .by_ref()
                .find(|p| !placed.contains_key(p))
                .map(|p| (p, 0))
        }) {
            if placed.insert(pid, ()).is_some() {
                continue;
            }
            let mut threads = members.get(&pid).cloned().unwrap_or_default();
            // The leader first, then threads as they appeared.
            threads.sort_by(|a, b| (*a != pid).cmp(&(*b != pid)).then(by_appearance(a, b)));
            for (i, &tid) in threads.iter().enumerate() {
                let seen = &self.threads[&tid];
                let label = if i == 0 {
                    let programs = self
                        .threads
                        .get(&pid)
                        .map(|t| t.programs.join(" → "))
                        .unwrap_or_default();
                    format!("pid {pid} {programs}").trim_end().to_string()
                } else {
                    format!("tid {tid}")
                };
                lanes.push(Lane {
                    tid,
                    pid,
                    parent: parents.get(&pid).copied(),
                    depth,
                    label,
                    first: seen.first,
                    last: seen.last,
                    end: seen.end.clone(),
                });
            }
            if let Some(kids) = children.get(&pid) {
                stack.extend(kids.iter().rev().map(|&k| (k, depth + 1)));
            }
        }
        let epoch_ns = lanes.iter().map(|l| l.first).min().unwrap_or(0);
        let lane_of: FxHashMap<i32, u32> = lanes
            .iter()
            .enumerate()
            .map(|(i, l)| (l.tid, i as u32))
            .collect();
        for lane in &mut lanes {
            lane.first -= epoch_ns;
            lane.last -= epoch_ns;
        }
        let mut calls: Vec<Call> = self
            .calls
            .into_iter()
            .map(|p| {
                let mut call = p.call;
                call.lane = lane_of[&p.tid];
                call.start -= epoch_ns;
                if call.end == CallEnd::NeverReturned {
                    call.duration = (lanes[call.lane as usize].last - call.start).max(0);
                }
                call
            })
            .collect();
        calls.sort_by_key(|c| (c.lane, c.start));
        let mut marks: Vec<Mark> = self
            .marks
            .into_iter()
            .map(|(tid, mut m)| {
                m.lane = lane_of[&tid];
                m.at -= epoch_ns;
                m
            })
            .collect();
        marks.sort_by_key(|m| (m.lane, m.at));
        let links = self
            .spawns
            .iter()
            .filter_map(|s| {
                let to = *lane_of.get(&s.child)?;
                Some(Link {
                    from: lane_of[&s.parent],
                    to,
                    at: s.at - epoch_ns,
                    child_start: lanes[to as usize].first,
                    kind: if s.thread {
                        LinkKind::Thread
                    } else {
                        LinkKind::Process
                    },
                    how: s.how,
                })
            })
            .collect();
        let families = self
            .names
            .names
            .iter()
            .map(|n| (self.classify)(n))
            .collect();
        let nanos = |d: Duration| d.as_nanos().min(u128::from(u64::MAX)) as u64;
        let summary = self
            .summary
            .rows(SortKey::TIME)
            .into_iter()
            .map(|r| SummaryRow {
                name: r.name.to_string(),
                calls: r.calls,
                errors: r.errors,
                total: nanos(r.total),
                p50: r.p50.map_or(0, nanos),
                p99: r.p99.map_or(0, nanos),
                max: nanos(r.max),
            })
            .collect();
        Trace {
            epoch: epoch_ns as f64 / 1e9,
            lanes,
            calls,
            names: self.names.names,
            families,
            arches: self.arches.names,
            marks,
            links,
            summary,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syscall(pid: i32, t: f64, name: &str, args: &str, ret: i64, duration: f64) -> String {
        format!(
            r#"{{"type":"syscall","pid":{pid},"timestamp":{t},"name":"{name}","number":1,"arch":"x86_64",
            "args":[{args}],"returned":true,"return":{ret},"return_value":{{"int":{ret}}},"errno":null,
            "error_text":null,"return_note":null,"duration":{duration}}}"#
        )
        .replace('\n', " ")
    }

    fn record(lines: &[String]) -> Trace {
        let mut r = Recorder::new(Box::new(|n| if n == "clone" { "process" } else { "other" }));
        for l in lines {
            r.add_line(l.as_bytes()).unwrap();
        }
        r.finish()
    }

    #[test]
    fn lanes_follow_the_process_tree() {
        let flags = r#"{"raw":1,"value":{"flags":["CLONE_VM","CLONE_THREAD"]}}"#;
        let lines = [
            // The child's events arrive before its parent's clone returns.
            syscall(20, 10.5, "getpid", "", 20, 0.001),
            syscall(
                10,
                10.0,
                "clone",
                r#"{"raw":1,"value":{"flags":["SIGCHLD"]}}"#,
                20,
                0.1,
            ),
            syscall(10, 10.2, "clone", flags, 11, 0.01),
            syscall(11, 10.3, "getpid", "", 10, 0.001),
            syscall(21, 10.7, "getpid", "", 20, 0.001),
            syscall(
                20,
                10.6,
                "clone3",
                &format!(
                    r#"{{"raw":1,"value":{{"struct":{{"flags":{}}}}}}}"#,
                    r#"{"flags":["CLONE_THREAD"]}"#
                ),
                21,
                0.01,
            ),
            r#"{"type":"exit","pid":20,"timestamp":11.0,"exit_code":0}"#.to_string(),
        ];
        let t = record(&lines);
        let tids: Vec<i32> = t.lanes.iter().map(|l| l.tid).collect();
        assert_eq!(tids, [10, 11, 20, 21]);
        assert_eq!(t.lanes[1].pid, 10);
        assert_eq!(t.lanes[2].parent, Some(10));
        assert_eq!(t.lanes[2].depth, 1);
        assert_eq!(t.lanes[3].pid, 20);
        assert_eq!(t.lanes[2].end.as_deref(), Some("exited with 0"));
        assert_eq!(t.calls.len(), 6);
        assert!(t
            .calls
            .windows(2)
            .all(|w| (w[0].lane, w[0].start) <= (w[1].lane, w[1].start)));
        assert_eq!(t.links.len(), 3);
        assert_eq!(t.links[0].kind, LinkKind::Process);
        assert_eq!((t.links[0].from, t.links[0].to), (0, 2));
        assert_eq!(t.calls[0].start, 0);
        assert_eq!(t.epoch, 10.0);
        let getpid = t.summary.iter().find(|r| r.name == "getpid").unwrap();
        assert_eq!((getpid.calls, getpid.max), (3, 1_000_000));
        assert!(
            getpid.p50 > 900_000 && getpid.p99 <= 1_000_000,
            "{getpid:?}"
        );
    }

    #[test]
    fn each_call_keeps_its_personality() {
        let arm = syscall(5, 1.5, "getppid", "", 1, 0.001).replace("x86_64", "arm");
        let t = record(&[syscall(5, 1.0, "getppid", "", 1, 0.001), arm]);
        assert_eq!(t.arches, ["x86_64", "arm"]);
        assert_eq!((t.calls[0].arch, t.calls[1].arch), (0, 1));
        let mut out = Vec::new();
        crate::write_perfetto(&t, &mut out).unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        let arches: Vec<&str> = v["traceEvents"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["ph"] == "X")
            .map(|e| e["args"]["arch"].as_str().unwrap())
            .collect();
        assert_eq!(arches, ["x86_64", "arm"]);
    }

    #[test]
    fn processes_whose_parents_loop_still_get_lanes() {
        // 30 forks 40 and 40 forks 30: no root, as with a reused pid.
        let lines = [
            syscall(30, 1.0, "fork", "", 40, 0.1),
            syscall(40, 2.0, "fork", "", 30, 0.1),
        ];
        let t = record(&lines);
        let tids: Vec<i32> = t.lanes.iter().map(|l| l.tid).collect();
        assert_eq!(tids, [30, 40]);
        assert_eq!(t.calls.len(), 2);
    }

    #[test]
    fn bad_lines_are_named() {
        let mut r = Recorder::new(Box::new(|_| "other"));
        r.add_line(b"").unwrap();
        let e = r.add_line(b"{\"type\":\"nonsense\"}").unwrap_err();
        assert!(e.starts_with("line 2: not an rtrace --json event"), "{e}");
    }
}
