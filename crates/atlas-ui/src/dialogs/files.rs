//! The File menu's work and the export buttons of the views: a table as CSV or XLSX, a chart as PNG (exactly what
//! is on screen, cropped to the chart), a city brief as Markdown, a copy of the database, and opening another
//! database. Each goes through one small window with a typed path (always there) and the system file dialog (rfd,
//! which may not work on every system). What is written comes from [`atlas_export`]; this file only asks where.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use eframe::egui::{self, ColorImage, Rect, RichText};

use crate::command::{CodingCmd, Command, FileCmd, StoryCmd};
use atlas_export::{self as export, ExportError, Table};

/// What the window saves (or opens).
pub enum Task {
    /// One or more tables: CSV holds the first, XLSX all of them as sheets with their charts.
    Tables { name: String, tables: Vec<Table> },
    /// A chart already captured from the screen and cropped.
    Chart { name: String, image: Arc<ColorImage> },
    /// A report already written (a city brief, a self-assessment report), in Markdown or HTML by its name's
    /// extension; `what` names it ("city brief") and `contents` says what it holds.
    Brief { name: String, text: String, what: &'static str, contents: &'static str },
    /// A copy of the open database (done by the shell: it owns the store).
    DbCopy,
    /// Another database to switch to (done by the shell).
    OpenDb,
    /// A story's slides as PNG files in a folder, or its handout as Markdown (the `xlsx` switch picks the handout).
    Story { story: String },
    /// A REFI-QDA project (`.qdpx`) or codebook (`.qdc`), written by the shell (it owns the store).
    QdaExport { project: bool },
    /// A `.qdpx` or `.qdc` from a QDA tool to check, then import (the shell checks it).
    QdaImport,
}

impl Task {
    fn title(&self) -> String {
        match self {
            Task::Brief { what, .. } => format!("Export {what}"),
            other => other.fixed_title().to_owned(),
        }
    }

    fn fixed_title(&self) -> &'static str {
        match self {
            Task::Tables { .. } => "Export table",
            Task::Chart { .. } => "Save chart as PNG",
            Task::Brief { .. } => "Export report",
            Task::DbCopy => "Save a copy of the database",
            Task::OpenDb => "Open database",
            Task::Story { .. } => "Export story",
            Task::QdaExport { project: true } => "Export REFI-QDA project",
            Task::QdaExport { project: false } => "Export REFI-QDA codebook",
            Task::QdaImport => "Import from a QDA tool",
        }
    }

    /// The confirm button's text (unique on screen).
    fn verb(&self) -> &'static str {
        match self {
            Task::Tables { .. } => "Export",
            Task::Chart { .. } => "Save PNG",
            Task::Brief { what: "city brief", .. } => "Save brief",
            Task::Brief { .. } => "Save report",
            Task::DbCopy => "Save copy",
            Task::OpenDb => "Open this database",
            Task::Story { .. } => "Export",
            Task::QdaExport { .. } => "Export file",
            Task::QdaImport => "Check this file",
        }
    }
}

/// What a confirmed window leads to: done here, or a command for the shell.
#[allow(clippy::large_enum_variant, reason = "made once per confirmed window and consumed at once")]
enum Outcome {
    /// Written; show this line.
    Done(String),
    /// Ask the shell (it needs the session or the renderer), which then calls [`Files::finish`].
    Ask(Command),
}

struct Dialog {
    task: Task,
    path: String,
    xlsx: bool,
    error: Option<String>,
    preview: Option<egui::TextureHandle>,
}

/// A chart screenshot on its way: the integration fills `slot` after the frame is rendered.
struct Capture {
    name: String,
    rect: Rect,
    pixels_per_point: f32,
    slot: Arc<Mutex<Option<Arc<ColorImage>>>>,
}

/// The File menu's state: at most one window, and a chart being captured.
#[derive(Default)]
pub struct Files {
    dialog: Option<Dialog>,
    capture: Option<Capture>,
    /// A chart to capture when [`Files::show`] runs this frame.
    wanted: Option<(String, Rect)>,
}

/// The folder an empty path means: Documents, else home, else the current folder.
pub fn default_folder() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|d| d.document_dir().map(Path::to_path_buf).or_else(|| Some(d.home_dir().to_path_buf())))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `rect` (points) of `image` (physical pixels), clamped to the image; `None` if nothing is left.
pub fn crop(image: &ColorImage, rect: Rect, pixels_per_point: f32) -> Option<ColorImage> {
    let [w, h] = image.size;
    let px = |v: f32, max: usize| ((v * pixels_per_point).round().max(0.0) as usize).min(max);
    let (x0, x1) = (px(rect.min.x, w), px(rect.max.x, w));
    let (y0, y1) = (px(rect.min.y, h), px(rect.max.y, h));
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let mut pixels = Vec::with_capacity((x1 - x0) * (y1 - y0));
    for y in y0..y1 {
        pixels.extend_from_slice(&image.pixels[y * w + x0..y * w + x1]);
    }
    Some(ColorImage::new([x1 - x0, y1 - y0], pixels))
}

/// The image as PNG bytes (RGBA).
pub fn png_bytes(image: &ColorImage) -> Result<Vec<u8>, String> {
    use image::ImageEncoder as _;
    let [w, h] = image.size;
    let bytes: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&bytes, w as u32, h as u32, image::ExtendedColorType::Rgba8)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

impl Files {
    /// Opens the window for a task (replacing any other).
    pub fn open(&mut self, task: Task) {
        let xlsx = self.dialog.as_ref().is_some_and(|d| d.xlsx);
        self.dialog = Some(Dialog { task, path: String::new(), xlsx, error: None, preview: None });
    }

    /// Opens the window with the XLSX switch set (`true`) or cleared.
    pub fn open_as(&mut self, task: Task, xlsx: bool) {
        self.open(task);
        if let Some(d) = &mut self.dialog {
            d.xlsx = xlsx;
        }
    }

    /// Saves the chart drawn in `rect` this frame: the screenshot is requested when [`Files::show`] runs.
    pub fn request_chart(&mut self, name: String, rect: Rect) {
        self.wanted = Some((name, rect));
    }

    /// Takes a screenshot of this frame; once it arrives, the part inside `rect` opens in the PNG window.
    fn capture_chart(&mut self, ctx: &egui::Context, name: &str, rect: Rect) {
        let slot: Arc<Mutex<Option<Arc<ColorImage>>>> = Arc::default();
        let fill = Arc::clone(&slot);
        let wake = ctx.clone();
        ctx.request_screenshot(move |image| {
            if let Ok(mut s) = fill.lock() {
                *s = Some(image);
            }
            wake.request_repaint();
        });
        ctx.request_repaint();
        self.capture = Some(Capture { name: name.to_owned(), rect, pixels_per_point: ctx.pixels_per_point(), slot });
    }

    /// The result of a command the window asked for (the copy, the switch, a story or REFI-QDA file): a message
    /// closes the window, an error stays in
    /// it (the user can correct the path).
    pub fn finish(&mut self, result: Result<String, String>) -> Option<String> {
        match result {
            Ok(message) => {
                self.dialog = None;
                Some(message)
            }
            Err(error) => {
                if let Some(d) = &mut self.dialog {
                    d.error = Some(error);
                    None
                } else {
                    Some(error)
                }
            }
        }
    }

    /// Draws the window (if any) and says what the shell must do.
    pub fn show(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if let Some((name, rect)) = self.wanted.take() {
            self.capture_chart(ctx, &name, rect);
        }
        self.poll_capture(ctx);
        let Some(dialog) = &mut self.dialog else { return };
        let mut confirm: Option<PathBuf> = None;
        let mut close = false;
        let default = default_name(dialog);
        egui::Window::new(dialog.task.title())
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_TOP, [0.0, 80.0])
            .min_width(600.0)
            .show(ctx, |ui| {
                describe(ui, dialog);
                if let Task::Story { .. } = dialog.task {
                    ui.horizontal(|ui| {
                        ui.label("Export:");
                        if ui.selectable_label(!dialog.xlsx, "Slides as PNG (1920×1080, into a folder)").clicked() {
                            dialog.xlsx = false;
                        }
                        if ui.selectable_label(dialog.xlsx, "Handout (Markdown)").clicked() {
                            dialog.xlsx = true;
                        }
                    });
                }
                if let Task::Tables { .. } = dialog.task {
                    ui.horizontal(|ui| {
                        ui.label("Format:");
                        if ui.selectable_label(!dialog.xlsx, "CSV (the main table)").clicked() {
                            dialog.xlsx = false;
                            swap_extension(&mut dialog.path, "csv");
                        }
                        if ui.selectable_label(dialog.xlsx, "Excel workbook (XLSX, with charts)").clicked() {
                            dialog.xlsx = true;
                            swap_extension(&mut dialog.path, "xlsx");
                        }
                    });
                }
                let opening = matches!(dialog.task, Task::OpenDb | Task::QdaImport);
                ui.horizontal(|ui| {
                    let folder = matches!(dialog.task, Task::Story { .. }) && !dialog.xlsx;
                    let label = ui.label(if opening {
                        if matches!(dialog.task, Task::QdaImport) { "QDA file:" } else { "Database file:" }
                    } else if folder {
                        "Save into folder:"
                    } else {
                        "Save to file:"
                    });
                    let hint = if matches!(dialog.task, Task::QdaImport) {
                        "/path/to/project.qdpx or codebook.qdc".to_owned()
                    } else if opening {
                        "/path/to/atlas.sqlite".to_owned()
                    } else {
                        format!("empty: {default} in your Documents (or home) folder")
                    };
                    let edit = ui
                        .add(egui::TextEdit::singleline(&mut dialog.path).desired_width(360.0).hint_text(hint))
                        .labelled_by(label.id);
                    if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                        confirm = Some(PathBuf::new());
                    }
                    if ui.button("Choose…").on_hover_text("Use the system file dialog").clicked()
                        && let Some(path) = pick(&dialog.task, &default, dialog.xlsx)
                    {
                        dialog.path = path.display().to_string();
                        confirm = Some(path);
                    }
                });
                if let Some(error) = &dialog.error {
                    ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
                }
                ui.horizontal(|ui| {
                    if ui.button(dialog.task.verb()).clicked() {
                        confirm = Some(PathBuf::new());
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            });
        if close {
            self.dialog = None;
            return;
        }
        let Some(_) = confirm else { return };
        match confirm_task(dialog, &default) {
            Ok(Outcome::Done(message)) => {
                self.dialog = None;
                commands.push(Command::Say(message));
            }
            Ok(Outcome::Ask(command)) => commands.push(command),
            Err(error) => dialog.error = Some(error),
        }
    }

    fn poll_capture(&mut self, ctx: &egui::Context) {
        let Some(capture) = &self.capture else { return };
        let image = capture.slot.lock().ok().and_then(|mut s| s.take());
        let Some(image) = image else {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
            return;
        };
        let Some(capture) = self.capture.take() else { return };
        match crop(&image, capture.rect, capture.pixels_per_point) {
            Some(chart) => {
                let chart = Arc::new(chart);
                let preview = ctx.load_texture("chart_png_preview", Arc::clone(&chart), egui::TextureOptions::LINEAR);
                self.open(Task::Chart { name: capture.name, image: chart });
                if let Some(d) = &mut self.dialog {
                    d.preview = Some(preview);
                }
            }
            None => {
                self.open(Task::Chart { name: capture.name, image: Arc::new(ColorImage::default()) });
                if let Some(d) = &mut self.dialog {
                    d.error = Some("The chart is not on screen; scroll it into view and try again.".to_owned());
                }
            }
        }
    }
}

/// The file name an empty path (or a folder) gets.
fn default_name(dialog: &Dialog) -> String {
    match &dialog.task {
        Task::Tables { name, .. } => format!("{name}.{}", if dialog.xlsx { "xlsx" } else { "csv" }),
        Task::Chart { name, .. } => format!("{name}.png"),
        Task::Brief { name, .. } => name.clone(),
        Task::DbCopy => format!("atlas-copy-{}.sqlite", jiff::Zoned::now().date()),
        Task::OpenDb => String::new(),
        Task::Story { .. } if dialog.xlsx => "story-handout.md".to_owned(),
        Task::Story { .. } => "story-slides".to_owned(),
        Task::QdaExport { project: true } => "integration-atlas.qdpx".to_owned(),
        Task::QdaExport { project: false } => "integration-atlas-codebook.qdc".to_owned(),
        Task::QdaImport => String::new(),
    }
}

fn extension(name: &str) -> &str {
    Path::new(name).extension().and_then(|e| e.to_str()).unwrap_or("")
}

fn swap_extension(path: &mut String, ext: &str) {
    for old in [".csv", ".xlsx"] {
        if let Some(stem) = path.strip_suffix(old) {
            *path = format!("{stem}.{ext}");
            return;
        }
    }
}

/// What the window says about the task.
fn describe(ui: &mut egui::Ui, dialog: &Dialog) {
    match &dialog.task {
        Task::Tables { tables, .. } => {
            let main = tables.first().map_or(0, |t| t.rows.len());
            let title = tables.first().map_or("", |t| t.title.as_str());
            ui.label(format!("{title}: {main} rows."));
            if tables.len() > 1 {
                let charts = tables.iter().filter(|t| t.chart.is_some()).count();
                ui.label(
                    RichText::new(format!(
                        "CSV holds this table; the XLSX workbook holds all {} tables as sheets, {charts} with a native \
                         Excel chart of the same numbers.",
                        tables.len()
                    ))
                    .small()
                    .weak(),
                );
            }
        }
        Task::Chart { image, .. } => {
            ui.label(format!("The chart as on screen: {} × {} pixels.", image.size[0], image.size[1]));
            if let Some(tex) = &dialog.preview {
                let size = tex.size_vec2();
                let scale = (360.0 / size.x).min(200.0 / size.y).min(1.0);
                ui.add(egui::Image::new(egui::load::SizedTexture::new(tex.id(), size * scale)));
            }
        }
        Task::Brief { name, contents, .. } => {
            let format = if name.ends_with(".html") { "HTML" } else { "Markdown" };
            ui.label(format!("{contents} ({format})."));
        }
        Task::DbCopy => {
            ui.label("A consistent copy of the whole database: reference data, notes, codes, own records, answers.");
            ui.label(
                RichText::new("Safe while the app runs; an existing file is replaced only once the copy is whole.")
                    .small()
                    .weak(),
            );
        }
        Task::QdaExport { project: true } => {
            ui.label(
                "Records as text sources, users, codes with colours and descriptions, coded passages and notes, \
                 for ATLAS.ti, NVivo, MAXQDA, QualCoder or Taguette (REFI-QDA 1.5).",
            );
        }
        Task::QdaExport { project: false } => {
            ui.label("The code tree with colours and descriptions (REFI-QDA codebook).");
        }
        Task::QdaImport => {
            ui.label("A .qdpx project or .qdc codebook. It is checked first: nothing is written until you confirm.");
        }
        Task::OpenDb => {
            ui.label("Switch to another Integration Atlas database. Anything else is refused and this one stays open.");
        }
        Task::Story { .. } => {
            ui.label(if dialog.xlsx {
                "Each slide's title, speaker notes, what it shows in words, and the sources of its records."
            } else {
                "Each slide as a 1920×1080 PNG, as presented; the folder is made if it does not exist."
            });
        }
    }
}

/// The system file dialog (blocking, as elsewhere in the app); `None` if cancelled or not available.
fn pick(task: &Task, default: &str, xlsx: bool) -> Option<PathBuf> {
    let dialog = rfd::FileDialog::new().set_directory(default_folder());
    match task {
        Task::OpenDb => dialog.add_filter("Integration Atlas database", &["sqlite", "db", "sqlite3"]).pick_file(),
        Task::Tables { .. } if xlsx => {
            dialog.set_file_name(default).add_filter("Excel workbook", &["xlsx"]).save_file()
        }
        Task::Tables { .. } => dialog.set_file_name(default).add_filter("CSV", &["csv"]).save_file(),
        Task::Chart { .. } => dialog.set_file_name(default).add_filter("PNG image", &["png"]).save_file(),
        Task::Brief { name, .. } if name.ends_with(".html") => {
            dialog.set_file_name(default).add_filter("HTML page", &["html"]).save_file()
        }
        Task::Brief { .. } => dialog.set_file_name(default).add_filter("Markdown", &["md"]).save_file(),
        Task::DbCopy => dialog.set_file_name(default).add_filter("SQLite database", &["sqlite"]).save_file(),
        Task::Story { .. } if xlsx => dialog.set_file_name(default).add_filter("Markdown", &["md"]).save_file(),
        Task::Story { .. } => dialog.pick_folder(),
        Task::QdaExport { project: true } => {
            dialog.set_file_name(default).add_filter("REFI-QDA project", &["qdpx"]).save_file()
        }
        Task::QdaExport { project: false } => {
            dialog.set_file_name(default).add_filter("REFI-QDA codebook", &["qdc"]).save_file()
        }
        Task::QdaImport => dialog.add_filter("REFI-QDA project or codebook", &["qdpx", "qdc"]).pick_file(),
    }
}

/// The typed path (or the default) as the file to write or open.
fn resolve(dialog: &Dialog, default: &str) -> Result<PathBuf, String> {
    let typed = dialog.path.trim();
    if matches!(dialog.task, Task::OpenDb | Task::QdaImport) {
        if typed.is_empty() {
            return Err(ExportError::NoPath.to_string());
        }
        let path = export::target_path(typed, "", "").map_err(|e| e.to_string())?;
        if !path.exists() {
            return Err(format!("{}: no such file", path.display()));
        }
        return Ok(path);
    }
    if matches!(dialog.task, Task::Story { .. }) && !dialog.xlsx {
        // A folder for the slides: the typed one, or a new one in Documents.
        return Ok(if typed.is_empty() { default_folder().join(default) } else { export::expand_home(typed) });
    }
    let text = if typed.is_empty() { default_folder().display().to_string() } else { typed.to_owned() };
    export::target_path(&text, default, extension(default)).map_err(|e| e.to_string())
}

fn confirm_task(dialog: &mut Dialog, default: &str) -> Result<Outcome, String> {
    let path = resolve(dialog, default)?;
    let shown = path.display();
    match &dialog.task {
        Task::Tables { tables, .. } => {
            let Some(main) = tables.first() else { return Err("Nothing to export.".to_owned()) };
            if dialog.xlsx {
                export::write_xlsx(&path, tables).map_err(|e| e.to_string())?;
                Ok(Outcome::Done(format!("Exported {} ({} sheets) to {shown}", main.title, tables.len())))
            } else {
                export::write_csv(&path, main).map_err(|e| e.to_string())?;
                Ok(Outcome::Done(format!("Exported {} ({} rows) to {shown}", main.title, main.rows.len())))
            }
        }
        Task::Chart { image, .. } => {
            if image.size[0] == 0 {
                return Err("The chart is not on screen; scroll it into view and try again.".to_owned());
            }
            let bytes = png_bytes(image).map_err(|e| format!("{shown}: cannot encode the PNG: {e}"))?;
            export::write_atomically(&path, &bytes).map_err(|e| e.to_string())?;
            Ok(Outcome::Done(format!("Saved the chart ({} × {} px) to {shown}", image.size[0], image.size[1])))
        }
        Task::Brief { text, what, .. } => {
            export::write_atomically(&path, text.as_bytes()).map_err(|e| e.to_string())?;
            Ok(Outcome::Done(format!("Exported the {what} to {shown}")))
        }
        Task::DbCopy => Ok(Outcome::Ask(Command::Files(FileCmd::SaveCopyTo(path)))),
        Task::OpenDb => Ok(Outcome::Ask(Command::Files(FileCmd::OpenAt(path)))),
        Task::Story { story } => {
            let (story, path) = (story.clone(), path.display().to_string());
            Ok(Outcome::Ask(Command::Stories(if dialog.xlsx {
                StoryCmd::ExportHandout { story, path }
            } else {
                StoryCmd::ExportPngs { story, path }
            })))
        }
        Task::QdaExport { .. } => Ok(Outcome::Ask(Command::Codings(CodingCmd::WriteQda(path)))),
        Task::QdaImport => Ok(Outcome::Ask(Command::Codings(CodingCmd::CheckQda(path)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use eframe::egui::{Color32, pos2};

    #[test]
    fn crop_takes_the_rect_in_physical_pixels_and_clamps_to_the_image() {
        let mut image = ColorImage::filled([40, 20], Color32::WHITE);
        image.pixels[5 * 40 + 10] = Color32::RED;
        let part = crop(&image, Rect::from_min_max(pos2(5.0, 2.5), pos2(30.0, 50.0)), 2.0).expect("a part");
        assert_eq!(part.size, [30, 15]);
        assert_eq!(part.pixels[0], Color32::RED);
        assert!(crop(&image, Rect::from_min_max(pos2(50.0, 0.0), pos2(60.0, 5.0)), 1.0).is_none());
    }
}
