//! Agreement between coders who coded the same records independently: per code and overall, percent agreement,
//! Cohen's kappa (exactly two coders) and Krippendorff's alpha (nominal; any number of coders; missing data
//! allowed), at the record level and at the passage level, with the disagreements listed for resolution.
//!
//! Pure: codings in, numbers out. Each code is judged as a yes/no decision per unit and coder; "overall" pools
//! every (unit, code) decision of the codes compared. A statistic that is undefined for the data (no unit coded by
//! two coders; kappa or alpha when everyone always gave the same value, so chance agreement is total) is `None`,
//! shown as "—", never as a made-up number.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::Hash;

use atlas_core::records::codings::{Coding, TargetKind};

/// The record-level rule, for the Agreement view to show.
pub const RECORD_RULE: &str = "Record level: every record that at least two of the coders coded is one unit. A \
coder applied a code to a record when they coded at least one passage of it with that code. A coder who coded \
nothing in a record is missing for it, not counted as disagreeing.";

/// The passage-level overlap rule, for the Agreement view to show.
pub const PASSAGE_RULE: &str = "Passage level: each record's text is cut at every start and end of any coder's \
passages, and every piece that at least one coder coded is one unit (each piece counts once, whatever its \
length). A coder applied a code to a piece when one of their passages with that code covers the whole piece, so \
passages agree where they overlap and disagree where they do not. Only records that at least two coders coded \
count; a coder who coded nothing in a record is missing for its pieces.";

/// The three statistics over some units.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Stats {
    /// Units that at least two coders judged (the units the statistics rest on).
    pub units: usize,
    /// Share (0–1) of those units on which every coder present gave the same value.
    pub percent_agreement: Option<f64>,
    /// Cohen's kappa, when exactly two coders are compared.
    pub cohen_kappa: Option<f64>,
    /// Krippendorff's alpha for nominal data.
    pub krippendorff_alpha: Option<f64>,
}

/// Which unit the comparison uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Record,
    Passage,
}

impl Level {
    pub fn rule(self) -> &'static str {
        match self {
            Level::Record => RECORD_RULE,
            Level::Passage => PASSAGE_RULE,
        }
    }
}

/// A unit: a record, or a piece `[start, end)` (characters) of its text at the passage level.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Unit {
    pub target_kind: TargetKind,
    pub target_id: String,
    pub range: Option<(i64, i64)>,
}

/// One coder's side of a disagreement: the codes they gave the unit and the codings that gave them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub coder: String,
    pub codes: Vec<String>,
    pub codings: Vec<String>,
}

/// A unit on which the coders present did not give the same codes, side by side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    pub unit: Unit,
    /// Codes some but not all of the coders present gave.
    pub codes_in_dispute: Vec<String>,
    /// Every coder present, in coder order.
    pub sides: Vec<Side>,
}

impl Disagreement {
    /// The codings to keep and to drop to keep `coder`'s side: theirs stay; the other coders' codings of the
    /// disputed codes go (for `Workspace::resolve_keep_one`).
    pub fn keep_one(&self, coder: &str, all: &[Coding]) -> (Vec<String>, Vec<String>) {
        let disputed = |uuid: &String| all.iter().any(|c| &c.uuid == uuid && self.codes_in_dispute.contains(&c.code));
        let keep = self.sides.iter().filter(|s| s.coder == coder).flat_map(|s| s.codings.clone()).collect();
        let drop =
            self.sides.iter().filter(|s| s.coder != coder).flat_map(|s| s.codings.clone()).filter(disputed).collect();
        (keep, drop)
    }

    /// Every coding on either side (for `Workspace::resolve_keep_both` and `resolve_merge_into_new_code`).
    pub fn all_codings(&self) -> Vec<String> {
        self.sides.iter().flat_map(|s| s.codings.clone()).collect()
    }
}

/// The agreement of some coders at one level.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub level: Level,
    pub coders: Vec<String>,
    /// Per code uuid, in code order.
    pub per_code: Vec<(String, Stats)>,
    /// Every (unit, code) decision pooled.
    pub overall: Stats,
    pub disagreements: Vec<Disagreement>,
}

/// What one coder gave one unit: the codes, and the uuids of the codings that gave them.
type Judged = (BTreeSet<String>, Vec<String>);

/// Authors who have live codings, sorted.
pub fn coders(codings: &[Coding]) -> Vec<String> {
    let set: BTreeSet<&str> = codings.iter().filter(|c| c.deleted_at.is_none()).map(|c| c.author.as_str()).collect();
    set.into_iter().map(str::to_owned).collect()
}

/// Compares `coders` (at least two authors) over their live codings; `codes` limits the codes compared (empty:
/// every code any of them used).
pub fn compare(codings: &[Coding], coders: &[String], codes: &[String], level: Level) -> Report {
    let live: Vec<&Coding> = codings.iter().filter(|c| c.deleted_at.is_none() && coders.contains(&c.author)).collect();
    let code_list: Vec<String> = if codes.is_empty() {
        let set: BTreeSet<&str> = live.iter().map(|c| c.code.as_str()).collect();
        set.into_iter().map(str::to_owned).collect()
    } else {
        codes.to_vec()
    };
    // Who coded a record counts over all their codings there; what they coded, over the codes compared.
    let mut present_in: BTreeMap<(TargetKind, String), BTreeSet<&str>> = BTreeMap::new();
    for c in &live {
        present_in.entry((c.target_kind, c.target_id.clone())).or_default().insert(c.author.as_str());
    }
    let mut by_record: BTreeMap<(TargetKind, String), Vec<&Coding>> =
        present_in.keys().map(|k| (k.clone(), Vec::new())).collect();
    for c in live.iter().filter(|c| code_list.contains(&c.code)) {
        by_record.entry((c.target_kind, c.target_id.clone())).or_default().push(c);
    }
    // unit → coder index → (codes, coding uuids); only coders present in the unit's record appear.
    let mut units: Vec<(Unit, Vec<Option<Judged>>)> = Vec::new();
    for ((kind, id), list) in &by_record {
        let authors = &present_in[&(*kind, id.clone())];
        let present: Vec<usize> = (0..coders.len()).filter(|&i| authors.contains(coders[i].as_str())).collect();
        if present.len() < 2 {
            continue;
        }
        let pieces: Vec<Option<(i64, i64)>> = match level {
            Level::Record => vec![None],
            Level::Passage => {
                let cuts: BTreeSet<i64> = list.iter().flat_map(|c| [c.start, c.end]).collect();
                let cuts: Vec<i64> = cuts.into_iter().collect();
                cuts.windows(2)
                    .map(|w| (w[0], w[1]))
                    .filter(|(a, b)| list.iter().any(|c| c.start <= *a && c.end >= *b))
                    .map(Some)
                    .collect()
            }
        };
        for range in pieces {
            let values = (0..coders.len())
                .map(|i| {
                    present.contains(&i).then(|| {
                        let mine = list
                            .iter()
                            .filter(|c| c.author == coders[i] && range.is_none_or(|(a, b)| c.start <= a && c.end >= b));
                        let mut codes = BTreeSet::new();
                        let mut uuids = Vec::new();
                        for c in mine {
                            codes.insert(c.code.clone());
                            uuids.push(c.uuid.clone());
                        }
                        (codes, uuids)
                    })
                })
                .collect();
            units.push((Unit { target_kind: *kind, target_id: id.clone(), range }, values));
        }
    }
    let two = coders.len() == 2;
    let mut per_code = Vec::new();
    let mut pooled: Vec<Vec<Option<bool>>> = Vec::new();
    for code in &code_list {
        let rows: Vec<Vec<Option<bool>>> = units
            .iter()
            .map(|(_, values)| values.iter().map(|v| v.as_ref().map(|(codes, _)| codes.contains(code))).collect())
            .collect();
        per_code.push((code.clone(), stats(&rows, two)));
        pooled.extend(rows);
    }
    let overall = stats(&pooled, two);
    let mut disagreements = Vec::new();
    for (unit, values) in &units {
        let present: Vec<(usize, &Judged)> =
            values.iter().enumerate().filter_map(|(i, v)| v.as_ref().map(|v| (i, v))).collect();
        let union: BTreeSet<&String> = present.iter().flat_map(|(_, (codes, _))| codes.iter()).collect();
        let disputed: Vec<String> = union
            .into_iter()
            .filter(|code| !present.iter().all(|(_, (codes, _))| codes.contains(*code)))
            .cloned()
            .collect();
        if disputed.is_empty() {
            continue;
        }
        disagreements.push(Disagreement {
            unit: unit.clone(),
            codes_in_dispute: disputed,
            sides: present
                .iter()
                .map(|(i, (codes, uuids))| Side {
                    coder: coders[*i].clone(),
                    codes: codes.iter().cloned().collect(),
                    codings: uuids.clone(),
                })
                .collect(),
        });
    }
    Report { level, coders: coders.to_vec(), per_code, overall, disagreements }
}

/// The three statistics over rows of values (one row per unit, one column per coder; `None` = missing).
pub fn stats<V: Eq + Hash + Clone + Ord>(rows: &[Vec<Option<V>>], two_coders: bool) -> Stats {
    let paired: Vec<&Vec<Option<V>>> = rows.iter().filter(|r| r.iter().flatten().count() >= 2).collect();
    let units = paired.len();
    let percent_agreement = (units > 0).then(|| {
        let agree = paired
            .iter()
            .filter(|r| {
                let mut vals = r.iter().flatten();
                let first = vals.next();
                vals.all(|v| Some(v) == first)
            })
            .count();
        agree as f64 / units as f64
    });
    let cohen_kappa = if two_coders {
        let pairs: Vec<(V, V)> = rows
            .iter()
            .filter_map(|r| match (r.first(), r.get(1)) {
                (Some(Some(a)), Some(Some(b))) => Some((a.clone(), b.clone())),
                _ => None,
            })
            .collect();
        cohen_kappa(&pairs)
    } else {
        None
    };
    Stats { units, percent_agreement, cohen_kappa, krippendorff_alpha: krippendorff_alpha_nominal(rows) }
}

/// Cohen's kappa of two coders' values on the same units: (p_o − p_e) / (1 − p_e), with p_e from each coder's
/// own marginal distribution. `None` without units, or when p_e = 1 (both always gave one and the same value).
pub fn cohen_kappa<V: Eq + Hash + Clone>(pairs: &[(V, V)]) -> Option<f64> {
    if pairs.is_empty() {
        return None;
    }
    let n = pairs.len() as f64;
    let observed = pairs.iter().filter(|(a, b)| a == b).count() as f64 / n;
    let mut first: HashMap<&V, f64> = HashMap::new();
    let mut second: HashMap<&V, f64> = HashMap::new();
    for (a, b) in pairs {
        *first.entry(a).or_default() += 1.0;
        *second.entry(b).or_default() += 1.0;
    }
    let expected: f64 = first.iter().map(|(v, count)| count / n * second.get(v).copied().unwrap_or(0.0) / n).sum();
    if (1.0 - expected).abs() < 1e-12 {
        return None;
    }
    Some((observed - expected) / (1.0 - expected))
}

/// Krippendorff's alpha for nominal data, any number of coders, missing values allowed (Krippendorff 2011,
/// "Computing Krippendorff's Alpha-Reliability"): units with fewer than two values are not pairable and drop
/// out; the coincidence matrix counts each ordered pair of values within a unit with weight 1/(m_u − 1);
/// alpha = 1 − (n − 1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k. `None` without pairable values, or when only one value
/// occurs (expected disagreement 0).
pub fn krippendorff_alpha_nominal<V: Eq + Hash + Clone + Ord>(rows: &[Vec<Option<V>>]) -> Option<f64> {
    let mut o: BTreeMap<(V, V), f64> = BTreeMap::new();
    for row in rows {
        let values: Vec<&V> = row.iter().flatten().collect();
        let m = values.len();
        if m < 2 {
            continue;
        }
        let w = 1.0 / (m as f64 - 1.0);
        for (i, a) in values.iter().enumerate() {
            for (j, b) in values.iter().enumerate() {
                if i != j {
                    *o.entry(((*a).clone(), (*b).clone())).or_default() += w;
                }
            }
        }
    }
    let mut n_c: BTreeMap<V, f64> = BTreeMap::new();
    for ((c, _), v) in &o {
        *n_c.entry(c.clone()).or_default() += v;
    }
    let n: f64 = n_c.values().sum();
    if n <= 1.0 {
        return None;
    }
    let observed_off: f64 = o.iter().filter(|((c, k), _)| c != k).map(|(_, v)| v).sum();
    let expected_off: f64 = n * n - n_c.values().map(|v| v * v).sum::<f64>();
    if expected_off.abs() < 1e-12 {
        return None;
    }
    Some(1.0 - (n - 1.0) * observed_off / expected_off)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) {
        let a = a.expect("defined");
        assert!((a - b).abs() < 0.0005, "{a} is not {b}");
    }

    fn rows(data: &[&[Option<i32>]]) -> Vec<Vec<Option<i32>>> {
        // data is coder-major (as published); rows are units.
        let units = data[0].len();
        (0..units).map(|u| data.iter().map(|coder| coder[u]).collect()).collect()
    }

    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: nominal data, four observers,
    /// twelve units, missing values; published alpha = 0.743.
    #[test]
    fn krippendorff_2011_nominal_with_missing_data() {
        let (x, n) = (Some, None);
        let a = [x(1), x(2), x(3), x(3), x(2), x(1), x(4), x(1), x(2), n, n, n];
        let b = [x(1), x(2), x(3), x(3), x(2), x(2), x(4), x(1), x(2), x(5), n, x(3)];
        let c = [n, x(3), x(3), x(3), x(2), x(3), x(4), x(2), x(2), x(5), x(1), n];
        let d = [x(1), x(2), x(3), x(3), x(2), x(4), x(4), x(1), x(2), x(5), x(1), n];
        close(krippendorff_alpha_nominal(&rows(&[&a, &b, &c, &d])), 0.743);
    }

    /// Krippendorff (2011), section A: binary data, two observers, ten units; published alpha = 0.095.
    #[test]
    fn krippendorff_2011_binary_two_observers() {
        let a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0].map(Some);
        let b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0].map(Some);
        close(krippendorff_alpha_nominal(&rows(&[&a, &b])), 0.095);
    }

    /// Krippendorff (2011), section B: nominal data, two observers, twelve units, no missing data; published
    /// alpha = 0.692.
    #[test]
    fn krippendorff_2011_nominal_two_observers() {
        // a = 1, b = 2, c = 3, d = 4, e = 5
        let a = [1, 1, 2, 2, 4, 3, 3, 3, 5, 4, 4, 1].map(Some);
        let b = [2, 1, 2, 2, 2, 3, 3, 3, 5, 4, 4, 4].map(Some);
        close(krippendorff_alpha_nominal(&rows(&[&a, &b])), 0.692);
    }

    /// The worked example of the Wikipedia article "Cohen's kappa": 50 proposals read by two readers; both said
    /// yes to 20, both no to 15, A yes/B no 5, A no/B yes 10: p_o = 0.7, p_e = 0.5, kappa = 0.4.
    #[test]
    fn cohen_kappa_worked_example() {
        let mut pairs = Vec::new();
        pairs.extend(std::iter::repeat_n((true, true), 20));
        pairs.extend(std::iter::repeat_n((false, false), 15));
        pairs.extend(std::iter::repeat_n((true, false), 5));
        pairs.extend(std::iter::repeat_n((false, true), 10));
        close(cohen_kappa(&pairs), 0.4);
        let rows: Vec<Vec<Option<bool>>> = pairs.iter().map(|(a, b)| vec![Some(*a), Some(*b)]).collect();
        let s = stats(&rows, true);
        assert_eq!(s.units, 50);
        close(s.percent_agreement, 0.7);
        close(s.cohen_kappa, 0.4);
    }

    #[test]
    fn undefined_statistics_are_none() {
        assert_eq!(cohen_kappa::<bool>(&[]), None);
        assert_eq!(cohen_kappa(&[(true, true), (true, true)]), None);
        assert_eq!(krippendorff_alpha_nominal(&[vec![Some(1), Some(1)], vec![Some(1), None]]), None);
        assert_eq!(stats::<i32>(&[vec![Some(1), None]], true).percent_agreement, None);
    }

    fn coding(uuid: &str, author: &str, code: &str, record: &str, start: i64, end: i64) -> Coding {
        Coding {
            uuid: uuid.into(),
            code: code.into(),
            target_kind: TargetKind::Challenge,
            target_id: record.into(),
            start,
            end,
            text_hash: String::new(),
            excerpt: String::new(),
            author: author.into(),
            created_at: "t".into(),
            updated_at: "t".into(),
            deleted_at: None,
            resolved_at: None,
        }
    }

    #[test]
    fn record_and_passage_levels_find_the_disagreements() {
        let codings = vec![
            coding("a1", "Ana", "funding", "C-1", 0, 10),
            coding("b1", "Björn", "funding", "C-1", 5, 10),
            coding("a2", "Ana", "capacity", "C-2", 0, 4),
            coding("b2", "Björn", "funding", "C-2", 0, 4),
            // Only Ana coded C-3: not a unit.
            coding("a3", "Ana", "funding", "C-3", 0, 4),
        ];
        let who = coders(&codings);
        assert_eq!(who, vec!["Ana".to_owned(), "Björn".to_owned()]);
        let r = compare(&codings, &who, &[], Level::Record);
        // Units C-1 and C-2; codes capacity, funding → 4 decisions, 2 agree (C-1 funding yes, C-1 capacity no).
        assert_eq!(r.overall.units, 4);
        close(r.overall.percent_agreement, 0.5);
        assert_eq!(r.disagreements.len(), 1);
        let d = &r.disagreements[0];
        assert_eq!(d.unit.target_id, "C-2");
        assert_eq!(d.codes_in_dispute, vec!["capacity".to_owned(), "funding".to_owned()]);
        let (keep, drop) = d.keep_one("Ana", &codings);
        assert_eq!((keep, drop), (vec!["a2".to_owned()], vec!["b2".to_owned()]));

        let p = compare(&codings, &who, &["funding".to_owned()], Level::Passage);
        // C-1 pieces [0,5) (Ana only) and [5,10) (both); C-2 piece [0,4) (Björn only).
        let (_, s) = &p.per_code[0];
        assert_eq!(s.units, 3);
        close(s.percent_agreement, 1.0 / 3.0);
        assert_eq!(p.disagreements.len(), 2);
        assert_eq!(p.disagreements[0].unit.range, Some((0, 5)));
    }
}
