//! Reading the kernel's structs out of tracee memory when their layout depends on the
//! tracee's word size and byte order (`timespec`, `timeval`, `iovec`, `msghdr`,
//! `sigaction`...), so one decoder serves 64-bit and 32-bit tracees alike.
//!
//! [`Layout`] says how wide a C `long` / pointer is and which byte order the tracee
//! uses; [`Fields`] reads fields out of bytes already copied from the tracee; the
//! time-struct emitters at the bottom are shared by every family that takes a timeout.

use crate::call::Call;
use crate::value_builder::Out;

/// The tracee's ABI as far as struct layouts care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Bytes in a C `long` and a pointer (4 or 8).
    pub word: usize,
    pub big_endian: bool,
}

impl Layout {
    pub const LP64: Layout = Layout {
        word: 8,
        big_endian: false,
    };
    pub const ILP32: Layout = Layout {
        word: 4,
        big_endian: false,
    };

    /// The layout of the tracee making `call`.
    pub fn of(call: &Call<'_, '_>) -> Layout {
        Layout {
            word: if call.word_size() == 4 { 4 } else { 8 },
            big_endian: call.big_endian(),
        }
    }

    /// Offsets of consecutive words.
    pub const fn words(self, n: usize) -> usize {
        self.word * n
    }

    /// `struct iovec`: `iov_base` and `iov_len`, a word each.
    pub const fn iovec_size(self) -> usize {
        self.words(2)
    }

    /// Field offsets of `struct msghdr`: name, namelen, iov, iovlen, control,
    /// controllen, flags (pointers and lengths are words; namelen and flags an int
    /// padded to one).
    pub const fn msghdr_offsets(self) -> [usize; 7] {
        let w = self.word;
        [0, w, 2 * w, 3 * w, 4 * w, 5 * w, 6 * w]
    }

    pub const fn msghdr_size(self) -> usize {
        self.words(7)
    }

    /// `struct mmsghdr`: a msghdr then `unsigned int msg_len` (at `msghdr_size`),
    /// padded to a word.
    pub const fn mmsghdr_size(self) -> usize {
        (self.msghdr_size() + 4).next_multiple_of(self.word)
    }
}

/// Bytes of one struct copied from the tracee, read field by field. A field beyond
/// the bytes reads as 0 (callers size their reads; this only keeps bad input harmless).
#[derive(Debug, Clone, Copy)]
pub struct Fields<'b> {
    pub bytes: &'b [u8],
    pub layout: Layout,
}

impl<'b> Fields<'b> {
    pub fn new(bytes: &'b [u8], layout: Layout) -> Self {
        Fields { bytes, layout }
    }

    /// An unsigned integer of `size` bytes (1, 2, 4 or 8) at `offset`, in the tracee's order.
    pub fn unsigned(&self, offset: usize, size: usize) -> u64 {
        let Some(raw) = self.bytes.get(offset..offset + size) else {
            return 0;
        };
        let mut value = 0u64;
        if self.layout.big_endian {
            for &b in raw {
                value = value << 8 | u64::from(b);
            }
        } else {
            for &b in raw.iter().rev() {
                value = value << 8 | u64::from(b);
            }
        }
        value
    }

    pub fn u16(&self, offset: usize) -> u64 {
        self.unsigned(offset, 2)
    }

    pub fn u32(&self, offset: usize) -> u64 {
        self.unsigned(offset, 4)
    }

    pub fn i32(&self, offset: usize) -> i64 {
        i64::from(self.u32(offset) as u32 as i32)
    }

    pub fn u64(&self, offset: usize) -> u64 {
        self.unsigned(offset, 8)
    }

    pub fn i64(&self, offset: usize) -> i64 {
        self.u64(offset) as i64
    }

    /// An unsigned `long` or a pointer.
    pub fn word(&self, offset: usize) -> u64 {
        self.unsigned(offset, self.layout.word)
    }

    /// A signed `long`.
    pub fn long(&self, offset: usize) -> i64 {
        let value = self.word(offset);
        if self.layout.word == 4 {
            i64::from(value as u32 as i32)
        } else {
            value as i64
        }
    }
}

/// The largest struct [`read_struct`] copies in one go.
pub const MAX_STRUCT: usize = 512;

/// Copies `len` bytes (at most [`MAX_STRUCT`]) at `addr` into `buf` and hands them to
/// `body`; when they cannot all be read, shows `addr` as strace does (`NULL` or hex).
/// Returns whether `body` ran.
pub fn with_struct(
    call: &Call<'_, '_>,
    out: &mut Out<'_>,
    addr: u64,
    len: usize,
    body: impl FnOnce(&mut Out<'_>, Fields<'_>),
) -> bool {
    let mut buf = [0u8; MAX_STRUCT];
    let len = len.min(MAX_STRUCT);
    if addr == 0 || !call.tracee().read_exact(addr, &mut buf[..len]) {
        out.pointer(addr);
        return false;
    }
    body(out, Fields::new(&buf[..len], Layout::of(call)));
    true
}

/// Which `timespec` / `timeval` a syscall takes: the native one (two `long`s) or the
/// 64-bit-time one of the `*_time64` calls on 32-bit ABIs (two 64-bit fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeAbi {
    Native,
    Time64,
}

impl TimeAbi {
    /// The size of one `timespec` / `timeval`.
    pub fn size(self, layout: Layout) -> usize {
        match self {
            TimeAbi::Native => layout.words(2),
            TimeAbi::Time64 => 16,
        }
    }

    /// The seconds and the sub-second part of the time struct at `offset`. The seconds
    /// are signed; the sub-second part is zero-extended from its own width, as strace
    /// prints it (`tv_nsec=4294967295` for a 32-bit -1).
    pub fn read(self, fields: &Fields<'_>, offset: usize) -> (i64, u64) {
        match self {
            TimeAbi::Native => (
                fields.long(offset),
                fields.word(offset + fields.layout.word),
            ),
            TimeAbi::Time64 => (fields.i64(offset), fields.u64(offset + 8)),
        }
    }

    /// The ABI of a syscall by its name: the `*_time64` variants use 64-bit times, and
    /// so does every call of a personality whose `time_t` is wider than its `long` (x32).
    pub fn of(call: &Call<'_, '_>) -> TimeAbi {
        let wide_time = usize::from(call.abi().time_size) > Layout::of(call).word;
        if wide_time || call.name().ends_with("time64") {
            TimeAbi::Time64
        } else {
            TimeAbi::Native
        }
    }
}

/// `tv_nsec` or `tv_usec`: the two kinds of time struct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// `struct timespec`.
    Nanos,
    /// `struct timeval`.
    Micros,
}

impl TimeUnit {
    fn subsecond_field(self) -> &'static str {
        match self {
            TimeUnit::Nanos => "tv_nsec",
            TimeUnit::Micros => "tv_usec",
        }
    }
}

/// `{tv_sec=1, tv_nsec=500}` from the time struct at `offset` of `fields`.
pub fn emit_time(
    out: &mut Out<'_>,
    fields: &Fields<'_>,
    offset: usize,
    abi: TimeAbi,
    unit: TimeUnit,
) {
    let (sec, sub) = abi.read(fields, offset);
    out.begin_struct();
    out.field("tv_sec");
    out.int(sec);
    out.field(unit.subsecond_field());
    out.uint(sub);
    out.end();
}

/// `{it_interval={...}, it_value={...}}` (itimerspec, itimerval) at `offset`.
pub fn emit_interval_time(
    out: &mut Out<'_>,
    fields: &Fields<'_>,
    offset: usize,
    abi: TimeAbi,
    unit: TimeUnit,
) {
    let one = abi.size(fields.layout);
    out.begin_struct();
    out.field("it_interval");
    emit_time(out, fields, offset, abi, unit);
    out.field("it_value");
    emit_time(out, fields, offset + one, abi, unit);
    out.end();
}

/// A `timespec` / `timeval` pointer argument: `NULL`, the struct, or the address.
pub fn time_at(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, abi: TimeAbi, unit: TimeUnit) {
    let size = abi.size(Layout::of(call));
    with_struct(call, out, addr, size, |out, f| {
        emit_time(out, &f, 0, abi, unit)
    });
}

/// An `itimerspec` / `itimerval` pointer argument.
pub fn interval_time_at(
    call: &Call<'_, '_>,
    out: &mut Out<'_>,
    addr: u64,
    abi: TimeAbi,
    unit: TimeUnit,
) {
    let size = 2 * abi.size(Layout::of(call));
    with_struct(call, out, addr, size, |out, f| {
        emit_interval_time(out, &f, 0, abi, unit)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_follow_word_size_and_byte_order() {
        let bytes = [1u8, 0, 0, 0, 0xff, 0xff, 0xff, 0xff];
        let le32 = Fields::new(&bytes, Layout::ILP32);
        assert_eq!(le32.word(0), 1);
        assert_eq!(le32.long(4), -1);
        let le64 = Fields::new(&bytes, Layout::LP64);
        assert_eq!(le64.word(0), 0xffff_ffff_0000_0001);
        let be32 = Fields::new(
            &bytes,
            Layout {
                word: 4,
                big_endian: true,
            },
        );
        assert_eq!(be32.word(0), 0x0100_0000);
        assert_eq!(le32.u32(100), 0, "out of range reads as 0");
    }

    #[test]
    fn time_abis_read_two_longs_or_two_64_bit_fields() {
        let mut bytes = [0u8; 16];
        bytes[0] = 5;
        bytes[4] = 7;
        let f = Fields::new(&bytes, Layout::ILP32);
        assert_eq!(TimeAbi::Native.read(&f, 0), (5, 7));
        assert_eq!(TimeAbi::Time64.read(&f, 0), (0x0000_0007_0000_0005, 0));
        bytes[4..8].copy_from_slice(&(-1i32).to_le_bytes());
        let f = Fields::new(&bytes, Layout::ILP32);
        assert_eq!(
            TimeAbi::Native.read(&f, 0),
            (5, 0xffff_ffff),
            "the sub-second part zero-extended from 32 bits"
        );
        assert_eq!(TimeAbi::Native.size(Layout::ILP32), 8);
        assert_eq!(TimeAbi::Time64.size(Layout::ILP32), 16);
    }
}
