//! The tagged-PDF writer, checked with the PDF tools CI installs (qpdf, poppler-utils); a missing tool skips its
//! check with a message.

use std::path::Path;
use std::process::Command;

use atlas_export::doc::{
    Block, Chart, DocTable, Document, Figure, Inline, ListItem, Paper, Radar, Series, Source, pdf, plain, text,
};

const URLS: [&str; 2] = ["https://www.oecd.org/en/publications/x.html", "https://example.org/sources/b"];

fn sample() -> Document {
    let mut table = DocTable::new(&["Row", "City", "Value", "Note"]);
    for i in 1..=60 {
        table.push_texts([
            format!("{i}"),
            format!("Θεσσαλονίκη {i}"),
            format!("{}.5 %", i * 3),
            format!("a longer note for row {i} that needs to wrap inside its fixed column width, café naïve"),
        ]);
    }
    let mut data = DocTable::new(&["#", "Vienna", "Peers"]);
    data.push_texts(["1", "2.0", "3.0"]);
    data.push_texts(["2", "4.0", "1.5"]);
    let radar = Radar {
        axes: vec!["1".into(), "2".into()],
        max: 4.0,
        rings: 4,
        series: vec![Series { label: "Vienna".into(), values: vec![Some(2.0), Some(4.0)] }],
    };
    Document {
        title: "Ελληνικά & accents: Zürich brief".into(),
        lang: "en".into(),
        date: "2026-12-04".into(),
        blocks: vec![
            Block::heading(2, "Key figures"),
            Block::Paragraph(vec![
                text("Read the full text at"),
                plain(" "),
                Inline::Link { text: URLS[0].into(), url: URLS[0].into() },
                plain(" — "),
                Inline::Strong("bold".into()),
                plain(" and "),
                Inline::Code("code_id".into()),
                plain(" and a script link "),
                Inline::Link { text: "click".into(), url: "javascript:alert(1)".into() },
            ]),
            Block::List(vec![ListItem {
                text: vec![Inline::Strong("Note".into()), plain(" (Ana, draft): check")],
                sub: vec![vec![Inline::Emph("Uncertain:".into()), plain(" the year")]],
            }]),
            Block::Quote(vec![Inline::Strong("Note:".into()), plain(" a remark")]),
            Block::heading(3, "All rows"),
            Block::Table(table),
            Block::Figure(Figure {
                caption: Some("Self-assessment radar".into()),
                alt: "Radar of two dimensions: Vienna scores 2 and 4".into(),
                chart: Chart::Radar(radar),
                data,
            }),
            Block::heading(2, "Sources"),
            Block::Sources(vec![
                Source {
                    tag: Some("[OECD text]".into()),
                    title: Some("Working Together".into()),
                    url: Some(URLS[0].into()),
                },
                Source { tag: None, title: None, url: Some(URLS[1].into()) },
                Source { tag: Some("[other]".into()), title: Some("A citation".into()), url: None },
            ]),
        ],
    }
}

/// Runs `tool args… file`; `None` (with a message) when the tool is not installed.
fn run(tool: &str, args: &[&str], file: &Path) -> Option<(bool, String)> {
    match Command::new(tool).args(args).arg(file).output() {
        Ok(out) => Some((
            out.status.success(),
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
        )),
        Err(e) => {
            eprintln!("skipping the {tool} check: {tool} is not available ({e})");
            None
        }
    }
}

fn written(doc: &Document, paper: Paper) -> (tempfile::TempDir, std::path::PathBuf) {
    let bytes = pdf(doc, paper).expect("pdf");
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("brief.pdf");
    std::fs::write(&path, &bytes).expect("write");
    if let Ok(keep) = std::env::var("ATLAS_KEEP_PDF") {
        let _ = std::fs::write(keep, &bytes);
    }
    (dir, path)
}

#[test]
fn the_pdf_is_valid_tagged_embedded_and_its_text_extracts() {
    let doc = sample();
    let (_dir, path) = written(&doc, Paper::A4);
    if let Some((ok, out)) = run("qpdf", &["--check"], &path) {
        assert!(ok, "qpdf --check failed: {out}");
    }
    if let Some((ok, out)) = run("pdfinfo", &[], &path) {
        assert!(ok, "{out}");
        assert!(out.contains("Tagged:          yes"), "{out}");
        assert!(out.contains(&doc.title), "{out}");
        assert!(out.contains("595 x 842 pts"), "{out}");
        let pages: u32 =
            out.lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|n| n.trim().parse().ok()).expect("page count");
        assert!(pages >= 2, "the 60-row table should break the page: {out}");
    }
    if let Some((ok, out)) = run("pdffonts", &[], &path) {
        assert!(ok, "{out}");
        let rows: Vec<&str> = out.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
        assert!(!rows.is_empty(), "{out}");
        for row in rows {
            // name type encoding emb sub uni object ID: the emb column is the 4th from the end.
            let cols: Vec<&str> = row.split_whitespace().collect();
            assert_eq!(cols.get(cols.len().saturating_sub(5)), Some(&"yes"), "not embedded: {row}\n{out}");
        }
    }
    if let Some((ok, out)) = run("pdftotext", &["-enc", "UTF-8"], &path) {
        assert!(ok, "{out}");
        let txt = std::fs::read_to_string(path.with_extension("txt")).expect("pdftotext output");
        assert!(txt.contains(&doc.title), "title missing: {txt}");
        assert!(txt.contains("Θεσσαλονίκη 60"), "last row missing: {txt}");
        assert!(txt.contains("180.5 %"), "last row missing: {txt}");
        for url in URLS {
            assert!(txt.contains(url), "{url} missing: {txt}");
        }
        assert!(txt.contains("page 1 of"), "footer missing: {txt}");
        assert!(txt.contains("click (javascript:alert(1))"), "{txt}");
    }
}

#[test]
fn letter_paper_and_odd_inputs_do_not_fail() {
    let (_dir, path) = written(&sample(), Paper::Letter);
    if let Some((ok, out)) = run("pdfinfo", &[], &path) {
        assert!(ok && out.contains("612 x 792 pts"), "{out}");
    }
    let mut wide = DocTable::new(&(0..40).map(|i| format!("column {i}")).collect::<Vec<_>>());
    wide.push_texts((0..40).map(|_| "x".repeat(300)));
    let tall = DocTable {
        caption: Some("tall".into()),
        header: vec!["only".into()],
        rows: vec![vec![vec![text(&"word ".repeat(3000))]]],
    };
    let odd = Document {
        title: String::new(),
        lang: String::new(),
        date: "not a date".into(),
        blocks: vec![
            Block::heading(9, "\u{0}控制\u{7} 中文 🙂"),
            Block::Paragraph(vec![]),
            Block::List(vec![]),
            Block::Table(DocTable::default()),
            Block::Table(wide),
            Block::Table(tall),
            Block::Sources(vec![Source::default()]),
            Block::Figure(Figure::default()),
        ],
    };
    for paper in [Paper::A4, Paper::Letter] {
        let bytes = pdf(&odd, paper).expect("odd input");
        assert!(bytes.starts_with(b"%PDF"));
    }
    assert_eq!(Paper::parse("LETTER"), Some(Paper::Letter));
    assert_eq!(Paper::parse("a4"), Some(Paper::A4));
    assert_eq!(Paper::parse("a5"), None);
}
