use super::*;
use crate::core::replay::DeepMerge;

#[test]
fn text_is_escaped_for_html() {
    assert_eq!(
        escape("<script>alert('x') & \"y\"</script>"),
        "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
    );
}

#[test]
fn charted_fields_are_drawn_inline_and_a_field_with_no_number_is_named() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/faults.sqlite");
    let store = Store::open(&path, None).unwrap();
    let request = ReportRequest {
        store: &store,
        sha256_at_open: store.content_digest().unwrap(),
        streams: vec!["order-7".to_owned()],
        from: None,
        to: None,
        reducer: &DeepMerge,
        reducers: None,
        analysis_time: Utc::now(),
        charts: vec!["/total".to_owned(), "/status".to_owned()],
    };
    let mut out = Vec::new();
    write_report(&request, &mut out).unwrap();
    let html = String::from_utf8(out).unwrap();
    assert!(html.contains("<h3>Chart of /total, /status after every event</h3>"));
    let svg = &html[html
        .find("<div class=\"chart\"><svg")
        .expect("an inline SVG")..];
    assert!(svg.contains("order-7") && svg.contains("/total"));
    assert!(
        html.contains("<p>/status is never a number in stream order-7"),
        "{html}"
    );
}

#[test]
fn a_file_that_changed_gets_a_loud_banner() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/faults.sqlite");
    let store = Store::open(&path, None).unwrap();
    let request = ReportRequest {
        store: &store,
        sha256_at_open: "0".repeat(64),
        streams: vec!["order-7".to_owned()],
        from: None,
        to: None,
        reducer: &DeepMerge,
        reducers: None,
        analysis_time: Utc::now(),
        charts: Vec::new(),
    };
    let mut out = Vec::new();
    let outcome = write_report(&request, &mut out).unwrap();
    assert!(!outcome.unchanged());
    let html = String::from_utf8(out).unwrap();
    assert!(html.contains("class=\"alarm\"") && html.contains("CHANGED"));
    assert!(!html.contains("class=\"ok\""));
    assert!(
        html.contains("{sku: H, qty: 1"),
        "the undecodable payload is shown, escaped"
    );
}
