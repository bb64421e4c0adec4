//! The host side of rtrace decoding: finding and loading decoder plugins, choosing a
//! decoder per syscall name, calling it, and the raw fallback.
//!
//! Owns: plugin discovery ([`PluginSearch`]), loading with libloading and abi_stable
//! with one-line errors ([`LoadError`]), the registry and dispatch
//! ([`DecoderRegistry`]), the host services plugins call back into, built over the
//! [`TraceeAccess`] trait (the test double of a tracee lives in rtrace-plugin-testing).
//!
//! Must not know: the engine or ptrace (the CLI implements [`TraceeAccess`] over the
//! engine), architectures (the caller passes names and argument counts), any
//! syscall's meaning, or how tokens are rendered.
//!
//! Use from the CLI (here against a fake tracee, with no plugin loaded, so the call
//! falls back to raw arguments):
//! ```
//! use rtrace_decode::*;
//!
//! let search = PluginSearch::new(None, None);
//! let mut registry = DecoderRegistry::new();
//! registry.load_defaults(&search).unwrap();             // --no-default-plugins skips this
//! for spec in ["--plugin arguments"; 0] {
//!     registry.load_spec(&search, spec).unwrap();
//! }
//! let decoder = registry.decoder_for("close");          // the caller caches it per number
//! let tracee = rtrace_plugin_testing::FakeTracee::new();
//! let binding = HostBinding::new(&tracee, 1, 8, false);
//! let mut ctx = binding.call_context("close", 3, [3, 0, 0, 0, 0, 0], DecodeOptions::default());
//! let mut emitter = Emitter::default();
//! let decoded = registry.decode_or_raw(decoder, Phase::Entry, &mut ctx, &mut emitter, 1);
//! assert_eq!(decoded, Decoded::Raw(RawReason::NoDecoder));
//! assert_eq!(emitter.tokens.len(), 1);
//! ```

mod claims_reader;
mod discovery;
mod error;
mod host;
mod loader;
mod raw;
mod registry;

pub use discovery::{
    user_plugin_dir, PluginSearch, SearchInputs, PLUGIN_PATH_VAR, PREFIX_PLUGIN_DIR,
};
pub use error::LoadError;
pub use host::{HostBinding, TraceeAccess};
pub use raw::emit_raw_args;
pub use registry::{Decoded, DecoderRef, DecoderRegistry, PluginInfo, PluginSource, RawReason};
pub use rtrace_plugin_api::{CallContext, DecodeOptions, DecodeStatus, Emitter, Phase, Token};
