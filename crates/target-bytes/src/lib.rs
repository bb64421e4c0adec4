//! Bytes as the traced target lays them out, below every stage that handles them.
//!
//! Owns: [`RawRegs`], the register buffer the engine fills (PTRACE_GETREGSET) and the
//! arch crates interpret, and [`word_from_bytes`], the one reading of a word in the
//! target's width and byte order (registers, memory read by the decode host, the
//! session's `socketcall`/`ipc` argument blocks).
//!
//! Must not know: any architecture's register layout, ptrace, syscalls, output. It is
//! a leaf: the engine, the arch crates and the decode host use it without knowing
//! each other.

/// The general-purpose registers of a stopped thread, as PTRACE_GETREGSET returns them,
/// for kernels without PTRACE_GET_SYSCALL_INFO. Sized for the largest architecture.
#[derive(Clone, Copy)]
#[repr(C, align(8))]
pub struct RawRegs(pub [u8; 512]);

impl Default for RawRegs {
    fn default() -> Self {
        RawRegs([0; 512])
    }
}

impl RawRegs {
    /// Reads the `index`th native word of `width` bytes, little- or big-endian.
    pub fn word(&self, index: usize, width: usize, big_endian: bool) -> u64 {
        word_from_bytes(&self.0[index * width..(index + 1) * width], big_endian)
    }

    /// Writes the `index`th native word of `width` bytes (the low bytes of `value`), in
    /// the given byte order: what [`RawRegs::word`] reads back.
    pub fn set_word(&mut self, index: usize, width: usize, big_endian: bool, value: u64) {
        let slot = &mut self.0[index * width..(index + 1) * width];
        for (i, b) in slot.iter_mut().enumerate() {
            let shift = if big_endian {
                (width - 1 - i) * 8
            } else {
                i * 8
            };
            *b = (value >> shift) as u8;
        }
    }
}

/// An unsigned word of `bytes.len()` (at most 8) bytes in the given byte order: a
/// register's, or one read from tracee memory.
pub fn word_from_bytes(bytes: &[u8], big_endian: bool) -> u64 {
    let width = bytes.len();
    let mut value = 0u64;
    for (i, &b) in bytes.iter().enumerate() {
        let shift = if big_endian {
            (width - 1 - i) * 8
        } else {
            i * 8
        };
        value |= u64::from(b) << shift;
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_either_byte_order() {
        assert_eq!(word_from_bytes(&[1, 2, 3, 4], false), 0x0403_0201);
        assert_eq!(word_from_bytes(&[1, 2, 3, 4], true), 0x0102_0304);
        assert_eq!(word_from_bytes(&[0xff; 8], false), u64::MAX);
        assert_eq!(word_from_bytes(&[], true), 0);
    }

    #[test]
    fn register_words_by_index() {
        let mut regs = RawRegs::default();
        regs.0[8..12].copy_from_slice(&[0x78, 0x56, 0x34, 0x12]);
        assert_eq!(regs.word(2, 4, false), 0x1234_5678);
        assert_eq!(regs.word(1, 8, false), 0x1234_5678);
        assert_eq!(regs.word(2, 4, true), 0x7856_3412);
    }
}
