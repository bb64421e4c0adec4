//! `rtrace --json` on real programs: every line is one JSON object valid against
//! docs/json-schema.json, and the objects say what the programs did (the calls, their
//! errors, signals, exits, threads and children).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::sync::OnceLock;

use rtrace_tests::locate::workspace_root;
use rtrace_tests::{fixture, Outcome, Tracer};
use serde_json::{json, Value};

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let path = workspace_root().join("docs/json-schema.json");
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read the schema {}: {e}", path.display()));
        let schema: Value = serde_json::from_str(&text).expect("the schema is valid JSON");
        jsonschema::draft202012::new(&schema).expect("the schema is a valid draft 2020-12 schema")
    })
}

/// Fails with one clear line while the CLI cannot write JSON at all.
fn require_json_option() {
    let probe = Tracer::Rtrace.run(&["--json", "/bin/true"]);
    if probe.exit_code() != Some(0) {
        let said = probe.stderr.lines().next().unwrap_or("").trim();
        panic!(
            "rtrace has no --json option yet: `rtrace --json /bin/true` {} ({said})",
            probe.describe()
        );
    }
}

/// Traces `command` with `--json` and `options`; checks that every line is a JSON
/// object valid against the schema, and returns them.
fn json_trace(options: &[&str], command: &[&str]) -> (Outcome, Vec<Value>) {
    require_json_option();
    let mut all = vec!["--json"];
    all.extend_from_slice(options);
    let out = Tracer::Rtrace.trace(&all, command);
    assert!(
        !out.stderr.contains("panicked"),
        "rtrace panicked:\n{}",
        out.dump()
    );
    assert!(!out.trace.is_empty(), "no JSON lines\n{}", out.dump());
    let mut events = Vec::with_capacity(out.trace.len());
    for (i, line) in out.trace.iter().enumerate() {
        let event: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("line {} is not one JSON value ({e}): {line}", i + 1));
        let errors: Vec<String> = validator()
            .iter_errors(&event)
            .map(|e| format!("  {e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "line {} does not match docs/json-schema.json: {line}\n{}",
            i + 1,
            errors.join("\n")
        );
        events.push(event);
    }
    (out, events)
}

fn of_type<'e>(events: &'e [Value], kind: &str) -> Vec<&'e Value> {
    events.iter().filter(|e| e["type"] == kind).collect()
}

fn syscalls<'e>(events: &'e [Value], name: &str) -> Vec<&'e Value> {
    events
        .iter()
        .filter(|e| e["type"] == "syscall" && e["name"] == name)
        .collect()
}

#[test]
fn true_is_execve_to_exit_group_then_exit() {
    let (out, events) = json_trace(&[], &["/bin/true"]);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());

    let first = &events[0];
    assert_eq!(first["type"], "syscall", "first event: {first}");
    assert_eq!(first["name"], "execve", "first event: {first}");
    assert_eq!(first["returned"], true, "{first}");
    assert_eq!(first["return"], 0, "{first}");
    let path = &first["args"][0];
    assert!(
        path["raw"].is_number(),
        "execve's path register is an address: {first}"
    );
    if !path["value"]["str"].is_null() {
        assert_eq!(path["value"]["str"], "/bin/true", "{first}");
    }

    let exit_group = syscalls(&events, "exit_group");
    assert_eq!(exit_group.len(), 1, "one exit_group: {exit_group:?}");
    let exit_group = exit_group[0];
    assert_eq!(exit_group["returned"], false, "{exit_group}");
    assert_eq!(exit_group["args"][0]["raw"], 0, "{exit_group}");

    let last = events.last().expect("not empty");
    assert_eq!(last["type"], "exit", "last event: {last}");
    assert_eq!(last["exit_code"], 0, "{last}");

    // One process: events come in time order, and calls take no negative time.
    let times: Vec<f64> = events
        .iter()
        .map(|e| e["timestamp"].as_f64().expect("schema-checked"))
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "timestamps go back: {times:?}"
    );
    for call in of_type(&events, "syscall") {
        assert_eq!(call["pid"], last["pid"], "{call}");
        assert_eq!(call["arch"], "x86_64", "{call}");
        if call["returned"] == true {
            assert!(call["duration"].as_f64().is_some(), "{call}");
        }
    }
}

#[test]
fn file_operations_show_arguments_results_and_errors() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let dir_path = dir.path().to_str().expect("UTF-8 temporary path");
    let program = fixture("fileops");
    let (out, events) = json_trace(&[], &[program.to_str().unwrap(), dir_path]);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());

    // The payload written, whole: the buffer argument (if decoded) and the count.
    let payload = "hello from the fileops fixture\n";
    let writes: Vec<&Value> = syscalls(&events, "write")
        .into_iter()
        .filter(|w| w["return"] == payload.len())
        .collect();
    assert_eq!(writes.len(), 1, "one write of the payload: {writes:?}");
    let write = writes[0];
    assert_eq!(write["args"][2]["raw"], payload.len(), "{write}");
    if !write["args"][1]["value"]["str"].is_null() {
        assert_eq!(write["args"][1]["value"]["str"], payload, "{write}");
    }

    // The stat after the unlink fails: one object with errno and -1, not two halves.
    let calls = of_type(&events, "syscall");
    let unlink = calls
        .iter()
        .position(|c| c["name"] == "unlink" || c["name"] == "unlinkat")
        .unwrap_or_else(|| panic!("no unlink call\n{}", out.dump()));
    assert_eq!(calls[unlink]["return"], 0, "{}", calls[unlink]);
    let failed = calls
        .get(unlink + 1)
        .unwrap_or_else(|| panic!("no call after the unlink\n{}", out.dump()));
    assert!(
        failed["name"].as_str().unwrap().contains("stat"),
        "a stat call follows the unlink: {failed}"
    );
    assert_eq!(failed["returned"], true, "{failed}");
    assert_eq!(failed["return"], -1, "{failed}");
    assert_eq!(failed["errno"], "ENOENT", "{failed}");
    assert_eq!(
        failed["error_text"], "No such file or directory",
        "{failed}"
    );
    assert!(failed["return_value"].is_null(), "{failed}");
}

#[test]
fn exit_codes_and_kills_are_events() {
    let (out, events) = json_trace(&[], &[fixture("exit_code").to_str().unwrap(), "3"]);
    assert_eq!(out.exit_code(), Some(3), "{}", out.dump());
    let exits = of_type(&events, "exit");
    assert_eq!(exits.len(), 1, "{exits:?}");
    assert_eq!(exits[0]["exit_code"], 3);

    let (_, events) = json_trace(&[], &[fixture("signals").to_str().unwrap(), "term"]);
    let signals = of_type(&events, "signal");
    assert_eq!(signals.len(), 1, "one SIGTERM delivered: {signals:?}");
    assert_eq!(signals[0]["signal"], "SIGTERM");
    assert_eq!(signals[0]["siginfo"]["si_signo"], "SIGTERM");
    let killed = of_type(&events, "killed");
    assert_eq!(killed.len(), 1, "{killed:?}");
    assert_eq!(killed[0]["signal"], "SIGTERM");
    assert_eq!(killed[0]["core_dumped"], false);
    assert_eq!(events.last(), Some(killed[0]), "the kill is the last event");
}

#[test]
fn a_caught_signal_has_its_siginfo() {
    let (out, events) = json_trace(&[], &[fixture("signals").to_str().unwrap(), "handle"]);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    let signals = of_type(&events, "signal");
    assert_eq!(signals.len(), 1, "{signals:?}");
    let info = &signals[0]["siginfo"];
    assert_eq!(info["si_signo"], "SIGUSR1");
    // kill(getpid(), ...) is SI_USER, sent by the tracee itself.
    assert_eq!(info["si_code"], "SI_USER", "{info}");
    assert_eq!(info["si_pid"], signals[0]["pid"], "{info}");
}

#[test]
fn threads_make_one_object_per_call() {
    let program = fixture("threads");
    let (out, events) = json_trace(&["-f"], &[program.to_str().unwrap()]);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());

    // Each thread's closes of fds 1000+100*i+j fail with EBADF, each exactly once and
    // whole, under the thread that made them (its gettid() result).
    let mut closes: BTreeMap<u64, Vec<&Value>> = BTreeMap::new();
    for call in syscalls(&events, "close") {
        if let Some(fd) = call["args"][0]["raw"].as_u64().filter(|fd| *fd >= 1000) {
            closes.entry(fd).or_default().push(call);
        }
    }
    let tid_of: BTreeMap<u64, u64> = syscalls(&events, "gettid")
        .iter()
        .filter_map(|c| Some((c["pid"].as_u64()?, c["return"].as_u64()?)))
        .collect();
    assert_eq!(tid_of.len(), 4, "four threads call gettid: {tid_of:?}");
    for (pid, tid) in &tid_of {
        assert_eq!(pid, tid, "gettid returns the caller's own tid");
    }
    let mut closers = BTreeSet::new();
    for i in 0..4u64 {
        for j in 0..5u64 {
            let fd = 1000 + 100 * i + j;
            let calls = closes.get(&fd).map(Vec::as_slice).unwrap_or_default();
            assert_eq!(calls.len(), 1, "close({fd}) once: {calls:?}");
            let call = calls[0];
            assert_eq!(call["errno"], "EBADF", "{call}");
            assert_eq!(call["returned"], true, "{call}");
            closers.insert((i, call["pid"].as_u64().unwrap()));
        }
    }
    // All closes of one thread come from one tid, and different threads' from different tids.
    let tids: BTreeSet<u64> = closers.iter().map(|(_, tid)| *tid).collect();
    assert_eq!(closers.len(), 4, "{closers:?}");
    assert_eq!(tids.len(), 4, "{closers:?}");
}

#[test]
fn children_exit_with_their_own_codes() {
    let program = fixture("fork_wait");
    let (out, events) = json_trace(&["-f"], &[program.to_str().unwrap()]);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    let exits: BTreeMap<u64, i64> = of_type(&events, "exit")
        .iter()
        .map(|e| (e["pid"].as_u64().unwrap(), e["exit_code"].as_i64().unwrap()))
        .collect();
    let codes: BTreeSet<i64> = exits.values().copied().collect();
    assert_eq!(exits.len(), 2, "parent and child exit: {exits:?}");
    assert_eq!(codes, BTreeSet::from([0, 3]), "{exits:?}");
    // The parent sees the child's exit as SIGCHLD with CLD_EXITED and status 3.
    let chld: Vec<&Value> = of_type(&events, "signal")
        .into_iter()
        .filter(|s| s["signal"] == "SIGCHLD")
        .collect();
    assert_eq!(chld.len(), 1, "{chld:?}");
    assert_eq!(chld[0]["siginfo"]["si_code"], "CLD_EXITED");
    assert_eq!(chld[0]["siginfo"]["si_status"], 3);
}

#[test]
fn a_pipeline_of_real_tools_is_all_valid_json() {
    // Many decoders at once (stat structs, directory reads, pipes, clone, wait4):
    // every line is checked against the schema by json_trace.
    let (out, events) = json_trace(&["-f"], &["sh", "-c", "ls -la / | wc -l"]);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    let exited: BTreeSet<u64> = of_type(&events, "exit")
        .iter()
        .map(|e| e["pid"].as_u64().unwrap())
        .collect();
    assert!(exited.len() >= 3, "sh, ls and wc exit: {exited:?}");
    let callers: BTreeSet<u64> = of_type(&events, "syscall")
        .iter()
        .map(|e| e["pid"].as_u64().unwrap())
        .collect();
    assert!(
        exited.is_subset(&callers),
        "every process that exited made calls: {exited:?} {callers:?}"
    );
}

/// `-k` and `-kk`: each call carries its frames as `"stack"`, valid against the schema,
/// the program's own frames named with their functions (and, with -kk, source lines).
#[test]
fn stack_traces_are_frames_in_the_schema() {
    let program = rtrace_tests::fixtures::fixture("stack_calls");
    let program = program.to_str().expect("a UTF-8 path");
    for (option, with_source) in [("-k", false), ("-kk", true)] {
        let (_, events) = json_trace(&[option, "-e", "trace=getppid"], &[program]);
        let call = syscalls(&events, "getppid")[0];
        let stack = call["stack"].as_array().expect("a stack array");
        let inner = stack
            .iter()
            .find(|f| f["function"] == "inner_call")
            .unwrap_or_else(|| panic!("no inner_call frame: {stack:?}"));
        assert_eq!(inner["file"], program);
        assert!(inner["offset"].as_u64().is_some_and(|o| o > 0), "{inner}");
        assert!(inner["file_offset"].as_u64().is_some(), "{inner}");
        assert_eq!(
            inner["source_line"].is_u64(),
            with_source,
            "{option}: {inner}"
        );
    }
    // Without -k there is no "stack".
    let (_, events) = json_trace(&["-e", "trace=getppid"], &[program]);
    assert!(syscalls(&events, "getppid")[0].get("stack").is_none());
}

/// One call's dumped data as a line, `NAME FD DIRECTION MESSAGE/IOVEC:HEX...` ("-" for
/// no index): the form of the data_dumps fixture's `known` report.
fn dump_line(call: &Value) -> String {
    let dump = call["dump"].as_array().expect("schema-checked: an array");
    let first = dump
        .first()
        .unwrap_or_else(|| panic!("an empty dump: {call}"));
    let mut line = format!(
        "{} {} {}",
        call["name"].as_str().expect("schema-checked"),
        first["fd"],
        first["direction"].as_str().expect("schema-checked")
    );
    for buffer in dump {
        assert_eq!(buffer["fd"], first["fd"], "one descriptor a call: {call}");
        assert_eq!(buffer["direction"], first["direction"], "{call}");
        let hex = buffer["bytes_hex"].as_str().expect("schema-checked");
        assert_eq!(
            buffer["len"].as_u64(),
            Some(hex.len() as u64 / 2),
            "every byte could be read: {call}"
        );
        let index = |key: &str| buffer[key].as_u64().map_or("-".into(), |i| i.to_string());
        line.push_str(&format!(" {}/{}:{hex}", index("message"), index("iovec")));
    }
    line
}

/// What strace dumps of a call the fixture reported: everything it read, and what it
/// wrote up to the first empty iovec of each message (which ends strace's dump of the
/// message's vector).
fn dumped_part_of(reported: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    let mut ended: Option<&str> = None;
    for (i, word) in reported.split(' ').enumerate() {
        if i < 3 {
            kept.push(word);
            continue;
        }
        let (index, hex) = word.split_once(':').expect("MESSAGE/IOVEC:HEX");
        let message = index.split('/').next().expect("a message index");
        if ended == Some(message) {
            continue;
        }
        if hex.is_empty() {
            ended = Some(message);
            continue;
        }
        kept.push(word);
    }
    kept.join(" ")
}

/// The dump lines of a trace from the fixture's first dumped call, `first`, on: the
/// loader's reads of the libraries come before it.
fn fixture_dumps(events: &[Value], first: &str) -> Vec<String> {
    let dumped: Vec<String> = events
        .iter()
        .filter(|e| e.get("dump").is_some())
        .map(dump_line)
        .collect();
    let start = dumped
        .iter()
        .position(|l| l == first)
        .unwrap_or_else(|| panic!("no dump of {first}:\n{}", dumped.join("\n")));
    dumped[start..].to_vec()
}

/// `--json -e read=SET -e write=SET`: each dumped call carries the bytes it moved as
/// `"dump"`, and they are the bytes the program itself says it wrote and read (the
/// fixture's `known` mode reports them on stdout, computed from its own buffers after
/// each call); calls outside the sets, and every call without the options, have none.
#[test]
fn dumped_data_is_what_the_program_moved() {
    let program = fixture("data_dumps");
    let program = program.to_str().expect("a UTF-8 path");
    let command = [program, "known"];
    // Descriptor 1 carries the fixture's report, which is not one of its dumped calls.
    let (out, events) = json_trace(&["-e", "read=all", "-e", "write=!1"], &command);
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    let report = String::from_utf8(out.stdout.clone()).expect("the report is text");
    let reported: Vec<&str> = report.lines().collect();
    assert!(reported.len() >= 16, "the fixture's report:\n{report}");
    let expected: Vec<String> = reported.iter().map(|l| dumped_part_of(l)).collect();
    assert_eq!(
        fixture_dumps(&events, &expected[0]),
        expected,
        "dumps against the report"
    );
    // The report's write to descriptor 1 is outside the write set.
    assert!(
        events
            .iter()
            .filter(|e| e["args"][0]["raw"] == 1)
            .all(|e| e.get("dump").is_none()),
        "a dump of descriptor 1"
    );

    // One descriptor read, another written: only their calls, in their direction.
    let fd_of = |name: &str| -> String {
        let line = reported
            .iter()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no {name} in the report:\n{report}"));
        line.split(' ').nth(1).expect("NAME FD").to_owned()
    };
    let (read_fd, write_fd) = (fd_of("readv"), fd_of("sendmsg"));
    let (out, events) = json_trace(
        &[
            "-e",
            &format!("read={read_fd}"),
            "-e",
            &format!("write={write_fd}"),
        ],
        &command,
    );
    assert_eq!(out.exit_code(), Some(0), "{}", out.dump());
    let selected: Vec<String> = expected
        .iter()
        .filter(|l| {
            let words: Vec<&str> = l.split(' ').collect();
            (words[2] == "read" && words[1] == read_fd)
                || (words[2] == "write" && words[1] == write_fd)
        })
        .cloned()
        .collect();
    assert!(selected.len() >= 6, "{selected:?}");
    assert_eq!(
        fixture_dumps(&events, &selected[0]),
        selected,
        "dumps of read={read_fd} write={write_fd}"
    );
    // A write to the read end ("nope", which fails) is not in the write set.
    let read_number: u64 = read_fd.parse().expect("a descriptor number");
    let nope = events
        .iter()
        .find(|e| e["name"] == "write" && e["args"][0]["raw"] == json!(read_number))
        .expect("the write to the pipe's read end");
    assert_eq!(nope["errno"], "EBADF", "{nope}");
    assert!(nope.get("dump").is_none(), "{nope}");

    // Without the options no call has a "dump".
    let (_, events) = json_trace(&[], &command);
    assert!(
        events.iter().all(|e| e.get("dump").is_none()),
        "a dump without -e read=/write="
    );
    assert_eq!(
        syscalls(&events, "recvmmsg").len(),
        1,
        "the calls were made"
    );
}

/// A test of the test: one changed byte, a lost buffer or a missing call in the dumps
/// is a difference from the report.
#[test]
fn a_wrong_dump_differs_from_the_report() {
    let reported = "writev 4 write -/0:6869 -/1: -/2:6a6b";
    assert_eq!(dumped_part_of(reported), "writev 4 write -/0:6869");
    let call = |dump: Value| json!({"name": "readv", "dump": dump});
    let good = call(json!([
        {"fd":3,"direction":"read","iovec":0,"len":2,"bytes_hex":"6869"},
        {"fd":3,"direction":"read","iovec":1,"len":1,"bytes_hex":"6a"}
    ]));
    assert_eq!(dump_line(&good), "readv 3 read -/0:6869 -/1:6a");
    let changed = call(json!([
        {"fd":3,"direction":"read","iovec":0,"len":2,"bytes_hex":"6868"},
        {"fd":3,"direction":"read","iovec":1,"len":1,"bytes_hex":"6a"}
    ]));
    assert_ne!(dump_line(&changed), dump_line(&good));
    let lost = call(json!([
        {"fd":3,"direction":"read","iovec":0,"len":2,"bytes_hex":"6869"}
    ]));
    assert_ne!(dump_line(&lost), dump_line(&good));
    let short = call(json!([
        {"fd":3,"direction":"read","iovec":0,"len":3,"bytes_hex":"6869"}
    ]));
    assert!(std::panic::catch_unwind(|| dump_line(&short)).is_err());
}
