//! Tests of verify's stream pass cut in two: the same findings, in the same order, as one pass.
use std::path::{Path, PathBuf};

use rusqlite::{Connection, params};

use super::*;
use crate::core::layout::Mapping;
use crate::core::replay::DeepMerge;
use crate::core::testing::sample;

/// A store of `n` events in 40 interleaved streams, with every kind of stream finding in both halves:
/// versions skipped, repeated and out of order, times going back, unreadable and in the future,
/// payloads that do not decode, and fields that come late, leave early, or come and go. `data` gives the
/// type and payload of event `i` when it has a say.
fn store(
    dir: &Path,
    n: usize,
    data: &dyn Fn(usize) -> Option<(&'static str, String)>,
) -> (PathBuf, Store) {
    let path = dir.join(format!("verify-{n}.sqlite"));
    let _ = std::fs::remove_file(&path);
    let mut conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE ev(seq INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data TEXT,
                         at TEXT);
         CREATE INDEX ev_stream ON ev(stream_id, version);",
    )
    .unwrap();
    let tx = conn.transaction().unwrap();
    for i in 0..n {
        let stream = format!("s{:02}", i % 40);
        let mut version = i64::try_from(i / 40 + 1).unwrap();
        if i % 211 == 0 {
            version += 3;
        }
        if i % 173 == 0 {
            version -= 1;
        }
        let (event_type, payload) = data(i).unwrap_or_else(|| {
            let mut payload = serde_json::json!({"n": i});
            if i > n / 2 {
                payload["late"] = true.into();
            }
            if i < n / 3 {
                payload["early"] = 1.into();
            }
            if i % 7 == 0 {
                payload["sometimes"] = 0.into();
            }
            if i % 40 < 20 && i < n / 2 {
                payload["first_half_only"] = 0.into();
            }
            let payload = if i % 300 == 17 {
                "{\"cut\": ".to_owned()
            } else {
                payload.to_string()
            };
            (["Opened", "Moved", "Closed"][i % 3], payload)
        });
        let seconds = i64::try_from(i).unwrap() - if i % 50 == 0 { 3_600 } else { 0 };
        let at = match i {
            _ if i % 333 == 5 => "a while ago".to_owned(),
            _ if i % 777 == 9 => "2999-01-01T00:00:00Z".to_owned(),
            _ => (chrono::DateTime::UNIX_EPOCH
                + chrono::Duration::seconds(1_700_000_000 + seconds))
            .to_rfc3339(),
        };
        tx.execute(
            "INSERT INTO ev(stream_id, version, type, data, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![stream, version, event_type, payload, at],
        )
        .unwrap();
    }
    tx.commit().unwrap();
    drop(conn);
    let mapping: Mapping = serde_json::from_value(serde_json::json!({
        "table": "ev", "position": {"column": "seq"}, "stream": {"column": "stream_id"},
        "version": {"column": "version"}, "type": {"column": "type"}, "data": "data",
        "time": {"column": "at"}
    }))
    .unwrap();
    let store = Store::open(&path, Some(mapping)).unwrap();
    (path, store)
}

/// The findings and summary of `store`, its stream pass cut in two (`cut`) or not.
fn verified(
    store: &Store,
    reducer: Option<&dyn Reducer>,
    max_per_kind: usize,
    cut: bool,
) -> (Vec<Finding>, VerifySummary) {
    let options = VerifyOptions {
        max_per_kind,
        ..VerifyOptions::new(reducer)
    };
    let mut findings = Vec::new();
    let at_least = if cut { 0 } else { u64::MAX };
    let summary = verify_cut_from(store, &options, at_least, &mut |_| true, &mut |f| {
        findings.push(f);
    })
    .unwrap();
    (findings, summary)
}

/// The schema drift found of the types `shown` ("type T"), with its positions.
fn drift_of<'f>(findings: &'f [Finding], shown: &[&str]) -> Vec<(&'f str, Vec<i64>)> {
    findings
        .iter()
        .filter(|f| f.kind == FindingKind::SchemaDrift)
        .filter_map(|f| {
            let what = f.message.split(" changed").next()?;
            shown.contains(&what).then(|| (what, f.positions.clone()))
        })
        .collect()
}

fn assert_same(store: &Store, reducer: Option<&dyn Reducer>, what: &str) {
    for max_per_kind in [1, 3, DEFAULT_MAX_PER_KIND] {
        let one = verified(store, reducer, max_per_kind, false);
        let two = verified(store, reducer, max_per_kind, true);
        assert_eq!(two, one, "{what}, at most {max_per_kind} listed per kind");
    }
}

#[test]
fn cut_in_two_the_stream_pass_finds_what_one_pass_finds_in_the_same_order() {
    let dir = tempfile::tempdir().unwrap();
    // Two types whose fields change across the halves: a field only the second half has, removed where
    // the first half's events begin; a field the first half always has, added in the second.
    let changes = |i: usize| match (i % 40, i) {
        (25, ..2_000) => Some(("R", "{\"r\": 1}".to_owned())),
        (5 | 25, 2_000..) => Some(("R", "{}".to_owned())),
        (6 | 26, 2_000..) => Some(("K", "{\"k\": 1}".to_owned())),
        (26, ..2_000) => Some(("K", "{}".to_owned())),
        _ => None,
    };
    let (_, store) = store(dir.path(), 4_000, &changes);
    assert!(store.stream_split(4_000, 0).unwrap().is_some());
    let (findings, summary) = verified(&store, None, DEFAULT_MAX_PER_KIND, true);
    let kinds: BTreeSet<FindingKind> = findings.iter().map(|f| f.kind).collect();
    for kind in [
        FindingKind::VersionGap,
        FindingKind::DuplicateVersion,
        FindingKind::VersionOrder,
        FindingKind::TimeReversal,
        FindingKind::FutureTime,
        FindingKind::UnreadableTime,
        FindingKind::UndecodablePayload,
        FindingKind::SchemaDrift,
    ] {
        assert!(kinds.contains(&kind), "{kind:?} in {kinds:?}");
    }
    assert_eq!(summary.streams, 40);
    let drift = drift_of(&findings, &["type K", "type R"]);
    assert_eq!(drift, [("type K", vec![2007]), ("type R", vec![2006])]);
    assert_same(&store, None, "the made store");
}

#[test]
fn every_sample_verifies_the_same_cut_in_two() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".sqlite"))
        .collect();
    names.sort();
    let mut cut = 0;
    for name in names {
        let store = sample(&name);
        let total = store.event_count().unwrap();
        let together = store.scan_keeps_streams_together().unwrap();
        cut += usize::from(together && store.stream_split(total, 0).unwrap().is_some());
        // The deep merge disagrees with most snapshots: more findings to compare.
        assert_same(&store, Some(&DeepMerge), &name);
    }
    assert!(cut >= 5, "only {cut} samples can be cut");
}

/// A type the second half meets more fields of than are tracked before it meets the one the first half
/// tracks: one pass counts that field in the second half; the second half alone could not. Here one
/// pass finds the field added at position 3,031: before, the first half's stream `s01` and the second
/// half's `s20` lack it; from then on, the first half's `s00` and the second half's `s30` have it.
#[test]
fn a_type_with_more_fields_than_are_tracked_is_counted_as_one_pass_counts_it() {
    let dir = tempfile::tempdir().unwrap();
    let wide = |i: usize| {
        Some(match (i % 40, i) {
            (0, 3_960) | (30, 3_000..) => ("W", "{\"a\": 1}".to_owned()),
            (1, ..400) => ("W", "{}".to_owned()),
            (20, ..2_400) => {
                let fields: Vec<String> = (0..10).map(|f| format!("\"f{i}-{f}\": 1")).collect();
                ("W", format!("{{{}}}", fields.join(", ")))
            }
            _ => return None,
        })
    };
    let (_, store) = store(dir.path(), 4_000, &wide);
    assert_same(&store, None, "wide");
    let (findings, _) = verified(&store, None, DEFAULT_MAX_PER_KIND, true);
    let drift = drift_of(&findings, &["type W"]);
    assert_eq!(drift, [("type W", vec![3031])]);
}

#[test]
fn without_a_second_connection_the_second_half_is_read_after_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = store(dir.path(), 2_000, &|_| None);
    let one = verified(&store, None, 3, false);
    // The open connection still reads the file; a second one cannot find it by its name.
    std::fs::rename(&path, dir.path().join("moved.sqlite")).unwrap();
    assert_eq!(verified(&store, None, 3, true), one);
}

#[test]
fn cancelling_stops_both_halves() {
    let dir = tempfile::tempdir().unwrap();
    let (_, store) = store(dir.path(), 20_000, &|_| None);
    let mut events = 0;
    let summary = verify_cut_from(
        &store,
        &VerifyOptions::new(None),
        0,
        &mut |p| {
            events += usize::from(p.phase == Phase::Events);
            p.phase != Phase::Events
        },
        &mut |_| {},
    )
    .unwrap();
    assert!(summary.cancelled);
    assert_eq!(events, 1, "one report of the events pass");
}
