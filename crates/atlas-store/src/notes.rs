//! The users' own work: notes (annotations and memos), codes, and their own evidence records. Every write is one
//! transaction; deletions are tombstones (`deleted_at`), so they can travel in bundles to co-authors.

use super::{Store, StoreError};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

pub use atlas_core::records::notes::*;

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".to_owned())
}

fn list(text: String) -> Vec<String> {
    serde_json::from_str(&text).unwrap_or_default()
}

impl Store {
    /// Runs `f` in one transaction.
    pub(super) fn write<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let run = || -> rusqlite::Result<T> {
            let tx = self.conn.unchecked_transaction()?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        };
        run().map_err(|e| self.err(&e))
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(&e))
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map(|_| ())
        })
    }

    /// Every note, tombstones included, oldest first.
    pub fn notes(&self) -> Result<Vec<Note>, StoreError> {
        let run = || -> rusqlite::Result<Vec<Note>> {
            let mut codes: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
            let mut stmt = self.conn.prepare("SELECT note_uuid, code_uuid FROM note_codes ORDER BY rowid")?;
            for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
                let (n, c) = row?;
                codes.entry(n).or_default().push(c);
            }
            let mut stmt = self.conn.prepare(
                "SELECT uuid, target_kind, target_id, text, author, status, created_at, updated_at, deleted_at, base_rev
                 FROM notes ORDER BY created_at, uuid",
            )?;
            let notes = stmt
                .query_map([], |r| {
                    Ok(Note {
                        uuid: r.get(0)?,
                        target_kind: crate::assessments::word(r, 1, TargetKind::parse)?,
                        target_id: r.get(2)?,
                        text: r.get(3)?,
                        author: r.get(4)?,
                        status: crate::assessments::word(r, 5, NoteStatus::parse)?,
                        created_at: r.get(6)?,
                        updated_at: r.get(7)?,
                        deleted_at: r.get(8)?,
                        codes: Vec::new(),
                        base: r.get(9)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(notes
                .into_iter()
                .map(|mut n| {
                    n.codes = codes.remove(&n.uuid).unwrap_or_default();
                    n
                })
                .collect())
        };
        run().map_err(|e| self.err(&e))
    }

    /// Inserts or replaces a note (with its codes) in one transaction.
    pub fn save_note(&self, note: &Note) -> Result<(), StoreError> {
        self.write(|tx| save_note_tx(tx, note))
    }

    pub fn codes(&self) -> Result<Vec<Code>, StoreError> {
        let run = || -> rusqlite::Result<Vec<Code>> {
            let mut stmt = self.conn.prepare(
                "SELECT uuid, name, parent, created_at, updated_at, deleted_at, color, description
                 FROM codes ORDER BY name, uuid",
            )?;
            stmt.query_map([], |r| {
                Ok(Code {
                    uuid: r.get(0)?,
                    name: r.get(1)?,
                    parent: r.get(2)?,
                    created_at: r.get(3)?,
                    updated_at: r.get(4)?,
                    deleted_at: r.get(5)?,
                    color: r.get(6)?,
                    description: r.get(7)?,
                })
            })?
            .collect()
        };
        run().map_err(|e| self.err(&e))
    }

    pub fn save_code(&self, code: &Code) -> Result<(), StoreError> {
        self.write(|tx| save_code_tx(tx, code))
    }

    /// Merges code `from` into `into`: every note and coded passage of `from` gets `into`, and `from` becomes a
    /// tombstone.
    pub fn merge_codes(&self, from: &str, into: &str) -> Result<(), StoreError> {
        let at = now();
        self.write(|tx| {
            let notes: Vec<String> = tx
                .prepare("SELECT note_uuid FROM note_codes WHERE code_uuid = ?1")?
                .query_map([from], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for note in &notes {
                tx.execute(
                    "INSERT OR IGNORE INTO note_codes(note_uuid, code_uuid) VALUES (?1, ?2)",
                    params![note, into],
                )?;
                tx.execute("UPDATE notes SET updated_at = ?2 WHERE uuid = ?1", params![note, at])?;
            }
            tx.execute("DELETE FROM note_codes WHERE code_uuid = ?1", [from])?;
            tx.execute(
                "UPDATE codings SET code_uuid = ?2, updated_at = ?3 WHERE code_uuid = ?1 AND deleted_at IS NULL",
                params![from, into, at],
            )?;
            tx.execute("UPDATE codes SET parent = ?2, updated_at = ?3 WHERE parent = ?1", params![from, into, at])?;
            tx.execute("UPDATE codes SET deleted_at = ?2, updated_at = ?2 WHERE uuid = ?1", params![from, at])?;
            Ok(())
        })
    }

    /// Deletes a code: notes keep their other codes, its coded passages go (as tombstones); child codes move up to
    /// the deleted code's parent.
    pub fn delete_code(&self, uuid: &str) -> Result<(), StoreError> {
        let at = now();
        self.write(|tx| {
            let parent: Option<String> =
                tx.query_row("SELECT parent FROM codes WHERE uuid = ?1", [uuid], |r| r.get(0)).optional()?.flatten();
            let notes: Vec<String> = tx
                .prepare("SELECT note_uuid FROM note_codes WHERE code_uuid = ?1")?
                .query_map([uuid], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for note in &notes {
                tx.execute("UPDATE notes SET updated_at = ?2 WHERE uuid = ?1", params![note, at])?;
            }
            tx.execute("DELETE FROM note_codes WHERE code_uuid = ?1", [uuid])?;
            tx.execute(
                "UPDATE codings SET deleted_at = ?2, updated_at = ?2 WHERE code_uuid = ?1 AND deleted_at IS NULL",
                params![uuid, at],
            )?;
            tx.execute("UPDATE codes SET parent = ?2, updated_at = ?3 WHERE parent = ?1", params![uuid, parent, at])?;
            tx.execute("UPDATE codes SET deleted_at = ?2, updated_at = ?2 WHERE uuid = ?1", params![uuid, at])?;
            Ok(())
        })
    }

    pub fn user_records(&self) -> Result<Vec<UserRecord>, StoreError> {
        let run = || -> rusqlite::Result<Vec<UserRecord>> {
            let mut sources: std::collections::HashMap<String, Vec<UserSource>> = std::collections::HashMap::new();
            let mut stmt = self
                .conn
                .prepare("SELECT record_uuid, url, citation, tag FROM user_record_sources ORDER BY record_uuid, ord")?;
            for row in stmt.query_map([], |r| {
                Ok((r.get::<_, String>(0)?, UserSource { url: r.get(1)?, citation: r.get(2)?, tag: r.get(3)? }))
            })? {
                let (k, s) = row?;
                sources.entry(k).or_default().push(s);
            }
            let mut stmt = self.conn.prepare(
                "SELECT uuid, id, kind, city, new_city_name, new_city_country, new_city_lat, new_city_lon, title,
                        description, gap_type, levels, policy_areas, migrant_groups, objective, year_started,
                        instrument_kind, author, created_at, updated_at, deleted_at
                 FROM user_records ORDER BY id",
            )?;
            let records = stmt
                .query_map([], |r| {
                    Ok(UserRecord {
                        uuid: r.get(0)?,
                        id: r.get(1)?,
                        kind: crate::assessments::word(r, 2, atlas_core::model::EvidenceKind::parse)?,
                        city: r.get(3)?,
                        new_city_name: r.get(4)?,
                        new_city_country: r.get(5)?,
                        new_city_lat: r.get(6)?,
                        new_city_lon: r.get(7)?,
                        title: r.get(8)?,
                        description: r.get(9)?,
                        gap_type: r.get(10)?,
                        levels: list(r.get(11)?),
                        policy_areas: list(r.get(12)?),
                        migrant_groups: list(r.get(13)?),
                        objective: r.get(14)?,
                        year_started: r.get(15)?,
                        instrument_kind: r.get(16)?,
                        sources: Vec::new(),
                        author: r.get(17)?,
                        created_at: r.get(18)?,
                        updated_at: r.get(19)?,
                        deleted_at: r.get(20)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(records
                .into_iter()
                .map(|mut u| {
                    u.sources = sources.remove(&u.uuid).unwrap_or_default();
                    u
                })
                .collect())
        };
        run().map_err(|e| self.err(&e))
    }

    pub fn save_user_record(&self, record: &UserRecord) -> Result<(), StoreError> {
        self.write(|tx| save_user_record_tx(tx, record))
    }

    /// The next free display id for a user's record of `kind` (U-C-0001, U-P-0001, …).
    pub fn next_user_record_id(&self, kind: atlas_core::model::EvidenceKind) -> Result<String, StoreError> {
        let prefix = if kind == atlas_core::model::EvidenceKind::Practice { "U-P-" } else { "U-C-" };
        let n: i64 = self
            .conn
            .query_row(
                "SELECT coalesce(max(CAST(substr(id, 5) AS INTEGER)), 0) FROM user_records WHERE id LIKE ?1 || '%'",
                [prefix],
                |r| r.get(0),
            )
            .map_err(|e| self.err(&e))?;
        Ok(format!("{prefix}{:04}", n + 1))
    }
}

pub(crate) fn save_note_tx(tx: &rusqlite::Transaction<'_>, note: &Note) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO notes(uuid, target_kind, target_id, text, author, status, created_at, updated_at, deleted_at, base_rev)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT(uuid) DO UPDATE SET target_kind = excluded.target_kind, target_id = excluded.target_id,
             text = excluded.text, author = excluded.author, status = excluded.status,
             created_at = excluded.created_at, updated_at = excluded.updated_at, deleted_at = excluded.deleted_at,
             base_rev = excluded.base_rev, revision = revision + 1",
        params![
            note.uuid, note.target_kind.as_str(), note.target_id, note.text, note.author, note.status.as_str(), note.created_at,
            note.updated_at, note.deleted_at, note.base
        ],
    )?;
    tx.execute("DELETE FROM search_index WHERE origin = 'user' AND kind = 'note' AND record_id = ?1", [&note.uuid])?;
    if note.deleted_at.is_none() {
        tx.execute(
            "INSERT INTO search_index(kind, record_id, origin, title, body) VALUES ('note', ?1, 'user', ?2, ?3)",
            params![note.uuid, atlas_core::text::fold(&note.author), atlas_core::text::fold(&note.text)],
        )?;
    }
    tx.execute("DELETE FROM note_codes WHERE note_uuid = ?1", [&note.uuid])?;
    for code in &note.codes {
        tx.execute(
            "INSERT OR IGNORE INTO note_codes(note_uuid, code_uuid) SELECT ?1, uuid FROM codes WHERE uuid = ?2",
            params![note.uuid, code],
        )?;
    }
    Ok(())
}

pub(crate) fn save_code_tx(tx: &rusqlite::Transaction<'_>, code: &Code) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO codes(uuid, name, parent, created_at, updated_at, deleted_at, color, description)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(uuid) DO UPDATE SET name = excluded.name, parent = excluded.parent,
             created_at = excluded.created_at, updated_at = excluded.updated_at, deleted_at = excluded.deleted_at,
             color = excluded.color, description = excluded.description",
        params![
            code.uuid,
            code.name,
            code.parent,
            code.created_at,
            code.updated_at,
            code.deleted_at,
            code.color,
            code.description
        ],
    )
    .map(|_| ())
}

pub(crate) fn save_user_record_tx(tx: &rusqlite::Transaction<'_>, r: &UserRecord) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO user_records(uuid, id, kind, city, new_city_name, new_city_country, new_city_lat, new_city_lon,
             title, description, gap_type, levels, policy_areas, migrant_groups, objective, year_started,
             instrument_kind, author, created_at, updated_at, deleted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
         ON CONFLICT(uuid) DO UPDATE SET id = excluded.id, kind = excluded.kind, city = excluded.city,
             new_city_name = excluded.new_city_name, new_city_country = excluded.new_city_country,
             new_city_lat = excluded.new_city_lat, new_city_lon = excluded.new_city_lon, title = excluded.title,
             description = excluded.description, gap_type = excluded.gap_type, levels = excluded.levels,
             policy_areas = excluded.policy_areas, migrant_groups = excluded.migrant_groups,
             objective = excluded.objective, year_started = excluded.year_started,
             instrument_kind = excluded.instrument_kind, author = excluded.author, created_at = excluded.created_at,
             updated_at = excluded.updated_at, deleted_at = excluded.deleted_at",
        params![
            r.uuid,
            r.id,
            r.kind.as_str(),
            r.city,
            r.new_city_name,
            r.new_city_country,
            r.new_city_lat,
            r.new_city_lon,
            r.title,
            r.description,
            r.gap_type,
            json(&r.levels),
            json(&r.policy_areas),
            json(&r.migrant_groups),
            r.objective,
            r.year_started,
            r.instrument_kind,
            r.author,
            r.created_at,
            r.updated_at,
            r.deleted_at
        ],
    )?;
    tx.execute(
        "DELETE FROM search_index WHERE origin = 'user' AND kind IN ('challenge', 'practice') AND record_id = ?1",
        [&r.id],
    )?;
    if r.deleted_at.is_none() {
        let body = format!(
            "{} {} {} {} {} {} {}",
            r.id,
            r.description,
            r.gap_type.as_deref().unwrap_or(""),
            r.policy_areas.join(" "),
            r.migrant_groups.join(" "),
            r.new_city_name.as_deref().unwrap_or(""),
            r.author
        );
        tx.execute(
            "INSERT INTO search_index(kind, record_id, origin, title, body) VALUES (?1, ?2, 'user', ?3, ?4)",
            params![r.kind.as_str(), r.id, atlas_core::text::fold(&r.title), atlas_core::text::fold(&body)],
        )?;
    }
    tx.execute("DELETE FROM user_record_sources WHERE record_uuid = ?1", [&r.uuid])?;
    for (ord, s) in r.sources.iter().enumerate() {
        tx.execute(
            "INSERT INTO user_record_sources(record_uuid, ord, url, citation, tag) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![r.uuid, ord as i64, s.url, s.citation, s.tag],
        )?;
    }
    Ok(())
}
