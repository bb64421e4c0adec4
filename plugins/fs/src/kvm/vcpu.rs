//! Where a vcpu's `struct kvm_run` is mapped in the tracee: the mapping of the vcpu
//! fd's file (`anon_inode:kvm-vcpu:N`, on an anonymous device of major 0) in
//! `/proc/PID/maps`, as strace finds it for `-e kvm=vcpu`.
//!
//! Found mappings are kept per (process, fd), and checked again before each use by
//! the one link `/proc/PID/map_files/START-END`, which names the file mapped at exactly
//! that range: an unmapped, moved or replaced area (or an fd now naming another vcpu)
//! fails the check and the maps are read again.

use std::io::{BufRead, BufReader};
use std::os::unix::ffi::OsStrExt;
use std::sync::Mutex;

use rtrace_sdk::Call;

/// The name of a vcpu fd's file (`/proc/PID/fd/N`), before the vcpu id.
const VCPU_PREFIX: &[u8] = b"anon_inode:kvm-vcpu:";

/// The longest vcpu file name kept: the prefix and a u32 id.
const NAME_MAX: usize = VCPU_PREFIX.len() + 10;

/// One mapping of a vcpu's `struct kvm_run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunArea {
    pub start: u64,
    pub len: u64,
}

#[derive(Debug, Clone, Copy)]
struct Known {
    pid: i32,
    fd: i32,
    start: u64,
    end: u64,
}

/// The areas found so far; a handful of vcpus per tracee, searched linearly.
static KNOWN: Mutex<Vec<Known>> = Mutex::new(Vec::new());

/// The most areas kept; past it the oldest is forgotten.
const KEPT: usize = 256;

/// The `struct kvm_run` area of vcpu fd `fd`, or `None` when `fd` is not a vcpu (or is
/// closed) or its area is not mapped.
pub fn run_area(call: &Call<'_, '_>, fd: i32) -> Option<RunArea> {
    let mut name = [0u8; NAME_MAX];
    let len = call.tracee().fd_path(fd, &mut name)?;
    let name = name.get(..len)?;
    let id = name.strip_prefix(VCPU_PREFIX)?;
    if id.is_empty() || !id.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let pid = call.pid();
    let mut known = KNOWN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(i) = known.iter().position(|k| k.pid == pid && k.fd == fd) {
        let k = known[i];
        if maps_file_at(pid, k.start, k.end).as_deref() == Some(name) {
            return Some(RunArea {
                start: k.start,
                len: k.end - k.start,
            });
        }
        known.remove(i);
    }
    let (start, end) = find_in_maps(pid, name)?;
    if known.len() == KEPT {
        known.remove(0);
    }
    known.push(Known {
        pid,
        fd,
        start,
        end,
    });
    Some(RunArea {
        start,
        len: end.saturating_sub(start),
    })
}

/// The file mapped at exactly `start`-`end`, from `/proc/PID/map_files`.
fn maps_file_at(pid: i32, start: u64, end: u64) -> Option<Vec<u8>> {
    let link = format!("/proc/{pid}/map_files/{start:x}-{end:x}");
    std::fs::read_link(link)
        .ok()
        .map(|target| target.as_os_str().as_bytes().to_vec())
}

/// The first mapping of file `name` on a device of major 0 in `/proc/PID/maps`.
fn find_in_maps(pid: i32, name: &[u8]) -> Option<(u64, u64)> {
    let file = std::fs::File::open(format!("/proc/{pid}/maps")).ok()?;
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).ok()? == 0 {
            return None;
        }
        if let Some(range) = vcpu_mapping(&line, name) {
            return Some(range);
        }
    }
}

/// `START-END PERMS OFFSET MAJOR:MINOR INODE PATH`: the range, when the line maps
/// `name` from a device of major 0.
fn vcpu_mapping(line: &[u8], name: &[u8]) -> Option<(u64, u64)> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let text = std::str::from_utf8(line).ok()?;
    let mut fields = text.splitn(6, ' ');
    let range = fields.next()?;
    let _perms = fields.next()?;
    let _offset = fields.next()?;
    let device = fields.next()?;
    let _inode = fields.next()?;
    let path = fields.next()?.trim_start_matches(' ');
    let (major, _) = device.split_once(':')?;
    if u32::from_str_radix(major, 16).ok()? != 0 || path.as_bytes() != name {
        return None;
    }
    let (start, end) = range.split_once('-')?;
    Some((
        u64::from_str_radix(start, 16).ok()?,
        u64::from_str_radix(end, 16).ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vcpu_line_gives_its_range() {
        let line = b"7f03b4aad000-7f03b4ab0000 rw-s 00000000 00:0e 1058 \
                     anon_inode:kvm-vcpu:0\n";
        assert_eq!(
            vcpu_mapping(line, b"anon_inode:kvm-vcpu:0"),
            Some((0x7f03_b4aa_d000, 0x7f03_b4ab_0000))
        );
        assert_eq!(vcpu_mapping(line, b"anon_inode:kvm-vcpu:1"), None);
    }

    #[test]
    fn another_device_or_file_is_not_the_vcpu() {
        let on_disk = b"7f00-8f00 rw-s 00000000 08:01 1058 anon_inode:kvm-vcpu:0\n";
        assert_eq!(vcpu_mapping(on_disk, b"anon_inode:kvm-vcpu:0"), None);
        let heap = b"55d0-55f0 rw-p 00000000 00:00 0 [heap]\n";
        assert_eq!(vcpu_mapping(heap, b"anon_inode:kvm-vcpu:0"), None);
        assert_eq!(vcpu_mapping(b"garbage", b"anon_inode:kvm-vcpu:0"), None);
    }
}
