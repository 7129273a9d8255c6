//! "Save a copy of the database": SQLite's online backup of the open database into another file, safe while the
//! app (or another process) keeps using it.
//!
//! The copy is written to a temporary file beside the target, switched to a single-file journal, checked, and only
//! then renamed over the target, so a failed copy leaves no half-written file and any existing file untouched.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{Store, StoreError};

/// How long a copy waits for a writer in another process before giving up.
const BUSY_LIMIT: Duration = Duration::from_secs(5);

impl Store {
    /// Writes a consistent copy of the whole database (reference data and the users' work) to `target`.
    /// Refuses, in one line naming the file, an empty path, a folder, a missing folder, the open database itself,
    /// and a target that another program has open.
    pub fn save_copy(&self, target: &Path) -> Result<(), StoreError> {
        let target = target.to_owned();
        check_target(&target, &self.path)?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temp = target.with_file_name(format!(".{name}.part-{}", std::process::id()));
        let result = self.copy_into(&temp, &target);
        if result.is_err() {
            remove_with_journals(&temp);
            return result;
        }
        std::fs::rename(&temp, &target).map_err(|e| {
            remove_with_journals(&temp);
            StoreError::Io { path: target.clone(), detail: format!("cannot write the copy: {e}") }
        })
    }

    fn copy_into(&self, temp: &Path, target: &Path) -> Result<(), StoreError> {
        remove_with_journals(temp);
        let fail = |e: rusqlite::Error| StoreError::Sqlite { path: target.to_owned(), detail: e.to_string() };
        let mut dst = Connection::open_with_flags(
            temp,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::Io { path: target.to_owned(), detail: format!("cannot create the copy: {e}") })?;
        super::harden(&dst).map_err(fail)?;
        {
            let backup = Backup::new(&self.conn, &mut dst).map_err(fail)?;
            let started = Instant::now();
            loop {
                match backup.step(-1).map_err(fail)? {
                    StepResult::Done => break,
                    StepResult::More => {}
                    StepResult::Busy | StepResult::Locked if started.elapsed() < BUSY_LIMIT => {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    StepResult::Busy | StepResult::Locked => {
                        return Err(StoreError::Locked { path: self.path.clone() });
                    }
                    _ => return Err(StoreError::Locked { path: self.path.clone() }),
                }
            }
        }
        // One self-contained file: no -wal beside the copy.
        dst.pragma_update_and_check(None, "journal_mode", "delete", |_| Ok(())).map_err(fail)?;
        let quick: String = dst.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(fail)?;
        if quick != "ok" {
            return Err(StoreError::Damaged { path: target.to_owned(), detail: quick });
        }
        dst.close().map_err(|(_, e)| fail(e))
    }
}

fn check_target(target: &Path, open: &Path) -> Result<(), StoreError> {
    if target.as_os_str().is_empty() {
        return Err(StoreError::Io { path: PathBuf::new(), detail: "no file given for the copy".to_owned() });
    }
    if target.is_dir() {
        return Err(StoreError::IsFolder { path: target.to_owned() });
    }
    let folder = target.parent().map(Path::to_owned).unwrap_or_default();
    if !folder.as_os_str().is_empty() && !folder.is_dir() {
        return Err(StoreError::MissingFolder { path: target.to_owned(), folder });
    }
    let same = match (std::fs::canonicalize(target), std::fs::canonicalize(open)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Err(StoreError::Sqlite {
            path: target.to_owned(),
            detail: "this is the open database; choose another file for the copy".to_owned(),
        });
    }
    // A live database with its write-ahead log beside it belongs to a running program (or was not closed).
    if target.exists() && journal(target, "-wal").exists() {
        return Err(StoreError::Sqlite {
            path: target.to_owned(),
            detail: "this database is in use (its -wal file is beside it); choose another file for the copy".to_owned(),
        });
    }
    Ok(())
}

fn journal(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_with_journals(path: &Path) {
    for p in [path.to_owned(), journal(path, "-wal"), journal(path, "-shm"), journal(path, "-journal")] {
        let _ = std::fs::remove_file(p);
    }
}
