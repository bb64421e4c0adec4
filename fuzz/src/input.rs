//! Random syscall inputs, biased towards what breaks decoders, and their concrete form.
//!
//! A [`FuzzInput`] is abstract (a pointer is "region 1, 3 bytes before its end"), so that
//! proptest shrinks it meaningfully; [`FuzzInput::materialize`] turns it into a [`Case`]:
//! the memory regions, registers, result and options one decode sees.

use std::fmt;

use proptest::prelude::*;
use proptest::sample::select;
use rtrace_render::{ConstStyle, HexMode};
use rtrace_sdk::DecodeOptions;

pub const PAGE: u64 = 4096;

/// Where the fake tracee's regions start. All lie below 4 GiB so that 32-bit tracees
/// can point at them too; the last one ends exactly at 4 GiB when full.
pub const REGION_BASES: [u64; 3] = [0x0001_0000, 0x0040_0000, 0xffff_e000];
/// The largest each region may grow (the last one must not pass 4 GiB).
const REGION_MAX: [usize; 3] = [3 * PAGE as usize, 3 * PAGE as usize, 2 * PAGE as usize];
/// Addresses that are never mapped (none falls inside a region at any size).
pub const UNMAPPED: [u64; 3] = [0xdead_0000, 0x1000, 0x7fff_0000];

/// Values that make decoders misbehave: zero, -1, sizes around powers of two, page
/// sizes, the sign bits of 32- and 64-bit words, AT_FDCWD, -errno.
const INTERESTING: &[u64] = &[
    0,
    1,
    2,
    3,
    4,
    7,
    8,
    15,
    16,
    31,
    32,
    33,
    64,
    255,
    256,
    1024,
    4095,
    4096,
    4097,
    65535,
    65536,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_ffff,
    0x1_0000_0000,
    1 << 62,
    1 << 63,
    i64::MAX as u64,
    u64::MAX,
    u64::MAX - 1,
    -100i64 as u64,
    0xffff_ff9c,
    -4095i64 as u64,
];

/// The `AUDIT_ARCH_*` personalities a decoder may see, with their word size and order.
const ABIS: &[Abi] = &[
    Abi {
        word_size: 8,
        big_endian: false,
        audit_arch: 0xc000_003e,
    }, // x86_64
    Abi {
        word_size: 4,
        big_endian: false,
        audit_arch: 0x4000_0003,
    }, // i386
    Abi {
        word_size: 4,
        big_endian: false,
        audit_arch: 0x4000_0028,
    }, // ARM EABI
    Abi {
        word_size: 8,
        big_endian: false,
        audit_arch: 0xc000_00b7,
    }, // aarch64
    Abi {
        word_size: 4,
        big_endian: true,
        audit_arch: 0x0000_0028,
    }, // big-endian ARM
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Abi {
    pub word_size: u8,
    pub big_endian: bool,
    pub audit_arch: u32,
}

/// Where inside a region a pointer lands.
#[derive(Debug, Clone, Copy)]
pub enum Offset {
    Start,
    /// Bytes from the start (may lie past the end: unmapped).
    At(u16),
    /// Bytes before the end; 0 is the first unmapped byte after the region.
    FromEnd(u8),
}

/// One register or one word in memory.
#[derive(Debug, Clone, Copy)]
pub enum Word {
    Value(u64),
    Into { region: usize, at: Offset },
    Unmapped(usize),
}

/// A piece of a region's contents.
#[derive(Debug, Clone)]
pub enum Chunk {
    /// Anything, NULs included.
    Bytes(Vec<u8>),
    /// Never a NUL: a string that does not end here.
    NoNul(Vec<u8>),
    /// A NUL-terminated string.
    CString(Vec<u8>),
    /// One tracee word (a pointer, a length, a count).
    Word(Word),
    /// A C `int`.
    Int(u32),
    /// `n` (pointer, length) pairs whose pointer is this region's start: iovec and
    /// msghdr arrays that point at themselves.
    SelfPairs(u8, u64),
}

/// One region's contents; `run_off_end` pads it with non-NUL bytes up to a page
/// boundary, so a string started inside runs straight into unmapped memory.
#[derive(Debug, Clone)]
pub struct RegionSpec {
    pub chunks: Vec<Chunk>,
    pub run_off_end: bool,
}

/// The syscall's result.
#[derive(Debug, Clone, Copy)]
pub enum RetSpec {
    Value(u64),
    /// The same as an argument (a read returning its length).
    Arg(u8),
    /// `-errno`, with the kernel's error flag.
    Errno(u16),
}

/// One abstract syscall, before addresses are resolved.
#[derive(Debug, Clone)]
pub struct FuzzInput {
    pub abi: Abi,
    pub regions: [RegionSpec; 3],
    pub args: [Word; 6],
    /// The stack pointer at entry (rt_sigreturn reads its frame there).
    pub stack_pointer: Word,
    pub ret: RetSpec,
    pub string_limit: u32,
    pub verbose: bool,
    pub hex_strings: u8,
    /// `-e verbose=` includes the call: structures are read (else shown as addresses).
    pub dereference: bool,
    pub consts: u8,
    /// Paths for fds 0..3 (the last one longer than PATH_MAX).
    pub fd_paths: bool,
    /// `-N`: argument names.
    pub arg_names: bool,
}

/// One concrete decode: what the fake tracee holds and what the registers say.
#[derive(Clone)]
pub struct Case {
    pub abi: Abi,
    pub regions: Vec<(u64, Vec<u8>)>,
    pub args: [u64; 6],
    pub stack_pointer: u64,
    pub retval: i64,
    pub is_error: bool,
    pub options: DecodeOptions,
    pub hex: HexMode,
    pub consts: ConstStyle,
    pub fd_paths: bool,
}

impl Case {
    /// Whether `addr` is readable in this case's memory.
    pub fn is_mapped(&self, addr: u64) -> bool {
        self.regions
            .iter()
            .any(|(start, bytes)| addr >= *start && addr - start < bytes.len() as u64)
    }

    pub fn word_mask(&self) -> u64 {
        if self.abi.word_size == 4 {
            0xffff_ffff
        } else {
            u64::MAX
        }
    }
}

/// Regions as hex, so a report can be pasted back into a test.
impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Case {{")?;
        writeln!(f, "  abi: {:?},", self.abi)?;
        writeln!(f, "  args: {:#x?},", self.args)?;
        writeln!(f, "  stack_pointer: {:#x},", self.stack_pointer)?;
        writeln!(
            f,
            "  retval: {} ({:#x}), is_error: {},",
            self.retval, self.retval, self.is_error
        )?;
        writeln!(
            f,
            "  options: {:?}, hex: {:?}, consts: {:?}, fd_paths: {},",
            self.options, self.hex, self.consts, self.fd_paths
        )?;
        for (start, bytes) in &self.regions {
            write!(f, "  region {start:#x} ({} bytes):", bytes.len())?;
            for run in bytes.chunk_by(|a, b| a == b) {
                match run.len() {
                    n @ 8.. => write!(f, " {:02x}*{n}", run[0])?,
                    _ => run.iter().try_for_each(|b| write!(f, " {b:02x}"))?,
                }
            }
            writeln!(f)?;
        }
        write!(f, "}}")
    }
}

impl Chunk {
    fn len(&self, word_size: usize) -> usize {
        match self {
            Chunk::Bytes(b) | Chunk::NoNul(b) => b.len(),
            Chunk::CString(b) => b.len() + 1,
            Chunk::Word(_) => word_size,
            Chunk::Int(_) => 4,
            Chunk::SelfPairs(n, _) => usize::from(*n) * 2 * word_size,
        }
    }
}

impl FuzzInput {
    pub fn materialize(&self) -> Case {
        let word_size = usize::from(self.abi.word_size);
        let lengths: Vec<usize> = (0..3).map(|i| self.region_len(i, word_size)).collect();
        let resolve = |word: Word| -> u64 {
            let value = match word {
                Word::Value(v) => v,
                Word::Unmapped(i) => UNMAPPED[i % UNMAPPED.len()],
                Word::Into { region, at } => {
                    let region = region % 3;
                    let base = REGION_BASES[region];
                    match at {
                        Offset::Start => base,
                        Offset::At(n) => base + u64::from(n),
                        Offset::FromEnd(n) => (base + lengths[region] as u64)
                            .saturating_sub(u64::from(n))
                            .max(base),
                    }
                }
            };
            if word_size == 4 {
                value & 0xffff_ffff
            } else {
                value
            }
        };
        let regions = (0..3)
            .map(|i| {
                let spec = &self.regions[i];
                let mut bytes = Vec::with_capacity(lengths[i]);
                for chunk in &spec.chunks {
                    match chunk {
                        Chunk::Bytes(b) | Chunk::NoNul(b) => bytes.extend_from_slice(b),
                        Chunk::CString(b) => {
                            bytes.extend_from_slice(b);
                            bytes.push(0);
                        }
                        Chunk::Word(w) => self.push_word(&mut bytes, resolve(*w)),
                        Chunk::Int(v) => self.push_int(&mut bytes, *v),
                        Chunk::SelfPairs(n, len) => {
                            for _ in 0..*n {
                                self.push_word(&mut bytes, REGION_BASES[i]);
                                self.push_word(&mut bytes, *len);
                            }
                        }
                    }
                }
                bytes.truncate(REGION_MAX[i]);
                bytes.resize(lengths[i], b'A');
                (REGION_BASES[i], bytes)
            })
            .collect();
        let args = self.args.map(resolve);
        let stack_pointer = resolve(self.stack_pointer);
        let sign_extend = |v: u64| -> i64 {
            if word_size == 4 {
                i64::from(v as u32 as i32)
            } else {
                v as i64
            }
        };
        let (retval, is_error) = match self.ret {
            RetSpec::Value(v) => (sign_extend(v), false),
            RetSpec::Arg(i) => (sign_extend(args[usize::from(i) % 6]), false),
            RetSpec::Errno(e) => (-i64::from(e.clamp(1, 4095)), true),
        };
        Case {
            abi: self.abi,
            regions,
            args,
            stack_pointer,
            retval,
            is_error,
            options: DecodeOptions {
                string_limit: self.string_limit,
                verbose: self.verbose,
                hex_strings: self.hex_strings,
                dereference: self.dereference,
                arg_names: self.arg_names,
            },
            hex: match self.hex_strings {
                0 => HexMode::None,
                1 => HexMode::NonAscii,
                _ => HexMode::All,
            },
            consts: match self.consts {
                0 => ConstStyle::Abbrev,
                1 => ConstStyle::Raw,
                _ => ConstStyle::Verbose,
            },
            fd_paths: self.fd_paths,
        }
    }

    /// The region's final length: its chunks (capped), padded to a page boundary
    /// when its last string must run off the end.
    fn region_len(&self, i: usize, word_size: usize) -> usize {
        let spec = &self.regions[i];
        let len = spec
            .chunks
            .iter()
            .map(|c| c.len(word_size))
            .sum::<usize>()
            .min(REGION_MAX[i]);
        if spec.run_off_end {
            (len + 1).next_multiple_of(PAGE as usize).min(REGION_MAX[i])
        } else {
            len
        }
    }

    fn push_word(&self, bytes: &mut Vec<u8>, value: u64) {
        let width = usize::from(self.abi.word_size);
        if self.abi.big_endian {
            bytes.extend_from_slice(&value.to_be_bytes()[8 - width..]);
        } else {
            bytes.extend_from_slice(&value.to_le_bytes()[..width]);
        }
    }

    fn push_int(&self, bytes: &mut Vec<u8>, value: u32) {
        if self.abi.big_endian {
            bytes.extend_from_slice(&value.to_be_bytes());
        } else {
            bytes.extend_from_slice(&value.to_le_bytes());
        }
    }
}

fn offset() -> impl Strategy<Value = Offset> {
    prop_oneof![
        Just(Offset::Start),
        any::<u16>().prop_map(Offset::At),
        (0u8..=16).prop_map(Offset::FromEnd),
    ]
}

/// A register or memory word: mostly pointers into the regions and interesting values.
pub fn word() -> impl Strategy<Value = Word> {
    prop_oneof![
        3 => select(INTERESTING).prop_map(Word::Value),
        2 => (0u64..256).prop_map(Word::Value),
        1 => any::<u64>().prop_map(Word::Value),
        4 => (0usize..3, offset()).prop_map(|(region, at)| Word::Into { region, at }),
        2 => (0usize..UNMAPPED.len()).prop_map(Word::Unmapped),
    ]
}

fn chunk() -> impl Strategy<Value = Chunk> {
    prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..64).prop_map(Chunk::Bytes),
        1 => prop::collection::vec(1u8..=255, 0..300).prop_map(Chunk::NoNul),
        2 => prop::collection::vec(1u8..=255, 0..40).prop_map(Chunk::CString),
        4 => word().prop_map(Chunk::Word),
        2 => prop_oneof![select(INTERESTING).prop_map(|v| v as u32), any::<u32>()].prop_map(Chunk::Int),
        1 => (1u8..8, select(INTERESTING)).prop_map(|(n, len)| Chunk::SelfPairs(n, len)),
    ]
}

fn region() -> impl Strategy<Value = RegionSpec> {
    (
        prop::collection::vec(chunk(), 0..12),
        prop::bool::weighted(0.3),
    )
        .prop_map(|(chunks, run_off_end)| RegionSpec {
            chunks,
            run_off_end,
        })
}

fn ret() -> impl Strategy<Value = RetSpec> {
    prop_oneof![
        3 => select(INTERESTING).prop_map(RetSpec::Value),
        2 => (0u64..512).prop_map(RetSpec::Value),
        2 => (0u8..6).prop_map(RetSpec::Arg),
        3 => prop_oneof![1u16..150, Just(4095), Just(512), Just(516)].prop_map(RetSpec::Errno),
    ]
}

/// Every input a decoder may be given.
pub fn fuzz_input() -> impl Strategy<Value = FuzzInput> {
    let options = (
        select(&[0u32, 1, 32, 32, 4096, 65536][..]),
        any::<bool>(),
        0u8..3,
        prop::bool::weighted(0.8),
        0u8..3,
        any::<bool>(),
        any::<bool>(),
    );
    (
        select(ABIS),
        [region(), region(), region()],
        [word(), word(), word(), word(), word(), word()],
        word(),
        ret(),
        options,
    )
        .prop_map(
            |(
                abi,
                regions,
                args,
                stack_pointer,
                ret,
                (string_limit, verbose, hex_strings, dereference, consts, fd_paths, arg_names),
            )| {
                FuzzInput {
                    abi,
                    regions,
                    args,
                    stack_pointer,
                    ret,
                    string_limit,
                    verbose,
                    hex_strings,
                    dereference,
                    consts,
                    fd_paths,
                    arg_names,
                }
            },
        )
}
