//! What can be coded and how coded passages look: the codable texts of the atlas (challenge and practice
//! descriptions, own records, city profile texts, notes), the highlight spans of a text, and the ready codebook of
//! the OECD's own coding frame (the seven gap types and the twelve checklist objectives in their four blocks).
//! Pure: no egui, no SQL.

use std::collections::BTreeSet;

use crate::model::{Atlas, Origin};
use crate::records::codings::{Coding, char_slice, stable_uuid};
use crate::records::notes::{Code, Note, TargetKind, UserRecord};

/// One text that passages can be coded in.
#[derive(Debug, Clone, PartialEq)]
pub struct CodableText {
    /// One of [`TargetKind::CODABLE`].
    pub kind: TargetKind,
    /// Evidence id, own record uuid, city text id or note uuid.
    pub id: String,
    /// What a reader calls it ("C-AMS-01 Title (Amsterdam)").
    pub name: String,
    pub text: String,
    /// Source URLs (or citations) with their confidence tag.
    pub sources: Vec<(String, String)>,
    /// The record's confidence tag, where it has one.
    pub confidence: Option<String>,
}

/// Every codable text: shipped challenges and practices, live own records, city profile texts (governance,
/// findings, recommendations) and live notes with text.
pub fn codable_texts(atlas: &Atlas, records: &[UserRecord], notes: &[Note]) -> Vec<CodableText> {
    let mut out = Vec::new();
    for e in atlas.evidence.iter().filter(|e| e.origin == Origin::Shipped) {
        out.push(CodableText {
            kind: e.kind.into(),
            id: e.id.clone(),
            name: format!("{} {} ({})", e.id, e.title, e.city_name),
            text: e.description.clone(),
            sources: e.sources.iter().map(|s| (s.url.clone(), s.tag.clone())).collect(),
            confidence: Some(e.confidence.clone()),
        });
    }
    for r in records.iter().filter(|r| r.deleted_at.is_none()) {
        let confidence = r.sources.iter().map(|s| s.tag.as_str()).min_by_key(|t| crate::dataset::tag_rank(t));
        out.push(CodableText {
            kind: TargetKind::UserRecord,
            id: r.uuid.clone(),
            name: format!("{} {} (added by {})", r.id, r.title, r.author),
            text: r.description.clone(),
            sources: r
                .sources
                .iter()
                .map(|s| (s.url.clone().or_else(|| s.citation.clone()).unwrap_or_default(), s.tag.clone()))
                .collect(),
            confidence: confidence.map(str::to_owned),
        });
    }
    for c in &atlas.cities {
        let groups = [("governance", &c.governance), ("finding", &c.findings), ("recommendation", &c.recommendations)];
        for (kind, texts) in groups {
            for (i, t) in texts.iter().enumerate() {
                let confidence = t.sources.iter().map(|s| s.tag.as_str()).min_by_key(|t| crate::dataset::tag_rank(t));
                out.push(CodableText {
                    kind: TargetKind::CityText,
                    id: t.id.clone(),
                    name: format!("{}: {kind} {}", c.name, i + 1),
                    text: t.text.clone(),
                    sources: t.sources.iter().map(|s| (s.url.clone(), s.tag.clone())).collect(),
                    confidence: confidence.map(str::to_owned),
                });
            }
        }
    }
    for n in notes.iter().filter(|n| n.deleted_at.is_none() && !n.text.trim().is_empty()) {
        let first: String = n.text.lines().next().unwrap_or("").chars().take(60).collect();
        out.push(CodableText {
            kind: TargetKind::Note,
            id: n.uuid.clone(),
            name: format!("Note by {}: {first}", n.author),
            text: n.text.clone(),
            sources: Vec::new(),
            confidence: None,
        });
    }
    out
}

/// The current text of one codable record, if it exists.
pub fn text_of(atlas: &Atlas, records: &[UserRecord], notes: &[Note], kind: TargetKind, id: &str) -> Option<String> {
    match kind {
        TargetKind::Challenge | TargetKind::Practice => {
            atlas.evidence.iter().find(|e| e.origin == Origin::Shipped && e.id == id).map(|e| e.description.clone())
        }
        TargetKind::UserRecord => {
            records.iter().find(|r| r.uuid == id && r.deleted_at.is_none()).map(|r| r.description.clone())
        }
        TargetKind::CityText => atlas
            .cities
            .iter()
            .flat_map(|c| c.governance.iter().chain(&c.findings).chain(&c.recommendations))
            .find(|t| t.id == id)
            .map(|t| t.text.clone()),
        TargetKind::Note => notes.iter().find(|n| n.uuid == id && n.deleted_at.is_none()).map(|n| n.text.clone()),
        _ => None,
    }
}

/// A stretch of a text and the codes of the passages covering it, for highlighting: byte offsets (what a text
/// layout wants), and the code uuids (empty for uncoded stretches). Spans cover the whole text, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub codes: Vec<String>,
}

/// Cuts `text` at every passage boundary of `codings` (the live codings on this text) so each span carries the
/// set of codes covering it. Passages that do not fit the text are left out.
pub fn spans(text: &str, codings: &[&Coding]) -> Vec<Span> {
    // Character index → byte offset, once.
    let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect();
    let n = offsets.len() as i64 - 1;
    let fitting: Vec<&&Coding> =
        codings.iter().filter(|c| c.deleted_at.is_none() && c.start >= 0 && c.end <= n && c.end > c.start).collect();
    let mut cuts: BTreeSet<i64> = BTreeSet::from([0, n]);
    for c in &fitting {
        cuts.insert(c.start);
        cuts.insert(c.end);
    }
    let cuts: Vec<i64> = cuts.into_iter().collect();
    let mut out = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a == b {
            continue;
        }
        let mut codes: Vec<String> =
            fitting.iter().filter(|c| c.start <= a && c.end >= b).map(|c| c.code.clone()).collect();
        codes.sort();
        codes.dedup();
        out.push(Span { start: offsets[a as usize], end: offsets[b as usize], codes });
    }
    out
}

/// The passage of a coding in `text`, if it fits.
pub fn passage(text: &str, coding: &Coding) -> Option<String> {
    char_slice(text, coding.start, coding.end)
}

/// The uuid of the ready codebook's top code for gap types.
pub fn gap_root_uuid() -> String {
    stable_uuid("oecd-codebook:gap-types")
}

/// The uuid of the ready codebook's code for one gap type (e.g. "funding").
pub fn gap_code_uuid(gap: &str) -> String {
    stable_uuid(&format!("oecd-codebook:gap:{gap}"))
}

/// The uuid of the ready codebook's code for checklist objective `n`.
pub fn objective_code_uuid(n: i64) -> String {
    stable_uuid(&format!("oecd-codebook:objective:{n}"))
}

/// What each gap type means, in our words (after the OECD's multi-level governance gaps the study codes by).
fn gap_description(gap: &str) -> &'static str {
    match gap {
        "information" => {
            "One level of government or actor lacks information another holds (arrivals, needs, services)."
        }
        "policy-coherence" => {
            "Policies of different sectors or levels pull in different directions for the same people."
        }
        "funding" => "Money does not match the responsibilities a level carries, or arrives late or unstably.",
        "administrative-scale" => "The area or body that acts is the wrong size for the task (too small, or split).",
        "capacity" => "Staff, skills or infrastructure fall short of what the task needs.",
        "objective" => "Levels of government or actors pursue different or conflicting objectives.",
        "accountability" => "It is unclear who answers for results, or results are not measured and reported.",
        _ => "",
    }
}

const GAP_COLORS: [&str; 7] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"];
const BLOCK_COLORS: [&str; 4] = ["#17becf", "#bcbd22", "#7f7f7f", "#aec7e8"];

/// The ready codebook: "Gap types" with the seven gap types, and "Checklist objectives" with the four blocks and
/// their twelve objectives (wording flagged where the checklist's own wording was not seen). Stable uuids, so
/// inserting it twice (or in two databases) gives the same codes. `at` stamps the codes' times.
pub fn oecd_codebook(atlas: &Atlas, at: &str) -> Vec<Code> {
    let code = |uuid: String, name: String, parent: Option<String>, color: &str, description: String| Code {
        uuid,
        name,
        parent,
        created_at: at.to_owned(),
        updated_at: at.to_owned(),
        deleted_at: None,
        color: Some(color.to_owned()),
        description: (!description.is_empty()).then_some(description),
    };
    let mut out = Vec::new();
    let gap_root = gap_root_uuid();
    out.push(code(
        gap_root.clone(),
        "Gap types".to_owned(),
        None,
        "#444444",
        "The seven multi-level governance gaps the study's challenges and practices are coded by.".to_owned(),
    ));
    for (i, gap) in crate::dataset::GAP_TYPES.iter().enumerate() {
        out.push(code(
            gap_code_uuid(gap),
            (*gap).to_owned(),
            Some(gap_root.clone()),
            GAP_COLORS[i],
            gap_description(gap).to_owned(),
        ));
    }
    let checklist_root = stable_uuid("oecd-codebook:checklist");
    out.push(code(
        checklist_root.clone(),
        "Checklist objectives".to_owned(),
        None,
        "#444444",
        "The OECD checklist for local integration policy: 12 objectives in 4 blocks.".to_owned(),
    ));
    for b in &atlas.blocks {
        let block_uuid = stable_uuid(&format!("oecd-codebook:block:{}", b.number));
        let color = BLOCK_COLORS[(b.number.max(1) as usize - 1) % BLOCK_COLORS.len()];
        out.push(code(
            block_uuid.clone(),
            format!("Block {}: {}", b.number, b.title),
            Some(checklist_root.clone()),
            color,
            String::new(),
        ));
        for o in atlas.objectives.iter().filter(|o| o.block == b.number) {
            let caveat = match o.wording_status.as_str() {
                "never-seen" => " The checklist's exact wording of this objective was never seen.",
                "ending-unverified" => " The ending of this objective's wording is not verified.",
                _ => "",
            };
            out.push(code(
                objective_code_uuid(o.number),
                format!("{}. {}", o.number, o.short_title),
                Some(block_uuid.clone()),
                color,
                format!("{}{caveat}", o.summary.trim()),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coding(code: &str, start: i64, end: i64) -> Coding {
        Coding {
            uuid: format!("{code}{start}"),
            code: code.into(),
            target_kind: TargetKind::Note,
            target_id: "n".into(),
            start,
            end,
            text_hash: String::new(),
            excerpt: String::new(),
            author: "A".into(),
            created_at: "t".into(),
            updated_at: "t".into(),
            deleted_at: None,
            resolved_at: None,
        }
    }

    #[test]
    fn spans_cover_the_text_with_overlapping_codes() {
        let text = "Åsa möter Ελλάδα";
        let a = coding("a", 0, 9);
        let b = coding("b", 4, 16);
        let s = spans(text, &[&a, &b]);
        let pieces: Vec<(&str, Vec<String>)> = s.iter().map(|s| (&text[s.start..s.end], s.codes.clone())).collect();
        assert_eq!(
            pieces,
            vec![
                ("Åsa ", vec!["a".to_owned()]),
                ("möter", vec!["a".to_owned(), "b".to_owned()]),
                (" Ελλάδα", vec!["b".to_owned()]),
            ]
        );
        let too_long = coding("c", 3, 99);
        assert_eq!(spans(text, &[&too_long]).len(), 1, "a passage beyond the text is left out");
    }
}
