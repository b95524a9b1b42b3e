//! Charts of a stream's numbers as files (`eventscope plot`, and the audit report's inline charts): the
//! value of state fields after every event, read in one bounded pass ([`chart_of`]) and drawn to SVG or PNG
//! ([`render`]). The window draws the same series live with egui_plot; this is the one for reports, so it
//! draws with plotters and a font built into the binary, needing nothing installed.
//!
//! Memory is the series' byte budget plus one `i64` per event (the x of each event: its version or time).

mod render;

use std::borrow::Borrow;

use serde_json::Value;

use crate::core::model::Event;
use crate::core::replay::series::{Series, SeriesBuilder};
use crate::core::replay::{Reducer, ReplayError, fold_event};
use crate::core::store::StoreError;

pub use render::{DEFAULT_HEIGHT, DEFAULT_WIDTH, MAX_SIDE, MIN_SIDE, check_size};

/// What a chart's series may hold in all (the thinning keeps the envelope beyond it).
pub const SERIES_BYTES: usize = 16 << 20;

/// What the horizontal axis counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XAxis {
    /// The event's version (its number in the stream when the layout has no versions).
    Version,
    /// The time the event records.
    Time,
}

/// Why a chart cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Replay(#[from] ReplayError),
    #[error("field {0:?} must start with / (a JSON Pointer, e.g. /balance)")]
    NotAPointer(String),
    #[error("no field to plot: name one with --path")]
    NoField,
    #[error("stream {0} has no events")]
    Empty(String),
    #[error("{path} is never a number in stream {stream} (it is {seen} after the last event)")]
    NeverNumeric {
        path: String,
        stream: String,
        seen: String,
    },
    #[error(
        "stream {stream}: {missing} of its {events} events record no time (the first is event {first}); plot it with --x version"
    )]
    NoTime {
        stream: String,
        missing: u64,
        events: u64,
        first: u64,
    },
    #[error("a chart is {MIN_SIDE} to {MAX_SIDE} pixels wide and high, not {width}x{height}")]
    Size { width: u32, height: u32 },
    #[error("cannot draw the chart: {0}")]
    Draw(String),
}

/// The fields to chart and how.
#[derive(Clone, Debug)]
pub struct ChartRequest {
    /// The stream, as its title and in messages.
    pub stream: String,
    /// JSON Pointers into the state.
    pub paths: Vec<String>,
    pub x: XAxis,
}

impl ChartRequest {
    /// Refuse fields that are not JSON Pointers before anything is read.
    pub fn check(&self) -> Result<(), PlotError> {
        if self.paths.is_empty() {
            return Err(PlotError::NoField);
        }
        match self.paths.iter().find(|p| !p.starts_with('/')) {
            Some(path) => Err(PlotError::NotAPointer(path.clone())),
            None => Ok(()),
        }
    }
}

/// A stream's fields over its events, ready to draw.
#[derive(Debug)]
pub struct Chart {
    title: String,
    x: XAxis,
    /// The x of each event, by index: its version, or its time in milliseconds since the epoch.
    xs: Xs,
    series: Vec<Series>,
    /// The fields asked for that never held a number (drawn are the others).
    missing: Vec<PlotError>,
}

impl Chart {
    /// Why fields asked for are not drawn: each never held a number in the stream.
    pub fn missing(&self) -> &[PlotError] {
        &self.missing
    }

    /// [`Self::missing`], taken out (to be returned as an error).
    pub fn take_missing(&mut self) -> Vec<PlotError> {
        std::mem::take(&mut self.missing)
    }

    /// The title: the stream's id.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// One series per path, in the request's order.
    pub fn series(&self) -> &[Series] {
        &self.series
    }

    /// The x of the event at `index` (its version, or its time in milliseconds).
    pub fn x_of(&self, index: u64) -> Option<i64> {
        self.xs.get(index)
    }

    /// What the horizontal axis counts.
    pub fn x_axis(&self) -> XAxis {
        self.x
    }

    /// The chart as an SVG document `width` by `height` pixels.
    pub fn svg(&self, width: u32, height: u32) -> Result<String, PlotError> {
        render::svg(self, width, height)
    }

    /// The chart as a PNG image `width` by `height` pixels.
    pub fn png(&self, width: u32, height: u32) -> Result<Vec<u8>, PlotError> {
        render::png(self, width, height)
    }
}

/// Replay `events` with `reducer` and keep the value of each of `request`'s fields after every event;
/// `progress` is called once per event. Fails when no field ever holds a number or, charted over time, an
/// event records no time; fields that never hold one while others do are [`Chart::missing`].
pub fn chart_of<B: Borrow<Event>>(
    request: &ChartRequest,
    reducer: &dyn Reducer,
    stream_type: Option<&str>,
    events: impl IntoIterator<Item = Result<B, StoreError>>,
    progress: &mut dyn FnMut(),
) -> Result<Chart, PlotError> {
    request.check()?;
    let mut fold = reducer.fold(reducer.initial(stream_type));
    let mut builder = SeriesBuilder::new(&request.paths, SERIES_BYTES);
    let mut xs = Xs::default();
    let mut untimed: Option<(u64, u64)> = None;
    for (index, event) in (0_u64..).zip(events) {
        let event = event?;
        let event = event.borrow();
        fold_event(fold.as_mut(), event, index as usize)?;
        builder.observe_with(|path| fold.pointer(path));
        let x = match request.x {
            XAxis::Version => event.version.unwrap_or(index as i64 + 1),
            XAxis::Time => match event.time {
                Some(time) => time.timestamp_millis(),
                None => {
                    untimed.get_or_insert((index + 1, 0)).1 += 1;
                    0
                }
            },
        };
        xs.push(x);
        progress();
    }
    let events = xs.len();
    if events == 0 {
        return Err(PlotError::Empty(request.stream.clone()));
    }
    if let Some((first, missing)) = untimed {
        return Err(PlotError::NoTime {
            stream: request.stream.clone(),
            missing,
            events,
            first,
        });
    }
    let (series, never): (Vec<Series>, Vec<Series>) = builder
        .finish()
        .into_iter()
        .partition(|s| s.bounds().is_some());
    let mut missing = never.iter().map(|series| PlotError::NeverNumeric {
        path: series.path().to_owned(),
        stream: request.stream.clone(),
        seen: describe(fold.pointer(series.path()).as_ref()),
    });
    if series.is_empty()
        && let Some(first) = missing.next()
    {
        return Err(first);
    }
    let missing = missing.collect();
    Ok(Chart {
        title: request.stream.clone(),
        x: request.x,
        xs,
        series,
        missing,
    })
}

/// The x of every event. A stream whose versions are its ordinals (1, 2, 3, ...) keeps none of them; once
/// one differs, one `i64` per event (a compact index: 80 MB would be ten million events).
#[derive(Debug)]
enum Xs {
    /// Event `i` is at `i + 1`.
    Ordinal(u64),
    Listed(Vec<i64>),
}

impl Default for Xs {
    fn default() -> Self {
        Self::Ordinal(0)
    }
}

impl Xs {
    fn push(&mut self, x: i64) {
        match self {
            Self::Ordinal(len) if i64::try_from(*len + 1).is_ok_and(|next| next == x) => *len += 1,
            Self::Ordinal(len) => {
                let mut listed: Vec<i64> = (1..=*len).map(|v| v as i64).collect();
                listed.push(x);
                *self = Self::Listed(listed);
            }
            Self::Listed(xs) => xs.push(x),
        }
    }

    fn len(&self) -> u64 {
        match self {
            Self::Ordinal(len) => *len,
            Self::Listed(xs) => xs.len() as u64,
        }
    }

    fn get(&self, index: u64) -> Option<i64> {
        match self {
            Self::Ordinal(len) => (index < *len).then(|| index as i64 + 1),
            Self::Listed(xs) => usize::try_from(index).ok().and_then(|i| xs.get(i)).copied(),
        }
    }

    /// The lowest and highest x.
    fn bounds(&self) -> (i64, i64) {
        match self {
            Self::Ordinal(len) => (1, i64::try_from(*len).unwrap_or(i64::MAX)),
            Self::Listed(xs) => xs
                .iter()
                .fold((i64::MAX, i64::MIN), |(lo, hi), &x| (lo.min(x), hi.max(x))),
        }
    }
}

/// What a value that is no number is, in a message.
fn describe(value: Option<&Value>) -> String {
    match value {
        None => "absent".to_owned(),
        Some(Value::Null) => "null".to_owned(),
        Some(Value::Bool(b)) => format!("the boolean {b}"),
        Some(Value::String(s)) => {
            let mut shown: String = s.chars().take(40).collect();
            if shown.len() < s.len() {
                shown.push('…');
            }
            format!("the string {shown:?}")
        }
        Some(Value::Array(items)) => format!("an array of {}", items.len()),
        Some(Value::Object(map)) => format!("an object of {} keys", map.len()),
        Some(Value::Number(n)) => format!("the number {n}"),
    }
}

#[cfg(test)]
mod tests;
