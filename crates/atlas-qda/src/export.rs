//! Writing REFI-QDA: a codebook (`.qdc`) and a project (`.qdpx` = `project.qde` + `Sources/*.txt`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::Path;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::xml::xml_safe;
use super::{CODEBOOK_NS, PROJECT_NS, QdaError, RECORD_VARIABLE};
use atlas_core::model::Atlas;
use atlas_core::records::codable::{CodableText, codable_texts};
use atlas_core::records::codings::{Coding, stable_uuid};
use atlas_core::records::notes::{Code, Note, TargetKind, UserRecord};

type W = Writer<Vec<u8>>;
type Res = std::io::Result<()>;

/// What a project export reads.
pub struct ExportData<'a> {
    pub atlas: &'a Atlas,
    pub codes: &'a [Code],
    pub notes: &'a [Note],
    pub records: &'a [UserRecord],
    pub codings: &'a [Coding],
    /// The exporting user (the project's creating user).
    pub author: &'a str,
}

/// What a project export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportCounts {
    pub sources: usize,
    pub codes: usize,
    pub codings: usize,
    pub notes: usize,
    pub users: usize,
}

/// The GUID of a user, from their name.
pub fn user_guid(name: &str) -> String {
    stable_uuid(&format!("user:{name}"))
}

/// The GUID of a codable text (record, own record, city text) as a source.
pub fn source_guid(kind: &str, id: &str) -> String {
    stable_uuid(&format!("record:{kind}:{id}"))
}

fn variable_guid(name: &str) -> String {
    stable_uuid(&format!("variable:{name}"))
}

/// Live codes in tree order: parents before children, siblings by name. Codes whose parent is gone sit at the top.
fn live_tree(codes: &[Code]) -> BTreeMap<Option<String>, Vec<&Code>> {
    let live: HashMap<&str, &Code> =
        codes.iter().filter(|c| c.deleted_at.is_none()).map(|c| (c.uuid.as_str(), c)).collect();
    let mut tree: BTreeMap<Option<String>, Vec<&Code>> = BTreeMap::new();
    for c in live.values() {
        let parent = c.parent.as_deref().filter(|p| live.contains_key(p) && *p != c.uuid).map(str::to_owned);
        tree.entry(parent).or_default().push(c);
    }
    for list in tree.values_mut() {
        list.sort_by(|a, b| (&a.name, &a.uuid).cmp(&(&b.name, &b.uuid)));
    }
    tree
}

fn write_codes(w: &mut W, tree: &BTreeMap<Option<String>, Vec<&Code>>, parent: Option<String>, depth: usize) -> Res {
    let Some(list) = tree.get(&parent) else { return Ok(()) };
    if depth > 64 {
        return Ok(());
    }
    for c in list {
        let mut el = w
            .create_element("Code")
            .with_attribute(("guid", c.uuid.as_str()))
            .with_attribute(("name", xml_safe(&c.name).as_ref()))
            .with_attribute(("isCodable", "true"));
        if let Some(color) = c.color.as_deref().filter(|c| atlas_core::records::is_rgb(c)) {
            el = el.with_attribute(("color", color));
        }
        let has_children = tree.get(&Some(c.uuid.clone())).is_some_and(|l| !l.is_empty());
        let description = c.description.as_deref().filter(|d| !d.trim().is_empty());
        if description.is_none() && !has_children {
            el.write_empty()?;
            continue;
        }
        el.write_inner_content(|w| {
            if let Some(d) = description {
                w.create_element("Description").write_text_content(BytesText::new(&xml_safe(d)))?;
            }
            write_codes(w, tree, Some(c.uuid.clone()), depth + 1)
        })?;
    }
    Ok(())
}

fn count_live(codes: &[Code]) -> usize {
    live_tree(codes).values().map(Vec::len).sum()
}

/// The GUID of the set that stands for code group `code` (a code with sub-codes).
pub fn code_set_guid(code: &str) -> String {
    stable_uuid(&format!("code-set:{code}"))
}

/// The GUID of the set of every code, written in a codebook without code groups.
pub fn all_codes_set_guid() -> String {
    stable_uuid("code-set:all")
}

/// A REFI-QDA `Set` of codes: a code group of the tree (a code with sub-codes, holding every code beneath it),
/// or every code of a codebook without groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSet<'a> {
    pub guid: String,
    pub name: String,
    pub description: String,
    /// Code GUIDs in tree order; only codes the codebook writes.
    pub members: Vec<&'a str>,
}

/// The code sets of a tree: one for every code with sub-codes, in tree order, each holding all the codes beneath
/// it (for tools that group codes in flat sets, as ATLAS.ti's code groups and MAXQDA's code sets do, the tree's
/// grouping survives). A set is named as its code; where two groups share a name, by their path ("a > b").
/// The first of the pair is the set of every code.
pub fn code_sets<'a>(tree: &BTreeMap<Option<String>, Vec<&'a Code>>) -> (CodeSet<'a>, Vec<CodeSet<'a>>) {
    let all = CodeSet {
        guid: all_codes_set_guid(),
        name: "Integration Atlas codes".to_owned(),
        description: "Every code of this Integration Atlas codebook (it has no code groups).".to_owned(),
        members: Vec::new(),
    };
    let mut walk = SetWalk { tree, all, groups: Vec::new(), open: Vec::new(), path: Vec::new() };
    walk.visit(None, 0);
    let SetWalk { all, groups, .. } = walk;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (set, _) in &groups {
        *seen.entry(set.name.clone()).or_default() += 1;
    }
    let mut used: HashMap<String, usize> = HashMap::new();
    let groups = groups
        .into_iter()
        .map(|(mut set, path)| {
            if seen.get(&set.name).is_some_and(|n| *n > 1) {
                set.name = path;
            }
            let n = used.entry(set.name.clone()).or_default();
            *n += 1;
            if *n > 1 {
                set.name = format!("{} ({n})", set.name);
            }
            set
        })
        .collect();
    (all, groups)
}

/// A walk of the tree as [`write_codes`] makes it (same order, same depth cap), gathering the code sets.
struct SetWalk<'t, 'a> {
    tree: &'t BTreeMap<Option<String>, Vec<&'a Code>>,
    all: CodeSet<'a>,
    /// Each group's set and its path of names.
    groups: Vec<(CodeSet<'a>, String)>,
    /// The groups above the code being visited (indices into `groups`) and their names.
    open: Vec<usize>,
    path: Vec<String>,
}

impl<'a> SetWalk<'_, 'a> {
    /// Adds each code under `parent` to the set of every code and to every group above it.
    fn visit(&mut self, parent: Option<String>, depth: usize) {
        let tree = self.tree;
        let Some(list) = tree.get(&parent) else { return };
        if depth > 64 {
            return;
        }
        for c in list {
            self.all.members.push(c.uuid.as_str());
            for &i in &self.open {
                self.groups[i].0.members.push(c.uuid.as_str());
            }
            let has_children = depth < 64 && tree.get(&Some(c.uuid.clone())).is_some_and(|l| !l.is_empty());
            if !has_children {
                continue;
            }
            let name = xml_safe(&c.name).trim().to_owned();
            self.path.push(name.clone());
            let set = CodeSet {
                guid: code_set_guid(&c.uuid),
                description: format!("The codes under “{name}” in the Integration Atlas code tree."),
                name,
                members: Vec::new(),
            };
            self.groups.push((set, self.path.join(" > ")));
            self.open.push(self.groups.len() - 1);
            self.visit(Some(c.uuid.clone()), depth + 1);
            self.open.pop();
            self.path.pop();
        }
    }
}

/// `<Sets>` with one `<Set>` each; `member_attr` is how a member names its code: `guid` in a codebook (the
/// codebook schema's MemberCodeType), `targetGUID` in a project (its CodeRefType). Writes nothing for no sets
/// (`<Sets>` must hold at least one `<Set>`).
fn write_sets(w: &mut W, sets: &[CodeSet<'_>], member_attr: &str) -> Res {
    if sets.is_empty() {
        return Ok(());
    }
    w.create_element("Sets").write_inner_content(|w| {
        for set in sets {
            w.create_element("Set")
                .with_attribute(("guid", set.guid.as_str()))
                .with_attribute(("name", set.name.as_str()))
                .write_inner_content(|w| {
                    w.create_element("Description").write_text_content(BytesText::new(&set.description))?;
                    for m in &set.members {
                        w.create_element("MemberCode").with_attribute((member_attr, *m)).write_empty()?;
                    }
                    Ok(())
                })?;
        }
        Ok(())
    })?;
    Ok(())
}

/// A standalone codebook (`.qdc`) of the live codes, with their code groups as `<Sets>` (the set of every code
/// where there are no groups: tools such as portableQDA expect `<Sets>` after `<Codes>`, and the codebook schema
/// wants at least one `<Set>` in it).
pub fn codebook_xml(codes: &[Code]) -> String {
    let tree = live_tree(codes);
    let (all, groups) = code_sets(&tree);
    let sets = if groups.is_empty() { vec![all] } else { groups };
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let result = (|| -> Res {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        w.create_element("CodeBook").with_attribute(("xmlns", CODEBOOK_NS)).write_inner_content(|w| {
            w.create_element("Codes").write_inner_content(|w| write_codes(w, &tree, None, 0))?;
            write_sets(w, &sets, "guid")
        })?;
        Ok(())
    })();
    debug_assert!(result.is_ok(), "writing to memory does not fail");
    String::from_utf8(w.into_inner()).unwrap_or_default()
}

fn origin() -> String {
    format!("Integration Atlas {}", env!("CARGO_PKG_VERSION"))
}

fn describe_sources(t: &CodableText) -> String {
    let mut parts = Vec::new();
    if !t.sources.is_empty() {
        let list: Vec<String> =
            t.sources.iter().map(|(url, tag)| format!("{url} [{}]", atlas_core::dataset::tag_label(tag))).collect();
        parts.push(format!("Sources: {}.", list.join("; ")));
    }
    if let Some(c) = &t.confidence {
        parts.push(format!("Confidence: {}.", atlas_core::dataset::tag_label(c)));
    }
    parts.join(" ")
}

fn note_target_words(n: &Note) -> String {
    match &n.target_id {
        Some(id) if n.target_kind != TargetKind::Memo => format!("Atlas note on: {} {id}", n.target_kind),
        _ => "Atlas memo".to_owned(),
    }
}

/// The GUIDs of the three variables every source carries.
struct Variables {
    record: String,
    confidence: String,
    urls: String,
}

/// What a project export writes, gathered from [`ExportData`] before any XML is written.
struct Project<'a> {
    texts: Vec<CodableText>,
    tree: BTreeMap<Option<String>, Vec<&'a Code>>,
    live_codes: BTreeSet<&'a str>,
    /// Live notes.
    notes: Vec<&'a Note>,
    /// The exporting author and everyone who wrote a note, a coding or an own record.
    users: BTreeSet<String>,
    /// Live codings of live codes, by the (kind, id) of the text they code.
    by_target: HashMap<(&'a str, &'a str), Vec<&'a Coding>>,
    /// Live notes, by the (kind, id) of the source they are on.
    notes_on: HashMap<(String, String), Vec<&'a Note>>,
    variables: Variables,
}

impl<'a> Project<'a> {
    /// The live codes, notes and codings, their users, and which codings and notes go on which text.
    fn gather(data: &ExportData<'a>) -> Self {
        let texts = codable_texts(data.atlas, data.records, data.notes);
        let tree = live_tree(data.codes);
        let live_codes: BTreeSet<&str> = tree.values().flatten().map(|c| c.uuid.as_str()).collect();
        let codings: Vec<&Coding> =
            data.codings.iter().filter(|c| c.deleted_at.is_none() && live_codes.contains(c.code.as_str())).collect();
        let notes: Vec<&Note> = data.notes.iter().filter(|n| n.deleted_at.is_none()).collect();
        let mut users: BTreeSet<String> = BTreeSet::new();
        users.insert(data.author.to_owned());
        users.extend(codings.iter().map(|c| c.author.clone()));
        users.extend(notes.iter().map(|n| n.author.clone()));
        users.extend(data.records.iter().filter(|r| r.deleted_at.is_none()).map(|r| r.author.clone()));
        let mut by_target: HashMap<(&str, &str), Vec<&Coding>> = HashMap::new();
        for c in &codings {
            by_target.entry((c.target_kind.as_str(), c.target_id.as_str())).or_default().push(c);
        }
        let notes_on = notes_by_source(&notes, data.records);
        let variables = Variables {
            record: variable_guid("atlas-record"),
            confidence: variable_guid("confidence"),
            urls: variable_guid("source-urls"),
        };
        Project { texts, tree, live_codes, notes, users, by_target, notes_on, variables }
    }

    /// Everyone who wrote something exported, as `User`s.
    fn write_users(&self, w: &mut W) -> Res {
        w.create_element("Users").write_inner_content(|w| {
            for u in &self.users {
                w.create_element("User")
                    .with_attribute(("guid", user_guid(u).as_str()))
                    .with_attribute(("name", xml_safe(u).as_ref()))
                    .write_empty()?;
            }
            Ok(())
        })?;
        Ok(())
    }

    /// The live codes in tree order, as the project's codebook.
    fn write_project_codebook(&self, w: &mut W) -> Res {
        w.create_element("CodeBook").write_inner_content(|w| {
            w.create_element("Codes").write_inner_content(|w| write_codes(w, &self.tree, None, 0))?;
            Ok(())
        })?;
        Ok(())
    }

    /// The three variables' definitions.
    fn write_variables(&self, w: &mut W) -> Res {
        let v = &self.variables;
        w.create_element("Variables").write_inner_content(|w| {
            for (guid, name, what) in [
                (&v.record, RECORD_VARIABLE, "Which Integration Atlas record the source is (kind:id)."),
                (&v.confidence, "Confidence", "The record's confidence tag."),
                (&v.urls, "Source URLs", "The record's sources, one per line, with their tags."),
            ] {
                w.create_element("Variable")
                    .with_attribute(("guid", guid.as_str()))
                    .with_attribute(("name", name))
                    .with_attribute(("typeOfVariable", "Text"))
                    .write_inner_content(|w| {
                        w.create_element("Description").write_text_content(BytesText::new(what))?;
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
        Ok(())
    }

    /// Every codable text but notes as a `TextSource`, its text added to `files`; counts sources and codings.
    fn write_sources(&self, w: &mut W, files: &mut Vec<(String, String)>, counts: &mut ExportCounts) -> Res {
        w.create_element("Sources").write_inner_content(|w| {
            for t in &self.texts {
                if t.kind == TargetKind::Note {
                    continue;
                }
                let guid = source_guid(t.kind.as_str(), &t.id);
                let text = xml_safe(&t.text).into_owned();
                files.push((format!("Sources/{guid}.txt"), text));
                counts.sources += 1;
                counts.codings += self.write_source(w, t, &guid)?;
            }
            Ok(())
        })?;
        Ok(())
    }

    /// One text as a `TextSource`: its sources in words, its coded passages, the notes on it and its variables'
    /// values. Returns how many codings it holds.
    fn write_source(&self, w: &mut W, t: &CodableText, guid: &str) -> std::io::Result<usize> {
        let mine = self.by_target.get(&(t.kind.as_str(), t.id.as_str()));
        let annotations = self.notes_on.get(&(t.kind.as_str().to_owned(), t.id.clone()));
        let v = &self.variables;
        let mut codings = 0;
        w.create_element("TextSource")
            .with_attribute(("guid", guid))
            .with_attribute(("name", xml_safe(&t.name).as_ref()))
            .with_attribute(("plainTextPath", format!("internal://{guid}.txt").as_str()))
            .write_inner_content(|w| {
                let description = describe_sources(t);
                if !description.is_empty() {
                    w.create_element("Description").write_text_content(BytesText::new(&xml_safe(&description)))?;
                }
                if let Some(list) = mine {
                    codings += write_selections(w, t.kind.as_str(), &t.id, list)?;
                }
                for n in annotations.into_iter().flatten() {
                    w.create_element("NoteRef").with_attribute(("targetGUID", n.uuid.as_str())).write_empty()?;
                }
                let urls: Vec<String> = t.sources.iter().map(|(u, tag)| format!("{u} [{tag}]")).collect();
                let values = [
                    (&v.record, Some(format!("{}:{}", t.kind, t.id))),
                    (&v.confidence, t.confidence.clone()),
                    (&v.urls, (!urls.is_empty()).then(|| urls.join("\n"))),
                ];
                for (var, value) in values {
                    let Some(value) = value else { continue };
                    w.create_element("VariableValue").write_inner_content(|w| {
                        w.create_element("VariableRef").with_attribute(("targetGUID", var.as_str())).write_empty()?;
                        w.create_element("TextValue").write_text_content(BytesText::new(&xml_safe(&value)))?;
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
        Ok(codings)
    }

    /// The live notes as `Note`s; counts notes and the codings in them.
    fn write_notes(&self, w: &mut W, counts: &mut ExportCounts) -> Res {
        w.create_element("Notes").write_inner_content(|w| {
            for n in &self.notes {
                counts.notes += 1;
                counts.codings += self.write_note(w, n)?;
            }
            Ok(())
        })?;
        Ok(())
    }

    /// One note: what it is on, its text, its coded passages and the codes given to the whole note. Returns how
    /// many codings of passages it holds.
    fn write_note(&self, w: &mut W, n: &Note) -> std::io::Result<usize> {
        let name: String = n.text.lines().next().unwrap_or("").chars().take(60).collect();
        let name = if name.trim().is_empty() { "Note".to_owned() } else { name };
        let mut codings = 0;
        w.create_element("Note")
            .with_attribute(("guid", n.uuid.as_str()))
            .with_attribute(("name", xml_safe(&name).as_ref()))
            .with_attribute(("creatingUser", user_guid(&n.author).as_str()))
            .with_attribute(("creationDateTime", n.created_at.as_str()))
            .with_attribute(("modifiedDateTime", n.updated_at.as_str()))
            .write_inner_content(|w| {
                w.create_element("Description").write_text_content(BytesText::new(&xml_safe(&note_target_words(n))))?;
                w.create_element("PlainTextContent").write_text_content(BytesText::new(&xml_safe(&n.text)))?;
                if let Some(list) = self.by_target.get(&("note", n.uuid.as_str())) {
                    codings += write_selections(w, "note", &n.uuid, list)?;
                }
                for code in n.codes.iter().filter(|c| self.live_codes.contains(c.as_str())) {
                    let guid = stable_uuid(&format!("note-code:{}:{code}", n.uuid));
                    w.create_element("Coding")
                        .with_attribute(("guid", guid.as_str()))
                        .with_attribute(("creatingUser", user_guid(&n.author).as_str()))
                        .write_inner_content(|w| {
                            w.create_element("CodeRef").with_attribute(("targetGUID", code.as_str())).write_empty()?;
                            Ok(())
                        })?;
                }
                Ok(())
            })?;
        Ok(codings)
    }
}

/// Live notes by the (kind, id) of the source they are on. Notes on own records sit on the record's display id;
/// sources know own records by uuid.
fn notes_by_source<'a>(notes: &[&'a Note], records: &[UserRecord]) -> HashMap<(String, String), Vec<&'a Note>> {
    let mut notes_on: HashMap<(String, String), Vec<&Note>> = HashMap::new();
    for n in notes {
        if let Some(id) = &n.target_id {
            let kind = match n.target_kind.as_str() {
                "challenge" | "practice" => match records.iter().find(|r| &r.id == id) {
                    Some(r) => ("user_record".to_owned(), r.uuid.clone()),
                    None => (n.target_kind.as_str().to_owned(), id.clone()),
                },
                _ => (n.target_kind.as_str().to_owned(), id.clone()),
            };
            notes_on.entry(kind).or_default().push(n);
        }
    }
    notes_on
}

/// The `project.qde` text and the plain-text source files (path in the zip, text) of a project export.
pub fn project_files(data: &ExportData<'_>) -> (String, Vec<(String, String)>, ExportCounts) {
    let project = Project::gather(data);
    let now = jiff::Timestamp::now().to_string();
    let mut files = Vec::new();
    let mut counts =
        ExportCounts { users: project.users.len(), codes: project.live_codes.len(), ..ExportCounts::default() };
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let result = (|| -> Res {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), Some("yes"))))?;
        let creator = user_guid(data.author);
        w.create_element("Project")
            .with_attribute(("xmlns", PROJECT_NS))
            .with_attribute(("name", "Integration Atlas"))
            .with_attribute(("origin", origin().as_str()))
            .with_attribute(("creatingUserGUID", creator.as_str()))
            .with_attribute(("creationDateTime", now.as_str()))
            .write_inner_content(|w| {
                project.write_users(w)?;
                if !project.live_codes.is_empty() {
                    project.write_project_codebook(w)?;
                }
                project.write_variables(w)?;
                project.write_sources(w, &mut files, &mut counts)?;
                if !project.notes.is_empty() {
                    project.write_notes(w, &mut counts)?;
                }
                // The code groups (Links would come before, Graphs after; neither is written).
                write_sets(w, &code_sets(&project.tree).1, "targetGUID")
            })?;
        Ok(())
    })();
    debug_assert!(result.is_ok(), "writing to memory does not fail");
    (String::from_utf8(w.into_inner()).unwrap_or_default(), files, counts)
}

/// Coded passages of one text as `PlainTextSelection`s: codings by one author on the same range share a selection.
fn write_selections(w: &mut W, kind: &str, id: &str, codings: &[&Coding]) -> std::io::Result<usize> {
    let mut groups: BTreeMap<(i64, i64, &str), Vec<&Coding>> = BTreeMap::new();
    for c in codings {
        groups.entry((c.start, c.end, c.author.as_str())).or_default().push(c);
    }
    let mut n = 0;
    for ((start, end, author), list) in groups {
        let guid = stable_uuid(&format!("selection:{kind}:{id}:{start}:{end}:{author}"));
        let first = list.iter().map(|c| c.created_at.as_str()).min().unwrap_or_default().to_owned();
        let name: String = list[0].excerpt.chars().take(60).collect();
        let user = user_guid(author);
        w.create_element("PlainTextSelection")
            .with_attribute(("guid", guid.as_str()))
            .with_attribute(("name", xml_safe(&name).as_ref()))
            .with_attribute(("startPosition", start.to_string().as_str()))
            .with_attribute(("endPosition", end.to_string().as_str()))
            .with_attribute(("creatingUser", user.as_str()))
            .with_attribute(("creationDateTime", first.as_str()))
            .write_inner_content(|w| {
                for c in &list {
                    w.create_element("Coding")
                        .with_attribute(("guid", c.uuid.as_str()))
                        .with_attribute(("creatingUser", user.as_str()))
                        .with_attribute(("creationDateTime", c.created_at.as_str()))
                        .write_inner_content(|w| {
                            w.create_element("CodeRef")
                                .with_attribute(("targetGUID", c.code.as_str()))
                                .write_empty()?;
                            Ok(())
                        })?;
                }
                Ok(())
            })?;
        n += list.len();
    }
    Ok(n)
}

/// Writes `bytes` to `path` through a temporary file beside it, so an existing file is replaced only when the new
/// one is whole.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), QdaError> {
    let name = path.display().to_string();
    let fail = |e: std::io::Error| QdaError::Write { path: name.clone(), detail: e.to_string() };
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !folder.is_dir() {
        return Err(QdaError::Write {
            path: name.clone(),
            detail: format!("the folder {} does not exist", folder.display()),
        });
    }
    let tmp = folder.join(format!(".{}.partial", path.file_name().and_then(|n| n.to_str()).unwrap_or("export")));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        write(&mut file)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}

/// Writes the live codes as a `.qdc` codebook; returns how many codes.
pub fn write_codebook(path: &Path, codes: &[Code]) -> Result<usize, QdaError> {
    if count_live(codes) == 0 {
        // REFI-QDA's <Codes> needs at least one code.
        return Err(QdaError::Write {
            path: path.display().to_string(),
            detail: "there are no codes to export (add codes or the ready OECD codebook first)".to_owned(),
        });
    }
    let xml = codebook_xml(codes);
    write_atomically(path, |f| f.write_all(xml.as_bytes()))?;
    Ok(count_live(codes))
}

/// Writes a `.qdpx` project.
pub fn write_project(path: &Path, data: &ExportData<'_>) -> Result<ExportCounts, QdaError> {
    let (qde, files, counts) = project_files(data);
    write_atomically(path, |f| {
        let mut zip = zip::ZipWriter::new(f);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("project.qde", options).map_err(std::io::Error::other)?;
        zip.write_all(qde.as_bytes())?;
        for (name, text) in &files {
            zip.start_file(name.as_str(), options).map_err(std::io::Error::other)?;
            zip.write_all(text.as_bytes())?;
        }
        zip.finish().map_err(std::io::Error::other)?;
        Ok(())
    })?;
    Ok(counts)
}
