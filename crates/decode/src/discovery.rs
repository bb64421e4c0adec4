//! Where plugins are found: next to the `rtrace` binary, in the installed layouts
//! (`../lib/rtrace/plugins` beside it, the directory compiled in for the install prefix),
//! in the user's plugin directory, in `RTRACE_PLUGIN_PATH`, and `--plugin PATH_OR_NAME`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::LoadError;

/// The environment variable naming extra plugin directories, colon-separated.
pub const PLUGIN_PATH_VAR: &str = "RTRACE_PLUGIN_PATH";

/// The plugin directory of the install prefix, compiled in when the build that installs
/// rtrace sets `RTRACE_PLUGIN_DIR` (`cargo xtask install`, `dist`, the .deb); a plain
/// `cargo build` or `cargo install` has none (and finds its plugins next to the binary or
/// has them built in).
pub const PREFIX_PLUGIN_DIR: Option<&str> = option_env!("RTRACE_PLUGIN_DIR");

/// The directories plugins are loaded from, in load order: a plugin file in a later
/// directory replaces one of the same file name in an earlier one, and the decoders of
/// later plugins override earlier ones' for the syscalls they both claim.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PluginSearch {
    /// Loaded by default: every `librtrace_*.so` in them.
    pub dirs: Vec<PathBuf>,
}

/// What decides the search directories, gathered from the process's environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchInputs<'a> {
    /// The directory of the running binary.
    pub exe_dir: Option<&'a Path>,
    /// The plugin directory compiled in for the install prefix.
    pub prefix_dir: Option<&'a Path>,
    /// The user's plugin directory (`$XDG_DATA_HOME/rtrace/plugins`).
    pub user_dir: Option<PathBuf>,
    /// `RTRACE_PLUGIN_PATH`'s value.
    pub plugin_path: Option<&'a str>,
}

impl PluginSearch {
    /// The directories for the running process: see [`PluginSearch::from_inputs`].
    pub fn from_environment() -> Self {
        let exe_dir = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(Path::to_path_buf));
        let env = std::env::var_os(PLUGIN_PATH_VAR);
        Self::from_inputs(&SearchInputs {
            exe_dir: exe_dir.as_deref(),
            prefix_dir: PREFIX_PLUGIN_DIR.map(Path::new),
            user_dir: user_plugin_dir(
                std::env::var_os("XDG_DATA_HOME").as_deref(),
                std::env::var_os("HOME").as_deref(),
            ),
            plugin_path: env.as_deref().and_then(|s| s.to_str()),
        })
    }

    /// In load order: the binary's directory (cargo puts the plugin cdylibs next to the
    /// `rtrace` binary) and its `plugins/` subdirectory; `../lib/rtrace/plugins` relative
    /// to it (the FHS layout: `PREFIX/bin/rtrace`, `PREFIX/lib/rtrace/plugins`); the
    /// directory compiled in for the install prefix; the user's plugin directory; then
    /// each directory of `RTRACE_PLUGIN_PATH`. A directory reached twice (the prefix's
    /// is usually `../lib/rtrace/plugins` too) is searched once, where first met.
    pub fn from_inputs(inputs: &SearchInputs<'_>) -> Self {
        let mut dirs = Vec::new();
        if let Some(exe_dir) = inputs.exe_dir {
            dirs.push(exe_dir.to_path_buf());
            dirs.push(exe_dir.join("plugins"));
            if let Some(prefix) = exe_dir.parent() {
                dirs.push(prefix.join("lib/rtrace/plugins"));
            }
        }
        dirs.extend(inputs.prefix_dir.map(Path::to_path_buf));
        dirs.extend(inputs.user_dir.clone());
        dirs.extend(
            inputs
                .plugin_path
                .unwrap_or("")
                .split(':')
                .filter(|d| !d.is_empty())
                .map(PathBuf::from),
        );
        let mut seen = Vec::new();
        dirs.retain(|dir| {
            let key = dir.canonicalize().unwrap_or_else(|_| dir.clone());
            let new = !seen.contains(&key);
            seen.push(key);
            new
        });
        PluginSearch { dirs }
    }

    /// The binary's directory and `RTRACE_PLUGIN_PATH` alone, without the prefix's and
    /// the user's directories (tests, and callers that want only those).
    pub fn new(exe_dir: Option<&Path>, plugin_path: Option<&str>) -> Self {
        Self::from_inputs(&SearchInputs {
            exe_dir,
            plugin_path,
            ..SearchInputs::default()
        })
    }

    /// The directories, as `rtrace` names them when it finds no plugin.
    pub fn describe(&self) -> String {
        self.dirs
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Every `librtrace_*.so` of every directory, directory by directory, sorted by
    /// name within one; a file name met again in a later directory replaces the earlier
    /// file (a user's or `RTRACE_PLUGIN_PATH`'s build of a family wins over the
    /// installed one), and a directory listed twice adds nothing.
    pub fn default_plugins(&self) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = Vec::new();
        let mut by_name: HashMap<std::ffi::OsString, usize> = HashMap::new();
        for dir in &self.dirs {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut here: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| is_plugin_file_name(p) && p.is_file())
                .collect();
            here.sort();
            for path in here {
                let name = path.file_name().unwrap_or_default().to_os_string();
                match by_name.get(&name) {
                    Some(&i) => found[i] = path,
                    None => {
                        by_name.insert(name, found.len());
                        found.push(path);
                    }
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

/// `$XDG_DATA_HOME/rtrace/plugins`, or `~/.local/share/rtrace/plugins` when it is unset
/// or not absolute (the XDG base directory rule).
pub fn user_plugin_dir(
    xdg_data_home: Option<&std::ffi::OsStr>,
    home: Option<&std::ffi::OsStr>,
) -> Option<PathBuf> {
    let data = match xdg_data_home.map(Path::new) {
        Some(dir) if dir.is_absolute() => dir.to_path_buf(),
        _ => Path::new(home?).join(".local/share"),
    };
    Some(data.join("rtrace/plugins"))
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
        let want: Vec<PathBuf> = [
            "/opt/rt",
            "/opt/rt/plugins",
            "/opt/lib/rtrace/plugins",
            "/a",
            "/b",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        assert_eq!(s.dirs, want);
    }

    #[test]
    fn installed_layouts_in_load_order() {
        let s = PluginSearch::from_inputs(&SearchInputs {
            exe_dir: Some(Path::new("/opt/rt/bin")),
            prefix_dir: Some(Path::new("/usr/lib/rtrace/plugins")),
            user_dir: Some(PathBuf::from("/home/u/.local/share/rtrace/plugins")),
            plugin_path: Some("/a::/opt/rt/bin"),
        });
        let want: Vec<PathBuf> = [
            "/opt/rt/bin",
            "/opt/rt/bin/plugins",
            "/opt/rt/lib/rtrace/plugins",
            "/usr/lib/rtrace/plugins",
            "/home/u/.local/share/rtrace/plugins",
            "/a",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        assert_eq!(s.dirs, want);
    }

    #[test]
    fn user_dir_follows_xdg() {
        let home = Some(std::ffi::OsStr::new("/home/u"));
        let want = PathBuf::from("/home/u/.local/share/rtrace/plugins");
        assert_eq!(user_plugin_dir(None, home), Some(want.clone()));
        let relative = Some(std::ffi::OsStr::new("rel"));
        assert_eq!(user_plugin_dir(relative, home), Some(want));
        let xdg = Some(std::ffi::OsStr::new("/x"));
        assert_eq!(
            user_plugin_dir(xdg, None),
            Some(PathBuf::from("/x/rtrace/plugins"))
        );
        assert_eq!(user_plugin_dir(None, None), None);
    }

    #[test]
    fn a_later_directory_replaces_a_plugin_of_the_same_file_name() {
        let scratch = tempfile::tempdir().unwrap();
        let root = scratch.path();
        let (system, user) = (root.join("system"), root.join("user"));
        for dir in [&system, &user] {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(dir.join("librtrace_fs.so"), b"x").unwrap();
        }
        std::fs::write(system.join("librtrace_net.so"), b"x").unwrap();
        let path = format!("{}:{}", system.display(), user.display());
        let s = PluginSearch::new(None, Some(&path));
        assert_eq!(
            s.default_plugins(),
            [
                user.join("librtrace_fs.so"),
                system.join("librtrace_net.so")
            ]
        );
    }

    #[test]
    fn names_and_paths_resolve() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path();
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
    }
}
