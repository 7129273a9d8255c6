//! The Governance view, the report's findings on Home and beside their views, and the checklist's wording labels,
//! driven through the real app by accessible labels.

mod common;

use common::{app_in, on};
use eframe::egui;
use egui_kittest::kittest::Queryable as _;
use integration_atlas::analysis::governance;
use integration_atlas::ui::{UiState, View};

#[test]
fn austria_shows_filled_cells_with_sources_gaps_and_challenges_between_levels() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_in(&dir, on(View::Governance));
    harness.run();
    harness.get_by_label("Choose the country").click();
    harness.run();
    harness.get_by_role_and_label(egui::accesskit::Role::Button, "Country Austria").scroll_to_me();
    harness.run();
    harness.get_by_role_and_label(egui::accesskit::Role::Button, "Country Austria").click();
    harness.run();
    assert_eq!(harness.state().ui().governance_country, "AUT");
    harness.get_by_label_contains("Who does what — Austria");
    // A filled cell: its body, role and tag, its sources behind a click.
    harness.get_by_label("national, labour: AMS (public employment service)");
    harness.get_by_label_contains("Sources (3)").click();
    harness.run();
    harness.get_by_label_contains("Copy URL 1 of G-066");
    // A gap reads as a gap.
    harness.get_by_label("EU, housing: gap: no source available to us");
    harness.get_by_label_contains("cells filled");
    // A challenge recorded between two levels opens in the explorer.
    let (a, b, hits, id) = {
        let atlas = &harness.state().session().expect("open").atlas;
        let (a, b, hits) = governance::level_pairs(atlas, "AUT").into_iter().next().expect("a pair of levels");
        let ids: Vec<String> = hits.iter().map(|e| e.id.clone()).collect();
        (a, b, ids.len(), ids[0].clone())
    };
    let pair = format!("{a} ↔ {b}: {hits} challenge{}", if hits == 1 { "" } else { "s" });
    harness.get_by_label(&pair).scroll_to_me();
    harness.run();
    harness.get_by_label(&pair).click();
    harness.run();
    let link = format!("Open challenge {id} ({a} – {b})");
    harness.get_by_label(&link).scroll_to_me();
    harness.run();
    harness.get_by_label(&link).click();
    harness.run();
    assert_eq!(harness.state().ui().view, View::Explorer);
    assert_eq!(harness.state().ui().explorer.selected.as_deref(), Some(id.as_str()));
    // The instruments are listed, the tables export the grid with its gaps, and the slide title is in words.
    let atlas = &harness.state().session().expect("open").atlas;
    assert_eq!(atlas.coordination_tools.len(), 6);
    let tables = integration_atlas::export::tables::governance(atlas, "AUT");
    assert_eq!(tables.len(), 3);
    let csv = integration_atlas::export::csv_string(&tables[0]);
    assert!(csv.contains("AMS (public employment service)"), "{csv}");
    assert!(csv.contains("EU,housing,,gap: no source available to us"), "{csv}");
    assert_eq!(tables[2].rows.len(), 6);
    let state = UiState { view: View::Governance, governance_country: "AUT".to_owned(), ..UiState::default() };
    let title = integration_atlas::ui::views::get(View::Governance).slide_title(harness.state().session(), &state);
    assert_eq!(title, "Who does what — Austria");
}

#[test]
fn home_shows_the_findings_and_one_opens_its_evidence() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_in(&dir, on(View::Home));
    harness.run();
    harness.get_by_label("Finding FND-01: Where migrants settle");
    harness.get_by_label("Finding FND-12: Next step: aligned measurement across levels");
    // An indicator opens Regions on it.
    harness.get_by_label("Open FND-01 in Regions").scroll_to_me();
    harness.run();
    harness.get_by_label("Open FND-01 in Regions").click();
    harness.run();
    assert_eq!(harness.state().ui().view, View::Regions);
    assert_eq!(harness.state().ui().regions.indicator, "ShareMig");
    // Records open in the explorer.
    harness.get_by_label("Home").click();
    harness.run();
    harness.get_by_label("Open the records of FND-13").scroll_to_me();
    harness.run();
    harness.get_by_label("Open the records of FND-13").click();
    harness.run();
    assert_eq!(harness.state().ui().view, View::Explorer);
    assert_eq!(harness.state().ui().explorer.selected.as_deref(), Some("C-ALT-01"));
    // Beside the explorer: its findings, collapsed.
    harness.get_by_label_contains("Findings of the report (");
}

#[test]
fn the_checklist_says_paraphrase_where_the_data_does() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_in(&dir, on(View::Checklist));
    harness.run();
    let n = harness.query_all_by_label_contains("paraphrase: the OECD's own title was not found").count();
    assert!(n >= 1, "paraphrased objectives are labelled so");
    assert!(harness.query_by_label_contains("wording status unknown").is_none());
}

#[test]
fn global_search_finds_findings_and_who_does_what() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_in(&dir, on(View::Home));
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    harness.get_by_label("Search all records:").type_text("public employment service");
    harness.run();
    harness.get_by_label_contains("Who does what (");
    let hit = "Austria — national, labour: AMS (public employment service)";
    harness.get_by_label(hit).scroll_to_me();
    harness.run();
    harness.get_by_label(hit).click();
    harness.run();
    assert_eq!(harness.state().ui().view, View::Governance);
    assert_eq!(harness.state().ui().governance_country, "AUT");
    let mut harness = app_in(&dir, on(View::Home));
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    harness.get_by_label("Search all records:").type_text("aligned measurement");
    harness.run();
    harness.get_by_label_contains("Findings of the report (");
}

#[test]
fn acronyms_are_spelled_out_under_a_record_and_in_helps_glossary() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut state = on(View::Explorer);
    state.explorer.selected = Some("P-PAR-09".to_owned());
    let mut harness = app_in(&dir, state);
    harness.run();
    harness.get_by_label_contains("Acronyms: CTAIR — contrats territoriaux d'accueil et d'intégration des réfugiés");
    // Help (F1) lists every term, with "expansion unknown" where no source we hold spells it out.
    harness.key_press(egui::Key::F1);
    harness.run();
    let total = harness.state().session().expect("open").atlas.glossary.len();
    assert!(total >= 70, "{total} terms");
    harness.get_by_label(&format!("Glossary of the evidence's acronyms ({total})"));
}

#[test]
fn a_glossary_source_in_the_sources_view_opens_helps_glossary() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_in(&dir, on(View::Sources));
    harness.run();
    harness.query_all_by_label_contains("glossary ").next().expect("a source cited by a glossary term").scroll_to_me();
    harness.run();
    harness.query_all_by_label_contains("glossary ").next().expect("link").click();
    harness.run();
    harness.run();
    harness.get_by_label_contains("Glossary of the evidence's acronyms (");
    let atlas = &harness.state().session().expect("open").atlas;
    harness.get_by_label(&format!("{} — {}", atlas.glossary[0].term, atlas.glossary[0].expansion_text()));
}
