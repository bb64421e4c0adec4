//! `-c`: one summary per personality, printed as strace prints them: the tracer's own
//! first without a heading, then `System call usage summary for 32 bit mode:` and the
//! table of each other personality that made calls.

use std::time::Duration;

use rtrace_arch::RegisterAbi;
use rtrace_summary::{SortKey, Summary, SummaryOptions};

pub struct Summaries {
    options: SummaryOptions,
    /// `(ABI name, its mode, its counts)`, in the order of the build's ABIs (strace's
    /// personality numbers), then personalities met that the build does not know.
    tables: Vec<(&'static str, &'static str, Summary)>,
}

impl Summaries {
    /// `abis`: the build's ABIs, its own first.
    pub fn new<'a>(
        abis: impl Iterator<Item = &'a dyn RegisterAbi>,
        options: SummaryOptions,
    ) -> Self {
        Summaries {
            tables: abis
                .map(|abi| {
                    let table = Summary::with_options(options.clone());
                    (abi.name(), abi.mode(), table)
                })
                .collect(),
            options,
        }
    }

    /// Whether each call's wall-clock time is wanted beside its main time.
    pub fn counts_wall_time(&self) -> bool {
        self.options.wall
    }

    /// Counts one finished call of `arch`: its time (CPU or wall-clock) and, when
    /// counted, its wall-clock time.
    pub fn record(
        &mut self,
        arch: &dyn RegisterAbi,
        name: &str,
        number: u64,
        time: (Duration, Option<Duration>),
        failed: bool,
    ) {
        let i = match self.tables.iter().position(|(n, ..)| *n == arch.name()) {
            Some(i) => i,
            None => {
                let table = Summary::with_options(self.options.clone());
                self.tables.push((arch.name(), arch.mode(), table));
                self.tables.len() - 1
            }
        };
        self.tables[i]
            .2
            .record_call(name, number, time.0, time.1, failed);
    }

    /// Every non-empty table, each but the tracer's own under strace's heading.
    pub fn write(&self, out: &mut Vec<u8>, sort: SortKey) {
        for (i, (_, mode, table)) in self.tables.iter().enumerate() {
            if table.is_empty() {
                continue;
            }
            if i > 0 {
                out.extend_from_slice(
                    format!("System call usage summary for {mode} mode:\n").as_bytes(),
                );
            }
            table.write_table(out, sort);
        }
    }
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;
    use crate::arches::Arches;

    #[test]
    fn each_personality_gets_its_table_under_stracess_heading() {
        let arches = Arches::all();
        let mut summaries = Summaries::new(arches.iter(), SummaryOptions::default());
        let i386 = arches.for_stop(0x4000_0003, 20).unwrap();
        let x86_64 = arches.native();
        summaries.record(
            x86_64,
            "execve",
            59,
            (Duration::from_micros(5), None),
            false,
        );
        summaries.record(i386, "getpid", 20, (Duration::from_micros(1), None), false);
        summaries.record(i386, "getpid", 20, (Duration::from_micros(1), None), false);
        let mut out = Vec::new();
        summaries.write(&mut out, SortKey::TIME);
        let text = String::from_utf8(out).unwrap();
        let heading = text
            .find("System call usage summary for 32 bit mode:\n")
            .unwrap();
        let execve = text.find("execve").unwrap();
        let getpid = text.find("getpid").unwrap();
        assert!(execve < heading && heading < getpid, "{text}");
        assert!(!text.contains("x32"), "{text}");
        assert_eq!(text.matches("total").count(), 2, "{text}");
    }

    #[test]
    fn only_other_personalities_is_one_headed_table() {
        let arches = Arches::all();
        let mut summaries = Summaries::new(arches.iter(), SummaryOptions::default());
        let x32 = arches.for_stop(0xc000_003e, 0x4000_0027).unwrap();
        summaries.record(x32, "getpid", 39, (Duration::ZERO, None), true);
        let mut out = Vec::new();
        summaries.write(&mut out, SortKey::TIME);
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with("System call usage summary for x32 mode:\n"),
            "{text}"
        );
    }
}
