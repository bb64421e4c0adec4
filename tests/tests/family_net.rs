//! The net plugin against strace 6.1: every line of a socket syscall, compared whole.
//!
//! `net_calls` makes the family's calls over AF_UNIX and loopback only (a socketpair
//! passing a descriptor and credentials, TCP and UDP/IPv6 on 127.0.0.1 and ::1, a unix
//! socket at a path in a private directory and at an abstract name, netlink, packet,
//! errors and unknown values), by default, with `-v`, `-s 5`, `-xx` and `-e
//! verbose=none`. A second test traces python3 serving and fetching one page over
//! 127.0.0.1 with http.server and urllib (it stops by itself after the one request).
//!
//! Ports the kernel picks and the pid in SCM_CREDENTIALS change run to run and are
//! replaced; so is the time recvmmsg had left.

mod family_support;
mod family_varying;

use family_varying::{check_varying_family, fixture_in_dir, Run};
use rtrace_tests::varying;

/// The syscalls the net plugin decodes (those x86_64 has).
const NET_SYSCALLS: &[&str] = &[
    "socket",
    "socketpair",
    "bind",
    "connect",
    "listen",
    "shutdown",
    "accept",
    "accept4",
    "getsockname",
    "getpeername",
    "sendto",
    "recvfrom",
    "sendmsg",
    "recvmsg",
    "sendmmsg",
    "recvmmsg",
    "setsockopt",
    "getsockopt",
];

#[test]
fn net_family_lines_match_strace() {
    let runs = [
        Run {
            label: "net_calls",
            options: &[],
            command: |dir| fixture_in_dir("net_calls", dir),
        },
        Run {
            label: "net_calls",
            options: &["-v"],
            command: |dir| fixture_in_dir("net_calls", dir),
        },
        Run {
            label: "net_calls",
            options: &["-s", "5"],
            command: |dir| fixture_in_dir("net_calls", dir),
        },
        Run {
            label: "net_calls",
            options: &["-xx"],
            command: |dir| fixture_in_dir("net_calls", dir),
        },
        Run {
            label: "net_calls",
            options: &["-e", "verbose=none"],
            command: |dir| fixture_in_dir("net_calls", dir),
        },
    ];
    check_varying_family("net", "rtrace_net", NET_SYSCALLS, varying::NET, &runs);
}

/// One HTTP request over 127.0.0.1: a server thread handles exactly one request,
/// the main thread fetches it with urllib, then both end. The handler does not log,
/// so the trace holds no time of day.
const PYTHON_HTTP: &str = r#"
import http.server, threading, urllib.request
class Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"hello from rtrace's test\n"
        # One write for the whole response: how many reads the client needs must not
        # depend on the scheduler.
        self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Hello)
thread = threading.Thread(target=server.handle_request)
thread.start()
with urllib.request.urlopen("http://127.0.0.1:%d/" % server.server_port, timeout=10) as reply:
    print(reply.read().decode(), end="")
thread.join()
server.server_close()
"#;

#[test]
fn python_http_over_loopback_matches_strace() {
    assert!(
        rtrace_tests::locate::find_in_path("python3").is_some(),
        "python3 not found: needed for the http.server/urllib trace (apt-get install python3)"
    );
    let runs = [Run {
        label: "python3 http.server + urllib",
        options: &["-f"],
        command: |_| {
            vec![
                "python3".to_owned(),
                "-c".to_owned(),
                PYTHON_HTTP.to_owned(),
            ]
        },
    }];
    check_varying_family("net", "rtrace_net", NET_SYSCALLS, varying::NET, &runs);
}
