//! Help (F1): the keyboard shortcuts, and what each view is for (from the views' own registry).

use eframe::egui::{self, RichText};

use crate::views::REGISTRY;

const KEYS: [(&str, &str); 15] = [
    ("F1", "Open or close this help"),
    ("↑ ↓ Page Up/Down Home End", "Scroll this help while it is open"),
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

const PAGE: f32 = 500.0;
const LINE: f32 = 40.0;

fn scroll_key() -> egui::Id {
    egui::Id::unique("help_scroll_by_keys")
}

/// While Help is open, the keys that scroll it (Up/Down, Page Up/Page Down, Home/End) are its own: taken before the
/// view under it draws, so they do not also move the view's selection.
pub fn take_keys(ctx: &egui::Context, open: bool) {
    if !open || ctx.text_edit_focused() {
        return;
    }
    let delta = ctx.input_mut(|i| {
        let mut delta = 0.0;
        for (key, by) in [
            (egui::Key::ArrowDown, -LINE),
            (egui::Key::ArrowUp, LINE),
            (egui::Key::PageDown, -PAGE),
            (egui::Key::PageUp, PAGE),
            (egui::Key::End, -1.0e6),
            (egui::Key::Home, 1.0e6),
        ] {
            while i.consume_key(egui::Modifiers::NONE, key) {
                delta += by;
            }
        }
        delta
    });
    if delta != 0.0 {
        ctx.data_mut(|d| d.insert_temp(scroll_key(), delta));
    }
}

fn glossary_id() -> egui::Id {
    egui::Id::unique("help_glossary")
}

/// Opens Help's glossary section and brings it into view when Help next draws.
pub fn open_glossary(ctx: &egui::Context) {
    ctx.data_mut(|d| d.insert_temp(glossary_id().with("scroll"), true));
}

/// Every acronym of the evidence: the term, its expansion (or "expansion unknown"), its meaning in our words, how
/// sure we are, and where the expansion is written.
fn glossary(ui: &mut egui::Ui, entries: &[atlas_core::model::GlossaryEntry]) {
    let scroll = ui.data_mut(|d| d.remove_temp::<bool>(glossary_id().with("scroll"))).unwrap_or(false);
    let header = egui::CollapsingHeader::new(
        RichText::new(format!("Glossary of the evidence's acronyms ({})", entries.len())).strong().size(17.0),
    )
    .id_salt(glossary_id())
    .open(scroll.then_some(true))
    .show(ui, |ui| {
        ui.label(
            RichText::new(
                "Spelled out where a source we hold writes it out; otherwise marked as unknown. Hovering over a \
                 name in Who does what shows the same.",
            )
            .small(),
        );
        for e in entries {
            ui.label(RichText::new(format!("{} — {}", e.term, e.expansion_text())).strong());
            ui.label(&e.meaning);
            let sources: Vec<&str> = e.sources.iter().map(|s| s.url.as_str()).collect();
            if !sources.is_empty() {
                ui.label(
                    RichText::new(format!("{}: {}", atlas_core::dataset::tag_label(&e.confidence), sources.join(", ")))
                        .small()
                        .weak(),
                );
            }
            for doubt in &e.uncertain {
                ui.label(RichText::new(doubt).small().italics());
            }
            ui.add_space(4.0);
        }
    });
    if scroll {
        header.header_response.scroll_to_me(Some(egui::Align::TOP));
    }
}

pub fn show(ctx: &egui::Context, open: &mut bool, entries: &[atlas_core::model::GlossaryEntry]) {
    if !*open {
        return;
    }
    let mut keep = true;
    let delta: f32 = ctx.data_mut(|d| d.remove_temp(scroll_key())).unwrap_or(0.0);
    egui::Window::new("Help").open(&mut keep).default_width(560.0).collapsible(false).show(ctx, |ui| {
        egui::ScrollArea::vertical().max_height(560.0).show(ui, |ui| {
            if delta != 0.0 {
                ui.scroll_with_delta(egui::vec2(0.0, delta));
            }
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
            ui.add_space(8.0);
            if !entries.is_empty() {
                glossary(ui, entries);
            }
        });
    });
    if !keep || ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        *open = false;
    }
}
