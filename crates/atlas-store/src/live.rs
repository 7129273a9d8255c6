//! Live rounds answered from phones (the `atlas-live` crate): each phone's answers are written as the survey answers of
//! one respondent of the round (the same rows typed entry and imports write), and `live_phones` links the phone's
//! participant token to that respondent. A submission replaces the phone's answers in one transaction, so a retried
//! submission never duplicates anything and an acknowledged one is committed.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Store, StoreError};

/// A phone that answered a round, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct PhoneRow {
    pub token: String,
    pub respondent_id: String,
    pub city: Option<String>,
    pub country: Option<String>,
    pub submissions: u32,
    pub last_submission: Option<String>,
    pub text_shown: bool,
    /// (question code, number, text) of each answer.
    pub answers: Vec<(String, Option<f64>, Option<String>)>,
}

/// One phone's complete answers, replacing whatever it saved before.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission<'a> {
    pub round: &'a str,
    /// The phone's participant token.
    pub token: &'a str,
    /// The name or city the participant gave (as the atlas spells a known city); `None`: anonymous.
    pub name: Option<&'a str>,
    pub city: Option<&'a str>,
    pub country: Option<&'a str>,
    /// (question code, score) for each objective scored.
    pub scores: &'a [(String, f64)],
    /// Question codes of the gap × level ticks given.
    pub ticks: &'a [String],
    /// (question code, text) of the free-text line, if written.
    pub text: Option<(&'a str, &'a str)>,
    /// The id the phone sent with this submission; the same id again is a retry.
    pub submission_id: &'a str,
    /// The most phones the round takes: a phone new to it is refused ([`SubmitOutcome::Full`]) when there are
    /// this many already.
    pub max_phones: usize,
}

/// What a submission did.
#[derive(Debug, Clone, PartialEq)]
pub enum SubmitOutcome {
    /// Written and committed. `previous` is the respondent id before, when the phone had answered already.
    Saved { respondent_id: String, previous: Option<String> },
    /// The same submission was already committed: nothing written.
    Repeated { respondent_id: String },
    /// A phone new to the round, and the round has `max_phones` phones already: nothing written.
    Full,
}

/// Anonymous participants are named "Phone 1", "Phone 2", … in the round.
pub const ANONYMOUS_PREFIX: &str = "Phone ";

impl Store {
    /// Every phone that answered round `round`, with its answers.
    pub fn live_phones(&self, round: &str) -> Result<Vec<PhoneRow>, StoreError> {
        let result = (|| -> rusqlite::Result<Vec<PhoneRow>> {
            let mut stmt = self.conn.prepare(
                "SELECT r.id, p.token, r.respondent_id, r.city, r.country, p.submissions, p.last_submission,
                        p.text_shown
                 FROM live_phones p JOIN round_respondents r ON r.id = p.respondent
                 WHERE r.round_uuid = ?1 ORDER BY r.id",
            )?;
            let rows = stmt.query_map(params![round], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    PhoneRow {
                        token: r.get(1)?,
                        respondent_id: r.get(2)?,
                        city: r.get(3)?,
                        country: r.get(4)?,
                        submissions: r.get::<_, i64>(5)?.clamp(0, u32::MAX as i64) as u32,
                        last_submission: r.get(6)?,
                        text_shown: r.get::<_, i64>(7)? != 0,
                        answers: Vec::new(),
                    },
                ))
            })?;
            let mut phones = rows.collect::<rusqlite::Result<Vec<_>>>()?;
            let mut answers = self.conn.prepare(
                "SELECT question_code, value_num, value_text FROM survey_answers WHERE respondent = ?1 ORDER BY id",
            )?;
            for (id, phone) in &mut phones {
                phone.answers = answers
                    .query_map(params![*id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect::<rusqlite::Result<_>>()?;
            }
            Ok(phones.into_iter().map(|(_, p)| p).collect())
        })();
        result.map_err(|e| self.err(&e))
    }

    /// Writes one phone's answers in one transaction (see [`Submission`]); returns once committed.
    pub fn live_submit(&self, s: &Submission<'_>) -> Result<SubmitOutcome, StoreError> {
        let result = (|| -> rusqlite::Result<SubmitOutcome> {
            let tx = self.conn.unchecked_transaction()?;
            let known: Option<(i64, String, Option<String>)> = tx
                .query_row(
                    "SELECT r.id, r.respondent_id, p.last_submission
                     FROM live_phones p JOIN round_respondents r ON r.id = p.respondent
                     WHERE p.token = ?1 AND r.round_uuid = ?2",
                    params![s.token, s.round],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            if let Some((_, id, Some(last))) = &known
                && last == s.submission_id
            {
                return Ok(SubmitOutcome::Repeated { respondent_id: id.clone() });
            }
            let current = known.as_ref().map(|(_, id, _)| id.as_str());
            let wanted = match s.name {
                Some(name) => unique_id(&tx, s.round, name, current)?,
                None => match current {
                    Some(id) if id.starts_with(ANONYMOUS_PREFIX) => id.to_owned(),
                    _ => anonymous_id(&tx, s.round)?,
                },
            };
            let respondent = match &known {
                Some((id, _, _)) => {
                    tx.execute(
                        "UPDATE round_respondents SET respondent_id = ?2, city = ?3, country = ?4 WHERE id = ?1",
                        params![id, wanted, s.city, s.country],
                    )?;
                    *id
                }
                None => {
                    // The cap, checked in the transaction that admits the phone.
                    let phones: i64 = tx.query_row(
                        "SELECT COUNT(*) FROM live_phones p JOIN round_respondents r ON r.id = p.respondent
                         WHERE r.round_uuid = ?1",
                        params![s.round],
                        |r| r.get(0),
                    )?;
                    if usize::try_from(phones).unwrap_or(usize::MAX) >= s.max_phones {
                        return Ok(SubmitOutcome::Full);
                    }
                    tx.execute(
                        "INSERT INTO round_respondents (round_uuid, respondent_id, city, country)
                         VALUES (?1, ?2, ?3, ?4)",
                        params![s.round, wanted, s.city, s.country],
                    )?;
                    let id = tx.last_insert_rowid();
                    tx.execute("INSERT INTO live_phones (respondent, token) VALUES (?1, ?2)", params![id, s.token])?;
                    id
                }
            };
            tx.execute("DELETE FROM survey_answers WHERE respondent = ?1", params![respondent])?;
            {
                let mut add = tx.prepare(
                    "INSERT INTO survey_answers (respondent, question_code, value_num, value_text)
                     VALUES (?1, ?2, ?3, ?4)",
                )?;
                for (code, score) in s.scores {
                    add.execute(params![respondent, code, score, Option::<&str>::None])?;
                }
                for code in s.ticks {
                    add.execute(params![respondent, code, 1.0, Option::<&str>::None])?;
                }
                if let Some((code, text)) = s.text {
                    add.execute(params![respondent, code, Option::<f64>::None, text])?;
                }
            }
            tx.execute(
                "UPDATE live_phones SET submissions = submissions + 1, last_submission = ?2 WHERE respondent = ?1",
                params![respondent, s.submission_id],
            )?;
            tx.commit()?;
            Ok(SubmitOutcome::Saved { respondent_id: wanted, previous: current.map(str::to_owned) })
        })();
        result.map_err(|e| self.err(&e))
    }

    /// Whether the facilitator shows this participant's free-text line in the word list.
    pub fn live_show_text(&self, round: &str, respondent: &str, shown: bool) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE live_phones SET text_shown = ?3
                 WHERE respondent = (SELECT id FROM round_respondents WHERE round_uuid = ?1 AND respondent_id = ?2)",
                params![round, respondent, shown as i64],
            )
            .map(|_| ())
            .map_err(|e| self.err(&e))
    }

    /// The live round titled `title` (the latest, if several), else a new one; returns its uuid and whether it is new.
    /// The latest live round titled `title`, else a new one held on `held_on` (`YYYY-MM-DD`); `true` when new.
    pub fn open_or_create_live_round(&self, title: &str, held_on: &str) -> Result<(String, bool), StoreError> {
        let found: Option<String> = self
            .conn
            .query_row(
                "SELECT uuid FROM survey_rounds WHERE kind = 'live' AND title = ?1 ORDER BY created_at DESC, rowid DESC",
                params![title],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(&e))?;
        match found {
            Some(uuid) => Ok((uuid, false)),
            None => self.create_live_round(title, Some(held_on)).map(|uuid| (uuid, true)),
        }
    }

    /// The title of round `uuid`, if it exists.
    pub fn round_title(&self, uuid: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT title FROM survey_rounds WHERE uuid = ?1", params![uuid], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(&e))
    }
}

/// Is `id` taken by another respondent of the round?
fn taken(tx: &Transaction<'_>, round: &str, id: &str) -> rusqlite::Result<bool> {
    tx.query_row(
        "SELECT 1 FROM round_respondents WHERE round_uuid = ?1 AND respondent_id = ?2",
        params![round, id],
        |_| Ok(()),
    )
    .optional()
    .map(|r| r.is_some())
}

/// `wanted`, or `wanted (2)`, `wanted (3)`, … : the first not used by another respondent of the round.
fn unique_id(tx: &Transaction<'_>, round: &str, wanted: &str, current: Option<&str>) -> rusqlite::Result<String> {
    let mut n = 1;
    loop {
        let candidate = if n == 1 { wanted.to_owned() } else { format!("{wanted} ({n})") };
        if current == Some(candidate.as_str()) || !taken(tx, round, &candidate)? {
            return Ok(candidate);
        }
        n += 1;
    }
}

/// The next free "Phone N" of the round.
fn anonymous_id(tx: &Transaction<'_>, round: &str) -> rusqlite::Result<String> {
    let phones: i64 = tx.query_row(
        "SELECT count(*) FROM live_phones p JOIN round_respondents r ON r.id = p.respondent WHERE r.round_uuid = ?1",
        params![round],
        |r| r.get(0),
    )?;
    let mut n = phones + 1;
    loop {
        let candidate = format!("{ANONYMOUS_PREFIX}{n}");
        if !taken(tx, round, &candidate)? {
            return Ok(candidate);
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn submission<'a>(
        round: &'a str,
        token: &'a str,
        name: Option<&'a str>,
        scores: &'a [(String, f64)],
        id: &'a str,
    ) -> Submission<'a> {
        Submission {
            round,
            token,
            name,
            city: None,
            country: None,
            scores,
            ticks: &[],
            text: None,
            submission_id: id,
            max_phones: 500,
        }
    }

    #[test]
    fn a_new_phone_is_refused_in_the_transaction_when_the_round_is_full() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("a.sqlite")).expect("store");
        let round = store.create_live_round("Room", None).expect("round");
        let scores = [("CL_SCORE_01".to_owned(), 2.0)];
        fn cap(s: Submission<'_>) -> Submission<'_> {
            Submission { max_phones: 2, ..s }
        }
        for (token, id) in [("tok-a", "s1"), ("tok-b", "s2")] {
            let out = store.live_submit(&cap(submission(&round, token, None, &scores, id))).expect("saved");
            assert!(matches!(out, SubmitOutcome::Saved { .. }), "{out:?}");
        }
        let out = store.live_submit(&cap(submission(&round, "tok-c", None, &scores, "s3"))).expect("refused");
        assert_eq!(out, SubmitOutcome::Full);
        // A phone already in the round still changes its answers.
        let out = store.live_submit(&cap(submission(&round, "tok-a", None, &scores, "s4"))).expect("changed");
        assert!(matches!(out, SubmitOutcome::Saved { .. }), "{out:?}");
        assert_eq!(store.live_phones(&round).expect("phones").len(), 2);
    }

    #[test]
    fn a_phone_replaces_its_answers_and_a_retry_writes_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("a.sqlite")).expect("store");
        let round = store.create_live_round("Room", None).expect("round");
        let first = [("CL_SCORE_01".to_owned(), 2.0), ("CL_SCORE_02".to_owned(), 3.0)];
        let out = store.live_submit(&submission(&round, "tok-a", None, &first, "s1")).expect("saved");
        assert_eq!(out, SubmitOutcome::Saved { respondent_id: "Phone 1".to_owned(), previous: None });
        assert_eq!(
            store.live_submit(&submission(&round, "tok-a", None, &first, "s1")).expect("retry"),
            SubmitOutcome::Repeated { respondent_id: "Phone 1".to_owned() }
        );
        let second = [("CL_SCORE_01".to_owned(), 4.0)];
        let out = store.live_submit(&submission(&round, "tok-a", Some("Vienna"), &second, "s2")).expect("changed");
        assert_eq!(
            out,
            SubmitOutcome::Saved { respondent_id: "Vienna".to_owned(), previous: Some("Phone 1".to_owned()) }
        );
        // Another phone naming the same city gets a distinct respondent.
        let out = store.live_submit(&submission(&round, "tok-b", Some("Vienna"), &second, "s1")).expect("other");
        assert_eq!(out, SubmitOutcome::Saved { respondent_id: "Vienna (2)".to_owned(), previous: None });
        let phones = store.live_phones(&round).expect("phones");
        assert_eq!(phones.len(), 2);
        assert_eq!(phones[0].respondent_id, "Vienna");
        assert_eq!(phones[0].answers, vec![("CL_SCORE_01".to_owned(), Some(4.0), None)]);
        assert_eq!(phones[0].submissions, 2);
        store.delete_respondent(&round, "Vienna").expect("removed");
        assert_eq!(store.live_phones(&round).expect("phones").len(), 1, "removing the participant removes the phone");
    }
}
