//! Checking an answer file before anything is written: every problem is listed with file, sheet, row, column and
//! reason, and the rows without problems form the import plan.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::format::{QuestionDef, QuestionKind, QuestionOrigin, REQUIRED_COLUMNS, parse_date};
use super::read::{Cell, RawFile, RawRow, RawTable, format_number};
use crate::text::fold;

/// One problem found in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportIssue {
    pub file: String,
    pub sheet: Option<String>,
    /// 0 for a problem with the whole sheet (e.g. a missing column).
    pub row: usize,
    pub column: Option<String>,
    pub reason: String,
    /// A problem the user can resolve in the app (an unknown city they may add).
    pub unknown_city: bool,
}

impl fmt::Display for ImportIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, ", sheet {sheet}")?;
        }
        if self.row > 0 {
            write!(f, ", row {}", self.row)?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column {column}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// One answer that passed every check. Texts are shared: a respondent's id, city and country, a question code or a
/// date repeated over many rows is held once.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidAnswer {
    pub row: usize,
    pub respondent_id: Arc<str>,
    pub city: Option<Arc<str>>,
    pub country: Option<Arc<str>>,
    pub question_code: Arc<str>,
    pub value_num: Option<f64>,
    pub value_text: Option<Arc<str>>,
    pub unit_notes: Option<Arc<str>>,
    pub answered_on: Option<Arc<str>>,
    /// False when the city is not known yet; such rows import only if the user adds the city.
    pub city_known: bool,
}

/// A city the file names that the database does not know.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownCity {
    pub name: String,
    pub country: Option<String>,
    pub rows: usize,
}

/// What an import would write, and what it would leave out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportPlan {
    pub file: String,
    pub title: String,
    pub held_on: Option<String>,
    pub survey: Option<String>,
    /// Questions the file declares that the app did not know.
    pub declared: Vec<QuestionDef>,
    pub answers: Vec<ValidAnswer>,
    pub issues: Vec<ImportIssue>,
    pub unknown_cities: Vec<UnknownCity>,
    /// Answer rows in the file (valid or not).
    pub rows_total: usize,
}

impl ImportPlan {
    /// Rows that would be written: all valid ones, or only those with known cities.
    pub fn importable(&self, add_cities: bool) -> impl Iterator<Item = &ValidAnswer> {
        self.answers.iter().filter(move |a| add_cities || a.city_known)
    }

    pub fn importable_count(&self, add_cities: bool) -> usize {
        self.importable(add_cities).count()
    }

    /// Problems that adding the unknown cities would not fix.
    pub fn hard_issues(&self) -> impl Iterator<Item = &ImportIssue> {
        self.issues.iter().filter(|i| !i.unknown_city)
    }

    /// A one-line summary: "answers.csv: 120 rows, 118 valid, 2 with problems".
    pub fn summary(&self) -> String {
        let bad_rows: HashSet<usize> = self.issues.iter().map(|i| i.row).collect();
        format!(
            "{}: {} answer rows, {} valid, {} with problems{}",
            self.file,
            self.rows_total,
            self.answers.iter().filter(|a| a.city_known).count(),
            bad_rows.len(),
            if self.unknown_cities.is_empty() {
                String::new()
            } else {
                format!(", {} unknown cities", self.unknown_cities.len())
            }
        )
    }
}

struct Issues<'a> {
    file: &'a str,
    list: Vec<ImportIssue>,
}

impl Issues<'_> {
    fn push(&mut self, table: &RawTable, row: usize, column: Option<&str>, reason: String) {
        self.list.push(ImportIssue {
            file: self.file.to_owned(),
            sheet: table.sheet.clone(),
            row,
            column: column.map(str::to_owned),
            reason,
            unknown_city: false,
        });
    }
}

/// A value checked against its question.
fn check_value(q: &QuestionDef, cell: &Cell) -> Result<(Option<f64>, Option<Arc<str>>), String> {
    if q.kind == QuestionKind::Text {
        return Ok((None, Some(cell.shared())));
    }
    let text = cell.str();
    let number = match (q.kind, cell) {
        (_, Cell::Number(n)) => *n,
        (QuestionKind::Tick, _) => match text.as_ref() {
            "1" => 1.0,
            "0" => 0.0,
            _ => match fold(&text).as_str() {
                "1" | "yes" | "y" | "true" | "x" => 1.0,
                "0" | "no" | "n" | "false" => 0.0,
                _ => return Err(format!("{text:?} is not a tick: write 1 or 0 (yes/no)")),
            },
        },
        _ => match text.parse::<f64>() {
            // Most values are plain numbers; only the others are cleaned up.
            Ok(n) if n.is_finite() => n,
            _ => {
                let cleaned: String =
                    text.trim_end_matches('%').chars().filter(|c| !c.is_whitespace() && *c != '_').collect();
                match cleaned.parse::<f64>() {
                    Ok(n) if n.is_finite() => n,
                    _ if cleaned.contains(',')
                        && !cleaned.contains('.')
                        && cleaned.replace(',', ".").parse::<f64>().is_ok() =>
                    {
                        return Err(format!("{text:?}: write decimals with a point, not a comma"));
                    }
                    _ => return Err(format!("{text:?} is not a number ({} expected)", q.kind.as_str())),
                }
            }
        },
    };
    if q.kind == QuestionKind::Score && number.fract() != 0.0 {
        return Err(format!("{} is not a whole score (0, 1, 2, 3 or 4)", format_number(number)));
    }
    let (lo, hi) = q.range();
    let out_of_range = lo.is_some_and(|lo| number < lo) || hi.is_some_and(|hi| number > hi);
    if out_of_range {
        let range = match (lo, hi) {
            (Some(lo), Some(hi)) => format!("{}–{}", format_number(lo), format_number(hi)),
            (Some(lo), None) => format!("at least {}", format_number(lo)),
            (None, Some(hi)) => format!("at most {}", format_number(hi)),
            (None, None) => String::new(),
        };
        return Err(format!("{} is out of range for a {} ({range})", format_number(number), q.kind.as_str()));
    }
    Ok((Some(number), None))
}

fn declared_questions(file: &RawFile, known: &HashMap<String, &QuestionDef>, issues: &mut Issues) -> Vec<QuestionDef> {
    let Some(table) = &file.questions else { return Vec::new() };
    for needed in ["code", "kind", "text"] {
        if !table.columns.iter().any(|c| c == needed) {
            issues.push(table, table.header_row, Some(needed), format!("the question sheet has no '{needed}' column"));
            return Vec::new();
        }
    }
    let mut out: Vec<QuestionDef> = Vec::new();
    for row in &table.rows {
        let code = table.get(row, "code").text();
        if code.is_empty() {
            issues.push(table, row.row, Some("code"), "empty question code".to_owned());
            continue;
        }
        let kind_text = table.get(row, "kind").text();
        let Some(kind) = QuestionKind::parse(&kind_text) else {
            let kinds: Vec<_> = QuestionKind::ALL.iter().map(|k| k.as_str()).collect();
            issues.push(
                table,
                row.row,
                Some("kind"),
                format!("{kind_text:?} is not a kind; one of {}", kinds.join(", ")),
            );
            continue;
        };
        let mut bound = |column: &str| -> Result<Option<f64>, ()> {
            let cell = table.get(row, column);
            if cell.is_empty() {
                return Ok(None);
            }
            match cell {
                Cell::Number(n) => Ok(Some(*n)),
                other => other.text().parse::<f64>().map(Some).map_err(|_| {
                    issues.push(table, row.row, Some(column), format!("{:?} is not a number", other.text()));
                }),
            }
        };
        let (Ok(min), Ok(max)) = (bound("min"), bound("max")) else { continue };
        let def = QuestionDef {
            code: code.clone(),
            text: table.get(row, "text").text(),
            kind,
            unit: Some(table.get(row, "unit").text()).filter(|u| !u.is_empty()),
            min,
            max,
            origin: QuestionOrigin::Declared,
        };
        if let Some(existing) = known.get(&code) {
            // Re-declaring a known question is fine as long as it agrees on the kind.
            if existing.kind != kind {
                issues.push(
                    table,
                    row.row,
                    Some("kind"),
                    format!(
                        "{code} is a known {} question; it cannot be declared as {}",
                        existing.kind.as_str(),
                        kind.as_str()
                    ),
                );
            }
            continue;
        }
        if out.iter().any(|q| q.code == code) {
            issues.push(table, row.row, Some("code"), format!("{code} is declared twice"));
            continue;
        }
        out.push(def);
    }
    out
}

/// Checks a file against the known questions and cities. `known_cities` holds folded city names.
pub fn validate(file: &RawFile, catalogue: &[QuestionDef], known_cities: &HashSet<String>) -> ImportPlan {
    match Checker::new(file, catalogue, known_cities) {
        Ok(mut checker) => {
            checker.reserve(file.answers.rows.len());
            for row in &file.answers.rows {
                checker.check(row);
            }
            checker.finish()
        }
        Err(plan) => plan,
    }
}

/// Checks answer rows one by one, so that rows can be checked while the rest of the file is still being read.
/// Built from the file's header (round details, question sheet, answer columns); `file.answers.rows` may be empty.
pub struct Checker<'a> {
    file: &'a RawFile,
    known_cities: &'a HashSet<String>,
    issues: Issues<'a>,
    state: RowState,
    /// Question code → (the code as shared text, its definition, a small id).
    codes: FxHashMap<String, (Arc<str>, QuestionDef, usize)>,
    city_known: FxHashMap<Arc<str>, bool>,
    unknown_index: HashMap<String, usize>,
    plan: ImportPlan,
}

impl<'a> Checker<'a> {
    /// Checks the header; a file that cannot be checked row by row (a required column is missing) gives its plan
    /// at once, as `Err`.
    pub fn new(
        file: &'a RawFile,
        catalogue: &[QuestionDef],
        known_cities: &'a HashSet<String>,
    ) -> Result<Self, ImportPlan> {
        let mut issues = Issues { file: &file.file, list: Vec::new() };
        let known: HashMap<String, &QuestionDef> = catalogue.iter().map(|q| (q.code.clone(), q)).collect();
        let declared = declared_questions(file, &known, &mut issues);
        let mut questions = known.clone();
        for q in &declared {
            questions.insert(q.code.clone(), q);
        }
        // Question codes as shared text, looked up once per code.
        let codes: FxHashMap<String, (Arc<str>, QuestionDef, usize)> = questions
            .iter()
            .enumerate()
            .map(|(i, (code, q))| (code.clone(), (Arc::from(code.as_str()), (*q).clone(), i)))
            .collect();
        let table = &file.answers;
        let title = file
            .round
            .title
            .clone()
            .unwrap_or_else(|| file.file.rsplit_once('.').map_or(file.file.as_str(), |(stem, _)| stem).to_owned());
        let mut plan = ImportPlan {
            file: file.file.clone(),
            title,
            held_on: None,
            survey: file.round.survey.clone(),
            rows_total: table.rows.len(),
            ..Default::default()
        };
        if let Some(cell) = &file.round.held_on {
            match parse_date(&cell.text()) {
                Some(date) => plan.held_on = Some(date),
                None => issues.list.push(ImportIssue {
                    file: file.file.clone(),
                    sheet: Some("round".to_owned()),
                    row: 0,
                    column: Some("held_on".to_owned()),
                    reason: format!("{:?} is not a date (YYYY-MM-DD or an Excel date)", cell.text()),
                    unknown_city: false,
                }),
            }
        }
        let missing: Vec<&str> =
            REQUIRED_COLUMNS.iter().copied().filter(|c| !table.columns.iter().any(|have| have == c)).collect();
        // A JSON file has no header: with no answers at all, there are no columns to miss.
        let headerless_and_empty = table.header_row == 0 && table.rows.is_empty();
        if !missing.is_empty() && !headerless_and_empty {
            for column in missing {
                issues.push(table, table.header_row, Some(column), format!("the answers have no '{column}' column"));
            }
            plan.issues = issues.list;
            plan.declared = declared;
            return Err(plan);
        }
        plan.declared = declared;
        plan.rows_total = 0;
        Ok(Checker {
            file,
            known_cities,
            issues,
            state: RowState::new(table),
            codes,
            city_known: FxHashMap::default(),
            unknown_index: HashMap::new(),
            plan,
        })
    }

    /// Room for this many more answers.
    pub fn reserve(&mut self, rows: usize) {
        self.plan.answers.reserve(rows);
        self.state.seen.reserve(rows);
    }

    /// Checks one answer row.
    pub fn check(&mut self, row: &RawRow) {
        let table = &self.file.answers;
        self.plan.rows_total += 1;
        let Some(mut answer) = check_row(table, row, &self.codes, &mut self.issues, &mut self.state) else { return };
        if let Some(city) = &answer.city {
            let known_cities = self.known_cities;
            let known = *self.city_known.entry(Arc::clone(city)).or_insert_with(|| known_cities.contains(&fold(city)));
            if !known {
                answer.city_known = false;
                let unknown = &mut self.plan.unknown_cities;
                let index = *self.unknown_index.entry(fold(city)).or_insert_with(|| {
                    unknown.push(UnknownCity {
                        name: city.to_string(),
                        country: answer.country.as_deref().map(str::to_owned),
                        rows: 0,
                    });
                    unknown.len() - 1
                });
                unknown[index].rows += 1;
                self.issues.list.push(ImportIssue {
                    file: self.file.file.clone(),
                    sheet: table.sheet.clone(),
                    row: row.row,
                    column: Some("city".to_owned()),
                    reason: format!("{city:?} is not a city this database knows (add it to import this row)"),
                    unknown_city: true,
                });
            }
        }
        self.plan.answers.push(answer);
    }

    /// The plan: the valid answers, every problem found, the unknown cities.
    pub fn finish(self) -> ImportPlan {
        let mut plan = self.plan;
        plan.issues = self.issues.list;
        if plan.held_on.is_none() {
            plan.held_on = plan.answers.iter().filter_map(|a| a.answered_on.as_deref()).min().map(str::to_owned);
        }
        plan
    }
}

/// What the rows checked so far tell about the next: column positions, each respondent's city and first row,
/// which (respondent, question) pairs were answered, and the last date read.
struct RowState {
    columns: [Option<usize>; 7],
    /// Respondent id → (small id, city, country, first row): a respondent's city and country are stored once.
    respondents: FxHashMap<Arc<str>, (u32, Option<Arc<str>>, Option<Arc<str>>, usize)>,
    seen: FxHashMap<(u32, usize), usize>,
    last_date: Option<(Arc<str>, Arc<str>)>,
}

const RESPONDENT: usize = 0;
const CODE: usize = 1;
const VALUE: usize = 2;
const DATE: usize = 3;
const CITY: usize = 4;
const COUNTRY: usize = 5;
const UNIT_NOTES: usize = 6;

impl RowState {
    fn new(table: &RawTable) -> Self {
        let columns = ["respondent_id", "question_code", "value", "date", "city", "country", "unit_notes"]
            .map(|name| table.column(name));
        RowState {
            columns,
            respondents: FxHashMap::default(),
            seen: FxHashMap::with_capacity_and_hasher(table.rows.len(), Default::default()),
            last_date: None,
        }
    }
}

fn check_row(
    table: &RawTable,
    row: &RawRow,
    codes: &FxHashMap<String, (Arc<str>, QuestionDef, usize)>,
    issues: &mut Issues,
    state: &mut RowState,
) -> Option<ValidAnswer> {
    let cell = |which: usize| row.at(state.columns[which]);
    let before = issues.list.len();
    for (which, column) in [RESPONDENT, CODE, VALUE].into_iter().zip(REQUIRED_COLUMNS) {
        if cell(which).is_empty() {
            issues.push(table, row.row, Some(column), format!("{column} is empty"));
        }
    }
    if issues.list.len() > before {
        return None;
    }
    let respondent_id = cell(RESPONDENT).shared();
    let code = cell(CODE).str();
    let Some((code, question, question_key)) = codes.get(code.as_ref()) else {
        issues.push(
            table,
            row.row,
            Some("question_code"),
            format!("unknown question code {code:?} (declare it in the questions sheet or section)"),
        );
        return None;
    };
    let (value_num, value_text) = match check_value(question, cell(VALUE)) {
        Ok(v) => v,
        Err(reason) => {
            issues.push(table, row.row, Some("value"), format!("{code}: {reason}"));
            return None;
        }
    };
    let answered_on = {
        let date = cell(DATE);
        if date.is_empty() {
            None
        } else {
            let raw = date.shared();
            match &state.last_date {
                // The same date as the row before: already checked.
                Some((last, parsed)) if *last == raw => Some(Arc::clone(parsed)),
                _ => match parse_date(&raw) {
                    Some(d) => {
                        let parsed: Arc<str> = Arc::from(d);
                        state.last_date = Some((raw, Arc::clone(&parsed)));
                        Some(parsed)
                    }
                    None => {
                        issues.push(
                            table,
                            row.row,
                            Some("date"),
                            format!("{:?} is not a date (YYYY-MM-DD or an Excel date)", date.text()),
                        );
                        return None;
                    }
                },
            }
        }
    };
    let city = Some(cell(CITY)).filter(|c| !c.is_empty()).map(Cell::shared);
    let country = Some(cell(COUNTRY)).filter(|c| !c.is_empty()).map(Cell::shared);
    let next_id = state.respondents.len() as u32;
    let (respondent, first_city, first_country, first_row) = state
        .respondents
        .entry(Arc::clone(&respondent_id))
        .or_insert_with(|| (next_id, city.clone(), country.clone(), row.row));
    // A respondent's city and country are stored once: every row must agree with their first (case and accents
    // aside).
    for (column, first, here) in [("city", &*first_city, &city), ("country", &*first_country, &country)] {
        let same = match (first.as_deref(), here.as_deref()) {
            (Some(a), Some(b)) => a == b || fold(a) == fold(b),
            (None, None) => true,
            _ => false,
        };
        if !same {
            issues.push(
                table,
                row.row,
                Some(column),
                format!(
                    "respondent {respondent_id} has {column} {} here but {} on row {first_row}",
                    here.as_deref().unwrap_or("(none)"),
                    first.as_deref().unwrap_or("(none)")
                ),
            );
            return None;
        }
    }
    match state.seen.entry((*respondent, *question_key)) {
        std::collections::hash_map::Entry::Occupied(first) => {
            issues.push(
                table,
                row.row,
                None,
                format!("duplicate: respondent {respondent_id} already answered {code} on row {}", first.get()),
            );
            return None;
        }
        std::collections::hash_map::Entry::Vacant(slot) => {
            slot.insert(row.row);
        }
    }
    Some(ValidAnswer {
        row: row.row,
        respondent_id,
        city,
        country,
        question_code: Arc::clone(code),
        value_num,
        value_text,
        unit_notes: Some(cell(UNIT_NOTES)).filter(|c| !c.is_empty()).map(Cell::shared),
        answered_on,
        city_known: true,
    })
}
