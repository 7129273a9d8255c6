//! A live submission applied to the answers in memory gives what a read of the database would.

use atlas_core::model::{AnswerSet, QuestionDef, QuestionKind, QuestionOrigin, Round};

fn question(code: &str) -> QuestionDef {
    QuestionDef {
        code: code.to_owned(),
        text: code.to_owned(),
        kind: QuestionKind::Number,
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
        created_at: "2026-12-04".to_owned(),
    }
}

fn values(set: &AnswerSet, respondent: &str) -> Vec<(String, Option<f64>)> {
    let r = set.respondents.iter().position(|x| x.id == respondent).expect("respondent");
    set.answers[set.by_respondent[r].clone()]
        .iter()
        .map(|a| (set.questions[a.question as usize].code.clone(), a.value_num))
        .collect()
}

#[test]
fn a_phone_answers_changes_its_name_and_is_removed() {
    let mut set = AnswerSet {
        rounds: vec![round("r1"), round("r2")],
        questions: vec![question("CL_SCORE_01"), question("CL_SCORE_02")],
        ..Default::default()
    };
    set.index();
    let row = |code: &str, v: f64| (code.to_owned(), Some(v), None);
    set.put_respondent(0, "Ana", None, (None, None), &[row("CL_SCORE_02", 3.0), row("CL_SCORE_01", 2.0)]);
    set.put_respondent(1, "Ana", None, (None, None), &[row("CL_SCORE_01", 4.0)]);
    set.put_respondent(0, "Bo", None, (Some("Graz".into()), None), &[row("NOT_A_QUESTION", 1.0)]);
    set.index();
    assert_eq!(set.respondents.len(), 3);
    assert_eq!(values(&set, "Bo"), vec![], "unknown codes are left out");
    // Ana of round 1 answers again under another name: replaced, not added.
    set.put_respondent(0, "Ana K.", Some("Ana"), (None, None), &[row("CL_SCORE_01", 1.0)]);
    set.index();
    assert_eq!(set.respondents.len(), 3);
    assert_eq!(values(&set, "Ana K."), vec![("CL_SCORE_01".to_owned(), Some(1.0))]);
    assert_eq!(set.by_question[0].len(), 2, "round 2's Ana and round 1's Ana K.");
    assert_eq!(set.sorted_values(0, &[true; 3]), vec![1.0, 4.0]);
    // Removed: the others keep their answers.
    set.remove_respondent(0, "Ana K.");
    set.index();
    assert_eq!(set.respondents.len(), 2);
    assert_eq!(set.by_question[0].len(), 1);
    let ana2 = set.respondents.iter().position(|x| x.round == 1).expect("round 2");
    assert_eq!(set.answer(ana2, 0).and_then(|a| a.value_num), Some(4.0));
}
