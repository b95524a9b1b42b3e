//! The report's HTML, from [`ReportData`] through the askama templates in `templates/report/`: the page
//! (`report.html`), a stream's section (`stream.html`), a findings table (`findings.html`) and a time cell
//! (`time.html`). The templates are compiled in, so a mistake in one is a build error, not a broken report.
//!
//! Every value is escaped by [`Html`], the escaper `askama.toml` names for `.html` templates: it writes the
//! named entities the report has always written, so reports stay byte-identical to earlier ones.

use askama::Template;

use super::model::{ReportData, Source, TimeCell};

/// The page; `data` is the whole report.
#[derive(Template)]
#[template(path = "report/report.html")]
struct Page<'a> {
    data: &'a ReportData,
}

/// The report as HTML, ending with a newline.
pub(super) fn render(data: &ReportData) -> Result<String, askama::Error> {
    let mut html = Page { data }.render()?;
    html.push('\n');
    Ok(html)
}

/// Escapes text for HTML element content and attribute values: `&`, `<`, `>`, `"` and `'` as `&amp;`,
/// `&lt;`, `&gt;`, `&quot;` and `&#39;`.
#[derive(Clone, Copy, Debug)]
pub struct Html;

impl askama::filters::Escaper for Html {
    fn write_escaped_str<W: std::fmt::Write>(&self, mut dest: W, string: &str) -> std::fmt::Result {
        let mut rest = string;
        while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
            let (plain, special) = rest.split_at(at);
            dest.write_str(plain)?;
            let mut chars = special.chars();
            dest.write_str(match chars.next() {
                Some('&') => "&amp;",
                Some('<') => "&lt;",
                Some('>') => "&gt;",
                Some('"') => "&quot;",
                _ => "&#39;",
            })?;
            rest = chars.as_str();
        }
        dest.write_str(rest)
    }
}

/// Escape text for HTML element content and attribute values, as the report does.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = askama::filters::Escaper::write_escaped_str(&Html, &mut out, text);
    out
}
