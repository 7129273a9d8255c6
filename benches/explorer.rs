//! Filter + every aggregate the explorer shows (rows in table order, kind totals, facet counts, the four chart
//! series) after one filter change, on the shipped evidence scaled 1×, 100× and 1,000×.
//!
//! Each iteration flips between two filter states through the app's [`ExplorerCache`], so every iteration is a
//! real recomputation (the cache key changes) exactly as after a click on a facet. Target: ≤ 2 ms median at
//! 1,000× (84,000 challenges, 100,000 practices) on a 2-core machine.
//!
//! `cargo bench --bench explorer`

#[path = "support/mod.rs"]
mod support;

use std::collections::HashSet;
use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use integration_atlas::analysis::explorer::{EvidenceIndex, compute};
use integration_atlas::analysis::{EvidenceFilter, ExplorerCache, Facet, Revision, Sort, SortColumn};

fn filter(pairs: &[(Facet, &str)]) -> EvidenceFilter {
    let mut f = EvidenceFilter::default();
    for (facet, value) in pairs {
        f.add(*facet, value);
    }
    f
}

fn bench(c: &mut Criterion) {
    let shipped = support::shipped();
    let cities = support::city_names(&shipped.atlas);
    let mut group = c.benchmark_group("explorer");
    group.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    for factor in [1usize, 100, 1000] {
        let records = support::scaled_evidence(&shipped.atlas, factor, 7);
        // Search hits: every 7th record (as if a full-text search had matched them).
        let hits: HashSet<String> = records.iter().step_by(7).map(|e| e.id.clone()).collect();
        let scenarios: Vec<(&str, EvidenceFilter, EvidenceFilter, Sort, bool)> = vec![
            (
                "one value (gap funding <-> information)",
                filter(&[(Facet::Gap, "funding")]),
                filter(&[(Facet::Gap, "information")]),
                Sort::default(),
                false,
            ),
            (
                "two facets (challenges + gap funding <-> capacity)",
                filter(&[(Facet::Kind, "challenge"), (Facet::Gap, "funding")]),
                filter(&[(Facet::Kind, "challenge"), (Facet::Gap, "capacity")]),
                Sort::default(),
                false,
            ),
            (
                "broad (practices <-> challenges)",
                filter(&[(Facet::Kind, "practice")]),
                filter(&[(Facet::Kind, "challenge")]),
                Sort::default(),
                false,
            ),
            (
                "clear all (no filter <-> level national)",
                EvidenceFilter::default(),
                filter(&[(Facet::Level, "national")]),
                Sort::default(),
                false,
            ),
            (
                "sorted by title desc (area housing <-> labour)",
                filter(&[(Facet::Area, "housing")]),
                filter(&[(Facet::Area, "labour")]),
                Sort { column: SortColumn::Title, descending: true },
                false,
            ),
            (
                "search hits + objective 3 <-> 4",
                filter(&[(Facet::Objective, "3")]),
                filter(&[(Facet::Objective, "4")]),
                Sort::default(),
                true,
            ),
        ];
        // Paid once per data set (start-up, or an own record added or edited): the integer index, and the table
        // order of one sort column (each further column is sorted once, when first clicked).
        group.bench_with_input(BenchmarkId::new("index build + id order", format!("{factor}x")), &factor, |b, _| {
            b.iter(|| {
                let mut cache = ExplorerCache::default();
                black_box(
                    cache
                        .get(&records, Revision::default(), &cities, &scenarios[0].1, Sort::default(), None, 1)
                        .rows
                        .len(),
                )
            })
        });
        group.bench_with_input(BenchmarkId::new("index build only", format!("{factor}x")), &factor, |b, _| {
            b.iter(|| black_box(EvidenceIndex::build(&records).map_or(0, |i| i.len())))
        });
        // Before the index: the plain computation (string facet values, a sort per change), for comparison.
        group.bench_with_input(
            BenchmarkId::new("before: plain compute, one value", format!("{factor}x")),
            &factor,
            |b, _| {
                let mut flip = false;
                b.iter(|| {
                    flip = !flip;
                    let f = if flip { &scenarios[0].2 } else { &scenarios[0].1 };
                    black_box(compute(&records, &cities, f, Sort::default(), None).rows.len())
                })
            },
        );
        for (name, a, b, sort, with_hits) in scenarios {
            let mut cache = ExplorerCache::default();
            let hits = with_hits.then_some(&hits);
            // The first call builds whatever the cache keeps per data set (paid once per data change).
            cache.get(&records, Revision::default(), &cities, &a, sort, hits, 1);
            let mut flip = false;
            group.bench_with_input(BenchmarkId::new(name, format!("{factor}x")), &factor, |bencher, _| {
                bencher.iter(|| {
                    flip = !flip;
                    let f = if flip { &b } else { &a };
                    black_box(cache.get(&records, Revision::default(), &cities, f, sort, hits, 1).rows.len())
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
