//! getdents64 and getdents: at exit, the entry count (`0x55... /* 25 entries */`), or
//! with `-v` every entry. The records are walked in tracee memory one at a time, so
//! a directory buffer of any size needs no allocation.

use rtrace_sdk::kstruct::{Fields, Layout};
use rtrace_sdk::{Call, DecodeStatus, Out, Phase, PATH_MAX};

use crate::kernel_consts::DIRENT_TYPES;

/// The fixed part of one record, read from the tracee.
struct Record {
    ino: u64,
    off: i64,
    reclen: u64,
    /// `d_type` (for getdents, the last byte of the record).
    kind: u64,
    /// Where `d_name` starts.
    name: u64,
}

/// Which of the two record formats.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    /// `linux_dirent64`: u64 ino, s64 off, u16 reclen, u8 type, name.
    Dirent64,
    /// `linux_dirent`: word ino, word off, u16 reclen, name, ..., type in the last byte.
    Dirent,
}

fn read_record(call: &Call<'_, '_>, format: Format, addr: u64) -> Option<Record> {
    let layout = Layout::of(call);
    let mut raw = [0u8; 24];
    let (header, reclen_at) = match format {
        Format::Dirent64 => (19, 16),
        Format::Dirent => (layout.words(2) + 2, layout.words(2)),
    };
    if !call.tracee().read_exact(addr, &mut raw[..header]) {
        return None;
    }
    let f = Fields::new(&raw, layout);
    let reclen = f.u16(reclen_at);
    let (ino, off, kind) = match format {
        Format::Dirent64 => (f.u64(0), f.i64(8), f.unsigned(18, 1)),
        Format::Dirent => {
            let mut last = [0u8; 1];
            let kind = if reclen > 0 && call.tracee().read_exact(addr + reclen - 1, &mut last) {
                u64::from(last[0])
            } else {
                0
            };
            (f.word(0), f.long(layout.word), kind)
        }
    };
    Some(Record {
        ino,
        off,
        reclen,
        kind,
        name: addr + header as u64,
    })
}

fn emit_record(call: &Call<'_, '_>, out: &mut Out<'_>, format: Format, record: &Record) {
    out.begin_struct();
    out.field("d_ino");
    out.uint(record.ino);
    out.field("d_off");
    out.int(record.off);
    out.field("d_reclen");
    out.uint(record.reclen);
    if format == Format::Dirent64 {
        out.field("d_type");
        out.constant_of(record.kind, DIRENT_TYPES);
    }
    out.field("d_name");
    out.cstring_at(call.tracee(), record.name, PATH_MAX as u32);
    if format == Format::Dirent {
        out.field("d_type");
        out.constant_of(record.kind, DIRENT_TYPES);
    }
    out.end();
}

fn dirents(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64, format: Format) {
    if call.is_error() {
        out.pointer(addr);
        return;
    }
    let total = call.retval().max(0) as u64;
    if call.options().verbose {
        if total > 0 && read_record(call, format, addr).is_none() {
            out.pointer(addr);
            return;
        }
        out.begin_array();
        let mut at = 0u64;
        while at < total {
            let Some(record) = read_record(call, format, addr + at) else {
                break;
            };
            emit_record(call, out, format, &record);
            if record.reclen == 0 {
                break;
            }
            at += record.reclen;
        }
        out.end();
        return;
    }
    let mut count = 0u64;
    let mut at = 0u64;
    while at < total {
        match read_record(call, format, addr + at) {
            Some(record) if record.reclen > 0 => {
                count += 1;
                at += record.reclen;
            }
            _ => break,
        }
    }
    let plural = if count == 1 { "entry" } else { "entries" };
    out.text_fmt(format_args!("{addr:#x} /* {count} {plural} */"));
}

pub fn dirents64(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    dirents(call, out, addr, Format::Dirent64);
}

pub fn dirents_old(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    dirents(call, out, addr, Format::Dirent);
}

/// readdir(fd, dirp, count): one `struct old_linux_dirent` (d_ino and d_off words,
/// d_reclen holding the name's length), shown at exit; count only when it is not 1.
pub fn readdir(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        out.fd(call.arg_int(0) as i32);
        return DecodeStatus::MoreAtExit;
    }
    let addr = call.arg_ulong(1);
    if call.is_error() || call.retval() == 0 {
        out.pointer(addr);
    } else {
        let layout = Layout::of(call);
        let header = layout.words(2) + 2;
        rtrace_sdk::kstruct::with_struct(call, out, addr, header, |out, f: Fields<'_>| {
            let name_len = (f.u16(layout.words(2)) as usize).min(256);
            out.begin_struct();
            out.field("d_ino");
            out.uint(f.word(0));
            out.field("d_off");
            out.uint(f.word(layout.word));
            out.field("d_reclen");
            out.uint(name_len as u64);
            out.field("d_name");
            let mut name = [0u8; 257];
            let read = call
                .tracee()
                .read(addr + header as u64, &mut name[..name_len + 1])
                .unwrap_or(0);
            let end = name[..read].iter().position(|&b| b == 0).unwrap_or(read);
            out.bytes(&name[..end], false, rtrace_sdk::StrStyle::Path);
            out.end();
        });
    }
    let count = call.arg(2) & 0xffff_ffff;
    if count != 1 {
        out.uint(count);
    }
    DecodeStatus::Complete
}
