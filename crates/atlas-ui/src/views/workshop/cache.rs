//! The Workshop's runtime: typing in progress, confirmations, focus, and the results cache of the open round. It
//! lives in the per-database runtime, so it is dropped with its database.

use atlas_analysis::Revision;
use std::collections::HashMap;

use eframe::egui;

use atlas_analysis::rounds::{self, RoundQuestions, RoundResults};
use atlas_core::model::{AnswerSet, Atlas};
use atlas_core::text::fold;

/// Typing in progress, confirmations, and the cached results.
#[derive(Debug, Clone, Default)]
pub struct WorkshopRuntime {
    /// The height of a participant row as last drawn: a row out of sight is drawn as an empty row of this height.
    pub(super) row_pitch: f32,
    pub(super) new_title: String,
    pub(super) new_date: String,
    pub(super) date_filled: bool,
    /// Title and date being edited, for the round `edit_for`.
    pub(super) edit_title: String,
    pub(super) edit_date: String,
    pub(super) edit_for: Option<String>,
    pub(super) confirm_delete_round: bool,
    pub(super) confirm_remove: Option<String>,
    /// The rows, in entry order: participants with answers and those just added (not yet written).
    pub(super) order: Vec<String>,
    pub(super) order_for: Option<String>,
    /// The participant field's text.
    pub(super) adding: String,
    /// Score text that is not a score, by (participant, objective position): shown, not written.
    pub(super) drafts: HashMap<(String, usize), String>,
    /// Participant names being edited.
    pub(super) name_drafts: HashMap<String, String>,
    /// Whose gap ticks are shown.
    pub(super) selected: Option<String>,
    /// Scores written this frame, shown until the answers are read back: (participant, objective position).
    pub(super) pending: HashMap<(String, usize), Option<f64>>,
    /// Keys typed after the key that moved the keyboard elsewhere, in the same frame: handed to where it went.
    pub(super) carry: Vec<egui::Event>,
    /// Where the keyboard goes next frame (not this one: the Enter that moved it would reach that field too).
    pub(super) focus_next: Option<egui::Id>,
    pub(super) problem: Option<String>,
    /// Set once the view was shown: on first showing with no round chosen, the latest live round opens.
    pub(super) started: bool,
    /// Whether the round's title, date and delete button are shown.
    pub(super) details: bool,
    /// The facilitator chose to see the entry table while the room answers with the results hidden (for the
    /// round named): the table shows each phone's answers, so it is hidden until then.
    pub(super) entry_while_hidden: Option<String>,
    /// The live room's shown lines and their words for the cloud, counted again only when the lines change.
    pub(super) live_words: atlas_analysis::Memo<Vec<String>, Vec<(String, usize)>>,
    pub cache: RoundCache,
}

/// Everything derived from the answers for the open round, recomputed only when the answers or the round change.
#[derive(Debug, Clone, Default)]
pub struct RoundCache {
    pub(super) key: Option<(Revision, String, usize)>,
    pub results: Option<RoundResults>,
    /// Participant id → respondent position, for the open round.
    pub(super) people: HashMap<String, usize>,
    /// Participant id → gap ticks.
    pub(super) ticks: HashMap<String, usize>,
    pub(super) questions: RoundQuestions,
    /// Live rounds: (uuid, label).
    pub(super) rounds: Vec<(String, String)>,
    /// Names offered while typing a participant, and folded name → the name as the atlas spells it.
    pub(super) cities: Vec<String>,
    pub(super) city_of: HashMap<String, String>,
    /// City name → country code.
    pub(super) country_of: HashMap<String, String>,
    /// The open lines the facilitator showed (a round no longer live), and their words for the cloud.
    pub(super) shown_lines: usize,
    pub(super) words: Vec<(String, usize)>,
    /// How often the results were computed (tests check it is not every frame).
    pub computations: u64,
}

impl WorkshopRuntime {
    pub fn renamed(&mut self, from: &str, to: &str) {
        for name in &mut self.order {
            if name == from {
                *name = to.to_owned();
            }
        }
        if self.selected.as_deref() == Some(from) {
            self.selected = Some(to.to_owned());
        }
    }

    pub fn removed(&mut self, name: &str) {
        self.order.retain(|n| n != name);
        self.drafts.retain(|(n, _), _| n != name);
        if self.selected.as_deref() == Some(name) {
            self.selected = None;
        }
    }

    /// What a typed participant stands for: a city as the atlas spells it when the text names one ("wien" is
    /// Vienna), or begins exactly one known city's name ("Ath" typed before the suggestion showed is Athens); else
    /// the text as typed.
    pub(super) fn resolve_typed(&self, typed: &str) -> String {
        let t = typed.trim();
        if let Some(city) = self.cache.city_of.get(&fold(t)) {
            return city.clone();
        }
        let folded = fold(t);
        let mut starts: Vec<&String> = self.cache.country_of.keys().filter(|c| fold(c).starts_with(&folded)).collect();
        starts.dedup();
        match starts.as_slice() {
            [one] if folded.chars().count() >= 3 => (*one).clone(),
            _ => t.to_owned(),
        }
    }

    /// The name as the atlas spells it when it is a known city (so "wien" becomes "Vienna"), else as typed.
    pub(super) fn canonical(&self, typed: &str) -> String {
        let t = typed.trim();
        self.cache.city_of.get(&fold(t)).cloned().unwrap_or_else(|| t.to_owned())
    }

    /// The city a participant name stands for, if it is one.
    pub(super) fn city(&self, name: &str) -> Option<String> {
        self.cache.city_of.get(&fold(name.trim())).cloned()
    }

    /// The country (ISO code, as imports write it) of the city a participant name stands for, if known.
    pub(super) fn country(&self, name: &str) -> Option<String> {
        self.city(name).and_then(|c| self.cache.country_of.get(&c).cloned())
    }

    pub(super) fn row_of(&self, name: &str) -> Option<usize> {
        let f = fold(name.trim());
        self.order.iter().position(|n| fold(n) == f)
    }
}

impl RoundCache {
    pub(super) fn refresh(&mut self, atlas: &Atlas, set: &AnswerSet, revision: Revision, round: Option<&str>) -> bool {
        let key = (revision, round.unwrap_or_default().to_owned(), atlas.evidence.len());
        if self.key.as_ref() == Some(&key) {
            return false;
        }
        self.computations += 1;
        let same_answers = self.key.as_ref().is_some_and(|k| k.0 == revision);
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
        let lines = round.and_then(|uuid| set.approved_lines.get(uuid)).map(Vec::as_slice).unwrap_or_default();
        self.shown_lines = lines.len();
        self.words = atlas_analysis::words::word_counts(lines.iter().map(String::as_str));
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
    pub(super) fn city_suggestions(&mut self, atlas: &Atlas, set: &AnswerSet) {
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
    pub(super) fn suggest(&self, typed: &str) -> Vec<String> {
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

pub(super) fn score_id(round: &str, name: &str, objective: usize) -> egui::Id {
    egui::Id::unique(("workshop_score", round, name, objective))
}

pub(super) fn name_id(round: &str, name: &str) -> egui::Id {
    egui::Id::unique(("workshop_name", round, name))
}

pub(super) fn add_id() -> egui::Id {
    egui::Id::unique("workshop_add_participant")
}

/// Shortens a label for chart axes.
pub(super) fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// The height of a line of body text, in points (it follows the zoom).
pub(super) fn em(ui: &egui::Ui) -> f32 {
    ui.text_style_height(&egui::TextStyle::Body)
}
impl WorkshopRuntime {
    /// A new round was made: the new-round form starts empty again.
    pub fn round_created(&mut self) {
        self.new_title.clear();
        self.date_filled = false;
    }
}
