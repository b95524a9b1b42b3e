//! Ordinary programs under the budget: they compute what jq (and jaq itself) computes, outputs are counted
//! only up to the second, globals bind in order, and the environment, `halt` and local time reveal nothing of
//! the machine.

use super::*;

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
