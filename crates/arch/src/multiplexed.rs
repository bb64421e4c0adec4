//! The multiplexers through which 32-bit x86 (and other older ABIs) reach the socket
//! and System V IPC calls: `socketcall(call, args)` and `ipc(call, first, second, third,
//! ptr, fifth)`. strace shows each as the call it stands for; so does rtrace, with the
//! arguments in the order the direct call takes them, so that one decoder per name
//! serves both. Numbers are strace's (`SYS_socket_subcall` + call, 500 on i386, and
//! `SYS_ipc_subcall` right after the socket calls).

use crate::{SyscallDesc, SyscallRecord};

/// strace's number for the first socket subcall (`SYS_socket_subcall`).
const SOCKET_BASE: u32 = 500;
/// strace's `SYS_ipc_subcall`: after the 21 socket subcall numbers.
const IPC_BASE: u32 = SOCKET_BASE + 21;

macro_rules! subcalls {
    ($($call:literal $name:ident $nargs:literal),* $(,)?) => {
        /// The subcalls by their `call` argument (1-based, as in linux/net.h).
        static SUBCALLS: &[SyscallDesc] = &[
            $(SyscallDesc { number: SOCKET_BASE + $call, name: stringify!($name), nargs: $nargs },)*
        ];
    };
}

subcalls! {
    1 socket 3, 2 bind 3, 3 connect 3, 4 listen 2, 5 accept 3, 6 getsockname 3,
    7 getpeername 3, 8 socketpair 4, 9 send 4, 10 recv 4, 11 sendto 6, 12 recvfrom 6,
    13 shutdown 2, 14 setsockopt 5, 15 getsockopt 5, 16 sendmsg 3, 17 recvmsg 3,
    18 accept4 4, 19 recvmmsg 5, 20 sendmmsg 4,
}

/// The socket call `call` stands for, if any.
pub fn subcall(call: u64) -> Option<&'static SyscallDesc> {
    let index = usize::try_from(call).ok()?.checked_sub(1)?;
    SUBCALLS.get(index)
}

/// The record of the call a `socketcall` stands for, given its arguments as read from the
/// tracee (`words`: the array `args` points to, in the tracee's word size, already
/// zero-extended). `None` when `record` is not a socketcall or names no known subcall:
/// then strace, and rtrace, show the socketcall itself.
pub fn demultiplex_socketcall(record: &SyscallRecord, words: &[u64]) -> Option<SyscallRecord> {
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

/// How the arguments of an `ipc` subcall map to the direct call's.
#[derive(Clone, Copy)]
enum IpcArgs {
    /// `ipc(call, a, b, c, ptr, fifth)` is the direct call `(a, b, c, ptr)` shifted by one.
    Shifted,
    /// These indices into the shifted arguments give the direct call's, in order.
    Reordered(&'static [usize]),
    /// msgrcv without a version: `ptr` points to `{msgp, msgtyp}` (the ipc kludge).
    MsgrcvKludge,
}

/// An ipc subcall: its `call` number, how strace names and numbers it, the direct call's
/// argument count, and where the arguments go.
struct IpcSubcall {
    desc: SyscallDesc,
    args: IpcArgs,
}

macro_rules! ipc_subcalls {
    ($($call:literal $name:ident $nargs:literal $args:expr),* $(,)?) => {
        static IPC_SUBCALLS: &[(u64, IpcSubcall)] = &[
            $(($call, IpcSubcall {
                desc: SyscallDesc { number: IPC_BASE + $call, name: stringify!($name), nargs: $nargs },
                args: $args,
            }),)*
        ];
    };
}

// The shifted forms, as the kernel's ipc/syscall.c unpacks them:
// semop(semid, nsops, -, sops), semtimedop(semid, nsops, -, sops, timeout),
// msgsnd(msqid, msgsz, msgflg, msgp), msgrcv(msqid, msgsz, msgflg, msgp, msgtyp),
// shmat(shmid, shmflg, &raddr, shmaddr), shmdt(-, -, -, shmaddr).
ipc_subcalls! {
    1 semop 3 IpcArgs::Reordered(&[0, 3, 1]),
    2 semget 3 IpcArgs::Shifted,
    3 semctl 4 IpcArgs::Shifted,
    4 semtimedop 4 IpcArgs::Reordered(&[0, 3, 1, 4]),
    11 msgsnd 4 IpcArgs::Reordered(&[0, 3, 1, 2]),
    12 msgrcv 5 IpcArgs::MsgrcvKludge,
    13 msgget 2 IpcArgs::Shifted,
    14 msgctl 3 IpcArgs::Shifted,
    21 shmat 3 IpcArgs::Reordered(&[0, 3, 1]),
    22 shmdt 1 IpcArgs::Reordered(&[3]),
    23 shmget 3 IpcArgs::Shifted,
    24 shmctl 3 IpcArgs::Shifted,
}

/// A multiplexed call (socketcall, ipc) as the direct call it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Demultiplexed {
    pub record: SyscallRecord,
    /// shmat through ipc returns 0 and stores the address at this tracee address;
    /// strace shows that address as the result.
    pub result_at: Option<u64>,
}

/// The direct call an `ipc` record stands for. `read_pair` reads two tracee words at an
/// address (msgrcv's kludge); `None` when `record` is not an ipc call, names no known
/// subcall, or the kludge cannot be read: then the ipc call itself is shown.
pub fn demultiplex_ipc(
    record: &SyscallRecord,
    read_pair: impl FnOnce(u64) -> Option<[u64; 2]>,
) -> Option<Demultiplexed> {
    if record.desc?.name != "ipc" {
        return None;
    }
    let call = record.args[0];
    // The version lives in the upper 16 bits (msgrcv's "new" form is version 1).
    let (version, number) = (call >> 16, call & 0xffff);
    let (_, sub) = IPC_SUBCALLS.iter().find(|(n, _)| *n == number)?;
    let shifted = [
        record.args[1],
        record.args[2],
        record.args[3],
        record.args[4],
        record.args[5],
        0,
    ];
    let mut args = [0; 6];
    match sub.args {
        IpcArgs::Shifted => args = shifted,
        IpcArgs::Reordered(order) => {
            for (arg, &from) in args.iter_mut().zip(order) {
                *arg = shifted[from];
            }
        }
        // msgrcv(msqid, msgp, msgsz, msgtyp, msgflg).
        IpcArgs::MsgrcvKludge if version != 0 => {
            args[..5]
                .copy_from_slice(&[shifted[0], shifted[3], shifted[1], shifted[4], shifted[2]]);
        }
        IpcArgs::MsgrcvKludge => {
            let [msgp, msgtyp] = read_pair(shifted[3])?;
            args[..5].copy_from_slice(&[shifted[0], msgp, shifted[1], msgtyp, shifted[2]]);
        }
    }
    Some(Demultiplexed {
        record: SyscallRecord {
            number: u64::from(sub.desc.number),
            args,
            desc: Some(&sub.desc),
        },
        result_at: (sub.desc.name == "shmat").then_some(shifted[2]),
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
    static IPC: SyscallDesc = SyscallDesc {
        number: 117,
        name: "ipc",
        nargs: 6,
    };

    fn ipc(args: [u64; 6]) -> SyscallRecord {
        SyscallRecord {
            number: 117,
            args,
            desc: Some(&IPC),
        }
    }

    #[test]
    fn ipc_calls_take_the_direct_calls_argument_order() {
        let none = |_| None;
        // shmget(IPC_PRIVATE, 4096, IPC_CREAT|0600): the same order, shifted.
        let get = demultiplex_ipc(&ipc([23, 0, 4096, 0o1600, 0, 0]), none).unwrap();
        assert_eq!(get.record.desc.unwrap().name, "shmget");
        assert_eq!(get.record.number, 521 + 23);
        assert_eq!(&get.record.args[..3], &[0, 4096, 0o1600]);
        assert_eq!(get.result_at, None);
        // shmat(shmid, shmflg, &raddr, shmaddr) -> shmat(shmid, shmaddr, shmflg).
        let at = demultiplex_ipc(&ipc([21, 7, 0x1000, 0xff00, 0, 0]), none).unwrap();
        assert_eq!(&at.record.args[..3], &[7, 0, 0x1000]);
        assert_eq!(at.result_at, Some(0xff00));
        // shmdt(shmaddr), the address in the fourth shifted slot.
        let dt = demultiplex_ipc(&ipc([22, 0, 0, 0, 0xf7f6_d000, 0]), none).unwrap();
        assert_eq!(dt.record.args[0], 0xf7f6_d000);
        // semop(semid, nsops, -, sops) -> semop(semid, sops, nsops).
        let op = demultiplex_ipc(&ipc([1, 3, 2, 0, 0x5000, 0]), none).unwrap();
        assert_eq!(&op.record.args[..3], &[3, 0x5000, 2]);
    }

    #[test]
    fn msgrcv_reads_the_kludge_unless_versioned() {
        let kludge = demultiplex_ipc(&ipc([12, 4, 64, 0o4000, 0x6000, 0]), |addr| {
            assert_eq!(addr, 0x6000);
            Some([0x7000, 5])
        })
        .unwrap();
        assert_eq!(&kludge.record.args[..5], &[4, 0x7000, 64, 5, 0o4000]);
        let versioned =
            demultiplex_ipc(&ipc([1 << 16 | 12, 4, 64, 0o4000, 0x7000, 5]), |_| None).unwrap();
        assert_eq!(&versioned.record.args[..5], &[4, 0x7000, 64, 5, 0o4000]);
        // An unreadable kludge, an unknown call: the ipc call stays.
        assert!(demultiplex_ipc(&ipc([12, 4, 64, 0, 0x6000, 0]), |_| None).is_none());
        assert!(demultiplex_ipc(&ipc([99, 0, 0, 0, 0, 0]), |_| None).is_none());
    }

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
        let sub = demultiplex_socketcall(&record, &words).unwrap();
        assert_eq!(sub.desc.unwrap().name, "recvfrom");
        assert_eq!(sub.args, [4, 0x1000, 256, 0x40, 0, 0]);
        // Too few words read (an unreadable array): the socketcall stays.
        assert!(demultiplex_socketcall(&record, &words[..3]).is_none());
        let unknown = SyscallRecord {
            args: [99, 0, 0, 0, 0, 0],
            ..record
        };
        assert!(demultiplex_socketcall(&unknown, &words).is_none());
    }
}
