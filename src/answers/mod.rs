//! Survey answers in and out: the answer format ([`format`]), file readers ([`read`]), checks before anything is
//! written ([`validate`]), and writers for exports and the template ([`write`]). Nothing here touches SQLite or egui;
//! the store writes an [`ImportPlan`] and the views show it.

pub mod format;
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
    let plan = if FileFormat::from_path(path) == Some(FileFormat::Csv) {
        let (file, text, encoding) = read::read_csv_text(path)?;
        let mut plan = if read::has_markers(&text) {
            let mut raw = read::read_csv(&file, &text)?;
            raw.encoding = Some(encoding);
            validate::validate(&raw, catalogue, known_cities)
        } else {
            plan_csv_while_reading(&file, &text, catalogue, known_cities)?
        };
        plan.encoding = Some(encoding);
        plan
    } else {
        let raw = read::read_file(path)?;
        validate::validate(&raw, catalogue, known_cities)
    };
    if plan.rows_total == 0 && plan.hard_issues().count() == 0 {
        return Err(ReadError { file: plan.file, reason: "no rows".to_owned() });
    }
    Ok(plan)
}

/// Rows per batch handed from the reading thread to the checking one.
const BATCH_ROWS: usize = 16_384;

/// Checks a plain CSV answer table while another thread reads it. Same result as `read_csv` then `validate`.
pub fn plan_csv_while_reading(
    file: &str,
    text: &str,
    catalogue: &[QuestionDef],
    known_cities: &HashSet<String>,
) -> Result<ImportPlan, ReadError> {
    let mut table = read::CsvTable::new(file, "answers", 1, text)?;
    let header = RawFile {
        file: file.to_owned(),
        format: FileFormat::Csv,
        answers: table.header.clone(),
        questions: None,
        round: read::RawRound::default(),
        encoding: None,
    };
    let mut checker = match validate::Checker::new(&header, catalogue, known_cities) {
        Ok(checker) => checker,
        Err(mut plan) => {
            // Nothing to check row by row (a column is missing), but the plan counts the rows, and a row that is
            // not readable CSV is still an error.
            let mut rows = Vec::new();
            while table.next_rows(usize::MAX, &mut rows)? {}
            plan.rows_total = rows.len();
            return Ok(plan);
        }
    };
    // About one row per 50 bytes: room for the answers up front.
    checker.reserve(text.len() / 50);
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<read::RawRow>>(4);
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
