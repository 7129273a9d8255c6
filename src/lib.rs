//! Integration Atlas: the evidence of the OECD study "Working Together for Local Integration of Migrants and
//! Refugees" (2018) in one embedded SQLite file, with a desktop explorer and a command line.
//!
//! Data flows one way: `data/*.json` (embedded, [`dataset`]) → [`store`] (SQLite: migrations, seeding, queries,
//! user writes) → in-memory [`model::Atlas`] → [`analysis`] (pure filters and aggregates) → [`ui`] and [`cli`].
//! The store and the analysis know nothing of egui; views run no SQL.

pub mod analysis;
pub mod annotate;
pub mod answers;
pub mod cli;
pub mod dataset;
pub mod export;
pub mod live;
pub mod model;
pub mod store;
pub mod text;
pub mod ui;
