//! Reading REFI-QDA files made by this app or another tool, and planning their merge into the database.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use super::export::{all_codes_set_guid, code_set_guid, source_guid};
use super::skipped::{NAMED_IN_SUMMARY, Skip, Skips, listed, quoted, quoted_to};
use super::xml::{El, parse};
use super::{FileKind, MAX_ENTRIES, MAX_ENTRY_BYTES, MAX_TOTAL_BYTES, QdaError, RECORD_VARIABLE, file_kind};
use atlas_core::model::Atlas;
use atlas_core::records::codable::codable_texts;
use atlas_core::records::codings::{Coding, byte_to_char_range, char_len, char_slice, text_hash};
use atlas_core::records::is_rgb;
use atlas_core::records::notes::{Code, Note, TargetKind, UserRecord, now};

/// A file read and parsed, not yet compared with the database.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub path: String,
    pub kind: FileKind,
    pub root: El,
    /// Plain-text files of a `.qdpx`, by lower-case path inside the zip.
    pub files: HashMap<String, String>,
}

/// A text source of the file that is not one of this atlas' records (the window can offer it as an own record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignSource {
    pub guid: String,
    pub name: String,
    /// Its plain text, when the file carries it.
    pub text: Option<String>,
    /// Coded passages in it (not imported).
    pub codings: usize,
}

impl ForeignSource {
    /// A form for adding this source as an own record: its name as title and its text as description. The author
    /// still chooses the city, the kind and at least one source (an own record needs one) before saving.
    pub fn to_draft(&self) -> atlas_core::records::record_form::RecordDraft {
        let mut draft = atlas_core::records::record_form::RecordDraft::new(atlas_core::model::EvidenceKind::Challenge);
        draft.title = self.name.clone();
        draft.description = self.text.clone().unwrap_or_default();
        draft
    }
}

/// What an import would write, and what it matched and skipped.
#[derive(Debug, Clone, Default)]
pub struct ImportPlan {
    /// New codes, parents before children.
    pub codes: Vec<Code>,
    pub codings: Vec<Coding>,
    pub notes: Vec<Note>,
    pub codes_matched: usize,
    pub codings_matched: usize,
    pub notes_matched: usize,
    /// One line per kind of thing left out: how many, why, and the first few by name.
    pub skipped: Vec<String>,
    pub foreign_sources: Vec<ForeignSource>,
    /// What was left out, for the summary.
    skips: Skips,
}

/// The counts of an import, printed as one line that names the first few things skipped and the first few sources
/// not in this atlas.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub codes_added: usize,
    pub codes_matched: usize,
    pub codings_added: usize,
    pub codings_matched: usize,
    pub notes_added: usize,
    pub notes_matched: usize,
    /// How many things were left out (codes, coded passages, sets, sources…).
    pub skipped: usize,
    pub foreign_sources: usize,
    /// The first few things left out, each with what it is ("set “Gaps”").
    pub skipped_names: Vec<String>,
    /// The first few sources not in this atlas, by name in quotes.
    pub foreign_names: Vec<String>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let named = |names: &[String], total: usize| {
            if names.is_empty() { String::new() } else { format!(" ({})", listed(names, total)) }
        };
        write!(
            f,
            "codes: {} added, {} matched; coded passages: {} added, {} matched; notes: {} added, {} matched; \
             {} skipped{}; {} {} not in this atlas{}",
            self.codes_added,
            self.codes_matched,
            self.codings_added,
            self.codings_matched,
            self.notes_added,
            self.notes_matched,
            self.skipped,
            named(&self.skipped_names, self.skipped),
            self.foreign_sources,
            if self.foreign_sources == 1 { "source" } else { "sources" },
            named(&self.foreign_names, self.foreign_sources),
        )
    }
}

impl ImportPlan {
    pub fn summary(&self) -> Summary {
        Summary {
            codes_added: self.codes.len(),
            codes_matched: self.codes_matched,
            codings_added: self.codings.len(),
            codings_matched: self.codings_matched,
            notes_added: self.notes.len(),
            notes_matched: self.notes_matched,
            skipped: self.skips.total(),
            foreign_sources: self.foreign_sources.len(),
            skipped_names: self.skips.first().to_vec(),
            foreign_names: self.foreign_sources.iter().take(NAMED_IN_SUMMARY).map(|f| quoted(&f.name)).collect(),
        }
    }
}

/// A GUID as this app stores it (lower case, no braces), if it is one.
pub fn normalize_guid(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.strip_prefix('{').and_then(|x| x.strip_suffix('}')).unwrap_or(s);
    uuid::Uuid::parse_str(s).ok().filter(|_| s.len() == 36).map(|u| u.to_string())
}

fn read_capped(reader: impl Read, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    reader.take(limit + 1).read_to_end(&mut buf)?;
    Ok((buf.len() as u64 <= limit).then_some(buf))
}

fn utf8(bytes: Vec<u8>) -> Option<String> {
    let s = String::from_utf8(bytes).ok()?;
    Some(s.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(s))
}

/// Reads and parses a `.qdc` or `.qdpx` (bounded), refusing anything that is not one.
pub fn parse_file(path: &Path) -> Result<Parsed, QdaError> {
    let name = path.display().to_string();
    let kind = file_kind(path).ok_or_else(|| QdaError::Extension { path: name.clone() })?;
    let what = if kind == FileKind::Project { "project" } else { "codebook" };
    let malformed = |detail: String| QdaError::Malformed { path: name.clone(), what, detail };
    let read_err = |e: std::io::Error| QdaError::Read { path: name.clone(), detail: e.to_string() };
    let file = std::fs::File::open(path).map_err(read_err)?;
    if file.metadata().map_err(read_err)?.is_dir() {
        return Err(QdaError::Read { path: name.clone(), detail: "is a folder".to_owned() });
    }
    let mut files = HashMap::new();
    let xml = match kind {
        FileKind::Codebook => {
            let bytes = read_capped(file, MAX_ENTRY_BYTES)
                .map_err(read_err)?
                .ok_or_else(|| malformed(format!("larger than {} MB", MAX_ENTRY_BYTES >> 20)))?;
            utf8(bytes).ok_or_else(|| malformed("not UTF-8 text".to_owned()))?
        }
        FileKind::Project => {
            let mut zip = zip::ZipArchive::new(file).map_err(|e| malformed(format!("not a zip archive: {e}")))?;
            if zip.len() > MAX_ENTRIES {
                return Err(malformed(format!("more than {MAX_ENTRIES} files inside")));
            }
            let mut total = 0u64;
            let mut qde: Option<(String, String)> = None;
            for i in 0..zip.len() {
                let entry = zip.by_index(i).map_err(|e| malformed(format!("a damaged zip entry: {e}")))?;
                if entry.is_dir() {
                    continue;
                }
                let entry_name = entry.name().map_err(|e| malformed(format!("a bad entry name: {e}")))?.into_owned();
                let lower = entry_name.to_ascii_lowercase();
                let is_qde = !lower.contains('/') && lower.ends_with(".qde");
                let is_text = lower.starts_with("sources/") && lower.ends_with(".txt");
                if !is_qde && !is_text {
                    continue;
                }
                let limit = MAX_ENTRY_BYTES.min(MAX_TOTAL_BYTES - total);
                let bytes = read_capped(entry, limit)
                    .map_err(|e| malformed(format!("{entry_name} cannot be unpacked: {e}")))?
                    .ok_or_else(|| {
                        malformed(format!("{entry_name} unpacks to more than the {} MB allowed", limit >> 20))
                    })?;
                total += bytes.len() as u64;
                let text = utf8(bytes).ok_or_else(|| malformed(format!("{entry_name} is not UTF-8 text")))?;
                if is_qde {
                    if qde.as_ref().is_none_or(|(n, _)| n != "project.qde") {
                        qde = Some((lower, text));
                    }
                } else {
                    files.insert(lower, text);
                }
            }
            qde.ok_or_else(|| malformed("no project.qde inside".to_owned()))?.1
        }
    };
    let root = parse(&xml).map_err(malformed)?;
    let expected = if kind == FileKind::Project { "Project" } else { "CodeBook" };
    if root.name != expected {
        return Err(malformed(format!("the root element is <{}>, expected <{expected}>", root.name)));
    }
    if let Some(ns) = root.attr("xmlns").filter(|ns| !ns.contains("QDA-XML")) {
        return Err(malformed(format!("namespace {ns:?} is not a REFI-QDA namespace")));
    }
    Ok(Parsed { path: name, kind, root, files })
}

struct Planner<'a> {
    plan: ImportPlan,
    our_codes: &'a [Code],
    /// File code GUID → our code uuid.
    code_map: HashMap<String, String>,
    users: HashMap<String, String>,
    default_user: String,
    our_codings: HashSet<&'a str>,
    seen_codings: HashSet<String>,
    /// The source or note being read, for messages ("“C-AMS-02 interview notes”", "the note “memo”").
    here: String,
}

impl<'a> Planner<'a> {
    /// A planner for `root`'s users, against our codes and codings.
    fn new(root: &El, codes: &'a [Code], codings: &'a [Coding]) -> Self {
        let users: HashMap<String, String> = root
            .child("Users")
            .into_iter()
            .flat_map(|u| u.all("User"))
            .filter_map(|u| Some((normalize_guid(u.attr("guid")?)?, u.attr("name").unwrap_or("").trim().to_owned())))
            .filter(|(_, n)| !n.is_empty())
            .collect();
        let default_user = root
            .attr("creatingUserGUID")
            .and_then(normalize_guid)
            .and_then(|g| users.get(&g).cloned())
            .unwrap_or_else(|| "unknown coder".to_owned());
        Planner {
            plan: ImportPlan::default(),
            our_codes: codes,
            code_map: HashMap::new(),
            users,
            default_user,
            our_codings: codings.iter().map(|c| c.uuid.as_str()).collect(),
            seen_codings: HashSet::new(),
            here: String::new(),
        }
    }

    /// The plan, its lines of skipped things written.
    fn finish(mut self) -> ImportPlan {
        self.plan.skipped = self.plan.skips.lines();
        self.plan
    }

    fn codes(&mut self, parent_el: &El, parent: Option<String>, depth: usize) -> Result<(), String> {
        if depth > 64 {
            return Err("codes nested deeper than 64".to_owned());
        }
        for el in parent_el.all("Code") {
            let name = el.attr("name").map(str::trim).filter(|n| !n.is_empty());
            let Some(guid) = el.attr("guid").and_then(normalize_guid) else {
                let has = el
                    .attr("guid")
                    .filter(|g| !g.trim().is_empty())
                    .map_or_else(|| "no guid".to_owned(), |g| format!("guid {}", quoted(g)));
                return Err(format!("a code without a valid guid: {} has {has}", quoted(name.unwrap_or(""))));
            };
            let name = name.ok_or_else(|| format!("a code without a name (guid {guid})"))?;
            if self.code_map.contains_key(&guid) {
                self.plan.skips.add(Skip::DuplicateCode, quoted(name));
                continue;
            }
            let folded = atlas_core::text::fold(name);
            let by_guid = self.our_codes.iter().find(|c| c.uuid == guid).map(|c| c.uuid.clone());
            let by_name = || {
                self.our_codes
                    .iter()
                    .chain(self.plan.codes.iter())
                    .find(|c| c.deleted_at.is_none() && c.parent == parent && atlas_core::text::fold(&c.name) == folded)
                    .map(|c| c.uuid.clone())
            };
            let ours = match by_guid.or_else(by_name) {
                Some(u) => {
                    self.plan.codes_matched += 1;
                    u
                }
                None => {
                    let t = now();
                    let description = el.child_text("Description").map(str::trim).filter(|d| !d.is_empty());
                    self.plan.codes.push(Code {
                        uuid: guid.clone(),
                        name: name.to_owned(),
                        parent: parent.clone(),
                        created_at: t.clone(),
                        updated_at: t,
                        deleted_at: None,
                        color: el.attr("color").filter(|c| is_rgb(c)).map(str::to_ascii_lowercase),
                        description: description.map(str::to_owned),
                    });
                    guid.clone()
                }
            };
            self.code_map.insert(guid, ours.clone());
            self.codes(el, Some(ours), depth + 1)?;
        }
        Ok(())
    }

    /// The sets in `holders` (a codebook's or a project's `<Sets>`): this atlas has none. Those this app wrote (a
    /// code group of the file's codes, or the set of every code) are the code tree again and need nothing; any
    /// other is left out, by name.
    fn sets<'e>(&mut self, holders: impl Iterator<Item = &'e El>) {
        let ours: HashSet<String> =
            self.code_map.keys().map(|g| code_set_guid(g)).chain(std::iter::once(all_codes_set_guid())).collect();
        for set in holders.flat_map(|s| s.all("Set")) {
            if set.attr("guid").and_then(normalize_guid).is_some_and(|g| ours.contains(&g)) {
                continue;
            }
            self.plan.skips.add(Skip::Set, quoted(set.attr("name").unwrap_or("")));
        }
    }

    fn user(&self, el: &El) -> String {
        el.attr("creatingUser")
            .and_then(normalize_guid)
            .and_then(|g| self.users.get(&g).cloned())
            .unwrap_or_else(|| self.default_user.clone())
    }

    /// Codings of the selections (and whole-text codings) in `source` (a TextSource or a Note), on our text
    /// `target_kind`/`target_id` whose current text is `ours`; `file_text` is the text in the file, if any.
    fn selections(
        &mut self,
        source: &El,
        target_kind: TargetKind,
        target_id: &str,
        ours: &str,
        file_text: Option<&str>,
    ) -> Result<(), String> {
        let name = quoted(source.attr("name").unwrap_or(""));
        self.here = if source.name == "Note" { format!("the note {name}") } else { name };
        let basis = file_text.unwrap_or(ours);
        for sel in source.all("PlainTextSelection") {
            let position = |name: &str| -> Result<i64, String> {
                sel.attr(name)
                    .and_then(|v| v.trim().parse::<i64>().ok())
                    .ok_or_else(|| format!("a text selection without a whole-number {name} in {}", self.here))
            };
            let (start, end) = (position("startPosition")?, position("endPosition")?);
            let sel_user = self.user(sel);
            for coding in sel.all("Coding") {
                self.coding(coding, target_kind, target_id, ours, basis, start, end, &sel_user)?;
            }
        }
        // A coding of a whole text source (a Note's own codings are the note's codes instead).
        if source.name == "TextSource" {
            let whole = char_len(basis);
            let user = self.user(source);
            for coding in source.all("Coding") {
                self.coding(coding, target_kind, target_id, ours, basis, 0, whole, &user)?;
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn coding(
        &mut self,
        el: &El,
        target_kind: TargetKind,
        target_id: &str,
        ours: &str,
        basis: &str,
        start: i64,
        end: i64,
        fallback_user: &str,
    ) -> Result<(), String> {
        let guid = el
            .attr("guid")
            .and_then(normalize_guid)
            .ok_or_else(|| format!("a coding without a valid guid in {}", self.here))?;
        let code_ref = el
            .child("CodeRef")
            .and_then(|r| r.attr("targetGUID"))
            .and_then(normalize_guid)
            .ok_or_else(|| format!("a coding without a code reference in {}", self.here))?;
        if self.our_codings.contains(guid.as_str()) || self.seen_codings.contains(&guid) {
            self.plan.codings_matched += 1;
            return Ok(());
        }
        self.seen_codings.insert(guid.clone());
        let excerpt = char_slice(basis, start, end);
        let Some(code) = self.code_map.get(&code_ref).cloned() else {
            let which = match &excerpt {
                Some(e) => format!("{} in {}", quoted_to(e, 40), self.here),
                None => format!("characters {start}–{end} of {}", self.here),
            };
            self.plan.skips.add(Skip::CodingWithoutCode, which);
            return Ok(());
        };
        let Some(excerpt) = excerpt else {
            self.plan.skips.add(Skip::CodingOutside, format!("characters {start}–{end} of {}", self.here));
            return Ok(());
        };
        // Offsets count in the file's text; where ours differs, find the passage in ours or keep it for review.
        let (start, end, hash) = if basis == ours {
            (start, end, text_hash(ours))
        } else {
            let found: Vec<usize> = ours.match_indices(excerpt.as_str()).map(|(i, _)| i).take(2).collect();
            match found.as_slice() {
                [one] => match byte_to_char_range(ours, *one, *one + excerpt.len()) {
                    Some((s, e)) => (s, e, text_hash(ours)),
                    None => (start, end, text_hash(basis)),
                },
                _ => (start, end, text_hash(basis)),
            }
        };
        let author = el
            .attr("creatingUser")
            .and_then(normalize_guid)
            .and_then(|g| self.users.get(&g).cloned())
            .unwrap_or_else(|| fallback_user.to_owned());
        let at = el.attr("creationDateTime").map_or_else(now, str::to_owned);
        self.plan.codings.push(Coding {
            uuid: guid,
            code,
            target_kind,
            target_id: target_id.to_owned(),
            start,
            end,
            text_hash: hash,
            excerpt,
            author,
            created_at: at.clone(),
            updated_at: at,
            deleted_at: None,
            resolved_at: None,
        });
        Ok(())
    }

    /// The text sources: those that are our texts bring their codings, the others are listed as foreign, and
    /// pictures, PDFs, audio and video are left out. Returns which of our texts each note is on (from the
    /// `NoteRef`s of sources and their selections).
    fn sources(
        &mut self,
        parsed: &Parsed,
        texts: &OurTexts<'_>,
    ) -> Result<HashMap<String, (TargetKind, String)>, String> {
        let mut note_targets: HashMap<String, (TargetKind, String)> = HashMap::new();
        let Some(sources) = parsed.root.child("Sources") else { return Ok(note_targets) };
        for src in &sources.children {
            if src.name != "TextSource" {
                let kind = match src.name.as_str() {
                    "PictureSource" => "picture",
                    "PDFSource" => "PDF",
                    "AudioSource" => "audio",
                    "VideoSource" => "video",
                    _ => "source",
                };
                self.plan.skips.add(Skip::NotText, format!("{kind} {}", quoted(src.attr("name").unwrap_or(""))));
                continue;
            }
            let file_text = carried_text(src, &parsed.files);
            let Some((kind, id)) = texts.record_of(src) else {
                let count = src.all("PlainTextSelection").map(|s| s.all("Coding").count()).sum::<usize>()
                    + src.all("Coding").count();
                self.plan.foreign_sources.push(ForeignSource {
                    guid: src.attr("guid").and_then(normalize_guid).unwrap_or_default(),
                    name: src.attr("name").unwrap_or("(no name)").to_owned(),
                    text: file_text,
                    codings: count,
                });
                continue;
            };
            let ours = texts.by_key.get(&(kind, id.clone())).copied().unwrap_or("");
            self.selections(src, kind, &id, ours, file_text.as_deref())?;
            let refs = src.all("NoteRef").chain(src.all("PlainTextSelection").flat_map(|s| s.all("NoteRef")));
            for r in refs {
                if let Some(g) = r.attr("targetGUID").and_then(normalize_guid) {
                    note_targets.insert(g, (kind, id.clone()));
                }
            }
        }
        Ok(note_targets)
    }

    /// The notes: new ones come in, on the record that refers to them (or as memos); codings inside them too.
    fn notes(
        &mut self,
        parsed: &Parsed,
        texts: &OurTexts<'_>,
        notes: &[Note],
        note_targets: &HashMap<String, (TargetKind, String)>,
    ) -> Result<(), String> {
        let our_notes: HashSet<&str> = notes.iter().map(|n| n.uuid.as_str()).collect();
        for el in parsed.root.child("Notes").into_iter().flat_map(|n| n.all("Note")) {
            let name = quoted(el.attr("name").unwrap_or(""));
            let guid = el
                .attr("guid")
                .and_then(normalize_guid)
                .ok_or_else(|| format!("a note without a valid guid: {name}"))?;
            let text = carried_text(el, &parsed.files).unwrap_or_default();
            if our_notes.contains(guid.as_str()) || self.plan.notes.iter().any(|n| n.uuid == guid) {
                self.plan.notes_matched += 1;
            } else {
                let (target_kind, target_id) = match note_targets.get(&guid) {
                    Some((kind, id)) => note_target(texts.atlas, texts.records, *kind, id),
                    None => own_note_target(el.child_text("Description")),
                };
                let mut codes = Vec::new();
                for coding in el.all("Coding") {
                    let code = coding.child("CodeRef").and_then(|r| r.attr("targetGUID")).and_then(normalize_guid);
                    match code.and_then(|g| self.code_map.get(&g)) {
                        Some(ours) => codes.push(ours.clone()),
                        None => self.plan.skips.add(Skip::NoteCodeWithoutCode, format!("on the note {name}")),
                    }
                }
                let created = el.attr("creationDateTime").map_or_else(now, str::to_owned);
                self.plan.notes.push(Note {
                    uuid: guid.clone(),
                    target_kind,
                    target_id,
                    text: text.clone(),
                    author: self.user(el),
                    status: atlas_core::records::notes::NoteStatus::Draft,
                    updated_at: el.attr("modifiedDateTime").map_or_else(|| created.clone(), str::to_owned),
                    created_at: created,
                    deleted_at: None,
                    codes,
                    base: None,
                });
            }
            let ours = notes.iter().find(|n| n.uuid == guid).map_or(text.as_str(), |n| n.text.as_str()).to_owned();
            self.selections(el, TargetKind::Note, &guid, &ours, Some(&text))?;
        }
        Ok(())
    }
}

/// Our texts, and the ways a source of the file can name one of them.
struct OurTexts<'a> {
    atlas: &'a Atlas,
    records: &'a [UserRecord],
    /// (kind, id) → the text.
    by_key: HashMap<(TargetKind, String), &'a str>,
    /// The GUID this app gives a text as a source → (kind, id).
    by_guid: HashMap<String, (TargetKind, String)>,
    /// The file's variables: GUID → name.
    variables: HashMap<String, String>,
}

impl<'a> OurTexts<'a> {
    fn new(
        texts: &'a [atlas_core::records::codable::CodableText],
        atlas: &'a Atlas,
        records: &'a [UserRecord],
        root: &El,
    ) -> Self {
        OurTexts {
            atlas,
            records,
            by_key: texts.iter().map(|t| ((t.kind, t.id.clone()), t.text.as_str())).collect(),
            by_guid: texts.iter().map(|t| (source_guid(t.kind.as_str(), &t.id), (t.kind, t.id.clone()))).collect(),
            variables: root
                .child("Variables")
                .into_iter()
                .flat_map(|v| v.all("Variable"))
                .filter_map(|v| Some((normalize_guid(v.attr("guid")?)?, v.attr("name")?.to_owned())))
                .collect(),
        }
    }

    /// Which of our texts a source is: by its "Atlas record" variable, its GUID, or its name starting with a
    /// record id.
    fn record_of(&self, src: &El) -> Option<(TargetKind, String)> {
        for vv in src.all("VariableValue") {
            let var = vv.child("VariableRef").and_then(|r| r.attr("targetGUID")).and_then(normalize_guid);
            let is_record = var.and_then(|g| self.variables.get(&g)).map(String::as_str) == Some(RECORD_VARIABLE);
            if let Some((kind, id)) =
                vv.child_text("TextValue").and_then(|v| v.trim().split_once(':')).filter(|_| is_record)
            {
                let key = (TargetKind::parse(kind)?, id.to_owned());
                if self.by_key.contains_key(&key) {
                    return Some(key);
                }
            }
        }
        if let Some(key) = src.attr("guid").and_then(normalize_guid).and_then(|g| self.by_guid.get(&g)) {
            return Some(key.clone());
        }
        let first = src.attr("name")?.split_whitespace().next()?.trim_end_matches([':', '.', ',']);
        if let Some(e) =
            self.atlas.evidence.iter().find(|e| e.origin == atlas_core::model::Origin::Shipped && e.id == first)
        {
            return Some((e.kind.into(), e.id.clone()));
        }
        self.records
            .iter()
            .find(|r| r.deleted_at.is_none() && r.id == first)
            .map(|r| (TargetKind::UserRecord, r.uuid.clone()))
    }
}

/// The text a source or note carries: inline, or in a `Sources/` file of the `.qdpx`.
fn carried_text(el: &El, files: &HashMap<String, String>) -> Option<String> {
    if let Some(t) = el.child_text("PlainTextContent") {
        return Some(t.to_owned());
    }
    let path = el.attr("plainTextPath")?;
    let inner = path.strip_prefix("internal://")?;
    files.get(&format!("sources/{}", inner.to_ascii_lowercase())).cloned()
}

/// Compares a parsed file with the database's codes, notes, own records and codings, and plans what to add.
/// Errors are a file's structural faults (a code without a GUID, a selection without positions) in a few words
/// naming the code, source or note.
pub fn plan_import(
    parsed: &Parsed,
    atlas: &Atlas,
    codes: &[Code],
    notes: &[Note],
    records: &[UserRecord],
    codings: &[Coding],
) -> Result<ImportPlan, QdaError> {
    let malformed = |detail: String| QdaError::Malformed {
        path: parsed.path.clone(),
        what: if parsed.kind == FileKind::Project { "project" } else { "codebook" },
        detail,
    };
    let root = &parsed.root;
    let mut p = Planner::new(root, codes, codings);
    let codebook = if root.name == "CodeBook" { Some(root) } else { root.child("CodeBook") };
    if let Some(codes_el) = codebook.and_then(|b| b.child("Codes")) {
        p.codes(codes_el, None, 0).map_err(malformed)?;
    }
    // A codebook's sets follow its codes; a project's sit at its end (some tools put them in its codebook).
    let project_sets = if parsed.kind == FileKind::Project { root.child("Sets") } else { None };
    p.sets(codebook.and_then(|b| b.child("Sets")).into_iter().chain(project_sets));
    if parsed.kind == FileKind::Codebook {
        return Ok(p.finish());
    }
    let all_texts = codable_texts(atlas, records, notes);
    let texts = OurTexts::new(&all_texts, atlas, records, root);
    let note_targets = p.sources(parsed, &texts).map_err(malformed)?;
    p.notes(parsed, &texts, notes, &note_targets).map_err(malformed)?;
    Ok(p.finish())
}

/// A note's target for a record kind/id of the coding model (own records and city texts are noted differently).
fn note_target(atlas: &Atlas, records: &[UserRecord], kind: TargetKind, id: &str) -> (TargetKind, Option<String>) {
    match kind {
        TargetKind::UserRecord => match records.iter().find(|r| r.uuid == id) {
            Some(r) => (r.kind.into(), Some(r.id.clone())),
            None => (TargetKind::Memo, None),
        },
        TargetKind::CityText => match atlas
            .cities
            .iter()
            .find(|c| c.governance.iter().chain(&c.findings).chain(&c.recommendations).any(|t| t.id == id))
        {
            Some(c) => (TargetKind::City, Some(c.id.clone())),
            None => (TargetKind::Memo, None),
        },
        TargetKind::Note => (TargetKind::Memo, None),
        _ => (kind, Some(id.to_owned())),
    }
}

/// The target this app wrote in a note's description ("Atlas note on: city AMS"), else a memo.
fn own_note_target(description: Option<&str>) -> (TargetKind, Option<String>) {
    description
        .and_then(|d| d.trim().strip_prefix("Atlas note on: "))
        .and_then(|rest| rest.split_once(' '))
        .and_then(|(kind, id)| Some((TargetKind::parse(kind)?, id)))
        .filter(|(kind, id)| !id.is_empty() && *kind != TargetKind::Memo)
        .map_or((TargetKind::Memo, None), |(kind, id)| (kind, Some(id.to_owned())))
}
