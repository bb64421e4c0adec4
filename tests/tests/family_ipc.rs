//! The ipc plugin against strace 6.1: every line of a polling or IPC syscall in the ipc
//! fixture's trace (poll, select, epoll, eventfd, timerfd, futex, System V shared
//! memory, semaphores and messages, POSIX message queues), compared whole, by default,
//! with `-v`, `-s 5`, `-xx` and `-e verbose=none`. System V ids and the time left on a
//! timeout change run to run and are replaced on those lines only.

mod family_support;
mod family_varying;

use family_varying::{check_varying_family, fixture_in_dir, Run};
use rtrace_tests::varying;

/// The syscalls the ipc plugin decodes (those x86_64 has).
pub const IPC_SYSCALLS: &[&str] = &[
    "poll",
    "ppoll",
    "select",
    "pselect6",
    "epoll_create",
    "epoll_create1",
    "epoll_ctl",
    "epoll_wait",
    "epoll_pwait",
    "epoll_pwait2",
    "eventfd",
    "eventfd2",
    "timerfd_create",
    "timerfd_settime",
    "timerfd_gettime",
    "futex",
    "shmget",
    "shmat",
    "shmdt",
    "shmctl",
    "semget",
    "semop",
    "semtimedop",
    "semctl",
    "msgget",
    "msgsnd",
    "msgrcv",
    "msgctl",
    "mq_open",
    "mq_timedsend",
    "mq_timedreceive",
    "mq_unlink",
];

#[test]
fn ipc_family_lines_match_strace() {
    let runs = [
        Run {
            label: "ipc_calls",
            options: &[],
            command: |dir| fixture_in_dir("ipc_calls", dir),
        },
        Run {
            label: "ipc_calls",
            options: &["-v"],
            command: |dir| fixture_in_dir("ipc_calls", dir),
        },
        Run {
            label: "ipc_calls",
            options: &["-s", "5"],
            command: |dir| fixture_in_dir("ipc_calls", dir),
        },
        Run {
            label: "ipc_calls",
            options: &["-xx"],
            command: |dir| fixture_in_dir("ipc_calls", dir),
        },
        Run {
            label: "ipc_calls",
            options: &["-e", "verbose=none"],
            command: |dir| fixture_in_dir("ipc_calls", dir),
        },
    ];
    check_varying_family("ipc", "rtrace_ipc", IPC_SYSCALLS, varying::IPC, &runs);
}
