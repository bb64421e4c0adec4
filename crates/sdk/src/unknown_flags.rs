//! Flags where strace writes a default for a value none of whose bits has a name:
//! `0x10 /* MLOCK_??? */` (mlock2, fcntl's F_SETFD, the `*at` calls' `AT_???`...), while
//! a value with a known bit keeps the plain form `PROT_READ|0x100`. Which default goes
//! with which argument is the decoder table's to say ([`crate::Arg::FlagsOrUnknown`]).

use crate::flags::FlagTable;
use crate::value_builder::Out;

impl Out<'_> {
    /// `value` per `table`, or `0x.. /* UNKNOWN */` when the bits outside the table's
    /// field are not 0 and no entry names any of them; a field keeps its name before
    /// (`FAN_CLASS_NOTIF|0x100000 /* FAN_??? */`). Under `-X raw` the whole value.
    pub fn flags_or_unknown(&mut self, value: u64, table: &'static FlagTable, unknown: &str) {
        let rest = value & !table.field.as_ref().map_or(0, |f| f.mask);
        if rest == 0 || table.names_a_bit(value) {
            self.flags(value, table);
            return;
        }
        self.begin_flag_set(value);
        table.emit_field(value, self);
        self.text_fmt(format_args!("{rest:#x} /* {unknown} */"));
        self.end();
    }
}

#[cfg(test)]
mod tests {
    use rtrace_plugin_api::{Emitter, Token};

    use super::*;

    const MLOCK: &FlagTable = &FlagTable::bits(&[(1, "MLOCK_ONFAULT")]);

    fn texts(em: &Emitter) -> Vec<String> {
        em.tokens
            .iter()
            .map(|t| match *t {
                Token::Text { start, len } => {
                    String::from_utf8_lossy(em.arena(start, len)).into_owned()
                }
                Token::Name(n) => n.as_str().to_owned(),
                Token::Hex(v) => format!("{v:#x}"),
                ref other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn unknown_only_values_get_a_comment_known_ones_do_not() {
        let mut em = Emitter::default();
        let mut out = Out::new(&mut em);
        out.flags_or_unknown(0x10, MLOCK, "MLOCK_???");
        out.flags_or_unknown(0x11, MLOCK, "MLOCK_???");
        out.flags_or_unknown(0, MLOCK, "MLOCK_???");
        assert_eq!(
            texts(&em),
            [
                "FlagSet(16)",
                "0x10 /* MLOCK_??? */",
                "End",
                "FlagSet(17)",
                "MLOCK_ONFAULT",
                "0x10",
                "End",
                "FlagSet(0)",
                "0x0",
                "End"
            ]
        );
    }

    /// A field keeps its name; the bits beside it get the default when none is known.
    #[test]
    fn a_field_is_named_before_the_unknown_bits() {
        const CLASSES: &FlagTable =
            &FlagTable::with_field(0xc, &[(0, "FAN_CLASS_NOTIF")], &[(1, "FAN_CLOEXEC")]);
        let mut em = Emitter::default();
        let mut out = Out::new(&mut em);
        out.flags_or_unknown(0x100000, CLASSES, "FAN_???");
        out.flags_or_unknown(0x100001, CLASSES, "FAN_???");
        out.flags_or_unknown(0, CLASSES, "FAN_???");
        assert_eq!(
            texts(&em),
            [
                "FlagSet(1048576)",
                "FAN_CLASS_NOTIF",
                "0x100000 /* FAN_??? */",
                "End",
                "FlagSet(1048577)",
                "FAN_CLASS_NOTIF",
                "FAN_CLOEXEC",
                "0x100000",
                "End",
                "FlagSet(0)",
                "FAN_CLASS_NOTIF",
                "End"
            ]
        );
    }
}
