//! The explorer's derived data — sorted rows, facet counts and chart series — computed together from one filter
//! state and cached until that state changes, so that table, counts and charts always agree and nothing is
//! recomputed per frame.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::filter::{EvidenceFilter, FacetCounts};
use crate::dataset::{GAP_TYPES, LEVELS};
use crate::model::{Evidence, EvidenceKind};

/// Table columns that can be sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum SortColumn {
    #[default]
    Id,
    City,
    Title,
    Gap,
    Levels,
    Area,
    Objective,
    Tag,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Sort {
    pub column: SortColumn,
    pub descending: bool,
}

/// Counts per category (in display order), one series per stack where stacked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    pub categories: Vec<String>,
    /// (stack name, count per category)
    pub stacks: Vec<(String, Vec<usize>)>,
}

impl Series {
    pub fn totals(&self) -> Vec<usize> {
        (0..self.categories.len()).map(|i| self.stacks.iter().map(|(_, v)| v[i]).sum()).collect()
    }
}

/// Everything the explorer shows for one filter state.
#[derive(Debug, Clone, Default)]
pub struct ExplorerResults {
    /// Indices into the evidence list, in table order.
    pub rows: Vec<usize>,
    pub challenges: usize,
    pub practices: usize,
    pub facet_counts: FacetCounts,
    /// Records per gap type, stacked by level of government (a record counts once for each of its levels).
    pub gap_by_level: Series,
    pub by_area: Series,
    pub by_city: Series,
    pub by_objective: Series,
}

fn sort_key(e: &Evidence, column: SortColumn) -> String {
    match column {
        SortColumn::Id => e.id.clone(),
        SortColumn::City => format!("{} {}", e.city_name, e.id),
        SortColumn::Title => crate::text::fold(&e.title),
        SortColumn::Gap => format!("{} {}", e.gap_type, e.id),
        SortColumn::Levels => format!("{} {}", e.levels.join(","), e.id),
        SortColumn::Area => format!("{} {}", e.policy_areas.join(","), e.id),
        SortColumn::Objective => format!("{:02} {}", e.objective.unwrap_or(99), e.id),
        SortColumn::Tag => format!("{} {}", crate::dataset::tag_rank(&e.confidence), e.id),
    }
}

/// Computes the explorer results for a filter, a sort and the search hits (`None` = no search).
pub fn compute(
    records: &[Evidence],
    cities: &[(String, String)],
    filter: &EvidenceFilter,
    sort: Sort,
    hits: Option<&HashSet<String>>,
) -> ExplorerResults {
    let mut rows = filter.apply(records, hits);
    let keys: Vec<String> = records.iter().map(|e| sort_key(e, sort.column)).collect();
    rows.sort_by(|a, b| keys[*a].cmp(&keys[*b]).then(records[*a].id.cmp(&records[*b].id)));
    if sort.descending {
        rows.reverse();
    }
    let selected: Vec<&Evidence> = rows.iter().map(|i| &records[*i]).collect();
    let challenges = selected.iter().filter(|e| e.kind == EvidenceKind::Challenge).count();

    let gaps: Vec<String> = GAP_TYPES.iter().map(|s| (*s).to_owned()).collect();
    let mut stacks: Vec<(String, Vec<usize>)> = LEVELS.iter().map(|l| ((*l).to_owned(), vec![0; gaps.len()])).collect();
    for e in &selected {
        let Some(g) = gaps.iter().position(|x| *x == e.gap_type) else { continue };
        for level in &e.levels {
            if let Some((_, counts)) = stacks.iter_mut().find(|(name, _)| name == level) {
                counts[g] += 1;
            }
        }
    }
    stacks.retain(|(_, v)| v.iter().any(|n| *n > 0));
    let gap_by_level = Series { categories: gaps, stacks };

    let mut areas: BTreeMap<String, usize> = BTreeMap::new();
    for e in &selected {
        for a in &e.policy_areas {
            *areas.entry(a.clone()).or_default() += 1;
        }
    }
    let mut area_list: Vec<(String, usize)> = areas.into_iter().collect();
    area_list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let by_area = Series {
        categories: area_list.iter().map(|(a, _)| a.clone()).collect(),
        stacks: vec![("records".to_owned(), area_list.iter().map(|(_, n)| *n).collect())],
    };

    let kinds = [EvidenceKind::Challenge, EvidenceKind::Practice];
    let by_city = Series {
        categories: cities.iter().map(|(_, name)| name.clone()).collect(),
        stacks: kinds
            .iter()
            .map(|k| {
                let counts = cities
                    .iter()
                    .map(|(id, _)| selected.iter().filter(|e| e.kind == *k && &e.city == id).count())
                    .collect();
                (format!("{}s", k.as_str()), counts)
            })
            .collect(),
    };
    let by_objective = Series {
        categories: (1..=12).map(|n| n.to_string()).collect(),
        stacks: kinds
            .iter()
            .map(|k| {
                let counts = (1..=12)
                    .map(|n| selected.iter().filter(|e| e.kind == *k && e.objective == Some(n)).count())
                    .collect();
                (format!("{}s", k.as_str()), counts)
            })
            .collect(),
    };

    ExplorerResults {
        challenges,
        practices: selected.len() - challenges,
        facet_counts: filter.facet_counts(records, hits),
        rows,
        gap_by_level,
        by_area,
        by_city,
        by_objective,
    }
}

/// Caches [`ExplorerResults`] until the filter, the sort or the search hits change.
#[derive(Debug, Default)]
pub struct ExplorerCache {
    key: Option<(EvidenceFilter, Sort, u64)>,
    results: ExplorerResults,
    computed: u64,
}

impl ExplorerCache {
    /// The results for this state, recomputed only when it differs from the last call's.
    /// `hits_version` must change whenever the search hits change.
    pub fn get(
        &mut self,
        records: &[Evidence],
        cities: &[(String, String)],
        filter: &EvidenceFilter,
        sort: Sort,
        hits: Option<&HashSet<String>>,
        hits_version: u64,
    ) -> &ExplorerResults {
        let key = (filter.clone(), sort, hits_version);
        if self.key.as_ref() != Some(&key) {
            self.results = compute(records, cities, filter, sort, hits);
            self.key = Some(key);
            self.computed += 1;
        }
        &self.results
    }

    /// Forget the cached results (the data changed).
    pub fn invalidate(&mut self) {
        self.key = None;
    }

    /// How many times results were computed (tests check that frames do not recompute).
    pub fn computations(&self) -> u64 {
        self.computed
    }
}
