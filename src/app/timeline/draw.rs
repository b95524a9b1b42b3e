//! What the timeline paints once the visible range is known: the events in the lane (marks or a density
//! histogram) and the ruler's ticks with labels whose precision follows their spacing.

use super::*;

/// The events in view: one mark per event while they fit, else a density histogram (one bar per pixel
/// column, as tall as its share of the busiest column and coloured by its dominant type), so the cost follows
/// the width, not the event count.
pub(super) fn draw_events(
    painter: &egui::Painter,
    visuals: &egui::Visuals,
    layout: &Layout,
    (lo, hi): (f64, f64),
    lane: Rect,
    hidden: &[bool],
    to_x: &dyn Fn(f64) -> f32,
) {
    let range = layout.index().range(lo, hi);
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a pixel count"
    )]
    let columns = lane.width().max(1.0) as usize;
    let top = lane.top() + 6.0;
    let bottom = lane.bottom() - 6.0;
    if range.len() <= columns / 2 {
        let mut last: Option<(i32, u16)> = None;
        for k in range {
            let (Some(v), Some(t)) = (layout.index().value(k), layout.index().type_at(k)) else {
                continue;
            };
            if hidden.get(usize::from(t)).copied().unwrap_or(false) {
                continue;
            }
            let x = to_x(v);
            #[expect(clippy::cast_possible_truncation, reason = "pixel column")]
            let column = x.round() as i32;
            if last == Some((column, t)) {
                continue; // same pixel, same colour: already drawn
            }
            last = Some((column, t));
            painter.line_segment(
                [Pos2::new(x, top), Pos2::new(x, bottom)],
                Stroke::new(2.0, type_color(visuals, usize::from(t))),
            );
        }
        return;
    }
    let bins = layout.index().columns(lo, hi, columns, hidden);
    let busiest = bins.iter().map(|c| c.count).max().unwrap_or(0).max(1);
    let scale = f64::from(busiest).ln_1p();
    for (c, bin) in bins.iter().enumerate() {
        if bin.count == 0 {
            continue;
        }
        // Log scale, so one event in a quiet column stays visible next to a burst of thousands.
        #[expect(
            clippy::cast_possible_truncation,
            reason = "a fraction of the lane height"
        )]
        let share = (f64::from(bin.count).ln_1p() / scale) as f32;
        let height = ((bottom - top) * share).max(3.0);
        #[expect(clippy::cast_precision_loss, reason = "a pixel index")]
        let x = lane.left() + c as f32 + 0.5;
        painter.line_segment(
            [Pos2::new(x, bottom - height), Pos2::new(x, bottom)],
            Stroke::new(1.0, type_color(visuals, usize::from(bin.dominant))),
        );
    }
}

const TIME_STEPS: [f64; 27] = [
    0.001,
    0.01,
    0.1,
    0.5,
    1.0,
    5.0,
    15.0,
    30.0,
    60.0,
    300.0,
    900.0,
    1800.0,
    3600.0,
    3.0 * 3600.0,
    6.0 * 3600.0,
    12.0 * 3600.0,
    86_400.0,
    2.0 * 86_400.0,
    7.0 * 86_400.0,
    14.0 * 86_400.0,
    30.0 * 86_400.0,
    61.0 * 86_400.0,
    91.0 * 86_400.0,
    182.0 * 86_400.0,
    365.0 * 86_400.0,
    730.0 * 86_400.0,
    1826.0 * 86_400.0,
];

#[expect(
    clippy::too_many_arguments,
    reason = "a drawing helper with the geometry spelled out"
)]
pub(super) fn ticks(
    painter: &egui::Painter,
    mode: AxisMode,
    lo: f64,
    hi: f64,
    ruler: Rect,
    lane: Rect,
    to_x: &dyn Fn(f64) -> f32,
    visuals: &egui::Visuals,
) -> f64 {
    let step = tick_step(mode, lo, hi, ruler.width());
    let first = (lo / step).ceil() * step;
    let font = egui::FontId::proportional(11.0);
    let mut v = first;
    let mut guard = 0;
    while v <= hi && guard < 1000 {
        let x = to_x(v);
        painter.line_segment(
            [
                Pos2::new(x, ruler.bottom() - 5.0),
                Pos2::new(x, ruler.bottom()),
            ],
            visuals.widgets.noninteractive.fg_stroke,
        );
        painter.line_segment(
            [Pos2::new(x, lane.top()), Pos2::new(x, lane.bottom())],
            Stroke::new(1.0, visuals.faint_bg_color),
        );
        painter.text(
            Pos2::new(x + 3.0, ruler.top() + 2.0),
            egui::Align2::LEFT_TOP,
            tick_label(mode, v, step),
            font.clone(),
            visuals.text_color(),
        );
        v += step;
        guard += 1;
    }
    step
}

/// The spacing of the axis ticks over `lo..hi` drawn `width` points wide: a calendar step on the time
/// axis, 1, 2, 5, 10… events on the sequence axis, about 110 points apart.
pub(super) fn tick_step(mode: AxisMode, lo: f64, hi: f64, width: f32) -> f64 {
    let per_px = (hi - lo) / f64::from(width.max(1.0));
    let min_gap = 110.0 * per_px;
    match mode {
        AxisMode::Time => TIME_STEPS
            .iter()
            .copied()
            .find(|&s| s >= min_gap)
            .unwrap_or(min_gap),
        AxisMode::Sequence => {
            let mut step = 1.0;
            while step < min_gap {
                step *= if (step.log10().fract()).abs() < 1e-9 {
                    2.0
                } else if (step / 2.0).log10().fract().abs() < 1e-9 {
                    2.5
                } else {
                    2.0
                };
            }
            step
        }
    }
}

/// The label of the tick at axis value `v`, ticks being `step` apart.
pub(super) fn tick_label(mode: AxisMode, v: f64, step: f64) -> String {
    match mode {
        AxisMode::Time => time_label(v, step),
        #[expect(clippy::cast_possible_truncation, reason = "an event number label")]
        AxisMode::Sequence => format!("#{}", v as i64 + 1),
    }
}

/// A tick label whose precision follows the tick spacing (years … milliseconds).
fn time_label(secs: f64, step: f64) -> String {
    #[expect(clippy::cast_possible_truncation, reason = "milliseconds since 1970")]
    let Some(t) = DateTime::<Utc>::from_timestamp_millis((secs * 1000.0).round() as i64) else {
        return String::new();
    };
    t.format(time_format(step)).to_string()
}

/// The `strftime` format that labels instants `step_secs` apart without wasting characters.
pub fn time_format(step_secs: f64) -> &'static str {
    if step_secs >= 365.0 * 86_400.0 {
        "%Y"
    } else if step_secs >= 28.0 * 86_400.0 {
        "%Y-%m"
    } else if step_secs >= 86_400.0 {
        "%Y-%m-%d"
    } else if step_secs >= 60.0 {
        "%m-%d %H:%M"
    } else if step_secs >= 1.0 {
        "%H:%M:%S"
    } else {
        "%H:%M:%S%.3f"
    }
}
