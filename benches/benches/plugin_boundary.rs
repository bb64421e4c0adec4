//! What the plugin boundary costs: decoding `openat` (entry) and `read` (entry and
//! exit, 832 bytes at `-s 32`) through the loaded librtrace_fs.so, against the same
//! decoder table called in-process. A traced syscall costs about 16 us of ptrace
//! stops; the boundary's share must stay under 5% of that.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use rtrace_decode::{
    CallContext, DecodeOptions, DecodeStatus, DecoderRegistry, Emitter, HostBinding, Phase,
};
use rtrace_plugin_testing::FakeTracee;

const AT_FDCWD: u64 = -100i64 as u64;

fn fs_plugin_path() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap();
    [dir.join("librtrace_fs.so"), dir.join("../librtrace_fs.so")]
        .into_iter()
        .find(|p| p.is_file())
        .expect("librtrace_fs.so not found next to the bench binary")
}

fn tracee() -> FakeTracee {
    let mut mem = FakeTracee::new();
    mem.map_str(0x1000, "/etc/ld.so.cache");
    let mut elf = b"\x7fELF\x02\x01\x01\x03".to_vec();
    elf.resize(832, 0);
    mem.map(0x2000, &elf);
    mem
}

/// One openat and one read, both phases, through `decode` (either side of the boundary).
fn openat_and_read(
    binding: &HostBinding<'_, FakeTracee>,
    em: &mut Emitter,
    decode: &mut dyn FnMut(&str, Phase, &mut CallContext<'_>, &mut Emitter) -> DecodeStatus,
) {
    let options = DecodeOptions::default();
    let mut ctx = binding.call_context(
        "openat",
        257,
        [AT_FDCWD, 0x1000, 0o2000000, 0, 0, 0],
        options,
    );
    black_box(decode("openat", Phase::Entry, &mut ctx, em));
    ctx.retval = 3;
    black_box(decode("openat", Phase::Exit, &mut ctx, em));
    let mut ctx = binding.call_context("read", 0, [3, 0x2000, 832, 0, 0, 0], options);
    black_box(decode("read", Phase::Entry, &mut ctx, em));
    ctx.retval = 832;
    black_box(decode("read", Phase::Exit, &mut ctx, em));
}

fn boundary(c: &mut Criterion) {
    let mem = tracee();
    let binding = HostBinding::new(&mem, 1, 8, false);
    let mut em = Emitter::default();

    let mut registry = DecoderRegistry::new();
    registry.load(&fs_plugin_path()).unwrap();
    let openat = registry.decoder_for("openat").unwrap();
    let read = registry.decoder_for("read").unwrap();
    c.bench_function("openat+read via loaded plugin", |b| {
        b.iter(|| {
            openat_and_read(&binding, &mut em, &mut |name, phase, ctx, em| {
                let d = if name == "openat" { openat } else { read };
                registry.decode(d, phase, ctx, em)
            })
        })
    });

    let table = rtrace_fs::DECODERS;
    let index = |name: &str| table.iter().position(|s| s.name == name).unwrap() as u32;
    let (openat, read) = (index("openat"), index("read"));
    c.bench_function("openat+read in-process", |b| {
        b.iter(|| {
            openat_and_read(&binding, &mut em, &mut |name, phase, ctx, em| {
                let d = if name == "openat" { openat } else { read };
                em.clear();
                rtrace_sdk::dispatch(table, d, phase, ctx, em)
            })
        })
    });
}

criterion_group!(benches, boundary);
criterion_main!(benches);
