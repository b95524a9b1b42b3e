//! The report's charts: the state fields asked for (`report --chart`, or the fields on the window's chart)
//! over each reported stream, drawn by `core::plot` as SVG inline in the HTML.

use std::fmt::Write as _;

use super::{ReportError, ReportRequest, escape};
use crate::core::model::Event;
use crate::core::store::StoreError;

/// The fields of `request.charts` over the whole stream, as an inline SVG chart (plotters escapes its
/// text); a field that never holds a number in this stream is said so in place of its chart.
pub(super) fn chart_section(
    body: &mut String,
    request: &ReportRequest<'_>,
    id: &str,
    stream_type: Option<&str>,
    events: &[Event],
) -> Result<(), ReportError> {
    use crate::core::plot::{ChartRequest, PlotError, XAxis, chart_of};
    if request.charts.is_empty() {
        return Ok(());
    }
    let chart = ChartRequest {
        stream: id.to_owned(),
        paths: request.charts.clone(),
        x: XAxis::Version,
    };
    let _ = writeln!(
        body,
        "<h3>Chart of {} after every event</h3>",
        escape(&request.charts.join(", "))
    );
    let events = events.iter().map(Ok::<_, StoreError>);
    match chart_of(&chart, request.reducer, stream_type, events, &mut || {}) {
        Ok(chart) => {
            let svg = chart.svg(CHART_WIDTH, CHART_HEIGHT)?;
            let _ = writeln!(body, "<div class=\"chart\">{svg}</div>");
            for missing in chart.missing() {
                let _ = writeln!(body, "<p>{}</p>", escape(&missing.to_string()));
            }
        }
        Err(err @ (PlotError::NeverNumeric { .. } | PlotError::Empty(_))) => {
            let _ = writeln!(body, "<p>{}</p>", escape(&err.to_string()));
        }
        Err(err) => return Err(err.into()),
    }
    Ok(())
}

/// The size of a chart in the report, in pixels.
const CHART_WIDTH: u32 = 900;
const CHART_HEIGHT: u32 = 400;
