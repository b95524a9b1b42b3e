//! A walk over an Avro datum against its schema, building nothing, so that `apache-avro` is handed only a
//! datum known to be whole and small: every declared length fits the bytes left, the items of arrays and
//! maps number at most the bytes (plus a little for items that take no bytes, like nulls), nesting stays
//! within [`super::super::MAX_DEPTH`], the JSON it becomes within the payload cap ([`Tree`]), and nothing is cut short or
//! left over. The crate itself allocates a declared length (up to 512 MiB) before reading it, reads a
//! string or union cut short as a null, and recurses as deep as the bytes go.

use std::collections::{HashMap, HashSet};

use apache_avro::Schema;
use apache_avro::schema::{
    DecimalSchema, EnumSchema, FixedSchema, InnerDecimalSchema, Name, RecordSchema, UuidSchema,
};

use super::super::Error;
use super::super::render::Tree;

/// Items that take no bytes (nulls, empty records) allowed beyond one per byte of the datum.
const FREE_ITEMS: usize = 1024;

/// Check that `bytes` are exactly one datum of `schema` whose JSON `tree` has room for.
pub(super) fn check(schema: &Schema, bytes: &[u8], tree: &mut Tree) -> Result<(), Error> {
    let resolved =
        apache_avro::schema::ResolvedSchema::new(schema).map_err(|err| Error::Invalid {
            what: format!("a schema whose names do not resolve: {err}"),
            offset: 0,
        })?;
    let mut walk = Walk {
        bytes,
        at: 0,
        names: resolved.get_names(),
        items_left: bytes.len().saturating_add(FREE_ITEMS),
        tree,
    };
    stacker::maybe_grow(8 * 1024 * 1024, 64 * 1024 * 1024, || {
        walk.value(schema, None, 0)
    })?;
    match bytes.len() - walk.at {
        0 => Ok(()),
        left => Err(Error::Trailing {
            offset: walk.at,
            left,
        }),
    }
}

struct Walk<'a, 't> {
    bytes: &'a [u8],
    at: usize,
    names: &'a HashMap<Name, &'a Schema>,
    items_left: usize,
    tree: &'t mut Tree,
}

impl Walk<'_, '_> {
    fn left(&self) -> usize {
        self.bytes.len() - self.at
    }

    fn take(&mut self, n: usize, what: &'static str) -> Result<&[u8], Error> {
        let start = self.at;
        let end = start.checked_add(n).filter(|&end| end <= self.bytes.len());
        let Some(end) = end else {
            return Err(Error::Truncated {
                what,
                offset: start,
            });
        };
        self.at = end;
        Ok(&self.bytes[start..end])
    }

    /// A zigzag varint of at most 10 bytes.
    fn long(&mut self, what: &'static str) -> Result<i64, Error> {
        let start = self.at;
        let mut raw: u64 = 0;
        for shift in (0..70).step_by(7) {
            let [byte] = self.take(1, what)? else {
                return Err(Error::Truncated {
                    what,
                    offset: start,
                });
            };
            let byte = *byte;
            raw |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok((raw >> 1) as i64 ^ -((raw & 1) as i64));
            }
        }
        Err(Error::Invalid {
            what: format!("a {what} varint longer than 10 bytes"),
            offset: start,
        })
    }

    /// A length: not negative, and no more than the bytes left.
    fn length(&mut self, what: &'static str) -> Result<usize, Error> {
        let offset = self.at;
        let declared = self.long(what)?;
        let left = self.left();
        match usize::try_from(declared) {
            Ok(n) if n <= left => Ok(n),
            _ => Err(Error::TooLong {
                what,
                declared: declared.unsigned_abs(),
                unit: "bytes",
                offset,
                left,
            }),
        }
    }

    /// An array's or a map's next block count (0 at the end), its items charged to the datum's allowance.
    fn block(&mut self, what: &'static str) -> Result<usize, Error> {
        let offset = self.at;
        let declared = self.long(what)?;
        if declared < 0 {
            // A negative count is followed by the block's size in bytes.
            self.long(what)?;
        }
        let count = declared.unsigned_abs();
        match usize::try_from(count) {
            Ok(n) if n <= self.items_left => {
                self.items_left -= n;
                Ok(n)
            }
            _ => Err(Error::TooLong {
                what,
                declared: count,
                unit: "items",
                offset,
                left: self.left(),
            }),
        }
    }

    fn value(
        &mut self,
        schema: &Schema,
        namespace: Option<&str>,
        depth: usize,
    ) -> Result<(), Error> {
        let offset = self.at;
        match schema {
            Schema::Null => self.tree.charge(4),
            Schema::Boolean => match self.take(1, "boolean")? {
                [0 | 1] => self.tree.charge(5),
                _ => Err(Error::Invalid {
                    what: "a boolean that is neither 0 nor 1".to_owned(),
                    offset,
                }),
            },
            Schema::Int | Schema::Date | Schema::TimeMillis => {
                let n = self.long("int")?;
                if i32::try_from(n).is_err() {
                    return Err(Error::Invalid {
                        what: format!("int {n} out of range"),
                        offset,
                    });
                }
                self.tree.charge(12)
            }
            Schema::Long
            | Schema::TimeMicros
            | Schema::TimestampMillis
            | Schema::TimestampMicros
            | Schema::TimestampNanos
            | Schema::LocalTimestampMillis
            | Schema::LocalTimestampMicros
            | Schema::LocalTimestampNanos => {
                self.long("long")?;
                self.tree.charge(34)
            }
            Schema::Float => self.take(4, "float").map(drop).and(self.tree.charge(16)),
            Schema::Double => self.take(8, "double").map(drop).and(self.tree.charge(24)),
            Schema::String | Schema::Uuid(UuidSchema::String) => {
                let n = self.length("string")?;
                let at = self.at;
                if std::str::from_utf8(self.take(n, "string")?).is_err() {
                    return Err(Error::Invalid {
                        what: "a string that is not UTF-8".to_owned(),
                        offset: at,
                    });
                }
                self.tree.charge(n.saturating_add(2))
            }
            Schema::Bytes
            | Schema::BigDecimal
            | Schema::Uuid(UuidSchema::Bytes)
            | Schema::Decimal(DecimalSchema {
                inner: InnerDecimalSchema::Bytes,
                ..
            }) => {
                let n = self.length("bytes")?;
                self.take(n, "bytes")?;
                self.tree.enter(depth, offset)?;
                self.tree.charge(n.saturating_mul(2).saturating_add(14))
            }
            Schema::Fixed(FixedSchema { size, .. })
            | Schema::Duration(FixedSchema { size, .. })
            | Schema::Uuid(UuidSchema::Fixed(FixedSchema { size, .. }))
            | Schema::Decimal(DecimalSchema {
                inner: InnerDecimalSchema::Fixed(FixedSchema { size, .. }),
                ..
            }) => {
                self.take(*size, "fixed")?;
                self.tree.enter(depth, offset)?;
                self.tree.charge(size.saturating_mul(2).saturating_add(14))
            }
            Schema::Enum(EnumSchema { symbols, .. }) => {
                let index = self.long("enum")?;
                let Some(symbol) = usize::try_from(index).ok().and_then(|i| symbols.get(i)) else {
                    return Err(Error::Invalid {
                        what: format!("enum index {index} of {} symbols", symbols.len()),
                        offset,
                    });
                };
                self.tree.charge(symbol.len() + 2)
            }
            Schema::Union(union) => {
                let index = self.long("union")?;
                let variants = union.variants();
                let Some(variant) = usize::try_from(index).ok().and_then(|i| variants.get(i))
                else {
                    return Err(Error::Invalid {
                        what: format!("union branch {index} of {}", variants.len()),
                        offset,
                    });
                };
                self.value(variant, namespace, depth)
            }
            Schema::Array(array) => {
                let level = self.tree.enter(depth, offset)?;
                self.tree.charge(2)?;
                loop {
                    let count = self.block("array")?;
                    if count == 0 {
                        return Ok(());
                    }
                    for _ in 0..count {
                        self.tree.charge(1)?;
                        self.value(&array.items, namespace, level)?;
                    }
                }
            }
            Schema::Map(map) => {
                let level = self.tree.enter(depth, offset)?;
                self.tree.charge(2)?;
                let mut keys = HashSet::new();
                loop {
                    let count = self.block("map")?;
                    if count == 0 {
                        return Ok(());
                    }
                    for _ in 0..count {
                        let at = self.at;
                        let n = self.length("map key")?;
                        let key = self.take(n, "map key")?;
                        let Ok(key) = std::str::from_utf8(key) else {
                            return Err(Error::Invalid {
                                what: "a map key that is not UTF-8".to_owned(),
                                offset: at,
                            });
                        };
                        if !keys.insert(key.to_owned()) {
                            return Err(Error::DuplicateKey {
                                key: key.to_owned(),
                                offset: at,
                            });
                        }
                        self.tree.charge(n + 4)?;
                        self.value(&map.types, namespace, level)?;
                    }
                }
            }
            Schema::Record(RecordSchema { name, fields, .. }) => {
                let level = self.tree.enter(depth, offset)?;
                self.tree.charge(2)?;
                let full = name.fully_qualified_name(namespace);
                for field in fields {
                    self.tree.charge(field.name.len() + 4)?;
                    self.value(&field.schema, full.namespace(), level)?;
                }
                Ok(())
            }
            Schema::Ref { name } => {
                let full = name.fully_qualified_name(namespace);
                let Some(resolved) = self.names.get(full.as_ref()) else {
                    return Err(Error::Invalid {
                        what: format!("a schema naming the unknown type {}", full.fullname(None)),
                        offset,
                    });
                };
                let resolved: &Schema = resolved;
                self.value(resolved, full.namespace(), depth)
            }
        }
    }
}
