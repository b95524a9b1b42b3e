//! The mapping editor's schema rows: the schema file binary payloads are read with (typed, or chosen in the
//! native file dialog), and which of its types each event type holds. The schema is read by the preview, off
//! the UI thread, so what it offers (its format, its type names) is what the store will open with.

use super::*;
use crate::core::decode::codec::SchemaFile;
use reads::SchemaRead;

/// The event type row standing for every type the codec's `types` does not name.
const EVERY_OTHER_TYPE: &str = "*";

/// The schema file row and, once the preview read the schema, the types row. `text` is the path as
/// typed; `read` what the newest preview found in it; `event_types` the types the preview's events have.
/// Returns whether the user asked for the file dialog.
pub(super) fn schema_ui(
    ui: &mut egui::Ui,
    draft: &mut Mapping,
    text: &mut String,
    read: Option<&SchemaRead>,
    event_types: &[String],
) -> bool {
    let mut choose = false;
    egui::Grid::new("mapping_schema")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            ui.label("Schema file");
            ui.horizontal(|ui| {
                let field = ui.add(
                    egui::TextEdit::singleline(text)
                        .desired_width(360.0)
                        .hint_text(".proto, descriptor set, .avsc, .thrift"),
                );
                field.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Schema file path")
                });
                if field.changed() {
                    let typed = text.trim();
                    draft.codec.schema =
                        (!typed.is_empty()).then(|| SchemaFile::new(PathBuf::from(typed)));
                }
                choose = ui
                    .button("Choose…")
                    .on_hover_text("Pick the schema in a file dialog")
                    .clicked();
                if draft.codec.schema.is_some() && ui.button("Clear").clicked() {
                    text.clear();
                    draft.codec.schema = None;
                    draft.codec.types.clear();
                }
            });
            ui.end_row();
            let read = read.filter(|r| {
                draft
                    .codec
                    .schema
                    .as_ref()
                    .is_some_and(|s| s.path() == r.path)
            });
            if let Some(read) = read {
                ui.label("");
                ui.weak(format!(
                    "a {} schema with {} type{}",
                    read.kind,
                    read.type_names.len(),
                    if read.type_names.len() == 1 { "" } else { "s" }
                ));
                ui.end_row();
                types_rows(ui, draft, read, event_types);
            }
        });
    choose
}

/// One row per event type (those the preview read, those the codec names, and "every other"), each with
/// the schema's type its payloads hold: by name unless chosen.
fn types_rows(ui: &mut egui::Ui, draft: &mut Mapping, read: &SchemaRead, event_types: &[String]) {
    let mut rows: Vec<String> = event_types.to_vec();
    for named in draft.codec.types.keys() {
        if !rows.contains(named) {
            rows.push(named.clone());
        }
    }
    rows.retain(|t| t != EVERY_OTHER_TYPE);
    rows.sort();
    rows.dedup();
    rows.push(EVERY_OTHER_TYPE.to_owned());
    for event_type in rows {
        let shown = if event_type == EVERY_OTHER_TYPE {
            "every other type".to_owned()
        } else {
            event_type.clone()
        };
        let label = ui.label(format!("Type of {shown}"));
        let chosen = draft.codec.types.get(&event_type).cloned();
        let by_name = if event_type == EVERY_OTHER_TYPE {
            "by the event type's name"
        } else {
            "by name"
        };
        let mut pick = chosen.clone();
        let combo = egui::ComboBox::from_id_salt(("mapping_schema_type", &event_type))
            .width(320.0)
            .selected_text(chosen.as_deref().unwrap_or(by_name))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut pick, None, by_name);
                for name in &read.type_names {
                    ui.selectable_value(&mut pick, Some(name.clone()), name.as_str());
                }
            });
        combo.response.labelled_by(label.id);
        if pick != chosen {
            match pick {
                Some(name) => {
                    draft.codec.types.insert(event_type, name);
                }
                None => {
                    draft.codec.types.remove(&event_type);
                }
            }
        }
        ui.end_row();
    }
}

/// The schema's path as the draft names it, for the text field.
pub(super) fn schema_text(draft: Option<&Mapping>) -> String {
    draft
        .and_then(|d| d.codec.schema.as_ref())
        .map(|s| s.path().display().to_string())
        .unwrap_or_default()
}
