//! bpf(cmd, attr, size): `union bpf_attr`, per command, as far as `size` covers it.
//!
//! Each command's struct is a table of fields (name, offset, kind); a field is
//! shown only when the size passed reaches past its offset, as strace does. The
//! commands not in [`COMMANDS`] show their attr as an address.

use rtrace_sdk::bpf_filter::{BPF_ALU_OPS, BPF_JMP_OPS, BPF_SIZES, BPF_SOURCES};
use rtrace_sdk::kstruct::Fields;
use rtrace_sdk::{Call, DecodeStatus, FlagTable, Out, Phase, ReturnStyle, StrStyle};

/// The most of the attr this decoder reads.
const ATTR_MAX: usize = 256;

const BPF_MAP_TYPES: &[(u64, &str)] = &[
    (0, "BPF_MAP_TYPE_UNSPEC"),
    (1, "BPF_MAP_TYPE_HASH"),
    (2, "BPF_MAP_TYPE_ARRAY"),
    (3, "BPF_MAP_TYPE_PROG_ARRAY"),
    (4, "BPF_MAP_TYPE_PERF_EVENT_ARRAY"),
    (5, "BPF_MAP_TYPE_PERCPU_HASH"),
    (6, "BPF_MAP_TYPE_PERCPU_ARRAY"),
    (7, "BPF_MAP_TYPE_STACK_TRACE"),
    (8, "BPF_MAP_TYPE_CGROUP_ARRAY"),
    (9, "BPF_MAP_TYPE_LRU_HASH"),
    (10, "BPF_MAP_TYPE_LRU_PERCPU_HASH"),
    (11, "BPF_MAP_TYPE_LPM_TRIE"),
    (12, "BPF_MAP_TYPE_ARRAY_OF_MAPS"),
    (13, "BPF_MAP_TYPE_HASH_OF_MAPS"),
    (14, "BPF_MAP_TYPE_DEVMAP"),
    (15, "BPF_MAP_TYPE_SOCKMAP"),
    (16, "BPF_MAP_TYPE_CPUMAP"),
    (17, "BPF_MAP_TYPE_XSKMAP"),
    (18, "BPF_MAP_TYPE_SOCKHASH"),
    (19, "BPF_MAP_TYPE_CGROUP_STORAGE"),
    (20, "BPF_MAP_TYPE_REUSEPORT_SOCKARRAY"),
    (21, "BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE"),
    (22, "BPF_MAP_TYPE_QUEUE"),
    (23, "BPF_MAP_TYPE_STACK"),
    (24, "BPF_MAP_TYPE_SK_STORAGE"),
    (25, "BPF_MAP_TYPE_DEVMAP_HASH"),
    (26, "BPF_MAP_TYPE_STRUCT_OPS"),
    (27, "BPF_MAP_TYPE_RINGBUF"),
    (28, "BPF_MAP_TYPE_INODE_STORAGE"),
    (29, "BPF_MAP_TYPE_TASK_STORAGE"),
    (30, "BPF_MAP_TYPE_BLOOM_FILTER"),
    (31, "BPF_MAP_TYPE_USER_RINGBUF"),
    (32, "BPF_MAP_TYPE_CGRP_STORAGE"),
    (33, "BPF_MAP_TYPE_ARENA"),
    (34, "BPF_MAP_TYPE_INSN_ARRAY"),
];
const BPF_PROG_TYPES: &[(u64, &str)] = &[
    (0, "BPF_PROG_TYPE_UNSPEC"),
    (1, "BPF_PROG_TYPE_SOCKET_FILTER"),
    (2, "BPF_PROG_TYPE_KPROBE"),
    (3, "BPF_PROG_TYPE_SCHED_CLS"),
    (4, "BPF_PROG_TYPE_SCHED_ACT"),
    (5, "BPF_PROG_TYPE_TRACEPOINT"),
    (6, "BPF_PROG_TYPE_XDP"),
    (7, "BPF_PROG_TYPE_PERF_EVENT"),
    (8, "BPF_PROG_TYPE_CGROUP_SKB"),
    (9, "BPF_PROG_TYPE_CGROUP_SOCK"),
    (10, "BPF_PROG_TYPE_LWT_IN"),
    (11, "BPF_PROG_TYPE_LWT_OUT"),
    (12, "BPF_PROG_TYPE_LWT_XMIT"),
    (13, "BPF_PROG_TYPE_SOCK_OPS"),
    (14, "BPF_PROG_TYPE_SK_SKB"),
    (15, "BPF_PROG_TYPE_CGROUP_DEVICE"),
    (16, "BPF_PROG_TYPE_SK_MSG"),
    (17, "BPF_PROG_TYPE_RAW_TRACEPOINT"),
    (18, "BPF_PROG_TYPE_CGROUP_SOCK_ADDR"),
    (19, "BPF_PROG_TYPE_LWT_SEG6LOCAL"),
    (20, "BPF_PROG_TYPE_LIRC_MODE2"),
    (21, "BPF_PROG_TYPE_SK_REUSEPORT"),
    (22, "BPF_PROG_TYPE_FLOW_DISSECTOR"),
    (23, "BPF_PROG_TYPE_CGROUP_SYSCTL"),
    (24, "BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE"),
    (25, "BPF_PROG_TYPE_CGROUP_SOCKOPT"),
    (26, "BPF_PROG_TYPE_TRACING"),
    (27, "BPF_PROG_TYPE_STRUCT_OPS"),
    (28, "BPF_PROG_TYPE_EXT"),
    (29, "BPF_PROG_TYPE_LSM"),
    (30, "BPF_PROG_TYPE_SK_LOOKUP"),
    (31, "BPF_PROG_TYPE_SYSCALL"),
    (32, "BPF_PROG_TYPE_NETFILTER"),
];
const BPF_ATTACH_TYPES: &[(u64, &str)] = &[
    (0, "BPF_CGROUP_INET_INGRESS"),
    (1, "BPF_CGROUP_INET_EGRESS"),
    (2, "BPF_CGROUP_INET_SOCK_CREATE"),
    (3, "BPF_CGROUP_SOCK_OPS"),
    (4, "BPF_SK_SKB_STREAM_PARSER"),
    (5, "BPF_SK_SKB_STREAM_VERDICT"),
    (6, "BPF_CGROUP_DEVICE"),
    (7, "BPF_SK_MSG_VERDICT"),
    (8, "BPF_CGROUP_INET4_BIND"),
    (9, "BPF_CGROUP_INET6_BIND"),
    (10, "BPF_CGROUP_INET4_CONNECT"),
    (11, "BPF_CGROUP_INET6_CONNECT"),
    (12, "BPF_CGROUP_INET4_POST_BIND"),
    (13, "BPF_CGROUP_INET6_POST_BIND"),
    (14, "BPF_CGROUP_UDP4_SENDMSG"),
    (15, "BPF_CGROUP_UDP6_SENDMSG"),
    (16, "BPF_LIRC_MODE2"),
    (17, "BPF_FLOW_DISSECTOR"),
    (18, "BPF_CGROUP_SYSCTL"),
    (19, "BPF_CGROUP_UDP4_RECVMSG"),
    (20, "BPF_CGROUP_UDP6_RECVMSG"),
    (21, "BPF_CGROUP_GETSOCKOPT"),
    (22, "BPF_CGROUP_SETSOCKOPT"),
    (23, "BPF_TRACE_RAW_TP"),
    (24, "BPF_TRACE_FENTRY"),
    (25, "BPF_TRACE_FEXIT"),
    (26, "BPF_MODIFY_RETURN"),
    (27, "BPF_LSM_MAC"),
    (28, "BPF_TRACE_ITER"),
    (29, "BPF_CGROUP_INET4_GETPEERNAME"),
    (30, "BPF_CGROUP_INET6_GETPEERNAME"),
    (31, "BPF_CGROUP_INET4_GETSOCKNAME"),
    (32, "BPF_CGROUP_INET6_GETSOCKNAME"),
    (33, "BPF_XDP_DEVMAP"),
    (34, "BPF_CGROUP_INET_SOCK_RELEASE"),
    (35, "BPF_XDP_CPUMAP"),
    (36, "BPF_SK_LOOKUP"),
    (37, "BPF_XDP"),
    (38, "BPF_SK_SKB_VERDICT"),
    (39, "BPF_SK_REUSEPORT_SELECT"),
    (40, "BPF_SK_REUSEPORT_SELECT_OR_MIGRATE"),
    (41, "BPF_PERF_EVENT"),
    (42, "BPF_TRACE_KPROBE_MULTI"),
    (43, "BPF_LSM_CGROUP"),
    (44, "BPF_STRUCT_OPS"),
    (45, "BPF_NETFILTER"),
    (46, "BPF_TCX_INGRESS"),
    (47, "BPF_TCX_EGRESS"),
    (48, "BPF_TRACE_UPROBE_MULTI"),
    (49, "BPF_CGROUP_UNIX_CONNECT"),
    (50, "BPF_CGROUP_UNIX_SENDMSG"),
    (51, "BPF_CGROUP_UNIX_RECVMSG"),
    (52, "BPF_CGROUP_UNIX_GETPEERNAME"),
    (53, "BPF_CGROUP_UNIX_GETSOCKNAME"),
    (54, "BPF_NETKIT_PRIMARY"),
    (55, "BPF_NETKIT_PEER"),
    (56, "BPF_TRACE_KPROBE_SESSION"),
    (57, "BPF_TRACE_UPROBE_SESSION"),
];
const BPF_MAP_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "BPF_F_NO_PREALLOC"),
    (1 << 1, "BPF_F_NO_COMMON_LRU"),
    (1 << 2, "BPF_F_NUMA_NODE"),
    (1 << 3, "BPF_F_RDONLY"),
    (1 << 4, "BPF_F_WRONLY"),
    (1 << 5, "BPF_F_STACK_BUILD_ID"),
    (1 << 6, "BPF_F_ZERO_SEED"),
    (1 << 7, "BPF_F_RDONLY_PROG"),
    (1 << 8, "BPF_F_WRONLY_PROG"),
    (1 << 9, "BPF_F_CLONE"),
    (1 << 10, "BPF_F_MMAPABLE"),
    (1 << 11, "BPF_F_PRESERVE_ELEMS"),
    (1 << 12, "BPF_F_INNER_MAP"),
    (1 << 13, "BPF_F_LINK"),
    (1 << 14, "BPF_F_PATH_FD"),
    (1 << 15, "BPF_F_VTYPE_BTF_OBJ_FD"),
    (1 << 16, "BPF_F_TOKEN_FD"),
    (1 << 17, "BPF_F_SEGV_ON_FAULT"),
    (1 << 18, "BPF_F_NO_USER_CONV"),
]);
use crate::kernel_consts::BPF_ELEM_FLAGS;
const BPF_PROG_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "BPF_F_STRICT_ALIGNMENT"),
    (1 << 1, "BPF_F_ANY_ALIGNMENT"),
    (1 << 2, "BPF_F_TEST_RND_HI32"),
    (1 << 3, "BPF_F_TEST_STATE_FREQ"),
    (1 << 4, "BPF_F_SLEEPABLE"),
    (1 << 5, "BPF_F_XDP_HAS_FRAGS"),
    (1 << 6, "BPF_F_XDP_DEV_BOUND_ONLY"),
    (1 << 7, "BPF_F_TEST_REG_INVARIANTS"),
    (1 << 16, "BPF_F_TOKEN_FD"),
]);

/// BPF_PROG_ATTACH's and BPF_PROG_DETACH's flags.
const BPF_ATTACH_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1, "BPF_F_ALLOW_OVERRIDE"),
    (1 << 1, "BPF_F_ALLOW_MULTI"),
    (1 << 2, "BPF_F_REPLACE"),
    (1 << 3, "BPF_F_BEFORE"),
    (1 << 4, "BPF_F_AFTER"),
    (BPF_F_ID, "BPF_F_ID"),
    (1 << 6, "BPF_F_PREORDER"),
    (1 << 13, "BPF_F_LINK"),
]);

/// The attach flag that makes `relative_fd` a `relative_id`.
const BPF_F_ID: u64 = 1 << 5;

/// How one field of an attr is shown.
#[derive(Clone, Copy)]
enum Kind {
    U32,
    U64,
    Hex32,
    /// A u32 file descriptor.
    Fd,
    /// A u64 address: NULL or hex.
    Addr,
    /// A u64 address of a NUL-terminated string.
    Str,
    /// A char array of this many bytes.
    Name(usize),
    /// A u32 named constant.
    Const(&'static [(u64, &'static str)], &'static str),
    /// u32 flags.
    Flags(&'static FlagTable, &'static str),
    /// A u64 address of a buffer the kernel fills with a log (at exit).
    LogBuf,
    /// A u32 kernel version: `KERNEL_VERSION(a, b, c)`.
    KernelVersion,
    /// A u64 address of eBPF instructions, as many as the u32 before it says.
    Insns,
    /// An attach's `relative_fd`, or `relative_id` (a u32) when its flags hold BPF_F_ID.
    RelativeFdOrId,
}

/// One field: its name, offset and kind.
type Field = (&'static str, usize, Kind);

use Kind::*;

const MAP_CREATE: &[Field] = &[
    ("map_type", 0, Const(BPF_MAP_TYPES, "BPF_MAP_TYPE_???")),
    ("key_size", 4, U32),
    ("value_size", 8, U32),
    ("max_entries", 12, U32),
    ("map_flags", 16, Flags(BPF_MAP_FLAGS, "BPF_F_???")),
    ("inner_map_fd", 20, Fd),
    ("map_name", 28, Name(16)),
    ("map_ifindex", 44, U32),
    ("btf_fd", 48, Fd),
    ("btf_key_type_id", 52, U32),
    ("btf_value_type_id", 56, U32),
    ("btf_vmlinux_value_type_id", 60, U32),
    ("map_extra", 64, U64),
    ("value_type_btf_obj_fd", 72, Fd),
    ("map_token_fd", 76, Fd),
    ("excl_prog_hash", 80, Addr),
    ("excl_prog_hash_size", 88, U32),
];
const MAP_ELEM: &[Field] = &[
    ("map_fd", 0, Fd),
    ("key", 8, Addr),
    ("value", 16, Addr),
    ("flags", 24, Const(BPF_ELEM_FLAGS, "BPF_???")),
];
const MAP_DELETE_ELEM: &[Field] = &[("map_fd", 0, Fd), ("key", 8, Addr)];
const MAP_GET_NEXT_KEY: &[Field] = &[("map_fd", 0, Fd), ("key", 8, Addr), ("next_key", 16, Addr)];
const PROG_LOAD: &[Field] = &[
    ("prog_type", 0, Const(BPF_PROG_TYPES, "BPF_PROG_TYPE_???")),
    ("insn_cnt", 4, U32),
    ("insns", 8, Insns),
    ("license", 16, Str),
    ("log_level", 24, U32),
    ("log_size", 28, U32),
    ("log_buf", 32, LogBuf),
    ("kern_version", 40, KernelVersion),
    ("prog_flags", 44, Flags(BPF_PROG_FLAGS, "BPF_F_???")),
    ("prog_name", 48, Name(16)),
    ("prog_ifindex", 64, U32),
    (
        "expected_attach_type",
        68,
        Const(BPF_ATTACH_TYPES, "BPF_???"),
    ),
    ("prog_btf_fd", 72, Fd),
    ("func_info_rec_size", 76, U32),
    ("func_info", 80, Addr),
    ("func_info_cnt", 88, U32),
    ("line_info_rec_size", 92, U32),
    ("line_info", 96, Addr),
    ("line_info_cnt", 104, U32),
    ("attach_btf_id", 108, U32),
    ("attach_prog_fd", 112, Fd),
    ("core_relo_cnt", 116, U32),
    ("fd_array", 120, Addr),
    ("core_relos", 128, Addr),
    ("core_relo_rec_size", 136, U32),
    ("log_true_size", 140, U32),
];
const OBJ: &[Field] = &[
    ("pathname", 0, Str),
    ("bpf_fd", 8, Fd),
    ("file_flags", 12, Hex32),
];
const GET_NEXT_ID: &[Field] = &[("start_id", 0, U32), ("next_id", 4, U32)];
const GET_FD_BY_ID: &[Field] = &[
    ("prog_id", 0, U32),
    ("next_id", 4, U32),
    ("open_flags", 8, Hex32),
];
/// BPF_PROG_ATTACH's and BPF_PROG_DETACH's attr (strace decodes both alike).
const PROG_ATTACH: &[Field] = &[
    ("target_fd", 0, Fd),
    ("attach_bpf_fd", 4, Fd),
    ("attach_type", 8, Const(BPF_ATTACH_TYPES, "BPF_???")),
    ("attach_flags", 12, Flags(BPF_ATTACH_FLAGS, "BPF_F_???")),
    ("replace_bpf_fd", 16, Fd),
    ("relative_fd", 20, RelativeFdOrId),
    ("expected_revision", 24, U64),
];
const MAP_FREEZE: &[Field] = &[("map_fd", 0, Fd)];

/// A command: its number, name, fields, whether it returns a descriptor, and
/// whether some fields are written by the kernel (shown at exit).
struct Command {
    cmd: u64,
    name: &'static str,
    fields: Option<&'static [Field]>,
    returns_fd: bool,
    at_exit: bool,
}

/// The size of the command's struct as this decoder knows it: past its last field.
fn struct_size(fields: &[Field]) -> usize {
    fields.last().map_or(0, |&(_, offset, kind)| {
        offset
            + match kind {
                U64 | Addr | Str | LogBuf | Insns => 8,
                Name(n) => n,
                _ => 4,
            }
    })
}

const fn command(cmd: u64, name: &'static str, fields: Option<&'static [Field]>) -> Command {
    Command {
        cmd,
        name,
        fields,
        returns_fd: false,
        at_exit: false,
    }
}

const fn fd_command(cmd: u64, name: &'static str, fields: Option<&'static [Field]>) -> Command {
    Command {
        cmd,
        name,
        fields,
        returns_fd: true,
        at_exit: false,
    }
}

const BPF_PROG_LOAD: u64 = 5;

const COMMANDS: &[Command] = &[
    fd_command(0, "BPF_MAP_CREATE", Some(MAP_CREATE)),
    command(1, "BPF_MAP_LOOKUP_ELEM", Some(MAP_ELEM)),
    command(2, "BPF_MAP_UPDATE_ELEM", Some(MAP_ELEM)),
    command(3, "BPF_MAP_DELETE_ELEM", Some(MAP_DELETE_ELEM)),
    command(4, "BPF_MAP_GET_NEXT_KEY", Some(MAP_GET_NEXT_KEY)),
    Command {
        cmd: 5,
        name: "BPF_PROG_LOAD",
        fields: Some(PROG_LOAD),
        returns_fd: true,
        at_exit: true,
    },
    command(6, "BPF_OBJ_PIN", Some(OBJ)),
    fd_command(7, "BPF_OBJ_GET", Some(OBJ)),
    command(8, "BPF_PROG_ATTACH", Some(PROG_ATTACH)),
    command(9, "BPF_PROG_DETACH", Some(PROG_ATTACH)),
    command(10, "BPF_PROG_TEST_RUN", None),
    Command {
        cmd: 11,
        name: "BPF_PROG_GET_NEXT_ID",
        fields: Some(GET_NEXT_ID),
        returns_fd: false,
        at_exit: true,
    },
    Command {
        cmd: 12,
        name: "BPF_MAP_GET_NEXT_ID",
        fields: Some(GET_NEXT_ID),
        returns_fd: false,
        at_exit: true,
    },
    fd_command(13, "BPF_PROG_GET_FD_BY_ID", Some(GET_FD_BY_ID)),
    fd_command(14, "BPF_MAP_GET_FD_BY_ID", None),
    command(15, "BPF_OBJ_GET_INFO_BY_FD", None),
    command(16, "BPF_PROG_QUERY", None),
    fd_command(17, "BPF_RAW_TRACEPOINT_OPEN", None),
    fd_command(18, "BPF_BTF_LOAD", None),
    fd_command(19, "BPF_BTF_GET_FD_BY_ID", None),
    command(20, "BPF_TASK_FD_QUERY", None),
    command(21, "BPF_MAP_LOOKUP_AND_DELETE_ELEM", Some(MAP_ELEM)),
    command(22, "BPF_MAP_FREEZE", Some(MAP_FREEZE)),
    Command {
        cmd: 23,
        name: "BPF_BTF_GET_NEXT_ID",
        fields: Some(GET_NEXT_ID),
        returns_fd: false,
        at_exit: true,
    },
    command(24, "BPF_MAP_LOOKUP_BATCH", None),
    command(25, "BPF_MAP_LOOKUP_AND_DELETE_BATCH", None),
    command(26, "BPF_MAP_UPDATE_BATCH", None),
    command(27, "BPF_MAP_DELETE_BATCH", None),
    fd_command(28, "BPF_LINK_CREATE", None),
    command(29, "BPF_LINK_UPDATE", None),
    fd_command(30, "BPF_LINK_GET_FD_BY_ID", None),
    Command {
        cmd: 31,
        name: "BPF_LINK_GET_NEXT_ID",
        fields: Some(GET_NEXT_ID),
        returns_fd: false,
        at_exit: true,
    },
    fd_command(32, "BPF_ENABLE_STATS", None),
    fd_command(33, "BPF_ITER_CREATE", None),
    command(34, "BPF_LINK_DETACH", None),
    command(35, "BPF_PROG_BIND_MAP", None),
    fd_command(36, "BPF_TOKEN_CREATE", None),
    command(37, "BPF_PROG_STREAM_READ_BY_FD", None),
];

/// One field's value.
fn emit_field(
    call: &Call<'_, '_>,
    out: &mut Out<'_>,
    f: &Fields<'_>,
    offset: usize,
    kind: Kind,
    len: usize,
) {
    match kind {
        U32 => out.uint(f.u32(offset)),
        U64 => out.uint(f.u64(offset)),
        Hex32 => out.hex(f.u32(offset)),
        Fd => out.fd(f.u32(offset) as i32),
        Addr => out.pointer(f.u64(offset)),
        Str => out.cstring_at(call.tracee(), f.u64(offset), call.options().string_limit),
        Name(size) => {
            let end = (offset + size).min(len);
            let bytes = &f.bytes[offset..end];
            let text = bytes
                .iter()
                .position(|&b| b == 0)
                .map_or(bytes, |n| &bytes[..n]);
            out.bytes(text, false, StrStyle::Quoted);
        }
        Const(table, unknown) => out.constant(f.u32(offset), table, unknown),
        Flags(table, unknown) => out.flags_or_unknown(f.u32(offset), table, unknown),
        LogBuf => emit_entry_log(call, out, f.u64(offset)),
        Insns => ebpf_prog(call, out, f.u64(offset), f.u32(offset - 4)),
        RelativeFdOrId if f.u32(12) & BPF_F_ID != 0 => out.uint(f.u32(offset)),
        RelativeFdOrId => out.fd(f.u32(offset) as i32),
        KernelVersion => {
            let v = f.u32(offset);
            out.text_fmt(format_args!(
                "KERNEL_VERSION({}, {}, {})",
                v >> 16,
                (v >> 8) & 0xff,
                v & 0xff
            ));
        }
    }
}

/// How many bytes of the log buffer's text at entry are kept (in scratch[1..4]).
const LOG_KEPT: usize = 24;

/// At entry: keeps the start of the log buffer's text, which the kernel overwrites
/// before exit, where the attr is shown (scratch[0]: its length, or u64::MAX when
/// unreadable or longer than kept).
fn keep_entry_log(call: &mut Call<'_, '_>, addr: u64) {
    let mut text = [0u8; LOG_KEPT + 1];
    let (status, len) = call.tracee().read_cstring(addr, &mut text);
    let kept = if addr != 0 && status == rtrace_sdk::CStrRead::Complete && len <= LOG_KEPT {
        len as u64
    } else {
        u64::MAX
    };
    let scratch = call.scratch();
    scratch[0] = kept;
    for (index, chunk) in text[..LOG_KEPT].chunks(8).enumerate() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        scratch[1 + index] = u64::from_le_bytes(word);
    }
}

/// The log buffer as it was at entry: kept text, else what is there now.
fn emit_entry_log(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let kept = call.scratch_copy();
    if addr == 0 || kept[0] == u64::MAX {
        out.cstring_at(call.tracee(), addr, call.options().string_limit);
        return;
    }
    let mut text = [0u8; LOG_KEPT];
    for (index, chunk) in text.chunks_mut(8).enumerate() {
        chunk.copy_from_slice(&kept[1 + index].to_le_bytes());
    }
    let len = kept[0] as usize;
    let limit = rtrace_sdk::shown_bytes(call.options().string_limit) as usize;
    out.bytes(&text[..len.min(limit)], len > limit, StrStyle::Quoted);
}

/// Bytes as `\x..` escapes, written straight into the output.
struct HexEscaped<'a>(&'a [u8]);

impl std::fmt::Display for HexEscaped<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "\\x{b:02x}"))
    }
}

/// The fields the size covers.
fn emit_fields(call: &Call<'_, '_>, out: &mut Out<'_>, fields: &[Field], bytes: &[u8]) {
    let f = Fields::new(bytes, rtrace_sdk::kstruct::Layout::of(call));
    let len = bytes.len();
    let known = struct_size(fields);
    out.structure(|out| {
        for &(name, offset, kind) in fields {
            if len <= offset {
                break;
            }
            let name = match kind {
                RelativeFdOrId if f.u32(12) & BPF_F_ID != 0 => "relative_id",
                _ => name,
            };
            out.field(name);
            emit_field(call, out, &f, offset, kind, len);
        }
        // Non-zero bytes past the struct: `...`, or with -v the bytes themselves.
        if len > known && bytes[known..].iter().any(|&b| b != 0) {
            if call.options().verbose {
                out.field("extra_data");
                out.text_fmt(format_args!(
                    "\"{}\" /* bytes {}..{} */",
                    HexEscaped(&bytes[known..]),
                    known,
                    len - 1
                ));
            } else {
                out.ellipsis();
            }
        }
    });
}

/// bpf(cmd, attr, size): the command's fields as far as size reaches; the
/// commands whose attr the kernel writes to are shown at exit.
pub fn bpf(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let cmd = call.arg(0) & 0xffff_ffff;
    let command = COMMANDS.iter().find(|c| c.cmd == cmd);
    if command.is_some_and(|c| c.returns_fd) {
        out.return_style(ReturnStyle::Fd);
    }
    let (addr, size) = (call.arg_ulong(1), call.arg(2) & 0xffff_ffff);
    let at_exit = command.is_some_and(|c| c.at_exit && c.fields.is_some());
    match phase {
        Phase::Entry => {
            match command {
                Some(c) => out.name(c.name),
                None => out.text_fmt(format_args!("{cmd:#x} /* BPF_??? */")),
            }
            if at_exit {
                if cmd == BPF_PROG_LOAD {
                    let mut log = [0u8; 8];
                    let log_addr = if addr != 0 && call.tracee().read_exact(addr + 32, &mut log) {
                        u64::from_le_bytes(log)
                    } else {
                        0
                    };
                    keep_entry_log(call, log_addr);
                }
                return DecodeStatus::MoreAtExit;
            }
        }
        Phase::Exit if !at_exit => return DecodeStatus::Complete,
        Phase::Exit => {}
    }
    let mut bytes = [0u8; ATTR_MAX];
    let len = (size as usize).min(ATTR_MAX);
    match command.and_then(|c| c.fields) {
        Some(fields) if addr != 0 && call.tracee().read_exact(addr, &mut bytes[..len]) => {
            emit_fields(call, out, fields, &bytes[..len]);
        }
        _ => out.pointer(addr),
    }
    out.uint(size);
    DecodeStatus::Complete
}

// eBPF instruction classes, modes and registers (linux/bpf.h); the sizes, sources and
// operations both BPF flavours share are in `rtrace_sdk::bpf_filter`.
use crate::kernel_consts::EBPF_REGS;
use crate::kernel_consts::{EBPF_CLASSES, EBPF_MODES};
/// The most instructions a program has (BPF_MAXINSNS); strace shows no more.
const BPF_MAXINSNS: u64 = 4096;

/// An instruction's opcode: `BPF_ALU64|BPF_K|BPF_MOV`.
fn insn_code(out: &mut Out<'_>, code: u64) {
    let class = code & 0x07;
    let rest = code & !0x07;
    out.begin_flags();
    out.constant(class, EBPF_CLASSES, "BPF_???");
    match class {
        0..=3 => {
            out.constant(code & 0x18, BPF_SIZES, "BPF_???");
            out.constant(code & 0xe0, EBPF_MODES, "BPF_???");
        }
        4 | 5 | 7 => {
            out.constant(code & 0x08, BPF_SOURCES, "BPF_???");
            let ops = if class == 5 { BPF_JMP_OPS } else { BPF_ALU_OPS };
            out.constant(code & 0xf0, ops, "BPF_???");
        }
        _ if rest != 0 => out.text_fmt(format_args!("{rest:#x} /* BPF_??? */")),
        _ => {}
    }
    out.end();
}

/// With -v, a program's instructions; else its address.
fn ebpf_prog(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, count: u64) {
    if !call.options().verbose {
        out.pointer(addr);
        return;
    }
    let shown = count.min(BPF_MAXINSNS + 1);
    rtrace_sdk::array::array_at(call, out, addr, shown, 8, |out, f| {
        out.structure(|out| {
            out.field("code");
            insn_code(out, f.unsigned(0, 1));
            let regs = f.unsigned(1, 1);
            out.field("dst_reg");
            out.constant(regs & 0xf, EBPF_REGS, "BPF_REG_???");
            out.field("src_reg");
            out.constant(regs >> 4, EBPF_REGS, "BPF_REG_???");
            out.field("off");
            out.int(i64::from(f.u16(2) as u16 as i16));
            out.field("imm");
            out.hex(f.u32(4));
        })
    });
}
