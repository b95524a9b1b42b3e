use serde_json::json;

use super::*;
use crate::core::replay::DeepMerge;
use crate::core::testing::json_event;

fn events(values: &[serde_json::Value]) -> Vec<Result<Event, StoreError>> {
    (1..)
        .zip(values)
        .map(|(v, data)| Ok(json_event("acct-1", v, "Changed", data.clone())))
        .collect()
}

fn request(paths: &[&str], x: XAxis) -> ChartRequest {
    ChartRequest {
        stream: "acct-1".to_owned(),
        paths: paths.iter().map(|p| (*p).to_owned()).collect(),
        x,
    }
}

fn chart(paths: &[&str], values: &[serde_json::Value]) -> Result<Chart, PlotError> {
    chart_of(
        &request(paths, XAxis::Version),
        &DeepMerge,
        None,
        events(values),
        &mut || {},
    )
}

#[test]
fn a_chart_keeps_each_fields_value_after_every_event_by_version() {
    let chart = chart(
        &["/balance", "/n"],
        &[
            json!({"balance": 10, "n": "1"}),
            json!({"balance": 25}),
            json!({"balance": 5, "n": 2}),
        ],
    )
    .unwrap();
    assert_eq!(chart.title(), "acct-1");
    let balance = &chart.series()[0];
    assert_eq!(
        (0..3).map(|i| balance.value_after(i)).collect::<Vec<_>>(),
        [Some(10.0), Some(25.0), Some(5.0)]
    );
    assert_eq!(chart.series()[1].bounds(), Some((1.0, 2.0)));
    assert_eq!(
        (chart.x_of(0), chart.x_of(2), chart.x_of(3)),
        (Some(1), Some(3), None)
    );
}

#[test]
fn a_field_that_is_never_a_number_or_no_pointer_or_no_event_is_refused_by_name() {
    let err = chart(&["/owner"], &[json!({"owner": "ann"})]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "/owner is never a number in stream acct-1 (it is the string \"ann\" after the last event)"
    );
    let err = chart(&["balance"], &[json!({"balance": 1})]).unwrap_err();
    assert!(err.to_string().contains("must start with /"), "{err}");
    let err = chart(&["/balance"], &[]).unwrap_err();
    assert_eq!(err.to_string(), "stream acct-1 has no events");
}

#[test]
fn over_time_every_event_needs_a_time() {
    let err = chart_of(
        &request(&["/balance"], XAxis::Time),
        &DeepMerge,
        None,
        events(&[json!({"balance": 1}), json!({"balance": 2})]),
        &mut || {},
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("2 of its 2 events record no time (the first is event 1)"),
        "{err}"
    );
}

#[test]
fn the_svg_names_the_stream_and_each_field_and_the_png_has_the_size_asked() {
    let chart = chart(
        &["/balance", "/fee"],
        &[
            json!({"balance": 1e308, "fee": -1e308}),
            json!({"balance": 3, "fee": 0.5}),
        ],
    )
    .unwrap();
    let svg = chart.svg(640, 320).unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..80]);
    for text in ["acct-1", "/balance", "/fee", "version"] {
        assert!(svg.contains(text), "{text} missing");
    }
    let png = chart.png(640, 320).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png[16..24], [0, 0, 2, 128, 0, 0, 1, 64]);
    assert!(matches!(chart.svg(10, 320), Err(PlotError::Size { .. })));
}

#[test]
fn value_ticks_are_labelled_briefly() {
    use super::render::tick_label;
    assert_eq!(tick_label(12.5), "12.5");
    assert_eq!(tick_label(-0.0), "0");
    assert_eq!(tick_label(3.0), "3");
    assert_eq!(tick_label(1e20), "1e20");
    assert_eq!(tick_label(2.5e-9), "2.5e-9");
    assert_eq!(tick_label(9.999999999999995e307), "1e308");
    assert_eq!(tick_label(-1.2345678e300), "-1.2346e300");
}

#[test]
fn fields_that_never_hold_a_number_beside_one_that_does_are_set_aside_by_name() {
    let chart = chart(
        &["/owner", "/balance"],
        &[json!({"owner": "ann", "balance": 1}), json!({"balance": 2})],
    )
    .unwrap();
    assert_eq!(chart.series().len(), 1);
    assert_eq!(chart.series()[0].path(), "/balance");
    let missing: Vec<String> = chart.missing().iter().map(ToString::to_string).collect();
    assert_eq!(
        missing,
        [
            "/owner is never a number in stream acct-1 (it is the string \"ann\" after the last event)"
        ]
    );
}

#[test]
fn ordinal_versions_are_not_kept_and_others_are() {
    let ordinal = chart(&["/n"], &[json!({"n": 1}), json!({"n": 2})]).unwrap();
    assert!(matches!(ordinal.xs, Xs::Ordinal(2)));
    assert_eq!(
        (ordinal.x_of(0), ordinal.x_of(1), ordinal.x_of(2)),
        (Some(1), Some(2), None)
    );
    let gapped: Vec<Result<Event, StoreError>> = [1, 2, 5]
        .into_iter()
        .map(|v| Ok(json_event("acct-1", v, "Changed", json!({"n": v}))))
        .collect();
    let chart = chart_of(
        &request(&["/n"], XAxis::Version),
        &DeepMerge,
        None,
        gapped,
        &mut || {},
    )
    .unwrap();
    assert_eq!((chart.x_of(1), chart.x_of(2)), (Some(2), Some(5)));
    assert_eq!(chart.xs.bounds(), (1, 5));
}
