//! The views' tables as exportable [`Table`]s — built from the same in-memory data and analysis results the views
//! draw, so an export holds what is on screen. Charted views carry a [`ChartSpec`] of the charted columns.

use atlas_analysis::checklist::Matrix;
use atlas_analysis::regions::standings;
use atlas_analysis::{ExplorerResults, Series};
use atlas_core::dataset::{GAP_TYPES, tag_label};
use atlas_core::model::{Atlas, City, EvidenceKind};
use atlas_core::records::NotesRead as Workspace;

use super::table::{Cell, ChartKind, ChartSpec, Table};

/// Titles of the explorer's four charts, as the view shows them.
pub const EXPLORER_CHARTS: [&str; 4] = [
    "Records by gap type, stacked by level of government",
    "Records by policy area",
    "Records by city",
    "Records by checklist objective",
];

fn join(v: &[String]) -> String {
    v.join("; ")
}

/// A chart series as a table (category, one column per stack, total) with a native chart of the stacks.
pub fn series(title: &str, category: &str, series: &Series, stacked: bool) -> Table {
    let mut header: Vec<&str> = vec![category];
    header.extend(series.stacks.iter().map(|(name, _)| name.as_str()));
    header.push("total");
    let mut table = Table::new(title, &header);
    let totals = series.totals();
    for (i, c) in series.categories.iter().enumerate() {
        let mut row = vec![Cell::from(c)];
        row.extend(series.stacks.iter().map(|(_, v)| Cell::from(v.get(i).copied().unwrap_or(0))));
        row.push(Cell::from(totals.get(i).copied().unwrap_or(0)));
        table.push(row);
    }
    let kind = if stacked && series.stacks.len() > 1 { ChartKind::StackedBar } else { ChartKind::Bar };
    let values: Vec<usize> = (1..=series.stacks.len()).collect();
    table.chart = Some(ChartSpec::new(kind, title, 0, values).with_axes(category, "records"));
    table
}

/// The explorer: its rows in table order (every field, sources and notes count), then its four chart series.
pub fn explorer(atlas: &Atlas, ws: Option<&dyn Workspace>, results: &ExplorerResults) -> Vec<Table> {
    let mut rows = Table::new(
        "Explorer records",
        &[
            "id",
            "kind",
            "city",
            "country",
            "title",
            "gap type",
            "levels",
            "policy areas",
            "objective",
            "source tag",
            "description",
            "migrant groups",
            "objective basis",
            "year started",
            "instrument",
            "origin",
            "notes",
            "sources",
            "uncertain",
        ],
    );
    for i in &results.rows {
        let Some(e) = atlas.evidence.get(*i) else { continue };
        rows.push(vec![
            Cell::from(&e.id),
            Cell::from(e.kind.as_str()),
            Cell::from(&e.city_name),
            Cell::from(&e.country),
            Cell::from(&e.title),
            Cell::from(&e.gap_type),
            Cell::from(join(&e.levels)),
            Cell::from(join(&e.policy_areas)),
            Cell::from(e.objective),
            Cell::from(tag_label(&e.confidence)),
            Cell::from(&e.description),
            Cell::from(join(&e.migrant_groups)),
            Cell::from(e.objective_basis.clone()),
            Cell::from(e.year_started.clone()),
            Cell::from(e.instrument_detail.clone().or_else(|| e.instrument_kind.clone())),
            Cell::from(if e.origin == atlas_core::model::Origin::User { "added by authors" } else { "shipped" }),
            Cell::from(ws.map_or(0, |w| w.note_count(e.kind.into(), &e.id))),
            Cell::from(
                e.sources
                    .iter()
                    .map(|s| {
                        format!(
                            "{} [{}]",
                            if s.url.is_empty() { s.title.as_deref().unwrap_or("") } else { &s.url },
                            tag_label(&s.tag)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" ; "),
            ),
            Cell::from(e.uncertain.join(" | ")),
        ]);
    }
    vec![
        rows,
        series(EXPLORER_CHARTS[0], "gap type", &results.gap_by_level, true),
        series(EXPLORER_CHARTS[1], "policy area", &results.by_area, false),
        series(EXPLORER_CHARTS[2], "city", &results.by_city, true),
        series(EXPLORER_CHARTS[3], "objective", &results.by_objective, true),
    ]
}

/// Positions in `region_values` of one indicator's values, optionally of one country (ISO code), ordered by
/// country name and region code (the regions table's default order).
pub fn region_order(atlas: &Atlas, indicator: &str, country: &str) -> Vec<usize> {
    let mut order: Vec<(String, String, usize)> = atlas
        .region_values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.indicator == indicator)
        .filter_map(|(i, v)| {
            let r = atlas.region(&v.region)?;
            (country.is_empty() || r.country == country).then(|| (r.country_name.clone(), r.code.clone(), i))
        })
        .collect();
    order.sort();
    order.into_iter().map(|(_, _, i)| i).collect()
}

/// The regions of one indicator in the given order, with a scatter (comparison → foreign-born) as on screen, and
/// the case-study regions with clustered bars.
pub fn regions(atlas: &Atlas, indicator: &str, order: &[usize]) -> Vec<Table> {
    let ind = atlas.indicator(indicator);
    let name = ind.map_or(indicator, |i| i.name.as_str());
    let unit = ind.map_or("", |i| i.unit.as_str());
    let fb_label = ind.map_or("foreign-born", |i| i.fb_label.as_str());
    let cmp_label = ind.map_or("comparison", |i| i.comparison_label.as_str());
    let fb_col = format!("foreign-born ({unit})");
    let cmp_col = format!("comparison ({unit})");
    let header = ["region", "name", "country", &cmp_col, &fb_col, "difference", "case-study city"];
    let mut table = Table::new(&format!("Regions - {name}"), &header);
    let mut cases = Table::new(&format!("Case-study regions - {name}"), &["region", "city", &fb_col, &cmp_col]);
    for i in order {
        let Some(v) = atlas.region_values.get(*i) else { continue };
        let Some(r) = atlas.region(&v.region) else { continue };
        let cities: Vec<&str> =
            atlas.cities.iter().filter(|c| c.region_code == r.code).map(|c| c.name.as_str()).collect();
        let diff = v.diff.or_else(|| Some(v.fb? - v.comparison?));
        table.push(vec![
            Cell::from(&r.code),
            Cell::from(&r.name),
            Cell::from(&r.country_name),
            Cell::from(v.comparison),
            Cell::from(v.fb),
            Cell::from(diff),
            Cell::from(cities.join(", ")),
        ]);
        if !cities.is_empty() {
            cases.push(vec![
                Cell::from(format!("{} {}", r.code, r.name)),
                Cell::from(cities.join(", ")),
                Cell::from(v.fb),
                Cell::from(v.comparison),
            ]);
        }
    }
    let axes = (format!("{cmp_label} ({unit})"), format!("{fb_label} ({unit})"));
    table.chart = Some(
        ChartSpec::new(ChartKind::Scatter, &format!("{name}: {fb_label} vs {cmp_label}"), 3, vec![4])
            .with_axes(&axes.0, &axes.1),
    );
    cases.chart = Some(
        ChartSpec::new(ChartKind::Bar, &format!("{name}: case-study regions"), 1, vec![2, 3]).with_axes("city", unit),
    );
    vec![table, cases]
}

/// The checklist matrix: per city, challenges and practices per objective, with stacked bars of the totals.
pub fn checklist(atlas: &Atlas, matrix: &Matrix) -> Table {
    let mut header: Vec<String> = vec!["city".to_owned(), "challenges".to_owned(), "practices".to_owned()];
    for o in 1..=12 {
        header.push(format!("objective {o} challenges"));
        header.push(format!("objective {o} practices"));
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = Table::new("Checklist - cities x objectives", &header);
    for (row, city) in atlas.cities.iter().enumerate() {
        let cells = matrix.cells.get(row).copied().unwrap_or([(0, 0); 12]);
        let (c, p) = cells.iter().fold((0, 0), |(c, p), (a, b)| (c + a, p + b));
        let mut out = vec![Cell::from(&city.name), Cell::from(c), Cell::from(p)];
        for (c, p) in cells {
            out.push(Cell::from(c));
            out.push(Cell::from(p));
        }
        table.push(out);
    }
    table.chart = Some(
        ChartSpec::new(ChartKind::StackedBar, "Records coded to a checklist objective, per city", 0, vec![1, 2])
            .with_axes("city", "records"),
    );
    table
}

fn figure_value(f: &atlas_core::model::CityFigure) -> Cell {
    match (&f.value_text, f.value) {
        (Some(t), _) => Cell::from(t),
        (None, Some(v)) => Cell::from(v),
        (None, None) => Cell::from("unknown"),
    }
}

/// A city profile's tables: key figures, the city's records, and its region against the country.
pub fn city_profile(atlas: &Atlas, ws: Option<&dyn Workspace>, city: &City) -> Vec<Table> {
    let mut figures = Table::new(
        &format!("{} - key figures", city.name),
        &["figure", "value", "number", "unit", "year", "source tag", "source"],
    );
    for f in &city.figures {
        let source = f.sources.first();
        figures.push(vec![
            Cell::from(&f.label),
            figure_value(f),
            Cell::from(f.value),
            Cell::from(f.unit.clone()),
            Cell::from(f.year.clone()),
            Cell::from(source.map(|s| tag_label(&s.tag))),
            Cell::from(source.map(|s| s.url.clone())),
        ]);
    }
    let mut records = Table::new(
        &format!("{} - records", city.name),
        &["id", "kind", "title", "gap type", "objective", "source tag", "notes"],
    );
    for e in atlas.evidence.iter().filter(|e| e.city == city.id) {
        records.push(vec![
            Cell::from(&e.id),
            Cell::from(e.kind.as_str()),
            Cell::from(&e.title),
            Cell::from(&e.gap_type),
            Cell::from(e.objective),
            Cell::from(tag_label(&e.confidence)),
            Cell::from(ws.map_or(0, |w| w.note_count(e.kind.into(), &e.id))),
        ]);
    }
    let mut region = Table::new(
        &format!("{} - region {}", city.name, city.region_code),
        &[
            "indicator",
            "foreign-born",
            "comparison",
            "rank in country",
            "regions ranked",
            "country average foreign-born",
            "country average comparison",
            "unit",
        ],
    );
    for s in standings(atlas, &city.region_code) {
        let Some(ind) = atlas.indicator(&s.indicator) else { continue };
        region.push(vec![
            Cell::from(&ind.name),
            Cell::from(s.fb),
            Cell::from(s.comparison),
            Cell::from(s.rank),
            Cell::from(s.ranked_of),
            Cell::from(s.country_mean_fb),
            Cell::from(s.country_mean_comparison),
            Cell::from(&ind.unit),
        ]);
    }
    region.chart = Some(
        ChartSpec::new(
            ChartKind::Bar,
            &format!("Region {}: foreign-born vs comparison", city.region_code),
            0,
            vec![1, 2],
        )
        .with_axes("indicator", "value (unit per indicator)"),
    );
    vec![figures, records, region]
}

/// Challenges per gap type for each city (the compare view's chart).
pub fn gap_profile(atlas: &Atlas, cities: &[&City]) -> Series {
    Series {
        categories: GAP_TYPES.iter().map(|g| (*g).to_owned()).collect(),
        stacks: cities
            .iter()
            .map(|c| {
                let counts = GAP_TYPES
                    .iter()
                    .map(|g| {
                        atlas
                            .evidence
                            .iter()
                            .filter(|e| e.city == c.id && e.kind == EvidenceKind::Challenge && e.gap_type == *g)
                            .count()
                    })
                    .collect();
                (c.name.clone(), counts)
            })
            .collect(),
    }
}

/// Two cities side by side: the gap profile (chart as on screen), objectives covered, key figures.
pub fn city_compare(atlas: &Atlas, a: &City, b: &City) -> Vec<Table> {
    let gaps =
        series(&format!("Gap profile - {} and {}", a.name, b.name), "gap type", &gap_profile(atlas, &[a, b]), true);
    let mut objectives =
        Table::new(&format!("Objectives - {} and {}", a.name, b.name), &["objective", &a.name, &b.name]);
    for o in &atlas.objectives {
        let mut row = vec![Cell::from(format!("{} {}", o.number, o.short_title))];
        for c in [a, b] {
            row.push(Cell::from(
                atlas.evidence.iter().filter(|e| e.city == c.id && e.objective == Some(o.number)).count(),
            ));
        }
        objectives.push(row);
    }
    objectives.chart = Some(
        ChartSpec::new(ChartKind::Bar, "Objectives covered (challenges + practices)", 0, vec![1, 2])
            .with_axes("objective", "records"),
    );
    let mut figures = Table::new(
        &format!("Key figures - {} and {}", a.name, b.name),
        &["city", "figure", "value", "year", "source tag"],
    );
    for c in [a, b] {
        for f in &c.figures {
            figures.push(vec![
                Cell::from(&c.name),
                Cell::from(&f.label),
                figure_value(f),
                Cell::from(f.year.clone()),
                Cell::from(f.sources.first().map(|s| tag_label(&s.tag))),
            ]);
        }
    }
    vec![gaps, objectives, figures]
}

/// Every published and context survey figure with its denominator, kind, source tag and source.
pub fn survey_figures(atlas: &Atlas) -> Table {
    let mut table = Table::new(
        "Survey figures",
        &[
            "id",
            "survey",
            "value",
            "number",
            "unit",
            "measures",
            "denominator",
            "kind",
            "source tag",
            "source",
            "uncertain",
        ],
    );
    for f in &atlas.survey_figures {
        table.push(vec![
            Cell::from(&f.id),
            Cell::from(&f.survey),
            Cell::from(&f.value_text),
            Cell::from(f.value),
            Cell::from(f.unit.clone()),
            Cell::from(&f.measures),
            Cell::from(f.denominator.clone()),
            Cell::from(f.kind.clone()),
            Cell::from(tag_label(&f.confidence)),
            Cell::from(f.sources.first().map(|s| s.url.clone())),
            Cell::from(f.uncertain.join(" | ")),
        ]);
    }
    table
}

/// One country's who-does-what: the grid (one row per entry, and one per gap), the challenges recorded between two
/// levels, and the six co-ordination instruments — as the Governance view shows them.
pub fn governance(atlas: &Atlas, country: &str) -> Vec<Table> {
    use atlas_analysis::governance::{grid, instruments, level_pairs};
    let Some(g) = grid(atlas, country) else { return Vec::new() };
    let mut cells = Table::new(
        &format!("Who does what - {}", g.country_name),
        &["level", "policy area", "body", "role", "competence", "source tag", "sources", "uncertain"],
    );
    for (l, level) in g.levels.iter().enumerate() {
        for (a, area) in g.areas.iter().enumerate() {
            let entries = &g.cells[l][a];
            if entries.is_empty() {
                cells.push(vec![
                    Cell::from(level),
                    Cell::from(area),
                    Cell::Empty,
                    Cell::from("gap: no source available to us"),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                ]);
            }
            for c in entries {
                cells.push(vec![
                    Cell::from(level),
                    Cell::from(area),
                    Cell::from(&c.body),
                    Cell::from(&c.role),
                    Cell::from(&c.competence),
                    Cell::from(tag_label(&c.confidence)),
                    Cell::from(c.sources.iter().map(|s| s.url.as_str()).collect::<Vec<_>>().join(" ")),
                    Cell::from(c.uncertain.join(" | ")),
                ]);
            }
        }
    }
    let mut pairs = Table::new("Challenges between levels", &["level", "level", "challenge", "city", "title"]);
    for (a, b, hits) in level_pairs(atlas, country) {
        for e in hits {
            pairs.push(vec![
                Cell::from(&a),
                Cell::from(&b),
                Cell::from(&e.id),
                Cell::from(&e.city_name),
                Cell::from(&e.title),
            ]);
        }
    }
    let mut tools = Table::new(
        "Co-ordination instruments",
        &["name", "this country's", "group", "addresses", "gap types", "sources", "uncertain"],
    );
    for (t, own) in instruments(atlas, country) {
        tools.push(vec![
            Cell::from(&t.name),
            Cell::from(if own { "yes" } else { "no" }),
            Cell::from(t.group.clone()),
            Cell::from(t.addresses.clone()),
            Cell::from(t.gap_types.join("; ")),
            Cell::from(t.sources.iter().map(|s| s.url.as_str()).collect::<Vec<_>>().join(" ")),
            Cell::from(t.uncertain.join(" | ")),
        ]);
    }
    vec![cells, pairs, tools]
}

/// A file-name-safe short name ("Regions - Unemployment" → "regions-unemployment").
pub fn slug(title: &str) -> String {
    let folded = atlas_core::text::fold(title);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_owned();
    if out.is_empty() { "export".to_owned() } else { out }
}
