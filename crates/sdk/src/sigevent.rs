//! `struct sigevent`: how a timer (timer_create) or a message queue (mq_notify)
//! tells the process that something happened.

use crate::call::Call;
use crate::kstruct::{with_struct, Layout};
use crate::value_builder::Out;

pub use crate::kernel_consts::SIGEV_NOTIFY;

const SIGEV_SIGNAL: i64 = 0;
const SIGEV_THREAD: i64 = 2;
const SIGEV_THREAD_ID: i64 = 4;

/// `struct sigevent`: value (a word-sized union), signo, notify, then a union that
/// starts at the next word boundary.
pub fn sigevent_at(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let layout = Layout::of(call);
    let union_at = layout.words(2).max(layout.word + 8);
    with_struct(call, out, addr, union_at + layout.words(2), |out, f| {
        let value = f.word(0);
        let signo = f.i32(layout.word);
        let notify = f.i32(layout.word + 4);
        out.begin_struct();
        if value != 0 {
            out.field("sigev_value");
            out.structure(|out| {
                out.field("sival_int");
                out.int(f.i32(0));
                out.field("sival_ptr");
                out.pointer(value);
            });
        }
        out.field("sigev_signo");
        if matches!(notify, SIGEV_SIGNAL | SIGEV_THREAD_ID | SIGEV_THREAD) {
            out.signal(signo);
        } else {
            out.int(signo);
        }
        out.field("sigev_notify");
        out.constant(notify as u32 as u64, SIGEV_NOTIFY, "SIGEV_???");
        match notify {
            SIGEV_THREAD_ID => {
                out.field("sigev_notify_thread_id");
                out.int(f.i32(union_at));
            }
            SIGEV_THREAD => {
                out.field("sigev_notify_function");
                out.pointer(f.word(union_at));
                out.field("sigev_notify_attributes");
                out.pointer(f.word(union_at + layout.word));
            }
            _ => {}
        }
        out.end();
    });
}
