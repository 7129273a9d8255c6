//! Hostile answer files (issue 28): a header of 200,000 columns, an over-long cell, a workbook whose answers sheet
//! is not its first. Each is read in one clear pass and told in one clear line.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use atlas_answers::read::MAX_CELL_CHARS;
const MAX_COLUMNS: usize = 16_384;
use atlas_answers::{ImportPlan, QuestionDef, QuestionKind, QuestionOrigin, ReadError, plan_import};

fn catalogue() -> Vec<QuestionDef> {
    vec![QuestionDef {
        code: "Q".to_owned(),
        text: "A number".to_owned(),
        kind: QuestionKind::Number,
        unit: None,
        min: None,
        max: None,
        origin: QuestionOrigin::Instrument,
    }]
}

fn plan(path: &Path) -> Result<ImportPlan, ReadError> {
    plan_import(path, &catalogue(), &HashSet::new())
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("written");
    path
}

/// A CSV file whose header is the required columns, then extra ones up to `width` columns in all, and one answer.
fn wide_csv(width: usize, extra: impl Fn(usize) -> String) -> Vec<u8> {
    let mut header = String::from("respondent_id,question_code,value");
    let mut row = String::from("R1,Q,1");
    for i in 3..width {
        header.push(',');
        header.push_str(&extra(i));
        row.push_str(",x");
    }
    format!("{header}\n{row}\n").into_bytes()
}

#[test]
fn a_csv_of_200000_columns_is_refused_in_one_line_that_counts_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(&dir, "wide.csv", &wide_csv(200_000, |i| format!("extra_{i}")));
    let err = plan(&path).expect_err("refused").to_string();
    assert_eq!(
        err,
        "wide.csv: answers section, line 1: the header has 200000 columns; the limit is 16384 (an answer file has \
         one answer a row, in columns such as respondent_id, question_code, value)"
    );
    assert!(!err.contains("extra_"), "no column is listed: {err}");
    // The reader alone says the same.
    assert_eq!(atlas_answers::read::read_file(&path).expect_err("refused").to_string(), err);
}

#[test]
fn a_header_at_the_column_limit_is_checked_and_its_unused_columns_are_counted_past_five() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(&dir, "limit.csv", &wide_csv(MAX_COLUMNS, |i| format!("extra_{i}")));
    let plan = plan(&path).expect("readable");
    assert_eq!((plan.rows_total, plan.answers.len()), (1, 1), "{:?}", plan.issues);
    assert_eq!(plan.unused_columns.len(), MAX_COLUMNS - 3);
    let summary = plan.summary();
    assert!(
        summary.ends_with(&format!(
            "; columns extra_3, extra_4, extra_5, extra_6, extra_7 and {} more are not used (the format's columns \
             are respondent_id, question_code, value, date, city, country, unit_notes)",
            MAX_COLUMNS - 8
        )),
        "{summary}"
    );
    assert!(!summary.contains("extra_8"), "{summary}");
}

#[test]
fn a_wide_header_naming_one_column_many_times_names_five_and_counts_the_rest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(&dir, "twice.csv", &wide_csv(MAX_COLUMNS, |_| "note".to_owned()));
    let plan = plan(&path).expect("readable");
    let issues: Vec<String> = plan.issues.iter().map(ToString::to_string).collect();
    assert_eq!(issues.len(), 6, "{issues:?}");
    assert_eq!(
        issues[0],
        "twice.csv, sheet answers, row 1, column note: the column 'note' appears twice (columns 4 and 5); keep one"
    );
    assert_eq!(
        issues[4],
        "twice.csv, sheet answers, row 1, column note: the column 'note' appears twice (columns 4 and 9); keep one"
    );
    assert_eq!(
        issues[5],
        format!(
            "twice.csv, sheet answers, row 1: {} more columns repeat a name used before; keep one column of each name",
            MAX_COLUMNS - 4 - 5
        )
    );
}

#[test]
fn a_json_list_naming_too_many_fields_is_refused_in_one_line() {
    let fields: Vec<String> = (0..=MAX_COLUMNS).map(|i| format!("\"f{i}\":1")).collect();
    let json = format!("[{{\"respondent_id\":\"R1\"}},{{{}}}]", fields.join(","));
    let err = atlas_answers::read::read_json("wide.json", json.as_bytes()).expect_err("refused").to_string();
    assert_eq!(
        err,
        "wide.json: answers item 2: the items name more than 16384 different fields, the most a table may have"
    );
}

#[test]
fn an_over_long_cell_is_told_once_as_too_long_with_its_row_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let long = "9".repeat(MAX_CELL_CHARS + 1);
    let text = format!("respondent_id,question_code,value\nR1,Q,{long}\n{long},Q,2\nR3,{long},3\nR4,Q,4\n");
    let too_long = format!("the cell holds {} characters; the limit is {MAX_CELL_CHARS}", MAX_CELL_CHARS + 1);
    let csv = write(&dir, "long.csv", text.as_bytes());
    // The same rows as JSON: the reader keeps the text, the checks tell it.
    let items: Vec<String> = [("R1", "Q", long.as_str()), (long.as_str(), "Q", "2"), ("R3", long.as_str(), "3")]
        .iter()
        .map(|(r, q, v)| format!(r#"{{"respondent_id":"{r}","question_code":"{q}","value":"{v}"}}"#))
        .chain([r#"{"respondent_id":"R4","question_code":"Q","value":4}"#.to_owned()])
        .collect();
    let json = write(&dir, "long.json", format!("[{}]", items.join(",")).as_bytes());
    for (path, rows) in [(csv, [2, 3, 4]), (json, [1, 2, 3])] {
        let plan = plan(&path).expect("readable");
        let issues: Vec<String> = plan.issues.iter().map(ToString::to_string).collect();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        assert_eq!(
            issues,
            [
                format!("{name}, sheet answers, row {}, column value: {too_long}", rows[0]),
                format!("{name}, sheet answers, row {}, column respondent_id: {too_long}", rows[1]),
                format!("{name}, sheet answers, row {}, column question_code: {too_long}", rows[2]),
            ],
            "{name}"
        );
        assert_eq!((plan.rows_total, plan.answers.len(), plan.rows_with_problems), (4, 1, 3), "{name}");
    }
}

/// A workbook of sheets, each a name and its rows of text.
fn workbook(dir: &tempfile::TempDir, name: &str, sheets: &[(&str, &[&[&str]])]) -> PathBuf {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (sheet_name, rows) in sheets {
        let sheet = book.add_worksheet().set_name(*sheet_name).expect("sheet name");
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *text).expect("cell");
            }
        }
    }
    let path = dir.path().join(name);
    book.save(&path).expect("saved");
    path
}

const INSTRUCTIONS: &[&[&str]] = &[
    &["How to fill in this workbook"],
    &["Write one answer a row on the next sheet: respondent_id, question_code, value."],
];
const ANSWERS: &[&[&str]] = &[&["respondent_id", "question_code", "value"], &["R1", "Q", "3"], &["R2", "Q", "4"]];

#[test]
fn the_answers_sheet_is_found_by_its_header_after_an_instructions_sheet() {
    let dir = tempfile::tempdir().expect("temp dir");
    let notes: &[&[&str]] = &[&["Notes"], &["respondent_id"]];
    for (file, sheets, found) in [
        ("renamed.xlsx", vec![("Instructions", INSTRUCTIONS), ("Notes", notes), ("Responses", ANSWERS)], "Responses"),
        ("named.xlsx", vec![("Instructions", INSTRUCTIONS), ("Answers", ANSWERS)], "Answers"),
        ("first.xlsx", vec![("Sheet1", ANSWERS), ("Instructions", INSTRUCTIONS)], "Sheet1"),
    ] {
        let path = workbook(&dir, file, &sheets);
        let raw = atlas_answers::read::read_file(&path).expect("readable");
        assert_eq!(raw.answers.sheet.as_deref(), Some(found), "{file}");
        let plan = plan(&path).expect("readable");
        assert_eq!(plan.answers.len(), 2, "{file}: {:?}", plan.issues);
        assert!(plan.issues.is_empty(), "{file}: {:?}", plan.issues);
    }
}

#[test]
fn a_sheet_missing_an_answer_column_is_still_the_one_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let partial: &[&[&str]] = &[&["respondent_id", "question_code"], &["R1", "Q"]];
    let path = workbook(&dir, "partial.xlsx", &[("Instructions", INSTRUCTIONS), ("Data", partial)]);
    let plan = plan(&path).expect("readable");
    let issue = plan.issues.first().map(ToString::to_string).unwrap_or_default();
    assert_eq!(issue, "partial.xlsx, sheet Data, row 1, column value: the answers have no 'value' column");
}

#[test]
fn a_workbook_without_an_answers_sheet_is_refused_naming_its_sheets() {
    let dir = tempfile::tempdir().expect("temp dir");
    let other: &[&[&str]] = &[&["city", "population"], &["Vienna", "2000000"]];
    let path = workbook(&dir, "none.xlsx", &[("Instructions", INSTRUCTIONS), ("Cities", other)]);
    let err = plan(&path).expect_err("refused").to_string();
    assert_eq!(
        err,
        "none.xlsx: no sheet is named 'answers' or has the answer columns respondent_id, question_code, value in its \
         first row (sheets: 'Instructions', 'Cities')"
    );
    let many: Vec<String> = (1..=8).map(|i| format!("Part {i}")).collect();
    let sheets: Vec<(&str, &[&[&str]])> = many.iter().map(|n| (n.as_str(), INSTRUCTIONS)).collect();
    let path = workbook(&dir, "many.xlsx", &sheets);
    let err = plan(&path).expect_err("refused").to_string();
    assert!(err.ends_with("(sheets: 'Part 1', 'Part 2', 'Part 3', 'Part 4', 'Part 5' and 3 more)"), "{err}");
}

#[test]
fn an_empty_header_cell_is_named_by_its_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(&dir, "trailing.csv", b"respondent_id,question_code,value,\nr1,CL_SCORE_01,2,\n");
    let summary = plan(&path).expect("readable").summary();
    assert!(summary.contains("column (unnamed, column 4) is not used"), "{summary}");
    assert!(!summary.contains("column  is"), "{summary}");
}
