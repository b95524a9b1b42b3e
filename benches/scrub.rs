//! Scrubbing benchmark for "instant scrubbing at any size": once the background pass has built checkpoints,
//! any version of a 1,000,000-event stream must answer within one frame (16 ms), and the checkpoints must stay
//! within a fixed budget because the interval adapts to the stream's length.
//!
//! What it does, in order:
//! 1. Generates a bank-account stream of 1,000,000 events with a tiny LCG (deterministic, no `rand`):
//!    `Opened`, then mostly `Deposited`/`Withdrawn` with amounts and a per-category map of 20 keys, occasional
//!    `Renamed` and `StatementIssued` (a bounded `recent` array), so the merged state is a few KB. It writes them
//!    to a temporary SQLite file (a plain `events(id, stream_id, version, type, data, created_at)` table with an
//!    index on `(stream_id, version)`, plus a small second stream interleaved) and reads the stream back with
//!    [`Store::events`], the path the app takes. The load is timed once with `Instant` (it takes tens of
//!    seconds, too long to repeat under criterion) and checked against the generator.
//! 2. The "background pass": [`Replayer::build_within`] with the checkpoint budget the app uses
//!    ([`CHECKPOINT_BYTES`]), once with [`DeepMerge`] (the app's reducer) and
//!    once with a [`JqReducer`] keeping a running balance; each build is timed once.
//! 3. Criterion groups `scrub_deep_merge` and `scrub_jq`: [`Replayer::state_after`] at a deterministic
//!    sequence of random versions (the scrub latency), stepping forward one event at a time, the worst case
//!    (the last version before a checkpoint, which replays `interval - 1` events), and the whole playhead
//!    view the session computes per move (two `state_after` calls and a diff). Before criterion runs, the
//!    median and slowest of 256 single calls are printed too, since the frame budget is about every call.
//!    Target: under 16 ms per call (and per playhead view) for `DeepMerge`. The jq numbers are reported as
//!    measured; a jq reducer is much slower per event.
//! 4. Checkpoint memory: the checkpoint count, the interval, and the summed size of every checkpoint state
//!    as JSON text, with a rough estimate of its in-memory size.
//!
//! 5. The audit on the same file, timed once: `verify` (every check) and `search` with a jq predicate and with
//!    a type filter (see the README's *Performance*).
//!
//! `cargo bench --bench scrub` runs it (a few minutes on two cores). Under `cargo test --benches` (no
//! `--bench` argument) the stream is 10,000 events so the target only checks that it still runs.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat};
use criterion::{Criterion, criterion_group, criterion_main};
use eventscope::core::audit::search::{CompiledQuery, SearchQuery, search_all};
use eventscope::core::audit::verify::{VerifyOptions, verify_all};
use eventscope::core::explore::overview::{OverviewOptions, StackBy, overview, streams_active};
use eventscope::core::model::{Event, Payload};
use eventscope::core::replay::diff::diff;
use eventscope::core::replay::reducers::JqReducer;
use eventscope::core::replay::{DeepMerge, Reducer, Replayer, apply_event};
use eventscope::core::store::Store;
use eventscope::session::worker::CHECKPOINT_BYTES;
use serde_json::{Map, Value, json};

/// Events in the stream that is scrubbed (when run by `cargo bench`).
const BENCH_EVENTS: usize = 1_000_000;
/// Events when the target runs as a test (`cargo test --benches`).
const TEST_EVENTS: usize = 10_000;
/// The scrubbed stream's id; its category makes the stream type `account`.
const STREAM: &str = "account-1";
/// One event of this second stream is written after every this many events of [`STREAM`].
const OTHER_STREAM_EVERY: usize = 10_000;
/// One frame at 60 Hz.
const FRAME: Duration = Duration::from_millis(16);
/// How many scrub targets the deterministic random sequence holds before it repeats.
const TARGETS: usize = 4_096;

/// A running balance, the last ten amounts, and the owner; other event types leave the state alone.
const BALANCE_REDUCER: &str = r#"{
    "initial": {"balance": 0, "deposits": 0, "withdrawals": 0, "recent": []},
    "reducers": {
        "Opened": ".owner = $event.data.owner | .currency = $event.data.currency",
        "Deposited": ".balance += $event.data.amount | .deposits += 1 | .recent = (.recent + [$event.data.amount])[-10:]",
        "Withdrawn": ".balance -= $event.data.amount | .withdrawals += 1 | .recent = (.recent + [0 - $event.data.amount])[-10:]",
        "Renamed": ".owner.name = $event.data.owner.name",
        "*": "."
    }
}"#;

const CATEGORIES: [&str; 20] = [
    "groceries",
    "rent",
    "salary",
    "utilities",
    "transport",
    "dining",
    "travel",
    "health",
    "insurance",
    "education",
    "gifts",
    "savings",
    "taxes",
    "fees",
    "entertainment",
    "clothing",
    "electronics",
    "charity",
    "pets",
    "misc",
];
const CHANNELS: [&str; 4] = ["card", "transfer", "cash", "cheque"];
const NAMES: [&str; 8] = [
    "Ann Example",
    "Bob Sample",
    "Chloé Dupont",
    "Dmitri Ivanov",
    "Eve Martins",
    "Farah Khan",
    "Gus Olsen",
    "Hana Sato",
];

/// A tiny deterministic generator (64-bit LCG, Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn below_usize(&mut self, n: usize) -> usize {
        usize::try_from(self.below(n as u64)).unwrap_or(0)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items
            .get(self.below_usize(items.len()))
            .copied()
            .unwrap_or("")
    }
}

/// One generated event, before it is written.
struct Generated {
    event_type: &'static str,
    data: Value,
    created_at: String,
}

/// The bank-account stream, event by event; the same seed gives the same events.
struct AccountStream {
    rng: Lcg,
    index: usize,
    len: usize,
    time_secs: i64,
}

impl AccountStream {
    fn new(seed: u64, len: usize) -> Self {
        Self {
            rng: Lcg(seed),
            index: 0,
            len,
            time_secs: 1_577_836_800, // 2020-01-01T00:00:00Z
        }
    }

    fn transaction(&mut self, kind: &str, reference: &str, amount: u64, at: &str) -> Value {
        let category = self.rng.pick(&CATEGORIES);
        let channel = self.rng.pick(&CHANNELS);
        let mut categories = Map::new();
        categories.insert(
            category.to_owned(),
            json!({"last_amount": amount, "last_at": at, "last_reference": reference}),
        );
        json!({
            "amount": amount,
            kind: {"amount": amount, "reference": reference, "channel": channel, "at": at},
            "categories": categories,
        })
    }

    fn statement(&mut self, at: &str) -> Value {
        let lines = 1 + self.rng.below_usize(12);
        let recent: Vec<Value> = (0..lines)
            .map(|line| {
                json!({
                    "reference": format!("st-{}-{line}", self.index),
                    "amount": self.rng.below(500_000),
                    "category": self.rng.pick(&CATEGORIES),
                })
            })
            .collect();
        json!({"statement": {"number": self.index / 100, "issued_at": at}, "recent": recent})
    }
}

impl Iterator for AccountStream {
    type Item = Generated;

    fn next(&mut self) -> Option<Generated> {
        if self.index >= self.len {
            return None;
        }
        self.time_secs += 1 + i64::try_from(self.rng.below(60)).unwrap_or(0);
        let created_at = DateTime::from_timestamp(self.time_secs, 0)
            .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
            .unwrap_or_default();
        let reference = format!("tx-{:08}", self.index);
        let (event_type, data) = if self.index == 0 {
            let owner = self.rng.pick(&NAMES);
            (
                "Opened",
                json!({
                    "owner": {"name": owner, "email": "owner@example.com", "address": {"city": "Oslo", "zip": "0150"}},
                    "currency": "EUR",
                    "iban": "NO93 8601 1117 947",
                    "limits": {"daily": 100_000, "monthly": 1_000_000},
                }),
            )
        } else {
            match self.rng.below(1000) {
                0..5 => ("Renamed", json!({"owner": {"name": self.rng.pick(&NAMES)}})),
                5..15 => ("StatementIssued", self.statement(&created_at)),
                15..600 => {
                    let amount = 1 + self.rng.below(500_000);
                    (
                        "Deposited",
                        self.transaction("last_deposit", &reference, amount, &created_at),
                    )
                }
                _ => {
                    let amount = 1 + self.rng.below(200_000);
                    (
                        "Withdrawn",
                        self.transaction("last_withdrawal", &reference, amount, &created_at),
                    )
                }
            }
        };
        self.index += 1;
        Some(Generated {
            event_type,
            data,
            created_at,
        })
    }
}

/// Writes [`STREAM`] (`len` events from `seed`) and a small interleaved second stream to a new SQLite file.
fn write_store(path: &Path, seed: u64, len: usize) -> rusqlite::Result<()> {
    let mut conn = rusqlite::Connection::open(path)?;
    conn.execute_batch(
        "PRAGMA journal_mode = OFF;
         PRAGMA synchronous = OFF;
         CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, version INTEGER NOT NULL,
                             type TEXT NOT NULL, data TEXT NOT NULL, created_at TEXT NOT NULL);",
    )?;
    let tx = conn.transaction()?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO events(stream_id, version, type, data, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut other_version = 0_i64;
        for (index, event) in AccountStream::new(seed, len).enumerate() {
            let version = i64::try_from(index + 1).unwrap_or(i64::MAX);
            let data = event.data.to_string();
            insert.execute((STREAM, version, event.event_type, data, &event.created_at))?;
            if (index + 1) % OTHER_STREAM_EVERY == 0 {
                other_version += 1;
                insert.execute((
                    "account-2",
                    other_version,
                    "Deposited",
                    r#"{"amount": 100}"#,
                    &event.created_at,
                ))?;
            }
        }
    }
    tx.commit()?;
    conn.execute_batch("CREATE UNIQUE INDEX events_stream_version ON events(stream_id, version);")?;
    Ok(())
}

/// Whether `events` are exactly what the generator wrote, in order.
fn matches_generator(events: &[Event], seed: u64) -> bool {
    let generated = AccountStream::new(seed, events.len());
    events.len() == generated.len
        && events.iter().zip(generated).enumerate().all(|(i, (e, g))| {
            e.version == i64::try_from(i + 1).ok()
                && e.event_type == g.event_type
                && e.data == Payload::Json(g.data)
        })
}

/// Deterministic scrub targets in `0..=len`.
fn random_targets(len: usize, seed: u64) -> Vec<usize> {
    let mut rng = Lcg(seed);
    (0..TARGETS)
        .map(|_| usize::try_from(rng.next() << 20 | rng.next()).unwrap_or(0) % (len + 1))
        .collect()
}

/// The slowest version to reach: the one just before a checkpoint in the middle of the stream, which replays
/// `interval - 1` events.
fn worst_target(replayer: &Replayer) -> usize {
    let interval = replayer.interval();
    let middle = replayer.len() / 2 / interval * interval;
    (middle + interval - 1).min(replayer.len())
}

/// A rough heap size of a `Value` as `serde_json` stores it here (`preserve_order`: an index map per object;
/// `arbitrary_precision`: numbers are strings).
fn approx_heap_bytes(value: &Value) -> usize {
    let node = size_of::<Value>();
    match value {
        Value::Null | Value::Bool(_) => 0,
        Value::Number(n) => n.to_string().len(),
        Value::String(s) => s.capacity(),
        Value::Array(items) => {
            items.capacity() * node + items.iter().map(approx_heap_bytes).sum::<usize>()
        }
        Value::Object(map) => {
            // Per entry: the bucket (hash, key, value) plus a slot in the index table.
            let per_entry = size_of::<u64>() + size_of::<String>() + node + size_of::<usize>() + 1;
            map.len() * per_entry
                + map
                    .iter()
                    .map(|(k, v)| k.capacity() + approx_heap_bytes(v))
                    .sum::<usize>()
        }
    }
}

/// What the checkpoints of `replayer` hold.
struct CheckpointMemory {
    count: usize,
    json_bytes: usize,
    largest_json_bytes: usize,
    heap_bytes: usize,
}

/// Reads every checkpoint back (a `state_after` at a multiple of the interval replays nothing) and measures it.
fn checkpoint_memory(replayer: &Replayer, events: &[Event]) -> CheckpointMemory {
    let mut memory = CheckpointMemory {
        count: replayer.checkpoint_count(),
        json_bytes: 0,
        largest_json_bytes: 0,
        heap_bytes: 0,
    };
    for slot in 0..replayer.checkpoint_count() {
        let state = replayer
            .state_after(events, slot * replayer.interval())
            .expect("every checkpoint is within the stream");
        let json_bytes = state.to_string().len();
        memory.json_bytes += json_bytes;
        memory.largest_json_bytes = memory.largest_json_bytes.max(json_bytes);
        memory.heap_bytes += size_of::<Value>() + approx_heap_bytes(&state);
    }
    memory
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Builds the replayer (timed) and prints the build time and checkpoint memory.
fn background_pass(
    name: &str,
    reducer: Arc<dyn Reducer>,
    stream_type: Option<&str>,
    events: &[Event],
) -> Replayer {
    let started = Instant::now();
    let replayer = Replayer::build_within(
        reducer,
        stream_type,
        events,
        CHECKPOINT_BYTES,
        &mut |_, _| true,
    )
    .expect("the generated stream replays");
    let build = started.elapsed();
    let memory = checkpoint_memory(&replayer, events);
    let final_state = replayer
        .state_after(events, events.len())
        .expect("the final state");
    println!(
        "[{name}] background pass (build): {build:.2?} for {} events ({:.2} µs/event)",
        events.len(),
        build.as_secs_f64() * 1e6 / events.len().max(1) as f64
    );
    println!(
        "[{name}] checkpoints: {} (budget {} MiB), interval {}; as JSON {:.2} MiB in total, \
         {} bytes on average, {} bytes largest; in memory roughly {:.2} MiB",
        memory.count,
        CHECKPOINT_BYTES >> 20,
        replayer.interval(),
        mib(memory.json_bytes),
        memory.json_bytes / memory.count.max(1),
        memory.largest_json_bytes,
        mib(memory.heap_bytes),
    );
    println!(
        "[{name}] final state: {} bytes of JSON",
        final_state.to_string().len()
    );
    replayer
}

/// The median and slowest of single `state_after` calls at `targets`, to set beside criterion's means (the
/// frame budget is about every call, not the average).
fn single_calls(replayer: &Replayer, events: &[Event], targets: &[usize]) -> (Duration, Duration) {
    let mut times: Vec<Duration> = targets
        .iter()
        .map(|&target| {
            let started = Instant::now();
            black_box(replayer.state_after(events, target).expect("in range"));
            started.elapsed()
        })
        .collect();
    times.sort_unstable();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    let slowest = times.last().copied().unwrap_or_default();
    (median, slowest)
}

/// The process's resident memory in MiB, where `/proc` tells it.
fn resident_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// The scrub cases for one replayer: random versions, stepping forward, the worst case, and the whole playhead
/// view.
fn scrub_cases(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    replayer: &Replayer,
    reducer: &dyn Reducer,
    events: &[Event],
    targets: &[usize],
) {
    group.bench_function("random_version", |b| {
        let mut next = 0;
        b.iter(|| {
            let target = targets.get(next % targets.len()).copied().unwrap_or(0);
            next += 1;
            replayer.state_after(events, target).expect("in range")
        });
    });
    group.bench_function("step_forward", |b| {
        let mut count = events.len() / 3;
        b.iter(|| {
            count = if count >= events.len() { 0 } else { count + 1 };
            replayer.state_after(events, count).expect("in range")
        });
    });
    let worst = worst_target(replayer);
    group.bench_function("worst_case_version", |b| {
        b.iter(|| {
            replayer
                .state_after(events, black_box(worst))
                .expect("in range")
        });
    });
    group.bench_function("playhead_view", |b| {
        // What the session computes per playhead move (`compute_view`): the state before the event at the
        // playhead (one checkpointed replay), that state plus the event, and their diff.
        let mut next = 0;
        b.iter(|| {
            let index = targets.get(next % targets.len()).copied().unwrap_or(0);
            let index = index.min(events.len().saturating_sub(1));
            next += 1;
            let before = replayer.state_after(events, index).expect("in range");
            let event = events.get(index).expect("in range");
            let after =
                apply_event(reducer, before.clone(), event, index).expect("the reducer applies");
            diff(&before, &after)
        });
    });
}

/// The store overview on the whole file, timed once each way (it is one pass to find the time range and one
/// grouped pass, in position ranges with progress), and the streams active in the busiest bucket.
fn measure_overview(path: &Path, len: usize) {
    let store = Store::open(path, None).expect("the store opens");
    let mut busiest = None;
    for by in [StackBy::StreamType, StackBy::EventType] {
        let mut steps = 0;
        let started = Instant::now();
        let answer = overview(&store, &OverviewOptions { by, buckets: 200 }, &mut |p| {
            steps = p.total;
            true
        })
        .expect("the overview runs")
        .expect("nothing cancels it");
        println!(
            "overview by {by:?}: {:.2?} ({} buckets of {} s, {} series, {steps} progress steps)",
            started.elapsed(),
            answer.counts.len(),
            answer.bucket_secs,
            answer.series.len(),
        );
        let extra = len / OTHER_STREAM_EVERY;
        assert_eq!(answer.total as usize, len + extra, "every event is counted");
        busiest = (0..answer.counts.len())
            .max_by_key(|b| {
                answer
                    .counts
                    .get(*b)
                    .map_or(0, |row| row.iter().sum::<u64>())
            })
            .and_then(|b| answer.bucket_range(b));
    }
    if let Some((from, to)) = busiest {
        let started = Instant::now();
        let active = streams_active(&store, from, to).expect("the active streams are listed");
        println!(
            "streams active in the busiest bucket: {:.2?} ({} streams)",
            started.elapsed(),
            active.len()
        );
    }
}

/// The audit's whole-store passes on the same file, timed once each: `verify` (every check, no reducers) and
/// `search` with a jq predicate, and with a type filter SQL can apply.
fn measure_audit(path: &Path, len: usize) {
    let store = Store::open(path, None).expect("the store opens");
    let started = Instant::now();
    let (findings, summary) = verify_all(&store, &VerifyOptions::new(None)).expect("verify runs");
    println!(
        "verify: {:.2?} ({} events, {} findings)",
        started.elapsed(),
        summary.events,
        findings.len()
    );
    assert!(summary.events as usize >= len, "verify read every event");
    for (name, query) in [
        (
            "jq predicate",
            SearchQuery {
                predicate: Some(r#".type == "Renamed""#.to_owned()),
                ..SearchQuery::default()
            },
        ),
        (
            "type filter",
            SearchQuery {
                types: vec!["Renamed".to_owned()],
                ..SearchQuery::default()
            },
        ),
    ] {
        let compiled = CompiledQuery::new(query).expect("the query compiles");
        let started = Instant::now();
        let (hits, _) = search_all(&store, &compiled).expect("search runs");
        println!(
            "search by {name}: {:.2?} ({} hits)",
            started.elapsed(),
            hits.len()
        );
    }
}

fn scrub(c: &mut Criterion) {
    let benching = std::env::args().any(|arg| arg == "--bench");
    let len = if benching { BENCH_EVENTS } else { TEST_EVENTS };
    let seed = 0x5c2b_0001;

    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("scrub.sqlite");
    let started = Instant::now();
    write_store(&path, seed, len).expect("the store is written");
    let file_bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "generated and wrote {len} events in {:.2?} ({:.1} MiB file)",
        started.elapsed(),
        file_bytes as f64 / (1024.0 * 1024.0)
    );

    measure_overview(&path, len);
    measure_audit(&path, len);

    let started = Instant::now();
    let store = Store::open(&path, None).expect("the store opens");
    let summary = store.stream(STREAM).expect("the stream exists");
    let events = store.events(STREAM).expect("the events load");
    let load = started.elapsed();
    println!(
        "load (Store::open + stream + events): {load:.2?} for {} events ({:.2} µs/event)",
        events.len(),
        load.as_secs_f64() * 1e6 / events.len().max(1) as f64
    );
    assert_eq!(events.len(), len, "every event is read back");
    assert!(
        matches_generator(&events, seed),
        "the events read back are the ones generated"
    );
    drop(store);
    if let Some(rss) = resident_mib() {
        println!("resident memory with the events loaded: {rss:.0} MiB");
    }

    let stream_type = summary.stream_type.as_deref();
    let deep_reducer: Arc<dyn Reducer> = Arc::new(DeepMerge);
    let deep = background_pass(
        "deep_merge",
        Arc::clone(&deep_reducer),
        stream_type,
        &events,
    );
    let jq_reducer: Arc<dyn Reducer> =
        Arc::new(JqReducer::from_json(BALANCE_REDUCER).expect("the balance reducer compiles"));
    let jq = background_pass("jq", Arc::clone(&jq_reducer), stream_type, &events);

    let targets = random_targets(events.len(), seed ^ 0xa5a5);
    let some_targets = targets.get(..256).unwrap_or(&targets);
    for (name, replayer) in [("deep_merge", &deep), ("jq", &jq)] {
        let (median, slowest) = single_calls(replayer, &events, some_targets);
        let worst_started = Instant::now();
        black_box(
            replayer
                .state_after(&events, worst_target(replayer))
                .expect("in range"),
        );
        let worst = worst_started.elapsed();
        println!(
            "[{name}] single state_after calls at {} random versions: median {median:.2?}, slowest {slowest:.2?}; \
             worst-case version once: {worst:.2?} (frame budget {FRAME:?})",
            some_targets.len()
        );
    }

    let mut group = c.benchmark_group("scrub_deep_merge");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(50);
    scrub_cases(&mut group, &deep, deep_reducer.as_ref(), &events, &targets);
    group.finish();

    let mut group = c.benchmark_group("scrub_jq");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6))
        .sample_size(10);
    scrub_cases(&mut group, &jq, jq_reducer.as_ref(), &events, &targets);
    group.finish();
}

criterion_group!(benches, scrub);
criterion_main!(benches);
