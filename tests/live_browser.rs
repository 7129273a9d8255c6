//! Phones in a real browser: Debian's Chromium, headless, driven through chromedriver (started here on a free
//! loopback port) with a phone-sized viewport. Three phones join by the round's URL and answer (one in English by
//! the button, one in French saving as it goes, one in Greek), one changes an answer, and a fourth with a bad
//! token is refused; the round in the database and the tally the window charts hold exactly their answers. A fifth
//! phone has JavaScript turned off: chromedriver cannot drive such a page (its clicks run scripts), so that phone is
//! driven over Chromium's DevTools pipe with real mouse and keyboard events; it switches to German by the page's
//! link, answers and changes its answer with the plain form.
//! Chromium missing is a failure with a message saying what to install, never a silent skip.

mod live_support;

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use integration_atlas::analysis::rounds::summarize_atlas;
use integration_atlas::answers::catalogue;
use integration_atlas::live::LiveConfig;
use integration_atlas::live::tally::LiveTally;
use live_support::{Fixture, where_};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// chromedriver, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_driver() -> Driver {
    for (path, package) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")] {
        assert!(
            std::path::Path::new(path).exists(),
            "{path} is missing: install the Debian packages chromium and chromium-driver (apt-get install \
             chromium chromium-driver; see README, Tests). The real-browser test of live rounds needs {package}."
        );
    }
    let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).and_then(|l| l.local_addr()).expect("a free port").port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver { child, port };
    // Wait until it listens (a readiness wait, not a timing assertion).
    for _ in 0..300 {
        if TcpStream::connect(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).is_ok() {
            return driver;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("chromedriver did not start listening on port {port}");
}

/// A phone: a headless Chromium with its own profile, 390 × 844 CSS pixels.
async fn phone(driver: &Driver, profile: &std::path::Path, language: &str) -> Client {
    let args = vec![
        "--headless=new".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        "--no-first-run".to_owned(),
        "--no-default-browser-check".to_owned(),
        format!("--user-data-dir={}", profile.display()),
        format!("--lang={language}"),
        "--window-size=390,844".to_owned(),
    ];
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_owned(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": args,
            "prefs": { "intl.accept_languages": language },
            "mobileEmulation": { "deviceMetrics": { "width": 390, "height": 844, "pixelRatio": 3.0, "touch": true } },
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a Chromium session")
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.expect("click");
}

async fn type_into(c: &Client, id: &str, text: &str) {
    c.find(Locator::Id(id)).await.expect("field").send_keys(text).await.expect("typing");
}

/// Waits for the status line to say the answers were saved (class `ok`) and returns what it says.
async fn saved(c: &Client) -> String {
    let status =
        c.wait().at_most(Duration::from_secs(30)).for_element(Locator::Css("#status.ok")).await.expect("saved");
    status.text().await.expect("status text")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_phones_answer_in_a_real_browser() {
    let driver = start_driver();
    let fx = Fixture::new("Browser round");
    let (live, events) = fx.start(LiveConfig::default());
    let (address, path) = where_(&live);
    let url = format!("http://{address}{path}");
    let profiles = tempfile::tempdir().expect("profiles");

    // Phone 1: English, a known city, the button.
    let p1 = phone(&driver, &profiles.path().join("p1"), "en-GB").await;
    p1.goto(&url).await.expect("page");
    assert_eq!(
        p1.find(Locator::Css("html")).await.expect("html").attr("lang").await.expect("lang").as_deref(),
        Some("en")
    );
    type_into(&p1, "name", "Vienna").await;
    click(&p1, "input[name='s1'][value='3']").await;
    click(&p1, "input[name='s4'][value='1']").await;
    click(&p1, "input[name='t'][value='2-1']").await;
    click(&p1, "input[name='t'][value='0-4']").await;
    type_into(&p1, "text", "No shared data on arrivals").await;
    click(&p1, "button[type='submit']").await;
    let said = saved(&p1).await;
    assert!(said.starts_with("Saved."), "{said}");
    // Said again beside the button, where the thumb is, in the region screen readers announce.
    let near = p1.find(Locator::Css("#saved.ok")).await.expect("confirmation beside the button");
    assert_eq!(near.text().await.expect("text"), said);
    assert_eq!(near.attr("aria-live").await.expect("attr").as_deref(), Some("polite"));

    // Phone 2: French from the phone's language, anonymous, saves as it goes; then changes an answer.
    let p2 = phone(&driver, &profiles.path().join("p2"), "fr-FR").await;
    p2.goto(&url).await.expect("page");
    let heading = p2.find(Locator::Css("#scores")).await.expect("heading").text().await.expect("text");
    assert_eq!(heading, "Dans quelle mesure votre territoire atteint-il chaque objectif ?");
    click(&p2, "input[name='s1'][value='2']").await;
    let said = saved(&p2).await;
    assert!(said.starts_with("Enregistré."), "{said}");
    click(&p2, "input[name='s1'][value='0']").await;
    click(&p2, "input[name='t'][value='2-1']").await;
    saved(&p2).await;

    // Phone 3: Greek, a city typed in its own script, the button.
    let p3 = phone(&driver, &profiles.path().join("p3"), "el").await;
    p3.goto(&url).await.expect("page");
    type_into(&p3, "name", "Αθήνα").await;
    click(&p3, "input[name='s12'][value='4']").await;
    click(&p3, "button[type='submit']").await;
    saved(&p3).await;

    // Phone 4: a bad token is refused, and writes nothing.
    let p4 = phone(&driver, &profiles.path().join("p4"), "en").await;
    let token = live.token();
    let bad = url.replace(&token, &format!("{}x", &token[..token.len() - 1]));
    p4.goto(&bad).await.expect("page");
    let body = p4.find(Locator::Css("body")).await.expect("body").text().await.expect("text");
    assert_eq!(body.trim(), "Not found");
    assert!(p4.find(Locator::Css("form")).await.is_err(), "no form for a bad token");

    // Phone 1 comes back (same browser): its answers are there.
    p1.goto(&url).await.expect("page");
    let name = p1.find(Locator::Id("name")).await.expect("name").prop("value").await.expect("value");
    assert_eq!(name.as_deref(), Some("Vienna"));
    let checked = p1.find(Locator::Css("input[name='s1'][value='3']")).await.expect("radio").prop("checked").await;
    assert_eq!(checked.expect("prop").as_deref(), Some("true"));

    for c in [p1, p2, p3, p4] {
        c.close().await.expect("close");
    }
    drop(driver);
    assert_eq!(live.counts(), integration_atlas::live::Counts { opened: 3, answered: 3 });

    // The database holds exactly their answers.
    let store = fx.store();
    let set = store.load_answers(&catalogue(&fx.atlas)).expect("answers");
    let round = set.rounds.iter().position(|r| r.uuid == fx.round).expect("round");
    let mut got: Vec<(String, String, Option<f64>, Option<String>)> = set
        .answers
        .iter()
        .filter(|a| set.respondents[a.respondent as usize].round == round)
        .map(|a| {
            let r = &set.respondents[a.respondent as usize];
            (r.id.clone(), set.questions[a.question as usize].code.clone(), a.value_num, a.value_text.clone())
        })
        .collect();
    got.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let s = |r: &str, q: &str, v: f64| (r.to_owned(), q.to_owned(), Some(v), None);
    let expected = vec![
        s("Athens", "CL_SCORE_12", 4.0),
        s("Phone 2", "CL_SCORE_01", 0.0),
        s("Phone 2", "GAP_FUNDING_NATIONAL", 1.0),
        s("Vienna", "CL_SCORE_01", 3.0),
        s("Vienna", "CL_SCORE_04", 1.0),
        s("Vienna", "GAP_INFORMATION_MUNICIPAL", 1.0),
        s("Vienna", "GAP_FUNDING_NATIONAL", 1.0),
        ("Vienna".to_owned(), "LIVE_BLOCKER".to_owned(), None, Some("No shared data on arrivals".to_owned())),
    ];
    let mut expected = expected;
    expected.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    assert_eq!(got, expected);
    let country =
        |id: &str| set.respondents.iter().find(|r| r.round == round && r.id == id).and_then(|r| r.country.clone());
    assert_eq!((country("Vienna").as_deref(), country("Athens").as_deref()), (Some("AUT"), Some("GRC")));

    // The charts: the tally fed by the events equals the results computed from the database.
    let mut tally = LiveTally::from_set(&Default::default(), &fx.atlas, &fx.round);
    for event in events.try_iter() {
        tally.apply(&event);
    }
    let from_db = summarize_atlas(&set, &fx.atlas, &fx.round).expect("results");
    let live_results = tally.results();
    assert_eq!(tally.participants(), 3);
    assert_eq!(live_results.objectives, from_db.objectives);
    assert_eq!(live_results.gaps, from_db.gaps);
}

/// A phone with JavaScript turned off: a headless Chromium driven through its DevTools pipe (`--remote-debugging-pipe`,
/// two named pipes standing for file descriptors 3 and 4). chromedriver cannot drive such a page (its clicks run
/// scripts), but the DevTools protocol's DOM and input commands need none: clicks and typing are real input events.
struct NoScriptPhone {
    child: Child,
    to: std::fs::File,
    from: std::sync::mpsc::Receiver<serde_json::Value>,
    events: Vec<serde_json::Value>,
    next: u64,
    session: String,
    _pipes: tempfile::TempDir,
}

impl Drop for NoScriptPhone {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl NoScriptPhone {
    fn start(profile: &std::path::Path, language: &str) -> Self {
        assert!(std::path::Path::new(CHROMIUM).exists(), "{CHROMIUM} is missing: install the Debian package chromium");
        let pipes = tempfile::tempdir().expect("pipes");
        let (to_browser, from_browser) = (pipes.path().join("in"), pipes.path().join("out"));
        for fifo in [&to_browser, &from_browser] {
            let made = Command::new("mkfifo").arg(fifo).status().expect("mkfifo runs");
            assert!(made.success(), "mkfifo {}", fifo.display());
        }
        let script = format!(
            "exec {CHROMIUM} --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
             --disable-background-networking --disable-component-update --disable-sync --no-first-run \
             --no-default-browser-check --remote-debugging-pipe --blink-settings=scriptEnabled=false \
             --user-data-dir='{}' --lang={language} --window-size=390,844 about:blank 3<'{}' 4>'{}'",
            profile.display(),
            to_browser.display(),
            from_browser.display()
        );
        let child = Command::new("bash")
            .arg("-c")
            .arg(script)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromium starts");
        // The shell opens "in" for reading, then "out" for writing: open them in the same order.
        let to = std::fs::OpenOptions::new().write(true).open(&to_browser).expect("the pipe to the browser");
        let reader = std::fs::File::open(&from_browser).expect("the pipe from the browser");
        let (send, from) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead as _;
            let mut reader = std::io::BufReader::new(reader);
            let mut message = Vec::new();
            while reader.read_until(0, &mut message).is_ok_and(|n| n > 0) {
                message.pop();
                if let Ok(value) = serde_json::from_slice(&message)
                    && send.send(value).is_err()
                {
                    return;
                }
                message.clear();
            }
        });
        let mut phone =
            NoScriptPhone { child, to, from, events: Vec::new(), next: 0, session: String::new(), _pipes: pipes };
        let target = phone.call("Target.createTarget", serde_json::json!({ "url": "about:blank" }));
        let target = target["targetId"].as_str().expect("target").to_owned();
        let attached = phone.call("Target.attachToTarget", serde_json::json!({ "targetId": target, "flatten": true }));
        phone.session = attached["sessionId"].as_str().expect("session").to_owned();
        phone.call("Page.enable", serde_json::json!({}));
        phone
    }

    /// The next message from the browser (a readiness wait with a generous bound, not a timing assertion).
    fn receive(&mut self) -> serde_json::Value {
        self.from.recv_timeout(Duration::from_secs(60)).expect("the browser answers")
    }

    fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        use std::io::Write as _;
        self.next += 1;
        let mut message = serde_json::json!({ "id": self.next, "method": method, "params": params });
        if !self.session.is_empty() {
            message["sessionId"] = serde_json::Value::String(self.session.clone());
        }
        let mut bytes = serde_json::to_vec(&message).expect("json");
        bytes.push(0);
        self.to.write_all(&bytes).expect("sent to the browser");
        loop {
            let reply = self.receive();
            if reply["id"].as_u64() == Some(self.next) {
                assert!(reply.get("error").is_none(), "{method}: {}", reply["error"]);
                return reply["result"].clone();
            }
            self.events.push(reply);
        }
    }

    /// Waits for the page in this tab to finish loading.
    fn loaded(&mut self) {
        let is_load = |e: &serde_json::Value| e["method"] == "Page.loadEventFired";
        if let Some(i) = self.events.iter().position(is_load) {
            self.events.drain(..=i);
            return;
        }
        loop {
            let event = self.receive();
            if is_load(&event) {
                return;
            }
        }
    }

    fn open(&mut self, url: &str) {
        self.events.clear();
        self.call("Page.navigate", serde_json::json!({ "url": url }));
        self.loaded();
    }

    fn node(&mut self, selector: &str) -> u64 {
        let root = self.call("DOM.getDocument", serde_json::json!({ "depth": 0 }))["root"]["nodeId"].clone();
        let found = self.call("DOM.querySelector", serde_json::json!({ "nodeId": root, "selector": selector }));
        let id = found["nodeId"].as_u64().unwrap_or(0);
        assert!(id != 0, "no element {selector} on the page");
        id
    }

    fn html(&mut self, selector: &str) -> String {
        let node = self.node(selector);
        self.call("DOM.getOuterHTML", serde_json::json!({ "nodeId": node }))["outerHTML"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    /// A real click (mouse down and up) at the middle of the element.
    fn click(&mut self, selector: &str) {
        let node = self.node(selector);
        self.call("DOM.scrollIntoViewIfNeeded", serde_json::json!({ "nodeId": node }));
        let model = self.call("DOM.getBoxModel", serde_json::json!({ "nodeId": node }));
        let quad: Vec<f64> =
            model["model"]["border"].as_array().expect("box").iter().filter_map(|v| v.as_f64()).collect();
        let (x, y) = ((quad[0] + quad[4]) / 2.0, (quad[1] + quad[5]) / 2.0);
        for kind in ["mousePressed", "mouseReleased"] {
            let event = serde_json::json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 });
            self.call("Input.dispatchMouseEvent", event);
        }
    }

    /// Types into a field as a keyboard would (the field takes the focus first).
    fn type_into(&mut self, selector: &str, text: &str) {
        let node = self.node(selector);
        self.call("DOM.focus", serde_json::json!({ "nodeId": node }));
        self.call("Input.insertText", serde_json::json!({ "text": text }));
    }

    /// The words of the status line.
    fn status(&mut self) -> String {
        let html = self.html("#status");
        let start = html.find('>').map_or(0, |i| i + 1);
        html[start..].trim_end_matches("</p>").trim().to_owned()
    }
}

#[test]
fn a_phone_with_javascript_off_answers_and_changes_an_answer_with_the_plain_form() {
    let fx = Fixture::new("No script round");
    let (live, _events) = fx.start(LiveConfig::default());
    let (address, path) = where_(&live);
    let url = format!("http://{address}{path}");
    let profile = tempfile::tempdir().expect("profile");
    let mut phone = NoScriptPhone::start(profile.path(), "de-DE");
    phone.open(&url);
    // German chosen with the page's language switch (a plain link).
    phone.click("a[hreflang='de']");
    phone.loaded();
    assert!(phone.html("html").starts_with("<html lang=\"de\""), "the page in German");
    phone.type_into("#name", "Berlin");
    phone.click("input[name='s1'][value='2']");
    // With scripts on, a change says "not saved yet" at once; here nothing runs, so the status line stays empty.
    assert_eq!(phone.status(), "", "no script ran");
    phone.click("button[type='submit']");
    phone.loaded();
    let said = phone.status();
    assert!(said.starts_with("Gespeichert."), "{said}");
    assert!(phone.html("#status").contains("status ok"));
    // The answer can be changed the same way until answering closes.
    phone.click("input[name='s1'][value='4']");
    phone.click("button[type='submit']");
    phone.loaded();
    assert!(phone.status().starts_with("Gespeichert."));
    drop(phone);
    assert_eq!(live.counts(), integration_atlas::live::Counts { opened: 1, answered: 1 });
    let set = fx.store().load_answers(&catalogue(&fx.atlas)).expect("answers");
    let round = set.rounds.iter().position(|r| r.uuid == fx.round).expect("round");
    let got: Vec<(String, String, Option<f64>)> = set
        .answers
        .iter()
        .filter(|a| set.respondents[a.respondent as usize].round == round)
        .map(|a| {
            let r = &set.respondents[a.respondent as usize];
            (r.id.clone(), set.questions[a.question as usize].code.clone(), a.value_num)
        })
        .collect();
    assert_eq!(got, vec![("Berlin".to_owned(), "CL_SCORE_01".to_owned(), Some(4.0))]);
}

/// Waits until the phone's page shows the question `step` (its form says so). The page navigates by itself when
/// the facilitator moves on, so a query that the navigation aborts is asked again (a readiness wait, not a timing
/// assertion).
async fn on_step(c: &Client, step: &str) {
    let css = format!("form[data-step='{step}']");
    let start = std::time::Instant::now();
    loop {
        match c.find(Locator::Css(&css)).await {
            Ok(_) => return,
            Err(e) if start.elapsed() > Duration::from_secs(30) => panic!("the phone follows to {step}: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_facilitator_paces_three_phones_through_a_twelve_objective_round() {
    use integration_atlas::live::Step;
    let driver = start_driver();
    let fx = Fixture::new("Paced round");
    let (live, _events) = fx.start(LiveConfig::default());
    let (address, path) = where_(&live);
    let url = format!("http://{address}{path}");
    let profiles = tempfile::tempdir().expect("profiles");
    live.set_step(Some(Step::Objective(1)));
    let mut phones = Vec::new();
    for (i, lang) in ["en", "de", "el"].into_iter().enumerate() {
        let p = phone(&driver, &profiles.path().join(format!("paced{i}")), lang).await;
        p.goto(&url).await.expect("page");
        phones.push(p);
    }
    // Each question in turn: the phones show it alone, answer it, and follow when the facilitator moves on.
    for step in live.steps() {
        live.set_step(Some(step));
        for (i, p) in phones.iter().enumerate() {
            on_step(p, &step.code()).await;
            match step {
                Step::Objective(n) => {
                    let legends = p.find_all(Locator::Css("fieldset.score legend")).await.expect("legends");
                    assert_eq!(legends.len(), 1, "one question at a time");
                    click(p, &format!("input[name='s{n}'][value='{}']", (n as usize + i) % 5)).await;
                }
                Step::Gaps => click(p, &format!("input[name='t'][value='{i}-1']")).await,
                Step::Line => {
                    type_into(p, "text", &format!("Line from phone {i}")).await;
                    click(p, "button[type='submit']").await;
                }
            }
            saved(p).await;
            // For a person to look at: the German phone on objective 11 (its known words only), and on the gaps.
            if i == 1 && matches!(step, Step::Objective(11) | Step::Gaps) {
                let _ = std::fs::create_dir_all("target/look");
                if let Ok(png) = p.screenshot().await {
                    let _ = std::fs::write(format!("target/look/phone-paced-{}.png", step.code()), png);
                }
            }
        }
    }
    // Back to each at their own pace: the whole form, with everything each phone answered question by question.
    live.set_step(None);
    for (i, p) in phones.iter().enumerate() {
        p.wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("form:not([data-step]) fieldset.gap"))
            .await
            .expect("the whole form again");
        for n in [1usize, 7, 12] {
            let css = format!("input[name='s{n}'][value='{}']", (n + i) % 5);
            let checked = p.find(Locator::Css(&css)).await.expect("radio").prop("checked").await.expect("prop");
            assert_eq!(checked.as_deref(), Some("true"), "phone {i}, objective {n}");
        }
    }
    for p in phones {
        p.close().await.expect("close");
    }
    drop(driver);
    // The same survey answers as the self-paced form stores: 12 scores, one tick and the line per phone.
    let people = live.participants();
    assert_eq!(people.len(), 3);
    for p in &people {
        assert_eq!((p.scored, p.ticked), (12, 1), "{p:?}");
        assert!(p.text.as_deref().is_some_and(|t| t.starts_with("Line from phone")), "{p:?}");
    }
    let set = fx.store().load_answers(&catalogue(&fx.atlas)).expect("answers");
    let results = summarize_atlas(&set, &fx.atlas, &fx.round).expect("round");
    assert_eq!(results.respondents, 3);
    assert!(results.objectives.iter().all(|o| o.n() == 3), "every objective answered by the three phones");
}
