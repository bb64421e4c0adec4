//! The out-of-tree example plugin (examples/plugin-example): built with cargo as a
//! third party would, loaded after the bundled fs plugin, it takes over `close`.

mod common;

use rtrace_decode::{DecodeOptions, DecoderRegistry, Emitter, HostBinding, Phase};
use rtrace_plugin_testing::FakeTracee;

#[test]
fn example_overrides_the_bundled_close() {
    let example = common::build_out_of_tree(
        &common::workspace_root().join("examples/plugin-example"),
        "rtrace_example",
    );
    let fs = common::fs_plugin();

    let mut registry = DecoderRegistry::new();
    registry.load(&fs).unwrap();
    let mut mem = FakeTracee::new();
    mem.open_fd(3, "/etc/ld.so.cache");
    let binding = HostBinding::new(&mem, 42, 8, false);
    let mut em = Emitter::default();
    let mut close_3 = |registry: &DecoderRegistry| {
        let mut ctx =
            binding.call_context("close", 3, [3, 0, 0, 0, 0, 0], DecodeOptions::default());
        let d = registry.decoder_for("close").unwrap();
        registry.decode(d, Phase::Entry, &mut ctx, &mut em);
        common::dump(&em)
    };
    assert_eq!(close_3(&registry), "Fd(3)");
    assert_eq!(registry.owner_of("close").unwrap().name, "fs");

    let info = registry.load(&example).unwrap().clone();
    assert_eq!(info.name, "example");
    assert_eq!(info.version, "0.1.0");
    assert_eq!(info.syscalls, ["close"]);
    assert_eq!(
        info.source,
        rtrace_decode::PluginSource::File(example.clone())
    );
    assert_eq!(registry.owner_of("close").unwrap().name, "example");
    assert_eq!(close_3(&registry), "Text(3 /* /etc/ld.so.cache */)");
    // The rest of fs is untouched.
    assert_eq!(registry.owner_of("openat").unwrap().name, "fs");
    let names: Vec<_> = registry.list().iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["fs", "example"]);
}
