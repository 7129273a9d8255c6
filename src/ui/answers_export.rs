//! The Responses view's exports: the answer template, a round in the import format, and the table as filtered
//! (with its chart as a native Excel chart). Each returns the one line the window shows.

use crate::analysis::responses::short_label;
use crate::answers::{FileFormat, QuestionDef, write};
use crate::export::{Cell, ChartKind, ChartSpec, Table, target_path};
use crate::model::AnswerSet;

use super::responses::ResponsesCache;

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

/// The respondents × questions table as filtered, and the charted question's counts.
pub fn tables(set: &AnswerSet, cache: &ResponsesCache) -> Vec<Table> {
    let mut header: Vec<String> = ["round", "respondent", "city", "country"].map(str::to_owned).to_vec();
    header.extend(cache.columns.iter().map(|q| set.questions[*q].code.clone()));
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut grid = Table::new("Responses", &header_refs);
    for r in &cache.rows {
        let who = &set.respondents[*r];
        let mut row = vec![
            Cell::from(&set.rounds[who.round].title),
            Cell::from(&who.id),
            who.city.as_ref().map_or(Cell::Empty, Cell::from),
            who.country.as_ref().map_or(Cell::Empty, Cell::from),
        ];
        for q in &cache.columns {
            row.push(match set.answer(*r, *q) {
                Some(a) => match (a.value_num, &a.value_text) {
                    (Some(n), _) => Cell::Number(n),
                    (None, Some(t)) => Cell::from(t),
                    _ => Cell::Empty,
                },
                None => Cell::Empty,
            });
        }
        grid.push(row);
    }
    let mut out = vec![grid];
    if let Some(summary) = &cache.summary {
        let code = &set.questions[summary.question].code;
        let title = format!("Answers to {code}");
        let mut chart = Table::new(&title, &["answer", "respondents"]);
        if summary.histogram.is_empty() {
            for (c, n) in &summary.categories {
                chart.push(vec![Cell::from(c), Cell::Number(*n as f64)]);
            }
        } else {
            for (lo, hi, n) in &summary.histogram {
                chart.push(vec![
                    Cell::from(format!("{}–{}", short_label(*lo), short_label(*hi))),
                    Cell::Number(*n as f64),
                ]);
            }
        }
        chart.chart = Some(ChartSpec::new(ChartKind::Bar, &title, 0, vec![1]));
        out.push(chart);
    }
    out
}
