//! The live round keeps its promises exactly, with real sockets: the phone cap under a race of phones from distinct
//! addresses, page views that are not phones, refusals that say what happened, names and lines with hidden
//! characters, the join code typed at the short address, a removed phone coming back, the objectives' known words.

mod live_support;

use std::net::Ipv4Addr;

use integration_atlas::live::{LiveConfig, LiveLimits};
use live_support::{Fixture, Phone, form, request, request_from, where_};

/// The loopback address of simulated phone `i` (each phone its own, as in a room).
fn source(i: usize) -> Ipv4Addr {
    Ipv4Addr::new(127, 0, 1 + (i / 200) as u8, 1 + (i % 200) as u8)
}

#[test]
fn the_cap_holds_in_a_race_and_no_phone_told_saved_is_shut_out() {
    let fx = Fixture::new("Race");
    let limits = LiveLimits { max_participants: 20, ..LiveLimits::default() };
    let (live, _events) = fx.start(LiveConfig { limits, ..Default::default() });
    let (address, page) = where_(&live);
    let post = format!("{page}answers");
    // 26 phones open the page, then all save at once.
    let phones: Vec<(usize, Phone, String)> = (0..26)
        .map(|i| {
            let mut p = Phone::default();
            let sub = p.get_from(Some(source(i)), address, &page).submission().expect("every phone gets the form");
            (i, p, sub)
        })
        .collect();
    let results: Vec<(usize, Phone, u16, String)> = std::thread::scope(|s| {
        let handles: Vec<_> = phones
            .into_iter()
            .map(|(i, mut p, sub)| {
                let post = post.clone();
                s.spawn(move || {
                    let reply =
                        p.post_from(Some(source(i)), address, &post, &form(&sub, None, &[(1, 2)], &[], None), true);
                    (i, p, reply.status, reply.body)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("phone")).collect()
    });
    let saved: Vec<&(usize, Phone, u16, String)> = results.iter().filter(|r| r.2 == 200).collect();
    let refused: Vec<&(usize, Phone, u16, String)> = results.iter().filter(|r| r.2 == 403).collect();
    assert_eq!(saved.len(), 20, "exactly the cap is admitted");
    assert_eq!(refused.len(), 6);
    assert!(refused.iter().all(|r| r.3.contains("This round is full")), "{:?}", refused[0].3);
    assert_eq!(live.counts().answered, 20);
    assert_eq!(fx.store().live_phones(&fx.round).expect("phones").len(), 20, "the database holds the same 20");
    // Every phone that was told "Saved" changes its answers afterwards.
    for (i, phone, _, _) in saved {
        let mut phone = phone.clone();
        let reply = phone.post_from(
            Some(source(*i)),
            address,
            &post,
            &form(&format!("again{i}"), None, &[(1, 4)], &[], None),
            true,
        );
        assert_eq!(reply.status, 200, "phone {i}: {}", reply.body);
    }
}

#[test]
fn a_page_view_is_not_a_phone() {
    let fx = Fixture::new("Previews");
    let limits = LiveLimits { max_participants: 2, ..LiveLimits::default() };
    let (live, _events) = fx.start(LiveConfig { limits, ..Default::default() });
    let (address, page) = where_(&live);
    // Link previews and scanners fetch the page without a cookie, many times.
    for i in 0..30 {
        let reply = request_from(Some(source(i)), address, "GET", &page, &[], b"");
        assert_eq!(reply.status, 200);
        assert!(reply.body.contains("<form"), "the page shows the form to a visitor");
    }
    assert_eq!(live.counts().answered, 0);
    assert_eq!(live.counts().opened, 30, "counted as page views");
    // Two real phones still join, when they first save.
    for i in 100..102 {
        let mut p = Phone::default();
        let sub = p.get_from(Some(source(i)), address, &page).submission().expect("form");
        let reply = p.post_from(
            Some(source(i)),
            address,
            &format!("{page}answers"),
            &form(&sub, None, &[(1, 1)], &[], None),
            false,
        );
        assert_eq!(reply.status, 303, "{}", reply.body);
    }
    assert_eq!(live.counts().answered, 2);
    // Now the round is full: a new visitor is told so, and gets no form.
    let reply = request_from(Some(source(150)), address, "GET", &page, &[], b"");
    assert!(reply.body.contains("This round is full") && !reply.body.contains("<form"), "{}", reply.body);
}

#[test]
fn each_refusal_says_what_happened_even_without_a_cookie() {
    let fx = Fixture::new("Refusals");
    let limits = LiveLimits { address_burst: 3.0, address_per_second: 0.001, ..LiveLimits::default() };
    let (live, _events) = fx.start(LiveConfig { limits, ..Default::default() });
    let (address, page) = where_(&live);
    let post = format!("{page}answers");
    // A body too large, from a phone without a cookie.
    let huge = form("s1", None, &[(1, 1)], &[], Some(&"x".repeat(20_000)));
    let headers = [("Content-Type", "application/x-www-form-urlencoded")];
    let reply = request_from(Some(source(1)), address, "POST", &post, &headers, huge.as_bytes());
    assert_eq!(reply.status, 413);
    assert!(
        reply.body.contains("your answers are too long") && !reply.body.contains("This round is full"),
        "{}",
        reply.body
    );
    // Too many requests from one address without a cookie.
    let mut last = None;
    for _ in 0..6 {
        last = Some(request_from(Some(source(2)), address, "GET", &page, &[], b""));
    }
    let reply = last.expect("reply");
    assert_eq!(reply.status, 429);
    assert!(reply.body.contains("too many requests") && !reply.body.contains("This round is full"), "{}", reply.body);
    assert!(fx.store().live_phones(&fx.round).expect("phones").is_empty(), "nothing written");
    drop(live);
}

#[test]
fn names_and_lines_with_hidden_characters_are_refused_and_said() {
    let fx = Fixture::new("Hidden");
    let (live, _events) = fx.start(LiveConfig::default());
    let (address, page) = where_(&live);
    let post = format!("{page}answers");
    let mut phone = Phone::default();
    let sub = phone.get(address, &page).submission().expect("form");
    for (name, text) in [
        (Some("Evil\u{202e}gnp.exe"), None),
        (Some("Vi\u{200b}enna"), None),
        (None, Some("Funding \u{2066}rules\u{2069}")),
        (None, Some("a\u{feff}b")),
    ] {
        let reply = phone.post(address, &post, &form(&sub, name, &[(1, 1)], &[], text), false);
        assert_eq!(reply.status, 400, "{name:?} {text:?}");
        assert!(reply.body.contains("invisible character"), "{}", reply.body);
    }
    assert!(fx.store().live_phones(&fx.round).expect("phones").is_empty(), "nothing written");
    // In French too.
    phone.language = Some("fr".to_owned());
    let reply = phone.post(address, &post, &form(&sub, Some("Evil\u{202e}x"), &[], &[], None), false);
    assert!(reply.body.contains("caractère invisible"), "{}", reply.body);
    // A plain name is stored as typed.
    let reply = phone.post(address, &post, &form(&sub, Some("Ana Müller"), &[(1, 1)], &[], None), false);
    assert_eq!(reply.status, 303);
    assert_eq!(live.participants()[0].respondent, "Ana Müller");
}

#[test]
fn a_phone_that_cannot_scan_types_the_join_code_at_the_short_address() {
    let fx = Fixture::new("Short");
    let (live, _events) = fx.start(LiveConfig::default());
    let (address, page) = where_(&live);
    assert!(live.short_urls().iter().all(|u| u.ends_with(&format!(":{}/", address.port()))), "{:?}", live.short_urls());
    let short = request(address, "GET", "/", &[("Accept-Language", "de")], b"");
    assert_eq!(short.status, 200);
    assert!(
        short.body.contains("Code auf dem Bildschirm") && short.body.contains("action=\"/join\""),
        "{}",
        short.body
    );
    assert!(!short.body.contains(&live.token()), "the short page does not give the link away");
    assert_eq!(request(address, "GET", "/static/style.css", &[], b"").status, 200);
    // A wrong code is refused and said; the right one leads to the round's page.
    let code = live.join_code();
    let wrong = if code == "0000" { "1111" } else { "0000" };
    let reply = request(address, "GET", &format!("/join?code={wrong}"), &[], b"");
    assert_eq!(reply.status, 403);
    assert!(reply.body.contains("not the code on the screen"), "{}", reply.body);
    let reply = request(address, "GET", &format!("/join?code={code}"), &[], b"");
    assert_eq!(reply.status, 303);
    assert_eq!(reply.header("location"), Some(page.as_str()));
    // The short address keeps the other rules: another Host is refused, and only GET is open.
    assert_eq!(request(address, "GET", "/", &[("Host", "evil.example")], b"").status, 421);
    assert_eq!(request(address, "POST", "/join", &[], b"code=1").status, 404);
}

#[test]
fn a_removed_phone_that_comes_back_under_another_name_is_shown_to_the_facilitator() {
    let fx = Fixture::new("Spam");
    let (live, _events) = fx.start(LiveConfig::default());
    let (address, page) = where_(&live);
    let post = format!("{page}answers");
    let mut spam = Phone::default();
    let sub = spam.get_from(Some(source(7)), address, &page).submission().expect("form");
    spam.post_from(Some(source(7)), address, &post, &form(&sub, Some("Spam"), &[(1, 0)], &[], None), false);
    live.remove_participant("Spam").expect("removed");
    // Same phone, cookies cleared, another name.
    let mut again = Phone::default();
    let sub = again.get_from(Some(source(7)), address, &page).submission().expect("form");
    let reply =
        again.post_from(Some(source(7)), address, &post, &form(&sub, Some("Honest"), &[(1, 0)], &[], None), false);
    assert_eq!(reply.status, 303);
    // Another phone is not flagged.
    let mut other = Phone::default();
    let sub = other.get_from(Some(source(8)), address, &page).submission().expect("form");
    other.post_from(Some(source(8)), address, &post, &form(&sub, Some("Other"), &[(1, 3)], &[], None), false);
    let people = live.participants();
    let flag = |name: &str| people.iter().find(|p| p.respondent == name).expect(name).rejoined.clone();
    assert_eq!(flag("Honest").as_deref(), Some("Spam"));
    assert_eq!(flag("Other"), None);
}

#[test]
fn the_phone_page_gives_only_the_known_words_of_objectives_11_and_12_in_every_language() {
    let fx = Fixture::new("Wording");
    let (live, _events) = fx.start(LiveConfig::default());
    let (address, page) = where_(&live);
    for lang in ["en", "fr", "de", "es", "it", "el", "sv", "nl"] {
        let body = request(address, "GET", &format!("{page}?lang={lang}"), &[], b"").body;
        let legend = |n: u8| {
            let at = body.find(&format!("<legend>{n}. ")).unwrap_or_else(|| panic!("{lang}: objective {n}"));
            body[at..at + body[at..].find("</legend>").expect("end")].to_owned()
        };
        let eleven = legend(11);
        assert!(eleven.contains('…') && eleven.contains('('), "{lang}: {eleven}");
        assert!(legend(12).contains('('), "{lang}: {}", legend(12));
        assert!(!body.contains("cut off") && !body.contains("never seen"), "{lang}: research notes on the page");
    }
}

#[test]
fn the_confirmation_is_beside_the_save_button_and_announced() {
    let fx = Fixture::new("Thumb");
    let (live, _events) = fx.start(LiveConfig::default());
    let (address, page) = where_(&live);
    let mut phone = Phone::default();
    let sub = phone.get(address, &page).submission().expect("form");
    let reply = phone.post(address, &format!("{page}answers"), &form(&sub, None, &[(1, 2)], &[], None), false);
    let location = reply.header("location").expect("redirect").to_owned();
    assert!(location.ends_with("#saved"), "the page opens at the confirmation: {location}");
    let body = phone.get(address, location.trim_end_matches("#saved")).body;
    let button = body.find("<button type=\"submit\">").expect("button");
    let near = body.find("<p id=\"saved\"").expect("confirmation");
    assert!(near > button, "after the button");
    let p = &body[near..near + body[near..].find("</p>").expect("end")];
    assert!(p.contains("aria-live=\"polite\"") && p.contains("Saved."), "{p}");
}
