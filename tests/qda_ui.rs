//! Issue 17 in the window: code a passage of a record's description and undo it, the Codes view (counts, colour,
//! description, coded excerpts opening their record), the Agreement view (two coders, the rule, the table, a
//! disagreement resolved), and REFI-QDA export and import (checked first) through the save and open window.

mod common;

use std::path::Path;

use eframe::egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use integration_atlas::annotate::Workspace;
use integration_atlas::annotate::codings::{gap_code_uuid, text_of};
use integration_atlas::store::Store;
use integration_atlas::store::codings::Coding;
use integration_atlas::ui::{AtlasApp, UiState, View};

fn app(db: &Path, state: UiState) -> Harness<'static, AtlasApp> {
    if std::env::var_os("QDA_UI_PNG").is_none() {
        return common::app_sized(db, state, [1400.0, 950.0]);
    }
    let db = db.to_owned();
    Harness::builder().with_size([1400.0, 950.0]).with_theme(eframe::egui::Theme::Light).wgpu().build_eframe(
        move |cc| {
            integration_atlas::ui::AtlasApp::with_state(
                &cc.egui_ctx,
                integration_atlas::ui::Launch { db: Some(db), ..Default::default() },
                state,
            )
        },
    )
}

/// With `QDA_UI_PNG` set, writes what the window shows to `/tmp/qda-ui-NAME.png` (to look at, never committed).
fn look(harness: &mut Harness<'_, AtlasApp>, name: &str) {
    if std::env::var_os("QDA_UI_PNG").is_some() {
        let image = harness.render().expect("renders");
        image.save(format!("/tmp/qda-ui-{name}.png")).expect("png written");
    }
}

fn live_codings(db: &Path) -> Vec<Coding> {
    let store = Store::open(db).expect("second connection");
    store.codings().expect("codings").into_iter().filter(|c| c.deleted_at.is_none()).collect()
}

/// `author` codes the first `len` characters of C-AMS-01's description with the gap type `gap` (the OECD codebook
/// is inserted first).
fn seed(db: &Path, author: &str, gap: &str, start: i64, len: i64) {
    let store = Store::open(db).expect("database");
    let atlas = store.load_atlas().expect("atlas");
    let mut ws = Workspace::load(&store).expect("workspace");
    ws.set_author(&store, author).expect("author");
    ws.insert_oecd_codebook(&store, &atlas);
    let text =
        text_of(&atlas, &ws.records, &ws.notes, integration_atlas::store::codings::TargetKind::Challenge, "C-AMS-01")
            .expect("text");
    let code = gap_code_uuid(gap);
    assert_eq!(
        ws.apply_codes(
            &store,
            &[code.as_str()],
            integration_atlas::store::codings::TargetKind::Challenge,
            "C-AMS-01",
            &text,
            start,
            start + len
        )
        .len(),
        1
    );
}

#[test]
fn code_a_passage_of_a_description_remove_it_and_undo() {
    let (_dir, db) = common::temp_db();
    seed(&db, "Ana", "capacity", 0, 5);
    let mut state = UiState { view: View::Explorer, ..UiState::default() };
    state.explorer.selected = Some("C-AMS-01".to_owned());
    let mut harness = app(&db, state);
    harness.run();
    // The seeded passage is listed under the text.
    harness.get_by_label("Remove coded passage 1 (Gap types > capacity) in C-AMS-01");
    // Select the whole text with the keyboard, then apply "funding" from the menu.
    harness.get_by_label("Text of C-AMS-01").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label("Codes to apply in C-AMS-01").click();
    harness.run();
    harness.get_by_label("Choose code Gap types > funding").scroll_to_me();
    harness.run();
    harness.get_by_label("Choose code Gap types > funding").click();
    harness.run();
    harness.get_by_label("Choose code Gap types > objective").click();
    harness.run();
    look(&mut harness, "explorer");
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label("Apply codes to the passage in C-AMS-01").scroll_to_me();
    harness.run();
    harness.get_by_label("Apply codes to the passage in C-AMS-01").click();
    harness.run();
    let codings = live_codings(&db);
    assert_eq!(codings.len(), 3, "two codes applied at once: {codings:?}");
    let funding = codings.iter().find(|c| c.code == gap_code_uuid("funding")).expect("funding applied");
    let text = harness
        .state()
        .session()
        .and_then(|s| s.codable_text(integration_atlas::store::codings::TargetKind::Challenge, "C-AMS-01"))
        .expect("text");
    assert_eq!((funding.start, funding.end), (0, text.chars().count() as i64), "the whole text was selected");
    assert_eq!(funding.author, "Ana");
    // Removed, then undone with Ctrl+Z like a note.
    harness.get_by_label("Remove coded passage 1 (Gap types > capacity) in C-AMS-01").scroll_to_me();
    harness.run();
    harness.get_by_label("Remove coded passage 1 (Gap types > capacity) in C-AMS-01").click();
    harness.run();
    assert_eq!(live_codings(&db).len(), 2);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(live_codings(&db).len(), 3, "the removal is undone");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(live_codings(&db).len(), 1, "the coding (both codes, one step) is undone");
}

#[test]
fn codes_view_counts_colours_describes_and_lists_excerpts() {
    let (_dir, db) = common::temp_db();
    seed(&db, "Ana", "funding", 0, 12);
    let mut harness = app(&db, UiState { view: View::Codes, ..UiState::default() });
    harness.run();
    harness.get_by_label("Code Gap types (1 coded passages)");
    harness.get_by_label("Code Gap types > funding (1 coded passages)").click();
    harness.run();
    harness.get_by_label("Colour 3 for Gap types > funding").click();
    harness.run();
    harness.get_by_label("Description:").focus();
    harness.get_by_label("Description:").type_text(" Coded by Ana.");
    harness.run();
    harness.get_by_label("Save description").click();
    harness.run();
    let store = Store::open(&db).expect("store");
    let code = store.codes().expect("codes").into_iter().find(|c| c.uuid == gap_code_uuid("funding")).expect("code");
    assert_eq!(code.color.as_deref(), Some("#2ca02c"));
    assert!(code.description.unwrap_or_default().ends_with("Coded by Ana."));
    look(&mut harness, "codes");
    harness.get_by_label("Open the record of excerpt 1").click();
    harness.run();
    assert_eq!(harness.state().ui().view, View::Explorer);
    assert_eq!(harness.state().ui().explorer.selected.as_deref(), Some("C-AMS-01"));
}

#[test]
fn agreement_view_compares_two_coders_and_resolves_a_disagreement() {
    let (_dir, db) = common::temp_db();
    seed(&db, "Ana", "funding", 0, 12);
    seed(&db, "Ben", "capacity", 0, 12);
    let mut harness = app(&db, UiState { view: View::Agreement, ..UiState::default() });
    harness.run();
    harness.get_by_label("Coder Ana").click();
    harness.get_by_label("Coder Ben").click();
    harness.run();
    harness.get_by_label("Overall");
    harness.get_by_label("Krippendorff's alpha");
    harness.get_by_label_contains("Record level: every record");
    harness.get_by_label("Passage level").click();
    harness.run();
    harness.get_by_label_contains("Passage level: each record's text is cut");
    look(&mut harness, "agreement");
    harness.get_by_label("Keep Ana's coding of disagreement 1").click();
    harness.run();
    let codings = live_codings(&db);
    assert_eq!(codings.len(), 1, "Ben's disputed coding went");
    assert_eq!(codings[0].author, "Ana");
    assert!(codings[0].resolved_at.is_some());
}

#[test]
fn export_a_project_and_import_it_into_another_database_after_a_check() {
    let (dir, db) = common::temp_db();
    seed(&db, "Ana", "funding", 0, 12);
    let file = dir.path().join("project.qdpx");
    let mut harness = app(&db, UiState { view: View::Codes, ..UiState::default() });
    harness.run();
    harness.get_by_label("Export REFI-QDA project (.qdpx)…").click();
    harness.run();
    harness.get_by_label("Save to file:").focus();
    harness.get_by_label("Save to file:").type_text(&file.display().to_string());
    harness.run();
    harness.get_by_label("Export file").click();
    harness.run();
    assert!(file.exists(), "{:?}", harness.state().message());
    drop(harness);

    let other = dir.path().join("other.sqlite");
    let mut harness = app(&other, UiState { view: View::Codes, ..UiState::default() });
    harness.run();
    harness.get_by_label("Import from a QDA tool…").click();
    harness.run();
    harness.get_by_label("QDA file:").focus();
    harness.get_by_label("QDA file:").type_text(&file.display().to_string());
    harness.run();
    harness.get_by_label("Check this file").click();
    harness.run();
    harness.get_by_label_contains("coded passages: 1 added");
    look(&mut harness, "import-check");
    assert!(live_codings(&other).is_empty(), "nothing written before confirming");
    harness.get_by_label("Import now").click();
    harness.run();
    let codings = live_codings(&other);
    assert_eq!(codings.len(), 1, "{:?}", harness.state().message());
    assert_eq!(codings[0].author, "Ana");
    harness.get_by_label("Code Gap types > funding (1 coded passages)");
}

fn zip_dir(dir: &Path, to: &Path) {
    use std::io::Write as _;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(to).expect("zip file"));
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

#[test]
fn a_qualcoder_project_lists_its_foreign_source_and_offers_it_as_an_own_record() {
    let (dir, db) = common::temp_db();
    let qdpx = dir.path().join("interviews.qdpx");
    zip_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/qda/qualcoder-project"), &qdpx);
    let mut harness = app(&db, UiState { view: View::Home, ..UiState::default() });
    harness.run();
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Import from a QDA tool…").click();
    harness.run();
    harness.get_by_label("QDA file:").focus();
    harness.get_by_label("QDA file:").type_text(&qdpx.display().to_string());
    harness.run();
    harness.get_by_label("Check this file").click();
    harness.run();
    assert_eq!(harness.state().ui().view, View::Codes, "the check is shown in the Codes view");
    harness.get_by_label_contains("1 source not in this atlas");
    harness.get_by_label("Add Intervju Göteborg 2019 as an own record").click();
    harness.run_steps(8);
    look(&mut harness, "foreign");
    let form = harness.state().runtime().and_then(|rt| rt.record_form.as_ref()).expect("the record form is open");
    assert_eq!(form.draft.title, "Intervju Göteborg 2019");
    assert!(form.draft.description.contains("Ελληνική"), "accented text survives");
    assert!(live_codings(&db).is_empty(), "nothing imported yet");
}

#[test]
fn code_a_passage_of_a_city_profiles_finding() {
    let (_dir, db) = common::temp_db();
    seed(&db, "Ana", "capacity", 0, 5);
    let store = Store::open(&db).expect("store");
    let atlas = store.load_atlas().expect("atlas");
    let city = atlas.cities.iter().find(|c| !c.findings.is_empty()).expect("a city with findings");
    let finding = city.findings[0].clone();
    let mut state = UiState { view: View::Cities, ..UiState::default() };
    state.cities.selected = city.id.clone();
    let mut harness = app(&db, state);
    harness.run();
    harness.get_by_label(&format!("Code passages of {}", finding.id)).scroll_to_me();
    harness.run();
    harness.get_by_label(&format!("Code passages of {}", finding.id)).click();
    harness.run();
    harness.get_by_label(&format!("Text of {}", finding.id)).click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label(&format!("Codes to apply in {}", finding.id)).click();
    harness.run();
    harness.get_by_label("Choose code Gap types > information").scroll_to_me();
    harness.run();
    harness.get_by_label("Choose code Gap types > information").click();
    harness.run();
    harness.get_by_label(&format!("Apply codes to the passage in {}", finding.id)).scroll_to_me();
    harness.run();
    harness.get_by_label(&format!("Apply codes to the passage in {}", finding.id)).click();
    harness.run();
    look(&mut harness, "city");
    let coded: Vec<Coding> = live_codings(&db).into_iter().filter(|c| c.target_kind.as_str() == "city_text").collect();
    assert_eq!(coded.len(), 1, "{:?}", harness.state().message());
    assert_eq!(coded[0].target_id, finding.id);
    assert_eq!(coded[0].excerpt, finding.text);
    harness.get_by_label(&format!("Done coding {}", finding.id)).click();
    harness.run();
    harness.get_by_label(&format!("Code passages of {}", finding.id));
}

#[test]
fn code_a_passage_of_a_note() {
    let (_dir, db) = common::temp_db();
    seed(&db, "Ana", "capacity", 0, 5);
    let uuid = {
        let store = Store::open(&db).expect("store");
        let mut ws = Workspace::load(&store).expect("workspace");
        let uuid = ws.add_note(&store, integration_atlas::store::codings::TargetKind::Challenge, Some("C-AMS-01"));
        ws.edit_text(&uuid, "Interview: the province brokers, but funding stays short.");
        ws.flush(&store, true);
        uuid
    };
    let mut state = UiState { view: View::Notes, ..UiState::default() };
    state.notes.selected = Some(uuid.clone());
    let mut harness = app(&db, state);
    harness.run();
    harness.get_by_label("Code passages of this note").click();
    harness.run();
    harness.get_by_label("Text of the selected note").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label("Codes to apply in the selected note").click();
    harness.run();
    harness.get_by_label("Choose code Gap types > funding").scroll_to_me();
    harness.run();
    harness.get_by_label("Choose code Gap types > funding").click();
    harness.run();
    harness.get_by_label("Apply codes to the passage in the selected note").scroll_to_me();
    harness.run();
    harness.get_by_label("Apply codes to the passage in the selected note").click();
    harness.run();
    let coded: Vec<Coding> = live_codings(&db).into_iter().filter(|c| c.target_kind.as_str() == "note").collect();
    assert_eq!(coded.len(), 1, "{:?}", harness.state().message());
    assert_eq!(coded[0].target_id, uuid);
    assert_eq!(coded[0].excerpt, "Interview: the province brokers, but funding stays short.");
}

#[test]
fn a_disagreement_merged_into_a_new_code() {
    let (_dir, db) = common::temp_db();
    seed(&db, "Ana", "funding", 0, 12);
    seed(&db, "Ben", "capacity", 0, 12);
    let mut state = UiState { view: View::Agreement, ..UiState::default() };
    state.agreement.coders = vec!["Ana".to_owned(), "Ben".to_owned()];
    let mut harness = app(&db, state);
    harness.run();
    harness.get_by_label("New code name for disagreement 1").focus();
    harness.get_by_label("New code name for disagreement 1").type_text("resources");
    harness.run();
    harness.get_by_label("Merge disagreement 1 into a new code").click();
    harness.run();
    let codings = live_codings(&db);
    assert_eq!(codings.len(), 2);
    assert_eq!(codings[0].code, codings[1].code, "both moved to the new code");
    assert!(codings.iter().all(|c| c.resolved_at.is_some()));
    let store = Store::open(&db).expect("store");
    let code = store.codes().expect("codes").into_iter().find(|c| c.uuid == codings[0].code).expect("new code");
    assert_eq!(code.name, "resources");
    harness.get_by_label_contains("Disagreements (0)");
}

#[test]
fn keeping_one_side_of_a_passage_disagreement_cuts_only_the_disputed_piece() {
    let (_dir, db) = common::temp_db();
    // Both coded characters 0–12 with funding; Ben went on to 20, and 12–20 is the one disputed piece.
    seed(&db, "Ana", "funding", 0, 12);
    seed(&db, "Ben", "funding", 0, 20);
    let mut harness = app(&db, UiState { view: View::Agreement, ..UiState::default() });
    harness.run();
    harness.get_by_label("Coder Ana").click();
    harness.get_by_label("Coder Ben").click();
    harness.run();
    harness.get_by_label("Passage level").click();
    harness.run();
    harness.get_by_label("Keep Ana's coding of disagreement 1").click();
    harness.run();
    let codings = live_codings(&db);
    assert_eq!(codings.len(), 2, "Ben's coding stays where the coders agreed: {codings:?}");
    let ben = codings.iter().find(|c| c.author == "Ben").expect("Ben's coding");
    assert_eq!((ben.start, ben.end), (0, 12), "only the disputed piece 12–20 was cut");
    let text = harness
        .state()
        .session()
        .and_then(|s| s.codable_text(integration_atlas::store::codings::TargetKind::Challenge, "C-AMS-01"))
        .expect("text");
    assert_eq!(ben.excerpt, text.chars().take(12).collect::<String>(), "its excerpt follows its range");
    // One step: Ctrl+Z gives Ben's whole passage back.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    let ben = live_codings(&db).into_iter().find(|c| c.author == "Ben").expect("Ben's coding");
    assert_eq!((ben.start, ben.end), (0, 20));
}
