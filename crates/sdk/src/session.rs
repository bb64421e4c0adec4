//! The options that hold for the whole trace (`-e kvm=vcpu`), which the host hands a
//! plugin once through its exported `rtrace_configure` (`ConfigureFn`), kept here for
//! its decoders. A plugin built as a cdylib has its own copy; the families built into
//! rtrace share one, set with the same options.

use std::sync::atomic::{AtomicBool, Ordering};

use rtrace_plugin_api::SessionOptions;

static KVM_VCPU_EXIT_REASON: AtomicBool = AtomicBool::new(false);

/// Keeps the session's options.
pub fn configure(options: &SessionOptions) {
    KVM_VCPU_EXIT_REASON.store(options.kvm_vcpu_exit_reason, Ordering::Relaxed);
}

/// What the exported `rtrace_configure` runs: the fields `options.size` covers, the
/// defaults for the others (an older host's struct is shorter).
///
/// # Safety
/// As [`rtrace_plugin_api::ConfigureFn`]: `options` is null or points to a live
/// `SessionOptions` of at least `(*options).size` bytes.
pub unsafe fn configure_from_host(options: *const SessionOptions) {
    if options.is_null() {
        return;
    }
    let base = options.cast::<u8>();
    // SAFETY: `size` is the first field, present in every version of the struct.
    let size = unsafe { std::ptr::read_unaligned(base.cast::<u32>()) } as usize;
    let mut known = SessionOptions::default();
    let kvm = std::mem::offset_of!(SessionOptions, kvm_vcpu_exit_reason);
    if size > kvm {
        // SAFETY: within the `size` bytes the caller vouches for; a bool's byte.
        known.kvm_vcpu_exit_reason = unsafe { base.add(kvm).read() } != 0;
    }
    configure(&known);
}

/// The options last configured, or the defaults.
pub fn options() -> SessionOptions {
    SessionOptions {
        kvm_vcpu_exit_reason: KVM_VCPU_EXIT_REASON.load(Ordering::Relaxed),
        ..SessionOptions::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shorter_struct_leaves_the_defaults() {
        let full = SessionOptions {
            kvm_vcpu_exit_reason: true,
            ..SessionOptions::default()
        };
        // SAFETY: a live struct of its own size.
        unsafe { configure_from_host(&full) };
        assert!(options().kvm_vcpu_exit_reason);
        let older = SessionOptions {
            size: 4,
            kvm_vcpu_exit_reason: true,
        };
        // SAFETY: as above; the size says less than the struct holds.
        unsafe { configure_from_host(&older) };
        assert!(!options().kvm_vcpu_exit_reason);
        configure(&SessionOptions::default());
    }
}
