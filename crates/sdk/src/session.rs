//! The options that hold for the whole trace (`-e kvm=vcpu`), which the host hands a
//! plugin once through `PluginMod::configure`, kept here for its decoders. A plugin
//! built as a cdylib has its own copy; the families built into rtrace share one, set
//! with the same options.

use std::sync::atomic::{AtomicBool, Ordering};

use rtrace_plugin_api::SessionOptions;

static KVM_VCPU_EXIT_REASON: AtomicBool = AtomicBool::new(false);

/// Keeps the session's options (the exported `configure` entry point calls it).
pub fn configure(options: &SessionOptions) {
    KVM_VCPU_EXIT_REASON.store(options.kvm_vcpu_exit_reason, Ordering::Relaxed);
}

/// The options last configured, or the defaults.
pub fn options() -> SessionOptions {
    SessionOptions {
        kvm_vcpu_exit_reason: KVM_VCPU_EXIT_REASON.load(Ordering::Relaxed),
    }
}
