//! The window's layout around an open session: the streams panel, the replay and inspection panels, the
//! timeline and table, the windows over them, or the screen that says why a file could not be opened.

use super::*;

pub(super) fn open_failed_ui(
    ui: &mut egui::Ui,
    session: &Session,
    saved_mapping: bool,
    actions: &mut Vec<Action>,
) {
    ui.vertical_centered(|ui| {
        ui.add_space(40.0);
        ui.heading("This file cannot be browsed");
        ui.add_space(8.0);
        if let Some(message) = session.store().open_failed() {
            ui.colored_label(ui.visuals().error_fg_color, message);
        }
        ui.add_space(8.0);
        ui.label("The file was opened read-only and has not been changed.");
        ui.add_space(16.0);
        if ui
            .button("Map this file…")
            .on_hover_text("Say which table and columns hold the events, with a live preview")
            .clicked()
        {
            actions.push(Action::EditMapping);
        }
        if saved_mapping {
            ui.add_space(6.0);
            if ui
                .button("Forget saved mapping")
                .on_hover_text(
                    "It was opened with the mapping you saved for it; detect its layout instead",
                )
                .clicked()
            {
                actions.push(Action::ForgetMapping);
            }
        }
        ui.add_space(6.0);
        if ui.button("Back to the start screen").clicked() {
            actions.push(Action::Close);
        }
    });
}

/// The panels of an open store.
pub(super) struct Panels<'a> {
    pub(super) streams: &'a mut streams::StreamsPanel,
    pub(super) timeline: &'a mut timeline::Timeline,
    pub(super) replay: &'a mut replay_panel::ReplayPanel,
    pub(super) overview: &'a mut overview::OverviewPanel,
    pub(super) lanes: &'a mut lanes::LanesPanel,
}

pub(super) fn session_ui(
    ui: &mut egui::Ui,
    session: &Session,
    panels: Panels<'_>,
    commands: &mut Vec<Command>,
) {
    let Panels {
        streams,
        timeline,
        replay,
        overview,
        lanes,
    } = panels;
    if let Some(error) = session.error() {
        egui::Panel::top("error_banner").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.colored_label(ui.visuals().error_fg_color, format!("Error: {error}"));
                if ui.button("Dismiss").clicked() {
                    commands.push(Command::DismissError);
                }
            });
        });
    }
    egui::Panel::left("streams")
        .resizable(true)
        .default_size(430.0)
        .min_size(220.0)
        .show(ui, |ui| {
            streams.ui(ui, session, commands);
        });
    // Until a stream is chosen, the overview has the whole area.
    if session.selected().is_some() {
        egui::Panel::bottom("timeline")
            .resizable(true)
            .default_size(320.0)
            .min_size(220.0)
            .show(ui, |ui| {
                timeline.ui(ui, session, commands);
            });
        egui::Panel::right("event")
            .resizable(true)
            .default_size(380.0)
            .min_size(220.0)
            .show(ui, |ui| {
                inspect::event_ui(ui, session, &mut replay.texts, commands);
            });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        // Until a stream is chosen, the store's activity over time helps choose one.
        if session.selected().is_none() {
            overview.ui(ui, session, commands);
        } else {
            inspect::central_ui(ui, session, replay, commands);
        }
    });
    if overview.open && session.selected().is_some() {
        overview.show(ui.ctx(), session, commands);
    }
    lanes.show(ui.ctx(), session, commands);
}
