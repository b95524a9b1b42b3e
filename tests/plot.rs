//! `eventscope plot` (issue 14): the numbers of a stream's state drawn to SVG and PNG files by the real
//! binary. The SVG's line is read back and compared with the balances `history` reports, so a chart of the
//! wrong field, or of values shifted by one event, fails; each mistake a user can make is one line.

use std::path::Path;

use crate::common::{arg, cli_error, cli_json, run_cli, sample};

const DE_0001: &str = "9e6f0814-1490-5e31-a7fb-07b2bdd25b03";
/// The first field's colour (`core::plot`'s palette).
const FIRST_COLOUR: &str = "#1F77B4";

fn bank() -> String {
    arg(&sample("eventsourcing-bank.sqlite"))
}

fn reducers() -> String {
    arg(&sample("eventsourcing/reducers.json"))
}

/// Run `plot` on DE-0001 with `more` arguments; requires success with nothing on stdout or stderr.
fn plot(output: &Path, more: &[&str]) {
    let mut args = vec![
        "plot".to_owned(),
        bank(),
        DE_0001.to_owned(),
        "--reducers".to_owned(),
        reducers(),
        "-o".to_owned(),
        arg(output),
    ];
    args.extend(more.iter().map(|a| (*a).to_owned()));
    let out = run_cli(&args);
    assert!(out.success, "plot {more:?} failed: {}", out.stderr);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
}

/// The points of every polyline drawn in `colour`, as pixel coordinates.
fn lines_in(svg: &str, colour: &str) -> Vec<Vec<(f64, f64)>> {
    svg.split("<polyline")
        .skip(1)
        .filter(|element| element.contains(&format!("stroke=\"{colour}\"")))
        .map(|element| {
            let points = element
                .split("points=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .expect("a polyline has points");
            points
                .split_whitespace()
                .map(|pair| {
                    let (x, y) = pair.split_once(',').expect("x,y");
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect()
        })
        .collect()
}

/// The balance after each event of DE-0001 in order, from `history` (the value before the first change
/// is the initial 0).
fn balances() -> Vec<f64> {
    let changes = cli_json([
        "history",
        &bank(),
        DE_0001,
        "--reducers",
        &reducers(),
        "--path",
        "/balance",
        "--json",
    ]);
    let events = cli_json(["events", &bank(), DE_0001, "--json"]);
    let mut balance = 0.0;
    let mut after = Vec::new();
    for event in events.as_array().unwrap() {
        let version = &event["version"];
        if let Some(change) = changes
            .as_array()
            .unwrap()
            .iter()
            .find(|c| &c["version"] == version)
        {
            balance = change["new"].as_f64().unwrap();
        }
        after.push(balance);
    }
    after
}

#[test]
fn an_svg_draws_the_balance_after_every_event_with_its_title_and_legend() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("balance.svg");
    plot(
        &output,
        &["--path", "/balance", "--width", "1200", "--height", "600"],
    );
    let svg = std::fs::read_to_string(&output).unwrap();
    assert!(svg.starts_with("<svg"), "not an SVG: {}", &svg[..60]);
    for text in [DE_0001, "/balance", "version"] {
        assert!(svg.contains(text), "{text} is not in the SVG");
    }
    let lines = lines_in(&svg, FIRST_COLOUR);
    // The legend's sample line is two points; the data line holds the steps.
    let data: Vec<(f64, f64)> = lines
        .into_iter()
        .filter(|l| l.len() > 2)
        .flatten()
        .collect();
    let balances = balances();
    assert!(
        data.len() >= balances.len(),
        "{} points for {} events",
        data.len(),
        balances.len()
    );
    assert!(data.windows(2).all(|w| w[0].0 <= w[1].0), "x goes back");
    // Pixel y is linear in the value: the highest and lowest balances are the line's top and bottom, and
    // every point read back through that line is a balance the stream held (within a pixel).
    let (low, high) = balances
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), &b| (l.min(b), h.max(b)));
    let (top, bottom) = data
        .iter()
        .fold((f64::MAX, f64::MIN), |(t, b), p| (t.min(p.1), b.max(p.1)));
    let per_pixel = (high - low) / (bottom - top);
    for &(_, y) in &data {
        let value = high - (y - top) * per_pixel;
        assert!(
            balances
                .iter()
                .any(|b| (b - value).abs() <= 1.5 * per_pixel),
            "a point at {value} was never the balance ({balances:?})"
        );
    }
    // Every balance held is drawn.
    for balance in &balances {
        let y = top + (high - balance) / per_pixel;
        assert!(
            data.iter().any(|p| (p.1 - y).abs() <= 1.5),
            "balance {balance} is not drawn"
        );
    }
}

#[test]
fn a_png_over_time_with_two_fields_has_the_size_asked() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("balance.PNG");
    plot(
        &output,
        &[
            "--path", "/balance", "--path", "/balance", "--x", "time", "--width", "640",
            "--height", "360",
        ],
    );
    let png = std::fs::read(&output).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    assert_eq!((size(16), size(20)), (640, 360));
}

#[test]
fn each_mistake_is_one_line_naming_what_to_fix_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let svg = arg(&dir.path().join("out.svg"));
    let base = |path: &str, output: &str| {
        vec![
            "plot".to_owned(),
            bank(),
            DE_0001.to_owned(),
            "--reducers".to_owned(),
            reducers(),
            "--path".to_owned(),
            path.to_owned(),
            "-o".to_owned(),
            output.to_owned(),
        ]
    };
    let cases: [(Vec<String>, &str); 5] = [
        (
            base("/owner", &svg),
            "/owner is never a number in stream 9e6f0814-1490-5e31-a7fb-07b2bdd25b03 (it is the string \"Anna Schmidt\" after the last event)",
        ),
        (
            base("balance", &svg),
            "field \"balance\" must start with / (a JSON Pointer, e.g. /balance)",
        ),
        (
            base("/balance", &arg(&dir.path().join("out.jpg"))),
            "name the output FILE.svg or FILE.png",
        ),
        (
            {
                let mut args = base("/balance", &svg);
                args[2] = "no-such-stream".to_owned();
                args
            },
            "no stream \"no-such-stream\"",
        ),
        (
            {
                let mut args = base("/balance", &svg);
                args.extend(["--width".to_owned(), "20".to_owned()]);
                args
            },
            "a chart is 200 to 8000 pixels wide and high, not 20x500",
        ),
    ];
    for (args, wanted) in cases {
        let message = cli_error(&args);
        assert!(message.contains(wanted), "{args:?}: {message}");
        assert_eq!(message.trim_end().lines().count(), 1, "{message}");
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "a file was left behind"
    );
}
