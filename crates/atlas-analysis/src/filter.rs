//! Faceted filtering of challenges and practices: several values of one facet combine with OR, facets with AND
//! (Datasette-style), plus an optional set of ids from full-text search.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::{Deserialize, Serialize};

use atlas_core::model::{Evidence, Origin};

/// The facets a record can be filtered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Facet {
    Kind,
    City,
    Country,
    Gap,
    Level,
    Area,
    Group,
    Objective,
    Block,
    Basis,
    Tag,
    Instrument,
    Origin,
}

impl Facet {
    pub const ALL: [Facet; 13] = [
        Facet::Kind,
        Facet::City,
        Facet::Country,
        Facet::Gap,
        Facet::Level,
        Facet::Area,
        Facet::Group,
        Facet::Objective,
        Facet::Block,
        Facet::Basis,
        Facet::Tag,
        Facet::Instrument,
        Facet::Origin,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Facet::Kind => "Kind",
            Facet::City => "City",
            Facet::Country => "Country",
            Facet::Gap => "Gap type",
            Facet::Level => "Level of government",
            Facet::Area => "Policy area",
            Facet::Group => "Migrant group",
            Facet::Objective => "Checklist objective",
            Facet::Block => "Checklist block",
            Facet::Basis => "Objective basis",
            Facet::Tag => "Source tag",
            Facet::Instrument => "Instrument kind",
            Facet::Origin => "Origin",
        }
    }

    /// The facet values of one record (several for list-valued fields). Objectives and blocks are numbers as
    /// text; the city is its id.
    pub fn values(self, e: &Evidence) -> Vec<String> {
        match self {
            Facet::Kind => vec![e.kind.as_str().to_owned()],
            Facet::City => vec![e.city.clone()],
            Facet::Country => vec![e.country.clone()],
            Facet::Gap => vec![e.gap_type.clone()],
            Facet::Level => e.levels.clone(),
            Facet::Area => e.policy_areas.clone(),
            Facet::Group => e.migrant_groups.clone(),
            Facet::Objective => e.objective.map(|o| o.to_string()).into_iter().collect(),
            Facet::Block => e.objective.map(|o| block_of(o).to_string()).into_iter().collect(),
            Facet::Basis => e.objective_basis.clone().into_iter().collect(),
            Facet::Tag => vec![e.confidence.clone()],
            Facet::Instrument => e.instrument_kind.clone().into_iter().collect(),
            Facet::Origin => vec![match e.origin {
                Origin::Shipped => "shipped".to_owned(),
                Origin::User => "user".to_owned(),
            }],
        }
    }

    /// Calls `f` with each of [`Facet::values`] in turn, without allocating (for indexing many records).
    pub fn each_value(self, e: &Evidence, mut f: impl FnMut(&str)) {
        const NUMBERS: [&str; 13] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"];
        let number = |n: i64, f: &mut dyn FnMut(&str)| match NUMBERS.get(n as usize) {
            Some(text) if n >= 0 => f(text),
            _ => f(&n.to_string()),
        };
        match self {
            Facet::Kind => f(e.kind.as_str()),
            Facet::City => f(&e.city),
            Facet::Country => f(&e.country),
            Facet::Gap => f(&e.gap_type),
            Facet::Level => e.levels.iter().for_each(|v| f(v)),
            Facet::Area => e.policy_areas.iter().for_each(|v| f(v)),
            Facet::Group => e.migrant_groups.iter().for_each(|v| f(v)),
            Facet::Objective => e.objective.into_iter().for_each(|o| number(o, &mut f)),
            Facet::Block => e.objective.into_iter().for_each(|o| number(block_of(o), &mut f)),
            Facet::Basis => e.objective_basis.iter().for_each(|v| f(v)),
            Facet::Tag => f(&e.confidence),
            Facet::Instrument => e.instrument_kind.iter().for_each(|v| f(v)),
            Facet::Origin => f(match e.origin {
                Origin::Shipped => "shipped",
                Origin::User => "user",
            }),
        }
    }
}

/// The checklist block of an objective (1–3 → 1, 4–5 → 2, 6–8 → 3, 9–12 → 4).
pub fn block_of(objective: i64) -> i64 {
    match objective {
        ..=3 => 1,
        4..=5 => 2,
        6..=8 => 3,
        _ => 4,
    }
}

/// The filter state: chosen values per facet, and the search text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EvidenceFilter {
    pub selected: BTreeMap<Facet, BTreeSet<String>>,
    pub search: String,
}

/// Per facet, each value with the number of records it would match under the other facets' filters.
pub type FacetCounts = BTreeMap<Facet, BTreeMap<String, usize>>;

impl EvidenceFilter {
    pub fn is_empty(&self) -> bool {
        self.selected.values().all(BTreeSet::is_empty) && self.search.trim().is_empty()
    }

    pub fn toggle(&mut self, facet: Facet, value: &str) {
        let set = self.selected.entry(facet).or_default();
        if !set.remove(value) {
            set.insert(value.to_owned());
        }
        if set.is_empty() {
            self.selected.remove(&facet);
        }
    }

    pub fn add(&mut self, facet: Facet, value: &str) {
        self.selected.entry(facet).or_default().insert(value.to_owned());
    }

    pub fn is_selected(&self, facet: Facet, value: &str) -> bool {
        self.selected.get(&facet).is_some_and(|s| s.contains(value))
    }

    fn facet_passes(&self, facet: Facet, e: &Evidence) -> bool {
        match self.selected.get(&facet) {
            None => true,
            Some(chosen) if chosen.is_empty() => true,
            Some(chosen) => facet.values(e).iter().any(|v| chosen.contains(v)),
        }
    }

    /// Indices of the records that pass every facet and the search hits (`None` = no search).
    pub fn apply(&self, records: &[Evidence], hits: Option<&HashSet<String>>) -> Vec<usize> {
        records
            .iter()
            .enumerate()
            .filter(|(_, e)| hits.is_none_or(|h| h.contains(&e.id)))
            .filter(|(_, e)| self.selected.keys().all(|f| self.facet_passes(*f, e)))
            .map(|(i, _)| i)
            .collect()
    }

    /// Facet counts: for each facet, how many records carry each value among those passing the search and all
    /// *other* facets (so a value's count says what ticking it would add).
    pub fn facet_counts(&self, records: &[Evidence], hits: Option<&HashSet<String>>) -> FacetCounts {
        let mut counts: FacetCounts = Facet::ALL.iter().map(|f| (*f, BTreeMap::new())).collect();
        for e in records {
            if hits.is_some_and(|h| !h.contains(&e.id)) {
                continue;
            }
            let failing: Vec<Facet> = self.selected.keys().copied().filter(|f| !self.facet_passes(*f, e)).collect();
            let facets: Vec<Facet> = match failing.as_slice() {
                [] => Facet::ALL.to_vec(),
                [only] => vec![*only],
                _ => continue,
            };
            for facet in facets {
                let entry = counts.entry(facet).or_default();
                let mut seen = BTreeSet::new();
                for value in facet.values(e) {
                    if seen.insert(value.clone()) {
                        *entry.entry(value).or_default() += 1;
                    }
                }
            }
        }
        counts
    }
}
