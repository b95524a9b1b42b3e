//! Opening stores in the window: a file or a server's URL (shown and remembered without its password), again
//! with another mapping or key, and the file dialog.

use super::*;

impl EventscopeApp {
    pub(super) fn open(&mut self, path: PathBuf) {
        self.open_with_schema(path, None);
    }

    /// [`Self::open`], the payloads read with `schema` when given (`eventscope FILE --schema PATH`).
    pub(super) fn open_with_schema(&mut self, path: PathBuf, schema: Option<PathBuf>) {
        // Recent files must survive a change of working directory.
        let path = std::fs::canonicalize(&path).unwrap_or(path);
        let options = OpenOptions {
            schema,
            ..self.settings.open_options(&path)
        };
        // A server's URL: shown (and remembered) without its password, which only the options keep.
        let (path, options) = match options.for_store(&path) {
            Ok(opened) => opened,
            Err(err) => {
                self.start.notice = Some(err.to_string());
                return;
            }
        };
        match Session::open(path.clone(), options, self.notify()) {
            Ok(mut session) => {
                session.apply(self.settings.jq_budget.command());
                self.session = Some(session);
                self.mapping_editor = None;
                self.key_prompt = mapping_editor::CipherKeyPrompt::default();
                self.timeline = timeline::Timeline::default();
                self.settings.recent.retain(|p| p != &path);
                self.settings.recent.insert(0, path);
                self.settings.recent.truncate(MAX_RECENT);
            }
            Err(err) => self.start.notice = Some(format!("could not start a reader thread: {err}")),
        }
    }

    /// Reopen the open file with other options (a mapping, a key); `keep_selection` stays on the selected
    /// stream and version.
    pub(super) fn reopen(
        &mut self,
        mappings: Option<Vec<Mapping>>,
        cipher_key: Option<Vec<u8>>,
        keep_selection: bool,
    ) {
        let notify = self.notify();
        let Some(old) = &mut self.session else {
            return;
        };
        let options = OpenOptions {
            mappings,
            cipher_key,
            max_payload_bytes: old.store().options().max_payload_bytes,
            server: old.store().options().server.clone(),
            schema: old.store().options().schema.clone(),
        };
        match Session::open(old.store().path().to_owned(), options, notify) {
            Ok(mut session) => {
                session.apply(self.settings.jq_budget.command());
                if keep_selection && let Some(id) = old.selected().map(str::to_owned) {
                    let version = old
                        .stream()
                        .and_then(|s| s.loaded.events.index().effective_version(s.cursor));
                    session.apply(Command::SelectStream(id));
                    if let Some(version) = version {
                        session.apply(Command::GoToVersion(version));
                    }
                }
                *old = session;
                self.timeline = timeline::Timeline::default();
            }
            Err(err) => old.apply(Command::ShowError(format!(
                "could not start a reader thread: {err}"
            ))),
        }
    }

    pub(super) fn show_open_dialog(&mut self) {
        let (tx, rx) = channel();
        let ctx = self.ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("eventscope-file-dialog".to_owned())
            .spawn(move || {
                let picked = rfd::FileDialog::new()
                    .set_title("Open an event store")
                    .add_filter("SQLite databases", &["sqlite", "sqlite3", "db", "db3"])
                    .add_filter("All files", &["*"])
                    .pick_file();
                let _ = tx.send(picked);
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => self.dialog = Some(rx),
            Err(err) => self.start.notice = Some(format!("could not show a file dialog: {err}")),
        }
    }

    /// The file the dialog picked, once it answers.
    pub(super) fn poll_dialog(&mut self) -> Option<PathBuf> {
        let rx = self.dialog.as_ref()?;
        let answer = rx.try_recv().ok()?;
        self.dialog = None;
        match answer {
            Some(path) => Some(path),
            None => {
                self.start.notice = Some(
                    "No file was chosen. If no dialog appeared, this system has no file-dialog service \
                     (xdg-desktop-portal or zenity): type the file's path in the box above instead."
                        .to_owned(),
                );
                None
            }
        }
    }
}
