//! Reading answer files (CSV, XLSX, JSON) into rows of named cells, keeping where each row came from.
//!
//! Nothing is checked here beyond the file's shape; [`super::validate`] checks the values.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

/// The largest answer file read (1 GiB); bigger files are refused before reading.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

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
            "xlsx" | "xlsm" | "xls" | "ods" => Some(FileFormat::Xlsx),
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

/// A number as people write it: `12`, `12.5`.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// One row of a sheet or section, with its place in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    /// The row as the user finds it: the line in a CSV, the row number in a spreadsheet, the item number in JSON.
    pub row: usize,
    /// The cells in the order of [`RawTable::columns`]; a row may be shorter (missing cells are empty).
    pub cells: Vec<Cell>,
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
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: {reason}")]
pub struct ReadError {
    pub file: String,
    pub reason: String,
}

fn normalise_column(name: &str) -> String {
    name.trim().trim_start_matches('\u{feff}').to_ascii_lowercase().replace([' ', '-'], "_")
}

/// The file's name (as errors name it) and format, once it is known to be a readable answer file of a sane size.
fn answer_file(path: &Path) -> Result<(String, FileFormat), ReadError> {
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    let fail = |reason: String| ReadError { file: file.clone(), reason };
    let format = FileFormat::from_path(path)
        .ok_or_else(|| fail("not an answer file: the name must end in .csv, .xlsx or .json".to_owned()))?;
    let meta = std::fs::metadata(path).map_err(|e| fail(format!("cannot read it ({e})")))?;
    if meta.is_dir() {
        return Err(fail("is a folder, not a file".to_owned()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(format!("too large ({} MB; the limit is 1024 MB)", meta.len() >> 20)));
    }
    Ok((file, format))
}

/// A CSV file's name and its text, which must be UTF-8.
pub fn read_csv_text(path: &Path) -> Result<(String, String), ReadError> {
    let (file, _) = answer_file(path)?;
    let fail = |reason: String| ReadError { file: file.clone(), reason };
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read it ({e})")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        fail(format!("is not UTF-8 text (byte {}); save it as CSV UTF-8", e.utf8_error().valid_up_to()))
    })?;
    Ok((file, text))
}

/// Reads an answer file, choosing the reader by extension.
pub fn read_file(path: &Path) -> Result<RawFile, ReadError> {
    let (file, format) = answer_file(path)?;
    match format {
        FileFormat::Csv => {
            let (file, text) = read_csv_text(path)?;
            read_csv(&file, &text)
        }
        FileFormat::Xlsx => read_xlsx(&file, path),
        FileFormat::Json => {
            let bytes = std::fs::read(path)
                .map_err(|e| ReadError { file: file.clone(), reason: format!("cannot read it ({e})") })?;
            read_json(&file, &bytes)
        }
    }
}

/// Reads CSV text. A line `# questions` starts the question section and `# answers` the answer section; without
/// them the whole file is answers. Other lines starting with `#` are comments. The delimiter is `,`, or `;`/tab
/// when the header line uses those.
pub fn read_csv(file: &str, text: &str) -> Result<RawFile, ReadError> {
    let fail = |reason: String| ReadError { file: file.to_owned(), reason };
    if !has_markers(text) {
        let answers = read_csv_table(file, "answers", 1, text)?;
        return Ok(RawFile {
            file: file.to_owned(),
            format: FileFormat::Csv,
            answers,
            questions: None,
            round: RawRound::default(),
        });
    }
    // Split into sections by marker lines, remembering each section's first line number.
    let mut sections: Vec<(String, usize, String)> = Vec::new();
    let mut current = ("answers".to_owned(), 1usize, String::new());
    let mut started = false;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim();
        if let Some(marker) = trimmed.strip_prefix('#') {
            let name = marker.trim().to_ascii_lowercase();
            if name == "questions" || name == "answers" {
                if started || !current.2.trim().is_empty() {
                    sections.push(std::mem::take(&mut current));
                }
                current = (name, index + 2, String::new());
                started = true;
                continue;
            }
            // A comment: keep the line count right with an empty line.
            current.2.push('\n');
            continue;
        }
        current.2.push_str(line);
    }
    sections.push(current);
    let mut answers = None;
    let mut questions = None;
    for (name, first_line, body) in sections {
        if body.trim().is_empty() && name == "questions" {
            continue;
        }
        let table = read_csv_table(file, &name, first_line, &body)?;
        let slot = if name == "questions" { &mut questions } else { &mut answers };
        if slot.is_some() {
            return Err(fail(format!("has two '# {name}' sections")));
        }
        *slot = Some(table);
    }
    let answers = answers.ok_or_else(|| fail("has no answers section".to_owned()))?;
    Ok(RawFile { file: file.to_owned(), format: FileFormat::Csv, answers, questions, round: RawRound::default() })
}

/// Whether CSV text may hold section markers or comments (a `#`; rare in answer values, so cheap to rule out).
pub fn has_markers(text: &str) -> bool {
    text.contains('#')
}

fn read_csv_table(file: &str, section: &str, first_line: usize, body: &str) -> Result<RawTable, ReadError> {
    let mut reader = CsvTable::new(file, section, first_line, body)?;
    let mut rows = Vec::new();
    while reader.next_rows(usize::MAX, &mut rows)? {}
    let mut table = reader.header;
    table.rows = rows;
    Ok(table)
}

/// Reads a CSV table's rows in batches, so that they can be checked while the rest is read.
pub struct CsvTable<'t> {
    file: String,
    section: String,
    first_line: usize,
    body: &'t str,
    reader: csv::Reader<&'t [u8]>,
    /// The header: sheet, header row and columns (no rows).
    pub header: RawTable,
    line_starts: Vec<usize>,
    record: csv::StringRecord,
    /// Each column's previous cell: a repeated value shares it instead of a new allocation.
    previous: Vec<Cell>,
}

impl<'t> CsvTable<'t> {
    /// Reads the header of a section whose first line is line `first_line` of the file.
    pub fn new(file: &str, section: &str, first_line: usize, body: &'t str) -> Result<Self, ReadError> {
        // Leading blank lines shift the header down; count them so row numbers match the file.
        let skipped = body.split_inclusive('\n').take_while(|l| l.trim().is_empty()).count();
        let header_line = body.split_inclusive('\n').nth(skipped).unwrap_or("");
        let delimiter = if header_line.matches(';').count() > header_line.matches(',').count() {
            b';'
        } else if header_line.contains('\t') && !header_line.contains(',') {
            b'\t'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(true)
            .flexible(true)
            .from_reader(body.as_bytes());
        let header_row = first_line + skipped;
        let columns: Vec<String> = reader
            .headers()
            .map_err(|e| ReadError {
                file: file.to_owned(),
                reason: format!("{section} section, line {header_row}: {e}"),
            })?
            .iter()
            .map(normalise_column)
            .collect();
        // The line of a byte offset in this section (the csv crate's own line count skips blank lines).
        let line_starts: Vec<usize> = std::iter::once(0).chain(body.match_indices('\n').map(|(i, _)| i + 1)).collect();
        let previous = vec![Cell::Empty; columns.len()];
        let header = RawTable { sheet: Some(section.to_owned()), header_row, columns, rows: Vec::new() };
        Ok(CsvTable {
            file: file.to_owned(),
            section: section.to_owned(),
            first_line,
            body,
            reader,
            header,
            line_starts,
            record: csv::StringRecord::new(),
            previous,
        })
    }

    /// A record's line: where the reader started looking, past any blank lines it then skipped.
    fn line_of(&self, byte: u64) -> usize {
        let skipped =
            self.body.get(byte as usize..).map_or(0, |rest| rest.len() - rest.trim_start_matches(['\r', '\n']).len());
        let at = byte as usize + skipped;
        self.line_starts.partition_point(|start| *start <= at) + self.first_line - 1
    }

    /// Appends up to `max` rows to `rows`; false once the table has ended.
    pub fn next_rows(&mut self, max: usize, rows: &mut Vec<RawRow>) -> Result<bool, ReadError> {
        let columns = self.header.columns.len();
        let mut read = 0;
        while read < max {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return Ok(false),
                Ok(true) => {
                    let line = self.record.position().map_or(0, |p| self.line_of(p.byte()));
                    if self.record.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    let cells = self
                        .record
                        .iter()
                        .take(columns)
                        .zip(self.previous.iter_mut())
                        .map(|(value, last)| {
                            let value = value.trim();
                            if value.is_empty() {
                                Cell::Empty
                            } else {
                                if !matches!(last, Cell::Text(t) if **t == *value) {
                                    *last = Cell::Text(Arc::from(value));
                                }
                                last.clone()
                            }
                        })
                        .collect();
                    rows.push(RawRow { row: line, cells });
                    read += 1;
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| self.line_of(p.byte()));
                    return Err(ReadError {
                        file: self.file.clone(),
                        reason: format!("{} section, line {line}: not readable as CSV ({e})", self.section),
                    });
                }
            }
        }
        Ok(true)
    }
}

fn cell_from_calamine(data: &calamine::Data) -> Cell {
    use calamine::Data;
    match data {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(Arc::from(if *b { "yes" } else { "no" })),
        Data::String(s) => Cell::Text(Arc::from(s.as_str())),
        Data::DateTime(d) => Cell::Number(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(Arc::from(s.as_str())),
        Data::Error(e) => Cell::Text(Arc::from(format!("#ERROR {e}"))),
    }
}

fn sheet_table(name: &str, range: &calamine::Range<calamine::Data>) -> RawTable {
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let mut iter = range.rows().enumerate().skip_while(|(_, r)| r.iter().all(|c| cell_from_calamine(c).is_empty()));
    let Some((header_index, header)) = iter.next() else {
        return RawTable { sheet: Some(name.to_owned()), header_row: 1, columns: Vec::new(), rows: Vec::new() };
    };
    let columns: Vec<String> = header.iter().map(|c| normalise_column(&cell_from_calamine(c).text())).collect();
    let mut rows = Vec::new();
    for (index, row) in iter {
        let cells: Vec<Cell> = row
            .iter()
            .take(columns.len())
            .map(cell_from_calamine)
            .map(|c| if c.is_empty() { Cell::Empty } else { c })
            .collect();
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        rows.push(RawRow { row: first_row as usize + index + 1, cells });
    }
    RawTable { sheet: Some(name.to_owned()), header_row: first_row as usize + header_index + 1, columns, rows }
}

/// Reads a workbook: the sheet named `answers` (else the first sheet), an optional `questions` sheet, and an
/// optional `round` sheet of `field, value` rows (title, held_on, survey).
pub fn read_xlsx(file: &str, path: &Path) -> Result<RawFile, ReadError> {
    use calamine::Reader;
    let fail = |reason: String| ReadError { file: file.to_owned(), reason };
    let mut book =
        calamine::open_workbook_auto(path).map_err(|e| fail(format!("not readable as a spreadsheet ({e})")))?;
    let names = book.sheet_names();
    let find = |wanted: &str| names.iter().find(|n| n.trim().eq_ignore_ascii_case(wanted)).cloned();
    let answers_name = find("answers")
        .or_else(|| names.first().cloned())
        .ok_or_else(|| fail("the workbook has no sheets".to_owned()))?;
    let mut range_of =
        |name: &str| book.worksheet_range(name).map_err(|e| fail(format!("sheet {name}: not readable ({e})")));
    let answers = sheet_table(&answers_name, &range_of(&answers_name)?);
    let questions = match find("questions") {
        Some(name) => Some(sheet_table(&name, &range_of(&name)?)),
        None => None,
    };
    let mut round = RawRound::default();
    if let Some(name) = find("round") {
        let range = range_of(&name)?;
        for row in range.rows() {
            let key = row.first().map(cell_from_calamine).unwrap_or(Cell::Empty).text().to_ascii_lowercase();
            let value = row.get(1).map(cell_from_calamine).unwrap_or(Cell::Empty);
            match key.as_str() {
                "title" => round.title = Some(value.text()).filter(|t| !t.is_empty()),
                "held_on" | "date" => round.held_on = Some(value).filter(|v| !v.is_empty()),
                "survey" => round.survey = Some(value.text()).filter(|t| !t.is_empty()),
                _ => {}
            }
        }
    }
    Ok(RawFile { file: file.to_owned(), format: FileFormat::Xlsx, answers, questions, round })
}

fn cell_from_json(value: &Value) -> Cell {
    match value {
        Value::Null => Cell::Empty,
        Value::Bool(b) => Cell::Text(Arc::from(if *b { "yes" } else { "no" })),
        Value::Number(n) => n.as_f64().map_or(Cell::Empty, Cell::Number),
        Value::String(s) => Cell::Text(Arc::from(s.as_str())),
        other => Cell::Text(Arc::from(other.to_string())),
    }
}

fn json_table(file: &str, name: &str, items: &[Value]) -> Result<RawTable, ReadError> {
    let mut columns: Vec<String> = Vec::new();
    let mut rows = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let Value::Object(map) = item else {
            return Err(ReadError {
                file: file.to_owned(),
                reason: format!("{name} item {}: expected an object with named fields", index + 1),
            });
        };
        // Columns appear as items name them; a later item may add one (earlier rows are then shorter).
        let mut cells: Vec<Cell> = vec![Cell::Empty; columns.len()];
        for (key, value) in map {
            let cell = cell_from_json(value);
            if cell.is_empty() {
                continue;
            }
            let key = normalise_column(key);
            let at = match columns.iter().position(|c| *c == key) {
                Some(at) => at,
                None => {
                    columns.push(key);
                    cells.push(Cell::Empty);
                    columns.len() - 1
                }
            };
            cells[at] = cell;
        }
        rows.push(RawRow { row: index + 1, cells });
    }
    Ok(RawTable { sheet: Some(name.to_owned()), header_row: 0, columns, rows })
}

/// Reads JSON: `{"round": {...}, "questions": [...], "answers": [...]}`, or a bare array of answers.
pub fn read_json(file: &str, bytes: &[u8]) -> Result<RawFile, ReadError> {
    let fail = |reason: String| ReadError { file: file.to_owned(), reason };
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| fail(format!("line {}, column {}: not valid JSON ({e})", e.line(), e.column())))?;
    let (answers, questions, round) = match &value {
        Value::Array(items) => (json_table(file, "answers", items)?, None, RawRound::default()),
        Value::Object(map) => {
            let items = match map.get("answers") {
                Some(Value::Array(items)) => items,
                Some(_) => return Err(fail("\"answers\" must be a list of answer objects".to_owned())),
                None => return Err(fail("has no \"answers\" list: not an answer file".to_owned())),
            };
            let questions = match map.get("questions") {
                Some(Value::Array(items)) => Some(json_table(file, "questions", items)?),
                Some(Value::Null) | None => None,
                Some(_) => return Err(fail("\"questions\" must be a list of question objects".to_owned())),
            };
            let mut round = RawRound::default();
            if let Some(Value::Object(r)) = map.get("round") {
                round.title = r.get("title").and_then(Value::as_str).map(str::to_owned);
                round.held_on = r.get("held_on").map(cell_from_json).filter(|c| !c.is_empty());
                round.survey = r.get("survey").and_then(Value::as_str).map(str::to_owned);
            }
            (json_table(file, "answers", items)?, questions, round)
        }
        _ => return Err(fail("expected an object with an \"answers\" list, or a list of answers".to_owned())),
    };
    Ok(RawFile { file: file.to_owned(), format: FileFormat::Json, answers, questions, round })
}

/// Whether JSON bytes look like an answer file rather than an annotation bundle (for drag-and-drop).
pub fn json_is_answers(bytes: &[u8]) -> bool {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => map.contains_key("answers"),
        Ok(Value::Array(items)) => {
            items.first().and_then(Value::as_object).is_some_and(|o| o.contains_key("question_code"))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_sections_keep_file_line_numbers() {
        let text = "# questions\ncode,kind,text\nQ1,number,Extra\n# answers\nrespondent_id,question_code,value\n\
                    R1,Q1,5\n\nR2,Q1,7\n";
        let f = read_csv("a.csv", text).expect("reads");
        let q = f.questions.expect("questions");
        assert_eq!(q.header_row, 2);
        assert_eq!(q.rows[0].row, 3);
        assert_eq!(f.answers.header_row, 5);
        assert_eq!(f.answers.rows.iter().map(|r| r.row).collect::<Vec<_>>(), vec![6, 8]);
        assert_eq!(f.answers.get(&f.answers.rows[1], "value"), &Cell::Text("7".into()));
    }

    #[test]
    fn semicolon_csv_is_read() {
        let f = read_csv("a.csv", "respondent_id;question_code;value\nR1;Q;1,5\n").expect("reads");
        assert_eq!(f.answers.get(&f.answers.rows[0], "value"), &Cell::Text("1,5".into()));
    }

    #[test]
    fn json_shapes() {
        let f = read_json("a.json", br#"[{"respondent_id":"R1","question_code":"Q","value":3}]"#).expect("reads");
        assert_eq!(f.answers.get(&f.answers.rows[0], "value"), &Cell::Number(3.0));
        assert!(read_json("a.json", b"{\"notes\":[]}").is_err());
        assert!(json_is_answers(br#"{"answers":[]}"#));
        assert!(!json_is_answers(br#"{"format":"integration-atlas-bundle"}"#));
    }
}
