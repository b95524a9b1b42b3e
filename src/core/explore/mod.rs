//! A store seen from above: its activity over time, stacked by stream or event type ([`overview`]), and the
//! events one business flow touched across streams ([`correlate`]).

pub mod correlate;
pub mod overview;
