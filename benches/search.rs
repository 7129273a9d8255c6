//! Full-text search (FTS5, accent-folded): `Store::search_ids` (the explorer's search box) and `Store::search_all`
//! (Ctrl+F, best 50), on the shipped database and on a copy whose search index holds every row 100 times
//! (the copies get new record ids).
//!
//! `cargo bench --bench search`

#[path = "support/mod.rs"]
mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use integration_atlas::store::Store;

const QUERIES: [&str; 4] = ["funding", "goteborg", "housing refugees", "a"];

fn scale_index(store: &Store, factor: u32) {
    let conn = store.connection();
    conn.execute_batch("BEGIN").unwrap();
    conn.execute(
        "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k + 1 < ?1)
         INSERT INTO search_index(kind, record_id, origin, title, body)
         SELECT s.kind, s.record_id || '~' || n.k, s.origin, s.title, s.body FROM search_index s, n",
        [factor],
    )
    .unwrap();
    conn.execute_batch("COMMIT; INSERT INTO search_index(search_index) VALUES ('optimize')").unwrap();
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("search");
    group.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(2));
    for factor in [1u32, 100] {
        let shipped = support::shipped();
        if factor > 1 {
            scale_index(&shipped.store, factor);
        }
        let rows: i64 =
            shipped.store.connection().query_row("SELECT count(*) FROM search_index", [], |r| r.get(0)).unwrap();
        eprintln!("search index at {factor}x: {rows} rows");
        for query in QUERIES {
            group.bench_with_input(
                BenchmarkId::new(format!("search_ids {query:?}"), format!("{factor}x")),
                &(),
                |b, _| {
                    b.iter(|| {
                        let c = shipped.store.search_ids("challenge", query).unwrap().map_or(0, |h| h.len());
                        let p = shipped.store.search_ids("practice", query).unwrap().map_or(0, |h| h.len());
                        black_box(c + p)
                    })
                },
            );
            group.bench_with_input(
                BenchmarkId::new(format!("search_all {query:?}"), format!("{factor}x")),
                &(),
                |b, _| b.iter(|| black_box(shipped.store.search_all(query, 50).unwrap().len())),
            );
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
