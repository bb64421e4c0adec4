//! A VM's root file system: an uncompressed cpio archive in the kernel's `newc` format.
//!
//! Uncompressed because the kernel unpacks it under emulation, where gunzip of a few
//! megabytes costs more than qemu loading them. Binaries are stripped copies; shared
//! libraries are found by following each ELF's interpreter and DT_NEEDED entries into its
//! ABI's sysroot, so the archive holds exactly what the programs load. The interpreter
//! goes where the programs ask for it (`/lib/ld-linux-armhf.so.3`), the other libraries
//! into the ABI's multiarch directory (`/lib/arm-linux-gnueabihf/`), the loader's first
//! default directory: an aarch64 VM holds both ABIs' libc.so.6 side by side.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use super::cases::{reference_path, RTRACE, RTRACE_STATIC};
use super::cross::BuiltProgram;
use super::machines::Machine;
use crate::targets::Toolchain;

/// What one archive member is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Dir,
    File {
        data: Vec<u8>,
        executable: bool,
    },
    /// A character device `(major, minor)`.
    CharDev(u32, u32),
}

/// Archive path (no leading `/`) to member, sorted so parents precede children.
pub type Tree = BTreeMap<String, Node>;

const DIRS: &[&str] = &["bin", "dev", "etc", "lib", "proc", "sys", "tmp"];
/// Read by the read_hostname program.
const HOSTNAME: &[u8] = b"rtrace-arm\n";

/// What goes into one machine's archive, built beforehand.
pub struct Inputs<'a> {
    pub machine: &'a Machine,
    /// The static init.
    pub init: PathBuf,
    /// The cross build's output directory: rtrace and its plugins.
    pub build: PathBuf,
    /// `cargo xtask static`'s file for the machine's own target (already stripped).
    pub static_rtrace: PathBuf,
    /// Per traced ABI: its programs and reference strace.
    pub programs: Vec<AbiPrograms<'a>>,
    /// init's plan (see `tests/arm/init.c`).
    pub plan: String,
    /// Unit-test executables for the machine's target, by file name, going to
    /// `/unit/<name>` with their symbols (a test may name its own frames).
    pub unit_tests: Vec<(String, PathBuf)>,
    /// Kernel modules init loads first, in this order (see [`KERNEL_MODULES`]).
    pub kernel_modules: Vec<PathBuf>,
}

/// The kernel's modules init loads before the runs, relative to the kernel package's
/// `lib/modules/<release>/kernel/`, each after those it needs: the sock_diag families
/// that name sockets (rtrace's `-yy`, and its unit tests of that look-up). Debian builds
/// them as modules, and the VM has no modprobe for the kernel to ask for them.
pub const KERNEL_MODULES: &[&str] = &[
    "net/ipv4/inet_diag.ko.xz",
    "net/ipv4/tcp_diag.ko.xz",
    "net/ipv4/udp_diag.ko.xz",
    "net/unix/unix_diag.ko.xz",
];

/// Where the unit-test executables go.
pub const UNIT_TEST_DIR: &str = "/unit";
/// The list of modules init loads, one archive path a line.
const MODULE_LIST: &str = "etc/rtrace-modules";

/// The programs of one ABI a machine traces.
pub struct AbiPrograms<'a> {
    pub toolchain: &'a Toolchain,
    /// Going to `/bin/<abi>/<name>`.
    pub programs: Vec<BuiltProgram>,
    /// The reference strace for them.
    pub reference: PathBuf,
}

/// Everything the VM needs, from the build outputs.
pub fn contents(inputs: &Inputs) -> Result<Tree> {
    let mut tree = Tree::new();
    for dir in DIRS {
        tree.insert(dir.to_string(), Node::Dir);
    }
    // The kernel opens /dev/console for init's stdin/stdout/stderr before init can mount
    // devtmpfs, so the node must be in the archive.
    tree.insert("dev/console".into(), Node::CharDev(5, 1));
    tree.insert("etc/hostname".into(), file(HOSTNAME.to_vec(), false));
    tree.insert(
        "etc/rtrace-plan".into(),
        file(inputs.plan.as_bytes().to_vec(), false),
    );

    let native = inputs.machine.native();
    let mut elves: Vec<(String, PathBuf, &Toolchain, Strip)> = vec![
        ("init".into(), inputs.init.clone(), native, Strip::All),
        (
            archive_path(RTRACE),
            inputs.build.join("rtrace"),
            native,
            Strip::All,
        ),
    ];
    // The bundled plugins sit next to the binary, where rtrace looks for them.
    for plugin in plugins(&inputs.build)? {
        let name = plugin.file_name().unwrap().to_string_lossy().into_owned();
        elves.push((format!("bin/{name}"), plugin, native, Strip::All));
    }
    for abi in &inputs.programs {
        tree.insert(format!("bin/{}", abi.toolchain.abi), Node::Dir);
        for program in &abi.programs {
            elves.push((
                format!("bin/{}/{}", abi.toolchain.abi, program.name),
                program.path.clone(),
                abi.toolchain,
                if program.keep_symbols {
                    Strip::Debug
                } else {
                    Strip::All
                },
            ));
        }
    }
    if !inputs.unit_tests.is_empty() {
        tree.insert(archive_path(UNIT_TEST_DIR), Node::Dir);
    }
    for (name, path) in &inputs.unit_tests {
        let at = format!("{}/{name}", archive_path(UNIT_TEST_DIR));
        elves.push((at, path.clone(), native, Strip::Debug));
    }

    let mut libraries: BTreeMap<String, (PathBuf, &Toolchain)> = BTreeMap::new();
    for (at, path, toolchain, strip) in &elves {
        tree.insert(at.clone(), file(stripped(path, toolchain, *strip)?, true));
        collect_libraries(path, toolchain, &mut libraries)?;
    }
    for (at, (path, toolchain)) in libraries {
        if let Some((dir, _)) = at.rsplit_once('/') {
            tree.insert(dir.to_string(), Node::Dir);
        }
        tree.insert(at, file(stripped(&path, toolchain, Strip::All)?, true));
    }
    let mut module_list = String::new();
    for module in &inputs.kernel_modules {
        let name = module.file_name().unwrap_or_default().to_string_lossy();
        let at = format!("lib/modules/{name}");
        tree.insert("lib/modules".into(), Node::Dir);
        tree.insert(at.clone(), file(read(module)?, false));
        module_list.push_str(&format!("/{at}\n"));
    }
    tree.insert(MODULE_LIST.into(), file(module_list.into_bytes(), false));
    // The static file goes alone into a directory of its own, with no plugin library
    // beside it; it must ask the loader for nothing, so no library is added for it.
    let wanted = asked_of_the_loader(&inputs.static_rtrace, native)?;
    if wanted != Dependencies::default() {
        bail!(
            "{} is not static: it asks the loader for {wanted:?}",
            inputs.static_rtrace.display()
        );
    }
    let static_path = archive_path(RTRACE_STATIC);
    if let Some((dir, _)) = static_path.rsplit_once('/') {
        tree.insert(dir.to_string(), Node::Dir);
    }
    tree.insert(static_path, file(read(&inputs.static_rtrace)?, true));
    // The reference straces are static and shipped stripped: copied as they are.
    for abi in &inputs.programs {
        tree.insert(
            archive_path(&reference_path(abi.toolchain)),
            file(read(&abi.reference)?, true),
        );
    }
    Ok(tree)
}

/// `/bin/x` as an archive path (`bin/x`).
fn archive_path(vm_path: &str) -> String {
    vm_path.trim_start_matches('/').to_string()
}

fn file(data: Vec<u8>, executable: bool) -> Node {
    Node::File { data, executable }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

fn plugins(build: &Path) -> Result<Vec<PathBuf>> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(build)
        .with_context(|| format!("cannot read {}", build.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("librtrace_") && n.ends_with(".so"))
        })
        .collect();
    found.sort();
    if found.is_empty() {
        bail!(
            "no librtrace_*.so in {}; did the cross build run?",
            build.display()
        );
    }
    Ok(found)
}

/// What stripping removes from a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strip {
    /// Symbols and debug info.
    All,
    /// Debug info only (debug builds are mostly DWARF): the symbol table stays, for
    /// what names functions by it (`-k`, a test walking its own stack).
    Debug,
}

/// The file with debug info, and unless `Strip::Debug` its symbols, removed.
fn stripped(path: &Path, toolchain: &Toolchain, strip_what: Strip) -> Result<Vec<u8>> {
    let out = tempfile::NamedTempFile::new().context("cannot create a temporary file")?;
    let strip = toolchain.tool("strip");
    let mut command = Command::new(&strip);
    if strip_what == Strip::Debug {
        command.arg("--strip-debug");
    }
    let status = command
        .arg("-o")
        .arg(out.path())
        .arg(path)
        .status()
        .with_context(|| format!("cannot run {strip}"))?;
    if !status.success() {
        bail!("{strip} {} failed ({status})", path.display());
    }
    read(out.path())
}

/// Adds the interpreter and the DT_NEEDED libraries of `elf`, recursively, by archive
/// path: the interpreter at the path the ELF asks for, the others in the multiarch
/// directory.
fn collect_libraries<'t>(
    elf: &Path,
    toolchain: &'t Toolchain,
    found: &mut BTreeMap<String, (PathBuf, &'t Toolchain)>,
) -> Result<()> {
    let dependencies = asked_of_the_loader(elf, toolchain)?;
    let interpreter = dependencies.interpreter.map(|path| {
        let name = path.rsplit('/').next().unwrap_or(&path).to_string();
        (archive_path(&path), name)
    });
    let needed = dependencies
        .needed
        .into_iter()
        .map(|name| (format!("lib/{}/{name}", toolchain.triplet), name));
    for (at, name) in interpreter.into_iter().chain(needed) {
        if found.contains_key(&at) {
            continue;
        }
        let path = Path::new(toolchain.sysroot).join("lib").join(&name);
        if !path.exists() {
            bail!(
                "{} needs {name}, which is not in {}/lib",
                elf.display(),
                toolchain.sysroot
            );
        }
        found.insert(at, (path.clone(), toolchain));
        collect_libraries(&path, toolchain, found)?;
    }
    Ok(())
}

/// The interpreter and libraries `elf` asks for, as the toolchain's readelf reads them.
fn asked_of_the_loader(elf: &Path, toolchain: &Toolchain) -> Result<Dependencies> {
    let readelf = toolchain.tool("readelf");
    let out = Command::new(&readelf)
        .args(["-d", "-l", "-W"])
        .arg(elf)
        .output()
        .with_context(|| format!("cannot run {readelf}"))?;
    if !out.status.success() {
        bail!("{readelf} {} failed", elf.display());
    }
    Ok(dependencies(&String::from_utf8_lossy(&out.stdout)))
}

/// What an ELF asks the loader for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Dependencies {
    /// The interpreter's path as written in the ELF.
    pub interpreter: Option<String>,
    /// DT_NEEDED file names.
    pub needed: Vec<String>,
}

/// The interpreter and the needed libraries in `readelf -d -l` output.
pub fn dependencies(readelf: &str) -> Dependencies {
    let mut found = Dependencies::default();
    for line in readelf.lines() {
        let bracketed = |marker: &str| -> Option<String> {
            let rest = &line[line.find(marker)? + marker.len()..];
            Some(rest[..rest.find(']')?].to_string())
        };
        if line.contains("(NEEDED)") {
            found.needed.extend(bracketed("Shared library: ["));
        } else if let Some(path) = bracketed("[Requesting program interpreter: ") {
            found.interpreter = Some(path);
        }
    }
    found
}

/// Writes `tree` as a newc cpio archive; returns its size in bytes.
pub fn write(path: &Path, tree: &Tree) -> Result<u64> {
    let bytes = encode(tree);
    let mut out =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    out.write_all(&bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(bytes.len() as u64)
}

/// The newc encoding: per member a 110-byte ASCII header (`070701` and thirteen 8-digit
/// hex fields), the NUL-terminated name padded to 4 bytes, the data padded to 4 bytes;
/// then the `TRAILER!!!` member.
pub fn encode(tree: &Tree) -> Vec<u8> {
    let mut out = Vec::new();
    for (ino, (name, node)) in tree.iter().enumerate() {
        let (mode, data, rdev): (u32, &[u8], (u32, u32)) = match node {
            Node::Dir => (0o040755, &[], (0, 0)),
            Node::File { data, executable } => {
                (if *executable { 0o100755 } else { 0o100644 }, data, (0, 0))
            }
            Node::CharDev(major, minor) => (0o020600, &[], (*major, *minor)),
        };
        let nlink = if matches!(node, Node::Dir) { 2 } else { 1 };
        member(&mut out, ino as u32 + 1, mode, nlink, rdev, name, data);
    }
    member(&mut out, 0, 0, 1, (0, 0), "TRAILER!!!", &[]);
    out
}

fn member(
    out: &mut Vec<u8>,
    ino: u32,
    mode: u32,
    nlink: u32,
    rdev: (u32, u32),
    name: &str,
    data: &[u8],
) {
    let fields = [
        ino,
        mode,
        0, // uid
        0, // gid
        nlink,
        0, // mtime: fixed, so the archive is reproducible
        data.len() as u32,
        0, // devmajor
        0, // devminor
        rdev.0,
        rdev.1,
        name.len() as u32 + 1,
        0, // check (unused by newc)
    ];
    out.extend_from_slice(b"070701");
    for field in fields {
        out.extend_from_slice(format!("{field:08x}").as_bytes());
    }
    out.extend_from_slice(name.as_bytes());
    out.push(0);
    pad4(out);
    out.extend_from_slice(data);
    pad4(out);
}

fn pad4(out: &mut Vec<u8>) {
    while out.len() % 4 != 0 {
        out.push(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newc_members_are_aligned_and_terminated() {
        let mut tree = Tree::new();
        tree.insert("bin".into(), Node::Dir);
        tree.insert("bin/x".into(), file(b"hello".to_vec(), true));
        tree.insert("dev/console".into(), Node::CharDev(5, 1));
        let bytes = encode(&tree);
        assert_eq!(bytes.len() % 4, 0);
        assert!(bytes.starts_with(b"070701"));
        // First member: ino 1, a directory, name "bin" (namesize 4).
        let header = std::str::from_utf8(&bytes[..110]).unwrap();
        assert_eq!(&header[6..14], "00000001");
        assert_eq!(&header[14..22], "000041ed");
        assert_eq!(&header[94..102], "00000004");
        assert_eq!(&bytes[110..114], b"bin\0");
        // The data follows the name, padded so header + name is a multiple of 4 (110 + 6).
        let x = find(&bytes, b"bin/x\0").unwrap();
        assert_eq!(&bytes[x + 6..x + 11], b"hello");
        let console = find(&bytes, b"dev/console\0").unwrap();
        let dev_header = std::str::from_utf8(&bytes[console - 110..console]).unwrap();
        assert_eq!(&dev_header[14..22], "00002180");
        assert_eq!(&dev_header[78..86], "00000005");
        assert_eq!(&dev_header[86..94], "00000001");
        assert!(find(&bytes, b"TRAILER!!!\0").is_some());
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    /// GNU cpio (installed by `cargo xtask test`) reads the archive back.
    #[test]
    fn gnu_cpio_lists_the_archive() {
        assert!(
            crate::install::find_in_path("cpio").is_some(),
            "cpio is not installed (apt-get install cpio; `cargo xtask test` does it)"
        );
        let mut tree = Tree::new();
        tree.insert("etc".into(), Node::Dir);
        tree.insert("etc/hostname".into(), file(HOSTNAME.to_vec(), false));
        let archive = tempfile::NamedTempFile::new().unwrap();
        let path = archive.path();
        write(path, &tree).unwrap();
        let out = Command::new("cpio")
            .args(["-it", "--quiet", "-F"])
            .arg(path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), "etc\netc/hostname\n");
    }

    #[test]
    fn dependencies_from_readelf() {
        let readelf = "\
      [Requesting program interpreter: /lib/ld-linux-armhf.so.3]
 0x00000001 (NEEDED)                     Shared library: [libgcc_s.so.1]
 0x00000001 (NEEDED)                     Shared library: [libc.so.6]
 0x0000000e (SONAME)                     Library soname: [libfoo.so]
";
        assert_eq!(
            dependencies(readelf),
            Dependencies {
                interpreter: Some("/lib/ld-linux-armhf.so.3".into()),
                needed: vec!["libgcc_s.so.1".into(), "libc.so.6".into()],
            }
        );
    }
}
