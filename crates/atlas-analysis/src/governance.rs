//! Who does what, and the report's own findings: pure queries over [`Atlas`] for the Governance view, Home, the
//! CLI and exports. No SQL, no egui.
//!
//! The Governance view shows, per country, [`grid`] (levels × policy areas, every entry with its body, role,
//! sources and tag; an empty cell is a gap: no source available to us says who holds that task there), beside it
//! [`level_pairs`] (the coordination challenges recorded between two levels, whose ids open in the explorer) and
//! [`instruments`] (the six co-ordination instruments, what each addresses, the country's own first).

use atlas_core::model::{Atlas, CoordinationTool, Evidence, EvidenceKind, Finding, GovernanceCell};

/// The levels of the evidence coding that fall on a row of the governance grid.
pub fn evidence_levels(grid_level: &str) -> &'static [&'static str] {
    match grid_level {
        "EU" => &["EU"],
        "national" => &["national"],
        "regional/state" => &["regional/state"],
        "metropolitan" => &["metropolitan"],
        "municipal" => &["municipal", "district"],
        "non-state" => &["NGOs/civil society", "private sector", "migrant associations", "international organisations"],
        _ => &[],
    }
}

/// One country's who-does-what grid.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Grid<'a> {
    pub country: String,
    pub country_name: String,
    /// The case-study cities the entries come from.
    pub cities: Vec<String>,
    pub levels: Vec<String>,
    pub areas: Vec<String>,
    /// `cells[level][area]`: the entries of that cell, in dataset order; empty = a gap.
    pub cells: Vec<Vec<Vec<&'a GovernanceCell>>>,
}

impl Grid<'_> {
    /// How many cells hold at least one entry, and how many are gaps.
    pub fn filled_and_gaps(&self) -> (usize, usize) {
        let filled = self.cells.iter().flatten().filter(|c| !c.is_empty()).count();
        (filled, self.levels.len() * self.areas.len() - filled)
    }
}

/// The countries of the grid: (ISO code, name), in dataset order.
pub fn countries(atlas: &Atlas) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for c in &atlas.governance.cells {
        if !out.iter().any(|(iso, _)| *iso == c.country) {
            out.push((c.country.clone(), c.country_name.clone()));
        }
    }
    out
}

/// Finds a country of the grid by ISO code, name, or the name of one of its case-study cities.
pub fn find_country(atlas: &Atlas, input: &str) -> Option<String> {
    let fold = |s: &str| atlas_core::text::fold(s.trim());
    let wanted = fold(input);
    countries(atlas).into_iter().map(|(iso, _)| iso).find(|iso| {
        atlas.governance.cells.iter().any(|c| {
            c.country == *iso
                && (fold(&c.country) == wanted
                    || fold(&c.country_name) == wanted
                    || c.city.as_deref().and_then(|id| atlas.city(id)).is_some_and(|city| {
                        fold(&city.name) == wanted
                            || fold(&city.id) == wanted
                            || city.local_names.iter().any(|n| fold(n) == wanted)
                    }))
        })
    })
}

/// One country's grid (None if the grid has no entry for it).
pub fn grid<'a>(atlas: &'a Atlas, country: &str) -> Option<Grid<'a>> {
    let g = &atlas.governance;
    let entries: Vec<&GovernanceCell> = g.cells.iter().filter(|c| c.country == country).collect();
    let first = entries.first()?;
    let mut cells = vec![vec![Vec::new(); g.areas.len()]; g.levels.len()];
    let mut cities = Vec::new();
    for c in &entries {
        if let (Some(l), Some(a)) =
            (g.levels.iter().position(|x| *x == c.level), g.areas.iter().position(|x| *x == c.area))
        {
            cells[l][a].push(*c);
        }
        if let Some(city) = &c.city
            && !cities.contains(city)
        {
            cities.push(city.clone());
        }
    }
    Some(Grid {
        country: first.country.clone(),
        country_name: first.country_name.clone(),
        cities,
        levels: g.levels.clone(),
        areas: g.areas.clone(),
        cells,
    })
}

/// The challenges of the country's case-study cities (shipped and own records) coded to both levels of the grid.
pub fn challenges_between<'a>(atlas: &'a Atlas, country: &str, level_a: &str, level_b: &str) -> Vec<&'a Evidence> {
    let a = evidence_levels(level_a);
    let b = evidence_levels(level_b);
    atlas
        .evidence
        .iter()
        .filter(|e| e.kind == EvidenceKind::Challenge && e.country == country)
        .filter(|e| {
            e.levels.iter().any(|l| a.contains(&l.as_str())) && e.levels.iter().any(|l| b.contains(&l.as_str()))
        })
        .collect()
}

/// Every pair of grid levels with at least one challenge recorded between them in the country, most first:
/// (level, level, challenges).
pub fn level_pairs<'a>(atlas: &'a Atlas, country: &str) -> Vec<(String, String, Vec<&'a Evidence>)> {
    let levels = &atlas.governance.levels;
    let mut out = Vec::new();
    for (i, a) in levels.iter().enumerate() {
        for b in levels.iter().skip(i + 1) {
            let hits = challenges_between(atlas, country, a, b);
            if !hits.is_empty() {
                out.push((a.clone(), b.clone(), hits));
            }
        }
    }
    out.sort_by_key(|x| std::cmp::Reverse(x.2.len()));
    out
}

/// The six co-ordination instruments with whether each is the country's own, the country's first.
pub fn instruments<'a>(atlas: &'a Atlas, country: &str) -> Vec<(&'a CoordinationTool, bool)> {
    let mut out: Vec<(&CoordinationTool, bool)> =
        atlas.coordination_tools.iter().map(|t| (t, t.country.as_deref() == Some(country))).collect();
    out.sort_by_key(|(_, own)| !*own);
    out
}

/// The findings a view should show beside its content (`home`, `explorer`, `regions`, `survey`, `checklist`,
/// `cities`, `governance`).
pub fn findings_for_view<'a>(atlas: &'a Atlas, view: &str) -> Vec<&'a Finding> {
    atlas.findings.iter().filter(|f| f.views.iter().any(|v| v == view)).collect()
}

/// The findings a record bears on: kind is `challenge`, `practice`, `indicator`, `objective`, `survey_figure`
/// or `city`.
pub fn findings_for_record<'a>(atlas: &'a Atlas, kind: &str, id: &str) -> Vec<&'a Finding> {
    atlas
        .findings
        .iter()
        .filter(|f| {
            let l = &f.links;
            match kind {
                "challenge" => l.challenges.iter().any(|x| x == id),
                "practice" => l.practices.iter().any(|x| x == id),
                "indicator" => l.indicators.iter().any(|x| x == id),
                "objective" => l.objectives.iter().any(|x| x.to_string() == id),
                "survey_figure" => l.survey_figures.iter().any(|x| x == id),
                "city" => l.cities.iter().any(|x| x == id),
                _ => false,
            }
        })
        .collect()
}
