//! Stories: ordered slides of saved views, with titles and speaker notes, in `stories` and `story_slides`.
//! A slide's view is stored as JSON text the UI writes and reads; the store does not look inside it.

#[derive(Debug, Clone, PartialEq)]
pub struct Slide {
    pub uuid: String,
    pub title: String,
    pub speaker_notes: String,
    /// The saved view (JSON written by the UI).
    pub view_state: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    pub uuid: String,
    pub title: String,
    pub slides: Vec<Slide>,
}

/// The longest saved view of a slide that is read (JSON).
pub const MAX_VIEW_STATE_BYTES: i64 = 1 << 20;
