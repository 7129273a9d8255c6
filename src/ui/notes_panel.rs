//! The notes on one record (or the memos): add, write, code, set the status, delete. Used by every view that shows
//! a record. Writes go through the [`Workspace`], which saves within a second and keeps undo history.

use eframe::egui::{self, RichText};

use super::app::Action;
use crate::annotate::Workspace;
use crate::store::Store;
use crate::store::notes::STATUSES;

/// Draws the notes attached to `kind`/`id` and an "Add note" button. `label` names the record for people.
pub fn show(
    ui: &mut egui::Ui,
    store: &Store,
    ws: &mut Workspace,
    kind: &str,
    id: &str,
    label: &str,
    actions: &mut Vec<Action>,
) {
    let notes: Vec<String> = ws.notes_on(kind, id).map(|n| n.uuid.clone()).collect();
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("Notes ({})", notes.len())).size(17.0).strong());
        let add = ui.button("Add note");
        let add_label = format!("Add a note on {label}");
        add.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &add_label));
        if add.clicked() {
            actions.push(Action::AddNote { kind: kind.to_owned(), id: Some(id.to_owned()) });
        }
    });
    for (n, uuid) in notes.iter().enumerate() {
        note_editor(ui, store, ws, uuid, &format!("{} on {label}", n + 1));
    }
}

/// One note: its text, status, codes and a delete button. `name` makes its controls' labels unique.
pub fn note_editor(ui: &mut egui::Ui, store: &Store, ws: &mut Workspace, uuid: &str, name: &str) {
    let Some(note) = ws.notes.iter().find(|n| n.uuid == uuid).cloned() else { return };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&note.author).strong());
            let mut status = note.status.clone();
            egui::ComboBox::from_id_salt(("status", uuid))
                .selected_text(&status)
                .show_ui(ui, |ui| {
                    for s in STATUSES {
                        ui.selectable_value(&mut status, s.to_owned(), s);
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, format!("Status of note {name}"))
                });
            if status != note.status {
                ws.set_status(store, uuid, &status);
            }
            ui.label(RichText::new(format!("updated {}", short_time(&note.updated_at))).small().weak());
            let delete = ui.small_button("Delete");
            delete.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Delete note {name}")));
            if delete.clicked() {
                ws.delete_note(store, uuid);
            }
        });
        let mut text = note.text.clone();
        let edit = ui.add(
            egui::TextEdit::multiline(&mut text)
                .desired_rows(3)
                .desired_width(f32::INFINITY)
                .hint_text("Write the note here; it is saved as you type."),
        );
        let label = format!("Note text {name}");
        edit.widget_info(|| {
            let mut info = egui::WidgetInfo::new(egui::Role::TextInput);
            info.label = Some(label.clone());
            info.current_text_value = Some(text.clone());
            info
        });
        if text != note.text {
            ws.edit_text(uuid, &text);
        }
        ui.horizontal_wrapped(|ui| {
            for code in &note.codes {
                ui.label(RichText::new(format!("#{}", ws.code_path(code))).color(ui.visuals().hyperlink_color));
            }
            let codes: Vec<(String, String)> =
                ws.live_codes().map(|c| (c.uuid.clone(), ws.code_path(&c.uuid))).collect();
            let menu = ui.menu_button("Codes…", |ui| {
                if codes.is_empty() {
                    ui.label("No codes yet: create them in the Notes view.");
                }
                let mut sorted = codes.clone();
                sorted.sort_by(|a, b| a.1.cmp(&b.1));
                for (code, path) in sorted {
                    let mut on = note.codes.contains(&code);
                    let r = ui.checkbox(&mut on, &path);
                    let label = format!("Code {path} on note {name}");
                    r.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, on, &label));
                    if r.clicked() {
                        ws.toggle_code(store, uuid, &code);
                    }
                }
            });
            menu.response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Codes of note {name}")));
        });
    });
}

/// "2026-11-22 10:53" from an RFC 3339 timestamp.
pub fn short_time(ts: &str) -> String {
    ts.get(..16).map(|s| s.replace('T', " ")).unwrap_or_else(|| ts.to_owned())
}
