//! `-yy`: a socket's endpoints, looked up by inode through NETLINK_SOCK_DIAG, as
//! strace shows them: `TCP:[127.0.0.1:41157->127.0.0.1:45094]`,
//! `UNIX-STREAM:[106786,"/tmp/rt.sock"]`, `UDPv6:[[::1]:46941]`.

use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr};

const NETLINK_SOCK_DIAG: i32 = 4;
const SOCK_DIAG_BY_FAMILY: u16 = 20;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const UDIAG_SHOW_NAME: u32 = 1;
const UDIAG_SHOW_PEER: u32 = 4;
const UNIX_DIAG_NAME: u16 = 0;
const UNIX_DIAG_PEER: u16 = 2;

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
        // struct inet_diag_req_v2: family, protocol, ext, pad, states, then a zeroed
        // inet_diag_sockid (48 bytes) that matches every socket.
        let mut req = [0u8; 56];
        req[0] = family;
        req[1] = protocol;
        req[4..8].copy_from_slice(&u32::MAX.to_ne_bytes());
        let Some(replies) = query(&req, true) else {
            return;
        };
        for msg in replies {
            // struct inet_diag_msg: family, state, timer, retrans, sockid (48), expires,
            // rqueue, wqueue, uid, inode.
            if msg.len() < 72 {
                continue;
            }
            let inode = u32::from_ne_bytes(msg[68..72].try_into().unwrap()) as u64;
            let sport = u16::from_be_bytes([msg[4], msg[5]]);
            let dport = u16::from_be_bytes([msg[6], msg[7]]);
            let addr = |at: usize| -> String {
                if msg[0] == libc::AF_INET as u8 {
                    Ipv4Addr::new(msg[at], msg[at + 1], msg[at + 2], msg[at + 3]).to_string()
                } else {
                    let mut b = [0u8; 16];
                    b.copy_from_slice(&msg[at..at + 16]);
                    format!("[{}]", Ipv6Addr::from(b))
                }
            };
            let local = format!("{}:{sport}", addr(8));
            let text = if dport != 0 {
                format!("{name}:[{local}->{}:{dport}]", addr(24))
            } else {
                format!("{name}:[{local}]")
            };
            self.known.insert(inode, text);
        }
    }
}

fn unix_socket(inode: u64) -> Option<String> {
    let ino = u32::try_from(inode).ok()?;
    // struct unix_diag_req: family, protocol, pad, states, ino, show, cookie[2].
    let mut req = [0u8; 24];
    req[0] = libc::AF_UNIX as u8;
    req[4..8].copy_from_slice(&u32::MAX.to_ne_bytes());
    req[8..12].copy_from_slice(&ino.to_ne_bytes());
    req[12..16].copy_from_slice(&(UDIAG_SHOW_NAME | UDIAG_SHOW_PEER).to_ne_bytes());
    req[16..24].copy_from_slice(&[0xff; 8]);
    let replies = query(&req, false)?;
    let msg = replies.into_iter().next()?;
    // struct unix_diag_msg: family, type, state, pad, ino, cookie[2]; then attributes.
    if msg.len() < 16 {
        return None;
    }
    // strace names the kernel's protocol (the `system.sockprotoname` of the socket):
    // stream sockets are UNIX-STREAM, datagram and seqpacket ones UNIX.
    let kind = if msg[1] as i32 == libc::SOCK_STREAM {
        "UNIX-STREAM"
    } else {
        "UNIX"
    };
    let mut path = None;
    let mut peer = None;
    let mut at = 16;
    while at + 4 <= msg.len() {
        let len = u16::from_ne_bytes([msg[at], msg[at + 1]]) as usize;
        let ty = u16::from_ne_bytes([msg[at + 2], msg[at + 3]]);
        if len < 4 || at + len > msg.len() {
            break;
        }
        let payload = &msg[at + 4..at + len];
        match ty {
            UNIX_DIAG_NAME => path = Some(unix_path(payload)),
            UNIX_DIAG_PEER if payload.len() >= 4 => {
                peer = Some(u32::from_ne_bytes(payload[..4].try_into().unwrap()))
            }
            _ => {}
        }
        at += (len + 3) & !3;
    }
    let mut text = format!("{kind}:[{inode}");
    if let Some(peer) = peer.filter(|&p| p != 0) {
        text.push_str(&format!("->{peer}"));
    }
    if let Some(path) = path {
        text.push_str(&format!(",\"{path}\""));
    }
    text.push(']');
    Some(text)
}

/// A bound name as strace shows it: abstract names start with `@`.
fn unix_path(raw: &[u8]) -> String {
    let (prefix, name) = match raw.first() {
        Some(0) => ("@", &raw[1..]),
        _ => ("", raw),
    };
    let name = name.split(|&b| b == 0).next().unwrap_or_default();
    format!("{prefix}{}", String::from_utf8_lossy(name))
}

/// Sends one sock_diag request and collects the reply payloads (after nlmsghdr).
fn query(req: &[u8], dump: bool) -> Option<Vec<Vec<u8>>> {
    // SAFETY: plain socket calls on a descriptor this function owns and closes.
    unsafe {
        let fd = libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_RAW | libc::SOCK_CLOEXEC,
            NETLINK_SOCK_DIAG,
        );
        if fd < 0 {
            return None;
        }
        let result = exchange(fd, req, dump);
        libc::close(fd);
        result
    }
}

unsafe fn exchange(fd: i32, req: &[u8], dump: bool) -> Option<Vec<Vec<u8>>> {
    let mut msg = Vec::with_capacity(16 + req.len());
    let flags = (libc::NLM_F_REQUEST | if dump { libc::NLM_F_DUMP } else { 0 }) as u16;
    msg.extend_from_slice(&((16 + req.len()) as u32).to_ne_bytes());
    msg.extend_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
    msg.extend_from_slice(&flags.to_ne_bytes());
    msg.extend_from_slice(&1u32.to_ne_bytes()); // sequence
    msg.extend_from_slice(&0u32.to_ne_bytes()); // port: the kernel
    msg.extend_from_slice(req);
    let mut kernel: libc::sockaddr_nl = std::mem::zeroed();
    kernel.nl_family = libc::AF_NETLINK as u16;
    let sent = libc::sendto(
        fd,
        msg.as_ptr().cast(),
        msg.len(),
        0,
        (&kernel as *const libc::sockaddr_nl).cast(),
        std::mem::size_of::<libc::sockaddr_nl>() as u32,
    );
    if sent < 0 {
        return None;
    }
    let mut replies = Vec::new();
    let mut buf = vec![0u8; 32 * 1024];
    loop {
        let n = libc::recv(fd, buf.as_mut_ptr().cast(), buf.len(), 0);
        if n <= 0 {
            return Some(replies);
        }
        let mut at = 0usize;
        let n = n as usize;
        while at + 16 <= n {
            let len = u32::from_ne_bytes(buf[at..at + 4].try_into().unwrap()) as usize;
            let ty = u16::from_ne_bytes([buf[at + 4], buf[at + 5]]);
            if len < 16 || at + len > n {
                return Some(replies);
            }
            match ty {
                NLMSG_DONE | NLMSG_ERROR => return Some(replies),
                _ => replies.push(buf[at + 16..at + len].to_vec()),
            }
            at += (len + 3) & !3;
        }
        if !dump {
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
        // SAFETY: plain socket(2); the fd is closed at once.
        let fd = unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_DGRAM | libc::SOCK_CLOEXEC,
                NETLINK_SOCK_DIAG,
            )
        };
        if fd < 0 {
            panic!(
                "socket(AF_NETLINK, NETLINK_SOCK_DIAG): {} (qemu-user emulates no sock_diag)",
                std::io::Error::last_os_error()
            );
        }
        // SAFETY: fd is ours and open.
        unsafe { libc::close(fd) };
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
    fn abstract_names_get_an_at() {
        assert_eq!(unix_path(b"\0name"), "@name");
        assert_eq!(unix_path(b"/tmp/x.sock\0"), "/tmp/x.sock");
    }
}
