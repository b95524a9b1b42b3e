//! JSON values in and out of jaq, directly rather than through JSON text (which the app did before: a
//! serialisation and a parse each way, for every event).
//!
//! Numbers keep their text: serde_json's `arbitrary_precision` hands `100.50` to jaq as the decimal it
//! parsed, and jaq's numbers come back through their JSON text, so results are exactly what the text
//! round trip gave. Going out, the result is measured like every value a program builds (see
//! [`super::budget::measure`]): a state that is too large or too deep is a budget error, not a stack overflow
//! or a gigabyte of JSON.

use jaq_json::{Map as ValMap, Val};
use serde_json::{Map, Number, Value};

use super::budget::{Limit, MAX_VALUE_SIZE, measure};

/// Why a program's result cannot be a JSON value.
#[derive(Debug)]
pub(crate) enum OutError {
    Limit(Limit),
    NotJson(String),
}

/// `value` as jaq sees it. Input values are read from a store with serde_json, whose parser nests at most
/// 128 levels, so this recursion is bounded.
pub(crate) fn to_val(value: &Value) -> Val {
    match value {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(n) => number_to_val(n),
        Value::String(s) => Val::from(s.clone()),
        Value::Array(items) => items.iter().map(to_val).collect(),
        Value::Object(fields) => Val::obj(
            fields
                .iter()
                .map(|(k, v)| (Val::from(k.clone()), to_val(v)))
                .collect::<ValMap>(),
        ),
    }
}

fn number_to_val(n: &Number) -> Val {
    use jaq_core::ValT as _;
    let text = n.to_string();
    Val::from_num(&text).unwrap_or_else(|_| Val::from(text))
}

/// `value` as JSON, or why it cannot be.
pub(crate) fn from_val(value: &Val) -> Result<Value, OutError> {
    measure(value, MAX_VALUE_SIZE).map_err(OutError::Limit)?;
    // Measured: at most MAX_VALUE_DEPTH levels deep, so the recursion is bounded.
    convert(value)
}

fn convert(value: &Val) -> Result<Value, OutError> {
    Ok(match value {
        Val::Null => Value::Null,
        Val::Bool(b) => Value::Bool(*b),
        Val::Num(_) => {
            let text = value.to_string();
            serde_json::from_str(&text)
                .map_err(|e| OutError::NotJson(format!("the number {text} ({e})")))?
        }
        Val::TStr(bytes) => Value::String(String::from_utf8_lossy(bytes).into_owned()),
        Val::BStr(_) => return Err(OutError::NotJson(format!("a byte string: {value}"))),
        Val::Arr(items) => Value::Array(items.iter().map(convert).collect::<Result<_, _>>()?),
        Val::Obj(fields) => {
            let mut map = Map::with_capacity(fields.len());
            for (key, item) in fields.iter() {
                let Val::TStr(key) = key else {
                    return Err(OutError::NotJson(format!(
                        "an object key that is not a string: {key}"
                    )));
                };
                map.insert(String::from_utf8_lossy(key).into_owned(), convert(item)?);
            }
            Value::Object(map)
        }
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_go_in_and_out_unchanged() {
        let value: Value = serde_json::from_str(
            r#"{"a": [1, -2, 3.5, 100.50, 1e3, 123456789012345678901234567890], "b": {"c": null, "d": true},
                "s": "Kraków \"x\" \n", "empty": {}, "list": []}"#,
        )
        .unwrap();
        let back = from_val(&to_val(&value)).unwrap();
        assert_eq!(back, value);
        assert_eq!(back.to_string(), value.to_string());
    }

    #[test]
    fn byte_strings_and_non_string_keys_are_not_json() {
        assert!(matches!(
            from_val(&Val::byte_str(b"x".to_vec())),
            Err(OutError::NotJson(_))
        ));
        let odd = Val::obj([(Val::from(1_isize), Val::Null)].into_iter().collect());
        assert!(matches!(from_val(&odd), Err(OutError::NotJson(_))));
        assert_eq!(from_val(&to_val(&json!([]))).unwrap(), json!([]));
    }
}
