//! Pure filters and aggregates over the in-memory [`atlas_core::model::Atlas`]. No SQL, no egui.

pub mod agreement;
pub mod assessment;
pub mod checklist;
pub mod explorer;
pub mod filter;
pub mod governance;
pub mod memo;
pub mod regions;
pub mod responses;
pub mod rounds;
pub mod words;

pub use explorer::{ExplorerCache, ExplorerResults, Series, Sort, SortColumn};
pub use filter::{EvidenceFilter, Facet, FacetCounts};
pub use memo::{Memo, Revision};
