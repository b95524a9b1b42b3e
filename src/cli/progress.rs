//! Progress bars on stderr for the long commands (listing a big store, `verify`, `search`, `export`,
//! `report`): rate and time left while a person watches, nothing at all when stderr is not a terminal, so
//! scripts and logs read exactly what they read before. Core reports progress through plain callbacks; only the command line
//! knows of `indicatif`.

use std::io::IsTerminal as _;

use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// A bar (known total) or a spinner (unknown total) on stderr, hidden unless stderr is a terminal.
pub(super) struct Progress {
    bar: ProgressBar,
    unit: String,
}

impl Progress {
    /// A bar for `what` counting `unit`s; `total` of `None` gives a spinner with the count and rate.
    pub(super) fn new(what: &str, unit: &str, total: Option<u64>) -> Self {
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(total, target)
            .with_style(style(unit, total.is_some()))
            .with_message(what.to_owned());
        Self {
            bar,
            unit: unit.to_owned(),
        }
    }

    /// What the bar counts.
    pub(super) fn unit(&self) -> &str {
        &self.unit
    }

    /// `done` of `total` (a total learnt on the way replaces the first).
    pub(super) fn set(&self, done: u64, total: u64) {
        if self.bar.length() != Some(total) {
            self.bar.set_length(total);
        }
        self.bar.set_position(done);
    }

    /// Count `unit`s from now on (a pass that counts something else than the one before).
    pub(super) fn set_unit(&mut self, unit: &str) {
        if self.unit != unit {
            self.bar.set_style(style(unit, self.bar.length().is_some()));
            self.unit = unit.to_owned();
        }
    }

    /// One more unit done.
    pub(super) fn inc(&self) {
        self.bar.inc(1);
    }

    /// Rename what is being done (`verify`'s passes).
    pub(super) fn phase(&self, what: &str) {
        self.bar.set_message(what.to_owned());
    }
}

/// A bar's look: counted in `unit`s, with a bar when the total is known, a spinner when not.
fn style(unit: &str, bar: bool) -> ProgressStyle {
    let template = if bar {
        format!("{{msg}} [{{bar:30}}] {{human_pos}}/{{human_len}} {unit} ({{rate}}, {{eta}} left)")
    } else {
        format!("{{spinner}} {{msg}} {{human_pos}} {unit} ({{rate}})")
    };
    ProgressStyle::with_template(&template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key(
            "rate",
            |state: &ProgressState, out: &mut dyn std::fmt::Write| {
                // A whole number per second, grouped: indicatif's own shows four decimals.
                let _ = write!(out, "{}/s", HumanCount(state.per_sec().round() as u64));
            },
        )
        .progress_chars("=> ")
}

impl Drop for Progress {
    /// The bar leaves no line behind: the output on stdout is what stays.
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_takes_totals_learnt_on_the_way() {
        let progress = Progress::new("verify", "rows", Some(10));
        progress.set(5, 20);
        assert_eq!(progress.bar.length(), Some(20));
        assert_eq!(progress.bar.position(), 5);
        progress.inc();
        assert_eq!(progress.bar.position(), 6);
        let mut progress = progress;
        progress.set_unit("steps");
        assert_eq!(progress.unit(), "steps");
        assert_eq!(progress.bar.position(), 6);
    }
}
