//! Phones in a real browser: Debian's Chromium, headless, driven through chromedriver (started here on a free
//! loopback port) with a phone-sized viewport. Three phones join by the round's URL and answer (one in English by
//! the button, one in French saving as it goes, one in Greek), one changes an answer, and a fourth with a bad
//! token is refused; the round in the database and the tally the window charts hold exactly their answers. (The
//! plain form without JavaScript is tested over HTTP in tests/live.rs: chromedriver cannot drive a page whose
//! scripts are turned off.)
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
    assert_eq!(live.counts(), integration_atlas::live::Counts { joined: 3, answered: 3 });

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
