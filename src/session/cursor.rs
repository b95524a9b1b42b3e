//! The playhead: moving it (by index, position, the marks' range) and the view at it, the state replayed to
//! the current event through the stream's checkpoints and pages, and the A/B diff between two marks.

use serde_json::Value;

use super::*;

impl Session {
    /// Playhead on the event at global `position` of the selected stream.
    pub(super) fn jump_to_position(&mut self, position: i64) {
        let found = self.stream.as_ref().map(|s| {
            (
                s.loaded.events.ordinal_of_position(position),
                s.loaded.summary.id.clone(),
            )
        });
        match found {
            Some((Some(index), _)) => self.move_cursor(|_, _| index),
            Some((None, id)) => {
                self.status
                    .show_error(format!("stream {id} has no event at position {position}"));
            }
            None => self.pending.position = Some(position),
        }
    }

    /// The events playback runs over: between marks A and B when looping with both set, else the stream.
    pub fn play_range(&self) -> (usize, usize) {
        let last = self
            .stream
            .as_ref()
            .map_or(0, |s| s.loaded.events.len().saturating_sub(1));
        match self.marks {
            (Some(a), Some(b)) if self.playback.loop_marks => (a.min(b), a.max(b).min(last)),
            _ => (0, last),
        }
    }

    pub(super) fn move_cursor(&mut self, target: impl FnOnce(usize, usize) -> usize) {
        let Some(stream) = &mut self.stream else {
            return;
        };
        let len = stream.loaded.events.len();
        if len == 0 {
            return;
        }
        let next = target(stream.cursor, len);
        if next != stream.cursor {
            stream.cursor = next;
            stream.view = compute_view(&stream.loaded, next, self.from_snapshot);
        }
    }

    pub(super) fn refresh_ab(&mut self) {
        let (Some(a), Some(b), Some(stream)) = (self.marks.0, self.marks.1, &self.stream) else {
            self.ab = None;
            return;
        };
        let state_at = |index: usize| match &stream.loaded.replayer {
            Ok(replayer) => stream.loaded.events.state_after(replayer, index + 1),
            Err(err) => Err(Problem::from(err)),
        };
        self.ab = Some(state_at(a).and_then(|state_a| {
            let state_b = state_at(b)?;
            Ok(AbView {
                serial: next_serial(),
                a,
                b,
                changes: diff(&state_a, &state_b),
                patch: json_patch(&state_a, &state_b),
            })
        }));
    }
}

/// State after event `index` and the changes that event made.
pub(super) fn compute_view(
    stream: &LoadedStream,
    index: usize,
    from_snapshot: bool,
) -> Result<CursorView, Problem> {
    let replayer = stream.replayer.as_ref().map_err(Problem::from)?;
    let events = &stream.events;
    if events.is_empty() {
        return Err("the stream has no events".into());
    }
    let state_after = |count: usize| -> Result<Value, Problem> {
        if from_snapshot {
            let (state, _) = events.state_from_snapshot(
                replayer,
                stream.reducer.as_ref(),
                stream.summary.stream_type.as_deref(),
                &stream.snapshots,
                count,
            )?;
            Ok(state)
        } else {
            events.state_after(replayer, count)
        }
    };
    let before = state_after(index)?;
    // The state after the event is the state before it plus that one event: one checkpointed replay, not two.
    let state = match (from_snapshot, events.get(index)) {
        (false, Some(event)) => apply_event(stream.reducer.as_ref(), before.clone(), &event, index)
            .map_err(Problem::from)?,
        _ => state_after(index + 1)?,
    };
    let changes = diff(&before, &state);
    Ok(CursorView {
        serial: next_serial(),
        index,
        state,
        changes,
    })
}
