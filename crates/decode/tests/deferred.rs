//! Default plugin libraries are known by their claims section and opened when a call
//! first needs them; a library without the section is opened at once; one whose section
//! disagrees with its decoders is refused when it opens, once, and its calls go raw.
//!
//! Each test works on its own copy of a bundled library, so that whether it is mapped
//! (read from /proc/self/maps) is this test's doing alone.

mod common;

use std::path::{Path, PathBuf};

use rtrace_decode::{DecodeOptions, DecoderRegistry, Emitter, HostBinding, LoadError, Phase};
use rtrace_plugin_testing::FakeTracee;

/// A copy of the bundled `librtrace_<family>.so`, its bytes passed through `edit`.
fn copy_of(family: &str, edit: impl Fn(&mut Vec<u8>)) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("librtrace_{family}.so"));
    let mut bytes = std::fs::read(common::bundled_plugin(family)).unwrap();
    edit(&mut bytes);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

fn is_mapped(path: &Path) -> bool {
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    let path = path.to_str().unwrap();
    maps.lines().any(|line| line.ends_with(path))
}

/// Replaces every `from` in `bytes` by `to` (of the same length); how many there were.
fn replace_all(bytes: &mut [u8], from: &[u8], to: &[u8]) -> usize {
    assert_eq!(from.len(), to.len());
    let mut count = 0;
    let mut at = 0;
    while let Some(found) = bytes[at..].windows(from.len()).position(|w| w == from) {
        let start = at + found;
        bytes[start..start + to.len()].copy_from_slice(to);
        count += 1;
        at = start + to.len();
    }
    count
}

#[test]
fn a_default_library_opens_when_a_call_first_needs_it() {
    let (_dir, library) = copy_of("time", |_| {});
    let mut registry = DecoderRegistry::new();
    let info = registry.add_deferred(&library).unwrap();
    assert_eq!(info.name, "time");
    assert!(info.syscalls.iter().any(|s| s == "clock_gettime"));
    assert!(!is_mapped(&library), "added, not opened");
    assert_eq!(registry.owner_of("clock_gettime").unwrap().name, "time");
    assert!(!is_mapped(&library), "owner_of does not open it");
    assert!(registry.decoder_for("no_such_call").is_none());
    assert!(!is_mapped(&library));

    let decoder = registry.decoder_for("clock_gettime").unwrap();
    assert!(is_mapped(&library), "the first decoder opens it");
    assert!(registry.take_open_failures().is_empty());
    let tracee = FakeTracee::new();
    let binding = HostBinding::new(&tracee, 1, 8, false);
    let mut ctx = binding.call_context(
        "clock_gettime",
        228,
        [1, 0, 0, 0, 0, 0],
        DecodeOptions::default(),
    );
    let mut emitter = Emitter::default();
    registry.decode(decoder, Phase::Entry, &mut ctx, &mut emitter);
    assert_eq!(common::dump(&emitter), "CLOCK_MONOTONIC");
}

#[test]
fn a_library_without_claims_is_opened_at_once() {
    let (_dir, library) = copy_of("sched", |bytes| {
        // The section's name renamed: to the host, a plugin built before the section.
        assert_eq!(
            replace_all(bytes, b".rtrace_claims\0", b".rtrace_xxxxxx\0"),
            1
        );
    });
    let mut registry = DecoderRegistry::new();
    registry.add_deferred(&library).unwrap();
    assert!(is_mapped(&library));
    assert_eq!(registry.owner_of("sched_getparam").unwrap().name, "sched");
}

#[test]
fn claims_that_differ_from_the_decoders_are_refused_once() {
    let (_dir, library) = copy_of("keys", |bytes| {
        assert_eq!(replace_all(bytes, b"\0add_key\0", b"\0add_kez\0"), 1);
    });
    let mut registry = DecoderRegistry::new();
    registry.add_deferred(&library).unwrap();
    assert_eq!(registry.owner_of("add_kez").unwrap().name, "keys");
    assert!(registry.decoder_for("add_kez").is_none());
    let failures = registry.take_open_failures();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        matches!(&failures[0], LoadError::ClaimsDiffer { name, .. } if name == "keys"),
        "{failures:?}"
    );
    assert!(failures[0].to_string().contains("claims section differs"));
    // Said once; the family's other calls go raw without a word more.
    assert!(registry.decoder_for("keyctl").is_none());
    assert!(registry.take_open_failures().is_empty());
    assert_eq!(registry.open_all(), Ok(()), "already reported");
}

#[test]
fn open_all_vouches_for_every_library() {
    let (_dir, library) = copy_of("aio", |bytes| {
        assert_eq!(replace_all(bytes, b"\0io_setup\0", b"\0io_setuq\0"), 1);
    });
    let mut registry = DecoderRegistry::new();
    registry.add_deferred(&library).unwrap();
    let error = registry.open_all().unwrap_err();
    assert!(matches!(error, LoadError::ClaimsDiffer { .. }), "{error}");
}

#[test]
fn what_is_not_a_plugin_is_said_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("librtrace_text.so");
    std::fs::write(&text, "text\n").unwrap();
    let mut registry = DecoderRegistry::new();
    let error = registry.add_deferred(&text).map(|_| ()).unwrap_err();
    assert!(matches!(error, LoadError::NotALibrary { .. }), "{error}");
    let absent = dir.path().join("librtrace_absent.so");
    let error = registry.add_deferred(&absent).map(|_| ()).unwrap_err();
    assert!(matches!(error, LoadError::NotFound { .. }), "{error}");
}
