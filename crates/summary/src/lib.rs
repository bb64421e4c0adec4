//! The statistics of a trace: what `-c` / `-C` count and print, and `--latency`'s
//! percentiles. The table is laid out as strace 7.2 lays it out: its columns chosen and
//! ordered by `-U` (CPU or `-w` wall time, with the wall-clock columns of 7.1 beside
//! them), sorted by `-S`, each call's time less the `-O` overhead.
//!
//! Owns: the per-syscall counters (calls, errors, time, minimum and maximum, wall-clock
//! times, a latency histogram), `-S`'s sort orders, strace's summary table as text, and
//! the rows' figures for a caller that lays them out itself (the timeline's side table).
//!
//! Must not know: where the table is written (the CLI hands its bytes to the sink),
//! tracing, decoding, or which personality a call came from (the CLI keeps one
//! summary per personality).

use std::cmp::Reverse;
use std::io::Write;
use std::time::Duration;

/// A column of the table (`-U`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// `% time`: the share of the total time.
    TimePercent,
    /// `seconds`: the total time (system CPU time, or wall-clock time with `-w`).
    TotalTime,
    /// `shortest`, `longest`: the shortest and longest call, in seconds.
    MinTime,
    MaxTime,
    /// `usecs/call`.
    AvgTime,
    Calls,
    Errors,
    /// `syscall`.
    Name,
    /// `wall-total`, `wall-min`, `wall-max`, `wall-avg`: always wall-clock time.
    WallTotal,
    WallMin,
    WallMax,
    WallAvg,
}

impl Column {
    /// strace's names and aliases of the columns; `Ok(None)` for `none`/`nothing`.
    fn by_name(word: &str) -> Result<Option<Column>, ()> {
        use Column::*;
        let word = word.replace('_', "-");
        Ok(Some(match word.as_str() {
            "time" | "time-percent" => TimePercent,
            "time-total" | "total-time" => TotalTime,
            "min-time" | "shortest" | "time-min" => MinTime,
            "max-time" | "longest" | "time-max" => MaxTime,
            "avg-time" | "time-avg" => AvgTime,
            "calls" | "count" => Calls,
            "error" | "errors" => Errors,
            "name" | "syscall" | "syscall-name" => Name,
            "wall-total" | "total-wall" => WallTotal,
            "wall-min" | "min-wall" => WallMin,
            "wall-max" | "max-wall" => WallMax,
            "wall-avg" | "avg-wall" => WallAvg,
            "none" | "nothing" => return Ok(None),
            _ => return Err(()),
        }))
    }

    fn is_wall(self) -> bool {
        matches!(
            self,
            Column::WallTotal | Column::WallMin | Column::WallMax | Column::WallAvg
        )
    }

    /// The heading and the narrowest the column is.
    fn heading(self) -> (&'static str, usize) {
        use Column::*;
        match self {
            TimePercent => ("% time", 6),
            TotalTime => ("seconds", 11),
            MinTime => ("shortest", 8),
            MaxTime => ("longest", 7),
            AvgTime => ("usecs/call", 11),
            Calls => ("calls", 9),
            Errors => ("errors", 9),
            Name => ("syscall", 16),
            WallTotal => ("wall-total", 11),
            WallMin => ("wall-min", 8),
            WallMax => ("wall-max", 8),
            WallAvg => ("wall-avg", 11),
        }
    }
}

/// The columns shown, in order (`-U`); the name is always among them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns(Vec<Column>);

impl Default for Columns {
    /// strace's: `% time`, `seconds`, `usecs/call`, `calls`, `errors`, `syscall`.
    fn default() -> Self {
        use Column::*;
        Columns(vec![TimePercent, TotalTime, AvgTime, Calls, Errors, Name])
    }
}

impl Columns {
    /// `-U COLUMN[,COLUMN...]`; the name column is added last when not listed.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut columns = Vec::new();
        let mut at = 0;
        for word in spec.split(',') {
            // strace names the rest of the list from the repeated column on.
            let residual = &spec[at..];
            at += word.len() + 1;
            match Column::by_name(word) {
                Ok(Some(column)) if columns.contains(&column) => {
                    return Err(format!(
                        "call summary column has been provided more than once: '{word}' (-U option residual: '{residual}')"
                    ))
                }
                Ok(Some(column)) => columns.push(column),
                Ok(None) | Err(()) => return Err(format!("unknown column name: '{word}'")),
            }
        }
        if !columns.contains(&Column::Name) {
            columns.push(Column::Name);
        }
        Ok(Columns(columns))
    }

    fn need_wall(&self) -> bool {
        self.0.iter().any(|c| c.is_wall())
    }
}

/// What the table is sorted by (`-S`): a column's figure, or nothing (number order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortKey(Option<Column>);

impl SortKey {
    /// The default, by total time.
    pub const TIME: SortKey = SortKey(Some(Column::TotalTime));

    /// strace's `-S` words: any column's name or alias, or `nothing`/`none`.
    pub fn parse(word: &str) -> Result<Self, String> {
        Column::by_name(word)
            .map(SortKey)
            .map_err(|()| format!("invalid sortby: '{word}'"))
    }

    /// Sorting needs the wall-clock figures.
    pub fn needs_wall(self) -> bool {
        self.0.is_some_and(Column::is_wall)
    }
}

/// How the summary counts and shows (fixed for the session).
#[derive(Debug, Clone, Default)]
pub struct SummaryOptions {
    /// `--latency`: p50/p99/max columns before the name.
    pub latency: bool,
    /// `-U`.
    pub columns: Columns,
    /// `-O`: subtracted from each call's time (and its wall-clock time), at least 0.
    pub overhead: Duration,
    /// Count wall-clock figures beside the main time (a wall column, or `-S wall-*`).
    pub wall: bool,
}

impl SummaryOptions {
    /// Whether the session must time each call by the wall clock too.
    pub fn needs_wall(&self, sort: SortKey) -> bool {
        self.columns.need_wall() || sort.needs_wall()
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
    min: Duration,
    max: Duration,
    /// Wall-clock figures, counted when a column or the sort needs them.
    wall_total: Duration,
    wall_min: Duration,
    wall_max: Duration,
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
    options: SummaryOptions,
}

impl Summary {
    pub fn new(latency: bool) -> Self {
        Self::with_options(SummaryOptions {
            latency,
            ..SummaryOptions::default()
        })
    }

    pub fn with_options(options: SummaryOptions) -> Self {
        Summary {
            latency: options.latency,
            options,
            ..Summary::default()
        }
    }

    /// Records one finished call.
    pub fn record(&mut self, name: &str, number: u64, time: Duration, failed: bool) {
        self.record_call(name, number, time, None, failed);
    }

    /// Records one finished call, with its wall-clock time when the wall-clock figures
    /// are counted (without it, `time` is taken for them).
    pub fn record_call(
        &mut self,
        name: &str,
        number: u64,
        time: Duration,
        wall: Option<Duration>,
        failed: bool,
    ) {
        let time = time.saturating_sub(self.options.overhead);
        let wall = wall
            .map(|w| w.saturating_sub(self.options.overhead))
            .unwrap_or(time);
        let i = match self.index.get(name) {
            Some(&i) => i,
            None => {
                self.rows.push(Row {
                    name: name.to_string(),
                    number,
                    calls: 0,
                    errors: 0,
                    total: Duration::ZERO,
                    min: Duration::MAX,
                    max: Duration::ZERO,
                    wall_total: Duration::ZERO,
                    wall_min: Duration::MAX,
                    wall_max: Duration::ZERO,
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
        row.min = row.min.min(time);
        row.max = row.max.max(time);
        if self.options.wall {
            row.wall_total += wall;
            row.wall_min = row.wall_min.min(wall);
            row.wall_max = row.wall_max.max(wall);
        }
        if let Some(h) = &mut row.histogram {
            let b = bucket_of(time.as_nanos().min(u64::MAX as u128) as u64);
            h[b] = h[b].saturating_add(1);
        }
    }

    /// No call was counted (strace then prints no table at all).
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// In syscall-number order, then (stably) by the key: largest first, names A to Z.
    fn sorted(&self, sort: SortKey) -> Vec<&Row> {
        use Column::*;
        let mut rows: Vec<&Row> = self.rows.iter().collect();
        rows.sort_by_key(|r| r.number);
        let Some(column) = sort.0 else {
            return rows;
        };
        match column {
            Name => rows.sort_by(|a, b| a.name.cmp(&b.name)),
            Calls => rows.sort_by_key(|r| Reverse(r.calls)),
            Errors => rows.sort_by_key(|r| Reverse(r.errors)),
            TimePercent | TotalTime => rows.sort_by_key(|r| Reverse(r.total)),
            MinTime => rows.sort_by_key(|r| Reverse(r.min)),
            MaxTime => rows.sort_by_key(|r| Reverse(r.max)),
            AvgTime => rows.sort_by_key(|r| Reverse(average(r.total, r.calls))),
            WallTotal => rows.sort_by_key(|r| Reverse(r.wall_total)),
            WallMin => rows.sort_by_key(|r| Reverse(r.wall_min)),
            WallMax => rows.sort_by_key(|r| Reverse(r.wall_max)),
            WallAvg => rows.sort_by_key(|r| Reverse(average(r.wall_total, r.calls))),
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

    /// Writes strace's table: a heading, a rule, a row per syscall, a rule, the totals.
    pub fn write_table(&self, out: &mut Vec<u8>, sort: SortKey) {
        let rows = self.sorted(sort);
        let totals = Totals::of(&rows);
        let cells: Vec<Cell> = {
            let mut cells: Vec<Cell> = self
                .options
                .columns
                .0
                .iter()
                .map(|&c| Cell::Column(c))
                .collect();
            if self.latency {
                let at = cells
                    .iter()
                    .position(|c| *c == Cell::Column(Column::Name))
                    .unwrap_or(cells.len());
                cells.splice(at..at, [Cell::P50, Cell::P99, Cell::MaxUs]);
            }
            cells
        };
        let widths: Vec<usize> = cells.iter().map(|c| c.width(&totals)).collect();
        let last = cells.len() - 1;
        // Heading: right-aligned, but the name left-aligned (not padded when last).
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push(b' ');
            }
            let title = cell.heading().0;
            let width = widths[i];
            let _ = match cell {
                Cell::Column(Column::Name) if i == last => write!(out, "{title}"),
                Cell::Column(Column::Name) => write!(out, "{title:<width$}"),
                _ => write!(out, "{title:>width$}"),
            };
        }
        out.push(b'\n');
        let rule = |out: &mut Vec<u8>| {
            for (i, width) in widths.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                out.extend(std::iter::repeat_n(b'-', *width));
            }
            out.push(b'\n');
        };
        rule(out);
        for row in &rows {
            let figures = Figures::of_row(row);
            self.write_cells(out, &cells, &widths, &figures, &totals, Some(row));
        }
        rule(out);
        let figures = Figures::of_totals(&totals);
        self.write_cells(out, &cells, &widths, &figures, &totals, None);
    }

    fn write_cells(
        &self,
        out: &mut Vec<u8>,
        cells: &[Cell],
        widths: &[usize],
        f: &Figures<'_>,
        totals: &Totals,
        row: Option<&Row>,
    ) {
        let last = cells.len() - 1;
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push(b' ');
            }
            let w = widths[i];
            let seconds = |d: Duration| d.as_secs_f64();
            let _ = match cell {
                Cell::Column(column) => match column {
                    Column::TimePercent => {
                        let percent = match row {
                            None => 100.0,
                            Some(_) if f.total.is_zero() => 0.0,
                            Some(_) => 100.0 * seconds(f.total) / seconds(totals.time),
                        };
                        write!(out, "{percent:w$.2}")
                    }
                    Column::TotalTime => write!(out, "{:w$.6}", seconds(f.total)),
                    Column::MinTime => write!(out, "{:w$.6}", seconds(f.min)),
                    Column::MaxTime => write!(out, "{:w$.6}", seconds(f.max)),
                    Column::AvgTime => write!(out, "{:w$}", f.avg_us),
                    Column::Calls => write!(out, "{:w$}", f.calls),
                    // strace's `%.0u`: a zero prints as nothing.
                    Column::Errors if f.errors == 0 => write!(out, "{:w$}", ""),
                    Column::Errors => write!(out, "{:w$}", f.errors),
                    Column::Name if i == last => write!(out, "{}", f.name),
                    Column::Name => write!(out, "{:<w$}", f.name),
                    Column::WallTotal => write!(out, "{:w$.6}", seconds(f.wall_total)),
                    Column::WallMin => write!(out, "{:w$.6}", seconds(f.wall_min)),
                    Column::WallMax => write!(out, "{:w$.6}", seconds(f.wall_max)),
                    Column::WallAvg => write!(out, "{:w$}", f.wall_avg_us),
                },
                Cell::P50 | Cell::P99 => {
                    match row.and_then(|r| r.histogram.as_ref().map(|h| (r, h))) {
                        Some((r, h)) => {
                            let q = if *cell == Cell::P50 { 0.50 } else { 0.99 };
                            write!(out, "{:w$.1}", percentile(h, r.calls, q) as f64 / 1000.0)
                        }
                        None => write!(out, "{:w$}", ""),
                    }
                }
                Cell::MaxUs => write!(out, "{:w$.1}", f.max.as_nanos() as f64 / 1000.0),
            };
        }
        out.push(b'\n');
    }
}

/// A cell of the table: one of strace's columns, or one of `--latency`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    Column(Column),
    P50,
    P99,
    MaxUs,
}

impl Cell {
    fn heading(self) -> (&'static str, usize) {
        match self {
            Cell::Column(c) => c.heading(),
            Cell::P50 => ("p50 us", 9),
            Cell::P99 => ("p99 us", 9),
            Cell::MaxUs => ("max us", 9),
        }
    }

    /// strace's widths: the heading's, or wider for the figures the table holds.
    fn width(self, t: &Totals) -> usize {
        let digits = |n: u64| n.to_string().len();
        let fixed = |d: Duration| format!("{:.6}", d.as_secs_f64()).len();
        let whole = |d: Duration| digits(d.as_secs()) + 7;
        let least = self.heading().1;
        least.max(match self {
            Cell::Column(c) => match c {
                Column::TimePercent => 6,
                Column::TotalTime => fixed(t.time),
                Column::MinTime => whole(t.min_of_mins),
                Column::MaxTime => whole(t.max),
                Column::AvgTime => digits(t.avg_max_us),
                Column::Calls => digits(t.calls),
                Column::Errors => digits(t.errors),
                Column::Name => t.name_max + 1,
                Column::WallTotal => fixed(t.wall_time),
                Column::WallMin => whole(t.wall_min_of_mins),
                Column::WallMax => whole(t.wall_max),
                Column::WallAvg => digits(t.wall_avg_max_us),
            },
            _ => 0,
        })
    }
}

/// The figures of a row, or of the totals row.
struct Figures<'a> {
    name: &'a str,
    calls: u64,
    errors: u64,
    total: Duration,
    min: Duration,
    max: Duration,
    avg_us: u64,
    wall_total: Duration,
    wall_min: Duration,
    wall_max: Duration,
    wall_avg_us: u64,
}

impl Figures<'_> {
    fn of_row(r: &Row) -> Figures<'_> {
        Figures {
            name: &r.name,
            calls: r.calls,
            errors: r.errors,
            total: r.total,
            min: r.min,
            max: r.max,
            avg_us: micros(average(r.total, r.calls)),
            wall_total: r.wall_total,
            wall_min: r.wall_min,
            wall_max: r.wall_max,
            wall_avg_us: micros(average(r.wall_total, r.calls)),
        }
    }

    fn of_totals(t: &Totals) -> Figures<'static> {
        // strace's totals row: the average is the total over the calls, in floating point.
        let avg = |d: Duration| {
            if t.calls == 0 {
                0
            } else {
                (d.as_secs_f64() / t.calls as f64 * 1e6) as u64
            }
        };
        Figures {
            name: "total",
            calls: t.calls,
            errors: t.errors,
            total: t.time,
            min: t.min,
            max: t.max,
            avg_us: avg(t.time),
            wall_total: t.wall_time,
            wall_min: t.wall_min,
            wall_max: t.wall_max,
            wall_avg_us: avg(t.wall_time),
        }
    }
}

/// What the totals row and the column widths need.
#[derive(Default)]
struct Totals {
    time: Duration,
    calls: u64,
    errors: u64,
    /// The shortest call of all, and the longest of the rows' shortest (for the width).
    min: Duration,
    min_of_mins: Duration,
    max: Duration,
    avg_max_us: u64,
    wall_time: Duration,
    wall_min: Duration,
    wall_min_of_mins: Duration,
    wall_max: Duration,
    wall_avg_max_us: u64,
    name_max: usize,
}

impl Totals {
    fn of(rows: &[&Row]) -> Totals {
        let mut t = Totals {
            min: Duration::MAX,
            wall_min: Duration::MAX,
            ..Totals::default()
        };
        for r in rows {
            t.time += r.total;
            t.calls += r.calls;
            t.errors += r.errors;
            t.min = t.min.min(r.min);
            t.min_of_mins = t.min_of_mins.max(r.min);
            t.max = t.max.max(r.max);
            t.avg_max_us = t.avg_max_us.max(micros(average(r.total, r.calls)));
            t.wall_time += r.wall_total;
            t.wall_min = t.wall_min.min(r.wall_min);
            t.wall_min_of_mins = t.wall_min_of_mins.max(r.wall_min);
            t.wall_max = t.wall_max.max(r.wall_max);
            t.wall_avg_max_us = t
                .wall_avg_max_us
                .max(micros(average(r.wall_total, r.calls)));
            t.name_max = t.name_max.max(r.name.len());
        }
        t
    }
}

/// Whole microseconds of `d` as strace computes them: in floating point, truncated.
fn micros(d: Duration) -> u64 {
    (d.as_secs_f64() * 1e6) as u64
}

/// strace's average: the total over the calls, rounded to the nanosecond.
fn average(total: Duration, calls: u64) -> Duration {
    if calls == 0 {
        return Duration::ZERO;
    }
    let nanos = total.as_nanos();
    let calls = u128::from(calls);
    Duration::from_nanos(((nanos + calls / 2) / calls).min(u128::from(u64::MAX)) as u64)
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
        let rows = s.rows(SortKey::TIME);
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
        assert!(Summary::new(false).rows(SortKey::TIME).is_empty());
        let mut plain = Summary::new(false);
        plain.record("read", 0, Duration::from_micros(10), false);
        assert_eq!(plain.rows(SortKey::TIME)[0].p99, None);
    }

    #[test]
    fn table_as_strace_prints_it() {
        let mut s = Summary::new(false);
        s.record("read", 0, Duration::from_micros(10), false);
        s.record("openat", 257, Duration::from_micros(30), true);
        s.record("openat", 257, Duration::from_micros(30), false);
        let mut out = Vec::new();
        s.write_table(&mut out, SortKey::TIME);
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
        s.write_table(&mut out, SortKey::parse("calls").unwrap());
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
        s.write_table(&mut out, SortKey::TIME);
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
