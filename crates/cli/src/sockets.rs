//! `-yy`: a socket's endpoints, looked up by inode through NETLINK_SOCK_DIAG, as
//! strace shows them: `TCP:[127.0.0.1:41157->127.0.0.1:45094]`,
//! `UNIX-STREAM:[106786,"/tmp/rt.sock"]`, `UDPv6:[[::1]:46941]`. The messages are
//! built and parsed by netlink-packet-sock-diag and sent over a netlink-sys socket;
//! this module only chooses the queries and words the answers.

use std::collections::HashMap;
use std::net::IpAddr;
use std::os::unix::ffi::OsStrExt;

use netlink_packet_core::{
    NetlinkHeader, NetlinkMessage, NetlinkPayload, NLM_F_DUMP, NLM_F_REQUEST,
};
use netlink_packet_sock_diag::inet::{ExtensionFlags, InetRequest, SocketId, StateFlags};
use netlink_packet_sock_diag::unix::nlas::{Nla as UnixNla, UnixDiagName};
use netlink_packet_sock_diag::unix::{ShowFlags, StateFlags as UnixStates, UnixRequest};
use netlink_packet_sock_diag::SockDiagMessage;
use netlink_sys::{protocols::NETLINK_SOCK_DIAG, Socket, SocketAddr};

/// Socket descriptions by inode, filled a whole dump at a time.
#[derive(Default)]
pub struct SocketNames {
    known: HashMap<u64, String>,
}

impl SocketNames {
    /// The description of socket `inode`, or None if no diag family knows it.
    pub fn describe(&mut self, inode: u64) -> Option<&str> {
        if !self.known.contains_key(&inode) {
            self.look_up(inode);
        }
        self.known.get(&inode).map(String::as_str)
    }

    /// Asks the kernel: unix sockets by inode, inet ones by dumping each family.
    fn look_up(&mut self, inode: u64) {
        if let Some(unix) = unix_socket(inode) {
            self.known.insert(inode, unix);
            return;
        }
        for (family, protocol, name) in [
            (libc::AF_INET, libc::IPPROTO_TCP, "TCP"),
            (libc::AF_INET6, libc::IPPROTO_TCP, "TCPv6"),
            (libc::AF_INET, libc::IPPROTO_UDP, "UDP"),
            (libc::AF_INET6, libc::IPPROTO_UDP, "UDPv6"),
        ] {
            self.dump_inet(family as u8, protocol as u8, name);
            if self.known.contains_key(&inode) {
                return;
            }
        }
    }

    fn dump_inet(&mut self, family: u8, protocol: u8, name: &str) {
        // Every socket of the family and protocol, in every state.
        let request = SockDiagMessage::InetRequest(InetRequest {
            family,
            protocol,
            extensions: ExtensionFlags::empty(),
            states: StateFlags::from_bits_retain(u32::MAX),
            socket_id: if i32::from(family) == libc::AF_INET6 {
                SocketId::new_v6()
            } else {
                SocketId::new_v4()
            },
        });
        let Some(replies) = query(request, true) else {
            return;
        };
        for reply in replies {
            let SockDiagMessage::InetResponse(response) = reply else {
                continue;
            };
            let id = &response.header.socket_id;
            let addr = |ip: IpAddr| match ip {
                IpAddr::V4(v4) => v4.to_string(),
                IpAddr::V6(v6) => format!("[{v6}]"),
            };
            let local = format!("{}:{}", addr(id.source_address), id.source_port);
            let text = if id.destination_port != 0 {
                format!(
                    "{name}:[{local}->{}:{}]",
                    addr(id.destination_address),
                    id.destination_port
                )
            } else {
                format!("{name}:[{local}]")
            };
            self.known.insert(response.header.inode.into(), text);
        }
    }
}

fn unix_socket(inode: u64) -> Option<String> {
    let request = SockDiagMessage::UnixRequest(UnixRequest {
        state_flags: UnixStates::from_bits_retain(u32::MAX),
        inode: u32::try_from(inode).ok()?,
        show_flags: ShowFlags::NAME | ShowFlags::PEER,
        // INET_DIAG_NOCOOKIE: any socket with that inode.
        cookie: [0xff; 8],
    });
    let reply = query(request, false)?.into_iter().next()?;
    let SockDiagMessage::UnixResponse(response) = reply else {
        return None;
    };
    // strace names the kernel's protocol (the `system.sockprotoname` of the socket):
    // stream sockets are UNIX-STREAM, datagram and seqpacket ones UNIX.
    let kind = if i32::from(response.header.kind) == libc::SOCK_STREAM {
        "UNIX-STREAM"
    } else {
        "UNIX"
    };
    let mut path = None;
    let mut peer = None;
    for nla in &response.nlas {
        match nla {
            UnixNla::Name(UnixDiagName::Pathname(name)) => path = Some(unix_path(name.as_bytes())),
            UnixNla::Name(UnixDiagName::Abstract(name)) => {
                let mut raw = vec![0];
                raw.extend_from_slice(name);
                path = Some(unix_path(&raw));
            }
            UnixNla::Peer(inode) => peer = Some(*inode),
            _ => {}
        }
    }
    let mut text = format!("{kind}:[{inode}");
    if let Some(peer) = peer.filter(|&p| p != 0) {
        text.push_str(&format!("->{peer}"));
    }
    if let Some(path) = path {
        text.push(',');
        text.push_str(&path);
    }
    text.push(']');
    Some(text)
}

/// A bound name as strace shows it, quoted: an abstract name (its first byte NUL) as
/// `@"name"`, a path as `"/tmp/x.sock"`.
fn unix_path(raw: &[u8]) -> String {
    let (prefix, name) = match raw.first() {
        Some(0) => ("@", &raw[1..]),
        _ => ("", raw),
    };
    let name = name.split(|&b| b == 0).next().unwrap_or_default();
    format!("{prefix}\"{}\"", String::from_utf8_lossy(name))
}

/// Sends one sock_diag request (a dump, or one socket) and collects the replies; None
/// when no sock_diag socket could be had or the request could not be sent.
fn query(request: SockDiagMessage, dump: bool) -> Option<Vec<SockDiagMessage>> {
    let mut socket = Socket::new(NETLINK_SOCK_DIAG).ok()?;
    socket.bind_auto().ok()?;
    socket.connect(&SocketAddr::new(0, 0)).ok()?;
    let mut header = NetlinkHeader::default();
    header.flags = NLM_F_REQUEST | if dump { NLM_F_DUMP } else { 0 };
    header.sequence_number = 1;
    let mut packet = NetlinkMessage::new(header, request.into());
    packet.finalize();
    let mut buf = vec![0u8; packet.buffer_len()];
    packet.serialize(&mut buf);
    socket.send(&buf, 0).ok()?;

    let mut replies = Vec::new();
    let mut received = vec![0u8; 32 * 1024];
    loop {
        let Ok(size) = socket.recv(&mut &mut received[..], 0) else {
            return Some(replies);
        };
        let mut at = 0;
        while at < size {
            // A reply the crate cannot read ends the look-up with what came before it.
            let Ok(message) = NetlinkMessage::<SockDiagMessage>::deserialize(&received[at..size])
            else {
                return Some(replies);
            };
            let length = message.header.length as usize;
            match message.payload {
                NetlinkPayload::InnerMessage(reply) => replies.push(reply),
                NetlinkPayload::Noop => {}
                // Done, an error or anything else: the answer is complete.
                _ => return Some(replies),
            }
            if length == 0 {
                break;
            }
            // Messages are aligned to 4 bytes.
            at += (length + 3) & !3;
        }
        if !dump || size == 0 {
            return Some(replies);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn inode_of(fd: i32) -> u64 {
        std::fs::metadata(format!("/proc/self/fd/{fd}"))
            .unwrap()
            .ino()
    }

    /// qemu-user emulates no NETLINK_SOCK_DIAG socket (EPROTONOSUPPORT): say so with the
    /// error, so the test is reported as not run there rather than as a look-up bug.
    fn require_sock_diag() {
        if let Err(e) = Socket::new(NETLINK_SOCK_DIAG) {
            panic!("socket(AF_NETLINK, NETLINK_SOCK_DIAG): {e} (qemu-user emulates no sock_diag)");
        }
    }

    #[test]
    fn tcp_listener_and_connection() {
        use std::os::fd::AsRawFd;
        require_sock_diag();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let client = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let client_port = client.local_addr().unwrap().port();
        let mut names = SocketNames::default();
        assert_eq!(
            names.describe(inode_of(listener.as_raw_fd())),
            Some(format!("TCP:[127.0.0.1:{port}]").as_str())
        );
        assert_eq!(
            names.describe(inode_of(client.as_raw_fd())),
            Some(format!("TCP:[127.0.0.1:{client_port}->127.0.0.1:{port}]").as_str())
        );
    }

    #[test]
    fn unix_pair_shows_peers() {
        use std::os::fd::AsRawFd;
        require_sock_diag();
        let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
        let (ia, ib) = (inode_of(a.as_raw_fd()), inode_of(b.as_raw_fd()));
        let mut names = SocketNames::default();
        assert_eq!(
            names.describe(ia),
            Some(format!("UNIX-STREAM:[{ia}->{ib}]").as_str())
        );
    }

    #[test]
    fn bound_unix_sockets_show_their_names() {
        use std::os::fd::AsRawFd;
        use std::os::linux::net::SocketAddrExt;
        require_sock_diag();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rt.sock");
        let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        let ino = inode_of(listener.as_raw_fd());
        let mut names = SocketNames::default();
        assert_eq!(
            names.describe(ino),
            Some(format!("UNIX-STREAM:[{ino},\"{}\"]", path.display()).as_str())
        );
        let name = format!("rtrace-test-{}", std::process::id());
        let addr = std::os::unix::net::SocketAddr::from_abstract_name(&name).unwrap();
        let abstract_listener = std::os::unix::net::UnixListener::bind_addr(&addr).unwrap();
        let ino = inode_of(abstract_listener.as_raw_fd());
        assert_eq!(
            names.describe(ino),
            Some(format!("UNIX-STREAM:[{ino},@\"{name}\"]").as_str())
        );
    }

    #[test]
    fn udp_over_ipv6() {
        use std::os::fd::AsRawFd;
        require_sock_diag();
        let Ok(socket) = std::net::UdpSocket::bind("[::1]:0") else {
            panic!("no IPv6 loopback to bind a UDP socket on");
        };
        let port = socket.local_addr().unwrap().port();
        let mut names = SocketNames::default();
        assert_eq!(
            names.describe(inode_of(socket.as_raw_fd())),
            Some(format!("UDPv6:[[::1]:{port}]").as_str())
        );
    }

    #[test]
    fn abstract_names_get_an_at() {
        assert_eq!(unix_path(b"\0name"), "@\"name\"");
        assert_eq!(unix_path(b"/tmp/x.sock\0"), "\"/tmp/x.sock\"");
    }
}
