//! What [`export_plugin!`](crate::export_plugin) expands to: the abi_stable root
//! module and the `extern "C"` entry point, which never lets a panic cross the FFI
//! boundary (abi_stable would abort the whole tracer).

use std::cell::RefCell;
use std::io::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};

use rtrace_plugin_api::{CallContext, DecodeStatus, Emitter, Phase};

use crate::call::Call;
use crate::table::{decode, Syscall};
use crate::values::Out;

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
        decode(syscall, phase, &mut Call::new(ctx), &mut Out::new(emitter))
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
}

/// Replaces the default panic hook of the plugin's own copy of std (a cdylib has its
/// own) with one that prints nothing, so a decoder panic does not scribble over the
/// trace; [`dispatch`] reports it instead. Only called when loaded as a plugin.
pub fn install_quiet_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        if let Some(loc) = info.location() {
            let text = format!("{}:{}", loc.file(), loc.line());
            LAST_PANIC_LOCATION.with(|slot| *slot.borrow_mut() = Some(text));
        }
    }));
}

/// The syscall names of a table, as the interface's `syscalls()` returns them
/// (built at compile time by `export_plugin!`).
pub const fn syscall_names<const N: usize>(
    table: &'static [Syscall],
) -> [abi_stable::std_types::RStr<'static>; N] {
    let mut names = [abi_stable::std_types::RStr::from_str(""); N];
    let mut i = 0;
    while i < N {
        names[i] = abi_stable::std_types::RStr::from_str(table[i].name);
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
#[macro_export]
macro_rules! export_plugin {
    (name: $name:expr, version: $version:expr, decoders: $table:expr $(,)?) => {
        const _: () = {
            use $crate::__private::{
                abi_stable::{
                    library::{
                        __call_root_module_loader, CheckTypeLayout, LibHeader, RootModuleResult,
                    },
                    prefix_type::PrefixTypeTrait,
                    std_types::{RSlice, RStr},
                },
                CallContext, DecodeStatus, Emitter, Phase, PluginMod, PluginModRef,
            };

            const TABLE: &'static [$crate::Syscall] = $table;
            static NAMES: [RStr<'static>; TABLE.len()] = $crate::__private::syscall_names(TABLE);

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
            fn root_module() -> PluginModRef {
                $crate::__private::install_quiet_panic_hook();
                PluginMod {
                    name,
                    version,
                    syscalls,
                    decode,
                }
                .leak_into_prefix()
            }

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
                    __call_root_module_loader(root_module)
                }
                unsafe { LibHeader::from_constructor::<PluginModRef>(erased, CheckTypeLayout::Yes) }
            };
        };
    };
}
