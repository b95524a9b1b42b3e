//! Correlation lanes: every event sharing the selected event's correlation id, across all streams, one
//! swimlane per stream on a shared time axis, with an arrow from each cause to what it caused. Clicking an
//! event opens its stream with the playhead on it. The search runs on the explorer thread; this only draws.

use std::collections::BTreeMap;

use eframe::egui::{self, Pos2, Rect, Sense, Stroke, Vec2};

use super::theme::type_color;
use crate::core::decode::format_time;
use crate::core::explore::correlate::{Correlation, EventRef};
use crate::session::{Command, Session};

const LANE_HEIGHT: f32 = 34.0;
const LABEL_WIDTH: f32 = 230.0;
const DOT_RADIUS: f32 = 6.0;

/// The lanes window's own state.
#[derive(Default)]
pub struct LanesPanel {
    /// Space the events evenly in time order instead of by their times (bursts stop overlapping).
    even: bool,
}

impl LanesPanel {
    /// Draw the lanes window while the session has a correlation to show.
    pub fn show(&mut self, ctx: &egui::Context, session: &Session, commands: &mut Vec<Command>) {
        show(ctx, session, &mut self.even, commands);
    }
}

fn show(ctx: &egui::Context, session: &Session, even: &mut bool, commands: &mut Vec<Command>) {
    let Some(view) = &session.explore().correlation else {
        return;
    };
    let mut open = true;
    egui::Window::new("Correlation lanes")
        .open(&mut open)
        .default_size(Vec2::new(900.0, 320.0))
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                ui.label("Correlation id");
                ui.monospace(&view.id);
                ui.checkbox(even, "Even spacing").on_hover_text(
                    "Place the events evenly in time order, so bursts do not overlap",
                );
                if let Some(progress) = &view.progress {
                    ui.spinner();
                    ui.weak(format!(
                        "{} {}/{}",
                        progress.what, progress.done, progress.total
                    ));
                }
            });
            match &view.result {
                None => {
                    ui.weak("Looking through every stream…");
                }
                Some(Err(message)) => {
                    ui.colored_label(ui.visuals().error_fg_color, message);
                }
                Some(Ok(correlation)) => lanes_ui(ui, session, correlation, *even, commands),
            }
        });
    if !open {
        commands.push(Command::CloseCorrelation);
    }
}

fn lanes_ui(
    ui: &mut egui::Ui,
    session: &Session,
    correlation: &Correlation,
    even: bool,
    commands: &mut Vec<Command>,
) {
    let links_across = correlation
        .links
        .iter()
        .filter(|l| l.from.stream != l.to.stream)
        .count();
    ui.weak(format!(
        "{} events in {} streams; {} causation links ({} across streams). Click an event to open it.",
        correlation.events.len(),
        correlation.lanes.len(),
        correlation.links.len(),
        links_across
    ));
    if correlation.events.is_empty() {
        return;
    }
    // The shared axis: time when every event has one, else the order the events were found in.
    let dated = !even && correlation.events.iter().all(|e| e.time.is_some());
    #[expect(clippy::cast_precision_loss, reason = "axis coordinates")]
    let value = |i: usize| -> f64 {
        match correlation.events.get(i).and_then(|e| e.time) {
            Some(t) if dated => t.timestamp_micros() as f64 / 1e6,
            _ => i as f64,
        }
    };
    let values: Vec<f64> = (0..correlation.events.len()).map(value).collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = (hi - lo).max(1e-3);
    let lane_of: BTreeMap<&str, usize> = correlation
        .lanes
        .iter()
        .enumerate()
        .map(|(i, lane)| (lane.stream.as_str(), i))
        .collect();
    let mut types: Vec<&str> = correlation
        .events
        .iter()
        .map(|e| e.event_type.as_str())
        .collect();
    types.sort_unstable();
    types.dedup();

    egui::ScrollArea::both()
        .id_salt("lanes_scroll")
        .auto_shrink([false, true])
        .show(ui, |ui| {
            #[expect(clippy::cast_precision_loss, reason = "a lane count")]
            let height = LANE_HEIGHT * correlation.lanes.len() as f32 + 24.0;
            let width = ui.available_width().max(LABEL_WIDTH + 300.0);
            let (rect, _) = ui.allocate_exact_size(Vec2::new(width, height), Sense::hover());
            let plot = Rect::from_min_max(
                Pos2::new(rect.left() + LABEL_WIDTH + DOT_RADIUS * 2.0, rect.top()),
                Pos2::new(rect.right() - DOT_RADIUS * 3.0, rect.bottom() - 24.0),
            );
            let painter = ui.painter_at(rect);
            let visuals = ui.visuals().clone();
            #[expect(clippy::cast_possible_truncation, reason = "screen coordinates")]
            let x_of = |v: f64| {
                (f64::from(plot.left()) + (v - lo) / span * f64::from(plot.width())) as f32
            };
            #[expect(clippy::cast_precision_loss, reason = "a lane index")]
            let y_of = |lane: usize| plot.top() + LANE_HEIGHT * (lane as f32 + 0.5);
            // Lanes and their names.
            for (i, lane) in correlation.lanes.iter().enumerate() {
                let y = y_of(i);
                if i % 2 == 0 {
                    painter.rect_filled(
                        Rect::from_min_max(
                            Pos2::new(rect.left(), y - LANE_HEIGHT / 2.0),
                            Pos2::new(rect.right(), y + LANE_HEIGHT / 2.0),
                        ),
                        0.0,
                        visuals.faint_bg_color,
                    );
                }
                let name = match &lane.stream_type {
                    Some(t) => format!("{t} · {}", lane.stream),
                    None => lane.stream.clone(),
                };
                let label_rect = Rect::from_min_size(
                    Pos2::new(rect.left() + 4.0, y - 9.0),
                    Vec2::new(LABEL_WIDTH - 8.0, 18.0),
                );
                let galley = painter.layout_no_wrap(
                    name.clone(),
                    egui::FontId::proportional(12.0),
                    visuals.text_color(),
                );
                painter.with_clip_rect(label_rect).galley(
                    label_rect.min,
                    galley,
                    visuals.text_color(),
                );
                ui.interact(label_rect, ui.scope_id().with(("lane", i)), Sense::hover())
                    .on_hover_text(name);
            }
            // Where each event sits, by (stream, position). Events of one lane closer than a dot apart are
            // nudged right so each stays visible and clickable (the events are in time order).
            let mut at: BTreeMap<(&str, i64), Pos2> = BTreeMap::new();
            let mut last_x: BTreeMap<usize, f32> = BTreeMap::new();
            for (i, event) in correlation.events.iter().enumerate() {
                let Some(&lane) = lane_of.get(event.stream.as_str()) else {
                    continue;
                };
                let mut x = x_of(values.get(i).copied().unwrap_or(lo));
                if let Some(&previous) = last_x.get(&lane) {
                    x = x.max(previous + DOT_RADIUS * 2.0 + 2.0);
                }
                last_x.insert(lane, x);
                at.insert(
                    (event.stream.as_str(), event.position),
                    Pos2::new(x, y_of(lane)),
                );
            }
            // Causation arrows, under the dots.
            let arrow = Stroke::new(1.5, visuals.weak_text_color());
            let place = |r: &EventRef| at.get(&(r.stream.as_str(), r.position)).copied();
            for link in &correlation.links {
                let (Some(from), Some(to)) = (place(&link.from), place(&link.to)) else {
                    continue;
                };
                let direction = (to - from).normalized();
                if !direction.x.is_finite() {
                    continue;
                }
                let start = from + direction * DOT_RADIUS;
                let tip = to - direction * (DOT_RADIUS + 1.0);
                painter.line_segment([start, tip], arrow);
                let normal = Vec2::new(-direction.y, direction.x);
                painter.add(egui::Shape::convex_polygon(
                    vec![
                        tip,
                        tip - direction * 7.0 + normal * 3.5,
                        tip - direction * 7.0 - normal * 3.5,
                    ],
                    arrow.color,
                    Stroke::NONE,
                ));
            }
            // The events: a dot coloured by type, ringed when it is the playhead; click to open.
            let current = session.stream().and_then(|s| {
                s.loaded
                    .events
                    .get(s.cursor)
                    .map(|e| (s.loaded.summary.id.clone(), e.position))
            });
            for (i, event) in correlation.events.iter().enumerate() {
                let Some(&center) = at.get(&(event.stream.as_str(), event.position)) else {
                    continue;
                };
                let color = type_color(
                    ui.visuals(),
                    types.binary_search(&event.event_type.as_str()).unwrap_or(0),
                );
                painter.circle_filled(center, DOT_RADIUS, color);
                let is_current = current
                    .as_ref()
                    .is_some_and(|(s, p)| s == &event.stream && *p == event.position);
                if is_current {
                    painter.circle_stroke(
                        center,
                        DOT_RADIUS + 3.0,
                        Stroke::new(2.0, visuals.strong_text_color()),
                    );
                }
                let label = format!(
                    "{} at position {} in {}",
                    event.event_type, event.position, event.stream
                );
                let response = ui.interact(
                    Rect::from_center_size(center, Vec2::splat(DOT_RADIUS * 2.5)),
                    ui.scope_id().with(("lane_event", i)),
                    Sense::click(),
                );
                response
                    .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                if response.clicked() {
                    commands.push(Command::GoToPosition {
                        stream: event.stream.clone(),
                        position: event.position,
                    });
                }
                let time = event.time.map(|t| format_time(&t)).unwrap_or_default();
                response.on_hover_text(format!("{label}\n{time}"));
            }
            // The axis ends.
            let font = egui::FontId::proportional(11.0);
            let ends = if correlation.events.iter().all(|e| e.time.is_some()) {
                let show = |i: usize| {
                    correlation
                        .events
                        .get(i)
                        .and_then(|e| e.time)
                        .map(|t| format_time(&t))
                        .unwrap_or_default()
                };
                (show(0), show(correlation.events.len() - 1))
            } else {
                ("first found".to_owned(), "last found".to_owned())
            };
            painter.text(
                Pos2::new(plot.left(), plot.bottom() + 4.0),
                egui::Align2::LEFT_TOP,
                ends.0,
                font.clone(),
                visuals.weak_text_color(),
            );
            painter.text(
                Pos2::new(plot.right(), plot.bottom() + 4.0),
                egui::Align2::RIGHT_TOP,
                ends.1,
                font,
                visuals.weak_text_color(),
            );
        });
}
