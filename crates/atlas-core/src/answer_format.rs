//! The answer format: one row per respondent × question, and the questions an answer may refer to.
//!
//! Known questions come from two places: the 2017 instrument's questions the notes describe (the population table
//! as numbers and shares, and the inferred free-text sections), and the checklist self-assessment used by live
//! workshop rounds (a score 0–4 per objective, and a tick per coordination gap × level of government). A file may
//! declare further questions in its question sheet or section.

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

pub use crate::model::{QuestionDef, QuestionKind, QuestionOrigin};

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
                text: format!("We face {} {gap} gap with the {level} level (1 = yes, 0 = no)", article(gap)),
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

/// "a" or "an" before a word, by its first letter's sound in the words used here (an information gap, a funding gap).
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) { "an" } else { "a" }
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

/// Reads a date: `YYYY-MM-DD` (a time after it, `2017-03-31T10:00`, is dropped) or `DD.MM.YYYY` (as written in
/// continental Europe; day first is the only reading of dots). The whole text must be one valid date: `2024-05-021`
/// and `2017` are not dates. An Excel serial day is read only from an Excel cell formatted as a date (the reader
/// turns those into `YYYY-MM-DD`), never from text.
pub fn parse_date(text: &str) -> Option<String> {
    let t = text.trim();
    let digits =
        |s: &str, n: std::ops::RangeInclusive<usize>| n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    let iso = t.len() == 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-';
    if iso && digits(&t[..4], 4..=4) && digits(&t[5..7], 2..=2) && digits(&t[8..], 2..=2) {
        return t.parse::<jiff::civil::Date>().ok().map(|d| d.to_string());
    }
    if t.len() > 10 && t.is_char_boundary(10) && matches!(t.as_bytes()[10], b'T' | b' ') {
        let day = parse_date(&t[..10])?;
        // The time must be a time too, so that nothing after the day is dropped unread.
        return t.parse::<jiff::civil::DateTime>().ok().map(|_| day);
    }
    let parts: Vec<&str> = t.split('.').collect();
    if let [d, m, y] = parts.as_slice()
        && digits(d, 1..=2)
        && digits(m, 1..=2)
        && digits(y, 4..=4)
    {
        let (d, m, y) = (d.parse::<i8>().ok()?, m.parse::<i8>().ok()?, y.parse::<i16>().ok()?);
        return jiff::civil::Date::new(y, m, d).ok().map(|d| d.to_string());
    }
    None
}

/// Why text is not a date, for a problem line.
pub fn date_problem(text: &str) -> String {
    let t = text.trim();
    let parts: Vec<&str> = t.split(['/', '-']).collect();
    if let [a, b, y] = parts.as_slice()
        && y.len() == 4
        && let (Ok(a), Ok(b)) = (a.parse::<u32>(), b.parse::<u32>())
    {
        if (1..=12).contains(&a) && (1..=12).contains(&b) && a != b {
            return format!(
                "{t:?} could be day {a} of month {b} or month {a}, day {b}: write YYYY-MM-DD ({y}-{b:02}-{a:02} or \
                 {y}-{a:02}-{b:02})"
            );
        }
        return format!("{t:?}: write dates as YYYY-MM-DD or DD.MM.YYYY, so that day and month cannot be swapped");
    }
    if t.bytes().all(|b| b.is_ascii_digit() || b == b'.') && !t.contains("..") && t.split('.').count() < 3 {
        return format!("{t:?} is a number, not a date: write YYYY-MM-DD or DD.MM.YYYY");
    }
    format!("{t:?} is not a date: write YYYY-MM-DD or DD.MM.YYYY")
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
    }

    #[test]
    fn dates_are_whole_valid_dates() {
        assert_eq!(parse_date("2017-03-31T00:00:00").as_deref(), Some("2017-03-31"));
        assert_eq!(parse_date("2017-03-31 10:30").as_deref(), Some("2017-03-31"));
        assert_eq!(parse_date("31.03.2017").as_deref(), Some("2017-03-31"));
        assert_eq!(parse_date("1.3.2017").as_deref(), Some("2017-03-01"));
        for bad in
            ["31/03/2017", "2024-05-021", "2017", "45000", "2024-02-30", "31.02.2017", "2017-03-31Tjunk", "1.3.17"]
        {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert!(date_problem("03/04/2017").contains("could be day 3 of month 4 or month 3, day 4"));
        assert!(date_problem("2017").contains("is a number, not a date"));
    }

    #[test]
    fn codes_are_stable() {
        assert_eq!(score_code(3), "CL_SCORE_03");
        assert_eq!(gap_code("policy-coherence", "regional/state"), "GAP_POLICY_COHERENCE_REGIONAL_STATE");
    }
}
