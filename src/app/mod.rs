//! The egui application. It owns at most one [`Session`] (the open store) and the persisted settings; each
//! panel is a small struct with a `ui` method that reads the session and pushes [`Command`]s, which are
//! applied once at the end of the frame.

mod bookmarks;
mod connect;
mod copy;
mod copy_command;
mod event_table;
mod exports;
mod findings;
mod help;
mod inspect;
mod inspect_texts;
mod json_tree;
mod lanes;
mod mapping_editor;
mod native;
mod opening;
mod overview;
mod panels;
mod replay_panel;
mod save_file;
mod search;
mod settings_window;
mod start;
mod streams;
mod text_rows;
mod theme;
mod timeline;
mod top_bar;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use anyhow::Context as _;
use eframe::egui;

use crate::core::decode::codec::DEFAULT_MAX_PAYLOAD_BYTES;
use crate::core::layout::Mapping;
use crate::core::store::OpenOptions;
use crate::session::{Command, Session};
pub use bookmarks::Bookmark;
pub use native::{bundled_samples, run_native, sample_dirs};
use panels::{Panels, open_failed_ui, session_ui};
pub use settings_window::JqBudget;
pub use theme::Theme;

/// Settings that survive a restart.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Most recently opened first.
    pub recent: Vec<PathBuf>,
    /// Mappings the user saved for a file (by canonical path); that file always opens with them.
    #[serde(with = "mapping_editor::saved_mappings")]
    pub mappings_by_file: BTreeMap<PathBuf, Vec<Mapping>>,
    /// Bookmarks by file (canonical path), in the order made. Kept here, never in the store.
    pub bookmarks: BTreeMap<PathBuf, Vec<Bookmark>>,
    /// What one jq evaluation of a reducer or the search may spend (the Settings window).
    pub jq_budget: JqBudget,
    /// Dark, light or the system's (the Settings window and View menu).
    pub theme: Theme,
}

impl Settings {
    /// How to open `path` (canonical): with the mapping saved for it, if any, and the default cap on a
    /// decoded payload.
    pub fn open_options(&self, path: &Path) -> OpenOptions {
        OpenOptions {
            mappings: self.mappings_by_file.get(path).cloned(),
            cipher_key: None,
            max_payload_bytes: DEFAULT_MAX_PAYLOAD_BYTES,
            server: None,
            schema: None,
        }
    }

    /// Whether `session` was opened with the mapping saved for its file.
    pub fn uses_saved_mapping(&self, session: &Session) -> bool {
        session.store().options().mappings.is_some()
            && self.mappings_by_file.get(session.store().path())
                == session.store().options().mappings.as_ref()
    }
}

const SETTINGS_KEY: &str = "eventscope-settings";
const MAX_RECENT: usize = 10;

/// What to show when the window opens.
#[derive(Clone, Debug, Default)]
pub struct StartOptions {
    /// Open this store.
    pub file: Option<PathBuf>,
    /// Then select this stream.
    pub stream: Option<String>,
    /// Then put the playhead on this version.
    pub at: Option<i64>,
    /// Replay with this reducer file.
    pub reducers: Option<PathBuf>,
    /// Show the correlation lanes of this correlation id.
    pub correlation: Option<String>,
    /// Open this window: `findings` (runs verify) or `search`.
    pub panel: Option<String>,
    /// Open the Search window and run this jq predicate.
    pub search: Option<String>,
    /// Read the payloads with this schema (see `OpenOptions::schema`).
    pub schema: Option<PathBuf>,
    /// Chart the numbers at these JSON Pointers of the state.
    pub chart: Vec<String>,
}

/// Things the app (not the session) does.
#[derive(Debug, PartialEq)]
enum Action {
    Open(PathBuf),
    Close,
    ShowOpenDialog,
    /// Show File > Connect to PostgreSQL….
    ShowConnect,
    Quit,
    /// Show the mapping editor for the open file.
    EditMapping,
    CloseMappingEditor,
    /// Reopen the open file with these options, on the same stream and version when asked.
    Reopen {
        mappings: Option<Vec<Mapping>>,
        cipher_key: Option<Vec<u8>>,
        keep_selection: bool,
    },
    /// Open the open file with this mapping from now on.
    SaveMapping(Box<Mapping>),
    /// Forget the mapping saved for the open file and detect its layout again.
    ForgetMapping,
    /// Show the bookmarks window, ready to bookmark the playhead.
    AddBookmark,
    ToggleBookmarks,
    ToggleOverview,
    /// Show or hide the Findings window (the first time, verify runs).
    ToggleFindings,
    /// Show or hide the Search window (Ctrl+Shift+F shows it with the predicate focused).
    ToggleSearch,
    ShowSearch,
    ToggleExport,
    ToggleSettings,
    /// Show or hide the Help window (F1).
    ToggleHelp,
    /// Use this theme from now on.
    SetTheme(Theme),
    /// Use this jq budget from now on, in the open session too.
    SetJqBudget(JqBudget),
}

/// The whole application.
pub struct EventscopeApp {
    settings: Settings,
    session: Option<Session>,
    start: start::StartScreen,
    streams: streams::StreamsPanel,
    timeline: timeline::Timeline,
    replay: replay_panel::ReplayPanel,
    bookmarks: bookmarks::BookmarksPanel,
    overview: overview::OverviewPanel,
    lanes: lanes::LanesPanel,
    findings: findings::FindingsPanel,
    search: search::SearchPanel,
    export: exports::ExportPanel,
    settings_window: settings_window::SettingsWindow,
    help: help::HelpWindow,
    connect: connect::ConnectDialog,
    mapping_editor: Option<mapping_editor::MappingEditor>,
    key_prompt: mapping_editor::CipherKeyPrompt,
    /// Answer of a native file dialog running on its own thread.
    dialog: Option<Receiver<Option<PathBuf>>>,
    ctx: egui::Context,
}

impl EventscopeApp {
    /// Build the app; opens the file, stream and version in `start` straight away when given.
    pub fn new(cc: &eframe::CreationContext<'_>, start: StartOptions) -> Self {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        let mut app = Self {
            settings,
            session: None,
            start: start::StartScreen::default(),
            streams: streams::StreamsPanel::default(),
            timeline: timeline::Timeline::default(),
            replay: replay_panel::ReplayPanel::default(),
            bookmarks: bookmarks::BookmarksPanel::default(),
            overview: overview::OverviewPanel::default(),
            lanes: lanes::LanesPanel::default(),
            findings: findings::FindingsPanel::default(),
            search: search::SearchPanel::default(),
            export: exports::ExportPanel::default(),
            settings_window: settings_window::SettingsWindow::default(),
            help: help::HelpWindow::default(),
            connect: connect::ConnectDialog::default(),
            mapping_editor: None,
            key_prompt: mapping_editor::CipherKeyPrompt::default(),
            dialog: None,
            ctx: cc.egui_ctx.clone(),
        };
        theme::tune_styles(&cc.egui_ctx);
        theme::apply(&cc.egui_ctx, app.settings.theme);
        app.start_with(start);
        app
    }

    /// Open the file, stream and version in `start` (tests call it after setting the settings up).
    pub fn start_with(&mut self, start: StartOptions) {
        let app = self;
        if let Some(file) = start.file {
            app.open_with_schema(file, start.schema);
        }
        if let Some(session) = &mut app.session {
            if let Some(stream) = start.stream {
                session.apply(Command::SelectStream(stream));
            }
            if let Some(version) = start.at {
                session.apply(Command::GoToVersion(version));
            }
            for path in start.chart {
                session.apply(Command::ChartField(path));
            }
            if let Some(id) = start.correlation {
                session.apply(Command::ShowCorrelation(id));
            }
            let mut commands = Vec::new();
            match start.panel.as_deref() {
                Some("findings") => app.findings.toggle(Some(session), &mut commands),
                Some("search") => app.search.start(),
                _ => {}
            }
            if let Some(predicate) = &start.search {
                app.search.search_for(predicate, &mut commands);
            }
            commands.into_iter().for_each(|c| session.apply(c));
            if let Some(path) = &start.reducers {
                match std::fs::read_to_string(path) {
                    Ok(text) => {
                        session.apply(Command::ReducersFile {
                            path: path.clone(),
                            text: text.clone(),
                        });
                        session.apply(Command::SetReducers(Some(text)));
                    }
                    Err(err) => session.apply(Command::ShowError(format!(
                        "cannot read reducers {}: {err}",
                        path.display()
                    ))),
                }
            }
        }
    }

    /// The timeline canvas as last drawn, and the height of the ruler at its top (drag there to scrub).
    pub fn timeline_canvas(&self) -> Option<(egui::Rect, f32)> {
        self.timeline
            .canvas_rect()
            .map(|rect| (rect, timeline::RULER_HEIGHT))
    }

    /// The chart of state fields under the timeline as last drawn, when one is shown.
    pub fn chart_rect(&self) -> Option<egui::Rect> {
        self.timeline.chart_rect()
    }

    /// One unit of the timeline's axis as last drawn (what Shift+Left/Right step by).
    pub fn axis_unit(&self) -> Option<crate::session::AxisUnit> {
        self.timeline.axis_unit()
    }

    /// The open session, if any (tests read it).
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// The open session, to drive it directly (benchmarks set playback up this way).
    pub fn session_mut(&mut self) -> Option<&mut Session> {
        self.session.as_mut()
    }

    /// The persisted settings (tests read them).
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The persisted settings, to change (tests stand in for a restart with them).
    pub fn settings_mut(&mut self) -> &mut Settings {
        &mut self.settings
    }

    /// Why the Connect to PostgreSQL dialog's last try failed, as it shows it.
    pub fn connect_failure(&self) -> Option<&str> {
        self.connect.failure()
    }

    /// Whether the mapping editor is showing.
    pub fn mapping_editor_open(&self) -> bool {
        self.mapping_editor.is_some()
    }

    fn notify(&self) -> Arc<dyn Fn() + Send + Sync> {
        let ctx = self.ctx.clone();
        Arc::new(move || ctx.request_repaint())
    }

    fn global_keys(&self, ui: &egui::Ui, actions: &mut Vec<Action>, commands: &mut Vec<Command>) {
        let axis_unit = self.timeline.axis_unit();
        let typing = ui.ctx().egui_wants_keyboard_input();
        ui.input_mut(|i| {
            if i.consume_key(egui::Modifiers::NONE, egui::Key::F1) {
                actions.push(Action::ToggleHelp);
            }
            if i.consume_key(egui::Modifiers::COMMAND, egui::Key::O) {
                actions.push(Action::ShowOpenDialog);
            }
            if i.consume_key(egui::Modifiers::COMMAND, egui::Key::Q) {
                actions.push(Action::Quit);
            }
            if i.consume_key(
                egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
                egui::Key::F,
            ) {
                actions.push(Action::ShowSearch);
            }
            if i.consume_key(egui::Modifiers::COMMAND, egui::Key::B) {
                actions.push(Action::AddBookmark);
            }
            if typing {
                return;
            }
            let dropped = std::mem::take(&mut i.raw.dropped_files);
            if let Some(path) = dropped
                .first()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
            {
                actions.push(Action::Open(path));
            }
            // Shift first: a plain-arrow check would also match Shift+arrow.
            if let Some(unit) = axis_unit {
                for (key, forward) in [(egui::Key::ArrowRight, true), (egui::Key::ArrowLeft, false)]
                {
                    if i.consume_key(egui::Modifiers::SHIFT, key) {
                        commands.push(Command::StepAxis { unit, forward });
                    }
                }
            }
            if i.consume_key(egui::Modifiers::NONE, egui::Key::Space) {
                commands.push(Command::TogglePlay);
            }
            for (key, command) in [
                (egui::Key::ArrowRight, Command::Step(1)),
                (egui::Key::ArrowLeft, Command::Step(-1)),
                (egui::Key::Home, Command::First),
                (egui::Key::End, Command::Last),
            ] {
                if i.consume_key(egui::Modifiers::NONE, key) {
                    commands.push(command);
                }
            }
        });
    }
}

impl eframe::App for EventscopeApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let mut actions: Vec<Action> = Vec::new();
        let mut commands: Vec<Command> = Vec::new();
        theme::apply(ui.ctx(), self.settings.theme);
        if let Some(session) = &mut self.session {
            session.poll();
            // Live follow: look for other connections' commits even when nothing else moves.
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(400));
            if session.playback().playing {
                let dt_secs = ui.input(|i| i.unstable_dt).min(0.25);
                commands.push(Command::AdvancePlayback(f64::from(dt_secs)));
                ui.ctx().request_repaint();
            }
        }
        if let Some(path) = self.poll_dialog() {
            actions.push(Action::Open(path));
        }
        self.global_keys(ui, &mut actions, &mut commands);
        self.top_bar_ui(ui, &mut actions);
        if let Some(session) = &self.session
            && session.store().missing_cipher_key()
        {
            let prompt = &mut self.key_prompt;
            let ctx = self.ctx.clone();
            let frame = egui::Frame::side_top_panel(ui.style())
                .fill(ui.visuals().warn_fg_color.linear_multiply(0.08))
                .inner_margin(egui::Margin::symmetric(8, 6));
            egui::Panel::top("cipher_key_banner")
                .frame(frame)
                .show(ui, |ui| {
                    prompt.ui(ui, session, &ctx, &mut actions);
                });
        }

        match &self.session {
            None => {
                egui::CentralPanel::default()
                    .show(ui, |ui| self.start.ui(ui, &self.settings, &mut actions));
            }
            Some(session) if session.store().open_failed().is_some() => {
                let saved = self.settings.uses_saved_mapping(session);
                egui::CentralPanel::default().show(ui, |ui| {
                    open_failed_ui(ui, session, saved, &mut actions);
                });
            }
            Some(session) => {
                let Self {
                    streams,
                    timeline,
                    replay,
                    overview,
                    lanes,
                    ..
                } = self;
                let panels = Panels {
                    streams,
                    timeline,
                    replay,
                    overview,
                    lanes,
                };
                session_ui(ui, session, panels, &mut commands);
            }
        }

        if let (Some(editor), Some(session)) = (&mut self.mapping_editor, &self.session) {
            editor.show(ui.ctx(), session, &mut actions);
        }
        if let Some(session) = &self.session
            && self.bookmarks.open
        {
            let list = self
                .settings
                .bookmarks
                .entry(session.store().path().to_owned())
                .or_default();
            self.bookmarks.show(ui.ctx(), session, list, &mut commands);
            if list.is_empty() {
                self.settings.bookmarks.remove(session.store().path());
            }
        }

        if let Some(session) = &self.session
            && self.findings.open
        {
            self.findings.show(ui.ctx(), session, &mut commands);
        }
        if let Some(session) = &self.session
            && self.search.open
        {
            self.search.show(ui.ctx(), session, &mut commands);
        }
        if let Some(session) = &self.session
            && self.export.open
        {
            self.export.show(ui.ctx(), session, &mut commands);
        }
        if self.settings_window.open {
            self.settings_window
                .show(ui.ctx(), &self.settings, &mut actions);
        }
        if self.help.open {
            self.help.show(ui.ctx());
        }
        self.connect.show(ui.ctx(), &self.settings, &mut actions);

        if let Some(session) = &mut self.session {
            for command in commands {
                session.apply(command);
            }
        }
        for action in actions {
            match action {
                Action::Open(path) => self.open(path),
                Action::Close => {
                    self.session = None;
                    self.mapping_editor = None;
                }
                Action::ShowOpenDialog => self.show_open_dialog(),
                Action::ShowConnect => self.connect.show_dialog(&self.settings),
                Action::Quit => ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close),
                Action::EditMapping => {
                    let stale = self
                        .mapping_editor
                        .as_ref()
                        .zip(self.session.as_ref())
                        .is_some_and(|(editor, session)| editor.path() != session.store().path());
                    if self.mapping_editor.is_none() || stale {
                        self.mapping_editor = self
                            .session
                            .as_ref()
                            .map(|s| mapping_editor::MappingEditor::new(s, &self.ctx));
                    }
                }
                Action::CloseMappingEditor => self.mapping_editor = None,
                Action::AddBookmark if self.session.is_some() => self.bookmarks.start_adding(),
                Action::ToggleBookmarks => self.bookmarks.open = !self.bookmarks.open,
                Action::ToggleOverview => self.overview.open = !self.overview.open,
                Action::AddBookmark => {}
                Action::ToggleExport => self.export.open = !self.export.open,
                Action::ToggleSettings => self.settings_window.toggle(self.settings.jq_budget),
                Action::ToggleHelp => self.help.toggle(),
                Action::SetTheme(theme) => {
                    self.settings.theme = theme;
                    theme::apply(ui.ctx(), theme);
                }
                Action::SetJqBudget(budget) => {
                    self.settings.jq_budget = budget;
                    if let Some(session) = &mut self.session {
                        session.apply(budget.command());
                    }
                }
                Action::ToggleSearch => self.search.open = !self.search.open,
                Action::ShowSearch if self.session.is_some() => self.search.start(),
                Action::ShowSearch => {}
                Action::ToggleFindings => {
                    let mut commands = Vec::new();
                    self.findings.toggle(self.session.as_ref(), &mut commands);
                    if let Some(session) = &mut self.session {
                        commands.into_iter().for_each(|c| session.apply(c));
                    }
                }
                Action::Reopen {
                    mappings,
                    cipher_key,
                    keep_selection,
                } => self.reopen(mappings, cipher_key, keep_selection),
                Action::SaveMapping(mapping) => {
                    if let Some(session) = &self.session {
                        self.settings
                            .mappings_by_file
                            .insert(session.store().path().to_owned(), vec![*mapping]);
                    }
                }
                Action::ForgetMapping => {
                    let Some(session) = &self.session else {
                        continue;
                    };
                    let in_use = self.settings.uses_saved_mapping(session);
                    let key = session.store().options().cipher_key.clone();
                    let path = session.store().path().to_owned();
                    self.settings.mappings_by_file.remove(&path);
                    if in_use {
                        self.reopen(None, key, false);
                    }
                }
            }
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}
