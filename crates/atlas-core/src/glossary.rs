//! Acronyms in text: which words of a text are acronyms (the rule the glossary is checked against), and which
//! glossary entry explains a word. The entries themselves are `data/glossary.json` ([`crate::dataset::GlossaryTerm`],
//! loaded as [`GlossaryEntry`]).
//!
//! The rule: a word of two or more characters, starting with a capital, made of capitals and digits with at least
//! two capitals (`OFII`, `TL2`, `NUTS2`), optionally with a plural `s` (`NGOs`); capitals joined by hyphens are one
//! term (`AT-SA`), a capitalised part of a hyphenated word is its own (`AMIF` in `AMIF-funded`). Record ids
//! (`C-AMS-01`, `F-CTX-09`, `PF-01`, `G-001`) and codes with underscores (`CL_SCORE_01`) are not words of the text.

use serde::Serialize;

use crate::dataset::Source;

/// One acronym the evidence uses: what the letters stand for, where a source we hold spells them out (`None`: no
/// source we hold does, shown as unknown), and what it is, in our words. Find the entries of a text with
/// [`crate::model::Atlas::glossary_in`], one word's with [`crate::model::Atlas::glossary_entry`].
#[derive(Debug, Clone, Serialize)]
pub struct GlossaryEntry {
    /// A slug of the term (`ofii`, `dg-regio`).
    pub id: String,
    /// As the evidence writes it: `OFII`, `MA 17`, `AT-SA`, `CoR`.
    pub term: String,
    pub expansion: Option<String>,
    /// One line, in our words.
    pub meaning: String,
    /// The strongest tag among its sources.
    pub confidence: String,
    pub sources: Vec<Source>,
    /// Our readings and what is not known (e.g. that the letters follow a name in another language).
    pub uncertain: Vec<String>,
}

impl GlossaryEntry {
    /// The expansion for a reader: the words, or "expansion unknown" where no source we hold gives them.
    pub fn expansion_text(&self) -> &str {
        self.expansion.as_deref().unwrap_or("expansion unknown")
    }
}

/// Capitalised words of the shipped text that are not acronyms of the evidence, and why.
pub const NOT_ACRONYMS: [(&str, &str); 11] = [
    ("DOI", "a publication identifier, in source notes"),
    ("ISBN", "a book number, in source notes"),
    ("ID", "an identifier, in source notes"),
    ("PDF", "a file format, in publication details"),
    ("URL", "a web address, in source notes"),
    ("EUR", "a currency code"),
    ("USD", "a currency code"),
    ("NOT", "a word written in capitals for emphasis"),
    ("EUROCITIES", "the network Eurocities, written in capitals in the questionnaire's header"),
    ("IPSOS", "a polling company's name written in capitals"),
    ("EFE", "a news agency's name, not an acronym"),
];

/// A record id or a code: `C-AMS-01`, `F-2017-10`, `PF-01`, `G-001`, `CL_SCORE_01`.
fn is_id(word: &str) -> bool {
    word.contains('_')
        || word.rsplit_once('-').is_some_and(|(head, tail)| {
            !head.is_empty() && !tail.is_empty() && tail.chars().all(|c| c.is_ascii_digit())
        })
}

/// Capitals and digits only, starting with a capital, at least two capitals (`TL2`, `OFII`).
fn all_caps(word: &str) -> bool {
    word.chars().next().is_some_and(|c| c.is_uppercase())
        && word.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
        && word.chars().filter(|c| c.is_uppercase()).count() >= 2
}

/// The word without a plural `s` when what is left is all capitals (`NGOs` → `NGO`), else the word.
fn singular(word: &str) -> &str {
    match word.strip_suffix('s') {
        Some(stem) if all_caps(stem) => stem,
        _ => word,
    }
}

/// The words of `text` that may name a glossary term, in order: every word with two or more capitals (so also
/// `CoR`, `LAGeSo`), hyphenated words whole when all their parts are capitals, else their parts; ids left out.
pub fn candidate_words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let runs = text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'));
    for run in runs.map(|r| r.trim_matches('-')).filter(|r| !r.is_empty() && !is_id(r)) {
        let parts: Vec<&str> = run.split('-').filter(|p| !p.is_empty()).collect();
        if parts.len() > 1 && parts.iter().all(|p| all_caps(p)) {
            out.push(run);
            continue;
        }
        for part in parts {
            if part.chars().filter(|c| c.is_uppercase()).count() >= 2 {
                out.push(part);
            }
        }
    }
    out
}

/// The acronyms of `text` by the rule above, singular, in order, each once.
pub fn acronyms_in(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for word in candidate_words(text) {
        let word = singular(word);
        if (all_caps(word) || word.split('-').all(all_caps)) && !out.contains(&word) {
            out.push(word);
        }
    }
    out
}

/// Why a capitalised word is not an acronym of the evidence, if it is one of [`NOT_ACRONYMS`].
pub fn not_an_acronym(word: &str) -> Option<&'static str> {
    NOT_ACRONYMS.iter().find(|(w, _)| *w == word).map(|(_, why)| *why)
}

/// The entry that explains `word`: the entry of that term (also written without its space, `MA17`, or with a
/// plural `s`), else the entry of which it is one word (`REGIO` in `DG REGIO`).
pub fn entry<'a>(entries: &'a [GlossaryEntry], word: &str) -> Option<&'a GlossaryEntry> {
    let word = word.trim();
    let squeeze = |t: &str| t.split_whitespace().collect::<String>();
    let exact = |w: &str| entries.iter().find(|e| e.term == w || squeeze(&e.term) == w);
    exact(word).or_else(|| exact(singular(word))).or_else(|| {
        entries.iter().find(|e| e.term.split_whitespace().count() > 1 && e.term.split_whitespace().any(|t| t == word))
    })
}

/// The entries of the acronyms that `text` uses, in the order they first appear, each once.
pub fn entries_in<'a>(entries: &'a [GlossaryEntry], text: &str) -> Vec<&'a GlossaryEntry> {
    let mut out: Vec<&GlossaryEntry> = Vec::new();
    for word in candidate_words(text) {
        if let Some(e) = entry(entries, word)
            && !out.iter().any(|o| o.id == e.id)
        {
            out.push(e);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(term: &str) -> GlossaryEntry {
        GlossaryEntry {
            id: term.to_lowercase(),
            term: term.to_owned(),
            expansion: None,
            meaning: String::new(),
            confidence: "oecd".to_owned(),
            sources: Vec::new(),
            uncertain: Vec::new(),
        }
    }

    #[test]
    fn acronyms_follow_the_rule_and_ids_are_not_words() {
        let text = "Operations with OFPRA, OFII and NGOs (C-AMS-01, F-CTX-09, PF-01) in AT-SA places; AMIF-funded, \
                    TL2/NUTS2 regions, MA 17, CL_SCORE_01, the CoR and Paris.";
        assert_eq!(acronyms_in(text), vec!["OFPRA", "OFII", "NGO", "AT-SA", "AMIF", "TL2", "NUTS2", "MA"]);
        assert!(candidate_words(text).contains(&"CoR"));
    }

    #[test]
    fn a_word_finds_its_entry_and_a_text_its_entries() {
        let entries = vec![e("OFII"), e("IOP"), e("MA 17"), e("DG REGIO"), e("CoR"), e("AT-SA")];
        assert_eq!(entry(&entries, "IOPs").map(|e| e.term.as_str()), Some("IOP"));
        assert_eq!(entry(&entries, "MA17").map(|e| e.term.as_str()), Some("MA 17"));
        assert_eq!(entry(&entries, "REGIO").map(|e| e.term.as_str()), Some("DG REGIO"));
        assert!(entry(&entries, "OFPRA").is_none());
        let found: Vec<&str> =
            entries_in(&entries, "The CoR, OFII (twice: OFII), AT-SA and MA 17 with DG REGIO; not C-AMS-01.")
                .iter()
                .map(|e| e.term.as_str())
                .collect();
        assert_eq!(found, vec!["CoR", "OFII", "AT-SA", "MA 17", "DG REGIO"]);
    }
}
