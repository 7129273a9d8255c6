//! Integration Atlas: the evidence of the OECD study "Working Together for Local Integration of Migrants and
//! Refugees" (2018) in one embedded SQLite file, with a desktop explorer and a command line.
//!
//! Data flows one way: `data/*.json` (embedded, [`dataset`]) → [`store`] (SQLite: migrations, seeding, queries,
//! user writes) → [`session`] (the open database's data and every write, shared by the window and the CLI) →
//! [`analysis`] (pure filters and aggregates) → [`ui`] views and [`cli`]. The store, the session and the analysis
//! know nothing of egui; views run no SQL and never write (they push commands the window's shell applies).
//! `ARCHITECTURE.md` draws the whole house.

pub mod analysis;
pub mod annotate;
pub mod answers;
pub mod cli;
pub mod dataset;
pub mod export;
pub mod input;
pub mod live;
pub mod model;
pub mod qda;
pub mod session;
pub mod store;
pub mod text;
pub mod ui;
