//! Live workshop rounds: what the Workshop view needs beyond the answer writes in [`super::answers`].

use rusqlite::params;

use super::{Store, StoreError};

impl Store {
    /// Sets the country of one participant of a round (a live round learns it from the city the
    /// participant names, so the Responses view's country filter and the exports see it).
    pub fn set_participant_country(
        &self,
        round: &str,
        respondent: &str,
        country: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE round_respondents SET country = ?3 WHERE round_uuid = ?1 AND respondent_id = ?2",
                params![round, respondent, country],
            )
            .map(|_| ())
            .map_err(|e| self.err(&e))
    }
}
