//! The mapping editor's form: a row per role pointed at a column or a JSON path (only the choices the table
//! allows), what a draft still lacks, and the live preview's table.

use super::*;
use crate::core::decode::codec::Format;

/// Why the draft cannot be read yet: a JSON path still being typed.
pub(super) fn incomplete(draft: &Mapping) -> Option<String> {
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
pub(super) fn fresh_mapping(table: &TableInfo) -> Mapping {
    let mut mapping = Mapping::for_table("custom", &table.name);
    if table.without_rowid
        && let Some(pk) = table.columns.iter().find(|c| c.pk == 1)
    {
        mapping.position = Source::Column(pk.name.clone());
    }
    mapping
}

/// Where a role's value may come from in the current draft.
pub(super) struct Choices {
    pub(super) columns: Vec<String>,
    pub(super) joined: Vec<String>,
    /// Columns whose JSON a path can point into: the data column, then the metadata column.
    pub(super) json: Vec<String>,
}

impl Choices {
    pub(super) fn of(draft: &Mapping, tables: &[TableInfo]) -> Self {
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
pub(super) fn describe(source: Option<&Source>) -> String {
    match source {
        None => "—".to_owned(),
        Some(Source::Json { column, .. }) => format!("JSON path in {column}"),
        Some(other) => other.describe(),
    }
}

/// Whether `option` is the kind of source `current` is (a JSON path matches whatever its path).
pub(super) fn same_choice(current: Option<&Source>, option: Option<&Source>) -> bool {
    match (current, option) {
        (Some(Source::Json { column: a, .. }), Some(Source::Json { column: b, .. })) => a == b,
        (a, b) => a == b,
    }
}

/// Which extra choices a role offers.
#[derive(Clone, Copy)]
pub(super) struct Allow {
    pub(super) none: bool,
    pub(super) rowid: bool,
    pub(super) json: bool,
}

/// One role's row of the form: its name, a combo of where its value comes from, and the JSON path when it
/// is one. Returns whether the source changed.
pub(super) fn source_row(
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
pub(super) fn column_row(
    ui: &mut egui::Ui,
    name: &str,
    column: &mut Option<String>,
    columns: &[String],
) {
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
pub(super) fn repoint_json(draft: &mut Mapping, old: &str, new: &str) {
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
pub(super) fn form_ui(ui: &mut egui::Ui, draft: &mut Mapping, tables: &[TableInfo]) {
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
            if draft.data.is_some() {
                // A payload column chosen replaces the data read from columns.
                draft.data_columns.clear();
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
            format_row(ui, draft);
            if let Some(reasons) = draft.guess_reasons() {
                ui.label("Found by content");
                weak_line(ui, &reasons);
                ui.end_row();
            }
            if !draft.data_columns.is_empty() {
                ui.label("Data columns");
                weak_line(ui, &draft.data_columns.join(", "));
                ui.end_row();
            }
            if !draft.codec.is_plain() {
                ui.label("Payload codec");
                weak_line(ui, &serde_json::to_string(&draft.codec).unwrap_or_default());
                ui.end_row();
            }
        });
}

/// The payload format (JSON, MessagePack, CBOR), chosen from a list, with what detection found.
fn format_row(ui: &mut egui::Ui, draft: &mut Mapping) {
    let label = ui.label("Payload format");
    ui.horizontal(|ui| {
        let combo = egui::ComboBox::from_id_salt("mapping_format")
            .selected_text(draft.codec.format.name())
            .show_ui(ui, |ui| {
                for format in Format::ALL {
                    ui.selectable_value(&mut draft.codec.format, format, format.name());
                }
            });
        combo.response.labelled_by(label.id);
        if !draft.format_guesses.is_empty() {
            let reasons: Vec<&str> = draft
                .format_guesses
                .iter()
                .map(|guess| guess.reason.as_str())
                .collect();
            weak_line(ui, &format!("detected: {}", reasons.join("; ")));
        }
    });
    ui.end_row();
}

/// A long weak text on one line, cut to the width the editor has (the pointer over it shows it whole):
/// detection's reasons and a codec with a schema path would otherwise widen the window past the screen.
fn weak_line(ui: &mut egui::Ui, text: &str) {
    ui.add(egui::Label::new(egui::RichText::new(text).weak()).truncate())
        .on_hover_text(text);
}

pub(super) fn spinner_ui(ui: &mut egui::Ui, text: &str) {
    ui.horizontal(|ui| {
        ui.add(egui::Spinner::new());
        ui.label(text);
    });
}

/// `text` cut to `max` characters, with an ellipsis when cut.
pub(super) fn truncated(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or(text)),
        None => text.to_owned(),
    }
}

/// A payload on one line: compact JSON, or why it did not decode.
pub(super) fn compact_payload(payload: &Payload) -> String {
    match payload {
        Payload::Json(value) => serde_json::to_string(value).unwrap_or_default(),
        Payload::Raw { bytes, reason } => format!("({} bytes, {reason})", bytes.len()),
    }
}

pub(super) fn preview_table_ui(ui: &mut egui::Ui, events: &[Event]) {
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
