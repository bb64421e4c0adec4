//! Netlink as strace 7.2 decodes it: `ip addr show`, `ip route show` and `ss -tan`
//! (Debian's iproute2), and `ip neigh show`, `ip rule show`, `ss -xan`, `-v ip addr
//! show`, `ip -s link show lo`, `ss -tln`, and traffic control's `tc qdisc/class/filter
//! show` (read only, on this machine's links, and on a qdisc, class and filter set up
//! in a throwaway network namespace, where a `tc qdisc add` is traced too), traced by
//! the reference strace and by rtrace, every line compared whole. Each program must
//! reproduce at least 95% of the reference's lines (tc's: all of them), and its
//! netlink lines (the sendto/sendmsg/recvmsg calls on its netlink sockets) are counted
//! on their own and held to the same bar.
//!
//! Values that change from one run to the next, whoever traces, are replaced on the
//! netlink calls' lines only, each for its reason:
//! - `nlmsg_seq`: iproute2 numbers its requests with the time of day;
//! - `nlmsg_pid` of the kernel's answers, and the `nl_pid` getsockname returns: the port
//!   id is the tracee's pid (or a number the kernel picks), new for every run;
//! - link counters (`rx_packets=...` in IFLA_STATS/IFLA_STATS64): traffic flows between
//!   the two runs;
//! - `idiag_expires`: TIME_WAIT and retransmit timers count down;
//! - `ifa_prefered`/`ifa_valid`/`cstamp`/`tstamp` of addresses with lifetimes
//!   (addresses a DHCP or SLAAC client keeps) count down;
//! - unix sockets' inode numbers and cookies (`udiag_ino`, `udiag_vfs_ino`,
//!   `udiag_cookie`), and the socket file's inode: new sockets and files each run;
//! - a neighbour entry's ages (`ndm_confirmed`, `ndm_used`, `ndm_updated`, in clock
//!   ticks since the event);
//! - with `-v`, IPv6's per-device counters (`[IPSTATS_MIB_*]`, `[ICMP6_MIB_*]`: traffic)
//!   and neighbour discovery's `reachable_time` (re-randomised by the kernel);
//! - for `tc` on this machine's links only ([`traffic_counter_rules`]), the queueing
//!   disciplines' counters (`bytes`, `packets`, `drops`, `requeues`, `backlog`, ...:
//!   traffic flows between the two runs). In the namespace only the test's own packets
//!   flow: they stay.
//!
//! ss's answers list every socket of the machine, which other programs (and the two
//! tracers themselves, for unix sockets) open and close between the two runs: its
//! receive lines may differ for that reason alone, which is why its requests and the
//! program's other lines carry the 95% bar together.

use std::fs;
use std::process::Command;

use regex::Regex;
use rtrace_tests::differential::comparable_lines;
use rtrace_tests::fixtures::fixture;
use rtrace_tests::locate::find_in_path;
use rtrace_tests::run::run_limited;
use rtrace_tests::{compare, Level, Normaliser, Outcome, Tracer};

/// The share of the reference's lines rtrace must reproduce exactly.
const REQUIRED: f64 = 0.95;

const NETLINK_CALLS: &[&str] = &["sendto", "sendmsg", "recvmsg", "recvfrom"];

/// The calls whose lines carry netlink port ids.
const PORT_ID_CALLS: &[&str] = &["sendto", "sendmsg", "recvmsg", "recvfrom", "getsockname"];

fn varying_rules() -> Vec<(Regex, &'static str)> {
    [
        (r"nlmsg_seq=\d+", "nlmsg_seq=SEQ"),
        (r"nl(msg)?_pid=-?[1-9]\d*", "nl${1}_pid=PORT"),
        (
            r"(rx|tx)_(packets|bytes|errors|dropped|nohandler|otherhost_dropped)=\d+",
            "${1}_$2=N",
        ),
        (r"(multicast|collisions)=\d+", "$1=N"),
        (r"idiag_expires=\d+", "idiag_expires=N"),
        (r"(ifa_prefered|ifa_valid|cstamp|tstamp)=\d+", "$1=N"),
        (r"(udiag_ino|udiag_vfs_ino)=\d+", "$1=N"),
        (r"udiag_cookie=\[\d+, \d+\]", "udiag_cookie=[N, N]"),
        (r"(ndm_confirmed|ndm_used|ndm_updated)=\d+", "$1=N"),
        (r"\[((IPSTATS|ICMP6)_MIB_[A-Z0-9_]+)\]=\d+", "[$1]=N"),
        (r"(reachable_time|tstamp)=\d+", "$1=N"),
    ]
    .into_iter()
    .map(|(pattern, replacement)| (Regex::new(pattern).expect("valid rule"), replacement))
    .collect()
}

/// The counters of `struct tc_stats`, `gnet_stats_basic`, `gnet_stats_queue` and the
/// rate estimators of a qdisc or class on a link that carries traffic. `\b` keeps
/// IFLA_STATS' `rx_bytes` (its own rule) out.
fn traffic_counter_rules() -> Vec<(Regex, &'static str)> {
    vec![(
        Regex::new(r"\b(bytes|packets|drops|overlimits|requeues|qlen|backlog|bps|pps)=\d+")
            .expect("valid rule"),
        "$1=N",
    )]
}

fn is_call_of(line: &str, names: &[&str]) -> bool {
    names
        .iter()
        .any(|name| line.strip_prefix(name).is_some_and(|r| r.starts_with('(')))
}

fn is_netlink_call(line: &str) -> bool {
    is_call_of(line, NETLINK_CALLS)
}

/// The line with the varying values of a netlink call replaced.
fn normalised(line: String, rules: &[(Regex, &'static str)]) -> String {
    if !is_call_of(&line, PORT_ID_CALLS) {
        return line;
    }
    rules.iter().fold(line, |line, (regex, replacement)| {
        regex.replace_all(&line, *replacement).into_owned()
    })
}

fn traced(tracer: Tracer, options: &[&str], command: &[&str], rules: &Rules) -> Vec<String> {
    let outcome = tracer.trace(options, command);
    comparable(tracer, command, &outcome, rules)
}

/// The rules a comparison applies: [`varying_rules`], and any more its programs need.
type Rules = [(Regex, &'static str)];

/// The trace of a run that must have succeeded, its varying values replaced.
fn comparable(tracer: Tracer, command: &[&str], outcome: &Outcome, rules: &Rules) -> Vec<String> {
    assert_eq!(
        outcome.exit_code(),
        Some(0),
        "{command:?} under {}: {}",
        tracer.name(),
        outcome.dump()
    );
    comparable_lines(&outcome.trace, &Normaliser::new())
        .into_iter()
        .map(|line| normalised(line, rules))
        .collect()
}

/// A namespace's loopback link starts down.
const LINK_UP: &str = "ip link set lo up";

/// Gives the namespace's loopback link a qdisc (HTB, with a size table), two classes
/// (one with a rate estimator), a u32 filter and an ingress qdisc: objects whose dumps
/// carry TCA_STAB, TCA_STATS_RATE_EST, TCA_CHAIN and TCA_OPTIONS. Then one UDP datagram
/// to a closed port (bash's /dev/udp), which with the kernel's ICMP answer makes two
/// packets, 164 bytes with the size table's overhead, in the qdisc's counters: nothing
/// else flows in a new namespace, so the counters are the same in every run. Both go
/// to HTB's direct queue (no class 30): the classes' token counts, which would depend
/// on the time between the packets, stay full, and the estimator's class sees no
/// traffic, so its rate stays 0 whenever its timer runs.
const NAMESPACE_SETUP: &str = "ip link set lo up \
    && tc qdisc add dev lo root handle 1: stab overhead 20 linklayer ethernet \
       htb default 30 \
    && tc class add dev lo parent 1: classid 1:10 htb rate 1mbit \
    && tc class add dev lo parent 1: classid 1:20 estimator 1sec 8sec htb rate 1mbit \
    && tc filter add dev lo parent 1: protocol ip prio 1 u32 match ip dst 1.2.3.4/32 \
       classid 1:10 \
    && tc qdisc add dev lo ingress \
    && bash -c 'echo -n rtrace > /dev/udp/127.0.0.1/9'";

/// `command` traced in a new network namespace (`unshare --net`, gone when the run
/// ends: the machine's own links are not touched) after the shell commands `setup`. The
/// tracer runs in the namespace too, so that it finds the tracee's netlink sockets there.
fn traced_in_namespace(
    tracer: Tracer,
    setup: &str,
    options: &[&str],
    command: &[&str],
) -> Vec<String> {
    let unshare = find_in_path("unshare")
        .expect("unshare is not installed: the tc namespace test needs util-linux");
    let dir = tempfile::tempdir().expect("cannot create a temporary directory");
    let trace_file = dir.path().join("trace.txt");
    let mut process = Command::new(unshare);
    process
        .args(["--net", "sh", "-c"])
        .arg(format!("{setup} && exec \"$@\""))
        .arg("sh")
        .arg(tracer.binary())
        .arg("-o")
        .arg(&trace_file)
        .args(options)
        .args(command);
    let mut outcome = run_limited(process, b"");
    let text = fs::read(&trace_file).unwrap_or_else(|e| {
        panic!(
            "{command:?} in a network namespace under {}: no trace ({e}); \
             unshare --net needs root, the setup needs HTB, u32 and ingress: {}",
            tracer.name(),
            outcome.dump()
        )
    });
    outcome.trace = String::from_utf8_lossy(&text)
        .lines()
        .map(str::to_owned)
        .collect();
    comparable(tracer, command, &outcome, &varying_rules())
}

/// (reproduced, total) for the netlink calls' lines of `expected`.
fn netlink_figures(expected: &[String], actual: &[String]) -> (usize, usize) {
    let expected: Vec<&String> = expected.iter().filter(|l| is_netlink_call(l)).collect();
    let actual: Vec<&String> = actual.iter().filter(|l| is_netlink_call(l)).collect();
    let comparison = compare(&expected, &actual, Level::FullLine);
    let missed = comparison
        .differences
        .iter()
        .filter(|d| d.starts_with("- "))
        .count();
    (expected.len() - missed, expected.len())
}

/// How many of a program's netlink lines must be reproduced.
#[derive(Clone, Copy)]
enum NetlinkBar {
    /// 95%, as the whole trace.
    Required,
    /// Every one (a fixture whose messages do not depend on the machine).
    All,
    /// None apart from the whole trace's bar (ss's answers list the machine's sockets).
    WithTheTrace,
}

fn check_program(command: &[&str], bar: NetlinkBar) {
    check_program_with(&[], command, bar);
}

fn check_program_with(options: &[&str], command: &[&str], bar: NetlinkBar) {
    check_installed(command[0]);
    check_traced(options, command, bar);
}

fn check_installed(program: &str) {
    assert!(
        find_in_path(program).is_some(),
        "{program} is not installed: the netlink test needs iproute2 (.ci/run installs it)"
    );
}

fn check_traced(options: &[&str], command: &[&str], bar: NetlinkBar) {
    let rules = varying_rules();
    let expected = traced(Tracer::Oracle("x86_64"), options, command, &rules);
    let actual = traced(Tracer::Rtrace, options, command, &rules);
    check_lines(options, command, &expected, &actual, bar);
}

fn check_lines(
    options: &[&str],
    command: &[&str],
    expected: &[String],
    actual: &[String],
    bar: NetlinkBar,
) {
    let comparison = compare(expected, actual, Level::FullLine);
    let (netlink_same, netlink_total) = netlink_figures(expected, actual);
    println!(
        "{} {}: {}; netlink lines {netlink_same} of {netlink_total}",
        options.join(" "),
        command.join(" "),
        comparison.report(20)
    );
    assert!(
        netlink_total > 0,
        "{command:?} made no netlink call under the reference: nothing was compared"
    );
    assert!(
        comparison.ratio() >= REQUIRED,
        "{command:?}: {:.1}% of the reference's lines reproduced, {:.0}% required\n{}",
        comparison.ratio() * 100.0,
        REQUIRED * 100.0,
        comparison.report(40)
    );
    let required = match bar {
        NetlinkBar::Required => REQUIRED,
        NetlinkBar::All => 1.0,
        NetlinkBar::WithTheTrace => 0.0,
    };
    let ratio = netlink_same as f64 / netlink_total as f64;
    assert!(
        ratio >= required,
        "{options:?} {command:?}: {netlink_same} of {netlink_total} netlink lines reproduced\n{}",
        comparison.report(40)
    );
}

#[test]
fn ip_addr_show_matches_strace() {
    check_program(&["ip", "addr", "show"], NetlinkBar::Required);
}

#[test]
fn ip_route_show_matches_strace() {
    check_program(&["ip", "route", "show"], NetlinkBar::Required);
}

#[test]
fn ss_tan_matches_strace() {
    check_program(&["ss", "-tan"], NetlinkBar::WithTheTrace);
}

/// Every attribute of every link, IFLA_AF_SPEC's device configuration included.
#[test]
fn ip_addr_show_verbose_matches_strace() {
    check_program_with(&["-v"], &["ip", "addr", "show"], NetlinkBar::Required);
}

#[test]
fn ip_neigh_show_matches_strace() {
    check_program(&["ip", "neigh", "show"], NetlinkBar::Required);
}

#[test]
fn ip_rule_show_matches_strace() {
    check_program(&["ip", "rule", "show"], NetlinkBar::Required);
}

/// A link's statistics (IFLA_STATS64, IFLA_STATS and the per-family counters).
#[test]
fn ip_s_link_show_lo_matches_strace() {
    check_program(&["ip", "-s", "link", "show", "lo"], NetlinkBar::Required);
}

#[test]
fn ss_tln_matches_strace() {
    check_program(&["ss", "-tln"], NetlinkBar::WithTheTrace);
}

#[test]
fn ss_xan_matches_strace() {
    check_program(&["ss", "-xan"], NetlinkBar::WithTheTrace);
}

/// The calls tc makes on its netlink socket: nothing else is compared.
const TC_CALLS: [&str; 2] = ["-e", "trace=sendmsg,recvmsg,sendto,recvfrom"];

/// This machine's qdiscs (read only), their counters replaced as varying.
fn check_tc(options: &[&str], command: &[&str]) {
    check_installed("tc");
    let options: Vec<&str> = options.iter().copied().chain(TC_CALLS).collect();
    let mut rules = varying_rules();
    rules.extend(traffic_counter_rules());
    let expected = traced(Tracer::Oracle("x86_64"), &options, command, &rules);
    let actual = traced(Tracer::Rtrace, &options, command, &rules);
    check_lines(&options, command, &expected, &actual, NetlinkBar::All);
}

/// Traffic-control objects set up by `setup` in a network namespace of their own: every
/// value compared, counters included.
fn check_tc_in_namespace(setup: &str, options: &[&str], command: &[&str]) {
    check_installed("tc");
    let options: Vec<&str> = options.iter().copied().chain(TC_CALLS).collect();
    let expected = traced_in_namespace(Tracer::Oracle("x86_64"), setup, &options, command);
    let actual = traced_in_namespace(Tracer::Rtrace, setup, &options, command);
    check_lines(&options, command, &expected, &actual, NetlinkBar::All);
}

#[test]
fn tc_qdisc_show_matches_strace() {
    check_tc(&[], &["tc", "qdisc", "show"]);
    check_tc(&[], &["tc", "-s", "qdisc", "show"]);
    check_tc(&[], &["tc", "class", "show", "dev", "lo"]);
    check_tc(&[], &["tc", "filter", "show", "dev", "lo"]);
}

/// Dumps with statistics, a size table, a rate estimator, options and chains; a
/// request carrying TCA_RATE and TCA_STAB (base and cells) and its acknowledgement;
/// with `-v` and with `-s 8` (the cells' array cut short) too.
#[test]
fn tc_in_a_namespace_matches_strace() {
    let setup = NAMESPACE_SETUP;
    check_tc_in_namespace(setup, &[], &["tc", "-s", "qdisc", "show"]);
    check_tc_in_namespace(setup, &["-v"], &["tc", "-s", "qdisc", "show"]);
    check_tc_in_namespace(
        setup,
        &[],
        &["tc", "-s", "-d", "class", "show", "dev", "lo"],
    );
    check_tc_in_namespace(setup, &[], &["tc", "-s", "filter", "show", "dev", "lo"]);
    check_tc_in_namespace(setup, &[], &["tc", "chain", "show", "dev", "lo"]);
    // A size table is allowed on a root qdisc only: the link starts without one.
    let add: Vec<&str> = "tc qdisc add dev lo root handle 1: estimator 1sec 8sec \
                          stab mtu 2048 tsize 64 overhead 20 linklayer atm htb default 10"
        .split_whitespace()
        .collect();
    check_tc_in_namespace(LINK_UP, &[], &add);
    check_tc_in_namespace(LINK_UP, &["-s", "8"], &add);
}

/// `netlink_calls`: errors quoting the request (ENODEV, ENOENT), a capped
/// acknowledgement, a filtered dump read with recvfrom, NLMSG_DONE, a buffer shorter
/// than a header, sock_diag requests decoded and not, traffic-control requests (a
/// tcmsg whole and cut short, a tcamsg with an action); by default and with `-v` (no
/// abbreviation of attribute lists).
#[test]
fn netlink_calls_fixture_matches_strace() {
    let program = fixture("netlink_calls");
    let program = program.to_str().expect("a UTF-8 fixture path");
    check_traced(&[], &[program], NetlinkBar::All);
    check_traced(&["-v"], &[program], NetlinkBar::All);
    check_traced(&["-s", "8"], &[program], NetlinkBar::All);
}

/// The rules replace only what varies: a wrongly decoded message type, flag, family,
/// attribute or address still differs after them.
#[test]
fn varying_rules_keep_decoding_errors_visible() {
    let rules = varying_rules();
    let right = "recvmsg(3, {msg_iov=[{iov_base=[{nlmsg_len=76, nlmsg_type=RTM_NEWADDR, \
                 nlmsg_flags=NLM_F_MULTI, nlmsg_seq=1796421286, nlmsg_pid=7950}, \
                 {ifa_family=AF_INET, ifa_prefixlen=8, ifa_flags=IFA_F_PERMANENT, \
                 ifa_scope=RT_SCOPE_HOST, ifa_index=if_nametoindex(\"lo\")}, \
                 [{nla_len=8, nla_type=IFA_ADDRESS}, inet_addr(\"127.0.0.1\")]]}]}, 0) = 76";
    let wrongs = [
        right.replace("RTM_NEWADDR", "0x14 /* RTM_??? */"),
        right.replace("NLM_F_MULTI", "0x2"),
        right.replace("AF_INET,", "0x2 /* AF_??? */,"),
        right.replace("IFA_ADDRESS", "IFA_LOCAL"),
        right.replace("127.0.0.1", "127.0.0.2"),
        right.replace("nlmsg_len=76", "nlmsg_len=77"),
    ];
    let normal = normalised(right.to_owned(), &rules);
    assert!(normal.contains("nlmsg_seq=SEQ") && normal.contains("nlmsg_pid=PORT"));
    for wrong in wrongs {
        assert_ne!(normalised(wrong.clone(), &rules), normal, "{wrong}");
    }
    // A request's port id of 0 ("let the kernel choose") is not a varying value.
    let request = "sendto(3, [{nlmsg_len=20, nlmsg_pid=0}], 20, 0, NULL, 0) = 20";
    assert_eq!(normalised(request.to_owned(), &rules), request);
}

/// The traffic counters' rule replaces the counters of a qdisc's statistics and nothing
/// else: a wrong attribute, structure, field name, handle or kind still differs.
#[test]
fn traffic_counter_rules_keep_decoding_errors_visible() {
    let mut rules = varying_rules();
    rules.extend(traffic_counter_rules());
    let right = "recvmsg(3, {msg_iov=[{iov_base=[{nlmsg_len=176, nlmsg_type=RTM_NEWQDISC, \
                 nlmsg_flags=NLM_F_MULTI, nlmsg_seq=1796432197, nlmsg_pid=28932}, \
                 {tcm_family=AF_UNSPEC, tcm_ifindex=if_nametoindex(\"eth0\"), tcm_handle=0, \
                 tcm_parent=4294967295, tcm_info=2}, [[{nla_len=15, nla_type=TCA_KIND}, \
                 \"pfifo_fast\"], [{nla_len=48, nla_type=TCA_STATS2}, [[{nla_len=20, \
                 nla_type=TCA_STATS_BASIC}, {bytes=2741401, packets=33211}], [{nla_len=24, \
                 nla_type=TCA_STATS_QUEUE}, {qlen=0, backlog=0, drops=0, requeues=2, \
                 overlimits=0}]]], [{nla_len=44, nla_type=TCA_STATS}, {bytes=2741401, \
                 packets=33211, drops=0, overlimits=0, bps=0, pps=0, qlen=0, backlog=0}]]]}]}, \
                 0) = 176";
    let normal = normalised(right.to_owned(), &rules);
    assert!(normal.contains("{bytes=N, packets=N}") && normal.contains("requeues=N"));
    let wrongs = [
        right.replace("RTM_NEWQDISC", "0x24 /* RTM_??? */"),
        right.replace("TCA_STATS_BASIC", "TCA_STATS_BASIC_HW"),
        right.replace("TCA_STATS}", "TCA_XSTATS}"),
        right.replace("{qlen=0, backlog=0,", "{backlog=0, qlen=0,"),
        right.replace("requeues=2", "requeue=2"),
        right.replace("tcm_handle=0", "tcm_handle=65536"),
        right.replace("tcm_parent=4294967295", "tcm_parent=0xffffffff"),
        right.replace("\"pfifo_fast\"", "\"pfifo_fas\"..."),
        right.replace(
            "{tcm_family=AF_UNSPEC, tcm_ifindex",
            "{family=AF_UNSPEC, tcm_ifindex",
        ),
    ];
    for wrong in wrongs {
        assert_ne!(normalised(wrong.clone(), &rules), normal, "{wrong}");
    }
    // IFLA_STATS' counters keep their own rule's spelling.
    let link = "recvmsg(3, [{rx_bytes=12, tx_packets=3}]) = 1";
    assert_eq!(
        normalised(link.to_owned(), &rules),
        "recvmsg(3, [{rx_bytes=N, tx_packets=N}]) = 1"
    );
}
