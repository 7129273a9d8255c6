//! A city's self-assessment against the 12-objective checklist, the indicators it defines per objective, and its
//! action plan, in the user tables `assessments`, `assessment_scores`, `assessment_evidence`, `city_indicators`,
//! `city_indicator_values`, `city_actions` and `city_action_progress`.
//!
//! Each of the three kinds of thing is written whole (with its child rows) in one transaction, and deleted as a
//! tombstone (`deleted_at`), so that it can travel in bundles with the merge rules of [`super::bundle`]. Reseeding
//! never touches these tables. Undo and redo live in [`crate::annotate::assessments`].

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{Store, StoreError};

/// The number of checklist objectives scored.
pub const OBJECTIVES: i64 = 12;
/// Scores run from 0 (not at all) to 4 (fully), as in the workshop rounds.
pub const MAX_SCORE: i64 = 4;
/// The kinds of evidence an assessment can attach.
pub const EVIDENCE_KINDS: [&str; 4] = ["record", "own-record", "note", "file"];
/// Whether an indicator is better when it goes up or down.
pub const DIRECTIONS: [&str; 2] = ["higher", "lower"];
/// The states of an action.
pub const ACTION_STATUSES: [&str; 4] = ["planned", "in progress", "done", "dropped"];

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
    pub kind: String,
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
    pub direction: String,
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
    pub status: String,
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
        if !EVIDENCE_KINDS.contains(&e.kind.as_str()) {
            return Some(format!(
                "assessment of {}: evidence kind {:?}; expected one of {}",
                a.city,
                e.kind,
                EVIDENCE_KINDS.join(", ")
            ));
        }
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
    if !DIRECTIONS.contains(&i.direction.as_str()) {
        return Some(format!("indicator {:?}: direction {:?}; expected higher or lower", i.name, i.direction));
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
    if !ACTION_STATUSES.contains(&a.status.as_str()) {
        return Some(format!(
            "action {:?}: status {:?}; expected one of {}",
            a.title,
            a.status,
            ACTION_STATUSES.join(", ")
        ));
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

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".to_owned())
}

fn list(text: String) -> Vec<String> {
    serde_json::from_str(&text).unwrap_or_default()
}

fn invalid(detail: String) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(detail.into())
}

impl Store {
    /// Every assessment, tombstones included, by city then date.
    pub fn assessments(&self) -> Result<Vec<Assessment>, StoreError> {
        let run = || -> rusqlite::Result<Vec<Assessment>> {
            let mut list_out: Vec<Assessment> = self
                .conn
                .prepare(
                    "SELECT uuid, city, country, region, assessed_on, assessor, round_uuid, round_respondent,
                            gap_types, levels, summary, created_at, updated_at, deleted_at
                     FROM assessments ORDER BY city, assessed_on, created_at, uuid",
                )?
                .query_map([], |r| {
                    Ok(Assessment {
                        uuid: r.get(0)?,
                        city: r.get(1)?,
                        country: r.get(2)?,
                        region: r.get(3)?,
                        assessed_on: r.get(4)?,
                        assessor: r.get(5)?,
                        round_uuid: r.get(6)?,
                        round_respondent: r.get(7)?,
                        gap_types: list(r.get(8)?),
                        levels: list(r.get(9)?),
                        summary: r.get(10)?,
                        scores: Vec::new(),
                        evidence: Vec::new(),
                        created_at: r.get(11)?,
                        updated_at: r.get(12)?,
                        deleted_at: r.get(13)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            let index: std::collections::HashMap<String, usize> =
                list_out.iter().enumerate().map(|(i, a)| (a.uuid.clone(), i)).collect();
            let mut stmt = self.conn.prepare(
                "SELECT assessment_uuid, objective, score, justification FROM assessment_scores
                 ORDER BY assessment_uuid, objective",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    ObjectiveScore { objective: r.get(1)?, score: r.get(2)?, justification: r.get(3)? },
                ))
            })?;
            for row in rows {
                let (uuid, score) = row?;
                if let Some(i) = index.get(&uuid) {
                    list_out[*i].scores.push(score);
                }
            }
            let mut stmt = self.conn.prepare(
                "SELECT assessment_uuid, objective, kind, target, label FROM assessment_evidence
                 ORDER BY assessment_uuid, ord",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    EvidenceLink { objective: r.get(1)?, kind: r.get(2)?, target: r.get(3)?, label: r.get(4)? },
                ))
            })?;
            for row in rows {
                let (uuid, link) = row?;
                if let Some(i) = index.get(&uuid) {
                    list_out[*i].evidence.push(link);
                }
            }
            Ok(list_out)
        };
        run().map_err(|e| self.err(&e))
    }

    /// Inserts or replaces an assessment with its scores and evidence, in one transaction. An invalid one is
    /// refused with a one-line error and nothing is written.
    pub fn save_assessment(&self, a: &Assessment) -> Result<(), StoreError> {
        self.write(|tx| save_assessment_tx(tx, a))
    }

    /// Every indicator, tombstones included, with its values by date.
    pub fn city_indicators(&self) -> Result<Vec<CityIndicator>, StoreError> {
        let run = || -> rusqlite::Result<Vec<CityIndicator>> {
            let mut out: Vec<CityIndicator> = self
                .conn
                .prepare(
                    "SELECT uuid, city, objective, name, unit, direction, target, source, region_indicator, region,
                            created_at, updated_at, deleted_at
                     FROM city_indicators ORDER BY city, objective, created_at, uuid",
                )?
                .query_map([], |r| {
                    Ok(CityIndicator {
                        uuid: r.get(0)?,
                        city: r.get(1)?,
                        objective: r.get(2)?,
                        name: r.get(3)?,
                        unit: r.get(4)?,
                        direction: r.get(5)?,
                        target: r.get(6)?,
                        source: r.get(7)?,
                        region_indicator: r.get(8)?,
                        region: r.get(9)?,
                        values: Vec::new(),
                        created_at: r.get(10)?,
                        updated_at: r.get(11)?,
                        deleted_at: r.get(12)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            let index: std::collections::HashMap<String, usize> =
                out.iter().enumerate().map(|(i, a)| (a.uuid.clone(), i)).collect();
            let mut stmt = self.conn.prepare(
                "SELECT indicator_uuid, observed_on, value, note FROM city_indicator_values
                 ORDER BY indicator_uuid, observed_on",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((r.get::<_, String>(0)?, IndicatorValue { on: r.get(1)?, value: r.get(2)?, note: r.get(3)? }))
            })?;
            for row in rows {
                let (uuid, v) = row?;
                if let Some(i) = index.get(&uuid) {
                    out[*i].values.push(v);
                }
            }
            Ok(out)
        };
        run().map_err(|e| self.err(&e))
    }

    pub fn save_city_indicator(&self, i: &CityIndicator) -> Result<(), StoreError> {
        self.write(|tx| save_indicator_tx(tx, i))
    }

    /// Every action, tombstones included, with its progress notes.
    pub fn city_actions(&self) -> Result<Vec<Action>, StoreError> {
        let run = || -> rusqlite::Result<Vec<Action>> {
            let mut out: Vec<Action> = self
                .conn
                .prepare(
                    "SELECT uuid, city, objective, title, practices, owner, level, due_on, status,
                            created_at, updated_at, deleted_at
                     FROM city_actions ORDER BY city, objective, created_at, uuid",
                )?
                .query_map([], |r| {
                    Ok(Action {
                        uuid: r.get(0)?,
                        city: r.get(1)?,
                        objective: r.get(2)?,
                        title: r.get(3)?,
                        practices: list(r.get(4)?),
                        owner: r.get(5)?,
                        level: r.get(6)?,
                        due_on: r.get(7)?,
                        status: r.get(8)?,
                        progress: Vec::new(),
                        created_at: r.get(9)?,
                        updated_at: r.get(10)?,
                        deleted_at: r.get(11)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            let index: std::collections::HashMap<String, usize> =
                out.iter().enumerate().map(|(i, a)| (a.uuid.clone(), i)).collect();
            let mut stmt = self
                .conn
                .prepare("SELECT action_uuid, noted_on, text FROM city_action_progress ORDER BY action_uuid, ord")?;
            let rows =
                stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, ProgressNote { on: r.get(1)?, text: r.get(2)? })))?;
            for row in rows {
                let (uuid, p) = row?;
                if let Some(i) = index.get(&uuid) {
                    out[*i].progress.push(p);
                }
            }
            Ok(out)
        };
        run().map_err(|e| self.err(&e))
    }

    pub fn save_city_action(&self, a: &Action) -> Result<(), StoreError> {
        self.write(|tx| save_action_tx(tx, a))
    }
}

pub(crate) fn save_assessment_tx(tx: &rusqlite::Transaction<'_>, a: &Assessment) -> rusqlite::Result<()> {
    if let Some(problem) = assessment_problem(a) {
        return Err(invalid(problem));
    }
    tx.execute(
        "INSERT INTO assessments(uuid, city, country, region, assessed_on, assessor, round_uuid, round_respondent,
             gap_types, levels, summary, created_at, updated_at, deleted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT(uuid) DO UPDATE SET city = excluded.city, country = excluded.country, region = excluded.region,
             assessed_on = excluded.assessed_on, assessor = excluded.assessor, round_uuid = excluded.round_uuid,
             round_respondent = excluded.round_respondent, gap_types = excluded.gap_types, levels = excluded.levels,
             summary = excluded.summary, created_at = excluded.created_at, updated_at = excluded.updated_at,
             deleted_at = excluded.deleted_at",
        params![
            a.uuid,
            a.city,
            a.country,
            a.region,
            a.assessed_on,
            a.assessor,
            a.round_uuid,
            a.round_respondent,
            json(&a.gap_types),
            json(&a.levels),
            a.summary,
            a.created_at,
            a.updated_at,
            a.deleted_at
        ],
    )?;
    tx.execute("DELETE FROM assessment_scores WHERE assessment_uuid = ?1", [&a.uuid])?;
    for s in &a.scores {
        tx.execute(
            "INSERT INTO assessment_scores(assessment_uuid, objective, score, justification) VALUES (?1, ?2, ?3, ?4)",
            params![a.uuid, s.objective, s.score, s.justification],
        )?;
    }
    tx.execute("DELETE FROM assessment_evidence WHERE assessment_uuid = ?1", [&a.uuid])?;
    for (ord, e) in a.evidence.iter().enumerate() {
        tx.execute(
            "INSERT INTO assessment_evidence(assessment_uuid, ord, objective, kind, target, label)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![a.uuid, ord as i64, e.objective, e.kind, e.target, e.label],
        )?;
    }
    Ok(())
}

pub(crate) fn save_indicator_tx(tx: &rusqlite::Transaction<'_>, i: &CityIndicator) -> rusqlite::Result<()> {
    if let Some(problem) = indicator_problem(i) {
        return Err(invalid(problem));
    }
    tx.execute(
        "INSERT INTO city_indicators(uuid, city, objective, name, unit, direction, target, source, region_indicator,
             region, created_at, updated_at, deleted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT(uuid) DO UPDATE SET city = excluded.city, objective = excluded.objective, name = excluded.name,
             unit = excluded.unit, direction = excluded.direction, target = excluded.target, source = excluded.source,
             region_indicator = excluded.region_indicator, region = excluded.region,
             created_at = excluded.created_at, updated_at = excluded.updated_at, deleted_at = excluded.deleted_at",
        params![
            i.uuid,
            i.city,
            i.objective,
            i.name,
            i.unit,
            i.direction,
            i.target,
            i.source,
            i.region_indicator,
            i.region,
            i.created_at,
            i.updated_at,
            i.deleted_at
        ],
    )?;
    tx.execute("DELETE FROM city_indicator_values WHERE indicator_uuid = ?1", [&i.uuid])?;
    for v in &i.values {
        tx.execute(
            "INSERT INTO city_indicator_values(indicator_uuid, observed_on, value, note) VALUES (?1, ?2, ?3, ?4)",
            params![i.uuid, v.on, v.value, v.note],
        )?;
    }
    Ok(())
}

pub(crate) fn save_action_tx(tx: &rusqlite::Transaction<'_>, a: &Action) -> rusqlite::Result<()> {
    if let Some(problem) = action_problem(a) {
        return Err(invalid(problem));
    }
    tx.execute(
        "INSERT INTO city_actions(uuid, city, objective, title, practices, owner, level, due_on, status, created_at,
             updated_at, deleted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT(uuid) DO UPDATE SET city = excluded.city, objective = excluded.objective, title = excluded.title,
             practices = excluded.practices, owner = excluded.owner, level = excluded.level, due_on = excluded.due_on,
             status = excluded.status, created_at = excluded.created_at, updated_at = excluded.updated_at,
             deleted_at = excluded.deleted_at",
        params![
            a.uuid,
            a.city,
            a.objective,
            a.title,
            json(&a.practices),
            a.owner,
            a.level,
            a.due_on,
            a.status,
            a.created_at,
            a.updated_at,
            a.deleted_at
        ],
    )?;
    tx.execute("DELETE FROM city_action_progress WHERE action_uuid = ?1", [&a.uuid])?;
    for (ord, p) in a.progress.iter().enumerate() {
        tx.execute(
            "INSERT INTO city_action_progress(action_uuid, ord, noted_on, text) VALUES (?1, ?2, ?3, ?4)",
            params![a.uuid, ord as i64, p.on, p.text],
        )?;
    }
    Ok(())
}
