//! `--timeline` and `--perfetto`: their files, opened before anything is traced (so a
//! path that cannot be written stops rtrace at once), the recorder the printer feeds,
//! and the pictures written when the trace ends. `--from-json` feeds the same recorder
//! from a recorded file instead of a live trace.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use rtrace_options::Options;
use rtrace_timeline::{write_html, write_perfetto, Recorder, Trace};

use crate::filter::{syscall_family, Filters};

/// One output file, open.
struct Picture {
    path: PathBuf,
    file: File,
}

impl Picture {
    fn create(path: &Path, option: &str) -> Result<Self, String> {
        let file = File::create(path)
            .map_err(|e| format!("cannot write the {option} file {}: {e}", path.display()))?;
        Ok(Picture {
            path: path.to_path_buf(),
            file,
        })
    }

    fn write(
        self,
        trace: &Trace,
        how: fn(&Trace, &mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), String> {
        let mut out = BufWriter::new(self.file);
        how(trace, &mut out)
            .and_then(|()| out.flush())
            .map_err(|e| format!("writing {}: {e}", self.path.display()))
    }
}

/// The files `--timeline` and `--perfetto` name.
pub struct Pictures {
    timeline: Option<Picture>,
    perfetto: Option<Picture>,
}

impl Pictures {
    /// Opens the files; `None` when neither option was given.
    pub fn open(options: &Options) -> Result<Option<Self>, String> {
        if !options.draws() {
            return Ok(None);
        }
        let open = |path: &Option<PathBuf>, option| {
            path.as_deref()
                .map(|p| Picture::create(p, option))
                .transpose()
        };
        Ok(Some(Pictures {
            timeline: open(&options.timeline, "--timeline")?,
            perfetto: open(&options.perfetto, "--perfetto")?,
        }))
    }

    /// A recorder whose calls are coloured by the syscall classes.
    pub fn recorder() -> Recorder {
        Recorder::new(Box::new(syscall_family))
    }

    /// Draws what `recorder` collected into the files.
    pub fn write(self, recorder: Recorder) -> Result<(), String> {
        let trace = recorder.finish();
        if let Some(picture) = self.timeline {
            picture.write(&trace, write_html)?;
        }
        if let Some(picture) = self.perfetto {
            picture.write(&trace, write_perfetto)?;
        }
        Ok(())
    }
}

/// `--from-json TRACE`: reads a recorded `--json` trace through the recorder a live
/// trace uses, keeping the calls `-e trace=` selects, and writes the pictures.
pub fn draw_recorded(options: &Options, trace: &Path, filters: Filters) -> Result<(), String> {
    let input = File::open(trace).map_err(|e| format!("cannot read {}: {e}", trace.display()))?;
    let pictures =
        Pictures::open(options)?.ok_or("--from-json requires --timeline or --perfetto")?;
    let mut recorder = Pictures::recorder();
    let selected = filters.trace;
    recorder.keep_only(Box::new(move |name| selected.contains(Some(name), None)));
    for line in BufReader::new(input).split(b'\n') {
        let line = line.map_err(|e| format!("reading {}: {e}", trace.display()))?;
        recorder
            .add_line(&line)
            .map_err(|e| format!("{}: {e}", trace.display()))?;
    }
    pictures.write(recorder)
}
