//! `cargo xtask docs`: the man page and shell completions, generated from the
//! command-line definition itself (rtrace-options), so they never drift from it.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;

/// Writes `rtrace.1` and completions for bash, zsh and fish into `out_dir`;
/// returns the files written.
pub fn generate(out_dir: &Path) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let mut written = Vec::new();

    let command = rtrace_options::Options::command();
    let man = out_dir.join("rtrace.1");
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone())
        .render(&mut page)
        .context("rendering the man page")?;
    fs::write(&man, page).with_context(|| format!("writing {}", man.display()))?;
    written.push(man);

    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        let mut command = command.clone();
        let path = clap_complete::generate_to(shell, &mut command, "rtrace", out_dir)
            .with_context(|| format!("writing {shell} completions"))?;
        written.push(path);
    }
    Ok(written)
}

/// The default output directory: `target/docs` in the workspace.
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/docs")
}

pub fn run(out_dir: Option<&Path>) -> Result<i32> {
    let dir = out_dir.map(Path::to_path_buf).unwrap_or_else(default_dir);
    for path in generate(&dir)? {
        println!("wrote {}", path.display());
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn man_page_and_completions_name_the_options() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path();
        let files = generate(dir).unwrap();
        assert_eq!(files.len(), 4);
        let man = fs::read_to_string(dir.join("rtrace.1")).unwrap();
        assert!(man.contains(".TH rtrace"), "not a man page");
        for option in ["summary\\-only", "trace\\-path", "json", "plugin"] {
            assert!(man.contains(option), "man page lacks --{option}");
        }
        let bash = fs::read_to_string(dir.join("rtrace.bash")).unwrap();
        assert!(bash.contains("--summary-only") && bash.contains("--json"));
    }
}
