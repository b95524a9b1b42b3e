//! Long texts (a payload of megabytes pretty-printed, its escaped bytes, its hex dump) drawn by the rows on
//! screen: laying out a text of megabytes as one label costs far more than a frame, and cutting it hides
//! what the user came to read. A text is split once into lines ([`TextRows::new`]); each line is wrapped
//! into rows of as many characters as the panel's width holds (worked out again only when the width
//! changes, a walk over the line lengths); each frame lays out only the dozens of rows in view.
//! [`HexRows`] makes each hex row from the bytes when it is drawn, so a dump is never held as text.

use std::borrow::Cow;

use eframe::egui;

/// Bytes a hex dump row shows.
const HEX_BYTES: usize = 16;

/// Rows of monospace text, however many, drawn by the rows in view (see [`rows_ui`]).
pub trait Rows {
    /// Number of rows at `chars_per_row` characters a row (at least 1).
    fn count(&mut self, chars_per_row: usize) -> usize;
    /// Row `i` at the width last passed to [`Rows::count`].
    fn row(&self, i: usize) -> Option<Cow<'_, str>>;
}

/// One line of a [`TextRows`].
#[derive(Clone, Copy, Debug)]
struct Line {
    /// Byte offset of its first character.
    start: usize,
    /// Byte length, without the line break.
    bytes: usize,
    /// Characters.
    chars: usize,
}

/// A text split into lines, wrapped at a fixed number of characters a row.
pub struct TextRows {
    text: String,
    lines: Vec<Line>,
    /// Characters a row holds now, and the first row of each line at that width (plus the total at the end).
    wrap: Option<(usize, Vec<usize>)>,
}

impl TextRows {
    /// `text`, split into its lines.
    pub fn new(text: String) -> Self {
        let mut lines = Vec::new();
        let mut start = 0;
        for line in text.split('\n') {
            lines.push(Line {
                start,
                bytes: line.len(),
                chars: line.chars().count(),
            });
            start += line.len() + 1;
        }
        Self {
            text,
            lines,
            wrap: None,
        }
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl Rows for TextRows {
    fn count(&mut self, chars_per_row: usize) -> usize {
        let chars_per_row = chars_per_row.max(1);
        if self
            .wrap
            .as_ref()
            .is_none_or(|(at, _)| *at != chars_per_row)
        {
            let mut first_rows = Vec::with_capacity(self.lines.len() + 1);
            let mut rows = 0;
            for line in &self.lines {
                first_rows.push(rows);
                rows += line.chars.div_ceil(chars_per_row).max(1);
            }
            first_rows.push(rows);
            self.wrap = Some((chars_per_row, first_rows));
        }
        self.wrap
            .as_ref()
            .and_then(|(_, first_rows)| first_rows.last().copied())
            .unwrap_or(0)
    }

    fn row(&self, i: usize) -> Option<Cow<'_, str>> {
        let (chars_per_row, first_rows) = self.wrap.as_ref()?;
        // The line holding row `i`: the last whose first row is at or before it.
        let line_number = first_rows
            .partition_point(|&first| first <= i)
            .checked_sub(1)?;
        let line = self.lines.get(line_number)?;
        let skip = (i - first_rows.get(line_number)?) * chars_per_row;
        let text = self.text.get(line.start..line.start + line.bytes)?;
        let piece = if line.chars == line.bytes {
            // ASCII: characters are bytes.
            let from = skip.min(text.len());
            text.get(from..(from + chars_per_row).min(text.len()))?
        } else {
            let mut at = text.char_indices().map(|(at, _)| at).skip(skip);
            let from = at.next().unwrap_or(text.len());
            let to = at.nth(chars_per_row - 1).unwrap_or(text.len());
            text.get(from..to.max(from))?
        };
        Some(Cow::Borrowed(piece))
    }
}

/// A hex dump of `bytes`, each row made when it is drawn: offset, 16 bytes, printable ASCII.
pub struct HexRows<'a> {
    pub bytes: &'a [u8],
}

impl Rows for HexRows<'_> {
    fn count(&mut self, _chars_per_row: usize) -> usize {
        self.bytes.len().div_ceil(HEX_BYTES)
    }

    fn row(&self, i: usize) -> Option<Cow<'_, str>> {
        let start = i.checked_mul(HEX_BYTES)?;
        let chunk = self
            .bytes
            .get(start..(start + HEX_BYTES).min(self.bytes.len()))?;
        Some(Cow::Owned(hex_row(start, chunk)))
    }
}

/// One hex dump row of `chunk`, found at `offset`.
pub fn hex_row(offset: usize, chunk: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(80);
    let _ = write!(out, "{offset:08x}  ");
    for i in 0..HEX_BYTES {
        match chunk.get(i) {
            Some(b) => {
                let _ = write!(out, "{b:02x} ");
            }
            None => out.push_str("   "),
        }
    }
    out.push(' ');
    out.extend(chunk.iter().map(|&b| {
        if b.is_ascii_graphic() || b == b' ' {
            char::from(b)
        } else {
            '.'
        }
    }));
    out
}

/// Draw `rows` at the panel's width, laying out only the rows in view (the space of the others is kept so
/// the surrounding scroll area scrolls through all of them). Each row is a selectable label.
pub fn rows_ui(ui: &mut egui::Ui, id_salt: &str, rows: &mut dyn Rows) {
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let (row_height, char_width) =
        ui.fonts_mut(|fonts| (fonts.row_height(&font), fonts.glyph_width(&font, '0')));
    let width = ui.available_width().max(char_width);
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a count of characters in a panel's width"
    )]
    let chars_per_row = ((width / char_width.max(1.0)).floor() as usize).max(8);
    let total = rows.count(chars_per_row);
    #[expect(clippy::cast_precision_loss, reason = "a height in points")]
    let height = row_height * total as f32;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, height), egui::Sense::hover());
    let shown = ui.clip_rect().intersect(rect);
    if !shown.is_positive() {
        return;
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "row numbers from a clipped rectangle's offsets"
    )]
    let (first, last) = (
        ((shown.top() - rect.top()) / row_height).floor().max(0.0) as usize,
        (((shown.bottom() - rect.top()) / row_height).ceil().max(0.0) as usize).min(total),
    );
    ui.push_id(id_salt, |ui| {
        for i in first..last {
            let Some(text) = rows.row(i) else { break };
            #[expect(clippy::cast_precision_loss, reason = "a row's offset in points")]
            let top = rect.top() + row_height * i as f32;
            let row_rect = egui::Rect::from_min_size(
                egui::pos2(rect.left(), top),
                egui::vec2(width, row_height),
            );
            // Left-aligned in its row (`Ui::put` would center it).
            ui.scope_builder(
                egui::UiBuilder::new()
                    .max_rect(row_rect)
                    .layout(egui::Layout::left_to_right(egui::Align::Center)),
                |ui| {
                    ui.add(
                        egui::Label::new(egui::RichText::new(text.into_owned()).monospace())
                            .selectable(true)
                            .extend(),
                    );
                },
            );
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_rows(rows: &mut dyn Rows, chars_per_row: usize) -> Vec<String> {
        let total = rows.count(chars_per_row);
        (0..total)
            .map(|i| rows.row(i).unwrap().into_owned())
            .collect()
    }

    #[test]
    fn long_lines_wrap_into_rows_that_give_back_the_text() {
        let text = format!(
            "{{\n  \"blob\": \"{}\",\n\n  \"é\": \"{}\"\n}}",
            "x".repeat(95),
            "ü".repeat(23)
        );
        let mut rows = TextRows::new(text.clone());
        for width in [1, 7, 10, 40, 200] {
            let got = all_rows(&mut rows, width);
            assert!(got.iter().all(|r| r.chars().count() <= width), "{width}");
            // Rows of one line join back into it; lines join back into the text.
            let mut joined = String::new();
            let mut i = 0;
            for line in text.split('\n') {
                let mut rebuilt = String::new();
                let n = line.chars().count().div_ceil(width).max(1);
                for _ in 0..n {
                    rebuilt.push_str(&got[i]);
                    i += 1;
                }
                assert_eq!(rebuilt, line, "width {width}");
                joined.push_str(&rebuilt);
                joined.push('\n');
            }
            assert_eq!(i, got.len());
            assert_eq!(joined.trim_end_matches('\n'), text);
        }
        assert_eq!(rows.row(usize::MAX), None);
    }

    #[test]
    fn a_hex_dump_has_a_row_for_every_sixteen_bytes() {
        let bytes: Vec<u8> = (0..=40).collect();
        let mut rows = HexRows { bytes: &bytes };
        let got = all_rows(&mut rows, 80);
        assert_eq!(got.len(), 3);
        assert!(got[0].starts_with("00000000  00 01 02"), "{}", got[0]);
        assert!(
            got[2].starts_with("00000020  20 21 22 23 24 25 26 27 28"),
            "{}",
            got[2]
        );
        assert!(got[2].ends_with(" !\"#$%&'("), "{}", got[2]);
        assert_eq!(rows.row(3), None);
    }
}
