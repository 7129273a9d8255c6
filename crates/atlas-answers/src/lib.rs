//! Survey answers in and out: the answer format ([`format`]), file readers ([`read`]), checks before anything is
//! written ([`validate`]), and writers for exports and the template ([`write`]). Nothing here touches SQLite or egui;
//! the store writes an [`ImportPlan`] and the views show it.

pub use atlas_core::answer_format as format;
pub mod raw;
pub mod read;
pub mod validate;
pub mod write;
pub mod xlsx;

use std::collections::HashSet;
use std::path::Path;

pub use format::{QuestionDef, QuestionKind, QuestionOrigin, catalogue, gap_code, score_code};
pub use read::{FileFormat, RawFile, ReadError};
pub use validate::{Answers, ImportIssue, ImportPlan, UnknownCity, ValidAnswer};

/// Reads and checks a file in one step. A plain CSV file (no sections) is checked while it is read: one thread
/// parses batches of rows, this one checks them. A file without a single answer row is refused as "no rows".
pub fn plan_import(
    path: &Path,
    catalogue: &[QuestionDef],
    known_cities: &HashSet<String>,
) -> Result<ImportPlan, ReadError> {
    let streamed = if FileFormat::from_path(path) == Some(FileFormat::Csv) {
        plan_csv_file_in_pieces(path, read::PIECE_BYTES, catalogue, known_cities)
    } else {
        None
    };
    let plan = match streamed {
        Some(plan) => plan,
        None => plan_whole_file(path, catalogue, known_cities)?,
    };
    if plan.rows_total == 0 && plan.hard_issues().count() == 0 {
        return Err(ReadError { file: plan.file, reason: "no rows".to_owned() });
    }
    Ok(plan)
}

/// Reads the whole file, then checks it (a plain CSV file is checked while its rows are parsed).
fn plan_whole_file(
    path: &Path,
    catalogue: &[QuestionDef],
    known_cities: &HashSet<String>,
) -> Result<ImportPlan, ReadError> {
    let plan = if FileFormat::from_path(path) == Some(FileFormat::Csv) {
        let (file, text, encoding) = read::read_csv_text(path)?;
        let mut plan = if read::has_markers(&text) {
            plan_sectioned_csv(&file, &text, catalogue, known_cities)?
        } else {
            plan_csv_while_reading(&file, &text, catalogue, known_cities)?
        };
        plan.encoding = Some(encoding);
        plan
    } else {
        let raw = read::read_file(path)?;
        validate::validate(&raw, catalogue, known_cities)
    };
    Ok(plan)
}

/// Rows per batch handed from the reading thread to the checking one.
const BATCH_ROWS: usize = 4_096;
/// The most of a file with sections read whole before its answers (its questions, notes and markers).
const HEAD_BYTES: usize = 16 << 20;

/// Checks a plain UTF-8 CSV answer file while another thread reads it piece by piece (see [`read::CsvPieces`]), so
/// that neither the whole text nor all its rows are ever held: the same plan as [`plan_csv_while_reading`] on the
/// whole text. `None` when the file needs the whole-file reader (another encoding, section markers, a problem
/// reading it as CSV: that reader then says what and where).
fn plan_csv_file_in_pieces(
    path: &Path,
    piece_bytes: usize,
    catalogue: &[QuestionDef],
    known_cities: &HashSet<String>,
) -> Option<ImportPlan> {
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    let mut pieces = read::CsvPieces::open(path, piece_bytes)?;
    let estimate = pieces.len_hint() / 50;
    // A file with sections: the questions are read whole, then the answers in pieces.
    let questions = match pieces.take_head(HEAD_BYTES).ok()? {
        None => None,
        Some(head) => {
            let sections = read::csv_sections(&head);
            let kept: Vec<&read::CsvSection<'_>> =
                sections.iter().filter(|(name, _, body)| !(body.trim().is_empty() && name == "questions")).collect();
            match kept.as_slice() {
                [(answers, ..)] if answers == "answers" => None,
                [(questions, line, body), (answers, ..)] if questions == "questions" && answers == "answers" => {
                    Some(read::read_csv_table(&file, questions, *line, body).ok()?)
                }
                _ => return None,
            }
        }
    };
    let read::CsvPiece::Text(first, first_line) = pieces.next_piece() else { return None };
    let (header, delimiter) = {
        let table = read::CsvTable::new(&file, "answers", first_line, &first).ok()?;
        (table.header.clone(), table.delimiter())
    };
    let raw = RawFile {
        file: file.clone(),
        format: FileFormat::Csv,
        answers: header.clone(),
        questions,
        round: read::RawRound::default(),
        encoding: None,
    };
    let mut checker = validate::Checker::new(&raw, catalogue, known_cities).ok()?;
    checker.reserve(usize::try_from(estimate).unwrap_or(0));
    let read_all = std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<read::RawRow>>(2);
        let file = &file;
        let reader = scope.spawn(move || -> Option<atlas_core::input::TextEncoding> {
            let mut previous = None;
            let mut piece = Some((first, first_line));
            while let Some((text, line)) = piece.take() {
                let mut table = match previous.take() {
                    None => match read::CsvTable::new(file, "answers", line, &text) {
                        Ok(table) => table,
                        Err(_) => return None,
                    },
                    Some(previous) => read::CsvTable::resume(file, &header, delimiter, previous, line, &text),
                };
                loop {
                    let mut batch = Vec::with_capacity(BATCH_ROWS);
                    let Ok(more) = table.next_rows(BATCH_ROWS, &mut batch) else { return None };
                    if !batch.is_empty() && send.send(batch).is_err() {
                        return None;
                    }
                    if !more {
                        break;
                    }
                }
                previous = Some(table.into_previous());
                match pieces.next_piece() {
                    read::CsvPiece::Text(text, line) => piece = Some((text, line)),
                    read::CsvPiece::End => return Some(pieces.encoding()),
                    read::CsvPiece::Whole => return None,
                }
            }
            Some(pieces.encoding())
        });
        for batch in receive {
            for row in &batch {
                checker.check(row);
            }
        }
        reader.join().ok().flatten()
    });
    let encoding = read_all?;
    let mut plan = checker.finish();
    plan.encoding = Some(encoding);
    Some(plan)
}

/// Checks a plain CSV answer table while another thread reads it. Same result as `read_csv` then `validate`.
pub fn plan_csv_while_reading(
    file: &str,
    text: &str,
    catalogue: &[QuestionDef],
    known_cities: &HashSet<String>,
) -> Result<ImportPlan, ReadError> {
    let table = read::CsvTable::new(file, "answers", 1, text)?;
    let header = RawFile {
        file: file.to_owned(),
        format: FileFormat::Csv,
        answers: table.header.clone(),
        questions: None,
        round: read::RawRound::default(),
        encoding: None,
    };
    check_while_reading(table, &header, text.len() / 50, catalogue, known_cities)
}

/// Checks a CSV file with sections: the questions are read whole, then the answers are checked while they are read
/// (their rows are never all held). The same plan as [`read::read_csv`] then [`validate::validate`], which a file
/// with its sections in another order (answers first, or one named twice) still goes through.
fn plan_sectioned_csv(
    file: &str,
    text: &str,
    catalogue: &[QuestionDef],
    known_cities: &HashSet<String>,
) -> Result<ImportPlan, ReadError> {
    let sections = read::csv_sections(text);
    let kept: Vec<&read::CsvSection<'_>> =
        sections.iter().filter(|(name, _, body)| !(body.trim().is_empty() && name == "questions")).collect();
    let (questions, answers) = match kept.as_slice() {
        [answers] if answers.0 == "answers" => (None, *answers),
        [questions, answers] if questions.0 == "questions" && answers.0 == "answers" => (Some(*questions), *answers),
        _ => {
            let raw = read::read_csv(file, text)?;
            return Ok(validate::validate(&raw, catalogue, known_cities));
        }
    };
    let questions = match questions {
        Some((name, first_line, body)) => Some(read::read_csv_table(file, name, *first_line, body)?),
        None => None,
    };
    let table = read::CsvTable::new(file, "answers", answers.1, &answers.2)?;
    let header = RawFile {
        file: file.to_owned(),
        format: FileFormat::Csv,
        answers: table.header.clone(),
        questions,
        round: read::RawRound::default(),
        encoding: None,
    };
    check_while_reading(table, &header, answers.2.len() / 50, catalogue, known_cities)
}

/// Checks a table's rows while another thread reads them; `header` is the file without its answer rows, `estimate`
/// a guess of the number of rows.
fn check_while_reading(
    mut table: read::CsvTable<'_>,
    header: &RawFile,
    estimate: usize,
    catalogue: &[QuestionDef],
    known_cities: &HashSet<String>,
) -> Result<ImportPlan, ReadError> {
    let file = header.file.as_str();
    let mut checker = match validate::Checker::new(header, catalogue, known_cities) {
        Ok(checker) => checker,
        Err(mut plan) => {
            // Nothing to check row by row (a column is missing), but the plan counts the rows, and a row that is
            // not readable CSV is still an error.
            let mut rows = Vec::new();
            let mut count = 0;
            loop {
                let more = table.next_rows(BATCH_ROWS, &mut rows)?;
                count += rows.len();
                rows.clear();
                if !more {
                    break;
                }
            }
            plan.rows_total = count;
            return Ok(plan);
        }
    };
    // Room for the answers up front (pages not written to take no memory).
    checker.reserve(estimate);
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<read::RawRow>>(2);
        let reader = scope.spawn(move || -> Result<(), ReadError> {
            loop {
                let mut batch = Vec::with_capacity(BATCH_ROWS);
                let more = table.next_rows(BATCH_ROWS, &mut batch)?;
                if !batch.is_empty() && send.send(batch).is_err() {
                    return Ok(());
                }
                if !more {
                    return Ok(());
                }
            }
        });
        for batch in receive {
            for row in &batch {
                checker.check(row);
            }
        }
        reader.join().unwrap_or_else(|_| {
            Err(ReadError { file: file.to_owned(), reason: "could not be read (internal error)".to_owned() })
        })
    })?;
    Ok(checker.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PIECES: &[&[u8]] = &[
        b"respondent_id,city,question_code,value,date\n",
        b"respondent_id;city;question_code;value\r\n",
        b"R1,vienna,N,5,2024-01-01\n",
        b"R1,vienna,N,6,2024-01-01\n",
        b"R2,Berlin,X,\"a, \"\"quoted\"\"\nline\",\n",
        b"R3,Nowhere,S,1,5\r\n",
        b"R4;vienna;C;1,5\n",
        b"\n",
        b"  \r\n",
        b",,,,\n",
        b"R5,vienna,T,yes,45000,extra\n",
        b"R6,vienna,\"X\",\"never closed\n",
        b"R7,vienna,X,a\"b,\n",
        b"# answers\n",
        b"R8,vienna,X,#1,\n",
        b"\xEF\xBB\xBF",
        b"R9,vi\xE9nna,N,1\n",
        b"R10,vienna,N,\x00\n",
        b"R11,\xC3\xA9,X,\xE2\x80\xAE,\n",
        b"R12,vienna,N,1",
        b"# questions\ncode,kind,text\nQ9,number,Extra\n",
        b"# a note\n",
        b"R13,vienna,Q9,4\n",
    ];

    fn catalogue() -> (Vec<QuestionDef>, HashSet<String>) {
        let q = |code: &str, kind| QuestionDef {
            code: code.to_owned(),
            text: String::new(),
            kind,
            unit: None,
            min: None,
            max: None,
            origin: QuestionOrigin::Instrument,
        };
        let questions = vec![
            q("N", QuestionKind::Number),
            q("S", QuestionKind::Share),
            q("C", QuestionKind::Score),
            q("T", QuestionKind::Tick),
            q("X", QuestionKind::Text),
        ];
        (questions, ["vienna", "berlin"].into_iter().map(str::to_owned).collect())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, .. Default::default() })]

        /// A CSV file read piece by piece (pieces as small as one byte, so that every kind of line is cut at) gives
        /// the plan the whole text gives, or leaves the file to the whole-file reader.
        #[test]
        fn a_file_read_in_pieces_is_planned_as_the_whole_text(
            parts in proptest::collection::vec(0..PIECES.len(), 0..24),
            piece_bytes in 1usize..48,
        ) {
            let (questions, cities) = catalogue();
            let dir = std::env::temp_dir().join(format!("atlas-pieces-{}", std::process::id()));
            std::fs::create_dir_all(&dir).expect("dir");
            let path = dir.join(format!("p{piece_bytes}-{}.csv", parts.len()));
            let bytes: Vec<u8> = parts.iter().flat_map(|i| PIECES[*i].iter().copied()).collect();
            std::fs::write(&path, &bytes).expect("write");
            let whole = plan_whole_file(&path, &questions, &cities);
            if let Some(streamed) = plan_csv_file_in_pieces(&path, piece_bytes, &questions, &cities) {
                proptest::prop_assert_eq!(Ok(streamed), whole);
            }
            let _ = std::fs::remove_file(&path);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, .. Default::default() })]

        /// A CSV text with sections, notes and markers anywhere gives the plan that reading all its rows, then
        /// checking them, gives.
        #[test]
        fn sections_checked_while_read_give_the_plan_of_all_rows(parts in proptest::collection::vec(0..PIECES.len(), 0..24)) {
            let (questions, cities) = catalogue();
            let bytes: Vec<u8> = parts.iter().flat_map(|i| PIECES[*i].iter().copied()).collect();
            let text = String::from_utf8_lossy(&bytes);
            let whole = read::read_csv("a.csv", &text).map(|raw| validate::validate(&raw, &questions, &cities));
            proptest::prop_assert_eq!(plan_sectioned_csv("a.csv", &text, &questions, &cities), whole);
        }
    }

    #[test]
    fn plain_files_are_read_in_pieces_and_others_whole() {
        let (questions, cities) = catalogue();
        let dir = std::env::temp_dir().join(format!("atlas-pieces-fixed-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let plain = b"\xEF\xBB\xBF\nrespondent_id,city,question_code,value\r\nR1,vienna,N,5\r\n\r\nR2,vienna,X,\"two\nlines\"\nR2,vienna,N,x\n";
        let path = dir.join("plain.csv");
        std::fs::write(&path, plain).expect("write");
        for piece_bytes in [1, 2, 7, 4 << 20] {
            let streamed = plan_csv_file_in_pieces(&path, piece_bytes, &questions, &cities).expect("read in pieces");
            assert_eq!(Ok(streamed.clone()), plan_whole_file(&path, &questions, &cities));
            assert_eq!((streamed.rows_total, streamed.answers.len()), (3, 2), "{:?}", streamed.issues);
            assert_eq!(streamed.issues[0].row, 7);
        }
        let sectioned =
            b"# questions\ncode,kind,text\nQ9,number,Extra\n\n# answers\nrespondent_id,city,question_code,value\n\
                          R1,vienna,Q9,5\nR1,vienna,N,x\n";
        let path = dir.join("sections.csv");
        std::fs::write(&path, sectioned).expect("write");
        for piece_bytes in [1, 5, 4 << 20] {
            let streamed = plan_csv_file_in_pieces(&path, piece_bytes, &questions, &cities).expect("read in pieces");
            assert_eq!(Ok(streamed.clone()), plan_whole_file(&path, &questions, &cities));
            assert_eq!((streamed.rows_total, streamed.answers.len(), streamed.declared.len()), (2, 1, 1));
            assert_eq!(streamed.issues[0].row, 8);
        }
        let utf16 = "respondent_id,city,question_code,value\nR1,vienna,N,5\nR2,Köln,X,\"a\nb\"\n";
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(utf16.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = utf16.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (name, bytes, which) in [
            ("le.csv", le, atlas_core::input::TextEncoding::Utf16Le),
            ("be.csv", be, atlas_core::input::TextEncoding::Utf16Be),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, &bytes).expect("write");
            for piece_bytes in [1, 3, 4 << 20] {
                let streamed = plan_csv_file_in_pieces(&path, piece_bytes, &questions, &cities).expect("in pieces");
                assert_eq!(Ok(streamed.clone()), plan_whole_file(&path, &questions, &cities), "{name}");
                assert_eq!((streamed.encoding, streamed.answers.len()), (Some(which), 2), "{name}");
            }
        }
        let latin = b"respondent_id,city,question_code,value\nR1,vienna,N,5\nR2,K\xF6ln,N,5\n";
        let path = dir.join("latin1.csv");
        std::fs::write(&path, latin).expect("write");
        for piece_bytes in [1, 30, 4 << 20] {
            let streamed = plan_csv_file_in_pieces(&path, piece_bytes, &questions, &cities).expect("read in pieces");
            assert_eq!(Ok(streamed.clone()), plan_whole_file(&path, &questions, &cities));
            assert_eq!(streamed.encoding, Some(atlas_core::input::TextEncoding::Windows1252));
            assert_eq!(streamed.unknown_cities[0].name, "Köln");
        }
        // A UTF-8 letter in the first piece, a Windows-1252 one 5 KB later: the whole file is read as Windows-1252.
        let mut mixed = b"respondent_id,city,question_code,value\nR1,\xC3\xA9,N,5\n".to_vec();
        for i in 0..400 {
            mixed.extend_from_slice(format!("R{i},vienna,N,5\n").as_bytes());
        }
        mixed.extend_from_slice(b"R1,Vi\xE9nna,N,5\n");
        for (name, text) in [
            ("note.csv", &b"# answers\n# a note\nrespondent_id,city,question_code,value\nR1,vienna,N,5\n"[..]),
            ("latin1-after-utf8.csv", &mixed[..]),
            ("bom-then-latin1.csv", b"\xEF\xBB\xBFrespondent_id,city,question_code,value\nR1,Vi\xE9nna,N,5\n"),
            ("open-quote.csv", b"respondent_id,city,question_code,value\nR1,vienna,X,\"open\n"),
            ("blank.csv", b"\n \n"),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, text).expect("write");
            assert!(plan_csv_file_in_pieces(&path, 3, &questions, &cities).is_none(), "{name}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
