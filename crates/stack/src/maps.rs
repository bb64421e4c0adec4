//! A process's mappings as `/proc/PID/maps` lists them.

use std::fs;

/// One line of `/proc/PID/maps`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub start: u64,
    pub end: u64,
    /// Offset of `start` in the mapped file.
    pub offset: u64,
    pub executable: bool,
    /// The device and inode, which tell two files of one path apart (a file replaced by
    /// rename while mapped).
    pub device: String,
    pub inode: u64,
    /// The path as the kernel shows it, `" (deleted)"` included; `None` for anonymous
    /// memory and pseudo-files (`[stack]`, `[vdso]`).
    pub path: Option<String>,
}

impl Mapping {
    pub fn contains(&self, address: u64) -> bool {
        (self.start..self.end).contains(&address)
    }
}

/// The mappings of `pid`, in address order; empty when the process is gone.
pub fn read_maps(pid: i32) -> Vec<Mapping> {
    fs::read_to_string(format!("/proc/{pid}/maps"))
        .map(|text| text.lines().filter_map(parse_line).collect())
        .unwrap_or_default()
}

/// `start-end perms offset dev inode   path`.
fn parse_line(line: &str) -> Option<Mapping> {
    let mut fields = line.splitn(6, ' ');
    let (range, perms, offset, device, inode) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    let path = fields.next().map(str::trim_start).unwrap_or("");
    let (start, end) = range.split_once('-')?;
    let inode: u64 = inode.parse().ok()?;
    Some(Mapping {
        start: u64::from_str_radix(start, 16).ok()?,
        end: u64::from_str_radix(end, 16).ok()?,
        offset: u64::from_str_radix(offset, 16).ok()?,
        executable: perms.as_bytes().get(2) == Some(&b'x'),
        device: device.to_owned(),
        inode,
        // Only a file has an inode: `[heap]`, `[stack]`, `[vdso]` and anonymous
        // memory have 0.
        path: (inode != 0 && !path.is_empty()).then(|| path.to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_line_and_a_pseudo_file_line() {
        let libc = parse_line(
            "7f3c1a228000-7f3c1a37d000 r-xp 00026000 fe:01 1839431                    /usr/lib/x86_64-linux-gnu/libc.so.6",
        )
        .unwrap();
        assert_eq!(libc.start, 0x7f3c1a228000);
        assert_eq!(libc.end, 0x7f3c1a37d000);
        assert_eq!(libc.offset, 0x26000);
        assert!(libc.executable);
        assert_eq!(libc.inode, 1839431);
        assert_eq!(
            libc.path.as_deref(),
            Some("/usr/lib/x86_64-linux-gnu/libc.so.6")
        );
        let vdso = parse_line(
            "7ffd4b5f2000-7ffd4b5f4000 r-xp 00000000 00:00 0                          [vdso]",
        )
        .unwrap();
        assert!(vdso.executable);
        assert_eq!(vdso.path, None);
        let deleted =
            parse_line("00400000-00401000 r-xp 00000000 08:01 42 /tmp/a.out (deleted)").unwrap();
        assert_eq!(deleted.path.as_deref(), Some("/tmp/a.out (deleted)"));
        assert!(parse_line("garbage").is_none());
    }

    #[test]
    fn this_process_maps_its_own_executable() {
        let maps = read_maps(std::process::id() as i32);
        let here = this_process_maps_its_own_executable as fn() as usize as u64;
        let mapping = maps.iter().find(|m| m.contains(here)).unwrap();
        assert!(mapping.executable);
        assert!(mapping.path.is_some());
    }
}
