//! Roles found by what the columns hold, for the tables whose names do not say: a text column of few
//! repeated happening-like names is the type, a column of plausible times the time, a column of ids grouping
//! rows into runs the stream, and when there is no payload, the remaining columns the event's data; and the
//! table itself when no table's names say events. These rules only fill roles names, presets and payload
//! keys left empty, every sampled value must fit, and each guess is kept in the mapping with its reason (the
//! payload and metadata columns by content are in `json_columns`).

use std::collections::BTreeSet;

use chrono::Datelike;

use super::*;
use crate::core::decode::cell::Datum;
use crate::core::decode::times::parse_time_sql;
use crate::core::layout::guess::{Confidence, GuessedRole, RoleGuess};

/// How many rows of each column the content rules look at.
const SAMPLE_ROWS: usize = 200;

/// The most columns of a table the content rules sample (wider tables are not event logs read by content).
const MAX_COLUMNS: usize = 64;

/// Column names that say a column holds a happening's name without being one of [`TYPE_NAMES`].
const TYPE_HINTS: &[&str] = &[
    "kind",
    "verb",
    "action",
    "op",
    "operation",
    "what",
    "activity",
    "step",
    "phase",
    "command",
    "change",
    "status",
    "transition",
    "signal",
    "happening",
    "act",
];

/// Words in a column name that say it groups rows (a session, a run, a device).
const STREAM_HINTS: &[&str] = &[
    "session",
    "run",
    "game",
    "match",
    "job",
    "device",
    "player",
    "conversation",
    "thread",
    "chat",
    "ticket",
    "order",
    "account",
    "task",
    "build",
    "pipeline",
    "agent",
    "room",
    "channel",
    "trace",
    "batch",
    "node",
    "host",
    "sensor",
    "machine",
    "vehicle",
    "delivery",
    "hook",
    "webhook",
    "subject",
    "target",
    "resource",
    "entity",
    "key",
    "workflow",
];

/// One column's sampled values (NULLs counted apart).
pub(super) struct Profile<'a> {
    pub(super) column: &'a ColumnInfo,
    pub(super) values: Vec<Datum>,
}

impl Profile<'_> {
    pub(super) fn name(&self) -> &str {
        &self.column.name
    }

    fn texts(&self) -> Option<Vec<&str>> {
        self.values
            .iter()
            .map(|v| match v {
                Datum::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }

    fn distinct(&self) -> usize {
        self.values
            .iter()
            .map(|v| format!("{v:?}"))
            .collect::<BTreeSet<_>>()
            .len()
    }
}

/// Whether `name` (split at `_`, `-` and case changes) has one of `words` as a word.
pub(super) fn has_word(name: &str, words: &[&str]) -> bool {
    let mut spaced = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            spaced.push(' ');
        }
        previous_lower = c.is_ascii_lowercase();
        spaced.push(if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            ' '
        });
    }
    spaced.split_whitespace().any(|word| words.contains(&word))
}

pub(super) fn sample_profiles<'a>(
    catalog: &mut dyn Catalog,
    table: &'a TableInfo,
    taken: &[&str],
) -> Result<Vec<Profile<'a>>, CatalogError> {
    let mut profiles = Vec::new();
    for column in table.columns.iter().take(MAX_COLUMNS) {
        if taken.contains(&column.name.as_str()) {
            continue;
        }
        let values: Vec<Datum> = catalog
            .sample(&table.name, &column.name, SAMPLE_ROWS)?
            .into_iter()
            .filter(|v| !matches!(v, Datum::Null))
            .collect();
        profiles.push(Profile { column, values });
    }
    Ok(profiles)
}

/// The columns a mapping gives a role to by name (plain columns only).
pub(super) fn taken_columns(mapping: &Mapping) -> Vec<&str> {
    let mut taken: Vec<&str> = std::iter::once(&mapping.position)
        .chain(&mapping.stream)
        .chain(
            [
                &mapping.stream_type,
                &mapping.stream_name,
                &mapping.tenant,
                &mapping.version,
                &mapping.event_type,
                &mapping.time,
                &mapping.id,
                &mapping.correlation,
                &mapping.causation,
            ]
            .into_iter()
            .flatten(),
        )
        .filter_map(|s| match s {
            Source::Column(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    taken.extend(mapping.data.as_deref());
    taken.extend(mapping.metadata.as_deref());
    taken.extend(mapping.data_columns.iter().map(String::as_str));
    taken
}

/// Whether a text value reads like the name of a happening: starts with a letter, identifier characters
/// only (`_ . : - /` allowed), at most 64 of them.
fn happening_like(text: &str) -> bool {
    text.len() <= 64
        && text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.:-/".contains(c))
}

/// Whether values differ only in their (hex) digits (`task-1`, `task-2`, UUIDs): ids, not names.
fn differ_only_in_digits(texts: &[&str]) -> bool {
    let stripped: BTreeSet<String> = texts
        .iter()
        .map(|t| t.chars().filter(|c| !c.is_ascii_hexdigit()).collect())
        .collect();
    stripped.len() == 1 && texts.iter().any(|t| t.chars().any(|c| c.is_ascii_digit()))
}

/// Whether every sampled value is a time in 2000–2100 (calendar text, Unix seconds or milliseconds).
fn all_times(profile: &Profile<'_>) -> bool {
    !profile.values.is_empty()
        && profile.values.iter().all(|v| {
            parse_time_sql(v.cell()).is_some_and(|t| (2000..2100).contains(&t.year()))
                && match v {
                    // Seconds or milliseconds only: micro- and nanoseconds in an integer are rare enough
                    // that a big counter is likelier.
                    Datum::Integer(n) => (946_684_800..4_102_444_800_000).contains(n),
                    Datum::Text(t) => !t.trim().bytes().all(|b| b.is_ascii_digit() || b == b'.'),
                    _ => true,
                }
        })
}

/// Type, time and stream by content, for the roles names and payload keys left empty. On a table whose
/// names already made it the event table (`named`), a stream is taken only with high confidence: without
/// one, such a table has always been read as one log, and only a clear grouping changes that.
pub(super) fn roles_by_content(
    catalog: &mut dyn Catalog,
    table: &TableInfo,
    mapping: &mut Mapping,
    named: bool,
) -> Result<(), CatalogError> {
    let need_type = mapping.event_type.is_none();
    let need_time = mapping.time.is_none();
    let need_stream = mapping.stream.is_empty();
    if !(need_type || need_time || need_stream) {
        return Ok(());
    }
    let taken: Vec<String> = taken_columns(mapping)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let taken: Vec<&str> = taken.iter().map(String::as_str).collect();
    let profiles = sample_profiles(catalog, table, &taken)?;
    let mut used: Vec<&str> = Vec::new();
    if need_time && let Some((profile, guess)) = time_by_content(&profiles) {
        used.push(profile.name());
        mapping.time = Some(Source::Column(profile.name().to_owned()));
        mapping.guesses.push(guess);
    }
    if need_type && let Some((profile, guess)) = type_by_content(&profiles, &used) {
        used.push(profile.name());
        mapping.event_type = Some(Source::Column(profile.name().to_owned()));
        mapping.guesses.push(guess);
    }
    if need_stream
        && let Some((profile, guess)) = stream_by_content(&profiles, &used)
        && (!named || guess.confidence == Confidence::High)
    {
        mapping.stream = vec![Source::Column(profile.name().to_owned())];
        mapping.guesses.push(guess);
    }
    Ok(())
}

fn time_by_content<'p, 'a>(profiles: &'p [Profile<'a>]) -> Option<(&'p Profile<'a>, RoleGuess)> {
    // Calendar text first, then a column declared as a time, then Unix numbers.
    let kind = |p: &Profile<'_>| {
        let decl = p.column.decl_type.to_ascii_uppercase();
        if p.values.iter().all(|v| matches!(v, Datum::Text(_))) {
            (3, "every sampled value is a date and time in 2000–2100")
        } else if decl.contains("TIME") || decl.contains("DATE") {
            (
                2,
                "declared as a time, every sampled value one in 2000–2100",
            )
        } else {
            (
                1,
                "every sampled value is Unix seconds or milliseconds in 2000–2100",
            )
        }
    };
    let profile = profiles
        .iter()
        .filter(|p| all_times(p))
        .max_by_key(|p| (kind(p).0, std::cmp::Reverse(p.column.name.clone())))?;
    let (rank, reason) = kind(profile);
    let confidence = match (rank, profile.values.len()) {
        (_, 0..=2) | (1, _) => Confidence::Medium,
        _ => Confidence::High,
    };
    let guess = RoleGuess::new(
        GuessedRole::Time,
        profile.name(),
        format!("{reason} ({} rows)", profile.values.len()),
        confidence,
    );
    Some((profile, guess))
}

fn type_by_content<'p, 'a>(
    profiles: &'p [Profile<'a>],
    used: &[&str],
) -> Option<(&'p Profile<'a>, RoleGuess)> {
    let fits = |p: &Profile<'_>| -> Option<usize> {
        let texts = p.texts()?;
        let n = texts.len();
        let distinct = p.distinct();
        let ok = n >= 4
            && (2..=40).contains(&distinct)
            && distinct * 2 <= n
            && texts.iter().all(|t| happening_like(t))
            && !differ_only_in_digits(&texts)
            && !used.contains(&p.name());
        ok.then_some(distinct)
    };
    let (profile, distinct) = profiles
        .iter()
        .filter_map(|p| fits(p).map(|d| (p, d)))
        .max_by_key(|(p, d)| {
            (
                has_word(p.name(), TYPE_HINTS),
                std::cmp::Reverse(*d),
                std::cmp::Reverse(p.column.name.clone()),
            )
        })?;
    let rows = profile.values.len();
    let (note, confidence) = if has_word(profile.name(), TYPE_HINTS) {
        (", and a name for what happened", Confidence::High)
    } else {
        ("", Confidence::Medium)
    };
    let reason =
        format!("few distinct, repeated, identifier-like values ({distinct} in {rows} rows){note}");
    let guess = RoleGuess::new(GuessedRole::Type, profile.name(), reason, confidence);
    Some((profile, guess))
}

fn stream_by_content<'p, 'a>(
    profiles: &'p [Profile<'a>],
    used: &[&str],
) -> Option<(&'p Profile<'a>, RoleGuess)> {
    // How many runs of equal values follow one another in the sample.
    let runs = |p: &Profile<'_>| {
        p.values
            .windows(2)
            .filter(|w| match w {
                [a, b] => a != b,
                _ => false,
            })
            .count()
            + 1
    };
    let fits = |p: &Profile<'_>| -> Option<(bool, bool, usize)> {
        if used.contains(&p.name()) || all_times(p) {
            return None;
        }
        let hinted = has_word(p.name(), STREAM_HINTS);
        let id_like = match p.texts() {
            Some(texts) => {
                differ_only_in_digits(&texts)
                    || texts.iter().all(|t| {
                        t.len() >= 2
                            && t.chars().any(|c| c.is_ascii_digit())
                            && t.chars()
                                .all(|c| c.is_ascii_alphanumeric() || "_-:.".contains(c))
                    })
            }
            None => {
                hinted
                    && p.values
                        .iter()
                        .all(|v| matches!(v, Datum::Integer(n) if *n >= 0))
            }
        };
        let n = p.values.len();
        let distinct = p.distinct();
        (id_like && n >= 2 && distinct >= 2 && distinct * 2 <= n).then_some((
            hinted,
            runs(p) == distinct,
            distinct,
        ))
    };
    let (profile, (hinted, contiguous, distinct)) = profiles
        .iter()
        .filter_map(|p| fits(p).map(|f| (p, f)))
        .max_by_key(|(p, (hinted, contiguous, distinct))| {
            (
                *hinted,
                *contiguous,
                *distinct,
                std::cmp::Reverse(p.column.name.clone()),
            )
        })?;
    let rows = profile.values.len();
    let together = if contiguous {
        ", each run together"
    } else {
        ""
    };
    let named = if hinted { ", a name for a group" } else { "" };
    let confidence = match (hinted, contiguous) {
        (true, true) => Confidence::High,
        (true, false) | (false, true) => Confidence::Medium,
        (false, false) => Confidence::Low,
    };
    let reason = format!(
        "ids that group the rows into {distinct} runs of related events ({rows} rows{together}{named})"
    );
    let guess = RoleGuess::new(GuessedRole::Stream, profile.name(), reason, confidence);
    Some((profile, guess))
}

/// Without a payload column, the columns no role took are the event's data, one object of name to value.
pub(super) fn data_columns_by_content(table: &TableInfo, mapping: &mut Mapping) {
    if mapping.data.is_some() || !mapping.data_columns.is_empty() {
        return;
    }
    let taken = taken_columns(mapping);
    let rest: Vec<String> = table
        .columns
        .iter()
        .map(|c| c.name.clone())
        .filter(|name| !taken.contains(&name.as_str()))
        .collect();
    if rest.is_empty() {
        return;
    }
    mapping.guesses.push(RoleGuess::new(
        GuessedRole::Data,
        &rest.join(", "),
        "no payload column: the columns no role took are the event's data".to_owned(),
        Confidence::Medium,
    ));
    mapping.data_columns = rest;
}

/// A table whose names did not make it an event table, chosen by content: it has times, and a type, a
/// payload or a stream beside them. The one with the most such roles wins (then the first by name).
pub(super) fn table_by_content(
    catalog: &mut dyn Catalog,
    tables: &[TableInfo],
) -> Result<Option<Mapping>, CatalogError> {
    let mut best: Option<(usize, Mapping)> = None;
    for table in tables {
        let lower = table.name.to_ascii_lowercase();
        if ["snapshot", "outbox", "migration", "projection", "cursor"]
            .iter()
            .any(|w| lower.contains(w))
        {
            continue;
        }
        let mut mapping = map_columns(table);
        // Nothing to order its events by (see `DetectError::NoPosition`).
        if table.without_rowid && mapping.position == Source::Rowid {
            continue;
        }
        super::json_columns::payload_by_content(catalog, table, &mut mapping)?;
        roles_by_content(catalog, table, &mut mapping, false)?;
        let roles = [
            mapping.data.is_some(),
            mapping.event_type.is_some(),
            !mapping.stream.is_empty(),
        ]
        .into_iter()
        .filter(|r| *r)
        .count();
        if mapping.time.is_none() || roles == 0 {
            continue;
        }
        if best.as_ref().is_none_or(|(score, _)| roles > *score) {
            best = Some((roles, mapping));
        }
    }
    Ok(best.map(|(_, m)| m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_names_are_split_at_underscores_and_case_changes() {
        assert!(has_word("userAction", TYPE_HINTS));
        assert!(has_word("run_no", STREAM_HINTS));
        assert!(!has_word("running", STREAM_HINTS));
    }

    #[test]
    fn ids_differ_only_in_digits_and_names_do_not() {
        assert!(differ_only_in_digits(&["task-1", "task-22"]));
        assert!(!differ_only_in_digits(&["created", "deleted"]));
        assert!(happening_like("order.shipped"));
        assert!(!happening_like("two words"));
    }
}
