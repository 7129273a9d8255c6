//! The command line reaches every kind of record: checklist, cities, sources, findings, governance and notes, in
//! the same three formats as `query`; `query` and `export table` filter alike. The real binary on a fresh database.

use std::process::{Command, Output};

fn atlas(db: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_integration-atlas"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

fn csv_rows(out: &Output) -> Vec<csv::StringRecord> {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    csv::Reader::from_reader(out.stdout.as_slice()).records().map(|r| r.expect("csv row")).collect()
}

#[test]
fn the_checklist_lists_twelve_objectives_with_attested_titles() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("a.sqlite");
    let rows = csv_rows(&atlas(&db, &["checklist", "--format", "csv"]));
    assert_eq!(rows.len(), 12);
    // Objective 1 as the OECD's Box 2.1 words it, with that source.
    assert!(rows[0][3].starts_with("Enhance effectiveness of migrant integration policy through improved vertical"));
    assert_eq!(&rows[0][4], "seen");
    assert!(rows[0][8].contains("read.oecd.org"), "{:?}", &rows[0]);
    // Objective 8 is labelled a paraphrase; objective 11 stops where its only source stops.
    assert_eq!(&rows[7][4], "paraphrase");
    assert!(rows[10][3].contains('…') && !rows[10][3].contains("migrant inclusion"), "{:?}", &rows[10]);
    let table = stdout(&atlas(&db, &["checklist"]));
    assert!(table.contains("Block 4: Sectoral policies related to integration"), "{table}");
    assert!(table.contains("(12 rows)"), "{table}");
}

#[test]
fn cities_lists_ten_and_one_city_gives_its_profile() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("a.sqlite");
    let list = json(&atlas(&db, &["cities", "--format", "json"]));
    assert_eq!(list.as_array().expect("array").len(), 10);
    let vienna = json(&atlas(&db, &["cities", "--city", "Wien", "--format", "json"]));
    assert_eq!(vienna["name"], "Vienna");
    assert!(!vienna["figures"].as_array().expect("figures").is_empty());
    let rows = csv_rows(&atlas(&db, &["cities", "--city", "GOT", "--format", "csv"]));
    assert!(rows.iter().all(|r| !r[6].is_empty()), "every row of the profile carries its sources");
    let out = atlas(&db, &["cities", "--city", "Atlantis"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr).trim().lines().count(), 1);
}

#[test]
fn sources_show_the_brochure_cited_by_the_headline_figure() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sources = json(&atlas(&dir.path().join("a.sqlite"), &["sources", "--format", "json"]));
    let brochure = sources
        .as_array()
        .expect("array")
        .iter()
        .find(|s| s["url"] == "http://oe.cd/migrant-integration")
        .expect("the policy highlights are a source");
    let cited: Vec<String> = brochure["cited_by"].as_array().expect("list").iter().map(|c| c[1].to_string()).collect();
    assert!(cited.iter().any(|c| c.contains("F-2017-10")), "{cited:?}");
}

#[test]
fn findings_carry_sources_and_links_into_the_app() {
    let dir = tempfile::tempdir().expect("temp dir");
    let findings = json(&atlas(&dir.path().join("a.sqlite"), &["findings", "--format", "json"]));
    let findings = findings.as_array().expect("array");
    assert_eq!(findings.len(), 13);
    for f in findings {
        assert!(!f["sources"].as_array().expect("sources").is_empty(), "{f}");
        assert!(!f["confidence"].as_str().unwrap_or_default().is_empty(), "{f}");
    }
    let settle = &findings[0];
    assert!(settle["statement"].as_str().expect("text").contains("two in three"), "{settle}");
    assert!(settle["links"]["indicators"].as_array().expect("list").iter().any(|i| i == "ShareMig"));
    let housing = findings.iter().find(|f| f["theme"] == "Housing in urban regions").expect("housing finding");
    assert!(housing["links"]["challenges"].as_array().expect("list").iter().any(|c| c == "C-GOT-06"), "{housing}");
}

#[test]
fn governance_shows_the_grid_with_gaps_challenges_and_instruments() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("a.sqlite");
    let overview = json(&atlas(&db, &["governance", "--format", "json"]));
    assert_eq!(overview.as_array().expect("array").len(), 9, "nine countries of the case-study cities");
    let austria = json(&atlas(&db, &["governance", "--country", "Vienna", "--format", "json"]));
    assert_eq!(austria["country"], "AUT");
    let entries = austria["entries"].as_array().expect("entries");
    assert!(entries.iter().all(|e| !e["sources"].as_array().expect("sources").is_empty() && e["confidence"] != ""));
    // The EU row has no source for Austria: shown as gaps, not left out.
    assert!(austria["gaps"].as_array().expect("gaps").iter().any(|g| g["level"] == "EU" && g["area"] == "housing"));
    let tools = austria["instruments"].as_array().expect("instruments");
    assert_eq!(tools.len(), 6);
    assert_eq!(tools[0]["id"], "vienna-integration-diversity-monitor");
    assert_eq!(tools[0]["own"], true);
    assert!(tools[0]["gap_types"].as_array().expect("gaps").iter().any(|g| g == "information"));
    assert!(!austria["challenges_between_levels"].as_array().expect("pairs").is_empty());
    let rows = csv_rows(&atlas(&db, &["governance", "--country", "AUT", "--format", "csv"]));
    assert!(rows.iter().any(|r| &r[2] == "(gap)"));
    assert!(rows.iter().filter(|r| &r[2] != "(gap)").all(|r| r[7].contains("http")));
    let table = stdout(&atlas(&db, &["governance", "--country", "Spain"]));
    assert!(table.contains("No integration competences"), "{table}");
    let out = atlas(&db, &["governance", "--country", "Narnia"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("AUT (Austria)"));
}

/// `glossary`: every acronym with what it stands for (or null where no source we hold spells it out), what it is,
/// its sources and tag; one line per term as text. Every acronym of the evidence having an entry is a data test
/// (atlas-core, `every_acronym_of_the_evidence_has_a_glossary_entry`) and a `check` rule.
#[test]
fn the_glossary_explains_every_acronym_with_its_sources() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("a.sqlite");
    let list = json(&atlas(&db, &["glossary", "--format", "json"]));
    let terms = list.as_array().expect("array");
    let term = |t: &str| terms.iter().find(|e| e["term"] == t).unwrap_or_else(|| panic!("{t} has an entry"));
    let ofii = term("OFII");
    assert_eq!(ofii["expansion"], "Office français de l'immigration et de l'intégration", "{ofii}");
    assert!(ofii["meaning"].as_str().expect("meaning").contains("integration contract"), "{ofii}");
    assert_eq!(ofii["confidence"], "oecd");
    assert!(ofii["sources"][0]["url"].as_str().expect("url").starts_with("https://"));
    let idos = term("IDOS");
    assert!(idos["expansion"].is_null(), "no source we hold spells IDOS out: {idos}");
    assert_eq!(term("CTAIR")["expansion"], "contrats territoriaux d'accueil et d'intégration des réfugiés");
    assert_eq!(term("ESOL")["expansion"], "English for Speakers of Other Languages");
    for e in terms {
        assert!(!e["sources"].as_array().expect("sources").is_empty() && e["confidence"] != "", "{e}");
        assert!(e["expansion"].is_null() || e["expansion"].as_str().is_some_and(|x| !x.is_empty()), "{e}");
    }
    let text = stdout(&atlas(&db, &["glossary"]));
    assert_eq!(text.lines().count(), terms.len());
    assert!(text.lines().any(|l| l.starts_with("IDOS: expansion unknown — ")), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with("OFII: Office français de l'immigration et de l'intégration — ")),
        "{text}"
    );
    assert!(text.lines().any(|l| l.starts_with("SFI: Swedish for Immigrants — ")), "{text}");
    let out = atlas(&db, &["glossary", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(2));
    // The governance note names the OECD's ten mapped countries with the page that names them.
    let austria = json(&atlas(&db, &["governance", "--country", "AUT", "--format", "json"]));
    assert!(austria["note"].as_str().expect("note").contains("New Zealand"));
    assert!(austria["note_sources"].as_array().expect("sources").iter().any(|s| s["tag"] == "oecd-other"));
}

#[test]
fn notes_export_in_the_three_formats() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("a.sqlite");
    assert!(stdout(&atlas(&db, &["notes"])).contains("(0 rows)"));
    let bundle = json(&atlas(&db, &["notes", "--format", "json"]));
    assert!(bundle["notes"].as_array().is_some(), "{bundle}");
    let csv = atlas(&db, &["notes", "--format", "csv"]);
    assert!(stdout(&csv).starts_with("uuid,record kind,record id"));
}

#[test]
fn the_surveys_say_who_when_and_how_many() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = stdout(&atlas(&dir.path().join("a.sqlite"), &["survey"]));
    assert!(text.contains("73 subnational governments"), "{text}");
    assert!(text.contains("July to September 2022"), "{text}");
}

#[test]
fn query_and_export_table_filter_alike() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("a.sqlite");
    let filter = ["--city", "Athens", "--gap", "funding", "--gap", "information"];
    let mut query = vec!["query", "challenges", "--format", "csv"];
    query.extend(filter);
    let mut export = vec!["export", "table", "explorer", "--kind", "challenges", "--out", "-"];
    export.extend(filter);
    let ids = |out: &Output| csv_rows(out).iter().map(|r| r[0].to_owned()).collect::<Vec<_>>();
    let (a, b) = (ids(&atlas(&db, &query)), ids(&atlas(&db, &export)));
    assert!(!a.is_empty());
    assert_eq!(a, b);
}

#[test]
fn a_format_a_command_cannot_write_is_refused_naming_the_ones_it_can() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = atlas(&dir.path().join("a.sqlite"), &["findings", "--format", "xlsx"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("table") && err.contains("csv") && err.contains("json"), "{err}");
}

#[test]
fn check_finds_a_finding_linked_to_a_missing_record() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("a.sqlite");
    assert!(stdout(&atlas(&db, &["check"])).starts_with("check: ok"));
    {
        let conn = rusqlite::Connection::open(&db).expect("sqlite");
        conn.execute(
            "INSERT INTO finding_links(finding_id, kind, target, ord) VALUES ('FND-01', 'challenge', 'C-XXX-99', 9)",
            [],
        )
        .expect("break it");
    }
    let out = atlas(&db, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("FND-01 links to challenge 'C-XXX-99'"), "{}", stdout(&out));
}
