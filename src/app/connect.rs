//! File > Connect to PostgreSQL…: a URL (and a password typed here, never saved), the recent connections
//! (remembered without their password), and the choice of schema when several hold event tables.
//!
//! Connecting looks for the schemas with a layout off the UI thread (a [`Jobs`] job, cancelled with the
//! dialog); the store itself then opens as any other, by [`Action::Open`] with the URL.

use std::path::PathBuf;
use std::sync::Arc;

use eframe::egui;

use super::{Action, Settings};
use crate::core::store::pg::{
    PgError, PgTarget, ProcessEnv, SchemaLayout, is_postgres_url, schemas_with_layouts,
    url_with_parameter, url_with_schema,
};
use crate::jobs::{JobKind, Jobs};

/// Looking for the schemas that hold event tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Survey;

impl JobKind for Survey {}

type SurveyAnswer = Result<Vec<SchemaLayout>, String>;

/// Where the dialog is.
#[derive(Debug, Default)]
enum Stage {
    #[default]
    Editing,
    /// Connecting and reading the schemas.
    Looking,
    /// Several schemas hold event tables: which one to open.
    Choose {
        url: String,
        schemas: Vec<SchemaLayout>,
        chosen: usize,
    },
    /// Why the last try failed.
    Failed(String),
}

/// The dialog: the fields being typed and where connecting has got to.
#[derive(Default)]
pub struct ConnectDialog {
    pub open: bool,
    url: String,
    password: String,
    stage: Stage,
    jobs: Option<Jobs<Survey, SurveyAnswer>>,
}

impl ConnectDialog {
    /// Show the dialog, with the most recent connection filled in when the URL is empty.
    pub fn show_dialog(&mut self, settings: &Settings) {
        self.open = true;
        if self.url.is_empty()
            && let Some(recent) = recent_connections(settings).next()
        {
            self.url = recent;
        }
        if !matches!(self.stage, Stage::Looking) {
            self.stage = Stage::Editing;
        }
    }

    /// The error the dialog shows, if the last try failed (tests read it).
    pub fn failure(&self) -> Option<&str> {
        match &self.stage {
            Stage::Failed(text) => Some(text),
            _ => None,
        }
    }

    fn close(&mut self) {
        self.open = false;
        self.password.clear();
        self.stage = Stage::Editing;
        if let Some(jobs) = &mut self.jobs {
            jobs.cancel_all();
        }
    }

    /// Take the survey's answer when it has come.
    fn poll(&mut self, actions: &mut Vec<Action>) {
        let Some(answer) = self.jobs.as_mut().and_then(Jobs::try_recv) else {
            return;
        };
        let url = self.url_to_open();
        match answer.message {
            Err(panicked) => self.stage = Stage::Failed(format!("bug: {panicked}")),
            Ok(Err(text)) => self.stage = Stage::Failed(text),
            Ok(Ok(schemas)) if schemas.len() >= 2 => {
                let chosen = schemas.iter().position(|s| s.current).unwrap_or(0);
                self.stage = Stage::Choose {
                    url,
                    schemas,
                    chosen,
                };
            }
            // One schema or none: opening finds it, or says what it found instead.
            Ok(Ok(_)) => {
                actions.push(Action::Open(PathBuf::from(url)));
                self.close();
            }
        }
    }

    /// The URL typed, with the password typed as its `password` parameter (which is never shown or kept).
    fn url_to_open(&self) -> String {
        let url = self.url.trim();
        if self.password.is_empty() {
            return url.to_owned();
        }
        url_with_parameter(url, "password", &self.password)
    }

    fn connect(&mut self, ctx: &egui::Context) {
        let url = self.url_to_open();
        if !is_postgres_url(&url) {
            self.stage = Stage::Failed(
                "Type the server's URL, starting postgres:// or postgresql:// \
                 (postgres://user@host:5432/database)"
                    .to_owned(),
            );
            return;
        }
        let jobs = self.jobs.get_or_insert_with(|| {
            let ctx = ctx.clone();
            Jobs::each_on_own_thread(
                "eventscope-connect",
                Arc::new(move || ctx.request_repaint()),
            )
        });
        let submitted = jobs.submit(Survey, move |_: &mut (), task| {
            let answer = PgTarget::parse(&url, &ProcessEnv)
                .map_err(|e| e.to_string())
                .and_then(|target| schemas_with_layouts(&target).map_err(|e| with_hint(&e)));
            task.send(answer);
        });
        self.stage = match submitted {
            Ok(_) => Stage::Looking,
            Err(err) => Stage::Failed(err),
        };
    }

    pub fn show(&mut self, ctx: &egui::Context, settings: &Settings, actions: &mut Vec<Action>) {
        self.poll(actions);
        if !self.open {
            return;
        }
        let mut open = true;
        let mut connect = false;
        let mut cancel = false;
        egui::Window::new("Connect to PostgreSQL")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(560.0)
            .pivot(egui::Align2::CENTER_TOP)
            .default_pos(ctx.content_rect().center_top() + egui::vec2(0.0, 60.0))
            .show(ctx, |ui| {
                let busy = matches!(self.stage, Stage::Looking);
                ui.label("The server's URL");
                let field = ui.add_enabled(
                    !busy,
                    egui::TextEdit::singleline(&mut self.url)
                        .desired_width(520.0)
                        .hint_text("postgres://user@host:5432/database?sslmode=require"),
                );
                field.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Server URL")
                });
                let mut submitted = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.label("Password (if the URL, PGPASSWORD or ~/.pgpass has none; never saved)");
                let field = ui.add_enabled(
                    !busy,
                    egui::TextEdit::singleline(&mut self.password)
                        .password(true)
                        .desired_width(520.0),
                );
                field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Password"));
                submitted |= field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.weak(
                    "Eventscope only reads: every session is read-only and each query is time-bounded. \
                     To make that airtight, connect as a role granted pg_read_all_data and nothing else.",
                );
                ui.add_space(4.0);
                let recent: Vec<String> = recent_connections(settings).collect();
                if !recent.is_empty() {
                    ui.collapsing("Recent connections", |ui| {
                        for url in recent {
                            if ui.add_enabled(!busy, egui::Button::new(&url)).clicked() {
                                self.url = url;
                                self.stage = Stage::Editing;
                            }
                        }
                    });
                }
                match &mut self.stage {
                    Stage::Editing => {}
                    Stage::Looking => {
                        ui.horizontal(|ui| {
                            ui.spinner();
                            ui.label("Connecting and looking for event tables…");
                        });
                    }
                    Stage::Failed(text) => {
                        ui.colored_label(ui.visuals().error_fg_color, text.as_str());
                    }
                    Stage::Choose {
                        url,
                        schemas,
                        chosen,
                    } => {
                        ui.separator();
                        ui.label("Event tables are in several schemas. Open which?");
                        for (i, schema) in schemas.iter().enumerate() {
                            let current = if schema.current { " (the connection's own)" } else { "" };
                            ui.radio_value(
                                chosen,
                                i,
                                format!(
                                    "{}{current} — {} ({})",
                                    schema.schema,
                                    schema.layout,
                                    schema.tables.join(", ")
                                ),
                            );
                        }
                        if ui.button("Open this schema").clicked() {
                            let schema = &schemas[*chosen].schema;
                            actions.push(Action::Open(PathBuf::from(url_with_schema(url, schema))));
                            cancel = true;
                        }
                    }
                }
                ui.separator();
                ui.horizontal(|ui| {
                    connect = ui.add_enabled(!busy, egui::Button::new("Connect")).clicked()
                        || (submitted && !busy);
                    cancel |= ui.button("Cancel").clicked();
                });
            });
        if connect {
            self.connect(ctx);
        }
        if cancel || !open {
            self.close();
        }
    }
}

/// The PostgreSQL URLs among the recent stores, most recent first (as remembered: no password).
fn recent_connections(settings: &Settings) -> impl Iterator<Item = String> + '_ {
    settings
        .recent
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| is_postgres_url(p))
}

/// `err` as the dialog says it: with what to do when the server wants a password it was not given.
fn with_hint(err: &PgError) -> String {
    if err.wants_password() {
        format!(
            "{err}. Type the password above (it is never saved), or put it in ~/.pgpass or PGPASSWORD."
        )
    } else {
        err.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_password_goes_in_the_url_opened_replacing_any_other() {
        let mut dialog = ConnectDialog {
            url: " postgres://ann@db/shop?password=old&sslmode=require ".to_owned(),
            ..Default::default()
        };
        assert_eq!(
            dialog.url_to_open(),
            "postgres://ann@db/shop?password=old&sslmode=require"
        );
        dialog.password = "p@ss word".to_owned();
        assert_eq!(
            dialog.url_to_open(),
            "postgres://ann@db/shop?sslmode=require&password=p%40ss%20word"
        );
        let target = PgTarget::parse(&dialog.url_to_open(), &ProcessEnv).unwrap();
        let shown = target.shown();
        assert!(!shown.contains("word") && !shown.contains("old"), "{shown}");
    }
}
