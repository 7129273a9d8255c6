//! Reading answer files (CSV, XLSX, JSON) into rows of named cells, keeping where each row came from.
//!
//! Nothing is checked here beyond the file's shape; [`super::validate`] checks the values.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

/// The largest CSV answer file read; bigger files are refused before reading, and no more is ever read.
pub const MAX_FILE_BYTES: u64 = 128 << 20;
/// The largest JSON answer file read (JSON takes several times its size in memory while it is parsed).
pub const MAX_JSON_BYTES: u64 = 16 << 20;

pub(crate) use super::raw::normalise_column;
pub use super::raw::{Cell, FileFormat, MAX_CELL_CHARS, MAX_COLUMNS, RawFile, RawRound, RawRow, RawTable, ReadError};
pub use atlas_core::text::format_number;

/// The file's name (as errors name it) and format, once it is known to be a readable answer file of a sane size.
fn answer_file(path: &Path) -> Result<(String, FileFormat), ReadError> {
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    let fail = |reason: String| ReadError { file: file.clone(), reason };
    let format = FileFormat::from_path(path)
        .ok_or_else(|| fail("not an answer file: the name must end in .csv, .xlsx or .json".to_owned()))?;
    let limit = match format {
        FileFormat::Csv => MAX_FILE_BYTES,
        FileFormat::Json => MAX_JSON_BYTES,
        FileFormat::Xlsx => super::xlsx::MAX_XLSX_BYTES,
    };
    atlas_core::input::check_regular(path, limit).map_err(fail)?;
    Ok((file, format))
}

/// A CSV file's name, its text and the encoding it was read in (UTF-8, UTF-16 or Windows-1252). An empty file, or
/// one of nothing but white space and NUL bytes, is refused as "no rows".
pub fn read_csv_text(path: &Path) -> Result<(String, String, atlas_core::input::TextEncoding), ReadError> {
    let (file, _) = answer_file(path)?;
    let fail = |reason: String| ReadError { file: file.clone(), reason };
    let bytes = atlas_core::input::read_bounded(path, MAX_FILE_BYTES).map_err(fail)?;
    let (text, encoding) = atlas_core::input::decode_text(bytes);
    if atlas_core::input::is_blank(&text) {
        return Err(fail("no rows".to_owned()));
    }
    if let Some(at) = text.find('\0') {
        let line = text[..at].matches('\n').count() + 1;
        return Err(fail(format!("line {line}: a NUL byte; this is not a text file")));
    }
    Ok((file, text, encoding))
}

/// Reads an answer file, choosing the reader by extension.
pub fn read_file(path: &Path) -> Result<RawFile, ReadError> {
    let (file, format) = answer_file(path)?;
    match format {
        FileFormat::Csv => {
            let (file, text, encoding) = read_csv_text(path)?;
            let mut raw = read_csv(&file, &text)?;
            raw.encoding = Some(encoding);
            Ok(raw)
        }
        FileFormat::Xlsx => super::xlsx::read_xlsx(&file, path),
        FileFormat::Json => {
            let bytes = atlas_core::input::read_bounded(path, MAX_JSON_BYTES)
                .map_err(|reason| ReadError { file: file.clone(), reason })?;
            read_json(&file, &bytes)
        }
    }
}

/// Reads CSV text. A line `# questions` starts the question section and `# answers` the answer section; without
/// them the whole file is answers. A line starting with `#` above a section's header is a note on the file; below
/// the header it is a row like any other (there are no comment lines: no answer is skipped unseen). The delimiter
/// is `,`, or `;`/tab when the header line uses those.
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
            encoding: None,
        });
    }
    let sections = csv_sections(text);
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
    Ok(RawFile {
        file: file.to_owned(),
        format: FileFormat::Csv,
        answers,
        questions,
        round: RawRound::default(),
        encoding: None,
    })
}

/// A section of a CSV file: its name (`questions`, `answers`), the file line its text starts on, and its text.
pub type CsvSection<'t> = (String, usize, std::borrow::Cow<'t, str>);

/// Splits CSV text into sections by marker lines (`# questions`, `# answers`); text before the first marker is
/// answers. A line starting with `#` above a section's header is a note, kept as an empty line so that line numbers
/// hold. A section's text is borrowed from `text` unless a note had to be blanked in it.
pub fn csv_sections(text: &str) -> Vec<CsvSection<'_>> {
    use std::borrow::Cow;
    /// A section being gathered: name, first line, where its text starts, and its own copy once a note is blanked.
    struct Open {
        name: String,
        first_line: usize,
        start: usize,
        copy: Option<String>,
    }
    impl Open {
        fn body<'t>(&self, text: &'t str, end: usize) -> Cow<'t, str> {
            match &self.copy {
                Some(copy) => Cow::Owned(copy.clone()),
                None => Cow::Borrowed(&text[self.start..end]),
            }
        }
        fn is_blank(&self, text: &str, end: usize) -> bool {
            match &self.copy {
                Some(copy) => copy.trim().is_empty(),
                None => text[self.start..end].trim().is_empty(),
            }
        }
    }
    let mut sections: Vec<CsvSection<'_>> = Vec::new();
    let mut current = Open { name: "answers".to_owned(), first_line: 1, start: 0, copy: None };
    let mut started = false;
    let mut at = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let line_start = at;
        at += line.len();
        let trimmed = line.trim().trim_end_matches([',', ';', '\t']);
        if let Some(marker) = trimmed.strip_prefix('#') {
            let name = marker.trim().to_ascii_lowercase();
            if name == "questions" || name == "answers" {
                if started || !current.is_blank(text, line_start) {
                    sections.push((
                        std::mem::take(&mut current.name),
                        current.first_line,
                        current.body(text, line_start),
                    ));
                }
                current = Open { name, first_line: index + 2, start: at, copy: None };
                started = true;
                continue;
            }
            // A note above a section's header (a file's title line) is not a row; after the header, a line starting
            // with `#` is a row like any other.
            if current.is_blank(text, line_start) {
                let copy = current.copy.get_or_insert_with(|| text[current.start..line_start].to_owned());
                copy.push('\n');
                continue;
            }
        }
        if let Some(copy) = &mut current.copy {
            copy.push_str(line);
        }
    }
    let end = text.len();
    let body = current.body(text, end);
    sections.push((current.name, current.first_line, body));
    sections
}

/// Whether CSV text may hold section markers (a `#`; rare in answer values, so cheap to rule out).
pub fn has_markers(text: &str) -> bool {
    text.contains('#')
}

pub(crate) fn read_csv_table(file: &str, section: &str, first_line: usize, body: &str) -> Result<RawTable, ReadError> {
    let mut reader = CsvTable::new(file, section, first_line, body)?;
    let mut rows = Vec::new();
    while reader.next_rows(usize::MAX, &mut rows)? {}
    let mut table = reader.header;
    table.rows = rows;
    Ok(table)
}

/// The delimiter a header line uses: `;` when it has more of them than commas, a tab when it has tabs and no comma,
/// else `,`.
pub(crate) fn delimiter_of(header_line: &str) -> u8 {
    if header_line.matches(';').count() > header_line.matches(',').count() {
        b';'
    } else if header_line.contains('\t') && !header_line.contains(',') {
        b'\t'
    } else {
        b','
    }
}

/// A CSV answer file read in pieces of a few megabytes that each end where a record ends, so that the whole text is
/// never held: UTF-8, UTF-16 or Windows-1252, with its answers after any `# questions` section. What this reader
/// cannot vouch for (a NUL byte, a line starting with `#` among the answers, a quote that never closes, a file past
/// the limit, bytes that are not UTF-8 after UTF-8 letters) it leaves to the reader of whole files:
/// [`CsvPiece::Whole`].
pub struct CsvPieces {
    file: std::io::Take<std::fs::File>,
    /// Bytes read and not yet handed out.
    buffer: Vec<u8>,
    /// How far `buffer` has been scanned for quotes, and the state there.
    scanned: usize,
    quoted: bool,
    field_start: bool,
    /// The end of the last line in `buffer[..scanned]` that ends outside quotes.
    safe_end: Option<usize>,
    delimiter: Option<u8>,
    eof: bool,
    read: u64,
    /// The file line the next piece starts on.
    next_line: usize,
    first: bool,
    /// About how many bytes each piece holds.
    piece_bytes: usize,
    /// Whether the start of the file has been looked at for a byte-order mark (dropped, as the whole-file reader
    /// drops it).
    bom_checked: bool,
    /// The end of the header line in `buffer`, while the first piece is being read.
    header_end: usize,
    /// Whether the file started with a UTF-8 byte-order mark.
    had_bom: bool,
    /// Whether every piece (and head) handed out so far was plain ASCII.
    ascii: bool,
    /// Whether the file turned out not to be UTF-8, and is read as Windows-1252.
    windows_1252: bool,
    /// The first bytes, until there are enough to tell the encoding.
    pending: Vec<u8>,
    /// Text read (and decoded) but not yet in `buffer`.
    queued: Vec<u8>,
    /// Whether the file has been read to its end (`eof`: and all its text is in `buffer`).
    file_eof: bool,
    /// The decoder of a UTF-16 file.
    decoder: Option<(encoding_rs::Decoder, atlas_core::input::TextEncoding)>,
}

/// What [`CsvPieces::next_piece`] gives.
pub enum CsvPiece {
    /// The next piece's text and the file line it starts on.
    Text(String, usize),
    End,
    /// The file needs the reader of whole files.
    Whole,
}

/// Why [`CsvPieces::take_head`] could not read a file's head whole; the reader of whole files then takes the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HeadError {
    /// The `# answers` line is not within the bytes allowed, or the file ends (or cannot be read) before it.
    #[error("no '# answers' line within the part of the file read whole")]
    NoAnswersMarker,
    /// The head is not plain UTF-8 text (or holds a NUL byte).
    #[error("the text before '# answers' is not plain UTF-8")]
    NotPlainText,
}

/// About how many bytes each piece holds.
pub const PIECE_BYTES: usize = 4 << 20;

impl CsvPieces {
    /// Opens a CSV answer file; `None` when it is not a regular file within the limit (the whole-file reader then
    /// says why).
    pub fn open(path: &Path, piece_bytes: usize) -> Option<Self> {
        atlas_core::input::check_regular(path, MAX_FILE_BYTES).ok()?;
        let file = std::fs::File::open(path).ok()?;
        if !file.metadata().ok()?.is_file() {
            return None;
        }
        use std::io::Read;
        Some(CsvPieces {
            file: file.take(MAX_FILE_BYTES + 1),
            buffer: Vec::new(),
            scanned: 0,
            quoted: false,
            field_start: true,
            safe_end: None,
            delimiter: None,
            eof: false,
            read: 0,
            next_line: 1,
            first: true,
            piece_bytes: piece_bytes.max(1),
            bom_checked: false,
            header_end: 0,
            had_bom: false,
            ascii: true,
            windows_1252: false,
            pending: Vec::new(),
            queued: Vec::new(),
            file_eof: false,
            decoder: None,
        })
    }

    /// The encoding the pieces were read in (UTF-8, UTF-16, or Windows-1252 once a piece was not UTF-8).
    pub fn encoding(&self) -> atlas_core::input::TextEncoding {
        match &self.decoder {
            Some((_, which)) => *which,
            None if self.windows_1252 => atlas_core::input::TextEncoding::Windows1252,
            None => atlas_core::input::TextEncoding::Utf8,
        }
    }

    /// The file's size, for an estimate of its rows.
    pub fn len_hint(&self) -> u64 {
        self.file.get_ref().metadata().map_or(0, |m| m.len())
    }

    /// Reads more of the file into `buffer`, as UTF-8 when the file is UTF-16 (told by a byte-order mark, or by the
    /// zero bytes of its first 4 KB, as the whole-file reader tells it). False when the file cannot be read or passes
    /// the limit.
    fn fill(&mut self) -> bool {
        let ok = self.fill_once();
        self.eof = self.file_eof && self.queued.is_empty();
        ok
    }

    fn fill_once(&mut self) -> bool {
        use std::io::Read;
        // Text decoded ahead (the first bytes, looked at together) comes a piece's worth at a time.
        if !self.queued.is_empty() {
            let n = self.piece_bytes.min(self.queued.len());
            self.buffer.extend(self.queued.drain(..n));
            return true;
        }
        if self.file_eof {
            return true;
        }
        let mut raw = vec![0; self.piece_bytes];
        let got = loop {
            match self.file.read(&mut raw) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return false,
            }
        };
        raw.truncate(got);
        self.read += got as u64;
        if got == 0 {
            self.file_eof = true;
        }
        if self.read > MAX_FILE_BYTES {
            return false;
        }
        if !self.bom_checked {
            self.pending.extend_from_slice(&raw);
            if self.pending.len() < 4096 && !self.file_eof {
                return true;
            }
            self.bom_checked = true;
            raw = std::mem::take(&mut self.pending);
            let utf16 = |which| {
                if which == atlas_core::input::TextEncoding::Utf16Le {
                    encoding_rs::UTF_16LE
                } else {
                    encoding_rs::UTF_16BE
                }
            };
            let which = match encoding_rs::Encoding::for_bom(&raw) {
                Some((encoding, bom)) => {
                    raw.drain(..bom);
                    if encoding == encoding_rs::UTF_8 {
                        self.had_bom = true;
                        None
                    } else if encoding == encoding_rs::UTF_16LE {
                        Some(atlas_core::input::TextEncoding::Utf16Le)
                    } else {
                        Some(atlas_core::input::TextEncoding::Utf16Be)
                    }
                }
                None => atlas_core::input::sniff_utf16(&raw),
            };
            if let Some(which) = which {
                self.decoder = Some((utf16(which).new_decoder_without_bom_handling(), which));
            }
        }
        let text = match &mut self.decoder {
            Some((decoder, _)) => {
                let Some(room) = decoder.max_utf8_buffer_length(raw.len()) else { return false };
                let mut text = String::with_capacity(room);
                let _ = decoder.decode_to_string(&raw, &mut text, self.file_eof);
                text.into_bytes()
            }
            None => raw,
        };
        let n = self.piece_bytes.min(text.len());
        self.buffer.extend_from_slice(&text[..n]);
        self.queued.extend_from_slice(&text[n..]);
        true
    }

    /// Scans the new bytes for quotes as the csv reader reads them: a quote opens a quoted field only as the field's
    /// first character, and a doubled quote inside one is a quote.
    fn scan(&mut self, delimiter: u8) {
        let raw = &self.buffer;
        let mut i = self.scanned;
        while i < raw.len() {
            let b = raw[i];
            if self.quoted {
                if b == b'"' {
                    match raw.get(i + 1) {
                        Some(b'"') => i += 1,
                        Some(_) => self.quoted = false,
                        // The next byte decides: read more first (at the end of the file, the quote closes).
                        None if !self.eof => break,
                        None => self.quoted = false,
                    }
                }
                self.field_start = false;
            } else if b == b'"' && self.field_start {
                self.quoted = true;
                self.field_start = false;
            } else if b == delimiter {
                self.field_start = true;
            } else {
                self.field_start = b == b'\n' || b == b'\r';
                if b == b'\n' {
                    self.safe_end = Some(i + 1);
                }
            }
            i += 1;
        }
        self.scanned = i;
    }

    /// For a file whose first line that is not blank starts with `#` (a file with sections): its text up to and
    /// including the `# answers` marker line, read whole (at most `max` bytes), so that the answers after it can be
    /// read in pieces. `Ok(None)` for a file without such a first line; an error when the head is not there within
    /// `max` bytes or is not plain UTF-8 text (the whole-file reader then takes the file).
    pub fn take_head(&mut self, max: usize) -> Result<Option<String>, HeadError> {
        loop {
            if self.bom_checked {
                let mut at = 0;
                let mut first = true;
                for line in self.buffer.split_inclusive(|b| *b == b'\n') {
                    if !line.ends_with(b"\n") {
                        break;
                    }
                    at += line.len();
                    let text = std::str::from_utf8(line).map_err(|_| HeadError::NotPlainText)?;
                    let trimmed = text.trim();
                    if first && !trimmed.is_empty() {
                        if !trimmed.starts_with('#') {
                            return Ok(None);
                        }
                        first = false;
                    }
                    let marker = trimmed.trim_end_matches([',', ';', '\t']);
                    if marker.strip_prefix('#').is_some_and(|m| m.trim().eq_ignore_ascii_case("answers")) {
                        let rest = self.buffer.split_off(at);
                        let head = String::from_utf8(std::mem::replace(&mut self.buffer, rest))
                            .map_err(|_| HeadError::NotPlainText)?;
                        if head.contains('\0') {
                            return Err(HeadError::NotPlainText);
                        }
                        self.next_line += head.matches('\n').count();
                        self.ascii &= head.is_ascii();
                        return Ok(Some(head));
                    }
                }
                if first && self.buffer.len() >= max {
                    return Ok(None);
                }
            }
            if self.eof || self.buffer.len() >= max || !self.fill() {
                return Err(HeadError::NoAnswersMarker);
            }
        }
    }

    /// The next piece, ending after a line break outside quotes (or at the end of the file).
    pub fn next_piece(&mut self) -> CsvPiece {
        loop {
            if self.delimiter.is_none() && self.bom_checked {
                // The header line (the first line that is not blank) chooses the delimiter.
                let mut end = 0;
                let mut lines = self.buffer.split_inclusive(|b| *b == b'\n');
                let header = lines.find(|l| {
                    end += l.len();
                    !String::from_utf8_lossy(l).trim().is_empty()
                });
                match header {
                    Some(line) if line.ends_with(b"\n") || self.eof => {
                        self.delimiter = Some(delimiter_of(&String::from_utf8_lossy(line)));
                        self.header_end = end;
                    }
                    _ if self.eof => return CsvPiece::Whole,
                    _ => {}
                }
            }
            if let Some(delimiter) = self.delimiter {
                self.scan(delimiter);
                let end = if self.eof && self.scanned == self.buffer.len() {
                    if self.quoted {
                        return CsvPiece::Whole;
                    }
                    Some(self.buffer.len())
                } else {
                    // Split once a piece's worth has been read, at the last line break outside quotes.
                    // The first piece holds the header.
                    if self.buffer.len() >= self.piece_bytes {
                        self.safe_end.filter(|end| !self.first || *end >= self.header_end)
                    } else {
                        None
                    }
                };
                if let Some(end) = end {
                    if end == 0 {
                        return CsvPiece::End;
                    }
                    let rest = self.buffer.split_off(end);
                    let piece = std::mem::replace(&mut self.buffer, rest);
                    self.scanned -= end;
                    self.safe_end = None;
                    // The csv reader would drop a byte-order mark at the start of a later piece, as if it began the file.
                    if !self.first && piece.starts_with(b"\xEF\xBB\xBF") {
                        return CsvPiece::Whole;
                    }
                    let first = std::mem::replace(&mut self.first, false);
                    if piece.contains(&0) {
                        return CsvPiece::Whole;
                    }
                    // A file that is not UTF-8 is read as Windows-1252 (as the whole-file reader reads it); the pieces
                    // before must then have been plain ASCII, the same text in either encoding.
                    if !self.windows_1252 && std::str::from_utf8(&piece).is_err() {
                        let header_ascii = !first || piece[..self.header_end.min(piece.len())].is_ascii();
                        if !self.ascii || self.had_bom || !header_ascii {
                            return CsvPiece::Whole;
                        }
                        self.windows_1252 = true;
                    }
                    let text = if self.windows_1252 {
                        encoding_rs::WINDOWS_1252.decode_without_bom_handling(&piece).0.into_owned()
                    } else {
                        let Ok(text) = String::from_utf8(piece) else { return CsvPiece::Whole };
                        self.ascii &= text.is_ascii();
                        text
                    };
                    // A line starting with `#` may be a section marker or a note: the whole-file reader decides.
                    if text.split('\n').any(|line| line.trim().starts_with('#')) {
                        return CsvPiece::Whole;
                    }
                    let first_line = self.next_line;
                    self.next_line += text.matches('\n').count();
                    return CsvPiece::Text(text, first_line);
                }
            }
            if self.eof {
                return if self.buffer.is_empty() { CsvPiece::End } else { CsvPiece::Whole };
            }
            if !self.fill() {
                return CsvPiece::Whole;
            }
        }
    }
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
    reader_delimiter: u8,
    /// Where the record being read starts (a byte offset in the section).
    record_start: usize,
}

impl<'t> CsvTable<'t> {
    /// Reads the header of a section whose first line is line `first_line` of the file.
    pub fn new(file: &str, section: &str, first_line: usize, body: &'t str) -> Result<Self, ReadError> {
        // Leading blank lines shift the header down; count them so row numbers match the file.
        let skipped = body.split_inclusive('\n').take_while(|l| l.trim().is_empty()).count();
        let header_line = body.split_inclusive('\n').nth(skipped).unwrap_or("");
        let delimiter = delimiter_of(header_line);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(true)
            .flexible(true)
            .from_reader(body.as_bytes());
        let header_row = first_line + skipped;
        let fail = |reason: String| ReadError {
            file: file.to_owned(),
            reason: format!("{section} section, line {header_row}: {reason}"),
        };
        let names = reader.headers().map_err(|e| fail(e.to_string()))?;
        if names.len() > MAX_COLUMNS {
            let hint = if section == "answers" {
                format!(
                    " (an answer file has one answer a row, in columns such as {})",
                    atlas_core::answer_format::REQUIRED_COLUMNS.join(", ")
                )
            } else {
                String::new()
            };
            return Err(fail(format!("the header has {} columns; the limit is {MAX_COLUMNS}{hint}", names.len())));
        }
        let columns: Vec<String> = names.iter().map(normalise_column).collect();
        // The line of a byte offset in this section (the csv crate's own line count skips blank lines).
        let line_starts: Vec<usize> = std::iter::once(0).chain(body.match_indices('\n').map(|(i, _)| i + 1)).collect();
        let previous = vec![Cell::Empty; columns.len()];
        let header = RawTable {
            sheet: Some(section.to_owned()),
            header_row,
            columns,
            rows: Vec::new(),
            decimal_comma: delimiter == b';',
        };
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
            reader_delimiter: delimiter,
            record_start: 0,
        })
    }

    /// Goes on reading a table whose earlier records were in another piece of the file: `body` starts where a record
    /// starts, on line `first_line` of the file, and holds no header. `previous` is what [`Self::into_previous`]
    /// gave back from the piece before.
    pub fn resume(
        file: &str,
        header: &RawTable,
        delimiter: u8,
        previous: Vec<Cell>,
        first_line: usize,
        body: &'t str,
    ) -> Self {
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(body.as_bytes());
        let line_starts: Vec<usize> = std::iter::once(0).chain(body.match_indices('\n').map(|(i, _)| i + 1)).collect();
        let section = header.sheet.clone().unwrap_or_default();
        CsvTable {
            file: file.to_owned(),
            section,
            first_line,
            body,
            reader,
            header: header.clone(),
            line_starts,
            record: csv::StringRecord::new(),
            previous,
            reader_delimiter: delimiter,
            record_start: 0,
        }
    }

    /// The delimiter the header line chose.
    pub fn delimiter(&self) -> u8 {
        self.reader_delimiter
    }

    /// Each column's last cell, for [`Self::resume`].
    pub fn into_previous(self) -> Vec<Cell> {
        self.previous
    }

    /// The last record of the section: a quote it opens must close, or the record would have swallowed the rest of
    /// the file into one cell.
    fn check_closed_quote(&self, line: usize) -> Result<(), ReadError> {
        let raw = self.body.as_bytes().get(self.record_start..).unwrap_or_default();
        let (mut quoted, mut field_start, mut field, mut i) = (false, true, 0usize, 0usize);
        let mut opened_field = 0;
        while i < raw.len() {
            let b = raw[i];
            if quoted {
                if b == b'"' {
                    if raw.get(i + 1) == Some(&b'"') {
                        i += 1;
                    } else {
                        quoted = false;
                    }
                }
            } else if b == b'"' && field_start {
                quoted = true;
                opened_field = field;
            } else if b == self.reader_delimiter {
                field += 1;
                field_start = true;
                i += 1;
                continue;
            } else if b == b'\n' {
                field = 0;
            }
            // As the csv reader does: a quote opens a quoted field only as the field's first character.
            field_start = b == b'\n';
            i += 1;
        }
        if quoted {
            let column =
                self.header.columns.get(opened_field).cloned().unwrap_or_else(|| (opened_field + 1).to_string());
            let last = self.line_starts.len() + self.first_line - 1;
            return Err(ReadError {
                file: self.file.clone(),
                reason: format!(
                    "{} section, line {line}, column {column}: a quote opened here is never closed; it would take \
                     lines {line}–{last} into one cell",
                    self.section
                ),
            });
        }
        Ok(())
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
            self.record_start = self.reader.position().byte() as usize;
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return Ok(false),
                Ok(true) => {
                    let line = self.record.position().map_or(0, |p| self.line_of(p.byte()));
                    if self.record.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    let mut problems = Vec::new();
                    let cells = self
                        .record
                        .iter()
                        .take(columns)
                        .zip(self.previous.iter_mut())
                        .zip(&self.header.columns)
                        .map(|((value, last), column)| {
                            let value = value.trim();
                            if value.is_empty() {
                                Cell::Empty
                            } else {
                                if value.len() > MAX_CELL_CHARS && value.chars().count() > MAX_CELL_CHARS {
                                    problems.push((
                                        column.clone(),
                                        format!(
                                            "the cell holds {} characters; the limit is {MAX_CELL_CHARS}",
                                            value.chars().count()
                                        ),
                                    ));
                                    return Cell::Empty;
                                }
                                let value = atlas_core::input::csv_cell_read(value);
                                if !matches!(last, Cell::Text(t) if **t == *value) {
                                    *last = Cell::Text(Arc::from(value.as_ref()));
                                }
                                last.clone()
                            }
                        })
                        .collect();
                    // A value past the last named column is not dropped unseen.
                    if let Some((at, _)) =
                        self.record.iter().enumerate().skip(columns).find(|(_, v)| !v.trim().is_empty())
                    {
                        let hint = if self.reader_delimiter == b',' && columns > 0 {
                            " (a decimal comma? write 1.5, or quote the value)"
                        } else {
                            ""
                        };
                        problems.push((
                            format!("{}", at + 1),
                            format!(
                                "a value beyond the {columns} named columns: {:?}{hint}",
                                self.record.get(at).unwrap_or("")
                            ),
                        ));
                    }
                    // The record reached the end of the section: check that no quote swallowed it.
                    if self.reader.position().byte() as usize >= self.body.len() {
                        self.check_closed_quote(line)?;
                    }
                    rows.push(RawRow { row: line, cells, problems });
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

fn cell_from_json(value: &Value) -> Cell {
    match value {
        Value::Null => Cell::Empty,
        Value::Bool(b) => Cell::Text(Arc::from(if *b { "yes" } else { "no" })),
        Value::Number(n) => n.as_f64().map_or(Cell::Empty, Cell::Number),
        Value::String(s) => Cell::Text(Arc::from(s.as_str())),
        other => Cell::Text(Arc::from(other.to_string())),
    }
}

/// Builds a JSON table item by item while the file is parsed, so that only one item's JSON tree is held at a time.
/// Columns appear as items name them (in the order of their names within an item); a later item may add one (earlier
/// rows are then shorter). An item that is not an object spoils the table: the first one is told, once the whole
/// file has been read.
struct JsonTable {
    name: &'static str,
    columns: Vec<String>,
    /// Each column's position in `columns`.
    positions: std::collections::HashMap<String, usize>,
    rows: Vec<RawRow>,
    /// Each column's previous cell: a repeated value shares it instead of a new allocation.
    previous: Vec<Cell>,
    items: usize,
    error: Option<String>,
}

impl JsonTable {
    fn new(name: &'static str) -> Self {
        JsonTable {
            name,
            columns: Vec::new(),
            positions: std::collections::HashMap::new(),
            rows: Vec::new(),
            previous: Vec::new(),
            items: 0,
            error: None,
        }
    }

    fn push(&mut self, item: &Value) {
        self.items += 1;
        if self.error.is_some() {
            return;
        }
        let Value::Object(map) = item else {
            self.error = Some(format!("{} item {}: expected an object with named fields", self.name, self.items));
            self.rows = Vec::new();
            return;
        };
        let mut cells: Vec<Cell> = vec![Cell::Empty; self.columns.len()];
        for (key, value) in map {
            let cell = cell_from_json(value);
            if cell.is_empty() {
                continue;
            }
            let key = normalise_column(key);
            let at = match self.positions.get(&key) {
                Some(at) => *at,
                None if self.columns.len() >= MAX_COLUMNS => {
                    self.error = Some(format!(
                        "{} item {}: the items name more than {MAX_COLUMNS} different fields, the most a table may have",
                        self.name, self.items
                    ));
                    self.rows = Vec::new();
                    return;
                }
                None => {
                    self.positions.insert(key.clone(), self.columns.len());
                    self.columns.push(key);
                    self.previous.push(Cell::Empty);
                    cells.push(Cell::Empty);
                    self.columns.len() - 1
                }
            };
            let last = &mut self.previous[at];
            if *last != cell {
                *last = cell;
            }
            cells[at] = last.clone();
        }
        self.rows.push(RawRow { row: self.items, cells, problems: Vec::new() });
    }

    fn finish(self) -> Result<RawTable, String> {
        match self.error {
            Some(error) => Err(error),
            None => Ok(RawTable {
                sheet: Some(self.name.to_owned()),
                header_row: 0,
                columns: self.columns,
                rows: self.rows,
                decimal_comma: false,
            }),
        }
    }
}

/// A top-level field of a JSON answer file that should hold a list of objects.
enum JsonList {
    Table(Result<RawTable, String>),
    Null,
    NotAList,
}

/// Reads a field's value: a list is built into a table item by item; anything else is read (so that a key given
/// twice deeper down is still an error) and told apart.
struct JsonListSeed(&'static str);

impl<'de> serde::de::DeserializeSeed<'de> for JsonListSeed {
    type Value = JsonList;
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<JsonList, D::Error> {
        struct Visitor(&'static str);
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = JsonList;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<JsonList, A::Error> {
                JsonListSeed(self.0).visit_seq_of(seq)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<JsonList, A::Error> {
                let _ = <StrictValue as serde::Deserialize>::deserialize(
                    serde::de::value::MapAccessDeserializer::new(map),
                )?;
                Ok(JsonList::NotAList)
            }
            fn visit_unit<E>(self) -> Result<JsonList, E> {
                Ok(JsonList::Null)
            }
            fn visit_none<E>(self) -> Result<JsonList, E> {
                Ok(JsonList::Null)
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<JsonList, D::Error> {
                serde::de::DeserializeSeed::deserialize(JsonListSeed(self.0), d)
            }
            fn visit_bool<E>(self, _: bool) -> Result<JsonList, E> {
                Ok(JsonList::NotAList)
            }
            fn visit_i64<E>(self, _: i64) -> Result<JsonList, E> {
                Ok(JsonList::NotAList)
            }
            fn visit_u64<E>(self, _: u64) -> Result<JsonList, E> {
                Ok(JsonList::NotAList)
            }
            fn visit_f64<E>(self, _: f64) -> Result<JsonList, E> {
                Ok(JsonList::NotAList)
            }
            fn visit_str<E>(self, _: &str) -> Result<JsonList, E> {
                Ok(JsonList::NotAList)
            }
        }
        deserializer.deserialize_any(Visitor(self.0))
    }
}

/// A whole JSON answer file, read in one pass: a bare list of answers, an object with named parts, or something
/// else.
enum JsonAnswerFile {
    List(Result<RawTable, String>),
    Object { answers: Option<JsonList>, questions: Option<JsonList>, round: Option<Value> },
    Other,
}

impl<'de> serde::Deserialize<'de> for JsonAnswerFile {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = JsonAnswerFile;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<JsonAnswerFile, A::Error> {
                match JsonListSeed("answers").visit_seq_of(seq)? {
                    JsonList::Table(table) => Ok(JsonAnswerFile::List(table)),
                    _ => Ok(JsonAnswerFile::Other),
                }
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<JsonAnswerFile, A::Error> {
                let (mut answers, mut questions, mut round) = (None, None, None);
                let mut keys = std::collections::HashSet::new();
                while let Some(key) = map.next_key::<String>()? {
                    if !keys.insert(key.clone()) {
                        return Err(serde::de::Error::custom(format!("the key {key:?} appears twice in one object")));
                    }
                    match key.as_str() {
                        "answers" => answers = Some(map.next_value_seed(JsonListSeed("answers"))?),
                        "questions" => questions = Some(map.next_value_seed(JsonListSeed("questions"))?),
                        "round" => round = Some(map.next_value::<StrictValue>()?.0),
                        _ => {
                            map.next_value::<StrictValue>()?;
                        }
                    }
                }
                Ok(JsonAnswerFile::Object { answers, questions, round })
            }
            fn visit_bool<E>(self, _: bool) -> Result<JsonAnswerFile, E> {
                Ok(JsonAnswerFile::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<JsonAnswerFile, E> {
                Ok(JsonAnswerFile::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<JsonAnswerFile, E> {
                Ok(JsonAnswerFile::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<JsonAnswerFile, E> {
                Ok(JsonAnswerFile::Other)
            }
            fn visit_str<E>(self, _: &str) -> Result<JsonAnswerFile, E> {
                Ok(JsonAnswerFile::Other)
            }
            fn visit_unit<E>(self) -> Result<JsonAnswerFile, E> {
                Ok(JsonAnswerFile::Other)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl JsonListSeed {
    fn visit_seq_of<'de, A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<JsonList, A::Error> {
        let mut table = JsonTable::new(self.0);
        while let Some(StrictValue(item)) = seq.next_element()? {
            table.push(&item);
        }
        Ok(JsonList::Table(table.finish()))
    }
}

/// A JSON value read like `serde_json::Value`, except that an object naming a key twice is an error (serde_json
/// keeps the last silently).
struct StrictValue(Value);

impl<'de> serde::Deserialize<'de> for StrictValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = StrictValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::from(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::from(v)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::from(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::String(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::String(v)))
            }
            fn visit_unit<E>(self) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::Null))
            }
            fn visit_none<E>(self) -> Result<StrictValue, E> {
                Ok(StrictValue(Value::Null))
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<StrictValue, D::Error> {
                serde::Deserialize::deserialize(d)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<StrictValue, A::Error> {
                let mut items = Vec::new();
                while let Some(StrictValue(item)) = seq.next_element()? {
                    items.push(item);
                }
                Ok(StrictValue(Value::Array(items)))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<StrictValue, A::Error> {
                let mut out = serde_json::Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.contains_key(&key) {
                        return Err(serde::de::Error::custom(format!("the key {key:?} appears twice in one object")));
                    }
                    let StrictValue(value) = map.next_value()?;
                    out.insert(key, value);
                }
                Ok(StrictValue(Value::Object(out)))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Reads JSON: `{"round": {...}, "questions": [...], "answers": [...]}`, or a bare array of answers. The answers are
/// built into rows while the file is parsed, one item at a time (never the whole file as a JSON tree); a file that is
/// not valid JSON is told as such before any problem of its shape.
pub fn read_json(file: &str, bytes: &[u8]) -> Result<RawFile, ReadError> {
    let fail = |reason: String| ReadError { file: file.to_owned(), reason };
    if atlas_core::input::is_blank(&String::from_utf8_lossy(bytes)) {
        return Err(fail("no rows".to_owned()));
    }
    let parsed: JsonAnswerFile = serde_json::from_slice(bytes).map_err(|e| {
        let text = e.to_string();
        let text = text.rsplit_once(" at line ").map_or(text.as_str(), |(m, _)| m);
        if e.is_data() {
            fail(format!("line {}, column {}: {text}", e.line(), e.column()))
        } else {
            fail(format!("line {}, column {}: not valid JSON ({text})", e.line(), e.column()))
        }
    })?;
    let (answers, questions, round) = match parsed {
        JsonAnswerFile::List(table) => (table.map_err(fail)?, None, RawRound::default()),
        JsonAnswerFile::Object { answers, questions, round } => {
            let answers = match answers {
                Some(JsonList::Table(table)) => table,
                Some(_) => return Err(fail("\"answers\" must be a list of answer objects".to_owned())),
                None => return Err(fail("has no \"answers\" list: not an answer file".to_owned())),
            };
            let questions = match questions {
                Some(JsonList::Table(table)) => Some(table.map_err(fail)?),
                Some(JsonList::Null) | None => None,
                Some(JsonList::NotAList) => {
                    return Err(fail("\"questions\" must be a list of question objects".to_owned()));
                }
            };
            let mut raw_round = RawRound::default();
            if let Some(Value::Object(r)) = &round {
                raw_round.title = r.get("title").and_then(Value::as_str).map(str::to_owned);
                raw_round.held_on = r.get("held_on").map(cell_from_json).filter(|c| !c.is_empty());
                raw_round.survey = r.get("survey").and_then(Value::as_str).map(str::to_owned);
            }
            (answers.map_err(fail)?, questions, raw_round)
        }
        JsonAnswerFile::Other => {
            return Err(fail("expected an object with an \"answers\" list, or a list of answers".to_owned()));
        }
    };
    Ok(RawFile { file: file.to_owned(), format: FileFormat::Json, answers, questions, round, encoding: None })
}

/// Whether a dropped `.json` file looks like an answer file rather than an annotation bundle, reading at most the
/// JSON answer limit (a device or a huge file is "not answers", and then refused by the bundle reader).
pub fn json_file_is_answers(path: &Path) -> bool {
    atlas_core::input::read_bounded(path, MAX_JSON_BYTES).is_ok_and(|bytes| json_is_answers(&bytes))
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

    /// The former JSON reader (the whole file as a JSON tree, then the tables): the streaming reader must give
    /// the same rows and the same messages.
    fn reference_read_json(file: &str, bytes: &[u8]) -> Result<RawFile, ReadError> {
        fn table(file: &str, name: &str, items: &[Value]) -> Result<RawTable, ReadError> {
            let mut columns: Vec<String> = Vec::new();
            let mut rows = Vec::new();
            for (index, item) in items.iter().enumerate() {
                let Value::Object(map) = item else {
                    return Err(ReadError {
                        file: file.to_owned(),
                        reason: format!("{name} item {}: expected an object with named fields", index + 1),
                    });
                };
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
                rows.push(RawRow { row: index + 1, cells, problems: Vec::new() });
            }
            Ok(RawTable { sheet: Some(name.to_owned()), header_row: 0, columns, rows, decimal_comma: false })
        }
        let fail = |reason: String| ReadError { file: file.to_owned(), reason };
        if atlas_core::input::is_blank(&String::from_utf8_lossy(bytes)) {
            return Err(fail("no rows".to_owned()));
        }
        let StrictValue(value) = serde_json::from_slice(bytes).map_err(|e| {
            let text = e.to_string();
            let text = text.rsplit_once(" at line ").map_or(text.as_str(), |(m, _)| m);
            if e.is_data() {
                fail(format!("line {}, column {}: {text}", e.line(), e.column()))
            } else {
                fail(format!("line {}, column {}: not valid JSON ({text})", e.line(), e.column()))
            }
        })?;
        let (answers, questions, round) = match &value {
            Value::Array(items) => (table(file, "answers", items)?, None, RawRound::default()),
            Value::Object(map) => {
                let items = match map.get("answers") {
                    Some(Value::Array(items)) => items,
                    Some(_) => return Err(fail("\"answers\" must be a list of answer objects".to_owned())),
                    None => return Err(fail("has no \"answers\" list: not an answer file".to_owned())),
                };
                let questions = match map.get("questions") {
                    Some(Value::Array(items)) => Some(table(file, "questions", items)?),
                    Some(Value::Null) | None => None,
                    Some(_) => return Err(fail("\"questions\" must be a list of question objects".to_owned())),
                };
                let mut round = RawRound::default();
                if let Some(Value::Object(r)) = map.get("round") {
                    round.title = r.get("title").and_then(Value::as_str).map(str::to_owned);
                    round.held_on = r.get("held_on").map(cell_from_json).filter(|c| !c.is_empty());
                    round.survey = r.get("survey").and_then(Value::as_str).map(str::to_owned);
                }
                (table(file, "answers", items)?, questions, round)
            }
            _ => return Err(fail("expected an object with an \"answers\" list, or a list of answers".to_owned())),
        };
        Ok(RawFile { file: file.to_owned(), format: FileFormat::Json, answers, questions, round, encoding: None })
    }

    const JSON_PIECES: &[&str] = &[
        "{\"answers\":[",
        "{\"respondent_id\":\"R1\",\"question_code\":\"Q\",\"value\":3}",
        "{\"City\":\"Graz\",\"city\":\"Linz\",\"value\":\"\",\"Extra\":[1,{\"b\":2}]}",
        "{\"a\":1,\"a\":2}",
        "{\"date\":\"2017-03-31\",\"value\":true,\"note\":null}",
        ",",
        "]",
        "}",
        "[",
        "{",
        "\"questions\":",
        "\"answers\":",
        "\"round\":{\"title\":\"T\",\"held_on\":\"2017-01-01\",\"survey\":\"S\"}",
        "\"other\":{\"x\":[1,2]}",
        "null",
        "\"text\"",
        "12.5",
        "[{\"code\":\"Q9\",\"kind\":\"number\"},3]",
        " ",
    ];

    proptest::proptest! {
        /// Any sequence of JSON pieces reads to the same rows, or the same message, as the former whole-tree reader.
        #[test]
        fn streamed_json_reads_as_the_whole_tree_did(pieces in proptest::collection::vec(0..JSON_PIECES.len(), 0..14)) {
            let text: String = pieces.iter().map(|i| JSON_PIECES[*i]).collect();
            proptest::prop_assert_eq!(read_json("a.json", text.as_bytes()), reference_read_json("a.json", text.as_bytes()));
        }
    }

    #[test]
    fn streamed_json_matches_the_whole_tree_on_every_shape() {
        let cases = [
            r#"[{"respondent_id":"R1","question_code":"Q","value":3},{"respondent_id":"R1","Value":4,"city":"Graz"}]"#,
            r#"{"round":{"title":"T","held_on":43000},"questions":[{"code":"Q9","kind":"number","text":"x"}],"answers":[{"respondent_id":"R1","question_code":"Q9","value":1}]}"#,
            r#"{"answers":[{"a":1},2]}"#,
            r#"{"answers":[{"a":1},2],"questions":[3]}"#,
            r#"{"answers":{"a":1},"questions":7}"#,
            r#"{"questions":7}"#,
            r#"{"answers":[],"answers":[]}"#,
            r#"{"answers":[{"a":1,"a":2}]}"#,
            r#"{"answers":null}"#,
            r#"{"answers":[],"questions":null}"#,
            r#""answers""#,
            "null",
            "[1,",
            "[] x",
            r#"{"answers":[{"a":1}]"#,
        ];
        for case in cases {
            assert_eq!(read_json("a.json", case.as_bytes()), reference_read_json("a.json", case.as_bytes()), "{case}");
        }
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
