//! Replaying the way the domain does, through the CLI: jq reducers (checked against the balances the
//! eventsourcing library itself computed), state at a wall-clock time, field history, and RFC 6902 patches.

use serde_json::{Value, json};

use crate::common::{cli_error, cli_json, run_cli, sample};

const BANK: &str = "eventsourcing-bank.sqlite";
const DE_0001: &str = "9e6f0814-1490-5e31-a7fb-07b2bdd25b03";
const KEY: &str = "S8cArIEQdqPOR2pFsRdf4XSmCXXNNo7E8gT/NL7WHGw=";

fn s(path: std::path::PathBuf) -> String {
    path.to_string_lossy().into_owned()
}

fn reducers() -> String {
    s(sample("eventsourcing/reducers.json"))
}

fn expected() -> Value {
    serde_json::from_str(&std::fs::read_to_string(sample("eventsourcing/expected.json")).unwrap())
        .unwrap()
}

#[test]
fn jq_reducers_reproduce_the_balances_the_library_computed() {
    let expected = expected();
    for (name, key) in [
        (BANK, None),
        ("eventsourcing-compressed.sqlite", None),
        ("eventsourcing-encrypted-compressed.sqlite", Some(KEY)),
    ] {
        for (id, aggregate) in expected["files"][name]["aggregates"].as_object().unwrap() {
            let mut args = vec![
                "state".to_owned(),
                s(sample(name)),
                id.clone(),
                "--reducers".to_owned(),
                reducers(),
            ];
            if let Some(key) = key {
                args.extend(["--cipher-key".to_owned(), key.to_owned()]);
            }
            let state = cli_json(&args);
            let want: f64 = aggregate["balance"].as_str().unwrap().parse().unwrap();
            let got = state["balance"].as_f64().unwrap();
            assert!((got - want).abs() < 1e-9, "{name} {id}: {got} != {want}");
            assert_eq!(state["is_closed"], aggregate["is_closed"], "{name} {id}");
            assert_eq!(state["owner"], aggregate["owner"], "{name} {id}");
        }
    }
}

#[test]
fn history_of_the_balance_lists_exactly_the_deposits_and_withdrawals() {
    let history = cli_json([
        "history",
        &s(sample(BANK)),
        DE_0001,
        "--path",
        "/balance",
        "--reducers",
        &reducers(),
    ]);
    let history = history.as_array().unwrap();
    let events = cli_json(["events", &s(sample(BANK)), DE_0001]);
    let money: Vec<i64> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["type"].as_str().unwrap().ends_with("Deposited")
                || e["type"].as_str().unwrap().ends_with("Withdrawn")
        })
        .map(|e| e["version"].as_i64().unwrap())
        .collect();
    let changed: Vec<i64> = history
        .iter()
        .map(|c| c["version"].as_i64().unwrap())
        .collect();
    assert_eq!(changed, money);
    assert_eq!(history[0]["old"], json!(0));
    for pair in history.windows(2) {
        assert_eq!(
            pair[0]["new"], pair[1]["old"],
            "each change starts where the previous one ended"
        );
    }
}

#[test]
fn without_reducers_history_uses_the_deep_merge() {
    let history = cli_json([
        "history",
        &s(sample("shop.sqlite")),
        "38d81ecc-3260-4353-8850-9317ae6eb057",
        "--path",
        "/status",
    ]);
    let statuses: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["new"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.first(), Some(&"draft"));
    assert!(statuses.windows(2).all(|w| w[0] != w[1]));
}

#[test]
fn state_at_a_time_is_the_state_after_the_last_event_at_or_before_it() {
    let events = cli_json(["events", &s(sample(BANK)), DE_0001]);
    let events = events.as_array().unwrap();
    let third = events[2]["time"].as_str().unwrap();
    let exact = cli_json([
        "state",
        &s(sample(BANK)),
        DE_0001,
        "--time",
        third,
        "--reducers",
        &reducers(),
    ]);
    let at_v3 = cli_json([
        "state",
        &s(sample(BANK)),
        DE_0001,
        "--at",
        "3",
        "--reducers",
        &reducers(),
    ]);
    assert_eq!(exact, at_v3);
    // One microsecond earlier is still the state after event 2.
    let t =
        chrono::DateTime::parse_from_rfc3339(third).unwrap() - chrono::Duration::microseconds(1);
    let before = cli_json([
        "state",
        &s(sample(BANK)),
        DE_0001,
        "--time",
        &t.to_rfc3339(),
        "--reducers",
        &reducers(),
    ]);
    let at_v2 = cli_json([
        "state",
        &s(sample(BANK)),
        DE_0001,
        "--at",
        "2",
        "--reducers",
        &reducers(),
    ]);
    assert_eq!(before, at_v2);
    let err = cli_error(["state", &s(sample(BANK)), DE_0001, "--time", "yesterday"]);
    assert!(err.contains("not a time"), "{err}");
}

#[test]
fn the_patch_turns_state_a_into_state_b() {
    for (from, to) in [("1", "52"), ("10", "11"), ("52", "3")] {
        let args = |extra: &[&str]| {
            let mut v = vec![
                "diff".to_owned(),
                s(sample(BANK)),
                DE_0001.to_owned(),
                "--reducers".to_owned(),
                reducers(),
            ];
            v.extend(extra.iter().map(|x| (*x).to_owned()));
            v
        };
        let patch = cli_json(args(&["--from", from, "--to", to, "--patch"]));
        let a = cli_json([
            "state",
            &s(sample(BANK)),
            DE_0001,
            "--at",
            from,
            "--reducers",
            &reducers(),
        ]);
        let b = cli_json([
            "state",
            &s(sample(BANK)),
            DE_0001,
            "--at",
            to,
            "--reducers",
            &reducers(),
        ]);
        let patch: json_patch::Patch = serde_json::from_value(patch).unwrap();
        let mut doc = a;
        json_patch::patch(&mut doc, &patch).unwrap();
        assert_eq!(doc, b, "{from} -> {to}");
    }
}

#[test]
fn events_with_reducers_carry_the_state_after_each_event() {
    let events = cli_json([
        "events",
        &s(sample(BANK)),
        DE_0001,
        "--reducers",
        &reducers(),
    ]);
    let last = events.as_array().unwrap().last().unwrap();
    let state = cli_json([
        "state",
        &s(sample(BANK)),
        DE_0001,
        "--reducers",
        &reducers(),
    ]);
    assert_eq!(last["state"], state);
}

#[test]
fn a_failing_reducer_names_the_stream_version_type_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    std::fs::write(
        &file,
        r#"{"reducers": {"Withdrawn": ".balance -= ($event.data.nope | tonumber)"}}"#,
    )
    .unwrap();
    let err = cli_error(["state", &s(sample(BANK)), DE_0001, "--reducers", &s(file)]);
    assert!(
        err.contains(DE_0001) && err.contains("version 3") && err.contains("Withdrawn"),
        "{err}"
    );
    assert!(err.contains("key \"Withdrawn\""), "{err}");
}

#[test]
fn reducer_keys_that_match_no_event_type_are_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.json");
    std::fs::write(
        &file,
        r#"{"reducers": {"Deposited": ".n += 1", "Refunded": ".n -= 1"}}"#,
    )
    .unwrap();
    let out = run_cli(["state", &s(sample(BANK)), DE_0001, "--reducers", &s(file)]);
    assert!(out.success);
    assert!(
        out.stderr.contains("\"Refunded\"") && out.stderr.contains("matches no event type"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("\"Deposited\""), "{}", out.stderr);
}

#[test]
fn a_reducer_file_with_a_syntax_error_is_refused_with_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.json");
    std::fs::write(&file, r#"{"reducers": {"Deposited": ".balance +="}}"#).unwrap();
    let err = cli_error(["state", &s(sample(BANK)), DE_0001, "--reducers", &s(file)]);
    assert!(err.contains("r.json") && err.contains("Deposited"), "{err}");
}

fn checks(name: &str, stream: &str, reducers: &str) -> Vec<Value> {
    let out = cli_json([
        "snapshots",
        &s(sample(name)),
        stream,
        "--reducers",
        reducers,
    ]);
    out.as_array().unwrap().clone()
}

#[test]
fn eventsourcing_snapshots_agree_with_the_jq_replay_from_zero() {
    let checks = checks(BANK, DE_0001, &reducers());
    assert_eq!(checks.len(), 10);
    for check in &checks {
        assert_eq!(check["matches"], true, "{check}");
        assert_eq!(check["type"], "bankdomain:BankAccount.Snapshot");
    }
}

#[test]
fn the_cqrs_es_double_apply_bug_shows_as_snapshot_mismatches() {
    let reducers = s(sample("cqrs-es/reducers.json"));
    let acme = checks(
        "cqrs-es-snapshots.sqlite",
        "BankAccount/ACME-0001",
        &reducers,
    );
    assert_eq!(acme.len(), 1);
    assert_eq!(acme[0]["version"], 12);
    assert_eq!(acme[0]["matches"], false);
    assert_eq!(
        acme[0]["changes"],
        json!([{"op": "replace", "path": "/transactions", "old": 11, "new": 15}])
    );
    let alice = checks("cqrs-es-snapshots.sqlite", "Customer/cust-alice", &reducers);
    let change = &alice[0]["changes"][0];
    assert_eq!(change["op"], "add", "an account linked twice: {alice:?}");
    assert_eq!(change["new"], "c0ffee00-5eed-4bad-a11e-d00d00000042");
    let clean = checks("cqrs-es-snapshots.sqlite", "Customer/ACME-0001", &reducers);
    assert_eq!(clean[0]["matches"], true);
}

#[test]
fn event_sourcery_snapshots_are_found_through_the_stream_join() {
    let out = cli_json([
        "snapshots",
        &s(sample("event-sourcery-sqlalchemy.sqlite")),
        "cart/0f4bdfd9-1591-5d2e-a768-3d2f8ecfc901",
    ]);
    let checks = out.as_array().unwrap();
    let versions: Vec<i64> = checks
        .iter()
        .map(|c| c["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, [10, 20]);
    assert!(
        checks
            .iter()
            .all(|c| c["type"] == "shop_events.CartSnapshot")
    );
}

#[test]
fn replay_from_the_nearest_snapshot_carries_the_snapshots_state() {
    let cqrs = s(sample("cqrs-es/reducers.json"));
    let f = s(sample("cqrs-es-snapshots.sqlite"));
    let from_zero = cli_json(["state", &f, "BankAccount/ACME-0001", "--reducers", &cqrs]);
    let from_snapshot = cli_json([
        "state",
        &f,
        "BankAccount/ACME-0001",
        "--reducers",
        &cqrs,
        "--from-snapshot",
    ]);
    assert_eq!(from_zero["transactions"], 11);
    assert_eq!(
        from_snapshot["transactions"], 15,
        "the snapshot's double count is what the library loads"
    );
    let bank = s(sample(BANK));
    let a = cli_json([
        "state",
        &bank,
        DE_0001,
        "--at",
        "23",
        "--reducers",
        &reducers(),
    ]);
    let b = cli_json([
        "state",
        &bank,
        DE_0001,
        "--at",
        "23",
        "--reducers",
        &reducers(),
        "--from-snapshot",
    ]);
    assert_eq!(a, b, "a truthful snapshot gives the same state");
}
