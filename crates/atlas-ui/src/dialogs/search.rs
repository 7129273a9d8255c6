//! Ctrl+F: one search box over every record kind, results grouped by kind; a click, or Up/Down and Enter, opens
//! the record's view; Esc closes. The query runs before the frame is drawn (the shell calls
//! [`GlobalSearch::refresh`]), never while drawing. It lives in the per-database runtime, so its results always
//! belong to the open database.

use eframe::egui::{self, Key, RichText};

use crate::command::{Command, Commands, Target};
use crate::state::View;
use atlas_session::Session;

#[derive(Default)]
pub struct GlobalSearch {
    pub open: bool,
    pub text: String,
    focus: bool,
    last: Option<String>,
    results: Vec<(String, String, String)>,
    error: Option<String>,
    /// The result chosen with Up/Down (position in the grouped order).
    selected: Option<usize>,
}

/// Record kinds in the order results are grouped, with their headings.
const KINDS: [(&str, &str); 12] = [
    ("challenge", "Challenges"),
    ("practice", "Practices"),
    ("city", "Cities"),
    ("objective", "Checklist objectives"),
    ("region", "Regions"),
    ("survey", "Surveys"),
    ("survey_figure", "Survey figures"),
    ("institution", "Institutions"),
    ("coordination_tool", "Coordination tools"),
    ("finding", "Findings of the report"),
    ("governance_cell", "Who does what"),
    ("note", "Notes"),
];

impl GlobalSearch {
    pub fn open(&mut self) {
        self.open = true;
        self.focus = true;
    }

    /// The display title of a hit, from the in-memory data (the index holds folded text).
    fn title(session: &Session, kind: &str, id: &str) -> String {
        let a = &session.atlas;
        match kind {
            "challenge" | "practice" => {
                a.evidence.iter().find(|e| e.id == id).map(|e| format!("{} {} ({})", e.id, e.title, e.city_name))
            }
            "city" => a.city(id).map(|c| format!("{} — {}", c.name, c.country_name)),
            "objective" => a
                .objectives
                .iter()
                .find(|o| o.number.to_string() == id)
                .map(|o| format!("Objective {}: {}", o.number, o.short_title)),
            "region" => a.region(id).map(|r| format!("{} {} ({})", r.code, r.name, r.country_name)),
            "survey" => a.surveys.iter().find(|s| s.id == id).map(|s| s.title.clone()),
            "survey_figure" => {
                a.survey_figures.iter().find(|f| f.id == id).map(|f| format!("{}: {}", f.value_text, f.measures))
            }
            "institution" => a.institutions.iter().find(|i| i.id == id).map(|i| {
                format!(
                    "{} — {}: {}",
                    i.country_name.clone().unwrap_or_else(|| i.country.clone()),
                    i.level,
                    i.body.clone().unwrap_or_default()
                )
            }),
            "coordination_tool" => a.coordination_tools.iter().find(|t| t.id == id).map(|t| t.name.clone()),
            "finding" => a.findings.iter().find(|f| f.id == id).map(|f| format!("{}: {}", f.theme, f.statement)),
            "governance_cell" => a
                .governance
                .cells
                .iter()
                .find(|c| c.id == id)
                .map(|c| format!("{} — {}, {}: {}", c.country_name, c.level, c.area, c.body)),
            "note" => session.workspace.notes.iter().find(|n| n.uuid == id).map(|n| {
                let first = n.text.lines().next().unwrap_or("").chars().take(60).collect::<String>();
                format!("{}: {first}", n.author)
            }),
            _ => None,
        }
        .unwrap_or_else(|| id.to_owned())
    }

    fn command(session: &Session, kind: &str, id: &str) -> Command {
        match kind {
            "note" => session
                .workspace
                .notes
                .iter()
                .find(|n| n.uuid == id)
                .map_or(Command::go(View::Notes), Command::note_target),
            "challenge" | "practice" => Command::record(id),
            "city" => Command::city(id),
            "region" => Command::region(id),
            "objective" => Command::go(View::Checklist),
            "institution" => session
                .atlas
                .institutions
                .iter()
                .find(|i| i.id == id)
                .map_or(Command::go(View::Governance), |i| Command::open(Target::Country(i.country.clone()))),
            "coordination_tool" => Command::go(View::Governance),
            "governance_cell" => session
                .atlas
                .governance
                .cells
                .iter()
                .find(|c| c.id == id)
                .map_or(Command::go(View::Governance), |c| Command::open(Target::Country(c.country.clone()))),
            "finding" => Command::go(View::Home),
            _ => Command::go(View::Survey),
        }
    }

    /// Runs the query when the text changed since the last run (called before the frame is drawn).
    pub fn refresh(&mut self, session: &Session) {
        if !self.open || self.last.as_deref() == Some(self.text.as_str()) {
            return;
        }
        self.last = Some(self.text.clone());
        self.selected = None;
        match session.search_all(&self.text, 400) {
            Ok(r) => {
                // Notes deleted since the index was written lead nowhere: leave them out.
                self.results = r
                    .into_iter()
                    .filter(|(k, id, _)| {
                        k != "note" || session.workspace.notes.iter().any(|n| &n.uuid == id && n.deleted_at.is_none())
                    })
                    .collect();
                self.error = None;
            }
            Err(e) => {
                self.results.clear();
                self.error = Some(e);
            }
        }
    }

    /// The results in the order shown (grouped by kind).
    fn ordered(&self) -> Vec<(&'static str, &'static str, &str)> {
        let mut out = Vec::new();
        for (kind, heading) in KINDS {
            for (k, id, _) in &self.results {
                if k == kind {
                    out.push((kind, heading, id.as_str()));
                }
            }
        }
        out
    }

    pub fn show(&mut self, ctx: &egui::Context, session: &Session, commands: &mut Commands) {
        if !self.open {
            return;
        }
        let ordered: Vec<(&str, &str, String)> =
            self.ordered().into_iter().map(|(k, h, id)| (k, h, id.to_owned())).collect();
        let (down, up, enter, escape) = ctx.input(|i| {
            (
                i.key_pressed(Key::ArrowDown),
                i.key_pressed(Key::ArrowUp),
                i.key_pressed(Key::Enter),
                i.key_pressed(Key::Escape),
            )
        });
        if !ordered.is_empty() {
            if down {
                self.selected = Some(self.selected.map_or(0, |s| (s + 1).min(ordered.len() - 1)));
            }
            if up {
                self.selected = Some(self.selected.map_or(0, |s| s.saturating_sub(1)));
            }
        }
        let mut chosen = None;
        if enter && let Some(i) = self.selected.or((ordered.len() == 1).then_some(0)) {
            chosen = ordered.get(i).map(|(k, _, id)| Self::command(session, k, id));
        }
        let mut open = self.open;
        egui::Window::new("Search everything").open(&mut open).default_size([560.0, 480.0]).collapsible(false).show(
            ctx,
            |ui| {
                let label = ui.label("Search all records:");
                let edit = ui.add(
                    egui::TextEdit::singleline(&mut self.text)
                        .hint_text("e.g. housing, goteborg, funding")
                        .desired_width(f32::INFINITY),
                );
                let edit = edit.labelled_by(label.id);
                if self.focus {
                    edit.request_focus();
                    self.focus = false;
                }
                if self.last.as_deref() != Some(self.text.as_str()) {
                    ctx.request_repaint();
                }
                if let Some(e) = &self.error {
                    ui.label(RichText::new(format!("Invalid search: {e}")).color(ui.visuals().error_fg_color));
                } else if !self.text.trim().is_empty() && self.results.is_empty() {
                    ui.label("No results.");
                } else if !ordered.is_empty() {
                    ui.label(RichText::new("Up/Down choose a result, Enter opens it, Esc closes.").small().weak());
                }
                egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                    let mut heading_shown = "";
                    for (i, (kind, heading, id)) in ordered.iter().enumerate() {
                        if heading_shown != *heading {
                            heading_shown = heading;
                            let n = ordered.iter().filter(|(k, _, _)| k == kind).count();
                            ui.add_space(6.0);
                            ui.label(RichText::new(format!("{heading} ({n})")).strong());
                        }
                        let mut title = Self::title(session, kind, id);
                        let notes =
                            atlas_session::TargetKind::parse(kind).map_or(0, |k| session.workspace.note_count(k, id));
                        if notes > 0 {
                            title.push_str(&format!("  ✎ {notes}"));
                        }
                        let on = self.selected == Some(i);
                        let r = ui.selectable_label(on, &title);
                        if on && (down || up) {
                            r.scroll_to_me(None);
                        }
                        if r.clicked() {
                            chosen = Some(Self::command(session, kind, id));
                        }
                    }
                });
            },
        );
        if let Some(command) = chosen {
            commands.push(command);
            open = false;
        }
        self.open = open && !escape;
    }
}
