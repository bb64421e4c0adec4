//! A plugin that misbehaves on purpose, for the host's robustness tests.

use rtrace_sdk::{syscall, Call, DecodeStatus, Out, Phase, Syscall};

fn panics(_phase: Phase, call: &mut Call<'_, '_>, _out: &mut Out<'_>) -> DecodeStatus {
    panic!("getpid decoder gave up on pid {}", call.pid());
}

fn declines(_phase: Phase, _call: &mut Call<'_, '_>, _out: &mut Out<'_>) -> DecodeStatus {
    DecodeStatus::Declined
}

pub const DECODERS: &[Syscall] = &[
    syscall!("getpid", custom = panics),
    syscall!("getppid", custom = declines),
];

rtrace_sdk::export_plugin! {
    name: "panicky",
    version: "0.0.1",
    decoders: DECODERS,
}
