//! How the session takes in what its worker answers: the store opened, streams listed, a stream loaded or
//! rebuilt, a field history, what live follow found. Stale answers (an older generation) are dropped here.

use std::sync::Arc;

use super::*;

impl Session {
    /// Take in one answer of the worker.
    pub(super) fn handle(&mut self, response: Response) {
        match response {
            Response::Opened {
                mappings,
                info,
                missing_cipher_key,
                event_types,
            } => {
                self.event_types = event_types;
                self.refresh_reducer_warnings();
                // The overview and lanes get their own connection, so they never hold up a stream load.
                if let Err(message) = self.explore.start(
                    self.path.clone(),
                    self.options.clone(),
                    Arc::clone(&self.notify),
                ) {
                    self.error = Some(message);
                }
                self.mappings = mappings;
                self.missing_cipher_key = missing_cipher_key;
                self.info = Some(info);
                self.progress = Some(Progress {
                    what: "listing streams",
                    done: 0,
                    total: 0,
                });
            }
            Response::Streams(streams) => {
                let only = (streams.len() == 1)
                    .then(|| streams.first().map(|s| s.id.clone()))
                    .flatten();
                self.streams = Some(streams);
                self.progress = None;
                self.refresh_visible();
                let by = self.explore.overview.by;
                self.explore.show_overview(by);
                // A single log is one stream: open it straight away.
                if let Some(id) = self.pending_select.take().or(only) {
                    self.apply(Command::SelectStream(id));
                }
            }
            Response::OpenFailed(message) => {
                self.progress = None;
                self.open_failed = Some(message);
            }
            Response::Progress {
                generation,
                what,
                done,
                total,
            } if generation == self.generation => {
                self.progress = Some(Progress { what, done, total });
            }
            Response::Progress {
                generation: 0,
                what,
                done,
                total,
            } if self.rebuilding => {
                self.progress = Some(Progress { what, done, total });
            }
            Response::StreamLoaded { generation, stream } if generation == self.generation => {
                self.live_pending.clear();
                self.progress = None;
                let last = stream.events.len().saturating_sub(1);
                // A reload after new events keeps the playhead where it was, unless following the newest.
                let cursor = match self.reload_cursor.take() {
                    Some(old) if !self.follow => old.min(last),
                    _ => last,
                };
                self.stream = Some(StreamView {
                    view: compute_view(&stream, cursor, self.from_snapshot),
                    loaded: stream,
                    cursor,
                });
                if let Some(version) = self.pending_version.take() {
                    self.apply(Command::GoToVersion(version));
                }
                if let Some(position) = self.pending_position.take() {
                    self.jump_to_position(position);
                }
            }
            Response::StreamFailed {
                generation,
                message,
            } if generation == self.generation => {
                self.progress = None;
                self.error = Some(message);
            }
            Response::Rebuilt { generation, result } if generation == self.rebuild_generation => {
                self.rebuilding = false;
                self.progress = None;
                match result {
                    Ok(loaded) => {
                        self.reducer_error = None;
                        if let Some(stream) = &mut self.stream
                            && stream.loaded.summary.id == loaded.summary.id
                        {
                            stream.view = compute_view(&loaded, stream.cursor, self.from_snapshot);
                            stream.loaded = loaded;
                        }
                        self.refresh_ab();
                        self.refresh_history();
                    }
                    // The last good replay stays; the message names the event and the expression.
                    Err(message) => self.reducer_error = Some(message),
                }
            }
            Response::History {
                generation,
                path,
                result,
            } if generation == self.history_generation => {
                if let Some(history) = self.history.as_mut().filter(|h| h.path == path) {
                    history.changes = Some(result);
                }
            }
            Response::Appended { updated, appended } => {
                self.explore.store_changed();
                self.live_appended += appended.len() as u64;
                if let Some(streams) = &mut self.streams {
                    let mut added = false;
                    for summary in updated {
                        match streams.iter_mut().find(|s| s.id == summary.id) {
                            Some(slot) => *slot = summary,
                            None => {
                                streams.push(summary);
                                added = true;
                            }
                        }
                    }
                    if added {
                        streams.sort_by(|a, b| compare_ids(&a.id, &b.id));
                    }
                }
                self.refresh_visible();
                let selected = self.stream.as_ref().map(|s| s.loaded.summary.id.clone());
                let grew: Vec<_> = appended
                    .into_iter()
                    .filter(|e| selected.as_ref() == Some(&e.stream))
                    .collect();
                let summary = selected.as_ref().and_then(|id| {
                    self.streams
                        .as_ref()
                        .and_then(|streams| streams.iter().find(|s| &s.id == id))
                        .cloned()
                });
                if let (false, Some(stream), Some(summary)) =
                    (grew.is_empty(), &self.stream, summary)
                {
                    // Extend the loaded stream in the background with everything appended since it was
                    // loaded (an extension still in flight is superseded, so nothing it carried is lost);
                    // the current view stays until the longer stream is ready.
                    self.live_pending.extend(grew);
                    self.reload_cursor = Some(stream.cursor);
                    self.generation += 1;
                    self.worker.send(Request::Extend {
                        generation: self.generation,
                        stream: Arc::clone(&stream.loaded),
                        summary,
                        appended: self.live_pending.clone(),
                        reducer: Arc::clone(&self.reducer),
                    });
                }
            }
            Response::LiveFailed(message) => {
                self.error = Some(format!("following the store stopped: {message}"))
            }
            Response::Progress { .. }
            | Response::StreamLoaded { .. }
            | Response::StreamFailed { .. }
            | Response::Rebuilt { .. }
            | Response::History { .. } => {
                // From a request that has been superseded.
            }
        }
    }
}
