//! Presenting live: presentation mode scales everything and Esc brings the window back as it was; a three-slide
//! story is built with "Add to story", survives a restart, and is stepped through with the clicker keys without
//! changing the saved slides; one slide is snapshotted at presentation scale.

mod common;

use eframe::egui::{self, Key};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use integration_atlas::analysis::Facet;
use integration_atlas::store::Store;
use integration_atlas::ui::{AtlasApp, Launch, UiState, View};

fn app(db: &std::path::Path, state: UiState, size: [f32; 2]) -> Harness<'static, AtlasApp> {
    common::app_sized(db, state, size)
}

fn height_of(harness: &Harness<'_, AtlasApp>, label: &str) -> f64 {
    f64::from(harness.get_by_label(label).rect().height() * harness.ctx.pixels_per_point())
}

#[test]
fn presentation_mode_scales_text_and_charts_and_esc_restores_the_window() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    let mut state = UiState { view: View::Survey, ..UiState::default() };
    state.explorer.filter.add(Facet::Gap, "funding");
    let mut harness = app(&db, state, [1280.0, 800.0]);
    harness.run();
    let heading = height_of(&harness, "Surveys");
    let chart = height_of(&harness, "Chart: published survey results");
    harness.get_by_label("Present").click();
    harness.run();
    // Everything is drawn 1.75× larger: text, and the chart with its axis labels (one zoom for the whole UI).
    assert!((harness.ctx.zoom_factor() - 1.75).abs() < 1e-3);
    let big = height_of(&harness, "Surveys");
    assert!(big > heading * 1.6, "heading {heading} → {big}");
    let big_chart = height_of(&harness, "Chart: published survey results");
    assert!(big_chart > chart * 1.3, "chart {chart} → {big_chart}");
    // The navigation is hidden while presenting.
    assert!(harness.query_by_label("Explorer").is_none(), "navigation hidden");
    // + makes it larger still (up to 2.5×).
    harness.key_press(Key::Plus);
    harness.run();
    assert!((harness.ctx.zoom_factor() - 2.0).abs() < 1e-3);
    harness.key_press(Key::H);
    harness.run();
    assert!(harness.state().ui().high_contrast);
    harness.key_press(Key::Escape);
    harness.run();
    assert!((harness.ctx.zoom_factor() - 1.0).abs() < 1e-3);
    harness.get_by_label("Explorer");
    let app = harness.state();
    assert_eq!(app.ui().view, View::Survey);
    assert!(app.ui().explorer.filter.is_selected(Facet::Gap, "funding"), "filters as they were");
    assert!((height_of(&harness, "Surveys") - heading).abs() < 0.5);
}

#[test]
fn a_three_slide_story_is_built_reloaded_and_played_with_the_keys() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    {
        let mut harness = app(&db, UiState::default(), [1280.0, 800.0]);
        harness.run();
        // Slide 1: the explorer filtered to funding gaps.
        harness.get_by_label("Explorer").click();
        harness.run();
        harness.state_mut().ui_mut().explorer.filter.add(Facet::Gap, "funding");
        harness.run();
        harness.get_by_label("Add to story").click();
        harness.run();
        harness.get_by_label_contains("Added slide 1");
        // Slide 2: the regions; slide 3: the checklist.
        for view in ["Regions", "Checklist"] {
            harness.get_by_label(view).click();
            harness.run();
            harness.get_by_label("Add to story").click();
            harness.run();
        }
        harness.get_by_label_contains("Added slide 3");
        // Speaker notes for slide 1, typed in the Stories view.
        harness.get_by_label("Stories").click();
        harness.run();
        harness.get_by_label("Speaker notes of slide 1").focus();
        harness.get_by_label("Speaker notes of slide 1").type_text("Funding is the gap cities name most.");
        harness.run();
        harness.key_press(Key::Escape);
        harness.get_by_label("Title of slide 2").focus();
        harness.run();
    }
    let store = Store::open(&db).expect("reopen");
    let stories = store.stories().expect("stories");
    assert_eq!(stories.len(), 1);
    assert_eq!(stories[0].slides.len(), 3);
    assert_eq!(stories[0].slides[0].speaker_notes, "Funding is the gap cities name most.");
    let saved: Vec<String> = stories[0].slides.iter().map(|s| s.view_state.clone()).collect();

    // A new start: the story is still there, and plays with the keys a clicker sends.
    let mut harness = app(&db, UiState { view: View::Stories, ..UiState::default() }, [1280.0, 800.0]);
    harness.run();
    harness.get_by_label("My story (3 slides)");
    harness.get_by_label("▶ Play").click();
    harness.run();
    harness.get_by_label("Slide 1 / 3");
    assert_eq!(harness.state().ui().view, View::Explorer);
    assert!(harness.state().ui().explorer.filter.is_selected(Facet::Gap, "funding"));
    // Here (one window, as in a test) the notes open on demand, in a floating window.
    harness.get_by_label("Speaker notes window").click();
    harness.run();
    harness.get_by_label("Speaker notes text");
    harness.get_by_label("Speaker notes window").click();
    harness.run();
    // Interacting with a slide (here: another filter) does not change the saved slide.
    harness.state_mut().ui_mut().explorer.filter.add(Facet::City, "vienna");
    harness.run();
    for (key, expect, view) in [
        (Key::ArrowRight, "Slide 2 / 3", View::Regions),
        (Key::Space, "Slide 3 / 3", View::Checklist),
        (Key::PageDown, "Slide 3 / 3", View::Checklist),
        (Key::Backspace, "Slide 2 / 3", View::Regions),
        (Key::Home, "Slide 1 / 3", View::Explorer),
        (Key::End, "Slide 3 / 3", View::Checklist),
        (Key::PageUp, "Slide 2 / 3", View::Regions),
        (Key::ArrowLeft, "Slide 1 / 3", View::Explorer),
    ] {
        harness.key_press(key);
        harness.run();
        harness.get_by_label(expect);
        assert_eq!(harness.state().ui().view, view, "{key:?}");
    }
    assert!(!harness.state().ui().explorer.filter.is_selected(Facet::City, "vienna"), "slide shown as saved");
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(harness.state().ui().view, View::Stories, "Esc returns to where the story was started");
    let after: Vec<String> = store.stories().expect("stories")[0].slides.iter().map(|s| s.view_state.clone()).collect();
    assert_eq!(after, saved, "playing changed no slide");
}

#[test]
fn slides_reorder_duplicate_and_delete() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    let store = Store::open(&db).expect("db");
    let story = store.create_story("Order").expect("story");
    for title in ["A", "B", "C"] {
        let state = serde_json::to_string(&UiState::default()).expect("json");
        store.add_slide(&story, None, title, "", &state).expect("slide");
    }
    let mut harness = app(&db, UiState { view: View::Stories, ..UiState::default() }, [1280.0, 800.0]);
    harness.run();
    harness.get_by_label("Move slide 1 down").click();
    harness.run();
    harness.get_by_label("Duplicate slide 3").click();
    harness.run();
    harness.get_by_label("Delete slide 2").click();
    harness.run();
    let titles: Vec<String> = store.stories().expect("stories")[0].slides.iter().map(|s| s.title.clone()).collect();
    assert_eq!(titles, ["B", "C", "C (copy)"]);
}

#[test]
fn a_slide_at_presentation_scale() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    let store = Store::open(&db).expect("db");
    let story = store.create_story("Snapshot").expect("story");
    let state = serde_json::to_string(&UiState { view: View::Checklist, ..UiState::default() }).expect("json");
    store.add_slide(&story, None, "The checklist, city by city", "", &state).expect("slide");
    drop(store);
    let db2 = db.clone();
    let state = UiState { view: View::Stories, ..UiState::default() };
    let mut harness =
        Harness::builder().with_size([1024.0, 640.0]).with_theme(egui::Theme::Light).wgpu().build_eframe(move |cc| {
            AtlasApp::with_state(&cc.egui_ctx, Launch { db: Some(db2), ..Default::default() }, state)
        });
    harness.run();
    harness.get_by_label("▶ Play").click();
    harness.run();
    harness.snapshot("present-slide");
}

#[test]
fn the_handout_lists_titles_notes_filters_and_sources() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    let store = Store::open(&db).expect("db");
    let story = store.create_story("Handout story").expect("story");
    let mut state = UiState { view: View::Explorer, ..UiState::default() };
    state.explorer.filter.add(Facet::City, "vienna");
    state.explorer.filter.add(Facet::Gap, "funding");
    state.explorer.show_charts = true;
    let json = serde_json::to_string(&state).expect("json");
    store.add_slide(&story, None, "Vienna's funding gaps", "Ask the room about funding.", &json).expect("slide");
    drop(store);
    let mut harness = app(&db, UiState { view: View::Stories, ..UiState::default() }, [1280.0, 800.0]);
    harness.run();
    harness.get_by_label("Export story…").click();
    harness.run();
    // The same save window as every other export: choose the handout, type a path, export.
    let out = dir.path().join("handout.md");
    harness.get_by_label("Handout (Markdown)").click();
    harness.run();
    harness.get_by_label("Save to file:").focus();
    harness.get_by_label("Save to file:").type_text(&out.display().to_string());
    harness.run();
    harness.get_by_label("Export").click();
    harness.run();
    assert_eq!(harness.state().message(), Some(format!("Exported the handout to {}", out.display()).as_str()));
    let text = std::fs::read_to_string(&out).expect("handout written");
    assert!(text.contains("# Handout story"));
    assert!(text.contains("## 1. Vienna's funding gaps"));
    assert!(text.contains("Ask the room about funding."));
    assert!(text.contains("Filters: City: Vienna; Gap type: funding"), "{text}");
    assert!(text.contains("Chart: Gap type by level"));
    assert!(text.contains("Sources of the records shown"));
    assert!(text.contains("https://"), "source URLs listed");
    let tagged = ["(OECD text)", "(OECD reported by a third party)", "(other OECD publication)", "(external context)"];
    assert!(tagged.iter().any(|t| text.contains(t)), "confidence tags listed: {text}");
}

#[test]
fn a_slide_changes_only_when_asked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    let store = Store::open(&db).expect("db");
    let story = store.create_story("Ask").expect("story");
    let state = serde_json::to_string(&UiState { view: View::Explorer, ..UiState::default() }).expect("json");
    store.add_slide(&story, None, "All records", "", &state).expect("slide");
    let mut harness = app(&db, UiState { view: View::Stories, ..UiState::default() }, [1280.0, 800.0]);
    harness.run();
    harness.get_by_label("▶ Play").click();
    harness.run();
    harness.state_mut().ui_mut().explorer.filter.add(Facet::City, "vienna");
    harness.run();
    harness.get_by_label("Save this view to the slide").click();
    harness.run();
    let saved: UiState =
        serde_json::from_str(&store.stories().expect("stories")[0].slides[0].view_state).expect("saved view");
    assert!(saved.explorer.filter.is_selected(Facet::City, "vienna"));
    // The large buttons work as the keys do.
    harness.get_by_label("Leave presentation").click();
    harness.run();
    assert!(!harness.state().is_presenting());
    assert_eq!(harness.state().ui().view, View::Stories);
}

#[test]
fn story_slides_export_as_png_through_the_save_window() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    let store = Store::open(&db).expect("db");
    let story = store.create_story("Slides").expect("story");
    let json = serde_json::to_string(&UiState { view: View::Checklist, ..UiState::default() }).expect("json");
    store.add_slide(&story, None, "The matrix", "", &json).expect("slide");
    drop(store);
    let db2 = db.clone();
    let mut harness =
        Harness::builder().with_size([1280.0, 800.0]).with_theme(egui::Theme::Light).wgpu().build_eframe(move |cc| {
            AtlasApp::with_state(
                &cc.egui_ctx,
                Launch { db: Some(db2), ..Default::default() },
                common::on(View::Stories),
            )
        });
    harness.run();
    harness.get_by_label("Export story…").click();
    harness.run();
    // Clicking into the path field keeps the window open (the old menu closed on it).
    let folder = dir.path().join("slides");
    harness.get_by_label("Save into folder:").click();
    harness.run();
    harness.get_by_label("Save into folder:").type_text(&folder.display().to_string());
    harness.run();
    harness.get_by_label("Export").click();
    harness.run();
    let message = harness.state().message().unwrap_or_default().to_owned();
    assert!(message.starts_with("Exported 1 slides"), "{message}");
    assert!(folder.join("slide-01.png").is_file());
}

#[test]
fn a_played_slide_shows_the_content_without_the_apps_controls() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    let store = Store::open(&db).expect("db");
    let story = store.create_story("Controls").expect("story");
    let mut state = UiState { view: View::Explorer, ..UiState::default() };
    state.explorer.show_charts = true;
    let json = serde_json::to_string(&state).expect("json");
    store.add_slide(&story, None, "The gaps", "", &json).expect("slide");
    drop(store);
    let mut harness = app(&db, UiState { view: View::Explorer, ..UiState::default() }, [1280.0, 800.0]);
    harness.run();
    harness.get_by_label("Charts").click();
    harness.run();
    assert!(harness.query_by_label_contains("Save chart as PNG").is_some(), "the window has its controls");
    harness.get_by_label("Stories").click();
    harness.run();
    harness.get_by_label("▶ Play").click();
    harness.run();
    assert!(harness.query_by_label_contains("Save chart as PNG").is_none(), "no save button on a slide");
    assert!(harness.query_by_label("Export table…").is_none(), "no export button on a slide");
    assert!(harness.query_by_label_contains("Chart: Records by").is_some(), "the chart is there");
    assert!(harness.query_by_label("Search:").is_none(), "no search field on a slide");
    assert!(harness.query_by_label("Filters").is_none(), "no filter lists on a slide");
    assert!(harness.query_by_label_contains("Slide source: Filters: no filter").is_some(), "the filters in words");
}

/// Plays a one-slide story of `state` at 1920×1080 (the presentation scale, as a projector shows it).
fn play_at_1080(dir: &tempfile::TempDir, prepare: impl FnOnce(&Store) -> UiState) -> Harness<'static, AtlasApp> {
    let db = dir.path().join("atlas.sqlite");
    let store = Store::open(&db).expect("db");
    let state = prepare(&store);
    let story = store.create_story("Projector").expect("story");
    store.add_slide(&story, None, "Slide", "", &serde_json::to_string(&state).expect("json")).expect("slide");
    drop(store);
    let mut harness = app(&db, UiState { view: View::Stories, ..UiState::default() }, [1920.0, 1080.0]);
    harness.run();
    harness.get_by_label("▶ Play").click();
    harness.run();
    harness.run();
    harness
}

#[test]
fn a_workshop_slide_shows_both_charts_and_every_objective_name_whole_on_one_screen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let harness = play_at_1080(&dir, |store| {
        let round = store.create_live_round("Workshop Lyon", Some("2026-11-30")).expect("round");
        for (who, city) in [("Ana", Some("Vienna")), ("Ben", None)] {
            for o in 1..=12 {
                store.set_answer(&round, who, city, &format!("CL_SCORE_{o:02}"), Some(2.0)).expect("score");
            }
            store.set_answer(&round, who, city, "GAP_FUNDING_NATIONAL", Some(1.0)).expect("gap");
        }
        let mut state = UiState { view: View::Workshop, ..UiState::default() };
        state.workshop.round = Some(round);
        state
    });
    let screen = harness.ctx.content_rect();
    for chart in ["Chart of average and spread per objective", "Chart of gaps by level"] {
        let rect = harness.get_by_label(chart).rect();
        assert!(rect.bottom() <= screen.bottom() + 0.5, "{chart} ends on the screen: {rect:?} in {screen:?}");
    }
    // The longest objective name, whole (the window's chart cuts it to 26 characters).
    harness.get_by_label("7 Co-operation with non-state actors, including through transparent and effective contracts");
    harness.get_by_label("12 Education (wording unknown)");
    // Content only: no entry, no round controls, no phones button; a source line under it.
    for control in ["Round:", "New round…", "Let the room answer from their phones", "Add participant (city or name):"]
    {
        assert!(harness.query_by_label(control).is_none(), "{control} is not on a slide");
    }
    assert!(harness.query_by_label_contains("Slide source: Workshop round: Workshop Lyon").is_some());
}

#[test]
fn a_map_slide_fills_the_slide_and_names_the_indicator_instead_of_offering_buttons() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = play_at_1080(&dir, |_| {
        let mut state = UiState { view: View::Regions, ..UiState::default() };
        state.regions.mode = integration_atlas::ui::RegionsMode::Map;
        state.regions.indicator = "ShareMig".to_owned();
        state
    });
    let screen = harness.ctx.content_rect();
    let map = harness.get_by_label("Map of regions").rect();
    assert!(map.height() > screen.height() * 0.6, "the map fills the slide: {map:?} in {screen:?}");
    assert!(map.width() > screen.width() * 0.9);
    assert!(harness.query_by_label("Indicator:").is_none(), "no indicator buttons on a slide");
    assert!(harness.query_by_label("Scatter").is_none());
    assert!(harness.query_by_label_contains("Findings of the report").is_none());
    harness.get_by_label_contains("Share of foreign-born: ");
    harness.run();
}

#[test]
fn a_click_on_a_played_chart_does_not_change_the_slide() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    let store = Store::open(&db).expect("db");
    let story = store.create_story("Pointing").expect("story");
    let mut state = UiState { view: View::Explorer, ..UiState::default() };
    state.explorer.show_charts = true;
    store.add_slide(&story, None, "The gaps", "", &serde_json::to_string(&state).expect("json")).expect("slide");
    store.add_slide(&story, None, "Second", "", &serde_json::to_string(&state).expect("json")).expect("slide");
    drop(store);
    let mut harness = app(&db, UiState { view: View::Stories, ..UiState::default() }, [1280.0, 800.0]);
    harness.run();
    harness.get_by_label("▶ Play").click();
    harness.run();
    let chart = harness.get_by_label("Chart: Records by gap type, stacked by level of government").rect();
    // The middle of the chart, on a bar: in the window this would add a gap-type filter.
    let pos = egui::Pos2::new(chart.left() + 6.0, chart.center().y);
    harness.hover_at(pos);
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    harness.run();
    harness.run();
    assert!(harness.state().ui().explorer.filter.is_empty(), "the slide keeps its filters");
    assert_eq!(harness.state().ui().view, View::Explorer);
    harness.get_by_label("Slide 1 / 2");
}

#[test]
fn a_governance_slide_shows_every_level_once_without_the_windows_controls() {
    let dir = tempfile::tempdir().expect("temp dir");
    let harness = play_at_1080(&dir, |_| UiState {
        view: View::Governance,
        governance_country: "NLD".to_owned(),
        ..UiState::default()
    });
    let screen = harness.ctx.content_rect();
    for level in ["EU", "national", "regional/state", "metropolitan", "municipal", "non-state"] {
        let rect = harness.get_by_label(level).rect();
        assert!(rect.bottom() as f32 <= screen.bottom(), "{level} is on the slide, not cut off");
    }
    let legend = harness.get_by_label_contains("— gap: no source available to us.").rect();
    assert!(legend.bottom() as f32 <= screen.bottom(), "the legend is on the slide");
    assert!(harness.query_by_label_contains("Sources (").is_none(), "no sources buttons on a slide");
    assert!(harness.query_by_label("Choose the country").is_none(), "no country picker on a slide");
    assert!(harness.query_by_label_contains("Who does what — Netherlands").is_none(), "the title once, the slide's");
    harness.get_by_label("municipal, general: City of Amsterdam (OECD text)");
}

#[test]
fn speaker_notes_typed_are_kept_when_the_view_changes_or_the_app_quits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    let store = Store::open(&db).expect("db");
    let story = store.create_story("Notes").expect("story");
    let state = serde_json::to_string(&UiState::default()).expect("json");
    store.add_slide(&story, None, "A", "", &state).expect("slide");
    let mut harness = app(&db, UiState { view: View::Stories, ..UiState::default() }, [1280.0, 800.0]);
    harness.run();
    harness.get_by_label("Speaker notes of slide 1").focus();
    harness.run();
    harness.get_by_label("Speaker notes of slide 1").type_text("Say this first.");
    harness.run();
    // A click on another view while the field still has the keyboard.
    harness.get_by_label("Home").click();
    harness.run();
    assert_eq!(store.stories().expect("stories")[0].slides[0].speaker_notes, "Say this first.");
    // Ctrl+Q with the focus in the field.
    harness.get_by_label("Stories").click();
    harness.run();
    harness.get_by_label("Speaker notes of slide 1").focus();
    harness.run();
    harness.get_by_label("Speaker notes of slide 1").type_text(" Then this.");
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Q);
    harness.run();
    assert_eq!(store.stories().expect("stories")[0].slides[0].speaker_notes, "Say this first. Then this.");
}
