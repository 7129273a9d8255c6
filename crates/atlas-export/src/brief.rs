//! A city brief: the profile's figures, governance, findings and recommendations, the city's challenges and
//! practices, its region's indicators, the authors' notes on all of these, and every source cited, each with its
//! confidence tag. Built once as a [`Document`] from the in-memory atlas and workspace, and written as Markdown or
//! HTML by the [`doc`](crate::doc) writers.

use std::collections::BTreeMap;

use atlas_analysis::regions::standings;
use atlas_core::dataset::{Source, tag_label};
use atlas_core::model::{Atlas, City, CityText, Evidence, EvidenceKind};
use atlas_core::records::NotesRead as Workspace;

use crate::doc::{self, Block, DocTable, Document, Inline, Inlines, ListItem, clean, plain, text};

/// The brief for one city as a document; `None` if the atlas has no city with that id.
/// `date` is printed as the export date (e.g. "2026-11-22").
pub fn document(atlas: &Atlas, ws: &dyn Workspace, city_id: &str, date: &str) -> Option<Document> {
    let city = atlas.city(city_id)?;
    let local: Vec<&str> = city.local_names.iter().map(String::as_str).filter(|n| *n != city.name).collect();
    let local = if local.is_empty() { String::new() } else { format!(" ({})", local.join(", ")) };
    let mut b = Brief { blocks: Vec::new(), cited: BTreeMap::new() };
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
    Some(Document {
        title: format!("{}{local}: city brief", city.name),
        lang: "en".to_owned(),
        date: date.to_owned(),
        blocks: b.blocks,
    })
}

/// The brief for one city as Markdown; `None` if the atlas has no city with that id.
/// `date` is printed as the export date (e.g. "2026-11-22").
pub fn markdown(atlas: &Atlas, ws: &dyn Workspace, city_id: &str, date: &str) -> Option<String> {
    document(atlas, ws, city_id, date).map(|d| doc::markdown(&d))
}

/// The brief for one city as one self-contained HTML page; `None` if the atlas has no city with that id.
pub fn html(atlas: &Atlas, ws: &dyn Workspace, city_id: &str, date: &str) -> Option<String> {
    document(atlas, ws, city_id, date).map(|d| doc::html(&d))
}

/// A short file name for a city's brief ("vienna-brief.md").
pub fn file_name(city_id: &str) -> String {
    let slug: String =
        city_id.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    format!("{}-brief.md", slug.trim_matches('-'))
}

struct Brief {
    blocks: Vec<Block>,
    /// Every source cited, by URL (or citation): (title, strongest tag).
    cited: BTreeMap<String, (Option<String>, String)>,
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

fn is_url(key: &str) -> bool {
    key.starts_with("http://") || key.starts_with("https://")
}

/// "*Uncertain:* text".
fn uncertain(u: &str) -> Inlines {
    vec![Inline::Emph("Uncertain:".to_owned()), plain(" "), text(u)]
}

impl Brief {
    fn push(&mut self, b: Block) {
        self.blocks.push(b);
    }

    /// The sources of one fact, each with its tag ("[OECD text] <https://…>; [external context] A citation"), and
    /// remembers them for the list at the end. Empty when none has a URL or a title.
    fn cite(&mut self, sources: &[Source]) -> Inlines {
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
            if !parts.is_empty() {
                parts.push(plain("; "));
            }
            if s.url.is_empty() {
                parts.push(plain(format!("{} {}", tag(&s.tag), clean(&key))));
            } else {
                parts.push(plain(format!("{} ", tag(&s.tag))));
                parts.push(Inline::Link { text: s.url.clone(), url: s.url.clone() });
            }
        }
        parts
    }

    fn header(&mut self, atlas: &Atlas, city: &City, date: &str) {
        let region = atlas
            .region(&city.region_code)
            .map_or_else(|| city.region_code.clone(), |r| format!("{} {}", r.code, r.name));
        self.push(Block::para(&format!("{}, {} — region {region}.", city.name, city.country_name)));
        match &city.publication {
            Some(p) if p.title.is_some() => {
                let mut rest = String::new();
                if let Some(doi) = &p.doi {
                    rest.push_str(&format!(", doi {doi}"));
                }
                if let Some(when) = p.published_text.as_deref().or(p.published.as_deref()) {
                    rest.push_str(&format!(", {when}"));
                }
                self.push(Block::Paragraph(vec![
                    plain("OECD case study: "),
                    Inline::Emph(clean(p.title.as_deref().unwrap_or_default())),
                    plain(format!("{}.", clean(&rest))),
                ]));
            }
            _ => self.push(Block::para("No OECD case-study publication was found for this city.")),
        }
        if let Some(note) = &city.profile_note {
            self.push(Block::Quote(vec![Inline::Strong("Note:".to_owned()), plain(" "), text(note)]));
        }
        for u in &city.uncertain {
            self.push(Block::Quote(vec![Inline::Strong("Uncertain:".to_owned()), plain(" "), text(u)]));
        }
        self.push(Block::para(&format!(
            "Exported from Integration Atlas on {date}. Every fact carries its source and a confidence tag: \
             [OECD text], [OECD reported by a third party], [other OECD publication] or [external context]. \
             Notes are the authors' own (author, status)."
        )));
    }

    fn figures(&mut self, city: &City) {
        self.push(Block::heading(2, "Key figures"));
        if city.figures.is_empty() {
            self.push(Block::para("No key figures recorded."));
            return;
        }
        let mut table = DocTable::new(&["Figure", "Value", "Year", "Source"]);
        for f in &city.figures {
            let sources = self.cite(&f.sources);
            table.rows.push(vec![
                vec![text(&f.label)],
                vec![text(&figure_value(f))],
                vec![text(f.year.as_deref().unwrap_or("not given"))],
                if sources.is_empty() { vec![plain("no source recorded")] } else { sources },
            ]);
        }
        self.push(Block::Table(table));
        let doubts: Vec<ListItem> = city
            .figures
            .iter()
            .flat_map(|f| f.uncertain.iter().map(move |u| ListItem::new(uncertain(&format!("{}: {}", f.label, u)))))
            .collect();
        if !doubts.is_empty() {
            self.push(Block::List(doubts));
        }
    }

    fn texts(&mut self, title: &str, items: &[CityText], empty: &str) {
        self.push(Block::heading(2, title));
        if items.is_empty() {
            self.push(Block::remark(empty));
            return;
        }
        let mut list = Vec::new();
        for t in items {
            let sources = self.cite(&t.sources);
            let mut item = ListItem::new(vec![text(&t.text)]);
            if !sources.is_empty() {
                let mut line = vec![plain("Sources: ")];
                line.extend(sources);
                item.sub.push(line);
            }
            item.sub.extend(t.uncertain.iter().map(|u| uncertain(u)));
            list.push(item);
        }
        self.push(Block::List(list));
    }

    /// The live notes on one thing as a list; nothing when there are none.
    fn notes(&mut self, ws: &dyn Workspace, kind: atlas_core::records::notes::TargetKind, id: &str) {
        let list: Vec<ListItem> = ws
            .notes_on(kind, id)
            .map(|n| {
                let codes: Vec<String> = n.codes.iter().map(|c| ws.code_path(c)).filter(|c| !c.is_empty()).collect();
                let codes = if codes.is_empty() { String::new() } else { format!("; codes: {}", codes.join(", ")) };
                let author = if n.author.is_empty() { "unknown author" } else { n.author.as_str() };
                ListItem::new(vec![
                    Inline::Strong("Note".to_owned()),
                    plain(format!(" ({author}, {}{codes}): ", n.status)),
                    text(&n.text),
                ])
            })
            .collect();
        if !list.is_empty() {
            self.push(Block::List(list));
        }
    }

    fn records(&mut self, atlas: &Atlas, ws: &dyn Workspace, kind: EvidenceKind, list: &[&Evidence]) {
        let title = if kind == EvidenceKind::Challenge { "Challenges" } else { "Practices" };
        self.push(Block::heading(2, &format!("{title} ({})", list.len())));
        if list.is_empty() {
            self.push(Block::remark("None recorded."));
        }
        for e in list {
            self.push(Block::heading(3, &format!("{} {}", e.id, clean(&e.title))));
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
            self.push(Block::remark(&facts.join(" · ")));
            self.push(Block::para(&e.description));
            let sources = self.cite(&e.sources);
            let mut line = vec![plain("Sources: ")];
            if sources.is_empty() {
                line.push(plain("none recorded"));
            }
            line.extend(sources);
            self.push(Block::Paragraph(line));
            for u in &e.uncertain {
                self.push(Block::Paragraph(uncertain(u)));
            }
            self.notes(ws, e.kind.into(), &e.id);
        }
    }

    fn region(&mut self, atlas: &Atlas, ws: &dyn Workspace, city: &City) {
        let Some(region) = atlas.region(&city.region_code) else { return };
        self.push(Block::heading(
            2,
            &format!("Region {} {}: foreign-born and comparison population", region.code, region.name),
        ));
        let mut table = DocTable::new(&[
            "Indicator",
            "Foreign-born",
            "Comparison",
            "Rank in country",
            "Country average (FB / comparison)",
            "Unit",
        ]);
        let num = |v: Option<f64>| v.map_or_else(|| "no data".to_owned(), |x| format!("{x:.1}"));
        for s in standings(atlas, &city.region_code) {
            let Some(ind) = atlas.indicator(&s.indicator) else { continue };
            let rank = s.rank.map_or_else(|| "no data".to_owned(), |r| format!("{r} of {}", s.ranked_of));
            table.push_texts([
                ind.name.clone(),
                num(s.fb),
                num(s.comparison),
                rank,
                format!("{} / {}", num(s.country_mean_fb), num(s.country_mean_comparison)),
                ind.unit.clone(),
            ]);
        }
        self.push(Block::Table(table));
        self.push(Block::para(&format!(
            "Rank 1 = the highest foreign-born value among the country's regions. {}",
            clean(&atlas.info.regions_note)
        )));
        if !atlas.info.regions_citation.is_empty() {
            self.push(Block::para(&format!("Regional data: {}", clean(&atlas.info.regions_citation))));
        }
        self.notes(ws, atlas_core::records::notes::TargetKind::Region, &city.region_code);
    }

    fn city_notes(&mut self, ws: &dyn Workspace, city: &City) {
        if ws.notes_on(atlas_core::records::notes::TargetKind::City, &city.id).next().is_none() {
            return;
        }
        self.push(Block::heading(2, "Notes on this city"));
        self.notes(ws, atlas_core::records::notes::TargetKind::City, &city.id);
    }

    fn sources(&mut self, city: &City) {
        self.cite(&city.sources);
        self.push(Block::heading(2, "Sources"));
        if self.cited.is_empty() {
            self.push(Block::remark("No source recorded."));
            return;
        }
        let list = self
            .cited
            .iter()
            .map(|(key, (title, t))| {
                let title = title.as_deref().map(clean).filter(|title| title != key);
                if is_url(key) {
                    doc::Source { tag: Some(tag(t)), title, url: Some(key.clone()) }
                } else {
                    doc::Source { tag: Some(tag(t)), title: Some(clean(key)), url: None }
                }
            })
            .collect();
        self.push(Block::Sources(list));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use atlas_core::model::CityFigure;
    use atlas_core::records::notes::Note;

    struct NoNotes;

    impl Workspace for NoNotes {
        fn notes_on<'a>(
            &'a self,
            _: atlas_core::records::notes::TargetKind,
            _: &'a str,
        ) -> Box<dyn Iterator<Item = &'a Note> + 'a> {
            Box::new(std::iter::empty())
        }
        fn code_path(&self, _: &str) -> String {
            String::new()
        }
        fn note_count(&self, _: atlas_core::records::notes::TargetKind, _: &str) -> usize {
            0
        }
    }

    fn source(url: &str, tag: &str, title: Option<&str>) -> Source {
        Source { url: url.into(), tag: tag.into(), title: title.map(Into::into), publisher: None, note: None }
    }

    fn atlas() -> Atlas {
        let city = City {
            id: "testville".into(),
            code: "TST".into(),
            name: "Testville".into(),
            local_names: vec!["Testburg".into()],
            country: "AUT".into(),
            country_name: "Austria".into(),
            region_code: "XX1".into(),
            lat: 0.0,
            lon: 0.0,
            size: None,
            oecd_case_study_available: false,
            profile_note: Some("Test <note> & more".into()),
            publication: None,
            figures: vec![CityFigure {
                id: "f1".into(),
                label: "Share | foreign-born".into(),
                value: Some(29.3),
                value_text: None,
                unit: Some("%".into()),
                year: None,
                group: None,
                sources: vec![source("https://example.org/a?x=1&y=2", "oecd", Some("Report A"))],
                uncertain: vec![],
            }],
            governance: vec![CityText {
                id: "g1".into(),
                text: "A governance text".into(),
                sources: vec![source("", "external", Some("A printed citation"))],
                uncertain: vec!["the year".into()],
            }],
            findings: vec![],
            recommendations: vec![],
            sources: vec![source("https://example.org/b", "oecd-other", None)],
            uncertain: vec![],
        };
        Atlas { cities: vec![city], ..Atlas::default() }
    }

    #[test]
    fn the_brief_cites_every_source_in_markdown_and_html() {
        let atlas = atlas();
        assert!(document(&atlas, &NoNotes, "atlantis", "2026-11-22").is_none());
        let md = markdown(&atlas, &NoNotes, "testville", "2026-11-22").expect("brief");
        assert!(md.starts_with("# Testville (Testburg): city brief\n\nTestville, Austria — region XX1.\n"), "{md}");
        assert!(
            md.contains(
                "| Share \\| foreign-born | 29.3 % | not given | [OECD text] <https://example.org/a?x=1&y=2> |"
            )
        );
        assert!(md.contains(
            "- A governance text\n  - Sources: [external context] A printed citation\n  - *Uncertain:* the year\n"
        ));
        assert!(md.contains("> **Note:** Test <note> & more"), "{md}");
        let list = md.split("## Sources\n\n").nth(1).expect("sources");
        assert_eq!(
            list,
            "- [external context] A printed citation\n- [OECD text] Report A <https://example.org/a?x=1&y=2>\n\
             - [other OECD publication] <https://example.org/b>\n"
        );
        let page = html(&atlas, &NoNotes, "testville", "2026-11-22").expect("brief");
        assert!(page.contains("<title>Testville (Testburg): city brief</title>"), "{page}");
        assert!(page.contains("Test &lt;note&gt; &amp; more") && !page.contains("<note>"), "{page}");
        for url in ["https://example.org/a?x=1&amp;y=2", "https://example.org/b"] {
            assert!(page.contains(&format!("<a href=\"{url}\">{url}</a>")), "{url} in {page}");
        }
        assert!(page.contains("<li>[external context] A printed citation</li>"), "{page}");
    }
}
