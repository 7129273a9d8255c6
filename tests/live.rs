//! Live rounds over HTTP, as phones and an intruder would use them: the token, the participant cookie, the limits,
//! escaping, closing and reopening, and the `live` command. (The real-browser test is tests/live_browser.rs.)

mod live_support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use integration_atlas::live::{LiveConfig, LiveEvent, LiveLimits};
use live_support::{Fixture, Phone, form, request, where_};

/// (respondent, question, number, text) of every answer of the round, sorted.
fn answers(fx: &Fixture) -> Vec<(String, String, Option<f64>, Option<String>)> {
    let store = fx.store();
    let mut stmt = store
        .connection()
        .prepare(
            "SELECT r.respondent_id, a.question_code, a.value_num, a.value_text
             FROM survey_answers a JOIN round_respondents r ON r.id = a.respondent
             WHERE r.round_uuid = ?1 ORDER BY 1, 2",
        )
        .expect("query");
    stmt.query_map([&fx.round], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("answers")
}

#[test]
fn without_the_token_everything_is_a_404() {
    let fx = Fixture::new("Tokens");
    let (live, _events) = fx.start(LiveConfig::default());
    let (address, page) = where_(&live);
    let token = live.token();
    assert!(token.len() * 5 >= 96, "the URL token carries at least 96 bits");
    // (`/` is the short address, where a phone types the join code: see tests/live_promises.rs.)
    for path in [
        "/answers".to_owned(),
        "/static/app.js".to_owned(),
        format!("/{}/", &token[..token.len() - 1]),
        format!("/{token}x/"),
        format!("/{}/", token.to_uppercase()),
        "/favicon.ico".to_owned(),
    ] {
        let reply = request(address, "GET", &path, &[], b"");
        assert_eq!(reply.status, 404, "{path}");
        assert!(!reply.body.contains("Tokens"), "a 404 tells nothing about the round");
    }
    let reply = request(address, "POST", "/wrong/answers", &[], b"sub=a&s1=4");
    assert_eq!(reply.status, 404);
    assert!(answers(&fx).is_empty(), "nothing written");
    let reply = request(address, "GET", &page, &[], b"");
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("<h1>Tokens</h1>"));
    let csp = reply.header("content-security-policy").expect("CSP");
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe"));
    for file in ["static/style.css", "static/app.js"] {
        assert_eq!(request(address, "GET", &format!("{page}{file}"), &[], b"").status, 200, "{file}");
    }
}

#[test]
fn a_phone_answers_changes_its_answers_and_a_retry_does_not_duplicate() {
    let fx = Fixture::new("Room");
    let (live, events) = fx.start(LiveConfig::default());
    let (address, page) = where_(&live);
    let mut phone = Phone::default();
    let reply = phone.get(address, &page);
    assert!(phone.cookie.is_some(), "the phone got its participant token");
    let cookie = reply.headers.iter().find(|(k, _)| k == "set-cookie").map(|(_, v)| v.clone()).expect("cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    assert_eq!(live.counts().opened, 1);
    let sub = reply.submission().expect("form");
    let body = form(&sub, Some("wien"), &[(1, 3), (2, 0)], &[(2, 1), (0, 0)], Some("Funding rules"));
    let saved = phone.post(address, &format!("{page}answers"), &body, false);
    assert_eq!(saved.status, 303, "{}", saved.body);
    // Retried (the acknowledgement was lost): same id, same answers → nothing new.
    let again = phone.post(address, &format!("{page}answers"), &body, false);
    assert_eq!(again.status, 303);
    let stored = answers(&fx);
    assert_eq!(stored.len(), 5, "{stored:?}");
    assert!(stored.iter().all(|a| a.0 == "Vienna"), "a known city as the atlas spells it: {stored:?}");
    assert!(stored.contains(&("Vienna".to_owned(), "CL_SCORE_01".to_owned(), Some(3.0), None)));
    assert!(stored.contains(&("Vienna".to_owned(), "GAP_FUNDING_NATIONAL".to_owned(), Some(1.0), None)));
    assert!(stored.contains(&("Vienna".to_owned(), "LIVE_BLOCKER".to_owned(), None, Some("Funding rules".to_owned()))));
    assert_eq!(live.participants()[0].submissions, 1);
    // The page shows the phone its own answers back, and says they were saved.
    let shown = phone.get(address, &format!("{page}?saved=1"));
    assert!(shown.body.contains("value=\"Vienna\""), "the name is kept");
    assert!(shown.body.contains("name=\"s1\" value=\"3\" checked"));
    assert!(shown.body.contains("value=\"2-1\" checked"));
    assert!(shown.body.contains("Saved."));
    // Changing an answer (the script's way: JSON) replaces the earlier ones.
    let sub = shown.submission().expect("form");
    let changed =
        phone.post(address, &format!("{page}answers"), &form(&sub, Some("Vienna"), &[(1, 4)], &[(2, 1)], None), true);
    assert_eq!(changed.status, 200);
    assert!(changed.body.contains("\"ok\":true"), "{}", changed.body);
    let stored = answers(&fx);
    assert_eq!(
        stored,
        vec![
            ("Vienna".to_owned(), "CL_SCORE_01".to_owned(), Some(4.0), None),
            ("Vienna".to_owned(), "GAP_FUNDING_NATIONAL".to_owned(), Some(1.0), None),
        ]
    );
    let country: Option<String> = fx
        .store()
        .connection()
        .query_row("SELECT country FROM round_respondents WHERE respondent_id = 'Vienna'", [], |r| r.get(0))
        .expect("respondent");
    assert_eq!(country.as_deref(), Some("AUT"));
    // The window hears of each committed answer, with the answers.
    let answered: Vec<LiveEvent> = events.try_iter().filter(|e| matches!(e, LiveEvent::Answered { .. })).collect();
    assert_eq!(answered.len(), 2, "the retry sent no event");
    let LiveEvent::Answered { respondent, answers, answered, .. } = &answered[1] else { unreachable!() };
    assert_eq!((respondent.as_str(), answers.scores[0], answers.ticked(), *answered), ("Vienna", Some(4), 1, 1));
}

#[test]
fn one_phone_cannot_read_or_change_another_phones_answers() {
    let fx = Fixture::new("Two phones");
    let (live, _events) = fx.start(LiveConfig::default());
    let (address, page) = where_(&live);
    let mut alice = Phone::default();
    let sub = alice.get(address, &page).submission().expect("form");
    let post = format!("{page}answers");
    alice.post(address, &post, &form(&sub, Some("Alice"), &[(5, 2)], &[], Some("Secret line")), false);
    let mut bob = Phone::default();
    let seen = bob.get(address, &page);
    assert!(!seen.body.contains("Alice") && !seen.body.contains("Secret line"), "Bob sees an empty form");
    // Bob names himself Alice: he gets his own participant, Alice's answers stay.
    let sub = seen.submission().expect("form");
    bob.post(address, &post, &form(&sub, Some("Alice"), &[(5, 4)], &[], None), false);
    // A made-up participant token is not accepted as anyone's: it sees an empty form, and would join as a new phone.
    let mut forger = Phone { cookie: Some("aaaaaaaaaaaaaaaaaaaaaaaaaa".to_owned()), language: None };
    let page_seen = forger.get(address, &page);
    assert!(!page_seen.body.contains("Secret line") && !page_seen.body.contains("value=\"Alice\""));
    let stored = answers(&fx);
    assert!(stored.contains(&("Alice".to_owned(), "CL_SCORE_05".to_owned(), Some(2.0), None)));
    assert!(stored.contains(&("Alice (2)".to_owned(), "CL_SCORE_05".to_owned(), Some(4.0), None)));
    assert_eq!(stored.len(), 3);
}

#[test]
fn refusals_are_explained_on_the_phone_and_write_nothing() {
    let fx = Fixture::new("Limits");
    let limits = LiveLimits { max_participants: 2, max_submissions: 2, ..LiveLimits::default() };
    let (live, _events) = fx.start(LiveConfig { limits, ..Default::default() });
    let (address, page) = where_(&live);
    let post = format!("{page}answers");
    let mut phone = Phone::default();
    let sub = phone.get(address, &page).submission().expect("form");
    // A body over the limit.
    let huge = form(&sub, None, &[(1, 1)], &[], Some(&"x".repeat(20_000)));
    let reply = phone.post(address, &post, &huge, false);
    assert_eq!(reply.status, 413);
    assert!(reply.body.contains("Not saved: your answers are too long"), "{}", reply.body);
    // A score out of range, an unknown field, too many fields, a text too long.
    for (body, message) in [
        (form(&sub, None, &[(1, 7)], &[], None), "a score must be a whole number from 0 to 4"),
        (format!("sub={sub}&evil=1"), "the form was not one this page sent"),
        (format!("sub={sub}{}", "&t=0-0".repeat(100)), "the form was not one this page sent"),
        (form(&sub, None, &[], &[], Some(&"y".repeat(201))), "the text is too long"),
        (form(&sub, Some(&"n".repeat(81)), &[], &[], None), "the name is too long"),
    ] {
        let reply = phone.post(address, &post, &body, false);
        assert_eq!(reply.status, 400, "{body}");
        assert!(reply.body.contains(message), "{message}: {}", reply.body);
    }
    assert!(answers(&fx).is_empty(), "nothing reached the database");
    // Changes per participant.
    for (i, score) in [1u8, 2].iter().enumerate() {
        let reply = phone.post(address, &post, &form(&format!("s{i}"), None, &[(1, *score)], &[], None), false);
        assert_eq!(reply.status, 303);
    }
    let reply = phone.post(address, &post, &form("s9", None, &[(1, 3)], &[], None), false);
    assert_eq!(reply.status, 403);
    assert!(reply.body.contains("changed its answers too many times"));
    assert_eq!(answers(&fx)[0].2, Some(2.0), "the refused change was not written");
    // Participants per round: a second phone answers, a third finds the round full.
    let mut second = Phone::default();
    let sub = second.get(address, &page).submission().expect("form");
    second.post(address, &post, &form(&sub, None, &[(2, 2)], &[], None), false);
    let mut third = Phone::default();
    let reply = third.get(address, &page);
    assert!(reply.body.contains("This round is full"), "{}", reply.body);
    assert!(!reply.body.contains("<form"));
    let reply = third.post(address, &post, &form("x1", None, &[(3, 3)], &[], None), false);
    assert_eq!(reply.status, 403);
    assert_eq!(live.counts().answered, 2);
    assert_eq!(answers(&fx).len(), 2);
}

#[test]
fn a_phone_sending_too_fast_is_told_to_wait() {
    let fx = Fixture::new("Rate");
    let limits = LiveLimits { phone_burst: 4.0, phone_per_second: 0.001, ..LiveLimits::default() };
    let (live, _events) = fx.start(LiveConfig { limits, ..Default::default() });
    let (address, page) = where_(&live);
    let mut phone = Phone::default();
    phone.get(address, &page);
    let post = format!("{page}answers");
    let mut statuses = Vec::new();
    for i in 0..6 {
        let reply = phone.post(address, &post, &form(&format!("r{i}"), None, &[(1, (i % 5) as u8)], &[], None), true);
        statuses.push(reply.status);
        if reply.status == 429 {
            assert!(reply.body.contains("too many requests from this phone"), "{}", reply.body);
        }
    }
    // The first save comes from a phone not yet in the round, so it counts against its address; then the phone's
    // own budget of 4.
    assert_eq!(statuses, vec![200, 200, 200, 200, 200, 429]);
    assert_eq!(live.participants()[0].submissions, 5, "refused requests wrote nothing");
    // Requests without a participant token are limited per address.
    let limits = LiveLimits { address_burst: 2.0, address_per_second: 0.001, ..LiveLimits::default() };
    let fx = Fixture::new("Rate by address");
    let (live, _events) = fx.start(LiveConfig { limits, ..Default::default() });
    let (address, page) = where_(&live);
    let codes: Vec<u16> = (0..3).map(|_| request(address, "GET", &page, &[], b"").status).collect();
    assert_eq!(codes, vec![200, 200, 429]);
}

#[test]
fn script_in_a_name_or_line_is_shown_as_text() {
    let fx = Fixture::new("<b>Round</b>");
    let (live, _events) = fx.start(LiveConfig::default());
    let (address, page) = where_(&live);
    let mut phone = Phone::default();
    let first = phone.get(address, &page);
    assert!(first.body.contains("<h1>&lt;b&gt;Round&lt;/b&gt;</h1>"), "the round's title is escaped too");
    let sub = first.submission().expect("form");
    let evil = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
    let reply =
        phone.post(address, &format!("{page}answers"), &form(&sub, Some(evil), &[(1, 1)], &[], Some(evil)), false);
    assert_eq!(reply.status, 303);
    let page_back = phone.get(address, &page);
    assert!(!page_back.body.contains("<script>alert"), "{}", page_back.body);
    assert!(!page_back.body.contains("<img"));
    assert!(
        page_back.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;")
    );
    // Stored as typed: escaping is the page's job.
    assert!(answers(&fx).iter().any(|a| a.3.as_deref() == Some(evil)));
    // The page's only script is the server's own file.
    assert_eq!(page_back.body.matches("<script").count(), 1);
    assert!(page_back.body.contains(&format!("<script src=\"{page}static/app.js\" defer></script>")));
}

#[test]
fn the_language_follows_the_phone_and_the_switch() {
    let fx = Fixture::new("Langues");
    let (live, _events) = fx.start(LiveConfig::default());
    let (address, page) = where_(&live);
    let mut phone = Phone { cookie: None, language: Some("el-GR,el;q=0.9,en;q=0.5".to_owned()) };
    let reply = phone.get(address, &page);
    assert!(reply.body.contains("<html lang=\"el\">"));
    assert!(reply.body.contains("Αυτοαξιολόγηση"));
    assert!(reply.body.contains("δική μας, όχι του ΟΟΣΑ"), "the translation is marked as ours");
    let switched = request(address, "GET", &format!("{page}?lang=sv"), &[("Accept-Language", "el")], b"");
    assert!(switched.body.contains("<html lang=\"sv\">") && switched.body.contains("Självskattning"));
    assert_eq!(switched.cookie("atlas_lang").as_deref(), Some("sv"));
    let english = request(address, "GET", &page, &[("Accept-Language", "ja")], b"");
    assert!(english.body.contains("<html lang=\"en\">"));
    assert!(english.body.contains("Vertical co-ordination and implementation at the right scale"));
    assert!(english.body.contains("<option value=\"Vienna\">"), "type-ahead from the atlas's cities");
}

#[test]
fn removing_closing_reopening_and_dropping() {
    let fx = Fixture::new("Controls");
    let (mut live, events) = fx.start(LiveConfig::default());
    let (address, page) = where_(&live);
    let post = format!("{page}answers");
    let mut spam = Phone::default();
    let sub = spam.get(address, &page).submission().expect("form");
    spam.post(address, &post, &form(&sub, Some("Spam"), &[(1, 0)], &[], Some("buy now")), false);
    let mut keeper = Phone::default();
    let sub = keeper.get(address, &page).submission().expect("form");
    keeper.post(address, &post, &form(&sub, Some("Athens"), &[(1, 4)], &[(6, 2)], Some("No shared data")), false);
    assert_eq!(live.counts(), integration_atlas::live::Counts { opened: 2, answered: 2 });
    // The facilitator shows one line, removes the spam.
    live.show_text("Athens", true).expect("shown");
    assert_eq!(live.word_list(), vec![("data".to_owned(), 1), ("shared".to_owned(), 1)]);
    live.remove_participant("Spam").expect("removed");
    assert!(answers(&fx).iter().all(|a| a.0 == "Athens"));
    assert!(spam.get(address, &page).body.contains("removed this phone"));
    let reply = spam.post(address, &post, &form("z", Some("Spam"), &[(1, 0)], &[], None), false);
    assert_eq!(reply.status, 403);
    assert!(events.try_iter().any(|e| e == LiveEvent::Removed { respondent: "Spam".to_owned() }));
    // Closing answering: nothing listens.
    live.close_answering();
    assert!(std::net::TcpStream::connect(address).is_err(), "nothing listens while answering is closed");
    assert!(live.urls().is_empty() && live.qr().is_none());
    // Reopening with a new token: the old links are 404, the phone keeps its answers.
    live.reopen_with_new_token().expect("reopened");
    let (address2, page2) = where_(&live);
    assert_ne!(page, page2);
    assert_eq!(request(address2, "GET", &page, &[], b"").status, 404);
    let back = keeper.get(address2, &page2);
    assert!(back.body.contains("value=\"Athens\"") && back.body.contains("name=\"s1\" value=\"4\" checked"));
    assert!(live.qr().is_some_and(|q| q.width >= 21));
    drop(live);
    assert!(std::net::TcpStream::connect(address2).is_err(), "the server stops when dropped");
    // A later start (another run of the app) finds the phone by its cookie.
    let (live, _events) = fx.start(LiveConfig::default());
    let (address3, page3) = where_(&live);
    let back = keeper.get(address3, &page3);
    assert!(back.body.contains("value=\"No shared data\""), "{}", back.body);
    assert_eq!(live.counts().answered, 1);
    assert!(live.participants()[0].text_shown);
}

#[test]
fn the_live_command_serves_logs_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    let mut child = Command::new(env!("CARGO_BIN_EXE_integration-atlas"))
        .arg("--db")
        .arg(&db)
        .args(["live", "--round", "Evening session", "--loopback-only", "--date", "2026-12-04"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut head = Vec::new();
    for line in lines.by_ref() {
        let line = line.expect("line");
        let done = line.starts_with("Answering is open");
        head.push(line);
        if done {
            break;
        }
    }
    let text = head.join("\n");
    assert!(text.contains("Live round \"Evening session\" (new round, held on 2026-12-04)"), "{text}");
    assert!(text.contains("Phones that cannot scan: open http://"), "{text}");
    assert!(head.iter().any(|l| l.starts_with("Join code: ")), "{text}");
    assert!(text.contains('█') || text.contains('▀'), "the QR code is printed");
    let url = head.iter().find_map(|l| l.trim().strip_prefix("http://")).expect("a URL").to_owned();
    let (host, path) = url.split_once('/').expect("path");
    let address: std::net::SocketAddr = host.parse().expect("address");
    let mut phone = Phone::default();
    let sub = phone.get(address, &format!("/{path}")).submission().expect("form");
    let reply =
        phone.post(address, &format!("/{path}answers"), &form(&sub, Some("Gothenburg"), &[(1, 2)], &[], None), false);
    assert_eq!(reply.status, 303);
    let mut log = Vec::new();
    for line in lines.by_ref() {
        let line = line.expect("line");
        let done = line.contains("answered: ");
        log.push(line);
        if done {
            break;
        }
    }
    assert!(log.iter().any(|l| l.contains("opened the page: 1 phone")), "{log:?}");
    assert!(
        log.last()
            .is_some_and(|l| l.contains("answered: Gothenburg: 1 score, 0 ticks (1 answered, 1 opened the page)")),
        "{log:?}"
    );
    let killed = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().expect("kill");
    assert!(killed.success());
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let status = child.wait().expect("exits");
    assert!(status.success(), "{status:?}");
    assert!(rest.iter().any(|l| l.starts_with("Stopped: 1 phone answered")), "{rest:?}");
    assert!(std::net::TcpStream::connect(address).is_err());
    let held_on: Option<String> = integration_atlas::store::Store::open(&db)
        .expect("db")
        .connection()
        .query_row("SELECT held_on FROM survey_rounds WHERE title = 'Evening session'", [], |r| r.get(0))
        .expect("round");
    assert_eq!(held_on.as_deref(), Some("2026-12-04"), "a round made from the command line has its date");
}

#[test]
fn an_acknowledged_answer_survives_sigkill() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    let mut child = Command::new(env!("CARGO_BIN_EXE_integration-atlas"))
        .arg("--db")
        .arg(&db)
        .args(["live", "--round", "Killed", "--loopback-only"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.trim().strip_prefix("http://").map(str::to_owned))
        .expect("a URL");
    // Keep reading its log, as a terminal would.
    let drain = std::thread::spawn(move || lines.map_while(Result::ok).count());
    let (host, path) = url.split_once('/').expect("path");
    let address: std::net::SocketAddr = host.parse().expect("address");
    let mut told_saved = Vec::new();
    for i in 0..5u8 {
        let mut phone = Phone::default();
        let sub = phone.get(address, &format!("/{path}")).submission().expect("form");
        let name = format!("Participant {i}");
        let reply =
            phone.post(address, &format!("/{path}answers"), &form(&sub, Some(&name), &[(3, i % 5)], &[], None), true);
        if reply.status == 200 {
            told_saved.push((name, f64::from(i % 5)));
        }
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("gone");
    drain.join().expect("log read");
    assert_eq!(told_saved.len(), 5);
    let store = integration_atlas::store::Store::open(&db).expect("the database opens after the kill");
    for (name, score) in told_saved {
        let value: f64 = store
            .connection()
            .query_row(
                "SELECT a.value_num FROM survey_answers a JOIN round_respondents r ON r.id = a.respondent
                 WHERE r.respondent_id = ?1 AND a.question_code = 'CL_SCORE_03'",
                [&name],
                |r| r.get(0),
            )
            .expect("an acknowledged answer is in the database");
        assert_eq!(value, score);
    }
}
