//! Reliability: killed writers lose nothing committed, two processes share one database, hostile files and text
//! cannot crash or corrupt anything, and the app never opens an internet socket.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use integration_atlas::annotate::Workspace;
use integration_atlas::store::notes::NoteStatus;
use integration_atlas::store::{Store, StoreError};

/// The writing path of the app, run in a child process by the tests below (it does nothing in a normal run).
/// It adds notes, types into them, codes them and changes their status, logging each committed note to a file
/// only after the store has committed it.
#[test]
#[ignore = "run as a child process by the reliability tests"]
fn child_writer() {
    let (Ok(db), Ok(log)) = (std::env::var("ATLAS_CHILD_DB"), std::env::var("ATLAS_CHILD_LOG")) else { return };
    let count: usize = std::env::var("ATLAS_CHILD_COUNT").ok().and_then(|c| c.parse().ok()).unwrap_or(usize::MAX);
    let author = std::env::var("ATLAS_CHILD_AUTHOR").unwrap_or_else(|_| "child".to_owned());
    let store = Store::open(Path::new(&db)).expect("child opens the database");
    let mut ws = Workspace::load(&store).expect("workspace");
    ws.set_author(&store, &author).expect("author");
    let code = ws.add_code(&store, &format!("code of {author}"), None).expect("code");
    let mut log = std::fs::OpenOptions::new().create(true).append(true).open(log).expect("log");
    for i in 0..count {
        let uuid = ws.add_note(&store, integration_atlas::store::codings::TargetKind::Challenge, Some("C-VIE-01"));
        let text = format!("{author} note {i}: {}", "x".repeat(i % 40));
        ws.edit_text(&uuid, &text);
        ws.flush(&store, true);
        ws.toggle_code(&store, &uuid, &code);
        ws.set_status(&store, &uuid, NoteStatus::Checked);
        assert!(ws.write_error.is_none(), "{:?}", ws.write_error);
        // One write call per line; a line cut short by the kill has no newline and is not counted.
        log.write_all(format!("{uuid}\t{text}\n").as_bytes()).expect("log");
    }
}

fn spawn_writer(db: &Path, log: &Path, author: &str, count: Option<usize>) -> std::process::Child {
    let mut cmd = Command::new(std::env::current_exe().expect("test binary"));
    cmd.args(["--ignored", "--exact", "child_writer", "--test-threads=1"])
        .env("ATLAS_CHILD_DB", db)
        .env("ATLAS_CHILD_LOG", log)
        .env("ATLAS_CHILD_AUTHOR", author)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(n) = count {
        cmd.env("ATLAS_CHILD_COUNT", n.to_string());
    }
    cmd.spawn().expect("child starts")
}

/// The notes a writer logged as committed: complete lines only (a kill can cut the last line short).
fn logged(log: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .split_inclusive('\n')
        .filter_map(|l| l.strip_suffix('\n'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(u, t)| (u.to_owned(), t.to_owned()))
        .collect()
}

fn integrity(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check")
}

#[test]
fn killing_the_writer_100_times_loses_nothing_committed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    drop(Store::open(&db).expect("create"));
    let mut logs = Vec::new();
    // A fixed pseudo-random sequence of kill delays, so a failure can be replayed.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for round in 0..100 {
        // Each run logs to its own file, so a line cut short by a kill cannot run into the next run's first line.
        let log = dir.path().join(format!("committed-{round}.log"));
        logs.push(log.clone());
        let mut child = spawn_writer(&db, &log, "writer", None);
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(30 + seed % 170));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        assert_eq!(integrity(&db), "ok", "round {round}");
        let store = Store::open(&db).unwrap_or_else(|e| panic!("round {round}: the database no longer opens: {e}"));
        let notes = store.notes().expect("notes");
        for (uuid, text) in logs.iter().flat_map(|l| logged(l)) {
            let note = notes.iter().find(|n| n.uuid == uuid).unwrap_or_else(|| panic!("round {round}: {uuid} lost"));
            assert_eq!(note.text, text, "round {round}");
            assert_eq!(note.status, NoteStatus::Checked, "round {round}");
        }
    }
    assert!(logs.iter().map(|l| logged(l).len()).sum::<usize>() > 20, "the writer got to write between kills");
}

#[test]
fn two_processes_write_to_one_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    drop(Store::open(&db).expect("create"));
    let (log_a, log_b) = (dir.path().join("a.log"), dir.path().join("b.log"));
    let mut a = spawn_writer(&db, &log_a, "Ana", Some(150));
    let mut b = spawn_writer(&db, &log_b, "Ben", Some(150));
    assert!(a.wait().expect("a").success(), "writer A failed");
    assert!(b.wait().expect("b").success(), "writer B failed");
    assert_eq!(integrity(&db), "ok");
    let notes = Store::open(&db).expect("open").notes().expect("notes");
    for (uuid, text) in logged(&log_a).into_iter().chain(logged(&log_b)) {
        assert!(notes.iter().any(|n| n.uuid == uuid && n.text == text), "{uuid} missing");
    }
    assert_eq!(notes.len(), 300);
}

fn assert_refused_untouched(path: &Path) -> StoreError {
    let before = std::fs::read(path).expect("read");
    let err = match Store::open(path) {
        Ok(_) => panic!("{} was opened", path.display()),
        Err(e) => e,
    };
    assert_eq!(std::fs::read(path).expect("read"), before, "the file was changed");
    assert!(!err.to_string().contains('\n'));
    err
}

#[test]
fn a_truncated_atlas_database_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    {
        let store = Store::open(&db).expect("create");
        store.connection().pragma_update(None, "journal_mode", "delete").expect("one self-contained file");
    }
    let bytes = std::fs::read(&db).expect("read");
    let cut = dir.path().join("cut.sqlite");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).expect("truncate");
    let err = assert_refused_untouched(&cut);
    assert!(matches!(err, StoreError::Damaged { .. } | StoreError::Sqlite { .. }), "{err}");
}

#[test]
fn a_database_locked_by_another_process_gets_a_one_line_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    drop(Store::open(&db).expect("create"));
    // Another program holds an exclusive lock (sqlite3 would do the same).
    let holder = rusqlite::Connection::open(&db).expect("open");
    holder.pragma_update(None, "locking_mode", "exclusive").expect("exclusive");
    holder
        .execute_batch("BEGIN EXCLUSIVE; UPDATE meta SET value = value WHERE key = 'dataset_hash'; COMMIT;")
        .expect("lock");
    let err = match Store::open(&db) {
        Ok(_) => panic!("a locked database was opened"),
        Err(e) => e,
    };
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    assert!(err.to_string().contains("locked by another program"), "{err}");
    drop(holder);
    Store::open(&db).expect("usable again once the other program lets go");
}

/// HTTP clients and TLS stacks: the app never makes an outgoing request. (The live round's server, axum on hyper,
/// is allowed; hyper's and hyper-util's client features are not.)
const CLIENT_CRATES: [&str; 13] = [
    "reqwest",
    "ureq",
    "isahc",
    "curl",
    "surf",
    "attohttpc",
    "rustls",
    "native-tls",
    "openssl",
    "hyper-tls",
    "hyper-rustls",
    "h2",
    "fantoccini",
];

#[test]
fn no_http_client_or_tls_is_in_the_apps_dependency_tree() {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).expect("Cargo.lock");
    let names: Vec<&str> =
        lock.lines().filter_map(|l| l.strip_prefix("name = \"")).map(|n| n.trim_end_matches('"')).collect();
    assert!(names.contains(&"rusqlite"), "the lock file was read");
    // Not even the tests' browser driver may bring TLS or a second HTTP client.
    for forbidden in ["reqwest", "ureq", "isahc", "curl", "surf", "attohttpc", "rustls", "native-tls", "openssl", "h2"]
    {
        assert!(!names.contains(&forbidden), "{forbidden} is in the lock file");
    }
    // What the app itself is built from (no dev-dependencies), with features.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args(["tree", "--locked", "--offline", "-e", "no-dev,features", "--prefix", "none"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree: {}", String::from_utf8_lossy(&out.stderr));
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(tree.contains("hyper feature \"server\""), "the tree was read with features:\n{tree}");
    for line in tree.lines() {
        let name = line.split_whitespace().next().unwrap_or_default();
        assert!(!CLIENT_CRATES.contains(&name), "{name} is in the app's dependency tree");
        for client in
            ["hyper feature \"client\"", "hyper-util feature \"client\"", "hyper-util feature \"client-legacy\""]
        {
            assert!(!line.starts_with(client), "the app's hyper has its HTTP client turned on: {line}");
        }
    }
}

#[test]
fn the_real_app_opens_no_internet_socket() {
    for tool in ["xvfb-run", "strace"] {
        let found =
            Command::new("sh").args(["-c", &format!("command -v {tool}")]).output().is_ok_and(|o| o.status.success());
        assert!(found, "{tool} is missing: install the Debian packages xvfb and strace (see README, Tests)");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let trace = dir.path().join("trace.txt");
    let runtime = dir.path().join("runtime");
    std::fs::create_dir_all(&runtime).expect("runtime");
    let out = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x800x24", "strace", "-f", "-e", "trace=network", "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_integration-atlas"))
        .arg("--db")
        .arg(dir.path().join("atlas.sqlite"))
        .arg("--screenshot-to")
        .arg(dir.path().join("shot.png"))
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .output()
        .expect("strace runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let calls = std::fs::read_to_string(&trace).expect("trace");
    assert!(calls.contains("socket(AF_UNIX"), "the trace saw the display connection");
    let internet: Vec<&str> = calls.lines().filter(|l| l.contains("AF_INET")).collect();
    assert!(internet.is_empty(), "internet sockets opened:\n{}", internet.join("\n"));
}

/// A whole `live` session under strace: the server binds and accepts on its one port, and nothing connects
/// anywhere but loopback (the test's own phone comes in through loopback; the app itself connects nowhere).
#[test]
fn a_live_round_binds_its_port_and_connects_nowhere() {
    use std::io::{BufRead, BufReader, Read, Write};
    let found = Command::new("sh").args(["-c", "command -v strace"]).output().is_ok_and(|o| o.status.success());
    assert!(found, "strace is missing: install the Debian package strace (see README, Tests)");
    let dir = tempfile::tempdir().expect("temp dir");
    let trace = dir.path().join("trace.txt");
    let chosen = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let mut strace = Command::new("strace")
        .args(["-f", "-e", "trace=network", "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_integration-atlas"))
        .arg("--db")
        .arg(dir.path().join("atlas.sqlite"))
        .args(["live", "--round", "Traced", "--port", &chosen.to_string()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("strace runs");
    let mut lines = BufReader::new(strace.stdout.take().expect("stdout")).lines();
    let mut urls = Vec::new();
    for line in lines.by_ref() {
        let line = line.expect("line");
        if line.starts_with("Answering is open") {
            break;
        }
        if let Some(url) = line.trim().strip_prefix("http://") {
            urls.push(url.to_owned());
        }
    }
    let (host, path) = urls.first().and_then(|u| u.split_once('/')).expect("a URL");
    let port: u16 = host.rsplit_once(':').and_then(|(_, p)| p.parse().ok()).expect("port");
    assert_eq!(port, chosen);
    // A phone on this machine: loopback, same port.
    let mut phone = std::net::TcpStream::connect(("127.0.0.1", port)).expect("the round listens on loopback");
    write!(phone, "GET /{path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").expect("request");
    let mut reply = String::new();
    phone.read_to_string(&mut reply).expect("reply");
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    // Stop the app (not strace) with SIGTERM, as a service manager would.
    let children = std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", strace.id())).expect("children");
    let app = children.split_whitespace().next().expect("the traced app").to_owned();
    assert!(Command::new("kill").args(["-TERM", &app]).status().expect("kill").success());
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(strace.wait().expect("exits").success(), "{rest:?}");
    assert!(rest.iter().any(|l| l.starts_with("Stopped:")), "{rest:?}");
    let calls = std::fs::read_to_string(&trace).expect("trace");
    let port_text = format!("sin_port=htons({port})");
    let binds: Vec<&str> = calls.lines().filter(|l| l.contains("bind(") && l.contains("AF_INET")).collect();
    assert!(!binds.is_empty(), "the trace saw the server bind");
    for b in &binds {
        assert!(b.contains(&port_text), "a bind on another port: {b}");
    }
    assert!(calls.lines().any(|l| l.contains("accept")), "the trace saw the server accept the phone");
    let connects: Vec<&str> = calls
        .lines()
        .filter(|l| l.contains("connect(") && (l.contains("AF_INET") || l.contains("AF_INET6")))
        .filter(|l| !l.contains("inet_addr(\"127.") && !l.contains("\"::1\""))
        .collect();
    assert!(connects.is_empty(), "connections to the network:\n{}", connects.join("\n"));
}

mod hostile {
    use proptest::prelude::*;

    /// Cases per property: a bounded run by default; `ATLAS_FUZZ_CASES=20000 cargo test --test reliability hostile`
    /// for a long run (see README, Reliability).
    fn cases(default: u32) -> u32 {
        std::env::var("ATLAS_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
    }

    use integration_atlas::store::Store;
    use integration_atlas::store::bundle::parse_bundle;

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(256), .. ProptestConfig::default() })]

        /// Any text as a bundle: an error or a bundle, never a panic.
        #[test]
        fn bundle_parsing_never_panics(text in ".{0,400}") {
            let _ = parse_bundle("fuzz.json", &text);
        }

        /// JSON-shaped text that looks almost like a bundle.
        #[test]
        fn near_bundles_never_panic(version in -3i64..5, status in "[a-z ]{0,12}", uuid in "[a-z0-9-]{0,8}") {
            let text = format!(
                r#"{{"format":"integration-atlas-bundle","version":{version},"exported_at":"x","notes":[{{"uuid":"{uuid}","target_kind":"memo","target_id":null,"text":"t","author":"a","status":"{status}","created_at":"x","updated_at":"x"}}]}}"#
            );
            let _ = parse_bundle("fuzz.json", &text);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(24).min(2000), .. ProptestConfig::default() })]

        /// Any bytes as a database file: refused with one line and left untouched, never a panic.
        #[test]
        fn opening_random_bytes_never_panics_or_writes(bytes in proptest::collection::vec(any::<u8>(), 0..4096), header in any::<bool>()) {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("random.sqlite");
            let mut content = if header { b"SQLite format 3\0".to_vec() } else { Vec::new() };
            content.extend(bytes);
            std::fs::write(&path, &content).expect("write");
            let result = Store::open(&path);
            prop_assert!(result.is_err());
            prop_assert_eq!(std::fs::read(&path).expect("read"), content);
        }
    }

    /// A fixed question catalogue and city list for the answer-file targets.
    fn catalogue() -> (Vec<integration_atlas::answers::QuestionDef>, std::collections::HashSet<String>) {
        use integration_atlas::answers::{QuestionDef, QuestionKind, QuestionOrigin};
        let q = |code: &str, kind| QuestionDef {
            code: code.to_owned(),
            text: code.to_owned(),
            kind,
            unit: None,
            min: None,
            max: None,
            origin: QuestionOrigin::Instrument,
        };
        let questions = vec![
            q("N", QuestionKind::Number),
            q("S", QuestionKind::Share),
            q("C", QuestionKind::Score),
            q("T", QuestionKind::Tick),
            q("X", QuestionKind::Text),
        ];
        (questions, ["vienna", "berlin"].into_iter().map(str::to_owned).collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(256), .. ProptestConfig::default() })]

        /// Any text as a survey CSV: read or refused, and checking it never panics; every problem names a row.
        #[test]
        fn answer_csv_never_panics(text in "(?s).{0,600}") {
            use integration_atlas::answers::{read, validate};
            let (questions, cities) = catalogue();
            if let Ok(file) = read::read_csv("fuzz.csv", &text) {
                let plan = validate::validate(&file, &questions, &cities);
                prop_assert!(plan.answers.len() <= plan.rows_total);
                if !read::has_markers(&text) {
                    let streamed =
                        integration_atlas::answers::plan_csv_while_reading("fuzz.csv", &text, &questions, &cities);
                    prop_assert_eq!(streamed, Ok(plan));
                }
            }
        }

        /// CSV-shaped answers with hostile cells: every row is either valid or has a problem with its row number.
        #[test]
        fn answer_rows_are_valid_or_explained(
            rows in proptest::collection::vec(("[A-Z0-9 ]{0,3}", "(vienna|Berlin|Nowhere|)", "[NSCTXY]{0,2}", ".{0,8}", "(2024-01-0[1-9]|45[0-9]{3}|[a-z]{0,4}|)"), 0..30)
        ) {
            use integration_atlas::answers::{read, validate};
            let (questions, cities) = catalogue();
            let mut text = String::from("respondent_id,city,question_code,value,date\n");
            for (id, city, code, value, date) in &rows {
                let value = value.replace(['"', '\n', '\r', ','], " ");
                text.push_str(&format!("{id},{city},{code},\"{value}\",{date}\n"));
            }
            // Checking while reading gives the same plan as reading, then checking.
            let streamed = integration_atlas::answers::plan_csv_while_reading("fuzz.csv", &text, &questions, &cities);
            let whole = read::read_csv("fuzz.csv", &text).map(|f| validate::validate(&f, &questions, &cities));
            prop_assert_eq!(streamed, whole);
            if let Ok(file) = read::read_csv("fuzz.csv", &text) {
                let plan = validate::validate(&file, &questions, &cities);
                for row in &file.answers.rows {
                    let ok = plan.answers.iter().any(|a| a.row == row.row);
                    let explained = plan.issues.iter().any(|i| i.row == row.row);
                    prop_assert!(ok || explained, "row {} neither imported nor explained", row.row);
                }
            }
        }

        /// Any bytes as a JSON answer file.
        #[test]
        fn answer_json_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600), shaped in any::<bool>()) {
            use integration_atlas::answers::{read, validate};
            let (questions, cities) = catalogue();
            let bytes = if shaped {
                format!(r#"{{"answers":[{{"respondent_id":{:?},"question_code":"C","value":{}}}]}}"#,
                    String::from_utf8_lossy(&bytes), bytes.len() as i64 - 300).into_bytes()
            } else {
                bytes
            };
            if let Ok(file) = read::read_json("fuzz.json", &bytes) {
                let _ = validate::validate(&file, &questions, &cities);
            }
        }

        /// Any text as a story slide's saved view: read or refused, never a panic.
        #[test]
        fn slide_views_never_panic(text in "(?s).{0,300}", view in "[A-Za-z]{0,10}") {
            let _ = serde_json::from_str::<integration_atlas::ui::UiState>(&text);
            let shaped = format!(r#"{{"view":"{view}","zoom":{},"explorer":{{"filter":{{"selected":{{"Gap":["{view}"]}}}}}}}}"#, text.len());
            let _ = serde_json::from_str::<integration_atlas::ui::UiState>(&shaped);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(32).min(2000), .. ProptestConfig::default() })]

        /// Any bytes as an Excel file: refused with one line, never a panic.
        #[test]
        fn answer_xlsx_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048), zip in any::<bool>()) {
            use integration_atlas::answers::read;
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("fuzz.xlsx");
            let mut content = if zip { b"PK\x03\x04".to_vec() } else { Vec::new() };
            content.extend(bytes);
            std::fs::write(&path, &content).expect("write");
            if let Err(e) = read::read_file(&path) {
                prop_assert!(!e.to_string().contains('\n'), "one line: {}", e);
            }
        }

        /// Forged workbooks: cells anywhere on (and past) Excel's grid, forged shared-string counts and dimensions,
        /// long texts. Read within the limits (rows only from the cells that are there) or refused in one line.
        #[test]
        fn forged_workbooks_are_read_within_limits_or_refused(
            cells in proptest::collection::vec((0u64..1_100_000, 0u32..17_000, "[a-z0-9]{0,12}", any::<bool>()), 0..12),
            unique_count in prop_oneof![Just(None), (0u64..u64::MAX).prop_map(Some)],
            dimension in "(|[A-Z]{1,3}[0-9]{1,8}(:[A-Z]{1,4}[0-9]{1,8})?)",
            long in 0usize..40_000,
        ) {
            use integration_atlas::answers::read;
            let mut data = String::from(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>respondent_id</t></is></c><c r="B1" t="inlineStr"><is><t>question_code</t></is></c><c r="C1" t="inlineStr"><is><t>value</t></is></c></row>"#);
            let mut sorted = cells.clone();
            sorted.sort_by_key(|(r, c, _, _)| (*r, *c));
            for (row, col, text, numeric) in &sorted {
                let row = row + 2;
                let mut name = String::new();
                let mut c = *col;
                loop {
                    name.insert(0, (b'A' + (c % 26) as u8) as char);
                    if c < 26 { break; }
                    c = c / 26 - 1;
                }
                let value = if *numeric {
                    format!(r#"<c r="{name}{row}"><v>{}</v></c>"#, text.len())
                } else {
                    format!(r#"<c r="{name}{row}" t="inlineStr"><is><t>{text}{}</t></is></c>"#, "x".repeat(long))
                };
                data.push_str(&format!(r#"<row r="{row}">{value}</row>"#));
            }
            let strings = unique_count.map(|n| format!(r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="{n}"><si><t>s</t></si></sst>"#));
            let bytes = forged_xlsx(&data, strings.as_deref(), &dimension);
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("forged.xlsx");
            std::fs::write(&path, &bytes).expect("write");
            match read::read_file(&path) {
                Ok(file) => {
                    prop_assert!(file.answers.rows.len() <= cells.len());
                    prop_assert!(file.answers.rows.iter().all(|r| r.cells.len() <= 3));
                }
                Err(e) => prop_assert!(!e.to_string().contains('\n'), "one line: {}", e),
            }
        }
    }

    /// A workbook of one sheet `answers` holding `sheet_data`, with optional shared strings and a dimension.
    fn forged_xlsx(sheet_data: &str, shared_strings: Option<&str>, dimension: &str) -> Vec<u8> {
        use std::io::Write as _;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        let dimension = if dimension.is_empty() { String::new() } else { format!(r#"<dimension ref="{dimension}"/>"#) };
        let mut parts = vec![
            ("_rels/.rels".to_owned(), r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned()),
            ("xl/workbook.xml".to_owned(), r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="answers" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_owned()),
            ("xl/_rels/workbook.xml.rels".to_owned(), r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_owned()),
            ("xl/worksheets/sheet1.xml".to_owned(), format!(r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>{sheet_data}</sheetData></worksheet>"#)),
        ];
        if let Some(strings) = shared_strings {
            parts.push(("xl/sharedStrings.xml".to_owned(), strings.to_owned()));
        }
        for (name, text) in parts {
            zip.start_file(name, options).expect("part");
            zip.write_all(text.as_bytes()).expect("write");
        }
        zip.finish().expect("zip").into_inner()
    }

    #[test]
    fn any_search_text_is_a_valid_query() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("a.sqlite")).expect("open");
        let mut runner =
            proptest::test_runner::TestRunner::new(ProptestConfig { cases: cases(256), ..ProptestConfig::default() });
        runner
            .run(&".{0,60}", |text| {
                store.search_ids("challenge", &text).expect("never a query error");
                store.search_all(&text, 10).expect("never a query error");
                Ok(())
            })
            .expect("all inputs");
    }
}

/// Unmounts the test's small file system even when an assertion fails.
struct Mounted(std::path::PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_is_reported_the_edit_kept_in_memory_and_saved_once_there_is_room() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mnt = dir.path().join("small-disk");
    std::fs::create_dir_all(&mnt).expect("mount point");
    let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", "size=8m", "tmpfs"]).arg(&mnt).output();
    if !mounted.is_ok_and(|o| o.status.success()) {
        eprintln!(
            "not run: this machine does not allow mounting a small tmpfs (needs root), so a full disk cannot be simulated"
        );
        return;
    }
    let _guard = Mounted(mnt.clone());
    let db = mnt.join("atlas.sqlite");
    let store = Store::open(&db).expect("create on the small disk");
    // Start from an empty write-ahead log, so the next write must grow a file.
    store.connection().query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).expect("checkpoint");
    let mut ws = Workspace::load(&store).expect("workspace");
    ws.set_author(&store, "Ana").expect("author");
    // Fill the disk.
    let filler = mnt.join("filler");
    {
        let mut f = std::fs::File::create(&filler).expect("filler");
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let _ = f.sync_all();
    }
    let uuid = ws.add_note(&store, integration_atlas::store::codings::TargetKind::Challenge, Some("C-VIE-01"));
    ws.edit_text(&uuid, "typed while the disk was full");
    ws.flush(&store, true);
    let message = ws.write_error.clone().expect("the user is told");
    assert!(message.starts_with("Not saved yet (kept in memory, will retry)"), "{message}");
    assert!(ws.unsaved());
    assert_eq!(
        ws.notes.iter().find(|n| n.uuid == uuid).map(|n| n.text.as_str()),
        Some("typed while the disk was full")
    );
    // Room again: the next flush (the app calls it every half second) writes everything.
    std::fs::remove_file(&filler).expect("free space");
    ws.flush(&store, true);
    assert!(!ws.unsaved(), "{:?}", ws.write_error);
    assert!(ws.write_error.is_none());
    drop(ws);
    drop(store);
    assert_eq!(integrity(&db), "ok");
    let notes = Store::open(&db).expect("reopen").notes().expect("notes");
    assert!(
        notes.iter().any(|n| n.uuid == uuid && n.text == "typed while the disk was full" && n.deleted_at.is_none())
    );
}

/// A database that turns read-only during a session. Root (as CI runs) writes through file permissions, and a
/// read-only remount is refused while SQLite holds its files open, so the read-only state is made inside SQLite
/// (`PRAGMA query_only`): writes then fail with SQLite's own "attempt to write a readonly database", as they do for
/// a read-only file or folder. The edit stays in memory, the user is told, and the retry saves it once writing works.
#[test]
fn a_read_only_database_keeps_the_edit_and_saves_it_when_writable_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    let store = Store::open(&db).expect("create");
    let mut ws = Workspace::load(&store).expect("workspace");
    ws.set_author(&store, "Ana").expect("author");
    store.connection().pragma_update(None, "query_only", true).expect("read-only");
    let uuid = ws.add_note(&store, integration_atlas::store::codings::TargetKind::Challenge, Some("C-ATH-01"));
    ws.edit_text(&uuid, "typed while the file was read-only");
    ws.flush(&store, true);
    let message = ws.write_error.clone().expect("the user is told");
    assert!(message.starts_with("Not saved yet (kept in memory, will retry)"), "{message}");
    assert!(message.contains("readonly") || message.contains("read-only"), "{message}");
    assert!(ws.unsaved());
    // Several retries while still read-only lose nothing.
    for _ in 0..3 {
        ws.flush(&store, true);
        assert!(ws.unsaved());
    }
    store.connection().pragma_update(None, "query_only", false).expect("writable");
    ws.flush(&store, true);
    assert!(!ws.unsaved(), "{:?}", ws.write_error);
    drop(ws);
    drop(store);
    assert_eq!(integrity(&db), "ok");
    let notes = Store::open(&db).expect("reopen").notes().expect("notes");
    assert!(notes.iter().any(|n| n.uuid == uuid && n.text == "typed while the file was read-only"));
}
