//! `--format`: the listing commands (`streams`, `events`, `verify`, `search`, `history`, `snapshots`,
//! `active`) for people and for scripts. A table when stdout is a terminal; otherwise, unless asked, exactly
//! the output scripts have always read. `jsonl` and `csv` carry the same rows as `--json`; a table shows the
//! columns a person wants, sized to the terminal and truncated with an ellipsis.

use std::io::{IsTerminal as _, Write};

use clap::{Args, ValueEnum};
use comfy_table::{
    Attribute, Cell, Color, ColumnConstraint, ContentArrangement, LineStyle, Row, Table,
    TableStyle, Width,
};
use serde::Serialize;
use serde_json::Value;

use super::write::PrettyArray;
use crate::core::audit::export::csv_io_error;

/// How a listing is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The JSON that `--json` prints.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// Aligned columns for people, sized to the terminal.
    Table,
}

/// The output options of a listing command.
#[derive(Debug, Default, Args)]
pub struct FormatArgs {
    /// How to print: `table` (the default when stdout is a terminal; otherwise the default is what the
    /// command has always printed), `json` (as --json), `jsonl` (one object per line) or `csv` (with a
    /// header row).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// The width of a table in characters (default: $COLUMNS, else the terminal's).
    #[arg(long, hide = true, value_name = "CHARS")]
    pub width: Option<u16>,
}

/// What a listing command prints, decided once from the flags and where stdout goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// What the command printed before `--format` (JSON, or for `verify` and `search` their lines).
    Today,
    /// The `--json` output.
    Json,
    /// Rows, written by a [`Rows`].
    Rows(Format),
}

impl FormatArgs {
    /// The shape to print, given `--json`.
    pub(crate) fn shape(&self, json: bool) -> Shape {
        match (self.format, json) {
            (Some(Format::Json), _) | (None, true) => Shape::Json,
            (Some(format), _) => Shape::Rows(format),
            (None, false) if std::io::stdout().is_terminal() => Shape::Rows(Format::Table),
            (None, false) => Shape::Today,
        }
    }

    /// The table width: `--width`, else `$COLUMNS`, else the terminal's; `None` leaves cells whole.
    fn table_width(&self) -> Option<u16> {
        self.width
            .or_else(|| std::env::var("COLUMNS").ok()?.trim().parse().ok())
            .or_else(|| {
                let (_, columns) = console::Term::stdout().size_checked()?;
                Some(columns)
            })
    }
}

/// Colour only on a terminal, and never when `NO_COLOR` is set to anything.
fn colour_wanted() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A column of a listing: its header and the top-level key of the JSON object it shows.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Column {
    pub header: &'static str,
    pub key: &'static str,
    /// Shown in a table too (every column goes to CSV).
    pub in_table: bool,
    /// The fewest characters a table gives it (with its padding), so short facts like times stay whole
    /// and the long cells are the ones cut.
    pub min_width: u16,
}

const fn both(header: &'static str, key: &'static str) -> Column {
    Column {
        header,
        key,
        in_table: true,
        min_width: 0,
    }
}

const fn csv_only(key: &'static str) -> Column {
    Column {
        header: key,
        key,
        in_table: false,
        min_width: 0,
    }
}

impl Column {
    const fn at_least(self, min_width: u16) -> Self {
        Self { min_width, ..self }
    }
}

/// A time column: RFC 3339 in UTC, down to microseconds (27 characters).
const fn time(header: &'static str, key: &'static str) -> Column {
    both(header, key).at_least(29)
}

/// `streams` and `active`.
pub(crate) const STREAM_COLUMNS: &[Column] = &[
    both("id", "id"),
    both("type", "type"),
    both("events", "events").at_least(8),
    time("first_time", "first_time"),
    time("last_time", "last_time"),
    csv_only("name"),
    csv_only("tenant"),
    csv_only("table"),
    csv_only("first_stored_time"),
    csv_only("last_stored_time"),
];

/// `events` and `search` (the `events --json` shape).
pub(crate) const EVENT_COLUMNS: &[Column] = &[
    both("position", "position").at_least(10),
    both("stream", "stream"),
    both("version", "version").at_least(9),
    both("type", "type"),
    time("time", "time"),
    both("data", "data"),
    csv_only("metadata"),
    csv_only("id"),
    csv_only("stored_time"),
    csv_only("state"),
];

/// `history`.
pub(crate) const CHANGE_COLUMNS: &[Column] = &[
    both("version", "version").at_least(9),
    both("position", "position").at_least(10),
    both("type", "type"),
    time("time", "time"),
    both("old", "old"),
    both("new", "new"),
];

/// `snapshots`.
pub(crate) const SNAPSHOT_COLUMNS: &[Column] = &[
    both("version", "version").at_least(9),
    both("type", "type"),
    both("matches", "matches"),
    both("changes", "changes"),
    csv_only("state"),
];

/// `verify`.
pub(crate) const FINDING_COLUMNS: &[Column] = &[
    both("severity", "severity").at_least(10),
    both("kind", "kind").at_least(21),
    both("stream", "stream"),
    both("versions", "versions"),
    both("positions", "positions"),
    both("finding", "message"),
];

/// A cell's text: strings as they are, null as nothing, a list of plain values space-separated, anything
/// else as compact JSON.
fn cell_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(items))
            if items
                .iter()
                .all(|i| !matches!(i, Value::Array(_) | Value::Object(_))) =>
        {
            items
                .iter()
                .map(|i| cell_text(Some(i)))
                .collect::<Vec<_>>()
                .join(" ")
        }
        Some(other) => other.to_string(),
    }
}

/// A listing written row by row as `jsonl`, `csv` or a table (a table a block of rows at a time).
pub(crate) struct Rows<'a> {
    columns: &'static [Column],
    kind: Kind<'a>,
}

enum Kind<'a> {
    Jsonl(&'a mut dyn Write),
    Csv(Box<csv::Writer<&'a mut dyn Write>>),
    Table(Box<TableBlocks>, &'a mut dyn Write),
}

/// Rows a table lays out and prints together: a listing of millions of rows holds one block, not all.
const TABLE_BLOCK_ROWS: usize = 1_000;

/// A table printed a block of rows at a time: the first block (with the header) is laid out to the width,
/// and every later one takes the first block's column widths, so the columns line up all the way down.
struct TableBlocks {
    table: Table,
    /// Each column's width (padding included) once the first block is printed.
    widths: Option<Vec<u16>>,
    printed: bool,
}

impl TableBlocks {
    fn new(args: &FormatArgs, columns: &'static [Column]) -> Self {
        Self {
            table: new_table(args, columns),
            widths: None,
            printed: false,
        }
    }

    fn push(&mut self, row: Row, out: &mut dyn Write) -> std::io::Result<()> {
        self.table.add_row(row);
        if self.table.row_count() == 1
            && let Some(widths) = &self.widths
        {
            self.table.set_constraints(
                widths
                    .iter()
                    .map(|w| ColumnConstraint::Absolute(Width::Fixed(*w))),
            );
        }
        if self.table.row_count() >= TABLE_BLOCK_ROWS {
            self.print_block(out)?;
        }
        Ok(())
    }

    /// Print the rows held and start the next block with the widths the first one took.
    fn print_block(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        if self.table.row_count() == 0 {
            return Ok(());
        }
        for (index, line) in self.table.lines().enumerate() {
            // The header's underline (columns apart, filled with '─') gives each column's width.
            if index == 1 && self.widths.is_none() {
                let widths: Vec<u16> = line
                    .split(' ')
                    .filter(|run| !run.is_empty())
                    .map(|run| u16::try_from(run.chars().count()).unwrap_or(u16::MAX))
                    .collect();
                self.widths = Some(widths);
            }
            writeln!(out, "{}", line.trim_end())?;
        }
        self.printed = true;
        self.table = continuation_table();
        Ok(())
    }

    fn finish(mut self, out: &mut dyn Write) -> std::io::Result<()> {
        self.print_block(out)?;
        if !self.printed {
            writeln!(out, "(none)")?;
        }
        out.flush()
    }
}

impl<'a> Rows<'a> {
    /// Rows in `format` (`json` is written by each command its own way; here it means `jsonl`).
    pub(crate) fn new(
        out: &'a mut dyn Write,
        format: Format,
        args: &FormatArgs,
        columns: &'static [Column],
    ) -> anyhow::Result<Self> {
        let kind = match format {
            Format::Json | Format::Jsonl => Kind::Jsonl(out),
            Format::Csv => {
                let mut csv = csv::Writer::from_writer(out);
                csv.write_record(columns.iter().map(|c| c.header))
                    .map_err(csv_io_error)?;
                Kind::Csv(Box::new(csv))
            }
            Format::Table => Kind::Table(Box::new(TableBlocks::new(args, columns)), out),
        };
        Ok(Self { columns, kind })
    }

    /// Add one item (serialized as in `--json`).
    pub(crate) fn push<T: Serialize + ?Sized>(&mut self, item: &T) -> anyhow::Result<()> {
        let columns = self.columns;
        match &mut self.kind {
            Kind::Jsonl(out) => {
                // As an `io::Error`, so a reader that went away is seen as one.
                serde_json::to_writer(&mut **out, item).map_err(std::io::Error::from)?;
                writeln!(out)?;
            }
            Kind::Csv(csv) => {
                let value = serde_json::to_value(item)?;
                csv.write_record(columns.iter().map(|c| cell_text(value.get(c.key))))
                    .map_err(csv_io_error)?;
            }
            Kind::Table(table, out) => {
                let value = serde_json::to_value(item)?;
                let mut row = Row::from(
                    columns
                        .iter()
                        .filter(|c| c.in_table)
                        .map(|c| table_cell(c.key, value.get(c.key))),
                );
                row.max_height(1);
                table.push(row, &mut **out)?;
            }
        }
        Ok(())
    }

    /// Write what is left (the table) and flush.
    pub(crate) fn finish(self) -> anyhow::Result<()> {
        match self.kind {
            Kind::Jsonl(out) => out.flush()?,
            Kind::Csv(mut csv) => csv.flush()?,
            Kind::Table(table, out) => table.finish(out)?,
        }
        Ok(())
    }
}

/// Columns apart, the header underlined, no other lines: rows a person can scan and `grep`.
const STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction(' '));

/// A listing as `--json` prints it (a pretty array written element by element) or as rows.
pub(crate) enum Listing<'a> {
    Pretty(PrettyArray, &'a mut dyn Write),
    Rows(Rows<'a>),
}

impl<'a> Listing<'a> {
    pub(crate) fn new(
        out: &'a mut dyn Write,
        shape: Shape,
        args: &FormatArgs,
        columns: &'static [Column],
    ) -> anyhow::Result<Self> {
        Ok(match shape {
            Shape::Rows(format) => Self::Rows(Rows::new(out, format, args, columns)?),
            Shape::Today | Shape::Json => Self::Pretty(PrettyArray::default(), out),
        })
    }

    pub(crate) fn push<T: Serialize + ?Sized>(&mut self, item: &T) -> anyhow::Result<()> {
        match self {
            Self::Pretty(array, out) => array.push(*out, item),
            Self::Rows(rows) => rows.push(item),
        }
    }

    pub(crate) fn finish(self) -> anyhow::Result<()> {
        match self {
            Self::Pretty(array, out) => Ok(array.finish(out)?),
            Self::Rows(rows) => rows.finish(),
        }
    }
}

/// A table continuing another: its style, no header (the widths are set once its first row makes the
/// columns).
fn continuation_table() -> Table {
    let mut table = Table::new();
    table.load_style(STYLE);
    table.set_truncation_indicator("…");
    if colour_wanted() {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table.set_content_arrangement(ContentArrangement::Disabled);
    table
}

/// An empty table with the header of the table columns.
fn new_table(args: &FormatArgs, columns: &[Column]) -> Table {
    let colour = colour_wanted();
    let mut table = Table::new();
    table.load_style(STYLE);
    table.set_truncation_indicator("…");
    if colour {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    let width = args.table_width();
    match width {
        Some(width) => {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(width);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    let shown: Vec<&Column> = columns.iter().filter(|c| c.in_table).collect();
    let mut header = Row::from(shown.iter().map(|c| {
        let cell = Cell::new(c.header);
        if colour {
            cell.add_attribute(Attribute::Bold)
        } else {
            cell
        }
    }));
    header.max_height(1);
    table.set_header(header);
    // Short facts stay whole while the width leaves the other columns room; on a narrow terminal every
    // column gives way alike.
    let wanted: u16 = shown
        .iter()
        .map(|c| if c.min_width > 0 { c.min_width } else { 12 })
        .sum();
    if width.is_none_or(|width| wanted <= width) {
        for (index, column) in shown.iter().enumerate() {
            if column.min_width > 0
                && let Some(layout) = table.column_mut(index)
            {
                layout.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(
                    column.min_width,
                )));
            }
        }
    }
    table
}

/// One table cell: on one line, a finding's severity in its colour (shown only when styling is on).
fn table_cell(key: &str, value: Option<&Value>) -> Cell {
    let text = cell_text(value).replace(['\n', '\r', '\t'], " ");
    let cell = Cell::new(&text);
    match (key, text.as_str()) {
        ("severity", "error") => cell.fg(Color::Red),
        ("severity", "warning") => cell.fg(Color::Yellow),
        ("matches", "false") => cell.fg(Color::Red),
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_command_line_with_its_formats_is_consistent() {
        <crate::cli::Cli as clap::CommandFactory>::command().debug_assert();
    }

    #[test]
    fn cells_show_strings_bare_lists_spaced_and_objects_as_json() {
        assert_eq!(cell_text(Some(&json!("a,b"))), "a,b");
        assert_eq!(cell_text(Some(&Value::Null)), "");
        assert_eq!(cell_text(None), "");
        assert_eq!(cell_text(Some(&json!([30, 34]))), "30 34");
        assert_eq!(cell_text(Some(&json!({"a": [1]}))), r#"{"a":[1]}"#);
    }

    #[test]
    fn a_table_too_wide_is_cut_with_an_ellipsis_to_the_width() {
        let args = FormatArgs {
            format: Some(Format::Table),
            width: Some(40),
        };
        let mut out = Vec::new();
        let mut rows = Rows::new(&mut out, Format::Table, &args, CHANGE_COLUMNS).unwrap();
        rows.push(
            &json!({"version": 1, "position": 2, "type": "Opened", "time": "2024-01-01T00:00:00Z",
            "old": null, "new": {"long": "x".repeat(80)}}),
        )
        .unwrap();
        rows.finish().unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains('…'), "{text}");
        for line in text.lines() {
            assert!(line.chars().count() <= 40, "{line:?} in\n{text}");
        }
    }

    #[test]
    fn a_long_table_is_printed_by_blocks_whose_columns_line_up_with_the_first() {
        let args = FormatArgs {
            format: Some(Format::Table),
            width: Some(80),
        };
        let mut out = Vec::new();
        let mut rows = Rows::new(&mut out, Format::Table, &args, CHANGE_COLUMNS).unwrap();
        let count = TABLE_BLOCK_ROWS * 2 + 7;
        for i in 0..count {
            // Later rows are wider than any of the first block's: they are cut to its widths.
            let wide = if i < TABLE_BLOCK_ROWS { 3 } else { 200 };
            rows.push(&json!({"version": i, "position": i * 10, "type": "Changed",
                "time": "2024-01-01T00:00:00Z", "old": null, "new": {"n": "y".repeat(wide)}}))
                .unwrap();
        }
        rows.finish().unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2 + count, "one header, every row");
        assert_eq!(text.matches("version").count(), 1);
        // Where the type column starts is the same on every row.
        let start = |line: &str| line.find("Changed").unwrap();
        let first = start(lines[2]);
        assert!(lines[2..].iter().all(|l| start(l) == first), "{text}");
        assert!(lines.iter().all(|l| l.chars().count() <= 80));
    }
}
