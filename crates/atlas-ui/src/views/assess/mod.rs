//! Self-assessment: a city scores itself 0–4 on each of the 12 checklist objectives with a justification and
//! evidence, compares itself on a radar (with its table) against another city, an earlier assessment, a workshop
//! round or all assessments, learns from the practices coded to its weak objectives, tracks its own indicators, and
//! keeps an action plan; the next assessment shows the progress. Every edit is a command written through the
//! session's assessment desk (Ctrl+Z / Ctrl+Shift+Z undo and redo it while this view is open).

mod compare;
mod indicators;
mod plan;
mod scores;

use atlas_analysis::{Memo, Revision};
use std::collections::HashMap;

use eframe::egui::{self, RichText};

use super::{AtlasView, ReadCx, ViewCx};
use crate::command::{AssessCmd, Command};
pub use crate::state::{AssessState, AssessTab};
use crate::state::{UiState, View};
use atlas_analysis::assessment::{Report, assessable_cities, of_city, round_participants};
use atlas_core::dataset::Source;
use atlas_export::Table;
use atlas_session::ReadModel;

pub struct Assess;

/// Edit buffers and the cached report of the open assessment (per database).
#[derive(Default)]
pub struct AssessRuntime {
    pub new_city: String,
    pub new_date: String,
    pub assessor: String,
    pub adopt_round: Option<String>,
    /// Justification drafts by (assessment, objective).
    pub drafts: HashMap<(String, i64), String>,
    /// The justification last sent for writing, per draft (so a failed write is not sent again every frame).
    pub sent: HashMap<(String, i64), String>,
    pub ev_objective: Option<i64>,
    pub ev_kind: atlas_session::LinkKind,
    pub ev_target: String,
    pub ind: indicators::IndicatorForm,
    pub act: plan::ActionForm,
    /// A one-line message about bad input (nothing was changed).
    pub problem: Option<String>,
    /// The assessment whose deletion waits for "Delete" or "Keep".
    pub confirm_delete: Option<String>,
    cache: Memo<ReportKey, Option<Report>>,
    drafts_version: u64,
}

/// What the report is derived from: the assessments' and the answers' revisions, the assessment and the day.
type ReportKey = (Revision, Revision, String, String);

impl AssessRuntime {
    /// The open assessment's report, computed again only when the data, the assessment or the day changed.
    fn report(&mut self, session: &ReadModel, uuid: &str, today: &str) -> Option<&Report> {
        let assessments = Revision { database: session.id, change: session.assess.version };
        let key = (assessments, session.answers_revision(), uuid.to_owned(), today.to_owned());
        self.cache.get_or(key, || session.assessment_report(uuid, today)).as_ref()
    }
}

/// Today, `YYYY-MM-DD`.
pub fn today() -> String {
    jiff::Zoned::now().date().to_string()
}

/// A labelled single-line field; returns its response.
pub(super) fn field(ui: &mut egui::Ui, label: &str, text: &mut String, width: f32) -> egui::Response {
    let l = ui.label(label);
    ui.add(egui::TextEdit::singleline(text).desired_width(width)).labelled_by(l.id)
}

/// A button with its own accessible label (its text may repeat elsewhere on screen).
pub(super) fn button(ui: &mut egui::Ui, text: &str, label: &str) -> bool {
    let r = ui.button(text);
    let label = label.to_owned();
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    r.clicked()
}

impl AtlasView for Assess {
    fn id(&self) -> View {
        View::Assess
    }

    fn unsaved(&self, cx: &ReadCx<'_>) -> crate::command::Commands {
        let Some(rt) = cx.rt.view_ref::<AssessRuntime>(View::Assess) else { return Vec::new() };
        let mut out: Vec<_> = rt
            .drafts
            .iter()
            .filter(|(key, text)| rt.sent.get(*key) != Some(*text))
            .filter(|((uuid, n), text)| {
                cx.session.assess.assessment(uuid).is_some_and(|a| a.justification(*n) != *text)
            })
            .map(|((uuid, n), text)| {
                Command::Assess(AssessCmd::SetJustification { uuid: uuid.clone(), objective: *n, text: text.clone() })
            })
            .collect();
        out.sort_by_key(|c| format!("{c:?}"));
        out
    }

    fn purpose(&self) -> &'static str {
        "A city's self-assessment against the 12 objectives: scores with justifications and evidence, comparison \
         with peers and over time, indicators, and an action plan."
    }

    fn ui(&self, ui: &mut egui::Ui, cx: &mut ViewCx<'_>) {
        let session = cx.session;
        let state = &mut cx.state.assess;
        let rt = cx.rt.view::<AssessRuntime>(View::Assess);
        let today = today();
        if rt.drafts_version != session.assess.version {
            // Saved, undone or redone: the drafts show what is saved again.
            rt.drafts_version = session.assess.version;
            rt.drafts.clear();
            rt.sent.clear();
        }
        if rt.assessor.is_empty() {
            rt.assessor = session.workspace.author.clone().unwrap_or_default();
        }
        if state
            .assessment
            .as_ref()
            .is_some_and(|u| session.assess.assessment(u).is_none_or(|a| a.deleted_at.is_some()))
        {
            state.assessment = None;
        }
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            ui.heading("Self-assessment");
            ui.label(
                "Score your city on each of the 12 objectives of the OECD checklist (0 = not at all, 4 = fully), \
                 say why, attach evidence, compare, and plan actions.",
            );
            picker(ui, session, state, rt, cx.commands);
            if let Some(p) = &rt.problem {
                ui.label(RichText::new(p).color(ui.visuals().error_fg_color));
            }
            let Some(uuid) = state.assessment.clone() else { return };
            ui.separator();
            ui.horizontal(|ui| {
                for (tab, name) in [
                    (AssessTab::Scores, "Scores and evidence"),
                    (AssessTab::Compare, "Compare and learn"),
                    (AssessTab::Indicators, "Indicators"),
                    (AssessTab::Plan, "Action plan and progress"),
                ] {
                    if ui.selectable_label(state.tab == tab, name).clicked() {
                        state.tab = tab;
                    }
                }
                ui.separator();
                for format in atlas_export::ReportFormat::ALL {
                    if ui.button(format!("Export {}…", format.name())).clicked() {
                        cx.commands.push(Command::Assess(AssessCmd::Export { uuid: uuid.clone(), format }));
                    }
                }
            });
            let Some(report) = rt.report(session, &uuid, &today).cloned() else { return };
            match state.tab {
                AssessTab::Scores => scores::show(ui, session, &report, rt, cx.commands),
                AssessTab::Compare => compare::show(ui, session, &report, state, rt, cx.commands),
                AssessTab::Indicators => indicators::show(ui, session, &report, rt, cx.commands),
                AssessTab::Plan => plan::show(ui, session, &report, state, rt, cx.commands),
            }
        });
    }

    fn has_tables(&self) -> bool {
        true
    }

    fn tables(&self, cx: &ReadCx<'_>) -> Option<(String, Vec<Table>)> {
        let uuid = cx.state.assess.assessment.as_deref()?;
        let r = cx.session.assessment_report(uuid, &today())?;
        Some((
            atlas_export::assessment::file_name(&r, atlas_export::ReportFormat::Xlsx)
                .trim_end_matches(".xlsx")
                .to_owned(),
            atlas_export::assessment::tables(&cx.session.atlas, &r),
        ))
    }

    fn slide_title(&self, session: Option<&ReadModel>, state: &UiState) -> String {
        let r = session.zip(state.assess.assessment.as_deref()).and_then(|(s, u)| s.assessment_report(u, &today()));
        match (session, r) {
            (Some(s), Some(r)) => atlas_export::assessment::slide(&s.atlas, &r).title,
            _ => self.label().to_owned(),
        }
    }

    fn slide_text(
        &self,
        session: &ReadModel,
        state: &UiState,
        _hits: Option<&crate::views::SearchIds>,
    ) -> (Vec<String>, Vec<Source>) {
        match state.assess.assessment.as_deref().and_then(|u| session.assessment_report(u, &today())) {
            Some(r) => (atlas_export::assessment::slide(&session.atlas, &r).lines, Vec::new()),
            None => (vec!["Self-assessment view: no assessment chosen".to_owned()], Vec::new()),
        }
    }
}

/// "Delete assessment…", then "Delete" or "Keep" beside it.
fn delete_button(ui: &mut egui::Ui, uuid: &str, rt: &mut AssessRuntime, out: &mut Vec<Command>) {
    if rt.confirm_delete.as_deref() == Some(uuid) {
        ui.label("Delete this assessment with its scores and evidence?");
        if ui.button("Delete").clicked() {
            out.push(Command::Assess(AssessCmd::Delete(uuid.to_owned())));
            rt.confirm_delete = None;
        }
        if ui.button("Keep").clicked() {
            rt.confirm_delete = None;
        }
    } else if ui.button("Delete assessment…").clicked() {
        rt.confirm_delete = Some(uuid.to_owned());
    }
}

/// City, assessment, "New assessment" and "Adopt a workshop round".
fn picker(
    ui: &mut egui::Ui,
    session: &ReadModel,
    state: &mut AssessState,
    rt: &mut AssessRuntime,
    out: &mut Vec<Command>,
) {
    let atlas = &session.atlas;
    let cities = assessable_cities(atlas, &session.answers.extra_cities, &session.assess.assessments);
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("City:");
        let current = state.city.clone().unwrap_or_else(|| "choose a city".to_owned());
        egui::ComboBox::from_id_salt("assess_city")
            .selected_text(current)
            .show_ui(ui, |ui| {
                for (name, country) in &cities {
                    let text = format!("{name} ({})", country.as_deref().unwrap_or("country unknown"));
                    if ui.selectable_label(state.city.as_deref() == Some(name.as_str()), text).clicked() {
                        state.city = Some(name.clone());
                        state.assessment =
                            of_city(atlas, &session.assess.assessments, name).last().map(|a| a.uuid.clone());
                        rt.new_city = name.clone();
                    }
                }
            })
            .response
            .labelled_by(l.id);
        if let Some(city) = &state.city {
            let list = of_city(atlas, &session.assess.assessments, city);
            let l = ui.label("Assessment:");
            let current = state
                .assessment
                .as_ref()
                .and_then(|u| list.iter().find(|a| &a.uuid == u))
                .map_or_else(|| "none yet".to_owned(), |a| format!("{} by {}", a.assessed_on, a.assessor));
            egui::ComboBox::from_id_salt("assess_which")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    for a in &list {
                        let on = state.assessment.as_deref() == Some(a.uuid.as_str());
                        if ui.selectable_label(on, format!("{} by {}", a.assessed_on, a.assessor)).clicked() {
                            state.assessment = Some(a.uuid.clone());
                        }
                    }
                })
                .response
                .labelled_by(l.id);
            if let Some(uuid) = state.assessment.clone().filter(|_| !crate::widgets::on_slide(ui.ctx())) {
                delete_button(ui, &uuid, rt, out);
            }
        }
    });
    if crate::widgets::on_slide(ui.ctx()) {
        return;
    }
    egui::CollapsingHeader::new("Start a new assessment")
        .id_salt("assess_new")
        .default_open(state.assessment.is_none())
        .show(ui, |ui| new_form(ui, session, state, rt, &cities, out));
}

fn new_form(
    ui: &mut egui::Ui,
    session: &ReadModel,
    state: &AssessState,
    rt: &mut AssessRuntime,
    cities: &[(String, Option<String>)],
    out: &mut Vec<Command>,
) {
    if rt.new_city.is_empty() {
        rt.new_city = state.city.clone().unwrap_or_default();
    }
    ui.horizontal_wrapped(|ui| {
        field(ui, "City name:", &mut rt.new_city, 160.0);
        let l = ui.label("Date (YYYY-MM-DD):");
        ui.add(egui::TextEdit::singleline(&mut rt.new_date).desired_width(110.0).hint_text("today")).labelled_by(l.id);
        field(ui, "Assessor:", &mut rt.assessor, 140.0);
        if ui.button("New assessment").clicked() {
            rt.problem = None;
            let city = rt.new_city.trim().to_owned();
            let date = if rt.new_date.trim().is_empty() { today() } else { rt.new_date.trim().to_owned() };
            if city.is_empty() {
                rt.problem = Some("Type or choose the city to assess.".to_owned());
            } else if !atlas_session::is_date(&date) {
                rt.problem = Some(format!("{date:?} is not a date like 2026-03-01."));
            } else if rt.assessor.trim().is_empty() {
                rt.problem = Some("Type the assessor's name (it is remembered as the author).".to_owned());
            } else {
                let country = cities
                    .iter()
                    .find(|(n, _)| atlas_analysis::assessment::same_city(&session.atlas, n, &city))
                    .and_then(|(_, c)| c.clone());
                out.push(Command::Assess(AssessCmd::New {
                    city,
                    country,
                    date,
                    assessor: rt.assessor.trim().to_owned(),
                }));
            }
        }
    });
    if session.workspace.author.is_none() {
        ui.label(RichText::new("The assessor's name is remembered in this database as the author of notes.").weak());
    }
    let rounds: Vec<(String, String)> =
        session.answers.rounds.iter().map(|r| (r.uuid.clone(), r.title.clone())).collect();
    if rounds.is_empty() {
        ui.label(RichText::new("No workshop round to adopt answers from.").weak());
        return;
    }
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Adopt from workshop round:");
        let current = rt
            .adopt_round
            .as_ref()
            .and_then(|u| rounds.iter().find(|(x, _)| x == u))
            .map_or_else(|| "choose a round".to_owned(), |(_, t)| t.clone());
        egui::ComboBox::from_id_salt("assess_round")
            .selected_text(current)
            .show_ui(ui, |ui| {
                for (uuid, title) in &rounds {
                    if ui.selectable_label(rt.adopt_round.as_deref() == Some(uuid.as_str()), title).clicked() {
                        rt.adopt_round = Some(uuid.clone());
                    }
                }
            })
            .response
            .labelled_by(l.id);
        let Some(round) = rt.adopt_round.clone() else { return };
        for (who, city) in round_participants(&session.answers, &round) {
            let text = format!("Adopt {who} ({})", city.as_deref().unwrap_or("city unknown"));
            if ui.button(text).clicked() {
                if rt.assessor.trim().is_empty() {
                    rt.problem = Some("Type the assessor's name first.".to_owned());
                } else {
                    out.push(Command::Assess(AssessCmd::Adopt {
                        round: round.clone(),
                        respondent: who.clone(),
                        assessor: rt.assessor.trim().to_owned(),
                    }));
                }
            }
        }
    });
}
