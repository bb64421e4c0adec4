//! Pictures of a trace: a self-contained HTML timeline (`--timeline`) and a Trace Event
//! JSON file that Perfetto's viewer and chrome://tracing open (`--perfetto`).
//!
//! Owns: reading rtrace's event stream — the JSON lines `--json` writes
//! (docs/json-schema.json), whether they come live from a trace or from a recorded file,
//! through the one [`Recorder::add_line`] — into a [`Trace`]: one lane per thread,
//! grouped by process and ordered by the process tree (rebuilt from the traced
//! fork/vfork/clone/clone3 calls), calls from entry to exit, signals, exits and execs as
//! marks, forks and clones as links, and the `-c` summary with latency percentiles. Then
//! writing that trace as the HTML page (`assets/timeline.html`, which holds all of its
//! script and style) or as trace-event JSON.
//!
//! Must not know: ptrace, registers, decoders or any syscall's decoding (it reads decoded
//! values from JSON), which calls the filters chose (it draws what it is given), or
//! which family a syscall belongs to (the caller's classifier says).

mod event;
mod html;
mod line;
mod model;
mod perfetto;

pub use html::write_html;
pub use model::{Call, CallEnd, Lane, Link, LinkKind, Mark, MarkKind, Recorder, SummaryRow, Trace};
pub use perfetto::write_perfetto;
