//! A city's self-assessment, built once as a [`Document`] ([`document`]) and written as a Markdown brief or a
//! self-contained HTML brief (every text escaped, the radar drawn as inline SVG) by the [`doc`](crate::doc) writers;
//! also an XLSX workbook (scores, evidence, indicators, actions, comparisons, peers, practices to learn from) that
//! reads the same rows, a CSV of the scores with formula-like text neutralised, and the text of a story slide. Pure
//! text building from an [`analysis::assessment::Report`](atlas_analysis::assessment::Report).

use atlas_analysis::assessment::{
    ActionState, Peer, REGION_DISTANCE_NOTE, RadarRow, Report, SCORE_DISTANCE_NOTE, STALLED_AFTER_DAYS, WEAK_SCORE,
    objective_title, radar_table,
};
use atlas_core::model::Atlas;
use atlas_core::records::assessments::{Action, MAX_SCORE, OBJECTIVES};

use super::table::{Cell, ChartKind, ChartSpec, Table};
use crate::doc::{self, Block, Chart, DocTable, Document, Figure, Inline, ListItem, Radar, Series, clean, plain, text};

/// The text of one slide: a title and its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlideText {
    pub title: String,
    pub lines: Vec<String>,
}

/// A short file name: "vienna-assessment-2026-03-01.md".
pub fn file_name(report: &Report, format: crate::ReportFormat) -> String {
    let ext = format.extension();
    let slug: String = atlas_core::text::fold(&report.assessment.city)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{}-assessment-{}.{ext}", slug.trim_matches('-'), report.assessment.assessed_on)
}

/// Text that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) gets a leading
/// apostrophe, so that a CSV opened in a spreadsheet shows it as text.
pub fn csv_safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() }
}

fn score_text(score: Option<i64>) -> String {
    score.map_or_else(|| "not assessed".to_owned(), |s| format!("{s}/4"))
}

fn one(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| format!("{v:.1}"))
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { format!("{v}") }
}

fn state_text(s: &ActionState) -> String {
    let mut parts = Vec::new();
    if let Some(d) = s.days_overdue.filter(|_| s.overdue) {
        parts.push(format!("overdue by {d} days"));
    }
    if s.stalled {
        parts.push(format!("stalled: no progress note for {} days", s.days_quiet.unwrap_or(STALLED_AFTER_DAYS)));
    }
    parts.join("; ")
}

/// "Berlin (DEU) — distance 0.29 on 7 indicators; an OECD case-study city"; `on` names what was compared.
fn peer_line(p: &Peer, on: &str) -> String {
    let name = match &p.country {
        Some(c) => format!("{} ({c})", p.city),
        None => p.city.clone(),
    };
    let mut line = format!("{name} — distance {:.2} on {} {on}", p.distance, p.shared);
    if p.case_study {
        line.push_str("; an OECD case-study city");
    }
    line
}

/// "Indicator X: 40 % (2024-12-31) → 52 % (2025-12-31), better; target 60 % not yet met", per indicator with a value
/// at both dates.
fn indicator_changes(p: &atlas_analysis::assessment::Progress) -> Vec<String> {
    p.indicators
        .iter()
        .filter_map(|i| {
            let (b, a) = (i.before.as_ref()?, i.after.as_ref()?);
            let way = match i.better {
                Some(true) => "better",
                Some(false) => "worse",
                None => "unchanged",
            };
            let target = match (i.target, i.target_met) {
                (Some(t), Some(true)) => format!("; target {} {} met", number(t), i.unit),
                (Some(t), _) => format!("; target {} {} not yet met", number(t), i.unit),
                _ => String::new(),
            };
            Some(format!(
                "Indicator {}: {} {} ({}) → {} {} ({}), {way}{target}",
                i.name,
                number(b.value),
                i.unit,
                b.on,
                number(a.value),
                i.unit,
                a.on
            ))
        })
        .collect()
}

// ── the rows the document and the workbook share ────────────────────────────────────────────────

/// One objective's row: its score and justification now, and its score in the previous assessment.
struct ObjectiveRow<'a> {
    n: i64,
    title: String,
    score: Option<i64>,
    justification: &'a str,
    previous: Option<i64>,
}

fn objective_rows<'a>(atlas: &Atlas, r: &'a Report) -> Vec<ObjectiveRow<'a>> {
    let a = &r.assessment;
    (1..=OBJECTIVES)
        .map(|n| ObjectiveRow {
            n,
            title: objective_title(atlas, n),
            score: a.score(n),
            justification: a.justification(n),
            previous: r.previous.as_ref().and_then(|p| p.score(n)),
        })
        .collect()
}

/// The radar's series labels and its table: a row per objective, a value per series.
fn comparison_rows(atlas: &Atlas, r: &Report) -> (Vec<String>, Vec<RadarRow>) {
    (r.radar.iter().map(|s| s.label.clone()).collect(), radar_table(atlas, &r.radar))
}

/// An action's progress notes, oldest first: "2025-04-15: Kick-off held".
fn progress_notes(x: &Action) -> Vec<String> {
    x.progress.iter().map(|p| format!("{}: {}", p.on, p.text)).collect()
}

/// The two ways of finding cities like this one.
struct PeerGroup<'a> {
    /// "regional profile", "score profile".
    by: &'static str,
    /// What the distance was computed on: "indicators", "objectives".
    on: &'static str,
    note: &'static str,
    none: &'static str,
    peers: &'a [Peer],
}

fn peer_groups(r: &Report) -> [PeerGroup<'_>; 2] {
    [
        PeerGroup {
            by: "regional profile",
            on: "indicators",
            note: REGION_DISTANCE_NOTE,
            none: "The city's TL2 region is not known, or has too few indicators.",
            peers: &r.peers_by_region,
        },
        PeerGroup {
            by: "score profile",
            on: "objectives",
            note: SCORE_DISTANCE_NOTE,
            none: "No other city's assessment shares enough scored objectives.",
            peers: &r.peers_by_scores,
        },
    ]
}

// ── the document ────────────────────────────────────────────────────────────────────────────────

/// The assessment as a document: facts, scores, evidence, the radar with its numbers, progress, indicators, the
/// action plan, practices to learn from and cities like this one.
pub fn document(atlas: &Atlas, r: &Report) -> Document {
    let a = &r.assessment;
    let mut blocks = Vec::new();
    header(&mut blocks, r);
    scores(&mut blocks, atlas, r);
    evidence(&mut blocks, r);
    blocks.push(Block::heading(2, "Comparisons"));
    blocks.push(Block::Figure(radar(atlas, r)));
    progress(&mut blocks, r);
    indicators(&mut blocks, r);
    actions(&mut blocks, r);
    practices(&mut blocks, r);
    peers(&mut blocks, r);
    Document {
        title: clean(&format!("{} — self-assessment of {}", a.city, a.assessed_on)),
        lang: "en".to_owned(),
        date: r.today.clone(),
        blocks,
    }
}

/// The assessment as a Markdown brief.
pub fn markdown(atlas: &Atlas, r: &Report) -> String {
    doc::markdown(&document(atlas, r))
}

/// The assessment as one self-contained HTML page (no scripts, no outside resources; all text escaped).
pub fn html(atlas: &Atlas, r: &Report) -> String {
    doc::html(&document(atlas, r))
}

const RADAR_ALT: &str = "Radar of the 12 objectives; the table below gives the same values";

/// The radar of the assessment and what it is compared with, with the table of its values.
fn radar(atlas: &Atlas, r: &Report) -> Figure {
    let (labels, rows) = comparison_rows(atlas, r);
    let mut header = vec!["#".to_owned(), "Objective".to_owned()];
    header.extend(labels);
    let mut data = DocTable::new(&header);
    for row in rows {
        let mut cells = vec![row.objective.to_string(), row.short_title];
        cells.extend(row.values.iter().map(|v| one(*v)));
        data.push_texts(cells);
    }
    let chart = Radar {
        axes: (1..=OBJECTIVES).map(|n| n.to_string()).collect(),
        max: MAX_SCORE as f64,
        rings: u32::try_from(MAX_SCORE).unwrap_or(4),
        series: r.radar.iter().map(|s| Series { label: s.label.clone(), values: s.values.clone() }).collect(),
    };
    Figure { caption: None, alt: RADAR_ALT.to_owned(), chart: Chart::Radar(chart), data }
}

/// The radar as inline SVG, with a legend; every label escaped.
pub fn radar_svg(atlas: &Atlas, r: &Report) -> String {
    let figure = radar(atlas, r);
    let Chart::Radar(chart) = &figure.chart;
    doc::radar_svg(chart, &figure.alt)
}

fn header(blocks: &mut Vec<Block>, r: &Report) {
    let a = &r.assessment;
    let mut facts = vec![format!("Assessed by: {}", a.assessor)];
    if let Some(c) = &r.country {
        facts.push(format!("Country: {c}"));
    }
    if let (Some(code), Some(name)) = (&r.region, &r.region_name) {
        facts.push(format!("TL2 region: {name} ({code})"));
    }
    facts.push(format!("Objectives scored: {} of {OBJECTIVES}; mean score {}", r.scored, one(r.mean)));
    if a.round_uuid.is_some() {
        facts.push(format!(
            "Adopted from a workshop round (participant {})",
            a.round_respondent.as_deref().unwrap_or("?")
        ));
    }
    blocks.push(Block::bullets(facts));
    // The summary's paragraphs (separated by blank lines).
    let mut para = String::new();
    for line in a.summary.lines().chain([""]) {
        if line.trim().is_empty() {
            if !para.trim().is_empty() {
                blocks.push(Block::para(&para));
            }
            para.clear();
        } else {
            para.push_str(line);
            para.push('\n');
        }
    }
    blocks.push(Block::para(&format!("Scores run from 0 (not at all) to 4 (fully). Exported {}.", r.today)));
}

fn scores(blocks: &mut Vec<Block>, atlas: &Atlas, r: &Report) {
    blocks.push(Block::heading(2, "Scores"));
    let mut table = DocTable::new(&["#", "Objective", "Score", "Justification"]);
    for o in objective_rows(atlas, r) {
        let j = if o.justification.trim().is_empty() { "—" } else { o.justification };
        table.push_texts([o.n.to_string(), o.title, score_text(o.score), j.to_owned()]);
    }
    blocks.push(Block::Table(table));
}

fn evidence(blocks: &mut Vec<Block>, r: &Report) {
    blocks.push(Block::heading(2, "Evidence"));
    if r.evidence.is_empty() {
        blocks.push(Block::para("No evidence attached."));
        return;
    }
    let items = r
        .evidence
        .iter()
        .map(|e| {
            let obj = e.objective.map_or_else(|| "all objectives".to_owned(), |n| format!("objective {n}"));
            let missing = if e.found { "" } else { " (not found in this database)" };
            ListItem::new(vec![
                plain(format!("{obj}: {} ", e.kind.as_str())),
                Inline::Code(clean(&e.target)),
                plain(format!(" — {}{missing}", clean(&e.title))),
            ])
        })
        .collect();
    blocks.push(Block::List(items));
}

fn progress(blocks: &mut Vec<Block>, r: &Report) {
    let Some(p) = &r.progress else { return };
    blocks.push(Block::heading(2, &format!("Progress since {}", p.from)));
    blocks.push(Block::para(&format!(
        "Mean score {} → {}: {} objectives improved, {} worsened, {} unchanged.",
        one(p.mean_before),
        one(p.mean_after),
        p.improved,
        p.worsened,
        p.unchanged
    )));
    let mut lines: Vec<String> = p
        .objectives
        .iter()
        .filter(|c| c.change().is_some_and(|d| d != 0))
        .map(|c| {
            format!("Objective {} ({}): {} → {}", c.objective, c.short_title, score_text(c.before), score_text(c.after))
        })
        .collect();
    lines.extend(p.actions_done.iter().map(|t| format!("Action done: {t}")));
    lines.extend(indicator_changes(p));
    if !lines.is_empty() {
        blocks.push(Block::bullets(lines));
    }
}

fn indicators(blocks: &mut Vec<Block>, r: &Report) {
    blocks.push(Block::heading(2, "Indicators"));
    if r.indicators.is_empty() {
        blocks.push(Block::para("No indicators defined."));
    }
    for (i, reading) in &r.indicators {
        let target = i.target.map_or_else(String::new, |t| format!(", target {} {}", number(t), i.unit));
        blocks.push(Block::heading(
            3,
            &format!("{} (objective {}; {} is better{target})", i.name, i.objective, i.direction),
        ));
        if !i.source.trim().is_empty() {
            blocks.push(Block::para(&format!("Source: {}", i.source)));
        }
        if let Some(rr) = reading {
            let rank = rr
                .rank
                .map_or_else(|| "no rank".to_owned(), |k| format!("rank {k} of {} in the country", rr.ranked_of));
            blocks.push(Block::para(&format!(
                "Linked regional indicator: {}. OECD regional database, {} ({}): foreign-born {} {} ({rank}); \
                 reference year not given in the data.",
                rr.indicator_name,
                rr.region_name,
                rr.region,
                one(rr.value),
                rr.unit
            )));
        }
        if i.values.is_empty() {
            blocks.push(Block::para("No values recorded."));
        } else {
            let mut table = DocTable::new(&["Date", "Value", "Note"]);
            for v in &i.values {
                table.push_texts([v.on.clone(), format!("{} {}", number(v.value), i.unit), v.note.clone()]);
            }
            blocks.push(Block::Table(table));
        }
    }
}

fn actions(blocks: &mut Vec<Block>, r: &Report) {
    blocks.push(Block::heading(2, "Action plan"));
    if r.actions.is_empty() {
        blocks.push(Block::para("No actions planned."));
    } else {
        let items = r
            .actions
            .iter()
            .map(|(x, s)| {
                let due = x.due_on.as_deref().map_or_else(String::new, |d| format!(", due {d}"));
                let owner = if x.owner.is_empty() { "not set".to_owned() } else { clean(&x.owner) };
                let level = if x.level.is_empty() { "no".to_owned() } else { clean(&x.level) };
                let mut line = vec![
                    plain(format!("Objective {}: ", x.objective)),
                    text(&x.title),
                    plain(format!(" ({}; owner {owner}; {level} level{due})", x.status)),
                ];
                let flags = state_text(s);
                if !flags.is_empty() {
                    line.extend([plain(" — "), Inline::Strong(flags)]);
                }
                let mut item = ListItem::new(line);
                if !x.practices.is_empty() {
                    item.sub.push(vec![text(&format!("Inspired by: {}", x.practices.join(", ")))]);
                }
                item.sub.extend(progress_notes(x).iter().map(|n| vec![text(n)]));
                item
            })
            .collect();
        blocks.push(Block::List(items));
    }
    blocks.push(Block::para(&format!(
        "An open action is stalled after {STALLED_AFTER_DAYS} days without a progress note."
    )));
}

fn practices(blocks: &mut Vec<Block>, r: &Report) {
    blocks.push(Block::heading(2, &format!("Practices to learn from (objectives scored {WEAK_SCORE} or lower)")));
    blocks.push(Block::para(&format!("Ranked by context match against {}.", r.context.basis)));
    if r.weak.is_empty() {
        blocks.push(Block::para(&format!("No objective is scored {WEAK_SCORE} or lower.")));
    }
    for w in &r.weak {
        blocks.push(Block::heading(3, &format!("Objective {} — {} (score {})", w.objective, w.short_title, w.score)));
        if w.practices.is_empty() {
            blocks.push(Block::para("No practice in the database is coded to this objective."));
            continue;
        }
        blocks.push(Block::bullets(w.practices.iter().take(5).map(|p| {
            let why = if p.reasons.is_empty() { "no context in common".to_owned() } else { p.reasons.join("; ") };
            format!("{} {} ({}, {}): {why}", p.id, p.title, p.city_name, p.country)
        })));
    }
}

fn peers(blocks: &mut Vec<Block>, r: &Report) {
    blocks.push(Block::heading(2, "Cities like this one"));
    for g in peer_groups(r) {
        blocks.push(Block::para(&format!("By {}. {}", g.by, g.note)));
        if g.peers.is_empty() {
            blocks.push(Block::bullets([g.none]));
        } else {
            blocks.push(Block::bullets(g.peers.iter().take(5).map(|p| peer_line(p, g.on))));
        }
    }
}

// ── the workbook ────────────────────────────────────────────────────────────────────────────────

/// The assessment as the sheets of a workbook: Scores, Evidence, Indicators, Actions, Comparisons (with a chart),
/// Practices and Peers.
pub fn tables(atlas: &Atlas, r: &Report) -> Vec<Table> {
    vec![
        scores_sheet(atlas, r),
        evidence_sheet(r),
        indicators_sheet(r),
        actions_sheet(r),
        comparisons_sheet(atlas, r),
        practices_sheet(r),
        peers_sheet(r),
    ]
}

fn scores_sheet(atlas: &Atlas, r: &Report) -> Table {
    let mut scores = Table::new(
        &format!("Scores {}", r.assessment.assessed_on),
        &["objective", "title", "score", "justification", "previous score", "change"],
    );
    for o in objective_rows(atlas, r) {
        let change = match (o.previous, o.score) {
            (Some(b), Some(x)) => Cell::from(x - b),
            _ => Cell::Empty,
        };
        scores.push(vec![
            Cell::from(o.n),
            Cell::from(o.title),
            Cell::from(o.score),
            Cell::from(o.justification),
            Cell::from(o.previous),
            change,
        ]);
    }
    scores
}

fn evidence_sheet(r: &Report) -> Table {
    let mut evidence = Table::new("Evidence", &["objective", "kind", "target", "what it is", "found"]);
    for e in &r.evidence {
        evidence.push(vec![
            Cell::from(e.objective),
            Cell::from(e.kind.as_str()),
            Cell::from(&e.target),
            Cell::from(&e.title),
            Cell::from(if e.found { "yes" } else { "no" }),
        ]);
    }
    evidence
}

fn indicators_sheet(r: &Report) -> Table {
    let mut indicators = Table::new(
        "Indicators",
        &[
            "objective",
            "indicator",
            "unit",
            "better when",
            "target",
            "source",
            "date",
            "value",
            "note",
            "regional indicator",
            "region",
            "region value",
            "region rank",
            "regions ranked",
        ],
    );
    for (i, reading) in &r.indicators {
        let region_cells = match reading {
            Some(rr) => vec![
                Cell::from(&rr.indicator_name),
                Cell::from(format!("{} ({})", rr.region_name, rr.region)),
                Cell::from(rr.value),
                Cell::from(rr.rank),
                Cell::from(rr.ranked_of),
            ],
            None => vec![Cell::Empty; 5],
        };
        let head = |v: Option<&atlas_core::records::assessments::IndicatorValue>| -> Vec<Cell> {
            vec![
                Cell::from(i.objective),
                Cell::from(&i.name),
                Cell::from(&i.unit),
                Cell::from(i.direction.as_str()),
                Cell::from(i.target),
                Cell::from(&i.source),
                Cell::from(v.map(|v| v.on.clone())),
                Cell::from(v.map(|v| v.value)),
                Cell::from(v.map(|v| v.note.clone())),
            ]
        };
        let values: Vec<Option<&atlas_core::records::assessments::IndicatorValue>> =
            if i.values.is_empty() { vec![None] } else { i.values.iter().map(Some).collect() };
        for v in values {
            let mut row = head(v);
            row.extend(region_cells.iter().cloned());
            indicators.push(row);
        }
    }
    indicators
}

fn actions_sheet(r: &Report) -> Table {
    let mut actions = Table::new(
        "Actions",
        &[
            "objective",
            "action",
            "status",
            "owner",
            "level",
            "due",
            "overdue",
            "stalled",
            "last progress",
            "progress notes",
            "inspired by",
        ],
    );
    for (x, s) in &r.actions {
        actions.push(vec![
            Cell::from(x.objective),
            Cell::from(&x.title),
            Cell::from(x.status.as_str()),
            Cell::from(&x.owner),
            Cell::from(&x.level),
            Cell::from(x.due_on.clone()),
            Cell::from(if s.overdue { "yes" } else { "no" }),
            Cell::from(if s.stalled { "yes" } else { "no" }),
            Cell::from(s.last_progress.clone()),
            Cell::from(progress_notes(x).join("\n")),
            Cell::from(x.practices.join(", ")),
        ]);
    }
    actions
}

fn comparisons_sheet(atlas: &Atlas, r: &Report) -> Table {
    let (labels, rows) = comparison_rows(atlas, r);
    let mut header: Vec<String> = vec!["objective".into(), "title".into()];
    header.extend(labels);
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut comparisons = Table::new("Comparisons", &header_refs);
    for row in rows {
        let mut cells = vec![Cell::from(row.objective), Cell::from(row.short_title)];
        cells.extend(row.values.iter().map(|v| Cell::from(*v)));
        comparisons.push(cells);
    }
    comparisons.chart = Some(
        ChartSpec::new(ChartKind::Column, "Scores by objective", 0, (2..header.len()).collect())
            .with_axes("objective", "score 0–4"),
    );
    comparisons
}

fn practices_sheet(r: &Report) -> Table {
    let mut practices = Table::new(
        "Practices to learn from",
        &["objective", "score", "practice", "title", "city", "country", "points", "why"],
    );
    for w in &r.weak {
        for p in &w.practices {
            practices.push(vec![
                Cell::from(w.objective),
                Cell::from(w.score),
                Cell::from(&p.id),
                Cell::from(&p.title),
                Cell::from(&p.city_name),
                Cell::from(&p.country),
                Cell::from(i64::from(p.points)),
                Cell::from(p.reasons.join("; ")),
            ]);
        }
    }
    practices
}

fn peers_sheet(r: &Report) -> Table {
    let mut peers = Table::new("Cities like this one", &["by", "city", "country", "distance", "shared", "case study"]);
    for g in peer_groups(r) {
        for p in g.peers {
            peers.push(vec![
                Cell::from(g.by),
                Cell::from(&p.city),
                Cell::from(p.country.clone()),
                Cell::from(p.distance),
                Cell::from(p.shared),
                Cell::from(if p.case_study { "yes" } else { "no" }),
            ]);
        }
    }
    peers
}

/// The scores sheet as CSV, every text cell passed through [`csv_safe`].
pub fn scores_csv(atlas: &Atlas, r: &Report) -> String {
    let mut t = tables(atlas, r).swap_remove(0);
    for row in &mut t.rows {
        for cell in row.iter_mut() {
            if let Cell::Text(text) = cell {
                *text = csv_safe(text);
            }
        }
    }
    super::table::csv_string(&t)
}

/// The text of a story slide summing up the assessment: mean, strongest and weakest objectives, change since the
/// previous assessment, and the action plan's state.
pub fn slide(atlas: &Atlas, r: &Report) -> SlideText {
    let a = &r.assessment;
    let mut lines = vec![format!("Mean score {} over {} of {OBJECTIVES} objectives (0–4)", one(r.mean), r.scored)];
    let scored: Vec<(i64, i64)> = a.scores.iter().filter_map(|s| Some((s.objective, s.score?))).collect();
    if let Some(best) = scored.iter().map(|(_, s)| *s).max() {
        let names: Vec<String> = scored
            .iter()
            .filter(|(_, s)| *s == best)
            .map(|(n, _)| format!("{n} {}", objective_title(atlas, *n)))
            .collect();
        lines.push(format!("Strongest ({best}/4): {}", names.join(", ")));
    }
    if let Some(worst) = scored.iter().map(|(_, s)| *s).min() {
        let names: Vec<String> = scored
            .iter()
            .filter(|(_, s)| *s == worst)
            .map(|(n, _)| format!("{n} {}", objective_title(atlas, *n)))
            .collect();
        lines.push(format!("Weakest ({worst}/4): {}", names.join(", ")));
    }
    if let Some(p) = &r.progress {
        lines.push(format!(
            "Since {}: {} improved, {} worsened, {} unchanged; mean {} → {}",
            p.from,
            p.improved,
            p.worsened,
            p.unchanged,
            one(p.mean_before),
            one(p.mean_after)
        ));
    }
    let open = r.actions.iter().filter(|(x, _)| atlas_analysis::assessment::is_open(x)).count();
    let overdue = r.actions.iter().filter(|(_, s)| s.overdue).count();
    let stalled = r.actions.iter().filter(|(_, s)| s.stalled).count();
    lines.push(format!("Action plan: {open} open, {overdue} overdue, {stalled} stalled"));
    SlideText { title: format!("{}: self-assessment {}", a.city, a.assessed_on), lines }
}
