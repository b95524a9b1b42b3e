//! Each hostile program of the issue ends, quickly, with the error naming the limit it went past; ordinary
//! programs compute what they did before.

mod semantics;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars};
use jaq_json::Val;

use super::*;

/// A smaller step budget than the default keeps the probes fast in unoptimised test builds.
const STEPS: u64 = 200_000;

/// The time budget is raised out of the way so the budget a probe expects is the one that stops it,
/// however loaded the machine (tests of the time budget set their own).
fn budget() -> Budget {
    Budget {
        steps: STEPS,
        time: Duration::from_secs(600),
        ..Budget::default()
    }
}

fn run(code: &str, input: Value) -> Result<Value, JqError> {
    compile(code, &[])?.run_one(&input, &[], &budget())
}

/// `code` on `input` run by jaq as the app ran it before: no rewrite, no budget.
fn plain_jaq(code: &str, input: &Value) -> Result<Value, String> {
    use jaq_core::{data, unwrap_valr};
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs());
    let funs = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs());
    let arena = Arena::default();
    let modules = Loader::new(defs)
        .load(&arena, File { code, path: () })
        .map_err(|e| format!("{e:?}"))?;
    let filter = Compiler::default()
        .with_funs(funs)
        .compile(modules)
        .map_err(|e| format!("{e:?}"))?;
    let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new([]));
    let mut outputs = filter
        .id
        .run((ctx, convert::to_val(input)))
        .map(unwrap_valr);
    let first = outputs
        .next()
        .ok_or("no output")?
        .map_err(|e| e.to_string())?;
    convert::from_val(&first).map_err(|e| format!("{e:?}"))
}

/// Runs `code` on `null` on a 2 MiB thread (Rust's default, what our worker threads have) and checks it
/// fails within a few seconds.
fn fails_fast(code: &str) -> JqError {
    let code = code.to_owned();
    let started = Instant::now();
    let outcome = std::thread::Builder::new()
        .name("jq-probe".to_owned())
        .stack_size(2 * 1024 * 1024)
        .spawn(move || run(&code, Value::Null))
        .unwrap()
        .join()
        .unwrap();
    let took = started.elapsed();
    // A bound against hangs, not a measure: loaded CI machines run debug builds slowly.
    assert!(took < Duration::from_secs(120), "took {took:?}");
    outcome.expect_err("a hostile program must fail")
}

fn budget_error(code: &str) -> Limit {
    match fails_fast(code) {
        JqError::Budget(limit) => limit,
        other => panic!("{code}: {other}"),
    }
}

#[test]
fn repeat_runs_out_of_steps() {
    assert_eq!(
        budget_error("[limit(1e9; repeat(.))] | length"),
        Limit::Steps(STEPS)
    );
    // A reducer gives one output, so `repeat(.)` alone stops at the second.
    assert_eq!(fails_fast("repeat(.)"), JqError::SeveralOutputs);
}

#[test]
fn a_huge_range_runs_out_of_steps() {
    assert_eq!(budget_error("[range(1e12)] | length"), Limit::Steps(STEPS));
    assert_eq!(budget_error("[range(1e9)]"), Limit::Steps(STEPS));
    assert_eq!(
        budget_error("reduce range(1e12) as $i (0; . + 1)"),
        Limit::Steps(STEPS)
    );
}

#[test]
fn endless_recursion_and_loops_run_out_of_steps() {
    assert_eq!(budget_error("def f: f; f"), Limit::Steps(STEPS));
    assert_eq!(budget_error("until(false; .)"), Limit::Steps(STEPS));
    assert_eq!(budget_error("last(while(true; .))"), Limit::Steps(STEPS));
    assert_eq!(budget_error("last(recurse(.))"), Limit::Steps(STEPS));
}

#[test]
fn deep_recursion_stops_before_the_stack_ends() {
    assert_eq!(budget_error("def f: [f]; f"), Limit::Stack);
    assert_eq!(budget_error("def f: 1 + f; f"), Limit::Stack);
    assert_eq!(budget_error("def f: {a: f}; f"), Limit::Stack);
}

#[test]
fn copies_count_against_the_memory_budget() {
    // Each level copies a 16 MB string that the size budget sees only as the one byte added.
    assert_eq!(
        budget_error(r#"def f: (. + "x") as $a | [f]; ("x" * 16000000) | f"#),
        Limit::Memory
    );
    // Natives that build count their output as built instead; either way the program stops early.
    assert!(matches!(
        budget_error(r#"def f: ascii_downcase as $a | [f]; ("X" * 16000000) | f"#),
        Limit::Built | Limit::Memory
    ));
}

#[test]
fn catching_the_budget_error_does_not_escape_it() {
    assert!(matches!(
        budget_error("def f: try f catch f; f"),
        Limit::Steps(STEPS) | Limit::Stack
    ));
    assert_eq!(
        budget_error("try (def f: f; f) catch 1"),
        Limit::Steps(STEPS)
    );
    assert_eq!(
        budget_error("[limit(3; repeat(try (def f: f; f) catch 0))]"),
        Limit::Steps(STEPS)
    );
}

#[test]
fn deeply_nested_source_is_refused_before_parsing() {
    let reduces = "reduce .[] as $x (0; ".repeat(2_000) + "." + &")".repeat(2_000);
    assert!(matches!(
        fails_fast(&reduces),
        JqError::TooDeep {
            limit: MAX_NESTING,
            ..
        }
    ));
    let parens = "(".repeat(10_000) + &")".repeat(10_000);
    assert!(matches!(fails_fast(&parens), JqError::TooDeep { .. }));
    let ifs = "if . then ".repeat(3_000) + "." + &" else . end".repeat(3_000);
    assert!(matches!(fails_fast(&ifs), JqError::TooDeep { .. }));
    let arrays = "[".repeat(10_000) + &"]".repeat(10_000);
    assert!(matches!(fails_fast(&arrays), JqError::TooDeep { .. }));
}

#[test]
fn long_operator_chains_are_parsed_on_a_large_stack_and_refused_when_too_deep() {
    // Nesting without brackets: the parser still recurses once per operator or prefix.
    for program in [
        vec!["."; 15_000].join("|"),
        "-".repeat(30_000) + "1",
        vec!["1"; 20_000].join(","),
        vec!["."; 6_000].join(" as $x | "),
        "try ".repeat(10_000) + ".",
        "reduce ".repeat(3_000) + "." + &" as $x (.; .)".repeat(3_000),
    ] {
        let err = fails_fast(&program);
        assert!(
            matches!(err, JqError::TooDeep { .. } | JqError::TooLong { .. }),
            "{err}"
        );
    }
    let long = ".".repeat(MAX_SOURCE_BYTES + 1);
    assert!(matches!(fails_fast(&long), JqError::TooLong { .. }));
}

/// Programs nested `n` levels deep without calling a definition, with what they give.
fn nested_programs(n: usize) -> Vec<(String, Value)> {
    let list = |item: &str, sep: &str| vec![item; n].join(sep);
    vec![
        (list(".", " | "), json!(null)),
        (list("1", " + "), json!(n)),
        (format!("[{}] | length", list("1", ",")), json!(n)),
        (list("null", " // "), json!(null)),
        (
            format!(
                "{{{}}} | length",
                (0..n)
                    .map(|i| format!("k{i}: {i}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            json!(n),
        ),
        (
            format!(
                "if . == -1 then 0 {} else 7 end",
                (0..n)
                    .map(|i| format!("elif . == {i} then {i} "))
                    .collect::<String>()
            ),
            json!(7),
        ),
        (format!(r#""{}" | length"#, r"\(1)".repeat(n)), json!(n)),
        (format!("{{}} | {}", ".a".repeat(n)), json!(null)),
    ]
}

#[test]
fn too_many_arguments_or_pattern_variables_are_refused() {
    let vars = |n: usize| (0..n).map(|i| format!("$a{i}")).collect::<Vec<_>>();
    let args = |n: usize| vec!["1"; n].join("; ");
    let def = |n: usize| format!("def f({}): $a0; f({})", vars(n).join("; "), args(n));
    let pattern = |n: usize| format!("[range({n})] as [{}] | $a0", vars(n).join(", "));
    assert_eq!(run(&def(MAX_BINDINGS), Value::Null), Ok(json!(1)));
    assert_eq!(run(&pattern(MAX_BINDINGS), Value::Null), Ok(json!(0)));
    for program in [def(MAX_BINDINGS + 1), pattern(MAX_BINDINGS + 1)] {
        assert!(
            matches!(fails_fast(&program), JqError::TooWide { .. }),
            "{program}"
        );
    }
}

#[test]
fn deep_programs_end_with_a_budget_error_not_a_stack_overflow() {
    for stack_kib in [256, 2048] {
        for (n, must_run) in [(48, true), (MAX_PROGRAM_DEPTH - 16, false)] {
            for (program, want) in nested_programs(n) {
                let shown = program.chars().take(40).collect::<String>();
                let got = std::thread::Builder::new()
                    .stack_size(stack_kib * 1024)
                    .spawn(move || run(&program, Value::Null))
                    .unwrap()
                    .join()
                    .unwrap();
                match got {
                    Ok(got) => assert_eq!(got, want, "{shown}"),
                    Err(JqError::Budget(Limit::Stack)) if !must_run => {}
                    Err(err) => panic!("{shown}... ({n} deep): {err}"),
                }
            }
        }
    }
}

#[test]
fn values_too_large_or_too_deep_are_refused() {
    // jaq repeats a string by integers only: `1e12` is a decimal, an error at once.
    assert!(matches!(fails_fast(r#""x" * 1e12"#), JqError::Runtime(_)));
    for repeated in [
        r#""x" * 1000000000000"#,
        r#""x" * (1e12 | floor)"#,
        r#"{s: "x"} | .s *= 1000000000000"#,
    ] {
        assert_eq!(budget_error(repeated), Limit::Size, "{repeated}");
    }
    for doubling in [
        r#"reduce range(64) as $i ("x"; . + .)"#,
        r#"reduce range(64) as $i ("x"; "\(.)\(.)")"#,
        r#"reduce range(64) as $i ("x"; tojson)"#,
        // Shared halves: small in memory, exponential as JSON text.
        "reduce range(64) as $i (1; [., .]) | tostring",
        "reduce range(64) as $i (1; {a: ., b: .})",
        "reduce range(64) as $i (1; . as $x | {$x, y: $x})",
        "reduce range(64) as $i ({}; .a = . | .b = .a)",
        "reduce range(64) as $i ({a: 1}; .a |= [., .])",
        "reduce range(64) as $i ([1]; . += .)",
        "reduce range(64) as $i ({a: 1}; {b: .} * {c: .})",
        "reduce range(64) as $i (2; . * .)",
        // Copies of a large string, each small enough, collected: stopped long before memory runs out.
        r#"[limit(1e9; repeat("x" * 1000000))] | length"#,
    ] {
        assert!(
            matches!(budget_error(doubling), Limit::Size | Limit::Built),
            "{doubling}"
        );
    }
    for deep in [
        "reduce range(100000) as $i (null; [.])",
        "reduce range(100000) as $i (null; {a: .})",
        r#""[" * 100000 | fromjson"#,
    ] {
        assert_eq!(budget_error(deep), Limit::Depth, "{deep}");
    }
}

#[test]
fn building_a_large_value_one_piece_at_a_time_costs_no_more_than_the_pieces() {
    // Counting what is added, not measuring each result again: these stay linear.
    let budget = Budget {
        steps: 10_000_000,
        ..Budget::default()
    };
    let n = 30_000;
    for (code, want) in [
        (
            format!("reduce range({n}) as $i ([]; . + [$i]) | length"),
            json!(n),
        ),
        (
            format!("reduce range({n}) as $i ({{}}; .[\"k\\($i)\"] = $i) | length"),
            json!(n),
        ),
        (
            format!("reduce range({n}) as $i (\"\"; . + \"x\") | length"),
            json!(n),
        ),
        (format!("[range({n})] | map(. + 1) | length"), json!(n)),
    ] {
        let started = Instant::now();
        let got = compile(&code, &[])
            .unwrap()
            .run_one(&Value::Null, &[], &budget);
        assert_eq!(got, Ok(want), "{code}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{code}: {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn a_cancelled_evaluation_stops() {
    let cancel = Arc::new(AtomicBool::new(true));
    let budget = Budget {
        cancel: Some(cancel),
        ..Budget::default()
    };
    let program = compile("def f: f; f", &[]).unwrap();
    assert_eq!(
        program.run_one(&Value::Null, &[], &budget),
        Err(JqError::Budget(Limit::Cancelled))
    );
}

#[test]
fn the_time_budget_stops_a_slow_program() {
    let budget = Budget {
        time: Duration::from_millis(50),
        steps: u64::MAX,
        cancel: None,
    };
    let program = compile("def f: f; f", &[]).unwrap();
    let started = Instant::now();
    assert_eq!(
        program.run_one(&Value::Null, &[], &budget),
        Err(JqError::Budget(Limit::Time(Duration::from_millis(50))))
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}
