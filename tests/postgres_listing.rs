//! The streams list of a PostgreSQL store read by key range: the first screen and a prefix through the stream
//! key's index, and the whole list page by page for `uuid` and integer keys, each the same streams in the same
//! order as the list read whole ([`Store::streams`]), NULL keys and page boundaries included.

use std::path::Path;

use eventscope::core::model::StreamSummary;
use eventscope::core::store::Store;

use crate::postgres::scratch_database;

/// A store whose `events.stream_id` is of `key_type`, with the streams `ids` (SQL expressions over `i` in
/// `1..=streams`) of two events each, and one stream without a key.
fn store(name: &str, key_type: &str, id: &str, streams: u32) -> Store {
    let (_admin, url) = scratch_database(
        name,
        &format!(
            "CREATE TABLE events(id bigserial PRIMARY KEY, stream_id {key_type}, version int NOT NULL, \
             type text NOT NULL, data jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
             CREATE UNIQUE INDEX events_stream ON events(stream_id, version);
             INSERT INTO events(stream_id, version, type, data)
               SELECT {id}, v, 'Happened', jsonb_build_object('n', i) \
               FROM generate_series(1, {streams}) i, generate_series(1, 2) v ORDER BY random();
             INSERT INTO events(stream_id, version, type, data) VALUES (NULL, 1, 'Orphan', '{{}}');"
        ),
    );
    Store::open(Path::new(&url), None).unwrap_or_else(|err| panic!("{url}: {err}"))
}

fn each(store: &Store) -> Vec<StreamSummary> {
    let mut out = Vec::new();
    assert!(
        store
            .each_stream(&mut |s| {
                out.push(s);
                true
            })
            .unwrap()
    );
    out
}

fn ids(streams: &[StreamSummary]) -> Vec<&str> {
    streams.iter().map(|s| s.id.as_str()).collect()
}

/// The list three ways: whole, handed over page by page, and the first screen; and a prefix's matches.
fn check(store: &Store, prefix: &str) {
    let whole = store.streams().unwrap();
    let listed = each(store);
    assert_eq!(ids(&listed), ids(&whole));
    assert_eq!(listed, whole);
    let first = store.streams_page(None, 200).unwrap();
    let keyed: Vec<&StreamSummary> = whole.iter().filter(|s| !s.id.is_empty()).collect();
    assert_eq!(
        ids(&first.streams),
        keyed
            .iter()
            .take(200)
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>()
    );
    assert_eq!(first.streams[0], *keyed[0]);
    assert!(first.next.is_some());
    let found = store.streams_with_prefix(prefix, 1_000).unwrap();
    let expected: Vec<&StreamSummary> = whole
        .iter()
        .filter(|s| !s.id.is_empty() && s.id.starts_with(prefix))
        .collect();
    assert!(!expected.is_empty(), "{prefix}");
    assert_eq!(found.iter().collect::<Vec<_>>(), expected);
}

#[test]
fn a_uuid_keyed_postgres_store_lists_its_streams_page_by_page_in_list_order() {
    let store = store("eventscope_list_uuid", "uuid", "md5(i::text)::uuid", 4_500);
    assert_eq!(store.streams().unwrap().len(), 4_501);
    check(&store, "ab");
    check(&store, "c4ca4238-a0");
    assert!(store.streams_with_prefix("xyz", 10).unwrap().is_empty());
}

#[test]
fn an_integer_keyed_postgres_store_lists_its_streams_numerically() {
    let store = store("eventscope_list_int", "bigint", "i - 2000", 4_100);
    let listed = each(&store);
    assert_eq!(listed.len(), 4_101);
    assert_eq!(listed[0].id, "-1999");
    assert_eq!(listed.last().unwrap().id, "");
    check(&store, "12");
}

#[test]
fn a_text_keyed_postgres_store_lists_its_streams_in_list_order() {
    // Text that reads as a number sorts numerically in the list, not as the collation orders it.
    let store = store(
        "eventscope_list_text",
        "text",
        "CASE WHEN i % 3 = 0 THEN i::text ELSE 'order-' || i END",
        300,
    );
    let listed = each(&store);
    assert_eq!(listed, store.streams().unwrap());
    assert_eq!(listed[0].id, "3");
    let found = store.streams_with_prefix("order-1", 1_000).unwrap();
    let expected: Vec<StreamSummary> = (listed.into_iter())
        .filter(|s| s.id.starts_with("order-1"))
        .collect();
    assert_eq!(expected.len(), 75);
    assert_eq!(found, expected);
}

#[test]
fn a_composite_keyed_postgres_store_pages_its_streams_by_the_whole_key() {
    // cqrs-es keys a stream by (aggregate_type, aggregate_id): a page after "Account/120" must go on with
    // "Account/121", not skip to the next type.
    let (_admin, url) = scratch_database(
        "eventscope_list_composite",
        "CREATE TABLE events(aggregate_type text NOT NULL, aggregate_id text NOT NULL, sequence bigint NOT NULL, \
         event_type text NOT NULL, event_version text NOT NULL, payload json NOT NULL, metadata json NOT NULL, \
         PRIMARY KEY (aggregate_type, aggregate_id, sequence));
         INSERT INTO events SELECT t, lpad(i::text, 4, '0'), s, 'Happened', '1.0', '{}', '{}' \
           FROM unnest(ARRAY['Account', 'Order']) t, generate_series(1, 300) i, generate_series(1, 2) s;",
    );
    let store = Store::open(Path::new(&url), None).unwrap_or_else(|err| panic!("{url}: {err}"));
    let whole = store.streams().unwrap();
    assert_eq!(whole.len(), 600);
    let mut paged = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store.streams_page(after.as_deref(), 70).unwrap();
        assert!(page.streams.len() <= 70);
        paged.extend(page.streams);
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(ids(&paged), ids(&whole));
    assert_eq!(each(&store), whole);
}

/// A stream id inside the payload is grouped and found by the server (`#>>`), from `jsonb` and from JSON
/// text in `bytea`: the streams were once one stream with an empty id, every event in it.
#[test]
fn a_postgres_stream_key_inside_the_payload_is_read_by_the_server() {
    let (_admin, url) = scratch_database(
        "eventscope_list_json_key",
        "CREATE TABLE journal(n bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), body jsonb, \
         raw bytea);
         INSERT INTO journal(body, raw)
           SELECT b, convert_to(b::text, 'UTF8') FROM (VALUES
             ('{\"who\": \"p-1\", \"what\": \"Joined\", \"kind\": \"Person\", \"name\": \"Ann\"}'::jsonb),
             ('{\"who\": \"p-2\", \"what\": \"Joined\", \"kind\": \"Robot\", \"name\": \"R2\"}'),
             ('{\"who\": \"p-1\", \"what\": \"Left\", \"kind\": \"Gone\", \"name\": \"-\"}')) AS v(b)
           ORDER BY b->>'who', b->>'what';
         CREATE TABLE broken(n bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), body text);
         INSERT INTO broken(body) VALUES ('{\"who\": \"p-1\"}'), ('not json at all');",
    );
    for column in ["body", "raw"] {
        let mapping: eventscope::core::layout::Mapping = serde_json::from_value(serde_json::json!({
            "table": "journal", "position": {"column": "n"}, "time": {"column": "at"}, "data": column,
            "stream": {"json": {"column": column, "path": "$.who"}},
            "type": {"json": {"column": column, "path": "$.what"}},
            "stream_type": {"json": {"column": column, "path": "$.kind"}},
            "stream_name": {"json": {"column": column, "path": "$.name"}},
        }))
        .unwrap();
        let store = Store::open(Path::new(&url), Some(mapping.clone()))
            .unwrap_or_else(|err| panic!("{column}: {err}"));
        let listed: Vec<(String, u64)> = (store.streams().unwrap().into_iter())
            .map(|s| (s.id, s.events))
            .collect();
        assert_eq!(
            listed,
            [("p-1".to_owned(), 2), ("p-2".to_owned(), 1)],
            "{column}"
        );
        assert_eq!(each(&store).len(), 2);
        let p1 = store.stream("p-1").unwrap();
        assert_eq!(p1.events, 2);
        // The type and name of the stream's first event.
        assert_eq!(
            (p1.stream_type.as_deref(), p1.name.as_deref()),
            (Some("Person"), Some("Ann")),
            "{column}"
        );
        let types: Vec<String> = (store.read_stream("p-1"))
            .map(|e| e.unwrap().event_type)
            .collect();
        assert_eq!(types, ["Joined", "Left"], "{column}");
        assert_eq!(ids(&store.streams_with_prefix("p-2", 10).unwrap()), ["p-2"]);

        // Inside payloads only Eventscope decodes, the server cannot group them: refused, saying so.
        let mut binary = mapping;
        binary.codec = serde_json::from_value(serde_json::json!("msgpack")).unwrap();
        let err = Store::open(Path::new(&url), Some(binary))
            .unwrap_err()
            .to_string();
        assert!(err.contains("map it to a column"), "{err}");
    }
    // A row whose value is not JSON stops the server's grouping: said in the mapping's terms.
    let mapping: eventscope::core::layout::Mapping = serde_json::from_value(serde_json::json!({
        "table": "broken", "position": {"column": "n"}, "time": {"column": "at"}, "data": "body",
        "stream": {"json": {"column": "body", "path": "$.who"}},
    }))
    .unwrap();
    let store = Store::open(Path::new(&url), Some(mapping)).unwrap_or_else(|err| panic!("{err}"));
    let err = store.streams().unwrap_err().to_string();
    assert!(
        err.contains("in column \"body\" of table \"broken\", and a value there is not JSON"),
        "{err}"
    );
    assert!(err.contains("map the stream to a column"), "{err}");
}
