//! Bundles: a co-author's notes, codes, own records, self-assessments, city indicators and actions as one JSON file, exported and merged back.
//!
//! Merge rules: records match by UUID. Where both sides share a common version of a note (the fingerprint last
//! exchanged, `base`), the side that changed since then wins; if both changed, ours is kept, theirs is listed as a
//! conflict for the author to resolve. Without a common version the newer edit wins. Deletions travel as
//! tombstones. The whole import is one transaction; importing the same bundle twice changes nothing.
//!
//! Text codings travel too, matched by UUID like codes (the newer edit wins). Each author's codings keep their own
//! UUIDs and author, so two coders' codings of the same passage stay apart (what the agreement view compares).
//!
//! Assessments, indicators and actions follow the own-records rule: new ones are added, and the newer edit wins.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::assessments::{
    Action, Assessment, CityIndicator, action_problem, assessment_problem, indicator_problem, save_action_tx,
    save_assessment_tx, save_indicator_tx,
};
use super::codings::{Coding, save_coding_tx};
use super::notes::{Code, Note, UserRecord, now, save_code_tx, save_note_tx, save_user_record_tx};
use super::{Store, StoreError};

pub const BUNDLE_FORMAT: &str = "integration-atlas-bundle";
pub const BUNDLE_VERSION: i64 = 1;
/// The largest bundle file read (its notes, codes and records are held in memory while they merge).
pub const MAX_BUNDLE_BYTES: u64 = 64 << 20;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Bundle {
    pub format: String,
    pub version: i64,
    pub exported_at: String,
    #[serde(default)]
    pub exported_by: String,
    #[serde(default)]
    pub codes: Vec<Code>,
    #[serde(default)]
    pub notes: Vec<Note>,
    #[serde(default)]
    pub records: Vec<UserRecord>,
    /// Text codings (absent from bundles written before codings existed).
    #[serde(default)]
    pub codings: Vec<Coding>,
    /// Self-assessments, city indicators and actions (absent from bundles of earlier versions).
    #[serde(default)]
    pub assessments: Vec<Assessment>,
    #[serde(default)]
    pub indicators: Vec<CityIndicator>,
    #[serde(default)]
    pub actions: Vec<Action>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub new: usize,
    pub updated: usize,
    pub conflicts: usize,
    pub unchanged: usize,
}

impl std::fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = if self.conflicts == 1 { "conflict" } else { "conflicts" };
        write!(
            f,
            "{} new, {} updated, {} {plural}, {} unchanged",
            self.new, self.updated, self.conflicts, self.unchanged
        )
    }
}

/// A conflict waiting for the author: our note as it is, and the co-author's version.
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    pub id: i64,
    pub note_uuid: String,
    pub theirs: Note,
    pub imported_at: String,
}

/// A bundle that cannot be imported, said in one line naming the file.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("{path}: cannot read the file: {detail}")]
    Read { path: String, detail: String },
    #[error("{path}: not an Integration Atlas bundle ({detail}); nothing was imported")]
    Malformed { path: String, detail: String },
    #[error("{path}: {detail}; nothing was imported")]
    Invalid { path: String, detail: String },
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// Parses and validates a bundle's text; `path` names it in errors.
pub fn parse_bundle(path: &str, text: &str) -> Result<Bundle, BundleError> {
    let bundle: Bundle = serde_json::from_str(text)
        .map_err(|e| BundleError::Malformed { path: path.to_owned(), detail: e.to_string() })?;
    let invalid = |detail: String| BundleError::Invalid { path: path.to_owned(), detail };
    if bundle.format != BUNDLE_FORMAT {
        return Err(invalid(format!("format is {:?}, expected {BUNDLE_FORMAT:?}", bundle.format)));
    }
    if bundle.version > BUNDLE_VERSION || bundle.version < 1 {
        return Err(invalid(format!("bundle version {} is not supported (this app reads 1)", bundle.version)));
    }
    for (i, n) in bundle.notes.iter().enumerate() {
        if n.uuid.trim().is_empty() {
            return Err(invalid(format!("note {} has no uuid", i + 1)));
        }
        // Its target kind is one of the known words: serde refused any other while reading the file.
    }
    for (i, c) in bundle.codes.iter().enumerate() {
        if c.uuid.trim().is_empty() || c.name.trim().is_empty() {
            return Err(invalid(format!("code {} has no uuid or no name", i + 1)));
        }
    }
    // Names must show as what they are: a city, code or author name with a bidi control or an invisible character
    // could display as another ("Vienna").
    let names = bundle
        .codes
        .iter()
        .map(|c| ("code name", c.name.as_str()))
        .chain(bundle.notes.iter().map(|n| ("note author", n.author.as_str())))
        .chain(bundle.records.iter().flat_map(|r| {
            [
                ("record city", r.new_city_name.as_deref().unwrap_or("")),
                ("record country", r.new_city_country.as_deref().unwrap_or("")),
                ("record author", r.author.as_str()),
            ]
        }));
    for (what, name) in names {
        if let Some(c) = atlas_core::input::invisible_char(name) {
            return Err(invalid(format!("the {what} {name:?} holds the invisible character {c}")));
        }
    }
    for (i, r) in bundle.records.iter().enumerate() {
        // Its kind is challenge or practice: serde refused any other word while reading the file.
        if r.uuid.trim().is_empty() {
            return Err(invalid(format!("record {} has no uuid", i + 1)));
        }
        if let Some(s) = r.sources.iter().find(|s| !atlas_core::dataset::TAGS.contains(&s.tag.as_str())) {
            return Err(invalid(format!("record {} has a source with tag {:?}", r.uuid, s.tag)));
        }
    }
    for (i, c) in bundle.codings.iter().enumerate() {
        if c.uuid.trim().is_empty() || c.code.trim().is_empty() || c.target_id.trim().is_empty() {
            return Err(invalid(format!("coding {} has no uuid, code or record", i + 1)));
        }
        if !c.target_kind.is_codable() {
            return Err(invalid(format!("coding {} is on an unknown kind of record {:?}", c.uuid, c.target_kind)));
        }
        if c.start < 0 || c.end <= c.start {
            return Err(invalid(format!("coding {} has an empty or negative range {}–{}", c.uuid, c.start, c.end)));
        }
        let known_code = bundle.codes.iter().any(|k| k.uuid == c.code);
        if !known_code {
            return Err(invalid(format!("coding {} uses code {} that the bundle does not carry", c.uuid, c.code)));
        }
    }
    let problem = bundle
        .assessments
        .iter()
        .find_map(assessment_problem)
        .or_else(|| bundle.indicators.iter().find_map(indicator_problem))
        .or_else(|| bundle.actions.iter().find_map(action_problem));
    if let Some(problem) = problem {
        return Err(invalid(problem));
    }
    Ok(bundle)
}

/// Merges one kind of whole, tombstoned user item by the record rule: new ones are added, and of two versions the
/// newer edit wins (`updated_at`); an identical one is unchanged.
fn merge_whole<T: PartialEq>(
    tx: &rusqlite::Transaction<'_>,
    ours: &HashMap<String, T>,
    theirs: &[T],
    key: impl Fn(&T) -> &str,
    updated: impl Fn(&T) -> &str,
    save: impl Fn(&rusqlite::Transaction<'_>, &T) -> rusqlite::Result<()>,
    summary: &mut ImportSummary,
) -> rusqlite::Result<()> {
    for item in theirs {
        match ours.get(key(item)) {
            None => {
                save(tx, item)?;
                summary.new += 1;
            }
            Some(mine) if mine == item => summary.unchanged += 1,
            Some(mine) if updated(item) > updated(mine) => {
                save(tx, item)?;
                summary.updated += 1;
            }
            Some(_) => summary.unchanged += 1,
        }
    }
    Ok(())
}

impl Store {
    /// Everything of the user's, tombstones included, as a bundle. Each note travels with the common version we last
    /// shared (`base`); afterwards the exported version becomes our common version with whoever imports it.
    pub fn export_bundle(&self, exported_by: &str) -> Result<Bundle, StoreError> {
        let notes = self.notes()?;
        let codes = self.codes()?;
        let records = self.user_records()?;
        let codings = self.codings()?;
        let assessments = self.assessments()?;
        let indicators = self.city_indicators()?;
        let actions = self.city_actions()?;
        self.write(|tx| {
            for n in &notes {
                tx.execute("UPDATE notes SET base_rev = ?2 WHERE uuid = ?1", params![n.uuid, n.fingerprint()])?;
            }
            Ok(())
        })?;
        Ok(Bundle {
            format: BUNDLE_FORMAT.to_owned(),
            version: BUNDLE_VERSION,
            exported_at: now(),
            exported_by: exported_by.to_owned(),
            codes,
            notes,
            records,
            codings,
            assessments,
            indicators,
            actions,
        })
    }

    /// Reads, validates and merges a bundle file in one transaction.
    pub fn import_bundle_file(&self, path: &Path) -> Result<ImportSummary, BundleError> {
        let name = path.display().to_string();
        let bytes = atlas_core::input::read_bounded(path, MAX_BUNDLE_BYTES)
            .map_err(|detail| BundleError::Read { path: name.clone(), detail })?;
        let text = String::from_utf8(bytes).map_err(|e| BundleError::Malformed {
            path: name.clone(),
            detail: format!("not UTF-8 text at byte {}", e.utf8_error().valid_up_to()),
        })?;
        let bundle = parse_bundle(&name, &text)?;
        Ok(self.import_bundle(&bundle)?)
    }

    /// Merges a parsed bundle in one transaction.
    pub fn import_bundle(&self, bundle: &Bundle) -> Result<ImportSummary, StoreError> {
        let ours: HashMap<String, Note> = self.notes()?.into_iter().map(|n| (n.uuid.clone(), n)).collect();
        let our_codes: HashMap<String, Code> = self.codes()?.into_iter().map(|c| (c.uuid.clone(), c)).collect();
        let our_records: HashMap<String, UserRecord> =
            self.user_records()?.into_iter().map(|r| (r.uuid.clone(), r)).collect();
        let open_conflicts: Vec<(String, String)> =
            self.conflicts()?.into_iter().map(|c| (c.note_uuid.clone(), c.theirs.fingerprint())).collect();
        let taken_ids: Vec<String> = our_records.values().map(|r| r.id.clone()).collect();
        let our_codings: HashMap<String, Coding> = self.codings()?.into_iter().map(|c| (c.uuid.clone(), c)).collect();
        let our_assessments: HashMap<String, Assessment> =
            self.assessments()?.into_iter().map(|a| (a.uuid.clone(), a)).collect();
        let our_indicators: HashMap<String, CityIndicator> =
            self.city_indicators()?.into_iter().map(|i| (i.uuid.clone(), i)).collect();
        let our_actions: HashMap<String, Action> =
            self.city_actions()?.into_iter().map(|a| (a.uuid.clone(), a)).collect();
        let at = now();
        self.write(|tx| {
            // Codes arrive sorted by name, so a child can come before its parent: check references at commit.
            tx.pragma_update(None, "defer_foreign_keys", true)?;
            let mut summary = ImportSummary::default();
            for code in &bundle.codes {
                match our_codes.get(&code.uuid) {
                    None => {
                        save_code_tx(tx, code)?;
                        summary.new += 1;
                    }
                    Some(mine) if mine == code => summary.unchanged += 1,
                    Some(mine) if code.updated_at > mine.updated_at => {
                        save_code_tx(tx, code)?;
                        summary.updated += 1;
                    }
                    Some(_) => summary.unchanged += 1,
                }
            }
            for theirs in &bundle.notes {
                let mut incoming = theirs.clone();
                incoming.base = Some(theirs.fingerprint());
                let Some(mine) = ours.get(&theirs.uuid) else {
                    save_note_tx(tx, &incoming)?;
                    summary.new += 1;
                    continue;
                };
                let (fm, ft) = (mine.fingerprint(), theirs.fingerprint());
                if fm == ft {
                    tx.execute("UPDATE notes SET base_rev = ?2 WHERE uuid = ?1", params![mine.uuid, fm])?;
                    summary.unchanged += 1;
                    continue;
                }
                // The last version both sides had: the same recorded base, or one side still at the other's version.
                let common = match (&mine.base, &theirs.base) {
                    (Some(a), Some(b)) if a == b => Some(a.clone()),
                    (_, Some(b)) if *b == fm => Some(fm.clone()),
                    (Some(a), _) if *a == ft => Some(ft.clone()),
                    _ => None,
                };
                let take_theirs = match common {
                    Some(base) => {
                        let (mine_changed, theirs_changed) = (fm != base, ft != base);
                        if mine_changed && theirs_changed {
                            if !open_conflicts.contains(&(theirs.uuid.clone(), ft.clone())) {
                                tx.execute(
                                    "INSERT INTO note_conflicts(note_uuid, theirs, imported_at) VALUES (?1, ?2, ?3)",
                                    params![theirs.uuid, serde_json::to_string(theirs).unwrap_or_default(), at],
                                )?;
                                summary.conflicts += 1;
                            } else {
                                summary.unchanged += 1;
                            }
                            continue;
                        }
                        theirs_changed
                    }
                    None => theirs.updated_at > mine.updated_at,
                };
                if take_theirs {
                    save_note_tx(tx, &incoming)?;
                    summary.updated += 1;
                } else {
                    summary.unchanged += 1;
                }
            }
            for theirs in &bundle.records {
                match our_records.get(&theirs.uuid) {
                    None => {
                        let mut r = theirs.clone();
                        if taken_ids.contains(&r.id) {
                            // Another author numbered theirs the same: give it the next free number here.
                            let prefix = if r.kind == atlas_core::model::EvidenceKind::Practice { "U-P-" } else { "U-C-" };
                            let n: i64 = tx.query_row(
                                "SELECT coalesce(max(CAST(substr(id, 5) AS INTEGER)), 0) FROM user_records WHERE id LIKE ?1 || '%'",
                                [prefix],
                                |row| row.get(0),
                            )?;
                            r.id = format!("{prefix}{:04}", n + 1);
                        }
                        save_user_record_tx(tx, &r)?;
                        summary.new += 1;
                    }
                    Some(mine) if mine == theirs => summary.unchanged += 1,
                    Some(mine) if theirs.updated_at > mine.updated_at => {
                        let mut r = theirs.clone();
                        r.id = mine.id.clone();
                        save_user_record_tx(tx, &r)?;
                        summary.updated += 1;
                    }
                    Some(_) => summary.unchanged += 1,
                }
            }
            for theirs in &bundle.codings {
                match our_codings.get(&theirs.uuid) {
                    None => {
                        save_coding_tx(tx, theirs)?;
                        summary.new += 1;
                    }
                    Some(mine) if mine == theirs => summary.unchanged += 1,
                    Some(mine) if theirs.updated_at > mine.updated_at => {
                        save_coding_tx(tx, theirs)?;
                        summary.updated += 1;
                    }
                    Some(_) => summary.unchanged += 1,
                }
            }
            merge_whole(
                tx,
                &our_assessments,
                &bundle.assessments,
                |a| a.uuid.as_str(),
                |a| a.updated_at.as_str(),
                save_assessment_tx,
                &mut summary,
            )?;
            merge_whole(
                tx,
                &our_indicators,
                &bundle.indicators,
                |i| i.uuid.as_str(),
                |i| i.updated_at.as_str(),
                save_indicator_tx,
                &mut summary,
            )?;
            merge_whole(tx, &our_actions, &bundle.actions, |a| a.uuid.as_str(), |a| a.updated_at.as_str(), save_action_tx, &mut summary)?;
            Ok(summary)
        })
    }

    /// Conflicts not yet resolved.
    pub fn conflicts(&self) -> Result<Vec<Conflict>, StoreError> {
        let run = || -> rusqlite::Result<Vec<Conflict>> {
            let mut stmt = self.conn.prepare(
                "SELECT id, note_uuid, theirs, imported_at FROM note_conflicts WHERE resolved_at IS NULL ORDER BY id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (id, note_uuid, theirs, imported_at) = row?;
                if let Ok(theirs) = serde_json::from_str(&theirs) {
                    out.push(Conflict { id, note_uuid, theirs, imported_at });
                }
            }
            Ok(out)
        };
        run().map_err(|e| self.err(&e))
    }

    /// Resolves a conflict by keeping `keep` (ours, theirs, or an edited mix) as the note.
    pub fn resolve_conflict(&self, id: i64, keep: &Note) -> Result<(), StoreError> {
        let at = now();
        self.write(|tx| {
            save_note_tx(tx, keep)?;
            tx.execute("UPDATE note_conflicts SET resolved_at = ?2 WHERE id = ?1", params![id, at])?;
            Ok(())
        })
    }
}
