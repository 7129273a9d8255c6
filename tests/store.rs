//! The store: seeding real content, refusing bad files untouched, keeping user rows across re-opening and refresh.

use integration_atlas::analysis::{EvidenceFilter, Facet};
use integration_atlas::model::EvidenceKind;
use integration_atlas::store::{OpenOutcome, Store, StoreError};

fn fresh() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("atlas.sqlite")).expect("a new database opens");
    (dir, store)
}

#[test]
fn first_open_creates_and_seeds_a_database_that_passes_check() {
    let (_dir, store) = fresh();
    assert_eq!(store.outcome(), &OpenOutcome::Created);
    assert_eq!(store.check().expect("check runs"), vec![]);
    let counts = store.counts().expect("counts");
    let rows = |t: &str| counts.tables.iter().find(|(n, _)| n == t).map(|(_, n)| *n).unwrap_or(-1);
    assert_eq!(rows("cities"), 10);
    assert_eq!(rows("checklist_objectives"), 12);
    assert_eq!(rows("checklist_blocks"), 4);
    assert_eq!(rows("regions"), 333);
    assert_eq!(rows("region_values"), 2331);
    assert_eq!(rows("survey_respondents"), 72);
    let challenges = counts.by_tag.iter().find(|t| t.kind == "challenge").expect("challenge counts");
    // evidence.md §6: 40 with OECD case-study text, 7 OECD-via only, 37 external or other OECD.
    assert_eq!((challenges.total, challenges.oecd, challenges.oecd_via), (84, 40, 7));
    assert_eq!(challenges.oecd_other + challenges.external, 37);
    let practices = counts.by_tag.iter().find(|t| t.kind == "practice").expect("practice counts");
    assert_eq!((practices.total, practices.oecd, practices.oecd_via), (100, 40, 21));
}

#[test]
fn vienna_unemployment_and_gothenburg_migrant_background_are_the_published_values() {
    let (_dir, store) = fresh();
    let atlas = store.load_atlas().expect("atlas loads");
    let vienna = atlas
        .region_values
        .iter()
        .find(|v| v.region == "AT13" && v.indicator == "Unemp")
        .expect("Vienna has an unemployment row");
    assert_eq!(vienna.fb.map(|v| (v * 10.0).round() / 10.0), Some(13.5));
    assert_eq!(vienna.comparison.map(|v| (v * 10.0).round() / 10.0), Some(8.7));
    let gothenburg = atlas.city("gothenburg").expect("Gothenburg");
    assert_eq!(gothenburg.region_code, "SE23");
    assert!(gothenburg.local_names.iter().any(|n| n == "Göteborg"));
    let background = gothenburg
        .figures
        .iter()
        .find(|f| f.label.to_lowercase().contains("parent born abroad"))
        .expect("Gothenburg's migrant-background figure");
    assert_eq!(background.value, Some(34.0));
    assert_eq!(background.unit.as_deref(), Some("%"));
    assert!(!background.sources.is_empty());
}

#[test]
fn glasgow_is_external_context_only_and_objective_12_is_marked_unverified() {
    let (_dir, store) = fresh();
    let atlas = store.load_atlas().expect("atlas loads");
    let glasgow = atlas.city("glasgow").expect("Glasgow");
    assert!(!glasgow.oecd_case_study_available);
    assert!(glasgow.findings.is_empty() && glasgow.recommendations.is_empty());
    let all_external = glasgow.figures.iter().flat_map(|f| &f.sources).all(|s| s.tag == "external");
    assert!(all_external, "Glasgow's figures rest on external context only");
    let twelve = atlas.objectives.iter().find(|o| o.number == 12).expect("objective 12");
    assert_eq!(twelve.wording_status, "never-seen");
    let eleven = atlas.objectives.iter().find(|o| o.number == 11).expect("objective 11");
    assert_eq!(eleven.wording_status, "ending-unverified");
}

/// The funding rows of `evidence.md` §1, as the notes code them.
const FUNDING_CHALLENGES: [&str; 10] = [
    "C-AMS-06", "C-ATH-01", "C-ATH-04", "C-ATH-05", "C-ATH-10", "C-BCN-02", "C-GOT-11", "C-VIE-03", "C-VIE-05",
    "C-ALT-01",
];

#[test]
fn funding_filter_returns_exactly_the_funding_rows_of_the_evidence_table() {
    let (_dir, store) = fresh();
    let atlas = store.load_atlas().expect("atlas loads");
    let mut filter = EvidenceFilter::default();
    filter.add(Facet::Kind, "challenge");
    filter.add(Facet::Gap, "funding");
    let ids: Vec<&str> =
        filter.apply(&atlas.evidence, None).into_iter().map(|i| atlas.evidence[i].id.as_str()).collect();
    assert_eq!(ids, FUNDING_CHALLENGES);
    // Cross-check against the research notes when they sit beside the project (they do in CI).
    if let Ok(notes) = std::fs::read_to_string("../shared/research/evidence.md") {
        let from_notes: Vec<&str> = notes
            .lines()
            .filter(|l| l.starts_with("| C-"))
            .filter(|l| l.split(" | ").nth(4) == Some("funding"))
            .filter_map(|l| l.trim_start_matches("| ").split(" | ").next())
            .collect();
        assert_eq!(ids, from_notes);
    }
}

#[test]
fn search_folds_accents_and_ignores_query_syntax() {
    let (_dir, store) = fresh();
    let hits = store.search_ids("practice", "goteborg").expect("search runs").expect("has terms");
    assert!(!hits.is_empty() && hits.iter().all(|id| id.starts_with("P-GOT")), "{hits:?}");
    let hits = store.search_ids("city", "wien").expect("search runs").expect("has terms");
    assert!(hits.contains("vienna"));
    // FTS5 syntax typed by a user is only words to us.
    assert!(store.search_ids("challenge", "\"funding\" OR (NEAR").expect("no syntax error").is_some());
    assert_eq!(store.search_ids("challenge", "*** ()").expect("no syntax error"), None);
}

#[test]
fn reopening_and_refreshing_keep_user_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("atlas.sqlite");
    {
        let store = Store::open(&path).expect("create");
        store
            .connection()
            .execute(
                "INSERT INTO notes(uuid, target_kind, target_id, text, author, status, created_at, updated_at)
                 VALUES ('n-1', 'challenge', 'C-VIE-01', 'check the 5-year rule', 'Ana', 'draft', 't', 't')",
                [],
            )
            .expect("a user row");
    }
    {
        let store = Store::open(&path).expect("re-open");
        assert_eq!(store.outcome(), &OpenOutcome::Opened);
        // Pretend the database was seeded by another dataset version: the next open refreshes reference tables.
        store.connection().execute("UPDATE meta SET value = 'old' WHERE key = 'dataset_hash'", []).expect("stamp");
        store.connection().execute("DELETE FROM evidence_levels WHERE evidence_id = 'C-AMS-01'", []).expect("edit");
    }
    let store = Store::open(&path).expect("re-open after a dataset change");
    assert_eq!(store.outcome(), &OpenOutcome::Refreshed { from: "old".to_owned() });
    let note: String = store
        .connection()
        .query_row("SELECT text FROM notes WHERE uuid = 'n-1'", [], |r| r.get(0))
        .expect("the user's note survived");
    assert_eq!(note, "check the 5-year rule");
    assert_eq!(store.check().expect("check"), vec![]);
    let atlas = store.load_atlas().expect("atlas");
    let ams = atlas.evidence.iter().find(|e| e.id == "C-AMS-01").expect("C-AMS-01");
    assert_eq!(ams.levels, ["national", "municipal"], "reference rows were refilled");
    assert_eq!(atlas.evidence.iter().filter(|e| e.kind == EvidenceKind::Challenge).count(), 84);
}

fn refused_untouched(bytes: &[u8]) -> StoreError {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("other.sqlite");
    std::fs::write(&path, bytes).expect("write fixture");
    let err = match Store::open(&path) {
        Ok(_) => panic!("a bad file was opened"),
        Err(e) => e,
    };
    assert_eq!(std::fs::read(&path).expect("file still there"), bytes, "the file was changed");
    let message = err.to_string();
    assert!(!message.contains('\n'), "one line: {message}");
    assert!(message.contains("other.sqlite"), "names the file: {message}");
    err
}

#[test]
fn a_garbage_file_is_refused_untouched() {
    let err = refused_untouched(b"this is not a database, just some notes\n");
    assert!(matches!(err, StoreError::NotSqlite { .. }), "{err}");
    let err = refused_untouched(b"");
    assert!(matches!(err, StoreError::Empty { .. }), "{err}");
}

#[test]
fn another_programs_database_and_a_newer_schema_are_refused_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let foreign = dir.path().join("foreign.sqlite");
    {
        let conn = rusqlite::Connection::open(&foreign).expect("sqlite");
        conn.execute_batch("CREATE TABLE recipes(name TEXT); INSERT INTO recipes VALUES ('soup');").expect("fill");
    }
    let err = refused_untouched(&std::fs::read(&foreign).expect("read"));
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");

    let newer = dir.path().join("newer.sqlite");
    drop(Store::open(&newer).expect("create"));
    {
        let conn = rusqlite::Connection::open(&newer).expect("sqlite");
        conn.pragma_update(None, "journal_mode", "delete").expect("leave WAL so the file is self-contained");
        conn.pragma_update(None, "user_version", 99).expect("bump");
    }
    let err = refused_untouched(&std::fs::read(&newer).expect("read"));
    assert!(matches!(err, StoreError::NewerSchema { found: 99, .. }), "{err}");
}

#[test]
fn a_path_in_a_missing_folder_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("no-such-folder").join("atlas.sqlite");
    let err = Store::open(&path).err().expect("refused");
    assert!(matches!(err, StoreError::MissingFolder { .. }), "{err}");
    assert!(!path.exists());
}
