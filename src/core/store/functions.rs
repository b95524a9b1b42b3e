//! The SQL functions registered on a store's connection: payload decoding (`es_jsonN`, `es_jsonN_at`) and
//! what whole-store scans group and filter by (`es_micros`, `es_may_hold`, `es_stream_id`).

use super::*;

/// Register `name(x)` returning the JSON text of payload `x` as `decoder` decodes it (NULL if it does not),
/// and `name_at(x, path)`, what `json_extract(name(x), path)` gives for a path [`PayloadPath`] reads.
pub(super) fn register_decoder(
    conn: &Connection,
    name: &str,
    decoder: Decoder,
) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    let flags = FunctionFlags::SQLITE_UTF8
        | FunctionFlags::SQLITE_DETERMINISTIC
        | FunctionFlags::SQLITE_DIRECTONLY;
    let at = decoder.clone();
    conn.create_scalar_function(name, 1, flags, move |ctx| {
        Ok(decoder.json_text(ctx.get_raw(0).into()))
    })?;
    conn.create_scalar_function(format!("{name}_at").as_str(), 2, flags, move |ctx| {
        let path = ctx.get_or_create_aux(1, |path| {
            path.as_str()
                .ok()
                .and_then(PayloadPath::parse)
                .ok_or("not a JSON path this function reads")
        })?;
        Ok(match at.decode_keeping(ctx.get_raw(0).into(), false).data {
            Payload::Json(value) => path.extract(&value),
            Payload::Raw { .. } => SqlValue::Null,
        })
    })
}

/// Register the functions whole-store scans group by: `es_micros(t)` is a stored time as Unix microseconds,
/// parsed exactly as events' times are (NULL when it does not parse); `es_stream_id(part, ...)` is the id
/// `streams` lists for a stream with these key parts.
pub(super) fn register_scan_functions(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    let flags = FunctionFlags::SQLITE_UTF8
        | FunctionFlags::SQLITE_DETERMINISTIC
        | FunctionFlags::SQLITE_DIRECTONLY;
    conn.create_scalar_function("es_micros", 1, flags, |ctx| {
        Ok(parse_time_sql(ctx.get_raw(0).into()).map(|t| t.timestamp_micros()))
    })?;
    conn.create_scalar_function("es_may_hold", 2, flags, |ctx| {
        Ok(may_hold_key(ctx.get_raw(0), ctx.get_raw(1)))
    })?;
    conn.create_scalar_function("es_stream_id", -1, flags, |ctx| {
        let parts: Vec<String> = (0..ctx.len())
            .map(|i| format_stream_id(ctx.get_raw(i).into()))
            .collect();
        Ok(composite_id(&parts))
    })
}

/// `es_may_hold(payload, key)`: false only when the stored payload is a JSON object as UTF-8 text (starting
/// with `{`) in which `key` (letters, digits, `_`) cannot be a name: its text holds neither the key nor a
/// `\u` escape. NULL payloads and everything else may hold it.
pub(super) fn may_hold_key(payload: ValueRef<'_>, key: ValueRef<'_>) -> bool {
    let (ValueRef::Text(bytes) | ValueRef::Blob(bytes), ValueRef::Text(key)) = (payload, key)
    else {
        return true;
    };
    let (Ok(text), Ok(key)) = (std::str::from_utf8(bytes), std::str::from_utf8(key)) else {
        return true;
    };
    !text.starts_with('{') || text.contains(key) || text.contains("\\u")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_json_object_whose_text_lacks_the_key_and_any_escape_cannot_hold_it() {
        let text = |s: &'static str| ValueRef::Text(s.as_bytes());
        let key = text("originator_topic");
        assert!(!may_hold_key(text(r#"{"a": 1, "topic": "x"}"#), key));
        assert!(may_hold_key(text(r#"{"originator_topic": "x"}"#), key));
        assert!(may_hold_key(text(r#"{"originator\u005ftopic": "x"}"#), key));
        assert!(may_hold_key(ValueRef::Blob(b"x\x9c compressed"), key));
        assert!(may_hold_key(text(r#" {"a": 1}"#), key));
        assert!(may_hold_key(ValueRef::Null, key));
        assert!(!may_hold_key(ValueRef::Blob(br#"{"a": 1}"#), key));
    }
}
