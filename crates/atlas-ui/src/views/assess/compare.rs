//! Compare and learn: the radar of the 12 objectives against a chosen comparison (with its table beside it),
//! "cities like mine" by regional profile and by scores, and the practices for each weak objective.

use eframe::egui::{self, Color32, RichText};
use egui_plot::{Legend, Line, Plot, PlotPoint, Text};

use super::{AssessRuntime, AssessState, AssessTab, button};
use crate::command::{AssessCmd, Command};
use atlas_analysis::assessment::{
    CompareWith, Peer, REGION_DISTANCE_NOTE, RadarSeries, Report, SCORE_DISTANCE_NOTE, comparison, earlier,
    latest_by_city, radar_grid, radar_label_at, radar_outline, radar_table, same_city, series_of,
};
use atlas_session::ReadModel;
use atlas_session::annotate::assessments::ActionDraft;

/// The choices of comparison: (key as saved in the state, text shown).
fn choices(session: &ReadModel, r: &Report) -> Vec<(String, String)> {
    let atlas = &session.atlas;
    let all = &session.assess.assessments;
    let mut out = vec![("all".to_owned(), "All assessments (average of each city's latest)".to_owned())];
    for a in earlier(atlas, all, &r.assessment) {
        out.push((format!("earlier:{}", a.uuid), format!("Earlier assessment of {}", a.assessed_on)));
    }
    for a in latest_by_city(atlas, all) {
        if !same_city(atlas, &a.city, &r.assessment.city) {
            out.push((format!("city:{}", a.city), format!("{} (latest, {})", a.city, a.assessed_on)));
        }
    }
    for round in &session.answers.rounds {
        out.push((format!("round:{}", round.uuid), format!("Workshop round “{}” average", round.title)));
    }
    out
}

fn parse(key: &str) -> CompareWith {
    match key.split_once(':') {
        Some(("city", c)) => CompareWith::City(c.to_owned()),
        Some(("earlier", u)) => CompareWith::Earlier(u.to_owned()),
        Some(("round", u)) => CompareWith::Round(u.to_owned()),
        _ => CompareWith::AllAssessments,
    }
}

pub fn show(
    ui: &mut egui::Ui,
    session: &ReadModel,
    r: &Report,
    state: &mut AssessState,
    rt: &mut AssessRuntime,
    out: &mut Vec<Command>,
) {
    let options = choices(session, r);
    if !options.iter().any(|(k, _)| *k == state.compare) {
        state.compare = options.get(1).map_or_else(|| "all".to_owned(), |(k, _)| k.clone());
    }
    ui.horizontal(|ui| {
        let l = ui.label("Compare with:");
        let current = options.iter().find(|(k, _)| *k == state.compare).map(|(_, t)| t.clone()).unwrap_or_default();
        egui::ComboBox::from_id_salt("assess_compare")
            .selected_text(current)
            .show_ui(ui, |ui| {
                for (key, text) in &options {
                    ui.selectable_value(&mut state.compare, key.clone(), text);
                }
            })
            .response
            .labelled_by(l.id);
    });
    let mine = series_of(&r.assessment);
    let other = comparison(&session.atlas, &session.assess.assessments, Some(&session.answers), &parse(&state.compare));
    let mut series = vec![mine];
    match other {
        Some(s) => series.push(s),
        None => {
            ui.label(RichText::new("Nothing to compare with there yet.").weak());
        }
    }
    ui.horizontal_top(|ui| {
        radar(ui, &series);
        ui.vertical(|ui| table(ui, session, &series));
    });
    ui.label(
        RichText::new("A gap in a line is an objective not assessed (it is not drawn as 0). Scores 0–4; rings at 1–4.")
            .small()
            .weak(),
    );
    peers(ui, "Cities like mine by regional profile", &r.peers_by_region, REGION_DISTANCE_NOTE);
    peers(ui, "Cities like mine by scores", &r.peers_by_scores, SCORE_DISTANCE_NOTE);
    learn(ui, r, state, rt, out);
}

const COLORS: [Color32; 2] = [Color32::from_rgb(214, 39, 40), Color32::from_rgb(31, 119, 180)];

fn radar(ui: &mut egui::Ui, series: &[RadarSeries]) {
    let grid = ui.visuals().weak_text_color().gamma_multiply(0.6);
    let plot = Plot::new("assess_radar")
        .data_aspect(1.0)
        .show_axes(false)
        .show_grid(false)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .include_x(-1.25)
        .include_x(1.25)
        .include_y(-1.25)
        .include_y(1.25)
        .legend(Legend::default().position(egui_plot::Corner::LeftBottom))
        .width(420.0)
        .height(440.0);
    let response = plot.show(ui, |p| {
        let (rings, spokes) = radar_grid();
        for (i, ring) in rings.into_iter().enumerate() {
            p.line(Line::new("", ring).id(("ring", i)).color(grid).width(1.0));
        }
        for (i, s) in spokes.into_iter().enumerate() {
            p.line(Line::new("", s.to_vec()).id(("spoke", i)).color(grid).width(1.0));
        }
        for n in 1..=12 {
            let [x, y] = radar_label_at(n, 1.12);
            p.text(Text::new("", PlotPoint::new(x, y), RichText::new(n.to_string()).strong()));
        }
        for (k, s) in series.iter().enumerate() {
            let color = COLORS[k % COLORS.len()];
            for run in radar_outline(&s.values) {
                if run.len() == 1 {
                    p.points(egui_plot::Points::new(s.label.clone(), run).radius(4.0).color(color));
                } else {
                    p.line(Line::new(s.label.clone(), run).color(color).width(2.5));
                }
            }
        }
    });
    let label = format!(
        "Radar of the 12 objectives: {}",
        series.iter().map(|s| s.label.as_str()).collect::<Vec<_>>().join(" against ")
    );
    response.response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &label));
}

fn table(ui: &mut egui::Ui, session: &ReadModel, series: &[RadarSeries]) {
    ui.label(RichText::new("The radar's numbers").strong());
    egui::Grid::new("assess_radar_table").striped(true).show(ui, |ui| {
        ui.label(RichText::new("Objective").strong());
        for s in series {
            let n = if s.n > 1 { format!(" (n = {})", s.n) } else { String::new() };
            ui.label(RichText::new(format!("{}{n}", s.label)).strong());
        }
        ui.end_row();
        for row in radar_table(&session.atlas, series) {
            let full = format!("{}. {}", row.objective, row.short_title);
            let short: String = if full.chars().count() > 44 {
                format!("{}…", full.chars().take(43).collect::<String>())
            } else {
                full.clone()
            };
            ui.label(short).on_hover_text(full);
            for v in &row.values {
                ui.label(v.map_or_else(|| "not assessed".to_owned(), |v| format!("{v:.1}")));
            }
            ui.end_row();
        }
    });
}

fn peers(ui: &mut egui::Ui, title: &str, list: &[Peer], note: &str) {
    crate::widgets::section(ui, title);
    if list.is_empty() {
        ui.label(RichText::new("No city to compare with on this yet.").weak());
    }
    for p in list.iter().take(8) {
        let case = if p.case_study { " · case-study city" } else { "" };
        ui.label(format!(
            "{} ({}) · distance {:.2} on {} shared{case}",
            p.city,
            p.country.as_deref().unwrap_or("country unknown"),
            p.distance,
            p.shared
        ));
    }
    ui.label(RichText::new(note).small().weak());
}

fn learn(ui: &mut egui::Ui, r: &Report, state: &mut AssessState, rt: &mut AssessRuntime, out: &mut Vec<Command>) {
    crate::widgets::section(ui, "Learn from peers: practices for weak objectives");
    ui.label(RichText::new(format!("Matched against {}.", r.context.basis)).small().weak());
    if r.weak.is_empty() {
        ui.label(RichText::new("No objective is scored 2 or lower.").weak());
    }
    for w in &r.weak {
        ui.label(RichText::new(format!("Objective {} {} — scored {}/4", w.objective, w.short_title, w.score)).strong());
        if w.practices.is_empty() {
            ui.label(RichText::new("No practice in the evidence is coded to this objective.").weak());
        }
        for p in w.practices.iter().take(5) {
            ui.horizontal_wrapped(|ui| {
                ui.label(format!("{} ({}, {}) · {} points", p.title, p.city_name, p.country, p.points));
                if button(ui, "Open", &format!("Open practice {} for objective {}", p.id, w.objective)) {
                    out.push(Command::record(p.id.clone()));
                }
                if button(ui, "Plan an action", &format!("Plan an action from {} for objective {}", p.id, w.objective))
                {
                    out.push(Command::Assess(AssessCmd::AddAction(ActionDraft {
                        city: r.assessment.city.clone(),
                        objective: w.objective,
                        title: format!("Adapt: {}", p.title),
                        practices: vec![p.id.clone()],
                        ..ActionDraft::default()
                    })));
                    state.tab = AssessTab::Plan;
                    rt.problem = None;
                }
            });
            if !p.reasons.is_empty() {
                ui.label(RichText::new(format!("    {}", p.reasons.join("; "))).small().weak());
            }
        }
    }
}
