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
