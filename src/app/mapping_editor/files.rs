//! The mapping editor's files: the native file dialog (run as a job, so the UI thread never waits on it),
//! exporting the draft as the JSON `--mapping` reads, importing a mapping file, and the schema file picked.

use super::*;
use crate::core::decode::codec::SchemaFile;

/// Which native file dialog is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FileDialog {
    Export,
    Import,
    /// The schema binary payloads are read with.
    Schema,
}

impl JobKind for FileDialog {}

impl MappingEditor {
    /// Take what a file dialog answered: the schema chosen, or the file to export to or import from.
    pub(super) fn take_dialog_answer(&mut self) {
        let Some(answer) = self.dialogs.try_recv() else {
            return;
        };
        match (answer.message, answer.kind) {
            (Err(Panicked(message)), _) => self.notice = Some(Notice::Error(message)),
            (Ok(Some(path)), FileDialog::Schema) => {
                self.schema_text = path.display().to_string();
                if let Some(draft) = &mut self.draft {
                    draft.codec.schema = Some(SchemaFile::new(path));
                }
            }
            (Ok(Some(path)), kind) => {
                self.file_text = path.display().to_string();
                if kind == FileDialog::Export {
                    self.export(&path);
                } else {
                    self.import(&path);
                }
            }
            (Ok(None), _) => {
                self.notice = Some(Notice::Error(
                    "No file was chosen. If no dialog appeared, this system has no file-dialog service \
                     (xdg-desktop-portal or zenity): type the path in the box above instead."
                        .to_owned(),
                ));
            }
        }
    }

    pub(super) fn show_dialog(&mut self, kind: FileDialog) {
        let start = match kind {
            FileDialog::Schema => PathBuf::from(self.schema_text.trim()),
            FileDialog::Export | FileDialog::Import => PathBuf::from(self.file_text.trim()),
        };
        let start = match (kind, start.parent()) {
            // No schema typed yet: start beside the store.
            (FileDialog::Schema, Some(p)) if p.as_os_str().is_empty() => self.path.clone(),
            _ => start,
        };
        let shown = self.dialogs.submit(kind, move |(), task| {
            let mut dialog = rfd::FileDialog::new();
            dialog = match kind {
                FileDialog::Schema => dialog.add_filter(
                    "Schemas",
                    &["proto", "desc", "pb", "binpb", "protoset", "avsc", "thrift"],
                ),
                FileDialog::Export | FileDialog::Import => dialog.add_filter("JSON", &["json"]),
            };
            dialog = dialog.add_filter("All files", &["*"]);
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
                FileDialog::Schema => dialog
                    .set_title("The schema the payloads are read with")
                    .pick_file(),
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
    pub(super) fn export(&mut self, target: &Path) {
        let Some(draft) = &self.draft else {
            return;
        };
        let written = serde_json::to_string_pretty(draft)
            .map_err(|e| format!("could not write {}: {e}", target.display()))
            .and_then(|json| {
                crate::core::audit::output::write_output_bytes(
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
    pub(super) fn import(&mut self, source: &Path) {
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
}
