//! The SDK for rtrace decoder plugins: the one rtrace crate a plugin depends on.
//!
//! Owns: the declarative decoder table ([`syscall!`], [`Arg`], [`FlagTable`]), the safe
//! value builder over the host's token stream ([`Out`]), safe wrappers over the host's
//! fallible services ([`Call`], [`Tracee`]), and [`export_plugin!`], which makes a
//! crate a loadable plugin and keeps panics inside it.
//!
//! Must not know: ptrace, architectures' register layouts, how values are rendered,
//! or how plugins are found and loaded (that is `rtrace-decode`, on the host side).
//!
//! A decoder emits typed values, never text; see PLUGINS.md at the repository root.

pub mod array;
pub mod bpf_filter;
mod call;
mod decoder_table;
mod device;
pub mod errno;
mod export;
mod flags;
pub mod ioprio;
pub mod iovec;
mod kernel_consts;
pub mod kstruct;
pub mod netdev;
pub mod session;
pub mod shared_flags;
pub mod sigevent;
pub mod siginfo;
pub mod signals;
mod sigset;
pub mod sockets;
mod timestamp;
mod tracee;
mod unknown_flags;
mod value_builder;

pub use call::Call;
pub use decoder_table::{
    decode, decode_args, Arg, ArgFn, ConstTable, DecodeFn, Decoding, Ret, Syscall,
};
pub use export::{dispatch, ROOT_MODULE_SYMBOL};
pub use flags::{FlagField, FlagTable};
pub use signals::{signal_name, SIGRTMAX, SIGRTMIN};
pub use sigset::{sigset_at, write_sigset_text, KERNEL_SIGSET_BYTES};
pub use timestamp::Timestamp;
pub use tracee::Tracee;
pub use value_builder::{shown_bytes, Out, MAX_STRING_READ, PATH_MAX};

/// The interface types, for custom decoders and tests.
pub use rtrace_plugin_api as api;
pub use rtrace_plugin_api::{
    AbiFacts, CStrRead, CallContext, DecodeOptions, DecodeStatus, Emitter, HostServices,
    OpenFlagValues, Phase, PidKind, ReturnStyle, SessionOptions, SigmaskAt, StatLayout, StrStyle,
    Token, INTERFACE_VERSION,
};

/// What the macros expand to; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use crate::export::{dispatch, install_quiet_panic_hook, syscall_names, syscall_strs};
    pub use crate::session::configure_from_host;
    pub use abi_stable;
    pub use rtrace_plugin_api::{
        claims_bytes, claims_len, CallContext, DecodeStatus, Emitter, Phase, PluginMod,
        PluginModRef, SessionOptions, INTERFACE_FINGERPRINT,
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn root_module_symbol_matches_abi_stable() {
        assert_eq!(
            crate::ROOT_MODULE_SYMBOL,
            abi_stable::library::ROOT_MODULE_LOADER_NAME
        );
    }

    /// `export_plugin!` names the claims section in an attribute, which takes only a
    /// literal: it must be the one the host reads.
    #[test]
    fn claims_section_matches_the_interface() {
        let source = include_str!("export.rs");
        let attribute = format!("link_section = \"{}\"", rtrace_plugin_api::CLAIMS_SECTION);
        assert!(source.contains(&attribute), "export.rs lacks {attribute}");
    }
}
