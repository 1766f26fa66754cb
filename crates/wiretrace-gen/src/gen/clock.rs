//! Calendar arithmetic on Unix seconds (UTC, proleptic Gregorian).

use std::fmt::Write as _;

use super::words::{MONTHS, WEEKDAYS};

/// (year, month 1-12, day 1-31) of a day count since 1970-01-01.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days since 1970-01-01 of a civil date.
#[cfg(test)]
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Weekday name of a day count (1970-01-01 was a Thursday).
pub(crate) fn weekday(days: i64) -> &'static str {
    WEEKDAYS[(days + 3).rem_euclid(7) as usize]
}

/// Appends `2024-03-05T14:02:00Z`.
pub(crate) fn write_rfc3339(out: &mut String, secs: i64) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let _ = write!(
        out,
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    );
}

/// Appends `March 5` (with `, 2024` when `year` is set).
pub(crate) fn write_long_date(out: &mut String, days: i64, year: bool) {
    let (y, m, d) = civil_from_days(days);
    out.push_str(MONTHS[(m - 1) as usize]);
    let _ = write!(out, " {d}");
    if year {
        let _ = write!(out, ", {y}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        let d = days_from_civil(2024, 3, 5);
        assert_eq!(civil_from_days(d), (2024, 3, 5));
        assert_eq!(weekday(d), "Tuesday");
        let mut s = String::new();
        write_rfc3339(&mut s, d * 86_400 + 14 * 3600 + 2 * 60);
        assert_eq!(s, "2024-03-05T14:02:00Z");
        for x in -1000..1000 {
            let (y, m, dd) = civil_from_days(x * 37);
            assert_eq!(days_from_civil(y, m, dd), x * 37);
        }
    }
}
