//! The views driven through the real app by accessible labels: facets, chart bars, the checklist matrix,
//! regions, search, global search, and state restored on the next start.

mod common;

use common::{app_in as app_with, on};
use eframe::egui::{self, Event, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use integration_atlas::analysis::Facet;
use integration_atlas::model::EvidenceKind;
use integration_atlas::ui::{AtlasApp, View};

fn click_at(harness: &Harness<'_, AtlasApp>, pos: Pos2) {
    harness.hover_at(pos);
    for pressed in [true, false] {
        harness.event(Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
}

#[test]
fn facets_change_counts_and_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, on(View::Explorer));
    harness.run();
    harness.get_by_label("184 records: 84 challenges, 100 practices");
    harness.get_by_label("Kind: Challenges (84)").click();
    harness.run();
    harness.get_by_label("84 records: 84 challenges, 0 practices");
    // Facet counts follow the other facets: 10 of the challenges are funding challenges.
    harness.get_by_label("Gap type: funding (10)").click();
    harness.run();
    harness.get_by_label("10 records: 10 challenges, 0 practices");
    harness.get_by_label("Record C-ATH-01");
    assert!(harness.query_by_label("Record C-AMS-01").is_none());
    // Two values of one facet combine with OR.
    harness.get_by_label("Gap type: information (6)").click();
    harness.run();
    harness.get_by_label("16 records: 16 challenges, 0 practices");
    // A chip removes its filter; "Clear all" removes every filter.
    harness.get_by_label("Remove filter Gap type: funding").click();
    harness.run();
    harness.get_by_label("6 records: 6 challenges, 0 practices");
    harness.get_by_label("Clear all").click();
    harness.run();
    harness.get_by_label("184 records: 84 challenges, 100 practices");
}

#[test]
fn selecting_a_row_opens_its_detail_with_sources() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, on(View::Explorer));
    harness.run();
    harness.get_by_label("Record C-AMS-01").click();
    harness.run();
    // The title shows in the table row and as the detail pane's heading.
    assert_eq!(harness.query_all_by_label("National and city goals not aligned").count(), 2);
    harness.get_by_label("Copy URL 1 of C-AMS-01");
    assert_eq!(harness.state().ui().explorer.selected.as_deref(), Some("C-AMS-01"));
}

#[test]
fn clicking_a_chart_bar_filters_by_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, on(View::Explorer));
    harness.run();
    harness.get_by_label("Charts").click();
    harness.run();
    let chart = harness.get_by_label("Chart: Records by gap type, stacked by level of government").rect();
    // Categories are drawn top to bottom in the order of the gap types; "funding" is the third of seven.
    let (n, i) = (7.0, 2.0);
    let (y_min, y_max) = (-0.6, n - 0.4);
    let y = n - 1.0 - i;
    let screen_y = chart.bottom() - ((y - y_min) / (y_max - y_min)) as f32 * chart.height();
    click_at(&harness, Pos2::new(chart.left() + 6.0, screen_y));
    harness.run();
    assert!(harness.state().ui().explorer.filter.is_selected(Facet::Gap, "funding"), "the bar click added the filter");
    harness.get_by_label("17 records: 10 challenges, 7 practices");
    harness.get_by_label("Remove filter Gap type: funding");
}

#[test]
fn a_checklist_cell_opens_the_explorer_on_that_city_and_objective() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, on(View::Checklist));
    harness.run();
    let atlas = &harness.state().session().expect("open").atlas;
    let count =
        |kind| atlas.evidence.iter().filter(|e| e.city == "vienna" && e.objective == Some(3) && e.kind == kind).count();
    let (c, p) = (count(EvidenceKind::Challenge), count(EvidenceKind::Practice));
    assert!(c + p > 0);
    let n = |k: usize, one: &str, many: &str| if k == 1 { format!("1 {one}") } else { format!("{k} {many}") };
    let cell = format!("Vienna, objective 3: {}, {}", n(c, "challenge", "challenges"), n(p, "practice", "practices"));
    harness.get_by_label(&cell).scroll_to_me();
    harness.run();
    harness.get_by_label(&cell).click();
    harness.run();
    assert_eq!(harness.state().ui().view, View::Explorer);
    harness.get_by_label(&format!(
        "{}: {}, {}",
        n(c + p, "record", "records"),
        n(c, "challenge", "challenges"),
        n(p, "practice", "practices")
    ));
    harness.get_by_label("Remove filter City: Vienna");
    harness.get_by_label("Remove filter Checklist objective: 3 Financial resources matched to local responsibilities");
}

#[test]
fn the_regions_view_highlights_vienna() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, on(View::Regions));
    harness.run();
    harness.get_by_label("Scatter of regions; case-study regions highlighted");
    harness.get_by_label("AT13 Vienna: 13.5 vs 8.7;");
    let mut state = on(View::Regions);
    state.regions.country = "AUT".to_owned();
    let mut harness = app_with(&dir, state);
    harness.run();
    harness.get_by_label("Table").click();
    harness.run();
    harness.get_by_label("Sort regions by Foreign-born").click();
    harness.run();
    harness.get_by_label("AT13 Vienna");
}

#[test]
fn search_folds_accents() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, on(View::Explorer));
    harness.run();
    harness.get_by_label("Search:").focus();
    harness.run();
    harness.get_by_label("Search:").type_text("goteborg");
    harness.run();
    harness.get_by_label("19 records: 11 challenges, 8 practices");
    // Query syntax typed by a user is just words.
    let mut state = on(View::Explorer);
    state.explorer.filter.search = "\"funding\" OR (".to_owned();
    let mut harness = app_with(&dir, state);
    harness.run();
    assert!(harness.query_by_label_contains("Invalid search").is_none());
}

#[test]
fn ctrl_f_searches_every_record_kind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, on(View::Home));
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::F);
    harness.run();
    harness.get_by_label("Search all records:");
    harness.get_by_label("Search all records:").type_text("wien");
    harness.run();
    harness.get_by_label("Cities (1)");
    harness.get_by_label("Vienna — Austria").scroll_to_me();
    harness.run();
    harness.get_by_label("Vienna — Austria").click();
    harness.run();
    assert_eq!(harness.state().ui().view, View::Cities);
    assert_eq!(harness.state().ui().cities.selected, "vienna");
}

#[test]
fn frames_reuse_cached_results_until_the_filter_changes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, on(View::Explorer));
    harness.run();
    let before = harness.state().runtime().expect("open").explorer.computations();
    harness.run_steps(10);
    assert_eq!(harness.state().runtime().expect("open").explorer.computations(), before, "no recomputation per frame");
    harness.get_by_label("Kind: Practices (100)").click();
    harness.run();
    assert_eq!(harness.state().runtime().expect("open").explorer.computations(), before + 1);
}

#[test]
fn view_filters_and_selection_are_restored_on_the_next_start() {
    #[derive(Default)]
    struct Memory(std::collections::HashMap<String, String>);
    impl eframe::Storage for Memory {
        fn get_string(&self, key: &str) -> Option<String> {
            self.0.get(key).cloned()
        }
        fn set_string(&mut self, key: &str, value: String) {
            self.0.insert(key.to_owned(), value);
        }
        fn remove_string(&mut self, key: &str) {
            self.0.remove(key);
        }
        fn flush(&mut self) {}
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let mut storage = Memory::default();
    {
        let mut harness = app_with(&dir, on(View::Explorer));
        harness.run();
        harness.get_by_label("Gap type: funding (17)").click();
        harness.run();
        harness.get_by_label("Record C-ATH-01").click();
        harness.run();
        eframe::App::save(harness.state_mut(), &mut storage);
    }
    let restored = AtlasApp::load_state(Some(&storage));
    assert_eq!(restored.view, View::Explorer);
    assert!(restored.explorer.filter.is_selected(Facet::Gap, "funding"));
    assert_eq!(restored.explorer.selected.as_deref(), Some("C-ATH-01"));
    let mut harness = app_with(&dir, restored);
    harness.run();
    harness.get_by_label("17 records: 10 challenges, 7 practices");
    assert_eq!(harness.query_all_by_label("Unreliable financing").count(), 2, "row and detail pane");
}

#[test]
fn the_survey_view_shows_published_figures_and_answers_appear_in_the_responses_view() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, on(View::Survey));
    harness.run();
    harness.get_by_label_contains("62: their names were never published");
    harness.get_by_label("Chart: published survey results");
    harness.get_by_label_contains("Per-respondent answers: none were published");
    drop(harness);
    {
        let store = integration_atlas::store::Store::open(&dir.path().join("atlas.sqlite")).expect("open");
        store
            .connection()
            .execute_batch(
                "INSERT INTO survey_rounds(uuid, survey, title, held_on, kind, created_at)
                     VALUES ('r1', 'oecd-cities-2017', 'Workshop Lyon', '2026-11-01', 'live', 't');
                 INSERT INTO round_respondents(id, round_uuid, respondent_id, city)
                     VALUES (1, 'r1', 'P1', 'Lyon'), (2, 'r1', 'P2', 'Graz');
                 INSERT INTO survey_answers(respondent, question_code, value_num)
                     VALUES (1, 'CL_SCORE_01', 3), (2, 'CL_SCORE_01', 2);",
            )
            .expect("answers");
    }
    let mut harness = app_with(&dir, on(View::Survey));
    harness.run();
    harness.get_by_label("the Responses view").click();
    harness.run();
    harness.get_by_label("2 of 2 respondents · 1 rounds · 1 questions answered");
    harness.get_by_label("Respondent P1 of Workshop Lyon");
    harness.get_by_label("Chart question CL_SCORE_01");
}

#[test]
fn the_map_fills_regions_offline_and_names_the_region_under_the_pointer() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, on(View::Regions));
    harness.run();
    harness.get_by_label("Map").click();
    harness.run();
    let map = harness.get_by_label("Map of regions").rect();
    assert!(map.width() > 600.0 && map.height() > 400.0);
    harness.get_by_label("no data");
}

fn selected(harness: &Harness<'_, AtlasApp>) -> Option<String> {
    harness.state().ui().explorer.selected.clone()
}

/// The ids of the explorer's rows, in table order.
fn row_ids(harness: &Harness<'_, AtlasApp>) -> Vec<String> {
    let rt = harness.state().runtime().expect("open");
    let atlas = &harness.state().session().expect("open").atlas;
    rt.explorer.last().rows.iter().map(|&i| atlas.evidence[i].id.clone()).collect()
}

#[test]
fn a_click_anywhere_on_a_row_opens_it_and_the_arrow_keys_move_through_the_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, on(View::Explorer));
    harness.run();
    let ids = row_ids(&harness);
    let atlas = &harness.state().session().expect("open").atlas;
    let second = atlas.evidence.iter().find(|e| e.id == ids[1]).expect("record");
    let title = second.title.clone();
    // Its title, not its id: the whole row is the click target.
    harness.get_by_label(&title).click();
    harness.run();
    assert_eq!(selected(&harness).as_deref(), Some(ids[1].as_str()), "clicking the title opens the record");
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    assert_eq!(selected(&harness).as_deref(), Some(ids[2].as_str()), "Down moves to the next row");
    harness.key_press(egui::Key::ArrowUp);
    harness.key_press(egui::Key::ArrowUp);
    harness.run();
    assert_eq!(selected(&harness).as_deref(), Some(ids[0].as_str()), "Up moves back, one row per press");
}

/// The values of a facet's list, as the screen reader reads them, without their counts.
fn facet_values(harness: &Harness<'_, AtlasApp>, facet: &str) -> Vec<String> {
    harness
        .query_all_by_label_contains(&format!("{facet}: "))
        .filter_map(|n| n.accesskit_node().label())
        .map(|l| l.rsplit_once(" (").map_or(l.clone(), |(v, _)| v.to_owned()))
        .collect()
}

#[test]
fn filter_values_keep_their_place_after_a_click_and_show_zero_counts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, on(View::Explorer));
    harness.run();
    let before = facet_values(&harness, "Gap type");
    assert!(before.len() >= 5, "{before:?}");
    harness.get_by_label_contains("City: Altena (").click();
    harness.run();
    let after = facet_values(&harness, "Gap type");
    assert_eq!(before, after, "the gap types stay in the same order under the pointer");
    assert!(
        harness
            .query_all_by_label_contains("Gap type: ")
            .any(|n| n.accesskit_node().label().is_some_and(|l| l.ends_with("(0)"))),
        "a gap type with no record for Altena is listed with 0"
    );
}

#[test]
fn a_region_without_data_for_the_indicator_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, on(View::Regions));
    harness.run();
    let (code, name) = {
        let atlas = &harness.state().session().expect("open").atlas;
        let indicator = harness.state().ui().regions.indicator.clone();
        let with_data: std::collections::HashSet<&str> = atlas
            .region_values
            .iter()
            .filter(|v| v.indicator == indicator && v.fb.is_some() && v.comparison.is_some())
            .map(|v| v.region.as_str())
            .collect();
        let r = atlas.regions.iter().find(|r| !with_data.contains(r.code.as_str())).expect("a region without data");
        (r.code.clone(), r.name.clone())
    };
    harness.state_mut().command(integration_atlas::ui::Command::region(code.clone()));
    harness.run();
    harness.get_by_label(&format!("{code} {name} has no data for this indicator, so it is not on the chart."));
}

#[test]
fn a_followed_record_link_clears_an_old_search_that_would_hide_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut state = on(View::Cities);
    state.cities.selected = "vienna".to_owned();
    state.explorer.filter.search = "goteborg".to_owned();
    let mut harness = app_with(&dir, state);
    harness.run();
    let atlas = &harness.state().session().expect("open").atlas;
    let record = atlas.evidence.iter().find(|e| e.city == "vienna").expect("a Vienna record");
    let (id, title) = (record.id.clone(), record.title.clone());
    let link = format!("{id} {title}");
    harness.get_by_label(&link).scroll_to_me();
    harness.run();
    harness.get_by_label(&link).click();
    harness.run();
    harness.run();
    assert_eq!(harness.state().ui().view, View::Explorer);
    assert_eq!(selected(&harness).as_deref(), Some(id.as_str()));
    assert!(row_ids(&harness).contains(&id), "the table lists the linked record");
    assert!(harness.state().ui().explorer.filter.search.is_empty(), "the old search is gone");
    harness.get_by_label_contains("The filters were cleared to show the linked record (they were: search: “goteborg”)");
    // A link to a record the filters already show keeps them.
    let mut state = on(View::Cities);
    state.cities.selected = "vienna".to_owned();
    state.explorer.filter.search = title.clone();
    let mut harness = app_with(&dir, state);
    harness.run();
    harness.get_by_label(&link).scroll_to_me();
    harness.run();
    harness.get_by_label(&link).click();
    harness.run();
    harness.run();
    assert!(row_ids(&harness).contains(&id));
    assert_eq!(harness.state().ui().explorer.filter.search, title, "a search that shows the record stays");
}

/// Small windows (800×600, or 1366×768 at 200 %, which is 683×384 points): everything stays reachable.
#[test]
fn small_and_zoomed_windows_keep_every_part_reachable() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = common::db_in(&dir);
    // The explorer with a record open: the search, the record and Close; Close brings the table back.
    let mut state = on(View::Explorer);
    state.explorer.selected = Some("C-AMS-01".to_owned());
    let mut harness = common::app_sized(&db, state, [683.0, 384.0]);
    harness.run();
    harness.get_by_label("Search:");
    harness.get_by_label("Close").click();
    harness.run();
    assert!(!row_ids(&harness).is_empty());
    harness.get_by_label("Filters");
    // The checklist's objective 12 and the governance grid's last column scroll into view.
    let mut harness = common::app_sized(&db, on(View::Checklist), [800.0, 600.0]);
    harness.run();
    let screen = harness.ctx.content_rect();
    harness.get_by_label_contains("Vienna, objective 12:").scroll_to_me();
    harness.run();
    let cell = harness.get_by_label_contains("Vienna, objective 12:").rect();
    assert!(screen.contains_rect(cell), "objective 12 scrolled into the window: {cell:?}");
    let mut state = on(View::Governance);
    state.governance_country = "NLD".to_owned();
    let mut harness = common::app_sized(&db, state, [800.0, 600.0]);
    harness.run();
    harness.get_by_label("non-state, general: gap: no source available to us").scroll_to_me();
    harness.run();
    let cell = harness.get_by_label("non-state, general: gap: no source available to us").rect();
    assert!(harness.ctx.content_rect().contains_rect(cell), "the last cell scrolled into the window: {cell:?}");
    // Regions in a short window: the chart keeps its height and the view scrolls to it.
    let mut harness = common::app_sized(&db, on(View::Regions), [683.0, 384.0]);
    harness.run();
    let chart = harness.get_by_label("Scatter of regions; case-study regions highlighted").rect();
    assert!(chart.height() >= 250.0, "{chart:?}");
}

#[test]
fn down_from_the_table_toggle_walks_into_the_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, on(View::Explorer));
    harness.run();
    let ids = row_ids(&harness);
    harness.get_by_label("Table").focus();
    harness.run();
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    assert_eq!(selected(&harness).as_deref(), Some(ids[0].as_str()), "Down opens the first row");
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    assert_eq!(selected(&harness).as_deref(), Some(ids[1].as_str()), "and the next");
    harness.key_press(egui::Key::ArrowUp);
    harness.run();
    assert_eq!(selected(&harness).as_deref(), Some(ids[0].as_str()), "Up goes back");
}

#[test]
fn help_scrolls_with_the_keys_and_leaves_the_view_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = common::app_sized(&common::db_in(&dir), on(View::Explorer), [1280.0, 700.0]);
    harness.run();
    harness.key_press(egui::Key::F1);
    harness.run();
    let last = "A city's self-assessment against the 12 objectives";
    let before = harness.get_by_label_contains(last).rect();
    harness.key_press(egui::Key::End);
    harness.run();
    harness.run();
    let after = harness.get_by_label_contains(last).rect();
    assert!(after.top() < before.top() - 100.0, "End scrolled Help down: {before:?} → {after:?}");
    harness.key_press(egui::Key::ArrowDown);
    harness.run();
    assert_eq!(harness.state().ui().explorer.selected, None, "the explorer's rows did not move under Help");
    harness.key_press(egui::Key::Home);
    harness.run();
    harness.run();
    let back = harness.get_by_label_contains(last).rect();
    assert!(back.top() > after.top() + 100.0, "Home scrolled back up");
}

/// Keyboard focus shows on the frameless table header buttons and record cells.
#[test]
fn focus_is_visible_on_table_headers_and_record_cells() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = common::db_in(&dir);
    let mut harness =
        egui_kittest::Harness::builder().with_size([1280.0, 800.0]).with_theme(egui::Theme::Light).wgpu().build_eframe(
            move |cc| {
                AtlasApp::with_state(
                    &cc.egui_ctx,
                    integration_atlas::ui::Launch { db: Some(db), ..Default::default() },
                    on(View::Explorer),
                )
            },
        );
    harness.run();
    let ring = harness.ctx.global_style().visuals.selection.stroke.color;
    let first = row_ids(&harness)[0].clone();
    for label in ["Sort records by City".to_owned(), format!("Record {first}")] {
        let rect = harness.get_by_label(&label).rect();
        let count = |harness: &mut Harness<'_, AtlasApp>| {
            let image = harness.render().expect("render");
            let ppp = harness.ctx.pixels_per_point();
            let (x0, y0) = ((rect.left() * ppp) as u32, (rect.top() * ppp) as u32);
            let (x1, y1) = ((rect.right() * ppp) as u32, (rect.bottom() * ppp) as u32);
            (x0..x1)
                .flat_map(|x| (y0..y1).map(move |y| (x, y)))
                .filter(|&(x, y)| image.get_pixel(x, y).0[..3] == [ring.r(), ring.g(), ring.b()])
                .count()
        };
        let before = count(&mut harness);
        harness.get_by_label(&label).focus();
        harness.run();
        let after = count(&mut harness);
        assert!(after > before + 20, "{label}: a focus ring ({before} → {after} ring pixels)");
    }
}
