//! What one mapped file tells the unwinder and the symbolizer, read once and shared by
//! every process that maps it: its function symbols, its loadable segments, and where
//! its unwind tables are.

use std::ops::{Deref, Range};
use std::sync::{Arc, OnceLock};

use object::elf::STT_FUNC;
use object::{Object, ObjectSection, ObjectSegment, ObjectSymbol, SymbolFlags};
use rustc_hash::FxHashMap;

use crate::maps::Mapping;
use crate::source_lines::{Source, SourceLines};

/// A function symbol: its address as the file states it (an SVMA) and its name.
#[derive(Debug)]
struct FunctionSymbol {
    address: u64,
    name: Box<str>,
    /// The name as shown, demangled the first time a frame needs it.
    shown: OnceLock<Arc<str>>,
}

/// A slice of a file's bytes, shared without copying (framehop's section data type).
#[derive(Clone)]
pub struct SectionBytes {
    file: Arc<[u8]>,
    range: Range<usize>,
}

impl Deref for SectionBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.file[self.range.clone()]
    }
}

/// A section's stated address range and its bytes.
#[derive(Clone)]
pub struct Section {
    pub svma: Range<u64>,
    pub bytes: SectionBytes,
}

/// An ELF file as far as stack traces need it.
pub struct MappedFile {
    /// Function symbols (STT_FUNC, defined) of `.dynsym` and `.symtab`, by address; of
    /// several at one address, the first in section-header order (libunwind's choice,
    /// which strace prints).
    symbols: Vec<FunctionSymbol>,
    /// `(file offset, stated address)` of each PT_LOAD segment with its file size.
    segments: Vec<(Range<u64>, u64)>,
    pub text: Option<Section>,
    pub eh_frame: Option<Section>,
    pub eh_frame_hdr: Option<Section>,
    pub debug_frame: Option<Section>,
    /// The code ranges the FDEs of `.eh_frame` and `.debug_frame` cover, sorted.
    covered: Vec<Range<u64>>,
    /// The whole file and where it was read from, for the line tables (`-kk`), read
    /// on first use.
    path: Box<str>,
    bytes: Arc<[u8]>,
    lines: OnceLock<Option<SourceLines>>,
}

impl MappedFile {
    /// Reads and parses `path`; `None` when it cannot be read or is not ELF.
    pub fn load(path: &str) -> Option<MappedFile> {
        let bytes: Arc<[u8]> = std::fs::read(path).ok()?.into();
        let elf = object::File::parse(&*bytes).ok()?;
        let mut symbols = Vec::new();
        // `.dynsym` comes before `.symtab` in the section headers of every linker's
        // output; libunwind walks them in that order and keeps the first of equals.
        for symbol in elf.dynamic_symbols().chain(elf.symbols()) {
            let is_function = matches!(
                symbol.flags(),
                SymbolFlags::Elf { st_info, .. } if st_info.st_type() == STT_FUNC
            );
            if !is_function || symbol.is_undefined() {
                continue;
            }
            let Ok(name) = symbol.name() else { continue };
            symbols.push(FunctionSymbol {
                address: symbol.address(),
                name: name.into(),
                shown: OnceLock::new(),
            });
        }
        // A stable sort keeps the first-seen of equal addresses in front.
        symbols.sort_by_key(|s| s.address);
        symbols.dedup_by_key(|s| s.address);
        let segments = elf
            .segments()
            .map(|segment| {
                let (offset, size) = segment.file_range();
                (offset..offset + size, segment.address())
            })
            .collect();
        let section = |name: &str| {
            let section = elf.section_by_name(name)?;
            let (offset, size) = section.file_range()?;
            let range = usize::try_from(offset).ok()?..usize::try_from(offset + size).ok()?;
            Some(Section {
                svma: section.address()..section.address() + section.size(),
                bytes: SectionBytes {
                    file: bytes.clone(),
                    range,
                },
            })
        };
        let text = section(".text");
        let eh_frame = section(".eh_frame");
        let debug_frame = section(".debug_frame");
        let mut covered = Vec::new();
        if let Some(eh_frame) = &eh_frame {
            let bases = gimli::BaseAddresses::default()
                .set_eh_frame(eh_frame.svma.start)
                .set_text(text.as_ref().map_or(0, |t| t.svma.start));
            let table = gimli::EhFrame::new(&eh_frame.bytes, gimli::NativeEndian);
            fde_ranges(&table, &bases, &mut covered);
        }
        if let Some(debug_frame) = &debug_frame {
            let mut table = gimli::DebugFrame::new(&debug_frame.bytes, gimli::NativeEndian);
            table.set_address_size(if elf.is_64() { 8 } else { 4 });
            fde_ranges(&table, &gimli::BaseAddresses::default(), &mut covered);
        }
        covered.sort_by_key(|r| r.start);
        Some(MappedFile {
            text,
            eh_frame,
            eh_frame_hdr: section(".eh_frame_hdr"),
            debug_frame,
            symbols,
            segments,
            covered,
            path: path.into(),
            bytes: bytes.clone(),
            lines: OnceLock::new(),
        })
    }

    /// The source file and line of the stated address `svma`, from the file's DWARF
    /// (`-kk`); `None` without debug information there.
    pub fn source_at(&self, svma: u64) -> Option<Source> {
        self.lines
            .get_or_init(|| SourceLines::load(&self.path, &self.bytes))
            .as_ref()?
            .source_at(svma)
    }

    /// `len` bytes of the file at `offset`, when it has them.
    pub fn bytes_at(&self, offset: u64, len: usize) -> Option<&[u8]> {
        let start = usize::try_from(offset).ok()?;
        self.bytes.get(start..start.checked_add(len)?)
    }

    /// Whether an FDE covers the stated address `svma`.
    pub fn has_unwind_info(&self, svma: u64) -> bool {
        let after = self.covered.partition_point(|r| r.start <= svma);
        after
            .checked_sub(1)
            .is_some_and(|i| self.covered[i].contains(&svma))
    }

    /// What to add to a stated address to get where `mapping` (of this file) put it.
    pub fn bias(&self, mapping: &Mapping) -> Option<u64> {
        let (file_range, svma) = self
            .segments
            .iter()
            .find(|(range, _)| range.contains(&mapping.offset))
            .or_else(|| self.segments.first())?;
        // The byte at file offset f is stated at svma + (f - file_range.start) and lies
        // at mapping.start + (f - mapping.offset).
        Some(
            mapping
                .start
                .wrapping_sub(mapping.offset)
                .wrapping_add(file_range.start)
                .wrapping_sub(*svma),
        )
    }

    /// The function that holds the stated address `svma`: the nearest function symbol at
    /// or below it (libunwind's rule: no size check), its name demangled, and the
    /// distance.
    pub fn function_at(&self, svma: u64) -> Option<(&Arc<str>, u64)> {
        let after = self.symbols.partition_point(|s| s.address <= svma);
        let symbol = self.symbols.get(after.checked_sub(1)?)?;
        let shown = symbol.shown.get_or_init(|| demangle(&symbol.name));
        Some((shown, svma - symbol.address))
    }
}

/// Appends the address range of every FDE of `table` that parses (a malformed entry
/// ends the scan: what came before it still counts).
fn fde_ranges<'a, S>(table: &S, bases: &gimli::BaseAddresses, out: &mut Vec<Range<u64>>)
where
    S: gimli::UnwindSection<gimli::EndianSlice<'a, gimli::NativeEndian>>,
{
    let mut entries = table.entries(bases);
    while let Ok(Some(entry)) = entries.next() {
        if let gimli::CieOrFde::Fde(partial) = entry {
            if let Ok(fde) =
                partial.parse(|section, bases, offset| section.cie_from_offset(bases, offset))
            {
                out.push(fde.initial_address()..fde.end_address());
            }
        }
    }
}

/// Which file a mapping shows: the same path with another inode is another file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileKey {
    pub path: String,
    pub device: String,
    pub inode: u64,
}

/// The files read so far, shared between processes; `None` remembers a file that could
/// not be read or parsed.
#[derive(Default)]
pub struct FileCache {
    files: FxHashMap<FileKey, Option<Arc<MappedFile>>>,
}

impl FileCache {
    pub fn get(&mut self, key: &FileKey) -> Option<Arc<MappedFile>> {
        if let Some(known) = self.files.get(key) {
            return known.clone();
        }
        let loaded = MappedFile::load(&key.path).map(Arc::new);
        self.files.insert(key.clone(), loaded.clone());
        loaded
    }

    /// Drops the files no process maps any more (only this cache holds them).
    pub fn sweep(&mut self) {
        self.files
            .retain(|_, file| file.as_ref().is_some_and(|f| Arc::strong_count(f) > 1));
    }

    pub fn count(&self) -> usize {
        self.files.len()
    }
}

/// A symbol's name as a reader wants it: Rust's (legacy or v0, without the hash) or
/// C++'s (with the parameters) demangled, anything else as it is.
fn demangle(name: &str) -> Arc<str> {
    if let Ok(rust) = rustc_demangle::try_demangle(name) {
        return format!("{rust:#}").into();
    }
    if name.starts_with("_Z") {
        if let Some(shown) = cpp_demangle::Symbol::new(name)
            .ok()
            .and_then(|s| s.demangle().ok())
        {
            return shown.into();
        }
    }
    name.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_demangled_as_strace_shows_them() {
        assert_eq!(&*demangle("__open64"), "__open64");
        assert_eq!(&*demangle("_ZN3foo3barEv"), "foo::bar()");
        assert_eq!(&*demangle("_Z5firstii"), "first(int, int)");
        assert_eq!(
            &*demangle("_ZN3std2rt10lang_start17h0123456789abcdefE"),
            "std::rt::lang_start"
        );
        // Not a valid mangling: shown as it is.
        assert_eq!(&*demangle("_Zbogus"), "_Zbogus");
    }

    #[test]
    fn this_test_binary_names_its_own_functions() {
        let exe = std::env::current_exe().unwrap();
        let file = MappedFile::load(exe.to_str().unwrap()).expect("an ELF file");
        assert!(file.eh_frame.is_some() && file.text.is_some());
        // This very function has an FDE; an address past every segment has none (the
        // first bytes may: linkers leave the FDEs of discarded sections at 0).
        let exe_maps = crate::maps::read_maps(std::process::id() as i32);
        let here = this_test_binary_names_its_own_functions as fn() as usize as u64;
        let mapping = exe_maps.iter().find(|m| m.contains(here)).unwrap();
        let bias = file.bias(mapping).unwrap();
        assert!(file.has_unwind_info(here - bias));
        assert!(!file.has_unwind_info(u64::MAX - 16));
        // Every symbol names itself at distance 0, and one byte on, at distance 1.
        let first = &file.symbols[file.symbols.len() / 2];
        let (name, distance) = file.function_at(first.address).unwrap();
        assert_eq!(distance, 0);
        assert_eq!(*name, demangle(&first.name));
        assert_eq!(file.function_at(first.address + 1).unwrap().1, 1);
        // Below the lowest symbol there is no function.
        let lowest = file.symbols[0].address;
        if lowest > 0 {
            assert!(file.function_at(lowest - 1).is_none());
        }
    }

    #[test]
    fn a_file_that_is_not_elf_is_none() {
        let dir = std::env::temp_dir().join(format!("rtrace-stack-{}", std::process::id()));
        std::fs::write(&dir, b"#!/bin/sh\n").unwrap();
        assert!(MappedFile::load(dir.to_str().unwrap()).is_none());
        assert!(MappedFile::load("/nonexistent/rtrace").is_none());
        let _ = std::fs::remove_file(&dir);
    }
}
