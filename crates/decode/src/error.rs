//! Why a plugin could not be loaded: one line each, naming the plugin and its path.
//!
//! Messages carry no `rtrace: ` prefix; the CLI adds it when it prints them.

use std::path::PathBuf;

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum LoadError {
    #[error("plugin {}: no such file", path.display())]
    NotFound { path: PathBuf },

    #[error("plugin {name}: not found in {searched}")]
    NameNotFound { name: String, searched: String },

    #[error("plugin {}: not a shared library", path.display())]
    NotALibrary { path: PathBuf },

    #[error("plugin {}: cannot be loaded: {reason}", path.display())]
    OpenFailed { path: PathBuf, reason: String },

    #[error("plugin {}: not an rtrace plugin (it exports no rtrace root module)", path.display())]
    NotAPlugin { path: PathBuf },

    #[error("plugin {name} ({}): built for interface {theirs}, this rtrace has {ours}", path.display())]
    InterfaceVersion {
        name: String,
        path: PathBuf,
        theirs: String,
        ours: String,
    },

    #[error("plugin {name} ({}): its interface layout differs from this rtrace's (rebuild it against rtrace-sdk {ours})", path.display())]
    Layout {
        name: String,
        path: PathBuf,
        ours: String,
    },

    #[error("plugin {name} ({}): cannot be initialised: {reason}", path.display())]
    Init {
        name: String,
        path: PathBuf,
        reason: String,
    },

    #[error("plugin {name} ({}): its claims section differs from the decoders it exports (rebuild it)", path.display())]
    ClaimsDiffer { name: String, path: PathBuf },

    #[error("plugin {name} ({}): a plugin with that name is already loaded from {}", path.display(), other.display())]
    DuplicateName {
        name: String,
        path: PathBuf,
        other: PathBuf,
    },
}

/// The first line of a possibly long message (abi_stable's errors run to pages).
pub(crate) fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("unknown error")
        .to_string()
}
