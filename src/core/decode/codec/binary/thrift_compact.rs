//! Thrift's compact protocol (TCompactProtocol) read without an IDL: a field's header packs the delta
//! from the previous field id with a 4-bit type (a bool's value is its type), integers are zigzag
//! varints, doubles little-endian, lengths and counts varints (a list's small count shares a byte with
//! its element type). The values are walked by [`thrift`](super::thrift), shared with the binary
//! protocol.

use super::Error;
use super::thrift::{self, Cursor, Field, Type, Wire};

/// The compact protocol's reader of `bytes`, for [`thrift::decode_protocol`].
pub(super) fn wire(bytes: &[u8]) -> Compact<'_> {
    Compact {
        cursor: Cursor::new(bytes),
    }
}

pub(super) struct Compact<'a> {
    cursor: Cursor<'a>,
}

/// The longest varint: ten bytes hold 64 bits.
const MAX_VARINT_BYTES: u32 = 10;

impl Compact<'_> {
    fn varint(&mut self, what: &'static str) -> Result<u64, Error> {
        let offset = self.cursor.offset();
        let mut value: u64 = 0;
        for index in 0..MAX_VARINT_BYTES {
            let byte = self.cursor.byte(what)?;
            let bits = u64::from(byte & 0x7f);
            // The tenth byte may only carry the 64th bit.
            if index == MAX_VARINT_BYTES - 1 && bits > 1 {
                break;
            }
            value |= bits << (7 * index);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Error::Invalid {
            what: format!("{what}: a varint past 64 bits"),
            offset,
        })
    }

    /// A zigzag varint, which must fit `T`.
    fn zigzag<T: TryFrom<i64>>(&mut self, what: &'static str) -> Result<T, Error> {
        let offset = self.cursor.offset();
        let raw = self.varint(what)?;
        let n = (raw >> 1).cast_signed() ^ -(raw & 1).cast_signed();
        T::try_from(n).map_err(|_| Error::Invalid {
            what: format!("{what} out of range ({n})"),
            offset,
        })
    }

    fn type_for(&self, id: u8, offset: usize) -> Result<Type, Error> {
        Ok(match id {
            1 | 2 => Type::Bool,
            3 => Type::Byte,
            4 => Type::I16,
            5 => Type::I32,
            6 => Type::I64,
            7 => Type::Double,
            8 => Type::Binary,
            9 => Type::List,
            10 => Type::Set,
            11 => Type::Map,
            12 => Type::Struct,
            13 => Type::Uuid,
            _ => return Err(thrift::unknown_type(id, offset)),
        })
    }
}

impl<'a> Wire<'a> for Compact<'a> {
    fn cursor(&mut self) -> &mut Cursor<'a> {
        &mut self.cursor
    }

    fn field(&mut self, last_id: i16) -> Result<Field, Error> {
        let offset = self.cursor.offset();
        let header = self.cursor.byte("a field header")?;
        if header == 0 {
            return Ok(Field::Stop);
        }
        let type_id = header & 0x0f;
        let ty = self.type_for(type_id, offset)?;
        let delta = header >> 4;
        let id = if delta == 0 {
            self.zigzag("a field id")?
        } else {
            last_id
                .checked_add(i16::from(delta))
                .ok_or_else(|| Error::Invalid {
                    what: format!("field id {last_id} + {delta} past an i16"),
                    offset,
                })?
        };
        let bool = match type_id {
            1 => Some(true),
            2 => Some(false),
            _ => None,
        };
        Ok(Field::Value { id, ty, bool })
    }

    fn list(&mut self) -> Result<(Type, u64), Error> {
        let offset = self.cursor.offset();
        let header = self.cursor.byte("a list header")?;
        let element = self.type_for(header & 0x0f, offset)?;
        let count = match header >> 4 {
            15 => self.varint("a list's size")?,
            small => u64::from(small),
        };
        Ok((element, count))
    }

    fn map(&mut self) -> Result<(Option<(Type, Type)>, u64), Error> {
        let count = self.varint("a map's size")?;
        if count == 0 {
            return Ok((None, 0));
        }
        let offset = self.cursor.offset();
        let types = self.cursor.byte("a map's types")?;
        let key = self.type_for(types >> 4, offset)?;
        let value = self.type_for(types & 0x0f, offset)?;
        Ok((Some((key, value)), count))
    }

    fn bool(&mut self) -> Result<bool, Error> {
        let offset = self.cursor.offset();
        // 1 is true and 2 false (what Apache Thrift writes); 0 is false to some older writers.
        match self.cursor.byte("a bool")? {
            1 => Ok(true),
            0 | 2 => Ok(false),
            other => Err(Error::Invalid {
                what: format!("a bool stored as {other}"),
                offset,
            }),
        }
    }

    fn i8(&mut self) -> Result<i8, Error> {
        Ok(i8::from_le_bytes(self.cursor.array("a byte")?))
    }

    fn i16(&mut self) -> Result<i16, Error> {
        self.zigzag("an i16")
    }

    fn i32(&mut self) -> Result<i32, Error> {
        self.zigzag("an i32")
    }

    fn i64(&mut self) -> Result<i64, Error> {
        self.zigzag("an i64")
    }

    fn double(&mut self) -> Result<f64, Error> {
        Ok(f64::from_le_bytes(self.cursor.array("a double")?))
    }

    fn binary_len(&mut self) -> Result<u64, Error> {
        self.varint("a string's length")
    }

    fn min_bytes(ty: Type) -> u64 {
        match ty {
            Type::Double => 8,
            Type::Uuid => 16,
            _ => 1,
        }
    }
}
