//! The chart under the timeline: the numbers of state fields after every event, on the timeline's own axis
//! and range (zooming or panning either moves both), with the playhead. Hover names the event under the
//! pointer and the fields' values after it; a click moves the playhead there.
//!
//! Only what the pixels can show is drawn: each series is cut to a few points per pixel column of the
//! visible range ([`Series::columns`]), and that cut is kept until the range, the width or the series
//! change, so a frame over a million-event stream costs what a frame over a hundred does.

use std::sync::Arc;

use eframe::egui::{self, Align2, Rect, Stroke};
use egui_plot::{GridMark, Line, Plot, PlotPoint, PlotPoints, Points, Text, VLine};

use super::draw::{tick_label, tick_step};
use super::{AxisMode, Layout};
use crate::core::decode::format_time;
use crate::core::replay::series::Series;
use crate::session::{Command, Session};

/// The largest magnitude drawn: beyond it a value is drawn at it, so the span between the lowest and the
/// highest stays finite (±1e308 would make it infinite, and the plot's transform NaN).
const DRAWN_LIMIT: f64 = f64::MAX / 4.0;

/// The chart's height when the panel has room for it.
const HEIGHT: f32 = 170.0;

/// The chart's visual state: the lines last cut for drawing.
#[derive(Default)]
pub(super) struct ChartPanel {
    drawn: Option<Drawn>,
    /// Where the plot was last drawn (tests aim the pointer at it).
    rect: Option<Rect>,
}

/// The series cut for one range and width.
struct Drawn {
    key: DrawKey,
    /// Per series, its runs (a gap splits a line), in axis coordinates.
    lines: Vec<Vec<Vec<[f64; 2]>>>,
    /// The lowest and highest value drawn.
    y: Option<(f64, f64)>,
}

#[derive(Clone, Copy, PartialEq)]
struct DrawKey {
    series: *const Series,
    mode: AxisMode,
    lo: u64,
    hi: u64,
    columns: usize,
}

/// What the chart panel shows in this frame.
pub(super) struct ChartFrame<'a> {
    pub layout: &'a Layout,
    /// The timeline's visible range.
    pub range: (f64, f64),
    pub cursor: usize,
    /// Event types hidden in the legend: hover and clicks skip them as on the timeline.
    pub hidden: &'a [bool],
}

impl ChartPanel {
    /// Draw the chart when the session shows one; returns the range the user zoomed or panned to.
    pub(super) fn ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        frame: &ChartFrame<'_>,
        commands: &mut Vec<Command>,
    ) -> Option<(f64, f64)> {
        let Some(chart) = session.chart() else {
            self.drawn = None;
            self.rect = None;
            return None;
        };
        let serial = frame.layout.stream.serial;
        let answer = chart.series().filter(|(of, _)| *of == serial);
        let visuals = ui.visuals().clone();
        ui.horizontal_wrapped(|ui| {
            ui.strong("Chart");
            for (k, path) in chart.paths().iter().enumerate() {
                let (swatch, _) =
                    ui.allocate_exact_size(egui::vec2(14.0, 4.0), egui::Sense::hover());
                ui.painter()
                    .rect_filled(swatch, 1.0, super::type_color(&visuals, k));
                if ui
                    .small_button(egui::RichText::new(format!("{path} ×")).monospace())
                    .on_hover_text(format!("Take {path} off the chart"))
                    .clicked()
                {
                    commands.push(Command::UnchartField(path.clone()));
                }
            }
            ui.separator();
            if ui.button("Close chart").clicked() {
                commands.push(Command::CloseChart);
            }
            match answer {
                None => {
                    ui.spinner();
                    ui.weak("reading the stream…");
                }
                Some((_, Err(problem))) => {
                    ui.colored_label(visuals.error_fg_color, problem.to_string());
                }
                Some((_, Ok(series))) => {
                    if let Some(thinned) = series.iter().find(|s| !s.exact()) {
                        ui.weak(format!(
                            "each point stands for up to {} events (their first, lowest, highest and last values)",
                            thinned.bucket_events()
                        ))
                        .on_hover_text(
                            "The series were thinned to stay within memory; zoom in on the timeline for the exact \
                             values, which the state panel shows.",
                        );
                    }
                    for one in series.iter().filter(|s| s.bounds().is_none()) {
                        ui.colored_label(
                            visuals.warn_fg_color,
                            format!("{} holds no number in this stream", one.path()),
                        );
                    }
                }
            }
        });
        let series = match answer {
            Some((_, Ok(series))) => Some(Arc::clone(series)),
            _ => None,
        };
        self.plot_ui(ui, frame, series.as_deref(), commands)
    }

    /// The plot itself (empty while the series are read).
    fn plot_ui(
        &mut self,
        ui: &mut egui::Ui,
        frame: &ChartFrame<'_>,
        series: Option<&[Series]>,
        commands: &mut Vec<Command>,
    ) -> Option<(f64, f64)> {
        let ChartFrame {
            layout,
            range: (lo, hi),
            cursor,
            hidden,
        } = *frame;
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a width in pixels"
        )]
        let columns = ui.available_width().max(1.0) as usize;
        if let Some(series) = series {
            let key = DrawKey {
                series: series.as_ptr(),
                mode: layout.mode,
                lo: lo.to_bits(),
                hi: hi.to_bits(),
                columns,
            };
            if self.drawn.as_ref().is_none_or(|d| d.key != key) {
                self.drawn = Some(cut(series, layout, (lo, hi), columns, key));
            }
        } else {
            self.drawn = None;
        }
        let values = self.drawn.as_ref().and_then(|d| d.y);
        let (y_lo, y_hi) = values.map_or((0.0, 1.0), |(low, high)| {
            let (low, high) = (
                low.clamp(-DRAWN_LIMIT, DRAWN_LIMIT),
                high.clamp(-DRAWN_LIMIT, DRAWN_LIMIT),
            );
            let pad = ((high - low) * 0.08).max(high.abs().max(1.0) * 1e-6);
            // Numbers near f64's ends have no room for a margin.
            let padded = (low - pad, high + pad);
            if padded.0.is_finite() && padded.1.is_finite() {
                padded
            } else {
                (low, high)
            }
        });
        let visuals = ui.visuals().clone();
        let mode = layout.mode;
        let height = HEIGHT.min(ui.available_height() * 0.5).max(90.0);
        let width_points = ui.available_width();
        let drawn = self.drawn.as_ref();
        let shown = Plot::new("state_chart")
            .height(height)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .allow_double_click_reset(false)
            .show_x(false)
            .show_y(false)
            // No y axis beside the plot, so it spans the width the timeline's canvas does and every event is
            // under its mark; the value range is written inside it instead.
            .show_axes([true, false])
            .x_grid_spacer(move |input| x_ticks(mode, input.bounds, width_points))
            .x_axis_formatter(move |mark, _| tick_label(mode, mark.value, mark.step_size))
            .show(ui, |plot_ui| {
                plot_ui.set_plot_bounds_x(lo..=hi);
                plot_ui.set_plot_bounds_y(y_lo..=y_hi);
                for (k, runs) in drawn.iter().flat_map(|d| d.lines.iter().enumerate()) {
                    let color = super::type_color(&visuals, k);
                    for (r, run) in runs.iter().enumerate() {
                        plot_ui.line(
                            Line::new(format!("series {k}"), PlotPoints::from(run.clone()))
                                .id(("chart_line", k, r))
                                .color(color)
                                .width(1.5)
                                // Already cut to the pixels; steps must stay steps.
                                .allow_band(false)
                                .allow_hover(false),
                        );
                    }
                }
                // The highest and lowest value drawn, at the top and bottom edges.
                let labels = values.map(|(low, high)| {
                    [
                        (y_hi, high, Align2::LEFT_TOP),
                        (y_lo, low, Align2::LEFT_BOTTOM),
                    ]
                });
                for (y, value, align) in labels.into_iter().flatten() {
                    plot_ui.text(
                        Text::new("value range", PlotPoint::new(lo, y), value_label(value))
                            .id(("chart_range", align.y() as u8))
                            .anchor(align)
                            .color(visuals.weak_text_color())
                            .allow_hover(false),
                    );
                }
                if let Some(x) = layout.value(cursor) {
                    plot_ui.vline(
                        VLine::new("playhead", x)
                            .stroke(Stroke::new(1.5, visuals.strong_text_color()))
                            .allow_hover(false),
                    );
                }
                // The pointer is known anywhere in the window: only an event under it on the chart is marked.
                let hovered = plot_ui
                    .pointer_coordinate()
                    .filter(|_| plot_ui.response().hovered())
                    .and_then(|p| layout.nearest(p.x, hidden))?;
                let x = layout.value(hovered)?;
                for (k, one) in series.iter().flat_map(|s| s.iter().enumerate()) {
                    if let Some(y) = one.value_after(hovered as u64) {
                        plot_ui.points(
                            Points::new(
                                format!("hover {k}"),
                                [x, y.clamp(-DRAWN_LIMIT, DRAWN_LIMIT)],
                            )
                            .id(("chart_hover", k))
                            .radius(3.5)
                            .color(super::type_color(&visuals, k))
                            .allow_hover(false),
                        );
                    }
                }
                Some(hovered)
            });
        let response = shown.response;
        self.rect = Some(response.rect);
        response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Figure, true, "Chart of state fields")
        });
        let hovered = shown.inner.filter(|_| response.hovered());
        if let (Some(i), Some(series)) = (hovered, series) {
            response
                .clone()
                .on_hover_text_at_pointer(hover_text(layout, i, series));
        }
        if response.clicked()
            && let Some(i) = hovered
        {
            commands.push(Command::JumpTo(i));
        }
        let width = f64::from(response.rect.width().max(1.0));
        let span = (hi - lo).max(f64::EPSILON);
        let mut moved = None;
        if response.dragged() {
            let shift = f64::from(response.drag_delta().x) / width * span;
            if shift != 0.0 {
                moved = Some((lo - shift, hi - shift));
            }
        }
        if response.hovered()
            && let Some(p) = response.hover_pos()
        {
            let anchor = lo + f64::from(p.x - response.rect.left()) / width * span;
            moved = super::wheel_zoom(ui, (lo, hi), anchor, width, mode).or(moved);
        }
        moved
    }

    /// The plot as last drawn.
    pub(super) fn rect(&self) -> Option<Rect> {
        self.rect
    }
}

/// `series` cut to `columns` over the visible `range`, in axis coordinates.
fn cut(
    series: &[Series],
    layout: &Layout,
    range: (f64, f64),
    columns: usize,
    key: DrawKey,
) -> Drawn {
    let (from, to) = layout.index_span(range.0, range.1);
    let mut y: Option<(f64, f64)> = None;
    let lines = series
        .iter()
        .map(|one| {
            let mut runs = one.columns(from, to, columns);
            for point in runs.iter_mut().flatten() {
                point[0] = layout.axis_at(point[0]).clamp(range.0, range.1);
                let value = point[1];
                y = Some(y.map_or((value, value), |(low, high)| {
                    (low.min(value), high.max(value))
                }));
                point[1] = value.clamp(-DRAWN_LIMIT, DRAWN_LIMIT);
            }
            runs
        })
        .collect();
    Drawn { key, lines, y }
}

/// What hovering event `i` says: the event, then each field's value after it.
fn hover_text(layout: &Layout, i: usize, series: &[Series]) -> String {
    let index = layout.stream.events.index();
    let mut text = format!(
        "{} · version {}",
        index.event_type(i).unwrap_or("?"),
        index.effective_version(i).unwrap_or_default()
    );
    if let Some(time) = index.time(i) {
        text.push_str(&format!(" · {}", format_time(&time)));
    }
    for one in series {
        let approximate = if one.exact() { "" } else { "≈ " };
        let value = one.value_after(i as u64).map_or_else(
            || "no number".to_owned(),
            |v| format!("{approximate}{}", value_label(v)),
        );
        text.push_str(&format!("\n{} = {value}", one.path()));
    }
    text
}

/// The timeline's ticks over `bounds` (the same calendar or event steps as its ruler).
fn x_ticks(mode: AxisMode, (lo, hi): (f64, f64), width: f32) -> Vec<GridMark> {
    let step = tick_step(mode, lo, hi, width);
    let first = (lo / step).ceil();
    (0..1_000)
        .map(|k| (first + f64::from(k)) * step)
        .take_while(|v| *v <= hi)
        .map(|value| GridMark {
            value,
            step_size: step,
        })
        .collect()
}

/// A value written on the chart, exactly (the shortest text that reads back as it): in scientific notation
/// when it is very large or very small, so 1e308 is not 309 digits.
fn value_label(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude >= 1e15 || (magnitude < 1e-6 && magnitude > 0.0) {
        format!("{value:e}")
    } else {
        format!("{value}")
    }
}
