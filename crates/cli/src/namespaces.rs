//! `-e namespace=new`: after a successful clone, clone3, unshare or setns, the ids of the
//! namespaces the call entered or created, read from `/proc/PID/ns/*` and shown as the
//! return's note: `unshare(CLONE_NEWUTS) = 0 (uts:[4026532281])`.
//!
//! The namespace flags are the kernel's (the libc crate's constants); which argument
//! holds them, and whose namespaces they are (the new child's for clone/clone3), is
//! strace's rule.

/// clone3's `CLONE_INTO_CGROUP` (1 << 33, linux/sched.h): libc's constant is a c_int
/// it overflows (deprecated for that), so the header's value is written here.
const CLONE_INTO_CGROUP: u64 = 1 << 33;

/// Each namespace flag and the name of its `/proc/PID/ns` entry, in strace's order.
fn kinds() -> [(u64, &'static str); 8] {
    [
        (libc::CLONE_NEWCGROUP as u64 | CLONE_INTO_CGROUP, "cgroup"),
        (libc::CLONE_NEWIPC as u64, "ipc"),
        (libc::CLONE_NEWNS as u64, "mnt"),
        (libc::CLONE_NEWNET as u64, "net"),
        (libc::CLONE_NEWPID as u64, "pid"),
        (libc::CLONE_NEWTIME as u64, "time"),
        (libc::CLONE_NEWUTS as u64, "uts"),
        (libc::CLONE_NEWUSER as u64, "user"),
    ]
}

/// A finished call that may enter namespaces.
pub struct NamespaceCall<'a> {
    pub pid: i32,
    pub name: &'a str,
    pub args: [u64; 6],
    pub value: i64,
}

/// The `ns:[id], ...` text for `call`, if it is one of these calls, succeeded and
/// entered a namespace; `clone3_flags` reads clone3's flags (the first field of its
/// struct) from the tracee; `in_tracer_ns` gives the new thread's id in rtrace's pid
/// namespace (the tracee may be in another, where clone returns its own id).
pub fn entered(
    call: &NamespaceCall<'_>,
    clone3_flags: impl Fn(u64) -> Option<u64>,
    in_tracer_ns: impl Fn(i32) -> Option<i32>,
) -> Option<String> {
    let child = || in_tracer_ns(call.value as i32);
    let (pid, flags) = match call.name {
        // The new thread's namespaces; the signal in clone's low byte is no flag.
        "clone" => (child()?, call.args[0] & !0xff),
        "clone3" => (child()?, clone3_flags(call.args[0])?),
        "unshare" => (call.pid, call.args[0]),
        "setns" => (call.pid, call.args[1]),
        _ => return None,
    };
    if call.value < 0 || pid <= 0 {
        return None;
    }
    let ids: Vec<String> = kinds()
        .iter()
        .filter(|(flag, _)| flags & flag != 0)
        .filter_map(|(_, kind)| {
            let link = std::fs::read_link(format!("/proc/{pid}/ns/{kind}")).ok()?;
            Some(link.to_string_lossy().into_owned())
        })
        .collect();
    (!ids.is_empty()).then(|| ids.join(", "))
}
