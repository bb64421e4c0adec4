//! What kind of socket a tracee's fd is, asked as strace asks: the socket's protocol
//! name from the `system.sockprotoname` attribute of `/proc/PID/fd/N`, and for a
//! netlink socket its protocol from `/proc/net/netlink` (the tracer's network
//! namespace, as strace's sock_diag query is).

use std::collections::HashMap;
use std::ffi::CString;
use std::sync::Mutex;

use crate::call::Call;

/// The protocol [`netlink_protocol`] gives a netlink socket the kernel does not list
/// where the tracer looks: an unbound socket before its first send (the kernel binds
/// it then), or a socket of another network namespace. strace then shows its messages'
/// headers as of a protocol it has no names for, and so does a decoder given this.
pub const NETLINK_UNLISTED: u32 = u32::MAX;

/// The netlink protocol (NETLINK_ROUTE = 0, NETLINK_SOCK_DIAG = 4, ...) of the
/// tracee's `fd`, [`NETLINK_UNLISTED`] for a netlink socket whose protocol the kernel
/// does not tell, or `None` when it is not a netlink socket.
pub fn netlink_protocol(call: &Call<'_, '_>, fd: i32) -> Option<u32> {
    if fd < 0 {
        return None;
    }
    let path = format!("/proc/{}/fd/{fd}", call.pid());
    if protocol_name(&path)?.as_slice() != b"NETLINK" {
        return None;
    }
    let Some(inode) = socket_inode(&path) else {
        return Some(NETLINK_UNLISTED);
    };
    // Sockets' inode numbers are not reused while the socket lives; a netlink
    // socket's protocol never changes.
    static KNOWN: Mutex<Option<HashMap<u64, u32>>> = Mutex::new(None);
    let mut known = KNOWN.lock().unwrap_or_else(|e| e.into_inner());
    let map = known.get_or_insert_with(HashMap::new);
    if let Some(&protocol) = map.get(&inode) {
        return Some(protocol);
    }
    // Not cached: the socket is listed once bound.
    let Some(protocol) = listed_protocol(inode) else {
        return Some(NETLINK_UNLISTED);
    };
    if map.len() > 4096 {
        map.clear();
    }
    map.insert(inode, protocol);
    Some(protocol)
}

/// `system.sockprotoname` of the socket `path` names ("NETLINK", "TCP", ...).
fn protocol_name(path: &str) -> Option<Vec<u8>> {
    let path = CString::new(path).ok()?;
    let mut buf = [0u8; 32];
    // SAFETY: both names are NUL-terminated; `buf` is valid for `buf.len()` bytes.
    let n = unsafe {
        libc::getxattr(
            path.as_ptr(),
            c"system.sockprotoname".as_ptr(),
            buf.as_mut_ptr().cast(),
            buf.len(),
        )
    };
    let n = usize::try_from(n).ok()?.min(buf.len());
    let name = &buf[..n];
    let end = name.iter().position(|&b| b == 0).unwrap_or(n);
    Some(name[..end].to_vec())
}

/// The inode of `socket:[N]`.
fn socket_inode(path: &str) -> Option<u64> {
    let target = std::fs::read_link(path).ok()?;
    let text = target.to_str()?;
    text.strip_prefix("socket:[")?
        .strip_suffix(']')?
        .parse()
        .ok()
}

/// The `Eth` column (the protocol) of `/proc/net/netlink`'s row for `inode`.
fn listed_protocol(inode: u64) -> Option<u32> {
    let table = std::fs::read_to_string("/proc/net/netlink").ok()?;
    parse_netlink_table(&table, inode)
}

/// `sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode`: one socket per row.
fn parse_netlink_table(table: &str, inode: u64) -> Option<u32> {
    table.lines().skip(1).find_map(|row| {
        let columns: Vec<&str> = row.split_whitespace().collect();
        let row_inode: u64 = columns.get(9)?.parse().ok()?;
        (row_inode == inode).then(|| columns[1].parse().ok())?
    })
}

#[cfg(test)]
mod tests {
    use super::parse_netlink_table;

    #[test]
    fn finds_the_row_of_an_inode() {
        let table = "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n\
                     ffff8e1b0a1c4000 0   4242       00000000 0        0        0     2        0        123456\n\
                     ffff8e1b0a1c5000 4   4243       00000000 0        0        0     2        0        123457\n";
        assert_eq!(parse_netlink_table(table, 123457), Some(4));
        assert_eq!(parse_netlink_table(table, 123456), Some(0));
        assert_eq!(parse_netlink_table(table, 99), None);
    }
}
