//! rtrace's bundled `signal` plugin: handlers (rt_sigaction), masks (rt_sigprocmask,
//! rt_sigpending, rt_sigsuspend), waiting and queueing signals, sigaltstack,
//! signalfd, rt_sigreturn, pause and the pidfd signal calls.
//!
//! Owns: the signal family's decoder table, the `struct sigaction` / `stack_t` /
//! `siginfo_t` layouts for argument decoding. kill/tgkill belong to the process plugin.
//! Must not know: how it is loaded, ptrace, or how values are rendered.

mod kernel_consts;
mod legacy;
mod sigframe;
mod siginfo;
mod tables;

use rtrace_sdk::kstruct::{time_at, with_struct, Layout, TimeAbi, TimeUnit};
use rtrace_sdk::{
    decode_args, sigset_at, syscall, Arg, Call, DecodeStatus, Out, Phase, Ret, Syscall,
    KERNEL_SIGSET_BYTES,
};

use tables::{PIDFD_FLAGS, PIDFD_SIGNAL_FLAGS, SA_FLAGS, SFD_FLAGS, SIGPROCMASK_HOW, SS_FLAGS};

/// Every syscall this plugin decodes; a decoder's index here is its id on the wire.
pub const DECODERS: &[Syscall] = &[
    syscall!(
        "rt_sigaction",
        [
            signum: Signal,
            act: Custom(sigaction_in),
            oldact: CustomAtExit(sigaction_out),
            sigsetsize: Size,
        ],
    ),
    syscall!(
        "rt_sigprocmask",
        [
            how: Const(SIGPROCMASK_HOW),
            set: Custom(set_sized_by_arg3),
            oldset: CustomAtExit(set_out_sized_by_arg3),
            sigsetsize: Size,
        ],
    ),
    syscall!("rt_sigpending", [set: CustomAtExit(set_out_sized_by_arg1), sigsetsize: Size]),
    syscall!("rt_sigsuspend", [set: Custom(set_sized_by_arg1), sigsetsize: Size]),
    syscall!(
        "rt_sigtimedwait",
        custom = sigtimedwait,
        names = [set, info, timeout, sigsetsize]
    ),
    syscall!(
        "rt_sigtimedwait_time64",
        custom = sigtimedwait,
        names = [set, info, timeout, sigsetsize],
    ),
    syscall!("rt_sigqueueinfo", [tgid: Pid, signum: Signal, info: Custom(siginfo_in)]),
    syscall!("rt_tgsigqueueinfo", [tgid: Pid, tid: Tid, signum: Signal, info: Custom(siginfo_in)]),
    syscall!(
        "rt_sigreturn",
        custom = sigframe::rt_sigreturn,
        names = [sigmask]
    ),
    // x86_64's number made as an x32 call: strace's x32 table decodes it as rt_sigreturn.
    syscall!(
        "rt_sigreturn#64",
        custom = sigframe::rt_sigreturn,
        names = [sigmask]
    ),
    syscall!("sigreturn", custom = sigframe::sigreturn),
    // The old calls of 32-bit ABIs, whose sets are one word (`old_sigset_t`).
    syscall!(
        "sigprocmask",
        [how: Const(SIGPROCMASK_HOW), set: Custom(old_set), oldset: CustomAtExit(old_set_out)],
    ),
    syscall!("sigpending", [set: CustomAtExit(old_set_out)]),
    syscall!("sigaltstack", [ss: Custom(stack_in), old_ss: CustomAtExit(stack_out)]),
    syscall!("signalfd", [fd: Fd, mask: Custom(set_sized_by_arg2), sizemask: Size], ret = Fd),
    syscall!(
        "signalfd4",
        [fd: Fd, mask: Custom(set_sized_by_arg2), sizemask: Size, flags: FlagsOrUnknown(SFD_FLAGS, "SFD_???")],
        ret = Fd,
    ),
    syscall!("pause", []),
    syscall!("signal", custom = legacy::signal, names = [signum, handler]),
    syscall!(
        "sigaction",
        custom = legacy::sigaction,
        names = [signum, act, oldact]
    ),
    syscall!("sgetmask", custom = legacy::sgetmask),
    syscall!("ssetmask", custom = legacy::ssetmask, names = [newmask]),
    syscall!("sigsuspend", custom = legacy::sigsuspend, names = [mask]),
    syscall!(
        "pidfd_send_signal",
        [pidfd: Fd, signum: Signal, info: Custom(siginfo_in), flags: FlagsOrUnknown(PIDFD_SIGNAL_FLAGS, "PIDFD_SIGNAL_???")],
    ),
    syscall!("pidfd_open", [pid: Pid, flags: FlagsOrUnknown(PIDFD_FLAGS, "PIDFD_???")], ret = Fd),
];

rtrace_sdk::export_plugin! {
    name: "signal",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}

fn set_sized_by(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, size_arg: usize) {
    sigset_at(call, out, addr, call.arg_ulong(size_arg));
}

fn set_sized_by_arg1(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    set_sized_by(call, out, addr, 1);
}

fn set_sized_by_arg2(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    set_sized_by(call, out, addr, 2);
}

fn set_sized_by_arg3(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    set_sized_by(call, out, addr, 3);
}

fn set_out_sized_by_arg1(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
    } else {
        set_sized_by(call, out, addr, 1);
    }
}

fn set_out_sized_by_arg3(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
    } else {
        set_sized_by(call, out, addr, 3);
    }
}

/// An `old_sigset_t *`: one word of signals.
fn old_set(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    sigset_at(call, out, addr, u64::from(call.word_size()));
}

fn old_set_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
    } else {
        old_set(call, out, addr);
    }
}

pub(crate) const SIG_DFL: u64 = 0;
pub(crate) const SIG_IGN: u64 = 1;
pub(crate) const SA_RESTORER: u64 = 0x0400_0000;

/// The kernel's `struct sigaction` (not glibc's): handler, flags and restorer are
/// words, then the mask.
fn sigaction_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let layout = Layout::of(call);
    let size = layout.words(3) + KERNEL_SIGSET_BYTES;
    with_struct(call, out, addr, size, |out, f| {
        let handler = f.word(0);
        let flags = f.word(layout.word);
        out.begin_struct();
        out.field("sa_handler");
        match handler {
            SIG_DFL => out.named("SIG_DFL", SIG_DFL as i64, true),
            SIG_IGN => out.named("SIG_IGN", SIG_IGN as i64, true),
            h if h == u64::MAX >> (64 - 8 * layout.word) => out.named("SIG_ERR", h as i64, true),
            h => out.pointer(h),
        }
        out.field("sa_mask");
        let mask_at = layout.words(3);
        out.sigset(&f.bytes[mask_at..mask_at + KERNEL_SIGSET_BYTES], layout);
        out.field("sa_flags");
        out.flags(flags, SA_FLAGS);
        if flags & SA_RESTORER != 0 {
            out.field("sa_restorer");
            out.pointer(f.word(layout.words(2)));
        }
        out.end();
    });
}

fn sigaction_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
    } else {
        sigaction_in(call, out, addr);
    }
}

/// `stack_t`: ss_sp (word), ss_flags (int), ss_size (word, aligned).
fn stack_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let layout = Layout::of(call);
    with_struct(call, out, addr, layout.words(3), |out, f| {
        out.structure(|out| {
            out.field("ss_sp");
            out.pointer(f.word(0));
            out.field("ss_flags");
            out.flags(f.u32(layout.word), SS_FLAGS);
            out.field("ss_size");
            out.uint(f.word(layout.words(2)));
        })
    });
}

fn stack_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
    } else {
        stack_in(call, out, addr);
    }
}

fn siginfo_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    siginfo::siginfo_at(call, out, addr);
}

fn siginfo_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
    } else {
        siginfo::siginfo_at(call, out, addr);
    }
}

fn timeout_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    time_at(call, out, addr, TimeAbi::of(call), TimeUnit::Nanos);
}

/// rt_sigtimedwait(set, info, timeout, sigsetsize): the info is filled at exit, and a
/// successful call's signal number gets its name as a note: `= 10 (SIGUSR1)`.
fn sigtimedwait(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    const ARGS: &[Arg] = &[
        Arg::Custom(set_sized_by_arg3),
        Arg::CustomAtExit(siginfo_out),
        Arg::Custom(timeout_in),
        Arg::Size,
    ];
    let status = decode_args(ARGS, Ret::Int, phase, call, out);
    if phase == Phase::Exit && !call.is_error() {
        out.return_note();
        out.signal(call.retval());
    }
    status
}
