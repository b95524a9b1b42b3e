//! The columns give back every field as it went in, share groups across batches, replace in place, and
//! match the filter as `to_lowercase().contains` does, ASCII or not.
use super::*;

fn time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn plain(id: &str) -> StreamSummary {
    StreamSummary {
        id: id.to_owned(),
        stream_type: None,
        name: None,
        tenant: None,
        table: None,
        events: 0,
        first_time: None,
        first_stored_time: None,
        last_time: None,
        last_stored_time: None,
    }
}

/// Streams with every field set and unset, ids ASCII and not, times near and too far for nanoseconds.
fn varied() -> Vec<StreamSummary> {
    vec![
        plain("a"),
        StreamSummary {
            stream_type: Some("Order".to_owned()),
            name: Some("the first order".to_owned()),
            tenant: Some("acme".to_owned()),
            table: Some("events_2024".to_owned()),
            events: u64::MAX,
            first_time: Some(time("2024-01-02T03:04:05.123456789Z")),
            last_time: Some(time("2024-05-06T07:08:09Z")),
            ..plain("order-1")
        },
        StreamSummary {
            stream_type: Some("Order".to_owned()),
            tenant: Some("acme".to_owned()),
            table: Some("events_2024".to_owned()),
            events: 3,
            first_stored_time: Some("next tuesday".to_owned()),
            last_stored_time: Some("ünlesbar".to_owned()),
            ..plain("order-2")
        },
        StreamSummary {
            stream_type: Some("Straße".to_owned()),
            name: Some("".to_owned()),
            events: 1,
            first_time: Some(time("1500-01-01T00:00:00Z")),
            last_time: Some(time("3000-12-31T23:59:59.5Z")),
            ..plain("Ünïcode-ΟΔΟΣ-1")
        },
        StreamSummary {
            tenant: Some("Ωmega".to_owned()),
            first_time: Some(DateTime::from_timestamp_nanos(i64::MIN + 2)),
            last_time: Some(DateTime::from_timestamp_nanos(i64::MAX)),
            ..plain("")
        },
    ]
}

fn columns(summaries: Vec<StreamSummary>) -> Columns {
    summaries.into_iter().collect::<Result<_, _>>().unwrap()
}

fn summaries(columns: &Columns) -> Vec<StreamSummary> {
    (0..u32::try_from(columns.len()).unwrap())
        .map(|e| columns.row(e).unwrap().to_summary())
        .collect()
}

#[test]
fn every_field_comes_back_as_it_went_in() {
    let held = columns(varied());
    assert_eq!(held.len(), 5);
    assert_eq!(summaries(&held), varied());
    assert_eq!(held.row(5), None);
    assert_eq!(held.id(5), "");
    // The two orders share one group: type, tenant and table are held once.
    assert_eq!(held.groups.len(), 4);
}

#[test]
fn batches_appended_keep_every_field_and_share_groups() {
    let mut held = columns(varied());
    let more: Vec<StreamSummary> = varied()
        .into_iter()
        .map(|s| StreamSummary {
            id: format!("{}+", s.id),
            ..s
        })
        .collect();
    assert_eq!(held.append(columns(more.clone())), Ok(5));
    let mut want = varied();
    want.extend(more);
    assert_eq!(summaries(&held), want);
    assert_eq!(held.groups.len(), 4);
    assert!(
        held.passes(8, "ünï"),
        "lower-case ids move with their entry"
    );
    assert!(!held.passes(7, "ünï"));
}

#[test]
fn a_stream_read_again_replaces_its_fields_in_place() {
    let mut held = columns(varied());
    let mut updated = varied().remove(1);
    updated.name = None;
    updated.stream_type = Some("Invoice".to_owned());
    updated.events = 7;
    updated.last_time = None;
    updated.last_stored_time = Some("never".to_owned());
    updated.first_time = Some(time("1200-01-01T00:00:00Z"));
    held.replace(1, updated.clone());
    let mut want = varied();
    want[1] = updated;
    assert_eq!(summaries(&held), want);
    assert!(held.passes(1, "invoice"), "the new type is matched");
}

#[test]
fn the_filter_ignores_case_as_to_lowercase_does_for_ascii_and_other_ids() {
    let ids = [
        "Order-ABC",
        "order-abc",
        "Straße-ÄÖ",
        "ΟΔΟΣ",
        "ΟΔΟΣ-2",
        "İstanbul",
        "KELVIN-\u{212A}",
        "",
    ];
    let filters = [
        "", "order", "ORDER-A", "abc-", "straße", "STRASSE", "äö", "ÄÖ", "οδος", "ΟΔΟΣ", "οδοσ",
        "σ-2", "i̇stan", "istan", "k", "K", "-", "ü",
    ];
    let held = columns(ids.iter().map(|&id| plain(id)).collect());
    for (entry, id) in (0u32..).zip(ids) {
        for filter in filters {
            let needle = filter.to_lowercase();
            assert_eq!(
                held.passes(entry, &needle),
                id.to_lowercase().contains(&needle),
                "id {id:?}, filter {filter:?}"
            );
            assert_eq!(
                contains_ignoring_case(id, &needle),
                id.to_lowercase().contains(&needle),
                "id {id:?}, filter {filter:?}"
            );
        }
    }
    assert!(held.passes(0, "order-abc"));
    assert!(held.passes(2, "äö"));
    assert!(held.passes(3, &"ΟΔΟΣ".to_lowercase()));
}

#[test]
fn the_filter_matches_the_type_ignoring_case() {
    let held = columns(varied());
    assert!(held.passes(1, "ord"));
    assert!(
        !held.passes(3, &"STRASSE".to_lowercase()),
        "ß is not ss in lower case"
    );
    assert!(held.passes(3, "straß"));
    assert!(!held.passes(0, "ord"), "no type, an id without it");
}

#[test]
fn the_sort_fields_are_the_row_s() {
    let held = columns(varied());
    for entry in 0..5 {
        let row = held.row(entry).unwrap();
        assert_eq!(
            held.sort_fields(entry),
            (row.id, row.stream_type, row.events, row.last_time)
        );
    }
}

#[test]
fn a_stream_costs_tens_of_bytes_plus_its_id() {
    let held = columns(
        (0..10_000)
            .map(|i| StreamSummary {
                stream_type: Some(["Order", "Customer"][i % 2].to_owned()),
                events: 1,
                last_time: Some(time("2024-01-01T00:00:00Z")),
                ..plain(&format!("stream-{i:06}"))
            })
            .collect(),
    );
    // 32 bytes of numbers and the 13-byte id, and what the vectors have grown room for.
    let per_stream = held.heap_bytes() / held.len();
    assert!(
        (45..=80).contains(&per_stream),
        "{per_stream} bytes a stream"
    );
}
