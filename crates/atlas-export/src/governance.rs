//! One country's who-does-what as a [`Document`]: the grid of levels × policy areas (each entry with its role and
//! source tag, each gap said as a gap), the challenges recorded between two levels, the six co-ordination
//! instruments, and the sources of every entry. Written by the document's writers (Markdown, HTML).

use std::collections::BTreeMap;

use atlas_analysis::governance::{grid, instruments, level_pairs};
use atlas_core::dataset::tag_label;
use atlas_core::model::Atlas;

use crate::doc::{Block, DocTable, Document, Source, plain, text};

/// The document of country `iso` (`None`: no who-does-what entries for it), dated `today` (`YYYY-MM-DD`).
pub fn document(atlas: &Atlas, iso: &str, today: &str) -> Option<Document> {
    let g = grid(atlas, iso)?;
    let (filled, gaps) = g.filled_and_gaps();
    let cities: Vec<&str> = g
        .cities
        .iter()
        .map(|id| atlas.cities.iter().find(|c| &c.id == id).map_or(id.as_str(), |c| c.name.as_str()))
        .collect();
    let mut blocks = vec![Block::para(&format!(
        "Which level of government does what in {}, from the case studies of {}: {filled} of {} cells have an \
         entry with its source; {gaps} are gaps, where no source available to us says who holds the task.",
        g.country_name,
        cities.join(", "),
        filled + gaps
    ))];
    if let Some(note) = &atlas.governance.note {
        blocks.push(Block::Quote(vec![text(note)]));
    }
    blocks.push(Block::heading(2, "Who does what"));
    let mut table = DocTable::new(&["Level", "Policy area", "Body", "Role", "Source tag"]);
    let mut sources: BTreeMap<(String, String), Option<String>> = BTreeMap::new();
    for (l, level) in g.levels.iter().enumerate() {
        for (a, area) in g.areas.iter().enumerate() {
            let entries = &g.cells[l][a];
            if entries.is_empty() {
                table.rows.push(vec![
                    vec![text(level)],
                    vec![text(area)],
                    vec![crate::doc::Inline::Emph("gap".to_owned())],
                    vec![plain("no source available to us says who holds this")],
                    Vec::new(),
                ]);
            }
            for c in entries {
                let tag = tag_label(&c.confidence).to_owned();
                table.push_texts([level.as_str(), area.as_str(), c.body.as_str(), c.role.as_str(), tag.as_str()]);
                for s in &c.sources {
                    sources.entry((s.url.clone(), tag_label(&s.tag).to_owned())).or_insert_with(|| s.title.clone());
                }
            }
        }
    }
    blocks.push(Block::Table(table));
    blocks.push(Block::heading(2, "Challenges recorded between two levels"));
    let pairs = level_pairs(atlas, iso);
    if pairs.is_empty() {
        blocks.push(Block::remark("None recorded."));
    } else {
        let mut t = DocTable::new(&["Levels", "Challenge", "City", "Title"]);
        for (a, b, hits) in pairs {
            for e in hits {
                t.push_texts([format!("{a} – {b}"), e.id.clone(), e.city_name.clone(), e.title.clone()]);
            }
        }
        blocks.push(Block::Table(t));
    }
    blocks.push(Block::heading(2, "Co-ordination instruments (OECD 2022)"));
    let mut t = DocTable::new(&["Instrument", "This country's", "What it addresses"]);
    for (tool, own) in instruments(atlas, iso) {
        let addresses = tool.addresses.clone().unwrap_or_else(|| "not stated".to_owned());
        t.push_texts([tool.name.as_str(), if own { "yes" } else { "no" }, addresses.as_str()]);
        for s in &tool.sources {
            sources.entry((s.url.clone(), tag_label(&s.tag).to_owned())).or_insert_with(|| s.title.clone());
        }
    }
    blocks.push(Block::Table(t));
    blocks.push(Block::heading(2, "Sources"));
    blocks.push(Block::Sources(
        sources
            .into_iter()
            .map(|((url, tag), title)| Source { tag: Some(format!("[{tag}]")), title, url: Some(url) })
            .collect(),
    ));
    Some(Document {
        title: format!("Who does what: {}", g.country_name),
        lang: "en".to_owned(),
        date: today.to_owned(),
        blocks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_without_entries_has_no_document() {
        assert!(document(&Atlas::default(), "AUT", "2026-12-04").is_none());
    }
}
