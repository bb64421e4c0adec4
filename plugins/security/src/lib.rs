//! rtrace's bundled `security` plugin: Landlock (landlock_create_ruleset,
//! landlock_add_rule, landlock_restrict_self) and the Linux security module calls
//! (lsm_list_modules, lsm_get_self_attr, lsm_set_self_attr).
//!
//! Owns: the family's decoder table, its constants (linux/landlock.h, linux/lsm.h)
//! and the layouts of landlock_ruleset_attr, the rule attributes and lsm_ctx. Must
//! not know: how it is loaded, ptrace, or how values are rendered; it depends on
//! `rtrace-sdk` alone.

mod kernel_consts;
mod landlock;
mod lsm;

use rtrace_sdk::{syscall, Syscall};

/// Every syscall this plugin decodes; a decoder's index here is its id on the wire.
pub const DECODERS: &[Syscall] = &[
    syscall!(
        "landlock_create_ruleset",
        custom = landlock::landlock_create_ruleset,
        names = [attr, size, flags],
    ),
    syscall!(
        "landlock_add_rule",
        custom = landlock::landlock_add_rule,
        names = [ruleset_fd, rule_type, rule_attr, flags],
    ),
    syscall!("landlock_restrict_self", [ruleset_fd: Fd, flags: Hex]),
    syscall!(
        "lsm_list_modules",
        custom = lsm::lsm_list_modules,
        names = [ids, size, flags]
    ),
    syscall!(
        "lsm_get_self_attr",
        custom = lsm::lsm_get_self_attr,
        names = [attr, ctx, size, flags],
    ),
    syscall!(
        "lsm_set_self_attr",
        custom = lsm::lsm_set_self_attr,
        names = [attr, ctx, size, flags],
    ),
];

rtrace_sdk::export_plugin! {
    name: "security",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}
