//! get_robust_list's outputs: the list head and its length, each a tracee word.

use rtrace_sdk::{Call, Out};

/// get_robust_list's outputs: `[0x7f...]` and `[24]`, each a tracee word.
pub fn word_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let value = call.tracee().read_word(addr).filter(|_| !call.is_error());
    match value {
        Some(word) => {
            out.begin_array();
            if call.name() == "get_robust_list" && addr == call.arg_ulong(1) {
                out.pointer(word);
            } else {
                out.uint(word);
            }
            out.end();
        }
        None => out.pointer(addr),
    }
}
