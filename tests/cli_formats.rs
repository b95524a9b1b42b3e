//! `--format` of the listing commands (issue 14): piped output without it stays byte for byte what scripts
//! read before, `jsonl` and `csv` parse back to the rows of `--json`, tables match golden files at a fixed
//! width (`--width`, or `$COLUMNS`), and nothing but the answer is written when stdout and stderr are pipes:
//! no colour, no progress bars.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use crate::common::{ORDER_HISTORY, SHOP, SMALL_ORDER, arg, sample};

const FAULTS: &str = "faults.sqlite";

/// What `eventscope args` wrote, with `env` set; requires success.
fn output_with(args: &[&str], env: &[(&str, &str)]) -> (String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_eventscope"));
    command
        .args(args)
        .env_remove("COLUMNS")
        .env_remove("NO_COLOR");
    for (key, value) in env {
        command.env(key, value);
    }
    let out = command.output().expect("the eventscope binary runs");
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8(out.stderr).expect("stderr is UTF-8");
    assert!(out.status.success(), "eventscope {args:?} failed: {stderr}");
    (stdout, stderr)
}

fn stdout_of(args: &[&str]) -> String {
    let (stdout, stderr) = output_with(args, &[]);
    assert_eq!(stderr, "", "eventscope {args:?} wrote to stderr");
    stdout
}

/// A sample as a path relative to the package (where [`output_with`] runs), so the golden files that show
/// it hold the same text in every checkout.
fn file(name: &str) -> String {
    format!("sample-data/{name}")
}

/// The listing commands on the samples, as arguments before `--json` or `--format`.
fn listings() -> Vec<(&'static str, Vec<String>)> {
    let shop = file(SHOP);
    vec![
        ("streams", vec!["streams".into(), file(ORDER_HISTORY)]),
        (
            "events",
            vec!["events".into(), shop.clone(), SMALL_ORDER.into()],
        ),
        (
            "history",
            vec![
                "history".into(),
                shop.clone(),
                SMALL_ORDER.into(),
                "--path".into(),
                "/status".into(),
            ],
        ),
        (
            "search",
            vec![
                "search".into(),
                shop.clone(),
                "--where".into(),
                ".data.status == \"paid\"".into(),
            ],
        ),
        (
            "active",
            vec![
                "active".into(),
                file(ORDER_HISTORY),
                "--from".into(),
                "2024-03-01T00:00:00Z".into(),
                "--to".into(),
                "2024-03-15T00:00:00Z".into(),
            ],
        ),
        ("verify", vec!["verify".into(), file(FAULTS)]),
        (
            "snapshots",
            vec![
                "snapshots".into(),
                file("cqrs-es-snapshots.sqlite"),
                "BankAccount/7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f".into(),
            ],
        ),
    ]
}

fn with<'a>(args: &'a [String], more: &[&'a str]) -> Vec<&'a str> {
    args.iter()
        .map(String::as_str)
        .chain(more.iter().copied())
        .collect()
}

/// The rows `--json` prints: the array, or `verify`'s findings.
fn json_rows(args: &[String]) -> Vec<Value> {
    let value: Value = serde_json::from_str(&stdout_of(&with(args, &["--json"]))).unwrap();
    match value {
        Value::Array(rows) => rows,
        other => other["findings"].as_array().unwrap().clone(),
    }
}

#[test]
fn piped_output_without_a_format_is_what_it_was() {
    for (name, args) in listings() {
        let plain = stdout_of(&with(&args, &[]));
        let json = stdout_of(&with(&args, &["--json"]));
        let format_json = stdout_of(&with(&args, &["--format", "json"]));
        assert_eq!(format_json, json, "{name}: --format json is --json");
        if matches!(name, "verify" | "search") {
            // Their lines for people, as before; never a table when piped.
            assert_ne!(plain, json, "{name}");
            assert!(
                !plain.contains('─'),
                "{name} printed a table when piped:\n{plain}"
            );
        } else {
            assert_eq!(plain, json, "{name}: piped output changed");
        }
    }
}

#[test]
fn json_lines_hold_the_rows_of_json() {
    for (name, args) in listings() {
        let lines = stdout_of(&with(&args, &["--format", "jsonl"]));
        let rows: Vec<Value> = lines
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        let expected = json_rows(&args);
        assert!(!expected.is_empty(), "{name} has rows to compare");
        assert_eq!(rows, expected, "{name}");
    }
}

/// A cell as `--format csv` writes the JSON value.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            items.iter().map(cell).collect::<Vec<_>>().join(" ")
        }
        other => other.to_string(),
    }
}

#[test]
fn csv_parses_back_to_the_rows_of_json() {
    for (name, args) in listings() {
        let text = stdout_of(&with(&args, &["--format", "csv"]));
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let expected = json_rows(&args);
        assert_eq!(records.len(), expected.len(), "{name}: rows");
        for (record, row) in records.iter().zip(&expected) {
            for (header, field) in headers.iter().zip(record) {
                let key = if header == "finding" {
                    "message"
                } else {
                    header
                };
                let wanted = row.get(key).map_or_else(String::new, cell);
                assert_eq!(field, wanted, "{name}: column {header} of {row}");
            }
        }
    }
}

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.txt"))
}

#[test]
fn tables_at_a_fixed_width_match_their_golden_files() {
    for (name, args) in listings() {
        let table = stdout_of(&with(&args, &["--format", "table", "--width", "100"]));
        let path = golden(name);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &table).unwrap();
        }
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
        assert_eq!(
            table,
            expected,
            "{name}: the table is not {}",
            path.display()
        );
        for line in table.lines() {
            assert!(line.chars().count() <= 100, "{name}: {line:?} is past 100");
        }
    }
}

#[test]
fn a_table_takes_its_width_from_columns_and_cuts_long_cells_with_an_ellipsis() {
    let shop = file(SHOP);
    let (table, _) = output_with(
        &["events", &shop, SMALL_ORDER, "--format", "table"],
        &[("COLUMNS", "60")],
    );
    assert!(table.contains('…'), "{table}");
    for line in table.lines() {
        assert!(
            line.chars().count() <= 60,
            "{line:?} is past 60 in\n{table}"
        );
    }
}

#[test]
fn a_piped_table_has_no_colour_with_or_without_no_color() {
    for env in [&[][..], &[("NO_COLOR", "1")][..]] {
        for (name, args) in listings() {
            let (table, _) = output_with(&with(&args, &["--format", "table"]), env);
            assert!(!table.contains('\u{1b}'), "{name} coloured a piped table");
            assert!(table.contains('─'), "{name} printed no table");
        }
    }
}

#[test]
fn long_commands_write_no_progress_when_stderr_is_not_a_terminal() {
    let shop = file(SHOP);
    let dir = tempfile::tempdir().unwrap();
    let report_arg = dir.path().join("report.html").display().to_string();
    let plot_arg = dir.path().join("plot.svg").display().to_string();
    for args in [
        vec!["verify", &shop],
        vec!["search", &shop, "--text", "paid", "--format", "csv"],
        vec!["streams", &shop],
        vec!["events", &shop, SMALL_ORDER, "--format", "table"],
        vec!["export", "events", &shop, SMALL_ORDER, "--format", "csv"],
        vec!["export", "findings", &shop],
        vec!["report", &shop, SMALL_ORDER, "-o", &report_arg],
        vec!["state", &shop, SMALL_ORDER],
        vec!["diff", &shop, SMALL_ORDER],
        vec!["export", "state", &shop, SMALL_ORDER],
        vec![
            "plot",
            &shop,
            SMALL_ORDER,
            "--path",
            "/total",
            "-o",
            &plot_arg,
        ],
    ] {
        let (_, stderr) = output_with(&args, &[]);
        assert_eq!(stderr, "", "eventscope {args:?} wrote to stderr");
    }
}

#[test]
fn report_and_exports_write_only_their_output_when_stderr_is_not_a_terminal() {
    let shop = file(SHOP);
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.html");
    let report_arg = report.display().to_string();
    let (stdout, stderr) = output_with(&["report", &shop, SMALL_ORDER, "-o", &report_arg], &[]);
    assert_eq!((stdout.as_str(), stderr.as_str()), ("", ""));
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
    for args in [
        vec!["export", "findings", &shop],
        vec!["export", "findings", &shop, "--format", "csv"],
        vec!["export", "state", &shop, SMALL_ORDER],
        vec!["export", "diff", &shop, SMALL_ORDER, "1", "2"],
    ] {
        let (stdout, stderr) = output_with(&args, &[]);
        assert_eq!(stderr, "", "eventscope {args:?} wrote to stderr");
        assert!(!stdout.is_empty(), "eventscope {args:?} wrote nothing");
        assert!(
            !stdout.contains('\u{1b}'),
            "eventscope {args:?} wrote escapes"
        );
    }
}

#[test]
fn a_bad_cipher_key_is_one_line_naming_the_flag() {
    let message =
        crate::common::cli_error(["streams", &arg(&sample(SHOP)), "--cipher-key", "AAAA"]);
    assert!(message.contains("--cipher-key"), "{message}");
    assert_eq!(message.trim_end().lines().count(), 1, "{message}");
}

#[test]
fn a_reader_that_stops_after_one_row_is_no_error_in_any_format() {
    use std::io::{BufRead as _, BufReader};
    for format in ["csv", "jsonl", "table", "json"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_eventscope"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["search", &file(SHOP), "--format", format])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // The pipe's reader is gone now, as after `| head -1`.
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{format}: {stderr}");
        assert_eq!(stderr, "", "{format}");
    }
}
