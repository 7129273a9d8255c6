//! The form for an author's own challenge or practice; it says what is missing before anything is saved.

use eframe::egui::{self, RichText};

use crate::command::{Command, Commands, NoteCmd};
use atlas_core::dataset::{GAP_TYPES, LEVELS, TAGS, tag_label};
use atlas_core::model::Atlas;
use atlas_session::annotate::{RecordDraft, Workspace, validate_record};

const INSTRUMENTS: [&str; 8] = [
    "coordination body",
    "contract/agreement",
    "one-stop shop",
    "funding scheme",
    "monitoring/data system",
    "consultative body",
    "programme",
    "law/strategy",
];

/// The open form and what was wrong the last time "Save" was pressed.
pub struct RecordForm {
    pub draft: RecordDraft,
    pub problems: Vec<String>,
}

fn field(ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str) {
    ui.horizontal(|ui| {
        let l = ui.label(label);
        ui.add(egui::TextEdit::singleline(value).hint_text(hint).desired_width(380.0)).labelled_by(l.id);
    });
}

/// The form's fields: kind, city (or a new one), title, description, gap type, levels, areas, groups, objective,
/// year and instrument (practices), sources and their tag.
fn fields(ui: &mut egui::Ui, atlas: &Atlas, d: &mut RecordDraft) {
    ui.horizontal(|ui| {
        ui.label("Kind:");
        ui.radio_value(&mut d.kind, atlas_core::model::EvidenceKind::Challenge, "Challenge");
        ui.radio_value(&mut d.kind, atlas_core::model::EvidenceKind::Practice, "Practice");
    });
    ui.horizontal(|ui| {
        let l = ui.label("City:");
        let shown = atlas.city(&d.city).map_or_else(
            || if d.city == "new" { "New city".to_owned() } else { "choose".to_owned() },
            |c| c.name.clone(),
        );
        egui::ComboBox::from_id_salt("form_city")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for c in &atlas.cities {
                    ui.selectable_value(&mut d.city, c.id.clone(), &c.name);
                }
                ui.selectable_value(&mut d.city, "new".to_owned(), "New city");
            })
            .response
            .labelled_by(l.id);
    });
    if d.city == "new" {
        field(ui, "New city name:", &mut d.new_city_name, "e.g. Lyon");
        field(ui, "Country:", &mut d.new_city_country, "e.g. France");
        field(ui, "Latitude:", &mut d.new_city_lat, "e.g. 45.76");
        field(ui, "Longitude:", &mut d.new_city_lon, "e.g. 4.84");
    }
    field(ui, "Title:", &mut d.title, "a short title");
    ui.horizontal(|ui| {
        let l = ui.label("Description:");
        ui.add(egui::TextEdit::multiline(&mut d.description).desired_rows(3).desired_width(380.0)).labelled_by(l.id);
    });
    ui.horizontal(|ui| {
        let l = ui.label("Gap type:");
        egui::ComboBox::from_id_salt("form_gap")
            .selected_text(if d.gap_type.is_empty() { "choose" } else { d.gap_type.as_str() })
            .show_ui(ui, |ui| {
                for g in GAP_TYPES {
                    ui.selectable_value(&mut d.gap_type, g.to_owned(), g);
                }
            })
            .response
            .labelled_by(l.id);
    });
    ui.label("Levels of government:");
    ui.horizontal_wrapped(|ui| {
        for level in LEVELS {
            let mut on = d.levels.iter().any(|l| l == level);
            if ui.checkbox(&mut on, level).changed() {
                if on {
                    d.levels.push(level.to_owned());
                } else {
                    d.levels.retain(|l| l != level);
                }
            }
        }
    });
    field(ui, "Policy areas:", &mut d.policy_areas, "separated by ; e.g. housing; labour");
    field(ui, "Migrant groups:", &mut d.migrant_groups, "separated by ; e.g. refugees");
    field(ui, "Checklist objective (1–12):", &mut d.objective, "optional");
    if d.kind == atlas_core::model::EvidenceKind::Practice {
        field(ui, "Year started:", &mut d.year_started, "optional");
        ui.horizontal(|ui| {
            let l = ui.label("Instrument kind:");
            egui::ComboBox::from_id_salt("form_instrument")
                .selected_text(if d.instrument_kind.is_empty() { "optional" } else { d.instrument_kind.as_str() })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut d.instrument_kind, String::new(), "none");
                    for i in INSTRUMENTS {
                        ui.selectable_value(&mut d.instrument_kind, i.to_owned(), i);
                    }
                })
                .response
                .labelled_by(l.id);
        });
    }
    ui.horizontal(|ui| {
        let l = ui.label("Sources (one per line: URL or full citation):");
        ui.add(egui::TextEdit::multiline(&mut d.sources).desired_rows(2).desired_width(380.0)).labelled_by(l.id);
    });
    ui.horizontal(|ui| {
        let l = ui.label("Source tag:");
        egui::ComboBox::from_id_salt("form_tag")
            .selected_text(tag_label(&d.source_tag))
            .show_ui(ui, |ui| {
                for t in TAGS {
                    ui.selectable_value(&mut d.source_tag, t.to_owned(), tag_label(t));
                }
            })
            .response
            .labelled_by(l.id);
    });
}

/// Draws the form window; returns false once it is closed (saved or cancelled).
pub fn show(
    ctx: &egui::Context,
    atlas: &Atlas,
    ws: &Workspace,
    form: &mut RecordForm,
    commands: &mut Commands,
) -> bool {
    let mut keep_open = true;
    let title =
        if form.draft.uuid.is_some() { format!("Edit {}", form.draft.id) } else { "Add your own record".to_owned() };
    egui::Window::new(title).collapsible(false).default_width(560.0).show(ctx, |ui| {
        egui::ScrollArea::vertical().max_height(460.0).show(ui, |ui| fields(ui, atlas, &mut form.draft));
        ui.separator();
        {
            if !form.problems.is_empty() {
                ui.label(RichText::new("Still missing:").strong().color(ui.visuals().error_fg_color));
                for p in &form.problems {
                    ui.label(RichText::new(format!("• {p}")).color(ui.visuals().error_fg_color));
                }
            }
            ui.horizontal(|ui| {
                if ui.button("Save record").clicked() {
                    let author = ws.author.clone().unwrap_or_else(|| "unknown".to_owned());
                    let cities: Vec<String> = atlas.cities.iter().map(|c| c.id.clone()).collect();
                    match validate_record(&form.draft, &author, &cities) {
                        Ok(mut record) => {
                            if let Some(existing) =
                                ws.records.iter().find(|r| Some(&r.uuid) == form.draft.uuid.as_ref())
                            {
                                record.author = existing.author.clone();
                                record.created_at = existing.created_at.clone();
                            }
                            commands.push(Command::Notes(NoteCmd::SaveRecord(Box::new(record))));
                            keep_open = false;
                        }
                        Err(problems) => form.problems = problems,
                    }
                }
                if ui.button("Cancel").clicked() {
                    keep_open = false;
                }
            });
        }
    });
    keep_open
}
