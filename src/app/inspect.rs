//! The panels that inspect the playhead: the replayed state (highlighting what the current event changed),
//! the diff of the current event, and the current event itself with raw bytes for anything undecodable.

use eframe::egui;

use super::copy::{copy_button, pretty_json};
use super::inspect_texts::{ChangeText, InspectTexts, PayloadText, payload_text};
use super::json_tree::{TreePick, json_tree_ui};
use super::replay_panel::ReplayPanel;
use super::settings_window::problem_text;
use super::text_rows::{HexRows, TextRows, rows_ui};
use super::theme::{good_color, removed_color};
use crate::core::decode::format_time;
use crate::core::model::{Event, Payload, effective_version};
use crate::core::replay::diff::{Change, Op};
use crate::session::{AbView, Command, Session};

/// The central area: replay controls, then the state (left) and the diff (right), and a field's history
/// when one is asked for.
pub fn central_ui(
    ui: &mut egui::Ui,
    session: &Session,
    replay: &mut ReplayPanel,
    commands: &mut Vec<Command>,
) {
    let Some(stream) = session.stream() else {
        ui.centered_and_justified(|ui| {
            if session.selected().is_some() {
                ui.spinner();
            } else {
                ui.weak("Select a stream on the left to replay it.");
            }
        });
        return;
    };
    replay.toolbar_ui(ui, session, commands);
    ui.separator();
    // A field's history goes under the state and diff; their heights are split explicitly so neither
    // spills over the other.
    let history_height = if session.history().is_some() {
        (ui.available_height() * 0.4).clamp(110.0, 260.0)
    } else {
        0.0
    };
    let columns_height = (ui.available_height() - history_height).max(80.0);
    ui.allocate_ui_with_layout(
        egui::Vec2::new(ui.available_width(), columns_height),
        egui::Layout::top_down(egui::Align::Min),
        |ui| {
            ui.set_height(columns_height);
            state_and_diff_ui(ui, session, stream, replay, commands);
        },
    );
    if session.history().is_some() {
        ui.separator();
        replay.history_ui(ui, session, commands);
    }
}

/// The replayed state (left) and the diff (right).
fn state_and_diff_ui(
    ui: &mut egui::Ui,
    session: &Session,
    stream: &crate::session::StreamView,
    replay: &mut ReplayPanel,
    commands: &mut Vec<Command>,
) {
    let view = match &stream.view {
        Ok(view) => view,
        Err(problem) => {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("Replay failed: {}", problem_text(problem)),
            );
            return;
        }
    };
    // Side by side when both have room; one above the other when the panel is narrow, rather than columns
    // too narrow for their headers and fields, which then ran into each other.
    if ui.available_width() >= STACK_BELOW {
        ui.columns(2, |columns| {
            let [left, right] = columns else { return };
            state_column_ui(left, stream, view, commands);
            diff_column_ui(right, session, stream, view, replay);
        });
    } else {
        let half = (ui.available_height() / 2.0).max(60.0);
        let width = ui.available_width();
        ui.allocate_ui_with_layout(
            egui::Vec2::new(width, half),
            egui::Layout::top_down(egui::Align::Min),
            |ui| {
                ui.set_height(half);
                state_column_ui(ui, stream, view, commands);
            },
        );
        ui.separator();
        diff_column_ui(ui, session, stream, view, replay);
    }
}

/// Below this width the state and the diff are shown one above the other.
const STACK_BELOW: f32 = 560.0;

/// The replayed state: its header, the hint, and the tree.
fn state_column_ui(
    ui: &mut egui::Ui,
    stream: &crate::session::StreamView,
    view: &crate::session::CursorView,
    commands: &mut Vec<Command>,
) {
    // Wrapped, so a header that does not fit goes on the next line instead of past the column.
    ui.horizontal_wrapped(|ui| {
        ui.heading("State");
        ui.weak(format!(
            "after event {} of {}",
            view.index + 1,
            stream.loaded.events.len()
        ));
        copy_button(ui, "state", || pretty_json(&view.state));
    });
    ui.weak("Click a field's name for its history; right-click a number to chart it.");
    ui.separator();
    egui::ScrollArea::both()
        .id_salt("state_scroll")
        .auto_shrink(false)
        .show(ui, |ui| {
            match json_tree_ui(ui, "state", &view.state, &view.changes) {
                Some(TreePick::History(path)) => commands.push(Command::ShowHistory(path)),
                Some(TreePick::Chart(path)) => commands.push(Command::ChartField(path)),
                None => {}
            }
        });
}

/// The diff of the current event, or from A to B.
fn diff_column_ui(
    ui: &mut egui::Ui,
    session: &Session,
    stream: &crate::session::StreamView,
    view: &crate::session::CursorView,
    replay: &mut ReplayPanel,
) {
    let ab = session.ab();
    ui.horizontal_wrapped(|ui| {
        ui.heading("Diff");
        if ab.is_some() {
            ui.selectable_value(&mut replay.show_ab, false, "Current event");
            ui.selectable_value(&mut replay.show_ab, true, "A -> B");
        } else {
            replay.show_ab = false;
        }
    });
    ui.separator();
    egui::ScrollArea::both().id_salt("diff_scroll").auto_shrink(false).show(ui, |ui| {
        match ab.filter(|_| replay.show_ab) {
            Some(Ok(ab)) => ab_ui(ui, ab, session.store().path(), replay),
            Some(Err(problem)) => {
                ui.colored_label(ui.visuals().error_fg_color, problem_text(problem));
            }
            None => {
                ui.weak(format!(
                    "{} change{} made by event {}",
                    view.changes.len(),
                    if view.changes.len() == 1 { "" } else { "s" },
                    view.index + 1
                ));
                let shown = stream.loaded.events.shared(view.index);
                if let Some(Payload::Raw { reason, .. }) = shown.as_ref().and_then(|e| e.event()).map(|e| &e.data) {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!(
                            "This event's payload could not be decoded ({reason}), so replay skipped it. Its raw bytes are in the event panel."
                        ),
                    );
                }
                diff_ui(ui, replay.texts.changes(view), &view.changes);
            }
        }
    });
}

fn ab_ui(ui: &mut egui::Ui, ab: &AbView, store: &std::path::Path, replay: &mut ReplayPanel) {
    let ReplayPanel {
        patch_path: path,
        patch_notice: notice,
        texts,
        ..
    } = replay;
    let (changes, patch) = texts.ab(ab);
    ui.label(format!(
        "From A (after event {}) to B (after event {}): {} changes",
        ab.a + 1,
        ab.b + 1,
        ab.changes.len()
    ));
    ui.horizontal(|ui| {
        if ui
            .button("Copy JSON Patch")
            .on_hover_text("RFC 6902: turns state A into state B")
            .clicked()
        {
            ui.ctx().copy_text(patch.to_owned());
            *notice = Some("JSON Patch copied".to_owned());
        }
        let field = ui.add(
            egui::TextEdit::singleline(path)
                .hint_text("patch.json")
                .desired_width(180.0),
        );
        field.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Patch file path")
        });
        if ui.button("Export patch").clicked() && !path.trim().is_empty() {
            let target = std::path::Path::new(path.trim());
            *notice = Some(
                match crate::core::audit::output::write_output_bytes(
                    target,
                    store,
                    patch.as_bytes(),
                ) {
                    Ok(()) => format!("wrote {}", path.trim()),
                    Err(err) => err.to_string(),
                },
            );
        }
    });
    if let Some(text) = notice {
        ui.weak(text.as_str());
    }
    ui.separator();
    diff_ui(ui, changes, &ab.changes);
}

/// Each change as text, with a button copying it as JSON (`values` holds the same changes, in order).
fn diff_ui(ui: &mut egui::Ui, changes: &[ChangeText], values: &[Change]) {
    if changes.is_empty() {
        ui.weak("This event changed nothing in the state.");
        return;
    }
    for (change, value) in changes.iter().zip(values) {
        let (symbol, color) = match change.op {
            Op::Add => ("+ add", good_color(ui.visuals())),
            Op::Remove => ("- remove", removed_color(ui.visuals())),
            Op::Replace => ("~ replace", ui.visuals().warn_fg_color),
        };
        ui.horizontal(|ui| {
            ui.colored_label(color, symbol);
            let path = if change.path.is_empty() {
                "(root)"
            } else {
                change.path.as_str()
            };
            ui.monospace(path);
            copy_button(ui, &format!("change {path}"), || pretty_json(value));
        });
        ui.indent(("change", &change.path), |ui| {
            if let Some(old) = &change.old {
                ui.add(
                    egui::Label::new(
                        egui::RichText::new(old.short.as_str())
                            .monospace()
                            .strikethrough()
                            .weak(),
                    )
                    .truncate(),
                )
                .on_hover_ui(|ui| {
                    ui.label(old.hover.as_str());
                });
            }
            if let Some(new) = &change.new {
                ui.add(
                    egui::Label::new(egui::RichText::new(format!("-> {}", new.short)).monospace())
                        .truncate(),
                )
                .on_hover_ui(|ui| {
                    ui.label(new.hover.as_str());
                });
            }
        });
        ui.add_space(4.0);
    }
}

/// The current event: its fields, data and metadata.
pub fn event_ui(
    ui: &mut egui::Ui,
    session: &Session,
    texts: &mut InspectTexts,
    commands: &mut Vec<Command>,
) {
    ui.heading("Event");
    ui.separator();
    let Some(stream) = session.stream() else {
        ui.weak("No event selected.");
        return;
    };
    let shared = stream.loaded.events.shared(stream.cursor);
    let Some(event) = shared.as_ref().and_then(|e| e.event()) else {
        ui.weak("This stream has no events.");
        return;
    };
    let texts = texts.event(stream.loaded.serial, stream.cursor, event);
    egui::ScrollArea::vertical()
        .id_salt("event_scroll")
        .auto_shrink(false)
        .show(ui, |ui| {
            event_fields_ui(ui, event, stream.cursor, stream.loaded.events.len());
            if let Some(id) = crate::core::explore::correlate::correlation_of(event) {
                ui.horizontal_wrapped(|ui| {
                    ui.weak("Correlation");
                    ui.monospace(&id);
                    let lanes = ui.button("Show lanes").on_hover_text(
                        "Every event sharing this correlation id, across all streams",
                    );
                    lanes.widget_info(|| {
                        egui::WidgetInfo::labeled(
                            egui::Role::Button,
                            true,
                            "Show correlation lanes",
                        )
                    });
                    if lanes.clicked() {
                        commands.push(Command::ShowCorrelation(id.clone()));
                    }
                });
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                ui.strong("Data");
                if texts.stored_bytes.is_some()
                    && let Some(format) = binary_format(session)
                {
                    ui.weak(format!("decoded from {}", format.name()));
                }
            });
            payload_ui(ui, "data", "event data", &event.data, &mut texts.data);
            if let Some(bytes) = &texts.stored_bytes {
                ui.add_space(8.0);
                egui::CollapsingHeader::new(format!(
                    "Stored bytes ({} bytes, as the library wrote them)",
                    bytes.len()
                ))
                .id_salt("stored_bytes")
                .show(ui, |ui| rows_ui(ui, "stored_hex", &mut HexRows { bytes }));
            }
            if let Some(stored) = &mut texts.stored {
                ui.add_space(8.0);
                egui::CollapsingHeader::new("Stored payload (as the library wrote it)")
                    .id_salt("stored_payload")
                    .show(ui, |ui| {
                        json_text_ui(ui, "stored", "stored payload", stored)
                    });
            }
            let version = effective_version(event, stream.cursor);
            let checks = stream.loaded.snapshot_checks.as_ref().ok();
            for snapshot in stream
                .loaded
                .snapshots
                .iter()
                .filter(|s| s.version == version)
            {
                ui.add_space(8.0);
                let agrees = checks
                    .and_then(|c| c.iter().find(|c| c.version == version))
                    .map(|c| {
                        if c.matches {
                            "agrees with the replay"
                        } else {
                            "DISAGREES with the replay"
                        }
                    });
                egui::CollapsingHeader::new(format!(
                    "Store snapshot at this version ({}, {})",
                    snapshot.snapshot_type,
                    agrees.unwrap_or("not checked")
                ))
                .id_salt(("snapshot", version))
                .show(ui, |ui| {
                    payload_ui(
                        ui,
                        "snapshot",
                        "snapshot",
                        &snapshot.state,
                        &mut payload_text(&snapshot.state),
                    );
                });
            }
            ui.add_space(8.0);
            ui.strong("Metadata");
            match (&event.metadata, &mut texts.metadata) {
                (Some(metadata), Some(text)) => {
                    payload_ui(ui, "metadata", "metadata", metadata, text);
                }
                _ => {
                    ui.weak("(this layout has no metadata)");
                }
            }
        });
}

fn event_fields_ui(ui: &mut egui::Ui, event: &Event, index: usize, len: usize) {
    egui::Grid::new("event_fields")
        .num_columns(2)
        .show(ui, |ui| {
            let mut row = |name: &str, value: String| {
                ui.label(name);
                ui.add(
                    egui::Label::new(egui::RichText::new(value).monospace())
                        .selectable(true)
                        .wrap(),
                );
                ui.end_row();
            };
            row(
                "Type",
                if event.event_type.is_empty() {
                    "—".to_owned()
                } else {
                    event.event_type.clone()
                },
            );
            row("Stream", event.stream.clone());
            row(
                "Version",
                match event.version {
                    Some(v) => v.to_string(),
                    None => format!(
                        "{} (ordinal; no version column)",
                        effective_version(event, index)
                    ),
                },
            );
            row("Event", format!("{} of {len}", index + 1));
            row("Position", event.position.to_string());
            row(
                "Time",
                match (&event.time, &event.stored_time) {
                    (Some(time), _) => format_time(time),
                    (None, Some(stored)) => {
                        format!("{stored:?} as stored: unreadable as a time, so none is shown")
                    }
                    (None, None) => "— (no time stored)".to_owned(),
                },
            );
        });
}

/// JSON made into text, drawn by the rows in view, with a button copying it whole (a selection covers only
/// the rows in view); `what` names it on the button.
fn json_text_ui(ui: &mut egui::Ui, id: &str, what: &str, text: &mut TextRows) {
    ui.push_id(id, |ui| {
        copy_button(ui, what, || text.text().to_owned());
        rows_ui(ui, "rows", text);
    });
}

/// The binary format the store's payloads are decoded from, if one is.
fn binary_format(session: &Session) -> Option<crate::core::decode::codec::Format> {
    session
        .store()
        .mappings()
        .iter()
        .map(|m| m.codec.format)
        .find(|format| !format.is_json())
}

/// A payload: `text` is it made into text once (see [`InspectTexts`]); bytes that are not JSON are shown
/// whole, escaped and as a hex dump made row by row.
fn payload_ui(ui: &mut egui::Ui, id: &str, what: &str, payload: &Payload, text: &mut PayloadText) {
    match (payload, text) {
        (_, PayloadText::Json(text)) => json_text_ui(ui, id, what, text),
        (Payload::Raw { bytes, reason }, PayloadText::Raw(escaped)) => {
            ui.push_id(id, |ui| {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!("Undecodable ({} bytes): {reason}", bytes.len()),
                );
                // Each can be folded away to reach the other quickly: both are shown whole.
                egui::CollapsingHeader::new("Escaped text")
                    .default_open(true)
                    .show(ui, |ui| rows_ui(ui, "escaped", escaped));
                egui::CollapsingHeader::new("Hex")
                    .default_open(true)
                    .show(ui, |ui| rows_ui(ui, "hex", &mut HexRows { bytes }));
            });
        }
        (Payload::Json(_), PayloadText::Raw(_)) => {
            ui.weak("(the payload changed since its text was made)");
        }
    }
}
