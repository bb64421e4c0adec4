//! The old ways of setting a file's times: utime's `struct utimbuf` (seconds) and
//! utimes'/futimesat's two `struct timeval`s, each with its date as strace shows it.

use rtrace_sdk::kstruct::{with_struct, Layout, TimeAbi};
use rtrace_sdk::{Call, Out, Timestamp};

/// `{actime=1000000000 /* 2001-09-09T01:46:40+0000 */, modtime=...}`: two `time_t`s.
pub fn utimbuf(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let word = Layout::of(call).word;
    with_struct(call, out, addr, 2 * word, |out, f| {
        out.structure(|out| {
            for (index, name) in ["actime", "modtime"].into_iter().enumerate() {
                let sec = f.long(index * word);
                out.field(name);
                out.text_fmt(format_args!("{sec}{}", Timestamp::new(sec, 0).comment()));
            }
        })
    });
}

/// `[{tv_sec=1, tv_usec=5} /* date */, {...}]`: the date only for a valid time.
pub fn timeval_pair(call: &mut Call<'_, '_>, out: &mut Out<'_>, addr: u64) {
    let one = TimeAbi::Native.size(Layout::of(call));
    with_struct(call, out, addr, 2 * one, |out, f| {
        out.array(|out| {
            for index in 0..2 {
                let (sec, usec) = TimeAbi::Native.read(&f, index * one);
                if (0..1_000_000).contains(&usec) {
                    out.text_fmt(format_args!(
                        "{{tv_sec={sec}, tv_usec={usec}}} /* {} */",
                        Timestamp::from_micros(sec, usec)
                    ));
                } else {
                    out.text_fmt(format_args!("{{tv_sec={sec}, tv_usec={usec}}}"));
                }
            }
        })
    });
}
