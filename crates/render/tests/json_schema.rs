//! Every kind of `--json` event, as the renderer writes it, validated against the
//! published schema (docs/json-schema.json); and the schema rejecting broken objects,
//! so that a schema that accepts anything cannot pass.

use std::path::Path;
use std::time::Duration;

use abi_stable::std_types::RStr;
use rtrace_plugin_api::{Emitter, ReturnStyle, StrStyle, Token};
use rtrace_render::dump::{CallDump, DumpDirection, DumpPart, DumpedData};
use rtrace_render::json::{write_event, Event, JsonCall};
use rtrace_render::{FdPaths, Return, Tampered};
use serde_json::{json, Value};

fn schema_validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/json-schema.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the schema {}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text).expect("the schema is valid JSON");
    jsonschema::draft202012::new(&schema).expect("the schema is a valid draft 2020-12 schema")
}

fn name(s: &'static str) -> Token {
    Token::Name(RStr::from_str(s))
}

fn emitter(tokens: &[Token], bytes: &[u8]) -> Emitter {
    let mut e = Emitter::default();
    e.tokens.extend(tokens.iter().copied());
    e.bytes.extend(bytes.iter().copied());
    e
}

struct KnownFds;
impl FdPaths for KnownFds {
    fn describe(&self, fd: i32, out: &mut Vec<u8>) -> bool {
        match fd {
            3 => out.extend_from_slice(b"/etc/hostname"),
            4 => out.extend_from_slice(b"/tmp/\xff\xfe"),
            _ => return false,
        }
        true
    }

    /// `-Y`: 42 is `sh`, 43 a name that is not UTF-8; `--pidns-translation`: 43 is
    /// 4043 in the tracer's namespace.
    fn describe_pid(
        &self,
        id: i32,
        _kind: rtrace_plugin_api::PidKind,
        comm: &mut Vec<u8>,
    ) -> Option<i32> {
        match id {
            42 => comm.extend_from_slice(b"sh"),
            43 => comm.extend_from_slice(b"\xffsh"),
            _ => {}
        }
        (id == 43).then_some(4043)
    }
}

const NOW: Duration = Duration::new(1_795_756_570, 813_338_000);

fn line(event: &Event<'_>) -> Value {
    let mut out = Vec::new();
    write_event(&mut out, event);
    serde_json::from_slice(&out).expect("each event is one JSON value")
}

fn returned(value: i64, is_error: bool, style: ReturnStyle) -> Option<Return> {
    Some(Return {
        value,
        is_error,
        style,
        duration: Some(Duration::from_micros(17)),
        tampered: Default::default(),
    })
}

/// An entry stream with every token kind, nested.
fn every_token() -> Emitter {
    let bytes = |start, len, truncated, style| Token::Bytes {
        start,
        len,
        truncated,
        style,
    };
    emitter(
        &[
            Token::Int(-100),
            Token::Uint(u64::MAX),
            Token::Hex(0x22),
            Token::Octal(0o644),
            Token::Pointer(0),
            Token::Pointer(0x7ffd_1000),
            bytes(0, 4, false, StrStyle::Path),
            bytes(4, 3, true, StrStyle::Quoted),
            bytes(0, 4, false, StrStyle::Hex),
            name("AT_FDCWD"),
            Token::Text { start: 7, len: 9 },
            Token::Fd(3),
            Token::Fd(4),
            Token::Fd(9),
            Token::Pid {
                value: 42,
                kind: rtrace_plugin_api::PidKind::Tgid,
            },
            Token::Pid {
                value: 43,
                kind: rtrace_plugin_api::PidKind::Tid,
            },
            Token::Pid {
                value: 44,
                kind: rtrace_plugin_api::PidKind::Tgid,
            },
            Token::FlagsBegin,
            name("O_RDONLY"),
            Token::Hex(0x4000_0000),
            Token::End,
            Token::StructBegin,
            Token::Field(RStr::from_str("st_mode")),
            Token::Octal(0o755),
            Token::Int(7),
            Token::Ellipsis,
            Token::End,
            Token::ArrayBegin,
            Token::Uint(128),
            Token::Arrow,
            Token::Uint(16),
            Token::Ellipsis,
            Token::End,
            Token::SetBegin,
            name("CHLD"),
            Token::End,
            Token::CallBegin(RStr::from_str("htons")),
            Token::Uint(80),
            Token::End,
            Token::Ellipsis,
        ],
        b"/tmp\xff\x00a8192*1024",
    )
}

/// One sample line of every event kind, with what it shows.
fn samples() -> Vec<(&'static str, Value)> {
    let entry = every_token();
    let note = emitter(
        &[
            Token::ReturnNote,
            Token::Field(RStr::from_str("left")),
            Token::StructBegin,
            Token::Field(RStr::from_str("tv_sec")),
            Token::Int(0),
            Token::End,
        ],
        b"",
    );
    let empty = Emitter::default();
    let regs = [(-100i64) as u64, 0x7ffd_1000, 0];
    let call = |name, exit, ret| JsonCall {
        pid: 4242,
        timestamp: NOW,
        name,
        number: 257,
        arch: "x86_64",
        args: &regs,
        entry: &entry,
        exit,
        ret,
        fds: &KnownFds,
        stack: None,
        dump: None,
    };
    // sendmmsg of two messages: "ab" in the first, "c" and an unreadable buffer in the
    // second.
    let data = |len: u64, bytes: &[u8]| {
        DumpPart::Data(DumpedData {
            len,
            bytes: bytes.to_vec(),
            unreadable: None,
        })
    };
    let sendmmsg_dump = CallDump {
        fd: 5,
        direction: DumpDirection::Write,
        parts: vec![
            DumpPart::Message {
                index: 0,
                buffers: 1,
            },
            DumpPart::Iovec { index: 0, len: 2 },
            data(2, b"ab"),
            DumpPart::Message {
                index: 1,
                buffers: 2,
            },
            DumpPart::Iovec { index: 0, len: 1 },
            data(1, b"c"),
            DumpPart::Iovec { index: 1, len: 4 },
            data(4, b""),
        ],
    };
    let siginfo = |signo: i32, code: i32| {
        let mut raw = [0u8; 128];
        raw[0..4].copy_from_slice(&signo.to_ne_bytes());
        raw[8..12].copy_from_slice(&code.to_ne_bytes());
        raw
    };
    let signal = |raw: &[u8]| {
        line(&Event::Signal {
            pid: 4242,
            timestamp: NOW,
            siginfo: raw,
        })
    };

    vec![
        (
            "syscall, every value kind, note",
            line(&Event::Syscall(&call(
                "openat",
                Some(&note),
                returned(3, false, ReturnStyle::Fd),
            ))),
        ),
        (
            "syscall with an error",
            line(&Event::Syscall(&call(
                "openat",
                Some(&empty),
                returned(-2, true, ReturnStyle::Decimal),
            ))),
        ),
        (
            "syscall with an injected error, delayed",
            line(&Event::Syscall(&call(
                "openat",
                Some(&empty),
                returned(-2, true, ReturnStyle::Decimal).map(|r| Return {
                    tampered: Tampered {
                        result: true,
                        args: true,
                        delayed: true,
                    },
                    ..r
                }),
            ))),
        ),
        (
            "syscall with dumped data",
            line(&Event::Syscall(&JsonCall {
                dump: Some(&sendmmsg_dump),
                ..call(
                    "sendmmsg",
                    Some(&empty),
                    returned(2, false, ReturnStyle::Decimal),
                )
            })),
        ),
        (
            "syscall, hex return",
            line(&Event::Syscall(&call(
                "mmap",
                Some(&empty),
                returned(0x7f00_0000_0000, false, ReturnStyle::Hex),
            ))),
        ),
        (
            "syscall, octal return",
            line(&Event::Syscall(&call(
                "umask",
                Some(&empty),
                returned(0o22, false, ReturnStyle::Octal),
            ))),
        ),
        (
            "syscall that never returned",
            line(&Event::Syscall(&call("exit_group", None, None))),
        ),
        ("signal from an exited child", signal(&siginfo(17, 1))),
        ("signal from a killed child", signal(&siginfo(17, 2))),
        ("signal from a fault", signal(&siginfo(11, 1))),
        ("signal from a process", signal(&siginfo(15, 0))),
        ("signal from a queue", signal(&siginfo(10, -1))),
        ("signal from a timer", signal(&siginfo(14, -2))),
        ("signal from seccomp", signal(&siginfo(31, 1))),
        ("signal from I/O", signal(&siginfo(29, 1))),
        ("signal with an unnamed code", signal(&siginfo(10, -99))),
        (
            "exit",
            line(&Event::Exit {
                pid: 4242,
                timestamp: NOW,
                exit_code: 3,
            }),
        ),
        (
            "killed",
            line(&Event::Killed {
                pid: 4242,
                timestamp: NOW,
                signal: 15,
                core_dumped: false,
            }),
        ),
        (
            "stopped",
            line(&Event::Stopped {
                pid: 4242,
                timestamp: NOW,
                signal: 19,
            }),
        ),
        (
            "attach",
            line(&Event::Attach {
                pid: 4242,
                timestamp: NOW,
            }),
        ),
        (
            "detach",
            line(&Event::Detach {
                pid: 4242,
                timestamp: NOW,
            }),
        ),
        (
            "superseded",
            line(&Event::Superseded {
                pid: 4242,
                timestamp: NOW,
                by_tid: 4243,
            }),
        ),
    ]
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn every_event_kind_matches_the_schema() {
    let validator = schema_validator();
    let samples = samples();
    let kinds: std::collections::BTreeSet<&str> = samples
        .iter()
        .map(|(_, v)| v["type"].as_str().expect("every event has a type"))
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            "attach",
            "detach",
            "exit",
            "killed",
            "signal",
            "stopped",
            "superseded",
            "syscall"
        ]
    );
    for (what, sample) in &samples {
        let errors = errors(&validator, sample);
        assert!(errors.is_empty(), "{what}: {sample}\n{}", errors.join("\n"));
    }
}

#[test]
fn the_schema_rejects_missing_required_fields() {
    let validator = schema_validator();
    for (what, sample) in samples() {
        let object = sample.as_object().expect("events are objects");
        // "dump" is written only for calls whose data is dumped (its own fields are
        // required, checked in the_schema_rejects_wrong_shapes).
        for key in object.keys().filter(|k| *k != "dump") {
            let mut broken = object.clone();
            broken.remove(key);
            assert!(
                !validator.is_valid(&Value::Object(broken)),
                "{what}: the schema accepts the event without {key:?}"
            );
        }
    }
}

#[test]
fn the_schema_rejects_wrong_shapes() {
    let validator = schema_validator();
    let samples = samples();
    let syscall = samples[0].1.clone();
    let mutate = |f: &dyn Fn(&mut Value)| {
        let mut v = syscall.clone();
        f(&mut v);
        v
    };
    let broken = [
        (
            "an unknown type",
            json!({"type":"nope","pid":1,"timestamp":1.0}),
        ),
        ("an unknown field", mutate(&|v| v["extra"] = json!(1))),
        (
            "a tampering mark that is a string",
            mutate(&|v| v["tampered"] = json!("INJECTED")),
        ),
        (
            "a tampering object without its marks",
            mutate(&|v| v["tampered"] = json!({"result": true})),
        ),
        (
            "a value that is a text blob",
            mutate(&|v| v["args"][0]["value"] = json!("AT_FDCWD")),
        ),
        (
            "a value with two kinds",
            mutate(&|v| v["args"][0]["value"] = json!({"int":1,"hex":"0x1"})),
        ),
        (
            "a big integer as a float",
            mutate(&|v| v["args"][0]["raw"] = json!(1.8446744073709552e19)),
        ),
        (
            "an upper-case hex string",
            mutate(&|v| v["args"][2]["value"] = json!({"hex":"0X22"})),
        ),
        (
            "a never-returned call with a return",
            mutate(&|v| {
                v["returned"] = json!(false);
                v["duration"] = Value::Null;
            }),
        ),
        (
            "an error whose return is not -1",
            mutate(&|v| {
                v["errno"] = json!("ENOENT");
                v["error_text"] = json!("No such file or directory");
                v["return_value"] = Value::Null;
            }),
        ),
    ];
    let dumped = samples
        .iter()
        .find(|(what, _)| *what == "syscall with dumped data")
        .expect("the dump sample")
        .1
        .clone();
    let mutate_dump = |f: &dyn Fn(&mut Value)| {
        let mut v = dumped.clone();
        f(&mut v);
        v
    };
    let mut broken = broken.to_vec();
    for key in ["fd", "direction", "len", "bytes_hex"] {
        broken.push((
            "a dumped buffer without a required field",
            mutate_dump(&|v| {
                v["dump"][0].as_object_mut().expect("an object").remove(key);
            }),
        ));
    }
    broken.extend([
        (
            "a dump direction other than read or write",
            mutate_dump(&|v| v["dump"][0]["direction"] = json!("both")),
        ),
        (
            "dumped bytes that are not hex pairs",
            mutate_dump(&|v| v["dump"][0]["bytes_hex"] = json!("6")),
        ),
        (
            "a dump that is one object",
            mutate_dump(&|v| v["dump"] = v["dump"][0].clone()),
        ),
        (
            "a truncation mark that is false",
            mutate_dump(&|v| v["dump"][0]["truncated"] = json!(false)),
        ),
    ]);
    for (what, instance) in broken {
        assert!(
            !validator.is_valid(&instance),
            "the schema accepts {what}: {instance}"
        );
    }
}
