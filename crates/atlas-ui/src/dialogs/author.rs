//! Asks for the author's name: once, before the first note or coded passage (which is then made), or when the
//! author changes (Notes ▸ Change author…).

use eframe::egui::{self, Key};

use crate::command::{Command, NoteCmd};

/// The prompt's state: the typed name and what waits for it (a note to create, a passage to code).
#[derive(Debug, Clone, Default)]
pub struct AuthorPrompt {
    pub name: String,
    /// Run once the name is given.
    pub then: Option<Box<Command>>,
    focused: bool,
    /// The widget that had the keyboard when the prompt opened: it gets it back when the prompt closes.
    return_to: Option<egui::Id>,
}

impl AuthorPrompt {
    /// Asks before `then` (a note, a coding) is carried out with the name.
    pub fn before(then: Command) -> Self {
        Self { name: String::new(), then: Some(Box::new(then)), focused: false, return_to: None }
    }

    /// Asks for a new name, `current` filled in.
    pub fn change(current: Option<&str>) -> Self {
        Self { name: current.unwrap_or_default().to_owned(), then: None, focused: false, return_to: None }
    }
}

/// Draws the prompt; a name given sets the author and creates the waiting note, Cancel closes it.
pub fn show(ctx: &egui::Context, prompt: &mut AuthorPrompt, commands: &mut Vec<Command>) {
    let mut named = None;
    let mut cancel = false;
    egui::Window::new("Your name").collapsible(false).resizable(false).show(ctx, |ui| {
        ui.label(
            "Notes and coded passages carry their author's name. It is remembered in this database; Notes ▸ Change \
             author… changes it.",
        );
        ui.horizontal(|ui| {
            let l = ui.label("Your name:");
            let r = ui.add(egui::TextEdit::singleline(&mut prompt.name).desired_width(220.0)).labelled_by(l.id);
            // The field takes the keyboard as the prompt opens, so the first keys typed are not lost.
            if !prompt.focused {
                prompt.return_to = ui.memory(|m| m.focused());
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
    if (named.is_some() || cancel)
        && let Some(id) = prompt.return_to
    {
        ctx.memory_mut(|m| m.request_focus(id));
    }
    if let Some(name) = named {
        commands.push(Command::Notes(NoteCmd::CloseAuthorPrompt));
        commands.push(Command::Notes(NoteCmd::SetAuthor(name)));
        if let Some(then) = prompt.then.take() {
            commands.push(*then);
        }
    } else if cancel {
        commands.push(Command::Notes(NoteCmd::CloseAuthorPrompt));
    }
}
