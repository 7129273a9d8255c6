//! Text codings: a code applied to a passage of a record's text by an author (issue 17).
//!
//! A passage is a character range `[start, end)` counted in Unicode characters (not bytes) of one version of the
//! text, identified by [`text_hash`]; the passage itself is kept as `excerpt`. When a dataset refresh changes the
//! text, the coding stays and [`anchor`] says whether it still fits, moved (the excerpt is found elsewhere), or
//! needs the author's review. Deletions are tombstones, like notes, so they travel in bundles.

use std::collections::HashMap;

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{Store, StoreError};

/// What a coding can sit on: a shipped challenge or practice (by id), an own record (by uuid), a city profile's
/// text (governance, finding or recommendation, by id) or a note (by uuid).
pub const TARGET_KINDS: [&str; 5] = ["challenge", "practice", "user_record", "city_text", "note"];

/// A code applied to a passage of a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coding {
    pub uuid: String,
    /// The code's uuid.
    pub code: String,
    pub target_kind: String,
    pub target_id: String,
    /// First character of the passage (0-based, in Unicode characters).
    pub start: i64,
    /// One past the last character.
    pub end: i64,
    /// [`text_hash`] of the text version the range counts in.
    pub text_hash: String,
    /// The passage as it read when coded.
    pub excerpt: String,
    pub author: String,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default)]
    pub deleted_at: Option<String>,
    /// Set when a disagreement between coders over this coding was resolved by keeping both sides.
    #[serde(default)]
    pub resolved_at: Option<String>,
}

/// A 64-bit FNV-1a hash of a text, as 16 hex digits: identifies a text version (not a security measure).
pub fn text_hash(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// A stable UUID derived from a name (RFC 9562 version 8, "custom": the 128-bit FNV-1a hash of
/// `integration-atlas:` + `name`), so the same record, code or user gets the same GUID in every export, the way
/// UUID v5 derives one from a namespace and a name.
pub fn stable_uuid(name: &str) -> String {
    let mut hash: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for b in b"integration-atlas:".iter().chain(name.as_bytes()) {
        hash ^= u128::from(*b);
        hash = hash.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    uuid::Builder::from_custom_bytes(hash.to_be_bytes()).into_uuid().to_string()
}

/// The characters `[start, end)` of `text`, or `None` when the range does not fit.
pub fn char_slice(text: &str, start: i64, end: i64) -> Option<String> {
    if start < 0 || end <= start {
        return None;
    }
    let (start, end) = (start as usize, end as usize);
    let mut chars = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len()));
    let from = chars.nth(start)?;
    let to = if end == start { from } else { chars.nth(end - start - 1)? };
    Some(text[from..to].to_owned())
}

/// The length of a text in characters (the unit of coding offsets).
pub fn char_len(text: &str) -> i64 {
    text.chars().count() as i64
}

/// Converts a byte range of `text` (as a text widget's cursor gives it) to a character range.
pub fn byte_to_char_range(text: &str, start: usize, end: usize) -> Option<(i64, i64)> {
    if start >= end || end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return None;
    }
    Some((text[..start].chars().count() as i64, text[..end].chars().count() as i64))
}

/// How a coding fits the current text of its record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// The text is the version coded.
    Current,
    /// The text changed but the passage reads the same at the same place.
    Unchanged,
    /// The text changed and the passage was found once elsewhere: the new range.
    Moved { start: i64, end: i64 },
    /// The text changed and the passage is not (or not unambiguously) in it: the author should review it.
    NeedsReview,
    /// The record or its text is gone.
    Missing,
}

/// Where a coding sits in `text` (the record's current text), or `None` for a record that is gone.
pub fn anchor(coding: &Coding, text: Option<&str>) -> Anchor {
    let Some(text) = text else { return Anchor::Missing };
    if text_hash(text) == coding.text_hash {
        return Anchor::Current;
    }
    if char_slice(text, coding.start, coding.end).as_deref() == Some(coding.excerpt.as_str()) {
        return Anchor::Unchanged;
    }
    if coding.excerpt.is_empty() {
        return Anchor::NeedsReview;
    }
    let found: Vec<usize> = text.match_indices(coding.excerpt.as_str()).map(|(i, _)| i).take(2).collect();
    match found.as_slice() {
        [one] => match byte_to_char_range(text, *one, *one + coding.excerpt.len()) {
            Some((start, end)) => Anchor::Moved { start, end },
            None => Anchor::NeedsReview,
        },
        _ => Anchor::NeedsReview,
    }
}

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
                    target_kind: r.get(2)?,
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
            (&a.target_kind, &a.target_id, a.start, a.end, &a.author).cmp(&(
                &b.target_kind,
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
            c.target_kind,
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
            target_kind: "challenge".into(),
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
