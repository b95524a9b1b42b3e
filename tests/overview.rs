//! The store overview and correlation lanes against the sample stores, each answer checked by brute force
//! over every event as `events --json` prints it: counts per time bucket and series, the streams active in
//! a period, the events sharing a correlation id, and causation links.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use eventscope::core::explore::overview::{OverviewOptions, StackBy, overview, streams_active};
use eventscope::core::store::Store;
use serde_json::Value;

use crate::common::{SHOP, arg, cli_json, sample};

/// Every plain sample (the encrypted ones are the same stores as their plain twins).
const SAMPLES: [&str; 12] = [
    "shop.sqlite",
    "order_history.sqlite",
    "single_log.sqlite",
    "person_registry.sqlite",
    "event-sourcery-sqlalchemy.sqlite",
    "event-sourcery-django.sqlite",
    "emmett.sqlite",
    "cqrs-es.sqlite",
    "cqrs-es-snapshots.sqlite",
    "eventsourcing-bank.sqlite",
    "eventsourcing-compressed.sqlite",
    "eventsourcing-sqlalchemy.sqlite",
];

fn open(name: &str) -> Store {
    Store::open(&sample(name), None).unwrap_or_else(|e| panic!("open {name}: {e}"))
}

/// One event as `events --json` prints it, with its stream's type as `streams --json` prints it.
struct Printed {
    json: Value,
    stream_type: String,
}

impl Printed {
    fn time(&self) -> Option<DateTime<Utc>> {
        self.json["time"]
            .as_str()
            .map(|t| DateTime::parse_from_rfc3339(t).unwrap().to_utc())
    }

    fn str(&self, key: &str) -> String {
        self.json[key].as_str().unwrap_or_default().to_owned()
    }
}

/// Every event of the store through the library's `events --json` shape.
fn all_events(store: &Store) -> Vec<Printed> {
    let mut out = Vec::new();
    for stream in store.streams().unwrap() {
        for event in store.events(&stream.id).unwrap() {
            out.push(Printed {
                json: event.to_json(),
                stream_type: stream.stream_type.clone().unwrap_or_default(),
            });
        }
    }
    out
}

/// Every event of the store, read by running `streams --json` and `events --json` for each stream.
fn all_events_from_cli(name: &str) -> Vec<Printed> {
    let file = arg(&sample(name));
    let streams = cli_json(["streams", &file, "--json"]);
    let mut out = Vec::new();
    for stream in streams.as_array().unwrap() {
        let id = stream["id"].as_str().unwrap();
        let events = cli_json(["events", &file, id, "--json"]);
        for event in events.as_array().unwrap() {
            out.push(Printed {
                json: event.clone(),
                stream_type: stream["type"].as_str().unwrap_or_default().to_owned(),
            });
        }
    }
    out
}

/// The overview's non-empty cells, `(bucket start, series) -> count`.
fn cells(o: &eventscope::core::explore::overview::Overview) -> BTreeMap<(i64, String), u64> {
    let mut out = BTreeMap::new();
    for (b, row) in o.counts.iter().enumerate() {
        let (from, _) = o.bucket_range(b).unwrap();
        for (key, n) in o.series.iter().zip(row) {
            if *n > 0 {
                out.insert((from.timestamp(), key.clone()), *n);
            }
        }
    }
    out
}

/// The same cells counted here from printed events.
fn brute_force_cells(
    events: &[Printed],
    by: StackBy,
    start: DateTime<Utc>,
    bucket_secs: i64,
) -> BTreeMap<(i64, String), u64> {
    let mut out = BTreeMap::new();
    for e in events {
        let Some(time) = e.time() else { continue };
        let bucket = (time.timestamp() - start.timestamp()).div_euclid(bucket_secs);
        let key = match by {
            StackBy::StreamType => e.stream_type.clone(),
            StackBy::EventType => e.str("type"),
        };
        *out.entry((start.timestamp() + bucket * bucket_secs, key))
            .or_default() += 1;
    }
    out
}

fn check_overview(name: &str, events: &[Printed], by: StackBy, buckets: usize) {
    let store = open(name);
    let o = overview(&store, &OverviewOptions { by, buckets }, &mut |_| true)
        .unwrap()
        .unwrap();
    let undated = events.iter().filter(|e| e.time().is_none()).count() as u64;
    assert_eq!(
        (o.total, o.undated),
        (events.len() as u64, undated),
        "{name}"
    );
    assert!(
        o.counts.len() <= buckets,
        "{name}: {} buckets",
        o.counts.len()
    );
    let Some(start) = o.start else {
        assert_eq!(undated, o.total, "{name} has dated events but no start");
        return;
    };
    assert_eq!(
        cells(&o),
        brute_force_cells(events, by, start, o.bucket_secs),
        "{name} by {by:?}"
    );
    let first = events.iter().filter_map(Printed::time).min().unwrap();
    let last = events.iter().filter_map(Printed::time).max().unwrap();
    assert!(start <= first && o.end.unwrap() > last, "{name}");
}

#[test]
fn overview_counts_per_bucket_equal_a_count_over_every_printed_event_of_every_sample() {
    for name in SAMPLES {
        let events = all_events(&open(name));
        for (by, buckets) in [
            (StackBy::StreamType, 200),
            (StackBy::EventType, 200),
            (StackBy::EventType, 7),
        ] {
            check_overview(name, &events, by, buckets);
        }
    }
}

#[test]
fn overview_of_the_shop_equals_a_count_over_events_json_from_the_binary() {
    let events = all_events_from_cli(SHOP);
    check_overview(SHOP, &events, StackBy::StreamType, 50);
    check_overview(SHOP, &events, StackBy::EventType, 300);
}

#[test]
fn overview_command_prints_series_and_counts() {
    let out = cli_json([
        "overview",
        &arg(&sample(SHOP)),
        "--by",
        "event-type",
        "--buckets",
        "10",
        "--json",
    ]);
    assert_eq!(out["total"], 2390);
    assert_eq!(out["by"], "event-type");
    let series = out["series"].as_array().unwrap().len();
    let counts = out["counts"].as_array().unwrap();
    assert!(!counts.is_empty() && counts.len() <= 10);
    assert!(
        counts
            .iter()
            .all(|row| row.as_array().unwrap().len() == series)
    );
    let sum: u64 = counts
        .iter()
        .flat_map(|row| row.as_array().unwrap())
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(sum, 2390);
}

/// `(id, events, first_time, last_time, type)` of the streams with events in `[from, to)`, most events
/// first, counted here.
fn brute_force_active(
    events: &[Printed],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(String, u64, String, String, String)> {
    let mut by_stream: BTreeMap<String, (u64, DateTime<Utc>, DateTime<Utc>, String)> =
        BTreeMap::new();
    for e in events {
        let Some(time) = e.time().filter(|t| *t >= from && *t < to) else {
            continue;
        };
        let entry =
            by_stream
                .entry(e.str("stream"))
                .or_insert((0, time, time, e.stream_type.clone()));
        entry.0 += 1;
        entry.1 = entry.1.min(time);
        entry.2 = entry.2.max(time);
    }
    let mut out: Vec<_> = by_stream
        .into_iter()
        .map(|(id, (n, first, last, ty))| {
            let fmt = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
            (id, n, fmt(first), fmt(last), ty)
        })
        .collect();
    out.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| eventscope::core::store::compare_ids(&a.0, &b.0))
    });
    out
}

#[test]
fn active_streams_in_a_period_equal_a_count_over_every_printed_event() {
    for name in SAMPLES {
        let store = open(name);
        let events = all_events(&store);
        let o = overview(&store, &OverviewOptions::default(), &mut |_| true)
            .unwrap()
            .unwrap();
        let Some(start) = o.start else { continue };
        let n = o.counts.len();
        // The busiest bucket, a brush over the middle third, and the whole store.
        let busiest = (0..n)
            .max_by_key(|b| o.counts[*b].iter().sum::<u64>())
            .unwrap();
        let periods = [
            o.bucket_range(busiest).unwrap(),
            (
                o.bucket_range(n / 3).unwrap().0,
                o.bucket_range((2 * n / 3).min(n - 1)).unwrap().1,
            ),
            (start, o.end.unwrap()),
        ];
        for (from, to) in periods {
            let got: Vec<_> = streams_active(&store, from, to)
                .unwrap()
                .into_iter()
                .map(|s| {
                    let fmt = |t: Option<DateTime<Utc>>| {
                        t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
                            .unwrap_or_default()
                    };
                    (
                        s.id,
                        s.events,
                        fmt(s.first_time),
                        fmt(s.last_time),
                        s.stream_type.unwrap_or_default(),
                    )
                })
                .collect();
            assert_eq!(
                got,
                brute_force_active(&events, from, to),
                "{name} from {from} to {to}"
            );
        }
    }
}

#[test]
fn active_command_lists_the_streams_of_a_period_most_active_first() {
    let out = cli_json([
        "active",
        &arg(&sample(SHOP)),
        "--from",
        "2024-03-01",
        "--to",
        "2024-03-02T00:00:00Z",
        "--json",
    ]);
    let list = out.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["events"], 15);
    assert_eq!(list[0]["type"], "Order");
    let error = crate::common::cli_error([
        "active",
        &arg(&sample(SHOP)),
        "--from",
        "soon",
        "--to",
        "later",
    ]);
    assert!(
        error.contains("--from") && error.contains("soon"),
        "{error}"
    );
}

// ------------------------------------------------------------------------------------ correlation lanes

/// The samples whose metadata carries correlation ids.
const CORRELATED_SAMPLES: [&str; 5] = [
    "event-sourcery-sqlalchemy.sqlite",
    "event-sourcery-django.sqlite",
    "emmett.sqlite",
    "shop.sqlite",
    "cqrs-es.sqlite",
];
const EVENT_SOURCERY: &str = "event-sourcery-sqlalchemy.sqlite";
/// A checkout in the Event Sourcery sample: cart, then order, then payment, each caused by the one before.
const CHECKOUT_FLOW: &str = "ccd2dff8-9165-4f01-83df-d84fb8e8d398";

/// A metadata value read here, whatever the library's key spelling.
fn metadata_value(e: &Printed, keys: &[&str]) -> Option<String> {
    keys.iter()
        .find_map(|k| e.json["metadata"][*k].as_str().map(str::to_owned))
}

fn correlation(e: &Printed) -> Option<String> {
    metadata_value(e, &["correlation_id", "correlationId"])
}

fn causation(e: &Printed) -> Option<String> {
    metadata_value(e, &["causation_id", "causationId"])
}

/// Ids compared as written by different code: UUIDs with or without dashes, any case.
fn same_id(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.replace('-', "").to_ascii_lowercase();
    norm(a) == norm(b)
}

fn refs(events: &[Value]) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = events
        .iter()
        .map(|e| {
            (
                e["stream"].as_str().unwrap().to_owned(),
                e["position"].as_i64().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn correlated_events_equal_a_filter_of_every_printed_event_by_its_metadata() {
    use eventscope::core::explore::correlate::correlated;
    for name in CORRELATED_SAMPLES {
        let store = open(name);
        let events = all_events(&store);
        let mut ids: Vec<String> = events.iter().filter_map(correlation).collect();
        ids.sort();
        ids.dedup();
        assert!(!ids.is_empty(), "{name} has correlation ids");
        for id in ids.iter().take(25) {
            let c = correlated(&store, id, &mut |_| true).unwrap().unwrap();
            let printed: Vec<Value> = c.events.iter().map(|e| e.to_json()).collect();
            let want: Vec<Value> = events
                .iter()
                .filter(|e| correlation(e).as_deref() == Some(id.as_str()))
                .map(|e| e.json.clone())
                .collect();
            assert_eq!(refs(&printed), refs(&want), "{name} correlation {id}");
            let times: Vec<_> = c.events.iter().map(|e| (e.time, e.position)).collect();
            assert!(times.is_sorted(), "{name} {id}: events by time");
            let mut lanes: Vec<&str> = c.lanes.iter().map(|l| l.stream.as_str()).collect();
            lanes.sort_unstable();
            let mut streams: Vec<&str> =
                want.iter().map(|e| e["stream"].as_str().unwrap()).collect();
            streams.sort_unstable();
            streams.dedup();
            assert_eq!(lanes, streams, "{name} {id}: one lane per stream");

            // Links, brute force: every event whose causation id is the id of another event of the flow.
            let mut want_links = Vec::new();
            for effect in events
                .iter()
                .filter(|e| correlation(e).as_deref() == Some(id.as_str()))
            {
                let Some(cause_id) = causation(effect) else {
                    continue;
                };
                let cause = events.iter().find(|e| {
                    correlation(e).as_deref() == Some(id.as_str())
                        && e.json["id"]
                            .as_str()
                            .is_some_and(|own| same_id(own, &cause_id))
                });
                if let Some(cause) = cause {
                    want_links.push((
                        (
                            cause.str("stream"),
                            cause.json["position"].as_i64().unwrap(),
                        ),
                        (
                            effect.str("stream"),
                            effect.json["position"].as_i64().unwrap(),
                        ),
                    ));
                }
            }
            let mut got_links: Vec<_> = c
                .links
                .iter()
                .map(|l| {
                    (
                        (l.from.stream.clone(), l.from.position),
                        (l.to.stream.clone(), l.to.position),
                    )
                })
                .collect();
            got_links.sort();
            want_links.sort();
            assert_eq!(got_links, want_links, "{name} {id}: causation links");
        }
    }
}

#[test]
fn the_event_sourcery_checkout_spans_cart_order_and_payment_linked_cause_to_effect() {
    use eventscope::core::explore::correlate::{causation_of, correlated};
    let store = open(EVENT_SOURCERY);
    let c = correlated(&store, CHECKOUT_FLOW, &mut |_| true)
        .unwrap()
        .unwrap();
    let types: Vec<&str> = c
        .lanes
        .iter()
        .filter_map(|l| l.stream_type.as_deref())
        .collect();
    assert_eq!(types, ["cart", "order", "payment"]);
    assert_eq!((c.events.len(), c.links.len()), (8, 7));
    let by_ref = |stream: &str, position: i64| {
        c.events
            .iter()
            .find(|e| e.stream == stream && e.position == position)
            .unwrap()
    };
    for link in &c.links {
        let (from, to) = (
            by_ref(&link.from.stream, link.from.position),
            by_ref(&link.to.stream, link.to.position),
        );
        assert_eq!(from.id, causation_of(to), "the arrow starts at the cause");
    }
    let crossings = c
        .links
        .iter()
        .filter(|l| l.from.stream != l.to.stream)
        .count();
    assert_eq!(crossings, 3, "cart -> order -> payment -> order");
}

#[test]
fn correlate_command_finds_the_flow_by_id_or_by_one_of_its_events() {
    let file = arg(&sample(EVENT_SOURCERY));
    let by_id = cli_json(["correlate", &file, "--id", CHECKOUT_FLOW, "--json"]);
    let cart = by_id["lanes"][0]["stream"].as_str().unwrap().to_owned();
    let by_event = cli_json([
        "correlate",
        &file,
        "--stream",
        &cart,
        "--at",
        "10",
        "--json",
    ]);
    assert_eq!(by_event, by_id);
    assert_eq!(by_id["correlation_id"], CHECKOUT_FLOW);
    assert_eq!(by_id["links"].as_array().unwrap().len(), 7);
    assert!(by_id["events"][0]["id"].is_string());
    let error = crate::common::cli_error(["correlate", &file, "--stream", &cart, "--at", "99"]);
    assert!(error.contains("99") && error.contains(&cart), "{error}");
}
