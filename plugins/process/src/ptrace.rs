//! ptrace(request, pid, addr, data): what addr and data are depends on the
//! request (linux/ptrace.h; the x86 requests from asm/ptrace-abi.h).
//!
//! Decoded: the request, the pid, user-area offsets (x86_64), regset types and
//! their iovecs, signals, option flags, signal masks, PEEKSIGINFO's arguments, and
//! the words PEEK*/GETEVENTMSG return. Registers (GETREGS, the regsets'
//! contents), siginfo (GETSIGINFO/SETSIGINFO) and syscall info show as addresses.

use rtrace_sdk::kstruct::{with_struct, Fields, Layout};
use rtrace_sdk::{sigset_at, Call, ConstTable, DecodeStatus, FlagTable, Out, Phase, PidKind};

const TRACEME: u64 = 0;
const PEEKTEXT: u64 = 1;
const PEEKDATA: u64 = 2;
const PEEKUSER: u64 = 3;
const POKEUSER: u64 = 6;
const CONT: u64 = 7;
const KILL: u64 = 8;
const SINGLESTEP: u64 = 9;
const ATTACH: u64 = 0x10;
const DETACH: u64 = 0x11;
const SYSCALL: u64 = 0x18;
const SYSEMU: u64 = 31;
const SYSEMU_SINGLESTEP: u64 = 32;
const SINGLEBLOCK: u64 = 33;
const SETOPTIONS: u64 = 0x4200;
const GETEVENTMSG: u64 = 0x4201;
const GETSIGINFO: u64 = 0x4202;
const GETREGSET: u64 = 0x4204;
const SETREGSET: u64 = 0x4205;
const SEIZE: u64 = 0x4206;
const INTERRUPT: u64 = 0x4207;
const LISTEN: u64 = 0x4208;
const PEEKSIGINFO: u64 = 0x4209;
const GETSIGMASK: u64 = 0x420a;
const SETSIGMASK: u64 = 0x420b;
const SECCOMP_GET_FILTER: u64 = 0x420c;
const SECCOMP_GET_METADATA: u64 = 0x420d;
const GET_SYSCALL_INFO: u64 = 0x420e;
const SET_SYSCALL_INFO: u64 = 0x4212;

const REQUESTS: &ConstTable = &ConstTable {
    names: &[
        (TRACEME, "PTRACE_TRACEME"),
        (PEEKTEXT, "PTRACE_PEEKTEXT"),
        (PEEKDATA, "PTRACE_PEEKDATA"),
        (PEEKUSER, "PTRACE_PEEKUSER"),
        (4, "PTRACE_POKETEXT"),
        (5, "PTRACE_POKEDATA"),
        (POKEUSER, "PTRACE_POKEUSER"),
        (CONT, "PTRACE_CONT"),
        (KILL, "PTRACE_KILL"),
        (SINGLESTEP, "PTRACE_SINGLESTEP"),
        (ATTACH, "PTRACE_ATTACH"),
        (DETACH, "PTRACE_DETACH"),
        (SYSCALL, "PTRACE_SYSCALL"),
        (SETOPTIONS, "PTRACE_SETOPTIONS"),
        (GETEVENTMSG, "PTRACE_GETEVENTMSG"),
        (GETSIGINFO, "PTRACE_GETSIGINFO"),
        (0x4203, "PTRACE_SETSIGINFO"),
        (GETREGSET, "PTRACE_GETREGSET"),
        (SETREGSET, "PTRACE_SETREGSET"),
        (SEIZE, "PTRACE_SEIZE"),
        (INTERRUPT, "PTRACE_INTERRUPT"),
        (LISTEN, "PTRACE_LISTEN"),
        (PEEKSIGINFO, "PTRACE_PEEKSIGINFO"),
        (GETSIGMASK, "PTRACE_GETSIGMASK"),
        (SETSIGMASK, "PTRACE_SETSIGMASK"),
        (SECCOMP_GET_FILTER, "PTRACE_SECCOMP_GET_FILTER"),
        (SECCOMP_GET_METADATA, "PTRACE_SECCOMP_GET_METADATA"),
        (GET_SYSCALL_INFO, "PTRACE_GET_SYSCALL_INFO"),
        (0x420f, "PTRACE_GET_RSEQ_CONFIGURATION"),
        (0x4210, "PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG"),
        (0x4211, "PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG"),
        (SET_SYSCALL_INFO, "PTRACE_SET_SYSCALL_INFO"),
        (12, "PTRACE_GETREGS"),
        (13, "PTRACE_SETREGS"),
        (14, "PTRACE_GETFPREGS"),
        (15, "PTRACE_SETFPREGS"),
        (18, "PTRACE_GETFPXREGS"),
        (19, "PTRACE_SETFPXREGS"),
        (21, "PTRACE_OLDSETOPTIONS"),
        (25, "PTRACE_GET_THREAD_AREA"),
        (26, "PTRACE_SET_THREAD_AREA"),
        (30, "PTRACE_ARCH_PRCTL"),
        (SYSEMU, "PTRACE_SYSEMU"),
        (SYSEMU_SINGLESTEP, "PTRACE_SYSEMU_SINGLESTEP"),
        (SINGLEBLOCK, "PTRACE_SINGLEBLOCK"),
    ],
    unknown: "PTRACE_???",
};

const OPTIONS: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "PTRACE_O_TRACESYSGOOD"),
    (1 << 1, "PTRACE_O_TRACEFORK"),
    (1 << 2, "PTRACE_O_TRACEVFORK"),
    (1 << 3, "PTRACE_O_TRACECLONE"),
    (1 << 4, "PTRACE_O_TRACEEXEC"),
    (1 << 5, "PTRACE_O_TRACEVFORKDONE"),
    (1 << 6, "PTRACE_O_TRACEEXIT"),
    (1 << 7, "PTRACE_O_TRACESECCOMP"),
    (1 << 20, "PTRACE_O_EXITKILL"),
    (1 << 21, "PTRACE_O_SUSPEND_SECCOMP"),
]);
use crate::kernel_consts::PEEKSIGINFO_FLAGS;

/// Regset types (elf.h's NT_*), the common ones.
const NT_TYPES: &[(u64, &str)] = &[
    (1, "NT_PRSTATUS"),
    (2, "NT_FPREGSET"),
    (3, "NT_PRPSINFO"),
    (4, "NT_PRXREG"),
    (5, "NT_PLATFORM"),
    (6, "NT_AUXV"),
    (0x200, "NT_386_TLS"),
    (0x201, "NT_386_IOPERM"),
    (0x202, "NT_X86_XSTATE"),
    (0x204, "NT_X86_SHSTK"),
    (0x205, "NT_X86_XSAVE_LAYOUT"),
    (0x400, "NT_ARM_VFP"),
    (0x401, "NT_ARM_TLS"),
    (0x402, "NT_ARM_HW_BREAK"),
    (0x403, "NT_ARM_HW_WATCH"),
    (0x404, "NT_ARM_SYSTEM_CALL"),
    (0x405, "NT_ARM_SVE"),
];

/// x86_64's `struct user`: the registers (8*NAME), then the other fields.
const X86_64_USER: &[(u64, &str)] = &[
    (0, "8*R15"),
    (8, "8*R14"),
    (16, "8*R13"),
    (24, "8*R12"),
    (32, "8*RBP"),
    (40, "8*RBX"),
    (48, "8*R11"),
    (56, "8*R10"),
    (64, "8*R9"),
    (72, "8*R8"),
    (80, "8*RAX"),
    (88, "8*RCX"),
    (96, "8*RDX"),
    (104, "8*RSI"),
    (112, "8*RDI"),
    (120, "8*ORIG_RAX"),
    (128, "8*RIP"),
    (136, "8*CS"),
    (144, "8*EFL"),
    (152, "8*RSP"),
    (160, "8*SS"),
    (216, "offsetof(struct user, u_fpvalid)"),
    (224, "offsetof(struct user, i387)"),
    (736, "offsetof(struct user, u_tsize)"),
    (744, "offsetof(struct user, u_dsize)"),
    (752, "offsetof(struct user, u_ssize)"),
    (760, "offsetof(struct user, start_code)"),
    (768, "offsetof(struct user, start_stack)"),
    (776, "offsetof(struct user, signal)"),
    (784, "offsetof(struct user, reserved)"),
    (792, "offsetof(struct user, u_ar0)"),
    (800, "offsetof(struct user, u_fpstate)"),
    (808, "offsetof(struct user, magic)"),
    (816, "offsetof(struct user, u_comm)"),
    (848, "offsetof(struct user, u_debugreg)"),
    (912, "sizeof(struct user)"),
];
const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;

/// A PEEKUSER/POKEUSER offset: `8*ORIG_RAX`, `8*SS+8`, or the address.
fn user_offset(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let table = if call.audit_arch() == AUDIT_ARCH_X86_64 {
        X86_64_USER
    } else {
        &[]
    };
    let below = table.iter().rev().find(|(offset, _)| *offset <= addr);
    let last = table.last().map(|(offset, _)| *offset);
    match below {
        // Nothing is named past the end of struct user.
        Some(&(offset, _)) if addr > offset && Some(offset) == last => out.pointer(addr),
        Some(&(offset, name)) if offset == addr => out.text(name),
        Some(&(offset, name)) => out.text_fmt(format_args!("{name}+{}", addr - offset)),
        None => out.pointer(addr),
    }
}

/// A word the kernel wrote: `[0x1122334455667788]`, or the address.
fn word_out(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, hex: bool) {
    if call.is_error() {
        out.pointer(addr);
        return;
    }
    let word = Layout::of(call).word;
    with_struct(call, out, addr, word, |out, f| {
        out.array(|out| {
            if hex {
                out.hex(f.word(0));
            } else {
                out.uint(f.word(0));
            }
        })
    });
}

/// The iovec of GETREGSET/SETREGSET: its base as an address, its length (and the
/// length the kernel wrote back, kept from entry in scratch[0]).
fn regset_iovec(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, before: Option<u64>) {
    let word = Layout::of(call).word;
    with_struct(call, out, addr, 2 * word, |out, f| {
        let (base, len) = (f.word(0), f.word(word));
        out.structure(|out| {
            out.field("iov_base");
            out.pointer(base);
            out.field("iov_len");
            match before {
                Some(before) if before != len => {
                    out.uint(before);
                    out.arrow();
                    out.uint(len);
                }
                _ => out.uint(len),
            }
        });
    });
}

fn iov_len(call: &Call<'_, '_>, addr: u64) -> Option<u64> {
    let layout = Layout::of(call);
    let mut bytes = [0u8; 16];
    let size = 2 * layout.word;
    (addr != 0 && call.tracee().read_exact(addr, &mut bytes[..size]))
        .then(|| Fields::new(&bytes[..size], layout).word(layout.word))
}

/// The requests whose data the kernel writes: shown at exit when structures are
/// read (`-e verbose`), else as an address at entry.
fn data_at_exit(request: u64) -> bool {
    matches!(
        request,
        PEEKTEXT
            | PEEKDATA
            | PEEKUSER
            | GETEVENTMSG
            | GETSIGINFO
            | GETSIGMASK
            | PEEKSIGINFO
            | SECCOMP_GET_FILTER
            | GET_SYSCALL_INFO
    )
}

pub fn ptrace(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let request = call.arg_ulong(0);
    let (addr, data) = (call.arg_ulong(2), call.arg_ulong(3));
    if phase == Phase::Exit {
        match call.scratch()[1] {
            1 => match request {
                PEEKTEXT | PEEKDATA | PEEKUSER => word_out(call, out, data, true),
                GETEVENTMSG => word_out(call, out, data, false),
                GETSIGMASK if !call.is_error() => sigset_at(call, out, data, addr),
                _ => out.pointer(data),
            },
            2 => {
                let before = call.scratch()[0];
                regset_iovec(call, out, data, Some(before));
            }
            _ => {}
        }
        return DecodeStatus::Complete;
    }
    out.constant_of(request, REQUESTS);
    if request == TRACEME {
        return DecodeStatus::Complete;
    }
    out.pid(call.arg_int(1), PidKind::Tgid);
    if matches!(request, ATTACH | INTERRUPT | KILL | LISTEN) {
        return DecodeStatus::Complete;
    }
    match request {
        PEEKUSER | POKEUSER => user_offset(call, out, addr),
        GETREGSET | SETREGSET => out.constant(addr & 0xffff_ffff, NT_TYPES, "NT_???"),
        GETSIGMASK | SETSIGMASK | SECCOMP_GET_FILTER | SECCOMP_GET_METADATA | GET_SYSCALL_INFO
        | SET_SYSCALL_INFO => out.uint(addr),
        PEEKSIGINFO => {
            with_struct(call, out, addr, 16, |out, f| {
                out.structure(|out| {
                    out.field("off");
                    out.uint(f.u64(0));
                    out.field("flags");
                    out.flags_or_unknown(f.u32(8), PEEKSIGINFO_FLAGS, "PTRACE_PEEKSIGINFO_???");
                    out.field("nr");
                    out.uint(f.u32(12));
                })
            });
        }
        _ => out.pointer(addr),
    }
    match request {
        CONT | DETACH | SYSCALL | SINGLESTEP | SINGLEBLOCK | SYSEMU | SYSEMU_SINGLESTEP => {
            out.signal(data as u32 as i32 as i64)
        }
        SEIZE | SETOPTIONS | 21 => out.flags_or_unknown(data, OPTIONS, "PTRACE_O_???"),
        SETSIGMASK => sigset_at(call, out, data, addr),
        GETREGSET => match iov_len(call, data) {
            Some(len) => {
                let scratch = call.scratch();
                scratch[0] = len;
                scratch[1] = 2;
                return DecodeStatus::MoreAtExit;
            }
            None => out.pointer(data),
        },
        SETREGSET => regset_iovec(call, out, data, None),
        _ if data_at_exit(request) && call.options().dereference => {
            call.scratch()[1] = 1;
            return DecodeStatus::MoreAtExit;
        }
        _ => out.pointer(data),
    }
    DecodeStatus::Complete
}
