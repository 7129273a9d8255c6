//! The Workshop's entry: the participant field (type-ahead for cities), the grid of scores per objective, and the
//! selected participant's gap ticks. Keys: Tab moves to the next field; Enter in the participant field adds the row
//! and jumps to its first score; Enter in a score jumps to the same objective of the next participant.

use eframe::egui::{self, Key, RichText};

use super::cache::{WorkshopRuntime, add_id, em, name_id, parse_score, score_id};
use crate::answers::format::{ROUND_LEVELS, gap_code, score_code};
use crate::dataset::GAP_TYPES;
use crate::model::{AnswerSet, Atlas};
use crate::session::RoundAnswer;
use crate::ui::command::{Command, RoundCmd};

/// What one frame of the grid asks for after it is drawn.
#[derive(Default)]
struct After {
    focus_to: Option<egui::Id>,
    remove_now: Option<String>,
}

/// The participant field, the answer grid, and the selected participant's gap ticks.
pub(super) fn entry(
    ui: &mut egui::Ui,
    atlas: &Atlas,
    set: &AnswerSet,
    round: &str,
    rt: &mut WorkshopRuntime,
    actions: &mut Vec<Command>,
) {
    let e = em(ui);
    if let Some(id) = rt.focus_next.take() {
        ui.memory_mut(|m| m.request_focus(id));
    }
    let focused_now = ui.memory(|m| m.focused());
    let newly_focused = if focused_now != rt.focused { focused_now } else { None };
    rt.focused = focused_now;
    add_field(ui, rt, round, e);
    ui.label(
        RichText::new(
            "Scores: 0 = not at all … 4 = fully. Tab moves to the next field; Enter goes to the next participant.",
        )
        .weak(),
    );
    ui.add_space(e * 0.3);
    if rt.order.is_empty() {
        ui.label(RichText::new("No participants yet: type a city or a name above and press Enter.").italics());
        return;
    }
    let objectives: Vec<(i64, String)> = atlas.objectives.iter().map(|o| (o.number, o.short_title.clone())).collect();
    let mut after = After::default();
    let order = rt.order.clone();
    let grid =
        egui::Grid::new(("workshop_grid", round)).striped(true).spacing([e * 0.3, e * 0.3]).min_col_width(e * 1.4);
    grid.show(ui, |ui| {
        ui.label(RichText::new("#").strong());
        ui.label(RichText::new("City or participant").strong());
        ui.label(RichText::new("Gaps").strong());
        for (n, title) in &objectives {
            ui.label(RichText::new(n.to_string()).strong()).on_hover_text(format!("Objective {n}: {title}"));
        }
        ui.label("");
        ui.end_row();
        for (row, name) in order.iter().enumerate() {
            let cx = RowCx { set, round, order: &order, objectives: &objectives, newly_focused, e };
            participant_row(ui, &cx, row, name, rt, actions, &mut after);
            ui.end_row();
        }
    });
    if let Some(name) = after.remove_now {
        rt.removed(&name);
    }
    if let Some(id) = after.focus_to {
        rt.focus_next = Some(id);
        ui.ctx().request_repaint();
    }
    if rt.drafts.is_empty() && rt.problem.as_deref().is_some_and(|p| p.ends_with("Not saved.")) {
        rt.problem = None;
    }
    gap_ticks(ui, set, round, rt, actions, e);
}

/// Add a participant: a city (type-ahead) or a name.
fn add_field(ui: &mut egui::Ui, rt: &mut WorkshopRuntime, round: &str, e: f32) {
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Add participant (city or name):");
        let enter = ui.input(|i| i.key_pressed(Key::Enter)) && ui.memory(|m| m.has_focus(add_id()));
        let suggestions = rt.cache.suggest(&rt.adding);
        let out = egui::CompletionPopup::new(add_id()).word_boundary(|_| false).max_height(e * 12.0).show(
            ui,
            egui::TextEdit::singleline(&mut rt.adding).desired_width(e * 14.0).hint_text("Vienna, or a name"),
            |_query| suggestions.into_iter().map(egui::Suggestion::new).collect(),
        );
        let response = out.text_edit.response.response.clone();
        let _ = response.clone().labelled_by(l.id);
        let submitted =
            (out.accepted.is_some() && enter) || (response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)));
        let add = ui.button("Add").on_hover_text("Or press Enter");
        if (submitted || add.clicked()) && !rt.adding.trim().is_empty() {
            add_participant(ui, rt, round);
        }
    });
}

/// What every row of the grid shares.
struct RowCx<'a> {
    set: &'a AnswerSet,
    round: &'a str,
    order: &'a [String],
    objectives: &'a [(i64, String)],
    newly_focused: Option<egui::Id>,
    e: f32,
}

/// One participant: number, name (renamed when left), gaps button, a score per objective, remove.
fn participant_row(
    ui: &mut egui::Ui,
    cx: &RowCx<'_>,
    row: usize,
    name: &String,
    rt: &mut WorkshopRuntime,
    actions: &mut Vec<Command>,
    after: &mut After,
) {
    let (round, e) = (cx.round, cx.e);
    let respondent = rt.cache.people.get(name).copied();
    ui.label(format!("{}", row + 1));
    // The name: renamed when the field is left.
    let nid = name_id(round, name);
    let mut text = rt.name_drafts.get(name).cloned().unwrap_or_else(|| name.clone());
    let r = ui.add(egui::TextEdit::singleline(&mut text).id(nid).desired_width(e * 7.5));
    let label = format!("Name of {name}");
    r.widget_info(|| {
        let mut info = egui::WidgetInfo::new(egui::Role::TextInput);
        info.label = Some(label.clone());
        info.current_text_value = Some(text.clone());
        info
    });
    if r.changed() {
        rt.name_drafts.insert(name.clone(), text.clone());
    }
    if r.has_focus() {
        rt.selected = Some(name.clone());
    }
    if r.lost_focus() {
        if let Some(typed) = rt.name_drafts.remove(name) {
            rename(rt, round, name, respondent.is_some(), &typed, actions);
        }
        if ui.input(|i| i.key_pressed(Key::Enter)) {
            after.focus_to = Some(score_id(round, &rt.canonical(&text), 0));
        }
    }
    let ticks = rt.cache.ticks.get(name).copied().unwrap_or(0);
    let selected = rt.selected.as_deref() == Some(name.as_str());
    let g = ui.selectable_label(selected, format!("{ticks} ticked"));
    let label = format!("Gaps of {name}");
    g.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &label));
    if g.clicked() {
        rt.selected = Some(name.clone());
    }
    for k in 0..cx.objectives.len() {
        score_cell(ui, cx, row, name, k, respondent, rt, actions, after);
    }
    remove_cell(ui, round, name, respondent.is_some(), rt, actions, after);
}

/// One score field: selected whole when reached, written when it holds a score, shown in red when not.
#[allow(clippy::too_many_arguments)]
fn score_cell(
    ui: &mut egui::Ui,
    cx: &RowCx<'_>,
    row: usize,
    name: &String,
    k: usize,
    respondent: Option<usize>,
    rt: &mut WorkshopRuntime,
    actions: &mut Vec<Command>,
    after: &mut After,
) {
    let (round, number) = (cx.round, cx.objectives[k].0);
    let id = score_id(round, name, k);
    let question = rt.cache.questions.scores.get(k).copied().flatten();
    let stored = respondent.zip(question).and_then(|(r, q)| cx.set.answer(r, q)).and_then(|a| a.value_num);
    let draft = rt.drafts.get(&(name.clone(), k)).cloned();
    let mut text = draft.clone().unwrap_or_else(|| stored.map(|v| format!("{v}")).unwrap_or_default());
    if cx.newly_focused == Some(id) {
        // A score field selects its content when reached, so typing replaces it.
        let mut st = egui::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
        st.cursor.set_char_range(Some(egui::text::CCursorRange::select_all_str(&text)));
        st.store(ui.ctx(), id);
    }
    let mut edit =
        egui::TextEdit::singleline(&mut text).id(id).desired_width(cx.e * 1.6).align(egui::Align2::CENTER_CENTER);
    if draft.is_some() {
        edit = edit.text_color(ui.visuals().error_fg_color);
    }
    let r = ui.add(edit);
    let label = format!("Score for objective {number} of {name}");
    r.widget_info(|| {
        let mut info = egui::WidgetInfo::new(egui::Role::TextInput);
        info.label = Some(label.clone());
        info.current_text_value = Some(text.clone());
        info
    });
    if r.has_focus() {
        rt.selected = Some(name.clone());
    }
    if r.changed() {
        match parse_score(&text) {
            Ok(value) => {
                rt.drafts.remove(&(name.clone(), k));
                rt.problem = None;
                if value != stored {
                    actions.push(Command::Rounds(RoundCmd::SetAnswer(RoundAnswer {
                        round: round.to_owned(),
                        respondent: name.clone(),
                        city: rt.city(name),
                        country: rt.country(name),
                        question: score_code(number),
                        value,
                    })));
                }
            }
            Err(message) => {
                rt.problem = Some(format!("{name}, objective {number}: {message}. Not saved."));
                rt.drafts.insert((name.clone(), k), text.clone());
            }
        }
    }
    if r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
        after.focus_to = Some(match cx.order.get(row + 1) {
            Some(next) => score_id(round, next, k),
            None => add_id(),
        });
    }
}

/// "Remove…", then "Remove" / "Keep".
fn remove_cell(
    ui: &mut egui::Ui,
    round: &str,
    name: &String,
    written: bool,
    rt: &mut WorkshopRuntime,
    actions: &mut Vec<Command>,
    after: &mut After,
) {
    if rt.confirm_remove.as_deref() == Some(name.as_str()) {
        ui.horizontal(|ui| {
            let yes = ui.button("Remove");
            yes.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Yes, remove {name}")));
            if yes.clicked() {
                rt.confirm_remove = None;
                if written {
                    actions.push(Command::Rounds(RoundCmd::RemoveParticipant {
                        round: round.to_owned(),
                        respondent: name.clone(),
                    }));
                } else {
                    after.remove_now = Some(name.clone());
                }
            }
            let keep = ui.button("Keep");
            keep.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Keep {name}")));
            if keep.clicked() {
                rt.confirm_remove = None;
            }
        });
    } else {
        let remove = ui.small_button("Remove…");
        remove.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Remove {name}")));
        if remove.clicked() {
            rt.confirm_remove = Some(name.clone());
        }
    }
}

/// The selected participant's gaps (the latest row until one is chosen), ticked by level of government.
fn gap_ticks(
    ui: &mut egui::Ui,
    set: &AnswerSet,
    round: &str,
    rt: &mut WorkshopRuntime,
    actions: &mut Vec<Command>,
    e: f32,
) {
    if rt.selected.as_ref().is_none_or(|n| !rt.order.contains(n)) {
        rt.selected = rt.order.last().cloned();
    }
    let Some(name) = rt.selected.clone() else {
        ui.add_space(e * 0.5);
        ui.label(
            RichText::new("Click “… ticked” on a row (or enter its scores) to tick that participant's gaps.").weak(),
        );
        return;
    };
    ui.add_space(e * 0.6);
    ui.label(RichText::new(format!("Coordination gaps {name} faces, by level of government")).strong());
    let respondent = rt.cache.people.get(&name).copied();
    let (city, country) = (rt.city(&name), rt.country(&name));
    egui::Grid::new(("workshop_gaps", round, &name)).striped(true).spacing([e * 0.6, e * 0.25]).show(ui, |ui| {
        ui.label("");
        for level in ROUND_LEVELS {
            ui.label(RichText::new(level).strong());
        }
        ui.end_row();
        for (g, gap) in GAP_TYPES.iter().enumerate() {
            ui.label(*gap);
            for (l, level) in ROUND_LEVELS.iter().enumerate() {
                let question = rt.cache.questions.gaps.get(g).and_then(|v| v.get(l)).copied().flatten();
                let stored = respondent.zip(question).and_then(|(r, q)| set.answer(r, q)).and_then(|a| a.value_num);
                let mut on = stored.is_some_and(|v| v >= 0.5);
                let r = ui.checkbox(&mut on, "");
                let label = format!("Gap {gap} with {level} of {name}");
                r.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, on, &label));
                if r.changed() {
                    actions.push(Command::Rounds(RoundCmd::SetAnswer(RoundAnswer {
                        round: round.to_owned(),
                        respondent: name.clone(),
                        city: city.clone(),
                        country: country.clone(),
                        question: gap_code(gap, level),
                        value: on.then_some(1.0),
                    })));
                }
            }
            ui.end_row();
        }
    });
}

/// Adds the typed participant as a row (not written until their first answer) and moves to their first score.
fn add_participant(ui: &egui::Ui, rt: &mut WorkshopRuntime, round: &str) {
    let name = rt.canonical(&rt.adding);
    rt.adding.clear();
    if let Some(row) = rt.row_of(&name) {
        let existing = rt.order[row].clone();
        rt.problem = Some(format!("{existing} is already in this round (row {}).", row + 1));
        rt.focus_next = Some(score_id(round, &existing, 0));
        ui.ctx().request_repaint();
        rt.selected = Some(existing);
        return;
    }
    rt.problem = None;
    rt.order.push(name.clone());
    rt.focus_next = Some(score_id(round, &name, 0));
    ui.ctx().request_repaint();
    rt.selected = Some(name);
}

fn rename(rt: &mut WorkshopRuntime, round: &str, from: &str, written: bool, typed: &str, actions: &mut Vec<Command>) {
    let to = rt.canonical(typed);
    if to.is_empty() || to == from {
        return;
    }
    if rt.row_of(&to).is_some_and(|row| rt.order[row] != from) {
        rt.problem = Some(format!("{to} is already in this round; the name stays {from}."));
        return;
    }
    if written {
        let (city, country) = (rt.city(&to), rt.country(&to));
        actions.push(Command::Rounds(RoundCmd::Rename {
            round: round.to_owned(),
            from: from.to_owned(),
            to,
            city,
            country,
        }));
    } else {
        rt.renamed(from, &to);
    }
}
