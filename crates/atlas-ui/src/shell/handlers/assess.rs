//! Self-assessments, city indicators and action plans: writes through the session's desk (with undo), then the
//! view follows the new assessment; exports open the save window.

use atlas_export::ReportFormat;

use crate::command::AssessCmd;

/// What a self-assessment report holds, as its save window says.
const REPORT_CONTENTS: &str = "The scores with their reasons and evidence, comparisons and progress, the indicators, the action plan, practices to learn from and cities like this one";
use crate::dialogs::files::Task;
use crate::shell::AtlasApp;

/// Today as `YYYY-MM-DD`.
pub fn today() -> String {
    jiff::Zoned::now().date().to_string()
}

impl AtlasApp {
    pub(in crate::shell) fn assess(&mut self, command: AssessCmd) {
        let Some(db) = &mut self.db else { return };
        let session = &mut db.session;
        let state = &mut self.state.assess;
        let result = match command {
            AssessCmd::New { city, country, date, assessor } => {
                session.new_assessment(&city, country.as_deref(), &date, &assessor).map(|uuid| {
                    state.city = Some(atlas_analysis::assessment::city_name(&session.atlas, &city));
                    state.assessment = Some(uuid);
                    state.tab = crate::state::AssessTab::Scores;
                })
            }
            AssessCmd::Adopt { round, respondent, assessor } => {
                session.adopt_round(&round, &respondent, &assessor).map(|uuid| {
                    state.city = session.assess.assessment(&uuid).map(|a| a.city.clone());
                    state.assessment = Some(uuid);
                    state.tab = crate::state::AssessTab::Scores;
                })
            }
            AssessCmd::SetScore { uuid, objective, score, justification } => session.assess_write(|d, s, _, _| {
                d.edit_assessment(s, &uuid, |a| a.set_score(objective, score, &justification))
            }),
            AssessCmd::SetJustification { uuid, objective, text } => session.assess_write(|d, s, _, _| {
                d.edit_assessment(s, &uuid, |a| a.set_score(objective, a.score(objective), &text))
            }),
            AssessCmd::AddEvidence { uuid, link } => {
                session.assess_write(|d, s, _, _| d.edit_assessment(s, &uuid, |a| a.evidence.push(link)))
            }
            AssessCmd::RemoveEvidence { uuid, index } => session.assess_write(|d, s, _, _| {
                d.edit_assessment(s, &uuid, |a| {
                    if index < a.evidence.len() {
                        a.evidence.remove(index);
                    }
                })
            }),
            AssessCmd::SetValue { uuid, on, value, note } => {
                session.assess_write(|d, s, _, _| d.set_indicator_value(s, &uuid, &on, value, &note))
            }
            AssessCmd::AddAction(draft) => session.assess_write(|d, s, _, _| d.save_action(s, draft.into_action())),
            AssessCmd::AddIndicator(draft) => {
                session.assess_write(|d, s, _, _| d.save_indicator(s, draft.into_indicator()))
            }
            AssessCmd::AddProgress { uuid, text, status } => {
                let on = today();
                session.assess_write(|d, s, _, _| d.add_progress(s, &uuid, &on, &text, status))
            }
            AssessCmd::Export { uuid, format } => {
                let Some(report) = session.assessment_report(&uuid, &today()) else { return };
                let atlas = &session.atlas;
                let name = atlas_export::assessment::file_name(&report, format);
                let task = match format {
                    // The save window adds the table format's extension itself.
                    ReportFormat::Xlsx => Task::Tables {
                        name: name.trim_end_matches(".xlsx").to_owned(),
                        tables: atlas_export::assessment::tables(atlas, &report),
                    },
                    ReportFormat::Html => Task::Brief {
                        name,
                        text: atlas_export::assessment::html(atlas, &report),
                        what: "self-assessment report",
                        contents: REPORT_CONTENTS,
                    },
                    ReportFormat::Markdown => Task::Brief {
                        name,
                        text: atlas_export::assessment::markdown(atlas, &report),
                        what: "self-assessment report",
                        contents: REPORT_CONTENTS,
                    },
                };
                self.files.open_as(task, format == ReportFormat::Xlsx);
                Ok(())
            }
            AssessCmd::Delete(uuid) => session.assess_write(|d, s, _, _| d.delete_assessment(s, &uuid)).map(|_| {
                if state.assessment.as_deref() == Some(uuid.as_str()) {
                    state.assessment = None;
                }
                self.message = Some("Deleted the assessment (Undo brings it back)".to_owned());
            }),
            AssessCmd::Undo => session.undo_assessment().map(|_| ()),
            AssessCmd::Redo => session.redo_assessment().map(|_| ()),
        };
        if let Err(e) = result {
            self.message = Some(e);
        }
    }
}
