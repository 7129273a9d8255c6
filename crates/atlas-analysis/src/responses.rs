//! Aggregates over survey answers: which respondents a filter keeps, per-question summaries (bars for categories,
//! a histogram for numbers), and one respondent against the sample (rank, distance from the median).

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use atlas_core::answer_format::QuestionKind;
use atlas_core::model::AnswerSet;

/// City size, from the respondent's own population answer (total, else native + immigrant).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SizeBand {
    Under100k,
    From100kTo500k,
    From500kTo1m,
    Over1m,
    Unknown,
}

impl SizeBand {
    pub const ALL: [SizeBand; 5] =
        [SizeBand::Under100k, SizeBand::From100kTo500k, SizeBand::From500kTo1m, SizeBand::Over1m, SizeBand::Unknown];

    pub fn label(self) -> &'static str {
        match self {
            SizeBand::Under100k => "under 100,000",
            SizeBand::From100kTo500k => "100,000–500,000",
            SizeBand::From500kTo1m => "500,000–1 million",
            SizeBand::Over1m => "over 1 million",
            SizeBand::Unknown => "size not answered",
        }
    }

    pub fn of(population: Option<f64>) -> Self {
        match population {
            None => SizeBand::Unknown,
            Some(p) if p < 100_000.0 => SizeBand::Under100k,
            Some(p) if p < 500_000.0 => SizeBand::From100kTo500k,
            Some(p) if p < 1_000_000.0 => SizeBand::From500kTo1m,
            Some(_) => SizeBand::Over1m,
        }
    }
}

/// Which respondents to keep; an empty set keeps all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct ResponseFilter {
    /// Round uuids.
    pub rounds: BTreeSet<String>,
    pub countries: BTreeSet<String>,
    pub sizes: BTreeSet<SizeBand>,
}

impl ResponseFilter {
    pub fn is_empty(&self) -> bool {
        self.rounds.is_empty() && self.countries.is_empty() && self.sizes.is_empty()
    }
}

/// Each respondent's population, from their answers.
pub fn populations(set: &AnswerSet) -> Vec<Option<f64>> {
    let q = |code: &str| set.question_index(code);
    let (total, native, immigrant) = (q("POP_TOTAL_N"), q("POP_NATIVE_N"), q("POP_IMMIGRANT_N"));
    let value = |r: usize, q: Option<usize>| q.and_then(|q| set.answer(r, q)).and_then(|a| a.value_num);
    (0..set.respondents.len())
        .map(|r| value(r, total).or_else(|| Some(value(r, native)? + value(r, immigrant)?)))
        .collect()
}

/// The respondents a filter keeps, as a mask over `set.respondents` (an indexed set; `sizes` per respondent, missing
/// ones count as not answered). Rounds and countries are compared once each, then every respondent by its small ids,
/// packed so that the pass reads a few bytes per respondent.
pub fn select(set: &AnswerSet, filter: &ResponseFilter, sizes: &[SizeBand]) -> Vec<bool> {
    let round_ok: Vec<bool> =
        set.rounds.iter().map(|r| filter.rounds.is_empty() || filter.rounds.contains(&r.uuid)).collect();
    let country_ok: Vec<bool> = set.countries.iter().map(|c| filter.countries.contains(c)).collect();
    let mut size_ok = [filter.sizes.is_empty(); SizeBand::ALL.len()];
    for s in &filter.sizes {
        size_ok[*s as usize] = true;
    }
    let any_country = filter.countries.is_empty();
    set.respondent_round
        .iter()
        .zip(&set.respondent_country)
        .zip(sizes.iter().copied().chain(std::iter::repeat(SizeBand::Unknown)))
        .map(|((round, country), size)| {
            // `&` and `|`, not `&&`: no branch to mispredict per respondent.
            round_ok.get(*round as usize).copied().unwrap_or(false)
                & (any_country | country_ok.get(*country as usize).copied().unwrap_or(false))
                & size_ok[size as usize]
        })
        .collect()
}

/// Summary statistics of numeric answers.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NumericStats {
    pub n: usize,
    pub mean: f64,
    pub median: f64,
    pub q1: f64,
    pub q3: f64,
    pub min: f64,
    pub max: f64,
    /// Population standard deviation.
    pub sd: f64,
}

/// The median of an ascending slice.
fn median_sorted(values: &[f64]) -> f64 {
    let n = values.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Mean, median, quartiles, range and spread of `values` (sorted in place).
pub fn numeric_stats(values: &mut [f64]) -> Option<NumericStats> {
    values.sort_by(f64::total_cmp);
    sorted_stats(values)
}

/// Mean, median, quartiles (the medians of the lower and upper halves), range and spread of an ascending slice.
pub fn sorted_stats(values: &[f64]) -> Option<NumericStats> {
    let n = values.len();
    let (min, max) = (*values.first()?, *values.last()?);
    let mean = values.iter().sum::<f64>() / n as f64;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
    let median = median_sorted(values);
    let half = n / 2;
    let (q1, q3) = if n < 2 {
        (median, median)
    } else {
        let upper_start = if n % 2 == 1 { half + 1 } else { half };
        (median_sorted(&values[..half]), median_sorted(&values[upper_start..]))
    };
    Some(NumericStats { n, mean, median, q1, q3, min, max, sd: var.sqrt() })
}

/// What the app charts for one question over the selected respondents.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QuestionSummary {
    pub question: usize,
    /// Selected respondents who answered.
    pub answered: usize,
    /// Selected respondents in all.
    pub selected: usize,
    pub numeric: Option<NumericStats>,
    /// Bars: (category, respondents), for scores, ticks and text.
    pub categories: Vec<(String, usize)>,
    /// Histogram: (from, to, respondents), for numbers and shares.
    pub histogram: Vec<(f64, f64, usize)>,
}

/// Bins of a histogram.
pub const HISTOGRAM_BINS: usize = 12;

/// Summarises one question over the respondents `mask` keeps.
pub fn summarize(set: &AnswerSet, question: usize, mask: &[bool]) -> QuestionSummary {
    let selected = mask.iter().filter(|m| **m).count();
    let Some(def) = set.questions.get(question) else {
        return QuestionSummary { question, selected, ..Default::default() };
    };
    let mut out = QuestionSummary { question, selected, ..Default::default() };
    match def.kind {
        QuestionKind::Text => {
            let positions = set.by_question.get(question).map(Vec::as_slice).unwrap_or(&[]);
            let kept = positions
                .iter()
                .map(|p| &set.answers[*p as usize])
                .filter(|a| mask.get(a.respondent as usize) == Some(&true));
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for a in kept {
                out.answered += 1;
                *counts.entry(a.value_text.as_deref().unwrap_or("")).or_default() += 1;
            }
            let mut list: Vec<(String, usize)> = counts.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            out.categories = list;
        }
        kind => {
            // Ascending, from the per-question array sorted once per data change.
            let values = set.sorted_values(question, mask);
            out.answered = values.len();
            if kind == QuestionKind::Score {
                // Scores 0–4, each rounded to its bar.
                let mut bars = vec![0usize; 5];
                for v in &values {
                    if let Some(slot) = bars.get_mut(v.round().clamp(0.0, 4.0) as usize) {
                        *slot += 1;
                    }
                }
                out.categories = bars.into_iter().enumerate().map(|(i, n)| (i.to_string(), n)).collect();
            } else if kind == QuestionKind::Tick {
                let yes = values.len() - values.partition_point(|v| *v < 0.5);
                out.categories = vec![("yes".to_owned(), yes), ("no".to_owned(), values.len() - yes)];
            }
            out.numeric = sorted_stats(&values);
            if !kind.is_categorical()
                && let Some(stats) = out.numeric
            {
                out.histogram = histogram(&values, stats.min, stats.max);
            }
        }
    }
    out
}

/// The smallest "nice" step (1, 2, 2.5 or 5 times a power of ten) at least `x`.
fn nice_step(x: f64) -> f64 {
    let power = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0].into_iter().map(|m| m * power).find(|s| *s >= x * (1.0 - 1e-12)).unwrap_or(10.0 * power)
}

/// Bins of an ascending slice, with round edges (multiples of a nice step) and about √n of them (at most
/// [`HISTOGRAM_BINS`]), so three answers are not spread over twelve bins with fractional edges. Each bin's edge is
/// found by a binary search.
fn histogram(values: &[f64], min: f64, max: f64) -> Vec<(f64, f64, usize)> {
    if values.is_empty() {
        return Vec::new();
    }
    if max <= min {
        return vec![(min, max, values.len())];
    }
    let target = ((values.len() as f64).sqrt().ceil() as usize).clamp(2, HISTOGRAM_BINS - 2);
    let width = nice_step((max - min) / target as f64);
    let start = (min / width).floor() * width;
    let bins = ((((max - start) / width).floor() as usize) + 1).min(HISTOGRAM_BINS);
    // A value's bin rises with the value, so the values of bin `i` start where the bin first reaches `i`.
    let bin = |v: f64| (((v - start) / width) as usize).min(bins - 1);
    let starts: Vec<usize> = (0..=bins).map(|i| values.partition_point(|v| bin(*v) < i)).collect();
    let counts = starts.windows(2).map(|w| w[1] - w[0]);
    counts.enumerate().map(|(i, n)| (start + width * i as f64, start + width * (i + 1) as f64, n)).collect()
}

/// A question's name short enough for a column header: "3. Horizontal co-ordination", "funding gap · national",
/// or the question's text up to its first bracket, clipped; the code and full text go in the tooltip.
pub fn short_name(def: &atlas_core::model::QuestionDef) -> String {
    let text = def.text.split(" (").next().unwrap_or(&def.text);
    let name = if let Some(rest) = text.strip_prefix("Self-assessment, objective ") {
        rest.replacen(": ", ". ", 1)
    } else if let Some(rest) = text.strip_prefix("We face ") {
        let rest = rest.trim_start_matches("a ").trim_start_matches("an ");
        match rest.split_once(" with the ") {
            Some((gap, level)) => format!("{gap} · {}", level.trim_end_matches(" level")),
            None => rest.to_owned(),
        }
    } else {
        text.to_owned()
    };
    if name.chars().count() > 22 { format!("{}…", name.chars().take(21).collect::<String>()) } else { name }
}

/// One respondent against the selected sample on one numeric question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    pub value: f64,
    /// 1 = the highest value; ties share the better rank.
    pub rank: usize,
    /// Respondents ranked (selected, with an answer).
    pub of: usize,
    pub median: f64,
    /// `value - median`.
    pub from_median: f64,
}

/// Where `respondent` stands on `question` among the respondents `mask` keeps (the respondent counts too).
pub fn standing(set: &AnswerSet, question: usize, respondent: usize, mask: &[bool]) -> Option<Standing> {
    let value = set.answer(respondent, question)?.value_num?;
    let mut with_self = mask.to_vec();
    if let Some(slot) = with_self.get_mut(respondent) {
        *slot = true;
    }
    let values = set.sorted_values(question, &with_self);
    let rank = values.len() - values.partition_point(|v| *v <= value) + 1;
    let median = median_sorted(&values);
    Some(Standing { value, rank, of: values.len(), median, from_median: value - median })
}

/// A number for labels: whole numbers as they are, others to two decimals, "—" for none.
pub fn short_label(n: f64) -> String {
    if !n.is_finite() {
        return "—".to_owned();
    }
    if (n - n.round()).abs() < 1e-9 { atlas_core::text::format_number(n.round()) } else { format!("{n:.2}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_headers_are_short_names() {
        let def = |code: &str, text: &str| atlas_core::model::QuestionDef {
            code: code.to_owned(),
            text: text.to_owned(),
            kind: atlas_core::model::QuestionKind::Score,
            unit: None,
            min: None,
            max: None,
            origin: atlas_core::model::QuestionOrigin::SelfAssessment,
        };
        let score = def("CL_SCORE_03", "Self-assessment, objective 3: Multi-level (0 = not at all … 4 = fully)");
        assert_eq!(short_name(&score), "3. Multi-level");
        let gap = def("CL_GAP_FUNDING_NATIONAL", "We face a funding gap with the national level (1 = yes, 0 = no)");
        assert_eq!(short_name(&gap), "funding gap · national");
    }

    #[test]
    fn stats_of_small_samples() {
        let s = numeric_stats(&mut [4.0, 1.0, 3.0, 2.0]).expect("some");
        assert_eq!((s.median, s.q1, s.q3, s.min, s.max, s.mean), (2.5, 1.5, 3.5, 1.0, 4.0, 2.5));
        let s = numeric_stats(&mut [5.0, 1.0, 3.0]).expect("some");
        assert_eq!((s.median, s.q1, s.q3), (3.0, 1.0, 5.0));
        assert!(numeric_stats(&mut []).is_none());
    }

    #[test]
    fn histogram_and_standing_from_sorted_values() {
        let values: Vec<f64> = (0..=120).map(f64::from).collect();
        let bins = histogram(&values, 0.0, 120.0);
        assert!(bins.len() <= HISTOGRAM_BINS);
        assert_eq!(bins.iter().map(|b| b.2).sum::<usize>(), 121);
        assert!(bins.iter().all(|(lo, _, _)| lo.fract() == 0.0), "round edges: {bins:?}");
        // Three answers: two or three bins with round edges, not twelve with fractional ones.
        let few = histogram(&[12.0, 37.0, 80.0], 12.0, 80.0);
        assert!(few.len() <= 3, "{few:?}");
        assert!(few.iter().all(|(lo, hi, _)| lo.fract() == 0.0 && hi.fract() == 0.0), "{few:?}");
        assert_eq!(few.iter().map(|b| b.2).sum::<usize>(), 3);
        // Bins of 20: 0–20 holds 0…19; the maximum opens the last bin.
        assert_eq!((bins[0].0, bins[0].1, bins[0].2), (0.0, 20.0, 20));
        assert_eq!(bins.last().map(|b| b.2), Some(1));
        assert_eq!(histogram(&[3.0, 3.0], 3.0, 3.0), vec![(3.0, 3.0, 2)]);
    }

    #[test]
    fn size_bands() {
        assert_eq!(SizeBand::of(Some(99_999.0)), SizeBand::Under100k);
        assert_eq!(SizeBand::of(Some(1_200_000.0)), SizeBand::Over1m);
        assert_eq!(SizeBand::of(None), SizeBand::Unknown);
    }
}
