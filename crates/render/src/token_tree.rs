//! The one reading of a decoder's token stream as a tree: values, field labels, arrows
//! and `...` inside nested groups (`*Begin` .. `End`), with the return note after a
//! `ReturnNote`. The text renderer ([`crate::token_text`]) and the JSON value tree
//! ([`crate::json`]) are two visitors of this walk, so both read every stream, even a
//! malformed one, the same way.

use rtrace_plugin_api::{Emitter, Token};

/// A group a `*Begin` token opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GroupKind<'t> {
    /// `FlagsBegin`: flag names joined by `|`.
    Flags,
    /// `FlagSet(value)`: flag names, with the whole value for `-X raw|verbose`.
    FlagSet(u64),
    /// `ModeSet(value)`: a mode's names, the value shown in octal.
    ModeSet(u64),
    Struct,
    Array,
    /// A signal set's members.
    Set,
    /// `name(args)`.
    Call(&'t str),
}

impl<'t> GroupKind<'t> {
    fn of(token: &'t Token) -> Option<Self> {
        Some(match token {
            Token::FlagsBegin => GroupKind::Flags,
            Token::FlagSet(value) => GroupKind::FlagSet(*value),
            Token::ModeSet(value) => GroupKind::ModeSet(*value),
            Token::StructBegin => GroupKind::Struct,
            Token::ArrayBegin => GroupKind::Array,
            Token::SetBegin => GroupKind::Set,
            Token::CallBegin(name) => GroupKind::Call(name.as_str()),
            _ => return None,
        })
    }
}

/// What a walk of the tree reports, each event at the group it happens in.
pub(crate) trait TreeVisitor<'t> {
    /// The visitor's state for one open group; nested groups live on the walk's stack.
    type Level;

    /// A leaf token: a number, pointer, fd, name, constant, string or text (the
    /// emitter holds the bytes it refers to).
    fn value(&mut self, level: &mut Self::Level, emitter: &'t Emitter, token: &'t Token);
    /// `name=` before the next value.
    fn field(&mut self, level: &mut Self::Level, name: &'t str);
    /// `=>` between the last value and the next.
    fn arrow(&mut self, level: &mut Self::Level);
    /// `...`.
    fn ellipsis(&mut self, level: &mut Self::Level);
    /// An `End` or `ReturnNote` that has nothing to end or begin here.
    fn stray(&mut self, _level: &mut Self::Level) {}
    /// A group opens inside `parent`: its state. (A group past the depth limit is
    /// opened and then dropped: its tokens go on in `parent`.)
    fn open(&mut self, parent: &mut Self::Level, kind: GroupKind<'t>) -> Self::Level;
    /// `child` ends: by its `End` when `closed`, else because the tokens ran out (or a
    /// return note began) first.
    fn close(&mut self, parent: &mut Self::Level, child: Self::Level, closed: bool);
}

/// How a walk of one group ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WalkEnd {
    /// Its `End` (never for the outermost group).
    Closed,
    /// The tokens ran out.
    Exhausted,
    /// A `ReturnNote` (only when the walk stops at notes): every group inside was
    /// closed, and what follows is the note.
    Note,
}

/// Walks tokens as the elements of `level`, the group open at `depth` (0: the sequence
/// itself), until the `End` that closes it, the end of the tokens, or (with
/// `stop_at_note`) a `ReturnNote`. Groups nest up to `max_depth`; past it a group's
/// tokens go on in the enclosing one. Nested groups recurse, so only the levels in
/// use live on the stack.
pub(crate) fn walk<'t, V, I>(
    visitor: &mut V,
    tokens: &mut I,
    level: &mut V::Level,
    depth: usize,
    max_depth: usize,
    stop_at_note: bool,
) -> WalkEnd
where
    V: TreeVisitor<'t>,
    I: Iterator<Item = (&'t Emitter, &'t Token)>,
{
    while let Some((emitter, token)) = tokens.next() {
        match token {
            // An argument's name (`-N`) labels the value after it as a field's does.
            Token::Field(name) | Token::ArgName(name) => visitor.field(level, name.as_str()),
            Token::Arrow => visitor.arrow(level),
            Token::Ellipsis => visitor.ellipsis(level),
            Token::End if depth > 0 => return WalkEnd::Closed,
            Token::ReturnNote if stop_at_note => return WalkEnd::Note,
            Token::End | Token::ReturnNote => visitor.stray(level),
            _ => match GroupKind::of(token) {
                Some(kind) => {
                    let mut inner = visitor.open(level, kind);
                    if depth + 1 < max_depth {
                        let end = walk(
                            visitor,
                            tokens,
                            &mut inner,
                            depth + 1,
                            max_depth,
                            stop_at_note,
                        );
                        visitor.close(level, inner, end == WalkEnd::Closed);
                        if end == WalkEnd::Note {
                            return WalkEnd::Note;
                        }
                    }
                }
                None => visitor.value(level, emitter, token),
            },
        }
    }
    WalkEnd::Exhausted
}

/// The tokens of `emitter` (from `from`), each with the emitter that holds its bytes.
pub(crate) fn tokens_of(
    emitter: &Emitter,
    from: usize,
) -> impl Iterator<Item = (&Emitter, &Token)> {
    emitter
        .tokens
        .get(from..)
        .unwrap_or_default()
        .iter()
        .map(move |token| (emitter, token))
}
