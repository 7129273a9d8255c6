//! The Workshop's entry: the participant field (type-ahead for cities), the grid of scores per objective, and the
//! selected participant's gap ticks. Keys: Tab moves to the next field; Enter in the participant field adds the row
//! and jumps to its first score; Enter in a score jumps to the same objective of the next participant.

use eframe::egui::{self, Key, RichText};

use super::cache::{WorkshopRuntime, add_id, em, name_id, parse_score, score_id};
use crate::command::{Command, RoundCmd};
use atlas_core::answer_format::{ROUND_LEVELS, gap_code, score_code};
use atlas_core::dataset::GAP_TYPES;
use atlas_core::model::{AnswerSet, Atlas};
use atlas_session::RoundAnswer;

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
    // Keys typed in the same frame after a key that moved the keyboard: they belong where it went.
    if !rt.carry.is_empty() {
        let carry = std::mem::take(&mut rt.carry);
        ui.input_mut(|i| {
            i.events.splice(0..0, carry);
        });
        ui.ctx().request_repaint();
    }
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
    score_keys(ui, set, round, &order, &objectives, rt, actions);
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
        let focused = ui.memory(|m| m.focused());
        for (row, name) in order.iter().enumerate() {
            // A row out of sight (a room of hundreds of phones) is an empty row of the same height, unless the
            // keyboard is in it: drawing 300 rows of 14 fields each frame would cost the window its frame rate.
            let pitch = rt.row_pitch.max(e);
            let ahead = egui::Rect::from_min_size(ui.cursor().min, egui::vec2(ui.available_width().max(1.0), pitch));
            let in_row = |id: egui::Id| {
                id == name_id(round, name) || (0..objectives.len()).any(|k| id == score_id(round, name, k))
            };
            if !ui.is_rect_visible(ahead.expand(pitch)) && !focused.is_some_and(in_row) {
                ui.label(format!("{}", row + 1));
                ui.allocate_space(egui::vec2(1.0, pitch));
                ui.end_row();
                continue;
            }
            let top = ui.cursor().min.y;
            let cx = RowCx { set, round, objectives: &objectives, e };
            participant_row(ui, &cx, row, name, rt, actions, &mut after);
            ui.end_row();
            let height = ui.min_rect().bottom() - top;
            if height > 0.0 {
                rt.row_pitch = height;
            }
        }
    });
    let people = rt.cache.people.clone();
    remove_prompt(ui, round, |n| people.contains_key(n), rt, actions, &mut after);
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
    // Keys typed after the Enter that adds the participant (fast typists) go to that participant's first score.
    if ui.memory(|m| m.has_focus(add_id())) {
        ui.input_mut(|i| {
            let enter = i.events.iter().position(|ev| is_key(ev, Key::Enter));
            if let Some(at) = enter {
                let later: Vec<egui::Event> = i.events.drain(at + 1..).collect();
                let (keys, other): (Vec<_>, Vec<_>) = later.into_iter().partition(is_keyboard);
                i.events.extend(other);
                rt.carry = keys;
            }
        });
    }
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
    objectives: &'a [(i64, String)],
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
        score_cell(ui, cx, name, k, rt);
    }
    remove_cell(ui, name, rt);
}

/// The stored score of a participant for objective position `k`, or the one just written and not yet read back.
fn score_of(set: &AnswerSet, rt: &mut WorkshopRuntime, name: &str, k: usize) -> Option<f64> {
    let respondent = rt.cache.people.get(name).copied();
    let question = rt.cache.questions.scores.get(k).copied().flatten();
    let stored = respondent.zip(question).and_then(|(r, q)| set.answer(r, q)).and_then(|a| a.value_num);
    let key = (name.to_owned(), k);
    match rt.pending.get(&key) {
        Some(written) if *written == stored => {
            rt.pending.remove(&key);
            stored
        }
        Some(written) => *written,
        None => stored,
    }
}

/// One score field. It shows the score (or the text typed that is not one, in red); typing into it is handled by
/// [`score_keys`], which keeps every key in the field that had the keyboard when it was typed.
fn score_cell(ui: &mut egui::Ui, cx: &RowCx<'_>, name: &String, k: usize, rt: &mut WorkshopRuntime) {
    let (round, number) = (cx.round, cx.objectives[k].0);
    let id = score_id(round, name, k);
    let draft = rt.drafts.get(&(name.clone(), k)).cloned();
    let shown = score_of(cx.set, rt, name, k);
    let mut text = draft.clone().unwrap_or_else(|| shown.map(|v| format!("{v}")).unwrap_or_default());
    let filter = egui::EventFilter { tab: true, horizontal_arrows: true, vertical_arrows: true, escape: false };
    let mut edit = egui::TextEdit::singleline(&mut text)
        .id(id)
        .desired_width(cx.e * 1.6)
        .align(egui::Align2::CENTER_CENTER)
        .event_filter(filter);
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
}

fn is_key(ev: &egui::Event, key: Key) -> bool {
    matches!(ev, egui::Event::Key { key: k, pressed: true, .. } if *k == key)
}

fn is_keyboard(ev: &egui::Event) -> bool {
    matches!(ev, egui::Event::Text(_) | egui::Event::Key { .. } | egui::Event::Paste(_))
}

/// Where the keyboard is in the grid: (row, objective position), or `None` for the participant field.
type Cell = Option<(usize, usize)>;

/// Every key typed while a score has the keyboard, in the order typed: a digit 0–4 sets that score (anything else
/// is shown in red and not saved), Backspace/Delete clear it, Tab and Shift+Tab move along the row (after the last
/// objective to the next participant's first, and after the last participant to the participant field), Enter to
/// the same objective of the next participant, arrows move. The grid moves the keyboard itself, key by key, so
/// several keys arriving in one frame land where they were meant (egui would give them all to one field).
fn score_keys(
    ui: &mut egui::Ui,
    set: &AnswerSet,
    round: &str,
    order: &[String],
    objectives: &[(i64, String)],
    rt: &mut WorkshopRuntime,
    actions: &mut Vec<Command>,
) {
    let n = objectives.len();
    let Some(focused) = ui.memory(|m| m.focused()) else { return };
    let found = (0..order.len())
        .flat_map(|r| (0..n).map(move |k| (r, k)))
        .find(|(r, k)| score_id(round, &order[*r], *k) == focused);
    let Some(start) = found else { return };
    let typed: Vec<egui::Event> = ui.input_mut(|i| {
        let (keys, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut i.events).into_iter().partition(is_keyboard);
        i.events = rest;
        keys
    });
    if typed.is_empty() {
        return;
    }
    // The grid moves the keyboard; egui must not move it again for the same Tab.
    ui.memory_mut(|m| m.move_focus(egui::FocusDirection::None));
    let mut at: Cell = Some(start);
    for ev in typed {
        let Some((row, k)) = at else {
            // The keyboard went to the participant field: the rest of the keys are typed there.
            rt.carry.push(ev);
            continue;
        };
        match ev {
            egui::Event::Text(text) => {
                for ch in text.chars() {
                    type_score(set, round, &order[row], k, objectives[k].0, ch, rt, actions);
                }
            }
            egui::Event::Key { key, pressed: true, modifiers, .. } => {
                at = match key {
                    Key::Tab if modifiers.shift => match (row, k) {
                        (0, 0) => Some((0, 0)),
                        (r, 0) => Some((r - 1, n - 1)),
                        (r, k) => Some((r, k - 1)),
                    },
                    Key::Tab if k + 1 < n => Some((row, k + 1)),
                    Key::Tab => (row + 1 < order.len()).then_some((row + 1, 0)),
                    Key::Enter | Key::ArrowDown if row + 1 < order.len() => Some((row + 1, k)),
                    Key::Enter => None,
                    Key::ArrowUp => Some((row.saturating_sub(1), k)),
                    Key::ArrowLeft => Some((row, k.saturating_sub(1))),
                    Key::ArrowRight => Some((row, (k + 1).min(n - 1))),
                    Key::Backspace | Key::Delete => {
                        clear_score(set, round, &order[row], k, objectives[k].0, rt, actions);
                        Some((row, k))
                    }
                    _ => Some((row, k)),
                };
            }
            _ => {}
        }
    }
    let id = match at {
        Some((row, k)) => score_id(round, &order[row], k),
        None => add_id(),
    };
    ui.memory_mut(|m| m.request_focus(id));
    ui.ctx().request_repaint();
}

/// One typed character into a score.
#[allow(clippy::too_many_arguments)]
fn type_score(
    set: &AnswerSet,
    round: &str,
    name: &str,
    k: usize,
    number: i64,
    ch: char,
    rt: &mut WorkshopRuntime,
    actions: &mut Vec<Command>,
) {
    if ch.is_control() {
        return;
    }
    match parse_score(&ch.to_string()) {
        Ok(value) => {
            rt.drafts.remove(&(name.to_owned(), k));
            rt.problem = None;
            write_score(set, round, name, k, number, value, rt, actions);
        }
        Err(message) => {
            rt.problem = Some(format!("{name}, objective {number}: {message}. Not saved."));
            rt.drafts.insert((name.to_owned(), k), ch.to_string());
        }
    }
}

fn clear_score(
    set: &AnswerSet,
    round: &str,
    name: &str,
    k: usize,
    number: i64,
    rt: &mut WorkshopRuntime,
    actions: &mut Vec<Command>,
) {
    rt.drafts.remove(&(name.to_owned(), k));
    write_score(set, round, name, k, number, None, rt, actions);
}

/// Writes a score unless it is already the one stored (or just written).
#[allow(clippy::too_many_arguments)]
fn write_score(
    set: &AnswerSet,
    round: &str,
    name: &str,
    k: usize,
    number: i64,
    value: Option<f64>,
    rt: &mut WorkshopRuntime,
    actions: &mut Vec<Command>,
) {
    if score_of(set, rt, name, k) == value {
        return;
    }
    rt.pending.insert((name.to_owned(), k), value);
    actions.push(Command::Rounds(RoundCmd::SetAnswer(RoundAnswer {
        round: round.to_owned(),
        respondent: name.to_owned(),
        city: rt.city(name),
        country: rt.country(name),
        question: score_code(number),
        value,
    })));
}

/// "Remove…" on a row; the question is asked under the grid (see [`remove_prompt`]).
fn remove_cell(ui: &mut egui::Ui, name: &String, rt: &mut WorkshopRuntime) {
    let remove = ui.small_button("Remove…");
    remove.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Remove {name}")));
    if remove.clicked() {
        rt.confirm_remove = Some(name.clone());
    }
}

/// "Remove X and their answers from this round?" with Remove / Keep, under the grid where it has room.
fn remove_prompt(
    ui: &mut egui::Ui,
    round: &str,
    written: impl Fn(&str) -> bool,
    rt: &mut WorkshopRuntime,
    actions: &mut Vec<Command>,
    after: &mut After,
) {
    let Some(name) = rt.confirm_remove.clone() else { return };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("Remove {name} and their answers from this round?")).strong());
        let yes = ui.button("Remove");
        yes.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Yes, remove {name}")));
        if yes.clicked() {
            rt.confirm_remove = None;
            if written(&name) {
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
    let name = rt.resolve_typed(&rt.adding);
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
