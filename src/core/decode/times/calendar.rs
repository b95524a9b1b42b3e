//! The ISO 8601 / RFC 3339 calendar forms stores write (`2024-03-14T14:34:00Z`, `2024-03-14 14:34:00,250`,
//! `2024/03/14 14:34`, `20240314T143400Z`, offsets as `Z`, `±HH:MM`, `±HHMM`, `±HH`, `UTC`, with a Java or Go
//! zone name after them), read by hand so that exactly these are accepted and nothing is guessed.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone as _, Utc};

/// A calendar time: the ISO 8601 / RFC 3339 forms in the parent module's docs.
pub(super) fn parse_calendar(text: &str) -> Option<DateTime<Utc>> {
    let mut c = Cursor {
        rest: text.as_bytes(),
    };
    let year = c.number(4)?;
    let separator = c.peek()?;
    let basic = separator.is_ascii_digit();
    if !basic && separator != b'-' && separator != b'/' {
        return None;
    }
    if !basic {
        c.advance();
    }
    let month = c.number(2)?;
    if !basic && !c.eat(separator) {
        return None;
    }
    let day = c.number(2)?;
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    if c.rest.is_empty() {
        // `YYYYMMDD` alone is a number, not a date.
        return (!basic).then(|| Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN)));
    }
    match c.next()? {
        b'T' | b't' => {}
        b' ' if !basic => {}
        _ => return None,
    }
    let hour = c.number(2)?;
    let time_separator = !basic && c.eat(b':');
    if !basic && !time_separator {
        return None;
    }
    let minute = c.number(2)?;
    let has_seconds = if basic {
        c.peek().is_some_and(|b| b.is_ascii_digit())
    } else {
        c.eat(b':')
    };
    let second = if has_seconds { c.number(2)? } else { 0 };
    let mut nanos = 0u32;
    if has_seconds && (c.eat(b'.') || c.eat(b',')) {
        let digits = c.digits();
        if digits.is_empty() || digits.len() > 9 {
            return None;
        }
        let read = digits
            .iter()
            .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
        nanos = read * 10u32.pow(9 - u32::try_from(digits.len()).ok()?);
    }
    // A leap second is stored by chrono as second 59 with a nanosecond count past one second.
    let (second, nanos) = if second == 60 {
        (59, nanos + 1_000_000_000)
    } else {
        (second, nanos)
    };
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    let local = date.and_time(time);
    let offset = c.zone()?;
    if !c.rest.is_empty() {
        return None;
    }
    match offset {
        None => Some(Utc.from_utc_datetime(&local)),
        Some(offset) => offset
            .from_local_datetime(&local)
            .single()
            .map(|t| t.with_timezone(&Utc)),
    }
}

/// A reader over the bytes of a calendar time.
struct Cursor<'a> {
    rest: &'a [u8],
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    fn advance(&mut self) {
        self.rest = self.rest.get(1..).unwrap_or_default();
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.advance();
        Some(b)
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.advance();
        }
        found
    }

    fn eat_str(&mut self, text: &str) -> bool {
        match self.rest.strip_prefix(text.as_bytes()) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// Exactly `width` ASCII digits, as a number.
    fn number(&mut self, width: usize) -> Option<u32> {
        let digits = self.rest.get(..width)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.rest = self.rest.get(width..).unwrap_or_default();
        digits.iter().try_fold(0u32, |n, d| {
            n.checked_mul(10)?.checked_add(u32::from(d - b'0'))
        })
    }

    /// All the ASCII digits at the front.
    fn digits(&mut self) -> &[u8] {
        let n = self.rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let (digits, rest) = self.rest.split_at(n);
        self.rest = rest;
        digits
    }

    /// The zone after a time: `Some(None)` when there is none (UTC is meant), `None` when it is malformed.
    fn zone(&mut self) -> Option<Option<FixedOffset>> {
        if self.rest.is_empty() {
            return Some(None);
        }
        self.eat(b' ');
        if self.eat(b'Z') || self.eat(b'z') || self.eat_str("UTC") || self.eat_str("GMT") {
            self.zone_name();
            return Some(Some(FixedOffset::east_opt(0)?));
        }
        let sign = match self.next()? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let hours = self.number(2)?;
        let colon = self.eat(b':');
        let minutes = if colon || self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.number(2)?
        } else {
            0
        };
        if hours > 23 || minutes > 59 {
            return None;
        }
        self.zone_name();
        let secs = i32::try_from(hours * 3_600 + minutes * 60).ok()?;
        FixedOffset::east_opt(sign * secs).map(Some)
    }

    /// A zone name after an offset, which decides: `[Europe/Paris]` (Java) or ` CET` (Go).
    fn zone_name(&mut self) {
        let bracketed = self.peek() == Some(b'[') && self.rest.last() == Some(&b']');
        let abbreviation =
            self.rest.first() == Some(&b' ')
                && self.rest.len() > 1
                && self.rest.iter().skip(1).all(|b| {
                    b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'+' || *b == b'-'
                });
        if bracketed || abbreviation {
            self.rest = &[];
        }
    }
}
