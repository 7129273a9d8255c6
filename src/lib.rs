//! Integration Atlas: the evidence of the OECD study "Working Together for Local Integration of Migrants and
//! Refugees" (2018) in one embedded SQLite file, with a desktop explorer and a command line.
//!
//! The layers are crates (see `ARCHITECTURE.md`), so Cargo keeps the arrows: `atlas-core` (data, model, records) →
//! `atlas-answers` → `atlas-store` (SQLite) → `atlas-analysis` (pure) → `atlas-export`, `atlas-qda`, `atlas-live` →
//! `atlas-session` (every write) → `atlas-ui` (the window, which cannot reach the store) → this crate, the binary and
//! its command line. The modules below re-export the crates under their old names for the tests and the CLI.

pub use atlas_analysis as analysis;
pub use atlas_answers as answers;
pub use atlas_core::{answer_format, dataset, file, input, model, records, text};
pub use atlas_export as export;
pub use atlas_live as live;
pub use atlas_qda as qda;
pub use atlas_session::{annotate, session};
pub use atlas_store as store;
pub use atlas_ui as ui;

pub mod cli;
