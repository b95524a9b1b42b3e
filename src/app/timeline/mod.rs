//! The timeline: the selected stream's events as marks on a time axis (or an even sequence axis when the
//! store has no usable times), coloured by type with a legend, and a playhead. Drag in the ruler to scrub,
//! click near a mark to jump, wheel to zoom at the pointer, drag the lane to pan, double-click to fit.
//!
//! Only visual state lives here (the visible range, the axis mode); the playhead is the session's cursor,
//! changed through commands.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use eframe::egui::{self, Pos2, Rect, Sense, Stroke, Vec2};

use super::theme::type_color;

use super::event_table::EventTable;
use crate::core::decode::format_time;
use crate::session::density::{AxisIndex, StreamAxes, axis_secs, count_through};
use crate::session::{AxisUnit, Command, LoadedStream, Session};

mod chart;
mod controls;
mod draw;

use controls::{controls_ui, legend_ui, tools_ui};
pub use draw::time_format;
use draw::{draw_events, ticks};

/// Height of the ruler at the top of the canvas (drag in it to scrub).
pub const RULER_HEIGHT: f32 = 22.0;

/// Which axis the marks are laid out on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AxisMode {
    Time,
    Sequence,
}

/// The selected stream on one axis. The indexing itself was done by the worker ([`StreamAxes`]); this only
/// picks the axis.
struct Layout {
    stream: Arc<LoadedStream>,
    mode: AxisMode,
}

impl Layout {
    fn new(stream: &Arc<LoadedStream>, wanted: AxisMode) -> Self {
        let mode = if stream.axes.has_times {
            wanted
        } else {
            AxisMode::Sequence
        };
        Self {
            stream: Arc::clone(stream),
            mode,
        }
    }

    fn axes(&self) -> &StreamAxes {
        &self.stream.axes
    }

    fn index(&self) -> &AxisIndex {
        match (self.mode, &self.stream.axes.by_time) {
            (AxisMode::Time, Some(index)) => index,
            _ => &self.stream.axes.by_sequence,
        }
    }

    /// Axis value of event `i`.
    fn value(&self, i: usize) -> Option<f64> {
        match self.mode {
            AxisMode::Time => self.stream.events.index().time(i).map(axis_secs),
            #[expect(clippy::cast_precision_loss, reason = "axis coordinates")]
            AxisMode::Sequence => (i < self.stream.events.len()).then_some(i as f64),
        }
    }

    fn fit(&self) -> (f64, f64) {
        let Some((min, max)) = self.index().bounds() else {
            return (0.0, 1.0);
        };
        let span = max - min;
        if span <= 0.0 {
            let pad = if self.mode == AxisMode::Time {
                60.0
            } else {
                1.0
            };
            return (min - pad, max + pad);
        }
        (min - span * 0.03, max + span * 0.03)
    }

    /// The events (as fractional indexes) the axis range `lo..=hi` covers, from the one in force at `lo`
    /// to the first at or after `hi`: the whole stream on a time axis whose times go back.
    fn index_span(&self, lo: f64, hi: f64) -> (f64, f64) {
        let len = self.stream.events.len();
        let last = len.saturating_sub(1);
        #[expect(clippy::cast_precision_loss, reason = "axis coordinates")]
        match self.mode {
            AxisMode::Sequence => (lo.floor().max(0.0), hi.ceil().min(last as f64)),
            AxisMode::Time if !self.stream.axes.times_sorted => (0.0, last as f64),
            AxisMode::Time => {
                let index = self.stream.events.index();
                let secs = |i: usize| index.time(i).map_or(f64::NEG_INFINITY, axis_secs);
                let from = partition(len, |i| secs(i) <= lo).saturating_sub(1);
                let to = partition(len, |i| secs(i) < hi).min(last);
                (from as f64, to as f64)
            }
        }
    }

    /// Axis value of the (fractional) event index `x`, as [`Self::index_span`] gives them.
    fn axis_at(&self, x: f64) -> f64 {
        match self.mode {
            AxisMode::Sequence => x,
            AxisMode::Time => {
                #[expect(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "an event index"
                )]
                let i = x.max(0.0).floor() as usize;
                self.value(i).unwrap_or(f64::NAN)
            }
        }
    }

    /// The shown event whose mark is nearest to axis value `v`.
    fn nearest(&self, v: f64, hidden: &[bool]) -> Option<usize> {
        self.index().nearest(v, hidden)
    }
}

/// The first of `0..len` for which `before` is false, `before` being true up to some point and false after.
fn partition(len: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut low, mut high) = (0, len);
    while low < high {
        let mid = low + (high - low) / 2;
        if before(mid) {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    low
}

/// The range `range` zoomed by the wheel (or a pinch) at axis value `anchor`, and panned by a sideways
/// scroll; `None` when the input asks for neither. `width` is the drawn width in points.
fn wheel_zoom(
    ui: &egui::Ui,
    (lo, hi): (f64, f64),
    anchor: f64,
    width: f64,
    mode: AxisMode,
) -> Option<(f64, f64)> {
    let (scroll, zoom) = ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta()));
    let factor = f64::from(zoom) * (f64::from(scroll.y) * 0.003).exp();
    if (factor - 1.0).abs() <= 1e-6 && scroll.x == 0.0 {
        return None;
    }
    let span = (hi - lo).max(f64::EPSILON);
    let new_span = (span / factor).max(if mode == AxisMode::Time { 0.001 } else { 2.0 });
    let frac = (anchor - lo) / span;
    let pan = -f64::from(scroll.x) / width * new_span;
    let new_lo = anchor - frac * new_span + pan;
    Some((new_lo, new_lo + new_span))
}

/// The timeline panel.
pub struct Timeline {
    layout: Option<Layout>,
    mode: AxisMode,
    /// Visible axis range; `None` = fit the stream.
    range: Option<(f64, f64)>,
    scrubbing: bool,
    last_cursor: Option<usize>,
    /// The "go to" field: a version or a date/time.
    goto_text: String,
    goto_error: Option<String>,
    /// Event types hidden from the timeline (by name, so the choice carries across streams).
    hidden: BTreeSet<String>,
    /// The events table under the canvas.
    table: EventTable,
    /// The spacing of the axis ticks last drawn: Shift+Left/Right step by it.
    unit: Option<AxisUnit>,
    /// Where the canvas was last drawn (benchmarks and tests aim the pointer at it).
    canvas: Option<Rect>,
    /// The findings' markers for the stream shown.
    markers: super::findings::Markers,
    /// The chart of state fields under the canvas, when the session shows one.
    chart: chart::ChartPanel,
}

impl Default for Timeline {
    fn default() -> Self {
        Self {
            layout: None,
            mode: AxisMode::Time,
            range: None,
            scrubbing: false,
            last_cursor: None,
            goto_text: String::new(),
            goto_error: None,
            hidden: BTreeSet::new(),
            table: EventTable::default(),
            unit: None,
            canvas: None,
            markers: super::findings::Markers::default(),
            chart: chart::ChartPanel::default(),
        }
    }
}

impl Timeline {
    pub fn ui(&mut self, ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
        let Some(stream) = session.stream() else {
            ui.add_space(8.0);
            ui.weak(match session.selected() {
                Some(id) => format!("Loading {id}…"),
                None => "The selected stream's events appear here.".to_owned(),
            });
            // Fill the panel, or it would shrink to this line and stay that small once a stream loads.
            ui.allocate_space(ui.available_size());
            return;
        };
        let stale = self
            .layout
            .as_ref()
            .is_none_or(|l| !Arc::ptr_eq(&l.stream, &stream.loaded) || l.mode != self.mode);
        if stale {
            let same_stream = self
                .layout
                .as_ref()
                .is_some_and(|l| Arc::ptr_eq(&l.stream, &stream.loaded));
            let layout = Layout::new(&stream.loaded, self.mode);
            if !same_stream || layout.mode != self.layout.as_ref().map_or(layout.mode, |l| l.mode) {
                self.range = None;
            }
            self.layout = Some(layout);
        }
        let Some(layout) = &self.layout else { return };
        let cursor = stream.cursor;
        controls_ui(
            ui,
            layout,
            cursor,
            &mut self.mode,
            &mut self.range,
            commands,
        );
        tools_ui(
            ui,
            session,
            layout.axes().has_times,
            &mut self.goto_text,
            &mut self.goto_error,
            commands,
        );

        // The legend goes above the canvas: it may wrap to several rows, and the canvas takes what is left
        // (below it, its height would feed back into the panel's size frame after frame).
        legend_ui(ui, layout, &mut self.hidden);
        // Types the user hid in the legend: no marks, and clicks and scrubbing skip them.
        let hidden_mask: Vec<bool> = layout
            .axes()
            .types
            .iter()
            .map(|(name, _)| self.hidden.contains(name))
            .collect();
        // The canvas over the table: the table takes what the canvas leaves.
        let height = (ui.available_height() * 0.4).clamp(70.0, 160.0);
        let (rect, response) = ui.allocate_exact_size(
            Vec2::new(ui.available_width(), height),
            Sense::click_and_drag(),
        );
        self.canvas = Some(rect);
        let (mut lo, mut hi) = self.range.unwrap_or_else(|| layout.fit());
        // Keep the playhead in view when it moves by keyboard or a click elsewhere.
        if self.last_cursor != Some(cursor) {
            if let Some(v) = layout.value(cursor)
                && (v < lo || v > hi)
            {
                let span = hi - lo;
                lo = v - span / 2.0;
                hi = v + span / 2.0;
                self.range = Some((lo, hi));
            }
            self.last_cursor = Some(cursor);
        }
        let span = (hi - lo).max(f64::EPSILON);
        let width = f64::from(rect.width().max(1.0));
        let to_x = |v: f64| {
            #[expect(clippy::cast_possible_truncation, reason = "screen coordinates")]
            let x = (f64::from(rect.left()) + (v - lo) / span * width) as f32;
            x
        };
        let to_value = |x: f32| lo + f64::from(x - rect.left()) / width * span;
        let ruler = Rect::from_min_size(rect.min, Vec2::new(rect.width(), RULER_HEIGHT));
        let lane = Rect::from_min_max(Pos2::new(rect.left(), ruler.bottom()), rect.max);

        // Interaction.
        let pointer = response.interact_pointer_pos().or(response.hover_pos());
        if response.drag_started() {
            let near_playhead = layout
                .value(cursor)
                .zip(pointer)
                .is_some_and(|(v, p)| (to_x(v) - p.x).abs() < 6.0);
            self.scrubbing = pointer.is_some_and(|p| ruler.contains(p)) || near_playhead;
        }
        if response.dragged() {
            if self.scrubbing {
                if let Some(i) = pointer.and_then(|p| layout.nearest(to_value(p.x), &hidden_mask)) {
                    commands.push(Command::JumpTo(i));
                }
            } else {
                let shift = f64::from(response.drag_delta().x) / width * span;
                self.range = Some((lo - shift, hi - shift));
            }
        }
        if response.drag_stopped() {
            self.scrubbing = false;
        }
        if response.double_clicked() {
            self.range = None;
        } else if response.clicked()
            && let Some(i) = pointer.and_then(|p| layout.nearest(to_value(p.x), &hidden_mask))
        {
            commands.push(Command::JumpTo(i));
        }
        if response.hovered()
            && let Some(p) = pointer
            && let Some(zoomed) = wheel_zoom(ui, (lo, hi), to_value(p.x), width, layout.mode)
        {
            self.range = Some(zoomed);
        }
        response.widget_info(|| {
            #[expect(clippy::cast_precision_loss, reason = "an index for accessibility")]
            egui::WidgetInfo::slider(true, (cursor + 1) as f64, "Timeline")
        });

        // Drawing.
        let painter = ui.painter_at(rect);
        let visuals = ui.visuals();
        painter.rect_filled(rect, 2.0, visuals.extreme_bg_color);
        painter.rect_filled(ruler, 0.0, visuals.faint_bg_color);
        let step = ticks(&painter, layout.mode, lo, hi, ruler, lane, &to_x, visuals);
        self.unit = Some(match layout.mode {
            AxisMode::Time => AxisUnit::Seconds(step),
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "a tick spacing in events"
            )]
            AxisMode::Sequence => AxisUnit::Events(step.max(1.0) as usize),
        });
        draw_events(
            &painter,
            visuals,
            layout,
            (lo, hi),
            lane,
            &hidden_mask,
            &to_x,
        );
        // Snapshots the store keeps: a diamond at their version, red when they disagree with the replay.
        if let Ok(checks) = &stream.loaded.snapshot_checks {
            for check in checks {
                let index = count_through(
                    stream.loaded.events.index(),
                    &stream.loaded.axes,
                    check.version,
                )
                .and_then(|n| n.checked_sub(1));
                let Some(v) = index.and_then(|i| layout.value(i)) else {
                    continue;
                };
                let color = if check.matches {
                    super::theme::good_color(visuals)
                } else {
                    visuals.error_fg_color
                };
                let center = Pos2::new(to_x(v), lane.bottom() - 8.0);
                painter.add(egui::Shape::convex_polygon(
                    vec![
                        center + Vec2::new(0.0, -6.0),
                        center + Vec2::new(6.0, 0.0),
                        center + Vec2::new(0.0, 6.0),
                        center + Vec2::new(-6.0, 0.0),
                    ],
                    color,
                    Stroke::new(1.0, visuals.extreme_bg_color),
                ));
            }
        }
        // Integrity findings about this stream, as triangles at the bottom of the lane.
        let finding_hover = super::findings::timeline_markers(
            &painter,
            visuals,
            session,
            &stream.loaded,
            &mut self.markers,
            lane,
            &|i| layout.value(i).map(&to_x),
            response.hover_pos(),
        );
        // Points A and B of the two-point diff.
        for (mark, name) in [(session.marks().0, "A"), (session.marks().1, "B")] {
            let Some(v) = mark.and_then(|i| layout.value(i)) else {
                continue;
            };
            let x = to_x(v);
            let color = super::theme::info_color(visuals);
            painter.line_segment(
                [Pos2::new(x, lane.top()), Pos2::new(x, lane.bottom())],
                Stroke::new(1.0, color),
            );
            painter.text(
                Pos2::new(x + 3.0, lane.top() + 2.0),
                egui::Align2::LEFT_TOP,
                name,
                egui::FontId::proportional(12.0),
                color,
            );
        }
        if let Some(v) = layout.value(cursor) {
            let x = to_x(v);
            let color = visuals.strong_text_color();
            painter.line_segment(
                [Pos2::new(x, ruler.top()), Pos2::new(x, lane.bottom())],
                Stroke::new(1.5, color),
            );
            painter.add(egui::Shape::convex_polygon(
                vec![
                    Pos2::new(x - 6.0, ruler.top()),
                    Pos2::new(x + 6.0, ruler.top()),
                    Pos2::new(x, ruler.top() + 9.0),
                ],
                color,
                Stroke::NONE,
            ));
        }
        let hovered_event = response.hover_pos().and_then(|p| {
            let i = layout.nearest(to_value(p.x), &hidden_mask)?;
            let near = layout.value(i).is_some_and(|v| (to_x(v) - p.x).abs() < 8.0);
            near.then_some(i)
        });
        // From the index: hovering reads no page.
        let index = stream.loaded.events.index();
        if let Some((event_type, version, i)) =
            hovered_event.and_then(|i| Some((index.event_type(i)?, index.effective_version(i)?, i)))
        {
            let time = index.time(i).map(|t| format_time(&t)).unwrap_or_default();
            response
                .clone()
                .on_hover_text_at_pointer(format!("{event_type} · version {version} · {time}"));
        }
        if let Some(text) = finding_hover {
            response.clone().on_hover_text_at_pointer(text);
        }
        ui.add_space(4.0);
        let frame = chart::ChartFrame {
            layout,
            range: (lo, hi),
            cursor,
            hidden: &hidden_mask,
        };
        if let Some(range) = self.chart.ui(ui, session, &frame, commands) {
            self.range = Some(range);
        }
        self.table.ui(
            ui,
            &stream.loaded,
            cursor,
            &layout.axes().types,
            &hidden_mask,
            commands,
        );
    }

    /// The timeline canvas as last drawn; its top [`RULER_HEIGHT`] points are the ruler.
    pub fn canvas_rect(&self) -> Option<Rect> {
        self.canvas
    }

    /// The chart under the canvas as last drawn, when one is shown.
    pub fn chart_rect(&self) -> Option<Rect> {
        self.chart.rect()
    }

    /// One unit of the axis on screen (its tick spacing), for Shift+Left/Right.
    pub fn axis_unit(&self) -> Option<AxisUnit> {
        self.unit
    }
}
