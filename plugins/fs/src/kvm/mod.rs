//! KVM's ioctls (`/dev/kvm`, a VM's and a vcpu's fds), as strace prints them: every
//! request named from `<linux/kvm.h>` (`names`, generated), and the arguments strace
//! decodes: KVM_CREATE_VCPU's id (its result an fd, as KVM_CREATE_VM's),
//! KVM_SET_USER_MEMORY_REGION's region, KVM_CHECK_EXTENSION's capability, the x86
//! register sets (`regs`) and CPUID tables. With `-e kvm=vcpu`, KVM_RUN's result is
//! followed by the vcpu's exit reason, read from the `struct kvm_run` the vcpu's fd
//! maps into the tracee (`vcpu`). Other requests show their argument in hex.

mod names;
mod regs;
mod vcpu;

use rtrace_sdk::kstruct::with_struct;
use rtrace_sdk::session;
use rtrace_sdk::{Call, DecodeStatus, FlagTable, Out, Phase, ReturnStyle};

/// strace's name for the KVM request `code`, if it is one.
pub fn request_name(code: u64) -> Option<&'static str> {
    let code = u32::try_from(code).ok()?;
    let index = names::IOCTLS
        .binary_search_by_key(&code, |(c, _)| *c)
        .ok()?;
    Some(names::IOCTLS[index].1)
}

static MEMORY_FLAGS: FlagTable = FlagTable::bits(names::MEMORY_FLAGS);

/// `struct kvm_userspace_memory_region`: slot, flags (u32), then three u64.
const MEMORY_REGION_SIZE: usize = 32;

/// `struct kvm_run`'s `exit_reason` (a u32 after two u8 and six bytes of padding).
const EXIT_REASON_OFFSET: u64 = 8;

/// How one request's argument is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Argument {
    /// The value in hex (requests strace names but does not decode).
    Raw,
    /// The vcpu id, an unsigned int passed by value; the result is the vcpu's fd.
    VcpuId,
    /// KVM_CREATE_VM: the machine type in hex; the result is the VM's fd.
    NewVm,
    MemoryRegion,
    Capability,
    /// A structure the caller fills in (`In`) or the kernel fills in (`Out`).
    Regs {
        filled_by_kernel: bool,
    },
    Sregs {
        filled_by_kernel: bool,
    },
    Cpuid {
        filled_by_kernel: bool,
    },
    /// KVM_RUN: the value in hex; with `-e kvm=vcpu`, the exit reason after the result.
    Run,
}

impl Argument {
    fn of(name: &str) -> Argument {
        match name {
            "KVM_CREATE_VCPU" => Argument::VcpuId,
            "KVM_CREATE_VM" => Argument::NewVm,
            "KVM_SET_USER_MEMORY_REGION" => Argument::MemoryRegion,
            "KVM_CHECK_EXTENSION" => Argument::Capability,
            "KVM_SET_REGS" => Argument::Regs {
                filled_by_kernel: false,
            },
            "KVM_GET_REGS" => Argument::Regs {
                filled_by_kernel: true,
            },
            "KVM_SET_SREGS" => Argument::Sregs {
                filled_by_kernel: false,
            },
            "KVM_GET_SREGS" => Argument::Sregs {
                filled_by_kernel: true,
            },
            "KVM_SET_CPUID2" => Argument::Cpuid {
                filled_by_kernel: false,
            },
            "KVM_GET_SUPPORTED_CPUID" | "KVM_GET_EMULATED_CPUID" => Argument::Cpuid {
                filled_by_kernel: true,
            },
            "KVM_RUN" => Argument::Run,
            _ => Argument::Raw,
        }
    }

    fn filled_by_kernel(self) -> bool {
        matches!(
            self,
            Argument::Regs {
                filled_by_kernel: true
            } | Argument::Sregs {
                filled_by_kernel: true
            } | Argument::Cpuid {
                filled_by_kernel: true
            }
        )
    }
}

/// ioctl(fd, request, arg) for the KVM request `name` (`code`).
pub fn ioctl(
    phase: Phase,
    call: &mut Call<'_, '_>,
    out: &mut Out<'_>,
    code: u64,
    name: &'static str,
) -> DecodeStatus {
    let argument = Argument::of(name);
    if matches!(argument, Argument::VcpuId | Argument::NewVm) {
        out.return_style(ReturnStyle::Fd);
    }
    match phase {
        Phase::Entry => {
            out.fd(call.arg_int(0) as i32);
            out.named(name, code as i64, true);
            if argument.filled_by_kernel() {
                return DecodeStatus::MoreAtExit;
            }
            emit_argument(call, out, argument);
        }
        Phase::Exit if argument.filled_by_kernel() => {
            if call.is_error() {
                out.pointer(call.arg_ulong(2));
            } else {
                emit_argument(call, out, argument);
            }
        }
        Phase::Exit if argument == Argument::Run => exit_reason(call, out),
        Phase::Exit => {}
    }
    DecodeStatus::Complete
}

fn emit_argument(call: &Call<'_, '_>, out: &mut Out<'_>, argument: Argument) {
    let addr = call.arg_ulong(2);
    match argument {
        Argument::Raw | Argument::NewVm | Argument::Run => out.hex(addr),
        Argument::VcpuId => out.uint(addr & 0xffff_ffff),
        // strace's printxval64: hex under -X raw and -X verbose.
        Argument::Capability => match names::CAPABILITIES.iter().find(|(v, _)| *v == addr) {
            Some((_, name)) => out.named(name, addr as i64, true),
            None => out.constant(addr, names::CAPABILITIES, "KVM_CAP_???"),
        },
        Argument::MemoryRegion => {
            with_struct(call, out, addr, MEMORY_REGION_SIZE, |out, f| {
                out.structure(|out| {
                    out.field("slot");
                    out.uint(f.u32(0));
                    out.field("flags");
                    out.flags(f.u32(4), &MEMORY_FLAGS);
                    out.field("guest_phys_addr");
                    out.hex(f.u64(8));
                    out.field("memory_size");
                    out.uint(f.u64(16));
                    out.field("userspace_addr");
                    out.hex(f.u64(24));
                })
            });
        }
        Argument::Regs { .. } => regs::emit_regs(call, out, addr),
        Argument::Sregs { .. } => regs::emit_sregs(call, out, addr),
        Argument::Cpuid { .. } => regs::emit_cpuid(call, out, addr),
    }
}

/// ` (KVM_EXIT_HLT)` after a successful KVM_RUN, under `-e kvm=vcpu`, when the vcpu's
/// `struct kvm_run` is mapped and readable (strace prints nothing otherwise).
fn exit_reason(call: &Call<'_, '_>, out: &mut Out<'_>) {
    if call.is_error() || !session::options().kvm_vcpu_exit_reason {
        return;
    }
    let Some(area) = vcpu::run_area(call, call.arg_int(0) as i32) else {
        return;
    };
    if area.len < names::KVM_RUN_SIZE {
        return;
    }
    let mut reason = [0u8; 4];
    if !call
        .tracee()
        .read_data_exact(area.start + EXIT_REASON_OFFSET, &mut reason)
    {
        return;
    }
    let reason = if call.big_endian() {
        u32::from_be_bytes(reason)
    } else {
        u32::from_le_bytes(reason)
    };
    out.return_note();
    match names::EXIT_REASONS
        .iter()
        .find(|(value, _)| *value == u64::from(reason))
    {
        Some((_, name)) => out.name(name),
        None => out.name("KVM_EXIT_???"),
    }
}
