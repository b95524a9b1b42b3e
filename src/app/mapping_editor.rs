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
use crate::core::codec::parse_key;
use crate::core::decode::format_time;
use crate::core::layout::{Mapping, Source, TableInfo};
use crate::core::model::{Event, Payload};
use crate::core::store::{OpenOptions, Store, inspect_tables};
use crate::jobs::{JobKind, Jobs, Notify, Panicked};
use crate::session::Session;

/// Events shown in the live preview.
const PREVIEW_EVENTS: usize = 20;
/// Characters of a payload shown in one preview row.
const PREVIEW_DATA_CHARS: usize = 200;
/// Characters of a payload shown when hovering a preview row.
const PREVIEW_HOVER_CHARS: usize = 2_000;

/// The mapping the session reads the file with (the first, when it has several).
fn in_force(session: &Session) -> Option<&Mapping> {
    session
        .mappings
        .first()
        .or_else(|| session.options.mappings.as_ref()?.first())
}

// ---------------------------------------------------------------------------------------------------------
// Background reads

/// A read done off the UI thread.
enum Job {
    /// The file's tables and the layout detection would choose.
    Inspect {
        path: PathBuf,
        cipher_key: Option<Vec<u8>>,
    },
    /// The first events of the file read with `options`.
    Preview { path: PathBuf, options: OpenOptions },
}

/// The kinds of [`Job`]: a newer preview supersedes the older ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Read {
    Inspect,
    Preview,
}

impl JobKind for Read {}

impl Job {
    fn kind(&self) -> Read {
        match self {
            Self::Inspect { .. } => Read::Inspect,
            Self::Preview { .. } => Read::Preview,
        }
    }
}

/// What a [`Job`] found.
enum Answer {
    Inspected {
        tables: Result<Vec<TableInfo>, String>,
        detected: Result<Box<Mapping>, String>,
    },
    Preview {
        /// The (first) mapping the events were read with.
        mapping: Option<Box<Mapping>>,
        events: Result<Vec<Event>, String>,
    },
}

/// A named thread doing [`Job`]s in order, except that a preview cancels the previews not yet answered (a
/// queued one never runs). It ends when this handle is dropped.
struct Reader {
    jobs: Jobs<Read, Answer>,
    /// Why a job could not be sent (the thread is gone), answered at the next poll.
    failed: Option<String>,
}

impl Reader {
    fn start(name: &str, ctx: egui::Context) -> Result<Self, String> {
        let jobs = Jobs::on_thread(name, repaint(ctx), || ())
            .map_err(|err| format!("could not start a reader thread: {err}"))?;
        Ok(Self { jobs, failed: None })
    }

    /// Do `job`; when the thread is gone, answer why at once.
    fn send(&mut self, job: Job) {
        if let Err(message) = self
            .jobs
            .submit(job.kind(), move |(), task| task.send(run(job)))
        {
            self.failed = Some(message);
        }
    }

    /// The next answer; a job that panicked answers its message as an error.
    fn try_recv(&mut self) -> Option<Answer> {
        if let Some(message) = self.failed.take() {
            return Some(failed(Read::Preview, message));
        }
        let answer = self.jobs.try_recv()?;
        Some(
            answer
                .message
                .unwrap_or_else(|Panicked(message)| failed(answer.kind, message)),
        )
    }

    /// Whether a preview is being read.
    fn previewing(&self) -> bool {
        self.jobs.running(Read::Preview)
    }
}

/// The UI's "repaint now" for a job's answers.
fn repaint(ctx: egui::Context) -> Notify {
    Arc::new(move || ctx.request_repaint())
}

/// The answer of a job of `kind` that could not read anything.
fn failed(kind: Read, message: String) -> Answer {
    match kind {
        Read::Inspect => Answer::Inspected {
            tables: Err(message.clone()),
            detected: Err(message),
        },
        Read::Preview => Answer::Preview {
            mapping: None,
            events: Err(message),
        },
    }
}

fn run(job: Job) -> Answer {
    match job {
        Job::Inspect { path, cipher_key } => Answer::Inspected {
            tables: inspect_tables(&path).map_err(|e| e.to_string()),
            detected: Store::open_with(
                &path,
                OpenOptions {
                    mappings: None,
                    cipher_key,
                    ..OpenOptions::default()
                },
            )
            .map(|store| Box::new(store.mapping().clone()))
            .map_err(|e| e.to_string()),
        },
        Job::Preview { path, options } => Answer::Preview {
            mapping: options
                .mappings
                .as_ref()
                .and_then(|m| m.first())
                .map(|m| Box::new(m.clone())),
            events: Store::open_with(&path, options)
                .and_then(|store| store.first_events(PREVIEW_EVENTS))
                .map_err(|e| e.to_string()),
        },
    }
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
}

/// Which native file dialog is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileDialog {
    Export,
    Import,
}

impl JobKind for FileDialog {}

/// A message under the buttons: information or an error.
enum Notice {
    Info(String),
    Error(String),
}

/// The "Mapping" window: a draft [`Mapping`] for the open file, edited role by role, with a live preview.
pub struct MappingEditor {
    /// The open file (canonical).
    path: PathBuf,
    /// `None` until the tables are known, when the session has no mapping (detection failed).
    draft: Option<Mapping>,
    tables: Option<Result<Vec<TableInfo>, String>>,
    detected: Option<Result<Box<Mapping>, String>>,
    preview: Preview,
    /// The typed path to export to or import from.
    file_text: String,
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
                path: session.path.clone(),
                cipher_key: session.options.cipher_key.clone(),
            });
        }
        let file_text = session
            .path
            .with_extension("mapping.json")
            .display()
            .to_string();
        Self {
            path: session.path.clone(),
            draft: in_force(session).cloned(),
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
        self.request_preview(session.options.cipher_key.as_ref());
        ui.horizontal_wrapped(|ui| {
            ui.weak("How the rows of");
            ui.monospace(self.path.display().to_string());
            ui.weak("become streams and events.");
        });
        let state = match (&self.draft, in_force(session)) {
            (Some(draft), Some(current)) if draft == current && session.open_failed.is_none() => {
                "Showing the mapping in use. Change anything to edit it; nothing changes until you apply."
            }
            (Some(_), _) => "Edited: Apply to browse the file with this mapping.",
            (None, _) => "",
        };
        ui.label(state);
        if session.mappings.len() > 1 {
            ui.weak(format!(
                "This file has {} event tables; the editor edits the first, and Apply reads only that one.",
                session.mappings.len()
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
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("mapping_form_scroll")
            .max_height((ui.available_height() * 0.55).max(200.0))
            .show(ui, |ui| {
                let before = draft.clone();
                form_ui(ui, draft, tables);
                if *draft != before {
                    "custom".clone_into(&mut draft.layout);
                }
            });
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
                    Answer::Preview { mapping, events } => match events {
                        Ok(events) => {
                            self.preview.good = Some((mapping, events));
                            self.preview.error = None;
                        }
                        Err(message) => self.preview.error = Some(message),
                    },
                }
            }
        }
        let Some(answer) = self.dialogs.try_recv() else {
            return;
        };
        let kind = answer.kind;
        match answer.message {
            Err(Panicked(message)) => self.notice = Some(Notice::Error(message)),
            Ok(Some(path)) => {
                self.file_text = path.display().to_string();
                match kind {
                    FileDialog::Export => self.export(&path),
                    FileDialog::Import => self.import(&path),
                }
            }
            Ok(None) => {
                self.notice = Some(Notice::Error(
                    "No file was chosen. If no dialog appeared, this system has no file-dialog service \
                     (xdg-desktop-portal or zenity): type the path in the box above instead."
                        .to_owned(),
                ));
            }
        }
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
                ..OpenOptions::default()
            },
        });
        self.preview.requested = Some((draft.clone(), cipher_key.cloned()));
    }

    fn buttons_ui(&mut self, ui: &mut egui::Ui, session: &Session, actions: &mut Vec<Action>) {
        let Some(draft) = &self.draft else {
            return;
        };
        let edited = session.open_failed.is_some() || in_force(session) != Some(draft);
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
                    cipher_key: session.options.cipher_key.clone(),
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

    fn show_dialog(&mut self, kind: FileDialog) {
        let start = PathBuf::from(self.file_text.trim());
        let shown = self.dialogs.submit(kind, move |(), task| {
            let mut dialog = rfd::FileDialog::new()
                .add_filter("JSON", &["json"])
                .add_filter("All files", &["*"]);
            if let Some(dir) = start.parent().filter(|d| d.is_dir()) {
                dialog = dialog.set_directory(dir);
            }
            let picked = match kind {
                FileDialog::Export => {
                    let name = start
                        .file_name()
                        .map_or_else(|| "mapping.json".into(), |n| n.to_string_lossy());
                    dialog
                        .set_title("Export the mapping")
                        .set_file_name(name)
                        .save_file()
                }
                FileDialog::Import => dialog.set_title("Import a mapping").pick_file(),
            };
            task.send(picked);
        });
        if let Err(err) = shown {
            self.notice = Some(Notice::Error(format!(
                "could not show a file dialog: {err}"
            )));
        }
    }

    /// Write the draft as pretty JSON that `--mapping` reads.
    fn export(&mut self, target: &Path) {
        let Some(draft) = &self.draft else {
            return;
        };
        let written = serde_json::to_string_pretty(draft)
            .map_err(|e| format!("could not write {}: {e}", target.display()))
            .and_then(|json| {
                crate::core::output::write_output_bytes(
                    target,
                    &self.path,
                    (json + "\n").as_bytes(),
                )
                .map_err(|e| e.to_string())
            });
        self.notice = Some(match written {
            Ok(()) => Notice::Info(format!(
                "Wrote {}. Use it with `eventscope streams FILE --mapping {}`.",
                target.display(),
                target.display()
            )),
            Err(message) => Notice::Error(message),
        });
    }

    /// Replace the draft with the (first) mapping of a file.
    fn import(&mut self, source: &Path) {
        match crate::cli::read_mappings(source) {
            Ok(mappings) => {
                let count = mappings.len();
                let Some(first) = mappings.into_iter().next() else {
                    return;
                };
                self.draft = Some(first);
                self.notice = Some(Notice::Info(if count > 1 {
                    format!(
                        "Imported {}: it has {count} mappings; the first is shown.",
                        source.display()
                    )
                } else {
                    format!("Imported {}.", source.display())
                }));
            }
            Err(err) => self.notice = Some(Notice::Error(format!("{err:#}"))),
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

/// Why the draft cannot be read yet: a JSON path still being typed.
fn incomplete(draft: &Mapping) -> Option<String> {
    let roles = std::iter::once(("Position", Some(&draft.position)))
        .chain(draft.stream.iter().map(|s| ("Stream", Some(s))))
        .chain([
            ("Stream type", draft.stream_type.as_ref()),
            ("Stream name", draft.stream_name.as_ref()),
            ("Tenant", draft.tenant.as_ref()),
            ("Version", draft.version.as_ref()),
            ("Event type", draft.event_type.as_ref()),
            ("Time", draft.time.as_ref()),
            ("Event id", draft.id.as_ref()),
            ("Correlation id", draft.correlation.as_ref()),
            ("Causation id", draft.causation.as_ref()),
        ]);
    for (role, source) in roles {
        if let Some(Source::Json { path, .. }) = source {
            let path = path.trim();
            if !path.starts_with('$') || path == "$." {
                return Some(format!(
                    "{role}: type a JSON path such as $.personId (SQLite's syntax, starting with $)"
                ));
            }
        }
    }
    None
}

/// A new draft for `table`: every role empty, the position its rowid (or its primary key when it has none).
fn fresh_mapping(table: &TableInfo) -> Mapping {
    let mut mapping = Mapping::for_table("custom", &table.name);
    if table.without_rowid
        && let Some(pk) = table.columns.iter().find(|c| c.pk == 1)
    {
        mapping.position = Source::Column(pk.name.clone());
    }
    mapping
}

/// Where a role's value may come from in the current draft.
struct Choices {
    columns: Vec<String>,
    joined: Vec<String>,
    /// Columns whose JSON a path can point into: the data column, then the metadata column.
    json: Vec<String>,
}

impl Choices {
    fn of(draft: &Mapping, tables: &[TableInfo]) -> Self {
        let columns_of = |name: &str| -> Vec<String> {
            tables
                .iter()
                .find(|t| t.name == name)
                .map(|t| t.columns.iter().map(|c| c.name.clone()).collect())
                .unwrap_or_default()
        };
        let mut json: Vec<String> = draft.data.iter().chain(&draft.metadata).cloned().collect();
        json.dedup();
        Self {
            columns: columns_of(&draft.table),
            joined: draft
                .join
                .as_ref()
                .map(|j| columns_of(&j.table))
                .unwrap_or_default(),
            json,
        }
    }
}

/// What a role combo shows for a source.
fn describe(source: Option<&Source>) -> String {
    match source {
        None => "—".to_owned(),
        Some(Source::Json { column, .. }) => format!("JSON path in {column}"),
        Some(other) => other.describe(),
    }
}

/// Whether `option` is the kind of source `current` is (a JSON path matches whatever its path).
fn same_choice(current: Option<&Source>, option: Option<&Source>) -> bool {
    match (current, option) {
        (Some(Source::Json { column: a, .. }), Some(Source::Json { column: b, .. })) => a == b,
        (a, b) => a == b,
    }
}

/// Which extra choices a role offers.
#[derive(Clone, Copy)]
struct Allow {
    none: bool,
    rowid: bool,
    json: bool,
}

/// One role's row of the form: its name, a combo of where its value comes from, and the JSON path when it
/// is one. Returns whether the source changed.
fn source_row(
    ui: &mut egui::Ui,
    name: &str,
    source: &mut Option<Source>,
    choices: &Choices,
    allow: Allow,
) -> bool {
    let label = ui.label(name);
    let mut changed = false;
    let mut chose_json = false;
    ui.horizontal(|ui| {
        let current = source.clone();
        let mut options: Vec<(String, Option<Source>)> = Vec::new();
        if allow.none {
            options.push(("—".to_owned(), None));
        }
        if allow.rowid {
            options.push(("rowid".to_owned(), Some(Source::Rowid)));
        }
        options.extend(
            choices
                .columns
                .iter()
                .map(|c| (c.clone(), Some(Source::Column(c.clone())))),
        );
        options.extend(
            choices
                .joined
                .iter()
                .map(|c| (format!("joined.{c}"), Some(Source::Joined(c.clone())))),
        );
        if allow.json {
            let path = match &current {
                Some(Source::Json { path, .. }) => path.clone(),
                _ => "$.".to_owned(),
            };
            options.extend(choices.json.iter().map(|c| {
                (
                    format!("JSON path in {c}"),
                    Some(Source::Json {
                        column: c.clone(),
                        path: path.clone(),
                    }),
                )
            }));
        }
        let combo = egui::ComboBox::from_id_salt(("mapping_role", name))
            .selected_text(describe(current.as_ref()))
            .width(220.0)
            .height(320.0)
            .show_ui(ui, |ui| {
                for (text, option) in options {
                    let selected = same_choice(current.as_ref(), option.as_ref());
                    if ui.selectable_label(selected, text).clicked() && !selected {
                        *source = option;
                        changed = true;
                        chose_json = matches!(source, Some(Source::Json { .. }));
                    }
                }
            });
        combo.response.labelled_by(label.id);
        if let Some(Source::Json { path, .. }) = source {
            let field = ui.add(
                egui::TextEdit::singleline(path)
                    .id_salt(("mapping_json_path", name))
                    .hint_text("$.personId")
                    .desired_width(220.0),
            );
            field.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::TextInput, true, format!("{name} JSON path"))
            });
            if chose_json {
                field.request_focus();
            }
            changed |= field.changed();
        }
    });
    ui.end_row();
    changed
}

/// A row choosing one of the table's columns (or none).
fn column_row(ui: &mut egui::Ui, name: &str, column: &mut Option<String>, columns: &[String]) {
    let label = ui.label(name);
    let combo = egui::ComboBox::from_id_salt(("mapping_column", name))
        .selected_text(column.as_deref().unwrap_or("—"))
        .width(220.0)
        .height(320.0)
        .show_ui(ui, |ui| {
            if ui.selectable_label(column.is_none(), "—").clicked() {
                *column = None;
            }
            for c in columns {
                if ui
                    .selectable_label(column.as_deref() == Some(c.as_str()), c.as_str())
                    .clicked()
                {
                    *column = Some(c.clone());
                }
            }
        });
    combo.response.labelled_by(label.id);
    ui.end_row();
}

/// Point JSON paths that read column `old` at column `new` (the data column moved).
fn repoint_json(draft: &mut Mapping, old: &str, new: &str) {
    let Mapping {
        position,
        stream,
        stream_type,
        stream_name,
        tenant,
        version,
        event_type,
        time,
        id,
        correlation,
        causation,
        ..
    } = draft;
    let sources = std::iter::once(position).chain(stream.iter_mut()).chain(
        [
            stream_type,
            stream_name,
            tenant,
            version,
            event_type,
            time,
            id,
            correlation,
            causation,
        ]
        .into_iter()
        .flatten(),
    );
    for source in sources {
        if let Source::Json { column, .. } = source
            && column == old
        {
            new.clone_into(column);
        }
    }
}

/// The form: table, every role, payload columns, filter.
fn form_ui(ui: &mut egui::Ui, draft: &mut Mapping, tables: &[TableInfo]) {
    egui::Grid::new("mapping_form")
        .num_columns(2)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label("Table");
            let mut chosen = None;
            let combo = egui::ComboBox::from_id_salt("mapping_table")
                .selected_text(draft.table.as_str())
                .width(220.0)
                .show_ui(ui, |ui| {
                    for table in tables {
                        if ui
                            .selectable_label(table.name == draft.table, table.name.as_str())
                            .clicked()
                        {
                            chosen = Some(table);
                        }
                    }
                });
            combo.response.labelled_by(label.id);
            ui.end_row();
            if let Some(table) = chosen
                && table.name != draft.table
            {
                *draft = fresh_mapping(table);
            }

            let choices = Choices::of(draft, tables);
            let column = Allow {
                none: true,
                rowid: false,
                json: true,
            };

            let mut position = Some(draft.position.clone());
            let position_allow = Allow {
                none: false,
                rowid: true,
                json: false,
            };
            if source_row(ui, "Position", &mut position, &choices, position_allow)
                && let Some(position) = position
            {
                draft.position = position;
            }

            let parts = draft.stream.len().max(1);
            for index in 0..parts {
                let name = if index == 0 {
                    "Stream".to_owned()
                } else {
                    format!("Stream part {}", index + 1)
                };
                let mut part = draft.stream.get(index).cloned();
                if source_row(ui, &name, &mut part, &choices, column) {
                    match (part, draft.stream.get_mut(index)) {
                        (Some(new), Some(slot)) => *slot = new,
                        (Some(new), None) => draft.stream.push(new),
                        (None, Some(_)) => {
                            draft.stream.remove(index);
                        }
                        (None, None) => {}
                    }
                }
            }
            ui.label("");
            if draft.stream.is_empty() {
                ui.weak("No stream: the whole table is one stream.");
            } else if ui
                .small_button("Add a stream part")
                .on_hover_text("A composite stream key: its parts are shown joined by /")
                .clicked()
                && let Some(first) = choices.columns.first()
            {
                draft.stream.push(Source::Column(first.clone()));
            }
            ui.end_row();

            for (name, slot) in [
                ("Stream type", &mut draft.stream_type),
                ("Stream name", &mut draft.stream_name),
                ("Tenant", &mut draft.tenant),
                ("Version", &mut draft.version),
                ("Event type", &mut draft.event_type),
                ("Time", &mut draft.time),
                // Tracing roles: what the correlation lanes follow (usually paths into the metadata).
                ("Event id", &mut draft.id),
                ("Correlation id", &mut draft.correlation),
                ("Causation id", &mut draft.causation),
            ] {
                source_row(ui, name, slot, &choices, column);
            }

            let old_data = draft.data.clone();
            column_row(ui, "Data column", &mut draft.data, &choices.columns);
            if let (Some(old), Some(new)) = (old_data, draft.data.clone())
                && old != new
            {
                repoint_json(draft, &old, &new);
            }
            column_row(ui, "Metadata column", &mut draft.metadata, &choices.columns);

            let label = ui.label("SQL filter");
            let mut filter = draft.filter.clone().unwrap_or_default();
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut filter)
                        .id_salt("mapping_filter")
                        .hint_text("optional, e.g. kind <> 'Snapshot'")
                        .desired_width(440.0),
                )
                .labelled_by(label.id);
            if field.changed() {
                draft.filter = (!filter.is_empty()).then_some(filter);
            }
            ui.end_row();

            if let Some(join) = &draft.join {
                ui.label("Joined table");
                ui.weak(format!(
                    "{} ON {}.{} = {}.{}",
                    join.table, join.table, join.key, draft.table, join.on
                ));
                ui.end_row();
            }
            if !draft.codec.is_plain() {
                ui.label("Payload codec");
                ui.weak(serde_json::to_string(&draft.codec).unwrap_or_default());
                ui.end_row();
            }
        });
}

fn spinner_ui(ui: &mut egui::Ui, text: &str) {
    ui.horizontal(|ui| {
        ui.add(egui::Spinner::new());
        ui.label(text);
    });
}

/// `text` cut to `max` characters, with an ellipsis when cut.
fn truncated(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or(text)),
        None => text.to_owned(),
    }
}

/// A payload on one line: compact JSON, or why it did not decode.
fn compact_payload(payload: &Payload) -> String {
    match payload {
        Payload::Json(value) => serde_json::to_string(value).unwrap_or_default(),
        Payload::Raw { bytes, reason } => format!("({} bytes, {reason})", bytes.len()),
    }
}

fn preview_table_ui(ui: &mut egui::Ui, events: &[Event]) {
    let height = ui.available_height().max(120.0);
    TableBuilder::new(ui)
        .id_salt("mapping_preview")
        .striped(true)
        .max_scroll_height(height)
        .auto_shrink([false, true])
        .column(Column::initial(70.0).at_least(40.0).clip(true))
        .column(Column::initial(250.0).at_least(60.0).clip(true))
        .column(Column::initial(60.0).at_least(40.0).clip(true))
        .column(Column::initial(150.0).at_least(60.0).clip(true))
        .column(Column::initial(170.0).at_least(60.0).clip(true))
        .column(Column::remainder().at_least(120.0).clip(true))
        .header(20.0, |mut header| {
            for title in ["position", "stream", "version", "type", "time", "data"] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(20.0, events.len(), |mut row| {
                let Some(event) = events.get(row.index()) else {
                    return;
                };
                let cells = [
                    event.position.to_string(),
                    event.stream.clone(),
                    event.version.map(|v| v.to_string()).unwrap_or_default(),
                    event.event_type.clone(),
                    event.time.as_ref().map(format_time).unwrap_or_default(),
                ];
                for text in cells {
                    row.col(|ui| {
                        ui.add(egui::Label::new(text).truncate());
                    });
                }
                row.col(|ui| {
                    let data = compact_payload(&event.data);
                    ui.add(
                        egui::Label::new(
                            egui::RichText::new(truncated(&data, PREVIEW_DATA_CHARS)).monospace(),
                        )
                        .truncate()
                        .show_tooltip_when_elided(false),
                    )
                    .on_hover_text(truncated(&data, PREVIEW_HOVER_CHARS));
                });
            });
        });
}

// ---------------------------------------------------------------------------------------------------------
// The cipher key prompt

/// The banner asking for the key of encrypted payloads. The key is tried off the UI thread before the
/// session is reopened with it, and is never saved.
#[derive(Default)]
pub struct CipherKeyPrompt {
    text: String,
    error: Option<String>,
    /// A key being tried: the key and the thread reading a few events with it.
    trying: Option<(Vec<u8>, Reader)>,
}

impl CipherKeyPrompt {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        ctx: &egui::Context,
        actions: &mut Vec<Action>,
    ) {
        self.poll(session, actions);
        let Self {
            text,
            error,
            trying,
        } = self;
        let mut submit = false;
        ui.horizontal_wrapped(|ui| {
            ui.label(
                egui::RichText::new(
                    "Payloads in this file are encrypted. Enter the cipher key (base64) to decode them:",
                )
                .color(ui.visuals().warn_fg_color),
            );
            let field = ui.add(
                egui::TextEdit::singleline(text)
                    .password(true)
                    .desired_width(360.0)
                    .hint_text("CIPHER_KEY, base64"),
            );
            field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Cipher key"));
            submit = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if trying.is_some() {
                ui.add(egui::Spinner::new());
                ui.weak("trying the key…");
            } else if ui
                .add_enabled(!text.trim().is_empty(), egui::Button::new("Decrypt"))
                .clicked()
            {
                submit = true;
            }
        });
        if let Some(message) = error {
            ui.colored_label(ui.visuals().error_fg_color, message.as_str());
        }
        if submit && trying.is_none() && !text.trim().is_empty() {
            self.try_key(session, ctx);
        }
    }

    fn try_key(&mut self, session: &Session, ctx: &egui::Context) {
        let key = match parse_key(&self.text) {
            Ok(key) => key,
            Err(message) => {
                self.error = Some(message);
                return;
            }
        };
        match Reader::start("eventscope-key-check", ctx.clone()) {
            Ok(mut reader) => {
                reader.send(Job::Preview {
                    path: session.path.clone(),
                    options: OpenOptions {
                        mappings: session.options.mappings.clone(),
                        cipher_key: Some(key.clone()),
                        max_payload_bytes: session.options.max_payload_bytes,
                    },
                });
                self.error = None;
                self.trying = Some((key, reader));
            }
            Err(message) => self.error = Some(message),
        }
    }

    /// Reopen the session once a key proved to decrypt the first payloads.
    fn poll(&mut self, session: &Session, actions: &mut Vec<Action>) {
        let Some((_, reader)) = &mut self.trying else {
            return;
        };
        let Some(answer) = reader.try_recv() else {
            return;
        };
        let Some((key, _)) = self.trying.take() else {
            return;
        };
        let events = match answer {
            Answer::Preview { events, .. } => events,
            Answer::Inspected { .. } => return,
        };
        match events {
            Err(message) => self.error = Some(message),
            Ok(events) => {
                let undecoded = events.iter().find_map(|e| match &e.data {
                    Payload::Raw { reason, .. } => Some(reason.clone()),
                    Payload::Json(_) => None,
                });
                let decoded_any = events.iter().any(|e| matches!(e.data, Payload::Json(_)));
                match undecoded {
                    Some(reason) if !decoded_any => {
                        self.error =
                            Some(format!("This key does not decode the payloads: {reason}"));
                    }
                    _ => {
                        self.text.clear();
                        self.error = None;
                        actions.push(Action::Reopen {
                            mappings: session.options.mappings.clone(),
                            cipher_key: Some(key),
                            keep_selection: true,
                        });
                    }
                }
            }
        }
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
