//! The Notes view: every note and memo with filters (author, code, status, record kind, city, text), sortable; the
//! code tree (create, rename, move, merge, delete); exports, bundle import and conflicts to resolve.

pub use crate::state::{NoteSort, NotesState};
use eframe::egui::{self, RichText};

use crate::command::{Command, NoteCmd, Target};
use crate::state::{UiState, View};
use crate::widgets;
use crate::widgets::notes_panel::note_editor;
use atlas_core::model::Atlas;
use atlas_session::annotate::Workspace;
use atlas_session::annotate::export::describe_target;
use atlas_session::annotate::export::display_time;
use atlas_session::{Note, NoteStatus};

pub use crate::command::ExportKind;

/// Filtered and sorted note indices, recomputed only when the notes or the filters change.
#[derive(Default)]
pub struct NotesRuntime {
    key: Option<(u64, String)>,
    rows: Vec<usize>,
    /// The passage and codes chosen in the selected note's text.
    coded: crate::widgets::coded_text::CodedText,
}

fn filter_key(s: &NotesState) -> String {
    format!("{}|{}|{}|{}|{}|{}|{:?}|{}", s.author, s.code, s.status, s.kind, s.city, s.search, s.sort, s.descending)
}

fn matches(atlas: &Atlas, ws: &Workspace, s: &NotesState, n: &Note) -> bool {
    if n.deleted_at.is_some() {
        return false;
    }
    if !s.author.is_empty() && n.author != s.author {
        return false;
    }
    if !s.code.is_empty() && !n.codes.contains(&s.code) {
        return false;
    }
    if !s.status.is_empty() && n.status.as_str() != s.status {
        return false;
    }
    if !s.kind.is_empty() && n.target_kind.as_str() != s.kind {
        return false;
    }
    if !s.city.is_empty() {
        let (_, city, _) = describe_target(atlas, n);
        if city.as_deref() != atlas.city(&s.city).map(|c| c.name.as_str()) {
            return false;
        }
    }
    if !s.search.trim().is_empty() {
        let hay = atlas_core::text::fold(&format!("{} {}", n.text, n.author));
        if !atlas_core::text::terms(&s.search).iter().all(|t| hay.contains(t.as_str())) {
            return false;
        }
    }
    let _ = ws;
    true
}

fn combo(ui: &mut egui::Ui, label: &str, value: &mut String, options: &[(String, String)]) {
    let shown = options.iter().find(|(v, _)| v == value).map_or("any", |(_, t)| t.as_str()).to_owned();
    ui.label(format!("{}:", capitalise(label)));
    let r = egui::ComboBox::from_id_salt(("notes_filter", label)).selected_text(shown).show_ui(ui, |ui| {
        ui.selectable_value(value, String::new(), "any");
        for (v, t) in options {
            ui.selectable_value(value, v.clone(), t);
        }
    });
    let name = format!("Filter notes by {label}");
    r.response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &name));
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

pub fn show(
    ui: &mut egui::Ui,
    atlas: &Atlas,
    ws: &Workspace,
    state: &mut NotesState,
    runtime: &mut NotesRuntime,
    actions: &mut Vec<Command>,
) {
    egui::Panel::left("code_tree").resizable(true).default_size(260.0).show(ui, |ui| code_tree(ui, ws, state, actions));
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            ui.heading("Notes");
            if let Some(e) = &ws.write_error {
                ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
            }
            let mut authors: Vec<String> =
                ws.notes.iter().filter(|n| n.deleted_at.is_none()).map(|n| n.author.clone()).collect();
            authors.sort();
            authors.dedup();
            let authors: Vec<(String, String)> = authors.into_iter().map(|a| (a.clone(), a)).collect();
            let codes: Vec<(String, String)> =
                ws.live_codes().map(|c| (c.uuid.clone(), ws.code_path(&c.uuid))).collect();
            let statuses: Vec<(String, String)> =
                NoteStatus::ALL.iter().map(|s| (s.as_str().to_owned(), s.as_str().to_owned())).collect();
            let kinds: Vec<(String, String)> =
                ["challenge", "practice", "city", "objective", "region", "survey_figure", "source", "memo"]
                    .iter()
                    .map(|k| ((*k).to_owned(), (*k).replace('_', " ")))
                    .collect();
            let cities: Vec<(String, String)> = atlas.cities.iter().map(|c| (c.id.clone(), c.name.clone())).collect();
            ui.horizontal_wrapped(|ui| {
                combo(ui, "author", &mut state.author, &authors);
                combo(ui, "code", &mut state.code, &codes);
                combo(ui, "status", &mut state.status, &statuses);
                combo(ui, "record kind", &mut state.kind, &kinds);
                combo(ui, "city", &mut state.city, &cities);
                let label = ui.label("Text:");
                ui.add(egui::TextEdit::singleline(&mut state.search).desired_width(160.0)).labelled_by(label.id);
                if ui.button("Add memo").clicked() {
                    actions.push(Command::Notes(NoteCmd::Add { kind: atlas_session::TargetKind::Memo, id: None }));
                }
                let who = ws.author.as_deref().unwrap_or("not given yet");
                let change = ui.button("Change author…").on_hover_text(format!(
                    "Notes and coded passages you write from now on carry this name (now: {who})"
                ));
                if change.clicked() {
                    actions.push(Command::Notes(NoteCmd::ChangeAuthor));
                }
            });
            let key = (ws.version, filter_key(state));
            if runtime.key.as_ref() != Some(&key) {
                let mut rows: Vec<usize> =
                    (0..ws.notes.len()).filter(|i| matches(atlas, ws, state, &ws.notes[*i])).collect();
                let describe = |i: usize| describe_target(atlas, &ws.notes[i]).0;
                match state.sort {
                    NoteSort::Updated => rows.sort_by(|a, b| ws.notes[*a].updated_at.cmp(&ws.notes[*b].updated_at)),
                    NoteSort::Author => rows.sort_by(|a, b| ws.notes[*a].author.cmp(&ws.notes[*b].author)),
                    NoteSort::Status => {
                        rows.sort_by(|a, b| ws.notes[*a].status.as_str().cmp(ws.notes[*b].status.as_str()))
                    }
                    NoteSort::Record => rows.sort_by_key(|i| describe(*i)),
                }
                if state.descending {
                    rows.reverse();
                }
                runtime.rows = rows;
                runtime.key = Some(key);
            }
            let live = ws.notes.iter().filter(|n| n.deleted_at.is_none()).count();
            ui.label(RichText::new(format!("{} of {live} notes", runtime.rows.len())).strong());
            egui::Grid::new("notes_table").striped(true).num_columns(6).show(ui, |ui| {
                for (sort, name) in [
                    (Some(NoteSort::Updated), "Updated"),
                    (Some(NoteSort::Author), "Author"),
                    (Some(NoteSort::Status), "Status"),
                    (Some(NoteSort::Record), "Record"),
                    (None, "Codes"),
                    (None, "Text"),
                ] {
                    match sort {
                        Some(sort) => {
                            widgets::sort_header(ui, "notes", name, sort, &mut state.sort, &mut state.descending);
                        }
                        None => {
                            ui.label(RichText::new(name).strong());
                        }
                    }
                }
                ui.end_row();
                for i in runtime.rows.clone() {
                    let n = ws.notes[i].clone();
                    let selected = state.selected.as_deref() == Some(n.uuid.as_str());
                    let r = ui.selectable_label(selected, display_time(&n.updated_at));
                    let label =
                        format!("Note by {} on {}: {}", n.author, describe_target(atlas, &n).0, preview(&n.text, 40));
                    r.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &label));
                    if r.clicked() {
                        state.selected = if selected { None } else { Some(n.uuid.clone()) };
                    }
                    ui.label(&n.author);
                    ui.label(n.status.as_str());
                    let (target, _, _) = describe_target(atlas, &n);
                    if n.target_kind == atlas_session::TargetKind::Memo {
                        ui.label("Memo");
                    } else if ui.link(preview(&target, 48)).on_hover_text("Open the record").clicked() {
                        actions.push(Command::note_target(&n));
                    }
                    ui.label(n.codes.iter().map(|c| ws.code_path(c)).collect::<Vec<_>>().join(", "));
                    ui.label(preview(&n.text, 60));
                    ui.end_row();
                }
            });
            if let Some(uuid) = state.selected.clone() {
                ui.separator();
                note_editor(ui, ws, &uuid, "selected in the Notes view", actions);
                if let Some(note) = ws.notes.iter().find(|n| n.uuid == uuid && !n.text.trim().is_empty()) {
                    egui::CollapsingHeader::new("Code passages of this note").id_salt(("code_note", &uuid)).show(
                        ui,
                        |ui| {
                            let coded = &mut runtime.coded;
                            let label = "the selected note";
                            crate::widgets::coded_text::show(
                                ui,
                                ws,
                                coded,
                                atlas_session::TargetKind::Note,
                                &uuid,
                                &note.text,
                                label,
                                actions,
                            );
                        },
                    );
                }
            }
            exchange(ui, state, actions);
            conflicts(ui, ws, actions);
        });
    });
}

fn preview(text: &str, n: usize) -> String {
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() > n { format!("{}…", line.chars().take(n).collect::<String>()) } else { line.to_owned() }
}

fn code_tree(ui: &mut egui::Ui, ws: &Workspace, state: &mut NotesState, actions: &mut Vec<Command>) {
    ui.add_space(4.0);
    ui.label(RichText::new("Codes").size(17.0).strong());
    let mut codes: Vec<(String, String, usize)> = ws
        .live_codes()
        .map(|c| {
            let count = ws.notes.iter().filter(|n| n.deleted_at.is_none() && n.codes.contains(&c.uuid)).count();
            (c.uuid.clone(), ws.code_path(&c.uuid), count)
        })
        .collect();
    codes.sort_by(|a, b| a.1.cmp(&b.1));
    egui::ScrollArea::vertical().id_salt("codes_scroll").max_height(260.0).show(ui, |ui| {
        if codes.is_empty() {
            ui.label(RichText::new("No codes yet.").italics());
        }
        for (uuid, path, count) in &codes {
            let depth = path.matches(" > ").count();
            let name = path.rsplit(" > ").next().unwrap_or(path);
            ui.horizontal(|ui| {
                ui.add_space(14.0 * depth as f32);
                let on = state.code == *uuid;
                let r = ui.selectable_label(on, format!("{name} ({count})"));
                let label = format!("Code {path} ({count} notes)");
                r.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, on, &label));
                if r.clicked() {
                    state.code = if on { String::new() } else { uuid.clone() };
                    state.rename = if on { String::new() } else { name.to_owned() };
                }
            });
        }
    });
    ui.separator();
    let selected = codes.iter().find(|(u, _, _)| *u == state.code).cloned();
    let mut enter = false;
    ui.horizontal(|ui| {
        let label = ui.label("New code:");
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut state.new_code)
                    .desired_width(120.0)
                    .hint_text("name, or parent > child"),
            )
            .labelled_by(label.id);
        enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    });
    let under = selected.as_ref().map(|(_, p, _)| format!("Add under {p}")).unwrap_or_else(|| "Add code".to_owned());
    let add = ui.add_enabled(!state.new_code.trim().is_empty(), egui::Button::new(under)).clicked();
    if (add || enter) && !state.new_code.trim().is_empty() {
        actions.push(Command::Notes(NoteCmd::AddCode {
            name: state.new_code.clone(),
            parent: selected.as_ref().map(|(u, _, _)| u.clone()),
            on_note: None,
        }));
        state.new_code.clear();
    }
    let Some((uuid, path, _)) = selected else {
        widgets::hint(ui, "Select a code to rename, move, merge or delete it; its notes are then listed.");
        return;
    };
    ui.separator();
    ui.label(RichText::new(format!("Selected: {path}")).strong());
    ui.horizontal(|ui| {
        let label = ui.label("Rename to:");
        ui.add(egui::TextEdit::singleline(&mut state.rename).desired_width(110.0)).labelled_by(label.id);
        if ui.button("Rename").clicked() {
            actions.push(Command::Notes(NoteCmd::RenameCode { uuid: uuid.clone(), name: state.rename.clone() }));
        }
    });
    let others: Vec<(String, String)> =
        codes.iter().filter(|(u, _, _)| *u != uuid).map(|(u, p, _)| (u.clone(), p.clone())).collect();
    let shown =
        others.iter().find(|(u, _)| *u == state.target_code).map_or("choose a code", |(_, p)| p.as_str()).to_owned();
    egui::ComboBox::from_label("other code").selected_text(shown).show_ui(ui, |ui| {
        for (u, p) in &others {
            ui.selectable_value(&mut state.target_code, u.clone(), p);
        }
    });
    let target = others.iter().any(|(u, _)| *u == state.target_code).then(|| state.target_code.clone());
    ui.horizontal_wrapped(|ui| {
        if ui.add_enabled(target.is_some(), egui::Button::new("Move under it")).clicked() {
            actions.push(Command::Notes(NoteCmd::MoveCode { uuid: uuid.clone(), parent: target.clone() }));
        }
        if ui.button("Move to top level").clicked() {
            actions.push(Command::Notes(NoteCmd::MoveCode { uuid: uuid.clone(), parent: None }));
        }
        if ui.add_enabled(target.is_some(), egui::Button::new("Merge into it")).clicked()
            && let Some(t) = &target
        {
            actions.push(Command::Notes(NoteCmd::MergeCodes { from: uuid.clone(), into: t.clone() }));
            state.code = t.clone();
        }
        if ui.button("Delete code").clicked() {
            actions.push(Command::Notes(NoteCmd::DeleteCode(uuid.clone())));
            state.code.clear();
        }
    });
}

fn exchange(ui: &mut egui::Ui, state: &mut NotesState, actions: &mut Vec<Command>) {
    if crate::widgets::on_slide(ui.ctx()) {
        return;
    }
    ui.add_space(12.0);
    ui.label(RichText::new("Export and import").size(17.0).strong());
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Export to (folder or file path):");
        ui.add(
            egui::TextEdit::singleline(&mut state.export_path)
                .desired_width(360.0)
                .hint_text("empty: your Documents (or home) folder"),
        )
        .labelled_by(label.id);
    });
    ui.horizontal_wrapped(|ui| {
        for (kind, name) in [
            (ExportKind::MarkdownByCity, "Markdown report by city"),
            (ExportKind::MarkdownByCode, "Markdown report by code"),
            (ExportKind::Csv, "CSV"),
            (ExportKind::Bundle, "JSON bundle for co-authors"),
        ] {
            if ui.button(name).clicked() {
                let path = match state.export_path.trim() {
                    "" => default_export_path(),
                    typed => typed.to_owned(),
                };
                actions.push(Command::Notes(NoteCmd::Export { kind, path }));
            }
        }
    });
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Import a co-author's bundle from:");
        ui.add(
            egui::TextEdit::singleline(&mut state.import_path).desired_width(360.0).hint_text("/path/to/bundle.json"),
        )
        .labelled_by(label.id);
        if ui.button("Choose file…").clicked()
            && let Some(path) = rfd::FileDialog::new().add_filter("Integration Atlas bundle", &["json"]).pick_file()
        {
            state.import_path = path.display().to_string();
        }
        if ui.add_enabled(!state.import_path.trim().is_empty(), egui::Button::new("Import bundle")).clicked() {
            actions.push(Command::Notes(NoteCmd::ImportBundle(state.import_path.trim().to_owned())));
        }
    });
}

/// The home folder (or the current one), for export file names.
pub fn default_export_path() -> String {
    directories::UserDirs::new()
        .and_then(|d| d.document_dir().map(|p| p.to_path_buf()).or_else(|| Some(d.home_dir().to_path_buf())))
        .unwrap_or_else(|| std::path::PathBuf::from("."))
        .display()
        .to_string()
}

fn conflicts(ui: &mut egui::Ui, ws: &Workspace, actions: &mut Vec<Command>) {
    let list = ws.conflicts.clone();
    if list.is_empty() {
        return;
    }
    ui.add_space(12.0);
    ui.label(
        RichText::new(format!("Conflicts to resolve ({})", list.len()))
            .size(17.0)
            .strong()
            .color(ui.visuals().warn_fg_color),
    );
    for c in list {
        let Some(mine) = ws.notes.iter().find(|n| n.uuid == c.note_uuid).cloned() else { continue };
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.columns(2, |cols| {
                cols[0].label(
                    RichText::new(format!("Yours ({}, {})", mine.author, display_time(&mine.updated_at))).strong(),
                );
                cols[0].label(&mine.text);
                cols[1].label(
                    RichText::new(format!("Theirs ({}, {})", c.theirs.author, display_time(&c.theirs.updated_at)))
                        .strong(),
                );
                cols[1].label(&c.theirs.text);
            });
            ui.horizontal(|ui| {
                if ui.button("Keep mine").clicked() {
                    actions.push(Command::Notes(NoteCmd::ResolveConflict { id: c.id, keep: Box::new(mine.clone()) }));
                }
                if ui.button("Keep theirs").clicked() {
                    actions
                        .push(Command::Notes(NoteCmd::ResolveConflict { id: c.id, keep: Box::new(c.theirs.clone()) }));
                }
            });
        });
    }
}

/// The Notes view.
pub struct Notes;

impl super::AtlasView for Notes {
    fn id(&self) -> View {
        View::Notes
    }

    fn purpose(&self) -> &'static str {
        "Every note and memo with filters, the code tree (create, rename, move, merge, delete), exports as Markdown, \
         CSV or a bundle, and co-authors' bundles merged in."
    }

    fn ui(&self, ui: &mut egui::Ui, cx: &mut super::ViewCx<'_>) {
        let s = cx.session;
        show(ui, &s.atlas, &s.workspace, &mut cx.state.notes, cx.rt.view::<NotesRuntime>(View::Notes), cx.commands);
    }

    fn open(&self, state: &mut UiState, target: &Target) -> bool {
        match target {
            Target::Note(uuid) => {
                state.notes.selected = Some(uuid.clone());
                true
            }
            _ => false,
        }
    }
}
