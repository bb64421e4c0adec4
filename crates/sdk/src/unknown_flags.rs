//! Flags where strace names a value with no known bit as `0x10 /* MLOCK_??? */`
//! (mlock2, mlockall, unshare), while known bits keep the plain form
//! `PROT_READ|0x100`.

use crate::flags::FlagTable;
use crate::value_builder::Out;

impl Out<'_> {
    /// `value` per `table`, or `0x.. /* UNKNOWN */` when it is non-zero and none of
    /// its bits has a name (a table with an enumeration field always names it).
    pub fn flags_or_unknown(&mut self, value: u64, table: &'static FlagTable, unknown: &str) {
        let known = table.bits.iter().fold(0u64, |acc, (bits, _)| acc | bits);
        if value != 0 && table.field.is_none() && value & known == 0 {
            self.text_fmt(format_args!("{value:#x} /* {unknown} */"));
        } else {
            self.flags(value, table);
        }
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
                "0x10 /* MLOCK_??? */",
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
}
