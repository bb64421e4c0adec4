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
use crate::header_probe::{check_current, evaluate, kernel_series, macros_of, Probe, Scratch};

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
/// kernel's UAPI header spells it (nsfs.h of Linux 6.12, pidfd.h of 6.11; the magic
/// numbers written out, NSIO 0xb7 and PIDFS_IOCTL_MAGIC 0xff). The compiler evaluates
/// them like the others; a header that has the name wins, and must agree.
const NEWER_THAN_HEADERS: &[(&str, &str)] = &[
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
    /// These (an enum's, which the preprocessor's macro list does not show).
    Listed(&'static [&'static str]),
}

const TABLES: &[Table] = &[
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

/// The architectures whose compilers evaluate the names: (Rust's `target_arch`, the
/// compiler, its Debian package). Each 64-bit one's 32-bit personality follows it.
const ARCHES: &[(&str, &str, &str)] = &[
    ("x86_64", "gcc", "gcc"),
    ("aarch64", "aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu"),
    ("x86", "i686-linux-gnu-gcc", "gcc-i686-linux-gnu"),
    ("arm", "arm-linux-gnueabihf-gcc", "gcc-arm-linux-gnueabihf"),
];

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
    let mut headers: Vec<&str> = Vec::new();
    for header in REQUESTS
        .iter()
        .map(|(h, _)| *h)
        .chain(TABLES.iter().map(|t| t.header))
    {
        if !headers.contains(&header) {
            headers.push(header);
        }
    }
    headers
}

/// The probe program's definitions of the names the headers lack, after `size_t`
/// (BLKGETSIZE64's argument, which fs.h leaves to its includer).
fn prelude() -> String {
    let newer: String = NEWER_THAN_HEADERS
        .iter()
        .map(|(name, definition)| format!("#ifndef {name}\n#define {name} {definition}\n#endif\n"))
        .collect();
    format!("#include <stddef.h>\n{newer}")
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
            Names::Listed(names) => names.iter().map(|n| n.to_string()).collect(),
        };
        probes.extend(names.into_iter().map(|expr| Probe {
            group: table.constant.into(),
            expr,
        }));
    }
    let mut values = BTreeMap::new();
    for (arch, cc, package) in ARCHES {
        values.insert(
            *arch,
            evaluate_all(&dir, arch, cc, package, &headers, &probes)?,
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
        .with_context(|| format!("{arch}'s values need {cc} (Debian package {package})"))?;
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
    let mut groups: Vec<(u64, Vec<&str>)> = Vec::new();
    for (arch, value) in by_arch {
        match groups.iter_mut().find(|(v, _)| v == value) {
            Some((_, arches)) => arches.push(arch),
            None => groups.push((*value, vec![arch])),
        }
    }
    if let [(value, _)] = groups.as_slice() {
        writeln!(text, "pub const {name}: u64 = {value:#x};")?;
        return Ok(());
    }
    let condition = |arches: &[&str]| {
        let list: Vec<String> = arches
            .iter()
            .map(|a| format!("target_arch = \"{a}\""))
            .collect();
        format!("any({})", list.join(", "))
    };
    let others: Vec<&str> = groups[1..]
        .iter()
        .flat_map(|(_, arches)| arches.iter().copied())
        .collect();
    for (index, (value, arches)) in groups.iter().enumerate() {
        let cfg = if index == 0 {
            format!("not({})", condition(&others))
        } else {
            condition(arches)
        };
        writeln!(text, "#[cfg({cfg})]")?;
        writeln!(text, "pub const {name}: u64 = {value:#x};")?;
    }
    Ok(())
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
            .map(|(arch, _, _)| (*arch, values[arch][&key(name)]))
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
