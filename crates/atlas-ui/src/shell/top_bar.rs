//! The top bar (File menu, the views, search, stories, presenting, zoom, theme, Help) and the window's keyboard
//! shortcuts.

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers, RichText};

use super::{AtlasApp, style};
use crate::command::{AnswerCmd, CodingCmd, Command, Commands, FileCmd, Nav, NoteCmd, StoryCmd};
use crate::state::View;
use crate::views;

impl AtlasApp {
    pub(super) fn zoom(&mut self, step: i32) {
        self.state.zoom = style::step_zoom(self.state.zoom, step);
        self.apply_style();
    }

    /// Whether the current view has a table the File menu can export.
    fn view_has_tables(&self) -> bool {
        self.db.is_some() && views::get(self.state.view).has_tables()
    }

    pub(super) fn top_bar(&mut self, ui: &mut egui::Ui) -> Commands {
        let mut commands = Vec::new();
        let has_tables = self.view_has_tables();
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Integration Atlas").strong().size(17.0));
                ui.separator();
                ui.menu_button("File", |ui| file_menu(ui, has_tables, &mut commands));
                for view in View::all() {
                    let selected = self.state.view == view;
                    if ui.selectable_label(selected, view.label()).clicked() && !selected {
                        // Through the command path, after the open view has drawn (and seen a field lose focus).
                        commands.push(Command::Nav(Nav::Go(view)));
                    }
                }
                // The controls follow the navigation and wrap onto a second line in a narrow window.
                ui.separator();
                if ui.button("Search").on_hover_text("Search every record kind (Ctrl+F)").clicked() {
                    self.open_search();
                }
                if ui.button("Add to story").on_hover_text("Save this view as a slide of the story").clicked() {
                    commands.push(Command::Stories(StoryCmd::AddToStory));
                }
                if ui
                    .button("Present")
                    .on_hover_text("Full screen, large text, no navigation (F5; Esc leaves)")
                    .clicked()
                {
                    commands.push(Command::Nav(Nav::Present));
                }
                if ui.button("Zoom out").on_hover_text("Smaller text (Ctrl −)").clicked() {
                    self.zoom(-1);
                }
                ui.label(format!("{:.0}%", self.state.zoom * 100.0));
                if ui.button("Zoom in").on_hover_text("Larger text (Ctrl +)").clicked() {
                    self.zoom(1);
                }
                let theme = if self.state.dark { "Light theme" } else { "Dark theme" };
                if ui.button(theme).on_hover_text("Switch between dark and light themes").clicked() {
                    self.state.dark = !self.state.dark;
                    self.apply_style();
                }
                if ui.button("Help").on_hover_text("Keyboard shortcuts and what each view is for (F1)").clicked() {
                    self.help_open = true;
                }
            });
        });
        commands
    }

    fn open_search(&mut self) {
        if let Some(db) = &mut self.db {
            db.rt.global_search.open();
        }
    }

    pub(super) fn shortcuts(&mut self, ctx: &egui::Context) {
        let zoom_in = [
            KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus),
            KeyboardShortcut::new(Modifiers::COMMAND, Key::Equals),
        ];
        let zoom_out = KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);
        let reset = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0);
        let find = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
        let quit = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::F5)) {
            self.apply(Command::Nav(Nav::Present));
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::F1)) {
            self.help_open = !self.help_open;
        }
        crate::dialogs::help::take_keys(ctx, self.help_open);
        let undo = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
        let redo = [
            KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z),
            KeyboardShortcut::new(Modifiers::COMMAND, Key::Y),
        ];
        // While a text field has the keyboard, Ctrl+Z belongs to the text field.
        let typing = ctx.text_edit_focused();
        let (inc, dec, zero, search, redo_pressed, undo_pressed, quit_pressed) = ctx.input_mut(|i| {
            (
                zoom_in.iter().any(|s| i.consume_shortcut(s)),
                i.consume_shortcut(&zoom_out),
                i.consume_shortcut(&reset),
                i.consume_shortcut(&find),
                !typing && redo.iter().any(|s| i.consume_shortcut(s)),
                !typing && i.consume_shortcut(&undo),
                i.consume_shortcut(&quit),
            )
        });
        if undo_pressed {
            if self.state.view == crate::state::View::Assess {
                self.apply(Command::Assess(crate::command::AssessCmd::Undo));
            } else {
                self.apply(Command::Notes(NoteCmd::Undo));
            }
        }
        if redo_pressed {
            if self.state.view == crate::state::View::Assess {
                self.apply(Command::Assess(crate::command::AssessCmd::Redo));
            } else {
                self.apply(Command::Notes(NoteCmd::Redo));
            }
        }
        if inc {
            self.zoom(1);
        }
        if dec {
            self.zoom(-1);
        }
        if zero {
            self.state.zoom = 1.0;
            self.apply_style();
        }
        if search {
            self.open_search();
        }
        if quit_pressed {
            self.apply(Command::Nav(Nav::Quit));
        }
    }
}

fn file_menu(ui: &mut egui::Ui, has_tables: bool, commands: &mut Commands) {
    if ui.button("Open database…").clicked() {
        commands.push(Command::Files(FileCmd::OpenDatabase));
    }
    if ui.button("Save a copy of the database…").clicked() {
        commands.push(Command::Files(FileCmd::SaveDatabaseCopy));
    }
    ui.separator();
    let table = egui::Button::new("Export this view's table…");
    if ui.add_enabled(has_tables, table).clicked() {
        commands.push(Command::Files(FileCmd::ExportViewTables));
    }
    ui.separator();
    if ui.button("Import survey answers…").clicked() {
        commands.push(Command::Answers(AnswerCmd::OpenImport(None)));
    }
    if ui.button("Co-authors’ bundles (Notes view)…").clicked() {
        commands.push(Command::go(View::Notes));
    }
    if ui.button("Export REFI-QDA project (.qdpx)…").clicked() {
        commands.push(Command::Codings(CodingCmd::ExportQda { project: true }));
    }
    if ui.button("Export codebook (.qdc)…").clicked() {
        commands.push(Command::Codings(CodingCmd::ExportQda { project: false }));
    }
    if ui.button("Import from a QDA tool…").clicked() {
        commands.push(Command::Codings(CodingCmd::OpenQdaImport));
    }
    ui.separator();
    if ui.add(egui::Button::new("Quit").shortcut_text("Ctrl+Q")).clicked() {
        commands.push(Command::Nav(Nav::Quit));
    }
}
