//! The authors' workspace: notes, codes and own records in memory, every change written to the store within a
//! second (typing is debounced; everything else is written at once), with undo and redo. No egui here.

pub mod assessments;
pub use atlas_core::records::codable as codings;
pub mod export;

use std::collections::HashMap;
use std::time::{Duration, Instant};

pub use atlas_core::records::record_form::{RecordDraft, validate_record};
pub use atlas_core::records::{is_rgb, user_evidence};

use atlas_core::records::codings::{Coding, char_slice, text_hash};
use atlas_core::records::notes::{Code, Note, NoteStatus, TargetKind, UserRecord, new_uuid, now};
use atlas_store::{Store, StoreError};

/// How long typing may sit unsaved.
pub const SAVE_DELAY: Duration = Duration::from_millis(500);

/// One undoable step: what changed, before and after.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant, reason = "an undo step; the history holds a few hundred at most")]
enum Item {
    Note(Option<Note>, Option<Note>),
    Code(Option<Code>, Option<Code>),
    Record(Option<UserRecord>, Option<UserRecord>),
    Coding(Option<Coding>, Option<Coding>),
}

#[derive(Debug, Clone)]
struct Change {
    items: Vec<Item>,
    /// Typing into one note coalesces into one step.
    typing: Option<(String, Instant)>,
}

/// Notes, codes and own records, loaded once and kept in step with the store.
#[derive(Default)]
pub struct Workspace {
    pub notes: Vec<Note>,
    pub codes: Vec<Code>,
    pub records: Vec<UserRecord>,
    /// Text codings, tombstones included.
    pub codings: Vec<Coding>,
    pub author: Option<String>,
    undo: Vec<Change>,
    redo: Vec<Change>,
    /// Notes typed into but not yet written, with the time of the last keystroke.
    pending: HashMap<String, Instant>,
    /// Bumped on every change, so views can cache what they derive.
    pub version: u64,
    /// The last write error, shown to the user; the edit stays in memory and is retried.
    pub write_error: Option<String>,
    counts: HashMap<(TargetKind, String), usize>,
    /// Live codings per code uuid.
    coding_counts: HashMap<String, usize>,
    /// Co-authors' versions waiting to be resolved.
    pub conflicts: Vec<atlas_store::bundle::Conflict>,
    /// Bumped when own records change (the explorer then rebuilds its rows).
    pub records_version: u64,
    /// Changes the store refused (disk full, read-only file): kept here and written again by [`Self::flush`].
    retry: Vec<Item>,
}

impl atlas_core::records::NotesRead for Workspace {
    fn notes_on<'a>(&'a self, kind: TargetKind, id: &'a str) -> Box<dyn Iterator<Item = &'a Note> + 'a> {
        Box::new(Workspace::notes_on(self, kind, id))
    }
    fn code_path(&self, uuid: &str) -> String {
        Workspace::code_path(self, uuid)
    }
    fn note_count(&self, kind: TargetKind, id: &str) -> usize {
        Workspace::note_count(self, kind, id)
    }
}

impl Workspace {
    pub fn load(store: &Store) -> Result<Self, StoreError> {
        let mut ws = Self {
            notes: store.notes()?,
            codes: store.codes()?,
            records: store.user_records()?,
            codings: store.codings()?,
            author: store.setting("author")?,
            conflicts: store.conflicts()?,
            ..Self::default()
        };
        ws.recount();
        Ok(ws)
    }

    fn recount(&mut self) {
        self.version += 1;
        self.records_version = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            for r in &self.records {
                (&r.uuid, &r.updated_at, r.deleted_at.is_some()).hash(&mut h);
            }
            h.finish()
        };
        self.counts.clear();
        self.coding_counts.clear();
        for c in self.codings.iter().filter(|c| c.deleted_at.is_none()) {
            *self.coding_counts.entry(c.code.clone()).or_default() += 1;
        }
        for n in self.notes.iter().filter(|n| n.deleted_at.is_none()) {
            if let Some(id) = &n.target_id {
                *self.counts.entry((n.target_kind, id.clone())).or_default() += 1;
            }
        }
    }

    /// Live notes on one record.
    pub fn note_count(&self, kind: TargetKind, id: &str) -> usize {
        self.counts.get(&(kind, id.to_owned())).copied().unwrap_or(0)
    }

    pub fn notes_on<'a>(&'a self, kind: TargetKind, id: &'a str) -> impl Iterator<Item = &'a Note> + 'a {
        self.notes
            .iter()
            .filter(move |n| n.deleted_at.is_none() && n.target_kind == kind && n.target_id.as_deref() == Some(id))
    }

    pub fn live_codes(&self) -> impl Iterator<Item = &Code> {
        self.codes.iter().filter(|c| c.deleted_at.is_none())
    }

    /// "housing > quotas".
    pub fn code_path(&self, uuid: &str) -> String {
        let mut parts = Vec::new();
        let mut current = self.codes.iter().find(|c| c.uuid == uuid);
        let mut guard = 0;
        while let Some(c) = current {
            parts.push(c.name.clone());
            current = c.parent.as_deref().and_then(|p| self.codes.iter().find(|x| x.uuid == p));
            guard += 1;
            if guard > 32 {
                break;
            }
        }
        parts.reverse();
        parts.join(" > ")
    }

    pub fn set_author(&mut self, store: &Store, name: &str) -> Result<(), StoreError> {
        store.set_setting("author", name.trim())?;
        self.author = Some(name.trim().to_owned());
        Ok(())
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    fn write(&mut self, store: &Store, items: &[Item]) {
        let mut result = Ok(());
        for item in items {
            let r = write_item(store, item);
            if r.is_err() {
                // Keep only the newest unsaved state of each thing.
                self.retry.retain(|old| item_key(old) != item_key(item));
                self.retry.push(item.clone());
                result = r;
            }
        }
        match result {
            Ok(()) if self.retry.is_empty() => self.write_error = None,
            Ok(()) => {}
            Err(e) => self.write_error = Some(format!("Not saved yet (kept in memory, will retry): {e}")),
        }
    }

    /// Tries again to write what the store refused earlier; true while something is still unsaved.
    fn retry_failed(&mut self, store: &Store) -> bool {
        if self.retry.is_empty() {
            return false;
        }
        let items = std::mem::take(&mut self.retry);
        self.write(store, &items);
        !self.retry.is_empty()
    }

    /// Whether anything is still waiting to be written (typing, or changes the store refused).
    pub fn unsaved(&self) -> bool {
        !self.pending.is_empty() || !self.retry.is_empty()
    }

    /// Puts the "after" side of a change into memory (a missing "after" is a deletion).
    fn put(&mut self, item: &Item) {
        match item {
            Item::Note(b, a) => place(&mut self.notes, b, a),
            Item::Code(b, a) => place(&mut self.codes, b, a),
            Item::Record(b, a) => place(&mut self.records, b, a),
            Item::Coding(b, a) => place(&mut self.codings, b, a),
        }
    }

    /// Applies a change in memory and in the store, and records it for undo.
    fn commit(&mut self, store: &Store, items: Vec<Item>) {
        for item in &items {
            self.put(item);
        }
        self.write(store, &items);
        self.undo.push(Change { items, typing: None });
        self.redo.clear();
        self.recount();
    }

    pub fn undo(&mut self, store: &Store) -> bool {
        self.flush(store, true);
        let Some(change) = self.undo.pop() else { return false };
        let reverted: Vec<Item> = change
            .items
            .iter()
            .map(|i| match i {
                Item::Note(b, a) => Item::Note(a.clone(), stamped(b.clone())),
                Item::Code(b, a) => Item::Code(a.clone(), stamped(b.clone())),
                Item::Record(b, a) => Item::Record(a.clone(), stamped(b.clone())),
                Item::Coding(b, a) => Item::Coding(a.clone(), stamped(b.clone())),
            })
            .collect();
        for item in &reverted {
            self.put(item);
        }
        self.write(store, &reverted);
        self.redo.push(change);
        self.recount();
        true
    }

    pub fn redo(&mut self, store: &Store) -> bool {
        let Some(change) = self.redo.pop() else { return false };
        let again: Vec<Item> = change
            .items
            .iter()
            .map(|i| match i {
                Item::Note(b, a) => Item::Note(b.clone(), stamped(a.clone())),
                Item::Code(b, a) => Item::Code(b.clone(), stamped(a.clone())),
                Item::Record(b, a) => Item::Record(b.clone(), stamped(a.clone())),
                Item::Coding(b, a) => Item::Coding(b.clone(), stamped(a.clone())),
            })
            .collect();
        for item in &again {
            self.put(item);
        }
        self.write(store, &again);
        self.undo.push(change);
        self.recount();
        true
    }

    // ── notes ───────────────────────────────────────────────────────────────────────────────────

    /// A new note on a record (or a memo when `target_kind` is "memo"); returns its uuid.
    pub fn add_note(&mut self, store: &Store, target_kind: TargetKind, target_id: Option<&str>) -> String {
        let t = now();
        let note = Note {
            uuid: new_uuid(),
            target_kind,
            target_id: target_id.map(str::to_owned),
            text: String::new(),
            author: self.author.clone().unwrap_or_else(|| "unknown".to_owned()),
            status: NoteStatus::Draft,
            created_at: t.clone(),
            updated_at: t,
            deleted_at: None,
            codes: Vec::new(),
            base: None,
        };
        let uuid = note.uuid.clone();
        self.commit(store, vec![Item::Note(None, Some(note))]);
        uuid
    }

    fn note(&self, uuid: &str) -> Option<&Note> {
        self.notes.iter().find(|n| n.uuid == uuid)
    }

    /// Typing: changes the text in memory at once and writes it within [`SAVE_DELAY`] (see [`Self::flush`]).
    /// Consecutive typing into one note is one undo step.
    pub fn edit_text(&mut self, uuid: &str, text: &str) {
        let Some(i) = self.notes.iter().position(|n| n.uuid == uuid) else { return };
        if self.notes[i].text == text {
            return;
        }
        let before = self.notes[i].clone();
        self.notes[i].text = text.to_owned();
        self.notes[i].updated_at = now();
        let after = self.notes[i].clone();
        let now_i = Instant::now();
        match self.undo.last_mut() {
            Some(Change { typing: Some((u, at)), items })
                if u == uuid && now_i.duration_since(*at) < Duration::from_secs(3) =>
            {
                if let Some(Item::Note(_, a)) = items.first_mut() {
                    *a = Some(after);
                }
                *at = now_i;
            }
            _ => {
                self.undo.push(Change {
                    items: vec![Item::Note(Some(before), Some(after))],
                    typing: Some((uuid.to_owned(), now_i)),
                });
                self.redo.clear();
            }
        }
        self.pending.insert(uuid.to_owned(), now_i);
        self.version += 1;
    }

    /// Writes typed notes whose last keystroke is older than [`SAVE_DELAY`] (all of them when `all`).
    /// Returns true while something is still waiting.
    pub fn flush(&mut self, store: &Store, all: bool) -> bool {
        self.retry_failed(store);
        let due: Vec<String> =
            self.pending.iter().filter(|(_, at)| all || at.elapsed() >= SAVE_DELAY).map(|(u, _)| u.clone()).collect();
        for uuid in due {
            if let Some(note) = self.note(&uuid).cloned() {
                match store.save_note(&note) {
                    Ok(()) => {
                        self.pending.remove(&uuid);
                        self.write_error = None;
                    }
                    Err(e) => self.write_error = Some(format!("Not saved yet (kept in memory, will retry): {e}")),
                }
            } else {
                self.pending.remove(&uuid);
            }
        }
        self.unsaved()
    }

    fn update_note(&mut self, store: &Store, uuid: &str, f: impl FnOnce(&mut Note)) {
        self.flush(store, true);
        let Some(before) = self.note(uuid).cloned() else { return };
        let mut after = before.clone();
        f(&mut after);
        if after == before {
            return;
        }
        after.updated_at = now();
        self.commit(store, vec![Item::Note(Some(before), Some(after))]);
    }

    pub fn set_status(&mut self, store: &Store, uuid: &str, status: NoteStatus) {
        self.update_note(store, uuid, |n| n.status = status);
    }

    pub fn toggle_code(&mut self, store: &Store, uuid: &str, code: &str) {
        self.update_note(store, uuid, |n| {
            if let Some(i) = n.codes.iter().position(|c| c == code) {
                n.codes.remove(i);
            } else {
                n.codes.push(code.to_owned());
            }
        });
    }

    pub fn delete_note(&mut self, store: &Store, uuid: &str) {
        self.update_note(store, uuid, |n| n.deleted_at = Some(now()));
    }

    // ── codes ───────────────────────────────────────────────────────────────────────────────────

    pub fn add_code(&mut self, store: &Store, name: &str, parent: Option<&str>) -> Option<String> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        let t = now();
        let code = Code {
            uuid: new_uuid(),
            name: name.to_owned(),
            parent: parent.map(str::to_owned),
            created_at: t.clone(),
            updated_at: t,
            deleted_at: None,
            color: None,
            description: None,
        };
        let uuid = code.uuid.clone();
        self.commit(store, vec![Item::Code(None, Some(code))]);
        Some(uuid)
    }

    /// A code typed as a path ("funding > donors") under `parent`: each level is found among the live codes under
    /// its parent (same name, ignoring case) or made, all in one undoable step. Returns the last level's uuid.
    pub fn add_code_path(&mut self, store: &Store, path: &str, parent: Option<&str>) -> Option<String> {
        let parts: Vec<&str> = path.split('>').map(str::trim).filter(|p| !p.is_empty()).collect();
        if parts.is_empty() {
            return None;
        }
        let mut parent = parent.map(str::to_owned);
        let mut made: Vec<Code> = Vec::new();
        for name in parts {
            let folded = name.to_lowercase();
            let existing = self
                .codes
                .iter()
                .chain(made.iter())
                .find(|c| c.deleted_at.is_none() && c.parent == parent && c.name.to_lowercase() == folded)
                .map(|c| c.uuid.clone());
            let uuid = match existing {
                Some(uuid) => uuid,
                None => {
                    let t = now();
                    let code = Code {
                        uuid: new_uuid(),
                        name: name.to_owned(),
                        parent: parent.clone(),
                        created_at: t.clone(),
                        updated_at: t,
                        deleted_at: None,
                        color: None,
                        description: None,
                    };
                    let uuid = code.uuid.clone();
                    made.push(code);
                    uuid
                }
            };
            parent = Some(uuid);
        }
        if !made.is_empty() {
            self.commit(store, made.into_iter().map(|c| Item::Code(None, Some(c))).collect());
        }
        parent
    }

    fn update_code(&mut self, store: &Store, uuid: &str, f: impl FnOnce(&mut Code)) {
        let Some(before) = self.codes.iter().find(|c| c.uuid == uuid).cloned() else { return };
        let mut after = before.clone();
        f(&mut after);
        after.updated_at = now();
        self.commit(store, vec![Item::Code(Some(before), Some(after))]);
    }

    pub fn rename_code(&mut self, store: &Store, uuid: &str, name: &str) {
        if !name.trim().is_empty() {
            self.update_code(store, uuid, |c| c.name = name.trim().to_owned());
        }
    }

    /// Moves a code under another (or to the top with `None`); refuses to move a code under itself.
    pub fn move_code(&mut self, store: &Store, uuid: &str, parent: Option<&str>) {
        if let Some(p) = parent {
            let mut cursor = Some(p.to_owned());
            while let Some(c) = cursor {
                if c == uuid {
                    return;
                }
                cursor = self.codes.iter().find(|x| x.uuid == c).and_then(|x| x.parent.clone());
            }
        }
        self.update_code(store, uuid, |c| c.parent = parent.map(str::to_owned));
    }

    /// Merges `from` into `into`: notes and coded passages follow; `from` is deleted; its children move to `into`.
    pub fn merge_codes(&mut self, store: &Store, from: &str, into: &str) {
        if from == into {
            return;
        }
        self.flush(store, true);
        let t = now();
        let mut items = Vec::new();
        for n in self.notes.iter().filter(|n| n.codes.iter().any(|c| c == from)) {
            let mut after = n.clone();
            after.codes.retain(|c| c != from);
            if !after.codes.iter().any(|c| c == into) {
                after.codes.push(into.to_owned());
            }
            after.updated_at = t.clone();
            items.push(Item::Note(Some(n.clone()), Some(after)));
        }
        for c in self.codings.iter().filter(|c| c.deleted_at.is_none() && c.code == from) {
            let mut after = c.clone();
            after.code = into.to_owned();
            after.updated_at = t.clone();
            items.push(Item::Coding(Some(c.clone()), Some(after)));
        }
        for c in self.codes.iter().filter(|c| c.parent.as_deref() == Some(from)) {
            let mut after = c.clone();
            after.parent = Some(into.to_owned());
            after.updated_at = t.clone();
            items.push(Item::Code(Some(c.clone()), Some(after)));
        }
        if let Some(c) = self.codes.iter().find(|c| c.uuid == from) {
            let mut after = c.clone();
            after.deleted_at = Some(t.clone());
            after.updated_at = t.clone();
            items.push(Item::Code(Some(c.clone()), Some(after)));
        }
        self.commit(store, items);
    }

    /// Deletes a code: notes keep their other codes, its coded passages go; its children move up.
    pub fn delete_code(&mut self, store: &Store, uuid: &str) {
        self.flush(store, true);
        let t = now();
        let parent = self.codes.iter().find(|c| c.uuid == uuid).and_then(|c| c.parent.clone());
        let mut items = Vec::new();
        for n in self.notes.iter().filter(|n| n.codes.iter().any(|c| c == uuid)) {
            let mut after = n.clone();
            after.codes.retain(|c| c != uuid);
            after.updated_at = t.clone();
            items.push(Item::Note(Some(n.clone()), Some(after)));
        }
        for c in self.codings.iter().filter(|c| c.deleted_at.is_none() && c.code == uuid) {
            let mut after = c.clone();
            after.deleted_at = Some(t.clone());
            after.updated_at = t.clone();
            items.push(Item::Coding(Some(c.clone()), Some(after)));
        }
        for c in self.codes.iter().filter(|c| c.parent.as_deref() == Some(uuid)) {
            let mut after = c.clone();
            after.parent = parent.clone();
            after.updated_at = t.clone();
            items.push(Item::Code(Some(c.clone()), Some(after)));
        }
        if let Some(c) = self.codes.iter().find(|c| c.uuid == uuid) {
            let mut after = c.clone();
            after.deleted_at = Some(t.clone());
            after.updated_at = t;
            items.push(Item::Code(Some(c.clone()), Some(after)));
        }
        self.commit(store, items);
    }

    /// Sets (`#rrggbb` or `#rgb`) or clears (`None`) a code's colour; anything else is ignored.
    pub fn set_code_color(&mut self, store: &Store, uuid: &str, color: Option<&str>) {
        let color = match color.map(str::trim) {
            Some(c) if is_rgb(c) => Some(c.to_ascii_lowercase()),
            Some(_) => return,
            None => None,
        };
        self.update_code(store, uuid, |c| c.color = color);
    }

    pub fn set_code_description(&mut self, store: &Store, uuid: &str, description: &str) {
        let d = description.trim();
        self.update_code(store, uuid, |c| c.description = (!d.is_empty()).then(|| d.to_owned()));
    }

    /// Inserts the ready codebook (the seven gap types, the four checklist blocks and twelve objectives) as one
    /// undo step; codes already present (by their stable uuid, deleted ones included) are left alone. Returns how
    /// many codes were added (0 the second time).
    pub fn insert_oecd_codebook(&mut self, store: &Store, atlas: &atlas_core::model::Atlas) -> usize {
        let items: Vec<Item> = codings::oecd_codebook(atlas, &now())
            .into_iter()
            .filter(|c| !self.codes.iter().any(|x| x.uuid == c.uuid))
            .map(|c| Item::Code(None, Some(c)))
            .collect();
        let n = items.len();
        if n > 0 {
            self.commit(store, items);
        }
        n
    }

    // ── text codings ────────────────────────────────────────────────────────────────────────────

    /// Live codings on one text, in text order.
    pub fn codings_on(&self, kind: TargetKind, id: &str) -> Vec<&Coding> {
        let mut out: Vec<&Coding> = self
            .codings
            .iter()
            .filter(|c| c.deleted_at.is_none() && c.target_kind == kind && c.target_id == id)
            .collect();
        out.sort_by_key(|c| (c.start, c.end));
        out
    }

    /// Live coded passages of one code.
    pub fn coding_count(&self, code: &str) -> usize {
        self.coding_counts.get(code).copied().unwrap_or(0)
    }

    /// The code and every code below it.
    pub fn code_subtree(&self, code: &str) -> Vec<String> {
        let mut out = vec![code.to_owned()];
        let mut i = 0;
        while i < out.len() {
            let parent = out[i].clone();
            for c in self.codes.iter().filter(|c| c.deleted_at.is_none() && c.parent.as_deref() == Some(&parent)) {
                if !out.contains(&c.uuid) {
                    out.push(c.uuid.clone());
                }
            }
            i += 1;
        }
        out
    }

    /// Live coded passages of a code and of every code below it (the count the code tree shows beside a parent).
    pub fn coding_count_with_children(&self, code: &str) -> usize {
        self.code_subtree(code).iter().map(|c| self.coding_count(c)).sum()
    }

    /// The coded excerpts of a code (with `with_children`, of its subtree too), by record then position: the
    /// "coded excerpts per code" report.
    pub fn excerpts(&self, code: &str, with_children: bool) -> Vec<&Coding> {
        let wanted = if with_children { self.code_subtree(code) } else { vec![code.to_owned()] };
        let mut out: Vec<&Coding> =
            self.codings.iter().filter(|c| c.deleted_at.is_none() && wanted.contains(&c.code)).collect();
        out.sort_by(|a, b| {
            (&a.target_kind, &a.target_id, a.start, a.end, &a.author).cmp(&(
                &b.target_kind,
                &b.target_id,
                b.start,
                b.end,
                &b.author,
            ))
        });
        out
    }

    /// Applies `codes` to the passage `[start, end)` (characters) of `text`, the current text of the record
    /// `target_kind`/`target_id`, as one undo step. A code this author already applied to exactly this passage
    /// is not applied twice. Returns the new codings' uuids (empty when the range does not fit the text).
    #[allow(clippy::too_many_arguments)]
    pub fn apply_codes(
        &mut self,
        store: &Store,
        codes: &[&str],
        target_kind: TargetKind,
        target_id: &str,
        text: &str,
        start: i64,
        end: i64,
    ) -> Vec<String> {
        let Some(excerpt) = char_slice(text, start, end) else { return Vec::new() };
        let author = self.author.clone().unwrap_or_else(|| "unknown".to_owned());
        let hash = text_hash(text);
        let t = now();
        let mut items = Vec::new();
        let mut uuids = Vec::new();
        for code in codes {
            let known = self.codes.iter().any(|c| c.uuid == *code && c.deleted_at.is_none());
            let already = self.codings.iter().any(|c| {
                c.deleted_at.is_none()
                    && c.code == *code
                    && c.author == author
                    && c.target_kind == target_kind
                    && c.target_id == target_id
                    && (c.start, c.end) == (start, end)
            });
            if !known || already {
                continue;
            }
            let coding = Coding {
                uuid: new_uuid(),
                code: (*code).to_owned(),
                target_kind,
                target_id: target_id.to_owned(),
                start,
                end,
                text_hash: hash.clone(),
                excerpt: excerpt.clone(),
                author: author.clone(),
                created_at: t.clone(),
                updated_at: t.clone(),
                deleted_at: None,
                resolved_at: None,
            };
            uuids.push(coding.uuid.clone());
            items.push(Item::Coding(None, Some(coding)));
        }
        if !items.is_empty() {
            self.commit(store, items);
        }
        uuids
    }

    /// Live codings whose record's text is no longer the version they were made on, with where they fit now
    /// (`Anchor::Unchanged`, `Moved`, `NeedsReview` or `Missing`): the list a dataset refresh or an edited note
    /// leaves for review. `Moved` can be accepted with [`Self::reanchor_coding`].
    pub fn codings_to_review(
        &self,
        atlas: &atlas_core::model::Atlas,
    ) -> Vec<(&Coding, atlas_core::records::codings::Anchor)> {
        use atlas_core::records::codings::{Anchor, anchor};
        let mut texts: HashMap<(TargetKind, &str), Option<String>> = HashMap::new();
        self.codings
            .iter()
            .filter(|c| c.deleted_at.is_none())
            .filter_map(|c| {
                let text = texts.entry((c.target_kind, c.target_id.as_str())).or_insert_with(|| {
                    codings::text_of(atlas, &self.records, &self.notes, c.target_kind, &c.target_id)
                });
                match anchor(c, text.as_deref()) {
                    Anchor::Current => None,
                    other => Some((c, other)),
                }
            })
            .collect()
    }

    /// Removes coded passages (tombstones) as one undo step.
    pub fn remove_codings(&mut self, store: &Store, uuids: &[String]) {
        self.update_codings(store, uuids, |c, t| c.deleted_at = Some(t.to_owned()));
    }

    /// Changes the live codings among `uuids` with `change` (given the time), as one undo step.
    fn update_codings(&mut self, store: &Store, uuids: &[String], change: impl Fn(&mut Coding, &str)) {
        let t = now();
        let items: Vec<Item> = self
            .codings
            .iter()
            .filter(|c| c.deleted_at.is_none() && uuids.contains(&c.uuid))
            .map(|c| {
                let mut after = c.clone();
                change(&mut after, &t);
                after.updated_at = t.clone();
                Item::Coding(Some(c.clone()), Some(after))
            })
            .collect();
        if !items.is_empty() {
            self.commit(store, items);
        }
    }

    /// Re-anchors a coding after its text changed: to `[start, end)` of `text` (the record's current text),
    /// e.g. the range `store::codings::anchor` found, or one the author selected. False when the range does not
    /// fit.
    pub fn reanchor_coding(&mut self, store: &Store, uuid: &str, text: &str, start: i64, end: i64) -> bool {
        let Some(excerpt) = char_slice(text, start, end) else { return false };
        let Some(before) = self.codings.iter().find(|c| c.uuid == uuid).cloned() else { return false };
        let mut after = before.clone();
        (after.start, after.end, after.excerpt, after.text_hash) = (start, end, excerpt, text_hash(text));
        after.updated_at = now();
        self.commit(store, vec![Item::Coding(Some(before), Some(after))]);
        true
    }

    /// Resolves a disagreement by keeping both sides: the codings stay and are marked resolved (one undo step).
    pub fn resolve_keep_both(&mut self, store: &Store, uuids: &[String]) {
        self.update_codings(store, uuids, |c, t| c.resolved_at = Some(t.to_owned()));
    }

    /// Resolves a disagreement by keeping one side: `keep` stay (marked resolved), `drop` go; one undo step.
    /// With `piece` (a passage-level disagreement over characters `[start, end)`), only that piece goes from each
    /// dropped coding: the parts of it before and after the piece stay coded (a coding around the piece becomes
    /// two), so the other coder's agreed text is not lost.
    pub fn resolve_keep_one(&mut self, store: &Store, keep: &[String], drop: &[String], piece: Option<(i64, i64)>) {
        let t = now();
        let mut items = Vec::new();
        for c in self.codings.iter().filter(|c| c.deleted_at.is_none()) {
            if drop.contains(&c.uuid) {
                items.extend(cut_piece(c, piece, &t));
            } else if keep.contains(&c.uuid) {
                let mut after = c.clone();
                after.resolved_at = Some(t.clone());
                after.updated_at = t.clone();
                items.push(Item::Coding(Some(c.clone()), Some(after)));
            }
        }
        if !items.is_empty() {
            self.commit(store, items);
        }
    }

    /// Resolves a disagreement by merging the coders' codes into a new code `name` (under `parent`): the listed
    /// codings move to it and are marked resolved; one undo step. Returns the new code's uuid.
    pub fn resolve_merge_into_new_code(
        &mut self,
        store: &Store,
        uuids: &[String],
        name: &str,
        parent: Option<&str>,
    ) -> Option<String> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        let t = now();
        let code = Code {
            uuid: new_uuid(),
            name: name.to_owned(),
            parent: parent.map(str::to_owned),
            created_at: t.clone(),
            updated_at: t.clone(),
            deleted_at: None,
            color: None,
            description: None,
        };
        let code_uuid = code.uuid.clone();
        let mut items = vec![Item::Code(None, Some(code))];
        for c in self.codings.iter().filter(|c| c.deleted_at.is_none() && uuids.contains(&c.uuid)) {
            let mut after = c.clone();
            after.code = code_uuid.clone();
            after.resolved_at = Some(t.clone());
            after.updated_at = t.clone();
            items.push(Item::Coding(Some(c.clone()), Some(after)));
        }
        self.commit(store, items);
        Some(code_uuid)
    }

    // ── own records ─────────────────────────────────────────────────────────────────────────────

    /// Saves a new or edited own record (already validated).
    pub fn save_record(&mut self, store: &Store, mut record: UserRecord) {
        let before = self.records.iter().find(|r| r.uuid == record.uuid).cloned();
        record.updated_at = now();
        if before.is_none() {
            record.created_at = record.updated_at.clone();
            if record.id.is_empty() {
                record.id = store
                    .next_user_record_id(record.kind)
                    .unwrap_or_else(|_| format!("U-{}", record.uuid.chars().take(8).collect::<String>()));
            }
        }
        self.commit(store, vec![Item::Record(before, Some(record))]);
    }

    pub fn delete_record(&mut self, store: &Store, uuid: &str) {
        let Some(before) = self.records.iter().find(|r| r.uuid == uuid).cloned() else { return };
        let mut after = before.clone();
        after.deleted_at = Some(now());
        after.updated_at = now();
        self.commit(store, vec![Item::Record(Some(before), Some(after))]);
    }

    /// Reloads everything from the store (after an import); undo history is cleared.
    pub fn reload(&mut self, store: &Store) -> Result<(), StoreError> {
        self.flush(store, true);
        let author = self.author.clone();
        let version = self.version;
        *self = Self::load(store)?;
        // Versions only grow, so caches keyed by them never see an old number again.
        self.version = version + 1;
        if self.author.is_none() {
            self.author = author;
        }
        Ok(())
    }
}

fn write_item(store: &Store, item: &Item) -> Result<(), StoreError> {
    match item {
        Item::Note(_, Some(n)) => store.save_note(n),
        Item::Note(Some(before), None) => {
            let mut gone = before.clone();
            gone.deleted_at = Some(now());
            store.save_note(&gone)
        }
        Item::Code(_, Some(c)) => store.save_code(c),
        // Undoing an addition: the store keeps a tombstone (so the removal can travel in bundles).
        Item::Code(Some(before), None) => {
            let mut gone = before.clone();
            gone.deleted_at = Some(now());
            store.save_code(&gone)
        }
        Item::Record(_, Some(r)) => store.save_user_record(r),
        Item::Coding(_, Some(c)) => store.save_coding(c),
        Item::Coding(Some(before), None) => {
            let mut gone = before.clone();
            gone.deleted_at = Some(now());
            store.save_coding(&gone)
        }
        _ => Ok(()),
    }
}

fn item_key(item: &Item) -> (u8, String) {
    match item {
        Item::Note(b, a) => (0, key_of(b, a)),
        Item::Code(b, a) => (1, key_of(b, a)),
        Item::Record(b, a) => (2, key_of(b, a)),
        Item::Coding(b, a) => (3, key_of(b, a)),
    }
}

/// What notes, codes and own records share: a UUID, a deletion tombstone and an update time.
trait Kept: Clone {
    fn uuid(&self) -> &str;
    fn bury(&mut self);
    fn touch(&mut self);
}

macro_rules! kept {
    ($t:ty) => {
        impl Kept for $t {
            fn uuid(&self) -> &str {
                &self.uuid
            }
            fn bury(&mut self) {
                self.deleted_at = Some(now());
            }
            fn touch(&mut self) {
                self.updated_at = now();
            }
        }
    };
}
kept!(Note);
kept!(Code);
kept!(UserRecord);
kept!(Coding);

fn key_of<T: Kept>(before: &Option<T>, after: &Option<T>) -> String {
    after.as_ref().or(before.as_ref()).map(|x| x.uuid().to_owned()).unwrap_or_default()
}

/// Replaces, adds or tombstones one thing in its list.
fn place<T: Kept>(list: &mut Vec<T>, before: &Option<T>, after: &Option<T>) {
    let uuid = key_of(before, after);
    match (list.iter().position(|x| x.uuid() == uuid), after) {
        (Some(i), Some(x)) => list[i] = x.clone(),
        (None, Some(x)) => list.push(x.clone()),
        (Some(i), None) => list[i].bury(),
        (None, None) => {}
    }
}

/// A copy stamped with the current time (undo and redo are edits too).
fn stamped<T: Kept>(x: Option<T>) -> Option<T> {
    x.map(|mut x| {
        x.touch();
        x
    })
}

/// The changes that take `piece` out of a coding (all of it without a piece, or when nothing is left): the part
/// before the piece keeps the coding's uuid, the part after it becomes a new coding of the same code by the same
/// author. Excerpts are cut from the coding's own excerpt, which holds exactly its range.
fn cut_piece(c: &Coding, piece: Option<(i64, i64)>, t: &str) -> Vec<Item> {
    let part = |start: i64, end: i64| -> Option<Coding> {
        let excerpt = char_slice(&c.excerpt, start - c.start, end - c.start)?;
        Some(Coding { start, end, excerpt, updated_at: t.to_owned(), ..c.clone() })
    };
    let (before, after) = match piece {
        Some((s, e)) if s < c.end && e > c.start => {
            let before = (s > c.start).then(|| part(c.start, s)).flatten();
            let after = (e < c.end).then(|| part(e, c.end)).flatten();
            (before, after)
        }
        // The piece is not in this coding: it stays as it is.
        Some(_) => return Vec::new(),
        None => (None, None),
    };
    let mut items = Vec::new();
    match (before, after) {
        (None, None) => {
            let mut gone = c.clone();
            gone.deleted_at = Some(t.to_owned());
            gone.updated_at = t.to_owned();
            items.push(Item::Coding(Some(c.clone()), Some(gone)));
        }
        (Some(first), second) => {
            items.push(Item::Coding(Some(c.clone()), Some(first)));
            if let Some(mut second) = second {
                second.uuid = new_uuid();
                second.created_at = t.to_owned();
                items.push(Item::Coding(None, Some(second)));
            }
        }
        (None, Some(rest)) => items.push(Item::Coding(Some(c.clone()), Some(rest))),
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coding(start: i64, end: i64, text: &str) -> Coding {
        Coding {
            uuid: "u1".into(),
            code: "funding".into(),
            target_kind: TargetKind::Challenge,
            target_id: "C-1".into(),
            start,
            end,
            text_hash: text_hash(text),
            excerpt: char_slice(text, start, end).expect("range"),
            author: "Ben".into(),
            created_at: "t0".into(),
            updated_at: "t0".into(),
            deleted_at: None,
            resolved_at: None,
        }
    }

    fn after(items: &[Item]) -> Vec<(i64, i64, String, bool)> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Coding(_, Some(c)) => Some((c.start, c.end, c.excerpt.clone(), c.deleted_at.is_some())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_piece_is_cut_out_of_a_coding_and_the_rest_stays_coded() {
        let text = "Städte und Länder teilen Geld";
        let c = coding(0, 17, text);
        // A piece inside: the coding becomes two, around it.
        let cut = cut_piece(&c, Some((6, 10)), "t1");
        assert_eq!(after(&cut), vec![(0, 6, "Städte".into(), false), (10, 17, " Länder".into(), false)]);
        assert!(matches!(&cut[1], Item::Coding(None, Some(n)) if n.uuid != "u1" && n.author == "Ben"));
        // At the end or the start: one part is left.
        assert_eq!(after(&cut_piece(&c, Some((6, 17)), "t1")), vec![(0, 6, "Städte".into(), false)]);
        assert_eq!(after(&cut_piece(&c, Some((0, 11)), "t1")), vec![(11, 17, "Länder".into(), false)]);
        // The whole coding, or no piece (record level): it goes.
        assert_eq!(after(&cut_piece(&c, Some((0, 17)), "t1")), vec![(0, 17, "Städte und Länder".into(), true)]);
        assert!(after(&cut_piece(&c, None, "t1"))[0].3);
        // A piece elsewhere leaves it alone.
        assert!(cut_piece(&c, Some((20, 25)), "t1").is_empty());
    }
}
