//! The schema objects a database may hold: exactly those the app's own migrations create.
//!
//! The expected set is not written down by hand: for a database at schema version `v`, the first `v` migrations
//! run on an empty in-memory database, and its `sqlite_schema` is what the file's must equal — every table, index,
//! view and trigger, by type, name, table and SQL text. A migration appended later is covered without a change
//! here. Anything else in the file (a trigger that deletes notes on the next write, a view, a changed table) is
//! refused by name before the file is opened for writing.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::Connection;

use super::{StoreError, schema};

/// One row of `sqlite_schema`: (type, name) → (table, SQL).
type Objects = BTreeMap<(String, String), (String, Option<String>)>;

/// What differs from the app's own schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Finding {
    /// An object the migrations do not create: "a trigger \"wipe\"".
    Foreign(String),
    /// An object whose definition differs from the app's: "the table \"notes\", changed".
    Changed(String),
    /// An object the migrations create that the file lacks.
    Missing(String),
    /// The schema could not be read.
    Unreadable(String),
}

impl Finding {
    pub(crate) fn into_error(self, path: &Path) -> StoreError {
        let path = path.to_owned();
        match self {
            Finding::Foreign(object) => StoreError::ForeignObject { path, object },
            Finding::Changed(object) => {
                StoreError::ForeignObject { path, object: format!("{object} in a changed form") }
            }
            Finding::Missing(object) => StoreError::Damaged { path, detail: format!("{object} is missing") },
            Finding::Unreadable(detail) => StoreError::Damaged { path, detail },
        }
    }
}

fn objects(conn: &Connection) -> rusqlite::Result<Objects> {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema")?;
    let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), (r.get(2)?, r.get(3)?))))?;
    rows.collect()
}

/// The objects the first `version` migrations create.
fn expected(version: i64) -> rusqlite::Result<Objects> {
    let conn = Connection::open_in_memory()?;
    super::harden(&conn)?;
    for sql in schema::MIGRATIONS.iter().take(version.max(0) as usize) {
        conn.execute_batch(sql)?;
    }
    objects(&conn)
}

fn describe((kind, name): &(String, String)) -> String {
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {kind} {name:?}")
}

/// Checks that a database at schema `version` holds exactly the app's schema objects.
pub(crate) fn check_objects(conn: &Connection, version: i64) -> Result<(), Finding> {
    let found = objects(conn).map_err(|e| Finding::Unreadable(e.to_string()))?;
    let wanted = expected(version).map_err(|e| Finding::Unreadable(format!("schema {version}: {e}")))?;
    // Triggers and views first: they are what runs code.
    let order = |key: &(String, String)| match key.0.as_str() {
        "trigger" => 0,
        "view" => 1,
        "table" => 2,
        _ => 3,
    };
    let mut foreign: Vec<&(String, String)> = found.keys().filter(|k| !wanted.contains_key(*k)).collect();
    foreign.sort_by_key(|k| order(k));
    if let Some(key) = foreign.first() {
        return Err(Finding::Foreign(describe(key)));
    }
    for (key, definition) in &found {
        if wanted.get(key) != Some(definition) {
            return Err(Finding::Changed(describe(key)));
        }
    }
    if let Some(key) = wanted.keys().find(|k| !found.contains_key(*k)) {
        return Err(Finding::Missing(describe(key)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_latest() -> Connection {
        let mut conn = Connection::open_in_memory().expect("memory");
        schema::migrate(&mut conn).expect("migrate");
        conn
    }

    #[test]
    fn the_apps_own_schema_passes_at_every_version() {
        for version in 1..=schema::latest_version() {
            let conn = Connection::open_in_memory().expect("memory");
            for sql in schema::MIGRATIONS.iter().take(version as usize) {
                conn.execute_batch(sql).expect("migration");
            }
            assert_eq!(check_objects(&conn, version), Ok(()), "version {version}");
        }
    }

    #[test]
    fn a_trigger_view_table_or_index_of_its_own_is_named() {
        for (sql, named) in [
            ("CREATE TRIGGER wipe AFTER INSERT ON meta BEGIN DELETE FROM notes; END", "a trigger \"wipe\""),
            ("CREATE VIEW v AS SELECT 1", "a view \"v\""),
            ("CREATE TABLE extra (x)", "a table \"extra\""),
            ("CREATE INDEX notes_text ON notes(text)", "an index \"notes_text\""),
        ] {
            let conn = at_latest();
            conn.execute_batch(sql).expect("hostile object");
            assert_eq!(check_objects(&conn, schema::latest_version()), Err(Finding::Foreign(named.to_owned())));
        }
    }
}
