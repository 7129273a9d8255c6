//! REFI-QDA exchange through the public API: code groups as `<Sets>` in codebooks and projects (checked against
//! the schemas with xmllint), files with and without sets, and import checks that name what they leave out.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use atlas_core::records::codable::{gap_code_uuid, gap_root_uuid, oecd_codebook};
use atlas_core::records::codings::{Coding, char_slice, text_hash};
use atlas_core::records::notes::Code;
use atlas_qda as qda;
use atlas_qda::xml::{El, parse};
use atlas_store::Store;

const AT: &str = "2024-05-02T10:00:00Z";

fn store(dir: &tempfile::TempDir, name: &str) -> Store {
    Store::open(&dir.path().join(name)).expect("database opens")
}

fn code(uuid: &str, name: &str, parent: Option<String>) -> Code {
    Code {
        uuid: uuid.to_owned(),
        name: name.to_owned(),
        parent,
        created_at: AT.to_owned(),
        updated_at: AT.to_owned(),
        deleted_at: None,
        color: None,
        description: None,
    }
}

/// The ready codebook, an own code under "capacity" and an own code of its own at the top.
fn coded_store(dir: &tempfile::TempDir, name: &str) -> Store {
    let s = store(dir, name);
    let atlas = s.load_atlas().expect("atlas");
    let mut codes = oecd_codebook(&atlas, AT);
    codes.push(code("3b0c3a52-0d5e-4a57-9d62-0f3c1b2a4e01", "Språk & tolkning", Some(gap_code_uuid("capacity"))));
    codes.push(code("3b0c3a52-0d5e-4a57-9d62-0f3c1b2a4e02", "Εμπιστοσύνη", None));
    let text = atlas.evidence.iter().find(|e| e.id == "C-AMS-01").expect("C-AMS-01").description.clone();
    let coding = Coding {
        uuid: "3b0c3a52-0d5e-4a57-9d62-0f3c1b2a4e03".to_owned(),
        code: gap_code_uuid("objective"),
        target_kind: atlas_core::records::notes::TargetKind::Challenge,
        target_id: "C-AMS-01".to_owned(),
        start: 0,
        end: 12,
        text_hash: text_hash(&text),
        excerpt: char_slice(&text, 0, 12).expect("12 characters"),
        author: "Zoë".to_owned(),
        created_at: AT.to_owned(),
        updated_at: AT.to_owned(),
        deleted_at: None,
        resolved_at: None,
    };
    s.apply_import(&codes, &[coding], &[]).expect("codes written");
    s
}

/// The REFI-QDA project schema, in `shared/refi-qda/` beside the checkout (or one of its parents).
fn project_xsd() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/refi-qda/Project.xsd"))
        .find(|p| p.exists())
        .expect("the REFI-QDA schema sits at shared/refi-qda/Project.xsd beside the checkout")
}

/// The codebook schema of the standard (section 5.2), kept with this crate.
fn codebook_xsd() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/Codebook.xsd")
}

fn validate(file: &Path, schema: &Path) {
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema)
        .arg(file)
        .output()
        .expect("xmllint runs (Debian package libxml2-utils)");
    assert!(out.status.success(), "{} does not validate: {}", file.display(), String::from_utf8_lossy(&out.stderr));
}

fn names(el: &El) -> Vec<&str> {
    el.children.iter().map(|c| c.name.as_str()).collect()
}

/// The sets of `holder`: name → member GUIDs (read from `attr`).
fn sets<'a>(holder: &'a El, attr: &str) -> Vec<(&'a str, Vec<&'a str>)> {
    holder
        .child("Sets")
        .expect("<Sets>")
        .all("Set")
        .map(|s| {
            assert!(s.attr("guid").is_some() && s.child_text("Description").is_some());
            let members = s.all("MemberCode").map(|m| m.attr(attr).expect("member GUID")).collect();
            (s.attr("name").expect("name"), members)
        })
        .collect()
}

fn project_qde(qdpx: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(qdpx).expect("open")).expect("zip");
    let mut text = String::new();
    zip.by_name("project.qde").expect("project.qde").read_to_string(&mut text).expect("read");
    text
}

fn write_qdpx(path: &Path, qde: &str) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).expect("zip"));
    zip.start_file("project.qde", zip::write::SimpleFileOptions::default()).expect("start");
    zip.write_all(qde.as_bytes()).expect("write");
    zip.finish().expect("finish");
}

#[test]
fn a_codebook_carries_its_code_groups_as_sets_and_validates() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = coded_store(&dir, "a.sqlite");
    let qdc = dir.path().join("codes.qdc");
    qda::export_file(&a, &qdc, "Zoë").expect("export");
    validate(&qdc, &codebook_xsd());

    let root = parse(&std::fs::read_to_string(&qdc).expect("read")).expect("parse");
    // portableQDA reads <Sets> as the codebook's second child.
    assert_eq!(names(&root), ["Codes", "Sets"]);
    let sets = sets(&root, "guid");
    let set_names: Vec<&str> = sets.iter().map(|(n, _)| *n).collect();
    assert_eq!(set_names.len(), 7, "a set per code with sub-codes: {set_names:?}");
    assert_eq!((set_names[0], set_names[5], set_names[6]), ("Checklist objectives", "Gap types", "capacity"));
    assert!(set_names[1..5].iter().all(|n| n.starts_with("Block ")), "{set_names:?}");
    let members = |name: &str| sets.iter().find(|(n, _)| *n == name).map(|(_, m)| m.clone()).expect("set");
    let gaps = members("Gap types");
    assert_eq!(gaps.len(), 7 + 1, "the gap types and the own code under one of them");
    assert!(gaps.contains(&gap_code_uuid("funding").as_str()) && !gaps.contains(&gap_root_uuid().as_str()));
    assert_eq!(members("capacity"), ["3b0c3a52-0d5e-4a57-9d62-0f3c1b2a4e01"]);
    assert_eq!(members("Checklist objectives").len(), 4 + 12, "the blocks and their objectives");
    let in_blocks: usize = set_names[1..5].iter().map(|n| members(n).len()).sum();
    assert_eq!(in_blocks, 12, "each block holds its objectives");
    assert!(sets.iter().all(|(_, m)| !m.contains(&"3b0c3a52-0d5e-4a57-9d62-0f3c1b2a4e02")), "a lone code is in none");

    // Back in: the sets are the code tree again, so nothing is reported as left out.
    let b = store(&dir, "b.sqlite");
    let (summary, plan) = qda::import_file(&b, &qdc, false).expect("import");
    assert_eq!((summary.codes_added, summary.skipped), (25 + 2, 0), "{summary}");
    assert!(plan.skipped.is_empty(), "{:?}", plan.skipped);
    assert!(summary.to_string().ends_with("0 skipped; 0 sources not in this atlas"), "{summary}");
}

#[test]
fn a_codebook_without_code_groups_has_the_set_of_every_code() {
    let dir = tempfile::tempdir().expect("tmp");
    let codes = [code("3b0c3a52-0d5e-4a57-9d62-0f3c1b2a4e11", "Trust", None), {
        let mut gone = code("3b0c3a52-0d5e-4a57-9d62-0f3c1b2a4e12", "Gone", None);
        gone.deleted_at = Some(AT.to_owned());
        gone
    }];
    let qdc = dir.path().join("flat.qdc");
    assert_eq!(qda::write_codebook(&qdc, &codes).expect("written"), 1);
    validate(&qdc, &codebook_xsd());
    let root = parse(&std::fs::read_to_string(&qdc).expect("read")).expect("parse");
    assert_eq!(sets(&root, "guid"), [("Integration Atlas codes", vec!["3b0c3a52-0d5e-4a57-9d62-0f3c1b2a4e11"])]);
    // Our own set of every code is not reported on import either.
    let b = store(&dir, "b.sqlite");
    let (_, plan) = qda::import_file(&b, &qdc, true).expect("check");
    assert!(plan.skipped.is_empty(), "{:?}", plan.skipped);
}

#[test]
fn two_code_groups_of_one_name_get_sets_named_by_their_path() {
    let dir = tempfile::tempdir().expect("tmp");
    let id = |n: u32| format!("3b0c3a52-0d5e-4a57-9d62-0f3c1b2a{n:04}");
    let codes = [
        code(&id(1), "Housing", None),
        code(&id(2), "Other", Some(id(1))),
        code(&id(3), "x", Some(id(2))),
        code(&id(4), "Work", None),
        code(&id(5), "Other", Some(id(4))),
        code(&id(6), "y", Some(id(5))),
    ];
    let qdc = dir.path().join("paths.qdc");
    qda::write_codebook(&qdc, &codes).expect("written");
    validate(&qdc, &codebook_xsd());
    let root = parse(&std::fs::read_to_string(&qdc).expect("read")).expect("parse");
    let set_names: Vec<&str> = sets(&root, "guid").into_iter().map(|(n, _)| n).collect();
    assert_eq!(set_names, ["Housing", "Housing > Other", "Work", "Work > Other"]);
}

#[test]
fn a_project_carries_the_code_groups_at_its_end_and_validates() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = coded_store(&dir, "a.sqlite");
    let qdpx = dir.path().join("atlas.qdpx");
    let line = qda::export_file(&a, &qdpx, "Zoë").expect("export");
    assert!(line.contains("1 coded passages"), "{line}");
    let qde = project_qde(&qdpx);
    let file = dir.path().join("project.qde");
    std::fs::write(&file, &qde).expect("write");
    validate(&file, &project_xsd());
    let root = parse(&qde).expect("parse");
    assert_eq!(names(&root).last(), Some(&"Sets"), "after the notes (the schema's order)");
    assert!(root.child("CodeBook").is_some_and(|b| b.child("Sets").is_none()), "a project's codebook has no sets");
    let sets = sets(&root, "targetGUID");
    assert_eq!(sets.len(), 7, "the same code groups, without the set of every code");
    assert_eq!(sets.iter().find(|(n, _)| *n == "Gap types").map(|(_, m)| m.len()), Some(8));

    let b = store(&dir, "b.sqlite");
    let (summary, plan) = qda::import_file(&b, &qdpx, false).expect("import");
    assert_eq!((summary.codings_added, summary.skipped), (1, 0), "{summary}");
    assert!(plan.skipped.is_empty(), "{:?}", plan.skipped);
}

#[test]
fn codebooks_with_and_without_sets_import() {
    let dir = tempfile::tempdir().expect("tmp");
    let b = store(&dir, "b.sqlite");
    let codes = r#"<Codes><Code guid="{8A1F3E20-5B6C-4D7E-9F80-A1B2C3D4E5F6}" name="Trust" isCodable="true"/></Codes>"#;
    let plain = dir.path().join("plain.qdc");
    std::fs::write(&plain, format!(r#"<CodeBook xmlns="urn:QDA-XML:codebook:1.0">{codes}</CodeBook>"#)).expect("w");
    let (s, plan) = qda::import_file(&b, &plain, true).expect("no sets");
    assert_eq!((s.codes_added, s.skipped), (1, 0));
    assert!(plan.skipped.is_empty());

    // Sets as the codebook schema writes them (MemberCode guid) and as the project schema does (targetGUID).
    let with_sets = dir.path().join("sets.qdc");
    std::fs::write(
        &with_sets,
        format!(
            r#"<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="NVivo 14">{codes}<Sets>
               <Set guid="{{8A1F3E20-5B6C-4D7E-9F80-A1B2C3D4E5FA}}" name="Interview
               themes"><MemberCode guid="{{8A1F3E20-5B6C-4D7E-9F80-A1B2C3D4E5F6}}"/></Set>
               <Set guid="8a1f3e20-5b6c-4d7e-9f80-a1b2c3d4e5fb" name="Trust &amp; money">
               <MemberCode targetGUID="8a1f3e20-5b6c-4d7e-9f80-a1b2c3d4e5f6"/></Set>
               <Set guid="8a1f3e20-5b6c-4d7e-9f80-a1b2c3d4e5fc" name=""/></Sets></CodeBook>"#
        ),
    )
    .expect("w");
    let (s, plan) = qda::import_file(&b, &with_sets, false).expect("sets");
    assert_eq!((s.codes_added, s.skipped), (1, 3), "{s}");
    assert_eq!(
        plan.skipped,
        ["3 sets left out because this atlas has no sets (what is in them is imported as usual): \
          “Interview themes”, “Trust & money”, (no name)"]
    );
    assert!(s.to_string().contains("3 skipped (set “Interview themes”, set “Trust & money”, set (no name))"), "{s}");
}

/// A project from another tool with one of everything an import leaves out.
fn awkward_project() -> String {
    let g = |n: u32| format!("a1b2c3d4-0000-4000-8000-{n:012}");
    let foreign: String = (1..=4)
        .map(|i| {
            format!(
                r#"<TextSource guid="{}" name="Interview {i}"><PlainTextContent>x</PlainTextContent></TextSource>"#,
                g(100 + i)
            )
        })
        .collect();
    let set_list: String = (1..=7).map(|i| format!(r#"<Set guid="{}" name="Theme {i}"/>"#, g(200 + i))).collect();
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Interviews">
  <CodeBook><Codes>
    <Code guid="{a}" name="Language" isCodable="true"/>
    <Code guid="{b}" name="Housing" isCodable="true"/>
    <Code guid="{a}" name="Dup
      copy" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{src}" name="C-AMS-02 interview">
      <PlainTextContent>Language first. Housing later.</PlainTextContent>
      <PlainTextSelection guid="{s1}" startPosition="0" endPosition="8">
        <Coding guid="{c1}"><CodeRef targetGUID="{unknown}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{s2}" startPosition="500" endPosition="620">
        <Coding guid="{c2}"><CodeRef targetGUID="{b}"/></Coding>
      </PlainTextSelection>
    </TextSource>
    {foreign}
    <PictureSource guid="{pic}" name="map.png"/>
    <PDFSource guid="{pdf}" name="report.pdf"/>
  </Sources>
  <Notes>
    <Note guid="{note}" name="memo"><PlainTextContent>Compare.</PlainTextContent>
      <Coding guid="{c3}"><CodeRef targetGUID="{unknown}"/></Coding>
    </Note>
  </Notes>
  <Sets>{set_list}</Sets>
</Project>"#,
        a = g(1),
        b = g(2),
        unknown = g(3),
        src = g(10),
        s1 = g(11),
        s2 = g(12),
        c1 = g(21),
        c2 = g(22),
        c3 = g(23),
        pic = g(30),
        pdf = g(31),
        note = g(40),
    )
}

#[test]
fn an_import_check_names_what_it_leaves_out() {
    let dir = tempfile::tempdir().expect("tmp");
    let qdpx = dir.path().join("interviews.qdpx");
    write_qdpx(&qdpx, &awkward_project());
    let file = dir.path().join("awkward.qde");
    std::fs::write(&file, awkward_project()).expect("write");
    validate(&file, &project_xsd());
    let b = store(&dir, "b.sqlite");
    let (summary, plan) = qda::import_file(&b, &qdpx, true).expect("check");
    assert_eq!(
        plan.skipped,
        [
            "1 code left out because its GUID is that of an earlier code in the file: “Dup copy”",
            "7 sets left out because this atlas has no sets (what is in them is imported as usual): “Theme 1”, \
             “Theme 2”, “Theme 3”, “Theme 4”, “Theme 5” and 2 more",
            "1 coded passage left out because its code is not in the file's codebook: “Language” in \
             “C-AMS-02 interview”",
            "1 coded passage left out because its characters lie outside its text: characters 500–620 of \
             “C-AMS-02 interview”",
            "2 picture, PDF, audio or video sources left out because only plain texts can be coded here: \
             picture “map.png”, PDF “report.pdf”",
            "1 code given to a note left out because it is not in the file's codebook: on the note “memo”",
        ]
    );
    assert_eq!(
        summary.to_string(),
        "codes: 2 added, 0 matched; coded passages: 0 added, 0 matched; notes: 1 added, 0 matched; \
         13 skipped (code “Dup copy”, set “Theme 1”, set “Theme 2” and 10 more); \
         4 sources not in this atlas (“Interview 1”, “Interview 2”, “Interview 3” and 1 more)"
    );
    assert_eq!(plan.foreign_sources.len(), 4, "all are listed for the window");
}

#[test]
fn a_faulty_file_is_refused_in_one_line_naming_the_code_source_or_note() {
    let dir = tempfile::tempdir().expect("tmp");
    let b = store(&dir, "b.sqlite");
    let project = awkward_project();
    let cases = [
        (
            project.replacen(r#"<Coding guid="a1b2c3d4-0000-4000-8000-000000000022">"#, "<Coding>", 1),
            "a coding without a valid guid in “C-AMS-02 interview”",
        ),
        (
            project.replacen(r#" startPosition="500""#, r#" startPosition="five""#, 1),
            "a text selection without a whole-number startPosition in “C-AMS-02 interview”",
        ),
        (
            project.replacen(r#"<Note guid="a1b2c3d4-0000-4000-8000-000000000040""#, "<Note", 1),
            "a note without a valid guid: “memo”",
        ),
        (
            project.replacen(
                r#"guid="a1b2c3d4-0000-4000-8000-000000000002" name="Housing""#,
                r#"guid="nope" name="Housing""#,
                1,
            ),
            "a code without a valid guid: “Housing” has guid “nope”",
        ),
    ];
    for (i, (qde, expected)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("faulty-{i}.qdpx"));
        write_qdpx(&path, qde);
        let err = qda::import_file(&b, &path, false).expect_err("refused").to_string();
        assert!(err.contains(expected) && err.contains("nothing was imported"), "{err}");
        assert!(!err.contains('\n'), "one line: {err}");
    }
    assert!(b.codes().expect("codes").is_empty(), "nothing written");
}
