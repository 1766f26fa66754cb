//! Publication dates: RFC 3339 date-times, plain dates, and the common
//! near-RFC forms found in real exports.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// Parses a publication time to seconds since the Unix epoch (UTC).
///
/// Accepts RFC 3339 (`2024-03-05T14:02:00Z`, `...+01:00`), a plain date
/// (`2024-03-05`, taken as midnight UTC), a date-time without offset
/// (`2024-03-05T14:02:00` or with a space, taken as UTC), and a bare number
/// of epoch seconds. Returns `None` for anything else.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t.unix_timestamp());
    }
    if s.len() == 10 {
        let d = Date::parse(s, format_description!("[year]-[month]-[day]")).ok()?;
        return Some(d.midnight().assume_utc().unix_timestamp());
    }
    let no_offset = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let spaced = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let trimmed = s.split('.').next().unwrap_or(s);
    if let Ok(t) = PrimitiveDateTime::parse(trimmed, no_offset) {
        return Some(t.assume_utc().unix_timestamp());
    }
    if let Ok(t) = PrimitiveDateTime::parse(trimmed, spaced) {
        return Some(t.assume_utc().unix_timestamp());
    }
    if s.bytes().all(|b| b.is_ascii_digit()) && s.len() <= 12 {
        return s.parse().ok();
    }
    None
}

/// Earliest time read as a publication date: 0000-01-01T00:00:00Z.
pub const EARLIEST: i64 = -62_167_219_200;
/// Latest time read as a publication date: 9999-12-31T23:59:59Z.
pub const LATEST: i64 = 253_402_300_799;

/// Whether `t` (epoch seconds) is a date in the years 0000-9999.
///
/// Those are the years RFC 3339 can write, so every date read is written
/// back in the reports' form, and the difference of any two fits i64 with
/// room to spare (lags were computed from `published` values at the ends
/// of i64 and wrapped). Real dates out of it are not dates but units
/// mistaken: a time in milliseconds read as seconds lands near the year
/// 55,000; a placeholder such as `i64::MAX` further still.
pub fn in_range(t: i64) -> bool {
    (EARLIEST..=LATEST).contains(&t)
}

/// Formats epoch seconds as RFC 3339 in UTC (`2024-03-05T14:02:00Z`).
pub fn format_timestamp(t: i64) -> String {
    OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&Rfc3339).ok())
        .unwrap_or_else(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_with_offset() {
        assert_eq!(
            parse_timestamp("2024-03-05T14:02:00+01:00"),
            Some(1709643720)
        );
        assert_eq!(parse_timestamp("2024-03-05T13:02:00Z"), Some(1709643720));
    }

    #[test]
    fn plain_date_is_midnight_utc() {
        assert_eq!(parse_timestamp("2024-03-05"), Some(1709596800));
    }

    #[test]
    fn no_offset_and_fraction() {
        assert_eq!(parse_timestamp("2024-03-05 13:02:00"), Some(1709643720));
        assert_eq!(parse_timestamp("2024-03-05T13:02:00.123"), Some(1709643720));
    }

    #[test]
    fn garbage_is_none() {
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(parse_timestamp(""), None);
        assert_eq!(parse_timestamp("2024-13-45"), None);
    }

    #[test]
    fn range_is_what_rfc3339_can_write() {
        assert!(in_range(EARLIEST) && in_range(LATEST) && in_range(0));
        assert!(!in_range(EARLIEST - 1) && !in_range(LATEST + 1));
        assert!(!in_range(i64::MAX) && !in_range(i64::MIN));
        assert_eq!(format_timestamp(EARLIEST), "0000-01-01T00:00:00Z");
        assert_eq!(format_timestamp(LATEST), "9999-12-31T23:59:59Z");
        // Milliseconds mistaken for seconds.
        assert!(!in_range(1_709_596_800_000));
    }

    #[test]
    fn round_trip() {
        assert_eq!(format_timestamp(1709643720), "2024-03-05T13:02:00Z");
    }
}
