//! Flag tables: how a bit set becomes `O_RDONLY|O_CLOEXEC|0x40000000`.

use crate::value_builder::Out;

/// Names for the bits of a flag argument, in the order strace prints them.
///
/// Entries are tried in order and each consumes its bits, so a multi-bit name
/// (`O_SYNC` = `__O_SYNC|O_DSYNC`, `O_TMPFILE` = `__O_TMPFILE|O_DIRECTORY`) must come
/// before the names it contains. Bits no entry names are appended in hex. An entry of
/// value 0 (`F_OK`) names the value 0; with none, 0 prints as `0`.
///
/// Some flag words also hold a small enumeration in a few bits (open's access mode
/// `O_RDONLY`/`O_WRONLY`/`O_RDWR` in `O_ACCMODE`): that is the `field`, always printed
/// first, even when its value is 0.
#[derive(Debug)]
pub struct FlagTable {
    pub field: Option<FlagField>,
    pub bits: &'static [(u64, &'static str)],
}

/// An enumeration stored in some bits of a flag word.
#[derive(Debug)]
pub struct FlagField {
    pub mask: u64,
    pub names: &'static [(u64, &'static str)],
    /// What strace writes after a value `names` does not have (`0x4f /* PER_??? */`);
    /// without it, the value alone in hex.
    pub unknown: Option<&'static str>,
}

impl FlagTable {
    /// A table of plain bits.
    pub const fn bits(bits: &'static [(u64, &'static str)]) -> Self {
        FlagTable { field: None, bits }
    }

    /// A table whose `mask` bits are an enumeration named by `names`.
    pub const fn with_field(
        mask: u64,
        names: &'static [(u64, &'static str)],
        bits: &'static [(u64, &'static str)],
    ) -> Self {
        FlagTable {
            field: Some(FlagField {
                mask,
                names,
                unknown: None,
            }),
            bits,
        }
    }

    /// The same table, its field's unnamed values followed by strace's default for
    /// them (`0x4f /* PER_??? */`).
    pub const fn field_unknown(self, unknown: &'static str) -> Self {
        let field = match self.field {
            Some(field) => Some(FlagField {
                unknown: Some(unknown),
                ..field
            }),
            None => None,
        };
        FlagTable {
            field,
            bits: self.bits,
        }
    }

    /// Whether some entry of value other than 0 has all its bits in `value` (outside the
    /// field): strace's test for writing its default (`0x10 /* MLOCK_??? */`) instead.
    pub fn names_a_bit(&self, value: u64) -> bool {
        let value = value & !self.field.as_ref().map_or(0, |f| f.mask);
        self.bits
            .iter()
            .any(|&(bits, _)| bits != 0 && value & bits == bits)
    }

    /// Emits the field's name (or its value in hex) and returns the bits outside it.
    pub(crate) fn emit_field(&self, value: u64, out: &mut Out<'_>) -> u64 {
        let Some(field) = &self.field else {
            return value;
        };
        let v = value & field.mask;
        match (field.names.iter().find(|(fv, _)| *fv == v), field.unknown) {
            (Some((_, name)), _) => out.name(name),
            (None, Some(unknown)) if v == 0 => out.text_fmt(format_args!("0 /* {unknown} */")),
            (None, Some(unknown)) => out.text_fmt(format_args!("{v:#x} /* {unknown} */")),
            (None, None) => out.hex(v),
        }
        value & !field.mask
    }

    pub(crate) fn emit(&'static self, value: u64, out: &mut Out<'_>) {
        out.begin_flag_set(value);
        self.emit_members(value, out);
    }

    /// The names alone, under every `-X` style (strace's open modes in fcntl's note).
    pub(crate) fn emit_names_only(&'static self, value: u64, out: &mut Out<'_>) {
        out.begin_flags();
        self.emit_members(value, out);
    }

    /// The members of a group [`FlagTable::emit`] or [`FlagTable::emit_names_only`]
    /// opened, and its end.
    fn emit_members(&'static self, value: u64, out: &mut Out<'_>) {
        let rest = self.emit_field(value, out);
        let any = self.field.is_some();
        let mut rest = rest;
        if rest == 0 && !any {
            match self.bits.iter().find(|(bv, _)| *bv == 0) {
                Some((_, name)) => out.name(name),
                None => out.hex(0),
            }
            out.end();
            return;
        }
        for &(bits, name) in self.bits {
            if bits != 0 && rest & bits == bits {
                out.name(name);
                rest &= !bits;
            }
        }
        if rest != 0 {
            out.hex(rest);
        }
        out.end();
    }
}
