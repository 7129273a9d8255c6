//! Pacing the room: the facilitator shows one question at a time (an objective, the gaps, the open line), the
//! phones show that question and follow, and the window shows that question's live answers large enough for the
//! back of the room. Each phone at its own pace stays the other choice; both store the same answers.

use eframe::egui::{self, RichText};

use super::cache::em;
use super::words::{self, Words};
use crate::command::{Command, RoundCmd};
use crate::widgets::{charts, plural};
use atlas_analysis::rounds::RoundResults;
use atlas_live::Step;
use atlas_live::tally::LiveTally;
use atlas_session::Live;

/// What a step is called in the window.
pub(super) fn step_title(live: &Live, step: Step) -> String {
    match step {
        Step::Objective(n) => {
            let title = live.tally.objective_title(n).unwrap_or_default();
            format!("Objective {n}: {title}")
        }
        Step::Gaps => "The co-ordination gaps, by level of government".to_owned(),
        Step::Line => "The one thing that blocks co-ordination here".to_owned(),
    }
}

/// The pacing controls: the choice of pace, and while paced the question the room is on with Previous and Next.
pub(super) fn controls(ui: &mut egui::Ui, live: &Live, actions: &mut Vec<Command>) {
    let round = &live.round;
    let steps = round.steps();
    let current = round.step();
    ui.horizontal_wrapped(|ui| {
        let mut paced = current.is_some();
        let r = ui.checkbox(&mut paced, "One question at a time");
        let label = "Pace the room one question at a time";
        r.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, paced, label));
        let r = r.on_hover_text("The phones show only the question you show, and move on when you do");
        if r.changed() {
            actions.push(Command::Rounds(RoundCmd::LivePace(paced.then(|| steps[0]))));
        }
    });
    let Some(step) = current else { return };
    let at = steps.iter().position(|s| *s == step).unwrap_or(0);
    ui.horizontal_wrapped(|ui| {
        let previous = ui.add_enabled(at > 0, egui::Button::new("◀ Previous question"));
        if previous.clicked() {
            actions.push(Command::Rounds(RoundCmd::LivePace(Some(steps[at - 1]))));
        }
        let next = ui.add_enabled(at + 1 < steps.len(), egui::Button::new("Next question ▶"));
        if next.clicked() {
            actions.push(Command::Rounds(RoundCmd::LivePace(Some(steps[at + 1]))));
        }
    });
    let line = format!("Question {} of {}: {}", at + 1, steps.len(), step_title(live, step));
    ui.label(RichText::new(&line).strong())
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, format!("The room is on: {line}")));
}

/// The question the room is on, with its live answers (hidden like the charts until Reveal).
pub(super) fn question(
    ui: &mut egui::Ui,
    live: &Live,
    step: Step,
    results: &RoundResults,
    cloud: &Words<'_>,
    actions: &mut Vec<Command>,
) {
    let e = em(ui);
    let steps = live.round.steps();
    let at = steps.iter().position(|s| *s == step).unwrap_or(0);
    ui.label(RichText::new(format!("Question {} of {}", at + 1, steps.len())).weak());
    ui.label(RichText::new(step_title(live, step)).size(e * 1.6).strong());
    if step == Step::Line {
        words::panel(ui, cloud, actions);
        return;
    }
    if cloud.hidden {
        ui.label(
            RichText::new(format!(
                "{} so far. The answers are hidden until you reveal them, so the room does not follow itself.",
                plural(results.respondents, "phone has answered", "phones have answered")
            ))
            .italics(),
        );
        return;
    }
    match step {
        Step::Objective(n) => scores(ui, &live.tally, n),
        _ => {
            let height = ui.available_height() - e * 2.0;
            super::results::gaps_chart(ui, results, move |_| height.max(e * 12.0));
        }
    }
}

/// How many gave each score to objective `n`, as large bars with their counts.
fn scores(ui: &mut egui::Ui, tally: &LiveTally, n: i64) {
    let e = em(ui);
    let counts = tally.score_counts(n).unwrap_or_default();
    let total: usize = counts.iter().sum();
    let mean = if total == 0 {
        None
    } else {
        Some(counts.iter().enumerate().map(|(v, c)| v * c).sum::<usize>() as f64 / total as f64)
    };
    let said = match mean {
        Some(m) => format!("{}, mean {m:.1} (0 = not at all … 4 = fully)", plural(total, "answer", "answers")),
        None => "No answer yet.".to_owned(),
    };
    ui.label(RichText::new(&said).size(e * 1.2))
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, format!("Objective {n}: {said}")));
    let most = counts.iter().copied().max().unwrap_or(0).max(1);
    let row = ((ui.available_height() - e) / 5.0).clamp(e * 1.6, e * 4.0);
    let width = ui.available_width() - e * 6.0;
    for (score, count) in counts.iter().enumerate() {
        ui.horizontal(|ui| {
            ui.add_sized([e * 2.0, row], egui::Label::new(RichText::new(score.to_string()).size(row * 0.5).strong()));
            let (rect, response) =
                ui.allocate_exact_size(egui::vec2(width.max(e * 4.0), row * 0.8), egui::Sense::hover());
            let filled = rect.width() * (*count as f32 / most as f32);
            let bar = egui::Rect::from_min_size(rect.min, egui::vec2(filled, rect.height()));
            ui.painter().rect_filled(bar, 2.0, charts::PALETTE[0].gamma_multiply(0.8));
            ui.painter().text(
                egui::pos2(bar.right() + e * 0.4, rect.center().y),
                egui::Align2::LEFT_CENTER,
                count.to_string(),
                egui::FontId::proportional(row * 0.45),
                ui.visuals().strong_text_color(),
            );
            let label = format!("Score {score}: {}", plural(*count, "answer", "answers"));
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &label));
        });
    }
}
