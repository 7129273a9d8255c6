//! Seeding: fills the reference tables from the shipped dataset in one transaction. User tables are never
//! written here. A refresh deletes and refills only the reference tables and the shipped rows of the search index.

use rusqlite::{Connection, Transaction, params};

use super::schema::REFERENCE_TABLES;
use atlas_core::dataset::{self, Dataset, EvidenceRecord, Source};
use atlas_core::text::fold;

/// The dataset stamp stored in `meta`, if any.
pub fn stored_stamp(conn: &Connection) -> rusqlite::Result<Option<String>> {
    use rusqlite::OptionalExtension;
    conn.query_row("SELECT value FROM meta WHERE key = 'dataset_hash'", [], |r| r.get(0)).optional()
}

/// Replaces every reference table with the shipped dataset, in one transaction.
pub fn seed(conn: &mut Connection, data: &Dataset) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    // Children first (reverse fill order), so foreign keys hold at every step.
    for table in REFERENCE_TABLES.iter().rev() {
        tx.execute(&format!("DELETE FROM {table}"), [])?;
    }
    tx.execute("DELETE FROM search_index WHERE origin = 'shipped'", [])?;
    let mut seeder = Seeder { tx: &tx, sources: Vec::new() };
    seeder.regions(data)?;
    seeder.checklist(data)?;
    seeder.cities(data)?;
    seeder.institutions(data)?;
    let places: std::collections::HashMap<&str, String> = data
        .cities
        .iter()
        .map(|c| (c.id.as_str(), format!("{} {} {} {}", c.name, c.local_names.join(" "), c.country_name, c.code)))
        .collect();
    seeder.evidence("challenge", &data.challenges, &places)?;
    seeder.evidence("practice", &data.practices, &places)?;
    seeder.surveys(data)?;
    seeder.coordination(data)?;
    seeder.findings(data)?;
    seeder.governance(data)?;
    seeder.glossary(data)?;
    seeder.flush_sources()?;
    let meta = [
        ("dataset_version", dataset::DATASET_VERSION.to_owned()),
        ("dataset_hash", dataset::dataset_hash().to_owned()),
        ("app_version", env!("CARGO_PKG_VERSION").to_owned()),
    ];
    for (key, value) in meta {
        tx.execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
    }
    tx.commit()
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

struct Seeder<'a> {
    tx: &'a Transaction<'a>,
    /// Every (record kind, id, source) seen, written to `sources` and `record_sources` at the end.
    sources: Vec<(String, String, Source)>,
}

impl Seeder<'_> {
    fn cite(&mut self, kind: &str, id: &str, sources: &[Source]) {
        for source in sources {
            self.sources.push((kind.to_owned(), id.to_owned(), source.clone()));
        }
    }

    fn index(&self, kind: &str, id: &str, title: &str, body: &str) -> rusqlite::Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO search_index(kind, record_id, origin, title, body) VALUES (?1, ?2, 'shipped', ?3, ?4)",
            )?
            .execute(params![kind, id, fold(title), fold(body)])?;
        Ok(())
    }

    fn regions(&mut self, data: &Dataset) -> rusqlite::Result<()> {
        let regions = &data.regions;
        for country in &regions.countries {
            self.tx.execute("INSERT INTO countries(iso, name) VALUES (?1, ?2)", params![country.iso, country.name])?;
        }
        for region in &regions.regions {
            self.tx.execute(
                "INSERT INTO regions(code, name, country) VALUES (?1, ?2, ?3)",
                params![region.code, region.name, region.country],
            )?;
            self.index("region", &region.code, &region.name, &format!("{} {}", region.code, region.country))?;
        }
        for (ord, ind) in regions.indicators.iter().enumerate() {
            self.tx.execute(
                "INSERT INTO region_indicators(code, ord, name, fb_label, comparison_label, unit, has_diff, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    ind.code,
                    ord as i64,
                    ind.name,
                    ind.fb_label,
                    ind.comparison_label,
                    ind.unit,
                    ind.has_diff,
                    ind.note
                ],
            )?;
        }
        let mut insert = self.tx.prepare(
            "INSERT INTO region_values(indicator, region, fb, comparison, diff, country_mean_diff, quartile)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for (indicator, region, fb, comp, diff, mean, quartile) in &regions.values {
            insert.execute(params![indicator, region, fb, comp, diff, mean, quartile])?;
        }
        for shape in &data.shapes.features {
            self.tx.execute(
                "INSERT INTO region_shapes(code, name, country, polygons) VALUES (?1, ?2, ?3, ?4)",
                params![shape.code, shape.name, shape.country, json(&shape.polygons)],
            )?;
        }
        let cite = regions.source.sources.clone();
        self.cite("regions", "regional-database", &cite);
        let shape_cite = data.shapes.sources.clone();
        self.cite("regions", "region-shapes", &shape_cite);
        Ok(())
    }

    fn checklist(&mut self, data: &Dataset) -> rusqlite::Result<()> {
        for block in &data.checklist.blocks {
            self.tx.execute(
                "INSERT INTO checklist_blocks(number, title, alt_titles) VALUES (?1, ?2, ?3)",
                params![block.number, block.title, json(&block.alt_titles)],
            )?;
            self.cite("block", &block.number.to_string(), &block.sources);
        }
        for o in &data.checklist.objectives {
            self.tx.execute(
                "INSERT INTO checklist_objectives(number, block, short_title, title, summary, wording_status, uncertain)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![o.number, o.block, o.short_title, o.title, o.summary, o.wording_status, json(&o.uncertain)],
            )?;
            let id = o.number.to_string();
            self.cite("objective", &id, &o.sources);
            self.index("objective", &id, &o.short_title, &format!("{} {}", o.title, o.summary))?;
        }
        Ok(())
    }

    fn cities(&mut self, data: &Dataset) -> rusqlite::Result<()> {
        for (ord, c) in data.cities.iter().enumerate() {
            self.tx.execute(
                "INSERT INTO cities(id, code, ord, name, country, country_name, region_code, lat, lon, size,
                     oecd_case_study_available, profile_note, publication, uncertain)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                params![
                    c.id,
                    c.code,
                    ord as i64,
                    c.name,
                    c.country,
                    c.country_name,
                    c.region_code,
                    c.lat,
                    c.lon,
                    c.size,
                    c.oecd_case_study_available,
                    c.profile_note,
                    c.publication.as_ref().map(json),
                    json(&c.uncertain)
                ],
            )?;
            for name in &c.local_names {
                self.tx.execute(
                    "INSERT OR IGNORE INTO city_local_names(city, name) VALUES (?1, ?2)",
                    params![c.id, name],
                )?;
            }
            self.cite("city", &c.id, &c.sources);
            if let Some(publication) = &c.publication {
                self.cite("city", &c.id, &publication.sources);
            }
            for (n, f) in c.figures.iter().enumerate() {
                let id = format!("{}-F{:02}", c.id, n + 1);
                self.tx.execute(
                    "INSERT INTO city_figures(id, city, ord, key, label, value, value_text, unit, year, grp, uncertain)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                    params![
                        id,
                        c.id,
                        n as i64,
                        f.key,
                        f.label,
                        f.value,
                        f.value_text,
                        f.unit,
                        f.year,
                        f.group,
                        json(&f.uncertain)
                    ],
                )?;
                self.cite("city_figure", &id, &f.sources);
            }
            let texts =
                [("governance", &c.governance), ("finding", &c.findings), ("recommendation", &c.recommendations)];
            let mut body = format!(
                "{} {} {}",
                c.local_names.join(" "),
                c.country_name,
                c.profile_note.clone().unwrap_or_default()
            );
            for (kind, items) in texts {
                for (n, t) in items.iter().enumerate() {
                    let id = format!("{}-{kind}-{:02}", c.id, n + 1);
                    self.tx.execute(
                        "INSERT INTO city_texts(id, city, kind, ord, text, uncertain) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![id, c.id, kind, n as i64, t.text, json(&t.uncertain)],
                    )?;
                    self.cite("city_text", &id, &t.sources);
                    body.push(' ');
                    body.push_str(&t.text);
                }
            }
            self.index("city", &c.id, &c.name, &body)?;
        }
        Ok(())
    }

    fn institutions(&mut self, data: &Dataset) -> rusqlite::Result<()> {
        for (n, i) in data.institutions.iter().enumerate() {
            let id = format!("I-{:03}", n + 1);
            self.tx.execute(
                "INSERT INTO institutions(id, country, country_name, city, level, body, responsibilities, uncertain)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![id, i.country, i.country_name, i.city, i.level, i.body, i.responsibilities, json(&i.uncertain)],
            )?;
            self.cite("institution", &id, &i.sources);
            let title = i.body.clone().unwrap_or_else(|| i.level.clone());
            self.index("institution", &id, &title, &i.responsibilities)?;
        }
        Ok(())
    }

    fn evidence(
        &mut self,
        kind: &str,
        records: &[EvidenceRecord],
        places: &std::collections::HashMap<&str, String>,
    ) -> rusqlite::Result<()> {
        for (ord, r) in records.iter().enumerate() {
            let confidence =
                r.sources.iter().map(|s| s.tag.as_str()).min_by_key(|t| dataset::tag_rank(t)).unwrap_or("external");
            self.tx
                .prepare_cached(
                    "INSERT INTO evidence(id, kind, ord, city, title, description, gap_type, levels_detail, objective,
                         objective_basis, objective_block_range, objective_coded, year_started, instrument_kind,
                         instrument_detail, confidence, tag_detail, uncertain, coding_notes)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
                )?
                .execute(params![
                    r.id,
                    kind,
                    ord as i64,
                    r.city,
                    r.title,
                    r.description,
                    r.gap_type,
                    r.levels_detail,
                    r.objective,
                    r.objective_basis,
                    r.objective_block_range.as_ref().map(json),
                    r.objective_coded,
                    r.year_started,
                    r.instrument_kind,
                    r.instrument_detail,
                    confidence,
                    r.tag_detail,
                    json(&r.uncertain),
                    json(&r.coding_notes)
                ])?;
            for level in &r.levels {
                self.tx
                    .prepare_cached("INSERT OR IGNORE INTO evidence_levels(evidence_id, level) VALUES (?1, ?2)")?
                    .execute(params![r.id, level])?;
            }
            for area in &r.policy_areas {
                self.tx
                    .prepare_cached("INSERT OR IGNORE INTO evidence_areas(evidence_id, area) VALUES (?1, ?2)")?
                    .execute(params![r.id, area])?;
            }
            for group in &r.migrant_groups {
                self.tx
                    .prepare_cached("INSERT OR IGNORE INTO evidence_groups(evidence_id, grp) VALUES (?1, ?2)")?
                    .execute(params![r.id, group])?;
            }
            for objective in &r.objective_also {
                self.tx
                    .prepare_cached(
                        "INSERT OR IGNORE INTO evidence_objectives_also(evidence_id, objective) VALUES (?1, ?2)",
                    )?
                    .execute(params![r.id, objective])?;
            }
            self.cite(kind, &r.id, &r.sources);
            let body = format!(
                "{} {} {} {} {} {} {} {}",
                r.id,
                places.get(r.city.as_str()).map_or("", String::as_str),
                r.description,
                r.gap_type,
                r.policy_areas.join(" "),
                r.migrant_groups.join(" "),
                r.levels.join(" "),
                r.coding_notes.join(" ")
            );
            self.index(kind, &r.id, &r.title, &body)?;
        }
        Ok(())
    }

    fn surveys(&mut self, data: &Dataset) -> rusqlite::Result<()> {
        let file = &data.survey;
        for s in &file.surveys {
            self.tx.execute(
                "INSERT INTO surveys(id, title, partners, fielded, respondent_count, instrument, channels, uncertain,
                     summary)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    s.id,
                    s.title,
                    json(&s.partners),
                    s.fielded,
                    s.respondent_count,
                    s.instrument.as_ref().map(json),
                    json(&s.channels),
                    json(&s.uncertain),
                    s.summary
                ],
            )?;
            self.cite("survey", &s.id, &s.sources);
            self.index(
                "survey",
                &s.id,
                &s.title,
                &format!("{} {} {}", s.partners.join(" "), s.channels.join(" "), s.summary.clone().unwrap_or_default()),
            )?;
            let mut ord = 0i64;
            for section in s.instrument.iter().flat_map(|i| &i.sections) {
                for q in &section.questions {
                    self.tx.execute(
                        "INSERT OR IGNORE INTO survey_questions(survey, code, ord, section_code, section_title, text, kind, unit, status)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                        params![s.id, q.code, ord, section.code, section.title, q.text, q.kind, q.unit, q.status],
                    )?;
                    ord += 1;
                }
            }
            // Respondents: the named ones first, then the unnamed ones, numbered up to the survey's count.
            let named: Vec<_> = file.respondents.iter().filter(|r| r.survey == s.id).collect();
            for (n, r) in named.iter().enumerate() {
                let id = format!("{}-R{:02}", s.id, n + 1);
                self.tx.execute(
                    "INSERT INTO survey_respondents(id, survey, ord, city, name, named, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL)",
                    params![id, s.id, n as i64, r.city, r.name, r.named],
                )?;
                self.cite("respondent", &id, &r.sources);
            }
            if let Some(unnamed) = file.unnamed_respondents.as_ref().filter(|u| u.survey == s.id) {
                for k in 0..unnamed.count.max(0) as usize {
                    let n = named.len() + k;
                    let id = format!("{}-R{:02}", s.id, n + 1);
                    self.tx.execute(
                        "INSERT INTO survey_respondents(id, survey, ord, city, name, named, note) VALUES (?1, ?2, ?3, NULL, NULL, 0, ?4)",
                        params![id, s.id, n as i64, unnamed.note],
                    )?;
                    self.cite("respondent", &id, &unnamed.sources);
                }
            }
        }
        for (ord, f) in file.figures.iter().enumerate() {
            self.tx.execute(
                "INSERT INTO survey_figures(id, survey, ord, value_text, value, unit, measures, denominator, kind, uncertain)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![f.id, f.survey, ord as i64, f.value_text, f.value, f.unit, f.measures, f.denominator, f.kind, json(&f.uncertain)],
            )?;
            self.cite("survey_figure", &f.id, &f.sources);
            self.index(
                "survey_figure",
                &f.id,
                &f.value_text,
                &format!("{} {}", f.measures, f.denominator.clone().unwrap_or_default()),
            )?;
        }
        for (ord, p) in file.project_facts.iter().enumerate() {
            let id = format!("PF-{:02}", ord + 1);
            self.tx.execute(
                "INSERT INTO project_facts(id, ord, fact, value_text, uncertain) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, ord as i64, p.fact, p.value_text, json(&p.uncertain)],
            )?;
            self.cite("project_fact", &id, &p.sources);
        }
        Ok(())
    }

    fn coordination(&mut self, data: &Dataset) -> rusqlite::Result<()> {
        let paper = &data.coordination.paper;
        self.tx.execute(
            "INSERT INTO meta(key, value) VALUES ('coordination_paper', ?1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![json(&(&paper.title, &paper.series, &paper.date))],
        )?;
        self.cite("coordination_tool", "paper", &paper.sources);
        for (ord, t) in data.coordination.instruments.iter().enumerate() {
            self.tx.execute(
                "INSERT INTO coordination_tools(id, ord, name, country, grp, description, uncertain, addresses, gap_types)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    t.id,
                    ord as i64,
                    t.name,
                    t.country,
                    t.group,
                    t.description,
                    json(&t.uncertain),
                    t.addresses,
                    json(&t.gap_types)
                ],
            )?;
            self.cite("coordination_tool", &t.id, &t.sources);
            self.index("coordination_tool", &t.id, &t.name, &t.description)?;
        }
        Ok(())
    }

    fn findings(&mut self, data: &Dataset) -> rusqlite::Result<()> {
        for (ord, f) in data.findings.findings.iter().enumerate() {
            self.tx.execute(
                "INSERT INTO findings(id, ord, theme, statement, views, link_note, uncertain)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![f.id, ord as i64, f.theme, f.statement, json(&f.views), f.link_note, json(&f.uncertain)],
            )?;
            let l = &f.links;
            let objectives: Vec<String> = l.objectives.iter().map(i64::to_string).collect();
            let links = [
                ("indicator", &l.indicators),
                ("challenge", &l.challenges),
                ("practice", &l.practices),
                ("objective", &objectives),
                ("survey_figure", &l.survey_figures),
                ("city", &l.cities),
            ];
            for (kind, targets) in links {
                for (n, target) in targets.iter().enumerate() {
                    self.tx
                        .prepare_cached(
                            "INSERT OR IGNORE INTO finding_links(finding_id, kind, target, ord) VALUES (?1, ?2, ?3, ?4)",
                        )?
                        .execute(params![f.id, kind, target, n as i64])?;
                }
            }
            self.cite("finding", &f.id, &f.sources);
            self.index("finding", &f.id, &f.theme, &f.statement)?;
        }
        Ok(())
    }

    fn governance(&mut self, data: &Dataset) -> rusqlite::Result<()> {
        let g = &data.governance;
        for (ord, c) in g.cells.iter().enumerate() {
            let id = format!("G-{:03}", ord + 1);
            let country_name = g.countries.iter().find(|k| k.iso == c.country).map_or(c.country.as_str(), |k| &k.name);
            self.tx.execute(
                "INSERT INTO governance_cells(id, ord, country, country_name, city, level, area, body, role, competence,
                     institution, uncertain)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    id,
                    ord as i64,
                    c.country,
                    country_name,
                    c.city,
                    c.level,
                    c.area,
                    c.body,
                    c.role,
                    c.competence,
                    c.institution,
                    json(&c.uncertain)
                ],
            )?;
            self.cite("governance_cell", &id, &c.sources);
            self.index(
                "governance_cell",
                &id,
                &c.body,
                &format!("{} {} {} {}", country_name, c.level, c.area, c.role),
            )?;
        }
        self.tx.execute(
            "INSERT INTO meta(key, value) VALUES ('governance_axes', ?1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![json(&(&g.levels, &g.areas))],
        )?;
        if let Some(note) = &g.note {
            self.tx.execute(
                "INSERT INTO meta(key, value) VALUES ('governance_note', ?1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![note],
            )?;
            self.cite("governance", "note", &g.note_sources);
        }
        Ok(())
    }

    /// The glossary of acronyms, with their sources (kind `glossary_term`). Not in the search index: a term is
    /// found through the records that use it.
    fn glossary(&mut self, data: &Dataset) -> rusqlite::Result<()> {
        for (ord, g) in data.glossary.iter().enumerate() {
            self.tx.execute(
                "INSERT INTO glossary(id, ord, term, expansion, meaning, uncertain) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![g.id, ord as i64, g.term, g.expansion, g.meaning, json(&g.uncertain)],
            )?;
            self.cite("glossary_term", &g.id, &g.sources);
        }
        Ok(())
    }

    /// Writes the sources table (first title/publisher seen wins) and every record → source link.
    fn flush_sources(&mut self) -> rusqlite::Result<()> {
        let mut upsert = self.tx.prepare(
            "INSERT INTO sources(url, title, publisher) VALUES (?1, ?2, ?3)
             ON CONFLICT(url) DO UPDATE SET title = coalesce(sources.title, excluded.title),
                                            publisher = coalesce(sources.publisher, excluded.publisher)",
        )?;
        let mut link = self.tx.prepare(
            "INSERT INTO record_sources(record_kind, record_id, ord, url, tag, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut last: Option<(String, String)> = None;
        let mut ord = 0i64;
        for (kind, id, s) in &self.sources {
            upsert.execute(params![s.url, s.title, s.publisher])?;
            let key = (kind.clone(), id.clone());
            if last.as_ref() == Some(&key) {
                ord += 1;
            } else {
                ord = 0;
                last = Some(key);
            }
            link.execute(params![kind, id, ord, s.url, s.tag, s.note])?;
        }
        Ok(())
    }
}
