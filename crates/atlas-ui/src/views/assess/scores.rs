//! The 12 objectives: a 0–4 score (or "not assessed") and a justification each, then the evidence attached.

use eframe::egui::{self, RichText};

use super::{AssessRuntime, button, field};
use crate::command::{AssessCmd, Command};
use atlas_analysis::assessment::{Report, objective_title};
use atlas_session::{EvidenceLink, LinkKind, ReadModel};

pub fn show(ui: &mut egui::Ui, session: &ReadModel, r: &Report, rt: &mut AssessRuntime, out: &mut Vec<Command>) {
    let a = &r.assessment;
    ui.label(format!(
        "{}{} · assessed on {} by {} · {} of 12 objectives scored · mean {}",
        a.city,
        r.country.as_deref().map(|c| format!(" ({c})")).unwrap_or_default(),
        a.assessed_on,
        a.assessor,
        r.scored,
        r.mean.map_or_else(|| "unknown".to_owned(), |m| format!("{m:.1}")),
    ));
    if !a.summary.is_empty() {
        ui.label(RichText::new(&a.summary).italics());
    }
    egui::Grid::new("assess_scores").striped(true).num_columns(3).show(ui, |ui| {
        ui.label(RichText::new("Objective").strong());
        ui.label(RichText::new("Score (0 = not at all … 4 = fully)").strong());
        ui.label(RichText::new("Justification").strong());
        ui.end_row();
        for n in 1..=12 {
            row(ui, session, a, n, rt, out);
            ui.end_row();
        }
    });
    ui.add_space(8.0);
    crate::widgets::section(ui, "Evidence");
    if r.evidence.is_empty() {
        ui.label(RichText::new("No evidence attached yet.").weak());
    }
    for (i, e) in r.evidence.iter().enumerate() {
        ui.horizontal_wrapped(|ui| {
            let on = e.objective.map_or_else(|| "whole assessment".to_owned(), |n| format!("objective {n}"));
            let found = if e.found { "" } else { " — not found in this database" };
            ui.label(format!("{on} · {} · {}{found}", e.kind, e.title));
            if e.kind.is_record() && e.found && button(ui, "Open", &format!("Open evidence {}", e.target)) {
                out.push(Command::record(e.target.clone()));
            }
            if e.kind == LinkKind::Note && button(ui, "Open", &format!("Open evidence {}", e.target)) {
                out.push(Command::open(crate::command::Target::Note(e.target.clone())));
            }
            if button(ui, "Remove", &format!("Remove evidence {}", i + 1)) {
                out.push(Command::Assess(AssessCmd::RemoveEvidence { uuid: a.uuid.clone(), index: i }));
            }
        });
    }
    evidence_form(ui, session, a, rt, out);
}

fn row(
    ui: &mut egui::Ui,
    session: &ReadModel,
    a: &atlas_session::Assessment,
    n: i64,
    rt: &mut AssessRuntime,
    out: &mut Vec<Command>,
) {
    ui.label(format!("{n}. {}", objective_title(&session.atlas, n)));
    let key = (a.uuid.clone(), n);
    let saved = a.justification(n).to_owned();
    let draft = rt.drafts.entry(key.clone()).or_insert_with(|| saved.clone());
    let current = a.score(n);
    ui.horizontal(|ui| {
        let mut pick = |ui: &mut egui::Ui, value: Option<i64>, text: &str, label: String| {
            let r = ui.selectable_label(current == value, text);
            r.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, current == value, &label));
            if r.clicked() && current != value {
                out.push(Command::Assess(AssessCmd::SetScore {
                    uuid: a.uuid.clone(),
                    objective: n,
                    score: value,
                    justification: draft.clone(),
                }));
            }
        };
        pick(ui, None, "–", format!("Objective {n} not assessed"));
        for s in 0..=4 {
            pick(ui, Some(s), &s.to_string(), format!("Objective {n} score {s}"));
        }
    });
    let label = format!("Objective {n} justification");
    let r = ui.add(egui::TextEdit::multiline(draft).desired_rows(1).desired_width(360.0).hint_text("why this score"));
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::MultilineTextInput, true, &label));
    // Written as soon as the field no longer has focus, however it lost it (Esc, Tab, a click anywhere).
    if !r.has_focus() && *draft != saved && rt.sent.get(&key) != Some(&*draft) {
        let text = draft.clone();
        rt.sent.insert(key, text.clone());
        out.push(Command::Assess(AssessCmd::SetJustification { uuid: a.uuid.clone(), objective: n, text }));
    }
}

fn evidence_form(
    ui: &mut egui::Ui,
    session: &ReadModel,
    a: &atlas_session::Assessment,
    rt: &mut AssessRuntime,
    out: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Evidence for:");
        let current = rt.ev_objective.map_or_else(|| "whole assessment".to_owned(), |n| format!("objective {n}"));
        egui::ComboBox::from_id_salt("assess_ev_objective")
            .selected_text(current)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut rt.ev_objective, None, "whole assessment");
                for n in 1..=12 {
                    ui.selectable_value(&mut rt.ev_objective, Some(n), format!("objective {n}"));
                }
            })
            .response
            .labelled_by(l.id);
        let l = ui.label("Kind:");
        egui::ComboBox::from_id_salt("assess_ev_kind")
            .selected_text(rt.ev_kind.as_str())
            .show_ui(ui, |ui| {
                for k in LinkKind::ALL {
                    ui.selectable_value(&mut rt.ev_kind, k, k.as_str());
                }
            })
            .response
            .labelled_by(l.id);
        let hint = match rt.ev_kind {
            LinkKind::Record | LinkKind::OwnRecord => "Evidence record id:",
            LinkKind::Note => "Evidence note id:",
            LinkKind::File => "Evidence file path:",
        };
        field(ui, hint, &mut rt.ev_target, 220.0);
        if ui.button("Attach evidence").clicked() {
            let target = rt.ev_target.trim().to_owned();
            let atlas = &session.atlas;
            let problem = match rt.ev_kind {
                _ if target.is_empty() => Some("Type what the evidence is (an id or a file path).".to_owned()),
                k if k.is_record() && !atlas.evidence.iter().any(|e| e.id == target) => {
                    Some(format!("No record {target:?} in this database."))
                }
                LinkKind::Note if !session.workspace.notes.iter().any(|n| n.uuid == target) => {
                    Some(format!("No note {target:?} in this database."))
                }
                _ => None,
            };
            rt.problem = problem.clone();
            if problem.is_none() {
                let kind = match atlas.evidence.iter().find(|e| e.id == target) {
                    Some(e) if rt.ev_kind == LinkKind::Record && e.origin != atlas_core::model::Origin::Shipped => {
                        LinkKind::OwnRecord
                    }
                    _ => rt.ev_kind,
                };
                let link = EvidenceLink { objective: rt.ev_objective, kind, target, label: String::new() };
                out.push(Command::Assess(AssessCmd::AddEvidence { uuid: a.uuid.clone(), link }));
                rt.ev_target.clear();
            }
        }
    });
}
