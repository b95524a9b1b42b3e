//! The audit report's bytes are pinned: reports of a sample with findings and of a store full of HTML
//! special characters, unicode and an unreadable time must equal golden files written by the report before
//! it moved to templates, apart from what differs between machines and runs (the store's directory, its
//! size and SHA-256, and the analysis time), which both sides blank.

use std::path::Path;

use chrono::Utc;
use eventscope::core::audit::report::{ReportRequest, write_report};
use eventscope::core::replay::DeepMerge;
use eventscope::core::store::Store;

/// The report of `streams` in the store at `path`, with what differs between runs blanked.
fn report(path: &Path, streams: &[&str]) -> String {
    let store = Store::open(path, None).unwrap();
    let request = ReportRequest {
        store: &store,
        sha256_at_open: store.content_digest().unwrap(),
        streams: streams.iter().map(|s| (*s).to_owned()).collect(),
        from: None,
        to: None,
        reducer: &DeepMerge,
        reducers: None,
        analysis_time: Utc::now(),
        charts: Vec::new(),
    };
    let mut html = Vec::new();
    let outcome = write_report(&request, &mut html).unwrap();
    assert!(outcome.unchanged());
    let html = String::from_utf8(html).unwrap();
    let dir = std::path::absolute(path.parent().unwrap()).unwrap();
    let html = html.replace(&dir.display().to_string(), "<DIR>");
    let html = blank(&html, "<code id=\"sha256-open\">", "</code>", "HASH");
    let html = blank(&html, "<code id=\"sha256-write\">", "</code>", "HASH");
    let html = blank(&html, "<dt>Size</dt><dd>", " bytes</dd>", "SIZE");
    blank(&html, "<time id=\"analysis-time\">", "</time>", "TIME")
}

/// `html` with the text between the first `start` and the `end` after it replaced by `with`.
fn blank(html: &str, start: &str, end: &str, with: &str) -> String {
    let from = html.find(start).unwrap() + start.len();
    let to = from + html[from..].find(end).unwrap();
    format!("{}{with}{}", &html[..from], &html[to..])
}

fn golden(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn a_report_with_findings_is_byte_identical_to_its_golden_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/faults.sqlite");
    let html = report(&path, &["order-7", "customer-2"]);
    assert!(html.contains("<td class=\"error\">") || html.contains("<td class=\"warning\">"));
    assert_eq!(html, golden("report-faults.html"));
}

#[test]
fn a_report_of_html_special_characters_and_unicode_is_byte_identical_to_its_golden_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("xss.sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data TEXT, time TEXT);",
    )
    .unwrap();
    let odd = "s<&>\"'é✓";
    let rows: [(&str, i64, &str, &str, Option<&str>); 4] = [
        (
            odd,
            1,
            "<script>alert(1)</script>",
            r#"{"note": "</pre><img src=x onerror=alert(1)>", "ü": "日本 & 'q'"}"#,
            Some("2024-01-01T00:00:00Z"),
        ),
        (
            odd,
            2,
            "Ren&amed",
            r#"{"note": null, "n": 3}"#,
            Some("not a <time>"),
        ),
        (
            odd,
            4,
            "Gap",
            r#"{"x": [1,2,"<b>"]}"#,
            Some("2023-01-01T00:00:00Z"),
        ),
        ("plain", 1, "A", r#"not json <at all> & ""#, None),
    ];
    for row in rows {
        conn.execute(
            "INSERT INTO events(stream_id, version, type, data, time) VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![row.0, row.1, row.2, row.3, row.4],
        )
        .unwrap();
    }
    drop(conn);
    let html = report(&path, &[odd, "plain"]);
    assert!(!html.contains("<script>") && !html.contains("<img"));
    assert_eq!(html, golden("report-escaping.html"));
}
