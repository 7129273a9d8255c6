//! A city's self-assessment against the 12-objective checklist, the indicators it defines per objective, and its
//! action plan, in the user tables `assessments`, `assessment_scores`, `assessment_evidence`, `city_indicators`,
//! `city_indicator_values`, `city_actions` and `city_action_progress`.
//!
//! Each of the three kinds of thing is written whole (with its child rows) in one transaction, and deleted as a
//! tombstone (`deleted_at`), so that it can travel in bundles with the merge rules of [`super::bundle`]. Reseeding
//! never touches these tables. Undo and redo live in the session crate (`annotate::assessments`).

use super::{Store, StoreError};
use rusqlite::params;
use serde::Serialize;

pub use atlas_core::records::assessments::*;

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
                    EvidenceLink {
                        objective: r.get(1)?,
                        kind: word(r, 2, LinkKind::parse)?,
                        target: r.get(3)?,
                        label: r.get(4)?,
                    },
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
                        direction: word(r, 5, Direction::parse)?,
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
                        status: word(r, 8, ActionStatus::parse)?,
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
            params![a.uuid, ord as i64, e.objective, e.kind.as_str(), e.target, e.label],
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
            i.direction.as_str(),
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
            a.status.as_str(),
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

/// A column holding one of a fixed set of words, read into its enum; any other word is a one-line error naming it.
pub(crate) fn word<T>(row: &rusqlite::Row<'_>, column: usize, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let text: String = row.get(column)?;
    parse(&text).ok_or_else(|| {
        let name = row.as_ref().column_name(column).unwrap_or("?").to_owned();
        rusqlite::Error::FromSqlConversionFailure(
            column,
            rusqlite::types::Type::Text,
            format!("{name} {text:?} is not one of the known values").into(),
        )
    })
}
