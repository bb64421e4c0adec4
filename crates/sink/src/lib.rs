//! Where rendered trace lines go: stderr, one file, or one file per process (`-ff`).
//!
//! Owns: opening outputs (so that an unwritable `-o` path is reported before the
//! command starts), buffering, flushing (per line only on a terminal) and write errors.
//!
//! Must not know: what a line means or how it was laid out.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

const BUFFER: usize = 64 * 1024;

/// The destination of the trace.
pub enum Output {
    /// Standard error (the default), written through at once.
    Stderr { out: BufWriter<io::Stderr> },
    /// `-o FILE`.
    File {
        out: BufWriter<File>,
        line_flush: bool,
    },
    /// `-ff -o BASE`: `BASE.PID` per process, opened on first use.
    PerProcess {
        base: PathBuf,
        files: HashMap<i32, BufWriter<File>>,
    },
}

/// Why output could not be opened or written.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    #[error("Can't fopen '{path}': {reason}")]
    Open { path: String, reason: String },
    #[error("write error: {0}")]
    Write(String),
}

fn io_reason(err: &io::Error) -> String {
    match err.raw_os_error() {
        // SAFETY: strerror returns a valid NUL-terminated string.
        Some(code) => unsafe { std::ffi::CStr::from_ptr(libc::strerror(code)) }
            .to_string_lossy()
            .into_owned(),
        None => err.to_string(),
    }
}

fn create(path: &Path) -> Result<File, SinkError> {
    File::create(path).map_err(|e| SinkError::Open {
        path: path.display().to_string(),
        reason: io_reason(&e),
    })
}

impl Output {
    pub fn stderr() -> Self {
        Output::Stderr {
            out: BufWriter::with_capacity(BUFFER, io::stderr()),
        }
    }

    /// Opens (creates or truncates) `path`.
    pub fn file(path: &Path) -> Result<Self, SinkError> {
        let file = create(path)?;
        let line_flush = file.is_terminal();
        Ok(Output::File {
            out: BufWriter::with_capacity(BUFFER, file),
            line_flush,
        })
    }

    /// Opens `path` for appending (`-A`).
    pub fn append(path: &Path) -> Result<Self, SinkError> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| SinkError::Open {
                path: path.display().to_string(),
                reason: io_reason(&e),
            })?;
        let line_flush = file.is_terminal();
        Ok(Output::File {
            out: BufWriter::with_capacity(BUFFER, file),
            line_flush,
        })
    }

    /// One file per process, `BASE.PID`. Checks now that the directory is writable.
    pub fn per_process(base: &Path) -> Result<Self, SinkError> {
        let probe = PathBuf::from(format!("{}.{}", base.display(), std::process::id()));
        create(&probe)?;
        let _ = std::fs::remove_file(&probe);
        Ok(Output::PerProcess {
            base: base.to_path_buf(),
            files: HashMap::new(),
        })
    }

    /// Writes a piece of a line for `pid`.
    pub fn write(&mut self, pid: i32, text: &[u8]) -> Result<(), SinkError> {
        let result = match self {
            // The tracee often shares stderr: like strace, write each piece as it
            // happens, so its own output lands where it was written.
            Output::Stderr { out, .. } => out.write_all(text).and_then(|()| out.flush()),
            Output::File { out, line_flush } => write_piece(out, text, *line_flush),
            Output::PerProcess { base, files } => {
                let out = match files.entry(pid) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        let path = PathBuf::from(format!("{}.{pid}", base.display()));
                        e.insert(BufWriter::with_capacity(BUFFER, create(&path)?))
                    }
                };
                write_piece(out, text, false)
            }
        };
        result.map_err(|e| SinkError::Write(io_reason(&e)))
    }

    /// Writes out everything buffered.
    pub fn flush(&mut self) -> Result<(), SinkError> {
        let result = match self {
            Output::Stderr { out, .. } => out.flush(),
            Output::File { out, .. } => out.flush(),
            Output::PerProcess { files, .. } => files.values_mut().try_for_each(|f| f.flush()),
        };
        result.map_err(|e| SinkError::Write(io_reason(&e)))
    }
}

fn write_piece<W: Write>(out: &mut W, text: &[u8], line_flush: bool) -> io::Result<()> {
    out.write_all(text)?;
    if line_flush && text.last() == Some(&b'\n') {
        out.flush()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_output_is_complete_after_flush() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trace");
        let mut out = Output::file(&path).unwrap();
        out.write(1, b"close(3").unwrap();
        out.write(1, b") = 0\n").unwrap();
        out.flush().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"close(3) = 0\n");
    }

    #[test]
    fn per_process_files() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("t");
        let mut out = Output::per_process(&base).unwrap();
        out.write(7, b"a\n").unwrap();
        out.write(8, b"b\n").unwrap();
        out.flush().unwrap();
        assert_eq!(
            std::fs::read(format!("{}.7", base.display())).unwrap(),
            b"a\n"
        );
        assert_eq!(
            std::fs::read(format!("{}.8", base.display())).unwrap(),
            b"b\n"
        );
    }

    #[test]
    fn unwritable_path_is_one_clear_error() {
        let err = Output::file(Path::new("/nonexistent-dir/trace"))
            .err()
            .unwrap();
        assert_eq!(
            err.to_string(),
            "Can't fopen '/nonexistent-dir/trace': No such file or directory"
        );
    }
}
