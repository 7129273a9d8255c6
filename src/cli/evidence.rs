//! Listing commands for every kind of record the app holds: `checklist`, `cities`, `sources`, `findings`,
//! `governance`, `glossary` and `notes`. Each prints an aligned table (with the tag in words), CSV (one row per record, tags as
//! codes, every source) or JSON (the records with all their fields), like `query`.

use std::io::Write;

use super::find_city;
use super::output::{Format, Table, io};
use crate::analysis::governance as gov;
use crate::annotate::Workspace;
use crate::dataset::{Source, tag_label, wording_status_label};
use crate::model::{Atlas, CoordinationTool, Evidence};
use crate::store::Store;

fn load(store: &Store) -> Result<Atlas, String> {
    store.load_atlas().map_err(|e| e.to_string())
}

fn json<T: serde::Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    writeln!(out, "{text}").map_err(io)
}

/// The tag of a record in words (table) or as its code (CSV).
fn tag(format: Format, tag: &str) -> String {
    if format == Format::Table { tag_label(tag).to_owned() } else { tag.to_owned() }
}

/// Every source as `url [tag]`, for CSV.
fn all_sources(sources: &[Source]) -> String {
    sources.iter().map(|s| format!("{} [{}]", s.url, s.tag)).collect::<Vec<_>>().join(" ; ")
}

fn strongest(sources: &[Source]) -> String {
    sources.iter().map(|s| s.tag.as_str()).min_by_key(|t| crate::dataset::tag_rank(t)).unwrap_or("external").to_owned()
}

pub fn checklist(out: &mut dyn Write, store: &Store, format: Format) -> Result<(), String> {
    let atlas = load(store)?;
    if format == Format::Json {
        #[derive(serde::Serialize)]
        struct Checklist<'a> {
            blocks: &'a [crate::model::Block],
            objectives: &'a [crate::model::Objective],
        }
        return json(out, &Checklist { blocks: &atlas.blocks, objectives: &atlas.objectives });
    }
    let mut header = vec!["objective", "block", "short title", "title", "wording", "source tag"];
    if format == Format::Csv {
        header.extend(["block title", "summary", "sources", "uncertain"]);
    }
    let mut table = Table::new(&header);
    for o in &atlas.objectives {
        let block = atlas.blocks.iter().find(|b| b.number == o.block);
        let mut row = vec![
            o.number.to_string(),
            o.block.to_string(),
            o.short_title.clone(),
            o.title.clone(),
            if format == Format::Table {
                wording_status_label(&o.wording_status).to_owned()
            } else {
                o.wording_status.clone()
            },
            tag(format, &strongest(&o.sources)),
        ];
        if format == Format::Csv {
            row.extend([
                block.map(|b| b.title.clone()).unwrap_or_default(),
                o.summary.clone(),
                all_sources(&o.sources),
                o.uncertain.join(" | "),
            ]);
        }
        table.rows.push(row);
    }
    if format == Format::Table {
        for b in &atlas.blocks {
            writeln!(out, "Block {}: {}", b.number, b.title).map_err(io)?;
        }
        writeln!(out).map_err(io)?;
    }
    table.print(out, format)
}

pub fn cities(out: &mut dyn Write, store: &Store, city: Option<&str>, format: Format) -> Result<(), String> {
    let atlas = load(store)?;
    let Some(input) = city else {
        if format == Format::Json {
            return json(out, &atlas.cities);
        }
        let mut table = Table::new(&[
            "id",
            "name",
            "country",
            "region",
            "size",
            "OECD case study",
            "figures",
            "challenges",
            "practices",
        ]);
        for c in &atlas.cities {
            let count = |kind| atlas.evidence.iter().filter(|e| e.city == c.id && e.kind == kind).count().to_string();
            table.rows.push(vec![
                c.id.clone(),
                c.name.clone(),
                c.country_name.clone(),
                c.region_code.clone(),
                c.size.clone().unwrap_or_default(),
                if c.oecd_case_study_available { "yes" } else { "not found" }.to_owned(),
                c.figures.len().to_string(),
                count(crate::model::EvidenceKind::Challenge),
                count(crate::model::EvidenceKind::Practice),
            ]);
        }
        return table.print(out, format);
    };
    let c = find_city(&atlas, input)?;
    if format == Format::Json {
        return json(out, c);
    }
    let mut header = vec!["section", "item", "value", "unit", "year", "source tag"];
    if format == Format::Csv {
        header.extend(["sources", "uncertain"]);
    }
    let mut table = Table::new(&header);
    for f in &c.figures {
        let mut row = vec![
            "figure".to_owned(),
            f.label.clone(),
            f.value_text.clone().unwrap_or_else(|| f.value.map(|v| v.to_string()).unwrap_or_else(|| "unknown".into())),
            f.unit.clone().unwrap_or_default(),
            f.year.clone().unwrap_or_else(|| "not stated".into()),
            tag(format, &strongest(&f.sources)),
        ];
        if format == Format::Csv {
            row.extend([all_sources(&f.sources), f.uncertain.join(" | ")]);
        }
        table.rows.push(row);
    }
    for (section, texts) in
        [("governance", &c.governance), ("finding", &c.findings), ("recommendation", &c.recommendations)]
    {
        for t in texts {
            let mut row = vec![
                section.to_owned(),
                t.text.clone(),
                String::new(),
                String::new(),
                String::new(),
                tag(format, &strongest(&t.sources)),
            ];
            if format == Format::Csv {
                row.extend([all_sources(&t.sources), t.uncertain.join(" | ")]);
            }
            table.rows.push(row);
        }
    }
    if format == Format::Table {
        writeln!(
            out,
            "{} ({}, {}; region {})",
            c.name,
            c.country_name,
            c.size.clone().unwrap_or_default(),
            c.region_code
        )
        .map_err(io)?;
        if let Some(note) = &c.profile_note {
            writeln!(out, "{note}").map_err(io)?;
        }
        writeln!(out).map_err(io)?;
    }
    table.print(out, format)?;
    if format == Format::Table && !c.uncertain.is_empty() {
        writeln!(out, "How sure we are ({}):", c.uncertain.len()).map_err(io)?;
        for u in &c.uncertain {
            writeln!(out, "  - {u}").map_err(io)?;
        }
    }
    Ok(())
}

pub fn sources(out: &mut dyn Write, store: &Store, format: Format) -> Result<(), String> {
    let atlas = load(store)?;
    if format == Format::Json {
        return json(out, &atlas.sources);
    }
    let mut header = vec!["url", "title", "publisher", "records", "tags"];
    if format == Format::Csv {
        header.push("cited by");
    }
    let mut table = Table::new(&header);
    for s in &atlas.sources {
        let mut tags: Vec<&str> = s.cited_by.iter().map(|(_, _, t)| t.as_str()).collect();
        tags.sort_by_key(|t| crate::dataset::tag_rank(t));
        tags.dedup();
        let mut row = vec![
            s.url.clone(),
            s.title.clone().unwrap_or_default(),
            s.publisher.clone().unwrap_or_default(),
            s.cited_by.len().to_string(),
            tags.iter().map(|t| tag(format, t)).collect::<Vec<_>>().join(", "),
        ];
        if format == Format::Csv {
            row.push(s.cited_by.iter().map(|(k, id, _)| format!("{k} {id}")).collect::<Vec<_>>().join("; "));
        }
        table.rows.push(row);
    }
    table.print(out, format)
}

pub fn findings(out: &mut dyn Write, store: &Store, format: Format) -> Result<(), String> {
    let atlas = load(store)?;
    if format == Format::Json {
        return json(out, &atlas.findings);
    }
    let mut header = vec!["id", "theme", "statement", "source tag", "indicators", "challenges", "practices"];
    if format == Format::Csv {
        header.extend(["objectives", "survey figures", "cities", "views", "how linked", "sources", "uncertain"]);
    }
    let mut table = Table::new(&header);
    for f in &atlas.findings {
        let l = &f.links;
        let list = |v: &[String]| {
            if format == Format::Table && v.len() > 4 { format!("{} records", v.len()) } else { v.join(" ") }
        };
        let mut row = vec![
            f.id.clone(),
            f.theme.clone(),
            f.statement.clone(),
            tag(format, &f.confidence),
            l.indicators.join(" "),
            list(&l.challenges),
            list(&l.practices),
        ];
        if format == Format::Csv {
            row.extend([
                l.objectives.iter().map(i64::to_string).collect::<Vec<_>>().join(" "),
                l.survey_figures.join(" "),
                l.cities.join(" "),
                f.views.join(" "),
                f.link_note.clone().unwrap_or_default(),
                all_sources(&f.sources),
                f.uncertain.join(" | "),
            ]);
        }
        table.rows.push(row);
    }
    table.print(out, format)
}

/// `governance`: every country with who-does-what entries, or one country's grid (`--country`).
pub fn governance(out: &mut dyn Write, store: &Store, country: Option<&str>, format: Format) -> Result<(), String> {
    let atlas = load(store)?;
    match country {
        None => governance_countries(out, &atlas, format),
        Some(input) => governance_country(out, &atlas, input, format),
    }
}

/// One row per country with who-does-what entries: its cities, entries, cells filled and gaps, level pairs with
/// challenges between them, and its own co-ordination instruments.
fn governance_countries(out: &mut dyn Write, atlas: &Atlas, format: Format) -> Result<(), String> {
    if matches!(format, Format::Md | Format::Html) {
        return Err("--format md and html write one country's report: give --country".to_owned());
    }
    let rows: Vec<_> = gov::countries(atlas)
        .into_iter()
        .filter_map(|(iso, name)| {
            let grid = gov::grid(atlas, &iso)?;
            let (filled, gaps) = grid.filled_and_gaps();
            let entries: usize = grid.cells.iter().flatten().map(Vec::len).sum();
            let pairs = gov::level_pairs(atlas, &iso).len();
            let own = gov::instruments(atlas, &iso).iter().filter(|(_, own)| *own).count();
            Some((iso, name, grid.cities.join(" "), entries, filled, gaps, pairs, own))
        })
        .collect();
    if format == Format::Json {
        let list: Vec<serde_json::Value> = rows
            .iter()
            .map(|(iso, name, cities, entries, filled, gaps, pairs, own)| {
                serde_json::json!({"country": iso, "name": name, "cities": cities, "entries": entries,
                    "cells_filled": filled, "gaps": gaps, "level_pairs_with_challenges": pairs, "own_instruments": own})
            })
            .collect();
        return json(out, &list);
    }
    let mut table = Table::new(&[
        "country",
        "name",
        "cities",
        "entries",
        "cells filled",
        "gaps",
        "level pairs with challenges",
        "own instruments",
    ]);
    for (iso, name, cities, entries, filled, gaps, pairs, own) in rows {
        table.rows.push(vec![
            iso,
            name,
            cities,
            entries.to_string(),
            filled.to_string(),
            gaps.to_string(),
            pairs.to_string(),
            own.to_string(),
        ]);
    }
    table.print(out, format)?;
    if format == Format::Table
        && let Some(note) = &atlas.governance.note
    {
        writeln!(out, "{note}").map_err(io)?;
        for s in &atlas.governance.note_sources {
            writeln!(out, "  source: {} [{}]", s.url, tag_label(&s.tag)).map_err(io)?;
        }
    }
    Ok(())
}

/// One country's grid (`input`: its code or name): every entry and gap, the challenges recorded between its levels
/// and the co-ordination instruments.
fn governance_country(out: &mut dyn Write, atlas: &Atlas, input: &str, format: Format) -> Result<(), String> {
    let iso = gov::find_country(atlas, input).ok_or_else(|| {
        let known: Vec<String> =
            gov::countries(atlas).into_iter().map(|(iso, name)| format!("{iso} ({name})")).collect();
        format!("--country {input:?}: no who-does-what entries for it; one of {}", known.join(", "))
    })?;
    if matches!(format, Format::Md | Format::Html) {
        let today = jiff::Zoned::now().date().to_string();
        let doc = crate::export::governance::document(atlas, &iso, &today)
            .ok_or_else(|| format!("--country {input:?}: no entries"))?;
        let text =
            if format == Format::Md { crate::export::doc::markdown(&doc) } else { crate::export::doc::html(&doc) };
        return out.write_all(text.as_bytes()).map_err(io);
    }
    let grid = gov::grid(atlas, &iso).ok_or_else(|| format!("--country {input:?}: no entries"))?;
    let pairs = gov::level_pairs(atlas, &iso);
    let instruments = gov::instruments(atlas, &iso);
    if format == Format::Json {
        return governance_country_json(out, atlas, &grid, &pairs, &instruments);
    }
    if format == Format::Table {
        let (filled, gaps) = grid.filled_and_gaps();
        writeln!(out, "{} ({}): {filled} cells with a source, {gaps} gaps", grid.country_name, grid.cities.join(", "))
            .map_err(io)?;
        writeln!(out).map_err(io)?;
    }
    grid_table(&grid, format).print(out, format)?;
    if format == Format::Table {
        print_between_levels(out, &pairs, &instruments)?;
    }
    Ok(())
}

/// One country's grid as JSON: its entries, gaps, challenges between levels and instruments.
fn governance_country_json(
    out: &mut dyn Write,
    atlas: &Atlas,
    grid: &gov::Grid<'_>,
    pairs: &[(String, String, Vec<&Evidence>)],
    instruments: &[(&CoordinationTool, bool)],
) -> Result<(), String> {
    let mut cells = Vec::new();
    let mut gaps = Vec::new();
    for (l, level) in grid.levels.iter().enumerate() {
        for (a, area) in grid.areas.iter().enumerate() {
            if grid.cells[l][a].is_empty() {
                gaps.push(serde_json::json!({"level": level, "area": area}));
            }
            cells.extend(grid.cells[l][a].iter().map(|c| serde_json::to_value(c).unwrap_or_default()));
        }
    }
    let pairs: Vec<serde_json::Value> = pairs
        .iter()
        .map(|(a, b, hits)| serde_json::json!({"levels": [a, b], "challenges": hits.iter().map(|e| &e.id).collect::<Vec<_>>()}))
        .collect();
    let tools: Vec<serde_json::Value> = instruments
        .iter()
        .map(|(t, own)| {
            serde_json::json!({"id": t.id, "name": t.name, "country": t.country, "own": own,
            "group": t.group, "addresses": t.addresses, "gap_types": t.gap_types, "sources": t.sources})
        })
        .collect();
    json(
        out,
        &serde_json::json!({"country": grid.country, "name": grid.country_name, "cities": grid.cities,
            "levels": grid.levels, "areas": grid.areas, "entries": cells, "gaps": gaps,
            "challenges_between_levels": pairs, "instruments": tools, "note": atlas.governance.note,
            "note_sources": atlas.governance.note_sources}),
    )
}

/// One country's grid as a table: a row per entry, and a row saying so for each level and area nobody is known
/// to hold.
fn grid_table(grid: &gov::Grid<'_>, format: Format) -> Table {
    let mut header = vec!["level", "area", "body", "role", "source tag"];
    if format == Format::Csv {
        header.extend(["competence", "city", "sources", "uncertain"]);
    }
    let mut table = Table::new(&header);
    for (l, level) in grid.levels.iter().enumerate() {
        for (a, area) in grid.areas.iter().enumerate() {
            let entries = &grid.cells[l][a];
            if entries.is_empty() {
                let mut row = vec![
                    level.clone(),
                    area.clone(),
                    "(gap)".to_owned(),
                    "no source available to us says who holds this".to_owned(),
                    String::new(),
                ];
                if format == Format::Csv {
                    row.extend(["unknown".to_owned(), String::new(), String::new(), String::new()]);
                }
                table.rows.push(row);
            }
            for c in entries {
                let mut row =
                    vec![level.clone(), area.clone(), c.body.clone(), c.role.clone(), tag(format, &c.confidence)];
                if format == Format::Csv {
                    row.extend([
                        c.competence.clone(),
                        c.city.clone().unwrap_or_default(),
                        all_sources(&c.sources),
                        c.uncertain.join(" | "),
                    ]);
                }
                table.rows.push(row);
            }
        }
    }
    table
}

/// Below a country's table: the challenges recorded between its levels, and the co-ordination instruments (the
/// country's own marked).
fn print_between_levels(
    out: &mut dyn Write,
    pairs: &[(String, String, Vec<&Evidence>)],
    instruments: &[(&CoordinationTool, bool)],
) -> Result<(), String> {
    writeln!(out).map_err(io)?;
    writeln!(out, "Challenges recorded between levels:").map_err(io)?;
    if pairs.is_empty() {
        writeln!(out, "  none").map_err(io)?;
    }
    for (a, b, hits) in pairs {
        let ids: Vec<&str> = hits.iter().map(|e| e.id.as_str()).collect();
        writeln!(out, "  {a} – {b}: {}", ids.join(", ")).map_err(io)?;
    }
    writeln!(out).map_err(io)?;
    writeln!(out, "Co-ordination instruments (2022 OECD paper):").map_err(io)?;
    for (t, own) in instruments {
        let mark = if *own { " (this country's)" } else { "" };
        let addresses = t.addresses.clone().unwrap_or_else(|| "what it addresses is not stated".to_owned());
        writeln!(out, "  {}{mark}: {addresses}", t.name).map_err(io)?;
    }
    Ok(())
}

pub fn notes(out: &mut dyn Write, store: &Store, format: Format) -> Result<(), String> {
    let atlas = load(store)?;
    let ws = Workspace::load(store).map_err(|e| e.to_string())?;
    match format {
        Format::Json => {
            let author = ws.author.clone().unwrap_or_else(|| "command line".to_owned());
            let bundle = store.export_bundle(&author).map_err(|e| e.to_string())?;
            json(out, &bundle)
        }
        Format::Csv | Format::Xlsx => {
            let text = crate::annotate::export::csv(&atlas, &ws)?;
            out.write_all(text.as_bytes()).map_err(io)
        }
        Format::Table | Format::Md | Format::Html | Format::Text => {
            let mut table = Table::new(&["record", "author", "status", "codes", "updated", "text"]);
            let mut notes: Vec<_> = ws.notes.iter().filter(|n| n.deleted_at.is_none()).collect();
            notes.sort_by(|a, b| a.created_at.cmp(&b.created_at));
            for n in notes {
                let (target, _, _) = crate::annotate::export::describe_target(&atlas, n);
                let codes: Vec<String> = n.codes.iter().map(|c| ws.code_path(c)).collect();
                table.rows.push(vec![
                    target,
                    n.author.clone(),
                    n.status.as_str().to_owned(),
                    codes.join("; "),
                    crate::annotate::export::display_time(&n.updated_at),
                    n.text.replace('\n', " "),
                ]);
            }
            table.print(out, format)
        }
    }
}

/// `glossary`: every acronym the evidence uses. JSON: an array of {term, expansion (null where no source we hold
/// spells it out), meaning, sources, confidence, uncertain}. Text: one line per term.
pub fn glossary(out: &mut dyn Write, store: &Store, format: Format) -> Result<(), String> {
    let atlas = load(store)?;
    if format == Format::Json {
        let list: Vec<serde_json::Value> = atlas
            .glossary
            .iter()
            .map(|g| {
                serde_json::json!({"term": g.term, "expansion": g.expansion, "meaning": g.meaning,
                    "sources": g.sources, "confidence": g.confidence, "uncertain": g.uncertain})
            })
            .collect();
        return json(out, &list);
    }
    for g in &atlas.glossary {
        let urls: Vec<&str> = g.sources.iter().map(|s| s.url.as_str()).collect();
        writeln!(
            out,
            "{}: {} — {} [{}; {}]",
            g.term,
            g.expansion_text(),
            g.meaning,
            tag_label(&g.confidence),
            urls.join(" ")
        )
        .map_err(io)?;
    }
    Ok(())
}
