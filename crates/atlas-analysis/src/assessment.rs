//! A city's self-assessment against the 12-objective checklist: comparisons (radar data against another city, the
//! city's earlier assessments, a workshop round's average, or all assessments), "cities like mine" by regional
//! profile and by score profile, the case-study practices for each weak objective ranked by how well their context
//! matches, the action plan's overdue and stalled actions, and the progress between two assessments.
//!
//! Pure: no SQL, no egui. Dates are `YYYY-MM-DD` text; "today" is always passed in.
//!
//! # What the window's Self-assessment view shows and calls
//!
//! State: an `AssessmentDesk` (in the session crate) (`AssessmentDesk::load(store)`; every
//! edit through its methods, Ctrl+Z/Ctrl+Shift+Z → `desk.undo/redo(store)`; a returned error is one line to show,
//! nothing was changed). Evidence = `atlas.evidence` plus `user_evidence(&ws.records, &atlas.cities)`.
//!
//! - **City and assessment picker**: [`assessable_cities`] (the ten, cities added for imports, assessed ones) and
//!   [`of_city`]; "New assessment" → `Assessment::new(city, country, date, author)`, then `desk.save_assessment`.
//!   "Adopt a workshop round": [`round_participants`] of a round, then `desk.adopt_round(...)`.
//! - **Scores**: 12 rows (number, [`objective_title`], a 0–4 selector or "not assessed", justification text) →
//!   `desk.edit_assessment(store, uuid, |a| a.set_score(n, score, text))`. Evidence list per objective: kind
//!   (`LinkKind`), target, title from [`Report::evidence`]; records open in the explorer by id.
//! - **Radar**: series from [`Report::radar`] or [`comparison`] with a [`CompareWith`] chosen in a combo box (a
//!   city, an earlier assessment, a round, all assessments). With egui_plot: one `Line` per run of
//!   [`radar_outline`] (a broken line where an objective is not scored), the grid from [`radar_grid`], labels
//!   `1`–`12` at [`radar_label_at`]`(n, 1.12)`, `data_aspect(1.0)`, axes hidden. With a painter: [`to_screen`]
//!   maps the same points (y down). Beside it, always, the accessible table [`radar_table`] (objective × series).
//! - **Cities like mine**: [`Report::peers_by_region`] with [`REGION_DISTANCE_NOTE`], and
//!   [`Report::peers_by_scores`] with [`SCORE_DISTANCE_NOTE`] (city, country, distance, on how many shared).
//! - **Learn**: [`Report::weak`] (objectives scored ≤ [`WEAK_SCORE`], weakest first), each with its practices,
//!   points and reasons; [`Report::context`]`.basis` says what they were matched against; a practice opens in
//!   the explorer; "Plan an action from this" → `new_action(city, objective, title)` with `practices = [id]`.
//! - **Indicators**: per objective, `desk.save_indicator(new_indicator(...))`, `desk.set_indicator_value(...)`;
//!   linking to the regional database shows [`region_reading`] (value, rank of n, "reference year not given").
//!   Chart over time: [`indicator_series`] (x = days since the first value, with its date for the tick label),
//!   the target as a horizontal line.
//! - **Action plan**: [`Report::actions`] (overdue first, then stalled), flags from [`ActionState`], the
//!   [`STALLED_AFTER_DAYS`] rule written under the list; `desk.add_progress(store, uuid, date, text, status)`.
//! - **Progress**: [`Report::progress`] (objectives up/down, actions done in between, indicators with their target).
//! - **Export**: `export::assessment::{markdown, html, tables → write_xlsx, scores_csv}`; "Add to story" uses
//!   `export::assessment::slide` for the slide's title and speaker notes.

use std::collections::BTreeSet;

use atlas_core::answer_format::{ROUND_LEVELS, gap_code, score_code};
use atlas_core::dataset::GAP_TYPES;
use atlas_core::model::{AnswerSet, Atlas, City, Evidence, EvidenceKind, Origin};
use atlas_core::records::assessments::{
    Action, ActionStatus, Assessment, CityIndicator, Direction, IndicatorValue, LinkKind, MAX_SCORE, OBJECTIVES,
    ObjectiveScore,
};
use atlas_core::text::fold;

/// A score at or below this is weak: the objectives for which peers' practices are suggested.
pub const WEAK_SCORE: i64 = 2;
/// An open action (planned or in progress) with no progress note for this many days is stalled; without any note,
/// the days are counted from when the action was created.
pub const STALLED_AFTER_DAYS: i64 = 90;
/// Regional profiles are compared on at least this many indicators both regions have.
pub const MIN_SHARED_INDICATORS: usize = 3;
/// Score profiles are compared on at least this many objectives both assessments scored.
pub const MIN_SHARED_OBJECTIVES: usize = 6;
/// How "cities like mine" by regional profile are measured, for the reader.
pub const REGION_DISTANCE_NOTE: &str = "Distance between regional profiles: for each indicator of the OECD regional \
    database, the foreign-born value is turned into a z-score over all regions with data; the distance is the root \
    mean square of the differences over the indicators both regions have (at least 3). 0 means identical profiles; \
    two regions whose values were unrelated would differ by about 1.4 (√2) on average.";
/// How "cities like mine" by score profile are measured, for the reader.
pub const SCORE_DISTANCE_NOTE: &str = "Distance between score profiles: the mean absolute difference of the 0–4 \
    scores over the objectives both latest assessments scored (at least 6). 0 means the same scores; 4 the \
    opposite.";

// ── cities ──────────────────────────────────────────────────────────────────────────────────────

/// The case-study city a typed name means (name, local name, code or id, folded), if any.
pub fn case_study_city<'a>(atlas: &'a Atlas, name: &str) -> Option<&'a City> {
    let key = fold(name.trim());
    atlas.cities.iter().find(|c| {
        fold(&c.name) == key
            || fold(&c.id) == key
            || fold(&c.code) == key
            || c.local_names.iter().any(|n| fold(n) == key)
    })
}

/// Whether two city names mean the same city (folded, or the same case-study city).
pub fn same_city(atlas: &Atlas, a: &str, b: &str) -> bool {
    if fold(a.trim()) == fold(b.trim()) {
        return true;
    }
    match (case_study_city(atlas, a), case_study_city(atlas, b)) {
        (Some(x), Some(y)) => x.id == y.id,
        _ => false,
    }
}

/// The name an assessment's city is shown and stored by: a case-study city's own name, else the name as typed.
pub fn city_name(atlas: &Atlas, typed: &str) -> String {
    case_study_city(atlas, typed).map_or_else(|| typed.trim().to_owned(), |c| c.name.clone())
}

/// The TL2 region of an assessment's city: its own, else the case-study city's.
pub fn city_region(atlas: &Atlas, a: &Assessment) -> Option<String> {
    a.region.clone().or_else(|| case_study_city(atlas, &a.city).map(|c| c.region_code.clone()))
}

/// The country of an assessment's city: its own, else the case-study city's.
pub fn city_country(atlas: &Atlas, a: &Assessment) -> Option<String> {
    a.country.clone().or_else(|| case_study_city(atlas, &a.city).map(|c| c.country.clone()))
}

/// The cities an assessment can be for, for the city picker: the ten case-study cities, the cities users added for
/// imports (`extra`, from [`AnswerSet::extra_cities`]), and every city already assessed; (name, country), each
/// once, case-study cities first.
pub fn assessable_cities(
    atlas: &Atlas,
    extra: &[(String, Option<String>)],
    assessments: &[Assessment],
) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> =
        atlas.cities.iter().map(|c| (c.name.clone(), Some(c.country.clone()))).collect();
    let more = extra
        .iter()
        .cloned()
        .chain(assessments.iter().filter(|a| a.deleted_at.is_none()).map(|a| (a.city.clone(), city_country(atlas, a))));
    for (name, country) in more {
        if !name.trim().is_empty() && !out.iter().any(|(n, _)| same_city(atlas, n, &name)) {
            out.push((name, country));
        }
    }
    out
}

/// Live assessments of one city, oldest first.
pub fn of_city<'a>(atlas: &Atlas, assessments: &'a [Assessment], city: &str) -> Vec<&'a Assessment> {
    let mut list: Vec<&Assessment> =
        assessments.iter().filter(|a| a.deleted_at.is_none() && same_city(atlas, &a.city, city)).collect();
    list.sort_by(|a, b| a.assessed_on.cmp(&b.assessed_on).then(a.created_at.cmp(&b.created_at)));
    list
}

/// The latest live assessment of each city, by city name.
pub fn latest_by_city<'a>(atlas: &Atlas, assessments: &'a [Assessment]) -> Vec<&'a Assessment> {
    let mut out: Vec<&Assessment> = Vec::new();
    for a in assessments.iter().filter(|a| a.deleted_at.is_none()) {
        match out.iter().position(|x| same_city(atlas, &x.city, &a.city)) {
            Some(i)
                if (a.assessed_on.as_str(), a.created_at.as_str())
                    > (out[i].assessed_on.as_str(), out[i].created_at.as_str()) =>
            {
                out[i] = a
            }
            Some(_) => {}
            None => out.push(a),
        }
    }
    out.sort_by_key(|a| fold(&a.city));
    out
}

/// The mean of the scored objectives, if any is scored.
pub fn mean_score(a: &Assessment) -> Option<f64> {
    let scores: Vec<f64> = a.scores.iter().filter_map(|s| s.score).map(|s| s as f64).collect();
    (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64)
}

// ── radar ───────────────────────────────────────────────────────────────────────────────────────

/// One line of a radar chart: a value 0–4 (or none) per objective 1–12, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct RadarSeries {
    pub label: String,
    /// `values[k]` is objective `k + 1`.
    pub values: Vec<Option<f64>>,
    /// How many assessments or participants the values come from (1 for a single assessment).
    pub n: usize,
}

/// What the radar compares an assessment with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompareWith {
    /// Another city's latest assessment.
    City(String),
    /// One of the city's earlier assessments (uuid).
    Earlier(String),
    /// The average of a workshop round's scores (round uuid).
    Round(String),
    /// The average of every city's latest assessment.
    AllAssessments,
}

/// An assessment's scores as a radar series labelled "City, date".
pub fn series_of(a: &Assessment) -> RadarSeries {
    RadarSeries {
        label: format!("{}, {}", a.city, a.assessed_on),
        values: (1..=OBJECTIVES).map(|n| a.score(n).map(|s| s as f64)).collect(),
        n: 1,
    }
}

/// The city's earlier live assessments (before `a`), newest first.
pub fn earlier<'a>(atlas: &Atlas, assessments: &'a [Assessment], a: &Assessment) -> Vec<&'a Assessment> {
    let mut list: Vec<&Assessment> = of_city(atlas, assessments, &a.city)
        .into_iter()
        .filter(|x| {
            x.uuid != a.uuid
                && (x.assessed_on.as_str(), x.created_at.as_str()) < (a.assessed_on.as_str(), a.created_at.as_str())
        })
        .collect();
    list.reverse();
    list
}

/// The mean score per objective of a workshop round's participants.
pub fn round_average(set: &AnswerSet, round_uuid: &str) -> Option<RadarSeries> {
    let (round, people) = super::rounds::participants(set, round_uuid)?;
    let title = &set.rounds[round].title;
    let values = (1..=OBJECTIVES)
        .map(|n| {
            let q = set.question_index(&score_code(n))?;
            let scores: Vec<f64> =
                people.iter().filter_map(|r| set.answer(*r, q)).filter_map(|a| a.value_num).collect();
            (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64)
        })
        .collect();
    Some(RadarSeries { label: format!("Round “{title}” average"), values, n: people.len() })
}

/// The mean score per objective of every city's latest assessment (objectives nobody scored stay empty).
pub fn sample_average(atlas: &Atlas, assessments: &[Assessment]) -> Option<RadarSeries> {
    let latest = latest_by_city(atlas, assessments);
    if latest.is_empty() {
        return None;
    }
    let values = (1..=OBJECTIVES)
        .map(|n| {
            let scores: Vec<f64> = latest.iter().filter_map(|a| a.score(n)).map(|s| s as f64).collect();
            (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64)
        })
        .collect();
    Some(RadarSeries {
        label: format!("All assessed cities ({} latest assessments)", latest.len()),
        values,
        n: latest.len(),
    })
}

/// The series to draw beside an assessment for one choice of comparison; `None` when there is nothing to compare
/// with (no such city, assessment or round).
pub fn comparison(
    atlas: &Atlas,
    assessments: &[Assessment],
    answers: Option<&AnswerSet>,
    with: &CompareWith,
) -> Option<RadarSeries> {
    match with {
        CompareWith::City(city) => {
            latest_by_city(atlas, assessments).into_iter().find(|a| same_city(atlas, &a.city, city)).map(series_of)
        }
        CompareWith::Earlier(uuid) => {
            assessments.iter().find(|a| &a.uuid == uuid && a.deleted_at.is_none()).map(series_of)
        }
        CompareWith::Round(uuid) => round_average(answers?, uuid),
        CompareWith::AllAssessments => sample_average(atlas, assessments),
    }
}

/// The angle of objective `n`'s spoke, in radians: objective 1 straight up, the others clockwise, 30° apart.
pub fn radar_angle(objective: i64) -> f64 {
    std::f64::consts::FRAC_PI_2 - std::f64::consts::TAU * (objective - 1) as f64 / OBJECTIVES as f64
}

/// Where score `value` of objective `n` sits on a radar of radius 1 centred on (0, 0), y pointing up (as in
/// egui_plot): radius `value / 4` along the objective's spoke. A painter (y pointing down) uses [`to_screen`].
pub fn radar_point(objective: i64, value: f64) -> [f64; 2] {
    let r = value.clamp(0.0, MAX_SCORE as f64) / MAX_SCORE as f64;
    let a = radar_angle(objective);
    [r * a.cos(), r * a.sin()]
}

/// The end of objective `n`'s spoke pushed out to `radius` (1.0 = the outer ring), for its label.
pub fn radar_label_at(objective: i64, radius: f64) -> [f64; 2] {
    let a = radar_angle(objective);
    [radius * a.cos(), radius * a.sin()]
}

/// The lines to draw for one series: runs of consecutive scored objectives as polylines, closed (first point
/// repeated) when all 12 are scored. An unscored objective breaks the line rather than being drawn as 0.
pub fn radar_outline(values: &[Option<f64>]) -> Vec<Vec<[f64; 2]>> {
    outline_runs(values, |k, v| radar_point(k as i64 + 1, v))
}

/// The lines of one series on any radar whose axis `k` (from 0) puts value `v` at `point(k, v)`: runs of
/// consecutive values as polylines, closed (first point repeated) when every axis has a value; a missing value
/// breaks the line. The window, the exports and the report's figures all draw through this.
pub fn outline_runs(values: &[Option<f64>], point: impl Fn(usize, f64) -> [f64; 2]) -> Vec<Vec<[f64; 2]>> {
    let n = values.len();
    if n == 0 {
        return Vec::new();
    }
    let at = |k: usize| values[k].map(|v| point(k, v));
    if values.iter().all(Option::is_some) {
        let mut ring: Vec<[f64; 2]> = (0..n).filter_map(at).collect();
        ring.push(ring[0]);
        return vec![ring];
    }
    // Start just after a gap so that a run crossing the last axis → the first stays one line.
    let start = (0..n).find(|k| values[*k].is_none()).map_or(0, |g| (g + 1) % n);
    let mut runs = Vec::new();
    let mut current: Vec<[f64; 2]> = Vec::new();
    for step in 0..n {
        match at((start + step) % n) {
            Some(p) => current.push(p),
            None if !current.is_empty() => runs.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// A radar chart's grid: the rings (closed polygons) and the spokes (from the centre out).
pub type RadarGrid = (Vec<Vec<[f64; 2]>>, Vec<[[f64; 2]; 2]>);

/// The grid: for each ring score 1–4, a closed 12-gon of radius score/4; and the 12 spokes from the centre.
pub fn radar_grid() -> RadarGrid {
    let rings = (1..=MAX_SCORE)
        .map(|s| {
            let mut ring: Vec<[f64; 2]> = (1..=OBJECTIVES).map(|n| radar_point(n, s as f64)).collect();
            ring.push(ring[0]);
            ring
        })
        .collect();
    let spokes = (1..=OBJECTIVES).map(|n| [[0.0, 0.0], radar_point(n, MAX_SCORE as f64)]).collect();
    (rings, spokes)
}

/// A radar point on screen: `center` in screen coordinates, `radius` the outer ring in screen units (y down).
pub fn to_screen(p: [f64; 2], center: [f32; 2], radius: f32) -> [f32; 2] {
    [center[0] + p[0] as f32 * radius, center[1] - p[1] as f32 * radius]
}

/// One row of the radar's accessible table: an objective and each series' value.
#[derive(Debug, Clone, PartialEq)]
pub struct RadarRow {
    pub objective: i64,
    pub short_title: String,
    pub values: Vec<Option<f64>>,
}

/// The table that states what the radar draws: a row per objective, a column per series.
pub fn radar_table(atlas: &Atlas, series: &[RadarSeries]) -> Vec<RadarRow> {
    (1..=OBJECTIVES)
        .map(|n| RadarRow {
            objective: n,
            short_title: objective_title(atlas, n),
            values: series.iter().map(|s| s.values.get(n as usize - 1).copied().flatten()).collect(),
        })
        .collect()
}

/// An objective's short title ("objective 7" when the atlas lacks it).
pub fn objective_title(atlas: &Atlas, n: i64) -> String {
    atlas.objectives.iter().find(|o| o.number == n).map_or_else(|| format!("objective {n}"), |o| o.short_title.clone())
}

// ── cities like mine ────────────────────────────────────────────────────────────────────────────

/// A city like the assessed one, with how far it is and on how many indicators or objectives that rests.
#[derive(Debug, Clone, PartialEq)]
pub struct Peer {
    pub city: String,
    pub country: Option<String>,
    pub region: Option<String>,
    pub distance: f64,
    pub shared: usize,
    /// Whether it is one of the ten case-study cities (with practices to learn from).
    pub case_study: bool,
}

/// Per indicator of the atlas, (mean, standard deviation) of the foreign-born values over all regions with one.
fn indicator_spread(atlas: &Atlas) -> Vec<(String, f64, f64)> {
    atlas
        .indicators
        .iter()
        .filter_map(|ind| {
            let values: Vec<f64> =
                atlas.region_values.iter().filter(|v| v.indicator == ind.code).filter_map(|v| v.fb).collect();
            if values.len() < 2 {
                return None;
            }
            let mean = values.iter().sum::<f64>() / values.len() as f64;
            let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64).sqrt();
            (sd > 0.0).then(|| (ind.code.clone(), mean, sd))
        })
        .collect()
}

fn region_profile(atlas: &Atlas, spread: &[(String, f64, f64)], region: &str) -> Vec<Option<f64>> {
    spread
        .iter()
        .map(|(code, mean, sd)| {
            atlas
                .region_values
                .iter()
                .find(|v| v.indicator == *code && v.region == region)
                .and_then(|v| v.fb)
                .map(|x| (x - mean) / sd)
        })
        .collect()
}

/// The distance between two regions' profiles (see [`REGION_DISTANCE_NOTE`]) and the indicators it rests on;
/// `None` below [`MIN_SHARED_INDICATORS`].
pub fn region_distance(atlas: &Atlas, a: &str, b: &str) -> Option<(f64, usize)> {
    let spread = indicator_spread(atlas);
    let (pa, pb) = (region_profile(atlas, &spread, a), region_profile(atlas, &spread, b));
    let diffs: Vec<f64> = pa.iter().zip(&pb).filter_map(|(x, y)| Some((x.as_ref()? - y.as_ref()?).powi(2))).collect();
    (diffs.len() >= MIN_SHARED_INDICATORS)
        .then(|| ((diffs.iter().sum::<f64>() / diffs.len() as f64).sqrt(), diffs.len()))
}

/// Cities whose TL2 region's migrant-integration profile is closest to that of `region`: the ten case-study cities
/// and every other assessed city whose region is known, nearest first. The city itself is left out.
pub fn peers_by_region(atlas: &Atlas, assessments: &[Assessment], city: &str, region: &str) -> Vec<Peer> {
    let spread = indicator_spread(atlas);
    let own = region_profile(atlas, &spread, region);
    let mut candidates: Vec<(String, Option<String>, String, bool)> =
        atlas.cities.iter().map(|c| (c.name.clone(), Some(c.country.clone()), c.region_code.clone(), true)).collect();
    for a in latest_by_city(atlas, assessments) {
        if case_study_city(atlas, &a.city).is_some() {
            continue;
        }
        if let Some(r) = city_region(atlas, a) {
            candidates.push((a.city.clone(), city_country(atlas, a), r, false));
        }
    }
    let mut peers: Vec<Peer> = candidates
        .into_iter()
        .filter(|(name, ..)| !same_city(atlas, name, city))
        .filter_map(|(name, country, r, case_study)| {
            let other = region_profile(atlas, &spread, &r);
            let diffs: Vec<f64> =
                own.iter().zip(&other).filter_map(|(x, y)| Some((x.as_ref()? - y.as_ref()?).powi(2))).collect();
            (diffs.len() >= MIN_SHARED_INDICATORS).then(|| Peer {
                city: name,
                country,
                region: Some(r),
                distance: (diffs.iter().sum::<f64>() / diffs.len() as f64).sqrt(),
                shared: diffs.len(),
                case_study,
            })
        })
        .collect();
    peers.sort_by(|a, b| a.distance.total_cmp(&b.distance).then(a.city.cmp(&b.city)));
    peers
}

/// Cities whose latest assessment scored most like `a` (see [`SCORE_DISTANCE_NOTE`]), nearest first.
pub fn peers_by_scores(atlas: &Atlas, assessments: &[Assessment], a: &Assessment) -> Vec<Peer> {
    let mut peers: Vec<Peer> = latest_by_city(atlas, assessments)
        .into_iter()
        .filter(|other| !same_city(atlas, &other.city, &a.city))
        .filter_map(|other| {
            let diffs: Vec<f64> =
                (1..=OBJECTIVES).filter_map(|n| Some((a.score(n)? - other.score(n)?).abs() as f64)).collect();
            (diffs.len() >= MIN_SHARED_OBJECTIVES).then(|| Peer {
                city: other.city.clone(),
                country: city_country(atlas, other),
                region: city_region(atlas, other),
                distance: diffs.iter().sum::<f64>() / diffs.len() as f64,
                shared: diffs.len(),
                case_study: case_study_city(atlas, &other.city).is_some(),
            })
        })
        .collect();
    peers.sort_by(|x, y| x.distance.total_cmp(&y.distance).then(x.city.cmp(&y.city)));
    peers
}

// ── learning from practices ─────────────────────────────────────────────────────────────────────

/// What a practice's context is matched against.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Context {
    pub city: String,
    pub country: Option<String>,
    pub gap_types: Vec<String>,
    pub levels: Vec<String>,
    /// Where the gap types and levels come from, for the reader.
    pub basis: String,
}

/// The context of an assessed city: its country, and the gap types and levels the assessment reports — or, when it
/// reports none and the city is a case-study city, those of its challenges in the evidence.
pub fn context(atlas: &Atlas, evidence: &[Evidence], a: &Assessment) -> Context {
    let country = city_country(atlas, a);
    if !a.gap_types.is_empty() || !a.levels.is_empty() {
        return Context {
            city: a.city.clone(),
            country,
            gap_types: a.gap_types.clone(),
            levels: a.levels.clone(),
            basis: "the gaps and levels this assessment reports".to_owned(),
        };
    }
    if let Some(c) = case_study_city(atlas, &a.city) {
        let challenges: Vec<&Evidence> =
            evidence.iter().filter(|e| e.kind == EvidenceKind::Challenge && e.city == c.id).collect();
        let gaps: BTreeSet<String> = challenges.iter().map(|e| e.gap_type.clone()).filter(|g| !g.is_empty()).collect();
        let levels: BTreeSet<String> = challenges.iter().flat_map(|e| e.levels.iter().cloned()).collect();
        return Context {
            city: a.city.clone(),
            country,
            gap_types: gaps.into_iter().collect(),
            levels: levels.into_iter().collect(),
            basis: format!("the gaps and levels of {}'s challenges in the case study", c.name),
        };
    }
    Context {
        city: a.city.clone(),
        country,
        basis: "the city's country only (no gaps or levels reported)".to_owned(),
        ..Context::default()
    }
}

/// A practice suggested for a weak objective, with its context-match points and the reasons for them.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedPractice {
    pub id: String,
    pub title: String,
    pub city_name: String,
    pub country: String,
    pub origin: Origin,
    pub points: u32,
    /// E.g. "same country (DEU)", "addresses a funding gap, which Vienna faces", "involves the same levels or actors:
    /// national".
    pub reasons: Vec<String>,
}

/// A weak objective and the practices coded to it, best match first.
#[derive(Debug, Clone, PartialEq)]
pub struct WeakObjective {
    pub objective: i64,
    pub short_title: String,
    pub score: i64,
    pub practices: Vec<RankedPractice>,
}

/// Points for a matching country, gap type and each shared level of government.
pub const POINTS_COUNTRY: u32 = 3;
pub const POINTS_GAP: u32 = 2;
pub const POINTS_LEVEL: u32 = 1;

/// Scores how well a practice's context matches: [`POINTS_COUNTRY`] for the same country, [`POINTS_GAP`] for a gap
/// type the city reports, [`POINTS_LEVEL`] per level of government both involve; with the reasons.
pub fn match_practice(ctx: &Context, p: &Evidence) -> (u32, Vec<String>) {
    let mut points = 0;
    let mut reasons = Vec::new();
    if ctx.country.as_deref().is_some_and(|c| !c.is_empty() && c == p.country) {
        points += POINTS_COUNTRY;
        reasons.push(format!("same country ({})", p.country));
    }
    if !p.gap_type.is_empty() && ctx.gap_types.contains(&p.gap_type) {
        points += POINTS_GAP;
        let article = if p.gap_type.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        reasons.push(format!("addresses {article} {} gap, which {} faces", p.gap_type, ctx.city));
    }
    let shared: Vec<&String> = p.levels.iter().filter(|l| ctx.levels.contains(*l)).collect();
    if !shared.is_empty() {
        points += POINTS_LEVEL * shared.len() as u32;
        let names: Vec<&str> = shared.iter().map(|s| s.as_str()).collect();
        reasons.push(format!("involves the same levels or actors: {}", names.join(", ")));
    }
    (points, reasons)
}

/// For each objective scored at or below [`WEAK_SCORE`] (weakest first), the practices coded to it (as main or
/// additional objective; shipped and own, other cities' only), ranked by context match, then id.
pub fn learn(atlas: &Atlas, evidence: &[Evidence], a: &Assessment) -> Vec<WeakObjective> {
    let ctx = context(atlas, evidence, a);
    let own_id = case_study_city(atlas, &a.city).map(|c| c.id.clone());
    let mut weak: Vec<WeakObjective> = a
        .scores
        .iter()
        .filter_map(|s| Some((s.objective, s.score?)))
        .filter(|(_, score)| *score <= WEAK_SCORE)
        .map(|(n, score)| {
            let mut practices: Vec<RankedPractice> = evidence
                .iter()
                .filter(|e| e.kind == EvidenceKind::Practice)
                .filter(|e| e.objective == Some(n) || e.objective_also.contains(&n))
                .filter(|e| Some(&e.city) != own_id.as_ref() && fold(&e.city_name) != fold(&a.city))
                .map(|e| {
                    let (points, reasons) = match_practice(&ctx, e);
                    RankedPractice {
                        id: e.id.clone(),
                        title: e.title.clone(),
                        city_name: e.city_name.clone(),
                        country: e.country.clone(),
                        origin: e.origin,
                        points,
                        reasons,
                    }
                })
                .collect();
            practices.sort_by(|x, y| y.points.cmp(&x.points).then(x.id.cmp(&y.id)));
            WeakObjective { objective: n, short_title: objective_title(atlas, n), score, practices }
        })
        .collect();
    weak.sort_by(|x, y| x.score.cmp(&y.score).then(x.objective.cmp(&y.objective)));
    weak
}

// ── action plan ─────────────────────────────────────────────────────────────────────────────────

/// Where an action stands on `today`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActionState {
    /// Still open (planned or in progress) after its due date.
    pub overdue: bool,
    pub days_overdue: Option<i64>,
    /// Open with no progress note for [`STALLED_AFTER_DAYS`] days or more.
    pub stalled: bool,
    /// The date of the last progress note, if any.
    pub last_progress: Option<String>,
    /// Days since the last progress note (or since the action was created, without one).
    pub days_quiet: Option<i64>,
}

fn date(text: &str) -> Option<jiff::civil::Date> {
    text.get(..10)?.parse().ok()
}

/// Days from `from` to `to` (both `YYYY-MM-DD`, or timestamps starting with one).
pub fn days_between(from: &str, to: &str) -> Option<i64> {
    let (a, b) = (date(from)?, date(to)?);
    a.until(b).ok().map(|span| i64::from(span.get_days()))
}

/// Whether an action is still open.
pub fn is_open(a: &Action) -> bool {
    a.status.is_open()
}

pub fn action_state(a: &Action, today: &str) -> ActionState {
    let last_progress = a.progress.iter().map(|p| p.on.clone()).max();
    let quiet_since = last_progress.clone().unwrap_or_else(|| a.created_at.chars().take(10).collect());
    let days_quiet = days_between(&quiet_since, today);
    let days_overdue = a.due_on.as_deref().and_then(|d| days_between(d, today)).filter(|d| *d > 0);
    ActionState {
        overdue: is_open(a) && days_overdue.is_some(),
        days_overdue: if is_open(a) { days_overdue } else { None },
        stalled: is_open(a) && days_quiet.is_some_and(|d| d >= STALLED_AFTER_DAYS),
        last_progress,
        days_quiet,
    }
}

/// The city's live actions with their state, overdue first, then stalled, then by objective and due date.
pub fn plan<'a>(atlas: &Atlas, actions: &'a [Action], city: &str, today: &str) -> Vec<(&'a Action, ActionState)> {
    let mut out: Vec<(&Action, ActionState)> = actions
        .iter()
        .filter(|a| a.deleted_at.is_none() && same_city(atlas, &a.city, city))
        .map(|a| (a, action_state(a, today)))
        .collect();
    out.sort_by(|(a, sa), (b, sb)| {
        sb.overdue
            .cmp(&sa.overdue)
            .then(sb.stalled.cmp(&sa.stalled))
            .then(a.objective.cmp(&b.objective))
            .then(a.due_on.cmp(&b.due_on))
            .then(a.title.cmp(&b.title))
    });
    out
}

// ── indicators ──────────────────────────────────────────────────────────────────────────────────

/// A regional-database reading for a linked indicator: the region's foreign-born value and its rank in the country.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionReading {
    pub indicator: String,
    pub indicator_name: String,
    pub unit: String,
    pub region: String,
    pub region_name: String,
    pub value: Option<f64>,
    pub comparison: Option<f64>,
    /// 1 = highest foreign-born value among the country's regions with data.
    pub rank: Option<usize>,
    pub ranked_of: usize,
    pub country_mean: Option<f64>,
}

/// The regional database's value for `indicator` in `region`, with its rank: what a linked indicator is pre-filled
/// with. The regional data carry no reference year, so it is shown as such and never stored as a dated value.
pub fn region_reading(atlas: &Atlas, region: &str, indicator: &str) -> Option<RegionReading> {
    let ind = atlas.indicator(indicator)?;
    let reg = atlas.region(region)?;
    let s = super::regions::standings(atlas, region).into_iter().find(|s| s.indicator == indicator)?;
    Some(RegionReading {
        indicator: ind.code.clone(),
        indicator_name: ind.name.clone(),
        unit: ind.unit.clone(),
        region: reg.code.clone(),
        region_name: reg.name.clone(),
        value: s.fb,
        comparison: s.comparison,
        rank: s.rank,
        ranked_of: s.ranked_of,
        country_mean: s.country_mean_fb,
    })
}

/// The last value of an indicator on or before `on` (`None`: none by then).
pub fn value_at<'a>(i: &'a CityIndicator, on: &str) -> Option<&'a IndicatorValue> {
    i.values.iter().filter(|v| v.on.as_str() <= on).max_by(|a, b| a.on.cmp(&b.on))
}

/// Whether going from `before` to `after` is better for this indicator (`None` when unchanged).
pub fn is_better(i: &CityIndicator, before: f64, after: f64) -> Option<bool> {
    if after == before {
        return None;
    }
    Some(if i.direction == Direction::Lower { after < before } else { after > before })
}

/// Whether a value meets the indicator's target (`None` without a target).
pub fn meets_target(i: &CityIndicator, value: f64) -> Option<bool> {
    let t = i.target?;
    Some(if i.direction == Direction::Lower { value <= t } else { value >= t })
}

/// An indicator's values over time as plot points: (days since its first value, value), with the dates.
pub fn indicator_series(i: &CityIndicator) -> Vec<(String, f64, f64)> {
    let Some(first) = i.values.first() else { return Vec::new() };
    i.values.iter().filter_map(|v| Some((v.on.clone(), days_between(&first.on, &v.on)? as f64, v.value))).collect()
}

// ── progress ────────────────────────────────────────────────────────────────────────────────────

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectiveChange {
    pub objective: i64,
    pub short_title: String,
    pub before: Option<i64>,
    pub after: Option<i64>,
}

impl ObjectiveChange {
    pub fn change(&self) -> Option<i64> {
        Some(self.after? - self.before?)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorChange {
    pub uuid: String,
    pub objective: i64,
    pub name: String,
    pub unit: String,
    pub before: Option<IndicatorValue>,
    pub after: Option<IndicatorValue>,
    /// Whether the change goes the indicator's better way (`None`: unchanged or not measurable).
    pub better: Option<bool>,
    pub target: Option<f64>,
    pub target_met: Option<bool>,
}

/// What changed between two assessments of a city.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub from: String,
    pub to: String,
    pub objectives: Vec<ObjectiveChange>,
    pub improved: usize,
    pub worsened: usize,
    pub unchanged: usize,
    pub mean_before: Option<f64>,
    pub mean_after: Option<f64>,
    /// Titles of the city's actions done in between (by the date of their last progress note).
    pub actions_done: Vec<String>,
    pub indicators: Vec<IndicatorChange>,
}

pub fn progress(
    atlas: &Atlas,
    earlier: &Assessment,
    later: &Assessment,
    indicators: &[CityIndicator],
    actions: &[Action],
) -> Progress {
    let objectives: Vec<ObjectiveChange> = (1..=OBJECTIVES)
        .map(|n| ObjectiveChange {
            objective: n,
            short_title: objective_title(atlas, n),
            before: earlier.score(n),
            after: later.score(n),
        })
        .collect();
    let count = |f: fn(i64) -> bool| objectives.iter().filter_map(ObjectiveChange::change).filter(|c| f(*c)).count();
    let (from, to) = (earlier.assessed_on.clone(), later.assessed_on.clone());
    let actions_done = actions
        .iter()
        .filter(|a| a.deleted_at.is_none() && a.status == ActionStatus::Done && same_city(atlas, &a.city, &later.city))
        .filter(|a| {
            let done_on: String = a
                .progress
                .iter()
                .map(|p| p.on.clone())
                .max()
                .unwrap_or_else(|| a.updated_at.chars().take(10).collect());
            done_on.as_str() > from.as_str() && done_on.as_str() <= to.as_str()
        })
        .map(|a| a.title.clone())
        .collect();
    let indicators = indicators
        .iter()
        .filter(|i| i.deleted_at.is_none() && same_city(atlas, &i.city, &later.city))
        .map(|i| {
            let before = value_at(i, &from).cloned();
            let after = value_at(i, &to).cloned();
            let better = match (&before, &after) {
                (Some(b), Some(a)) => is_better(i, b.value, a.value),
                _ => None,
            };
            IndicatorChange {
                uuid: i.uuid.clone(),
                objective: i.objective,
                name: i.name.clone(),
                unit: i.unit.clone(),
                target_met: after.as_ref().and_then(|a| meets_target(i, a.value)),
                before,
                after,
                better,
                target: i.target,
            }
        })
        .collect();
    Progress {
        improved: count(|c| c > 0),
        worsened: count(|c| c < 0),
        unchanged: count(|c| c == 0),
        mean_before: mean_score(earlier),
        mean_after: mean_score(later),
        objectives,
        from,
        to,
        actions_done,
        indicators,
    }
}

// ── adopting a workshop round ───────────────────────────────────────────────────────────────────

/// The participants of a round who gave at least one checklist score: (respondent id, city named).
pub fn round_participants(set: &AnswerSet, round_uuid: &str) -> Vec<(String, Option<String>)> {
    let Some((_, people)) = super::rounds::participants(set, round_uuid) else { return Vec::new() };
    let questions: Vec<usize> = (1..=OBJECTIVES).filter_map(|n| set.question_index(&score_code(n))).collect();
    people
        .into_iter()
        .filter(|r| questions.iter().any(|q| set.answer(*r, *q).and_then(|a| a.value_num).is_some()))
        .map(|r| (set.respondents[r].id.clone(), set.respondents[r].city.clone()))
        .collect()
}

/// A participant's answers in a workshop round as a new assessment (not yet saved): the 0–4 scores, the gap types
/// and levels they ticked, the city they named (or their id), the round's date (else the answers' date, else the
/// day the round was created). Justifications start empty. `None` if there is no such round or participant, or
/// they scored nothing.
pub fn assessment_from_round(
    atlas: &Atlas,
    set: &AnswerSet,
    round_uuid: &str,
    respondent_id: &str,
    assessor: &str,
) -> Option<Assessment> {
    let (round, people) = super::rounds::participants(set, round_uuid)?;
    let r = people.into_iter().find(|r| set.respondents[*r].id == respondent_id)?;
    let person = &set.respondents[r];
    let round_info = &set.rounds[round];
    let mut scores = Vec::new();
    let mut answered_on: Option<String> = None;
    for n in 1..=OBJECTIVES {
        let answer = set.question_index(&score_code(n)).and_then(|q| set.answer(r, q));
        let score = answer
            .and_then(|a| a.value_num)
            .filter(|v| v.is_finite() && (0.0..=MAX_SCORE as f64).contains(v))
            .map(|v| v.round() as i64);
        if answered_on.is_none() {
            answered_on = answer.and_then(|a| a.answered_on.clone());
        }
        scores.push(ObjectiveScore { objective: n, score, justification: String::new() });
    }
    if scores.iter().all(|s| s.score.is_none()) {
        return None;
    }
    let mut gap_types = Vec::new();
    let mut levels = BTreeSet::new();
    for gap in GAP_TYPES {
        for level in ROUND_LEVELS {
            let ticked = set
                .question_index(&gap_code(gap, level))
                .and_then(|q| set.answer(r, q))
                .and_then(|a| a.value_num)
                .is_some_and(|v| v >= 0.5);
            if ticked {
                if !gap_types.contains(&gap.to_owned()) {
                    gap_types.push(gap.to_owned());
                }
                levels.insert(level.to_owned());
            }
        }
    }
    let typed = person.city.clone().unwrap_or_else(|| person.id.clone());
    let case = case_study_city(atlas, &typed);
    let day =
        round_info.held_on.clone().or(answered_on).unwrap_or_else(|| round_info.created_at.chars().take(10).collect());
    let mut a = Assessment::new(
        &city_name(atlas, &typed),
        person.country.as_deref().or(case.map(|c| c.country.as_str())),
        &day,
        assessor,
    );
    a.scores = scores;
    a.region = case.map(|c| c.region_code.clone());
    a.round_uuid = Some(round_info.uuid.clone());
    a.round_respondent = Some(person.id.clone());
    a.gap_types = gap_types;
    a.levels = levels.into_iter().collect();
    a.summary = format!("Adopted from the workshop round “{}”.", round_info.title);
    Some(a)
}

// ── the whole picture, for the view and the exports ─────────────────────────────────────────────

/// A piece of attached evidence with what it points at resolved for the reader.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedEvidence {
    pub objective: Option<i64>,
    pub kind: LinkKind,
    pub target: String,
    /// The record's title, the note's label, or the file path.
    pub title: String,
    /// False when a record id no longer resolves (e.g. a deleted own record).
    pub found: bool,
}

/// Everything the Self-assessment view and the exports show for one assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub assessment: Assessment,
    pub country: Option<String>,
    pub region: Option<String>,
    pub region_name: Option<String>,
    pub mean: Option<f64>,
    pub scored: usize,
    /// The assessment itself first, then: the previous assessment of the city, the source round's average (if
    /// adopted from a round), and the average of all cities' latest assessments — those that exist.
    pub radar: Vec<RadarSeries>,
    pub previous: Option<Assessment>,
    pub progress: Option<Progress>,
    pub evidence: Vec<ResolvedEvidence>,
    pub indicators: Vec<(CityIndicator, Option<RegionReading>)>,
    pub actions: Vec<(Action, ActionState)>,
    pub weak: Vec<WeakObjective>,
    pub context: Context,
    pub peers_by_region: Vec<Peer>,
    pub peers_by_scores: Vec<Peer>,
    pub today: String,
}

/// Builds the report for assessment `uuid`; `evidence` is the shipped and own records, `answers` the survey answers
/// (for a round's average). `None` if there is no such live assessment.
#[allow(clippy::too_many_arguments)]
pub fn report(
    atlas: &Atlas,
    evidence: &[Evidence],
    assessments: &[Assessment],
    indicators: &[CityIndicator],
    actions: &[Action],
    answers: Option<&AnswerSet>,
    uuid: &str,
    today: &str,
) -> Option<Report> {
    let a = assessments.iter().find(|a| a.uuid == uuid && a.deleted_at.is_none())?.clone();
    let region = city_region(atlas, &a);
    let previous = earlier(atlas, assessments, &a).first().map(|p| (*p).clone());
    let mut radar = vec![series_of(&a)];
    if let Some(p) = &previous {
        radar.push(series_of(p));
    }
    if let (Some(set), Some(round)) = (answers, &a.round_uuid)
        && let Some(s) = round_average(set, round)
    {
        radar.push(s);
    }
    if let Some(s) = sample_average(atlas, assessments) {
        radar.push(s);
    }
    let resolved = a
        .evidence
        .iter()
        .map(|e| {
            let record = e.kind.is_record().then(|| evidence.iter().find(|r| r.id == e.target)).flatten();
            let title = match (record, e.kind) {
                (Some(r), _) => format!("{} ({}, {})", r.title, r.city_name, r.kind.as_str()),
                (None, LinkKind::File) => e.target.clone(),
                (None, _) if !e.label.is_empty() => e.label.clone(),
                (None, _) => e.target.clone(),
            };
            ResolvedEvidence {
                objective: e.objective,
                kind: e.kind,
                target: e.target.clone(),
                title,
                found: record.is_some() || matches!(e.kind, LinkKind::Note | LinkKind::File),
            }
        })
        .collect();
    let city_indicators = indicators
        .iter()
        .filter(|i| i.deleted_at.is_none() && same_city(atlas, &i.city, &a.city))
        .map(|i| {
            let reading = match (&i.region, &i.region_indicator) {
                (Some(r), Some(code)) => region_reading(atlas, r, code),
                _ => None,
            };
            (i.clone(), reading)
        })
        .collect();
    let actions_now = plan(atlas, actions, &a.city, today).into_iter().map(|(x, s)| (x.clone(), s)).collect();
    Some(Report {
        country: city_country(atlas, &a),
        region_name: region.as_deref().and_then(|r| atlas.region(r)).map(|r| r.name.clone()),
        peers_by_region: region.as_deref().map(|r| peers_by_region(atlas, assessments, &a.city, r)).unwrap_or_default(),
        region,
        mean: mean_score(&a),
        scored: a.scores.iter().filter(|s| s.score.is_some()).count(),
        progress: previous.as_ref().map(|p| progress(atlas, p, &a, indicators, actions)),
        previous,
        radar,
        evidence: resolved,
        indicators: city_indicators,
        actions: actions_now,
        weak: learn(atlas, evidence, &a),
        context: context(atlas, evidence, &a),
        peers_by_scores: peers_by_scores(atlas, assessments, &a),
        today: today.to_owned(),
        assessment: a,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objective_one_points_up_and_the_spokes_go_clockwise() {
        let p = radar_point(1, 4.0);
        assert!((p[0]).abs() < 1e-9 && (p[1] - 1.0).abs() < 1e-9);
        let three = radar_point(4, 4.0);
        assert!((three[0] - 1.0).abs() < 1e-9 && three[1].abs() < 1e-9, "objective 4 at 3 o'clock: {three:?}");
        let half = radar_point(7, 2.0);
        assert!(half[0].abs() < 1e-9 && (half[1] + 0.5).abs() < 1e-9);
        assert_eq!(to_screen([0.0, 1.0], [100.0, 100.0], 50.0), [100.0, 50.0]);
    }

    #[test]
    fn an_unscored_objective_breaks_the_outline_and_a_full_one_closes() {
        let full: Vec<Option<f64>> = (0..12).map(|_| Some(2.0)).collect();
        let lines = radar_outline(&full);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].len(), 13);
        let mut gap = full.clone();
        gap[5] = None;
        let lines = radar_outline(&gap);
        assert_eq!(lines.len(), 1, "one run from objective 7 round to 5");
        assert_eq!(lines[0].len(), 11);
        gap[0] = None;
        assert_eq!(radar_outline(&gap).len(), 2);
    }

    #[test]
    fn stalled_and_overdue_follow_the_dates() {
        let mut a = Action {
            uuid: "a".into(),
            city: "X".into(),
            objective: 1,
            title: "t".into(),
            status: ActionStatus::InProgress,
            due_on: Some("2026-01-31".into()),
            created_at: "2025-01-01T00:00:00Z".into(),
            updated_at: "2025-01-01T00:00:00Z".into(),
            ..Action::default()
        };
        a.progress.push(atlas_core::records::assessments::ProgressNote { on: "2026-01-01".into(), text: "x".into() });
        let s = action_state(&a, "2026-02-10");
        assert!(s.overdue && !s.stalled);
        assert_eq!(s.days_overdue, Some(10));
        let s = action_state(&a, "2026-04-01");
        assert!(s.stalled, "{s:?}");
        a.status = ActionStatus::Done;
        let s = action_state(&a, "2026-04-01");
        assert!(!s.overdue && !s.stalled);
    }
}
