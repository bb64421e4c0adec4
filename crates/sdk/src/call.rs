//! [`Call`]: a decoder's safe view of the syscall being decoded.

use rtrace_plugin_api::{AbiFacts, CallContext, DecodeOptions};

use crate::tracee::Tracee;

/// The syscall being decoded: its raw arguments, result and the tracee's memory.
pub struct Call<'c, 'a> {
    ctx: &'c mut CallContext<'a>,
}

impl<'c, 'a> Call<'c, 'a> {
    pub fn new(ctx: &'c mut CallContext<'a>) -> Self {
        Call { ctx }
    }

    pub fn name(&self) -> &str {
        self.ctx.name.as_str()
    }

    /// Argument `index` (0-based), zero-extended.
    pub fn arg(&self, index: usize) -> u64 {
        self.ctx.args.get(index).copied().unwrap_or(0)
    }

    /// Argument `index` as a C `int` (the kernel ignores the upper half of the register).
    pub fn arg_int(&self, index: usize) -> i64 {
        i64::from(self.arg(index) as u32 as i32)
    }

    /// Argument `index` as a signed word of the tracee (`long`, `off_t`, `ssize_t`).
    pub fn arg_long(&self, index: usize) -> i64 {
        self.sign_extend_word(self.arg(index))
    }

    /// Argument `index` as an unsigned word of the tracee (`size_t`).
    pub fn arg_ulong(&self, index: usize) -> u64 {
        let value = self.arg(index);
        if self.ctx.word_size == 4 {
            value & 0xffff_ffff
        } else {
            value
        }
    }

    /// At exit: the return value (`-errno` when [`is_error`](Self::is_error)).
    pub fn retval(&self) -> i64 {
        self.ctx.retval
    }

    pub fn is_error(&self) -> bool {
        self.ctx.is_error
    }

    pub fn pid(&self) -> i32 {
        self.ctx.pid
    }

    pub fn word_size(&self) -> u8 {
        self.ctx.word_size
    }

    /// The tracee's byte order (struct layouts, see `kstruct::Layout`).
    pub fn big_endian(&self) -> bool {
        self.ctx.big_endian
    }

    /// The tracee's architecture as an `AUDIT_ARCH_*` value.
    pub fn audit_arch(&self) -> u32 {
        self.ctx.audit_arch
    }

    pub fn options(&self) -> DecodeOptions {
        self.ctx.options
    }

    /// Space kept from entry to exit of the same call.
    pub fn scratch(&mut self) -> &mut [u64; 4] {
        &mut self.ctx.scratch
    }

    /// A copy of the words kept from entry ([`Call::scratch`]), for code holding
    /// the call shared.
    pub fn scratch_copy(&self) -> [u64; 4] {
        self.ctx.scratch
    }

    /// The stack pointer at syscall entry, or 0 when the host does not know it.
    /// How the tracee's personality lays out structures and arguments: ask this, never
    /// the architecture's name.
    pub fn abi(&self) -> &AbiFacts {
        &self.ctx.abi
    }

    pub fn stack_pointer(&self) -> u64 {
        self.ctx.stack_pointer
    }

    pub fn tracee(&self) -> Tracee<'_> {
        Tracee::with_structures(&self.ctx.host, self.ctx.options.dereference)
    }

    fn sign_extend_word(&self, value: u64) -> i64 {
        if self.ctx.word_size == 4 {
            i64::from(value as u32 as i32)
        } else {
            value as i64
        }
    }
}
