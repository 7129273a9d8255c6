//! The report's own findings: a list for Home and a compact collapsed section beside the views they concern. Each
//! finding shows its theme, statement (our words), tag and sources, and opens the evidence in the app that bears
//! on it: its records in the explorer, its regional indicator in Regions, its objectives, its city.

use eframe::egui::{self, RichText};

use crate::command::{Command, Target};
use crate::widgets;
use atlas_analysis::governance::findings_for_view;
use atlas_analysis::{EvidenceFilter, Facet};
use atlas_core::model::{Atlas, Finding};

/// "Findings of the report (n)", collapsed, for the view named `view` (nothing when it has none, and nothing on a
/// slide, where a collapsed section is a control).
pub fn compact(ui: &mut egui::Ui, atlas: &Atlas, view: &str, actions: &mut Vec<Command>) {
    let findings = findings_for_view(atlas, view);
    if findings.is_empty() || widgets::on_slide(ui.ctx()) {
        return;
    }
    egui::CollapsingHeader::new(RichText::new(format!("Findings of the report ({})", findings.len())).strong())
        .id_salt(("findings", view))
        .default_open(false)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt(("findings_scroll", view))
                .max_height(320.0)
                .min_scrolled_height(240.0)
                .show(ui, |ui| {
                    for f in findings {
                        finding(ui, atlas, f, false, actions);
                    }
                });
        });
}

/// Every finding given, in full (Home).
pub fn list(ui: &mut egui::Ui, atlas: &Atlas, findings: &[&Finding], actions: &mut Vec<Command>) {
    for f in findings {
        finding(ui, atlas, f, true, actions);
    }
}

/// One finding: theme, tag, statement, evidence buttons; sources shown (`open_sources`) or collapsed.
fn finding(ui: &mut egui::Ui, atlas: &Atlas, f: &Finding, open_sources: bool, actions: &mut Vec<Command>) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            let theme = ui.label(RichText::new(&f.theme).strong());
            let label = format!("Finding {}: {}", f.id, f.theme);
            theme.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &label));
            widgets::tag_badge(ui, &f.confidence);
        });
        ui.label(&f.statement);
        evidence(ui, atlas, f, actions);
        if let Some(note) = &f.link_note {
            ui.label(RichText::new(note).small().weak());
        }
        if open_sources {
            widgets::sources(ui, &f.sources, &f.id);
            widgets::uncertain(ui, &f.uncertain);
        } else {
            egui::CollapsingHeader::new(format!("Sources and doubts ({})", f.sources.len() + f.uncertain.len()))
                .id_salt(("finding_sources", &f.id))
                .show(ui, |ui| {
                    widgets::sources(ui, &f.sources, &f.id);
                    widgets::uncertain(ui, &f.uncertain);
                });
        }
    });
}

/// A button with its own accessible label.
fn button(ui: &mut egui::Ui, text: &str, label: &str) -> bool {
    let r = ui.small_button(text);
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, label));
    r.clicked()
}

/// The buttons that open what bears on the finding.
fn evidence(ui: &mut egui::Ui, atlas: &Atlas, f: &Finding, actions: &mut Vec<Command>) {
    let l = &f.links;
    let records: Vec<&String> = l.challenges.iter().chain(&l.practices).collect();
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Evidence:").small());
        if let Some(code) = l.indicators.first() {
            let name = atlas.indicator(code).map_or(code.as_str(), |i| i.name.as_str());
            if button(ui, &format!("Regions: {name}"), &format!("Open {} in Regions", f.id)) {
                actions.push(Command::open(Target::Indicator(code.clone())));
            }
        }
        if let Some(first) = records.first() {
            let text = if records.len() == 1 {
                format!("Explorer: {first}")
            } else {
                format!("Explorer: {first} (first of {} linked records)", records.len())
            };
            if button(ui, &text, &format!("Open the records of {}", f.id)) {
                actions.push(Command::record((*first).clone()));
            }
        }
        if !l.objectives.is_empty() {
            let list = l.objectives.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
            let text = format!("Records of objective {list}");
            if button(ui, &text, &format!("Open the objectives of {}", f.id)) {
                let mut filter = EvidenceFilter::default();
                for o in &l.objectives {
                    filter.add(Facet::Objective, &o.to_string());
                }
                actions.push(Command::explore(filter));
            }
        }
        if !l.survey_figures.is_empty() {
            let n = l.survey_figures.len();
            let text = format!("Survey: {n} figure{}", if n == 1 { "" } else { "s" });
            if button(ui, &text, &format!("Open the survey figures of {}", f.id)) {
                actions.push(Command::go(crate::state::View::Survey));
            }
        }
        for city in &l.cities {
            let name = atlas.city(city).map_or(city.as_str(), |c| c.name.as_str());
            if button(ui, name, &format!("Open city {name} of {}", f.id)) {
                actions.push(Command::city(city.clone()));
            }
        }
        if records.is_empty()
            && l.indicators.is_empty()
            && l.objectives.is_empty()
            && l.cities.is_empty()
            && l.survey_figures.is_empty()
        {
            ui.label(RichText::new("no record of the app is linked").small().weak());
        }
    });
    if records.len() > 1 {
        egui::CollapsingHeader::new(RichText::new(format!("Linked records ({})", records.len())).small())
            .id_salt(("finding_records", &f.id))
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    for id in &records {
                        let title = atlas.evidence.iter().find(|e| &e.id == *id).map_or("", |e| e.title.as_str());
                        let r = ui.link(RichText::new(id.as_str()).small()).on_hover_text(title);
                        let label = format!("Open record {id} of {}", f.id);
                        r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Link, true, &label));
                        if r.clicked() {
                            actions.push(Command::record((*id).clone()));
                        }
                    }
                });
            });
    }
}
