//! `--timeline`: one self-contained HTML page. The page (markup, script and style) is
//! `assets/timeline.html`; the trace goes into its JSON data block, in columns so that a
//! million calls stay a few arrays the script walks without building objects.

use std::io::{self, Write};

use serde::Serialize;

use crate::model::{CallEnd, SummaryRow, Trace};

const PAGE: &str = include_str!("../assets/timeline.html");
const DATA_SLOT: &str = "__RTRACE_TRACE_DATA__";

#[derive(Serialize)]
struct Data<'a> {
    epoch: f64,
    lanes: Vec<LaneData<'a>>,
    names: &'a [String],
    families: &'a [&'static str],
    arches: &'a [String],
    calls: Columns<'a>,
    marks: Vec<MarkData<'a>>,
    links: Vec<LinkData>,
    summary: &'a [SummaryRow],
}

#[derive(Serialize)]
struct LaneData<'a> {
    tid: i32,
    pid: i32,
    parent: Option<i32>,
    depth: u32,
    label: &'a str,
    first: i64,
    last: i64,
    end: Option<&'a str>,
}

/// The calls, one array per field, in lane-then-start order.
#[derive(Serialize, Default)]
struct Columns<'a> {
    lane: Vec<u32>,
    start: Vec<i64>,
    dur: Vec<i64>,
    name: Vec<u32>,
    arch: Vec<u32>,
    /// 0 returned, 1 failed, 2 never returned.
    end: Vec<u8>,
    text: Vec<&'a str>,
}

#[derive(Serialize)]
struct MarkData<'a> {
    lane: u32,
    at: i64,
    kind: &'static str,
    text: &'a str,
}

#[derive(Serialize)]
struct LinkData {
    from: u32,
    to: u32,
    at: i64,
    child_start: i64,
    thread: bool,
    how: &'static str,
}

/// Writes the page for `trace`.
pub fn write_html(trace: &Trace, out: &mut dyn Write) -> io::Result<()> {
    let mut calls = Columns::default();
    for c in &trace.calls {
        calls.lane.push(c.lane);
        calls.start.push(c.start);
        calls.dur.push(c.duration);
        calls.name.push(c.name);
        calls.arch.push(c.arch);
        calls.end.push(match c.end {
            CallEnd::Returned => 0,
            CallEnd::Failed => 1,
            CallEnd::NeverReturned => 2,
        });
        calls.text.push(&c.text);
    }
    let data = Data {
        epoch: trace.epoch,
        lanes: trace
            .lanes
            .iter()
            .map(|l| LaneData {
                tid: l.tid,
                pid: l.pid,
                parent: l.parent,
                depth: l.depth,
                label: &l.label,
                first: l.first,
                last: l.last,
                end: l.end.as_deref(),
            })
            .collect(),
        names: &trace.names,
        families: &trace.families,
        arches: &trace.arches,
        calls,
        marks: trace
            .marks
            .iter()
            .map(|m| MarkData {
                lane: m.lane,
                at: m.at,
                kind: m.kind.name(),
                text: &m.text,
            })
            .collect(),
        links: trace
            .links
            .iter()
            .map(|l| LinkData {
                from: l.from,
                to: l.to,
                at: l.at,
                child_start: l.child_start,
                thread: l.kind == crate::model::LinkKind::Thread,
                how: l.how,
            })
            .collect(),
        summary: &trace.summary,
    };
    let (before, after) = PAGE
        .split_once(DATA_SLOT)
        .expect("the page template has its data slot");
    out.write_all(before.as_bytes())?;
    serde_json::to_writer(ScriptSafe(&mut *out), &data)?;
    out.write_all(after.as_bytes())?;
    Ok(())
}

/// Writes JSON for a `<script>` block: `<` can only occur inside strings, where
/// `\u003c` means the same, so no `</script>` or `<!--` in a traced string can end the
/// block.
struct ScriptSafe<'a>(&'a mut dyn Write);

impl Write for ScriptSafe<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for chunk in buf.split_inclusive(|&b| b == b'<') {
            match chunk.split_last() {
                Some((b'<', head)) => {
                    self.0.write_all(head)?;
                    self.0.write_all(b"\\u003c")?;
                }
                _ => self.0.write_all(chunk)?,
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_cannot_close_the_block() {
        let mut out = Vec::new();
        ScriptSafe(&mut out)
            .write_all(br#"{"a":"</script><!--x"}"#)
            .unwrap();
        assert_eq!(out, br#"{"a":"\u003c/script>\u003c!--x"}"#);
    }

    #[test]
    fn the_page_has_one_data_slot_and_no_external_reference() {
        assert_eq!(PAGE.matches(DATA_SLOT).count(), 1);
        for external in ["http:", "https:", "src=", "@import", "url("] {
            assert!(!PAGE.contains(external), "the page refers to {external}");
        }
    }
}
