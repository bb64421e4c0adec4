//! Opening one plugin library: libloading, our own interface-version check, then
//! abi_stable's layout check, unless the plugin was built from the host's very
//! interface definitions (same fingerprint). The library is never unloaded: the names
//! and functions it handed out stay valid for the life of the process.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use abi_stable::library::{AbiHeaderRef, LibraryError, ROOT_MODULE_LOADER_NAME_WITH_NUL};
use rtrace_plugin_api::{
    ConfigureFn, PluginModRef, CONFIGURE_SYMBOL, FINGERPRINT_SYMBOL, INTERFACE_FINGERPRINT,
    INTERFACE_VERSION,
};

use crate::error::{first_line, LoadError};

/// A plugin that passed every check.
pub(crate) struct OpenedPlugin {
    pub module: PluginModRef,
    pub path: PathBuf,
    /// Its `rtrace_configure`, when it exports one (plugins since interface 0.3.1).
    pub configure: Option<ConfigureFn>,
}

/// The plugin name guessed from a file name (`librtrace_net.so` is `net`), for messages
/// about plugins whose own name cannot be asked yet.
pub(crate) fn name_from_path(path: &Path) -> String {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy())
        .unwrap_or_default();
    let stem = file.strip_suffix(".so").unwrap_or(&file);
    stem.strip_prefix("librtrace_").unwrap_or(stem).to_string()
}

pub(crate) fn open(path: &Path) -> Result<OpenedPlugin, LoadError> {
    if !path.exists() {
        return Err(LoadError::NotFound { path: path.into() });
    }
    if !has_elf_magic(path) {
        return Err(LoadError::NotALibrary { path: path.into() });
    }
    // SAFETY: loading a library runs its initialisers; that is what loading a plugin
    // means, and the user asked for this file.
    let library = unsafe { libloading::Library::new(path) }.map_err(|e| LoadError::OpenFailed {
        path: path.into(),
        reason: first_line(&strip_path(&e.to_string(), path)),
    })?;
    let symbol = ROOT_MODULE_LOADER_NAME_WITH_NUL.as_bytes();
    // SAFETY: abi_stable exports its root-module header under this mangled name, as a
    // static whose address is the header (this is how abi_stable reads it itself).
    let header: AbiHeaderRef = match unsafe { library.get::<AbiHeaderRef>(symbol) } {
        Ok(sym) => *sym,
        Err(_) => return Err(LoadError::NotAPlugin { path: path.into() }),
    };
    let same_definitions = exported_fingerprint(&library) == Some(INTERFACE_FINGERPRINT);
    let configure = exported_configure(&library);
    // Leak the library before anything can hold references into it.
    std::mem::forget(library);

    let name = name_from_path(path);
    let lib_header = header.upgrade().map_err(|e| LoadError::Init {
        name: name.clone(),
        path: path.into(),
        reason: describe(&e),
    })?;

    // abi_stable's own check would accept any newer minor version and words its
    // refusal in its own terms; the host checks the interface version first.
    let theirs = lib_header.version_strings().version.as_str().to_string();
    if !compatible(&theirs, INTERFACE_VERSION) {
        return Err(LoadError::InterfaceVersion {
            name,
            path: path.into(),
            theirs,
            ours: INTERFACE_VERSION.to_string(),
        });
    }
    let module = if same_definitions {
        // SAFETY: the plugin was compiled from the same source of every type in the
        // root module as this host (and abi_stable's own header check passed above),
        // so the layouts the check would compare are identical.
        unsafe { lib_header.init_root_module_with_unchecked_layout::<PluginModRef>() }
    } else {
        lib_header.init_root_module::<PluginModRef>()
    };
    let module = module.map_err(|e| match e {
        LibraryError::AbiInstability(_) => LoadError::Layout {
            name: name.clone(),
            path: path.into(),
            ours: INTERFACE_VERSION.to_string(),
        },
        LibraryError::IncompatibleVersionNumber { actual_version, .. } => {
            LoadError::InterfaceVersion {
                name: name.clone(),
                path: path.into(),
                theirs: actual_version.to_string(),
                ours: INTERFACE_VERSION.to_string(),
            }
        }
        other => LoadError::Init {
            name: name.clone(),
            path: path.into(),
            reason: describe(&other),
        },
    })?;
    Ok(OpenedPlugin {
        module,
        path: path.into(),
        configure,
    })
}

/// The interface fingerprint the plugin exports, if it exports one.
fn exported_fingerprint(library: &libloading::Library) -> Option<u64> {
    let mut symbol = FINGERPRINT_SYMBOL.as_bytes().to_vec();
    symbol.push(0);
    // SAFETY: under this name the SDK exports a `u64` static; the symbol's address is
    // that static's, and the library is still loaded while it is read.
    unsafe {
        let address = library.get::<*const u64>(&symbol).ok()?;
        Some(std::ptr::read_unaligned(*address))
    }
}

/// The plugin's configure entry point, if it exports one. The function stays valid:
/// the library is never unloaded.
fn exported_configure(library: &libloading::Library) -> Option<ConfigureFn> {
    let mut symbol = CONFIGURE_SYMBOL.as_bytes().to_vec();
    symbol.push(0);
    // SAFETY: under this name the SDK exports a function of type `ConfigureFn`.
    unsafe { library.get::<ConfigureFn>(&symbol).ok().map(|f| *f) }
}

/// Same major version, and for 0.x the same minor too (semver's rule): prefix-type
/// modules take newer plugins of one such line; older ones load while the root module
/// keeps its fields (additions go beside it, as optional exported symbols).
fn compatible(theirs: &str, ours: &str) -> bool {
    fn major_minor(v: &str) -> Option<(u64, u64)> {
        let mut parts = v.split('.');
        Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
    }
    match (major_minor(theirs), major_minor(ours)) {
        (Some((t_major, t_minor)), Some((o_major, o_minor))) => {
            t_major == o_major && (o_major != 0 || t_minor == o_minor)
        }
        _ => false,
    }
}

fn has_elf_magic(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && magic == *b"\x7fELF"
}

fn describe(error: &LibraryError) -> String {
    match error {
        LibraryError::InvalidAbiHeader(_) => "built with an incompatible abi_stable".into(),
        other => first_line(&other.to_string()),
    }
}

/// dlerror repeats the path; the message already names it.
fn strip_path(message: &str, path: &Path) -> String {
    let prefix = format!("{}: ", path.display());
    message.replace(&prefix, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_rule_is_semver_for_zero_and_nonzero_majors() {
        assert!(compatible("0.1.0", "0.1.7"));
        assert!(!compatible("0.2.0", "0.1.0"));
        assert!(compatible("1.4.0", "1.0.0"));
        assert!(!compatible("9.0.0", "0.1.0"));
        assert!(!compatible("garbage", "0.1.0"));
    }

    #[test]
    fn names_come_from_file_names() {
        assert_eq!(name_from_path(Path::new("/x/librtrace_net.so")), "net");
        assert_eq!(name_from_path(Path::new("/x/other.so")), "other");
    }
}
