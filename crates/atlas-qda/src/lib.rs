//! Exchange with qualitative data analysis tools (ATLAS.ti, NVivo, MAXQDA, QualCoder, Taguette) through the
//! REFI-QDA standard 1.5: a codebook as `.qdc`, a project as `.qdpx` (a zip holding `project.qde` and the plain
//! texts under `Sources/`).
//!
//! Export: every codable text of the atlas (shipped challenges and practices, own records, city profile texts) is
//! a `TextSource` with its source URLs and confidence tag as variables and description; notes are `Note`s linked
//! by `NoteRef` from the record they annotate; codes keep their tree, colours and descriptions; coded passages are
//! `PlainTextSelection`s. GUIDs are stable: codes, notes and codings keep their own UUIDs, records and users get
//! UUIDs derived from their identity ([`atlas_core::records::codings::stable_uuid`]), so exporting again after more work
//! updates the other tool's project instead of duplicating it. The code tree's groups are also `<Set>`s (one per
//! code with sub-codes, holding every code beneath it; see [`code_sets`]): after the codes in a `.qdc` (the
//! codebook schema of the standard's section 5.2, kept in `schema/Codebook.xsd`; a codebook without groups gets
//! the set of every code, as `<Sets>` must hold one), at the end of a project (its schema has no sets in the
//! codebook).
//!
//! Import: codes merge by GUID, then by name under the same parent; where a source is one of this atlas' records
//! (by its "Atlas record" variable, its GUID, or its name starting with a record id) its codings and notes come
//! in; other sources are listed (the window can offer them as own records). The atlas has no sets: those this app
//! wrote are its code tree again; others are left out. What is left out is said one line per reason, naming the
//! first few. Everything is checked before anything is written, and written in one transaction. Reading is bounded ([`MAX_ENTRY_BYTES`], [`MAX_TOTAL_BYTES`],
//! [`MAX_ENTRIES`], and the XML limits of [`xml`]).

mod export;
mod import;
mod skipped;
pub mod xml;

use std::path::Path;

pub use export::{CodeSet, ExportData, code_sets, codebook_xml, project_files, write_codebook, write_project};
pub use import::{ForeignSource, ImportPlan, Summary, parse_file, plan_import};

use atlas_store::Store;

/// The namespace of a REFI-QDA project (`project.qde`).
pub const PROJECT_NS: &str = "urn:QDA-XML:project:1.0";
/// The namespace of a standalone REFI-QDA codebook (`.qdc`).
pub const CODEBOOK_NS: &str = "urn:QDA-XML:codebook:1.0";
/// The name of the variable that says which atlas record a source is ("challenge:C-AMS-01").
pub const RECORD_VARIABLE: &str = "Atlas record";

/// Largest single file read from a `.qdpx` (or a `.qdc` read whole).
pub const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;
/// Most bytes read from a `.qdpx` in all (zip bombs stop here).
pub const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;
/// Most files in a `.qdpx`.
pub const MAX_ENTRIES: usize = 20_000;

/// A REFI-QDA file that cannot be read or written, in one line naming the file; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum QdaError {
    #[error("{path}: cannot read the file: {detail}")]
    Read { path: String, detail: String },
    #[error("{path}: not a REFI-QDA {what} ({detail}); nothing was imported")]
    Malformed { path: String, what: &'static str, detail: String },
    #[error("{path}: {detail}; nothing was written")]
    Write { path: String, detail: String },
    #[error("{path}: the file name must end in .qdpx (project) or .qdc (codebook)")]
    Extension { path: String },
    #[error("{0}")]
    Store(#[from] atlas_store::StoreError),
}

/// Which kind of REFI-QDA file a path names, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Project,
    Codebook,
}

pub fn file_kind(path: &Path) -> Option<FileKind> {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("qdpx") => Some(FileKind::Project),
        Some("qdc") => Some(FileKind::Codebook),
        _ => None,
    }
}

/// Exports the database's codes (`.qdc`) or whole project (`.qdpx`) to `path`; `author` is the exporting user.
/// Returns a one-line summary.
pub fn export_file(store: &Store, path: &Path, author: &str) -> Result<String, QdaError> {
    let name = path.display().to_string();
    let kind = file_kind(path).ok_or_else(|| QdaError::Extension { path: name.clone() })?;
    let codes = store.codes()?;
    match kind {
        FileKind::Codebook => {
            let n = write_codebook(path, &codes)?;
            Ok(format!("{name}: codebook of {n} codes written"))
        }
        FileKind::Project => {
            let atlas = store.load_atlas()?;
            let data = ExportData {
                atlas: &atlas,
                codes: &codes,
                notes: &store.notes()?,
                records: &store.user_records()?,
                codings: &store.codings()?,
                author,
            };
            let s = write_project(path, &data)?;
            Ok(format!(
                "{name}: project written: {} sources, {} codes, {} coded passages, {} notes, {} users",
                s.sources, s.codes, s.codings, s.notes, s.users
            ))
        }
    }
}

/// Reads a `.qdc` or `.qdpx`, plans the merge against the database, and (unless `check`) writes it in one
/// transaction. The summary says what was (or would be) added, matched and skipped.
pub fn import_file(store: &Store, path: &Path, check: bool) -> Result<(Summary, ImportPlan), QdaError> {
    let parsed = parse_file(path)?;
    let atlas = store.load_atlas()?;
    let plan =
        plan_import(&parsed, &atlas, &store.codes()?, &store.notes()?, &store.user_records()?, &store.codings()?)?;
    let summary = plan.summary();
    if !check {
        store.apply_import(&plan.codes, &plan.codings, &plan.notes)?;
    }
    Ok((summary, plan))
}
