//! Authors' flows through the real app: a note on a challenge, coded, its status changed, undone and redone,
//! saved within a second; the Notes view's filters; an own record through the form.

mod common;

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use integration_atlas::store::Store;
use integration_atlas::ui::command::NoteCmd;
use integration_atlas::ui::{AtlasApp, UiState, View};

fn app_with(dir: &tempfile::TempDir, state: UiState) -> Harness<'static, AtlasApp> {
    common::app_sized(&common::db_in(dir), state, [1280.0, 900.0])
}

fn status_in_db(dir: &tempfile::TempDir) -> Vec<(String, String, Vec<String>)> {
    let store = Store::open(&dir.path().join("atlas.sqlite")).expect("second connection");
    store
        .notes()
        .expect("notes")
        .into_iter()
        .filter(|n| n.deleted_at.is_none())
        .map(|n| (n.text, n.status.as_str().to_owned(), n.codes))
        .collect()
}

fn select_combo(harness: &mut Harness<'_, AtlasApp>, combo: &str, option: &str) {
    harness.get_by_label(combo).click();
    harness.run();
    harness.get_by_role_and_label(egui::accesskit::Role::Button, option).click();
    harness.run();
}

#[test]
fn write_a_note_code_it_change_status_undo_and_redo() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut state = UiState { view: View::Notes, ..UiState::default() };
    state.explorer.selected = Some("C-AMS-01".to_owned());
    let mut harness = app_with(&dir, state);
    harness.run();
    // A code to use, made in the Notes view's code tree.
    harness.get_by_label("New code:").focus();
    harness.get_by_label("New code:").type_text("alignment");
    harness.run();
    harness.get_by_label("Add code").click();
    harness.run();
    harness.get_by_label("Code alignment (0 notes)");

    harness.get_by_label("Explorer").click();
    harness.run();
    harness.get_by_label("Add a note on C-AMS-01").click();
    harness.run();
    // The author's name is asked once.
    harness.get_by_label("Your name:").focus();
    harness.get_by_label("Your name:").type_text("Ana");
    harness.run();
    harness.get_by_label("Save name").click();
    harness.run();
    let text = "Goals diverged after 2013: check the WRR brief.";
    harness.get_by_label("Note text 1 on C-AMS-01").focus();
    harness.get_by_label("Note text 1 on C-AMS-01").type_text(text);
    harness.run();
    // Saved within a second, without a save button.
    std::thread::sleep(std::time::Duration::from_millis(700));
    harness.step();
    assert_eq!(status_in_db(&dir), vec![(text.to_owned(), "draft".to_owned(), vec![])]);
    harness.key_press(Key::Escape);
    harness.run();

    harness.get_by_label("Codes of note 1 on C-AMS-01").click();
    harness.run();
    harness.get_by_label("Code alignment on note 1 on C-AMS-01").click();
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    select_combo(&mut harness, "Status of note 1 on C-AMS-01", "checked");
    let saved = status_in_db(&dir);
    assert_eq!(saved[0].1, "checked");
    assert_eq!(saved[0].2.len(), 1, "coded");
    // The record is marked as annotated in the table.
    harness.get_by_label("✎ 1");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(status_in_db(&dir)[0].1, "draft", "undo restores the status");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(status_in_db(&dir)[0].2.is_empty(), "undo removes the code");
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    let saved = status_in_db(&dir);
    assert_eq!((saved[0].1.as_str(), saved[0].2.len()), ("checked", 1), "redo brings both back");
    // Deleting is undoable too.
    harness.get_by_label("Delete note 1 on C-AMS-01").click();
    harness.run();
    assert!(status_in_db(&dir).is_empty());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(status_in_db(&dir).len(), 1, "undo brings the deleted note back");
}

#[test]
fn the_notes_view_filters_by_status_author_and_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, UiState { view: View::Notes, ..UiState::default() });
    harness.run();
    {
        let app = harness.state_mut();
        common::set_author(app, "Ana");
        let a = common::add_note(app, "challenge", Some("C-ATH-01"), "Donor funding ends in 2019");
        common::note_command(
            app,
            NoteCmd::SetStatus { uuid: a, status: integration_atlas::store::notes::NoteStatus::Disputed },
        );
        common::add_note(app, "city", Some("vienna"), "Wohnpartner evaluation missing");
        app.flush_all();
    }
    harness.run();
    harness.get_by_label("2 of 2 notes");
    select_combo(&mut harness, "Filter notes by status", "disputed");
    harness.get_by_label("1 of 2 notes");
    harness.get_by_label_contains("Note by Ana on C-ATH-01 Unreliable financing");
    select_combo(&mut harness, "Filter notes by status", "any");
    harness.get_by_label("Text:").focus();
    harness.get_by_label("Text:").type_text("wohnpartner");
    harness.run();
    harness.get_by_label("1 of 2 notes");
    harness.get_by_label_contains("Note by Ana on City profile: Vienna");
}

#[test]
fn an_own_record_needs_a_source_and_then_joins_the_explorer() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, UiState { view: View::Explorer, ..UiState::default() });
    harness.run();
    harness.get_by_label("Add a record").click();
    harness.run_steps(8);
    harness.get_by_label("Title:").focus();
    harness.get_by_label("Title:").type_text("Interpreters paid per project");
    harness.run_steps(4);
    harness.get_by_label("Save record").click();
    harness.run_steps(8);
    harness.get_by_label("Still missing:");
    harness.get_by_label("• Give at least one source: a URL or a full citation, one per line.");
    assert!(harness.state().session().expect("open").workspace.records.is_empty(), "nothing saved yet");

    harness.get_by_label("Description:").focus();
    harness.get_by_label("Description:").type_text("Interpreters are hired on short project contracts.");
    harness.get_by_label("Sources (one per line: URL or full citation):").focus();
    harness
        .get_by_label("Sources (one per line: URL or full citation):")
        .type_text("https://example.org/athens-report");
    harness.run_steps(4);
    harness.get_by_label("City:").click();
    harness.run_steps(4);
    harness.get_by_role_and_label(egui::accesskit::Role::Button, "Athens").click();
    harness.run_steps(4);
    harness.get_by_label("Gap type:").click();
    harness.run_steps(4);
    harness.get_by_role_and_label(egui::accesskit::Role::Button, "funding").click();
    harness.run_steps(4);
    harness.get_by_label("Save record").click();
    harness.run_steps(8);
    let records = &harness.state().session().expect("open").workspace.records;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].id, "U-C-0001");
    harness.get_by_label("185 records: 85 challenges, 100 practices");
    harness.get_by_label("Origin").scroll_to_me();
    harness.run();
    harness.get_by_label("Origin").click();
    harness.run();
    harness.get_by_label("Origin: Added by authors (1)").scroll_to_me();
    harness.run();
    harness.get_by_label("Origin: Added by authors (1)").click();
    harness.run();
    harness.get_by_label("1 record: 1 challenge, 0 practices");
    harness.get_by_label("Record U-C-0001");
}

#[test]
fn notes_export_as_markdown_csv_and_bundle_and_a_bundle_imports_with_a_summary() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("exports");
    std::fs::create_dir_all(&out).expect("folder");
    let mut state = UiState { view: View::Notes, ..UiState::default() };
    state.notes.export_path = out.display().to_string();
    let mut harness = app_with(&dir, state);
    harness.run();
    {
        let app = harness.state_mut();
        common::set_author(app, "Ana");
        let a = common::add_note(app, "challenge", Some("C-ATH-01"), "Donor funding ends in 2019");
        common::note_command(app, NoteCmd::AddCode { name: "funding".into(), parent: None, on_note: Some(a) });
        app.flush_all();
    }
    harness.run();
    for button in ["Markdown report by city", "Markdown report by code", "CSV", "JSON bundle for co-authors"] {
        harness.get_by_label(button).scroll_to_me();
        harness.run();
        harness.get_by_label(button).click();
        harness.run();
    }
    let by_city = std::fs::read_to_string(out.join("atlas-notes-by-city.md")).expect("markdown by city");
    assert!(by_city.contains("## Athens") && by_city.contains("C-ATH-01 Unreliable financing (Athens)"), "{by_city}");
    assert!(by_city.contains("Donor funding ends in 2019") && by_city.contains("*Ana — draft"), "{by_city}");
    assert!(by_city.contains("https://www.oecd-ilibrary.org/"), "the record's sources are listed");
    let by_code = std::fs::read_to_string(out.join("atlas-notes-by-code.md")).expect("markdown by code");
    assert!(by_code.contains("## funding"), "{by_code}");
    let csv = std::fs::read_to_string(out.join("atlas-notes.csv")).expect("csv");
    assert!(
        csv.lines().nth(1).is_some_and(|l| l.contains("C-ATH-01") && l.contains("Donor funding ends in 2019")),
        "{csv}"
    );
    let bundle = out.join("atlas-bundle.json");
    assert!(bundle.exists());

    // A co-author imports it into their own database: a one-line summary, twice without change.
    let other = tempfile::tempdir().expect("temp dir");
    let mut state = UiState { view: View::Notes, ..UiState::default() };
    state.notes.import_path = bundle.display().to_string();
    let mut harness = app_with(&other, state);
    harness.run();
    harness.get_by_label("Import bundle").scroll_to_me();
    harness.run();
    harness.get_by_label("Import bundle").click();
    harness.run();
    harness.get_by_label(&format!("Imported {}: 2 new, 0 updated, 0 conflicts, 0 unchanged", bundle.display()));
    harness.get_by_label("1 of 1 notes");
    harness.get_by_label("Import bundle").click();
    harness.run();
    harness.get_by_label(&format!("Imported {}: 0 new, 0 updated, 0 conflicts, 2 unchanged", bundle.display()));
    // A broken bundle: a one-line error, nothing written.
    let broken = other.path().join("broken.json");
    std::fs::write(&broken, "{ not json").expect("write");
    harness.state_mut().ui_mut().notes.import_path = broken.display().to_string();
    harness.run();
    harness.get_by_label("Import bundle").click();
    harness.run();
    harness.get_by_label_contains("broken.json: not an Integration Atlas bundle");
    harness.get_by_label("1 of 1 notes");
}

#[test]
fn a_note_on_a_source_is_marked_in_the_sources_table() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, UiState { view: View::Sources, ..UiState::default() });
    harness.run();
    let url = harness.state().session().expect("open").atlas.sources[0].url.clone();
    {
        common::set_author(harness.state_mut(), "Ben");
    }
    let short = url.trim_start_matches("https://").trim_start_matches("http://").to_owned();
    harness.get_by_label(&format!("Notes on source {short} (0)")).click();
    harness.run();
    harness.get_by_label("Add a note on this source").click();
    harness.run();
    harness.get_by_label("Note text 1 on this source").focus();
    harness.get_by_label("Note text 1 on this source").type_text("Only the abstract is visible in this copy.");
    harness.run();
    harness.state_mut().flush_all();
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label(&format!("Notes on source {short} (1)"));
    let notes = Store::open(&dir.path().join("atlas.sqlite")).expect("open").notes().expect("notes");
    assert_eq!((notes[0].target_kind.as_str(), notes[0].target_id.as_deref()), ("source", Some(url.as_str())));
}

#[test]
fn a_coded_passage_asks_for_the_author_first_and_the_author_can_change() {
    use integration_atlas::ui::command::CodingCmd;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, UiState { view: View::Notes, ..UiState::default() });
    harness.run();
    let code = {
        let app = harness.state_mut();
        common::note_command(app, NoteCmd::AddCode { name: "Funding".to_owned(), parent: None, on_note: None });
        let ws = &app.session().expect("open").workspace;
        ws.codes.iter().find(|c| c.name == "Funding").expect("code").uuid.clone()
    };
    let apply = CodingCmd::Apply {
        codes: vec![code],
        kind: integration_atlas::store::codings::TargetKind::Challenge,
        id: "C-ATH-01".to_owned(),
        start: 0,
        end: 5,
    };
    harness.state_mut().command(integration_atlas::ui::Command::Codings(apply));
    harness.run();
    // Nothing is coded by "unknown": the name is asked first, then the passage is coded with it.
    harness.get_by_label_contains("Notes and coded passages carry their author's name");
    let codings = |dir: &tempfile::TempDir| {
        Store::open(&dir.path().join("atlas.sqlite")).expect("db").codings().expect("codings")
    };
    assert!(codings(&dir).is_empty());
    harness.get_by_label("Your name:").focus();
    harness.get_by_label("Your name:").type_text("Ana");
    harness.run();
    harness.get_by_label("Save name").click();
    harness.run();
    harness.state_mut().flush_all();
    let saved = codings(&dir);
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].author, "Ana");
    // Notes ▸ Change author…: the name filled in, another given.
    harness.get_by_label("Change author…").click();
    harness.run();
    harness.get_by_label("Your name:").focus();
    harness.run();
    for _ in 0..3 {
        harness.key_press(Key::Backspace);
    }
    harness.get_by_label("Your name:").type_text("Bo");
    harness.run();
    harness.get_by_label("Save name").click();
    harness.run();
    assert_eq!(harness.state().session().expect("open").workspace.author.as_deref(), Some("Bo"));
    assert!(harness.query_by_label("Save name").is_none(), "the prompt closed");
}

/// Keyboard only: Enter on "Add note", the name typed into the prompt that opens, Enter, and the next keys are the
/// new note's text (the keyboard is not lost on the way).
#[test]
fn after_the_author_prompt_the_keyboard_is_in_the_new_note() {
    let (dir, db) = common::temp_db();
    let mut state = UiState { view: View::Explorer, ..UiState::default() };
    state.explorer.selected = Some("C-AMS-01".to_owned());
    let mut harness = common::app(&db, state);
    harness.run();
    harness.get_by_label("Add a note on C-AMS-01").focus();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.run();
    harness.event(eframe::egui::Event::Text("Ana".to_owned()));
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.run();
    harness.event(eframe::egui::Event::Text("Typed straight away.".to_owned()));
    harness.run();
    harness.state_mut().flush_all();
    let notes = Store::open(&dir.path().join("atlas.sqlite")).expect("db").notes().expect("notes");
    assert_eq!(notes.len(), 1, "the note was made after the name");
    assert_eq!((notes[0].author.as_str(), notes[0].text.as_str()), ("Ana", "Typed straight away."));
}
