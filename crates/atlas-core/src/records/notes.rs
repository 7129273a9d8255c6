//! The users' own work: notes (annotations and memos), codes, and their own evidence records. Every write is one
//! transaction; deletions are tombstones (`deleted_at`), so they can travel in bundles to co-authors.

use serde::{Deserialize, Serialize};

word_enum! {
    /// The four statuses of a note.
    pub enum NoteStatus("status") {
        #[default]
        Draft = "draft",
        NeedsSource = "needs source",
        Checked = "checked",
        Disputed = "disputed",
    }
}

word_enum! {
    /// What a note or a coded passage is on: a record, a city, a region, an objective, a source, a survey figure,
    /// a city profile's text, another note, or nothing (a memo).
    /// In the order of their words, so sorting by kind sorts as the words do.
    pub enum TargetKind("kind of record") {
        #[default]
        Challenge = "challenge",
        City = "city",
        CityText = "city_text",
        Memo = "memo",
        Note = "note",
        Objective = "objective",
        Practice = "practice",
        Region = "region",
        Source = "source",
        SurveyFigure = "survey_figure",
        UserRecord = "user_record",
    }
}

impl TargetKind {
    /// What a coding can sit on: a shipped challenge or practice (by id), an own record (by uuid), a city
    /// profile's text (governance, finding or recommendation, by id) or a note (by uuid).
    pub const CODABLE: [TargetKind; 5] =
        [TargetKind::Challenge, TargetKind::Practice, TargetKind::UserRecord, TargetKind::CityText, TargetKind::Note];

    pub fn is_codable(self) -> bool {
        Self::CODABLE.contains(&self)
    }
}

impl From<crate::model::EvidenceKind> for TargetKind {
    fn from(kind: crate::model::EvidenceKind) -> Self {
        match kind {
            crate::model::EvidenceKind::Challenge => TargetKind::Challenge,
            crate::model::EvidenceKind::Practice => TargetKind::Practice,
        }
    }
}

/// Now, as an RFC 3339 UTC timestamp (sortable as text).
pub fn now() -> String {
    jiff::Timestamp::now().to_string()
}

pub fn new_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A note attached to a record (`target_kind` + `target_id`) or a stand-alone memo (`target_kind` = "memo").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub uuid: String,
    pub target_kind: TargetKind,
    pub target_id: Option<String>,
    pub text: String,
    pub author: String,
    pub status: NoteStatus,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default)]
    pub deleted_at: Option<String>,
    /// Code UUIDs.
    #[serde(default)]
    pub codes: Vec<String>,
    /// Fingerprint of the version last exchanged with a co-author (export or import), if any.
    #[serde(default)]
    pub base: Option<String>,
}

impl Note {
    /// A fingerprint of everything a co-author could have changed.
    pub fn fingerprint(&self) -> String {
        let mut codes = self.codes.clone();
        codes.sort();
        let text = format!(
            "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
            self.target_kind,
            self.target_id.as_deref().unwrap_or(""),
            self.text,
            self.status,
            self.deleted_at.is_some(),
            codes.join(",")
        );
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in text.bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        format!("{hash:016x}")
    }
}

/// A code in the code tree ("housing > quotas" is `quotas` with parent `housing`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Code {
    pub uuid: String,
    pub name: String,
    pub parent: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default)]
    pub deleted_at: Option<String>,
    /// Display colour as `#rrggbb` (REFI-QDA's RGB form), if chosen.
    #[serde(default)]
    pub color: Option<String>,
    /// What the code means, in the author's words.
    #[serde(default)]
    pub description: Option<String>,
}

/// A source of a user's own record: a URL, a full citation, or both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UserSource {
    pub url: Option<String>,
    pub citation: Option<String>,
    pub tag: String,
}

/// A challenge or practice added by a user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UserRecord {
    pub uuid: String,
    pub id: String,
    pub kind: crate::model::EvidenceKind,
    pub city: Option<String>,
    pub new_city_name: Option<String>,
    pub new_city_country: Option<String>,
    pub new_city_lat: Option<f64>,
    pub new_city_lon: Option<f64>,
    pub title: String,
    pub description: String,
    pub gap_type: Option<String>,
    pub levels: Vec<String>,
    pub policy_areas: Vec<String>,
    pub migrant_groups: Vec<String>,
    pub objective: Option<i64>,
    pub year_started: Option<String>,
    pub instrument_kind: Option<String>,
    pub sources: Vec<UserSource>,
    pub author: String,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default)]
    pub deleted_at: Option<String>,
}
