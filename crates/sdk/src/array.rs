//! Arrays of fixed-size elements in tracee memory, as strace's `print_array` shows
//! them: `NULL`, the address when the first element cannot be read, at most `-s`
//! elements unless `-v` (then `...`), and `..., 0xADDR` where an element cannot be
//! read.

use crate::call::Call;
use crate::kstruct::{Fields, Layout};
use crate::value_builder::Out;

/// The largest element [`array_at`] reads.
pub const MAX_ELEMENT: usize = 64;

/// How many of `count` elements strace shows: all with `-v` or `-s 0`, else `-s`.
pub fn shown_elements(call: &Call<'_, '_>, count: u64) -> u64 {
    let limit = u64::from(call.options().string_limit);
    if call.options().verbose || limit == 0 {
        count
    } else {
        count.min(limit)
    }
}

/// The `count` elements of `size` bytes (at most [`MAX_ELEMENT`]) at `addr`, each
/// shown by `emit` from its bytes.
pub fn array_at(
    call: &Call<'_, '_>,
    out: &mut Out<'_>,
    addr: u64,
    count: u64,
    size: usize,
    mut emit: impl FnMut(&mut Out<'_>, Fields<'_>),
) {
    if addr == 0 {
        out.pointer(0);
        return;
    }
    let size = size.min(MAX_ELEMENT);
    let mut bytes = [0u8; MAX_ELEMENT];
    let layout = Layout::of(call);
    let element = |index: u64| addr.wrapping_add(index.wrapping_mul(size as u64));
    if count > 0 && !call.tracee().read_exact(addr, &mut bytes[..size]) {
        out.pointer(addr);
        return;
    }
    let shown = shown_elements(call, count);
    out.array(|out| {
        for index in 0..shown {
            if !call.tracee().read_exact(element(index), &mut bytes[..size]) {
                out.ellipsis();
                out.pointer(element(index));
                return;
            }
            emit(out, Fields::new(&bytes[..size], layout));
        }
        if shown < count {
            out.ellipsis();
        }
    });
}
