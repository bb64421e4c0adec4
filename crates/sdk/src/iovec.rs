//! `struct iovec` arrays as strace prints them: `[{iov_base="data", iov_len=7}, ...]`,
//! or with `iov_base` as an address when the contents are not meaningful. The struct
//! is two tracee words, so one decoder serves 32- and 64-bit tracees.
//!
//! Shared by every family with vectored I/O (readv/writev in fs, process_vm_readv in
//! mem, sendmsg in net).

use crate::call::Call;
use crate::kstruct::{Fields, Layout};
use crate::value_builder::Out;

/// What each element's `iov_base` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IovContents {
    /// The bytes, at most this many over the whole array (a read's result);
    /// `u64::MAX` for all of them (a write's input).
    Bytes(u64),
    /// The address only (remote iovecs, and local ones of a failed call).
    Address,
}

/// `(iov_base, iov_len)` of the iovec at `addr`, if readable.
fn read_iovec(call: &Call<'_, '_>, layout: Layout, addr: u64) -> Option<(u64, u64)> {
    let mut raw = [0u8; 16];
    let raw = &mut raw[..layout.iovec_size()];
    if !call.tracee().read_exact(addr, raw) {
        return None;
    }
    let fields = Fields::new(raw, layout);
    Some((fields.word(0), fields.word(layout.word)))
}

/// The array of `count` iovecs at `addr`: `NULL`, `[]`, the elements (at most `-s`
/// of them unless `-v`, then `...`), or the address when the first element is
/// unreadable.
pub fn iovec_array(
    call: &Call<'_, '_>,
    out: &mut Out<'_>,
    addr: u64,
    count: u64,
    contents: IovContents,
) {
    let limit = call.options().string_limit;
    iovec_array_with(
        call,
        out,
        addr,
        count,
        contents,
        |call, out, base, shown| out.buffer_at(call.tracee(), base, shown, limit),
    );
}

/// [`iovec_array`] whose `iov_base` contents (`shown` bytes at `base`, with
/// [`IovContents::Bytes`]) are shown by `show`: sendmsg on a netlink socket shows
/// netlink messages there.
pub fn iovec_array_with(
    call: &Call<'_, '_>,
    out: &mut Out<'_>,
    addr: u64,
    count: u64,
    contents: IovContents,
    mut show: impl FnMut(&Call<'_, '_>, &mut Out<'_>, u64, u64),
) {
    if addr == 0 {
        out.pointer(0);
        return;
    }
    let layout = Layout::of(call);
    let stride = layout.iovec_size() as u64;
    let element_limit = if call.options().verbose {
        0
    } else {
        u64::from(call.options().string_limit)
    };
    let mut remaining = match contents {
        IovContents::Bytes(n) => n,
        IovContents::Address => 0,
    };
    if count > 0 && read_iovec(call, layout, addr).is_none() {
        out.pointer(addr);
        return;
    }
    out.begin_array();
    for index in 0..count {
        if element_limit != 0 && index == element_limit {
            out.ellipsis();
            break;
        }
        let element = addr.wrapping_add(index * stride);
        let Some((base, len)) = read_iovec(call, layout, element) else {
            // strace ends an array that runs into unreadable memory with its address.
            out.ellipsis();
            out.pointer(element);
            break;
        };
        out.begin_struct();
        out.field("iov_base");
        match contents {
            IovContents::Address => out.pointer(base),
            IovContents::Bytes(_) => {
                let shown = len.min(remaining);
                if remaining != u64::MAX {
                    remaining -= shown;
                }
                show(call, out, base, shown);
            }
        }
        out.field("iov_len");
        out.uint(len);
        out.end();
    }
    out.end();
}
