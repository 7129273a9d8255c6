//! The open database: what was loaded from it (atlas with the authors' own records among the evidence, notes and
//! codes, survey answers, stories) and every write to it. The window and the command line both work through a
//! [`Session`]; views read it, and only the window's shell calls its write methods (in answer to a view's command).
//! No egui here.

use std::collections::HashSet;
use std::path::Path;

use crate::annotate::{Workspace, user_evidence};
use atlas_analysis::checklist::{Matrix, matrix};
use atlas_answers::{ImportPlan, QuestionDef};
use atlas_core::model::{AnswerSet, Atlas};
use atlas_store::answers::ImportOutcome;
use atlas_store::{Counts, OpenOutcome, Store, StoreError};

pub use atlas_core::model::GlossaryEntry;
pub use atlas_core::records::assessments::{
    Action, ActionStatus, Assessment, CityIndicator, Direction, EvidenceLink, IndicatorValue, LinkKind, is_date,
};
pub use atlas_core::records::codings::{Anchor, Coding, TargetKind, char_slice};
pub use atlas_core::records::notes::{Code, Note, NoteStatus, UserRecord};
pub use atlas_core::records::stories::{Slide, Story};

use crate::annotate::assessments::AssessmentDesk;

/// What to load besides the atlas: the window wants everything; most commands only the evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    /// Atlas, own records, notes and codes.
    Evidence,
    /// Also survey answers and stories.
    All,
}

/// The atlas with the authors' own records among the evidence (as the window shows it), and their workspace. The
/// one place own records join the shipped ones; [`Session::load`] and the commands that borrow a store use it.
pub fn evidence_with_own(store: &Store) -> Result<(Atlas, Workspace), StoreError> {
    let mut atlas = store.load_atlas()?;
    let workspace = Workspace::load(store)?;
    let own = user_evidence(&workspace.records, &atlas.cities);
    atlas.evidence.extend(own);
    Ok((atlas, workspace))
}

/// What was loaded from the open database: the read model. Views receive `&ReadModel` (through
/// [`Session`]'s `Deref`): it holds no store, has no write methods and runs no query, so what a view receives cannot
/// reach the database or change it. Writes are [`Session`] methods, which the window's shell calls in answer to a
/// view's command.
pub struct ReadModel {
    path: std::path::PathBuf,
    outcome: OpenOutcome,
    pub atlas: Atlas,
    pub counts: Counts,
    /// (city id, city name) in display order, for charts.
    pub city_names: Vec<(String, String)>,
    /// The checklist matrix, recomputed when the evidence changes.
    pub matrix: Matrix,
    /// The authors' notes, codes and own records.
    pub workspace: Workspace,
    /// How many of `atlas.evidence` are shipped (the rest are own records).
    /// Imported and live survey answers, and the questions they may answer.
    pub answers: AnswerSet,
    pub catalogue: Vec<QuestionDef>,
    /// Bumped whenever `answers` is reloaded (caches key on it, together with [`Session::id`]).
    pub answers_version: u64,
    /// The stories saved in this database.
    pub stories: Vec<Story>,
    /// Self-assessments, city indicators and action plans, with their undo.
    pub assess: AssessmentDesk,
    /// Unique for each session opened by this process, so that nothing cached for another database can match.
    pub id: u64,
    /// The live round the room answers from their phones, while the facilitator lets it (dropping it stops the
    /// server: closing the round, opening another database or quitting).
    pub live: Option<Live>,
}

/// An open database and what was loaded from it, with every write to it. Reading goes through the [`ReadModel`]
/// (`Deref`); the store is private to the session.
pub struct Session {
    store: Store,
    data: ReadModel,
    /// How many of `atlas.evidence` are shipped (the rest are own records).
    shipped: usize,
    records_seen: u64,
}

impl std::ops::Deref for Session {
    type Target = ReadModel;
    fn deref(&self) -> &ReadModel {
        &self.data
    }
}

/// A live round and what the window derives from its events.
pub struct Live {
    pub round: atlas_live::LiveRound,
    events: std::sync::mpsc::Receiver<atlas_live::LiveEvent>,
    /// The room's answers as they arrive (charted at once, without reading the answers again).
    pub tally: atlas_live::tally::LiveTally,
    /// When the answers should be read again (a while after the last phone answered), so Responses and the typed
    /// entry see the phones' rows without a reload per answer.
    reload_at: Option<std::time::Instant>,
    /// The answers being read again on their own connection and thread (a read of every round can take tens of
    /// milliseconds: not on the window's frame), and whether a phone answered since the read began.
    reloading: Option<(std::sync::mpsc::Receiver<Result<AnswerSet, String>>, bool)>,
    /// The last refusal a phone was given (shown to the facilitator).
    pub last_refusal: Option<String>,
    /// The QR code of the first address, made again only when the address changes (a new link), not per frame.
    pub qr: Option<(String, atlas_live::qr::QrMatrix)>,
}

impl Live {
    fn refresh_qr(&mut self) {
        let url = self.round.urls().into_iter().next();
        if url.as_deref() != self.qr.as_ref().map(|(u, _)| u.as_str()) {
            self.qr = url.and_then(|u| atlas_live::qr::QrMatrix::new(&u).ok().map(|m| (u, m)));
        }
    }
}

/// How long after the last event that needs it the answers are read again (see [`Session::poll_live`]).
const LIVE_RELOAD_AFTER: std::time::Duration = std::time::Duration::from_secs(2);

static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl ReadModel {
    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Which records (shipped and own, merged) the caches derived from them were computed from: this database, this
    /// change of the own records.
    pub fn records_revision(&self) -> atlas_analysis::Revision {
        atlas_analysis::Revision { database: self.id, change: self.workspace.records_version }
    }

    /// Which answers the caches derived from the answers were computed from (this database, this reload).
    pub fn answers_revision(&self) -> atlas_analysis::Revision {
        atlas_analysis::Revision { database: self.id, change: self.answers_version }
    }

    /// How the database was opened, in words.
    pub fn outcome_text(&self) -> String {
        match self.outcome {
            OpenOutcome::Created => "created on this start".to_owned(),
            OpenOutcome::Opened => "opened".to_owned(),
            OpenOutcome::Refreshed { .. } => "opened; reference data refreshed from this version's dataset".to_owned(),
        }
    }

    /// Every acronym the evidence uses, by term: what it stands for (or that no source we hold says), what it is,
    /// its sources and confidence tag. For a tooltip on a text, [`Atlas::glossary_in`] (`self.atlas.glossary_in`)
    /// gives the entries of the acronyms it uses; [`Atlas::glossary_entry`] one word's.
    pub fn glossary(&self) -> &[GlossaryEntry] {
        &self.atlas.glossary
    }

    /// The glossary entry that explains one word of the evidence (`OFII`, `NGOs`, `MA17`), if any.
    pub fn glossary_entry(&self, word: &str) -> Option<&GlossaryEntry> {
        self.atlas.glossary_entry(word)
    }

    pub fn story(&self, key: &str) -> Option<&Story> {
        self.stories.iter().find(|s| s.uuid == key || s.title == key)
    }

    pub fn slide(&self, uuid: &str) -> Option<&Slide> {
        self.stories.iter().flat_map(|s| s.slides.iter()).find(|s| s.uuid == uuid)
    }

    /// The current text of a codable record (challenge, practice, user_record, city_text, note).
    pub fn codable_text(&self, kind: TargetKind, id: &str) -> Option<String> {
        let ws = &self.workspace;
        crate::annotate::codings::text_of(&self.atlas, &ws.records, &ws.notes, kind, id)
    }

    /// Everything shown and exported about one assessment, as of `today` (`YYYY-MM-DD`); pure, no query.
    pub fn assessment_report(&self, uuid: &str, today: &str) -> Option<atlas_analysis::assessment::Report> {
        atlas_analysis::assessment::report(
            &self.atlas,
            &self.atlas.evidence,
            &self.assess.assessments,
            &self.assess.indicators,
            &self.assess.actions,
            Some(&self.answers),
            uuid,
            today,
        )
    }
}

impl Session {
    /// Opens (creating if needed) and loads a database; `None` is the default database. The window starts this on
    /// a thread while its renderer starts, and again on a thread for File ▸ Open database….
    pub fn open(db: Option<&Path>) -> Result<Self, String> {
        let store = match db {
            Some(path) => Store::open(path),
            None => Store::open_default(),
        }
        .map_err(|e| e.to_string())?;
        Self::load(store, Load::All).map_err(|e| e.to_string())
    }

    /// Loads what `what` asks for from an open store.
    pub fn load(store: Store, what: Load) -> Result<Self, StoreError> {
        let atlas = store.load_atlas()?;
        let counts = store.counts()?;
        let city_names = atlas.cities.iter().map(|c| (c.id.clone(), c.name.clone())).collect();
        let workspace = Workspace::load(&store)?;
        let shipped = atlas.evidence.len();
        let catalogue = atlas_answers::catalogue(&atlas);
        let (answers, stories) = match what {
            Load::All => (store.load_answers(&catalogue)?, store.stories()?),
            Load::Evidence => (AnswerSet::default(), Vec::new()),
        };
        let assess = AssessmentDesk::load(&store)?;
        let data = ReadModel {
            path: store.path().to_path_buf(),
            outcome: store.outcome().clone(),
            atlas,
            counts,
            city_names,
            matrix: Default::default(),
            workspace,
            answers,
            catalogue,
            answers_version: 1,
            stories,
            assess,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            live: None,
        };
        let mut session = Self { store, data, shipped, records_seen: u64::MAX };
        session.sync_records();
        Ok(session)
    }

    /// Puts the authors' own records among the evidence when they changed; true if they did.
    pub fn sync_records(&mut self) -> bool {
        if self.records_seen == self.data.workspace.records_version {
            return false;
        }
        self.records_seen = self.data.workspace.records_version;
        self.data.atlas.evidence.truncate(self.shipped);
        let own = user_evidence(&self.data.workspace.records, &self.data.atlas.cities);
        self.data.atlas.evidence.extend(own);
        self.data.matrix = matrix(&self.data.atlas.evidence, &self.data.atlas.cities);
        true
    }

    // ── reading ─────────────────────────────────────────────────────────────────────────────────

    /// Full-text hits among records of `kinds` ("challenge", "practice"), as record ids; `Ok(None)` when the text
    /// has no searchable words. The one place the explorer, the CLI and the handouts turn a search into ids.
    pub fn search_ids(&self, kinds: &[&str], text: &str) -> Result<Option<HashSet<String>>, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let mut all = HashSet::new();
        let mut any = false;
        for kind in kinds {
            if let Some(hits) = self.store.search_ids(kind, text).map_err(|e| e.to_string())? {
                any = true;
                all.extend(hits);
            }
        }
        Ok(any.then_some(all))
    }

    /// Every record kind matching `text`, as (kind, id, snippet), at most `limit`.
    pub fn search_all(&self, text: &str, limit: usize) -> Result<Vec<(String, String, String)>, String> {
        self.store.search_all(text, limit).map_err(|e| e.to_string())
    }

    /// Folded names of the cities answers may name (the atlas' and those added by imports).
    pub fn known_city_names(&self) -> Result<HashSet<String>, String> {
        self.store.known_city_names().map_err(|e| e.to_string())
    }

    // ── notes, codes, own records (through the workspace: undo, debounced typing) ─────────────

    pub fn set_author(&mut self, name: &str) -> Result<(), String> {
        self.data.workspace.set_author(&self.store, name).map_err(|e| e.to_string())
    }

    pub fn add_note(&mut self, kind: TargetKind, id: Option<&str>) -> String {
        self.data.workspace.add_note(&self.store, kind, id)
    }

    pub fn edit_note_text(&mut self, uuid: &str, text: &str) {
        self.data.workspace.edit_text(uuid, text);
    }

    pub fn set_note_status(&mut self, uuid: &str, status: NoteStatus) {
        self.data.workspace.set_status(&self.store, uuid, status);
    }

    pub fn toggle_note_code(&mut self, uuid: &str, code: &str) {
        self.data.workspace.toggle_code(&self.store, uuid, code);
    }

    pub fn delete_note(&mut self, uuid: &str) {
        self.data.workspace.delete_note(&self.store, uuid);
    }

    /// Adds a code, or a path of codes ("Funding > Short-term") under `parent`; the uuid of the last one.
    pub fn add_code_path(&mut self, path: &str, parent: Option<&str>) -> Option<String> {
        self.data.workspace.add_code_path(&self.store, path, parent)
    }

    pub fn rename_code(&mut self, uuid: &str, name: &str) {
        self.data.workspace.rename_code(&self.store, uuid, name);
    }

    pub fn move_code(&mut self, uuid: &str, parent: Option<&str>) {
        self.data.workspace.move_code(&self.store, uuid, parent);
    }

    pub fn merge_codes(&mut self, from: &str, into: &str) {
        self.data.workspace.merge_codes(&self.store, from, into);
    }

    pub fn delete_code(&mut self, uuid: &str) {
        self.data.workspace.delete_code(&self.store, uuid);
    }

    pub fn save_record(&mut self, record: UserRecord) {
        self.data.workspace.save_record(&self.store, record);
    }

    pub fn delete_record(&mut self, uuid: &str) {
        self.data.workspace.delete_record(&self.store, uuid);
    }

    pub fn undo(&mut self) -> bool {
        self.data.workspace.undo(&self.store)
    }

    pub fn redo(&mut self) -> bool {
        self.data.workspace.redo(&self.store)
    }

    /// Writes typing that is due (or all of it); true while some is still waiting.
    pub fn flush(&mut self, all: bool) -> bool {
        self.data.workspace.flush(&self.store, all)
    }

    /// Merges a co-author's bundle; the line says what changed.
    pub fn import_bundle(&mut self, path: &Path) -> Result<String, String> {
        let summary = self.store.import_bundle_file(path).map_err(|e| e.to_string())?;
        self.data.workspace.reload(&self.store).map_err(|e| e.to_string())?;
        Ok(format!("Imported {}: {summary}", path.display()))
    }

    /// The bundle of this database's notes, codes and own records, as JSON.
    pub fn export_bundle_json(&mut self) -> Result<String, String> {
        self.flush(true);
        let author = self.data.workspace.author.clone().unwrap_or_default();
        let bundle = self.store.export_bundle(&author).map_err(|e| e.to_string())?;
        serde_json::to_string_pretty(&bundle).map_err(|e| e.to_string())
    }

    pub fn resolve_conflict(&mut self, id: i64, keep: &Note) -> Result<(), String> {
        self.store.resolve_conflict(id, keep).map_err(|e| e.to_string())?;
        self.data.workspace.reload(&self.store).map_err(|e| e.to_string())
    }

    /// An online backup to `path` (pending typing is written first).
    pub fn save_copy(&mut self, path: &Path) -> Result<(), String> {
        self.flush(true);
        self.store.save_copy(path).map_err(|e| e.to_string())
    }

    // ── coded passages and REFI-QDA (issue 17) ───────────────────────────────────────────────

    /// Applies codes to the characters `[start, end)` of a record's current text (one undo step); how many
    /// codings were added.
    pub fn apply_codes(
        &mut self,
        codes: &[String],
        kind: TargetKind,
        id: &str,
        start: i64,
        end: i64,
    ) -> Result<usize, String> {
        let text = self.codable_text(kind, id).ok_or_else(|| format!("No text {kind} {id} to code."))?;
        let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
        if codes.is_empty() {
            return Err("Choose at least one code to apply.".to_owned());
        }
        if atlas_core::records::codings::char_slice(&text, start, end).is_none() {
            return Err("Select a passage of the text first.".to_owned());
        }
        Ok(self.data.workspace.apply_codes(&self.store, &codes, kind, id, &text, start, end).len())
    }

    pub fn remove_codings(&mut self, uuids: &[String]) {
        self.data.workspace.remove_codings(&self.store, uuids);
    }

    pub fn set_code_color(&mut self, code: &str, color: Option<&str>) {
        self.data.workspace.set_code_color(&self.store, code, color);
    }

    pub fn set_code_description(&mut self, code: &str, description: &str) {
        self.data.workspace.set_code_description(&self.store, code, description);
    }

    /// Adds the OECD's own coding frame as codes; how many were new.
    pub fn insert_oecd_codebook(&mut self) -> usize {
        self.data.workspace.insert_oecd_codebook(&self.store, &self.data.atlas)
    }

    /// Moves a coding whose text changed to `[start, end)` of the current text.
    pub fn reanchor_coding(&mut self, uuid: &str, start: i64, end: i64) -> bool {
        let Some(c) = self.data.workspace.codings.iter().find(|c| c.uuid == uuid) else { return false };
        let Some(text) = self.codable_text(c.target_kind, &c.target_id.clone()) else { return false };
        self.data.workspace.reanchor_coding(&self.store, uuid, &text, start, end)
    }

    /// Keeps one coder's side of a disagreement; `piece` is the passage-level unit's range (only it is cut).
    pub fn resolve_keep_one(&mut self, keep: &[String], drop: &[String], piece: Option<(i64, i64)>) {
        self.data.workspace.resolve_keep_one(&self.store, keep, drop, piece);
    }

    pub fn resolve_keep_both(&mut self, uuids: &[String]) {
        self.data.workspace.resolve_keep_both(&self.store, uuids);
    }

    pub fn resolve_merge_into_new_code(&mut self, uuids: &[String], name: &str) -> Option<String> {
        self.data.workspace.resolve_merge_into_new_code(&self.store, uuids, name, None)
    }

    /// Writes a REFI-QDA `.qdpx` project or `.qdc` codebook; the line says what was written.
    pub fn export_qda(&mut self, path: &Path) -> Result<String, String> {
        self.flush(true);
        let author = self.data.workspace.author.clone().unwrap_or_else(|| "unknown".to_owned());
        atlas_qda::export_file(&self.store, path, &author).map_err(|e| e.to_string())
    }

    /// What importing a `.qdpx` or `.qdc` would add, match and skip; nothing is written.
    pub fn check_qda(&mut self, path: &Path) -> Result<(atlas_qda::Summary, atlas_qda::ImportPlan), String> {
        self.flush(true);
        atlas_qda::import_file(&self.store, path, true).map_err(|e| e.to_string())
    }

    /// Imports a `.qdpx` or `.qdc` in one transaction and reloads the workspace; the line says what changed.
    pub fn import_qda(&mut self, path: &Path) -> Result<String, String> {
        self.flush(true);
        let (summary, _) = atlas_qda::import_file(&self.store, path, false).map_err(|e| e.to_string())?;
        self.data.workspace.reload(&self.store).map_err(|e| e.to_string())?;
        Ok(format!("Imported {}: {summary}", path.display()))
    }

    // ── stories ─────────────────────────────────────────────────────────────────────────────────

    /// Runs a story write, then reloads the stories.
    fn stories_write<T>(&mut self, write: impl FnOnce(&Store) -> Result<T, StoreError>) -> Result<T, String> {
        let value = write(&self.store).map_err(|e| e.to_string())?;
        self.data.stories = self.store.stories().map_err(|e| e.to_string())?;
        Ok(value)
    }

    pub fn create_story(&mut self, title: &str) -> Result<String, String> {
        self.stories_write(|s| s.create_story(title))
    }

    pub fn rename_story(&mut self, uuid: &str, title: &str) -> Result<(), String> {
        self.stories_write(|s| s.rename_story(uuid, title))
    }

    pub fn delete_story(&mut self, uuid: &str) -> Result<(), String> {
        self.stories_write(|s| s.delete_story(uuid))
    }

    pub fn add_slide(
        &mut self,
        story: &str,
        at: Option<usize>,
        title: &str,
        notes: &str,
        view: &str,
    ) -> Result<String, String> {
        self.stories_write(|s| s.add_slide(story, at, title, notes, view))
    }

    pub fn update_slide(&mut self, slide: &Slide) -> Result<(), String> {
        self.stories_write(|s| s.update_slide(slide))
    }

    pub fn move_slide(&mut self, uuid: &str, to: usize) -> Result<(), String> {
        self.stories_write(|s| s.move_slide(uuid, to))
    }

    pub fn delete_slide(&mut self, uuid: &str) -> Result<(), String> {
        self.stories_write(|s| s.delete_slide(uuid))
    }

    // ── survey answers and live rounds ─────────────────────────────────────────────────────────

    /// Reads the answers again after an import or a live-round edit.
    pub fn reload_answers(&mut self) -> Result<(), String> {
        self.data.answers = self.store.load_answers(&self.data.catalogue).map_err(|e| e.to_string())?;
        self.data.answers_version += 1;
        Ok(())
    }

    /// Writes an import plan into the database at `db` on its own connection (the import window runs this on a
    /// thread while the window keeps drawing from the session's connection; WAL keeps both consistent).
    pub fn write_import(
        db: &Path,
        plan: &ImportPlan,
        add_cities: bool,
        progress: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<Option<ImportOutcome>, String> {
        let store = Store::open(db).map_err(|e| e.to_string())?;
        store.import_answers(plan, add_cities, progress).map_err(|e| e.to_string())
    }

    /// Runs a round write, then reloads the answers; errors are one line starting "Workshop:".
    fn round_write<T>(&mut self, write: impl FnOnce(&Store) -> Result<T, StoreError>) -> Result<T, String> {
        let value = write(&self.store).map_err(|e| format!("Workshop: {e}"))?;
        self.reload_answers().map_err(|e| format!("Workshop: {e}"))?;
        Ok(value)
    }

    pub fn create_round(&mut self, title: &str, held_on: Option<&str>) -> Result<String, String> {
        self.round_write(|s| s.create_live_round(title, held_on))
    }

    pub fn update_round(&mut self, uuid: &str, title: &str, held_on: Option<&str>) -> Result<(), String> {
        self.round_write(|s| s.update_round(uuid, title, held_on))
    }

    pub fn delete_round(&mut self, uuid: &str) -> Result<(), String> {
        // A round that is being answered stops listening before it goes.
        if self.data.live.as_ref().is_some_and(|l| l.round.round() == uuid) {
            self.stop_live();
        }
        self.round_write(|s| s.delete_round(uuid))
    }

    /// One participant's answer to one question (None clears it); the participant's country is kept with it.
    pub fn set_answer(&mut self, answer: &RoundAnswer) -> Result<(), String> {
        self.round_write(|s| {
            s.set_answer(&answer.round, &answer.respondent, answer.city.as_deref(), &answer.question, answer.value)?;
            match &answer.country {
                Some(c) if answer.value.is_some() => {
                    s.set_participant_country(&answer.round, &answer.respondent, Some(c))
                }
                _ => Ok(()),
            }
        })
    }

    pub fn rename_participant(
        &mut self,
        round: &str,
        from: &str,
        to: &str,
        city: Option<&str>,
        country: Option<&str>,
    ) -> Result<(), String> {
        self.round_write(|s| {
            s.rename_respondent(round, from, to, city)?;
            s.set_participant_country(round, to, country)
        })
    }

    pub fn remove_participant(&mut self, round: &str, respondent: &str) -> Result<(), String> {
        if let Some(live) = self.data.live.as_mut().filter(|l| l.round.round() == round) {
            // A phone's participant: the server forgets the phone too, so it cannot write again.
            if live.round.remove_participant(respondent).is_ok() {
                live.tally.remove(respondent);
            }
        }
        self.round_write(|s| s.delete_respondent(round, respondent))
    }

    // ── the room answering from their phones ───────────────────────────────────────────────────

    /// Lets the room answer `round` from their phones: starts the local server (the one socket the app opens).
    /// `wake` is called after each event (the window repaints). Another live round is stopped first.
    pub fn start_live(&mut self, round: &str, wake: std::sync::Arc<dyn Fn() + Send + Sync>) -> Result<(), String> {
        self.stop_live();
        let config = atlas_live::LiveConfig::default();
        let (live, events) = atlas_live::LiveRound::start(self.store.path(), &self.data.atlas, round, config)
            .map_err(|e| e.to_string())?;
        live.set_wake(wake);
        let tally = atlas_live::tally::LiveTally::from_set(&self.data.answers, &self.data.atlas, round);
        let mut live =
            Live { round: live, events, tally, reload_at: None, reloading: None, last_refusal: None, qr: None };
        live.refresh_qr();
        self.data.live = Some(live);
        Ok(())
    }

    /// Ends the live round: the server stops, and the answers are read again.
    /// The running live round, to steer it (open or close answering, reveal, a new link).
    pub fn live_mut(&mut self) -> Option<&mut Live> {
        self.data.live.as_mut()
    }

    pub fn stop_live(&mut self) {
        if let Some(live) = self.data.live.take() {
            live.round.end();
            let _ = self.reload_answers();
        }
    }

    /// Applies what arrived from the phones at once: to the tally, and to the window's copy of the answers (a
    /// submission carries the rows it wrote, so nothing is read again). Only when the copy cannot follow (the
    /// round is not in it) or answering closed are the answers read again, a little later, on a thread; true
    /// while such a read is still to come (the window wakes up for it).
    pub fn poll_live(&mut self) -> bool {
        let Some(live) = &mut self.data.live else { return false };
        live.refresh_qr();
        let round = self.data.answers.rounds.iter().position(|r| r.uuid == live.round.round());
        let (mut changed, mut reread) = (false, false);
        for event in live.events.try_iter() {
            live.tally.apply(&event);
            match (&event, round) {
                (atlas_live::LiveEvent::Answered { respondent, previous, city, country, rows, .. }, Some(r)) => {
                    let place = (city.clone(), country.clone());
                    self.data.answers.put_respondent(r, respondent, previous.as_deref(), place, rows);
                    changed = true;
                }
                (atlas_live::LiveEvent::Removed { respondent }, Some(r)) => {
                    self.data.answers.remove_respondent(r, respondent);
                    changed = true;
                }
                (atlas_live::LiveEvent::Answered { .. } | atlas_live::LiveEvent::Removed { .. }, None) => reread = true,
                (atlas_live::LiveEvent::Refused { reason }, _) => live.last_refusal = Some((*reason).to_owned()),
                (atlas_live::LiveEvent::Answering { open: false, .. }, _) => reread = true,
                _ => {}
            }
        }
        if changed {
            // Indexed once for the whole batch of events.
            self.data.answers.index();
            self.data.answers_version += 1;
        }
        if reread {
            live.reload_at = Some(std::time::Instant::now() + LIVE_RELOAD_AFTER);
            if let Some((_, stale)) = &mut live.reloading {
                *stale = true;
            }
        }
        if live.reload_at.is_some_and(|at| std::time::Instant::now() >= at) && live.reloading.is_none() {
            live.reload_at = None;
            let (send, receive) = std::sync::mpsc::channel();
            let (path, catalogue) = (self.store.path().to_owned(), self.data.catalogue.clone());
            std::thread::spawn(move || {
                let read =
                    Store::open(&path).and_then(|store| store.load_answers(&catalogue)).map_err(|e| e.to_string());
                let _ = send.send(read);
            });
            live.reloading = Some((receive, false));
        }
        let done = match &live.reloading {
            Some((receive, stale)) => match receive.try_recv() {
                Ok(read) => Some((read, *stale)),
                Err(std::sync::mpsc::TryRecvError::Empty) => None,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => Some((Err("the read stopped".to_owned()), true)),
            },
            None => None,
        };
        if let Some((read, stale)) = done {
            live.reloading = None;
            let round = live.round.round().to_owned();
            if let Ok(set) = read {
                self.data.answers = set;
                self.data.answers_version += 1;
                // A phone that answered while the read ran is in the tally but maybe not in what was read: the
                // tally stays, and the next read (already planned) catches up.
                if !stale && let Some(live) = &mut self.data.live {
                    live.tally = atlas_live::tally::LiveTally::from_set(&self.data.answers, &self.data.atlas, &round);
                }
            }
            return false;
        }
        live.reload_at.is_some() || live.reloading.is_some()
    }

    // ── self-assessments (through the desk: undo) ───────────────────────────────────────────────

    /// Runs a desk write; errors are one line starting "Self-assessment:" and change nothing.
    pub fn assess_write<T>(
        &mut self,
        write: impl FnOnce(&mut AssessmentDesk, &Store, &Atlas, &AnswerSet) -> Result<T, StoreError>,
    ) -> Result<T, String> {
        write(&mut self.data.assess, &self.store, &self.data.atlas, &self.data.answers)
            .map_err(|e| format!("Self-assessment: {e}"))
    }

    /// A new assessment of `city` on `date`; returns its uuid. The assessor becomes the author if none is set.
    pub fn new_assessment(
        &mut self,
        city: &str,
        country: Option<&str>,
        date: &str,
        assessor: &str,
    ) -> Result<String, String> {
        if assessor.trim().is_empty() {
            return Err("Self-assessment: who assesses? Type a name.".to_owned());
        }
        if self.data.workspace.author.is_none() {
            self.set_author(assessor)?;
        }
        let name = atlas_analysis::assessment::city_name(&self.data.atlas, city);
        let mut a = Assessment::new(&name, country, date, assessor);
        a.region = atlas_analysis::assessment::case_study_city(&self.data.atlas, city).map(|c| c.region_code.clone());
        let uuid = a.uuid.clone();
        self.assess_write(|d, s, _, _| d.save_assessment(s, a))?;
        Ok(uuid)
    }

    /// Adopts a round participant's answers; returns the new assessment's uuid.
    pub fn adopt_round(&mut self, round: &str, respondent: &str, assessor: &str) -> Result<String, String> {
        self.assess_write(|d, s, atlas, set| d.adopt_round(s, atlas, set, round, respondent, assessor))?
            .ok_or_else(|| "Self-assessment: that participant scored nothing to adopt.".to_owned())
    }

    pub fn undo_assessment(&mut self) -> Result<bool, String> {
        self.assess_write(|d, s, _, _| d.undo(s))
    }

    pub fn redo_assessment(&mut self) -> Result<bool, String> {
        self.assess_write(|d, s, _, _| d.redo(s))
    }
}

/// One answer in a live round, as the Workshop view enters it.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundAnswer {
    pub round: String,
    pub respondent: String,
    pub city: Option<String>,
    pub country: Option<String>,
    pub question: String,
    pub value: Option<f64>,
}
