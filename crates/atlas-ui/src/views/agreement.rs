//! The Agreement view: two or more authors who coded the same records independently, compared per code and
//! overall (percent agreement, Cohen's kappa for two coders, Krippendorff's alpha), at the record or the passage
//! level with the rule on screen, and the disagreements side by side to resolve (keep one, keep both, merge into a
//! new code).

use eframe::egui::{self, RichText};

use crate::command::{CodingCmd, Command};
pub use crate::state::AgreementState;
use crate::state::View;
use crate::views::codes::record_name;
use crate::widgets;
use crate::widgets::coded_text::{code_color, shorten, swatch};
use atlas_analysis::agreement::{self, Level, Report, Stats};
use atlas_session::{ReadModel, char_slice};

/// The report, recomputed when the codings, the coders or the level change; new codes' names being typed.
#[derive(Default)]
pub struct AgreementRuntime {
    key: Option<(u64, u64, Vec<String>, bool)>,
    report: Option<Report>,
    merge_names: std::collections::HashMap<usize, String>,
}

/// A statistic as shown: two decimals, or "—" when it is undefined for the data.
pub fn number(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| format!("{v:.2}"))
}

pub fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| format!("{:.1} %", v * 100.0))
}

fn choose(ui: &mut egui::Ui, all: &[String], state: &mut AgreementState) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Coders:").strong());
        for coder in all {
            let mut on = state.coders.contains(coder);
            let r = ui.checkbox(&mut on, coder.as_str());
            let name = format!("Coder {coder}");
            r.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, on, &name));
            if r.changed() {
                if on {
                    state.coders.push(coder.clone());
                    state.coders.sort();
                } else {
                    state.coders.retain(|c| c != coder);
                }
            }
        }
        ui.separator();
        ui.label(RichText::new("Level:").strong());
        if ui.radio(!state.passage, "Record level").clicked() {
            state.passage = false;
        }
        if ui.radio(state.passage, "Passage level").clicked() {
            state.passage = true;
        }
    });
}

fn stats_row(ui: &mut egui::Ui, name: &str, s: &Stats, strong: bool) {
    let text = |t: String| if strong { RichText::new(t).strong() } else { RichText::new(t) };
    ui.label(text(name.to_owned()));
    ui.label(text(s.units.to_string()));
    ui.label(text(percent(s.percent_agreement)));
    ui.label(text(number(s.cohen_kappa)));
    ui.label(text(number(s.krippendorff_alpha)));
    ui.end_row();
}

fn table(ui: &mut egui::Ui, session: &ReadModel, report: &Report) {
    egui::Grid::new("agreement_table").striped(true).num_columns(5).spacing([18.0, 4.0]).show(ui, |ui| {
        for h in ["Code", "Units", "Percent agreement", "Cohen's kappa", "Krippendorff's alpha"] {
            ui.label(RichText::new(h).strong());
        }
        ui.end_row();
        for (code, s) in &report.per_code {
            stats_row(ui, &session.workspace.code_path(code), s, false);
        }
        stats_row(ui, "Overall", &report.overall, true);
    });
    if report.coders.len() > 2 {
        ui.label(
            RichText::new("Cohen's kappa compares exactly two coders; with more, read Krippendorff's alpha.").weak(),
        );
    }
    widgets::hint(ui, "— : undefined for these codings (no unit judged by two coders, or no variation to judge by).");
}

fn disagreements(
    ui: &mut egui::Ui,
    session: &ReadModel,
    report: &Report,
    rt: &mut AgreementRuntime,
    actions: &mut Vec<Command>,
) {
    let ws = &session.workspace;
    crate::widgets::section(ui, &format!("Disagreements ({})", report.disagreements.len()));
    if report.disagreements.is_empty() {
        ui.label(RichText::new("None: the coders gave the same codes everywhere they both coded.").weak());
    }
    for (i, d) in report.disagreements.iter().enumerate().take(60) {
        let n = i + 1;
        let (record, _) = record_name(session, d.unit.target_kind, &d.unit.target_id);
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(format!("{n}. {record}")).strong());
            if let Some((start, end)) = d.unit.range {
                let text = session.codable_text(d.unit.target_kind, &d.unit.target_id).unwrap_or_default();
                let passage = char_slice(&text, start, end).unwrap_or_default();
                ui.label(RichText::new(format!("“{}”", shorten(&passage, 160))).italics());
            }
            let disputed: Vec<String> = d.codes_in_dispute.iter().map(|c| ws.code_path(c)).collect();
            ui.label(RichText::new(format!("In dispute: {}", disputed.join(", "))).weak());
            ui.columns(d.sides.len().max(1), |cols| {
                for (col, side) in cols.iter_mut().zip(&d.sides) {
                    col.label(RichText::new(&side.coder).strong());
                    if side.codes.is_empty() {
                        col.label(RichText::new("no code here").italics());
                    }
                    for code in &side.codes {
                        col.horizontal(|ui| {
                            swatch(ui, code_color(ws, code));
                            ui.label(ws.code_path(code));
                        });
                    }
                    let r = col.horizontal(|ui| ui.button("Keep this one")).inner;
                    let name = format!("Keep {}'s coding of disagreement {n}", side.coder);
                    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
                    if r.clicked() {
                        let (keep, drop) = d.keep_one(&side.coder, &ws.codings);
                        let piece = d.unit.range;
                        actions.push(Command::Codings(CodingCmd::KeepOne { keep, drop, piece }));
                    }
                }
            });
            ui.horizontal_wrapped(|ui| {
                let r = ui.button("Keep both");
                let name = format!("Keep both codings of disagreement {n}");
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
                if r.clicked() {
                    actions.push(Command::Codings(CodingCmd::KeepBoth(d.all_codings())));
                }
                let buf = rt.merge_names.entry(i).or_default();
                let edit = ui.add(egui::TextEdit::singleline(buf).desired_width(180.0).hint_text("new code name"));
                let edit_name = format!("New code name for disagreement {n}");
                edit.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, &edit_name));
                let ready = !buf.trim().is_empty();
                let r = ui.add_enabled(ready, egui::Button::new("Merge into a new code"));
                let name = format!("Merge disagreement {n} into a new code");
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, ready, &name));
                if r.clicked() {
                    let name = std::mem::take(buf).trim().to_owned();
                    actions.push(Command::Codings(CodingCmd::MergeIntoNewCode { codings: d.all_codings(), name }));
                }
            });
        });
    }
    if report.disagreements.len() > 60 {
        ui.label(format!("… and {} more; resolve these first.", report.disagreements.len() - 60));
    }
}

/// The Agreement view.
pub struct Agreement;

impl super::AtlasView for Agreement {
    fn id(&self) -> View {
        View::Agreement
    }

    fn purpose(&self) -> &'static str {
        "Agreement between authors who coded the same records: percent agreement, Cohen's kappa and Krippendorff's \
         alpha per code and overall, at the record or passage level, and the disagreements to resolve."
    }

    fn ui(&self, ui: &mut egui::Ui, cx: &mut super::ViewCx<'_>) {
        let session = cx.session;
        let ws = &session.workspace;
        let state = &mut cx.state.agreement;
        let rt = cx.rt.view::<AgreementRuntime>(View::Agreement);
        let all = agreement::coders(&ws.codings);
        state.coders.retain(|c| all.contains(c));
        egui::ScrollArea::vertical().id_salt("agreement_scroll").auto_shrink([false, false]).show(ui, |ui| {
            ui.label(RichText::new("Agreement between coders").size(19.0).strong());
            if all.len() < 2 {
                ui.label(format!(
                    "Coded passages here come from {}. Bring a co-author's codings in (a bundle in the Notes view, or \
                     a .qdpx project in the Codes view) to compare.",
                    if all.is_empty() { "no author yet".to_owned() } else { format!("one author only ({})", all[0]) }
                ));
                return;
            }
            choose(ui, &all, state);
            let level = if state.passage { Level::Passage } else { Level::Record };
            egui::Frame::group(ui.style()).fill(ui.visuals().faint_bg_color).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(RichText::new(level.rule()).small());
            });
            if state.coders.len() < 2 {
                ui.label(RichText::new("Choose at least two coders.").strong());
                return;
            }
            let key = (session.id, ws.version, state.coders.clone(), state.passage);
            if rt.key.as_ref() != Some(&key) {
                rt.report = Some(agreement::compare(&ws.codings, &state.coders, &[], level));
                rt.key = Some(key);
                rt.merge_names.clear();
            }
            let Some(report) = rt.report.take() else { return };
            ui.add_space(6.0);
            table(ui, session, &report);
            disagreements(ui, session, &report, rt, cx.commands);
            rt.report = Some(report);
        });
    }
}
