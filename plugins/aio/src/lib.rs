//! rtrace's bundled `aio` plugin: Linux native asynchronous I/O (io_setup,
//! io_destroy, io_submit, io_cancel, io_getevents, io_pgetevents) and io_uring
//! (io_uring_setup, io_uring_enter, io_uring_register).
//!
//! Owns: the family's decoder table, its constants (linux/aio_abi.h,
//! linux/io_uring.h) and the layouts of iocb, io_event, io_uring_params and
//! io_uring_getevents_arg. Must not know: how it is loaded, ptrace, or how values
//! are rendered; it depends on `rtrace-sdk` alone.

mod aio;
mod kernel_consts;
mod uring;

use rtrace_sdk::{syscall, Syscall};

/// Every syscall this plugin decodes; a decoder's index here is its id on the wire.
pub const DECODERS: &[Syscall] = &[
    syscall!("io_setup", [nr_events: Uint, ctx_idp: CustomAtExit(aio::context_out)]),
    syscall!("io_destroy", [ctx_id: Ptr]),
    syscall!(
        "io_submit",
        custom = aio::io_submit,
        names = [ctx_id, nr, iocbpp]
    ),
    syscall!(
        "io_cancel",
        custom = aio::io_cancel,
        names = [ctx_id, iocb, result]
    ),
    syscall!(
        "io_getevents",
        custom = aio::io_getevents,
        names = [ctx_id, min_nr, nr, events, timeout],
    ),
    syscall!(
        "io_getevents_time64",
        custom = aio::io_getevents,
        names = [ctx_id, min_nr, nr, events, timeout],
    ),
    syscall!(
        "io_pgetevents",
        custom = aio::io_getevents,
        names = [ctx_id, min_nr, nr, events, timeout, sig],
    ),
    syscall!(
        "io_pgetevents_time64",
        custom = aio::io_getevents,
        names = [ctx_id, min_nr, nr, events, timeout, sig],
    ),
    syscall!(
        "io_uring_setup",
        custom = uring::io_uring_setup,
        names = [entries, params]
    ),
    syscall!(
        "io_uring_enter",
        custom = uring::io_uring_enter,
        names = [fd, to_submit, min_complete, flags, sigset, sigsetsize],
    ),
    syscall!(
        "io_uring_register",
        custom = uring::io_uring_register,
        names = [fd, opcode, arg, nr_args],
    ),
];

rtrace_sdk::export_plugin! {
    name: "aio",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}
