//! One value as a database hands it over, whichever database it is: the seam between the stores (SQLite
//! today, PostgreSQL next) and everything that decodes what they read (payload codecs, times, stream ids).
//!
//! The decoders take a [`Cell`], not a driver's own type, so they never learn which database a value came
//! from. A backend turns its column value into a `Cell` without copying: text and bytes stay borrowed from
//! the row.

/// A borrowed column value: SQLite's five storage classes, which every other database's values map onto
/// (a PostgreSQL `jsonb` or `timestamptz` arrives as text, a `bytea` as bytes, a `uuid` as its 16 bytes).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<'a> {
    Null,
    Integer(i64),
    Real(f64),
    /// Text as stored: meant to be UTF-8, not checked.
    Text(&'a [u8]),
    Blob(&'a [u8]),
}

impl<'a> Cell<'a> {
    /// The stored bytes of text or a blob.
    pub fn bytes(self) -> Option<&'a [u8]> {
        match self {
            Self::Text(bytes) | Self::Blob(bytes) => Some(bytes),
            Self::Null | Self::Integer(_) | Self::Real(_) => None,
        }
    }
}

/// A column value owned, for a backend whose rows cannot lend their bytes in this shape (PostgreSQL's
/// timestamps and `jsonb` are converted on the way in).
#[derive(Clone, Debug, PartialEq)]
pub enum Datum {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Datum {
    /// The value borrowed as a [`Cell`].
    pub fn cell(&self) -> Cell<'_> {
        match self {
            Self::Null => Cell::Null,
            Self::Integer(n) => Cell::Integer(*n),
            Self::Real(f) => Cell::Real(*f),
            Self::Text(text) => Cell::Text(text.as_bytes()),
            Self::Blob(bytes) => Cell::Blob(bytes),
        }
    }
}

impl<'a> From<rusqlite::types::ValueRef<'a>> for Cell<'a> {
    fn from(value: rusqlite::types::ValueRef<'a>) -> Self {
        use rusqlite::types::ValueRef;
        match value {
            ValueRef::Null => Self::Null,
            ValueRef::Integer(n) => Self::Integer(n),
            ValueRef::Real(f) => Self::Real(f),
            ValueRef::Text(bytes) => Self::Text(bytes),
            ValueRef::Blob(bytes) => Self::Blob(bytes),
        }
    }
}

impl<'a> From<&'a rusqlite::types::Value> for Cell<'a> {
    fn from(value: &'a rusqlite::types::Value) -> Self {
        rusqlite::types::ValueRef::from(value).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::types::{Value, ValueRef};

    #[test]
    fn every_sqlite_storage_class_maps_to_its_cell() {
        assert_eq!(Cell::from(ValueRef::Null), Cell::Null);
        assert_eq!(Cell::from(ValueRef::Integer(-7)), Cell::Integer(-7));
        assert_eq!(Cell::from(ValueRef::Real(1.5)), Cell::Real(1.5));
        assert_eq!(Cell::from(ValueRef::Text(b"a")), Cell::Text(b"a"));
        assert_eq!(Cell::from(&Value::Blob(vec![0, 1])), Cell::Blob(&[0, 1]));
        assert_eq!(Cell::Text(b"x").bytes(), Some(&b"x"[..]));
        assert_eq!(Cell::Integer(1).bytes(), None);
    }
}
