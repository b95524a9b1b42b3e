//! The report's charts: the state fields asked for (`report --chart`, or the fields on the window's chart)
//! over each reported stream, drawn by `core::plot` as SVG for the page to hold inline.

use super::{ReportError, ReportRequest};
use crate::core::model::Event;
use crate::core::plot::{ChartRequest, PlotError, XAxis, chart_of};
use crate::core::store::StoreError;

/// The size of a chart in the report, in pixels.
const CHART_WIDTH: u32 = 900;
const CHART_HEIGHT: u32 = 400;

/// A stream's chart as the report shows it.
pub(super) struct ChartShown {
    /// The fields asked for, comma-separated.
    pub fields: String,
    /// The SVG document (its text escaped by plotters), when any field held a number.
    pub svg: Option<String>,
    /// Why fields are not drawn, one sentence each.
    pub missing: Vec<String>,
}

/// The chart of `request.charts` over the whole stream; `None` when no field is asked for.
pub(super) fn chart_shown(
    request: &ReportRequest<'_>,
    id: &str,
    stream_type: Option<&str>,
    events: &[Event],
) -> Result<Option<ChartShown>, ReportError> {
    if request.charts.is_empty() {
        return Ok(None);
    }
    let chart = ChartRequest {
        stream: id.to_owned(),
        paths: request.charts.clone(),
        x: XAxis::Version,
    };
    let events = events.iter().map(Ok::<_, StoreError>);
    let (svg, missing) = match chart_of(&chart, request.reducer, stream_type, events, &mut || {}) {
        Ok(chart) => (
            Some(chart.svg(CHART_WIDTH, CHART_HEIGHT)?),
            chart.missing().iter().map(ToString::to_string).collect(),
        ),
        Err(err @ (PlotError::NeverNumeric { .. } | PlotError::Empty(_))) => {
            (None, vec![err.to_string()])
        }
        Err(err) => return Err(err.into()),
    };
    Ok(Some(ChartShown {
        fields: request.charts.join(", "),
        svg,
        missing,
    }))
}
