//! The room answering from their phones: the QR code, the address and the join code, large enough to read from the
//! back of a room; the live counts; open/close answering, reveal, a new link, end; the phones (remove one); the
//! free-text lines to review before they show in the word cloud.

use eframe::egui::{self, Color32, RichText};

use super::cache::em;
use crate::command::{Command, RoundCmd};
use crate::widgets::plural;
use atlas_live::qr::QrMatrix;
use atlas_session::Live;

/// The live panel of the open round.
pub(super) fn panel(ui: &mut egui::Ui, live: &Live, actions: &mut Vec<Command>) {
    let round = &live.round;
    let e = em(ui);
    egui::Frame::group(ui.style()).inner_margin(e * 0.6).show(ui, |ui| {
        ui.horizontal(|ui| {
            let side =
                (ui.available_width() * 0.3).min(ui.ctx().content_rect().height() * 0.35).clamp(e * 9.0, e * 24.0);
            match &live.qr {
                Some((url, matrix)) => qr(ui, Some(matrix), side, url),
                None => qr(ui, None, side, ""),
            }
            ui.vertical(|ui| {
                ui.label(RichText::new("Answer from your phone").size(e * 1.6).strong());
                if round.is_answering() {
                    ui.label("Scan the code, or open this address on the same Wi-Fi and type the join code:");
                    for url in round.short_urls() {
                        ui.label(RichText::new(url).monospace().size(e * 1.4).strong());
                    }
                } else {
                    ui.label(RichText::new("Answering is closed: nothing listens.").italics());
                }
                let code = round.join_code();
                ui.label(RichText::new(format!("Join code {code}")).size(e * 1.6).strong()).on_hover_text(
                    "Phones that cannot scan open the address above and type this code; every phone's page shows it \
                     too, so people can check they are in the right round. New link draws a new one.",
                );
                if round.is_answering() {
                    for url in round.urls() {
                        ui.label(RichText::new(format!("Full link: {url}")).monospace().weak());
                    }
                }
                let counts = round.counts();
                let line = format!(
                    "{} opened the page, {} answered",
                    plural(counts.opened, "phone", "phones"),
                    counts.answered
                );
                ui.label(RichText::new(&line).size(e * 1.2))
                    .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, format!("Live: {line}")));
                controls(ui, live, actions);
                super::pace::controls(ui, live, actions);
                if let Some(reason) = &live.last_refusal {
                    ui.label(RichText::new(format!("Last answer refused: {reason}")).weak());
                }
            });
        });
        phones(ui, live, actions);
    });
}

/// The room's card while presenting: the QR code as wide as the card (and no taller than half the screen), the
/// short address and join code large, the counts and the controls.
pub(super) fn card(ui: &mut egui::Ui, live: &Live, actions: &mut Vec<Command>) {
    let round = &live.round;
    let e = em(ui);
    let side = ui.available_width().min(ui.available_height() * 0.38);
    match &live.qr {
        Some((url, matrix)) => qr(ui, Some(matrix), side, url),
        None => qr(ui, None, side, ""),
    }
    if round.is_answering() {
        ui.label("Scan the code, or open this address on the same Wi-Fi and type the join code:");
        for url in round.short_urls() {
            ui.label(RichText::new(url).monospace().size(e * 1.2).strong());
        }
    } else {
        ui.label(RichText::new("Answering is closed.").italics());
    }
    ui.label(RichText::new(format!("Join code {}", round.join_code())).size(e * 1.6).strong());
    let counts = round.counts();
    let line = format!("{} opened the page, {} answered", plural(counts.opened, "phone", "phones"), counts.answered);
    ui.label(RichText::new(&line).size(e * 1.1))
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, format!("Live: {line}")));
    controls(ui, live, actions);
    super::pace::controls(ui, live, actions);
}

fn controls(ui: &mut egui::Ui, live: &Live, actions: &mut Vec<Command>) {
    let round = &live.round;
    ui.horizontal_wrapped(|ui| {
        if round.is_answering() {
            if ui.button("Close answering").on_hover_text("Phones can no longer save; nothing listens").clicked() {
                actions.push(Command::Rounds(RoundCmd::LiveAnswering(false)));
            }
        } else if ui.button("Open answering").clicked() {
            actions.push(Command::Rounds(RoundCmd::LiveAnswering(true)));
        }
        if round.revealed() {
            if ui.button("Hide results").on_hover_text("Hide the charts until you reveal them").clicked() {
                actions.push(Command::Rounds(RoundCmd::LiveReveal(false)));
            }
        } else if ui.button("Reveal results").on_hover_text("Show the room's charts").clicked() {
            actions.push(Command::Rounds(RoundCmd::LiveReveal(true)));
        }
        if ui.button("New link").on_hover_text("A new address: the old one stops working; answers are kept").clicked() {
            actions.push(Command::Rounds(RoundCmd::LiveNewLink));
        }
        if ui.button("End live round").on_hover_text("Stop the server; the answers stay in the round").clicked() {
            actions.push(Command::Rounds(RoundCmd::LiveEnd));
        }
    });
}

/// The phones that answered (remove a participant, e.g. spam) and their free-text lines to review.
fn phones(ui: &mut egui::Ui, live: &Live, actions: &mut Vec<Command>) {
    let round = &live.round;
    let people = round.participants();
    egui::CollapsingHeader::new(format!("Phones that answered ({})", people.len())).id_salt("live_phones").show(
        ui,
        |ui| {
            for p in &people {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(&p.respondent).strong());
                    if let Some(removed) = &p.rejoined {
                        ui.label(
                            RichText::new(format!("⚠ joined from the address of removed “{removed}”"))
                                .color(ui.visuals().warn_fg_color),
                        )
                        .on_hover_text("Perhaps the same phone again with its cookies cleared: remove it too if so");
                    }
                    let details = format!(
                        "{}, {}, saved {}×",
                        plural(p.scored, "score", "scores"),
                        plural(p.ticked, "gap ticked", "gaps ticked"),
                        p.submissions
                    );
                    ui.label(&details).widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::Label, true, format!("{}: {details}", p.respondent))
                    });
                    let confirm = egui::Id::unique(("live_remove", &p.respondent));
                    let asked = ui.data(|d| d.get_temp::<bool>(confirm).unwrap_or(false));
                    if asked {
                        let yes = ui.button("Remove");
                        let label = format!("Yes, remove phone {}", p.respondent);
                        yes.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                        if yes.clicked() {
                            actions.push(Command::Rounds(RoundCmd::RemoveParticipant {
                                round: round.round().to_owned(),
                                respondent: p.respondent.clone(),
                            }));
                        }
                        if ui.button("Keep").clicked() {
                            ui.data_mut(|d| d.insert_temp(confirm, false));
                        }
                    } else {
                        let r = ui.small_button("Remove…");
                        let label = format!("Remove phone {}", p.respondent);
                        r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                        if r.clicked() {
                            ui.data_mut(|d| d.insert_temp(confirm, true));
                        }
                    }
                });
                if let Some(text) = &p.text {
                    ui.horizontal_wrapped(|ui| {
                        ui.add_space(em(ui));
                        let mut shown = p.text_shown;
                        let r = ui.checkbox(&mut shown, format!("“{text}”"));
                        let label = format!("Show the line of {} in the word cloud", p.respondent);
                        r.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, shown, &label));
                        if r.changed() {
                            actions.push(Command::Rounds(RoundCmd::LiveShowText {
                                respondent: p.respondent.clone(),
                                shown,
                            }));
                        }
                    });
                }
            }
        },
    );
    let shown = people.iter().filter(|p| p.text_shown && p.text.is_some()).count();
    if shown > 0 {
        crate::widgets::hint(
            ui,
            format!(
                "{} shown to the room: choose “Word cloud” above to see their words.",
                plural(shown, "line", "lines")
            ),
        );
    }
}

/// The QR code of the address, black on white with a quiet zone of four modules, `side` points wide.
fn qr(ui: &mut egui::Ui, matrix: Option<&QrMatrix>, side: f32, url: &str) {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(side, side), egui::Sense::hover());
    let label = format!("QR code for {url}");
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &label));
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::WHITE);
    let Some(m) = matrix else {
        painter.text(rect.center(), egui::Align2::CENTER_CENTER, "no address", egui::FontId::default(), Color32::BLACK);
        return;
    };
    let modules = m.width + 8;
    let cell = side / modules as f32;
    for y in 0..m.width {
        for x in 0..m.width {
            if m.is_dark(x, y) {
                let min = rect.min + egui::vec2((x + 4) as f32 * cell, (y + 4) as f32 * cell);
                painter.rect_filled(
                    egui::Rect::from_min_size(min, egui::vec2(cell, cell)).expand(0.25),
                    0.0,
                    Color32::BLACK,
                );
            }
        }
    }
}
