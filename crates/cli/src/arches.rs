//! The architectures this rtrace can trace, chosen per stop by AUDIT_ARCH.

use rtrace_arch::RegisterAbi;

pub struct Arches {
    list: Vec<&'static dyn RegisterAbi>,
}

impl Arches {
    /// Every ABI this build traces; the first is the tracer's own.
    pub fn all() -> Self {
        #[cfg(target_arch = "x86_64")]
        let list: Vec<&'static dyn RegisterAbi> = vec![&rtrace_arch_x86_64::X86_64];
        #[cfg(target_arch = "arm")]
        let list: Vec<&'static dyn RegisterAbi> = vec![&rtrace_arch_arm::Arm];
        Arches { list }
    }

    pub fn native(&self) -> &'static dyn RegisterAbi {
        self.list[0]
    }

    pub fn by_audit_arch(&self, audit_arch: u32) -> Option<&'static dyn RegisterAbi> {
        self.list
            .iter()
            .copied()
            .find(|a| a.audit_arch() == audit_arch)
    }

    pub fn iter(&self) -> impl Iterator<Item = &'static dyn RegisterAbi> + '_ {
        self.list.iter().copied()
    }
}
