//! The shipped dataset: the JSON files of `data/`, embedded in the binary so that the binary alone works.
//! These types mirror `data/README.md`; the store seeds its reference tables from them.

use serde::{Deserialize, Serialize};

pub mod audit;
mod embedded;
pub use embedded::{DATASET_VERSION, EMBEDDED_FILES, dataset_hash};

/// A source a record rests on.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Source {
    pub url: String,
    pub tag: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The confidence tags, strongest first.
pub const TAGS: [&str; 4] = ["oecd", "oecd-via", "oecd-other", "external"];

/// What a tag means, for people.
pub fn tag_label(tag: &str) -> &'static str {
    match tag {
        "oecd" => "OECD text",
        "oecd-via" => "OECD reported by a third party",
        "oecd-other" => "other OECD publication",
        "external" => "external context",
        _ => "unknown tag",
    }
}

/// Rank of a tag (0 = strongest); unknown tags rank last.
pub fn tag_rank(tag: &str) -> usize {
    TAGS.iter().position(|t| *t == tag).unwrap_or(TAGS.len())
}

/// The seven gap types of the coding (OECD multi-level governance gaps, adapted in the notes).
pub const GAP_TYPES: [&str; 7] =
    ["information", "policy-coherence", "funding", "administrative-scale", "capacity", "objective", "accountability"];

/// Canonical levels of government and actors.
pub const LEVELS: [&str; 10] = [
    "EU",
    "national",
    "regional/state",
    "metropolitan",
    "municipal",
    "district",
    "NGOs/civil society",
    "private sector",
    "migrant associations",
    "international organisations",
];

/// How well a checklist objective's title is attested, in words for a reader (`wording_status` values).
pub fn wording_status_label(status: &str) -> &'static str {
    match status {
        "seen" => "title copied word for word from OECD text",
        "paraphrase" => "paraphrase: the OECD's own title was not found",
        "secondary" => "wording from secondary lists",
        "ending-unverified" => "the title's ending is cut off in the only source",
        "never-seen" => "exact wording never seen",
        _ => "wording status unknown",
    }
}

/// The `wording_status` values the dataset may use.
pub const WORDING_STATUSES: [&str; 4] = ["seen", "paraphrase", "ending-unverified", "never-seen"];

/// Objective bases: how directly a record's checklist objective rests on OECD text.
pub const OBJECTIVE_BASES: [&str; 4] = ["explicit", "explicit-toc", "block-explicit", "inferred"];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EvidenceRecord {
    pub id: String,
    pub city: String,
    pub title: String,
    pub description: String,
    pub gap_type: String,
    #[serde(default)]
    pub levels: Vec<String>,
    #[serde(default)]
    pub levels_detail: Option<String>,
    #[serde(default)]
    pub policy_areas: Vec<String>,
    #[serde(default)]
    pub migrant_groups: Vec<String>,
    #[serde(default)]
    pub objective: Option<i64>,
    #[serde(default)]
    pub objective_also: Vec<i64>,
    #[serde(default)]
    pub objective_basis: Option<String>,
    #[serde(default)]
    pub objective_block_range: Option<Vec<i64>>,
    #[serde(default)]
    pub objective_coded: Option<String>,
    #[serde(default)]
    pub year_started: Option<String>,
    #[serde(default)]
    pub instrument_kind: Option<String>,
    #[serde(default)]
    pub instrument_detail: Option<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub tag_detail: Option<String>,
    #[serde(default)]
    pub uncertain: Vec<String>,
    #[serde(default)]
    pub coding_notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Publication {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub doi: Option<String>,
    #[serde(default)]
    pub isbn_or_id: Option<String>,
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default)]
    pub published_text: Option<String>,
    #[serde(default)]
    pub mission: Option<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub uncertain: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Figure {
    #[serde(default)]
    pub key: Option<String>,
    pub label: String,
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub value_text: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub year: Option<String>,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub uncertain: Vec<String>,
}

/// A sourced sentence: a governance fact, a finding or a recommendation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourcedText {
    pub text: String,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub uncertain: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct City {
    pub id: String,
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub local_names: Vec<String>,
    pub country: String,
    pub country_name: String,
    pub region_code: String,
    pub lat: f64,
    pub lon: f64,
    #[serde(default)]
    pub size: Option<String>,
    #[serde(default)]
    pub oecd_case_study_available: bool,
    #[serde(default)]
    pub profile_note: Option<String>,
    #[serde(default)]
    pub publication: Option<Publication>,
    #[serde(default)]
    pub figures: Vec<Figure>,
    #[serde(default)]
    pub governance: Vec<SourcedText>,
    #[serde(default)]
    pub findings: Vec<SourcedText>,
    #[serde(default)]
    pub recommendations: Vec<SourcedText>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub uncertain: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Institution {
    pub country: String,
    #[serde(default)]
    pub country_name: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    pub level: String,
    #[serde(default)]
    pub body: Option<String>,
    pub responsibilities: String,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub uncertain: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Block {
    pub number: i64,
    pub title: String,
    #[serde(default)]
    pub alt_titles: Vec<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Objective {
    pub number: i64,
    pub block: i64,
    pub short_title: String,
    pub title: String,
    pub summary: String,
    pub wording_status: String,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub uncertain: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checklist {
    pub blocks: Vec<Block>,
    pub objectives: Vec<Objective>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Question {
    pub code: String,
    pub text: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Section {
    #[serde(default)]
    pub code: Option<String>,
    pub title: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Instrument {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub header: Option<String>,
    #[serde(default)]
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Survey {
    pub id: String,
    pub title: String,
    /// Who ran it, when, how many answered and the headline results, in our words.
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub partners: Vec<String>,
    #[serde(default)]
    pub fielded: Option<String>,
    #[serde(default)]
    pub respondent_count: Option<i64>,
    #[serde(default)]
    pub instrument: Option<Instrument>,
    #[serde(default)]
    pub channels: Vec<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub uncertain: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Respondent {
    pub survey: String,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub named: bool,
    #[serde(default)]
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnnamedRespondents {
    pub survey: String,
    pub count: i64,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SurveyFigure {
    pub id: String,
    pub survey: String,
    pub value_text: String,
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub unit: Option<String>,
    pub measures: String,
    #[serde(default)]
    pub denominator: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub uncertain: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProjectFact {
    pub fact: String,
    #[serde(default)]
    pub value_text: Option<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub uncertain: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SurveyFile {
    pub surveys: Vec<Survey>,
    #[serde(default)]
    pub respondents: Vec<Respondent>,
    #[serde(default)]
    pub unnamed_respondents: Option<UnnamedRespondents>,
    #[serde(default)]
    pub figures: Vec<SurveyFigure>,
    #[serde(default)]
    pub project_facts: Vec<ProjectFact>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Paper {
    pub title: String,
    #[serde(default)]
    pub series: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CoordinationTool {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub group: Option<String>,
    pub description: String,
    /// What the instrument is meant to fix, as the paper files it (our words).
    #[serde(default)]
    pub addresses: Option<String>,
    /// The gap types of the coding it addresses, only where a source says so.
    #[serde(default)]
    pub gap_types: Vec<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub uncertain: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CoordinationFile {
    pub paper: Paper,
    pub instruments: Vec<CoordinationTool>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub fb_label: String,
    pub comparison_label: String,
    pub unit: String,
    pub has_diff: bool,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Country {
    pub iso: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Region {
    pub code: String,
    pub name: String,
    pub country: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegionsSource {
    pub citation: String,
    pub page: String,
    pub data_as_of: String,
    pub note: String,
    pub sources: Vec<Source>,
}

/// One row of `data.tsv`: indicator, region, foreign-born value, comparison value, difference, country mean of
/// the difference, quartile.
pub type RegionValueRow = (String, String, Option<f64>, Option<f64>, Option<f64>, Option<f64>, Option<i64>);

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegionsFile {
    pub source: RegionsSource,
    pub indicators: Vec<Indicator>,
    pub countries: Vec<Country>,
    pub regions: Vec<Region>,
    pub values: Vec<RegionValueRow>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Shape {
    pub code: String,
    pub name: String,
    pub country: String,
    /// Polygons, each a list of rings (outer first), each a list of `[lon, lat]`.
    pub polygons: Vec<Vec<Vec<[f64; 2]>>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShapesFile {
    pub attribution: String,
    pub sources: Vec<Source>,
    pub features: Vec<Shape>,
}

/// What a finding links to in the app: the evidence that bears on it.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct FindingLinks {
    /// Regional indicator codes (`regions.json`) whose scatter shows it.
    #[serde(default)]
    pub indicators: Vec<String>,
    #[serde(default)]
    pub challenges: Vec<String>,
    #[serde(default)]
    pub practices: Vec<String>,
    #[serde(default)]
    pub objectives: Vec<i64>,
    #[serde(default)]
    pub survey_figures: Vec<String>,
    #[serde(default)]
    pub cities: Vec<String>,
}

/// One of the report's own findings, stated in our words.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finding {
    pub id: String,
    pub theme: String,
    pub statement: String,
    /// The views it concerns (home, explorer, regions, survey, checklist, cities, governance).
    #[serde(default)]
    pub views: Vec<String>,
    #[serde(default)]
    pub links: FindingLinks,
    /// How the links were chosen, when that is our reading rather than the source's.
    #[serde(default)]
    pub link_note: Option<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub uncertain: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FindingsFile {
    pub findings: Vec<Finding>,
}

/// The views a finding may name.
pub const FINDING_VIEWS: [&str; 7] = ["home", "explorer", "regions", "survey", "checklist", "cities", "governance"];

/// A country of the governance grid.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GovernanceCountry {
    pub iso: String,
    pub name: String,
    #[serde(default)]
    pub cities: Vec<String>,
}

/// One cell entry of the who-does-what grid: a body at a level of government holding a task in a policy area.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GovernanceCell {
    pub country: String,
    #[serde(default)]
    pub city: Option<String>,
    pub level: String,
    pub area: String,
    pub body: String,
    pub role: String,
    /// `holds`, `shares` or `none` (a source says this level has no competence here).
    pub competence: String,
    /// The institution record (I-nnn) it was drawn from, if any.
    #[serde(default)]
    pub institution: Option<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub uncertain: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GovernanceFile {
    pub levels: Vec<String>,
    pub areas: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// The sources of what the note says beyond the grid itself (e.g. which countries the OECD mapped).
    #[serde(default)]
    pub note_sources: Vec<Source>,
    pub countries: Vec<GovernanceCountry>,
    pub cells: Vec<GovernanceCell>,
}

/// One acronym the evidence uses (`glossary.json`): what the letters stand for where a source we hold says so
/// (`None`: no source we hold spells them out), and what it is, in our words.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GlossaryTerm {
    pub id: String,
    pub term: String,
    #[serde(default)]
    pub expansion: Option<String>,
    pub meaning: String,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub uncertain: Vec<String>,
}

/// Competence values of a governance cell.
pub const COMPETENCES: [&str; 3] = ["holds", "shares", "none"];

/// The whole shipped dataset, parsed.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub checklist: Checklist,
    pub cities: Vec<City>,
    pub institutions: Vec<Institution>,
    pub challenges: Vec<EvidenceRecord>,
    pub practices: Vec<EvidenceRecord>,
    pub survey: SurveyFile,
    pub coordination: CoordinationFile,
    pub regions: RegionsFile,
    pub shapes: ShapesFile,
    pub findings: FindingsFile,
    pub governance: GovernanceFile,
    pub glossary: Vec<GlossaryTerm>,
}

/// A shipped file that does not parse. Only reachable when `data/` is edited badly; the tests parse every file.
#[derive(Debug, thiserror::Error)]
#[error("data/{file}: {source}")]
pub struct DatasetError {
    pub file: &'static str,
    #[source]
    pub source: serde_json::Error,
}

fn parse<T: for<'de> Deserialize<'de>>(file: &'static str) -> Result<T, DatasetError> {
    let text = EMBEDDED_FILES.iter().find(|(name, _)| *name == file).map(|(_, text)| *text).unwrap_or("");
    serde_json::from_str(text).map_err(|source| DatasetError { file, source })
}

impl Dataset {
    /// Parses the embedded dataset.
    pub fn embedded() -> Result<Self, DatasetError> {
        Ok(Self {
            checklist: parse("checklist.json")?,
            cities: parse("cities.json")?,
            institutions: parse("institutions.json")?,
            challenges: parse("challenges.json")?,
            practices: parse("practices.json")?,
            survey: parse("survey.json")?,
            coordination: parse("coordination_tools.json")?,
            regions: parse("regions.json")?,
            shapes: parse("region_shapes.json")?,
            findings: parse("findings.json")?,
            governance: parse("governance.json")?,
            glossary: parse("glossary.json")?,
        })
    }
}
