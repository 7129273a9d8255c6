//! Horizontal bar charts (egui_plot) whose bars can be clicked, with a text alternative of the same numbers.

use eframe::egui::{self, Color32};
use egui_plot::{Bar, BarChart, GridMark, Plot};

use atlas_analysis::Series;

/// Colours for stacked series, readable on light and dark backgrounds.
pub const PALETTE: [Color32; 10] = [
    Color32::from_rgb(31, 119, 180),
    Color32::from_rgb(255, 127, 14),
    Color32::from_rgb(44, 160, 44),
    Color32::from_rgb(214, 39, 40),
    Color32::from_rgb(148, 103, 189),
    Color32::from_rgb(140, 86, 75),
    Color32::from_rgb(227, 119, 194),
    Color32::from_rgb(127, 127, 127),
    Color32::from_rgb(188, 189, 34),
    Color32::from_rgb(23, 190, 207),
];

/// The colour of a category wherever it is charted (explorer, compare, workshop, exports): the levels of government
/// and the gap types keep their place in the palette, anything else gets a colour from its name, so a level's colour
/// does not change with the filters.
pub fn color_of(name: &str) -> Color32 {
    let folded = name.trim().to_lowercase();
    if let Some(i) = atlas_core::dataset::LEVELS.iter().position(|l| l.to_lowercase() == folded) {
        return PALETTE[i % PALETTE.len()];
    }
    if let Some(i) = atlas_core::dataset::GAP_TYPES.iter().position(|g| g.to_lowercase() == folded) {
        return PALETTE[i % PALETTE.len()];
    }
    let hash = folded.bytes().fold(2_166_136_261u32, |h, b| (h ^ u32::from(b)).wrapping_mul(16_777_619));
    PALETTE[hash as usize % PALETTE.len()]
}

/// The legend of a stacked chart, above it (not over the bars): a swatch and the name of each stack.
pub fn legend(ui: &mut egui::Ui, names: &[&str]) {
    ui.horizontal_wrapped(|ui| {
        for name in names {
            // Swatch and name as one piece of known width: a line breaks between entries, never inside one.
            let font = egui::TextStyle::Body.resolve(ui.style());
            let galley = ui.painter().layout_no_wrap((*name).to_owned(), font, ui.visuals().text_color());
            let gap = 4.0;
            let size = egui::vec2(12.0 + gap + galley.size().x, galley.size().y.max(12.0));
            let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
            let swatch =
                egui::Rect::from_center_size(egui::pos2(rect.left() + 6.0, rect.center().y), egui::vec2(12.0, 12.0));
            ui.painter().rect_filled(swatch, 2.0, color_of(name));
            let text_pos = egui::pos2(swatch.right() + gap, rect.center().y - galley.size().y / 2.0);
            ui.painter().galley(text_pos, galley, ui.visuals().text_color());
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, *name));
            ui.add_space(6.0);
        }
    });
}

/// Draws `series` as horizontal bars (first category on top) and returns the index of a clicked category.
/// `label` names the chart for screen readers and tests.
pub fn bars(ui: &mut egui::Ui, id: &str, label: &str, series: &Series, height: f32) -> Option<usize> {
    bars_at(ui, id, label, series, height).0
}

/// [`bars`], also returning where the chart was drawn, axes included (for saving it as PNG); `None` when there was
/// nothing to chart.
pub fn bars_at(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    series: &Series,
    height: f32,
) -> (Option<usize>, Option<egui::Rect>) {
    draw(ui, id, label, series, height, false, &[])
}

/// [`bars_at`] with caption lines (title, filters in words) drawn above the chart and inside what is saved as PNG
/// or shown on a slide, and the value axis named after `unit`.
pub fn captioned_bars_at(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    series: &Series,
    height: f32,
    caption: &[String],
) -> (Option<usize>, Option<egui::Rect>) {
    draw(ui, id, label, series, height, false, caption)
}

/// [`bars_at`] with the stacks side by side in each category instead of stacked (two cities compared).
pub fn grouped_bars_at(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    series: &Series,
    height: f32,
) -> (Option<usize>, Option<egui::Rect>) {
    draw(ui, id, label, series, height, true, &[])
}

fn draw(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    series: &Series,
    height: f32,
    grouped: bool,
    caption: &[String],
) -> (Option<usize>, Option<egui::Rect>) {
    let n = series.categories.len();
    if n == 0 {
        ui.label("Nothing to chart for this selection.");
        return (None, None);
    }
    // Category i is drawn at y = n - 1 - i, so the first category is on top.
    let y_of = move |i: usize| (n - 1 - i) as f64;
    let mut charts: Vec<BarChart> = Vec::new();
    let k = series.stacks.len().max(1) as f64;
    for (s, (name, counts)) in series.stacks.iter().enumerate() {
        // Side by side: each stack gets its slice of the category's band; stacked: one bar per category.
        let (offset, width) = if grouped { (((s as f64 + 0.5) / k - 0.5) * 0.8, 0.8 / k) } else { (0.0, 0.7) };
        let bars: Vec<Bar> = counts
            .iter()
            .enumerate()
            .map(|(i, c)| {
                Bar::new(y_of(i) - offset, *c as f64)
                    .width(width)
                    .name(&series.categories[i])
                    // Opaque, the legend's colour exactly: a translucent fill looks paler on the white of an
                    // exported PNG than on the window's panel.
                    .fill(color_of(name))
            })
            .collect();
        let mut chart = BarChart::new(name.clone(), bars).horizontal().color(color_of(name));
        let below: Vec<&BarChart> = charts.iter().collect();
        if !below.is_empty() && !grouped {
            chart = chart.stack_on(&below);
        }
        charts.push(chart);
    }
    let categories = series.categories.clone();
    let max = if grouped {
        series.stacks.iter().flat_map(|(_, v)| v.iter().copied()).max().unwrap_or(0).max(1) as f64
    } else {
        series.totals().into_iter().max().unwrap_or(0).max(1) as f64
    };
    let label_width = categories.iter().map(|c| c.chars().count()).max().unwrap_or(4).min(28) as f32 * 7.5;
    // In a scope, so that the rect saved as PNG holds the legend, the axes and their labels too.
    let stacked: Vec<&str> = series.stacks.iter().map(|(n, _)| n.as_str()).collect();
    let scoped = ui.scope(|ui| {
        for (i, line) in caption.iter().enumerate() {
            let text = egui::RichText::new(line);
            ui.label(if i == 0 { text.strong() } else { text.small() });
        }
        if stacked.len() > 1 {
            legend(ui, &stacked);
        }
        let plot = Plot::new(id);
        let plot = if caption.is_empty() { plot } else { plot.x_axis_label("records") };
        plot.height(height)
            .allow_zoom(false)
            .allow_drag(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .allow_double_click_reset(false)
            .show_grid([true, false])
            .default_y_bounds(-0.6, n as f64 - 0.4)
            .default_x_bounds(0.0, max * 1.08)
            .y_axis_min_width(label_width)
            .y_grid_spacer(move |_input| (0..n).map(|i| GridMark { value: y_of(i), step_size: 1.0 }).collect())
            .y_axis_formatter(move |mark: GridMark, _range| {
                let i = n as f64 - 1.0 - mark.value;
                if i >= 0.0 && (i - i.round()).abs() < 1e-6 {
                    categories.get(i.round() as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .show(ui, |plot_ui| {
                for chart in charts {
                    plot_ui.bar_chart(chart);
                }
                if plot_ui.response().clicked() { plot_ui.pointer_coordinate().map(|p| p.y) } else { None }
            })
    });
    let response = scoped.inner;
    response.response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, label));
    let rect = Some(scoped.response.rect);
    let Some(clicked_y) = response.inner else { return (None, rect) };
    let i = n as f64 - 1.0 - clicked_y.round();
    let hit = (i >= 0.0 && (i as usize) < n && (clicked_y - clicked_y.round()).abs() <= 0.4).then_some(i as usize);
    (hit, rect)
}
