//! The facilitator's side in the real window: Workshop ▸ Let the room answer starts the server and shows the QR
//! code, the address, the join code and the counts; two phones answer over HTTP (loopback); the window charts their
//! answers as they arrive, hidden until Reveal; a phone is removed; ending the round stops the server.

mod common;
mod live_support;

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use integration_atlas::store::Store;
use integration_atlas::ui::{AtlasApp, View};
use live_support::{Phone, form};

fn wait(harness: &mut Harness<'_, AtlasApp>, what: &str, done: impl Fn(&Harness<'_, AtlasApp>) -> bool) {
    let start = Instant::now();
    while !done(harness) {
        assert!(start.elapsed() < Duration::from_secs(60), "timed out waiting for {what}");
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_room_answers_from_phones_and_the_window_follows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = common::db_in(&dir);
    let round = {
        let store = Store::open(&db).expect("db");
        store.create_live_round("Phones in the room", Some("2026-11-30")).expect("round")
    };
    let mut harness = common::app_sized(&db, common::on(View::Workshop), [1600.0, 1200.0]);
    harness.run();
    harness.get_by_label("Let the room answer from their phones").click();
    harness.run();
    harness.get_by_label_contains("Join code ");
    harness.get_by_label_contains("QR code for http://");
    harness.get_by_label("Live: 0 phones opened the page, 0 answered");

    // Two phones answer through the loopback address of the same server.
    let (address, page) = {
        let live = &harness.state().session().expect("open").live.as_ref().expect("live").round;
        assert_eq!(live.round(), round);
        let address = *live.addresses().iter().find(|a| a.ip().is_loopback()).expect("loopback");
        (address, format!("/{}/", live.token()))
    };
    for (name, score) in [("Vienna", 3u8), ("Ana", 1u8)] {
        let mut phone = Phone { cookie: None, language: None };
        assert_eq!(phone.get(address, &page).status, 200);
        let body = form(&format!("sub{name}"), Some(name), &[(1, score), (2, 4)], &[(0, 1)], None);
        let reply = phone.post(address, &format!("{page}answers"), &body, false);
        assert!(reply.status == 200 || reply.status == 303, "{}", reply.status);
    }
    wait(&mut harness, "two answers", |h| h.query_by_label("Live: 2 phones opened the page, 2 answered").is_some());
    // Hidden until Reveal, then charted from the phones' answers at once (no reload needed).
    harness.get_by_label_contains("hidden until you reveal them");
    // The entry table would list each phone's name and scores: hidden too, until asked for on purpose.
    harness.get_by_label_contains("The entry table is hidden while the results are");
    assert!(harness.query_by_label("Name of Vienna").is_none(), "no phone's row before Reveal");
    harness.get_by_label("Show the entry table (to type answers from paper)").click();
    harness.run();
    // The phones' rows are there as soon as their answers are: the window's copy of the answers follows each
    // submission without reading the database again.
    harness.get_by_label("Name of Vienna");
    harness.get_by_label("Name of Ana");
    {
        // The same answers as a read of the database gives.
        let session = harness.state().session().expect("open");
        let read = Store::open(&db).expect("db").load_answers(&session.catalogue).expect("answers");
        let rows = |set: &integration_atlas::model::AnswerSet| {
            let mut rows: Vec<(String, String, Option<f64>)> = set
                .answers
                .iter()
                .map(|a| {
                    let r = &set.respondents[a.respondent as usize];
                    (r.id.clone(), set.questions[a.question as usize].code.clone(), a.value_num)
                })
                .collect();
            rows.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
            rows
        };
        assert_eq!(rows(&session.answers), rows(&read));
        assert_eq!(rows(&read).len(), 6, "two phones, two scores and a tick each");
    }
    harness.get_by_label("Hide the entry table").click();
    harness.run();
    assert!(harness.query_by_label("Name of Vienna").is_none());
    // A slide of the Workshop played now keeps them hidden too.
    harness.get_by_label("Add to story").click();
    harness.run();
    harness.get_by_label("Stories").click();
    harness.run();
    harness.get_by_label("▶ Play").click();
    harness.run();
    harness.get_by_label_contains("hidden until you reveal them");
    assert!(harness.query_by_label("Chart of average and spread per objective").is_none(), "no chart on the slide");
    harness.key_press(eframe::egui::Key::Escape);
    harness.run();
    harness.get_by_label("Workshop").click();
    harness.run();
    harness.get_by_label("Reveal results").click();
    harness.run();
    harness.get_by_label("Participants with answers: 2");
    // The denominators are the room's while it is live, not the stored round's (which is read later).
    harness.get_by_label_contains("gaps at any level: 2 of 2");

    // Remove a phone (spam): its answers go, and it cannot write again.
    harness.get_by_label("Phones that answered (2)").click();
    harness.run();
    harness.get_by_label("Vienna: 2 scores, 1 gap ticked, saved 1×");
    harness.get_by_label("Remove phone Ana").click();
    harness.run();
    harness.get_by_label("Yes, remove phone Ana").click();
    harness.run();
    wait(&mut harness, "the removal", |h| h.query_by_label("Participants with answers: 1").is_some());

    // End: the server stops; the answers stay in the round.
    harness.get_by_label("End live round").click();
    harness.run();
    assert!(harness.state().session().expect("open").live.is_none());
    let refused = std::net::TcpStream::connect_timeout(&address, Duration::from_secs(2));
    assert!(refused.is_err(), "nothing listens after the round ended");
    let set = harness.state().session().expect("open");
    let people: Vec<&str> = set.answers.respondents.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(people, ["Vienna"], "Vienna's answers stay, Ana's were removed");
}

#[test]
fn the_lines_the_facilitator_shows_become_a_word_cloud_exported_while_live() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = common::db_in(&dir);
    Store::open(&db).expect("db").create_live_round("Evening session", Some("2026-12-04")).expect("round");
    let mut harness = common::app_sized(&db, common::on(View::Workshop), [1600.0, 1200.0]);
    harness.run();
    harness.get_by_label("Let the room answer from their phones").click();
    harness.run();
    let (address, page) = {
        let live = &harness.state().session().expect("open").live.as_ref().expect("live").round;
        (*live.addresses().iter().find(|a| a.ip().is_loopback()).expect("loopback"), format!("/{}/", live.token()))
    };
    for (name, line) in [
        ("Vienna", "No shared data on arrivals"),
        ("Athens", "Les données ne sont pas partagées"),
        ("Spam", "buy cheap watches"),
    ] {
        let mut phone = Phone { cookie: None, language: None };
        let sub = phone.get(address, &page).submission().expect("form");
        phone.post(address, &format!("{page}answers"), &form(&sub, Some(name), &[(1, 2)], &[], Some(line)), false);
    }
    wait(&mut harness, "three answers", |h| h.query_by_label_contains("3 answered").is_some());
    harness.get_by_label("Phones that answered (3)").click();
    harness.run();
    harness.get_by_label("Show the line of Vienna in the word cloud").click();
    harness.run();
    harness.get_by_label("Show the line of Athens in the word cloud").click();
    harness.run();
    harness.get_by_label("Word cloud").click();
    harness.run();
    // Hidden like the charts until Reveal.
    harness.get_by_label_contains("The word cloud is hidden until you reveal the results");
    harness.get_by_label("Reveal results").click();
    harness.run();
    let cloud =
        harness.get_by_label_contains("Word cloud of Evening session: ").accesskit_node().label().unwrap_or_default();
    for word in ["shared", "data", "arrivals", "données", "partagées"] {
        assert!(cloud.contains(&format!("{word} (1)")), "{word}: {cloud}");
    }
    for absent in ["les", "sont", "cheap", "watches"] {
        assert!(!cloud.contains(&format!("{absent} (")), "{absent}: {cloud}");
    }
    // Exported while the round is live: its words and counts as CSV, and the picture as PNG.
    harness.get_by_label("Export words and counts…").click();
    harness.run();
    harness.get_by_label("CSV (the main table)").click();
    harness.run();
    let csv = dir.path().join("words");
    harness.get_by_label("Save to file:").focus();
    harness.get_by_label("Save to file:").type_text(&csv.display().to_string());
    harness.run();
    harness.get_by_label("Export").click();
    harness.run();
    let text = std::fs::read_to_string(dir.path().join("words.csv")).expect("csv written");
    assert!(text.starts_with("Word,Count"), "{text}");
    assert!(text.contains("données,1") && text.lines().count() == 6, "{text}");
    harness.get_by_label("Save chart as PNG: word cloud").click();
    harness.run();
    let png = dir.path().join("cloud.png");
    harness.get_by_label("Save to file:").focus();
    harness.get_by_label("Save to file:").type_text(&png.display().to_string());
    harness.run();
    harness.get_by_label("Save PNG").click();
    harness.run();
    let image = image::open(&png).expect("a PNG").to_rgba8();
    let first = *image.get_pixel(0, 0);
    assert!(image.pixels().filter(|p| **p != first).count() > 500, "words are drawn");
    assert!(harness.state().session().expect("open").live.is_some(), "still live");
}

#[test]
fn the_facilitator_paces_the_room_and_sees_each_questions_answers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = common::db_in(&dir);
    Store::open(&db).expect("db").create_live_round("Paced", Some("2026-12-04")).expect("round");
    let mut harness = common::app_sized(&db, common::on(View::Workshop), [1600.0, 1200.0]);
    harness.run();
    harness.get_by_label("Let the room answer from their phones").click();
    harness.run();
    harness.get_by_label("Pace the room one question at a time").click();
    harness.run();
    harness.get_by_label_contains("The room is on: Question 1 of 14: Objective 1: ");
    let (address, page) = {
        let live = &harness.state().session().expect("open").live.as_ref().expect("live").round;
        (*live.addresses().iter().find(|a| a.ip().is_loopback()).expect("loopback"), format!("/{}/", live.token()))
    };
    // A phone sees objective 1 alone and answers it.
    let mut phone = Phone { cookie: None, language: None };
    let body = phone.get(address, &page).body;
    assert!(body.contains("data-step=\"o1\"") && body.contains("<legend>1. ") && !body.contains("<legend>2. "));
    let sub = live_support::Reply { status: 200, headers: Vec::new(), body }.submission().expect("form");
    let reply = phone.post(
        address,
        &format!("{page}answers"),
        &format!("{}&step=o1", form(&sub, None, &[(1, 3)], &[], None)),
        false,
    );
    assert_eq!(reply.status, 303, "{}", reply.body);
    wait(&mut harness, "the answer", |h| h.query_by_label_contains("1 answered").is_some());
    harness.get_by_label_contains("1 phone has answered so far. The answers are hidden");
    harness.get_by_label("Reveal results").click();
    harness.run();
    harness.get_by_label("Objective 1: 1 answer, mean 3.0 (0 = not at all … 4 = fully)");
    harness.get_by_label("Score 3: 1 answer");
    // Next: the room moves on; the phone's next page is objective 2, its first answer kept.
    harness.get_by_label("Next question ▶").click();
    harness.run();
    harness.get_by_label_contains("The room is on: Question 2 of 14: Objective 2: ");
    let body = phone.get(address, &page).body;
    assert!(body.contains("data-step=\"o2\"") && body.contains("<legend>2. "));
    let sub = live_support::Reply { status: 200, headers: Vec::new(), body }.submission().expect("form");
    phone.post(
        address,
        &format!("{page}answers"),
        &format!("{}&step=o2", form(&sub, None, &[(2, 1)], &[], None)),
        false,
    );
    wait(&mut harness, "the second answer", |h| {
        h.query_by_label("Objective 2: 1 answer, mean 1.0 (0 = not at all … 4 = fully)").is_some()
    });
    let people = harness.state().session().expect("open").live.as_ref().expect("live").round.participants();
    assert_eq!(people[0].scored, 2, "objective 1 kept, objective 2 added");
    // Back to each at their own pace.
    harness.get_by_label("Pace the room one question at a time").click();
    harness.run();
    assert!(harness.query_by_label_contains("The room is on:").is_none());
    assert!(phone.get(address, &page).body.contains("<legend>12. "), "the whole form again");
}

/// Not a check: renders the live Workshop for a person to look at (`cargo test --test live_ui -- --ignored`), in
/// the window at 1280×800 and presenting (F5) at 1920×1080, before and after Reveal, into `target/look/`.
#[test]
#[ignore = "writes pictures to look at"]
fn look_at_the_live_workshop() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = common::db_in(&dir);
    Store::open(&db).expect("db").create_live_round("Evening session", Some("2026-12-04")).expect("round");
    std::fs::create_dir_all("target/look").expect("folder");
    for (size, present, name) in [([1280.0, 800.0], false, "live-window"), ([1920.0, 1080.0], true, "live-slide")] {
        let db = db.clone();
        let mut harness =
            Harness::builder().with_size(size).with_theme(eframe::egui::Theme::Light).wgpu().build_eframe(move |cc| {
                AtlasApp::with_state(
                    &cc.egui_ctx,
                    integration_atlas::ui::Launch { db: Some(db), ..Default::default() },
                    common::on(View::Workshop),
                )
            });
        harness.run();
        if harness.query_by_label("Let the room answer from their phones").is_some() {
            harness.get_by_label("Let the room answer from their phones").click();
            harness.run();
        }
        let (address, page) = {
            let live = &harness.state().session().expect("open").live.as_ref().expect("live").round;
            (*live.addresses().iter().find(|a| a.ip().is_loopback()).expect("loopback"), format!("/{}/", live.token()))
        };
        if name == "live-window" {
            for (i, (who, text)) in
                [("Vienna", "No shared data on arrivals"), ("Ana", "Funding rules change yearly"), ("", "")]
                    .into_iter()
                    .enumerate()
            {
                let mut phone = Phone { cookie: None, language: None };
                let sub = phone.get(address, &page).submission().expect("form");
                let scores: Vec<(i64, u8)> = (1..=12).map(|o| (o, ((o as usize + i) % 5) as u8)).collect();
                let name = (!who.is_empty()).then_some(who);
                let text = (!text.is_empty()).then_some(text);
                phone.post(
                    address,
                    &format!("{page}answers"),
                    &form(&sub, name, &scores, &[(0, 1), (2, 4)], text),
                    false,
                );
            }
            wait(&mut harness, "answers", |h| h.query_by_label_contains("3 answered").is_some());
            harness.get_by_label("Phones that answered (3)").click();
            harness.run();
            for who in ["Vienna", "Ana"] {
                harness.get_by_label(&format!("Show the line of {who} in the word cloud")).click();
                harness.run();
            }
        }
        if present {
            harness.key_press(eframe::egui::Key::F5);
            harness.run();
        }
        let image = harness.render().expect("render");
        image.save(format!("target/look/{name}-hidden.png")).expect("png");
        if present {
            harness.key_press(eframe::egui::Key::Escape);
            harness.run();
        }
        if let Some(reveal) = harness.query_by_label("Reveal results") {
            reveal.click();
            harness.run();
        }
        if present {
            harness.key_press(eframe::egui::Key::F5);
            harness.run();
        }
        for _ in 0..3 {
            harness.step();
        }
        let image = harness.render().expect("render");
        image.save(format!("target/look/{name}-revealed.png")).expect("png");
        harness.get_by_label("Word cloud").click();
        harness.run();
        for _ in 0..3 {
            harness.step();
        }
        let image = harness.render().expect("render");
        image.save(format!("target/look/{name}-words.png")).expect("png");
        harness.get_by_label("Results").click();
        harness.get_by_label("Pace the room one question at a time").click();
        harness.run();
        for _ in 0..3 {
            harness.step();
        }
        let image = harness.render().expect("render");
        image.save(format!("target/look/{name}-paced.png")).expect("png");
        harness.get_by_label("Pace the room one question at a time").click();
        harness.run();
    }
}
