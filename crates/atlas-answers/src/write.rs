//! Writing answers in the import format (CSV, XLSX, JSON), so that an export imports back to the same answers,
//! and the empty template listing every known question.

use std::path::Path;

use serde_json::{Value, json};

use super::format::{COLUMNS, QUESTION_COLUMNS, QuestionDef, QuestionOrigin};
use super::read::{FileFormat, format_number};
use atlas_core::model::{AnswerSet, Round};

/// The rows of one round, in the answer format.
fn round_rows(set: &AnswerSet, round: usize) -> Vec<[String; 7]> {
    let mut rows = Vec::new();
    for (r, respondent) in set.respondents.iter().enumerate() {
        if respondent.round != round {
            continue;
        }
        let Some(range) = set.by_respondent.get(r) else { continue };
        for a in &set.answers[range.clone()] {
            let Some(q) = set.questions.get(a.question as usize) else { continue };
            rows.push([
                respondent.id.clone(),
                respondent.city.clone().unwrap_or_default(),
                respondent.country.clone().unwrap_or_default(),
                q.code.clone(),
                AnswerSet::value_text(a),
                a.unit_notes.clone().unwrap_or_default(),
                a.answered_on.clone().unwrap_or_default(),
            ]);
        }
    }
    rows
}

/// Questions a round's file must declare: the ones the app does not know by itself, that the round answers.
fn declared_in_round(set: &AnswerSet, round: usize) -> Vec<&QuestionDef> {
    let mut used = vec![false; set.questions.len()];
    for (r, respondent) in set.respondents.iter().enumerate() {
        if respondent.round == round {
            for a in &set.answers[set.by_respondent[r].clone()] {
                used[a.question as usize] = true;
            }
        }
    }
    set.questions.iter().zip(used).filter(|(q, u)| *u && q.origin == QuestionOrigin::Declared).map(|(q, _)| q).collect()
}

fn question_row(q: &QuestionDef) -> [String; 6] {
    [
        q.code.clone(),
        q.kind.as_str().to_owned(),
        q.unit.clone().unwrap_or_default(),
        q.min.map(format_number).unwrap_or_default(),
        q.max.map(format_number).unwrap_or_default(),
        q.text.clone(),
    ]
}

fn fail(path: &Path, e: impl std::fmt::Display) -> String {
    format!("{}: cannot write ({e})", path.display())
}

/// Writes one round of answers to `path` in `format`.
pub fn write_round(set: &AnswerSet, round: usize, path: &Path, format: FileFormat) -> Result<usize, String> {
    let meta = set.rounds.get(round).ok_or_else(|| format!("{}: no such round", path.display()))?;
    let rows = round_rows(set, round);
    let questions: Vec<[String; 6]> = declared_in_round(set, round).into_iter().map(question_row).collect();
    write_file(path, format, Some(meta), &questions, &rows)?;
    Ok(rows.len())
}

/// Writes the empty template: every known question in the question sheet/section, and the answer columns.
pub fn write_template(catalogue: &[QuestionDef], path: &Path, format: FileFormat) -> Result<(), String> {
    let questions: Vec<[String; 6]> = catalogue.iter().map(question_row).collect();
    write_file(path, format, None, &questions, &[])
}

fn write_file(
    path: &Path,
    format: FileFormat,
    round: Option<&Round>,
    questions: &[[String; 6]],
    rows: &[[String; 7]],
) -> Result<(), String> {
    // The whole file is built in memory, then written through a temporary file: a failed export leaves no half file.
    let bytes = file_bytes(path, format, round, questions, rows)?;
    atlas_core::file::write_atomically(path, &bytes).map_err(|e| e.to_string())
}

fn file_bytes(
    path: &Path,
    format: FileFormat,
    round: Option<&Round>,
    questions: &[[String; 6]],
    rows: &[[String; 7]],
) -> Result<Vec<u8>, String> {
    match format {
        FileFormat::Csv => {
            let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
            // Cells a spreadsheet would run as formulas are neutralised; the import reads them back unchanged.
            let mut line = |fields: &[&str]| {
                w.write_record(fields.iter().map(|f| atlas_core::input::csv_cell(f).into_owned()))
                    .map_err(|e| fail(path, e))
            };
            if !questions.is_empty() {
                line(&["# questions"])?;
                line(&QUESTION_COLUMNS)?;
                for q in questions {
                    line(&q.each_ref().map(String::as_str))?;
                }
                line(&["# answers"])?;
            }
            line(&COLUMNS)?;
            for r in rows {
                line(&r.each_ref().map(String::as_str))?;
            }
            w.into_inner().map_err(|e| fail(path, e))
        }
        FileFormat::Json => {
            let to_objects = |names: &[&str], rows: Vec<Vec<String>>| -> Vec<Value> {
                rows.into_iter()
                    .map(|r| {
                        let map: serde_json::Map<String, Value> = names
                            .iter()
                            .zip(r)
                            .filter(|(_, v)| !v.is_empty())
                            .map(|(k, v)| {
                                let value = match v.parse::<f64>() {
                                    Ok(n) if *k == "value" || *k == "min" || *k == "max" => json!(n),
                                    _ => Value::String(v),
                                };
                                ((*k).to_owned(), value)
                            })
                            .collect();
                        Value::Object(map)
                    })
                    .collect()
            };
            let doc = json!({
                "format": "integration-atlas-answers",
                "round": round.map(|r| json!({"title": r.title, "held_on": r.held_on, "survey": r.survey})),
                "questions": to_objects(&QUESTION_COLUMNS, questions.iter().map(|q| q.to_vec()).collect()),
                "answers": to_objects(&COLUMNS, rows.iter().map(|r| r.to_vec()).collect()),
            });
            let text = serde_json::to_string_pretty(&doc).map_err(|e| fail(path, e))?;
            Ok(text.into_bytes())
        }
        FileFormat::Xlsx => {
            use rust_xlsxwriter::{Format, Workbook};
            let mut book = Workbook::new();
            let bold = Format::new().set_bold();
            let sheet = book.add_worksheet().set_name("answers").map_err(|e| fail(path, e))?;
            for (c, name) in COLUMNS.iter().enumerate() {
                sheet.write_string_with_format(0, c as u16, *name, &bold).map_err(|e| fail(path, e))?;
            }
            for (i, r) in rows.iter().enumerate() {
                let row = i as u32 + 1;
                for (c, value) in r.iter().enumerate() {
                    if value.is_empty() {
                        continue;
                    }
                    // Values that are numbers go in as numbers, so Excel can chart them.
                    match value.parse::<f64>() {
                        Ok(n) if COLUMNS[c] == "value" => sheet.write_number(row, c as u16, n),
                        _ => sheet.write_string(row, c as u16, value),
                    }
                    .map_err(|e| fail(path, e))?;
                }
            }
            let qs = book.add_worksheet().set_name("questions").map_err(|e| fail(path, e))?;
            for (c, name) in QUESTION_COLUMNS.iter().enumerate() {
                qs.write_string_with_format(0, c as u16, *name, &bold).map_err(|e| fail(path, e))?;
            }
            for (i, q) in questions.iter().enumerate() {
                for (c, value) in q.iter().enumerate() {
                    if !value.is_empty() {
                        qs.write_string(i as u32 + 1, c as u16, value).map_err(|e| fail(path, e))?;
                    }
                }
            }
            if let Some(r) = round {
                let rs = book.add_worksheet().set_name("round").map_err(|e| fail(path, e))?;
                let fields =
                    [("title", Some(r.title.clone())), ("held_on", r.held_on.clone()), ("survey", r.survey.clone())];
                for (i, (k, v)) in fields.into_iter().enumerate() {
                    rs.write_string(i as u32, 0, k).map_err(|e| fail(path, e))?;
                    if let Some(v) = v {
                        rs.write_string(i as u32, 1, v).map_err(|e| fail(path, e))?;
                    }
                }
            }
            book.save_to_buffer().map_err(|e| fail(path, e))
        }
    }
}
