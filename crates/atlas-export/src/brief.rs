//! A city brief as Markdown: the profile's figures, governance, findings and recommendations, the city's
//! challenges and practices, its region's indicators, the authors' notes on all of these, and every source cited,
//! each with its confidence tag. Pure text building from the in-memory atlas and workspace.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use atlas_analysis::regions::standings;
use atlas_core::dataset::{Source, tag_label};
use atlas_core::model::{Atlas, City, CityText, Evidence, EvidenceKind};
use atlas_core::records::NotesRead as Workspace;

/// The brief for one city; `None` if the atlas has no city with that id.
/// `date` is printed as the export date (e.g. "2026-11-22").
pub fn markdown(atlas: &Atlas, ws: &dyn Workspace, city_id: &str, date: &str) -> Option<String> {
    let city = atlas.city(city_id)?;
    let mut b = Brief { out: String::new(), cited: BTreeMap::new() };
    b.header(atlas, city, date);
    b.figures(city);
    b.texts("Governance set-up", &city.governance, "No governance notes.");
    b.texts("Key findings", &city.findings, "No OECD findings are available for this city.");
    b.texts("Recommendations", &city.recommendations, "The case study's recommendations were not available.");
    let records: Vec<&Evidence> = atlas.evidence.iter().filter(|e| e.city == city.id).collect();
    for kind in [EvidenceKind::Challenge, EvidenceKind::Practice] {
        let list: Vec<&Evidence> = records.iter().copied().filter(|e| e.kind == kind).collect();
        b.records(atlas, ws, kind, &list);
    }
    b.region(atlas, ws, city);
    b.city_notes(ws, city);
    b.sources(city);
    Some(b.out)
}

/// A short file name for a city's brief ("vienna-brief.md").
pub fn file_name(city_id: &str) -> String {
    let slug: String =
        city_id.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    format!("{}-brief.md", slug.trim_matches('-'))
}

struct Brief {
    out: String,
    /// Every source cited, by URL (or citation): (title, strongest tag).
    cited: BTreeMap<String, (Option<String>, String)>,
}

/// Text for one Markdown table cell or list item: one line, pipes escaped.
fn cell(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
}

/// A figure's value with its unit, the unit not repeated ("29.3%", "160% of quota", "22,000 persons").
fn figure_value(f: &atlas_core::model::CityFigure) -> String {
    let text = f.value_text.clone().unwrap_or_else(|| f.value.map_or_else(|| "unknown".to_owned(), |v| v.to_string()));
    match f.unit.as_deref().map(str::trim) {
        None | Some("") => text,
        Some(unit) if text.contains(unit) => text,
        Some(unit) => match unit.strip_prefix('%') {
            Some(rest) if text.ends_with('%') => format!("{text}{rest}"),
            _ => format!("{text} {unit}"),
        },
    }
}

fn tag(tag: &str) -> String {
    format!("[{}]", tag_label(tag))
}

impl Brief {
    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn cite(&mut self, sources: &[Source]) -> String {
        let mut parts = Vec::new();
        for s in sources {
            let key = if s.url.is_empty() { s.title.clone().unwrap_or_default() } else { s.url.clone() };
            if key.is_empty() {
                continue;
            }
            let entry = self.cited.entry(key.clone()).or_insert_with(|| (s.title.clone(), s.tag.clone()));
            if atlas_core::dataset::tag_rank(&s.tag) < atlas_core::dataset::tag_rank(&entry.1) {
                entry.1 = s.tag.clone();
            }
            if s.url.is_empty() {
                parts.push(format!("{} {}", tag(&s.tag), cell(&key)));
            } else {
                parts.push(format!("{} <{}>", tag(&s.tag), s.url));
            }
        }
        parts.join("; ")
    }

    fn header(&mut self, atlas: &Atlas, city: &City, date: &str) {
        let local: Vec<&str> = city.local_names.iter().map(String::as_str).filter(|n| *n != city.name).collect();
        let local = if local.is_empty() { String::new() } else { format!(" ({})", local.join(", ")) };
        self.line(&format!("# {}{local}: city brief", city.name));
        self.line("");
        let region = atlas
            .region(&city.region_code)
            .map_or_else(|| city.region_code.clone(), |r| format!("{} {}", r.code, r.name));
        self.line(&format!("{}, {} — region {region}.", city.name, city.country_name));
        self.line("");
        match &city.publication {
            Some(p) if p.title.is_some() => {
                let mut text = format!("OECD case study: *{}*", p.title.clone().unwrap_or_default());
                if let Some(doi) = &p.doi {
                    let _ = write!(text, ", doi {doi}");
                }
                if let Some(when) = p.published_text.as_deref().or(p.published.as_deref()) {
                    let _ = write!(text, ", {when}");
                }
                self.line(&format!("{text}."));
            }
            _ => self.line("No OECD case-study publication was found for this city."),
        }
        if let Some(note) = &city.profile_note {
            self.line("");
            self.line(&format!("> **Note:** {}", cell(note)));
        }
        for u in &city.uncertain {
            self.line("");
            self.line(&format!("> **Uncertain:** {}", cell(u)));
        }
        self.line("");
        self.line(&format!(
            "Exported from Integration Atlas on {date}. Every fact carries its source and a confidence tag: \
             [OECD text], [OECD reported by a third party], [other OECD publication] or [external context]. \
             Notes are the authors' own (author, status)."
        ));
    }

    fn figures(&mut self, city: &City) {
        self.line("");
        self.line("## Key figures");
        self.line("");
        if city.figures.is_empty() {
            self.line("No key figures recorded.");
            return;
        }
        self.line("| Figure | Value | Year | Source |");
        self.line("|---|---|---|---|");
        for f in &city.figures {
            let value = figure_value(f);
            let sources = self.cite(&f.sources);
            let row = format!(
                "| {} | {} | {} | {} |",
                cell(&f.label),
                cell(&value),
                cell(f.year.as_deref().unwrap_or("not given")),
                if sources.is_empty() { "no source recorded".to_owned() } else { sources }
            );
            self.line(&row);
        }
        let doubts: Vec<String> =
            city.figures.iter().flat_map(|f| f.uncertain.iter().map(move |u| format!("{}: {}", f.label, u))).collect();
        if !doubts.is_empty() {
            self.line("");
            for d in doubts {
                self.line(&format!("- *Uncertain:* {}", cell(&d)));
            }
        }
    }

    fn texts(&mut self, title: &str, items: &[CityText], empty: &str) {
        self.line("");
        self.line(&format!("## {title}"));
        self.line("");
        if items.is_empty() {
            self.line(&format!("*{empty}*"));
            return;
        }
        for t in items {
            let sources = self.cite(&t.sources);
            self.line(&format!("- {}", cell(&t.text)));
            if !sources.is_empty() {
                self.line(&format!("  - Sources: {sources}"));
            }
            for u in &t.uncertain {
                self.line(&format!("  - *Uncertain:* {}", cell(u)));
            }
        }
    }

    fn notes(&mut self, ws: &dyn Workspace, kind: &str, id: &str) {
        for n in ws.notes_on(kind, id) {
            let codes: Vec<String> = n.codes.iter().map(|c| ws.code_path(c)).filter(|c| !c.is_empty()).collect();
            let codes = if codes.is_empty() { String::new() } else { format!("; codes: {}", codes.join(", ")) };
            let author = if n.author.is_empty() { "unknown author" } else { n.author.as_str() };
            self.line(&format!("- **Note** ({author}, {}{codes}): {}", n.status, cell(&n.text)));
        }
    }

    fn records(&mut self, atlas: &Atlas, ws: &dyn Workspace, kind: EvidenceKind, list: &[&Evidence]) {
        self.line("");
        let title = if kind == EvidenceKind::Challenge { "Challenges" } else { "Practices" };
        self.line(&format!("## {title} ({})", list.len()));
        if list.is_empty() {
            self.line("");
            self.line("*None recorded.*");
        }
        for e in list {
            self.line("");
            self.line(&format!("### {} {}", e.id, cell(&e.title)));
            self.line("");
            let mut facts = vec![format!("gap: {}", e.gap_type)];
            if !e.levels.is_empty() {
                facts.push(format!("levels: {}", e.levels.join(", ")));
            }
            if !e.policy_areas.is_empty() {
                facts.push(format!("areas: {}", e.policy_areas.join(", ")));
            }
            if let Some(o) = e.objective {
                let name = atlas.objectives.iter().find(|x| x.number == o).map(|x| x.short_title.as_str());
                facts.push(format!("objective {o}{}", name.map(|n| format!(" ({n})")).unwrap_or_default()));
            }
            if let Some(year) = &e.year_started {
                facts.push(format!("started {year}"));
            }
            facts.push(format!("confidence: {}", tag(&e.confidence)));
            // The coder's tag note, where it says more than the tag itself ("[OECD] + [EXT]").
            if let Some(detail) = e.tag_detail.as_deref().filter(|d| d.split_whitespace().count() > 1) {
                facts.push(format!("tags: {detail}"));
            }
            self.line(&format!("*{}*", cell(&facts.join(" · "))));
            self.line("");
            self.line(&cell(&e.description));
            let sources = self.cite(&e.sources);
            self.line("");
            self.line(&format!("Sources: {}", if sources.is_empty() { "none recorded".to_owned() } else { sources }));
            for u in &e.uncertain {
                self.line("");
                self.line(&format!("*Uncertain:* {}", cell(u)));
            }
            if ws.notes_on(e.kind.as_str(), &e.id).next().is_some() {
                self.line("");
                self.notes(ws, e.kind.as_str(), &e.id);
            }
        }
    }

    fn region(&mut self, atlas: &Atlas, ws: &dyn Workspace, city: &City) {
        let Some(region) = atlas.region(&city.region_code) else { return };
        self.line("");
        self.line(&format!("## Region {} {}: foreign-born and comparison population", region.code, region.name));
        self.line("");
        self.line(
            "| Indicator | Foreign-born | Comparison | Rank in country | Country average (FB / comparison) | Unit |",
        );
        self.line("|---|---|---|---|---|---|");
        let num = |v: Option<f64>| v.map_or_else(|| "no data".to_owned(), |x| format!("{x:.1}"));
        for s in standings(atlas, &city.region_code) {
            let Some(ind) = atlas.indicator(&s.indicator) else { continue };
            let rank = s.rank.map_or_else(|| "no data".to_owned(), |r| format!("{r} of {}", s.ranked_of));
            self.line(&format!(
                "| {} | {} | {} | {rank} | {} / {} | {} |",
                cell(&ind.name),
                num(s.fb),
                num(s.comparison),
                num(s.country_mean_fb),
                num(s.country_mean_comparison),
                cell(&ind.unit)
            ));
        }
        self.line("");
        self.line(&format!(
            "Rank 1 = the highest foreign-born value among the country's regions. {}",
            cell(&atlas.info.regions_note)
        ));
        if !atlas.info.regions_citation.is_empty() {
            self.line("");
            self.line(&format!("Regional data: {}", cell(&atlas.info.regions_citation)));
        }
        if ws.notes_on("region", &city.region_code).next().is_some() {
            self.line("");
            self.notes(ws, "region", &city.region_code);
        }
    }

    fn city_notes(&mut self, ws: &dyn Workspace, city: &City) {
        if ws.notes_on("city", &city.id).next().is_none() {
            return;
        }
        self.line("");
        self.line("## Notes on this city");
        self.line("");
        self.notes(ws, "city", &city.id);
    }

    fn sources(&mut self, city: &City) {
        self.cite(&city.sources);
        self.line("");
        self.line("## Sources");
        self.line("");
        if self.cited.is_empty() {
            self.line("*No source recorded.*");
            return;
        }
        let cited = std::mem::take(&mut self.cited);
        for (key, (title, t)) in &cited {
            let is_url = key.starts_with("http://") || key.starts_with("https://");
            let line = match (title, is_url) {
                (Some(title), true) if title != key => format!("- {} {} <{key}>", tag(t), cell(title)),
                (_, true) => format!("- {} <{key}>", tag(t)),
                (_, false) => format!("- {} {}", tag(t), cell(key)),
            };
            self.line(&line);
        }
        self.cited = cited;
    }
}
