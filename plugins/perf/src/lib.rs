//! rtrace's bundled `perf` plugin: performance counters (perf_event_open with
//! `struct perf_event_attr`) and BPF (bpf with `union bpf_attr` for the commonly
//! used commands).
//!
//! Owns: the family's decoder table, its constants (linux/perf_event.h,
//! linux/bpf.h) and the layouts of perf_event_attr and bpf_attr's per-command
//! structs. Must not know: how it is loaded, ptrace, or how values are rendered; it
//! depends on `rtrace-sdk` alone.

mod bpf;
mod kernel_consts;
mod perf_event;

use rtrace_sdk::{syscall, Syscall};

/// Every syscall this plugin decodes; a decoder's index here is its id on the wire.
pub const DECODERS: &[Syscall] = &[
    syscall!(
        "perf_event_open",
        custom = perf_event::perf_event_open,
        names = [attr, pid, cpu, group_fd, flags],
    ),
    syscall!("bpf", custom = bpf::bpf, names = [cmd, attr, size]),
    // Made by the kernel's return-probe trampoline (x86_64): no arguments.
    syscall!("uretprobe", []),
];

rtrace_sdk::export_plugin! {
    name: "perf",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}
