//! The net plugin's decoders, driven with a fake tracee and rendered by rtrace-render,
//! against lines strace 6.1 printed (x86_64), and the same structs laid out for a
//! 32-bit ARM tracee.

use rtrace_net::DECODERS;
use rtrace_plugin_testing::{words, Arch, DecodeOptions, FakeTracee, ARM, X86_64};

/// Decodes (entry, then exit with `ret`) and renders one call as strace's line.
fn line(mem: &FakeTracee, arch: Arch, name: &str, args: [u64; 6], ret: i64) -> String {
    rtrace_plugin_testing::line(
        DECODERS,
        arch,
        mem,
        name,
        args,
        ret,
        DecodeOptions::default(),
    )
}

const EFAULT: i64 = -14;

fn sockaddr_in(port: u16, ip: [u8; 4]) -> Vec<u8> {
    [&2u16.to_le_bytes()[..], &port.to_be_bytes(), &ip, &[0; 8]].concat()
}

#[test]
fn addresses_by_family() {
    let mut mem = FakeTracee::new();
    let mut in6 = [&10u16.to_le_bytes()[..], &9u16.to_be_bytes(), &[0; 4]].concat();
    let mut loopback = [0u8; 16];
    loopback[15] = 1;
    in6.extend(loopback);
    in6.extend(0u32.to_le_bytes());
    let mut abstract_name = 1u16.to_le_bytes().to_vec();
    abstract_name.extend(b"\0rtrace-abstract");
    let mut path = 1u16.to_le_bytes().to_vec();
    path.extend(b"/run/x.sock\0");
    path.resize(110, 0);
    let mut odd = 200u16.to_le_bytes().to_vec();
    odd.extend([1, 2, 3]);
    odd.resize(16, 0);
    mem.map(0x1000, &sockaddr_in(37139, [127, 0, 0, 1]))
        .map(0x2000, &in6)
        .map(0x3000, &abstract_name)
        .map(0x4000, &path)
        .map(0x5000, &odd);
    assert_eq!(
        line(&mem, X86_64, "connect", [4, 0x1000, 16, 0, 0, 0], 0),
        r#"connect(4, {sa_family=AF_INET, sin_port=htons(37139), sin_addr=inet_addr("127.0.0.1")}, 16) = 0"#
    );
    assert_eq!(
        line(&mem, ARM, "bind", [3, 0x2000, 28, 0, 0, 0], 0),
        r#"bind(3, {sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0"#
    );
    assert_eq!(
        line(&mem, X86_64, "bind", [4, 0x3000, 18, 0, 0, 0], 0),
        r#"bind(4, {sa_family=AF_UNIX, sun_path=@"rtrace-abstract"}, 18) = 0"#
    );
    assert_eq!(
        line(&mem, X86_64, "connect", [4, 0x4000, 110, 0, 0, 0], -2),
        r#"connect(4, {sa_family=AF_UNIX, sun_path="/run/x.sock"}, 110) = -1 ENOENT (No such file or directory)"#
    );
    assert_eq!(
        line(&mem, X86_64, "bind", [99, 0x5000, 16, 0, 0, 0], -9),
        r#"bind(99, {sa_family=0xc8 /* AF_??? */, sa_data="\1\2\3\0\0\0\0\0\0\0\0\0\0\0"}, 16) = -1 EBADF (Bad file descriptor)"#
    );
    assert_eq!(
        line(&mem, X86_64, "connect", [4, 0x8, 110, 0, 0, 0], EFAULT),
        "connect(4, 0x8, 110) = -1 EFAULT (Bad address)"
    );
}

#[test]
fn sockets_types_and_protocols() {
    let mem = FakeTracee::new();
    let cases: &[([u64; 6], i64, &str)] = &[
        ([2, 0o4001, 6, 0, 0, 0], 3, "socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_TCP) = 3"),
        ([16, 0o2000003, 0, 0, 0, 0], 3, "socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 3"),
        ([17, 2, 0x300, 0, 0, 0], 3, "socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL)) = 3"),
        ([2, 99, 0, 0, 0, 0], -22, "socket(AF_INET, SOCK_RAW|0x60 /* SOCK_??? */, IPPROTO_IP) = -1 EINVAL (Invalid argument)"),
        ([12345, 1, 0, 0, 0, 0], -97, "socket(0x3039 /* AF_??? */, SOCK_STREAM, 0) = -1 EAFNOSUPPORT (Address family not supported by protocol)"),
    ];
    for (args, ret, expected) in cases {
        assert_eq!(line(&mem, X86_64, "socket", *args, *ret), *expected);
    }
}

#[test]
fn sendmsg_with_iovecs_and_rights_in_the_32_bit_layout() {
    let mut mem = FakeTracee::new();
    // msghdr: name, namelen, iov, iovlen, control, controllen, flags.
    mem.map(0x1000, &words(4, &[0, 0, 0x2000, 2, 0x3000, 16, 0]))
        .map(0x2000, &words(4, &[0x2100, 2, 0x2200, 4]))
        .map(0x2100, b"ab")
        .map(0x2200, b"cdef")
        .map(0x3000, &words(4, &[16, 1, 1, 3]));
    assert_eq!(
        line(&mem, ARM, "sendmsg", [3, 0x1000, 0, 0, 0, 0], 6),
        r#"sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="ab", iov_len=2}, {iov_base="cdef", iov_len=4}], msg_iovlen=2, msg_control=[{cmsg_len=16, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[3]}], msg_controllen=16, msg_flags=0}, 0) = 6"#
    );
    assert_eq!(
        line(&mem, X86_64, "sendmsg", [3, 0x8, 0, 0, 0, 0], EFAULT),
        "sendmsg(3, 0x8, 0) = -1 EFAULT (Bad address)"
    );
}

#[test]
fn lengths_and_options() {
    let mut mem = FakeTracee::new();
    mem.map(0x1000, &sockaddr_in(40455, [127, 0, 0, 1]))
        .map(0x2000, &16u32.to_le_bytes())
        .map(0x3000, &words(4, &[1, 5]))
        .map(0x4000, &1u32.to_le_bytes());
    assert_eq!(
        line(&mem, X86_64, "getsockname", [3, 0x1000, 0x2000, 0, 0, 0], 0),
        r#"getsockname(3, {sa_family=AF_INET, sin_port=htons(40455), sin_addr=inet_addr("127.0.0.1")}, [16]) = 0"#
    );
    assert_eq!(
        line(&mem, ARM, "accept", [3, 0, 0, 0, 0, 0], -11),
        "accept(3, NULL, NULL) = -1 EAGAIN (Resource temporarily unavailable)"
    );
    assert_eq!(
        line(&mem, X86_64, "setsockopt", [4, 1, 13, 0x3000, 8, 0], 0),
        "setsockopt(4, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=5}, 8) = 0"
    );
    assert_eq!(
        line(&mem, X86_64, "setsockopt", [4, 6, 1, 0x4000, 4, 0], 0),
        "setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = 0"
    );
    assert_eq!(
        line(&mem, X86_64, "setsockopt", [4, 1, 12345, 0x4000, 4, 0], -92),
        "setsockopt(4, SOL_SOCKET, 0x3039 /* SO_??? */, [1], 4) = -1 ENOPROTOOPT (Protocol not available)"
    );
}

#[test]
fn arm_send_and_recv() {
    let mut mem = FakeTracee::new();
    mem.map(0x1000, b"ping");
    assert_eq!(
        line(&mem, ARM, "send", [3, 0x1000, 4, 0x4000, 0, 0], 4),
        r#"send(3, "ping", 4, MSG_NOSIGNAL) = 4"#
    );
    assert_eq!(
        line(&mem, ARM, "recv", [4, 0x1000, 256, 0x40, 0, 0], 4),
        r#"recv(4, "ping", 256, MSG_DONTWAIT) = 4"#
    );
}
