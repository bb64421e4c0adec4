//! ioctl: the request's name (or `_IOC(dir, type, nr, size)` for one strace does not
//! know), and the argument of the requests strace decodes: terminals (termios,
//! winsize), FIO*, the SIOCGIF* socket requests (`struct ifreq`), FS_IOC_* (inode
//! flags, fsxattr), block-device sizes, the random device's entropy count, nsfs and
//! pidfd namespace requests, the interface list (SIOCGIFCONF), block maps (FIEMAP,
//! FITRIM), the loop device's status, and tun; KVM's in `kvm`. Other known requests show
//! their argument in hex, as strace does.

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt};

use rtrace_sdk::kstruct::with_struct;
use rtrace_sdk::{Call, ConstTable, DecodeStatus, FlagTable, Out, Phase, PidKind, ReturnStyle};

use crate::console::{DISPLAY_MODES, KEYBOARD_MODES, KEYBOARD_TYPES, META_MODES};
use crate::fiemap::{fiemap_entry, fiemap_exit, fstrim_range};
use crate::ifreq::{emit_ifreq, ifconf_entry, ifconf_exit, Member, IFREQ_SIZE};
use crate::ioctl_codes as codes;
use crate::loop_status::{loop_config_at, loop_info64_at, loop_info_at};
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
    /// A structure's address (`NULL` for 0), as strace 7.2 shows TUNSETIFF's and
    /// TUNGETIFF's `struct ifreq` (its terminal-type decoder leaves them alone).
    Address,
    /// SIOCGIFCONF's `struct ifconf`, read at entry and shown at exit.
    IfConf,
    /// FS_IOC_FIEMAP's `struct fiemap` at entry, its extents at exit.
    Fiemap,
    /// FITRIM's `struct fstrim_range`, at entry.
    FstrimRange,
    /// The old `struct loop_info`, at entry or at exit.
    LoopInfoIn,
    LoopInfoOut,
    /// `struct loop_info64`, at entry or at exit.
    LoopInfo64In,
    LoopInfo64Out,
    /// LOOP_CONFIGURE's `struct loop_config`, at entry.
    LoopConfig,
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
    /// An id in the namespace the descriptor refers to, by value, shown as a number;
    /// the result is the same id in the caller's, a process id of this kind
    /// (NS_GET_PID_FROM_PIDNS, NS_GET_TGID_FROM_PIDNS).
    PidFromNs(PidKind),
    /// A process id of this kind in the caller's namespace, by value; the result is a
    /// number of the descriptor's namespace (NS_GET_PID_IN_PIDNS, NS_GET_TGID_IN_PIDNS).
    PidInNs(PidKind),
}

impl Shape {
    /// Shown at entry and completed at exit.
    fn both_phases(self) -> bool {
        matches!(self, Shape::Fiemap)
    }

    fn at_exit(self) -> bool {
        matches!(
            self,
            Shape::IntOut
                | Shape::IfConf
                | Shape::LoopInfoOut
                | Shape::LoopInfo64Out
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

/// `(code, strace's name, shape)` of a request: `request!(TCGETS, shape)` as its macro
/// names it; `request!(FS_IOC_GETFLAGS_32 as FS_IOC_GETFLAGS, shape)`, a 32-bit
/// program's code under the request's name; `request!(SNDCTL_TMR_START or TCSETS,
/// shape)`, two requests of one code, named both ways as strace names them.
macro_rules! request {
    ($name:ident, $shape:expr) => {
        (codes::$name, stringify!($name), $shape)
    };
    ($code:ident as $name:ident, $shape:expr) => {
        (codes::$code, stringify!($name), $shape)
    };
    ($first:ident or $second:ident, $shape:expr) => {{
        const _: () = assert!(codes::$first == codes::$second);
        (
            codes::$second,
            concat!(stringify!($first), " or ", stringify!($second)),
            $shape,
        )
    }};
}

/// The requests rtrace names: code, strace's name, argument shape. The codes are
/// generated from the kernel's headers (`ioctl_codes`, by `cargo xtask gen-ioctl`).
const REQUESTS: &[(u64, &str, Shape)] = &[
    request!(TCGETS, Shape::TermiosOut),
    request!(SNDCTL_TMR_START or TCSETS, Shape::TermiosIn),
    request!(SNDCTL_TMR_STOP or TCSETSW, Shape::TermiosIn),
    request!(SNDCTL_TMR_CONTINUE or TCSETSF, Shape::TermiosIn),
    // (Sound timer and terminal requests share these numbers; on a terminal strace 7
    // names only the terminal's, see `terminal_name`.)
    request!(TCGETA, Shape::Raw),
    request!(TCSETA, Shape::Raw),
    request!(TCSETAW, Shape::Raw),
    request!(TCSETAF, Shape::Raw),
    request!(TCSBRK, Shape::Int),
    request!(TCXONC, Shape::FlowAction),
    request!(TCFLSH, Shape::FlushQueue),
    request!(TIOCEXCL, Shape::Nothing),
    request!(TIOCNXCL, Shape::Nothing),
    request!(TIOCSCTTY, Shape::Int),
    request!(TIOCGPGRP, Shape::IntOut),
    request!(TIOCSPGRP, Shape::IntIn),
    request!(TIOCOUTQ, Shape::IntOut),
    request!(TIOCSTI, Shape::Raw),
    request!(TIOCGWINSZ, Shape::WinsizeOut),
    request!(TIOCSWINSZ, Shape::WinsizeIn),
    request!(TIOCMGET, Shape::ModemLinesOut),
    request!(TIOCMBIS, Shape::ModemLinesIn),
    request!(TIOCMBIC, Shape::ModemLinesIn),
    request!(TIOCMSET, Shape::ModemLinesIn),
    request!(TIOCGSOFTCAR, Shape::IntOut),
    request!(TIOCSSOFTCAR, Shape::IntIn),
    request!(FIONREAD, Shape::IntOut),
    request!(TIOCLINUX, Shape::Raw),
    request!(TIOCCONS, Shape::Nothing),
    request!(TIOCGSERIAL, Shape::Raw),
    request!(TIOCSSERIAL, Shape::Nothing),
    request!(TIOCPKT, Shape::IntIn),
    request!(FIONBIO, Shape::IntIn),
    request!(TIOCNOTTY, Shape::Nothing),
    request!(TIOCSETD, Shape::IntIn),
    request!(TIOCGETD, Shape::IntOut),
    request!(TCSBRKP, Shape::Int),
    request!(TIOCSBRK, Shape::Nothing),
    request!(TIOCCBRK, Shape::Nothing),
    request!(TIOCGSID, Shape::IntOut),
    request!(TIOCGPTN, Shape::IntOut),
    request!(TIOCSPTLCK, Shape::IntIn),
    request!(TIOCGDEV, Shape::IntOut),
    request!(TIOCGPTPEER, Shape::Raw),
    request!(FIONCLEX, Shape::Nothing),
    request!(FIOCLEX, Shape::Nothing),
    request!(FIOASYNC, Shape::IntIn),
    request!(TIOCGLCKTRMIOS, Shape::TermiosOut),
    request!(TIOCSLCKTRMIOS, Shape::TermiosIn),
    request!(FIOQSIZE, Shape::Raw),
    // (armhf numbers FIOQSIZE its own way: an armhf program's, traced on aarch64.)
    request!(FIOQSIZE_32 as FIOQSIZE, Shape::Raw),
    request!(BTRFS_IOC_CLONE or FICLONE, Shape::Fd),
    // Sockets (linux/sockios.h).
    request!(FIOSETOWN, Shape::IntIn),
    request!(SIOCSPGRP, Shape::IntIn),
    request!(FIOGETOWN, Shape::IntOut),
    request!(SIOCGPGRP, Shape::IntOut),
    request!(SIOCATMARK, Shape::IntOut),
    request!(SIOCGIFNAME, Shape::IfReq(Member::Name)),
    request!(SIOCGIFCONF, Shape::IfConf),
    request!(SIOCGIFFLAGS, Shape::IfReq(Member::Flags)),
    request!(SIOCGIFADDR, Shape::IfReq(Member::Addr("ifr_addr"))),
    request!(SIOCGIFDSTADDR, Shape::IfReq(Member::Addr("ifr_dstaddr"))),
    request!(SIOCGIFBRDADDR, Shape::IfReq(Member::Addr("ifr_broadaddr"))),
    request!(SIOCGIFNETMASK, Shape::IfReq(Member::Addr("ifr_netmask"))),
    request!(SIOCGIFMETRIC, Shape::IfReq(Member::Int("ifr_metric"))),
    request!(SIOCGIFMTU, Shape::IfReq(Member::Int("ifr_mtu"))),
    request!(SIOCGIFHWADDR, Shape::IfReq(Member::HwAddr)),
    request!(SIOCGIFINDEX, Shape::IfReq(Member::Index)),
    request!(SIOCGIFTXQLEN, Shape::IfReq(Member::Int("ifr_qlen"))),
    // Inode flags and attributes (linux/fs.h): the `long` requests' 64-bit codes,
    // then their 32-bit codes (the same requests from a 32-bit program).
    request!(FS_IOC_GETFLAGS, Shape::InodeFlagsOut),
    request!(FS_IOC_SETFLAGS, Shape::InodeFlagsIn),
    request!(FS_IOC_GETVERSION, Shape::Undecoded),
    request!(FS_IOC_SETVERSION, Shape::Undecoded),
    request!(FS_IOC_GETFLAGS_32 as FS_IOC_GETFLAGS, Shape::InodeFlagsOut),
    request!(FS_IOC_SETFLAGS_32 as FS_IOC_SETFLAGS, Shape::InodeFlagsIn),
    request!(FS_IOC_GETVERSION_32 as FS_IOC_GETVERSION, Shape::Undecoded),
    request!(FS_IOC_SETVERSION_32 as FS_IOC_SETVERSION, Shape::Undecoded),
    request!(FS_IOC_FSGETXATTR, Shape::FsxattrOut),
    request!(FS_IOC_FSSETXATTR, Shape::FsxattrIn),
    request!(FS_IOC_FIEMAP, Shape::Fiemap),
    request!(FIFREEZE, Shape::Nothing),
    request!(FITHAW, Shape::Nothing),
    request!(FITRIM, Shape::FstrimRange),
    request!(FS_IOC_SHUTDOWN, Shape::ShutdownFlags),
    // The virtual console (linux/kd.h): the modes only, so far.
    request!(KDGKBTYPE, Shape::KeyboardTypeOut),
    request!(KDSETMODE, Shape::DisplayMode),
    request!(KDGETMODE, Shape::DisplayModeOut),
    request!(KDGKBMODE, Shape::KeyboardModeOut),
    request!(KDSKBMODE, Shape::KeyboardMode),
    request!(KDGKBMETA, Shape::MetaModeOut),
    request!(KDSKBMETA, Shape::MetaMode),
    // perf events (linux/perf_event.h); the requests whose size is a pointer's are
    // not named yet.
    request!(PERF_EVENT_IOC_ENABLE, Shape::PerfFlags),
    request!(PERF_EVENT_IOC_DISABLE, Shape::PerfFlags),
    request!(PERF_EVENT_IOC_REFRESH, Shape::Int),
    request!(PERF_EVENT_IOC_RESET, Shape::PerfFlags),
    request!(PERF_EVENT_IOC_PERIOD, Shape::U64In),
    request!(PERF_EVENT_IOC_SET_OUTPUT, Shape::Fd),
    request!(PERF_EVENT_IOC_SET_BPF, Shape::Fd),
    request!(PERF_EVENT_IOC_PAUSE_OUTPUT, Shape::Uint),
    // Block devices (linux/fs.h).
    request!(BLKROSET, Shape::IntIn),
    request!(BLKROGET, Shape::IntOut),
    request!(BLKRRPART, Shape::Nothing),
    request!(BLKGETSIZE, Shape::Raw),
    request!(BLKFLSBUF, Shape::Nothing),
    request!(BLKSSZGET, Shape::IntOut),
    request!(BLKBSZGET, Shape::IntOut),
    request!(BLKGETSIZE64, Shape::U64Out),
    request!(BLKBSZGET_32 as BLKBSZGET, Shape::IntOut),
    request!(BLKGETSIZE64_32 as BLKGETSIZE64, Shape::U64Out),
    request!(BLKIOMIN, Shape::IntOut),
    request!(BLKIOOPT, Shape::IntOut),
    request!(BLKALIGNOFF, Shape::IntOut),
    request!(BLKPBSZGET, Shape::IntOut),
    request!(BLKDISCARDZEROES, Shape::IntOut),
    // Loop devices (linux/loop.h).
    request!(LOOP_SET_FD, Shape::Fd),
    request!(LOOP_CLR_FD, Shape::Nothing),
    request!(LOOP_SET_STATUS, Shape::LoopInfoIn),
    request!(LOOP_GET_STATUS, Shape::LoopInfoOut),
    request!(LOOP_SET_STATUS64, Shape::LoopInfo64In),
    request!(LOOP_GET_STATUS64, Shape::LoopInfo64Out),
    request!(LOOP_CHANGE_FD, Shape::Fd),
    request!(LOOP_SET_CAPACITY, Shape::Nothing),
    request!(LOOP_SET_DIRECT_IO, Shape::Int),
    request!(LOOP_SET_BLOCK_SIZE, Shape::Int),
    request!(LOOP_CONFIGURE, Shape::LoopConfig),
    request!(LOOP_CTL_ADD, Shape::Int),
    request!(LOOP_CTL_REMOVE, Shape::Int),
    request!(LOOP_CTL_GET_FREE, Shape::Nothing),
    // tun (linux/if_tun.h).
    request!(TUNSETIFF, Shape::Address),
    request!(TUNGETIFF, Shape::Address),
    request!(TUNSETPERSIST, Shape::Int),
    request!(TUNSETOWNER, Shape::Int),
    request!(TUNSETGROUP, Shape::Int),
    // The random device (linux/random.h).
    request!(RNDGETENTCNT, Shape::IntOut),
    request!(RNDADDTOENTCNT, Shape::IntIn),
    request!(RNDZAPENTCNT, Shape::Nothing),
    request!(RNDCLEARPOOL, Shape::Nothing),
    request!(RNDRESEEDCRNG, Shape::Nothing),
    // Namespace files (linux/nsfs.h) and pidfds (linux/pidfd.h).
    request!(NS_GET_USERNS, Shape::Nothing),
    request!(NS_GET_PARENT, Shape::Nothing),
    request!(NS_GET_NSTYPE, Shape::NsType),
    request!(NS_GET_OWNER_UID, Shape::UintOut),
    request!(NS_GET_PID_FROM_PIDNS, Shape::PidFromNs(PidKind::Tid)),
    request!(NS_GET_TGID_FROM_PIDNS, Shape::PidFromNs(PidKind::Tgid)),
    request!(NS_GET_PID_IN_PIDNS, Shape::PidInNs(PidKind::Tid)),
    request!(NS_GET_TGID_IN_PIDNS, Shape::PidInNs(PidKind::Tgid)),
    request!(PIDFD_GET_CGROUP_NAMESPACE, Shape::Value),
    request!(PIDFD_GET_IPC_NAMESPACE, Shape::Value),
    request!(PIDFD_GET_MNT_NAMESPACE, Shape::Value),
    request!(PIDFD_GET_NET_NAMESPACE, Shape::Value),
    request!(PIDFD_GET_PID_NAMESPACE, Shape::Value),
    request!(PIDFD_GET_PID_FOR_CHILDREN_NAMESPACE, Shape::Value),
    request!(PIDFD_GET_TIME_NAMESPACE, Shape::Value),
    request!(PIDFD_GET_TIME_FOR_CHILDREN_NAMESPACE, Shape::Value),
    request!(PIDFD_GET_USER_NAMESPACE, Shape::Value),
    request!(PIDFD_GET_UTS_NAMESPACE, Shape::Value),
];

/// Inode flags (FS_IOC_GETFLAGS), generated from linux/fs.h in bit order, strace's.
static INODE_FLAGS: rtrace_sdk::FlagTable = rtrace_sdk::FlagTable::bits(codes::INODE_FLAGS);

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
    if shape.at_exit()
        && call.is_error()
        && !matches!(shape, Shape::IfReq(_) | Shape::IfConf | Shape::NsType)
    {
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
        Shape::PidFromNs(_) => out.int(call.arg_int(2) as i32 as i64),
        Shape::PidInNs(kind) => out.pid(call.arg_int(2) as i32 as i64, kind),
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
                out.array(|out| out.constant_of(f.u32(0), SHUTDOWN_FLAGS));
            });
        }
        Shape::DisplayMode => out.constant_of(addr, DISPLAY_MODES),
        Shape::KeyboardMode => out.decimal_constant_of(addr & 0xffff_ffff, KEYBOARD_MODES),
        Shape::MetaMode => out.constant_of(addr & 0xffff_ffff, META_MODES),
        Shape::DisplayModeOut | Shape::KeyboardModeOut | Shape::MetaModeOut => {
            with_struct(call, out, addr, 4, |out, f| {
                out.array(|out| {
                    let value = f.u32(0);
                    match shape {
                        Shape::KeyboardModeOut => out.decimal_constant_of(value, KEYBOARD_MODES),
                        Shape::MetaModeOut => out.constant_of(value, META_MODES),
                        _ => out.constant_of(value, DISPLAY_MODES),
                    }
                });
            });
        }
        Shape::KeyboardTypeOut => {
            with_struct(call, out, addr, 1, |out, f| {
                out.array(|out| {
                    let kind = f.unsigned(0, 1);
                    out.constant_of(kind, KEYBOARD_TYPES)
                });
            });
        }
        Shape::FlowAction => out.constant_of(addr, FLOW_ACTIONS),
        Shape::FlushQueue => out.constant_of(addr, FLUSH_QUEUES),
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
        Shape::IfConf => ifconf_exit(call, out, addr),
        // Its entry half; the exit's is `fiemap_exit`.
        Shape::Fiemap => {}
        Shape::FstrimRange => fstrim_range(call, out, addr),
        Shape::LoopInfoIn | Shape::LoopInfoOut => loop_info_at(call, out, addr),
        Shape::LoopInfo64In | Shape::LoopInfo64Out => loop_info64_at(call, out, addr),
        Shape::LoopConfig => loop_config_at(call, out, addr),
        Shape::NsType if call.is_error() => {}
        Shape::NsType => {
            let kind = call.retval() as u64;
            let names = rtrace_sdk::shared_flags::NAMESPACE_TYPES;
            if let Some(name) = names.name(kind).filter(|_| kind != 0) {
                out.return_note();
                out.name(name);
            }
        }
    }
}

pub fn ioctl(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let code = call.arg(1) & 0xffff_ffff;
    if let Some(name) = crate::kvm::request_name(code) {
        return crate::kvm::ioctl(phase, call, out, code, name);
    }
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
            if shape == Shape::IfConf {
                ifconf_entry(call, call.arg_ulong(2));
            }
            if shape.at_exit() {
                return DecodeStatus::MoreAtExit;
            }
            if shape.both_phases() {
                return fiemap_entry(call, out, call.arg_ulong(2));
            }
            emit_argument(call, out, shape);
        }
        Phase::Exit if known.is_none() || shape == Shape::Undecoded => {
            return unknown_argument(phase, call, out, code)
        }
        Phase::Exit if shape.at_exit() => emit_argument(call, out, shape),
        Phase::Exit if shape.both_phases() => fiemap_exit(call, out, call.arg_ulong(2)),
        // The result's style is the exit's to say.
        Phase::Exit => {
            if let Shape::PidFromNs(kind) = shape {
                out.return_style(ReturnStyle::Pid(kind));
            }
        }
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
