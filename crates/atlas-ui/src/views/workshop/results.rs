//! The Workshop's results beside the entry: average and spread per objective, gaps by level of government, and the
//! room beside the case-study evidence, each chart with its numbers as a table.

use eframe::egui::{self, RichText};
use egui_plot::{AxisHints, Bar, BarChart, GridMark, Line, Plot, PlotPoint, Text};

use super::cache::{WorkshopRuntime, clip, em};
use crate::widgets::charts;
use atlas_analysis::rounds::{RoundResults, one_decimal, percent};
use atlas_core::answer_format::ROUND_LEVELS;
use atlas_core::model::AnswerSet;

/// The three charts, each with its numbers as a table. While the room answers from phones, `live` holds the
/// results tallied as the answers arrive, the number of participants, and whether they are revealed.
pub(super) fn results(
    ui: &mut egui::Ui,
    set: &AnswerSet,
    rt: &WorkshopRuntime,
    live: Option<&(RoundResults, usize, bool)>,
) {
    let Some(stored) = &rt.cache.results else { return };
    let e = em(ui);
    let round = set.rounds.get(stored.round);
    let title = round.map(|r| r.title.as_str()).unwrap_or_default();
    let (results, n) = match live {
        Some((tallied, people, _)) => (tallied, *people),
        None => (stored, stored.participants.len()),
    };
    if let Some((_, _, false)) = live {
        ui.label(
            RichText::new(format!("{title}: {n} {}", if n == 1 { "participant" } else { "participants" }))
                .size(e * 1.25)
                .strong(),
        );
        ui.label(
            RichText::new("The results are hidden until you reveal them, so the room does not follow itself.")
                .italics(),
        );
        return;
    }
    ui.label(
        RichText::new(format!("{title}: {n} {}", if n == 1 { "participant" } else { "participants" }))
            .size(e * 1.25)
            .strong(),
    )
    .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, format!("Participants with answers: {n}")));
    if n == 0 {
        ui.label(RichText::new("The charts appear with the first answer.").italics());
        return;
    }
    if crate::widgets::on_slide(ui.ctx()) {
        slide(ui, results);
        return;
    }
    let wide = ui.available_width() >= e * 40.0;

    objectives_heading(ui);
    side_by_side(
        ui,
        wide,
        "workshop_objectives_cols",
        |ui| objective_chart(ui, results),
        |ui| objective_table(ui, results),
    );

    gaps_chart(ui, results, |_| e * 14.0);
    gap_table(ui, results);

    heading(ui, "The room beside the case-study evidence");
    ui.label(
        RichText::new(format!(
            "Share of the {n} participants naming each gap (at any level) and share of the evidence base's {} \
             challenges of that gap type.",
            results.challenges
        ))
        .weak(),
    );
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("■ This room (% of participants)").color(ROOM_COLOR).strong());
        ui.label(RichText::new("■ Evidence base (% of challenges)").color(EVIDENCE_COLOR).strong());
    });
    side_by_side(ui, wide, "workshop_beside_cols", |ui| beside_chart(ui, results), |ui| beside_table(ui, results));
}

/// The results on a slide (1920×1080 at the presentation scale): the objectives with their whole names on the left,
/// the gaps by level on the right, both on one screen. The tables and the third chart stay in the window.
fn slide(ui: &mut egui::Ui, results: &RoundResults) {
    let e = em(ui);
    let (width, height) = (ui.available_width(), ui.available_height());
    let column = |share: f32| egui::vec2(width * share - e * 0.5, height);
    let top_down = egui::Layout::top_down(egui::Align::Min);
    ui.horizontal_top(|ui| {
        ui.allocate_ui_with_layout(column(0.58), top_down, |left| {
            objectives_heading(left);
            let height = left.available_height() - e * 0.5;
            slide_objectives(left, results, height);
        });
        ui.allocate_ui_with_layout(column(0.42), top_down, |right| {
            gaps_chart(right, results, |ui| ui.available_height() - e * 4.0);
        });
    });
}

/// Average and spread per objective for a slide, drawn row by row so that each objective's whole name fits
/// (wrapped beside its bar): a bar for the mean, a line from the lowest to the highest score, the mean as text.
fn slide_objectives(ui: &mut egui::Ui, results: &RoundResults, height: f32) {
    let e = em(ui);
    let n = results.objectives.len().max(1) as f32;
    let axis = e * 1.6;
    let row = ((height - axis) / n).max(e * 1.2);
    let width = ui.available_width();
    let label_w = width * 0.6;
    let bars_w = width - label_w - e * 0.5;
    let bar_color = charts::PALETTE[0];
    let line_color = ui.visuals().strong_text_color();
    let grid = ui.visuals().weak_text_color().gamma_multiply(0.4);
    let small = egui::TextStyle::Small.resolve(ui.style());
    let group = ui.scope(|ui| {
        ui.spacing_mut().item_spacing.y = 0.0;
        let mut first_bar: Option<egui::Rect> = None;
        let mut last_bar: Option<egui::Rect> = None;
        for o in &results.objectives {
            ui.horizontal(|ui| {
                ui.spacing_mut().item_spacing.x = e * 0.5;
                let layout = egui::Layout::right_to_left(egui::Align::Center).with_main_wrap(true);
                let label = ui.allocate_ui_with_layout(egui::vec2(label_w, row), layout, |ui| {
                    ui.set_min_size(egui::vec2(label_w, row));
                    let text = format!("{} {}", o.number, o.short_title);
                    ui.add(egui::Label::new(RichText::new(text)).wrap());
                });
                // A name longer than planned makes its row taller rather than run into the next one.
                let row = label.response.rect.height().max(row);
                let (rect, _) = ui.allocate_exact_size(egui::vec2(bars_w, row), egui::Sense::hover());
                first_bar.get_or_insert(rect);
                last_bar = Some(rect);
                let x_of = |v: f64| rect.left() + (v / 4.6) as f32 * rect.width();
                let Some(s) = o.stats else {
                    ui.painter().text(
                        rect.left_center(),
                        egui::Align2::LEFT_CENTER,
                        "no answers",
                        small.clone(),
                        line_color,
                    );
                    return;
                };
                let painter = ui.painter();
                let bar = egui::Rect::from_min_max(
                    egui::pos2(rect.left(), rect.center().y - row * 0.28),
                    egui::pos2(x_of(s.mean), rect.center().y + row * 0.28),
                );
                painter.rect_filled(bar, 0.0, bar_color);
                let stroke = egui::Stroke::new(2.5, line_color);
                let y = rect.center().y;
                painter.line_segment([egui::pos2(x_of(s.min), y), egui::pos2(x_of(s.max), y)], stroke);
                for end in [s.min, s.max] {
                    let x = x_of(end);
                    painter.line_segment([egui::pos2(x, y - row * 0.2), egui::pos2(x, y + row * 0.2)], stroke);
                }
                painter.text(
                    egui::pos2(x_of(s.max.max(s.mean)) + e * 0.4, y),
                    egui::Align2::LEFT_CENTER,
                    format!("{:.1}", s.mean),
                    small.clone(),
                    line_color,
                );
            });
        }
        // The scale: a grid line and a label at each score.
        if let (Some(top), Some(bottom)) = (first_bar, last_bar) {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(width, axis), egui::Sense::hover());
            for v in 0..=4 {
                let x = bottom.left() + (f64::from(v) / 4.6) as f32 * bottom.width();
                ui.painter().line_segment(
                    [egui::pos2(x, top.top()), egui::pos2(x, bottom.bottom())],
                    egui::Stroke::new(1.0, grid),
                );
                ui.painter().text(
                    egui::pos2(x, rect.top() + axis * 0.1),
                    egui::Align2::CENTER_TOP,
                    v.to_string(),
                    small.clone(),
                    line_color,
                );
            }
        }
    });
    group.response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Image, true, "Chart of average and spread per objective")
    });
}

/// The objectives chart's heading and how to read it.
fn objectives_heading(ui: &mut egui::Ui) {
    heading(ui, "Average and spread per objective");
    ui.label(RichText::new("Bar: mean score (0–4); line: lowest to highest score given.").weak());
}

/// Gaps by level of government, with its heading; `height` is worked out once the heading is drawn.
pub(super) fn gaps_chart(ui: &mut egui::Ui, results: &RoundResults, height: impl FnOnce(&egui::Ui) -> f32) {
    heading(ui, "Gaps by level of government");
    ui.label(RichText::new("Participants who ticked each gap, stacked by the level it is with.").weak());
    let series = results.gaps_by_level();
    if series.totals().iter().all(|t| *t == 0) {
        ui.label(RichText::new("No gaps ticked yet.").italics());
    } else {
        let height = height(ui);
        charts::bars(ui, "workshop_gaps_chart", "Chart of gaps by level", &series, height);
    }
}

fn heading(ui: &mut egui::Ui, title: &str) {
    ui.add_space(em(ui) * 0.8);
    ui.label(RichText::new(title).size(em(ui) * 1.15).strong());
}

fn side_by_side(
    ui: &mut egui::Ui,
    wide: bool,
    id: &str,
    chart: impl FnOnce(&mut egui::Ui),
    table: impl FnOnce(&mut egui::Ui),
) {
    if wide {
        ui.push_id(id, |ui| {
            ui.columns(2, |cols| {
                chart(&mut cols[0]);
                table(&mut cols[1]);
            });
        });
    } else {
        chart(ui);
        table(ui);
    }
}

const ROOM_COLOR: egui::Color32 = charts::PALETTE[1];
const EVIDENCE_COLOR: egui::Color32 = charts::PALETTE[0];

/// A table cell whose accessible name says what the number is.
fn cell(ui: &mut egui::Ui, text: impl Into<egui::WidgetText>, label: String) {
    ui.label(text).widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &label));
}

fn objective_label(number: i64, title: &str) -> String {
    format!("{number} {}", clip(title, 26))
}

fn fixed_plot(id: &str) -> Plot<'static> {
    Plot::new(id)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_grid([true, false])
}

fn category_axis<'a>(plot: Plot<'a>, labels: Vec<String>, e: f32) -> Plot<'a> {
    let n = labels.len();
    let width = labels.iter().map(|c| c.chars().count()).max().unwrap_or(4) as f32 * e * 0.45;
    plot.default_y_bounds(-0.6, n as f64 - 0.4)
        .y_axis_min_width(width)
        .y_grid_spacer(move |_| (0..n).map(|i| GridMark { value: (n - 1 - i) as f64, step_size: 1.0 }).collect())
        .y_axis_formatter(move |mark: GridMark, _| {
            let i = n as f64 - 1.0 - mark.value;
            if i >= 0.0 && (i - i.round()).abs() < 1e-6 {
                labels.get(i.round() as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
}

fn objective_chart(ui: &mut egui::Ui, results: &RoundResults) {
    let e = em(ui);
    let n = results.objectives.len();
    let y_of = |i: usize| (n - 1 - i) as f64;
    let color = charts::PALETTE[0];
    let range_color = ui.visuals().strong_text_color();
    let bars: Vec<Bar> = results
        .objectives
        .iter()
        .enumerate()
        .filter_map(|(i, o)| {
            o.stats.map(|s| Bar::new(y_of(i), s.mean).width(0.6).name(format!("Objective {}", o.number)).fill(color))
        })
        .collect();
    let chart = BarChart::new("Mean score", bars)
        .horizontal()
        .color(color)
        .element_formatter(Box::new(|bar, _| format!("{}: mean {:.1}", bar.name, bar.value)));
    let labels: Vec<String> = results.objectives.iter().map(|o| objective_label(o.number, &o.short_title)).collect();
    let plot = category_axis(fixed_plot("workshop_objectives_chart"), labels, e)
        .height(n as f32 * e * 1.7 + e * 3.0)
        .default_x_bounds(0.0, 5.0)
        .x_grid_spacer(|_| (0..=4).map(|v| GridMark { value: f64::from(v), step_size: 1.0 }).collect())
        .custom_x_axes(vec![AxisHints::new_x().label_spacing(16.0..=24.0)]);
    let response = plot.show(ui, |plot_ui| {
        plot_ui.bar_chart(chart);
        for (i, o) in results.objectives.iter().enumerate() {
            let Some(s) = o.stats else { continue };
            let y = y_of(i);
            let range = "Lowest–highest score";
            plot_ui.line(Line::new(range, vec![[s.min, y], [s.max, y]]).color(range_color).width(2.5));
            for end in [s.min, s.max] {
                plot_ui.line(Line::new(range, vec![[end, y - 0.22], [end, y + 0.22]]).color(range_color).width(2.5));
            }
            plot_ui.text(
                Text::new("Mean", PlotPoint::new(s.max.max(s.mean) + 0.08, y), format!("{:.1}", s.mean))
                    .anchor(egui::Align2::LEFT_CENTER)
                    .color(range_color),
            );
        }
    });
    response.response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Image, true, "Chart of average and spread per objective")
    });
}

fn objective_table(ui: &mut egui::Ui, results: &RoundResults) {
    egui::Grid::new("workshop_objectives_table").striped(true).show(ui, |ui| {
        for h in ["Objective", "Answers", "Mean", "Spread (SD)", "Range"] {
            ui.label(RichText::new(h).strong());
        }
        ui.end_row();
        for o in &results.objectives {
            let n = o.number;
            ui.label(objective_label(n, &o.short_title)).on_hover_text(&o.short_title);
            cell(ui, o.n().to_string(), format!("Answers on objective {n}: {}", o.n()));
            match o.stats {
                Some(s) => {
                    let mean = one_decimal(s.mean);
                    cell(ui, RichText::new(&mean).strong(), format!("Mean score of objective {n}: {mean}"));
                    let sd = one_decimal(s.sd);
                    cell(ui, sd.clone(), format!("Spread of objective {n}: {sd}"));
                    let range = format!("{}–{}", s.min, s.max);
                    cell(ui, range.clone(), format!("Range of objective {n}: {range}"));
                }
                None => {
                    for _ in 0..3 {
                        ui.label("—");
                    }
                }
            }
            ui.end_row();
        }
    });
}

fn gap_table(ui: &mut egui::Ui, results: &RoundResults) {
    let n = results.respondents;
    egui::ScrollArea::horizontal().id_salt("workshop_gap_table_scroll").show(ui, |ui| {
        egui::Grid::new("workshop_gap_table").striped(true).show(ui, |ui| {
            ui.label(RichText::new("Gap").strong());
            for level in ROUND_LEVELS {
                ui.label(RichText::new(level).strong());
            }
            ui.label(RichText::new("Any level").strong());
            ui.end_row();
            for g in &results.gaps {
                ui.label(&g.gap);
                for (level, count) in ROUND_LEVELS.iter().zip(&g.by_level) {
                    cell(ui, count.to_string(), format!("{} gaps with {level}: {count}", g.gap));
                }
                let any = format!("{} of {n}", g.participants);
                cell(ui, RichText::new(&any).strong(), format!("{} gaps at any level: {any}", g.gap));
                ui.end_row();
            }
        });
    });
}

fn beside_chart(ui: &mut egui::Ui, results: &RoundResults) {
    let e = em(ui);
    let n = results.gaps.len();
    let y_of = |i: usize| (n - 1 - i) as f64;
    let (room_color, evidence_color) = (ROOM_COLOR, EVIDENCE_COLOR);
    let room: Vec<Bar> = results
        .gaps
        .iter()
        .enumerate()
        .map(|(i, g)| Bar::new(y_of(i) + 0.18, g.room_share * 100.0).width(0.34).name(&g.gap).fill(room_color))
        .collect();
    let evidence: Vec<Bar> = results
        .gaps
        .iter()
        .enumerate()
        .map(|(i, g)| Bar::new(y_of(i) - 0.18, g.evidence_share * 100.0).width(0.34).name(&g.gap).fill(evidence_color))
        .collect();
    let labels: Vec<String> = results.gaps.iter().map(|g| g.gap.clone()).collect();
    let text_color = ui.visuals().strong_text_color();
    let plot = category_axis(fixed_plot("workshop_beside_chart"), labels, e)
        .height(n as f32 * e * 2.4 + e * 3.0)
        .default_x_bounds(0.0, 115.0)
        .x_grid_spacer(|_| (0..=4).map(|v| GridMark { value: f64::from(v * 25), step_size: 25.0 }).collect())
        .custom_x_axes(vec![
            AxisHints::new_x().label_spacing(30.0..=40.0).formatter(|mark, _| format!("{:.0}%", mark.value)),
        ]);
    let response = plot.show(ui, |plot_ui| {
        plot_ui.bar_chart(
            BarChart::new("This room (% of participants)", room)
                .horizontal()
                .color(room_color)
                .element_formatter(Box::new(|bar, _| format!("{}: {:.0}% of the room", bar.name, bar.value))),
        );
        plot_ui.bar_chart(
            BarChart::new("Evidence base (% of challenges)", evidence)
                .horizontal()
                .color(evidence_color)
                .element_formatter(Box::new(|bar, _| format!("{}: {:.0}% of challenges", bar.name, bar.value))),
        );
        for (i, g) in results.gaps.iter().enumerate() {
            for (share, dy) in [(g.room_share, 0.18), (g.evidence_share, -0.18)] {
                plot_ui.text(
                    Text::new("Share", PlotPoint::new(share * 100.0 + 1.5, y_of(i) + dy), percent(share))
                        .anchor(egui::Align2::LEFT_CENTER)
                        .color(text_color),
                );
            }
        }
    });
    response
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, "Chart of the room beside the evidence"));
}

fn beside_table(ui: &mut egui::Ui, results: &RoundResults) {
    let n = results.respondents;
    egui::Grid::new("workshop_beside_table").striped(true).show(ui, |ui| {
        for h in ["Gap", "This room", "Evidence base"] {
            ui.label(RichText::new(h).strong());
        }
        ui.end_row();
        for g in &results.gaps {
            ui.label(&g.gap);
            let room = format!("{} of {n} ({})", g.participants, percent(g.room_share));
            cell(ui, RichText::new(&room).strong(), format!("Room naming {} gaps: {room}", g.gap));
            let evidence = format!("{} of {} ({})", g.challenges, results.challenges, percent(g.evidence_share));
            cell(ui, evidence.clone(), format!("Evidence challenges with {} gaps: {evidence}", g.gap));
            ui.end_row();
        }
    });
}
