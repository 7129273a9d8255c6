//! Every cited source, with its title where known and the records that cite it.

use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};

use crate::command::Command;
use crate::state::View;
use crate::widgets::{self, notes_panel};
use atlas_core::model::Atlas;
use atlas_session::annotate::Workspace;

/// A short, unique name for a source URL in accessible labels.
fn row_index_label(url: &str) -> &str {
    url.trim_start_matches("https://").trim_start_matches("http://")
}

fn kind_label(kind: &str) -> &str {
    match kind {
        "city_figure" => "city figure",
        "city_text" => "city note",
        "survey_figure" => "survey figure",
        "coordination_tool" => "coordination tool",
        "project_fact" => "project fact",
        "glossary_term" => "glossary",
        "governance" => "who does what",
        other => other,
    }
}

pub fn show(
    ui: &mut egui::Ui,
    atlas: &Atlas,
    ws: &Workspace,
    selected: &mut Option<String>,
    actions: &mut Vec<Command>,
) {
    if let Some(url) = selected.clone() {
        egui::Panel::right("source_notes").resizable(true).default_size(380.0).max_size(520.0).show(ui, |ui| {
            egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(RichText::new("Source").strong());
                    if ui.button("Close").clicked() {
                        *selected = None;
                    }
                });
                ui.hyperlink_to(&url, &url);
                notes_panel::show(ui, ws, atlas_session::TargetKind::Source, &url, "this source", actions);
            });
        });
    }
    ui.heading("Sources");
    ui.label(format!(
        "{} cited sources, most-cited first. Each use carries its own confidence tag; a click on a record opens it.",
        atlas.sources.len()
    ));
    let row_height = ui.text_style_height(&egui::TextStyle::Body) * 2.0 + 12.0;
    TableBuilder::new(ui)
        .id_salt("sources_table")
        .striped(true)
        .column(Column::initial(520.0).clip(true))
        .column(Column::exact(60.0))
        .column(Column::exact(80.0))
        .column(Column::remainder().clip(true))
        .header(row_height / 2.0 + 4.0, |mut h| {
            h.col(|ui| {
                ui.strong("Source");
            });
            h.col(|ui| {
                ui.strong("Uses");
            });
            h.col(|ui| {
                ui.strong("Notes");
            });
            h.col(|ui| {
                ui.strong("Cited by");
            });
        })
        .body(|body| {
            body.rows(row_height, atlas.sources.len(), |mut row| {
                let s = &atlas.sources[row.index()];
                row.col(|ui| {
                    ui.vertical(|ui| {
                        if let Some(title) = &s.title {
                            ui.label(RichText::new(title).strong());
                        }
                        ui.hyperlink_to(&s.url, &s.url);
                    });
                });
                row.col(|ui| {
                    ui.label(s.cited_by.len().to_string());
                });
                row.col(|ui| {
                    let n = ws.note_count(atlas_session::TargetKind::Source, &s.url);
                    if crate::widgets::on_slide(ui.ctx()) {
                        ui.label(n.to_string());
                        return;
                    }
                    let text = if n > 0 { format!("✎ {n}") } else { "Notes".to_owned() };
                    let b = ui.small_button(text);
                    let label = format!("Notes on source {} ({n})", row_index_label(&s.url));
                    b.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                    if b.clicked() {
                        *selected = Some(s.url.clone());
                    }
                });
                row.col(|ui| {
                    ui.horizontal_wrapped(|ui| {
                        for (kind, id, tag) in s.cited_by.iter().take(8) {
                            let text =
                                RichText::new(format!("{} {id}", kind_label(kind))).color(widgets::tag_color(ui, tag));
                            if ui.link(text).clicked() {
                                actions.push(match kind.as_str() {
                                    "challenge" | "practice" => Command::record(id.clone()),
                                    "city" => Command::city(id.clone()),
                                    "city_figure" | "city_text" => {
                                        Command::city(id.split('-').next().unwrap_or_default().to_owned())
                                    }
                                    "objective" | "block" => Command::go(View::Checklist),
                                    "regions" => Command::go(View::Regions),
                                    "governance" => Command::go(View::Governance),
                                    "glossary_term" => Command::Nav(crate::command::Nav::Glossary),
                                    _ => Command::go(View::Survey),
                                });
                            }
                        }
                        if s.cited_by.len() > 8 {
                            ui.label(format!("and {} more", s.cited_by.len() - 8));
                        }
                    });
                });
            });
        });
}

/// The Sources view.
pub struct Sources;

impl super::AtlasView for Sources {
    fn id(&self) -> View {
        View::Sources
    }

    fn purpose(&self) -> &'static str {
        "Every cited page with what cites it and its confidence tag, and your notes on each source."
    }

    fn ui(&self, ui: &mut egui::Ui, cx: &mut super::ViewCx<'_>) {
        show(ui, &cx.session.atlas, &cx.session.workspace, &mut cx.state.sources_selected, cx.commands);
    }
}
