//! Reading: the in-memory [`Atlas`], table counts, and full-text search.

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::{Connection, Row, params};
use serde::Serialize;

use super::{Store, StoreError};
use atlas_core::dataset::{Publication, Source};
use atlas_core::model::{
    Atlas, AtlasInfo, Block, City, CityFigure, CityText, CoordinationTool, Evidence, EvidenceKind, Finding,
    GlossaryEntry, Governance, GovernanceCell, Indicator, Institution, Objective, Origin, Region, RegionShape,
    RegionValue, SourceEntry, SurveyFigure, SurveyInfo,
};

/// Rows per table and evidence per confidence tag.
#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    pub tables: Vec<(String, i64)>,
    pub by_tag: Vec<TagCount>,
}

/// How many records of a kind rest, at best, on each tag.
#[derive(Debug, Clone, Serialize)]
pub struct TagCount {
    pub kind: String,
    pub total: i64,
    pub oecd: i64,
    pub oecd_via: i64,
    pub oecd_other: i64,
    pub external: i64,
}

fn strings(text: Option<String>) -> Vec<String> {
    text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default()
}

type SourceMap = HashMap<(String, String), Vec<Source>>;

fn load_sources(conn: &Connection) -> rusqlite::Result<SourceMap> {
    let mut stmt = conn.prepare(
        "SELECT rs.record_kind, rs.record_id, rs.url, rs.tag, rs.note, s.title, s.publisher
         FROM record_sources rs JOIN sources s ON s.url = rs.url ORDER BY rs.record_kind, rs.record_id, rs.ord",
    )?;
    let mut map: SourceMap = HashMap::new();
    let rows = stmt.query_map([], |r| {
        Ok((
            (r.get::<_, String>(0)?, r.get::<_, String>(1)?),
            Source { url: r.get(2)?, tag: r.get(3)?, note: r.get(4)?, title: r.get(5)?, publisher: r.get(6)? },
        ))
    })?;
    for row in rows {
        let (key, source) = row?;
        map.entry(key).or_default().push(source);
    }
    Ok(map)
}

/// Every source with the records citing it, most-cited first.
fn load_source_list(conn: &Connection) -> rusqlite::Result<Vec<SourceEntry>> {
    let mut entries: Vec<SourceEntry> = conn
        .prepare("SELECT url, title, publisher FROM sources")?
        .query_map([], |r| {
            Ok(SourceEntry { url: r.get(0)?, title: r.get(1)?, publisher: r.get(2)?, cited_by: Vec::new() })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let index: HashMap<String, usize> = entries.iter().enumerate().map(|(i, e)| (e.url.clone(), i)).collect();
    let mut stmt =
        conn.prepare("SELECT url, record_kind, record_id, tag FROM record_sources ORDER BY record_kind, record_id")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    for row in rows {
        let (url, kind, id, tag) = row?;
        if let Some(i) = index.get(&url) {
            let cited = &mut entries[*i].cited_by;
            if !cited.iter().any(|(k, r, _)| *k == kind && *r == id) {
                cited.push((kind, id, tag));
            }
        }
    }
    entries.sort_by(|a, b| b.cited_by.len().cmp(&a.cited_by.len()).then(a.url.cmp(&b.url)));
    Ok(entries)
}

fn take(map: &mut SourceMap, kind: &str, id: &str) -> Vec<Source> {
    map.remove(&(kind.to_owned(), id.to_owned())).unwrap_or_default()
}

fn grouped(conn: &Connection, sql: &str) -> rusqlite::Result<HashMap<String, Vec<String>>> {
    let mut stmt = conn.prepare(sql)?;
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (k, v) = row?;
        map.entry(k).or_default().push(v);
    }
    Ok(map)
}

impl Store {
    /// Loads everything the views show into memory.
    pub fn load_atlas(&self) -> Result<Atlas, StoreError> {
        self.load_atlas_inner().map_err(|e| self.err(&e))
    }

    fn load_atlas_inner(&self) -> rusqlite::Result<Atlas> {
        let conn = &self.conn;
        let mut sources = load_sources(conn)?;
        let meta = load_meta(conn)?;
        let info = self.atlas_info(&meta, &mut sources);
        let countries = load_countries(conn)?;
        let cities = load_cities(conn, &mut sources)?;
        let evidence = load_evidence(conn, &cities, &mut sources)?;
        let (blocks, objectives) = load_checklist(conn, &mut sources)?;
        let indicators = load_indicators(conn)?;
        let regions = load_regions(conn, &countries)?;
        let region_values = load_region_values(conn)?;
        let region_shapes = load_region_shapes(conn)?;
        let surveys = load_surveys(conn, &mut sources)?;
        let survey_figures = load_survey_figures(conn, &mut sources)?;
        let institutions = load_institutions(conn, &mut sources)?;
        let coordination_tools = load_coordination_tools(conn, &mut sources)?;
        let findings = load_findings(conn, &mut sources)?;
        let governance = load_governance(conn, &meta, &mut sources)?;
        let glossary = load_glossary(conn, &mut sources)?;
        let source_list = load_source_list(conn)?;
        let mut atlas = Atlas {
            findings,
            governance,
            glossary,
            info,
            institutions,
            coordination_tools,
            sources: source_list,
            evidence,
            cities,
            blocks,
            objectives,
            indicators,
            regions,
            region_values,
            region_shapes,
            surveys,
            survey_figures,
            region_index: Default::default(),
        };
        atlas.index();
        Ok(atlas)
    }

    /// What the atlas says about itself: the database, the dataset's version and hash, the regional data's citation.
    fn atlas_info(&self, meta: &HashMap<String, String>, sources: &mut SourceMap) -> AtlasInfo {
        let regions_sources = take(sources, "regions", "regional-database");
        AtlasInfo {
            database: self.path.display().to_string(),
            dataset_version: meta.get("dataset_version").cloned().unwrap_or_default(),
            dataset_hash: meta.get("dataset_hash").cloned().unwrap_or_default(),
            regions_citation: regions_sources.first().and_then(|s| s.title.clone()).unwrap_or_default(),
            regions_note: "Reference years are not in the regional data; the report's regional figures are from \
                           around 2014–2015 (exact years uncertain)."
                .to_owned(),
        }
    }

    /// Row counts of every table, and evidence per strongest source tag.
    pub fn counts(&self) -> Result<Counts, StoreError> {
        self.counts_inner().map_err(|e| self.err(&e))
    }

    fn counts_inner(&self) -> rusqlite::Result<Counts> {
        let mut tables = Vec::new();
        let all = super::schema::REFERENCE_TABLES.iter().chain(super::schema::USER_TABLES.iter());
        for table in all {
            let n: i64 = self.conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
            tables.push(((*table).to_owned(), n));
        }
        let mut by_kind: BTreeMap<String, TagCount> = BTreeMap::new();
        let mut stmt =
            self.conn.prepare("SELECT kind, confidence, count(*) FROM evidence GROUP BY kind, confidence")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?;
        for row in rows {
            let (kind, tag, n) = row?;
            let entry = by_kind.entry(kind.clone()).or_insert(TagCount {
                kind,
                total: 0,
                oecd: 0,
                oecd_via: 0,
                oecd_other: 0,
                external: 0,
            });
            entry.total += n;
            match tag.as_str() {
                "oecd" => entry.oecd += n,
                "oecd-via" => entry.oecd_via += n,
                "oecd-other" => entry.oecd_other += n,
                _ => entry.external += n,
            }
        }
        Ok(Counts { tables, by_tag: by_kind.into_values().collect() })
    }

    /// Full-text search: the ids of records of `kind` (e.g. "challenge") matching every term of `query`,
    /// accent- and case-insensitively, terms as prefixes. Returns `None` when the query has no searchable term.
    pub fn search_ids(&self, kind: &str, query: &str) -> Result<Option<HashSet<String>>, StoreError> {
        let Some(fts) = fts_query(query) else { return Ok(None) };
        let run = || -> rusqlite::Result<HashSet<String>> {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT record_id FROM search_index WHERE search_index MATCH ?1 AND kind = ?2")?;
            stmt.query_map(params![fts, kind], |r| r.get(0))?.collect()
        };
        run().map(Some).map_err(|e| self.err(&e))
    }
}

impl Store {
    /// Full-text search over every record kind: (kind, record id, title), best matches first, at most `limit`.
    pub fn search_all(&self, query: &str, limit: usize) -> Result<Vec<(String, String, String)>, StoreError> {
        let Some(fts) = fts_query(query) else { return Ok(Vec::new()) };
        let run = || -> rusqlite::Result<Vec<(String, String, String)>> {
            let mut stmt = self.conn.prepare_cached(
                "SELECT kind, record_id, title FROM search_index WHERE search_index MATCH ?1 ORDER BY rank LIMIT ?2",
            )?;
            stmt.query_map(params![fts, limit as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect()
        };
        run().map_err(|e| self.err(&e))
    }
}

/// Builds a safe FTS5 query from user text: every term becomes a quoted prefix, all terms must match.
pub fn fts_query(query: &str) -> Option<String> {
    let terms = atlas_core::text::terms(query);
    if terms.is_empty() {
        return None;
    }
    Some(terms.iter().map(|t| format!("\"{t}\"*")).collect::<Vec<_>>().join(" AND "))
}

/// The `meta` table: the dataset's version and hash, the governance grid's axes and note.
fn load_meta(conn: &Connection) -> rusqlite::Result<HashMap<String, String>> {
    conn.prepare("SELECT key, value FROM meta")?.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect()
}

/// Country names by ISO code.
fn load_countries(conn: &Connection) -> rusqlite::Result<HashMap<String, String>> {
    conn.prepare("SELECT iso, name FROM countries")?.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect()
}

/// The case-study cities with their local names, figures, profile texts and sources.
fn load_cities(conn: &Connection, sources: &mut SourceMap) -> rusqlite::Result<Vec<City>> {
    let local_names = grouped(conn, "SELECT city, name FROM city_local_names ORDER BY rowid")?;
    let mut figures = load_city_figures(conn, sources)?;
    let mut texts = load_city_texts(conn, sources)?;
    let mut cities = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT id, code, name, country, country_name, region_code, lat, lon, size, oecd_case_study_available,
                profile_note, publication, uncertain FROM cities ORDER BY ord",
    )?;
    let rows = stmt.query_map([], |r: &Row| {
        Ok(City {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            local_names: Vec::new(),
            country: r.get(3)?,
            country_name: r.get(4)?,
            region_code: r.get(5)?,
            lat: r.get(6)?,
            lon: r.get(7)?,
            size: r.get(8)?,
            oecd_case_study_available: r.get(9)?,
            profile_note: r.get(10)?,
            publication: r.get::<_, Option<String>>(11)?.and_then(|t| serde_json::from_str::<Publication>(&t).ok()),
            figures: Vec::new(),
            governance: Vec::new(),
            findings: Vec::new(),
            recommendations: Vec::new(),
            sources: Vec::new(),
            uncertain: strings(r.get(12)?),
        })
    })?;
    for row in rows {
        let mut c = row?;
        c.local_names = local_names.get(&c.id).cloned().unwrap_or_default();
        c.figures = figures.remove(&c.id).unwrap_or_default();
        c.governance = texts.remove(&(c.id.clone(), "governance".to_owned())).unwrap_or_default();
        c.findings = texts.remove(&(c.id.clone(), "finding".to_owned())).unwrap_or_default();
        c.recommendations = texts.remove(&(c.id.clone(), "recommendation".to_owned())).unwrap_or_default();
        c.sources = take(sources, "city", &c.id);
        cities.push(c);
    }
    Ok(cities)
}

/// The cities' key figures with their sources, by city, in the cities' order.
fn load_city_figures(conn: &Connection, sources: &mut SourceMap) -> rusqlite::Result<HashMap<String, Vec<CityFigure>>> {
    let mut figures: HashMap<String, Vec<CityFigure>> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT id, city, label, value, value_text, unit, year, grp, uncertain FROM city_figures ORDER BY city, ord",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(1)?,
            CityFigure {
                id: r.get(0)?,
                label: r.get(2)?,
                value: r.get(3)?,
                value_text: r.get(4)?,
                unit: r.get(5)?,
                year: r.get(6)?,
                group: r.get(7)?,
                sources: Vec::new(),
                uncertain: strings(r.get(8)?),
            },
        ))
    })?;
    for row in rows {
        let (city, mut f) = row?;
        f.sources = take(sources, "city_figure", &f.id);
        figures.entry(city).or_default().push(f);
    }
    Ok(figures)
}

/// The cities' profile texts (governance, findings, recommendations) with their sources, by (city, kind).
fn load_city_texts(
    conn: &Connection,
    sources: &mut SourceMap,
) -> rusqlite::Result<HashMap<(String, String), Vec<CityText>>> {
    let mut texts: HashMap<(String, String), Vec<CityText>> = HashMap::new();
    let mut stmt = conn.prepare("SELECT id, city, kind, text, uncertain FROM city_texts ORDER BY city, kind, ord")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            (r.get::<_, String>(1)?, r.get::<_, String>(2)?),
            CityText { id: r.get(0)?, text: r.get(3)?, sources: Vec::new(), uncertain: strings(r.get(4)?) },
        ))
    })?;
    for row in rows {
        let (key, mut t) = row?;
        t.sources = take(sources, "city_text", &t.id);
        texts.entry(key).or_default().push(t);
    }
    Ok(texts)
}

/// The shipped challenges and practices with their levels, areas, groups, other objectives, city names and sources.
fn load_evidence(conn: &Connection, cities: &[City], sources: &mut SourceMap) -> rusqlite::Result<Vec<Evidence>> {
    let city_names: HashMap<&str, (&str, &str)> =
        cities.iter().map(|c| (c.id.as_str(), (c.name.as_str(), c.country.as_str()))).collect();
    let levels = grouped(conn, "SELECT evidence_id, level FROM evidence_levels ORDER BY rowid")?;
    let areas = grouped(conn, "SELECT evidence_id, area FROM evidence_areas ORDER BY rowid")?;
    let groups = grouped(conn, "SELECT evidence_id, grp FROM evidence_groups ORDER BY rowid")?;
    let also = grouped(conn, "SELECT evidence_id, CAST(objective AS TEXT) FROM evidence_objectives_also")?;
    let mut evidence = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT id, kind, city, title, description, gap_type, levels_detail, objective, objective_basis,
                objective_coded, year_started, instrument_kind, instrument_detail, confidence, tag_detail,
                uncertain, coding_notes
         FROM evidence ORDER BY kind, ord",
    )?;
    let rows = stmt.query_map([], |r| {
        let kind: String = r.get(1)?;
        Ok(Evidence {
            id: r.get(0)?,
            kind: if kind == "practice" { EvidenceKind::Practice } else { EvidenceKind::Challenge },
            origin: Origin::Shipped,
            city: r.get(2)?,
            city_name: String::new(),
            country: String::new(),
            title: r.get(3)?,
            description: r.get(4)?,
            gap_type: r.get(5)?,
            levels: Vec::new(),
            levels_detail: r.get(6)?,
            policy_areas: Vec::new(),
            migrant_groups: Vec::new(),
            objective: r.get(7)?,
            objective_also: Vec::new(),
            objective_basis: r.get(8)?,
            objective_coded: r.get(9)?,
            year_started: r.get(10)?,
            instrument_kind: r.get(11)?,
            instrument_detail: r.get(12)?,
            confidence: r.get(13)?,
            tag_detail: r.get(14)?,
            sources: Vec::new(),
            uncertain: strings(r.get(15)?),
            coding_notes: strings(r.get(16)?),
        })
    })?;
    for row in rows {
        let mut e = row?;
        if let Some((name, country)) = city_names.get(e.city.as_str()) {
            e.city_name = (*name).to_owned();
            e.country = (*country).to_owned();
        }
        e.levels = levels.get(&e.id).cloned().unwrap_or_default();
        e.policy_areas = areas.get(&e.id).cloned().unwrap_or_default();
        e.migrant_groups = groups.get(&e.id).cloned().unwrap_or_default();
        e.objective_also =
            also.get(&e.id).map(|v| v.iter().filter_map(|s| s.parse().ok()).collect()).unwrap_or_default();
        e.sources = take(sources, e.kind.as_str(), &e.id);
        evidence.push(e);
    }
    Ok(evidence)
}

/// The checklist: its blocks, and its objectives with their sources.
fn load_checklist(conn: &Connection, sources: &mut SourceMap) -> rusqlite::Result<(Vec<Block>, Vec<Objective>)> {
    let blocks = conn
        .prepare("SELECT number, title, alt_titles FROM checklist_blocks ORDER BY number")?
        .query_map([], |r| Ok(Block { number: r.get(0)?, title: r.get(1)?, alt_titles: strings(r.get(2)?) }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut objectives = conn
        .prepare(
            "SELECT number, block, short_title, title, summary, wording_status, uncertain
             FROM checklist_objectives ORDER BY number",
        )?
        .query_map([], |r| {
            Ok(Objective {
                number: r.get(0)?,
                block: r.get(1)?,
                short_title: r.get(2)?,
                title: r.get(3)?,
                summary: r.get(4)?,
                wording_status: r.get(5)?,
                sources: Vec::new(),
                uncertain: strings(r.get(6)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for o in &mut objectives {
        o.sources = take(sources, "objective", &o.number.to_string());
    }
    Ok((blocks, objectives))
}

/// The regional indicators, in the data's order.
fn load_indicators(conn: &Connection) -> rusqlite::Result<Vec<Indicator>> {
    conn.prepare(
        "SELECT code, name, fb_label, comparison_label, unit, has_diff, note FROM region_indicators ORDER BY ord",
    )?
    .query_map([], |r| {
        Ok(Indicator {
            code: r.get(0)?,
            name: r.get(1)?,
            fb_label: r.get(2)?,
            comparison_label: r.get(3)?,
            unit: r.get(4)?,
            has_diff: r.get(5)?,
            note: r.get(6)?,
        })
    })?
    .collect()
}

/// The regions, by country, with their country's name (`countries`: names by ISO code).
fn load_regions(conn: &Connection, countries: &HashMap<String, String>) -> rusqlite::Result<Vec<Region>> {
    conn.prepare("SELECT code, name, country FROM regions ORDER BY country, code")?
        .query_map([], |r| {
            let country: String = r.get(2)?;
            Ok(Region {
                code: r.get(0)?,
                name: r.get(1)?,
                country_name: countries.get(&country).cloned().unwrap_or_else(|| country.clone()),
                country,
            })
        })?
        .collect()
}

/// Every regional indicator's value in every region.
fn load_region_values(conn: &Connection) -> rusqlite::Result<Vec<RegionValue>> {
    conn.prepare(
        "SELECT indicator, region, fb, comparison, diff, country_mean_diff, quartile FROM region_values
         ORDER BY indicator, region",
    )?
    .query_map([], |r| {
        Ok(RegionValue {
            indicator: r.get(0)?,
            region: r.get(1)?,
            fb: r.get(2)?,
            comparison: r.get(3)?,
            diff: r.get(4)?,
            country_mean_diff: r.get(5)?,
            quartile: r.get(6)?,
        })
    })?
    .collect()
}

/// The regions' outlines for the map.
fn load_region_shapes(conn: &Connection) -> rusqlite::Result<Vec<RegionShape>> {
    conn.prepare("SELECT code, name, country, polygons FROM region_shapes ORDER BY code")?
        .query_map([], |r| {
            Ok(RegionShape {
                code: r.get(0)?,
                name: r.get(1)?,
                country: r.get(2)?,
                polygons: serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or_default(),
            })
        })?
        .collect()
}

/// The surveys with their named respondents, the count of unnamed ones, and their sources.
fn load_surveys(conn: &Connection, sources: &mut SourceMap) -> rusqlite::Result<Vec<SurveyInfo>> {
    let named =
        grouped(conn, "SELECT survey, coalesce(name, city) FROM survey_respondents WHERE named = 1 ORDER BY ord")?;
    let unnamed: HashMap<String, i64> = conn
        .prepare("SELECT survey, count(*) FROM survey_respondents WHERE named = 0 GROUP BY survey")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut surveys = conn
        .prepare(
            "SELECT id, title, partners, fielded, respondent_count, instrument, channels, uncertain, summary
             FROM surveys ORDER BY rowid",
        )?
        .query_map([], |r| {
            let id: String = r.get(0)?;
            Ok(SurveyInfo {
                title: r.get(1)?,
                partners: strings(r.get(2)?),
                fielded: r.get(3)?,
                respondent_count: r.get(4)?,
                named_respondents: named.get(&id).cloned().unwrap_or_default(),
                unnamed_respondents: unnamed.get(&id).copied().unwrap_or(0),
                instrument: r.get::<_, Option<String>>(5)?.and_then(|t| serde_json::from_str(&t).ok()),
                channels: strings(r.get(6)?),
                sources: Vec::new(),
                uncertain: strings(r.get(7)?),
                summary: r.get(8)?,
                id,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for s in &mut surveys {
        s.sources = take(sources, "survey", &s.id);
    }
    Ok(surveys)
}

/// The survey figures with their sources and the strongest source's tag.
fn load_survey_figures(conn: &Connection, sources: &mut SourceMap) -> rusqlite::Result<Vec<SurveyFigure>> {
    let mut survey_figures = conn
        .prepare(
            "SELECT id, survey, value_text, value, unit, measures, denominator, kind, uncertain FROM survey_figures
             ORDER BY ord",
        )?
        .query_map([], |r| {
            Ok(SurveyFigure {
                id: r.get(0)?,
                survey: r.get(1)?,
                value_text: r.get(2)?,
                value: r.get(3)?,
                unit: r.get(4)?,
                measures: r.get(5)?,
                denominator: r.get(6)?,
                kind: r.get(7)?,
                confidence: String::new(),
                sources: Vec::new(),
                uncertain: strings(r.get(8)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for f in &mut survey_figures {
        f.sources = take(sources, "survey_figure", &f.id);
        f.confidence = strongest(&f.sources);
    }
    Ok(survey_figures)
}

/// The institutions responsible for integration, with their sources.
fn load_institutions(conn: &Connection, sources: &mut SourceMap) -> rusqlite::Result<Vec<Institution>> {
    let mut institutions = conn
        .prepare(
            "SELECT id, country, country_name, city, level, body, responsibilities, uncertain FROM institutions
             ORDER BY id",
        )?
        .query_map([], |r| {
            Ok(Institution {
                id: r.get(0)?,
                country: r.get(1)?,
                country_name: r.get(2)?,
                city: r.get(3)?,
                level: r.get(4)?,
                body: r.get(5)?,
                responsibilities: r.get(6)?,
                sources: Vec::new(),
                uncertain: strings(r.get(7)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for i in &mut institutions {
        i.sources = take(sources, "institution", &i.id);
    }
    Ok(institutions)
}

/// The co-ordination instruments with their sources.
fn load_coordination_tools(conn: &Connection, sources: &mut SourceMap) -> rusqlite::Result<Vec<CoordinationTool>> {
    let mut tools = conn
        .prepare(
            "SELECT id, name, country, grp, description, uncertain, addresses, gap_types FROM coordination_tools
             ORDER BY ord",
        )?
        .query_map([], |r| {
            Ok(CoordinationTool {
                id: r.get(0)?,
                name: r.get(1)?,
                country: r.get(2)?,
                group: r.get(3)?,
                description: r.get(4)?,
                addresses: r.get(6)?,
                gap_types: strings(r.get(7)?),
                sources: Vec::new(),
                uncertain: strings(r.get(5)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for t in &mut tools {
        t.sources = take(sources, "coordination_tool", &t.id);
    }
    Ok(tools)
}

/// The report's findings with their links and sources.
fn load_findings(conn: &Connection, sources: &mut SourceMap) -> rusqlite::Result<Vec<Finding>> {
    let mut links: HashMap<String, atlas_core::dataset::FindingLinks> = HashMap::new();
    {
        let mut stmt =
            conn.prepare("SELECT finding_id, kind, target FROM finding_links ORDER BY finding_id, kind, ord")?;
        let rows =
            stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
        for row in rows {
            let (id, kind, target) = row?;
            let l = links.entry(id).or_default();
            match kind.as_str() {
                "indicator" => l.indicators.push(target),
                "challenge" => l.challenges.push(target),
                "practice" => l.practices.push(target),
                "objective" => l.objectives.extend(target.parse::<i64>().ok()),
                "survey_figure" => l.survey_figures.push(target),
                "city" => l.cities.push(target),
                _ => {}
            }
        }
    }
    let mut findings = conn
        .prepare("SELECT id, theme, statement, views, link_note, uncertain FROM findings ORDER BY ord")?
        .query_map([], |r| {
            Ok(Finding {
                id: r.get(0)?,
                theme: r.get(1)?,
                statement: r.get(2)?,
                views: strings(r.get(3)?),
                links: Default::default(),
                link_note: r.get(4)?,
                confidence: String::new(),
                sources: Vec::new(),
                uncertain: strings(r.get(5)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for f in &mut findings {
        f.links = links.remove(&f.id).unwrap_or_default();
        f.sources = take(sources, "finding", &f.id);
        f.confidence = strongest(&f.sources);
    }
    Ok(findings)
}

/// The who-does-what grid: its axes (from `meta`) and every entry with its sources.
fn load_governance(
    conn: &Connection,
    meta: &HashMap<String, String>,
    sources: &mut SourceMap,
) -> rusqlite::Result<Governance> {
    let (levels, areas): (Vec<String>, Vec<String>) =
        meta.get("governance_axes").and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default();
    let mut cells = conn
        .prepare(
            "SELECT id, country, country_name, city, level, area, body, role, competence, institution, uncertain
             FROM governance_cells ORDER BY ord",
        )?
        .query_map([], |r| {
            Ok(GovernanceCell {
                id: r.get(0)?,
                country: r.get(1)?,
                country_name: r.get(2)?,
                city: r.get(3)?,
                level: r.get(4)?,
                area: r.get(5)?,
                body: r.get(6)?,
                role: r.get(7)?,
                competence: r.get(8)?,
                institution: r.get(9)?,
                confidence: String::new(),
                sources: Vec::new(),
                uncertain: strings(r.get(10)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for c in &mut cells {
        c.sources = take(sources, "governance_cell", &c.id);
        c.confidence = strongest(&c.sources);
    }
    let note_sources = take(sources, "governance", "note");
    Ok(Governance { levels, areas, note: meta.get("governance_note").cloned(), note_sources, cells })
}

/// The glossary of acronyms, by term (case-insensitively), with their sources.
fn load_glossary(conn: &Connection, sources: &mut SourceMap) -> rusqlite::Result<Vec<GlossaryEntry>> {
    let mut entries = conn
        .prepare("SELECT id, term, expansion, meaning, uncertain FROM glossary ORDER BY lower(term), ord")?
        .query_map([], |r| {
            Ok(GlossaryEntry {
                id: r.get(0)?,
                term: r.get(1)?,
                expansion: r.get(2)?,
                meaning: r.get(3)?,
                confidence: String::new(),
                sources: Vec::new(),
                uncertain: strings(r.get(4)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for e in &mut entries {
        e.sources = take(sources, "glossary_term", &e.id);
        e.confidence = strongest(&e.sources);
    }
    Ok(entries)
}

fn strongest(sources: &[Source]) -> String {
    sources
        .iter()
        .map(|s| s.tag.as_str())
        .min_by_key(|t| atlas_core::dataset::tag_rank(t))
        .unwrap_or("external")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use crate::{OpenOutcome, Store};

    /// The glossary is seeded with its sources and read back by term; the governance note keeps its sources.
    #[test]
    fn the_glossary_and_the_governance_note_come_back_with_their_sources() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("a.sqlite")).expect("opens");
        assert_eq!(store.check().expect("check"), vec![]);
        let atlas = store.load_atlas().expect("atlas");
        let data = atlas_core::dataset::Dataset::embedded().expect("dataset");
        assert_eq!(atlas.glossary.len(), data.glossary.len());
        let terms: Vec<String> = atlas.glossary.iter().map(|g| g.term.to_lowercase()).collect();
        assert!(terms.windows(2).all(|w| w[0] <= w[1]), "sorted by term: {terms:?}");
        let ofii = atlas.glossary_entry("OFII").expect("OFII");
        assert_eq!(ofii.expansion.as_deref(), Some("Office français de l'immigration et de l'intégration"));
        assert!(!ofii.sources.is_empty() && ofii.confidence == "oecd", "{ofii:?}");
        let idos = atlas.glossary_entry("IDOS").expect("IDOS");
        assert_eq!((idos.expansion.as_deref(), idos.expansion_text()), (None, "expansion unknown"));
        let cor = atlas.glossary_entry("CoR").expect("CoR");
        assert_eq!(cor.expansion.as_deref(), Some("European Committee of the Regions"));
        assert!(atlas.glossary.iter().all(|g| !g.sources.is_empty()));
        let found: Vec<&str> =
            atlas.glossary_in("Operations with OFPRA, OFII and NGOs").iter().map(|g| g.term.as_str()).collect();
        assert_eq!(found, vec!["OFPRA", "OFII", "NGO"]);
        assert!(atlas.governance.note_sources.iter().any(|s| s.url.contains("ameliorer-l-integration-locale")));
    }

    /// A database made before the glossary (schema 8, an older dataset) gets the table and its rows on the next
    /// open; the users' rows stay as they were.
    #[test]
    fn an_older_database_gains_the_glossary_and_keeps_user_rows() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("old.sqlite");
        drop(Store::open(&path).expect("creates"));
        {
            let conn = rusqlite::Connection::open(&path).expect("raw");
            conn.execute_batch(
                "DELETE FROM record_sources WHERE record_kind = 'glossary_term';
                 DROP TABLE glossary;
                 UPDATE meta SET value = 'an older dataset' WHERE key = 'dataset_hash';
                 INSERT INTO settings(key, value) VALUES ('author', 'Ana');
                 PRAGMA user_version = 8;",
            )
            .expect("made old");
        }
        let store = Store::open(&path).expect("opens");
        assert!(matches!(store.outcome(), OpenOutcome::Refreshed { .. }), "{:?}", store.outcome());
        let atlas = store.load_atlas().expect("atlas");
        assert!(atlas.glossary_entry("SPRAR").is_some());
        let author: String = store
            .connection()
            .query_row("SELECT value FROM settings WHERE key = 'author'", [], |r| r.get(0))
            .expect("user row");
        assert_eq!(author, "Ana");
        assert_eq!(store.check().expect("check"), vec![]);
    }
}
