//! keyctl(operation, ...): what each argument means depends on the operation.

use rtrace_sdk::iovec::{iovec_array, IovContents};
use rtrace_sdk::kstruct::{with_struct, Fields};
use rtrace_sdk::{Call, DecodeStatus, Out, Phase};

use crate::tables::*;

/// A key id (`key_serial_t`, an int).
pub fn emit_serial(out: &mut Out<'_>, raw: u64) {
    let id = i64::from(raw as u32 as i32);
    match KEY_SPEC.iter().find(|(v, _)| *v == id) {
        Some((_, name)) => out.named(name, id, false),
        None => out.int(id),
    }
}

/// A uid or gid: `-1` for "unchanged", else unsigned.
fn emit_id(out: &mut Out<'_>, raw: u64) {
    let id = raw & 0xffff_ffff;
    if id == 0xffff_ffff {
        out.int(-1);
    } else {
        out.uint(id);
    }
}

/// A counted string the tracee passes in (a payload).
fn emit_bytes(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, len: u64) {
    out.buffer_at(call.tracee(), addr, len, call.options().string_limit);
}

fn emit_string(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    out.cstring_at(call.tracee(), addr, call.options().string_limit);
}

/// What a command filled in at `addr`, `buflen` long: as many bytes as it returned
/// (at most `buflen`), without a trailing NUL for the descriptions; on error the address.
fn emit_filled(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, buflen: u64, text: bool) {
    if call.is_error() {
        out.pointer(addr);
        return;
    }
    let mut len = (call.retval() as u64).min(buflen);
    if text && len > 0 && addr != 0 {
        let mut last = [0u8; 1];
        if call.tracee().read_data_exact(addr + len - 1, &mut last) && last[0] == 0 {
            len -= 1;
        }
    }
    if addr == 0 {
        out.pointer(0);
    } else {
        emit_bytes(call, out, addr, len);
    }
}

/// `{key_id=..., in_len=N, out_len=N}` (or `in2_len` for verify); returns the lengths.
fn pkey_params(
    call: &Call<'_, '_>,
    out: &mut Out<'_>,
    addr: u64,
    outputs: bool,
) -> Option<(u64, u64)> {
    let mut lengths = None;
    with_struct(call, out, addr, 40, |out, f| {
        out.structure(|out| {
            out.field("key_id");
            emit_serial(out, f.u32(0));
            out.field("in_len");
            out.uint(f.u32(4));
            out.field(if outputs { "out_len" } else { "in2_len" });
            out.uint(f.u32(8));
            spare(out, &f, 12, 7);
        });
        lengths = Some((f.u32(4), f.u32(8)));
    });
    lengths
}

/// A reserved array, shown only when something is in it.
fn spare(out: &mut Out<'_>, f: &Fields<'_>, offset: usize, count: usize) {
    if (0..count).all(|i| f.u32(offset + 4 * i) == 0) {
        return;
    }
    out.field("__spare");
    out.array(|out| {
        for i in 0..count {
            out.hex(f.u32(offset + 4 * i));
        }
    });
}

/// `struct keyctl_kdf_params`: hashname, otherinfo (a string of otherinfolen bytes),
/// otherinfolen, __spare[8].
fn kdf_params(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let word = call.word_size() as usize;
    let size = 2 * word + 4 + 32;
    with_struct(call, out, addr, size, |out, f| {
        let (hashname, otherinfo, len) = (f.word(0), f.word(word), f.u32(2 * word));
        out.structure(|out| {
            out.field("hashname");
            emit_string(call, out, hashname);
            out.field("otherinfo");
            if len != 0 {
                emit_bytes(call, out, otherinfo, len);
            } else {
                out.pointer(otherinfo);
            }
            out.field("otherinfolen");
            out.uint(len);
            spare(out, &f, 2 * word + 4, 8);
        });
    });
}

/// KEYCTL_CAPABILITIES' bytes: the first two as flags, the rest in hex.
fn capabilities(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, buflen: u64) {
    if call.is_error() {
        out.pointer(addr);
        return;
    }
    let len = buflen.min(call.retval() as u64).min(64) as usize;
    let mut bytes = [0u8; 64];
    if len > 0 && !call.tracee().read_exact(addr, &mut bytes[..len]) {
        out.pointer(addr);
        return;
    }
    out.array(|out| {
        for (index, &byte) in bytes[..len].iter().enumerate() {
            match KEYCTL_CAPS.get(index) {
                Some((table, unknown)) => out.flags_or_unknown(u64::from(byte), table, unknown),
                None => out.hex(u64::from(byte)),
            }
        }
    });
}

/// The arguments' names (`-N`) strace 7.2 gives each command, in the order shown.
fn arg_names(cmd: u64) -> &'static [&'static str] {
    match cmd {
        KEYCTL_GET_KEYRING_ID => &["operation", "key", "create"],
        KEYCTL_JOIN_SESSION_KEYRING => &["operation", "name"],
        KEYCTL_UPDATE => &["operation", "key", "payload", "plen"],
        KEYCTL_REVOKE | KEYCTL_CLEAR | KEYCTL_INVALIDATE | KEYCTL_ASSUME_AUTHORITY => {
            &["operation", "key"]
        }
        KEYCTL_LINK | KEYCTL_UNLINK => &["operation", "key", "keyring"],
        KEYCTL_DESCRIBE | KEYCTL_READ | KEYCTL_GET_SECURITY => {
            &["operation", "key", "buffer", "buflen"]
        }
        KEYCTL_SEARCH => &[
            "operation",
            "keyring",
            "type",
            "description",
            "dest_keyring",
        ],
        KEYCTL_CHOWN => &["operation", "key", "uid", "gid"],
        KEYCTL_SETPERM => &["operation", "key", "perms"],
        KEYCTL_INSTANTIATE | KEYCTL_INSTANTIATE_IOV => {
            &["operation", "key", "payload", "plen", "keyring"]
        }
        KEYCTL_NEGATE => &["operation", "key", "timeout", "keyring"],
        KEYCTL_REJECT => &["operation", "key", "timeout", "error", "keyring"],
        KEYCTL_SET_REQKEY_KEYRING => &["operation", "reqkey_defl"],
        KEYCTL_SET_TIMEOUT => &["operation", "key", "timeout"],
        KEYCTL_SESSION_TO_PARENT => &["operation"],
        KEYCTL_GET_PERSISTENT => &["operation", "uid", "keyring"],
        KEYCTL_DH_COMPUTE => &["operation", "dh_params", "buffer", "buflen", "kdf_params"],
        KEYCTL_PKEY_QUERY => &["operation", "key", "reserved", "params", "info"],
        KEYCTL_PKEY_ENCRYPT | KEYCTL_PKEY_DECRYPT | KEYCTL_PKEY_SIGN => {
            &["operation", "params", "info", "in", "out"]
        }
        KEYCTL_PKEY_VERIFY => &["operation", "params", "info", "in", "in2"],
        KEYCTL_RESTRICT_KEYRING => &["operation", "keyring", "type", "restriction"],
        KEYCTL_MOVE => &["operation", "key", "from_keyring", "to_keyring", "flags"],
        KEYCTL_CAPABILITIES => &["operation", "buffer", "buflen"],
        _ => &["operation", "arg2", "arg3", "arg4", "arg5"],
    }
}

pub fn keyctl(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let cmd = call.arg(0) & 0xffff_ffff;
    out.use_arg_names(arg_names(cmd));
    let [a2, a3, a4, a5] = [call.arg(1), call.arg(2), call.arg(3), call.arg(4)];
    let [u2, u3, u4, u5] = [
        call.arg_ulong(1),
        call.arg_ulong(2),
        call.arg_ulong(3),
        call.arg_ulong(4),
    ];
    if phase == Phase::Exit {
        match cmd {
            KEYCTL_DESCRIBE | KEYCTL_READ | KEYCTL_GET_SECURITY => {
                emit_filled(call, out, u3, u4, cmd != KEYCTL_READ);
                out.uint(u4);
            }
            KEYCTL_DH_COMPUTE => {
                emit_filled(call, out, u3, u4, false);
                out.uint(u4);
                kdf_params(call, out, u5);
            }
            KEYCTL_PKEY_QUERY => pkey_query(call, out, u5),
            KEYCTL_PKEY_ENCRYPT | KEYCTL_PKEY_DECRYPT | KEYCTL_PKEY_SIGN => {
                if call.is_error() {
                    out.pointer(u5);
                } else {
                    let out_len = call.scratch()[0];
                    emit_bytes(call, out, u5, out_len);
                }
            }
            KEYCTL_CAPABILITIES => {
                capabilities(call, out, u2, u3);
                out.uint(u3);
            }
            _ => {}
        }
        return DecodeStatus::Complete;
    }
    out.constant_of(cmd, KEYCTL_COMMANDS);
    match cmd {
        KEYCTL_GET_KEYRING_ID => {
            emit_serial(out, a2);
            out.int(call.arg_int(2));
        }
        KEYCTL_JOIN_SESSION_KEYRING => emit_string(call, out, u2),
        KEYCTL_UPDATE => {
            emit_serial(out, a2);
            emit_bytes(call, out, u3, u4);
            out.uint(u4);
        }
        KEYCTL_REVOKE | KEYCTL_CLEAR | KEYCTL_INVALIDATE | KEYCTL_ASSUME_AUTHORITY => {
            emit_serial(out, a2)
        }
        KEYCTL_LINK | KEYCTL_UNLINK => {
            emit_serial(out, a2);
            emit_serial(out, a3);
        }
        KEYCTL_DESCRIBE | KEYCTL_READ | KEYCTL_GET_SECURITY => {
            emit_serial(out, a2);
            return DecodeStatus::MoreAtExit;
        }
        KEYCTL_SEARCH | KEYCTL_RESTRICT_KEYRING => {
            emit_serial(out, a2);
            emit_string(call, out, u3);
            emit_string(call, out, u4);
            if cmd == KEYCTL_SEARCH {
                emit_serial(out, a5);
            }
        }
        KEYCTL_CHOWN => {
            emit_serial(out, a2);
            emit_id(out, a3);
            emit_id(out, a4);
        }
        KEYCTL_SETPERM => {
            emit_serial(out, a2);
            out.flags_or_unknown(a3 & 0xffff_ffff, KEY_PERMS, "KEY_???");
        }
        KEYCTL_INSTANTIATE | KEYCTL_INSTANTIATE_IOV => {
            emit_serial(out, a2);
            if cmd == KEYCTL_INSTANTIATE {
                emit_bytes(call, out, u3, u4);
            } else {
                iovec_array(call, out, u3, u4, IovContents::Bytes(u64::MAX));
            }
            out.uint(u4);
            emit_serial(out, a5);
        }
        KEYCTL_NEGATE | KEYCTL_REJECT => {
            emit_serial(out, a2);
            out.uint(a3 & 0xffff_ffff);
            if cmd == KEYCTL_REJECT {
                rtrace_sdk::errno::emit_errno(out, (a4 & 0xffff_ffff) as i64, false);
                emit_serial(out, a5);
            } else {
                emit_serial(out, a4);
            }
        }
        KEYCTL_SET_REQKEY_KEYRING => {
            let value = call.arg_int(1);
            match KEY_REQKEY_DEFL.iter().find(|(v, _)| *v == value) {
                Some((_, name)) => out.named(name, value, false),
                None => out.text_fmt(format_args!("{value} /* KEY_REQKEY_DEFL_??? */")),
            }
        }
        KEYCTL_SET_TIMEOUT => {
            emit_serial(out, a2);
            out.uint(a3 & 0xffff_ffff);
        }
        KEYCTL_SESSION_TO_PARENT => {}
        KEYCTL_GET_PERSISTENT => {
            emit_id(out, a2);
            emit_serial(out, a3);
        }
        KEYCTL_DH_COMPUTE => {
            with_struct(call, out, u2, 12, |out, f| {
                out.structure(|out| {
                    out.field("private");
                    emit_serial(out, f.u32(0));
                    out.field("prime");
                    emit_serial(out, f.u32(4));
                    out.field("base");
                    emit_serial(out, f.u32(8));
                })
            });
            return DecodeStatus::MoreAtExit;
        }
        KEYCTL_PKEY_QUERY => {
            emit_serial(out, a2);
            out.hex(u3);
            emit_string(call, out, u4);
            return DecodeStatus::MoreAtExit;
        }
        KEYCTL_PKEY_ENCRYPT | KEYCTL_PKEY_DECRYPT | KEYCTL_PKEY_SIGN | KEYCTL_PKEY_VERIFY => {
            let outputs = cmd != KEYCTL_PKEY_VERIFY;
            let lengths = pkey_params(call, out, u2, outputs);
            emit_string(call, out, u3);
            match lengths {
                Some((in_len, _)) => emit_bytes(call, out, u4, in_len),
                None => out.pointer(u4),
            }
            match lengths {
                Some((_, out_len)) if outputs => {
                    call.scratch()[0] = out_len;
                    return DecodeStatus::MoreAtExit;
                }
                Some((_, in2_len)) => emit_bytes(call, out, u5, in2_len),
                None => out.pointer(u5),
            }
        }
        KEYCTL_MOVE => {
            emit_serial(out, a2);
            emit_serial(out, a3);
            emit_serial(out, a4);
            out.flags_or_unknown(a5 & 0xffff_ffff, KEYCTL_MOVE_FLAGS, "KEYCTL_MOVE_???");
        }
        KEYCTL_CAPABILITIES => return DecodeStatus::MoreAtExit,
        _ => {
            for value in [u2, u3, u4, u5] {
                out.hex(value);
            }
        }
    }
    DecodeStatus::Complete
}

/// `struct keyctl_pkey_query`, filled by the kernel.
fn pkey_query(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
        return;
    }
    with_struct(call, out, addr, 56, |out, f| {
        out.structure(|out| {
            out.field("supported_ops");
            out.flags_or_unknown(f.u32(0), KEYCTL_PKEY_OPS, "KEYCTL_SUPPORTS_???");
            for (index, name) in [
                "key_size",
                "max_data_size",
                "max_sig_size",
                "max_enc_size",
                "max_dec_size",
            ]
            .into_iter()
            .enumerate()
            {
                out.field(name);
                out.uint(if index == 0 {
                    f.u32(4)
                } else {
                    f.u16(8 + 2 * (index - 1))
                });
            }
            spare(out, &f, 16, 10);
        })
    });
}
