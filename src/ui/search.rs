//! Ctrl+F: one search box over every record kind, results grouped by kind; a click opens the record's view.

use eframe::egui::{self, RichText};

use super::app::{Action, Session, View};

#[derive(Default)]
pub struct GlobalSearch {
    pub open: bool,
    pub text: String,
    focus: bool,
    last: Option<String>,
    results: Vec<(String, String, String)>,
    error: Option<String>,
}

/// Record kinds in the order results are grouped, with their headings.
const KINDS: [(&str, &str); 10] = [
    ("challenge", "Challenges"),
    ("practice", "Practices"),
    ("city", "Cities"),
    ("objective", "Checklist objectives"),
    ("region", "Regions"),
    ("survey", "Surveys"),
    ("survey_figure", "Survey figures"),
    ("institution", "Institutions"),
    ("coordination_tool", "Coordination tools"),
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
            "note" => session.workspace.notes.iter().find(|n| n.uuid == id).map(|n| {
                let first = n.text.lines().next().unwrap_or("").chars().take(60).collect::<String>();
                format!("{}: {first}", n.author)
            }),
            _ => None,
        }
        .unwrap_or_else(|| id.to_owned())
    }

    fn action(session: &Session, kind: &str, id: &str) -> Action {
        match kind {
            "note" => session
                .workspace
                .notes
                .iter()
                .find(|n| n.uuid == id)
                .map_or(Action::Go(View::Notes), super::notes::open_target),
            "challenge" | "practice" => Action::ShowRecord(id.to_owned()),
            "city" => Action::OpenCity(id.to_owned()),
            "region" => Action::OpenRegion(id.to_owned()),
            "objective" | "institution" | "coordination_tool" => Action::Go(View::Checklist),
            _ => Action::Go(View::Survey),
        }
    }

    pub fn show(&mut self, ctx: &egui::Context, session: &Session) -> Vec<Action> {
        let mut actions = Vec::new();
        if !self.open {
            return actions;
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
                    self.last = Some(self.text.clone());
                    match session.store.search_all(&self.text, 400) {
                        Ok(r) => {
                            self.results = r;
                            self.error = None;
                        }
                        Err(e) => {
                            self.results.clear();
                            self.error = Some(e.to_string());
                        }
                    }
                }
                if let Some(e) = &self.error {
                    ui.label(RichText::new(format!("Invalid search: {e}")).color(ui.visuals().error_fg_color));
                } else if !self.text.trim().is_empty() && self.results.is_empty() {
                    ui.label("No results.");
                }
                egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                    for (kind, heading) in KINDS {
                        let hits: Vec<_> = self.results.iter().filter(|(k, _, _)| k == kind).collect();
                        if hits.is_empty() {
                            continue;
                        }
                        ui.label(RichText::new(format!("{heading} ({})", hits.len())).strong());
                        for (_, id, _) in hits {
                            let mut title = Self::title(session, kind, id);
                            let notes = session.workspace.note_count(kind, id);
                            if notes > 0 {
                                title.push_str(&format!("  ✎ {notes}"));
                            }
                            if ui.link(&title).clicked() {
                                actions.push(Self::action(session, kind, id));
                            }
                        }
                        ui.add_space(6.0);
                    }
                });
            },
        );
        self.open = open && actions.is_empty();
        actions
    }
}
