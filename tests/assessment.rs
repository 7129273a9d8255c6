//! A city's self-assessment cycle, through the public API and the real binary: assess, attach evidence, define an
//! indicator with values, compare, plan actions, and the next year's assessment shows the progress; then the
//! exports' content. Every score and value here is made-up test data.

use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx, open_workbook};
use integration_atlas::analysis::assessment::{
    self as an, CompareWith, STALLED_AFTER_DAYS, WEAK_SCORE, action_state, comparison, learn, peers_by_region,
    peers_by_scores, progress, region_reading, report,
};
use integration_atlas::annotate::assessments::{AssessmentDesk, new_action, new_indicator};
use integration_atlas::annotate::{Workspace, user_evidence};
use integration_atlas::export::assessment as brief;
use integration_atlas::model::{Atlas, EvidenceKind};
use integration_atlas::store::Store;
use integration_atlas::store::assessments::{ActionStatus, Assessment, Direction, EvidenceLink, LinkKind};
use integration_atlas::store::notes::{UserRecord, UserSource};

fn atlas_bin(db: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_integration-atlas")).arg("--db").arg(db).args(args).output().expect("runs")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// Test scores for the twelve objectives.
const FIRST: [i64; 12] = [1, 2, 3, 3, 2, 4, 1, 2, 3, 3, 2, 3];
const SECOND: [i64; 12] = [3, 2, 3, 3, 3, 4, 1, 2, 3, 3, 2, 3];

fn scored(city: &str, date: &str, scores: [i64; 12], assessor: &str) -> Assessment {
    let mut a = Assessment::new(city, None, date, assessor);
    for (i, s) in scores.iter().enumerate() {
        a.set_score(i as i64 + 1, Some(*s), &format!("Test justification for objective {}", i + 1));
    }
    a
}

fn evidence(store: &Store) -> (Atlas, Vec<integration_atlas::model::Evidence>) {
    let atlas = store.load_atlas().expect("atlas");
    let ws = Workspace::load(store).expect("workspace");
    let mut all = atlas.evidence.clone();
    all.extend(user_evidence(&ws.records, &atlas.cities));
    (atlas, all)
}

#[test]
#[allow(clippy::too_many_lines, reason = "one user's whole cycle, step by step, reads best as one story")]
fn a_city_runs_the_whole_cycle_and_exports_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    let store = Store::open(&db).expect("open");
    let atlas = store.load_atlas().expect("atlas");
    let mut desk = AssessmentDesk::load(&store).expect("desk");
    assert!(desk.live_assessments().is_empty());

    // ── assess, with evidence of every kind ─────────────────────────────────────────────────────
    let mut ws = Workspace::load(&store).expect("workspace");
    let note = ws.add_note(&store, integration_atlas::store::codings::TargetKind::Memo, None);
    ws.edit_text(&note, "Minutes of the test council meeting");
    ws.flush(&store, true);
    ws.save_record(
        &store,
        UserRecord {
            uuid: "rec-1".into(),
            kind: integration_atlas::model::EvidenceKind::Practice,
            city: Some("berlin".into()),
            title: "Test one-stop shop".into(),
            description: "Made-up practice for the test.".into(),
            gap_type: Some("funding".into()),
            levels: vec!["national".into()],
            objective: Some(1),
            sources: vec![UserSource {
                url: Some("https://example.org/test".into()),
                citation: None,
                tag: "external".into(),
            }],
            author: "Tester".into(),
            ..UserRecord::default()
        },
    );
    let own_id = ws.records[0].id.clone();
    let shipped = atlas
        .evidence
        .iter()
        .find(|e| e.city == "vienna" && e.kind == EvidenceKind::Practice)
        .expect("a Vienna practice")
        .id
        .clone();
    let mut first = scored("Vienna", "2025-03-01", FIRST, "Test assessor");
    first.gap_types = vec!["funding".into()];
    first.levels = vec!["national".into(), "regional/state".into()];
    first.set_score(2, Some(2), "Coordination <script>alert(1)</script> & co | pipes");
    first.set_score(3, Some(3), "=SUM(A1:A2) looks like a formula");
    first.evidence = vec![
        EvidenceLink { objective: Some(1), kind: LinkKind::Record, target: shipped.clone(), label: String::new() },
        EvidenceLink { objective: Some(1), kind: LinkKind::OwnRecord, target: own_id.clone(), label: String::new() },
        EvidenceLink { objective: None, kind: LinkKind::Note, target: note.clone(), label: "Council minutes".into() },
        EvidenceLink {
            objective: Some(7),
            kind: LinkKind::File,
            target: "/shared/vienna/minutes-2025.pdf".into(),
            label: String::new(),
        },
    ];
    desk.save_assessment(&store, first.clone()).expect("saved");
    assert_eq!(store.assessments().expect("read").len(), 1);
    assert_eq!(store.assessments().expect("read")[0].evidence.len(), 4);

    // Undo takes it away (as a tombstone), redo brings it back.
    assert!(desk.undo(&store).expect("undo"));
    assert!(desk.live_assessments().is_empty());
    assert!(store.assessments().expect("read")[0].deleted_at.is_some());
    assert!(desk.redo(&store).expect("redo"));
    assert_eq!(desk.live_assessments().len(), 1);
    assert_eq!(desk.live_assessments()[0].score(7), Some(1));

    // A bad score is refused in one line and nothing changes.
    let mut nobody = Assessment::new("Vienna", None, "2025-03-02", " ");
    nobody.set_score(1, Some(2), "");
    let err = desk.save_assessment(&store, nobody).unwrap_err().to_string();
    assert!(err.contains("who assessed it is missing"), "{err}");
    let mut bad = desk.live_assessments()[0].clone();
    bad.set_score(3, Some(9), "");
    let err = desk.save_assessment(&store, bad).unwrap_err().to_string();
    assert!(err.contains("scores run 0–4") && !err.contains('\n'), "{err}");
    assert_eq!(store.assessments().expect("read")[0].score(3), Some(3));

    // ── an indicator linked to the region, with values ──────────────────────────────────────────
    let mut ind = new_indicator("Vienna", 5, "Newcomers in language courses", "%", Direction::Higher);
    ind.target = Some(60.0);
    ind.source = "City statistics office (test data)".into();
    ind.region = Some("AT13".into());
    ind.region_indicator = Some("Unemp".into());
    let ind_uuid = ind.uuid.clone();
    desk.save_indicator(&store, ind).expect("indicator");
    desk.set_indicator_value(&store, &ind_uuid, "2024-12-31", 40.0, "baseline").expect("value");
    desk.set_indicator_value(&store, &ind_uuid, "2025-12-31", 52.0, "").expect("value");
    let reading = region_reading(&atlas, "AT13", "Unemp").expect("the region has the indicator");
    assert!(reading.rank.is_some() && reading.ranked_of >= 1, "{reading:?}");
    assert_eq!(store.city_indicators().expect("read")[0].values.len(), 2);

    // ── compare ─────────────────────────────────────────────────────────────────────────────────
    let mut other = scored("Testville", "2025-02-01", [2, 2, 3, 3, 2, 4, 1, 2, 3, 2, 2, 3], "@evil");
    other.country = Some("AUT".into());
    other.region = Some("AT22".into());
    desk.save_assessment(&store, other).expect("other city");
    desk.save_assessment(&store, scored("Berlin", "2025-04-01", [4; 12], "Test assessor")).expect("berlin");
    let all = desk.live_assessments();
    let cities = an::assessable_cities(&atlas, &[("Graz".to_owned(), Some("AUT".to_owned()))], &all);
    assert_eq!(cities.len(), 12, "the ten, one added for imports, one assessed: {cities:?}");
    assert_eq!(cities.iter().filter(|(n, _)| n == "Berlin").count(), 1);
    let testville = comparison(&atlas, &all, None, &CompareWith::City("testville".into())).expect("series");
    assert_eq!(testville.values[0], Some(2.0));
    let sample = comparison(&atlas, &all, None, &CompareWith::AllAssessments).expect("sample");
    assert_eq!(sample.n, 3);
    assert!((sample.values[0].unwrap() - (1.0 + 2.0 + 4.0) / 3.0).abs() < 1e-9);
    let vienna = all.iter().find(|a| a.city == "Vienna").expect("vienna").clone();
    let by_scores = peers_by_scores(&atlas, &all, &vienna);
    assert_eq!(by_scores[0].city, "Testville", "the nearer score profile first: {by_scores:?}");
    let by_region = peers_by_region(&atlas, &all, "Vienna", "AT13");
    assert!(!by_region.is_empty() && by_region.iter().all(|p| p.city != "Vienna"));
    assert!(by_region.windows(2).all(|w| w[0].distance <= w[1].distance));
    assert!(by_region.iter().any(|p| p.city == "Testville" && !p.case_study));

    // A workshop round's answers become an assessment.
    let round = store.create_live_round("Test workshop", Some("2025-05-10")).expect("round");
    for n in 1..=12 {
        store.set_answer(&round, "P1", Some("Graz"), &format!("CL_SCORE_{n:02}"), Some(2.0)).expect("answer");
    }
    store.set_answer(&round, "P1", Some("Graz"), "GAP_FUNDING_NATIONAL", Some(1.0)).expect("tick");
    let catalogue = integration_atlas::answers::catalogue(&atlas);
    let set = store.load_answers(&catalogue).expect("answers");
    assert_eq!(an::round_participants(&set, &round), vec![("P1".to_owned(), Some("Graz".to_owned()))]);
    let adopted = an::assessment_from_round(&atlas, &set, &round, "P1", "Facilitator").expect("adopted");
    assert_eq!((adopted.city.as_str(), adopted.assessed_on.as_str()), ("Graz", "2025-05-10"));
    assert_eq!(adopted.gap_types, vec!["funding".to_owned()]);
    assert_eq!(adopted.levels, vec!["national".to_owned()]);
    assert!(adopted.scores.iter().all(|s| s.score == Some(2)));
    let adopted_uuid =
        desk.adopt_round(&store, &atlas, &set, &round, "P1", "Facilitator").expect("adopt").expect("scored");
    assert_eq!(desk.assessment(&adopted_uuid).expect("saved").scores, adopted.scores);
    assert!(desk.adopt_round(&store, &atlas, &set, &round, "nobody", "Facilitator").expect("adopt").is_none());
    let avg =
        comparison(&atlas, &desk.live_assessments(), Some(&set), &CompareWith::Round(round.clone())).expect("avg");
    assert_eq!(avg.values, vec![Some(2.0); 12]);

    // ── learn from practices, plan actions ──────────────────────────────────────────────────────
    let (_, records) = evidence(&store);
    let weak = learn(&atlas, &records, &vienna);
    assert!(weak.iter().all(|w| w.score <= WEAK_SCORE));
    assert_eq!(weak[0].score, 1, "weakest first");
    let one = weak.iter().find(|w| w.objective == 1).expect("objective 1 is weak");
    assert!(one.practices.iter().all(|p| p.city_name != "Vienna"), "not the city's own");
    assert!(one.practices.windows(2).all(|w| w[0].points >= w[1].points));
    let ours = one.practices.iter().find(|p| p.id == own_id).expect("own records are suggested too");
    assert!(ours.reasons.contains(&"addresses a funding gap, which Vienna faces".to_owned()), "{ours:?}");
    assert!(ours.reasons.iter().any(|r| r.contains("national")), "{ours:?}");

    let mut action = new_action("Vienna", 1, "Test coordination desk with the Land");
    action.practices = vec![own_id.clone()];
    action.owner = "Integration department".into();
    action.level = "regional/state".into();
    action.due_on = Some("2025-09-30".into());
    action.status = ActionStatus::InProgress;
    let action_uuid = action.uuid.clone();
    desk.save_action(&store, action).expect("action");
    desk.add_progress(&store, &action_uuid, "2025-04-15", "Kick-off held", None).expect("progress");
    let state = action_state(desk.action(&action_uuid).expect("action"), "2025-12-01");
    assert!(state.overdue && state.stalled, "{state:?}");
    assert!(state.days_quiet.unwrap() >= STALLED_AFTER_DAYS);
    desk.add_progress(&store, &action_uuid, "2025-11-20", "Desk open", Some(ActionStatus::Done)).expect("done");
    let state = action_state(desk.action(&action_uuid).expect("action"), "2025-12-01");
    assert!(!state.overdue && !state.stalled);

    // ── next year's assessment shows progress ───────────────────────────────────────────────────
    let second = scored("Vienna", "2026-03-01", SECOND, "Test assessor");
    let second_uuid = second.uuid.clone();
    desk.save_assessment(&store, second).expect("second");
    let all = desk.live_assessments();
    let earlier = all.iter().find(|a| a.city == "Vienna" && a.assessed_on == "2025-03-01").unwrap();
    let later = all.iter().find(|a| a.uuid == second_uuid).unwrap();
    let p = progress(&atlas, earlier, later, &desk.indicators, &desk.actions);
    assert_eq!((p.improved, p.worsened, p.unchanged), (2, 0, 10));
    assert_eq!(p.actions_done, vec!["Test coordination desk with the Land".to_owned()]);
    let ic = &p.indicators[0];
    assert_eq!((ic.before.as_ref().unwrap().value, ic.after.as_ref().unwrap().value), (40.0, 52.0));
    assert_eq!((ic.better, ic.target_met), (Some(true), Some(false)));

    let (atlas, records) = evidence(&store);
    let set = store.load_answers(&catalogue).expect("answers");
    let r = report(&atlas, &records, &all, &desk.indicators, &desk.actions, Some(&set), &second_uuid, "2026-03-02")
        .expect("report");
    assert_eq!(r.previous.as_ref().map(|p| p.assessed_on.as_str()), Some("2025-03-01"));
    assert_eq!(r.radar.len(), 3, "itself, the previous one, all cities");
    assert_eq!(r.region.as_deref(), Some("AT13"));

    // ── exports ─────────────────────────────────────────────────────────────────────────────────
    let first_report =
        report(&atlas, &records, &all, &desk.indicators, &desk.actions, Some(&set), &first.uuid, "2025-12-01")
            .expect("first report");
    let md = brief::markdown(&atlas, &first_report);
    assert!(md.starts_with("# Vienna — self-assessment of 2025-03-01"), "{md}");
    assert!(md.contains("Test justification for objective 1"));
    assert!(md.contains("\\| pipes"), "pipes escaped in tables");
    assert!(md.contains("Test one-stop shop"), "own record resolved by id");
    assert!(md.contains("/shared/vienna/minutes-2025.pdf"));
    assert!(md.contains("Newcomers in language courses") && md.contains("| 2025-12-31 | 52 % |"), "{md}");
    assert!(md.contains("OECD regional database"));
    let linked = &atlas.indicator("Unemp").expect("the regional indicator").name;
    assert!(md.contains(&format!("Linked regional indicator: {linked}.")), "the linked indicator is named: {md}");
    assert!(md.contains("Test coordination desk with the Land"));
    let html = brief::html(&atlas, &first_report);
    assert!(html.contains(&format!("Linked regional indicator: {linked}.")), "named in HTML too");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co") && !html.contains("<script>"));
    assert!(html.contains("<svg") && html.contains("</html>"));
    let md2 = brief::markdown(&atlas, &r);
    assert!(md2.contains("## Progress since 2025-03-01"));
    assert!(md2.contains("2 objectives improved, 0 worsened, 10 unchanged"), "{md2}");
    assert!(md2.contains("Action done: Test coordination desk with the Land"));
    assert!(
        md2.contains(
            "Indicator Newcomers in language courses: 40 % (2024-12-31) → 52 % (2025-12-31), better; target 60 % not yet met"
        ),
        "{md2}"
    );
    assert!(md2.contains("Testville (AUT) — distance 0.25 on 12 objectives"), "{md2}");
    let slide = brief::slide(&atlas, &r);
    assert_eq!(slide.title, "Vienna: self-assessment 2026-03-01");
    assert!(slide.lines.iter().any(|l| l.starts_with("Since 2025-03-01: 2 improved")), "{slide:?}");
    assert_eq!(brief::csv_safe("=1+1"), "'=1+1");
    drop(store);

    // The command line lists and exports.
    let out = atlas_bin(&db, &["assessment", "list", "--format", "csv"]);
    assert!(out.status.success(), "{}", text(&out));
    let listed = text(&out);
    assert_eq!(listed.lines().count(), 6, "header and five assessments: {listed}");
    assert!(listed.contains("Vienna,AUT,2026-03-01,Test assessor,2.7,12,2 7 8 11"), "{listed}");
    assert!(listed.contains("'@evil"), "formula-like text neutralised: {listed}");
    assert!(listed.contains("Graz,,2025-05-10,Facilitator,2.0,12,"), "{listed}");

    let xlsx = dir.path().join("vienna.xlsx");
    let out = atlas_bin(&db, &["assessment", "export", "--city", "wien", "--out", xlsx.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("assessment of Vienna on 2026-03-01 written to"));
    let mut book: Xlsx<_> = open_workbook(&xlsx).expect("opens");
    let names = book.sheet_names().to_vec();
    assert_eq!(names[0], "Scores 2026-03-01");
    for sheet in ["Evidence", "Indicators", "Actions", "Comparisons", "Practices to learn from", "Cities like this one"]
    {
        assert!(names.iter().any(|n| n == sheet), "{sheet} in {names:?}");
    }
    let scores: Vec<Vec<Data>> =
        book.worksheet_range("Scores 2026-03-01").unwrap().rows().map(|r| r.to_vec()).collect();
    assert_eq!(scores[0][2], Data::String("score".into()));
    assert_eq!(scores[1][2], Data::Float(3.0));
    assert_eq!(scores[1][4], Data::Float(1.0), "previous score");
    assert_eq!(scores[1][5], Data::Float(2.0), "change");
    let actions: Vec<Vec<Data>> = book.worksheet_range("Actions").unwrap().rows().map(|r| r.to_vec()).collect();
    assert_eq!(actions[1][1], Data::String("Test coordination desk with the Land".into()));
    assert_eq!(actions[1][2], Data::String("done".into()));
    let ind: Vec<Vec<Data>> = book.worksheet_range("Indicators").unwrap().rows().map(|r| r.to_vec()).collect();
    assert_eq!(ind.len(), 3, "a row per value");
    assert_eq!(ind[2][7], Data::Float(52.0));
    let cmp: Vec<Vec<Data>> = book.worksheet_range("Comparisons").unwrap().rows().map(|r| r.to_vec()).collect();
    assert_eq!(cmp[0][2], Data::String("Vienna, 2026-03-01".into()));
    assert_eq!(cmp[0][3], Data::String("Vienna, 2025-03-01".into()));

    let md_path = dir.path().join("first.md");
    let out = atlas_bin(
        &db,
        &["assessment", "export", "--city", "Vienna", "--date", "2025-03-01", "--out", md_path.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(std::fs::read_to_string(&md_path).unwrap().contains("self-assessment of 2025-03-01"));
    let csv_path = dir.path().join("first.csv");
    let out = atlas_bin(
        &db,
        &["assessment", "export", "--city", "Vienna", "--date", "2025-03-01", "--out", csv_path.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert!(csv.contains("'=SUM(A1:A2) looks like a formula") && !csv.contains(",=SUM"), "{csv}");
    let html_path = dir.path().join("first.html");
    let out = atlas_bin(&db, &["assessment", "export", "--city", "Vienna", "--out", html_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(std::fs::read_to_string(&html_path).unwrap().starts_with("<!DOCTYPE html>"));

    // Bad input: one line, exit code 2, nothing written.
    for (args, says) in [
        (vec!["--city", "Atlantis"], "no assessment of that city"),
        (vec!["--city", "Vienna", "--date", "2024-01-01"], "was not assessed that day"),
        (vec!["--city", "Vienna", "--date", "2025-13-01"], "YYYY-MM-DD"),
    ] {
        let out_path = dir.path().join("bad.md");
        let mut all_args = vec!["assessment", "export"];
        all_args.extend(args);
        all_args.extend(["--out", out_path.to_str().unwrap()]);
        let out = atlas_bin(&db, &all_args);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(err.contains(says) && err.trim().lines().count() == 1, "{err}");
        assert!(!out_path.exists());
    }
    let out = atlas_bin(
        &db,
        &["assessment", "export", "--city", "Vienna", "--out", dir.path().join("x.pdf").to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("must end in .md, .html, .xlsx or .csv"));
}

#[test]
fn assessments_travel_in_bundles_and_survive_a_dataset_refresh() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("a.sqlite");
    {
        let store = Store::open(&path).expect("open");
        let mut desk = AssessmentDesk::load(&store).expect("desk");
        desk.save_assessment(&store, scored("Altena", "2025-01-15", FIRST, "Test assessor")).expect("saved");
        let mut i = new_indicator("Altena", 3, "Test indicator", "count", Direction::Lower);
        i.values.push(integration_atlas::store::assessments::IndicatorValue {
            on: "2025-01-01".into(),
            value: 7.0,
            note: String::new(),
        });
        desk.save_indicator(&store, i).expect("indicator");
        desk.save_action(&store, new_action("Altena", 3, "Test action")).expect("action");
        let bundle = store.export_bundle("Tester").expect("bundle");
        let other = Store::open(&dir.path().join("b.sqlite")).expect("second db");
        let summary = other.import_bundle(&bundle).expect("import");
        assert_eq!(summary.new, 3, "{summary}");
        assert_eq!(other.assessments().expect("read")[0].score(1), Some(1));
        assert_eq!(other.city_indicators().expect("read")[0].values[0].value, 7.0);
        let again = other.import_bundle(&bundle).expect("import again");
        assert_eq!((again.new, again.updated, again.unchanged), (0, 0, 3));
        // An edit made since travels: the newer version wins.
        let uuid = desk.live_assessments()[0].uuid.clone();
        desk.edit_assessment(&store, &uuid, |a| a.set_score(1, Some(4), "Revised after the council vote"))
            .expect("edit");
        let newer = store.export_bundle("Tester").expect("bundle");
        let merged = other.import_bundle(&newer).expect("import the edit");
        assert_eq!((merged.new, merged.updated), (0, 1), "{merged}");
        let theirs = &other.assessments().expect("read")[0];
        assert_eq!((theirs.score(1), theirs.justification(1)), (Some(4), "Revised after the council vote"));
        // A bundle with an impossible score is refused whole.
        let mut text = serde_json::to_value(&bundle).expect("json");
        text["assessments"][0]["scores"][0]["score"] = 7.into();
        let err =
            integration_atlas::store::bundle::parse_bundle("bad.json", &text.to_string()).unwrap_err().to_string();
        assert!(err.contains("scores run 0–4") && err.contains("nothing was imported"), "{err}");
        store.connection().execute("UPDATE meta SET value = 'old' WHERE key = 'dataset_hash'", []).expect("stamp");
    }
    let store = Store::open(&path).expect("re-open after a dataset change");
    assert!(matches!(store.outcome(), integration_atlas::store::OpenOutcome::Refreshed { .. }));
    assert_eq!(store.assessments().expect("read").len(), 1);
    assert_eq!(store.city_actions().expect("read")[0].title, "Test action");
}
