//! Which mappings a store opens with, on either database: the ones given (each checked against the
//! store's tables) or the ones detected, each with its codec's schema loaded once.

use std::path::Path;

use super::StoreError;
use crate::core::layout::{self, DetectError, Mapping};

/// The mappings given, each checked against the store's tables, or else the ones `detect` finds there.
pub(super) fn mappings_for<C: layout::Catalog>(
    given: Option<Vec<Mapping>>,
    schema: Option<&Path>,
    catalog: &mut C,
    path: &Path,
    detect: impl FnOnce(&mut C) -> Result<Vec<Mapping>, DetectError>,
) -> Result<Vec<Mapping>, StoreError> {
    let given_by_user = given.as_ref().is_some_and(|m| !m.is_empty());
    let mut mappings = mappings_given_or_detected(given, catalog, path, detect)?;
    // A relative schema path left (not from a mapping file) is the store's folder's.
    let base = path.parent().unwrap_or(Path::new(""));
    for mapping in &mut mappings {
        // Detection sampled the payloads: a schema is adopted only when they were not all JSON.
        let adopt = given_by_user || !mapping.format_guesses.is_empty();
        mapping
            .codec
            .load_schema(schema, base, adopt)
            .map_err(|source| StoreError::Schema {
                path: path.to_owned(),
                source,
            })?;
    }
    Ok(mappings)
}

/// The mappings given, checked against the store, or else the ones detected.
fn mappings_given_or_detected<C: layout::Catalog>(
    given: Option<Vec<Mapping>>,
    catalog: &mut C,
    path: &Path,
    detect: impl FnOnce(&mut C) -> Result<Vec<Mapping>, DetectError>,
) -> Result<Vec<Mapping>, StoreError> {
    match given {
        Some(mappings) if !mappings.is_empty() => {
            for mapping in &mappings {
                mapping
                    .validate(catalog)
                    .map_err(|message| StoreError::Mapping {
                        path: path.to_owned(),
                        message,
                    })?;
            }
            Ok(mappings)
        }
        _ => detect(catalog).map_err(|source| StoreError::Layout {
            path: path.to_owned(),
            source,
        }),
    }
}
