//! System V IPC: keys, get flags with permissions, sembuf arrays and message buffers.

use rtrace_sdk::kstruct::{time_at, with_struct, Layout, TimeAbi, TimeUnit};
use rtrace_sdk::{Call, Out, StrStyle};

use crate::tables::{IPC_GET_FLAGS, SEM_FLAGS};

/// `IPC_PRIVATE` for key 0, otherwise the key in hex.
pub fn key(call: &mut Call<'_, '_>, out: &mut Out<'_>, _raw: u64) {
    match call.arg(0) & 0xffff_ffff {
        0 => out.named("IPC_PRIVATE", 0, true),
        key => out.hex(key),
    }
}

/// `IPC_CREAT|IPC_EXCL|0600`: the known bits, then the permissions in octal (under
/// `-X raw` the bits as one value: `0x600|0600`).
pub fn get_flags(call: &mut Call<'_, '_>, out: &mut Out<'_>, raw: u64) {
    let _ = call;
    let flags = raw & 0xffff_ffff;
    out.begin_flags();
    let bits = flags & !0o777;
    if bits != 0 {
        out.flags(bits, IPC_GET_FLAGS);
    }
    out.octal(flags & 0o777);
    out.end();
}

/// `struct sembuf`: unsigned short sem_num, short sem_op, short sem_flg.
const SEMBUF_SIZE: u64 = 6;

/// semop's and semtimedop's array, `nsops` (argument 2) long.
pub fn sembufs(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let count = call.arg(2) & 0xffff_ffff;
    let mut first = [0u8; SEMBUF_SIZE as usize];
    if addr == 0 || !call.tracee().read_exact(addr, &mut first) {
        out.pointer(addr);
        return;
    }
    let limit = match (call.options().verbose, call.options().string_limit) {
        (true, _) | (_, 0) => u64::MAX,
        (false, n) => u64::from(n),
    };
    out.begin_array();
    for index in 0..count {
        if index == limit {
            out.ellipsis();
            break;
        }
        let element = addr.wrapping_add(index * SEMBUF_SIZE);
        let done = with_struct(call, out, element, SEMBUF_SIZE as usize, |out, f| {
            out.structure(|out| {
                out.field("sem_num");
                out.uint(f.u16(0));
                out.field("sem_op");
                out.int(i64::from(f.u16(2) as u16 as i16));
                out.field("sem_flg");
                out.flags(f.u16(4), SEM_FLAGS);
            })
        });
        if !done {
            break;
        }
    }
    out.end();
}

pub fn timeout(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    time_at(call, out, addr, TimeAbi::of(call), TimeUnit::Nanos);
}

/// `{mtype=1, mtext="hello\0"}`: a long, then `len` bytes of text.
fn msgbuf(call: &Call<'_, '_>, out: &mut Out<'_>, addr: u64, len: u64) {
    let layout = Layout::of(call);
    let mut mtype = 0i64;
    let read = with_struct(call, out, addr, layout.word, |_, f| mtype = f.long(0));
    if !read {
        return;
    }
    out.begin_struct();
    out.field("mtype");
    out.int(mtype);
    out.field("mtext");
    let text_at = addr.wrapping_add(layout.word as u64);
    out.buffer_at(call.tracee(), text_at, len, call.options().string_limit);
    out.end();
    let _ = StrStyle::Quoted;
}

/// msgsnd's buffer: `msgsz` (argument 2) bytes of text.
pub fn msgbuf_in(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    msgbuf(call, out, addr, call.arg_ulong(2));
}

/// msgrcv's buffer: strace shows `msgsz` bytes of it, whatever was received.
pub fn msgbuf_out(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    if call.is_error() {
        out.pointer(addr);
    } else {
        msgbuf(call, out, addr, call.arg_ulong(2));
    }
}
