//! The loaded plugins and which one decodes each syscall name.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rtrace_plugin_api::{
    CallContext, ConfigureFn, DecodeStatus, Emitter, Phase, PluginModRef, SessionOptions,
};

use crate::discovery::PluginSearch;
use crate::error::LoadError;
use crate::loader;
use crate::raw::emit_raw_args;

type DecodeEntry = extern "C" fn(u32, Phase, &mut CallContext<'_>, &mut Emitter) -> DecodeStatus;

/// Where a plugin's decoders come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PluginSource {
    /// Linked into the rtrace binary (a bundled family built in).
    BuiltIn,
    /// Loaded from this shared library.
    File(PathBuf),
}

impl std::fmt::Display for PluginSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PluginSource::BuiltIn => f.write_str("(built in)"),
            PluginSource::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// What `rtrace --list-plugins` shows about one plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginInfo {
    pub name: String,
    pub version: String,
    pub source: PluginSource,
    /// Every syscall the plugin claims (some may be overridden by a later plugin).
    pub syscalls: Vec<String>,
}

/// One decoder of one loaded plugin; cheap to copy, resolved once per syscall name.
#[derive(Clone, Copy)]
pub struct DecoderRef {
    plugin: u32,
    index: u32,
    entry: DecodeEntry,
}

impl DecoderRef {
    /// The position of the owning plugin in [`DecoderRegistry::list`].
    pub fn plugin_index(&self) -> usize {
        self.plugin as usize
    }
}

impl std::fmt::Debug for DecoderRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecoderRef")
            .field("plugin", &self.plugin)
            .field("index", &self.index)
            .finish()
    }
}

/// Why a call was shown raw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawReason {
    /// No plugin decodes this syscall.
    NoDecoder,
    /// The decoder declined the call.
    Declined,
    /// The decoder panicked (caught inside the plugin); its message.
    Panicked(String),
}

/// The result of [`DecoderRegistry::decode_or_raw`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    /// The decoder emitted the phase (`Complete` or `MoreAtExit`).
    Ok(DecodeStatus),
    /// The emitter holds the raw arguments (at entry) or nothing (at exit); the caller
    /// shows the call raw and, for a panic, adds a note.
    Raw(RawReason),
}

/// Every loaded plugin, and for each syscall name the decoder of the last plugin that
/// claims it. A built-in family gives way whole to a library of the same name: the
/// library's decoders replace all of the family's, as if it had never been added.
#[derive(Default)]
pub struct DecoderRegistry {
    plugins: Vec<PluginInfo>,
    modules: Vec<PluginModRef>,
    /// Each plugin's configure entry point, if it has one.
    configures: Vec<Option<ConfigureFn>>,
    by_syscall: HashMap<String, DecoderRef>,
    /// Each loaded plugin's canonical path, resolved once when it loaded.
    canonical_paths: Vec<Option<PathBuf>>,
}

impl DecoderRegistry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a family linked into the binary. Built-in families are added before any
    /// library, so that a library of the same name (found on the search path or given
    /// with `--plugin`) replaces it. `configure` is the family's `rtrace_configure`.
    pub fn add_builtin(
        &mut self,
        module: PluginModRef,
        configure: Option<ConfigureFn>,
    ) -> &PluginInfo {
        let info = Self::describe(module, PluginSource::BuiltIn);
        self.push(info, module, None, configure)
    }

    /// Loads every default plugin of `search` (what runs without `--no-default-plugins`).
    pub fn load_defaults(&mut self, search: &PluginSearch) -> Result<(), LoadError> {
        for path in search.default_plugins() {
            self.load(&path)?;
        }
        Ok(())
    }

    /// Loads `--plugin`'s argument, a path or a name resolved through `search`.
    pub fn load_spec(
        &mut self,
        search: &PluginSearch,
        spec: &str,
    ) -> Result<&PluginInfo, LoadError> {
        let path = search.resolve(spec)?;
        self.load(&path)
    }

    /// Loads one plugin library; its decoders override earlier ones for the syscalls
    /// it claims. Loading a file already loaded (same canonical path) changes nothing.
    pub fn load(&mut self, path: &Path) -> Result<&PluginInfo, LoadError> {
        let canonical = path.canonicalize().ok();
        if let Some(i) = self.position_of_file(canonical.as_deref()) {
            return Ok(&self.plugins[i]);
        }
        let opened = loader::open(path)?;
        let module = opened.module;
        let info = Self::describe(module, PluginSource::File(opened.path.clone()));
        if let Some(i) = self.plugins.iter().position(|p| p.name == info.name) {
            match &self.plugins[i].source {
                PluginSource::BuiltIn => self.remove(i),
                PluginSource::File(other) => {
                    return Err(LoadError::DuplicateName {
                        name: info.name,
                        path: opened.path,
                        other: other.clone(),
                    })
                }
            }
        }
        Ok(self.push(info, module, canonical, opened.configure))
    }

    /// Hands every loaded plugin the session's options (call it once every plugin is
    /// loaded, before decoding). A plugin built before 0.3.1 has no entry point for them
    /// and is skipped.
    pub fn configure(&self, options: &SessionOptions) {
        for configure in self.configures.iter().flatten() {
            // SAFETY: `options` is a whole live struct whose `size` is its own.
            unsafe { configure(options) };
        }
    }

    fn describe(module: PluginModRef, source: PluginSource) -> PluginInfo {
        PluginInfo {
            name: (module.name())().as_str().to_string(),
            version: (module.version())().as_str().to_string(),
            source,
            syscalls: (module.syscalls())()
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
        }
    }

    fn push(
        &mut self,
        info: PluginInfo,
        module: PluginModRef,
        canonical: Option<PathBuf>,
        configure: Option<ConfigureFn>,
    ) -> &PluginInfo {
        self.claim(self.plugins.len(), &info, module);
        self.plugins.push(info);
        self.modules.push(module);
        self.configures.push(configure);
        self.canonical_paths.push(canonical);
        self.plugins.last().expect("just pushed")
    }

    /// Points each syscall `info` claims at its decoder in plugin `plugin`.
    fn claim(&mut self, plugin: usize, info: &PluginInfo, module: PluginModRef) {
        let entry = module.decode();
        for (index, syscall) in info.syscalls.iter().enumerate() {
            let decoder = DecoderRef {
                plugin: plugin as u32,
                index: index as u32,
                entry,
            };
            self.by_syscall.insert(syscall.clone(), decoder);
        }
    }

    /// Drops plugin `i` and claims every syscall again in load order, so that what it
    /// had taken from earlier plugins goes back to them.
    fn remove(&mut self, i: usize) {
        self.plugins.remove(i);
        self.modules.remove(i);
        self.configures.remove(i);
        self.canonical_paths.remove(i);
        self.by_syscall.clear();
        let plugins = std::mem::take(&mut self.plugins);
        for (plugin, (info, module)) in plugins.iter().zip(self.modules.clone()).enumerate() {
            self.claim(plugin, info, module);
        }
        self.plugins = plugins;
    }

    /// The loaded plugins, in load order (for `--list-plugins`).
    pub fn list(&self) -> &[PluginInfo] {
        &self.plugins
    }

    /// The decoder for a syscall name, if any plugin claims it. Resolve once per
    /// syscall number and cache the result.
    pub fn decoder_for(&self, syscall: &str) -> Option<DecoderRef> {
        self.by_syscall.get(syscall).copied()
    }

    /// The plugin that decodes `syscall`, if any.
    pub fn owner_of(&self, syscall: &str) -> Option<&PluginInfo> {
        self.decoder_for(syscall)
            .map(|d| &self.plugins[d.plugin_index()])
    }

    /// Runs one phase of a decoder. The emitter is cleared first: each phase's tokens
    /// stand alone (render the entry's before decoding the exit).
    pub fn decode(
        &self,
        decoder: DecoderRef,
        phase: Phase,
        call: &mut CallContext<'_>,
        out: &mut Emitter,
    ) -> DecodeStatus {
        out.clear();
        (decoder.entry)(decoder.index, phase, call, out)
    }

    /// Decodes one phase, falling back to raw arguments (`nargs` of them, from the
    /// arch table) when there is no decoder or it declines or panics.
    pub fn decode_or_raw(
        &self,
        decoder: Option<DecoderRef>,
        phase: Phase,
        call: &mut CallContext<'_>,
        out: &mut Emitter,
        nargs: usize,
    ) -> Decoded {
        let reason = match decoder {
            None => RawReason::NoDecoder,
            Some(d) => match self.decode(d, phase, call, out) {
                status @ (DecodeStatus::Complete | DecodeStatus::MoreAtExit) => {
                    return Decoded::Ok(status)
                }
                DecodeStatus::Declined => RawReason::Declined,
                DecodeStatus::Panicked => {
                    RawReason::Panicked(String::from_utf8_lossy(&out.bytes).into_owned())
                }
            },
        };
        out.clear();
        if phase == Phase::Entry {
            emit_raw_args(&call.args, nargs, call.options.arg_names, out);
        }
        Decoded::Raw(reason)
    }

    fn position_of_file(&self, canonical: Option<&Path>) -> Option<usize> {
        let wanted = canonical?;
        self.canonical_paths
            .iter()
            .position(|p| p.as_deref() == Some(wanted))
    }
}
