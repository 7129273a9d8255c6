//! The Markdown writer: the title as `#`, blocks separated by one blank line, tables as GitHub tables, figures as
//! their numbers. Every text is kept on one line (a table cell or list item cannot break) with `|` escaped; addresses
//! are written as `<url>` autolinks, or `[text](url)`.

use super::{Block, DocTable, Document, Inline, ListItem, Source};

/// The document as Markdown.
pub fn markdown(doc: &Document) -> String {
    let mut parts = vec![format!("# {}", esc(&doc.title))];
    parts.extend(doc.blocks.iter().map(block));
    let mut out = parts.join("\n\n");
    out.push('\n');
    out
}

/// Text on one line (runs of whitespace become one space, the ends kept) with pipes escaped.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
            continue;
        }
        space = false;
        if c == '|' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn inline(i: &Inline) -> String {
    match i {
        Inline::Text(t) => esc(t),
        Inline::Strong(t) => format!("**{}**", esc(t)),
        Inline::Emph(t) => format!("*{}*", esc(t)),
        Inline::Code(t) => format!("`{}`", esc(t)),
        Inline::Link { text, url } if text == url || text.is_empty() => format!("<{url}>"),
        Inline::Link { text, url } => format!("[{}]({url})", esc(text)),
    }
}

fn inlines(list: &[Inline]) -> String {
    list.iter().map(inline).collect()
}

fn block(b: &Block) -> String {
    match b {
        Block::Heading { level, text } => format!("{} {}", "#".repeat(usize::from((*level).clamp(1, 6))), esc(text)),
        Block::Paragraph(text) => inlines(text),
        Block::Quote(text) => format!("> {}", inlines(text)),
        Block::List(items) => list(items),
        Block::Table(t) => table(t),
        Block::Figure(f) => match &f.caption {
            Some(c) => format!("*{}*\n\n{}", esc(c), table(&f.data)),
            None => table(&f.data),
        },
        Block::Sources(sources) => sources.iter().map(source).collect::<Vec<_>>().join("\n"),
    }
}

fn list(items: &[ListItem]) -> String {
    let mut lines = Vec::new();
    for item in items {
        lines.push(format!("- {}", inlines(&item.text)));
        lines.extend(item.sub.iter().map(|s| format!("  - {}", inlines(s))));
    }
    lines.join("\n")
}

fn row<S: AsRef<str>>(cells: impl IntoIterator<Item = S>) -> String {
    let cells: Vec<String> = cells.into_iter().map(|c| c.as_ref().to_owned()).collect();
    format!("| {} |", cells.join(" | "))
}

fn table(t: &DocTable) -> String {
    let mut lines = Vec::new();
    if let Some(c) = &t.caption {
        lines.push(format!("*{}*", esc(c)));
        lines.push(String::new());
    }
    lines.push(row(t.header.iter().map(|h| esc(h))));
    lines.push(format!("|{}", "---|".repeat(t.header.len())));
    lines.extend(t.rows.iter().map(|r| row(r.iter().map(|c| inlines(c)))));
    lines.join("\n")
}

/// "- [OECD text] Title <https://…>": the parts it has, in that order.
fn source(s: &Source) -> String {
    let mut parts = Vec::new();
    if let Some(tag) = s.tag.as_deref().filter(|t| !t.is_empty()) {
        parts.push(esc(tag));
    }
    if let Some(title) = s.title.as_deref().filter(|t| !t.is_empty()) {
        parts.push(esc(title));
    }
    if let Some(url) = s.url.as_deref().filter(|u| !u.is_empty()) {
        parts.push(format!("<{url}>"));
    }
    format!("- {}", parts.join(" "))
}
