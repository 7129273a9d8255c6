//! The checklist: 4 blocks and 12 objectives, and the matrix of cities × objectives.

use eframe::egui::{self, Color32, RichText};

use crate::command::Command;
use crate::state::{UiState, View};
use crate::widgets::{self, notes_panel};
use atlas_analysis::{EvidenceFilter, Facet};
use atlas_core::model::Atlas;
use atlas_export::tables;
use atlas_session::ReadModel;
use atlas_session::annotate::Workspace;

fn status_text(status: &str) -> &'static str {
    atlas_core::dataset::wording_status_label(status)
}

pub fn show(
    ui: &mut egui::Ui,
    atlas: &Atlas,
    cells: &atlas_analysis::checklist::Matrix,
    ws: &Workspace,
    actions: &mut Vec<Command>,
) {
    // Both ways: in a narrow or zoomed window the matrix scrolls sideways to objective 12, with the scroll bar at
    // the bottom of the window rather than under the matrix.
    egui::ScrollArea::both().auto_shrink([false, false]).show(ui, |ui| {
        ui.heading("Checklist for local integration policy");
        ui.label(
            "Twelve objectives in four blocks, proposed by the OECD for self-assessment and peer learning. \
             The wording of some objectives is not fully attested; each says how sure we are.",
        );
        widgets::findings::compact(ui, atlas, "checklist", actions);
        widgets::section(ui, "Cities × objectives");
        ui.label(
            "Each cell counts the city's challenges (C) and practices (P) coded to the objective; darker means more. \
             Click a cell to open those records in the explorer.",
        );
        matrix(ui, atlas, cells, actions);
        ui.add_space(4.0);
        widgets::export_button(
            ui,
            "Export matrix…",
            "checklist-matrix",
            || vec![tables::checklist(atlas, cells)],
            actions,
        );
        for block in &atlas.blocks {
            widgets::section(ui, &format!("Block {}: {}", block.number, block.title));
            if !block.alt_titles.is_empty() {
                widgets::hint(ui, format!("Also called: {}", block.alt_titles.join("; ")));
            }
            for o in atlas.objectives.iter().filter(|o| o.block == block.number) {
                let notes = ws.note_count(atlas_session::TargetKind::Objective, &o.number.to_string());
                let mark = if notes > 0 { format!("  ✎ {notes}") } else { String::new() };
                egui::CollapsingHeader::new(RichText::new(format!("{}. {}{mark}", o.number, o.title)))
                    .id_salt(("objective", o.number))
                    .show(ui, |ui| {
                        ui.label(&o.summary);
                        let color = if o.wording_status == "seen" {
                            ui.visuals().weak_text_color()
                        } else {
                            ui.visuals().warn_fg_color
                        };
                        ui.label(RichText::new(status_text(&o.wording_status)).color(color));
                        widgets::uncertain(ui, &o.uncertain);
                        widgets::sources(ui, &o.sources, &format!("objective {}", o.number));
                        let mut filter = EvidenceFilter::default();
                        filter.add(Facet::Objective, &o.number.to_string());
                        let button = ui.button(format!("Explore the records of objective {}", o.number));
                        if button.clicked() {
                            actions.push(Command::explore(filter));
                        }
                        let id = o.number.to_string();
                        notes_panel::show(
                            ui,
                            ws,
                            atlas_session::TargetKind::Objective,
                            &id,
                            &format!("objective {id}"),
                            actions,
                        );
                    });
                if o.wording_status != "seen" {
                    ui.label(
                        RichText::new(format!("    {}", status_text(&o.wording_status)))
                            .small()
                            .color(ui.visuals().warn_fg_color),
                    );
                }
            }
        }
    });
}

fn matrix(ui: &mut egui::Ui, atlas: &Atlas, cells: &atlas_analysis::checklist::Matrix, actions: &mut Vec<Command>) {
    let max = cells.max;
    let accent = if ui.visuals().dark_mode { Color32::from_rgb(70, 140, 220) } else { Color32::from_rgb(30, 100, 200) };
    egui::Grid::new("checklist_matrix").spacing([4.0, 4.0]).show(ui, |ui| {
        ui.label("");
        for o in 1..=12 {
            let title =
                atlas.objectives.iter().find(|x| x.number == o).map(|x| x.short_title.clone()).unwrap_or_default();
            ui.label(RichText::new(o.to_string()).strong()).on_hover_text(title);
        }
        ui.end_row();
        for (row, city) in atlas.cities.iter().enumerate() {
            ui.label(RichText::new(&city.name).strong());
            for o in 1..=12 {
                let (c, p) = cells.cells.get(row).map_or((0, 0), |r| r[(o - 1) as usize]);
                let share = (c + p) as f32 / max as f32;
                let fill = if c + p == 0 { Color32::TRANSPARENT } else { accent.gamma_multiply(0.15 + 0.85 * share) };
                let text_color = if share > 0.5 { Color32::WHITE } else { ui.visuals().text_color() };
                let text = if c + p == 0 { "·".to_owned() } else { format!("{c}C {p}P") };
                let button = egui::Button::new(RichText::new(text).color(text_color))
                    .fill(fill)
                    .min_size(egui::vec2(58.0, 28.0));
                let response = ui.add(button);
                let label = format!(
                    "{}, objective {o}: {}, {}",
                    city.name,
                    crate::widgets::plural(c, "challenge", "challenges"),
                    crate::widgets::plural(p, "practice", "practices")
                );
                response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                let response = response.on_hover_text(&label);
                if response.clicked() {
                    let mut filter = EvidenceFilter::default();
                    filter.add(Facet::City, &city.id);
                    filter.add(Facet::Objective, &o.to_string());
                    actions.push(Command::explore(filter));
                }
            }
            ui.end_row();
        }
    });
}

/// The Checklist view.
pub struct Checklist;

impl super::AtlasView for Checklist {
    fn id(&self) -> View {
        View::Checklist
    }

    fn purpose(&self) -> &'static str {
        "The 12 objectives in 4 blocks, and the matrix of the 10 case-study cities × objectives; a cell opens its \
         challenges and practices."
    }

    fn ui(&self, ui: &mut egui::Ui, cx: &mut super::ViewCx<'_>) {
        let s = cx.session;
        show(ui, &s.atlas, &s.matrix, &s.workspace, cx.commands);
    }

    fn has_tables(&self) -> bool {
        true
    }

    fn tables(&self, cx: &super::ReadCx<'_>) -> Option<(String, Vec<atlas_export::Table>)> {
        let s = cx.session;
        Some(("checklist-matrix".to_owned(), vec![atlas_export::tables::checklist(&s.atlas, &s.matrix)]))
    }

    fn slide_text(
        &self,
        session: &ReadModel,
        _state: &UiState,
        _hits: Option<&crate::views::SearchIds>,
    ) -> (Vec<String>, Vec<atlas_core::dataset::Source>) {
        let sources = session.atlas.evidence.iter().flat_map(|e| e.sources.iter().cloned()).collect();
        (vec!["All challenges and practices, by checklist objective and city.".to_owned()], sources)
    }
}
