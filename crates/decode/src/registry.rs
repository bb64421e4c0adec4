//! The loaded plugins and which one decodes each syscall name.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rtrace_plugin_api::{CallContext, DecodeStatus, Emitter, Phase, PluginModRef};

use crate::discovery::PluginSearch;
use crate::error::LoadError;
use crate::loader;
use crate::raw::emit_raw_args;

type DecodeEntry = extern "C" fn(u32, Phase, &mut CallContext<'_>, &mut Emitter) -> DecodeStatus;

/// What `rtrace --list-plugins` shows about one plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginInfo {
    pub name: String,
    pub version: String,
    pub path: PathBuf,
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
/// claims it.
#[derive(Default)]
pub struct DecoderRegistry {
    plugins: Vec<PluginInfo>,
    modules: Vec<PluginModRef>,
    by_syscall: HashMap<String, DecoderRef>,
    /// Each loaded plugin's canonical path, resolved once when it loaded.
    canonical_paths: Vec<Option<PathBuf>>,
}

impl DecoderRegistry {
    pub fn new() -> Self {
        Self::default()
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
        let name = (module.name())().as_str().to_string();
        if let Some(other) = self.plugins.iter().find(|p| p.name == name) {
            return Err(LoadError::DuplicateName {
                name,
                path: opened.path,
                other: other.path.clone(),
            });
        }
        let info = PluginInfo {
            name,
            version: (module.version())().as_str().to_string(),
            path: opened.path,
            syscalls: (module.syscalls())()
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
        };
        let plugin = self.plugins.len() as u32;
        let entry = module.decode();
        for (index, syscall) in info.syscalls.iter().enumerate() {
            let decoder = DecoderRef {
                plugin,
                index: index as u32,
                entry,
            };
            self.by_syscall.insert(syscall.clone(), decoder);
        }
        self.plugins.push(info);
        self.modules.push(module);
        self.canonical_paths.push(canonical);
        Ok(self.plugins.last().expect("just pushed"))
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
            emit_raw_args(&call.args, nargs, out);
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
