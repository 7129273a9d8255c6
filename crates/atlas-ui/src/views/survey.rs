//! The surveys: who ran them, when, who answered (named and unnamed), the instrument's known sections, and every
//! published figure with its denominator and how sure we are of it.

use eframe::egui::{self, RichText};

use crate::command::Command;
use crate::state::{UiState, View};
use crate::widgets::{self, charts, notes_panel};
use atlas_analysis::Series;
use atlas_core::model::Atlas;
use atlas_session::ReadModel;
use atlas_session::annotate::Workspace;

pub fn show(ui: &mut egui::Ui, atlas: &Atlas, ws: &Workspace, actions: &mut Vec<Command>) {
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.heading("Surveys");
        widgets::findings::compact(ui, atlas, "survey", actions);
        for s in &atlas.surveys {
            widgets::section(ui, &s.title);
            match &s.summary {
                Some(summary) => ui.label(summary),
                None => ui.label(RichText::new("No source available to us summarises this survey.").italics()),
            };
            let line = |ui: &mut egui::Ui, name: &str, value: String| {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(format!("{name}:")).strong());
                    ui.label(value);
                });
            };
            line(ui, "Run by", if s.partners.is_empty() { "unknown".to_owned() } else { s.partners.join(", ") });
            line(ui, "When", widgets::or_unknown(s.fielded.as_deref()));
            line(ui, "Respondents", s.respondent_count.map_or_else(|| "unknown".to_owned(), |n| n.to_string()));
            line(
                ui,
                "Named respondents",
                if s.named_respondents.is_empty() { "none in any available source".to_owned() } else { s.named_respondents.join(", ") },
            );
            if s.unnamed_respondents > 0 {
                line(ui, "Unnamed respondents", format!("{}: their names were never published", s.unnamed_respondents));
            }
            for channel in &s.channels {
                line(ui, "Channel", channel.clone());
            }
            if s.unnamed_respondents > 0 {
                respondent_grid(ui, &s.named_respondents, s.unnamed_respondents);
            }
            if let Some(instrument) = &s.instrument {
                egui::CollapsingHeader::new(format!("Questionnaire: {}", widgets::or_unknown(instrument.title.as_deref())))
                    .id_salt(("instrument", &s.id))
                    .show(ui, |ui| {
                        for section in &instrument.sections {
                            let status = section.status.as_deref().unwrap_or("unknown");
                            ui.label(RichText::new(format!("{} ({status})", section.title)).strong());
                            for q in &section.questions {
                                ui.label(format!("  {} — {} [{}]", q.code, q.text, q.status.as_deref().unwrap_or("unknown")));
                            }
                        }
                    });
            }
            egui::CollapsingHeader::new(format!("How sure we are ({} notes)", s.uncertain.len()))
                .id_salt(("survey_uncertain", &s.id))
                .show(ui, |ui| widgets::uncertain(ui, &s.uncertain));
            egui::CollapsingHeader::new(format!("Sources ({})", s.sources.len()))
                .id_salt(("survey_sources", &s.id))
                .show(ui, |ui| widgets::sources(ui, &s.sources, &s.id));
            if s.id == "oecd-cities-2017" {
                answers(ui, actions);
            }
        }
        widgets::section(ui, "Published results (percentages)");
        let results: Vec<_> = atlas
            .survey_figures
            .iter()
            .filter(|f| f.kind.as_deref() == Some("survey-result") && f.unit.as_deref() == Some("%") && f.value.is_some())
            .collect();
        let series = Series {
            categories: results.iter().map(|f| format!("{} {}", f.value_text, short(&f.measures))).collect(),
            stacks: vec![("share of respondents (%)".to_owned(), results.iter().map(|f| f.value.unwrap_or(0.0).round() as usize).collect())],
        };
        charts::bars(ui, "survey_results", "Chart: published survey results", &series, 60.0 + 34.0 * results.len() as f32);
        widgets::hint(ui, "Every percentage comes with its own denominator and source below; most were published only by third parties.");
        widgets::section(ui, "Every published and context figure");
        widgets::export_button(
            ui,
            "Export table…",
            "survey-figures",
            || vec![atlas_export::tables::survey_figures(atlas)],
            actions,
        );
        for f in &atlas.survey_figures {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(&f.value_text).size(18.0).strong());
                    ui.label(&f.measures);
                });
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(format!("Denominator: {}", widgets::or_unknown(f.denominator.as_deref()))).small());
                    ui.label(RichText::new(format!("Kind: {}", kind_text(f.kind.as_deref()))).small());
                    ui.label(RichText::new(format!("Survey: {}", f.survey)).small());
                });
                widgets::sources(ui, &f.sources, &f.id);
                widgets::uncertain(ui, &f.uncertain);
                let n = ws.note_count(atlas_session::TargetKind::SurveyFigure, &f.id);
                egui::CollapsingHeader::new(format!("Notes ({n})")).id_salt(("figure_notes", &f.id)).show(ui, |ui| {
                    notes_panel::show(ui, ws, atlas_session::TargetKind::SurveyFigure, &f.id, &format!("figure {}", f.id), actions);
                });
            });
        }
    });
}

fn kind_text(kind: Option<&str>) -> &'static str {
    match kind {
        Some("survey-result") => "survey result",
        Some("sample") => "sample size",
        Some("context") => "context figure, not a survey result",
        _ => "unknown",
    }
}

fn short(text: &str) -> String {
    let t: String = text.chars().take(48).collect();
    if text.chars().count() > 48 { format!("{t}…") } else { t }
}

/// 72 small squares: the named respondents labelled, the unnamed ones shown as unknown.
fn respondent_grid(ui: &mut egui::Ui, named: &[String], unnamed: i64) {
    ui.horizontal_wrapped(|ui| {
        for name in named {
            ui.label(RichText::new(format!("■ {name}")).color(ui.visuals().hyperlink_color));
        }
        for _ in 0..unnamed.max(0) {
            ui.label(RichText::new("□").weak()).on_hover_text("An unnamed respondent: the name was never published");
        }
    });
}

/// Per-respondent answers live in the Responses view; none were ever published.
fn answers(ui: &mut egui::Ui, actions: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new("Per-respondent answers: none were published. Imported files and workshop rounds are in")
                .italics(),
        );
        if ui.link("the Responses view").clicked() {
            actions.push(Command::go(View::Responses));
        }
    });
}

/// The Survey view.
pub struct Survey;

impl super::AtlasView for Survey {
    fn id(&self) -> View {
        View::Survey
    }

    fn purpose(&self) -> &'static str {
        "Both surveys of cities: who ran them, when, who answered, the questionnaire's known sections, and every \
         published figure with its denominator and source."
    }

    fn ui(&self, ui: &mut egui::Ui, cx: &mut super::ViewCx<'_>) {
        show(ui, &cx.session.atlas, &cx.session.workspace, cx.commands);
    }

    fn has_tables(&self) -> bool {
        true
    }

    fn tables(&self, cx: &super::ReadCx<'_>) -> Option<(String, Vec<atlas_export::Table>)> {
        Some(("survey-figures".to_owned(), vec![atlas_export::tables::survey_figures(&cx.session.atlas)]))
    }

    fn slide_text(
        &self,
        session: &ReadModel,
        _state: &UiState,
        _hits: Option<&crate::views::SearchIds>,
    ) -> (Vec<String>, Vec<atlas_core::dataset::Source>) {
        let a = &session.atlas;
        let sources = a
            .surveys
            .iter()
            .flat_map(|s| s.sources.iter().cloned())
            .chain(a.survey_figures.iter().flat_map(|f| f.sources.iter().cloned()))
            .collect();
        (vec!["Survey view".to_owned()], sources)
    }
}
