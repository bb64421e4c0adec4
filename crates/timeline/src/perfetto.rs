//! `--perfetto`: the trace in the Trace Event JSON format, which Perfetto's trace viewer
//! (ui.perfetto.dev) and chrome://tracing open. Processes and threads are named and
//! sorted in the timeline's order; each call is a complete event (`"ph":"X"`) with its
//! strace line in args; signals, exits and execs are instant events; forks and clones are
//! flow arrows from the parent's call to the child's first event.

use std::io::{self, Write};

use serde_json::{json, Value};

use crate::model::{CallEnd, LinkKind, Trace};

fn micros(ns: i64) -> f64 {
    ns as f64 / 1000.0
}

/// Writes `trace` as one Trace Event JSON object.
pub fn write_perfetto(trace: &Trace, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"{\"displayTimeUnit\":\"ns\",\"otherData\":")?;
    serde_json::to_writer(
        &mut *out,
        &json!({ "epoch_seconds": trace.epoch, "tracer": "rtrace" }),
    )?;
    out.write_all(b",\"traceEvents\":[\n")?;
    let mut first = true;
    let mut event = |out: &mut dyn Write, v: &Value| -> io::Result<()> {
        if !first {
            out.write_all(b",\n")?;
        }
        first = false;
        serde_json::to_writer(&mut *out, v)?;
        Ok(())
    };
    for (i, lane) in trace.lanes.iter().enumerate() {
        let (pid, tid) = (lane.pid, lane.tid);
        if lane.tid == lane.pid || !trace.lanes[..i].iter().any(|l| l.pid == pid) {
            event(
                out,
                &json!({"ph":"M","name":"process_name","pid":pid,"tid":tid,
                               "args":{"name":lane.label}}),
            )?;
            event(
                out,
                &json!({"ph":"M","name":"process_sort_index","pid":pid,"tid":tid,
                               "args":{"sort_index":i}}),
            )?;
        }
        event(
            out,
            &json!({"ph":"M","name":"thread_name","pid":pid,"tid":tid,
                           "args":{"name":format!("tid {tid}")}}),
        )?;
        event(
            out,
            &json!({"ph":"M","name":"thread_sort_index","pid":pid,"tid":tid,
                           "args":{"sort_index":i}}),
        )?;
    }
    for call in &trace.calls {
        let lane = &trace.lanes[call.lane as usize];
        let name = &trace.names[call.name as usize];
        let result = match call.end {
            CallEnd::Returned => "returned",
            CallEnd::Failed => "failed",
            CallEnd::NeverReturned => "never returned",
        };
        event(
            out,
            &json!({
                "ph":"X", "name":name, "cat":trace.families[call.name as usize],
                "pid":lane.pid, "tid":lane.tid, "ts":micros(call.start), "dur":micros(call.duration),
                "args":{"call":call.text, "arch":trace.arches[call.arch as usize], "result":result}
            }),
        )?;
    }
    for mark in &trace.marks {
        let lane = &trace.lanes[mark.lane as usize];
        event(
            out,
            &json!({
                "ph":"i", "s":"t", "name":mark.text, "cat":mark.kind.name(),
                "pid":lane.pid, "tid":lane.tid, "ts":micros(mark.at)
            }),
        )?;
    }
    for (id, link) in trace.links.iter().enumerate() {
        let (from, to) = (
            &trace.lanes[link.from as usize],
            &trace.lanes[link.to as usize],
        );
        let cat = match link.kind {
            LinkKind::Process => "process",
            LinkKind::Thread => "thread",
        };
        // The flow starts inside the parent's call and binds to the child's first event.
        event(
            out,
            &json!({"ph":"s","id":id,"name":link.how,"cat":cat,"pid":from.pid,
                           "tid":from.tid,"ts":micros(link.at - 1)}),
        )?;
        event(
            out,
            &json!({"ph":"f","bp":"e","id":id,"name":link.how,"cat":cat,"pid":to.pid,
                           "tid":to.tid,"ts":micros(link.child_start)}),
        )?;
    }
    out.write_all(b"\n]}\n")?;
    Ok(())
}
