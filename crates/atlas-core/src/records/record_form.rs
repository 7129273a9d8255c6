//! The form for an author's own challenge or practice: what was typed, and what is still missing.

use crate::model::EvidenceKind;
use crate::records::notes::{UserRecord, UserSource, new_uuid};

/// The form's fields as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordDraft {
    /// Set when editing an existing record.
    pub uuid: Option<String>,
    pub id: String,
    pub kind: EvidenceKind,
    /// A case-study city id, or "new" for a new city.
    pub city: String,
    pub new_city_name: String,
    pub new_city_country: String,
    pub new_city_lat: String,
    pub new_city_lon: String,
    pub title: String,
    pub description: String,
    pub gap_type: String,
    pub levels: Vec<String>,
    /// Comma- or semicolon-separated.
    pub policy_areas: String,
    pub migrant_groups: String,
    pub objective: String,
    pub year_started: String,
    pub instrument_kind: String,
    /// One source per line: a URL, or a full citation.
    pub sources: String,
    pub source_tag: String,
}

impl RecordDraft {
    pub fn new(kind: EvidenceKind) -> Self {
        Self { kind, source_tag: "external".to_owned(), ..Self::default() }
    }

    pub fn from_record(r: &UserRecord) -> Self {
        Self {
            uuid: Some(r.uuid.clone()),
            id: r.id.clone(),
            kind: r.kind,
            city: r.city.clone().unwrap_or_else(|| "new".to_owned()),
            new_city_name: r.new_city_name.clone().unwrap_or_default(),
            new_city_country: r.new_city_country.clone().unwrap_or_default(),
            new_city_lat: r.new_city_lat.map(|v| v.to_string()).unwrap_or_default(),
            new_city_lon: r.new_city_lon.map(|v| v.to_string()).unwrap_or_default(),
            title: r.title.clone(),
            description: r.description.clone(),
            gap_type: r.gap_type.clone().unwrap_or_default(),
            levels: r.levels.clone(),
            policy_areas: r.policy_areas.join("; "),
            migrant_groups: r.migrant_groups.join("; "),
            objective: r.objective.map(|o| o.to_string()).unwrap_or_default(),
            year_started: r.year_started.clone().unwrap_or_default(),
            instrument_kind: r.instrument_kind.clone().unwrap_or_default(),
            sources: r
                .sources
                .iter()
                .map(|s| s.url.clone().or_else(|| s.citation.clone()).unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n"),
            source_tag: r.sources.first().map(|s| s.tag.clone()).unwrap_or_else(|| "external".to_owned()),
        }
    }
}

fn split(text: &str) -> Vec<String> {
    text.split([';', ',']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

fn opt(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Checks a draft: the record, or every missing or wrong field in words a person understands.
pub fn validate_record(d: &RecordDraft, author: &str, cities: &[String]) -> Result<UserRecord, Vec<String>> {
    let mut problems = Vec::new();
    let new_city = d.city == "new";
    if d.city.is_empty() {
        problems.push("Choose a city, or “New city”.".to_owned());
    } else if !new_city && !cities.contains(&d.city) {
        problems.push(format!("The city “{}” is not one of the case-study cities.", d.city));
    }
    let (mut lat, mut lon) = (None, None);
    if new_city {
        if d.new_city_name.trim().is_empty() {
            problems.push("Give the new city's name.".to_owned());
        }
        if d.new_city_country.trim().is_empty() {
            problems.push("Give the new city's country.".to_owned());
        }
        lat = d.new_city_lat.trim().replace(',', ".").parse::<f64>().ok().filter(|v| (-90.0..=90.0).contains(v));
        lon = d.new_city_lon.trim().replace(',', ".").parse::<f64>().ok().filter(|v| (-180.0..=180.0).contains(v));
        if lat.is_none() || lon.is_none() {
            problems.push(
                "Give the new city's coordinates: latitude −90 to 90 and longitude −180 to 180 (e.g. 45.76, 4.84)."
                    .to_owned(),
            );
        }
    }
    if d.title.trim().is_empty() {
        problems.push("Give a title.".to_owned());
    }
    if d.description.trim().is_empty() {
        problems.push("Give a description.".to_owned());
    }
    if !d.gap_type.is_empty() && !crate::dataset::GAP_TYPES.contains(&d.gap_type.as_str()) {
        problems.push(format!("“{}” is not a gap type.", d.gap_type));
    }
    if d.gap_type.is_empty() {
        problems.push("Choose a gap type.".to_owned());
    }
    let objective = if d.objective.trim().is_empty() {
        None
    } else {
        match d.objective.trim().parse::<i64>() {
            Ok(n) if (1..=12).contains(&n) => Some(n),
            _ => {
                problems.push("The checklist objective is a number from 1 to 12 (or leave it empty).".to_owned());
                None
            }
        }
    };
    let sources: Vec<UserSource> = d
        .sources
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let is_url = l.starts_with("http://") || l.starts_with("https://");
            UserSource {
                url: is_url.then(|| l.to_owned()),
                citation: (!is_url).then(|| l.to_owned()),
                tag: d.source_tag.clone(),
            }
        })
        .collect();
    if sources.is_empty() {
        problems.push("Give at least one source: a URL or a full citation, one per line.".to_owned());
    }
    if !crate::dataset::TAGS.contains(&d.source_tag.as_str()) {
        problems.push("Choose how the source relates to the OECD study (its tag).".to_owned());
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(UserRecord {
        uuid: d.uuid.clone().unwrap_or_else(new_uuid),
        id: d.id.clone(),
        kind: d.kind,
        city: (!new_city).then(|| d.city.clone()),
        new_city_name: new_city.then(|| d.new_city_name.trim().to_owned()),
        new_city_country: new_city.then(|| d.new_city_country.trim().to_owned()),
        new_city_lat: lat,
        new_city_lon: lon,
        title: d.title.trim().to_owned(),
        description: d.description.trim().to_owned(),
        gap_type: opt(&d.gap_type),
        levels: d.levels.clone(),
        policy_areas: split(&d.policy_areas),
        migrant_groups: split(&d.migrant_groups),
        objective,
        year_started: opt(&d.year_started),
        instrument_kind: opt(&d.instrument_kind),
        sources,
        author: author.to_owned(),
        created_at: String::new(),
        updated_at: String::new(),
        deleted_at: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_says_what_is_missing() {
        let cities = vec!["vienna".to_owned()];
        let problems =
            validate_record(&RecordDraft::new(EvidenceKind::Challenge), "Ana", &cities).expect_err("empty form");
        assert!(problems.iter().any(|p| p.contains("title")));
        assert!(problems.iter().any(|p| p.contains("at least one source")));
        let mut d = RecordDraft::new(EvidenceKind::Practice);
        d.city = "new".into();
        d.new_city_name = "Lyon".into();
        d.new_city_country = "France".into();
        d.new_city_lat = "45.76".into();
        d.new_city_lon = "200".into();
        d.title = "Lyon welcome desk".into();
        d.description = "One desk for newcomers.".into();
        d.gap_type = "information".into();
        d.sources = "City of Lyon, annual report 2019, p. 12".into();
        let problems = validate_record(&d, "Ana", &cities).expect_err("bad longitude");
        assert_eq!(problems.len(), 1, "{problems:?}");
        d.new_city_lon = "4.84".into();
        let record = validate_record(&d, "Ana", &cities).expect("valid");
        assert_eq!(record.sources[0].citation.as_deref(), Some("City of Lyon, annual report 2019, p. 12"));
        assert_eq!(record.new_city_lat, Some(45.76));
    }
}
