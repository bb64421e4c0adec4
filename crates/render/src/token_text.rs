//! Turns a decoder's token stream into strace's argument text: a visitor of the token
//! tree ([`crate::token_tree`]) that writes as the walk goes.

use rtrace_plugin_api::{Emitter, PidKind, StrStyle, Token};

use crate::token_tree::{tokens_of, walk, GroupKind, TreeVisitor};

use crate::escape::{escape_also_into, escape_into, hex_escape_into, HexMode};
use crate::numbers::{push_decimal, push_hex, push_octal_digits};

/// How the enclosing group joins its elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    /// Syscall arguments, struct fields, array elements, call arguments: `, `.
    Comma,
    /// Flag names: `|`.
    Pipe,
    /// Signal-set members: ` `.
    Space,
    /// The return annotation: `, ` between items, a field label as `name `.
    Note,
}

impl Group {
    fn separator(self) -> &'static [u8] {
        match self {
            Group::Comma | Group::Note => b", ",
            Group::Pipe => b"|",
            Group::Space => b" ",
        }
    }
}

const MAX_DEPTH: usize = 32;

/// Where the rendering of one syscall's arguments stands; kept from entry to exit so
/// that arguments emitted at exit continue the list begun at entry.
#[derive(Debug, Clone, Copy, Default)]
pub struct ArgCursor {
    /// Top-level arguments written so far.
    pub args_written: u32,
    /// The entry already wrote the `, ` before the arguments that follow at exit.
    pub separator_pending: bool,
}

/// The host's look-ups that decorate numbers, for `-y` and `-Y`: describes what a file
/// descriptor refers to (appends `/etc/passwd`, the part between `<` and `>`, and
/// returns true, or returns false to print the number alone), and which command a
/// process id names. The renderer never reads the system itself: the host answers.
pub trait FdPaths {
    fn describe(&self, fd: i32, out: &mut Vec<u8>) -> bool;

    /// Appends the current directory (for `AT_FDCWD` under `-y`), if known.
    fn describe_cwd(&self, _out: &mut Vec<u8>) -> bool {
        false
    }

    /// `-Y` and `--pidns-translation`: what follows the process id `id` (positive) of
    /// `kind` (never `TgidOrPgid`) that the traced process printed. Appends the command
    /// name (`comm`) to `comm`, as the bytes it is (the renderer escapes them), when
    /// `-Y` shows one, and returns the id in the tracer's pid namespace when the
    /// translation is to be shown (it differs from `id`). Nothing appended and None
    /// print the id alone.
    fn describe_pid(&self, _id: i32, _kind: PidKind, _comm: &mut Vec<u8>) -> Option<i32> {
        None
    }
}

/// What the host adds after a pid value: `-Y`'s command name, `--pidns-translation`'s id
/// in the tracer's namespace.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PidNote {
    /// Empty when there is no name to show.
    pub comm: Vec<u8>,
    pub translated: Option<i32>,
}

impl PidNote {
    /// Asks `fds` about a pid value of `kind`, as strace asks: a thread's, a process's,
    /// a group's or a session's positive id; kill's and wait4's `-N` as the group `N`;
    /// never 0 or -1.
    pub fn of(value: i64, kind: PidKind, fds: &dyn FdPaths) -> PidNote {
        let mut note = PidNote::default();
        if let Some((id, kind)) = described_id(value, kind) {
            note.translated = fds.describe_pid(id, kind, &mut note.comm);
        }
        note
    }
}

/// The id (and its kind) that a pid value of `kind` names, if it names one.
fn described_id(value: i64, kind: PidKind) -> Option<(i32, PidKind)> {
    let (id, kind) = match kind {
        PidKind::TgidOrPgid if value < -1 => (-value, PidKind::Pgid),
        PidKind::TgidOrPgid => (value, PidKind::Tgid),
        _ => (value, kind),
    };
    i32::try_from(id)
        .ok()
        .filter(|id| *id > 0)
        .map(|id| (id, kind))
}

/// The value of `AT_FDCWD`, the "current directory" directory fd.
const AT_FDCWD: i32 = -100;

/// Plain numbers: no `-y`.
pub struct NoFdPaths;

impl FdPaths for NoFdPaths {
    fn describe(&self, _fd: i32, _out: &mut Vec<u8>) -> bool {
        false
    }
}

/// Appends an fd, decorated as `3</path>` when `fds` knows it.
pub fn write_fd(out: &mut Vec<u8>, fd: i64, fds: &dyn FdPaths) {
    push_decimal(out, fd);
    if let Ok(fd) = i32::try_from(fd) {
        if fd >= 0 {
            let mark = out.len();
            out.push(b'<');
            if fds.describe(fd, out) {
                out.push(b'>');
            } else {
                out.truncate(mark);
            }
        }
    }
}

/// Appends a process id of `kind`, decorated as `1234<sh>` when `fds` knows its command
/// (only ids of a thread or a process have one: kill's `-1234`, a process group, and a
/// session id stay bare) and followed by ` /* 5678 in strace's PID NS */` when it is
/// translated, in strace's words.
pub fn write_pid(out: &mut Vec<u8>, value: i64, kind: PidKind, fds: &dyn FdPaths, hex: HexMode) {
    push_decimal(out, value);
    let note = PidNote::of(value, kind, fds);
    if !note.comm.is_empty() {
        write_comm(out, &note.comm, hex);
    }
    if let Some(id) = note.translated {
        out.extend_from_slice(b" /* ");
        push_decimal(out, id);
        out.extend_from_slice(b" in strace's PID NS */");
    }
}

/// Appends `<comm>`: a command name quoted as strace quotes strings, `<` and `>` too.
pub fn write_comm(out: &mut Vec<u8>, comm: &[u8], hex: HexMode) {
    out.push(b'<');
    escape_also_into(out, comm, hex, b"<>");
    out.push(b'>');
}

/// Renders tokens into text. Returns the index of the `ReturnNote` token, if any, so
/// the caller can render the note after the return value.
#[derive(Debug, Clone, Copy, Default)]
pub struct ValueRenderer {
    pub hex: HexMode,
    /// `--color`: strings in colour.
    pub colors: bool,
    /// `-X`: names, numbers, or both for constants and flag sets.
    pub consts: ConstStyle,
}

/// `-X raw|abbrev|verbose`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConstStyle {
    /// Numbers only.
    Raw,
    /// Names (the default).
    #[default]
    Abbrev,
    /// Numbers with the names in a comment.
    Verbose,
}

/// ANSI colours for `--color`.
pub mod color {
    pub const NAME: &[u8] = b"\x1b[1m";
    pub const STRING: &[u8] = b"\x1b[32m";
    pub const ERROR: &[u8] = b"\x1b[31m";
    pub const SIGNAL: &[u8] = b"\x1b[35m";
    pub const RESET: &[u8] = b"\x1b[0m";
}

struct Level {
    group: Group,
    /// Closing text for the group.
    close: &'static [u8],
    first: bool,
    /// `-X raw` flag set: at its end, what it wrote is replaced by this value.
    raw_value: Option<(usize, Number)>,
    /// `-X verbose` flag set: where it started and its value, so that a set without
    /// any name ends as the bare value (`0`, not `0 /* 0 */`).
    verbose_value: Option<(usize, Number)>,
    /// A name was written inside this group.
    named: bool,
    /// Elements written in it.
    values: u32,
    /// After a field label or an arrow the next value needs no separator.
    glued: bool,
}

impl ValueRenderer {
    /// Renders the syscall's arguments (tokens up to a `ReturnNote`), continuing from
    /// `cursor`. Returns the position of the first note token, if present.
    pub fn render_args(
        &self,
        out: &mut Vec<u8>,
        emitter: &Emitter,
        cursor: &mut ArgCursor,
        fds: &dyn FdPaths,
    ) -> Option<usize> {
        let tokens = &emitter.tokens;
        let end = tokens.iter().position(|t| *t == Token::ReturnNote);
        let args = &tokens[..end.unwrap_or(tokens.len())];
        let first = cursor.args_written == 0 || cursor.separator_pending;
        let written = self.render_seq(
            out,
            &mut args.iter().map(|token| (emitter, token)),
            Group::Comma,
            first,
            fds,
        );
        if written > 0 {
            cursor.separator_pending = false;
        }
        cursor.args_written += written;
        end.map(|i| i + 1)
    }

    /// Renders the return annotation tokens that start at `from`.
    pub fn render_note(
        &self,
        out: &mut Vec<u8>,
        emitter: &Emitter,
        from: usize,
        fds: &dyn FdPaths,
    ) {
        self.render_seq(out, &mut tokens_of(emitter, from), Group::Note, true, fds);
    }

    /// Renders a token sequence as the elements of a group whose first element has
    /// not been written if `first`. Returns how many top-level values it wrote.
    fn render_seq<'t>(
        &self,
        out: &mut Vec<u8>,
        tokens: &mut impl Iterator<Item = (&'t Emitter, &'t Token)>,
        group: Group,
        first: bool,
        fds: &dyn FdPaths,
    ) -> u32 {
        let mut level = Level::new(group, b"", first);
        let mut text = TextVisitor {
            renderer: self,
            out,
            fds,
        };
        walk(&mut text, tokens, &mut level, 0, MAX_DEPTH, false);
        level.values
    }
}

/// The text renderer as a visitor of the token tree: it writes as the walk goes.
struct TextVisitor<'r, 'o, 'f> {
    renderer: &'r ValueRenderer,
    out: &'o mut Vec<u8>,
    fds: &'f dyn FdPaths,
}

impl TextVisitor<'_, '_, '_> {
    /// Before a new element of `level`: its separator, unless it is the first or
    /// follows a field label or an arrow.
    fn element(&mut self, level: &mut Level) {
        if !std::mem::take(&mut level.glued) {
            if !level.first {
                self.out.extend_from_slice(level.group.separator());
            }
            level.first = false;
            level.values += 1;
        }
    }
}

impl<'t> TreeVisitor<'t> for TextVisitor<'_, '_, '_> {
    type Level = Level;

    fn value(&mut self, level: &mut Level, emitter: &'t Emitter, token: &'t Token) {
        self.element(level);
        let out = &mut *self.out;
        let fds = self.fds;
        match *token {
            Token::Int(v) => push_decimal(out, v),
            Token::Uint(v) => push_decimal(out, v),
            Token::Hex(v) => write_hex(out, v),
            Token::Fd(fd) => write_fd(out, fd.into(), fds),
            Token::Pid { value, kind } => write_pid(out, value, kind, fds, self.renderer.hex),
            Token::Dirfd(AT_FDCWD) => {
                write_constant(
                    out,
                    "AT_FDCWD",
                    AT_FDCWD.into(),
                    false,
                    self.renderer.consts,
                );
                let mark = out.len();
                out.push(b'<');
                if fds.describe_cwd(out) {
                    out.push(b'>');
                } else {
                    out.truncate(mark);
                }
            }
            Token::Dirfd(fd) => write_fd(out, fd.into(), fds),
            Token::Octal(v) => write_octal(out, v),
            Token::Pointer(0) => out.extend_from_slice(b"NULL"),
            Token::Pointer(v) => write_hex(out, v),
            Token::Bytes {
                start,
                len,
                truncated,
                style,
            } => {
                let bytes = emitter.arena(start, len);
                if self.renderer.colors {
                    out.extend_from_slice(color::STRING);
                }
                out.push(b'"');
                match style {
                    StrStyle::Hex => hex_escape_into(out, bytes),
                    StrStyle::Quoted | StrStyle::Path => escape_into(out, bytes, self.renderer.hex),
                }
                out.push(b'"');
                if truncated {
                    out.extend_from_slice(b"...");
                }
                if self.renderer.colors {
                    out.extend_from_slice(color::RESET);
                }
            }
            Token::Name(name) => {
                level.named = true;
                out.extend_from_slice(name.as_str().as_bytes());
            }
            Token::Constant { name, value, hex } => {
                level.named = true;
                write_constant(out, name.as_str(), value, hex, self.renderer.consts);
            }
            Token::Text { start, len } => {
                // Text in a flag set is a name the decoder composed (`FUTEX_WAIT_PRIVATE`,
                // `21<<MAP_HUGE_SHIFT`): `-X verbose` keeps it in the comment.
                level.named = true;
                out.extend_from_slice(emitter.arena(start, len));
            }
            // The walk hands the structure tokens to the other methods.
            _ => {}
        }
    }

    fn field(&mut self, level: &mut Level, name: &'t str) {
        self.element(level);
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(if level.group == Group::Note {
            b' '
        } else {
            b'='
        });
        level.glued = true;
    }

    fn arrow(&mut self, level: &mut Level) {
        self.out.extend_from_slice(b" => ");
        level.glued = true;
    }

    fn ellipsis(&mut self, level: &mut Level) {
        self.element(level);
        self.out.extend_from_slice(b"...");
    }

    fn stray(&mut self, level: &mut Level) {
        level.glued = false;
    }

    fn open(&mut self, parent: &mut Level, kind: GroupKind<'t>) -> Level {
        self.element(parent);
        // A call in a flag set names its value (`makedev(0x1, 0x3)`), as text does.
        if matches!(kind, GroupKind::Call(_)) {
            parent.named = true;
        }
        let out = &mut *self.out;
        let mut raw_value = None;
        let mut verbose_value = None;
        let (group, open, close): (Group, &[u8], &'static [u8]) = match kind {
            GroupKind::Flags => (Group::Pipe, b"", b""),
            GroupKind::FlagSet(value) | GroupKind::ModeSet(value) => {
                let number = if matches!(kind, GroupKind::ModeSet(_)) {
                    Number::Octal(value)
                } else {
                    Number::Hex(value)
                };
                match self.renderer.consts {
                    ConstStyle::Abbrev => (Group::Pipe, b"", b""),
                    ConstStyle::Raw => {
                        raw_value = Some((out.len(), number));
                        (Group::Pipe, b"", b"")
                    }
                    ConstStyle::Verbose => {
                        verbose_value = Some((out.len(), number));
                        number.write(out);
                        (Group::Pipe, b" /* ", b" */")
                    }
                }
            }
            GroupKind::Struct => (Group::Comma, b"{", b"}"),
            GroupKind::Array => (Group::Comma, b"[", b"]"),
            GroupKind::Set => (Group::Space, b"[", b"]"),
            GroupKind::Call(name) => {
                out.extend_from_slice(name.as_bytes());
                (Group::Comma, b"(", b")")
            }
        };
        out.extend_from_slice(open);
        let mut inner = Level::new(group, close, true);
        inner.raw_value = raw_value;
        inner.verbose_value = verbose_value;
        inner
    }

    fn close(&mut self, _parent: &mut Level, child: Level, closed: bool) {
        self.out.extend_from_slice(child.close);
        if closed {
            child.replace_by_value(self.out);
        }
    }
}

impl Level {
    fn new(group: Group, close: &'static [u8], first: bool) -> Self {
        Level {
            group,
            close,
            first,
            raw_value: None,
            verbose_value: None,
            named: false,
            values: 0,
            glued: false,
        }
    }

    /// At a flag set's `End`, after its closing text: `-X raw` shows the whole value
    /// instead of the names, and so does `-X verbose` when no name was written.
    fn replace_by_value(&self, out: &mut Vec<u8>) {
        if let Some((mark, value)) = self.raw_value {
            out.truncate(mark);
            value.write(out);
        }
        if let (Some((mark, value)), false) = (self.verbose_value, self.named) {
            out.truncate(mark);
            value.write(out);
        }
    }
}

/// A flag set's whole value, as `-X raw` shows it.
#[derive(Debug, Clone, Copy)]
enum Number {
    Hex(u64),
    Octal(u64),
}

impl Number {
    fn write(self, out: &mut Vec<u8>) {
        match self {
            Number::Hex(v) => write_hex(out, v),
            Number::Octal(v) => write_octal(out, v),
        }
    }
}

/// A named constant as `-X` asks: `SIGCHLD`, its value (`17`, or in hex when `hex`:
/// `0x1`), or both (`17 /* SIGCHLD */`). Arguments, `--- SIG` lines and siginfo share it.
pub fn write_constant(out: &mut Vec<u8>, name: &str, value: i64, hex: bool, consts: ConstStyle) {
    let write_value = |out: &mut Vec<u8>| {
        if hex {
            write_hex(out, value as u64);
        } else {
            push_decimal(out, value);
        }
    };
    match consts {
        ConstStyle::Abbrev => out.extend_from_slice(name.as_bytes()),
        ConstStyle::Raw => write_value(out),
        ConstStyle::Verbose => {
            write_value(out);
            out.extend_from_slice(b" /* ");
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b" */");
        }
    }
}

/// `0` for zero, else `0x...`.
pub fn write_hex(out: &mut Vec<u8>, v: u64) {
    if v == 0 {
        out.push(b'0');
    } else {
        push_hex(out, v);
    }
}

/// strace's `%#03o`: `000`, `022`, `0644`.
pub fn write_octal(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(if v < 0o10 { b"00" } else { b"0" });
    push_octal_digits(out, v);
}

#[cfg(test)]
mod tests {
    use super::*;
    use abi_stable::std_types::RStr;

    fn emitter(tokens: &[Token], bytes: &[u8]) -> Emitter {
        let mut e = Emitter::default();
        e.tokens.extend(tokens.iter().copied());
        e.bytes.extend(bytes.iter().copied());
        e
    }

    fn name(s: &'static str) -> RStr<'static> {
        RStr::from_str(s)
    }

    fn render(e: &Emitter) -> String {
        let mut out = Vec::new();
        let r = ValueRenderer {
            hex: HexMode::None,
            colors: false,
            ..Default::default()
        };
        let mut cursor = ArgCursor::default();
        let note = r.render_args(&mut out, e, &mut cursor, &NoFdPaths);
        if let Some(at) = note {
            out.extend_from_slice(b" (");
            r.render_note(&mut out, e, at, &NoFdPaths);
            out.push(b')');
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn argument_names_label_their_values() {
        // `-N`: openat(dirfd=AT_FDCWD, flags=O_RDONLY|O_CLOEXEC), a name before a group.
        let e = emitter(
            &[
                Token::ArgName(name("dirfd")),
                Token::Dirfd(-100),
                Token::ArgName(name("flags")),
                Token::FlagsBegin,
                Token::Name(name("O_RDONLY")),
                Token::Name(name("O_CLOEXEC")),
                Token::End,
            ],
            b"",
        );
        assert_eq!(render(&e), "dirfd=AT_FDCWD, flags=O_RDONLY|O_CLOEXEC");
    }

    #[test]
    fn openat_line() {
        let e = emitter(
            &[
                Token::Name(name("AT_FDCWD")),
                Token::Bytes {
                    start: 0,
                    len: 16,
                    truncated: false,
                    style: StrStyle::Path,
                },
                Token::FlagsBegin,
                Token::Name(name("O_RDONLY")),
                Token::Name(name("O_CLOEXEC")),
                Token::End,
            ],
            b"/etc/ld.so.cache",
        );
        assert_eq!(
            render(&e),
            r#"AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC"#
        );
    }

    #[test]
    fn structs_arrays_arrows_and_notes() {
        let e = emitter(
            &[
                Token::Int(3),
                Token::StructBegin,
                Token::Field(name("st_mode")),
                Token::FlagsBegin,
                Token::Name(name("S_IFREG")),
                Token::Octal(0o644),
                Token::End,
                Token::Field(name("st_size")),
                Token::Uint(14),
                Token::Ellipsis,
                Token::End,
                Token::ArrayBegin,
                Token::Uint(128),
                Token::Arrow,
                Token::Uint(16),
                Token::End,
                Token::SetBegin,
                Token::Name(name("CHLD")),
                Token::Name(name("TTOU")),
                Token::End,
                Token::CallBegin(name("htons")),
                Token::Uint(80),
                Token::End,
                Token::Pointer(0),
                Token::ReturnNote,
                Token::Field(name("out")),
                Token::ArrayBegin,
                Token::Int(4),
                Token::End,
                Token::Field(name("left")),
                Token::StructBegin,
                Token::Field(name("tv_sec")),
                Token::Int(0),
                Token::End,
            ],
            b"",
        );
        assert_eq!(
            render(&e),
            "3, {st_mode=S_IFREG|0644, st_size=14, ...}, [128 => 16], [CHLD TTOU], htons(80), NULL \
             (out [4], left {tv_sec=0})"
        );
    }

    #[test]
    fn entry_and_exit_continue_one_list() {
        let r = ValueRenderer {
            hex: HexMode::None,
            colors: false,
            ..Default::default()
        };
        let mut cursor = ArgCursor::default();
        let mut out = Vec::new();
        r.render_args(
            &mut out,
            &emitter(&[Token::Int(3)], b""),
            &mut cursor,
            &NoFdPaths,
        );
        // The entry of a call with more at exit writes the separator itself.
        out.extend_from_slice(b", ");
        cursor.separator_pending = true;
        let exit = emitter(
            &[
                Token::Bytes {
                    start: 0,
                    len: 2,
                    truncated: true,
                    style: StrStyle::Quoted,
                },
                Token::Uint(832),
            ],
            b"\x7fE",
        );
        r.render_args(&mut out, &exit, &mut cursor, &NoFdPaths);
        assert_eq!(String::from_utf8(out).unwrap(), r#"3, "\177E"..., 832"#);
        assert_eq!(cursor.args_written, 3);
    }

    struct OneFd;
    impl FdPaths for OneFd {
        fn describe(&self, fd: i32, out: &mut Vec<u8>) -> bool {
            if fd == 3 {
                out.extend_from_slice(b"/etc/hostname");
            }
            fd == 3
        }
    }

    #[test]
    fn fds_are_decorated_when_known() {
        let e = emitter(&[Token::Fd(3), Token::Fd(4), Token::Fd(-1)], b"");
        let mut out = Vec::new();
        let r = ValueRenderer {
            hex: HexMode::None,
            colors: false,
            ..Default::default()
        };
        r.render_args(&mut out, &e, &mut ArgCursor::default(), &OneFd);
        assert_eq!(String::from_utf8(out).unwrap(), "3</etc/hostname>, 4, -1");
    }

    /// The arguments in `e` under a `-X` style.
    fn styled(e: &Emitter, consts: ConstStyle) -> String {
        let mut out = Vec::new();
        let r = ValueRenderer {
            hex: HexMode::None,
            colors: false,
            consts,
        };
        r.render_args(&mut out, e, &mut ArgCursor::default(), &NoFdPaths);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn const_styles() {
        let e = emitter(
            &[
                Token::Constant {
                    name: name("AT_FDCWD"),
                    value: -100,
                    hex: false,
                },
                Token::FlagSet(0x80000),
                Token::Name(name("O_RDONLY")),
                Token::Name(name("O_CLOEXEC")),
                Token::End,
            ],
            b"",
        );
        let text = |consts| styled(&e, consts);
        assert_eq!(text(ConstStyle::Abbrev), "AT_FDCWD, O_RDONLY|O_CLOEXEC");
        assert_eq!(text(ConstStyle::Raw), "-100, 0x80000");
        assert_eq!(
            text(ConstStyle::Verbose),
            "-100 /* AT_FDCWD */, 0x80000 /* O_RDONLY|O_CLOEXEC */"
        );
    }

    /// What decoders compose inside a flag set (a name from text, a call) keeps its
    /// comment under -X verbose; a flag set inside a flag group is its own value.
    #[test]
    fn const_styles_of_composed_names() {
        let e = emitter(
            &[
                Token::FlagSet(0x81),
                Token::Text { start: 0, len: 18 },
                Token::End,
                Token::FlagSet(0x103),
                Token::CallBegin(name("makedev")),
                Token::Hex(1),
                Token::Hex(3),
                Token::End,
                Token::End,
                Token::FlagsBegin,
                Token::FlagSet(0x1200000),
                Token::Name(name("CLONE_CHILD_CLEARTID")),
                Token::Name(name("CLONE_CHILD_SETTID")),
                Token::End,
                Token::Constant {
                    name: name("SIGCHLD"),
                    value: 17,
                    hex: false,
                },
                Token::End,
            ],
            b"FUTEX_WAKE_PRIVATE",
        );
        let text = |consts| styled(&e, consts);
        assert_eq!(
            text(ConstStyle::Abbrev),
            "FUTEX_WAKE_PRIVATE, makedev(0x1, 0x3), CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD"
        );
        assert_eq!(text(ConstStyle::Raw), "0x81, 0x103, 0x1200000|17");
        assert_eq!(
            text(ConstStyle::Verbose),
            "0x81 /* FUTEX_WAKE_PRIVATE */, 0x103 /* makedev(0x1, 0x3) */, \
             0x1200000 /* CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID */|17 /* SIGCHLD */"
        );
    }

    #[test]
    fn numbers() {
        let e = emitter(
            &[
                Token::Hex(0),
                Token::Hex(255),
                Token::Octal(0),
                Token::Octal(0o22),
                Token::Int(-1),
            ],
            b"",
        );
        assert_eq!(render(&e), "0, 0xff, 000, 022, -1");
    }
}
