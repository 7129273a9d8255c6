//! Survey answers in and out: the answer format ([`format`]), file readers ([`read`]), checks before anything is
//! written ([`validate`]), and writers for exports and the template ([`write`]). Nothing here touches SQLite or egui;
//! the store writes an [`ImportPlan`] and the views show it.

pub mod format;
pub mod read;
pub mod validate;
pub mod write;

use std::collections::HashSet;
use std::path::Path;

pub use format::{QuestionDef, QuestionKind, QuestionOrigin, catalogue, gap_code, score_code};
pub use read::{FileFormat, RawFile, ReadError};
pub use validate::{ImportIssue, ImportPlan, UnknownCity, ValidAnswer};

/// Reads and checks a file in one step.
pub fn plan_import(
    path: &Path,
    catalogue: &[QuestionDef],
    known_cities: &HashSet<String>,
) -> Result<ImportPlan, ReadError> {
    let raw = read::read_file(path)?;
    Ok(validate::validate(&raw, catalogue, known_cities))
}
