//! The JSON lines, checked as parsed JSON.

use super::*;
use abi_stable::std_types::RStr;
use rtrace_plugin_api::{PidKind, StrStyle, Token};
use serde_json::{json, Value as Json};

fn name(s: &'static str) -> RStr<'static> {
    RStr::from_str(s)
}

fn emitter(tokens: &[Token], bytes: &[u8]) -> Emitter {
    let mut e = Emitter::default();
    e.tokens.extend(tokens.iter().copied());
    e.bytes.extend(bytes.iter().copied());
    e
}

fn bytes(start: u32, len: u32, truncated: bool, style: StrStyle) -> Token {
    Token::Bytes {
        start,
        len,
        truncated,
        style,
    }
}

struct OneFd;
impl FdPaths for OneFd {
    fn describe(&self, fd: i32, out: &mut Vec<u8>) -> bool {
        if fd == 3 {
            out.extend_from_slice(b"/etc/hostname");
        }
        fd == 3
    }

    /// `-Y` knows one process, 42, as `sh`; `--pidns-translation` knows 42 as 4042 in
    /// the tracer's namespace.
    fn describe_pid(&self, id: i32, kind: PidKind, comm: &mut Vec<u8>) -> Option<i32> {
        if id == 42 && matches!(kind, PidKind::Tid | PidKind::Tgid) {
            comm.extend_from_slice(b"sh");
        }
        (id == 42).then_some(4042)
    }
}

fn ok(value: i64, style: ReturnStyle) -> Option<Return> {
    Some(Return {
        value,
        is_error: false,
        style,
        duration: Some(Duration::from_micros(250)),
        tampered: Default::default(),
    })
}

fn call<'a>(entry: &'a Emitter, exit: Option<&'a Emitter>, ret: Option<Return>) -> JsonCall<'a> {
    JsonCall {
        pid: 42,
        timestamp: Duration::new(1_795_756_570, 813_338_000),
        name: "test",
        number: 7,
        arch: "x86_64",
        args: &[],
        entry,
        exit,
        ret,
        fds: &OneFd,
        stack: None,
        dump: None,
    }
}

fn line(event: &Event<'_>) -> Json {
    let mut out = Vec::new();
    write_event(&mut out, event);
    assert_eq!(out.last(), Some(&b'\n'), "a line ends in a newline");
    assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 1, "one line");
    serde_json::from_slice(&out).expect("valid JSON")
}

/// The decoded values of one entry stream.
fn values(tokens: &[Token], arena: &[u8]) -> Json {
    let entry = emitter(tokens, arena);
    let exit = Emitter::default();
    let c = call(&entry, Some(&exit), ok(0, ReturnStyle::Decimal));
    let v = line(&Event::Syscall(&c));
    Json::Array(
        v["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["value"].clone())
            .collect(),
    )
}

#[test]
fn numbers_by_kind() {
    let v = values(
        &[
            Token::Int(-100),
            Token::Uint(14),
            Token::Hex(0x22),
            Token::Hex(0),
            Token::Octal(0o644),
            Token::Octal(0),
            Token::Pointer(0),
            Token::Pointer(0x7ffd_1000),
        ],
        b"",
    );
    assert_eq!(
        v,
        json!([{"int":-100}, {"int":14}, {"hex":"0x22"}, {"hex":"0x0"}, {"octal":"0644"},
               {"octal":"00"}, {"ptr":null}, {"ptr":"0x7ffd1000"}])
    );
}

#[test]
fn integers_beyond_2_pow_53_are_decimal_strings() {
    let v = values(
        &[
            Token::Uint(u64::MAX),
            Token::Int(i64::MIN),
            Token::Uint((1 << 53) - 1),
            Token::Uint(1 << 53),
        ],
        b"",
    );
    assert_eq!(
        v,
        json!([{"int":"18446744073709551615"}, {"int":"-9223372036854775808"},
               {"int":9007199254740991u64}, {"int":"9007199254740992"}])
    );
}

#[test]
fn strings_utf8_or_hex() {
    let v = values(
        &[
            bytes(0, 4, false, StrStyle::Path),
            bytes(4, 3, true, StrStyle::Quoted),
            bytes(7, 2, false, StrStyle::Quoted),
            bytes(0, 2, false, StrStyle::Hex),
            bytes(9, 0, false, StrStyle::Quoted),
        ],
        b"/tmp\x7fEL\xff\x00",
    );
    assert_eq!(
        v,
        json!([{"str":"/tmp"}, {"str":"\u{7f}EL", "truncated":true}, {"bytes_hex":"ff00"},
               {"bytes_hex":"2f74"}, {"str":""}])
    );
}

#[test]
fn names_text_and_fds() {
    let v = values(
        &[
            Token::Name(name("AT_FDCWD")),
            Token::Text { start: 0, len: 9 },
            Token::Fd(3),
            Token::Fd(4),
            Token::Fd(-1),
        ],
        b"8192*1024",
    );
    assert_eq!(
        v,
        json!([{"name":"AT_FDCWD"}, {"text":"8192*1024"}, {"fd":3,"path":"/etc/hostname"},
               {"fd":4}, {"fd":-1}])
    );
}

/// A pid is a number like any other; `-Y` adds the command name beside it, for a
/// process but not for a process group.
#[test]
fn pids_keep_their_number_and_add_the_name() {
    let v = values(
        &[
            Token::Pid {
                value: 42,
                kind: PidKind::Tgid,
            },
            Token::Pid {
                value: 42,
                kind: PidKind::Pgid,
            },
            Token::Pid {
                value: 43,
                kind: PidKind::Tid,
            },
        ],
        b"",
    );
    assert_eq!(
        v,
        json!([
            {"int":42,"comm":"sh","tracer_ns_pid":4042},
            {"int":42,"tracer_ns_pid":4042},
            {"int":43}
        ])
    );
}

/// The groups a decoder adds for `-X raw`'s sake change nothing here: a flag set in a
/// flag set is one list, a set around one call is the call.
#[test]
fn value_groups_are_transparent() {
    let v = values(
        &[
            Token::FlagsBegin,
            Token::Constant {
                name: name("SOCK_STREAM"),
                value: 1,
                hex: true,
            },
            Token::FlagSet(0x80800),
            Token::Name(name("SOCK_CLOEXEC")),
            Token::Name(name("SOCK_NONBLOCK")),
            Token::End,
            Token::End,
            Token::FlagSet(0x103),
            Token::CallBegin(name("makedev")),
            Token::Hex(1),
            Token::Hex(3),
            Token::End,
            Token::End,
        ],
        b"",
    );
    assert_eq!(
        v,
        json!([
            {"flags":["SOCK_STREAM","SOCK_CLOEXEC","SOCK_NONBLOCK"]},
            {"call":"makedev","args":[{"hex":"0x1"},{"hex":"0x3"}]}
        ])
    );
}

#[test]
fn groups_pairs_and_ellipses() {
    let v = values(
        &[
            Token::FlagsBegin,
            Token::Name(name("O_RDONLY")),
            Token::Name(name("O_CLOEXEC")),
            Token::Hex(0x4000_0000),
            Token::End,
            Token::StructBegin,
            Token::Field(name("st_mode")),
            Token::FlagsBegin,
            Token::Name(name("S_IFREG")),
            Token::Octal(0o644),
            Token::End,
            Token::Field(name("st_size")),
            Token::Uint(14),
            Token::Int(9),
            Token::Ellipsis,
            Token::End,
            Token::ArrayBegin,
            Token::Uint(128),
            Token::Arrow,
            Token::Uint(16),
            Token::Ellipsis,
            Token::End,
            Token::SetBegin,
            Token::Name(name("CHLD")),
            Token::Name(name("TTOU")),
            Token::End,
            Token::CallBegin(name("htons")),
            Token::Uint(80),
            Token::End,
            Token::StructBegin,
            Token::Field(name("msg_namelen")),
            Token::Uint(16),
            Token::Arrow,
            Token::Uint(28),
            Token::End,
            Token::Ellipsis,
        ],
        b"",
    );
    assert_eq!(
        v,
        json!([
            {"flags":["O_RDONLY","O_CLOEXEC",{"hex":"0x40000000"}]},
            {"struct":{"st_mode":{"flags":["S_IFREG",{"octal":"0644"}]},"st_size":{"int":14},
                       "_2":{"int":9}}, "more":true},
            {"array":[{"in":{"int":128},"out":{"int":16}}], "more":true},
            {"set":["CHLD","TTOU"]},
            {"call":"htons","args":[{"int":80}]},
            {"struct":{"msg_namelen":{"in":{"int":16},"out":{"int":28}}}},
            {"more":true}
        ])
    );
}

#[test]
fn unbalanced_streams_still_make_trees() {
    // A stray End is ignored, a missing End closed, a dangling arrow has a null side.
    let v = values(
        &[
            Token::End,
            Token::Arrow,
            Token::Int(1),
            Token::Int(2),
            Token::Arrow,
            Token::ArrayBegin,
            Token::Int(3),
        ],
        b"",
    );
    assert_eq!(
        v,
        json!([{"in":null,"out":{"int":1}}, {"in":{"int":2},"out":{"array":[{"int":3}]}}])
    );
}

#[test]
fn one_call_from_entry_and_exit_with_raw_registers() {
    // read(3, "\177ELF"..., 832) = 832: the fd at entry, buffer and count at exit.
    let entry = emitter(&[Token::Fd(3)], b"");
    let exit = emitter(
        &[bytes(0, 4, true, StrStyle::Quoted), Token::Uint(832)],
        b"\x7fELF",
    );
    let c = JsonCall {
        name: "read",
        number: 0,
        args: &[3, 0x7ffd_0000, 832],
        ..call(&entry, Some(&exit), ok(832, ReturnStyle::Decimal))
    };
    assert_eq!(
        line(&Event::Syscall(&c)),
        json!({
            "type":"syscall", "pid":42, "timestamp":1795756570.813338, "name":"read",
            "number":0, "arch":"x86_64",
            "args":[
                {"raw":3, "value":{"fd":3,"path":"/etc/hostname"}},
                {"raw":2147287040u64, "value":{"str":"\u{7f}ELF","truncated":true}},
                {"raw":832, "value":{"int":832}}
            ],
            "returned":true, "return":832, "return_value":{"int":832}, "errno":null,
            "error_text":null, "return_note":null, "duration":0.00025, "tampered":null
        })
    );
}

#[test]
fn args_without_values_and_big_registers() {
    // open("/x", O_RDONLY) shows two of three arguments; AT_FDCWD's register is huge.
    let entry = emitter(&[Token::Name(name("AT_FDCWD"))], b"");
    let c = JsonCall {
        args: &[(-100i64) as u64, 0],
        ..call(&entry, None, ok(0, ReturnStyle::Decimal))
    };
    let v = line(&Event::Syscall(&c));
    assert_eq!(
        v["args"],
        json!([{"raw":"18446744073709551516","value":{"name":"AT_FDCWD"}},
               {"raw":0,"value":null}])
    );
    // More values than registers: the extra ones have no register.
    let entry = emitter(&[Token::Int(1), Token::Int(2)], b"");
    let c = JsonCall {
        args: &[1],
        ..call(&entry, None, ok(0, ReturnStyle::Decimal))
    };
    assert_eq!(
        line(&Event::Syscall(&c))["args"],
        json!([{"raw":1,"value":{"int":1}}, {"raw":null,"value":{"int":2}}])
    );
}

#[test]
fn errors_name_the_errno() {
    let entry = Emitter::default();
    let exit = Emitter::default();
    let ret = Return {
        value: -2,
        is_error: true,
        style: ReturnStyle::Decimal,
        duration: None,
        tampered: Default::default(),
    };
    let v = line(&Event::Syscall(&call(&entry, Some(&exit), Some(ret))));
    assert_eq!(v["return"], json!(-1));
    assert_eq!(v["return_value"], Json::Null);
    assert_eq!(v["errno"], json!("ENOENT"));
    assert_eq!(v["error_text"], json!("No such file or directory"));
    assert_eq!(v["duration"], Json::Null);
    assert_eq!(v["tampered"], Json::Null);
    let injected = Return {
        tampered: Tampered {
            result: true,
            args: false,
            delayed: true,
        },
        ..ret
    };
    let v = line(&Event::Syscall(&call(&entry, Some(&exit), Some(injected))));
    assert_eq!(
        v["tampered"],
        json!({"result": true, "args": false, "delayed": true})
    );
    let unknown = Some(Return {
        value: -4000,
        ..ret
    });
    let v = line(&Event::Syscall(&call(&entry, Some(&exit), unknown)));
    assert_eq!(v["errno"], json!("E4000"));
}

#[test]
fn the_stack_follows_the_tampered_field_only_with_k() {
    let entry = Emitter::default();
    let ret = Some(Return {
        tampered: Tampered {
            result: true,
            args: false,
            delayed: false,
        },
        ..ok(0, ReturnStyle::Decimal).unwrap()
    });
    // Without -k there is no "stack" key at all.
    let without = line(&Event::Syscall(&call(&entry, Some(&entry), ret)));
    assert!(without.get("stack").is_none(), "{without}");
    let frames = [Frame::Call {
        file: "/bin/x".into(),
        function: Some(("main".into(), 9)),
        file_offset: 0x11f5,
        source: None,
    }];
    let c = JsonCall {
        stack: Some(&frames),
        ..call(&entry, Some(&entry), ret)
    };
    let v = line(&Event::Syscall(&c));
    assert_eq!(
        v["tampered"],
        json!({"result": true, "args": false, "delayed": false})
    );
    assert_eq!(
        v["stack"],
        json!([{"file":"/bin/x", "function":"main", "offset":9, "file_offset":4597,
                "source_file":null, "source_line":null}])
    );
}

#[test]
fn return_styles() {
    let entry = Emitter::default();
    let cases = [
        (
            ok(0x7f00_0000_0000, ReturnStyle::Hex),
            json!({"hex":"0x7f0000000000"}),
        ),
        (ok(0o22, ReturnStyle::Octal), json!({"octal":"022"})),
        (
            ok(3, ReturnStyle::Fd),
            json!({"fd":3,"path":"/etc/hostname"}),
        ),
        (ok(5, ReturnStyle::Fd), json!({"fd":5})),
    ];
    for (ret, expected) in cases {
        let v = line(&Event::Syscall(&call(&entry, Some(&entry), ret)));
        assert_eq!(v["return_value"], expected);
        assert_eq!(v["return"], json!(ret.unwrap().value));
    }
}

#[test]
fn a_call_that_never_returns() {
    let entry = emitter(&[Token::Int(0)], b"");
    let c = JsonCall {
        name: "exit_group",
        number: 231,
        args: &[0],
        ..call(&entry, None, None)
    };
    let v = line(&Event::Syscall(&c));
    assert_eq!(v["returned"], json!(false));
    for key in [
        "return",
        "return_value",
        "errno",
        "error_text",
        "return_note",
        "duration",
    ] {
        assert_eq!(v[key], Json::Null, "{key}");
    }
    assert_eq!(v["args"], json!([{"raw":0,"value":{"int":0}}]));
}

#[test]
fn return_notes() {
    let entry = emitter(&[Token::Int(1)], b"");
    // One unlabelled value: the note is that value.
    let exit = emitter(&[Token::ReturnNote, Token::Name(name("Timeout"))], b"");
    let v = line(&Event::Syscall(&call(
        &entry,
        Some(&exit),
        ok(0, ReturnStyle::Decimal),
    )));
    assert_eq!(v["return_note"], json!({"name":"Timeout"}));
    assert_eq!(v["args"].as_array().unwrap().len(), 1);
    // Labelled parts: a struct. Exit arguments before the note stay arguments.
    let exit = emitter(
        &[
            Token::Int(2),
            Token::ReturnNote,
            Token::Field(name("out")),
            Token::ArrayBegin,
            Token::Int(4),
            Token::End,
            Token::Field(name("left")),
            Token::StructBegin,
            Token::Field(name("tv_sec")),
            Token::Int(0),
            Token::End,
        ],
        b"",
    );
    let v = line(&Event::Syscall(&call(
        &entry,
        Some(&exit),
        ok(1, ReturnStyle::Decimal),
    )));
    assert_eq!(
        v["return_note"],
        json!({"struct":{"out":{"array":[{"int":4}]},"left":{"struct":{"tv_sec":{"int":0}}}}})
    );
    assert_eq!(
        v["args"],
        json!([{"raw":null,"value":{"int":1}}, {"raw":null,"value":{"int":2}}])
    );
}

fn siginfo(fields: &[(usize, &[u8])]) -> [u8; 128] {
    let mut buf = [0u8; 128];
    for (at, bytes) in fields {
        buf[*at..*at + bytes.len()].copy_from_slice(bytes);
    }
    buf
}

#[cfg(target_pointer_width = "64")]
#[test]
fn signals_carry_their_siginfo() {
    let info = siginfo(&[
        (0, &17i32.to_ne_bytes()),
        (8, &1i32.to_ne_bytes()),
        (16, &4413i32.to_ne_bytes()),
        (24, &3i32.to_ne_bytes()),
    ]);
    let event = Event::Signal {
        pid: 42,
        timestamp: Duration::from_secs(1),
        siginfo: &info,
    };
    assert_eq!(
        line(&event),
        json!({"type":"signal","pid":42,"timestamp":1.0,"signal":"SIGCHLD",
               "siginfo":{"si_signo":"SIGCHLD","si_code":"CLD_EXITED","si_pid":4413,
                          "si_uid":0,"si_status":3,"si_utime":0,"si_stime":0}})
    );
    let fault = siginfo(&[
        (0, &11i32.to_ne_bytes()),
        (8, &1i32.to_ne_bytes()),
        (16, &0x10u64.to_ne_bytes()),
    ]);
    let v = line(&Event::Signal {
        pid: 1,
        timestamp: Duration::ZERO,
        siginfo: &fault,
    });
    assert_eq!(
        v["siginfo"],
        json!({"si_signo":"SIGSEGV","si_code":"SEGV_MAPERR","si_addr":"0x10"})
    );
    let odd_code = siginfo(&[(0, &10i32.to_ne_bytes()), (8, &(-99i32).to_ne_bytes())]);
    let v = line(&Event::Signal {
        pid: 1,
        timestamp: Duration::ZERO,
        siginfo: &odd_code,
    });
    assert_eq!(v["siginfo"], json!({"si_signo":"SIGUSR1","si_code":-99}));
}

#[test]
fn process_events() {
    let t = Duration::from_millis(1500);
    let cases = [
        (
            Event::Exit {
                pid: 7,
                timestamp: t,
                exit_code: 3,
            },
            json!({"type":"exit","pid":7,"timestamp":1.5,"exit_code":3}),
        ),
        (
            Event::Killed {
                pid: 7,
                timestamp: t,
                signal: 11,
                core_dumped: true,
            },
            json!({"type":"killed","pid":7,"timestamp":1.5,"signal":"SIGSEGV","core_dumped":true}),
        ),
        (
            Event::Stopped {
                pid: 7,
                timestamp: t,
                signal: 19,
            },
            json!({"type":"stopped","pid":7,"timestamp":1.5,"signal":"SIGSTOP"}),
        ),
        (
            Event::Attach {
                pid: 7,
                timestamp: t,
            },
            json!({"type":"attach","pid":7,"timestamp":1.5}),
        ),
        (
            Event::Detach {
                pid: 7,
                timestamp: t,
            },
            json!({"type":"detach","pid":7,"timestamp":1.5}),
        ),
        (
            Event::Superseded {
                pid: 7,
                timestamp: t,
                by_tid: 9,
            },
            json!({"type":"superseded","pid":7,"timestamp":1.5,"by_tid":9}),
        ),
    ];
    for (event, expected) in cases {
        assert_eq!(line(&event), expected);
    }
}

#[test]
fn keys_keep_the_decoders_order() {
    let entry = emitter(
        &[
            Token::StructBegin,
            Token::Field(name("z")),
            Token::Int(1),
            Token::Field(name("a")),
            Token::Int(2),
            Token::End,
        ],
        b"",
    );
    let mut out = Vec::new();
    write_event(&mut out, &Event::Syscall(&call(&entry, None, None)));
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains(r#"{"struct":{"z":{"int":1},"a":{"int":2}}}"#),
        "{text}"
    );
    assert!(text.starts_with(r#"{"type":"syscall","pid":42,"#), "{text}");
}

#[test]
fn argument_names_under_dash_n() {
    // close(fd=3) = 0, and a raw call's arg1=: the name goes with its argument.
    let entry = emitter(
        &[
            Token::ArgName(name("fd")),
            Token::Fd(3),
            Token::ArgName(name("arg2")),
            Token::Hex(0x10),
        ],
        b"",
    );
    let c = JsonCall {
        args: &[3, 0x10],
        ..call(&entry, None, ok(0, ReturnStyle::Decimal))
    };
    assert_eq!(
        line(&Event::Syscall(&c))["args"],
        json!([{"name":"fd","raw":3,"value":{"fd":3,"path":"/etc/hostname"}},
               {"name":"arg2","raw":16,"value":{"hex":"0x10"}}])
    );
}

#[test]
fn dumped_data_is_one_object_per_buffer() {
    use crate::dump::{DumpDirection, DumpPart, DumpedData, Unreadable};
    let entry = Emitter::default();
    let ret = ok(9, ReturnStyle::Decimal);
    let without = line(&Event::Syscall(&call(&entry, Some(&entry), ret)));
    assert!(without.get("dump").is_none(), "{without}");
    // readv into "hi" and "there", the last 2 of its 5 bytes unreadable; then a
    // recvmmsg's second message.
    let dump = CallDump {
        fd: 3,
        direction: DumpDirection::Read,
        parts: vec![
            DumpPart::Iovec { index: 0, len: 2 },
            DumpPart::Data(DumpedData {
                len: 2,
                bytes: b"hi".to_vec(),
                unreadable: None,
            }),
            DumpPart::Iovec { index: 1, len: 5 },
            DumpPart::Data(DumpedData {
                len: 5,
                bytes: b"the".to_vec(),
                unreadable: Some(Unreadable {
                    addr: 0x1003,
                    len: 2,
                }),
            }),
            DumpPart::Message {
                index: 1,
                buffers: 1,
            },
            DumpPart::Iovec { index: 0, len: 1 },
            DumpPart::Data(DumpedData {
                len: 1,
                bytes: vec![0xff],
                unreadable: None,
            }),
        ],
    };
    let c = JsonCall {
        dump: Some(&dump),
        ..call(&entry, Some(&entry), ret)
    };
    assert_eq!(
        line(&Event::Syscall(&c))["dump"],
        json!([
            {"fd":3, "direction":"read", "iovec":0, "len":2, "bytes_hex":"6869"},
            {"fd":3, "direction":"read", "iovec":1, "len":5, "bytes_hex":"746865",
             "truncated":true},
            {"fd":3, "direction":"read", "message":1, "iovec":0, "len":1, "bytes_hex":"ff"}
        ])
    );
}
