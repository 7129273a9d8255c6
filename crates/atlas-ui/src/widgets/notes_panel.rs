//! The notes on one record (or the memos): add, write, code, set the status, delete. Used by every view that shows
//! a record. Writes go through the [`Workspace`], which saves within a second and keeps undo history.

use eframe::egui::{self, RichText};

use crate::command::{Command, NoteCmd};
use atlas_session::annotate::Workspace;
use atlas_session::{NoteStatus, TargetKind};

fn focus_key() -> egui::Id {
    egui::Id::unique("notes_panel_focus_note")
}

/// Asks the editor of note `uuid` to take the keyboard when it is next drawn (a note just added: the next keys
/// typed are its text, with or without the author prompt in between).
pub fn focus_note(ctx: &egui::Context, uuid: &str) {
    ctx.data_mut(|d| d.insert_temp(focus_key(), uuid.to_owned()));
}

/// Draws the notes attached to `kind`/`id` and an "Add note" button. `label` names the record for people.
pub fn show(ui: &mut egui::Ui, ws: &Workspace, kind: TargetKind, id: &str, label: &str, actions: &mut Vec<Command>) {
    if crate::widgets::on_slide(ui.ctx()) {
        // A slide shows the notes' words, without the editors and buttons (and nothing when there are none).
        let texts: Vec<(String, String)> = ws.notes_on(kind, id).map(|n| (n.author.clone(), n.text.clone())).collect();
        if !texts.is_empty() {
            ui.label(RichText::new(format!("Notes ({})", texts.len())).size(17.0).strong());
            for (author, text) in texts {
                ui.label(format!("{text} ({author})"));
            }
        }
        return;
    }
    let notes: Vec<String> = ws.notes_on(kind, id).map(|n| n.uuid.clone()).collect();
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("Notes ({})", notes.len())).size(17.0).strong());
        let add = ui.button("Add note");
        let add_label = format!("Add a note on {label}");
        add.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &add_label));
        if add.clicked() {
            actions.push(Command::Notes(NoteCmd::Add { kind, id: Some(id.to_owned()) }));
        }
    });
    for (n, uuid) in notes.iter().enumerate() {
        note_editor(ui, ws, uuid, &format!("{} on {label}", n + 1), actions);
    }
}

/// One note: its text, status, codes and a delete button. `name` makes its controls' labels unique.
pub fn note_editor(ui: &mut egui::Ui, ws: &Workspace, uuid: &str, name: &str, actions: &mut Vec<Command>) {
    let Some(note) = ws.notes.iter().find(|n| n.uuid == uuid).cloned() else { return };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&note.author).strong());
            let mut status = note.status;
            egui::ComboBox::from_id_salt(("status", uuid))
                .selected_text(status.as_str())
                .show_ui(ui, |ui| {
                    for s in NoteStatus::ALL {
                        ui.selectable_value(&mut status, s, s.as_str());
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, format!("Status of note {name}"))
                });
            if status != note.status {
                actions.push(Command::Notes(NoteCmd::SetStatus { uuid: uuid.to_owned(), status }));
            }
            ui.label(RichText::new(format!("updated {}", short_time(&note.updated_at))).small().weak());
            let delete = ui.small_button("Delete");
            delete.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Delete note {name}")));
            if delete.clicked() {
                actions.push(Command::Notes(NoteCmd::Delete(uuid.to_owned())));
            }
        });
        let mut text = note.text.clone();
        let edit = ui.add(
            egui::TextEdit::multiline(&mut text)
                .desired_rows(3)
                .desired_width(f32::INFINITY)
                .hint_text("Write the note here; it is saved as you type."),
        );
        if ui.data(|d| d.get_temp::<String>(focus_key())).as_deref() == Some(uuid) {
            ui.data_mut(|d| d.remove_temp::<String>(focus_key()));
            edit.request_focus();
        }
        let label = format!("Note text {name}");
        edit.widget_info(|| {
            let mut info = egui::WidgetInfo::new(egui::Role::TextInput);
            info.label = Some(label.clone());
            info.current_text_value = Some(text.clone());
            info
        });
        if text != note.text {
            actions.push(Command::Notes(NoteCmd::EditText { uuid: uuid.to_owned(), text: text.clone() }));
        }
        ui.horizontal_wrapped(|ui| {
            for code in &note.codes {
                ui.label(RichText::new(format!("#{}", ws.code_path(code))).color(ui.visuals().hyperlink_color));
            }
            let codes: Vec<(String, String)> =
                ws.live_codes().map(|c| (c.uuid.clone(), ws.code_path(&c.uuid))).collect();
            let menu = ui.menu_button("Codes…", |ui| {
                // A new code (or a path "parent > child") made here goes on this note at once.
                let new_id = egui::Id::unique(("new_code_on_note", uuid));
                let mut new_code: String = ui.data_mut(|d| d.get_temp(new_id).unwrap_or_default());
                let r = ui.add(
                    egui::TextEdit::singleline(&mut new_code).desired_width(160.0).hint_text("new code, Enter adds"),
                );
                let label = format!("New code on note {name}");
                r.widget_info(|| {
                    let mut info = egui::WidgetInfo::new(egui::Role::TextInput);
                    info.label = Some(label.clone());
                    info
                });
                if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) && !new_code.trim().is_empty() {
                    actions.push(Command::Notes(NoteCmd::AddCode {
                        name: new_code.clone(),
                        parent: None,
                        on_note: Some(uuid.to_owned()),
                    }));
                    new_code.clear();
                }
                ui.data_mut(|d| d.insert_temp(new_id, new_code));
                if codes.is_empty() {
                    ui.label("No codes yet: type one above.");
                }
                let mut sorted = codes.clone();
                sorted.sort_by(|a, b| a.1.cmp(&b.1));
                for (code, path) in sorted {
                    let mut on = note.codes.contains(&code);
                    let r = ui.checkbox(&mut on, &path);
                    let label = format!("Code {path} on note {name}");
                    r.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, on, &label));
                    if r.clicked() {
                        actions.push(Command::Notes(NoteCmd::ToggleCode { uuid: uuid.to_owned(), code: code.clone() }));
                    }
                }
            });
            menu.response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Codes of note {name}")));
        });
    });
}

/// "2026-11-22 10:53 UTC" from a stored RFC 3339 timestamp (as the notes exports show it).
pub fn short_time(ts: &str) -> String {
    atlas_session::annotate::export::display_time(ts)
}
