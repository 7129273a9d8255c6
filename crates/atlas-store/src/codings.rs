//! Text codings: a code applied to a passage of a record's text by an author (issue 17).
//!
//! A passage is a character range `[start, end)` counted in Unicode characters (not bytes) of one version of the
//! text, identified by [`text_hash`]; the passage itself is kept as `excerpt`. When a dataset refresh changes the
//! text, the coding stays and [`anchor`] says whether it still fits, moved (the excerpt is found elsewhere), or
//! needs the author's review. Deletions are tombstones, like notes, so they travel in bundles.

use super::{Store, StoreError};
use rusqlite::params;
use std::collections::HashMap;

pub use atlas_core::records::codings::*;

impl Store {
    /// Every coding, tombstones included, oldest first.
    pub fn codings(&self) -> Result<Vec<Coding>, StoreError> {
        let run = || -> rusqlite::Result<Vec<Coding>> {
            let mut stmt = self.conn.prepare(
                "SELECT uuid, code_uuid, target_kind, target_id, start_char, end_char, text_hash, excerpt, author,
                        created_at, updated_at, deleted_at, resolved_at
                 FROM codings ORDER BY created_at, uuid",
            )?;
            stmt.query_map([], |r| {
                Ok(Coding {
                    uuid: r.get(0)?,
                    code: r.get(1)?,
                    target_kind: crate::assessments::word(r, 2, TargetKind::parse)?,
                    target_id: r.get(3)?,
                    start: r.get(4)?,
                    end: r.get(5)?,
                    text_hash: r.get(6)?,
                    excerpt: r.get(7)?,
                    author: r.get(8)?,
                    created_at: r.get(9)?,
                    updated_at: r.get(10)?,
                    deleted_at: r.get(11)?,
                    resolved_at: r.get(12)?,
                })
            })?
            .collect()
        };
        run().map_err(|e| self.err(&e))
    }

    /// Inserts or replaces a coding in one transaction.
    pub fn save_coding(&self, coding: &Coding) -> Result<(), StoreError> {
        self.write(|tx| save_coding_tx(tx, coding))
    }

    /// Live codings per code uuid (codes without codings are absent).
    pub fn coding_counts(&self) -> Result<HashMap<String, usize>, StoreError> {
        let run = || -> rusqlite::Result<HashMap<String, usize>> {
            let mut stmt = self
                .conn
                .prepare("SELECT code_uuid, count(*) FROM codings WHERE deleted_at IS NULL GROUP BY code_uuid")?;
            stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize)))?.collect()
        };
        run().map_err(|e| self.err(&e))
    }

    /// The coded excerpts of one code (and, with `with_children`, of every code below it), in record order:
    /// the "coded excerpts per code" report.
    pub fn excerpts_for_code(&self, code: &str, with_children: bool) -> Result<Vec<Coding>, StoreError> {
        let mut wanted = vec![code.to_owned()];
        if with_children {
            let codes = self.codes()?;
            let mut i = 0;
            while i < wanted.len() {
                let parent = wanted[i].clone();
                for c in codes.iter().filter(|c| c.parent.as_deref() == Some(parent.as_str())) {
                    if !wanted.contains(&c.uuid) {
                        wanted.push(c.uuid.clone());
                    }
                }
                i += 1;
            }
        }
        let mut out: Vec<Coding> =
            self.codings()?.into_iter().filter(|c| c.deleted_at.is_none() && wanted.contains(&c.code)).collect();
        out.sort_by(|a, b| {
            (a.target_kind.as_str(), &a.target_id, a.start, a.end, &a.author).cmp(&(
                b.target_kind.as_str(),
                &b.target_id,
                b.start,
                b.end,
                &b.author,
            ))
        });
        Ok(out)
    }
}

impl Store {
    /// Writes what a REFI-QDA import planned (new codes, parents first; new notes; new codings) in one
    /// transaction: all of it or, on any error, nothing.
    pub fn apply_import(
        &self,
        codes: &[super::notes::Code],
        codings: &[Coding],
        notes: &[super::notes::Note],
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.pragma_update(None, "defer_foreign_keys", true)?;
            for c in codes {
                super::notes::save_code_tx(tx, c)?;
            }
            for n in notes {
                super::notes::save_note_tx(tx, n)?;
            }
            for c in codings {
                save_coding_tx(tx, c)?;
            }
            Ok(())
        })
    }
}

pub(crate) fn save_coding_tx(tx: &rusqlite::Transaction<'_>, c: &Coding) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO codings(uuid, code_uuid, target_kind, target_id, start_char, end_char, text_hash, excerpt, author,
             created_at, updated_at, deleted_at, resolved_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT(uuid) DO UPDATE SET code_uuid = excluded.code_uuid, target_kind = excluded.target_kind,
             target_id = excluded.target_id, start_char = excluded.start_char, end_char = excluded.end_char,
             text_hash = excluded.text_hash, excerpt = excluded.excerpt, author = excluded.author,
             created_at = excluded.created_at, updated_at = excluded.updated_at, deleted_at = excluded.deleted_at,
             resolved_at = excluded.resolved_at",
        params![
            c.uuid,
            c.code,
            c.target_kind.as_str(),
            c.target_id,
            c.start,
            c.end,
            c.text_hash,
            c.excerpt,
            c.author,
            c.created_at,
            c.updated_at,
            c.deleted_at,
            c.resolved_at
        ],
    )
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_count_characters_not_bytes() {
        let text = "Göteborg: Ελλάδα and Česko";
        assert_eq!(char_slice(text, 10, 16).as_deref(), Some("Ελλάδα"));
        assert_eq!(char_slice(text, 21, 26).as_deref(), Some("Česko"));
        assert_eq!(char_slice(text, 21, 27), None);
        let b = text.find("Česko").expect("found");
        assert_eq!(byte_to_char_range(text, b, text.len()), Some((21, 26)));
        assert_eq!(byte_to_char_range(text, 2, 3), None, "inside ö");
    }

    #[test]
    fn stable_uuids_are_stable_and_valid() {
        let a = stable_uuid("record:challenge:C-AMS-01");
        assert_eq!(a, stable_uuid("record:challenge:C-AMS-01"));
        assert_ne!(a, stable_uuid("record:challenge:C-AMS-02"));
        let parsed = uuid::Uuid::parse_str(&a).expect("uuid");
        assert_eq!(parsed.get_version_num(), 8);
    }

    #[test]
    fn a_changed_text_keeps_the_coding_and_says_where_it_is() {
        let old = "Housing is scarce. Funding comes late.";
        let c = Coding {
            uuid: "u".into(),
            code: "c".into(),
            target_kind: TargetKind::Challenge,
            target_id: "C-X".into(),
            start: 19,
            end: 38,
            text_hash: text_hash(old),
            excerpt: "Funding comes late.".into(),
            author: "A".into(),
            created_at: "t".into(),
            updated_at: "t".into(),
            deleted_at: None,
            resolved_at: None,
        };
        assert_eq!(anchor(&c, Some(old)), Anchor::Current);
        assert_eq!(anchor(&c, Some("Housing is scarce. Funding comes late. More.")), Anchor::Unchanged);
        assert_eq!(
            anchor(&c, Some("Intro. Housing is scarce. Funding comes late.")),
            Anchor::Moved { start: 26, end: 45 }
        );
        assert_eq!(anchor(&c, Some("Housing is scarce. Money arrives late.")), Anchor::NeedsReview);
        assert_eq!(anchor(&c, None), Anchor::Missing);
    }
}
