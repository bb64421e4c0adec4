//! An example third-party rtrace plugin. It replaces the bundled `close` decoder with
//! one that names the file being closed in a comment: `close(3 /* /etc/passwd */) = 0`.
//!
//! Build: `cargo build --release` here, then `rtrace --plugin target/release/librtrace_example.so CMD`.

use rtrace_sdk::{syscall, Call, Out, Syscall};

/// The fd, and where it pointed, asked of the host before the call closes it.
fn fd_with_path(call: &mut Call<'_, '_>, out: &mut Out<'_>, _raw: u64) {
    let fd = call.arg_int(0) as i32;
    let mut path = [0u8; 256];
    match call.tracee().fd_path(fd, &mut path) {
        Some(len) => {
            let shown = &path[..len.min(path.len())];
            let text = String::from_utf8_lossy(shown);
            let cut = if len > path.len() { "..." } else { "" };
            out.text_fmt(format_args!("{fd} /* {text}{cut} */"));
        }
        None => out.fd(fd),
    }
}

pub const DECODERS: &[Syscall] = &[syscall!("close", [Custom(fd_with_path)])];

rtrace_sdk::export_plugin! {
    name: "example",
    version: env!("CARGO_PKG_VERSION"),
    decoders: DECODERS,
}
