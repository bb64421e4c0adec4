//! Signal sets as strace prints them: `[CHLD TTOU]`, the complement `~[RTMIN RT_1]`
//! when at least half the bits are set, `[]` when empty. Members drop the `SIG`
//! prefix; real-time signals are `RTMIN`, `RT_1`...

use crate::call::Call;
use crate::kstruct::{Fields, Layout};
use crate::signals::signal_name;
use crate::value_builder::Out;
use rtrace_plugin_api::Token;

/// The kernel's `sigset_t` size on the generic ABIs (64 signals).
pub const KERNEL_SIGSET_BYTES: usize = 8;

impl Out<'_> {
    /// The set held in `bytes` (a kernel sigset of 4 or 8 bytes, read as 32-bit words
    /// in the tracee's byte order).
    pub fn sigset(&mut self, bytes: &[u8], layout: Layout) {
        let fields = Fields::new(bytes, layout);
        let mut mask = 0u64;
        for (i, offset) in (0..bytes.len().min(8)).step_by(4).enumerate() {
            mask |= fields.u32(offset) << (32 * i);
        }
        let bits = (bytes.len().min(8) * 8) as u32;
        if bits > 0 && mask.count_ones() >= bits / 2 {
            // The renderer has no "complement" group, so `~[...]` is one literal value.
            let em = self.emitter();
            let start = em.bytes.len();
            let _ = write_sigset_text(&mut em.bytes, mask, bits);
            let len = (em.bytes.len() - start) as u32;
            self.token(Token::Text {
                start: start as u32,
                len,
            });
            return;
        }
        self.begin_set();
        for sig in members(mask, bits) {
            self.signal_set_member(sig);
        }
        self.end();
    }

    fn signal_set_member(&mut self, sig: i64) {
        match signal_name(sig) {
            Some(name) => self.named(&name[3..], sig, false),
            None => self.int(sig),
        }
    }
}

/// A `sigset_t *` argument of `len` bytes: the set, or the address when `len` is not a
/// plausible sigset size (less than a word, more than the kernel's) or unreadable.
pub fn sigset_at(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, len: u64) {
    let layout = Layout::of(call);
    if addr == 0 {
        out.pointer(0);
        return;
    }
    if len < layout.word as u64 || len > KERNEL_SIGSET_BYTES as u64 {
        out.pointer(addr);
        return;
    }
    let mut buf = [0u8; KERNEL_SIGSET_BYTES];
    let buf = &mut buf[..len as usize];
    if !call.tracee().read_exact(addr, buf) {
        out.pointer(addr);
        return;
    }
    out.sigset(buf, layout);
}

/// The signal numbers whose bits are set in `mask` (bit 0 is signal 1).
fn members(mask: u64, bits: u32) -> impl Iterator<Item = i64> {
    (0..bits)
        .filter(move |bit| mask & (1 << bit) != 0)
        .map(|bit| i64::from(bit) + 1)
}

/// A set member as text.
fn write_member(buf: &mut impl std::io::Write, sig: i64) -> std::io::Result<()> {
    match signal_name(sig) {
        Some(name) => buf.write_all(&name.as_bytes()[3..]),
        None => write!(buf, "{sig}"),
    }
}

/// The set of `bits` signals in `mask` (bit 0 is signal 1) as one piece of text:
/// `[CHLD TTOU]`, or `~[RTMIN RT_1]` when at least half the bits are set. For whoever
/// prints a set outside a decoder's tokens (a signalfd's mask after its descriptor).
pub fn write_sigset_text(
    out: &mut impl std::io::Write,
    mask: u64,
    bits: u32,
) -> std::io::Result<()> {
    let all = if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    };
    let (shown, prefix): (u64, &[u8]) = if bits > 0 && mask.count_ones() >= bits / 2 {
        (!mask & all, b"~[")
    } else {
        (mask & all, b"[")
    };
    out.write_all(prefix)?;
    for (i, sig) in members(shown, bits).enumerate() {
        if i > 0 {
            out.write_all(b" ")?;
        }
        write_member(out, sig)?;
    }
    out.write_all(b"]")
}
