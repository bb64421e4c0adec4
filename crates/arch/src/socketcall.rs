//! `socketcall(call, args)`: the multiplexer through which 32-bit x86 (and other older
//! ABIs) reach the socket calls. strace shows each as the call it stands for, with the
//! arguments read from the array `args` points to; so does rtrace. Numbers and argument
//! counts are strace's (`SYS_socket_subcall` + call, 500 on i386).

use crate::{SyscallDesc, SyscallRecord};

/// strace's number for the first subcall (`SYS_socket_subcall`).
const SUBCALL_BASE: u32 = 500;

macro_rules! subcalls {
    ($($call:literal $name:ident $nargs:literal),* $(,)?) => {
        /// The subcalls by their `call` argument (1-based, as in linux/net.h).
        static SUBCALLS: &[SyscallDesc] = &[
            $(SyscallDesc { number: SUBCALL_BASE + $call, name: stringify!($name), nargs: $nargs },)*
        ];
    };
}

subcalls! {
    1 socket 3, 2 bind 3, 3 connect 3, 4 listen 2, 5 accept 3, 6 getsockname 3,
    7 getpeername 3, 8 socketpair 4, 9 send 4, 10 recv 4, 11 sendto 6, 12 recvfrom 6,
    13 shutdown 2, 14 setsockopt 5, 15 getsockopt 5, 16 sendmsg 3, 17 recvmsg 3,
    18 accept4 4, 19 recvmmsg 5, 20 sendmmsg 4,
}

/// The subcall `call` stands for, if any.
pub fn subcall(call: u64) -> Option<&'static SyscallDesc> {
    let index = usize::try_from(call).ok()?.checked_sub(1)?;
    SUBCALLS.get(index)
}

/// The record of the call a `socketcall` stands for, given its arguments as read from the
/// tracee (`words`: the array `args` points to, in the tracee's word size, already
/// zero-extended). `None` when `record` is not a socketcall or names no known subcall:
/// then strace, and rtrace, show the socketcall itself.
pub fn demultiplex(record: &SyscallRecord, words: &[u64]) -> Option<SyscallRecord> {
    if record.desc?.name != "socketcall" {
        return None;
    }
    let desc = subcall(record.args[0])?;
    let mut args = [0; 6];
    let n = usize::from(desc.nargs);
    args[..n].copy_from_slice(words.get(..n)?);
    Some(SyscallRecord {
        number: u64::from(desc.number),
        args,
        desc: Some(desc),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    static SOCKETCALL: SyscallDesc = SyscallDesc {
        number: 102,
        name: "socketcall",
        nargs: 2,
    };

    #[test]
    fn subcalls_are_numbered_and_counted_as_strace_does() {
        assert_eq!(
            subcall(1).map(|d| (d.name, d.number, d.nargs)),
            Some(("socket", 501, 3))
        );
        assert_eq!(
            subcall(8).map(|d| (d.name, d.nargs)),
            Some(("socketpair", 4))
        );
        assert_eq!(
            subcall(20).map(|d| (d.name, d.number)),
            Some(("sendmmsg", 520))
        );
        assert!(subcall(0).is_none() && subcall(21).is_none());
    }

    #[test]
    fn a_socketcall_becomes_its_subcall() {
        let record = SyscallRecord {
            number: 102,
            args: [12, 0xffd0_0000, 0, 0, 0, 0],
            desc: Some(&SOCKETCALL),
        };
        let words = [4, 0x1000, 256, 0x40, 0, 0];
        let sub = demultiplex(&record, &words).unwrap();
        assert_eq!(sub.desc.unwrap().name, "recvfrom");
        assert_eq!(sub.args, [4, 0x1000, 256, 0x40, 0, 0]);
        // Too few words read (an unreadable array): the socketcall stays.
        assert!(demultiplex(&record, &words[..3]).is_none());
        let unknown = SyscallRecord {
            args: [99, 0, 0, 0, 0, 0],
            ..record
        };
        assert!(demultiplex(&unknown, &words).is_none());
    }
}
