//! The ipc family's constant and flag tables, in strace's print order.

use rtrace_sdk::FlagTable;

/// poll(2)'s `events` / `revents` bits (shared with the aio plugin's poll requests).
pub use rtrace_sdk::shared_flags::POLL_EVENTS;

/// epoll's event bits.
pub const EPOLL_EVENTS: &FlagTable = &FlagTable::bits(&[
    (0x1, "EPOLLIN"),
    (0x2, "EPOLLPRI"),
    (0x4, "EPOLLOUT"),
    (0x8, "EPOLLERR"),
    (0x10, "EPOLLHUP"),
    (0x20, "EPOLLNVAL"),
    (0x40, "EPOLLRDNORM"),
    (0x80, "EPOLLRDBAND"),
    (0x100, "EPOLLWRNORM"),
    (0x200, "EPOLLWRBAND"),
    (0x400, "EPOLLMSG"),
    (0x2000, "EPOLLRDHUP"),
    (1 << 28, "EPOLLEXCLUSIVE"),
    (1 << 29, "EPOLLWAKEUP"),
    (1 << 30, "EPOLLONESHOT"),
    (1 << 31, "EPOLLET"),
]);

pub const EPOLL_CREATE_FLAGS: &FlagTable = &FlagTable::bits(&[(0o2000000, "EPOLL_CLOEXEC")]);

pub use crate::kernel_consts::EPOLL_CTL_OPS;

pub const EVENTFD_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1, "EFD_SEMAPHORE"),
    (0o2000000, "EFD_CLOEXEC"),
    (0o4000, "EFD_NONBLOCK"),
]);

/// timerfd_create's flags (strace names the settime bits here too).
pub const TIMERFD_CREATE_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1, "TFD_TIMER_ABSTIME"),
    (2, "TFD_TIMER_CANCEL_ON_SET"),
    (0o2000000, "TFD_CLOEXEC"),
    (0o4000, "TFD_NONBLOCK"),
]);

pub const TIMERFD_SETTIME_FLAGS: &FlagTable =
    &FlagTable::bits(&[(1, "TFD_TIMER_ABSTIME"), (2, "TFD_TIMER_CANCEL_ON_SET")]);

/// Clock ids, for timerfd_create and futex_waitv (shared with the other families).
pub use rtrace_sdk::shared_flags::CLOCKS;

pub use crate::kernel_consts::FUTEX_COMMANDS;

pub use crate::kernel_consts::FUTEX_CMPS;
pub use crate::kernel_consts::FUTEX_OPS;

/// The `IPC_*` bits of a System V get call, before the octal permissions.
pub const IPC_GET_FLAGS: &FlagTable = &FlagTable::bits(&[
    (0o1000, "IPC_CREAT"),
    (0o2000, "IPC_EXCL"),
    (0o4000, "IPC_NOWAIT"),
]);

pub const SHMAT_FLAGS: &FlagTable = &FlagTable::bits(&[
    (0o10000, "SHM_RDONLY"),
    (0o20000, "SHM_RND"),
    (0o40000, "SHM_REMAP"),
    (0o100000, "SHM_EXEC"),
]);

pub use crate::kernel_consts::SHMCTL_COMMANDS;

pub use crate::kernel_consts::SEMCTL_COMMANDS;

pub use crate::kernel_consts::MSGCTL_COMMANDS;

pub const SEM_FLAGS: &FlagTable = &FlagTable::bits(&[(0o4000, "IPC_NOWAIT"), (0x1000, "SEM_UNDO")]);

pub const MSG_FLAGS: &FlagTable = &FlagTable::bits(&[
    (0o10000, "MSG_NOERROR"),
    (0o20000, "MSG_EXCEPT"),
    (0o40000, "MSG_COPY"),
    (0o4000, "IPC_NOWAIT"),
]);

/// mq_open's flags: the open flags it accepts.
pub const MQ_OPEN_FLAGS: &FlagTable = &FlagTable::with_field(
    0o3,
    &[
        (0, "O_RDONLY"),
        (1, "O_WRONLY"),
        (2, "O_RDWR"),
        (3, "O_ACCMODE"),
    ],
    &[
        (0o100, "O_CREAT"),
        (0o200, "O_EXCL"),
        (0o400, "O_NOCTTY"),
        (0o4000, "O_NONBLOCK"),
        (0o2000000, "O_CLOEXEC"),
    ],
);
