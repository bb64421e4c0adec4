//! The personalities this rtrace can trace, chosen per stop by AUDIT_ARCH (and, for x32,
//! by a bit of the number). Which ABIs a build carries is decided here, per target, and
//! nowhere else.

use std::cell::RefCell;

use rtrace_arch::{RegisterAbi, UnknownAbi};

/// The ABIs of this build, the tracer's own first.
#[cfg(target_arch = "x86_64")]
const ABIS: &[&dyn RegisterAbi] = &[
    &rtrace_arch_x86_64::X86_64,
    &rtrace_arch_i386::I386,
    &rtrace_arch_x32::X32,
];
#[cfg(target_arch = "aarch64")]
const ABIS: &[&dyn RegisterAbi] = &[&rtrace_arch_aarch64::Aarch64, &rtrace_arch_arm::Arm];
#[cfg(target_arch = "arm")]
const ABIS: &[&dyn RegisterAbi] = &[&rtrace_arch_arm::Arm];

pub struct Arches {
    list: &'static [&'static dyn RegisterAbi],
    /// Personalities met that this build has no ABI for, each made once (and leaked:
    /// a handful at most, for the life of the process).
    unknown: RefCell<Vec<&'static UnknownAbi>>,
}

impl Arches {
    /// Every ABI this build traces; the first is the tracer's own.
    pub fn all() -> Self {
        Arches {
            list: ABIS,
            unknown: RefCell::default(),
        }
    }

    /// The stand-in for an audit arch no ABI of this build claims: its calls print raw.
    /// The first time each is met, one line on stderr says so.
    pub fn unknown(&self, audit_arch: u32) -> &'static dyn RegisterAbi {
        let mut unknown = self.unknown.borrow_mut();
        if let Some(abi) = unknown.iter().find(|a| a.audit_arch() == audit_arch) {
            return *abi;
        }
        let name: &'static str = Box::leak(format!("audit_arch_{audit_arch:#x}").into());
        crate::say(format_args!(
            "this build has no ABI for audit arch {audit_arch:#x}: its syscalls are shown raw"
        ));
        let abi: &'static UnknownAbi = Box::leak(Box::new(UnknownAbi::new(audit_arch, name)));
        unknown.push(abi);
        abi
    }

    pub fn native(&self) -> &'static dyn RegisterAbi {
        self.list[0]
    }

    /// The ABI a syscall stop belongs to, from what PTRACE_GET_SYSCALL_INFO reports.
    pub fn for_stop(&self, audit_arch: u32, number: u64) -> Option<&'static dyn RegisterAbi> {
        self.list
            .iter()
            .copied()
            .find(|a| a.claims(audit_arch, number))
    }

    pub fn iter(&self) -> impl Iterator<Item = &'static dyn RegisterAbi> + '_ {
        self.list.iter().copied()
    }
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;

    #[test]
    fn x86_64_builds_tell_the_three_personalities_apart() {
        let arches = Arches::all();
        let name = |arch: u32, nr: u64| arches.for_stop(arch, nr).map(|a| a.name());
        assert_eq!(name(0xc000_003e, 39), Some("x86_64"));
        assert_eq!(name(0xc000_003e, 0x4000_0000 | 39), Some("x32"));
        assert_eq!(name(0x4000_0003, 20), Some("i386"));
        assert_eq!(name(0xc000_00b7, 172), None);
        assert_eq!(arches.native().name(), "x86_64");
    }
}
