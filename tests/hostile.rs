//! Hostile files and databases (issue 15) and files from continental Europe: each class of file a colleague might
//! mail, forged here (small XLSX files are written with `zip`), must give a one-line error or import correctly —
//! never a crash, never unbounded memory, never a changed database or a touched neighbour file.

mod common;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use integration_atlas::answers::{self, ImportPlan};
use integration_atlas::store::{Store, StoreError};

use common::{AnswersDb as Db, answers_db as db};

impl Db {
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).expect("write file");
        path
    }

    fn plan(&self, file: &Path) -> Result<ImportPlan, String> {
        let known = self.store.known_city_names().expect("cities");
        answers::plan_import(file, &self.catalogue, &known).map_err(|e| e.to_string())
    }

    fn cli(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_integration-atlas"))
            .arg("--db")
            .arg(&self.path)
            .args(args)
            .output()
            .expect("runs")
    }

    fn answer_count(&self) -> i64 {
        self.store.connection().query_row("SELECT count(*) FROM survey_answers", [], |r| r.get(0)).expect("count")
    }
}

fn one_line(message: &str) {
    assert!(!message.trim_end().contains('\n'), "one line: {message}");
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

const HEADER: &str = "respondent_id,city,country,question_code,value,unit_notes,date\n";

// ── XLSX files forged with `zip` ──────────────────────────────────────────────────────────────────────────────────

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="answers" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

/// A workbook of one sheet `answers` with the given sheet XML (inside `<sheetData>`), optional shared strings and
/// dimension.
fn xlsx(sheet_data: &str, shared_strings: Option<&[u8]>, dimension: Option<&str>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let dimension = dimension.map(|d| format!(r#"<dimension ref="{d}"/>"#)).unwrap_or_default();
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>{sheet_data}</sheetData></worksheet>"#
    );
    let mut parts: Vec<(&str, Vec<u8>)> = vec![
        ("_rels/.rels", RELS.as_bytes().to_vec()),
        ("xl/workbook.xml", WORKBOOK.as_bytes().to_vec()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes().to_vec()),
        ("xl/worksheets/sheet1.xml", sheet.into_bytes()),
    ];
    if let Some(strings) = shared_strings {
        parts.push(("xl/sharedStrings.xml", strings.to_vec()));
    }
    for (name, bytes) in parts {
        zip.start_file(name, options).expect("part");
        zip.write_all(&bytes).expect("write part");
    }
    zip.finish().expect("zip").into_inner()
}

/// A row of inline-string cells.
fn row(number: u32, cells: &[&str]) -> String {
    let mut out = format!(r#"<row r="{number}">"#);
    for (i, value) in cells.iter().enumerate() {
        let column = (b'A' + i as u8) as char;
        out.push_str(&format!(r#"<c r="{column}{number}" t="inlineStr"><is><t>{value}</t></is></c>"#));
    }
    out.push_str("</row>");
    out
}

fn answer_rows(rows: &[&[&str]]) -> String {
    let mut out = row(1, &["respondent_id", "city", "country", "question_code", "value"]);
    for (i, cells) in rows.iter().enumerate() {
        out.push_str(&row(i as u32 + 2, cells));
    }
    out
}

#[test]
fn a_forged_workbook_imports_when_sound() {
    let db = db();
    let file = db
        .file("sound.xlsx", &xlsx(&answer_rows(&[&["T01", "Vienna", "AUT", "CL_SCORE_01", "3"]]), None, Some("A1:E2")));
    let plan = db.plan(&file).expect("readable");
    assert_eq!((plan.rows_total, plan.answers.len()), (1, 1), "{:?}", plan.issues);
}

#[test]
fn a_cell_at_the_far_corner_of_the_grid_is_a_one_line_error_not_a_crash() {
    let db = db();
    let data = format!(
        "{}<row r=\"1048576\"><c r=\"XFD1048576\" t=\"inlineStr\"><is><t>x</t></is></c></row>",
        answer_rows(&[&["T01", "Vienna", "AUT", "CL_SCORE_01", "3"]])
    );
    let file = db.file("corner.xlsx", &xlsx(&data, None, Some("A1:XFD1048576")));
    let err = db.plan(&file).expect_err("refused");
    one_line(&err);
    assert!(err.contains("corner.xlsx") && err.contains("row 1048576, column XFD"), "{err}");
    // A dimension past Excel's grid is forged.
    let file = db.file("past.xlsx", &xlsx(&answer_rows(&[]), None, Some("A1:XFE1048577")));
    let err = db.plan(&file).expect_err("refused");
    assert!(err.contains("outside Excel's grid"), "{err}");
    // A dimension that ends before it starts (found by the forged-workbook property: an overflow inside calamine).
    let file = db.file("reversed.xlsx", &xlsx(&answer_rows(&[]), None, Some("A39:A1")));
    let err = db.plan(&file).expect_err("refused");
    assert!(err.contains("ends before it starts"), "{err}");
}

#[test]
fn a_forged_shared_strings_count_is_refused_before_anything_is_reserved() {
    let db = db();
    for count in ["18446744073709551615", "4294967295", "99999999999999999999999"] {
        let strings = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="{count}"><si><t>x</t></si></sst>"#
        );
        let file = db.file("strings.xlsx", &xlsx(&answer_rows(&[]), Some(strings.as_bytes()), None));
        let err = db.plan(&file).expect_err("refused");
        one_line(&err);
        assert!(err.contains("shared strings; the limit is"), "{err}");
    }
}

#[test]
fn a_huge_compressed_string_is_refused_before_it_is_unpacked() {
    let db = db();
    // 70 MB of one letter packs into about 70 KB.
    let mut strings = br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="1"><si><t>"#.to_vec();
    strings.extend(std::iter::repeat_n(b'a', 70 << 20));
    strings.extend_from_slice(b"</t></si></sst>");
    let file = db.file("bomb.xlsx", &xlsx(&answer_rows(&[]), Some(&strings), None));
    assert!(std::fs::metadata(&file).expect("size").len() < 1 << 20);
    let err = db.plan(&file).expect_err("refused");
    one_line(&err);
    assert!(err.contains("sharedstrings.xml unpacks to 70 MB; the limit is 64 MB"), "{err}");
    // Smaller, but one text of 2 MB: longer than any cell can be.
    let long = "b".repeat(2 << 20);
    let file =
        db.file("long.xlsx", &xlsx(&answer_rows(&[&["T01", "Vienna", "AUT", "MLG_COMPETENCES", &long]]), None, None));
    let err = db.plan(&file).expect_err("refused");
    assert!(err.contains("holds a text or tag longer than 1 MB"), "{err}");
    // Longer than a cell, shorter than the scan's limit: a problem of its row and column.
    let long = "c".repeat(40_000);
    let file =
        db.file("cell.xlsx", &xlsx(&answer_rows(&[&["T01", "Vienna", "AUT", "CL_SCORE_01", &long]]), None, None));
    let err = db.plan(&file).expect_err("refused");
    assert!(err.contains("row 2, column E: the cell holds 40000 characters; Excel's limit is 32767"), "{err}");
    assert_eq!(db.answer_count(), 0);
}

#[test]
fn old_excel_and_open_document_files_are_refused_by_name() {
    let db = db();
    for name in ["old.xls", "calc.ods"] {
        let file = db.file(name, b"anything");
        let err = db.plan(&file).expect_err("refused");
        assert!(err.contains("must end in .csv, .xlsx or .json"), "{err}");
    }
}

#[test]
fn a_plain_number_in_an_excel_date_column_is_not_read_as_a_day() {
    let db = db();
    let mut data = row(1, &["respondent_id", "city", "country", "question_code", "value", "date"]);
    data.push_str(r#"<row r="2"><c r="A2" t="inlineStr"><is><t>T01</t></is></c><c r="B2" t="inlineStr"><is><t>Vienna</t></is></c><c r="D2" t="inlineStr"><is><t>CL_SCORE_01</t></is></c><c r="E2"><v>3</v></c><c r="F2"><v>2017</v></c></row>"#);
    let file = db.file("number-date.xlsx", &xlsx(&data, None, None));
    let plan = db.plan(&file).expect("readable");
    let issue = plan.issues.first().expect("a problem");
    assert_eq!((issue.row, issue.column.as_deref()), (2, Some("date")));
    assert!(issue.reason.contains("2017 is a number, not a date"), "{issue}");
}

// ── Unbounded reads ───────────────────────────────────────────────────────────────────────────────────────────────

#[test]
fn a_device_behind_a_symlink_is_refused_without_reading() {
    let db = db();
    for (name, target) in [("zero.csv", "/dev/zero"), ("zero.json", "/dev/zero"), ("zero.xlsx", "/dev/zero")] {
        let link = db.dir.path().join(name);
        std::os::unix::fs::symlink(target, &link).expect("symlink");
        let err = db.plan(&link).expect_err("refused");
        one_line(&err);
        assert!(err.contains(name) && err.contains("not a regular file"), "{err}");
    }
    let link = db.dir.path().join("zero.bundle.json");
    std::os::unix::fs::symlink("/dev/zero", &link).expect("symlink");
    let err = db.store.import_bundle_file(&link).expect_err("refused").to_string();
    assert!(err.contains("not a regular file"), "{err}");
    assert!(!answers::read::json_file_is_answers(&link));
    // A database path that is a device is not "empty".
    let dev = db.dir.path().join("dev.sqlite");
    std::os::unix::fs::symlink("/dev/zero", &dev).expect("symlink");
    let err = Store::open(&dev).err().expect("refused");
    assert!(matches!(err, StoreError::NotRegular { .. }), "{err}");
}

// ── Foreign code in a database ────────────────────────────────────────────────────────────────────────────────────

fn refused_untouched(path: &Path) -> StoreError {
    let before = std::fs::read(path).expect("read");
    let neighbours = |p: &Path| -> Vec<bool> {
        ["-wal", "-shm", "-journal"]
            .iter()
            .map(|s| {
                let mut n = p.as_os_str().to_owned();
                n.push(s);
                PathBuf::from(n).exists()
            })
            .collect()
    };
    let had = neighbours(path);
    let err = Store::open(path).err().expect("refused");
    assert_eq!(std::fs::read(path).expect("still there"), before, "the refused file was changed");
    assert_eq!(neighbours(path), had, "journal files appeared or went");
    one_line(&err.to_string());
    err
}

/// A database of this app, closed, self-contained, with `sql` run into it by another program.
fn tampered(dir: &Path, name: &str, sql: &str) -> PathBuf {
    let path = dir.join(name);
    {
        let store = Store::open(&path).expect("create");
        store
            .connection()
            .execute(
                "INSERT INTO notes (uuid, target_kind, text, author, status, created_at, updated_at)
                 VALUES ('n1', 'memo', 'my note', 'me', 'draft', 't', 't')",
                [],
            )
            .expect("note");
    }
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.pragma_update(None, "journal_mode", "delete").expect("one file");
    conn.execute_batch(sql).expect("tamper");
    path
}

#[test]
fn a_database_with_a_trigger_view_or_table_of_its_own_is_refused_by_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (sql, named) in [
        ("CREATE TRIGGER wipe AFTER INSERT ON meta BEGIN DELETE FROM notes; END;", "a trigger \"wipe\""),
        ("CREATE TRIGGER wipe2 BEFORE UPDATE ON settings BEGIN DELETE FROM notes; END;", "a trigger \"wipe2\""),
        ("CREATE VIEW peek AS SELECT * FROM notes;", "a view \"peek\""),
        ("CREATE TABLE extra (x);", "a table \"extra\""),
        ("CREATE INDEX sneaky ON notes(text);", "an index \"sneaky\""),
    ] {
        let path = tampered(dir.path(), "mailed.sqlite", sql);
        let err = refused_untouched(&path);
        assert!(matches!(err, StoreError::ForeignObject { .. }), "{err}");
        assert!(err.to_string().contains(named), "{err}");
        std::fs::remove_file(&path).expect("next");
    }
    // The user's notes are still in the refused file.
    let path =
        tampered(dir.path(), "kept.sqlite", "CREATE TRIGGER wipe AFTER INSERT ON meta BEGIN DELETE FROM notes; END;");
    let _ = refused_untouched(&path);
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    let notes: i64 = conn.query_row("SELECT count(*) FROM notes", [], |r| r.get(0)).expect("count");
    assert_eq!(notes, 1);
}

#[test]
fn schema_version_zero_is_one_clear_line_and_the_file_is_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = tampered(dir.path(), "zero.sqlite", "PRAGMA user_version = 0;");
    let err = refused_untouched(&path);
    assert!(matches!(err, StoreError::NoSchemaVersion { .. }), "{err}");
    assert!(err.to_string().len() < 300, "{err}");
    assert!(!err.to_string().contains("CREATE"), "{err}");
}

#[test]
fn a_journal_without_its_database_is_reported_and_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("gone.db");
    let wal = dir.path().join("gone.db-wal");
    std::fs::write(&wal, b"someone's changes").expect("wal");
    let err = Store::open(&path).err().expect("refused");
    assert!(matches!(err, StoreError::OrphanJournal { .. }), "{err}");
    assert!(!path.exists(), "no database created");
    assert_eq!(std::fs::read(&wal).expect("kept"), b"someone's changes");
    // A neighbour's journal (`gone.sqlite-wal` beside `gone.db`) is none of its business.
    let neighbour = dir.path().join("gone.sqlite-wal");
    std::fs::write(&neighbour, b"neighbour").expect("neighbour");
    std::fs::remove_file(&wal).expect("move the journal away");
    drop(Store::open(&path).expect("created"));
    assert_eq!(std::fs::read(&neighbour).expect("untouched"), b"neighbour");
}

// ── Formula injection ─────────────────────────────────────────────────────────────────────────────────────────────

#[test]
fn csv_exports_neutralise_formulas_and_import_back_the_same() {
    let db = db();
    let csv = format!(
        "# questions\ncode,kind,text\nNOTE,text,A remark\n# answers\n{HEADER}\
         =HYPERLINK(\"http://x\"),Vienna,AUT,NOTE,@SUM(A1),,\n\
         T02,Vienna,AUT,NOTE,-3,,\n\
         T03,Vienna,AUT,NOTE,+cmd|' /C calc'!A0,,\n"
    );
    let file = db.file("formulas.csv", csv.as_bytes());
    let out = db.cli(&["import", file.to_str().expect("path"), "--title", "Formulas"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let export = db.dir.path().join("out.csv");
    let out = db.cli(&["answers", "export", "--round", "Formulas", export.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let written = std::fs::read_to_string(&export).expect("export");
    assert!(written.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{written}");
    assert!(written.contains(",'@SUM(A1),"), "{written}");
    assert!(written.contains(",'+cmd|' /C calc'!A0,"), "{written}");
    assert!(written.contains(",-3,"), "-3 stays a number: {written}");
    for line in written.lines() {
        for cell in line.split(',') {
            assert!(!cell.starts_with(['=', '+', '@']), "{cell} in {written}");
        }
    }
    // Imported again, the answers are the ones written.
    let again = db.plan(&export).expect("readable");
    let values: Vec<String> = again.answers.iter().filter_map(|a| a.value_text.map(str::to_owned)).collect();
    assert!(values.contains(&"@SUM(A1)".to_owned()), "{values:?}");
    assert!(again.answers.iter().any(|a| a.respondent_id == "=HYPERLINK(\"http://x\")"));
}

#[test]
fn table_exports_neutralise_formula_text_and_keep_negative_numbers() {
    use integration_atlas::export::{Cell, Table, csv_string};
    let mut table = Table::new("t", &["title", "change"]);
    table.push(vec![Cell::Text("=1+1".into()), Cell::Number(-3.0)]);
    table.push(vec![Cell::Text("-3".into()), Cell::Text("\tx".into())]);
    let csv = csv_string(&table);
    assert_eq!(csv, "title,change\n'=1+1,-3\n-3,'\tx\n");
}

// ── Silent loss or invention in imports ───────────────────────────────────────────────────────────────────────────

fn first_issue(plan: &ImportPlan) -> String {
    plan.issues.first().map(ToString::to_string).unwrap_or_default()
}

#[test]
fn a_row_starting_with_a_hash_is_a_row_not_a_comment() {
    let db = db();
    let file = db.file(
        "hash.csv",
        format!("{HEADER}#T01,Vienna,AUT,CL_SCORE_01,3,,\nT02,Vienna,AUT,CL_SCORE_01,2,,\n").as_bytes(),
    );
    let plan = db.plan(&file).expect("readable");
    assert_eq!(plan.rows_total, 2);
    assert!(plan.answers.iter().any(|a| a.respondent_id == "#T01"));
}

#[test]
fn an_unclosed_quote_names_its_line_and_column() {
    let db = db();
    let file = db.file(
        "quote.csv",
        format!("{HEADER}T01,Vienna,AUT,MLG_COMPETENCES,\"never closed,,\nT02,Vienna,AUT,CL_SCORE_01,2,,\nT03,Vienna,AUT,CL_SCORE_01,2,,\n").as_bytes(),
    );
    let err = db.plan(&file).expect_err("refused");
    one_line(&err);
    assert!(err.contains("line 2, column value: a quote opened here is never closed"), "{err}");
    let out = db.cli(&["import", file.to_str().expect("path")]);
    assert!(!out.status.success());
    one_line(&text(&out));
    assert_eq!(db.answer_count(), 0);
}

#[test]
fn a_duplicated_column_is_a_problem_not_a_guess() {
    let db = db();
    let file = db.file("twice.csv", b"respondent_id,question_code,value,value\nT01,CL_SCORE_01,3,4\n");
    let plan = db.plan(&file).expect("readable");
    assert!(plan.answers.is_empty());
    let issue = first_issue(&plan);
    assert!(issue.contains("row 1, column value: the column 'value' appears twice (columns 3 and 4)"), "{issue}");
}

#[test]
fn duplicate_json_keys_are_refused() {
    let db = db();
    let file = db.file(
        "keys.json",
        br#"{"answers": [{"respondent_id": "T01", "question_code": "CL_SCORE_01", "value": 3, "value": 4}]}"#,
    );
    let err = db.plan(&file).expect_err("refused");
    one_line(&err);
    assert!(err.contains("keys.json: line 1, column") && err.contains("the key \"value\" appears twice"), "{err}");
}

#[test]
fn dates_must_be_whole_valid_dates() {
    let db = db();
    let file = db.file(
        "dates.csv",
        format!(
            "{HEADER}T01,Vienna,AUT,CL_SCORE_01,3,,2017\nT01,Vienna,AUT,CL_SCORE_02,3,,2024-05-021\n\
             T01,Vienna,AUT,CL_SCORE_03,3,,03/04/2017\nT01,Vienna,AUT,CL_SCORE_04,3,,31.03.2017\n"
        )
        .as_bytes(),
    );
    let plan = db.plan(&file).expect("readable");
    let issues: Vec<String> = plan.issues.iter().map(ToString::to_string).collect();
    assert!(issues[0].contains("row 2, column date: \"2017\" is a number, not a date"), "{issues:?}");
    assert!(issues[1].contains("row 3, column date: \"2024-05-021\" is not a date"), "{issues:?}");
    assert!(
        issues[2].contains("row 4, column date: \"03/04/2017\" could be day 3 of month 4 or month 3, day 4"),
        "{issues:?}"
    );
    assert_eq!(issues.len(), 3, "{issues:?}");
    assert_eq!(plan.answers.get(0).and_then(|a| a.answered_on), Some("2017-03-31"));
}

#[test]
fn respondents_differing_only_in_case_are_a_problem() {
    let db = db();
    let file = db.file(
        "case.csv",
        format!(
            "{HEADER}R01,Vienna,AUT,CL_SCORE_01,3,,\nr01,Vienna,AUT,CL_SCORE_02,3,,\nr01,Vienna,AUT,CL_SCORE_03,1,,\n"
        )
        .as_bytes(),
    );
    let plan = db.plan(&file).expect("readable");
    assert_eq!(plan.answers.len(), 1);
    let issue = first_issue(&plan);
    assert!(
        issue.contains("row 3, column respondent_id: respondent r01 differs from R01 (row 2) only in case"),
        "{issue}"
    );
    assert_eq!(plan.issues.len(), 2, "every row of r01: {:?}", plan.issues);
}

#[test]
fn bidi_and_invisible_characters_in_names_are_refused() {
    let db = db();
    let file = db.file(
        "bidi.csv",
        format!("{HEADER}T01,\u{202E}anneiV,AUT,CL_SCORE_01,3,,\nT\u{200B}02,Vienna,AUT,CL_SCORE_01,3,,\n").as_bytes(),
    );
    let plan = db.plan(&file).expect("readable");
    assert!(plan.answers.is_empty());
    assert!(plan.unknown_cities.is_empty(), "no city to add that displays as another");
    let issues: Vec<String> = plan.issues.iter().map(ToString::to_string).collect();
    assert!(issues[0].contains("row 2, column city: holds the invisible character U+202E"), "{issues:?}");
    assert!(issues[1].contains("row 3, column respondent_id: holds the invisible character U+200B"), "{issues:?}");
    let out = db.cli(&["import", file.to_str().expect("path"), "--valid-only", "--add-cities"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(db.answer_count(), 0);
}

#[test]
fn empty_and_all_nul_files_say_no_rows_in_one_line() {
    let db = db();
    for (name, bytes) in [
        ("empty.csv", Vec::new()),
        ("nul.csv", vec![0u8; 4096]),
        ("blank.csv", b"\n\n  \n".to_vec()),
        ("header.csv", HEADER.as_bytes().to_vec()),
        ("empty.json", Vec::new()),
        ("list.json", b"[]".to_vec()),
    ] {
        let file = db.file(name, &bytes);
        let out = db.cli(&["import", file.to_str().expect("path")]);
        assert!(!out.status.success(), "{name}");
        let said = text(&out);
        assert_eq!(said.trim(), format!("error: {name}: no rows"), "{name}");
    }
}

// ── Files from continental Europe ─────────────────────────────────────────────────────────────────────────────────

#[test]
fn a_windows_1252_semicolon_file_with_decimal_commas_and_dotted_dates_imports() {
    let db = db();
    let mut bytes = b"respondent_id;city;country;question_code;value;unit_notes;date\n".to_vec();
    bytes.extend_from_slice(b"T01;Z\xfcrich;CHE;POP_IMMIGRANT_PCT;30,5;;31.03.2017\n");
    bytes.extend_from_slice(b"T01;Z\xfcrich;CHE;CL_SCORE_01;3;;31.03.2017\n");
    let file = db.file("excel-de.csv", &bytes);
    let plan = db.plan(&file).expect("readable");
    let cities: Vec<_> = plan.unknown_cities.iter().map(|c| c.name.clone()).collect();
    assert_eq!(cities, ["Zürich"]);
    assert_eq!(plan.answers.get(0).and_then(|a| a.value_num), Some(30.5));
    assert_eq!(plan.answers.get(0).and_then(|a| a.answered_on), Some("2017-03-31"));
    assert!(plan.summary().starts_with("excel-de.csv (read as Windows-1252): 2 answer rows"), "{}", plan.summary());
    // A thousands separator is not guessed.
    let file = db.file("thousands.csv", b"respondent_id;question_code;value\nT01;POP_TOTAL_N;1.500\n");
    let issue = first_issue(&db.plan(&file).expect("readable"));
    assert!(issue.contains("could be a thousand or a decimal"), "{issue}");
}

#[test]
fn a_utf16_file_imports_and_says_so() {
    let db = db();
    let text = format!("{HEADER}T01,Vienna,AUT,CL_SCORE_01,3,,2017-03-31\n");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let file = db.file("unicode.csv", &bytes);
    let plan = db.plan(&file).expect("readable");
    assert_eq!(plan.answers.len(), 1, "{:?}", plan.issues);
    assert!(plan.summary().contains("(read as UTF-16)"), "{}", plan.summary());
}

#[test]
fn every_problem_of_a_row_is_listed() {
    let db = db();
    let file = db.file("many.csv", format!("{HEADER}T01,Vienna,AUT,NO_SUCH_CODE,,,2017\n").as_bytes());
    let plan = db.plan(&file).expect("readable");
    let columns: Vec<_> = plan.issues.iter().map(|i| i.column.clone().unwrap_or_default()).collect();
    assert_eq!(columns, ["value", "question_code", "date"], "{:?}", plan.issues);
}

#[test]
fn a_comma_decimal_in_a_comma_file_is_not_silently_cut() {
    let db = db();
    let file = db.file("cut.csv", b"respondent_id,question_code,value\nT01,POP_IMMIGRANT_PCT,30,5\n");
    let plan = db.plan(&file).expect("readable");
    let issue = first_issue(&plan);
    assert!(issue.contains("row 2, column 4: a value beyond the 3 named columns"), "{issue}");
    assert!(plan.answers.is_empty());
}

// ── Words a user reads ────────────────────────────────────────────────────────────────────────────────────────────

#[test]
fn the_template_says_an_information_gap() {
    let db = db();
    let texts: Vec<&str> = db.catalogue.iter().map(|q| q.text.as_str()).collect();
    assert!(texts.iter().any(|t| t.starts_with("We face an information gap")), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains("a information")));
}

#[test]
fn adding_cities_is_said_as_information_not_as_problems() {
    let db = db();
    let file = db.file(
        "new-cities.csv",
        format!("{HEADER}T01,Testville,XXX,CL_SCORE_01,3,,\nT01,Testville,XXX,CL_SCORE_02,2,,\nT02,Vienna,AUT,CL_SCORE_01,1,,\n")
            .as_bytes(),
    );
    let out = db.cli(&["import", file.to_str().expect("path"), "--add-cities"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let said = text(&out);
    assert!(!said.contains("not a city this database knows"), "{said}");
    assert!(said.contains("3 valid, 0 with problems, 1 new city to add: Testville (XXX, 2 rows)"), "{said}");
    assert!(said.contains("imported 3 answers, added 1 cities") || said.contains("imported 3 answers"), "{said}");
    assert!(said.contains("cities added: Testville (XXX, 2 rows)"), "{said}");
}

#[test]
fn a_problem_on_every_row_is_counted_not_held_without_bound() {
    let db = db();
    let mut csv = String::from(HEADER);
    for i in 0..12_000 {
        csv.push_str(&format!("R{i},Vienna,AUT,NO_SUCH_CODE,1,,\n"));
    }
    let file = db.file("all-bad.csv", csv.as_bytes());
    let plan = db.plan(&file).expect("readable");
    assert_eq!(plan.issues.len(), answers::validate::MAX_LISTED_ISSUES);
    assert_eq!(plan.issues_left_out, 2_000);
    assert!(plan.summary().contains("12000 answer rows, 0 valid, 12000 with problems"), "{}", plan.summary());
    let out = db.cli(&["import", file.to_str().expect("path")]);
    assert!(text(&out).contains("… and 2000 more problems, not listed"));
}

#[test]
fn a_bundle_naming_a_city_with_a_bidi_control_is_refused() {
    let db = db();
    let bundle = r#"{"format":"integration-atlas-bundle","version":1,"exported_at":"x","records":[{"uuid":"u1","id":"U-C-0001","kind":"challenge","city":null,"new_city_name":"\u202eanneiV","new_city_country":"AUT","new_city_lat":48.2,"new_city_lon":16.4,"title":"t","description":"d","gap_type":null,"levels":[],"policy_areas":[],"migrant_groups":[],"objective":null,"year_started":null,"instrument_kind":null,"sources":[{"url":"https://example.org","citation":null,"tag":"external"}],"author":"a","created_at":"x","updated_at":"x"}]}"#;
    let file = db.file("bidi-bundle.json", bundle.as_bytes());
    let err = db.store.import_bundle_file(&file).expect_err("refused").to_string();
    one_line(&err);
    assert!(err.contains("the record city") && err.contains("U+202E") && err.contains("nothing was imported"), "{err}");
}

#[test]
fn an_oversized_saved_slide_view_is_not_parsed() {
    let db = db();
    let story = db.store.create_story("Forged").expect("story");
    let huge = format!("{{\"view\":\"{}\"}}", "x".repeat(2 << 20));
    db.store.add_slide(&story, None, "slide", "", &huge).expect("slide");
    db.store.add_slide(&story, None, "small", "", "{\"view\":\"Home\"}").expect("slide");
    let stories = db.store.stories().expect("stories");
    let views: Vec<&str> = stories[0].slides.iter().map(|s| s.view_state.as_str()).collect();
    assert_eq!(views, ["", "{\"view\":\"Home\"}"]);
}
