//! The Workshop view through the real app: open a live round, enter five participants as a facilitator would
//! (type-ahead for cities, Tab and Enter between fields, gap ticks), read the charts' numbers from their tables, and
//! find every answer in the database through a second connection.

mod common;

use std::path::Path;

use common::db_in as db_path;
use eframe::egui::{self, Key};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use integration_atlas::answers;
use integration_atlas::model::AnswerSet;
use integration_atlas::store::Store;
use integration_atlas::ui::{AtlasApp, View};

fn app(db: &Path) -> Harness<'static, AtlasApp> {
    common::app_sized(db, common::on(View::Workshop), [1600.0, 1400.0])
}

/// One answer as a user would compare it: (respondent, city, question, value).
type Row = (String, Option<String>, String, String);

/// The answers in the database, read through a second connection, with every answer as a sorted [`Row`].
fn in_db(path: &Path) -> (AnswerSet, Vec<Row>) {
    let store = Store::open(path).expect("second connection");
    let atlas = store.load_atlas().expect("atlas");
    let set = store.load_answers(&answers::catalogue(&atlas)).expect("answers");
    let mut rows: Vec<_> = set
        .answers
        .iter()
        .map(|a| {
            let who = &set.respondents[a.respondent as usize];
            (
                who.id.clone(),
                who.city.clone(),
                set.questions[a.question as usize].code.clone(),
                AnswerSet::value_text(a),
            )
        })
        .collect();
    rows.sort();
    (set, rows)
}

fn type_into(harness: &mut Harness<'_, AtlasApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}

/// Types `text` into whatever has the keyboard.
fn type_here(harness: &mut Harness<'_, AtlasApp>, text: &str) {
    harness.event(egui::Event::Text(text.to_owned()));
    harness.run();
}

fn press(harness: &mut Harness<'_, AtlasApp>, key: Key) {
    harness.key_press(key);
    harness.run();
}

fn value_of(harness: &Harness<'_, AtlasApp>, label: &str) -> String {
    harness.get_by_label(label).value().unwrap_or_default()
}

fn open_round(harness: &mut Harness<'_, AtlasApp>) {
    // The date field starts on today's date; replace it.
    type_into(harness, "Round title:", "Vienna workshop");
    harness.get_by_label("Round date:").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness.run();
    type_here(harness, "2026-11-23");
    harness.get_by_label("Open round").click();
    harness.run();
}

#[test]
fn a_round_of_five_entered_by_keyboard_is_charted_and_saved() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = db_path(&dir);
    let mut harness = app(&path);
    harness.run();
    open_round(&mut harness);
    assert!(harness.query_by_label("Participants with answers: 0").is_some(), "the round is open and empty");

    // Vienna by type-ahead: "vie" offers Vienna; Enter takes it and adds the row, with the keyboard on its first
    // score. Then 1, Tab, 4, Tab, 2 for objectives 1–3.
    type_into(&mut harness, "Add participant (city or name):", "vie");
    press(&mut harness, Key::Enter);
    assert!(harness.get_by_label("Score for objective 1 of Vienna").is_focused(), "Enter moves to the first score");
    type_here(&mut harness, "1");
    press(&mut harness, Key::Tab);
    type_here(&mut harness, "4");
    press(&mut harness, Key::Tab);
    type_here(&mut harness, "2");
    assert_eq!(value_of(&harness, "Score for objective 2 of Vienna"), "4");
    assert_eq!(value_of(&harness, "Score for objective 3 of Vienna"), "2");
    // Enter in the last row's score goes back to the participant field.
    press(&mut harness, Key::Enter);
    assert!(harness.get_by_label("Add participant (city or name):").is_focused());

    // Four more: a city typed in full, lower case (written as the atlas spells it), and names that are not cities.
    for (typed, name, score) in [("athens", "Athens", "2"), ("Berlin", "Berlin", "3"), ("Rome", "Rome", "3")] {
        type_here(&mut harness, typed);
        press(&mut harness, Key::Enter);
        assert!(harness.get_by_label(&format!("Score for objective 1 of {name}")).is_focused(), "{name}");
        type_here(&mut harness, score);
        // Enter in the last row's score: back to the participant field for the next one.
        press(&mut harness, Key::Enter);
    }
    type_into(&mut harness, "Add participant (city or name):", "Ana from Lyon");
    press(&mut harness, Key::Enter);
    type_here(&mut harness, "3");

    // A score that is not one: explained, shown in the field, not written.
    type_into(&mut harness, "Score for objective 2 of Rome", "7");
    assert!(harness.query_by_label_contains("“7” is not a score").is_some());
    press(&mut harness, Key::Escape);

    // Gaps: funding with national for Vienna and Athens (Athens also regional), with the EU for Berlin.
    for (who, levels) in
        [("Vienna", &["national"][..]), ("Athens", &["national", "regional/state"]), ("Berlin", &["EU"])]
    {
        harness.get_by_label(&format!("Gaps of {who}")).click();
        harness.run();
        for level in levels {
            harness.get_by_label(&format!("Gap funding with {level} of {who}")).click();
            harness.run();
        }
    }
    // Rome ticks information with municipal, then unticks it: nothing stays.
    harness.get_by_label("Gaps of Rome").click();
    harness.run();
    for _ in 0..2 {
        harness.get_by_label("Gap information with municipal of Rome").click();
        harness.run();
    }

    // The charts' numbers, as the tables beside them show them.
    for label in [
        "Participants with answers: 5",
        "Answers on objective 1: 5",
        "Mean score of objective 1: 2.4",
        "Spread of objective 1: 0.8",
        "Range of objective 1: 1–3",
        "Mean score of objective 2: 4.0",
        "Answers on objective 4: 0",
        "funding gaps with national: 2",
        "funding gaps with EU: 1",
        "funding gaps with regional/state: 1",
        "funding gaps at any level: 3 of 5",
        "information gaps at any level: 0 of 5",
        "Room naming funding gaps: 3 of 5 (60%)",
        "Evidence challenges with funding gaps: 10 of 84 (12%)",
        "Room naming capacity gaps: 0 of 5 (0%)",
        "Evidence challenges with capacity gaps: 15 of 84 (18%)",
    ] {
        assert!(harness.query_by_label(label).is_some(), "missing {label:?}");
    }
    harness.get_by_label("Chart of average and spread per objective");
    harness.get_by_label("Chart of gaps by level");
    harness.get_by_label("Chart of the room beside the evidence");

    // Results are computed when the answers change, not every frame.
    let before = workshop_computations(&harness);
    harness.run_steps(5);
    assert_eq!(workshop_computations(&harness), before);

    // Everything is in the database, as answers of a live round.
    let (set, rows) = in_db(&path);
    assert_eq!(set.rounds.len(), 1);
    let round = &set.rounds[0];
    assert_eq!(
        (round.title.as_str(), round.kind.as_str(), round.held_on.as_deref()),
        ("Vienna workshop", "live", Some("2026-11-23"))
    );
    let row = |who: &str, city: Option<&str>, code: &str, v: &str| {
        (who.to_owned(), city.map(str::to_owned), code.to_owned(), v.to_owned())
    };
    let expected = vec![
        row("Ana from Lyon", None, "CL_SCORE_01", "3"),
        row("Athens", Some("Athens"), "CL_SCORE_01", "2"),
        row("Athens", Some("Athens"), "GAP_FUNDING_NATIONAL", "1"),
        row("Athens", Some("Athens"), "GAP_FUNDING_REGIONAL_STATE", "1"),
        row("Berlin", Some("Berlin"), "CL_SCORE_01", "3"),
        row("Berlin", Some("Berlin"), "GAP_FUNDING_EU", "1"),
        row("Rome", Some("Rome"), "CL_SCORE_01", "3"),
        row("Vienna", Some("Vienna"), "CL_SCORE_01", "1"),
        row("Vienna", Some("Vienna"), "CL_SCORE_02", "4"),
        row("Vienna", Some("Vienna"), "CL_SCORE_03", "2"),
        row("Vienna", Some("Vienna"), "GAP_FUNDING_NATIONAL", "1"),
    ];
    assert_eq!(rows, expected);
    // Participants who name a case-study city carry its country, as imported answers do.
    let country = |who: &str| set.respondents.iter().find(|r| r.id == who).and_then(|r| r.country.clone());
    assert_eq!(country("Vienna").as_deref(), Some("AUT"));
    assert_eq!(country("Athens").as_deref(), Some("GRC"));
    assert_eq!(country("Ana from Lyon"), None);
}

#[test]
fn rename_remove_and_delete_a_round() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = db_path(&dir);
    let mut harness = app(&path);
    harness.run();
    open_round(&mut harness);
    type_into(&mut harness, "Add participant (city or name):", "Vienna");
    press(&mut harness, Key::Enter);
    type_here(&mut harness, "3");
    type_into(&mut harness, "Add participant (city or name):", "Team B");
    press(&mut harness, Key::Enter);
    type_here(&mut harness, "1");
    // Adding a participant twice selects the existing row instead.
    type_into(&mut harness, "Add participant (city or name):", "vienna");
    press(&mut harness, Key::Enter);
    assert!(harness.query_by_label_contains("Vienna is already in this round").is_some());

    // Rename a participant: the field is written when left.
    harness.get_by_label("Name of Team B").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    type_here(&mut harness, "Graz");
    press(&mut harness, Key::Enter);
    assert!(harness.query_by_label("Score for objective 1 of Graz").is_some());
    let (_, rows) = in_db(&path);
    assert!(rows.iter().any(|r| r.0 == "Graz" && r.2 == "CL_SCORE_01"), "{rows:?}");

    // Remove one, with confirmation.
    harness.get_by_label("Remove Graz").click();
    harness.run();
    harness.get_by_label("Yes, remove Graz").click();
    harness.run();
    let (_, rows) = in_db(&path);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(harness.query_by_label("Participants with answers: 1").is_some());

    // Rename the round and change its date.
    harness.get_by_label("Round details").click();
    harness.run();
    harness.get_by_label("Round title:").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    type_here(&mut harness, "Graz workshop");
    harness.get_by_label("Save title and date").click();
    harness.run();
    let (set, _) = in_db(&path);
    assert_eq!(set.rounds[0].title, "Graz workshop");

    // Delete the round, after a confirmation.
    harness.get_by_label("Delete round…").click();
    harness.run();
    harness.get_by_label("Yes, delete this round").click();
    harness.run();
    let (set, rows) = in_db(&path);
    assert!(set.rounds.is_empty() && rows.is_empty());
    assert!(harness.query_by_label("Open round").is_some(), "back to the new round form");
}

fn workshop_computations(harness: &Harness<'_, AtlasApp>) -> u64 {
    let rt = harness.state().runtime().expect("open");
    rt.view_ref::<integration_atlas::ui::views::workshop::WorkshopRuntime>(View::Workshop)
        .expect("shown")
        .cache
        .computations
}

fn key(k: Key, shift: bool) -> Vec<egui::Event> {
    let modifiers = if shift { egui::Modifiers::SHIFT } else { egui::Modifiers::NONE };
    [true, false]
        .map(|pressed| egui::Event::Key { key: k, physical_key: None, pressed, repeat: false, modifiers })
        .to_vec()
}

fn text(t: &str) -> Vec<egui::Event> {
    vec![egui::Event::Text(t.to_owned())]
}

/// A facilitator who types fast: "Ath", Enter (before the suggestion shows), then twelve scores with Tab between
/// them, Tab to the next participant, and so on, replayed at one key per frame, four per frame and all in one frame.
/// Every key must land in the field that had the keyboard when it was typed.
#[test]
fn fast_typing_lands_every_key_in_its_own_field() {
    let scores = ["1", "1", "0", "2", "4", "3", "2", "1", "0", "4", "3", "2"];
    for per_frame in [1usize, 4, 1000] {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = db_path(&dir);
        let mut harness = app(&path);
        harness.run();
        open_round(&mut harness);
        harness.get_by_label("Add participant (city or name):").focus();
        harness.run();
        let mut events = text("Ath");
        events.extend(key(Key::Enter, false));
        for (i, s) in scores.iter().enumerate() {
            events.extend(text(s));
            if i + 1 < scores.len() {
                events.extend(key(Key::Tab, false));
            }
        }
        // A wrong key, corrected with Shift+Tab: Tab past the last score leaves the row for the participant field.
        events.extend(key(Key::Tab, false));
        events.extend(text("Rome"));
        events.extend(key(Key::Enter, false));
        events.extend(text("3"));
        events.extend(key(Key::Tab, false));
        events.extend(text("9"));
        events.extend(key(Key::Backspace, false));
        events.extend(text("4"));
        for chunk in events.chunks(per_frame) {
            for ev in chunk {
                harness.event(ev.clone());
            }
            harness.step();
        }
        harness.run();
        let (_, rows) = in_db(&path);
        let athens: Vec<&str> = rows
            .iter()
            .filter(|(who, _, q, _)| who == "Athens" && q.starts_with("CL_SCORE_"))
            .map(|(_, _, _, v)| v.as_str())
            .collect();
        assert_eq!(athens, scores, "{per_frame} keys per frame: Athens' twelve scores, each where it was typed");
        let rome: Vec<(&str, &str)> = rows
            .iter()
            .filter(|(who, _, q, _)| who == "Rome" && q.starts_with("CL_SCORE_"))
            .map(|(_, _, q, v)| (q.as_str(), v.as_str()))
            .collect();
        assert_eq!(rome, [("CL_SCORE_01", "3"), ("CL_SCORE_02", "4")], "{per_frame} keys per frame: Rome");
        assert!(harness.query_by_label("Participant Ath").is_none());
    }
}

#[test]
fn in_a_round_of_sixty_the_rows_out_of_sight_are_skipped_and_the_keyboard_still_reaches_the_last() {
    let (_dir, path) = common::temp_db();
    let round = {
        let store = Store::open(&path).expect("db");
        let round = store.create_live_round("Big room", Some("2026-11-30")).expect("round");
        for p in 1..=60 {
            store.set_answer(&round, &format!("P{p:02}"), None, "CL_SCORE_01", Some(1.0)).expect("answer");
        }
        round
    };
    let mut state = common::on(View::Workshop);
    state.workshop.round = Some(round);
    state.workshop.layout = integration_atlas::ui::state::Layout::Entry;
    let mut harness = common::app_sized(&path, state, [1280.0, 700.0]);
    harness.run();
    // Only the rows in sight have their fields; the last ones are out of sight.
    harness.get_by_label("Name of P01");
    assert!(harness.query_by_label("Name of P60").is_none(), "row 60 is out of sight and not drawn");
    // Enter in a score goes down a participant at a time, scrolling with the keyboard, down to the last one.
    harness.get_by_label("Score for objective 2 of P01").focus();
    harness.run();
    for _ in 1..60 {
        press(&mut harness, Key::Enter);
    }
    assert!(harness.get_by_label("Score for objective 2 of P60").is_focused(), "the keyboard reached row 60");
    type_here(&mut harness, "3");
    press(&mut harness, Key::Tab);
    let (_, rows) = in_db(&path);
    assert!(rows.contains(&("P60".to_owned(), None, "CL_SCORE_02".to_owned(), "3".to_owned())), "saved for P60");
}
