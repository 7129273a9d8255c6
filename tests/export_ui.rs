//! Exports through the real app, driven by accessible labels: a table as XLSX and CSV, a chart as PNG (cropped
//! from the screen), a city brief, a database copy, and opening another database (a bad file refused, the open
//! one kept).

mod common;

use calamine::{Data, DataType as _, Reader, Xlsx, open_workbook};
use common::{app_in as app_with, on};
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use integration_atlas::store::Store;
use integration_atlas::ui::{AtlasApp, ChartKind, View};

/// Types a path into the File window's path field.
fn type_path(harness: &mut Harness<'_, AtlasApp>, field: &str, path: &std::path::Path) {
    harness.get_by_label(field).focus();
    harness.get_by_label(field).type_text(&path.display().to_string());
    harness.run();
}

fn message(harness: &Harness<'_, AtlasApp>) -> String {
    harness.state().message().unwrap_or_default().to_owned()
}

#[test]
fn the_explorer_table_exports_as_xlsx_with_charts_and_as_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, on(View::Explorer));
    harness.run();
    harness.get_by_label("Gap type: funding (17)").click();
    harness.run();
    harness.get_by_label("Export table…").click();
    harness.run();
    harness.get_by_label("Explorer records: 17 rows.");
    harness.get_by_label("Excel workbook (XLSX, with charts)").click();
    harness.run();
    let xlsx = dir.path().join("funding.xlsx");
    type_path(&mut harness, "Save to file:", &xlsx);
    harness.get_by_label("Export").click();
    harness.run();
    assert_eq!(message(&harness), format!("Exported Explorer records (6 sheets) to {}", xlsx.display()));
    assert!(harness.query_by_label("Save to file:").is_none(), "the window closed");
    let mut book: Xlsx<_> = open_workbook(&xlsx).expect("xlsx opens");
    let rows = book.worksheet_range("Explorer records").expect("sheet");
    assert_eq!(rows.height(), 18, "header and the 17 funding records");
    assert!(rows.rows().skip(1).all(|r| r[5] == Data::String("funding".into())));
    // The workbook says which filters chose its records.
    let about = book.worksheet_range("About this export").expect("about sheet");
    assert!(
        about
            .rows()
            .any(|r| r[0] == Data::String("Filters".into()) && r[1] == Data::String("Gap type: funding".into()))
    );
    // The chart sheet counts the same records: only the funding row has any.
    let gaps = book.worksheet_range("Records by gap type, stacked by").expect("chart sheet");
    for row in gaps.rows().skip(1) {
        let total = row.last().and_then(|c| c.as_f64()).unwrap_or(-1.0);
        assert_eq!(total > 0.0, row[0] == Data::String("funding".into()), "{row:?}");
    }

    // The same as CSV: the window remembers XLSX, switching back names the file .csv.
    harness.get_by_label("Export table…").click();
    harness.run();
    harness.get_by_label("CSV (the main table)").click();
    harness.run();
    let csv = dir.path().join("funding");
    type_path(&mut harness, "Save to file:", &csv);
    harness.get_by_label("Export").click();
    harness.run();
    let text = std::fs::read_to_string(dir.path().join("funding.csv")).expect("csv written, .csv added");
    assert_eq!(text.lines().count(), 18);
}

#[test]
fn a_bad_path_is_said_in_one_line_and_the_window_stays_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, on(View::Checklist));
    harness.run();
    harness.get_by_label("Export matrix…").click();
    harness.run();
    let bad = dir.path().join("no-such-folder").join("matrix.csv");
    type_path(&mut harness, "Save to file:", &bad);
    harness.get_by_label("Export").click();
    harness.run();
    let expected = format!("{}: the folder {} does not exist", bad.display(), bad.parent().unwrap().display());
    harness.get_by_label(&expected);
    assert!(!bad.exists());
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(harness.query_by_label("Save to file:").is_none());
}

#[test]
fn a_chart_saves_as_png_exactly_as_on_screen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut state = on(View::Explorer);
    state.explorer.show_charts = true;
    state.explorer.chart = ChartKind::Area;
    let mut harness = app_with(&dir, state);
    harness.run();
    let chart = harness.get_by_label("Chart: Records by policy area").rect();
    harness.get_by_label("Save chart as PNG: Records by policy area").click();
    harness.run();
    harness.get_by_label_contains("The chart as on screen:");
    let png = dir.path().join("areas.png");
    type_path(&mut harness, "Save to file:", &png);
    harness.get_by_label("Save PNG").click();
    harness.run();
    assert!(message(&harness).starts_with("Saved the chart"), "{}", message(&harness));
    let image = image::open(&png).expect("a PNG").to_rgba8();
    // The plot area, its axes (category labels on the left, values and their name below), and above it the title
    // and the filters in words; nothing more of the window.
    let (w, h) = (chart.width().round() as u32, chart.height().round() as u32);
    let (iw, ih) = image.dimensions();
    assert!(iw > w && iw < w + 320 && ih > h + 30 && ih < h + 140, "{iw}×{ih} vs plot area {w}×{h}");
    // Bars are drawn: the image is not one flat colour.
    let first = image.get_pixel(0, 0);
    assert!(image.pixels().filter(|p| *p != first).count() > 1000);
    // The bars keep their colour exactly, the legend's and the window's (no translucent fill paling on white).
    let bar = integration_atlas::ui::widgets::charts::color_of("records").to_array();
    let exact = image.pixels().filter(|p| p.0 == bar).count();
    assert!(exact > 10_000, "{exact} pixels of the bar colour {bar:?}");
}

#[test]
fn a_city_brief_exports_from_the_profile() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, on(View::Cities));
    harness.run();
    harness.get_by_label("City Vienna").click();
    harness.run();
    harness.get_by_label("Export city brief…").click();
    harness.run();
    // An empty path means the default folder; a folder gets the brief's own name.
    type_path(&mut harness, "Save to file:", dir.path());
    harness.get_by_label("Save brief").click();
    harness.run();
    let text = std::fs::read_to_string(dir.path().join("vienna-brief.md")).expect("brief written");
    assert!(text.starts_with("# Vienna (Wien): city brief"), "{text}");
    assert!(text.contains("### C-VIE-01 5-year wait for social housing"));
    assert!(text.contains("## Sources"));
}

#[test]
fn the_file_menu_copies_the_database_and_opens_another_refusing_a_bad_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, on(View::Survey));
    harness.run();
    {
        let app = harness.state_mut();
        common::set_author(app, "Ana");
        common::add_note(app, "memo", None, "Typed just before the copy.");
    }
    // The survey figures through "Export this view's table…".
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Export this view's table…").click();
    harness.run();
    harness.get_by_label_contains("Survey figures: ");
    let figures = dir.path().join("figures.csv");
    type_path(&mut harness, "Save to file:", &figures);
    harness.get_by_label("Export").click();
    harness.run();
    assert!(std::fs::read_to_string(&figures).expect("csv").starts_with("id,survey,value,"));

    // A copy, with the note typed a moment ago.
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Save a copy of the database…").click();
    harness.run();
    let copy = dir.path().join("copy.sqlite");
    type_path(&mut harness, "Save to file:", &copy);
    harness.get_by_label("Save copy").click();
    harness.run();
    assert_eq!(message(&harness), format!("Saved a copy of the database to {}", copy.display()));
    let copied = Store::open(&copy).expect("the copy opens");
    assert!(copied.notes().expect("notes").iter().any(|n| n.text == "Typed just before the copy."));
    drop(copied);

    // A file that is not a database is refused; the open database stays.
    let junk = dir.path().join("junk.sqlite");
    std::fs::write(&junk, b"not a database at all").expect("write");
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Open database…").click();
    harness.run();
    type_path(&mut harness, "Database file:", &junk);
    harness.get_by_label("Open this database").click();
    harness.step();
    common::wait_until(&mut harness, |h| !h.state().is_opening());
    harness.run();
    let original = dir.path().join("atlas.sqlite");
    harness.get_by_label(&format!(
        "{}: not an SQLite database (left untouched); still using {}",
        junk.display(),
        original.display()
    ));
    assert_eq!(std::fs::read(&junk).expect("read"), b"not a database at all");
    assert_eq!(harness.state().session().expect("open").path(), original);

    // The copy opens.
    harness.get_by_label("Database file:").focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Database file:").type_text(&copy.display().to_string());
    harness.run();
    harness.get_by_label("Open this database").click();
    harness.step();
    common::wait_until(&mut harness, |h| !h.state().is_opening());
    harness.run();
    assert_eq!(message(&harness), format!("Opened {}", copy.display()));
    assert_eq!(harness.state().session().expect("open").path(), copy);
}

/// A path typed and Export clicked within one frame (a fast user, or a test harness): every character counts.
#[test]
fn a_path_typed_and_export_clicked_in_the_same_frame_is_used_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app_with(&dir, on(View::Explorer));
    harness.run();
    harness.get_by_label("Export table…").click();
    harness.run();
    let path = dir.path().join("same-frame.csv");
    harness.get_by_label("Save to file:").focus();
    harness.run();
    harness.get_by_label("Save to file:").type_text(&path.display().to_string());
    harness.get_by_label("Export").click();
    harness.run();
    assert_eq!(message(&harness), format!("Exported Explorer records (184 rows) to {}", path.display()));
    assert!(path.is_file());
}

#[test]
fn a_long_message_wraps_instead_of_pushing_the_view_off_screen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = common::app_sized(&common::db_in(&dir), on(View::Explorer), [800.0, 600.0]);
    harness.run();
    harness.get_by_label("Export table…").click();
    harness.run();
    let deep: std::path::PathBuf =
        std::iter::once(dir.path().to_path_buf()).chain((0..40).map(|i| format!("a-deep-folder-{i}").into())).collect();
    std::fs::create_dir_all(&deep).expect("folders");
    type_path(&mut harness, "Save to file:", &deep.join("records.xlsx"));
    harness.get_by_label("Export").click();
    harness.run();
    harness.run();
    let text = message(&harness);
    assert!(text.len() > 600, "a long message: {text}");
    let screen = harness.ctx.content_rect();
    let shown = harness.get_by_label(&text).rect();
    assert!(shown.right() <= screen.right() + 1.0, "the message wraps within the window: {shown:?}");
    let search = harness.get_by_label("Search:").rect();
    assert!(search.right() <= screen.right(), "the view is still on screen: {search:?}");
}
