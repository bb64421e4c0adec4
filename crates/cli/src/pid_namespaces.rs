//! What a process id a tracee printed is in rtrace's own pid namespace: the one home of
//! the `/proc/PID/status` `NSpid:`/`NStgid:`/`NSpgid:`/`NSsid:` reading and of the walk
//! up a namespace's parents (`NS_GET_PARENT`). `--pidns-translation` prints the result
//! after ids that differ, and `-Y` reads the command name of the translated id (a
//! tracee in a new namespace that prints pid 1 means its own init, not rtrace's).
//!
//! As strace does, a translation is always checked against `/proc` as it is now: a
//! process that is gone has no translation, and the cache only remembers which
//! process answered last time (per namespace, kind and id) and each tracee's namespace,
//! so a pid printed again costs one status read. Tracees in rtrace's own namespace
//! (the usual case) cost one `stat` per tracee, once.

use std::collections::HashMap;
use std::fs::File;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::MetadataExt;

use rtrace_plugin_api::PidKind;

/// The kernel's limit on the depth of nested pid namespaces.
const MAX_NS_DEPTH: usize = 32;

/// The status line listing a task's ids of `kind`, from its own namespace's parent
/// chain down: rtrace's namespace (as `/proc` is mounted) first, the task's own last.
fn status_key(kind: PidKind) -> &'static str {
    match kind {
        PidKind::Tid => "NSpid:",
        PidKind::Tgid | PidKind::TgidOrPgid => "NStgid:",
        PidKind::Pgid => "NSpgid:",
        PidKind::Sid => "NSsid:",
    }
}

/// A pid namespace, by the inode of its `/proc/PID/ns/pid`.
type NsId = u64;

/// The ids of `kind` that `/proc/<proc_pid>/status` lists, outermost first.
fn id_list(proc_pid: i32, kind: PidKind) -> Option<Vec<i32>> {
    let status = std::fs::read_to_string(format!("/proc/{proc_pid}/status")).ok()?;
    let key = status_key(kind);
    let line = status.lines().find_map(|l| l.strip_prefix(key))?;
    let ids: Option<Vec<i32>> = line.split_whitespace().map(|w| w.parse().ok()).collect();
    ids.filter(|ids| !ids.is_empty())
}

/// `proc_pid`'s pid namespace and its ancestors, its own first, up to the outermost
/// rtrace may see (the kernel refuses to go above the caller's namespace).
fn ns_hierarchy(proc_pid: i32, depth: usize) -> Vec<NsId> {
    let mut chain = Vec::new();
    let Ok(mut file) = File::open(format!("/proc/{proc_pid}/ns/pid")) else {
        return chain;
    };
    while chain.len() < depth {
        let Ok(meta) = file.metadata() else {
            break;
        };
        chain.push(meta.ino());
        if chain.len() == depth {
            break;
        }
        // SAFETY: NS_GET_PARENT takes no argument; it returns a new descriptor (or -1)
        // for the parent of the namespace that `file`, a namespace file, refers to.
        let parent = unsafe { libc::ioctl(file.as_raw_fd(), libc::NS_GET_PARENT) };
        if parent < 0 {
            // EPERM: the parent is outside rtrace's namespace; the walk is done.
            break;
        }
        // SAFETY: the ioctl returned a fresh descriptor that nothing else owns.
        file = File::from(unsafe { OwnedFd::from_raw_fd(parent) });
    }
    chain
}

/// The namespace of `pid` (in rtrace's namespace).
fn ns_of(pid: i32) -> Option<NsId> {
    let path = if pid == 0 {
        "/proc/self/ns/pid".to_owned()
    } else {
        format!("/proc/{pid}/ns/pid")
    };
    std::fs::metadata(path).ok().map(|m| m.ino())
}

/// `id` of `kind` as a process in namespace `from` knows it, translated through the
/// process `proc_pid`: its id in rtrace's namespace, if `proc_pid` is what `from`
/// calls `id`.
fn translate_through(proc_pid: i32, from: NsId, id: i32, kind: PidKind) -> Option<i32> {
    let chain = ns_hierarchy(proc_pid, MAX_NS_DEPTH);
    if chain.is_empty() {
        return None;
    }
    let ids = id_list(proc_pid, kind)?;
    if ids.len() < chain.len() {
        return None;
    }
    // chain[i] is the namespace whose id for this task is ids[len - 1 - i]; the last
    // namespace of the chain is rtrace's.
    let level = chain.iter().position(|ns| *ns == from)?;
    (ids[ids.len() - 1 - level] == id).then(|| ids[ids.len() - chain.len()])
}

/// The numeric entries of a `/proc`-like directory.
fn numeric_entries(dir: &str) -> Vec<i32> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .filter(|pid: &i32| *pid > 0)
        .collect()
}

/// Translations for one session: the tracees' namespaces and the processes that
/// answered before.
#[derive(Debug, Default)]
pub struct PidNamespaces {
    /// rtrace's own namespace, once read (None inside: unreadable).
    ours: Option<Option<NsId>>,
    /// Each tracee's namespace (a process never changes its own).
    tracees: HashMap<i32, Option<NsId>>,
    /// Which process (in rtrace's namespace) answered for an id of a kind in a namespace.
    answered: HashMap<(NsId, u8, i32), i32>,
}

impl PidNamespaces {
    /// The id `id` of `kind` (not `TgidOrPgid`), as tracee `tracee` printed it, in
    /// rtrace's pid namespace: itself when the tracee shares rtrace's namespace, None
    /// when no process now has it.
    pub fn translate(&mut self, tracee: i32, id: i32, kind: PidKind) -> Option<i32> {
        if id <= 0 {
            return None;
        }
        let ours = *self.ours.get_or_insert_with(|| ns_of(0));
        let theirs = *self.tracees.entry(tracee).or_insert_with(|| ns_of(tracee));
        // As strace: when neither namespace can be read, the ids are taken as they are.
        if ours == theirs {
            return Some(id);
        }
        let theirs = theirs?;
        let key = (theirs, kind as u8, id);
        if let Some(&proc_pid) = self.answered.get(&key) {
            if let Some(ours) = translate_through(proc_pid, theirs, id, kind) {
                return Some(ours);
            }
        }
        // Every process and its threads, as strace looks: the first that answers.
        for pid in numeric_entries("/proc") {
            let threads = numeric_entries(&format!("/proc/{pid}/task"));
            for proc_pid in threads.into_iter().chain([pid]) {
                if let Some(ours) = translate_through(proc_pid, theirs, id, kind) {
                    self.answered.insert(key, proc_pid);
                    return Some(ours);
                }
            }
        }
        self.answered.remove(&key);
        None
    }

    /// A tracee is gone: its pid may name a process of another namespace later.
    pub fn forget(&mut self, tracee: i32) {
        self.tracees.remove(&tracee);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_ids_translate_to_themselves() {
        let mut ns = PidNamespaces::default();
        let me = std::process::id() as i32;
        assert_eq!(ns.translate(me, me, PidKind::Tgid), Some(me));
        assert_eq!(ns.translate(me, 0, PidKind::Tgid), None);
        assert_eq!(ns.translate(me, -1, PidKind::Tgid), None);
    }

    #[test]
    fn own_status_lists_own_ids() {
        let me = std::process::id() as i32;
        let ids = id_list(me, PidKind::Tgid).expect("NStgid in /proc/self/status");
        assert_eq!(*ids.first().unwrap(), me);
        let chain = ns_hierarchy(me, MAX_NS_DEPTH);
        assert_eq!(chain.first().copied(), ns_of(0));
        // rtrace's own namespace is the last of its own chain, so its id is its own.
        assert_eq!(
            translate_through(me, ns_of(0).unwrap(), me, PidKind::Tgid),
            Some(me)
        );
    }
}
