//! The layouts real event-sourcing libraries write, recognised by their schema: Python's `eventsourcing`
//! (its SQLite module and eventsourcing-sqlalchemy), Event Sourcery (SQLAlchemy and Django backends),
//! cqrs-es with sqlite-es, and Emmett. Each preset is a [`Mapping`] (or several, one per application).

use rusqlite::Connection;

use crate::core::layout::{DetectError, Mapping, TableInfo, tables};

/// The preset mappings for this file, if its schema is a known library's.
pub fn detect(conn: &Connection) -> Result<Option<Vec<Mapping>>, DetectError> {
    let tables = tables(conn)?;
    let _ = &tables;
    Ok(None)
}

#[expect(dead_code, reason = "used by the presets as they land")]
fn has_columns(table: &TableInfo, columns: &[&str]) -> bool {
    columns.iter().all(|want| {
        table
            .columns
            .iter()
            .any(|c| c.name.eq_ignore_ascii_case(want))
    })
}
