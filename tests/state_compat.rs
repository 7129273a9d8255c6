//! The saved UI state is a contract: eframe keeps it in `app.ron` between runs and every story slide keeps one as
//! JSON. These are today's shapes, written as the app wrote them; they must keep loading.

use std::collections::HashMap;

use integration_atlas::analysis::Facet;
use integration_atlas::ui::{ChartKind, RegionsMode, UiState, View};

/// A slide's saved view as the first edition wrote it (every field that existed then).
const SLIDE_JSON: &str = r#"{
  "view": "Explorer", "dark": false, "zoom": 1.25,
  "explorer": {"filter": {"selected": {"Gap": ["funding"], "City": ["vienna", "athens"]}, "search": "housing"},
               "sort": {"column": "City", "descending": true}, "selected": "C-VIE-01", "show_charts": true,
               "chart": "Objective"},
  "cities": {"selected": "athens", "compare": true, "other": "rome"},
  "regions": {"indicator": "ShareMig", "mode": "Map", "country": "AT", "sort": "Difference", "descending": true,
              "focus": "AT13"},
  "notes": {"author": "Ana", "code": "", "status": "draft", "kind": "", "city": "", "search": "", "sort": "Author",
            "descending": false, "selected": null, "export_path": "", "import_path": ""},
  "responses": {"filter": {"rounds": [], "countries": ["AT"], "sizes": []}, "question": "CL_SCORE_01",
                "respondent": null, "export_path": ""},
  "workshop": {"round": "5f0c8c1e-0000-4000-8000-000000000000", "layout": "Results"},
  "present_scale": 2.0, "high_contrast": true, "story": null, "sources_selected": null
}"#;

#[test]
fn a_slide_saved_by_the_first_edition_loads_with_every_setting() {
    let state: UiState = serde_json::from_str(SLIDE_JSON).expect("today's slide shape loads");
    assert_eq!(state.view, View::Explorer);
    assert_eq!(state.zoom, 1.25);
    assert!(state.explorer.filter.is_selected(Facet::Gap, "funding"));
    assert!(state.explorer.filter.is_selected(Facet::City, "athens"));
    assert_eq!(state.explorer.filter.search, "housing");
    assert_eq!(state.explorer.selected.as_deref(), Some("C-VIE-01"));
    assert_eq!(state.explorer.chart, ChartKind::Objective);
    assert!(state.cities.compare);
    assert_eq!(state.regions.mode, RegionsMode::Map);
    assert_eq!(state.regions.focus.as_deref(), Some("AT13"));
    assert_eq!(state.responses.question.as_deref(), Some("CL_SCORE_01"));
    assert!(state.workshop.round.is_some());
    assert!(state.high_contrast);
    // And what is written today reads back the same.
    let again: UiState = serde_json::from_str(&serde_json::to_string(&state).expect("writes")).expect("reads");
    assert_eq!(serde_json::to_value(&again).expect("v"), serde_json::to_value(&state).expect("v"));
}

#[test]
fn an_older_slide_missing_newer_fields_loads_with_defaults() {
    let state: UiState = serde_json::from_str(r#"{"view": "Regions", "regions": {"indicator": "Unemp"}}"#)
        .expect("a partial shape loads");
    assert_eq!(state.view, View::Regions);
    assert_eq!(state.regions.indicator, "Unemp");
    assert_eq!(state.present_scale, 1.75);
}

/// eframe's storage, in memory.
#[derive(Default)]
struct Memory(HashMap<String, String>);

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

#[test]
fn app_ron_as_eframe_wrote_it_loads() {
    // The shape of `app.ron` under eframe's app key, as the first edition saved it (RON).
    let ron = r#"(view:Workshop,dark:true,zoom:1.1,explorer:(filter:(selected:{Gap:["funding"]},search:""),sort:(column:Id,descending:false),selected:None,show_charts:false,chart:GapByLevel),regions:(indicator:"ShareMig",mode:Table,country:"",sort:Country,descending:false,focus:None),workshop:(round:None,layout:Entry),present_scale:1.75,high_contrast:false,story:None,sources_selected:None)"#;
    let mut storage = Memory::default();
    eframe::Storage::set_string(&mut storage, eframe::APP_KEY, ron.to_owned());
    let state = integration_atlas::ui::AtlasApp::load_state(Some(&storage));
    assert_eq!(state.view, View::Workshop);
    assert!(state.dark);
    assert_eq!(state.regions.mode, RegionsMode::Table);
    assert!(state.explorer.filter.is_selected(Facet::Gap, "funding"));
    // Round trip through eframe's own writer.
    let mut written = Memory::default();
    eframe::set_value(&mut written, eframe::APP_KEY, &state);
    let back = integration_atlas::ui::AtlasApp::load_state(Some(&written));
    assert_eq!(back.view, View::Workshop);
}
