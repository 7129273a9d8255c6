//! Notes as a Markdown report (grouped by city or by code) and as CSV. Pure text building.

use super::Workspace;
use atlas_core::model::Atlas;
use atlas_core::records::notes::Note;

/// How a Markdown report is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    City,
    Code,
}

/// What a note is attached to, in words, and that record's sources.
pub fn describe_target(atlas: &Atlas, note: &Note) -> (String, Option<String>, Vec<String>) {
    let id = note.target_id.clone().unwrap_or_default();
    match note.target_kind.as_str() {
        "challenge" | "practice" => match atlas.evidence.iter().find(|e| e.id == id) {
            Some(e) => (
                format!("{} {} ({})", e.id, e.title, e.city_name),
                Some(e.city_name.clone()),
                e.sources.iter().map(|s| format!("{} [{}]", s.url, s.tag)).collect(),
            ),
            None => (format!("{} {id}", note.target_kind), None, Vec::new()),
        },
        "city" => match atlas.city(&id) {
            Some(c) => (
                format!("City profile: {}", c.name),
                Some(c.name.clone()),
                c.sources.iter().map(|s| format!("{} [{}]", s.url, s.tag)).collect(),
            ),
            None => (format!("City {id}"), None, Vec::new()),
        },
        "objective" => (
            atlas.objectives.iter().find(|o| o.number.to_string() == id).map_or_else(
                || format!("Objective {id}"),
                |o| format!("Checklist objective {}: {}", o.number, o.short_title),
            ),
            None,
            Vec::new(),
        ),
        "region" => (
            atlas.region(&id).map_or_else(|| format!("Region {id}"), |r| format!("Region {} {}", r.code, r.name)),
            None,
            Vec::new(),
        ),
        "survey_figure" => (
            atlas.survey_figures.iter().find(|f| f.id == id).map_or_else(
                || format!("Survey figure {id}"),
                |f| format!("Survey figure {}: {}", f.value_text, f.measures),
            ),
            None,
            Vec::new(),
        ),
        "source" => (format!("Source {id}"), None, vec![id.clone()]),
        "memo" => ("Memo".to_owned(), None, Vec::new()),
        other => (format!("{other} {id}"), None, Vec::new()),
    }
}

/// A stored time (RFC 3339 with nanoseconds, kept that precise for merging) as a reader wants it:
/// "2026-11-22 14:05 UTC". Text that is not a time is returned as it is.
pub fn display_time(stored: &str) -> String {
    match stored.parse::<jiff::Timestamp>() {
        Ok(ts) => ts.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        Err(_) => stored.to_owned(),
    }
}

/// A stored time to the second, for CSV: "2026-11-22T14:05:09Z".
fn csv_time(stored: &str) -> String {
    match stored.parse::<jiff::Timestamp>() {
        Ok(ts) => ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Err(_) => stored.to_owned(),
    }
}

fn live(ws: &Workspace) -> Vec<&Note> {
    let mut notes: Vec<&Note> = ws.notes.iter().filter(|n| n.deleted_at.is_none()).collect();
    notes.sort_by(|a, b| a.created_at.cmp(&b.created_at));
    notes
}

/// A Markdown report of every note, with its record, the record's sources, author and status.
pub fn markdown(atlas: &Atlas, ws: &Workspace, grouping: Grouping) -> String {
    let mut groups: std::collections::BTreeMap<String, Vec<&Note>> = std::collections::BTreeMap::new();
    for n in live(ws) {
        match grouping {
            Grouping::City => {
                let (_, city, _) = describe_target(atlas, n);
                groups.entry(city.unwrap_or_else(|| "Not tied to a city".to_owned())).or_default().push(n);
            }
            Grouping::Code => {
                if n.codes.is_empty() {
                    groups.entry("Uncoded".to_owned()).or_default().push(n);
                }
                for c in &n.codes {
                    groups.entry(ws.code_path(c)).or_default().push(n);
                }
            }
        }
    }
    let by = if grouping == Grouping::City { "city" } else { "code" };
    let mut out = format!("# Integration Atlas — notes by {by}\n\n");
    for (group, notes) in groups {
        out.push_str(&format!("## {group}\n\n"));
        for n in notes {
            let (target, _, sources) = describe_target(atlas, n);
            out.push_str(&format!("### {target}\n\n"));
            out.push_str(&format!("*{} — {} — updated {}*\n\n", n.author, n.status, display_time(&n.updated_at)));
            if !n.codes.is_empty() {
                let codes: Vec<String> = n.codes.iter().map(|c| ws.code_path(c)).collect();
                out.push_str(&format!("Codes: {}\n\n", codes.join(", ")));
            }
            out.push_str(n.text.trim());
            out.push_str("\n\n");
            if !sources.is_empty() {
                out.push_str("Sources of the record:\n");
                for s in sources {
                    out.push_str(&format!("- {s}\n"));
                }
                out.push('\n');
            }
        }
    }
    out
}

/// One CSV row per note.
pub fn csv(atlas: &Atlas, ws: &Workspace) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Every cell goes through `atlas_core::input::csv_cell`: a note or title starting with `=` is not run as a formula.
    let mut write =
        |fields: [&str; 10]| w.write_record(fields.map(atlas_core::input::csv_cell).iter().map(|c| c.as_ref()));
    write(["uuid", "record kind", "record id", "record", "author", "status", "codes", "created", "updated", "text"])
        .map_err(|e| e.to_string())?;
    for n in live(ws) {
        let (target, _, _) = describe_target(atlas, n);
        let codes: Vec<String> = n.codes.iter().map(|c| ws.code_path(c)).collect();
        let (created, updated) = (csv_time(&n.created_at), csv_time(&n.updated_at));
        write([
            n.uuid.as_str(),
            n.target_kind.as_str(),
            n.target_id.as_deref().unwrap_or(""),
            target.as_str(),
            n.author.as_str(),
            n.status.as_str(),
            codes.join("; ").as_str(),
            created.as_str(),
            updated.as_str(),
            n.text.as_str(),
        ])
        .map_err(|e| e.to_string())?;
    }
    String::from_utf8(w.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::display_time;

    #[test]
    fn times_are_shown_to_the_minute_not_the_nanosecond() {
        assert_eq!(display_time("2026-11-22T14:05:09.123456789Z"), "2026-11-22 14:05 UTC");
        assert_eq!(display_time("not a time"), "not a time");
    }
}
