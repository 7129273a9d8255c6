//! A record's text with its coded passages highlighted in their codes' colours: select a passage (with the mouse,
//! or by its start and end), apply one or more codes, remove a coded passage. Used by every view that shows a
//! codable text (a record's description, a city profile's findings, a note). Writes are `CodingCmd`s.

use eframe::egui::{self, Color32, RichText, text::LayoutJob};

use crate::command::{CodingCmd, Command};
use crate::widgets::charts::PALETTE;
use atlas_core::records::codable::spans;
use atlas_session::annotate::Workspace;
use atlas_session::{TargetKind, char_slice};

/// The passage being chosen in one text, and the codes to apply (per database, in the runtime).
#[derive(Default, Clone)]
pub struct CodedText {
    key: (TargetKind, String),
    /// Characters `[start, end)` of the text.
    pub start: i64,
    pub end: i64,
    /// The last selection the text widget reported (so typed start/end values are not overwritten).
    last_cursor: Option<(usize, usize)>,
    /// Code uuids to apply.
    pub chosen: Vec<String>,
    /// In views with many texts (a city profile), the one open for coding.
    pub focus: Option<(TargetKind, String)>,
}

/// `#rgb` or `#rrggbb` as a colour.
pub fn parse_hex(s: &str) -> Option<Color32> {
    let h = s.trim().strip_prefix('#')?;
    let v = |i: usize, n: usize| u8::from_str_radix(h.get(i..i + n)?, 16).ok();
    match h.len() {
        3 => Some(Color32::from_rgb(v(0, 1)? * 17, v(1, 1)? * 17, v(2, 1)? * 17)),
        6 => Some(Color32::from_rgb(v(0, 2)?, v(2, 2)?, v(4, 2)?)),
        _ => None,
    }
}

pub fn to_hex(c: Color32) -> String {
    format!("#{:02x}{:02x}{:02x}", c.r(), c.g(), c.b())
}

/// A code's colour: its own, else one of the palette chosen by its uuid (always the same for a code).
pub fn code_color(ws: &Workspace, code: &str) -> Color32 {
    ws.codes.iter().find(|c| c.uuid == code).and_then(|c| c.color.as_deref()).and_then(parse_hex).unwrap_or_else(|| {
        let n = code.bytes().fold(0usize, |a, b| a.wrapping_mul(31).wrapping_add(b as usize));
        PALETTE[n % PALETTE.len()]
    })
}

/// A small square of a code's colour.
pub fn swatch(ui: &mut egui::Ui, color: Color32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
    ui.painter().rect_filled(rect, 2.0, color);
}

/// A coloured square and a code's name, as one text (so it wraps).
pub fn chip(ui: &egui::Ui, color: Color32, name: &str) -> LayoutJob {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let mut job = LayoutJob::default();
    job.append("■ ", 0.0, egui::TextFormat::simple(font.clone(), color));
    job.append(name, 0.0, egui::TextFormat::simple(font, ui.visuals().text_color()));
    job
}

/// A sort key that orders numbers by value ("9" before "10").
pub fn natural_key(s: &str) -> String {
    let mut out = String::new();
    let mut digits = String::new();
    for ch in s.chars().chain(std::iter::once('\u{0}')) {
        if ch.is_ascii_digit() {
            digits.push(ch);
            continue;
        }
        if !digits.is_empty() {
            out.push_str(&format!("{:0>8}", std::mem::take(&mut digits)));
        }
        if ch != '\u{0}' {
            out.extend(ch.to_lowercase());
        }
    }
    out
}

/// Up to `n` characters of `text`, with an ellipsis when cut.
pub fn shorten(text: &str, n: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= n {
        one_line
    } else {
        format!("{}…", one_line.chars().take(n).collect::<String>())
    }
}

/// The text laid out with each coded stretch on its first code's colour (underlined in the second's).
fn layout(
    ui: &egui::Ui,
    ws: &Workspace,
    text: &str,
    parts: &[atlas_core::records::codable::Span],
    wrap: f32,
) -> LayoutJob {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let color = ui.visuals().text_color();
    let mut job = LayoutJob::default();
    for s in parts {
        let mut format = egui::TextFormat::simple(font.clone(), color);
        if let Some(first) = s.codes.first() {
            format.background = code_color(ws, first).gamma_multiply(0.45);
        }
        if let Some(second) = s.codes.get(1) {
            format.underline = egui::Stroke::new(2.0, code_color(ws, second));
        }
        job.append(&text[s.start..s.end], 0.0, format);
    }
    job.wrap.max_width = wrap;
    job
}

/// `text` (of `kind`/`id`) with its coded passages highlighted, read-only, after `prefix`.
pub fn highlighted(ui: &mut egui::Ui, ws: &Workspace, kind: TargetKind, id: &str, prefix: &str, text: &str) {
    let codings = ws.codings_on(kind, id);
    let full = format!("{prefix}{text}");
    let shifted: Vec<atlas_core::records::codable::Span> =
        std::iter::once(atlas_core::records::codable::Span { start: 0, end: prefix.len(), codes: Vec::new() })
            .chain(spans(text, &codings).into_iter().map(|mut s| {
                s.start += prefix.len();
                s.end += prefix.len();
                s
            }))
            .filter(|s| s.end > s.start)
            .collect();
    let wrap = ui.available_width();
    let job = layout(ui, ws, &full, &shifted, wrap);
    ui.add(egui::Label::new(job).wrap());
}

/// Draws `text` (of `kind`/`id`, called `label` in controls' names) with its coded passages, the passage chooser,
/// the codes menu and the list of coded passages.
#[allow(clippy::too_many_arguments)]
pub fn show(
    ui: &mut egui::Ui,
    ws: &Workspace,
    sel: &mut CodedText,
    kind: TargetKind,
    id: &str,
    text: &str,
    label: &str,
    actions: &mut Vec<Command>,
) {
    let key = (kind, id.to_owned());
    if sel.key != key {
        let (chosen, focus) = (std::mem::take(&mut sel.chosen), sel.focus.take());
        *sel = CodedText { key, chosen, focus, ..Default::default() };
    }
    let codings = ws.codings_on(kind, id);
    let parts = spans(text, &codings);
    let mut layouter = |ui: &egui::Ui, _: &dyn egui::TextBuffer, wrap: f32| {
        ui.painter().layout_job(layout(ui, ws, text, &parts, wrap))
    };
    let mut buffer: &str = text;
    let out = egui::TextEdit::multiline(&mut buffer)
        .desired_width(f32::INFINITY)
        .desired_rows(2)
        .frame(egui::Frame::NONE)
        .layouter(&mut layouter)
        .show(ui);
    let name = format!("Text of {label}");
    out.response.response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, &name));
    if let Some(range) = out.cursor_range.filter(|r| !r.is_empty()) {
        let r = range.as_sorted_char_range();
        let now = (r.start.0, r.end.0);
        if sel.last_cursor != Some(now) {
            sel.last_cursor = Some(now);
            (sel.start, sel.end) = (now.0 as i64, now.1 as i64);
        }
    }
    passage_row(ui, ws, sel, kind, id, text, label, actions);
    coded_list(ui, ws, &codings, label, actions);
}

/// The passage (start and end, what it reads), the codes to apply and the Apply button.
#[allow(clippy::too_many_arguments)]
fn passage_row(
    ui: &mut egui::Ui,
    ws: &Workspace,
    sel: &mut CodedText,
    kind: TargetKind,
    id: &str,
    text: &str,
    label: &str,
    actions: &mut Vec<Command>,
) {
    let len = text.chars().count() as i64;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Passage:").strong());
        let start = ui.add(egui::DragValue::new(&mut sel.start).range(0..=len).prefix("from "));
        let start_name = format!("Passage start in {label}");
        start.widget_info(|| egui::WidgetInfo::labeled(egui::Role::SpinButton, true, &start_name));
        let end = ui.add(egui::DragValue::new(&mut sel.end).range(0..=len).prefix("to "));
        let end_name = format!("Passage end in {label}");
        end.widget_info(|| egui::WidgetInfo::labeled(egui::Role::SpinButton, true, &end_name));
        match char_slice(text, sel.start, sel.end) {
            Some(p) => ui.label(RichText::new(format!("“{}”", shorten(&p, 60))).italics()),
            None => ui.label(RichText::new("select words in the text above, or set the start and end").weak()),
        };
    });
    let codes: Vec<(String, String)> = {
        let mut v: Vec<(String, String)> = ws.live_codes().map(|c| (c.uuid.clone(), ws.code_path(&c.uuid))).collect();
        v.sort_by_cached_key(|a| natural_key(&a.1));
        v
    };
    sel.chosen.retain(|c| codes.iter().any(|(u, _)| u == c));
    if codes.is_empty() {
        ui.label(RichText::new("No codes yet: add some (or the OECD codebook) in the Codes view.").weak());
        return;
    }
    ui.vertical(|ui| {
        let header = egui::CollapsingHeader::new(format!("Codes to apply ({})", sel.chosen.len()))
            .id_salt(("codes_to_apply", kind, id))
            .show(ui, |ui| {
                for (uuid, path) in &codes {
                    let on = sel.chosen.contains(uuid);
                    let depth = path.matches(" > ").count();
                    let leaf = path.rsplit(" > ").next().unwrap_or(path);
                    let r = ui
                        .horizontal_wrapped(|ui| {
                            ui.add_space(12.0 * depth as f32);
                            ui.selectable_label(on, chip(ui, code_color(ws, uuid), leaf)).on_hover_text(path.as_str())
                        })
                        .inner;
                    let n = format!("Choose code {path}");
                    r.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, on, &n));
                    if r.clicked() {
                        if on {
                            sel.chosen.retain(|c| c != uuid);
                        } else {
                            sel.chosen.push(uuid.clone());
                        }
                    }
                }
            });
        let menu_name = format!("Codes to apply in {label}");
        header.header_response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &menu_name));
        let ready = !sel.chosen.is_empty() && char_slice(text, sel.start, sel.end).is_some();
        let apply = ui.add_enabled(ready, egui::Button::new("Apply to passage"));
        let apply_name = format!("Apply codes to the passage in {label}");
        apply.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, ready, &apply_name));
        if apply.clicked() {
            actions.push(Command::Codings(CodingCmd::Apply {
                codes: sel.chosen.clone(),
                kind,
                id: id.to_owned(),
                start: sel.start,
                end: sel.end,
            }));
        }
    });
}

/// The coded passages of this text, each with its code, author and a Remove button.
fn coded_list(
    ui: &mut egui::Ui,
    ws: &Workspace,
    codings: &[&atlas_session::Coding],
    label: &str,
    actions: &mut Vec<Command>,
) {
    if codings.is_empty() {
        return;
    }
    ui.label(RichText::new(format!("Coded passages ({})", codings.len())).strong());
    for (i, c) in codings.iter().enumerate() {
        ui.horizontal_wrapped(|ui| {
            swatch(ui, code_color(ws, &c.code));
            let path = ws.code_path(&c.code);
            ui.label(RichText::new(&path).strong());
            ui.label(format!("“{}”", shorten(&c.excerpt, 70)));
            ui.label(RichText::new(format!("by {}", c.author)).small().weak());
            let remove = ui.small_button("Remove");
            let name = format!("Remove coded passage {} ({path}) in {label}", i + 1);
            remove.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
            if remove.clicked() {
                actions.push(Command::Codings(CodingCmd::Remove(vec![c.uuid.clone()])));
            }
        });
    }
}
