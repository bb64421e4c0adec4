//! The stat family: `struct stat` in its several layouts (x86_64, the generic 64-bit
//! one of aarch64, ARM's `stat64` and old `stat`, i386's packed `stat64`), statx and
//! statfs. Each layout is a table of field offsets, so one printer serves them all.

use rtrace_sdk::kstruct::{with_struct, Fields};
use rtrace_sdk::{Call, FlagTable, Out, StatLayout as AbiStat, Timestamp};

use crate::flags::{STATX_ATTRS, STATX_MASK};

/// Where one field of a struct lives: byte offset and width.
#[derive(Debug, Clone, Copy)]
struct At(usize, usize);

/// The offsets of `struct stat`'s fields in one ABI.
#[derive(Debug)]
struct StatLayout {
    size: usize,
    dev: At,
    ino: At,
    mode: At,
    nlink: At,
    uid: At,
    gid: At,
    rdev: At,
    size_field: At,
    blksize: At,
    blocks: At,
    /// atime, mtime, ctime: seconds and nanoseconds.
    times: [(At, At); 3],
}

const X86_64_STAT: StatLayout = StatLayout {
    size: 144,
    dev: At(0, 8),
    ino: At(8, 8),
    nlink: At(16, 8),
    mode: At(24, 4),
    uid: At(28, 4),
    gid: At(32, 4),
    rdev: At(40, 8),
    size_field: At(48, 8),
    blksize: At(56, 8),
    blocks: At(64, 8),
    times: [
        (At(72, 8), At(80, 8)),
        (At(88, 8), At(96, 8)),
        (At(104, 8), At(112, 8)),
    ],
};

/// asm-generic's `struct stat` (aarch64, riscv64).
const GENERIC_64_STAT: StatLayout = StatLayout {
    size: 128,
    dev: At(0, 8),
    ino: At(8, 8),
    mode: At(16, 4),
    nlink: At(20, 4),
    uid: At(24, 4),
    gid: At(28, 4),
    rdev: At(32, 8),
    size_field: At(48, 8),
    blksize: At(56, 4),
    blocks: At(64, 8),
    times: [
        (At(72, 8), At(80, 8)),
        (At(88, 8), At(96, 8)),
        (At(104, 8), At(112, 8)),
    ],
};

/// ARM EABI's `struct stat64` (64-bit members 8-aligned).
const ARM_STAT64: StatLayout = StatLayout {
    size: 104,
    dev: At(0, 8),
    ino: At(96, 8),
    mode: At(16, 4),
    nlink: At(20, 4),
    uid: At(24, 4),
    gid: At(28, 4),
    rdev: At(32, 8),
    size_field: At(48, 8),
    blksize: At(56, 4),
    blocks: At(64, 8),
    times: [
        (At(72, 4), At(76, 4)),
        (At(80, 4), At(84, 4)),
        (At(88, 4), At(92, 4)),
    ],
};

/// i386's packed `struct stat64`.
const I386_STAT64: StatLayout = StatLayout {
    size: 96,
    dev: At(0, 8),
    ino: At(88, 8),
    mode: At(16, 4),
    nlink: At(20, 4),
    uid: At(24, 4),
    gid: At(28, 4),
    rdev: At(32, 8),
    size_field: At(44, 8),
    blksize: At(52, 4),
    blocks: At(56, 8),
    times: [
        (At(64, 4), At(68, 4)),
        (At(72, 4), At(76, 4)),
        (At(80, 4), At(84, 4)),
    ],
};

/// The old 32-bit `struct stat` of stat/lstat/fstat on ARM and i386.
const OLD_32_STAT: StatLayout = StatLayout {
    size: 64,
    dev: At(0, 4),
    ino: At(4, 4),
    mode: At(8, 2),
    nlink: At(10, 2),
    uid: At(12, 2),
    gid: At(14, 2),
    rdev: At(16, 4),
    size_field: At(20, 4),
    blksize: At(24, 4),
    blocks: At(28, 4),
    times: [
        (At(32, 4), At(36, 4)),
        (At(40, 4), At(44, 4)),
        (At(48, 4), At(52, 4)),
    ],
};

/// The layout a stat-family call fills, by its name and the tracee's ABI.
fn stat_layout(call: &Call<'_, '_>) -> &'static StatLayout {
    let abi = call.abi();
    match abi.stat {
        AbiStat::X86_64 => &X86_64_STAT,
        AbiStat::Generic64 => &GENERIC_64_STAT,
        AbiStat::Legacy32 if !call.name().contains("64") => &OLD_32_STAT,
        // stat64's 64-bit members: packed on i386, aligned to 8 on ARM EABI.
        AbiStat::Legacy32 if abi.u64_align == 4 => &I386_STAT64,
        AbiStat::Legacy32 => &ARM_STAT64,
    }
}

fn get(fields: &Fields<'_>, at: At) -> u64 {
    fields.unsigned(at.0, at.1)
}

/// A signed field: the sign bit is the top bit of its own width.
fn get_signed(fields: &Fields<'_>, at: At) -> i64 {
    let value = get(fields, at);
    let shift = 64 - 8 * at.1 as u32;
    ((value << shift) as i64) >> shift
}

/// The file type names of `st_mode`.
const FILE_TYPES: &[(u64, &str)] = &[
    (0o140000, "S_IFSOCK"),
    (0o120000, "S_IFLNK"),
    (0o100000, "S_IFREG"),
    (0o060000, "S_IFBLK"),
    (0o040000, "S_IFDIR"),
    (0o020000, "S_IFCHR"),
    (0o010000, "S_IFIFO"),
];

/// `S_IFREG|S_ISUID|0755`, as strace's `print_symbolic_mode_t`.
pub fn emit_mode(out: &mut Out<'_>, mode: u64) {
    let Some((_, kind)) = FILE_TYPES.iter().find(|(t, _)| *t == mode & 0o170000) else {
        out.octal(mode);
        return;
    };
    out.begin_mode_set(mode);
    out.name(kind);
    for (bit, name) in [
        (0o4000, "S_ISUID"),
        (0o2000, "S_ISGID"),
        (0o1000, "S_ISVTX"),
    ] {
        if mode & bit != 0 {
            out.name(name);
        }
    }
    out.octal(mode & 0o777);
    out.end();
}

/// A device number argument (ustat's).
pub fn dev_arg(_: &mut Call<'_, '_>, out: &mut Out<'_>, raw: u64) {
    out.device_number(raw & 0xffff_ffff);
}

/// `1700000000 /* 2023-11-14T22:13:20.123456789+0000 */`: seconds with their date.
fn emit_seconds_with_date(out: &mut Out<'_>, sec: i64, nsec: u64) {
    out.text_fmt(format_args!("{sec}{}", Timestamp::new(sec, nsec).comment()));
}

fn emit_stat(call: &Call<'_, '_>, out: &mut Out<'_>, f: &Fields<'_>, layout: &StatLayout) {
    let verbose = call.options().verbose;
    let mode = get(f, layout.mode);
    out.begin_struct();
    if verbose {
        out.field("st_dev");
        out.device_number(get(f, layout.dev));
        out.field("st_ino");
        out.uint(get(f, layout.ino));
    }
    out.field("st_mode");
    emit_mode(out, mode);
    if verbose {
        for (name, at) in [
            ("st_nlink", layout.nlink),
            ("st_uid", layout.uid),
            ("st_gid", layout.gid),
            ("st_blksize", layout.blksize),
            ("st_blocks", layout.blocks),
        ] {
            out.field(name);
            out.uint(get(f, at));
        }
    }
    if matches!(mode & 0o170000, 0o020000 | 0o060000) {
        out.field("st_rdev");
        out.device_number(get(f, layout.rdev));
    } else {
        out.field("st_size");
        out.uint(get(f, layout.size_field));
    }
    if !verbose {
        out.ellipsis();
        out.end();
        return;
    }
    let names = [
        ("st_atime", "st_atime_nsec"),
        ("st_mtime", "st_mtime_nsec"),
        ("st_ctime", "st_ctime_nsec"),
    ];
    for ((sec_name, nsec_name), (sec_at, nsec_at)) in names.into_iter().zip(layout.times) {
        let (sec, nsec) = (get_signed(f, sec_at), get(f, nsec_at));
        out.field(sec_name);
        emit_seconds_with_date(out, sec, nsec);
        out.field(nsec_name);
        out.uint(nsec);
    }
    out.end();
}

/// The `struct stat` a stat-family call filled (an output argument).
pub fn stat_struct(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
        return;
    }
    let layout = stat_layout(call);
    let call = &*call;
    with_struct(call, out, addr, layout.size, |out, f| {
        emit_stat(call, out, &f, layout)
    });
}

/// `struct statx` (the same on every ABI).
pub fn statx_struct(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
        return;
    }
    let verbose = call.options().verbose;
    with_struct(call, out, addr, 160, |out, f| {
        let mask = f.u32(0);
        out.begin_struct();
        out.field("stx_mask");
        out.flags(mask, STATX_MASK);
        if verbose {
            out.field("stx_blksize");
            out.uint(f.u32(4));
        }
        out.field("stx_attributes");
        out.flags(f.u64(8), STATX_ATTRS);
        if verbose {
            for (name, offset) in [("stx_nlink", 16), ("stx_uid", 20), ("stx_gid", 24)] {
                out.field(name);
                out.uint(f.u32(offset));
            }
        }
        out.field("stx_mode");
        emit_mode(out, f.u16(28));
        if verbose {
            out.field("stx_ino");
            out.uint(f.u64(32));
        }
        out.field("stx_size");
        out.uint(f.u64(40));
        if !verbose {
            out.ellipsis();
            out.end();
            return;
        }
        out.field("stx_blocks");
        out.uint(f.u64(48));
        out.field("stx_attributes_mask");
        out.flags(f.u64(56), STATX_ATTRS);
        // Times the kernel did not fill are left out, as strace does.
        for (bit, name, offset) in [
            (0x20, "stx_atime", 64),
            (0x800, "stx_btime", 80),
            (0x80, "stx_ctime", 96),
            (0x40, "stx_mtime", 112),
        ] {
            if mask & bit != 0 {
                let (sec, nsec) = (f.i64(offset), f.u32(offset + 8));
                out.field(name);
                out.text_fmt(format_args!(
                    "{{tv_sec={sec}, tv_nsec={nsec}}}{}",
                    Timestamp::new(sec, nsec).comment()
                ));
            }
        }
        for (name, offset) in [
            ("stx_rdev_major", 128),
            ("stx_rdev_minor", 132),
            ("stx_dev_major", 136),
            ("stx_dev_minor", 140),
        ] {
            out.field(name);
            out.uint(f.u32(offset));
        }
        if mask & 0x1000 != 0 {
            out.field("stx_mnt_id");
            out.hex(f.u64(144));
        }
        if mask & 0x2000 != 0 {
            out.field("stx_dio_mem_align");
            out.uint(f.u32(152));
            out.field("stx_dio_offset_align");
            out.uint(f.u32(156));
        }
        out.end();
    });
}

/// Filesystem magic numbers (`f_type`).
pub(crate) const FS_MAGIC: &[(u64, &str)] = &[
    (0x0000_002f, "QNX4_SUPER_MAGIC"),
    (0x0000_0187, "AUTOFS_SUPER_MAGIC"),
    (0x0000_1373, "DEVFS_SUPER_MAGIC"),
    (0x0000_137f, "MINIX_SUPER_MAGIC"),
    (0x0000_1cd1, "DEVPTS_SUPER_MAGIC"),
    (0x0000_3434, "NILFS_SUPER_MAGIC"),
    (0x0000_4244, "HFS_SUPER_MAGIC"),
    (0x0000_482b, "HFSPLUS_SUPER_MAGIC"),
    (0x0000_4d44, "MSDOS_SUPER_MAGIC"),
    (0x0000_517b, "SMB_SUPER_MAGIC"),
    (0x0000_6969, "NFS_SUPER_MAGIC"),
    (0x0000_7275, "ROMFS_MAGIC"),
    (0x0000_72b6, "JFFS2_SUPER_MAGIC"),
    (0x0000_9660, "ISOFS_SUPER_MAGIC"),
    (0x0000_9fa0, "PROC_SUPER_MAGIC"),
    (0x0000_ef53, "EXT2_SUPER_MAGIC"),
    (0x0000_f15f, "ECRYPTFS_SUPER_MAGIC"),
    (0x0027_e0eb, "CGROUP_SUPER_MAGIC"),
    (0x00c3_6400, "CEPH_SUPER_MAGIC"),
    (0x0102_1994, "TMPFS_MAGIC"),
    (0x0102_1997, "V9FS_MAGIC"),
    (0x0116_1970, "GFS2_MAGIC"),
    (0x0904_1934, "ANON_INODE_FS_MAGIC"),
    (0x1501_3346, "UDF_SUPER_MAGIC"),
    (0x2011_bab0, "EXFAT_SUPER_MAGIC"),
    (0x2405_1905, "UBIFS_SUPER_MAGIC"),
    (0x28cd_3d45, "CRAMFS_MAGIC"),
    (0x2fc1_2fc1, "ZFS_SUPER_MAGIC"),
    (0x3153_464a, "JFS_SUPER_MAGIC"),
    (0x4249_4e4d, "BINFMTFS_MAGIC"),
    (0x444d_4142, "DMA_BUF_MAGIC"),
    (0x454d_444d, "DEVMEM_MAGIC"),
    (0x5049_5045, "PIPEFS_MAGIC"),
    (0x5265_4973, "REISERFS_SUPER_MAGIC"),
    (0x5345_434d, "SECRETMEM_MAGIC"),
    (0x5346_544e, "NTFS_SB_MAGIC"),
    (0x534f_434b, "SOCKFS_MAGIC"),
    (0x5846_5342, "XFS_SUPER_MAGIC"),
    (0x6165_676c, "PSTOREFS_MAGIC"),
    (0x6264_6576, "BDEVFS_MAGIC"),
    (0x6265_6570, "CONFIGFS_MAGIC"),
    (0x6265_6572, "SYSFS_MAGIC"),
    (0x6367_7270, "CGROUP2_SUPER_MAGIC"),
    (0x6462_6720, "DEBUGFS_MAGIC"),
    (0x6573_5543, "FUSE_CTL_SUPER_MAGIC"),
    (0x6573_5546, "FUSE_SUPER_MAGIC"),
    (0x6c6f_6f70, "BINDERFS_SUPER_MAGIC"),
    (0x6e73_6673, "NSFS_MAGIC"),
    (0x7363_6673, "SECURITYFS_MAGIC"),
    (0x7371_7368, "SQUASHFS_MAGIC"),
    (0x7461_636f, "OCFS2_SUPER_MAGIC"),
    (0x7472_6163, "TRACEFS_MAGIC"),
    (0x794c_7630, "OVERLAYFS_SUPER_MAGIC"),
    (0x8584_58f6, "RAMFS_MAGIC"),
    (0x9123_683e, "BTRFS_SUPER_MAGIC"),
    (0x9584_58f6, "HUGETLBFS_MAGIC"),
    (0xcafe_4a11, "BPF_FS_MAGIC"),
    (0xde5e_81e4, "EFIVARFS_MAGIC"),
    (0xe0f5_e1e2, "EROFS_SUPER_MAGIC_V1"),
    (0xf2f5_2010, "F2FS_SUPER_MAGIC"),
    (0xf97c_ff8c, "SELINUX_MAGIC"),
    (0xfe53_4d42, "SMB2_SUPER_MAGIC"),
    (0xff53_4d42, "CIFS_SUPER_MAGIC"),
];

/// statfs's `f_flags`, in strace's order (`ST_VALID` first).
const STATFS_FLAGS: &FlagTable = &FlagTable::bits(&[
    (0x0020, "ST_VALID"),
    (0x0001, "ST_RDONLY"),
    (0x0002, "ST_NOSUID"),
    (0x0004, "ST_NODEV"),
    (0x0008, "ST_NOEXEC"),
    (0x0010, "ST_SYNCHRONOUS"),
    (0x0040, "ST_MANDLOCK"),
    (0x0400, "ST_NOATIME"),
    (0x0800, "ST_NODIRATIME"),
    (0x1000, "ST_RELATIME"),
    (0x2000, "ST_NOSYMFOLLOW"),
]);

/// `struct statfs` (word-sized counts) or `statfs64` (64-bit counts): the sizes of the
/// leading fields and of the block and file counts.
fn emit_statfs(out: &mut Out<'_>, f: &Fields<'_>, head: usize, count: usize) {
    let mut at = 0;
    let mut next = |width: usize| {
        let value = f.unsigned(at, width);
        at += width;
        value
    };
    let kind = next(head);
    let bsize = next(head);
    let counts = [
        ("f_blocks", next(count)),
        ("f_bfree", next(count)),
        ("f_bavail", next(count)),
        ("f_files", next(count)),
        ("f_ffree", next(count)),
    ];
    let fsid = [next(4), next(4)];
    let namelen = next(head);
    let frsize = next(head);
    let flags = next(head);
    out.begin_struct();
    out.field("f_type");
    match FS_MAGIC.iter().find(|(magic, _)| *magic == kind) {
        Some((_, name)) => out.named(name, kind as i64, true),
        None => out.hex(kind),
    }
    out.field("f_bsize");
    out.uint(bsize);
    for (name, value) in counts {
        out.field(name);
        out.uint(value);
    }
    out.field("f_fsid");
    out.structure(|out| {
        out.field("val");
        out.array(|out| {
            out.hex(fsid[0]);
            out.hex(fsid[1]);
        });
    });
    out.field("f_namelen");
    out.uint(namelen);
    out.field("f_frsize");
    out.uint(frsize);
    out.field("f_flags");
    out.flags(flags, STATFS_FLAGS);
    out.end();
}

/// statfs / fstatfs's `struct statfs`.
pub fn statfs_struct(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
        return;
    }
    let word = if call.word_size() == 4 { 4 } else { 8 };
    with_struct(call, out, addr, word * 14 + 8, |out, f| {
        emit_statfs(out, &f, word, word)
    });
}

/// statfs64 / fstatfs64's `struct statfs64` (32-bit ABIs: word-sized header, 64-bit
/// counts, packed to 4 bytes).
pub fn statfs64_struct(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
        return;
    }
    let word = if call.word_size() == 4 { 4 } else { 8 };
    with_struct(call, out, addr, 84, |out, f| emit_statfs(out, &f, word, 8));
}
