//! Stories: ordered slides of saved views, with titles and speaker notes, in `stories` and `story_slides`.
//! A slide's view is stored as JSON text the UI writes and reads; the store does not look inside it.

use super::{Store, StoreError};
use rusqlite::params;

use super::notes::now;
pub use atlas_core::records::stories::*;

impl Store {
    /// Every story with its slides, oldest story first, slides in order.
    pub fn stories(&self) -> Result<Vec<Story>, StoreError> {
        let result = (|| -> rusqlite::Result<Vec<Story>> {
            let mut stories: Vec<Story> = self
                .conn
                .prepare("SELECT uuid, title FROM stories ORDER BY created_at, rowid")?
                .query_map([], |r| Ok(Story { uuid: r.get(0)?, title: r.get(1)?, slides: Vec::new() }))?
                .collect::<rusqlite::Result<_>>()?;
            // A saved view is a few hundred bytes of JSON; one past the limit (a forged database) is read as empty,
            // which the views treat as a view they cannot restore, instead of being parsed.
            let mut stmt = self.conn.prepare(
                "SELECT story_uuid, uuid, title, speaker_notes,
                        CASE WHEN length(CAST(view_state AS BLOB)) > ?1 THEN '' ELSE view_state END
                 FROM story_slides ORDER BY story_uuid, ord",
            )?;
            let rows = stmt.query_map([MAX_VIEW_STATE_BYTES], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Slide { uuid: r.get(1)?, title: r.get(2)?, speaker_notes: r.get(3)?, view_state: r.get(4)? },
                ))
            })?;
            for row in rows {
                let (story, slide) = row?;
                if let Some(s) = stories.iter_mut().find(|s| s.uuid == story) {
                    s.slides.push(slide);
                }
            }
            Ok(stories)
        })();
        result.map_err(|e| self.err(&e))
    }

    /// A new, empty story; returns its uuid.
    pub fn create_story(&self, title: &str) -> Result<String, StoreError> {
        let uuid = uuid::Uuid::new_v4().to_string();
        let at = now();
        self.conn
            .execute(
                "INSERT INTO stories (uuid, title, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                params![uuid, title, at],
            )
            .map_err(|e| self.err(&e))?;
        Ok(uuid)
    }

    pub fn rename_story(&self, uuid: &str, title: &str) -> Result<(), StoreError> {
        self.conn
            .execute("UPDATE stories SET title = ?2, updated_at = ?3 WHERE uuid = ?1", params![uuid, title, now()])
            .map(|_| ())
            .map_err(|e| self.err(&e))
    }

    /// Deletes a story and its slides.
    pub fn delete_story(&self, uuid: &str) -> Result<(), StoreError> {
        let result = (|| -> rusqlite::Result<()> {
            let tx = self.conn.unchecked_transaction()?;
            tx.execute("DELETE FROM story_slides WHERE story_uuid = ?1", params![uuid])?;
            tx.execute("DELETE FROM stories WHERE uuid = ?1", params![uuid])?;
            tx.commit()
        })();
        result.map_err(|e| self.err(&e))
    }

    /// Adds a slide after position `after` (or at the end); returns its uuid.
    pub fn add_slide(
        &self,
        story: &str,
        after: Option<usize>,
        title: &str,
        speaker_notes: &str,
        view_state: &str,
    ) -> Result<String, StoreError> {
        let uuid = uuid::Uuid::new_v4().to_string();
        let result = (|| -> rusqlite::Result<()> {
            let tx = self.conn.unchecked_transaction()?;
            let count: i64 =
                tx.query_row("SELECT count(*) FROM story_slides WHERE story_uuid = ?1", params![story], |r| r.get(0))?;
            let ord = after.map_or(count, |a| (a as i64 + 1).min(count));
            tx.execute(
                "UPDATE story_slides SET ord = ord + 1 WHERE story_uuid = ?1 AND ord >= ?2",
                params![story, ord],
            )?;
            tx.execute(
                "INSERT INTO story_slides (uuid, story_uuid, ord, title, speaker_notes, view_state)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![uuid, story, ord, title, speaker_notes, view_state],
            )?;
            tx.execute("UPDATE stories SET updated_at = ?2 WHERE uuid = ?1", params![story, now()])?;
            tx.commit()
        })();
        result.map_err(|e| self.err(&e))?;
        Ok(uuid)
    }

    /// Changes a slide's title, notes and saved view.
    pub fn update_slide(&self, slide: &Slide) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE story_slides SET title = ?2, speaker_notes = ?3, view_state = ?4 WHERE uuid = ?1",
                params![slide.uuid, slide.title, slide.speaker_notes, slide.view_state],
            )
            .map(|_| ())
            .map_err(|e| self.err(&e))
    }

    pub fn delete_slide(&self, uuid: &str) -> Result<(), StoreError> {
        let result = (|| -> rusqlite::Result<()> {
            let tx = self.conn.unchecked_transaction()?;
            let place: Option<(String, i64)> = tx
                .query_row("SELECT story_uuid, ord FROM story_slides WHERE uuid = ?1", params![uuid], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .ok();
            tx.execute("DELETE FROM story_slides WHERE uuid = ?1", params![uuid])?;
            if let Some((story, ord)) = place {
                tx.execute(
                    "UPDATE story_slides SET ord = ord - 1 WHERE story_uuid = ?1 AND ord > ?2",
                    params![story, ord],
                )?;
            }
            tx.commit()
        })();
        result.map_err(|e| self.err(&e))
    }

    /// Moves a slide to position `to` (0-based) within its story.
    pub fn move_slide(&self, uuid: &str, to: usize) -> Result<(), StoreError> {
        let result = (|| -> rusqlite::Result<()> {
            let tx = self.conn.unchecked_transaction()?;
            let story: String =
                tx.query_row("SELECT story_uuid FROM story_slides WHERE uuid = ?1", params![uuid], |r| r.get(0))?;
            let mut order: Vec<String> = tx
                .prepare("SELECT uuid FROM story_slides WHERE story_uuid = ?1 ORDER BY ord")?
                .query_map(params![story], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let Some(from) = order.iter().position(|u| u == uuid) else { return Ok(()) };
            let item = order.remove(from);
            order.insert(to.min(order.len()), item);
            for (i, u) in order.iter().enumerate() {
                tx.execute("UPDATE story_slides SET ord = ?2 WHERE uuid = ?1", params![u, i as i64])?;
            }
            tx.commit()
        })();
        result.map_err(|e| self.err(&e))
    }
}
