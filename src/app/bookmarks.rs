//! Bookmarks: a stream and version worth coming back to, with a note. They belong to the user, not the store:
//! they are kept per file in the app's own settings (the store is never written), listed in a window, and
//! exported as JSON to hand to someone else.

use std::path::Path;

use eframe::egui;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::save_file::SaveField;
use crate::session::{Command, Session};

/// One bookmark.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bookmark {
    pub stream: String,
    pub version: i64,
    pub note: String,
    /// When it was made (RFC 3339, UTC).
    pub created: String,
}

/// The export format: the file they belong to and the bookmarks in the order listed.
pub fn export_json(file: &Path, bookmarks: &[Bookmark]) -> Value {
    json!({
        "file": file.display().to_string(),
        "bookmarks": bookmarks,
    })
}

/// The bookmarks window.
#[derive(Default)]
pub struct BookmarksPanel {
    pub open: bool,
    /// The note for the next bookmark.
    note: String,
    /// Focus the note field on the next frame (Ctrl+B).
    focus_note: bool,
    export: SaveField,
}

impl BookmarksPanel {
    /// Open the window with the note field focused, ready to bookmark the playhead.
    pub fn start_adding(&mut self) {
        self.open = true;
        self.focus_note = true;
    }

    /// `bookmarks` are the open file's; the window adds to them, removes from them and jumps to them.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        session: &Session,
        bookmarks: &mut Vec<Bookmark>,
        commands: &mut Vec<Command>,
    ) {
        let mut open = self.open;
        egui::Window::new("Bookmarks")
            .open(&mut open)
            .default_width(520.0)
            .show(ctx, |ui| self.ui(ui, session, bookmarks, commands));
        self.open = open;
    }

    fn ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        bookmarks: &mut Vec<Bookmark>,
        commands: &mut Vec<Command>,
    ) {
        let here = session.stream().and_then(|s| {
            s.loaded
                .events
                .index()
                .effective_version(s.cursor)
                .map(|version| (s.loaded.summary.id.clone(), version))
        });
        ui.horizontal(|ui| {
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.note)
                    .hint_text("a note for this point")
                    .desired_width(260.0),
            );
            field.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Bookmark note")
            });
            if std::mem::take(&mut self.focus_note) {
                field.request_focus();
            }
            let submitted = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let label = match &here {
                Some((_, version)) => format!("Bookmark version {version}"),
                None => "Bookmark".to_owned(),
            };
            if (ui
                .add_enabled(here.is_some(), egui::Button::new(label))
                .clicked()
                || submitted)
                && let Some((stream, version)) = here.clone()
            {
                bookmarks.push(Bookmark {
                    stream,
                    version,
                    note: std::mem::take(&mut self.note).trim().to_owned(),
                    created: crate::core::decode::format_time(&chrono::Utc::now()),
                });
            }
        });
        ui.separator();
        if bookmarks.is_empty() {
            ui.weak("No bookmarks for this file yet (Ctrl+B bookmarks the playhead).");
        }
        let mut remove = None;
        egui::ScrollArea::vertical()
            .max_height(300.0)
            .show(ui, |ui| {
                egui::Grid::new("bookmarks_grid")
                    .striped(true)
                    .num_columns(4)
                    .show(ui, |ui| {
                        for (i, bookmark) in bookmarks.iter().enumerate() {
                            let go = ui
                                .button(format!("v{}", bookmark.version))
                                .on_hover_text("Go to this stream and version");
                            let name = format!("Go to bookmark {}", i + 1);
                            go.widget_info(|| {
                                egui::WidgetInfo::labeled(egui::Role::Button, true, &name)
                            });
                            if go.clicked() {
                                commands.push(Command::SelectStream(bookmark.stream.clone()));
                                commands.push(Command::GoToVersion(bookmark.version));
                            }
                            ui.add(egui::Label::new(&bookmark.stream).truncate())
                                .on_hover_text(&bookmark.stream);
                            ui.label(if bookmark.note.is_empty() {
                                "(no note)"
                            } else {
                                bookmark.note.as_str()
                            });
                            let delete = ui.small_button("Delete");
                            let name = format!("Delete bookmark {}", i + 1);
                            delete.widget_info(|| {
                                egui::WidgetInfo::labeled(egui::Role::Button, true, &name)
                            });
                            if delete.clicked() {
                                remove = Some(i);
                            }
                            ui.end_row();
                        }
                    });
            });
        if let Some(i) = remove
            && i < bookmarks.len()
        {
            bookmarks.remove(i);
        }
        ui.separator();
        ui.label("Export as JSON:");
        let file = session.store().path().to_owned();
        self.export.ui(
            ui,
            "Bookmarks file path",
            "bookmarks.json",
            session.store().path(),
            || serde_json::to_vec_pretty(&export_json(&file, bookmarks)).map_err(|e| e.to_string()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_names_the_file_and_keeps_the_order() {
        let bookmarks = vec![
            Bookmark {
                stream: "order-2".to_owned(),
                version: 7,
                note: "refund".to_owned(),
                created: "2026-01-01T00:00:00Z".to_owned(),
            },
            Bookmark {
                stream: "order-1".to_owned(),
                version: 1,
                note: String::new(),
                created: "2026-01-02T00:00:00Z".to_owned(),
            },
        ];
        let value = export_json(Path::new("/data/shop.sqlite"), &bookmarks);
        assert_eq!(value["file"], "/data/shop.sqlite");
        let back: Vec<Bookmark> = serde_json::from_value(value["bookmarks"].clone()).unwrap();
        assert_eq!(back, bookmarks);
    }
}
