//! Regions: one indicator at a time as a scatter (foreign-born vs comparison), an offline map and a table.

pub use crate::state::{RegionSort, RegionsMode, RegionsState};
use atlas_analysis::Memo;
use std::collections::HashMap;

use eframe::egui::{self, Color32, RichText};
use egui_extras::{Column, TableBuilder};
use egui_plot::{HoverPosition, Legend, Line, MarkerShape, Plot, PlotBounds, PlotPoint, Points, Text};

use crate::command::{Command, FileCmd, Target};
use crate::state::{UiState, View};
use crate::widgets;
use crate::widgets::map::{self, MapDot, MapGeometry, MapRegion, MapStyle, MapView};
use atlas_core::model::{Atlas, Indicator};
use atlas_export::{Table, tables};
use atlas_session::ReadModel;
use atlas_session::annotate::Workspace;

/// The map's colours: each region's fill, and the legend's (value, colour) stops.
type MapFills = (HashMap<String, Color32>, Vec<(f64, Color32)>);
/// What the table's order depends on: indicator, country, sort column, descending.
type TableKey = (String, String, RegionSort, bool);

/// Built once per session: triangulated shapes and the map's pan/zoom.
#[derive(Default)]
pub struct RegionsRuntime {
    geometry: Option<MapGeometry>,
    view: Option<MapView>,
    /// Per indicator code: each region's fill and the legend's stops.
    fills: Memo<String, MapFills>,
    /// Table order (positions in `region_values`), recomputed when indicator, country or sort change.
    table: Memo<TableKey, Vec<usize>>,
}

/// One row of the scatter and the table.
struct Row<'a> {
    code: &'a str,
    name: &'a str,
    country: &'a str,
    fb: Option<f64>,
    comparison: Option<f64>,
    diff: Option<f64>,
}

/// The row for one entry of `region_values`.
fn row_at(atlas: &Atlas, i: usize) -> Option<Row<'_>> {
    let v = atlas.region_values.get(i)?;
    let r = atlas.region(&v.region)?;
    Some(Row {
        code: &r.code,
        name: &r.name,
        country: &r.country_name,
        fb: v.fb,
        comparison: v.comparison,
        diff: v.diff.or_else(|| Some(v.fb? - v.comparison?)),
    })
}

fn rows<'a>(atlas: &'a Atlas, indicator: &str) -> Vec<Row<'a>> {
    (0..atlas.region_values.len())
        .filter(|i| atlas.region_values[*i].indicator == indicator)
        .filter_map(|i| row_at(atlas, i))
        .collect()
}

pub fn show(
    ui: &mut egui::Ui,
    atlas: &Atlas,
    ws: &Workspace,
    state: &mut RegionsState,
    runtime: &mut RegionsRuntime,
    actions: &mut Vec<Command>,
) {
    if atlas.indicator(&state.indicator).is_none() {
        state.indicator = atlas.indicators.first().map(|i| i.code.clone()).unwrap_or_default();
    }
    let Some(indicator) = atlas.indicator(&state.indicator).cloned() else {
        ui.label("No regional data.");
        return;
    };
    if widgets::on_slide(ui.ctx()) {
        // A slide names what it shows instead of offering the choices.
        ui.label(
            RichText::new(format!(
                "{}: {} vs {} ({})",
                indicator.name, indicator.fb_label, indicator.comparison_label, indicator.unit
            ))
            .strong(),
        );
    } else {
        toolbar(ui, atlas, &indicator, state, runtime, actions);
    }
    widgets::findings::compact(ui, atlas, "regions", actions);
    if let Some(note) = &indicator.note {
        ui.label(RichText::new(note).small().weak());
    }
    ui.label(RichText::new(&atlas.info.regions_note).small().weak());
    ui.separator();
    match state.mode {
        RegionsMode::Scatter => scatter(ui, atlas, &indicator, state, actions),
        RegionsMode::Map => map_view(ui, atlas, &indicator, state, runtime, actions),
        RegionsMode::Table => table(ui, atlas, ws, &indicator, state, runtime),
    }
}

fn case_study_regions(atlas: &Atlas) -> Vec<(String, String)> {
    atlas.cities.iter().map(|c| (c.region_code.clone(), c.name.clone())).collect()
}

/// The regions of the indicator as exportable tables: in the table's order and country when the table was shown,
/// otherwise every region (as the scatter and the map show them).
pub fn export_tables(atlas: &Atlas, state: &RegionsState, runtime: &RegionsRuntime) -> Vec<Table> {
    let key = (state.indicator.clone(), state.country.clone(), state.sort, state.descending);
    let order = match (runtime.table.last(), state.mode) {
        (Some(order), RegionsMode::Table) if runtime.table.is_fresh(&key) => order.clone(),
        (_, RegionsMode::Table) => tables::region_order(atlas, &state.indicator, &state.country),
        _ => tables::region_order(atlas, &state.indicator, ""),
    };
    tables::regions(atlas, &state.indicator, &order)
}

fn scatter(ui: &mut egui::Ui, atlas: &Atlas, indicator: &Indicator, state: &RegionsState, actions: &mut Vec<Command>) {
    let all = rows(atlas, &indicator.code);
    let cases = case_study_regions(atlas);
    let is_case = |code: &str| cases.iter().any(|(c, _)| c == code);
    let pts = |keep: &dyn Fn(&Row) -> bool| -> Vec<(usize, [f64; 2])> {
        all.iter().enumerate().filter(|(_, r)| keep(r)).filter_map(|(i, r)| Some((i, [r.comparison?, r.fb?]))).collect()
    };
    let others = pts(&|r: &Row| !is_case(r.code));
    let highlighted = pts(&|r: &Row| is_case(r.code));
    let missing = all.iter().filter(|r| r.fb.is_none() || r.comparison.is_none()).count();
    // A region opened from search or a profile that has no value for this indicator says so, not silently absent.
    if let Some(focus) = &state.focus
        && let Some(r) = all.iter().find(|r| r.code == focus.as_str())
        && (r.fb.is_none() || r.comparison.is_none())
    {
        ui.label(
            RichText::new(format!("{} {} has no data for this indicator, so it is not on the chart.", r.code, r.name))
                .color(ui.visuals().warn_fg_color),
        );
    }
    let save = ui
        .horizontal(|ui| {
            ui.label(format!(
                "{} regions plotted; {missing} without data for this indicator. Above the diagonal: the foreign-born \
                 value is higher.",
                others.len() + highlighted.len()
            ));
            widgets::png_button(ui, "scatter of regions")
        })
        .inner;
    let (lo, hi) = all
        .iter()
        .flat_map(|r| [r.fb, r.comparison])
        .flatten()
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = if lo <= hi { (lo.min(0.0), hi) } else { (0.0, 1.0) };
    let describe = |i: usize| {
        let r = &all[i];
        format!(
            "{} {} ({})\n{}: {}\n{}: {}",
            r.code,
            r.name,
            r.country,
            indicator.fb_label,
            num(r.fb),
            indicator.comparison_label,
            num(r.comparison)
        )
    };
    let other_index: Vec<usize> = others.iter().map(|(i, _)| *i).collect();
    let case_index: Vec<usize> = highlighted.iter().map(|(i, _)| *i).collect();
    let focus = state.focus.clone();
    let accent = Color32::from_rgb(214, 39, 40);
    let plot = Plot::new("regions_scatter")
        .legend(Legend::default().position(emptiest_corner(&others, &highlighted, lo, hi * 1.05)))
        .include_x(0.0)
        .include_y(0.0)
        .include_x(hi * 1.05)
        .include_y(hi * 1.05)
        .x_axis_label(format!("{} ({})", indicator.comparison_label, indicator.unit))
        .y_axis_label(format!("{} ({})", indicator.fb_label, indicator.unit))
        .label_formatter(move |hover: &HoverPosition<'_>| match hover {
            HoverPosition::NearDataPoint { plot_name, index, .. } => {
                let list = if *plot_name == "Case-study regions" { &case_index } else { &other_index };
                list.get(*index).map(|i| describe(*i))
            }
            HoverPosition::Elsewhere { .. } => None,
        })
        .allow_scroll(false)
        .height(ui.available_height().max(300.0));
    // In a scope, so that the rect saved as PNG holds the axes and their labels too.
    let scoped = ui.scope(|ui| {
        plot.show(ui, |plot_ui| {
            plot_ui.line(Line::new("Equal values", vec![[lo, lo], [hi, hi]]).color(Color32::GRAY).width(1.0));
            plot_ui.points(
                Points::new("Other regions", others.iter().map(|(_, p)| *p).collect::<Vec<_>>())
                    .radius(3.0)
                    .color(Color32::from_rgb(31, 119, 180).gamma_multiply(0.7)),
            );
            plot_ui.points(
                Points::new("Case-study regions", highlighted.iter().map(|(_, p)| *p).collect::<Vec<_>>())
                    .radius(6.0)
                    .shape(MarkerShape::Diamond)
                    .color(accent),
            );
            let bounds = plot_ui.plot_bounds();
            for (i, p, at) in label_places(&highlighted, bounds.width(), bounds.height(), bounds.min()[1]) {
                let r = &all[i];
                let city =
                    cases.iter().filter(|(c, _)| c == r.code).map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ");
                let strong = focus.as_deref() == Some(r.code);
                let text = RichText::new(format!("  {city} ({})", r.code)).color(accent);
                let text = if strong { text.strong().size(17.0) } else { text };
                if at != p {
                    // Moved off a neighbour's label: a leader line ties it to its point.
                    plot_ui.line(Line::new("", vec![p, at]).color(accent.gamma_multiply(0.6)).width(1.0));
                }
                plot_ui.text(Text::new("", PlotPoint::new(at[0], at[1]), text).anchor(egui::Align2::LEFT_CENTER));
            }
            // The wheel zooms around the pointer; the view never pans into values that cannot be negative.
            if lo >= 0.0 {
                let b = plot_ui.plot_bounds();
                let [x0, y0] = b.min();
                if x0 < 0.0 || y0 < 0.0 {
                    let (w, h) = (b.width(), b.height());
                    let (x0, y0) = (x0.max(0.0), y0.max(0.0));
                    plot_ui.set_plot_bounds(PlotBounds::from_min_max([x0, y0], [x0 + w, y0 + h]));
                }
            }
        })
    });
    let response = scoped.inner;
    response.response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Image, true, "Scatter of regions; case-study regions highlighted")
    });
    if save {
        let name = format!("regions-scatter-{}", tables::slug(&indicator.code));
        actions.push(Command::Files(FileCmd::SaveChart { name, rect: scoped.response.rect }));
    }
    // The case-study regions as text, for screen readers and a quick read.
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Case-study regions:").strong());
        for (i, _) in &highlighted {
            let r = &all[*i];
            ui.label(format!("{} {}: {} vs {};", r.code, r.name, num(r.fb), num(r.comparison)));
        }
    });
    // Where the source gives one value for several regions (Burgenland = Vienna), say so.
    for (i, _) in &highlighted {
        let r = &all[*i];
        let same: Vec<&str> = all
            .iter()
            .filter(|o| o.code != r.code && o.country == r.country && o.fb.is_some() && o.fb == r.fb)
            .filter(|o| o.comparison == r.comparison)
            .map(|o| o.name)
            .collect();
        if !same.is_empty() {
            widgets::hint(
                ui,
                format!(
                    "{}: the source gives the same values for {} (one figure for several regions).",
                    r.name,
                    same.join(", ")
                ),
            );
        }
    }
}

/// The corner of the scatter with the fewest points, for the legend (so that it covers no region).
fn emptiest_corner(a: &[(usize, [f64; 2])], b: &[(usize, [f64; 2])], lo: f64, hi: f64) -> egui_plot::Corner {
    use egui_plot::Corner;
    let span = (hi - lo).max(f64::EPSILON);
    let near = |v: f64, high: bool, share: f64| if high { v >= hi - span * share } else { v <= lo + span * share };
    let count = |right: bool, top: bool| {
        a.iter().chain(b).filter(|(_, [x, y])| near(*x, right, 0.4) && near(*y, top, 0.3)).count()
    };
    // The top right holds the end of the diagonal, so it comes last among equals.
    [(Corner::RightBottom, true, false), (Corner::LeftTop, false, true), (Corner::RightTop, true, true)]
        .into_iter()
        .min_by_key(|(_, right, top)| count(*right, *top))
        .map_or(Corner::RightBottom, |(corner, _, _)| corner)
}

/// Where each case-study label goes: at its point, or moved to the nearest free place above or below (in steps of a
/// label's height) off the labels already placed that it would overlap, so that nearby regions (Paris, Vienna, Rome) stay readable. Returns
/// (row, point, label position).
fn label_places(
    points: &[(usize, [f64; 2])],
    width: f64,
    height: f64,
    bottom: f64,
) -> Vec<(usize, [f64; 2], [f64; 2])> {
    let (w, h) = (width * 0.13, height * 0.04);
    let mut sorted: Vec<(usize, [f64; 2])> = points.to_vec();
    sorted.sort_by(|a, b| b.1[1].total_cmp(&a.1[1]).then(a.1[0].total_cmp(&b.1[0])));
    let mut placed: Vec<(usize, [f64; 2], [f64; 2])> = Vec::new();
    for (i, p) in sorted {
        // The nearest free place: at the point, then one label-height below, above, two below, …
        let free = |at: [f64; 2]| {
            at[1] >= bottom + h * 0.6
                && !placed.iter().any(|(_, _, q)| (q[0] - at[0]).abs() < w && (q[1] - at[1]).abs() < h)
        };
        let at = (0..40)
            .map(|k: i32| {
                let step = f64::from((k + 1) / 2) * if k % 2 == 1 { -h } else { h };
                [p[0], p[1] + step]
            })
            .find(|at| free(*at))
            .unwrap_or(p);
        placed.push((i, p, at));
    }
    placed
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "no data".to_owned(), |x| format!("{x:.1}"))
}

fn table(
    ui: &mut egui::Ui,
    atlas: &Atlas,
    ws: &Workspace,
    indicator: &Indicator,
    state: &mut RegionsState,
    runtime: &mut RegionsRuntime,
) {
    let mut countries: Vec<(&str, &str)> =
        atlas.regions.iter().map(|r| (r.country.as_str(), r.country_name.as_str())).collect();
    countries.sort_by_key(|(_, n)| *n);
    countries.dedup();
    ui.horizontal(|ui| {
        let label = ui.label("Country:");
        let current = countries.iter().find(|(c, _)| *c == state.country).map_or("All countries", |(_, n)| n);
        egui::ComboBox::from_id_salt("regions_country")
            .selected_text(current)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.country, String::new(), "All countries");
                for (code, name) in &countries {
                    ui.selectable_value(&mut state.country, (*code).to_owned(), *name);
                }
            })
            .response
            .labelled_by(label.id);
    });
    let key = (indicator.code.clone(), state.country.clone(), state.sort, state.descending);
    let order: &[usize] = runtime.table.get_or(key, || {
        let mut order: Vec<usize> = (0..atlas.region_values.len())
            .filter(|i| atlas.region_values[*i].indicator == indicator.code)
            .filter(|i| {
                state.country.is_empty()
                    || atlas.region(&atlas.region_values[*i].region).is_some_and(|x| x.country == state.country)
            })
            .collect();
        let num = |v: Option<f64>| v.unwrap_or(f64::NEG_INFINITY);
        order.sort_by(|a, b| {
            let (Some(a), Some(b)) = (row_at(atlas, *a), row_at(atlas, *b)) else { return std::cmp::Ordering::Equal };
            match state.sort {
                RegionSort::Country => a.country.cmp(b.country).then(a.code.cmp(b.code)),
                RegionSort::Name => a.name.cmp(b.name),
                RegionSort::ForeignBorn => num(a.fb).total_cmp(&num(b.fb)),
                RegionSort::Comparison => num(a.comparison).total_cmp(&num(b.comparison)),
                RegionSort::Difference => num(a.diff).total_cmp(&num(b.diff)),
            }
        });
        if state.descending {
            order.reverse();
        }
        order
    });
    let cases = case_study_regions(atlas);
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let headers = [
        (Some(RegionSort::Name), "Region"),
        (Some(RegionSort::Country), "Country"),
        (Some(RegionSort::ForeignBorn), "Foreign-born"),
        (Some(RegionSort::Comparison), "Comparison"),
        (Some(RegionSort::Difference), "Difference"),
        (None, "Case-study city"),
    ];
    TableBuilder::new(ui)
        .id_salt("regions_table")
        .striped(true)
        .column(Column::initial(260.0).clip(true))
        .column(Column::initial(140.0))
        .columns(Column::initial(110.0), 3)
        .column(Column::remainder())
        .header(row_height, |mut header| {
            for (sort, name) in headers {
                header.col(|ui| {
                    let Some(sort) = sort else {
                        ui.strong(name);
                        return;
                    };
                    widgets::sort_header(ui, "regions", name, sort, &mut state.sort, &mut state.descending);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, order.len(), |mut row| {
                let Some(r) = row_at(atlas, order[row.index()]) else { return };
                let r = &r;
                let city: Vec<&str> = cases.iter().filter(|(c, _)| c == r.code).map(|(_, n)| n.as_str()).collect();
                let focus = state.focus.as_deref() == Some(r.code);
                row.set_selected(focus);
                row.col(|ui| {
                    ui.label(format!("{} {}", r.code, r.name));
                });
                row.col(|ui| {
                    ui.label(r.country);
                });
                row.col(|ui| {
                    ui.label(num(r.fb));
                });
                row.col(|ui| {
                    ui.label(num(r.comparison));
                });
                row.col(|ui| {
                    ui.label(num(r.diff));
                });
                row.col(|ui| {
                    let notes = ws.note_count(atlas_session::TargetKind::Region, r.code);
                    let mark = if notes > 0 { format!("  ✎ {notes}") } else { String::new() };
                    ui.label(format!("{}{mark}", city.join(", ")));
                });
            });
        });
}

/// The indicator, the way of showing it (scatter, map, table) and the table export.
fn toolbar(
    ui: &mut egui::Ui,
    atlas: &Atlas,
    indicator: &Indicator,
    state: &mut RegionsState,
    runtime: &mut RegionsRuntime,
    actions: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Indicator:").strong());
        for ind in &atlas.indicators {
            let r = ui.selectable_label(state.indicator == ind.code, &ind.name);
            if r.clicked() {
                state.indicator = ind.code.clone();
            }
        }
    });
    ui.horizontal(|ui| {
        for (mode, name) in
            [(RegionsMode::Scatter, "Scatter"), (RegionsMode::Map, "Map"), (RegionsMode::Table, "Table")]
        {
            if ui.selectable_label(state.mode == mode, name).clicked() {
                state.mode = mode;
            }
        }
        ui.separator();
        ui.label(
            RichText::new(format!("{} vs {} ({})", indicator.fb_label, indicator.comparison_label, indicator.unit))
                .small(),
        );
        ui.separator();
        let name = format!("regions-{}", tables::slug(&indicator.code));
        widgets::export_button(ui, "Export table…", &name, || export_tables(atlas, state, runtime), actions);
    });
}

/// The map view that frames every case-study city, with room for their labels.
fn case_study_view(atlas: &Atlas) -> MapView {
    let points = atlas.cities.iter().filter(|c| c.lon.is_finite() && c.lat.is_finite());
    let (min, max) = points.fold(([f64::MAX; 2], [f64::MIN; 2]), |(lo, hi), c| {
        ([lo[0].min(c.lon), lo[1].min(c.lat)], [hi[0].max(c.lon), hi[1].max(c.lat)])
    });
    if min[0] > max[0] {
        return MapView::europe();
    }
    MapView::fit([min[0] - 4.0, min[1] - 2.0], [max[0] + 6.0, max[1] + 2.0])
}

/// Sequential colour scale from light to dark blue; `t` in 0..=1.
fn ramp(t: f64) -> Color32 {
    let t = t.clamp(0.0, 1.0) as f32;
    let lerp = |a: f32, b: f32| (a + (b - a) * t) as u8;
    Color32::from_rgb(lerp(222.0, 8.0), lerp(235.0, 48.0), lerp(247.0, 107.0))
}

fn map_view(
    ui: &mut egui::Ui,
    atlas: &Atlas,
    indicator: &Indicator,
    state: &RegionsState,
    runtime: &mut RegionsRuntime,
    actions: &mut Vec<Command>,
) {
    let geometry = runtime.geometry.get_or_insert_with(|| {
        MapGeometry::new(
            atlas
                .region_shapes
                .iter()
                .map(|s| MapRegion {
                    code: s.code.clone(),
                    name: s.name.clone(),
                    country: s.country.clone(),
                    polygons: s.polygons.clone(),
                })
                .collect(),
        )
    });
    // A slide frames the case-study cities (and leaves the window's own pan and zoom alone).
    let mut slide_view = widgets::on_slide(ui.ctx()).then(|| case_study_view(atlas));
    let view = match &mut slide_view {
        Some(v) => v,
        None => runtime.view.get_or_insert_with(MapView::europe),
    };
    // Colours per region, recomputed only when the indicator changes.
    let (fills, legend) = &*runtime.fills.get_or(indicator.code.clone(), || {
        let values: Vec<(String, f64)> = atlas
            .region_values
            .iter()
            .filter(|v| v.indicator == indicator.code)
            .filter_map(|v| Some((v.region.clone(), v.fb?)))
            .collect();
        let (lo, hi) = values.iter().fold((f64::MAX, f64::MIN), |(lo, hi), (_, v)| (lo.min(*v), hi.max(*v)));
        let span = if hi > lo { hi - lo } else { 1.0 };
        let fills: HashMap<String, Color32> = values.iter().map(|(c, v)| (c.clone(), ramp((v - lo) / span))).collect();
        let legend = (0..=4)
            .map(|k| {
                let t = k as f64 / 4.0;
                (lo + t * span, ramp(t))
            })
            .collect();
        (fills, legend)
    });
    let dots: Vec<MapDot> =
        atlas.cities.iter().map(|c| MapDot { label: c.name.clone(), lon: c.lon, lat: c.lat }).collect();
    let highlight: Vec<String> =
        atlas.cities.iter().map(|c| c.region_code.clone()).chain(state.focus.clone()).collect();
    let mut save = false;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("{} ({}):", indicator.fb_label, indicator.unit)).strong());
        for (value, color) in legend {
            ui.label(RichText::new("■■").color(*color));
            ui.label(format!("{value:.1}"));
        }
        ui.label(RichText::new("■■").color(Color32::from_gray(190)));
        ui.label("no data");
        widgets::hint(ui, "Drag to pan, scroll to zoom, double-click to reset.");
        save = widgets::png_button(ui, "map of regions");
    });
    let style = MapStyle {
        fill: fills,
        no_data: Color32::from_gray(190),
        outline: egui::Stroke::new(0.5, Color32::from_gray(90)),
        dots: &dots,
        highlight: &highlight,
    };
    let response = map::show(ui, geometry, view, &style, None);
    if save {
        let name = format!("regions-map-{}", tables::slug(&indicator.code));
        actions.push(Command::Files(FileCmd::SaveChart { name, rect: response.response.rect }));
    }
    if let Some(code) = &response.hovered
        && let Some(region) = atlas.region(code)
    {
        let value = atlas.region_values.iter().find(|v| v.indicator == indicator.code && v.region == *code);
        let text = format!(
            "{} {} ({})\n{}: {}\n{}: {}",
            region.code,
            region.name,
            region.country_name,
            indicator.fb_label,
            num(value.and_then(|v| v.fb)),
            indicator.comparison_label,
            num(value.and_then(|v| v.comparison))
        );
        response.response.clone().on_hover_text_at_pointer(text);
    }
}

/// The Regions view.
pub struct Regions;

impl super::AtlasView for Regions {
    fn id(&self) -> View {
        View::Regions
    }

    fn purpose(&self) -> &'static str {
        "The OECD regional database, one indicator at a time: a scatter of foreign-born against comparison values, \
         an offline map, and a sortable table by country; case-study regions highlighted."
    }

    fn ui(&self, ui: &mut egui::Ui, cx: &mut super::ViewCx<'_>) {
        let table = cx.state.regions.mode == RegionsMode::Table;
        let mut draw = |ui: &mut egui::Ui| {
            show(
                ui,
                &cx.session.atlas,
                &cx.session.workspace,
                &mut cx.state.regions,
                cx.rt.view::<RegionsRuntime>(View::Regions),
                cx.commands,
            );
        };
        // In a short window (small or zoomed) the choices above the chart leave it little room: the view scrolls,
        // and the chart keeps a readable height. The table scrolls by itself.
        if ui.available_height() < 560.0 && !table {
            egui::ScrollArea::vertical().id_salt("regions_scroll").auto_shrink([false, false]).show(ui, draw);
        } else {
            draw(ui);
        }
    }

    fn open(&self, state: &mut UiState, target: &Target) -> bool {
        match target {
            Target::Region(code) => {
                state.regions.focus = Some(code.clone());
                true
            }
            Target::Indicator(code) => {
                state.regions.indicator = code.clone();
                true
            }
            _ => false,
        }
    }

    fn has_tables(&self) -> bool {
        true
    }

    fn tables(&self, cx: &super::ReadCx<'_>) -> Option<(String, Vec<Table>)> {
        let name = format!("regions-{}", tables::slug(&cx.state.regions.indicator));
        let fresh = RegionsRuntime::default();
        let runtime = cx.rt.view_ref::<RegionsRuntime>(View::Regions).unwrap_or(&fresh);
        Some((name, export_tables(&cx.session.atlas, &cx.state.regions, runtime)))
    }

    fn slide_title(&self, session: Option<&ReadModel>, state: &UiState) -> String {
        let code = &state.regions.indicator;
        let name = session.and_then(|s| s.atlas.indicator(code)).map_or_else(|| code.clone(), |i| i.name.clone());
        format!("Regions — {name}")
    }

    fn slide_text(
        &self,
        session: &ReadModel,
        state: &UiState,
        _hits: Option<&crate::views::SearchIds>,
    ) -> (Vec<String>, Vec<atlas_core::dataset::Source>) {
        let atlas = &session.atlas;
        let r = &state.regions;
        let name = atlas.indicator(&r.indicator).map_or_else(|| r.indicator.clone(), |i| i.name.clone());
        let mut lines = vec![format!("Indicator: {name}")];
        if !r.country.is_empty() {
            lines.push(format!("Country: {}", r.country));
        }
        lines.push(format!("Data: {}", atlas.info.regions_citation));
        (lines, Vec::new())
    }
}
