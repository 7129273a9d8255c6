//! The city's own indicators per objective: define one (optionally linked to a regional indicator of its TL2
//! region), add dated values, and see each over time with its target as a horizontal line.

use eframe::egui::{self, Color32, RichText};
use egui_plot::{Line, Plot, Points};

use super::{AssessRuntime, button, field};
use crate::command::{AssessCmd, Command};
use atlas_analysis::assessment::{RegionReading, Report, indicator_series, objective_title};
use atlas_session::annotate::assessments::IndicatorDraft;
use atlas_session::{CityIndicator, Direction, ReadModel, is_date};

/// The "new indicator" form and the "add a value" fields.
#[derive(Default)]
pub struct IndicatorForm {
    pub name: String,
    pub unit: String,
    pub objective: i64,
    pub direction: Direction,
    pub target: String,
    pub source: String,
    pub region_indicator: Option<String>,
    /// (date, value) being typed, by indicator.
    pub values: std::collections::HashMap<String, (String, String)>,
}

pub fn show(ui: &mut egui::Ui, session: &ReadModel, r: &Report, rt: &mut AssessRuntime, out: &mut Vec<Command>) {
    ui.label("Indicators the city measures itself by, per objective, with dated values and a target.");
    if r.indicators.is_empty() {
        ui.label(RichText::new("No indicator defined yet.").weak());
    }
    for (i, reading) in &r.indicators {
        egui::Frame::group(ui.style()).show(ui, |ui| indicator(ui, session, i, reading.as_ref(), rt, out));
    }
    crate::widgets::section(ui, "Define an indicator");
    form(ui, session, r, rt, out);
}

fn indicator(
    ui: &mut egui::Ui,
    session: &ReadModel,
    i: &CityIndicator,
    reading: Option<&RegionReading>,
    rt: &mut AssessRuntime,
    out: &mut Vec<Command>,
) {
    let target = i.target.map_or_else(|| "no target".to_owned(), |t| format!("target {t} {}", i.unit));
    ui.label(
        RichText::new(format!(
            "{} ({}) · objective {} {}",
            i.name,
            i.unit,
            i.objective,
            objective_title(&session.atlas, i.objective)
        ))
        .strong(),
    );
    ui.label(format!(
        "{} is better · {target} · source: {}",
        i.direction,
        if i.source.is_empty() { "not given" } else { &i.source }
    ));
    if let Some(rr) = reading {
        let value = rr.value.map_or_else(|| "unknown".to_owned(), |v| format!("{v:.1} {}", rr.unit));
        let rank = rr.rank.map_or_else(|| "rank unknown".to_owned(), |k| format!("rank {k} of {}", rr.ranked_of));
        ui.label(format!(
            "Region {} ({}): {} {value}, {rank} — reference year not given (OECD regional database)",
            rr.region_name, rr.region, rr.indicator_name
        ));
    } else if i.region_indicator.is_some() {
        ui.label(RichText::new("Linked regional indicator: no value for this region.").weak());
    }
    let points = indicator_series(i);
    if points.is_empty() {
        ui.label(RichText::new("No value yet.").weak());
    } else {
        let values: Vec<String> = i.values.iter().map(|v| format!("{}: {}", v.on, v.value)).collect();
        ui.label(format!("Values: {}", values.join("; ")));
        chart(ui, i, &points);
    }
    ui.horizontal(|ui| {
        let salt = &i.name;
        let (date, value) = rt.ind.values.entry(i.uuid.clone()).or_default();
        field(ui, &format!("Date for {salt}:"), date, 100.0);
        field(ui, &format!("Value for {salt}:"), value, 80.0);
        if button(ui, "Add value", &format!("Add value to {salt}")) {
            let on = date.trim().to_owned();
            match value.trim().replace(',', ".").parse::<f64>() {
                Ok(v) if v.is_finite() && is_date(&on) => {
                    out.push(Command::Assess(AssessCmd::SetValue {
                        uuid: i.uuid.clone(),
                        on,
                        value: v,
                        note: String::new(),
                    }));
                    value.clear();
                    rt.problem = None;
                }
                _ => rt.problem = Some("A value needs a date like 2026-03-01 and a number.".to_owned()),
            }
        }
    });
}

fn chart(ui: &mut egui::Ui, i: &CityIndicator, points: &[(String, f64, f64)]) {
    let first: Option<jiff::civil::Date> = points.first().and_then(|(d, _, _)| d.get(..10)?.parse().ok());
    let xy: Vec<[f64; 2]> = points.iter().map(|(_, x, y)| [*x, *y]).collect();
    let last = xy.last().map_or(1.0, |p| p[0].max(1.0));
    let response = Plot::new(("assess_indicator", &i.uuid))
        .height(160.0)
        .width(480.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .x_axis_formatter(move |mark, _| {
            // x is days since the first value: the tick shows the date.
            first
                .and_then(|d| d.checked_add(jiff::Span::new().days(mark.value.round() as i64)).ok())
                .map(|d| d.to_string())
                .unwrap_or_default()
        })
        .y_axis_label(i.unit.clone())
        .show(ui, |p| {
            if let Some(t) = i.target {
                p.line(
                    Line::new(format!("Target ({t})"), vec![[0.0, t], [last, t]])
                        .color(Color32::from_rgb(44, 160, 44))
                        .width(1.5),
                );
            }
            p.line(Line::new(i.name.clone(), xy.clone()).color(Color32::from_rgb(31, 119, 180)).width(2.0));
            p.points(Points::new("", xy.clone()).radius(4.0).color(Color32::from_rgb(31, 119, 180)));
        });
    if let Some(t) = i.target {
        ui.label(RichText::new(format!("Blue: the values; green line: the target, {t} {}.", i.unit)).small().weak());
    }
    let label = format!("Chart of {} over time", i.name);
    response.response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &label));
}

fn form(ui: &mut egui::Ui, session: &ReadModel, r: &Report, rt: &mut AssessRuntime, out: &mut Vec<Command>) {
    let f = &mut rt.ind;
    if f.objective == 0 {
        f.objective = 1;
    }
    ui.horizontal_wrapped(|ui| {
        field(ui, "Indicator name:", &mut f.name, 200.0);
        field(ui, "Unit:", &mut f.unit, 60.0);
        let l = ui.label("For objective:");
        egui::ComboBox::from_id_salt("assess_ind_objective")
            .selected_text(f.objective.to_string())
            .show_ui(ui, |ui| {
                for n in 1..=12 {
                    ui.selectable_value(&mut f.objective, n, format!("{n}. {}", objective_title(&session.atlas, n)));
                }
            })
            .response
            .labelled_by(l.id);
        let l = ui.label("Better when:");
        egui::ComboBox::from_id_salt("assess_ind_direction")
            .selected_text(f.direction.as_str())
            .show_ui(ui, |ui| {
                for d in Direction::ALL {
                    ui.selectable_value(&mut f.direction, d, d.as_str());
                }
            })
            .response
            .labelled_by(l.id);
        field(ui, "Target:", &mut f.target, 60.0);
        field(ui, "Source:", &mut f.source, 140.0);
    });
    if let Some(region) = &r.region {
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(format!("Link to the regional database ({region}):"));
            let current = f.region_indicator.clone().unwrap_or_else(|| "not linked".to_owned());
            egui::ComboBox::from_id_salt("assess_ind_region")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut f.region_indicator, None, "not linked");
                    for ind in &session.atlas.indicators {
                        ui.selectable_value(&mut f.region_indicator, Some(ind.code.clone()), &ind.name);
                    }
                })
                .response
                .labelled_by(l.id);
        });
    }
    let mut problem = None;
    if ui.button("Add indicator").clicked() {
        let target = f.target.trim().replace(',', ".");
        let parsed = (!target.is_empty()).then(|| target.parse::<f64>());
        if f.name.trim().is_empty() {
            problem = Some(Some("Give the indicator a name.".to_owned()));
        } else if matches!(parsed, Some(Err(_))) {
            problem = Some(Some(format!("The target {target:?} is not a number.")));
        } else {
            let linked = f.region_indicator.is_some();
            out.push(Command::Assess(AssessCmd::AddIndicator(IndicatorDraft {
                city: r.assessment.city.clone(),
                objective: f.objective,
                name: f.name.trim().to_owned(),
                unit: f.unit.trim().to_owned(),
                direction: f.direction,
                target: parsed.and_then(Result::ok),
                source: f.source.trim().to_owned(),
                region_indicator: f.region_indicator.clone(),
                region: if linked { r.region.clone() } else { None },
            })));
            problem = Some(None);
            *f = IndicatorForm::default();
        }
    }
    if let Some(p) = problem {
        rt.problem = p;
    }
}
