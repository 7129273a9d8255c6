//! The PDF writer: a tagged PDF (PDF/UA-1, checked by krilla's validator) of the same blocks the Markdown and HTML
//! writers walk. Text in the embedded DejaVu Sans (code in DejaVu Sans Mono), word-wrapped; headings larger; tables in
//! fixed column widths with their header row drawn again on each page they continue onto; bullet lists; sources with
//! live links; a footer on every page (title, date, "page N of M") marked as a pagination artifact.
//!
//! It works in two passes: [`Layout`] places every piece of text and rule on pages and records the logical structure
//! ([`SNode`]: headings, paragraphs, lists, tables …) pointing at the pieces; [`render`] then draws each page with
//! krilla, each piece as one marked-content sequence, and turns the structure into krilla's tag tree. Knowing the
//! number of pages before drawing is what lets every footer say "of M".
//!
//! Figures: the chart itself is not drawn yet; the figure is tagged with its alternative text, shows that text, and is
//! followed by the table of its numbers.

use std::num::NonZeroU16;

use krilla::SerializeSettings;
use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::configure::{Accessibility, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, Node, SpanTag, TableHeaderScope, Tag, TagGroup,
    TagKind, TagTree,
};
use krilla::text::{Font, TextDirection};
use rustybuzz::UnicodeBuffer;

use super::{Block, DocTable, Document, Figure, Inline, ListItem, Source};

const REGULAR: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/fonts/DejaVuSans.ttf"));
const MONO: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/fonts/DejaVuSansMono.ttf"));

/// Page margins (points).
const MARGIN: f32 = 56.0;
/// Room kept above the bottom margin for the footer.
const FOOTER: f32 = 24.0;
const BODY: f32 = 10.5;
const SMALL: f32 = 9.0;
/// Cell padding.
const PAD: f32 = 3.0;
/// Indent of list items and quotes.
const INDENT: f32 = 16.0;

type Colour = [u8; 3];
const INK: Colour = [17, 17, 17];
const LINK: Colour = [26, 74, 160];
const MUTED: Colour = [85, 85, 85];
const RULE: Colour = [170, 170, 170];
const SHADE: Colour = [232, 236, 246];

/// The paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    /// 595 × 842 points.
    #[default]
    A4,
    /// 612 × 792 points.
    Letter,
}

impl Paper {
    /// Width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Self::A4 => (595.0, 842.0),
            Self::Letter => (612.0, 792.0),
        }
    }

    /// "a4" or "letter" (any case).
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "a4" => Some(Self::A4),
            "letter" => Some(Self::Letter),
            _ => None,
        }
    }
}

/// The document as a tagged PDF on `paper`.
pub fn pdf(doc: &Document, paper: Paper) -> Result<Vec<u8>, String> {
    let fonts = Fonts::load()?;
    let (width, height) = paper.size();
    let mut layout = Layout::new(&fonts, width, height);
    let tree = layout.document(doc);
    let outline = outline(&layout.headings);
    let mut pages = layout.finish();
    footers(&mut pages, &fonts, doc, width, height);
    render(&pages, tree, outline, (&fonts, doc), (width, height))
}

// ---------------------------------------------------------------------------------------------------------------
// Fonts and measuring

struct Fonts {
    regular: rustybuzz::Face<'static>,
    mono: rustybuzz::Face<'static>,
    pdf_regular: Font,
    pdf_mono: Font,
}

impl Fonts {
    fn load() -> Result<Self, String> {
        let face = |data: &'static [u8]| rustybuzz::Face::from_slice(data, 0).ok_or("the embedded font is unreadable");
        let font = |data: &'static [u8]| Font::new(data.into(), 0).ok_or("the embedded font is unreadable");
        Ok(Self { regular: face(REGULAR)?, mono: face(MONO)?, pdf_regular: font(REGULAR)?, pdf_mono: font(MONO)? })
    }

    fn face(&self, mono: bool) -> &rustybuzz::Face<'static> {
        if mono { &self.mono } else { &self.regular }
    }

    /// The advance of `text` at `size`, shaped as krilla shapes it.
    fn width(&self, text: &str, mono: bool, size: f32) -> f32 {
        let face = self.face(mono);
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let shaped = rustybuzz::shape(face, &[], buffer);
        let units: i64 = shaped.glyph_positions().iter().map(|p| i64::from(p.x_advance)).sum();
        units as f32 * size / f32::from(face.units_per_em().max(1) as u16)
    }

    /// `text` with what the font cannot draw replaced: control characters by a space, characters without a glyph by
    /// U+FFFD (or "?"), so that every glyph maps to a character (PDF/UA).
    fn clean(&self, text: &str, mono: bool) -> String {
        let face = self.face(mono);
        let replacement = if face.glyph_index('\u{FFFD}').is_some() { '\u{FFFD}' } else { '?' };
        text.chars()
            .map(|c| {
                if c.is_control() {
                    ' '
                } else if face.glyph_index(c).is_some() {
                    c
                } else {
                    replacement
                }
            })
            .collect()
    }
}

fn line_height(size: f32) -> f32 {
    size * 1.4
}

// ---------------------------------------------------------------------------------------------------------------
// What the layout produces

#[derive(Debug, Clone, PartialEq)]
struct Style {
    mono: bool,
    colour: Colour,
    link: Option<String>,
}

impl Style {
    fn ink() -> Self {
        Self { mono: false, colour: INK, link: None }
    }

    fn colour(colour: Colour) -> Self {
        Self { mono: false, colour, link: None }
    }
}

enum Draw {
    Text { x: f32, y: f32, size: f32, mono: bool, colour: Colour, text: String },
    Line { from: (f32, f32), to: (f32, f32), width: f32, colour: Colour },
    Fill { x: f32, y: f32, w: f32, h: f32, colour: Colour },
}

#[derive(Clone, Copy)]
enum Mark {
    Span,
    Artifact(ArtifactType),
}

/// One marked-content sequence on a page.
struct Leaf {
    mark: Mark,
    draws: Vec<Draw>,
}

/// A link annotation over the text of leaf `leaf`.
struct LinkOut {
    leaf: usize,
    url: String,
    rect: Area,
}

#[derive(Default)]
struct PageOut {
    leaves: Vec<Leaf>,
    links: Vec<LinkOut>,
}

/// A structure element's kind.
enum Kind {
    Heading(u8, String),
    P,
    Quote,
    List,
    Item,
    Label,
    Body,
    Table,
    Head,
    TableBody,
    Row,
    HeaderCell,
    Cell,
    Figure(String),
    Caption,
}

/// The logical structure, pointing at leaves and links by page and index.
enum SNode {
    Group(Kind, Vec<SNode>),
    Leaf { page: usize, leaf: usize },
    Link { page: usize, link: usize },
}

/// A run of one style on a line, `x` from the line's start.
struct Seg {
    x: f32,
    w: f32,
    text: String,
    style: Style,
}

type Line = Vec<Seg>;
/// x, y (top), width, height.
type Area = (f32, f32, f32, f32);
/// A draw and, for a link, its address and area.
type Placed = (Draw, Option<(String, Area)>);
type Pieces = Vec<(String, Style)>;

// ---------------------------------------------------------------------------------------------------------------
// Layout

struct Layout<'f> {
    fonts: &'f Fonts,
    width: f32,
    height: f32,
    y: f32,
    done: Vec<PageOut>,
    page: PageOut,
    /// Every heading (level, text, page, top) for the document outline (bookmarks, required by PDF/UA-1).
    headings: Vec<Heading>,
}

type Heading = (u8, String, usize, f32);

/// Whether an address may be a link: web and mail addresses only.
fn linkable(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    ["http://", "https://", "mailto:"].iter().any(|p| lower.starts_with(p))
}

/// Inline runs as styled pieces; a link that may not be live shows its address in brackets, as in HTML.
fn pieces(list: &[Inline]) -> Pieces {
    list.iter()
        .map(|i| match i {
            Inline::Text(t) | Inline::Strong(t) => (t.clone(), Style::ink()),
            Inline::Emph(t) => (t.clone(), Style::colour(MUTED)),
            Inline::Code(t) => (t.clone(), Style { mono: true, colour: INK, link: None }),
            Inline::Link { text, url } => {
                let shown = if text.is_empty() { url } else { text };
                if linkable(url) {
                    (shown.clone(), Style { mono: false, colour: LINK, link: Some(url.trim().to_string()) })
                } else if shown == url {
                    (url.clone(), Style::ink())
                } else {
                    (format!("{shown} ({url})"), Style::ink())
                }
            }
        })
        .collect()
}

fn plain_pieces(text: &str, style: Style) -> Pieces {
    vec![(text.to_string(), style)]
}

impl<'f> Layout<'f> {
    fn new(fonts: &'f Fonts, width: f32, height: f32) -> Self {
        Self { fonts, width, height, y: MARGIN, done: Vec::new(), page: PageOut::default(), headings: Vec::new() }
    }

    fn finish(mut self) -> Vec<PageOut> {
        self.done.push(std::mem::take(&mut self.page));
        self.done
    }

    fn left(&self) -> f32 {
        MARGIN
    }

    fn measure_width(&self) -> f32 {
        (self.width - 2.0 * MARGIN).max(1.0)
    }

    fn bottom(&self) -> f32 {
        self.height - MARGIN - FOOTER
    }

    fn index(&self) -> usize {
        self.done.len()
    }

    fn new_page(&mut self) {
        self.done.push(std::mem::take(&mut self.page));
        self.y = MARGIN;
    }

    /// Starts a new page unless `h` fits below the current position or the page is still empty.
    fn need(&mut self, h: f32) {
        if self.y + h > self.bottom() && self.y > MARGIN + 0.5 {
            self.new_page();
        }
    }

    fn leaf(&mut self, mark: Mark, draws: Vec<Draw>) -> usize {
        self.page.leaves.push(Leaf { mark, draws });
        self.page.leaves.len() - 1
    }

    fn artifact(&mut self, draws: Vec<Draw>) {
        self.leaf(Mark::Artifact(ArtifactType::Layout), draws);
    }

    fn document(&mut self, doc: &Document) -> Vec<SNode> {
        let mut tree = vec![self.heading(1, &doc.title)];
        for b in &doc.blocks {
            tree.extend(self.block(b));
        }
        tree
    }

    fn block(&mut self, b: &Block) -> Vec<SNode> {
        match b {
            Block::Heading { level, text } => vec![self.heading(*level, text)],
            Block::Paragraph(text) => {
                let nodes = self.text_block(&pieces(text), self.left(), self.measure_width(), BODY);
                self.y += BODY * 0.6;
                vec![SNode::Group(Kind::P, nodes)]
            }
            Block::Quote(text) => vec![self.quote(text)],
            Block::List(items) => vec![self.list(items)],
            Block::Table(t) => vec![self.table(t)],
            Block::Figure(f) => self.figure(f),
            Block::Sources(sources) => vec![self.sources(sources)],
        }
    }

    fn heading(&mut self, level: u8, text: &str) -> SNode {
        let level = level.clamp(1, 6);
        let size = [20.0, 15.0, 13.0, 12.0, 11.0, BODY][usize::from(level - 1)];
        self.y += if level == 1 { 0.0 } else { size * 0.5 };
        // Keep a heading with the first lines after it.
        self.need(line_height(size) + 3.0 * line_height(BODY));
        let shown = if text.trim().is_empty() { "Report" } else { text };
        self.headings.push((level, shown.to_string(), self.index(), self.y));
        let nodes = self.text_block(&plain_pieces(text, Style::ink()), self.left(), self.measure_width(), size);
        self.y += size * 0.4;
        SNode::Group(Kind::Heading(level, shown.to_string()), nodes)
    }

    /// Wraps `pieces` into lines of at most `width` points.
    fn wrap(&self, pieces: &[(String, Style)], width: f32, size: f32) -> Vec<Line> {
        let mut lines = Vec::new();
        let mut line: Line = Vec::new();
        let mut x = 0.0;
        let mut pending_space = false;
        for (text, style) in pieces {
            let text = self.fonts.clean(text, style.mono);
            for (i, word) in text.split(' ').enumerate() {
                if i > 0 {
                    pending_space = true;
                }
                if word.is_empty() {
                    continue;
                }
                let spaced = pending_space && !line.is_empty();
                pending_space = false;
                let space = if spaced { self.fonts.width(" ", style.mono, size) } else { 0.0 };
                let w = self.fonts.width(word, style.mono, size);
                // A line broken between words keeps the space at its end, so the extracted text has it.
                if spaced
                    && (w > width || x + space + w > width)
                    && let Some(last) = line.last_mut()
                {
                    last.text.push(' ');
                }
                if w > width {
                    for (chunk, cw) in self.split_word(word, style.mono, size, width) {
                        if !line.is_empty() {
                            lines.push(std::mem::take(&mut line));
                        }
                        push_word(&mut line, &chunk, 0.0, cw, style, false);
                        x = cw;
                    }
                } else if !line.is_empty() && x + space + w > width {
                    lines.push(std::mem::take(&mut line));
                    push_word(&mut line, word, 0.0, w, style, false);
                    x = w;
                } else {
                    push_word(&mut line, word, x + space, w, style, spaced);
                    x += space + w;
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// A word too long for a line, cut into pieces that fit (at least one character each).
    fn split_word(&self, word: &str, mono: bool, size: f32, width: f32) -> Vec<(String, f32)> {
        let mut out = Vec::new();
        let mut chunk = String::new();
        let mut w = 0.0;
        for c in word.chars() {
            let cw = self.fonts.width(c.encode_utf8(&mut [0; 4]), mono, size);
            if !chunk.is_empty() && w + cw > width {
                out.push((std::mem::take(&mut chunk), w));
                w = 0.0;
            }
            chunk.push(c);
            w += cw;
        }
        if !chunk.is_empty() {
            out.push((chunk, w));
        }
        out
    }

    /// The draws of one line whose top is at `top`, and the links among them (draw index, url, rectangle).
    fn line_draws(line: &Line, x0: f32, top: f32, size: f32) -> Vec<Placed> {
        let base = top + size * 1.05;
        line.iter()
            .map(|seg| {
                let draw = Draw::Text {
                    x: x0 + seg.x,
                    y: base,
                    size,
                    mono: seg.style.mono,
                    colour: seg.style.colour,
                    text: seg.text.clone(),
                };
                let link = seg.style.link.clone().map(|url| (url, (x0 + seg.x, top, seg.w, line_height(size))));
                (draw, link)
            })
            .collect()
    }

    /// Draws one line at `top` as one leaf per run (a link: a leaf, an underline and an annotation).
    fn emit_line(&mut self, line: &Line, x0: f32, top: f32, size: f32) -> Vec<SNode> {
        let mut nodes = Vec::new();
        for (draw, link) in Self::line_draws(line, x0, top, size) {
            let leaf = self.leaf(Mark::Span, vec![draw]);
            let page = self.index();
            match link {
                Some((url, rect)) => {
                    let under = top + size * 1.25;
                    self.artifact(vec![Draw::Line {
                        from: (rect.0, under),
                        to: (rect.0 + rect.2, under),
                        width: 0.5,
                        colour: LINK,
                    }]);
                    self.page.links.push(LinkOut { leaf, url, rect });
                    nodes.push(SNode::Link { page, link: self.page.links.len() - 1 });
                }
                None => nodes.push(SNode::Leaf { page, leaf }),
            }
        }
        nodes
    }

    /// Wrapped text from the current position, breaking pages between lines.
    fn text_block(&mut self, pieces: &[(String, Style)], x0: f32, width: f32, size: f32) -> Vec<SNode> {
        let lh = line_height(size);
        let mut nodes = Vec::new();
        for line in self.wrap(pieces, width, size) {
            self.need(lh);
            nodes.extend(self.emit_line(&line, x0, self.y, size));
            self.y += lh;
        }
        nodes
    }

    fn quote(&mut self, text: &[Inline]) -> SNode {
        let x0 = self.left() + INDENT;
        let width = self.measure_width() - INDENT;
        let lh = line_height(BODY);
        let mut nodes = Vec::new();
        for line in self.wrap(&pieces(text), width, BODY) {
            self.need(lh);
            let bar = self.left() + 4.0;
            self.artifact(vec![Draw::Line { from: (bar, self.y), to: (bar, self.y + lh), width: 2.0, colour: RULE }]);
            nodes.extend(self.emit_line(&line, x0, self.y, BODY));
            self.y += lh;
        }
        self.y += BODY * 0.6;
        SNode::Group(Kind::Quote, vec![SNode::Group(Kind::P, nodes)])
    }

    /// One list item: a bullet (its label) and the wrapped text (its body), at `depth` levels of indent.
    fn item(&mut self, text: &Pieces, depth: f32, sub: Option<Vec<Pieces>>) -> SNode {
        let x0 = self.left() + INDENT * (depth + 1.0);
        let width = (self.measure_width() - INDENT * (depth + 1.0)).max(1.0);
        self.need(line_height(BODY));
        let bullet = if depth > 0.0 { "◦" } else { "•" };
        let label = self.leaf(
            Mark::Span,
            vec![Draw::Text {
                x: x0 - INDENT * 0.7,
                y: self.y + BODY * 1.05,
                size: BODY,
                mono: false,
                colour: INK,
                text: bullet.into(),
            }],
        );
        let page = self.index();
        let mut body = self.text_block(text, x0, width, BODY);
        if let Some(sub) = sub.filter(|s| !s.is_empty()) {
            let items = sub.iter().map(|s| self.item(s, depth + 1.0, None)).collect();
            body.push(SNode::Group(Kind::List, items));
        }
        SNode::Group(
            Kind::Item,
            vec![SNode::Group(Kind::Label, vec![SNode::Leaf { page, leaf: label }]), SNode::Group(Kind::Body, body)],
        )
    }

    fn list(&mut self, items: &[ListItem]) -> SNode {
        let nodes = items
            .iter()
            .map(|i| self.item(&pieces(&i.text), 0.0, Some(i.sub.iter().map(|s| pieces(s)).collect())))
            .collect();
        self.y += BODY * 0.6;
        SNode::Group(Kind::List, nodes)
    }

    fn sources(&mut self, sources: &[Source]) -> SNode {
        let nodes = sources
            .iter()
            .map(|s| {
                let mut p: Pieces = Vec::new();
                if let Some(tag) = s.tag.as_deref().filter(|t| !t.is_empty()) {
                    p.push((format!("{tag} "), Style::colour(MUTED)));
                }
                if let Some(title) = s.title.as_deref().filter(|t| !t.is_empty()) {
                    p.push((format!("{title} "), Style::ink()));
                }
                if let Some(url) = s.url.as_deref().filter(|u| !u.is_empty()) {
                    p.extend(pieces(&[Inline::Link { text: url.to_string(), url: url.to_string() }]));
                }
                self.item(&p, 0.0, None)
            })
            .collect();
        self.y += BODY * 0.6;
        SNode::Group(Kind::List, nodes)
    }

    fn figure(&mut self, f: &Figure) -> Vec<SNode> {
        let mut out = Vec::new();
        if let Some(c) = f.caption.as_deref().filter(|c| !c.is_empty()) {
            let nodes = self.text_block(&plain_pieces(c, Style::ink()), self.left(), self.measure_width(), BODY);
            out.push(SNode::Group(Kind::P, nodes));
        }
        // The chart is not drawn yet: the figure shows what it says, and its numbers follow as a table.
        let alt = if f.alt.trim().is_empty() { "Chart".to_string() } else { f.alt.clone() };
        let text = format!("Chart: {alt}");
        let nodes = self.text_block(
            &plain_pieces(&text, Style::colour(MUTED)),
            self.left() + INDENT,
            self.measure_width() - INDENT,
            BODY,
        );
        out.push(SNode::Group(Kind::Figure(alt), nodes));
        self.y += BODY * 0.4;
        out.push(self.table(&f.data));
        out
    }
}

/// Adds `word` to `line` at `x`, joining the previous run when the style is the same.
fn push_word(line: &mut Line, word: &str, x: f32, w: f32, style: &Style, spaced: bool) {
    if let Some(last) = line.last_mut() {
        if spaced {
            last.text.push(' ');
        }
        if last.style == *style {
            last.text.push_str(word);
            last.w = x + w - last.x;
            return;
        }
    }
    line.push(Seg { x, w, text: word.to_string(), style: style.clone() });
}

// ---------------------------------------------------------------------------------------------------------------
// Tables

struct Grid {
    widths: Vec<f32>,
    header: Vec<Vec<Line>>,
}

impl Grid {
    fn header_height(&self) -> f32 {
        rows_height(&self.header)
    }

    fn total(&self) -> f32 {
        self.widths.iter().sum()
    }
}

fn rows_height(cells: &[Vec<Line>]) -> f32 {
    let n = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
    n as f32 * line_height(SMALL) + 2.0 * PAD
}

impl Layout<'_> {
    fn table(&mut self, t: &DocTable) -> SNode {
        let ncols = t.header.len().max(t.rows.iter().map(Vec::len).max().unwrap_or(0));
        let mut children = Vec::new();
        if let Some(c) = t.caption.as_deref().filter(|c| !c.is_empty()) {
            let nodes =
                self.text_block(&plain_pieces(c, Style::colour(MUTED)), self.left(), self.measure_width(), BODY);
            children.push(SNode::Group(Kind::Caption, nodes));
        }
        if ncols == 0 {
            return SNode::Group(Kind::Table, children);
        }
        let widths = self.column_widths(t, ncols);
        let header = (0..ncols)
            .map(|c| {
                let text = t.header.get(c).cloned().unwrap_or_default();
                self.wrap(&plain_pieces(&text, Style::ink()), widths[c] - 2.0 * PAD, SMALL)
            })
            .collect();
        let grid = Grid { widths, header };
        self.need(grid.header_height() + line_height(SMALL) + 2.0 * PAD);
        let ths = self.header_row(&grid, true);
        children.push(SNode::Group(Kind::Head, vec![SNode::Group(Kind::Row, ths)]));
        let mut body = Vec::new();
        for row in &t.rows {
            let cells: Vec<Vec<Line>> = (0..ncols)
                .map(|c| {
                    let p = row.get(c).map(|cell| pieces(cell)).unwrap_or_default();
                    self.wrap(&p, grid.widths[c] - 2.0 * PAD, SMALL)
                })
                .collect();
            body.push(self.table_row(&grid, &cells));
        }
        children.push(SNode::Group(Kind::TableBody, body));
        self.y += BODY * 0.8;
        SNode::Group(Kind::Table, children)
    }

    /// Column widths filling the text width: in proportion to each column's text, each given at least its longest
    /// word where that fits.
    fn column_widths(&self, t: &DocTable, ncols: usize) -> Vec<f32> {
        let avail = self.measure_width();
        let mut natural = vec![2.0 * PAD; ncols];
        let mut least = vec![2.0 * PAD; ncols];
        let mut see = |c: usize, p: &Pieces| {
            let full: f32 = p.iter().map(|(s, st)| self.fonts.width(s, st.mono, SMALL)).sum::<f32>() + 2.0 * PAD + 1.0;
            let word = p
                .iter()
                .flat_map(|(s, st)| s.split_whitespace().map(move |w| (w, st.mono)))
                .map(|(w, m)| self.fonts.width(w, m, SMALL))
                .fold(0.0, f32::max)
                + 2.0 * PAD
                + 1.0;
            natural[c] = natural[c].max(full.min(avail));
            least[c] = least[c].max(word.min(avail));
        };
        for (c, h) in t.header.iter().enumerate().take(ncols) {
            see(c, &plain_pieces(h, Style::ink()));
        }
        for row in &t.rows {
            for (c, cell) in row.iter().enumerate().take(ncols) {
                see(c, &pieces(cell));
            }
        }
        let total: f32 = natural.iter().sum();
        if total <= avail {
            return natural.iter().map(|n| n * avail / total).collect();
        }
        // Columns narrower than a fair share keep their natural width; the others share the rest in proportion to
        // their text, each at least as wide as its longest word where that fits.
        let fair = avail / ncols as f32;
        let narrow: f32 = natural.iter().filter(|n| **n <= fair).sum();
        let wide: f32 = natural.iter().filter(|n| **n > fair).sum();
        let rest = (avail - narrow).max(0.0);
        let widths: Vec<f32> = natural
            .iter()
            .zip(&least)
            .map(|(n, l)| if *n <= fair || wide <= 0.0 { *n } else { (rest * n / wide).max(l.min(fair)) })
            .collect();
        let sum: f32 = widths.iter().sum();
        widths.iter().map(|w| w * avail / sum.max(1.0)).collect()
    }

    /// The header row at the current position: tagged header cells the first time, a pagination artifact when it is
    /// drawn again on a continuation page.
    fn header_row(&mut self, grid: &Grid, tagged: bool) -> Vec<SNode> {
        let h = grid.header_height();
        let (x0, top) = (self.left(), self.y);
        let mut rule = vec![Draw::Fill { x: x0, y: top, w: grid.total(), h, colour: SHADE }];
        rule.push(Draw::Line { from: (x0, top + h), to: (x0 + grid.total(), top + h), width: 0.8, colour: RULE });
        self.artifact(rule);
        let mut cells = Vec::new();
        let mut repeated = Vec::new();
        let mut x = x0;
        for (lines, w) in grid.header.iter().zip(&grid.widths) {
            let mut nodes = Vec::new();
            for (k, line) in lines.iter().enumerate() {
                let line_top = top + PAD + k as f32 * line_height(SMALL);
                if tagged {
                    nodes.extend(self.emit_line(line, x + PAD, line_top, SMALL));
                } else {
                    repeated.extend(Self::line_draws(line, x + PAD, line_top, SMALL).into_iter().map(|(d, _)| d));
                }
            }
            cells.push(SNode::Group(Kind::HeaderCell, nodes));
            x += w;
        }
        if !tagged {
            self.leaf(Mark::Artifact(ArtifactType::PaginationOther), repeated);
        }
        self.y = top + h;
        cells
    }

    /// One body row; a row that does not fit goes to the next page (with the header drawn again), and one taller
    /// than a page is split between its lines.
    fn table_row(&mut self, grid: &Grid, cells: &[Vec<Line>]) -> SNode {
        let lh = line_height(SMALL);
        let n = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let h = rows_height(cells);
        if self.y + h > self.bottom() && h <= self.bottom() - MARGIN - grid.header_height() {
            self.new_page();
            self.header_row(grid, false);
        }
        let mut tds: Vec<Vec<SNode>> = (0..cells.len()).map(|_| Vec::new()).collect();
        let mut y = self.y + PAD;
        let mut fresh = false;
        for k in 0..n {
            if y + lh + PAD > self.bottom() && !fresh {
                self.new_page();
                self.header_row(grid, false);
                y = self.y + PAD;
                fresh = true;
            } else {
                fresh = false;
            }
            let mut x = self.left();
            for (c, lines) in cells.iter().enumerate() {
                if let Some(line) = lines.get(k) {
                    let nodes = self.emit_line(line, x + PAD, y, SMALL);
                    tds[c].extend(nodes);
                }
                x += grid.widths.get(c).copied().unwrap_or(0.0);
            }
            y += lh;
        }
        self.y = y + PAD;
        let x0 = self.left();
        self.artifact(vec![Draw::Line {
            from: (x0, self.y),
            to: (x0 + grid.total(), self.y),
            width: 0.4,
            colour: RULE,
        }]);
        SNode::Group(Kind::Row, tds.into_iter().map(|c| SNode::Group(Kind::Cell, c)).collect())
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Footer

/// "title · date" on the left and "page N of M" on the right of every page, as pagination artifacts.
fn footers(pages: &mut [PageOut], fonts: &Fonts, doc: &Document, width: f32, height: f32) {
    let total = pages.len();
    let y = height - MARGIN + SMALL;
    let mut left = fonts.clean(&doc.title, false);
    if !doc.date.is_empty() {
        left = format!("{left} · {}", fonts.clean(&doc.date, false));
    }
    for (i, page) in pages.iter_mut().enumerate() {
        let right = format!("page {} of {total}", i + 1);
        let rw = fonts.width(&right, false, SMALL);
        let room = width - 2.0 * MARGIN - rw - 12.0;
        let left = ellipsize(fonts, &left, room);
        let rule = Draw::Line {
            from: (MARGIN, y - SMALL * 1.3),
            to: (width - MARGIN, y - SMALL * 1.3),
            width: 0.4,
            colour: RULE,
        };
        let text = |x: f32, text: String| Draw::Text { x, y, size: SMALL, mono: false, colour: MUTED, text };
        page.leaves.push(Leaf {
            mark: Mark::Artifact(ArtifactType::Footer),
            draws: vec![rule, text(MARGIN, left), text(width - MARGIN - rw, right)],
        });
    }
}

/// `text` cut with "…" to fit `room` points.
fn ellipsize(fonts: &Fonts, text: &str, room: f32) -> String {
    if fonts.width(text, false, SMALL) <= room {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if fonts.width(&format!("{out}…"), false, SMALL) > room {
            out.pop();
            break;
        }
    }
    format!("{}…", out.trim_end())
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering with krilla

/// The headings as nested bookmarks: each holds the headings of a higher level that follow it.
fn outline(headings: &[Heading]) -> Outline {
    fn nodes(list: &[Heading]) -> Vec<OutlineNode> {
        let mut out = Vec::new();
        let mut i = 0;
        while let Some((level, text, page, y)) = list.get(i) {
            let end = list[i + 1..].iter().position(|h| h.0 <= *level).map_or(list.len(), |p| i + 1 + p);
            let mut node = OutlineNode::new(text.clone(), XyzDestination::new(*page, Point::from_xy(MARGIN, *y)));
            for child in nodes(&list[i + 1..end]) {
                node.push_child(child);
            }
            out.push(node);
            i = end;
        }
        out
    }
    let mut outline = Outline::new();
    for node in nodes(headings) {
        outline.push_child(node);
    }
    outline
}

/// Identifiers of what was drawn, taken once each when the tag tree is built.
#[derive(Default)]
struct Ids {
    leaves: Vec<Vec<Option<Identifier>>>,
    links: Vec<Vec<(usize, Option<Identifier>)>>,
}

impl Ids {
    fn leaf(&mut self, page: usize, leaf: usize) -> Option<Identifier> {
        self.leaves.get_mut(page)?.get_mut(leaf)?.take()
    }

    fn link(&mut self, page: usize, link: usize) -> (Option<Identifier>, Option<Identifier>) {
        let Some((leaf, annot)) = self.links.get_mut(page).and_then(|l| l.get_mut(link)) else {
            return (None, None);
        };
        let (leaf, annot) = (*leaf, annot.take());
        (self.leaf(page, leaf), annot)
    }
}

fn kind_tag(kind: Kind) -> TagKind {
    match kind {
        Kind::Heading(level, title) => {
            Tag::Hn(NonZeroU16::new(u16::from(level.clamp(1, 6))).unwrap_or(NonZeroU16::MIN), Some(title)).into()
        }
        Kind::P => Tag::P.into(),
        Kind::Quote => Tag::BlockQuote.into(),
        Kind::List => Tag::L(ListNumbering::Disc).into(),
        Kind::Item => Tag::LI.into(),
        Kind::Label => Tag::Lbl.into(),
        Kind::Body => Tag::LBody.into(),
        Kind::Table => Tag::Table.into(),
        Kind::Head => Tag::THead.into(),
        Kind::TableBody => Tag::TBody.into(),
        Kind::Row => Tag::TR.into(),
        Kind::HeaderCell => Tag::TH(TableHeaderScope::Column).into(),
        Kind::Cell => Tag::TD.into(),
        Kind::Figure(alt) => Tag::Figure(Some(alt)).into(),
        Kind::Caption => Tag::Caption.into(),
    }
}

fn build(node: SNode, ids: &mut Ids) -> Option<Node> {
    match node {
        SNode::Leaf { page, leaf } => ids.leaf(page, leaf).map(Node::from),
        SNode::Link { page, link } => {
            let (leaf, annot) = ids.link(page, link);
            let mut group = TagGroup::new(Tag::Link);
            group.push(leaf?);
            if let Some(annot) = annot {
                group.push(annot);
            }
            Some(group.into())
        }
        SNode::Group(kind, children) => {
            let mut group = TagGroup::new(kind_tag(kind));
            for child in children {
                if let Some(n) = build(child, ids) {
                    group.push(n);
                }
            }
            Some(group.into())
        }
    }
}

fn draw(surface: &mut Surface, fonts: &Fonts, d: &Draw) {
    let paint = |c: Colour| rgb::Color::new(c[0], c[1], c[2]).into();
    match d {
        Draw::Text { x, y, size, mono, colour, text } => {
            surface.set_stroke(None);
            surface.set_fill(Some(Fill { paint: paint(*colour), ..Default::default() }));
            let font = if *mono { fonts.pdf_mono.clone() } else { fonts.pdf_regular.clone() };
            surface.draw_text(Point::from_xy(*x, *y), font, *size, text, false, TextDirection::Auto);
        }
        Draw::Line { from, to, width, colour } => {
            let mut pb = PathBuilder::new();
            pb.move_to(from.0, from.1);
            pb.line_to(to.0, to.1);
            if let Some(path) = pb.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke { paint: paint(*colour), width: *width, ..Default::default() }));
                surface.draw_path(&path);
            }
        }
        Draw::Fill { x, y, w, h, colour } => {
            let mut pb = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                pb.push_rect(rect);
            }
            if let Some(path) = pb.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill { paint: paint(*colour), ..Default::default() }));
                surface.draw_path(&path);
            }
        }
    }
}

fn metadata(doc: &Document, lang: &str) -> Metadata {
    let title = if doc.title.trim().is_empty() { "Report".to_string() } else { doc.title.clone() };
    let mut m = Metadata::new().title(title).language(lang.to_string()).creator("Integration Atlas".to_string());
    let parts: Vec<&str> = doc.date.split('-').collect();
    if let [y, mo, d] = parts.as_slice()
        && let (Ok(y), Ok(mo), Ok(d)) = (y.parse::<u16>(), mo.parse::<u8>(), d.parse::<u8>())
        && (1..=12).contains(&mo)
        && (1..=31).contains(&d)
    {
        m = m.creation_date(DateTime::new(y).month(mo).day(d));
    }
    m
}

fn render(
    pages: &[PageOut],
    tree: Vec<SNode>,
    outline: Outline,
    (fonts, doc): (&Fonts, &Document),
    size: (f32, f32),
) -> Result<Vec<u8>, String> {
    let configuration = ConfigurationBuilder::new()
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| format!("PDF configuration: {e:?}"))?;
    let settings = SerializeSettings { enable_tagging: true, configuration, ..Default::default() };
    let mut document = krilla::Document::new_with(settings);
    let mut ids = Ids::default();
    for p in pages {
        let page_settings = PageSettings::from_wh(size.0, size.1).ok_or("invalid page size")?;
        let mut page = document.start_page_with(page_settings);
        let mut leaves = Vec::new();
        {
            let mut surface = page.surface();
            for leaf in &p.leaves {
                let tag = match leaf.mark {
                    Mark::Span => ContentTag::Span(SpanTag::empty()),
                    Mark::Artifact(kind) => ContentTag::Artifact(Artifact::with_kind(kind)),
                };
                let id = surface.start_tagged(tag);
                for d in &leaf.draws {
                    draw(&mut surface, fonts, d);
                }
                surface.end_tagged();
                leaves.push(matches!(leaf.mark, Mark::Span).then_some(id));
            }
            surface.finish();
        }
        let mut links = Vec::new();
        for l in &p.links {
            let annot = Rect::from_xywh(l.rect.0, l.rect.1, l.rect.2.max(1.0), l.rect.3).map(|rect| {
                let target = Target::Action(Action::Link(LinkAction::new(l.url.clone())));
                page.add_tagged_annotation(Annotation::new_link(LinkAnnotation::new(rect, target), Some(l.url.clone())))
            });
            links.push((l.leaf, annot));
        }
        page.finish();
        ids.leaves.push(leaves);
        ids.links.push(links);
    }
    let lang = if doc.lang.trim().is_empty() { "en".to_string() } else { doc.lang.trim().to_string() };
    document.set_metadata(metadata(doc, &lang));
    document.set_outline(outline);
    let mut tag_tree = TagTree::new().with_lang(Some(lang));
    for node in tree {
        if let Some(n) = build(node, &mut ids) {
            tag_tree.push(n);
        }
    }
    document.set_tag_tree(tag_tree);
    document.finish().map_err(|e| match e {
        krilla::error::KrillaError::Validation(errors) => {
            let list: Vec<String> = errors.iter().map(|(e, _)| format!("{e:?}")).collect();
            format!("PDF/UA-1 validation failed: {}", list.join("; ").replace('\n', " "))
        }
        e => format!("PDF: {}", e.to_string().replace('\n', " ")),
    })
}
