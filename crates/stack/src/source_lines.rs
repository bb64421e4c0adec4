//! `-kk`: the source file and line of a code address, from a file's DWARF line tables.
//!
//! addr2line finds the line-table row of an address; the file is then named as strace's
//! libdw back end (the only one with `-kk`) names it, which is not addr2line's way: libdw
//! joins the entry's directory and its name (an absolute name stands alone) and puts the
//! unit's directory before neither, so a file compiled as `gcc src/x.c` in `/build` is
//! `src/x.c` to strace, where addr2line says `/build/src/x.c`. A line 0 row is line 0.
//!
//! A file without line tables may have them in a separate debug file, where libdw
//! (and so strace) looks: `/usr/lib/debug/.build-id/NN/NNN….debug` by the file's build
//! ID, else its `.gnu_debuglink` name beside it, in `.debug/` beside it, or under
//! `/usr/lib/debug` (Debian's `-dbg`/`-dbgsym` packages). Their sections are often
//! compressed.

use std::sync::{Arc, Mutex, PoisonError};

use gimli::Reader;
use object::{Object, ObjectSection};
use rustc_hash::FxHashMap;

type DwarfReader = gimli::EndianArcSlice<gimli::NativeEndian>;

/// A source file and a line in it.
pub type Source = (Arc<str>, u32);

/// One ELF file's line tables.
pub struct SourceLines {
    context: addr2line::Context<DwarfReader>,
    /// Answers by stated address: a walk meets the same return addresses again and
    /// again, and each answer costs a unit look-up and a walk of its file table.
    found: Mutex<FxHashMap<u64, Option<Source>>>,
}

impl SourceLines {
    /// The line tables of the ELF file `bytes`, read from `path`, or of its separate
    /// debug file; `None` when neither has any.
    pub fn load(path: &str, bytes: &Arc<[u8]>) -> Option<SourceLines> {
        let elf = object::File::parse(&**bytes).ok()?;
        let dwarf = if elf.section_by_name(".debug_line").is_some() {
            dwarf_of(&elf, bytes)?
        } else {
            let debug: Arc<[u8]> = separate_debug_file(path, &elf)?.into();
            let debug_elf = object::File::parse(&*debug).ok()?;
            debug_elf.section_by_name(".debug_line")?;
            dwarf_of(&debug_elf, &debug)?
        };
        Some(SourceLines {
            context: addr2line::Context::from_dwarf(dwarf).ok()?,
            found: Mutex::default(),
        })
    }

    /// The source file and line of the stated address `svma`, as libdw names them;
    /// `None` where the line tables say nothing.
    pub fn source_at(&self, svma: u64) -> Option<Source> {
        // A panic elsewhere while the lock was held cannot leave the map half-written.
        let found = || self.found.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(known) = found().get(&svma) {
            return known.clone();
        }
        let source = self.look_up(svma);
        found().insert(svma, source.clone());
        source
    }

    fn look_up(&self, svma: u64) -> Option<Source> {
        let location = self.context.find_location(svma).ok()??;
        let rendered = location.file?;
        // addr2line has no line for a row of line 0; libdw gives 0, which strace prints.
        let line = location.line.unwrap_or(0);
        let file = self
            .context
            .find_dwarf_and_unit(svma)
            .skip_all_loads()
            .and_then(|unit| libdw_name(unit, rendered))
            .unwrap_or_else(|| rendered.into());
        Some((file, line))
    }
}

/// The DWARF sections of `elf` (whose bytes are `bytes`): uncompressed ones shared
/// with the file, compressed ones inflated; a section that cannot be read is empty.
fn dwarf_of(elf: &object::File<'_>, bytes: &Arc<[u8]>) -> Option<gimli::Dwarf<DwarfReader>> {
    let whole = gimli::EndianArcSlice::new(bytes.clone(), gimli::NativeEndian);
    let empty = || whole.range(0..0);
    gimli::Dwarf::load(|id| -> Result<DwarfReader, gimli::Error> {
        let Some(section) = elf.section_by_name(id.name()) else {
            return Ok(empty());
        };
        let plain = section
            .compressed_file_range()
            .is_ok_and(|c| c.format == object::CompressionFormat::None);
        if plain {
            let range = section
                .file_range()
                .and_then(|(offset, size)| {
                    Some(usize::try_from(offset).ok()?..usize::try_from(offset + size).ok()?)
                })
                .filter(|r| r.end <= bytes.len());
            return Ok(range.map_or_else(empty, |r| whole.range(r)));
        }
        Ok(match section.uncompressed_data() {
            Ok(data) => gimli::EndianArcSlice::new(Arc::from(&*data), gimli::NativeEndian),
            Err(_) => empty(),
        })
    })
    .ok()
}

/// Where debug files are installed.
const DEBUG_ROOT: &str = "/usr/lib/debug";

/// The bytes of `path`'s separate debug file: by build ID, else by `.gnu_debuglink`
/// (a file whose build ID differs from `elf`'s is another build's, and skipped).
fn separate_debug_file(path: &str, elf: &object::File<'_>) -> Option<Vec<u8>> {
    let build_id = elf.build_id().ok().flatten().filter(|id| id.len() > 1);
    let same_build = |bytes: &Vec<u8>| {
        let Some(id) = build_id else { return true };
        object::File::parse(&**bytes)
            .ok()
            .and_then(|debug| debug.build_id().ok().flatten())
            .is_some_and(|other| other == id)
    };
    let mut candidates = Vec::new();
    if let Some(id) = build_id {
        let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
        candidates.push(format!(
            "{DEBUG_ROOT}/.build-id/{}/{}.debug",
            &hex[..2],
            &hex[2..]
        ));
    }
    if let Some((name, _crc)) = elf.gnu_debuglink().ok().flatten() {
        let name = String::from_utf8_lossy(name);
        let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        candidates.push(format!("{dir}/{name}"));
        candidates.push(format!("{dir}/.debug/{name}"));
        candidates.push(format!("{DEBUG_ROOT}{dir}/{name}"));
    }
    candidates
        .into_iter()
        // The file itself may be its own debuglink's name: not a separate file.
        .filter(|candidate| candidate != path)
        .filter_map(|candidate| std::fs::read(candidate).ok())
        .find(same_build)
}

/// The name libdw gives the file entry of `unit`'s line table that addr2line named
/// `rendered` (addr2line does not say which entry it used).
fn libdw_name(unit: gimli::UnitRef<'_, DwarfReader>, rendered: &str) -> Option<Arc<str>> {
    let header = unit.line_program.as_ref()?.header();
    let text = |value| -> Option<String> {
        Some(
            unit.attr_string(value)
                .ok()?
                .to_string_lossy()
                .ok()?
                .into_owned(),
        )
    };
    let unit_dir = unit
        .comp_dir
        .as_ref()
        .and_then(|dir| Some(dir.to_string_lossy().ok()?.into_owned()));
    for entry in header.file_names() {
        let Some(name) = text(entry.path_name()) else {
            continue;
        };
        // gimli's directory of the entry is libdw's: for DWARF 5 the table's, index 0
        // included; before 5, index 0 is the unit's directory.
        let dir = entry.directory(header).and_then(text);
        let as_addr2line = addr2line_path(
            unit_dir.as_deref(),
            dir.as_deref().filter(|_| entry.directory_index() != 0),
            &name,
        );
        if as_addr2line == rendered {
            return Some(libdw_path(dir.as_deref(), &name).into());
        }
    }
    None
}

/// libdw's name for a file entry: the name when absolute, else the directory (when
/// there is one), `/` and the name, nothing normalised.
fn libdw_path(dir: Option<&str>, name: &str) -> String {
    match dir {
        Some(dir) if !name.starts_with('/') => format!("{dir}/{name}"),
        _ => name.to_owned(),
    }
}

/// addr2line's name for a file entry: the unit's directory, the entry's directory
/// (none for index 0) and the name, each absolute part replacing what came before.
fn addr2line_path(unit_dir: Option<&str>, dir: Option<&str>, name: &str) -> String {
    let mut path = unit_dir.unwrap_or_default().to_owned();
    for part in dir.into_iter().chain([name]) {
        if part.starts_with('/') {
            path.clear();
        } else if !path.is_empty() && !path.ends_with('/') {
            path.push('/');
        }
        path.push_str(part);
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_directory_stays_relative_for_libdw() {
        // gcc tests/fixtures/x.c, run in /work: DWARF 5 entry "x.c" in "tests/fixtures".
        assert_eq!(
            addr2line_path(Some("/work"), Some("tests/fixtures"), "x.c"),
            "/work/tests/fixtures/x.c"
        );
        assert_eq!(
            libdw_path(Some("tests/fixtures"), "x.c"),
            "tests/fixtures/x.c"
        );
    }

    #[test]
    fn absolute_names_and_missing_directories() {
        assert_eq!(
            addr2line_path(Some("/work"), Some("/usr/include"), "stdio.h"),
            "/usr/include/stdio.h"
        );
        assert_eq!(
            libdw_path(Some("/usr/include"), "stdio.h"),
            "/usr/include/stdio.h"
        );
        assert_eq!(
            addr2line_path(Some("/work"), Some("/inc"), "/abs/x.h"),
            "/abs/x.h"
        );
        assert_eq!(libdw_path(Some("/inc"), "/abs/x.h"), "/abs/x.h");
        // Index 0 before DWARF 5 without DW_AT_comp_dir: the bare name for both.
        assert_eq!(addr2line_path(None, None, "x.c"), "x.c");
        assert_eq!(libdw_path(None, "x.c"), "x.c");
        // libdw adds its '/' whatever the directory ends with.
        assert_eq!(libdw_path(Some("/work/"), "x.c"), "/work//x.c");
        assert_eq!(addr2line_path(Some("/work/"), None, "x.c"), "/work/x.c");
    }
}
