//! The Self-assessment view through the real app, by accessible labels: a city assesses itself (scores,
//! justification), attaches evidence that opens in the explorer, compares itself on the radar and its table, plans
//! an action from a practice for a weak objective, tracks an indicator, marks the action done, and next year's
//! assessment shows the progress. Every write is checked in the database through a second connection; undo and the
//! exports are checked too.

mod common;

use std::path::Path;

use eframe::egui::{self, Key};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use integration_atlas::store::Store;
use integration_atlas::store::assessments::{ActionStatus, Direction};
use integration_atlas::ui::{AtlasApp, View};

fn app(db: &Path) -> Harness<'static, AtlasApp> {
    common::app_sized(db, common::on(View::Assess), [1500.0, 2600.0])
}

fn type_into(harness: &mut Harness<'_, AtlasApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}

fn click(harness: &mut Harness<'_, AtlasApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.run();
}

fn db(path: &Path) -> Store {
    Store::open(path).expect("second connection")
}

fn new_assessment(harness: &mut Harness<'_, AtlasApp>, city: &str, date: &str) {
    type_into(harness, "City name:", city);
    type_into(harness, "Date (YYYY-MM-DD):", date);
    type_into(harness, "Assessor:", "Ana Costa");
    click(harness, "New assessment");
}

#[test]
fn a_city_runs_the_assessment_cycle_end_to_end() {
    let (dir, path) = common::temp_db();
    let mut harness = app(&path);
    harness.run();
    assert!(harness.query_by_label("Scores and evidence").is_none(), "no assessment open yet");

    // 1. Bad input changes nothing; then Vienna's first assessment (the assessor becomes the author).
    type_into(&mut harness, "City name:", "Vienna");
    type_into(&mut harness, "Date (YYYY-MM-DD):", "March 2025");
    type_into(&mut harness, "Assessor:", "Ana Costa");
    click(&mut harness, "New assessment");
    assert!(harness.query_by_label_contains("is not a date").is_some());
    assert!(db(&path).assessments().unwrap().is_empty());
    new_assessment(&mut harness, "Vienna", "2025-03-01");
    let saved = db(&path).assessments().unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!((saved[0].city.as_str(), saved[0].assessor.as_str()), ("Vienna", "Ana Costa"));
    assert_eq!(harness.state().session().unwrap().workspace.author.as_deref(), Some("Ana Costa"));

    // 2. Scores 0–4 with a justification; objective 12 stays not assessed.
    for n in 1..=11 {
        let score = if n == 3 { 1 } else { 2 + n % 3 };
        click(&mut harness, &format!("Objective {n} score {score}"));
    }
    // Typing a justification, then a score in the same row: both are kept.
    type_into(&mut harness, "Objective 3 justification", "No shared data between levels yet.");
    click(&mut harness, "Objective 3 score 1");
    assert_eq!(db(&path).assessments().unwrap()[0].justification(3), "No shared data between levels yet.");
    type_into(&mut harness, "Objective 3 justification", "No shared data between levels.");
    click(&mut harness, "Objective 3 score 0");
    assert_eq!(db(&path).assessments().unwrap()[0].score(3), Some(0));
    click(&mut harness, "Objective 3 score 1");
    click(&mut harness, "Objective 4 score 2");
    let a = &db(&path).assessments().unwrap()[0];
    assert_eq!(a.score(3), Some(1));
    assert_eq!(a.score(4), Some(2));
    assert_eq!(a.score(12), None);
    assert_eq!(a.justification(3), "No shared data between levels.");

    // Undo (Ctrl+Z in this view) takes back the last score, redo puts it back.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(db(&path).assessments().unwrap()[0].score(4), Some(3), "undone");
    harness.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, Key::Z);
    harness.run();
    assert_eq!(db(&path).assessments().unwrap()[0].score(4), Some(2), "redone");

    // Evidence: an unknown id is refused; a shipped record is listed and opens in the explorer.
    let record = harness.state().session().unwrap().atlas.evidence[0].id.clone();
    type_into(&mut harness, "Evidence record id:", "NO-SUCH-ID");
    click(&mut harness, "Attach evidence");
    assert!(harness.query_by_label_contains("No record \"NO-SUCH-ID\"").is_some());
    type_into(&mut harness, "Evidence record id:", &record);
    click(&mut harness, "Attach evidence");
    let a = &db(&path).assessments().unwrap()[0];
    assert_eq!(a.evidence.len(), 1);
    assert_eq!((a.evidence[0].kind.as_str(), a.evidence[0].target.as_str()), ("record", record.as_str()));
    click(&mut harness, &format!("Open evidence {record}"));
    assert_eq!(harness.state().ui().view, View::Explorer);
    assert_eq!(harness.state().ui().explorer.selected.as_deref(), Some(record.as_str()));
    harness.state_mut().ui_mut().view = View::Assess;
    harness.run();

    // 3. Compare: the radar and its table; then plan an action from a practice for the weak objective 3.
    click(&mut harness, "Compare and learn");
    harness.get_by_label_contains("Radar of the 12 objectives: Vienna, 2025-03-01");
    harness.get_by_label("The radar's numbers");
    harness.get_by_label("Cities like mine by regional profile");
    let uuid = harness.state().ui().assess.assessment.clone().expect("open");
    let report = harness.state().session().unwrap().assessment_report(&uuid, "2025-03-02").expect("report");
    let weak = report.weak.iter().find(|w| w.objective == 3).expect("objective 3 is weak");
    let practice = weak.practices.first().expect("a practice for the weak objective 3").id.clone();
    let plan = format!("Plan an action from {practice} for objective 3");
    harness.get_by_label(&format!("Open practice {practice} for objective 3"));
    click(&mut harness, &plan);
    let actions = db(&path).city_actions().unwrap();
    assert_eq!(actions.len(), 1);
    assert_eq!((actions[0].objective, actions[0].practices.clone()), (3, vec![practice.clone()]));
    assert_eq!(harness.state().ui().assess.tab, integration_atlas::ui::AssessTab::Plan);

    // 5. An action due in the past is flagged overdue, with the rule under the list.
    type_into(&mut harness, "Action title:", "Joint data protocol");
    type_into(&mut harness, "Owner:", "Integration office");
    type_into(&mut harness, "Due (YYYY-MM-DD):", "2025-06-30");
    click(&mut harness, "Add action");
    assert_eq!(db(&path).city_actions().unwrap().len(), 2);
    harness.get_by_label_contains("OVERDUE by");
    harness.get_by_label_contains("Overdue: open (planned or in progress) and past its due date.");
    // The first action is done.
    let title = actions[0].title.clone();
    type_into(&mut harness, &format!("Progress note for {title}:"), "Adopted by the council");
    click(&mut harness, &format!("Add progress to {title} as done"));
    let done = db(&path).city_actions().unwrap().into_iter().find(|a| a.title == title).unwrap();
    assert_eq!(done.status, ActionStatus::Done);
    assert_eq!(done.progress.len(), 1);

    // 4. An indicator with a target and two values.
    click(&mut harness, "Indicators");
    type_into(&mut harness, "Indicator name:", "Shared datasets");
    type_into(&mut harness, "Unit:", "count");
    type_into(&mut harness, "Target:", "5");
    click(&mut harness, "Add indicator");
    let ind = db(&path).city_indicators().unwrap();
    assert_eq!((ind.len(), ind[0].target), (1, Some(5.0)));
    for (date, value) in [("2025-01-01", "1"), ("2026-06-01", "4")] {
        type_into(&mut harness, "Date for Shared datasets:", date);
        type_into(&mut harness, "Value for Shared datasets:", value);
        click(&mut harness, "Add value to Shared datasets");
    }
    assert_eq!(db(&path).city_indicators().unwrap()[0].values.len(), 2);
    harness.get_by_label("Chart of Shared datasets over time");

    // Next year's assessment shows the progress: objective 3 up, the action done, the indicator better.
    new_assessment(&mut harness, "Vienna", "2099-03-01");
    assert_eq!(db(&path).assessments().unwrap().len(), 2);
    for n in 1..=11 {
        let score = match n {
            3 => 3,
            4 => 2, // as it was left in the first assessment
            _ => 2 + n % 3,
        };
        click(&mut harness, &format!("Objective {n} score {score}"));
    }
    click(&mut harness, "Action plan and progress");
    harness.get_by_label_contains("From 2025-03-01 to 2099-03-01: 1 objectives improved, 0 worsened");
    harness.get_by_label(&format!("Actions done in between: {title}"));
    harness.get_by_label_contains("Shared datasets (count): 1 (2025-01-01) → 4 (2026-06-01), better");

    // 6. The brief exports through the save window.
    click(&mut harness, "Export Markdown…");
    harness.get_by_label("Export self-assessment report");
    harness.get_by_label_contains("action plan, practices to learn from and cities like this one (Markdown).");
    harness.get_by_label("Save to file:").focus();
    harness.get_by_label("Save to file:").type_text(&dir.path().display().to_string());
    harness.run();
    click(&mut harness, "Save report");
    assert_eq!(
        harness.state().message(),
        Some(
            format!(
                "Exported the self-assessment report to {}",
                dir.path().join("vienna-assessment-2099-03-01.md").display()
            )
            .as_str()
        )
    );
    let text = std::fs::read_to_string(dir.path().join("vienna-assessment-2099-03-01.md")).expect("brief written");
    assert!(text.contains("Vienna"), "{text}");
    assert!(text.contains(&title), "{text}");
}

/// Renders each part of the view with two assessments of Vienna and one of Athens to PNG files in the temp folder
/// when `ASSESS_PNG` is set (to look at them; nothing is compared).
#[test]
fn the_view_renders_each_part() {
    if std::env::var_os("ASSESS_PNG").is_none() {
        return;
    }
    use integration_atlas::annotate::assessments::{AssessmentDesk, new_action, new_indicator};
    use integration_atlas::session::Assessment;
    use integration_atlas::ui::{AssessTab, Launch, UiState};
    let (_dir, path) = common::temp_db();
    let store = Store::open(&path).unwrap();
    let mut desk = AssessmentDesk::load(&store).unwrap();
    let mut first = Assessment::new("Vienna", Some("AUT"), "2025-03-01", "Ana Costa");
    let mut second = Assessment::new("Vienna", Some("AUT"), "2026-03-01", "Ana Costa");
    let mut athens = Assessment::new("Athens", Some("GRC"), "2026-01-15", "Nikos");
    first.region = Some("AT13".into());
    second.region = Some("AT13".into());
    for n in 1..=12 {
        first.set_score(n, (n != 12).then_some((n % 4) + 1), "");
        second.set_score(n, Some(((n + 1) % 5).min(4)), if n == 3 { "Data sharing started." } else { "" });
        athens.set_score(n, Some((n % 3) + 1), "");
    }
    let uuid = second.uuid.clone();
    for a in [first, second, athens] {
        desk.save_assessment(&store, a).unwrap();
    }
    let mut i = new_indicator("Vienna", 3, "Shared datasets", "count", Direction::Higher);
    i.target = Some(5.0);
    let iu = i.uuid.clone();
    desk.save_indicator(&store, i).unwrap();
    desk.set_indicator_value(&store, &iu, "2025-01-01", 1.0, "").unwrap();
    desk.set_indicator_value(&store, &iu, "2026-02-01", 3.0, "").unwrap();
    let mut a = new_action("Vienna", 3, "Joint data protocol");
    a.owner = "Integration office".into();
    a.due_on = Some("2025-06-30".into());
    desk.save_action(&store, a).unwrap();
    drop(store);
    for (tab, name) in [
        (AssessTab::Scores, "scores"),
        (AssessTab::Compare, "compare"),
        (AssessTab::Indicators, "indicators"),
        (AssessTab::Plan, "plan"),
    ] {
        let mut state = UiState { view: View::Assess, ..UiState::default() };
        state.assess.city = Some("Vienna".into());
        state.assess.assessment = Some(uuid.clone());
        state.assess.tab = tab;
        let db = path.clone();
        let mut harness =
            Harness::builder().with_size([1400.0, 1000.0]).with_theme(egui::Theme::Light).wgpu().build_eframe(
                move |cc| AtlasApp::with_state(&cc.egui_ctx, Launch { db: Some(db), ..Default::default() }, state),
            );
        harness.run();
        let image = harness.render().expect("renders");
        let out = std::env::temp_dir().join(format!("assess-{name}.png"));
        image.save(&out).expect("png written");
    }
}

#[test]
fn a_round_participant_is_adopted_linked_to_its_region_exported_and_added_to_a_story() {
    use integration_atlas::answers::format::score_code;
    let (dir, path) = common::temp_db();
    {
        let store = Store::open(&path).unwrap();
        let round = store.create_live_round("Vienna workshop", Some("2026-02-10")).unwrap();
        for n in 1..=12 {
            store.set_answer(&round, "Vienna team", Some("Vienna"), &score_code(n), Some((n % 5) as f64)).unwrap();
        }
    }
    let mut harness = app(&path);
    harness.run();
    type_into(&mut harness, "Assessor:", "Ana Costa");
    click(&mut harness, "Adopt from workshop round:");
    click(&mut harness, "Vienna workshop");
    click(&mut harness, "Adopt Vienna team (Vienna)");
    let saved = db(&path).assessments().unwrap();
    assert_eq!(saved.len(), 1);
    let a = &saved[0];
    assert_eq!(
        (a.city.as_str(), a.assessed_on.as_str(), a.round_respondent.as_deref()),
        ("Vienna", "2026-02-10", Some("Vienna team"))
    );
    assert_eq!((a.score(1), a.score(4), a.score(5)), (Some(1), Some(4), Some(0)));

    // The radar against the round's average.
    click(&mut harness, "Compare and learn");
    click(&mut harness, "Compare with:");
    click(&mut harness, "Workshop round “Vienna workshop” average");
    harness.get_by_label_contains("against Round “Vienna workshop” average");

    // An indicator linked to the regional database shows the region's value and rank, without a reference year.
    click(&mut harness, "Indicators");
    type_into(&mut harness, "Indicator name:", "Employment gap");
    click(&mut harness, "Link to the regional database (AT13):");
    let first = harness.state().session().unwrap().atlas.indicators[0].name.clone();
    harness.get_all_by_label(&first).last().expect("option").click();
    harness.run();
    click(&mut harness, "Add indicator");
    let ind = &db(&path).city_indicators().unwrap()[0];
    assert_eq!(ind.region.as_deref(), Some("AT13"));
    harness.get_by_label_contains("reference year not given");

    // The workbook through the save window.
    click(&mut harness, "Export XLSX…");
    harness.get_by_label("Save to file:").focus();
    harness.get_by_label("Save to file:").type_text(&dir.path().display().to_string());
    harness.run();
    click(&mut harness, "Export");
    let xlsx = dir.path().join("vienna-assessment-2026-02-10.xlsx");
    assert!(std::fs::metadata(&xlsx).map(|m| m.len() > 0).unwrap_or(false), "{:?}", harness.state().message());

    // A story slide titled from the assessment.
    click(&mut harness, "Add to story");
    let stories = db(&path).stories().unwrap();
    assert_eq!(stories[0].slides[0].title, "Vienna: self-assessment 2026-02-10");
}

#[test]
fn an_assessment_is_deleted_after_confirming_and_undo_brings_it_back() {
    let (_dir, path) = common::temp_db();
    let mut harness = app(&path);
    harness.run();
    new_assessment(&mut harness, "Vienna", "2025-03-01");
    assert!(harness.query_by_label("Scores and evidence").is_some());
    click(&mut harness, "Delete assessment…");
    // "Keep" leaves it as it was.
    click(&mut harness, "Keep");
    assert_eq!(db(&path).assessments().unwrap().iter().filter(|a| a.deleted_at.is_none()).count(), 1);
    click(&mut harness, "Delete assessment…");
    click(&mut harness, "Delete");
    assert!(harness.query_by_label("Scores and evidence").is_none(), "nothing open any more");
    let stored = db(&path).assessments().unwrap();
    assert_eq!(stored.len(), 1, "kept as a tombstone");
    assert!(stored[0].deleted_at.is_some());
    harness.get_by_label_contains("Deleted the assessment");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(db(&path).assessments().unwrap()[0].deleted_at.is_none(), "undo brings it back");
}

/// A justification is written however its field is left: Esc, a click on another view in the same instant, Ctrl+Q
/// while it still has focus.
#[test]
fn typed_justifications_survive_esc_a_view_switch_and_ctrl_q() {
    let (_dir, path) = common::temp_db();
    let mut harness = app(&path);
    harness.run();
    new_assessment(&mut harness, "Vienna", "2025-03-01");
    let typed = |harness: &mut Harness<'_, AtlasApp>, n: i64, text: &str| {
        let label = format!("Objective {n} justification");
        harness.get_by_label(&label).focus();
        harness.run();
        harness.get_by_label(&label).type_text(text);
    };
    // Esc in the same frame as the last key.
    typed(&mut harness, 1, "Esc right after typing.");
    harness.key_press(Key::Escape);
    harness.run();
    harness.run();
    assert_eq!(db(&path).assessments().unwrap()[0].justification(1), "Esc right after typing.");
    // A click on another view while the field still has focus.
    typed(&mut harness, 2, "Left by a click on Home.");
    harness.run();
    harness.get_by_label("Home").click();
    harness.run();
    harness.run();
    assert_eq!(harness.state().ui().view, View::Home);
    assert_eq!(db(&path).assessments().unwrap()[0].justification(2), "Left by a click on Home.");
    harness.state_mut().ui_mut().view = View::Assess;
    harness.run();
    // Ctrl+Q with the focus still in the field.
    typed(&mut harness, 3, "Quit with the focus here.");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Q);
    harness.run();
    assert_eq!(db(&path).assessments().unwrap()[0].justification(3), "Quit with the focus here.");
    // Nothing else was changed on the way.
    let a = &db(&path).assessments().unwrap()[0];
    assert_eq!((a.justification(1), a.justification(2)), ("Esc right after typing.", "Left by a click on Home."));
}
