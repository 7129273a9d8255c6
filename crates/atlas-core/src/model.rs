//! The in-memory dataset the views and the CLI work on, loaded once from the store.

use serde::{Deserialize, Serialize};

use crate::dataset::Source;

/// Challenge or practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord, Default)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceKind {
    #[default]
    Challenge,
    Practice,
}

impl EvidenceKind {
    pub const ALL: [EvidenceKind; 2] = [EvidenceKind::Challenge, EvidenceKind::Practice];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Challenge => "challenge",
            Self::Practice => "practice",
        }
    }

    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == word)
    }
}

impl std::fmt::Display for EvidenceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
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
    /// Who ran it, when, how many answered and the headline results (our words), where the sources say.
    pub summary: Option<String>,
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
    /// What it is meant to fix, as the paper files it.
    pub addresses: Option<String>,
    /// Gap types of the coding it addresses, only where a source says so.
    pub gap_types: Vec<String>,
    pub sources: Vec<Source>,
    pub uncertain: Vec<String>,
}

/// One of the report's own findings, in our words, with the evidence in the app that bears on it.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub id: String,
    pub theme: String,
    pub statement: String,
    /// Views it concerns: home, explorer, regions, survey, checklist, cities, governance.
    pub views: Vec<String>,
    pub links: crate::dataset::FindingLinks,
    pub link_note: Option<String>,
    /// The strongest tag among its sources.
    pub confidence: String,
    pub sources: Vec<Source>,
    pub uncertain: Vec<String>,
}

/// One entry of the who-does-what grid: a body at a level of government and its role in a policy area.
#[derive(Debug, Clone, Serialize)]
pub struct GovernanceCell {
    pub id: String,
    pub country: String,
    pub country_name: String,
    pub city: Option<String>,
    pub level: String,
    pub area: String,
    pub body: String,
    pub role: String,
    /// holds, shares, or none (a source says the level has no competence there).
    pub competence: String,
    pub institution: Option<String>,
    pub confidence: String,
    pub sources: Vec<Source>,
    pub uncertain: Vec<String>,
}

/// The who-does-what grid of every country: its axes and its entries.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Governance {
    pub levels: Vec<String>,
    pub areas: Vec<String>,
    pub note: Option<String>,
    /// The sources of what `note` says beyond the grid (which countries the OECD mapped).
    pub note_sources: Vec<Source>,
    pub cells: Vec<GovernanceCell>,
}

pub use crate::glossary::GlossaryEntry;

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
    pub findings: Vec<Finding>,
    pub governance: Governance,
    /// Every acronym the evidence uses, by term (case-insensitive order).
    pub glossary: Vec<GlossaryEntry>,
    pub sources: Vec<SourceEntry>,
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

    /// The glossary entry that explains a word of the evidence (`OFII`, `NGOs`, `MA17`, `REGIO`), if any.
    pub fn glossary_entry(&self, word: &str) -> Option<&GlossaryEntry> {
        crate::glossary::entry(&self.glossary, word)
    }

    /// The glossary entries of the acronyms a text uses, in the order they first appear (for a tooltip).
    pub fn glossary_in(&self, text: &str) -> Vec<&GlossaryEntry> {
        crate::glossary::entries_in(&self.glossary, text)
    }
}

/// A round of survey answers: an imported file or a live workshop round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Round {
    pub uuid: String,
    pub title: String,
    pub held_on: Option<String>,
    /// `import` or `live`.
    pub kind: String,
    pub survey: Option<String>,
    pub source_file: Option<String>,
    pub created_at: String,
}

/// One respondent of one round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Respondent {
    pub round: usize,
    pub id: String,
    pub city: Option<String>,
    pub country: Option<String>,
}

/// One answer; `respondent` indexes [`AnswerSet::respondents`], `question` indexes [`AnswerSet::questions`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub respondent: u32,
    pub question: u32,
    pub value_num: Option<f64>,
    pub value_text: Option<String>,
    pub unit_notes: Option<String>,
    pub answered_on: Option<String>,
}

/// Every imported and live answer, loaded once and reloaded after a write. None are shipped: none were published.
///
/// Answers are sorted by respondent, then question, so one respondent's answers are a contiguous slice.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AnswerSet {
    pub rounds: Vec<Round>,
    pub respondents: Vec<Respondent>,
    /// Question definitions: the catalogue's, then those declared by rounds (first declaration wins).
    pub questions: Vec<QuestionDef>,
    pub answers: Vec<Answer>,
    /// Per respondent, the range of its answers in `answers`.
    pub by_respondent: Vec<std::ops::Range<usize>>,
    /// Per question, the positions of its answers in `answers`.
    pub by_question: Vec<Vec<u32>>,
    /// Cities users added for imports (name, country).
    pub extra_cities: Vec<(String, Option<String>)>,
    /// The distinct respondent countries, and per respondent its position there (`u32::MAX`: none), so that
    /// filters compare small numbers instead of strings.
    pub countries: Vec<String>,
    pub respondent_country: Vec<u32>,
    /// Per respondent, its round (a copy of `Respondent::round` packed tight for filters).
    pub respondent_round: Vec<u32>,
    /// Per question, its numeric answers as (value, respondent), sorted by value: built once per data change, so
    /// a filter change reads quartiles and histogram bins off an array instead of sorting.
    pub by_value: Vec<Vec<(f64, u32)>>,
    /// Per live round (uuid), the free-text lines the facilitator chose to show the room, in the order the phones
    /// joined: the only lines a word cloud may use.
    pub approved_lines: std::collections::HashMap<String, Vec<String>>,
}

impl AnswerSet {
    pub fn question_index(&self, code: &str) -> Option<usize> {
        self.questions.iter().position(|q| q.code == code)
    }

    /// One respondent's answer to one question.
    pub fn answer(&self, respondent: usize, question: usize) -> Option<&Answer> {
        let range = self.by_respondent.get(respondent)?.clone();
        let slice = &self.answers[range];
        slice.binary_search_by_key(&(question as u32), |a| a.question).ok().map(|i| &slice[i])
    }

    /// Questions that have at least one answer, in catalogue order.
    pub fn answered_questions(&self) -> Vec<usize> {
        (0..self.questions.len()).filter(|q| self.by_question.get(*q).is_some_and(|v| !v.is_empty())).collect()
    }

    /// Builds `by_respondent`, `by_question`, `by_value` and the packed respondent ids; call after filling
    /// `answers` sorted by (respondent, question). Lookups and filters rely on it.
    pub fn index(&mut self) {
        let mut countries: Vec<String> = self.respondents.iter().filter_map(|r| r.country.clone()).collect();
        countries.sort();
        countries.dedup();
        self.respondent_country = self
            .respondents
            .iter()
            .map(|r| r.country.as_ref().and_then(|c| countries.binary_search(c).ok()).map_or(u32::MAX, |i| i as u32))
            .collect();
        self.countries = countries;
        self.respondent_round = self.respondents.iter().map(|r| r.round as u32).collect();
        self.by_respondent = vec![0..0; self.respondents.len()];
        self.by_question = vec![Vec::new(); self.questions.len()];
        let mut start = 0;
        while start < self.answers.len() {
            let r = self.answers[start].respondent as usize;
            let mut end = start;
            while end < self.answers.len() && self.answers[end].respondent as usize == r {
                end += 1;
            }
            if let Some(slot) = self.by_respondent.get_mut(r) {
                *slot = start..end;
            }
            start = end;
        }
        for (i, a) in self.answers.iter().enumerate() {
            if let Some(list) = self.by_question.get_mut(a.question as usize) {
                list.push(i as u32);
            }
        }
        self.by_value = self
            .by_question
            .iter()
            .map(|positions| {
                let mut list: Vec<(f64, u32)> = positions
                    .iter()
                    .map(|p| &self.answers[*p as usize])
                    .filter_map(|a| Some((a.value_num?, a.respondent)))
                    .collect();
                list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                list
            })
            .collect();
    }

    /// Puts one respondent's complete answers into round `round` (an index of [`Self::rounds`]), as a live
    /// submission wrote them to the database: `previous` (or, without it, `id`) is replaced when the round has it,
    /// else the respondent is added. `rows` are (question code, number, text); codes the set does not know are
    /// left out, as a reload would. Call [`Self::index`] after the last change of a batch: then the set is what
    /// a read of the database would give, without the read.
    pub fn put_respondent(
        &mut self,
        round: usize,
        id: &str,
        previous: Option<&str>,
        place: (Option<String>, Option<String>),
        rows: &[(String, Option<f64>, Option<String>)],
    ) {
        let (city, country) = place;
        let old = previous.unwrap_or(id);
        let at = self.respondents.iter().position(|r| r.round == round && r.id == old);
        let r = match at {
            Some(r) => {
                self.respondents[r] = Respondent { round, id: id.to_owned(), city, country };
                r
            }
            None => {
                self.respondents.push(Respondent { round, id: id.to_owned(), city, country });
                self.respondents.len() - 1
            }
        };
        let mut mine: Vec<Answer> = rows
            .iter()
            .filter_map(|(code, num, text)| {
                Some(Answer {
                    respondent: r as u32,
                    question: self.question_index(code)? as u32,
                    value_num: *num,
                    value_text: text.clone(),
                    unit_notes: None,
                    answered_on: None,
                })
            })
            .collect();
        mine.sort_by_key(|a| a.question);
        // Answers stay sorted by respondent: this respondent's slice is replaced where it was (or appended).
        let start = self.answers.partition_point(|a| (a.respondent as usize) < r);
        let end = self.answers.partition_point(|a| (a.respondent as usize) <= r);
        self.answers.splice(start..end, mine);
    }

    /// Takes respondent `id` of round `round` and its answers out (a participant the facilitator removed); call
    /// [`Self::index`] after the batch.
    pub fn remove_respondent(&mut self, round: usize, id: &str) {
        let Some(r) = self.respondents.iter().position(|x| x.round == round && x.id == id) else { return };
        self.respondents.remove(r);
        self.answers.retain(|a| a.respondent as usize != r);
        for a in &mut self.answers {
            if a.respondent as usize > r {
                a.respondent -= 1;
            }
        }
    }

    /// One question's numeric answers from the respondents `mask` keeps, in ascending order (after [`Self::index`]).
    pub fn sorted_values(&self, question: usize, mask: &[bool]) -> Vec<f64> {
        let list = self.by_value.get(question).map(Vec::as_slice).unwrap_or(&[]);
        // Without a branch per answer: write every value, advance past the kept ones.
        let mut values = vec![0.0; list.len()];
        let mut kept = 0;
        for (v, r) in list {
            values[kept] = *v;
            kept += usize::from(mask.get(*r as usize) == Some(&true));
        }
        values.truncate(kept);
        values
    }

    /// The answer's value as text, as the app shows and exports it.
    pub fn value_text(answer: &Answer) -> String {
        match (&answer.value_num, &answer.value_text) {
            (Some(n), _) => crate::text::format_number(*n),
            (None, Some(t)) => t.clone(),
            (None, None) => String::new(),
        }
    }
}

// ── Survey questions (what an answer file may answer; `answers` reads and writes them) ──────────────────

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
