//! What views ask for. A view never writes: it pushes [`Command`]s while drawing, and the shell applies them after
//! the frame's drawing, in the order pushed, one short handler per area (`shell/handlers/`).

use std::path::PathBuf;

use eframe::egui;

use super::state::View;
use atlas_analysis::{EvidenceFilter, Facet};
use atlas_answers::FileFormat;
use atlas_core::records::notes::{Note, UserRecord};
use atlas_core::records::stories::Slide;
use atlas_session::RoundAnswer;

/// Everything a view or dialog may ask the shell to do, grouped by area.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Nav(Nav),
    Notes(NoteCmd),
    Stories(StoryCmd),
    Files(FileCmd),
    Answers(AnswerCmd),
    Rounds(RoundCmd),
    Codings(CodingCmd),
    Assess(AssessCmd),
    /// Show this line in the message bar (a dialog finished its work and says how it went).
    Say(String),
}

/// Where to go, and what to show there.
#[derive(Debug, Clone, PartialEq)]
pub enum Nav {
    Go(View),
    /// Open the view that shows this target (each view says what it opens: [`super::views::AtlasView::open`]).
    Open(Target),
    ToggleFacet(Facet, String),
    ClearFilters,
    /// Presentation mode on or off (F5).
    Present,
    /// File ▸ Quit (Ctrl+Q).
    Quit,
    /// Help (F1), opened at the glossary of acronyms.
    Glossary,
}

/// Something a view can be opened on.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// The explorer with exactly this filter.
    Filter(EvidenceFilter),
    /// The explorer with this facet value added.
    Facet(Facet, String),
    /// One challenge, practice or own record.
    Record(String),
    City(String),
    Region(String),
    /// The Regions view on this indicator (code).
    Indicator(String),
    /// The Governance view on this country (ISO code).
    Country(String),
    /// A note or memo in the Notes view.
    Note(String),
}

/// Notes, codes and own records (written through the session's workspace, with undo).
#[derive(Debug, Clone, PartialEq)]
pub enum NoteCmd {
    /// A new note on a record, or a memo (asks for the author's name first, once).
    Add {
        kind: atlas_session::TargetKind,
        id: Option<String>,
    },
    EditText {
        uuid: String,
        text: String,
    },
    SetStatus {
        uuid: String,
        status: atlas_session::NoteStatus,
    },
    ToggleCode {
        uuid: String,
        code: String,
    },
    Delete(String),
    /// A code, or a path of codes ("funding > donors"), under `parent`; `on_note` also puts it on that note.
    AddCode {
        name: String,
        parent: Option<String>,
        on_note: Option<String>,
    },
    RenameCode {
        uuid: String,
        name: String,
    },
    MoveCode {
        uuid: String,
        parent: Option<String>,
    },
    MergeCodes {
        from: String,
        into: String,
    },
    DeleteCode(String),
    SetAuthor(String),
    /// Close the author prompt (named or cancelled).
    CloseAuthorPrompt,
    /// Ask for another author's name (what is written from now on carries it).
    ChangeAuthor,
    Undo,
    Redo,
    NewRecord,
    EditRecord(String),
    SaveRecord(Box<UserRecord>),
    DeleteRecord(String),
    ImportBundle(String),
    ResolveConflict {
        id: i64,
        keep: Box<Note>,
    },
    Export {
        kind: ExportKind,
        path: String,
    },
}

/// What the Notes view exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, Default)]
pub enum ExportKind {
    #[default]
    MarkdownByCity,
    MarkdownByCode,
    Csv,
    Bundle,
}

/// Stories, slides and playing them.
#[derive(Debug, Clone, PartialEq)]
pub enum StoryCmd {
    /// Play a story from slide `index`, full screen.
    Play(String, usize),
    /// Show a slide's saved view in the window (not presenting).
    Show(String, usize),
    /// Save the view the user came from as a new slide of the active story.
    AddToStory,
    New,
    Rename(String, String),
    Delete(String),
    UpdateSlide(Slide),
    /// Replace a slide's saved view with the view the user came from.
    ReplaceSlideView(String),
    MoveSlide(String, usize),
    DuplicateSlide(String, usize),
    DeleteSlide(String),
    /// Open the save window for a story's PNG slides or its handout.
    Export(String),
    /// The save window's answer: render the story's slides as PNG into this folder (at the end of the frame).
    ExportPngs {
        story: String,
        path: String,
    },
    /// The save window's answer: write the story's handout to this file.
    ExportHandout {
        story: String,
        path: String,
    },
}

/// Files: exports through the save window, the database copy, opening another database.
#[derive(Debug, Clone, PartialEq)]
pub enum FileCmd {
    ExportTables {
        name: String,
        tables: Vec<atlas_export::Table>,
    },
    /// Save the chart drawn in this rect (points) this frame as PNG, exactly as on screen.
    SaveChart {
        name: String,
        rect: egui::Rect,
    },
    /// Export a city's brief as Markdown.
    ExportBrief(String),
    /// File menu: the current view's table.
    ExportViewTables,
    OpenDatabase,
    SaveDatabaseCopy,
    /// The save window's answer for [`FileCmd::SaveDatabaseCopy`]: copy the open database here.
    SaveCopyTo(PathBuf),
    /// The open window's answer for [`FileCmd::OpenDatabase`]: switch to this database.
    OpenAt(PathBuf),
}

/// Survey answers in and out.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerCmd {
    /// Open the import window, optionally on a file.
    OpenImport(Option<String>),
    /// The import window wrote answers (this line says what): read them again.
    Imported(String),
    CloseImport,
    ExportTemplate {
        format: FileFormat,
        path: String,
    },
    ExportRound {
        round: String,
        format: FileFormat,
        path: String,
    },
}

/// A live self-assessment round's write (Workshop view).
#[derive(Debug, Clone, PartialEq)]
pub enum RoundCmd {
    Create {
        title: String,
        held_on: Option<String>,
    },
    Update {
        uuid: String,
        title: String,
        held_on: Option<String>,
    },
    Delete(String),
    SetAnswer(RoundAnswer),
    Rename {
        round: String,
        from: String,
        to: String,
        city: Option<String>,
        country: Option<String>,
    },
    RemoveParticipant {
        round: String,
        respondent: String,
    },
    /// Let the room answer this round from their phones (starts the local server).
    LiveStart(String),
    /// Open or close answering (closed: nothing listens; the round and its answers stay).
    LiveAnswering(bool),
    /// Show the results to the room, or hide them until Reveal.
    LiveReveal(bool),
    /// A new link (new token): the old one stops working, answers are kept.
    LiveNewLink,
    /// Pace the room one question at a time (the phones show this question and follow), or `None`: each phone
    /// answers the whole form at its own pace.
    LivePace(Option<atlas_live::Step>),
    /// Show a participant's free-text line in the word cloud (after the facilitator read it), or hide it.
    LiveShowText {
        respondent: String,
        shown: bool,
    },
    /// End the live round: the server stops.
    LiveEnd,
}

/// Coded passages, code colours and descriptions, resolving disagreements, REFI-QDA exchange (written through the
/// session's workspace, with undo).
#[derive(Debug, Clone, PartialEq)]
pub enum CodingCmd {
    /// Apply `codes` to the characters `[start, end)` of the text of `kind`/`id`.
    Apply {
        codes: Vec<String>,
        kind: atlas_session::TargetKind,
        id: String,
        start: i64,
        end: i64,
    },
    Remove(Vec<String>),
    SetColor {
        code: String,
        color: Option<String>,
    },
    SetDescription {
        code: String,
        description: String,
    },
    AddOecdCodebook,
    /// Accept the place a moved passage was found at.
    Reanchor {
        uuid: String,
        start: i64,
        end: i64,
    },
    KeepOne {
        keep: Vec<String>,
        drop: Vec<String>,
        /// A passage-level disagreement's piece `[start, end)`: only it is cut from the dropped codings.
        piece: Option<(i64, i64)>,
    },
    KeepBoth(Vec<String>),
    MergeIntoNewCode {
        codings: Vec<String>,
        name: String,
    },
    /// Open the save window for a `.qdpx` project (else a `.qdc` codebook).
    ExportQda {
        project: bool,
    },
    /// Open the open window for a `.qdpx` or `.qdc` to check.
    OpenQdaImport,
    /// The save window's answer for [`CodingCmd::ExportQda`]: write the REFI-QDA file here.
    WriteQda(PathBuf),
    /// The open window's answer for [`CodingCmd::OpenQdaImport`]: check this file (nothing is written yet).
    CheckQda(PathBuf),
    /// Import the checked file (after its summary was shown).
    ImportQda(String),
    /// Forget the checked file.
    CancelQdaImport,
    /// Open the own-record form on the checked file's source number `n` that the atlas does not hold.
    ForeignAsRecord(usize),
}

/// A city's self-assessment, indicators and action plan (Self-assessment view), with undo.
#[derive(Debug, Clone, PartialEq)]
pub enum AssessCmd {
    /// A new, unscored assessment; the assessor's name becomes the workspace author when none is set.
    New {
        city: String,
        country: Option<String>,
        date: String,
        assessor: String,
    },
    /// A workshop round participant's answers adopted as a new assessment.
    Adopt {
        round: String,
        respondent: String,
        assessor: String,
    },
    SetScore {
        uuid: String,
        objective: i64,
        score: Option<i64>,
        justification: String,
    },
    /// Only the justification (the score stays as it is when applied).
    SetJustification {
        uuid: String,
        objective: i64,
        text: String,
    },
    AddEvidence {
        uuid: String,
        link: atlas_session::EvidenceLink,
    },
    RemoveEvidence {
        uuid: String,
        index: usize,
    },
    /// A new indicator (its id and times are given by the handler).
    AddIndicator(atlas_session::annotate::assessments::IndicatorDraft),
    SetValue {
        uuid: String,
        on: String,
        value: f64,
        note: String,
    },
    /// A new planned action (its id and times are given by the handler).
    AddAction(atlas_session::annotate::assessments::ActionDraft),
    /// A progress note on an action, dated today by the handler.
    AddProgress {
        uuid: String,
        text: String,
        status: Option<atlas_session::ActionStatus>,
    },
    /// Deletes an assessment (a tombstone, so that it can be undone and travels to co-authors).
    Delete(String),
    /// Open the save window for the assessment in a format.
    Export {
        uuid: String,
        format: atlas_export::ReportFormat,
    },
    Undo,
    Redo,
}

/// Short constructors for the commands views push most.
impl Command {
    pub fn go(view: View) -> Self {
        Command::Nav(Nav::Go(view))
    }

    pub fn open(target: Target) -> Self {
        Command::Nav(Nav::Open(target))
    }

    pub fn record(id: impl Into<String>) -> Self {
        Self::open(Target::Record(id.into()))
    }

    pub fn city(id: impl Into<String>) -> Self {
        Self::open(Target::City(id.into()))
    }

    pub fn region(code: impl Into<String>) -> Self {
        Self::open(Target::Region(code.into()))
    }

    pub fn explore(filter: EvidenceFilter) -> Self {
        Self::open(Target::Filter(filter))
    }

    /// Where a note's record lives (a memo opens the Notes view on it).
    pub fn note_target(n: &atlas_session::Note) -> Self {
        let id = n.target_id.clone().unwrap_or_default();
        match n.target_kind.as_str() {
            "challenge" | "practice" => Self::record(id),
            "city" => Self::city(id),
            "region" => Self::region(id),
            "objective" => Self::go(View::Checklist),
            "source" => Self::go(View::Sources),
            "memo" => Self::open(Target::Note(n.uuid.clone())),
            _ => Self::go(View::Survey),
        }
    }

    pub fn save_chart(name: impl Into<String>, rect: egui::Rect) -> Self {
        Command::Files(FileCmd::SaveChart { name: name.into(), rect })
    }

    pub fn export_tables(name: impl Into<String>, tables: Vec<atlas_export::Table>) -> Self {
        Command::Files(FileCmd::ExportTables { name: name.into(), tables })
    }
}

/// The commands a view pushed this frame.
pub type Commands = Vec<Command>;
