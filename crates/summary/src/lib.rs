//! The statistics of a trace: what `-c` / `-C` count and print, and `--latency`'s
//! percentiles.
//!
//! Owns: the per-syscall counters (calls, errors, time, maximum, a latency histogram),
//! `-S`'s sort orders, strace's summary table as text, and the rows' figures for a
//! caller that lays them out itself (the timeline's side table).
//!
//! Must not know: where the table is written (the CLI hands its bytes to the sink),
//! tracing, decoding, or which personality a call came from (the CLI keeps one
//! summary per personality).

use std::cmp::Reverse;
use std::io::Write;
use std::time::Duration;

/// What the table is sorted by (`-S`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Time,
    Calls,
    Errors,
    Name,
    /// Average time per call.
    AverageTime,
    /// Syscall number order (`-S nothing`).
    Nothing,
}

impl SortKey {
    /// strace's `-S` words.
    pub fn parse(word: &str) -> Result<Self, String> {
        Ok(match word {
            "time" | "time_total" | "total_time" => SortKey::Time,
            "calls" | "count" => SortKey::Calls,
            "errors" | "error" => SortKey::Errors,
            "name" | "syscall" | "syscall_name" => SortKey::Name,
            "avg_time" | "time_avg" => SortKey::AverageTime,
            "nothing" | "none" => SortKey::Nothing,
            _ => return Err(format!("invalid sortby: '{word}'")),
        })
    }
}

/// Sub-buckets per power of two in the latency histogram (~9% wide buckets).
const SUB_BUCKETS: usize = 8;
const BUCKETS: usize = 48 * SUB_BUCKETS;

fn bucket_of(nanos: u64) -> usize {
    if nanos < SUB_BUCKETS as u64 {
        return nanos as usize;
    }
    let power = 63 - nanos.leading_zeros() as usize;
    let sub = ((nanos >> (power - 3)) & 7) as usize;
    ((power - 2) * SUB_BUCKETS + sub).min(BUCKETS - 1)
}

/// The smallest value that falls in `bucket` (a lower bound of the bucket's range).
fn bucket_floor(bucket: usize) -> u64 {
    if bucket < SUB_BUCKETS {
        return bucket as u64;
    }
    let power = bucket / SUB_BUCKETS + 2;
    let sub = (bucket % SUB_BUCKETS) as u64;
    (8 + sub) << (power - 3)
}

/// Per-syscall counters.
#[derive(Clone)]
struct Row {
    name: String,
    number: u64,
    calls: u64,
    errors: u64,
    total: Duration,
    max: Duration,
    /// Latency histogram, allocated only with `--latency`.
    histogram: Option<Box<[u32; BUCKETS]>>,
}

/// One row's figures, for a caller that lays the table out itself (the timeline's
/// side table); percentiles only with `--latency`.
#[derive(Debug, Clone, PartialEq)]
pub struct RowFigures<'a> {
    pub name: &'a str,
    pub calls: u64,
    pub errors: u64,
    pub total: Duration,
    pub p50: Option<Duration>,
    pub p99: Option<Duration>,
    pub max: Duration,
}

/// Counts calls, errors and time per syscall.
#[derive(Default)]
pub struct Summary {
    rows: Vec<Row>,
    /// Row index by (arch-independent) syscall name, looked up at every counted call:
    /// a fast hash rather than SipHash.
    index: rustc_hash::FxHashMap<String, usize>,
    pub latency: bool,
}

impl Summary {
    pub fn new(latency: bool) -> Self {
        Summary {
            latency,
            ..Summary::default()
        }
    }

    /// Records one finished call.
    pub fn record(&mut self, name: &str, number: u64, time: Duration, failed: bool) {
        let i = match self.index.get(name) {
            Some(&i) => i,
            None => {
                self.rows.push(Row {
                    name: name.to_string(),
                    number,
                    calls: 0,
                    errors: 0,
                    total: Duration::ZERO,
                    max: Duration::ZERO,
                    histogram: self.latency.then(|| Box::new([0u32; BUCKETS])),
                });
                self.index.insert(name.to_string(), self.rows.len() - 1);
                self.rows.len() - 1
            }
        };
        let row = &mut self.rows[i];
        row.calls += 1;
        row.errors += u64::from(failed);
        row.total += time;
        row.max = row.max.max(time);
        if let Some(h) = &mut row.histogram {
            let b = bucket_of(time.as_nanos().min(u64::MAX as u128) as u64);
            h[b] = h[b].saturating_add(1);
        }
    }

    /// No call was counted (strace then prints no table at all).
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn sorted(&self, sort: SortKey) -> Vec<&Row> {
        let mut rows: Vec<&Row> = self.rows.iter().collect();
        rows.sort_by_key(|r| r.number);
        match sort {
            SortKey::Time => rows.sort_by_key(|r| Reverse(r.total)),
            SortKey::Calls => rows.sort_by_key(|r| Reverse(r.calls)),
            SortKey::Errors => rows.sort_by_key(|r| Reverse(r.errors)),
            SortKey::Name => rows.sort_by(|a, b| a.name.cmp(&b.name)),
            SortKey::AverageTime => rows.sort_by_key(|r| Reverse(average(r))),
            SortKey::Nothing => {}
        }
        rows
    }

    /// The rows' figures in the table's order.
    pub fn rows(&self, sort: SortKey) -> Vec<RowFigures<'_>> {
        self.sorted(sort)
            .into_iter()
            .map(|r| {
                let p = |q| {
                    r.histogram
                        .as_ref()
                        .map(|h| Duration::from_nanos(percentile(h, r.calls, q)))
                };
                RowFigures {
                    name: &r.name,
                    calls: r.calls,
                    errors: r.errors,
                    total: r.total,
                    p50: p(0.50),
                    p99: p(0.99),
                    max: r.max,
                }
            })
            .collect()
    }

    /// Writes strace's table.
    pub fn write_table(&self, out: &mut Vec<u8>, sort: SortKey) {
        let rows = self.sorted(sort);
        let total_time: Duration = rows.iter().map(|r| r.total).sum();
        let total_calls: u64 = rows.iter().map(|r| r.calls).sum();
        let total_errors: u64 = rows.iter().map(|r| r.errors).sum();
        let _ = write!(out, "% time     seconds  usecs/call     calls    errors ");
        if self.latency {
            let _ = write!(out, "   p50 us    p99 us    max us ");
        }
        let _ = writeln!(out, "syscall");
        let rule = |out: &mut Vec<u8>| {
            let _ = write!(out, "------ ----------- ----------- --------- --------- ");
            if self.latency {
                let _ = write!(out, "--------- --------- --------- ");
            }
            let _ = writeln!(out, "----------------");
        };
        rule(out);
        for r in &rows {
            self.write_row(
                out,
                &r.name,
                r.total,
                total_time,
                r.calls,
                r.errors,
                Some(r),
            );
        }
        rule(out);
        self.write_row(
            out,
            "total",
            total_time,
            total_time,
            total_calls,
            total_errors,
            None,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn write_row(
        &self,
        out: &mut Vec<u8>,
        name: &str,
        time: Duration,
        total_time: Duration,
        calls: u64,
        errors: u64,
        row: Option<&Row>,
    ) {
        let percent = if total_time.is_zero() {
            if name == "total" {
                100.0
            } else {
                0.0
            }
        } else {
            time.as_secs_f64() * 100.0 / total_time.as_secs_f64()
        };
        let per_call = if calls == 0 {
            0
        } else {
            (time.as_micros() / calls as u128) as u64
        };
        let _ = write!(
            out,
            "{percent:6.2} {:11.6} {per_call:11} {calls:9} ",
            time.as_secs_f64()
        );
        if errors > 0 {
            let _ = write!(out, "{errors:9} ");
        } else {
            let _ = write!(out, "{:9} ", "");
        }
        if self.latency {
            match row.and_then(|r| r.histogram.as_ref().map(|h| (r, h))) {
                Some((r, h)) => {
                    let p = |q: f64| percentile(h, r.calls, q) as f64 / 1000.0;
                    let _ = write!(
                        out,
                        "{:9.1} {:9.1} {:9.1} ",
                        p(0.50),
                        p(0.99),
                        r.max.as_nanos() as f64 / 1000.0
                    );
                }
                None => {
                    let max = self.rows.iter().map(|r| r.max).max().unwrap_or_default();
                    let _ = write!(
                        out,
                        "{:9} {:9} {:9.1} ",
                        "",
                        "",
                        max.as_nanos() as f64 / 1000.0
                    );
                }
            }
        }
        let _ = writeln!(out, "{name}");
    }
}

fn average(r: &Row) -> Duration {
    if r.calls == 0 {
        Duration::ZERO
    } else {
        r.total / r.calls as u32
    }
}

/// The lower bound, in nanoseconds, of the bucket holding the `q` quantile.
fn percentile(histogram: &[u32; BUCKETS], calls: u64, q: f64) -> u64 {
    let rank = ((calls as f64) * q).ceil().max(1.0) as u64;
    let mut seen = 0u64;
    for (b, &count) in histogram.iter().enumerate() {
        seen += u64::from(count);
        if seen >= rank {
            return bucket_floor(b);
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_carry_the_tables_figures() {
        let mut s = Summary::new(true);
        s.record("read", 0, Duration::from_micros(10), false);
        s.record("read", 0, Duration::from_micros(30), true);
        s.record("close", 3, Duration::from_micros(100), false);
        let rows = s.rows(SortKey::Time);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].name, rows[0].calls, rows[0].errors),
            ("close", 1, 0)
        );
        assert_eq!(rows[1].total, Duration::from_micros(40));
        assert_eq!(rows[1].max, Duration::from_micros(30));
        // Percentiles are the lower bounds of ~9% wide buckets, as in the -c table.
        let p50 = rows[1].p50.unwrap();
        assert!(
            p50 <= Duration::from_micros(10) && p50 > Duration::from_micros(9),
            "{p50:?}"
        );
        assert!(Summary::new(false).rows(SortKey::Time).is_empty());
        let mut plain = Summary::new(false);
        plain.record("read", 0, Duration::from_micros(10), false);
        assert_eq!(plain.rows(SortKey::Time)[0].p99, None);
    }

    #[test]
    fn table_as_strace_prints_it() {
        let mut s = Summary::new(false);
        s.record("read", 0, Duration::from_micros(10), false);
        s.record("openat", 257, Duration::from_micros(30), true);
        s.record("openat", 257, Duration::from_micros(30), false);
        let mut out = Vec::new();
        s.write_table(&mut out, SortKey::Time);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "% time     seconds  usecs/call     calls    errors syscall"
        );
        assert_eq!(
            lines[1],
            "------ ----------- ----------- --------- --------- ----------------"
        );
        assert_eq!(
            lines[2],
            " 85.71    0.000060          30         2         1 openat"
        );
        assert_eq!(
            lines[3],
            " 14.29    0.000010          10         1           read"
        );
        assert_eq!(
            lines[5],
            "100.00    0.000070          23         3         1 total"
        );
    }

    #[test]
    fn sort_keys_and_ties_in_number_order() {
        let mut s = Summary::new(false);
        for (name, nr) in [("close", 3), ("read", 0), ("mmap", 9), ("mmap", 9)] {
            s.record(name, nr, Duration::ZERO, false);
        }
        let mut out = Vec::new();
        s.write_table(&mut out, SortKey::Calls);
        let text = String::from_utf8(out).unwrap();
        let names: Vec<&str> = text
            .lines()
            .skip(2)
            .take(3)
            .map(|l| l.rsplit(' ').next().unwrap())
            .collect();
        assert_eq!(names, ["mmap", "read", "close"]);
        assert!(SortKey::parse("bogus").is_err());
    }

    #[test]
    fn latency_percentiles_are_close() {
        let mut s = Summary::new(true);
        for us in 1..=100u64 {
            s.record("getppid", 110, Duration::from_micros(us), false);
        }
        let mut out = Vec::new();
        s.write_table(&mut out, SortKey::Time);
        let text = String::from_utf8(out).unwrap();
        let row = text.lines().nth(2).unwrap();
        // The errors column is blank, so p50 is the fifth field.
        let cols: Vec<f64> = row
            .split_whitespace()
            .skip(4)
            .take(3)
            .map(|c| c.parse().unwrap())
            .collect();
        assert!((45.0..=50.0).contains(&cols[0]), "p50 {}", cols[0]);
        assert!((90.0..=99.0).contains(&cols[1]), "p99 {}", cols[1]);
        assert_eq!(cols[2], 100.0);
    }

    #[test]
    fn buckets_are_monotonic() {
        let mut last = 0;
        for n in [0u64, 1, 7, 8, 9, 15, 16, 100, 1000, 1_000_000, u64::MAX / 2] {
            let b = bucket_of(n);
            assert!(b >= last);
            assert!(bucket_floor(b) <= n);
            last = b;
        }
    }
}
