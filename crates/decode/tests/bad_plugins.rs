//! Bad input to the plugin loader, and plugins that misbehave: each refused with one
//! exact line, or contained, never a crash of the host.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use rtrace_decode::{
    DecodeOptions, DecodeStatus, Decoded, DecoderRegistry, Emitter, HostBinding, LoadError, Phase,
    RawReason,
};
use rtrace_plugin_testing::FakeTracee;

/// A scratch directory under the workspace's target/, fresh for each test.
fn scratch(name: &str) -> PathBuf {
    let dir = common::workspace_root()
        .join("target/decode-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn load_error(path: &Path) -> String {
    let err = DecoderRegistry::new().load(path).map(|_| ()).unwrap_err();
    let text = err.to_string();
    assert!(!text.contains('\n'), "not one line: {text}");
    text
}

#[test]
fn nonexistent_path() {
    let path = Path::new("/nonexistent/librtrace_x.so");
    assert_eq!(
        load_error(path),
        "plugin /nonexistent/librtrace_x.so: no such file"
    );
}

#[test]
fn text_file() {
    let path = scratch("text").join("librtrace_text.so");
    std::fs::write(&path, "this is not a library\n".repeat(10)).unwrap();
    assert_eq!(
        load_error(&path),
        format!("plugin {}: not a shared library", path.display())
    );
}

/// The ELF class, byte order and machine of a file (`e_ident[4..6]` and `e_machine`), or
/// None if it is not an ELF file.
fn elf_kind(path: &Path) -> Option<[u8; 4]> {
    let mut header = [0u8; 20];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .ok()?;
    header
        .starts_with(b"\x7fELF")
        .then(|| [header[4], header[5], header[18], header[19]])
}

/// A libz.so.1 built for the same target as this test binary: `RTRACE_TEST_TARGET_LIBZ`
/// when set (`cargo xtask test-arm` sets it to an unpacked zlib1g:armhf, as the host's
/// libraries are the wrong class under qemu-user), else the host's from `ldconfig -p`.
fn libz_of_this_target() -> PathBuf {
    let own = elf_kind(&std::env::current_exe().unwrap()).expect("the test binary is ELF");
    if let Some(path) = std::env::var_os("RTRACE_TEST_TARGET_LIBZ") {
        let path = PathBuf::from(path);
        assert_eq!(
            elf_kind(&path),
            Some(own),
            "RTRACE_TEST_TARGET_LIBZ={} is not an ELF file of this test's target ({})",
            path.display(),
            env!("RTRACE_DECODE_BUILD_TARGET")
        );
        return path;
    }
    let out = Command::new("ldconfig")
        .arg("-p")
        .output()
        .expect("ldconfig -p must run");
    let listing = String::from_utf8_lossy(&out.stdout);
    listing
        .lines()
        .filter(|l| l.trim_start().starts_with("libz.so.1 "))
        .filter_map(|l| l.split(" => ").nth(1))
        .map(|p| PathBuf::from(p.trim()))
        .find(|p| elf_kind(p) == Some(own))
        .unwrap_or_else(|| {
            panic!(
                "no libz.so.1 for {} in `ldconfig -p`: install zlib1g, or set \
                 RTRACE_TEST_TARGET_LIBZ to a libz of that target",
                env!("RTRACE_DECODE_BUILD_TARGET")
            )
        })
}

/// A real shared library that is not an rtrace plugin.
#[test]
fn libz_is_not_a_plugin() {
    let libz = libz_of_this_target();
    assert_eq!(
        load_error(&libz),
        format!(
            "plugin {}: not an rtrace plugin (it exports no rtrace root module)",
            libz.display()
        )
    );
}

/// Writes `contents` to `path` unless it already holds exactly that (keeps cargo's cache).
fn write_if_changed(path: &Path, contents: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(contents) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
}

/// Copies this repository's plugin-api (its lib.rs passed through `edit_api`) and sdk
/// with their version set to `version`, into target/oot-plugins/`tag`, and builds the
/// one-decoder plugin `librtrace_<tag>.so` against them. Both copies get the registry
/// dependencies either crate uses (abi_stable, libc), as in the workspace's Cargo.toml.
fn build_plugin_against_copied_interface(
    tag: &str,
    version: &str,
    edit_api: impl Fn(String) -> String,
) -> PathBuf {
    let root = common::workspace_root();
    let dir = common::oot_target_dir().join(format!("interface-{tag}"));
    for (krate, extra_deps) in [
        ("plugin-api", ""),
        ("sdk", "rtrace-plugin-api = { path = \"../plugin-api\" }\n"),
    ] {
        let name = if krate == "sdk" {
            "rtrace-sdk"
        } else {
            "rtrace-plugin-api"
        };
        write_if_changed(
            &dir.join(krate).join("Cargo.toml"),
            &format!(
                "[package]\nname = \"{name}\"\nversion = \"{version}\"\nedition = \"2021\"\n\n\
                 [dependencies]\nabi_stable = \"0.11\"\nlibc = \"0.2\"\n{extra_deps}"
            ),
        );
        let src = root.join("crates").join(krate).join("src");
        for entry in std::fs::read_dir(&src).unwrap() {
            let entry = entry.unwrap();
            let mut text = std::fs::read_to_string(entry.path()).unwrap();
            if krate == "plugin-api" && entry.file_name() == "lib.rs" {
                text = edit_api(text);
            }
            write_if_changed(&dir.join(krate).join("src").join(entry.file_name()), &text);
        }
    }
    write_if_changed(
        &dir.join("plugin/Cargo.toml"),
        &format!(
            "[package]\nname = \"rtrace-plugin-{tag}\"\nversion = \"{version}\"\nedition = \"2021\"\n\n\
             [lib]\nname = \"rtrace_{tag}\"\ncrate-type = [\"cdylib\"]\n\n\
             [dependencies]\nrtrace-sdk = {{ path = \"../sdk\" }}\n"
        ),
    );
    write_if_changed(
        &dir.join("plugin/src/lib.rs"),
        &format!(
            "pub const DECODERS: &[rtrace_sdk::Syscall] = &[rtrace_sdk::syscall!(\"close\", [Fd])];\n\
             rtrace_sdk::export_plugin! {{ name: \"{tag}\", version: \"{version}\", decoders: DECODERS }}\n"
        ),
    );
    write_if_changed(
        &dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"plugin-api\", \"sdk\", \"plugin\"]\n",
    );
    common::build_out_of_tree(&dir, &format!("rtrace_{tag}"))
}

#[test]
fn plugin_built_for_another_interface_version() {
    let lib = build_plugin_against_copied_interface("old", "9.0.0", |api| api);
    assert_eq!(
        load_error(&lib),
        format!(
            "plugin old ({}): built for interface 9.0.0, this rtrace has {}",
            lib.display(),
            rtrace_plugin_api::INTERFACE_VERSION
        )
    );
}

/// A plugin built from an edited copy of the interface that still claims this version:
/// its fingerprint differs from the host's, so abi_stable's layout check runs and
/// refuses it (a plugin from the same definitions skips that check).
#[test]
fn plugin_with_the_same_version_but_another_layout() {
    let ours = rtrace_plugin_api::INTERFACE_VERSION;
    let lib = build_plugin_against_copied_interface("edited", ours, |api| {
        let field = "pub stack_pointer: u64,";
        assert!(api.contains(field), "CallContext no longer has `{field}`");
        api.replace(field, "pub stack_pointer: u64, pub added_here: u64,")
    });
    assert_eq!(
        load_error(&lib),
        format!(
            "plugin edited ({}): its interface layout differs from this rtrace's \
             (rebuild it against rtrace-sdk {ours})",
            lib.display()
        )
    );
}

#[test]
fn two_plugins_with_the_same_name() {
    let fs = common::fs_plugin();
    let copy = scratch("dup").join("librtrace_fs_copy.so");
    std::fs::copy(&fs, &copy).unwrap();
    let mut registry = DecoderRegistry::new();
    registry.load(&fs).unwrap();
    let err = registry.load(&copy).map(|_| ()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "plugin fs ({}): a plugin with that name is already loaded from {}",
            copy.display(),
            fs.display()
        )
    );
    assert!(matches!(err, LoadError::DuplicateName { .. }));
    // Loading the same file again is not a conflict.
    registry.load(&fs).unwrap();
    assert_eq!(registry.list().len(), 1);
}

fn panicky_plugin() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/plugins/panicky");
    common::build_out_of_tree(&dir, "rtrace_panicky")
}

#[test]
fn a_panicking_decoder_is_contained() {
    let mut registry = DecoderRegistry::new();
    registry.load(&panicky_plugin()).unwrap();
    registry.load(&common::fs_plugin()).unwrap();
    let mem = FakeTracee::new();
    let binding = HostBinding::new(&mem, 42, 8, false);
    let mut em = Emitter::default();
    let getpid = registry.decoder_for("getpid").unwrap();

    let mut ctx = binding.call_context("getpid", 39, [7, 0, 0, 0, 0, 0], DecodeOptions::default());
    assert_eq!(
        registry.decode(getpid, Phase::Entry, &mut ctx, &mut em),
        DecodeStatus::Panicked
    );
    let message = String::from_utf8_lossy(&em.bytes).into_owned();
    assert!(
        message.starts_with("getpid decoder gave up on pid 42 at "),
        "{message}"
    );
    assert!(em.tokens.is_empty());

    // Through the fallback: raw arguments and the message, and again (the plugin survives).
    for _ in 0..2 {
        let result = registry.decode_or_raw(Some(getpid), Phase::Entry, &mut ctx, &mut em, 1);
        let Decoded::Raw(RawReason::Panicked(msg)) = result else {
            panic!("expected a caught panic, got {result:?}");
        };
        assert!(msg.starts_with("getpid decoder gave up on pid 42"), "{msg}");
        assert_eq!(common::dump(&em), "Hex(0x7)");
    }
    // Other decoders still work.
    let close = registry.decoder_for("close").unwrap();
    let mut ctx = binding.call_context("close", 3, [3, 0, 0, 0, 0, 0], DecodeOptions::default());
    assert_eq!(
        registry.decode(close, Phase::Entry, &mut ctx, &mut em),
        DecodeStatus::Complete
    );
    assert_eq!(common::dump(&em), "Fd(3)");
}

#[test]
fn a_declining_decoder_falls_back_to_raw() {
    let mut registry = DecoderRegistry::new();
    registry.load(&panicky_plugin()).unwrap();
    let mem = FakeTracee::new();
    let binding = HostBinding::new(&mem, 42, 8, false);
    let mut ctx = binding.call_context("getppid", 110, [0; 6], DecodeOptions::default());
    let mut em = Emitter::default();
    let d = registry.decoder_for("getppid");
    let result = registry.decode_or_raw(d, Phase::Entry, &mut ctx, &mut em, 0);
    assert_eq!(result, Decoded::Raw(RawReason::Declined));
    assert_eq!(common::dump(&em), "");
}

#[test]
fn plugin_names_that_resolve_nowhere() {
    let search = rtrace_decode::PluginSearch::new(None, Some("/nonexistent-a:/nonexistent-b"));
    let err = DecoderRegistry::new()
        .load_spec(&search, "net")
        .map(|_| ())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "plugin net: not found in /nonexistent-a:/nonexistent-b"
    );
}

/// The other half of the fingerprint rule: a plugin built in this workspace reports the
/// host's fingerprint, so loading it skips the layout check.
#[test]
fn bundled_plugins_carry_the_hosts_fingerprint() {
    let fs = common::fs_plugin();
    let mut symbol = rtrace_plugin_api::FINGERPRINT_SYMBOL.as_bytes().to_vec();
    symbol.push(0);
    // SAFETY: the bundled plugin, whose SDK exports the fingerprint as a u64 static.
    let exported = unsafe {
        let library = libloading::Library::new(&fs).unwrap();
        let address = library.get::<*const u64>(&symbol).unwrap();
        std::ptr::read_unaligned(*address)
    };
    assert_eq!(exported, rtrace_plugin_api::INTERFACE_FINGERPRINT);
}
