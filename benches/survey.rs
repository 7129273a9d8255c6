//! Survey answers at 1,000,000: importing a 1,000,000-row CSV into SQLite (read, check, write in one transaction),
//! and the aggregation the Responses view runs after a filter change (which respondents the filter keeps, then the
//! shown question's summary: counts, mean/median/quartiles, histogram or bars).
//!
//! Two shapes of 1,000,000 answers: 12,500 respondents × the 80 known questions (each question has 12,500 answers),
//! and 1,000,000 respondents answering one number question (one question with 1,000,000 answers).
//! Targets: import ≤ 3 s; aggregation per question ≤ 10 ms (2-core machine).
//!
//! `cargo bench --bench survey`

#[path = "support/mod.rs"]
mod support;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use integration_atlas::analysis::responses::{self, ResponseFilter, SizeBand};
use integration_atlas::answers::{self, QuestionDef, QuestionKind};
use integration_atlas::model::AnswerSet;
use integration_atlas::store::Store;

const CITIES: [(&str, &str); 10] = [
    ("Amsterdam", "NLD"),
    ("Athens", "GRC"),
    ("Barcelona", "ESP"),
    ("Berlin", "DEU"),
    ("Glasgow", "GBR"),
    ("Gothenburg", "SWE"),
    ("Paris", "FRA"),
    ("Rome", "ITA"),
    ("Vienna", "AUT"),
    ("Altena", "DEU"),
];
const TEXTS: [&str; 6] = [
    "regular meetings with the region",
    "none",
    "a joint task force",
    "informal contacts only",
    "city data office",
    "\"yes, partly\", via the state",
];

/// A value of the right kind for a question, drawn from the generator.
fn value(rng: &mut support::Rng, q: &QuestionDef) -> String {
    match q.kind {
        QuestionKind::Number => (1_000 + rng.below(3_000_000)).to_string(),
        QuestionKind::Share => format!("{:.1}", rng.below(1000) as f64 / 10.0),
        QuestionKind::Score => rng.below(5).to_string(),
        QuestionKind::Tick => rng.below(2).to_string(),
        QuestionKind::Text => {
            let t = TEXTS[rng.below(TEXTS.len())];
            if t.contains(['"', ',']) { format!("\"{}\"", t.replace('"', "\"\"")) } else { t.to_owned() }
        }
    }
}

/// Writes `respondents` × `questions` answer rows in the import format; returns the row count.
fn write_csv(path: &Path, respondents: usize, questions: &[QuestionDef], seed: u64) -> usize {
    let mut rng = support::Rng::new(seed);
    let mut text = String::with_capacity(respondents * questions.len() * 48);
    text.push_str("respondent_id,city,country,question_code,value,unit_notes,date\n");
    let mut rows = 0;
    for r in 0..respondents {
        let (city, country) = CITIES[rng.below(CITIES.len())];
        // Most respondents name one of the case-study cities; the rest only a country.
        let city = if rng.chance(0.7) { city } else { "" };
        for q in questions {
            let v = value(&mut rng, q);
            let _ = writeln!(text, "R{r:07},{city},{country},{},{v},,2024-05-{:02}", q.code, 1 + r % 28);
            rows += 1;
        }
    }
    std::fs::write(path, text).unwrap();
    rows
}

struct Imported {
    _shipped: support::Shipped,
    set: AnswerSet,
}

/// A database with one imported round of `respondents` × `questions`, and the loaded answers.
fn imported(respondents: usize, questions: &[QuestionDef], catalogue: &[QuestionDef]) -> Imported {
    let shipped = support::shipped();
    let csv = shipped.dir.path().join("answers.csv");
    write_csv(&csv, respondents, questions, 11);
    let known = shipped.store.known_city_names().unwrap();
    let plan = answers::plan_import(&csv, catalogue, &known).unwrap();
    assert!(plan.hard_issues().next().is_none(), "{}", plan.summary());
    shipped.store.import_answers(&plan, true, &mut |_, _| true).unwrap().unwrap();
    let set = shipped.store.load_answers(catalogue).unwrap();
    Imported { _shipped: shipped, set }
}

fn bench(c: &mut Criterion) {
    let shipped = support::shipped();
    let catalogue = answers::catalogue(&shipped.atlas);
    eprintln!("catalogue: {} questions", catalogue.len());
    let per_respondent = catalogue.len();
    let respondents = 1_000_000 / per_respondent;

    // Import: read + check + write 1,000,000 rows, each iteration into a fresh database.
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("answers-1m.csv");
    let one_question: Vec<QuestionDef> = catalogue.iter().filter(|q| q.code == "POP_TOTAL_N").cloned().collect();
    let rows = write_csv(&csv, 1_000_000 / per_respondent, &catalogue, 3);
    let bytes = std::fs::metadata(&csv).unwrap().len();
    eprintln!("import file: {rows} rows, {:.1} MB", bytes as f64 / 1e6);
    let mut group = c.benchmark_group("survey import");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(30));
    group.bench_function(format!("read + check + write {rows} rows (CSV)"), |b| {
        b.iter_batched(
            || {
                let db = tempfile::tempdir().unwrap();
                let store = Store::open(&db.path().join("atlas.sqlite")).unwrap();
                (db, store)
            },
            |(db, store)| {
                let known = store.known_city_names().unwrap();
                let plan = answers::plan_import(&csv, &catalogue, &known).unwrap();
                let outcome = store.import_answers(&plan, true, &mut |_, _| true).unwrap().unwrap();
                assert_eq!(outcome.answers, rows);
                (db, store)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
    // The phases of one import, printed once (criterion times the whole): read, check and write one after the
    // other, then reading and checking together as `plan_import` does for a plain CSV (two threads).
    {
        let db = tempfile::tempdir().unwrap();
        let store = Store::open(&db.path().join("atlas.sqlite")).unwrap();
        let known = store.known_city_names().unwrap();
        let t0 = Instant::now();
        let raw = answers::read::read_file(&csv).unwrap();
        let t1 = Instant::now();
        let plan = answers::validate::validate(&raw, &catalogue, &known);
        let t2 = Instant::now();
        drop(raw);
        let t2b = Instant::now();
        store.import_answers(&plan, true, &mut |_, _| true).unwrap().unwrap();
        let t3 = Instant::now();
        let set = store.load_answers(&catalogue).unwrap();
        let t4 = Instant::now();
        let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1e3;
        eprintln!(
            "one import of {rows} rows: read {:.0} ms, check {:.0} ms, write {:.0} ms; \
             loading them back {:.0} ms ({} answers)",
            ms(t0, t1),
            ms(t1, t2),
            ms(t2b, t3),
            ms(t3, t4),
            set.answers.len()
        );
        let db = tempfile::tempdir().unwrap();
        let store = Store::open(&db.path().join("atlas.sqlite")).unwrap();
        let t0 = Instant::now();
        let plan = answers::plan_import(&csv, &catalogue, &known).unwrap();
        let t1 = Instant::now();
        store.import_answers(&plan, true, &mut |_, _| true).unwrap().unwrap();
        let t2 = Instant::now();
        eprintln!(
            "one import as the app runs it: read + check together {:.0} ms, write {:.0} ms, in all {:.0} ms",
            ms(t0, t1),
            ms(t1, t2),
            ms(t0, t2)
        );
    }

    let mut group = c.benchmark_group("survey aggregation");
    group.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    let shapes = [
        (
            format!("{respondents} respondents x {per_respondent} questions"),
            imported(respondents, &catalogue, &catalogue),
        ),
        ("1000000 respondents x 1 question".to_owned(), imported(1_000_000, &one_question, &catalogue)),
    ];
    for (shape, data) in &shapes {
        let set = &data.set;
        eprintln!("{shape}: {} answers, {} respondents", set.answers.len(), set.respondents.len());
        // Per data change (cached by the view): sizes from the population answers.
        group.bench_function(format!("{shape}: city sizes (once per data change)"), |b| {
            b.iter(|| black_box(responses::populations(set).len()))
        });
        let sizes: Vec<SizeBand> = responses::populations(set).into_iter().map(SizeBand::of).collect();
        let countries: Vec<String> =
            set.respondents.iter().filter_map(|r| r.country.clone()).collect::<BTreeSet<_>>().into_iter().collect();
        let filters = [
            ResponseFilter { countries: countries.iter().take(3).cloned().collect(), ..Default::default() },
            ResponseFilter {
                countries: countries.iter().skip(3).take(2).cloned().collect(),
                sizes: [SizeBand::Over1m, SizeBand::From500kTo1m].into_iter().collect(),
                ..Default::default()
            },
        ];
        let shown = ["POP_TOTAL_N", "CL_SCORE_03", "MLG_FUNDING", "GAP_FUNDING_NATIONAL"]
            .iter()
            .filter_map(|code| set.question_index(code))
            .filter(|q| set.by_question.get(*q).is_some_and(|v| !v.is_empty()))
            .collect::<Vec<_>>();
        for q in shown {
            let code = &set.questions[q].code;
            let mut flip = false;
            group.bench_function(format!("{shape}: filter change + summary of {code}"), |b| {
                b.iter(|| {
                    flip = !flip;
                    let mask = responses::select(set, &filters[usize::from(flip)], &sizes);
                    let rows = mask.iter().filter(|m| **m).count();
                    black_box((rows, responses::summarize(set, q, &mask).answered))
                })
            });
        }
        if set.questions.len() > 1 {
            let mask = responses::select(set, &filters[0], &sizes);
            let answered = set.answered_questions();
            group.bench_function(format!("{shape}: summaries of all {} questions", answered.len()), |b| {
                b.iter(|| {
                    black_box(answered.iter().map(|q| responses::summarize(set, *q, &mask).answered).sum::<usize>())
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
