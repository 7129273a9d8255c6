//! A city's self-assessment against the 12-objective checklist, the indicators it defines per objective, and its
//! action plan, in the user tables `assessments`, `assessment_scores`, `assessment_evidence`, `city_indicators`,
//! `city_indicator_values`, `city_actions` and `city_action_progress`.
//!
//! Each of the three kinds of thing is written whole (with its child rows) in one transaction, and deleted as a
//! tombstone (`deleted_at`), so that it can travel in bundles with the merge rules of [`super::bundle`]. Reseeding
//! never touches these tables. Undo and redo live in [`crate::records::assessments`].

use serde::{Deserialize, Serialize};

/// The number of checklist objectives scored.
pub const OBJECTIVES: i64 = 12;
/// Scores run from 0 (not at all) to 4 (fully), as in the workshop rounds.
pub const MAX_SCORE: i64 = 4;
word_enum! {
    /// What a piece of an assessment's evidence is.
    pub enum LinkKind("evidence kind") {
        /// A shipped record, by id.
        #[default]
        Record = "record",
        /// One of the user's own records, by id.
        OwnRecord = "own-record",
        /// A note, by uuid.
        Note = "note",
        /// A file, by path.
        File = "file",
    }
}

impl LinkKind {
    /// A record of the atlas (shipped or the user's own), opened in the explorer.
    pub fn is_record(self) -> bool {
        matches!(self, LinkKind::Record | LinkKind::OwnRecord)
    }
}

word_enum! {
    /// Whether an indicator is better when it goes up or down ("higher is better").
    pub enum Direction("direction") {
        #[default]
        Higher = "higher",
        Lower = "lower",
    }
}

word_enum! {
    /// The states of an action.
    pub enum ActionStatus("action status") {
        #[default]
        Planned = "planned",
        InProgress = "in progress",
        Done = "done",
        Dropped = "dropped",
    }
}

impl ActionStatus {
    /// Still to be done (planned or in progress).
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Planned | ActionStatus::InProgress)
    }
}

/// One objective's score and the written reason for it. `score` is `None` while the objective is not assessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectiveScore {
    pub objective: i64,
    pub score: Option<i64>,
    #[serde(default)]
    pub justification: String,
}

/// A piece of evidence attached to an assessment: a shipped record id (`record`), an own record id
/// (`own-record`), a note uuid (`note`) or a file path (`file`); `objective` is the objective it supports, if one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceLink {
    pub objective: Option<i64>,
    pub kind: LinkKind,
    pub target: String,
    #[serde(default)]
    pub label: String,
}

/// One self-assessment of one city on one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Assessment {
    pub uuid: String,
    /// A case-study city's name ("Vienna") or the name of a city the user added.
    pub city: String,
    /// ISO country code, when known.
    #[serde(default)]
    pub country: Option<String>,
    /// The city's TL2 region code, when known (case-study cities have theirs in the reference data).
    #[serde(default)]
    pub region: Option<String>,
    /// `YYYY-MM-DD`.
    pub assessed_on: String,
    pub assessor: String,
    /// The workshop round (and participant) it was adopted from, if any.
    #[serde(default)]
    pub round_uuid: Option<String>,
    #[serde(default)]
    pub round_respondent: Option<String>,
    /// Coordination gap types the city reports (see [`crate::dataset::GAP_TYPES`]).
    #[serde(default)]
    pub gap_types: Vec<String>,
    /// Levels of government it reports them with.
    #[serde(default)]
    pub levels: Vec<String>,
    #[serde(default)]
    pub summary: String,
    /// One entry per objective 1–12, in order.
    pub scores: Vec<ObjectiveScore>,
    #[serde(default)]
    pub evidence: Vec<EvidenceLink>,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default)]
    pub deleted_at: Option<String>,
}

impl Assessment {
    /// A new, unscored assessment of `city` on `date` by `assessor`.
    pub fn new(city: &str, country: Option<&str>, date: &str, assessor: &str) -> Self {
        let at = super::notes::now();
        Self {
            uuid: super::notes::new_uuid(),
            city: city.trim().to_owned(),
            country: country.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()),
            assessed_on: date.trim().to_owned(),
            assessor: assessor.trim().to_owned(),
            scores: (1..=OBJECTIVES)
                .map(|objective| ObjectiveScore { objective, score: None, justification: String::new() })
                .collect(),
            created_at: at.clone(),
            updated_at: at,
            ..Self::default()
        }
    }

    /// The score of objective `n` (1–12), if assessed.
    pub fn score(&self, n: i64) -> Option<i64> {
        self.scores.iter().find(|s| s.objective == n).and_then(|s| s.score)
    }

    /// Sets objective `n`'s score and justification.
    pub fn set_score(&mut self, n: i64, score: Option<i64>, justification: &str) {
        match self.scores.iter_mut().find(|s| s.objective == n) {
            Some(s) => {
                s.score = score;
                s.justification = justification.to_owned();
            }
            None => {
                self.scores.push(ObjectiveScore { objective: n, score, justification: justification.to_owned() });
                self.scores.sort_by_key(|s| s.objective);
            }
        }
    }

    pub fn justification(&self, n: i64) -> &str {
        self.scores.iter().find(|s| s.objective == n).map_or("", |s| s.justification.as_str())
    }
}

/// A value of an indicator on a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorValue {
    /// `YYYY-MM-DD`.
    pub on: String,
    pub value: f64,
    #[serde(default)]
    pub note: String,
}

/// An indicator a city defines for one objective. When `region_indicator` and `region` are set it is linked to the
/// regional database, whose value and rank for that region are read from the reference data when shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CityIndicator {
    pub uuid: String,
    pub city: String,
    pub objective: i64,
    pub name: String,
    #[serde(default)]
    pub unit: String,
    /// "higher" or "lower": which way is better.
    pub direction: Direction,
    #[serde(default)]
    pub target: Option<f64>,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub region_indicator: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    /// Sorted by date.
    #[serde(default)]
    pub values: Vec<IndicatorValue>,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default)]
    pub deleted_at: Option<String>,
}

/// A dated note on an action's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressNote {
    /// `YYYY-MM-DD`.
    pub on: String,
    pub text: String,
}

/// One action of a city's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Action {
    pub uuid: String,
    pub city: String,
    pub objective: i64,
    pub title: String,
    /// Ids of the practices (shipped or own) that inspired it.
    #[serde(default)]
    pub practices: Vec<String>,
    #[serde(default)]
    pub owner: String,
    /// The level of government involved (see [`crate::dataset::LEVELS`]).
    #[serde(default)]
    pub level: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub due_on: Option<String>,
    pub status: ActionStatus,
    /// Oldest first.
    #[serde(default)]
    pub progress: Vec<ProgressNote>,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default)]
    pub deleted_at: Option<String>,
}

/// Whether `text` is a calendar date written `YYYY-MM-DD`.
pub fn is_date(text: &str) -> bool {
    text.len() == 10 && text.parse::<jiff::civil::Date>().is_ok()
}

/// What is wrong with an assessment, in one line, or `None` if it can be saved.
pub fn assessment_problem(a: &Assessment) -> Option<String> {
    if a.uuid.trim().is_empty() {
        return Some("an assessment has no uuid".to_owned());
    }
    if a.city.trim().is_empty() {
        return Some(format!("assessment {}: no city", a.uuid));
    }
    if a.assessor.trim().is_empty() {
        return Some(format!("assessment of {}: who assessed it is missing", a.city));
    }
    if !is_date(&a.assessed_on) {
        return Some(format!("assessment of {}: date {:?} is not YYYY-MM-DD", a.city, a.assessed_on));
    }
    for s in &a.scores {
        if !(1..=OBJECTIVES).contains(&s.objective) {
            return Some(format!("assessment of {}: objective {} is not 1–12", a.city, s.objective));
        }
        if s.score.is_some_and(|v| !(0..=MAX_SCORE).contains(&v)) {
            return Some(format!(
                "assessment of {}: objective {} has score {}; scores run 0–4",
                a.city,
                s.objective,
                s.score.unwrap_or_default()
            ));
        }
    }
    let mut seen: Vec<i64> = a.scores.iter().map(|s| s.objective).collect();
    seen.sort_unstable();
    if seen.windows(2).any(|w| w[0] == w[1]) {
        return Some(format!("assessment of {}: an objective is scored twice", a.city));
    }
    for e in &a.evidence {
        if e.target.trim().is_empty() {
            return Some(format!("assessment of {}: a piece of evidence names nothing", a.city));
        }
        if e.objective.is_some_and(|o| !(1..=OBJECTIVES).contains(&o)) {
            return Some(format!("assessment of {}: evidence for objective {:?}, not 1–12", a.city, e.objective));
        }
    }
    None
}

/// What is wrong with an indicator, in one line, or `None`.
pub fn indicator_problem(i: &CityIndicator) -> Option<String> {
    if i.uuid.trim().is_empty() || i.city.trim().is_empty() || i.name.trim().is_empty() {
        return Some("an indicator needs a uuid, a city and a name".to_owned());
    }
    if !(1..=OBJECTIVES).contains(&i.objective) {
        return Some(format!("indicator {:?}: objective {} is not 1–12", i.name, i.objective));
    }
    if i.target.is_some_and(|t| !t.is_finite()) {
        return Some(format!("indicator {:?}: the target is not a number", i.name));
    }
    let mut dates: Vec<&str> = Vec::new();
    for v in &i.values {
        if !is_date(&v.on) || !v.value.is_finite() {
            return Some(format!(
                "indicator {:?}: value {:?} on {:?} is not a number on a YYYY-MM-DD date",
                i.name, v.value, v.on
            ));
        }
        if dates.contains(&v.on.as_str()) {
            return Some(format!("indicator {:?}: two values on {}", i.name, v.on));
        }
        dates.push(&v.on);
    }
    None
}

/// What is wrong with an action, in one line, or `None`.
pub fn action_problem(a: &Action) -> Option<String> {
    if a.uuid.trim().is_empty() || a.city.trim().is_empty() || a.title.trim().is_empty() {
        return Some("an action needs a uuid, a city and a title".to_owned());
    }
    if !(1..=OBJECTIVES).contains(&a.objective) {
        return Some(format!("action {:?}: objective {} is not 1–12", a.title, a.objective));
    }
    if a.due_on.as_deref().is_some_and(|d| !is_date(d)) {
        return Some(format!(
            "action {:?}: due date {:?} is not YYYY-MM-DD",
            a.title,
            a.due_on.as_deref().unwrap_or("")
        ));
    }
    if let Some(p) = a.progress.iter().find(|p| !is_date(&p.on)) {
        return Some(format!("action {:?}: progress note date {:?} is not YYYY-MM-DD", a.title, p.on));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_statuses_read_and_write_their_words_and_refuse_others() {
        for k in LinkKind::ALL {
            let json = serde_json::to_string(&k).expect("json");
            assert_eq!(json, format!("\"{}\"", k.as_str()));
            assert_eq!(serde_json::from_str::<LinkKind>(&json).expect("back"), k);
        }
        let err = serde_json::from_str::<LinkKind>("\"photo\"").expect_err("refused").to_string();
        assert!(err.contains("evidence kind \"photo\" is not one of record, own-record, note, file"), "{err}");
        assert_eq!(serde_json::to_string(&ActionStatus::InProgress).expect("json"), "\"in progress\"");
        assert_eq!(Direction::parse("lower"), Some(Direction::Lower));
        assert!(ActionStatus::parse("finished").is_none());
    }
}
