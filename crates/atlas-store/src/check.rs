//! `check`: integrity and content checks of an open database.

use super::{Store, StoreError};

/// One problem found by [`Store::check`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub what: String,
    pub detail: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.what, self.detail)
    }
}

/// Each check: a name and a query returning one text row per problem.
const CHECKS: [(&str, &str); 10] = [
    (
        "foreign keys",
        "SELECT \"table\" || ' row ' || rowid || ' points to a missing ' || parent FROM pragma_foreign_key_check",
    ),
    (
        "sources",
        "SELECT kind || ' ' || id || ' has no source' FROM (
             SELECT 'challenge' AS kind, id FROM evidence WHERE kind = 'challenge'
             UNION ALL SELECT 'practice', id FROM evidence WHERE kind = 'practice'
             UNION ALL SELECT 'city', id FROM cities
             UNION ALL SELECT 'city_figure', id FROM city_figures
             UNION ALL SELECT 'city_text', id FROM city_texts
             UNION ALL SELECT 'institution', id FROM institutions
             UNION ALL SELECT 'objective', CAST(number AS TEXT) FROM checklist_objectives
             UNION ALL SELECT 'survey', id FROM surveys
             UNION ALL SELECT 'survey_figure', id FROM survey_figures
             UNION ALL SELECT 'coordination_tool', id FROM coordination_tools
             UNION ALL SELECT 'finding', id FROM findings
             UNION ALL SELECT 'governance_cell', id FROM governance_cells
             UNION ALL SELECT 'glossary_term', id FROM glossary
         ) r WHERE NOT EXISTS (
             SELECT 1 FROM record_sources s WHERE s.record_kind = r.kind AND s.record_id = r.id
         )",
    ),
    (
        "source tags",
        "SELECT record_kind || ' ' || record_id || ' cites ' || url || ' with tag ' || quote(tag) FROM record_sources
         WHERE tag NOT IN ('oecd', 'oecd-via', 'oecd-other', 'external')",
    ),
    (
        "source urls",
        "SELECT record_kind || ' ' || record_id || ' cites ' || quote(url) FROM record_sources
         WHERE url NOT LIKE 'http://%' AND url NOT LIKE 'https://%'",
    ),
    (
        "objectives",
        "SELECT 'objective ' || n || ' is missing' FROM (WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k
             WHERE n < 12) SELECT n FROM k) WHERE n NOT IN (SELECT number FROM checklist_objectives)
         UNION ALL SELECT 'objective ' || number || ' is outside 1-12' FROM checklist_objectives
             WHERE number NOT BETWEEN 1 AND 12
         UNION ALL SELECT id || ' names objective ' || objective || ', outside 1-12' FROM evidence
             WHERE objective IS NOT NULL AND objective NOT BETWEEN 1 AND 12",
    ),
    (
        "city regions",
        "SELECT name || ': region ' || region_code || ' is not in the regional data' FROM cities
         WHERE region_code NOT IN (SELECT code FROM regions)",
    ),
    (
        "evidence cities",
        "SELECT id || ': city ' || quote(city) || ' is not a case-study city' FROM evidence
         WHERE city NOT IN (SELECT id FROM cities)",
    ),
    (
        "search index",
        "SELECT 'evidence ' || id || ' is missing from the search index' FROM evidence e WHERE NOT EXISTS (
             SELECT 1 FROM search_index s WHERE s.record_id = e.id AND s.kind = e.kind)",
    ),
    (
        "counts",
        "SELECT 'the shipped dataset has ' || n || ' ' || what || ', expected ' || expected FROM (
             SELECT 'challenges' AS what, (SELECT count(*) FROM evidence WHERE kind = 'challenge') AS n, 84 AS expected
             UNION ALL SELECT 'practices', (SELECT count(*) FROM evidence WHERE kind = 'practice'), 100
             UNION ALL SELECT 'cities', (SELECT count(*) FROM cities), 10
             UNION ALL SELECT 'regions', (SELECT count(*) FROM regions), 333
             UNION ALL SELECT 'regional values', (SELECT count(*) FROM region_values), 2331
             UNION ALL SELECT 'checklist blocks', (SELECT count(*) FROM checklist_blocks), 4
             UNION ALL SELECT 'report findings', (SELECT count(*) FROM findings), 13
             UNION ALL SELECT 'governance entries', (SELECT count(*) FROM governance_cells), 70
             UNION ALL SELECT 'co-ordination instruments', (SELECT count(*) FROM coordination_tools), 6
         ) WHERE n <> expected",
    ),
    (
        "finding links",
        "SELECT finding_id || ' links to ' || kind || ' ' || quote(target) || ', which the database does not hold'
         FROM finding_links l WHERE NOT CASE kind
             WHEN 'indicator' THEN EXISTS (SELECT 1 FROM region_indicators WHERE code = l.target)
             WHEN 'challenge' THEN EXISTS (SELECT 1 FROM evidence WHERE id = l.target AND kind = 'challenge')
             WHEN 'practice' THEN EXISTS (SELECT 1 FROM evidence WHERE id = l.target AND kind = 'practice')
             WHEN 'objective' THEN EXISTS (SELECT 1 FROM checklist_objectives WHERE CAST(number AS TEXT) = l.target)
             WHEN 'survey_figure' THEN EXISTS (SELECT 1 FROM survey_figures WHERE id = l.target)
             WHEN 'city' THEN EXISTS (SELECT 1 FROM cities WHERE id = l.target)
             ELSE 0 END",
    ),
];

impl Store {
    /// Runs `PRAGMA integrity_check` and every content check; an empty list means all is well.
    pub fn check(&self) -> Result<Vec<Problem>, StoreError> {
        let run = || -> rusqlite::Result<Vec<Problem>> {
            let mut problems = Vec::new();
            let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
            for line in stmt.query_map([], |r| r.get::<_, String>(0))? {
                let line = line?;
                if line != "ok" {
                    problems.push(Problem { what: "integrity".to_owned(), detail: line });
                }
            }
            for (what, sql) in CHECKS {
                let mut stmt = self.conn.prepare(sql)?;
                for detail in stmt.query_map([], |r| r.get::<_, String>(0))? {
                    problems.push(Problem { what: what.to_owned(), detail: detail? });
                }
            }
            // The content rules over the shipped dataset this binary carries (the reference tables are seeded
            // from it): shorthand, copied wording, headline sources, unchecked sources, checklist titles, links.
            match atlas_core::dataset::Dataset::embedded() {
                Ok(data) => problems.extend(
                    atlas_core::dataset::audit::audit(&data)
                        .into_iter()
                        .map(|p| Problem { what: p.what.to_owned(), detail: p.detail }),
                ),
                Err(e) => problems.push(Problem { what: "dataset".to_owned(), detail: e.to_string() }),
            }
            Ok(problems)
        };
        run().map_err(|e| self.err(&e))
    }
}
