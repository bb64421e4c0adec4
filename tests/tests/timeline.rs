//! `--timeline` and `--perfetto` on a real multi-process run (a fixture that forks and
//! starts threads, traced with -f): the page loads in headless Chromium with no console
//! error and no request and holds every thread and every call of the text trace written
//! by the same run; the trace-event file parses and holds the same calls; `--from-json`
//! draws what a recorded trace holds; filtered-out calls are not drawn. The browser
//! check itself is shown to fail on a console error, an exception and a request.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use regex::Regex;
use rtrace_tests::browser::load_page;
use rtrace_tests::locate::target_dir;
use rtrace_tests::{fixture, Tracer};
use serde_json::Value;

/// A call of a thread: (tid, syscall name).
type CallKey = (i64, String);

/// Calls of the text trace (`-f -o`: every line starts with its tid), counted by
/// (tid, name). A call is its `name(` line, finished or `<unfinished ...>`; its
/// `<... name resumed>` half, and `---`/`+++` lines, are not calls.
fn text_calls(trace: &[String]) -> BTreeMap<CallKey, usize> {
    static CALL: OnceLock<Regex> = OnceLock::new();
    let call = CALL.get_or_init(|| Regex::new(r"^(\d+)\s+([a-z_0-9]+)\(").unwrap());
    let mut calls = BTreeMap::new();
    for line in trace {
        if let Some(c) = call.captures(line) {
            *calls
                .entry((c[1].parse().unwrap(), c[2].to_string()))
                .or_default() += 1;
        }
    }
    calls
}

fn count<I: IntoIterator<Item = CallKey>>(keys: I) -> BTreeMap<CallKey, usize> {
    let mut counted = BTreeMap::new();
    for key in keys {
        *counted.entry(key).or_default() += 1;
    }
    counted
}

fn total(calls: &BTreeMap<CallKey, usize>) -> usize {
    calls.values().sum()
}

/// One run, three outputs: the text trace, the timeline and the trace-event file.
struct Run {
    dir: PathBuf,
    text: Vec<String>,
}

impl Run {
    fn html(&self) -> PathBuf {
        self.dir.join("timeline.html")
    }
    fn perfetto(&self) -> PathBuf {
        self.dir.join("trace.json")
    }
}

fn tree_run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = target_dir().join("timeline-test");
        fs::create_dir_all(&dir).unwrap();
        let program = fixture("timeline_tree");
        let html = dir.join("timeline.html");
        let perfetto = dir.join("trace.json");
        let text = dir.join("trace.txt");
        let out = Tracer::Rtrace.run(&[
            "-f",
            "-o",
            text.to_str().unwrap(),
            "--timeline",
            html.to_str().unwrap(),
            "--perfetto",
            perfetto.to_str().unwrap(),
            program.to_str().unwrap(),
        ]);
        assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
        let text = fs::read_to_string(&text).unwrap();
        let text: Vec<String> = text.lines().map(str::to_owned).collect();
        let calls = text_calls(&text);
        // The run is what the tests say it is: three processes, three more threads.
        let tids: std::collections::BTreeSet<i64> = calls.keys().map(|k| k.0).collect();
        assert_eq!(
            tids.len(),
            6,
            "expected 3 processes and 3 threads: {tids:?}"
        );
        assert!(calls.keys().any(|k| k.1 == "execve"), "no execve");
        Run { dir, text }
    })
}

fn tids(calls: &BTreeMap<CallKey, usize>) -> Vec<i64> {
    let mut tids: Vec<i64> = calls.keys().map(|k| k.0).collect();
    tids.dedup();
    tids
}

const PROBE: &str = r##"(() => {
  const data = JSON.parse(document.getElementById("trace-data").textContent);
  const stats = document.getElementById("stats");
  // Hover the middle of the longest call: the tip shows its line. The page's first view
  // spans 0 to 1.01 x the trace's end (the last lane end or call end).
  const c = data.calls;
  let longest = 0, traceEnd = 1;
  for (const lane of data.lanes) traceEnd = Math.max(traceEnd, lane.last);
  for (let i = 0; i < c.start.length; i++) {
    traceEnd = Math.max(traceEnd, c.start[i] + c.dur[i]);
    if (c.dur[i] > c.dur[longest]) longest = i;
  }
  const plot = document.getElementById("plot").getBoundingClientRect();
  const middle = c.start[longest] + c.dur[longest] / 2;
  document.getElementById("canvas").dispatchEvent(new MouseEvent("mousemove", {
    bubbles: true,
    clientX: plot.left + (middle / (traceEnd * 1.01)) * plot.width,
    clientY: plot.top + 24 + c.lane[longest] * 20 + 10,
  }));
  const tip = document.getElementById("tip");
  const hovered = tip.style.display === "block" ? tip.textContent.split("\n")[0] : null;
  const longest_text = c.text[longest];
  const search = document.getElementById("search");
  search.value = "name:getppid";
  search.dispatchEvent(new Event("input"));
  return new Promise((r) => setTimeout(r, 500)).then(() => ({
    labels: [...document.querySelectorAll(".lane-label")].map((e) => Number(e.dataset.tid)),
    calls: Number(stats.dataset.calls),
    drawn: Number(stats.dataset.drawn),
    getppid_matches: Number(document.getElementById("matches").dataset.count),
    summary_rows: document.querySelectorAll("#summary tbody tr").length,
    hovered,
    longest_text,
    per_call: data.calls.lane.map((lane, i) => [data.lanes[lane].tid, data.names[data.calls.name[i]]]),
  }));
})()"##;

#[test]
fn the_timeline_loads_clean_in_chromium_with_every_thread_and_call_of_the_text_trace() {
    let run = tree_run();
    let expected = text_calls(&run.text);
    let report = load_page(&run.html(), PROBE, 1400, 700).unwrap_or_else(|e| panic!("{e}"));
    let shot = run.dir.join("timeline.png");
    fs::write(&shot, &report.screenshot).unwrap();
    assert!(
        report.screenshot.starts_with(b"\x89PNG\r\n\x1a\n"),
        "the screenshot is not a PNG"
    );
    if let Err(problems) = report.clean() {
        panic!("{}:\n{problems}", run.html().display());
    }
    let probe = &report.probe;
    let mut labels: Vec<i64> = probe["labels"]
        .as_array()
        .expect("the probe lists the lanes")
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    labels.sort_unstable();
    assert_eq!(
        labels,
        tids(&expected),
        "one lane per thread of the text trace"
    );
    assert_eq!(probe["calls"], total(&expected), "the page's call count");
    let per_call = count(probe["per_call"].as_array().unwrap().iter().map(|pair| {
        (
            pair[0].as_i64().unwrap(),
            pair[1].as_str().unwrap().to_string(),
        )
    }));
    assert_eq!(per_call, expected, "the page's calls by thread and name");
    let getppid: usize = expected
        .iter()
        .filter(|(k, _)| k.1 == "getppid")
        .map(|(_, n)| n)
        .sum();
    assert!(getppid >= 9);
    assert_eq!(probe["getppid_matches"], getppid, "searching name:getppid");
    assert!(
        probe["drawn"].as_u64().unwrap() > 0,
        "nothing drawn on the canvas"
    );
    assert!(
        probe["summary_rows"].as_u64().unwrap() > 5,
        "no summary table"
    );
    assert!(probe["longest_text"].is_string());
    assert_eq!(probe["hovered"], probe["longest_text"], "the hover tip");
    eprintln!("screenshot: {}", shot.display());
}

fn perfetto_calls(path: &Path) -> (Value, BTreeMap<CallKey, usize>) {
    let text = fs::read_to_string(path).unwrap();
    let trace: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    let events = trace["traceEvents"]
        .as_array()
        .expect("traceEvents")
        .clone();
    let mut calls = Vec::new();
    for e in &events {
        if e["ph"] == "X" {
            assert!(
                e["ts"].as_f64().unwrap() >= 0.0 && e["dur"].as_f64().unwrap() >= 0.0,
                "{e}"
            );
            assert!(e["args"]["call"]
                .as_str()
                .unwrap()
                .starts_with(e["name"].as_str().unwrap()));
            calls.push((
                e["tid"].as_i64().unwrap(),
                e["name"].as_str().unwrap().to_string(),
            ));
        }
    }
    (trace, count(calls))
}

#[test]
fn the_trace_event_file_parses_and_holds_the_text_traces_calls() {
    let run = tree_run();
    let expected = text_calls(&run.text);
    let (trace, calls) = perfetto_calls(&run.perfetto());
    assert_eq!(calls, expected);
    let events = trace["traceEvents"].as_array().unwrap();
    // Every thread is named, processes are named after what they ran.
    for tid in tids(&expected) {
        assert!(
            events
                .iter()
                .any(|e| e["ph"] == "M" && e["name"] == "thread_name" && e["tid"] == tid),
            "thread {tid} has no name"
        );
    }
    let processes: Vec<&str> = events
        .iter()
        .filter(|e| e["name"] == "process_name")
        .map(|e| e["args"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        processes.len(),
        3,
        "parent, child, grandchild: {processes:?}"
    );
    assert!(processes[0].ends_with("timeline_tree"), "{processes:?}");
    assert!(processes[2].ends_with("true"), "{processes:?}");
    let flows = events.iter().filter(|e| e["ph"] == "s").count();
    assert_eq!(flows, 5, "two forks and three thread clones");
    assert!(events
        .iter()
        .any(|e| e["ph"] == "i" && e["name"].as_str().unwrap().contains("SIGUSR1")));
}

#[test]
fn from_json_draws_what_the_recorded_trace_holds_and_filters_apply() {
    let dir = tempfile::tempdir().unwrap();
    let recorded = dir.path().join("trace.jsonl");
    let program = fixture("timeline_tree");
    let out = Tracer::Rtrace.run(&[
        "-f",
        "--json",
        "-o",
        recorded.to_str().unwrap(),
        program.to_str().unwrap(),
    ]);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    let mut json_calls = Vec::new();
    for line in fs::read_to_string(&recorded).unwrap().lines() {
        let event: Value = serde_json::from_str(line).unwrap();
        if event["type"] == "syscall" {
            json_calls.push((
                event["pid"].as_i64().unwrap(),
                event["name"].as_str().unwrap().to_string(),
            ));
        }
    }
    let json_calls = count(json_calls);
    let drawn = dir.path().join("drawn.json");
    let page = dir.path().join("drawn.html");
    let out = Tracer::Rtrace.run(&[
        "--from-json",
        recorded.to_str().unwrap(),
        "--perfetto",
        drawn.to_str().unwrap(),
        "--timeline",
        page.to_str().unwrap(),
    ]);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    assert_eq!(perfetto_calls(&drawn).1, json_calls);
    assert!(fs::metadata(&page).unwrap().len() > 10_000);

    // -e trace= on the recording, and on a live run: only the chosen calls are drawn.
    let chosen = |calls: &BTreeMap<CallKey, usize>| {
        calls
            .iter()
            .filter(|(k, _)| k.1 == "getppid" || k.1 == "execve")
            .map(|(k, n)| (k.clone(), *n))
            .collect::<BTreeMap<_, _>>()
    };
    let out = Tracer::Rtrace.run(&[
        "-e",
        "trace=getppid,execve",
        "--from-json",
        recorded.to_str().unwrap(),
        "--perfetto",
        drawn.to_str().unwrap(),
    ]);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    assert_eq!(perfetto_calls(&drawn).1, chosen(&json_calls));
    let text = dir.path().join("live.txt");
    let out = Tracer::Rtrace.run(&[
        "-f",
        "-e",
        "trace=getppid,execve",
        "-o",
        text.to_str().unwrap(),
        "--perfetto",
        drawn.to_str().unwrap(),
        program.to_str().unwrap(),
    ]);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    let text: Vec<String> = fs::read_to_string(&text)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let live = text_calls(&text);
    assert!(
        live.keys().all(|k| k.1 == "getppid" || k.1 == "execve"),
        "{live:?}"
    );
    assert_eq!(perfetto_calls(&drawn).1, live);
}

#[test]
fn a_bad_recorded_trace_or_output_path_is_one_line_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.jsonl");
    fs::write(
        &bad,
        "{\"type\":\"exit\",\"pid\":1,\"timestamp\":1,\"exit_code\":0}\nnot json\n",
    )
    .unwrap();
    let page = dir.path().join("t.html");
    let cases: [(Vec<&str>, &str); 4] = [
        (
            vec![
                "--from-json",
                bad.to_str().unwrap(),
                "--timeline",
                page.to_str().unwrap(),
            ],
            "line 2: not an rtrace --json event",
        ),
        (
            vec![
                "--from-json",
                "/nonexistent/t.jsonl",
                "--timeline",
                page.to_str().unwrap(),
            ],
            "cannot read /nonexistent/t.jsonl",
        ),
        (
            vec!["--timeline", "/nonexistent/dir/t.html", "/bin/true"],
            "cannot write the --timeline file /nonexistent/dir/t.html",
        ),
        (
            vec!["--from-json", bad.to_str().unwrap()],
            "--from-json requires --timeline or --perfetto",
        ),
    ];
    for (args, said) in cases {
        let out = Tracer::Rtrace.run(&args);
        assert_eq!(out.exit_code(), Some(1), "{args:?}: {}", out.dump());
        let lines = out.stderr_lines();
        assert_eq!(lines.len(), 1, "{args:?}: {}", out.stderr);
        assert!(
            lines[0].starts_with("rtrace: ") && lines[0].contains(said),
            "{args:?}: {}",
            out.stderr
        );
    }
}

/// The browser check fails on what it must catch: a console error, an uncaught
/// exception, a request (by the page itself, or by a timeline page changed to load
/// something), and passes a clean page.
#[test]
fn the_browser_check_catches_console_errors_exceptions_and_requests() {
    let dir = tempfile::tempdir().unwrap();
    let page = |name: &str, body: &str| {
        let path = dir.path().join(name);
        fs::write(&path, format!("<!DOCTYPE html><html><head><meta charset=utf-8><title>t</title></head><body>{body}</body></html>")).unwrap();
        path
    };
    let check =
        |path: &Path| load_page(path, "document.title", 400, 300).unwrap_or_else(|e| panic!("{e}"));

    let clean = check(&page(
        "clean.html",
        "<p>nothing here</p><script>console.log('fine')</script>",
    ));
    assert_eq!(clean.clean(), Ok(()));
    assert_eq!(clean.probe, "t");

    let error = check(&page(
        "error.html",
        "<script>console.error('deliberate error')</script>",
    ));
    assert!(
        error
            .clean()
            .unwrap_err()
            .contains("console error: deliberate error"),
        "{error:?}"
    );

    let thrown = check(&page(
        "throw.html",
        "<script>throw new Error('deliberate exception')</script>",
    ));
    assert!(
        thrown.clean().unwrap_err().contains("deliberate exception"),
        "{thrown:?}"
    );

    let fetch = check(&page(
        "fetch.html",
        "<img src='http://rtrace-check.invalid/pixel.png' alt=''>",
    ));
    let problems = fetch.clean().unwrap_err();
    assert!(
        problems.contains("network request: http://rtrace-check.invalid/pixel.png"),
        "{problems}"
    );

    // The real page with an external image added: its own policy refuses the load, and
    // the refusal is a console error.
    let run = tree_run();
    let html = fs::read_to_string(run.html()).unwrap();
    let changed = html.replacen(
        "<body>",
        "<body><img src='http://rtrace-check.invalid/pixel.png' alt=''>",
        1,
    );
    assert_ne!(changed, html);
    let changed_path = dir.path().join("changed.html");
    fs::write(&changed_path, changed).unwrap();
    let report = check(&changed_path);
    let problems = report.clean().unwrap_err();
    assert!(problems.contains("rtrace-check.invalid"), "{problems}");
}

/// Zoomed out, calls narrower than a pixel share one bucket per pixel; a long call that
/// starts in a bucket after quick ones must still be drawn across its whole length. A
/// recorded trace (so its times are exact): 50 getppid of 1 us, then a wait4 of 10 s.
#[test]
fn zoomed_out_a_long_call_after_quick_ones_is_still_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let recorded = dir.path().join("trace.jsonl");
    let call = |t: f64, name: &str, number: u32, duration: f64| {
        format!(
            r#"{{"type":"syscall","pid":7,"timestamp":{t},"name":"{name}","number":{number},"arch":"x86_64","args":[],"returned":true,"return":0,"return_value":{{"int":0}},"errno":null,"error_text":null,"return_note":null,"duration":{duration}}}"#
        )
    };
    let base = 1_700_000_000.0;
    let mut lines: Vec<String> = (0..50)
        .map(|i| call(base + f64::from(i) * 2e-6, "getppid", 110, 1e-6))
        .collect();
    lines.push(call(base + 1e-4, "wait4", 61, 10.0));
    fs::write(&recorded, lines.join("\n")).unwrap();
    let page = dir.path().join("t.html");
    let out = Tracer::Rtrace.run(&[
        "--from-json",
        recorded.to_str().unwrap(),
        "--timeline",
        page.to_str().unwrap(),
    ]);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    // The pixel in the middle of the plot, in the first lane's bar (the axis is 24 px,
    // the bar 3 to 17 px into its 20 px lane): wait4's colour (process: #e15759).
    let probe = r#"(() => {
      const canvas = document.getElementById("canvas");
      const ratio = window.devicePixelRatio || 1;
      const p = canvas.getContext("2d").getImageData(Math.floor(canvas.width / 2), Math.floor((24 + 10) * ratio), 1, 1).data;
      return [p[0], p[1], p[2]];
    })()"#;
    let report = load_page(&page, probe, 1000, 400).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.clean(), Ok(()));
    assert_eq!(report.probe, serde_json::json!([0xe1, 0x57, 0x59]));
}
