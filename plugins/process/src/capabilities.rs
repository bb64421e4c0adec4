//! capget/capset: the capability header and the capability sets of its version.

use rtrace_sdk::kstruct::{with_struct, Fields};
use rtrace_sdk::{Call, Out, PidKind};

use crate::flags::{CAPABILITY_SET, CAP_VERSIONS, CAP_VERSION_1};

/// `{version=_LINUX_CAPABILITY_VERSION_3, pid=0}`; keeps the version for the data.
pub fn cap_header(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let mut version = 0;
    with_struct(call, out, addr, 8, |out, f| {
        version = f.u32(0);
        out.begin_struct();
        out.field("version");
        out.constant_of(version, CAP_VERSIONS);
        out.field("pid");
        out.pid(f.i32(4), PidKind::Tgid);
        out.end();
    });
    call.scratch()[0] = version;
}

/// The capability sets: one 32-bit triple for version 1, two (low and high halves)
/// for versions 2 and 3, shown as 64-bit sets.
fn cap_data(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, version: u64) {
    let triples = if version == CAP_VERSION_1 { 1 } else { 2 };
    with_struct(call, out, addr, 12 * triples, |out, f| {
        let set = |f: &Fields<'_>, field: usize| {
            let low = f.u32(field * 4);
            let high = if triples == 2 {
                f.u32(12 + field * 4)
            } else {
                0
            };
            low | high << 32
        };
        out.begin_struct();
        for (index, name) in ["effective", "permitted", "inheritable"].iter().enumerate() {
            out.field(name);
            out.flags(set(&f, index), CAPABILITY_SET);
        }
        out.end();
    });
}

pub fn cap_data_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let version = call.scratch()[0];
    cap_data(call, out, addr, version);
}

pub fn cap_data_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
        return;
    }
    let version = call.scratch()[0];
    cap_data(call, out, addr, version);
}
