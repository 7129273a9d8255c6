//! Schema migrations over `PRAGMA user_version`.
//!
//! `rusqlite_migration` (the crate DEVELOPERS.md names) cannot be used: its newest release, 2.6.0, depends on
//! rusqlite 0.40, and two rusqlite versions cannot link SQLite into one binary; we need rusqlite 0.41 (SQLite
//! 3.54). This module does the same small job the same way: an ordered list of SQL steps, `user_version`
//! records how many ran, each step runs in its own transaction.
//!
//! Reference tables (seeded from `data/`, replaced on a dataset refresh) and user tables (never touched by
//! seeding) are listed in [`REFERENCE_TABLES`] and [`USER_TABLES`]. User tables hold no foreign keys into
//! reference tables, so that a refresh can replace reference rows without touching user rows.

use rusqlite::Connection;

/// `PRAGMA application_id` of an Atlas database ("ATLA").
pub const APPLICATION_ID: i64 = 0x4154_4C41;

/// Tables seeded from the shipped dataset, in the order they are filled (children after parents).
pub const REFERENCE_TABLES: [&str; 29] = [
    "sources",
    "countries",
    "regions",
    "region_indicators",
    "region_values",
    "region_shapes",
    "cities",
    "city_local_names",
    "city_figures",
    "city_texts",
    "institutions",
    "checklist_blocks",
    "checklist_objectives",
    "evidence",
    "evidence_levels",
    "evidence_areas",
    "evidence_groups",
    "evidence_objectives_also",
    "surveys",
    "survey_questions",
    "survey_respondents",
    "survey_figures",
    "project_facts",
    "coordination_tools",
    "record_sources",
    "findings",
    "finding_links",
    "governance_cells",
    "glossary",
];

/// Tables that hold the users' own work. Seeding and upgrades never write them.
pub const USER_TABLES: [&str; 23] = [
    "settings",
    "codes",
    "codings",
    "notes",
    "note_codes",
    "note_conflicts",
    "user_records",
    "user_record_sources",
    "stories",
    "story_slides",
    "survey_rounds",
    "survey_round_questions",
    "round_respondents",
    "survey_answers",
    "survey_cities",
    "assessments",
    "assessment_scores",
    "assessment_evidence",
    "city_indicators",
    "city_indicator_values",
    "city_actions",
    "city_action_progress",
    "live_phones",
];

const V1: &str = r#"
-- ── bookkeeping ────────────────────────────────────────────────────────────────────────────────
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- ── reference data (seeded from data/*.json) ───────────────────────────────────────────────────
CREATE TABLE sources (
    url       TEXT PRIMARY KEY,
    title     TEXT,
    publisher TEXT
) STRICT;

-- Which record rests on which source, with the confidence tag of that use.
CREATE TABLE record_sources (
    record_kind TEXT NOT NULL,   -- challenge, practice, city, city_figure, city_text, institution, objective,
                                 -- block, survey, survey_figure, respondent, project_fact, coordination_tool, regions
    record_id   TEXT NOT NULL,
    ord         INTEGER NOT NULL,
    url         TEXT NOT NULL REFERENCES sources(url),
    tag         TEXT NOT NULL CHECK (tag IN ('oecd', 'oecd-via', 'oecd-other', 'external')),
    note        TEXT,
    PRIMARY KEY (record_kind, record_id, ord)
) STRICT;
CREATE INDEX record_sources_url ON record_sources(url);

CREATE TABLE countries (
    iso  TEXT PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;

CREATE TABLE regions (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    country TEXT NOT NULL REFERENCES countries(iso)
) STRICT;

CREATE TABLE region_indicators (
    code             TEXT PRIMARY KEY,
    ord              INTEGER NOT NULL,
    name             TEXT NOT NULL,
    fb_label         TEXT NOT NULL,
    comparison_label TEXT NOT NULL,
    unit             TEXT NOT NULL,
    has_diff         INTEGER NOT NULL,
    note             TEXT
) STRICT;

CREATE TABLE region_values (
    indicator         TEXT NOT NULL REFERENCES region_indicators(code),
    region            TEXT NOT NULL REFERENCES regions(code),
    fb                REAL,
    comparison        REAL,
    diff              REAL,
    country_mean_diff REAL,
    quartile          INTEGER,
    PRIMARY KEY (indicator, region)
) STRICT;

CREATE TABLE region_shapes (
    code     TEXT PRIMARY KEY REFERENCES regions(code),
    name     TEXT NOT NULL,
    country  TEXT NOT NULL,
    polygons TEXT NOT NULL          -- JSON: [[[[lon, lat], …] ring …] polygon …]
) STRICT;

CREATE TABLE cities (
    id                        TEXT PRIMARY KEY,
    code                      TEXT NOT NULL UNIQUE,
    ord                       INTEGER NOT NULL,
    name                      TEXT NOT NULL,
    country                   TEXT NOT NULL,
    country_name              TEXT NOT NULL,
    region_code               TEXT NOT NULL,   -- checked against regions by `check`
    lat                       REAL NOT NULL,
    lon                       REAL NOT NULL,
    size                      TEXT,
    oecd_case_study_available INTEGER NOT NULL,
    profile_note              TEXT,
    publication               TEXT,            -- JSON (title, doi, published, mission, sources, uncertain)
    uncertain                 TEXT NOT NULL    -- JSON array of notes
) STRICT;

CREATE TABLE city_local_names (
    city TEXT NOT NULL REFERENCES cities(id),
    name TEXT NOT NULL,
    PRIMARY KEY (city, name)
) STRICT;

CREATE TABLE city_figures (
    id         TEXT PRIMARY KEY,               -- <city>-F<n>
    city       TEXT NOT NULL REFERENCES cities(id),
    ord        INTEGER NOT NULL,
    key        TEXT,
    label      TEXT NOT NULL,
    value      REAL,
    value_text TEXT,
    unit       TEXT,
    year       TEXT,
    grp        TEXT,
    uncertain  TEXT NOT NULL
) STRICT;

CREATE TABLE city_texts (
    id        TEXT PRIMARY KEY,                -- <city>-<kind>-<n>
    city      TEXT NOT NULL REFERENCES cities(id),
    kind      TEXT NOT NULL CHECK (kind IN ('governance', 'finding', 'recommendation')),
    ord       INTEGER NOT NULL,
    text      TEXT NOT NULL,
    uncertain TEXT NOT NULL
) STRICT;

CREATE TABLE institutions (
    id               TEXT PRIMARY KEY,         -- I-<n>
    country          TEXT NOT NULL,
    country_name     TEXT,
    city             TEXT,
    level            TEXT NOT NULL,
    body             TEXT,
    responsibilities TEXT NOT NULL,
    uncertain        TEXT NOT NULL
) STRICT;

CREATE TABLE checklist_blocks (
    number     INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    alt_titles TEXT NOT NULL                   -- JSON array
) STRICT;

CREATE TABLE checklist_objectives (
    number         INTEGER PRIMARY KEY CHECK (number BETWEEN 1 AND 12),
    block          INTEGER NOT NULL REFERENCES checklist_blocks(number),
    short_title    TEXT NOT NULL,
    title          TEXT NOT NULL,
    summary        TEXT NOT NULL,
    wording_status TEXT NOT NULL,
    uncertain      TEXT NOT NULL
) STRICT;

-- Challenges and practices of the shipped evidence table.
CREATE TABLE evidence (
    id                    TEXT PRIMARY KEY,    -- C-AMS-01, P-AMS-01 …
    kind                  TEXT NOT NULL CHECK (kind IN ('challenge', 'practice')),
    ord                   INTEGER NOT NULL,
    city                  TEXT NOT NULL REFERENCES cities(id),
    title                 TEXT NOT NULL,
    description           TEXT NOT NULL,
    gap_type              TEXT NOT NULL CHECK (gap_type IN ('information', 'policy-coherence', 'funding',
                              'administrative-scale', 'capacity', 'objective', 'accountability')),
    levels_detail         TEXT,
    objective             INTEGER REFERENCES checklist_objectives(number),
    objective_basis       TEXT CHECK (objective_basis IN ('explicit', 'explicit-toc', 'block-explicit', 'inferred')),
    objective_block_range TEXT,                -- JSON [a, b]
    objective_coded       TEXT,
    year_started          TEXT,
    instrument_kind       TEXT,
    instrument_detail     TEXT,
    confidence            TEXT NOT NULL,       -- the strongest tag among its sources
    tag_detail            TEXT,
    uncertain             TEXT NOT NULL,       -- JSON array
    coding_notes          TEXT NOT NULL        -- JSON array
) STRICT;
CREATE INDEX evidence_city ON evidence(city);
CREATE INDEX evidence_gap ON evidence(gap_type);

CREATE TABLE evidence_levels (
    evidence_id TEXT NOT NULL REFERENCES evidence(id),
    level       TEXT NOT NULL,
    PRIMARY KEY (evidence_id, level)
) STRICT;
CREATE TABLE evidence_areas (
    evidence_id TEXT NOT NULL REFERENCES evidence(id),
    area        TEXT NOT NULL,
    PRIMARY KEY (evidence_id, area)
) STRICT;
CREATE TABLE evidence_groups (
    evidence_id TEXT NOT NULL REFERENCES evidence(id),
    grp         TEXT NOT NULL,
    PRIMARY KEY (evidence_id, grp)
) STRICT;
CREATE TABLE evidence_objectives_also (
    evidence_id TEXT NOT NULL REFERENCES evidence(id),
    objective   INTEGER NOT NULL REFERENCES checklist_objectives(number),
    PRIMARY KEY (evidence_id, objective)
) STRICT;

CREATE TABLE surveys (
    id               TEXT PRIMARY KEY,
    title            TEXT NOT NULL,
    partners         TEXT NOT NULL,            -- JSON array
    fielded          TEXT,
    respondent_count INTEGER,
    instrument       TEXT,                     -- JSON (title, header, sections)
    channels         TEXT NOT NULL,            -- JSON array
    uncertain        TEXT NOT NULL
) STRICT;

-- The instrument's known questions (shipped); new rounds may declare more in survey_round_questions.
CREATE TABLE survey_questions (
    survey        TEXT NOT NULL REFERENCES surveys(id),
    code          TEXT NOT NULL,
    ord           INTEGER NOT NULL,
    section_code  TEXT,
    section_title TEXT NOT NULL,
    text          TEXT NOT NULL,
    kind          TEXT,
    unit          TEXT,
    status        TEXT,
    PRIMARY KEY (survey, code)
) STRICT;

-- Every respondent of a survey; unnamed respondents have no name and no city.
CREATE TABLE survey_respondents (
    id     TEXT PRIMARY KEY,                   -- <survey>-R<nn>
    survey TEXT NOT NULL REFERENCES surveys(id),
    ord    INTEGER NOT NULL,
    city   TEXT REFERENCES cities(id),
    name   TEXT,
    named  INTEGER NOT NULL,
    note   TEXT
) STRICT;

CREATE TABLE survey_figures (
    id          TEXT PRIMARY KEY,
    survey      TEXT NOT NULL,                 -- a survey id, or 'context'
    ord         INTEGER NOT NULL,
    value_text  TEXT NOT NULL,
    value       REAL,
    unit        TEXT,
    measures    TEXT NOT NULL,
    denominator TEXT,
    kind        TEXT,
    uncertain   TEXT NOT NULL
) STRICT;

CREATE TABLE project_facts (
    id         TEXT PRIMARY KEY,
    ord        INTEGER NOT NULL,
    fact       TEXT NOT NULL,
    value_text TEXT,
    uncertain  TEXT NOT NULL
) STRICT;

CREATE TABLE coordination_tools (
    id          TEXT PRIMARY KEY,
    ord         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    country     TEXT,
    grp         TEXT,
    description TEXT NOT NULL,
    uncertain   TEXT NOT NULL
) STRICT;

-- Full-text index over all text (reference records and user notes/records), accent-folded before indexing
-- (deunicode), so "goteborg" finds Göteborg and "lodz" finds Łódź. `origin` says who owns a row: 'shipped' rows
-- are rebuilt by a dataset refresh, 'user' rows by user writes.
CREATE VIRTUAL TABLE search_index USING fts5(
    kind UNINDEXED, record_id UNINDEXED, origin UNINDEXED, title, body,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- ── user data (never written by seeding or upgrades) ───────────────────────────────────────────
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Codes form a tree ("housing > quotas"); deleted codes stay as tombstones so merges can travel.
CREATE TABLE codes (
    uuid       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    parent     TEXT REFERENCES codes(uuid),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;

-- A note on any record (target_kind + target_id) or a stand-alone memo (target_kind = 'memo').
CREATE TABLE notes (
    uuid        TEXT PRIMARY KEY,
    target_kind TEXT NOT NULL,
    target_id   TEXT,
    text        TEXT NOT NULL,
    author      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('draft', 'needs source', 'checked', 'disputed')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT,
    revision    INTEGER NOT NULL DEFAULT 1,
    base_rev    TEXT                           -- last common version with a co-author's copy (merge)
) STRICT;
CREATE INDEX notes_target ON notes(target_kind, target_id);

CREATE TABLE note_codes (
    note_uuid TEXT NOT NULL REFERENCES notes(uuid),
    code_uuid TEXT NOT NULL REFERENCES codes(uuid),
    PRIMARY KEY (note_uuid, code_uuid)
) STRICT;

-- Both sides of a note edited by two authors since their common version, for the author to resolve.
CREATE TABLE note_conflicts (
    id          INTEGER PRIMARY KEY,
    note_uuid   TEXT NOT NULL,
    theirs      TEXT NOT NULL,                 -- JSON of the other side's note
    imported_at TEXT NOT NULL,
    resolved_at TEXT
) STRICT;

-- Authors' own challenges and practices. `city` is one of the case-study cities or a new city described by
-- new_city_* fields.
CREATE TABLE user_records (
    uuid            TEXT PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,      -- U-C-0001 / U-P-0001, shown beside shipped IDs
    kind            TEXT NOT NULL CHECK (kind IN ('challenge', 'practice')),
    city            TEXT,
    new_city_name   TEXT,
    new_city_country TEXT,
    new_city_lat    REAL,
    new_city_lon    REAL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    gap_type        TEXT,
    levels          TEXT NOT NULL,             -- JSON arrays
    policy_areas    TEXT NOT NULL,
    migrant_groups  TEXT NOT NULL,
    objective       INTEGER,
    year_started    TEXT,
    instrument_kind TEXT,
    author          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT
) STRICT;

CREATE TABLE user_record_sources (
    record_uuid TEXT NOT NULL REFERENCES user_records(uuid),
    ord         INTEGER NOT NULL,
    url         TEXT,
    citation    TEXT,
    tag         TEXT NOT NULL CHECK (tag IN ('oecd', 'oecd-via', 'oecd-other', 'external')),
    PRIMARY KEY (record_uuid, ord),
    CHECK (url IS NOT NULL OR citation IS NOT NULL)
) STRICT;

CREATE TABLE stories (
    uuid       TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE story_slides (
    uuid          TEXT PRIMARY KEY,
    story_uuid    TEXT NOT NULL REFERENCES stories(uuid) ON DELETE CASCADE,
    ord           INTEGER NOT NULL,
    title         TEXT NOT NULL,
    speaker_notes TEXT NOT NULL,
    view_state    TEXT NOT NULL                -- JSON: view, filters, selection, chart kind, zoom
) STRICT;

-- A round of survey answers: an imported file or a live self-assessment round.
CREATE TABLE survey_rounds (
    uuid        TEXT PRIMARY KEY,
    survey      TEXT,                          -- the instrument it follows (e.g. oecd-cities-2017), if any
    title       TEXT NOT NULL,
    held_on     TEXT,
    kind        TEXT NOT NULL CHECK (kind IN ('import', 'live')),
    source_file TEXT,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE survey_round_questions (
    round_uuid TEXT NOT NULL REFERENCES survey_rounds(uuid) ON DELETE CASCADE,
    code       TEXT NOT NULL,
    text       TEXT NOT NULL,
    kind       TEXT,
    unit       TEXT,
    PRIMARY KEY (round_uuid, code)
) STRICT;

-- One row per respondent × question.
CREATE TABLE survey_answers (
    id            INTEGER PRIMARY KEY,
    round_uuid    TEXT NOT NULL REFERENCES survey_rounds(uuid) ON DELETE CASCADE,
    respondent_id TEXT NOT NULL,
    city          TEXT,
    country       TEXT,
    question_code TEXT NOT NULL,
    value_num     REAL,
    value_text    TEXT,
    unit_notes    TEXT,
    UNIQUE (round_uuid, respondent_id, question_code)
) STRICT;
CREATE INDEX survey_answers_question ON survey_answers(question_code);
"#;

/// Survey import: answer dates, declared question ranges, and cities users add for imports.
const V2: &str = r#"
ALTER TABLE survey_answers ADD COLUMN answered_on TEXT;
ALTER TABLE survey_round_questions ADD COLUMN min_value REAL;
ALTER TABLE survey_round_questions ADD COLUMN max_value REAL;
-- Cities named by imported answers that the reference data does not know (the user chose to add them).
CREATE TABLE survey_cities (
    name     TEXT NOT NULL,
    country  TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    PRIMARY KEY (name, country)
) STRICT;
"#;

/// Faster imports: the index on `survey_answers(question_code)` served no query (answers load whole) and cost
/// every imported row an index insert.
const V3: &str = r#"
DROP INDEX IF EXISTS survey_answers_question;
"#;

/// Respondents of a round stored once, and answers keyed by them: an answer row no longer repeats the round's uuid,
/// the respondent's id, city and country, so imports write about half the bytes. Existing answers move over with
/// their ids; a respondent's city and country are those of their first answer.
const V4: &str = r#"
CREATE TABLE round_respondents (
    id            INTEGER PRIMARY KEY,
    round_uuid    TEXT NOT NULL REFERENCES survey_rounds(uuid) ON DELETE CASCADE,
    respondent_id TEXT NOT NULL,
    city          TEXT,
    country       TEXT,
    UNIQUE (round_uuid, respondent_id)
) STRICT;
-- With min(id), SQLite takes the other columns from the row holding the minimum: each respondent's first answer.
INSERT INTO round_respondents (round_uuid, respondent_id, city, country)
    SELECT round_uuid, respondent_id, city, country
    FROM (SELECT round_uuid, respondent_id, city, country, min(id) AS first
          FROM survey_answers GROUP BY round_uuid, respondent_id)
    ORDER BY first;
CREATE TABLE survey_answers_v4 (
    id            INTEGER PRIMARY KEY,
    respondent    INTEGER NOT NULL REFERENCES round_respondents(id) ON DELETE CASCADE,
    question_code TEXT NOT NULL,
    value_num     REAL,
    value_text    TEXT,
    unit_notes    TEXT,
    answered_on   TEXT,
    UNIQUE (respondent, question_code)
) STRICT;
INSERT INTO survey_answers_v4 (id, respondent, question_code, value_num, value_text, unit_notes, answered_on)
    SELECT a.id, r.id, a.question_code, a.value_num, a.value_text, a.unit_notes, a.answered_on
    FROM survey_answers a JOIN round_respondents r ON r.round_uuid = a.round_uuid AND r.respondent_id = a.respondent_id;
DROP TABLE survey_answers;
ALTER TABLE survey_answers_v4 RENAME TO survey_answers;
"#;

/// Text codings (issue 17): a code applied to a character range of a record's text, by an author. The range is
/// counted in Unicode characters of the text version whose hash is `text_hash`; the passage as it read is kept in
/// `excerpt`, so a dataset refresh that changes the text keeps the coding and the app can flag it for review.
/// Codes get a colour and a description. A user table: no foreign key into reference data.
const TEXT_CODINGS: &str = r#"
ALTER TABLE codes ADD COLUMN color TEXT;
ALTER TABLE codes ADD COLUMN description TEXT;
CREATE TABLE codings (
    uuid        TEXT PRIMARY KEY,
    code_uuid   TEXT NOT NULL REFERENCES codes(uuid),
    target_kind TEXT NOT NULL,              -- challenge, practice, user_record, city_text, note
    target_id   TEXT NOT NULL,
    start_char  INTEGER NOT NULL CHECK (start_char >= 0),
    end_char    INTEGER NOT NULL,
    text_hash   TEXT NOT NULL,
    excerpt     TEXT NOT NULL,
    author      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT,
    resolved_at TEXT,                       -- a disagreement over it was resolved by keeping both sides
    CHECK (end_char > start_char)
) STRICT;
CREATE INDEX codings_target ON codings(target_kind, target_id);
CREATE INDEX codings_code ON codings(code_uuid);
"#;

/// A city's self-assessments against the 12-objective checklist, its own indicators per objective and its action
/// plan (see `store::assessments`). User tables only; nothing here refers to reference rows by foreign key, so a
/// dataset refresh leaves them alone.
const SELF_ASSESSMENT: &str = r#"
CREATE TABLE assessments (
    uuid             TEXT PRIMARY KEY,
    city             TEXT NOT NULL,            -- a case-study city's name, or a city the user added
    country          TEXT,                     -- ISO code, when known
    region           TEXT,                     -- the city's TL2 region code, when known
    assessed_on      TEXT NOT NULL,            -- YYYY-MM-DD
    assessor         TEXT NOT NULL,
    round_uuid       TEXT,                     -- the workshop round it was adopted from, if any
    round_respondent TEXT,
    gap_types        TEXT NOT NULL,            -- JSON array: coordination gaps the city reports
    levels           TEXT NOT NULL,            -- JSON array: levels of government it reports them with
    summary          TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    deleted_at       TEXT
) STRICT;
CREATE INDEX assessments_city ON assessments(city, assessed_on);

CREATE TABLE assessment_scores (
    assessment_uuid TEXT NOT NULL REFERENCES assessments(uuid) ON DELETE CASCADE,
    objective       INTEGER NOT NULL CHECK (objective BETWEEN 1 AND 12),
    score           INTEGER CHECK (score IS NULL OR score BETWEEN 0 AND 4),
    justification   TEXT NOT NULL,
    PRIMARY KEY (assessment_uuid, objective)
) STRICT;

CREATE TABLE assessment_evidence (
    assessment_uuid TEXT NOT NULL REFERENCES assessments(uuid) ON DELETE CASCADE,
    ord             INTEGER NOT NULL,
    objective       INTEGER CHECK (objective IS NULL OR objective BETWEEN 1 AND 12),
    kind            TEXT NOT NULL CHECK (kind IN ('record', 'own-record', 'note', 'file')),
    target          TEXT NOT NULL,             -- record id, own record id, note uuid, or file path
    label           TEXT NOT NULL,
    PRIMARY KEY (assessment_uuid, ord)
) STRICT;

CREATE TABLE city_indicators (
    uuid             TEXT PRIMARY KEY,
    city             TEXT NOT NULL,
    objective        INTEGER NOT NULL CHECK (objective BETWEEN 1 AND 12),
    name             TEXT NOT NULL,
    unit             TEXT NOT NULL,
    direction        TEXT NOT NULL CHECK (direction IN ('higher', 'lower')),
    target           REAL,
    source           TEXT NOT NULL,
    region_indicator TEXT,                     -- a regional-database indicator code, when linked
    region           TEXT,                     -- the TL2 region it is read for
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    deleted_at       TEXT
) STRICT;

CREATE TABLE city_indicator_values (
    indicator_uuid TEXT NOT NULL REFERENCES city_indicators(uuid) ON DELETE CASCADE,
    observed_on    TEXT NOT NULL,              -- YYYY-MM-DD
    value          REAL NOT NULL,
    note           TEXT NOT NULL,
    PRIMARY KEY (indicator_uuid, observed_on)
) STRICT;

CREATE TABLE city_actions (
    uuid       TEXT PRIMARY KEY,
    city       TEXT NOT NULL,
    objective  INTEGER NOT NULL CHECK (objective BETWEEN 1 AND 12),
    title      TEXT NOT NULL,
    practices  TEXT NOT NULL,                  -- JSON array of the record ids that inspired it
    owner      TEXT NOT NULL,
    level      TEXT NOT NULL,
    due_on     TEXT,
    status     TEXT NOT NULL CHECK (status IN ('planned', 'in progress', 'done', 'dropped')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;

CREATE TABLE city_action_progress (
    action_uuid TEXT NOT NULL REFERENCES city_actions(uuid) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    noted_on    TEXT NOT NULL,                 -- YYYY-MM-DD
    text        TEXT NOT NULL,
    PRIMARY KEY (action_uuid, ord)
) STRICT;
"#;

/// The report's own findings and their links into the app, the who-does-what grid per country, survey summaries,
/// and what each co-ordination instrument addresses. Reference tables only: the next seeding fills them.
const FINDINGS_AND_GOVERNANCE: &str = r#"
CREATE TABLE findings (
    id        TEXT PRIMARY KEY,                -- FND-nn
    ord       INTEGER NOT NULL,
    theme     TEXT NOT NULL,
    statement TEXT NOT NULL,
    views     TEXT NOT NULL,                   -- JSON array of view names
    link_note TEXT,
    uncertain TEXT NOT NULL
) STRICT;
-- What a finding bears on: kind is indicator, challenge, practice, objective, survey_figure or city.
CREATE TABLE finding_links (
    finding_id TEXT NOT NULL REFERENCES findings(id),
    kind       TEXT NOT NULL CHECK (kind IN ('indicator', 'challenge', 'practice', 'objective', 'survey_figure', 'city')),
    target     TEXT NOT NULL,
    ord        INTEGER NOT NULL,
    PRIMARY KEY (finding_id, kind, target)
) STRICT;
CREATE TABLE governance_cells (
    id           TEXT PRIMARY KEY,             -- G-nnn
    ord          INTEGER NOT NULL,
    country      TEXT NOT NULL,
    country_name TEXT NOT NULL,
    city         TEXT,
    level        TEXT NOT NULL,
    area         TEXT NOT NULL,
    body         TEXT NOT NULL,
    role         TEXT NOT NULL,
    competence   TEXT NOT NULL CHECK (competence IN ('holds', 'shares', 'none')),
    institution  TEXT,
    uncertain    TEXT NOT NULL
) STRICT;
CREATE INDEX governance_country ON governance_cells(country);
ALTER TABLE surveys ADD COLUMN summary TEXT;
ALTER TABLE coordination_tools ADD COLUMN addresses TEXT;
ALTER TABLE coordination_tools ADD COLUMN gap_types TEXT NOT NULL DEFAULT '[]';
"#;

/// Phones that answered a live round from the local network: the phone's own random participant token (its
/// cookie), so a phone that reconnects, or comes back after the round was reopened, keeps its answers; how often it
/// saved; the last submission it sent (a retried one is recognised and not written twice); and whether the
/// facilitator chose to show its free-text line. Removing the participant removes the row.
const LIVE_PHONES: &str = r#"
CREATE TABLE live_phones (
    respondent      INTEGER PRIMARY KEY REFERENCES round_respondents(id) ON DELETE CASCADE,
    token           TEXT NOT NULL UNIQUE,
    submissions     INTEGER NOT NULL DEFAULT 0,
    last_submission TEXT,
    text_shown      INTEGER NOT NULL DEFAULT 0
) STRICT;
"#;

/// The acronyms the evidence uses, with what they stand for where a source says so (NULL: no source we hold spells
/// them out) and what they are. A reference table only: the next seeding fills it; its sources are in
/// `record_sources` as kind `glossary_term`.
const GLOSSARY: &str = r#"
CREATE TABLE glossary (
    id        TEXT PRIMARY KEY,                -- a slug of the term: ofii, dg-regio
    ord       INTEGER NOT NULL,
    term      TEXT NOT NULL UNIQUE,            -- as the evidence writes it: OFII, MA 17, AT-SA, CoR
    expansion TEXT,
    meaning   TEXT NOT NULL,
    uncertain TEXT NOT NULL
) STRICT;
"#;

/// The migrations, in order. `user_version` = how many have run.
pub const MIGRATIONS: [&str; 9] =
    [V1, V2, V3, V4, TEXT_CODINGS, SELF_ASSESSMENT, FINDINGS_AND_GOVERNANCE, LIVE_PHONES, GLOSSARY];

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Runs every migration newer than the database's `user_version`, each in its own transaction.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers written before V4 (one row per answer, repeating the respondent) keep their ids and values; each
    /// respondent becomes one row with the city and country of their first answer.
    #[test]
    fn v4_moves_answers_to_respondents_once() {
        let mut conn = Connection::open_in_memory().expect("memory");
        conn.pragma_update(None, "foreign_keys", true).expect("fk");
        for (i, sql) in MIGRATIONS.iter().take(3).enumerate() {
            conn.execute_batch(sql).expect("old migration");
            conn.pragma_update(None, "user_version", i as i64 + 1).expect("version");
        }
        conn.execute_batch(
            "INSERT INTO survey_rounds (uuid, title, kind, created_at) VALUES ('r', 'Round', 'live', 't');
             INSERT INTO survey_answers (id, round_uuid, respondent_id, city, country, question_code, value_num)
                 VALUES (7, 'r', 'P1', 'Lyon', 'FRA', 'CL_SCORE_01', 3),
                        (8, 'r', 'P2', 'Graz', NULL, 'CL_SCORE_01', 2),
                        (9, 'r', 'P1', 'Lyon', 'FRA', 'CL_SCORE_02', 4);",
        )
        .expect("old answers");
        migrate(&mut conn).expect("migrate");
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
        assert_eq!(version, latest_version());
        let people: Vec<(String, Option<String>, Option<String>)> = conn
            .prepare("SELECT respondent_id, city, country FROM round_respondents ORDER BY id")
            .expect("prepare")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(
            people,
            vec![("P1".into(), Some("Lyon".into()), Some("FRA".into())), ("P2".into(), Some("Graz".into()), None)]
        );
        let answers: Vec<(i64, String, String, f64)> = conn
            .prepare(
                "SELECT a.id, r.respondent_id, a.question_code, a.value_num
                 FROM survey_answers a JOIN round_respondents r ON r.id = a.respondent ORDER BY a.id",
            )
            .expect("prepare")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(
            answers,
            vec![
                (7, "P1".into(), "CL_SCORE_01".into(), 3.0),
                (8, "P2".into(), "CL_SCORE_01".into(), 2.0),
                (9, "P1".into(), "CL_SCORE_02".into(), 4.0)
            ]
        );
        // Deleting the round still takes its answers with it.
        conn.execute("DELETE FROM survey_rounds WHERE uuid = 'r'", []).expect("delete");
        let left: i64 = conn.query_row("SELECT count(*) FROM survey_answers", [], |r| r.get(0)).expect("count");
        assert_eq!(left, 0);
    }
}
