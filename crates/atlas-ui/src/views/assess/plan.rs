//! The action plan (owner, level, due date, status, progress notes; overdue and stalled flagged with the rule
//! written under the list) and the progress since the previous assessment.

use eframe::egui::{self, RichText};

use super::{AssessRuntime, AssessState, button, field};
use crate::command::{AssessCmd, Command};
use atlas_analysis::assessment::{ActionState, Report, STALLED_AFTER_DAYS, objective_title};
use atlas_session::annotate::assessments::ActionDraft;
use atlas_session::{Action, ActionStatus, ReadModel, is_date};

/// The "new action" form and the progress note being typed.
#[derive(Default)]
pub struct ActionForm {
    pub title: String,
    pub objective: i64,
    pub owner: String,
    pub level: String,
    pub due: String,
    pub note: String,
    pub status: String,
}

pub fn show(
    ui: &mut egui::Ui,
    session: &ReadModel,
    r: &Report,
    _state: &mut AssessState,
    rt: &mut AssessRuntime,
    out: &mut Vec<Command>,
) {
    progress(ui, r);
    crate::widgets::section(ui, "Action plan");
    if r.actions.is_empty() {
        ui.label(RichText::new("No action planned yet.").weak());
    }
    for (a, s) in &r.actions {
        egui::Frame::group(ui.style()).show(ui, |ui| action(ui, session, a, s, rt, out));
    }
    ui.label(
        RichText::new(format!(
            "Overdue: open (planned or in progress) and past its due date. Stalled: open with no progress note for \
             {STALLED_AFTER_DAYS} days or more (counted from its creation when it has none)."
        ))
        .small()
        .weak(),
    );
    crate::widgets::section(ui, "Plan an action");
    form(ui, session, r, rt, out);
}

fn progress(ui: &mut egui::Ui, r: &Report) {
    crate::widgets::section(ui, "Progress since the previous assessment");
    let Some(p) = &r.progress else {
        ui.label(RichText::new("This is the city's first assessment: progress shows from the next one.").weak());
        return;
    };
    let mean = |m: Option<f64>| m.map_or_else(|| "unknown".to_owned(), |m| format!("{m:.1}"));
    ui.label(format!(
        "From {} to {}: {} objectives improved, {} worsened, {} unchanged; mean {} → {}",
        p.from,
        p.to,
        p.improved,
        p.worsened,
        p.unchanged,
        mean(p.mean_before),
        mean(p.mean_after)
    ));
    for c in p.objectives.iter().filter(|c| c.change().is_some_and(|d| d != 0)) {
        let d = c.change().unwrap_or(0);
        ui.label(format!(
            "Objective {} {}: {} → {} ({}{d})",
            c.objective,
            c.short_title,
            c.before.unwrap_or(0),
            c.after.unwrap_or(0),
            if d > 0 { "+" } else { "" }
        ));
    }
    if p.actions_done.is_empty() {
        ui.label(RichText::new("No action done in between.").weak());
    } else {
        ui.label(format!("Actions done in between: {}", p.actions_done.join("; ")));
    }
    for i in &p.indicators {
        let v = |x: &Option<atlas_session::IndicatorValue>| {
            x.as_ref().map_or_else(|| "no value".to_owned(), |v| format!("{} ({})", v.value, v.on))
        };
        let better = match i.better {
            Some(true) => "better",
            Some(false) => "worse",
            None => "no change known",
        };
        ui.label(format!("{} ({}): {} → {}, {better}", i.name, i.unit, v(&i.before), v(&i.after)));
    }
}

fn action(
    ui: &mut egui::Ui,
    session: &ReadModel,
    a: &Action,
    s: &ActionState,
    rt: &mut AssessRuntime,
    out: &mut Vec<Command>,
) {
    let mut flags = Vec::new();
    if s.overdue {
        flags.push(format!("OVERDUE by {} days", s.days_overdue.unwrap_or(0)));
    }
    if s.stalled {
        flags.push(format!("STALLED: no progress for {} days", s.days_quiet.unwrap_or(0)));
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&a.title).strong());
        for f in &flags {
            ui.label(RichText::new(f).color(ui.visuals().error_fg_color).strong());
        }
    });
    ui.label(format!(
        "Objective {} {} · owner {} · level {} · due {} · status {}",
        a.objective,
        objective_title(&session.atlas, a.objective),
        if a.owner.is_empty() { "not given" } else { &a.owner },
        if a.level.is_empty() { "not given" } else { &a.level },
        a.due_on.as_deref().unwrap_or("not given"),
        a.status
    ));
    if !a.practices.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label("Inspired by:");
            for id in &a.practices {
                if button(ui, id, &format!("Open practice {id} of action {}", a.title)) {
                    out.push(Command::record(id.clone()));
                }
            }
        });
    }
    for p in &a.progress {
        ui.label(format!("  {}: {}", p.on, p.text));
    }
    ui.horizontal_wrapped(|ui| {
        field(ui, &format!("Progress note for {}:", a.title), &mut rt.act.note, 260.0);
        ui.label("save it with the status:");
        for status in ActionStatus::ALL {
            if button(ui, status.as_str(), &format!("Add progress to {} as {status}", a.title)) {
                if rt.act.note.trim().is_empty() {
                    rt.problem = Some("Type what happened first.".to_owned());
                } else {
                    out.push(Command::Assess(AssessCmd::AddProgress {
                        uuid: a.uuid.clone(),
                        text: rt.act.note.trim().to_owned(),
                        status: Some(status),
                    }));
                    rt.act.note.clear();
                    rt.problem = None;
                }
            }
        }
    });
}

fn form(ui: &mut egui::Ui, session: &ReadModel, r: &Report, rt: &mut AssessRuntime, out: &mut Vec<Command>) {
    let f = &mut rt.act;
    if f.objective == 0 {
        f.objective = r.weak.first().map_or(1, |w| w.objective);
    }
    let mut problem = None;
    ui.horizontal_wrapped(|ui| {
        field(ui, "Action title:", &mut f.title, 240.0);
        let l = ui.label("Objective:");
        egui::ComboBox::from_id_salt("assess_act_objective")
            .selected_text(f.objective.to_string())
            .show_ui(ui, |ui| {
                for n in 1..=12 {
                    ui.selectable_value(&mut f.objective, n, format!("{n}. {}", objective_title(&session.atlas, n)));
                }
            })
            .response
            .labelled_by(l.id);
        field(ui, "Owner:", &mut f.owner, 120.0);
        let l = ui.label("Level:");
        egui::ComboBox::from_id_salt("assess_act_level")
            .selected_text(if f.level.is_empty() { "not given".to_owned() } else { f.level.clone() })
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut f.level, String::new(), "not given");
                for lv in atlas_core::dataset::LEVELS {
                    ui.selectable_value(&mut f.level, lv.to_owned(), lv);
                }
            })
            .response
            .labelled_by(l.id);
        field(ui, "Due (YYYY-MM-DD):", &mut f.due, 100.0);
        if ui.button("Add action").clicked() {
            let due = f.due.trim().to_owned();
            if f.title.trim().is_empty() {
                problem = Some(Some("Give the action a title.".to_owned()));
            } else if !due.is_empty() && !is_date(&due) {
                problem = Some(Some(format!("{due:?} is not a date like 2026-12-31.")));
            } else {
                out.push(Command::Assess(AssessCmd::AddAction(ActionDraft {
                    city: r.assessment.city.clone(),
                    objective: f.objective,
                    title: f.title.trim().to_owned(),
                    owner: f.owner.trim().to_owned(),
                    level: f.level.clone(),
                    due_on: (!due.is_empty()).then_some(due),
                    practices: Vec::new(),
                })));
                *f = ActionForm::default();
                problem = Some(None);
            }
        }
    });
    if let Some(p) = problem {
        rt.problem = p;
    }
}
