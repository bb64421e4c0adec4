//! The seeded proptest loop: every decoder of a family gets its share of the cases,
//! and each failure comes back shrunk to a minimal input, with the panic's stack.

use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

use crate::check::{run_case, take_coverage, Coverage};
use crate::families::Family;
use crate::guard;
use crate::input::{fuzz_input, Case};

/// Cases per family in the short run of `cargo test`.
pub const DEFAULT_CASES_PER_FAMILY: u64 = 2000;
/// The seed of the short run (every run of `cargo test` sees the same inputs).
pub const DEFAULT_SEED: u64 = 0x7274_7261_6365;

/// How a family's run went.
#[derive(Debug)]
pub struct FamilyReport {
    pub family: &'static str,
    /// Cases decoded (entry and exit), over all decoders.
    pub cases: u64,
    pub decoders: usize,
    pub failures: Vec<Failure>,
    /// Decoders left out by `RTRACE_FUZZ_SKIP`.
    pub skipped: Vec<&'static str>,
    pub coverage: Coverage,
}

/// A decoder that failed, with its shrunk input.
#[derive(Debug)]
pub struct Failure {
    pub family: &'static str,
    pub decoder: &'static str,
    pub reason: String,
    /// None when proptest gave up without one (it never rejects inputs here).
    pub minimal: Option<Case>,
    /// The rtrace frames of the panic, when it was one.
    pub stack: Option<String>,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}/{}: {}", self.family, self.decoder, self.reason)?;
        if let Some(minimal) = &self.minimal {
            writeln!(f, "minimal input: {minimal:?}")?;
        }
        if let Some(stack) = &self.stack {
            writeln!(f, "stack:\n{stack}")?;
        }
        Ok(())
    }
}

/// What one run covers, from the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `RTRACE_FUZZ_CASES`: cases per family.
    pub cases: u64,
    /// `RTRACE_FUZZ_SEED`.
    pub seed: u64,
    /// `RTRACE_FUZZ_SKIP=time/getrandom,...`: decoders left out, for long runs past a
    /// known crash (an oversized allocation aborts the whole process). Skipped
    /// decoders are listed in the report.
    pub skip: Vec<String>,
}

impl Settings {
    /// A value that is not a number is an error, not a silent default.
    ///
    /// Families are chosen with cargo, not here: each is its own test binary
    /// (`cargo test -p rtrace-fuzz --test family_fs --test family_net`), so a family
    /// left out is not run and not counted. The old `RTRACE_FUZZ_FAMILIES` made a left-out
    /// family's test pass without running; it is refused with that advice.
    pub fn from_env() -> Result<Settings, String> {
        Self::from_variables(|var| std::env::var(var).ok())
    }

    /// As [`Settings::from_env`], the variables read through `variable`.
    pub fn from_variables(variable: impl Fn(&str) -> Option<String>) -> Result<Settings, String> {
        if let Some(families) = variable("RTRACE_FUZZ_FAMILIES") {
            let tests: Vec<String> = families
                .split(',')
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .map(|name| format!("--test family_{name}"))
                .collect();
            return Err(format!(
                "RTRACE_FUZZ_FAMILIES={families:?} is not supported: choose families with cargo \
                 (cargo test -p rtrace-fuzz {}), so that the others are not run rather than passed",
                tests.join(" ")
            ));
        }
        let number = |var: &str, default: u64| match variable(var) {
            Some(text) => text
                .trim()
                .parse::<u64>()
                .map_err(|_| format!("{var}={text:?} is not a number")),
            None => Ok(default),
        };
        let list = |var: &str| {
            variable(var).map(|text| {
                text.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
            })
        };
        Ok(Settings {
            cases: number("RTRACE_FUZZ_CASES", DEFAULT_CASES_PER_FAMILY)?,
            seed: number("RTRACE_FUZZ_SEED", DEFAULT_SEED)?,
            skip: list("RTRACE_FUZZ_SKIP").unwrap_or_default(),
        })
    }

    fn skips(&self, family: &str, decoder: &str) -> bool {
        self.skip
            .iter()
            .any(|s| *s == format!("{family}/{decoder}"))
    }
}

/// Runs about `cases` cases over `family`, split evenly among its decoders (each at
/// least one), each decoder from its own seed so that adding one changes no other's inputs.
pub fn fuzz_family(family: &Family, settings: &Settings) -> FamilyReport {
    guard::install_panic_hook();
    let per_decoder = settings
        .cases
        .div_ceil(family.decoders.len().max(1) as u64)
        .max(1);
    let mut report = FamilyReport {
        family: family.name,
        cases: 0,
        decoders: family.decoders.len(),
        failures: Vec::new(),
        skipped: Vec::new(),
        coverage: Coverage::default(),
    };
    take_coverage();
    for (index, syscall) in family.decoders.iter().enumerate() {
        if settings.skips(family.name, syscall.name) {
            report.skipped.push(syscall.name);
            continue;
        }
        let config = Config {
            cases: per_decoder.min(u64::from(u32::MAX)) as u32,
            failure_persistence: None,
            max_shrink_iters: 4096,
            ..Config::default()
        };
        let mut runner =
            TestRunner::new_with_rng(config, rng_for(settings.seed, family.name, syscall.name));
        let outcome = runner.run(&fuzz_input(), |input| {
            run_case(family, index, &input.materialize()).map_err(TestCaseError::fail)
        });
        match outcome {
            Ok(()) => report.cases += per_decoder,
            Err(TestError::Fail(reason, input)) => {
                let minimal = input.materialize();
                // Once more, to keep the stack of the minimal case's panic.
                let _ = run_case(family, index, &minimal);
                report.failures.push(Failure {
                    family: family.name,
                    decoder: syscall.name,
                    reason: reason.to_string(),
                    stack: guard::last_panic_stack(),
                    minimal: Some(minimal),
                });
            }
            Err(TestError::Abort(reason)) => report.failures.push(Failure {
                family: family.name,
                decoder: syscall.name,
                reason: format!("proptest aborted: {reason}"),
                stack: None,
                minimal: None,
            }),
        }
    }
    report.coverage = take_coverage();
    report
}

/// The seed of one decoder's run: the run's seed mixed with the family and decoder
/// names (FNV-1a), spread over ChaCha's 32 bytes.
fn rng_for(seed: u64, family: &str, decoder: &str) -> TestRng {
    use rtrace_sdk::api::{fnv1a, FNV1A_OFFSET_BASIS};
    let hash = fnv1a(FNV1A_OFFSET_BASIS ^ seed, family.as_bytes());
    let hash = fnv1a(fnv1a(hash, b"/"), decoder.as_bytes());
    let mut bytes = [0u8; 32];
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        let word = hash.rotate_left(17 * i as u32) ^ seed.wrapping_mul(i as u64 + 1);
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

/// The body of a family's fuzz test ([`fuzz_family_test!`](crate::fuzz_family_test)):
/// runs it with the settings of the environment, prints the count, fails on any failure.
pub fn family_test(family: &Family) {
    let settings = Settings::from_env().unwrap_or_else(|e| panic!("{e}"));
    for pointer in family.struct_pointers {
        assert!(
            family.decoders.iter().any(|s| s.name == pointer.syscall)
                && pointer.arg < 6
                && pointer.count_arg.is_none_or(|c| c < 6),
            "family {}: {pointer:?} names no decoder of the family or no argument",
            family.name
        );
    }
    let start = std::time::Instant::now();
    let report = fuzz_family(family, &settings);
    let c = report.coverage;
    println!(
        "rtrace-fuzz: family {}: {} cases over {} decoders, {} failing, {} skipped {:?}, {:.1?} (seed {:#x}); \
         declined {}, read memory {}, showed memory {}, unmapped pointers checked {}",
        report.family,
        report.cases,
        report.decoders,
        report.failures.len(),
        report.skipped.len(),
        report.skipped,
        start.elapsed(),
        settings.seed,
        c.declined,
        c.read_memory,
        c.showed_memory,
        c.unmapped_checked,
    );
    let text: Vec<String> = report.failures.iter().map(ToString::to_string).collect();
    assert!(
        report.failures.is_empty(),
        "family {}: {} decoders failed:\n{}",
        family.name,
        report.failures.len(),
        text.join("\n")
    );
}
