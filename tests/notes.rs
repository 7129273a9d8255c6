//! Notes, codes, own records and bundles between two co-authors' databases.

use integration_atlas::store::Store;
use integration_atlas::store::bundle::{BundleError, ImportSummary, parse_bundle};
use integration_atlas::store::notes::{Code, Note, NoteStatus, UserRecord, UserSource, new_uuid, now};

fn db(dir: &tempfile::TempDir, name: &str) -> Store {
    Store::open(&dir.path().join(name)).expect("database opens")
}

fn note(target: &str, text: &str, author: &str) -> Note {
    let t = now();
    Note {
        uuid: new_uuid(),
        target_kind: integration_atlas::store::codings::TargetKind::Challenge,
        target_id: Some(target.into()),
        text: text.into(),
        author: author.into(),
        status: NoteStatus::Draft,
        created_at: t.clone(),
        updated_at: t,
        deleted_at: None,
        codes: vec![],
        base: None,
    }
}

fn code(name: &str, parent: Option<&str>) -> Code {
    let t = now();
    Code {
        uuid: new_uuid(),
        name: name.into(),
        parent: parent.map(Into::into),
        created_at: t.clone(),
        updated_at: t,
        deleted_at: None,
        color: None,
        description: None,
    }
}

fn live(store: &Store) -> Vec<Note> {
    store.notes().expect("notes").into_iter().filter(|n| n.deleted_at.is_none()).collect()
}

#[test]
fn notes_keep_their_codes_through_merge_and_delete() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = db(&dir, "a.sqlite");
    let housing = code("housing", None);
    let quotas = code("quotas", Some(&housing.uuid));
    let allocation = code("allocation", None);
    for c in [&housing, &quotas, &allocation] {
        store.save_code(c).expect("code");
    }
    let mut n = note("C-AMS-08", "Quota vs stock: check COA numbers", "Ana");
    n.codes = vec![quotas.uuid.clone(), housing.uuid.clone()];
    store.save_note(&n).expect("note");
    store.merge_codes(&quotas.uuid, &allocation.uuid).expect("merge");
    let saved = &live(&store)[0];
    assert!(saved.codes.contains(&allocation.uuid) && !saved.codes.contains(&quotas.uuid), "notes follow the merge");
    store.delete_code(&housing.uuid).expect("delete");
    let saved = &live(&store)[0];
    assert_eq!(saved.codes, vec![allocation.uuid.clone()], "the note keeps its other code");
    let codes = store.codes().expect("codes");
    assert!(codes.iter().find(|c| c.uuid == housing.uuid).expect("tombstone").deleted_at.is_some());
}

#[test]
fn bundles_merge_new_updated_conflicts_and_tombstones_and_are_idempotent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b) = (db(&dir, "ana.sqlite"), db(&dir, "ben.sqlite"));
    let c = code("funding", None);
    a.save_code(&c).expect("code");
    let mut one = note("C-ATH-01", "Donor money is project-bound", "Ana");
    one.codes = vec![c.uuid.clone()];
    let two = note("C-VIE-01", "5-year rule: check the 2018 change", "Ana");
    let three = note("C-BCN-02", "No national funding", "Ana");
    for n in [&one, &two, &three] {
        a.save_note(n).expect("note");
    }
    let record = UserRecord {
        uuid: new_uuid(),
        id: a.next_user_record_id(integration_atlas::model::EvidenceKind::Challenge).expect("id"),
        kind: integration_atlas::model::EvidenceKind::Challenge,
        city: Some("athens".into()),
        title: "Interpreters paid per project".into(),
        description: "Short contracts for interpreters.".into(),
        gap_type: Some("funding".into()),
        sources: vec![UserSource {
            url: Some("https://example.org/report".into()),
            citation: None,
            tag: "external".into(),
        }],
        author: "Ana".into(),
        created_at: now(),
        updated_at: now(),
        ..Default::default()
    };
    a.save_user_record(&record).expect("record");

    let bundle = a.export_bundle("Ana").expect("export");
    let first = b.import_bundle(&bundle).expect("import");
    assert_eq!(first, ImportSummary { new: 5, updated: 0, conflicts: 0, unchanged: 0 });
    assert_eq!(
        b.import_bundle(&bundle).expect("again"),
        ImportSummary { new: 0, updated: 0, conflicts: 0, unchanged: 5 }
    );
    assert_eq!(live(&b).len(), 3);
    assert_eq!(b.user_records().expect("records")[0].title, "Interpreters paid per project");

    // Ben edits note two and deletes note three; meanwhile Ana edits note one.
    std::thread::sleep(std::time::Duration::from_millis(5));
    let mut bens: Vec<Note> = live(&b);
    for n in &mut bens {
        n.updated_at = now();
        if n.uuid == two.uuid {
            n.text = "5-year rule: changed in 2018 (Ben)".into();
            n.status = NoteStatus::NeedsSource;
        }
        if n.uuid == three.uuid {
            n.deleted_at = Some(now());
        }
    }
    for n in &bens {
        b.save_note(n).expect("ben's edit");
    }
    let mut anas_one = live(&a).into_iter().find(|n| n.uuid == one.uuid).expect("one");
    anas_one.text = "Donor money is project-bound (Ana, checked)".into();
    anas_one.updated_at = now();
    a.save_note(&anas_one).expect("ana's edit");
    let bens_bundle = b.export_bundle("Ben").expect("ben exports");
    let back = a.import_bundle(&bens_bundle).expect("ana imports");
    assert_eq!((back.updated, back.conflicts), (2, 0), "{back}");
    let anas = a.notes().expect("notes");
    assert_eq!(anas.iter().find(|n| n.uuid == two.uuid).expect("two").text, "5-year rule: changed in 2018 (Ben)");
    assert!(anas.iter().find(|n| n.uuid == three.uuid).expect("three").deleted_at.is_some(), "the deletion travelled");
    assert_eq!(
        anas.iter().find(|n| n.uuid == one.uuid).expect("one").text,
        "Donor money is project-bound (Ana, checked)"
    );

    // Now both edit note one since their common version: keep ours, list theirs.
    let common = a.export_bundle("Ana").expect("sync");
    b.import_bundle(&common).expect("sync");
    let mut x = live(&a).into_iter().find(|n| n.uuid == one.uuid).expect("one");
    x.text = "Ana's second thought".into();
    x.updated_at = now();
    a.save_note(&x).expect("edit");
    let mut y = live(&b).into_iter().find(|n| n.uuid == one.uuid).expect("one");
    y.text = "Ben's second thought".into();
    y.updated_at = now();
    b.save_note(&y).expect("edit");
    let summary = a.import_bundle(&b.export_bundle("Ben").expect("export")).expect("import");
    assert_eq!(summary.conflicts, 1, "{summary}");
    assert_eq!(summary.to_string(), format!("0 new, 0 updated, 1 conflict, {} unchanged", summary.unchanged));
    let conflicts = a.conflicts().expect("conflicts");
    assert_eq!(conflicts[0].theirs.text, "Ben's second thought");
    assert_eq!(live(&a).into_iter().find(|n| n.uuid == one.uuid).expect("one").text, "Ana's second thought");
    // The same bundle again adds no second conflict.
    let again = a.import_bundle(&b.export_bundle("Ben").expect("export")).expect("import");
    assert_eq!(again.conflicts, 0);
    a.resolve_conflict(conflicts[0].id, &conflicts[0].theirs).expect("resolve");
    assert!(a.conflicts().expect("conflicts").is_empty());
}

#[test]
fn a_malformed_bundle_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = db(&dir, "a.sqlite");
    let path = dir.path().join("broken.json");
    std::fs::write(&path, "{\"format\": \"integration-atlas-bundle\", \"version\": 1, \"notes\": [ {\"uuid\": 3")
        .expect("write");
    let err = store.import_bundle_file(&path).expect_err("refused");
    assert!(matches!(err, BundleError::Malformed { .. }));
    let message = err.to_string();
    assert!(
        message.contains("broken.json") && message.contains("nothing was imported") && !message.contains('\n'),
        "{message}"
    );
    let bad_status = r#"{"format":"integration-atlas-bundle","version":1,"exported_at":"x","notes":[
        {"uuid":"u1","target_kind":"memo","target_id":null,"text":"t","author":"a","status":"done",
         "created_at":"x","updated_at":"x"}]}"#;
    let err = parse_bundle("b.json", bad_status).expect_err("refused");
    assert!(err.to_string().contains("status \"done\""), "{err}");
    let other = r#"{"format":"something-else","version":1,"exported_at":"x"}"#;
    assert!(parse_bundle("c.json", other).is_err());
    assert!(store.notes().expect("notes").is_empty(), "nothing was written");
}
