//! The command line, run as a user would: the real binary on a fresh database.

mod common;

use common::stdout;
use std::process::{Command, Output};

fn atlas(db: &std::path::Path, args: &[&str]) -> Output {
    common::atlas_cli(db, args)
}

#[test]
fn stats_prints_counts_per_table_and_per_source_tag() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = atlas(&dir.path().join("a.sqlite"), &["stats"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.contains("challenges 84, of which 40 rest on OECD text, 7 on OECD reported by a third party"),
        "{text}"
    );
    assert!(
        text.contains("practices 100, of which 40 rest on OECD text, 21 on OECD reported by a third party"),
        "{text}"
    );
    assert!(text.lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["region_values", "2331"]), "{text}");
}

#[test]
fn check_passes_on_a_fresh_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = atlas(&dir.path().join("a.sqlite"), &["check"]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).starts_with("check: ok"));
}

#[test]
fn check_fails_with_a_list_of_problems_on_a_broken_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("a.sqlite");
    drop(integration_atlas::store::Store::open(&db).expect("create"));
    {
        let conn = rusqlite::Connection::open(&db).expect("sqlite");
        conn.execute("DELETE FROM record_sources WHERE record_id = 'C-VIE-01'", []).expect("break it");
        conn.execute("UPDATE cities SET region_code = 'XX99' WHERE id = 'rome'", []).expect("break it");
    }
    let out = atlas(&db, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("challenge C-VIE-01 has no source"), "{text}");
    assert!(text.contains("Rome: region XX99 is not in the regional data"), "{text}");
}

#[test]
fn query_funding_challenges_as_csv_gives_the_ten_funding_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = atlas(&dir.path().join("a.sqlite"), &["query", "challenges", "--gap", "funding", "--format", "csv"]);
    assert!(out.status.success());
    let text = stdout(&out);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let ids: Vec<String> = reader.records().map(|r| r.expect("csv row")[0].to_owned()).collect();
    assert_eq!(ids.len(), 10, "{ids:?}");
    assert!(ids.iter().all(|id| id.starts_with("C-")));
    assert!(ids.contains(&"C-ALT-01".to_owned()));
}

#[test]
fn query_filters_combine_and_names_resolve() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("a.sqlite");
    let out = atlas(&db, &["query", "practices", "--city", "Wien", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rows = rows.as_array().expect("array");
    assert_eq!(rows.len(), 12, "Vienna has 12 practices");
    assert!(rows.iter().all(|r| r["city"] == "vienna" && !r["sources"].as_array().expect("sources").is_empty()));

    let out = atlas(&db, &["query", "challenges", "--city", "Athens", "--gap", "funding", "--gap", "information"]);
    let text = stdout(&out);
    assert!(text.contains("C-ATH-01") && text.contains("C-ATH-02") && !text.contains("C-AMS"), "{text}");

    let out = atlas(&db, &["query", "practices", "--search", "goteborg", "--format", "csv"]);
    let text = stdout(&out);
    assert!(text.lines().skip(1).all(|l| l.starts_with("P-GOT")) && text.lines().count() > 1, "{text}");
}

#[test]
fn bad_options_get_a_one_line_error_and_exit_code_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("a.sqlite");
    for args in [
        &["query", "challenges", "--gap", "fundng"][..],
        &["query", "challenges", "--objective", "13"],
        &["query", "challenges", "--city", "Atlantis"],
        &["regions", "--country", "Narnia"],
        &["regions", "--indicator", "GDP"],
    ] {
        let out = atlas(&db, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.starts_with("error: "), "{err}");
    }
}

#[test]
fn regions_and_survey_print_the_published_numbers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("a.sqlite");
    let out = atlas(&db, &["regions", "--country", "AUT", "--indicator", "Unemp", "--format", "csv"]);
    let text = stdout(&out);
    assert!(text.contains("Unemp,AT13,Vienna,AUT,13.49,8.69,4.79"), "{text}");
    assert_eq!(text.lines().count(), 1 + 9, "Austria has 9 TL2 regions");

    let out = atlas(&db, &["survey"]);
    let text = stdout(&out);
    assert!(text.contains("72 respondents (10 named, 62 unnamed: names never published)"), "{text}");
    assert!(text.contains("80%"), "{text}");
}

#[test]
fn a_garbage_database_is_refused_with_one_line_and_left_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("notes.sqlite");
    std::fs::write(&db, b"garbage bytes, not SQLite").expect("write");
    let out = atlas(&db, &["stats"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim(), format!("error: {}: not an SQLite database (left untouched)", db.display()));
    assert_eq!(std::fs::read(&db).expect("read"), b"garbage bytes, not SQLite");
}

#[test]
fn version_is_printed() {
    let out = Command::new(env!("CARGO_BIN_EXE_integration-atlas")).arg("--version").output().expect("runs");
    assert!(stdout(&out).starts_with("integration-atlas "));
}

#[test]
fn governance_writes_one_countrys_report_as_markdown_and_html() {
    let (_dir, db) = common::temp_db();
    let md = common::atlas_cli(&db, &["governance", "--country", "Austria", "--format", "md"]);
    assert!(md.status.success(), "{}", common::stderr(&md));
    let text = common::stdout(&md);
    assert!(text.starts_with("# Who does what: Austria"), "{text}");
    assert!(text.contains("from the case studies of Vienna"), "{text}");
    assert!(text.contains("| national | reception | Federal level |"), "{text}");
    assert!(text.contains("*gap*"), "gaps are said as gaps");
    assert!(text.contains("## Sources") && text.contains("<https://"), "{text}");
    let html = common::stdout(&common::atlas_cli(&db, &["governance", "--country", "AUT", "--format", "html"]));
    assert!(html.contains("<title>Who does what: Austria</title>") && html.contains("<th"), "{html}");
    let bare = common::atlas_cli(&db, &["governance", "--format", "md"]);
    assert!(!bare.status.success());
    assert!(common::stderr(&bare).contains("give --country"));
}
