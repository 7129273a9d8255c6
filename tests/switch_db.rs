//! File ▸ Open database… switches everything: after the switch, search, stories, the workshop, responses and notes
//! show the new database's data only (the per-database runtime state is dropped with the old session).

mod common;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use integration_atlas::annotate::Workspace;
use integration_atlas::store::Store;
use integration_atlas::ui::{AtlasApp, View};

/// A database holding a note, a story with one slide and a live round with one answer, all named after `tag`.
fn database(dir: &tempfile::TempDir, tag: &str) -> std::path::PathBuf {
    let path = dir.path().join(format!("{tag}.sqlite"));
    let store = Store::open(&path).expect("create");
    let mut ws = Workspace::load(&store).expect("workspace");
    ws.set_author(&store, &format!("Author {tag}")).expect("author");
    let note = ws.add_note(&store, integration_atlas::store::codings::TargetKind::Memo, None);
    ws.edit_text(&note, &format!("Memo only in {tag}"));
    ws.flush(&store, true);
    let story = store.create_story(&format!("Story {tag}")).expect("story");
    store.add_slide(&story, None, &format!("Slide of {tag}"), "", "{}").expect("slide");
    let round = store.create_live_round(&format!("Round {tag}"), Some("2026-11-30")).expect("round");
    store.set_answer(&round, &format!("Participant {tag}"), None, "CL_SCORE_01", Some(3.0)).expect("answer");
    path
}

fn go(harness: &mut Harness<'_, AtlasApp>, view: View) {
    harness.get_by_label(view.label()).click();
    harness.run();
}

fn shows(harness: &Harness<'_, AtlasApp>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

#[test]
fn after_opening_another_database_every_view_shows_its_data_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = database(&dir, "Alpha");
    let b = database(&dir, "Beta");
    let mut harness = common::app(&a, common::on(View::Home));
    harness.run();

    // Visit every view that caches something of database A, and leave the global search open on its memo.
    for view in [View::Stories, View::Workshop, View::Responses, View::Notes] {
        go(&mut harness, view);
        assert!(shows(&harness, "Alpha"), "{view:?} shows database A");
    }
    harness.get_by_label("Search").click();
    harness.run();
    harness.get_by_label("Search all records:").type_text("Alpha");
    harness.run();
    harness.run();
    assert!(shows(&harness, "Memo only in Alpha"), "the search finds A's memo");

    // File ▸ Open database… B.
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Open database…").click();
    harness.run();
    harness.get_by_label("Database file:").focus();
    harness.run();
    harness.get_by_label("Database file:").type_text(&b.display().to_string());
    harness.run();
    harness.get_by_label("Open this database").click();
    harness.step();
    common::wait_until(&mut harness, |h| !h.state().is_opening());
    harness.run();
    assert_eq!(harness.state().message(), Some(format!("Opened {}", b.display()).as_str()));
    assert_eq!(harness.state().session().expect("open").path(), b);
    assert!(!shows(&harness, "Memo only in Alpha"), "the old search results are gone");

    for view in [View::Stories, View::Workshop, View::Responses, View::Notes] {
        go(&mut harness, view);
        assert!(!shows(&harness, "Alpha"), "{view:?} shows nothing of database A");
        assert!(shows(&harness, "Beta"), "{view:?} shows database B");
    }
    harness.get_by_label("Search").click();
    harness.run();
    harness.get_by_label("Search all records:").type_text("only");
    harness.run();
    harness.run();
    assert!(shows(&harness, "Memo only in Beta"));
    assert!(!shows(&harness, "Memo only in Alpha"));
}
