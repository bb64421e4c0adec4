//! Built-in families (a plugin crate linked in as an rlib): they decode like the loaded
//! library built from the same table, and a library of the same name replaces the whole
//! family, leaving other plugins' claims as they were.

mod common;

use rtrace_decode::{DecodeOptions, DecoderRegistry, Emitter, HostBinding, Phase, PluginSource};
use rtrace_plugin_testing::FakeTracee;

fn decode_openat(registry: &DecoderRegistry) -> String {
    let mut tracee = FakeTracee::new();
    tracee.map_str(0x1000, "/etc/hostname");
    let binding = HostBinding::new(&tracee, 1, 8, false);
    let mut ctx = binding.call_context(
        "openat",
        257,
        [(-100i64) as u64, 0x1000, 0x80000, 0, 0, 0],
        DecodeOptions::default(),
    );
    let mut em = Emitter::default();
    let d = registry
        .decoder_for("openat")
        .expect("openat has a decoder");
    registry.decode(d, Phase::Entry, &mut ctx, &mut em);
    common::dump(&em)
}

#[test]
fn a_library_of_the_same_name_replaces_the_built_in_family() {
    let mut registry = DecoderRegistry::new();
    registry.add_builtin(
        rtrace_fs::plugin_module(),
        Some(rtrace_fs::rtrace_configure),
    );
    // One family linked in: two would each bring the symbols their cdylib exports, and
    // this test binary is not linked with the rtrace binary's allowance for that.
    registry.load(&common::bundled_plugin("net")).unwrap();
    assert_eq!(
        registry.owner_of("openat").unwrap().source,
        PluginSource::BuiltIn
    );
    let built_in = decode_openat(&registry);
    assert!(built_in.contains("/etc/hostname"), "{built_in}");

    let fs = common::fs_plugin();
    registry.load(&fs).unwrap();
    let names: Vec<_> = registry.list().iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["net", "fs"], "the built-in fs is gone, net stays");
    assert_eq!(
        registry.owner_of("openat").unwrap().source,
        PluginSource::File(fs.clone())
    );
    assert_eq!(registry.owner_of("socket").unwrap().name, "net");
    assert_eq!(
        decode_openat(&registry),
        built_in,
        "same table, same tokens"
    );
    // A second library of that name is still a conflict.
    let scratch = tempfile::tempdir().unwrap();
    let copy = scratch.path().join("librtrace_fs.so");
    std::fs::copy(&fs, &copy).unwrap();
    assert!(registry.load(&copy).is_err());
}

/// A tracee with 32-bit pointers in 64-bit registers (x32): a string above 4 GiB is
/// none of its memory and is shown as an address, as strace shows it; below, it is read.
#[test]
fn addresses_beyond_32_bit_pointers_are_not_read() {
    let mut registry = DecoderRegistry::new();
    registry.add_builtin(
        rtrace_fs::plugin_module(),
        Some(rtrace_fs::rtrace_configure),
    );
    let mut tracee = FakeTracee::new();
    tracee.map_str(0x1000, "/low");
    tracee.map_str(0x1_0000_1000, "/high");
    let decode = |pointer_size: u8, path: u64| {
        let binding = HostBinding::new(&tracee, 1, 8, false).with_pointer_size(pointer_size);
        let mut ctx = binding.call_context(
            "openat",
            257,
            [(-100i64) as u64, path, 0, 0, 0, 0],
            DecodeOptions::default(),
        );
        let mut em = Emitter::default();
        let d = registry.decoder_for("openat").unwrap();
        registry.decode(d, Phase::Entry, &mut ctx, &mut em);
        common::dump(&em)
    };
    assert!(decode(8, 0x1_0000_1000).contains("/high"));
    assert!(decode(4, 0x1000).contains("/low"));
    let refused = decode(4, 0x1_0000_1000);
    assert!(
        !refused.contains("/high") && refused.contains("0x100001000"),
        "{refused}"
    );
}
