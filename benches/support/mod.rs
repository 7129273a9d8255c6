//! Seeded data for the benchmarks (never shipped, never in `data/`): the shipped evidence scaled 1×, 100× and
//! 1,000× by cloning records under new ids with varied facets, from a tiny deterministic xorshift generator.

#![allow(dead_code)]

use std::path::PathBuf;

use integration_atlas::dataset::{GAP_TYPES, LEVELS, OBJECTIVE_BASES, TAGS};
use integration_atlas::model::{Atlas, Evidence};
use integration_atlas::store::Store;

/// xorshift64*: small, fast, deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 > 1.0 - p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `k` distinct items (k ≤ len), in a random order.
    pub fn some<T: Clone>(&mut self, items: &[T], k: usize) -> Vec<T> {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        let k = k.min(idx.len());
        for i in 0..k {
            let j = i + self.below(idx.len() - i);
            idx.swap(i, j);
        }
        idx[..k].iter().map(|i| items[*i].clone()).collect()
    }
}

/// A temporary database seeded with the shipped dataset, and what it loads.
pub struct Shipped {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    pub store: Store,
    pub atlas: Atlas,
}

pub fn shipped() -> Shipped {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("atlas.sqlite");
    let store = Store::open(&path).unwrap();
    let atlas = store.load_atlas().unwrap();
    Shipped { dir, path, store, atlas }
}

fn distinct(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = values.collect();
    v.sort();
    v.dedup();
    v
}

/// The shipped evidence × `factor`: copy 0 is the shipped records unchanged; every further copy clones each record
/// under a new id (`C-AMS-01~17`) with its city, gap type, levels, areas, groups, objective, basis, tag and
/// instrument drawn again from the values the dataset uses (a few records get one of 40 new cities, as authors'
/// records would), so facet counts and charts vary instead of repeating.
pub fn scaled_evidence(atlas: &Atlas, factor: usize, seed: u64) -> Vec<Evidence> {
    let base = &atlas.evidence;
    let mut rng = Rng::new(seed);
    let areas = distinct(base.iter().flat_map(|e| e.policy_areas.iter().cloned()));
    let groups = distinct(base.iter().flat_map(|e| e.migrant_groups.iter().cloned()));
    let instruments = distinct(base.iter().filter_map(|e| e.instrument_kind.clone()));
    let levels: Vec<String> = LEVELS.iter().map(|s| (*s).to_owned()).collect();
    let mut out = Vec::with_capacity(base.len() * factor);
    out.extend(base.iter().cloned());
    for copy in 1..factor {
        for e in base {
            let mut r = e.clone();
            r.id = format!("{}~{copy}", e.id);
            if rng.chance(0.05) {
                let n = rng.below(40);
                r.city = format!("new:City {n}");
                r.city_name = format!("City {n}");
                r.country = (*rng.pick(&["DEU", "FRA", "ITA", "ESP", "POL", "NLD"])).to_owned();
            } else {
                let c = rng.pick(&atlas.cities);
                r.city = c.id.clone();
                r.city_name = c.name.clone();
                r.country = c.country.clone();
            }
            r.gap_type = (*rng.pick(&GAP_TYPES)).to_owned();
            let nl = 1 + rng.below(3);
            r.levels = rng.some(&levels, nl);
            let na = 1 + rng.below(3);
            r.policy_areas = rng.some(&areas, na);
            let ng = rng.below(3);
            r.migrant_groups = rng.some(&groups, ng);
            r.objective = if rng.chance(0.9) { Some(1 + rng.below(12) as i64) } else { None };
            r.objective_basis =
                if r.objective.is_some() { Some((*rng.pick(&OBJECTIVE_BASES)).to_owned()) } else { None };
            r.confidence = (*rng.pick(&TAGS)).to_owned();
            r.instrument_kind =
                if !instruments.is_empty() && rng.chance(0.5) { Some(rng.pick(&instruments).clone()) } else { None };
            r.title = format!("{} ({copy})", e.title);
            out.push(r);
        }
    }
    out
}

/// (city id, city name) in display order, as the app passes them to the charts.
pub fn city_names(atlas: &Atlas) -> Vec<(String, String)> {
    atlas.cities.iter().map(|c| (c.id.clone(), c.name.clone())).collect()
}

/// Median and 95th percentile of durations in milliseconds.
pub fn p50_p95(samples: &mut [f64]) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95))
}
