//! The loaded plugins and which one decodes each syscall name.
//!
//! A default plugin library whose file carries a claims section is not opened at
//! start-up: its name, version and syscalls come from the section, and the library is
//! opened when a call first needs one of its decoders ([`DecoderRegistry::decoder_for`]).
//! A run pays for the families it uses.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use rtrace_plugin_api::{
    CallContext, ConfigureFn, DecodeStatus, Emitter, Phase, PluginModRef, SessionOptions,
};

use crate::claims_reader;
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

/// A plugin's root module.
enum Module {
    /// Built in, or a library opened when it was added.
    Open {
        module: PluginModRef,
        configure: Option<ConfigureFn>,
    },
    /// A library known by its claims section, opened on first use.
    Deferred {
        path: PathBuf,
        state: Mutex<Opening>,
    },
}

/// Where a deferred library stands.
#[derive(Clone, Copy)]
enum Opening {
    NotYet,
    Opened {
        module: PluginModRef,
        configure: Option<ConfigureFn>,
    },
    /// Opening failed (reported once); its syscalls are shown raw.
    Failed,
}

/// Where one syscall's decoder is: the plugin's position and the decoder's index in it.
#[derive(Clone, Copy)]
struct Claim {
    plugin: u32,
    index: u32,
}

/// Every plugin in use, and for each syscall name the decoder of the last plugin that
/// claims it. A built-in family gives way whole to a library of the same name: the
/// library's decoders replace all of the family's, as if it had never been added.
#[derive(Default)]
pub struct DecoderRegistry {
    plugins: Vec<PluginInfo>,
    modules: Vec<Module>,
    /// Each syscall's decoder, worked out from `plugins` at the first look-up after a
    /// change (a library that replaces a built-in family would otherwise redo it all).
    by_syscall: OnceLock<HashMap<String, Claim>>,
    /// Each loaded plugin's canonical path, resolved once when it loaded.
    canonical_paths: Vec<Option<PathBuf>>,
    /// The options given to [`DecoderRegistry::configure`], for libraries opened later.
    session: Mutex<Option<SessionOptions>>,
    /// Deferred libraries that failed to open, not yet reported.
    open_failures: Mutex<Vec<LoadError>>,
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
        self.push(info, Module::Open { module, configure }, None)
    }

    /// Adds every default plugin of `search` (what runs without `--no-default-plugins`),
    /// each deferred when its file allows ([`DecoderRegistry::add_deferred`]).
    pub fn load_defaults(&mut self, search: &PluginSearch) -> Result<(), LoadError> {
        for path in search.default_plugins() {
            self.add_deferred(&path)?;
        }
        Ok(())
    }

    /// Adds a plugin library by the claims section of its file, to be opened when a
    /// call first needs one of its decoders; a file without a usable section (an older
    /// plugin, or no plugin at all) is loaded now, as [`DecoderRegistry::load`] does, so
    /// that what is wrong with it is said at start-up. Adding a file already in use
    /// (same canonical path) changes nothing.
    pub fn add_deferred(&mut self, path: &Path) -> Result<&PluginInfo, LoadError> {
        let canonical = path.canonicalize().ok();
        if let Some(i) = self.position_of_file(canonical.as_deref()) {
            return Ok(&self.plugins[i]);
        }
        let Some(claims) = claims_reader::read(path) else {
            return self.open_now(path, canonical);
        };
        let info = PluginInfo {
            name: claims.name,
            version: claims.version,
            source: PluginSource::File(path.to_path_buf()),
            syscalls: claims.syscalls,
        };
        self.replace_builtin_of_same_name(&info, path)?;
        let module = Module::Deferred {
            path: path.to_path_buf(),
            state: Mutex::new(Opening::NotYet),
        };
        Ok(self.push(info, module, canonical))
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
        self.open_now(path, canonical)
    }

    /// Opens a library not yet in use (`canonical`: its canonical path) and adds it.
    fn open_now(
        &mut self,
        path: &Path,
        canonical: Option<PathBuf>,
    ) -> Result<&PluginInfo, LoadError> {
        let opened = loader::open(path)?;
        let module = opened.module;
        let info = Self::describe(module, PluginSource::File(opened.path.clone()));
        self.replace_builtin_of_same_name(&info, &opened.path)?;
        let module = Module::Open {
            module,
            configure: opened.configure,
        };
        Ok(self.push(info, module, canonical))
    }

    /// A library named as a built-in family replaces it; as a library already added,
    /// it is refused.
    fn replace_builtin_of_same_name(
        &mut self,
        info: &PluginInfo,
        path: &Path,
    ) -> Result<(), LoadError> {
        if let Some(i) = self.plugins.iter().position(|p| p.name == info.name) {
            match &self.plugins[i].source {
                PluginSource::BuiltIn => self.remove(i),
                PluginSource::File(other) => {
                    return Err(LoadError::DuplicateName {
                        name: info.name.clone(),
                        path: path.to_path_buf(),
                        other: other.clone(),
                    })
                }
            }
        }
        Ok(())
    }

    /// Hands every plugin the session's options (call it once every plugin is added,
    /// before decoding): the open ones now, deferred libraries when they open. A plugin
    /// built before 0.3.1 has no entry point for them and is skipped.
    pub fn configure(&self, options: &SessionOptions) {
        *lock(&self.session) = Some(*options);
        for module in &self.modules {
            let configure = match module {
                Module::Open { configure, .. } => *configure,
                Module::Deferred { state, .. } => match *lock(state) {
                    Opening::Opened { configure, .. } => configure,
                    Opening::NotYet | Opening::Failed => None,
                },
            };
            if let Some(configure) = configure {
                // SAFETY: `options` is a whole live struct whose `size` is its own.
                unsafe { configure(options) };
            }
        }
    }

    /// Opens every deferred library now (for `--list-plugins`, which vouches for each):
    /// the first failure.
    pub fn open_all(&self) -> Result<(), LoadError> {
        for plugin in 0..self.modules.len() {
            if self.module(plugin).is_none() {
                if let Some(error) = self.take_open_failures().into_iter().next() {
                    return Err(error);
                }
            }
        }
        Ok(())
    }

    /// The deferred libraries that failed to open since the last call: each is reported
    /// once, and its syscalls are shown raw from then on.
    pub fn take_open_failures(&self) -> Vec<LoadError> {
        std::mem::take(&mut *lock(&self.open_failures))
    }

    /// Plugin `plugin`'s root module, opening its library if it is deferred; `None` if
    /// that failed (now or before).
    fn module(&self, plugin: usize) -> Option<PluginModRef> {
        let (path, state) = match &self.modules[plugin] {
            Module::Open { module, .. } => return Some(*module),
            Module::Deferred { path, state } => (path, state),
        };
        let mut state = lock(state);
        match *state {
            Opening::Opened { module, .. } => return Some(module),
            Opening::Failed => return None,
            Opening::NotYet => {}
        }
        match self.open_deferred(path, &self.plugins[plugin]) {
            Ok((module, configure)) => {
                *state = Opening::Opened { module, configure };
                Some(module)
            }
            Err(error) => {
                *state = Opening::Failed;
                lock(&self.open_failures).push(error);
                None
            }
        }
    }

    /// Opens a deferred library, checks that it is what its claims said, and hands it
    /// the session's options if they were given already.
    fn open_deferred(
        &self,
        path: &Path,
        claimed: &PluginInfo,
    ) -> Result<(PluginModRef, Option<ConfigureFn>), LoadError> {
        let opened = loader::open(path)?;
        let found = Self::describe(opened.module, PluginSource::File(path.to_path_buf()));
        if found != *claimed {
            return Err(LoadError::ClaimsDiffer {
                name: claimed.name.clone(),
                path: path.to_path_buf(),
            });
        }
        if let (Some(configure), Some(options)) = (opened.configure, *lock(&self.session)) {
            // SAFETY: `options` is a whole live struct whose `size` is its own.
            unsafe { configure(&options) };
        }
        Ok((opened.module, opened.configure))
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
        module: Module,
        canonical: Option<PathBuf>,
    ) -> &PluginInfo {
        self.plugins.push(info);
        self.modules.push(module);
        self.canonical_paths.push(canonical);
        self.by_syscall = OnceLock::new();
        self.plugins.last().expect("just pushed")
    }

    /// Drops plugin `i`: what it had taken from earlier plugins goes back to them.
    fn remove(&mut self, i: usize) {
        self.plugins.remove(i);
        self.modules.remove(i);
        self.canonical_paths.remove(i);
        self.by_syscall = OnceLock::new();
    }

    /// Each syscall's decoder: that of the last plugin, in load order, that claims it.
    fn claims(&self) -> &HashMap<String, Claim> {
        self.by_syscall.get_or_init(|| {
            let mut by_syscall = HashMap::new();
            for (plugin, info) in self.plugins.iter().enumerate() {
                for (index, syscall) in info.syscalls.iter().enumerate() {
                    let claim = Claim {
                        plugin: plugin as u32,
                        index: index as u32,
                    };
                    by_syscall.insert(syscall.clone(), claim);
                }
            }
            by_syscall
        })
    }

    /// The loaded plugins, in load order (for `--list-plugins`).
    pub fn list(&self) -> &[PluginInfo] {
        &self.plugins
    }

    /// The decoder for a syscall name, if any plugin claims it, opening the plugin's
    /// library if it is deferred (`None` if that fails: see
    /// [`DecoderRegistry::take_open_failures`]). Resolve once per syscall number and
    /// cache the result.
    pub fn decoder_for(&self, syscall: &str) -> Option<DecoderRef> {
        let claim = *self.claims().get(syscall)?;
        let module = self.module(claim.plugin as usize)?;
        Some(DecoderRef {
            plugin: claim.plugin,
            index: claim.index,
            entry: module.decode(),
        })
    }

    /// The plugin that decodes `syscall`, if any (its library is not opened to say so).
    pub fn owner_of(&self, syscall: &str) -> Option<&PluginInfo> {
        let claim = self.claims().get(syscall)?;
        Some(&self.plugins[claim.plugin as usize])
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

/// Locks a mutex of the registry's; a panic while one was held (in this host's code,
/// never a plugin's: those are caught inside the plugin) leaves state that is still whole.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
