//! Small pieces shared by the views: confidence badges, source lists, uncertainty notes, headings.

pub mod charts;
pub mod coded_text;
pub mod findings;
pub mod map;
pub mod notes_panel;
pub mod word_cloud;

use eframe::egui::{self, Color32, RichText};

use crate::command::{Command, FileCmd};
use atlas_core::dataset::{Source, tag_label};
use atlas_export::Table;

/// The colour of a confidence tag (the same in every view).
pub fn tag_color(ui: &egui::Ui, tag: &str) -> Color32 {
    let dark = ui.visuals().dark_mode;
    match (tag, dark) {
        ("oecd", false) => Color32::from_rgb(0, 110, 60),
        ("oecd", true) => Color32::from_rgb(110, 210, 150),
        ("oecd-via", false) => Color32::from_rgb(20, 80, 170),
        ("oecd-via", true) => Color32::from_rgb(130, 170, 250),
        ("oecd-other", false) => Color32::from_rgb(120, 60, 150),
        ("oecd-other", true) => Color32::from_rgb(200, 150, 230),
        (_, false) => Color32::from_rgb(150, 90, 0),
        (_, true) => Color32::from_rgb(235, 180, 90),
    }
}

/// A short coloured label for a tag.
/// The acronyms `text` uses, spelled out in a tooltip on `response` (from the glossary: the expansion, or
/// "expansion unknown" where no source we hold gives it, and its meaning in our words); `response` as it was when the
/// text uses none.
pub fn glossed(response: egui::Response, atlas: &atlas_core::model::Atlas, text: &str) -> egui::Response {
    let entries = atlas.glossary_in(text);
    if entries.is_empty() {
        return response;
    }
    response.on_hover_ui(|ui| {
        ui.set_max_width(420.0);
        for e in entries {
            ui.label(RichText::new(format!("{} — {}", e.term, e.expansion_text())).strong());
            ui.label(RichText::new(&e.meaning).small());
        }
    })
}

pub fn tag_badge(ui: &mut egui::Ui, tag: &str) -> egui::Response {
    let color = tag_color(ui, tag);
    ui.label(RichText::new(tag_label(tag)).color(color).strong())
}

pub fn section(ui: &mut egui::Ui, title: &str) {
    ui.add_space(10.0);
    ui.label(RichText::new(title).size(18.0).strong());
}

/// Every source with its tag, a link that opens the system browser (without blocking), and a copy button.
/// `salt` makes the copy buttons' labels unique on the page.
pub fn sources(ui: &mut egui::Ui, sources: &[Source], salt: &str) {
    if sources.is_empty() {
        ui.label(RichText::new("No source recorded.").italics());
        return;
    }
    for (n, s) in sources.iter().enumerate() {
        ui.horizontal_wrapped(|ui| {
            tag_badge(ui, &s.tag);
            let text = s.title.clone().unwrap_or_else(|| s.url.clone());
            if s.url.is_empty() {
                // A full citation without a URL (an author's own record).
                ui.label(text);
                return;
            }
            ui.hyperlink_to(text, &s.url).on_hover_text(&s.url);
            let copy = ui.small_button("Copy").on_hover_text("Copy the URL");
            copy.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Copy URL {} of {salt}", n + 1))
            });
            if copy.clicked() {
                ui.ctx().copy_text(s.url.clone());
            }
            if let Some(note) = &s.note {
                ui.label(RichText::new(format!("({note})")).small().weak());
            }
        });
    }
}

/// Uncertainty notes, shown as such.
pub fn uncertain(ui: &mut egui::Ui, notes: &[String]) {
    for note in notes {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Uncertain:").color(ui.visuals().warn_fg_color).strong());
            ui.label(note);
        });
    }
}

/// A record's doubts gathered under one collapsed "How sure we are (n)", so they do not stand before the content;
/// nothing is shown when there are none.
pub fn doubts<'a>(ui: &mut egui::Ui, salt: &str, notes: impl IntoIterator<Item = &'a String>) {
    let notes: Vec<&String> = notes.into_iter().collect();
    if notes.is_empty() {
        return;
    }
    let title = RichText::new(format!("How sure we are ({})", notes.len())).color(ui.visuals().warn_fg_color);
    egui::CollapsingHeader::new(title).id_salt(("doubts", salt)).default_open(false).show(ui, |ui| {
        for note in notes {
            ui.label(format!("• {note}"));
        }
    });
}

fn slide_key() -> egui::Id {
    egui::Id::unique("integration-atlas-on-slide")
}

fn presenting_key() -> egui::Id {
    egui::Id::unique("integration-atlas-presenting")
}

/// Marks this frame as drawn in presentation mode (F5 or a story played; the shell sets it): the room sees the
/// screen, so views leave out what is for the facilitator's eyes only.
pub fn set_presenting(ctx: &egui::Context, on: bool) {
    ctx.data_mut(|d| d.insert_temp(presenting_key(), on));
}

/// Whether this frame is drawn in presentation mode (see [`set_presenting`]).
pub fn presenting(ctx: &egui::Context) -> bool {
    ctx.data(|d| d.get_temp(presenting_key()).unwrap_or(false))
}

/// Marks this frame as a slide being shown or rendered (the shell sets it): controls that make no sense on a slide
/// (export and save buttons, hints) are left out, so a slide shows the content only.
pub fn set_on_slide(ctx: &egui::Context, on: bool) {
    ctx.data_mut(|d| d.insert_temp(slide_key(), on));
}

/// Whether this frame draws a slide (see [`set_on_slide`]).
pub fn on_slide(ctx: &egui::Context) -> bool {
    ctx.data(|d| d.get_temp(slide_key()).unwrap_or(false))
}

/// A small grey hint under a control; left out on slides.
pub fn hint(ui: &mut egui::Ui, text: impl Into<String>) {
    if !on_slide(ui.ctx()) {
        let color = hint_color(ui.visuals());
        ui.label(RichText::new(text.into()).small().color(color));
    }
}

/// The hints' grey: quieter than the text, but at least 4.5:1 against the panel in the light and the dark theme
/// (egui's weak text is about 3:1).
pub fn hint_color(visuals: &egui::Visuals) -> Color32 {
    if visuals.dark_mode { Color32::from_gray(170) } else { Color32::from_gray(95) }
}

/// "1 score", "3 scores": a count with its noun in the right number.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

/// A value that may be unknown.
pub fn or_unknown(value: Option<&str>) -> String {
    match value {
        Some(v) if !v.trim().is_empty() => v.to_owned(),
        _ => "unknown".to_owned(),
    }
}

/// A clickable column header: clicking sorts by `column`, clicking again reverses. `what` names the table for the
/// accessible label ("Sort regions by Country").
/// A visible ring around `response` while it has the keyboard focus: frameless buttons (table headers, a table's
/// record cells) draw nothing of their own for focus, so Tab would move through them unseen.
pub fn focus_ring(ui: &egui::Ui, response: &egui::Response) {
    if response.has_focus() {
        let stroke = egui::Stroke::new(2.0, ui.visuals().selection.stroke.color);
        ui.painter().rect_stroke(response.rect, 3.0, stroke, egui::StrokeKind::Inside);
    }
}

pub fn sort_header<C: PartialEq + Copy>(
    ui: &mut egui::Ui,
    what: &str,
    name: &str,
    column: C,
    current: &mut C,
    descending: &mut bool,
) {
    let arrow = match (*current == column, *descending) {
        (true, false) => " ▲",
        (true, true) => " ▼",
        _ => "",
    };
    let button = ui.add(egui::Button::new(RichText::new(format!("{name}{arrow}")).strong()).frame(false));
    focus_ring(ui, &button);
    let label = format!("Sort {what} by {name}");
    button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    if button.clicked() {
        if *current == column {
            *descending = !*descending;
        } else {
            *current = column;
            *descending = false;
        }
    }
}

/// "Save chart as PNG…"; true when clicked. The caller then pushes [`Command::Files(FileCmd::SaveChart)`] with the chart's rect of
/// this frame, and the shell saves exactly what is on screen, cropped to it. `what` makes the accessible label
/// unique ("Save chart as PNG: Records by policy area"). No tooltip: it could cover the chart in the screenshot.
pub fn png_button(ui: &mut egui::Ui, what: &str) -> bool {
    if on_slide(ui.ctx()) {
        return false;
    }
    let button = ui.button("Save chart as PNG…");
    let label = format!("Save chart as PNG: {what}");
    button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    button.clicked()
}

/// A button that exports tables (the shell asks for CSV or XLSX and where). `text` is the button's text.
pub fn export_button(
    ui: &mut egui::Ui,
    text: &str,
    name: &str,
    tables: impl FnOnce() -> Vec<Table>,
    actions: &mut Vec<Command>,
) {
    if on_slide(ui.ctx()) {
        return;
    }
    if ui.button(text).on_hover_text("As CSV or as an Excel workbook with native charts").clicked() {
        actions.push(Command::Files(FileCmd::ExportTables { name: name.to_owned(), tables: tables() }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG's contrast ratio of two opaque colours.
    fn contrast(a: Color32, b: Color32) -> f32 {
        let lum = |c: Color32| {
            let ch = |v: u8| {
                let v = f32::from(v) / 255.0;
                if v <= 0.039_28 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
            };
            0.2126 * ch(c.r()) + 0.7152 * ch(c.g()) + 0.0722 * ch(c.b())
        };
        let (x, y) = (lum(a), lum(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn hints_are_readable_on_both_themes() {
        for visuals in [egui::Visuals::light(), egui::Visuals::dark()] {
            let ratio = contrast(hint_color(&visuals), visuals.panel_fill);
            assert!(ratio >= 4.5, "dark {}: {ratio:.2}:1", visuals.dark_mode);
        }
    }
}
