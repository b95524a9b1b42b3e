//! An error the window shows, with the jq budget limit behind it when there is one. A budget error says how
//! to raise the limit, and that depends on where it is shown: the command line names its flag, the window
//! its setting. So the session keeps the limit as a type beside the message, and the window adds the words.

use crate::core::audit::report::ReportError;
use crate::core::audit::search::SearchError;
use crate::core::replay::ReplayError;
use crate::core::replay::jq::{BudgetSetting, Limit};

/// A message for the user and, when a jq program went past its budget, which limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub limit: Option<Limit>,
}

impl Problem {
    /// The budget setting that would let the program go further, if raising one would.
    pub fn raised_by(&self) -> Option<BudgetSetting> {
        self.limit.and_then(Limit::setting)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<String> for Problem {
    fn from(message: String) -> Self {
        Self {
            message,
            limit: None,
        }
    }
}

impl From<&str> for Problem {
    fn from(message: &str) -> Self {
        Self::from(message.to_owned())
    }
}

impl From<&ReplayError> for Problem {
    fn from(err: &ReplayError) -> Self {
        Self {
            message: err.to_string(),
            limit: err.limit(),
        }
    }
}

impl From<ReplayError> for Problem {
    fn from(err: ReplayError) -> Self {
        Self::from(&err)
    }
}

impl From<SearchError> for Problem {
    fn from(err: SearchError) -> Self {
        Self {
            message: err.to_string(),
            limit: err.limit(),
        }
    }
}

impl From<ReportError> for Problem {
    fn from(err: ReportError) -> Self {
        Self {
            message: err.to_string(),
            limit: err.limit(),
        }
    }
}
