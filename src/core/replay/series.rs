//! The numbers in a stream's state over its events, for charts: the value of a field after every event,
//! kept as the points where it changes (a step function) within a byte budget, and cut down to what a
//! given number of pixel columns can show when drawn. Shared by the window's chart and `eventscope plot`.
//!
//! A balance that changes on every event of a ten-million-event stream would be 160 MB of points, so a
//! series that outgrows its budget is thinned: events are grouped in buckets (doubling in width each time)
//! and each bucket keeps its first, lowest, highest and last point. The envelope and the value held after
//! each bucket stay right; the value after a single event inside a thinned bucket is then an estimate,
//! which [`Series::exact`] tells.

use std::borrow::Borrow;

use serde_json::Value;

use super::{Reducer, ReplayError, fold_event};
use crate::core::model::Event;

/// What a point weighs in memory.
const POINT_BYTES: usize = std::mem::size_of::<Point>();
/// A series keeps at least this many points whatever the budget, so a tiny budget still draws a shape.
const MIN_POINTS: usize = 64;

/// A field's value from event `index` (0-based, in stream order) on, until the next point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub index: u64,
    /// `NaN`: the field is absent or holds no number from this event on.
    pub value: f64,
}

/// The number a JSON value holds: a number, or a string holding a finite number (decimals are often kept
/// as strings, e.g. `"12.50"`). Anything else holds none.
pub fn numeric(value: &Value) -> Option<f64> {
    match value {
        Value::Number(number) => number.as_f64().filter(|v| v.is_finite()),
        Value::String(text) => text.trim().parse::<f64>().ok().filter(|v| v.is_finite()),
        _ => None,
    }
}

/// One field's values over a stream.
#[derive(Clone, Debug)]
pub struct Series {
    path: String,
    points: Vec<Point>,
    /// Events per bucket: 1 while every change is kept.
    bucket: u64,
    /// The bucket being filled while thinned: its first, lowest, highest and last points.
    open: Option<Bucket>,
    max_points: usize,
    len: u64,
    /// The lowest and highest number seen, kept as they come (the chart's header asks every frame).
    bounds: Option<(f64, f64)>,
}

/// The points of one bucket a thinned series keeps.
#[derive(Clone, Copy, Debug)]
struct Bucket {
    number: u64,
    first: Point,
    low: Option<Point>,
    high: Option<Point>,
    last: Point,
}

impl Bucket {
    fn new(number: u64, point: Point) -> Self {
        let numeric = (!point.value.is_nan()).then_some(point);
        Self {
            number,
            first: point,
            low: numeric,
            high: numeric,
            last: point,
        }
    }

    fn add(&mut self, point: Point) {
        self.last = point;
        if point.value.is_nan() {
            return;
        }
        if self.low.is_none_or(|low| point.value < low.value) {
            self.low = Some(point);
        }
        if self.high.is_none_or(|high| point.value > high.value) {
            self.high = Some(point);
        }
    }

    /// Its points in stream order, each once.
    fn flush(self, into: &mut Vec<Point>) {
        let mut kept = [Some(self.first), self.low, self.high, Some(self.last)];
        kept.sort_by_key(|p| p.map_or(u64::MAX, |p| p.index));
        let mut previous = None;
        for point in kept.into_iter().flatten() {
            if previous != Some(point.index) {
                into.push(point);
                previous = Some(point.index);
            }
        }
    }
}

impl Series {
    fn new(path: String, max_points: usize) -> Self {
        Self {
            path,
            points: Vec::new(),
            bucket: 1,
            open: None,
            max_points: max_points.max(MIN_POINTS),
            len: 0,
            bounds: None,
        }
    }

    /// The JSON Pointer of the field.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The points in stream order: the first event's value, then every change (every bucket's first,
    /// lowest, highest and last once thinned).
    pub fn points(&self) -> &[Point] {
        &self.points
    }

    /// How many events were observed.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// No event was observed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every change is kept: [`Self::value_after`] is the replayed value, not an estimate.
    pub fn exact(&self) -> bool {
        self.bucket == 1
    }

    /// Events per bucket (1 while exact).
    pub fn bucket_events(&self) -> u64 {
        self.bucket
    }

    /// What the points weigh in memory.
    pub fn heap_bytes(&self) -> usize {
        self.points.capacity() * POINT_BYTES
    }

    /// The field's number after event `index` (`None`: no number there, or past the end).
    pub fn value_after(&self, index: u64) -> Option<f64> {
        if index >= self.len {
            return None;
        }
        let at = self.points.partition_point(|p| p.index <= index);
        let point = self.points.get(at.checked_sub(1)?)?;
        (!point.value.is_nan()).then_some(point.value)
    }

    /// The lowest and highest number of the field over the stream.
    pub fn bounds(&self) -> Option<(f64, f64)> {
        self.bounds
    }

    /// The field drawn as steps over events `from..=to` (x: the event index, y: the value) in at most
    /// about four points per column of `columns`: where more points fall in a column, its first, lowest,
    /// highest and last stand for them. A gap (no number) ends a run: the line is split there, which the
    /// returned runs say.
    pub fn columns(&self, from: f64, to: f64, columns: usize) -> Vec<Vec<[f64; 2]>> {
        let mut runs: Vec<Vec<[f64; 2]>> = Vec::new();
        if self.points.is_empty() || from.is_nan() || to.is_nan() || to < from {
            return runs;
        }
        let last_index = self.len.saturating_sub(1) as f64;
        let from = from.max(0.0);
        let to = to.min(last_index);
        if to < from {
            return runs;
        }
        let width = ((to - from) / columns.max(1) as f64).max(1.0);
        // The point in force at `from`, then every point up to `to`.
        let start = self
            .points
            .partition_point(|p| (p.index as f64) <= from)
            .saturating_sub(1);
        let end = self.points.partition_point(|p| (p.index as f64) <= to);
        let mut run: Vec<[f64; 2]> = Vec::new();
        let mut column: Option<(i64, Bucket)> = None;
        let mut held: Option<f64> = None;
        let slice = self.points.get(start..end).unwrap_or_default();
        for &point in slice {
            let x = (point.index as f64).max(from);
            #[expect(clippy::cast_possible_truncation)] // a column number of a drawn chart
            let number = ((x - from) / width).floor() as i64;
            match &mut column {
                Some((n, bucket)) if *n == number => bucket.add(point),
                _ => {
                    if let Some((_, bucket)) = column.take() {
                        emit(bucket, from, &mut held, &mut run, &mut runs);
                    }
                    column = Some((number, Bucket::new(0, point)));
                }
            }
        }
        if let Some((_, bucket)) = column.take() {
            emit(bucket, from, &mut held, &mut run, &mut runs);
        }
        if let Some(value) = held
            && run.last().is_some_and(|last| last[0] < to)
        {
            run.push([to, value]);
        }
        if !run.is_empty() {
            runs.push(run);
        }
        runs
    }

    /// Take the value after the next event.
    fn observe(&mut self, value: Option<f64>) {
        let index = self.len;
        self.len += 1;
        if let Some(v) = value {
            self.bounds = Some(
                self.bounds
                    .map_or((v, v), |(low, high)| (low.min(v), high.max(v))),
            );
        }
        let value = value.unwrap_or(f64::NAN);
        let unchanged = |previous: f64| previous == value || (previous.is_nan() && value.is_nan());
        let point = Point { index, value };
        if self.bucket == 1 {
            if self.points.last().is_some_and(|p| unchanged(p.value)) {
                return;
            }
            self.points.push(point);
            if self.points.len() > self.max_points {
                self.thin();
            }
            return;
        }
        let number = index / self.bucket;
        match &mut self.open {
            Some(bucket) if bucket.number == number => {
                if !unchanged(bucket.last.value) {
                    bucket.add(point);
                }
            }
            open => {
                let held = open.as_ref().map(|b| b.last.value);
                if let Some(bucket) = open.take() {
                    bucket.flush(&mut self.points);
                }
                if held.is_some_and(unchanged) {
                    return;
                }
                *open = Some(Bucket::new(number, point));
                if self.points.len() > self.max_points {
                    self.thin();
                }
            }
        }
    }

    /// Double the bucket width until the points fit in half the budget.
    fn thin(&mut self) {
        if let Some(bucket) = self.open.take() {
            bucket.flush(&mut self.points);
        }
        while self.points.len() > self.max_points / 2 {
            self.bucket = self.bucket.saturating_mul(2);
            let mut thinned = Vec::with_capacity(self.points.len() / 2);
            let mut open: Option<Bucket> = None;
            for &point in &self.points {
                let number = point.index / self.bucket;
                match &mut open {
                    Some(bucket) if bucket.number == number => bucket.add(point),
                    _ => {
                        if let Some(bucket) = open.take() {
                            bucket.flush(&mut thinned);
                        }
                        open = Some(Bucket::new(number, point));
                    }
                }
            }
            // The last bucket stays open: later events may fall in it.
            self.open = open;
            self.points = thinned;
            if self.bucket == u64::MAX {
                break;
            }
        }
    }

    /// Close the bucket being filled.
    fn close(&mut self) {
        if let Some(bucket) = self.open.take() {
            bucket.flush(&mut self.points);
        }
        self.points.shrink_to_fit();
    }
}

/// Add a column's points to the runs being drawn: a step to each value, a run ended at a gap.
fn emit(
    bucket: Bucket,
    from: f64,
    held: &mut Option<f64>,
    run: &mut Vec<[f64; 2]>,
    runs: &mut Vec<Vec<[f64; 2]>>,
) {
    let mut points = Vec::with_capacity(4);
    bucket.flush(&mut points);
    for point in points {
        let x = (point.index as f64).max(from);
        if let Some(previous) = *held {
            run.push([x, previous]);
        }
        if point.value.is_nan() {
            if !run.is_empty() {
                runs.push(std::mem::take(run));
            }
            *held = None;
        } else {
            run.push([x, point.value]);
            *held = Some(point.value);
        }
    }
}

/// Collects the series of several fields as a stream is replayed, within `budget_bytes` in all.
pub struct SeriesBuilder {
    series: Vec<Series>,
}

impl SeriesBuilder {
    /// A series for each JSON Pointer of `paths`, sharing `budget_bytes`.
    pub fn new(paths: &[String], budget_bytes: usize) -> Self {
        let each = budget_bytes / paths.len().max(1) / POINT_BYTES;
        Self {
            series: paths.iter().map(|p| Series::new(p.clone(), each)).collect(),
        }
    }

    /// The paths, in order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.series.iter().map(Series::path)
    }

    /// Take `state`, the state after the next event.
    pub fn observe(&mut self, state: &Value) {
        for series in &mut self.series {
            let value = state.pointer(&series.path).and_then(numeric);
            series.observe(value);
        }
    }

    /// Take the state after the next event as `pointer` reads it (the value at a JSON Pointer), for a
    /// fold that answers one field without converting its whole state.
    pub fn observe_with(&mut self, mut pointer: impl FnMut(&str) -> Option<Value>) {
        for series in &mut self.series {
            let value = pointer(&series.path).as_ref().and_then(numeric);
            series.observe(value);
        }
    }

    /// The series, one per path in order.
    pub fn finish(self) -> Vec<Series> {
        let mut series = self.series;
        for one in &mut series {
            one.close();
        }
        series
    }
}

/// The series of the fields at `paths` over `events` replayed with `reducer`, read one at a time.
pub fn series_in<B, E>(
    reducer: &dyn Reducer,
    stream_type: Option<&str>,
    events: impl IntoIterator<Item = Result<B, E>>,
    paths: &[String],
    budget_bytes: usize,
) -> Result<Vec<Series>, E>
where
    B: Borrow<Event>,
    E: From<ReplayError>,
{
    let mut fold = reducer.fold(reducer.initial(stream_type));
    let mut builder = SeriesBuilder::new(paths, budget_bytes);
    for (index, event) in events.into_iter().enumerate() {
        let event = event?;
        fold_event(fold.as_mut(), event.borrow(), index)?;
        builder.observe_with(|path| fold.pointer(path));
    }
    Ok(builder.finish())
}

#[cfg(test)]
mod tests;
