//! The loop device's status structures, as strace prints them: `struct loop_info64`
//! (LOOP_GET_STATUS64, LOOP_SET_STATUS64 and within LOOP_CONFIGURE's `struct
//! loop_config`) and the old `struct loop_info` (LOOP_GET_STATUS, LOOP_SET_STATUS),
//! whose layout follows the tracee's personality. Without `-v` the device numbers,
//! inode and init words are left out (`...`), and the encryption fields unless an
//! encryption type is set.

use rtrace_sdk::kstruct::{with_struct, Fields};
use rtrace_sdk::{Call, FlagTable, Out, StrStyle};

use crate::ioctl_codes::{
    Field, LoopInfo, LOOP_CONFIG, LOOP_CRYPT_TYPES, LOOP_FLAGS as FLAGS, LOOP_INFO, LOOP_INFO64,
    LOOP_INFO_32,
};

static LOOP_FLAGS: FlagTable = FlagTable::bits(FLAGS);

/// LO_KEY_SIZE: the most of `lo_encrypt_key` shown.
const KEY_SIZE: u64 = 32;
const LO_CRYPT_NONE: u64 = 0;

fn get(f: &Fields<'_>, field: Field) -> u64 {
    f.unsigned(field.offset, field.size)
}

/// A NUL-terminated name in a fixed array, quoted.
fn cstring(out: &mut Out<'_>, f: &Fields<'_>, field: Field) {
    let raw = &f.bytes[field.offset..field.offset + field.size];
    let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
    out.bytes(&raw[..end], end == raw.len(), StrStyle::Quoted);
}

/// The key's first `lo_encrypt_key_size` bytes (at most LO_KEY_SIZE), quoted.
fn key(out: &mut Out<'_>, f: &Fields<'_>, field: Field, size: u64) {
    let len = size.min(KEY_SIZE).min(field.size as u64) as usize;
    out.bytes(
        &f.bytes[field.offset..field.offset + len],
        false,
        StrStyle::Quoted,
    );
}

/// `[0x1, 0]`: an array of `count` hex elements.
fn hex_array(out: &mut Out<'_>, f: &Fields<'_>, field: Field, count: usize) {
    let size = field.size / count;
    out.array(|out| {
        for index in 0..count {
            out.hex(f.unsigned(field.offset + index * size, size));
        }
    });
}

/// `struct loop_info64` at `addr`.
pub fn loop_info64_at(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let verbose = call.options().verbose;
    with_struct(call, out, addr, LOOP_INFO64.size, |out, f| {
        emit_loop_info64(out, &f, verbose)
    });
}

fn emit_loop_info64(out: &mut Out<'_>, f: &Fields<'_>, verbose: bool) {
    let info = LOOP_INFO64;
    out.structure(|out| {
        if verbose {
            out.field("lo_device");
            out.device_number(get(f, info.lo_device));
            out.field("lo_inode");
            out.uint(get(f, info.lo_inode));
            out.field("lo_rdevice");
            out.device_number(get(f, info.lo_rdevice));
        }
        out.field("lo_offset");
        out.hex(get(f, info.lo_offset));
        if verbose {
            out.field("lo_sizelimit");
            out.uint(get(f, info.lo_sizelimit));
        }
        out.field("lo_number");
        out.uint(get(f, info.lo_number));
        let encrypted = get(f, info.lo_encrypt_type) != LO_CRYPT_NONE;
        if verbose || encrypted {
            out.field("lo_encrypt_type");
            out.constant(
                get(f, info.lo_encrypt_type),
                LOOP_CRYPT_TYPES,
                "LO_CRYPT_???",
            );
            out.field("lo_encrypt_key_size");
            out.uint(get(f, info.lo_encrypt_key_size));
        }
        out.field("lo_flags");
        out.flags_or_unknown(get(f, info.lo_flags), &LOOP_FLAGS, "LO_FLAGS_???");
        out.field("lo_file_name");
        cstring(out, f, info.lo_file_name);
        if verbose || encrypted {
            out.field("lo_crypt_name");
            cstring(out, f, info.lo_crypt_name);
            out.field("lo_encrypt_key");
            key(
                out,
                f,
                info.lo_encrypt_key,
                get(f, info.lo_encrypt_key_size),
            );
        }
        if verbose {
            out.field("lo_init");
            hex_array(out, f, info.lo_init, 2);
        } else {
            out.ellipsis();
        }
    });
}

/// The old `struct loop_info` at `addr`, in the tracee's personality's layout.
pub fn loop_info_at(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let info: LoopInfo = if call.word_size() == 4 {
        LOOP_INFO_32
    } else {
        LOOP_INFO
    };
    let verbose = call.options().verbose;
    with_struct(call, out, addr, info.size, |out, f| {
        let f = &f;
        out.structure(|out| {
            out.field("lo_number");
            out.int(f.i32(info.lo_number.offset));
            if verbose {
                out.field("lo_device");
                out.device_number(get(f, info.lo_device));
                out.field("lo_inode");
                out.uint(get(f, info.lo_inode));
                out.field("lo_rdevice");
                out.device_number(get(f, info.lo_rdevice));
            }
            out.field("lo_offset");
            out.hex(get(f, info.lo_offset));
            let encrypted = get(f, info.lo_encrypt_type) != LO_CRYPT_NONE;
            if verbose || encrypted {
                out.field("lo_encrypt_type");
                out.constant(
                    get(f, info.lo_encrypt_type),
                    LOOP_CRYPT_TYPES,
                    "LO_CRYPT_???",
                );
                out.field("lo_encrypt_key_size");
                out.uint(get(f, info.lo_encrypt_key_size));
            }
            out.field("lo_flags");
            out.flags_or_unknown(get(f, info.lo_flags), &LOOP_FLAGS, "LO_FLAGS_???");
            out.field("lo_name");
            cstring(out, f, info.lo_name);
            if verbose || encrypted {
                out.field("lo_encrypt_key");
                key(
                    out,
                    f,
                    info.lo_encrypt_key,
                    get(f, info.lo_encrypt_key_size),
                );
            }
            if verbose {
                out.field("lo_init");
                hex_array(out, f, info.lo_init, 2);
                out.field("reserved");
                hex_array(out, f, info.reserved, info.reserved.size);
            } else {
                out.ellipsis();
            }
        })
    });
}

/// LOOP_CONFIGURE's `{fd=3, block_size=4096, info={...}}`, with `__reserved` when it
/// is not all zero.
pub fn loop_config_at(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let config = LOOP_CONFIG;
    let verbose = call.options().verbose;
    with_struct(call, out, addr, config.size, |out, f| {
        let f = &f;
        out.structure(|out| {
            out.field("fd");
            out.fd(f.i32(config.fd.offset) as i32);
            out.field("block_size");
            out.uint(get(f, config.block_size));
            out.field("info");
            let info = &f.bytes[config.info.offset..config.info.offset + config.info.size];
            emit_loop_info64(out, &Fields::new(info, f.layout), verbose);
            let reserved = &f.bytes[config.reserved.offset..][..config.reserved.size];
            if reserved.iter().any(|&b| b != 0) {
                out.field("__reserved");
                hex_array(out, f, config.reserved, config.reserved.size / 8);
            }
        })
    });
}
