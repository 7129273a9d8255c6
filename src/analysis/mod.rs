//! Pure filters and aggregates over the in-memory [`crate::model::Atlas`]. No SQL, no egui.

pub mod filter;

pub use filter::{EvidenceFilter, Facet, FacetCounts};
