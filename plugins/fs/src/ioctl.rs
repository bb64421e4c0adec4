//! ioctl: the request's name (or `_IOC(dir, type, nr, size)` for one strace does not
//! know), and the argument of the requests strace decodes: terminals (termios,
//! winsize), FIO*, the SIOCGIF* socket requests (`struct ifreq`), FS_IOC_* (inode
//! flags, fsxattr), block-device sizes, the random device's entropy count, nsfs and
//! pidfd namespace requests, loop and tun. Other known requests show their argument in
//! hex, as strace does.

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt};

use rtrace_sdk::kstruct::with_struct;
use rtrace_sdk::{Call, ConstTable, DecodeStatus, FlagTable, Out, Phase};

use crate::console::{decimal_constant, DISPLAY_MODES, KEYBOARD_MODES, KEYBOARD_TYPES, META_MODES};
use crate::ifreq::{emit_ifreq, Member, IFREQ_SIZE};
use crate::termios::{
    emit_termios, emit_winsize, FLOW_ACTIONS, FLUSH_QUEUES, MODEM_LINES, TERMIOS_SIZE, WINSIZE_SIZE,
};
use crate::xattrat::FS_XFLAGS;

/// PERF_EVENT_IOC_ENABLE's, DISABLE's and RESET's flags.
const PERF_IOC_FLAGS: &FlagTable = &FlagTable::bits(&[(1, "PERF_IOC_FLAG_GROUP")]);

/// FS_IOC_SHUTDOWN's flags.
const SHUTDOWN_FLAGS: &ConstTable = &ConstTable {
    names: &[
        (0, "FS_SHUTDOWN_FLAGS_DEFAULT"),
        (1, "FS_SHUTDOWN_FLAGS_LOGFLUSH"),
        (2, "FS_SHUTDOWN_FLAGS_NOLOGFLUSH"),
    ],
    unknown: "FS_SHUTDOWN_FLAGS_???",
};

/// How a request's argument is shown, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Not shown at all (FIOCLEX).
    Nothing,
    /// The raw value in hex (the default for requests strace does not decode).
    Raw,
    /// A structure's address (`NULL` for 0): requests whose structure strace decodes
    /// and rtrace does not yet.
    Address,
    /// Named, but with no decoder in strace either: shown as an unknown request's
    /// argument (its bytes with `-v`).
    Undecoded,
    /// An `int` passed by value.
    Int,
    /// A word passed by value, unsigned decimal.
    Uint,
    /// A file descriptor passed by value (FICLONE).
    Fd,
    /// `[int]` read from the tracee, at entry or (`Out`) at exit.
    IntIn,
    IntOut,
    /// `struct termios`, at entry or at exit.
    TermiosIn,
    TermiosOut,
    /// `struct winsize`, at entry or at exit.
    WinsizeIn,
    WinsizeOut,
    /// `struct ifreq`, its name and the member the request fills in, at exit.
    IfReq(Member),
    /// `[FS_EXTENT_FL]`: inode flags (an `int`), at entry or at exit.
    InodeFlagsIn,
    InodeFlagsOut,
    /// `struct fsxattr`, at entry or (with fsx_nextents) at exit.
    FsxattrIn,
    FsxattrOut,
    /// `[u64]` (BLKGETSIZE64), `[unsigned int]` (NS_GET_OWNER_UID), at exit.
    U64Out,
    UintOut,
    /// The argument is the value itself, shown as is (PIDFD_GET_*: 0).
    Value,
    /// No argument; the return value is a namespace type (NS_GET_NSTYPE).
    NsType,
    /// TCXONC's and TCFLSH's action, by value (`TCOON`, `0x63 /* TC??? */`).
    FlowAction,
    FlushQueue,
    /// `[TIOCM_DTR|TIOCM_RTS]`: modem lines, at entry or (TIOCMGET) at exit.
    ModemLinesIn,
    ModemLinesOut,
    /// PERF_EVENT_IOC_ENABLE's and its kin's flags, by value (`PERF_IOC_FLAG_GROUP`).
    PerfFlags,
    /// `[u64]` read at entry, decimal (PERF_EVENT_IOC_PERIOD).
    U64In,
    /// `[FS_SHUTDOWN_FLAGS_LOGFLUSH]`: FS_IOC_SHUTDOWN's flags, read at entry.
    ShutdownFlags,
    /// The console's display mode, by value (KDSETMODE) or `[KD_TEXT]` at exit.
    DisplayMode,
    DisplayModeOut,
    /// The keyboard mode, by value (KDSKBMODE) or `[K_XLATE]` at exit.
    KeyboardMode,
    KeyboardModeOut,
    /// `[KB_101]`: the keyboard type (a byte), at exit.
    KeyboardTypeOut,
    /// The meta key handling, by value (KDSKBMETA) or `[K_METABIT]` at exit.
    MetaMode,
    MetaModeOut,
}

impl Shape {
    fn at_exit(self) -> bool {
        matches!(
            self,
            Shape::IntOut
                | Shape::TermiosOut
                | Shape::WinsizeOut
                | Shape::IfReq(_)
                | Shape::InodeFlagsOut
                | Shape::FsxattrOut
                | Shape::U64Out
                | Shape::UintOut
                | Shape::NsType
                | Shape::ModemLinesOut
                | Shape::DisplayModeOut
                | Shape::KeyboardModeOut
                | Shape::KeyboardTypeOut
                | Shape::MetaModeOut
        )
    }
}

/// The requests rtrace names: code, strace's name, argument shape. Codes are the same
/// on x86_64 and ARM.
const REQUESTS: &[(u64, &str, Shape)] = &[
    (0x5401, "TCGETS", Shape::TermiosOut),
    (0x5402, "SNDCTL_TMR_START or TCSETS", Shape::TermiosIn),
    (0x5403, "SNDCTL_TMR_STOP or TCSETSW", Shape::TermiosIn),
    (0x5404, "SNDCTL_TMR_CONTINUE or TCSETSF", Shape::TermiosIn),
    // (Sound timer and terminal requests share these numbers; on a terminal strace 7
    // names only the terminal's, see `terminal_name`.)
    (0x5405, "TCGETA", Shape::Raw),
    (0x5406, "TCSETA", Shape::Raw),
    (0x5407, "TCSETAW", Shape::Raw),
    (0x5408, "TCSETAF", Shape::Raw),
    (0x5409, "TCSBRK", Shape::Int),
    (0x540a, "TCXONC", Shape::FlowAction),
    (0x540b, "TCFLSH", Shape::FlushQueue),
    (0x540c, "TIOCEXCL", Shape::Nothing),
    (0x540d, "TIOCNXCL", Shape::Nothing),
    (0x540e, "TIOCSCTTY", Shape::Int),
    (0x540f, "TIOCGPGRP", Shape::IntOut),
    (0x5410, "TIOCSPGRP", Shape::IntIn),
    (0x5411, "TIOCOUTQ", Shape::IntOut),
    (0x5412, "TIOCSTI", Shape::Raw),
    (0x5413, "TIOCGWINSZ", Shape::WinsizeOut),
    (0x5414, "TIOCSWINSZ", Shape::WinsizeIn),
    (0x5415, "TIOCMGET", Shape::ModemLinesOut),
    (0x5416, "TIOCMBIS", Shape::ModemLinesIn),
    (0x5417, "TIOCMBIC", Shape::ModemLinesIn),
    (0x5418, "TIOCMSET", Shape::ModemLinesIn),
    (0x5419, "TIOCGSOFTCAR", Shape::IntOut),
    (0x541a, "TIOCSSOFTCAR", Shape::IntIn),
    (0x541b, "FIONREAD", Shape::IntOut),
    (0x541c, "TIOCLINUX", Shape::Raw),
    (0x541d, "TIOCCONS", Shape::Nothing),
    (0x541e, "TIOCGSERIAL", Shape::Raw),
    (0x541f, "TIOCSSERIAL", Shape::Nothing),
    (0x5420, "TIOCPKT", Shape::IntIn),
    (0x5421, "FIONBIO", Shape::IntIn),
    (0x5422, "TIOCNOTTY", Shape::Nothing),
    (0x5423, "TIOCSETD", Shape::IntIn),
    (0x5424, "TIOCGETD", Shape::IntOut),
    (0x5425, "TCSBRKP", Shape::Int),
    (0x5427, "TIOCSBRK", Shape::Nothing),
    (0x5428, "TIOCCBRK", Shape::Nothing),
    (0x5429, "TIOCGSID", Shape::IntOut),
    (0x8004_5430, "TIOCGPTN", Shape::IntOut),
    (0x4004_5431, "TIOCSPTLCK", Shape::IntIn),
    (0x8004_5432, "TIOCGDEV", Shape::IntOut),
    (0x5441, "TIOCGPTPEER", Shape::Raw),
    (0x5450, "FIONCLEX", Shape::Nothing),
    (0x5451, "FIOCLEX", Shape::Nothing),
    (0x5452, "FIOASYNC", Shape::IntIn),
    (0x5456, "TIOCGLCKTRMIOS", Shape::TermiosOut),
    (0x5457, "TIOCSLCKTRMIOS", Shape::TermiosIn),
    (0x5460, "FIOQSIZE", Shape::Raw),
    (0x4004_9409, "BTRFS_IOC_CLONE or FICLONE", Shape::Fd),
    // Sockets (linux/sockios.h).
    (0x8901, "FIOSETOWN", Shape::IntIn),
    (0x8902, "SIOCSPGRP", Shape::IntIn),
    (0x8903, "FIOGETOWN", Shape::IntOut),
    (0x8904, "SIOCGPGRP", Shape::IntOut),
    (0x8905, "SIOCATMARK", Shape::IntOut),
    (0x8910, "SIOCGIFNAME", Shape::IfReq(Member::Name)),
    (0x8912, "SIOCGIFCONF", Shape::Address),
    (0x8913, "SIOCGIFFLAGS", Shape::IfReq(Member::Flags)),
    (
        0x8915,
        "SIOCGIFADDR",
        Shape::IfReq(Member::Addr("ifr_addr")),
    ),
    (
        0x8917,
        "SIOCGIFDSTADDR",
        Shape::IfReq(Member::Addr("ifr_dstaddr")),
    ),
    (
        0x8919,
        "SIOCGIFBRDADDR",
        Shape::IfReq(Member::Addr("ifr_broadaddr")),
    ),
    (
        0x891b,
        "SIOCGIFNETMASK",
        Shape::IfReq(Member::Addr("ifr_netmask")),
    ),
    (
        0x891d,
        "SIOCGIFMETRIC",
        Shape::IfReq(Member::Int("ifr_metric")),
    ),
    (0x8921, "SIOCGIFMTU", Shape::IfReq(Member::Int("ifr_mtu"))),
    (0x8927, "SIOCGIFHWADDR", Shape::IfReq(Member::HwAddr)),
    (0x8933, "SIOCGIFINDEX", Shape::IfReq(Member::Index)),
    (
        0x8942,
        "SIOCGIFTXQLEN",
        Shape::IfReq(Member::Int("ifr_qlen")),
    ),
    // Inode flags and attributes (linux/fs.h): the `long` requests' 64-bit codes,
    // then their 32-bit codes (the same requests from a 32-bit program).
    (0x8008_6601, "FS_IOC_GETFLAGS", Shape::InodeFlagsOut),
    (0x4008_6602, "FS_IOC_SETFLAGS", Shape::InodeFlagsIn),
    (0x8008_7601, "FS_IOC_GETVERSION", Shape::Undecoded),
    (0x4008_7602, "FS_IOC_SETVERSION", Shape::Undecoded),
    (0x8004_6601, "FS_IOC_GETFLAGS", Shape::InodeFlagsOut),
    (0x4004_6602, "FS_IOC_SETFLAGS", Shape::InodeFlagsIn),
    (0x8004_7601, "FS_IOC_GETVERSION", Shape::Undecoded),
    (0x4004_7602, "FS_IOC_SETVERSION", Shape::Undecoded),
    (0x801c_581f, "FS_IOC_FSGETXATTR", Shape::FsxattrOut),
    (0x401c_5820, "FS_IOC_FSSETXATTR", Shape::FsxattrIn),
    (0xc020_660b, "FS_IOC_FIEMAP", Shape::Address),
    (0xc004_5877, "FIFREEZE", Shape::Nothing),
    (0xc004_5878, "FITHAW", Shape::Nothing),
    (0xc018_5879, "FITRIM", Shape::Address),
    (0x8004_587d, "FS_IOC_SHUTDOWN", Shape::ShutdownFlags),
    // The virtual console (linux/kd.h): the modes only, so far.
    (0x4b33, "KDGKBTYPE", Shape::KeyboardTypeOut),
    (0x4b3a, "KDSETMODE", Shape::DisplayMode),
    (0x4b3b, "KDGETMODE", Shape::DisplayModeOut),
    (0x4b44, "KDGKBMODE", Shape::KeyboardModeOut),
    (0x4b45, "KDSKBMODE", Shape::KeyboardMode),
    (0x4b62, "KDGKBMETA", Shape::MetaModeOut),
    (0x4b63, "KDSKBMETA", Shape::MetaMode),
    // perf events (linux/perf_event.h); the requests whose size is a pointer's are
    // not named yet.
    (0x2400, "PERF_EVENT_IOC_ENABLE", Shape::PerfFlags),
    (0x2401, "PERF_EVENT_IOC_DISABLE", Shape::PerfFlags),
    (0x2402, "PERF_EVENT_IOC_REFRESH", Shape::Int),
    (0x2403, "PERF_EVENT_IOC_RESET", Shape::PerfFlags),
    (0x4008_2404, "PERF_EVENT_IOC_PERIOD", Shape::U64In),
    (0x2405, "PERF_EVENT_IOC_SET_OUTPUT", Shape::Fd),
    (0x4004_2408, "PERF_EVENT_IOC_SET_BPF", Shape::Fd),
    (0x4004_2409, "PERF_EVENT_IOC_PAUSE_OUTPUT", Shape::Uint),
    // Block devices (linux/fs.h).
    (0x125d, "BLKROSET", Shape::IntIn),
    (0x125e, "BLKROGET", Shape::IntOut),
    (0x125f, "BLKRRPART", Shape::Nothing),
    (0x1260, "BLKGETSIZE", Shape::Raw),
    (0x1261, "BLKFLSBUF", Shape::Nothing),
    (0x1268, "BLKSSZGET", Shape::IntOut),
    (0x8008_1270, "BLKBSZGET", Shape::IntOut),
    (0x8008_1272, "BLKGETSIZE64", Shape::U64Out),
    (0x8004_1270, "BLKBSZGET", Shape::IntOut),
    (0x8004_1272, "BLKGETSIZE64", Shape::U64Out),
    (0x1278, "BLKIOMIN", Shape::IntOut),
    (0x1279, "BLKIOOPT", Shape::IntOut),
    (0x127a, "BLKALIGNOFF", Shape::IntOut),
    (0x127b, "BLKPBSZGET", Shape::IntOut),
    (0x127c, "BLKDISCARDZEROES", Shape::IntOut),
    // Loop devices (linux/loop.h).
    (0x4c00, "LOOP_SET_FD", Shape::Fd),
    (0x4c01, "LOOP_CLR_FD", Shape::Nothing),
    (0x4c02, "LOOP_SET_STATUS", Shape::Address),
    (0x4c03, "LOOP_GET_STATUS", Shape::Address),
    (0x4c04, "LOOP_SET_STATUS64", Shape::Address),
    (0x4c05, "LOOP_GET_STATUS64", Shape::Address),
    (0x4c06, "LOOP_CHANGE_FD", Shape::Fd),
    (0x4c07, "LOOP_SET_CAPACITY", Shape::Nothing),
    (0x4c08, "LOOP_SET_DIRECT_IO", Shape::Int),
    (0x4c09, "LOOP_SET_BLOCK_SIZE", Shape::Int),
    (0x4c0a, "LOOP_CONFIGURE", Shape::Address),
    (0x4c80, "LOOP_CTL_ADD", Shape::Int),
    (0x4c81, "LOOP_CTL_REMOVE", Shape::Int),
    (0x4c82, "LOOP_CTL_GET_FREE", Shape::Nothing),
    // tun (linux/if_tun.h).
    (0x4004_54ca, "TUNSETIFF", Shape::Address),
    (0x8004_54d2, "TUNGETIFF", Shape::Address),
    (0x4004_54c9, "TUNSETPERSIST", Shape::Int),
    (0x4004_54cc, "TUNSETOWNER", Shape::Int),
    (0x4004_54ce, "TUNSETGROUP", Shape::Int),
    // The random device (linux/random.h).
    (0x8004_5200, "RNDGETENTCNT", Shape::IntOut),
    (0x4004_5201, "RNDADDTOENTCNT", Shape::IntIn),
    (0x5204, "RNDZAPENTCNT", Shape::Nothing),
    (0x5206, "RNDCLEARPOOL", Shape::Nothing),
    (0x5207, "RNDRESEEDCRNG", Shape::Nothing),
    // Namespace files (linux/nsfs.h) and pidfds (linux/pidfd.h).
    (0xb701, "NS_GET_USERNS", Shape::Nothing),
    (0xb702, "NS_GET_PARENT", Shape::Nothing),
    (0xb703, "NS_GET_NSTYPE", Shape::NsType),
    (0xb704, "NS_GET_OWNER_UID", Shape::UintOut),
    (0xff01, "PIDFD_GET_CGROUP_NAMESPACE", Shape::Value),
    (0xff02, "PIDFD_GET_IPC_NAMESPACE", Shape::Value),
    (0xff03, "PIDFD_GET_MNT_NAMESPACE", Shape::Value),
    (0xff04, "PIDFD_GET_NET_NAMESPACE", Shape::Value),
    (0xff05, "PIDFD_GET_PID_NAMESPACE", Shape::Value),
    (0xff06, "PIDFD_GET_PID_FOR_CHILDREN_NAMESPACE", Shape::Value),
    (0xff07, "PIDFD_GET_TIME_NAMESPACE", Shape::Value),
    (
        0xff08,
        "PIDFD_GET_TIME_FOR_CHILDREN_NAMESPACE",
        Shape::Value,
    ),
    (0xff09, "PIDFD_GET_USER_NAMESPACE", Shape::Value),
    (0xff0a, "PIDFD_GET_UTS_NAMESPACE", Shape::Value),
];

/// Inode flags (FS_IOC_GETFLAGS; linux/fs.h, in strace's order).
static INODE_FLAGS: rtrace_sdk::FlagTable = rtrace_sdk::FlagTable::bits(&[
    (0x1, "FS_SECRM_FL"),
    (0x2, "FS_UNRM_FL"),
    (0x4, "FS_COMPR_FL"),
    (0x8, "FS_SYNC_FL"),
    (0x10, "FS_IMMUTABLE_FL"),
    (0x20, "FS_APPEND_FL"),
    (0x40, "FS_NODUMP_FL"),
    (0x80, "FS_NOATIME_FL"),
    (0x100, "FS_DIRTY_FL"),
    (0x200, "FS_COMPRBLK_FL"),
    (0x400, "FS_NOCOMP_FL"),
    (0x800, "FS_ENCRYPT_FL"),
    (0x1000, "FS_INDEX_FL"),
    (0x2000, "FS_IMAGIC_FL"),
    (0x4000, "FS_JOURNAL_DATA_FL"),
    (0x8000, "FS_NOTAIL_FL"),
    (0x10000, "FS_DIRSYNC_FL"),
    (0x20000, "FS_TOPDIR_FL"),
    (0x40000, "FS_HUGE_FILE_FL"),
    (0x80000, "FS_EXTENT_FL"),
    (0x100000, "FS_VERITY_FL"),
    (0x200000, "FS_EA_INODE_FL"),
    (0x400000, "FS_EOFBLOCKS_FL"),
    (0x800000, "FS_NOCOW_FL"),
    (0x2000000, "FS_DAX_FL"),
    (0x10000000, "FS_INLINE_DATA_FL"),
    (0x20000000, "FS_PROJINHERIT_FL"),
    (0x40000000, "FS_CASEFOLD_FL"),
    (0x80000000, "FS_RESERVED_FL"),
]);

/// `struct fsxattr`: five u32 and 8 bytes of padding.
const FSXATTR_SIZE: usize = 28;

/// On a terminal (a character device of the tty majors, 3-5 and 136-143, as
/// Documentation/admin-guide/devices.txt lists them) the requests that terminals share
/// with the sound timer are named as the terminal's alone, as strace 7 does.
fn terminal_name(call: &Call<'_, '_>, name: &'static str) -> &'static str {
    let Some((_, terminal)) = name.split_once(" or ") else {
        return name;
    };
    let mut buf = [0u8; 256];
    let Some(len) = call.tracee().fd_path(call.arg_int(0) as i32, &mut buf) else {
        return name;
    };
    let path = std::path::Path::new(std::ffi::OsStr::from_bytes(&buf[..len.min(buf.len())]));
    // The tracer sees the same device files as the tracee; strace stats the same path.
    let is_tty = std::fs::metadata(path).is_ok_and(|m| {
        let major = libc_major(m.rdev());
        m.file_type().is_char_device() && (matches!(major, 3..=5) || matches!(major, 136..=143))
    });
    if is_tty {
        terminal
    } else {
        name
    }
}

/// glibc's gnu_dev_major.
fn libc_major(dev: u64) -> u64 {
    ((dev >> 32) & 0xffff_f000) | ((dev >> 8) & 0xfff)
}

/// `_IOC(_IOC_READ, 0x78, 0x42, 0x4)`: a request strace has no name for.
fn emit_ioc(out: &mut Out<'_>, code: u64) {
    let dir = match (code >> 30) & 3 {
        0 => "_IOC_NONE",
        1 => "_IOC_WRITE",
        2 => "_IOC_READ",
        _ => "_IOC_READ|_IOC_WRITE",
    };
    out.begin_call("_IOC");
    out.name(dir);
    out.hex((code >> 8) & 0xff);
    out.hex(code & 0xff);
    out.hex((code >> 16) & 0x3fff);
    out.end();
}

fn emit_argument(call: &Call<'_, '_>, out: &mut Out<'_>, shape: Shape) {
    let addr = call.arg_ulong(2);
    // A failed call's output argument is its address; an ifreq still shows what went
    // in, and NS_GET_NSTYPE has no argument to show.
    if shape.at_exit() && call.is_error() && !matches!(shape, Shape::IfReq(_) | Shape::NsType) {
        out.pointer(addr);
        return;
    }
    match shape {
        Shape::Nothing => {}
        Shape::Raw => out.hex(addr),
        Shape::Address => out.pointer(addr),
        // Handled with the unknown requests.
        Shape::Undecoded => {}
        Shape::Int => out.int(call.arg_int(2)),
        Shape::Fd => out.fd(call.arg_int(2) as i32),
        Shape::IntIn | Shape::IntOut => {
            with_struct(call, out, addr, 4, |out, f| {
                out.array(|out| out.int(f.i32(0)));
            });
        }
        Shape::TermiosIn | Shape::TermiosOut => {
            let verbose = call.options().verbose;
            with_struct(call, out, addr, TERMIOS_SIZE, |out, f| {
                emit_termios(out, &f, verbose)
            });
        }
        Shape::WinsizeIn | Shape::WinsizeOut => {
            with_struct(call, out, addr, WINSIZE_SIZE, |out, f| {
                emit_winsize(out, &f)
            });
        }
        Shape::IfReq(member) => {
            with_struct(call, out, addr, IFREQ_SIZE, |out, f| {
                emit_ifreq(call, out, &f, member)
            });
        }
        Shape::PerfFlags => out.flags_or_unknown(addr, PERF_IOC_FLAGS, "PERF_IOC_FLAG_???"),
        Shape::Uint => out.uint(addr),
        Shape::U64In => {
            with_struct(call, out, addr, 8, |out, f| {
                out.array(|out| out.uint(f.u64(0)));
            });
        }
        Shape::ShutdownFlags => {
            with_struct(call, out, addr, 4, |out, f| {
                out.array(|out| {
                    out.constant(f.u32(0), SHUTDOWN_FLAGS.names, SHUTDOWN_FLAGS.unknown)
                });
            });
        }
        Shape::DisplayMode => out.constant(addr, DISPLAY_MODES.names, DISPLAY_MODES.unknown),
        Shape::KeyboardMode => decimal_constant(out, addr & 0xffff_ffff, KEYBOARD_MODES),
        Shape::MetaMode => out.constant(addr & 0xffff_ffff, META_MODES.names, META_MODES.unknown),
        Shape::DisplayModeOut | Shape::KeyboardModeOut | Shape::MetaModeOut => {
            with_struct(call, out, addr, 4, |out, f| {
                out.array(|out| {
                    let value = f.u32(0);
                    match shape {
                        Shape::KeyboardModeOut => decimal_constant(out, value, KEYBOARD_MODES),
                        Shape::MetaModeOut => {
                            out.constant(value, META_MODES.names, META_MODES.unknown)
                        }
                        _ => out.constant(value, DISPLAY_MODES.names, DISPLAY_MODES.unknown),
                    }
                });
            });
        }
        Shape::KeyboardTypeOut => {
            with_struct(call, out, addr, 1, |out, f| {
                out.array(|out| {
                    let kind = f.unsigned(0, 1);
                    out.constant(kind, KEYBOARD_TYPES.names, KEYBOARD_TYPES.unknown)
                });
            });
        }
        Shape::FlowAction => out.constant(addr, FLOW_ACTIONS.names, FLOW_ACTIONS.unknown),
        Shape::FlushQueue => out.constant(addr, FLUSH_QUEUES.names, FLUSH_QUEUES.unknown),
        Shape::ModemLinesIn | Shape::ModemLinesOut => {
            with_struct(call, out, addr, 4, |out, f| {
                out.array(|out| out.flags_or_unknown(f.u32(0), MODEM_LINES, "TIOCM_???"));
            });
        }
        Shape::InodeFlagsIn | Shape::InodeFlagsOut => {
            with_struct(call, out, addr, 4, |out, f| {
                out.array(|out| out.flags(f.u32(0), &INODE_FLAGS));
            });
        }
        Shape::FsxattrIn | Shape::FsxattrOut => {
            with_struct(call, out, addr, FSXATTR_SIZE, |out, f| {
                out.structure(|out| {
                    out.field("fsx_xflags");
                    out.flags(f.u32(0), FS_XFLAGS);
                    out.field("fsx_extsize");
                    out.uint(f.u32(4));
                    if shape == Shape::FsxattrOut {
                        out.field("fsx_nextents");
                        out.uint(f.u32(8));
                    }
                    out.field("fsx_projid");
                    out.hex(f.u32(12));
                    out.field("fsx_cowextsize");
                    out.uint(f.u32(16));
                })
            });
        }
        Shape::U64Out => {
            with_struct(call, out, addr, 8, |out, f| {
                out.array(|out| out.uint(f.u64(0)));
            });
        }
        Shape::UintOut => {
            with_struct(call, out, addr, 4, |out, f| {
                out.array(|out| out.uint(f.u32(0)));
            });
        }
        Shape::Value => out.hex(addr),
        Shape::NsType if call.is_error() => {}
        Shape::NsType => {
            let kind = call.retval() as u64;
            let names = rtrace_sdk::shared_flags::NAMESPACE_TYPES.names;
            if let Some((_, name)) = names.iter().find(|(v, _)| *v == kind && *v != 0) {
                out.return_note();
                out.name(name);
            }
        }
    }
}

pub fn ioctl(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let code = call.arg(1) & 0xffff_ffff;
    let known = REQUESTS.iter().find(|(c, _, _)| *c == code);
    let shape = known.map_or(Shape::Raw, |(_, _, shape)| *shape);
    match phase {
        Phase::Entry => {
            out.fd(call.arg_int(0) as i32);
            match known {
                Some((_, name, _)) => out.named(terminal_name(call, name), code as i64, true),
                None => emit_ioc(out, code),
            }
            if known.is_none() || shape == Shape::Undecoded {
                return unknown_argument(phase, call, out, code);
            }
            if shape.at_exit() {
                return DecodeStatus::MoreAtExit;
            }
            emit_argument(call, out, shape);
        }
        Phase::Exit if known.is_none() || shape == Shape::Undecoded => {
            return unknown_argument(phase, call, out, code)
        }
        Phase::Exit if shape.at_exit() => emit_argument(call, out, shape),
        Phase::Exit => {}
    }
    DecodeStatus::Complete
}

/// The argument of a request strace has no decoder for: its address, or with `-v` the
/// `_IOC_SIZE` bytes it points to in hex, as the direction says they flow (written at
/// entry, read at exit, both with ` => ` for read-write and no direction).
fn unknown_argument(
    phase: Phase,
    call: &mut Call<'_, '_>,
    out: &mut Out<'_>,
    code: u64,
) -> DecodeStatus {
    let addr = call.arg_ulong(2);
    let size = (code >> 16) & 0x3fff;
    if !call.options().verbose || size == 0 || addr == 0 {
        if phase == Phase::Entry {
            out.hex(addr);
        }
        return DecodeStatus::Complete;
    }
    let limit = call.options().string_limit;
    let (before, after) = match (code >> 30) & 3 {
        1 => (true, false),
        2 => (false, true),
        _ => (true, true),
    };
    match phase {
        Phase::Entry => {
            if before {
                out.hex_buffer_at(call.tracee(), addr, size, limit);
            }
            if after {
                DecodeStatus::MoreAtExit
            } else {
                DecodeStatus::Complete
            }
        }
        Phase::Exit => {
            if after {
                if before {
                    out.arrow();
                }
                out.hex_buffer_at(call.tracee(), addr, size, limit);
            }
            DecodeStatus::Complete
        }
    }
}
