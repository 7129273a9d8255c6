//! Workshop: a live self-assessment round. The facilitator opens a round (title, date), adds participants as they
//! speak (a city or a name, with type-ahead), types each one's score 0–4 per checklist objective and ticks the
//! coordination gaps they face with each level of government. Every change is written at once (as survey answers of
//! a round of kind `live`, the same rows an import writes), and the charts beside the entry follow: average and
//! spread per objective, gaps by level, and the room beside the case-study evidence — each with its numbers as text.
//!
//! Keys: Tab moves to the next field; Enter in the participant field adds the row and jumps to its first score;
//! Enter in a score jumps to the same objective of the next participant (or back to the participant field).

use std::collections::HashMap;

use eframe::egui::{self, Key, RichText};
use egui_plot::{AxisHints, Bar, BarChart, GridMark, Line, Plot, PlotPoint, Text};
use serde::{Deserialize, Serialize};

use super::app::{Action, Session};
use super::charts;
use crate::analysis::rounds::{self, RoundQuestions, RoundResults, one_decimal, percent};
use crate::answers::format::{ROUND_LEVELS, gap_code, parse_date, score_code};
use crate::dataset::GAP_TYPES;
use crate::model::{AnswerSet, Atlas};
use crate::text::fold;

/// What the Workshop view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Layout {
    /// Entry and results side by side (stacked in a narrow window).
    #[default]
    Both,
    Entry,
    /// The charts alone, for the projector.
    Results,
}

impl Layout {
    const ALL: [Layout; 3] = [Layout::Both, Layout::Entry, Layout::Results];

    fn label(self) -> &'static str {
        match self {
            Layout::Both => "Entry + results",
            Layout::Entry => "Entry",
            Layout::Results => "Results",
        }
    }
}

/// What the Workshop view remembers between runs (and what a story slide of it keeps): the open round and layout.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkshopState {
    /// The open live round's uuid.
    pub round: Option<String>,
    pub layout: Layout,
    /// Entry buffers and the results cache: never saved.
    #[serde(skip)]
    pub runtime: WorkshopRuntime,
}

impl PartialEq for WorkshopState {
    fn eq(&self, other: &Self) -> bool {
        self.round == other.round && self.layout == other.layout
    }
}

/// Typing in progress, confirmations, and the cached results.
#[derive(Debug, Clone, Default)]
pub struct WorkshopRuntime {
    new_title: String,
    new_date: String,
    date_filled: bool,
    /// Title and date being edited, for the round `edit_for`.
    edit_title: String,
    edit_date: String,
    edit_for: Option<String>,
    confirm_delete_round: bool,
    confirm_remove: Option<String>,
    /// The rows, in entry order: participants with answers and those just added (not yet written).
    order: Vec<String>,
    order_for: Option<String>,
    /// The participant field's text.
    adding: String,
    /// Score text that is not a score, by (participant, objective position): shown, not written.
    drafts: HashMap<(String, usize), String>,
    /// Participant names being edited.
    name_drafts: HashMap<String, String>,
    /// Whose gap ticks are shown.
    selected: Option<String>,
    /// The widget that had the keyboard at the start of the last frame (a newly focused score is selected whole).
    focused: Option<egui::Id>,
    /// Where the keyboard goes next frame (not this one: the Enter that moved it would reach that field too).
    focus_next: Option<egui::Id>,
    problem: Option<String>,
    /// Set once the view was shown: on first showing with no round chosen, the latest live round opens.
    started: bool,
    /// Whether the round's title, date and delete button are shown.
    details: bool,
    pub cache: RoundCache,
}

/// Everything derived from the answers for the open round, recomputed only when the answers or the round change.
#[derive(Debug, Clone, Default)]
pub struct RoundCache {
    key: Option<(u64, String, usize)>,
    pub results: Option<RoundResults>,
    /// Participant id → respondent position, for the open round.
    people: HashMap<String, usize>,
    /// Participant id → gap ticks.
    ticks: HashMap<String, usize>,
    questions: RoundQuestions,
    /// Live rounds: (uuid, label).
    rounds: Vec<(String, String)>,
    /// Names offered while typing a participant, and folded name → the name as the atlas spells it.
    cities: Vec<String>,
    city_of: HashMap<String, String>,
    /// City name → country code.
    country_of: HashMap<String, String>,
    /// How often the results were computed (tests check it is not every frame).
    pub computations: u64,
}

/// A write the Workshop asks the shell for.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkshopAction {
    CreateRound {
        title: String,
        held_on: Option<String>,
    },
    UpdateRound {
        uuid: String,
        title: String,
        held_on: Option<String>,
    },
    DeleteRound(String),
    SetAnswer {
        round: String,
        respondent: String,
        city: Option<String>,
        country: Option<String>,
        question: String,
        value: Option<f64>,
    },
    Rename {
        round: String,
        from: String,
        to: String,
        city: Option<String>,
        country: Option<String>,
    },
    RemoveParticipant {
        round: String,
        respondent: String,
    },
}

/// Applies a Workshop write to the database and reloads the answers; the error is one line.
pub fn apply(session: &mut Session, state: &mut WorkshopState, action: WorkshopAction) -> Result<(), String> {
    let store = &session.store;
    let rt = &mut state.runtime;
    let result = match action {
        WorkshopAction::CreateRound { title, held_on } => {
            store.create_live_round(&title, held_on.as_deref()).map(|uuid| {
                state.round = Some(uuid);
                rt.new_title.clear();
                rt.date_filled = false;
            })
        }
        WorkshopAction::UpdateRound { uuid, title, held_on } => store.update_round(&uuid, &title, held_on.as_deref()),
        WorkshopAction::DeleteRound(uuid) => store.delete_round(&uuid).map(|()| {
            if state.round.as_deref() == Some(uuid.as_str()) {
                state.round = None;
            }
        }),
        WorkshopAction::SetAnswer { round, respondent, city, country, question, value } => {
            store.set_answer(&round, &respondent, city.as_deref(), &question, value).and_then(|()| match country {
                Some(c) if value.is_some() => store.set_participant_country(&round, &respondent, Some(&c)),
                _ => Ok(()),
            })
        }
        WorkshopAction::Rename { round, from, to, city, country } => store
            .rename_respondent(&round, &from, &to, city.as_deref())
            .and_then(|()| store.set_participant_country(&round, &to, country.as_deref()))
            .map(|()| rt.renamed(&from, &to)),
        WorkshopAction::RemoveParticipant { round, respondent } => {
            store.delete_respondent(&round, &respondent).map(|()| rt.removed(&respondent))
        }
    };
    result.map_err(|e| format!("Workshop: {e}"))?;
    session.reload_answers().map_err(|e| format!("Workshop: {e}"))
}

impl WorkshopRuntime {
    fn renamed(&mut self, from: &str, to: &str) {
        for name in &mut self.order {
            if name == from {
                *name = to.to_owned();
            }
        }
        if self.selected.as_deref() == Some(from) {
            self.selected = Some(to.to_owned());
        }
    }

    fn removed(&mut self, name: &str) {
        self.order.retain(|n| n != name);
        self.drafts.retain(|(n, _), _| n != name);
        if self.selected.as_deref() == Some(name) {
            self.selected = None;
        }
    }

    /// The name as the atlas spells it when it is a known city (so "wien" becomes "Vienna"), else as typed.
    fn canonical(&self, typed: &str) -> String {
        let t = typed.trim();
        self.cache.city_of.get(&fold(t)).cloned().unwrap_or_else(|| t.to_owned())
    }

    /// The city a participant name stands for, if it is one.
    fn city(&self, name: &str) -> Option<String> {
        self.cache.city_of.get(&fold(name.trim())).cloned()
    }

    /// The country (ISO code, as imports write it) of the city a participant name stands for, if known.
    fn country(&self, name: &str) -> Option<String> {
        self.city(name).and_then(|c| self.cache.country_of.get(&c).cloned())
    }

    fn row_of(&self, name: &str) -> Option<usize> {
        let f = fold(name.trim());
        self.order.iter().position(|n| fold(n) == f)
    }
}

impl RoundCache {
    fn refresh(&mut self, atlas: &Atlas, set: &AnswerSet, version: u64, round: Option<&str>) -> bool {
        let key = (version, round.unwrap_or_default().to_owned(), atlas.evidence.len());
        if self.key.as_ref() == Some(&key) {
            return false;
        }
        self.computations += 1;
        let same_answers = self.key.as_ref().is_some_and(|k| k.0 == version);
        if !same_answers || self.city_of.is_empty() {
            self.rounds = set
                .rounds
                .iter()
                .filter(|r| r.kind == "live")
                .map(|r| {
                    let label = match &r.held_on {
                        Some(d) => format!("{} ({d})", r.title),
                        None => r.title.clone(),
                    };
                    (r.uuid.clone(), label)
                })
                .collect();
            self.city_suggestions(atlas, set);
        }
        self.results = round.and_then(|uuid| rounds::summarize_atlas(set, atlas, uuid));
        let numbers: Vec<i64> = atlas.objectives.iter().map(|o| o.number).collect();
        self.questions = RoundQuestions::find(set, &numbers);
        self.people.clear();
        self.ticks.clear();
        if let Some(results) = &self.results {
            for r in &results.participants {
                let id = set.respondents[*r].id.clone();
                let ticks = self
                    .questions
                    .gaps
                    .iter()
                    .flatten()
                    .filter_map(|q| q.and_then(|q| set.answer(*r, q)))
                    .filter(|a| a.value_num.is_some_and(|v| v >= 0.5))
                    .count();
                self.ticks.insert(id.clone(), ticks);
                self.people.insert(id, *r);
            }
        }
        self.key = Some(key);
        true
    }

    /// Case-study cities (and their local names), cities added for imports, and every city or participant named
    /// in a live round.
    fn city_suggestions(&mut self, atlas: &Atlas, set: &AnswerSet) {
        let mut names: Vec<String> = Vec::new();
        self.city_of.clear();
        self.country_of.clear();
        for c in &atlas.cities {
            names.push(c.name.clone());
            self.country_of.insert(c.name.clone(), c.country.clone());
            self.city_of.insert(fold(&c.name), c.name.clone());
            for local in &c.local_names {
                self.city_of.entry(fold(local)).or_insert_with(|| c.name.clone());
            }
        }
        for (name, country) in &set.extra_cities {
            names.push(name.clone());
            if let Some(country) = country {
                self.country_of.entry(name.clone()).or_insert_with(|| country.clone());
            }
            self.city_of.entry(fold(name)).or_insert_with(|| name.clone());
        }
        for r in &set.respondents {
            if set.rounds.get(r.round).is_some_and(|x| x.kind == "live") {
                if let Some(city) = &r.city {
                    names.push(city.clone());
                    self.city_of.entry(fold(city)).or_insert_with(|| city.clone());
                }
                names.push(r.id.clone());
            }
        }
        let mut seen = std::collections::HashSet::new();
        names.retain(|n| seen.insert(fold(n)));
        names.sort_by_key(|n| fold(n));
        self.cities = names;
    }

    /// Up to eight names that start with (or else contain) what was typed; nothing once it matches exactly.
    fn suggest(&self, typed: &str) -> Vec<String> {
        let t = fold(typed.trim());
        if t.is_empty() || self.cities.iter().any(|c| fold(c) == t) {
            return Vec::new();
        }
        let mut starts: Vec<String> = self.cities.iter().filter(|c| fold(c).starts_with(&t)).cloned().collect();
        let contains = self.cities.iter().filter(|c| !fold(c).starts_with(&t) && fold(c).contains(&t)).cloned();
        starts.extend(contains);
        starts.truncate(8);
        starts
    }
}

/// Reads a typed score: empty clears, 0–4 is a score, anything else is explained.
pub fn parse_score(text: &str) -> Result<Option<f64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<u8>() {
        Ok(n) if n <= 4 => Ok(Some(f64::from(n))),
        _ => Err(format!("“{t}” is not a score: type 0, 1, 2, 3 or 4 (or clear the field)")),
    }
}

fn score_id(round: &str, name: &str, objective: usize) -> egui::Id {
    egui::Id::unique(("workshop_score", round, name, objective))
}

fn name_id(round: &str, name: &str) -> egui::Id {
    egui::Id::unique(("workshop_name", round, name))
}

fn add_id() -> egui::Id {
    egui::Id::unique("workshop_add_participant")
}

/// Shortens a label for chart axes.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// The height of a line of body text, in points (it follows the zoom).
fn em(ui: &egui::Ui) -> f32 {
    ui.text_style_height(&egui::TextStyle::Body)
}

pub fn show(
    ui: &mut egui::Ui,
    atlas: &Atlas,
    set: &AnswerSet,
    version: u64,
    state: &mut WorkshopState,
    actions: &mut Vec<Action>,
) {
    // A round that no longer exists (deleted here or elsewhere) closes.
    if state.round.as_ref().is_some_and(|uuid| !set.rounds.iter().any(|r| &r.uuid == uuid && r.kind == "live")) {
        state.round = None;
    }
    let rt = &mut state.runtime;
    if !rt.started {
        rt.started = true;
        if state.round.is_none() {
            state.round = set.rounds.iter().rev().find(|r| r.kind == "live").map(|r| r.uuid.clone());
        }
    }
    if rt.cache.refresh(atlas, set, version, state.round.as_deref()) {
        sync_rows(rt, set, state.round.as_deref());
    }
    toolbar(ui, state, actions);
    let Some(round) = state.round.clone() else {
        new_round_form(ui, &mut state.runtime, actions);
        return;
    };
    let rt = &mut state.runtime;
    if rt.details {
        round_bar(ui, set, &round, rt, actions);
    }
    if let Some(problem) = &rt.problem {
        ui.label(RichText::new(problem).color(ui.visuals().error_fg_color));
    }
    ui.separator();
    match state.layout {
        Layout::Entry => {
            egui::ScrollArea::both()
                .id_salt("workshop_entry_scroll")
                .show(ui, |ui| entry(ui, atlas, set, &round, rt, actions));
        }
        Layout::Results => {
            egui::ScrollArea::vertical().id_salt("workshop_results_scroll").show(ui, |ui| results(ui, set, rt));
        }
        Layout::Both if ui.available_width() >= 1100.0 => {
            let width = ui.available_width();
            egui::Panel::right("workshop_results_panel")
                .resizable(true)
                .default_size(width * 0.4)
                .min_size(width * 0.25)
                .max_size(width * 0.6)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().id_salt("workshop_results_scroll").show(ui, |ui| results(ui, set, rt));
                });
            egui::CentralPanel::default().show(ui, |ui| {
                egui::ScrollArea::both()
                    .id_salt("workshop_entry_scroll")
                    .show(ui, |ui| entry(ui, atlas, set, &round, rt, actions));
            });
        }
        Layout::Both => {
            egui::ScrollArea::vertical().id_salt("workshop_scroll").show(ui, |ui| {
                egui::ScrollArea::horizontal()
                    .id_salt("workshop_entry_hscroll")
                    .show(ui, |ui| entry(ui, atlas, set, &round, rt, actions));
                ui.separator();
                results(ui, set, rt);
            });
        }
    }
}

/// Keeps the rows in entry order: participants already answering, then any the answers bring that are not listed.
fn sync_rows(rt: &mut WorkshopRuntime, set: &AnswerSet, round: Option<&str>) {
    let people: Vec<String> = rt
        .cache
        .results
        .as_ref()
        .map(|r| r.participants.iter().map(|p| set.respondents[*p].id.clone()).collect())
        .unwrap_or_default();
    if rt.order_for.as_deref() != round {
        rt.order = people;
        rt.order_for = round.map(str::to_owned);
        rt.drafts.clear();
        rt.name_drafts.clear();
        rt.selected = None;
        rt.confirm_remove = None;
        rt.confirm_delete_round = false;
        rt.problem = None;
        return;
    }
    for p in people {
        if !rt.order.contains(&p) {
            rt.order.push(p);
        }
    }
}

fn toolbar(ui: &mut egui::Ui, state: &mut WorkshopState, actions: &mut Vec<Action>) {
    let _ = actions;
    ui.horizontal_wrapped(|ui| {
        ui.heading("Workshop")
            .on_hover_text("A live self-assessment round: the room's scores and gaps, charted as entered");
        ui.separator();
        let rt = &mut state.runtime;
        let current = state
            .round
            .as_ref()
            .and_then(|u| rt.cache.rounds.iter().find(|(uuid, _)| uuid == u))
            .map(|(_, label)| label.clone())
            .unwrap_or_else(|| "New round".to_owned());
        let label = ui.label("Round:");
        let combo = egui::ComboBox::from_id_salt("workshop_round").selected_text(current).show_ui(ui, |ui| {
            for (uuid, label) in &rt.cache.rounds {
                let on = state.round.as_deref() == Some(uuid.as_str());
                if ui.selectable_label(on, label).clicked() {
                    state.round = Some(uuid.clone());
                }
            }
            if ui.selectable_label(state.round.is_none(), "New round…").clicked() {
                state.round = None;
            }
        });
        combo.response.labelled_by(label.id);
        if state.round.is_some() {
            if ui.button("New round…").on_hover_text("Start another round").clicked() {
                state.round = None;
            }
            let details = ui
                .selectable_label(rt.details, "Round details")
                .on_hover_text("Rename the round, change its date, or delete it");
            if details.clicked() {
                rt.details = !rt.details;
            }
            ui.separator();
            for layout in Layout::ALL {
                if ui.selectable_label(state.layout == layout, layout.label()).clicked() {
                    state.layout = layout;
                }
            }
        }
    });
}

fn today() -> String {
    jiff::Zoned::now().date().to_string()
}

/// A typed date: empty is none, else YYYY-MM-DD.
fn parse_round_date(text: &str) -> Result<Option<String>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match parse_date(t) {
        Some(d) if t.contains('-') => Ok(Some(d)),
        _ => Err(format!("“{t}” is not a date: write it as YYYY-MM-DD")),
    }
}

fn new_round_form(ui: &mut egui::Ui, rt: &mut WorkshopRuntime, actions: &mut Vec<Action>) {
    if !rt.date_filled {
        rt.new_date = today();
        rt.date_filled = true;
    }
    ui.add_space(em(ui));
    ui.label(RichText::new("Open a round").size(em(ui) * 1.3).strong());
    ui.label(
        "Give the round a title and a date, then add the participants as they speak: a score 0–4 for each of the 12 \
         checklist objectives, and the coordination gaps they face with each level of government. Every answer is \
         saved at once, and the charts follow.",
    );
    ui.add_space(em(ui) * 0.5);
    let mut submit = false;
    egui::Grid::new("workshop_new_round").num_columns(2).spacing([em(ui) * 0.6, em(ui) * 0.4]).show(ui, |ui| {
        let l = ui.label("Round title:");
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut rt.new_title).desired_width(em(ui) * 18.0).hint_text("Vienna workshop"),
            )
            .labelled_by(l.id);
        if r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
            submit = true;
        }
        ui.end_row();
        let l = ui.label("Round date:");
        let r = ui
            .add(egui::TextEdit::singleline(&mut rt.new_date).desired_width(em(ui) * 8.0).hint_text("YYYY-MM-DD"))
            .labelled_by(l.id);
        if r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
            submit = true;
        }
        ui.end_row();
    });
    let date = parse_round_date(&rt.new_date);
    if let Err(e) = &date {
        ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
    }
    let ready = !rt.new_title.trim().is_empty() && date.is_ok();
    if ui.add_enabled(ready, egui::Button::new("Open round")).clicked() {
        submit = true;
    }
    if submit && ready {
        let held_on = date.ok().flatten();
        actions.push(Action::Workshop(WorkshopAction::CreateRound { title: rt.new_title.trim().to_owned(), held_on }));
    }
    if !rt.cache.rounds.is_empty() {
        ui.add_space(em(ui));
        ui.label(RichText::new("Or continue an earlier round with “Round:” above.").weak());
    }
}

fn round_bar(ui: &mut egui::Ui, set: &AnswerSet, round: &str, rt: &mut WorkshopRuntime, actions: &mut Vec<Action>) {
    let Some(info) = set.rounds.iter().find(|r| r.uuid == round) else { return };
    if rt.edit_for.as_deref() != Some(round) {
        rt.edit_for = Some(round.to_owned());
        rt.edit_title = info.title.clone();
        rt.edit_date = info.held_on.clone().unwrap_or_default();
    }
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Round title:");
        ui.add(egui::TextEdit::singleline(&mut rt.edit_title).desired_width(em(ui) * 14.0)).labelled_by(l.id);
        let l = ui.label("Round date:");
        ui.add(egui::TextEdit::singleline(&mut rt.edit_date).desired_width(em(ui) * 7.0).hint_text("YYYY-MM-DD"))
            .labelled_by(l.id);
        let date = parse_round_date(&rt.edit_date);
        let title = rt.edit_title.trim().to_owned();
        let changed = title != info.title || date.as_ref().ok() != Some(&info.held_on);
        if changed {
            let ok = !title.is_empty() && date.is_ok();
            if ui.add_enabled(ok, egui::Button::new("Save title and date")).clicked()
                && let Ok(held_on) = date.clone()
            {
                actions.push(Action::Workshop(WorkshopAction::UpdateRound { uuid: round.to_owned(), title, held_on }));
            }
            if let Err(e) = &date {
                ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
            }
        }
        ui.separator();
        if !rt.confirm_delete_round {
            if ui.button("Delete round…").clicked() {
                rt.confirm_delete_round = true;
            }
        } else {
            let n = rt.cache.results.as_ref().map_or(0, |r| r.participants.len());
            ui.label(
                RichText::new(format!("Delete “{}” and the answers of its {n} participants?", info.title))
                    .color(ui.visuals().error_fg_color),
            );
            if ui.button("Yes, delete this round").clicked() {
                rt.confirm_delete_round = false;
                actions.push(Action::Workshop(WorkshopAction::DeleteRound(round.to_owned())));
            }
            if ui.button("Keep the round").clicked() {
                rt.confirm_delete_round = false;
            }
        }
    });
}

/// The participant field, the answer grid, and the selected participant's gap ticks.
fn entry(
    ui: &mut egui::Ui,
    atlas: &Atlas,
    set: &AnswerSet,
    round: &str,
    rt: &mut WorkshopRuntime,
    actions: &mut Vec<Action>,
) {
    let e = em(ui);
    if let Some(id) = rt.focus_next.take() {
        ui.memory_mut(|m| m.request_focus(id));
    }
    let focused_now = ui.memory(|m| m.focused());
    let newly_focused = if focused_now != rt.focused { focused_now } else { None };
    rt.focused = focused_now;

    // Add a participant.
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Add participant (city or name):");
        let enter = ui.input(|i| i.key_pressed(Key::Enter)) && ui.memory(|m| m.has_focus(add_id()));
        let suggestions = rt.cache.suggest(&rt.adding);
        let out = egui::CompletionPopup::new(add_id()).word_boundary(|_| false).max_height(e * 12.0).show(
            ui,
            egui::TextEdit::singleline(&mut rt.adding).desired_width(e * 14.0).hint_text("Vienna, or a name"),
            |_query| suggestions.into_iter().map(egui::Suggestion::new).collect(),
        );
        let response = out.text_edit.response.response.clone();
        let _ = response.clone().labelled_by(l.id);
        let submitted =
            (out.accepted.is_some() && enter) || (response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)));
        let add = ui.button("Add").on_hover_text("Or press Enter");
        if (submitted || add.clicked()) && !rt.adding.trim().is_empty() {
            add_participant(ui, rt, round);
        }
    });
    ui.label(
        RichText::new(
            "Scores: 0 = not at all … 4 = fully. Tab moves to the next field; Enter goes to the next participant.",
        )
        .weak(),
    );
    ui.add_space(e * 0.3);

    let objectives: Vec<(i64, String)> = atlas.objectives.iter().map(|o| (o.number, o.short_title.clone())).collect();
    if rt.order.is_empty() {
        ui.label(RichText::new("No participants yet: type a city or a name above and press Enter.").italics());
        return;
    }
    let mut focus_to: Option<egui::Id> = None;
    let mut remove_now: Option<String> = None;
    let order = rt.order.clone();
    let grid =
        egui::Grid::new(("workshop_grid", round)).striped(true).spacing([e * 0.3, e * 0.3]).min_col_width(e * 1.4);
    grid.show(ui, |ui| {
        ui.label(RichText::new("#").strong());
        ui.label(RichText::new("City or participant").strong());
        ui.label(RichText::new("Gaps").strong());
        for (n, title) in &objectives {
            ui.label(RichText::new(n.to_string()).strong()).on_hover_text(format!("Objective {n}: {title}"));
        }
        ui.label("");
        ui.end_row();
        for (row, name) in order.iter().enumerate() {
            let respondent = rt.cache.people.get(name).copied();
            let (city, country) = (rt.city(name), rt.country(name));
            ui.label(format!("{}", row + 1));
            // The name: renamed when the field is left.
            let nid = name_id(round, name);
            let mut text = rt.name_drafts.get(name).cloned().unwrap_or_else(|| name.clone());
            let r = ui.add(egui::TextEdit::singleline(&mut text).id(nid).desired_width(e * 7.5));
            let label = format!("Name of {name}");
            r.widget_info(|| {
                let mut info = egui::WidgetInfo::new(egui::Role::TextInput);
                info.label = Some(label.clone());
                info.current_text_value = Some(text.clone());
                info
            });
            if r.changed() {
                rt.name_drafts.insert(name.clone(), text.clone());
            }
            if r.has_focus() {
                rt.selected = Some(name.clone());
            }
            if r.lost_focus() {
                if let Some(typed) = rt.name_drafts.remove(name) {
                    rename(rt, round, name, respondent.is_some(), &typed, actions);
                }
                if ui.input(|i| i.key_pressed(Key::Enter)) {
                    focus_to = Some(score_id(round, &rt.canonical(&text), 0));
                }
            }
            let ticks = rt.cache.ticks.get(name).copied().unwrap_or(0);
            let selected = rt.selected.as_deref() == Some(name.as_str());
            let g = ui.selectable_label(selected, format!("{ticks} ticked"));
            let label = format!("Gaps of {name}");
            g.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &label));
            if g.clicked() {
                rt.selected = Some(name.clone());
            }
            // Scores.
            for (k, (number, _)) in objectives.iter().enumerate() {
                let id = score_id(round, name, k);
                let question = rt.cache.questions.scores.get(k).copied().flatten();
                let stored = respondent.zip(question).and_then(|(r, q)| set.answer(r, q)).and_then(|a| a.value_num);
                let draft = rt.drafts.get(&(name.clone(), k)).cloned();
                let mut text = draft.clone().unwrap_or_else(|| stored.map(|v| format!("{v}")).unwrap_or_default());
                if newly_focused == Some(id) {
                    // A score field selects its content when reached, so typing replaces it.
                    let mut st = egui::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
                    st.cursor.set_char_range(Some(egui::text::CCursorRange::select_all_str(&text)));
                    st.store(ui.ctx(), id);
                }
                let mut edit = egui::TextEdit::singleline(&mut text)
                    .id(id)
                    .desired_width(e * 1.6)
                    .align(egui::Align2::CENTER_CENTER);
                if draft.is_some() {
                    edit = edit.text_color(ui.visuals().error_fg_color);
                }
                let r = ui.add(edit);
                let label = format!("Score for objective {number} of {name}");
                r.widget_info(|| {
                    let mut info = egui::WidgetInfo::new(egui::Role::TextInput);
                    info.label = Some(label.clone());
                    info.current_text_value = Some(text.clone());
                    info
                });
                if r.has_focus() {
                    rt.selected = Some(name.clone());
                }
                if r.changed() {
                    match parse_score(&text) {
                        Ok(value) => {
                            rt.drafts.remove(&(name.clone(), k));
                            rt.problem = None;
                            if value != stored {
                                actions.push(Action::Workshop(WorkshopAction::SetAnswer {
                                    round: round.to_owned(),
                                    respondent: name.clone(),
                                    city: city.clone(),
                                    country: country.clone(),
                                    question: score_code(*number),
                                    value,
                                }));
                            }
                        }
                        Err(message) => {
                            rt.problem = Some(format!("{name}, objective {number}: {message}. Not saved."));
                            rt.drafts.insert((name.clone(), k), text.clone());
                        }
                    }
                }
                if r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                    focus_to = Some(match order.get(row + 1) {
                        Some(next) => score_id(round, next, k),
                        None => add_id(),
                    });
                }
            }
            if rt.confirm_remove.as_deref() == Some(name.as_str()) {
                ui.horizontal(|ui| {
                    let yes = ui.button("Remove");
                    yes.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Yes, remove {name}"))
                    });
                    if yes.clicked() {
                        rt.confirm_remove = None;
                        if respondent.is_some() {
                            actions.push(Action::Workshop(WorkshopAction::RemoveParticipant {
                                round: round.to_owned(),
                                respondent: name.clone(),
                            }));
                        } else {
                            remove_now = Some(name.clone());
                        }
                    }
                    let keep = ui.button("Keep");
                    keep.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Keep {name}")));
                    if keep.clicked() {
                        rt.confirm_remove = None;
                    }
                });
            } else {
                let remove = ui.small_button("Remove…");
                remove.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Remove {name}")));
                if remove.clicked() {
                    rt.confirm_remove = Some(name.clone());
                }
            }
            ui.end_row();
        }
    });
    if let Some(name) = remove_now {
        rt.removed(&name);
    }
    if let Some(id) = focus_to {
        rt.focus_next = Some(id);
        ui.ctx().request_repaint();
    }
    if rt.drafts.is_empty() && rt.problem.as_deref().is_some_and(|p| p.ends_with("Not saved.")) {
        rt.problem = None;
    }

    // The selected participant's gaps (the latest row until one is chosen).
    if rt.selected.as_ref().is_none_or(|n| !rt.order.contains(n)) {
        rt.selected = rt.order.last().cloned();
    }
    let Some(name) = rt.selected.clone() else {
        ui.add_space(e * 0.5);
        ui.label(
            RichText::new("Click “… ticked” on a row (or enter its scores) to tick that participant's gaps.").weak(),
        );
        return;
    };
    ui.add_space(e * 0.6);
    ui.label(RichText::new(format!("Coordination gaps {name} faces, by level of government")).strong());
    let respondent = rt.cache.people.get(&name).copied();
    let (city, country) = (rt.city(&name), rt.country(&name));
    egui::Grid::new(("workshop_gaps", round, &name)).striped(true).spacing([e * 0.6, e * 0.25]).show(ui, |ui| {
        ui.label("");
        for level in ROUND_LEVELS {
            ui.label(RichText::new(level).strong());
        }
        ui.end_row();
        for (g, gap) in GAP_TYPES.iter().enumerate() {
            ui.label(*gap);
            for (l, level) in ROUND_LEVELS.iter().enumerate() {
                let question = rt.cache.questions.gaps.get(g).and_then(|v| v.get(l)).copied().flatten();
                let stored = respondent.zip(question).and_then(|(r, q)| set.answer(r, q)).and_then(|a| a.value_num);
                let mut on = stored.is_some_and(|v| v >= 0.5);
                let r = ui.checkbox(&mut on, "");
                let label = format!("Gap {gap} with {level} of {name}");
                r.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, on, &label));
                if r.changed() {
                    actions.push(Action::Workshop(WorkshopAction::SetAnswer {
                        round: round.to_owned(),
                        respondent: name.clone(),
                        city: city.clone(),
                        country: country.clone(),
                        question: gap_code(gap, level),
                        value: on.then_some(1.0),
                    }));
                }
            }
            ui.end_row();
        }
    });
}

/// Adds the typed participant as a row (not written until their first answer) and moves to their first score.
fn add_participant(ui: &egui::Ui, rt: &mut WorkshopRuntime, round: &str) {
    let name = rt.canonical(&rt.adding);
    rt.adding.clear();
    if let Some(row) = rt.row_of(&name) {
        let existing = rt.order[row].clone();
        rt.problem = Some(format!("{existing} is already in this round (row {}).", row + 1));
        rt.focus_next = Some(score_id(round, &existing, 0));
        ui.ctx().request_repaint();
        rt.selected = Some(existing);
        return;
    }
    rt.problem = None;
    rt.order.push(name.clone());
    rt.focus_next = Some(score_id(round, &name, 0));
    ui.ctx().request_repaint();
    rt.selected = Some(name);
}

fn rename(rt: &mut WorkshopRuntime, round: &str, from: &str, written: bool, typed: &str, actions: &mut Vec<Action>) {
    let to = rt.canonical(typed);
    if to.is_empty() || to == from {
        return;
    }
    if rt.row_of(&to).is_some_and(|row| rt.order[row] != from) {
        rt.problem = Some(format!("{to} is already in this round; the name stays {from}."));
        return;
    }
    if written {
        let (city, country) = (rt.city(&to), rt.country(&to));
        actions.push(Action::Workshop(WorkshopAction::Rename {
            round: round.to_owned(),
            from: from.to_owned(),
            to,
            city,
            country,
        }));
    } else {
        rt.renamed(from, &to);
    }
}

/// The three charts, each with its numbers as a table.
fn results(ui: &mut egui::Ui, set: &AnswerSet, rt: &WorkshopRuntime) {
    let Some(results) = &rt.cache.results else { return };
    let e = em(ui);
    let round = set.rounds.get(results.round);
    let title = round.map(|r| r.title.as_str()).unwrap_or_default();
    let n = results.participants.len();
    ui.label(RichText::new(format!("{title}: {n} participants")).size(e * 1.25).strong())
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, format!("Participants with answers: {n}")));
    if n == 0 {
        ui.label(RichText::new("The charts appear with the first answer.").italics());
        return;
    }
    let wide = ui.available_width() >= e * 40.0;

    heading(ui, "Average and spread per objective");
    ui.label(RichText::new("Bar: mean score (0–4); line: lowest to highest score given.").weak());
    side_by_side(
        ui,
        wide,
        "workshop_objectives_cols",
        |ui| objective_chart(ui, results),
        |ui| objective_table(ui, results),
    );

    heading(ui, "Gaps by level of government");
    ui.label(RichText::new("Participants who ticked each gap, stacked by the level it is with.").weak());
    let series = results.gaps_by_level();
    if series.totals().iter().all(|t| *t == 0) {
        ui.label(RichText::new("No gaps ticked yet.").italics());
    } else {
        charts::bars(ui, "workshop_gaps_chart", "Chart of gaps by level", &series, e * 14.0);
    }
    gap_table(ui, results);

    heading(ui, "The room beside the case-study evidence");
    ui.label(
        RichText::new(format!(
            "Share of the {n} participants naming each gap (at any level) and share of the evidence base's {} \
             challenges of that gap type.",
            results.challenges
        ))
        .weak(),
    );
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("■ This room (% of participants)").color(ROOM_COLOR).strong());
        ui.label(RichText::new("■ Evidence base (% of challenges)").color(EVIDENCE_COLOR).strong());
    });
    side_by_side(ui, wide, "workshop_beside_cols", |ui| beside_chart(ui, results), |ui| beside_table(ui, results));
}

fn heading(ui: &mut egui::Ui, title: &str) {
    ui.add_space(em(ui) * 0.8);
    ui.label(RichText::new(title).size(em(ui) * 1.15).strong());
}

fn side_by_side(
    ui: &mut egui::Ui,
    wide: bool,
    id: &str,
    chart: impl FnOnce(&mut egui::Ui),
    table: impl FnOnce(&mut egui::Ui),
) {
    if wide {
        ui.push_id(id, |ui| {
            ui.columns(2, |cols| {
                chart(&mut cols[0]);
                table(&mut cols[1]);
            });
        });
    } else {
        chart(ui);
        table(ui);
    }
}

const ROOM_COLOR: egui::Color32 = charts::PALETTE[1];
const EVIDENCE_COLOR: egui::Color32 = charts::PALETTE[0];

/// A table cell whose accessible name says what the number is.
fn cell(ui: &mut egui::Ui, text: impl Into<egui::WidgetText>, label: String) {
    ui.label(text).widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &label));
}

fn objective_label(number: i64, title: &str) -> String {
    format!("{number} {}", clip(title, 26))
}

fn fixed_plot(id: &str) -> Plot<'static> {
    Plot::new(id)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_grid([true, false])
}

fn category_axis<'a>(plot: Plot<'a>, labels: Vec<String>, e: f32) -> Plot<'a> {
    let n = labels.len();
    let width = labels.iter().map(|c| c.chars().count()).max().unwrap_or(4) as f32 * e * 0.45;
    plot.default_y_bounds(-0.6, n as f64 - 0.4)
        .y_axis_min_width(width)
        .y_grid_spacer(move |_| (0..n).map(|i| GridMark { value: (n - 1 - i) as f64, step_size: 1.0 }).collect())
        .y_axis_formatter(move |mark: GridMark, _| {
            let i = n as f64 - 1.0 - mark.value;
            if i >= 0.0 && (i - i.round()).abs() < 1e-6 {
                labels.get(i.round() as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
}

fn objective_chart(ui: &mut egui::Ui, results: &RoundResults) {
    let e = em(ui);
    let n = results.objectives.len();
    let y_of = |i: usize| (n - 1 - i) as f64;
    let color = charts::PALETTE[0];
    let range_color = ui.visuals().strong_text_color();
    let bars: Vec<Bar> = results
        .objectives
        .iter()
        .enumerate()
        .filter_map(|(i, o)| {
            o.stats.map(|s| {
                Bar::new(y_of(i), s.mean)
                    .width(0.6)
                    .name(format!("Objective {}", o.number))
                    .fill(color.gamma_multiply(0.75))
            })
        })
        .collect();
    let chart = BarChart::new("Mean score", bars)
        .horizontal()
        .color(color)
        .element_formatter(Box::new(|bar, _| format!("{}: mean {:.1}", bar.name, bar.value)));
    let labels: Vec<String> = results.objectives.iter().map(|o| objective_label(o.number, &o.short_title)).collect();
    let plot = category_axis(fixed_plot("workshop_objectives_chart"), labels, e)
        .height(n as f32 * e * 1.7 + e * 3.0)
        .default_x_bounds(0.0, 4.6)
        .x_grid_spacer(|_| (0..=4).map(|v| GridMark { value: f64::from(v), step_size: 1.0 }).collect())
        .custom_x_axes(vec![AxisHints::new_x().label_spacing(16.0..=24.0)]);
    let response = plot.show(ui, |plot_ui| {
        plot_ui.bar_chart(chart);
        for (i, o) in results.objectives.iter().enumerate() {
            let Some(s) = o.stats else { continue };
            let y = y_of(i);
            let range = "Lowest–highest score";
            plot_ui.line(Line::new(range, vec![[s.min, y], [s.max, y]]).color(range_color).width(2.5));
            for end in [s.min, s.max] {
                plot_ui.line(Line::new(range, vec![[end, y - 0.22], [end, y + 0.22]]).color(range_color).width(2.5));
            }
            plot_ui.text(
                Text::new("Mean", PlotPoint::new(s.max.max(s.mean) + 0.08, y), format!("{:.1}", s.mean))
                    .anchor(egui::Align2::LEFT_CENTER)
                    .color(range_color),
            );
        }
    });
    response.response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Image, true, "Chart of average and spread per objective")
    });
}

fn objective_table(ui: &mut egui::Ui, results: &RoundResults) {
    egui::Grid::new("workshop_objectives_table").striped(true).show(ui, |ui| {
        for h in ["Objective", "Answers", "Mean", "Spread (SD)", "Range"] {
            ui.label(RichText::new(h).strong());
        }
        ui.end_row();
        for o in &results.objectives {
            let n = o.number;
            ui.label(objective_label(n, &o.short_title)).on_hover_text(&o.short_title);
            cell(ui, o.n().to_string(), format!("Answers on objective {n}: {}", o.n()));
            match o.stats {
                Some(s) => {
                    let mean = one_decimal(s.mean);
                    cell(ui, RichText::new(&mean).strong(), format!("Mean score of objective {n}: {mean}"));
                    let sd = one_decimal(s.sd);
                    cell(ui, sd.clone(), format!("Spread of objective {n}: {sd}"));
                    let range = format!("{}–{}", s.min, s.max);
                    cell(ui, range.clone(), format!("Range of objective {n}: {range}"));
                }
                None => {
                    for _ in 0..3 {
                        ui.label("—");
                    }
                }
            }
            ui.end_row();
        }
    });
}

fn gap_table(ui: &mut egui::Ui, results: &RoundResults) {
    let n = results.participants.len();
    egui::ScrollArea::horizontal().id_salt("workshop_gap_table_scroll").show(ui, |ui| {
        egui::Grid::new("workshop_gap_table").striped(true).show(ui, |ui| {
            ui.label(RichText::new("Gap").strong());
            for level in ROUND_LEVELS {
                ui.label(RichText::new(level).strong());
            }
            ui.label(RichText::new("Any level").strong());
            ui.end_row();
            for g in &results.gaps {
                ui.label(&g.gap);
                for (level, count) in ROUND_LEVELS.iter().zip(&g.by_level) {
                    cell(ui, count.to_string(), format!("{} gaps with {level}: {count}", g.gap));
                }
                let any = format!("{} of {n}", g.participants);
                cell(ui, RichText::new(&any).strong(), format!("{} gaps at any level: {any}", g.gap));
                ui.end_row();
            }
        });
    });
}

fn beside_chart(ui: &mut egui::Ui, results: &RoundResults) {
    let e = em(ui);
    let n = results.gaps.len();
    let y_of = |i: usize| (n - 1 - i) as f64;
    let (room_color, evidence_color) = (ROOM_COLOR, EVIDENCE_COLOR);
    let room: Vec<Bar> = results
        .gaps
        .iter()
        .enumerate()
        .map(|(i, g)| Bar::new(y_of(i) + 0.18, g.room_share * 100.0).width(0.34).name(&g.gap).fill(room_color))
        .collect();
    let evidence: Vec<Bar> = results
        .gaps
        .iter()
        .enumerate()
        .map(|(i, g)| Bar::new(y_of(i) - 0.18, g.evidence_share * 100.0).width(0.34).name(&g.gap).fill(evidence_color))
        .collect();
    let labels: Vec<String> = results.gaps.iter().map(|g| g.gap.clone()).collect();
    let text_color = ui.visuals().strong_text_color();
    let plot = category_axis(fixed_plot("workshop_beside_chart"), labels, e)
        .height(n as f32 * e * 2.4 + e * 3.0)
        .default_x_bounds(0.0, 115.0)
        .x_grid_spacer(|_| (0..=4).map(|v| GridMark { value: f64::from(v * 25), step_size: 25.0 }).collect())
        .custom_x_axes(vec![
            AxisHints::new_x().label_spacing(30.0..=40.0).formatter(|mark, _| format!("{:.0}%", mark.value)),
        ]);
    let response = plot.show(ui, |plot_ui| {
        plot_ui.bar_chart(
            BarChart::new("This room (% of participants)", room)
                .horizontal()
                .color(room_color)
                .element_formatter(Box::new(|bar, _| format!("{}: {:.0}% of the room", bar.name, bar.value))),
        );
        plot_ui.bar_chart(
            BarChart::new("Evidence base (% of challenges)", evidence)
                .horizontal()
                .color(evidence_color)
                .element_formatter(Box::new(|bar, _| format!("{}: {:.0}% of challenges", bar.name, bar.value))),
        );
        for (i, g) in results.gaps.iter().enumerate() {
            for (share, dy) in [(g.room_share, 0.18), (g.evidence_share, -0.18)] {
                plot_ui.text(
                    Text::new("Share", PlotPoint::new(share * 100.0 + 1.5, y_of(i) + dy), percent(share))
                        .anchor(egui::Align2::LEFT_CENTER)
                        .color(text_color),
                );
            }
        }
    });
    response
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, "Chart of the room beside the evidence"));
}

fn beside_table(ui: &mut egui::Ui, results: &RoundResults) {
    let n = results.participants.len();
    egui::Grid::new("workshop_beside_table").striped(true).show(ui, |ui| {
        for h in ["Gap", "This room", "Evidence base"] {
            ui.label(RichText::new(h).strong());
        }
        ui.end_row();
        for g in &results.gaps {
            ui.label(&g.gap);
            let room = format!("{} of {n} ({})", g.participants, percent(g.room_share));
            cell(ui, RichText::new(&room).strong(), format!("Room naming {} gaps: {room}", g.gap));
            let evidence = format!("{} of {} ({})", g.challenges, results.challenges, percent(g.evidence_share));
            cell(ui, evidence.clone(), format!("Evidence challenges with {} gaps: {evidence}", g.gap));
            ui.end_row();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_whole_numbers_from_0_to_4() {
        assert_eq!(parse_score(" 3 "), Ok(Some(3.0)));
        assert_eq!(parse_score("0"), Ok(Some(0.0)));
        assert_eq!(parse_score(""), Ok(None));
        for bad in ["5", "12", "-1", "2.5", "x", "three"] {
            let e = parse_score(bad).expect_err(bad);
            assert!(e.contains("is not a score"), "{e}");
        }
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(parse_round_date("2026-11-23"), Ok(Some("2026-11-23".to_owned())));
        assert_eq!(parse_round_date(" "), Ok(None));
        assert!(parse_round_date("23/11/2026").is_err());
        assert!(parse_round_date("45000").is_err(), "a bare number is not a date here");
    }

    #[test]
    fn long_labels_are_clipped() {
        assert_eq!(clip("Access to adequate housing", 10), "Access to…");
        assert_eq!(clip("Time", 10), "Time");
    }
}
