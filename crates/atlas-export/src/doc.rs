//! One document model for the reports (the city brief, the self-assessment): a report is built once as a
//! [`Document`] and each format has its own writer — [`markdown`], [`html`] and the tagged [`pdf`] here, each walking the
//! same blocks (headings with levels, paragraphs, lists, tables with a header row, figures with alternative text and
//! the numbers behind them, links, a list of sources, the title, language and date).
//!
//! The model is plain data: no egui, no format's syntax. Texts are stored as the reader should see them (one line,
//! whitespace already collapsed by the builder, see [`clean`]); each writer escapes them for its format.

mod html;
mod markdown;
mod pdf;

pub use html::{html, radar_svg};
pub use markdown::markdown;
pub use pdf::{Paper, pdf};

/// A whole report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// The report's title, shown as its one level-1 heading and given as the document's title (`<title>`, the PDF's
    /// metadata).
    pub title: String,
    /// The language of the text, as a BCP 47 tag ("en").
    pub lang: String,
    /// The date the report was written (exported), `YYYY-MM-DD`.
    pub date: String,
    pub blocks: Vec<Block>,
}

/// A run of text: what a paragraph, a list item or a table cell holds.
pub type Inlines = Vec<Inline>;

/// A piece of running text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    /// Strong emphasis (a flag, a label: "**Note**").
    Strong(String),
    /// Emphasis (a remark, a label: "*Uncertain:*").
    Emph(String),
    /// An identifier or a path, shown as code.
    Code(String),
    /// A link; `text` equal to `url` shows the address itself.
    Link {
        text: String,
        url: String,
    },
}

/// One item of a bullet list, with items nested one level below it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListItem {
    pub text: Inlines,
    pub sub: Vec<Inlines>,
}

/// A table: a caption (optional, for when no heading says what it is), one header row and the rows, each a cell per
/// column of the header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocTable {
    pub caption: Option<String>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Inlines>>,
}

/// A chart with what it says in words (`alt`) and the numbers behind it as a table (`data`). A writer that can draw
/// draws `chart` and shows `data` with it; one that cannot (Markdown) shows `data` alone.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figure {
    pub caption: Option<String>,
    pub alt: String,
    pub chart: Chart,
    pub data: DocTable,
}

/// What a figure draws.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    Radar(Radar),
}

impl Default for Chart {
    fn default() -> Self {
        Self::Radar(Radar::default())
    }
}

/// A radar chart: one spoke per axis, the first straight up and the others clockwise; values from 0 (the centre) to
/// `max` (the outer ring), `rings` rings evenly spaced; one outline per series. Writers share its geometry
/// ([`Radar::outline`], [`Radar::grid`], [`Radar::label_at`]) on a circle of radius 1 with y pointing up.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Radar {
    /// Each spoke's short label ("1" … "12").
    pub axes: Vec<String>,
    pub max: f64,
    pub rings: u32,
    pub series: Vec<Series>,
}

/// A line through points of the radar's unit circle (y up).
pub type Polyline = Vec<[f64; 2]>;

/// One line of a chart: a label and a value per axis (`None`: no value, the line breaks there).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

/// One entry of a list of sources: a tag shown before it (a confidence label, "[OECD text]"), a title and an
/// address; a source without an address is cited by its title.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Source {
    pub tag: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
}

/// A block of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading; `level` 2 to 6 (level 1 is the document's title).
    Heading {
        level: u8,
        text: String,
    },
    Paragraph(Inlines),
    /// A remark set apart from the text (a note or a doubt about the data).
    Quote(Inlines),
    List(Vec<ListItem>),
    Table(DocTable),
    Figure(Figure),
    Sources(Vec<Source>),
}

/// Text as one line: runs of whitespace (line breaks included) become one space, and the ends are trimmed.
pub fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A text inline from data: [`clean`]ed.
pub fn text(text: &str) -> Inline {
    Inline::Text(clean(text))
}

/// A text inline as given (for the builder's own words and separators, whose spaces count).
pub fn plain(text: impl Into<String>) -> Inline {
    Inline::Text(text.into())
}

impl Block {
    pub fn heading(level: u8, text: &str) -> Self {
        Self::Heading { level, text: clean(text) }
    }

    /// A paragraph of one text.
    pub fn para(text: &str) -> Self {
        Self::Paragraph(vec![self::text(text)])
    }

    /// A paragraph of one emphasised text ("*None recorded.*").
    pub fn remark(text: &str) -> Self {
        Self::Paragraph(vec![Inline::Emph(clean(text))])
    }

    /// A list whose items are one text each and have no sub-items.
    pub fn bullets<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Self {
        Self::List(items.into_iter().map(|s| ListItem::new(vec![text(s.as_ref())])).collect())
    }
}

impl ListItem {
    pub fn new(text: Inlines) -> Self {
        Self { text, sub: Vec::new() }
    }
}

impl DocTable {
    pub fn new<S: AsRef<str>>(header: &[S]) -> Self {
        Self { caption: None, header: header.iter().map(|h| clean(h.as_ref())).collect(), rows: Vec::new() }
    }

    /// Adds a row of cells of one text each.
    pub fn push_texts<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(|c| vec![text(c.as_ref())]).collect());
    }
}

impl Radar {
    /// The angle of spoke `k` (0-based), in radians: spoke 0 straight up, the others clockwise.
    pub fn angle(&self, k: usize) -> f64 {
        std::f64::consts::FRAC_PI_2 - std::f64::consts::TAU * k as f64 / self.axes.len().max(1) as f64
    }

    /// Where `value` on spoke `k` sits: radius `value / max` (clamped to 0–1) along the spoke.
    pub fn point(&self, k: usize, value: f64) -> [f64; 2] {
        let r = if self.max > 0.0 { value.clamp(0.0, self.max) / self.max } else { 0.0 };
        let a = self.angle(k);
        [r * a.cos(), r * a.sin()]
    }

    /// The end of spoke `k` pushed out to `radius` (1.0 = the outer ring), for its label.
    pub fn label_at(&self, k: usize, radius: f64) -> [f64; 2] {
        let a = self.angle(k);
        [radius * a.cos(), radius * a.sin()]
    }

    /// The grid: the rings (closed polygons, innermost first) and the spokes (centre to outer ring).
    pub fn grid(&self) -> (Vec<Polyline>, Vec<[[f64; 2]; 2]>) {
        let n = self.axes.len();
        let rings = (1..=self.rings)
            .map(|j| {
                let v = self.max * f64::from(j) / f64::from(self.rings);
                let mut ring: Polyline = (0..n).map(|k| self.point(k, v)).collect();
                if let Some(first) = ring.first().copied() {
                    ring.push(first);
                }
                ring
            })
            .collect();
        let spokes = (0..n).map(|k| [[0.0, 0.0], self.point(k, self.max)]).collect();
        (rings, spokes)
    }

    /// The lines to draw for one series: runs of consecutive values as polylines, closed (first point repeated) when
    /// every axis has a value. A missing value breaks the line rather than being drawn as 0.
    pub fn outline(&self, values: &[Option<f64>]) -> Vec<Polyline> {
        atlas_analysis::assessment::outline_runs(values, |k, v| self.point(k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Document {
        let mut table = DocTable::new(&["Figure", "Value | unit", "Source"]);
        table.rows.push(vec![
            vec![text("Foreign-born <share>")],
            vec![text("29.3 % | of all")],
            vec![plain("[OECD text] "), Inline::Link { text: "https://x.org/a".into(), url: "https://x.org/a".into() }],
        ]);
        Document {
            title: "Vienna & <Wien>: city brief".into(),
            lang: "en".into(),
            date: "2026-11-22".into(),
            blocks: vec![
                Block::heading(2, "Key figures"),
                Block::Table(table),
                Block::Paragraph(vec![
                    text("A \"quoted\"   text\nwith <script>alert('x')</script> & more"),
                    plain(" "),
                    Inline::Strong("bold".into()),
                ]),
                Block::List(vec![ListItem {
                    text: vec![Inline::Strong("Note".into()), plain(" (Ana, draft): check")],
                    sub: vec![vec![Inline::Emph("Uncertain:".into()), plain(" the year")]],
                }]),
                Block::Quote(vec![Inline::Strong("Note:".into()), plain(" a remark")]),
                Block::heading(2, "Sources"),
                Block::Sources(vec![
                    Source {
                        tag: Some("[OECD text]".into()),
                        title: Some("Working Together".into()),
                        url: Some("https://doi.org/10.1787/x?a=1&b=2".into()),
                    },
                    Source { tag: Some("[external context]".into()), title: None, url: Some("https://e.org/".into()) },
                    Source {
                        tag: Some("[other OECD publication]".into()),
                        title: Some("A citation".into()),
                        url: None,
                    },
                ]),
            ],
        }
    }

    #[test]
    fn markdown_writes_a_table_with_its_header_row_and_escaped_pipes() {
        let md = markdown(&sample());
        assert!(md.starts_with("# Vienna & <Wien>: city brief\n\n## Key figures\n\n"), "{md}");
        assert!(
            md.contains(
                "| Figure | Value \\| unit | Source |\n|---|---|---|\n\
                 | Foreign-born <share> | 29.3 % \\| of all | [OECD text] <https://x.org/a> |\n"
            ),
            "{md}"
        );
        assert!(md.contains("A \"quoted\" text with <script>alert('x')</script> & more **bold**"), "one line: {md}");
        assert!(md.contains("- **Note** (Ana, draft): check\n  - *Uncertain:* the year\n"), "{md}");
        assert!(md.contains("\n> **Note:** a remark\n"), "{md}");
        assert!(md.ends_with("\n"), "{md}");
    }

    #[test]
    fn markdown_lists_every_source_with_its_tag_and_address() {
        let md = markdown(&sample());
        let list = md.split("## Sources\n\n").nth(1).expect("sources");
        assert_eq!(
            list,
            "- [OECD text] Working Together <https://doi.org/10.1787/x?a=1&b=2>\n\
             - [external context] <https://e.org/>\n\
             - [other OECD publication] A citation\n"
        );
    }

    #[test]
    fn html_is_a_standalone_page_with_every_text_escaped() {
        let page = html(&sample());
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{page}");
        assert!(page.contains("<title>Vienna &amp; &lt;Wien&gt;: city brief</title>"), "{page}");
        assert!(page.contains("<h1>Vienna &amp; &lt;Wien&gt;: city brief</h1>"), "{page}");
        assert!(page.contains("<meta name=\"date\" content=\"2026-11-22\">"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more"), "{page}");
        assert!(page.contains("A &quot;quoted&quot; text"), "{page}");
        assert!(!page.contains("<script") && !page.contains("<Wien>") && !page.contains("<share>"), "{page}");
        assert!(page.contains("<th scope=\"col\">Value | unit</th>"), "{page}");
        assert!(page.trim_end().ends_with("</body></html>"), "{page}");
    }

    #[test]
    fn html_links_sources_and_refuses_other_schemes() {
        let page = html(&sample());
        assert!(page.contains("<a href=\"https://doi.org/10.1787/x?a=1&amp;b=2\">"), "{page}");
        assert!(page.contains("[other OECD publication] A citation</li>"), "{page}");
        let doc = Document {
            title: "t".into(),
            lang: "en".into(),
            date: String::new(),
            blocks: vec![Block::Paragraph(vec![Inline::Link {
                text: "click".into(),
                url: "javascript:alert(1)".into(),
            }])],
        };
        let page = html(&doc);
        assert!(!page.contains("href") && page.contains("click (javascript:alert(1))"), "{page}");
    }

    #[test]
    fn a_figure_is_drawn_in_html_and_its_numbers_are_shown_in_both() {
        let mut data = DocTable::new(&["#", "A"]);
        data.push_texts(["1", "2.0"]);
        let radar = Radar {
            axes: (1..=4).map(|n| n.to_string()).collect(),
            max: 4.0,
            rings: 4,
            series: vec![Series { label: "A <b>".into(), values: vec![Some(2.0), None, Some(4.0), Some(1.0)] }],
        };
        let doc = Document {
            title: "t".into(),
            lang: "de".into(),
            date: String::new(),
            blocks: vec![Block::Figure(Figure {
                caption: None,
                alt: "Radar \"of\" four".into(),
                chart: Chart::Radar(radar.clone()),
                data,
            })],
        };
        let page = html(&doc);
        assert!(page.contains("<html lang=\"de\">"));
        assert!(page.contains("<svg") && page.contains("aria-label=\"Radar &quot;of&quot; four\""), "{page}");
        assert!(page.contains("A &lt;b&gt;") && page.contains("<td>2.0</td>"), "{page}");
        assert!(markdown(&doc).contains("| # | A |\n|---|---|\n| 1 | 2.0 |\n"));
        // Spoke 0 points up; a gap breaks the outline into one run from spoke 2 round to spoke 0.
        let p = radar.point(0, 4.0);
        assert!(p[0].abs() < 1e-9 && (p[1] - 1.0).abs() < 1e-9);
        assert_eq!(radar.outline(&radar.series[0].values).len(), 1);
        assert_eq!(radar.outline(&radar.series[0].values)[0].len(), 3);
        let (rings, spokes) = radar.grid();
        assert_eq!((rings.len(), rings[0].len(), spokes.len()), (4, 5, 4));
    }
}
