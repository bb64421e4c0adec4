//! The new mount API (linux/mount.h): fsopen, fsconfig, fsmount, fspick,
//! move_mount, open_tree, open_tree_attr, mount_setattr with `struct mount_attr`,
//! statmount and listmount with `struct mnt_id_req` and `struct statmount`, and
//! pivot_root. They live with mount and umount2, whose flags and file system magic
//! numbers they share.

use rtrace_sdk::kstruct::{with_struct, Fields, Layout};
use rtrace_sdk::{Call, DecodeStatus, FlagTable, Out, Phase, StrStyle};

use crate::stat::FS_MAGIC;

pub use crate::kernel_consts::FSOPEN_FLAGS;
pub use crate::kernel_consts::FSPICK_FLAGS;
pub const FSMOUNT_FLAGS: &FlagTable =
    &FlagTable::bits(&[(0x1, "FSMOUNT_CLOEXEC"), (0x2, "FSMOUNT_NAMESPACE")]);

use crate::kernel_consts::MOUNT_ATTR_BITS;
pub const MOUNT_ATTRS: &FlagTable = &FlagTable::bits(MOUNT_ATTR_BITS);
pub use crate::kernel_consts::FSMOUNT_ATTRS;
const MOUNT_ATTR_IDMAP: u64 = 0x0010_0000;

pub use crate::kernel_consts::MOVE_MOUNT_FLAGS;

pub const OPEN_TREE_FLAGS: &FlagTable = &FlagTable::bits(&[
    (0x1, "OPEN_TREE_CLONE"),
    (0x2, "OPEN_TREE_NAMESPACE"),
    (0o2000000, "OPEN_TREE_CLOEXEC"),
    (0x100, "AT_SYMLINK_NOFOLLOW"),
    (0x800, "AT_NO_AUTOMOUNT"),
    (0x1000, "AT_EMPTY_PATH"),
    (0x8000, "AT_RECURSIVE"),
]);

pub use crate::kernel_consts::MOUNT_SETATTR_FLAGS;

const PROPAGATION: &[(u64, &str)] = &[
    (1 << 17, "MS_UNBINDABLE"),
    (1 << 18, "MS_PRIVATE"),
    (1 << 19, "MS_SLAVE"),
    (1 << 20, "MS_SHARED"),
];
const PROPAGATION_FLAGS: &FlagTable = &FlagTable::bits(PROPAGATION);
const SB_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "MS_RDONLY"),
    (1 << 4, "MS_SYNCHRONOUS"),
    (1 << 7, "MS_DIRSYNC"),
    (1 << 25, "MS_LAZYTIME"),
]);

use crate::kernel_consts::FSCONFIG_CMDS;

pub use crate::kernel_consts::LISTMOUNT_FLAGS;
pub use crate::kernel_consts::STATMOUNT_FLAGS;
use crate::kernel_consts::STATMOUNT_MASK;
const LSMT_ROOT: u64 = u64::MAX;

/// fsconfig(fd, cmd, key, value, aux): what key, value and aux are depends on cmd.
pub fn fsconfig(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    out.fd(call.arg_int(0) as i32);
    let cmd = call.arg(1) & 0xffff_ffff;
    out.constant_of(cmd, FSCONFIG_CMDS);
    let (key, value, aux) = (call.arg_ulong(2), call.arg_ulong(3), call.arg_int(4));
    let tracee = call.tracee();
    // Keys and string values are read up to 256 bytes, as strace does.
    match cmd {
        0..=5 => out.cstring_at(tracee, key, 256),
        _ => out.pointer(key),
    }
    match cmd {
        1 => out.cstring_at(tracee, value, 256),
        3 | 4 => out.path_at(tracee, value),
        2 if (0..=1024 * 1024).contains(&aux) => {
            let mut buf = [0u8; 256];
            let len = (aux as usize).min(buf.len());
            if value != 0 && tracee.read_data_exact(value, &mut buf[..len]) {
                out.bytes(&buf[..len], aux as usize > len, StrStyle::Hex);
            } else {
                out.pointer(value);
            }
        }
        _ => out.pointer(value),
    }
    match cmd {
        3 | 4 => out.dirfd(aux as i32),
        5 => out.fd(aux as i32),
        _ => out.int(aux),
    }
    DecodeStatus::Complete
}

/// `{attr_set=..., attr_clr=..., propagation=..., userns_fd=...}` of `size` bytes.
fn mount_attr(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, size: u64) {
    const SIZE_VER0: u64 = 32;
    if size < SIZE_VER0 {
        out.pointer(addr);
        return;
    }
    with_struct(call, out, addr, SIZE_VER0 as usize, |out, f| {
        let (set, clr) = (f.u64(0), f.u64(8));
        out.structure(|out| {
            out.field("attr_set");
            out.flags_or_unknown(set, MOUNT_ATTRS, "MOUNT_ATTR_???");
            out.field("attr_clr");
            out.flags_or_unknown(clr, MOUNT_ATTRS, "MOUNT_ATTR_???");
            out.field("propagation");
            out.constant(f.u64(16), PROPAGATION, "MS_???");
            out.field("userns_fd");
            let fd = f.u64(24);
            if fd > i32::MAX as u64 || (set | clr) & MOUNT_ATTR_IDMAP == 0 {
                out.uint(fd);
            } else {
                out.fd(fd as i32);
            }
        })
    });
}

/// mount_setattr(dirfd, path, flags, attr, size) and open_tree_attr (same shape,
/// open_tree's flags).
pub fn mount_setattr(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Exit {
        return DecodeStatus::Complete;
    }
    out.dirfd(call.arg_int(0) as i32);
    out.path_at(call.tracee(), call.arg(1));
    let flags = call.arg(2) & 0xffff_ffff;
    if call.name() == "open_tree_attr" {
        out.flags_or_unknown(flags, OPEN_TREE_FLAGS, "OPEN_TREE_???");
        out.return_style(rtrace_sdk::ReturnStyle::Fd);
    } else {
        out.flags_or_unknown(flags, MOUNT_SETATTR_FLAGS, "AT_???");
    }
    let size = call.arg_ulong(4);
    mount_attr(call, out, call.arg_ulong(3), size);
    out.uint(size);
    DecodeStatus::Complete
}

/// `struct mnt_id_req`: size u32 @0, mnt_ns_fd u32 @4, mnt_id u64 @8, param u64 @16,
/// mnt_ns_id u64 @24 (VER0 24 bytes, VER1 32). statmount's param is a mask.
fn mnt_id_req(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, statmount: bool) {
    const SIZE_VER0: usize = 24;
    const SIZE_VER1: usize = 32;
    let mut bytes = [0u8; SIZE_VER1];
    if addr == 0 || !call.tracee().read_exact(addr, &mut bytes[..4]) {
        out.pointer(addr);
        return;
    }
    let layout = Layout::of(call);
    let size = Fields::new(&bytes, layout).u32(0) as usize;
    out.structure(|out| {
        out.field("size");
        out.uint(size as u64);
        if size < SIZE_VER0 {
            return;
        }
        let read = size.min(SIZE_VER1);
        if !call.tracee().read_exact(addr, &mut bytes[..read]) {
            out.text("???");
            return;
        }
        let f = Fields::new(&bytes[..read], layout);
        out.field("mnt_ns_fd");
        out.fd(f.u32(4) as i32);
        out.field("mnt_id");
        match f.u64(8) {
            LSMT_ROOT if !statmount => out.name("LSMT_ROOT"),
            id => out.hex(id),
        }
        out.field("param");
        if statmount {
            out.flags_or_unknown(f.u64(16), STATMOUNT_MASK, "STATMOUNT_???");
        } else {
            out.hex(f.u64(16));
        }
        if read >= SIZE_VER1 {
            out.field("mnt_ns_id");
            out.hex(f.u64(24));
        }
    });
}

/// listmount(req, mnt_ids, nr_mnt_ids, flags): the ids at exit, as many as returned.
pub fn listmount(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        mnt_id_req(call, out, call.arg_ulong(0), false);
        return DecodeStatus::MoreAtExit;
    }
    let (ids, nr) = (call.arg_ulong(1), call.arg_ulong(2));
    if call.is_error() || ids == 0 {
        out.pointer(ids);
    } else {
        let count = nr.min(call.retval() as u64);
        let limit = u64::from(call.options().string_limit);
        let shown = if call.options().verbose || limit == 0 {
            count
        } else {
            count.min(limit)
        };
        let mut bytes = [0u8; 8];
        if count > 0 && !call.tracee().read_exact(ids, &mut bytes) {
            out.pointer(ids);
        } else {
            out.array(|out| {
                for index in 0..shown {
                    let at = ids.wrapping_add(8 * index);
                    if !call.tracee().read_exact(at, &mut bytes) {
                        out.ellipsis();
                        out.pointer(at);
                        return;
                    }
                    out.hex(Fields::new(&bytes, Layout::of(call)).u64(0));
                }
                if shown < count {
                    out.ellipsis();
                }
            });
        }
    }
    out.uint(nr);
    out.flags_or_unknown(call.arg(3) & 0xffff_ffff, LISTMOUNT_FLAGS, "LISTMOUNT_???");
    DecodeStatus::Complete
}

/// statmount(req, buf, bufsize, flags): `struct statmount` at exit, the fields its
/// mask says were written, strings from the area after the struct.
pub fn statmount(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    if phase == Phase::Entry {
        mnt_id_req(call, out, call.arg_ulong(0), true);
        return DecodeStatus::MoreAtExit;
    }
    let (buf, bufsize) = (call.arg_ulong(1), call.arg_ulong(2));
    if call.is_error() {
        out.pointer(buf);
    } else {
        statmount_struct(call, out, buf, bufsize);
    }
    out.uint(bufsize);
    out.flags_or_unknown(call.arg(3) & 0xffff_ffff, STATMOUNT_FLAGS, "STATMOUNT_???");
    DecodeStatus::Complete
}

/// The size of `struct statmount` before its strings.
const STATMOUNT_SIZE: usize = 512;
/// At most this much of the strings is read (strace: three PATH_MAX).
const STRINGS_MAX: usize = 3 * 4096;

fn statmount_struct(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, bufsize: u64) {
    let fetch = (bufsize as usize).min(STATMOUNT_SIZE);
    if fetch < 4 {
        out.pointer(addr);
        return;
    }
    let mut st = [0u8; STATMOUNT_SIZE];
    if addr == 0 || !call.tracee().read_exact(addr, &mut st[..fetch]) {
        out.pointer(addr);
        return;
    }
    let f = Fields::new(&st, Layout::of(call));
    let total = f.u32(0) as usize;
    let strings_len = if total > STATMOUNT_SIZE && total as u64 <= bufsize {
        (total - STATMOUNT_SIZE).min(STRINGS_MAX)
    } else {
        0
    };
    let mut strings = vec![0u8; strings_len];
    if !call
        .tracee()
        .read_data_exact(addr + STATMOUNT_SIZE as u64, &mut strings)
    {
        strings.clear();
    }
    let mask = f.u64(8);
    let has = |bit: u64| mask & bit != 0;
    let string = |out: &mut Out<'_>, name: &'static str, offset: usize| {
        out.field(name);
        let at = f.u32(offset) as usize;
        match strings.get(at..) {
            Some(rest) if !rest.is_empty() => {
                let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
                out.bytes(&rest[..end], false, StrStyle::Quoted);
            }
            _ => out.hex(at as u64),
        }
    };
    let sequence = |out: &mut Out<'_>, name: &'static str, count_at: usize, offset: usize| {
        out.field(name);
        let at = f.u32(offset) as usize;
        let count = f.u32(count_at);
        let Some(mut rest) = strings.get(at..).filter(|r| !r.is_empty()) else {
            out.hex(at as u64);
            return;
        };
        out.array(|out| {
            let mut index = 0;
            while index < count && !rest.is_empty() {
                let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
                out.bytes(&rest[..end], false, StrStyle::Quoted);
                rest = &rest[(end + 1).min(rest.len())..];
                index += 1;
            }
            if index < count {
                out.text("???");
            }
        });
    };
    out.structure(|out| {
        out.field("size");
        out.uint(total as u64);
        if has(0x80) {
            string(out, "mnt_opts", 4);
        }
        out.field("mask");
        out.flags_or_unknown(mask, STATMOUNT_MASK, "STATMOUNT_???");
        if has(0x1) {
            out.field("sb_dev_major");
            out.uint(f.u32(16));
            out.field("sb_dev_minor");
            out.uint(f.u32(20));
            out.field("sb_magic");
            let magic = f.u64(24);
            match FS_MAGIC.iter().find(|(v, _)| *v == magic) {
                Some((_, name)) => out.named(name, magic as i64, true),
                None => out.hex(magic),
            }
            out.field("sb_flags");
            out.flags_or_unknown(f.u32(32), SB_FLAGS, "MS_???");
        }
        if has(0x20) {
            string(out, "fs_type", 36);
        }
        if has(0x2) {
            for (name, offset, size) in [
                ("mnt_id", 40, 8),
                ("mnt_parent_id", 48, 8),
                ("mnt_id_old", 56, 4),
                ("mnt_parent_id_old", 60, 4),
            ] {
                out.field(name);
                out.hex(f.unsigned(offset, size));
            }
            out.field("mnt_attr");
            out.flags_or_unknown(f.u64(64), MOUNT_ATTRS, "MOUNT_ATTR_???");
            out.field("mnt_propagation");
            out.flags_or_unknown(f.u64(72), PROPAGATION_FLAGS, "MS_???");
            out.field("mnt_peer_group");
            out.hex(f.u64(80));
            out.field("mnt_master");
            out.hex(f.u64(88));
        }
        if has(0x4) {
            out.field("propagate_from");
            out.hex(f.u64(96));
        }
        if has(0x8) {
            string(out, "mnt_root", 104);
        }
        if has(0x10) {
            string(out, "mnt_point", 108);
        }
        if has(0x40) {
            out.field("mnt_ns_id");
            out.hex(f.u64(112));
        }
        if has(0x100) {
            string(out, "fs_subtype", 120);
        }
        if has(0x200) {
            string(out, "sb_source", 124);
        }
        if has(0x400) {
            out.field("opt_num");
            out.uint(f.u32(128));
            sequence(out, "opt_array", 128, 132);
        }
        if has(0x800) {
            out.field("opt_sec_num");
            out.uint(f.u32(136));
            sequence(out, "opt_sec_array", 136, 140);
        }
        if has(0x1000) {
            out.field("supported_mask");
            out.flags_or_unknown(f.u64(144), STATMOUNT_MASK, "STATMOUNT_???");
        }
        if has(0x2000) {
            out.field("mnt_uidmap_num");
            out.uint(f.u32(152));
            sequence(out, "mnt_uidmap", 152, 156);
        }
        if has(0x4000) {
            out.field("mnt_gidmap_num");
            out.uint(f.u32(160));
            sequence(out, "mnt_gidmap", 160, 164);
        }
    });
}
