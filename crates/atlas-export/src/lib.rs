//! Exports: tables as CSV or XLSX (with a native Excel chart where the view charts the data), the reports (the city
//! brief, the self-assessment) built once as a [`doc::Document`] and written as Markdown or HTML, and the file
//! handling they share. Pure: no egui, no SQL; the views and the CLI build the tables from the in-memory
//! [`atlas_core::model::Atlas`] and the analysis results, and hand them here.

pub mod assessment;
pub mod brief;
pub mod doc;
pub mod governance;

pub mod table;
pub mod tables;

/// The formats a report can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportFormat {
    Markdown,
    Html,
    Xlsx,
}

impl ReportFormat {
    pub const ALL: [ReportFormat; 3] = [ReportFormat::Markdown, ReportFormat::Html, ReportFormat::Xlsx];

    /// The file name's extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Markdown => "md",
            ReportFormat::Html => "html",
            ReportFormat::Xlsx => "xlsx",
        }
    }

    /// The format's name as a reader knows it ("Markdown").
    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Markdown => "Markdown",
            ReportFormat::Html => "HTML",
            ReportFormat::Xlsx => "XLSX",
        }
    }
}

pub use atlas_core::file::{ExportError, expand_home, target_path, write_atomically};
pub use table::{Cell, ChartKind, ChartSpec, Table, csv_string, write_csv, write_xlsx, xlsx_bytes};
