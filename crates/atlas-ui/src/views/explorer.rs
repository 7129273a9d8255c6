//! The main view: challenges and practices with Datasette-style facets, full-text search, a sortable table,
//! a detail pane and charts — all from one cached [`ExplorerResults`].

pub use crate::state::{ChartKind, ExplorerState};
use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};

use crate::command::{Command, FileCmd, Nav, NoteCmd, Target};
use crate::state::{UiState, View};
use crate::widgets::{self, charts, coded_text, notes_panel};
use atlas_analysis::{EvidenceFilter, ExplorerResults, Facet, FacetCounts, Sort, SortColumn};
use atlas_core::model::{Atlas, Evidence};
use atlas_export::tables;
use atlas_session::ReadModel;
use atlas_session::annotate::Workspace;

/// How a facet value reads on screen.
pub fn value_label(atlas: &Atlas, facet: Facet, value: &str) -> String {
    match facet {
        Facet::City => atlas.city(value).map_or_else(
            || value.strip_prefix("new:").map_or_else(|| value.to_owned(), |name| format!("{name} (new city)")),
            |c| c.name.clone(),
        ),
        Facet::Country => atlas
            .cities
            .iter()
            .find(|c| c.country == value)
            .map_or_else(|| value.to_owned(), |c| c.country_name.clone()),
        Facet::Objective => value
            .parse::<i64>()
            .ok()
            .and_then(|n| atlas.objectives.iter().find(|o| o.number == n))
            .map_or_else(|| value.to_owned(), |o| format!("{} {}", o.number, o.short_title)),
        Facet::Block => format!("Block {value}"),
        Facet::Tag => atlas_core::dataset::tag_label(value).to_owned(),
        Facet::Origin => match value {
            "shipped" => "Shipped dataset".to_owned(),
            "user" => "Added by authors".to_owned(),
            _ => value.to_owned(),
        },
        Facet::Kind => match value {
            "challenge" => "Challenges".to_owned(),
            "practice" => "Practices".to_owned(),
            _ => value.to_owned(),
        },
        _ => value.to_owned(),
    }
}

/// Below this width (points) the Explorer shows an open record instead of the filters and the table.
const NARROW: f32 = 1000.0;

pub fn show(
    ui: &mut egui::Ui,
    session: &ReadModel,
    state: &mut ExplorerState,
    results: &ExplorerResults,
    totals: &FacetCounts,
    sel: &mut coded_text::CodedText,
    actions: &mut Vec<Command>,
) {
    let (atlas, ws) = (&session.atlas, &session.workspace);
    let slide = widgets::on_slide(ui.ctx());
    if slide {
        // A slide: the records or the chart with the filters in words, without the controls around them.
        egui::CentralPanel::default().show(ui, |ui| {
            let (total, c, p) = (results.rows.len(), results.challenges, results.practices);
            ui.label(RichText::new(record_counts(total, c, p)).strong());
            if state.show_charts {
                charts_area(ui, atlas, state, results, actions);
            } else {
                ui.label(format!("Filters: {}", filter_words(Some(atlas), &state.filter)));
                table(ui, atlas, ws, state, results);
            }
        });
        return;
    }
    let open = state.selected.clone().and_then(|id| atlas.evidence.iter().find(|e| e.id == id));
    // A narrow window (small, or zoomed to 200 %) has no room for filters, table and record side by side: an open
    // record takes the place of the filters and the table, under the search, and Close brings them back.
    let narrow = ui.available_width() < NARROW;
    if let (true, Some(record)) = (narrow, open) {
        egui::CentralPanel::default().show(ui, |ui| {
            top_controls(ui, atlas, ws, state, results, actions);
            ui.separator();
            detail(ui, atlas, ws, record, state, sel, actions);
        });
        return;
    }
    let facets_width = if narrow { 200.0 } else { 270.0 };
    egui::Panel::left("explorer_facets").resizable(true).default_size(facets_width).show(ui, |ui| {
        facets_panel(ui, atlas, state, results, totals, actions);
    });
    if let Some(record) = open {
        egui::Panel::right("explorer_detail").resizable(true).default_size(420.0).max_size(560.0).show(ui, |ui| {
            detail(ui, atlas, ws, record, state, sel, actions);
        });
    }
    egui::CentralPanel::default().show(ui, |ui| {
        top_controls(ui, atlas, ws, state, results, actions);
        crate::widgets::findings::compact(ui, atlas, "explorer", actions);
        ui.separator();
        if state.show_charts {
            charts_area(ui, atlas, state, results, actions);
        } else {
            table(ui, atlas, ws, state, results);
        }
    });
}

fn facets_panel(
    ui: &mut egui::Ui,
    atlas: &Atlas,
    state: &ExplorerState,
    results: &ExplorerResults,
    totals: &FacetCounts,
    actions: &mut Vec<Command>,
) {
    ui.add_space(4.0);
    ui.label(RichText::new("Filters").size(17.0).strong());
    widgets::hint(ui, "Values of one facet combine with OR, facets with AND.");
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        for facet in Facet::ALL {
            // Every value the records have, in an order that does not change with the filters (so the box under
            // the pointer stays the same after a click), with its count under the current filters (0 greyed).
            let Some(all) = totals.get(&facet) else { continue };
            let empty = Default::default();
            let counts = results.facet_counts.get(&facet).unwrap_or(&empty);
            let mut values: Vec<(&String, &usize)> = all.iter().collect();
            // Values that are selected but have no matches stay visible, so they can be unticked.
            let chosen: Vec<String> =
                state.filter.selected.get(&facet).map(|s| s.iter().cloned().collect()).unwrap_or_default();
            let missing: Vec<String> = chosen.iter().filter(|c| !all.contains_key(*c)).cloned().collect();
            match facet {
                Facet::Objective | Facet::Block => values.sort_by_key(|(v, _)| v.parse::<i64>().unwrap_or(99)),
                Facet::City => values.sort_by_key(|(v, _)| atlas.cities.iter().position(|c| &c.id == *v).unwrap_or(99)),
                Facet::Kind | Facet::Tag => {}
                _ => values.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0))),
            }
            let open = matches!(facet, Facet::Kind | Facet::City | Facet::Gap | Facet::Level) || !chosen.is_empty();
            egui::CollapsingHeader::new(facet.label()).id_salt(("facet", facet)).default_open(open).show(ui, |ui| {
                let now = |v: &String| counts.get(v).copied().unwrap_or(0);
                for (value, n) in
                    values.iter().map(|(v, _)| ((*v).clone(), now(v))).chain(missing.into_iter().map(|v| (v, 0)))
                {
                    let mut on = state.filter.is_selected(facet, &value);
                    let text = format!("{} ({n})", value_label(atlas, facet, &value));
                    let text = if n == 0 && !on { RichText::new(text).weak() } else { RichText::new(text) };
                    let response = ui.checkbox(&mut on, text);
                    let label = format!("{}: {} ({n})", facet.label(), value_label(atlas, facet, &value));
                    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, on, &label));
                    if response.clicked() {
                        actions.push(Command::Nav(Nav::ToggleFacet(facet, value.clone())));
                    }
                }
            });
        }
    });
}

fn top_controls(
    ui: &mut egui::Ui,
    atlas: &Atlas,
    ws: &Workspace,
    state: &mut ExplorerState,
    results: &ExplorerResults,
    actions: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        let label = ui.label("Search:");
        ui.add(
            egui::TextEdit::singleline(&mut state.filter.search)
                .hint_text("words in any text, accents optional (goteborg, lodz)")
                .desired_width(360.0),
        )
        .labelled_by(label.id);
        if ui.add_enabled(!state.filter.is_empty(), egui::Button::new("Clear all")).clicked() {
            actions.push(Command::Nav(Nav::ClearFilters));
        }
        if ui.button("Add a record").on_hover_text("Add your own challenge or practice, with its sources").clicked() {
            actions.push(Command::Notes(NoteCmd::NewRecord));
        }
    });
    let total = results.rows.len();
    ui.label(RichText::new(record_counts(total, results.challenges, results.practices)).strong());
    if let Some(cleared) = state.cleared.clone() {
        // Said until the filters change again.
        if state.filter.is_empty() {
            ui.horizontal_wrapped(|ui| {
                widgets::hint(
                    ui,
                    format!("The filters were cleared to show the linked record (they were: {cleared})."),
                );
            });
        } else {
            state.cleared = None;
        }
    }
    // Active filters as removable chips.
    if !state.filter.selected.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label("Active filters:");
            for (facet, values) in &state.filter.selected {
                for value in values {
                    let text = format!("{}: {}  ✕", facet.label(), value_label(atlas, *facet, value));
                    let chip = ui.button(text).on_hover_text("Remove this filter");
                    let label = format!("Remove filter {}: {}", facet.label(), value_label(atlas, *facet, value));
                    chip.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                    if chip.clicked() {
                        actions.push(Command::Nav(Nav::ToggleFacet(*facet, value.clone())));
                    }
                }
            }
        });
    }
    ui.horizontal(|ui| {
        if ui.selectable_label(!state.show_charts, "Table").clicked() {
            state.show_charts = false;
        }
        if ui.selectable_label(state.show_charts, "Charts").clicked() {
            state.show_charts = true;
        }
        if state.show_charts {
            ui.separator();
            for kind in ChartKind::ALL {
                if ui.selectable_label(state.chart == kind, kind.label()).clicked() {
                    state.chart = kind;
                }
            }
        }
        ui.separator();
        // The rows in table order and the four chart series, as CSV (rows) or XLSX (all, with native charts).
        widgets::export_button(
            ui,
            "Export table…",
            "explorer",
            || with_filters(tables::explorer(atlas, Some(ws), results), atlas, &state.filter),
            actions,
        );
    });
}

const COLUMNS: [(SortColumn, &str); 8] = [
    (SortColumn::Id, "ID"),
    (SortColumn::City, "City"),
    (SortColumn::Title, "Title"),
    (SortColumn::Gap, "Gap"),
    (SortColumn::Levels, "Levels"),
    (SortColumn::Area, "Area"),
    (SortColumn::Objective, "Obj."),
    (SortColumn::Tag, "Source tag"),
];

fn table(ui: &mut egui::Ui, atlas: &Atlas, ws: &Workspace, state: &mut ExplorerState, results: &ExplorerResults) {
    if results.rows.is_empty() {
        ui.label("No record matches these filters.");
        return;
    }
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
    let mut clicked: Option<String> = None;
    // Up/Down move the selection through the rows (while no text field has the keyboard); the detail follows.
    let position =
        state.selected.as_ref().and_then(|id| results.rows.iter().position(|&i| atlas.evidence[i].id == *id));
    let typing = ui.ctx().text_edit_focused();
    let (down, up) = ui.input(|i| (i.key_pressed(egui::Key::ArrowDown), i.key_pressed(egui::Key::ArrowUp)));
    let moved = match (typing, down, up, position) {
        (false, true, _, None) | (false, _, true, None) => Some(0),
        (false, true, _, Some(p)) => Some((p + 1).min(results.rows.len() - 1)),
        (false, _, true, Some(p)) => Some(p.saturating_sub(1)),
        _ => None,
    };
    if let Some(p) = moved {
        state.selected = Some(atlas.evidence[results.rows[p]].id.clone());
    }
    // The whole row is one click target: its texts are not selectable, so a click anywhere selects the record.
    ui.style_mut().interaction.selectable_labels = false;
    let mut builder = TableBuilder::new(ui);
    if let Some(p) = moved {
        builder = builder.scroll_to_row(p, Some(egui::Align::Center));
    }
    builder
        .id_salt("explorer_table")
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::exact(82.0))
        .column(Column::initial(100.0).clip(true))
        .column(Column::remainder().at_least(160.0).clip(true))
        .column(Column::initial(120.0).clip(true))
        .column(Column::initial(150.0).clip(true))
        .column(Column::initial(110.0).clip(true))
        .column(Column::exact(44.0))
        .column(Column::initial(120.0).clip(true))
        .column(Column::exact(54.0))
        .header(row_height, |mut header| {
            for (column, name) in COLUMNS {
                header.col(|ui| {
                    let Sort { column: current, descending } = &mut state.sort;
                    widgets::sort_header(ui, "records", name, column, current, descending);
                });
            }
            header.col(|ui| {
                ui.strong("Notes");
            });
        })
        .body(|body| {
            body.rows(row_height, results.rows.len(), |mut row| {
                let e: &Evidence = &atlas.evidence[results.rows[row.index()]];
                let selected = state.selected.as_deref() == Some(e.id.as_str());
                row.set_selected(selected);
                row.col(|ui| {
                    let r = ui.add(egui::Button::selectable(selected, RichText::new(&e.id).monospace()).frame(false));
                    widgets::focus_ring(ui, &r);
                    let label = format!("Record {}", e.id);
                    r.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &label));
                    if r.clicked() {
                        clicked = Some(e.id.clone());
                    }
                });
                row.col(|ui| {
                    ui.label(&e.city_name);
                });
                row.col(|ui| {
                    ui.label(&e.title).on_hover_text(&e.description);
                });
                row.col(|ui| {
                    ui.label(&e.gap_type);
                });
                row.col(|ui| {
                    ui.label(e.levels.join(", "));
                });
                row.col(|ui| {
                    ui.label(e.policy_areas.join(", "));
                });
                row.col(|ui| {
                    ui.label(e.objective.map(|o| o.to_string()).unwrap_or_else(|| "–".to_owned()));
                });
                row.col(|ui| {
                    widgets::tag_badge(ui, &e.confidence);
                });
                row.col(|ui| {
                    let n = ws.note_count(e.kind.into(), &e.id);
                    if n > 0 {
                        ui.label(RichText::new(format!("✎ {n}")).color(ui.visuals().hyperlink_color))
                            .on_hover_text(format!("{n} note(s) on this record"));
                    }
                });
                if row.response().clicked() {
                    clicked = Some(e.id.clone());
                }
            });
        });
    if let Some(id) = clicked {
        state.selected = if state.selected.as_deref() == Some(id.as_str()) { None } else { Some(id) };
    }
}

fn charts_area(
    ui: &mut egui::Ui,
    atlas: &Atlas,
    state: &ExplorerState,
    results: &ExplorerResults,
    actions: &mut Vec<Command>,
) {
    let (series, facet, title) = match state.chart {
        ChartKind::GapByLevel => {
            (&results.gap_by_level, Facet::Gap, "Records by gap type, stacked by level of government")
        }
        ChartKind::Area => (&results.by_area, Facet::Area, "Records by policy area"),
        ChartKind::City => (&results.by_city, Facet::City, "Records by city"),
        ChartKind::Objective => (&results.by_objective, Facet::Objective, "Records by checklist objective"),
    };
    if state.chart == ChartKind::GapByLevel {
        widgets::hint(
            ui,
            "A record with several levels counts once for each level; click a bar to filter by its gap type.",
        );
    } else {
        widgets::hint(ui, "Click a bar to filter by it.");
    }
    // The value each category filters on (cities by id, the others as shown).
    let value_of = |i: usize| -> String {
        match facet {
            Facet::City => atlas.cities.get(i).map(|c| c.id.clone()).unwrap_or_default(),
            _ => series.categories[i].clone(),
        }
    };
    let slide = widgets::on_slide(ui.ctx());
    let height = (ui.available_height() - if slide { 70.0 } else { 150.0 }).clamp(220.0, 900.0);
    let chart_label = format!("Chart: {title}");
    // The title and the filters in words go with the chart, into its PNG and onto a slide.
    let caption = [title.to_owned(), format!("Filters: {}", filter_words(Some(atlas), &state.filter))];
    let id = format!("explorer_chart_{:?}", state.chart);
    let (clicked, rect) = charts::captioned_bars_at(ui, &id, &chart_label, series, height, &caption);
    if let Some(i) = clicked {
        actions.push(Command::open(Target::Facet(facet, value_of(i))));
    }
    ui.horizontal(|ui| {
        let name = format!("explorer-{}", tables::slug(state.chart.label()));
        if let Some(rect) = rect
            && widgets::png_button(ui, title)
        {
            actions.push(Command::Files(FileCmd::SaveChart { name: name.clone(), rect }));
        }
        let category = match facet {
            Facet::Gap => "gap type",
            Facet::Area => "policy area",
            Facet::City => "city",
            _ => "objective",
        };
        let stacked = state.chart != ChartKind::Area;
        widgets::export_button(
            ui,
            "Export chart data…",
            &name,
            || with_filters(vec![tables::series(title, category, series, stacked)], atlas, &state.filter),
            actions,
        );
    });
    if slide {
        return;
    }
    // The same numbers as text: readable by screen readers, and clickable too.
    egui::CollapsingHeader::new("Chart data").id_salt("explorer_chart_data").default_open(false).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            for (i, (category, total)) in series.categories.iter().zip(series.totals()).enumerate() {
                let b = ui.small_button(format!("{category}: {total}"));
                let label = format!("Filter by {} {category} ({total})", facet.label());
                b.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                if b.clicked() {
                    actions.push(Command::open(Target::Facet(facet, value_of(i))));
                }
            }
        });
    });
}

fn detail(
    ui: &mut egui::Ui,
    atlas: &Atlas,
    ws: &Workspace,
    e: &Evidence,
    state: &mut ExplorerState,
    sel: &mut coded_text::CodedText,
    actions: &mut Vec<Command>,
) {
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(RichText::new(&e.id).monospace().strong());
            ui.label(if e.kind == atlas_core::model::EvidenceKind::Challenge { "challenge" } else { "practice" });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Close").clicked() {
                    state.selected = None;
                }
            });
        });
        widgets::glossed(ui.label(RichText::new(&e.title).size(19.0).strong()), atlas, &e.title);
        if e.origin == atlas_core::model::Origin::User {
            ui.horizontal(|ui| {
                ui.label(RichText::new(e.tag_detail.clone().unwrap_or_default()).color(ui.visuals().hyperlink_color));
                let uuid = ws.records.iter().find(|r| r.id == e.id).map(|r| r.uuid.clone());
                if let Some(uuid) = uuid {
                    if ui.button("Edit record").clicked() {
                        actions.push(Command::Notes(NoteCmd::EditRecord(uuid.clone())));
                    }
                    if ui.button("Delete record").clicked() {
                        actions.push(Command::Notes(NoteCmd::DeleteRecord(uuid)));
                    }
                }
            });
        }
        ui.horizontal(|ui| {
            if ui.link(format!("{} ({})", e.city_name, e.country)).on_hover_text("Open the city profile").clicked() {
                actions.push(Command::city(e.city.clone()));
            }
            widgets::tag_badge(ui, &e.confidence);
        });
        ui.add_space(6.0);
        let own = ws.records.iter().find(|r| r.id == e.id && e.origin == atlas_core::model::Origin::User);
        let (kind, target) =
            own.map_or((e.kind.into(), e.id.as_str()), |r| (atlas_session::TargetKind::UserRecord, r.uuid.as_str()));
        coded_text::show(ui, ws, sel, kind, target, &e.description, &e.id, actions);
        acronyms(ui, atlas, &format!("{} {}", e.title, e.description));
        ui.add_space(6.0);
        {
            let field = |ui: &mut egui::Ui, name: &str, value: String| {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(format!("{name}:")).strong());
                    ui.label(value);
                });
            };
            field(ui, "Gap type", e.gap_type.clone());
            field(ui, "Levels", e.levels_detail.clone().unwrap_or_else(|| e.levels.join(", ")));
            field(ui, "Policy areas", e.policy_areas.join(", "));
            field(ui, "Migrant groups", e.migrant_groups.join("; "));
            let objective = e
                .objective
                .and_then(|n| atlas.objectives.iter().find(|o| o.number == n))
                .map(|o| format!("{} {}", o.number, o.short_title))
                .unwrap_or_else(|| "unknown".to_owned());
            let also = if e.objective_also.is_empty() {
                String::new()
            } else {
                format!(" (also {})", e.objective_also.iter().map(|o| o.to_string()).collect::<Vec<_>>().join(", "))
            };
            field(ui, "Objective", format!("{objective}{also}"));
            field(
                ui,
                "Objective basis",
                format!(
                    "{} — {}",
                    widgets::or_unknown(e.objective_basis.as_deref()),
                    basis_meaning(e.objective_basis.as_deref())
                ),
            );
            if e.kind == atlas_core::model::EvidenceKind::Practice {
                field(ui, "Year started", widgets::or_unknown(e.year_started.as_deref()));
                field(
                    ui,
                    "Instrument",
                    e.instrument_detail
                        .clone()
                        .or_else(|| e.instrument_kind.clone())
                        .unwrap_or_else(|| "unknown".into()),
                );
            }
        }
        ui.add_space(8.0);
        notes_panel::show(ui, ws, e.kind.into(), &e.id, &e.id, actions);
        widgets::section(ui, "Sources");
        widgets::sources(ui, &e.sources, &e.id);
        if !e.uncertain.is_empty() {
            widgets::section(ui, "Uncertainty");
            widgets::uncertain(ui, &e.uncertain);
        }
        if !e.coding_notes.is_empty() {
            widgets::section(ui, "Coding notes");
            for note in &e.coding_notes {
                ui.label(format!("• {note}"));
            }
        }
    });
}

fn basis_meaning(basis: Option<&str>) -> &'static str {
    match basis {
        Some("explicit") => "the OECD text sits under this objective's heading",
        Some("explicit-toc") => "the OECD table of contents places it under this objective; its text was not seen",
        Some("block-explicit") => "the OECD text sits in this objective's block; the objective itself was chosen",
        Some("inferred") => "the objective was chosen when coding; not stated by the OECD",
        _ => "not recorded",
    }
}

/// The acronyms a record's text uses, spelled out under it from the glossary (read by screen readers too).
fn acronyms(ui: &mut egui::Ui, atlas: &Atlas, text: &str) {
    let entries = atlas.glossary_in(text);
    if entries.is_empty() {
        return;
    }
    let words: Vec<String> = entries.iter().map(|g| format!("{} — {}", g.term, g.expansion_text())).collect();
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("Acronyms: {}", words.join("; "))).small());
    });
}

/// The tables with a last sheet saying which filters chose the records (an XLSX workbook records them; a CSV file
/// holds the first table only).
pub fn with_filters(
    mut tables: Vec<atlas_export::Table>,
    atlas: &Atlas,
    filter: &EvidenceFilter,
) -> Vec<atlas_export::Table> {
    use atlas_export::Cell;
    let mut about = atlas_export::Table::new("About this export", &["what", "value"]);
    about.rows.push(vec![Cell::Text("Filters".to_owned()), Cell::Text(filter_words(Some(atlas), filter))]);
    about.rows.push(vec![
        Cell::Text("Exported".to_owned()),
        Cell::Text(format!("{} by Integration Atlas", jiff::Zoned::now().date())),
    ]);
    tables.push(about);
    tables
}

/// "84 records: 40 challenges, 44 practices", each count with its noun in the right number.
fn record_counts(total: usize, challenges: usize, practices: usize) -> String {
    format!(
        "{}: {}, {}",
        widgets::plural(total, "record", "records"),
        widgets::plural(challenges, "challenge", "challenges"),
        widgets::plural(practices, "practice", "practices")
    )
}

/// The explorer filter in words ("no filter (all records)" when empty); with the atlas, values read as on screen.
pub fn filter_words(atlas: Option<&Atlas>, filter: &EvidenceFilter) -> String {
    let mut parts: Vec<String> = filter
        .selected
        .iter()
        .filter(|(_, values)| !values.is_empty())
        .map(|(facet, values)| {
            let shown: Vec<String> = values
                .iter()
                .map(|v| match atlas {
                    Some(a) => value_label(a, *facet, v),
                    None => v.clone(),
                })
                .collect();
            format!("{}: {}", facet.label(), shown.join(" or "))
        })
        .collect();
    if !filter.search.trim().is_empty() {
        parts.push(format!("search: “{}”", filter.search.trim()));
    }
    if parts.is_empty() { "no filter (all records)".to_owned() } else { parts.join("; ") }
}

/// The Explorer view.
pub struct Explorer;

impl super::AtlasView for Explorer {
    fn id(&self) -> View {
        View::Explorer
    }

    fn purpose(&self) -> &'static str {
        "The 84 challenges and 100 practices (and your own records): facets with live counts, full-text search, a \
         sortable table, the detail of a record with its sources, and charts where a bar adds a filter."
    }

    fn ui(&self, ui: &mut egui::Ui, cx: &mut super::ViewCx<'_>) {
        let s = cx.session;
        let mut sel = std::mem::take(cx.rt.view::<coded_text::CodedText>(View::Explorer));
        let state = &mut cx.state.explorer;
        let hits = &cx.rt.search_hits;
        cx.rt.explorer.get(
            &s.atlas.evidence,
            s.records_revision(),
            &s.city_names,
            &state.filter,
            state.sort,
            hits.hits.as_ref(),
            hits.version,
        );
        let (results, totals) = (cx.rt.explorer.last(), cx.rt.explorer.totals());
        if std::mem::take(&mut state.reveal)
            && let Some(id) = &state.selected
            && !results.rows.iter().any(|&i| s.atlas.evidence.get(i).is_some_and(|e| &e.id == id))
        {
            // A followed link must show its record in the table: the filters (an old search too) that hide it go,
            // and the view says which.
            state.cleared = Some(filter_words(Some(&s.atlas), &state.filter));
            state.filter = EvidenceFilter::default();
            ui.ctx().request_repaint();
        }
        if let Some(error) = &hits.error {
            ui.label(RichText::new(format!("Invalid search: {error}")).color(ui.visuals().error_fg_color));
        }
        show(ui, s, state, results, totals, &mut sel, cx.commands);
        *cx.rt.view::<coded_text::CodedText>(View::Explorer) = sel;
    }

    fn open(&self, state: &mut UiState, target: &Target) -> bool {
        let e = &mut state.explorer;
        match target {
            Target::Filter(filter) => {
                e.filter = filter.clone();
                e.selected = None;
                e.show_charts = false;
            }
            Target::Facet(facet, value) => e.filter.add(*facet, value),
            Target::Record(id) => {
                e.selected = Some(id.clone());
                e.reveal = true;
            }
            _ => return false,
        }
        true
    }

    fn has_tables(&self) -> bool {
        true
    }

    fn tables(&self, cx: &super::ReadCx<'_>) -> Option<(String, Vec<atlas_export::Table>)> {
        let (s, e) = (cx.session, &cx.state.explorer);
        let hits = cx.rt.search_hits.hits.as_ref();
        let results = atlas_analysis::explorer::compute(&s.atlas.evidence, &s.city_names, &e.filter, e.sort, hits);
        let all = atlas_export::tables::explorer(&s.atlas, Some(&s.workspace), &results);
        Some(("explorer".to_owned(), with_filters(all, &s.atlas, &e.filter)))
    }

    fn slide_title(&self, session: Option<&ReadModel>, state: &UiState) -> String {
        if state.explorer.filter.is_empty() {
            return "Explorer — all records".to_owned();
        }
        format!("Explorer — {}", filter_words(session.map(|s| &s.atlas), &state.explorer.filter))
    }

    fn slide_text(
        &self,
        session: &ReadModel,
        state: &UiState,
        hits: Option<&crate::views::SearchIds>,
    ) -> (Vec<String>, Vec<atlas_core::dataset::Source>) {
        let atlas = &session.atlas;
        let e = &state.explorer;
        let mut lines = vec![format!("Filters: {}", filter_words(Some(atlas), &e.filter))];
        if e.show_charts {
            lines.push(format!("Chart: {}", e.chart.label()));
        }
        let rows = e.filter.apply(&atlas.evidence, hits);
        lines.push(format!("Records shown: {}", rows.len()));
        let sources = rows.into_iter().flat_map(|i| atlas.evidence[i].sources.iter().cloned()).collect();
        (lines, sources)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_have_their_nouns_in_the_right_number() {
        assert_eq!(super::record_counts(1, 1, 0), "1 record: 1 challenge, 0 practices");
        assert_eq!(super::record_counts(184, 84, 100), "184 records: 84 challenges, 100 practices");
    }
}
