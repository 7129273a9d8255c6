//! City profiles: key figures, governance, findings and recommendations, the city's records, its region's
//! indicators against the rest of the country — and two cities side by side.

pub use crate::state::CitiesState;
use eframe::egui::{self, RichText};

use crate::command::{Command, FileCmd, Target};
use crate::state::{UiState, View};
use crate::widgets::coded_text::{self, CodedText};
use crate::widgets::{self, charts, notes_panel};
use atlas_analysis::regions::standings;
use atlas_analysis::{EvidenceFilter, Facet};
use atlas_core::model::{Atlas, City, CityText, EvidenceKind};
use atlas_export::tables;
use atlas_session::ReadModel;
use atlas_session::annotate::Workspace;

pub fn show(
    ui: &mut egui::Ui,
    atlas: &Atlas,
    ws: &Workspace,
    state: &mut CitiesState,
    sel: &mut CodedText,
    actions: &mut Vec<Command>,
) {
    let slide = widgets::on_slide(ui.ctx());
    if !slide {
        egui::Panel::left("city_list").resizable(false).exact_size(180.0).show(ui, |ui| {
            ui.add_space(4.0);
            ui.label(RichText::new("Case-study cities").strong());
            for c in &atlas.cities {
                let on = state.selected == c.id;
                let r = ui.selectable_label(on, &c.name);
                let label = format!("City {}", c.name);
                r.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, on, &label));
                if r.clicked() {
                    state.selected = c.id.clone();
                }
            }
            ui.separator();
            ui.checkbox(&mut state.compare, "Compare two cities");
            if state.compare {
                egui::ComboBox::from_label("with")
                    .selected_text(atlas.city(&state.other).map_or("choose", |c| c.name.as_str()))
                    .show_ui(ui, |ui| {
                        for c in &atlas.cities {
                            ui.selectable_value(&mut state.other, c.id.clone(), &c.name);
                        }
                    });
            }
        });
    }
    let Some(city) = atlas.city(&state.selected).or_else(|| atlas.cities.first()) else { return };
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            widgets::findings::compact(ui, atlas, "cities", actions);
            if state.compare
                && let Some(other) = atlas.city(&state.other)
            {
                compare(ui, atlas, city, other, actions);
                return;
            }
            profile(ui, atlas, ws, city, sel, actions);
        });
    });
}

/// The profile's texts, coded passages highlighted; one at a time opens for coding.
fn texts(
    ui: &mut egui::Ui,
    ws: &Workspace,
    sel: &mut CodedText,
    items: &[CityText],
    empty: &str,
    actions: &mut Vec<Command>,
) {
    if items.is_empty() {
        ui.label(RichText::new(empty).italics());
    }
    for t in items {
        let key = (atlas_session::TargetKind::CityText, t.id.clone());
        if sel.focus.as_ref() == Some(&key) {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                coded_text::show(ui, ws, sel, atlas_session::TargetKind::CityText, &t.id, &t.text, &t.id, actions);
                let done = ui.button("Done coding");
                let name = format!("Done coding {}", t.id);
                done.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
                if done.clicked() {
                    sel.focus = None;
                }
            });
        } else {
            ui.horizontal_top(|ui| {
                let code = ui.small_button("Code");
                let name = format!("Code passages of {}", t.id);
                code.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
                if code.clicked() {
                    sel.focus = Some(key.clone());
                }
                coded_text::highlighted(ui, ws, atlas_session::TargetKind::CityText, &t.id, "", &t.text);
            });
        }
        ui.indent(&t.id, |ui| {
            widgets::sources(ui, &t.sources, &t.id);
            widgets::uncertain(ui, &t.uncertain);
        });
    }
}

/// The profile's head: name, exports, names and region, the case study it comes from.
fn header(ui: &mut egui::Ui, atlas: &Atlas, ws: &Workspace, city: &City, actions: &mut Vec<Command>) {
    ui.heading(&city.name);
    ui.horizontal(|ui| {
        if widgets::on_slide(ui.ctx()) {
            return;
        }
        if ui
            .button("Export city brief…")
            .on_hover_text("Markdown: figures, findings, records, notes, sources")
            .clicked()
        {
            actions.push(Command::Files(FileCmd::ExportBrief(city.id.clone())));
        }
        let name = tables::slug(&city.name);
        widgets::export_button(ui, "Export tables…", &name, || tables::city_profile(atlas, Some(ws), city), actions);
    });
    let local: Vec<&String> = city.local_names.iter().filter(|n| **n != city.name).collect();
    let local = if local.is_empty() {
        String::new()
    } else {
        format!(" ({})", local.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "))
    };
    let region =
        atlas.region(&city.region_code).map_or_else(|| city.region_code.clone(), |r| format!("{} {}", r.code, r.name));
    ui.label(format!("{}{local} — {}, region {region}", city.name, city.country_name));
    if let Some(note) = &city.profile_note {
        ui.label(RichText::new(note).color(ui.visuals().warn_fg_color));
    }
    match &city.publication {
        Some(p) if p.title.is_some() => {
            ui.label(format!(
                "Case study: {} — {}{}",
                widgets::or_unknown(p.title.as_deref()),
                p.doi.as_ref().map(|d| format!("doi {d}, ")).unwrap_or_default(),
                widgets::or_unknown(p.published_text.as_deref().or(p.published.as_deref()))
            ));
            if let Some(m) = &p.mission {
                ui.label(RichText::new(format!("OECD mission: {m}")).small());
            }
        }
        _ => {
            ui.label(RichText::new("No OECD case-study publication was found for this city.").italics());
        }
    }
}

fn profile(
    ui: &mut egui::Ui,
    atlas: &Atlas,
    ws: &Workspace,
    city: &City,
    sel: &mut CodedText,
    actions: &mut Vec<Command>,
) {
    header(ui, atlas, ws, city, actions);
    let publication = city.publication.iter().flat_map(|p| p.uncertain.iter());
    widgets::doubts(ui, &city.id, publication.chain(city.uncertain.iter()));
    ui.add_space(6.0);
    notes_panel::show(ui, ws, atlas_session::TargetKind::City, &city.id, &city.name, actions);

    widgets::section(ui, "Key figures");
    for f in &city.figures {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(figure_value(f)).strong());
            ui.label(format!("{} ({})", f.label, f.year.as_deref().unwrap_or("year not given")));
            if let Some(s) = f.sources.first() {
                widgets::tag_badge(ui, &s.tag);
                ui.hyperlink_to("source", &s.url).on_hover_text(&s.url);
            }
        });
        if !f.uncertain.is_empty() {
            ui.indent(&f.id, |ui| widgets::uncertain(ui, &f.uncertain));
        }
    }

    widgets::section(ui, "Governance set-up");
    texts(ui, ws, sel, &city.governance, "No governance notes.", actions);
    widgets::section(ui, "Key findings");
    texts(ui, ws, sel, &city.findings, "No OECD findings are available for this city.", actions);
    widgets::section(ui, "Recommendations");
    texts(ui, ws, sel, &city.recommendations, "The case study's recommendations were not available.", actions);

    widgets::section(ui, "Challenges and practices");
    for kind in [EvidenceKind::Challenge, EvidenceKind::Practice] {
        let records: Vec<_> = atlas.evidence.iter().filter(|e| e.city == city.id && e.kind == kind).collect();
        let noun = kind.as_str();
        ui.label(RichText::new(widgets::plural(records.len(), noun, &format!("{noun}s"))).strong());
        for e in records {
            ui.horizontal(|ui| {
                let r = ui.link(format!("{} {}", e.id, e.title));
                if r.clicked() {
                    actions.push(Command::record(e.id.clone()));
                }
                ui.label(RichText::new(&e.gap_type).weak());
                widgets::tag_badge(ui, &e.confidence);
                let n = ws.note_count(e.kind.into(), &e.id);
                if n > 0 {
                    ui.label(RichText::new(format!("✎ {n}")).color(ui.visuals().hyperlink_color));
                }
            });
        }
    }
    let mut filter = EvidenceFilter::default();
    filter.add(Facet::City, &city.id);
    if ui.button(format!("Explore {}'s records", city.name)).clicked() {
        actions.push(Command::explore(filter));
    }

    let region =
        atlas.region(&city.region_code).map_or_else(|| city.region_code.clone(), |r| format!("{} {}", r.code, r.name));
    widgets::section(ui, &format!("Region {region}: foreign-born vs native-born"));
    ui.label(RichText::new(&atlas.info.regions_note).small().weak());
    egui::Grid::new(("region", &city.id)).striped(true).num_columns(6).show(ui, |ui| {
        for h in
            ["Indicator", "Foreign-born", "Comparison", "Rank in country", "Country average (FB / comparison)", "Unit"]
        {
            ui.label(RichText::new(h).strong());
        }
        ui.end_row();
        for s in standings(atlas, &city.region_code) {
            let Some(ind) = atlas.indicator(&s.indicator) else { continue };
            ui.label(&ind.name).on_hover_text(format!("{} vs {}", ind.fb_label, ind.comparison_label));
            ui.label(num(s.fb));
            ui.label(num(s.comparison));
            ui.label(s.rank.map_or_else(|| "no data".to_owned(), |r| format!("{r} of {}", s.ranked_of)));
            ui.label(format!("{} / {}", num(s.country_mean_fb), num(s.country_mean_comparison)));
            ui.label(&ind.unit);
            ui.end_row();
        }
    });
    widgets::hint(
        ui,
        "Rank 1 = the highest foreign-born value among the country's regions; country average = unweighted mean of its regions.",
    );
    if ui.button(format!("Show region {} on the regions view", city.region_code)).clicked() {
        actions.push(Command::region(city.region_code.clone()));
    }
    notes_panel::show(
        ui,
        ws,
        atlas_session::TargetKind::Region,
        &city.region_code,
        &format!("region {}", city.region_code),
        actions,
    );
    widgets::section(ui, "Sources of this profile");
    widgets::sources(ui, &city.sources, &city.id);
}

/// A figure's value with its unit, without repeating a unit the text already carries ("29.3%", not "29.3% %").
fn figure_value(f: &atlas_core::model::CityFigure) -> String {
    let text =
        f.value_text.clone().unwrap_or_else(|| f.value.map(|v| v.to_string()).unwrap_or_else(|| "unknown".into()));
    match f.unit.as_deref() {
        Some("%") if text.contains('%') => text,
        Some(unit) if !unit.is_empty() && !text.contains(unit) && !unit.starts_with('%') => format!("{text} {unit}"),
        _ => text,
    }
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "no data".to_owned(), |x| format!("{x:.1}"))
}

fn compare(ui: &mut egui::Ui, atlas: &Atlas, a: &City, b: &City, actions: &mut Vec<Command>) {
    ui.heading(format!("{} and {}", a.name, b.name));
    ui.horizontal(|ui| {
        let name = format!("{}-{}", tables::slug(&a.name), tables::slug(&b.name));
        widgets::export_button(ui, "Export tables…", &name, || tables::city_compare(atlas, a, b), actions);
    });
    widgets::section(ui, "Gap profile (challenges by gap type)");
    // The same series the export writes.
    let series = tables::gap_profile(atlas, &[a, b]);
    let (clicked, rect) =
        charts::grouped_bars_at(ui, "compare_gaps", "Chart: gap profile of the two cities", &series, 260.0);
    if let Some(rect) = rect
        && widgets::png_button(ui, "gap profile of the two cities")
    {
        let name = format!("gap-profile-{}-{}", tables::slug(&a.name), tables::slug(&b.name));
        actions.push(Command::Files(FileCmd::SaveChart { name, rect }));
    }
    if let Some(i) = clicked {
        let mut filter = EvidenceFilter::default();
        filter.add(Facet::City, &a.id);
        filter.add(Facet::City, &b.id);
        filter.add(Facet::Gap, &series.categories[i]);
        actions.push(Command::explore(filter));
    }
    widgets::section(ui, "Objectives covered (challenges + practices)");
    egui::Grid::new("compare_objectives").striped(true).num_columns(3).show(ui, |ui| {
        ui.label(RichText::new("Objective").strong());
        ui.label(RichText::new(&a.name).strong());
        ui.label(RichText::new(&b.name).strong());
        ui.end_row();
        for o in &atlas.objectives {
            ui.label(format!("{} {}", o.number, o.short_title));
            for c in [a, b] {
                let n = atlas.evidence.iter().filter(|e| e.city == c.id && e.objective == Some(o.number)).count();
                ui.label(if n == 0 { "—".to_owned() } else { n.to_string() });
            }
            ui.end_row();
        }
    });
    widgets::section(ui, "Key figures");
    ui.columns(2, |cols| {
        for (col, c) in cols.iter_mut().zip([a, b]) {
            col.label(RichText::new(&c.name).strong());
            for f in &c.figures {
                col.label(format!("{}: {} ({})", f.label, figure_value(f), widgets::or_unknown(f.year.as_deref())));
            }
        }
    });
}

/// The Cities view.
pub struct Cities;

impl super::AtlasView for Cities {
    fn id(&self) -> View {
        View::Cities
    }

    fn purpose(&self) -> &'static str {
        "One profile per case-study city — key figures, governance, findings, recommendations, its records and its \
         region's indicators — or two cities side by side."
    }

    fn ui(&self, ui: &mut egui::Ui, cx: &mut super::ViewCx<'_>) {
        let sel = cx.rt.view::<CodedText>(View::Cities);
        show(ui, &cx.session.atlas, &cx.session.workspace, &mut cx.state.cities, sel, cx.commands);
    }

    fn open(&self, state: &mut UiState, target: &Target) -> bool {
        match target {
            Target::City(id) => {
                state.cities.selected = id.clone();
                true
            }
            _ => false,
        }
    }

    fn has_tables(&self) -> bool {
        true
    }

    fn tables(&self, cx: &super::ReadCx<'_>) -> Option<(String, Vec<atlas_export::Table>)> {
        let atlas = &cx.session.atlas;
        let c = &cx.state.cities;
        let city = atlas.city(&c.selected).or_else(|| atlas.cities.first())?;
        Some(match atlas.city(&c.other).filter(|_| c.compare) {
            Some(other) => (
                format!("{}-{}", tables::slug(&city.name), tables::slug(&other.name)),
                tables::city_compare(atlas, city, other),
            ),
            None => (tables::slug(&city.name), tables::city_profile(atlas, Some(&cx.session.workspace), city)),
        })
    }

    fn slide_title(&self, session: Option<&ReadModel>, state: &UiState) -> String {
        let name = |id: &str| session.and_then(|s| s.atlas.city(id)).map_or_else(|| id.to_owned(), |c| c.name.clone());
        let c = &state.cities;
        if c.compare {
            format!("{} and {} compared", name(&c.selected), name(&c.other))
        } else {
            format!("City profile — {}", name(&c.selected))
        }
    }

    fn slide_text(
        &self,
        session: &ReadModel,
        state: &UiState,
        _hits: Option<&crate::views::SearchIds>,
    ) -> (Vec<String>, Vec<atlas_core::dataset::Source>) {
        let atlas = &session.atlas;
        let mut lines = Vec::new();
        let mut sources = Vec::new();
        if let Some(city) = atlas.city(&state.cities.selected) {
            lines.push(format!("City: {}", city.name));
            sources.extend(city.sources.iter().cloned());
            for e in atlas.evidence.iter().filter(|e| e.city == city.id) {
                sources.extend(e.sources.iter().cloned());
            }
        }
        (lines, sources)
    }
}
