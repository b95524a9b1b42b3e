//! The chart of numeric state fields: which fields are charted (they stay charted from stream to stream,
//! so an account's balance can be compared across accounts) and their series for the stream shown, read
//! again by the worker whenever the fields, the stream or the reducers change.

use std::sync::Arc;

use crate::core::replay::series::Series;
use crate::session::Problem;

/// At most this many fields on one chart: more lines than colours a reader tells apart.
pub const MAX_FIELDS: usize = 8;

/// The series of the charted fields (one per path, in order), or why they could not be read.
pub type ChartSeries = Result<Arc<[Series]>, Problem>;

/// The charted fields and their series.
#[derive(Debug, Default)]
pub struct ChartView {
    paths: Vec<String>,
    /// The series of the loaded stream `serial`, one per path in order; `None` while being read.
    series: Option<(u64, ChartSeries)>,
}

impl ChartView {
    /// The JSON Pointers charted, in the order they were added.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// The series (one per path, in order) of the loaded stream with that serial, or why they could not be
    /// read; `None` while they are being read.
    pub fn series(&self) -> Option<(u64, &ChartSeries)> {
        self.series
            .as_ref()
            .map(|(serial, result)| (*serial, result))
    }

    /// Chart `path` too; false when it already is, or the chart is full.
    pub(super) fn add(&mut self, path: String) -> Result<bool, Problem> {
        if self.paths.contains(&path) {
            return Ok(false);
        }
        if !path.is_empty() && !path.starts_with('/') {
            return Err(format!(
                "cannot chart {path:?}: a field is named by a JSON Pointer starting with /, such as /{path}"
            )
            .into());
        }
        if self.paths.len() >= MAX_FIELDS {
            return Err(format!(
                "the chart already shows {MAX_FIELDS} fields: remove one before charting {path}"
            )
            .into());
        }
        self.paths.push(path);
        Ok(true)
    }

    /// Stop charting `path`; true when it was charted.
    pub(super) fn remove(&mut self, path: &str) -> bool {
        let before = self.paths.len();
        self.paths.retain(|p| p != path);
        self.paths.len() != before
    }

    /// The series are being read again.
    pub(super) fn reading(&mut self) {
        self.series = None;
    }

    /// The worker's answer, kept when it is for `paths` as charted now.
    pub(super) fn answered(&mut self, serial: u64, paths: &[String], result: ChartSeries) {
        if paths == self.paths.as_slice() {
            self.series = Some((serial, result));
        }
    }

    /// Reading the series failed (the job panicked).
    pub(super) fn failed(&mut self, problem: Problem) {
        self.series = Some((0, Err(problem)));
    }
}
