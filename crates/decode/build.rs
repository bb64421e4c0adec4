//! Tells the integration tests which target they are compiled for: the plugins they build
//! out of tree must match the test binary, which is cross-compiled (and run under
//! qemu-user) by `cargo xtask test-arm`.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    for var in ["TARGET", "HOST"] {
        let value = std::env::var(var).unwrap_or_default();
        println!("cargo:rustc-env=RTRACE_DECODE_BUILD_{var}={value}");
    }
}
