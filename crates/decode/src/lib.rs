//! The host side of rtrace decoding: finding and loading decoder plugins, choosing a
//! decoder per syscall name, calling it, and the raw fallback.
//!
//! Owns: plugin discovery ([`PluginSearch`]), loading with libloading and abi_stable
//! with one-line errors ([`LoadError`]), the registry and dispatch
//! ([`DecoderRegistry`]), the host services plugins call back into, built over the
//! [`TraceeAccess`] trait, and a fake tracee for tests ([`FakeTracee`]).
//!
//! Must not know: the engine or ptrace (the CLI implements [`TraceeAccess`] over the
//! engine), architectures (the caller passes names and argument counts), any
//! syscall's meaning, or how tokens are rendered.
//!
//! Use from the CLI:
//! ```ignore
//! let search = PluginSearch::from_environment();
//! let mut registry = DecoderRegistry::new();
//! if !no_default_plugins { registry.load_defaults(&search)?; }
//! for spec in &plugin_args { registry.load_spec(&search, spec)?; }   // --plugin
//! // --list-plugins: registry.list()
//! let decoder = registry.decoder_for("openat");                       // cache per number
//! let binding = HostBinding::new(&engine_access, pid, 8, false);
//! let mut ctx = binding.call_context("openat", 257, args, options);
//! match registry.decode_or_raw(decoder, Phase::Entry, &mut ctx, &mut emitter, nargs) { .. }
//! ```

mod discovery;
mod error;
mod fake;
mod host;
mod loader;
mod raw;
mod registry;

pub use discovery::{PluginSearch, PLUGIN_PATH_VAR};
pub use error::LoadError;
pub use fake::FakeTracee;
pub use host::{HostBinding, TraceeAccess};
pub use raw::emit_raw_args;
pub use registry::{Decoded, DecoderRef, DecoderRegistry, PluginInfo, RawReason};
pub use rtrace_plugin_api::{CallContext, DecodeOptions, DecodeStatus, Emitter, Phase, Token};
