//! Writing export files: paths typed by the user, one-line errors naming the file, and writes that never leave a
//! half-written file behind.

use std::path::{Path, PathBuf};

/// An export that could not be written, said in one line that names the file (or what was missing).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    #[error("no file given: type a path or choose one with the dialog")]
    NoPath,
    #[error("{path}: is a folder; give a file name")]
    IsFolder { path: PathBuf },
    #[error("{path}: the folder {folder} does not exist")]
    MissingFolder { path: PathBuf, folder: PathBuf },
    #[error("{path}: cannot write the file: {detail}")]
    Write { path: PathBuf, detail: String },
    #[error("{path}: cannot build the {what}: {detail}")]
    Build { path: PathBuf, what: &'static str, detail: String },
    #[error("{0}")]
    Other(String),
}

/// A typed path with `~/` meaning the home folder.
pub fn expand_home(text: &str) -> PathBuf {
    match (text.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(text),
    }
}

/// The file a typed path means: `~/` is the home folder, an existing folder gets `default_name` inside it, and a
/// name without an extension gets `.{ext}`. An empty text is refused.
pub fn target_path(text: &str, default_name: &str, ext: &str) -> Result<PathBuf, ExportError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ExportError::NoPath);
    }
    let mut path = expand_home(text);
    if path.is_dir() {
        path = path.join(default_name);
    }
    if path.extension().is_none() && !ext.is_empty() {
        let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
        name.push(format!(".{ext}"));
        path.set_file_name(name);
    }
    Ok(path)
}

/// Checks that `path` can be a new or replaced file: not empty, not a folder, in an existing folder.
pub fn check_target(path: &Path) -> Result<(), ExportError> {
    if path.as_os_str().is_empty() {
        return Err(ExportError::NoPath);
    }
    if path.is_dir() {
        return Err(ExportError::IsFolder { path: path.to_owned() });
    }
    let folder = path.parent().map(Path::to_owned).unwrap_or_default();
    if !folder.as_os_str().is_empty() && !folder.is_dir() {
        return Err(ExportError::MissingFolder { path: path.to_owned(), folder });
    }
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a failed write leaves
/// any existing file as it was and no partial file behind.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    check_target(path)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "export".to_owned());
    let temp = path.with_file_name(format!(".{name}.part-{}", std::process::id()));
    let fail = |err: std::io::Error| ExportError::Write { path: path.to_owned(), detail: err.to_string() };
    if let Err(err) = std::fs::write(&temp, bytes) {
        let _ = std::fs::remove_file(&temp);
        return Err(fail(err));
    }
    if let Err(err) = std::fs::rename(&temp, path) {
        let _ = std::fs::remove_file(&temp);
        return Err(fail(err));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_paths_get_a_name_in_folders_and_an_extension() {
        let dir = tempfile::tempdir().expect("temp dir");
        let folder = dir.path().display().to_string();
        assert_eq!(target_path(&folder, "explorer.csv", "csv").unwrap(), dir.path().join("explorer.csv"));
        let bare = dir.path().join("table").display().to_string();
        assert_eq!(target_path(&bare, "x.csv", "xlsx").unwrap(), dir.path().join("table.xlsx"));
        assert_eq!(target_path("  ", "x.csv", "csv"), Err(ExportError::NoPath));
    }

    #[test]
    fn a_write_into_a_missing_folder_is_one_line_and_leaves_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("missing").join("out.csv");
        let err = write_atomically(&path, b"x").unwrap_err().to_string();
        assert!(err.contains("does not exist") && err.contains("out.csv") && !err.contains('\n'), "{err}");
        let err = write_atomically(dir.path(), b"x").unwrap_err().to_string();
        assert!(err.contains("is a folder"), "{err}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
