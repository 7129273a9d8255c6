//! Exports as a user meets them: tables written as CSV and XLSX and read back (cells, numbers, the native chart),
//! bad paths refused in one line with existing files untouched.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{atlas_cli, stderr};
use integration_atlas::annotate::Workspace;
use integration_atlas::export::{Cell, ChartKind, ChartSpec, Table, write_csv, write_xlsx};
use integration_atlas::store::Store;

fn sample() -> Table {
    let mut t = Table::new("Records per gap type", &["gap type", "municipal", "national"]);
    t.push(vec!["funding".into(), 4.into(), 2.into()]);
    t.push(vec!["information, data".into(), 3.into(), Cell::Empty]);
    t.push(vec!["capacity".into(), 0.5.into(), 1.into()]);
    t.chart = Some(ChartSpec::new(ChartKind::StackedBar, "Records per gap type", 0, vec![1, 2]));
    t
}

/// The sheet's cells as text ("" for empty), numbers as calamine reads them.
fn read_sheet(path: &std::path::Path, sheet: &str) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook(path).expect("the xlsx opens");
    let range = book.worksheet_range(sheet).expect("the sheet exists");
    range.rows().map(|r| r.to_vec()).collect()
}

/// Whether the XLSX zip holds a member of that name (zip keeps names uncompressed).
fn zip_has(path: &std::path::Path, member: &str) -> bool {
    let bytes = std::fs::read(path).expect("read");
    bytes.windows(member.len()).any(|w| w == member.as_bytes())
}

#[test]
fn a_table_exports_to_csv_and_reads_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("gaps.csv");
    write_csv(&path, &sample()).expect("csv written");
    let mut reader = csv::Reader::from_path(&path).expect("csv reads");
    assert_eq!(reader.headers().expect("header"), vec!["gap type", "municipal", "national"]);
    let rows: Vec<Vec<String>> =
        reader.records().map(|r| r.expect("row").iter().map(str::to_owned).collect()).collect();
    assert_eq!(rows[0], ["funding", "4", "2"]);
    assert_eq!(rows[1], ["information, data", "3", ""]);
    assert_eq!(rows[2], ["capacity", "0.5", "1"]);
}

#[test]
fn a_table_exports_to_xlsx_with_numbers_as_numbers_and_a_native_chart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("gaps.xlsx");
    write_xlsx(&path, &[sample()]).expect("xlsx written");
    let cells = read_sheet(&path, "Records per gap type");
    assert_eq!(cells[0], [Data::String("gap type".into()), Data::String("municipal".into()), "national".into()]);
    assert_eq!(cells[1], [Data::String("funding".into()), Data::Float(4.0), Data::Float(2.0)]);
    assert_eq!(cells[2][2], Data::Empty);
    assert_eq!(cells[3][1], Data::Float(0.5));
    assert!(zip_has(&path, "xl/charts/chart1.xml"), "the workbook holds a chart");
}

#[test]
fn several_tables_become_several_sheets() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("two.xlsx");
    let mut plain = Table::new("Rows", &["id"]);
    plain.push(vec!["C-VIE-01".into()]);
    write_xlsx(&path, &[plain, sample()]).expect("xlsx written");
    let book: Xlsx<_> = open_workbook(&path).expect("opens");
    assert_eq!(book.sheet_names(), ["Rows", "Records per gap type"]);
    assert!(zip_has(&path, "xl/charts/chart1.xml"));
    assert!(!zip_has(&path, "xl/charts/chart2.xml"));
}

#[test]
fn a_bad_path_is_one_line_naming_the_file_and_an_existing_file_is_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("no-such-folder").join("t.xlsx");
    let err = write_xlsx(&missing, &[sample()]).expect_err("refused").to_string();
    assert!(err.contains("t.xlsx") && err.contains("does not exist") && !err.contains('\n'), "{err}");
    let err = write_csv(dir.path(), &sample()).expect_err("refused").to_string();
    assert!(err.contains("is a folder") && !err.contains('\n'), "{err}");

    // A file in a read-only folder cannot be replaced; the old content stays.
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).expect("mkdir");
    let old = locked.join("t.csv");
    std::fs::write(&old, "old").expect("write");
    let mut perms = std::fs::metadata(&locked).expect("meta").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o555);
    std::fs::set_permissions(&locked, perms).expect("chmod");
    let result = write_csv(&old, &sample());
    let mut perms = std::fs::metadata(&locked).expect("meta").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&locked, perms).expect("chmod back");
    // Root writes anyway; then there is nothing to check.
    if let Err(err) = result {
        let err = err.to_string();
        assert!(err.contains("t.csv") && !err.contains('\n'), "{err}");
        assert_eq!(std::fs::read_to_string(&old).expect("read"), "old");
    }
}

// --- The views' tables, the city brief and database copies, through the real binary and the library ---

/// A database with one note on Vienna's first challenge and one on the city, written as the app writes them.
fn db_with_notes(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let db = dir.path().join("atlas.sqlite");
    let store = Store::open(&db).expect("create");
    let mut ws = Workspace::load(&store).expect("workspace");
    ws.set_author(&store, "Ana").expect("author");
    let on_record = ws.add_note(&store, integration_atlas::store::codings::TargetKind::Challenge, Some("C-VIE-01"));
    ws.edit_text(&on_record, "Check the 2019 follow-up report.");
    let on_city = ws.add_note(&store, integration_atlas::store::codings::TargetKind::City, Some("vienna"));
    ws.edit_text(&on_city, "Ask the city for the 2020 figures.");
    ws.flush(&store, true);
    db
}

#[test]
fn cli_exports_the_explorer_rows_filtered_like_query_with_its_charts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    let out_file = dir.path().join("funding.xlsx");
    let out = atlas_cli(
        &db,
        &[
            "export",
            "table",
            "explorer",
            "--kind",
            "challenges",
            "--gap",
            "funding",
            "--out",
            out_file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let cells = read_sheet(&out_file, "Explorer records");
    assert_eq!(cells.len(), 11, "a header and the 10 funding challenges");
    assert_eq!(cells[0][0], Data::String("id".into()));
    assert!(cells.iter().any(|r| r[0] == Data::String("C-ATH-01".into())));
    assert!(cells[1..].iter().all(|r| r[5] == Data::String("funding".into())));
    // The gap chart's data: 10 funding challenges counted per level.
    let book: Xlsx<_> = open_workbook(&out_file).expect("opens");
    assert_eq!(book.sheet_names().len(), 5);
    for n in 1..=4 {
        assert!(zip_has(&out_file, &format!("xl/charts/chart{n}.xml")), "chart {n}");
    }

    // The same selection as CSV, printed.
    let out = atlas_cli(&db, &["export", "table", "explorer", "--search", "goteborg", "--out", "-"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("id,kind,city,"), "{text}");
    assert!(text.lines().skip(1).all(|l| l.contains("Gothenburg")), "{text}");
}

#[test]
fn cli_exports_regions_checklist_city_compare_and_survey_tables() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    let regions = dir.path().join("regions.csv");
    let out = atlas_cli(
        &db,
        &[
            "export",
            "table",
            "regions",
            "--indicator",
            "Unemp",
            "--country",
            "Austria",
            "--out",
            regions.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&regions).expect("read");
    assert_eq!(text.lines().count(), 1 + 9, "Austria's nine Länder: {text}");
    assert!(text.lines().any(|l| l.starts_with("AT13,") && l.ends_with(",Vienna")), "{text}");

    for (view, extra, sheet, rows) in [
        ("checklist", vec![], "Checklist - cities x objectives", 11),
        ("city", vec!["--city", "Wien"], "Vienna - key figures", 0),
        ("compare", vec!["--city", "Vienna", "--city", "Athens"], "Gap profile - Vienna and Athens", 8),
        ("survey", vec![], "Survey figures", 0),
        ("governance", vec!["--country", "Austria"], "Who does what - Austria", 0),
    ] {
        let file = dir.path().join(format!("{view}.xlsx"));
        let mut args = vec!["export", "table", view, "--out", file.to_str().unwrap()];
        args.extend(extra);
        let out = atlas_cli(&db, &args);
        assert!(out.status.success(), "{view}: {}", stderr(&out));
        let cells = read_sheet(&file, sheet);
        if rows > 0 {
            assert_eq!(cells.len(), rows, "{view}");
        } else {
            assert!(cells.len() > 2, "{view}");
        }
    }
}

#[test]
fn cli_refuses_bad_paths_and_misplaced_options_in_one_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    let missing = dir.path().join("nope").join("t.csv");
    for (args, expected) in [
        (vec!["export", "table", "survey", "--out", missing.to_str().unwrap()], "does not exist"),
        (vec!["export", "table", "survey", "--out", dir.path().join("t.txt").to_str().unwrap()], "--format"),
        (vec!["export", "table", "checklist", "--gap", "funding", "--out", "x.csv"], "does not apply"),
        (vec!["export", "brief", "--city", "Atlantis", "--out", "x.md"], "not a case-study city"),
        (vec!["export", "db-copy", missing.to_str().unwrap()], "does not exist"),
        (vec!["export", "db-copy", db.to_str().unwrap()], "open database"),
        (vec!["export", "table", "governance", "--out", "x.csv"], "give one --country"),
        (vec!["export", "table", "governance", "--country", "Atlantis", "--out", "x.csv"], "no who-does-what entries"),
    ] {
        let out = atlas_cli(&db, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(expected) && err.trim().lines().count() == 1, "{args:?}: {err}");
    }
    assert!(!missing.exists() && !dir.path().join("t.txt").exists());
    assert!(Store::open(&db).expect("still opens").check().expect("check").is_empty());
}

#[test]
fn the_city_brief_holds_figures_challenges_practices_notes_and_tagged_sources() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = db_with_notes(&dir);
    let brief = dir.path().join("vienna.md");
    let out = atlas_cli(&db, &["export", "brief", "--city", "vienna", "--out", brief.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&brief).expect("read");
    assert!(text.starts_with("# Vienna"), "{text}");
    for heading in ["## Key figures", "## Key findings", "## Challenges (", "## Practices (", "## Sources"] {
        assert!(text.contains(heading), "{heading} in {text}");
    }
    let store = Store::open(&db).expect("open");
    let atlas = store.load_atlas().expect("atlas");
    for e in atlas.evidence.iter().filter(|e| e.city == "vienna") {
        assert!(text.contains(&format!("### {} ", e.id)), "{} in the brief", e.id);
        for s in e.sources.iter().filter(|s| !s.url.is_empty()) {
            assert!(text.contains(&format!("<{}>", s.url)), "{} cited", s.url);
        }
    }
    assert!(text.contains("[OECD text]"));
    assert!(text.contains("**Note** (Ana, draft): Check the 2019 follow-up report."), "{text}");
    assert!(text.contains("## Notes on this city"));
    assert!(text.contains("Ask the city for the 2020 figures."));
    // Every source of the sources list is tagged.
    let list = text.split("## Sources").nth(1).expect("sources");
    assert!(list.lines().filter(|l| l.starts_with("- ")).all(|l| l.starts_with("- [")), "{list}");
}

#[test]
fn a_database_copy_is_an_intact_atlas_with_the_users_notes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = db_with_notes(&dir);
    // The copy is taken while the database is open and in use.
    let store = Store::open(&db).expect("open");
    let copy = dir.path().join("copy.sqlite");
    store.save_copy(&copy).expect("copied");
    // Again over the first copy: replaced whole.
    store.save_copy(&copy).expect("copied again");
    drop(store);
    assert!(!dir.path().join("copy.sqlite-wal").exists(), "one self-contained file");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".part"))
        .collect();
    assert!(leftovers.is_empty());
    let copied = Store::open(&copy).expect("the copy opens as an Atlas database");
    assert!(copied.check().expect("check").is_empty());
    let notes = copied.notes().expect("notes");
    assert!(notes.iter().any(|n| n.text == "Check the 2019 follow-up report." && n.author == "Ana"));
    assert_eq!(copied.load_atlas().expect("atlas").evidence.len(), 184);

    // The CLI does the same.
    let second = dir.path().join("second.sqlite");
    let out = atlas_cli(&db, &["export", "db-copy", second.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(Store::open(&second).expect("opens").notes().expect("notes").len() >= 2);
}

#[test]
fn the_city_brief_is_written_as_html_or_tagged_pdf_by_the_extension() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = db_with_notes(&dir);
    let html = dir.path().join("vienna.html");
    let out = atlas_cli(&db, &["export", "brief", "--city", "vienna", "--out", html.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(&html).expect("read");
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<h1>Vienna"), "{page}");
    for (paper, size) in [(None, "595 x 842 pts"), (Some("letter"), "612 x 792 pts")] {
        let pdf = dir.path().join("vienna.pdf");
        let mut args = vec!["export", "brief", "--city", "vienna", "--out", pdf.to_str().unwrap()];
        if let Some(p) = paper {
            args.extend(["--paper", p]);
        }
        let out = atlas_cli(&db, &args);
        assert!(out.status.success(), "{}", stderr(&out));
        let bytes = std::fs::read(&pdf).expect("read");
        assert!(bytes.starts_with(b"%PDF"));
        match std::process::Command::new("pdfinfo").arg(&pdf).output() {
            Ok(info) => {
                let info = String::from_utf8_lossy(&info.stdout);
                assert!(info.contains("Tagged:          yes") && info.contains(size), "{info}");
                assert!(info.contains("Title:           Vienna"), "{info}");
            }
            Err(e) => eprintln!("skipping the pdfinfo check: pdfinfo is not available ({e})"),
        }
    }
    let out = atlas_cli(&db, &["export", "brief", "--city", "vienna", "--out", "x.pdf", "--paper", "a5"]);
    assert!(!out.status.success());
}
