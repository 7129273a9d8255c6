//! A small, bounded element tree over `quick-xml`, enough to read REFI-QDA files: element local names,
//! attributes, children and text. No DTDs, no custom entities; depth and element count are capped.

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// Deepest nesting read (code trees nest; nothing real comes near this).
pub const MAX_DEPTH: usize = 256;
/// Most elements read from one document.
pub const MAX_ELEMENTS: usize = 2_000_000;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct El {
    /// Local name (namespace prefix dropped).
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<El>,
    /// The element's own text (character data directly inside it), unescaped.
    pub text: String,
}

impl El {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn child(&self, name: &str) -> Option<&El> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a El> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of a child element, if present.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }
}

/// Parses a document into its root element; the error says what is wrong in a few words.
pub fn parse(xml: &str) -> Result<El, String> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<El> = Vec::new();
    let mut root: Option<El> = None;
    let mut count = 0usize;
    loop {
        let event =
            reader.read_event().map_err(|e| format!("not well-formed XML at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(_) | Event::Empty(_) if root.is_some() && stack.is_empty() => {
                return Err("more than one root element".to_owned());
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(format!("more than {MAX_ELEMENTS} elements"));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(format!("elements nested deeper than {MAX_DEPTH}"));
                }
                let mut el = El { name: e.local_name().as_ref().to_owned(), ..El::default() };
                for attr in e.attributes() {
                    let attr = attr.map_err(|e| format!("a malformed attribute: {e}"))?;
                    let key = attr.key.as_ref().to_owned();
                    let value = attr
                        .normalized_value(XmlVersion::Implicit1_0)
                        .map_err(|e| format!("a malformed attribute value: {e}"))?;
                    el.attrs.push((key, value.into_owned()));
                }
                if matches!(event, Event::Empty(_)) {
                    close(&mut stack, &mut root, el);
                } else {
                    stack.push(el);
                }
            }
            Event::End(_) => {
                let el = stack.pop().ok_or("an end tag without a start tag")?;
                close(&mut stack, &mut root, el);
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let ch = match r.resolve_char_ref().map_err(|e| format!("a bad character reference: {e}"))? {
                    Some(c) => c,
                    None => match &*r {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        other => return Err(format!("an unknown entity &{other};")),
                    },
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push(ch);
                }
            }
            Event::DocType(_) => return Err("a DOCTYPE declaration (not used by REFI-QDA)".to_owned()),
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err("not well-formed XML: the document ends inside an element".to_owned());
    }
    root.ok_or_else(|| "no root element".to_owned())
}

fn close(stack: &mut [El], root: &mut Option<El>, el: El) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => *root = Some(el),
    }
}

/// Drops characters XML 1.0 cannot carry (control characters other than tab, newline and carriage return).
pub fn xml_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let ok = |c: char| (c >= ' ' || matches!(c, '\t' | '\n' | '\r')) && c != '\u{FFFE}' && c != '\u{FFFF}';
    if text.chars().all(ok) { std::borrow::Cow::Borrowed(text) } else { text.chars().filter(|c| ok(*c)).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_attributes_text_and_entities() {
        let el = parse(
            r#"<?xml version="1.0"?><q:Project xmlns:q="urn:QDA-XML:project:1.0" name="Č &amp; Ω">
               <Description>Göteborg &lt;3 &#x3A9;<![CDATA[ <raw> ]]></Description><Empty a='1'/></q:Project>"#,
        )
        .expect("parse");
        assert_eq!(el.name, "Project");
        assert_eq!(el.attr("name"), Some("Č & Ω"));
        assert_eq!(el.child_text("Description"), Some("Göteborg <3 Ω <raw> "));
        assert_eq!(el.child("Empty").and_then(|e| e.attr("a")), Some("1"));
    }

    #[test]
    fn refuses_what_is_not_plain_xml() {
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("<a>&xxe;</a>").is_err());
        assert!(parse("<!DOCTYPE a [<!ENTITY x 'y'>]><a/>").is_err());
        assert!(parse("").is_err());
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep).unwrap_err().contains("deeper"));
    }
}
