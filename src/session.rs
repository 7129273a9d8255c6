//! The open database: what was loaded from it (atlas with the authors' own records among the evidence, notes and
//! codes, survey answers, stories) and every write to it. The window and the command line both work through a
//! [`Session`]; views read it, and only the window's shell calls its write methods (in answer to a view's command).
//! No egui here.

use std::collections::HashSet;
use std::path::Path;

use crate::analysis::checklist::{Matrix, matrix};
use crate::annotate::{Workspace, user_evidence};
use crate::answers::{ImportPlan, QuestionDef};
use crate::model::{AnswerSet, Atlas};
use crate::store::answers::ImportOutcome;
use crate::store::{Counts, OpenOutcome, Store, StoreError};

pub use crate::store::assessments::{
    ACTION_STATUSES, Action, Assessment, CityIndicator, DIRECTIONS, EVIDENCE_KINDS, EvidenceLink, IndicatorValue,
    is_date,
};
pub use crate::store::notes::{Code, Note, STATUSES, UserRecord};
pub use crate::store::stories::{Slide, Story};

use crate::annotate::assessments::AssessmentDesk;

/// What to load besides the atlas: the window wants everything; most commands only the evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    /// Atlas, own records, notes and codes.
    Evidence,
    /// Also survey answers and stories.
    All,
}

/// An open database and what was loaded from it.
pub struct Session {
    pub store: Store,
    pub atlas: Atlas,
    pub counts: Counts,
    /// (city id, city name) in display order, for charts.
    pub city_names: Vec<(String, String)>,
    /// The checklist matrix, recomputed when the evidence changes.
    pub matrix: Matrix,
    /// The authors' notes, codes and own records.
    pub workspace: Workspace,
    /// How many of `atlas.evidence` are shipped (the rest are own records).
    shipped: usize,
    records_seen: u64,
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
}

static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

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
        let catalogue = crate::answers::catalogue(&atlas);
        let (answers, stories) = match what {
            Load::All => (store.load_answers(&catalogue)?, store.stories()?),
            Load::Evidence => (AnswerSet::default(), Vec::new()),
        };
        let assess = AssessmentDesk::load(&store)?;
        let mut session = Self {
            store,
            atlas,
            counts,
            city_names,
            matrix: Default::default(),
            workspace,
            shipped,
            records_seen: u64::MAX,
            answers,
            catalogue,
            answers_version: 1,
            stories,
            assess,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        };
        session.sync_records();
        Ok(session)
    }

    /// Puts the authors' own records among the evidence when they changed; true if they did.
    pub fn sync_records(&mut self) -> bool {
        if self.records_seen == self.workspace.records_version {
            return false;
        }
        self.records_seen = self.workspace.records_version;
        self.atlas.evidence.truncate(self.shipped);
        let own = user_evidence(&self.workspace.records, &self.atlas.cities);
        self.atlas.evidence.extend(own);
        self.matrix = matrix(&self.atlas.evidence, &self.atlas.cities);
        true
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }

    pub fn outcome_text(&self) -> String {
        match self.store.outcome() {
            OpenOutcome::Created => "created on this start".to_owned(),
            OpenOutcome::Opened => "opened".to_owned(),
            OpenOutcome::Refreshed { .. } => "opened; reference data refreshed from this version's dataset".to_owned(),
        }
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

    pub fn story(&self, key: &str) -> Option<&Story> {
        self.stories.iter().find(|s| s.uuid == key || s.title == key)
    }

    pub fn slide(&self, uuid: &str) -> Option<&Slide> {
        self.stories.iter().flat_map(|s| s.slides.iter()).find(|s| s.uuid == uuid)
    }

    // ── notes, codes, own records (through the workspace: undo, debounced typing) ─────────────

    pub fn set_author(&mut self, name: &str) -> Result<(), String> {
        self.workspace.set_author(&self.store, name).map_err(|e| e.to_string())
    }

    pub fn add_note(&mut self, kind: &str, id: Option<&str>) -> String {
        self.workspace.add_note(&self.store, kind, id)
    }

    pub fn edit_note_text(&mut self, uuid: &str, text: &str) {
        self.workspace.edit_text(uuid, text);
    }

    pub fn set_note_status(&mut self, uuid: &str, status: &str) {
        self.workspace.set_status(&self.store, uuid, status);
    }

    pub fn toggle_note_code(&mut self, uuid: &str, code: &str) {
        self.workspace.toggle_code(&self.store, uuid, code);
    }

    pub fn delete_note(&mut self, uuid: &str) {
        self.workspace.delete_note(&self.store, uuid);
    }

    pub fn add_code(&mut self, name: &str, parent: Option<&str>) -> Option<String> {
        self.workspace.add_code(&self.store, name, parent)
    }

    pub fn rename_code(&mut self, uuid: &str, name: &str) {
        self.workspace.rename_code(&self.store, uuid, name);
    }

    pub fn move_code(&mut self, uuid: &str, parent: Option<&str>) {
        self.workspace.move_code(&self.store, uuid, parent);
    }

    pub fn merge_codes(&mut self, from: &str, into: &str) {
        self.workspace.merge_codes(&self.store, from, into);
    }

    pub fn delete_code(&mut self, uuid: &str) {
        self.workspace.delete_code(&self.store, uuid);
    }

    pub fn save_record(&mut self, record: UserRecord) {
        self.workspace.save_record(&self.store, record);
    }

    pub fn delete_record(&mut self, uuid: &str) {
        self.workspace.delete_record(&self.store, uuid);
    }

    pub fn undo(&mut self) -> bool {
        self.workspace.undo(&self.store)
    }

    pub fn redo(&mut self) -> bool {
        self.workspace.redo(&self.store)
    }

    /// Writes typing that is due (or all of it); true while some is still waiting.
    pub fn flush(&mut self, all: bool) -> bool {
        self.workspace.flush(&self.store, all)
    }

    /// Merges a co-author's bundle; the line says what changed.
    pub fn import_bundle(&mut self, path: &Path) -> Result<String, String> {
        let summary = self.store.import_bundle_file(path).map_err(|e| e.to_string())?;
        self.workspace.reload(&self.store).map_err(|e| e.to_string())?;
        Ok(format!("Imported {}: {summary}", path.display()))
    }

    /// The bundle of this database's notes, codes and own records, as JSON.
    pub fn export_bundle_json(&mut self) -> Result<String, String> {
        self.flush(true);
        let author = self.workspace.author.clone().unwrap_or_default();
        let bundle = self.store.export_bundle(&author).map_err(|e| e.to_string())?;
        serde_json::to_string_pretty(&bundle).map_err(|e| e.to_string())
    }

    pub fn resolve_conflict(&mut self, id: i64, keep: &Note) -> Result<(), String> {
        self.store.resolve_conflict(id, keep).map_err(|e| e.to_string())?;
        self.workspace.reload(&self.store).map_err(|e| e.to_string())
    }

    /// An online backup to `path` (pending typing is written first).
    pub fn save_copy(&mut self, path: &Path) -> Result<(), String> {
        self.flush(true);
        self.store.save_copy(path).map_err(|e| e.to_string())
    }

    // ── stories ─────────────────────────────────────────────────────────────────────────────────

    /// Runs a story write, then reloads the stories.
    fn stories_write<T>(&mut self, write: impl FnOnce(&Store) -> Result<T, StoreError>) -> Result<T, String> {
        let value = write(&self.store).map_err(|e| e.to_string())?;
        self.stories = self.store.stories().map_err(|e| e.to_string())?;
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
        self.answers = self.store.load_answers(&self.catalogue).map_err(|e| e.to_string())?;
        self.answers_version += 1;
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
        self.round_write(|s| s.delete_respondent(round, respondent))
    }

    // ── self-assessments (through the desk: undo) ───────────────────────────────────────────────

    /// Runs a desk write; errors are one line starting "Self-assessment:" and change nothing.
    pub fn assess_write<T>(
        &mut self,
        write: impl FnOnce(&mut AssessmentDesk, &Store, &Atlas, &AnswerSet) -> Result<T, StoreError>,
    ) -> Result<T, String> {
        write(&mut self.assess, &self.store, &self.atlas, &self.answers).map_err(|e| format!("Self-assessment: {e}"))
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
        if self.workspace.author.is_none() {
            self.set_author(assessor)?;
        }
        let name = crate::analysis::assessment::city_name(&self.atlas, city);
        let mut a = Assessment::new(&name, country, date, assessor);
        a.region = crate::analysis::assessment::case_study_city(&self.atlas, city).map(|c| c.region_code.clone());
        let uuid = a.uuid.clone();
        self.assess_write(|d, s, _, _| d.save_assessment(s, a))?;
        Ok(uuid)
    }

    /// Adopts a round participant's answers; returns the new assessment's uuid.
    pub fn adopt_round(&mut self, round: &str, respondent: &str, assessor: &str) -> Result<String, String> {
        self.assess_write(|d, s, atlas, set| d.adopt_round(s, atlas, set, round, respondent, assessor))?
            .ok_or_else(|| "Self-assessment: that participant scored nothing to adopt.".to_owned())
    }

    /// Everything shown and exported about one assessment, as of `today` (`YYYY-MM-DD`); pure, no query.
    pub fn assessment_report(&self, uuid: &str, today: &str) -> Option<crate::analysis::assessment::Report> {
        crate::analysis::assessment::report(
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
