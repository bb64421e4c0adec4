//! `-e read=SET` / `-e write=SET`: the data a call read from or wrote to a descriptor
//! of the set, fetched from the tracee as strace dumps it; the renderer writes it as
//! rows after the call's line, or as `--json`'s `"dump"`.
//!
//! Which calls carry data, and where (a buffer and its length, an iovec array, a
//! msghdr's, an mmsghdr array's), is strace's list; the struct layouts come from the
//! SDK's `Layout`, their one home. Data written is dumped whatever the call returned
//! (as much as was asked to be written); data read only after a success, as much as
//! was returned.

use rtrace_render::dump::{
    CallDump, DumpDirection, DumpPart, DumpedData, Unreadable, DUMP_ROW_BYTES,
};
use rtrace_sdk::kstruct::{Fields, Layout};

use crate::filter::FdSet;

/// Where a call's data is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Data {
    /// A buffer: argument 1, its length argument 2 (written) or the result (read).
    Buffer,
    /// An iovec array: argument 1, its count argument 2.
    Vector,
    /// A msghdr at argument 1.
    Message,
    /// An array of mmsghdrs at argument 1, as many as the call returned.
    Messages,
}

/// strace's calls whose data written is dumped.
fn written(name: &str) -> Option<Data> {
    Some(match name {
        "write" | "pwrite64" | "send" | "sendto" | "mq_timedsend" | "mq_timedsend_time64" => {
            Data::Buffer
        }
        "writev" | "pwritev" | "pwritev2" | "vmsplice" => Data::Vector,
        "sendmsg" => Data::Message,
        "sendmmsg" => Data::Messages,
        _ => return None,
    })
}

/// strace's calls whose data read is dumped.
fn read(name: &str) -> Option<Data> {
    Some(match name {
        "read" | "pread64" | "recv" | "recvfrom" | "mq_timedreceive" | "mq_timedreceive_time64" => {
            Data::Buffer
        }
        "readv" | "preadv" | "preadv2" => Data::Vector,
        "recvmsg" => Data::Message,
        "recvmmsg" | "recvmmsg_time64" => Data::Messages,
        _ => return None,
    })
}

/// The most bytes read from the tracee at once (strace's buffer).
const CHUNK: usize = 1 << 16;

/// A finished call, as a dump needs it.
pub struct DumpedCall<'a> {
    pub name: &'a str,
    pub args: [u64; 6],
    pub value: i64,
    pub is_error: bool,
    pub layout: Layout,
}

/// Reads tracee memory: the bytes read, `None` when nothing could be.
pub type ReadMemory<'a> = &'a dyn Fn(u64, &mut [u8]) -> Option<usize>;

/// The data `call` moved, when its descriptor (argument 0, an int) is in `writes` or
/// `reads` and it is a call whose data strace dumps that way; `None` otherwise.
pub fn dump_call(
    call: &DumpedCall<'_>,
    reads: Option<&FdSet>,
    writes: Option<&FdSet>,
    memory: ReadMemory<'_>,
) -> Option<CallDump> {
    let fd = call.args[0] as i32;
    if fd < 0 {
        return None;
    }
    let mut dumper = Dumper {
        layout: call.layout,
        memory,
        parts: Vec::new(),
    };
    let direction = if let Some(data) = written(call.name) {
        if !writes.is_some_and(|set| set.contains(fd)) {
            return None;
        }
        match data {
            Data::Buffer => dumper.buffer(call.args[1], call.args[2]),
            Data::Vector => dumper.vector(call.args[1], call.args[2], u64::MAX),
            Data::Message => dumper.message(call.args[1], u64::MAX),
            Data::Messages if !call.is_error => dumper.messages(call.args[1], call.value as u64),
            Data::Messages => return None,
        }
        DumpDirection::Write
    } else {
        let data = read(call.name)?;
        if call.is_error || !reads.is_some_and(|set| set.contains(fd)) {
            return None;
        }
        let returned = call.value as u64;
        match data {
            Data::Buffer => dumper.buffer(call.args[1], returned),
            Data::Vector => dumper.vector(call.args[1], call.args[2], returned),
            Data::Message => dumper.message(call.args[1], returned),
            Data::Messages => dumper.messages(call.args[1], returned),
        }
        DumpDirection::Read
    };
    // A call that moved nothing shows nothing, in text as in JSON.
    (!dumper.parts.is_empty()).then_some(CallDump {
        fd,
        direction,
        parts: dumper.parts,
    })
}

struct Dumper<'a> {
    layout: Layout,
    memory: ReadMemory<'a>,
    parts: Vec<DumpPart>,
}

impl Dumper<'_> {
    /// Reads exactly `buf.len()` bytes.
    fn read_exact(&self, addr: u64, buf: &mut [u8]) -> bool {
        (self.memory)(addr, buf) == Some(buf.len())
    }

    /// `len` bytes at `addr`, read a chunk at a time until one cannot be read.
    fn buffer(&mut self, addr: u64, len: u64) {
        // strace skips lengths whose end would wrap around, and empty ones.
        if len == 0
            || len.checked_add(DUMP_ROW_BYTES as u64).is_none()
            || addr.checked_add(len).is_none()
        {
            return;
        }
        let mut bytes = Vec::new();
        let mut unreadable = None;
        while (bytes.len() as u64) < len {
            let done = bytes.len();
            let want = ((len - done as u64) as usize).min(CHUNK);
            bytes.resize(done + want, 0);
            let at = addr + done as u64;
            if !self.read_exact(at, &mut bytes[done..]) {
                bytes.truncate(done);
                unreadable = Some(Unreadable {
                    addr: at,
                    len: want as u64,
                });
                break;
            }
        }
        self.parts.push(DumpPart::Data(DumpedData {
            len,
            bytes,
            unreadable,
        }));
    }

    /// The first `count` iovecs at `addr`, at most `limit` bytes over all of them.
    fn vector(&mut self, addr: u64, count: u64, mut limit: u64) {
        // strace takes the count as an int; an array it cannot allocate is not read.
        let count = count as i32;
        let size = self.layout.iovec_size();
        let Some(bytes) = usize::try_from(count)
            .ok()
            .and_then(|n| n.checked_mul(size))
            .filter(|&n| n <= 1 << 24)
        else {
            return;
        };
        let mut array = vec![0u8; bytes];
        if !self.read_exact(addr, &mut array) {
            return;
        }
        for (index, element) in array.chunks_exact(size).enumerate() {
            let fields = Fields::new(element, self.layout);
            let base = fields.word(0);
            let len = fields.word(self.layout.word).min(limit);
            if len == 0 {
                break;
            }
            limit -= len;
            self.parts.push(DumpPart::Iovec { index, len });
            self.buffer(base, len);
        }
    }

    /// A msghdr's iovecs, at most `limit` bytes.
    fn message(&mut self, addr: u64, limit: u64) {
        let mut header = [0u8; 7 * 8];
        let header = &mut header[..self.layout.msghdr_size()];
        if !self.read_exact(addr, header) {
            return;
        }
        let fields = Fields::new(header, self.layout);
        let [_, _, iov, iovlen, ..] = self.layout.msghdr_offsets();
        self.vector(fields.word(iov), fields.word(iovlen), limit);
    }

    /// `count` mmsghdrs: each message's iovecs, as many bytes as its `msg_len`.
    fn messages(&mut self, addr: u64, count: u64) {
        let size = self.layout.mmsghdr_size();
        let mut element = [0u8; 8 * 8];
        let element = &mut element[..size];
        for index in 0..count as u32 {
            let at = addr.wrapping_add(u64::from(index) * size as u64);
            if !self.read_exact(at, element) {
                return;
            }
            let fields = Fields::new(element, self.layout);
            let [_, _, iov, iovlen, ..] = self.layout.msghdr_offsets();
            let buffers = fields.word(iovlen);
            let msg_len = fields.u32(self.layout.msghdr_size());
            self.parts.push(DumpPart::Message {
                index: index as usize,
                buffers,
            });
            self.vector(fields.word(iov), buffers, msg_len);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rtrace_render::dump::write_dump;

    /// A fake tracee: `memory` mapped at `base`.
    fn reader(base: u64, memory: &[u8]) -> impl Fn(u64, &mut [u8]) -> Option<usize> + '_ {
        move |addr, buf| {
            let start = usize::try_from(addr.checked_sub(base)?).ok()?;
            let end = (start + buf.len()).min(memory.len());
            if start >= end {
                return None;
            }
            buf[..end - start].copy_from_slice(&memory[start..end]);
            Some(end - start)
        }
    }

    fn dump(name: &str, args: [u64; 6], value: i64, memory: &[u8]) -> String {
        let all = FdSet::parse_dump("all").unwrap();
        let call = DumpedCall {
            name,
            args,
            value,
            is_error: false,
            layout: Layout::LP64,
        };
        let mut out = Vec::new();
        let read = reader(0x1000, memory);
        if let Some(dump) = dump_call(&call, Some(&all), Some(&all), &read) {
            write_dump(&mut out, 7, &dump);
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_read_dumps_what_it_returned() {
        let text = dump("read", [3, 0x1000, 100, 0, 0, 0], 3, b"abcdef");
        assert_eq!(
            text,
            " | 00000  61 62 63                                          abc              |\n"
        );
    }

    #[test]
    fn a_writev_dumps_each_buffer() {
        // Two iovecs at 0x1000 pointing at "hi" (0x1020) and "there" (0x1022).
        let mut memory = vec![0u8; 0x30];
        memory[0..8].copy_from_slice(&0x1020u64.to_le_bytes());
        memory[8..16].copy_from_slice(&2u64.to_le_bytes());
        memory[16..24].copy_from_slice(&0x1022u64.to_le_bytes());
        memory[24..32].copy_from_slice(&5u64.to_le_bytes());
        memory[0x20..0x27].copy_from_slice(b"hithere");
        let text = dump("writev", [1, 0x1000, 2, 0, 0, 0], 7, &memory);
        assert_eq!(
            text,
            " * 2 bytes in buffer 0\n \
             | 00000  68 69                                             hi               |\n \
             * 5 bytes in buffer 1\n \
             | 00000  74 68 65 72 65                                    there            |\n"
        );
    }

    #[test]
    fn an_unreadable_buffer_shows_nothing_and_negative_fds_are_skipped() {
        assert_eq!(dump("write", [1, 0x9000, 4, 0, 0, 0], 4, b"data"), "");
        assert_eq!(
            dump("write", [u64::MAX, 0x1000, 4, 0, 0, 0], 4, b"data"),
            ""
        );
        assert_eq!(dump("close", [1, 0, 0, 0, 0, 0], 0, b""), "");
    }
}
