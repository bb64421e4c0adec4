//! The register ABI of a traced architecture, as one trait.
//!
//! Owns: the [`RegisterAbi`] trait (where the syscall number, the six arguments and
//! the return value live; word size; byte order; the number-to-name table) and the
//! [`SyscallRecord`] that the engine's raw stops become.
//!
//! Must not know: ptrace itself (the engine hands over raw bytes), any syscall's
//! meaning beyond its name and argument count, or how anything is printed.

pub mod multiplexed;

/// The layout facts an ABI states, in the plugin interface's types: the host hands them
/// to decoders as they are.
pub use rtrace_plugin_api::{AbiFacts, OpenFlagValues, SigmaskAt, StatLayout};

/// One syscall of an architecture's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyscallDesc {
    pub number: u32,
    pub name: &'static str,
    /// How many arguments the syscall takes (what a raw decode prints).
    pub nargs: u8,
}

/// An architecture's syscall table, sorted by number.
#[derive(Debug, Clone, Copy)]
pub struct SyscallTable {
    pub entries: &'static [SyscallDesc],
}

impl SyscallTable {
    pub fn by_number(&self, number: u64) -> Option<&'static SyscallDesc> {
        let number = u32::try_from(number).ok()?;
        // Most tables are dense from zero, so try the direct index first.
        let entries = self.entries;
        if let Some(desc) = entries.get(number as usize) {
            if desc.number == number {
                return Some(desc);
            }
        }
        entries
            .binary_search_by_key(&number, |d| d.number)
            .ok()
            .map(|i| &entries[i])
    }

    pub fn by_name(&self, name: &str) -> Option<&'static SyscallDesc> {
        self.entries.iter().find(|d| d.name == name)
    }
}

/// A syscall as the arch layer understands it, ready for decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyscallRecord {
    pub number: u64,
    pub args: [u64; 6],
    /// `None` for a number the table does not know (`syscall_0x1f4`).
    pub desc: Option<&'static SyscallDesc>,
}

/// The register buffer the engine hands over and the target-order word reading, from
/// their one home (rtrace-target-bytes), so the arch crates name them through this one.
pub use rtrace_target_bytes::{word_from_bytes, RawRegs};

/// Where the kernel keeps the number of the syscall a thread is entering, for a tracer
/// that changes it without PTRACE_SET_SYSCALL_INFO (kernels before 6.16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberSlot {
    /// In a general register of the register set (`orig_rax`, `orig_eax`): written with
    /// [`RegisterAbi::set_number_in_regs`] and the whole set written back.
    GeneralRegisters,
    /// Apart from the register set (ARM's and aarch64's `syscallno`): a 32-bit value
    /// written by its own request (ARM's PTRACE_SET_SYSCALL, aarch64's
    /// NT_ARM_SYSTEM_CALL register set), which the engine picks for its build.
    Separate,
}

/// The registers a stack walk starts from: the program counter, the stack pointer, the
/// frame pointer (`rbp`, `x29`) and the link register (`x30`; 0 where there is none).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FrameRegisters {
    pub pc: u64,
    pub sp: u64,
    pub fp: u64,
    pub lr: u64,
}

/// Where one architecture keeps a syscall's number, arguments and result.
pub trait RegisterAbi: Sync + Send {
    /// Short name, as shown in JSON output (`x86_64`, `arm`).
    fn name(&self) -> &'static str;
    /// The `AUDIT_ARCH_*` value PTRACE_GET_SYSCALL_INFO reports for this ABI.
    fn audit_arch(&self) -> u32;
    /// Bytes per word in the tracee.
    fn word_size(&self) -> u8;
    /// Bytes per pointer in the tracee's own code; an address wider than that is none
    /// of its memory. The word size, except where registers are wider (x32).
    fn pointer_size(&self) -> u8 {
        self.word_size()
    }
    fn big_endian(&self) -> bool;
    fn syscalls(&self) -> &'static SyscallTable;
    /// How this personality lays out what decoders read: the facts a decoder would
    /// otherwise learn by matching on the architecture's name.
    fn layout(&self) -> AbiFacts;

    /// The syscall number and six arguments at a syscall-entry stop, from registers.
    fn entry_from_regs(&self, regs: &RawRegs) -> (u64, [u64; 6]);
    /// The return value at a syscall-exit stop, from registers, sign-extended.
    fn return_from_regs(&self, regs: &RawRegs) -> i64;

    /// Bytes of the general registers PTRACE_GETREGSET (NT_PRSTATUS) returns for a thread
    /// in this personality: a set of another length is laid out for another one (`int
    /// $0x80` from 64-bit code is an i386 call in x86_64 registers) and is not written.
    fn regset_size(&self) -> usize;
    /// Where a changed syscall number goes when the kernel lacks PTRACE_SET_SYSCALL_INFO.
    fn number_slot(&self) -> NumberSlot {
        NumberSlot::GeneralRegisters
    }
    /// Writes a syscall number where [`RegisterAbi::entry_from_regs`] reads it (for
    /// [`NumberSlot::GeneralRegisters`]; a no-op where the number lives apart).
    fn set_number_in_regs(&self, regs: &mut RawRegs, number: u64);
    /// Writes a return value (`-errno` for an error) where
    /// [`RegisterAbi::return_from_regs`] reads it.
    fn set_return_in_regs(&self, regs: &mut RawRegs, value: i64);

    /// strace's name for this personality in `[ Process PID=N runs in MODE mode. ]`:
    /// `64 bit`, `32 bit` or `x32`.
    fn mode(&self) -> &'static str {
        if self.word_size() == 8 {
            "64 bit"
        } else {
            "32 bit"
        }
    }

    /// Bytes of the registers that carry arguments and the result. Equal to the word size
    /// except on x32, whose 32-bit programs pass 64-bit values (off_t) in 64-bit registers.
    fn register_size(&self) -> u8 {
        self.word_size()
    }

    /// Whether a stop the kernel reports with this `AUDIT_ARCH_*` and number belongs to
    /// this ABI. x86_64 and x32 share AUDIT_ARCH_X86_64 and differ by a bit of the number.
    fn claims(&self, audit_arch: u32, _number: u64) -> bool {
        audit_arch == self.audit_arch()
    }

    /// Bits the kernel sets in every syscall number of this ABI (x32's
    /// `__X32_SYSCALL_BIT`); tables and strace's `-n` count numbers without them.
    fn number_bits(&self) -> u64 {
        0
    }

    /// The number as this ABI's table and strace's `-n` count it.
    fn table_number(&self, kernel_number: u64) -> u64 {
        kernel_number & !self.number_bits()
    }

    /// Builds the record for a syscall number as the kernel reports it and its raw
    /// arguments, truncating arguments to the register size so a 32-bit tracee's values
    /// are not polluted.
    fn record(&self, kernel_number: u64, mut args: [u64; 6]) -> SyscallRecord {
        if self.register_size() == 4 {
            for a in &mut args {
                *a &= 0xffff_ffff;
            }
        }
        let number = self.table_number(kernel_number);
        SyscallRecord {
            number,
            args,
            desc: self.syscalls().by_number(number),
        }
    }

    /// The registers a stack walk starts from (`-k`), for the personalities rtrace
    /// can unwind natively; `None` for the others.
    fn frame_registers(&self, _regs: &RawRegs) -> Option<FrameRegisters> {
        None
    }

    /// A return value as the kernel meant it: on a 32-bit ABI the low word, sign-extended.
    fn normalize_return(&self, raw: i64) -> i64 {
        if self.register_size() == 4 {
            raw as i32 as i64
        } else {
            raw
        }
    }
}

/// `__AUDIT_ARCH_64BIT` and `__AUDIT_ARCH_LE`, the flags every `AUDIT_ARCH_*` carries.
const AUDIT_ARCH_64BIT: u32 = 0x8000_0000;
const AUDIT_ARCH_LE: u32 = 0x4000_0000;

/// An empty table: a personality this build does not know names no syscall.
static NO_SYSCALLS: SyscallTable = SyscallTable { entries: &[] };

/// A personality this build has no ABI for, known only by the `AUDIT_ARCH_*` value that
/// PTRACE_GET_SYSCALL_INFO reported. Its calls are shown as strace shows a number it
/// does not know (`syscall_0x1f4(...)` with six raw arguments), never dropped; word size
/// and byte order come from the audit arch's flags.
pub struct UnknownAbi {
    audit_arch: u32,
    name: &'static str,
}

impl UnknownAbi {
    /// `name` is what JSON output calls the personality.
    pub const fn new(audit_arch: u32, name: &'static str) -> Self {
        UnknownAbi { audit_arch, name }
    }
}

impl RegisterAbi for UnknownAbi {
    fn name(&self) -> &'static str {
        self.name
    }
    fn audit_arch(&self) -> u32 {
        self.audit_arch
    }
    fn word_size(&self) -> u8 {
        if self.audit_arch & AUDIT_ARCH_64BIT != 0 {
            8
        } else {
            4
        }
    }
    fn big_endian(&self) -> bool {
        self.audit_arch & AUDIT_ARCH_LE == 0
    }
    fn syscalls(&self) -> &'static SyscallTable {
        &NO_SYSCALLS
    }
    /// Nothing is known: what a decoder could need never comes up, as an unknown
    /// personality's calls have no names and print raw.
    fn layout(&self) -> AbiFacts {
        AbiFacts {
            u64_align: self.word_size(),
            pairs_aligned: false,
            clone_tls_before_child_tid: true,
            legacy_16bit_ids: false,
            epoll_packed: false,
            tls_is_user_desc: false,
            time_size: self.word_size(),
            open_flags: OpenFlagValues::Generic,
            stat: StatLayout::Generic64,
            rt_sigreturn_mask: SigmaskAt::Unknown,
            sigreturn_mask: SigmaskAt::Unknown,
        }
    }
    /// Register stops (kernels without PTRACE_GET_SYSCALL_INFO) carry no audit arch and
    /// are always read as the tracer's own ABI, so an unknown one has no layout to read:
    /// nothing is taken from the registers.
    fn entry_from_regs(&self, _regs: &RawRegs) -> (u64, [u64; 6]) {
        (u64::MAX, [0; 6])
    }
    fn return_from_regs(&self, _regs: &RawRegs) -> i64 {
        0
    }
    /// No layout is known: nothing is ever written.
    fn regset_size(&self) -> usize {
        0
    }
    /// Never called: tampering needs a named syscall, and an unknown personality has none.
    fn set_number_in_regs(&self, _regs: &mut RawRegs, _number: u64) {}
    fn set_return_in_regs(&self, _regs: &mut RawRegs, _value: i64) {}
}

/// The kernel reports errors as returns in [-4095, -1].
pub fn is_error_return(value: i64) -> bool {
    (-4095..0).contains(&value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_personality_takes_its_word_size_from_the_audit_arch() {
        let riscv64 = UnknownAbi::new(0xc000_00f3, "audit_arch_0xc00000f3");
        let s390 = UnknownAbi::new(0x0000_0016, "audit_arch_0x16");
        assert_eq!((riscv64.word_size(), riscv64.big_endian()), (8, false));
        assert_eq!((s390.word_size(), s390.big_endian()), (4, true));
        let record = s390.record(5, [u64::MAX; 6]);
        assert_eq!(
            (record.number, record.args[0], record.desc),
            (5, 0xffff_ffff, None)
        );
    }

    static ENTRIES: [SyscallDesc; 3] = [
        SyscallDesc {
            number: 0,
            name: "read",
            nargs: 3,
        },
        SyscallDesc {
            number: 1,
            name: "write",
            nargs: 3,
        },
        SyscallDesc {
            number: 0x0f0005,
            name: "set_tls",
            nargs: 1,
        },
    ];
    static TABLE: SyscallTable = SyscallTable { entries: &ENTRIES };

    #[test]
    fn lookup_dense_and_sparse_numbers() {
        assert_eq!(TABLE.by_number(1).unwrap().name, "write");
        assert_eq!(TABLE.by_number(0x0f0005).unwrap().name, "set_tls");
        assert!(TABLE.by_number(2).is_none());
        assert!(TABLE.by_number(u64::MAX).is_none());
        assert_eq!(TABLE.by_name("read").unwrap().number, 0);
    }

    #[test]
    fn raw_regs_words_honour_width_and_order() {
        let mut regs = RawRegs::default();
        regs.0[4..8].copy_from_slice(&[1, 2, 3, 4]);
        assert_eq!(regs.word(1, 4, false), 0x0403_0201);
        assert_eq!(regs.word(1, 4, true), 0x0102_0304);
    }

    #[test]
    fn raw_regs_writes_read_back() {
        let mut regs = RawRegs::default();
        regs.set_word(2, 4, false, 0xffff_ffff_0102_0304);
        assert_eq!(&regs.0[8..12], &[4, 3, 2, 1]);
        assert_eq!(regs.word(2, 4, false), 0x0102_0304);
        regs.set_word(1, 8, true, u64::MAX - 1);
        assert_eq!(regs.word(1, 8, true), u64::MAX - 1);
        assert_eq!(regs.0[15], 0xfe);
    }

    #[test]
    fn error_range() {
        assert!(is_error_return(-2));
        assert!(is_error_return(-4095));
        assert!(!is_error_return(-4096));
        assert!(!is_error_return(0));
    }
}
