//! The store: one SQLite file holding the shipped reference data and the users' own work.
//!
//! Opening is careful: an existing file is first inspected read-only (SQLite header, `application_id`, schema
//! version, every schema object, `quick_check`), and only an Atlas database of a schema this build knows is opened
//! for writing. Anything else gets a one-line [`StoreError`] and the file is left untouched. Every connection runs
//! with SQLite's defensive settings ([`harden`]), and a database holding a trigger, view, table or index that the
//! app's own migrations do not create is refused, naming it (a trigger in a mailed file could delete the notes on
//! the next write). A failed creation removes only the files that this call created.

pub mod answers;
pub mod assessments;
mod backup;
pub mod bundle;
mod check;
pub mod codings;
pub mod live;
pub mod notes;
mod objects;
mod read;
pub mod rounds;
pub mod schema;
mod seed;
pub mod stories;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use check::Problem;
pub use read::{Counts, TagCount};

/// A database that could not be opened or used, said in one line that names the file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: is a folder, not a database file")]
    IsFolder { path: PathBuf },
    #[error("{path}: the file is empty, not an Integration Atlas database (left untouched)")]
    Empty { path: PathBuf },
    #[error("{path}: not an SQLite database (left untouched)")]
    NotSqlite { path: PathBuf },
    #[error("{path}: an SQLite database of another program, not an Integration Atlas database (left untouched)")]
    Foreign { path: PathBuf },
    #[error(
        "{path}: written by a newer Integration Atlas (schema {found}; this version knows {known}); \
         update the app to open it (left untouched)"
    )]
    NewerSchema { path: PathBuf, found: i64, known: i64 },
    #[error("{path}: the database is damaged ({detail}) (left untouched)")]
    Damaged { path: PathBuf, detail: String },
    #[error("{path}: the folder {folder} does not exist")]
    MissingFolder { path: PathBuf, folder: PathBuf },
    #[error("{path}: is not a regular file (a device, pipe or socket), not a database (left untouched)")]
    NotRegular { path: PathBuf },
    #[error(
        "{path}: has the Integration Atlas mark but no schema version (0): its creation was interrupted or another \
         program wrote it; not opened (left untouched)"
    )]
    NoSchemaVersion { path: PathBuf },
    #[error("{path}: holds {object} that Integration Atlas does not create; not opened (left untouched)")]
    ForeignObject { path: PathBuf, object: String },
    #[error(
        "{path}: the database is missing but its journal {journal} is there; restore the database or move the \
         journal away (nothing was created or removed)"
    )]
    OrphanJournal { path: PathBuf, journal: PathBuf },
    #[error("{path}: the database is locked by another program; close it and try again")]
    Locked { path: PathBuf },
    #[error("{path}: cannot read the file: {detail}")]
    Io { path: PathBuf, detail: String },
    #[error("{path}: {detail}")]
    Sqlite { path: PathBuf, detail: String },
    #[error("the shipped dataset does not parse: {0}")]
    Dataset(#[from] atlas_core::dataset::DatasetError),
}

impl StoreError {
    fn sqlite(path: &Path, err: &rusqlite::Error) -> Self {
        let busy = matches!(
            err.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        );
        if busy {
            return Self::Locked { path: path.to_owned() };
        }
        let corrupt = matches!(
            err.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
        );
        if corrupt {
            return Self::Damaged { path: path.to_owned(), detail: err.to_string() };
        }
        Self::Sqlite { path: path.to_owned(), detail: err.to_string() }
    }
}

/// What opening did, for the home screen and the CLI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenOutcome {
    /// A new database was created and seeded.
    Created,
    /// An existing database whose reference data was current.
    Opened,
    /// An existing database whose reference tables were refreshed from a different shipped dataset.
    Refreshed { from: String },
}

/// An open Integration Atlas database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    outcome: OpenOutcome,
}

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Where the database lives when `--db` is not given: the platform data directory
/// (Linux: `$XDG_DATA_HOME/integration-atlas/atlas.sqlite`, else `~/.local/share/integration-atlas/atlas.sqlite`).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Integration Atlas", "integration-atlas")
        .map(|dirs| dirs.data_dir().join("atlas.sqlite"))
}

impl Store {
    /// Opens the database at `path`, creating and seeding it if the file does not exist. The folder must exist.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let path = path.to_owned();
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => Err(StoreError::IsFolder { path }),
            Ok(meta) if !meta.is_file() => Err(StoreError::NotRegular { path }),
            Ok(meta) if meta.len() == 0 => Err(StoreError::Empty { path }),
            Ok(_) => Self::open_existing(path),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                let folder = path.parent().map(Path::to_owned).unwrap_or_default();
                if !folder.as_os_str().is_empty() && !folder.is_dir() {
                    return Err(StoreError::MissingFolder { path, folder });
                }
                // A journal without its database holds someone's changes: SQLite would replay it into the new file.
                if let Some(journal) = JOURNAL_SUFFIXES.iter().map(|s| journal_path(&path, s)).find(|j| j.exists()) {
                    return Err(StoreError::OrphanJournal { path, journal });
                }
                Self::create(path)
            }
            Err(err) => Err(StoreError::Io { path, detail: err.to_string() }),
        }
    }

    /// Opens the default database, creating its folder on first start.
    pub fn open_default() -> Result<Self, StoreError> {
        let path = default_path().unwrap_or_else(|| PathBuf::from("atlas.sqlite"));
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)
                .map_err(|err| StoreError::Io { path: path.clone(), detail: err.to_string() })?;
        }
        Self::open(&path)
    }

    fn create(path: PathBuf) -> Result<Self, StoreError> {
        let dataset = atlas_core::dataset::Dataset::embedded()?;
        let before = Created::before(&path);
        let mut conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| {
            before.remove_new();
            StoreError::sqlite(&path, &e)
        })?;
        let result = (|| {
            harden(&conn)?;
            configure(&conn)?;
            conn.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
            schema::migrate(&mut conn)?;
            seed::seed(&mut conn, &dataset)
        })();
        if let Err(err) = result {
            drop(conn);
            // A half-made new file is ours to remove, with the journals this call made beside it; nothing else.
            before.remove_new();
            return Err(StoreError::sqlite(&path, &err));
        }
        Ok(Self { conn, path, outcome: OpenOutcome::Created })
    }

    fn open_existing(path: PathBuf) -> Result<Self, StoreError> {
        let before = Created::before(&path);
        if let Err(refused) = inspect(&path) {
            // Reading a WAL database makes its -shm (and -wal) beside it: those, and only those, go again.
            before.remove_new();
            return Err(refused);
        }
        let mut conn =
            Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|e| StoreError::sqlite(&path, &e))?;
        // Checked again on the connection that writes: the file may have changed since it was inspected.
        let checked = (|| {
            harden(&conn).map_err(|e| StoreError::sqlite(&path, &e))?;
            let version: i64 =
                conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| StoreError::sqlite(&path, &e))?;
            objects::check_objects(&conn, version).map_err(|found| found.into_error(&path))
        })();
        if let Err(refused) = checked {
            drop(conn);
            before.remove_new();
            return Err(refused);
        }
        configure(&conn).map_err(|e| StoreError::sqlite(&path, &e))?;
        schema::migrate(&mut conn).map_err(|e| StoreError::sqlite(&path, &e))?;
        let stored: Option<String> = seed::stored_stamp(&conn).map_err(|e| StoreError::sqlite(&path, &e))?;
        let outcome = if stored.as_deref() == Some(atlas_core::dataset::dataset_hash()) {
            OpenOutcome::Opened
        } else {
            let dataset = atlas_core::dataset::Dataset::embedded()?;
            seed::seed(&mut conn, &dataset).map_err(|e| StoreError::sqlite(&path, &e))?;
            OpenOutcome::Refreshed { from: stored.unwrap_or_else(|| "none".to_owned()) }
        };
        Ok(Self { conn, path, outcome })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn outcome(&self) -> &OpenOutcome {
        &self.outcome
    }

    /// The raw connection, for the store's own modules and tests.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn err(&self, err: &rusqlite::Error) -> StoreError {
        StoreError::sqlite(&self.path, err)
    }
}

/// SQLite's defensive settings, for every connection the app opens: no writing the schema or the file's internals
/// from SQL, and no functions or virtual tables with side effects run from a schema object (views, triggers,
/// defaults, checks) that the file brings along.
pub(crate) fn harden(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::config::DbConfig;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.pragma_update(None, "trusted_schema", false)?;
    Ok(())
}

/// The journals SQLite keeps beside a database `x`: `x-wal`, `x-shm`, `x-journal`.
const JOURNAL_SUFFIXES: [&str; 3] = ["-wal", "-shm", "-journal"];

/// `path` with a journal suffix appended to its whole name (`atlas.db` → `atlas.db-wal`).
pub(crate) fn journal_path(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Which of a database's files existed before a call, so that clean-up removes only what the call created.
struct Created {
    files: Vec<(PathBuf, bool)>,
}

impl Created {
    fn before(path: &Path) -> Self {
        let files = std::iter::once(path.to_owned())
            .chain(JOURNAL_SUFFIXES.iter().map(|s| journal_path(path, s)))
            .map(|p| {
                let existed = p.symlink_metadata().is_ok();
                (p, existed)
            })
            .collect();
        Created { files }
    }

    /// Removes the files that did not exist before.
    fn remove_new(&self) {
        for (file, existed) in &self.files {
            if !existed {
                let _ = std::fs::remove_file(file);
            }
        }
    }
}

/// Connection settings for every read-write connection: WAL, foreign keys, a busy timeout for two instances.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update_and_check(None, "journal_mode", "wal", |_| Ok(()))?;
    conn.pragma_update(None, "synchronous", "normal")?;
    Ok(())
}

/// Inspects an existing file read-only and refuses anything that is not an Atlas database this build can open.
fn inspect(path: &Path) -> Result<(), StoreError> {
    use std::io::Read;
    let mut header = [0u8; 16];
    let mut file =
        std::fs::File::open(path).map_err(|e| StoreError::Io { path: path.to_owned(), detail: e.to_string() })?;
    let read = file.read(&mut header).map_err(|e| StoreError::Io { path: path.to_owned(), detail: e.to_string() })?;
    if read < header.len() || &header != SQLITE_HEADER {
        return Err(StoreError::NotSqlite { path: path.to_owned() });
    }
    drop(file);
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| StoreError::sqlite(path, &e))?;
    harden(&conn).map_err(|e| StoreError::sqlite(path, &e))?;
    conn.busy_timeout(Duration::from_secs(5)).map_err(|e| StoreError::sqlite(path, &e))?;
    let app_id: i64 =
        conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(|e| StoreError::sqlite(path, &e))?;
    if app_id != schema::APPLICATION_ID {
        return Err(StoreError::Foreign { path: path.to_owned() });
    }
    let version: i64 =
        conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| StoreError::sqlite(path, &e))?;
    if version > schema::latest_version() {
        return Err(StoreError::NewerSchema { path: path.to_owned(), found: version, known: schema::latest_version() });
    }
    if version <= 0 {
        return Err(StoreError::NoSchemaVersion { path: path.to_owned() });
    }
    objects::check_objects(&conn, version).map_err(|found| found.into_error(path))?;
    let quick: String =
        conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(|e| StoreError::sqlite(path, &e))?;
    if quick != "ok" {
        return Err(StoreError::Damaged { path: path.to_owned(), detail: quick });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Clean-up after a failed creation removes what the call made, by SQLite's names (`x.db-wal`, not
    /// `x.sqlite-wal`), and nothing that was there before.
    #[test]
    fn clean_up_removes_only_the_files_this_call_created() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("x.db");
        let neighbour = dir.path().join("x.sqlite-wal");
        let kept = journal_path(&path, "-shm");
        std::fs::write(&neighbour, b"another database's journal").expect("neighbour");
        std::fs::write(&kept, b"there before").expect("kept");
        let before = Created::before(&path);
        std::fs::write(&path, b"half made").expect("db");
        std::fs::write(journal_path(&path, "-wal"), b"ours").expect("wal");
        before.remove_new();
        assert!(!path.exists() && !journal_path(&path, "-wal").exists());
        assert_eq!(std::fs::read(&neighbour).expect("neighbour"), b"another database's journal");
        assert_eq!(std::fs::read(&kept).expect("kept"), b"there before");
    }
}
