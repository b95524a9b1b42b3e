//! The rows above the timeline canvas: step buttons and the current event, playback (play/pause, speed,
//! loop A-B), go to a version or time, follow newest, marks A and B, the axis choice and the type legend.
//! They read the session and push commands like every panel.

use std::collections::BTreeSet;

use eframe::egui::{self, Sense, Vec2};

use super::{AxisMode, Layout, type_color};
use crate::core::decode::{format_time, parse_time_text};
use crate::session::playback::{MAX_EVENTS_PER_SEC, MAX_TIME_SCALE};
use crate::session::{Command, Session, Speed};

/// The second row: go to a version or a date/time, and marks A and B for a two-point diff.
pub(super) fn tools_ui(
    ui: &mut egui::Ui,
    session: &Session,
    has_times: bool,
    goto_text: &mut String,
    goto_error: &mut Option<String>,
    commands: &mut Vec<Command>,
) {
    // Wraps in a narrow window rather than hiding the controls past its edge.
    ui.horizontal_wrapped(|ui| {
        playback_ui(ui, session, has_times, commands);
        ui.separator();
        ui.label("Go to:");
        let field = ui.add(
            egui::TextEdit::singleline(goto_text)
                .hint_text("version, or 2024-03-14 14:34:00")
                .desired_width(190.0),
        );
        field.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Go to version or time")
        });
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::G)) {
            field.request_focus();
        }
        let submitted = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button("Go").clicked() || submitted {
            let text = goto_text.trim();
            *goto_error = None;
            // Short numbers are versions; long ones (Unix times) and dates are instants.
            let version = text
                .trim_start_matches(['v', 'V'])
                .parse::<i64>()
                .ok()
                .filter(|_| text.len() < 10);
            if let Some(version) = version {
                commands.push(Command::GoToVersion(version));
            } else if let Some(instant) = parse_time_text(text) {
                commands.push(Command::GoToTime(instant));
            } else {
                *goto_error = Some(format!("{text:?} is neither a version nor a date/time"));
            }
        }
        if let Some(error) = goto_error {
            ui.colored_label(ui.visuals().error_fg_color, error.as_str());
        }
        ui.separator();
        let mut follow = session.live().following();
        if ui
            .checkbox(&mut follow, "Follow newest")
            .on_hover_text(format!(
                "Keep the playhead on the newest event while another program appends to the store; {}",
                session.live().described()
            ))
            .changed()
        {
            commands.push(Command::SetFollow(follow));
        }
        if session.live().appended() > 0 {
            ui.weak(format!("{} new since opened", session.live().appended()));
        }
        ui.separator();
        if ui
            .button("Mark A")
            .on_hover_text("Compare the state here with point B")
            .clicked()
        {
            commands.push(Command::MarkA);
        }
        if ui
            .button("Mark B")
            .on_hover_text("Compare the state at point A with the state here")
            .clicked()
        {
            commands.push(Command::MarkB);
        }
        if session.marks() != (None, None) {
            let show =
                |m: Option<usize>| m.map_or_else(|| "-".to_owned(), |i| format!("#{}", i + 1));
            ui.label(format!(
                "A {} · B {}",
                show(session.marks().0),
                show(session.marks().1)
            ));
            if ui.button("Clear marks").clicked() {
                commands.push(Command::ClearMarks);
            }
        }
    });
}

/// Play/pause, the speed (events per second, or the stream's own time scaled), and looping between A and B.
fn playback_ui(ui: &mut egui::Ui, session: &Session, has_times: bool, commands: &mut Vec<Command>) {
    let playback = session.playback();
    let (text, label) = if playback.playing {
        ("Pause", "Pause playback (Space)")
    } else {
        ("Play", "Play the stream from the playhead (Space)")
    };
    let button = ui.button(text).on_hover_text(label);
    button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, label));
    if button.clicked() {
        commands.push(Command::TogglePlay);
    }
    let real_time = matches!(playback.speed, Speed::RealTime(_));
    egui::ComboBox::from_id_salt("playback_mode")
        .selected_text(if real_time { "real time x" } else { "events/s" })
        .width(96.0)
        .show_ui(ui, |ui| {
            if ui.selectable_label(!real_time, "events/s").clicked() {
                commands.push(Command::SetSpeed(Speed::EventsPerSec(10.0)));
            }
            let choice = ui
                .add_enabled(
                    has_times,
                    egui::Button::selectable(real_time, "real time x"),
                )
                .on_disabled_hover_text("The stream has no event times");
            if choice.clicked() {
                commands.push(Command::SetSpeed(Speed::RealTime(60.0)));
            }
        })
        .response
        .on_hover_text("Play at a number of events per second, or in the stream's own time sped up")
        .widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Playback speed unit")
        });
    let (mut value, max) = match playback.speed {
        Speed::EventsPerSec(rate) => (rate, MAX_EVENTS_PER_SEC),
        Speed::RealTime(factor) => (factor, MAX_TIME_SCALE),
    };
    let drag = ui
        .add(
            egui::DragValue::new(&mut value)
                .range(if real_time { 1.0 } else { 0.1 }..=max)
                .speed(0.5)
                .max_decimals(1),
        )
        .on_hover_text("Playback speed (drag or type)");
    drag.widget_info(|| egui::WidgetInfo::labeled(egui::Role::SpinButton, true, "Playback speed"));
    if drag.changed() {
        commands.push(Command::SetSpeed(if real_time {
            Speed::RealTime(value)
        } else {
            Speed::EventsPerSec(value)
        }));
    }
    let both_marks = session.marks().0.is_some() && session.marks().1.is_some();
    let mut looping = playback.loop_marks;
    if ui
        .add_enabled(both_marks, egui::Checkbox::new(&mut looping, "Loop A-B"))
        .on_hover_text("Play between marks A and B, over and over")
        .on_disabled_hover_text("Set marks A and B to loop between them")
        .changed()
    {
        commands.push(Command::SetLoop(looping));
    }
}

/// The width the axis controls at the right of the controls row take ("Axis:", Time, Sequence, Fit).
const AXIS_CONTROLS_WIDTH: f32 = 220.0;

pub(super) fn controls_ui(
    ui: &mut egui::Ui,
    layout: &Layout,
    cursor: usize,
    mode: &mut AxisMode,
    range: &mut Option<(f64, f64)>,
    commands: &mut Vec<Command>,
) {
    let events = &layout.stream.events;
    ui.horizontal(|ui| {
        for (text, label, command) in [
            ("|<", "First event", Command::First),
            ("<", "Previous event", Command::Step(-1)),
            (">", "Next event", Command::Step(1)),
            (">|", "Last event", Command::Last),
        ] {
            let button = ui.button(text).on_hover_text(label);
            button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, label));
            if button.clicked() {
                commands.push(command);
            }
        }
        let index = events.index();
        if let (Some(event_type), Some(version), Some(position)) = (
            index.event_type(cursor),
            index.effective_version(cursor),
            index.position(cursor),
        ) {
            ui.label(format!("Event {} of {}", cursor + 1, events.len()));
            ui.separator();
            // The rest only as far as it leaves room for the axis controls on the right, which it ran under in
            // a narrow window or with a long type (the event panel shows all of it).
            let texts = [
                egui::RichText::new(event_type).strong(),
                format!("version {version}").into(),
                format!("position {position}").into(),
            ]
            .into_iter()
            .chain(index.time(cursor).map(|t| format_time(&t).into()));
            for text in texts {
                let text = egui::WidgetText::from(text);
                let width = text
                    .clone()
                    .into_galley(
                        ui,
                        Some(egui::TextWrapMode::Extend),
                        f32::INFINITY,
                        egui::TextStyle::Body,
                    )
                    .size()
                    .x;
                if ui.available_width() - width - ui.spacing().item_spacing.x < AXIS_CONTROLS_WIDTH
                {
                    break;
                }
                ui.label(text);
            }
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("Fit")
                .on_hover_text("Show the whole stream (or double-click the timeline)")
                .clicked()
            {
                *range = None;
            }
            ui.add_enabled_ui(layout.axes().has_times, |ui| {
                ui.selectable_value(mode, AxisMode::Sequence, "Sequence");
                ui.selectable_value(mode, AxisMode::Time, "Time")
                    .on_disabled_hover_text(
                        "Not every event has a time: the sequence axis is used",
                    );
            });
            ui.weak("Axis:");
        });
    });
}

/// The event-type legend; clicking a type hides or shows its marks.
pub(super) fn legend_ui(ui: &mut egui::Ui, layout: &Layout, hidden: &mut BTreeSet<String>) {
    ui.horizontal_wrapped(|ui| {
        for (index, (name, count)) in layout.axes().types.iter().enumerate() {
            let shown = !hidden.contains(name);
            // Swatch and name stay together when the legend wraps.
            ui.horizontal(|ui| {
                let (rect, _) = ui.allocate_exact_size(Vec2::splat(10.0), Sense::hover());
                let color = if shown {
                    type_color(ui.visuals(), index)
                } else {
                    ui.visuals().faint_bg_color
                };
                ui.painter().rect_filled(rect, 2.0, color);
                let text = format!(
                    "{} ({count})",
                    if name.is_empty() { "(no type)" } else { name }
                );
                let text = if shown {
                    egui::RichText::new(text)
                } else {
                    egui::RichText::new(text).weak().strikethrough()
                };
                let toggle = ui
                    .add(egui::Button::selectable(false, text).frame(false))
                    .on_hover_text(if shown {
                        "Click to hide this type"
                    } else {
                        "Click to show this type"
                    });
                if toggle.clicked() {
                    if shown {
                        hidden.insert(name.clone());
                    } else {
                        hidden.remove(name);
                    }
                }
            });
            ui.add_space(6.0);
        }
    });
}
