//! The round's chart numbers kept up to date one answer at a time: each [`LiveEvent`] replaces one participant's
//! answers, so the window updates its charts without reloading the whole answer set. [`LiveTally::results`] gives
//! the same [`RoundResults`] as [`atlas_analysis::rounds::summarize`] over the same answers (the tests check it),
//! with `participants` left empty (their count is `respondents`). Pure: no SQL, no egui.

use std::collections::HashMap;

use super::{LiveEvent, PhoneAnswers};
use atlas_analysis::responses::numeric_stats;
use atlas_analysis::rounds::{GapResult, ObjectiveResult, RoundQuestions, RoundResults, participants};
use atlas_core::answer_format::{BLOCKER_CODE, ROUND_LEVELS};
use atlas_core::dataset::GAP_TYPES;
use atlas_core::model::{AnswerSet, Atlas, EvidenceKind};

/// Counts per objective and per gap × level, and each participant's current answers.
#[derive(Debug, Clone, Default)]
pub struct LiveTally {
    objectives: Vec<(i64, String)>,
    /// Per objective, how many gave each score 0–4.
    scores: Vec<[usize; 5]>,
    /// Per gap × level, how many ticked it.
    ticks: Vec<usize>,
    /// Per gap, how many ticked it at least once.
    named: Vec<usize>,
    /// The gap type of each challenge in the evidence base.
    challenge_gaps: Vec<usize>,
    challenges: usize,
    people: HashMap<String, PhoneAnswers>,
}

impl LiveTally {
    /// An empty tally for `objectives` (number, short title); `challenge_gaps` as for `summarize`.
    pub fn new(objectives: &[(i64, String)], challenge_gaps: &[&str]) -> Self {
        Self {
            objectives: objectives.to_vec(),
            scores: vec![[0; 5]; objectives.len()],
            ticks: vec![0; GAP_TYPES.len() * ROUND_LEVELS.len()],
            named: vec![0; GAP_TYPES.len()],
            challenge_gaps: GAP_TYPES.iter().map(|g| challenge_gaps.iter().filter(|c| *c == g).count()).collect(),
            challenges: challenge_gaps.len(),
            people: HashMap::new(),
        }
    }

    /// The tally of round `round_uuid` as loaded (typed, imported and phone answers), with the atlas's objectives
    /// and challenges. Built once when the window opens the round; events keep it current after.
    pub fn from_set(set: &AnswerSet, atlas: &Atlas, round_uuid: &str) -> Self {
        let objectives: Vec<(i64, String)> =
            atlas.objectives.iter().map(|o| (o.number, o.short_title.clone())).collect();
        let gaps: Vec<&str> =
            atlas.evidence.iter().filter(|e| e.kind == EvidenceKind::Challenge).map(|e| e.gap_type.as_str()).collect();
        let mut tally = Self::new(&objectives, &gaps);
        let Some((_, people)) = participants(set, round_uuid) else { return tally };
        let numbers: Vec<i64> = objectives.iter().map(|(n, _)| *n).collect();
        let questions = RoundQuestions::find(set, &numbers);
        let blocker = set.question_index(BLOCKER_CODE);
        for r in people {
            let scores = questions
                .scores
                .iter()
                .map(|q| {
                    q.and_then(|q| set.answer(r, q))
                        .and_then(|a| a.value_num)
                        .filter(|v| (0.0..=4.0).contains(v))
                        .map(|v| v.round() as u8)
                })
                .collect();
            let ticks = questions
                .gaps
                .iter()
                .flatten()
                .map(|q| q.and_then(|q| set.answer(r, q)).and_then(|a| a.value_num).is_some_and(|v| v >= 0.5))
                .collect();
            let text = blocker.and_then(|q| set.answer(r, q)).and_then(|a| a.value_text.clone());
            tally.set(&set.respondents[r].id, PhoneAnswers { scores, ticks, text });
        }
        tally
    }

    /// Sets one participant's answers (replacing earlier ones).
    pub fn set(&mut self, respondent: &str, answers: PhoneAnswers) {
        self.remove(respondent);
        self.count(&answers, true);
        self.people.insert(respondent.to_owned(), answers);
    }

    /// Removes a participant's answers.
    pub fn remove(&mut self, respondent: &str) {
        if let Some(old) = self.people.remove(respondent) {
            self.count(&old, false);
        }
    }

    /// Applies an event; `true` when the numbers changed (the charts need repainting).
    pub fn apply(&mut self, event: &LiveEvent) -> bool {
        match event {
            LiveEvent::Answered { respondent, previous, answers, .. } => {
                if let Some(previous) = previous {
                    self.remove(previous);
                }
                self.set(respondent, answers.clone());
                true
            }
            LiveEvent::Removed { respondent } => {
                self.remove(respondent);
                true
            }
            _ => false,
        }
    }

    fn count(&mut self, a: &PhoneAnswers, add: bool) {
        let step = |n: &mut usize| {
            if add {
                *n += 1;
            } else {
                *n = n.saturating_sub(1);
            }
        };
        for (counts, score) in self.scores.iter_mut().zip(&a.scores) {
            if let Some(s) = score {
                step(&mut counts[usize::from(*s).min(4)]);
            }
        }
        let levels = ROUND_LEVELS.len();
        for (i, ticked) in a.ticks.iter().enumerate().take(self.ticks.len()) {
            if *ticked {
                step(&mut self.ticks[i]);
            }
        }
        for g in 0..GAP_TYPES.len() {
            if a.ticks.iter().skip(g * levels).take(levels).any(|t| *t) {
                step(&mut self.named[g]);
            }
        }
    }

    /// The short title of the objective numbered `number`.
    pub fn objective_title(&self, number: i64) -> Option<&str> {
        self.objectives.iter().find(|(n, _)| *n == number).map(|(_, t)| t.as_str())
    }

    /// How many gave each score 0–4 to the objective numbered `number`.
    pub fn score_counts(&self, number: i64) -> Option<[usize; 5]> {
        self.objectives.iter().position(|(n, _)| *n == number).map(|i| self.scores[i])
    }

    /// Participants with answers.
    pub fn participants(&self) -> usize {
        self.people.len()
    }

    /// The free-text lines written, by participant (for the facilitator's review).
    pub fn texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.people.iter().filter_map(|(r, a)| a.text.as_deref().map(|t| (r.as_str(), t)))
    }

    /// The chart numbers (see the module doc).
    pub fn results(&self) -> RoundResults {
        let people = self.people.len();
        let share = |part: usize, whole: usize| if whole == 0 { 0.0 } else { part as f64 / whole as f64 };
        let objectives = self
            .objectives
            .iter()
            .zip(&self.scores)
            .map(|((number, title), counts)| {
                let mut values: Vec<f64> =
                    counts.iter().enumerate().flat_map(|(v, c)| std::iter::repeat_n(v as f64, *c)).collect();
                ObjectiveResult { number: *number, short_title: title.clone(), stats: numeric_stats(&mut values) }
            })
            .collect();
        let levels = ROUND_LEVELS.len();
        let gaps = GAP_TYPES
            .iter()
            .enumerate()
            .map(|(g, gap)| GapResult {
                gap: (*gap).to_owned(),
                by_level: self.ticks[g * levels..(g + 1) * levels].to_vec(),
                participants: self.named[g],
                room_share: share(self.named[g], people),
                challenges: self.challenge_gaps[g],
                evidence_share: share(self.challenge_gaps[g], self.challenges),
            })
            .collect();
        RoundResults {
            round: 0,
            participants: Vec::new(),
            respondents: people,
            objectives,
            gaps,
            challenges: self.challenges,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn answers(scores: &[Option<u8>], ticks: &[usize]) -> PhoneAnswers {
        let mut a = PhoneAnswers { scores: scores.to_vec(), ticks: vec![false; 42], text: None };
        for t in ticks {
            a.ticks[*t] = true;
        }
        a
    }

    fn answered(respondent: &str, previous: Option<&str>, a: PhoneAnswers) -> LiveEvent {
        LiveEvent::Answered {
            respondent: respondent.to_owned(),
            previous: previous.map(str::to_owned),
            city: None,
            country: None,
            answers: a,
            rows: Vec::new(),
            arrived: Instant::now(),
            joined: 0,
            answered: 0,
        }
    }

    #[test]
    fn answers_changes_and_removals_update_the_numbers() {
        let objectives = vec![(1, "A".to_owned()), (2, "B".to_owned())];
        let mut tally = LiveTally::new(&objectives, &["funding", "funding", "capacity", "information"]);
        // funding is gap 2: ticks 12..18; national is level 1.
        assert!(tally.apply(&answered("Phone 1", None, answers(&[Some(1), None], &[13]))));
        tally.apply(&answered("Phone 2", None, answers(&[Some(3), Some(4)], &[13, 14, 0])));
        let r = tally.results();
        let o1 = r.objectives[0].stats.expect("scored");
        assert_eq!((o1.n, o1.mean, o1.min, o1.max), (2, 2.0, 1.0, 3.0));
        assert_eq!(r.objectives[1].n(), 1);
        let funding = &r.gaps[2];
        assert_eq!((funding.by_level[1], funding.by_level[2], funding.participants), (2, 1, 2));
        assert_eq!((funding.room_share, funding.evidence_share), (1.0, 0.5));
        // Phone 1 becomes Vienna and changes its score; the count of people stays 2.
        tally.apply(&answered("Vienna", Some("Phone 1"), answers(&[Some(4), None], &[])));
        let r = tally.results();
        assert_eq!(tally.participants(), 2);
        assert_eq!(r.objectives[0].stats.map(|s| s.mean), Some(3.5));
        assert_eq!(r.gaps[2].participants, 1);
        assert!(tally.apply(&LiveEvent::Removed { respondent: "Phone 2".to_owned() }));
        let r = tally.results();
        assert_eq!(r.objectives[1].n(), 0);
        assert!(r.gaps.iter().all(|g| g.participants == 0));
        assert_eq!(tally.participants(), 1);
        assert!(!tally.apply(&LiveEvent::Joined { joined: 3 }));
    }
}
