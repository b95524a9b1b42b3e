//! How the session takes in what its worker answers: the store opened, streams listed, a stream loaded or
//! rebuilt, a field history, what live follow found. Answers of superseded requests never get here (the
//! job layer drops them); a request that panicked is shown where its answer would have been.

use std::sync::Arc;

use super::*;
use crate::jobs::{Answer, Panicked};
use worker::Kind;

impl Session {
    /// Take in one answer of the worker.
    pub(super) fn handle(&mut self, answer: Answer<Kind, Response>) {
        match answer.message {
            Ok(response) => self.take(response),
            Err(panicked) => self.failed(answer.kind, panicked),
        }
    }

    /// Take one answer of the store thread only, leaving the listing's batches waiting, so a test sees
    /// the list while it fills. Returns false on timeout.
    #[cfg(test)]
    pub(crate) fn take_store_answer(&mut self, timeout: std::time::Duration) -> bool {
        let Some(answer) = self.worker.recv_store_timeout(timeout) else {
            return false;
        };
        self.handle(answer);
        true
    }

    /// A request panicked: say so where its answer would have gone, and stop waiting for it.
    fn failed(&mut self, kind: Kind, Panicked(message): Panicked) {
        match kind {
            Kind::Store if !self.list.shown() => {
                self.status.finish();
                self.store.failed(message);
            }
            Kind::Load | Kind::Extend | Kind::Store => {
                self.status.finish();
                self.status.show_error(message);
            }
            Kind::Rebuild => {
                self.status.finish();
                self.reducers.replayed(Some(message.into()));
            }
            Kind::History => {
                if let Some(history) = &mut self.history {
                    history.changes = Some(Err(message.into()));
                }
            }
            Kind::Series => {
                if let Some(chart) = &mut self.chart {
                    chart.failed(message.into());
                }
            }
            Kind::Listing => {
                self.list.stopped();
                self.status.show_error(message);
            }
            Kind::Prefix => self.status.show_error(message),
        }
    }

    fn take(&mut self, response: Response) {
        match response {
            Response::Opened {
                mappings,
                info,
                missing_cipher_key,
                follow,
            } => {
                self.live.set_mode(follow);
                // The overview and lanes get their own connection, so they never hold up a stream load.
                if let Err(message) = self.explore.start(
                    self.store.path().to_owned(),
                    self.store.options().clone(),
                    Arc::clone(&self.notify),
                ) {
                    self.status.show_error(message);
                }
                self.store.opened(mappings, info, missing_cipher_key);
                self.status.begin("listing streams");
            }
            Response::FirstStreams(page) => {
                self.list.set_page(page);
                self.status.finish();
                let by = self.explore.overview.by;
                self.explore.show_overview(by);
                self.ask_prefix();
                if let Some(id) = self.pending.select.take() {
                    self.apply(Command::SelectStream(id));
                }
            }
            Response::StreamsListed { batch, complete } => {
                if let Err(full) = self.list.extend(*batch, complete) {
                    let listed = self.list.listed_count();
                    self.status.show_error(format!(
                        "listing the streams stopped after {listed}: {full}"
                    ));
                }
                // A single log is one stream: open it straight away.
                if let Some(only) = self.list.all().filter(|all| all.len() == 1)
                    && self.selected.is_none()
                    && let Some(id) = only.get(0).map(|s| s.id.to_owned())
                {
                    self.apply(Command::SelectStream(id));
                }
            }
            Response::ListingFailed(message) => {
                self.list.stopped();
                self.status.show_error(format!(
                    "listing the streams stopped after {}: {message}",
                    self.list.listed_count()
                ));
            }
            Response::PrefixMatches {
                prefix,
                streams,
                more,
            } => self.list.set_prefix_matches(prefix, streams, more),
            Response::PrefixFailed(message) => self.status.show_error(message),
            Response::EventTypes(types) => {
                self.reducers.set_event_types(types);
                // The rest of the list, on a connection of its own; asked for once the store thread has
                // answered everything it does on opening, so a list complete means the session is ready.
                if self.list.shown() {
                    self.request(Request::ListStreams {
                        path: self.store.path().to_owned(),
                        options: Box::new(self.store.options().clone()),
                    });
                }
            }
            Response::OpenFailed(message) => {
                self.status.finish();
                self.store.failed(message);
            }
            Response::Progress { what, done, total } => {
                self.status.set_progress(Progress { what, done, total });
            }
            Response::StreamLoaded(stream) => {
                self.status.finish();
                let last = stream.events.len().saturating_sub(1);
                // A reload after new events keeps the playhead where it was, unless following the newest.
                let cursor = match self.pending.reload_cursor.take() {
                    Some(old) if !self.live.following() => old.min(last),
                    _ => last,
                };
                self.stream = Some(StreamView {
                    view: compute_view(&stream, cursor, self.from_snapshot),
                    loaded: stream,
                    cursor,
                });
                self.refresh_chart();
                if let Some(version) = self.pending.version.take() {
                    self.apply(Command::GoToVersion(version));
                }
                if let Some(position) = self.pending.position.take() {
                    self.jump_to_position(position);
                }
            }
            Response::StreamFailed(message) => {
                self.status.finish();
                self.status.show_error(message);
            }
            Response::Rebuilt(result) => {
                self.status.finish();
                match result {
                    Ok(loaded) => {
                        self.reducers.replayed(None);
                        if let Some(stream) = &mut self.stream
                            && stream.loaded.summary.id == loaded.summary.id
                        {
                            stream.view = compute_view(&loaded, stream.cursor, self.from_snapshot);
                            stream.loaded = loaded;
                        }
                        self.refresh_ab();
                        self.refresh_history();
                        self.refresh_chart();
                    }
                    // The last good replay stays; the message names the event and the expression.
                    Err(message) => self.reducers.replayed(Some(message)),
                }
            }
            Response::Series {
                serial,
                paths,
                result,
            } => {
                if let Some(chart) = &mut self.chart {
                    chart.answered(serial, &paths, result);
                }
            }
            Response::History { path, result } => {
                if let Some(history) = self.history.as_mut().filter(|h| h.path == path) {
                    history.changes = Some(result);
                }
            }
            Response::Appended { updated, appended } => {
                self.explore.store_changed();
                self.live.count(appended.len());
                if let Err(full) = self.list.update(updated) {
                    self.status
                        .show_error(format!("following the store: {full}"));
                }
                let grew = self
                    .stream
                    .as_ref()
                    .filter(|s| appended.iter().any(|e| e.stream == s.loaded.summary.id));
                if let Some(stream) = grew {
                    // Extend the loaded stream in the background from its end (an extension still in
                    // flight is superseded: the new one reads everything appended since the stream was
                    // loaded); the current view stays until the longer stream is ready.
                    self.pending.reload_cursor = Some(stream.cursor);
                    let request = Request::Extend {
                        stream: Arc::clone(&stream.loaded),
                        reducer: Arc::clone(self.reducers.reducer()),
                    };
                    self.request(request);
                }
            }
            Response::LiveFailed(message) => {
                self.status
                    .show_error(format!("following the store stopped: {message}"));
            }
        }
    }
}
