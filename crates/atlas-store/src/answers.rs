//! Survey answers: imported files and live workshop rounds, in `survey_rounds`, `survey_round_questions`,
//! `survey_answers` and `survey_cities`. Reseeding never touches these tables.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::notes::now;
use super::{Store, StoreError};
use atlas_answers::{ImportPlan, QuestionDef, QuestionKind, QuestionOrigin};
use atlas_core::model::{Answer, AnswerSet, Respondent, Round};

/// What an import wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOutcome {
    pub round_uuid: String,
    pub answers: usize,
    pub cities_added: usize,
    pub questions_declared: usize,
}

impl ImportOutcome {
    pub fn summary(&self, file: &str) -> String {
        let mut line =
            format!("{file}: imported {} {}", self.answers, if self.answers == 1 { "answer" } else { "answers" });
        if self.cities_added > 0 {
            line.push_str(&format!(", added {} cities", self.cities_added));
        }
        if self.questions_declared > 0 {
            line.push_str(&format!(", {} new questions", self.questions_declared));
        }
        line
    }
}

/// Rows written between progress reports (and cancel checks) during an import.
const PROGRESS_EVERY: usize = 5_000;
/// The page cache during a large import, as `PRAGMA cache_size` takes it (negative: KiB), 32 MiB: as fast as 64 MiB
/// for a million answers, and 45 MB less at the peak of the largest file.
const IMPORT_CACHE_KIB: i64 = -32_768;
/// Answers per INSERT statement during an import (6 parameters each; PROGRESS_EVERY is a multiple).
const ROWS_PER_INSERT: usize = 100;

impl Store {
    /// Writes an import plan as one new round, in one transaction. `progress(done, total)` is called every few
    /// thousand rows and may return `false` to cancel: then nothing is written and `Ok(None)` is returned.
    pub fn import_answers(
        &self,
        plan: &ImportPlan,
        add_cities: bool,
        progress: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<Option<ImportOutcome>, StoreError> {
        // A large import touches many index pages: a bigger page cache for its duration keeps them from being
        // written out and read back mid-transaction. The usual size is restored after, which frees the pages.
        let cache: Option<i64> = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0)).ok();
        let big = plan.answers.len() > 50_000;
        if big {
            let _ = self.conn.pragma_update(None, "cache_size", IMPORT_CACHE_KIB);
        }
        let result = self.write_import(plan, add_cities, progress);
        if let (true, Some(cache)) = (big, cache) {
            let _ = self.conn.pragma_update(None, "cache_size", cache);
        }
        result
    }

    fn write_import(
        &self,
        plan: &ImportPlan,
        add_cities: bool,
        progress: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<Option<ImportOutcome>, StoreError> {
        let result = (|| -> rusqlite::Result<Option<ImportOutcome>> {
            let tx = self.conn.unchecked_transaction()?;
            let uuid = uuid::Uuid::new_v4().to_string();
            tx.execute(
                "INSERT INTO survey_rounds (uuid, survey, title, held_on, kind, source_file, created_at)
                 VALUES (?1, ?2, ?3, ?4, 'import', ?5, ?6)",
                params![uuid, plan.survey, plan.title, plan.held_on, plan.file, now()],
            )?;
            for q in &plan.declared {
                tx.execute(
                    "INSERT INTO survey_round_questions (round_uuid, code, text, kind, unit, min_value, max_value)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![uuid, q.code, q.text, q.kind.as_str(), q.unit, q.min, q.max],
                )?;
            }
            let mut cities_added = 0;
            if add_cities {
                let mut add =
                    tx.prepare("INSERT OR IGNORE INTO survey_cities (name, country, added_at) VALUES (?1, ?2, ?3)")?;
                for c in &plan.unknown_cities {
                    cities_added += add.execute(params![c.name, c.country.clone().unwrap_or_default(), now()])?;
                }
            }
            let total = plan.importable_count(add_cities);
            let mut written = 0;
            {
                // Each respondent once, then their answers; many answers per statement.
                let mut add_respondent = tx.prepare(
                    "INSERT INTO round_respondents (round_uuid, respondent_id, city, country) VALUES (?1, ?2, ?3, ?4)",
                )?;
                let mut respondents: HashMap<&str, i64> = HashMap::new();
                let sql = |rows: usize| {
                    let one = "(?, ?, ?, ?, ?, ?)";
                    format!(
                        "INSERT INTO survey_answers (respondent, question_code, value_num, value_text, unit_notes, \
                         answered_on) VALUES {}",
                        vec![one; rows].join(", ")
                    )
                };
                let mut full = tx.prepare(&sql(ROWS_PER_INSERT))?;
                // The plan holds the answers compactly; a hundred at a time are lent out to be bound.
                let mut rows = plan.importable(add_cities).peekable();
                let mut chunk: Vec<atlas_answers::ValidAnswer> = Vec::with_capacity(ROWS_PER_INSERT);
                while rows.peek().is_some() {
                    chunk.clear();
                    chunk.extend(rows.by_ref().take(ROWS_PER_INSERT));
                    let mut ids = Vec::with_capacity(chunk.len());
                    for a in &chunk {
                        let id = match respondents.get(a.respondent_id) {
                            Some(id) => *id,
                            None => {
                                add_respondent.execute(params![uuid, a.respondent_id, a.city, a.country])?;
                                let id = tx.last_insert_rowid();
                                respondents.insert(a.respondent_id, id);
                                id
                            }
                        };
                        ids.push(id);
                    }
                    let mut partial;
                    let stmt = if chunk.len() == ROWS_PER_INSERT {
                        &mut full
                    } else {
                        partial = tx.prepare(&sql(chunk.len()))?;
                        &mut partial
                    };
                    for (i, (a, id)) in chunk.iter().zip(&ids).enumerate() {
                        let at = i * 6;
                        stmt.raw_bind_parameter(at + 1, *id)?;
                        stmt.raw_bind_parameter(at + 2, a.question_code)?;
                        stmt.raw_bind_parameter(at + 3, a.value_num)?;
                        stmt.raw_bind_parameter(at + 4, a.value_text)?;
                        stmt.raw_bind_parameter(at + 5, a.unit_notes)?;
                        stmt.raw_bind_parameter(at + 6, a.answered_on)?;
                    }
                    stmt.raw_execute()?;
                    written += chunk.len();
                    if written % PROGRESS_EVERY == 0 && !progress(written, total) {
                        return Ok(None);
                    }
                }
            }
            if !progress(written, total) {
                return Ok(None);
            }
            tx.commit()?;
            Ok(Some(ImportOutcome {
                round_uuid: uuid,
                answers: written,
                cities_added,
                questions_declared: plan.declared.len(),
            }))
        })();
        result.map_err(|e| self.err(&e))
    }

    /// Folded names of every city an answer may name without being "unknown": case-study cities, named survey
    /// respondents, and cities users added.
    pub fn known_city_names(&self) -> Result<std::collections::HashSet<String>, StoreError> {
        let result = (|| -> rusqlite::Result<_> {
            let mut names = std::collections::HashSet::new();
            for sql in [
                "SELECT name FROM cities",
                "SELECT name FROM city_local_names",
                "SELECT name FROM survey_respondents WHERE name IS NOT NULL",
                "SELECT name FROM survey_cities",
            ] {
                let mut stmt = self.conn.prepare(sql)?;
                let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
                for name in rows {
                    names.insert(atlas_core::text::fold(name?.trim()));
                }
            }
            Ok(names)
        })();
        result.map_err(|e| self.err(&e))
    }

    /// Loads every round and answer. `catalogue` gives the known questions; rounds add their declared ones.
    pub fn load_answers(&self, catalogue: &[QuestionDef]) -> Result<AnswerSet, StoreError> {
        let result = (|| -> rusqlite::Result<AnswerSet> {
            let mut set = AnswerSet { questions: catalogue.to_vec(), ..Default::default() };
            let mut round_index: HashMap<String, usize> = HashMap::new();
            {
                let mut stmt = self.conn.prepare(
                    "SELECT uuid, title, held_on, kind, survey, source_file, created_at FROM survey_rounds
                     ORDER BY created_at, rowid",
                )?;
                let rows = stmt.query_map([], |r| {
                    Ok(Round {
                        uuid: r.get(0)?,
                        title: r.get(1)?,
                        held_on: r.get(2)?,
                        kind: r.get(3)?,
                        survey: r.get(4)?,
                        source_file: r.get(5)?,
                        created_at: r.get(6)?,
                    })
                })?;
                for round in rows {
                    let round = round?;
                    round_index.insert(round.uuid.clone(), set.rounds.len());
                    set.rounds.push(round);
                }
            }
            let mut question_index: HashMap<String, u32> =
                set.questions.iter().enumerate().map(|(i, q)| (q.code.clone(), i as u32)).collect();
            {
                let mut stmt = self.conn.prepare(
                    "SELECT code, text, kind, unit, min_value, max_value FROM survey_round_questions
                     ORDER BY rowid",
                )?;
                let rows = stmt.query_map([], |r| {
                    Ok(QuestionDef {
                        code: r.get(0)?,
                        text: r.get(1)?,
                        kind: r
                            .get::<_, Option<String>>(2)?
                            .as_deref()
                            .and_then(QuestionKind::parse)
                            .unwrap_or(QuestionKind::Text),
                        unit: r.get(3)?,
                        min: r.get(4)?,
                        max: r.get(5)?,
                        origin: QuestionOrigin::Declared,
                    })
                })?;
                for q in rows {
                    let q = q?;
                    if !question_index.contains_key(&q.code) {
                        question_index.insert(q.code.clone(), set.questions.len() as u32);
                        set.questions.push(q);
                    }
                }
            }
            let mut respondent_index: HashMap<(usize, String), u32> = HashMap::new();
            {
                let mut stmt = self.conn.prepare(
                    "SELECT r.round_uuid, r.respondent_id, r.city, r.country, a.question_code, a.value_num,
                            a.value_text, a.unit_notes, a.answered_on
                     FROM survey_answers a JOIN round_respondents r ON r.id = a.respondent
                     ORDER BY a.id",
                )?;
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    let round_uuid: String = r.get(0)?;
                    let Some(&round) = round_index.get(&round_uuid) else { continue };
                    let id: String = r.get(1)?;
                    let code: String = r.get(4)?;
                    let question = match question_index.get(&code) {
                        Some(q) => *q,
                        None => {
                            // An answer to a question no longer declared: keep it, as text.
                            let q = set.questions.len() as u32;
                            set.questions.push(QuestionDef {
                                code: code.clone(),
                                text: code.clone(),
                                kind: QuestionKind::Text,
                                unit: None,
                                min: None,
                                max: None,
                                origin: QuestionOrigin::Declared,
                            });
                            question_index.insert(code, q);
                            q
                        }
                    };
                    let respondent = match respondent_index.get(&(round, id.clone())) {
                        Some(i) => *i,
                        None => {
                            let i = set.respondents.len() as u32;
                            set.respondents.push(Respondent {
                                round,
                                id: id.clone(),
                                city: r.get(2)?,
                                country: r.get(3)?,
                            });
                            respondent_index.insert((round, id), i);
                            i
                        }
                    };
                    set.answers.push(Answer {
                        respondent,
                        question,
                        value_num: r.get(5)?,
                        value_text: r.get(6)?,
                        unit_notes: r.get(7)?,
                        answered_on: r.get(8)?,
                    });
                }
            }
            set.answers.sort_by_key(|a| (a.respondent, a.question));
            {
                let mut stmt = self.conn.prepare("SELECT name, country FROM survey_cities ORDER BY name")?;
                let rows = stmt.query_map([], |r| {
                    let country: String = r.get(1)?;
                    Ok((r.get::<_, String>(0)?, Some(country).filter(|c| !c.is_empty())))
                })?;
                set.extra_cities = rows.collect::<rusqlite::Result<_>>()?;
            }
            {
                let mut stmt = self.conn.prepare(
                    "SELECT r.round_uuid, a.value_text FROM live_phones p
                     JOIN round_respondents r ON r.id = p.respondent
                     JOIN survey_answers a ON a.respondent = r.id AND a.question_code = ?1
                     WHERE p.text_shown = 1 AND a.value_text IS NOT NULL ORDER BY p.rowid",
                )?;
                let rows = stmt.query_map([atlas_core::answer_format::BLOCKER_CODE], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })?;
                for row in rows {
                    let (round, line) = row?;
                    set.approved_lines.entry(round).or_default().push(line);
                }
            }
            set.index();
            Ok(set)
        })();
        result.map_err(|e| self.err(&e))
    }

    /// Starts a live workshop round; returns its uuid.
    pub fn create_live_round(&self, title: &str, held_on: Option<&str>) -> Result<String, StoreError> {
        let uuid = uuid::Uuid::new_v4().to_string();
        self.conn
            .execute(
                "INSERT INTO survey_rounds (uuid, survey, title, held_on, kind, source_file, created_at)
                 VALUES (?1, 'checklist-self-assessment', ?2, ?3, 'live', NULL, ?4)",
                params![uuid, title, held_on, now()],
            )
            .map_err(|e| self.err(&e))?;
        Ok(uuid)
    }

    /// Renames a round or changes its date.
    pub fn update_round(&self, uuid: &str, title: &str, held_on: Option<&str>) -> Result<(), StoreError> {
        self.conn
            .execute("UPDATE survey_rounds SET title = ?2, held_on = ?3 WHERE uuid = ?1", params![uuid, title, held_on])
            .map(|_| ())
            .map_err(|e| self.err(&e))
    }

    /// Deletes a round and all its answers.
    pub fn delete_round(&self, uuid: &str) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM survey_rounds WHERE uuid = ?1", params![uuid])
            .map(|_| ())
            .map_err(|e| self.err(&e))
    }

    /// Sets (or, with `None`, clears) one answer of a round. Setting also records the respondent's city.
    pub fn set_answer(
        &self,
        round: &str,
        respondent: &str,
        city: Option<&str>,
        question: &str,
        value: Option<f64>,
    ) -> Result<(), StoreError> {
        let result = (|| -> rusqlite::Result<()> {
            match value {
                Some(v) => {
                    let tx = self.conn.unchecked_transaction()?;
                    tx.execute(
                        "INSERT INTO round_respondents (round_uuid, respondent_id, city) VALUES (?1, ?2, ?3)
                         ON CONFLICT (round_uuid, respondent_id) DO UPDATE SET city = excluded.city",
                        params![round, respondent, city],
                    )?;
                    tx.execute(
                        "INSERT INTO survey_answers (respondent, question_code, value_num)
                         VALUES ((SELECT id FROM round_respondents WHERE round_uuid = ?1 AND respondent_id = ?2),
                                 ?3, ?4)
                         ON CONFLICT (respondent, question_code) DO UPDATE SET value_num = excluded.value_num",
                        params![round, respondent, question, v],
                    )?;
                    tx.commit()
                }
                None => self
                    .conn
                    .execute(
                        "DELETE FROM survey_answers WHERE question_code = ?3
                         AND respondent = (SELECT id FROM round_respondents WHERE round_uuid = ?1 AND respondent_id = ?2)",
                        params![round, respondent, question],
                    )
                    .map(|_| ()),
            }
        })();
        result.map_err(|e| self.err(&e))
    }

    /// Renames a participant of a round and sets their city. Renaming onto another participant of the round moves
    /// the answers over (a question both answered is refused, and nothing changes).
    pub fn rename_respondent(&self, round: &str, from: &str, to: &str, city: Option<&str>) -> Result<(), StoreError> {
        let result = (|| -> rusqlite::Result<()> {
            let tx = self.conn.unchecked_transaction()?;
            let id_of = |name: &str| {
                tx.query_row(
                    "SELECT id FROM round_respondents WHERE round_uuid = ?1 AND respondent_id = ?2",
                    params![round, name],
                    |r| r.get::<_, i64>(0),
                )
                .optional()
            };
            let (Some(source), target) = (id_of(from)?, id_of(to)?) else { return Ok(()) };
            match target {
                Some(target) if target != source => {
                    tx.execute(
                        "UPDATE survey_answers SET respondent = ?2 WHERE respondent = ?1",
                        params![source, target],
                    )?;
                    tx.execute("DELETE FROM round_respondents WHERE id = ?1", params![source])?;
                    tx.execute("UPDATE round_respondents SET city = ?2 WHERE id = ?1", params![target, city])?;
                }
                _ => {
                    tx.execute(
                        "UPDATE round_respondents SET respondent_id = ?2, city = ?3 WHERE id = ?1",
                        params![source, to, city],
                    )?;
                }
            }
            tx.commit()
        })();
        result.map_err(|e| self.err(&e))
    }

    /// Removes a participant and their answers from a round.
    pub fn delete_respondent(&self, round: &str, respondent: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "DELETE FROM round_respondents WHERE round_uuid = ?1 AND respondent_id = ?2",
                params![round, respondent],
            )
            .map(|_| ())
            .map_err(|e| self.err(&e))
    }

    /// Whether a round with this uuid exists.
    pub fn round_exists(&self, uuid: &str) -> Result<bool, StoreError> {
        self.conn
            .query_row("SELECT 1 FROM survey_rounds WHERE uuid = ?1", params![uuid], |_| Ok(()))
            .optional()
            .map(|r| r.is_some())
            .map_err(|e| self.err(&e))
    }
}
