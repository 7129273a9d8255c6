//! The HTTP side of a live round (axum on tokio, HTTP/1.1 only): the participant page, its two static files and the
//! answers form, all under the URL token; anything else is a 404. Headers on every response: a strict
//! `Content-Security-Policy` (only this server's own style sheet and script, no inline code), no caching, no
//! referrer, no framing, no MIME sniffing.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::i18n::Lang;
use super::page::{self, MAX_NAME_CHARS, MAX_TEXT_CHARS, PageData, Status};
use super::{
    LiveError, LiveEvent, PHONE_TOKEN_CHARS, Phone, PhoneAnswers, RoundForm, Running, Shared, Step, conns, lock,
};
use atlas_core::answer_format::{BLOCKER_CODE, ROUND_LEVELS, gap_code, score_code};
use atlas_core::dataset::GAP_TYPES;
use atlas_store::live::{Submission, SubmitOutcome};

const STYLE: &str = include_str!("../../../assets/live/style.css");
const SCRIPT: &str = include_str!("../../../assets/live/app.js");
const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; \
                   form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/// The cookies: the phone's participant token and its chosen language.
const PHONE_COOKIE: &str = "atlas_phone";
const LANG_COOKIE: &str = "atlas_lang";
/// Rate-limit buckets kept at most (the oldest full ones go first).
const MAX_BUCKETS: usize = 10_000;

/// Token buckets per client: a phone by its participant token, else the client's address.
#[derive(Default)]
pub(super) struct RateLimiter {
    buckets: HashMap<String, (f64, Instant)>,
}

impl RateLimiter {
    /// Takes one request from `key`'s bucket; `false` when it is empty.
    fn allow(&mut self, key: &str, burst: f64, per_second: f64) -> bool {
        let now = Instant::now();
        if self.buckets.len() >= MAX_BUCKETS && !self.buckets.contains_key(key) {
            // Buckets that have refilled are the same as no bucket.
            self.buckets.retain(|_, (level, at)| *level + at.elapsed().as_secs_f64() * per_second < burst);
            if self.buckets.len() >= MAX_BUCKETS {
                return false;
            }
        }
        let (level, at) = self.buckets.entry(key.to_owned()).or_insert((burst, now));
        *level = (*level + now.duration_since(*at).as_secs_f64() * per_second).min(burst);
        *at = now;
        if *level >= 1.0 {
            *level -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Starts serving `listeners` on a thread of its own; returns once the runtime is up.
pub(super) fn serve(shared: Arc<Shared>, listeners: Vec<std::net::TcpListener>) -> Result<Running, LiveError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(4)
        .thread_name("live-round")
        .enable_all()
        .build()
        .map_err(|e| LiveError::Runtime(e.to_string()))?;
    *lock(&shared.hosts) = listeners.iter().filter_map(|l| l.local_addr().ok()).flat_map(hosts_of).collect();
    let app = router(shared.clone());
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut tokio_listeners = Vec::new();
    {
        let _guard = runtime.enter();
        for l in listeners {
            tokio_listeners.push(tokio::net::TcpListener::from_std(l).map_err(|e| LiveError::Runtime(e.to_string()))?);
        }
    }
    let thread = std::thread::Builder::new()
        .name("live-round".to_owned())
        .spawn(move || {
            runtime.block_on(async move {
                let mut tasks = tokio::task::JoinSet::new();
                for listener in tokio_listeners {
                    let (limits, conns) = (shared.limits.clone(), shared.conns.clone());
                    tasks.spawn(conns::accept_loop(listener, app.clone(), limits, conns, stopped.clone()));
                }
                // Each loop stops accepting when told, then waits a moment for its requests under way (their
                // answers are committed or not written at all).
                while tasks.join_next().await.is_some() {}
            });
            runtime.shutdown_timeout(Duration::from_millis(500));
        })
        .map_err(|e| LiveError::Runtime(e.to_string()))?;
    Ok(Running { addresses: Vec::new(), stop, thread: Some(thread) })
}

/// The `Host` values that name `address`: the address with its port, and `localhost` for loopback.
fn hosts_of(address: SocketAddr) -> Vec<String> {
    let port = address.port();
    let mut hosts = vec![address.to_string()];
    if address.ip().is_loopback() {
        hosts.push(format!("localhost:{port}"));
    }
    hosts
}

fn router(shared: Arc<Shared>) -> Router {
    let l = &shared.limits;
    let (limit, body_timeout, request_timeout) = (l.max_body, l.body_timeout, l.request_timeout);
    let routes = Router::new()
        .route("/{token}/", get(page_get))
        .route("/{token}/answers", axum::routing::post(answers_post).get(answers_get))
        .route("/{token}/static/style.css", get(style))
        .route("/{token}/static/app.js", get(script))
        .route("/{token}/step", get(step_get))
        .route("/", get(short_page))
        .route("/join", get(short_join))
        .route("/static/style.css", get(open_style))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limit))
        .with_state(shared.clone());
    // The gate and the limits wrap the routes whole, so that they act before any route is chosen (a layer on
    // the routes' router would run after it, and a wrong token would still learn the routes' methods).
    Router::new()
        .fallback_service(routes)
        .layer(tower_http::timeout::RequestBodyDeadlineLayer::new(body_timeout))
        .layer(axum::middleware::from_fn_with_state(shared.clone(), gate))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, request_timeout))
        .layer(axum::middleware::map_response(secure_headers))
        .with_state(shared)
}

/// Before any route: the `Host` must name an address this round serves (a page of another site that a DNS
/// rebinding points at this machine is refused), and the path must start with the URL token — a wrong token is a
/// bare 404 whatever the method, so it learns nothing, not even which routes exist.
async fn gate(State(shared): State<Arc<Shared>>, request: axum::extract::Request, next: Next) -> Response {
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    let known = lock(&shared.hosts).iter().any(|h| h.eq_ignore_ascii_case(host));
    if !known {
        return (
            StatusCode::MISDIRECTED_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Unknown host\n",
        )
            .into_response();
    }
    let path = request.uri().path();
    if SHORT_PATHS.contains(&path) && request.method() == axum::http::Method::GET {
        return next.run(request).await;
    }
    let first = path.trim_start_matches('/').split('/').next().unwrap_or_default();
    if !token_ok(&shared, first) {
        return not_found().await;
    }
    next.run(request).await
}

/// The paths open without the URL token: the short address where a phone that cannot scan types the join code,
/// and the style sheet it shares with the page (nothing secret in either).
const SHORT_PATHS: [&str; 3] = ["/", "/join", "/static/style.css"];
/// Wrong join codes accepted before the short address stops taking codes (until the next "New link", which draws a
/// new code): 10,000 codes would otherwise be guessed in time from enough addresses.
const MAX_WRONG_CODES: u32 = 200;

async fn secure_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "Not found\n").into_response()
}

/// Compares the URL token without an early exit.
fn token_ok(shared: &Shared, given: &str) -> bool {
    let token = shared.token();
    let (a, b) = (token.as_bytes(), given.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// The phone's language: the switch's choice, else its cookie, else the browser's languages.
fn language(headers: &HeaderMap, chosen: Option<&str>) -> Lang {
    chosen.and_then(Lang::parse).or_else(|| cookie(headers, LANG_COOKIE).and_then(Lang::parse)).unwrap_or_else(|| {
        Lang::from_accept_language(
            headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default(),
        )
    })
}

/// The participant token in the cookie when it is one this server could have issued (known to the room or not).
fn cookie_token(headers: &HeaderMap) -> Option<&str> {
    cookie(headers, PHONE_COOKIE)
        .filter(|t| t.len() == PHONE_TOKEN_CHARS && t.bytes().all(|b| super::TOKEN_ALPHABET.contains(&b)))
}

/// A known participant token from the cookie (a phone that saved, or one that was removed).
fn known_phone(shared: &Shared, headers: &HeaderMap) -> Option<String> {
    let token = cookie_token(headers)?;
    let room = lock(&shared.room);
    (room.phones.contains_key(token) || room.removed.contains(token)).then(|| token.to_owned())
}

/// Takes a request from the client's budget: its phone's, else its address's.
fn rate_ok(shared: &Shared, phone: Option<&str>, address: IpAddr) -> bool {
    let l = &shared.limits;
    let mut room = lock(&shared.room);
    match phone {
        Some(token) => room.limiter.allow(&format!("p:{token}"), l.phone_burst, l.phone_per_second),
        None => room.limiter.allow(&format!("a:{address}"), l.address_burst, l.address_per_second),
    }
}

fn html(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

fn with_cookie(mut response: Response, name: &str, value: &str) -> Response {
    let cookie = format!("{name}={value}; Path=/; Max-Age=172800; HttpOnly; SameSite=Strict");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// The page for a phone: its form with its answers (empty for a phone that has not saved yet), or the message
/// saying why it may not answer. A refusal in `status` is said as it is (a rate limit is not "the round is full").
fn page_for(shared: &Shared, phone: Option<&str>, lang: Lang, status: Status) -> String {
    let token = shared.token();
    let join_code = lock(&shared.join_code).clone();
    let empty = shared.form.empty_answers();
    let room = lock(&shared.room);
    let submission = super::random_token(12);
    let t = lang.texts();
    let (status, answers) = match phone.and_then(|t| room.phones.get(t)) {
        Some(p) => (status, Some((&p.answers, p.name.as_str()))),
        None if phone.is_some_and(|t| room.removed.contains(t)) => (Status::Refused(t.removed), None),
        None if matches!(status, Status::Refused(_)) => (status, None),
        None if !room.open => (Status::Refused(t.closed), None),
        None if room.phones.len() >= shared.limits.max_participants => (Status::Refused(t.full), None),
        // Not a phone of the round yet: it joins when it first saves.
        None => (status, Some((&empty, ""))),
    };
    let steps = shared.form.steps();
    let step = room.step.and_then(|s| steps.iter().position(|x| *x == s).map(|i| (s, i + 1, steps.len())));
    page::render(&PageData {
        form: &shared.form,
        token: &token,
        join_code: &join_code,
        lang,
        answers,
        submission: &submission,
        status,
        revealed: room.revealed,
        step,
    })
}

/// Why a phone may not join.
enum NoRoom {
    Closed,
    Full,
    Removed,
}

/// Admits the phone `token` that saves for the first time, if the round has room. The cap is checked and the
/// place taken under the room's lock, before its answers are written: no phone told "Saved" can be pushed out by
/// others joining at the same moment (the store checks the cap again in the transaction that writes).
fn admit(shared: &Shared, token: &str, address: IpAddr) -> Result<(), NoRoom> {
    let mut room = lock(&shared.room);
    if !room.open {
        return Err(NoRoom::Closed);
    }
    if room.removed.contains(token) {
        return Err(NoRoom::Removed);
    }
    if room.phones.contains_key(token) {
        return Ok(());
    }
    if room.phones.len() >= shared.limits.max_participants {
        return Err(NoRoom::Full);
    }
    room.joins += 1;
    let joined_at = room.joins;
    let rejoined = room.removed_addresses.get(&address).cloned();
    room.phones.insert(
        token.to_owned(),
        Phone {
            respondent: None,
            name: String::new(),
            answers: shared.form.empty_answers(),
            submissions: 0,
            last_submission: None,
            text_shown: false,
            joined_at,
            address: Some(address),
            rejoined,
        },
    );
    Ok(())
}

/// Why the phone's submission may not be written, if it may not: answering closed, the phone removed, or too many
/// changes (a retry of the last one is not a change).
fn refusal(shared: &Shared, phone: &str, parsed: &Parsed, t: &'static super::i18n::Texts) -> Option<&'static str> {
    let room = lock(&shared.room);
    if !room.open {
        return Some(t.closed);
    }
    if room.removed.contains(phone) {
        return Some(t.removed);
    }
    match room.phones.get(phone) {
        None => Some(t.full),
        Some(p)
            if p.submissions >= shared.limits.max_submissions
                && p.last_submission.as_deref() != Some(submission_key(parsed).as_str()) =>
        {
            Some(t.too_many_changes)
        }
        Some(_) => None,
    }
}

/// Gives back the place of a phone admitted for a save that was not written.
fn unadmit(shared: &Shared, token: &str) {
    let mut room = lock(&shared.room);
    if room.phones.get(token).is_some_and(|p| p.respondent.is_none()) {
        room.phones.remove(token);
    }
}

#[derive(serde::Deserialize)]
struct PageQuery {
    lang: Option<String>,
    saved: Option<String>,
}

async fn page_get(
    State(shared): State<Arc<Shared>>,
    Path(token): Path<String>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    if !token_ok(&shared, &token) {
        return not_found().await;
    }
    let phone = known_phone(&shared, &headers);
    let lang = language(&headers, query.lang.as_deref());
    if !rate_ok(&shared, phone.as_deref(), client.ip()) {
        return html(StatusCode::TOO_MANY_REQUESTS, page_for(&shared, None, lang, Status::Refused(lang.texts().rate)));
    }
    // A page view is not a phone of the round (link previews and scanners fetch pages too): a first visit gets a
    // participant token in its cookie and is counted as having opened the page; it joins when it first saves.
    let new_token = cookie_token(&headers).is_none().then(|| super::random_token(PHONE_TOKEN_CHARS));
    if new_token.is_some() {
        let opened = {
            let mut room = lock(&shared.room);
            room.opened += 1;
            room.opened
        };
        shared.send(LiveEvent::Joined { joined: opened });
    }
    let status = if query.saved.is_some() { Status::Saved } else { Status::None };
    let mut response = html(StatusCode::OK, page_for(&shared, phone.as_deref(), lang, status));
    if let Some(token) = new_token {
        response = with_cookie(response, PHONE_COOKIE, &token);
    }
    if let Some(l) = query.lang.as_deref().and_then(Lang::parse) {
        response = with_cookie(response, LANG_COOKIE, l.code());
    }
    response
}

#[derive(serde::Deserialize)]
struct JoinQuery {
    code: Option<String>,
}

/// The short address (`http://<address>:<port>/`): a phone that cannot scan types the code on the screen.
async fn short_page(headers: HeaderMap) -> Response {
    let lang = language(&headers, None);
    html(StatusCode::OK, page::join_page(lang, None))
}

/// The code typed at the short address: the right one goes on to the round's page.
async fn short_join(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Query(query): Query<JoinQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = language(&headers, None);
    let t = lang.texts();
    if !rate_ok(&shared, None, client.ip()) {
        return html(StatusCode::TOO_MANY_REQUESTS, page::join_page(lang, Some(t.rate)));
    }
    let typed: String = query.code.unwrap_or_default().chars().filter(char::is_ascii_digit).take(8).collect();
    let right = lock(&shared.join_code).clone();
    let mut room = lock(&shared.room);
    if room.wrong_codes >= MAX_WRONG_CODES {
        drop(room);
        return html(StatusCode::FORBIDDEN, page::join_page(lang, Some(t.codes_off)));
    }
    if typed.len() != right.len() || typed != right {
        room.wrong_codes += 1;
        drop(room);
        shared.send(LiveEvent::Refused { reason: "a wrong join code was typed at the short address" });
        return html(StatusCode::FORBIDDEN, page::join_page(lang, Some(t.wrong_code)));
    }
    drop(room);
    (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/{}/", shared.token()))]).into_response()
}

/// The question the room is on (`{"step":"o3"}`, `null` when self-paced): a paced page asks every few seconds and
/// follows when it changes.
async fn step_get(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let phone = known_phone(&shared, &headers);
    if !rate_ok(&shared, phone.as_deref(), client.ip()) {
        return json_reply(StatusCode::TOO_MANY_REQUESTS, false, language(&headers, None).texts().rate, None);
    }
    let step = lock(&shared.room).step.map(Step::code);
    let body = serde_json::json!({ "step": step });
    ([(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

async fn open_style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}

/// A GET of the form's address (a reload after a refusal): back to the page.
async fn answers_get(State(shared): State<Arc<Shared>>, Path(token): Path<String>) -> Response {
    if !token_ok(&shared, &token) {
        return not_found().await;
    }
    (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/{token}/"))]).into_response()
}

async fn style(State(shared): State<Arc<Shared>>, Path(token): Path<String>) -> Response {
    if !token_ok(&shared, &token) {
        return not_found().await;
    }
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}

async fn script(State(shared): State<Arc<Shared>>, Path(token): Path<String>) -> Response {
    if !token_ok(&shared, &token) {
        return not_found().await;
    }
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SCRIPT).into_response()
}

/// A submission, checked.
struct Parsed {
    name: Option<String>,
    answers: PhoneAnswers,
    submission: String,
    lang: Option<Lang>,
    /// The one question a paced page sent (its other answers are kept as they were).
    step: Option<Step>,
}

/// Checks a submitted form against the round; the refusal is the message to show.
fn parse_form(form: &RoundForm, body: &[u8], max_fields: usize, lang: Lang) -> Result<Parsed, &'static str> {
    let t = lang.texts();
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).map_err(|_| t.bad_form)?;
    if pairs.len() > max_fields {
        return Err(t.bad_form);
    }
    let mut answers = form.empty_answers();
    let mut name = None;
    let mut submission = None;
    let mut chosen = None;
    let mut step = None;
    let mut seen_scores = vec![false; form.objectives.len()];
    for (key, value) in pairs {
        match key.as_str() {
            "name" => {
                if name.is_some() {
                    return Err(t.bad_form);
                }
                let v = value.trim();
                if v.chars().count() > MAX_NAME_CHARS {
                    return Err(t.name_too_long);
                }
                if atlas_core::input::invisible_char(v).is_some() {
                    return Err(t.invisible);
                }
                name = Some(v.to_owned());
            }
            "text" => {
                if answers.text.is_some() {
                    return Err(t.bad_form);
                }
                let v = value.trim();
                if v.chars().count() > MAX_TEXT_CHARS {
                    return Err(t.text_too_long);
                }
                if atlas_core::input::invisible_char(v).is_some() {
                    return Err(t.invisible);
                }
                answers.text = Some(v.to_owned());
            }
            "sub" => {
                if value.is_empty() || value.len() > 40 || !value.chars().all(|c| c.is_ascii_alphanumeric()) {
                    return Err(t.bad_form);
                }
                submission = Some(value);
            }
            "lang" => chosen = Lang::parse(&value),
            "step" => {
                let parsed = Step::parse(&value).filter(|s| form.steps().contains(s)).ok_or(t.bad_form)?;
                if step.replace(parsed).is_some() {
                    return Err(t.bad_form);
                }
            }
            "t" => {
                let (g, l) = value.split_once('-').ok_or(t.bad_form)?;
                let (g, l): (usize, usize) = (g.parse().map_err(|_| t.bad_form)?, l.parse().map_err(|_| t.bad_form)?);
                if g >= form.gaps || l >= form.levels {
                    return Err(t.bad_form);
                }
                answers.ticks[g * form.levels + l] = true;
            }
            k => {
                let number: i64 = k.strip_prefix('s').and_then(|n| n.parse().ok()).ok_or(t.bad_form)?;
                let i = form.objectives.iter().position(|(n, _)| *n == number).ok_or(t.bad_form)?;
                if std::mem::replace(&mut seen_scores[i], true) {
                    return Err(t.bad_form);
                }
                answers.scores[i] = match value.trim() {
                    "" => None,
                    v => match v.parse::<u8>() {
                        Ok(s) if s <= 4 => Some(s),
                        _ => return Err(t.bad_score),
                    },
                };
            }
        }
    }
    if answers.text.as_deref() == Some("") {
        answers.text = None;
    }
    Ok(Parsed {
        name: name.filter(|n| !n.is_empty()),
        answers,
        submission: submission.ok_or(t.bad_form)?,
        lang: chosen,
        step,
    })
}

/// The submission's id with a digest of what it says: a retry (same id, same answers) is recognised and not written
/// again, while the same id with changed answers (a form edited after its save was lost) is written.
fn submission_key(p: &Parsed) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (&p.name, &p.answers.scores, &p.answers.ticks, &p.answers.text).hash(&mut h);
    format!("{}:{:016x}", p.submission, h.finish())
}

/// The answers as stored rows turned back into a phone's answers (unknown codes are left out).
pub(super) fn answers_from_rows(form: &RoundForm, rows: &[(String, Option<f64>, Option<String>)]) -> PhoneAnswers {
    let mut answers = form.empty_answers();
    let scores: HashMap<String, usize> =
        form.objectives.iter().enumerate().map(|(i, (n, _))| (score_code(*n), i)).collect();
    let mut ticks: HashMap<String, usize> = HashMap::new();
    for (g, gap) in GAP_TYPES.iter().enumerate() {
        for (l, level) in ROUND_LEVELS.iter().enumerate() {
            ticks.insert(gap_code(gap, level), g * form.levels + l);
        }
    }
    for (code, num, text) in rows {
        if let Some(i) = scores.get(code) {
            answers.scores[*i] = num.filter(|v| (0.0..=4.0).contains(v)).map(|v| v.round() as u8);
        } else if let Some(i) = ticks.get(code) {
            answers.ticks[*i] = num.is_some_and(|v| v >= 0.5);
        } else if code == BLOCKER_CODE {
            answers.text = text.clone();
        }
    }
    answers
}

/// A refusal: the page again (or JSON for the script), with the message; nothing written.
fn refuse(
    shared: &Shared,
    json: bool,
    phone: Option<&str>,
    lang: Lang,
    code: StatusCode,
    message: &'static str,
) -> Response {
    shared.send(LiveEvent::Refused { reason: message });
    if json {
        return json_reply(code, false, message, None);
    }
    html(code, page_for(shared, phone, lang, Status::Refused(message)))
}

fn json_reply(code: StatusCode, ok: bool, message: &str, next: Option<&str>) -> Response {
    let body = serde_json::json!({ "ok": ok, "message": message, "sub": next });
    (code, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

async fn answers_post(
    State(shared): State<Arc<Shared>>,
    Path(token): Path<String>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let arrived = Instant::now();
    if !token_ok(&shared, &token) {
        return not_found().await;
    }
    let json =
        headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("application/json"));
    let phone = known_phone(&shared, &headers);
    let lang = language(&headers, None);
    let t = lang.texts();
    if !rate_ok(&shared, phone.as_deref(), client.ip()) {
        return refuse(&shared, json, phone.as_deref(), lang, StatusCode::TOO_MANY_REQUESTS, t.rate);
    }
    let body = match body {
        Ok(b) => b,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return refuse(&shared, json, phone.as_deref(), lang, StatusCode::PAYLOAD_TOO_LARGE, t.too_large);
        }
        Err(_) => return refuse(&shared, json, phone.as_deref(), lang, StatusCode::BAD_REQUEST, t.bad_form),
    };
    let mut parsed = match parse_form(&shared.form, &body, shared.limits.max_fields, lang) {
        Ok(p) => p,
        Err(message) => return refuse(&shared, json, phone.as_deref(), lang, StatusCode::BAD_REQUEST, message),
    };
    let lang = parsed.lang.unwrap_or(lang);
    let t = lang.texts();
    // The phone: known, else it joins now, with the token its page gave it (or a new one when it has no cookie).
    let given = cookie_token(&headers).map(str::to_owned);
    let (phone, new_cookie, admitted_now) = match phone {
        Some(p) => (p, false, false),
        None => {
            let token = given.clone().unwrap_or_else(|| super::random_token(PHONE_TOKEN_CHARS));
            match admit(&shared, &token, client.ip()) {
                Ok(()) => (token, given.is_none(), true),
                Err(why) => {
                    let message = match why {
                        NoRoom::Closed => t.closed,
                        NoRoom::Full => t.full,
                        NoRoom::Removed => t.removed,
                    };
                    return refuse(&shared, json, None, lang, StatusCode::FORBIDDEN, message);
                }
            }
        }
    };
    // A paced page sends one question: the phone's other answers stay as they were.
    if let Some(step) = parsed.step {
        let room = lock(&shared.room);
        if let Some(p) = room.phones.get(&phone) {
            parsed.answers = shared.form.merge(step, &p.answers, &parsed.answers);
        }
    }
    if let Some(message) = refusal(&shared, &phone, &parsed, t) {
        if admitted_now {
            unadmit(&shared, &phone);
        }
        return refuse(&shared, json, Some(&phone), lang, StatusCode::FORBIDDEN, message);
    }
    // Who they are: a known city as the atlas spells it (with its country), else the name as typed.
    let city = parsed.name.as_deref().and_then(|n| shared.form.city_of.get(&atlas_core::text::fold(n))).cloned();
    let respondent_name = city.as_ref().map(|(c, _)| c.clone()).or_else(|| parsed.name.clone());
    let scores: Vec<(String, f64)> = shared
        .form
        .objectives
        .iter()
        .zip(&parsed.answers.scores)
        .filter_map(|((n, _), s)| s.map(|s| (score_code(*n), f64::from(s))))
        .collect();
    let ticks: Vec<String> = shared.form.tick_names(&parsed.answers).into_iter().map(|(g, l)| gap_code(g, l)).collect();
    // The rows as the store writes them, for the window's copy of the answers.
    let rows: Vec<(String, Option<f64>, Option<String>)> = scores
        .iter()
        .map(|(code, score)| (code.clone(), Some(*score), None))
        .chain(ticks.iter().map(|code| (code.clone(), Some(1.0), None)))
        .chain(parsed.answers.text.iter().map(|t| (BLOCKER_CODE.to_owned(), None, Some(t.clone()))))
        .collect();
    let writer = shared.clone();
    let key = submission_key(&parsed);
    let (phone_w, submission_w, text_w) = (phone.clone(), key.clone(), parsed.answers.text.clone());
    let (name_w, city_w) = (respondent_name.clone(), city.clone());
    // Written and committed before the phone is told.
    let outcome = tokio::task::spawn_blocking(move || {
        let store = lock(&writer.store);
        store.live_submit(&Submission {
            round: &writer.form.round,
            token: &phone_w,
            name: name_w.as_deref(),
            city: city_w.as_ref().map(|(c, _)| c.as_str()),
            country: city_w.as_ref().map(|(_, c)| c.as_str()),
            scores: &scores,
            ticks: &ticks,
            text: text_w.as_deref().map(|t| (BLOCKER_CODE, t)),
            submission_id: &submission_w,
            max_phones: writer.limits.max_participants,
        })
    })
    .await;
    let outcome = match outcome {
        Ok(Ok(SubmitOutcome::Full)) => {
            unadmit(&shared, &phone);
            return refuse(&shared, json, None, lang, StatusCode::FORBIDDEN, t.full);
        }
        Ok(Ok(o)) => o,
        _ => {
            if admitted_now {
                unadmit(&shared, &phone);
            }
            return refuse(&shared, json, Some(&phone), lang, StatusCode::SERVICE_UNAVAILABLE, t.offline);
        }
    };
    if let SubmitOutcome::Saved { respondent_id, previous } = outcome {
        let counts = {
            let mut room = lock(&shared.room);
            if let Some(p) = room.phones.get_mut(&phone) {
                p.respondent = Some(respondent_id.clone());
                p.name = parsed.name.clone().unwrap_or_default();
                p.answers = parsed.answers.clone();
                p.submissions += 1;
                p.last_submission = Some(key.clone());
            }
            room.counts()
        };
        shared.send(LiveEvent::Answered {
            respondent: respondent_id,
            previous,
            city: city.as_ref().map(|(c, _)| c.clone()),
            country: city.map(|(_, c)| c),
            answers: parsed.answers,
            rows,
            arrived,
            joined: counts.opened,
            answered: counts.answered,
        });
    }
    let mut response = if json {
        let next = super::random_token(12);
        json_reply(StatusCode::OK, true, t.saved, Some(&next))
    } else {
        let lang_q = parsed.lang.map(|l| format!("&lang={}", l.code())).unwrap_or_default();
        (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/{token}/?saved=1{lang_q}#saved"))]).into_response()
    };
    if new_cookie {
        response = with_cookie(response, PHONE_COOKIE, &phone);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> RoundForm {
        RoundForm {
            round: "r".to_owned(),
            title: "Room".to_owned(),
            objectives: (1..=12).map(|n| (n, format!("Objective {n}"))).collect(),
            gaps: 7,
            levels: 6,
            cities: Vec::new(),
            city_of: HashMap::new(),
        }
    }

    #[test]
    fn a_form_is_read_or_refused_with_a_reason() {
        let p = parse_form(&form(), b"sub=abc&name=+Vienna+&s1=3&s2=&t=2-1&t=0-0&text=Funding", 80, Lang::En)
            .expect("valid");
        assert_eq!(p.name.as_deref(), Some("Vienna"));
        assert_eq!(p.answers.scores[0], Some(3));
        assert_eq!(p.answers.scores[1], None);
        assert!(p.answers.ticks[2 * 6 + 1] && p.answers.ticks[0]);
        assert_eq!(p.answers.ticked(), 2);
        let t = Lang::En.texts();
        assert_eq!(parse_form(&form(), b"sub=abc&s1=5", 80, Lang::En).err(), Some(t.bad_score));
        assert_eq!(parse_form(&form(), b"sub=abc&s13=1", 80, Lang::En).err(), Some(t.bad_form));
        assert_eq!(parse_form(&form(), b"sub=abc&t=7-0", 80, Lang::En).err(), Some(t.bad_form));
        assert_eq!(parse_form(&form(), b"s1=1", 80, Lang::En).err(), Some(t.bad_form), "no submission id");
        assert_eq!(parse_form(&form(), b"sub=a&s1=1&s1=2", 80, Lang::En).err(), Some(t.bad_form));
        let long = format!("sub=a&text={}", "x".repeat(201));
        assert_eq!(parse_form(&form(), long.as_bytes(), 80, Lang::En).err(), Some(t.text_too_long));
        let many = "sub=a".to_owned() + &"&t=0-0".repeat(80);
        assert_eq!(parse_form(&form(), many.as_bytes(), 80, Lang::En).err(), Some(t.bad_form));
    }

    #[test]
    fn buckets_empty_and_refill() {
        let mut limiter = RateLimiter::default();
        assert!((0..3).all(|_| limiter.allow("a", 3.0, 0.0)));
        assert!(!limiter.allow("a", 3.0, 0.0));
        assert!(limiter.allow("b", 3.0, 0.0), "another client has its own budget");
    }
}
