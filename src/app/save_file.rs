//! One way to save anything the app exports (bookmarks, patches, findings, reports): a path field, a
//! "Browse…" button that asks the desktop's save dialog on its own thread (the field still works where no
//! portal or dialog exists), and a Save button that writes the bytes and says where they went or why not.
//! Writing goes through [`crate::core::audit::output`]: the open store (by name, symlink or hard link) is refused, and
//! a file is only ever replaced whole.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

use eframe::egui;

use crate::core::audit::output::{check_output, write_output_bytes};

/// The state of one save row.
#[derive(Default)]
pub struct SaveField {
    pub path: String,
    /// What the last save did: the path written, or the error.
    pub notice: Option<Result<String, String>>,
    dialog: Option<Receiver<Option<PathBuf>>>,
    /// The save button's text, "Save" by default.
    button: Option<String>,
}

impl SaveField {
    /// A row whose save button says `text` ("Write report") instead of "Save".
    pub fn with_button(text: &str) -> Self {
        Self {
            button: Some(text.to_owned()),
            ..Self::default()
        }
    }

    /// Draw the row. `label` names the file for screen readers ("Bookmarks file path"); `default_name` is the
    /// dialog's suggestion; `store` is the open store, never written; `contents` is called only when the user
    /// saves. Returns the path written, if any.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        label: &str,
        default_name: &str,
        store: &Path,
        contents: impl FnOnce() -> Result<Vec<u8>, String>,
    ) -> Option<PathBuf> {
        let mut written = None;
        if let Some(path) = self.row_ui(ui, label, default_name) {
            let result = save(&path, store, contents);
            if result.is_ok() {
                written = Some(path);
            }
            self.notice = Some(result);
        }
        self.notice_ui(ui);
        written
    }

    /// Draw the row for a file written elsewhere (a background job): returns the path to write when the
    /// user saves, unless writing it could touch the open `store` (then the row says why). The caller reports
    /// the outcome.
    pub fn ui_deferred(
        &mut self,
        ui: &mut egui::Ui,
        label: &str,
        default_name: &str,
        store: &Path,
    ) -> Option<PathBuf> {
        let mut target = None;
        if let Some(path) = self.row_ui(ui, label, default_name) {
            match check_output(&path, store) {
                Ok(()) => {
                    self.notice = None;
                    target = Some(path);
                }
                Err(err) => self.notice = Some(Err(err.to_string())),
            }
        }
        self.notice_ui(ui);
        target
    }

    /// The path field, Browse… and the save button; the path when the user saves.
    fn row_ui(&mut self, ui: &mut egui::Ui, label: &str, default_name: &str) -> Option<PathBuf> {
        if let Some(rx) = &self.dialog
            && let Ok(picked) = rx.try_recv()
        {
            self.dialog = None;
            if let Some(path) = picked {
                self.path = path.display().to_string();
            }
        }
        let mut clicked = None;
        ui.horizontal(|ui| {
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.path)
                    .hint_text(default_name)
                    .desired_width(220.0),
            );
            field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, label));
            if ui
                .add_enabled(self.dialog.is_none(), egui::Button::new("Browse…"))
                .on_hover_text("Choose where to save")
                .clicked()
            {
                self.browse(ui.ctx(), default_name);
            }
            let submitted = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let text = self.button.as_deref().unwrap_or("Save");
            if (ui.button(text).clicked() || submitted) && !self.path.trim().is_empty() {
                clicked = Some(PathBuf::from(self.path.trim()));
            }
        });
        clicked
    }

    fn notice_ui(&self, ui: &mut egui::Ui) {
        match &self.notice {
            Some(Ok(text)) => {
                ui.weak(text.as_str());
            }
            Some(Err(text)) => {
                ui.colored_label(ui.visuals().error_fg_color, text.as_str());
            }
            None => {}
        }
    }

    fn browse(&mut self, ctx: &egui::Context, default_name: &str) {
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        let name = default_name.to_owned();
        let spawned = std::thread::Builder::new()
            .name("eventscope-save-dialog".to_owned())
            .spawn(move || {
                let picked = rfd::FileDialog::new().set_file_name(name).save_file();
                let _ = tx.send(picked);
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => self.dialog = Some(rx),
            Err(err) => self.notice = Some(Err(format!("could not show a file dialog: {err}"))),
        }
    }
}

/// Write `contents()` to `path`, unless writing it could touch the open `store`.
fn save(
    path: &Path,
    store: &Path,
    contents: impl FnOnce() -> Result<Vec<u8>, String>,
) -> Result<String, String> {
    check_output(path, store).map_err(|err| err.to_string())?;
    let bytes = contents()?;
    write_output_bytes(path, store, &bytes).map_err(|err| err.to_string())?;
    Ok(format!("wrote {} ({} bytes)", path.display(), bytes.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_over_the_open_store_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("store.sqlite");
        std::fs::write(&store, b"SQLite format 3\0").unwrap();
        let err = save(&store, &store, || Ok(b"{}".to_vec())).unwrap_err();
        assert!(err.contains("never writes"), "{err}");
        assert_eq!(std::fs::read(&store).unwrap(), b"SQLite format 3\0");
        let out = dir.path().join("out.json");
        let ok = save(&out, &store, || Ok(b"{}".to_vec())).unwrap();
        assert!(ok.contains("2 bytes"), "{ok}");
        let err = save(&dir.path().join("no/such/dir.json"), &store, || {
            Ok(Vec::new())
        })
        .unwrap_err();
        assert!(err.contains("cannot write"), "{err}");
    }
}
