//! Hostile jq through the CLI: each program of the issue, as a reducer (`state --reducers`) and as a search
//! predicate (`search --where`), ends within seconds with an error naming the stream, version, type and
//! reducer key and the limit it went past; `env` and `$ENV` reveal nothing of the environment; the budget
//! flags raise and lower the limits.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::common::{cli_error, cli_json, run_cli, sample};

const BANK: &str = "eventsourcing-bank.sqlite";
const DE_0001: &str = "9e6f0814-1490-5e31-a7fb-07b2bdd25b03";
/// Its first event.
const OPENED: &str = "BankAccount.Opened";

fn s(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// A reducer file applying `expression` to every event.
fn reducer_file(dir: &Path, expression: &str) -> String {
    let file = dir.join("hostile.json");
    let text = serde_json::to_string(&json!({"reducers": {"*": expression}})).unwrap();
    std::fs::write(&file, text).unwrap();
    s(&file)
}

/// `state` of the bank account with `expression` as the reducer: it must fail within seconds, and the
/// message must name the event and the key.
fn state_error(expression: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = reducer_file(dir.path(), expression);
    let bank = s(&sample(BANK));
    let mut args: Vec<&str> = vec!["state", &bank, DE_0001, "--reducers", &file];
    args.extend_from_slice(extra);
    let started = Instant::now();
    let err = cli_error(&args);
    let took = started.elapsed();
    // A bound against hangs, not a measure: loaded CI machines run debug builds slowly.
    assert!(
        took < Duration::from_secs(180),
        "{expression}: took {took:?}"
    );
    assert!(
        err.contains(DE_0001)
            && err.contains("version 1")
            && err.contains(OPENED)
            && err.contains("key \"*\""),
        "{expression}: {err}"
    );
    err
}

/// Fewer steps than the default, so the probes end fast in unoptimised test builds too.
const STEPS: &str = "100000";

#[test]
fn endless_reducers_run_out_of_steps_and_say_how_to_raise_them() {
    for expression in [
        "def f: f; f",
        "until(false; .)",
        "[range(1e12)] | .[0]",
        "[range(1e9)] | length",
        "[limit(1e9; repeat(.))] | length",
        "reduce range(1e12) as $i (.; .)",
    ] {
        // The time budget is raised out of the way so the step budget is what stops it, however loaded
        // the machine.
        let err = state_error(
            expression,
            &["--jq-steps", STEPS, "--jq-timeout-ms", "600000"],
        );
        assert!(
            err.contains("exceeded the step budget of 100000 steps") && err.contains("--jq-steps"),
            "{expression}: {err}"
        );
    }
}

#[test]
fn a_reducer_stops_at_its_second_output() {
    for expression in ["repeat(.)", "range(1e12)", ". , ."] {
        let err = state_error(expression, &[]);
        assert!(err.contains("more than one output"), "{expression}: {err}");
    }
}

#[test]
fn deep_recursion_and_huge_values_are_budget_errors_not_crashes() {
    for (expression, needle) in [
        ("def f: [f]; f", "recursion used more than"),
        (r#""x" * 1000000000000"#, "size budget"),
        (r#"reduce range(64) as $i ("x"; . + .)"#, "size budget"),
        ("reduce range(64) as $i (.; [., .])", "size budget"),
        (
            r#"def f: (. + "x") as $a | [f]; ("x" * 16000000) | f"#,
            "memory budget",
        ),
        (
            "reduce range(100000) as $i (null; [.])",
            "nested deeper than 128",
        ),
    ] {
        let err = state_error(
            expression,
            &["--jq-steps", STEPS, "--jq-timeout-ms", "600000"],
        );
        assert!(err.contains(needle), "{expression}: {err}");
    }
}

#[test]
fn a_deeply_nested_reducer_is_refused_when_the_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let nested = "reduce .[] as $x (0; ".repeat(2_000) + "." + &")".repeat(2_000);
    let file = reducer_file(dir.path(), &nested);
    let err = cli_error(["state", &s(&sample(BANK)), DE_0001, "--reducers", &file]);
    assert!(
        err.contains("hostile.json") && err.contains("\"*\"") && err.contains("nests"),
        "{err}"
    );
}

#[test]
fn the_step_budget_can_be_lowered_and_raised() {
    let counting = "reduce range(5000) as $i (.; .) | .";
    let err = state_error(counting, &["--jq-steps", "1000"]);
    assert!(err.contains("step budget of 1000 steps"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let file = reducer_file(dir.path(), "reduce range(20000) as $i (.; .)");
    let bank = s(&sample(BANK));
    cli_error([
        "state",
        &bank,
        DE_0001,
        "--reducers",
        &file,
        "--jq-steps",
        "10000",
    ]);
    let state = cli_json([
        "state",
        &bank,
        DE_0001,
        "--reducers",
        &file,
        "--jq-steps",
        "100000",
    ]);
    assert!(state.is_object(), "{state}");
    let err = state_error(
        "def f: f; f",
        &["--jq-steps", "100000000000", "--jq-timeout-ms", "200"],
    );
    assert!(
        err.contains("time budget of 200 ms") && err.contains("--jq-timeout-ms"),
        "{err}"
    );
}

#[test]
fn env_and_env_var_do_not_reveal_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let file = reducer_file(
        dir.path(),
        r#"{env: env, ENV: $ENV, secret: env.EVENTSCOPE_SECRET, also: $ENV.EVENTSCOPE_SECRET}"#,
    );
    let output = Command::new(env!("CARGO_BIN_EXE_eventscope"))
        .args(["state", &s(&sample(BANK)), DE_0001, "--reducers", &file])
        .env("EVENTSCOPE_SECRET", "hunter2-do-not-print")
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains("hunter2"), "{stdout}");
    let state: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        state,
        json!({"env": {}, "ENV": {}, "secret": null, "also": null})
    );
}

#[test]
fn a_hostile_search_predicate_stops_the_search_naming_the_event() {
    let bank = s(&sample(BANK));
    let started = Instant::now();
    let out = run_cli([
        "search",
        &bank,
        "--where",
        "def f: f; f",
        "--jq-steps",
        STEPS,
    ]);
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(!out.success);
    assert!(
        out.stderr.contains("`def f: f; f`")
            && out.stderr.contains("version 1")
            && out.stderr.contains("exceeded the step budget")
            && out.stderr.contains("(raise it with --jq-steps)"),
        "{}",
        out.stderr
    );
    let out = run_cli([
        "search",
        &bank,
        "--where",
        "[range(1e9)] | length > 0",
        "--jq-steps",
        "5000",
    ]);
    assert!(
        !out.success && out.stderr.contains("step budget of 5000 steps"),
        "{}",
        out.stderr
    );
    // Several outputs are fine in a predicate: some true one matches.
    let hits = cli_json(["search", &bank, "--where", "range(1e12) | . == 3", "--json"]);
    assert!(!hits.as_array().unwrap().is_empty());
    let hits = cli_json([
        "search",
        &bank,
        "--where",
        "env == {} and $ENV == {}",
        "--json",
    ]);
    assert!(!hits.as_array().unwrap().is_empty());
}

/// The child gets a `TZ` far from UTC (Kathmandu, +05:45, written as a POSIX rule so no tz database is
/// needed); this process's environment is left alone. Unless `localtime` and `strflocaltime` ignore it, the
/// state shows 05:45 and `+0545`.
#[test]
fn local_time_functions_ignore_the_machines_timezone() {
    let dir = tempfile::tempdir().unwrap();
    let file = reducer_file(
        dir.path(),
        r#"{local: (0 | strflocaltime("%H:%M %z")), broken: (0 | localtime), utc: (0 | gmtime)}"#,
    );
    for tz in ["<+0545>-5:45", "Asia/Kathmandu"] {
        let output = Command::new(env!("CARGO_BIN_EXE_eventscope"))
            .args(["state", &s(&sample(BANK)), DE_0001, "--reducers", &file])
            .env("TZ", tz)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let state: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(state["local"], "00:00 +0000", "TZ={tz}");
        assert_eq!(
            state["broken"],
            json!([1970, 0, 1, 0, 0, 0, 4, 0]),
            "TZ={tz}"
        );
        assert_eq!(state["broken"], state["utc"], "TZ={tz}");
    }
}
