//! What [`export_plugin!`](crate::export_plugin) expands to: the abi_stable root
//! module and the `extern "C"` entry point, which never lets a panic cross the FFI
//! boundary (abi_stable would abort the whole tracer).

use std::cell::{Cell, RefCell};
use std::io::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

use rtrace_plugin_api::{CallContext, DecodeStatus, Emitter, Phase};

use crate::call::Call;
use crate::decoder_table::{decode, Syscall};
use crate::value_builder::Out;

/// The symbol abi_stable looks up in a plugin (`abi_stable::library::ROOT_MODULE_LOADER_NAME`).
/// `export_plugin!` spells it out because `#[export_root_module]` would make every
/// plugin depend on `abi_stable` by name; a test checks that the two agree.
pub const ROOT_MODULE_SYMBOL: &str = "_1as_0lib_1header_0root_bmodule_bloader";

/// Runs decoder `index` of `table` for one phase, catching any panic: the emitter
/// is then emptied, its bytes hold the panic message, and the status is `Panicked`.
pub fn dispatch(
    table: &[Syscall],
    index: u32,
    phase: Phase,
    ctx: &mut CallContext<'_>,
    emitter: &mut Emitter,
) -> DecodeStatus {
    let Some(syscall) = table.get(index as usize) else {
        return DecodeStatus::Declined;
    };
    let result = catch_unwind(AssertUnwindSafe(|| {
        let _inside = InDecoder::enter();
        let mut out = Out::new(emitter);
        if ctx.options.arg_names {
            let first = match phase {
                Phase::Entry => 0,
                Phase::Exit => ctx.args_at_entry as usize,
            };
            out = out.with_arg_names(syscall.arg_names, first);
        }
        let status = decode(syscall, phase, &mut Call::new(ctx), &mut out);
        if phase == Phase::Entry {
            ctx.args_at_entry = u32::try_from(out.args_begun()).unwrap_or(u32::MAX);
        }
        status
    }));
    match result {
        Ok(status) => status,
        Err(payload) => {
            emitter.clear();
            let message = payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("panic with a non-string payload");
            let _ = write!(emitter.bytes, "{message}");
            LAST_PANIC_LOCATION.with(|loc| {
                if let Some(loc) = loc.borrow_mut().take() {
                    let _ = write!(emitter.bytes, " at {loc}");
                }
            });
            DecodeStatus::Panicked
        }
    }
}

thread_local! {
    static LAST_PANIC_LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Set while [`dispatch`] runs a decoder on this thread.
    static IN_DECODER: Cell<bool> = const { Cell::new(false) };
}

/// Installs, once per copy of std, a panic hook that keeps quiet about panics inside a
/// decoder (so they do not scribble over the trace; [`dispatch`] reports them) and hands
/// every other panic to the hook that was there before. A plugin loaded as a cdylib has
/// its own std, so only its decoders' panics reach it; a family built into the host shares
/// the host's std, whose own panics must still be reported.
pub fn install_quiet_panic_hook() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_DECODER.with(Cell::get) {
                return previous(info);
            }
            if let Some(loc) = info.location() {
                let text = format!("{}:{}", loc.file(), loc.line());
                LAST_PANIC_LOCATION.with(|slot| *slot.borrow_mut() = Some(text));
            }
        }));
    });
}

/// Marks this thread as inside a decoder until dropped (also when unwinding).
struct InDecoder;

impl InDecoder {
    fn enter() -> Self {
        IN_DECODER.with(|flag| flag.set(true));
        InDecoder
    }
}

impl Drop for InDecoder {
    fn drop(&mut self) {
        IN_DECODER.with(|flag| flag.set(false));
    }
}

/// The syscall names of a table, as the interface's `syscalls()` returns them
/// (built at compile time by `export_plugin!` from [`syscall_strs`]).
pub const fn syscall_names<const N: usize>(
    names: &[&'static str; N],
) -> [abi_stable::std_types::RStr<'static>; N] {
    let mut out = [abi_stable::std_types::RStr::from_str(""); N];
    let mut i = 0;
    while i < N {
        out[i] = abi_stable::std_types::RStr::from_str(names[i]);
        i += 1;
    }
    out
}

/// The syscall names of a table as plain strings: for the claims section
/// (`rtrace_plugin_api::claims_bytes`) and for [`syscall_names`], built at compile time
/// by `export_plugin!`.
pub const fn syscall_strs<const N: usize>(table: &'static [Syscall]) -> [&'static str; N] {
    let mut names = [""; N];
    let mut i = 0;
    while i < N {
        names[i] = table[i].name;
        i += 1;
    }
    names
}

/// Exports a plugin: its name, version and decoder table.
///
/// ```no_run
/// use rtrace_sdk::{syscall, Syscall};
///
/// const DECODERS: &[Syscall] = &[syscall!("close", [Fd])];
///
/// rtrace_sdk::export_plugin! {
///     name: "example",
///     version: "0.1.0",
///     decoders: DECODERS,
/// }
/// # fn main() {}
/// ```
/// `decoders` is a `&'static [Syscall]` constant; a decoder's index in it is the
/// index the host passes back.
///
/// The same table serves both ways a plugin reaches the host: loaded as a cdylib, through
/// the exported abi_stable root module, or linked in as an rlib (rtrace's built-in
/// families), through the `plugin_module()` function this macro defines in the crate.
#[macro_export]
macro_rules! export_plugin {
    (name: $name:expr, version: $version:expr, decoders: $table:expr $(,)?) => {
        /// This plugin's root module, for a host that links the crate in instead of
        /// loading its cdylib (the same decoders either way).
        pub fn plugin_module() -> $crate::__private::PluginModRef {
            use $crate::__private::{
                abi_stable::{
                    prefix_type::PrefixTypeTrait,
                    std_types::{RSlice, RStr},
                },
                CallContext, DecodeStatus, Emitter, Phase, PluginMod,
            };

            const TABLE: &'static [$crate::Syscall] = $table;
            static NAMES: [RStr<'static>; TABLE.len()] =
                $crate::__private::syscall_names(&$crate::__private::syscall_strs(TABLE));

            extern "C" fn name() -> RStr<'static> {
                RStr::from_str($name)
            }
            extern "C" fn version() -> RStr<'static> {
                RStr::from_str($version)
            }
            extern "C" fn syscalls() -> RSlice<'static, RStr<'static>> {
                RSlice::from_slice(&NAMES)
            }
            extern "C" fn decode(
                decoder: u32,
                phase: Phase,
                call: &mut CallContext<'_>,
                out: &mut Emitter,
            ) -> DecodeStatus {
                $crate::__private::dispatch(TABLE, decoder, phase, call, out)
            }
            $crate::__private::install_quiet_panic_hook();
            PluginMod {
                name,
                version,
                syscalls,
                decode,
            }
            .leak_into_prefix()
        }

        /// Receives the session's options (`ConfigureFn`; exported as
        /// `rtrace_configure`, the name `CONFIGURE_SYMBOL` gives).
        ///
        /// # Safety
        /// `options` is null or points to a live `SessionOptions` of at least
        /// `(*options).size` bytes.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn rtrace_configure(
            options: *const $crate::__private::SessionOptions,
        ) {
            // SAFETY: the caller's contract is configure_from_host's.
            unsafe { $crate::__private::configure_from_host(options) }
        }

        const _: () = {
            use $crate::__private::{
                abi_stable::library::{
                    __call_root_module_loader, CheckTypeLayout, LibHeader, RootModuleResult,
                },
                claims_bytes, claims_len, PluginModRef,
            };

            // The name, version and syscalls, in a section the host reads from the file
            // without loading the library; it opens the library when a call first needs
            // one of them. Exported, so that no linker drops it. The section's name must
            // equal `CLAIMS_SECTION`.
            const TABLE: &'static [$crate::Syscall] = $table;
            const SYSCALLS: [&'static str; TABLE.len()] = $crate::__private::syscall_strs(TABLE);
            const CLAIMS_LEN: usize = claims_len($name, $version, &SYSCALLS);
            #[unsafe(no_mangle)]
            #[unsafe(link_section = ".rtrace_claims")]
            #[allow(non_upper_case_globals)]
            pub static rtrace_claims: [u8; CLAIMS_LEN] = claims_bytes($name, $version, &SYSCALLS);

            // Lets the host skip the layout check when this plugin was built from the
            // host's own interface definitions. The name must equal `FINGERPRINT_SYMBOL`.
            #[unsafe(no_mangle)]
            #[allow(non_upper_case_globals)]
            pub static rtrace_interface_fingerprint: u64 = $crate::__private::INTERFACE_FINGERPRINT;

            // What `#[abi_stable::export_root_module]` generates, with paths through
            // the SDK. The name must equal `ROOT_MODULE_SYMBOL`.
            #[unsafe(no_mangle)]
            #[allow(non_upper_case_globals)]
            pub static _1as_0lib_1header_0root_bmodule_bloader: LibHeader = {
                extern "C" fn erased() -> RootModuleResult {
                    __call_root_module_loader(plugin_module)
                }
                unsafe { LibHeader::from_constructor::<PluginModRef>(erased, CheckTypeLayout::Yes) }
            };
        };
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static EARLIER_HOOK_SAW: Cell<u32> = const { Cell::new(0) };
    }

    /// Built into the host, the families share its std: a decoder's panic stays quiet
    /// (its location kept for the note), any other panic reaches the hook set before.
    #[test]
    fn the_hook_is_quiet_inside_decoders_only() {
        std::panic::set_hook(Box::new(|_| EARLIER_HOOK_SAW.with(|n| n.set(n.get() + 1))));
        install_quiet_panic_hook();
        install_quiet_panic_hook(); // once per process, whoever calls it

        let inside = catch_unwind(|| {
            let _inside = InDecoder::enter();
            panic!("decoder bug");
        });
        assert!(inside.is_err());
        assert_eq!(EARLIER_HOOK_SAW.with(Cell::get), 0);
        let location = LAST_PANIC_LOCATION.with(|l| l.borrow_mut().take());
        assert!(location.is_some_and(|l| l.contains("export.rs")));

        let outside = catch_unwind(|| panic!("host bug"));
        assert!(outside.is_err());
        assert_eq!(EARLIER_HOOK_SAW.with(Cell::get), 1);
        assert!(
            !IN_DECODER.with(Cell::get),
            "the flag is cleared while unwinding"
        );
    }
}
