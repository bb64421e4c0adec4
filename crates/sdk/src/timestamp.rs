//! Calendar times as strace writes them in comments after a seconds value:
//! `2023-11-14T22:13:20.123456789+0000` (the fraction only when non-zero), in the
//! tracer's local time zone, as strace's `sprinttime_nsec` does.

use std::fmt;

/// A `time_t` with its nanoseconds, displayed as strace's ISO 8601 comment text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    pub sec: i64,
    pub nsec: u64,
    /// The fraction in microseconds (6 digits), as strace shows a `timeval`'s.
    pub micros: bool,
}

impl Timestamp {
    pub fn new(sec: i64, nsec: u64) -> Self {
        Timestamp {
            sec,
            nsec,
            micros: false,
        }
    }

    /// A `timeval`'s time: its fraction prints in 6 digits.
    pub fn from_micros(sec: i64, usec: u64) -> Self {
        Timestamp {
            sec,
            nsec: usec * 1000,
            micros: true,
        }
    }
}

/// The local broken-down time and its offset from UTC in seconds; `None` when the C
/// library cannot represent it.
fn local_time(sec: i64) -> Option<(libc::tm, i64)> {
    // localtime(3) reads the zone (TZ, /etc/localtime) itself; localtime_r need not.
    static ZONE: std::sync::Once = std::sync::Once::new();
    extern "C" {
        fn tzset();
    }
    // SAFETY: tzset has no arguments and only sets the C library's zone globals.
    ZONE.call_once(|| unsafe { tzset() });
    // time_t is 32 bits on some hosts: out-of-range times print as plain seconds.
    #[allow(clippy::useless_conversion)]
    let t: libc::time_t = sec.try_into().ok()?;
    // SAFETY: `tm` is plain data that localtime_r fills in; both pointers are valid.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            return None;
        }
        // tm_gmtoff is a C long: 32 bits on 32-bit ARM.
        #[allow(clippy::useless_conversion)]
        let offset = i64::from(tm.tm_gmtoff);
        Some((tm, offset))
    }
}

/// ` /* 2023-11-14T22:13:20+0000 */` after a time's number, or nothing for the epoch
/// itself (0.0), which strace leaves without a date.
pub struct DateComment(Timestamp);

impl Timestamp {
    /// The date as the comment strace writes after the number.
    pub fn comment(self) -> DateComment {
        DateComment(self)
    }
}

impl fmt::Display for DateComment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.sec == 0 && self.0.nsec == 0 {
            return Ok(());
        }
        write!(f, " /* {} */", self.0)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some((tm, offset)) = local_time(self.sec) else {
            return write!(f, "{}", self.sec);
        };
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            i64::from(tm.tm_year) + 1900,
            tm.tm_mon + 1,
            tm.tm_mday,
            tm.tm_hour,
            tm.tm_min,
            tm.tm_sec
        )?;
        if self.micros && self.nsec != 0 {
            write!(f, ".{:06}", self.nsec / 1000)?;
        } else if self.nsec != 0 {
            write!(f, ".{:09}", self.nsec)?;
        }
        let sign = if offset < 0 { '-' } else { '+' };
        let offset = offset.unsigned_abs();
        write!(f, "{sign}{:02}{:02}", offset / 3600, offset / 60 % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_times_print_as_strace_does() {
        // The test process's zone decides the text; pin it to UTC.
        std::env::set_var("TZ", "UTC");
        assert_eq!(
            Timestamp::new(1_700_000_000, 123_456_789).to_string(),
            "2023-11-14T22:13:20.123456789+0000"
        );
        assert_eq!(
            Timestamp::new(1_746_802_200, 0).to_string(),
            "2025-05-09T14:50:00+0000"
        );
        assert_eq!(Timestamp::new(0, 0).to_string(), "1970-01-01T00:00:00+0000");
        assert_eq!(
            Timestamp::from_micros(1_000_000_000, 5).to_string(),
            "2001-09-09T01:46:40.000005+0000"
        );
    }
}
