//! A city's self-assessment as a Markdown brief, a self-contained HTML brief (every text escaped, the radar drawn as
//! inline SVG), an XLSX workbook (scores, evidence, indicators, actions, comparisons, peers, practices to learn
//! from), a CSV of the scores with formula-like text neutralised, and the text of a story slide. Pure text building
//! from an [`analysis::assessment::Report`](atlas_analysis::assessment::Report).

use std::fmt::Write as _;

use atlas_analysis::assessment::{
    ActionState, Peer, REGION_DISTANCE_NOTE, Report, SCORE_DISTANCE_NOTE, STALLED_AFTER_DAYS, WEAK_SCORE,
    objective_title, radar_grid, radar_label_at, radar_outline, radar_table, to_screen,
};
use atlas_core::model::Atlas;
use atlas_core::records::assessments::OBJECTIVES;

use super::table::{Cell, ChartKind, ChartSpec, Table};

/// The text of one slide: a title and its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlideText {
    pub title: String,
    pub lines: Vec<String>,
}

/// A short file name: "vienna-assessment-2026-03-01.md".
pub fn file_name(report: &Report, ext: &str) -> String {
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

/// Markdown: one line, pipes escaped.
fn md(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
}

/// The assessment as a Markdown brief.
pub fn markdown(atlas: &Atlas, r: &Report) -> String {
    let a = &r.assessment;
    let mut o = String::new();
    let _ = writeln!(o, "# {} — self-assessment of {}\n", md(&a.city), a.assessed_on);
    let _ = writeln!(o, "- Assessed by: {}", md(&a.assessor));
    if let Some(c) = &r.country {
        let _ = writeln!(o, "- Country: {c}");
    }
    if let (Some(code), Some(name)) = (&r.region, &r.region_name) {
        let _ = writeln!(o, "- TL2 region: {} ({code})", md(name));
    }
    let _ = writeln!(o, "- Objectives scored: {} of {OBJECTIVES}; mean score {}", r.scored, one(r.mean));
    if a.round_uuid.is_some() {
        let _ = writeln!(
            o,
            "- Adopted from a workshop round (participant {})",
            md(a.round_respondent.as_deref().unwrap_or("?"))
        );
    }
    if !a.summary.trim().is_empty() {
        let _ = writeln!(o, "\n{}", a.summary.trim());
    }
    let _ = writeln!(o, "\nScores run from 0 (not at all) to 4 (fully). Exported {}.\n", r.today);

    let _ = writeln!(o, "## Scores\n");
    let _ = writeln!(o, "| # | Objective | Score | Justification |");
    let _ = writeln!(o, "|---|---|---|---|");
    for n in 1..=OBJECTIVES {
        let j = a.justification(n);
        let _ = writeln!(
            o,
            "| {n} | {} | {} | {} |",
            md(&objective_title(atlas, n)),
            score_text(a.score(n)),
            if j.trim().is_empty() { "—".to_owned() } else { md(j) }
        );
    }

    let _ = writeln!(o, "\n## Evidence\n");
    if r.evidence.is_empty() {
        let _ = writeln!(o, "No evidence attached.");
    }
    for e in &r.evidence {
        let obj = e.objective.map_or_else(|| "all objectives".to_owned(), |n| format!("objective {n}"));
        let missing = if e.found { "" } else { " (not found in this database)" };
        let _ = writeln!(o, "- {obj}: {} `{}` — {}{missing}", e.kind, md(&e.target), md(&e.title));
    }

    let _ = writeln!(o, "\n## Comparisons\n");
    let rows = radar_table(atlas, &r.radar);
    let header: Vec<String> = r.radar.iter().map(|s| md(&s.label)).collect();
    let _ = writeln!(o, "| # | Objective | {} |", header.join(" | "));
    let _ = writeln!(o, "|---|---|{}", "---|".repeat(header.len()));
    for row in &rows {
        let cells: Vec<String> = row.values.iter().map(|v| one(*v)).collect();
        let _ = writeln!(o, "| {} | {} | {} |", row.objective, md(&row.short_title), cells.join(" | "));
    }

    if let Some(p) = &r.progress {
        let _ = writeln!(o, "\n## Progress since {}\n", p.from);
        let _ = writeln!(
            o,
            "Mean score {} → {}: {} objectives improved, {} worsened, {} unchanged.\n",
            one(p.mean_before),
            one(p.mean_after),
            p.improved,
            p.worsened,
            p.unchanged
        );
        for c in p.objectives.iter().filter(|c| c.change().is_some_and(|d| d != 0)) {
            let _ = writeln!(
                o,
                "- Objective {} ({}): {} → {}",
                c.objective,
                md(&c.short_title),
                score_text(c.before),
                score_text(c.after)
            );
        }
        for t in &p.actions_done {
            let _ = writeln!(o, "- Action done: {}", md(t));
        }
        for line in indicator_changes(p) {
            let _ = writeln!(o, "- {}", md(&line));
        }
    }

    let _ = writeln!(o, "\n## Indicators\n");
    if r.indicators.is_empty() {
        let _ = writeln!(o, "No indicators defined.");
    }
    for (i, reading) in &r.indicators {
        let target = i.target.map_or_else(String::new, |t| format!(", target {} {}", number(t), md(&i.unit)));
        let _ = writeln!(o, "### {} (objective {}; {} is better{target})\n", md(&i.name), i.objective, i.direction);
        if !i.source.trim().is_empty() {
            let _ = writeln!(o, "Source: {}\n", md(&i.source));
        }
        if let Some(rr) = reading {
            let rank = rr
                .rank
                .map_or_else(|| "no rank".to_owned(), |k| format!("rank {k} of {} in the country", rr.ranked_of));
            let _ = writeln!(
                o,
                "OECD regional database, {} ({}): foreign-born {} {} ({rank}); reference year not given in the data.\n",
                md(&rr.region_name),
                rr.region,
                one(rr.value),
                md(&rr.unit)
            );
        }
        if i.values.is_empty() {
            let _ = writeln!(o, "No values recorded.\n");
        } else {
            let _ = writeln!(o, "| Date | Value | Note |\n|---|---|---|");
            for v in &i.values {
                let _ = writeln!(o, "| {} | {} {} | {} |", v.on, number(v.value), md(&i.unit), md(&v.note));
            }
            let _ = writeln!(o);
        }
    }

    let _ = writeln!(o, "## Action plan\n");
    if r.actions.is_empty() {
        let _ = writeln!(o, "No actions planned.");
    }
    for (x, s) in &r.actions {
        let due = x.due_on.as_deref().map_or_else(String::new, |d| format!(", due {d}"));
        let flags = state_text(s);
        let flags = if flags.is_empty() { String::new() } else { format!(" — **{flags}**") };
        let _ = writeln!(
            o,
            "- Objective {}: {} ({}; owner {}; {} level{due}){flags}",
            x.objective,
            md(&x.title),
            x.status,
            if x.owner.is_empty() { "not set".to_owned() } else { md(&x.owner) },
            if x.level.is_empty() { "no".to_owned() } else { md(&x.level) }
        );
        if !x.practices.is_empty() {
            let _ = writeln!(o, "  - Inspired by: {}", x.practices.join(", "));
        }
        for p in &x.progress {
            let _ = writeln!(o, "  - {}: {}", p.on, md(&p.text));
        }
    }
    let _ = writeln!(o, "\nAn open action is stalled after {STALLED_AFTER_DAYS} days without a progress note.");

    let _ = writeln!(o, "\n## Practices to learn from (objectives scored {WEAK_SCORE} or lower)\n");
    let _ = writeln!(o, "Ranked by context match against {}.\n", r.context.basis);
    if r.weak.is_empty() {
        let _ = writeln!(o, "No objective is scored {WEAK_SCORE} or lower.");
    }
    for w in &r.weak {
        let _ = writeln!(o, "### Objective {} — {} (score {})\n", w.objective, md(&w.short_title), w.score);
        if w.practices.is_empty() {
            let _ = writeln!(o, "No practice in the database is coded to this objective.\n");
        }
        for p in w.practices.iter().take(5) {
            let why = if p.reasons.is_empty() { "no context in common".to_owned() } else { p.reasons.join("; ") };
            let _ = writeln!(o, "- {} {} ({}, {}): {why}", p.id, md(&p.title), md(&p.city_name), p.country);
        }
        let _ = writeln!(o);
    }

    let _ = writeln!(o, "## Cities like this one\n");
    let _ = writeln!(o, "By regional profile. {REGION_DISTANCE_NOTE}\n");
    if r.peers_by_region.is_empty() {
        let _ = writeln!(o, "- The city's TL2 region is not known, or has too few indicators.");
    }
    for p in r.peers_by_region.iter().take(5) {
        let _ = writeln!(o, "- {}", md(&peer_line(p, "indicators")));
    }
    let _ = writeln!(o, "\nBy score profile. {SCORE_DISTANCE_NOTE}\n");
    if r.peers_by_scores.is_empty() {
        let _ = writeln!(o, "- No other city's assessment shares enough scored objectives.");
    }
    for p in r.peers_by_scores.iter().take(5) {
        let _ = writeln!(o, "- {}", md(&peer_line(p, "objectives")));
    }
    o
}

/// HTML text, escaped.
fn h(text: &str) -> String {
    atlas_core::text::escape_html(text)
}

const COLOURS: [&str; 5] = ["#1f5fa8", "#c0392b", "#27864a", "#8e44ad", "#b7791f"];

/// The radar as inline SVG, with a legend; every label escaped.
pub fn radar_svg(atlas: &Atlas, r: &Report) -> String {
    let (size, radius) = (520.0_f32, 170.0_f32);
    let c = [size / 2.0, size / 2.0 - 10.0];
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {}\" role=\"img\" aria-label=\"Radar of the 12 \
         objectives; the table below gives the same values\" style=\"max-width:{size}px\">",
        size + 20.0 * r.radar.len() as f32
    );
    let path = |pts: &[[f64; 2]]| -> String {
        pts.iter()
            .map(|p| {
                let q = to_screen(*p, c, radius);
                format!("{:.1},{:.1}", q[0], q[1])
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (rings, spokes) = radar_grid();
    for ring in &rings {
        let _ = write!(s, "<polyline points=\"{}\" fill=\"none\" stroke=\"#ccc\"/>", path(ring));
    }
    for sp in &spokes {
        let _ = write!(s, "<polyline points=\"{}\" fill=\"none\" stroke=\"#ddd\"/>", path(sp));
    }
    for n in 1..=OBJECTIVES {
        let q = to_screen(radar_label_at(n, 1.14), c, radius);
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\" dominant-baseline=\"middle\">{n}</text>",
            q[0], q[1]
        );
    }
    for (k, series) in r.radar.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        for run in radar_outline(&series.values) {
            let _ = write!(
                s,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{}\"/>",
                path(&run),
                if k == 0 { 3 } else { 2 }
            );
        }
        let y = size + 20.0 * k as f32 - 20.0;
        let _ = write!(
            s,
            "<rect x=\"20\" y=\"{:.0}\" width=\"14\" height=\"4\" fill=\"{colour}\"/><text x=\"40\" y=\"{:.0}\" \
             font-size=\"12\">{}</text>",
            y - 2.0,
            y + 3.0,
            h(&series.label)
        );
    }
    let _ = atlas;
    s.push_str("</svg>");
    s
}

/// The assessment as one self-contained HTML page (no scripts, no outside resources; all text escaped).
pub fn html(atlas: &Atlas, r: &Report) -> String {
    let a = &r.assessment;
    let mut o = String::new();
    let title = format!("{} — self-assessment of {}", a.city, a.assessed_on);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>\
         body{{font-family:'DejaVu Sans',sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}}\
         table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #bbb;padding:.3em .5em;vertical-align:top;text-align:left}}\
         th{{background:#eef}}.flag{{color:#a00;font-weight:bold}}</style></head><body>\n",
        h(&title)
    );
    let _ = writeln!(o, "<h1>{}</h1>", h(&title));
    let _ = write!(o, "<ul><li>Assessed by: {}</li>", h(&a.assessor));
    if let Some(c) = &r.country {
        let _ = write!(o, "<li>Country: {}</li>", h(c));
    }
    if let (Some(code), Some(name)) = (&r.region, &r.region_name) {
        let _ = write!(o, "<li>TL2 region: {} ({})</li>", h(name), h(code));
    }
    let _ = writeln!(o, "<li>Objectives scored: {} of {OBJECTIVES}; mean score {}</li></ul>", r.scored, one(r.mean));
    if !a.summary.trim().is_empty() {
        let _ = writeln!(o, "<p>{}</p>", h(a.summary.trim()));
    }
    let _ = writeln!(o, "<p>Scores run from 0 (not at all) to 4 (fully). Exported {}.</p>", h(&r.today));

    let _ =
        writeln!(o, "<h2>Scores</h2><table><tr><th>#</th><th>Objective</th><th>Score</th><th>Justification</th></tr>");
    for n in 1..=OBJECTIVES {
        let j = a.justification(n);
        let _ = writeln!(
            o,
            "<tr><td>{n}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            h(&objective_title(atlas, n)),
            h(&score_text(a.score(n))),
            if j.trim().is_empty() { "—".to_owned() } else { h(j) }
        );
    }
    o.push_str("</table>\n<h2>Evidence</h2>");
    if r.evidence.is_empty() {
        o.push_str("<p>No evidence attached.</p>");
    } else {
        o.push_str("<ul>");
        for e in &r.evidence {
            let obj = e.objective.map_or_else(|| "all objectives".to_owned(), |n| format!("objective {n}"));
            let _ = write!(o, "<li>{}: {} <code>{}</code> — {}</li>", h(&obj), h(&e.kind), h(&e.target), h(&e.title));
        }
        o.push_str("</ul>");
    }

    let _ = writeln!(o, "\n<h2>Comparisons</h2>{}", radar_svg(atlas, r));
    o.push_str("<table><tr><th>#</th><th>Objective</th>");
    for s in &r.radar {
        let _ = write!(o, "<th>{}</th>", h(&s.label));
    }
    o.push_str("</tr>");
    for row in radar_table(atlas, &r.radar) {
        let _ = write!(o, "<tr><td>{}</td><td>{}</td>", row.objective, h(&row.short_title));
        for v in &row.values {
            let _ = write!(o, "<td>{}</td>", one(*v));
        }
        o.push_str("</tr>");
    }
    o.push_str("</table>\n");

    if let Some(p) = &r.progress {
        let _ = writeln!(
            o,
            "<h2>Progress since {}</h2><p>Mean score {} → {}: {} objectives improved, {} worsened, {} unchanged.</p><ul>",
            h(&p.from),
            one(p.mean_before),
            one(p.mean_after),
            p.improved,
            p.worsened,
            p.unchanged
        );
        for c in p.objectives.iter().filter(|c| c.change().is_some_and(|d| d != 0)) {
            let _ = write!(
                o,
                "<li>Objective {} ({}): {} → {}</li>",
                c.objective,
                h(&c.short_title),
                score_text(c.before),
                score_text(c.after)
            );
        }
        for t in &p.actions_done {
            let _ = write!(o, "<li>Action done: {}</li>", h(t));
        }
        for line in indicator_changes(p) {
            let _ = write!(o, "<li>{}</li>", h(&line));
        }
        o.push_str("</ul>\n");
    }

    o.push_str("<h2>Indicators</h2>");
    if r.indicators.is_empty() {
        o.push_str("<p>No indicators defined.</p>");
    }
    for (i, reading) in &r.indicators {
        let target = i.target.map_or_else(String::new, |t| format!(", target {} {}", number(t), i.unit));
        let _ = write!(
            o,
            "<h3>{}</h3><p>Objective {}; {} is better{}. {}</p>",
            h(&i.name),
            i.objective,
            h(&i.direction),
            h(&target),
            if i.source.trim().is_empty() { String::new() } else { format!("Source: {}", h(&i.source)) }
        );
        if let Some(rr) = reading {
            let rank = rr
                .rank
                .map_or_else(|| "no rank".to_owned(), |k| format!("rank {k} of {} in the country", rr.ranked_of));
            let _ = write!(
                o,
                "<p>OECD regional database, {} ({}): foreign-born {} {} ({}); reference year not given in the data.</p>",
                h(&rr.region_name),
                h(&rr.region),
                one(rr.value),
                h(&rr.unit),
                h(&rank)
            );
        }
        if !i.values.is_empty() {
            o.push_str("<table><tr><th>Date</th><th>Value</th><th>Note</th></tr>");
            for v in &i.values {
                let _ = write!(
                    o,
                    "<tr><td>{}</td><td>{} {}</td><td>{}</td></tr>",
                    h(&v.on),
                    number(v.value),
                    h(&i.unit),
                    h(&v.note)
                );
            }
            o.push_str("</table>");
        }
    }

    o.push_str("\n<h2>Action plan</h2>");
    if r.actions.is_empty() {
        o.push_str("<p>No actions planned.</p>");
    } else {
        o.push_str(
            "<table><tr><th>#</th><th>Action</th><th>Status</th><th>Owner</th><th>Level</th><th>Due</th>\
             <th>Inspired by</th><th>Progress</th></tr>",
        );
        for (x, s) in &r.actions {
            let flags = state_text(s);
            let progress: Vec<String> = x.progress.iter().map(|p| format!("{}: {}", h(&p.on), h(&p.text))).collect();
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                x.objective,
                h(&x.title),
                h(&x.status),
                if flags.is_empty() { String::new() } else { format!(" <span class=\"flag\">{}</span>", h(&flags)) },
                h(&x.owner),
                h(&x.level),
                h(x.due_on.as_deref().unwrap_or("—")),
                h(&x.practices.join(", ")),
                progress.join("<br>")
            );
        }
        o.push_str("</table>");
    }
    let _ = writeln!(o, "<p>An open action is stalled after {STALLED_AFTER_DAYS} days without a progress note.</p>");

    let _ = writeln!(
        o,
        "<h2>Practices to learn from (objectives scored {WEAK_SCORE} or lower)</h2><p>Ranked by context match against {}.</p>",
        h(&r.context.basis)
    );
    for w in &r.weak {
        let _ = write!(o, "<h3>Objective {} — {} (score {})</h3><ul>", w.objective, h(&w.short_title), w.score);
        for p in w.practices.iter().take(5) {
            let why = if p.reasons.is_empty() { "no context in common".to_owned() } else { p.reasons.join("; ") };
            let _ = write!(
                o,
                "<li>{} {} ({}, {}): {}</li>",
                h(&p.id),
                h(&p.title),
                h(&p.city_name),
                h(&p.country),
                h(&why)
            );
        }
        o.push_str("</ul>");
    }
    let _ = write!(o, "\n<h2>Cities like this one</h2><p>By regional profile. {}</p><ul>", h(REGION_DISTANCE_NOTE));
    for p in r.peers_by_region.iter().take(5) {
        let _ = write!(o, "<li>{}</li>", h(&peer_line(p, "indicators")));
    }
    let _ = write!(o, "</ul><p>By score profile. {}</p><ul>", h(SCORE_DISTANCE_NOTE));
    for p in r.peers_by_scores.iter().take(5) {
        let _ = write!(o, "<li>{}</li>", h(&peer_line(p, "objectives")));
    }
    o.push_str("</ul>\n</body></html>\n");
    o
}

/// The assessment as the sheets of a workbook: Scores, Evidence, Indicators, Actions, Comparisons (with a chart),
/// Practices and Peers.
pub fn tables(atlas: &Atlas, r: &Report) -> Vec<Table> {
    let a = &r.assessment;
    let prev = r.previous.as_ref();
    let mut scores = Table::new(
        &format!("Scores {}", a.assessed_on),
        &["objective", "title", "score", "justification", "previous score", "change"],
    );
    for n in 1..=OBJECTIVES {
        let before = prev.and_then(|p| p.score(n));
        let change = match (before, a.score(n)) {
            (Some(b), Some(x)) => Cell::from(x - b),
            _ => Cell::Empty,
        };
        scores.push(vec![
            Cell::from(n),
            Cell::from(objective_title(atlas, n)),
            Cell::from(a.score(n)),
            Cell::from(a.justification(n)),
            Cell::from(before),
            change,
        ]);
    }
    let mut evidence = Table::new("Evidence", &["objective", "kind", "target", "what it is", "found"]);
    for e in &r.evidence {
        evidence.push(vec![
            Cell::from(e.objective),
            Cell::from(&e.kind),
            Cell::from(&e.target),
            Cell::from(&e.title),
            Cell::from(if e.found { "yes" } else { "no" }),
        ]);
    }
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
        let region_cells = |rr: Option<&atlas_analysis::assessment::RegionReading>| -> Vec<Cell> {
            match rr {
                Some(rr) => vec![
                    Cell::from(&rr.indicator_name),
                    Cell::from(format!("{} ({})", rr.region_name, rr.region)),
                    Cell::from(rr.value),
                    Cell::from(rr.rank),
                    Cell::from(rr.ranked_of),
                ],
                None => vec![Cell::Empty; 5],
            }
        };
        let head = |v: Option<&atlas_core::records::assessments::IndicatorValue>| -> Vec<Cell> {
            vec![
                Cell::from(i.objective),
                Cell::from(&i.name),
                Cell::from(&i.unit),
                Cell::from(&i.direction),
                Cell::from(i.target),
                Cell::from(&i.source),
                Cell::from(v.map(|v| v.on.clone())),
                Cell::from(v.map(|v| v.value)),
                Cell::from(v.map(|v| v.note.clone())),
            ]
        };
        if i.values.is_empty() {
            let mut row = head(None);
            row.extend(region_cells(reading.as_ref()));
            indicators.push(row);
        }
        for v in &i.values {
            let mut row = head(Some(v));
            row.extend(region_cells(reading.as_ref()));
            indicators.push(row);
        }
    }
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
        let notes: Vec<String> = x.progress.iter().map(|p| format!("{}: {}", p.on, p.text)).collect();
        actions.push(vec![
            Cell::from(x.objective),
            Cell::from(&x.title),
            Cell::from(&x.status),
            Cell::from(&x.owner),
            Cell::from(&x.level),
            Cell::from(x.due_on.clone()),
            Cell::from(if s.overdue { "yes" } else { "no" }),
            Cell::from(if s.stalled { "yes" } else { "no" }),
            Cell::from(s.last_progress.clone()),
            Cell::from(notes.join("\n")),
            Cell::from(x.practices.join(", ")),
        ]);
    }
    let mut header: Vec<String> = vec!["objective".into(), "title".into()];
    header.extend(r.radar.iter().map(|s| s.label.clone()));
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut comparisons = Table::new("Comparisons", &header_refs);
    for row in radar_table(atlas, &r.radar) {
        let mut cells = vec![Cell::from(row.objective), Cell::from(row.short_title)];
        cells.extend(row.values.iter().map(|v| Cell::from(*v)));
        comparisons.push(cells);
    }
    comparisons.chart = Some(
        ChartSpec::new(ChartKind::Column, "Scores by objective", 0, (2..header.len()).collect())
            .with_axes("objective", "score 0–4"),
    );
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
    let mut peers = Table::new("Cities like this one", &["by", "city", "country", "distance", "shared", "case study"]);
    for (by, list) in [("regional profile", &r.peers_by_region), ("score profile", &r.peers_by_scores)] {
        for p in list {
            peers.push(vec![
                Cell::from(by),
                Cell::from(&p.city),
                Cell::from(p.country.clone()),
                Cell::from(p.distance),
                Cell::from(p.shared),
                Cell::from(if p.case_study { "yes" } else { "no" }),
            ]);
        }
    }
    vec![scores, evidence, indicators, actions, comparisons, practices, peers]
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
