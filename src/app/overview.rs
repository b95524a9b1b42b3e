//! The store overview: the whole store's activity over time as stacked bars (events per time bucket, by
//! stream type or event type), aggregated in the background with progress. Dragging across the chart brushes
//! a period and lists the streams active in it, busiest first; clicking one opens it. Shown in the central
//! area until a stream is selected, and in its own window after that.

use chrono::{DateTime, Utc};
use eframe::egui::{self, Pos2, Rect, Sense, Stroke, Vec2};
use egui_extras::{Column, TableBuilder};

use super::theme::type_color;
use super::timeline::time_format;
use crate::core::decode::{format_time, parse_time_text};
use crate::core::explore::overview::{Overview, StackBy};
use crate::session::{Command, Session};

/// The panel's visual state: where a brush drag started.
#[derive(Default)]
pub struct OverviewPanel {
    /// Whether the overview window is open (once a stream is selected).
    pub open: bool,
    drag_from: Option<f32>,
    /// The period typed instead of brushed (keyboard users).
    from_text: String,
    to_text: String,
    period_error: Option<String>,
}

impl OverviewPanel {
    /// The overview in its own window.
    pub fn show(&mut self, ctx: &egui::Context, session: &Session, commands: &mut Vec<Command>) {
        let mut open = self.open;
        egui::Window::new("Store overview")
            .open(&mut open)
            .default_size(Vec2::new(760.0, 520.0))
            .show(ctx, |ui| self.ui(ui, session, commands));
        self.open = open;
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
        let view = &session.explore().overview;
        ui.horizontal(|ui| {
            ui.heading("Store overview");
            ui.label("Stack by:");
            for (by, label) in [
                (StackBy::StreamType, "stream type"),
                (StackBy::EventType, "event type"),
            ] {
                if ui.selectable_label(view.by == by, label).clicked() && view.by != by {
                    commands.push(Command::ShowOverview(by));
                }
            }
            if let Some(progress) = &view.progress {
                ui.add(egui::Spinner::new());
                #[expect(clippy::cast_precision_loss, reason = "a progress fraction")]
                let fraction = progress.done as f32 / progress.total.max(1) as f32;
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(160.0)
                        .text(progress.what),
                );
            }
        });
        let overview = match &view.result {
            None => {
                ui.weak("Counting the store's events over time…");
                return;
            }
            Some(Err(message)) => {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!("The overview failed: {message}"),
                );
                return;
            }
            Some(Ok(overview)) => overview,
        };
        ui.weak(summary(overview));
        if overview.counts.is_empty() {
            ui.weak("No event has a time, so there is nothing to chart.");
            return;
        }
        legend_ui(ui, overview);
        let height = (ui.available_height() * 0.5).clamp(120.0, 320.0);
        self.chart_ui(ui, overview, view.brush, height, commands);
        ui.add_space(4.0);
        self.period_ui(ui, commands);
        active_ui(ui, session, commands);
    }

    /// The brush typed as two instants, for keyboard users and exact periods.
    fn period_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            ui.label("Period:");
            for (text, label, hint) in [
                (&mut self.from_text, "Period start", "from, e.g. 2024-03-01"),
                (&mut self.to_text, "Period end", "to, e.g. 2024-03-08"),
            ] {
                let field = ui.add(
                    egui::TextEdit::singleline(text)
                        .hint_text(hint)
                        .desired_width(170.0),
                );
                field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, label));
            }
            if ui.button("List streams").clicked() {
                let from = parse_time_text(self.from_text.trim());
                let to = parse_time_text(self.to_text.trim());
                self.period_error = match (from, to) {
                    (Some(from), Some(to)) if from < to => {
                        commands.push(Command::Brush(Some((from, to))));
                        None
                    }
                    (Some(_), Some(_)) => Some("the period must end after it starts".to_owned()),
                    _ => Some("type two dates or date-times (UTC)".to_owned()),
                };
            }
            if let Some(error) = &self.period_error {
                ui.colored_label(ui.visuals().error_fg_color, error.as_str());
            }
        });
    }

    fn chart_ui(
        &mut self,
        ui: &mut egui::Ui,
        overview: &Overview,
        brush: Option<(DateTime<Utc>, DateTime<Utc>)>,
        height: f32,
        commands: &mut Vec<Command>,
    ) {
        let (rect, response) = ui.allocate_exact_size(
            Vec2::new(ui.available_width(), height),
            Sense::click_and_drag(),
        );
        response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, "Activity chart"));
        let buckets = overview.counts.len();
        let plot = Rect::from_min_max(
            rect.min + Vec2::new(0.0, 4.0),
            rect.max - Vec2::new(0.0, 18.0),
        );
        #[expect(clippy::cast_precision_loss, reason = "a bucket count")]
        let bar_width = plot.width() / buckets as f32;
        let bucket_at = |x: f32| -> usize {
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "a bucket index from a clamped fraction"
            )]
            let i = ((x - plot.left()) / bar_width).max(0.0) as usize;
            i.min(buckets.saturating_sub(1))
        };

        // Brushing: drag across buckets; a click (no drag) clears the brush.
        if response.drag_started() {
            self.drag_from = response.interact_pointer_pos().map(|p| p.x);
        }
        let dragging = self
            .drag_from
            .zip(response.interact_pointer_pos().map(|p| p.x));
        if response.drag_stopped()
            && let Some((from_x, to_x)) = dragging
        {
            let (a, b) = (bucket_at(from_x.min(to_x)), bucket_at(from_x.max(to_x)));
            if let (Some((from, _)), Some((_, to))) =
                (overview.bucket_range(a), overview.bucket_range(b))
            {
                commands.push(Command::Brush(Some((from, to))));
            }
            self.drag_from = None;
        } else if response.clicked() {
            commands.push(Command::Brush(None));
        }

        let painter = ui.painter_at(rect);
        let visuals = ui.visuals();
        painter.rect_filled(rect, 2.0, visuals.extreme_bg_color);
        let busiest = overview
            .counts
            .iter()
            .map(|row| row.iter().sum::<u64>())
            .max()
            .unwrap_or(0)
            .max(1);
        // The brushed period (or the one being dragged).
        let shade = |a: usize, b: usize| {
            #[expect(clippy::cast_precision_loss, reason = "bucket indices")]
            Rect::from_min_max(
                Pos2::new(plot.left() + a as f32 * bar_width, plot.top()),
                Pos2::new(plot.left() + (b + 1) as f32 * bar_width, plot.bottom()),
            )
        };
        let brushed = match dragging.filter(|_| response.dragged()) {
            Some((from_x, to_x)) => {
                Some((bucket_at(from_x.min(to_x)), bucket_at(from_x.max(to_x))))
            }
            None => brush.and_then(|(from, to)| {
                let first = (0..buckets)
                    .find(|&i| overview.bucket_range(i).is_some_and(|(_, end)| end > from))?;
                let last = (0..buckets).rev().find(|&i| {
                    overview
                        .bucket_range(i)
                        .is_some_and(|(start, _)| start < to)
                })?;
                Some((first, last))
            }),
        };
        if let Some((a, b)) = brushed {
            painter.rect_filled(
                shade(a, b),
                0.0,
                visuals.selection.bg_fill.linear_multiply(0.35),
            );
        }
        for (i, row) in overview.counts.iter().enumerate() {
            #[expect(clippy::cast_precision_loss, reason = "pixel geometry")]
            let left = plot.left() + i as f32 * bar_width;
            let mut bottom = plot.bottom();
            for (series, &count) in row.iter().enumerate() {
                if count == 0 {
                    continue;
                }
                #[expect(clippy::cast_precision_loss, reason = "a bar height")]
                let h = (count as f32 / busiest as f32 * plot.height()).max(1.0);
                let bar = Rect::from_min_max(
                    Pos2::new(left + 0.5, bottom - h),
                    Pos2::new((left + bar_width - 0.5).max(left + 1.0), bottom),
                );
                painter.rect_filled(bar, 0.0, type_color(visuals, series));
                bottom -= h;
            }
        }
        // Axis: the first and last bucket starts, and a few in between.
        let font = egui::FontId::proportional(11.0);
        let labels = 5.min(buckets);
        for k in 0..labels {
            let i = if labels <= 1 {
                0
            } else {
                k * (buckets - 1) / (labels - 1)
            };
            let Some((start, _)) = overview.bucket_range(i) else {
                continue;
            };
            #[expect(clippy::cast_precision_loss, reason = "pixel geometry")]
            let x = plot.left() + i as f32 * bar_width;
            let align = if k + 1 == labels && labels > 1 {
                egui::Align2::RIGHT_TOP
            } else {
                egui::Align2::LEFT_TOP
            };
            painter.text(
                Pos2::new(x.min(rect.right() - 2.0), plot.bottom() + 3.0),
                align,
                bucket_label(start, overview.bucket_secs),
                font.clone(),
                visuals.text_color(),
            );
        }
        painter.text(
            plot.left_top() + Vec2::new(4.0, 0.0),
            egui::Align2::LEFT_TOP,
            format!("{busiest} per {}", unit_name(overview.bucket_secs)),
            font,
            visuals.weak_text_color(),
        );
        painter.line_segment(
            [plot.left_bottom(), plot.right_bottom()],
            Stroke::new(1.0, visuals.weak_text_color()),
        );
        if let Some(pointer) = response.hover_pos().filter(|p| plot.contains(*p)) {
            let i = bucket_at(pointer.x);
            if let (Some((start, end)), Some(row)) =
                (overview.bucket_range(i), overview.counts.get(i))
            {
                let mut text = format!("{} - {}", format_time(&start), format_time(&end));
                for (name, &count) in overview.series.iter().zip(row) {
                    if count > 0 {
                        text.push_str(&format!("\n{}: {count}", series_name(name)));
                    }
                }
                response.on_hover_text_at_pointer(text);
            }
        }
    }
}

/// The store's totals in one line.
fn summary(overview: &Overview) -> String {
    let mut text = format!("{} events", overview.total);
    if let (Some(start), Some(end)) = (overview.start, overview.end) {
        text.push_str(&format!(
            " from {} to {}, per {}",
            format_time(&start),
            format_time(&end),
            unit_name(overview.bucket_secs)
        ));
    }
    if overview.undated > 0 {
        text.push_str(&format!(
            " ({} without a time, not charted)",
            overview.undated
        ));
    }
    text
}

fn series_name(name: &str) -> &str {
    if name.is_empty() { "(none)" } else { name }
}

fn legend_ui(ui: &mut egui::Ui, overview: &Overview) {
    ui.horizontal_wrapped(|ui| {
        for (index, name) in overview.series.iter().enumerate() {
            let total: u64 = overview
                .counts
                .iter()
                .map(|row| row.get(index).copied().unwrap_or(0))
                .sum();
            ui.horizontal(|ui| {
                let (rect, _) = ui.allocate_exact_size(Vec2::splat(10.0), Sense::hover());
                ui.painter()
                    .rect_filled(rect, 2.0, type_color(ui.visuals(), index));
                ui.label(format!("{} ({total})", series_name(name)));
            });
            ui.add_space(6.0);
        }
    });
}

/// The streams active in the brushed period.
fn active_ui(ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
    let view = &session.explore().overview;
    let Some((from, to)) = view.brush else {
        ui.weak("Drag across the chart to list the streams active in a period.");
        return;
    };
    ui.horizontal(|ui| {
        ui.strong(format!(
            "Streams active from {} to {}",
            format_time(&from),
            format_time(&to)
        ));
        if ui.small_button("Clear").clicked() {
            commands.push(Command::Brush(None));
        }
    });
    let streams = match &view.active {
        None => {
            ui.spinner();
            return;
        }
        Some(Err(message)) => {
            ui.colored_label(ui.visuals().error_fg_color, message);
            return;
        }
        Some(Ok(streams)) => streams,
    };
    ui.weak(format!("{} streams; click one to open it", streams.len()));
    let height = (ui.available_height() - 22.0).max(60.0);
    TableBuilder::new(ui)
        .id_salt("active_streams")
        .striped(true)
        .sense(Sense::click())
        .auto_shrink([false, false])
        .min_scrolled_height(height)
        .max_scroll_height(height)
        .column(Column::initial(300.0).at_least(120.0).clip(true))
        .column(Column::initial(110.0).clip(true))
        .column(Column::initial(70.0))
        .column(Column::remainder())
        .header(18.0, |mut header| {
            for title in ["Stream", "Type", "Events", "First - last in the period"] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(18.0, streams.len(), |mut row| {
                let Some(stream) = streams.get(row.index()) else {
                    return;
                };
                let selected = session.selected() == Some(stream.id.as_str());
                row.set_selected(selected);
                let span = match (stream.first_time, stream.last_time) {
                    (Some(a), Some(b)) => format!("{} - {}", format_time(&a), format_time(&b)),
                    _ => String::new(),
                };
                for text in [
                    stream.id.clone(),
                    stream.stream_type.clone().unwrap_or_default(),
                    stream.events.to_string(),
                    span,
                ] {
                    row.col(|ui| {
                        ui.add(egui::Label::new(text).selectable(false).truncate());
                    });
                }
                if row.response().clicked() {
                    commands.push(Command::SelectStream(stream.id.clone()));
                }
            });
        });
}

/// A bucket's start, as precise as the bucket width needs.
fn bucket_label(start: DateTime<Utc>, bucket_secs: i64) -> String {
    #[expect(clippy::cast_precision_loss, reason = "a bucket width in seconds")]
    let format = time_format(bucket_secs as f64);
    start.format(format).to_string()
}

/// "hour", "5 minutes", "day"...
fn unit_name(secs: i64) -> String {
    const UNITS: [(i64, &str); 6] = [
        (365 * 86_400, "year"),
        (7 * 86_400, "week"),
        (86_400, "day"),
        (3_600, "hour"),
        (60, "minute"),
        (1, "second"),
    ];
    for (size, name) in UNITS {
        if secs >= size && secs % size == 0 {
            let n = secs / size;
            return if n == 1 {
                name.to_owned()
            } else {
                format!("{n} {name}s")
            };
        }
    }
    format!("{secs} s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_widths_read_as_units() {
        assert_eq!(unit_name(3_600), "hour");
        assert_eq!(unit_name(300), "5 minutes");
        assert_eq!(unit_name(7 * 86_400), "week");
        assert_eq!(unit_name(30 * 86_400), "30 days");
        assert_eq!(unit_name(90), "90 seconds");
    }
}
