//! Which decoders this run uses: the bundled families built into the binary (when it was
//! built with them), the plugin libraries on the search path, and `--plugin`, in that
//! order, each replacing or overriding what came before; and what `--list-plugins` says.

#[cfg(test)]
use rtrace_decode::PluginSource;
use rtrace_decode::{DecoderRegistry, PluginSearch};
use rtrace_options::Options;
use rtrace_plugin_api::{ConfigureFn, PluginModRef};

/// Whether this binary is linked statically: the C library's loader is not there, so
/// no plugin library can be loaded and only the built-in families decode.
pub const STATIC: bool = cfg!(target_feature = "crt-static");

/// The bundled families linked into this binary, in the order plugin files load, each
/// with its `rtrace_configure` (the families share the binary's one SDK, whose options
/// any of them sets).
pub fn builtin_families() -> Vec<(PluginModRef, ConfigureFn)> {
    #[cfg(feature = "builtin-plugins")]
    {
        vec![
            (rtrace_fs::plugin_module(), rtrace_fs::rtrace_configure),
            (rtrace_ipc::plugin_module(), rtrace_ipc::rtrace_configure),
            (rtrace_mem::plugin_module(), rtrace_mem::rtrace_configure),
            (rtrace_net::plugin_module(), rtrace_net::rtrace_configure),
            (
                rtrace_process::plugin_module(),
                rtrace_process::rtrace_configure,
            ),
            (
                rtrace_signal::plugin_module(),
                rtrace_signal::rtrace_configure,
            ),
            (rtrace_time::plugin_module(), rtrace_time::rtrace_configure),
            (
                rtrace_sched::plugin_module(),
                rtrace_sched::rtrace_configure,
            ),
            (rtrace_keys::plugin_module(), rtrace_keys::rtrace_configure),
            (
                rtrace_security::plugin_module(),
                rtrace_security::rtrace_configure,
            ),
            (
                rtrace_sysadmin::plugin_module(),
                rtrace_sysadmin::rtrace_configure,
            ),
            (rtrace_aio::plugin_module(), rtrace_aio::rtrace_configure),
            (rtrace_perf::plugin_module(), rtrace_perf::rtrace_configure),
        ]
    }
    #[cfg(not(feature = "builtin-plugins"))]
    {
        Vec::new()
    }
}

/// Whether the bundled families are built in.
pub const BUILT_IN: bool = cfg!(feature = "builtin-plugins");

/// Loads the decoders. `selects`: a `-P` path or `--trace-fds` set chooses calls by
/// their decoded arguments.
pub fn load(options: &Options, selects: bool) -> Result<DecoderRegistry, String> {
    if STATIC {
        if let Some(spec) = options.plugins.first() {
            return Err(format!(
                "--plugin {spec}: this rtrace is statically linked and cannot load plugin \
                 libraries (use a dynamically linked build; its built-in families are {})",
                if BUILT_IN {
                    family_names()
                } else {
                    "none".into()
                }
            ));
        }
    }
    let search = if STATIC {
        PluginSearch::default()
    } else {
        PluginSearch::from_environment()
    };
    let mut registry = DecoderRegistry::new();
    // A summary without the trace decodes nothing, unless arguments select the calls it
    // counts: the bundled decoders would only add their loading time. Plugins named
    // with --plugin are still loaded, and so checked.
    let decodes = options.prints_trace() || options.list_plugins || selects;
    let defaults = !options.no_default_plugins && decodes;
    if defaults {
        for (module, configure) in builtin_families() {
            registry.add_builtin(module, Some(configure));
        }
        registry.load_defaults(&search).map_err(|e| e.to_string())?;
    }
    for spec in &options.plugins {
        registry
            .load_spec(&search, spec)
            .map_err(|e| e.to_string())?;
    }
    if defaults && registry.list().is_empty() {
        crate::say(format_args!(
            "no decoder plugins found (looked in {}; set {} to add directories): \
             arguments are shown raw",
            search.describe(),
            rtrace_decode::PLUGIN_PATH_VAR
        ));
    }
    Ok(registry)
}

fn family_names() -> String {
    builtin_families()
        .iter()
        .map(|(m, _)| (m.name())().as_str().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `--list-plugins`: each plugin in use, its version, and where it comes from (its
/// file, or `(built in)`), with the syscalls it claims.
/// A write error (stdout a pipe already closed, `| head -1`) is returned, not a panic
/// as with `println!`.
pub fn list(registry: &DecoderRegistry) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if registry.list().is_empty() {
        writeln!(out, "no plugins loaded")?;
    }
    for plugin in registry.list() {
        writeln!(out, "{} {} {}", plugin.name, plugin.version, plugin.source)?;
        writeln!(out, "  syscalls: {}", plugin.syscalls.join(" "))?;
    }
    out.flush()
}

/// For `-V`: whether the bundled families are built in, and which.
pub fn describe_builtins() -> String {
    match (BUILT_IN, STATIC) {
        (true, true) => format!(
            "built in: {} (static: plugin libraries cannot be loaded)",
            family_names()
        ),
        (true, false) => format!(
            "built in: {} (plugin libraries of the same name replace them)",
            family_names()
        ),
        (false, _) => "none built in (decoding comes from plugin libraries)".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_families_match_the_feature() {
        let families = builtin_families();
        assert_eq!(families.is_empty(), !BUILT_IN);
        let mut registry = DecoderRegistry::new();
        for (module, configure) in families {
            registry.add_builtin(module, Some(configure));
        }
        if BUILT_IN {
            assert_eq!(
                registry.owner_of("openat").map(|p| p.name.as_str()),
                Some("fs")
            );
            assert!(registry
                .list()
                .iter()
                .all(|p| p.source == PluginSource::BuiltIn));
        }
    }
}
