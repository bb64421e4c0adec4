//! Which bundled plugin decodes which syscall, as `rtrace --list-plugins` tells a user.

use std::collections::BTreeMap;

use crate::run::Tracer;

/// syscall name -> the family (plugin) that decodes it. Panics with the listing when
/// rtrace cannot list its plugins or the fs plugin is missing (the workspace is not
/// built).
pub fn decoded_syscalls() -> BTreeMap<String, String> {
    let listing = Tracer::Rtrace.run(&["--list-plugins"]);
    assert_eq!(
        listing.exit_code(),
        Some(0),
        "rtrace --list-plugins {}",
        listing.describe()
    );
    let text = String::from_utf8_lossy(&listing.stdout).into_owned() + &listing.stderr;
    let mut map = BTreeMap::new();
    let mut family = String::new();
    for line in text.lines() {
        if let Some(names) = line.trim_start().strip_prefix("syscalls:") {
            for name in names.split_whitespace() {
                map.insert(name.to_owned(), family.clone());
            }
        } else if !line.starts_with(' ') {
            family = line.split_whitespace().next().unwrap_or("").to_owned();
        }
    }
    assert!(
        map.get("openat").is_some_and(|f| f == "fs"),
        "the fs plugin is not loaded by default: build the workspace (cargo build --workspace); \
         rtrace --list-plugins said:\n{text}"
    );
    map
}
