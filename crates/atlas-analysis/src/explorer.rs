//! The explorer's derived data — sorted rows, facet counts and chart series — computed together from one filter
//! state and cached until that state changes, so that table, counts and charts always agree and nothing is
//! recomputed per frame.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::filter::{EvidenceFilter, Facet, FacetCounts};
use super::memo::Revision;
use atlas_core::dataset::{GAP_TYPES, LEVELS};
use atlas_core::model::{Evidence, EvidenceKind};

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
        SortColumn::Title => atlas_core::text::fold(&e.title),
        SortColumn::Gap => format!("{} {}", e.gap_type, e.id),
        SortColumn::Levels => format!("{} {}", e.levels.join(","), e.id),
        SortColumn::Area => format!("{} {}", e.policy_areas.join(","), e.id),
        SortColumn::Objective => format!("{:02} {}", e.objective.unwrap_or(99), e.id),
        SortColumn::Tag => format!("{} {}", atlas_core::dataset::tag_rank(&e.confidence), e.id),
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

/// Places in [`Facet::ALL`] the index reads directly.
const NF: usize = Facet::ALL.len();
const KIND: usize = 0;
const CITY: usize = 1;
const GAP: usize = 3;
const LEVEL: usize = 4;
const AREA: usize = 5;
const OBJECTIVE: usize = 7;
const NO_SLOT: u8 = u8::MAX;

/// One record's facet values as small integers: per facet, the id of its *combination* of values (the set of
/// values a list-valued facet has on that record, or the one value, or none) in one id space shared by all facets.
type Packed = [u16; NF];

/// The facet values of every record as small integers, built once per data set, with each table order sorted
/// once (when first asked for), so that a filter change is one pass over packed integers in table order: one
/// increment per facet and record, no string comparison, no allocation per record, no sort. Records are counted
/// per combination of values; the combinations (a few thousand at most in practice) are spread over their values
/// at the end. [`EvidenceIndex::compute`] gives exactly what [`compute`] gives (a record counts once per distinct
/// value of a list, as in the facet counts; tested).
#[derive(Debug, Default)]
pub struct EvidenceIndex {
    len: usize,
    /// Per facet ([`Facet::ALL`] order): value id → value.
    values: Vec<Vec<String>>,
    /// Per facet: combination id → its value ids (sorted, distinct).
    combos: Vec<Vec<Vec<u32>>>,
    /// Per facet: the shared id of its first combination.
    base: [usize; NF],
    /// Size of the shared id space.
    ids: usize,
    /// Per record, in record order.
    packed: Vec<Packed>,
    /// Per shared id: the place of a kind, gap or objective among challenge/practice, [`GAP_TYPES`] and 1–12
    /// (for anything else: [`NO_SLOT`] for kinds, one past the charted places for gaps and objectives).
    kind_slot: Vec<u8>,
    gap_slot: Vec<u8>,
    objective_slot: Vec<u8>,
    /// Per combination of levels: the places of its levels in [`LEVELS`].
    level_slots: Vec<Vec<u8>>,
    /// Record id → position, made for the first search; an id that several records share (never in a sound
    /// database, but filtering must not depend on it) also maps to the later ones.
    positions: Option<Positions>,
    /// Each table order (ascending), sorted when first needed.
    orders: HashMap<SortColumn, Vec<u32>>,
    /// The packed records in the table order of one column, and each record's place in that order.
    sorted: Option<(SortColumn, Vec<Packed>, Vec<u32>)>,
    /// The search hits as a mask in table order, for (hits version, column).
    hit_mask: Option<(u64, SortColumn, Option<Vec<bool>>)>,
    /// The results without filter and search, for (column, cities).
    unfiltered: Option<Unfiltered>,
}

/// The results without filter and search, with the column and the cities (id, name) they were computed for.
type Unfiltered = (SortColumn, Vec<(String, String)>, ExplorerResults);

/// Record id → first position, and first position → the later positions of an id that several records share.
type Positions = (HashMap<String, u32>, HashMap<u32, Vec<u32>>);

fn facet_slot(facet: Facet) -> usize {
    Facet::ALL.iter().position(|f| *f == facet).unwrap_or(0)
}

fn slot_of(list: &[&str], value: &str) -> u8 {
    list.iter().position(|x| *x == value).map_or(NO_SLOT, |p| p as u8)
}

/// Ids of values and of combinations of values of one facet, while indexing.
#[derive(Default)]
struct Interner {
    values: Vec<String>,
    value_ids: HashMap<String, u32>,
    combos: Vec<Vec<u32>>,
    combo_ids: HashMap<Vec<u32>, u32>,
}

impl Interner {
    fn value(&mut self, value: &str) -> u32 {
        if let Some(id) = self.value_ids.get(value) {
            return *id;
        }
        let id = self.values.len() as u32;
        self.values.push(value.to_owned());
        self.value_ids.insert(value.to_owned(), id);
        id
    }

    fn combo(&mut self, set: &[u32]) -> u32 {
        if let Some(id) = self.combo_ids.get(set) {
            return *id;
        }
        let id = self.combos.len() as u32;
        self.combos.push(set.to_vec());
        self.combo_ids.insert(set.to_vec(), id);
        id
    }
}

/// Records from which on a filter change is counted on two threads.
const PARALLEL_FROM: usize = 32_768;

/// What one pass over (part of) the packed records needs.
struct Scan<'a> {
    index: &'a EvidenceIndex,
    packed: &'a [Packed],
    order: &'a [u32],
    hit_mask: Option<&'a [bool]>,
    /// Per shared id: a combination holding a chosen value of an active facet.
    chosen: &'a [bool],
    active: &'a [usize],
    /// Per shared id of a city: its place among the chart's cities.
    city_slot: &'a [u32],
}

/// What a pass counted: per shared id, per area combination of the selected rows, per (gap, level combination),
/// per (city, kind), per (objective, kind), per kind, and the selected rows (record indices in table order).
struct Tally {
    counts: Vec<u32>,
    area_selected: Vec<u32>,
    gap_level_pairs: Vec<u32>,
    city_kind: Vec<[usize; 2]>,
    objective_kind: [[usize; 2]; 13],
    kinds: [usize; 2],
    rows: Vec<usize>,
}

impl Tally {
    /// Adds a later part of the table.
    fn merge(mut self, other: Tally) -> Tally {
        let add = |a: &mut [u32], b: &[u32]| a.iter_mut().zip(b).for_each(|(a, b)| *a += *b);
        add(&mut self.counts, &other.counts);
        add(&mut self.area_selected, &other.area_selected);
        add(&mut self.gap_level_pairs, &other.gap_level_pairs);
        for (a, b) in self.city_kind.iter_mut().zip(&other.city_kind) {
            a[0] += b[0];
            a[1] += b[1];
        }
        for (a, b) in self.objective_kind.iter_mut().zip(&other.objective_kind) {
            a[0] += b[0];
            a[1] += b[1];
        }
        self.kinds[0] += other.kinds[0];
        self.kinds[1] += other.kinds[1];
        self.rows.extend(other.rows);
        self
    }
}

impl Scan<'_> {
    /// Counts the records at `positions` (in table order).
    fn tally(&self, positions: std::ops::Range<usize>, cities: usize) -> Tally {
        let index = self.index;
        let area_active = self.active.contains(&AREA);
        let level_combos = index.combos[LEVEL].len();
        let mut t = Tally {
            counts: vec![0; index.ids],
            area_selected: vec![0; if area_active { index.ids } else { 0 }],
            gap_level_pairs: vec![0; (GAP_TYPES.len() + 1) * level_combos],
            city_kind: vec![[0; 2]; cities + 1],
            objective_kind: [[0; 2]; 13],
            kinds: [0; 2],
            rows: Vec::new(),
        };
        let start = positions.start;
        for (pos, p) in self.packed[positions].iter().enumerate().map(|(i, p)| (start + i, p)) {
            if self.hit_mask.is_some_and(|m| !m[pos]) {
                continue;
            }
            let mut fails = 0u32;
            let mut failed = 0usize;
            for f in self.active {
                if !self.chosen[usize::from(p[*f])] {
                    fails += 1;
                    failed = *f;
                }
            }
            if fails > 0 {
                // A record failing one facet counts for that facet's values (what ticking them would add).
                if fails == 1 {
                    t.counts[usize::from(p[failed])] += 1;
                }
                continue;
            }
            t.rows.push(self.order[pos] as usize);
            for id in p {
                t.counts[usize::from(*id)] += 1;
            }
            if area_active {
                t.area_selected[usize::from(p[AREA])] += 1;
            }
            let kind = index.kind_slot[usize::from(p[KIND])];
            if kind == NO_SLOT {
                continue;
            }
            let kind = usize::from(kind);
            t.kinds[kind] += 1;
            // Values outside the charts count in a last, unused slot (no branch per record).
            let gap = usize::from(index.gap_slot[usize::from(p[GAP])]);
            t.gap_level_pairs[gap * level_combos + usize::from(p[LEVEL]) - index.base[LEVEL]] += 1;
            t.city_kind[self.city_slot[usize::from(p[CITY])] as usize][kind] += 1;
            t.objective_kind[usize::from(index.objective_slot[usize::from(p[OBJECTIVE])])][kind] += 1;
        }
        t
    }
}

impl EvidenceIndex {
    /// Indexes `records`; `None` when their combinations of facet values do not fit in 65,536 ids (then the plain
    /// [`compute`] must be used).
    pub fn build(records: &[Evidence]) -> Option<Self> {
        let mut interners: Vec<Interner> = (0..NF).map(|_| Interner::default()).collect();
        let mut local: Vec<[u32; NF]> = Vec::with_capacity(records.len());
        let mut set: Vec<u32> = Vec::new();
        // One pass over the records, so that each record's text is visited once.
        for e in records {
            let mut row = [0u32; NF];
            for ((facet, interner), slot) in Facet::ALL.iter().zip(interners.iter_mut()).zip(row.iter_mut()) {
                set.clear();
                facet.each_value(e, |v| set.push(interner.value(v)));
                set.sort_unstable();
                set.dedup();
                *slot = interner.combo(&set);
            }
            local.push(row);
        }
        let mut base = [0usize; NF];
        let mut ids = 0usize;
        for (b, interner) in base.iter_mut().zip(&interners) {
            *b = ids;
            ids += interner.combos.len();
        }
        if ids > usize::from(u16::MAX) + 1 {
            return None;
        }
        let packed: Vec<Packed> =
            local.iter().map(|row| std::array::from_fn(|f| (base[f] + row[f] as usize) as u16)).collect();
        drop(local);
        let values: Vec<Vec<String>> = interners.iter_mut().map(|i| std::mem::take(&mut i.values)).collect();
        let combos: Vec<Vec<Vec<u32>>> = interners.into_iter().map(|i| i.combos).collect();

        // The one value of a single-valued facet's combination, looked up in a list of known values.
        let slots = |f: usize, list: &[&str]| -> Vec<(usize, u8)> {
            combos[f]
                .iter()
                .enumerate()
                .filter_map(|(c, combo)| match combo.as_slice() {
                    [v] => Some((base[f] + c, slot_of(list, &values[f][*v as usize]))),
                    _ => None,
                })
                .collect()
        };
        let mut kind_slot = vec![NO_SLOT; ids];
        let mut gap_slot = vec![GAP_TYPES.len() as u8; ids];
        let mut objective_slot = vec![12u8; ids];
        for (id, slot) in slots(KIND, &[EvidenceKind::Challenge.as_str(), EvidenceKind::Practice.as_str()]) {
            kind_slot[id] = slot;
        }
        for (id, slot) in slots(GAP, &GAP_TYPES).into_iter().filter(|(_, s)| *s != NO_SLOT) {
            gap_slot[id] = slot;
        }
        const OBJECTIVES: [&str; 12] = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"];
        for (id, slot) in slots(OBJECTIVE, &OBJECTIVES).into_iter().filter(|(_, s)| *s != NO_SLOT) {
            objective_slot[id] = slot;
        }
        let level_slots = combos[LEVEL]
            .iter()
            .map(|combo| {
                combo.iter().map(|v| slot_of(&LEVELS, &values[LEVEL][*v as usize])).filter(|s| *s != NO_SLOT).collect()
            })
            .collect();
        Some(Self {
            len: records.len(),
            values,
            combos,
            base,
            ids,
            packed,
            kind_slot,
            gap_slot,
            objective_slot,
            level_slots,
            ..Default::default()
        })
    }

    /// How many records this index was built for.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The records in table order (ascending) for a column, sorted once and kept.
    fn order(&mut self, records: &[Evidence], column: SortColumn) -> &[u32] {
        self.orders.entry(column).or_insert_with(|| {
            let keys: Vec<String> = records.iter().map(|e| sort_key(e, column)).collect();
            let mut order: Vec<u32> = (0..records.len() as u32).collect();
            order.sort_by(|a, b| {
                let (a, b) = (*a as usize, *b as usize);
                keys[a].cmp(&keys[b]).then(records[a].id.cmp(&records[b].id))
            });
            order
        })
    }

    /// Puts the packed records in the table order of `column` (once per column change).
    fn sort_for(&mut self, records: &[Evidence], column: SortColumn) {
        if self.sorted.as_ref().is_some_and(|(c, _, _)| *c == column) {
            return;
        }
        let order = self.order(records, column).to_vec();
        let packed: Vec<Packed> = order.iter().map(|i| self.packed[*i as usize]).collect();
        let mut place = vec![0u32; order.len()];
        for (pos, i) in order.iter().enumerate() {
            place[*i as usize] = pos as u32;
        }
        self.sorted = Some((column, packed, place));
    }

    /// The search hits as a mask in the current table order, kept per hits version.
    fn hits_in_order(
        &mut self,
        records: &[Evidence],
        hits: Option<&HashSet<String>>,
        version: u64,
        column: SortColumn,
    ) {
        if self.hit_mask.as_ref().is_some_and(|(v, c, _)| *v == version && *c == column) {
            return;
        }
        let mask = hits.map(|hits| {
            let (first, more) = self.positions.get_or_insert_with(|| {
                let mut first: HashMap<String, u32> = HashMap::with_capacity(records.len());
                let mut more: HashMap<u32, Vec<u32>> = HashMap::new();
                for (i, e) in records.iter().enumerate() {
                    match first.get(&e.id) {
                        Some(f) => more.entry(*f).or_default().push(i as u32),
                        None => {
                            first.insert(e.id.clone(), i as u32);
                        }
                    }
                }
                (first, more)
            });
            let mut mask = vec![false; self.len];
            if let Some((_, _, place)) = &self.sorted {
                for id in hits {
                    let Some(i) = first.get(id) else { continue };
                    for j in std::iter::once(i).chain(more.get(i).into_iter().flatten()) {
                        mask[place[*j as usize] as usize] = true;
                    }
                }
            }
            mask
        });
        self.hit_mask = Some((version, column, mask));
    }

    /// The same results as [`compute`] for the records this index was built from; `hits_version` must change
    /// whenever the hits do.
    pub fn compute(
        &mut self,
        records: &[Evidence],
        cities: &[(String, String)],
        filter: &EvidenceFilter,
        sort: Sort,
        hits: Option<&HashSet<String>>,
        hits_version: u64,
    ) -> ExplorerResults {
        let plain = hits.is_none() && filter.selected.values().all(|s| s.is_empty());
        if plain
            && let Some((column, names, results)) = &self.unfiltered
            && *column == sort.column
            && names.as_slice() == cities
        {
            let mut results = results.clone();
            if sort.descending {
                results.rows.reverse();
            }
            return results;
        }
        self.sort_for(records, sort.column);
        self.hits_in_order(records, hits, hits_version, sort.column);
        let mut results = self.scan(cities, filter);
        if plain {
            self.unfiltered = Some((sort.column, cities.to_vec(), results.clone()));
        }
        if sort.descending {
            results.rows.reverse();
        }
        results
    }

    /// Spreads counts per combination (shared ids of facet `f`) over the facet's values: (value, count), count > 0.
    fn spread(&self, f: usize, counts: &[u32]) -> Vec<(String, usize)> {
        let mut per_value = vec![0usize; self.values[f].len()];
        for (combo, n) in self.combos[f].iter().zip(counts) {
            if *n > 0 {
                for v in combo {
                    per_value[*v as usize] += *n as usize;
                }
            }
        }
        self.values[f].iter().zip(per_value).filter(|(_, n)| *n > 0).map(|(v, n)| (v.clone(), n)).collect()
    }

    /// One pass over the packed records in table order: rows (ascending), counts and chart series.
    fn scan(&self, cities: &[(String, String)], filter: &EvidenceFilter) -> ExplorerResults {
        let Some((column, packed, _)) = &self.sorted else { return ExplorerResults::default() };
        let order = self.orders.get(column).map(Vec::as_slice).unwrap_or_default();
        let hit_mask = self.hit_mask.as_ref().and_then(|(_, _, m)| m.as_deref());

        // The filter as shared ids: the combinations holding a chosen value of an active facet.
        let mut chosen = vec![false; self.ids];
        let mut active: Vec<usize> = Vec::new();
        for (facet, selected) in filter.selected.iter().filter(|(_, s)| !s.is_empty()) {
            let f = facet_slot(*facet);
            let picked: Vec<bool> = self.values[f].iter().map(|v| selected.contains(v)).collect();
            for (c, combo) in self.combos[f].iter().enumerate() {
                chosen[self.base[f] + c] = combo.iter().any(|v| picked[*v as usize]);
            }
            active.push(f);
        }
        let mut city_slot = vec![cities.len() as u32; self.ids];
        for (c, combo) in self.combos[CITY].iter().enumerate() {
            if let [v] = combo.as_slice() {
                let name = &self.values[CITY][*v as usize];
                if let Some(place) = cities.iter().position(|(id, _)| id == name) {
                    city_slot[self.base[CITY] + c] = place as u32;
                }
            }
        }
        let area_active = active.contains(&AREA);

        let scan =
            Scan { index: self, packed, order, hit_mask, chosen: &chosen, active: &active, city_slot: &city_slot };
        let cities_n = cities.len();
        // Two halves of the table on two threads when it is large (each half's rows stay in table order).
        let Tally { counts, area_selected, gap_level_pairs, city_kind, objective_kind, kinds, rows } =
            if packed.len() >= PARALLEL_FROM {
                let middle = packed.len() / 2;
                std::thread::scope(|s| {
                    let second =
                        std::thread::Builder::new().spawn_scoped(s, || scan.tally(middle..packed.len(), cities_n)).ok();
                    let first = scan.tally(0..middle, cities_n);
                    match second.map(|h| h.join()) {
                        Some(Ok(second)) => first.merge(second),
                        _ => first.merge(scan.tally(middle..packed.len(), cities_n)),
                    }
                })
            } else {
                scan.tally(0..packed.len(), cities_n)
            };
        let level_combos = self.combos[LEVEL].len();

        let range = |f: usize| self.base[f]..self.base[f] + self.combos[f].len();
        let facet_counts: FacetCounts = Facet::ALL
            .iter()
            .enumerate()
            .map(|(f, facet)| (*facet, self.spread(f, &counts[range(f)]).into_iter().collect()))
            .collect();

        // Records per policy area: the area facet's counts, unless the area facet is itself active (its counts then
        // also cover records failing only that facet), when the selected rows were counted apart.
        let mut area_list =
            self.spread(AREA, if area_active { &area_selected[range(AREA)] } else { &counts[range(AREA)] });
        area_list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let by_area = Series {
            categories: area_list.iter().map(|(a, _)| a.clone()).collect(),
            stacks: vec![("records".to_owned(), area_list.iter().map(|(_, n)| *n).collect())],
        };
        let mut gap_level = [[0usize; GAP_TYPES.len()]; LEVELS.len()];
        let charted = GAP_TYPES.len() * level_combos;
        for (i, n) in gap_level_pairs[..charted].iter().enumerate().filter(|(_, n)| **n > 0) {
            let (gap, combo) = (i / level_combos, i % level_combos);
            for level in &self.level_slots[combo] {
                gap_level[usize::from(*level)][gap] += *n as usize;
            }
        }
        let mut stacks: Vec<(String, Vec<usize>)> =
            LEVELS.iter().zip(&gap_level).map(|(l, counts)| ((*l).to_owned(), counts.to_vec())).collect();
        stacks.retain(|(_, v)| v.iter().any(|n| *n > 0));
        let gap_by_level = Series { categories: GAP_TYPES.iter().map(|s| (*s).to_owned()).collect(), stacks };
        let kind_names = [EvidenceKind::Challenge, EvidenceKind::Practice];
        let by_city = Series {
            categories: cities.iter().map(|(_, name)| name.clone()).collect(),
            stacks: kind_names
                .iter()
                .enumerate()
                .map(|(k, kind)| {
                    (format!("{}s", kind.as_str()), city_kind[..cities.len()].iter().map(|c| c[k]).collect())
                })
                .collect(),
        };
        let by_objective = Series {
            categories: (1..=12).map(|n| n.to_string()).collect(),
            stacks: kind_names
                .iter()
                .enumerate()
                .map(|(k, kind)| (format!("{}s", kind.as_str()), objective_kind[..12].iter().map(|c| c[k]).collect()))
                .collect(),
        };
        ExplorerResults {
            challenges: kinds[0],
            practices: rows.len() - kinds[0],
            rows,
            facet_counts,
            gap_by_level,
            by_area,
            by_city,
            by_objective,
        }
    }
}

/// Caches [`ExplorerResults`] until the filter, the sort or the search hits change, and an [`EvidenceIndex`] of
/// the records until they change.
#[derive(Debug, Default)]
pub struct ExplorerCache {
    key: Option<(EvidenceFilter, Sort, u64)>,
    results: ExplorerResults,
    computed: u64,
    /// The index, or `None` when the records do not fit it (then [`compute`] is used).
    index: Option<Option<EvidenceIndex>>,
    /// The revision of the records the index was built from.
    indexed: Option<Revision>,
    /// Every facet value with its count over all records (no filter): the filter lists' stable order.
    totals: FacetCounts,
}

impl ExplorerCache {
    /// The results for this state, recomputed only when it differs from the last call's. `records` is the data at
    /// `revision` (the session moves it on whenever the records change); `hits_version` must change whenever the
    /// search hits change.
    #[allow(clippy::too_many_arguments)]
    pub fn get(
        &mut self,
        records: &[Evidence],
        revision: Revision,
        cities: &[(String, String)],
        filter: &EvidenceFilter,
        sort: Sort,
        hits: Option<&HashSet<String>>,
        hits_version: u64,
    ) -> &ExplorerResults {
        if self.index.is_none() || self.indexed != Some(revision) {
            self.index = Some(EvidenceIndex::build(records));
            self.indexed = Some(revision);
            self.key = None;
            self.totals = EvidenceFilter::default().facet_counts(records, None);
        }
        let key = (filter.clone(), sort, hits_version);
        if self.key.as_ref() != Some(&key) {
            self.results = match &mut self.index {
                Some(Some(index)) => index.compute(records, cities, filter, sort, hits, hits_version),
                _ => compute(records, cities, filter, sort, hits),
            };
            self.key = Some(key);
            self.computed += 1;
        }
        &self.results
    }

    /// The results of the last [`ExplorerCache::get`].
    pub fn last(&self) -> &ExplorerResults {
        &self.results
    }

    /// Every facet value with its count over all records, whatever the filter (built with the index).
    pub fn totals(&self) -> &FacetCounts {
        &self.totals
    }

    /// How many times results were computed (tests check that frames do not recompute).
    pub fn computations(&self) -> u64 {
        self.computed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use atlas_core::model::Origin;

    /// xorshift64*, so the records and filters are the same on every run.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
        }
        fn some(&mut self, items: &[&str], max: usize) -> Vec<String> {
            let mut out: Vec<String> = Vec::new();
            for _ in 0..self.below(max + 1) {
                let v = items[self.below(items.len())].to_owned();
                if !out.contains(&v) {
                    out.push(v);
                }
            }
            out
        }
    }

    const CITIES: [&str; 5] = ["athens", "vienna", "rome", "new:Lodz", "berlin"];
    const AREAS: [&str; 5] = ["housing", "labour", "health", "language", "reception"];

    fn record(rng: &mut Rng, i: usize) -> Evidence {
        let city = CITIES[rng.below(CITIES.len())];
        Evidence {
            id: format!("R-{:04}", rng.below(10_000) * 1000 + i),
            kind: if rng.below(2) == 0 { EvidenceKind::Challenge } else { EvidenceKind::Practice },
            origin: if rng.below(5) == 0 { Origin::User } else { Origin::Shipped },
            city: city.to_owned(),
            city_name: city.to_uppercase(),
            country: ["GRC", "AUT", "ITA", "POL"][rng.below(4)].to_owned(),
            title: format!("Title {}", rng.below(50)),
            description: String::new(),
            gap_type: [GAP_TYPES[rng.below(GAP_TYPES.len())], "unknown-gap"][usize::from(rng.below(10) == 0)]
                .to_owned(),
            levels: rng.some(&LEVELS, 3),
            levels_detail: None,
            policy_areas: rng.some(&AREAS, 3),
            migrant_groups: rng.some(&["refugees", "asylum seekers", "all"], 2),
            objective: [None, Some(1 + rng.below(12) as i64), Some(13)][rng.below(3)],
            objective_also: Vec::new(),
            objective_basis: [None, Some("explicit".to_owned()), Some("inferred".to_owned())][rng.below(3)].clone(),
            objective_coded: None,
            year_started: None,
            instrument_kind: [None, Some("contract".to_owned())][rng.below(2)].clone(),
            instrument_detail: None,
            confidence: atlas_core::dataset::TAGS[rng.below(4)].to_owned(),
            tag_detail: None,
            sources: Vec::new(),
            uncertain: Vec::new(),
            coding_notes: Vec::new(),
        }
    }

    fn random_filter(rng: &mut Rng, records: &[Evidence]) -> EvidenceFilter {
        let mut filter = EvidenceFilter::default();
        for _ in 0..rng.below(4) {
            let facet = Facet::ALL[rng.below(Facet::ALL.len())];
            let e = &records[rng.below(records.len())];
            let values = facet.values(e);
            if values.is_empty() || rng.below(8) == 0 {
                filter.add(facet, "no-such-value");
            } else {
                filter.add(facet, &values[rng.below(values.len())]);
            }
        }
        filter
    }

    #[test]
    fn the_index_gives_the_same_results_as_the_plain_computation() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let records: Vec<Evidence> = (0..600).map(|i| record(&mut rng, i)).collect();
        let cities: Vec<(String, String)> = CITIES[..4].iter().map(|c| ((*c).to_owned(), c.to_uppercase())).collect();
        let mut cache = ExplorerCache::default();
        for round in 0..300u64 {
            let filter = random_filter(&mut rng, &records);
            let columns = [
                SortColumn::Id,
                SortColumn::City,
                SortColumn::Title,
                SortColumn::Gap,
                SortColumn::Levels,
                SortColumn::Area,
                SortColumn::Objective,
                SortColumn::Tag,
            ];
            let sort = Sort { column: columns[rng.below(columns.len())], descending: rng.below(2) == 0 };
            let hits: Option<HashSet<String>> = (rng.below(3) == 0)
                .then(|| records.iter().filter(|_| rng.below(3) == 0).map(|e| e.id.clone()).collect());
            let expected = compute(&records, &cities, &filter, sort, hits.as_ref());
            let got = cache.get(&records, Revision::default(), &cities, &filter, sort, hits.as_ref(), round);
            assert_eq!(got.rows, expected.rows, "{filter:?} {sort:?}");
            assert_eq!((got.challenges, got.practices), (expected.challenges, expected.practices));
            assert_eq!(got.facet_counts, expected.facet_counts, "{filter:?}");
            assert_eq!(got.gap_by_level, expected.gap_by_level);
            assert_eq!(got.by_area, expected.by_area);
            assert_eq!(got.by_city, expected.by_city);
            assert_eq!(got.by_objective, expected.by_objective);
        }
    }

    #[test]
    fn large_tables_counted_on_two_threads_give_the_same_results() {
        let mut rng = Rng(0x51_7CC1_B727_220A);
        let records: Vec<Evidence> = (0..PARALLEL_FROM + 5_000).map(|i| record(&mut rng, i)).collect();
        let cities: Vec<(String, String)> = CITIES.iter().map(|c| ((*c).to_owned(), c.to_uppercase())).collect();
        let mut cache = ExplorerCache::default();
        for round in 0..6u64 {
            let filter = random_filter(&mut rng, &records);
            let sort = Sort { column: SortColumn::Title, descending: round % 2 == 0 };
            let hits: Option<HashSet<String>> =
                (round == 3).then(|| records.iter().step_by(3).map(|e| e.id.clone()).collect());
            let expected = compute(&records, &cities, &filter, sort, hits.as_ref());
            let got = cache.get(&records, Revision::default(), &cities, &filter, sort, hits.as_ref(), round);
            if got.rows != expected.rows {
                let first = got.rows.iter().zip(&expected.rows).position(|(a, b)| a != b).unwrap_or(0);
                let i = expected.rows[first];
                let j = got.rows[first];
                panic!(
                    "{} vs {} rows, first difference at {first}: expected {i} {:?} {:?}, got {j} {:?} {:?}; \
                     expected has got's at {:?}, got has expected's at {:?}",
                    got.rows.len(),
                    expected.rows.len(),
                    records[i].id,
                    records[i].title,
                    records[j].id,
                    records[j].title,
                    expected.rows.iter().position(|r| *r == j),
                    got.rows.iter().position(|r| *r == i),
                );
            }
            assert_eq!(got.facet_counts, expected.facet_counts, "{filter:?}");
            assert_eq!(
                (&got.gap_by_level, &got.by_area, &got.by_city, &got.by_objective),
                (&expected.gap_by_level, &expected.by_area, &expected.by_city, &expected.by_objective)
            );
        }
    }

    #[test]
    fn the_index_reads_the_facets_it_names() {
        assert_eq!(
            [KIND, CITY, GAP, LEVEL, AREA, OBJECTIVE].map(|f| Facet::ALL[f]),
            [Facet::Kind, Facet::City, Facet::Gap, Facet::Level, Facet::Area, Facet::Objective]
        );
    }

    #[test]
    fn many_distinct_list_values_are_indexed_too() {
        let mut rng = Rng(7);
        let mut records: Vec<Evidence> = (0..400).map(|i| record(&mut rng, i)).collect();
        for (i, e) in records.iter_mut().enumerate() {
            e.migrant_groups.push(format!("group {}", i % 150));
            e.policy_areas.push(format!("area {}", i % 90));
        }
        let cities: Vec<(String, String)> = vec![("athens".to_owned(), "Athens".to_owned())];
        let mut cache = ExplorerCache::default();
        for (round, value) in ["group 3", "group 149", "all"].iter().enumerate() {
            let mut filter = EvidenceFilter::default();
            filter.add(Facet::Group, value);
            filter.add(Facet::Area, "area 3");
            filter.add(Facet::Area, "housing");
            let expected = compute(&records, &cities, &filter, Sort::default(), None);
            let got = cache.get(&records, Revision::default(), &cities, &filter, Sort::default(), None, round as u64);
            assert_eq!(got.rows, expected.rows);
            assert_eq!(got.facet_counts, expected.facet_counts);
            assert_eq!(got.by_area, expected.by_area);
        }
    }
}
