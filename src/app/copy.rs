//! The one Copy button the window puts beside every JSON it shows (the state, an event's data and metadata,
//! a diff entry, a finding), so each copies the same way, is found by the same label (`Copy <what>`), and
//! makes its text only when clicked rather than every frame.

use eframe::egui;

/// A small "Copy" button; clicked, it puts `text()` on the clipboard. `what` names what it copies, in its
/// tooltip and accessible label ("Copy state").
pub fn copy_button(ui: &mut egui::Ui, what: &str, text: impl FnOnce() -> String) {
    let button = ui
        .small_button("Copy")
        .on_hover_text(format!("Copy the {what} as JSON"));
    button.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Copy {what}"))
    });
    if button.clicked() {
        ui.ctx().copy_text(text());
    }
}

/// `value` as pretty JSON, for a Copy button.
pub fn pretty_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}
