//! The two ARM machines test-arm boots, and the toolchains of the programs they run: one
//! table, so that every step (setup, cross builds, the initramfs, qemu) reads the same facts.

use super::kernel::Flavour;

/// A Debian cross toolchain and the ABI its programs have.
#[derive(Debug, PartialEq, Eq)]
pub struct Toolchain {
    /// The ABI's name in file names and reports: `armhf`, `aarch64` (also the name the
    /// reference strace for its programs is found by, `rtrace_tests::locate`).
    pub abi: &'static str,
    /// The GNU triplet: tool prefix (`arm-linux-gnueabihf-gcc`) and multiarch library
    /// directory (`/lib/arm-linux-gnueabihf`, where the loader looks first).
    pub triplet: &'static str,
    /// Where Debian's cross packages install the target's libraries and headers.
    pub sysroot: &'static str,
    /// dpkg's name of the architecture (for the target's packages: zlib, the kernel).
    pub dpkg_arch: &'static str,
    /// Debian's cross packages: gcc, binutils, the static and shared libc, libgcc_s.
    pub packages: CrossPackages,
    /// qemu's user-mode emulator for the ABI (runs unit tests; it has no ptrace).
    pub qemu_user: &'static str,
}

#[derive(Debug, PartialEq, Eq)]
pub struct CrossPackages {
    pub gcc: &'static str,
    pub binutils: &'static str,
    pub libc_dev: &'static str,
    pub libc: &'static str,
    pub libgcc: &'static str,
}

impl Toolchain {
    pub fn tool(&self, name: &str) -> String {
        format!("{}-{name}", self.triplet)
    }
}

pub const ARMHF: Toolchain = Toolchain {
    abi: "armhf",
    triplet: "arm-linux-gnueabihf",
    sysroot: "/usr/arm-linux-gnueabihf",
    dpkg_arch: "armhf",
    packages: CrossPackages {
        gcc: "gcc-arm-linux-gnueabihf",
        binutils: "binutils-arm-linux-gnueabihf",
        libc_dev: "libc6-dev-armhf-cross",
        libc: "libc6-armhf-cross",
        libgcc: "libgcc-s1-armhf-cross",
    },
    qemu_user: "qemu-arm",
};

pub const AARCH64: Toolchain = Toolchain {
    abi: "aarch64",
    triplet: "aarch64-linux-gnu",
    sysroot: "/usr/aarch64-linux-gnu",
    dpkg_arch: "arm64",
    packages: CrossPackages {
        gcc: "gcc-aarch64-linux-gnu",
        binutils: "binutils-aarch64-linux-gnu",
        libc_dev: "libc6-dev-arm64-cross",
        libc: "libc6-arm64-cross",
        libgcc: "libgcc-s1-arm64-cross",
    },
    qemu_user: "qemu-aarch64",
};

/// One VM: the rtrace build it runs, the kernel it boots, the programs it traces.
#[derive(Debug)]
pub struct Machine {
    /// `armv7`, `aarch64`: in reports and directory names.
    pub name: &'static str,
    /// The Rust target rtrace is built for.
    pub rust_target: &'static str,
    /// The toolchain of rtrace, its plugins and init.
    pub native: &'static Toolchain,
    /// The ABIs of the programs traced, each by rtrace and by its reference strace: the
    /// native one, and on aarch64 also ARM EABI programs, run in compat mode.
    pub program_abis: &'static [&'static Toolchain],
    pub qemu_system: &'static str,
    /// `-cpu` of qemu's virt board.
    pub cpu: &'static str,
    pub kernel: Flavour,
}

pub const MACHINES: &[Machine] = &[
    Machine {
        name: "armv7",
        rust_target: "armv7-unknown-linux-gnueabihf",
        native: &ARMHF,
        program_abis: &[&ARMHF],
        qemu_system: "qemu-system-arm",
        cpu: "cortex-a15",
        kernel: Flavour {
            name: "armmp",
            dpkg_arch: "armhf",
        },
    },
    Machine {
        name: "aarch64",
        rust_target: "aarch64-unknown-linux-gnu",
        native: &AARCH64,
        program_abis: &[&AARCH64, &ARMHF],
        qemu_system: "qemu-system-aarch64",
        cpu: "cortex-a57",
        kernel: Flavour {
            name: "arm64",
            dpkg_arch: "arm64",
        },
    },
];

/// Every toolchain some machine uses, each once.
pub fn toolchains() -> Vec<&'static Toolchain> {
    let mut all: Vec<&'static Toolchain> = Vec::new();
    for machine in MACHINES {
        for toolchain in std::iter::once(machine.native).chain(machine.program_abis.iter().copied())
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
            assert_eq!(machine.program_abis[0], machine.native, "{}", machine.name);
            assert_eq!(machine.kernel.dpkg_arch, machine.native.dpkg_arch);
        }
        let aarch64 = MACHINES.iter().find(|m| m.name == "aarch64").unwrap();
        assert!(aarch64.program_abis.contains(&&ARMHF));
        assert_eq!(toolchains(), [&ARMHF, &AARCH64]);
    }
}
