//! Proof that the harness catches what it claims to: a panic, an unbounded read, a
//! hidden unmapped pointer, and (in a child process, since they abort it) a hang and
//! an oversized allocation. (The families' own runs are the `family_*` tests.)

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

fn hangs(_: Phase, _: &mut Call<'_, '_>, _: &mut Out<'_>) -> DecodeStatus {
    // Follows a cycle forever.
    loop {
        std::hint::spin_loop();
    }
}

fn allocates_hugely(_: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    // Sizes a buffer by a tracee value.
    let buffer = vec![0u8; (call.arg(0) as usize).max(1 << 30)];
    out.uint(buffer.len() as u64);
    DecodeStatus::Complete
}

const ABORTING: &[Syscall] = &[
    syscall!("hangs", custom = hangs),
    syscall!("allocates_hugely", custom = allocates_hugely),
];

const ABORTING_FAMILY: Family = Family {
    name: "aborting",
    decoders: ABORTING,
    struct_pointers: &[],
};

/// Set in the child process: the one aborting decoder to fuzz.
const CHILD_VAR: &str = "RTRACE_FUZZ_HARNESS_CHILD";

/// A command running this test binary again: directly, or through the emulator named by
/// RTRACE_TEST_RUNNER (`cargo xtask test-arm` runs ARM test binaries under qemu-arm,
/// inside which an ARM binary cannot exec another without binfmt_misc).
fn rerun_self() -> std::process::Command {
    let test_binary = std::env::current_exe().expect("the test binary's path");
    let runner = std::env::var("RTRACE_TEST_RUNNER").unwrap_or_default();
    let mut words = runner.split_whitespace();
    match words.next() {
        Some(program) => {
            let mut command = std::process::Command::new(program);
            command.args(words).arg(test_binary);
            command
        }
        None => std::process::Command::new(test_binary),
    }
}

#[test]
fn harness_names_the_case_of_a_hang_or_an_oversized_allocation() {
    if let Ok(decoder) = std::env::var(CHILD_VAR) {
        let skip = ABORTING.iter().filter(|s| s.name != decoder);
        let settings = Settings {
            cases: 10,
            seed: DEFAULT_SEED,
            skip: skip.map(|s| format!("aborting/{}", s.name)).collect(),
        };
        let report = fuzz_family(&ABORTING_FAMILY, &settings);
        panic!("the child was not aborted: {:?}", report.failures);
    }
    for (decoder, expected) in [
        ("hangs", "a decode ran for over"),
        ("allocates_hugely", "an allocation of"),
    ] {
        let mut child = rerun_self()
            .args([
                "--exact",
                "harness_names_the_case_of_a_hang_or_an_oversized_allocation",
                "--nocapture",
            ])
            .env(CHILD_VAR, decoder)
            .env("RTRACE_FUZZ_HANG_MS", "500")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the test binary runs");
        let mut pipe = child.stderr.take().expect("the child's stderr");
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut pipe, &mut text);
            text
        });
        // Without the watchdog the child would hang: give it 60 s, then fail.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while child.try_wait().expect("wait for the child").is_none() {
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                panic!("{decoder}: the child still runs after 60 s");
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let status = child.wait().expect("the child's status");
        let stderr = reader.join().expect("the stderr reader");
        assert!(!status.success(), "{decoder}: the child passed");
        assert!(
            stderr.contains(&format!("rtrace-fuzz: FAILURE: {expected}"))
                && stderr.contains(&format!("while decoding aborting/{decoder}, input:"))
                && stderr.contains("args: ["),
            "{decoder}: the abort does not name the case:\n{stderr}"
        );
    }
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

/// Choosing families is cargo's job (`--test family_fs`): the old variable that made the
/// other families' tests pass without running is refused, with the cargo command to use.
#[test]
fn a_family_list_in_the_environment_is_refused() {
    let error = Settings::from_variables(|var| {
        (var == "RTRACE_FUZZ_FAMILIES").then(|| "fs, net".to_string())
    })
    .unwrap_err();
    assert!(
        error.contains("cargo test -p rtrace-fuzz --test family_fs --test family_net"),
        "{error}"
    );
    let settings =
        Settings::from_variables(|var| (var == "RTRACE_FUZZ_CASES").then(|| "12".to_string()))
            .unwrap();
    assert_eq!((settings.cases, settings.seed), (12, DEFAULT_SEED));
    assert!(Settings::from_variables(|var| {
        (var == "RTRACE_FUZZ_SEED").then(|| "x".to_string())
    })
    .is_err());
}
