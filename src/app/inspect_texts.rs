//! The texts the inspect panels show, made once when what they show changes rather than every frame: the
//! event's payloads pretty-printed, each change's short and hover texts, the A -> B patch. A long text is
//! cut to what a panel can usefully show, so laying it out stays within a frame with a payload of
//! megabytes selected.

use serde_json::Value;

use crate::core::diff::{Change, Op};
use crate::core::model::{Event, Payload};
use crate::session::{AbView, CursorView};

/// Characters of a payload's pretty JSON the event panel shows; `eventscope events --json` prints all.
const SHOWN_CHARS: usize = 64 * 1024;
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

/// The current event's payloads as text (`None` for a payload that is not JSON: its bytes are shown).
#[derive(Default)]
pub struct EventTexts {
    pub data: Option<String>,
    pub metadata: Option<String>,
    pub stored: Option<String>,
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
    event_texts: EventTexts,
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
    pub fn event(&mut self, stream_serial: u64, cursor: usize, event: &Event) -> &EventTexts {
        if self.event != Some((stream_serial, cursor)) {
            self.event = Some((stream_serial, cursor));
            self.event_texts = EventTexts {
                data: payload_text(&event.data),
                metadata: event.metadata.as_ref().and_then(payload_text),
                stored: event.stored.as_ref().map(|v| pretty(v, SHOWN_CHARS)),
            };
        }
        &self.event_texts
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

fn payload_text(payload: &Payload) -> Option<String> {
    payload.json().map(|value| pretty(value, SHOWN_CHARS))
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
    fn a_payload_of_megabytes_is_cut_to_what_the_panel_shows() {
        let big = json!({ "blob": "x".repeat(5 << 20) });
        let text = pretty(&big, SHOWN_CHARS);
        assert!(text.len() < SHOWN_CHARS + 200, "{} bytes", text.len());
        assert!(text.contains("bytes in all"));
        assert_eq!(pretty(&json!({"a": 1}), SHOWN_CHARS), "{\n  \"a\": 1\n}");
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
