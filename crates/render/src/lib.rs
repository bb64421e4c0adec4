//! Rendering: turns decoded values and tracer events into strace's text.
//!
//! Owns: string escaping, number and return-value formats (errno names and texts,
//! the ERESTART* forms), signal names and siginfo, the one walk of a decoder's tokens
//! as a tree (`token_tree`) with its two outputs, strace's text (`token_text`) and
//! JSON's value tree (`json`), the line layout (pid prefixes, the alignment column,
//! `<unfinished ...>` / `<... resumed>`, `---`/`+++` lines, timestamps to a precision),
//! and the hex dumps of `-e read=`/`-e write=`.
//!
//! Must not know: ptrace, architectures' registers, any syscall's meaning, or where
//! the text goes (a [`line::LineSink`] receives it).

pub mod dump;
pub mod errno;
pub mod escape;
pub mod json;
pub mod line;
pub mod numbers;
pub mod siginfo;
pub mod signals;
pub mod stack;
pub mod token_text;
mod token_tree;

pub use escape::HexMode;
pub use json::{write_event, Event, JsonCall};
pub use line::{
    LayoutOptions, LineLayout, LineSink, OpenCall, PidPrefix, Precision, Return, Stamp, Tampered,
    TimeFormat,
};
pub use token_text::{color, ArgCursor, ConstStyle, FdPaths, NoFdPaths, PidNote, ValueRenderer};
