//! Landlock: a ruleset's handled accesses, rules on paths and ports.
//!
//! landlock_ruleset_attr: six u64 (handled_access_fs, handled_access_net, scoped,
//! quiet_access_fs, quiet_access_net, quiet_scoped), shown as far as the size
//! passed covers them. path_beneath_attr: allowed_access u64, parent_fd s32
//! (packed). net_port_attr: allowed_access u64, port u64.

use rtrace_sdk::kstruct::with_struct;
use rtrace_sdk::{Call, DecodeStatus, FlagTable, Out, Phase, ReturnStyle};

const ACCESS_FS: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "LANDLOCK_ACCESS_FS_EXECUTE"),
    (1 << 1, "LANDLOCK_ACCESS_FS_WRITE_FILE"),
    (1 << 2, "LANDLOCK_ACCESS_FS_READ_FILE"),
    (1 << 3, "LANDLOCK_ACCESS_FS_READ_DIR"),
    (1 << 4, "LANDLOCK_ACCESS_FS_REMOVE_DIR"),
    (1 << 5, "LANDLOCK_ACCESS_FS_REMOVE_FILE"),
    (1 << 6, "LANDLOCK_ACCESS_FS_MAKE_CHAR"),
    (1 << 7, "LANDLOCK_ACCESS_FS_MAKE_DIR"),
    (1 << 8, "LANDLOCK_ACCESS_FS_MAKE_REG"),
    (1 << 9, "LANDLOCK_ACCESS_FS_MAKE_SOCK"),
    (1 << 10, "LANDLOCK_ACCESS_FS_MAKE_FIFO"),
    (1 << 11, "LANDLOCK_ACCESS_FS_MAKE_BLOCK"),
    (1 << 12, "LANDLOCK_ACCESS_FS_MAKE_SYM"),
    (1 << 13, "LANDLOCK_ACCESS_FS_REFER"),
    (1 << 14, "LANDLOCK_ACCESS_FS_TRUNCATE"),
    (1 << 15, "LANDLOCK_ACCESS_FS_IOCTL_DEV"),
    (1 << 16, "LANDLOCK_ACCESS_FS_RESOLVE_UNIX"),
]);
const ACCESS_NET: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "LANDLOCK_ACCESS_NET_BIND_TCP"),
    (1 << 1, "LANDLOCK_ACCESS_NET_CONNECT_TCP"),
    (1 << 2, "LANDLOCK_ACCESS_NET_BIND_UDP"),
    (1 << 3, "LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP"),
]);
const SCOPE: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET"),
    (1 << 1, "LANDLOCK_SCOPE_SIGNAL"),
]);
const CREATE_RULESET_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "LANDLOCK_CREATE_RULESET_VERSION"),
    (1 << 1, "LANDLOCK_CREATE_RULESET_ERRATA"),
]);
/// The flags that make landlock_create_ruleset return a number, not a descriptor.
const NO_FD_FLAGS: u64 = 0x3;
const ADD_RULE_FLAGS: &FlagTable = &FlagTable::bits(&[(1 << 0, "LANDLOCK_ADD_RULE_QUIET")]);
use crate::kernel_consts::RULE_TYPES;

/// The ruleset attribute's fields, in order, with how each is shown.
const RULESET_FIELDS: [(&str, &FlagTable, &str); 6] = [
    ("handled_access_fs", ACCESS_FS, "LANDLOCK_ACCESS_FS_???"),
    ("handled_access_net", ACCESS_NET, "LANDLOCK_ACCESS_NET_???"),
    ("scoped", SCOPE, "LANDLOCK_SCOPE_???"),
    ("quiet_access_fs", ACCESS_FS, "LANDLOCK_ACCESS_FS_???"),
    ("quiet_access_net", ACCESS_NET, "LANDLOCK_ACCESS_NET_???"),
    ("quiet_scoped", SCOPE, "LANDLOCK_SCOPE_???"),
];

fn ruleset_attr(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, size: u64) {
    let max = 8 * RULESET_FIELDS.len() as u64;
    if size < 8 {
        out.pointer(addr);
        return;
    }
    with_struct(call, out, addr, size.min(max) as usize, |out, f| {
        out.structure(|out| {
            for (index, (name, table, unknown)) in RULESET_FIELDS.into_iter().enumerate() {
                if size > 8 * index as u64 {
                    out.field(name);
                    out.flags_or_unknown(f.u64(8 * index), table, unknown);
                }
            }
            if size > max {
                out.ellipsis();
            }
        })
    });
}

/// landlock_create_ruleset(attr, size, flags): a ruleset fd, or with the VERSION
/// or ERRATA flag a number.
pub fn landlock_create_ruleset(
    phase: Phase,
    call: &mut Call<'_, '_>,
    out: &mut Out<'_>,
) -> DecodeStatus {
    let flags = call.arg(2) & 0xffff_ffff;
    if flags & NO_FD_FLAGS == 0 {
        out.return_style(ReturnStyle::Fd);
    }
    if phase == Phase::Entry {
        let size = call.arg_ulong(1);
        ruleset_attr(call, out, call.arg_ulong(0), size);
        out.uint(size);
        out.flags_or_unknown(flags, CREATE_RULESET_FLAGS, "LANDLOCK_CREATE_RULESET_???");
    }
    DecodeStatus::Complete
}

/// landlock_add_rule(ruleset_fd, rule_type, rule_attr, flags).
pub fn landlock_add_rule(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    out.fd(call.arg_int(0) as i32);
    let kind = call.arg(1) & 0xffff_ffff;
    out.constant_of(kind, RULE_TYPES);
    let addr = call.arg_ulong(2);
    match kind {
        1 => {
            with_struct(call, out, addr, 12, |out, f| {
                out.structure(|out| {
                    out.field("allowed_access");
                    out.flags_or_unknown(f.u64(0), ACCESS_FS, "LANDLOCK_ACCESS_FS_???");
                    out.field("parent_fd");
                    out.fd(f.i32(8) as i32);
                })
            });
        }
        2 => {
            with_struct(call, out, addr, 16, |out, f| {
                out.structure(|out| {
                    out.field("allowed_access");
                    out.flags_or_unknown(f.u64(0), ACCESS_NET, "LANDLOCK_ACCESS_NET_???");
                    out.field("port");
                    out.uint(f.u64(8));
                })
            });
        }
        _ => out.pointer(addr),
    }
    out.flags_or_unknown(
        call.arg(3) & 0xffff_ffff,
        ADD_RULE_FLAGS,
        "LANDLOCK_ADD_RULE_???",
    );
    DecodeStatus::Complete
}
