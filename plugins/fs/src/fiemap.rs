//! The block-mapping structures of the FS_IOC_FIEMAP and FITRIM ioctls, as strace
//! prints them: `struct fiemap`'s request at entry and, unless the call failed, its
//! result at exit (` => {fm_flags=..., fm_mapped_extents=1, fm_extents=[...]}`, the
//! extents with `-v` only); `struct fstrim_range` at entry.

use rtrace_sdk::array::array_at;
use rtrace_sdk::kstruct::{with_struct, Fields};
use rtrace_sdk::{Call, DecodeStatus, FlagTable, Out};

use crate::ioctl_codes::{
    Field, FIEMAP, FIEMAP_EXTENT, FIEMAP_EXTENT_FLAGS as EXTENT_FLAGS, FIEMAP_FLAGS as FLAGS,
    FSTRIM_RANGE,
};

static FIEMAP_FLAGS: FlagTable = FlagTable::bits(FLAGS);
static FIEMAP_EXTENT_FLAGS: FlagTable = FlagTable::bits(EXTENT_FLAGS);

fn get(f: &Fields<'_>, field: Field) -> u64 {
    f.unsigned(field.offset, field.size)
}

/// `{fm_start=0, fm_length=..., fm_flags=..., fm_extent_count=4}`; more at exit when
/// it could be read.
pub fn fiemap_entry(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) -> DecodeStatus {
    let read = with_struct(call, out, addr, FIEMAP.size, |out, f| {
        out.structure(|out| {
            out.field("fm_start");
            out.uint(get(&f, FIEMAP.fm_start));
            out.field("fm_length");
            out.uint(get(&f, FIEMAP.fm_length));
            out.field("fm_flags");
            out.flags_or_unknown(get(&f, FIEMAP.fm_flags), &FIEMAP_FLAGS, "FIEMAP_FLAG_???");
            out.field("fm_extent_count");
            out.uint(get(&f, FIEMAP.fm_extent_count));
        })
    });
    if read {
        DecodeStatus::MoreAtExit
    } else {
        DecodeStatus::Complete
    }
}

/// ` => {fm_flags=..., fm_mapped_extents=N, fm_extents=[...]}` (`...` for the extents
/// without `-v`); nothing when the call failed.
pub fn fiemap_exit(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        return;
    }
    out.arrow();
    with_struct(call, out, addr, FIEMAP.size, |out, f| {
        out.structure(|out| {
            out.field("fm_flags");
            out.flags_or_unknown(get(&f, FIEMAP.fm_flags), &FIEMAP_FLAGS, "FIEMAP_FLAG_???");
            let mapped = get(&f, FIEMAP.fm_mapped_extents);
            out.field("fm_mapped_extents");
            out.uint(mapped);
            if !call.options().verbose {
                out.ellipsis();
                return;
            }
            out.field("fm_extents");
            let extents = addr.wrapping_add(FIEMAP.fm_extents.offset as u64);
            array_at(call, out, extents, mapped, FIEMAP_EXTENT.size, |out, e| {
                out.structure(|out| {
                    out.field("fe_logical");
                    out.uint(get(&e, FIEMAP_EXTENT.fe_logical));
                    out.field("fe_physical");
                    out.uint(get(&e, FIEMAP_EXTENT.fe_physical));
                    out.field("fe_length");
                    out.uint(get(&e, FIEMAP_EXTENT.fe_length));
                    out.field("fe_flags");
                    out.flags_or_unknown(
                        get(&e, FIEMAP_EXTENT.fe_flags),
                        &FIEMAP_EXTENT_FLAGS,
                        "FIEMAP_EXTENT_???",
                    );
                })
            });
        })
    });
}

/// FITRIM's `{start=0x1000, len=1048576, minlen=512}`.
pub fn fstrim_range(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    with_struct(call, out, addr, FSTRIM_RANGE.size, |out, f| {
        out.structure(|out| {
            out.field("start");
            out.hex(get(&f, FSTRIM_RANGE.start));
            out.field("len");
            out.uint(get(&f, FSTRIM_RANGE.len));
            out.field("minlen");
            out.uint(get(&f, FSTRIM_RANGE.minlen));
        })
    });
}
