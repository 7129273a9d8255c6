//! Survey responses: imported files and workshop rounds as a respondents × questions table, filtered by round,
//! country and city size; a chart per question; and one respondent against the sample.

pub use crate::state::ResponsesState;
use atlas_analysis::Revision;
use std::collections::BTreeSet;

use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};

use crate::command::{AnswerCmd, Command, FileCmd};
use crate::state::{UiState, View};
use crate::widgets::{self, charts};
use atlas_analysis::Series;
use atlas_analysis::responses::{self, QuestionSummary, ResponseFilter, SizeBand, Standing, short_label};
use atlas_answers::FileFormat;
use atlas_core::model::AnswerSet;
use atlas_export::{Cell, ChartKind, ChartSpec, Table};
use atlas_session::ReadModel;

/// What the responses were derived from: the answers' revision, the filter, the question and the respondent shown.
type ResponsesKey = (Revision, ResponseFilter, Option<String>, Option<(String, String)>);

/// Everything derived from the answers and the filter, recomputed only when either changes.
#[derive(Default)]
pub struct ResponsesCache {
    key: Option<ResponsesKey>,
    /// Respondents kept by the filter, in table order.
    pub rows: Vec<usize>,
    /// Questions with answers, in catalogue order.
    pub columns: Vec<usize>,
    pub sizes: Vec<SizeBand>,
    pub summary: Option<QuestionSummary>,
    pub standing: Option<Standing>,
    pub respondent: Option<usize>,
    pub computations: u64,
}

impl ResponsesCache {
    pub fn invalidate(&mut self) {
        self.key = None;
    }

    fn refresh(&mut self, set: &AnswerSet, revision: Revision, state: &ResponsesState) {
        let key = (revision, state.filter.clone(), state.question.clone(), state.respondent.clone());
        if self.key.as_ref() == Some(&key) {
            return;
        }
        self.computations += 1;
        let same_data = self.key.as_ref().is_some_and(|k| k.0 == revision);
        if !same_data {
            self.sizes = responses::populations(set).into_iter().map(SizeBand::of).collect();
            self.columns = set.answered_questions();
        }
        let mask = responses::select(set, &state.filter, &self.sizes);
        self.rows = (0..set.respondents.len()).filter(|r| mask[*r]).collect();
        let question = state.question.as_deref().and_then(|c| set.question_index(c)).or(self.columns.first().copied());
        self.summary = question.map(|q| responses::summarize(set, q, &mask));
        self.respondent = state.respondent.as_ref().and_then(|(round, id)| {
            set.respondents
                .iter()
                .position(|r| &r.id == id && set.rounds.get(r.round).is_some_and(|x| &x.uuid == round))
        });
        self.standing = match (question, self.respondent) {
            (Some(q), Some(r)) => responses::standing(set, q, r, &mask),
            _ => None,
        };
        self.key = Some(key);
    }
}

pub fn show(
    ui: &mut egui::Ui,
    set: &AnswerSet,
    revision: Revision,
    state: &mut ResponsesState,
    cache: &mut ResponsesCache,
    actions: &mut Vec<Command>,
) {
    cache.refresh(set, revision, state);
    toolbar(ui, set, state, cache, actions);
    if set.rounds.is_empty() {
        ui.add_space(12.0);
        ui.label(
            RichText::new(
                "No answers yet. The 2017 survey's per-city answers were never published; import a file of answers \
                 (CSV, Excel or JSON, one row per respondent × question — \"Export template\" gives the format), or \
                 run a live round in the Workshop view.",
            )
            .italics(),
        );
        return;
    }
    egui::Panel::right("responses_side").resizable(true).default_size(420.0).max_size(620.0).show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("responses_side_scroll")
            .show(ui, |ui| side(ui, set, state, cache, actions));
    });
    egui::CentralPanel::default().show(ui, |ui| table(ui, set, state, cache));
}

fn toolbar(
    ui: &mut egui::Ui,
    set: &AnswerSet,
    state: &mut ResponsesState,
    cache: &ResponsesCache,
    actions: &mut Vec<Command>,
) {
    if widgets::on_slide(ui.ctx()) {
        // A slide names the selection in words instead of offering the buttons.
        let chosen = |name: &str, n: usize| if n == 0 { format!("{name}: all") } else { format!("{name}: {n} chosen") };
        let f = &state.filter;
        ui.label(
            RichText::new(format!(
                "{} of {} respondents · {} rounds · {} questions answered · {} · {} · {}",
                cache.rows.len(),
                set.respondents.len(),
                set.rounds.len(),
                cache.columns.len(),
                chosen("rounds", f.rounds.len()),
                chosen("countries", f.countries.len()),
                chosen("city sizes", f.sizes.len()),
            ))
            .strong(),
        );
        ui.separator();
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.heading("Responses");
        if ui
            .button("Import answers…")
            .on_hover_text("CSV, Excel (.xlsx) or JSON; you can also drop a file on the window")
            .clicked()
        {
            actions.push(Command::Answers(AnswerCmd::OpenImport(None)));
        }
        ui.menu_button("Export…", |ui| {
            let l = ui.label("File or folder:");
            ui.add(egui::TextEdit::singleline(&mut state.export_path).desired_width(320.0).hint_text("~/answers.xlsx"))
                .labelled_by(l.id);
            if ui.button("Choose a file…").clicked()
                && let Some(path) = rfd::FileDialog::new()
                    .add_filter("Answers", &["csv", "xlsx", "json"])
                    .set_file_name("answers.xlsx")
                    .save_file()
            {
                state.export_path = path.display().to_string();
            }
            ui.separator();
            for (format, name) in [(FileFormat::Csv, "CSV"), (FileFormat::Xlsx, "Excel"), (FileFormat::Json, "JSON")] {
                if ui.button(format!("Answer template ({name})")).clicked() {
                    actions
                        .push(Command::Answers(AnswerCmd::ExportTemplate { format, path: state.export_path.clone() }));
                    ui.close();
                }
            }
            ui.separator();
            for round in &set.rounds {
                for (format, name) in
                    [(FileFormat::Csv, "CSV"), (FileFormat::Xlsx, "Excel"), (FileFormat::Json, "JSON")]
                {
                    if ui.button(format!("Round “{}” ({name})", round.title)).clicked() {
                        actions.push(Command::Answers(AnswerCmd::ExportRound {
                            round: round.uuid.clone(),
                            format,
                            path: state.export_path.clone(),
                        }));
                        ui.close();
                    }
                }
            }
        });
        if !cache.rows.is_empty() {
            widgets::export_button(ui, "Export table…", "responses", || export_tables(set, cache), actions);
        }
        if set.rounds.is_empty() {
            return;
        }
        ui.separator();
        filter_menu(
            ui,
            "Round",
            set.rounds.iter().map(|r| (r.uuid.clone(), round_label(r))).collect(),
            &mut state.filter.rounds,
        );
        filter_menu(
            ui,
            "Country",
            set.countries.iter().map(|c| (c.clone(), c.clone())).collect(),
            &mut state.filter.countries,
        );
        let sizes: Vec<(SizeBand, String)> = SizeBand::ALL.iter().map(|s| (*s, s.label().to_owned())).collect();
        filter_menu(ui, "City size", sizes, &mut state.filter.sizes);
        if !state.filter.is_empty() && ui.button("Clear filters").clicked() {
            state.filter = ResponseFilter::default();
        }
        ui.label(format!(
            "{} of {} respondents · {} rounds · {} questions answered",
            cache.rows.len(),
            set.respondents.len(),
            set.rounds.len(),
            cache.columns.len()
        ));
    });
    ui.separator();
}

fn round_label(r: &atlas_core::model::Round) -> String {
    let kind = if r.kind == "live" { "workshop" } else { "import" };
    match &r.held_on {
        Some(date) => format!("{} ({kind}, {date})", r.title),
        None => format!("{} ({kind})", r.title),
    }
}

fn filter_menu<T: Ord + Clone>(ui: &mut egui::Ui, name: &str, options: Vec<(T, String)>, chosen: &mut BTreeSet<T>) {
    let title = if chosen.is_empty() { format!("{name}: all") } else { format!("{name}: {}", chosen.len()) };
    ui.menu_button(title, |ui| {
        if options.is_empty() {
            ui.label("none in these answers");
        }
        for (value, label) in options {
            let mut on = chosen.contains(&value);
            if ui.checkbox(&mut on, &label).changed() {
                if on {
                    chosen.insert(value);
                } else {
                    chosen.remove(&value);
                }
            }
        }
    });
}

fn table(ui: &mut egui::Ui, set: &AnswerSet, state: &mut ResponsesState, cache: &ResponsesCache) {
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let columns = &cache.columns;
    egui::ScrollArea::horizontal().id_salt("responses_table_scroll").show(ui, |ui| {
        let mut builder = TableBuilder::new(ui)
            .id_salt("responses_table")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(140.0).clip(true))
            .column(Column::initial(110.0).clip(true))
            .column(Column::initial(110.0).clip(true))
            .column(Column::initial(70.0).clip(true));
        for _ in columns {
            builder = builder.column(Column::initial(96.0).clip(true));
        }
        builder
            .header(row_height, |mut header| {
                for name in ["Round", "Respondent", "City", "Country"] {
                    header.col(|ui| {
                        ui.label(RichText::new(name).strong());
                    });
                }
                for q in columns {
                    let def = &set.questions[*q];
                    header.col(|ui| {
                        let chosen = cache.summary.as_ref().is_some_and(|s| s.question == *q);
                        let text = RichText::new(responses::short_name(def)).strong();
                        let r = ui.selectable_label(chosen, text).on_hover_text(format!("{}: {}", def.code, def.text));
                        let label = format!("Chart question {}", def.code);
                        r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                        if r.clicked() {
                            state.question = Some(def.code.clone());
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, cache.rows.len(), |mut row| {
                    let r = cache.rows[row.index()];
                    let respondent = &set.respondents[r];
                    let round = &set.rounds[respondent.round];
                    let selected = cache.respondent == Some(r);
                    row.set_selected(selected);
                    row.col(|ui| {
                        ui.label(&round.title);
                    });
                    row.col(|ui| {
                        let label = format!("Respondent {} of {}", respondent.id, round.title);
                        let resp = ui.label(&respondent.id);
                        resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &label));
                    });
                    row.col(|ui| {
                        ui.label(respondent.city.as_deref().unwrap_or("—"));
                    });
                    row.col(|ui| {
                        ui.label(respondent.country.as_deref().unwrap_or("—"));
                    });
                    for q in columns {
                        row.col(|ui| {
                            if let Some(a) = set.answer(r, *q) {
                                ui.label(AnswerSet::value_text(a));
                            }
                        });
                    }
                    if row.response().clicked() {
                        state.respondent =
                            if selected { None } else { Some((round.uuid.clone(), respondent.id.clone())) };
                    }
                });
            });
    });
}

fn side(
    ui: &mut egui::Ui,
    set: &AnswerSet,
    state: &mut ResponsesState,
    cache: &ResponsesCache,
    actions: &mut Vec<Command>,
) {
    let Some(summary) = &cache.summary else {
        ui.label("No question has answers in this selection.");
        return;
    };
    let def = &set.questions[summary.question];
    if !widgets::on_slide(ui.ctx()) {
        ui.horizontal(|ui| {
            let l = ui.label(RichText::new("Question:").strong());
            egui::ComboBox::from_id_salt("responses_question")
                .selected_text(&def.code)
                .width(220.0)
                .show_ui(ui, |ui| {
                    for q in &cache.columns {
                        let code = &set.questions[*q].code;
                        if ui.selectable_label(*q == summary.question, code).clicked() {
                            state.question = Some(code.clone());
                        }
                    }
                })
                .response
                .labelled_by(l.id);
        });
    }
    ui.label(&def.text);
    ui.label(
        RichText::new(format!(
            "{} · {} of {} selected respondents answered",
            def.kind.as_str(),
            summary.answered,
            summary.selected
        ))
        .weak(),
    );
    let series = if summary.histogram.is_empty() {
        Series {
            categories: summary.categories.iter().map(|(c, _)| c.clone()).collect(),
            stacks: vec![("respondents".to_owned(), summary.categories.iter().map(|(_, n)| *n).collect())],
        }
    } else {
        Series {
            categories: summary
                .histogram
                .iter()
                .map(|(lo, hi, _)| format!("{}–{}", short_label(*lo), short_label(*hi)))
                .collect(),
            stacks: vec![("respondents".to_owned(), summary.histogram.iter().map(|(_, _, n)| *n).collect())],
        }
    };
    let height = (series.categories.len().min(14) as f32 * 24.0 + 60.0).max(140.0);
    let (_, rect) =
        charts::bars_at(ui, "responses_chart", &format!("Chart of answers to {}", def.code), &series, height);
    ui.horizontal(|ui| {
        if let Some(rect) = rect
            && widgets::png_button(ui, &format!("answers to {}", def.code))
        {
            actions.push(Command::Files(FileCmd::SaveChart {
                name: format!("answers-{}", def.code.to_lowercase()),
                rect,
            }));
        }
        widgets::export_button(
            ui,
            "Export chart data…",
            &format!("answers-{}", def.code.to_lowercase()),
            || export_tables(set, cache).into_iter().skip(1).collect(),
            actions,
        );
    });
    if let Some(s) = summary.numeric {
        egui::Grid::new("responses_stats").num_columns(2).striped(true).show(ui, |ui| {
            for (name, value) in [
                ("Answers", s.n.to_string()),
                ("Mean", short_label(s.mean)),
                ("Median", short_label(s.median)),
                ("Quartiles", format!("{} – {}", short_label(s.q1), short_label(s.q3))),
                ("Range", format!("{} – {}", short_label(s.min), short_label(s.max))),
                ("Standard deviation", short_label(s.sd)),
            ] {
                ui.label(name);
                ui.label(value);
                ui.end_row();
            }
        });
    }
    ui.separator();
    ui.label(RichText::new("One respondent against the sample").strong());
    match (cache.respondent, &cache.standing) {
        (None, _) => {
            ui.label("Click a row of the table to compare that respondent with the selected sample.");
        }
        (Some(r), None) => {
            ui.label(format!("{} has no numeric answer to {}.", set.respondents[r].id, def.code));
        }
        (Some(r), Some(st)) => {
            let who = &set.respondents[r];
            let name = match &who.city {
                Some(city) => format!("{} ({city})", who.id),
                None => who.id.clone(),
            };
            let direction = if st.from_median > 0.0 {
                "above"
            } else if st.from_median < 0.0 {
                "below"
            } else {
                "at"
            };
            let text = format!(
                "{name}: {} — rank {} of {} (1 = highest); {} {direction} the median of {}.",
                short_label(st.value),
                st.rank,
                st.of,
                short_label(st.from_median.abs()),
                short_label(st.median)
            );
            ui.label(text);
        }
    }
}

/// The Responses view.
pub struct Responses;

impl super::AtlasView for Responses {
    fn id(&self) -> View {
        View::Responses
    }

    fn purpose(&self) -> &'static str {
        "Survey answers imported into this database or entered in workshops (none ship): a table of respondents × \
         questions, filters, a chart and statistics per question, one respondent against the sample; import and \
         export in CSV, Excel or JSON."
    }

    fn ui(&self, ui: &mut egui::Ui, cx: &mut super::ViewCx<'_>) {
        let s = cx.session;
        show(
            ui,
            &s.answers,
            s.answers_revision(),
            &mut cx.state.responses,
            cx.rt.view::<ResponsesCache>(View::Responses),
            cx.commands,
        );
    }

    fn slide_text(
        &self,
        session: &ReadModel,
        state: &UiState,
        _hits: Option<&crate::views::SearchIds>,
    ) -> (Vec<String>, Vec<atlas_core::dataset::Source>) {
        let filter = &state.responses.filter;
        let rounds: Vec<String> = session
            .answers
            .rounds
            .iter()
            .filter(|r| filter.rounds.is_empty() || filter.rounds.contains(&r.uuid))
            .map(|r| r.title.clone())
            .collect();
        let mut lines = vec![format!(
            "Answers from: {}",
            if rounds.is_empty() { "no rounds".to_owned() } else { rounds.join(", ") }
        )];
        if !filter.countries.is_empty() {
            lines.push(format!("Countries: {}", filter.countries.iter().cloned().collect::<Vec<_>>().join(", ")));
        }
        if let Some(q) = &state.responses.question {
            lines.push(format!("Question charted: {q}"));
        }
        lines.push("Source: answers imported into or entered in this database (not published OECD data).".to_owned());
        (lines, Vec::new())
    }
}

/// The respondents × questions table as filtered, and the charted question's counts.
fn export_tables(set: &AnswerSet, cache: &ResponsesCache) -> Vec<Table> {
    let mut header: Vec<String> = ["round", "respondent", "city", "country"].map(str::to_owned).to_vec();
    header.extend(cache.columns.iter().map(|q| set.questions[*q].code.clone()));
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut grid = Table::new("Responses", &header_refs);
    for r in &cache.rows {
        let who = &set.respondents[*r];
        let mut row = vec![
            Cell::from(&set.rounds[who.round].title),
            Cell::from(&who.id),
            who.city.as_ref().map_or(Cell::Empty, Cell::from),
            who.country.as_ref().map_or(Cell::Empty, Cell::from),
        ];
        for q in &cache.columns {
            row.push(match set.answer(*r, *q) {
                Some(a) => match (a.value_num, &a.value_text) {
                    (Some(n), _) => Cell::Number(n),
                    (None, Some(t)) => Cell::from(t),
                    _ => Cell::Empty,
                },
                None => Cell::Empty,
            });
        }
        grid.push(row);
    }
    let mut out = vec![grid];
    if let Some(summary) = &cache.summary {
        let code = &set.questions[summary.question].code;
        let title = format!("Answers to {code}");
        let mut chart = Table::new(&title, &["answer", "respondents"]);
        if summary.histogram.is_empty() {
            for (c, n) in &summary.categories {
                chart.push(vec![Cell::from(c), Cell::Number(*n as f64)]);
            }
        } else {
            for (lo, hi, n) in &summary.histogram {
                chart.push(vec![
                    Cell::from(format!("{}–{}", short_label(*lo), short_label(*hi))),
                    Cell::Number(*n as f64),
                ]);
            }
        }
        chart.chart = Some(ChartSpec::new(ChartKind::Bar, &title, 0, vec![1]));
        out.push(chart);
    }
    out
}
