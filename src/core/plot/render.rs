//! Drawing a [`Chart`] with plotters, to an SVG string or PNG bytes: the title, the fields as step lines cut
//! to what the width in pixels can show, axes labelled with versions or times and exact values, and a
//! legend under the plot so it never covers a line. Text is measured and drawn with the Ubuntu font egui
//! carries (`epaint_default_fonts`), registered with plotters once, so nothing depends on installed fonts.

use std::sync::Once;

use chrono::{DateTime, Utc};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::{Chart, PlotError, XAxis};

/// The default size of a chart, in pixels.
pub const DEFAULT_WIDTH: u32 = 1000;
pub const DEFAULT_HEIGHT: u32 = 500;
/// The smallest and largest side a chart may have.
pub const MIN_SIDE: u32 = 200;
pub const MAX_SIDE: u32 = 8000;

/// The font family the charts use (the name under which the built-in font is registered).
const FONT: &str = "sans-serif";
/// Values beyond this are drawn at it: a span of ±f64::MAX has no finite width.
const DRAWN_LIMIT: f64 = f64::MAX / 4.0;
/// One legend row's height.
const LEGEND_ROW: u32 = 22;

/// The lines' colours, in the order of the fields (readable on white, told apart by most eyes).
const COLOURS: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(23, 190, 207),
    RGBColor(140, 86, 75),
    RGBColor(127, 127, 127),
];

/// The colour of the `k`th field.
fn colour(k: usize) -> RGBColor {
    COLOURS[k % COLOURS.len()]
}

pub(super) fn svg(chart: &Chart, width: u32, height: u32) -> Result<String, PlotError> {
    check_size(width, height)?;
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (width, height)).into_drawing_area();
        draw(chart, &root)?;
        root.present().map_err(draw_error)?;
    }
    Ok(text)
}

pub(super) fn png(chart: &Chart, width: u32, height: u32) -> Result<Vec<u8>, PlotError> {
    check_size(width, height)?;
    let mut pixels = vec![0_u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        draw(chart, &root)?;
        root.present().map_err(draw_error)?;
    }
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder
        .write_header()
        .map_err(|e| PlotError::Draw(e.to_string()))?;
    writer
        .write_image_data(&pixels)
        .map_err(|e| PlotError::Draw(e.to_string()))?;
    writer
        .finish()
        .map_err(|e| PlotError::Draw(e.to_string()))?;
    Ok(bytes)
}

/// Refuse a size outside [`MIN_SIDE`]..=[`MAX_SIDE`] (a caller checks before the slow part).
pub fn check_size(width: u32, height: u32) -> Result<(), PlotError> {
    let fits = |side: u32| (MIN_SIDE..=MAX_SIDE).contains(&side);
    if fits(width) && fits(height) {
        Ok(())
    } else {
        Err(PlotError::Size { width, height })
    }
}

fn draw_error(err: impl std::fmt::Display) -> PlotError {
    PlotError::Draw(err.to_string())
}

/// Make the built-in font known to plotters (once per process).
fn register_font() {
    static REGISTER: Once = Once::new();
    REGISTER.call_once(|| {
        // The font is a constant compiled in; a failure would show as missing text, never a crash.
        let _ = plotters::style::register_font(
            FONT,
            FontStyle::Normal,
            epaint_default_fonts::UBUNTU_LIGHT,
        );
    });
}

/// Draw `chart` on `root`: the plot above, the legend below.
fn draw<DB: DrawingBackend>(chart: &Chart, root: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
    register_font();
    root.fill(&WHITE).map_err(draw_error)?;
    let (width, height) = root.dim_in_pixel();
    let legend_height = LEGEND_ROW * chart.series.len() as u32 + 8;
    let (plot_area, legend_area) = root.split_vertically(height.saturating_sub(legend_height));

    let (x_range, y_range) = ranges(chart);
    let mut plot = ChartBuilder::on(&plot_area)
        .caption(&chart.title, (FONT, 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(90)
        .build_cartesian_2d(x_range.0..x_range.1, y_range.0..y_range.1)
        .map_err(draw_error)?;
    let span = x_range.1 - x_range.0;
    let x_axis = chart.x;
    let x_label = move |x: &f64| axis_label(x_axis, *x, span);
    // A tick within a billionth of the span of zero is zero (plotters' ticks carry the float error of
    // the span: 1.6e291 where 0 was meant, on a span of ±1e308).
    let zero = (y_range.1 - y_range.0) * 1e-9;
    let y_label = move |y: &f64| tick_label(if y.abs() < zero { 0.0 } else { *y });
    plot.configure_mesh()
        .x_desc(match chart.x {
            XAxis::Version => "version",
            XAxis::Time => "time (UTC)",
        })
        .x_labels(8)
        .y_labels(8)
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .label_style((FONT, 13))
        .light_line_style(RGBColor(238, 238, 238))
        .draw()
        .map_err(draw_error)?;

    // Each field cut to about four points per pixel column, its runs (split where it holds no number)
    // drawn as steps.
    #[expect(clippy::cast_precision_loss, reason = "an event index")]
    let last = chart.xs.len().saturating_sub(1) as f64;
    let columns = usize::try_from(width).unwrap_or(1000);
    for (k, series) in chart.series.iter().enumerate() {
        let style = ShapeStyle::from(&colour(k)).stroke_width(2);
        for run in series.columns(0.0, last, columns) {
            let points = run.iter().filter_map(|&[index, value]| {
                #[expect(clippy::cast_possible_truncation, reason = "an event index")]
                let x = chart.x_of(index as u64)?;
                Some((x as f64, value.clamp(-DRAWN_LIMIT, DRAWN_LIMIT)))
            });
            plot.draw_series(LineSeries::new(points, style))
                .map_err(draw_error)?;
        }
    }
    draw_legend(chart, &legend_area)
}

/// One row per field under the plot: its colour and its path.
fn draw_legend<DB: DrawingBackend>(
    chart: &Chart,
    area: &DrawingArea<DB, Shift>,
) -> Result<(), PlotError> {
    let left = 100;
    for (k, series) in chart.series.iter().enumerate() {
        #[expect(clippy::cast_possible_wrap, reason = "a row of a few fields")]
        let y = (LEGEND_ROW * k as u32 + LEGEND_ROW / 2) as i32;
        let style = ShapeStyle::from(&colour(k)).stroke_width(3);
        area.draw(&PathElement::new(vec![(left, y), (left + 28, y)], style))
            .map_err(draw_error)?;
        let mut label = series.path().to_owned();
        if !series.exact() {
            label.push_str(&format!(
                " (thinned: each bucket of {} events shows its first, lowest, highest and last value)",
                series.bucket_events()
            ));
        }
        area.draw(&Text::new(
            label,
            (left + 36, y - 8),
            (FONT, 14).into_font().color(&BLACK),
        ))
        .map_err(draw_error)?;
    }
    Ok(())
}

/// The x and y ranges: every event across, every value up and down with a margin.
fn ranges(chart: &Chart) -> ((f64, f64), (f64, f64)) {
    let (x_low, x_high) = chart.xs.bounds();
    #[expect(clippy::cast_precision_loss, reason = "an axis range")]
    let (mut x_low, mut x_high) = (x_low as f64, x_high as f64);
    if x_high <= x_low {
        x_low -= 1.0;
        x_high += 1.0;
    }
    let (low, high) = chart
        .series
        .iter()
        .filter_map(|s| s.bounds())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (l, h)| {
            (lo.min(l), hi.max(h))
        });
    let (low, high) = if low.is_finite() && high.is_finite() {
        (
            low.clamp(-DRAWN_LIMIT, DRAWN_LIMIT),
            high.clamp(-DRAWN_LIMIT, DRAWN_LIMIT),
        )
    } else {
        (0.0, 1.0)
    };
    let pad = ((high - low) * 0.08).max(high.abs().max(1.0) * 1e-6);
    ((x_low, x_high), (low - pad, high + pad))
}

/// A label on the x axis: a version, or an instant as precise as the span needs.
fn axis_label(axis: XAxis, x: f64, span: f64) -> String {
    match axis {
        #[expect(clippy::cast_possible_truncation, reason = "a version label")]
        XAxis::Version => format!("{}", x.round() as i64),
        XAxis::Time => {
            #[expect(clippy::cast_possible_truncation, reason = "milliseconds since 1970")]
            let Some(t) = DateTime::<Utc>::from_timestamp_millis(x.round() as i64) else {
                return String::new();
            };
            let secs = span / 1000.0;
            let format = if secs >= 3.0 * 365.0 * 86_400.0 {
                "%Y-%m"
            } else if secs >= 5.0 * 86_400.0 {
                "%Y-%m-%d"
            } else if secs >= 600.0 {
                "%m-%d %H:%M"
            } else if secs >= 10.0 {
                "%H:%M:%S"
            } else {
                "%H:%M:%S%.3f"
            };
            t.format(format).to_string()
        }
    }
}

/// A tick of the value axis: plotters picks round values, written to six decimals at most (no binary
/// noise such as 0.30000000000000004), in scientific notation when very large or small.
pub(super) fn tick_label(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude >= 1e15 || (magnitude < 1e-6 && magnitude > 0.0) {
        // Five significant digits: a tick is a round number, and the label must fit the axis.
        let text = format!("{value:.4e}");
        match text.split_once('e') {
            Some((digits, exponent)) => {
                let digits = digits.trim_end_matches('0').trim_end_matches('.');
                format!("{digits}e{exponent}")
            }
            None => text,
        }
    } else {
        let text = format!("{value:.6}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        if text == "-0" {
            "0".to_owned()
        } else {
            text.to_owned()
        }
    }
}
