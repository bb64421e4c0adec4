//! Proof that the harness catches what it claims to: a panic, an unbounded read, a
//! hidden unmapped pointer. (The families' own runs are the `family_*` tests.)

use rtrace_fuzz::families::{at, Family};
use rtrace_fuzz::guard::GuardedAlloc;
use rtrace_fuzz::runner::{fuzz_family, Settings, DEFAULT_SEED};
use rtrace_sdk::{syscall, Call, DecodeStatus, Out, Phase, Syscall};

#[global_allocator]
static ALLOCATOR: GuardedAlloc = GuardedAlloc;

// Decoders broken on purpose, each in the way the harness must catch.

fn panics(_: Phase, call: &mut Call<'_, '_>, _: &mut Out<'_>) -> DecodeStatus {
    // Indexes a table with a tracee's value, unchecked.
    let table = [1u8; 4];
    std::hint::black_box(table[call.arg(0) as usize]);
    DecodeStatus::Complete
}

fn reads_everything(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        // Trusts a length from the tracee: 2 MiB in 64 KiB pieces.
        let mut chunk = vec![0u8; 65536];
        for i in 0..32 {
            let _ = call.tracee().read(call.arg(0) + i * 65536, &mut chunk);
        }
        out.int(0);
    }
    DecodeStatus::Complete
}

fn hides_address(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        let mut word = [0u8; 8];
        if call.tracee().read_exact(call.arg(0), &mut word) {
            out.uint(u64::from_le_bytes(word));
        } else {
            out.text("{...}");
        }
    }
    DecodeStatus::Complete
}

const BROKEN: &[Syscall] = &[
    syscall!("panics", custom = panics),
    syscall!("reads_everything", custom = reads_everything),
    syscall!("hides_address", custom = hides_address),
];

const BROKEN_FAMILY: Family = Family {
    name: "broken",
    decoders: BROKEN,
    struct_pointers: &[at("hides_address", 0)],
};

#[test]
fn harness_reports_each_kind_of_broken_decoder() {
    let settings = Settings {
        cases: 300,
        seed: DEFAULT_SEED,
        families: None,
        skip: Vec::new(),
    };
    let report = fuzz_family(&BROKEN_FAMILY, &settings);
    let reason = |decoder: &str| {
        report
            .failures
            .iter()
            .find(|f| f.decoder == decoder)
            .map(|f| f.reason.clone())
            .unwrap_or_else(|| panic!("{decoder} was not reported: {:?}", report.failures))
    };
    let panicked = reason("panics");
    assert!(
        panicked.contains("panicked at entry") && panicked.contains("index out of bounds"),
        "{panicked}"
    );
    assert!(
        panicked.contains("tests/harness.rs"),
        "no location: {panicked}"
    );
    assert!(reason("reads_everything").contains("unbounded read"));
    assert!(reason("hides_address").contains("does not show"));
    let stack = report
        .failures
        .iter()
        .find(|f| f.decoder == "panics")
        .and_then(|f| f.stack.clone());
    assert!(
        stack.is_some_and(|s| !s.is_empty()),
        "no stack for the panic"
    );
}
