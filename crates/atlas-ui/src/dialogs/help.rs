//! Help (F1): the keyboard shortcuts, and what each view is for (from the views' own registry).

use eframe::egui::{self, RichText};

use crate::views::REGISTRY;

const KEYS: [(&str, &str); 14] = [
    ("F1", "Open or close this help"),
    ("Ctrl+F", "Search every record kind"),
    ("Ctrl+Z / Ctrl+Shift+Z", "Undo / redo note, code and record edits"),
    ("Ctrl + / Ctrl − / Ctrl 0", "Zoom in / out / back to 100%"),
    ("F5", "Present: full screen, large text (Esc leaves)"),
    ("→ Space Page Down", "Next slide while playing a story"),
    ("← Backspace Page Up", "Previous slide"),
    ("Home / End", "First / last slide"),
    ("+ / − while presenting", "Presentation scale"),
    ("H while presenting", "High-contrast theme"),
    ("Tab / Shift+Tab", "Next / previous field"),
    ("Up / Down, Enter", "Move through a list's rows, open the selected row"),
    ("Esc", "Close a window or leave presenting"),
    ("Ctrl+Q", "Quit"),
];

pub fn show(ctx: &egui::Context, open: &mut bool) {
    if !*open {
        return;
    }
    let mut keep = true;
    egui::Window::new("Help").open(&mut keep).default_width(560.0).collapsible(false).show(ctx, |ui| {
        egui::ScrollArea::vertical().max_height(560.0).show(ui, |ui| {
            ui.label(RichText::new("Keyboard").strong().size(17.0));
            egui::Grid::new("help_keys").num_columns(2).striped(true).show(ui, |ui| {
                for (keys, what) in KEYS {
                    ui.label(RichText::new(keys).monospace());
                    ui.label(what);
                    ui.end_row();
                }
            });
            ui.add_space(8.0);
            ui.label(RichText::new("The views").strong().size(17.0));
            for view in REGISTRY {
                ui.label(RichText::new(view.label()).strong());
                ui.label(view.purpose());
            }
        });
    });
    if !keep || ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        *open = false;
    }
}
