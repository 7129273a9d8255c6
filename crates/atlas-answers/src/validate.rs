//! Checking an answer file before anything is written: every problem is listed with file, sheet, row, column and
//! reason, and the rows without problems form the import plan.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::format::{QuestionDef, QuestionKind, QuestionOrigin, REQUIRED_COLUMNS, date_problem, parse_date};
use super::raw::{MAX_LISTED_NAMES, list_names};
use super::read::{Cell, MAX_CELL_CHARS, RawFile, RawRow, RawTable, format_number};
use atlas_core::text::fold;

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

/// One answer that passed every check, as the plan lends it out ([`Answers::iter`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValidAnswer<'a> {
    pub row: usize,
    pub respondent_id: &'a str,
    pub city: Option<&'a str>,
    pub country: Option<&'a str>,
    pub question_code: &'a str,
    pub value_num: Option<f64>,
    pub value_text: Option<&'a str>,
    pub unit_notes: Option<&'a str>,
    pub answered_on: Option<&'a str>,
    /// False when the city is not known yet; such rows import only if the user adds the city.
    pub city_known: bool,
}

/// An answer as the plan holds it: the file's texts (respondent ids, cities, countries, question codes, dates, notes,
/// text values) are numbers into one table of distinct texts, so that the largest files stay small in memory (32 bytes
/// an answer, all 4-byte numbers).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PackedAnswer {
    row: u32,
    respondent_id: u32,
    /// The (city, country) pair, a number into [`Answers::places`].
    place: u32,
    question_code: u32,
    /// A number's bits, a text value's number, or none (see [`Value`]), as two halves.
    value: [u32; 2],
    unit_notes: u32,
    answered_on: u32,
}

/// The text number that stands for no text.
const NO_TEXT: u32 = u32::MAX;

/// An answer's value packed in 64 bits: a number as its own bits; no value, a text value (by its number) and NaN as
/// NaN bit patterns no number check lets through otherwise.
struct Value;

impl Value {
    const NONE: u64 = 0x7FF8_0000_0000_0000;
    const TEXT: u64 = 0x7FF9_0000_0000_0000;
    const NAN: u64 = 0x7FFA_0000_0000_0000;

    fn pack(number: Option<f64>, text: u32) -> [u32; 2] {
        let bits = match (number, text) {
            (_, text) if text != NO_TEXT => Value::TEXT | u64::from(text),
            (Some(n), _) if n.is_nan() => Value::NAN,
            (Some(n), _) => n.to_bits(),
            (None, _) => Value::NONE,
        };
        [(bits >> 32) as u32, bits as u32]
    }

    /// (the number, the text's number).
    fn unpack(value: [u32; 2]) -> (Option<f64>, u32) {
        let bits = (u64::from(value[0]) << 32) | u64::from(value[1]);
        match bits & 0xFFFF_FFFF_0000_0000 {
            Value::NONE => (None, NO_TEXT),
            Value::TEXT => (None, bits as u32),
            Value::NAN => (Some(f64::NAN), NO_TEXT),
            _ => (Some(f64::from_bits(bits)), NO_TEXT),
        }
    }
}

/// The answers that passed every check, in the file's order, with the texts they name held once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answers {
    texts: Vec<Arc<str>>,
    /// For each text used as a city: whether the database knows it (other texts: false, never read).
    known_city: Vec<bool>,
    /// (city, country) pairs as text numbers.
    places: Vec<(u32, u32)>,
    rows: Vec<PackedAnswer>,
    /// Answers whose city the database does not know yet.
    unknown_city_rows: usize,
}

impl Answers {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The answer at `index` (in the file's order).
    pub fn get(&self, index: usize) -> Option<ValidAnswer<'_>> {
        self.rows.get(index).map(|p| self.unpack(p))
    }

    pub fn iter(&self) -> impl Iterator<Item = ValidAnswer<'_>> + '_ {
        self.rows.iter().map(|p| self.unpack(p))
    }

    fn text(&self, id: u32) -> Option<&str> {
        if id == NO_TEXT { None } else { self.texts.get(id as usize).map(|t| &**t) }
    }

    fn unpack(&self, p: &PackedAnswer) -> ValidAnswer<'_> {
        let (city, country) = self.places.get(p.place as usize).copied().unwrap_or((NO_TEXT, NO_TEXT));
        let (value_num, value_text) = Value::unpack(p.value);
        ValidAnswer {
            row: p.row as usize,
            respondent_id: self.text(p.respondent_id).unwrap_or_default(),
            city: self.text(city),
            country: self.text(country),
            question_code: self.text(p.question_code).unwrap_or_default(),
            value_num,
            value_text: self.text(value_text),
            unit_notes: self.text(p.unit_notes),
            answered_on: self.text(p.answered_on),
            city_known: city == NO_TEXT || self.known_city.get(city as usize).copied().unwrap_or(false),
        }
    }
}

/// Gives each distinct text of a file one number while it is checked.
#[derive(Default)]
struct Interner {
    ids: FxHashMap<Arc<str>, u32>,
    places: FxHashMap<(u32, u32), u32>,
}

impl Interner {
    fn id(&mut self, answers: &mut Answers, text: Option<&Arc<str>>) -> u32 {
        let Some(text) = text else { return NO_TEXT };
        if let Some(id) = self.ids.get(&**text) {
            return *id;
        }
        let id = answers.texts.len() as u32;
        answers.texts.push(Arc::clone(text));
        answers.known_city.push(false);
        self.ids.insert(Arc::clone(text), id);
        id
    }

    fn place(&mut self, answers: &mut Answers, city: u32, country: u32) -> u32 {
        *self.places.entry((city, country)).or_insert_with(|| {
            answers.places.push((city, country));
            (answers.places.len() - 1) as u32
        })
    }
}

/// One answer as checked, before it is packed into [`Answers`].
struct Checked {
    row: usize,
    respondent_id: Arc<str>,
    city: Option<Arc<str>>,
    country: Option<Arc<str>>,
    question_code: Arc<str>,
    value_num: Option<f64>,
    value_text: Option<Arc<str>>,
    unit_notes: Option<Arc<str>>,
    answered_on: Option<Arc<str>>,
    city_known: bool,
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
    pub answers: Answers,
    pub issues: Vec<ImportIssue>,
    pub unknown_cities: Vec<UnknownCity>,
    /// Answer rows in the file (valid or not).
    pub rows_total: usize,
    /// The encoding a CSV file was read in.
    pub encoding: Option<atlas_core::input::TextEncoding>,
    /// Problems found beyond the [`MAX_LISTED_ISSUES`] listed in `issues`.
    pub issues_left_out: usize,
    /// Rows with a problem that adding cities would not fix.
    pub rows_with_problems: usize,
    /// Columns of the answer table that the format does not have: read past, and said so in the summary.
    pub unused_columns: Vec<String>,
}

impl ImportPlan {
    /// Rows that would be written: all valid ones, or only those with known cities.
    pub fn importable(&self, add_cities: bool) -> impl Iterator<Item = ValidAnswer<'_>> + '_ {
        self.answers.iter().filter(move |a| add_cities || a.city_known)
    }

    pub fn importable_count(&self, add_cities: bool) -> usize {
        if add_cities { self.answers.len() } else { self.answers.len() - self.answers.unknown_city_rows }
    }

    /// Problems that adding the unknown cities would not fix.
    pub fn hard_issues(&self) -> impl Iterator<Item = &ImportIssue> {
        self.issues.iter().filter(|i| !i.unknown_city)
    }

    /// A one-line summary: "answers.csv: 120 rows, 118 valid, 2 with problems". A CSV file not in UTF-8 says
    /// which encoding it was read in: "answers.csv (read as Windows-1252): …".
    pub fn summary(&self) -> String {
        self.summary_for(false)
    }

    /// The summary when the unknown cities will be added (`add_cities`): their rows count as valid, and the cities
    /// are named as what will be added, not as problems.
    pub fn summary_for(&self, add_cities: bool) -> String {
        let listed: HashSet<usize> = self.issues.iter().filter(|i| !i.unknown_city).map(|i| i.row).collect();
        let bad_rows = self.rows_with_problems.max(listed.len());
        let encoding = match self.encoding {
            Some(e) if e != atlas_core::input::TextEncoding::Utf8 => format!(" (read as {})", e.name()),
            _ => String::new(),
        };
        format!(
            "{}{encoding}: {} answer rows, {} valid, {} with problems{}",
            self.file,
            self.rows_total,
            self.importable_count(add_cities),
            bad_rows,
            match (self.unknown_cities.len(), add_cities) {
                (0, _) => String::new(),
                (n, true) =>
                    format!(", {n} new {} to add: {}", if n == 1 { "city" } else { "cities" }, self.new_cities()),
                (n, false) => format!(", {n} unknown {}", if n == 1 { "city" } else { "cities" }),
            }
        ) + &self.unused_note()
    }

    /// "; column answered_on is not used (the format's columns: …)", or nothing. Past a few names, the rest are
    /// counted: "; columns a, b, c, d, e and 120 more are not used (…)".
    fn unused_note(&self) -> String {
        match self.unused_columns.as_slice() {
            [] => String::new(),
            names => {
                let (noun, verb) = if names.len() == 1 { ("column", "is") } else { ("columns", "are") };
                format!(
                    "; {noun} {} {verb} not used (the format's columns are {})",
                    list_names(names),
                    COLUMN_NAMES.join(", ")
                )
            }
        }
    }

    /// The unknown cities as a list: "Lyon (France, 12 rows), Graz (3 rows)".
    pub fn new_cities(&self) -> String {
        let names: Vec<String> = self
            .unknown_cities
            .iter()
            .map(|c| {
                let rows = format!("{} {}", c.rows, if c.rows == 1 { "row" } else { "rows" });
                match &c.country {
                    Some(country) => format!("{} ({country}, {rows})", c.name),
                    None => format!("{} ({rows})", c.name),
                }
            })
            .collect();
        names.join(", ")
    }
}

/// Problems kept in detail; past these, problems are counted (a file with a problem on every one of millions of rows
/// must not take gigabytes to say so).
pub const MAX_LISTED_ISSUES: usize = 10_000;
/// Distinct unknown cities kept; a file naming more is not a list of cities to add.
pub const MAX_UNKNOWN_CITIES: usize = 1_000;

struct Issues<'a> {
    file: &'a str,
    list: Vec<ImportIssue>,
    /// Every problem found, listed or not.
    count: usize,
    /// Problems found that adding cities would not fix.
    hard: usize,
    left_out: usize,
}

impl Issues<'_> {
    fn new(file: &str) -> Issues<'_> {
        Issues { file, list: Vec::new(), count: 0, hard: 0, left_out: 0 }
    }

    fn add(&mut self, issue: ImportIssue) {
        self.count += 1;
        if !issue.unknown_city {
            self.hard += 1;
        }
        if self.list.len() < MAX_LISTED_ISSUES {
            self.list.push(issue);
        } else {
            self.left_out += 1;
        }
    }

    fn push(&mut self, table: &RawTable, row: usize, column: Option<&str>, reason: String) {
        self.add(ImportIssue {
            file: self.file.to_owned(),
            sheet: table.sheet.clone(),
            row,
            column: column.map(str::to_owned),
            reason,
            unknown_city: false,
        });
    }
}

/// Columns named twice in a header: (name, first position, second position), positions from 1. One look-up a
/// column, so that a header of thousands of columns is checked at once.
fn duplicate_columns(table: &RawTable) -> Vec<(&str, usize, usize)> {
    let mut first_at: FxHashMap<&str, usize> = FxHashMap::default();
    let mut out = Vec::new();
    for (i, name) in table.columns.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        let first = *first_at.entry(name.as_str()).or_insert(i);
        if first != i {
            out.push((name.as_str(), first + 1, i + 1));
        }
    }
    out
}

/// Reports columns named twice: which one holds the value would be a guess. The first few are named, the rest
/// counted in one more problem.
fn report_duplicate_columns(table: &RawTable, issues: &mut Issues) -> bool {
    let twice = duplicate_columns(table);
    for (name, first, second) in twice.iter().take(MAX_LISTED_NAMES) {
        issues.push(
            table,
            table.header_row,
            Some(name),
            format!("the column '{name}' appears twice (columns {first} and {second}); keep one"),
        );
    }
    if let Some(more) = twice.len().checked_sub(MAX_LISTED_NAMES).filter(|n| *n > 0) {
        let (noun, verb) = if more == 1 { ("column", "repeats") } else { ("columns", "repeat") };
        issues.push(
            table,
            table.header_row,
            None,
            format!("{more} more {noun} {verb} a name used before; keep one column of each name"),
        );
    }
    !twice.is_empty()
}

/// A value checked against its question.
fn check_value(q: &QuestionDef, cell: &Cell, decimal_comma: bool) -> Result<(Option<f64>, Option<Arc<str>>), String> {
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
            // Most values are plain numbers; only the others are cleaned up (and, where commas are decimal, points).
            Ok(n) if n.is_finite() && !(decimal_comma && text.contains('.')) => n,
            _ => {
                let cleaned: String =
                    text.trim_end_matches('%').chars().filter(|c| !c.is_whitespace() && *c != '_').collect();
                let thousands = |t: &str| {
                    let mut groups = t.trim_start_matches('-').split('.');
                    groups.next().is_some_and(|g| (1..=3).contains(&g.len()))
                        && groups.clone().count() > 0
                        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
                };
                match cleaned.parse::<f64>() {
                    // In a `;`-separated file `1.500` may be a thousands separator: refused rather than guessed.
                    Ok(_) if decimal_comma && thousands(&cleaned) => {
                        return Err(format!(
                            "{text:?} could be a thousand or a decimal: write it without a thousands separator"
                        ));
                    }
                    Ok(n) if n.is_finite() => n,
                    _ if decimal_comma && cleaned.matches(',').count() == 1 && !cleaned.contains('.') => {
                        match cleaned.replace(',', ".").parse::<f64>() {
                            Ok(n) if n.is_finite() => n,
                            _ => return Err(format!("{text:?} is not a number ({} expected)", q.kind.as_str())),
                        }
                    }
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
    if report_duplicate_columns(table, issues) {
        return Vec::new();
    }
    for needed in ["code", "kind", "text"] {
        if !table.columns.iter().any(|c| c == needed) {
            issues.push(table, table.header_row, Some(needed), format!("the question sheet has no '{needed}' column"));
            return Vec::new();
        }
    }
    // Each column looked up once, not once a row.
    let [code_at, kind_at, text_at, unit_at, min_at, max_at] =
        ["code", "kind", "text", "unit", "min", "max"].map(|name| table.column(name));
    let mut out: Vec<QuestionDef> = Vec::new();
    let mut declared_codes: HashSet<String> = HashSet::new();
    for row in &table.rows {
        let code = row.at(code_at).text();
        if code.is_empty() {
            issues.push(table, row.row, Some("code"), "empty question code".to_owned());
            continue;
        }
        let kind_text = row.at(kind_at).text();
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
        let mut bound = |column: &str, at: Option<usize>| -> Result<Option<f64>, ()> {
            let cell = row.at(at);
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
        let (Ok(min), Ok(max)) = (bound("min", min_at), bound("max", max_at)) else { continue };
        let def = QuestionDef {
            code: code.clone(),
            text: row.at(text_at).text(),
            kind,
            unit: Some(row.at(unit_at).text()).filter(|u| !u.is_empty()),
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
        if !declared_codes.insert(code.clone()) {
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
    texts: Interner,
    /// Every answer kept, by (respondent, question): a number into the plan's answers, whose own fields give the
    /// pair (4 bytes an answer, not a copy of the pair).
    seen: hashbrown::HashTable<u32>,
    /// Pairs whose first row was left out after all (past the unknown cities a file may name): still answered.
    seen_dropped: FxHashMap<(u32, u32), usize>,
    plan: ImportPlan,
}

impl<'a> Checker<'a> {
    /// Checks the header; a file that cannot be checked row by row (a required column is missing) gives its plan
    /// at once, as `Err`.
    #[allow(
        clippy::result_large_err,
        reason = "made once per file, and the plan in `Err` is the answer the caller returns, not an error passed up"
    )]
    pub fn new(
        file: &'a RawFile,
        catalogue: &[QuestionDef],
        known_cities: &'a HashSet<String>,
    ) -> Result<Self, ImportPlan> {
        let mut issues = Issues::new(&file.file);
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
            unused_columns: table
                .columns
                .iter()
                .enumerate()
                .filter(|(_, c)| !COLUMN_NAMES.contains(&c.as_str()))
                // A header cell left empty (a trailing comma) is named by its place, not as "column  is not used".
                .map(|(i, c)| if c.trim().is_empty() { format!("(unnamed, column {})", i + 1) } else { c.clone() })
                .collect(),
            ..Default::default()
        };
        if let Some(cell) = &file.round.held_on {
            let date = match cell {
                Cell::Text(t) => parse_date(t).ok_or_else(|| date_problem(t)),
                other => Err(format!(
                    "{} is a number, not a date: write YYYY-MM-DD (or format the Excel cell as a date)",
                    other.text()
                )),
            };
            match date {
                Ok(date) => plan.held_on = Some(date),
                Err(reason) => issues.add(ImportIssue {
                    file: file.file.clone(),
                    sheet: Some("round".to_owned()),
                    row: 0,
                    column: Some("held_on".to_owned()),
                    reason,
                    unknown_city: false,
                }),
            }
        }
        let twice = report_duplicate_columns(table, &mut issues);
        let missing: Vec<&str> =
            REQUIRED_COLUMNS.iter().copied().filter(|c| !table.columns.iter().any(|have| have == c)).collect();
        // A JSON file has no header: with no answers at all, there are no columns to miss.
        let headerless_and_empty = table.header_row == 0 && table.rows.is_empty();
        if (twice || !missing.is_empty()) && !headerless_and_empty {
            for column in missing {
                issues.push(table, table.header_row, Some(column), format!("the answers have no '{column}' column"));
            }
            plan.issues_left_out = issues.left_out;
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
            texts: Interner::default(),
            seen: hashbrown::HashTable::new(),
            seen_dropped: FxHashMap::default(),
            plan,
        })
    }

    /// Room for this many more answers.
    pub fn reserve(&mut self, rows: usize) {
        self.plan.answers.rows.reserve(rows);
        let answers = &self.plan.answers.rows;
        self.seen
            .reserve(rows, |i| answers.get(*i as usize).map_or(0, |p| pair_hash(p.respondent_id, p.question_code)));
    }

    /// Checks one answer row.
    pub fn check(&mut self, row: &RawRow) {
        let table = &self.file.answers;
        self.plan.rows_total += 1;
        let hard_before = self.issues.hard;
        let checked = check_row(table, row, &self.codes, &mut self.issues, &mut self.state)
            .and_then(|answer| self.first_of_pair(answer, row));
        if self.issues.hard > hard_before {
            self.plan.rows_with_problems += 1;
        }
        let Some((mut answer, respondent, code)) = checked else { return };
        if let Some(city) = &answer.city {
            let known_cities = self.known_cities;
            let known = *self.city_known.entry(Arc::clone(city)).or_insert_with(|| known_cities.contains(&fold(city)));
            if !known {
                answer.city_known = false;
                let folded = fold(city);
                if !self.unknown_index.contains_key(&folded) && self.plan.unknown_cities.len() >= MAX_UNKNOWN_CITIES {
                    self.issues.push(
                        table,
                        row.row,
                        Some("city"),
                        format!(
                            "{city:?}: the file names more than {MAX_UNKNOWN_CITIES} cities this database does not know"
                        ),
                    );
                    self.plan.rows_with_problems += 1;
                    self.seen_dropped.insert((respondent, code), answer.row);
                    return;
                }
                let unknown = &mut self.plan.unknown_cities;
                let index = *self.unknown_index.entry(folded).or_insert_with(|| {
                    unknown.push(UnknownCity {
                        name: city.to_string(),
                        country: answer.country.as_deref().map(str::to_owned),
                        rows: 0,
                    });
                    unknown.len() - 1
                });
                unknown[index].rows += 1;
                self.issues.add(ImportIssue {
                    file: self.file.file.clone(),
                    sheet: table.sheet.clone(),
                    row: row.row,
                    column: Some("city".to_owned()),
                    reason: format!("{city:?} is not a city this database knows (add it to import this row)"),
                    unknown_city: true,
                });
            }
        }
        let answers = &mut self.plan.answers;
        let texts = &mut self.texts;
        let city = texts.id(answers, answer.city.as_ref());
        let country = texts.id(answers, answer.country.as_ref());
        let value_text = texts.id(answers, answer.value_text.as_ref());
        let packed = PackedAnswer {
            row: u32::try_from(answer.row).unwrap_or(u32::MAX),
            respondent_id: respondent,
            place: texts.place(answers, city, country),
            question_code: code,
            value: Value::pack(answer.value_num, value_text),
            unit_notes: texts.id(answers, answer.unit_notes.as_ref()),
            answered_on: texts.id(answers, answer.answered_on.as_ref()),
        };
        if city != NO_TEXT {
            answers.known_city[city as usize] = answer.city_known;
        }
        if !answer.city_known {
            answers.unknown_city_rows += 1;
        }
        let index = answers.rows.len() as u32;
        answers.rows.push(packed);
        let rows = &answers.rows;
        self.seen.insert_unique(pair_hash(respondent, code), index, |i| {
            rows.get(*i as usize).map_or(0, |p| pair_hash(p.respondent_id, p.question_code))
        });
    }

    /// The answer, with its respondent's and question's text numbers, unless the file answered the same question
    /// for the same respondent on an earlier row (then a problem naming that row).
    fn first_of_pair(&mut self, answer: Checked, row: &RawRow) -> Option<(Checked, u32, u32)> {
        let answers = &mut self.plan.answers;
        let respondent = self.texts.id(answers, Some(&answer.respondent_id));
        let code = self.texts.id(answers, Some(&answer.question_code));
        let rows = &answers.rows;
        let first = self
            .seen
            .find(pair_hash(respondent, code), |i| {
                rows.get(*i as usize).is_some_and(|p| p.respondent_id == respondent && p.question_code == code)
            })
            .and_then(|i| rows.get(*i as usize).map(|p| p.row as usize))
            .or_else(|| self.seen_dropped.get(&(respondent, code)).copied());
        if let Some(first) = first {
            self.issues.push(
                &self.file.answers,
                row.row,
                None,
                format!(
                    "duplicate: respondent {} already answered {} on row {first}",
                    answer.respondent_id, answer.question_code
                ),
            );
            return None;
        }
        Some((answer, respondent, code))
    }

    /// The plan: the valid answers, every problem found, the unknown cities.
    pub fn finish(self) -> ImportPlan {
        let mut plan = self.plan;
        plan.issues_left_out = self.issues.left_out;
        plan.issues = self.issues.list;
        if plan.held_on.is_none() {
            plan.held_on = plan.answers.iter().filter_map(|a| a.answered_on).min().map(str::to_owned);
        }
        plan.answers.rows.shrink_to_fit();
        plan.answers.texts.shrink_to_fit();
        plan.answers.known_city.shrink_to_fit();
        plan.answers.places.shrink_to_fit();
        plan
    }
}

/// What the rows checked so far tell about the next: column positions, each respondent's city and first row, and the
/// last date read. (Which (respondent, question) pairs were answered: [`Checker`]'s table of answers.)
/// A respondent seen: small id, city, country, first row, and another id equal to this one but for case.
type Respondent = (u32, Option<Arc<str>>, Option<Arc<str>>, usize, Option<(Arc<str>, usize)>);

struct RowState {
    columns: [Option<usize>; 7],
    /// Respondent id → (small id, city, country, first row): a respondent's city and country are stored once.
    respondents: FxHashMap<Arc<str>, Respondent>,
    last_date: Option<(Arc<str>, Arc<str>)>,
    /// Respondent id in lower case → (the id as first written, its row).
    by_lowercase: HashMap<String, (Arc<str>, usize)>,
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
        RowState { columns, respondents: FxHashMap::default(), last_date: None, by_lowercase: HashMap::new() }
    }
}

/// The hash of a (respondent, question) pair, as text numbers.
fn pair_hash(respondent: u32, question: u32) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one((respondent, question))
}

/// The column names a row's cells are checked under, for [`check_row`]'s problems.
const COLUMN_NAMES: [&str; 7] = ["respondent_id", "question_code", "value", "date", "city", "country", "unit_notes"];

/// Checks one row and lists every problem it has (not only the first); the answer when there is none.
fn check_row(
    table: &RawTable,
    row: &RawRow,
    codes: &FxHashMap<String, (Arc<str>, QuestionDef, usize)>,
    issues: &mut Issues,
    state: &mut RowState,
) -> Option<Checked> {
    let before = issues.count;
    // A cell already found wrong (too long) is told once: the checks below read it as empty and say nothing more.
    let faulty = check_cells(table, row, &state.columns, issues);
    let cell = |which: usize| if faulty[which] { &Cell::Empty } else { row.at(state.columns[which]) };
    let respondent_id = cell(RESPONDENT).shared();
    let question = row_question(table, row, cell(CODE), codes, issues);
    let mut value = None;
    if let Some((code, question, _)) = question
        && !cell(VALUE).is_empty()
    {
        match check_value(question, cell(VALUE), table.decimal_comma) {
            Ok(v) => value = Some(v),
            Err(reason) => issues.push(table, row.row, Some("value"), format!("{code}: {reason}")),
        }
    }
    let answered_on = row_date(table, row, cell(DATE), &mut state.last_date, issues);
    let city = Some(cell(CITY)).filter(|c| !c.is_empty()).map(Cell::shared);
    let country = Some(cell(COUNTRY)).filter(|c| !c.is_empty()).map(Cell::shared);
    let unit_notes = cell(UNIT_NOTES);
    if issues.count > before {
        return None;
    }
    let (Some((code, _, _)), Some((value_num, value_text))) = (question, value) else { return None };
    state.check_respondent(table, row, &respondent_id, &city, &country, issues);
    if issues.count > before {
        return None;
    }
    Some(Checked {
        row: row.row,
        respondent_id,
        city,
        country,
        question_code: Arc::clone(code),
        value_num,
        value_text,
        unit_notes: Some(unit_notes).filter(|c| !c.is_empty()).map(Cell::shared),
        answered_on,
        city_known: true,
    })
}

/// Lists the problems of a row's cells taken one by one: those found while reading, cells over the length limit,
/// required cells left empty, and names holding invisible characters. Gives which of the format's columns
/// ([`COLUMN_NAMES`]) already have a problem: a cell too long is not also empty, nor a value to check.
fn check_cells(table: &RawTable, row: &RawRow, columns: &[Option<usize>; 7], issues: &mut Issues) -> [bool; 7] {
    let mut faulty = [false; 7];
    let mut mark = |column: &str| {
        if let Some(which) = COLUMN_NAMES.iter().position(|c| *c == column) {
            faulty[which] = true;
        }
    };
    for (column, reason) in &row.problems {
        mark(column);
        issues.push(table, row.row, Some(column), reason.clone());
    }
    // The row's own cells only: a short row under a wide header costs its length, not the header's.
    for (cell, name) in row.cells.iter().zip(&table.columns) {
        if let Cell::Text(t) = cell
            && t.len() > MAX_CELL_CHARS
            && t.chars().count() > MAX_CELL_CHARS
        {
            mark(name);
            issues.push(
                table,
                row.row,
                Some(name),
                format!("the cell holds {} characters; the limit is {MAX_CELL_CHARS}", t.chars().count()),
            );
        }
    }
    let cell = |which: usize| if faulty[which] { &Cell::Empty } else { row.at(columns[which]) };
    for (which, column) in [RESPONDENT, CODE, VALUE].into_iter().zip(REQUIRED_COLUMNS) {
        if !faulty[which] && cell(which).is_empty() {
            issues.push(table, row.row, Some(column), format!("{column} is empty"));
        }
    }
    // Names must show as what they are: no bidi controls or invisible characters.
    for which in [RESPONDENT, CITY, COUNTRY] {
        if let Cell::Text(t) = cell(which)
            && let Some(c) = atlas_core::input::invisible_char(t)
        {
            issues.push(
                table,
                row.row,
                Some(COLUMN_NAMES[which]),
                format!("holds the invisible character {c}, which can make a name display as another; remove it"),
            );
        }
    }
    faulty
}

/// The question a row's code names (code as shared text, definition, small id); none for an empty code, and none
/// with a problem for a code neither the app nor the file declares.
fn row_question<'c>(
    table: &RawTable,
    row: &RawRow,
    code: &Cell,
    codes: &'c FxHashMap<String, (Arc<str>, QuestionDef, usize)>,
    issues: &mut Issues,
) -> Option<&'c (Arc<str>, QuestionDef, usize)> {
    if code.is_empty() {
        return None;
    }
    let code_text = code.str();
    let found = codes.get(code_text.as_ref());
    if found.is_none() {
        issues.push(
            table,
            row.row,
            Some("question_code"),
            format!("unknown question code {code_text:?} (declare it in the questions sheet or section)"),
        );
    }
    found
}

/// A row's date as YYYY-MM-DD, none for an empty cell, and none with a problem for a cell that is not a date.
/// `last_date` keeps the last date read (as written, as parsed), so that a date repeated row after row is parsed once.
fn row_date(
    table: &RawTable,
    row: &RawRow,
    date: &Cell,
    last_date: &mut Option<(Arc<str>, Arc<str>)>,
    issues: &mut Issues,
) -> Option<Arc<str>> {
    if date.is_empty() {
        return None;
    }
    let raw = date.shared();
    match &*last_date {
        // The same date as the row before: already checked.
        Some((last, parsed)) if *last == raw && matches!(date, Cell::Text(_)) => Some(Arc::clone(parsed)),
        _ => match date {
            Cell::Text(_) => match parse_date(&raw) {
                Some(d) => {
                    let parsed: Arc<str> = Arc::from(d);
                    *last_date = Some((raw, Arc::clone(&parsed)));
                    Some(parsed)
                }
                None => {
                    issues.push(table, row.row, Some("date"), date_problem(&raw));
                    None
                }
            },
            _ => {
                issues.push(
                    table,
                    row.row,
                    Some("date"),
                    format!(
                        "{} is a number, not a date: write YYYY-MM-DD (or format the Excel cell as a date)",
                        date.text()
                    ),
                );
                None
            }
        },
    }
}

impl RowState {
    /// Remembers a respondent's first row, city and country, and lists a problem when this row's respondent differs
    /// from one seen before only in case, or names another city or country than their first row.
    fn check_respondent(
        &mut self,
        table: &RawTable,
        row: &RawRow,
        respondent_id: &Arc<str>,
        city: &Option<Arc<str>>,
        country: &Option<Arc<str>>,
        issues: &mut Issues,
    ) {
        let next_id = self.respondents.len() as u32;
        let by_lowercase = &mut self.by_lowercase;
        let (_, first_city, first_country, first_row, clash) =
            self.respondents.entry(Arc::clone(respondent_id)).or_insert_with(|| {
                // "R01" and "r01" are one person written two ways, or two people told apart by case alone: either
                // way the user decides, not the import. Looked up once per respondent.
                let clash = match by_lowercase.entry(respondent_id.to_lowercase()) {
                    std::collections::hash_map::Entry::Occupied(other) => Some(other.get().clone()),
                    std::collections::hash_map::Entry::Vacant(slot) => {
                        slot.insert((Arc::clone(respondent_id), row.row));
                        None
                    }
                };
                (next_id, city.clone(), country.clone(), row.row, clash)
            });
        if let Some((first_spelling, first_seen)) = clash {
            issues.push(
                table,
                row.row,
                Some("respondent_id"),
                format!(
                    "respondent {respondent_id} differs from {first_spelling} (row {first_seen}) only in case: write \
                     one respondent one way, or give two respondents different ids"
                ),
            );
        }
        // A respondent's city and country are stored once: every row must agree with their first (case and accents
        // aside).
        for (column, first, here) in [("city", &*first_city, city), ("country", &*first_country, country)] {
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
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan of the largest file under the limits (2 million answers and more) must fit in memory beside the
    /// database's page cache: an answer is 32 bytes, its texts held once.
    #[test]
    fn an_answer_takes_32_bytes_in_the_plan() {
        assert_eq!(std::mem::size_of::<PackedAnswer>(), 32);
        // A pair seen, for finding a repeated answer: a 4-byte number into the answers.
        assert_eq!(std::mem::size_of::<u32>(), 4);
    }

    #[test]
    fn packed_values_give_back_what_was_checked() {
        for (number, text) in
            [(Some(3.5), NO_TEXT), (Some(-0.0), NO_TEXT), (Some(f64::MAX), NO_TEXT), (None, 7), (None, NO_TEXT)]
        {
            let (n, t) = Value::unpack(Value::pack(number, text));
            assert_eq!((n.map(f64::to_bits), t), (number.map(f64::to_bits), text));
        }
        assert!(Value::unpack(Value::pack(Some(f64::NAN), NO_TEXT)).0.is_some_and(f64::is_nan));
    }

    #[test]
    fn one_text_repeated_over_rows_is_held_once() {
        let text = "respondent_id,city,country,question_code,value,date\nR1,Vienna,Austria,Q,1,2017-03-31\n\
                    R1,Vienna,Austria,P,2,2017-03-31\nR2,Vienna,Austria,Q,3,2017-03-31\n";
        let file = super::super::read::read_csv("a.csv", text).expect("reads");
        let q = |code: &str| QuestionDef {
            code: code.to_owned(),
            text: String::new(),
            kind: QuestionKind::Number,
            unit: None,
            min: None,
            max: None,
            origin: QuestionOrigin::Instrument,
        };
        let known: HashSet<String> = [fold("Vienna")].into_iter().collect();
        let plan = validate(&file, &[q("Q"), q("P")], &known);
        assert_eq!(plan.answers.len(), 3, "{:?}", plan.issues);
        // R1, Vienna, Austria, Q, 2017-03-31, P, R2: seven texts for three answers of six cells.
        assert_eq!(plan.answers.texts.len(), 7);
        let second = plan.answers.get(1).expect("answer");
        assert_eq!(
            (second.row, second.respondent_id, second.city, second.country, second.question_code, second.value_num),
            (3, "R1", Some("Vienna"), Some("Austria"), "P", Some(2.0))
        );
        assert_eq!(
            (second.answered_on, second.value_text, second.unit_notes, second.city_known),
            (Some("2017-03-31"), None, None, true)
        );
    }
}
