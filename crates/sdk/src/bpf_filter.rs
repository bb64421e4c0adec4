//! Classic BPF programs (`struct sock_fprog`: SO_ATTACH_FILTER, seccomp filters) as
//! strace shows them: `{len=2, filter=[BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0x4),
//! BPF_JUMP(BPF_JMP|BPF_K|BPF_JEQ, 0xc000003e, 0, 0x1)]}` with `-v`, the program's
//! address otherwise; and the opcode parts both BPF flavours share (sizes, sources,
//! ALU and jump operations; eBPF's own classes and modes stay with its decoder).

use crate::array::array_at;
use crate::kstruct::with_struct;
use crate::{Call, Out};

/// The opcode parts both BPF flavours share, classic and extended: load and store sizes
/// (`BPF_SIZE`, 0x18), operand sources (`BPF_SRC`, 0x08), ALU and jump operations
/// (`BPF_OP`, 0xf0); and classic BPF's own classes, modes, BPF_MISC operations and
/// return values. All generated from the headers.
pub use crate::kernel_consts::{BPF_ALU_OPS, BPF_JMP_OPS, BPF_SIZES, BPF_SOURCES};
use crate::kernel_consts::{
    CLASSIC_CLASSES, CLASSIC_MISC_OPS, CLASSIC_MODES, CLASSIC_RETURN_VALUES,
};

const BPF_RET: u64 = 6;

/// The most instructions a classic program has (BPF_MAXINSNS); strace shows no more.
const BPF_MAXINSNS: u64 = 4096;

/// Shows a BPF_RET instruction's `k` its own way (seccomp's return actions).
pub type RetK = fn(&mut Out<'_>, u32);

/// A classic opcode: `BPF_LD|BPF_W|BPF_ABS`, bits no part names as
/// `0x100 /* BPF_??? */`.
pub fn classic_code(out: &mut Out<'_>, code: u16) {
    let code = u64::from(code);
    let class = code & 0x07;
    let rest = code & !0x07;
    let unknown_rest = |out: &mut Out<'_>, rest: u64| {
        if rest != 0 {
            out.text_fmt(format_args!("{rest:#x} /* BPF_??? */"));
        }
    };
    out.begin_flags();
    out.constant(class, CLASSIC_CLASSES, "BPF_???");
    match class {
        // BPF_LD, BPF_LDX.
        0 | 1 => {
            out.constant(code & 0x18, BPF_SIZES, "BPF_???");
            out.constant(code & 0xe0, CLASSIC_MODES, "BPF_???");
        }
        // BPF_ST, BPF_STX: nothing but the class.
        2 | 3 => unknown_rest(out, rest),
        // BPF_ALU, BPF_JMP.
        4 | 5 => {
            out.constant(code & 0x08, BPF_SOURCES, "BPF_???");
            let ops = if class == 5 { BPF_JMP_OPS } else { BPF_ALU_OPS };
            out.constant(code & 0xf0, ops, "BPF_???");
        }
        BPF_RET => {
            out.constant(code & 0x18, CLASSIC_RETURN_VALUES, "BPF_???");
            unknown_rest(out, rest & !0x18);
        }
        // BPF_MISC.
        _ => {
            out.constant(code & 0xf8, CLASSIC_MISC_OPS, "BPF_???");
            unknown_rest(out, rest & !0xf8);
        }
    }
    out.end();
}

/// One instruction (8 bytes: code, jt, jf, k): `BPF_JUMP(code, k, jt, jf)` when it
/// jumps somewhere, else `BPF_STMT(code, k)`.
fn instruction(out: &mut Out<'_>, code: u16, jt: u8, jf: u8, k: u32, ret_k: Option<RetK>) {
    if jt != 0 || jf != 0 {
        out.begin_call("BPF_JUMP");
        classic_code(out, code);
        out.hex(u64::from(k));
        out.hex(u64::from(jt));
        out.hex(u64::from(jf));
    } else {
        out.begin_call("BPF_STMT");
        classic_code(out, code);
        match ret_k {
            Some(show) if u64::from(code) & 0x07 == BPF_RET => show(out, k),
            _ => out.hex(u64::from(k)),
        }
    }
    out.end();
}

/// The `struct sock_fprog` at `addr`: `{len=2, filter=[...]}` (the instructions with
/// `-v`, their address otherwise), or `addr` when unreadable. `ret_k` shows BPF_RET's
/// `k` (seccomp filters), else it is hex.
pub fn sock_fprog(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, ret_k: Option<RetK>) {
    let word = call.word_size() as usize;
    with_struct(call, out, addr, 2 * word, |out, f| {
        let len = f.u16(0);
        let filter = f.word(word);
        out.structure(|out| {
            out.field("len");
            out.uint(len);
            out.field("filter");
            if !call.options().verbose {
                out.pointer(filter);
                return;
            }
            let shown = len.min(BPF_MAXINSNS);
            array_at(call, out, filter, shown, 8, |out, insn| {
                let (jt, jf) = (insn.unsigned(2, 1) as u8, insn.unsigned(3, 1) as u8);
                instruction(out, insn.u16(0) as u16, jt, jf, insn.u32(4) as u32, ret_k);
            });
        });
    });
}

#[cfg(test)]
mod tests {
    use rtrace_plugin_api::{Emitter, Token};

    use super::*;

    /// The names and texts of an opcode's parts, in order.
    fn parts(code: u16) -> Vec<String> {
        let mut em = Emitter::default();
        classic_code(&mut Out::new(&mut em), code);
        em.tokens
            .iter()
            .filter_map(|t| match *t {
                Token::Constant { name, .. } => Some(name.as_str().to_owned()),
                Token::Text { start, len } => {
                    Some(String::from_utf8_lossy(em.arena(start, len)).into_owned())
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn known_opcodes_are_named_by_part() {
        assert_eq!(parts(0x20), ["BPF_LD", "BPF_W", "BPF_ABS"]);
        assert_eq!(parts(0x15), ["BPF_JMP", "BPF_K", "BPF_JEQ"]);
        assert_eq!(parts(0x06), ["BPF_RET", "BPF_K"]);
        assert_eq!(parts(0x87), ["BPF_MISC", "BPF_TXA"]);
    }

    #[test]
    fn unknown_parts_get_strace_s_default() {
        assert_eq!(parts(0xf8), ["BPF_LD", "BPF_DW", "0xe0 /* BPF_??? */"]);
        assert_eq!(parts(0x1e), ["BPF_RET", "0x18 /* BPF_??? */"]);
        assert_eq!(parts(0x7f), ["BPF_MISC", "0x78 /* BPF_??? */"]);
        assert_eq!(parts(0x1a), ["BPF_ST", "0x18 /* BPF_??? */"]);
    }
}
