//! The rtrace plugin interface: every type that crosses the boundary between the
//! host (the `rtrace` binary) and a decoder plugin (a cdylib).
//!
//! Owns: the root module a plugin exports ([`PluginMod`]), the per-call context the
//! host hands in ([`CallContext`]), the fallible host services ([`HostServices`]) and
//! the token stream a decoder writes its typed values into ([`Emitter`], [`Token`]).
//!
//! Must not know: ptrace, any architecture, any syscall's meaning, or how values are
//! rendered. It is a contract, nothing more; plugin authors use it through `rtrace-sdk`.
//!
//! Compatibility: the root module is an abi_stable prefix type, which takes a plugin
//! with more fields than the host's (a newer plugin) but refuses one with fewer. What
//! older plugins must keep loading with is therefore added beside it, as an optional
//! exported symbol ([`FINGERPRINT_SYMBOL`], [`CONFIGURE_SYMBOL`]) or section
//! ([`CLAIMS_SECTION`]); PLUGINS.md says how the interface may grow.

mod claims;

pub use claims::{claims_bytes, claims_len, parse_claims, Claims, CLAIMS_MAGIC, CLAIMS_SECTION};

use std::ffi::c_void;
use std::marker::PhantomData;

use abi_stable::{
    declare_root_module_statics,
    library::RootModule,
    package_version_strings,
    sabi_types::VersionStrings,
    std_types::{RSlice, RStr, RString, RVec},
    StableAbi,
};

/// The version of this interface, as the host checks it before loading a plugin.
pub const INTERFACE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A hash of this file's text and [`INTERFACE_VERSION`]. Every type that crosses the
/// boundary is defined here, so a plugin that reports the host's fingerprint was built
/// from the very same definitions and its layout cannot differ: the host then skips
/// abi_stable's layout check, most of the cost of loading a plugin. Any other value
/// (an older compatible plugin, an edited copy, a plugin exporting none) gets the full check.
pub const INTERFACE_FINGERPRINT: u64 = fingerprint(include_bytes!("lib.rs"), INTERFACE_VERSION);

/// The symbol under which a plugin exports its [`INTERFACE_FINGERPRINT`] as a `u64`
/// static (the SDK's `export_plugin!` does it).
pub const FINGERPRINT_SYMBOL: &str = "rtrace_interface_fingerprint";

/// FNV-1a over the source, then the version: computed by the compiler, so host and
/// plugin each carry the value of the definitions they were built from.
const fn fingerprint(source: &[u8], version: &str) -> u64 {
    fnv1a(fnv1a(FNV1A_OFFSET_BASIS, source), version.as_bytes())
}

/// FNV-1a's starting value.
pub const FNV1A_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;

/// Continues an FNV-1a hash over `bytes` (a `const fn`, for the fingerprint; the fuzz
/// crate's seeds use it too).
pub const fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut i = 0;
    while i < bytes.len() {
        hash = (hash ^ bytes[i] as u64).wrapping_mul(PRIME);
        i += 1;
    }
    hash
}

/// Which half of a syscall a decoder is asked about.
#[repr(u8)]
#[derive(StableAbi, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The syscall is about to run: arguments are as the tracee passed them.
    Entry,
    /// The syscall has returned: `CallContext::retval` is valid and output
    /// buffers have been filled by the kernel.
    Exit,
}

/// How a string-like byte buffer is shown.
#[repr(u8)]
#[derive(StableAbi, Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrStyle {
    /// A C string literal with escapes, subject to `-x` / `-xx`.
    Quoted,
    /// Every byte as `\xNN` (getrandom's buffer).
    Hex,
    /// A path: never truncated by the string limit.
    Path,
}

/// What a process id names, as strace tells them apart: `-Y` adds the command name
/// after a thread's or a process's id, never after a group's or a session's.
#[repr(u8)]
#[derive(StableAbi, Debug, Clone, Copy, PartialEq, Eq)]
pub enum PidKind {
    /// A thread (tkill, tgkill's second argument, gettid).
    Tid,
    /// A thread group, that is a process (kill's positive pid, getpid, wait4's result).
    Tgid,
    /// A process group (setpgid's second argument, getpgrp).
    Pgid,
    /// A session (getsid's result).
    Sid,
    /// kill's and wait4's pid: a process when positive, the group `-pid` below -1.
    TgidOrPgid,
}

/// One typed value, or one piece of structure, in a decoder's output.
///
/// Top-level values are the syscall's arguments, separated by `, ` when rendered.
/// Groups (`*Begin` .. `End`) nest. Byte payloads live in the emitter's byte arena,
/// addressed by `start`/`len`; names are `'static` strings inside the plugin, which
/// stays loaded for the life of the process.
#[repr(C, u8)]
#[derive(StableAbi, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    /// Signed decimal.
    Int(i64),
    /// Unsigned decimal.
    Uint(u64),
    /// Hexadecimal with `0x` (zero prints as `0`).
    Hex(u64),
    /// Octal with a leading `0` (modes).
    Octal(u64),
    /// An address: `NULL` for zero, else hex.
    Pointer(u64),
    /// Bytes from the arena, shown per `style`; `truncated` adds strace's `...`.
    Bytes {
        start: u32,
        len: u32,
        truncated: bool,
        style: StrStyle,
    },
    /// A named constant or a flag name, such as `O_RDONLY` or `AT_FDCWD`.
    Name(RStr<'static>),
    /// Literal text from the arena, shown as is (`8192*1024`, `/* 35 vars */`).
    Text { start: u32, len: u32 },
    /// Flag names joined by `|` until `End`.
    FlagsBegin,
    /// `{field=value, ...}` until `End`.
    StructBegin,
    /// The name of the next value inside a struct.
    Field(RStr<'static>),
    /// `[a, b, ...]` until `End`.
    ArrayBegin,
    /// `[A B]`: a signal-set-like list joined by spaces until `End`.
    SetBegin,
    /// `name(args)` until `End`: `htons(80)`, `makedev(0x1, 0x3)`.
    CallBegin(RStr<'static>),
    /// Closes the innermost group.
    End,
    /// `...`: more elements or fields not shown.
    Ellipsis,
    /// ` => `: the value before it went in, the value after it came out.
    Arrow,
    /// Starts the annotation after the return value: ` (Timeout)`.
    ReturnNote,
    /// A file descriptor: printed as a number, or `3</etc/passwd>` with `-y`; `-P`
    /// and `--trace-fds` look at these.
    Fd(i32),
    /// A named constant with its value: `AT_FDCWD`; under `-X raw` the value (decimal,
    /// or hex when `hex`), under `-X verbose` both: `-100 /* AT_FDCWD */`.
    Constant {
        name: RStr<'static>,
        value: i64,
        hex: bool,
    },
    /// Opens a flag set like `FlagsBegin`, carrying the whole value: `-X raw` shows
    /// `0x80000`, `-X verbose` `0x80000 /* O_RDONLY|O_CLOEXEC */`.
    FlagSet(u64),
    /// Opens a flag set whose whole value is a mode, shown in octal under `-X raw`
    /// (`0100600`) and `-X verbose` (`0100600 /* S_IFREG|0600 */`).
    ModeSet(u64),
    /// The directory fd of an `*at` call: `AT_FDCWD` for -100 (with `-y`,
    /// `AT_FDCWD</cwd>`), any other value as an `Fd`.
    Dirfd(i32),
    /// A process id: printed as a number, with `<comm>` under `-Y` (for the kinds that
    /// name a thread or a process).
    Pid { value: i64, kind: PidKind },
    /// `-N`: the name of the syscall argument whose value follows (`pathname=`). Only
    /// at the top level, and only when [`DecodeOptions::arg_names`] asks for names.
    ArgName(RStr<'static>),
}

/// How the host prints the return value.
#[repr(C, u8)]
#[derive(StableAbi, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReturnStyle {
    /// Signed decimal (the default), `-1 ERRNO (text)` on error.
    #[default]
    Decimal,
    /// Hexadecimal (mmap, brk), `-1 ERRNO (text)` on error.
    Hex,
    /// Octal (umask).
    Octal,
    /// A new file descriptor (open, socket, dup): decimal, with its path under `-y`.
    Fd,
    /// A process id (getpid, fork, wait4): decimal, with `<comm>` under `-Y`.
    Pid(PidKind),
}

/// Where a decoder writes its output: a token stream plus a byte arena.
///
/// The host owns it and reuses it for every call, so in steady state a decode
/// allocates nothing.
#[repr(C)]
#[derive(StableAbi, Debug, Default, Clone)]
pub struct Emitter {
    pub tokens: RVec<Token>,
    pub bytes: RVec<u8>,
    pub return_style: ReturnStyle,
}

impl Emitter {
    /// Forgets everything written, keeping the capacity.
    pub fn clear(&mut self) {
        self.tokens.clear();
        self.bytes.clear();
        self.return_style = ReturnStyle::Decimal;
    }

    /// The arena bytes a `Bytes` or `Text` token refers to.
    pub fn arena(&self, start: u32, len: u32) -> &[u8] {
        let start = start as usize;
        self.bytes
            .get(start..start + len as usize)
            .unwrap_or_default()
    }
}

/// What a decoder tells the host after a call.
#[repr(u8)]
#[derive(StableAbi, Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeStatus {
    /// At entry: every argument has been emitted; exit adds at most a return note.
    Complete,
    /// At entry: more arguments follow at exit (the host prints the `, ` now, as strace does).
    MoreAtExit,
    /// The decoder does not handle this call after all: the host shows it raw.
    Declined,
    /// The decoder panicked; the panic was caught inside the plugin. The host shows
    /// the call raw with a note; the emitter's `bytes` hold the panic message.
    Panicked,
}

/// The options that change how values are decoded.
#[repr(C)]
#[derive(StableAbi, Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeOptions {
    /// `-s N`: bytes of a string shown before `...`; 0 means no limit.
    pub string_limit: u32,
    /// `-v`: structures in full.
    pub verbose: bool,
    /// `-x` (1): non-ASCII strings in hex; `-xx` (2): every string in hex;
    /// `--strings-in-hex=non-ascii-chars` (3): `\xNN` instead of octal escapes.
    pub hex_strings: u8,
    /// `-e verbose=`: structures and arrays are read and shown; when false they print
    /// as their addresses (strings and data buffers still print).
    pub dereference: bool,
    /// `-N`: each argument is preceded by its name ([`Token::ArgName`]).
    pub arg_names: bool,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            string_limit: 32,
            verbose: false,
            hex_strings: 0,
            dereference: true,
            arg_names: false,
        }
    }
}

/// Result of [`HostServices::read_cstring`].
#[repr(u8)]
#[derive(StableAbi, Debug, Clone, Copy, PartialEq, Eq)]
pub enum CStrRead {
    /// The NUL was found; the buffer holds the string without it.
    Complete,
    /// The limit was reached before a NUL.
    Truncated,
    /// The address could not be read at all.
    Unreadable,
}

/// Reads up to `len` bytes at tracee address `addr` into `buf`; returns the count read
/// (less at an unmapped page), or -1 if nothing could be read.
///
/// # Safety
/// `handle` is the one the [`HostServices`] holding this function was made with, and
/// `buf` is valid for writes of `len` bytes (it may be null or dangling when `len` is 0).
pub type ReadMemoryFn =
    unsafe extern "C" fn(handle: *const c_void, addr: u64, buf: *mut u8, len: usize) -> isize;

/// Reads a NUL-terminated string of at most `max` bytes at `addr` into `buf`, and the
/// string's length (without the NUL) into `*out_len`.
///
/// # Safety
/// As [`ReadMemoryFn`] for `handle` and `buf` (`max` bytes); `out_len` is valid for a
/// write.
pub type ReadCStringFn = unsafe extern "C" fn(
    handle: *const c_void,
    addr: u64,
    buf: *mut u8,
    max: usize,
    out_len: *mut usize,
) -> CStrRead;

/// Reads one word in the tracee's width and byte order, zero-extended, into `*out`.
///
/// # Safety
/// As [`ReadMemoryFn`] for `handle`; `out` is valid for a write.
pub type ReadWordFn = unsafe extern "C" fn(handle: *const c_void, addr: u64, out: *mut u64) -> bool;

/// Writes the path an fd refers to (as `/proc/PID/fd/N` shows it) into `buf`; returns its
/// full length, or -1 if the fd is not open.
///
/// # Safety
/// As [`ReadMemoryFn`] for `handle` and `buf` (`cap` bytes).
pub type FdPathFn =
    unsafe extern "C" fn(handle: *const c_void, fd: i32, buf: *mut u8, cap: usize) -> isize;

/// What the host can do for a decoder. Every service can fail: tracee memory may be
/// unmapped, an fd may be closed.
///
/// The fields are private: only the host makes services ([`HostServices::new`] is
/// `unsafe`), and decoders call them through the safe methods, which hand each function
/// exactly what its contract asks. `'a` is the host state the handle points to, so a
/// [`CallContext`] cannot outlive it.
#[repr(C)]
#[derive(StableAbi, Clone, Copy)]
pub struct HostServices<'a> {
    handle: *const c_void,
    // Spelled out rather than through the aliases: abi_stable's derive reads function
    // pointer types from their syntax.
    read_memory:
        unsafe extern "C" fn(handle: *const c_void, addr: u64, buf: *mut u8, len: usize) -> isize,
    read_cstring: unsafe extern "C" fn(
        handle: *const c_void,
        addr: u64,
        buf: *mut u8,
        max: usize,
        out_len: *mut usize,
    ) -> CStrRead,
    read_word: unsafe extern "C" fn(handle: *const c_void, addr: u64, out: *mut u64) -> bool,
    fd_path:
        unsafe extern "C" fn(handle: *const c_void, fd: i32, buf: *mut u8, cap: usize) -> isize,
    _host: PhantomData<&'a ()>,
}

impl<'a> HostServices<'a> {
    /// # Safety
    /// Each function must be sound to call with `handle` (and arguments meeting its own
    /// contract) for as long as `'a` lasts.
    pub unsafe fn new(
        handle: *const c_void,
        read_memory: ReadMemoryFn,
        read_cstring: ReadCStringFn,
        read_word: ReadWordFn,
        fd_path: FdPathFn,
    ) -> Self {
        HostServices {
            handle,
            read_memory,
            read_cstring,
            read_word,
            fd_path,
            _host: PhantomData,
        }
    }

    /// Reads up to `buf.len()` bytes at `addr`; `None` if nothing could be read.
    pub fn read_memory(&self, addr: u64, buf: &mut [u8]) -> Option<usize> {
        // SAFETY: `buf` is valid for `buf.len()` bytes; the handle is this struct's own,
        // alive for 'a (HostServices::new's contract).
        let n = unsafe { (self.read_memory)(self.handle, addr, buf.as_mut_ptr(), buf.len()) };
        usize::try_from(n).ok().map(|n| n.min(buf.len()))
    }

    /// Reads a NUL-terminated string of at most `buf.len()` bytes; returns how it ended
    /// and how many bytes of `buf` hold the string (without the NUL).
    pub fn read_cstring(&self, addr: u64, buf: &mut [u8]) -> (CStrRead, usize) {
        let mut len = 0usize;
        // SAFETY: as in read_memory; `len` is a live local.
        let status = unsafe {
            (self.read_cstring)(self.handle, addr, buf.as_mut_ptr(), buf.len(), &mut len)
        };
        (status, len.min(buf.len()))
    }

    /// One word in the tracee's width and byte order, zero-extended.
    pub fn read_word(&self, addr: u64) -> Option<u64> {
        let mut value = 0u64;
        // SAFETY: as in read_memory; `value` is a live local.
        unsafe { (self.read_word)(self.handle, addr, &mut value) }.then_some(value)
    }

    /// The path `fd` refers to, written into `buf`; its full length (which may exceed
    /// `buf`), or `None` if the fd is not open.
    pub fn fd_path(&self, fd: i32, buf: &mut [u8]) -> Option<usize> {
        // SAFETY: as in read_memory.
        let n = unsafe { (self.fd_path)(self.handle, fd, buf.as_mut_ptr(), buf.len()) };
        usize::try_from(n).ok()
    }
}

/// Which kernel header defines the tracee's `struct stat` and `stat64`.
#[repr(u8)]
#[derive(StableAbi, Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatLayout {
    /// x86's 64-bit `struct stat` (nlink before mode).
    X86_64,
    /// asm-generic's 64-bit `struct stat` (aarch64, riscv64, ...).
    Generic64,
    /// 32-bit: the old `struct stat` of words, and `stat64` whose 64-bit members follow
    /// [`AbiFacts::u64_align`].
    Legacy32,
}

/// Which kernel header gives the open flag values.
#[repr(u8)]
#[derive(StableAbi, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenFlagValues {
    /// asm-generic's values, as x86 uses them.
    Generic,
    /// ARM's (32- and 64-bit): O_DIRECTORY, O_NOFOLLOW, O_DIRECT, O_LARGEFILE moved.
    Arm,
}

/// Where a sigreturn's saved signal mask is, relative to the stack pointer at the call.
#[repr(C, u8)]
#[derive(StableAbi, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigmaskAt {
    /// Unknown: the call prints without it.
    Unknown,
    /// A whole kernel sigset (8 bytes) at this offset.
    Contiguous(i32),
    /// Two 32-bit halves, low then high, at these offsets.
    Halves(i32, i32),
}

/// How the tracee's personality lays out what decoders read. Decoders ask these facts
/// instead of matching on architecture names, so one decoder serves every personality;
/// the host takes them from its ABI layer.
#[repr(C)]
#[derive(StableAbi, Debug, Clone, Copy, PartialEq, Eq)]
pub struct AbiFacts {
    /// Alignment of 64-bit integers inside structures: 4 on i386, 8 elsewhere.
    pub u64_align: u8,
    /// A 64-bit argument split over two registers starts at an even register (ARM EABI).
    pub pairs_aligned: bool,
    /// clone takes `tls` before `child_tid` (all but x86_64).
    pub clone_tls_before_child_tid: bool,
    /// The 16-bit uid/gid calls use the plain names; the 32-bit ones end in `32`.
    pub legacy_16bit_ids: bool,
    /// `struct epoll_event` is packed (`data` at offset 4).
    pub epoll_packed: bool,
    /// clone's TLS argument and set_thread_area take a `struct user_desc`.
    pub tls_is_user_desc: bool,
    /// Bytes of `time_t` in the time structs of the calls without `_time64` (x32: 8,
    /// though its `long` is 4).
    pub time_size: u8,
    pub open_flags: OpenFlagValues,
    pub stat: StatLayout,
    pub rt_sigreturn_mask: SigmaskAt,
    pub sigreturn_mask: SigmaskAt,
}

impl Default for AbiFacts {
    /// x86_64's facts, the host's own: what a context that says nothing (tests) means.
    fn default() -> Self {
        AbiFacts {
            u64_align: 8,
            pairs_aligned: false,
            clone_tls_before_child_tid: false,
            legacy_16bit_ids: false,
            epoll_packed: true,
            tls_is_user_desc: false,
            time_size: 8,
            open_flags: OpenFlagValues::Generic,
            stat: StatLayout::X86_64,
            rt_sigreturn_mask: SigmaskAt::Contiguous(8 + 8 + 24 + 256),
            sigreturn_mask: SigmaskAt::Unknown,
        }
    }
}

/// Everything the host knows about one syscall, handed to a decoder.
#[repr(C)]
#[derive(StableAbi)]
pub struct CallContext<'a> {
    pub name: RStr<'a>,
    pub number: u64,
    /// The tracee's architecture as an `AUDIT_ARCH_*` value.
    pub audit_arch: u32,
    /// The tracee's word size in bytes (4 or 8).
    pub word_size: u8,
    pub big_endian: bool,
    pub pid: i32,
    /// The six raw arguments, zero-extended to 64 bits.
    pub args: [u64; 6],
    /// At exit: the raw return value, sign-extended.
    pub retval: i64,
    /// At exit: the kernel reported an error (`retval` is `-errno`).
    pub is_error: bool,
    pub options: DecodeOptions,
    /// Space a decoder keeps from entry to exit (an in=>out length read at entry).
    pub scratch: [u64; 4],
    /// The services, borrowing the host state for the context's lifetime.
    pub host: HostServices<'a>,
    /// The tracee's stack pointer at syscall entry (0 when unknown): where
    /// rt_sigreturn finds its signal frame.
    pub stack_pointer: u64,
    /// How the tracee's personality lays out structures and arguments.
    pub abi: AbiFacts,
    /// How many arguments the entry phase emitted: the SDK sets it at entry and the host
    /// hands it back at exit (as `scratch`), so that `-N` names the arguments printed at
    /// exit from where the entry stopped.
    pub args_at_entry: u32,
}

/// The root module every plugin exports.
#[repr(C)]
#[derive(StableAbi)]
#[sabi(kind(Prefix(prefix_ref = PluginModRef)))]
#[sabi(missing_field(panic))]
pub struct PluginMod {
    /// The plugin's short name (`fs`, `net`), unique among loaded plugins.
    pub name: extern "C" fn() -> RStr<'static>,
    /// The plugin's own version.
    pub version: extern "C" fn() -> RStr<'static>,
    /// The syscall names this plugin decodes; the position of a name is the
    /// `decoder` index passed to `decode`.
    pub syscalls: extern "C" fn() -> RSlice<'static, RStr<'static>>,
    /// Decodes one phase of one syscall into `out`.
    #[sabi(last_prefix_field)]
    pub decode: extern "C" fn(
        decoder: u32,
        phase: Phase,
        call: &mut CallContext<'_>,
        out: &mut Emitter,
    ) -> DecodeStatus,
}

/// The symbol under which a plugin exports its [`ConfigureFn`] (the SDK's
/// `export_plugin!` does it). Added in 0.3.1 beside the root module rather than in it:
/// abi_stable refuses a library whose root module has fewer fields than the host's, so
/// a field there would turn every 0.3.0 plugin away. A plugin without the symbol loads
/// as before and decodes as with [`SessionOptions::default`].
pub const CONFIGURE_SYMBOL: &str = "rtrace_configure";

/// Receives the session's options, once, before the first call is decoded.
///
/// # Safety
/// `options` points to a live [`SessionOptions`] of at least `(*options).size` bytes;
/// the function reads only the fields that size covers.
pub type ConfigureFn = unsafe extern "C" fn(options: *const SessionOptions);

/// What holds for the whole trace rather than per call, handed to each plugin once
/// ([`ConfigureFn`]). The host allocates it; it grows only by appending fields, and
/// `size` says how many bytes the host filled, so an older plugin reads what it knows
/// and a newer one takes the default for what an older host lacks.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionOptions {
    /// `size_of::<SessionOptions>()` of the host that filled it.
    pub size: u32,
    /// `-e kvm=vcpu`: KVM_RUN's result is followed by the vcpu's exit reason, read from
    /// the `struct kvm_run` the vcpu fd maps into the tracee.
    pub kvm_vcpu_exit_reason: bool,
}

impl Default for SessionOptions {
    fn default() -> Self {
        SessionOptions {
            size: std::mem::size_of::<SessionOptions>() as u32,
            kvm_vcpu_exit_reason: false,
        }
    }
}

impl RootModule for PluginModRef {
    declare_root_module_statics! {PluginModRef}
    const BASE_NAME: &'static str = "rtrace_plugin";
    const NAME: &'static str = "rtrace_plugin";
    const VERSION_STRINGS: VersionStrings = package_version_strings!();
}

/// A message from a plugin that the host shows, such as a panic's text.
pub type PluginMessage = RString;
