//! Asks for the author's name once; the note that was asked for is created when it is given.

use eframe::egui::{self, Key};

use crate::command::{Command, NoteCmd};

/// The prompt's state: the typed name and the note waiting for it.
#[derive(Debug, Clone, Default)]
pub struct AuthorPrompt {
    pub name: String,
    /// (target kind, target id) of the note to create.
    pub note: (String, Option<String>),
    focused: bool,
}

impl AuthorPrompt {
    pub fn new(kind: String, id: Option<String>) -> Self {
        Self { name: String::new(), note: (kind, id), focused: false }
    }
}

/// Draws the prompt; a name given sets the author and creates the waiting note, Cancel closes it.
pub fn show(ctx: &egui::Context, prompt: &mut AuthorPrompt, commands: &mut Vec<Command>) {
    let mut named = None;
    let mut cancel = false;
    egui::Window::new("Your name").collapsible(false).resizable(false).show(ctx, |ui| {
        ui.label("Notes carry their author's name. It is asked once and remembered in this database.");
        ui.horizontal(|ui| {
            let l = ui.label("Your name:");
            let r = ui.add(egui::TextEdit::singleline(&mut prompt.name).desired_width(220.0)).labelled_by(l.id);
            // The field takes the keyboard as the prompt opens, so the first keys typed are not lost.
            if !prompt.focused {
                r.request_focus();
                prompt.focused = true;
            }
            if r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) && !prompt.name.trim().is_empty() {
                named = Some(prompt.name.trim().to_owned());
            }
        });
        ui.horizontal(|ui| {
            if ui.add_enabled(!prompt.name.trim().is_empty(), egui::Button::new("Save name")).clicked() {
                named = Some(prompt.name.trim().to_owned());
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                cancel = true;
            }
        });
    });
    if let Some(name) = named {
        let (kind, id) = prompt.note.clone();
        commands.push(Command::Notes(NoteCmd::CloseAuthorPrompt));
        commands.push(Command::Notes(NoteCmd::SetAuthor(name)));
        commands.push(Command::Notes(NoteCmd::Add { kind, id }));
    } else if cancel {
        commands.push(Command::Notes(NoteCmd::CloseAuthorPrompt));
    }
}
