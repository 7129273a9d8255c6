//! Asks for the author's name once; the note that was asked for is created when it is given.

use eframe::egui::{self, Key};

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

pub enum Outcome {
    Open,
    Cancel,
    Named(String),
}

pub fn show(ctx: &egui::Context, prompt: &mut AuthorPrompt) -> Outcome {
    let mut outcome = Outcome::Open;
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
                outcome = Outcome::Named(prompt.name.trim().to_owned());
            }
        });
        ui.horizontal(|ui| {
            if ui.add_enabled(!prompt.name.trim().is_empty(), egui::Button::new("Save name")).clicked() {
                outcome = Outcome::Named(prompt.name.trim().to_owned());
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                outcome = Outcome::Cancel;
            }
        });
    });
    outcome
}
