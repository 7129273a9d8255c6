//! The "Import answers" window: choose a file, see every problem (file, sheet, row, column, reason) before
//! anything is written, then cancel or import the valid rows. Reading, checking and writing run on a background
//! thread, so the window stays responsive; writing shows a progress bar and can be cancelled.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;

use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};

use crate::command::{AnswerCmd, Command};
use atlas_answers::{ImportPlan, QuestionDef};
use atlas_session::ImportOutcome;

/// A background job with progress and a cancel flag.
struct Job<T> {
    handle: Option<JoinHandle<T>>,
    done: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
    cancel: Arc<AtomicBool>,
}

impl<T: Send + 'static> Job<T> {
    fn spawn(ctx: &egui::Context, work: impl FnOnce(&Progress) -> T + Send + 'static) -> Self {
        let progress = Progress {
            done: Arc::new(AtomicUsize::new(0)),
            total: Arc::new(AtomicUsize::new(0)),
            cancel: Arc::new(AtomicBool::new(false)),
            ctx: ctx.clone(),
        };
        let job = Self {
            handle: None,
            done: progress.done.clone(),
            total: progress.total.clone(),
            cancel: progress.cancel.clone(),
        };
        let handle = std::thread::spawn(move || {
            let out = work(&progress);
            progress.ctx.request_repaint();
            out
        });
        Self { handle: Some(handle), ..job }
    }

    /// The result once the thread has finished.
    fn poll(&mut self) -> Option<std::thread::Result<T>> {
        if self.handle.as_ref().is_some_and(|h| h.is_finished()) {
            return self.handle.take().map(|h| h.join());
        }
        None
    }
}

/// What a background job reports through.
pub struct Progress {
    done: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
    cancel: Arc<AtomicBool>,
    ctx: egui::Context,
}

impl Progress {
    /// Records progress and wakes the window; returns false once the user cancelled.
    fn report(&self, done: usize, total: usize) -> bool {
        self.done.store(done, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        self.ctx.request_repaint();
        !self.cancel.load(Ordering::Relaxed)
    }
}

enum Stage {
    Choose,
    Reading(Job<Result<ImportPlan, String>>),
    Review(Arc<ImportPlan>),
    Writing(Arc<ImportPlan>, Job<Result<Option<ImportOutcome>, String>>),
}

/// The import window's state; `None` in the app when the window is closed.
pub struct ImportDialog {
    pub path_text: String,
    stage: Stage,
    pub add_cities: bool,
    /// The last outcome or error, shown in the window.
    pub message: Option<String>,
}

impl ImportDialog {
    pub fn new(path: Option<String>) -> Self {
        Self { path_text: path.unwrap_or_default(), stage: Stage::Choose, add_cities: false, message: None }
    }

    /// Whether a background job is running (tests wait on this).
    pub fn busy(&self) -> bool {
        matches!(self.stage, Stage::Reading(_) | Stage::Writing(..))
    }

    /// The checked plan, once reading is done.
    pub fn plan(&self) -> Option<&ImportPlan> {
        match &self.stage {
            Stage::Review(p) | Stage::Writing(p, _) => Some(p),
            _ => None,
        }
    }

    /// Reads and checks the file on a background thread.
    pub fn start_reading(&mut self, ctx: &egui::Context, catalogue: Vec<QuestionDef>, known: HashSet<String>) {
        let path = atlas_export::expand_home(self.path_text.trim());
        self.message = None;
        self.stage = Stage::Reading(Job::spawn(ctx, move |_| {
            atlas_answers::plan_import(&path, &catalogue, &known).map_err(|e| e.to_string())
        }));
    }

    fn start_writing(&mut self, ctx: &egui::Context, db: PathBuf, plan: Arc<ImportPlan>) {
        let add = self.add_cities;
        let for_job = plan.clone();
        let job = Job::spawn(ctx, move |progress| {
            // Its own connection: the window keeps drawing from the session's connection meanwhile (WAL).
            atlas_session::Session::write_import(&db, &for_job, add, &mut |done, total| progress.report(done, total))
        });
        self.stage = Stage::Writing(plan, job);
    }

    /// Draws the window. `db` is the open database's path; `catalogue` and `known` are for reading a new file.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        db: &Path,
        catalogue: &[QuestionDef],
        known: &HashSet<String>,
        commands: &mut Vec<Command>,
    ) {
        let mut imported = false;
        // Finished jobs move the stage on.
        let mut next: Option<Stage> = None;
        match &mut self.stage {
            Stage::Reading(job) => {
                if let Some(result) = job.poll() {
                    next = Some(match result {
                        Ok(Ok(plan)) => Stage::Review(Arc::new(plan)),
                        Ok(Err(e)) => {
                            self.message = Some(e);
                            Stage::Choose
                        }
                        Err(_) => {
                            self.message = Some("reading the file failed unexpectedly; nothing was written".to_owned());
                            Stage::Choose
                        }
                    });
                }
            }
            Stage::Writing(plan, job) => {
                if let Some(result) = job.poll() {
                    let plan = plan.clone();
                    next = Some(match result {
                        Ok(Ok(Some(outcome))) => {
                            let line = outcome.summary(&plan.file);
                            commands.push(Command::Answers(AnswerCmd::Imported(line.clone())));
                            imported = true;
                            self.message = Some(line);
                            Stage::Choose
                        }
                        Ok(Ok(None)) => {
                            self.message = Some(format!("{}: import cancelled; nothing was written", plan.file));
                            Stage::Review(plan)
                        }
                        Ok(Err(e)) => {
                            self.message = Some(format!("Import failed, nothing was written: {e}"));
                            Stage::Review(plan)
                        }
                        Err(_) => {
                            self.message = Some("the import failed unexpectedly; nothing was written".to_owned());
                            Stage::Review(plan)
                        }
                    });
                }
            }
            _ => {}
        }
        if let Some(stage) = next {
            self.stage = stage;
        }
        let mut open = true;
        let mut close = false;
        egui::Window::new("Import survey answers")
            .open(&mut open)
            .default_size([760.0, 520.0])
            .collapsible(false)
            .show(ctx, |ui| {
                close = self.body(ui, db, catalogue, known);
            });
        if close || (!open && !imported) {
            self.cancel();
            commands.push(Command::Answers(AnswerCmd::CloseImport));
        }
    }

    fn cancel(&mut self) {
        match &self.stage {
            Stage::Writing(_, job) => job.cancel.store(true, Ordering::Relaxed),
            Stage::Reading(job) => job.cancel.store(true, Ordering::Relaxed),
            _ => {}
        }
    }

    fn body(&mut self, ui: &mut egui::Ui, db: &Path, catalogue: &[QuestionDef], known: &HashSet<String>) -> bool {
        ui.label(
            "One row per respondent × question: respondent_id, city, country, question_code, value, unit_notes, \
             date. Nothing is written until you choose to import.",
        );
        let ctx = ui.ctx().clone();
        let choosing = matches!(self.stage, Stage::Choose | Stage::Review(_));
        ui.horizontal(|ui| {
            let l = ui.label("File:");
            let r = ui
                .add_enabled(
                    choosing,
                    egui::TextEdit::singleline(&mut self.path_text).desired_width(420.0).hint_text("~/answers.xlsx"),
                )
                .labelled_by(l.id);
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if ui.add_enabled(choosing, egui::Button::new("Choose file…")).clicked()
                && let Some(path) =
                    rfd::FileDialog::new().add_filter("Answers", &["csv", "xlsx", "xlsm", "json"]).pick_file()
            {
                self.path_text = path.display().to_string();
                self.start_reading(&ctx, catalogue.to_vec(), known.clone());
            }
            if (ui.add_enabled(choosing, egui::Button::new("Check file")).clicked() || enter)
                && !self.path_text.trim().is_empty()
            {
                self.start_reading(&ctx, catalogue.to_vec(), known.clone());
            }
        });
        if let Some(message) = &self.message {
            ui.label(RichText::new(message).strong());
        }
        let mut write: Option<Arc<ImportPlan>> = None;
        let mut close = false;
        match &self.stage {
            // After an import (or a refused file), the way out is at hand.
            Stage::Choose if self.message.is_some() => {
                if ui.button("Close").clicked() {
                    close = true;
                }
            }
            Stage::Choose => {}
            Stage::Reading(job) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Reading and checking the file…");
                    if ui.button("Cancel reading").clicked() {
                        job.cancel.store(true, Ordering::Relaxed);
                        close = true;
                    }
                });
            }
            Stage::Writing(plan, job) => {
                let done = job.done.load(Ordering::Relaxed);
                let total = job.total.load(Ordering::Relaxed).max(plan.importable_count(self.add_cities)).max(1);
                ui.add(
                    egui::ProgressBar::new(done as f32 / total as f32)
                        .text(format!("Importing… {done} of {total} answers"))
                        .show_percentage(),
                );
                if ui.button("Cancel import").clicked() {
                    job.cancel.store(true, Ordering::Relaxed);
                }
            }
            Stage::Review(plan) => {
                let plan = plan.clone();
                ui.label(RichText::new(plan.summary_for(self.add_cities)).strong());
                if !plan.declared.is_empty() {
                    let codes: Vec<_> = plan.declared.iter().map(|q| q.code.as_str()).collect();
                    ui.label(format!("New questions declared by the file: {}", codes.join(", ")));
                }
                if !plan.unknown_cities.is_empty() {
                    let names: Vec<String> = plan
                        .unknown_cities
                        .iter()
                        .map(|c| match &c.country {
                            Some(country) => format!("{} ({country}, {} rows)", c.name, c.rows),
                            None => format!("{} ({} rows)", c.name, c.rows),
                        })
                        .collect();
                    ui.checkbox(&mut self.add_cities, format!("Add the unknown cities: {}", names.join(", ")));
                }
                // With the cities added, their rows are not problems: they are what will be added.
                let shown: Vec<&atlas_answers::ImportIssue> =
                    plan.issues.iter().filter(|i| !(self.add_cities && i.unknown_city)).collect();
                if !shown.is_empty() {
                    issues_table(ui, &shown);
                }
                if plan.issues_left_out > 0 {
                    ui.label(format!("… and {} more problems, not listed.", plan.issues_left_out));
                }
                let n = plan.importable_count(self.add_cities);
                ui.horizontal(|ui| {
                    let label = if plan.issues.is_empty() || plan.hard_issues().next().is_none() && self.add_cities {
                        format!("Import {n} answers")
                    } else {
                        format!("Import the {n} valid rows")
                    };
                    if ui.add_enabled(n > 0, egui::Button::new(label)).clicked() {
                        write = Some(plan.clone());
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            }
        }
        if let Some(plan) = write {
            self.start_writing(&ctx, db.to_owned(), plan);
        }
        close
    }
}

fn issues_table(ui: &mut egui::Ui, issues: &[&atlas_answers::ImportIssue]) {
    let rows: std::collections::HashSet<usize> = issues.iter().map(|i| i.row).collect();
    ui.label(
        RichText::new(format!(
            "{} problems in {} rows (rows with a problem are not imported):",
            issues.len(),
            rows.len()
        ))
        .strong(),
    );
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    TableBuilder::new(ui)
        .id_salt("import_issues")
        .striped(true)
        .max_scroll_height(260.0)
        .column(Column::initial(70.0))
        .column(Column::initial(50.0))
        .column(Column::initial(110.0))
        .column(Column::remainder().clip(true))
        .header(row_height, |mut h| {
            for name in ["Sheet", "Row", "Column", "Reason"] {
                h.col(|ui| {
                    ui.label(RichText::new(name).strong());
                });
            }
        })
        .body(|body| {
            body.rows(row_height, issues.len(), |mut row| {
                let issue = issues[row.index()];
                row.col(|ui| {
                    ui.label(issue.sheet.as_deref().unwrap_or(""));
                });
                row.col(|ui| {
                    ui.label(if issue.row > 0 { issue.row.to_string() } else { String::new() });
                });
                row.col(|ui| {
                    ui.label(issue.column.as_deref().unwrap_or(""));
                });
                row.col(|ui| {
                    let text = issue.reason.clone();
                    let label = format!("Problem at row {}: {}", issue.row, issue.reason);
                    ui.label(text).widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &label));
                });
            });
        });
}
