//! Harness for rtrace's end-to-end tests: real programs traced by the real `rtrace`
//! binary, and the same programs traced by strace, compared line by line.
//!
//! Owns: finding the built binaries ([`locate`]), compiling the C fixtures
//! ([`fixtures`]), running a command under a tracer ([`run`]), reading trace lines into
//! per-process events ([`trace`]), checking pages in headless Chromium ([`browser`]),
//! reading `-k` frames ([`stack_frames`]),
//! removing what legitimately differs between two runs
//! ([`normalise`]), aligning two traces ([`compare`]), running one command under both
//! tracers ([`differential`]) and asking which plugin decodes which call ([`plugins`]).
//!
//! Must not know: anything of rtrace's internals. It only runs the binary, the way a user
//! does, so that every test here checks behaviour a user can see.

pub mod browser;
pub mod cases;
pub mod checks;
pub mod compare;
pub mod differential;
pub mod fixtures;
pub mod locate;
pub mod normalise;
pub mod plugins;
pub mod run;
pub mod stack_frames;
pub mod trace;
pub mod varying;

pub use compare::{compare, Comparison, Level};
pub use differential::Differential;
pub use fixtures::{fixture, fixture_i386};
pub use locate::{rtrace_binary, strace_binary};
pub use normalise::Normaliser;
pub use run::{Outcome, Tracer};
