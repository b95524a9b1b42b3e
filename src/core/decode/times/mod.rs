//! Reading the times stores write, and saying so when a stored value is not a time Eventscope can read.
//!
//! An auditor must never be shown a date the store does not hold. So a stored time is either read exactly
//! (every format below is unambiguous) or kept as stored ([`StoredTime::Unreadable`]) for the views to show
//! and `verify` to report; it is never guessed, rounded into range or clamped.
//!
//! Read from text:
//! - RFC 3339 / ISO 8601 calendar times: `YYYY-MM-DD`, then `T`, `t` or a space, `HH:MM`, optional `:SS`,
//!   optional fraction after `.` or `,` (up to nanoseconds), then an optional zone: `Z`, `UTC`, `GMT`,
//!   `±HH:MM`, `±HHMM` or `±HH` (with or without a space before it). No zone means UTC (SQLite's
//!   `datetime('now')` and `CURRENT_TIMESTAMP` write UTC without one). After an offset, a zone name in
//!   brackets (`[Europe/Paris]`, Java) or an abbreviation (`+0100 CET`, Go) is allowed: the offset decides.
//! - The same with `/` between the date's parts (`YYYY/MM/DD HH:MM:SS`; the year first, so never ambiguous),
//!   and the ISO basic form `YYYYMMDDTHHMMSS[.f]Z`.
//! - A date alone, `YYYY-MM-DD` or `YYYY/MM/DD`: its midnight in UTC.
//! - RFC 2822 (`Thu, 14 Mar 2024 14:34:00 +0000`, email and HTTP dates).
//! - Unix time as decimal digits, with an optional fraction (`1710426840`, `1710426840.25`,
//!   `1710426840250`), read exactly.
//!
//! Read from numbers: Unix time as an INTEGER or REAL, and SQLite's `julianday()` as a REAL (or as decimal
//! text).
//!
//! A calendar time in text is read at any date with a four-digit year: it states its date. A number (or
//! decimal text) must lie in the plausible range [`PLAUSIBLE_FROM_SECS`]..[`PLAUSIBLE_UNTIL_SECS`]
//! (1980 up to 2200); anything else (`0`, negatives, `1e300`, `i64::MIN`/`MAX`, the year 10000) is
//! unreadable. The unit of a Unix number (seconds, milliseconds, microseconds, nanoseconds) is the one that
//! puts it in that range. The range is narrow enough (a factor below 1000) that the four units' ranges do not
//! overlap, and starts late enough (after 1978-01-12) that a number of any year up to 10000 in one unit never
//! falls in another unit's range: it is read in its own unit or not at all. Julian days of the same years lie
//! below every Unix range (as Unix seconds they are January 1970), so they are never confused either.
//!
//! Left unread (ambiguous or too rare to trust): day-first or month-first dates (`03/14/2024`), dates with
//! two-digit or five-digit years, week and ordinal dates, times without a date, `YYYYMMDD` without a time
//! (also a plain integer), zone names with no offset (`2024-03-14 14:34 CET`), and Unix numbers in
//! scientific notation written as text.

mod calendar;

use crate::core::decode::cell::Cell;
use calendar::parse_calendar;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;

/// The earliest plausible event time: 1980-01-01T00:00:00Z, as Unix seconds (see the module docs for why).
pub const PLAUSIBLE_FROM_SECS: i64 = 315_532_800;

/// The end (exclusive) of plausible event times: 2200-01-01T00:00:00Z, as Unix seconds.
pub const PLAUSIBLE_UNTIL_SECS: i64 = 7_258_118_400;

/// How many characters of an unreadable stored value are shown before it is cut.
const SHOWN_CHARS: usize = 200;

/// The julian day of the Unix epoch.
const JULIAN_DAY_OF_EPOCH: f64 = 2_440_587.5;

/// A time column (or JSON value) as it was stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoredTime {
    /// NULL: the event has no time.
    Absent,
    /// Read exactly.
    Time(DateTime<Utc>),
    /// Not a time Eventscope can read: the stored value as shown to people (text as is, numbers as written,
    /// BLOBs as `x'hex'`), cut after 200 characters.
    Unreadable(String),
}

impl StoredTime {
    /// The time, when it was read.
    pub fn time(&self) -> Option<DateTime<Utc>> {
        match self {
            Self::Time(t) => Some(*t),
            Self::Absent | Self::Unreadable(_) => None,
        }
    }

    /// The time, and the stored value when it could not be read.
    pub fn into_parts(self) -> (Option<DateTime<Utc>>, Option<String>) {
        match self {
            Self::Absent => (None, None),
            Self::Time(t) => (Some(t), None),
            Self::Unreadable(stored) => (None, Some(stored)),
        }
    }
}

/// RFC 3339 in UTC with a `Z`, fractional seconds only when present.
pub fn format_time(time: &DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// A stored time (a time column or a value extracted from JSON), whatever its storage class.
pub fn read_time_sql(value: Cell<'_>) -> StoredTime {
    let read = match value {
        Cell::Null => return StoredTime::Absent,
        Cell::Integer(n) => parse_time_int(n),
        Cell::Real(f) => parse_time_float(f),
        Cell::Text(bytes) => std::str::from_utf8(bytes).ok().and_then(parse_stored_text),
        Cell::Blob(_) => None,
    };
    read.map_or_else(|| StoredTime::Unreadable(shown(value)), StoredTime::Time)
}

/// A stored time as an instant; `None` when it is NULL or unreadable (see [`read_time_sql`]).
pub fn parse_time_sql(value: Cell<'_>) -> Option<DateTime<Utc>> {
    read_time_sql(value).time()
}

/// A time held in a JSON value (string or number), under the same rules as a stored time.
pub fn parse_time_json(value: &Value) -> Option<DateTime<Utc>> {
    match value {
        Value::String(s) => parse_stored_text(s),
        // The number's digits as written (serde_json keeps them exactly).
        Value::Number(n) => {
            let text = n.to_string();
            parse_unix_text(&text).or_else(|| text.parse::<f64>().ok().and_then(parse_time_float))
        }
        _ => None,
    }
}

/// A time typed by a person or stored as text, in any format listed in the module docs. Calendar times are
/// read at any date with a four-digit year (a person may well type `1900-01-01` as a lower bound); Unix
/// numbers only in the plausible range, which is what tells their unit.
pub fn parse_time_text(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    parse_calendar(text)
        .or_else(|| {
            DateTime::parse_from_rfc2822(text)
                .ok()
                .map(|t| t.with_timezone(&Utc))
        })
        .or_else(|| parse_unix_text(text))
}

/// Unix time as an integer in seconds, milliseconds, microseconds or nanoseconds, whichever puts it in the
/// plausible range; `None` when none does.
pub fn parse_time_int(n: i64) -> Option<DateTime<Utc>> {
    let nanos_per_unit = unit_of(i128::from(n))?;
    from_unix_nanos(i128::from(n) * nanos_per_unit)
}

/// A REAL: SQLite's `julianday()` when it is a plausible julian day, else Unix time with a fraction in the
/// unit that puts it in the plausible range (read to the microsecond, the most a double holds for these
/// values); `None` when neither is plausible.
pub fn parse_time_float(value: f64) -> Option<DateTime<Utc>> {
    if !value.is_finite() {
        return None;
    }
    if let Some(time) = from_julian_day(value) {
        return Some(time);
    }
    let nanos_per_unit = unit_of(float_to_i128(value.trunc())?)?;
    let micros = match nanos_per_unit {
        1 => value / 1_000.0,
        #[expect(
            clippy::cast_precision_loss,
            reason = "a power of ten up to 1e6, exact"
        )]
        n => value * (n / 1_000) as f64,
    };
    from_unix_nanos(float_to_i128(micros.round())? * 1_000)
}

/// SQLite's `julianday()`, when `value` is a plausible julian day. These lie below every plausible Unix
/// number (as Unix seconds they are January 1970), so the two are never confused.
fn from_julian_day(value: f64) -> Option<DateTime<Utc>> {
    let julian_from = JULIAN_DAY_OF_EPOCH + secs_as_days(PLAUSIBLE_FROM_SECS);
    let julian_until = JULIAN_DAY_OF_EPOCH + secs_as_days(PLAUSIBLE_UNTIL_SECS);
    if !(julian_from..julian_until).contains(&value) {
        return None;
    }
    // SQLite computes julian days to the millisecond.
    let millis = ((value - JULIAN_DAY_OF_EPOCH) * 86_400_000.0).round();
    from_unix_nanos(float_to_i128(millis)? * 1_000_000)
}

/// A stored text value: a calendar time at any date with a four-digit year (it says its own date, so an
/// old one is read as written), a Unix number or julian day only in the plausible range (which is what
/// tells its unit).
fn parse_stored_text(text: &str) -> Option<DateTime<Utc>> {
    parse_time_text(text).or_else(|| julian_day_text(text.trim()))
}

/// Decimal text with a fraction that is a plausible julian day (a `julianday()` result stored in a TEXT
/// column).
fn julian_day_text(text: &str) -> Option<DateTime<Utc>> {
    let (whole, fraction) = text.split_once('.')?;
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    from_julian_day(text.parse().ok()?)
}

fn is_plausible(time: &DateTime<Utc>) -> bool {
    (PLAUSIBLE_FROM_SECS..PLAUSIBLE_UNTIL_SECS).contains(&time.timestamp())
}

#[expect(clippy::cast_precision_loss, reason = "whole days, far below 2^53")]
fn secs_as_days(secs: i64) -> f64 {
    (secs / 86_400) as f64
}

/// A float already rounded to a whole number, as an integer; `None` far outside any plausible time.
fn float_to_i128(value: f64) -> Option<i128> {
    if value.abs() >= 1e30 {
        return None;
    }
    #[expect(clippy::cast_possible_truncation, reason = "|value| < 1e30 fits")]
    Some(value as i128)
}

/// The unit (seconds, milliseconds, microseconds or nanoseconds, as nanoseconds per unit) whose plausible
/// range holds `whole`, a count of that unit.
fn unit_of(whole: i128) -> Option<i128> {
    [1_000_000_000, 1_000_000, 1_000, 1]
        .into_iter()
        .find(|nanos_per_unit| {
            let per_sec = 1_000_000_000 / nanos_per_unit;
            (i128::from(PLAUSIBLE_FROM_SECS) * per_sec..i128::from(PLAUSIBLE_UNTIL_SECS) * per_sec)
                .contains(&whole)
        })
}

/// The instant `nanos` after the epoch, when it is plausible.
fn from_unix_nanos(nanos: i128) -> Option<DateTime<Utc>> {
    let secs = i64::try_from(nanos.div_euclid(1_000_000_000)).ok()?;
    let sub = u32::try_from(nanos.rem_euclid(1_000_000_000)).ok()?;
    DateTime::from_timestamp(secs, sub).filter(is_plausible)
}

/// Unix time written as decimal digits, `-?D+(.D+)?`, read exactly (a fraction finer than a nanosecond is
/// not read).
fn parse_unix_text(text: &str) -> Option<DateTime<Utc>> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole_text, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole_text) || fraction.is_some_and(|f| !all_digits(f)) {
        return None;
    }
    let whole: i128 = whole_text.parse().ok()?;
    let whole = if negative { -whole } else { whole };
    let nanos_per_unit = unit_of(whole)?;
    let mut nanos = whole * nanos_per_unit;
    if let Some(fraction) = fraction {
        // Each fraction digit is a tenth of the one before; digits past a nanosecond must be zeros.
        let mut scale = nanos_per_unit;
        for digit in fraction.bytes() {
            let digit = i128::from(digit - b'0');
            if scale % 10 != 0 {
                if digit != 0 {
                    return None;
                }
                continue;
            }
            scale /= 10;
            nanos += digit * scale;
        }
    }
    from_unix_nanos(nanos)
}

/// How an unreadable stored value is shown: text as is (invalid UTF-8 escaped), numbers as written, BLOBs
/// as `x'hex'`; cut after [`SHOWN_CHARS`] characters with the full size said.
pub fn shown(value: Cell<'_>) -> String {
    let full = match value {
        Cell::Null => return "NULL".to_owned(),
        Cell::Integer(n) => return n.to_string(),
        Cell::Real(f) => return format!("{f:?}"),
        Cell::Text(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => text.to_owned(),
            Err(_) => crate::core::decode::escaped_text(bytes),
        },
        Cell::Blob(bytes) => format!("x'{}'", crate::core::decode::hex(bytes)),
    };
    match full.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!(
            "{}… ({} bytes in all)",
            full.get(..cut).unwrap_or_default(),
            match value {
                Cell::Text(bytes) | Cell::Blob(bytes) => bytes.len(),
                _ => full.len(),
            }
        ),
        None => full,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;

    use super::*;

    fn read_text(text: &str) -> StoredTime {
        read_time_sql(Cell::Text(text.as_bytes()))
    }

    fn shown_time(stored: &StoredTime) -> String {
        match stored {
            StoredTime::Time(t) => format_time(t),
            StoredTime::Unreadable(s) => format!("unreadable {s:?}"),
            StoredTime::Absent => "absent".to_owned(),
        }
    }

    #[test]
    fn the_plausible_range_is_1980_up_to_2200() {
        let from = Utc.with_ymd_and_hms(1980, 1, 1, 0, 0, 0).single().unwrap();
        let until = Utc.with_ymd_and_hms(2200, 1, 1, 0, 0, 0).single().unwrap();
        assert_eq!(from.timestamp(), PLAUSIBLE_FROM_SECS);
        assert_eq!(until.timestamp(), PLAUSIBLE_UNTIL_SECS);
    }

    #[test]
    fn every_unusual_format_is_read_exactly_or_kept_as_stored() {
        let at = "2024-03-14T14:34:00Z";
        let read = [
            ("2024-03-14T14:34:00Z", at),
            ("2024-03-14t14:34:00z", at),
            ("  2024-03-14T14:34:00Z  ", at),
            ("2024-03-14T15:34:00+01:00", at),
            ("2024-03-14T10:34:00-04:00", at),
            ("2024-03-14T14:34:00-00:00", at),
            ("2024-03-14 14:34:00", at),
            ("2024-03-14T14:34:00", at),
            ("2024-03-14 14:34:00+00:00", at),
            ("2024-03-14T14:34:00+0000", at),
            ("2024-03-14T14:34:00+00", at),
            ("2024-03-14T16:34:00+0200", at),
            ("2024-03-14 14:34:00 +00:00", at),
            ("2024-03-14T14:34Z", at),
            ("2024-03-14 14:34", at),
            ("2024-03-14 14:34:00 UTC", at),
            ("2024-03-14 14:34:00 GMT", at),
            ("2024-03-14 15:34:00 +0100 CET", at),
            ("2024-03-14T15:34:00+01:00[Europe/Paris]", at),
            ("2024-03-14T14:34:00Z[UTC]", at),
            ("2024/03/14 14:34:00", at),
            ("20240314T143400Z", at),
            ("20240314T153400+0100", at),
            ("Thu, 14 Mar 2024 14:34:00 +0000", at),
            ("Thu, 14 Mar 2024 14:34:00 GMT", at),
            ("14 Mar 2024 15:34:00 +0100", at),
            ("1710426840", at),
            ("1710426840000", at),
            ("1710426840000000", at),
            ("1710426840000000000", at),
            ("1710426840.0", at),
            ("2024-03-14", "2024-03-14T00:00:00Z"),
            ("2024/03/14", "2024-03-14T00:00:00Z"),
            ("2024-03-14 14:34:00.250000", "2024-03-14T14:34:00.250Z"),
            ("2024-03-14 14:34:00,25", "2024-03-14T14:34:00.250Z"),
            (
                "2024-03-14T14:34:00.123456789Z",
                "2024-03-14T14:34:00.123456789Z",
            ),
            (
                "2024-03-14T14:34:00.1234567+00:00",
                "2024-03-14T14:34:00.123456700Z",
            ),
            ("1710426840.25", "2024-03-14T14:34:00.250Z"),
            ("1710426840.123456789", "2024-03-14T14:34:00.123456789Z"),
            ("1710426840250.5", "2024-03-14T14:34:00.250500Z"),
            ("1710426840.1234567890", "2024-03-14T14:34:00.123456789Z"),
            ("2016-12-31T23:59:60Z", "2016-12-31T23:59:60Z"),
            ("2460384.1069444445", at),
        ];
        for (stored, expected) in read {
            assert_eq!(shown_time(&read_text(stored)), expected, "{stored:?}");
        }
        let unread = [
            "",
            "now",
            "03/14/2024",
            "14/03/2024 14:34",
            "14.03.2024",
            "24-03-14",
            "Mar 14, 2024",
            "2024-03-14 14:34:00 CET",
            "2024-03-14T14:34:00 GMT+1",
            "2024-03-14T14:34:00 junk",
            "14:34:00",
            "20240314",
            "1.71042684e9",
            "2024-W11-4",
            "2024-074",
            "+002024-03-14T14:34:00Z",
            "2024-03-14T25:00:00Z",
            "2024-02-30",
            "2024-03-14T14:34:00.1234567891Z",
            "2024-03-14T14:34:00+24:00",
            "1710426840.1234567891",
            "0",
            "-1710426840",
            "10000-01-01T00:00:00Z",
            "Thu Mar 14 14:34:00 2024",
        ];
        // A calendar time states its own date: an old or far one is read as written, never moved.
        for (stored, read) in [
            ("9999-12-31", "9999-12-31T00:00:00Z"),
            ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"),
            ("1979-12-31T23:59:59Z", "1979-12-31T23:59:59Z"),
            ("2200-01-01T00:00:00Z", "2200-01-01T00:00:00Z"),
        ] {
            match read_text(stored) {
                StoredTime::Time(time) => assert_eq!(format_time(&time), read, "{stored:?}"),
                other => panic!("{stored:?} read as {other:?}"),
            }
        }
        for stored in unread {
            assert_eq!(
                read_text(stored),
                StoredTime::Unreadable(stored.to_owned()),
                "{stored:?}"
            );
        }
    }

    #[test]
    fn numbers_outside_the_plausible_range_are_unreadable_never_clamped() {
        let year_10000_secs = 253_402_300_800_i64;
        for n in [
            i64::MIN,
            i64::MAX,
            -1,
            -1_710_426_840,
            0,
            42,
            year_10000_secs,
            year_10000_secs * 1_000,
            year_10000_secs * 1_000_000,
        ] {
            assert_eq!(
                read_time_sql(Cell::Integer(n)),
                StoredTime::Unreadable(n.to_string()),
                "{n}"
            );
        }
        for f in [
            1e300,
            -1e300,
            f64::NAN,
            f64::INFINITY,
            -1.0,
            0.5,
            2.534_023_008e11,
        ] {
            assert!(
                matches!(read_time_sql(Cell::Real(f)), StoredTime::Unreadable(_)),
                "{f}"
            );
        }
        assert_eq!(
            read_time_sql(Cell::Real(1e300)),
            StoredTime::Unreadable("1e300".to_owned())
        );
        assert_eq!(
            read_time_sql(Cell::Blob(b"\x01\x02")),
            StoredTime::Unreadable("x'0102'".to_owned())
        );
        assert_eq!(read_time_sql(Cell::Null), StoredTime::Absent);
    }

    #[test]
    fn unix_numbers_take_the_unit_that_makes_them_plausible() {
        let t = |n: i64| parse_time_int(n).map(|t| format_time(&t));
        assert_eq!(t(1_710_426_840).as_deref(), Some("2024-03-14T14:34:00Z"));
        assert_eq!(
            t(1_710_426_840_500).as_deref(),
            Some("2024-03-14T14:34:00.500Z")
        );
        assert_eq!(
            t(1_710_426_840_500_001).as_deref(),
            Some("2024-03-14T14:34:00.500001Z")
        );
        assert_eq!(
            t(1_710_426_840_500_000_123).as_deref(),
            Some("2024-03-14T14:34:00.500000123Z")
        );
        let f = |x: f64| parse_time_float(x).map(|t| format_time(&t));
        assert_eq!(
            f(1_710_426_840.25).as_deref(),
            Some("2024-03-14T14:34:00.250Z")
        );
        assert_eq!(
            f(1_710_426_840.123_456).as_deref(),
            Some("2024-03-14T14:34:00.123456Z"),
            "a double holds microseconds, not the noise below them"
        );
        assert_eq!(
            f(1_710_426_840_250.0).as_deref(),
            Some("2024-03-14T14:34:00.250Z")
        );
    }

    #[test]
    fn sqlite_julian_days_are_read_and_never_taken_for_unix_seconds() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let julian: f64 = conn
            .query_row("SELECT julianday('2024-03-14 14:34:00.250')", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(
            shown_time(&read_time_sql(Cell::Real(julian))),
            "2024-03-14T14:34:00.250Z"
        );
    }

    #[test]
    fn json_times_are_read_like_stored_ones() {
        let t = |v: Value| parse_time_json(&v).map(|t| format_time(&t));
        assert_eq!(
            t(serde_json::json!("2024-03-14T14:34:00Z")).as_deref(),
            Some("2024-03-14T14:34:00Z")
        );
        assert_eq!(
            t(serde_json::json!(1_710_426_840)).as_deref(),
            Some("2024-03-14T14:34:00Z")
        );
        let exact: Value = serde_json::from_str("1710426840.123456789").unwrap();
        assert_eq!(t(exact).as_deref(), Some("2024-03-14T14:34:00.123456789Z"));
        assert_eq!(t(serde_json::json!(1e300)), None);
        assert_eq!(
            t(serde_json::json!("1970-01-01")).as_deref(),
            Some("1970-01-01T00:00:00Z")
        );
        assert_eq!(t(serde_json::json!(0)), None, "a Unix 0 is no time");
    }

    #[test]
    fn people_may_type_any_calendar_date() {
        let t = |s: &str| parse_time_text(s).map(|t| format_time(&t));
        assert_eq!(t("1900-01-01").as_deref(), Some("1900-01-01T00:00:00Z"));
        assert_eq!(
            t("2024-03-14 14:34:00").as_deref(),
            Some("2024-03-14T14:34:00Z")
        );
        assert_eq!(t("not a time"), None);
    }

    #[test]
    fn long_unreadable_values_are_cut_with_their_size() {
        let long = "x".repeat(1_000);
        let StoredTime::Unreadable(shown) = read_text(&long) else {
            panic!("must be unreadable");
        };
        assert!(shown.ends_with("… (1000 bytes in all)"), "{shown}");
        assert!(shown.starts_with(&"x".repeat(SHOWN_CHARS)), "{shown}");
    }
}
