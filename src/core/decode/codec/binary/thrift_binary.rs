//! Thrift's binary protocol (TBinaryProtocol) read without an IDL: a field is a type byte and a
//! big-endian i16 id, integers and doubles are big-endian, strings and containers carry a big-endian i32
//! length. The values are walked by [`thrift`](super::thrift), shared with the compact protocol.

use super::Error;
use super::thrift::{self, Cursor, Field, Type, Wire};

/// The binary protocol's reader of `bytes`, for [`thrift::decode_protocol`].
pub(super) fn wire(bytes: &[u8]) -> Binary<'_> {
    Binary {
        cursor: Cursor::new(bytes),
    }
}

pub(super) struct Binary<'a> {
    cursor: Cursor<'a>,
}

impl Binary<'_> {
    /// The type a binary-protocol type id names.
    fn type_of(&mut self, what: &'static str) -> Result<Type, Error> {
        let offset = self.cursor.offset();
        let id = self.cursor.byte(what)?;
        type_for(id).ok_or_else(|| thrift::unknown_type(id, offset))
    }

    /// A length or count: an i32 that must not be negative.
    fn size(&mut self, what: &'static str) -> Result<u64, Error> {
        let offset = self.cursor.offset();
        let size = i32::from_be_bytes(self.cursor.array(what)?);
        u64::try_from(size).map_err(|_| Error::Invalid {
            what: format!("{what} with a negative size ({size})"),
            offset,
        })
    }
}

fn type_for(id: u8) -> Option<Type> {
    Some(match id {
        2 => Type::Bool,
        3 => Type::Byte,
        4 => Type::Double,
        6 => Type::I16,
        8 => Type::I32,
        10 => Type::I64,
        11 => Type::Binary,
        12 => Type::Struct,
        13 => Type::Map,
        14 => Type::Set,
        15 => Type::List,
        16 => Type::Uuid,
        _ => return None,
    })
}

impl<'a> Wire<'a> for Binary<'a> {
    fn cursor(&mut self) -> &mut Cursor<'a> {
        &mut self.cursor
    }

    fn field(&mut self, _last_id: i16) -> Result<Field, Error> {
        let offset = self.cursor.offset();
        let id = self.cursor.byte("a field header")?;
        if id == 0 {
            return Ok(Field::Stop);
        }
        let ty = type_for(id).ok_or_else(|| thrift::unknown_type(id, offset))?;
        let id = i16::from_be_bytes(self.cursor.array("a field id")?);
        Ok(Field::Value { id, ty, bool: None })
    }

    fn list(&mut self) -> Result<(Type, u64), Error> {
        let element = self.type_of("a list header")?;
        Ok((element, self.size("a list header")?))
    }

    fn map(&mut self) -> Result<(Option<(Type, Type)>, u64), Error> {
        let key = self.type_of("a map header")?;
        let value = self.type_of("a map header")?;
        Ok((Some((key, value)), self.size("a map header")?))
    }

    fn bool(&mut self) -> Result<bool, Error> {
        let offset = self.cursor.offset();
        match self.cursor.byte("a bool")? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(Error::Invalid {
                what: format!("a bool stored as {other}"),
                offset,
            }),
        }
    }

    fn i8(&mut self) -> Result<i8, Error> {
        Ok(i8::from_be_bytes(self.cursor.array("a byte")?))
    }

    fn i16(&mut self) -> Result<i16, Error> {
        Ok(i16::from_be_bytes(self.cursor.array("an i16")?))
    }

    fn i32(&mut self) -> Result<i32, Error> {
        Ok(i32::from_be_bytes(self.cursor.array("an i32")?))
    }

    fn i64(&mut self) -> Result<i64, Error> {
        Ok(i64::from_be_bytes(self.cursor.array("an i64")?))
    }

    fn double(&mut self) -> Result<f64, Error> {
        Ok(f64::from_be_bytes(self.cursor.array("a double")?))
    }

    fn binary_len(&mut self) -> Result<u64, Error> {
        self.size("a string's length")
    }

    fn min_bytes(ty: Type) -> u64 {
        match ty {
            Type::Bool | Type::Byte | Type::Struct => 1,
            Type::I16 => 2,
            Type::I32 | Type::Binary => 4,
            Type::List | Type::Set => 5,
            Type::Map => 6,
            Type::I64 | Type::Double => 8,
            Type::Uuid => 16,
        }
    }
}
