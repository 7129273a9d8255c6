//! The application services: the open database's data (the [`Session`]) with every write the window and the command
//! line make, the authors' [`annotate`] workspace (notes, codes, own records, codings, self-assessments, with undo
//! and redo), and the live round's service. The only crate above the store that writes; no egui here.

pub mod annotate;
pub mod session;

pub use session::*;

/// What the window needs of the store, through the session: an import's outcome and where the default database lives.
pub use atlas_store::{answers::ImportOutcome, default_path};
