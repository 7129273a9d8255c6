//! The atlas's data and its model: the embedded reference data (`data/*.json`, [`dataset`]), the in-memory model the
//! views and the command line read ([`model`]), the users' own records as plain data ([`records`]), the answer
//! format of a survey round ([`answer_format`]), the acronyms of the evidence ([`glossary`]), and the text, input
//! and file helpers every layer shares. The bottom crate: it knows nothing of SQLite, egui or the network.

pub mod answer_format;
pub mod dataset;
pub mod file;
pub mod glossary;
pub mod input;
pub mod model;
pub mod records;
pub mod text;
