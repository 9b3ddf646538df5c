//! The query library: the queries shipped in `queries/` (compiled in, so an installed binary has
//! them), then every `.sql` file of the directories in `[logs] query_dirs`, later ones overriding
//! earlier ones by name. A bad file stops loading with its file, line and key.

use super::{parse, QueryFileError, SavedQuery};
use std::path::{Path, PathBuf};

/// The shipped queries, by file name.
pub const BUILTIN: [(&str, &str); 10] = [
    ("cloudtrail-console-logins.sql", include_str!("../../../../queries/cloudtrail-console-logins.sql")),
    ("cloudtrail-access-denied.sql", include_str!("../../../../queries/cloudtrail-access-denied.sql")),
    ("cloudtrail-iam-changes.sql", include_str!("../../../../queries/cloudtrail-iam-changes.sql")),
    (
        "cloudtrail-security-group-changes.sql",
        include_str!("../../../../queries/cloudtrail-security-group-changes.sql"),
    ),
    ("cloudtrail-root-usage.sql", include_str!("../../../../queries/cloudtrail-root-usage.sql")),
    ("cloudtrail-events-by-principal.sql", include_str!("../../../../queries/cloudtrail-events-by-principal.sql")),
    ("cloudtrail-write-events.sql", include_str!("../../../../queries/cloudtrail-write-events.sql")),
    ("alb-5xx-by-path.sql", include_str!("../../../../queries/alb-5xx-by-path.sql")),
    ("alb-slow-requests.sql", include_str!("../../../../queries/alb-slow-requests.sql")),
    ("vpc-rejected-connections.sql", include_str!("../../../../queries/vpc-rejected-connections.sql")),
];

#[derive(Debug, Clone, thiserror::Error)]
pub enum LibraryError {
    #[error(transparent)]
    File(#[from] QueryFileError),
    #[error("cannot read query directory {path}: {message}")]
    Dir { path: PathBuf, message: String },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Library {
    /// Sorted by name.
    pub queries: Vec<SavedQuery>,
}

impl Library {
    /// The shipped queries only.
    pub fn builtin() -> Library {
        let mut library = Library::default();
        for (file, text) in BUILTIN {
            // The shipped files are checked by a test; one that fails to parse is left out.
            if let Ok(q) = parse(text, &format!("builtin:{file}")) {
                library.add(q);
            }
        }
        library
    }

    /// The shipped queries, then each directory's, later ones replacing earlier ones by name.
    pub fn load(dirs: &[PathBuf]) -> Result<Library, LibraryError> {
        let mut library = Library::builtin();
        for dir in dirs {
            for path in sql_files(dir)? {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| LibraryError::Dir { path: path.clone(), message: e.to_string() })?;
                library.add(parse(&text, &path.display().to_string())?);
            }
        }
        Ok(library)
    }

    fn add(&mut self, query: SavedQuery) {
        self.queries.retain(|q| q.name != query.name);
        self.queries.push(query);
        self.queries.sort_by(|a, b| a.name.cmp(&b.name));
    }

    pub fn get(&self, name: &str) -> Option<&SavedQuery> {
        self.queries.iter().find(|q| q.name == name)
    }

    /// Names close to `name`, for "did you mean".
    pub fn close_to(&self, name: &str) -> Vec<String> {
        crate::text::close_matches(self.queries.iter().map(|q| q.name.as_str()), name)
    }
}

/// The `.sql` files directly in `dir`, sorted by name.
fn sql_files(dir: &Path) -> Result<Vec<PathBuf>, LibraryError> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| LibraryError::Dir { path: dir.to_path_buf(), message: e.to_string() })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql") && p.is_file())
        .collect();
    files.sort();
    Ok(files)
}
