//! Why detection gave a role to a column it chose by what the column holds rather than by its name: the rule
//! and how sure it is, kept in the mapping so `eventscope layout`, the title bar and the mapping editor show
//! it, and a wrong guess is seen before it misleads.

use serde::{Deserialize, Serialize};

use super::Mapping;

/// A role detection can find by content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GuessedRole {
    Stream,
    Type,
    Time,
    /// The payload column, or the data columns when there is none.
    Data,
    Metadata,
}

impl GuessedRole {
    /// The role's name as the mapping file spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Stream => "stream",
            Self::Type => "type",
            Self::Time => "time",
            Self::Data => "data",
            Self::Metadata => "metadata",
        }
    }
}

/// How sure a guess is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// The values fit, but so might another column's: check it.
    Low,
    /// The values fit well and no other column fitted as well.
    Medium,
    /// Every sampled value fits and the rule leaves little room for doubt.
    High,
}

impl Confidence {
    pub fn name(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

/// One role found by content: which, from which column(s), by which rule, how surely.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleGuess {
    pub role: GuessedRole,
    /// The column (or, for data columns, the columns joined by `, `) the role was given.
    pub column: String,
    /// The rule that chose it, as shown: `few distinct identifier-like values (4 in 60 rows)`.
    pub reason: String,
    pub confidence: Confidence,
}

impl RoleGuess {
    pub fn new(role: GuessedRole, column: &str, reason: String, confidence: Confidence) -> Self {
        Self {
            role,
            column: column.to_owned(),
            reason,
            confidence,
        }
    }

    /// `type = action: few distinct identifier-like values (4 in 60 rows), medium confidence`.
    pub fn describe(&self) -> String {
        format!(
            "{} = {}: {}, {} confidence",
            self.role.name(),
            self.column,
            self.reason,
            self.confidence.name()
        )
    }
}

impl Mapping {
    /// Every role found by content, described, joined by `; ` (`None` when names found them all).
    pub fn guess_reasons(&self) -> Option<String> {
        (!self.guesses.is_empty()).then(|| {
            self.guesses
                .iter()
                .map(RoleGuess::describe)
                .collect::<Vec<_>>()
                .join("; ")
        })
    }
}
