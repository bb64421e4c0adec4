//! What keeps a failing decoder from hiding: a panic hook that records where a decoder
//! panicked (the SDK's dispatch catches the panic and only returns `Panicked`), a
//! global allocator for the test binary that names the case before an oversized
//! allocation aborts the process (an allocation failure cannot be caught), and a
//! watchdog that names the case and aborts when one decode runs for seconds (a loop
//! over a cyclic structure would otherwise hang the test run).
//!
//! The case being decoded is kept process-wide: one fuzz test per test binary.

use std::alloc::{GlobalAlloc, Layout, System};
use std::backtrace::Backtrace;
use std::cell::{Cell, RefCell};
use std::fmt::{self, Write as _};
use std::panic;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

use crate::input::Case;

/// No decode needs this much at once: the decode read bound is 1 MiB per call.
pub const HUGE_ALLOCATION: usize = 256 << 20;

thread_local! {
    /// Inside a case: panics are recorded, not printed.
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<(String, Backtrace)>> = const { RefCell::new(None) };
}

/// The case being decoded, for the oversized-allocation and watchdog reports.
static CURRENT: Mutex<Option<(&'static str, &'static str, Case)>> = Mutex::new(None);
/// When the current case started, in milliseconds since [`epoch`]; 0 between cases.
static CASE_STARTED_MS: AtomicU64 = AtomicU64::new(0);

/// One decode (entry, exit and rendering) taking this long is a hang;
/// `RTRACE_FUZZ_HANG_MS` changes it.
const DEFAULT_HANG: Duration = Duration::from_secs(10);

fn hang_limit() -> Duration {
    std::env::var("RTRACE_FUZZ_HANG_MS")
        .ok()
        .and_then(|ms| ms.trim().parse().ok())
        .map_or(DEFAULT_HANG, Duration::from_millis)
}

fn epoch() -> Instant {
    static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn now_ms() -> u64 {
    // Never 0, which means "no case running".
    epoch().elapsed().as_millis() as u64 + 1
}

/// Starts the watchdog thread once.
fn start_watchdog() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        epoch();
        let hang = hang_limit();
        std::thread::spawn(move || loop {
            std::thread::sleep((hang / 10).max(Duration::from_millis(10)));
            let started = CASE_STARTED_MS.load(Ordering::Relaxed);
            if started != 0 && now_ms().saturating_sub(started) > hang.as_millis() as u64 {
                let _ = write!(
                    Stderr,
                    "\nrtrace-fuzz: FAILURE: a decode ran for over {hang:?}"
                );
                report_current();
                std::process::abort();
            }
        });
    });
}

/// Installs the recording panic hook once; outside cases, panics print as usual.
pub fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.get() {
                let location = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                let backtrace = Backtrace::force_capture();
                LAST_PANIC.set(Some((location, backtrace)));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f` as the decode of `case` by `family`/`decoder`: panics are recorded quietly
/// and an oversized allocation names the case.
pub fn in_case<R>(
    family: &'static str,
    decoder: &'static str,
    case: &Case,
    f: impl FnOnce() -> R,
) -> R {
    start_watchdog();
    LAST_PANIC.set(None);
    *CURRENT.lock().unwrap_or_else(|e| e.into_inner()) = Some((family, decoder, case.clone()));
    CASE_STARTED_MS.store(now_ms(), Ordering::Relaxed);
    QUIET.set(true);
    let result = f();
    QUIET.set(false);
    CASE_STARTED_MS.store(0, Ordering::Relaxed);
    *CURRENT.lock().unwrap_or_else(|e| e.into_inner()) = None;
    result
}

/// Where the last panic of the current (or last) case happened.
pub fn last_panic_location() -> Option<String> {
    LAST_PANIC.with_borrow(|p| p.as_ref().map(|(location, _)| location.clone()))
}

/// The stack of the last panic of the last case: the frames of rtrace's crates
/// (decoders, SDK, host) with their source lines.
pub fn last_panic_stack() -> Option<String> {
    LAST_PANIC.with_borrow(|p| {
        p.as_ref()
            .map(|(_, backtrace)| rtrace_frames(&backtrace.to_string()))
    })
}

fn rtrace_frames(backtrace: &str) -> String {
    let mut kept = Vec::new();
    let mut keeping = false;
    for line in backtrace.lines() {
        let trimmed = line.trim_start();
        if !trimmed.starts_with("at ") {
            keeping = trimmed.contains("rtrace_") && !trimmed.contains("rtrace_fuzz");
        }
        if keeping {
            kept.push(line);
        }
    }
    kept.join("\n")
}

/// The system allocator, refusing (and reporting) any single allocation above
/// [`HUGE_ALLOCATION`]. Install it in a test binary with `#[global_allocator]`.
pub struct GuardedAlloc;

unsafe impl GlobalAlloc for GuardedAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() > HUGE_ALLOCATION {
            report_huge(layout.size());
            return std::ptr::null_mut();
        }
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.size() > HUGE_ALLOCATION {
            report_huge(layout.size());
            return std::ptr::null_mut();
        }
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > HUGE_ALLOCATION {
            report_huge(new_size);
            return std::ptr::null_mut();
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Writes straight to stderr: the allocator must not allocate.
struct Stderr;

impl fmt::Write for Stderr {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let mut rest = s.as_bytes();
        while !rest.is_empty() {
            // SAFETY: writing initialised bytes to fd 2.
            let n = unsafe { libc::write(2, rest.as_ptr().cast(), rest.len()) };
            if n <= 0 {
                return Err(fmt::Error);
            }
            rest = &rest[n as usize..];
        }
        Ok(())
    }
}

/// Names the case that asked for `size` bytes; the allocation then fails and Rust
/// aborts the process, which fails the test run.
fn report_huge(size: usize) {
    let _ = write!(
        Stderr,
        "\nrtrace-fuzz: FAILURE: an allocation of {size} bytes"
    );
    report_current();
}

/// Writes ` while decoding FAMILY/DECODER, input: ...` without allocating.
fn report_current() {
    match CURRENT.try_lock() {
        Ok(guard) => match guard.as_ref() {
            Some((family, decoder, case)) => {
                let _ = writeln!(
                    Stderr,
                    " while decoding {family}/{decoder}, input:\n{case:?}"
                );
            }
            None => {
                let _ = writeln!(Stderr, " outside any decode");
            }
        },
        Err(_) => {
            let _ = writeln!(Stderr, " (the case is locked)");
        }
    }
}
