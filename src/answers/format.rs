//! The answer format: one row per respondent × question, and the questions an answer may refer to.
//!
//! Known questions come from two places: the 2017 instrument's questions the notes describe (the population table
//! as numbers and shares, and the inferred free-text sections), and the checklist self-assessment used by live
//! workshop rounds (a score 0–4 per objective, and a tick per coordination gap × level of government). A file may
//! declare further questions in its question sheet or section.

use serde::{Deserialize, Serialize};

use crate::dataset::GAP_TYPES;
use crate::model::Atlas;

/// The columns of the answers table, in the order the app writes them. `date` is optional.
pub const COLUMNS: [&str; 7] = ["respondent_id", "city", "country", "question_code", "value", "unit_notes", "date"];
/// Columns a file must have.
pub const REQUIRED_COLUMNS: [&str; 3] = ["respondent_id", "question_code", "value"];
/// The columns of the question sheet/section.
pub const QUESTION_COLUMNS: [&str; 6] = ["code", "kind", "unit", "min", "max", "text"];

/// Levels of government a live round asks about, for the gap ticks.
pub const ROUND_LEVELS: [&str; 6] = ["EU", "national", "regional/state", "metropolitan", "municipal", "district"];

/// What kind of value a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    /// A count or amount, ≥ 0 unless the question gives its own range.
    Number,
    /// A percentage, 0–100.
    Share,
    /// A whole-number self-assessment score, 0–4.
    Score,
    /// Yes/no: 1 or 0 (also yes/no, true/false, x).
    Tick,
    /// Free text.
    Text,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 5] =
        [QuestionKind::Number, QuestionKind::Share, QuestionKind::Score, QuestionKind::Tick, QuestionKind::Text];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Number => "number",
            QuestionKind::Share => "share",
            QuestionKind::Score => "score",
            QuestionKind::Tick => "tick",
            QuestionKind::Text => "text",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|k| k.as_str() == t)
    }

    /// The range a value of this kind must fall in, before any range the question declares.
    pub fn default_range(self) -> (Option<f64>, Option<f64>) {
        match self {
            QuestionKind::Number => (Some(0.0), None),
            QuestionKind::Share => (Some(0.0), Some(100.0)),
            QuestionKind::Score => (Some(0.0), Some(4.0)),
            QuestionKind::Tick => (Some(0.0), Some(1.0)),
            QuestionKind::Text => (None, None),
        }
    }

    /// Whether answers are charted as categories (bars) rather than a histogram.
    pub fn is_categorical(self) -> bool {
        matches!(self, QuestionKind::Score | QuestionKind::Tick | QuestionKind::Text)
    }
}

/// Where a question's definition comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionOrigin {
    /// The 2017 questionnaire, as far as the notes describe it.
    Instrument,
    /// The checklist self-assessment of live rounds.
    SelfAssessment,
    /// Declared by an imported file.
    Declared,
}

/// A question an answer may refer to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionDef {
    pub code: String,
    pub text: String,
    pub kind: QuestionKind,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(skip_deserializing, default = "declared")]
    pub origin: QuestionOrigin,
}

fn declared() -> QuestionOrigin {
    QuestionOrigin::Declared
}

impl QuestionDef {
    /// The allowed range: the question's own bounds, else its kind's.
    pub fn range(&self) -> (Option<f64>, Option<f64>) {
        let (lo, hi) = self.kind.default_range();
        (self.min.or(lo), self.max.or(hi))
    }
}

/// The code of a live round's free-text line, "the one thing that blocks co-ordination here".
pub const BLOCKER_CODE: &str = "LIVE_BLOCKER";

/// The code of the self-assessment score for checklist objective `n` (1–12): `CL_SCORE_01` … `CL_SCORE_12`.
pub fn score_code(objective: i64) -> String {
    format!("CL_SCORE_{objective:02}")
}

/// The code of the tick "we face a `gap` gap with the `level` level": e.g. `GAP_FUNDING_NATIONAL`.
pub fn gap_code(gap: &str, level: &str) -> String {
    let clean = |s: &str| -> String {
        s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect()
    };
    format!("GAP_{}_{}", clean(gap), clean(level))
}

/// Every question the app knows without a file declaring it: the instrument's, then the self-assessment's.
pub fn catalogue(atlas: &Atlas) -> Vec<QuestionDef> {
    let mut out = Vec::new();
    for survey in &atlas.surveys {
        let Some(instrument) = &survey.instrument else { continue };
        for section in &instrument.sections {
            for q in &section.questions {
                let kind = q.kind.as_deref().and_then(QuestionKind::parse).unwrap_or(QuestionKind::Text);
                out.push(QuestionDef {
                    code: q.code.clone(),
                    text: q.text.clone(),
                    kind,
                    unit: q.unit.clone(),
                    min: None,
                    max: None,
                    origin: QuestionOrigin::Instrument,
                });
            }
        }
    }
    for o in &atlas.objectives {
        out.push(QuestionDef {
            code: score_code(o.number),
            text: format!("Self-assessment, objective {}: {} (0 = not at all … 4 = fully)", o.number, o.short_title),
            kind: QuestionKind::Score,
            unit: Some("score 0–4".to_owned()),
            min: None,
            max: None,
            origin: QuestionOrigin::SelfAssessment,
        });
    }
    for gap in GAP_TYPES {
        for level in ROUND_LEVELS {
            out.push(QuestionDef {
                code: gap_code(gap, level),
                text: format!("We face a {gap} gap with the {level} level (1 = yes, 0 = no)"),
                kind: QuestionKind::Tick,
                unit: Some("1/0".to_owned()),
                min: None,
                max: None,
                origin: QuestionOrigin::SelfAssessment,
            });
        }
    }
    out.push(QuestionDef {
        code: BLOCKER_CODE.to_owned(),
        text: "Live round: the one thing that blocks co-ordination here (free text)".to_owned(),
        kind: QuestionKind::Text,
        unit: None,
        min: None,
        max: None,
        origin: QuestionOrigin::SelfAssessment,
    });
    out
}

/// Converts an Excel serial day number (1900 date system, with Excel's phantom 29 February 1900) to `YYYY-MM-DD`.
pub fn excel_serial_to_date(serial: f64) -> Option<String> {
    if !serial.is_finite() || !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    // Serial 60 is the non-existent 1900-02-29; serials after it are one day ahead.
    let offset = if days > 60 { days - 1 } else { days };
    let base = jiff::civil::date(1899, 12, 31);
    base.checked_add(jiff::Span::new().days(offset)).ok().map(|d| d.to_string())
}

/// Reads a date written as `YYYY-MM-DD` (a time part is dropped) or as an Excel serial number.
pub fn parse_date(text: &str) -> Option<String> {
    let t = text.trim();
    if let Ok(n) = t.parse::<f64>() {
        return excel_serial_to_date(n);
    }
    let day = t.get(..10).unwrap_or(t);
    day.parse::<jiff::civil::Date>().ok().map(|d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_become_dates() {
        assert_eq!(excel_serial_to_date(1.0).as_deref(), Some("1900-01-01"));
        assert_eq!(excel_serial_to_date(59.0).as_deref(), Some("1900-02-28"));
        assert_eq!(excel_serial_to_date(61.0).as_deref(), Some("1900-03-01"));
        assert_eq!(excel_serial_to_date(45000.0).as_deref(), Some("2023-03-15"));
        assert_eq!(excel_serial_to_date(-3.0), None);
        assert_eq!(parse_date("2017-03-31T00:00:00").as_deref(), Some("2017-03-31"));
        assert_eq!(parse_date("31/03/2017"), None);
    }

    #[test]
    fn codes_are_stable() {
        assert_eq!(score_code(3), "CL_SCORE_03");
        assert_eq!(gap_code("policy-coherence", "regional/state"), "GAP_POLICY_COHERENCE_REGIONAL_STATE");
    }
}
