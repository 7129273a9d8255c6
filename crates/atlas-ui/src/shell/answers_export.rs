//! The Responses view's exports: the answer template, a round in the import format, and the table as filtered
//! (with its chart as a native Excel chart). Each returns the one line the window shows.

use atlas_answers::{FileFormat, QuestionDef, write};
use atlas_core::model::AnswerSet;
use atlas_export::target_path;

fn ext(format: FileFormat) -> &'static str {
    match format {
        FileFormat::Csv => "csv",
        FileFormat::Xlsx => "xlsx",
        FileFormat::Json => "json",
    }
}

/// The empty answer template with every known question.
pub fn template(catalogue: &[QuestionDef], format: FileFormat, path: &str) -> String {
    let e = ext(format);
    let target = match target_path(path, &format!("answer-template.{e}"), e) {
        Ok(p) => p,
        Err(err) => return format!("Export failed: {err}"),
    };
    match write::write_template(catalogue, &target, format) {
        Ok(()) => format!("Answer template written to {}", target.display()),
        Err(err) => format!("Export failed: {err}"),
    }
}

/// One round in the import format.
pub fn round(set: &AnswerSet, uuid: &str, format: FileFormat, path: &str) -> String {
    let Some(index) = set.rounds.iter().position(|r| r.uuid == uuid) else {
        return "Export failed: that round is no longer in the database".to_owned();
    };
    let e = ext(format);
    let stem: String = set.rounds[index]
        .title
        .chars()
        .map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    let target = match target_path(path, &format!("{stem}.{e}"), e) {
        Ok(p) => p,
        Err(err) => return format!("Export failed: {err}"),
    };
    match write::write_round(set, index, &target, format) {
        Ok(n) => format!("{n} answers written to {}", target.display()),
        Err(err) => format!("Export failed: {err}"),
    }
}
