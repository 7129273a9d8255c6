//! Content rules over the shipped dataset, run by `check` next to the database checks. Each rule names a kind of
//! defect an audit of the records against their cited pages found, so that the kind cannot come back unnoticed:
//!
//! - **shorthand**: research-note shorthand in text a reader sees ("(FP)", "INFERRED", "case_studies.md", "the
//!   notes", …);
//! - **copied wording**: a run of 8 words shared with one of the OECD pages the project started from (their word
//!   runs ship as hashes in `data/source_fingerprints.json`, not as text);
//! - **headline sources**: a survey figure or project fact whose every source is only "cited for the section as a
//!   whole", i.e. a page that does not itself state the figure;
//! - **unchecked sources**: a record whose every source is marked "not re-checked";
//! - **checklist titles**: a title marked as seen without a source giving it word for word, an unverified ending
//!   presented as a title, an unknown wording status;
//! - **findings** and **governance**: links and values that do not resolve.

use std::collections::HashSet;

use serde_json::Value;

use super::{COMPETENCES, Dataset, EMBEDDED_FILES, FINDING_VIEWS, GAP_TYPES, Source, TAGS, WORDING_STATUSES};

/// One problem found in the shipped dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditProblem {
    pub what: &'static str,
    pub detail: String,
}

/// Research-note shorthand that must not reach a reader (matched case-sensitively).
pub const SHORTHAND: [&str; 19] = [
    "case_studies.md",
    "evidence.md",
    "survey.md",
    "survey_figures.md",
    "(FP",
    "FP:",
    "FP)",
    "booksci",
    "INFERRED",
    "UNCERTAIN",
    "OECD-via",
    "[OECD",
    "[EXT]",
    "the notes",
    "The notes",
    "§",
    "docslib",
    "epub",
    "SEEN",
];

/// Keys whose values are not prose: addresses, codes, and the coding cells kept as written.
const NOT_PROSE: [&str; 3] = ["url", "objective_coded", "hashes"];
/// Keys whose values may repeat a source's words: names and titles of works.
const NAMES: [&str; 3] = ["title", "publisher", "name"];
/// The note marking a source cited for a whole section rather than for the fact itself.
pub const SECTION_SOURCE: &str = "cited for the section as a whole";
/// The note marking a source whose content was not re-checked.
pub const NOT_RECHECKED: &str = "not re-checked";
/// Words per run for the copied-wording rule.
const RUN: usize = 8;

/// Research-note shorthand found in `text`, if any.
pub fn shorthand_in(text: &str) -> Option<&'static str> {
    SHORTHAND.iter().copied().find(|p| text.contains(p))
}

fn fnv(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Hashes of every run of [`RUN`] words in `text` that has at least three words not starting with a capital
/// (runs made of names, such as a list of cities, are left out).
pub fn word_runs(text: &str) -> Vec<u64> {
    let words: Vec<(String, bool)> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| (w.to_lowercase(), w.chars().next().is_some_and(char::is_uppercase)))
        .collect();
    words
        .windows(RUN)
        .filter(|run| run.iter().filter(|(_, capital)| !capital).count() >= 3)
        .map(|run| fnv(&run.iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>().join(" ")))
        .collect()
}

/// The word-run hashes of the OECD pages the project started from: (page address, hashes).
fn fingerprints() -> Vec<(String, HashSet<u64>)> {
    #[derive(serde::Deserialize)]
    struct Page {
        url: String,
        hashes: Vec<String>,
    }
    #[derive(serde::Deserialize)]
    struct File {
        sources: Vec<Page>,
    }
    let file: File =
        serde_json::from_str(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/source_fingerprints.json")))
            .unwrap_or(File { sources: Vec::new() });
    file.sources
        .into_iter()
        .map(|p| (p.url, p.hashes.iter().filter_map(|h| u64::from_str_radix(h, 16).ok()).collect()))
        .collect()
}

fn clip(text: &str) -> String {
    let mut out: String = text.chars().take(70).collect();
    if text.chars().count() > 70 {
        out.push('…');
    }
    out
}

/// Walks every prose string of a JSON value with its path (`cities[3].figures[1].uncertain[0]`).
fn strings<'a>(
    value: &'a Value,
    path: &mut String,
    key: Option<&str>,
    out: &mut Vec<(String, Option<String>, &'a str)>,
) {
    match value {
        Value::String(s) => out.push((path.clone(), key.map(str::to_owned), s)),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                strings(item, path, key, out);
                path.truncate(len);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                if NOT_PROSE.contains(&k.as_str()) {
                    continue;
                }
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                strings(v, path, Some(k), out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// The files whose text a reader sees (the regional files hold names and numbers only).
fn prose_files() -> impl Iterator<Item = (&'static str, &'static str)> {
    EMBEDDED_FILES.iter().copied().filter(|(name, _)| !name.starts_with("region"))
}

fn usable(sources: &[Source], marker: &str) -> bool {
    sources.iter().any(|s| !s.note.as_deref().unwrap_or_default().contains(marker))
}

/// Runs every rule over the dataset; an empty list means all is well.
pub fn audit(data: &Dataset) -> Vec<AuditProblem> {
    let mut problems = Problems::default();
    check_wording(&mut problems);
    check_headline_sources(data, &mut problems);
    check_record_sources(data, &mut problems);
    check_checklist_titles(data, &mut problems);
    check_findings(data, &mut problems);
    check_governance(data, &mut problems);
    check_instruments(data, &mut problems);
    problems.0
}

/// The problems found so far, in the order the rules found them.
#[derive(Default)]
struct Problems(Vec<AuditProblem>);

impl Problems {
    fn push(&mut self, what: &'static str, detail: String) {
        self.0.push(AuditProblem { what, detail });
    }
}

/// Shorthand and copied wording, over every prose string of the shipped files.
fn check_wording(problems: &mut Problems) {
    let pages = fingerprints();
    for (file, text) in prose_files() {
        let Ok(value) = serde_json::from_str::<Value>(text) else {
            problems.push("dataset", format!("data/{file} does not parse"));
            continue;
        };
        let mut found = Vec::new();
        strings(&value, &mut String::new(), None, &mut found);
        for (path, key, s) in found {
            if let Some(p) = shorthand_in(s) {
                problems.push("shorthand", format!("data/{file} {path}: {p:?} in {:?}", clip(s)));
            }
            if key.as_deref().is_some_and(|k| NAMES.contains(&k)) {
                continue;
            }
            let runs = word_runs(s);
            for (url, hashes) in &pages {
                if runs.iter().any(|h| hashes.contains(h)) {
                    problems.push(
                        "copied wording",
                        format!("data/{file} {path}: 8 words in a row as on {url}: {:?}", clip(s)),
                    );
                }
            }
        }
    }
}

/// Headline figures cite a page that states them.
fn check_headline_sources(data: &Dataset, problems: &mut Problems) {
    for f in &data.survey.figures {
        if !usable(&f.sources, SECTION_SOURCE) {
            problems.push("headline sources", format!("survey figure {}: every source is only {SECTION_SOURCE}", f.id));
        }
    }
    for (n, p) in data.survey.project_facts.iter().enumerate() {
        if !usable(&p.sources, SECTION_SOURCE) {
            problems.push(
                "headline sources",
                format!("project fact PF-{:02}: every source is only {SECTION_SOURCE}", n + 1),
            );
        }
    }
}

/// Every record that cites sources, named as the audit's problems name it, with its sources.
fn sourced_records(data: &Dataset) -> Vec<(String, &[Source])> {
    let mut records: Vec<(String, &[Source])> = Vec::new();
    for r in data.challenges.iter().chain(&data.practices) {
        records.push((r.id.clone(), &r.sources));
    }
    for (n, i) in data.institutions.iter().enumerate() {
        records.push((format!("institution I-{:03}", n + 1), &i.sources));
    }
    for c in &data.cities {
        for (n, f) in c.figures.iter().enumerate() {
            records.push((format!("{} figure {}", c.id, n + 1), &f.sources));
        }
        for (kind, texts) in
            [("governance", &c.governance), ("finding", &c.findings), ("recommendation", &c.recommendations)]
        {
            for (n, t) in texts.iter().enumerate() {
                records.push((format!("{} {kind} {}", c.id, n + 1), &t.sources));
            }
        }
    }
    for f in &data.survey.figures {
        records.push((format!("survey figure {}", f.id), &f.sources));
    }
    for f in &data.findings.findings {
        records.push((format!("finding {}", f.id), &f.sources));
    }
    for (n, g) in data.governance.cells.iter().enumerate() {
        records.push((format!("governance cell G-{:03}", n + 1), &g.sources));
    }
    for t in &data.coordination.instruments {
        records.push((format!("instrument {}", t.id), &t.sources));
    }
    records
}

/// Every record rests on at least one source that was checked, and has a known tag.
fn check_record_sources(data: &Dataset, problems: &mut Problems) {
    for (what, sources) in &sourced_records(data) {
        if sources.is_empty() {
            problems.push("sources", format!("{what} has no source"));
        } else if !usable(sources, NOT_RECHECKED) {
            problems.push("unchecked sources", format!("{what}: every source is marked {NOT_RECHECKED:?}"));
        }
        for s in sources.iter() {
            if !TAGS.contains(&s.tag.as_str()) {
                problems.push("source tags", format!("{what} cites {} with tag {:?}", s.url, s.tag));
            }
        }
    }
}

/// Checklist titles: verbatim only with the source that gives them; no unsourced ending.
fn check_checklist_titles(data: &Dataset, problems: &mut Problems) {
    for o in &data.checklist.objectives {
        if !WORDING_STATUSES.contains(&o.wording_status.as_str()) {
            problems.push(
                "checklist titles",
                format!(
                    "objective {}: wording status {:?} is not one of {}",
                    o.number,
                    o.wording_status,
                    WORDING_STATUSES.join(", ")
                ),
            );
        }
        if o.wording_status == "seen"
            && !o.sources.iter().any(|s| s.note.as_deref().unwrap_or_default().contains("word for word"))
        {
            problems.push(
                "checklist titles",
                format!(
                    "objective {}: marked as seen, but no source is noted as giving the title word for word",
                    o.number
                ),
            );
        }
        if o.wording_status == "ending-unverified" && !o.title.contains('…') {
            problems.push(
                "checklist titles",
                format!("objective {}: its ending is unverified, so the title must stop at '…'", o.number),
            );
        }
    }
}

/// The ids of the case-study cities.
fn city_ids(data: &Dataset) -> HashSet<&str> {
    data.cities.iter().map(|c| c.id.as_str()).collect()
}

/// Findings resolve to records of the app.
fn check_findings(data: &Dataset, problems: &mut Problems) {
    let challenge_ids: HashSet<&str> = data.challenges.iter().map(|r| r.id.as_str()).collect();
    let practice_ids: HashSet<&str> = data.practices.iter().map(|r| r.id.as_str()).collect();
    let indicators: HashSet<&str> = data.regions.indicators.iter().map(|i| i.code.as_str()).collect();
    let figures: HashSet<&str> = data.survey.figures.iter().map(|f| f.id.as_str()).collect();
    let cities = city_ids(data);
    let mut seen_ids = HashSet::new();
    for f in &data.findings.findings {
        if !seen_ids.insert(f.id.as_str()) {
            problems.push("findings", format!("{} appears twice", f.id));
        }
        if f.statement.trim().is_empty() {
            problems.push("findings", format!("{} has no statement", f.id));
        }
        let l = &f.links;
        let checks: [(&str, Vec<&str>, &HashSet<&str>); 5] = [
            ("view", f.views.iter().map(String::as_str).collect(), &FINDING_VIEWS.iter().copied().collect()),
            ("indicator", l.indicators.iter().map(String::as_str).collect(), &indicators),
            ("challenge", l.challenges.iter().map(String::as_str).collect(), &challenge_ids),
            ("practice", l.practices.iter().map(String::as_str).collect(), &practice_ids),
            ("survey figure", l.survey_figures.iter().map(String::as_str).collect(), &figures),
        ];
        for (kind, values, known) in checks {
            for v in values {
                if !known.contains(v) {
                    problems
                        .push("findings", format!("{} links to {kind} {v:?}, which the dataset does not hold", f.id));
                }
            }
        }
        for c in &l.cities {
            if !cities.contains(c.as_str()) {
                problems.push("findings", format!("{} links to city {c:?}, which the dataset does not hold", f.id));
            }
        }
        for o in &l.objectives {
            if !(1..=12).contains(o) {
                problems.push("findings", format!("{} links to objective {o}, outside 1-12", f.id));
            }
        }
    }
}

/// Governance cells use the grid's levels, areas and countries.
fn check_governance(data: &Dataset, problems: &mut Problems) {
    let g = &data.governance;
    let cities = city_ids(data);
    let countries: HashSet<&str> = g.countries.iter().map(|c| c.iso.as_str()).collect();
    for (n, c) in g.cells.iter().enumerate() {
        let id = format!("G-{:03}", n + 1);
        if !g.levels.contains(&c.level) {
            problems.push("governance", format!("{id}: level {:?} is not one of the grid's levels", c.level));
        }
        if !g.areas.contains(&c.area) {
            problems.push("governance", format!("{id}: policy area {:?} is not one of the grid's areas", c.area));
        }
        if !COMPETENCES.contains(&c.competence.as_str()) {
            problems.push(
                "governance",
                format!("{id}: competence {:?} is not one of {}", c.competence, COMPETENCES.join(", ")),
            );
        }
        if !countries.contains(c.country.as_str()) {
            problems.push("governance", format!("{id}: country {:?} is not in the grid's country list", c.country));
        }
        if let Some(city) = &c.city
            && !cities.contains(city.as_str())
        {
            problems.push("governance", format!("{id}: city {city:?} is not a case-study city"));
        }
        if let Some(inst) = &c.institution {
            let ok = inst
                .strip_prefix("I-")
                .and_then(|n| n.parse::<usize>().ok())
                .is_some_and(|n| (1..=data.institutions.len()).contains(&n));
            if !ok {
                problems.push("governance", format!("{id}: institution {inst:?} does not exist"));
            }
        }
    }
}

/// Co-ordination instruments use the coding's gap types.
fn check_instruments(data: &Dataset, problems: &mut Problems) {
    for t in &data.coordination.instruments {
        for gap in &t.gap_types {
            if !GAP_TYPES.contains(&gap.as_str()) {
                problems.push("instruments", format!("{}: gap type {gap:?} is not one of the coding's", t.id));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_dataset_passes_every_rule() {
        let data = Dataset::embedded().expect("dataset");
        let problems = audit(&data);
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn shorthand_is_caught() {
        assert_eq!(shorthand_in("Start year (FP) taken from case_studies.md"), Some("case_studies.md"));
        assert_eq!(shorthand_in("The notes give no reference year for this figure."), Some("The notes"));
        assert_eq!(shorthand_in("Reference year not stated in the source."), None);
    }

    /// The wording the audit found copied from the policy highlights, and the rewording that replaced it.
    #[test]
    fn a_sentence_copied_from_the_brochure_is_caught_and_ours_is_not() {
        let pages = fingerprints();
        let brochure = &pages.iter().find(|(url, _)| url.contains("oe.cd")).expect("brochure").1;
        let copied = "Share of participating European cities that experience challenges in co-ordinating and \
                      sharing information with higher levels of government on integration";
        assert!(word_runs(copied).iter().any(|h| brochure.contains(h)));
        let ours = "Cities reporting difficulty in working with, and passing information to and from, national or \
                    regional government on integration";
        assert!(!word_runs(ours).iter().any(|h| brochure.contains(h)));
        // A list of names is not copied wording.
        assert!(
            word_runs("Amsterdam, Athens, Barcelona, Berlin, Glasgow, Gothenburg, Paris, Rome and Vienna").is_empty()
        );
    }
}
