//! Fuzzing of rtrace's decoder plugins against hostile tracee memory.
//!
//! Owns: the list of decoder families under test ([`families::FAMILIES`]), random syscall
//! inputs biased towards what breaks decoders ([`input`]: odd arguments, strings without a
//! NUL before an unmapped page, huge lengths, structures pointing at themselves), a fake
//! tracee that counts every byte a decoder asks for ([`memory`]), the per-case checks
//! ([`check`]) and the seeded proptest loop over every decoder of a family ([`runner`]).
//!
//! Must not know: any syscall's meaning beyond what a decoder table says about its
//! argument kinds, ptrace, or how plugins are loaded. Decoders are called through
//! `rtrace_sdk::dispatch`, the function a plugin's exported `decode` entry calls, so the
//! panic catching under test is the one a loaded plugin has.
//!
//! The short run is part of `cargo test`; `RTRACE_FUZZ_CASES=200000 cargo test --release
//! -p rtrace-fuzz -- --nocapture` runs long (see README.md in this directory).

pub mod check;
pub mod counting_tracee;
pub mod families;
pub mod guard;
pub mod input;
pub mod runner;
