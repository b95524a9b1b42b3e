//! The bar along the top of the window: the File, View (theme), Help and Copy as command menus, Settings, the open file and its layout, and the buttons that
//! show the overview, bookmarks, findings, search and export windows, with background progress.

use eframe::egui;

use super::{Action, EventscopeApp, findings, search};
use crate::session::Session;

impl EventscopeApp {
    pub(super) fn top_bar_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        egui::Panel::top("top_bar").show(ui, |ui| {
            // Wrapped: in a narrow window the buttons go on a second row instead of off the edge.
            ui.horizontal_wrapped(|ui| {
                ui.menu_button("File", |ui| {
                    if ui.button("Open…  (Ctrl+O)").clicked() {
                        actions.push(Action::ShowOpenDialog);
                    }
                    if ui
                        .button("Connect to PostgreSQL…")
                        .on_hover_text("Open an event store kept in a PostgreSQL database, read-only")
                        .clicked()
                    {
                        actions.push(Action::ShowConnect);
                    }
                    ui.menu_button("Open recent", |ui| {
                        if self.settings.recent.is_empty() {
                            ui.label("No recent files");
                        }
                        for path in &self.settings.recent {
                            if ui.button(path.display().to_string()).clicked() {
                                actions.push(Action::Open(path.clone()));
                            }
                        }
                    });
                    ui.separator();
                    if ui
                        .add_enabled(self.session.is_some(), egui::Button::new("Edit mapping…"))
                        .on_hover_text("Choose which columns hold the streams, versions, types and times")
                        .clicked()
                    {
                        actions.push(Action::EditMapping);
                    }
                    let saved = self
                        .session
                        .as_ref()
                        .is_some_and(|s| self.settings.mappings_by_file.contains_key(s.store().path()));
                    if ui
                        .add_enabled(saved, egui::Button::new("Forget saved mapping"))
                        .on_hover_text("Detect this file's layout again when it opens")
                        .clicked()
                    {
                        actions.push(Action::ForgetMapping);
                    }
                    ui.separator();
                    if ui
                        .add_enabled(self.session.is_some(), egui::Button::new("Close"))
                        .clicked()
                    {
                        actions.push(Action::Close);
                    }
                });
                ui.menu_button("View", |ui| {
                    ui.label("Theme");
                    for theme in super::Theme::ALL {
                        if ui
                            .radio(self.settings.theme == theme, theme.label())
                            .clicked()
                        {
                            actions.push(Action::SetTheme(theme));
                        }
                    }
                });
                ui.menu_button("Help", |ui| {
                    if ui
                        .button("Keys and help  (F1)")
                        .on_hover_text("Every key and mouse gesture, and what each panel shows")
                        .clicked()
                    {
                        actions.push(Action::ToggleHelp);
                    }
                });
                super::copy_command::copy_command_menu_ui(ui, self.session.as_ref());
                if ui
                    .selectable_label(self.settings_window.open, "Settings")
                    .on_hover_text("The theme, and the jq budget of reducers and search, for every file")
                    .clicked()
                {
                    actions.push(Action::ToggleSettings);
                }
                ui.separator();
                ui.strong("Eventscope");
                if let Some(session) = &self.session {
                    ui.separator();
                    // The file's name and how it maps are cut to a width, so the buttons after them
                    // (Overview, Findings, Search, Export) stay on screen whatever the path's length;
                    // the whole text is in the hover.
                    let store = session.store().path();
                    let path = store.display().to_string();
                    // A file by its name (a server by its URL); the whole path in the hover.
                    let name = match (session.store().options().server.is_some(), store.file_name()) {
                        (false, Some(name)) => name.to_string_lossy().into_owned(),
                        _ => path.clone(),
                    };
                    truncated(ui, 240.0, egui::RichText::new(name))
                        .on_hover_text(format!("{path}\nopened read-only"));
                    if let Some(mapping) = session.store().mappings().first() {
                        let tables: Vec<&str> =
                            session.store().mappings().iter().map(|m| m.table.as_str()).collect();
                        let shown = format!("· {} · table {}", mapping.layout, tables.join(", "));
                        truncated(ui, 150.0, egui::RichText::new(shown).weak())
                        .on_hover_text(
                            serde_json::to_string_pretty(session.store().mappings()).unwrap_or_default(),
                        );
                        if let Some(reason) = mapping.format_reason() {
                            ui.weak(format!("· {reason}")).on_hover_text(
                                "Why the payloads are read in this format: every format tried on sampled rows, \
                                 in the mapping's format_guesses (Layout to change it)",
                            );
                        }
                        if let Some(reasons) = mapping.guess_reasons() {
                            let roles: Vec<&str> =
                                mapping.guesses.iter().map(|g| g.role.name()).collect();
                            ui.weak(format!("· by content: {}", roles.join(", ")))
                                .on_hover_text(format!(
                                    "Roles found by what the columns hold, not by their names (Layout to \
                                     change them): {reasons}"
                                ));
                        }
                    }
                    if self.settings.uses_saved_mapping(session) {
                        ui.weak("· your saved mapping").on_hover_text(
                            "This file opens with the mapping you saved for it (File > Forget saved mapping)",
                        );
                    }
                    if ui
                        .small_button("Layout")
                        .on_hover_text("See how this file's rows map to streams and events, and change it")
                        .clicked()
                    {
                        actions.push(Action::EditMapping);
                    }
                    match session.store().info().and_then(|info| info.server.as_ref()) {
                        Some(server) => server_ui(ui, server),
                        None => {
                            ui.weak("· read-only");
                        }
                    }
                    integrity_ui(ui, session);
                    ui.separator();
                    let count = self
                        .settings
                        .bookmarks
                        .get(session.store().path())
                        .map_or(0, Vec::len);
                    if ui
                        .selectable_label(
                            self.overview.open && session.selected().is_some(),
                            "Overview",
                        )
                        .on_hover_text("The whole store's activity over time; brush a period to list its streams")
                        .clicked()
                    {
                        actions.push(Action::ToggleOverview);
                    }
                    if ui
                        .selectable_label(self.bookmarks.open, format!("Bookmarks ({count})"))
                        .on_hover_text("Points in this file's streams you bookmarked (Ctrl+B adds one)")
                        .clicked()
                    {
                        actions.push(Action::ToggleBookmarks);
                    }
                    audit_buttons_ui(ui, session, &self.findings, &self.search, actions);
                    let export = ui
                        .selectable_label(self.export.open, "Export")
                        .on_hover_text("State, diff, events, findings and the audit report, as files");
                    if export.clicked() {
                        actions.push(Action::ToggleExport);
                    }
                    if let Some(progress) = session.progress() {
                        ui.separator();
                        progress_ui(ui, progress);
                    }
                }
            });
        });
    }
}

/// `text` on one line, cut with "…" past `max_width` points.
fn truncated(ui: &mut egui::Ui, max_width: f32, text: egui::RichText) -> egui::Response {
    ui.scope(|ui| {
        ui.set_max_width(max_width);
        ui.add(egui::Label::new(text).truncate())
    })
    .inner
}

/// The top bar's audit buttons: Findings, Search, Export.
fn audit_buttons_ui(
    ui: &mut egui::Ui,
    session: &Session,
    findings: &findings::FindingsPanel,
    search: &search::SearchPanel,
    actions: &mut Vec<Action>,
) {
    let run = &session.audit().verify;
    let text = match run.status {
        crate::session::audit::JobStatus::Idle => "Findings".to_owned(),
        _ => format!("Findings ({})", run.findings.len()),
    };
    let button = ui
        .selectable_label(findings.open, text)
        .on_hover_text("Integrity findings: what is wrong with this store (runs verify)");
    button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, "Findings"));
    if button.clicked() {
        actions.push(Action::ToggleFindings);
    }
    let hits = &session.audit().search;
    let text = match hits.status {
        crate::session::audit::JobStatus::Idle => "Search".to_owned(),
        _ => format!("Search ({})", hits.found),
    };
    let button = ui
        .selectable_label(search.open, text)
        .on_hover_text("Find events across every stream by jq, type, time and text (Ctrl+Shift+F)");
    button.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Button, true, "Search (Ctrl+Shift+F)")
    });
    if button.clicked() {
        actions.push(Action::ToggleSearch);
    }
}

fn progress_ui(ui: &mut egui::Ui, progress: &crate::session::Progress) {
    ui.add(egui::Spinner::new());
    if progress.total > 0 {
        #[expect(clippy::cast_precision_loss, reason = "a progress fraction")]
        let fraction = progress.done as f32 / progress.total as f32;
        ui.add(
            egui::ProgressBar::new(fraction)
                .desired_width(160.0)
                .text(format!(
                    "{} {}/{}",
                    progress.what, progress.done, progress.total
                )),
        );
    } else {
        ui.label(format!("{}…", progress.what));
    }
}

/// A PostgreSQL store's role, and whether it could write had Eventscope tried (it never does).
fn server_ui(ui: &mut egui::Ui, server: &crate::core::store::pg::RoleFacts) {
    let how = format!(
        "Connected as {} to database {} (PostgreSQL {}){}. The session is read-only: every read is a READ ONLY \
         transaction, rolled back, and nothing is ever created on the server.",
        server.role,
        server.database,
        server.server_version,
        if server.tls {
            ", encrypted"
        } else {
            ", not encrypted"
        },
    );
    if server.could_write {
        let text = egui::RichText::new(format!("· role {} could write", server.role))
            .color(ui.visuals().warn_fg_color);
        ui.label(text).on_hover_text(format!(
            "{how}\n\nThis role could change the database outside Eventscope's read-only session. To make \
             read-only airtight, connect as a role that can only read:\n  CREATE ROLE reader LOGIN;\n  \
             GRANT pg_read_all_data TO reader;"
        ));
    } else {
        ui.weak(format!("· role {} · read-only", server.role))
            .on_hover_text(format!(
                "{how}\n\nThis role cannot write anywhere in this database."
            ));
    }
}

/// The file's quick_check verdict: a spinner while it runs, a quiet tick when intact, a loud warning when
/// the file is damaged (SQLite's own words on hover).
fn integrity_ui(ui: &mut egui::Ui, session: &Session) {
    use crate::core::store::Integrity;
    use crate::session::integrity::IntegrityStatus;
    match session.integrity().status() {
        IntegrityStatus::Checking => {
            ui.add(egui::Spinner::new().size(12.0))
                .on_hover_text("Checking the file's integrity (SQLite quick_check of every page)");
        }
        IntegrityStatus::Done(Integrity::Intact) => {
            ui.weak("· intact").on_hover_text(
                "SQLite's quick_check read every page of the file and found it well formed",
            );
        }
        IntegrityStatus::Done(verdict @ Integrity::Damaged { problems }) => {
            let text = egui::RichText::new("FILE DAMAGED: counts may be incomplete")
                .strong()
                .color(ui.visuals().error_fg_color);
            ui.label(text).on_hover_text(format!(
                "{}\n\n{}",
                verdict.summary(),
                problems.join("\n")
            ));
        }
        IntegrityStatus::Failed(why) => {
            ui.weak("· integrity not checked")
                .on_hover_text(why.as_str());
        }
        IntegrityStatus::Server => {}
    }
}
