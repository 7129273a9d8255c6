//! The in-memory dataset the views and the CLI work on, loaded once from the store.

use serde::Serialize;

use crate::dataset::Source;

/// Challenge or practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceKind {
    Challenge,
    Practice,
}

impl EvidenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Challenge => "challenge",
            Self::Practice => "practice",
        }
    }
}

/// Who a record comes from: the shipped dataset or a user of this database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    Shipped,
    User,
}

/// A challenge or practice, shipped or user-made.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub id: String,
    pub kind: EvidenceKind,
    pub origin: Origin,
    pub city: String,
    pub city_name: String,
    pub country: String,
    pub title: String,
    pub description: String,
    pub gap_type: String,
    pub levels: Vec<String>,
    pub levels_detail: Option<String>,
    pub policy_areas: Vec<String>,
    pub migrant_groups: Vec<String>,
    pub objective: Option<i64>,
    pub objective_also: Vec<i64>,
    pub objective_basis: Option<String>,
    pub objective_coded: Option<String>,
    pub year_started: Option<String>,
    pub instrument_kind: Option<String>,
    pub instrument_detail: Option<String>,
    /// The strongest tag among the sources.
    pub confidence: String,
    pub tag_detail: Option<String>,
    pub sources: Vec<Source>,
    pub uncertain: Vec<String>,
    pub coding_notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CityFigure {
    pub id: String,
    pub label: String,
    pub value: Option<f64>,
    pub value_text: Option<String>,
    pub unit: Option<String>,
    pub year: Option<String>,
    pub group: Option<String>,
    pub sources: Vec<Source>,
    pub uncertain: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CityText {
    pub id: String,
    pub text: String,
    pub sources: Vec<Source>,
    pub uncertain: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct City {
    pub id: String,
    pub code: String,
    pub name: String,
    pub local_names: Vec<String>,
    pub country: String,
    pub country_name: String,
    pub region_code: String,
    pub lat: f64,
    pub lon: f64,
    pub size: Option<String>,
    pub oecd_case_study_available: bool,
    pub profile_note: Option<String>,
    pub publication: Option<crate::dataset::Publication>,
    pub figures: Vec<CityFigure>,
    pub governance: Vec<CityText>,
    pub findings: Vec<CityText>,
    pub recommendations: Vec<CityText>,
    pub sources: Vec<Source>,
    pub uncertain: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Objective {
    pub number: i64,
    pub block: i64,
    pub short_title: String,
    pub title: String,
    pub summary: String,
    pub wording_status: String,
    pub sources: Vec<Source>,
    pub uncertain: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Block {
    pub number: i64,
    pub title: String,
    pub alt_titles: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub fb_label: String,
    pub comparison_label: String,
    pub unit: String,
    pub has_diff: bool,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Region {
    pub code: String,
    pub name: String,
    pub country: String,
    pub country_name: String,
}

/// A region's outline: polygons of rings (outer first) of `[lon, lat]`.
#[derive(Debug, Clone, Serialize)]
pub struct RegionShape {
    pub code: String,
    pub name: String,
    pub country: String,
    pub polygons: Vec<Vec<Vec<[f64; 2]>>>,
}

/// One region's value on one indicator.
#[derive(Debug, Clone, Serialize)]
pub struct RegionValue {
    pub indicator: String,
    pub region: String,
    pub fb: Option<f64>,
    pub comparison: Option<f64>,
    pub diff: Option<f64>,
    pub country_mean_diff: Option<f64>,
    pub quartile: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SurveyInfo {
    pub id: String,
    pub title: String,
    pub partners: Vec<String>,
    pub fielded: Option<String>,
    pub respondent_count: Option<i64>,
    pub named_respondents: Vec<String>,
    pub unnamed_respondents: i64,
    pub channels: Vec<String>,
    pub instrument: Option<crate::dataset::Instrument>,
    pub sources: Vec<Source>,
    pub uncertain: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SurveyFigure {
    pub id: String,
    pub survey: String,
    pub value_text: String,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub measures: String,
    pub denominator: Option<String>,
    pub kind: Option<String>,
    pub confidence: String,
    pub sources: Vec<Source>,
    pub uncertain: Vec<String>,
}

/// A cited source and the records that cite it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceEntry {
    pub url: String,
    pub title: Option<String>,
    pub publisher: Option<String>,
    /// (record kind, record id, tag of that use)
    pub cited_by: Vec<(String, String, String)>,
}

/// An institutional note: which level of government does what.
#[derive(Debug, Clone, Serialize)]
pub struct Institution {
    pub id: String,
    pub country: String,
    pub country_name: Option<String>,
    pub city: Option<String>,
    pub level: String,
    pub body: Option<String>,
    pub responsibilities: String,
    pub sources: Vec<Source>,
    pub uncertain: Vec<String>,
}

/// One of the six coordination instruments of the OECD's 2022 paper.
#[derive(Debug, Clone, Serialize)]
pub struct CoordinationTool {
    pub id: String,
    pub name: String,
    pub country: Option<String>,
    pub group: Option<String>,
    pub description: String,
    pub sources: Vec<Source>,
    pub uncertain: Vec<String>,
}

/// One imported or workshop answer: respondent × question.
#[derive(Debug, Clone, Serialize)]
pub struct SurveyAnswer {
    pub round: String,
    pub respondent: String,
    pub city: Option<String>,
    pub question: String,
    pub value_num: Option<f64>,
    pub value_text: Option<String>,
}

/// Where the loaded data came from.
#[derive(Debug, Clone, Serialize, Default)]
pub struct AtlasInfo {
    pub database: String,
    pub dataset_version: String,
    pub dataset_hash: String,
    pub regions_citation: String,
    pub regions_note: String,
}

/// Everything the views show, loaded once from the store.
#[derive(Debug, Clone, Default)]
pub struct Atlas {
    pub info: AtlasInfo,
    pub evidence: Vec<Evidence>,
    pub cities: Vec<City>,
    pub blocks: Vec<Block>,
    pub objectives: Vec<Objective>,
    pub indicators: Vec<Indicator>,
    pub regions: Vec<Region>,
    pub region_values: Vec<RegionValue>,
    pub region_shapes: Vec<RegionShape>,
    pub surveys: Vec<SurveyInfo>,
    pub survey_figures: Vec<SurveyFigure>,
    pub institutions: Vec<Institution>,
    pub coordination_tools: Vec<CoordinationTool>,
    pub sources: Vec<SourceEntry>,
    /// Per-respondent answers from imports and live rounds (none are shipped: none were published).
    pub survey_answers: Vec<SurveyAnswer>,
    /// Region code → position in `regions`.
    pub region_index: std::collections::HashMap<String, usize>,
}

impl Atlas {
    pub fn city(&self, id: &str) -> Option<&City> {
        self.cities.iter().find(|c| c.id == id)
    }

    /// A region by code, through the index built at load time (views look regions up every frame).
    pub fn region(&self, code: &str) -> Option<&Region> {
        match self.region_index.get(code) {
            Some(i) => self.regions.get(*i),
            None if self.region_index.is_empty() => self.regions.iter().find(|r| r.code == code),
            None => None,
        }
    }

    /// Builds the lookup indexes; call after filling the lists.
    pub fn index(&mut self) {
        self.region_index = self.regions.iter().enumerate().map(|(i, r)| (r.code.clone(), i)).collect();
    }

    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.code == code)
    }
}
