//! Reading an answer workbook (.xlsx) within limits.
//!
//! Before calamine sees the file, [`inspect`] reads the zip's own directory: the number of parts, each part's
//! uncompressed size (the zip reader then enforces the declared size while inflating), the shared-strings count
//! calamine reserves room for, and each sheet's declared dimension. Then the sheets are streamed cell by cell
//! ([`calamine::Xlsx::worksheet_cells_reader`]), never as calamine's dense range (whose size is the sheet's bounding
//! box: one cell at A1 and one at XFD1048576 make 17 billion cells), and at most [`MAX_CELLS`] cells are kept.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use calamine::{DataRef, Reader, Xlsx};

use super::format::REQUIRED_COLUMNS;
use super::raw::{Cell, RawFile, RawRound, RawRow, RawTable, ReadError, list_names, normalise_column};
use atlas_core::input::megabytes;

/// The largest workbook file read (compressed).
pub const MAX_XLSX_BYTES: u64 = 128 << 20;
/// The most parts (files inside the zip) a workbook may have.
pub const MAX_PARTS: usize = 10_000;
/// The zip's central directory (the list of parts) at most.
const MAX_DIRECTORY_BYTES: u64 = 4 << 20;
/// All parts together, uncompressed.
pub const MAX_UNCOMPRESSED_BYTES: u64 = 512 << 20;
/// Parts calamine reads whole (relationships, workbook, styles), uncompressed.
pub const MAX_SMALL_PART_BYTES: u64 = 16 << 20;
/// The shared strings (every distinct text of the workbook), uncompressed.
pub const MAX_SHARED_STRINGS_BYTES: u64 = 64 << 20;
/// Distinct shared strings a workbook may declare.
pub const MAX_SHARED_STRINGS: u64 = 2_000_000;
/// Cells kept from the sheets read (rows × columns of the tables up to the last filled cell of each row).
pub const MAX_CELLS: usize = 2_000_000;
/// Excel's grid, and its limit on a cell's text.
const EXCEL_ROWS: u32 = 1_048_576;
const EXCEL_COLUMNS: u32 = 16_384;
pub const MAX_CELL_CHARS: usize = 32_767;

fn lower(name: &str) -> String {
    name.replace('\\', "/").to_ascii_lowercase()
}

/// The zip's central directory, from its end record: (parts, directory bytes). Refuses zip64 and absurd sizes
/// before the zip reader lists the parts.
fn directory_size(file: &mut File, len: u64) -> Result<(u64, u64), String> {
    let not_zip = || "not readable as a spreadsheet (not a zip file; save it as .xlsx)".to_owned();
    let tail = len.min(22 + 65_535);
    let mut buf = vec![0u8; tail as usize];
    file.seek(SeekFrom::Start(len - tail)).map_err(|e| format!("cannot read it ({e})"))?;
    file.read_exact(&mut buf).map_err(|e| format!("cannot read it ({e})"))?;
    let at = (0..buf.len().saturating_sub(21)).rev().find(|i| buf[*i..*i + 4] == [0x50, 0x4b, 0x05, 0x06]);
    let Some(at) = at else { return Err(not_zip()) };
    let u16_at = |o: usize| u16::from_le_bytes([buf[at + o], buf[at + o + 1]]) as u64;
    let u32_at = |o: usize| u32::from_le_bytes([buf[at + o], buf[at + o + 1], buf[at + o + 2], buf[at + o + 3]]) as u64;
    let (parts, size) = (u16_at(10), u32_at(12));
    if parts == 0xFFFF || size == 0xFFFF_FFFF {
        return Err("is a zip64 archive, which no answer workbook needs; save it again as .xlsx".to_owned());
    }
    Ok((parts, size))
}

/// The longest text or tag an XML part may hold, in bytes.
const MAX_XML_RUN: usize = 1 << 20;

/// The longest run of bytes without `<` or `>` in a part: the longest text or tag, read in small pieces.
fn longest_run(mut part: impl Read) -> std::io::Result<usize> {
    let mut buf = vec![0u8; 64 << 10];
    let (mut longest, mut run) = (0usize, 0usize);
    loop {
        let n = part.read(&mut buf)?;
        if n == 0 {
            return Ok(longest.max(run));
        }
        for b in &buf[..n] {
            if *b == b'<' || *b == b'>' {
                longest = longest.max(run);
                run = 0;
            } else {
                run += 1;
            }
        }
        if longest.max(run) > MAX_XML_RUN {
            return Ok(longest.max(run));
        }
    }
}

/// The attribute `name` of the first element called `element` in an XML part, reading at most `max` bytes.
fn first_attribute(reader: impl Read, element: &str, name: &str, max: u64) -> Option<String> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(reader.take(max)));
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                if e.local_name().as_ref() == element =>
            {
                return e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == name)
                    .map(|a| a.value.to_string());
            }
            Ok(quick_xml::events::Event::Start(e)) if e.local_name().as_ref() == "sheetData" => return None,
            Ok(quick_xml::events::Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// The workbook part the package points to (`_rels/.rels`), lower-cased, e.g. `xl/workbook.xml`.
fn workbook_part<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, names: &HashMap<String, usize>) -> Option<String> {
    let index = *names.get("_rels/.rels")?;
    let part = zip.by_index(index).ok()?;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(part.take(MAX_SMALL_PART_BYTES)));
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                if e.local_name().as_ref() == "Relationship" =>
            {
                let attr = |key: &str| {
                    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == key).map(|a| a.value.to_string())
                };
                if attr("Type").is_some_and(|t| t.ends_with("/relationships/officeDocument")) {
                    return attr("Target").map(|t| lower(t.trim_start_matches('/')));
                }
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// A sheet's declared dimension (`A1:G67`) must lie inside Excel's grid.
fn check_dimension(part: &str, dimension: &str) -> Result<(), String> {
    let mut corners = Vec::new();
    for corner in dimension.split(':') {
        let letters: String = corner.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let digits = &corner[letters.len()..];
        if letters.is_empty() && digits.is_empty() {
            continue;
        }
        let column = letters
            .chars()
            .try_fold(0u64, |n, c| n.checked_mul(26)?.checked_add(c.to_ascii_uppercase() as u64 - 'A' as u64 + 1));
        let row = digits.parse::<u64>().ok();
        match (column, row) {
            (Some(c), Some(r)) if c <= EXCEL_COLUMNS as u64 && (1..=EXCEL_ROWS as u64).contains(&r) => {
                corners.push((r, c))
            }
            _ => {
                return Err(format!(
                    "{part} declares the dimension {dimension:?}, outside Excel's grid (a forged file)"
                ));
            }
        }
    }
    if let [(r1, c1), (r2, c2)] = corners.as_slice()
        && (r2 < r1 || c2 < c1)
    {
        return Err(format!(
            "{part} declares the dimension {dimension:?}, which ends before it starts (a forged file)"
        ));
    }
    Ok(())
}

/// Inspects the workbook's zip before anything reads its contents. The reason is a phrase for "`file`: reason".
pub fn inspect(path: &Path) -> Result<(), String> {
    let meta = atlas_core::input::check_regular(path, MAX_XLSX_BYTES)?;
    let mut file = File::open(path).map_err(|e| format!("cannot read it ({e})"))?;
    if !file.metadata().map_err(|e| format!("cannot read it ({e})"))?.is_file() {
        return Err("is not a regular file (a device, pipe or socket); nothing was read".to_owned());
    }
    let (parts, directory) = directory_size(&mut file, meta.len())?;
    if parts as usize > MAX_PARTS || directory > MAX_DIRECTORY_BYTES {
        return Err(format!("the workbook has {parts} parts; the limit is {MAX_PARTS}"));
    }
    file.seek(SeekFrom::Start(0)).map_err(|e| format!("cannot read it ({e})"))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| format!("not readable as a spreadsheet ({e}; save it as .xlsx)"))?;
    let mut names: HashMap<String, usize> = HashMap::new();
    let mut sizes: Vec<(String, u64)> = Vec::with_capacity(zip.len());
    let mut total: u64 = 0;
    for index in 0..zip.len() {
        let part = zip.by_index_raw(index).map_err(|e| format!("not readable as a spreadsheet ({e})"))?;
        let name = lower(&part.name().map_err(|e| format!("not readable as a spreadsheet ({e})"))?);
        total = total.saturating_add(part.size());
        sizes.push((name.clone(), part.size()));
        names.insert(name, index);
    }
    if total > MAX_UNCOMPRESSED_BYTES {
        return Err(format!(
            "the workbook unpacks to {}; the limit is {}",
            megabytes(total),
            megabytes(MAX_UNCOMPRESSED_BYTES)
        ));
    }
    let workbook = workbook_part(&mut zip, &names).unwrap_or_else(|| "xl/workbook.xml".to_owned());
    let dir = workbook.rfind('/').map_or("", |i| &workbook[..=i]).to_owned();
    let shared = format!("{dir}sharedstrings.xml");
    let small = [workbook.clone(), format!("{dir}styles.xml")];
    for (name, size) in &sizes {
        let limit = if *name == shared {
            MAX_SHARED_STRINGS_BYTES
        } else if name.ends_with(".rels") || small.contains(name) {
            MAX_SMALL_PART_BYTES
        } else {
            continue;
        };
        if *size > limit {
            return Err(format!("the part {name} unpacks to {}; the limit is {}", megabytes(*size), megabytes(limit)));
        }
    }
    if let Some(index) = names.get(&shared) {
        let part = zip.by_index(*index).map_err(|e| format!("not readable as a spreadsheet ({e})"))?;
        if let Some(count) = first_attribute(part, "sst", "uniqueCount", 1 << 20) {
            let count = count.trim();
            let said = match count.parse::<u64>() {
                Ok(n) if n <= MAX_SHARED_STRINGS => None,
                Ok(n) => Some(n.to_string()),
                Err(_) if count.bytes().all(|b| b.is_ascii_digit()) && !count.is_empty() => Some(count.to_owned()),
                // Not a number: calamine reserves nothing for it.
                Err(_) => None,
            };
            if let Some(said) = said {
                return Err(format!("the workbook declares {said} shared strings; the limit is {MAX_SHARED_STRINGS}"));
            }
        }
    }
    // No text or tag in any XML part may be longer than a cell can be (in bytes, with room for entities): calamine
    // would hold it whole, however far it unpacks.
    for (name, index) in &names {
        if !name.ends_with(".xml") && !name.ends_with(".rels") {
            continue;
        }
        let part = zip.by_index(*index).map_err(|e| format!("not readable as a spreadsheet ({e})"))?;
        if longest_run(part).map_err(|e| format!("the part {name} is not readable ({e})"))? > MAX_XML_RUN {
            return Err(format!(
                "the part {name} holds a text or tag longer than {} (a cell holds at most {MAX_CELL_CHARS} characters)",
                megabytes(MAX_XML_RUN as u64)
            ));
        }
    }
    for (name, index) in &names {
        if !name.contains("worksheets/") || !name.ends_with(".xml") {
            continue;
        }
        let part = zip.by_index(*index).map_err(|e| format!("not readable as a spreadsheet ({e})"))?;
        if let Some(dimension) = first_attribute(part, "dimension", "ref", 1 << 20) {
            check_dimension(name, &dimension)?;
        }
    }
    Ok(())
}

fn cell_from_ref(data: &DataRef) -> Cell {
    match data {
        DataRef::Empty => Cell::Empty,
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Text(Arc::from(if *b { "yes" } else { "no" })),
        DataRef::String(s) => Cell::Text(Arc::from(s.as_str())),
        DataRef::SharedString(s) => Cell::Text(Arc::from(*s)),
        // A cell formatted as a date: the day as ISO text, so that a date column never reads a plain number as a day.
        DataRef::DateTime(d) => match super::format::excel_serial_to_date(d.as_f64()) {
            Some(day) if d.is_datetime() => Cell::Text(Arc::from(day)),
            _ => Cell::Number(d.as_f64()),
        },
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(Arc::from(s.as_str())),
        DataRef::Error(e) => Cell::Text(Arc::from(format!("#ERROR {e}"))),
    }
}

/// Excel's name of a column: 0 → A, 26 → AA.
pub fn column_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Streams one sheet into a table: the first non-empty row is the header, columns from A. `budget` is the number of
/// cells still allowed.
fn stream_sheet<R: Read + Seek>(
    book: &mut Xlsx<R>,
    file: &str,
    name: &str,
    budget: &mut usize,
    headerless: bool,
) -> Result<RawTable, ReadError> {
    let fail = |reason: String| ReadError { file: file.to_owned(), reason: format!("sheet {name}: {reason}") };
    let mut reader = book.worksheet_cells_reader(name).map_err(|e| fail(format!("not readable ({e})")))?;
    let mut table = RawTable { sheet: Some(name.to_owned()), header_row: 0, ..Default::default() };
    let mut header: Vec<(u32, String)> = Vec::new();
    // A sheet without a header (the round sheet) reads its first two columns as field and value.
    let mut header_at: Option<u32> = None;
    if headerless {
        table.columns = vec!["field".to_owned(), "value".to_owned()];
        header_at = Some(u32::MAX);
    }
    let mut current: Option<RawRow> = None;
    let mut previous: Vec<Cell> = Vec::new();
    let mut last_row: Option<u32> = None;
    let finish_row = |table: &mut RawTable, row: Option<RawRow>| {
        if let Some(row) = row
            && !row.cells.iter().all(Cell::is_empty)
        {
            table.rows.push(row);
        }
    };
    while let Some(cell) = reader.next_cell().map_err(|e| fail(format!("not readable ({e})")))? {
        let (row, col) = cell.get_position();
        let value = cell_from_ref(cell.get_value());
        if value.is_empty() {
            continue;
        }
        if row >= EXCEL_ROWS || col >= EXCEL_COLUMNS {
            return Err(fail(format!("a cell at row {}, column {} lies outside Excel's grid", row as u64 + 1, col)));
        }
        if let Cell::Text(t) = &value
            && t.chars().count() > MAX_CELL_CHARS
        {
            return Err(fail(format!(
                "row {}, column {}: the cell holds {} characters; Excel's limit is {MAX_CELL_CHARS}",
                row + 1,
                column_letters(col),
                t.chars().count()
            )));
        }
        if last_row.is_some_and(|last| row < last) {
            return Err(fail(format!(
                "row {} comes after row {}: the rows are out of order",
                row + 1,
                last_row.unwrap_or(0) + 1
            )));
        }
        last_row = Some(row);
        if header_at.is_none_or(|h| h == row) && !headerless {
            header_at = Some(row);
            header.push((col, value.text()));
            continue;
        }
        if table.columns.is_empty() {
            let width = header.iter().map(|(c, _)| *c + 1).max().unwrap_or(0) as usize;
            table.columns = vec![String::new(); width];
            for (c, text) in header.drain(..) {
                table.columns[c as usize] = normalise_column(&text);
            }
            table.header_row = header_at.map_or(1, |h| h as usize + 1);
        }
        if previous.len() < table.columns.len() {
            previous.resize(table.columns.len(), Cell::Empty);
        }
        if (col as usize) >= table.columns.len() || table.columns[col as usize].is_empty() {
            return Err(fail(format!(
                "row {}, column {}: a value under no column name (give the column a name in row {}, or clear it)",
                row + 1,
                column_letters(col),
                table.header_row
            )));
        }
        if current.as_ref().is_none_or(|r| r.row != row as usize + 1) {
            finish_row(&mut table, current.take());
            current = Some(RawRow { row: row as usize + 1, cells: Vec::new(), problems: Vec::new() });
        }
        let Some(cells) = current.as_mut().map(|r| &mut r.cells) else { continue };
        if cells.len() <= col as usize {
            let grow = col as usize + 1 - cells.len();
            if grow > *budget {
                return Err(fail(format!("more than {MAX_CELLS} cells; save the answers as CSV for larger files")));
            }
            *budget -= grow;
            cells.resize(col as usize + 1, Cell::Empty);
        }
        // A text repeated down a column (a respondent's id, city, date) is held once.
        let value = match (&value, previous.get_mut(col as usize)) {
            (Cell::Text(t), Some(last)) => {
                if !matches!(last, Cell::Text(p) if p == t) {
                    *last = value.clone();
                }
                last.clone()
            }
            _ => value,
        };
        cells[col as usize] = value;
    }
    finish_row(&mut table, current.take());
    if table.columns.is_empty() && !header.is_empty() {
        let width = header.iter().map(|(c, _)| *c + 1).max().unwrap_or(0) as usize;
        table.columns = vec![String::new(); width];
        for (c, text) in header.drain(..) {
            table.columns[c as usize] = normalise_column(&text);
        }
        table.header_row = header_at.map_or(1, |h| h as usize + 1);
    }
    if table.header_row == 0 {
        table.header_row = 1;
    }
    Ok(table)
}

/// Reads a workbook: the answers sheet (see [`answers_sheet`]), an optional `questions` sheet, and an optional
/// `round` sheet of `field, value` rows (title, held_on, survey).
pub fn read_xlsx(file: &str, path: &Path) -> Result<RawFile, ReadError> {
    let fail = |reason: String| ReadError { file: file.to_owned(), reason };
    inspect(path).map_err(fail)?;
    // calamine is a well-kept crate, but a forged file found one overflow in it; whatever else a forged file finds is
    // a one-line refusal, not a crash of the import.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_checked(file, path))).unwrap_or_else(|_| {
        Err(fail("not readable as a spreadsheet (the workbook reader failed on it; save it again as .xlsx)".to_owned()))
    })
}

/// How many of the required answer columns a sheet's first filled row names (0 for a sheet that cannot be read),
/// reading no further than that row.
fn required_in_header<R: Read + Seek>(book: &mut Xlsx<R>, name: &str) -> usize {
    let Ok(mut reader) = book.worksheet_cells_reader(name) else { return 0 };
    let mut found = [false; REQUIRED_COLUMNS.len()];
    let mut header_row = None;
    while let Ok(Some(cell)) = reader.next_cell() {
        let (row, _) = cell.get_position();
        let value = cell_from_ref(cell.get_value());
        if value.is_empty() {
            continue;
        }
        if header_row.is_some_and(|h| h != row) {
            break;
        }
        header_row = Some(row);
        let text = value.str();
        // A column name is short; a long text (an instructions paragraph) is not one.
        if text.len() <= 64
            && let Some(at) = REQUIRED_COLUMNS.iter().position(|c| *c == normalise_column(&text))
        {
            found[at] = true;
        }
    }
    found.iter().filter(|f| **f).count()
}

/// The sheet that holds the answers, wherever it is in the workbook: the one named `answers`, else the first whose
/// first filled row names the most of the answer columns (an instructions sheet before it is passed by). When no
/// sheet names any of them, the reason names the sheets there are.
fn answers_sheet<R: Read + Seek>(book: &mut Xlsx<R>, names: &[String]) -> Result<String, String> {
    if names.is_empty() {
        return Err("the workbook has no sheets".to_owned());
    }
    let named = |wanted: &str| names.iter().find(|n| n.trim().eq_ignore_ascii_case(wanted));
    if let Some(name) = named("answers") {
        return Ok(name.clone());
    }
    let mut best: Option<(usize, &String)> = None;
    for name in names {
        if ["questions", "round"].iter().any(|other| name.trim().eq_ignore_ascii_case(other)) {
            continue;
        }
        let found = required_in_header(book, name);
        if found > best.map_or(0, |(most, _)| most) {
            best = Some((found, name));
        }
        if found == REQUIRED_COLUMNS.len() {
            break;
        }
    }
    match best {
        Some((_, name)) => Ok(name.clone()),
        None => {
            // A sheet name is at most 31 characters in Excel; a forged one is cut there.
            let quoted: Vec<String> = names
                .iter()
                .map(|n| match n.char_indices().nth(31) {
                    Some((cut, _)) => format!("'{}…'", &n[..cut]),
                    None => format!("'{n}'"),
                })
                .collect();
            Err(format!(
                "no sheet is named 'answers' or has the answer columns {} in its first row (sheets: {})",
                REQUIRED_COLUMNS.join(", "),
                list_names(&quoted)
            ))
        }
    }
}

/// Reads a workbook that [`inspect`] passed.
fn read_checked(file: &str, path: &Path) -> Result<RawFile, ReadError> {
    let fail = |reason: String| ReadError { file: file.to_owned(), reason };
    let opened = File::open(path).map_err(|e| fail(format!("cannot read it ({e})")))?;
    let mut book: Xlsx<_> =
        Xlsx::new(BufReader::new(opened)).map_err(|e| fail(format!("not readable as a spreadsheet ({e})")))?;
    let names = book.sheet_names();
    let find = |wanted: &str| names.iter().find(|n| n.trim().eq_ignore_ascii_case(wanted)).cloned();
    let answers_name = answers_sheet(&mut book, &names).map_err(fail)?;
    let mut budget = MAX_CELLS;
    let answers = stream_sheet(&mut book, file, &answers_name, &mut budget, false)?;
    let questions = match find("questions") {
        Some(name) => Some(stream_sheet(&mut book, file, &name, &mut budget, false)?),
        None => None,
    };
    let mut round = RawRound::default();
    if let Some(name) = find("round") {
        let sheet = stream_sheet(&mut book, file, &name, &mut budget, true)?;
        for row in &sheet.rows {
            let key = row.at(Some(0)).text().to_ascii_lowercase();
            let value = row.at(Some(1)).clone();
            match key.as_str() {
                "title" => round.title = Some(value.text()).filter(|t| !t.is_empty()),
                "held_on" | "date" => round.held_on = Some(value).filter(|v| !v.is_empty()),
                "survey" => round.survey = Some(value.text()).filter(|t| !t.is_empty()),
                _ => {}
            }
        }
    }
    Ok(RawFile { file: file.to_owned(), format: super::FileFormat::Xlsx, answers, questions, round, encoding: None })
}
