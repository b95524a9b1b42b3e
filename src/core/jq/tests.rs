//! Each hostile program of the issue ends, quickly, with the error naming the limit it went past; ordinary
//! programs compute what they did before.

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
fn env_and_env_var_reveal_nothing() {
    // Any variable this process has (the CLI tests set one of their own in the child's environment).
    let (name, value) = std::env::vars()
        .find(|(_, value)| value.len() > 3)
        .expect("the test process has an environment");
    assert_eq!(run("env", Value::Null), Ok(json!({})));
    assert_eq!(run("$ENV", Value::Null), Ok(json!({})));
    assert_eq!(run(&format!("env.{name:?}"), Value::Null), Ok(Value::Null));
    assert_eq!(
        run(&format!("$ENV[{name:?}]"), Value::Null),
        Ok(Value::Null)
    );
    for program in [
        "[env, $ENV] | tostring",
        "$__loc__",
        "input_filename",
        "$__prog_args",
        "get_search_list",
        "[splits(\"x\")]",
    ] {
        if let Ok(out) = run(program, Value::Null) {
            assert!(!out.to_string().contains(&value), "{program}: {out}");
        }
    }
}

#[test]
fn halt_is_an_error_not_an_exit() {
    assert!(matches!(run("halt", Value::Null), Err(JqError::Runtime(_))));
    assert!(matches!(
        run(r#""bye" | halt_error(1)"#, Value::Null),
        Err(JqError::Runtime(_))
    ));
}

/// Sets nothing global: the functions are compared with their UTC twins, which no timezone changes (the
/// CLI test `local_time_functions_ignore_the_machines_timezone` runs the binary with a `TZ` of its own).
#[test]
fn local_time_functions_are_the_utc_ones() {
    let times = json!([0, 1_700_000_000, 1_700_000_000.25, -86_401, 951_782_400]);
    let same = |local: &str, utc: &str| {
        assert_eq!(
            run(&format!("map({local})"), times.clone()),
            run(&format!("map({utc})"), times.clone()),
            "{local} and {utc}"
        );
    };
    same("localtime", "gmtime");
    same(
        r#"strflocaltime("%Y-%m-%dT%H:%M:%S %Z %z")"#,
        r#"strftime("%Y-%m-%dT%H:%M:%S %Z %z")"#,
    );
    // A broken-down time is read as UTC by both, and `mktime` turns `localtime` back into the number.
    same(
        r#"localtime | strflocaltime("%H:%M %z")"#,
        r#"gmtime | strftime("%H:%M %z")"#,
    );
    same("localtime | mktime", ".");
    assert_eq!(
        run(
            r#"strflocaltime("%Y-%m-%d %H:%M:%S %Z")"#,
            json!(1_700_000_000)
        ),
        Ok(json!("2023-11-14 22:13:20 UTC"))
    );
    assert_eq!(
        run("localtime", json!(1_700_000_000)),
        Ok(json!([2023, 10, 14, 22, 13, 20, 2, 317]))
    );
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

#[test]
fn ordinary_programs_compute_what_jq_does() {
    let input = json!({"lines": [{"sku": "a", "qty": 2}, {"sku": "b", "qty": 3}], "n": 1});
    for (code, want) in [
        (".lines | map(.qty) | add", json!(5)),
        ("[.lines[] | select(.qty > 2) | .sku]", json!(["b"])),
        (".n += 1 | .n", json!(2)),
        (".n *= 3 | .n", json!(3)),
        (r#""ab" * 3"#, json!("ababab")),
        (r#""ab" * 0"#, json!(null)),
        ("{a: {b: 1}} * {a: {c: 2}}", json!({"a": {"b": 1, "c": 2}})),
        ("[range(5)]", json!([0, 1, 2, 3, 4])),
        ("[range(0; 10; 3)]", json!([0, 3, 6, 9])),
        ("[range(5; 0; -2)]", json!([5, 3, 1])),
        ("[limit(3; repeat(1))]", json!([1, 1, 1])),
        (
            "[paths]",
            json!([
                ["lines"],
                ["lines", 0],
                ["lines", 0, "sku"],
                ["lines", 0, "qty"],
                ["lines", 1],
                ["lines", 1, "sku"],
                ["lines", 1, "qty"],
                ["n"]
            ]),
        ),
        ("path(.lines[0].sku)", json!(["lines", 0, "sku"])),
        ("[path(first(.lines[]))]", json!([["lines", 0]])),
        ("del(.lines) | .n", json!(1)),
        (
            ".lines |= map(.qty *= 10) | [.lines[].qty]",
            json!([20, 30]),
        ),
        (
            "walk(if type == \"number\" then . + 1 else . end) | .n",
            json!(2),
        ),
        ("to_entries | map(.key)", json!(["lines", "n"])),
        ("with_entries(.value |= tostring) | .n", json!("1")),
        (r#""\(.n) and \(.lines | length)""#, json!("1 and 2")),
        (r#"@base64 "x\(.n)""#, json!("xMQ==")),
        ("reduce .lines[] as $l (0; . + $l.qty)", json!(5)),
        ("[foreach .lines[] as $l (0; . + $l.qty)]", json!([2, 5])),
        ("[.lines[] as {sku: $s} | $s]", json!(["a", "b"])),
        (r#""{\"a\":[1]}" | fromjson"#, json!({"a": [1]})),
        ("tojson | fromjson | .n", json!(1)),
        (
            "def fac: if . <= 1 then 1 else . * (. - 1 | fac) end; 10 | fac",
            json!(3_628_800),
        ),
        ("[.[] | length]", json!([2, 1])),
        ("getpath([\"lines\", 1, \"sku\"])", json!("b")),
        ("100.50", serde_json::from_str("100.50").unwrap()),
        ("try error(\"x\") catch .", json!("x")),
        ("label $out | 1, break $out", json!(1)),
        ("[.lines[].sku] | join(\"-\")", json!("a-b")),
        ("\"a,b\" | split(\",\")", json!(["a", "b"])),
        ("\"abc\" | test(\"b\")", json!(true)),
    ] {
        assert_eq!(run(code, input.clone()), Ok(want.clone()), "{code}");
        assert_eq!(plain_jaq(code, &input), Ok(want), "{code} in jaq itself");
    }
}

#[test]
fn results_and_errors_are_those_of_jaq_itself() {
    let input = json!({"a": [1, "x", null, {"b": [true]}], "n": 2.5, "s": "Zoë"});
    for code in [
        ".a | map(type)",
        "[.. | numbers]",
        "[paths(type == \"boolean\")]",
        "setpath([\"x\", \"y\"]; 1)",
        ".a[3].b[0] = false",
        ".n * 2",
        ".s * 2",
        "\"\\(.a)\"",
        ".a | tojson | fromjson",
        "[.a[] | strings] | implode? // \"no\"",
        ".a - [null]",
        "{a: .n} * {a: {c: 1}}",
        "[limit(3; .a[])]",
        "first(range(10; 0; -3))",
        "[range(0; 1; 0.25)]",
        "[range(3; 0)]",
        "to_entries | from_entries",
        "[keys, length]",
        ".a[1:] | length",
        "del(.a[0, 2])",
        "[splits(\"ë\")]",
        ".s | ascii_downcase | explode",
        "input",
        "1 / 0",
        "{} | .a.b.c = 1",
        "[.a[] | tostring]",
        "[\"a\", \"1 2\", \"[\" | fromjson?]",
        "\"x\" | tonumber",
        "@json \"v: \\(.n)\"",
        ".n as $x | [$x, $x * $x]",
        "reduce .a[] as [$x] (0; . + 1)",
        "[foreach range(5) as $i (0; . + $i; [$i, .])]",
        "getpath([\"a\", 3, \"b\"])",
        "[.a[] | numbers] | add",
        "$__loc__",
        "ltrimstr(1)",
        "error(\"custom\")",
        "try error({a: 1}) catch .a",
        ".[] += 1",
        "(.a[] | select(type == \"number\")) |= . * 10",
        "to_entries | map(select(.key == \"n\")) | from_entries",
    ] {
        let ours = run(code, input.clone()).map_err(|e| e.to_string());
        match (ours, plain_jaq(code, &input)) {
            (Ok(ours), Ok(theirs)) => assert_eq!(ours, theirs, "{code}"),
            (Err(_), Err(_)) => {}
            (ours, theirs) => panic!("{code}: ours {ours:?}, jaq {theirs:?}"),
        }
    }
}

#[test]
fn outputs_are_counted_only_up_to_the_second() {
    assert_eq!(run("empty", Value::Null), Err(JqError::NoOutput));
    assert_eq!(run("1, 2", Value::Null), Err(JqError::SeveralOutputs));
    // The second output is an endless range: not computed.
    assert_eq!(
        run("range(1e18)", Value::Null),
        Err(JqError::SeveralOutputs)
    );
    let matches = compile(".[] | . > 1", &[]).unwrap();
    assert_eq!(
        matches.matches(&json!([1, 2, 3]), &[], &Budget::default()),
        Ok(true)
    );
    let endless = compile("range(1e18) | . == 5", &[]).unwrap();
    assert_eq!(
        endless.matches(&Value::Null, &[], &Budget::default()),
        Ok(true)
    );
}

#[test]
fn globals_are_bound_in_order_and_syntax_errors_say_where() {
    let program = compile("[$a, $b]", &["$a", "$b"]).unwrap();
    assert_eq!(
        program.run_one(&Value::Null, &[&json!(1), &json!(2)], &Budget::default()),
        Ok(json!([1, 2]))
    );
    let err = compile(".a +", &[]).unwrap_err();
    assert!(
        matches!(&err, JqError::Syntax(m) if m.contains("term")),
        "{err}"
    );
    let err = compile("nosuchfunction(1)", &[]).unwrap_err();
    assert!(
        matches!(&err, JqError::Compile(m) if m.contains("nosuchfunction/1")),
        "{err}"
    );
    let err = compile("$nope", &[]).unwrap_err();
    assert!(
        matches!(&err, JqError::Compile(m) if m.contains("$nope")),
        "{err}"
    );
    // Our hooks cannot be called or shadowed by name.
    assert!(compile("def __tick: .; 1", &[]).is_ok());
    assert!(matches!(compile("!tick", &[]), Err(JqError::Syntax(_))));
}
