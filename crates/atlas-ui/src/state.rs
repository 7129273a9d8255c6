//! What the window remembers: the view shown and each view's settings. [`UiState`]'s serialised shape is a
//! contract — eframe keeps it in `app.ron` between runs and every story slide keeps one as JSON — so fields are only
//! ever added (with defaults), never renamed or removed; the tests load today's shapes.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use atlas_analysis::responses::ResponseFilter;
use atlas_analysis::{EvidenceFilter, Sort};

/// How the window was asked for on the command line.
#[derive(Debug, Default, Clone)]
pub struct Launch {
    pub db: Option<PathBuf>,
    pub view: Option<String>,
    pub screenshot_to: Option<PathBuf>,
    /// Hidden `--export-story STORY --to DIR`: export the story's slides as PNG, then close.
    pub export_story: Option<(String, PathBuf)>,
}

/// The views of the app. Each has one entry in `views::REGISTRY`, in the order of [`View::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum View {
    #[default]
    Home,
    Explorer,
    Checklist,
    Cities,
    Regions,
    Governance,
    Survey,
    Responses,
    Workshop,
    Sources,
    Notes,
    Codes,
    Agreement,
    Stories,
    Assess,
}

impl View {
    /// Every view, in the order of the top bar.
    pub const ALL: [View; 15] = [
        View::Home,
        View::Explorer,
        View::Checklist,
        View::Cities,
        View::Regions,
        View::Governance,
        View::Survey,
        View::Responses,
        View::Workshop,
        View::Sources,
        View::Notes,
        View::Codes,
        View::Agreement,
        View::Stories,
        View::Assess,
    ];

    pub fn all() -> impl Iterator<Item = View> {
        Self::ALL.into_iter()
    }

    /// The name in the top bar (and the accessible label of its button).
    pub fn label(self) -> &'static str {
        match self {
            View::Home => "Home",
            View::Explorer => "Explorer",
            View::Checklist => "Checklist",
            View::Cities => "Cities",
            View::Regions => "Regions",
            View::Governance => "Governance",
            View::Survey => "Survey",
            View::Responses => "Responses",
            View::Workshop => "Workshop",
            View::Sources => "Sources",
            View::Notes => "Notes",
            View::Codes => "Codes",
            View::Agreement => "Agreement",
            View::Stories => "Stories",
            View::Assess => "Self-assessment",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::all().find(|v| v.label().eq_ignore_ascii_case(name.trim()))
    }
}

/// What is restored on the next start (eframe storage, not the database), and what a slide keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UiState {
    pub view: View,
    pub dark: bool,
    pub zoom: f32,
    pub explorer: ExplorerState,
    pub cities: CitiesState,
    pub regions: RegionsState,
    pub notes: NotesState,
    pub responses: ResponsesState,
    pub workshop: WorkshopState,
    /// Presentation scale (1.5–2.5) and whether presenting uses the high-contrast theme.
    pub present_scale: f32,
    pub high_contrast: bool,
    /// The story "Add to story" adds to.
    pub story: Option<String>,
    /// The source whose notes are open in the Sources view.
    pub sources_selected: Option<String>,
    /// The Codes view: the selected code.
    pub codes: CodesState,
    /// The Agreement view: the coders compared and the level.
    pub agreement: AgreementState,
    /// The Self-assessment view: the city, the assessment and the part shown.
    pub assess: AssessState,
    /// The country (ISO code) the Governance view shows; empty = the first.
    pub governance_country: String,
}

impl Default for UiState {
    fn default() -> Self {
        Self {
            view: View::Home,
            dark: false,
            zoom: 1.0,
            explorer: Default::default(),
            cities: Default::default(),
            regions: Default::default(),
            notes: Default::default(),
            responses: Default::default(),
            workshop: Default::default(),
            present_scale: 1.75,
            high_contrast: false,
            story: None,
            sources_selected: None,
            codes: Default::default(),
            agreement: Default::default(),
            assess: Default::default(),
            governance_country: String::new(),
        }
    }
}

// Each view's part of the state (the views re-export their own).

// ── explorer ──────────────────────────────────────────────────────────────────────────

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ChartKind {
    #[default]
    GapByLevel,
    Area,
    City,
    Objective,
}

impl ChartKind {
    pub const ALL: [ChartKind; 4] = [ChartKind::GapByLevel, ChartKind::Area, ChartKind::City, ChartKind::Objective];
    pub fn label(self) -> &'static str {
        match self {
            ChartKind::GapByLevel => "Gap type by level",
            ChartKind::Area => "Policy area",
            ChartKind::City => "City",
            ChartKind::Objective => "Objectives 1–12",
        }
    }
}

/// What the explorer remembers between frames and starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ExplorerState {
    pub filter: EvidenceFilter,
    pub sort: Sort,
    pub selected: Option<String>,
    pub show_charts: bool,
    pub chart: ChartKind,
    /// A followed link asked for `selected`: when the filters hide it, they are cleared so the table shows it.
    #[serde(skip)]
    pub reveal: bool,
    /// The filters that a followed link cleared, in words, said once above the table.
    #[serde(skip)]
    pub cleared: Option<String>,
}

// ── cities ──────────────────────────────────────────────────────────────────────────

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CitiesState {
    pub selected: String,
    pub compare: bool,
    pub other: String,
}

impl Default for CitiesState {
    fn default() -> Self {
        Self { selected: "amsterdam".to_owned(), compare: false, other: "vienna".to_owned() }
    }
}

// ── regions ──────────────────────────────────────────────────────────────────────────

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum RegionsMode {
    #[default]
    Scatter,
    Map,
    Table,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum RegionSort {
    #[default]
    Country,
    Name,
    ForeignBorn,
    Comparison,
    Difference,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegionsState {
    pub indicator: String,
    pub mode: RegionsMode,
    /// ISO code, or empty for all countries.
    pub country: String,
    pub sort: RegionSort,
    pub descending: bool,
    /// A region to point out (from a city profile or search).
    pub focus: Option<String>,
}

impl Default for RegionsState {
    fn default() -> Self {
        Self {
            indicator: "Unemp".to_owned(),
            mode: RegionsMode::Scatter,
            country: String::new(),
            sort: RegionSort::Country,
            descending: false,
            focus: None,
        }
    }
}

// ── notes ──────────────────────────────────────────────────────────────────────────

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum NoteSort {
    #[default]
    Updated,
    Author,
    Status,
    Record,
}

/// Filters and choices kept between frames and starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct NotesState {
    pub author: String,
    pub code: String,
    pub status: String,
    pub kind: String,
    pub city: String,
    pub search: String,
    pub sort: NoteSort,
    pub descending: bool,
    pub selected: Option<String>,
    pub export_path: String,
    pub import_path: String,
    #[serde(skip)]
    pub new_code: String,
    #[serde(skip)]
    pub rename: String,
    #[serde(skip)]
    pub target_code: String,
}

// ── responses ──────────────────────────────────────────────────────────────────────────

/// What the Responses view remembers between runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResponsesState {
    pub filter: ResponseFilter,
    /// The charted question's code.
    pub question: Option<String>,
    /// The respondent compared with the sample: (round uuid, respondent id).
    pub respondent: Option<(String, String)>,
    pub export_path: String,
}

// ── workshop ──────────────────────────────────────────────────────────────────────────

/// What the Workshop view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Layout {
    /// Entry and results side by side (stacked in a narrow window).
    #[default]
    Both,
    Entry,
    /// The charts alone, for the projector.
    Results,
    /// The word cloud of the open lines the facilitator chose to show.
    Words,
}

impl Layout {
    pub const ALL: [Layout; 4] = [Layout::Both, Layout::Entry, Layout::Results, Layout::Words];

    pub fn label(self) -> &'static str {
        match self {
            Layout::Both => "Entry + results",
            Layout::Entry => "Entry",
            Layout::Results => "Results",
            Layout::Words => "Word cloud",
        }
    }
}

/// What the Workshop view remembers between runs (and what a story slide of it keeps): the open round and layout.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkshopState {
    /// The open live round's uuid.
    pub round: Option<String>,
    pub layout: Layout,
}

impl PartialEq for WorkshopState {
    fn eq(&self, other: &Self) -> bool {
        self.round == other.round && self.layout == other.layout
    }
}

// ── codes and agreement ───────────────────────────────────────────────────────────────

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CodesState {
    /// The code whose coded excerpts are listed.
    pub selected: Option<String>,
    /// Whether the excerpts of the codes below it are listed too.
    pub with_children: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgreementState {
    /// The coders compared (at least two).
    pub coders: Vec<String>,
    /// Passage level (else record level).
    pub passage: bool,
}

/// The Self-assessment view's saved choices.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssessState {
    /// The city assessed (a case-study city's name or one the user added).
    pub city: Option<String>,
    /// The open assessment's uuid.
    pub assessment: Option<String>,
    pub tab: AssessTab,
    /// What the radar compares with: "all", "city:NAME", "earlier:UUID" or "round:UUID".
    pub compare: String,
}

/// The parts of the Self-assessment view.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum AssessTab {
    #[default]
    Scores,
    Compare,
    Indicators,
    Plan,
}
