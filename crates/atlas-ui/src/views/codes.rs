//! The Codes view: the code tree with coded-passage counts, each code's colour and description, the OECD's own
//! coding frame as a ready codebook, the coded excerpts of a code with their records and authors, the coded
//! passages whose text changed (to review), and REFI-QDA exchange (export a project or codebook, import from a
//! QDA tool after a check).

use eframe::egui::{self, RichText};

use crate::command::{CodingCmd, Command, NoteCmd, Target};
pub use crate::state::CodesState;
use crate::state::{UiState, View};
use crate::widgets::charts::PALETTE;
use crate::widgets::coded_text::{code_color, natural_key, shorten, swatch, to_hex};
use atlas_session::annotate::Workspace;
use atlas_session::{Anchor, Coding, ReadModel};

/// What an import would do, shown before anything is written.
#[derive(Debug, Clone, Default)]
pub struct QdaCheck {
    pub path: String,
    pub summary: String,
    pub skipped: Vec<String>,
    /// Sources the atlas does not hold: name and coded passages in it.
    pub foreign: Vec<(String, usize)>,
    /// The same sources as own-record forms (title and text filled in).
    pub drafts: Vec<atlas_core::records::record_form::RecordDraft>,
}

/// The Codes view's buffers: the description being typed, a new code's name, a checked import.
#[derive(Default)]
pub struct CodesRuntime {
    description: Option<(String, String)>,
    new_code: String,
    pub check: Option<QdaCheck>,
}

/// A readable name of a coded record, and what opens it.
pub fn record_name(session: &ReadModel, kind: atlas_session::TargetKind, id: &str) -> (String, Option<Command>) {
    let atlas = &session.atlas;
    match kind.as_str() {
        "challenge" | "practice" => match atlas.evidence.iter().find(|e| e.id == id) {
            Some(e) => (format!("{} {} ({})", e.id, e.title, e.city_name), Some(Command::record(id))),
            None => (format!("{kind} {id} (gone)"), None),
        },
        "user_record" => match session.workspace.records.iter().find(|r| r.uuid == id) {
            Some(r) => (format!("{} {} (own record)", r.id, r.title), Some(Command::record(r.id.clone()))),
            None => ("an own record (gone)".to_owned(), None),
        },
        "city_text" => {
            let city = atlas
                .cities
                .iter()
                .find(|c| c.governance.iter().chain(&c.findings).chain(&c.recommendations).any(|t| t.id == id));
            match city {
                Some(c) => (format!("{}: city profile text {id}", c.name), Some(Command::city(c.id.clone()))),
                None => (format!("city profile text {id} (gone)"), None),
            }
        }
        "note" => match session.workspace.notes.iter().find(|n| n.uuid == id) {
            Some(n) => (
                format!("Note by {}: {}", n.author, shorten(&n.text, 40)),
                Some(Command::open(Target::Note(id.to_owned()))),
            ),
            None => ("a note (gone)".to_owned(), None),
        },
        _ => (format!("{kind} {id}"), None),
    }
}

/// Live codes as (uuid, path), sorted by path.
pub fn code_list(ws: &Workspace) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = ws.live_codes().map(|c| (c.uuid.clone(), ws.code_path(&c.uuid))).collect();
    v.sort_by_cached_key(|a| natural_key(&a.1));
    v
}

fn button(ui: &mut egui::Ui, text: &str, name: &str) -> bool {
    let r = ui.button(text);
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
    r.clicked()
}

fn tools(ui: &mut egui::Ui, rt: &mut CodesRuntime, actions: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        if button(ui, "Add the OECD codebook", "Add the OECD codebook") {
            actions.push(Command::Codings(CodingCmd::AddOecdCodebook));
        }
        if button(ui, "Export REFI-QDA project (.qdpx)…", "Export REFI-QDA project (.qdpx)…") {
            actions.push(Command::Codings(CodingCmd::ExportQda { project: true }));
        }
        if button(ui, "Export codebook (.qdc)…", "Export codebook (.qdc)…") {
            actions.push(Command::Codings(CodingCmd::ExportQda { project: false }));
        }
        if button(ui, "Import from a QDA tool…", "Import from a QDA tool…") {
            actions.push(Command::Codings(CodingCmd::OpenQdaImport));
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label("New code:");
        let edit = ui
            .add(egui::TextEdit::singleline(&mut rt.new_code).desired_width(200.0).hint_text("a > b"))
            .labelled_by(label.id);
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (button(ui, "Add code", "Add code") || enter) && !rt.new_code.trim().is_empty() {
            let name = std::mem::take(&mut rt.new_code).trim().to_owned();
            actions.push(Command::Notes(NoteCmd::AddCode { name, parent: None, on_note: None }));
        }
    });
}

fn import_check(ui: &mut egui::Ui, check: &QdaCheck, actions: &mut Vec<Command>) {
    egui::Frame::group(ui.style()).fill(ui.visuals().faint_bg_color).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new(format!("Import check of {}", check.path)).strong());
        ui.label(&check.summary);
        ui.label(RichText::new("Nothing has been written yet.").weak());
        if !check.foreign.is_empty() {
            ui.label(
                RichText::new("Sources this atlas does not hold (not imported; add them as own records):").strong(),
            );
            for (i, (name, n)) in check.foreign.iter().enumerate().take(12) {
                ui.horizontal_wrapped(|ui| {
                    ui.label(format!("• {name} ({n} coded passages)"));
                    if button(ui, "Add as own record…", &format!("Add {name} as an own record")) {
                        actions.push(Command::Codings(CodingCmd::ForeignAsRecord(i)));
                    }
                });
            }
            if check.foreign.len() > 12 {
                ui.label(format!("… and {} more", check.foreign.len() - 12));
            }
        }
        if !check.skipped.is_empty() {
            ui.label(RichText::new("Skipped:").strong());
            for line in check.skipped.iter().take(8) {
                ui.label(format!("• {line}"));
            }
            if check.skipped.len() > 8 {
                ui.label(format!("… and {} more", check.skipped.len() - 8));
            }
        }
        ui.horizontal(|ui| {
            if button(ui, "Import now", "Import now") {
                actions.push(Command::Codings(CodingCmd::ImportQda(check.path.clone())));
            }
            if button(ui, "Cancel import", "Cancel import") {
                actions.push(Command::Codings(CodingCmd::CancelQdaImport));
            }
        });
    });
}

fn tree(ui: &mut egui::Ui, ws: &Workspace, state: &mut CodesState) {
    let codes = code_list(ws);
    if codes.is_empty() {
        ui.label(RichText::new("No codes yet: add one above, or the OECD codebook.").italics());
    }
    for (uuid, path) in &codes {
        let depth = path.matches(" > ").count();
        let name = path.rsplit(" > ").next().unwrap_or(path);
        let n = ws.coding_count_with_children(uuid);
        ui.horizontal(|ui| {
            ui.add_space(14.0 * depth as f32);
            swatch(ui, code_color(ws, uuid));
            let on = state.selected.as_deref() == Some(uuid.as_str());
            let r = ui.selectable_label(on, format!("{name} ({n})"));
            let label = format!("Code {path} ({n} coded passages)");
            r.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, on, &label));
            if r.clicked() {
                state.selected = if on { None } else { Some(uuid.clone()) };
            }
        });
    }
}

/// Colour, description and the coded excerpts of the selected code.
fn code_detail(
    ui: &mut egui::Ui,
    session: &ReadModel,
    state: &mut CodesState,
    rt: &mut CodesRuntime,
    actions: &mut Vec<Command>,
) {
    let ws = &session.workspace;
    let Some(code) = state.selected.clone().and_then(|u| ws.live_codes().find(|c| c.uuid == u).cloned()) else {
        ui.label(RichText::new("Choose a code on the left to see its colour, description and coded excerpts.").weak());
        return;
    };
    let path = ws.code_path(&code.uuid);
    ui.horizontal(|ui| {
        swatch(ui, code_color(ws, &code.uuid));
        ui.label(RichText::new(&path).size(19.0).strong());
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("Colour:");
        for (i, c) in PALETTE.iter().enumerate() {
            let r = ui.add(egui::Button::new("").fill(*c).min_size(egui::vec2(20.0, 20.0)));
            let name = format!("Colour {} for {path}", i + 1);
            r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
            if r.clicked() {
                actions
                    .push(Command::Codings(CodingCmd::SetColor { code: code.uuid.clone(), color: Some(to_hex(*c)) }));
            }
        }
        if button(ui, "No colour", &format!("No colour for {path}")) {
            actions.push(Command::Codings(CodingCmd::SetColor { code: code.uuid.clone(), color: None }));
        }
        ui.label(RichText::new(code.color.clone().unwrap_or_else(|| "no colour set".to_owned())).weak());
    });
    if rt.description.as_ref().is_none_or(|(u, _)| *u != code.uuid) {
        rt.description = Some((code.uuid.clone(), code.description.clone().unwrap_or_default()));
    }
    if let Some((_, text)) = &mut rt.description {
        let label = ui.label("Description:");
        ui.add(egui::TextEdit::multiline(text).desired_rows(2).desired_width(f32::INFINITY)).labelled_by(label.id);
        let changed = *text != code.description.clone().unwrap_or_default();
        if ui.add_enabled(changed, egui::Button::new("Save description")).clicked() {
            actions.push(Command::Codings(CodingCmd::SetDescription {
                code: code.uuid.clone(),
                description: text.clone(),
            }));
        }
    }
    ui.add_space(8.0);
    let excerpts = ws.excerpts(&code.uuid, state.with_children);
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("Coded excerpts ({})", excerpts.len())).size(17.0).strong());
        ui.checkbox(&mut state.with_children, "Include the codes below it");
    });
    if excerpts.is_empty() {
        ui.label(RichText::new("No passage is coded with this code yet.").weak());
    }
    for (i, c) in excerpts.iter().enumerate() {
        excerpt_row(ui, session, c, &format!("excerpt {}", i + 1), actions);
    }
}

fn excerpt_row(ui: &mut egui::Ui, session: &ReadModel, c: &Coding, name: &str, actions: &mut Vec<Command>) {
    let (record, open) = record_name(session, c.target_kind, &c.target_id);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            let link = ui.link(RichText::new(&record).strong());
            let label = format!("Open the record of {name}");
            link.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Link, true, &label));
            if link.clicked()
                && let Some(cmd) = open.clone()
            {
                actions.push(cmd);
            }
            ui.label(RichText::new(format!("by {}, {}", c.author, c.created_at.get(..10).unwrap_or(""))).weak());
            swatch(ui, code_color(&session.workspace, &c.code));
            ui.label(RichText::new(session.workspace.code_path(&c.code)).small());
        });
        ui.label(format!("“{}”", c.excerpt));
    });
}

/// Coded passages whose text changed since they were coded.
fn review(ui: &mut egui::Ui, session: &ReadModel, actions: &mut Vec<Command>) {
    let list = session.workspace.codings_to_review(&session.atlas);
    crate::widgets::section(ui, &format!("Coded passages to review ({})", list.len()));
    if list.is_empty() {
        ui.label(RichText::new("None: every coded passage sits on the text it was coded in.").weak());
        return;
    }
    for (i, (c, anchor)) in list.iter().enumerate() {
        let (record, _) = record_name(session, c.target_kind, &c.target_id);
        let status = match anchor {
            Anchor::Unchanged => "the text changed; the passage still reads the same here",
            Anchor::Moved { .. } => "the text changed; the passage was found at another place",
            Anchor::NeedsReview => "the text changed; the passage is no longer in it",
            Anchor::Missing => "the record or its text is gone",
            Anchor::Current => "current",
        };
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&record).strong());
            ui.label(format!("“{}”: {status}.", shorten(&c.excerpt, 60)));
            let (start, end) = match anchor {
                Anchor::Moved { start, end } => (Some(*start), Some(*end)),
                Anchor::Unchanged => (Some(c.start), Some(c.end)),
                _ => (None, None),
            };
            if let (Some(start), Some(end)) = (start, end)
                && button(ui, "Accept", &format!("Accept the new place of passage {} to review", i + 1))
            {
                actions.push(Command::Codings(CodingCmd::Reanchor { uuid: c.uuid.clone(), start, end }));
            }
            if button(ui, "Remove", &format!("Remove passage {} to review", i + 1)) {
                actions.push(Command::Codings(CodingCmd::Remove(vec![c.uuid.clone()])));
            }
        });
    }
}

/// The Codes view.
pub struct Codes;

impl super::AtlasView for Codes {
    fn id(&self) -> View {
        View::Codes
    }

    fn purpose(&self) -> &'static str {
        "The code tree with coded passages counted, each code's colour and description, the OECD's own coding frame \
         as a ready codebook, the coded excerpts of a code with their records, and REFI-QDA exchange with other QDA \
         tools."
    }

    fn ui(&self, ui: &mut egui::Ui, cx: &mut super::ViewCx<'_>) {
        let session = cx.session;
        let rt = cx.rt.view::<CodesRuntime>(View::Codes);
        let state = &mut cx.state.codes;
        egui::Panel::left("codes_tree").resizable(true).default_size(380.0).show(ui, |ui| {
            ui.label(RichText::new("Codes").size(19.0).strong());
            if !crate::widgets::on_slide(ui.ctx()) {
                tools(ui, rt, cx.commands);
            }
            ui.separator();
            egui::ScrollArea::vertical().id_salt("codes_tree_scroll").show(ui, |ui| {
                tree(ui, &session.workspace, state);
            });
        });
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().id_salt("codes_detail_scroll").show(ui, |ui| {
                if let Some(check) = &rt.check {
                    import_check(ui, check, cx.commands);
                    ui.add_space(8.0);
                }
                code_detail(ui, session, state, rt, cx.commands);
                review(ui, session, cx.commands);
            });
        });
    }

    fn open(&self, _state: &mut UiState, _target: &Target) -> bool {
        false
    }
}
