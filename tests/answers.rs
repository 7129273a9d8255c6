//! Survey answers in and out: fixtures for every kind of error (exact row, database unchanged), a valid CSV, an XLSX
//! with Excel dates, JSON, the export → import round trip, the CLI, and a 100,000-row import through the window
//! that never blocks a frame.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::wait_until;
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use integration_atlas::analysis::responses::{self, ResponseFilter};
use integration_atlas::answers::{self, FileFormat, ImportPlan};
use integration_atlas::model::AnswerSet;
use integration_atlas::ui::{AtlasApp, View};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/answers").join(name)
}

use common::{AnswersDb as Db, answers_db as db};

impl Db {
    fn plan(&self, file: &Path) -> ImportPlan {
        let known = self.store.known_city_names().expect("cities");
        answers::plan_import(file, &self.catalogue, &known).expect("readable")
    }

    fn import(&self, file: &Path, add_cities: bool) -> usize {
        let plan = self.plan(file);
        self.store.import_answers(&plan, add_cities, &mut |_, _| true).expect("import").expect("not cancelled").answers
    }

    fn answers(&self) -> AnswerSet {
        self.store.load_answers(&self.catalogue).expect("answers")
    }

    fn answer_count(&self) -> i64 {
        self.store.connection().query_row("SELECT count(*) FROM survey_answers", [], |r| r.get(0)).expect("count")
    }
}

/// (respondent, city, question, value) for every answer, sorted: what a user would compare.
fn rows(set: &AnswerSet) -> Vec<(String, String, String, String, String)> {
    let mut out: Vec<_> = set
        .answers
        .iter()
        .map(|a| {
            let who = &set.respondents[a.respondent as usize];
            (
                who.id.clone(),
                who.city.clone().unwrap_or_default(),
                set.questions[a.question as usize].code.clone(),
                AnswerSet::value_text(a),
                a.answered_on.clone().unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn each_kind_of_error_names_its_row_and_column_and_writes_nothing() {
    let cases = [
        ("error-unknown-question.csv", 3, Some("question_code"), "unknown question code \"NOT_A_QUESTION\""),
        ("error-wrong-type.csv", 3, Some("value"), "\"many\" is not a number"),
        ("error-share-range.csv", 3, Some("value"), "130 is out of range for a share (0–100)"),
        ("error-score-range.csv", 3, Some("value"), "5 is out of range for a score (0–4)"),
        ("error-duplicate.csv", 3, None, "already answered CL_SCORE_01 on row 2"),
        ("error-unknown-city.csv", 3, Some("city"), "\"Testville\" is not a city this database knows"),
        ("error-empty-field.csv", 3, Some("respondent_id"), "respondent_id is empty"),
        ("error-bad-date.csv", 3, Some("date"), "\"yesterday\" is not a date"),
        ("error-two-countries.csv", 3, Some("country"), "respondent T01 has country DEU here but AUT on row 2"),
        ("error-missing-column.csv", 1, Some("respondent_id"), "the answers have no 'respondent_id' column"),
    ];
    let db = db();
    for (file, row, column, reason) in cases {
        let plan = db.plan(&fixture(file));
        let issue = plan.issues.first().unwrap_or_else(|| panic!("{file}: no issue found"));
        assert_eq!(issue.file, file);
        assert_eq!(issue.sheet.as_deref(), Some("answers"), "{file}");
        assert_eq!(issue.row, row, "{file}: {issue}");
        assert_eq!(issue.column.as_deref(), column, "{file}: {issue}");
        assert!(issue.reason.contains(reason), "{file}: {issue}");
        // Through the CLI: refused, exit 1, the problem printed, nothing written.
        let out = Command::new(env!("CARGO_BIN_EXE_integration-atlas"))
            .arg("--db")
            .arg(&db.path)
            .arg("import")
            .arg(fixture(file))
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1), "{file}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains(&format!("row {row}")), "{file}: {stdout}");
        assert!(stdout.contains("nothing imported"), "{file}: {stdout}");
        assert_eq!(db.answer_count(), 0, "{file} wrote answers");
    }
}

#[test]
fn valid_rows_import_and_the_rest_are_left_out() {
    let db = db();
    let plan = db.plan(&fixture("error-share-range.csv"));
    assert_eq!(plan.importable_count(false), 1);
    // An unknown city can be added: then its row imports too.
    assert_eq!(db.import(&fixture("error-unknown-city.csv"), true), 2);
    let set = db.answers();
    assert!(set.extra_cities.iter().any(|(name, _)| name == "Testville"));
    let again = db.plan(&fixture("error-unknown-city.csv"));
    assert!(again.issues.is_empty(), "the added city is known now: {:?}", again.issues);
}

#[test]
fn valid_csv_imports_with_dates_ticks_and_text() {
    let db = db();
    assert_eq!(db.import(&fixture("valid.csv"), false), 11);
    let set = db.answers();
    assert_eq!(set.rounds.len(), 1);
    assert_eq!(set.rounds[0].title, "valid");
    assert_eq!(set.rounds[0].held_on.as_deref(), Some("2024-05-02"));
    let r = rows(&set);
    // A continental date, 04.05.2024, in a CSV date column is 2024-05-04 (an Excel serial such as 45416 is a
    // date only in an Excel cell formatted as a date).
    assert!(r.contains(&("T03".into(), "Altena".into(), "CL_SCORE_01".into(), "4".into(), "2024-05-04".into())));
    // "yes" is stored as a tick of 1.
    assert!(r.contains(&(
        "T01".into(),
        "Vienna".into(),
        "GAP_FUNDING_NATIONAL".into(),
        "1".into(),
        "2024-05-02".into()
    )));
    assert!(r.iter().any(|x| x.3 == "own budget and national transfers"));
}

#[test]
fn xlsx_with_excel_dates_imports() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let db = db();
    let file = db.path.with_file_name("workshop.xlsx");
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = book.add_worksheet().set_name("answers").expect("sheet");
    for (c, h) in ["respondent_id", "city", "country", "question_code", "value", "date"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    let when = ExcelDateTime::from_ymd(2024, 3, 15).expect("date");
    for (i, (id, city, code, value)) in [
        ("X1", "Gothenburg", "CL_SCORE_05", 2.0),
        ("X1", "Gothenburg", "POP_EU_PCT", 7.5),
        ("X2", "Athens", "CL_SCORE_05", 0.0),
    ]
    .iter()
    .enumerate()
    {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, *id).expect("cell");
        sheet.write_string(row, 1, *city).expect("cell");
        sheet.write_string(row, 3, *code).expect("cell");
        sheet.write_number(row, 4, *value).expect("cell");
        sheet.write_datetime_with_format(row, 5, &when, &date).expect("cell");
    }
    let round = book.add_worksheet().set_name("round").expect("sheet");
    round.write_string(0, 0, "title").expect("cell");
    round.write_string(0, 1, "Workshop in Gothenburg (test)").expect("cell");
    book.save(&file).expect("saved");

    assert_eq!(db.import(&file, false), 3);
    let set = db.answers();
    assert_eq!(set.rounds[0].title, "Workshop in Gothenburg (test)");
    assert!(set.answers.iter().all(|a| a.answered_on.as_deref() == Some("2024-03-15")));
    assert_eq!(set.rounds[0].held_on.as_deref(), Some("2024-03-15"));
}

#[test]
fn json_and_declared_questions_import() {
    let db = db();
    assert_eq!(db.import(&fixture("valid.json"), false), 3);
    assert_eq!(db.import(&fixture("declared.csv"), false), 2);
    let set = db.answers();
    let q = set.question_index("T_LANGUAGE_COURSES").expect("declared question kept");
    assert_eq!(set.questions[q].kind, answers::QuestionKind::Number);
    assert_eq!(set.questions[q].max, Some(500.0));
    assert!(set.question_index("T_SATISFACTION").is_some());
    assert!(
        set.rounds.iter().any(|r| r.title == "Test round (JSON fixture)" && r.held_on.as_deref() == Some("2024-06-01"))
    );
}

#[test]
fn export_then_import_gives_identical_answers() {
    let source = db();
    source.import(&fixture("valid.csv"), false);
    source.import(&fixture("declared.csv"), false);
    let set = source.answers();
    for format in [FileFormat::Csv, FileFormat::Xlsx, FileFormat::Json] {
        for (round, meta) in set.rounds.iter().enumerate() {
            let ext = match format {
                FileFormat::Csv => "csv",
                FileFormat::Xlsx => "xlsx",
                FileFormat::Json => "json",
            };
            let file = source.path.with_file_name(format!("round-{round}.{ext}"));
            answers::write::write_round(&set, round, &file, format).expect("written");
            let target = db();
            target.import(&file, false);
            let back = target.answers();
            let only_round = |s: &AnswerSet, r: usize| -> Vec<_> {
                let mut sub = s.clone();
                sub.answers.retain(|a| s.respondents[a.respondent as usize].round == r);
                rows(&sub)
            };
            assert_eq!(only_round(&back, 0), only_round(&set, round), "{ext} round {}", meta.title);
            if format != FileFormat::Csv {
                assert_eq!(back.rounds[0].title, meta.title);
            }
        }
    }
}

#[test]
fn template_lists_every_known_question_and_imports_empty() {
    let db = db();
    for ext in ["csv", "xlsx", "json"] {
        let file = db.path.with_file_name(format!("template.{ext}"));
        let out = Command::new(env!("CARGO_BIN_EXE_integration-atlas"))
            .arg("--db")
            .arg(&db.path)
            .args(["answers", "template"])
            .arg(&file)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        // The template's header is sound (a header problem would be listed); it has no rows to import.
        let known = db.store.known_city_names().expect("cities");
        let err = answers::plan_import(&file, &db.catalogue, &known).expect_err("nothing to import");
        assert_eq!(err.to_string(), format!("template.{ext}: no rows"));
    }
    let text = std::fs::read_to_string(db.path.with_file_name("template.csv")).expect("csv");
    for code in ["POP_SECOND_GEN_PCT", "CL_SCORE_12", "GAP_ACCOUNTABILITY_DISTRICT"] {
        assert!(text.contains(code), "{code}");
    }
}

#[test]
fn responses_aggregate_filter_and_compare() {
    let db = db();
    db.import(&fixture("valid.csv"), false);
    let set = db.answers();
    let sizes: Vec<_> = responses::populations(&set).into_iter().map(responses::SizeBand::of).collect();
    let all = responses::select(&set, &ResponseFilter::default(), &sizes);
    let q = set.question_index("CL_SCORE_01").expect("question");
    let summary = responses::summarize(&set, q, &all);
    assert_eq!(summary.answered, 3);
    assert_eq!(
        summary.categories,
        vec![("0".into(), 0), ("1".into(), 0), ("2".into(), 1), ("3".into(), 1), ("4".into(), 1)]
    );
    assert_eq!(summary.numeric.expect("numbers").median, 3.0);
    // Only German respondents.
    let mut filter = ResponseFilter::default();
    filter.countries.insert("DEU".into());
    let de = responses::select(&set, &filter, &sizes);
    assert_eq!(responses::summarize(&set, q, &de).answered, 2);
    // Altena (17,000 people) is the small city.
    let mut small = ResponseFilter::default();
    small.sizes.insert(responses::SizeBand::Under100k);
    assert_eq!(responses::select(&set, &small, &sizes).iter().filter(|m| **m).count(), 1);
    let berlin = set.respondents.iter().position(|r| r.id == "T02").expect("T02");
    let st = responses::standing(&set, q, berlin, &all).expect("standing");
    assert_eq!((st.rank, st.of, st.median, st.from_median), (3, 3, 3.0, -1.0));
}

fn app(db: &Path) -> Harness<'static, AtlasApp> {
    common::app(db, common::on(View::Responses))
}

/// A made-up file of `n` answers for the scale test (never shipped).
fn big_csv(path: &Path, n: usize) {
    let mut text = String::from("respondent_id,city,country,question_code,value\n");
    for i in 0..n {
        let q = i % 12 + 1;
        text.push_str(&format!("R{:06},,,CL_SCORE_{q:02},{}\n", i / 12, i % 5));
    }
    std::fs::write(path, text).expect("written");
}

#[test]
fn the_window_shows_problems_then_imports_the_valid_rows() {
    let db = db();
    let mut harness = app(&db.path);
    harness.run();
    harness.get_by_label("Import answers…").click();
    harness.run();
    harness.get_by_label("File:").focus();
    harness.get_by_label("File:").type_text(&fixture("error-share-range.csv").display().to_string());
    harness.get_by_label("Check file").click();
    wait_until(&mut harness, |h| {
        h.state().runtime().and_then(|r| r.import.as_ref()).is_some_and(|d| d.plan().is_some())
    });
    harness.get_by_label("Problem at row 3: POP_IMMIGRANT_PCT: 130 is out of range for a share (0–100)");
    assert_eq!(db.answer_count(), 0, "nothing is written before the user chooses");
    harness.get_by_label("Import the 1 valid rows").click();
    wait_until(&mut harness, |h| {
        h.state().runtime().and_then(|r| r.import.as_ref()).is_some_and(|d| !d.busy()) && db.answer_count() == 1
    });
    harness.run();
    harness.get_by_label("Respondent T01 of error-share-range");
    // The dialog closes with one click once it has said what was imported.
    harness.get_by_label("Close").click();
    harness.run();
    assert!(harness.query_by_label("Check file").is_none(), "the import window is closed");
}

#[test]
fn a_100000_row_import_runs_beside_a_responsive_window() {
    let db = db();
    let file = db.path.with_file_name("big.csv");
    big_csv(&file, 100_000);
    let mut harness = app(&db.path);
    harness.run();
    harness.get_by_label("Import answers…").click();
    harness.run();
    harness.get_by_label("File:").focus();
    harness.get_by_label("File:").type_text(&file.display().to_string());
    harness.get_by_label("Check file").click();
    // Frames keep coming while the file is read and checked on another thread.
    let mut frames_while_busy = 0;
    while harness.state().runtime().and_then(|r| r.import.as_ref()).is_some_and(|d| d.plan().is_none()) {
        harness.step();
        frames_while_busy += 1;
        std::thread::sleep(Duration::from_millis(5));
    }
    harness.run();
    harness.get_by_label("Import 100000 answers").click();
    harness.step();
    while harness.state().runtime().and_then(|r| r.import.as_ref()).is_some_and(|d| d.busy()) {
        harness.step();
        frames_while_busy += 1;
        std::thread::sleep(Duration::from_millis(5));
    }
    harness.run();
    assert!(frames_while_busy > 1, "the window drew frames while the import ran");
    assert_eq!(db.answer_count(), 100_000);
    harness.get_by_label("Respondent R000000 of big");
}

/// A file dropped on the window, as the windowing system hands it over.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropping_an_answer_file_on_the_window_opens_the_checked_import() {
    let db = db();
    let mut harness = app(&db.path);
    harness.run();
    harness.input_mut().dropped_files.push(std::sync::Arc::new(Dropped(fixture("valid.json"))));
    wait_until(&mut harness, |h| {
        h.state().runtime().and_then(|r| r.import.as_ref()).is_some_and(|d| d.plan().is_some())
    });
    harness.run();
    harness.get_by_label("valid.json: 3 answer rows, 3 valid, 0 with problems");
    harness.get_by_label("Import 3 answers").click();
    wait_until(&mut harness, |h| {
        h.state().runtime().and_then(|r| r.import.as_ref()).is_some_and(|d| !d.busy()) && db.answer_count() == 3
    });
}

#[test]
fn a_column_the_format_does_not_have_is_named_in_the_summary_not_dropped_silently() {
    let db = db();
    let file = db.path.with_file_name("extra.csv");
    std::fs::write(
        &file,
        "respondent_id,city,country,question_code,value,answered_on\nR1,Vienna,Austria,CL_SCORE_01,3,2017-03-31\n",
    )
    .expect("written");
    let plan = db.plan(&file);
    assert_eq!(plan.unused_columns, vec!["answered_on".to_owned()]);
    let summary = plan.summary();
    assert!(summary.contains("column answered_on is not used (the format's columns are respondent_id"), "{summary}");
    // The answer itself imports.
    assert_eq!(db.import(&file, false), 1);
}
