//! What `rtrace -V` says: the version, the commit it was built from, the plugin interface
//! version, the personalities this build traces, and its built-in decoder families.

use crate::arches::Arches;

/// The commit, as the build script found it (`unknown` outside a git checkout).
const COMMIT: &str = env!("RTRACE_COMMIT");

/// The text after `rtrace ` (clap prints the name).
pub fn text() -> String {
    let personalities: Vec<&str> = Arches::all().iter().map(|abi| abi.name()).collect();
    format!(
        "{version}\n\
         commit: {COMMIT}\n\
         plugin interface: {interface}\n\
         personalities: {personalities}\n\
         decoder families: {builtins}",
        version = env!("CARGO_PKG_VERSION"),
        interface = rtrace_plugin_api::INTERFACE_VERSION,
        personalities = personalities.join(", "),
        builtins = crate::plugins::describe_builtins(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_every_part() {
        let text = super::text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], env!("CARGO_PKG_VERSION"));
        for (line, label) in lines[1..].iter().zip([
            "commit: ",
            "plugin interface: ",
            "personalities: ",
            "decoder families: ",
        ]) {
            assert!(
                line.starts_with(label) && line.len() > label.len(),
                "{line}"
            );
        }
        assert_eq!(lines.len(), 5);
    }
}
