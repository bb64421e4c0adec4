//! Reading a plugin library's claims section from its file, without loading it: the ELF
//! header, the section headers, the block of their names, then the one section, four
//! reads (the library's code and symbols are never read).

use std::fs::File;
use std::path::Path;

use object::read::elf::{FileHeader, SectionHeader};
use object::read::ReadCache;
use object::{elf, Endian, FileKind};
use rtrace_plugin_api::{parse_claims, Claims, CLAIMS_SECTION};

/// The ELF machine of libraries this build can load.
const HOST_MACHINE: elf::Machine = if cfg!(target_arch = "x86_64") {
    elf::EM_X86_64
} else if cfg!(target_arch = "aarch64") {
    elf::EM_AARCH64
} else if cfg!(target_arch = "arm") {
    elf::EM_ARM
} else if cfg!(target_arch = "x86") {
    elf::EM_386
} else {
    // No other host is built; an unknown machine never matches, so its plugins are
    // opened at start-up.
    elf::EM_NONE
};

/// The claims of a library for this host with a well-formed section; `None` for
/// anything else (a plugin built before the section existed, a library for another
/// machine, a damaged section, no library at all): opening the file says which, in the
/// words a user can act on.
pub(crate) fn read(path: &Path) -> Option<Claims> {
    let cache = ReadCache::new(File::open(path).ok()?);
    match FileKind::parse(&cache).ok()? {
        FileKind::Elf64 => claims_of::<elf::FileHeader64<object::Endianness>>(&cache),
        FileKind::Elf32 => claims_of::<elf::FileHeader32<object::Endianness>>(&cache),
        _ => None,
    }
}

fn claims_of<Elf: FileHeader<Endian = object::Endianness>>(
    cache: &ReadCache<File>,
) -> Option<Claims> {
    let header = Elf::parse(cache).ok()?;
    let endian = header.endian().ok()?;
    let native = cfg!(target_pointer_width = "64") == header.is_class_64()
        && endian.is_little_endian() == cfg!(target_endian = "little")
        && header.e_machine(endian) == HOST_MACHINE
        && header.e_type(endian) == elf::ET_DYN;
    if !native {
        return None;
    }
    // The section names are read as one block and compared here: object's own look-up
    // by name reads each name from the file on its own.
    let headers = header.section_headers(endian, cache).ok()?;
    let names_index = header.shstrndx(endian, cache).ok()?;
    let names = headers
        .get(names_index as usize)?
        .data(endian, cache)
        .ok()?;
    let section = headers.iter().find(|section| {
        let start = section.sh_name(endian) as usize;
        let name = names.get(start..).unwrap_or_default();
        name.split(|&b| b == 0).next() == Some(CLAIMS_SECTION.as_bytes())
    })?;
    parse_claims(section.data(endian, cache).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_has_no_claims() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("librtrace_text.so");
        std::fs::write(&path, "not a library\n").unwrap();
        assert_eq!(read(&path), None);
        assert_eq!(read(&dir.path().join("absent.so")), None);
    }

    #[test]
    fn a_program_without_the_section_has_no_claims() {
        let exe = std::env::current_exe().unwrap();
        assert_eq!(read(&exe), None);
    }
}
