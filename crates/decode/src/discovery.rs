//! Where plugins are found: the bundled ones next to the `rtrace` binary, directories
//! from `RTRACE_PLUGIN_PATH`, and `--plugin PATH_OR_NAME`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::error::LoadError;

/// The environment variable naming extra plugin directories, colon-separated.
pub const PLUGIN_PATH_VAR: &str = "RTRACE_PLUGIN_PATH";

/// The directories plugins are loaded from, in load order (later overrides earlier).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PluginSearch {
    /// Loaded by default: every `librtrace_*.so` in them.
    pub dirs: Vec<PathBuf>,
}

impl PluginSearch {
    /// The running executable's directory (cargo puts the plugin cdylibs next to the
    /// `rtrace` binary), its `plugins/` subdirectory, then `RTRACE_PLUGIN_PATH`.
    pub fn from_environment() -> Self {
        let exe_dir = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(Path::to_path_buf));
        let env = std::env::var_os(PLUGIN_PATH_VAR);
        Self::new(exe_dir.as_deref(), env.as_deref().and_then(|s| s.to_str()))
    }

    /// As [`from_environment`](Self::from_environment), with the two inputs given.
    pub fn new(exe_dir: Option<&Path>, plugin_path: Option<&str>) -> Self {
        let mut dirs = Vec::new();
        if let Some(exe_dir) = exe_dir {
            dirs.push(exe_dir.to_path_buf());
            dirs.push(exe_dir.join("plugins"));
        }
        dirs.extend(
            plugin_path
                .unwrap_or("")
                .split(':')
                .filter(|d| !d.is_empty())
                .map(PathBuf::from),
        );
        PluginSearch { dirs }
    }

    /// Every `librtrace_*.so` of every directory, directory by directory, sorted by
    /// name within one, each file once (a directory listed twice adds nothing).
    pub fn default_plugins(&self) -> Vec<PathBuf> {
        let mut seen = HashSet::new();
        let mut found = Vec::new();
        for dir in &self.dirs {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            // Resolve the directory once; a file is then known by its name in it.
            let canonical_dir = dir.canonicalize().unwrap_or_else(|_| dir.clone());
            let mut here: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| is_plugin_file_name(p) && p.is_file())
                .collect();
            here.sort();
            for path in here {
                let key = canonical_dir.join(path.file_name().unwrap_or_default());
                if seen.insert(key) {
                    found.push(path);
                }
            }
        }
        found
    }

    /// Resolves `--plugin` 's argument: a path if it has a `/`, else a name (`net`,
    /// `net.so`, `librtrace_net.so`) looked up in the directories, last one first
    /// (`RTRACE_PLUGIN_PATH` before the bundled directory).
    pub fn resolve(&self, spec: &str) -> Result<PathBuf, LoadError> {
        if spec.contains('/') {
            return Ok(PathBuf::from(spec));
        }
        let stem = spec.strip_suffix(".so").unwrap_or(spec);
        let stem = stem.strip_prefix("librtrace_").unwrap_or(stem);
        let candidates = [format!("librtrace_{stem}.so"), format!("{stem}.so")];
        for dir in self.dirs.iter().rev() {
            for file in &candidates {
                let path = dir.join(file);
                if path.is_file() {
                    return Ok(path);
                }
            }
        }
        Err(LoadError::NameNotFound {
            name: spec.to_string(),
            searched: self
                .dirs
                .iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(":"),
        })
    }
}

fn is_plugin_file_name(path: &Path) -> bool {
    path.file_name()
        .and_then(|f| f.to_str())
        .is_some_and(|f| f.starts_with("librtrace_") && f.ends_with(".so"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_in_load_order() {
        let s = PluginSearch::new(Some(Path::new("/opt/rt")), Some("/a::/b"));
        let want: Vec<PathBuf> = ["/opt/rt", "/opt/rt/plugins", "/a", "/b"]
            .iter()
            .map(PathBuf::from)
            .collect();
        assert_eq!(s.dirs, want);
    }

    #[test]
    fn names_and_paths_resolve() {
        let dir = std::env::temp_dir().join(format!("rtrace-resolve-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("librtrace_net.so"), b"x").unwrap();
        let s = PluginSearch::new(None, dir.to_str());
        for spec in ["net", "net.so", "librtrace_net.so"] {
            assert_eq!(
                s.resolve(spec).unwrap(),
                dir.join("librtrace_net.so"),
                "{spec}"
            );
        }
        assert_eq!(s.resolve("./x.so").unwrap(), PathBuf::from("./x.so"));
        let err = s.resolve("nope").unwrap_err().to_string();
        assert_eq!(err, format!("plugin nope: not found in {}", dir.display()));
        assert_eq!(s.default_plugins(), vec![dir.join("librtrace_net.so")]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
