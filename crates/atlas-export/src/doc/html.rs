//! The HTML writer: one self-contained page (no scripts, no outside resources), every text escaped, tables with a
//! header row, figures drawn as inline SVG next to the table of their numbers, links only to web or mail addresses.

use std::fmt::Write as _;

use super::{Block, Chart, DocTable, Document, Figure, Inline, ListItem, Radar, Source};

const STYLE: &str = "body{font-family:'DejaVu Sans',sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}\
     table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.3em .5em;vertical-align:top;\
     text-align:left}th{background:#eef}figure{margin:1em 0}blockquote{margin:1em 0;padding-left:1em;\
     border-left:3px solid #bbb}";

const COLOURS: [&str; 5] = ["#1f5fa8", "#c0392b", "#27864a", "#8e44ad", "#b7791f"];

fn h(text: &str) -> String {
    atlas_core::text::escape_html(text)
}

/// The document as one standalone HTML page.
pub fn html(doc: &Document) -> String {
    let mut o = String::new();
    let _ = write!(o, "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">", h(&doc.lang));
    if !doc.date.is_empty() {
        let _ = write!(o, "<meta name=\"date\" content=\"{}\">", h(&doc.date));
    }
    let _ = writeln!(o, "<title>{}</title><style>{STYLE}</style></head><body>", h(&doc.title));
    let _ = writeln!(o, "<h1>{}</h1>", h(&doc.title));
    for b in &doc.blocks {
        block(&mut o, b);
        o.push('\n');
    }
    o.push_str("</body></html>\n");
    o
}

/// Whether an address may be a link: web and mail addresses only (no `javascript:`, no local files).
fn linkable(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    ["http://", "https://", "mailto:"].iter().any(|p| lower.starts_with(p))
}

fn link(text: &str, url: &str) -> String {
    let shown = if text.is_empty() { url } else { text };
    if linkable(url) {
        format!("<a href=\"{}\">{}</a>", h(url), h(shown))
    } else if shown == url {
        h(url)
    } else {
        format!("{} ({})", h(shown), h(url))
    }
}

fn inline(i: &Inline) -> String {
    match i {
        Inline::Text(t) => h(t),
        Inline::Strong(t) => format!("<strong>{}</strong>", h(t)),
        Inline::Emph(t) => format!("<em>{}</em>", h(t)),
        Inline::Code(t) => format!("<code>{}</code>", h(t)),
        Inline::Link { text, url } => link(text, url),
    }
}

fn inlines(list: &[Inline]) -> String {
    list.iter().map(inline).collect()
}

fn block(o: &mut String, b: &Block) {
    match b {
        Block::Heading { level, text } => {
            let n = (*level).clamp(1, 6);
            let _ = write!(o, "<h{n}>{}</h{n}>", h(text));
        }
        Block::Paragraph(text) => {
            let _ = write!(o, "<p>{}</p>", inlines(text));
        }
        Block::Quote(text) => {
            let _ = write!(o, "<blockquote><p>{}</p></blockquote>", inlines(text));
        }
        Block::List(items) => list(o, items),
        Block::Table(t) => table(o, t),
        Block::Figure(f) => figure(o, f),
        Block::Sources(sources) => {
            o.push_str("<ul class=\"sources\">");
            for s in sources {
                let _ = write!(o, "<li>{}</li>", source(s));
            }
            o.push_str("</ul>");
        }
    }
}

fn list(o: &mut String, items: &[ListItem]) {
    o.push_str("<ul>");
    for item in items {
        let _ = write!(o, "<li>{}", inlines(&item.text));
        if !item.sub.is_empty() {
            o.push_str("<ul>");
            for s in &item.sub {
                let _ = write!(o, "<li>{}</li>", inlines(s));
            }
            o.push_str("</ul>");
        }
        o.push_str("</li>");
    }
    o.push_str("</ul>");
}

fn table(o: &mut String, t: &DocTable) {
    o.push_str("<table>");
    if let Some(c) = &t.caption {
        let _ = write!(o, "<caption>{}</caption>", h(c));
    }
    o.push_str("<thead><tr>");
    for c in &t.header {
        let _ = write!(o, "<th scope=\"col\">{}</th>", h(c));
    }
    o.push_str("</tr></thead>\n<tbody>");
    for r in &t.rows {
        o.push_str("<tr>");
        for c in r {
            let _ = write!(o, "<td>{}</td>", inlines(c));
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody></table>");
}

fn figure(o: &mut String, f: &Figure) {
    o.push_str("<figure>");
    match &f.chart {
        Chart::Radar(r) => o.push_str(&radar_svg(r, &f.alt)),
    }
    if let Some(c) = &f.caption {
        let _ = write!(o, "<figcaption>{}</figcaption>", h(c));
    }
    o.push('\n');
    table(o, &f.data);
    o.push_str("</figure>");
}

/// "[OECD text] Title <a href=…>…</a>": the parts it has, in that order.
fn source(s: &Source) -> String {
    let mut parts = Vec::new();
    if let Some(tag) = s.tag.as_deref().filter(|t| !t.is_empty()) {
        parts.push(h(tag));
    }
    if let Some(title) = s.title.as_deref().filter(|t| !t.is_empty()) {
        parts.push(h(title));
    }
    if let Some(url) = s.url.as_deref().filter(|u| !u.is_empty()) {
        parts.push(link(url, url));
    }
    parts.join(" ")
}

/// A point of the radar's unit circle (y up) on screen (y down).
fn to_screen(p: [f64; 2], center: [f32; 2], radius: f32) -> [f32; 2] {
    [center[0] + p[0] as f32 * radius, center[1] - p[1] as f32 * radius]
}

/// A radar as inline SVG with a legend below it; `alt` is its accessible name. Every label escaped.
pub fn radar_svg(radar: &Radar, alt: &str) -> String {
    let (size, radius) = (520.0_f32, 170.0_f32);
    let c = [size / 2.0, size / 2.0 - 10.0];
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {}\" role=\"img\" aria-label=\"{}\" \
         style=\"max-width:{size}px\">",
        size + 20.0 * radar.series.len() as f32,
        h(alt)
    );
    let path = |pts: &[[f64; 2]]| -> String {
        pts.iter()
            .map(|p| {
                let q = to_screen(*p, c, radius);
                format!("{:.1},{:.1}", q[0], q[1])
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (rings, spokes) = radar.grid();
    for ring in &rings {
        let _ = write!(s, "<polyline points=\"{}\" fill=\"none\" stroke=\"#ccc\"/>", path(ring));
    }
    for sp in &spokes {
        let _ = write!(s, "<polyline points=\"{}\" fill=\"none\" stroke=\"#ddd\"/>", path(sp));
    }
    for (k, label) in radar.axes.iter().enumerate() {
        let q = to_screen(radar.label_at(k, 1.14), c, radius);
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\" dominant-baseline=\"middle\">{}</text>",
            q[0],
            q[1],
            h(label)
        );
    }
    for (k, series) in radar.series.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        for run in radar.outline(&series.values) {
            let _ = write!(
                s,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{}\"/>",
                path(&run),
                if k == 0 { 3 } else { 2 }
            );
        }
        let y = size + 20.0 * k as f32 - 20.0;
        let _ = write!(
            s,
            "<rect x=\"20\" y=\"{:.0}\" width=\"14\" height=\"4\" fill=\"{colour}\"/><text x=\"40\" y=\"{:.0}\" \
             font-size=\"12\">{}</text>",
            y - 2.0,
            y + 3.0,
            h(&series.label)
        );
    }
    s.push_str("</svg>");
    s
}
