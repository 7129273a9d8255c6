//! Who does what: per country, the levels of government × policy areas with the body responsible and its role
//! (every entry sourced and tagged, gaps shown as gaps), the coordination challenges recorded between two levels,
//! and the six co-ordination instruments.

use eframe::egui::{self, RichText};

use crate::command::{Command, Target};
use crate::state::{UiState, View};
use crate::widgets::{self, findings};
use atlas_analysis::governance::{self, Grid};
use atlas_core::model::{Atlas, GovernanceCell};
use atlas_session::ReadModel;

const LEVEL_WIDTH: f32 = 104.0;
const MIN_CELL_WIDTH: f32 = 112.0;
const GAP_TEXT: &str = "gap: no source available to us";

/// The country shown: the saved one if the grid has it, else the first.
fn country(atlas: &Atlas, state: &UiState) -> Option<(String, String)> {
    let all = governance::countries(atlas);
    all.iter().find(|(iso, _)| *iso == state.governance_country).or(all.first()).cloned()
}

pub fn show(ui: &mut egui::Ui, atlas: &Atlas, state: &mut UiState, actions: &mut Vec<Command>) {
    // Both ways, so the grid's last columns are reachable with the scroll bar at the bottom of the window (not under
    // a grid taller than the window).
    egui::ScrollArea::both().auto_shrink([false, false]).show(ui, |ui| {
        let Some((iso, name)) = country(atlas, state) else {
            ui.heading("Who does what");
            ui.label("This database holds no who-does-what entries.");
            return;
        };
        let slide = crate::widgets::on_slide(ui.ctx());
        let Some(grid) = governance::grid(atlas, &iso) else { return };
        if slide {
            // A slide: the slide's own title is above it; the grid alone, compact, so every level fits on one
            // screen (roles, sources and doubts are in the window, the handout and the exports).
            slide_grid(ui, &grid, &name);
            return;
        }
        ui.heading(format!("Who does what — {name}"));
        picker(ui, atlas, &iso, &name, state);
        let (filled, gaps) = grid.filled_and_gaps();
        let summary =
            format!("{filled} cells filled, {gaps} gaps, in {} entries", grid.cells.iter().flatten().flatten().count());
        ui.label(RichText::new(&summary).strong());
        if !grid.cities.is_empty() {
            let names: Vec<&str> =
                grid.cities.iter().map(|id| atlas.city(id).map_or(id.as_str(), |c| c.name.as_str())).collect();
            ui.label(format!("From the case studies of {}.", names.join(", ")));
        }
        if let Some(note) = &atlas.governance.note {
            ui.label(RichText::new(note).small().weak());
        }
        ui.add_space(6.0);
        table(ui, atlas, &grid);
        findings::compact(ui, atlas, "governance", actions);
        challenges(ui, atlas, &iso, &name, actions);
        instruments(ui, atlas, &iso);
    });
}

fn picker(ui: &mut egui::Ui, atlas: &Atlas, iso: &str, name: &str, state: &mut UiState) {
    ui.horizontal(|ui| {
        ui.label("Country:");
        let combo =
            egui::ComboBox::from_id_salt("governance_country").height(400.0).selected_text(name).show_ui(ui, |ui| {
                for (code, country) in governance::countries(atlas) {
                    let on = code == iso;
                    let r = ui.selectable_value(&mut state.governance_country, code, &country);
                    let l = format!("Country {country}");
                    r.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, on, &l));
                }
            });
        combo.response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Choose the country"));
    });
}

/// The grid: a row per level, a column per policy area, each cell top-aligned; the columns share the width.
fn table(ui: &mut egui::Ui, atlas: &Atlas, grid: &Grid<'_>) {
    let spacing = 8.0;
    let columns = grid.areas.len().max(1) as f32;
    let cell = ((ui.available_width() - LEVEL_WIDTH - spacing * columns) / columns).max(MIN_CELL_WIDTH);
    ui.spacing_mut().item_spacing.x = spacing;
    ui.horizontal_top(|ui| {
        for (text, width) in
            std::iter::once(("Level \\ area", LEVEL_WIDTH)).chain(grid.areas.iter().map(|a| (a.as_str(), cell)))
        {
            ui.vertical(|ui| {
                ui.set_width(width);
                ui.label(RichText::new(text).strong());
            });
        }
    });
    for (l, level) in grid.levels.iter().enumerate() {
        ui.separator();
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(LEVEL_WIDTH);
                ui.label(RichText::new(level).strong());
            });
            for (a, area) in grid.areas.iter().enumerate() {
                ui.vertical(|ui| {
                    ui.set_width(cell);
                    let entries = &grid.cells[l][a];
                    if entries.is_empty() {
                        let r = ui.label(RichText::new(GAP_TEXT).italics().small().weak());
                        let label = format!("{level}, {area}: {GAP_TEXT}");
                        r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &label));
                    }
                    for (n, c) in entries.iter().enumerate() {
                        if n > 0 {
                            ui.separator();
                        }
                        entry(ui, atlas, c);
                    }
                });
            }
        });
    }
}

/// The grid on a slide: each cell's bodies with their tags, a dash for a gap, the summary and the legend.
fn slide_grid(ui: &mut egui::Ui, grid: &Grid<'_>, name: &str) {
    let (filled, gaps) = grid.filled_and_gaps();
    ui.label(RichText::new(format!("{name}: {filled} cells filled, {gaps} gaps")).strong());
    ui.add_space(4.0);
    let columns = grid.areas.len().max(1) as f32;
    let spacing = 8.0;
    let cell = ((ui.available_width() - LEVEL_WIDTH - spacing * columns) / columns).max(64.0);
    ui.spacing_mut().item_spacing.x = spacing;
    let row = |ui: &mut egui::Ui, first: &str, cells: &mut dyn FnMut(&mut egui::Ui, usize)| {
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(LEVEL_WIDTH);
                ui.label(RichText::new(first).strong());
            });
            for a in 0..grid.areas.len() {
                ui.vertical(|ui| {
                    ui.set_width(cell);
                    cells(ui, a);
                });
            }
        });
    };
    row(ui, "Level \\ area", &mut |ui, a| {
        ui.label(RichText::new(&grid.areas[a]).strong());
    });
    for (l, level) in grid.levels.iter().enumerate() {
        ui.separator();
        row(ui, level, &mut |ui, a| {
            let entries = &grid.cells[l][a];
            if entries.is_empty() {
                let r = ui.label(RichText::new("—").weak());
                let label = format!("{level}, {}: {GAP_TEXT}", grid.areas[a]);
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &label));
            }
            for c in entries {
                // The body with its source tag on the same lines, small, so a cell of two bodies stays short.
                let tag = atlas_core::dataset::tag_label(&c.confidence);
                let mut job = egui::text::LayoutJob::default();
                let style = ui.style();
                RichText::new(format!("{} ", c.body)).append_to(
                    &mut job,
                    style,
                    egui::FontSelection::Default,
                    egui::Align::Min,
                );
                RichText::new(format!("({tag})")).small().color(widgets::tag_color(ui, &c.confidence)).append_to(
                    &mut job,
                    style,
                    egui::FontSelection::Default,
                    egui::Align::Min,
                );
                let r = ui.label(job);
                let label = format!("{}, {}: {} ({tag})", c.level, c.area, c.body);
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &label));
            }
        });
    }
    ui.separator();
    ui.label(
        RichText::new(format!(
            "— {GAP_TEXT}. Each body's role and sources are in the window; the sources also in the handout."
        ))
        .small(),
    );
}

/// One entry of a cell: body, role, tag, and its sources and doubts behind a click.
fn entry(ui: &mut egui::Ui, atlas: &Atlas, c: &GovernanceCell) {
    let body = widgets::glossed(ui.label(RichText::new(&c.body).strong()), atlas, &c.body);
    let label = format!("{}, {}: {}", c.level, c.area, c.body);
    body.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &label));
    if c.competence == "none" {
        ui.label(RichText::new("no competence (the source says so)").small().color(ui.visuals().warn_fg_color));
    }
    widgets::glossed(ui.label(RichText::new(&c.role).small()), atlas, &c.role);
    widgets::tag_badge(ui, &c.confidence);
    if !c.uncertain.is_empty() {
        let doubts = ui
            .label(RichText::new(format!("Doubts ({})", c.uncertain.len())).small().color(ui.visuals().warn_fg_color))
            .on_hover_text(c.uncertain.join("\n"));
        let label = format!("Doubts of {}", c.id);
        doubts.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &label));
    }
    egui::CollapsingHeader::new(RichText::new(format!("Sources ({})", c.sources.len())).small())
        .id_salt(("governance_cell", &c.id))
        .show(ui, |ui| {
            cell_sources(ui, c);
            widgets::uncertain(ui, &c.uncertain);
        });
}

/// A cell's sources, narrow: each its tag, its title or web address's host as a link (the full address on hover),
/// and a copy button.
fn cell_sources(ui: &mut egui::Ui, c: &GovernanceCell) {
    for (n, s) in c.sources.iter().enumerate() {
        let host = s.url.split("//").nth(1).and_then(|rest| rest.split('/').next()).unwrap_or(&s.url);
        let text = s.title.clone().unwrap_or_else(|| host.trim_start_matches("www.").to_owned());
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(atlas_core::dataset::tag_label(&s.tag)).small().color(widgets::tag_color(ui, &s.tag)),
            );
        });
        ui.horizontal_wrapped(|ui| {
            if s.url.is_empty() {
                ui.label(RichText::new(text).small());
                return;
            }
            ui.hyperlink_to(RichText::new(text).small(), &s.url).on_hover_text(&s.url);
            let copy = ui.small_button("Copy").on_hover_text("Copy the URL");
            let label = format!("Copy URL {} of {}", n + 1, c.id);
            copy.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
            if copy.clicked() {
                ui.ctx().copy_text(s.url.clone());
            }
        });
        if let Some(note) = &s.note {
            ui.label(RichText::new(format!("({note})")).small().weak());
        }
    }
}

/// The challenges recorded between two levels, each opening in the explorer.
fn challenges(ui: &mut egui::Ui, atlas: &Atlas, iso: &str, name: &str, actions: &mut Vec<Command>) {
    widgets::section(ui, "Coordination challenges between these levels");
    let pairs = governance::level_pairs(atlas, iso);
    if pairs.is_empty() {
        ui.label(RichText::new(format!("No challenge in {name} is coded to two of these levels.")).italics());
        return;
    }
    ui.label(
        RichText::new(
            "Challenges of the country's case-study cities coded to both levels; each opens in the explorer.",
        )
        .small()
        .weak(),
    );
    for (a, b, hits) in &pairs {
        egui::CollapsingHeader::new(format!("{a} ↔ {b}: {}", plural(hits.len())))
            .id_salt(("governance_pair", a, b))
            .show(ui, |ui| {
                for e in hits {
                    let r = ui.link(format!("{} {} ({})", e.id, e.title, e.city_name));
                    let label = format!("Open challenge {} ({a} – {b})", e.id);
                    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Link, true, &label));
                    if r.clicked() {
                        actions.push(Command::record(e.id.clone()));
                    }
                }
            });
    }
}

fn plural(n: usize) -> String {
    widgets::plural(n, "challenge", "challenges")
}

/// The six co-ordination instruments, the country's own first.
fn instruments(ui: &mut egui::Ui, atlas: &Atlas, iso: &str) {
    widgets::section(ui, "Co-ordination instruments (OECD 2022)");
    for (t, own) in governance::instruments(atlas, iso) {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                let r = widgets::glossed(ui.label(RichText::new(&t.name).strong()), atlas, &t.name);
                let label = format!("Instrument {}", t.name);
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &label));
                if own {
                    ui.label(RichText::new("(this country's)").small());
                }
                ui.label(RichText::new(format!("group: {}", widgets::or_unknown(t.group.as_deref()))).small().weak());
            });
            widgets::glossed(ui.label(RichText::new(&t.description).small()), atlas, &t.description);
            ui.label(format!("Addresses: {}", t.addresses.as_deref().unwrap_or("no source says")));
            let gaps = if t.gap_types.is_empty() { "no source says".to_owned() } else { t.gap_types.join(", ") };
            ui.label(RichText::new(format!("Gap types: {gaps}")).small());
            egui::CollapsingHeader::new(RichText::new(format!("Sources ({})", t.sources.len())).small())
                .id_salt(("instrument_sources", &t.id))
                .show(ui, |ui| {
                    widgets::sources(ui, &t.sources, &t.id);
                    widgets::uncertain(ui, &t.uncertain);
                });
        });
    }
}

/// The grid, the challenges between levels and the instruments as tables.
pub fn export_tables(atlas: &Atlas, iso: &str) -> Vec<atlas_export::Table> {
    atlas_export::tables::governance(atlas, iso)
}

/// The Governance view.
pub struct Governance;

impl super::AtlasView for Governance {
    fn id(&self) -> View {
        View::Governance
    }

    fn purpose(&self) -> &'static str {
        "Who does what, per country: levels of government × policy areas with the body responsible and its role, \
         every entry sourced and tagged and gaps shown as gaps; the challenges recorded between two levels and the \
         six co-ordination instruments."
    }

    fn ui(&self, ui: &mut egui::Ui, cx: &mut super::ViewCx<'_>) {
        show(ui, &cx.session.atlas, cx.state, cx.commands);
    }

    fn open(&self, state: &mut UiState, target: &Target) -> bool {
        match target {
            Target::Country(iso) => {
                state.governance_country = iso.clone();
                true
            }
            _ => false,
        }
    }

    fn has_tables(&self) -> bool {
        true
    }

    fn tables(&self, cx: &super::ReadCx<'_>) -> Option<(String, Vec<atlas_export::Table>)> {
        let (iso, name) = country(&cx.session.atlas, cx.state)?;
        let file = format!("governance-{}", atlas_export::tables::slug(&name));
        Some((file, export_tables(&cx.session.atlas, &iso)))
    }

    fn slide_title(&self, session: Option<&ReadModel>, state: &UiState) -> String {
        match session.and_then(|s| country(&s.atlas, state)) {
            Some((_, name)) => format!("Who does what — {name}"),
            None => "Who does what".to_owned(),
        }
    }

    fn slide_text(
        &self,
        session: &ReadModel,
        state: &UiState,
        _hits: Option<&crate::views::SearchIds>,
    ) -> (Vec<String>, Vec<atlas_core::dataset::Source>) {
        let atlas = &session.atlas;
        let Some((iso, name)) = country(atlas, state) else { return (vec!["Governance view".to_owned()], Vec::new()) };
        let Some(grid) = governance::grid(atlas, &iso) else {
            return (vec![format!("Who does what in {name}")], Vec::new());
        };
        let (filled, gaps) = grid.filled_and_gaps();
        let sources = grid.cells.iter().flatten().flatten().flat_map(|c| c.sources.iter().cloned()).collect();
        (
            vec![format!("Who does what in {name}: {filled} cells filled, {gaps} gaps (no source available to us).")],
            sources,
        )
    }
}
