//! rtrace's bundled `ipc` plugin: waiting on descriptors (poll, select, epoll),
//! event and timer fds, futexes, System V IPC and POSIX message queues.
//!
//! Owns: the family's decoder table and the layouts of pollfd, fd_set, epoll_event,
//! sembuf, msgbuf and mq_attr. Must not know: how it is loaded, ptrace, or how values
//! are rendered; it depends on `rtrace-sdk` alone.

mod epoll;
mod futex;
mod futex2;
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
    syscall!("poll", custom = poll::poll),
    syscall!("ppoll", custom = poll::ppoll),
    syscall!("ppoll_time64", custom = poll::ppoll),
    syscall!("select", custom = poll::select),
    syscall!("_newselect", custom = poll::select),
    syscall!("pselect6", custom = poll::select),
    syscall!("pselect6_time64", custom = poll::select),
    syscall!("epoll_create", [Int], ret = Fd),
    syscall!(
        "epoll_create1",
        [FlagsOrUnknown(EPOLL_CREATE_FLAGS, "EPOLL_???")],
        ret = Fd
    ),
    syscall!(
        "epoll_ctl",
        [Fd, Const(EPOLL_CTL_OPS), Fd, Custom(epoll::event_in)]
    ),
    syscall!(
        "epoll_wait",
        [Fd, CustomAtExit(epoll::events_out), Int, Int]
    ),
    syscall!(
        "epoll_pwait",
        [
            Fd,
            CustomAtExit(epoll::events_out),
            Int,
            Int,
            Custom(epoll::sigmask),
            Size
        ]
    ),
    syscall!(
        "epoll_pwait2",
        [
            Fd,
            CustomAtExit(epoll::events_out),
            Int,
            Custom(epoll::timeout),
            Custom(epoll::sigmask),
            Size
        ]
    ),
    syscall!("eventfd", [Uint], ret = Fd),
    syscall!("eventfd2", [Uint, Flags(EVENTFD_FLAGS)], ret = Fd),
    syscall!(
        "timerfd_create",
        [Const(CLOCKS), Flags(TIMERFD_CREATE_FLAGS)],
        ret = Fd
    ),
    syscall!(
        "timerfd_settime",
        [
            Fd,
            Flags(TIMERFD_SETTIME_FLAGS),
            Custom(itimerspec_in),
            CustomAtExit(itimerspec_out)
        ]
    ),
    syscall!(
        "timerfd_settime64",
        [
            Fd,
            Flags(TIMERFD_SETTIME_FLAGS),
            Custom(itimerspec_in),
            CustomAtExit(itimerspec_out)
        ]
    ),
    syscall!("timerfd_gettime", [Fd, CustomAtExit(itimerspec_out)]),
    syscall!("timerfd_gettime64", [Fd, CustomAtExit(itimerspec_out)]),
    syscall!("futex", custom = futex::futex),
    syscall!("futex_time64", custom = futex::futex),
    syscall!("shmget", [Custom(sysv::key), Size, Custom(sysv::get_flags)]),
    syscall!("shmat", [Int, Ptr, Flags(SHMAT_FLAGS)], ret = Hex),
    syscall!("shmdt", [Ptr]),
    syscall!("shmctl", [Int, Const(SHMCTL_COMMANDS), Ptr]),
    syscall!("semget", [Custom(sysv::key), Int, Custom(sysv::get_flags)]),
    syscall!("semop", [Int, Custom(sysv::sembufs), Uint]),
    syscall!(
        "semtimedop",
        [Int, Custom(sysv::sembufs), Uint, Custom(sysv::timeout)]
    ),
    syscall!(
        "semtimedop_time64",
        [Int, Custom(sysv::sembufs), Uint, Custom(sysv::timeout)]
    ),
    syscall!("semctl", [Int, Int, Const(SEMCTL_COMMANDS), Ptr]),
    syscall!("msgget", [Custom(sysv::key), Custom(sysv::get_flags)]),
    syscall!(
        "msgsnd",
        [Int, Custom(sysv::msgbuf_in), Size, Flags(MSG_FLAGS)]
    ),
    syscall!(
        "msgrcv",
        [
            Int,
            CustomAtExit(sysv::msgbuf_out),
            Size,
            Long,
            Flags(MSG_FLAGS)
        ]
    ),
    syscall!("msgctl", [Int, Const(MSGCTL_COMMANDS), Ptr]),
    syscall!("futex_waitv", custom = futex2::futex_waitv),
    syscall!("futex_wake", custom = futex2::futex_wake),
    syscall!("futex_wait", custom = futex2::futex_wait),
    syscall!("futex_requeue", custom = futex2::futex_requeue),
    syscall!("mq_open", custom = mqueue::mq_open),
    syscall!("mq_notify", [Fd, Custom(sigevent_at)]),
    syscall!(
        "mq_getsetattr",
        [Fd, Custom(mqueue::newattr), CustomAtExit(mqueue::oldattr)]
    ),
    syscall!(
        "mq_timedsend",
        [
            Fd,
            InBuf { len_arg: 2 },
            Size,
            Uint,
            Custom(mqueue::timeout)
        ]
    ),
    syscall!(
        "mq_timedsend_time64",
        [
            Fd,
            InBuf { len_arg: 2 },
            Size,
            Uint,
            Custom(mqueue::timeout)
        ]
    ),
    syscall!(
        "mq_timedreceive",
        [
            Fd,
            OutBuf { len_arg: 2 },
            Size,
            CustomAtExit(mqueue::priority_out),
            Custom(mqueue::timeout)
        ]
    ),
    syscall!(
        "mq_timedreceive_time64",
        [
            Fd,
            OutBuf { len_arg: 2 },
            Size,
            CustomAtExit(mqueue::priority_out),
            Custom(mqueue::timeout)
        ]
    ),
    syscall!("mq_unlink", [Path]),
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
