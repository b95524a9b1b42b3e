//! A JSON value as a collapsible tree, with the paths a change touched highlighted. Used by the state panel
//! (and, read-only, anywhere a payload is shown as a tree).

use eframe::egui;
use serde_json::Value;

use crate::core::replay::diff::{Change, pointer, touches};
use crate::core::replay::series::numeric;

/// Characters of a scalar the tree shows (the rest is copied from its context menu).
const SCALAR_CHARS: usize = 2_000;
/// Arrays longer than this are shown in groups of this many items.
const GROUP: usize = 100;

/// What the user asked of a field in the tree, by its JSON Pointer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TreePick {
    /// Every event that changed it: a click on its name, or "Field history" in its context menu.
    History(String),
    /// Its number after every event, on the chart: "Chart over the stream" in a number's context menu.
    Chart(String),
}

/// Draw `value` as a tree; `changes` are highlighted. Returns what the user asked of a field this frame.
pub fn json_tree_ui(
    ui: &mut egui::Ui,
    id_salt: &str,
    value: &Value,
    changes: &[Change],
) -> Option<TreePick> {
    let highlight = ui.visuals().warn_fg_color;
    let ctx = TreeCtx {
        id_salt,
        changes,
        highlight,
        picked: std::cell::RefCell::new(None),
    };
    match value {
        Value::Object(map) if map.is_empty() => {
            ui.weak("{} (empty)");
        }
        Value::Object(map) => {
            for (key, child) in map {
                node_ui(ui, &ctx, key, child, &mut vec![key.clone()], 0);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                node_ui(
                    ui,
                    &ctx,
                    &index.to_string(),
                    child,
                    &mut vec![index.to_string()],
                    0,
                );
            }
        }
        scalar => {
            ui.monospace(scalar_text(scalar));
        }
    }
    ctx.picked.into_inner()
}

struct TreeCtx<'a> {
    id_salt: &'a str,
    changes: &'a [Change],
    highlight: egui::Color32,
    /// What was asked of a field this frame.
    picked: std::cell::RefCell<Option<TreePick>>,
}

impl TreeCtx<'_> {
    fn history_menu(&self, response: &egui::Response, pointer_text: &str) {
        response.context_menu(|ui| self.history_button(ui, pointer_text));
    }

    fn history_button(&self, ui: &mut egui::Ui, pointer_text: &str) {
        if ui.button("Field history").clicked() {
            self.pick(TreePick::History(pointer_text.to_owned()));
        }
    }

    fn pick(&self, pick: TreePick) {
        *self.picked.borrow_mut() = Some(pick);
    }
}

fn node_ui(
    ui: &mut egui::Ui,
    ctx: &TreeCtx<'_>,
    key: &str,
    value: &Value,
    path: &mut Vec<String>,
    depth: usize,
) {
    let pointer_text = pointer(path.iter());
    let changed = touches(ctx.changes, &pointer_text);
    let key_text = |suffix: String| {
        let text = egui::RichText::new(format!("{key}{suffix}")).monospace();
        if changed {
            text.color(ctx.highlight).strong()
        } else {
            text
        }
    };
    match value {
        Value::Object(map) if !map.is_empty() => {
            let shown = egui::CollapsingHeader::new(key_text(format!("  {{{}}}", map.len())))
                .id_salt((ctx.id_salt, &pointer_text))
                .default_open(depth < 2 || changed)
                .show(ui, |ui| {
                    for (child_key, child) in map {
                        path.push(child_key.clone());
                        node_ui(ui, ctx, child_key, child, path, depth + 1);
                        path.pop();
                    }
                });
            ctx.history_menu(&shown.header_response, &pointer_text);
        }
        Value::Array(items) if !items.is_empty() => {
            let shown = egui::CollapsingHeader::new(key_text(format!("  [{}]", items.len())))
                .id_salt((ctx.id_salt, &pointer_text))
                .default_open(depth < 1 || changed)
                .show(ui, |ui| {
                    if items.len() <= GROUP {
                        array_items_ui(ui, ctx, items, 0, path, depth);
                    } else {
                        for (group, chunk) in items.chunks(GROUP).enumerate() {
                            let start = group * GROUP;
                            egui::CollapsingHeader::new(format!(
                                "[{start} … {}]",
                                start + chunk.len() - 1
                            ))
                            .id_salt((ctx.id_salt, &pointer_text, group))
                            .show(ui, |ui| array_items_ui(ui, ctx, chunk, start, path, depth));
                        }
                    }
                });
            ctx.history_menu(&shown.header_response, &pointer_text);
        }
        scalar => {
            ui.horizontal(|ui| {
                let key_label = ui
                    .add(egui::Label::new(key_text(":".to_owned())).sense(egui::Sense::click()))
                    .on_hover_text(format!(
                        "Click: every event that changed {pointer_text}{}",
                        if numeric(scalar).is_some() {
                            "\nRight-click: chart it over the stream"
                        } else {
                            ""
                        }
                    ));
                if key_label.clicked() {
                    ctx.pick(TreePick::History(pointer_text.clone()));
                }
                key_label.context_menu(|ui| {
                    ctx.history_button(ui, &pointer_text);
                    if numeric(scalar).is_some() && ui.button("Chart over the stream").clicked() {
                        ctx.pick(TreePick::Chart(pointer_text.clone()));
                    }
                });
                let full = scalar_text(scalar);
                let chars = full.chars().count();
                let text = egui::RichText::new(cut_scalar(full)).monospace();
                let text = if changed {
                    text.color(ctx.highlight).strong()
                } else {
                    text
                };
                let label = ui.add(egui::Label::new(text).selectable(true).wrap());
                if chars > SCALAR_CHARS {
                    label.context_menu(|ui| {
                        if ui
                            .button(format!("Copy the whole value ({chars} characters)"))
                            .clicked()
                        {
                            ui.ctx().copy_text(scalar_text(scalar));
                        }
                    });
                }
                if changed {
                    label.on_hover_text(format!("changed by the current event ({pointer_text})"));
                }
            });
        }
    }
}

fn array_items_ui(
    ui: &mut egui::Ui,
    ctx: &TreeCtx<'_>,
    items: &[Value],
    start: usize,
    path: &mut Vec<String>,
    depth: usize,
) {
    for (offset, child) in items.iter().enumerate() {
        let index = (start + offset).to_string();
        path.push(index.clone());
        node_ui(ui, ctx, &index, child, path, depth + 1);
        path.pop();
    }
}

/// `text` cut after [`SCALAR_CHARS`] characters, saying how long it is: a string of megabytes laid out and
/// drawn whole would cost far more than a frame.
fn cut_scalar(text: String) -> String {
    match text.char_indices().nth(SCALAR_CHARS) {
        Some((at, _)) => format!(
            "{}… ({} characters; right-click to copy them all)",
            &text[..at],
            text.chars().count()
        ),
        None => text,
    }
}

/// A scalar (or empty container) as JSON text.
pub fn scalar_text(value: &Value) -> String {
    match value {
        Value::Object(map) if map.is_empty() => "{}".to_owned(),
        Value::Array(items) if items.is_empty() => "[]".to_owned(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}
