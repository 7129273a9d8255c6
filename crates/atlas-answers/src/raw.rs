//! What reading an answer file gives, whatever its format: tables of rows of cells, with their places in the file,
//! before any check. The CSV, JSON and XLSX readers (`read.rs`, `xlsx.rs`) produce these; `validate.rs` checks them.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use atlas_core::text::format_number;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Xlsx,
    Json,
}

impl FileFormat {
    /// The format from the file name's extension.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" | "tsv" => Some(FileFormat::Csv),
            "xlsx" | "xlsm" => Some(FileFormat::Xlsx),
            "json" => Some(FileFormat::Json),
            _ => None,
        }
    }
}

/// One cell as read from the file. Text is shared, so a value repeated down a column (a respondent's id, city,
/// date) is held once.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(Arc<str>),
    Number(f64),
}

impl Cell {
    /// The cell as text, as a user would read it (numbers without a needless `.0`).
    pub fn text(&self) -> String {
        self.str().into_owned()
    }

    /// The cell as trimmed text, borrowed where it can be.
    pub fn str(&self) -> Cow<'_, str> {
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(t) => Cow::Borrowed(t.trim()),
            Cell::Number(n) => Cow::Owned(format_number(*n)),
        }
    }

    /// The cell as shared text: the same allocation when the cell holds trimmed text already.
    pub fn shared(&self) -> Arc<str> {
        match self {
            Cell::Text(t) if t.trim().len() == t.len() => Arc::clone(t),
            other => Arc::from(other.str().as_ref()),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            Cell::Number(_) => false,
        }
    }
}

/// A cell's longest text (Excel's limit, 32,767 characters); a longer one is a problem of its row.
pub const MAX_CELL_CHARS: usize = 32_767;

/// A table's most columns (Excel's widest sheet); a wider header is refused. An answer file has one answer a row,
/// in at most the format's seven columns.
pub const MAX_COLUMNS: usize = 16_384;

/// The most names a message lists (columns, sheets); it counts the rest.
pub const MAX_LISTED_NAMES: usize = 5;

/// Names as a message lists them: "a, b, c", or past [`MAX_LISTED_NAMES`] "a, b, c, d, e and 12 more".
pub fn list_names<S: AsRef<str>>(names: &[S]) -> String {
    let shown: Vec<&str> = names.iter().take(MAX_LISTED_NAMES).map(AsRef::as_ref).collect();
    let shown = shown.join(", ");
    match names.len().saturating_sub(MAX_LISTED_NAMES) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// One row of a sheet or section, with its place in the file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawRow {
    /// The row as the user finds it: the line in a CSV, the row number in a spreadsheet, the item number in JSON.
    pub row: usize,
    /// The cells in the order of [`RawTable::columns`]; a row may be shorter (missing cells are empty).
    pub cells: Vec<Cell>,
    /// What reading found wrong with the row (column, reason): a value beyond the last column, a cell too long.
    /// The checks list these with the row's other problems.
    pub problems: Vec<(String, String)>,
}

impl RawRow {
    /// The cell in column `index` (from [`RawTable::column`]); empty when there is none.
    pub fn at(&self, index: Option<usize>) -> &Cell {
        index.and_then(|i| self.cells.get(i)).unwrap_or(&Cell::Empty)
    }
}

/// A table of rows under a header, from one sheet or section.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawTable {
    /// The sheet or section name (`answers`, `questions`), as errors name it.
    pub sheet: Option<String>,
    /// The row of the header (0 when the format has none, e.g. JSON).
    pub header_row: usize,
    pub columns: Vec<String>,
    pub rows: Vec<RawRow>,
    /// Numbers may be written with a decimal comma (`1,5`): a `;`-separated CSV file, as Excel writes it in
    /// continental Europe.
    pub decimal_comma: bool,
}

impl RawTable {
    /// The position of a (lower-cased) column.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// A row's cell in a named column.
    pub fn get<'a>(&self, row: &'a RawRow, column: &str) -> &'a Cell {
        row.at(self.column(column))
    }
}

/// Round details a file may carry (JSON `round` object, XLSX `round` sheet).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawRound {
    pub title: Option<String>,
    pub held_on: Option<Cell>,
    pub survey: Option<String>,
}

/// A whole answer file.
#[derive(Debug, Clone, PartialEq)]
pub struct RawFile {
    /// The file name, as errors name it.
    pub file: String,
    pub format: FileFormat,
    pub answers: RawTable,
    pub questions: Option<RawTable>,
    pub round: RawRound,
    /// The text encoding a CSV file was read in (None for XLSX and JSON, which say their own).
    pub encoding: Option<atlas_core::input::TextEncoding>,
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: {reason}")]
pub struct ReadError {
    pub file: String,
    pub reason: String,
}

pub(crate) fn normalise_column(name: &str) -> String {
    name.trim().trim_start_matches('\u{feff}').to_ascii_lowercase().replace([' ', '-'], "_")
}
