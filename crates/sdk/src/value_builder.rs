//! [`Out`]: a safe builder of typed values over the host's [`Emitter`].
//!
//! A decoder never formats text: it says "this is a flag set, this is a path", and the
//! host's renderer decides what that looks like. Everything here writes into the
//! emitter the host reuses for every call, so steady-state decoding allocates nothing.

use std::io::Write as _;

use rtrace_plugin_api::{CStrRead, Emitter, PidKind, ReturnStyle, StrStyle, Token};

use crate::decoder_table::{lookup, ConstTable};
use crate::flags::FlagTable;
use crate::tracee::Tracee;

/// The longest path strace shows (PATH_MAX); paths are never cut at `-s`.
pub const PATH_MAX: usize = 4096;

/// The most of one string or buffer that is read, whatever `-s` says (`-s 0` is "no
/// limit"): the length comes from the tracee, and reading (and allocating) it whole
/// could take the tracer down.
pub const MAX_STRING_READ: u32 = 65536;

/// How much of a string is read before looking for more: paths and strings are
/// nearly always shorter.
const FIRST_STRING_READ: usize = 256;

/// How many bytes of a string or buffer to show for the `-s` limit `limit`.
pub fn shown_bytes(limit: u32) -> u32 {
    if limit == 0 {
        MAX_STRING_READ
    } else {
        limit.min(MAX_STRING_READ)
    }
}

/// Where a decoder puts its values.
pub struct Out<'e> {
    em: &'e mut Emitter,
    /// Under `-N`: the names given to the arguments as they begin.
    names: Option<ArgNamer>,
}

/// Names the syscall's arguments (`-N`): before each value that begins at the top level,
/// the name of its position. A decoder thus names its arguments without a line of code;
/// one that prints an argument strace names otherwise says so with [`Out::arg_name`].
struct ArgNamer {
    names: &'static [&'static str],
    /// The position of the next argument.
    next: usize,
    /// Groups open.
    depth: u32,
    /// The next top-level value continues the current argument (after `=>` or a name).
    glued: bool,
    /// Past the return note: no more arguments.
    done: bool,
}

impl ArgNamer {
    /// The name to write before `token`, if it begins an argument; keeps count.
    fn before(&mut self, token: &Token) -> Option<&'static str> {
        if self.done {
            return None;
        }
        let top = self.depth == 0;
        let opens = matches!(
            token,
            Token::FlagsBegin
                | Token::StructBegin
                | Token::ArrayBegin
                | Token::SetBegin
                | Token::CallBegin(_)
                | Token::FlagSet(_)
                | Token::ModeSet(_)
        );
        let mut name = None;
        match token {
            Token::ReturnNote => self.done = top,
            Token::End => self.depth = self.depth.saturating_sub(1),
            Token::Arrow if top => self.glued = true,
            // A label the decoder wrote itself begins the argument it names.
            Token::Field(_) | Token::ArgName(_) if top => {
                self.next += 1;
                self.glued = true;
            }
            Token::Arrow | Token::Field(_) | Token::ArgName(_) => {}
            _ if top && std::mem::take(&mut self.glued) => {}
            _ if top => {
                name = self.names.get(self.next).copied();
                self.next += 1;
            }
            _ => {}
        }
        if opens {
            self.depth += 1;
        }
        name
    }
}

impl<'e> Out<'e> {
    pub fn new(em: &'e mut Emitter) -> Self {
        Out { em, names: None }
    }

    /// Under `-N`: names each argument that begins at the top level with `names[i]`,
    /// `i` counting from `first` (the arguments the entry already showed).
    pub fn with_arg_names(mut self, names: &'static [&'static str], first: usize) -> Self {
        self.names = Some(ArgNamer {
            names,
            next: first,
            depth: 0,
            glued: false,
            done: false,
        });
        self
    }

    /// How many arguments have begun (from the `first` of [`Out::with_arg_names`]); 0
    /// without `-N`.
    pub fn args_begun(&self) -> usize {
        self.names.as_ref().map_or(0, |n| n.next)
    }

    /// The next argument is the one at `position` (a table decodes its arguments by
    /// position, and may show none for some).
    pub fn at_arg(&mut self, position: usize) {
        if let Some(namer) = &mut self.names {
            namer.next = position;
        }
    }

    /// Under `-N`, names the arguments from here on by `names` (still by position): for
    /// a decoder whose arguments strace names by what an earlier one says (futex's
    /// operation decides whether the fourth is `timeout` or `val2`).
    pub fn use_arg_names(&mut self, names: &'static [&'static str]) {
        if let Some(namer) = &mut self.names {
            namer.names = names;
        }
    }

    /// Under `-N`, names the argument that follows `name` (for a decoder whose
    /// arguments strace names other than by position); nothing otherwise.
    pub fn arg_name(&mut self, name: &'static str) {
        if self.names.is_some() {
            self.token(Token::ArgName(name.into()));
        }
    }

    /// The raw emitter, for what this builder does not cover.
    pub fn emitter(&mut self) -> &mut Emitter {
        self.em
    }

    pub fn token(&mut self, token: Token) {
        if let Some(name) = self.names.as_mut().and_then(|n| n.before(&token)) {
            self.em.tokens.push(Token::ArgName(name.into()));
        }
        self.em.tokens.push(token);
    }

    pub fn int(&mut self, value: i64) {
        self.token(Token::Int(value));
    }

    pub fn uint(&mut self, value: u64) {
        self.token(Token::Uint(value));
    }

    pub fn hex(&mut self, value: u64) {
        self.token(Token::Hex(value));
    }

    pub fn octal(&mut self, value: u64) {
        self.token(Token::Octal(value));
    }

    /// The directory fd of an `*at` call (`AT_FDCWD`, or an fd).
    pub fn dirfd(&mut self, fd: i32) {
        self.token(Token::Dirfd(fd));
    }

    /// A file descriptor (`3`, or `3</etc/passwd>` under `-y`).
    pub fn fd(&mut self, fd: i32) {
        self.token(Token::Fd(fd));
    }

    /// A process id of `kind` (`1234`, or `1234<sh>` under `-Y`).
    pub fn pid(&mut self, value: i64, kind: PidKind) {
        self.token(Token::Pid { value, kind });
    }

    /// An address: `NULL` for zero.
    pub fn pointer(&mut self, addr: u64) {
        self.token(Token::Pointer(addr));
    }

    /// A constant or flag name.
    pub fn name(&mut self, name: &'static str) {
        self.token(Token::Name(name.into()));
    }

    /// A named constant together with its value, so `-X raw` and `-X verbose` can
    /// show the number (`hex` picks how).
    pub fn named(&mut self, name: &'static str, value: i64, hex: bool) {
        self.token(Token::Constant {
            name: name.into(),
            value,
            hex,
        });
    }

    /// Opens a mode's flag set (`S_IFREG|0644`), whose whole value prints in octal
    /// under `-X raw` (closed with [`Out::end`]).
    pub fn begin_mode_set(&mut self, mode: u64) {
        self.token(Token::ModeSet(mode));
    }

    /// Opens a flag set whose whole value is `value` (closed with [`Out::end`]).
    pub fn begin_flag_set(&mut self, value: u64) {
        self.token(Token::FlagSet(value));
    }

    /// Literal text shown as is.
    pub fn text(&mut self, text: &str) {
        let start = self.arena_len();
        self.em.bytes.extend_from_slice(text.as_bytes());
        self.token(Token::Text {
            start,
            len: text.len() as u32,
        });
    }

    /// Literal text formatted straight into the arena (no intermediate `String`).
    pub fn text_fmt(&mut self, args: std::fmt::Arguments<'_>) {
        let start = self.arena_len();
        // Writing into an RVec<u8> cannot fail.
        let _ = self.em.bytes.write_fmt(args);
        let len = self.arena_len() - start;
        self.token(Token::Text { start, len });
    }

    /// Bytes already in hand, shown per `style`.
    pub fn bytes(&mut self, bytes: &[u8], truncated: bool, style: StrStyle) {
        let start = self.arena_len();
        self.em.bytes.extend_from_slice(bytes);
        self.token(Token::Bytes {
            start,
            len: bytes.len() as u32,
            truncated,
            style,
        });
    }

    /// A `clock_t` count of ticks (times, siginfo's si_utime): the number and, when not
    /// zero, the seconds it stands for in a comment, as strace 7 prints it:
    /// `1 /* 0.01 s */`.
    pub fn clock_ticks(&mut self, ticks: u64) {
        if ticks == 0 {
            self.uint(0);
        } else {
            let hz = crate::signals::USER_HZ;
            self.text_fmt(format_args!(
                "{ticks} /* {}.{:02} s */",
                ticks / hz,
                ticks % hz
            ));
        }
    }

    /// A buffer of `len` bytes at `addr` (a read or write buffer), at most `limit`
    /// shown (0, "no limit", shows at most 64 KiB), `...` when cut. A NULL or
    /// unreadable buffer shows the address.
    pub fn buffer_at(&mut self, tracee: Tracee<'_>, addr: u64, len: u64, limit: u32) {
        self.buffer_styled_at(tracee, addr, len, limit, StrStyle::Quoted);
    }

    /// As [`Out::buffer_at`], every byte shown as `\xNN` (strace's QUOTE_FORCE_HEX).
    pub fn hex_buffer_at(&mut self, tracee: Tracee<'_>, addr: u64, len: u64, limit: u32) {
        self.buffer_styled_at(tracee, addr, len, limit, StrStyle::Hex);
    }

    fn buffer_styled_at(
        &mut self,
        tracee: Tracee<'_>,
        addr: u64,
        len: u64,
        limit: u32,
        style: StrStyle,
    ) {
        // strace shows a NULL buffer as NULL, even of length 0.
        if addr == 0 {
            self.pointer(0);
            return;
        }
        let limit = shown_bytes(limit);
        let shown = len.min(u64::from(limit));
        let start = self.arena_len();
        let shown = shown as usize;
        self.em.bytes.resize(start as usize + shown, 0);
        let ok = tracee.read_data_exact(addr, &mut self.em.bytes[start as usize..]);
        if !ok {
            self.em.bytes.truncate(start as usize);
            self.pointer(addr);
            return;
        }
        self.token(Token::Bytes {
            start,
            len: shown as u32,
            truncated: (shown as u64) < len,
            style,
        });
    }

    /// A NUL-terminated string at `addr`, cut at `limit` bytes (0, "no limit", reads
    /// at most 64 KiB).
    pub fn cstring_at(&mut self, tracee: Tracee<'_>, addr: u64, limit: u32) {
        let limit = shown_bytes(limit) as usize;
        // One byte more than the limit tells a string of exactly `limit` bytes from a longer one.
        self.string_at(tracee, addr, limit + 1, limit, StrStyle::Quoted);
    }

    /// A path at `addr`: never cut at `-s`.
    pub fn path_at(&mut self, tracee: Tracee<'_>, addr: u64) {
        self.string_at(tracee, addr, PATH_MAX, PATH_MAX, StrStyle::Path);
    }

    /// A path in a buffer of `size` bytes the kernel filled (getcwd's, whose result
    /// counts the NUL): at most `size - 1` characters, `...` when no NUL ends them there.
    pub fn path_at_most(&mut self, tracee: Tracee<'_>, addr: u64, size: u64) {
        let size = usize::try_from(size).unwrap_or(PATH_MAX).min(PATH_MAX);
        self.string_at(tracee, addr, size, size.saturating_sub(1), StrStyle::Path);
    }

    fn string_at(
        &mut self,
        tracee: Tracee<'_>,
        addr: u64,
        read: usize,
        show: usize,
        style: StrStyle,
    ) {
        if addr == 0 {
            self.pointer(0);
            return;
        }
        let start = self.arena_len() as usize;
        // Most strings are short: a first small read, and the rest only if no NUL came
        // in it. A path then costs neither zeroing PATH_MAX bytes of the arena nor a
        // read to the end of its page (a small read is served from the host's cache).
        let mut len = 0usize;
        let mut chunk = FIRST_STRING_READ.min(read);
        let status = loop {
            self.em.bytes.resize(start + len + chunk, 0);
            let at = addr.wrapping_add(len as u64);
            let (status, got) = tracee.read_cstring(at, &mut self.em.bytes[start + len..]);
            match status {
                // The chunk was all string: read on, up to `read` in all.
                CStrRead::Truncated if got == chunk && len + got < read => {
                    len += got;
                    chunk = read - len;
                }
                // The string runs into unreadable memory: show what was read.
                CStrRead::Unreadable if len > 0 => break CStrRead::Truncated,
                _ => {
                    len += got;
                    break status;
                }
            }
        };
        let (len, truncated) = match status {
            CStrRead::Unreadable => {
                self.em.bytes.truncate(start);
                self.pointer(addr);
                return;
            }
            CStrRead::Complete if len <= show => (len, false),
            _ => (len.min(show), true),
        };
        self.em.bytes.truncate(start + len);
        self.token(Token::Bytes {
            start: start as u32,
            len: len as u32,
            truncated,
            style,
        });
    }

    /// `value` as flag names joined by `|`, unknown bits in hex (see [`FlagTable`]);
    /// the whole value under `-X raw`.
    pub fn flags(&mut self, value: u64, table: &'static FlagTable) {
        table.emit(value, self);
    }

    /// [`Out::flags`] with the names under every `-X` style, as strace prints a few
    /// (fcntl's `(flags O_RDONLY|O_LARGEFILE)`).
    pub fn flag_names(&mut self, value: u64, table: &'static FlagTable) {
        table.emit_names_only(value, self);
    }

    /// `value` as a named constant from `table`, or `0x.. /* PREFIX_??? */` as strace
    /// shows an unknown one. Under `-X raw` the value shows in hex, as strace's printxval
    /// shows it (`lseek(3, 0, 0x1)`).
    pub fn constant(&mut self, value: u64, table: &'static [(u64, &'static str)], unknown: &str) {
        match lookup(table, value) {
            Some(name) => self.named(name, value as i64, true),
            // strace writes zero as `0`, not `0x0`.
            None if value == 0 => self.text_fmt(format_args!("0 /* {unknown} */")),
            None => self.text_fmt(format_args!("{value:#x} /* {unknown} */")),
        }
    }

    /// [`Out::constant`] with a [`ConstTable`]'s names and default.
    pub fn constant_of(&mut self, value: u64, table: &'static ConstTable) {
        self.constant(value, table.names, table.unknown);
    }

    /// A constant shown with its value, as strace shows a few (as under `-X verbose`):
    /// `0 /* PIDTYPE_PID */`, `0x12 /* XFEATURE_XTILE_DATA */`, `0x63 /* XFEATURE_??? */`.
    pub fn verbose_constant_of(&mut self, value: u64, table: &ConstTable) {
        let name = table.name_or_unknown(value);
        if value == 0 {
            self.text_fmt(format_args!("0 /* {name} */"));
        } else {
            self.text_fmt(format_args!("{value:#x} /* {name} */"));
        }
    }

    /// A constant whose unknown values strace writes in decimal: `99 /* K_??? */`, and
    /// known ones too under `-X raw`.
    pub fn decimal_constant_of(&mut self, value: u64, table: &ConstTable) {
        match table.name(value) {
            Some(name) => self.named(name, value as i64, false),
            None => self.text_fmt(format_args!("{value} /* {} */", table.unknown)),
        }
    }

    pub fn begin_struct(&mut self) {
        self.token(Token::StructBegin);
    }

    pub fn field(&mut self, name: &'static str) {
        self.token(Token::Field(name.into()));
    }

    pub fn begin_array(&mut self) {
        self.token(Token::ArrayBegin);
    }

    pub fn begin_set(&mut self) {
        self.token(Token::SetBegin);
    }

    pub fn begin_flags(&mut self) {
        self.token(Token::FlagsBegin);
    }

    pub fn begin_call(&mut self, name: &'static str) {
        self.token(Token::CallBegin(name.into()));
    }

    pub fn end(&mut self) {
        self.token(Token::End);
    }

    /// `{...}` built by `body`, closed for you.
    pub fn structure(&mut self, body: impl FnOnce(&mut Self)) {
        self.begin_struct();
        body(self);
        self.end();
    }

    /// `[...]` built by `body`, closed for you.
    pub fn array(&mut self, body: impl FnOnce(&mut Self)) {
        self.begin_array();
        body(self);
        self.end();
    }

    pub fn ellipsis(&mut self) {
        self.token(Token::Ellipsis);
    }

    /// ` => `: what went in is before it, what came out after it.
    pub fn arrow(&mut self) {
        self.token(Token::Arrow);
    }

    /// Starts the ` (...)` annotation after the return value.
    pub fn return_note(&mut self) {
        self.token(Token::ReturnNote);
    }

    pub fn return_style(&mut self, style: ReturnStyle) {
        self.em.return_style = style;
    }

    fn arena_len(&self) -> u32 {
        self.em.bytes.len() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names written before each token of `build`'s output, `-` for none.
    fn names_before(first: usize, build: impl FnOnce(&mut Out<'_>)) -> Vec<String> {
        let mut em = Emitter::default();
        let mut out = Out::new(&mut em).with_arg_names(&["a", "b", "c"], first);
        build(&mut out);
        em.tokens
            .iter()
            .map(|t| match t {
                Token::ArgName(n) => format!("{}=", n.as_str()),
                _ => "-".to_owned(),
            })
            .collect()
    }

    #[test]
    fn names_go_before_top_level_values_only() {
        // a=[1, 2], b=3 => 4, then a return note's value, unnamed.
        let names = names_before(0, |out| {
            out.array(|out| {
                out.int(1);
                out.int(2);
            });
            out.int(3);
            out.arrow();
            out.int(4);
            out.return_note();
            out.int(5);
        });
        assert_eq!(
            names,
            ["a=", "-", "-", "-", "-", "b=", "-", "-", "-", "-", "-"]
        );
    }

    #[test]
    fn the_exit_goes_on_from_the_entry_and_labels_count() {
        // At exit after one argument: b=, then a label the decoder wrote itself.
        let names = names_before(1, |out| {
            out.int(1);
            out.field("own");
            out.int(2);
            out.int(3);
        });
        assert_eq!(names, ["b=", "-", "-", "-", "-"]);
        // Past the list: no name.
        let names = names_before(3, |out| out.int(1));
        assert_eq!(names, ["-"]);
    }

    #[test]
    fn without_dash_n_nothing_is_named() {
        let mut em = Emitter::default();
        let mut out = Out::new(&mut em);
        out.int(1);
        out.arg_name("x");
        assert_eq!(em.tokens.as_slice(), &[Token::Int(1)]);
    }
}
