//! CPU affinity masks (sched_setaffinity / sched_getaffinity) as strace's `[0 1 3]`.

use rtrace_sdk::{Call, Out};

/// The largest CPU set shown (8192 CPUs).
const MAX_CPUSET_BYTES: usize = 1024;

/// A CPU set of `len` bytes at `addr`: the numbers of the CPUs in it, `[0 1]`.
fn cpu_set(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, len: u64) {
    let len = (len as usize).min(MAX_CPUSET_BYTES);
    let mut raw = [0u8; MAX_CPUSET_BYTES];
    if !call.tracee().read_exact(addr, &mut raw[..len]) {
        out.pointer(addr);
        return;
    }
    // The kernel's bitmap is an array of longs: on a big-endian tracee the bytes of
    // each word are reversed relative to the bit numbering.
    let word = usize::from(call.word_size());
    out.begin_set();
    for bit in 0..len * 8 {
        let mut byte = bit / 8;
        if call.big_endian() {
            byte = byte / word * word + (word - 1 - byte % word);
        }
        if raw.get(byte).is_some_and(|b| b & (1 << (bit % 8)) != 0) {
            out.uint(bit as u64);
        }
    }
    out.end();
}

pub fn cpu_set_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    cpu_set(call, out, addr, call.arg_ulong(1));
}

/// sched_getaffinity's set: as many bytes as the call returned.
pub fn cpu_set_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
    } else {
        cpu_set(call, out, addr, call.retval().max(0) as u64);
    }
}
