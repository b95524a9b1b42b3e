//! The `eventscope` binary's errors (non-zero exit, one message on stderr naming the file, stream or column,
//! nothing on stdout) and `layout`: the mapping it prints, fed back with `--mapping`.

use eventscope::core::layout::Mapping;
use eventscope::core::store::Store;
use serde_json::{Value, json};

use crate::cli::as_array;
use crate::common::*;

fn sample_arg(name: &str) -> String {
    arg(&sample(name))
}

#[test]
fn an_unknown_stream_fails_naming_the_stream_and_printing_nothing() {
    let file = sample_arg(SHOP);
    let missing = "00000000-0000-0000-0000-000000000000";
    for command in ["events", "state", "diff"] {
        let message = cli_error([command, &file, missing, "--json"]);
        assert!(message.contains(missing), "{command}: {message}");
        assert!(message.contains("shop.sqlite"), "{command}: {message}");
    }
    let message = cli_error(["events", &sample_arg(ORDER_HISTORY), "21"]);
    assert!(message.contains("21"), "{message}");
    let message = cli_error(["events", &sample_arg(SINGLE_LOG), "sensors"]);
    assert!(message.contains("sensors"), "{message}");
}

#[test]
fn a_version_out_of_range_fails_naming_the_stream_and_its_versions() {
    let file = sample_arg(SHOP);
    let message = cli_error(["state", &file, SMALL_ORDER, "--at", "12", "--json"]);
    assert!(message.contains(SMALL_ORDER), "{message}");
    assert!(message.contains("12"), "{message}");
    assert!(message.contains("1 to 11"), "{message}");
    let message = cli_error(["state", &file, SMALL_ORDER, "--at=-1", "--json"]);
    assert!(
        message.contains(SMALL_ORDER) && message.contains("-1"),
        "{message}"
    );
    let message = cli_error(["diff", &file, SMALL_ORDER, "--from", "2", "--to", "99"]);
    assert!(
        message.contains(SMALL_ORDER) && message.contains("99"),
        "{message}"
    );
    let message = cli_error(["diff", &file, SMALL_ORDER, "--from", "50", "--to", "2"]);
    assert!(
        message.contains(SMALL_ORDER) && message.contains("50"),
        "{message}"
    );
    let message = cli_error(["state", &sample_arg(ORDER_HISTORY), "13", "--at", "6"]);
    assert!(
        message.contains("1 to 5"),
        "order 13 has five events: {message}"
    );
}

#[test]
fn a_missing_file_fails_naming_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("gone.sqlite");
    for args in [
        vec!["streams", path.to_str().unwrap_or_default(), "--json"],
        vec!["events", path.to_str().unwrap_or_default(), "1"],
        vec!["layout", path.to_str().unwrap_or_default()],
    ] {
        let message = cli_error(&args);
        assert!(message.contains(&arg(&path)), "{args:?}: {message}");
    }
    assert!(!path.exists(), "the CLI must not create the file");
}

#[test]
fn a_file_that_is_not_sqlite_fails_naming_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("readme.sqlite");
    std::fs::write(&path, "# Not a database\n".repeat(10)).expect("write");
    let message = cli_error(["streams", &arg(&path), "--json"]);
    assert!(message.contains(&arg(&path)), "{message}");
    assert!(message.contains("not a SQLite database"), "{message}");

    let empty = dir.path().join("empty.sqlite");
    std::fs::write(&empty, b"").expect("write");
    let message = cli_error(["events", &arg(&empty), "1", "--json"]);
    assert!(message.contains(&arg(&empty)), "{message}");

    let message = cli_error(["streams", &arg(dir.path())]);
    assert!(message.contains(&arg(dir.path())), "{message}");
}

#[test]
fn a_mapping_file_naming_a_missing_column_fails_with_the_column_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mapping = dir.path().join("mapping.json");
    std::fs::write(
        &mapping,
        r#"{"table": "order_history", "stream": {"column": "order_no"}, "data": "data"}"#,
    )
    .expect("write mapping");
    let message = cli_error([
        "streams",
        &sample_arg(ORDER_HISTORY),
        "--mapping",
        &arg(&mapping),
    ]);
    assert!(message.contains("order_no"), "{message}");
    assert!(message.contains("order_history.sqlite"), "{message}");

    std::fs::write(&mapping, "{ not json").expect("write mapping");
    let message = cli_error([
        "streams",
        &sample_arg(ORDER_HISTORY),
        "--mapping",
        &arg(&mapping),
    ]);
    assert!(message.contains(&arg(&mapping)), "{message}");
}

/// A key the mapping does not have (a typo, or `event_type` for `type`) is refused by name, never ignored:
/// ignored, the mapping would read the events without their types and say nothing.
#[test]
fn a_mapping_file_with_a_key_it_does_not_have_fails_naming_the_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (json, key) in [
        (
            r#"{"table": "order_history", "stream": {"column": "order_id"}, "event_type": {"column": "kind"}}"#,
            "event_type",
        ),
        (
            r#"{"table": "order_history", "join": {"table": "t", "key": "k", "on": "o", "kind": "left"}}"#,
            "kind",
        ),
    ] {
        let mapping = dir.path().join("mapping.json");
        std::fs::write(&mapping, json).expect("write mapping");
        let message = cli_error([
            "streams",
            &sample_arg(ORDER_HISTORY),
            "--mapping",
            &arg(&mapping),
        ]);
        assert!(
            message.contains(&format!("unknown field `{key}`")),
            "{message}"
        );
        assert!(message.contains(&arg(&mapping)), "{message}");
    }
}

// ------------------------------------------------------------------------------------------- layout

/// The mapping part of `layout` output, parsed as a `Mapping`.
fn layout_mapping(name: &str) -> (Value, Mapping) {
    let out = cli_json(["layout", &sample_arg(name)]);
    let mapping: Mapping = serde_json::from_value(out["mappings"][0].clone())
        .unwrap_or_else(|e| panic!("layout of {name} has no valid mapping ({e}): {out}"));
    (out, mapping)
}

#[test]
fn layout_prints_the_detected_mapping_and_how_the_file_was_opened() {
    let (out, mapping) = layout_mapping(SHOP);
    assert_eq!(mapping.table, "events");
    assert_eq!(mapping.layout, "events table");
    assert_eq!(out["open"]["journal_mode"], "rollback");
    assert_eq!(out["open"]["immutable"], false);
    let size = std::fs::metadata(sample(SHOP)).expect("stat").len();
    assert_eq!(out["open"]["size_bytes"], size);
    assert_eq!(out["file"], sample_arg(SHOP));

    let (_, person) = layout_mapping(PERSON_REGISTRY);
    assert_eq!(person.table, "person_events");
    assert_eq!(
        serde_json::to_value(&person.stream).expect("to JSON"),
        json!([{"json": {"column": "body", "path": "$.personId"}}])
    );
}

#[test]
fn layout_mapping_fed_back_with_mapping_gives_identical_streams_for_every_sample() {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ALL_SAMPLES {
        let (out, mapping) = layout_mapping(name);
        let store = Store::open(&sample(name), None).expect("open");
        assert_eq!(&mapping, store.mapping(), "{name}");
        let file = dir.path().join(format!("{name}.mapping.json"));
        std::fs::write(&file, out["mappings"].to_string()).expect("write mapping");
        let mapped = streams_match_detection(name, &file);
        assert!(!as_array(&mapped).is_empty(), "{name}");
    }
}

#[test]
fn layout_output_is_itself_a_mapping_file_that_mapping_accepts() {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ALL_SAMPLES {
        let out = cli_json(["layout", &sample_arg(name)]);
        let file = dir.path().join(format!("{name}.layout.json"));
        std::fs::write(&file, out.to_string()).expect("write layout output");
        streams_match_detection(name, &file);
    }
}

/// `streams --json` of sample `name` read through the mapping file `file` equals the detected layout's; returns it.
fn streams_match_detection(name: &str, file: &std::path::Path) -> Value {
    let detected = cli_json(["streams", &sample_arg(name), "--json"]);
    let mapped = cli_json([
        "streams",
        &sample_arg(name),
        "--mapping",
        &arg(file),
        "--json",
    ]);
    assert_eq!(mapped, detected, "{name}");
    mapped
}
