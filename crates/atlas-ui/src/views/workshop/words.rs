//! The Workshop's word cloud: the words of the open lines ("the one thing that blocks co-ordination here") that
//! the facilitator chose to show, stop words of the page's eight languages left out. In the window, presenting and
//! on a slide; hidden like the charts until Reveal while the room answers; saved as PNG and its words and counts
//! exported as CSV or XLSX, also while the round is live.

use eframe::egui::{self, RichText};

use super::cache::em;
use crate::command::{Command, FileCmd};
use crate::widgets::{self, plural, word_cloud};
use atlas_export::{Cell, Table};

/// What the cloud is drawn from.
pub(super) struct Words<'a> {
    pub title: &'a str,
    /// Lines shown, and their words (most frequent first).
    pub lines: usize,
    pub words: &'a [(String, usize)],
    /// The room answers now with the results hidden.
    pub hidden: bool,
}

pub(super) fn panel(ui: &mut egui::Ui, w: &Words<'_>, actions: &mut Vec<Command>) {
    let e = em(ui);
    ui.label(RichText::new("What blocks co-ordination here").size(e * 1.25).strong());
    if w.hidden {
        ui.label(RichText::new("The word cloud is hidden until you reveal the results, like the charts.").italics());
        return;
    }
    if w.words.is_empty() {
        let why = if w.lines == 0 {
            "No line shown yet: under “Phones that answered”, tick the lines the room may see."
        } else {
            "The lines shown hold no words to count yet (only short and common words)."
        };
        ui.label(RichText::new(why).italics());
        return;
    }
    widgets::hint(
        ui,
        format!(
            "Words of the {} you chose to show, larger when more frequent; common words of the eight languages \
             left out.",
            plural(w.lines, "line", "lines")
        ),
    );
    let reserve = if widgets::on_slide(ui.ctx()) { e * 0.5 } else { e * 3.0 };
    let size = egui::vec2(ui.available_width(), (ui.available_height() - reserve).max(e * 10.0));
    let rect = word_cloud::word_cloud(ui, "workshop_words", w.words, size, &format!("Word cloud of {}", w.title));
    ui.horizontal(|ui| {
        let name = format!("{}-word-cloud", atlas_export::tables::slug(w.title));
        if widgets::png_button(ui, "word cloud") {
            actions.push(Command::Files(FileCmd::SaveChart { name: name.clone(), rect }));
        }
        widgets::export_button(ui, "Export words and counts…", &name, || vec![table(w)], actions);
    });
}

/// The words and their counts, as drawn (and those beyond the cloud's 60).
fn table(w: &Words<'_>) -> Table {
    let mut t = Table::new(&format!("Word cloud of {}", w.title), &["Word", "Count"]);
    t.rows = w.words.iter().map(|(word, n)| vec![Cell::from(word.as_str()), Cell::from(*n)]).collect();
    t
}
