//! rtrace's bundled `keys` plugin: the kernel's key retention service — add_key,
//! request_key and keyctl with each of its commands.
//!
//! Owns: the family's decoder table, its constants and the layouts of keyctl's
//! structs (dh_params, pkey_params, pkey_query, kdf_params). Must not know: how it is
//! loaded, ptrace, or how values are rendered; it depends on `rtrace-sdk` alone.

mod kernel_consts;
mod keyctl;
mod tables;

use rtrace_sdk::{syscall, Call, Out, Syscall};

/// Every syscall this plugin decodes; a decoder's index here is its id on the wire.
pub const DECODERS: &[Syscall] = &[
    syscall!(
        "add_key",
        [
            type: CStr,
            description: CStr,
            payload: InBuf { len_arg: 3 },
            plen: Size,
            keyring: Custom(key_serial),
        ],
    ),
    syscall!(
        "request_key",
        [type: CStr, description: CStr, callout_info: CStr, dest_keyring: Custom(key_serial)],
    ),
    syscall!("keyctl", custom = keyctl::keyctl),
];

/// A key id: `KEY_SPEC_PROCESS_KEYRING` and the like, or a serial number in decimal.
pub fn key_serial(_: &mut Call<'_, '_>, out: &mut Out<'_>, raw: u64) {
    keyctl::emit_serial(out, raw);
}

rtrace_sdk::export_plugin! {
    name: "keys",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}
