//! The session's status line: the background work under way (what, how far) and the last error, shown in
//! the window until dismissed. Kept apart so every place that starts, ends or fails work says so through
//! the same few methods.

/// Progress of background work.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub what: &'static str,
    pub done: u64,
    pub total: u64,
}

/// Background work under way and the last error.
pub(super) struct Status {
    progress: Option<Progress>,
    error: Option<String>,
}

impl Status {
    /// Work `what` has started (nothing counted yet).
    pub(super) fn starting(what: &'static str) -> Self {
        let mut status = Self {
            progress: None,
            error: None,
        };
        status.begin(what);
        status
    }

    /// Background work under way.
    pub(super) fn progress(&self) -> Option<&Progress> {
        self.progress.as_ref()
    }

    /// The last error, until dismissed.
    pub(super) fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Work `what` has started (nothing counted yet).
    pub(super) fn begin(&mut self, what: &'static str) {
        self.progress = Some(Progress {
            what,
            done: 0,
            total: 0,
        });
    }

    /// How far the work under way is.
    pub(super) fn set_progress(&mut self, progress: Progress) {
        self.progress = Some(progress);
    }

    /// No work is under way any more.
    pub(super) fn finish(&mut self) {
        self.progress = None;
    }

    /// Show `message` until dismissed (it replaces the error shown).
    pub(super) fn show_error(&mut self, message: String) {
        self.error = Some(message);
    }

    pub(super) fn dismiss_error(&mut self) {
        self.error = None;
    }
}
