//! Stream ids as `streams` lists them and as the user types them: the SQL condition selecting a stream in
//! each stored form of its id, composite ids of several key parts, categories by naming convention, and the
//! human order of ids.

use super::*;

/// The SQL condition selecting stream `id` in `source`, with its parameters; `None` when the id cannot be
/// one of this source's streams.
pub(super) fn stream_condition(source: &Source, id: &str) -> Option<(String, Vec<SqlValue>)> {
    let m = &source.mapping;
    if m.stream.is_empty() {
        return (id == m.single_stream_id()).then(|| ("1".to_owned(), Vec::new()));
    }
    let pieces = split_composite(id, m.stream.len())?;
    let mut conds = Vec::with_capacity(pieces.len());
    let mut params = Vec::new();
    for (part, piece) in m.stream.iter().zip(pieces) {
        let (marks, candidates) = candidate_marks(&stream_key_candidates(piece));
        conds.push(format!("{} IN ({marks})", source.sql(part)));
        params.extend(candidates);
    }
    Some((conds.join(" AND "), params))
}

/// The readable id of a composite key: its parts joined by `/`, leading empty parts left out (an Event
/// Sourcery stream in the default tenant and no category is just its uuid).
pub(super) fn composite_id(parts: &[String]) -> String {
    let first = parts
        .iter()
        .position(|p| !p.is_empty())
        .unwrap_or(parts.len().saturating_sub(1));
    parts.get(first..).unwrap_or_default().join("/")
}

/// The parts of a composite id, padded at the front with the empty parts [`composite_id`] left out.
pub(super) fn split_composite(id: &str, parts: usize) -> Option<Vec<&str>> {
    if parts <= 1 {
        return Some(vec![id]);
    }
    let mut pieces: Vec<&str> = id.rsplitn(parts, '/').collect();
    pieces.reverse();
    if pieces.iter().any(|p| p.is_empty()) && pieces.len() < parts {
        return None;
    }
    let mut out = vec![""; parts - pieces.len()];
    out.extend(pieces);
    Some(out)
}

/// The id `streams` lists for a stream the user may have typed another way (a UUID in upper case or without
/// dashes), part by part for composite ids of `parts` parts.
pub(super) fn canonical_id(id: &str, parts: usize) -> String {
    let canonical = |piece: &str| {
        crate::core::decode::parse_uuid(piece).map_or_else(
            || piece.to_owned(),
            |u| crate::core::decode::format_uuid(&u),
        )
    };
    if parts <= 1 {
        return canonical(id);
    }
    id.splitn(parts, '/')
        .map(canonical)
        .collect::<Vec<_>>()
        .join("/")
}

/// The category of a stream named by convention `category-rest` (not a UUID).
pub fn category_of(id: &str) -> Option<String> {
    if crate::core::decode::parse_uuid(id).is_some() {
        return None;
    }
    let (prefix, rest) = id.split_once('-')?;
    // Message DB's categories may carry type qualifiers after a colon (`account:command-123`).
    (!prefix.is_empty()
        && !rest.is_empty()
        && prefix.starts_with(|c: char| c.is_alphabetic() || c == '_')
        && prefix
            .chars()
            .all(|c| c.is_alphabetic() || c == '_' || c == ':'))
    .then(|| prefix.to_owned())
}

/// Stream ids in a human order: numbers numerically, then text.
pub fn compare_ids(a: &str, b: &str) -> Ordering {
    match (a.parse::<i64>(), b.parse::<i64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_comes_from_the_stream_name_convention() {
        assert_eq!(category_of("order-17").as_deref(), Some("order"));
        assert_eq!(
            category_of("account:command-17").as_deref(),
            Some("account:command")
        );
        assert_eq!(category_of(":x-17"), None);
        assert_eq!(category_of("0f8fad5b-d9cb-469f-a165-70867728950e"), None);
        assert_eq!(category_of("17"), None);
    }
}
