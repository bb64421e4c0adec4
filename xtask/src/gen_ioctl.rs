//! `cargo xtask gen-ioctl [--check]`: writes (or checks) the fs plugin's ioctl request
//! codes and the flag tables of their structures (`plugins/fs/src/ioctl_codes.rs`) from
//! the kernel's UAPI headers, as each architecture rtrace builds for sees them.
//!
//! The requests are `_IOR('f', 1, long)` macros: their size is the compiler's to say,
//! and `long` makes it differ between 64-bit and 32-bit programs. So every name of
//! [`REQUESTS`] is evaluated by the compilers of the four architectures
//! (`header_probe`, shared with `gen-kvm`; all four use the asm-generic ioctl encoding).
//! The file holds each name's code (one line per value where the architectures differ,
//! chosen by `target_arch`), and `NAME_32` for the requests whose code in the 64-bit
//! architecture's 32-bit personality differs from the native one.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{bail, Context, Result};

use crate::gen_syscalls::workspace_root;
use crate::header_probe::{
    check_current, evaluate, item, kernel_series, macros_of, Probe, Scratch, ARCHES,
};

/// The generated file, relative to the workspace root.
pub const OUTPUT: &str = "plugins/fs/src/ioctl_codes.rs";

/// Each header, and the requests rtrace's fs plugin names from it (the KVM requests
/// are `gen-kvm`'s).
const REQUESTS: &[(&str, &[&str])] = &[
    (
        "asm/ioctls.h",
        &[
            "TCGETS",
            "TCSETS",
            "TCSETSW",
            "TCSETSF",
            "TCGETA",
            "TCSETA",
            "TCSETAW",
            "TCSETAF",
            "TCSBRK",
            "TCXONC",
            "TCFLSH",
            "TIOCEXCL",
            "TIOCNXCL",
            "TIOCSCTTY",
            "TIOCGPGRP",
            "TIOCSPGRP",
            "TIOCOUTQ",
            "TIOCSTI",
            "TIOCGWINSZ",
            "TIOCSWINSZ",
            "TIOCMGET",
            "TIOCMBIS",
            "TIOCMBIC",
            "TIOCMSET",
            "TIOCGSOFTCAR",
            "TIOCSSOFTCAR",
            "FIONREAD",
            "TIOCLINUX",
            "TIOCCONS",
            "TIOCGSERIAL",
            "TIOCSSERIAL",
            "TIOCPKT",
            "FIONBIO",
            "TIOCNOTTY",
            "TIOCSETD",
            "TIOCGETD",
            "TCSBRKP",
            "TIOCSBRK",
            "TIOCCBRK",
            "TIOCGSID",
            "TIOCGPTN",
            "TIOCSPTLCK",
            "TIOCGDEV",
            "TIOCGPTPEER",
            "FIONCLEX",
            "FIOCLEX",
            "FIOASYNC",
            "TIOCGLCKTRMIOS",
            "TIOCSLCKTRMIOS",
            "FIOQSIZE",
        ],
    ),
    // The sound timer's requests share the terminal's numbers.
    (
        "linux/soundcard.h",
        &["SNDCTL_TMR_START", "SNDCTL_TMR_STOP", "SNDCTL_TMR_CONTINUE"],
    ),
    (
        "linux/fs.h",
        &[
            "FICLONE",
            "FS_IOC_GETFLAGS",
            "FS_IOC_SETFLAGS",
            "FS_IOC_GETVERSION",
            "FS_IOC_SETVERSION",
            "FS_IOC_FSGETXATTR",
            "FS_IOC_FSSETXATTR",
            "FS_IOC_FIEMAP",
            "FIFREEZE",
            "FITHAW",
            "FITRIM",
            "FS_IOC_SHUTDOWN",
            "BLKROSET",
            "BLKROGET",
            "BLKRRPART",
            "BLKGETSIZE",
            "BLKFLSBUF",
            "BLKSSZGET",
            "BLKBSZGET",
            "BLKGETSIZE64",
            "BLKIOMIN",
            "BLKIOOPT",
            "BLKALIGNOFF",
            "BLKPBSZGET",
            "BLKDISCARDZEROES",
        ],
    ),
    // FICLONE's older name.
    ("linux/btrfs.h", &["BTRFS_IOC_CLONE"]),
    // The virtual console's modes.
    (
        "linux/kd.h",
        &[
            "KDGKBTYPE",
            "KDSETMODE",
            "KDGETMODE",
            "KDGKBMODE",
            "KDSKBMODE",
            "KDGKBMETA",
            "KDSKBMETA",
        ],
    ),
    (
        "linux/perf_event.h",
        &[
            "PERF_EVENT_IOC_ENABLE",
            "PERF_EVENT_IOC_DISABLE",
            "PERF_EVENT_IOC_REFRESH",
            "PERF_EVENT_IOC_RESET",
            "PERF_EVENT_IOC_PERIOD",
            "PERF_EVENT_IOC_SET_OUTPUT",
            "PERF_EVENT_IOC_SET_BPF",
            "PERF_EVENT_IOC_PAUSE_OUTPUT",
        ],
    ),
    (
        "linux/sockios.h",
        &[
            "FIOSETOWN",
            "SIOCSPGRP",
            "FIOGETOWN",
            "SIOCGPGRP",
            "SIOCATMARK",
            "SIOCGIFNAME",
            "SIOCGIFCONF",
            "SIOCGIFFLAGS",
            "SIOCGIFADDR",
            "SIOCGIFDSTADDR",
            "SIOCGIFBRDADDR",
            "SIOCGIFNETMASK",
            "SIOCGIFMETRIC",
            "SIOCGIFMTU",
            "SIOCGIFHWADDR",
            "SIOCGIFINDEX",
            "SIOCGIFTXQLEN",
        ],
    ),
    (
        "linux/loop.h",
        &[
            "LOOP_SET_FD",
            "LOOP_CLR_FD",
            "LOOP_SET_STATUS",
            "LOOP_GET_STATUS",
            "LOOP_SET_STATUS64",
            "LOOP_GET_STATUS64",
            "LOOP_CHANGE_FD",
            "LOOP_SET_CAPACITY",
            "LOOP_SET_DIRECT_IO",
            "LOOP_SET_BLOCK_SIZE",
            "LOOP_CONFIGURE",
            "LOOP_CTL_ADD",
            "LOOP_CTL_REMOVE",
            "LOOP_CTL_GET_FREE",
        ],
    ),
    (
        "linux/if_tun.h",
        &[
            "TUNSETIFF",
            "TUNGETIFF",
            "TUNSETPERSIST",
            "TUNSETOWNER",
            "TUNSETGROUP",
        ],
    ),
    (
        "linux/random.h",
        &[
            "RNDGETENTCNT",
            "RNDADDTOENTCNT",
            "RNDZAPENTCNT",
            "RNDCLEARPOOL",
            "RNDRESEEDCRNG",
        ],
    ),
    (
        "linux/nsfs.h",
        &[
            "NS_GET_USERNS",
            "NS_GET_PARENT",
            "NS_GET_NSTYPE",
            "NS_GET_OWNER_UID",
            "NS_GET_PID_FROM_PIDNS",
            "NS_GET_TGID_FROM_PIDNS",
            "NS_GET_PID_IN_PIDNS",
            "NS_GET_TGID_IN_PIDNS",
        ],
    ),
    (
        "linux/pidfd.h",
        &[
            "PIDFD_GET_CGROUP_NAMESPACE",
            "PIDFD_GET_IPC_NAMESPACE",
            "PIDFD_GET_MNT_NAMESPACE",
            "PIDFD_GET_NET_NAMESPACE",
            "PIDFD_GET_PID_NAMESPACE",
            "PIDFD_GET_PID_FOR_CHILDREN_NAMESPACE",
            "PIDFD_GET_TIME_NAMESPACE",
            "PIDFD_GET_TIME_FOR_CHILDREN_NAMESPACE",
            "PIDFD_GET_USER_NAMESPACE",
            "PIDFD_GET_UTS_NAMESPACE",
        ],
    ),
];

/// Requests newer than Debian 12's headers (Linux 6.1), with their definition as the
/// newer kernels' UAPI headers spell it (linux/nsfs.h and linux/pidfd.h, as strace 7.2
/// bundles them; the magic numbers written out, NSIO 0xb7 and PIDFS_IOCTL_MAGIC 0xff;
/// linux/fs.h's FS_IOC_SHUTDOWN, which XFS, ext4 and f2fs had under their own names).
/// The compiler evaluates them like the others; a header that has the name wins.
const NEWER_THAN_HEADERS: &[(&str, &str)] = &[
    ("FS_IOC_SHUTDOWN", "_IOR('X', 125, __u32)"),
    ("NS_GET_PID_FROM_PIDNS", "_IOR(0xb7, 0x6, int)"),
    ("NS_GET_TGID_FROM_PIDNS", "_IOR(0xb7, 0x7, int)"),
    ("NS_GET_PID_IN_PIDNS", "_IOR(0xb7, 0x8, int)"),
    ("NS_GET_TGID_IN_PIDNS", "_IOR(0xb7, 0x9, int)"),
    ("PIDFD_GET_CGROUP_NAMESPACE", "_IO(0xff, 1)"),
    ("PIDFD_GET_IPC_NAMESPACE", "_IO(0xff, 2)"),
    ("PIDFD_GET_MNT_NAMESPACE", "_IO(0xff, 3)"),
    ("PIDFD_GET_NET_NAMESPACE", "_IO(0xff, 4)"),
    ("PIDFD_GET_PID_NAMESPACE", "_IO(0xff, 5)"),
    ("PIDFD_GET_PID_FOR_CHILDREN_NAMESPACE", "_IO(0xff, 6)"),
    ("PIDFD_GET_TIME_NAMESPACE", "_IO(0xff, 7)"),
    ("PIDFD_GET_TIME_FOR_CHILDREN_NAMESPACE", "_IO(0xff, 8)"),
    ("PIDFD_GET_USER_NAMESPACE", "_IO(0xff, 9)"),
    ("PIDFD_GET_UTS_NAMESPACE", "_IO(0xff, 10)"),
];

/// A table of constants of a header, for the structures the requests pass: its Rust
/// name, what it holds, the header, its names, and whether it holds flag bits (single
/// bits only: combinations such as FIEMAP_FLAGS_COMPAT are left out) or values.
struct Table {
    constant: &'static str,
    doc: &'static str,
    header: &'static str,
    names: Names,
    bits: bool,
}

/// A table's names.
enum Names {
    /// The header's macros of this prefix.
    Prefix(&'static str),
    /// The header's macros of this prefix and suffix, but the aliases named (a second
    /// name of a value, which strace does not use).
    Affixed {
        prefix: &'static str,
        suffix: &'static str,
        aliases: &'static [&'static str],
    },
    /// These (an enum's, which the preprocessor's macro list does not show).
    Listed(&'static [&'static str]),
}

const TABLES: &[Table] = &[
    Table {
        constant: "INODE_FLAGS",
        doc: "Inode flags (FS_IOC_GETFLAGS, FS_IOC_SETFLAGS).",
        header: "linux/fs.h",
        names: Names::Affixed {
            prefix: "FS_",
            suffix: "_FL",
            aliases: &["FS_BTREE_FL"],
        },
        bits: true,
    },
    Table {
        constant: "FIEMAP_FLAGS",
        doc: "`struct fiemap`'s fm_flags.",
        header: "linux/fiemap.h",
        names: Names::Prefix("FIEMAP_FLAG_"),
        bits: true,
    },
    Table {
        constant: "FIEMAP_EXTENT_FLAGS",
        doc: "`struct fiemap_extent`'s fe_flags.",
        header: "linux/fiemap.h",
        names: Names::Prefix("FIEMAP_EXTENT_"),
        bits: true,
    },
    Table {
        constant: "LOOP_FLAGS",
        doc: "`struct loop_info64`'s lo_flags.",
        header: "linux/loop.h",
        names: Names::Listed(&[
            "LO_FLAGS_READ_ONLY",
            "LO_FLAGS_AUTOCLEAR",
            "LO_FLAGS_PARTSCAN",
            "LO_FLAGS_DIRECT_IO",
        ]),
        bits: true,
    },
    Table {
        constant: "LOOP_CRYPT_TYPES",
        doc: "`struct loop_info64`'s lo_encrypt_type.",
        header: "linux/loop.h",
        names: Names::Prefix("LO_CRYPT_"),
        bits: false,
    },
];

/// The structures the requests pass whose decoders read them: (header, `struct` name,
/// the fields read). Each becomes a Rust struct of the size and every field's offset
/// and size, one value per architecture and personality where they differ (the old
/// `struct loop_info` holds `long`s and `__kernel_old_dev_t`s, an `unsigned long`,
/// `unsigned int` or `unsigned short` by architecture).
const LAYOUTS: &[(&str, &str, &[&str])] = &[
    ("linux/if.h", "ifreq", &["ifr_name", "ifr_addr"]),
    ("linux/if.h", "ifconf", &["ifc_len", "ifc_buf"]),
    (
        "linux/fiemap.h",
        "fiemap",
        &[
            "fm_start",
            "fm_length",
            "fm_flags",
            "fm_mapped_extents",
            "fm_extent_count",
            "fm_extents[]",
        ],
    ),
    (
        "linux/fiemap.h",
        "fiemap_extent",
        &["fe_logical", "fe_physical", "fe_length", "fe_flags"],
    ),
    ("linux/fs.h", "fstrim_range", &["start", "len", "minlen"]),
    (
        "linux/loop.h",
        "loop_info",
        &[
            "lo_number",
            "lo_device",
            "lo_inode",
            "lo_rdevice",
            "lo_offset",
            "lo_encrypt_type",
            "lo_encrypt_key_size",
            "lo_flags",
            "lo_name",
            "lo_encrypt_key",
            "lo_init",
            "reserved",
        ],
    ),
    (
        "linux/loop.h",
        "loop_info64",
        &[
            "lo_device",
            "lo_inode",
            "lo_rdevice",
            "lo_offset",
            "lo_sizelimit",
            "lo_number",
            "lo_encrypt_type",
            "lo_encrypt_key_size",
            "lo_flags",
            "lo_file_name",
            "lo_crypt_name",
            "lo_encrypt_key",
            "lo_init",
        ],
    ),
    (
        "linux/loop.h",
        "loop_config",
        &["fd", "block_size", "info", "__reserved"],
    ),
];

/// The C expressions of a layout: its size, then each field's offset and size (0 for
/// a flexible array member, written `name[]`).
fn layout_exprs(name: &str, fields: &[&str]) -> Vec<String> {
    let mut exprs = vec![format!("sizeof(struct {name})")];
    for field in fields {
        let member = field.trim_end_matches("[]");
        exprs.push(format!("offsetof(struct {name}, {member})"));
        if member == *field {
            exprs.push(format!("sizeof(((struct {name} *)0)->{field})"));
        } else {
            exprs.push("0".into());
        }
    }
    exprs
}

/// A field's name in Rust: `__reserved` → `reserved`, `fm_extents[]` → `fm_extents`.
fn field_name(field: &str) -> &str {
    field.trim_start_matches('_').trim_end_matches("[]")
}

/// `loop_info64` → `LoopInfo64`.
fn type_name(name: &str) -> String {
    name.split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or(String::new(), |c| {
                c.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// The 32-bit personality of each 64-bit architecture.
const COMPAT: &[(&str, &str)] = &[("x86_64", "x86"), ("aarch64", "arm")];

/// Writes the file, or with `check` only compares it with the checked-in one.
pub fn run(check: bool) -> Result<()> {
    let generated = generate()?;
    let output = workspace_root().join(OUTPUT);
    if check {
        check_current(&generated, &output, OUTPUT, "gen-ioctl")?;
        println!("{OUTPUT}: up to date");
    } else {
        std::fs::write(&output, &generated)
            .with_context(|| format!("cannot write {}", output.display()))?;
        println!("{OUTPUT}: written");
    }
    Ok(())
}

fn headers() -> Vec<&'static str> {
    // What the UAPI headers leave to their includer: `size_t` (BLKGETSIZE64's
    // argument), `offsetof`, `struct sockaddr` (in struct ifreq).
    let mut headers: Vec<&str> = vec!["stddef.h", "sys/socket.h"];
    let all = REQUESTS
        .iter()
        .map(|(h, _)| *h)
        .chain(TABLES.iter().map(|t| t.header))
        .chain(LAYOUTS.iter().map(|(h, _, _)| *h));
    for header in all {
        if !headers.contains(&header) {
            headers.push(header);
        }
    }
    headers
}

/// The probe program's definitions of the names the headers lack.
fn prelude() -> String {
    NEWER_THAN_HEADERS
        .iter()
        .map(|(name, definition)| format!("#ifndef {name}\n#define {name} {definition}\n#endif\n"))
        .collect()
}

/// One architecture's values: (group, name) → value.
type Values = BTreeMap<(String, String), u64>;

fn generate() -> Result<String> {
    let dir = Scratch::new("gen-ioctl")?;
    let headers = headers();
    let mut with_version = vec!["linux/version.h"];
    with_version.extend(&headers);
    let macros = macros_of(dir.path(), "gcc", &with_version)?;
    let series = kernel_series(&macros)?;
    let mut probes: Vec<Probe> = REQUESTS
        .iter()
        .flat_map(|(_, names)| names.iter())
        .map(|name| Probe {
            group: "request".into(),
            expr: name.to_string(),
        })
        .collect();
    for table in TABLES {
        let names: Vec<String> = match table.names {
            // The names of the prefix in the table's own header (fiemap.h's, not fs.h's).
            Names::Prefix(prefix) => macros_of(dir.path(), "gcc", &[table.header])?
                .into_keys()
                .filter(|n| n.starts_with(prefix))
                .collect(),
            Names::Affixed {
                prefix,
                suffix,
                aliases,
            } => macros_of(dir.path(), "gcc", &[table.header])?
                .into_keys()
                .filter(|n| n.starts_with(prefix) && n.ends_with(suffix))
                .filter(|n| !aliases.contains(&n.as_str()))
                .collect(),
            Names::Listed(names) => names.iter().map(|n| n.to_string()).collect(),
        };
        probes.extend(names.into_iter().map(|expr| Probe {
            group: table.constant.into(),
            expr,
        }));
    }
    for (_, name, fields) in LAYOUTS {
        probes.extend(layout_exprs(name, fields).into_iter().map(|expr| Probe {
            group: "layout".into(),
            expr,
        }));
    }
    let mut values = BTreeMap::new();
    for probe_arch in ARCHES {
        let arch = probe_arch.target_arch;
        let (cc, package) = (probe_arch.cc(), probe_arch.packages());
        values.insert(
            arch,
            evaluate_all(&dir, arch, &cc, &package, &headers, &probes)?,
        );
    }
    render(&series, &values)
}

/// Every probe's value with `cc`, failing with one line if any is missing.
fn evaluate_all(
    dir: &Scratch,
    arch: &str,
    cc: &str,
    package: &str,
    headers: &[&str],
    probes: &[Probe],
) -> Result<Values> {
    let values = evaluate(dir.path(), cc, headers, &prelude(), probes)
        .with_context(|| format!("{arch}'s values need {cc} (Debian packages {package})"))?;
    if values.len() != probes.len() {
        let got: Vec<&Probe> = values.iter().map(|(p, _)| p).collect();
        let missing: Vec<&str> = probes
            .iter()
            .filter(|p| !got.contains(p))
            .map(|p| p.expr.as_str())
            .collect();
        bail!("{cc}'s headers do not define {missing:?}");
    }
    Ok(values
        .into_iter()
        .map(|(p, v)| ((p.group, p.expr), v))
        .collect())
}

/// `pub const NAME: u64 = value;`, or one line per value with the architectures that
/// have it (the x86_64 value's line for every architecture but the others named).
fn constant(text: &mut String, name: &str, by_arch: &[(&str, u64)]) -> Result<()> {
    let by_arch: Vec<(&str, String)> = by_arch
        .iter()
        .map(|(arch, value)| (*arch, format!("{value:#x}")))
        .collect();
    item(text, &format!("pub const {name}: u64"), &by_arch)
}

fn render(series: &str, values: &BTreeMap<&str, Values>) -> Result<String> {
    let mut text = format!(
        "// @generated by `cargo xtask gen-ioctl` from the UAPI headers (Linux {series}).\n\
         // Do not edit.\n\n"
    );
    let key = |name: &str| ("request".to_string(), name.to_string());
    let native = |name: &str| -> Vec<(&str, u64)> {
        ARCHES
            .iter()
            .map(|a| (a.target_arch, values[&a.target_arch][&key(name)]))
            .collect()
    };
    for (header, names) in REQUESTS {
        writeln!(text, "// <{header}>")?;
        for name in *names {
            constant(&mut text, name, &native(name))?;
        }
        text.push('\n');
    }
    text.push_str(
        "// The codes of the 64-bit architectures' 32-bit personalities (i386, armhf),\n\
         // where they differ from the native code: the argument's size is a `long`'s or a\n\
         // `size_t`'s, or armhf numbers the request its own way. (On a 32-bit build, the\n\
         // native code.)\n",
    );
    for (_, names) in REQUESTS {
        for name in *names {
            let by_arch: Vec<(&str, u64)> = native(name)
                .into_iter()
                .map(|(arch, value)| {
                    let compat = COMPAT.iter().find(|(wide, _)| *wide == arch);
                    (
                        arch,
                        compat.map_or(value, |(_, narrow)| values[narrow][&key(name)]),
                    )
                })
                .collect();
            if by_arch != native(name) {
                constant(&mut text, &format!("{name}_32"), &by_arch)?;
            }
        }
    }
    render_layouts(&mut text, values)?;
    let lp64 = &values["x86_64"];
    for table in TABLES {
        for (arch, other) in values {
            let differs = other
                .iter()
                .any(|(k, v)| k.0 == table.constant && lp64.get(k) != Some(v));
            if differs {
                bail!("{}'s values differ on {arch}", table.constant);
            }
        }
        let mut rows: Vec<(u64, &str)> = lp64
            .iter()
            .filter(|((group, _), value)| {
                group == table.constant && (!table.bits || value.is_power_of_two())
            })
            .map(|((_, name), value)| (*value, name.as_str()))
            .collect();
        rows.sort();
        writeln!(text, "\n/// {} (<{}>)", table.doc, table.header)?;
        writeln!(text, "#[rustfmt::skip]")?;
        writeln!(text, "pub const {}: &[(u64, &str)] = &[", table.constant)?;
        for (value, name) in rows {
            if table.bits {
                writeln!(text, "    ({value:#x}, \"{name}\"),")?;
            } else {
                writeln!(text, "    ({value}, \"{name}\"),")?;
            }
        }
        text.push_str("];\n");
    }
    Ok(text)
}

/// Each layout's Rust struct, its native value (`LOOP_INFO`) and its 32-bit
/// personality's (`LOOP_INFO_32`).
fn render_layouts(text: &mut String, values: &BTreeMap<&str, Values>) -> Result<()> {
    text.push_str(
        "\n/// A field of a structure: its offset and size in bytes.\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq)]\n\
         pub struct Field {\n    pub offset: usize,\n    pub size: usize,\n}\n\n\
         impl Field {\n    pub const fn at(offset: usize, size: usize) -> Field {\n        \
         Field { offset, size }\n    }\n}\n",
    );
    let value = |arch: &str, expr: &str| values[arch][&("layout".to_string(), expr.to_string())];
    for (header, name, fields) in LAYOUTS {
        let ty = type_name(name);
        writeln!(
            text,
            "\n/// `struct {name}` (<{header}>): its size, and the fields read."
        )?;
        writeln!(text, "#[derive(Debug, Clone, Copy, PartialEq, Eq)]")?;
        writeln!(text, "pub struct {ty} {{\n    pub size: usize,")?;
        for field in *fields {
            writeln!(text, "    pub {}: Field,", field_name(field))?;
        }
        text.push_str("}\n");
        // As rustfmt lays it out: one field a line.
        let literal = |arch: &str| {
            let exprs = layout_exprs(name, fields);
            let mut body = format!("{ty} {{\n    size: {},\n", value(arch, &exprs[0]));
            for (field, pair) in fields.iter().zip(exprs[1..].chunks(2)) {
                let _ = writeln!(
                    body,
                    "    {}: Field::at({}, {}),",
                    field_name(field),
                    value(arch, &pair[0]),
                    value(arch, &pair[1])
                );
            }
            body + "}"
        };
        let native: Vec<(&str, String)> = ARCHES
            .iter()
            .map(|a| (a.target_arch, literal(a.target_arch)))
            .collect();
        let constant = name.to_ascii_uppercase();
        item(text, &format!("pub const {constant}: {ty}"), &native)?;
        let compat: Vec<(&str, String)> = ARCHES
            .iter()
            .map(|a| {
                let arch = a.target_arch;
                let personality = COMPAT
                    .iter()
                    .find(|(wide, _)| *wide == arch)
                    .map_or(arch, |(_, narrow)| *narrow);
                (arch, literal(personality))
            })
            .collect();
        item(text, &format!("pub const {constant}_32: {ty}"), &compat)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checked-in file is what this machine's headers give with the four
    /// architectures' compilers (Debian 12's, as on CI): a hand edit of it, or a change
    /// of the generator not run, fails here.
    #[test]
    fn checked_in_codes_are_current() {
        let generated = generate().unwrap_or_else(|e| panic!("{e:#}"));
        let output = workspace_root().join(OUTPUT);
        if let Err(e) = check_current(&generated, &output, OUTPUT, "gen-ioctl") {
            panic!("{e}");
        }
    }
}
