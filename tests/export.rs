//! Exports as a user meets them: tables written as CSV and XLSX and read back (cells, numbers, the native chart),
//! bad paths refused in one line with existing files untouched.

use calamine::{Data, Reader, Xlsx, open_workbook};
use integration_atlas::export::{Cell, ChartKind, ChartSpec, Table, write_csv, write_xlsx};

fn sample() -> Table {
    let mut t = Table::new("Records per gap type", &["gap type", "municipal", "national"]);
    t.push(vec!["funding".into(), 4.into(), 2.into()]);
    t.push(vec!["information, data".into(), 3.into(), Cell::Empty]);
    t.push(vec!["capacity".into(), 0.5.into(), 1.into()]);
    t.chart = Some(ChartSpec::new(ChartKind::StackedBar, "Records per gap type", 0, vec![1, 2]));
    t
}

/// The sheet's cells as text ("" for empty), numbers as calamine reads them.
fn read_sheet(path: &std::path::Path, sheet: &str) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook(path).expect("the xlsx opens");
    let range = book.worksheet_range(sheet).expect("the sheet exists");
    range.rows().map(|r| r.to_vec()).collect()
}

/// Whether the XLSX zip holds a member of that name (zip keeps names uncompressed).
fn zip_has(path: &std::path::Path, member: &str) -> bool {
    let bytes = std::fs::read(path).expect("read");
    bytes.windows(member.len()).any(|w| w == member.as_bytes())
}

#[test]
fn a_table_exports_to_csv_and_reads_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("gaps.csv");
    write_csv(&path, &sample()).expect("csv written");
    let mut reader = csv::Reader::from_path(&path).expect("csv reads");
    assert_eq!(reader.headers().expect("header"), vec!["gap type", "municipal", "national"]);
    let rows: Vec<Vec<String>> =
        reader.records().map(|r| r.expect("row").iter().map(str::to_owned).collect()).collect();
    assert_eq!(rows[0], ["funding", "4", "2"]);
    assert_eq!(rows[1], ["information, data", "3", ""]);
    assert_eq!(rows[2], ["capacity", "0.5", "1"]);
}

#[test]
fn a_table_exports_to_xlsx_with_numbers_as_numbers_and_a_native_chart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("gaps.xlsx");
    write_xlsx(&path, &[sample()]).expect("xlsx written");
    let cells = read_sheet(&path, "Records per gap type");
    assert_eq!(cells[0], [Data::String("gap type".into()), Data::String("municipal".into()), "national".into()]);
    assert_eq!(cells[1], [Data::String("funding".into()), Data::Float(4.0), Data::Float(2.0)]);
    assert_eq!(cells[2][2], Data::Empty);
    assert_eq!(cells[3][1], Data::Float(0.5));
    assert!(zip_has(&path, "xl/charts/chart1.xml"), "the workbook holds a chart");
}

#[test]
fn several_tables_become_several_sheets() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("two.xlsx");
    let mut plain = Table::new("Rows", &["id"]);
    plain.push(vec!["C-VIE-01".into()]);
    write_xlsx(&path, &[plain, sample()]).expect("xlsx written");
    let book: Xlsx<_> = open_workbook(&path).expect("opens");
    assert_eq!(book.sheet_names(), ["Rows", "Records per gap type"]);
    assert!(zip_has(&path, "xl/charts/chart1.xml"));
    assert!(!zip_has(&path, "xl/charts/chart2.xml"));
}

#[test]
fn a_bad_path_is_one_line_naming_the_file_and_an_existing_file_is_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("no-such-folder").join("t.xlsx");
    let err = write_xlsx(&missing, &[sample()]).expect_err("refused").to_string();
    assert!(err.contains("t.xlsx") && err.contains("does not exist") && !err.contains('\n'), "{err}");
    let err = write_csv(dir.path(), &sample()).expect_err("refused").to_string();
    assert!(err.contains("is a folder") && !err.contains('\n'), "{err}");

    // A file in a read-only folder cannot be replaced; the old content stays.
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).expect("mkdir");
    let old = locked.join("t.csv");
    std::fs::write(&old, "old").expect("write");
    let mut perms = std::fs::metadata(&locked).expect("meta").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o555);
    std::fs::set_permissions(&locked, perms).expect("chmod");
    let result = write_csv(&old, &sample());
    let mut perms = std::fs::metadata(&locked).expect("meta").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&locked, perms).expect("chmod back");
    // Root writes anyway; then there is nothing to check.
    if let Err(err) = result {
        let err = err.to_string();
        assert!(err.contains("t.csv") && !err.contains('\n'), "{err}");
        assert_eq!(std::fs::read_to_string(&old).expect("read"), "old");
    }
}
