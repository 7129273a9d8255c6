//! Text codings, REFI-QDA exchange (.qdc / .qdpx) and agreement between coders, as an author would meet them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use integration_atlas::analysis::agreement::{self, Level};
use integration_atlas::annotate::Workspace;
use integration_atlas::annotate::codings::{gap_code_uuid, objective_code_uuid, text_of};
use integration_atlas::qda;
use integration_atlas::store::Store;
use integration_atlas::store::codings::{Anchor, Coding, anchor, char_slice};
use integration_atlas::store::notes::{UserRecord, UserSource};

fn db(dir: &tempfile::TempDir, name: &str) -> Store {
    Store::open(&dir.path().join(name)).expect("database opens")
}

fn workspace(store: &Store, author: &str) -> Workspace {
    let mut ws = Workspace::load(store).expect("workspace");
    ws.set_author(store, author).expect("author");
    ws
}

/// The characters of `needle` in `text`, as a coding range.
fn range(text: &str, needle: &str) -> (i64, i64) {
    let b = text.find(needle).expect("needle in text");
    let start = text[..b].chars().count() as i64;
    (start, start + needle.chars().count() as i64)
}

fn live(codings: &[Coding]) -> Vec<Coding> {
    let mut v: Vec<Coding> = codings.iter().filter(|c| c.deleted_at.is_none()).cloned().collect();
    v.sort_by(|a, b| a.uuid.cmp(&b.uuid));
    v
}

/// What must survive an exchange: everything but the update time.
fn identity(c: &Coding) -> (String, String, String, String, i64, i64, String, String, String, String) {
    (
        c.uuid.clone(),
        c.code.clone(),
        c.target_kind.as_str().to_owned(),
        c.target_id.clone(),
        c.start,
        c.end,
        c.text_hash.clone(),
        c.excerpt.clone(),
        c.author.clone(),
        c.created_at.clone(),
    )
}

/// A code as the tests compare it: uuid, name, parent, colour, description.
type CodeIdentity = (String, String, Option<String>, Option<String>, Option<String>);

fn code_identity(store: &Store) -> Vec<CodeIdentity> {
    let mut v: Vec<_> = store
        .codes()
        .expect("codes")
        .into_iter()
        .filter(|c| c.deleted_at.is_none())
        .map(|c| (c.uuid, c.name, c.parent, c.color, c.description))
        .collect();
    v.sort();
    v
}

/// A database with the ready codebook, a code of the author's own with an accented name, and passages coded in a
/// challenge, a practice, a city finding and a note.
fn coded_database(dir: &tempfile::TempDir, name: &str) -> Store {
    let store = db(dir, name);
    let atlas = store.load_atlas().expect("atlas");
    let mut ws = workspace(&store, "Zoë Dvořáková");
    assert_eq!(ws.insert_oecd_codebook(&store, &atlas), 7 + 1 + 12 + 4 + 1, "gap types, checklist, blocks");
    assert_eq!(ws.insert_oecd_codebook(&store, &atlas), 0, "the ready codebook goes in once");
    let own = ws.add_code(&store, "Språk & tolkning (Γλώσσα)", Some(&gap_code_uuid("capacity"))).expect("code");
    ws.set_code_color(&store, &own, Some("#AA3377"));
    ws.set_code_description(&store, &own, "Tolkar saknas; chybí tlumočníci; λείπουν διερμηνείς.");
    let texts = [
        (
            integration_atlas::store::codings::TargetKind::Challenge,
            "C-AMS-02",
            "early acquisition of language and social norms",
            own.clone(),
        ),
        (
            integration_atlas::store::codings::TargetKind::Challenge,
            "C-AMS-01",
            "their objectives have not always matched",
            gap_code_uuid("objective"),
        ),
    ];
    for (kind, id, needle, code) in texts {
        let text = text_of(&atlas, &ws.records, &ws.notes, kind, id).expect("record text");
        let (s, e) = range(&text, needle);
        assert_eq!(
            ws.apply_codes(&store, &[code.as_str(), objective_code_uuid(1).as_str()], kind, id, &text, s, e).len(),
            2
        );
    }
    let finding = atlas.cities.iter().find_map(|c| c.findings.first()).expect("a finding");
    let n = finding.text.chars().count() as i64;
    ws.apply_codes(
        &store,
        &[gap_code_uuid("funding").as_str()],
        integration_atlas::store::codings::TargetKind::CityText,
        &finding.id,
        &finding.text,
        0,
        n.min(20),
    );
    let note = ws.add_note(&store, integration_atlas::store::codings::TargetKind::Challenge, Some("C-AMS-02"));
    ws.edit_text(&note, "Göteborg och Αθήνα gör likadant; Česko ne.");
    ws.flush(&store, true);
    ws.toggle_code(&store, &note, &own);
    let note_text = ws.notes.iter().find(|x| x.uuid == note).expect("note").text.clone();
    let (s, e) = range(&note_text, "Αθήνα");
    ws.apply_codes(
        &store,
        &[own.as_str()],
        integration_atlas::store::codings::TargetKind::Note,
        &note,
        &note_text,
        s,
        e,
    );
    store
}

fn zip_dir(dir: &Path, to: &Path) {
    let file = std::fs::File::create(to).expect("zip file");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).expect("inside").to_string_lossy().replace('\\', "/");
                zip.start_file(name, options).expect("start");
                zip.write_all(&std::fs::read(&path).expect("read")).expect("write");
            }
        }
    }
    zip.finish().expect("finish");
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/qda").join(name)
}

fn project_qde(qdpx: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(qdpx).expect("open")).expect("zip");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("project.qde").expect("project.qde"), &mut text).expect("read");
    text
}

fn validate(qde: &str, dir: &tempfile::TempDir) {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/refi-qda/Project.xsd");
    assert!(schema.exists(), "the REFI-QDA schema sits at ../shared/refi-qda/Project.xsd");
    let file = dir.path().join("project.qde");
    std::fs::write(&file, qde).expect("write");
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(&file)
        .output()
        .expect("xmllint runs (Debian package libxml2-utils)");
    assert!(out.status.success(), "project.qde does not validate: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn an_exported_project_validates_and_reimports_identically() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = coded_database(&dir, "a.sqlite");
    let qdpx = dir.path().join("Atlas coding.qdpx");
    let line = qda::export_file(&a, &qdpx, "Zoë Dvořáková").expect("export");
    assert!(line.contains("6 coded passages"), "{line}");
    let qde = project_qde(&qdpx);
    validate(&qde, &dir);
    assert!(qde.contains("Språk &amp; tolkning (Γλώσσα)") && qde.contains("color=\"#aa3377\""), "accents and colour");
    assert!(qde.contains("https://"), "records carry their source URLs");

    // Into a fresh database: the same codes and codings, accents and all.
    let b = db(&dir, "b.sqlite");
    let (summary, plan) = qda::import_file(&b, &qdpx, false).expect("import");
    assert_eq!(summary.codings_added, 6, "{summary}");
    assert!(plan.foreign_sources.is_empty(), "every source is an atlas record");
    assert_eq!(code_identity(&a), code_identity(&b));
    let (ca, cb) = (live(&a.codings().expect("a")), live(&b.codings().expect("b")));
    assert_eq!(ca.iter().map(identity).collect::<Vec<_>>(), cb.iter().map(identity).collect::<Vec<_>>());
    let note_b = b.notes().expect("notes").into_iter().find(|n| n.text.starts_with("Göteborg")).expect("note");
    assert_eq!((note_b.target_kind.as_str(), note_b.target_id.as_deref()), ("challenge", Some("C-AMS-02")));
    assert_eq!(note_b.codes.len(), 1, "the note's own code came back");

    // Again: everything matches, nothing is added.
    let (again, _) = qda::import_file(&b, &qdpx, false).expect("again");
    assert_eq!((again.codes_added, again.codings_added, again.notes_added), (0, 0, 0), "{again}");

    // Exporting again gives the same GUIDs (the other tool updates rather than duplicates).
    let qdpx2 = dir.path().join("again.qdpx");
    qda::export_file(&a, &qdpx2, "Zoë Dvořáková").expect("export again");
    let guids = |t: &str| -> Vec<String> {
        let mut v: Vec<String> = t.split("guid=\"").skip(1).map(|s| s[..36].to_owned()).collect();
        v.sort();
        v
    };
    assert_eq!(guids(&qde), guids(&project_qde(&qdpx2)));
}

#[test]
fn a_codebook_exports_and_an_nvivo_style_codebook_imports() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = coded_database(&dir, "a.sqlite");
    let qdc = dir.path().join("codes.qdc");
    qda::export_file(&a, &qdc, "Zoë").expect("export");
    let b = db(&dir, "b.sqlite");
    let (s, _) = qda::import_file(&b, &qdc, false).expect("import own codebook");
    assert_eq!((s.codes_added, s.codings_added), (26, 0));
    assert_eq!(code_identity(&a), code_identity(&b));

    let nvivo = fixture("nvivo-codebook.qdc");
    let (s, plan) = qda::import_file(&b, &nvivo, false).expect("import NVivo codebook");
    // "Gap types" matches ours by name; "funding" under it too; two codes are new.
    assert_eq!((s.codes_added, s.codes_matched), (2, 2), "{s}");
    assert_eq!(plan.skipped.len(), 1, "the code set is reported: {:?}", plan.skipped);
    let codes = b.codes().expect("codes");
    let kapacita = codes.iter().find(|c| c.name == "Kapacita & kompetens").expect("accented code");
    assert_eq!(kapacita.color.as_deref(), Some("#9467bd"));
    let gap_root = codes.iter().find(|c| c.name == "Gap types").expect("root");
    assert_eq!(kapacita.parent.as_deref(), Some(gap_root.uuid.as_str()), "the tree is kept");
    let trust = codes.iter().find(|c| c.name == "Εμπιστοσύνη").expect("Greek code");
    assert_eq!(trust.uuid, "8a1f3e20-5b6c-4d7e-9f80-a1b2c3d4e5f9", "braced GUIDs are read");
    let (s, _) = qda::import_file(&b, &nvivo, false).expect("again");
    assert_eq!((s.codes_added, s.codes_matched), (0, 4), "{s}");
}

#[test]
fn a_qualcoder_style_project_brings_codes_codings_and_notes_on_atlas_records() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = db(&dir, "a.sqlite");
    let qdpx = dir.path().join("interviews.qdpx");
    zip_dir(&fixture("qualcoder-project"), &qdpx);
    let before = store.codings().expect("codings").len();
    let (check, _) = qda::import_file(&store, &qdpx, true).expect("check");
    assert_eq!(store.codings().expect("codings").len(), before, "--check writes nothing");
    let (s, plan) = qda::import_file(&store, &qdpx, false).expect("import");
    assert_eq!(s, check);
    assert_eq!((s.codes_added, s.codings_added, s.notes_added, s.foreign_sources), (4, 2, 2, 1), "{s}");
    assert_eq!(plan.foreign_sources[0].name, "Intervju Göteborg 2019");
    assert_eq!(plan.foreign_sources[0].codings, 2);
    assert!(plan.foreign_sources[0].text.as_deref().is_some_and(|t| t.contains("Ελληνική")));
    assert!(plan.skipped.iter().any(|l| l.contains("picture")), "{:?}", plan.skipped);

    // The passages sit where they read in the atlas' own text (the file's text had a heading before it).
    let atlas = store.load_atlas().expect("atlas");
    let text =
        text_of(&atlas, &[], &[], integration_atlas::store::codings::TargetKind::Challenge, "C-AMS-02").expect("text");
    let codings = live(&store.codings().expect("codings"));
    for c in &codings {
        assert_eq!(c.target_id, "C-AMS-02");
        assert_eq!(char_slice(&text, c.start, c.end).as_deref(), Some(c.excerpt.as_str()));
        assert_eq!(anchor(c, Some(&text)), Anchor::Current);
    }
    let authors: Vec<&str> = codings.iter().map(|c| c.author.as_str()).collect();
    assert!(authors.contains(&"Zoë Dvořáková") && authors.contains(&"Åsa Lindström"), "{authors:?}");
    let notes = store.notes().expect("notes");
    let linked = notes.iter().find(|n| n.text.starts_with("Språket")).expect("linked note");
    assert_eq!((linked.target_kind.as_str(), linked.target_id.as_deref()), ("challenge", Some("C-AMS-02")));
    let memo = notes.iter().find(|n| n.text.starts_with("Αξίζει")).expect("memo");
    assert_eq!(memo.target_kind.as_str(), "memo");
    assert_eq!(memo.author, "Zoë Dvořáková");
}

#[test]
fn malformed_and_foreign_files_are_refused_in_one_line_and_write_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = db(&dir, "a.sqlite");
    let count = |s: &Store| (s.codes().expect("codes").len(), s.codings().expect("codings").len());
    let before = count(&store);
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).expect("write");
        p
    };
    let mut cases = vec![
        (write("garbage.qdpx", b"not a zip at all"), "not a zip archive"),
        (write("html.qdc", b"<html><body>hi</body></html>"), "root element is <html>"),
        (write("broken.qdc", b"<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes><Code"), "not well-formed"),
        (
            write("foreign.qdc", b"<CodeBook xmlns=\"urn:example:other\"><Codes/></CodeBook>"),
            "not a REFI-QDA namespace",
        ),
        (
            write(
                "noguid.qdc",
                "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes><Code name=\"Ω\" isCodable=\"true\"/>\
                 <Code guid=\"not-a-guid\" name=\"x\" isCodable=\"true\"/></Codes></CodeBook>"
                    .as_bytes(),
            ),
            "without a valid guid",
        ),
        (write("notes.txt", b"hello"), "must end in .qdpx"),
    ];
    let empty_zip = dir.path().join("empty.qdpx");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&empty_zip).expect("zip"));
        z.start_file("readme.txt", zip::write::SimpleFileOptions::default()).expect("start");
        z.write_all(b"nothing here").expect("write");
        z.finish().expect("finish");
    }
    cases.push((empty_zip, "no project.qde"));
    for (path, expected) in cases {
        let err = qda::import_file(&store, &path, false).expect_err("refused").to_string();
        assert!(err.contains(expected), "{err}");
        assert!(!err.contains('\n'), "one line: {err}");
        assert_eq!(count(&store), before, "nothing written for {}", path.display());
    }
}

#[test]
fn a_zip_bomb_stops_at_the_limit() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = db(&dir, "a.sqlite");
    let bomb = dir.path().join("bomb.qdpx");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&bomb).expect("zip"));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        z.start_file("project.qde", options).expect("start");
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..(qda::MAX_ENTRY_BYTES >> 20) + 1 {
            z.write_all(&chunk).expect("write");
        }
        z.finish().expect("finish");
    }
    assert!(std::fs::metadata(&bomb).expect("meta").len() < 1 << 20, "small on disk");
    let err = qda::import_file(&store, &bomb, false).expect_err("refused").to_string();
    assert!(err.contains("unpacks to more than"), "{err}");
}

#[test]
fn codings_undo_like_notes_and_travel_in_bundles_with_each_author_apart() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = db(&dir, "a.sqlite");
    let atlas = a.load_atlas().expect("atlas");
    let mut ana = workspace(&a, "Ana");
    ana.insert_oecd_codebook(&a, &atlas);
    let text =
        text_of(&atlas, &[], &[], integration_atlas::store::codings::TargetKind::Challenge, "C-AMS-01").expect("text");
    let (s, e) = range(&text, "objectives have not always matched");
    let funding = gap_code_uuid("funding");
    let objective = gap_code_uuid("objective");
    let added = ana.apply_codes(
        &a,
        &[objective.as_str()],
        integration_atlas::store::codings::TargetKind::Challenge,
        "C-AMS-01",
        &text,
        s,
        e,
    );
    assert_eq!(added.len(), 1);
    assert_eq!(ana.coding_count(&objective), 1);
    assert_eq!(ana.coding_count_with_children(&integration_atlas::annotate::codings::gap_root_uuid()), 1);
    assert!(ana.undo(&a));
    assert_eq!(ana.coding_count(&objective), 0);
    assert!(live(&a.codings().expect("codings")).is_empty(), "undo reaches the store");
    assert!(ana.redo(&a));
    assert_eq!(live(&a.codings().expect("codings")).len(), 1);
    assert_eq!(
        a.excerpts_for_code(&objective, false).expect("excerpts")[0].excerpt,
        "objectives have not always matched"
    );

    // Björn starts from Ana's bundle, codes the same record his own way, and sends his bundle back.
    let bundle_a = dir.path().join("ana.json");
    std::fs::write(&bundle_a, serde_json::to_string(&a.export_bundle("Ana").expect("bundle")).expect("json"))
        .expect("w");
    let b = db(&dir, "b.sqlite");
    b.import_bundle_file(&bundle_a).expect("import");
    let mut bjorn = workspace(&b, "Björn");
    bjorn.apply_codes(
        &b,
        &[funding.as_str()],
        integration_atlas::store::codings::TargetKind::Challenge,
        "C-AMS-01",
        &text,
        s,
        e,
    );
    let text2 =
        text_of(&atlas, &[], &[], integration_atlas::store::codings::TargetKind::Challenge, "C-AMS-02").expect("text");
    let (s2, e2) = range(&text2, "early acquisition");
    bjorn.apply_codes(
        &b,
        &[funding.as_str()],
        integration_atlas::store::codings::TargetKind::Challenge,
        "C-AMS-02",
        &text2,
        s2,
        e2,
    );
    ana.apply_codes(
        &a,
        &[funding.as_str()],
        integration_atlas::store::codings::TargetKind::Challenge,
        "C-AMS-02",
        &text2,
        s2,
        e2,
    );
    let bundle_b = dir.path().join("bjorn.json");
    std::fs::write(&bundle_b, serde_json::to_string(&b.export_bundle("Björn").expect("bundle")).expect("json"))
        .expect("w");
    let summary = a.import_bundle_file(&bundle_b).expect("import back");
    assert_eq!(summary.new, 2, "{summary}");
    let all = live(&a.codings().expect("codings"));
    assert_eq!(all.len(), 4, "each author's codings stay apart");

    // Agreement: C-AMS-02 agrees, C-AMS-01 does not.
    let coders = agreement::coders(&all);
    assert_eq!(coders, vec!["Ana".to_owned(), "Björn".to_owned()]);
    let r = agreement::compare(&all, &coders, &[], Level::Record);
    assert_eq!(r.disagreements.len(), 1);
    assert_eq!(r.disagreements[0].unit.target_id, "C-AMS-01");
    // Resolve by merging both into a new code: one undoable step.
    ana.reload(&a).expect("reload");
    let new_code = ana
        .resolve_merge_into_new_code(&a, &r.disagreements[0].all_codings(), "objective or funding", None)
        .expect("code");
    let all = live(&a.codings().expect("codings"));
    assert_eq!(all.iter().filter(|c| c.code == new_code).count(), 2);
    let r = agreement::compare(&all, &coders, &[], Level::Record);
    assert!(r.disagreements.is_empty());
    assert_eq!(r.overall.percent_agreement, Some(1.0));
    assert!(ana.undo(&a));
    assert_eq!(
        agreement::compare(&live(&a.codings().expect("c")), &coders, &[], Level::Passage).disagreements.len(),
        1
    );
}

#[test]
fn own_records_travel_as_sources_and_their_codings_come_back_where_the_record_is() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = db(&dir, "a.sqlite");
    let atlas = a.load_atlas().expect("atlas");
    let mut ws = workspace(&a, "Ana");
    ws.insert_oecd_codebook(&a, &atlas);
    let record = UserRecord {
        uuid: "3b0c3a52-0d5e-4a57-9d62-0f3c1b2a4e11".into(),
        kind: integration_atlas::model::EvidenceKind::Challenge,
        city: Some(atlas.cities[0].id.clone()),
        title: "Tolkar saknas".into(),
        description: "Kommunen saknar tolkar; chybí tlumočníci; λείπουν διερμηνείς.".into(),
        sources: vec![UserSource {
            url: Some("https://example.org/report".into()),
            citation: None,
            tag: "external".into(),
        }],
        author: "Ana".into(),
        ..UserRecord::default()
    };
    ws.save_record(&a, record.clone());
    let (s, e) = range(&record.description, "chybí tlumočníci");
    ws.apply_codes(
        &a,
        &[gap_code_uuid("capacity").as_str()],
        integration_atlas::store::codings::TargetKind::UserRecord,
        &record.uuid,
        &record.description,
        s,
        e,
    );
    let qdpx = dir.path().join("own.qdpx");
    qda::export_file(&a, &qdpx, "Ana").expect("export");
    let qde = project_qde(&qdpx);
    validate(&qde, &dir);
    assert!(qde.contains("U-C-0001 Tolkar saknas"));

    // A fresh database lists the record as a foreign source; one that holds it (via a bundle) takes the coding.
    let b = db(&dir, "b.sqlite");
    let (s1, plan) = qda::import_file(&b, &qdpx, true).expect("check");
    assert_eq!(s1.foreign_sources, 1);
    assert_eq!(plan.foreign_sources[0].text.as_deref(), Some(record.description.as_str()));
    let bundle = dir.path().join("ana.json");
    let mut exported = a.export_bundle("Ana").expect("bundle");
    exported.codings.clear();
    std::fs::write(&bundle, serde_json::to_string(&exported).expect("json")).expect("write");
    b.import_bundle_file(&bundle).expect("bundle");
    let (s2, _) = qda::import_file(&b, &qdpx, false).expect("import");
    assert_eq!((s2.codings_added, s2.foreign_sources), (1, 0), "{s2}");
    let c = &live(&b.codings().expect("codings"))[0];
    assert_eq!((c.target_kind.as_str(), c.excerpt.as_str()), ("user_record", "chybí tlumočníci"));
}

#[test]
fn the_command_line_exports_checks_and_imports() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("a.sqlite");
    drop(coded_database(&dir, "a.sqlite"));
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_integration-atlas")).arg("--db").arg(&path).args(args).output().expect("runs")
    };
    let qdpx = dir.path().join("out.qdpx");
    let out = run(&["qda", "export", qdpx.to_str().expect("utf8"), "--author", "Åsa"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("project written"));
    let out = run(&["qda", "import", qdpx.to_str().expect("utf8"), "--check"]);
    assert!(out.status.success());
    let line = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(line.contains("would import: codes: 0 added, 26 matched; coded passages: 0 added, 6 matched"), "{line}");
    let bad = dir.path().join("bad.qdpx");
    std::fs::write(&bad, b"nope").expect("write");
    let out = run(&["qda", "import", bad.to_str().expect("utf8")]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("bad.qdpx") && err.contains("nothing was imported"), "{err}");
    let out = run(&["qda", "export", dir.path().join("x.pdf").to_str().expect("utf8")]);
    assert_eq!(out.status.code(), Some(1));
    let empty = dir.path().join("empty.sqlite");
    let out = Command::new(env!("CARGO_BIN_EXE_integration-atlas"))
        .arg("--db")
        .arg(&empty)
        .args(["qda", "export", dir.path().join("none.qdc").to_str().expect("utf8")])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "an empty codebook is not a valid .qdc");
    assert!(!dir.path().join("none.qdc").exists(), "nothing written");
}

#[test]
fn a_dataset_refresh_that_changes_a_text_keeps_the_coding_and_flags_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("a.sqlite");
    let (moved, lost);
    {
        let store = Store::open(&path).expect("create");
        let atlas = store.load_atlas().expect("atlas");
        let mut ws = workspace(&store, "Ana");
        ws.insert_oecd_codebook(&store, &atlas);
        // Pretend both passages were coded on an older version of the text that had an introduction before it
        // and a sentence that has since gone.
        let text = text_of(&atlas, &[], &[], integration_atlas::store::codings::TargetKind::Challenge, "C-AMS-01")
            .expect("text");
        let old = format!("Introduction. {text} A sentence since removed.");
        let (s, e) = range(&old, "objectives have not always matched");
        moved = ws.apply_codes(
            &store,
            &[gap_code_uuid("objective").as_str()],
            integration_atlas::store::codings::TargetKind::Challenge,
            "C-AMS-01",
            &old,
            s,
            e,
        );
        let (s, e) = range(&old, "since removed");
        lost = ws.apply_codes(
            &store,
            &[gap_code_uuid("funding").as_str()],
            integration_atlas::store::codings::TargetKind::Challenge,
            "C-AMS-01",
            &old,
            s,
            e,
        );
        store.connection().execute("UPDATE meta SET value = 'old' WHERE key = 'dataset_hash'", []).expect("stamp");
    }
    let store = Store::open(&path).expect("refresh");
    assert!(matches!(store.outcome(), integration_atlas::store::OpenOutcome::Refreshed { .. }));
    let atlas = store.load_atlas().expect("atlas");
    let mut ws = workspace(&store, "Ana");
    assert_eq!(live(&ws.codings).len(), 2, "the refresh kept both codings");
    let review = ws.codings_to_review(&atlas);
    let text =
        text_of(&atlas, &[], &[], integration_atlas::store::codings::TargetKind::Challenge, "C-AMS-01").expect("text");
    let (s, e) = range(&text, "objectives have not always matched");
    let find = |uuid: &str| review.iter().find(|(c, _)| c.uuid == uuid).map(|(_, a)| a.clone()).expect("flagged");
    assert_eq!(find(&moved[0]), Anchor::Moved { start: s, end: e });
    assert_eq!(find(&lost[0]), Anchor::NeedsReview);
    assert!(ws.reanchor_coding(&store, &moved[0], &text, s, e));
    assert_eq!(ws.codings_to_review(&atlas).len(), 1, "only the lost passage is left to review");
}

/// The standalone codebook schema of the REFI-QDA standard (its section 5.2, kept with the atlas-qda crate): the
/// codes, then the code groups as `<Sets>`.
#[test]
fn an_exported_codebook_validates_against_the_codebook_schema_with_its_sets() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = coded_database(&dir, "a.sqlite");
    let qdc = dir.path().join("codes.qdc");
    qda::export_file(&a, &qdc, "Zoë").expect("export");
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/atlas-qda/schema/Codebook.xsd");
    let out =
        Command::new("xmllint").arg("--noout").arg("--schema").arg(&schema).arg(&qdc).output().expect("xmllint runs");
    assert!(out.status.success(), "{}: {}", qdc.display(), String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&qdc).expect("read");
    assert!(text.contains("<Sets>") && text.contains("name=\"Gap types\""), "the code groups as sets");
}

#[test]
fn a_bundle_whose_coding_names_a_code_it_does_not_carry_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = coded_database(&dir, "a.sqlite");
    let mut bundle = a.export_bundle("Zoë").expect("bundle");
    bundle.codings[0].code = "00000000-0000-4000-8000-000000000000".into();
    let text = serde_json::to_string(&bundle).expect("json");
    let err = integration_atlas::store::bundle::parse_bundle("co-author.json", &text).expect_err("refused").to_string();
    assert!(err.contains("does not carry") && err.contains("nothing was imported"), "{err}");
    // A bundle written before codings existed still reads.
    let mut old: serde_json::Value = serde_json::from_str(&text).expect("value");
    old.as_object_mut().expect("object").remove("codings");
    let parsed = integration_atlas::store::bundle::parse_bundle("old.json", &old.to_string()).expect("old bundle");
    assert!(parsed.codings.is_empty());
}
