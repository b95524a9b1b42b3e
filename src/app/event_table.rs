//! The events of the selected stream as a table under the timeline: position, version, time, type and a
//! one-line payload summary. Only the rows on screen are built, so a million-event stream scrolls like a
//! short one; the row under the playhead is selected and kept in view, and clicking a row moves the playhead.
//! Types hidden in the timeline's legend are hidden here too.

use std::sync::Arc;

use eframe::egui;
use egui_extras::{Column, TableBuilder};

use crate::core::decode::format_time;
use crate::core::model::{Event, Payload, effective_version};
use crate::session::{Command, LoadedStream};

const ROW_HEIGHT: f32 = 18.0;
/// Characters of payload shown per row.
const SUMMARY_CHARS: usize = 160;

/// The table's own state: which rows pass the type filter (rebuilt only when the stream or filter changes).
#[derive(Default)]
pub struct EventTable {
    /// Event indices shown, when some types are hidden (`None`: every event, no list needed).
    rows: Option<Vec<u32>>,
    /// What `rows` was built for.
    built_for: Option<(usize, Vec<bool>)>,
    /// The playhead the table last scrolled to.
    last_cursor: Option<usize>,
    /// Frames left to keep scrolling to the playhead: a table's first frame does not know its height yet.
    scroll_frames: u8,
}

impl EventTable {
    /// `hidden[t]` hides the type at index `t` of `types` (sorted type names).
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        stream: &Arc<LoadedStream>,
        cursor: usize,
        types: &[(String, usize)],
        hidden: &[bool],
        commands: &mut Vec<Command>,
    ) {
        let key = (Arc::as_ptr(stream) as usize, hidden.to_vec());
        if self.built_for.as_ref() != Some(&key) {
            self.rows = hidden.iter().any(|&h| h).then(|| {
                let hidden_name = |name: &str| {
                    types
                        .binary_search_by(|(t, _)| t.as_str().cmp(name))
                        .ok()
                        .and_then(|i| hidden.get(i).copied())
                        .unwrap_or(false)
                };
                let index = stream.events.index();
                (0..index.len())
                    .filter(|&i| !index.event_type(i).is_some_and(hidden_name))
                    .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
                    .collect()
            });
            self.built_for = Some(key);
            self.last_cursor = None;
        }
        let events = &stream.events;
        let total = self.rows.as_ref().map_or(events.len(), Vec::len);
        let event_at = |row: usize| -> Option<usize> {
            match &self.rows {
                Some(rows) => rows.get(row).map(|&i| i as usize),
                None => (row < events.len()).then_some(row),
            }
        };
        let row_of_cursor = match &self.rows {
            Some(rows) => rows
                .binary_search(&u32::try_from(cursor).unwrap_or(u32::MAX))
                .ok(),
            None => Some(cursor),
        };
        let body_height = (ui.available_height() - ROW_HEIGHT - 4.0).max(40.0);
        let mut table = TableBuilder::new(ui)
            .id_salt("event_table")
            .striped(true)
            .sense(egui::Sense::click())
            .resizable(true)
            .auto_shrink([false, false])
            // Exactly what the panel gives: a taller minimum would grow the panel, a shorter table would
            // let it shrink.
            .min_scrolled_height(body_height)
            .column(Column::exact(64.0))
            .column(Column::exact(64.0))
            .column(Column::exact(72.0))
            .column(Column::initial(210.0).at_least(80.0))
            .column(Column::initial(150.0).at_least(60.0))
            .column(Column::remainder().at_least(100.0));
        if self.last_cursor != Some(cursor) {
            self.last_cursor = Some(cursor);
            self.scroll_frames = 2;
        }
        if self.scroll_frames > 0 {
            self.scroll_frames -= 1;
            if let Some(row) = row_of_cursor {
                table = table.scroll_to_row(row, Some(egui::Align::Center));
            }
        }
        table
            .header(ROW_HEIGHT, |mut header| {
                for title in ["#", "Version", "Position", "Time", "Type", "Payload"] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, total, |mut row| {
                    // One event of a cached page (a page is read when the table scrolls onto it).
                    let Some((index, shared)) =
                        event_at(row.index()).and_then(|i| events.shared(i).map(|e| (i, e)))
                    else {
                        return;
                    };
                    let Some(event) = shared.event() else { return };
                    row.set_selected(index == cursor);
                    for text in [
                        format!("{}", index + 1),
                        effective_version(event, index).to_string(),
                        event.position.to_string(),
                        time_text(event),
                        event.event_type.clone(),
                        summary(event),
                    ] {
                        row.col(|ui| {
                            ui.add(egui::Label::new(text).selectable(false).truncate());
                        });
                    }
                    if row.response().clicked() {
                        commands.push(Command::JumpTo(index));
                    }
                });
            });
    }
}

/// The event's time for a table cell: RFC 3339, or the value as stored marked unreadable, or nothing.
pub fn time_text(event: &Event) -> String {
    match (&event.time, &event.stored_time) {
        (Some(time), _) => format_time(time),
        (None, Some(stored)) => format!("{stored} (unreadable)"),
        (None, None) => String::new(),
    }
}

/// One line of payload: compact JSON cut to a readable length, or what is wrong with the bytes.
pub fn summary(event: &Event) -> String {
    match &event.data {
        Payload::Json(value) => {
            let text = compact_prefix(value, SUMMARY_CHARS * 4);
            match text.char_indices().nth(SUMMARY_CHARS) {
                Some((cut, _)) => format!("{}…", &text[..cut]),
                None => text,
            }
        }
        Payload::Raw { bytes, reason } => {
            format!("undecodable ({reason}), {} bytes", bytes.len())
        }
    }
}

/// The first `limit` bytes (or a little more, to the end of a character) of `value` as compact JSON: a row
/// shows a line, so a payload of megabytes is not written out whole every frame to show its start.
fn compact_prefix(value: &serde_json::Value, limit: usize) -> String {
    /// Keeps bytes until it holds `limit`, then refuses more, which stops the serializer.
    struct Prefix {
        bytes: Vec<u8>,
        limit: usize,
    }
    impl std::io::Write for Prefix {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.bytes.len() >= self.limit {
                return Err(std::io::ErrorKind::WriteZero.into());
            }
            self.bytes.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut prefix = Prefix {
        bytes: Vec::new(),
        limit,
    };
    // Stopping early is the point: the error only says the prefix is full.
    let _ = serde_json::to_writer(&mut prefix, value);
    match String::from_utf8(prefix.bytes) {
        Ok(text) => text,
        Err(err) => {
            // Cut inside a character: keep the whole ones before it.
            let valid = err.utf8_error().valid_up_to();
            let mut bytes = err.into_bytes();
            bytes.truncate(valid);
            String::from_utf8(bytes).unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_payloads_are_cut_on_a_character_boundary() {
        let event = Event {
            stream: "s".to_owned(),
            position: 1,
            version: Some(1),
            event_type: "T".to_owned(),
            time: None,
            stored_time: None,
            data: Payload::Json(serde_json::json!({ "note": "é".repeat(400) })),
            metadata: None,
            stored: None,
            id: None,
            correlation: None,
            causation: None,
        };
        let text = summary(&event);
        assert_eq!(text.chars().count(), SUMMARY_CHARS + 1);
        assert!(text.ends_with('…'));
        let raw = Event {
            data: Payload::Raw {
                bytes: vec![0xff, 0x00],
                reason: "not UTF-8".to_owned(),
            },
            ..event
        };
        assert_eq!(summary(&raw), "undecodable (not UTF-8), 2 bytes");
        let big = Event {
            data: Payload::Json(serde_json::json!({ "items": vec!["abc"; 500_000] })),
            ..raw.clone()
        };
        let text = summary(&big);
        assert_eq!(text.chars().count(), SUMMARY_CHARS + 1);
        assert!(text.starts_with(r#"{"items":["abc","abc""#), "{text}");
        let short = Event {
            data: Payload::Json(serde_json::json!({ "a": [1, 2] })),
            ..raw.clone()
        };
        assert_eq!(summary(&short), r#"{"a":[1,2]}"#);
        let unread = Event {
            stored_time: Some("1e300".to_owned()),
            ..raw
        };
        assert_eq!(time_text(&unread), "1e300 (unreadable)");
    }
}
