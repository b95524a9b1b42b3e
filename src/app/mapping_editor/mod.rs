//! The two ways a user tells Eventscope how to read a file it could not (fully) read by itself: the mapping
//! editor, where each role (stream, version, type, time, ...) is pointed at a column or a JSON path with a
//! live preview, and the cipher key prompt for encrypted payloads.
//!
//! Both end in the same place: the app reopens the session with new [`OpenOptions`]. Every read they need
//! (the file's tables, the detected layout, the preview, trying a key) is a job of [`crate::jobs`] on a
//! named thread, and so is the native file dialog; the newest preview request wins. Nothing here writes to the user's file: exporting refuses to overwrite the store.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use eframe::egui;
use egui_extras::{Column, TableBuilder};

use super::Action;
use crate::core::decode::codec::parse_key;
use crate::core::decode::format_time;
use crate::core::layout::{Mapping, Source, TableInfo};
use crate::core::model::{Event, Payload};
use crate::core::store::{OpenOptions, Store, inspect_tables};
use crate::jobs::{JobKind, Jobs, Notify, Panicked};
use crate::session::Session;

mod cipher_key;
mod files;
mod form;
mod reads;
mod schema;

pub use cipher_key::CipherKeyPrompt;
use files::FileDialog;
use form::{form_ui, fresh_mapping, incomplete, preview_table_ui, spinner_ui};
use reads::{Answer, Job, Reader, SchemaRead, repaint};

/// Events shown in the live preview.
const PREVIEW_EVENTS: usize = 20;
/// Characters of a payload shown in one preview row.
const PREVIEW_DATA_CHARS: usize = 200;
/// Characters of a payload shown when hovering a preview row.
const PREVIEW_HOVER_CHARS: usize = 2_000;

/// The mapping the session reads the file with (the first, when it has several).
fn in_force(session: &Session) -> Option<&Mapping> {
    session
        .store()
        .mappings()
        .first()
        .or_else(|| session.store().options().mappings.as_ref()?.first())
}

// ---------------------------------------------------------------------------------------------------------
// The mapping editor

/// The live preview of the draft.
#[derive(Default)]
struct Preview {
    /// The draft and key of the newest request.
    requested: Option<(Mapping, Option<Vec<u8>>)>,
    /// The newest events that read without error, and the draft they were read with.
    good: Option<(Option<Box<Mapping>>, Vec<Event>)>,
    /// The newest answer's error.
    error: Option<String>,
    /// What the newest answer found in the draft's schema file.
    schema: Option<SchemaRead>,
}

impl Preview {
    /// The event types of the events read, each once, sorted.
    fn event_types(&self) -> Vec<String> {
        let mut types: Vec<String> = self
            .good
            .iter()
            .flat_map(|(_, events)| events.iter().map(|e| e.event_type.clone()))
            .collect();
        types.sort();
        types.dedup();
        types
    }
}

/// A draft reading JSON takes the format of the schema it names, once a preview read it (as the store
/// would when it opens), so the draft is the mapping the store opens with.
fn adopt_schema_format(draft: &mut Option<Mapping>, read: Option<&SchemaRead>) {
    let (Some(draft), Some(read)) = (draft, read) else {
        return;
    };
    let named = draft.codec.schema.as_ref().map(|s| s.path());
    if draft.codec.format.is_json() && named == Some(read.path.as_path()) {
        draft.codec.format = read.format;
    }
}

/// A message under the buttons: information or an error.
enum Notice {
    Info(String),
    Error(String),
}

/// The "Mapping" window: a draft [`Mapping`] for the open file, edited role by role, with a live preview.
pub struct MappingEditor {
    /// The open file (canonical), or the database's URL as shown.
    path: PathBuf,
    /// The server, when the store is a PostgreSQL database: what previews connect to (with its password).
    server: Option<std::sync::Arc<crate::core::store::pg::PgTarget>>,
    /// `None` until the tables are known, when the session has no mapping (detection failed).
    draft: Option<Mapping>,
    tables: Option<Result<Vec<TableInfo>, String>>,
    detected: Option<Result<Box<Mapping>, String>>,
    preview: Preview,
    /// The typed path to export to or import from.
    file_text: String,
    /// The schema file's path as typed.
    schema_text: String,
    notice: Option<Notice>,
    /// The native file dialog, open while its job runs.
    dialogs: Jobs<FileDialog, Option<PathBuf>>,
    reader: Result<Reader, String>,
}

impl MappingEditor {
    /// An editor for the session's file, starting from the mapping in force.
    pub fn new(session: &Session, ctx: &egui::Context) -> Self {
        let mut reader = Reader::start("eventscope-mapping-preview", ctx.clone());
        if let Ok(reader) = &mut reader {
            reader.send(Job::Inspect {
                path: session.store().path().to_owned(),
                cipher_key: session.store().options().cipher_key.clone(),
                server: session.store().options().server.clone(),
            });
        }
        let server = session.store().options().server.clone();
        // Beside the file; for a database, named after it in the working directory.
        let file_text = match &server {
            Some(target) => std::env::current_dir()
                .unwrap_or_default()
                .join(format!("{}.mapping.json", target.dbname()))
                .display()
                .to_string(),
            None => session
                .store()
                .path()
                .with_extension("mapping.json")
                .display()
                .to_string(),
        };
        Self {
            path: session.store().path().to_owned(),
            server,
            draft: in_force(session).cloned(),
            schema_text: schema::schema_text(in_force(session)),
            tables: None,
            detected: None,
            preview: Preview::default(),
            file_text,
            notice: None,
            dialogs: Jobs::each_on_own_thread("eventscope-mapping-dialog", repaint(ctx.clone())),
            reader,
        }
    }

    /// The file this editor maps.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Show the window; pushes [`Action::CloseMappingEditor`] when the user closes it.
    pub fn show(&mut self, ctx: &egui::Context, session: &Session, actions: &mut Vec<Action>) {
        let mut open = true;
        let screen = ctx.content_rect();
        // Anchored at its top, so the window grows downwards (not both ways) as messages come and go.
        egui::Window::new("Mapping")
            .open(&mut open)
            .collapsible(false)
            .resizable(true)
            .pivot(egui::Align2::CENTER_TOP)
            .default_pos([screen.center().x, screen.top() + 48.0])
            .default_size([940.0, 700.0])
            .show(ctx, |ui| self.ui(ui, session, actions));
        if !open {
            actions.push(Action::CloseMappingEditor);
        }
    }

    /// The editor's contents.
    pub fn ui(&mut self, ui: &mut egui::Ui, session: &Session, actions: &mut Vec<Action>) {
        self.poll();
        self.request_preview(session.store().options().cipher_key.as_ref());
        ui.horizontal_wrapped(|ui| {
            ui.weak("How the rows of");
            ui.monospace(self.path.display().to_string());
            ui.weak("become streams and events.");
        });
        let state = match (&self.draft, in_force(session)) {
            (Some(draft), Some(current))
                if draft == current && session.store().open_failed().is_none() =>
            {
                "Showing the mapping in use. Change anything to edit it; nothing changes until you apply."
            }
            (Some(_), _) => "Edited: Apply to browse the file with this mapping.",
            (None, _) => "",
        };
        ui.label(state);
        if session.store().mappings().len() > 1 {
            ui.weak(format!(
                "This file has {} event tables; the editor edits the first, and Apply reads only that one.",
                session.store().mappings().len()
            ));
        }
        let tables = match &self.tables {
            Some(Ok(tables)) => tables.as_slice(),
            Some(Err(message)) => {
                ui.colored_label(ui.visuals().error_fg_color, message);
                return;
            }
            None if self.draft.is_none() => {
                spinner_ui(ui, "Reading the file's tables…");
                return;
            }
            None => &[],
        };
        let Some(draft) = &mut self.draft else {
            ui.colored_label(ui.visuals().error_fg_color, "The file has no tables.");
            return;
        };
        // A draft replaced whole (imported, reset to detected) names its own schema.
        let named = schema::schema_text(Some(draft));
        if named != self.schema_text.trim() {
            self.schema_text = named;
        }
        ui.separator();
        let mut dialog = None;
        egui::ScrollArea::vertical()
            .id_salt("mapping_form_scroll")
            .max_height((ui.available_height() * 0.55).max(200.0))
            .show(ui, |ui| {
                let before = draft.clone();
                form_ui(ui, draft, tables);
                let event_types = self.preview.event_types();
                if schema::schema_ui(
                    ui,
                    draft,
                    &mut self.schema_text,
                    self.preview.schema.as_ref(),
                    &event_types,
                ) {
                    dialog = Some(FileDialog::Schema);
                }
                if *draft != before {
                    "custom".clone_into(&mut draft.layout);
                    // The guesses explained detection's mapping; an edited one is the user's own.
                    draft.guesses.clear();
                }
            });
        if let Some(kind) = dialog {
            self.show_dialog(kind);
        }
        ui.separator();
        self.buttons_ui(ui, session, actions);
        ui.separator();
        self.preview_ui(ui);
    }

    /// Take what the reader thread and a file dialog answered.
    fn poll(&mut self) {
        if let Ok(reader) = &mut self.reader {
            while let Some(answer) = reader.try_recv() {
                match answer {
                    Answer::Inspected { tables, detected } => {
                        if self.draft.is_none() {
                            self.draft = tables
                                .as_ref()
                                .ok()
                                .and_then(|t| t.first())
                                .map(fresh_mapping);
                        }
                        self.tables = Some(tables);
                        self.detected = Some(detected);
                    }
                    // Only the newest preview answers (the job layer drops the others).
                    Answer::Preview {
                        mapping,
                        events,
                        schema,
                    } => {
                        adopt_schema_format(&mut self.draft, schema.as_ref());
                        self.preview.schema = schema;
                        match events {
                            Ok(events) => {
                                self.preview.good = Some((mapping, events));
                                self.preview.error = None;
                            }
                            Err(message) => self.preview.error = Some(message),
                        }
                    }
                }
            }
        }
        self.take_dialog_answer();
    }

    /// Ask for a preview of the draft when it (or the key) changed since the last request.
    fn request_preview(&mut self, cipher_key: Option<&Vec<u8>>) {
        let (Some(draft), Ok(reader)) = (&self.draft, &mut self.reader) else {
            return;
        };
        if incomplete(draft).is_some() {
            return;
        }
        if let Some((mapping, key)) = &self.preview.requested
            && mapping == draft
            && key.as_ref() == cipher_key
        {
            return;
        }
        reader.send(Job::Preview {
            path: self.path.clone(),
            options: OpenOptions {
                mappings: Some(vec![draft.clone()]),
                cipher_key: cipher_key.cloned(),
                server: self.server.clone(),
                ..OpenOptions::default()
            },
        });
        self.preview.requested = Some((draft.clone(), cipher_key.cloned()));
    }

    fn buttons_ui(&mut self, ui: &mut egui::Ui, session: &Session, actions: &mut Vec<Action>) {
        let Some(draft) = &self.draft else {
            return;
        };
        let edited = session.store().open_failed().is_some() || in_force(session) != Some(draft);
        let detected = match &self.detected {
            Some(Ok(detected)) => Ok(detected.as_ref()),
            Some(Err(message)) => Err(format!("No layout was detected: {message}")),
            None => Err("Still detecting the layout…".to_owned()),
        };
        let mut reset = None;
        let mut dialog = None;
        ui.horizontal(|ui| {
            if ui
                .add_enabled(edited, egui::Button::new("Apply"))
                .on_hover_text("Reopen the file with this mapping")
                .on_disabled_hover_text("This is already the mapping in use")
                .clicked()
            {
                actions.push(Action::Reopen {
                    mappings: Some(vec![draft.clone()]),
                    cipher_key: session.store().options().cipher_key.clone(),
                    keep_selection: false,
                });
            }
            if ui
                .button("Save for this file")
                .on_hover_text("Open this file with this mapping from now on (File > Forget saved mapping undoes it)")
                .clicked()
            {
                actions.push(Action::SaveMapping(Box::new(draft.clone())));
                self.notice = Some(Notice::Info(
                    "Saved: this file opens with this mapping from now on.".to_owned(),
                ));
            }
            let reset_button = ui.add_enabled(
                detected.as_ref().is_ok_and(|d| *d != draft),
                egui::Button::new("Reset to detected"),
            );
            let reset_button = match &detected {
                Ok(_) => reset_button.on_disabled_hover_text("The draft is the detected layout"),
                Err(reason) => reset_button.on_disabled_hover_text(reason.as_str()),
            };
            if reset_button.clicked() {
                reset = detected.as_ref().ok().map(|d| (*d).clone());
            }
            ui.separator();
            if ui
                .add_enabled(self.dialogs.idle(), egui::Button::new("Export…"))
                .on_hover_text("Write the mapping as JSON (what `--mapping FILE.json` reads)")
                .clicked()
            {
                dialog = Some(FileDialog::Export);
            }
            if ui
                .add_enabled(self.dialogs.idle(), egui::Button::new("Import…"))
                .on_hover_text("Read a mapping file: a mapping, a list, or `eventscope layout` output")
                .clicked()
            {
                dialog = Some(FileDialog::Import);
            }
        });
        ui.horizontal(|ui| {
            ui.label("Mapping file:");
            let target = PathBuf::from(self.file_text.trim());
            let typed = !self.file_text.trim().is_empty();
            // Right to left, so the path field takes the width the buttons leave.
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .add_enabled(typed, egui::Button::new("Import from this path"))
                    .clicked()
                {
                    self.import(&target);
                }
                if ui
                    .add_enabled(typed, egui::Button::new("Export to this path"))
                    .clicked()
                {
                    self.export(&target);
                }
                let field = ui.add(
                    egui::TextEdit::singleline(&mut self.file_text)
                        .desired_width(ui.available_width())
                        .hint_text("/path/to/mapping.json"),
                );
                field.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Mapping file path")
                });
            });
        });
        match &self.notice {
            Some(Notice::Info(text)) => {
                ui.colored_label(ui.visuals().weak_text_color(), text);
            }
            Some(Notice::Error(text)) => {
                ui.colored_label(ui.visuals().error_fg_color, text);
            }
            None => {}
        }
        if let Some(detected) = reset {
            self.draft = Some(detected);
            self.notice = None;
        }
        if let Some(kind) = dialog {
            self.show_dialog(kind);
        }
    }

    fn preview_ui(&self, ui: &mut egui::Ui) {
        let preview = &self.preview;
        let pending = self.reader.as_ref().is_ok_and(Reader::previewing);
        ui.horizontal(|ui| {
            ui.strong("Preview");
            ui.weak(format!(
                "the first {PREVIEW_EVENTS} events read with this mapping"
            ));
            if pending {
                ui.add(egui::Spinner::new());
                ui.weak("reading…");
            }
        });
        if let Err(message) = &self.reader {
            ui.colored_label(ui.visuals().error_fg_color, message);
        }
        let unfinished = self.draft.as_ref().and_then(incomplete);
        if let Some(message) = unfinished.as_ref().or(preview.error.as_ref()) {
            ui.colored_label(ui.visuals().error_fg_color, message);
        }
        let Some((read_with, events)) = &preview.good else {
            return;
        };
        if !pending && read_with.as_deref() != self.draft.as_ref() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Stale: the rows below were read with an earlier draft.",
            );
        }
        if events.is_empty() {
            ui.weak("No rows: the table is empty, or the filter leaves nothing.");
            return;
        }
        let streams_mapped = read_with.as_ref().is_some_and(|m| !m.stream.is_empty());
        if streams_mapped && events.iter().all(|e| e.stream.is_empty()) {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Every stream id is empty: check the stream's column or JSON path.",
            );
        }
        preview_table_ui(ui, events);
    }
}

// ---------------------------------------------------------------------------------------------------------
// Saved mappings in the settings

/// Serde for [`super::Settings::mappings_by_file`]: each file's mappings as JSON text, so the settings'
/// RON stays readable whatever shape a mapping has, and an entry that no longer parses is dropped alone
/// instead of losing every setting.
pub mod saved_mappings {
    use super::{BTreeMap, Mapping, PathBuf};
    use serde::{Deserialize as _, Deserializer, Serialize as _, Serializer};

    pub fn serialize<S: Serializer>(
        map: &BTreeMap<PathBuf, Vec<Mapping>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let texts: BTreeMap<&PathBuf, String> = map
            .iter()
            .filter_map(|(path, mappings)| {
                serde_json::to_string(mappings)
                    .ok()
                    .map(|text| (path, text))
            })
            .collect();
        texts.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<PathBuf, Vec<Mapping>>, D::Error> {
        let texts = BTreeMap::<PathBuf, String>::deserialize(deserializer)?;
        Ok(texts
            .into_iter()
            .filter_map(|(path, text)| {
                serde_json::from_str::<Vec<Mapping>>(&text)
                    .ok()
                    .filter(|m| !m.is_empty())
                    .map(|m| (path, m))
            })
            .collect())
    }
}
