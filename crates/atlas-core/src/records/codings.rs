//! Text codings: a code applied to a passage of a record's text by an author (issue 17).
//!
//! A passage is a character range `[start, end)` counted in Unicode characters (not bytes) of one version of the
//! text, identified by [`text_hash`]; the passage itself is kept as `excerpt`. When a dataset refresh changes the
//! text, the coding stays and [`anchor`] says whether it still fits, moved (the excerpt is found elsewhere), or
//! needs the author's review. Deletions are tombstones, like notes, so they travel in bundles.

use serde::{Deserialize, Serialize};

pub use super::notes::TargetKind;

/// A code applied to a passage of a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coding {
    pub uuid: String,
    /// The code's uuid.
    pub code: String,
    pub target_kind: TargetKind,
    pub target_id: String,
    /// First character of the passage (0-based, in Unicode characters).
    pub start: i64,
    /// One past the last character.
    pub end: i64,
    /// [`text_hash`] of the text version the range counts in.
    pub text_hash: String,
    /// The passage as it read when coded.
    pub excerpt: String,
    pub author: String,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default)]
    pub deleted_at: Option<String>,
    /// Set when a disagreement between coders over this coding was resolved by keeping both sides.
    #[serde(default)]
    pub resolved_at: Option<String>,
}

/// A 64-bit FNV-1a hash of a text, as 16 hex digits: identifies a text version (not a security measure).
pub fn text_hash(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// A stable UUID derived from a name (RFC 9562 version 8, "custom": the 128-bit FNV-1a hash of
/// `integration-atlas:` + `name`), so the same record, code or user gets the same GUID in every export, the way
/// UUID v5 derives one from a namespace and a name.
pub fn stable_uuid(name: &str) -> String {
    let mut hash: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for b in b"integration-atlas:".iter().chain(name.as_bytes()) {
        hash ^= u128::from(*b);
        hash = hash.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    uuid::Builder::from_custom_bytes(hash.to_be_bytes()).into_uuid().to_string()
}

/// The characters `[start, end)` of `text`, or `None` when the range does not fit.
pub fn char_slice(text: &str, start: i64, end: i64) -> Option<String> {
    if start < 0 || end <= start {
        return None;
    }
    let (start, end) = (start as usize, end as usize);
    let mut chars = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len()));
    let from = chars.nth(start)?;
    let to = if end == start { from } else { chars.nth(end - start - 1)? };
    Some(text[from..to].to_owned())
}

/// The length of a text in characters (the unit of coding offsets).
pub fn char_len(text: &str) -> i64 {
    text.chars().count() as i64
}

/// Converts a byte range of `text` (as a text widget's cursor gives it) to a character range.
pub fn byte_to_char_range(text: &str, start: usize, end: usize) -> Option<(i64, i64)> {
    if start >= end || end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return None;
    }
    Some((text[..start].chars().count() as i64, text[..end].chars().count() as i64))
}

/// How a coding fits the current text of its record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// The text is the version coded.
    Current,
    /// The text changed but the passage reads the same at the same place.
    Unchanged,
    /// The text changed and the passage was found once elsewhere: the new range.
    Moved { start: i64, end: i64 },
    /// The text changed and the passage is not (or not unambiguously) in it: the author should review it.
    NeedsReview,
    /// The record or its text is gone.
    Missing,
}

/// Where a coding sits in `text` (the record's current text), or `None` for a record that is gone.
pub fn anchor(coding: &Coding, text: Option<&str>) -> Anchor {
    let Some(text) = text else { return Anchor::Missing };
    if text_hash(text) == coding.text_hash {
        return Anchor::Current;
    }
    if char_slice(text, coding.start, coding.end).as_deref() == Some(coding.excerpt.as_str()) {
        return Anchor::Unchanged;
    }
    if coding.excerpt.is_empty() {
        return Anchor::NeedsReview;
    }
    let found: Vec<usize> = text.match_indices(coding.excerpt.as_str()).map(|(i, _)| i).take(2).collect();
    match found.as_slice() {
        [one] => match byte_to_char_range(text, *one, *one + coding.excerpt.len()) {
            Some((start, end)) => Anchor::Moved { start, end },
            None => Anchor::NeedsReview,
        },
        _ => Anchor::NeedsReview,
    }
}
