//! quotactl and quotactl_fd: `QCMD(Q_GETQUOTA, USRQUOTA)`, and what the command's
//! id and address mean (sys/quota.h, linux/quota.h).
//!
//! if_dqblk (packed): eight u64 limits and usages, dqb_valid u32.
//! if_nextdqblk: the same, then dqb_id u32. if_dqinfo: dqi_bgrace u64,
//! dqi_igrace u64, dqi_flags u32, dqi_valid u32.

use rtrace_sdk::kstruct::with_struct;
use rtrace_sdk::{Call, DecodeStatus, FlagTable, Out, Phase};

const fn new_cmd(cmd: u64) -> u64 {
    cmd | 0x80_0000
}
const fn old_cmd(cmd: u64) -> u64 {
    cmd << 8
}
const fn xqm_cmd(cmd: u64) -> u64 {
    (b'X' as u64) << 8 | cmd
}

const Q_SYNC: u64 = new_cmd(0x1);
const Q_QUOTAON: u64 = new_cmd(0x2);
const Q_QUOTAOFF: u64 = new_cmd(0x3);
const Q_GETFMT: u64 = new_cmd(0x4);
const Q_GETINFO: u64 = new_cmd(0x5);
const Q_SETINFO: u64 = new_cmd(0x6);
const Q_GETQUOTA: u64 = new_cmd(0x7);
const Q_SETQUOTA: u64 = new_cmd(0x8);
const Q_GETNEXTQUOTA: u64 = new_cmd(0x9);
const Q_XQUOTAON: u64 = xqm_cmd(0x1);
const Q_XQUOTAOFF: u64 = xqm_cmd(0x2);
const Q_XQUOTASYNC: u64 = xqm_cmd(0x7);

const QUOTA_CMDS: &[(u64, &str)] = &[
    (old_cmd(0x1), "Q_V1_QUOTAON"),
    (old_cmd(0x2), "Q_V1_QUOTAOFF"),
    (old_cmd(0x3), "Q_V1_GETQUOTA"),
    (old_cmd(0x4), "Q_V1_SETQUOTA"),
    (old_cmd(0x5), "Q_V1_SETUSE"),
    (old_cmd(0x6), "Q_V1_SYNC"),
    (old_cmd(0x7), "Q_SETQLIM"),
    (old_cmd(0x8), "Q_V1_GETSTATS"),
    (old_cmd(0x10), "Q_V1_RSQUASH"),
    (old_cmd(0xd), "Q_V2_GETQUOTA"),
    (old_cmd(0xe), "Q_V2_SETQUOTA"),
    (old_cmd(0xf), "Q_V2_SETUSE"),
    (old_cmd(0x9), "Q_V2_GETINFO"),
    (old_cmd(0xa), "Q_V2_SETINFO"),
    (old_cmd(0xb), "Q_V2_SETGRACE"),
    (old_cmd(0xc), "Q_V2_SETFLAGS"),
    (old_cmd(0x11), "Q_V2_GETSTATS"),
    (Q_SYNC, "Q_SYNC"),
    (Q_QUOTAON, "Q_QUOTAON"),
    (Q_QUOTAOFF, "Q_QUOTAOFF"),
    (Q_GETFMT, "Q_GETFMT"),
    (Q_GETINFO, "Q_GETINFO"),
    (Q_SETINFO, "Q_SETINFO"),
    (Q_GETQUOTA, "Q_GETQUOTA"),
    (Q_SETQUOTA, "Q_SETQUOTA"),
    (Q_GETNEXTQUOTA, "Q_GETNEXTQUOTA"),
    (Q_XQUOTAON, "Q_XQUOTAON"),
    (Q_XQUOTAOFF, "Q_XQUOTAOFF"),
    (xqm_cmd(0x3), "Q_XGETQUOTA"),
    (xqm_cmd(0x4), "Q_XSETQLIM"),
    (xqm_cmd(0x5), "Q_XGETQSTAT"),
    (xqm_cmd(0x6), "Q_XQUOTARM"),
    (Q_XQUOTASYNC, "Q_XQUOTASYNC"),
    (xqm_cmd(0x8), "Q_XGETQSTATV"),
    (xqm_cmd(0x9), "Q_XGETNEXTQUOTA"),
];
use crate::kernel_consts::QUOTA_FORMATS;
use crate::kernel_consts::QUOTA_TYPES;
const DQBLK_VALID: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "QIF_BLIMITS"),
    (1 << 1, "QIF_SPACE"),
    (1 << 2, "QIF_ILIMITS"),
    (1 << 3, "QIF_INODES"),
    (1 << 4, "QIF_BTIME"),
    (1 << 5, "QIF_ITIME"),
]);
const DQINFO_FLAGS: &FlagTable =
    &FlagTable::bits(&[(1 << 0, "DQF_ROOT_SQUASH"), (1 << 16, "DQF_SYS_FILE")]);
const DQINFO_VALID: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "IIF_BGRACE"),
    (1 << 1, "IIF_IGRACE"),
    (1 << 2, "IIF_FLAGS"),
]);
const XFS_QUOTA_FLAGS: &FlagTable = &FlagTable::bits(&[
    (1 << 0, "FS_QUOTA_UDQ_ACCT"),
    (1 << 1, "FS_QUOTA_UDQ_ENFD"),
    (1 << 2, "FS_QUOTA_GDQ_ACCT"),
    (1 << 3, "FS_QUOTA_GDQ_ENFD"),
    (1 << 4, "FS_QUOTA_PDQ_ACCT"),
    (1 << 5, "FS_QUOTA_PDQ_ENFD"),
]);

/// `QCMD(Q_GETQUOTA, USRQUOTA)`.
fn qcmd(out: &mut Out<'_>, raw: u64) {
    out.begin_call("QCMD");
    out.constant(raw >> 8, QUOTA_CMDS, "Q_???");
    out.constant(raw & 0xff, QUOTA_TYPES, "???QUOTA");
    out.end();
}

/// A uid, gid or project id: -1 as such, else unsigned.
fn id(out: &mut Out<'_>, raw: u64) {
    out.arg_name("id");
    if raw == 0xffff_ffff {
        out.int(-1);
    } else {
        out.uint(raw);
    }
}

/// What strace shows after the command (and the special file or fd): `cmd`'s id
/// and address; `Some` phase work left for exit.
fn cmd_data(
    phase: Phase,
    call: &Call<'_, '_>,
    out: &mut Out<'_>,
    cmd: u64,
    raw_id: u64,
    addr: u64,
) -> DecodeStatus {
    let entering = phase == Phase::Entry;
    let at_exit = |out: &mut Out<'_>, body: &dyn Fn(&mut Out<'_>)| {
        if call.is_error() {
            out.pointer(addr);
        } else {
            body(out);
        }
    };
    match cmd {
        Q_QUOTAOFF | Q_SYNC | Q_XQUOTASYNC => {}
        Q_QUOTAON if entering => {
            out.arg_name("id");
            out.constant(raw_id, QUOTA_FORMATS, "QFMT_???");
            out.arg_name("addr");
            out.path_at(call.tracee(), addr);
        }
        Q_GETQUOTA | Q_GETNEXTQUOTA if entering => {
            id(out, raw_id);
            return DecodeStatus::MoreAtExit;
        }
        Q_GETQUOTA | Q_GETNEXTQUOTA => {
            out.arg_name("addr");
            at_exit(out, &|out| dqblk(call, out, addr, cmd == Q_GETNEXTQUOTA))
        }
        Q_SETQUOTA if entering => {
            id(out, raw_id);
            out.arg_name("addr");
            dqblk(call, out, addr, false);
        }
        Q_GETFMT | Q_GETINFO if entering => return DecodeStatus::MoreAtExit,
        Q_GETFMT => {
            out.arg_name("addr");
            at_exit(out, &|out| {
                with_struct(call, out, addr, 4, |out, f| {
                    out.array(|out| out.constant(f.u32(0), QUOTA_FORMATS, "QFMT_???"))
                });
            })
        }
        Q_GETINFO => {
            out.arg_name("addr");
            at_exit(out, &|out| dqinfo(call, out, addr))
        }
        Q_SETINFO if entering => {
            out.arg_name("addr");
            dqinfo(call, out, addr)
        }
        Q_XQUOTAON | Q_XQUOTAOFF if entering => {
            out.arg_name("addr");
            with_struct(call, out, addr, 4, |out, f| {
                out.array(|out| out.flags_or_unknown(f.u32(0), XFS_QUOTA_FLAGS, "FS_QUOTA_???"))
            });
        }
        _ if entering => {
            id(out, raw_id);
            out.arg_name("addr");
            out.pointer(addr);
        }
        _ => {}
    }
    DecodeStatus::Complete
}

fn dqblk(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, next: bool) {
    let size = if next { 72 } else { 68 };
    let verbose = call.options().verbose;
    with_struct(call, out, addr, size, |out, f| {
        out.structure(|out| {
            for (index, name) in [
                "dqb_bhardlimit",
                "dqb_bsoftlimit",
                "dqb_curspace",
                "dqb_ihardlimit",
                "dqb_isoftlimit",
                "dqb_curinodes",
            ]
            .into_iter()
            .enumerate()
            {
                out.field(name);
                out.uint(f.u64(8 * index));
            }
            if !verbose {
                out.ellipsis();
                return;
            }
            out.field("dqb_btime");
            out.uint(f.u64(48));
            out.field("dqb_itime");
            out.uint(f.u64(56));
            out.field("dqb_valid");
            out.flags_or_unknown(f.u32(64), DQBLK_VALID, "QIF_???");
            if next {
                out.field("dqb_id");
                out.uint(f.u32(68));
            }
        })
    });
}

fn dqinfo(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    with_struct(call, out, addr, 24, |out, f| {
        out.structure(|out| {
            out.field("dqi_bgrace");
            out.uint(f.u64(0));
            out.field("dqi_igrace");
            out.uint(f.u64(8));
            out.field("dqi_flags");
            out.flags_or_unknown(f.u32(16), DQINFO_FLAGS, "DQF_???");
            out.field("dqi_valid");
            out.flags_or_unknown(f.u32(20), DQINFO_VALID, "IIF_???");
        })
    });
}

/// quotactl(cmd, special, id, addr).
pub fn quotactl(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let raw = call.arg(0) & 0xffff_ffff;
    if phase == Phase::Entry {
        qcmd(out, raw);
        out.path_at(call.tracee(), call.arg(1));
    } else if call.scratch()[0] != 1 {
        return DecodeStatus::Complete;
    }
    let status = cmd_data(
        phase,
        call,
        out,
        raw >> 8,
        call.arg(2) & 0xffff_ffff,
        call.arg_ulong(3),
    );
    call.scratch()[0] = u64::from(status == DecodeStatus::MoreAtExit);
    status
}

/// quotactl_fd(fd, cmd, id, addr).
pub fn quotactl_fd(phase: Phase, call: &mut Call<'_, '_>, out: &mut Out<'_>) -> DecodeStatus {
    let raw = call.arg(1) & 0xffff_ffff;
    if phase == Phase::Entry {
        out.fd(call.arg_int(0) as i32);
        qcmd(out, raw);
    } else if call.scratch()[0] != 1 {
        return DecodeStatus::Complete;
    }
    let status = cmd_data(
        phase,
        call,
        out,
        raw >> 8,
        call.arg(2) & 0xffff_ffff,
        call.arg_ulong(3),
    );
    call.scratch()[0] = u64::from(status == DecodeStatus::MoreAtExit);
    status
}
