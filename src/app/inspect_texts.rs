//! The texts the inspect panels show, made once when what they show changes rather than every frame: the
//! event's payloads pretty-printed (or, undecodable, escaped) as [`TextRows`] the event panel draws by the
//! rows in view, so a payload of megabytes is shown whole within a frame; each change's short and hover
//! texts (cut to what a row and a tooltip can show); the A -> B patch.

use serde_json::Value;

use super::text_rows::TextRows;
use crate::core::decode::codec::bytes_of_stored;
use crate::core::decode::escaped_text;
use crate::core::model::{Event, Payload};
use crate::core::replay::diff::{Change, Op};
use crate::session::{AbView, CursorView};

/// Characters of a value a change's hover shows.
const HOVER_CHARS: usize = 4 * 1024;
/// Characters of a value a change's row shows.
const SHORT_CHARS: usize = 160;

/// One side of a change: the row's compact text and the hover's pretty one.
pub struct ValueText {
    pub short: String,
    pub hover: String,
}

/// One change as the diff panel shows it.
pub struct ChangeText {
    pub op: Op,
    pub path: String,
    pub old: Option<ValueText>,
    pub new: Option<ValueText>,
}

/// A payload as the event panel shows it.
pub enum PayloadText {
    /// Pretty JSON.
    Json(TextRows),
    /// Bytes that are not JSON, escaped (their hex dump is made by the row, from the bytes).
    Raw(TextRows),
}

/// The current event's payloads as text.
pub struct EventTexts {
    pub data: PayloadText,
    pub metadata: Option<PayloadText>,
    /// The payload as the library stored it, when it differs from `data`.
    pub stored: Option<TextRows>,
    /// The stored bytes of a payload decoded from a binary format (MessagePack, CBOR), shown as a hex dump.
    pub stored_bytes: Option<Vec<u8>>,
}

/// Texts derived from the session, each with the serial of what it was made from.
#[derive(Default)]
pub struct InspectTexts {
    view: Option<u64>,
    changes: Vec<ChangeText>,
    ab: Option<u64>,
    ab_changes: Vec<ChangeText>,
    patch: String,
    event: Option<(u64, usize)>,
    event_texts: Option<EventTexts>,
}

impl InspectTexts {
    /// The changes of `view`, made when the view is new.
    pub fn changes(&mut self, view: &CursorView) -> &[ChangeText] {
        if self.view != Some(view.serial) {
            self.view = Some(view.serial);
            self.changes = change_texts(&view.changes);
        }
        &self.changes
    }

    /// The changes from A to B and the whole JSON Patch, made when the diff is new.
    pub fn ab(&mut self, ab: &AbView) -> (&[ChangeText], &str) {
        if self.ab != Some(ab.serial) {
            self.ab = Some(ab.serial);
            self.ab_changes = change_texts(&ab.changes);
            self.patch = serde_json::to_string_pretty(&ab.patch).unwrap_or_default();
        }
        (&self.ab_changes, &self.patch)
    }

    /// The payloads of `event`, event `cursor` of the stream loaded as `stream_serial`, made when another
    /// event is shown.
    pub fn event(&mut self, stream_serial: u64, cursor: usize, event: &Event) -> &mut EventTexts {
        if self.event != Some((stream_serial, cursor)) {
            self.event = Some((stream_serial, cursor));
            self.event_texts = None;
        }
        self.event_texts.get_or_insert_with(|| {
            let stored_bytes = event.stored.as_ref().and_then(bytes_of_stored);
            EventTexts {
                data: payload_text(&event.data),
                metadata: event.metadata.as_ref().map(payload_text),
                stored: event
                    .stored
                    .as_ref()
                    .filter(|_| stored_bytes.is_none())
                    .map(|v| TextRows::new(serde_json::to_string_pretty(v).unwrap_or_default())),
                stored_bytes,
            }
        })
    }
}

fn change_texts(changes: &[Change]) -> Vec<ChangeText> {
    let side = |value: &Option<Value>| {
        value.as_ref().map(|v| ValueText {
            short: cut(serde_json::to_string(v).unwrap_or_default(), SHORT_CHARS),
            hover: pretty(v, HOVER_CHARS),
        })
    };
    changes
        .iter()
        .map(|change| ChangeText {
            op: change.op,
            path: change.path.clone(),
            old: side(&change.old),
            new: side(&change.new),
        })
        .collect()
}

/// `payload` made into text whole: pretty JSON, or its bytes escaped.
pub fn payload_text(payload: &Payload) -> PayloadText {
    match payload {
        Payload::Json(value) => PayloadText::Json(TextRows::new(
            serde_json::to_string_pretty(value).unwrap_or_default(),
        )),
        Payload::Raw { bytes, .. } => PayloadText::Raw(TextRows::new(escaped_text(bytes))),
    }
}

/// `value` as pretty JSON, cut after `limit` characters.
fn pretty(value: &Value, limit: usize) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let total = text.len();
    let cut_text = cut(text, limit);
    if cut_text.len() < total {
        format!("{cut_text}\n({total} bytes in all; `eventscope events --json` prints everything)")
    } else {
        cut_text
    }
}

/// `text` cut after `limit` characters, with an ellipsis when cut.
fn cut(text: String, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((at, _)) => {
            let mut kept = text;
            kept.truncate(at);
            kept.push('…');
            kept
        }
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_value_of_megabytes_is_cut_to_what_a_hover_shows() {
        let big = json!({ "blob": "x".repeat(5 << 20) });
        let text = pretty(&big, HOVER_CHARS);
        assert!(text.len() < HOVER_CHARS + 200, "{} bytes", text.len());
        assert!(text.contains("bytes in all"));
        assert_eq!(pretty(&json!({"a": 1}), HOVER_CHARS), "{\n  \"a\": 1\n}");
    }

    #[test]
    fn a_payload_of_megabytes_is_kept_whole() {
        let big = Payload::Json(json!({ "blob": "x".repeat(5 << 20) }));
        let PayloadText::Json(rows) = payload_text(&big) else {
            panic!("JSON is shown as JSON");
        };
        assert!(rows.text().len() > 5 << 20);
        let raw = Payload::Raw {
            bytes: vec![b'a', 0xff],
            reason: "not UTF-8".to_owned(),
        };
        let PayloadText::Raw(rows) = payload_text(&raw) else {
            panic!("bytes are shown as bytes");
        };
        assert_eq!(rows.text(), escaped_text(&[b'a', 0xff]));
    }

    #[test]
    fn texts_are_made_again_only_for_a_new_view() {
        let mut texts = InspectTexts::default();
        let change = |new: i64| Change {
            op: Op::Replace,
            path: "/a".to_owned(),
            old: Some(json!(0)),
            new: Some(json!(new)),
        };
        let view = |serial, new| CursorView {
            serial,
            index: 0,
            state: json!({}),
            changes: vec![change(new)],
        };
        assert_eq!(
            texts.changes(&view(1, 5))[0].new.as_ref().unwrap().short,
            "5"
        );
        // The same serial is the same view: nothing is made again.
        assert_eq!(
            texts.changes(&view(1, 6))[0].new.as_ref().unwrap().short,
            "5"
        );
        assert_eq!(
            texts.changes(&view(2, 6))[0].new.as_ref().unwrap().short,
            "6"
        );
    }
}
