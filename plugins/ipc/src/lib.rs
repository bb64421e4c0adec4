//! rtrace's bundled `ipc` plugin: waiting on descriptors (poll, select, epoll),
//! event and timer fds, futexes, System V IPC and POSIX message queues.
//!
//! Owns: the family's decoder table and the layouts of pollfd, fd_set, epoll_event,
//! sembuf, msgbuf and mq_attr. Must not know: how it is loaded, ptrace, or how values
//! are rendered; it depends on `rtrace-sdk` alone.

mod epoll;
mod futex;
mod futex2;
mod kernel_consts;
mod mqueue;
mod poll;
mod sysv;
mod tables;

use rtrace_sdk::kstruct::{interval_time_at, TimeAbi, TimeUnit};
use rtrace_sdk::sigevent::sigevent_at;
use rtrace_sdk::{syscall, Call, Out, Syscall};

use tables::{
    CLOCKS, EPOLL_CREATE_FLAGS, EPOLL_CTL_OPS, EVENTFD_FLAGS, MSGCTL_COMMANDS, MSG_FLAGS,
    SEMCTL_COMMANDS, SHMAT_FLAGS, SHMCTL_COMMANDS, TIMERFD_CREATE_FLAGS, TIMERFD_SETTIME_FLAGS,
};

/// Every syscall this plugin decodes; a decoder's index here is its id on the wire.
pub const DECODERS: &[Syscall] = &[
    syscall!("poll", custom = poll::poll, names = [fds, nfds, timeout]),
    syscall!(
        "ppoll",
        custom = poll::ppoll,
        names = [fds, nfds, tmo_p, sigmask, sigsetsize]
    ),
    syscall!(
        "ppoll_time64",
        custom = poll::ppoll,
        names = [fds, nfds, tmo_p, sigmask, sigsetsize]
    ),
    syscall!(
        "select",
        custom = poll::select,
        names = [nfds, readfds, writefds, exceptfds, timeout],
    ),
    syscall!(
        "_newselect",
        custom = poll::select,
        names = [nfds, readfds, writefds, exceptfds, timeout],
    ),
    syscall!(
        "pselect6",
        custom = poll::select,
        names = [nfds, readfds, writefds, exceptfds, timeout, sig],
    ),
    syscall!(
        "pselect6_time64",
        custom = poll::select,
        names = [nfds, readfds, writefds, exceptfds, timeout, sig],
    ),
    syscall!("epoll_create", [size: Int], ret = Fd),
    syscall!("epoll_create1", [flags: FlagsOrUnknown(EPOLL_CREATE_FLAGS, "EPOLL_???")], ret = Fd),
    syscall!(
        "epoll_ctl",
        [epfd: Fd, op: Const(EPOLL_CTL_OPS), fd: Fd, event: Custom(epoll::event_in)],
    ),
    syscall!(
        "epoll_wait",
        [epfd: Fd, events: CustomAtExit(epoll::events_out), maxevents: Int, timeout: Int],
    ),
    syscall!(
        "epoll_pwait",
        [
            epfd: Fd,
            events: CustomAtExit(epoll::events_out),
            maxevents: Int,
            timeout: Int,
            sigmask: Custom(epoll::sigmask),
            sigsetsize: Size,
        ],
    ),
    syscall!(
        "epoll_pwait2",
        [
            epfd: Fd,
            events: CustomAtExit(epoll::events_out),
            maxevents: Int,
            timeout: Custom(epoll::timeout),
            sigmask: Custom(epoll::sigmask),
            sigsetsize: Size,
        ],
    ),
    syscall!("eventfd", [initval: Uint], ret = Fd),
    syscall!("eventfd2", [initval: Uint, flags: FlagsOrUnknown(EVENTFD_FLAGS, "EFD_???")], ret = Fd),
    syscall!(
        "timerfd_create",
        [clockid: Const(CLOCKS), flags: FlagsOrUnknown(TIMERFD_CREATE_FLAGS, "TFD_???")],
        ret = Fd,
    ),
    syscall!(
        "timerfd_settime",
        [
            fd: Fd,
            flags: FlagsOrUnknown(TIMERFD_SETTIME_FLAGS, "TFD_???"),
            new_value: Custom(itimerspec_in),
            old_value: CustomAtExit(itimerspec_out),
        ],
    ),
    syscall!(
        "timerfd_settime64",
        [
            fd: Fd,
            flags: FlagsOrUnknown(TIMERFD_SETTIME_FLAGS, "TFD_???"),
            new_value: Custom(itimerspec_in),
            old_value: CustomAtExit(itimerspec_out),
        ],
    ),
    syscall!("timerfd_gettime", [fd: Fd, curr_value: CustomAtExit(itimerspec_out)]),
    syscall!("timerfd_gettime64", [fd: Fd, curr_value: CustomAtExit(itimerspec_out)]),
    syscall!("futex", custom = futex::futex),
    syscall!("futex_time64", custom = futex::futex),
    syscall!("shmget", [key: Custom(sysv::key), size: Size, shmflg: Custom(sysv::get_flags)]),
    syscall!("shmat", [shmid: Int, shmaddr: Ptr, shmflg: FlagsOrUnknown(SHMAT_FLAGS, "SHM_???")], ret = Hex),
    syscall!("shmdt", [shmaddr: Ptr]),
    syscall!("shmctl", [shmid: Int, op: Const(SHMCTL_COMMANDS), buf: Ptr]),
    syscall!("semget", [key: Custom(sysv::key), nsems: Int, semflg: Custom(sysv::get_flags)]),
    syscall!("semop", [semid: Int, sops: Custom(sysv::sembufs), nsops: Uint]),
    syscall!(
        "semtimedop",
        [semid: Int, sops: Custom(sysv::sembufs), nsops: Uint, timeout: Custom(sysv::timeout)],
    ),
    syscall!(
        "semtimedop_time64",
        [semid: Int, sops: Custom(sysv::sembufs), nsops: Uint, timeout: Custom(sysv::timeout)],
    ),
    syscall!("semctl", [semid: Int, semnum: Int, op: Const(SEMCTL_COMMANDS), arg: Ptr]),
    syscall!("msgget", [key: Custom(sysv::key), msgflg: Custom(sysv::get_flags)]),
    syscall!(
        "msgsnd",
        [msqid: Int, msgp: Custom(sysv::msgbuf_in), msgsz: Size, msgflg: FlagsOrUnknown(MSG_FLAGS, "MSG_???")],
    ),
    syscall!(
        "msgrcv",
        [
            msqid: Int,
            msgp: CustomAtExit(sysv::msgbuf_out),
            msgsz: Size,
            msgtyp: Long,
            msgflg: FlagsOrUnknown(MSG_FLAGS, "MSG_???"),
        ],
    ),
    syscall!("msgctl", [msqid: Int, op: Const(MSGCTL_COMMANDS), buf: Ptr]),
    syscall!(
        "futex_waitv",
        custom = futex2::futex_waitv,
        names = [waiters, nr_futexes, flags, timeout, clockid],
    ),
    syscall!(
        "futex_wake",
        custom = futex2::futex_wake,
        names = [uaddr, mask, nr, flags]
    ),
    syscall!(
        "futex_wait",
        custom = futex2::futex_wait,
        names = [uaddr, val, mask, flags, timeout, clockid],
    ),
    syscall!(
        "futex_requeue",
        custom = futex2::futex_requeue,
        names = [waiters, flags, nr_wake, nr_requeue],
    ),
    syscall!(
        "mq_open",
        custom = mqueue::mq_open,
        names = [name, flags, mode, attr]
    ),
    syscall!("mq_notify", [mqdes: Fd, sevp: Custom(sigevent_at)]),
    syscall!(
        "mq_getsetattr",
        [mqdes: Fd, newattr: Custom(mqueue::newattr), oldattr: CustomAtExit(mqueue::oldattr)],
    ),
    syscall!(
        "mq_timedsend",
        [
            mqdes: Fd,
            msg_ptr: InBuf { len_arg: 2 },
            msg_len: Size,
            msg_prio: Uint,
            abs_timeout: Custom(mqueue::timeout),
        ],
    ),
    syscall!(
        "mq_timedsend_time64",
        [
            mqdes: Fd,
            msg_ptr: InBuf { len_arg: 2 },
            msg_len: Size,
            msg_prio: Uint,
            abs_timeout: Custom(mqueue::timeout),
        ],
    ),
    syscall!(
        "mq_timedreceive",
        [
            mqdes: Fd,
            msg_ptr: OutBuf { len_arg: 2 },
            msg_len: Size,
            msg_prio: CustomAtExit(mqueue::priority_out),
            abs_timeout: Custom(mqueue::timeout),
        ],
    ),
    syscall!(
        "mq_timedreceive_time64",
        [
            mqdes: Fd,
            msg_ptr: OutBuf { len_arg: 2 },
            msg_len: Size,
            msg_prio: CustomAtExit(mqueue::priority_out),
            abs_timeout: Custom(mqueue::timeout),
        ],
    ),
    syscall!("mq_unlink", [path: Path]),
];

rtrace_sdk::export_plugin! {
    name: "ipc",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}

fn itimerspec_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    interval_time_at(call, out, addr, TimeAbi::of(call), TimeUnit::Nanos);
}

fn itimerspec_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
    } else {
        itimerspec_in(call, out, addr);
    }
}
