//! A syscall's decoded values as a tree: the JSON visitor of the token tree
//! ([`crate::token_tree`]), fed the entry's tokens, then the exit's, as one stream.

use rtrace_plugin_api::{Emitter, StrStyle, Token};

use crate::token_text::{FdPaths, PidNote};
use crate::token_tree::{tokens_of, walk, GroupKind, TreeVisitor, WalkEnd};

/// A decoded value, borrowing its bytes from the emitter that held them.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value<'a> {
    Int(i64),
    Uint(u64),
    Hex(u64),
    Octal(u64),
    Pointer(u64),
    Bytes {
        bytes: &'a [u8],
        truncated: bool,
        style: StrStyle,
    },
    Name(&'a str),
    Text(&'a [u8]),
    Fd(i32, Option<Vec<u8>>),
    /// A process id, with its command name under `-Y`.
    /// A pid and what `-Y` and `--pidns-translation` add to it.
    Pid(i64, PidNote),
    /// A `...` with no container to mark.
    More,
    Flags(Vec<Value<'a>>),
    Struct(Vec<Member<'a>>, bool),
    Array(Vec<Value<'a>>, bool),
    Set(Vec<Value<'a>>, bool),
    Call(&'a str, Vec<Value<'a>>, bool),
    /// `in => out`; either side may be missing in a malformed stream.
    Pair(Option<Box<Value<'a>>>, Option<Box<Value<'a>>>),
}

/// A value with the field name it was given, if any.
pub(super) type Member<'a> = (Option<&'a str>, Value<'a>);

/// What a group of tokens becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container<'a> {
    /// The syscall's arguments.
    Args,
    /// The return annotation.
    Note,
    Flags,
    Struct,
    Array,
    Set,
    Call(&'a str),
}

struct Group<'a> {
    kind: Container<'a>,
    members: Vec<Member<'a>>,
    /// A `...` was seen (for containers that can say so).
    more: bool,
    /// The field name waiting for its value.
    field: Option<&'a str>,
    /// The last member is a pair waiting for its right side.
    arrow_open: bool,
}

impl<'a> Group<'a> {
    fn new(kind: Container<'a>) -> Self {
        Group {
            kind,
            members: Vec::new(),
            more: false,
            field: None,
            arrow_open: false,
        }
    }

    fn push(&mut self, value: Value<'a>) {
        if std::mem::take(&mut self.arrow_open) {
            if let Some((_, Value::Pair(_, out @ None))) = self.members.last_mut() {
                *out = Some(Box::new(value));
                return;
            }
        }
        self.members.push((self.field.take(), value));
    }

    /// `=>`: the last member becomes the left side of a pair.
    fn arrow(&mut self) {
        let (field, input) = match self.members.pop() {
            Some((field, value)) => (field, Some(Box::new(value))),
            None => (self.field.take(), None),
        };
        self.members.push((field, Value::Pair(input, None)));
        self.arrow_open = true;
    }

    fn ellipsis(&mut self) {
        match self.kind {
            Container::Struct | Container::Array | Container::Set | Container::Call(_) => {
                self.more = true
            }
            Container::Args | Container::Note | Container::Flags => self.push(Value::More),
        }
    }

    fn values(self) -> Vec<Value<'a>> {
        self.members.into_iter().map(|(_, v)| v).collect()
    }

    fn into_value(self) -> Value<'a> {
        let more = self.more;
        match self.kind {
            Container::Flags => Value::Flags(self.values()),
            Container::Array => Value::Array(self.values(), more),
            Container::Set => Value::Set(self.values(), more),
            Container::Call(name) => Value::Call(name, self.values(), more),
            Container::Struct | Container::Args | Container::Note => {
                Value::Struct(self.members, more)
            }
        }
    }
}

/// The arguments (each with its name under `-N`) and the return note of one call: the
/// entry's tokens, then the exit's, walked as one stream, so a group the entry left open
/// goes on at exit.
pub(super) fn value_tree<'a>(
    entry: &'a Emitter,
    exit: Option<&'a Emitter>,
    fds: &dyn FdPaths,
) -> (Vec<Member<'a>>, Option<Value<'a>>) {
    let mut tokens = tokens_of(entry, 0).chain(exit.into_iter().flat_map(|e| tokens_of(e, 0)));
    let mut visitor = JsonVisitor { fds };
    let mut args = Group::new(Container::Args);
    if walk(&mut visitor, &mut tokens, &mut args, 0, usize::MAX, true) != WalkEnd::Note {
        return (args.members, None);
    }
    // Past the first `ReturnNote` (later ones are nothing): the note.
    let mut note = Group::new(Container::Note);
    walk(&mut visitor, &mut tokens, &mut note, 0, usize::MAX, false);
    let note = match note.members.len() {
        0 => None,
        1 if note.members[0].0.is_none() => note.values().pop(),
        _ => Some(note.into_value()),
    };
    (args.members, note)
}

/// Builds the tree as the walk goes: a group per open container, folded into its
/// parent when it closes (by its `End` or not).
struct JsonVisitor<'f> {
    fds: &'f dyn FdPaths,
}

impl<'a> TreeVisitor<'a> for JsonVisitor<'_> {
    type Level = Group<'a>;

    fn value(&mut self, level: &mut Group<'a>, emitter: &'a Emitter, token: &'a Token) {
        let value = match *token {
            Token::Int(v) => Value::Int(v),
            Token::Uint(v) => Value::Uint(v),
            Token::Hex(v) => Value::Hex(v),
            Token::Octal(v) => Value::Octal(v),
            Token::Pointer(v) => Value::Pointer(v),
            Token::Bytes {
                start,
                len,
                truncated,
                style,
            } => Value::Bytes {
                bytes: emitter.arena(start, len),
                truncated,
                style,
            },
            Token::Name(ref name) | Token::Constant { ref name, .. } => Value::Name(name.as_str()),
            Token::Text { start, len } => Value::Text(emitter.arena(start, len)),
            Token::Fd(fd) => Value::Fd(fd, fd_path(fd, self.fds)),
            Token::Pid { value, kind } => Value::Pid(value, PidNote::of(value, kind, self.fds)),
            Token::Dirfd(-100) => Value::Name("AT_FDCWD"),
            Token::Dirfd(fd) => Value::Fd(fd, fd_path(fd, self.fds)),
            // The walk hands the structure tokens to the other methods.
            _ => return,
        };
        level.push(value);
    }

    fn field(&mut self, level: &mut Group<'a>, name: &'a str) {
        level.field = Some(name);
    }

    fn arrow(&mut self, level: &mut Group<'a>) {
        level.arrow();
    }

    fn ellipsis(&mut self, level: &mut Group<'a>) {
        level.ellipsis();
    }

    fn open(&mut self, _parent: &mut Group<'a>, kind: GroupKind<'a>) -> Group<'a> {
        Group::new(match kind {
            GroupKind::Flags | GroupKind::FlagSet(_) | GroupKind::ModeSet(_) => Container::Flags,
            GroupKind::Struct => Container::Struct,
            GroupKind::Array => Container::Array,
            GroupKind::Set => Container::Set,
            GroupKind::Call(name) => Container::Call(name),
        })
    }

    fn close(&mut self, parent: &mut Group<'a>, child: Group<'a>, _closed: bool) {
        // A flag set grouped for -X's sake is one value in the text; here its members
        // join the enclosing set (socket's `SOCK_STREAM|SOCK_CLOEXEC`), and a set around
        // one call is that call (a device's `makedev(0x1, 0x3)`).
        match (parent.kind, child.kind) {
            (Container::Flags, Container::Flags) => parent.members.extend(child.members),
            (_, Container::Flags)
                if child.members.len() == 1
                    && matches!(child.members[0], (None, Value::Call(..))) =>
            {
                parent.push(child.values().remove(0))
            }
            _ => parent.push(child.into_value()),
        }
    }
}

/// The path `-y` shows for `fd`, if known.
pub(super) fn fd_path(fd: i32, fds: &dyn FdPaths) -> Option<Vec<u8>> {
    let mut path = Vec::new();
    (fd >= 0 && fds.describe(fd, &mut path)).then_some(path)
}
