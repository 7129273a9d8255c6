//! Results of one live self-assessment round: average and spread of the scores per checklist objective, the
//! coordination gaps participants ticked by level of government, and the room beside the case-study evidence (the
//! share of participants naming each gap type against the share of the evidence base's challenges of that type).
//! Pure: no SQL, no egui.

use crate::Series;
use crate::responses::{NumericStats, numeric_stats};
use atlas_core::answer_format::{ROUND_LEVELS, gap_code, score_code};
use atlas_core::dataset::GAP_TYPES;
use atlas_core::model::{AnswerSet, Atlas, EvidenceKind};

/// The scores one objective received in the round.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveResult {
    pub number: i64,
    pub short_title: String,
    /// Mean, range and (population) standard deviation of the scores given; `None` when nobody scored it.
    pub stats: Option<NumericStats>,
}

impl ObjectiveResult {
    pub fn n(&self) -> usize {
        self.stats.map_or(0, |s| s.n)
    }
}

/// One gap type: who in the room named it, at which levels, and how often the evidence base's challenges are of it.
#[derive(Debug, Clone, PartialEq)]
pub struct GapResult {
    pub gap: String,
    /// Participants who ticked this gap with each level of [`ROUND_LEVELS`].
    pub by_level: Vec<usize>,
    /// Participants who ticked this gap with at least one level.
    pub participants: usize,
    /// `participants` over the round's participants (0 when the round has none).
    pub room_share: f64,
    /// Challenges in the evidence base with this gap type.
    pub challenges: usize,
    /// `challenges` over all challenges (0 when there are none).
    pub evidence_share: f64,
}

/// Everything the Workshop view charts for one round.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoundResults {
    /// The round's position in [`AnswerSet::rounds`].
    pub round: usize,
    /// The round's respondents (positions in [`AnswerSet::respondents`]) in the order they first answered.
    pub participants: Vec<usize>,
    /// How many answered: `participants.len()` for a stored round, the live tally's count while a round is live
    /// (whose participants are not yet positions in a loaded set). The denominator of every "n of N".
    pub respondents: usize,
    pub objectives: Vec<ObjectiveResult>,
    pub gaps: Vec<GapResult>,
    /// Challenges in the evidence base (the denominator of `evidence_share`).
    pub challenges: usize,
}

impl RoundResults {
    /// Participants per gap type (categories), stacked by level of government: for `charts::bars`.
    pub fn gaps_by_level(&self) -> Series {
        Series {
            categories: self.gaps.iter().map(|g| g.gap.clone()).collect(),
            stacks: ROUND_LEVELS
                .iter()
                .enumerate()
                .map(|(l, level)| ((*level).to_owned(), self.gaps.iter().map(|g| g.by_level[l]).collect()))
                .collect(),
        }
    }
}

/// The question positions a round's answers are looked up by.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoundQuestions {
    /// Per objective (in the order given), the position of its score question, if the set knows it.
    pub scores: Vec<Option<usize>>,
    /// Per gap type of [`GAP_TYPES`], per level of [`ROUND_LEVELS`], the position of its tick question.
    pub gaps: Vec<Vec<Option<usize>>>,
}

impl RoundQuestions {
    pub fn find(set: &AnswerSet, objectives: &[i64]) -> Self {
        Self {
            scores: objectives.iter().map(|n| set.question_index(&score_code(*n))).collect(),
            gaps: GAP_TYPES
                .iter()
                .map(|g| ROUND_LEVELS.iter().map(|l| set.question_index(&gap_code(g, l))).collect())
                .collect(),
        }
    }
}

/// The round with this uuid: its position, and its respondents in order.
pub fn participants(set: &AnswerSet, round_uuid: &str) -> Option<(usize, Vec<usize>)> {
    let round = set.rounds.iter().position(|r| r.uuid == round_uuid)?;
    let people = set.respondents.iter().enumerate().filter(|(_, r)| r.round == round).map(|(i, _)| i).collect();
    Some((round, people))
}

/// Whether a tick answer says yes.
fn ticked(set: &AnswerSet, respondent: usize, question: Option<usize>) -> bool {
    question.and_then(|q| set.answer(respondent, q)).and_then(|a| a.value_num).is_some_and(|v| v >= 0.5)
}

/// The results of round `round_uuid`. `objectives` are (number, short title) in display order;
/// `challenge_gaps` holds the gap type of every challenge in the evidence base. `None` if there is no such round.
pub fn summarize(
    set: &AnswerSet,
    round_uuid: &str,
    objectives: &[(i64, String)],
    challenge_gaps: &[&str],
) -> Option<RoundResults> {
    let (round, people) = participants(set, round_uuid)?;
    let numbers: Vec<i64> = objectives.iter().map(|(n, _)| *n).collect();
    let questions = RoundQuestions::find(set, &numbers);
    let objectives = objectives
        .iter()
        .zip(&questions.scores)
        .map(|((number, title), q)| {
            let mut values: Vec<f64> = match q {
                Some(q) => people.iter().filter_map(|r| set.answer(*r, *q)).filter_map(|a| a.value_num).collect(),
                None => Vec::new(),
            };
            ObjectiveResult { number: *number, short_title: title.clone(), stats: numeric_stats(&mut values) }
        })
        .collect();
    let challenges = challenge_gaps.len();
    let share = |part: usize, whole: usize| if whole == 0 { 0.0 } else { part as f64 / whole as f64 };
    let gaps = GAP_TYPES
        .iter()
        .zip(&questions.gaps)
        .map(|(gap, levels)| {
            let by_level: Vec<usize> =
                levels.iter().map(|q| people.iter().filter(|r| ticked(set, **r, *q)).count()).collect();
            let named = people.iter().filter(|r| levels.iter().any(|q| ticked(set, **r, *q))).count();
            let of_type = challenge_gaps.iter().filter(|g| **g == *gap).count();
            GapResult {
                gap: (*gap).to_owned(),
                by_level,
                participants: named,
                room_share: share(named, people.len()),
                challenges: of_type,
                evidence_share: share(of_type, challenges),
            }
        })
        .collect();
    Some(RoundResults { round, respondents: people.len(), participants: people, objectives, gaps, challenges })
}

/// [`summarize`] with the atlas's objectives and its challenges (shipped and own).
pub fn summarize_atlas(set: &AnswerSet, atlas: &Atlas, round_uuid: &str) -> Option<RoundResults> {
    let objectives: Vec<(i64, String)> = atlas.objectives.iter().map(|o| (o.number, o.short_title.clone())).collect();
    let gaps: Vec<&str> =
        atlas.evidence.iter().filter(|e| e.kind == EvidenceKind::Challenge).map(|e| e.gap_type.as_str()).collect();
    summarize(set, round_uuid, &objectives, &gaps)
}

/// A share as a whole percentage: "60%".
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// A score statistic to one decimal: "2.4".
pub fn one_decimal(value: f64) -> String {
    format!("{value:.1}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use atlas_core::answer_format::{QuestionDef, QuestionKind, QuestionOrigin};
    use atlas_core::model::{Answer, Respondent, Round};

    fn question(code: String, kind: QuestionKind) -> QuestionDef {
        QuestionDef {
            code,
            text: String::new(),
            kind,
            unit: None,
            min: None,
            max: None,
            origin: QuestionOrigin::SelfAssessment,
        }
    }

    fn round(uuid: &str) -> Round {
        Round {
            uuid: uuid.to_owned(),
            title: uuid.to_owned(),
            held_on: None,
            kind: "live".to_owned(),
            survey: None,
            source_file: None,
            created_at: String::new(),
        }
    }

    /// A set of two rounds: "w" with five participants, "other" with one that must never count.
    fn set() -> AnswerSet {
        let mut questions =
            vec![question(score_code(1), QuestionKind::Score), question(score_code(2), QuestionKind::Score)];
        for g in GAP_TYPES {
            for l in ROUND_LEVELS {
                questions.push(question(gap_code(g, l), QuestionKind::Tick));
            }
        }
        let mut set = AnswerSet { rounds: vec![round("w"), round("other")], questions, ..Default::default() };
        let people = ["Vienna", "Athens", "Berlin", "Rome", "Paris"];
        for p in people {
            set.respondents.push(Respondent { round: 0, id: p.to_owned(), city: Some(p.to_owned()), country: None });
        }
        set.respondents.push(Respondent { round: 1, id: "Altena".to_owned(), city: None, country: None });
        let add = |set: &mut AnswerSet, r: u32, code: &str, v: f64| {
            let question = set.question_index(code).expect("known") as u32;
            set.answers.push(Answer {
                respondent: r,
                question,
                value_num: Some(v),
                value_text: None,
                unit_notes: None,
                answered_on: None,
            });
        };
        // Objective 1: 1, 2, 3, 3, 3 → mean 2.4, sd 0.8. Objective 2: only two answers, 0 and 4.
        for (r, v) in [1.0, 2.0, 3.0, 3.0, 3.0].into_iter().enumerate() {
            add(&mut set, r as u32, &score_code(1), v);
        }
        add(&mut set, 0, &score_code(2), 0.0);
        add(&mut set, 3, &score_code(2), 4.0);
        // Funding: Vienna with national and regional, Athens with national, Berlin with EU; Rome ticked 0.
        add(&mut set, 0, &gap_code("funding", "national"), 1.0);
        add(&mut set, 0, &gap_code("funding", "regional/state"), 1.0);
        add(&mut set, 1, &gap_code("funding", "national"), 1.0);
        add(&mut set, 2, &gap_code("funding", "EU"), 1.0);
        add(&mut set, 3, &gap_code("funding", "national"), 0.0);
        // Information: Paris with municipal.
        add(&mut set, 4, &gap_code("information", "municipal"), 1.0);
        // The other round's participant scores 0 and ticks funding: never counted.
        add(&mut set, 5, &score_code(1), 0.0);
        add(&mut set, 5, &gap_code("funding", "national"), 1.0);
        set.answers.sort_by_key(|a| (a.respondent, a.question));
        set.index();
        set
    }

    fn objectives() -> Vec<(i64, String)> {
        vec![(1, "Multi-level".to_owned()), (2, "Scale".to_owned()), (3, "Time".to_owned())]
    }

    #[test]
    fn average_and_spread_per_objective() {
        let r = summarize(&set(), "w", &objectives(), &[]).expect("round");
        assert_eq!(r.participants, vec![0, 1, 2, 3, 4]);
        let o1 = r.objectives[0].stats.expect("scored");
        assert_eq!((o1.n, o1.min, o1.max), (5, 1.0, 3.0));
        assert!((o1.mean - 2.4).abs() < 1e-12, "{}", o1.mean);
        assert!((o1.sd - 0.8).abs() < 1e-12, "{}", o1.sd);
        assert_eq!((one_decimal(o1.mean), one_decimal(o1.sd)), ("2.4".to_owned(), "0.8".to_owned()));
        let o2 = r.objectives[1].stats.expect("scored");
        assert_eq!((o2.n, o2.mean, o2.min, o2.max, o2.sd), (2, 2.0, 0.0, 4.0, 2.0));
        // Nobody scored objective 3 (and the set has no question for it).
        assert_eq!(r.objectives[2].stats, None);
        assert_eq!(r.objectives[2].n(), 0);
    }

    #[test]
    fn gaps_by_level_count_participants_who_ticked() {
        let r = summarize(&set(), "w", &objectives(), &[]).expect("round");
        let funding = r.gaps.iter().find(|g| g.gap == "funding").expect("funding");
        // EU, national, regional/state, metropolitan, municipal, district; Rome's 0 is not a tick.
        assert_eq!(funding.by_level, vec![1, 2, 1, 0, 0, 0]);
        assert_eq!(funding.participants, 3);
        assert!((funding.room_share - 0.6).abs() < 1e-12);
        let series = r.gaps_by_level();
        assert_eq!(series.categories.len(), 7);
        assert_eq!(series.stacks.len(), 6);
        let national = series.stacks.iter().find(|(l, _)| l == "national").expect("national");
        assert_eq!(national.1[2], 2, "funding is the third gap type");
        assert_eq!(series.totals()[2], 4, "four ticks on funding");
        let information = r.gaps.iter().find(|g| g.gap == "information").expect("information");
        assert_eq!((information.participants, percent(information.room_share)), (1, "20%".to_owned()));
        assert!(r.gaps.iter().filter(|g| g.gap != "funding" && g.gap != "information").all(|g| g.participants == 0));
    }

    #[test]
    fn the_room_beside_the_evidence() {
        // 10 challenges: 4 funding, 5 capacity, 1 information.
        let mut evidence = vec!["funding"; 4];
        evidence.extend(["capacity"; 5]);
        evidence.push("information");
        let r = summarize(&set(), "w", &objectives(), &evidence).expect("round");
        assert_eq!(r.challenges, 10);
        let row = |gap: &str| r.gaps.iter().find(|g| g.gap == gap).expect("gap").clone();
        let funding = row("funding");
        assert_eq!((funding.participants, funding.challenges), (3, 4));
        assert_eq!(
            (percent(funding.room_share), percent(funding.evidence_share)),
            ("60%".to_owned(), "40%".to_owned())
        );
        let capacity = row("capacity");
        assert_eq!((capacity.participants, capacity.room_share, capacity.challenges), (0, 0.0, 5));
        assert!((capacity.evidence_share - 0.5).abs() < 1e-12);
        assert_eq!(row("accountability").evidence_share, 0.0);
    }

    #[test]
    fn an_empty_or_unknown_round() {
        let mut s = set();
        s.rounds.push(round("empty"));
        let r = summarize(&s, "empty", &objectives(), &["funding"]).expect("round");
        assert!(r.participants.is_empty());
        assert!(r.objectives.iter().all(|o| o.stats.is_none()));
        assert!(r.gaps.iter().all(|g| g.room_share == 0.0 && g.participants == 0));
        assert_eq!(r.gaps.iter().find(|g| g.gap == "funding").map(|g| g.evidence_share), Some(1.0));
        assert_eq!(summarize(&s, "nope", &objectives(), &[]), None);
        // The other round sees only its own participant.
        let other = summarize(&s, "other", &objectives(), &[]).expect("round");
        assert_eq!(other.participants, vec![5]);
        assert_eq!(other.objectives[0].stats.map(|s| (s.n, s.mean)), Some((1, 0.0)));
    }
}
