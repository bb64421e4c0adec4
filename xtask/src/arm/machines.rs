//! The two ARM machines test-arm boots, and the toolchains of the programs they run: one
//! table, so that every step (setup, cross builds, the initramfs, qemu) reads the same
//! facts. The targets and their cross toolchains themselves are `crate::targets`'.

use super::kernel::Flavour;
use crate::targets::{self, Target, Toolchain, AARCH64_CROSS, ARMHF_CROSS};

/// One VM: the rtrace build it runs, the kernel it boots, the programs it traces.
#[derive(Debug)]
pub struct Machine {
    /// `armv7`, `aarch64`: in reports and directory names.
    pub name: &'static str,
    /// The Rust target rtrace, its plugins and init are built for (with its toolchain).
    pub target: &'static Target,
    /// The ABIs of the programs traced, each by rtrace and by its reference strace: the
    /// native one, and on aarch64 also ARM EABI programs, run in compat mode.
    pub program_abis: &'static [&'static Toolchain],
    pub qemu_system: &'static str,
    /// `-cpu` of qemu's virt board.
    pub cpu: &'static str,
    pub kernel: Flavour,
    /// rtrace built for the machine unwinds stacks (`-k`): framehop, its unwinder, knows
    /// aarch64 but not 32-bit ARM, where `rtrace_stack::Stacks::unsupported` refuses it.
    pub unwinds_stacks: bool,
}

pub const MACHINES: &[Machine] = &[
    Machine {
        name: "armv7",
        target: &targets::ARMV7,
        program_abis: &[&ARMHF_CROSS],
        qemu_system: "qemu-system-arm",
        cpu: "cortex-a15",
        kernel: Flavour {
            name: "armmp",
            dpkg_arch: "armhf",
        },
        unwinds_stacks: false,
    },
    Machine {
        name: "aarch64",
        target: &targets::AARCH64,
        program_abis: &[&AARCH64_CROSS, &ARMHF_CROSS],
        qemu_system: "qemu-system-aarch64",
        cpu: "cortex-a57",
        kernel: Flavour {
            name: "arm64",
            dpkg_arch: "arm64",
        },
        unwinds_stacks: true,
    },
];

impl Machine {
    /// The toolchain of rtrace, its plugins and init: the target's.
    pub fn native(&self) -> &'static Toolchain {
        self.target
            .cross
            .expect("an ARM machine's target is cross-built")
    }
}

/// Every toolchain some machine uses, each once.
pub fn toolchains() -> Vec<&'static Toolchain> {
    let mut all: Vec<&'static Toolchain> = Vec::new();
    for machine in MACHINES {
        for toolchain in
            std::iter::once(machine.native()).chain(machine.program_abis.iter().copied())
        {
            if !all.contains(&toolchain) {
                all.push(toolchain);
            }
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_machine_traces_its_own_abi_and_aarch64_also_eabi() {
        for machine in MACHINES {
            assert_eq!(
                machine.program_abis[0],
                machine.native(),
                "{}",
                machine.name
            );
            assert_eq!(machine.kernel.dpkg_arch, machine.native().dpkg_arch);
        }
        let aarch64 = MACHINES.iter().find(|m| m.name == "aarch64").unwrap();
        assert!(aarch64.program_abis.contains(&&ARMHF_CROSS));
        assert_eq!(toolchains(), [&ARMHF_CROSS, &AARCH64_CROSS]);
    }
}
