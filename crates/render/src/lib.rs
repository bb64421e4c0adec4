//! Rendering: turns decoded values and tracer events into strace's text.
//!
//! Owns: string escaping, number and return-value formats (errno names and texts,
//! the ERESTART* forms), signal names and siginfo, the token-stream renderer for
//! decoder output, and the line layout (pid prefixes, the alignment column,
//! `<unfinished ...>` / `<... resumed>`, `---`/`+++` lines).
//!
//! Must not know: ptrace, architectures' registers, any syscall's meaning, or where
//! the text goes (a [`line::LineSink`] receives it).

pub mod errno;
pub mod escape;
pub mod json;
pub mod line;
pub mod numbers;
pub mod siginfo;
pub mod signals;
pub mod stack;
pub mod values;

pub use escape::HexMode;
pub use json::{write_event, Event, JsonCall};
pub use line::{
    LayoutOptions, LineLayout, LineSink, OpenCall, PidPrefix, Return, Stamp, TimeFormat,
};
pub use values::{color, ArgCursor, ConstStyle, FdPaths, NoFdPaths, ValueRenderer};
