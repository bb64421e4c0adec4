//! The raw fallback: arguments as strace `-e raw=all` shows them (`0`, else `0x..`),
//! for syscalls with no decoder, and for decoders that decline or panic.

use rtrace_plugin_api::{Emitter, Token};

/// Emits the first `nargs` (at most 6) arguments as hex.
pub fn emit_raw_args(args: &[u64; 6], nargs: usize, out: &mut Emitter) {
    for &arg in &args[..nargs.min(6)] {
        out.tokens.push(Token::Hex(arg));
    }
}
