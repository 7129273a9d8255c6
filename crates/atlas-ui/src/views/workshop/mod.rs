//! Workshop: a live self-assessment round. The facilitator opens a round (title, date), adds participants as they
//! speak (a city or a name, with type-ahead), types each one's score 0–4 per checklist objective and ticks the
//! coordination gaps they face with each level of government. Every change is written at once (as survey answers of
//! a round of kind `live`, the same rows an import writes), and the charts beside the entry follow: average and
//! spread per objective, gaps by level, and the room beside the case-study evidence — each with its numbers as text.
//!
//! Keys: Tab moves to the next field; Enter in the participant field adds the row and jumps to its first score;
//! Enter in a score jumps to the same objective of the next participant (or back to the participant field).

mod cache;
mod entry;
mod live;
mod pace;
mod results;
mod words;

pub use crate::state::{Layout, WorkshopState};
use eframe::egui::{self, Key, RichText};

use cache::em;
pub use cache::{RoundCache, WorkshopRuntime, parse_score};
use entry::entry;
use results::results;

use crate::command::{Command, RoundCmd};
use crate::state::{UiState, View};
use atlas_core::answer_format::parse_date;
use atlas_core::model::{AnswerSet, Atlas};
use atlas_live::Step;
use atlas_session::ReadModel;

pub fn show(
    ui: &mut egui::Ui,
    session: &ReadModel,
    state: &mut WorkshopState,
    rt: &mut WorkshopRuntime,
    actions: &mut Vec<Command>,
) {
    let (atlas, set, live) = (&session.atlas, &session.answers, session.live.as_ref());
    // A round that no longer exists (deleted here or elsewhere) closes.
    if state.round.as_ref().is_some_and(|uuid| !set.rounds.iter().any(|r| &r.uuid == uuid && r.kind == "live")) {
        state.round = None;
    }
    if !rt.started {
        rt.started = true;
        if state.round.is_none() {
            state.round = set.rounds.iter().rev().find(|r| r.kind == "live").map(|r| r.uuid.clone());
        }
    }
    if rt.cache.refresh(atlas, set, session.answers_revision(), state.round.as_deref()) {
        sync_rows(rt, set, state.round.as_deref());
    }
    // While the room answers this round from their phones: the results tallied as answers arrive, hidden until
    // revealed (on a slide too).
    let live = live.filter(|l| state.round.as_deref() == Some(l.round.round()));
    let tallied = live.map(|l| (l.tally.results(), l.tally.participants(), l.round.revealed()));
    // The word cloud's words, only when a cloud is on screen: the live room's shown lines (counted again only when
    // they change), else those the round kept.
    let cloud_shown = state.layout == Layout::Words || live.is_some_and(|l| l.round.step() == Some(Step::Line));
    let live_words = live.filter(|_| cloud_shown).map(|l| {
        let lines = l.round.shown_lines();
        let n = lines.len();
        if !rt.live_words.is_fresh(&lines) {
            let words = atlas_analysis::words::word_counts(lines.iter().map(String::as_str));
            rt.live_words.get_or(lines, || words);
        }
        (n, rt.live_words.last().cloned().unwrap_or_default())
    });
    let title = state.round.as_deref().and_then(|u| set.rounds.iter().find(|r| r.uuid == u)).map(|r| r.title.clone());
    let hidden_now = tallied.as_ref().is_some_and(|(_, _, revealed)| !revealed);
    if crate::widgets::on_slide(ui.ctx()) {
        // A slide shows the round's results only: no entry, no controls, no live panel.
        match state.round {
            Some(_) if state.layout == Layout::Words => {
                words::panel(ui, &cloud_of(title.as_deref(), live_words.as_ref(), rt, hidden_now), actions)
            }
            Some(_) => results(ui, set, rt, tallied.as_ref()),
            None => {
                ui.label(RichText::new("No workshop round yet.").italics());
            }
        }
        return;
    }
    toolbar(ui, state, rt);
    let Some(round) = state.round.clone() else {
        new_round_form(ui, rt, actions);
        return;
    };
    // The live panel when the room answers this round from their phones; else the button that starts it. (The
    // toolbar may just have chosen another round.)
    let live = live.filter(|l| l.round.round() == round);
    let tallied = tallied.filter(|_| live.is_some());
    // Presenting while the room answers: the room's card (code, address, counts, controls) beside the results,
    // all on one screen; no entry table and no phone list (names and unreviewed lines are for the facilitator).
    if let Some(live) = live
        && crate::widgets::presenting(ui.ctx())
    {
        let cloud = cloud_of(title.as_deref(), live_words.as_ref(), rt, hidden_now);
        presenting_live(ui, set, rt, live, tallied.as_ref(), &cloud, state.layout, actions);
        return;
    }
    match live {
        Some(live) => live::panel(ui, live, actions),
        None => {
            let start = ui
                .button("Let the room answer from their phones")
                .on_hover_text("Starts a small web server on this computer's network; phones answer by a QR code");
            if start.clicked() {
                actions.push(Command::Rounds(RoundCmd::LiveStart(round.clone())));
            }
        }
    }
    if rt.details {
        round_bar(ui, set, &round, rt, actions);
    }
    if let Some(problem) = &rt.problem {
        ui.label(RichText::new(problem).color(ui.visuals().error_fg_color));
    }
    ui.separator();
    // While phones answer with the results hidden, the entry table (each phone's name and scores) is hidden too.
    match state.layout {
        Layout::Entry => {
            egui::ScrollArea::both()
                .id_salt("workshop_entry_scroll")
                .show(ui, |ui| entry_unless_hidden(ui, atlas, set, &round, hidden_now, rt, actions));
        }
        Layout::Words => words::panel(ui, &cloud_of(title.as_deref(), live_words.as_ref(), rt, hidden_now), actions),
        Layout::Results => {
            egui::ScrollArea::vertical().id_salt("workshop_results_scroll").show(ui, |ui| {
                room_results(
                    ui,
                    set,
                    rt,
                    tallied.as_ref(),
                    live,
                    &cloud_of(title.as_deref(), live_words.as_ref(), rt, hidden_now),
                    actions,
                )
            });
        }
        Layout::Both if ui.available_width() >= 1100.0 => {
            let width = ui.available_width();
            egui::Panel::right("workshop_results_panel")
                .resizable(true)
                .default_size(width * 0.4)
                .min_size(width * 0.25)
                .max_size(width * 0.6)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().id_salt("workshop_results_scroll").show(ui, |ui| {
                        room_results(
                            ui,
                            set,
                            rt,
                            tallied.as_ref(),
                            live,
                            &cloud_of(title.as_deref(), live_words.as_ref(), rt, hidden_now),
                            actions,
                        )
                    });
                });
            egui::CentralPanel::default().show(ui, |ui| {
                egui::ScrollArea::both()
                    .id_salt("workshop_entry_scroll")
                    .show(ui, |ui| entry_unless_hidden(ui, atlas, set, &round, hidden_now, rt, actions));
            });
        }
        Layout::Both => {
            egui::ScrollArea::vertical().id_salt("workshop_scroll").show(ui, |ui| {
                egui::ScrollArea::horizontal()
                    .id_salt("workshop_entry_hscroll")
                    .show(ui, |ui| entry_unless_hidden(ui, atlas, set, &round, hidden_now, rt, actions));
                ui.separator();
                room_results(
                    ui,
                    set,
                    rt,
                    tallied.as_ref(),
                    live,
                    &cloud_of(title.as_deref(), live_words.as_ref(), rt, hidden_now),
                    actions,
                );
            });
        }
    }
}

/// Presenting while the room answers: the room's card beside the results (or the question it is on, or the word
/// cloud), on one screen.
#[allow(clippy::too_many_arguments)]
fn presenting_live(
    ui: &mut egui::Ui,
    set: &AnswerSet,
    rt: &WorkshopRuntime,
    live: &atlas_session::Live,
    tallied: Option<&(atlas_analysis::rounds::RoundResults, usize, bool)>,
    cloud: &words::Words<'_>,
    layout: Layout,
    actions: &mut Vec<Command>,
) {
    let width = ui.available_width();
    egui::Panel::left("workshop_live_card").resizable(false).exact_size((width * 0.3).max(em(ui) * 14.0)).show(
        ui,
        |ui| {
            egui::ScrollArea::vertical()
                .id_salt("workshop_live_card_scroll")
                .show(ui, |ui| live::card(ui, live, actions))
        },
    );
    egui::CentralPanel::default().show(ui, |ui| {
        if layout == Layout::Words {
            words::panel(ui, cloud, actions);
        } else {
            egui::ScrollArea::vertical()
                .id_salt("workshop_results_scroll")
                .show(ui, |ui| room_results(ui, set, rt, tallied, Some(live), cloud, actions));
        }
    });
}

/// The results, or while the room is paced, the question it is on with its live answers.
fn room_results(
    ui: &mut egui::Ui,
    set: &AnswerSet,
    rt: &WorkshopRuntime,
    tallied: Option<&(atlas_analysis::rounds::RoundResults, usize, bool)>,
    live: Option<&atlas_session::Live>,
    cloud: &words::Words<'_>,
    actions: &mut Vec<Command>,
) {
    if let Some(live) = live
        && let Some(step) = live.round.step()
        && let Some((tally, _, _)) = tallied
    {
        pace::question(ui, live, step, tally, cloud, actions);
        return;
    }
    results(ui, set, rt, tallied);
}

/// What the word cloud is drawn from: the live room's words when it answers now, else the round's kept lines.
fn cloud_of<'a>(
    title: Option<&'a str>,
    live_words: Option<&'a (usize, Vec<(String, usize)>)>,
    rt: &'a WorkshopRuntime,
    hidden: bool,
) -> words::Words<'a> {
    words::Words {
        title: title.unwrap_or("the round"),
        lines: live_words.map_or(rt.cache.shown_lines, |(n, _)| *n),
        words: live_words.map_or(rt.cache.words.as_slice(), |(_, w)| w.as_slice()),
        hidden,
    }
}

/// The entry table, or while the room's results are hidden, a note and the button that shows it on purpose.
fn entry_unless_hidden(
    ui: &mut egui::Ui,
    atlas: &Atlas,
    set: &AnswerSet,
    round: &str,
    hidden: bool,
    rt: &mut WorkshopRuntime,
    actions: &mut Vec<Command>,
) {
    if hidden && rt.entry_while_hidden.as_deref() != Some(round) {
        ui.label(
            RichText::new(
                "The entry table is hidden while the results are: it lists each phone's name and scores, and the \
                 room may be watching this screen.",
            )
            .italics(),
        );
        if ui.button("Show the entry table (to type answers from paper)").clicked() {
            rt.entry_while_hidden = Some(round.to_owned());
        }
        return;
    }
    if hidden && ui.button("Hide the entry table").clicked() {
        rt.entry_while_hidden = None;
    }
    entry(ui, atlas, set, round, rt, actions);
}

/// Keeps the rows in entry order: participants already answering, then any the answers bring that are not listed.
fn sync_rows(rt: &mut WorkshopRuntime, set: &AnswerSet, round: Option<&str>) {
    let people: Vec<String> = rt
        .cache
        .results
        .as_ref()
        .map(|r| r.participants.iter().map(|p| set.respondents[*p].id.clone()).collect())
        .unwrap_or_default();
    if rt.order_for.as_deref() != round {
        rt.order = people;
        rt.order_for = round.map(str::to_owned);
        rt.drafts.clear();
        rt.name_drafts.clear();
        rt.selected = None;
        rt.confirm_remove = None;
        rt.confirm_delete_round = false;
        rt.problem = None;
        return;
    }
    for p in people {
        if !rt.order.contains(&p) {
            rt.order.push(p);
        }
    }
}

fn toolbar(ui: &mut egui::Ui, state: &mut WorkshopState, rt: &mut WorkshopRuntime) {
    ui.horizontal_wrapped(|ui| {
        ui.heading("Workshop")
            .on_hover_text("A live self-assessment round: the room's scores and gaps, charted as entered");
        ui.separator();
        let current = state
            .round
            .as_ref()
            .and_then(|u| rt.cache.rounds.iter().find(|(uuid, _)| uuid == u))
            .map(|(_, label)| label.clone())
            .unwrap_or_else(|| "New round".to_owned());
        let label = ui.label("Round:");
        let combo = egui::ComboBox::from_id_salt("workshop_round").selected_text(current).show_ui(ui, |ui| {
            for (uuid, label) in &rt.cache.rounds {
                let on = state.round.as_deref() == Some(uuid.as_str());
                if ui.selectable_label(on, label).clicked() {
                    state.round = Some(uuid.clone());
                }
            }
            if ui.selectable_label(state.round.is_none(), "New round…").clicked() {
                state.round = None;
            }
        });
        combo.response.labelled_by(label.id);
        if state.round.is_some() {
            if ui.button("New round…").on_hover_text("Start another round").clicked() {
                state.round = None;
            }
            let details = ui
                .selectable_label(rt.details, "Round details")
                .on_hover_text("Rename the round, change its date, or delete it");
            if details.clicked() {
                rt.details = !rt.details;
            }
            ui.separator();
            for layout in Layout::ALL {
                if ui.selectable_label(state.layout == layout, layout.label()).clicked() {
                    state.layout = layout;
                }
            }
        }
    });
}

fn today() -> String {
    jiff::Zoned::now().date().to_string()
}

/// A typed date: empty is none, else YYYY-MM-DD.
fn parse_round_date(text: &str) -> Result<Option<String>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match parse_date(t) {
        Some(d) if t.contains('-') => Ok(Some(d)),
        _ => Err(format!("“{t}” is not a date: write it as YYYY-MM-DD")),
    }
}

fn new_round_form(ui: &mut egui::Ui, rt: &mut WorkshopRuntime, actions: &mut Vec<Command>) {
    let first_showing = !rt.date_filled;
    if !rt.date_filled {
        rt.new_date = today();
        rt.date_filled = true;
    }
    ui.add_space(em(ui));
    ui.label(RichText::new("Open a round").size(em(ui) * 1.3).strong());
    ui.label(
        "Give the round a title and a date, then add the participants as they speak: a score 0–4 for each of the 12 \
         checklist objectives, and the coordination gaps they face with each level of government. Every answer is \
         saved at once, and the charts follow.",
    );
    ui.add_space(em(ui) * 0.5);
    let mut submit = false;
    egui::Grid::new("workshop_new_round").num_columns(2).spacing([em(ui) * 0.6, em(ui) * 0.4]).show(ui, |ui| {
        let l = ui.label("Round title:");
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut rt.new_title).desired_width(em(ui) * 18.0).hint_text("Vienna workshop"),
            )
            .labelled_by(l.id);
        // The title takes the keyboard when the form appears, so the first keys typed are not lost.
        if first_showing && !ui.ctx().egui_wants_keyboard_input() {
            r.request_focus();
        }
        if r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
            submit = true;
        }
        ui.end_row();
        let l = ui.label("Round date:");
        let r = ui
            .add(egui::TextEdit::singleline(&mut rt.new_date).desired_width(em(ui) * 8.0).hint_text("YYYY-MM-DD"))
            .labelled_by(l.id);
        if r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
            submit = true;
        }
        ui.end_row();
    });
    let date = parse_round_date(&rt.new_date);
    if let Err(e) = &date {
        ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
    }
    let ready = !rt.new_title.trim().is_empty() && date.is_ok();
    if ui.add_enabled(ready, egui::Button::new("Open round")).clicked() {
        submit = true;
    }
    if submit && ready {
        let held_on = date.ok().flatten();
        actions.push(Command::Rounds(RoundCmd::Create { title: rt.new_title.trim().to_owned(), held_on }));
    }
    if !rt.cache.rounds.is_empty() {
        ui.add_space(em(ui));
        ui.label(RichText::new("Or continue an earlier round with “Round:” above.").weak());
    }
}

fn round_bar(ui: &mut egui::Ui, set: &AnswerSet, round: &str, rt: &mut WorkshopRuntime, actions: &mut Vec<Command>) {
    let Some(info) = set.rounds.iter().find(|r| r.uuid == round) else { return };
    if rt.edit_for.as_deref() != Some(round) {
        rt.edit_for = Some(round.to_owned());
        rt.edit_title = info.title.clone();
        rt.edit_date = info.held_on.clone().unwrap_or_default();
    }
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Round title:");
        ui.add(egui::TextEdit::singleline(&mut rt.edit_title).desired_width(em(ui) * 14.0)).labelled_by(l.id);
        let l = ui.label("Round date:");
        ui.add(egui::TextEdit::singleline(&mut rt.edit_date).desired_width(em(ui) * 7.0).hint_text("YYYY-MM-DD"))
            .labelled_by(l.id);
        let date = parse_round_date(&rt.edit_date);
        let title = rt.edit_title.trim().to_owned();
        let changed = title != info.title || date.as_ref().ok() != Some(&info.held_on);
        if changed {
            let ok = !title.is_empty() && date.is_ok();
            if ui.add_enabled(ok, egui::Button::new("Save title and date")).clicked()
                && let Ok(held_on) = date.clone()
            {
                actions.push(Command::Rounds(RoundCmd::Update { uuid: round.to_owned(), title, held_on }));
            }
            if let Err(e) = &date {
                ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
            }
        }
        ui.separator();
        if !rt.confirm_delete_round {
            if ui.button("Delete round…").clicked() {
                rt.confirm_delete_round = true;
            }
        } else {
            let n = rt.cache.results.as_ref().map_or(0, |r| r.respondents);
            ui.label(
                RichText::new(format!(
                    "Delete “{}” and the answers of its {}?",
                    info.title,
                    crate::widgets::plural(n, "participant", "participants")
                ))
                .color(ui.visuals().error_fg_color),
            );
            if ui.button("Yes, delete this round").clicked() {
                rt.confirm_delete_round = false;
                actions.push(Command::Rounds(RoundCmd::Delete(round.to_owned())));
            }
            if ui.button("Keep the round").clicked() {
                rt.confirm_delete_round = false;
            }
        }
    });
}

/// The Workshop view.
pub struct Workshop;

impl super::AtlasView for Workshop {
    fn id(&self) -> View {
        View::Workshop
    }

    fn purpose(&self) -> &'static str {
        "Live self-assessment rounds for facilitators: enter each city's or participant's scores per checklist \
         objective and the gaps they face with each level of government; the charts follow each answer, beside \
         the case-study evidence."
    }

    fn ui(&self, ui: &mut egui::Ui, cx: &mut super::ViewCx<'_>) {
        let s = cx.session;
        // The cache keys on the session too, so a round of another database never matches.
        show(ui, s, &mut cx.state.workshop, cx.rt.view::<WorkshopRuntime>(View::Workshop), cx.commands);
    }

    fn slide_text(
        &self,
        session: &ReadModel,
        state: &UiState,
        _hits: Option<&crate::views::SearchIds>,
    ) -> (Vec<String>, Vec<atlas_core::dataset::Source>) {
        let set = &session.answers;
        let round = state.workshop.round.as_deref().and_then(|u| set.rounds.iter().position(|r| r.uuid == u));
        let mut lines = Vec::new();
        match round {
            Some(i) => {
                let n = set.respondents.iter().filter(|r| r.round == i).count();
                lines.push(format!("Workshop round: {} ({n} participants)", set.rounds[i].title));
            }
            None => lines.push("Workshop round: the latest live round".to_owned()),
        }
        lines.push(
            "Source: answers entered live in the workshop (not published OECD data), beside the evidence base's \
             84 challenges."
                .to_owned(),
        );
        (lines, Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::cache::clip;
    use super::*;

    #[test]
    fn scores_are_whole_numbers_from_0_to_4() {
        assert_eq!(parse_score(" 3 "), Ok(Some(3.0)));
        assert_eq!(parse_score("0"), Ok(Some(0.0)));
        assert_eq!(parse_score(""), Ok(None));
        for bad in ["5", "12", "-1", "2.5", "x", "three"] {
            let e = parse_score(bad).expect_err(bad);
            assert!(e.contains("is not a score"), "{e}");
        }
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(parse_round_date("2026-11-23"), Ok(Some("2026-11-23".to_owned())));
        assert_eq!(parse_round_date(" "), Ok(None));
        assert!(parse_round_date("23/11/2026").is_err());
        assert!(parse_round_date("45000").is_err(), "a bare number is not a date here");
    }

    #[test]
    fn long_labels_are_clipped() {
        assert_eq!(clip("Access to adequate housing", 10), "Access to…");
        assert_eq!(clip("Time", 10), "Time");
    }
}
