//! Steady-state decoding allocates nothing: the emitter keeps its capacity between
//! calls and the SDK reads tracee memory straight into its arena.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use rtrace_decode::{DecodeOptions, DecodeStatus, DecoderRegistry, Emitter, HostBinding, Phase};
use rtrace_plugin_testing::FakeTracee;
use rtrace_sdk::CallContext;

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Only the test's own thread counts (the harness's threads allocate too).
    static COUNTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn count() {
    if COUNTING.with(|c| c.get()) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

type Decode<'r> = dyn FnMut(&str, Phase, &mut CallContext<'_>, &mut Emitter) -> DecodeStatus + 'r;

/// Decodes openat and read (both phases) `rounds` times; returns the allocations made.
fn allocations(
    rounds: usize,
    mem: &FakeTracee,
    em: &mut Emitter,
    decode: &mut Decode<'_>,
) -> usize {
    let binding = HostBinding::new(mem, 1, 8, false);
    let opts = DecodeOptions::default();
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..rounds {
        let mut ctx = binding.call_context(
            "openat",
            257,
            [-100i64 as u64, 0x1000, 0o2000000, 0, 0, 0],
            opts,
        );
        decode("openat", Phase::Entry, &mut ctx, em);
        let mut ctx = binding.call_context("read", 0, [3, 0x2000, 832, 0, 0, 0], opts);
        decode("read", Phase::Entry, &mut ctx, em);
        ctx.retval = 832;
        decode("read", Phase::Exit, &mut ctx, em);
    }
    let made = ALLOCATIONS.load(Ordering::Relaxed) - before;
    // The work was really done: the last phase left read's buffer and count.
    let shown = "\\x07".repeat(32);
    assert_eq!(common::dump(em), format!("Str(\"{shown}\"...) Uint(832)"));
    made
}

#[test]
fn steady_state_decoding_does_not_allocate() {
    COUNTING.with(|c| c.set(true));
    let mut mem = FakeTracee::new();
    mem.map_str(0x1000, "/etc/ld.so.cache");
    mem.map(0x2000, &[7u8; 832]);

    // In-process: every allocation of the SDK's code path is counted here.
    let table = rtrace_fs::DECODERS;
    let mut in_process = |name: &str, phase, ctx: &mut CallContext<'_>, em: &mut Emitter| {
        let index = table.iter().position(|s| s.name == name).unwrap() as u32;
        em.clear();
        rtrace_sdk::dispatch(table, index, phase, ctx, em)
    };
    let mut em = Emitter::default();
    assert!(
        allocations(1, &mem, &mut em, &mut in_process) > 0,
        "the first call grows the emitter"
    );
    assert_eq!(allocations(100, &mem, &mut em, &mut in_process), 0);

    // Through the loaded plugin: the emitter's growth goes through the host's allocator.
    let mut registry = DecoderRegistry::new();
    registry.load(&common::fs_plugin()).unwrap();
    let mut through_plugin = |name: &str, phase, ctx: &mut CallContext<'_>, em: &mut Emitter| {
        registry.decode(registry.decoder_for(name).unwrap(), phase, ctx, em)
    };
    let mut em = Emitter::default();
    allocations(1, &mem, &mut em, &mut through_plugin);
    assert_eq!(allocations(100, &mem, &mut em, &mut through_plugin), 0);
}
