//! The raw fallback: arguments as strace `-e raw=all` shows them (`0`, else `0x..`),
//! for syscalls with no decoder, and for decoders that decline or panic.

use rtrace_plugin_api::{Emitter, Token};

/// The names strace 7.2 gives raw arguments under `-N`: their 1-based position.
const RAW_ARG_NAMES: [&str; 6] = ["arg1", "arg2", "arg3", "arg4", "arg5", "arg6"];

/// Emits the first `nargs` (at most 6) arguments as hex, each named `argN` when
/// `arg_names` (`-N`).
pub fn emit_raw_args(args: &[u64; 6], nargs: usize, arg_names: bool, out: &mut Emitter) {
    for (&arg, name) in args[..nargs.min(6)].iter().zip(RAW_ARG_NAMES) {
        if arg_names {
            out.tokens.push(Token::ArgName(name.into()));
        }
        out.tokens.push(Token::Hex(arg));
    }
}
