//! The users' own records as plain data: notes, codes, codings, own evidence records, self-assessments and
//! stories, with the checks and text helpers they share. The store writes them; the session edits them; the
//! analysis and the exchange formats read them. No SQL and no egui here.

/// An enum stored and exchanged as fixed words: `ALL`, `as_str`, `parse`, `Display`, and serde as the word, an
/// unknown word refused naming it (`status "done" is not one of draft, needs source, checked, disputed`). `$what`
/// names the field in that message.
macro_rules! word_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident ($what:literal) {
            $($(#[$vmeta:meta])* $variant:ident = $word:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: [$name; [$($word),+].len()] = [$($name::$variant),+];

            /// The word stored in the database and files, and shown.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }

            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|v| v.as_str() == text)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let word = <String as serde::Deserialize>::deserialize(d)?;
                $name::parse(&word).ok_or_else(|| {
                    let known: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                    serde::de::Error::custom(format!("{} {word:?} is not one of {}", $what, known.join(", ")))
                })
            }
        }
    };
}

pub mod assessments;
pub mod codable;
pub mod codings;
pub mod notes;
pub mod record_form;
pub mod stories;

use notes::UserRecord;

/// Own records as evidence rows for the explorer, charts and counts (origin "user").
pub fn user_evidence(records: &[UserRecord], atlas_cities: &[crate::model::City]) -> Vec<crate::model::Evidence> {
    use crate::model::{Evidence, Origin};
    records
        .iter()
        .filter(|r| r.deleted_at.is_none())
        .map(|r| {
            let city = r.city.as_deref().and_then(|id| atlas_cities.iter().find(|c| c.id == id));
            Evidence {
                id: r.id.clone(),
                kind: r.kind,
                origin: Origin::User,
                city: city
                    .map_or_else(|| format!("new:{}", r.new_city_name.clone().unwrap_or_default()), |c| c.id.clone()),
                city_name: city.map_or_else(|| r.new_city_name.clone().unwrap_or_default(), |c| c.name.clone()),
                country: city.map_or_else(|| r.new_city_country.clone().unwrap_or_default(), |c| c.country.clone()),
                title: r.title.clone(),
                description: r.description.clone(),
                gap_type: r.gap_type.clone().unwrap_or_default(),
                levels: r.levels.clone(),
                levels_detail: None,
                policy_areas: r.policy_areas.clone(),
                migrant_groups: r.migrant_groups.clone(),
                objective: r.objective,
                objective_also: Vec::new(),
                objective_basis: None,
                objective_coded: None,
                year_started: r.year_started.clone(),
                instrument_kind: r.instrument_kind.clone(),
                instrument_detail: None,
                confidence: r
                    .sources
                    .iter()
                    .map(|s| s.tag.as_str())
                    .min_by_key(|t| crate::dataset::tag_rank(t))
                    .unwrap_or("external")
                    .to_owned(),
                tag_detail: Some(format!("added by {}", r.author)),
                sources: r
                    .sources
                    .iter()
                    .map(|s| crate::dataset::Source {
                        url: s.url.clone().unwrap_or_default(),
                        tag: s.tag.clone(),
                        title: s.citation.clone(),
                        publisher: None,
                        note: None,
                    })
                    .collect(),
                uncertain: Vec::new(),
                coding_notes: Vec::new(),
            }
        })
        .collect()
}

/// `#rgb` or `#rrggbb` (REFI-QDA's colour form).
pub fn is_rgb(s: &str) -> bool {
    let hex = s.strip_prefix('#').unwrap_or("");
    (hex.len() == 6 || hex.len() == 3) && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// What the exports read of the authors' notes and codes (the session's workspace implements it), so a report can
/// include them without reaching the layer that edits them.
pub trait NotesRead {
    /// The live notes on one thing (`kind` "challenge", "city", "region", … and its id).
    fn notes_on<'a>(&'a self, kind: notes::TargetKind, id: &'a str) -> Box<dyn Iterator<Item = &'a notes::Note> + 'a>;
    /// A code's path from its root ("Funding / Short-term"), empty when it is unknown.
    fn code_path(&self, uuid: &str) -> String;
    /// How many live notes one thing has.
    fn note_count(&self, kind: notes::TargetKind, id: &str) -> usize;
}
