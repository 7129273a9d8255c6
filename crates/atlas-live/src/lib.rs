//! Live rounds answered from phones over the local network: a small web server ([`server`]) serves one open
//! workshop round's participant page ([`page`], in eight languages: [`i18n`]) and writes each phone's answers as the
//! survey answers of the round ([`atlas_store::live`]), so the Responses view, exports, stories and comparisons see
//! them like typed or imported answers. The window and `integration-atlas live` drive it through [`LiveRound`];
//! answers arriving are sent as [`LiveEvent`]s that [`tally::LiveTally`] turns into chart numbers one at a time.
//!
//! Security: the server listens only while answering is open, on the machine's own IPv4 addresses (listed from the
//! interfaces, never found by connecting anywhere) and loopback; every path carries a random token of 100 bits
//! (anything else is a 404); each phone gets its own random participant token in a cookie and sees and changes only
//! its own answers; bodies, fields, changes, phones and request rates are limited, and every refusal is a clear
//! message on the phone with nothing written. Nothing here opens an outgoing connection.

mod conns;
pub mod i18n;
pub mod page;
pub mod qr;
mod server;
pub mod tally;

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use atlas_core::answer_format::ROUND_LEVELS;
use atlas_core::dataset::GAP_TYPES;
use atlas_core::model::Atlas;
use atlas_store::Store;

pub use qr::QrMatrix;

/// Limits on what phones may send. Every refusal is a message on the phone; nothing is written.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveLimits {
    /// Largest request body, in bytes.
    pub max_body: usize,
    /// Most form fields in one submission (answers per participant: 12 scores, 42 ticks and a few more fit).
    pub max_fields: usize,
    /// Most saved changes per participant.
    pub max_submissions: u32,
    /// Most phones per round (joined, answered or not).
    pub max_participants: usize,
    /// Requests a phone (by its participant token) may send in a burst, and how many more it earns per second.
    pub phone_burst: f64,
    pub phone_per_second: f64,
    /// The same for requests without a known participant token, per client address.
    pub address_burst: f64,
    pub address_per_second: f64,
    /// Open connections at most, in all and per client address (a phone's browser opens up to six); at a cap the
    /// connection idle longest is closed to make room.
    pub max_connections: usize,
    pub max_connections_per_address: usize,
    /// Time for a request's head to arrive (from the connection's start, or from the last reply on a kept-alive
    /// connection: it is also how long an idle connection stays open), for its body, and for the whole request.
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    pub request_timeout: Duration,
}

impl Default for LiveLimits {
    fn default() -> Self {
        Self {
            max_body: 8 * 1024,
            max_fields: 80,
            max_submissions: 300,
            max_participants: 500,
            phone_burst: 30.0,
            phone_per_second: 3.0,
            address_burst: 60.0,
            address_per_second: 5.0,
            // Well under a desktop's usual 1,024 open files, with room for the window and the database.
            max_connections: 400,
            max_connections_per_address: 24,
            header_timeout: Duration::from_secs(5),
            body_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(15),
        }
    }
}

/// How a live round listens.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LiveConfig {
    /// The port on every address; 0: one chosen by the system (the same on every address).
    pub port: u16,
    /// Loopback only (tests and benches); otherwise every non-loopback IPv4 address of the machine too.
    pub loopback_only: bool,
    pub limits: LiveLimits,
}

/// A live round could not start or change, said in one line.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error("{0}")]
    Store(#[from] atlas_store::StoreError),
    #[error("no round with id {0}")]
    NoRound(String),
    #[error("cannot listen on {address}: {detail}")]
    Bind { address: SocketAddr, detail: String },
    #[error("cannot list the network interfaces: {0}")]
    Interfaces(String),
    #[error("the server could not start: {0}")]
    Runtime(String),
    #[error("no participant {0:?} in this round")]
    NoParticipant(String),
}

/// What the round asks, fixed while it is live.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundForm {
    pub round: String,
    pub title: String,
    /// (number, the atlas's short title) of each checklist objective, in order.
    pub objectives: Vec<(i64, String)>,
    /// Gap types ([`GAP_TYPES`]) and levels ([`ROUND_LEVELS`]): ticks are `gap * levels + level`.
    pub gaps: usize,
    pub levels: usize,
    /// Names offered while typing a name: the atlas's cities (and their local names).
    pub cities: Vec<String>,
    /// Folded name → (the city as the atlas spells it, its country code).
    pub city_of: HashMap<String, (String, String)>,
}

impl RoundForm {
    pub fn new(atlas: &Atlas, round: &str, title: &str) -> Self {
        let mut cities = Vec::new();
        let mut city_of = HashMap::new();
        for c in &atlas.cities {
            cities.push(c.name.clone());
            city_of.insert(atlas_core::text::fold(&c.name), (c.name.clone(), c.country.clone()));
            for local in &c.local_names {
                if !cities.contains(local) {
                    cities.push(local.clone());
                }
                city_of.entry(atlas_core::text::fold(local)).or_insert_with(|| (c.name.clone(), c.country.clone()));
            }
        }
        cities.sort();
        cities.dedup();
        Self {
            round: round.to_owned(),
            title: title.to_owned(),
            objectives: atlas.objectives.iter().map(|o| (o.number, o.short_title.clone())).collect(),
            gaps: GAP_TYPES.len(),
            levels: ROUND_LEVELS.len(),
            cities,
            city_of,
        }
    }

    pub fn empty_answers(&self) -> PhoneAnswers {
        PhoneAnswers {
            scores: vec![None; self.objectives.len()],
            ticks: vec![false; self.gaps * self.levels],
            text: None,
        }
    }

    /// Ticks as (gap type, level) names.
    pub fn tick_names(&self, answers: &PhoneAnswers) -> Vec<(&'static str, &'static str)> {
        answers
            .ticks
            .iter()
            .enumerate()
            .filter(|(_, t)| **t)
            .map(|(i, _)| (GAP_TYPES[i / self.levels], ROUND_LEVELS[i % self.levels]))
            .collect()
    }
}

/// One question of the round, when the facilitator paces the room one question at a time: an objective (by its
/// number), the gaps question, or the open line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    Objective(i64),
    Gaps,
    Line,
}

impl Step {
    /// The step's short name in URLs and forms: `o3`, `gaps`, `line`.
    pub fn code(self) -> String {
        match self {
            Step::Objective(n) => format!("o{n}"),
            Step::Gaps => "gaps".to_owned(),
            Step::Line => "line".to_owned(),
        }
    }

    pub fn parse(code: &str) -> Option<Step> {
        match code {
            "gaps" => Some(Step::Gaps),
            "line" => Some(Step::Line),
            c => c.strip_prefix('o').and_then(|n| n.parse().ok()).map(Step::Objective),
        }
    }
}

impl RoundForm {
    /// The round's questions in order, as the facilitator paces them: each objective, the gaps, the open line.
    pub fn steps(&self) -> Vec<Step> {
        self.objectives.iter().map(|(n, _)| Step::Objective(*n)).chain([Step::Gaps, Step::Line]).collect()
    }

    /// `answers` with the part `step` asks replaced by that part of `posted` (a paced phone sends one question).
    pub fn merge(&self, step: Step, answers: &PhoneAnswers, posted: &PhoneAnswers) -> PhoneAnswers {
        let mut out = answers.clone();
        match step {
            Step::Objective(n) => {
                if let Some(i) = self.objectives.iter().position(|(m, _)| *m == n) {
                    out.scores[i] = posted.scores[i];
                }
            }
            Step::Gaps => out.ticks.clone_from(&posted.ticks),
            Step::Line => out.text.clone_from(&posted.text),
        }
        out
    }
}

/// One phone's answers: a score 0–4 (or none) per objective of [`RoundForm::objectives`], the gap × level ticks,
/// and the free-text line.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PhoneAnswers {
    pub scores: Vec<Option<u8>>,
    pub ticks: Vec<bool>,
    pub text: Option<String>,
}

impl PhoneAnswers {
    pub fn scored(&self) -> usize {
        self.scores.iter().flatten().count()
    }

    pub fn ticked(&self) -> usize {
        self.ticks.iter().filter(|t| **t).count()
    }
}

/// What happened in the room, for the window (and the CLI's log).
#[derive(Debug, Clone, PartialEq)]
pub enum LiveEvent {
    /// A phone opened the page for the first time (it joins the round when it first saves); `joined` counts the
    /// first visits so far.
    Joined { joined: usize },
    /// A phone's answers were committed (they replace its earlier ones). `previous` is its respondent id before
    /// this submission, when it had answered already (a changed name renames the respondent).
    Answered {
        respondent: String,
        previous: Option<String>,
        city: Option<String>,
        country: Option<String>,
        answers: PhoneAnswers,
        /// The answer rows as written: (question code, number, text), so the window's copy of the answers follows
        /// without reading the database again.
        rows: Vec<(String, Option<f64>, Option<String>)>,
        /// When the submission reached the server.
        arrived: Instant,
        joined: usize,
        answered: usize,
    },
    /// The facilitator removed a participant: their answers are deleted.
    Removed { respondent: String },
    /// A submission was refused (the phone was told why; nothing was written).
    Refused { reason: &'static str },
    /// Answering opened (the server listens at `urls`) or closed (nothing listens).
    Answering { open: bool, urls: Vec<String> },
}

/// Phones that opened the page and phones that answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// First visits of the page in this run (at least the phones that answered).
    pub opened: usize,
    pub answered: usize,
}

/// A participant as the facilitator sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    pub respondent: String,
    pub submissions: u32,
    pub scored: usize,
    pub ticked: usize,
    /// The free-text line, unreviewed: the window shows it to the facilitator only.
    pub text: Option<String>,
    /// Whether the facilitator shows the line in the word list.
    pub text_shown: bool,
    /// The removed participant whose phone had the same network address, when this one joined from it: perhaps the
    /// same phone again with its cookies cleared.
    pub rejoined: Option<String>,
}

/// One phone, known by its participant token.
#[derive(Debug, Clone)]
struct Phone {
    /// The respondent id once it has answered.
    respondent: Option<String>,
    /// The name it typed (as shown back in its form).
    name: String,
    answers: PhoneAnswers,
    submissions: u32,
    last_submission: Option<String>,
    text_shown: bool,
    joined_at: u64,
    /// The network address it joined from (unknown for phones of an earlier run).
    address: Option<IpAddr>,
    /// See [`Participant::rejoined`].
    rejoined: Option<String>,
}

/// The room, shared by the server's tasks and the controls.
struct Room {
    open: bool,
    revealed: bool,
    phones: HashMap<String, Phone>,
    /// Participant tokens of removed phones: they get a message, never a form.
    removed: HashSet<String>,
    /// The network addresses removed phones had joined from, with their respondent ids.
    removed_addresses: HashMap<IpAddr, String>,
    joins: u64,
    /// First visits of the page (phones not yet saving included).
    opened: usize,
    /// Wrong join codes typed at the short address since the code was drawn.
    wrong_codes: u32,
    /// The question the facilitator shows, when pacing the room one question at a time; `None`: self-paced.
    step: Option<Step>,
    limiter: server::RateLimiter,
}

impl Room {
    fn counts(&self) -> Counts {
        let answered = self.phones.values().filter(|p| p.respondent.is_some()).count();
        Counts { opened: self.opened.max(answered), answered }
    }
}

/// Everything the server's handlers share.
struct Shared {
    form: RoundForm,
    limits: LiveLimits,
    token: Mutex<String>,
    join_code: Mutex<String>,
    room: Mutex<Room>,
    store: Mutex<Store>,
    events: Sender<LiveEvent>,
    wake: Mutex<Option<Arc<dyn Fn() + Send + Sync>>>,
    /// The `Host` values requests may carry: each address served, with its port (set when answering opens).
    hosts: Mutex<Vec<String>>,
    /// The open connections of the server while it runs.
    conns: conns::Conns,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    fn send(&self, event: LiveEvent) {
        let _ = self.events.send(event);
        if let Some(wake) = lock(&self.wake).clone() {
            wake();
        }
    }

    fn token(&self) -> String {
        lock(&self.token).clone()
    }
}

/// The letters of every token.
pub(crate) const TOKEN_ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";

/// A random token of `chars` characters from a 32-letter alphabet without look-alikes (5 bits each).
pub fn random_token(chars: usize) -> String {
    const ALPHABET: &[u8; 32] = TOKEN_ALPHABET;
    let mut bytes = vec![0u8; chars];
    if getrandom::fill(&mut bytes).is_err() {
        // The system's random source is gone: a v4 uuid draws from the same source, but fail closed.
        bytes = uuid::Uuid::new_v4().as_bytes().iter().cycle().take(chars).copied().collect();
    }
    bytes.iter().map(|b| ALPHABET[(*b & 31) as usize] as char).collect()
}

/// URL tokens: 20 characters × 5 bits = 100 bits.
const URL_TOKEN_CHARS: usize = 20;
/// Participant tokens: 26 characters × 5 bits = 130 bits.
pub(crate) const PHONE_TOKEN_CHARS: usize = 26;

/// A short join code shown on the screen and on every phone's page, so participants can check they answer the
/// round in front of them: four digits.
fn join_code() -> String {
    let mut bytes = [0u8; 4];
    let _ = getrandom::fill(&mut bytes);
    format!("{:04}", u32::from_le_bytes(bytes) % 10_000)
}

/// The machine's own non-loopback IPv4 addresses, from the interface list.
pub fn lan_addresses() -> Result<Vec<Ipv4Addr>, LiveError> {
    let mut out: Vec<Ipv4Addr> = if_addrs::get_if_addrs()
        .map_err(|e| LiveError::Interfaces(e.to_string()))?
        .into_iter()
        .filter_map(|i| match i.ip() {
            IpAddr::V4(v4) if !v4.is_loopback() && !v4.is_unspecified() && !v4.is_link_local() => Some(v4),
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// A running server: its listening addresses and the thread that serves them.
struct Running {
    addresses: Vec<SocketAddr>,
    stop: tokio::sync::watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    fn stop(mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A live round: the controls the window and the CLI call. The server stops when this is dropped.
pub struct LiveRound {
    shared: Arc<Shared>,
    config: LiveConfig,
    running: Option<Running>,
    db: PathBuf,
    /// The caller chose the port: never another one.
    fixed_port: bool,
}

impl LiveRound {
    /// Opens answering on round `round` (a uuid) of the database at `db`: binds and starts serving. Phones that
    /// answered the round before (also in an earlier run) keep their answers. Returns the controls and the events.
    pub fn start(
        db: &Path,
        atlas: &Atlas,
        round: &str,
        config: LiveConfig,
    ) -> Result<(LiveRound, Receiver<LiveEvent>), LiveError> {
        let store = Store::open(db)?;
        let title = store.round_title(round)?.ok_or_else(|| LiveError::NoRound(round.to_owned()))?;
        let form = RoundForm::new(atlas, round, &title);
        let mut phones = HashMap::new();
        for (i, row) in store.live_phones(round)?.into_iter().enumerate() {
            let answers = server::answers_from_rows(&form, &row.answers);
            phones.insert(
                row.token,
                Phone {
                    name: if row.respondent_id.starts_with(atlas_store::live::ANONYMOUS_PREFIX) {
                        String::new()
                    } else {
                        row.respondent_id.clone()
                    },
                    respondent: Some(row.respondent_id),
                    answers,
                    submissions: row.submissions,
                    last_submission: row.last_submission,
                    text_shown: row.text_shown,
                    joined_at: i as u64,
                    address: None,
                    rejoined: None,
                },
            );
        }
        let (events, receiver) = std::sync::mpsc::channel();
        let joins = phones.len() as u64;
        let shared = Arc::new(Shared {
            form,
            limits: config.limits.clone(),
            token: Mutex::new(random_token(URL_TOKEN_CHARS)),
            join_code: Mutex::new(join_code()),
            room: Mutex::new(Room {
                open: false,
                revealed: false,
                phones,
                removed: HashSet::new(),
                removed_addresses: HashMap::new(),
                joins,
                opened: 0,
                wrong_codes: 0,
                step: None,
                limiter: server::RateLimiter::default(),
            }),
            store: Mutex::new(store),
            events,
            wake: Mutex::new(None),
            hosts: Mutex::new(Vec::new()),
            conns: conns::table(),
        });
        let fixed_port = config.port != 0;
        let mut live = LiveRound { shared, config, running: None, db: db.to_owned(), fixed_port };
        live.open_answering()?;
        Ok((live, receiver))
    }

    /// Called after every event is sent (the window passes a closure that requests a repaint).
    pub fn set_wake(&self, wake: Arc<dyn Fn() + Send + Sync>) {
        *lock(&self.shared.wake) = Some(wake);
    }

    pub fn round(&self) -> &str {
        &self.shared.form.round
    }

    pub fn title(&self) -> &str {
        &self.shared.form.title
    }

    pub fn database(&self) -> &Path {
        &self.db
    }

    pub fn join_code(&self) -> String {
        lock(&self.shared.join_code).clone()
    }

    /// The URL token (the secret part of every URL).
    pub fn token(&self) -> String {
        self.shared.token()
    }

    /// Where the server listens now (empty while answering is closed).
    pub fn addresses(&self) -> Vec<SocketAddr> {
        self.running.as_ref().map(|r| r.addresses.clone()).unwrap_or_default()
    }

    /// The participant URLs: one per non-loopback address (loopback only when there is no other, or in tests).
    pub fn urls(&self) -> Vec<String> {
        let addresses = self.addresses();
        let lan: Vec<&SocketAddr> = addresses.iter().filter(|a| !a.ip().is_loopback()).collect();
        let chosen: Vec<&SocketAddr> = if lan.is_empty() { addresses.iter().collect() } else { lan };
        let token = self.token();
        chosen.iter().map(|a| format!("http://{a}/{token}/")).collect()
    }

    /// The short addresses (`http://<address>:<port>/`, same choice of addresses as [`Self::urls`]), where a phone
    /// that cannot scan types the join code.
    pub fn short_urls(&self) -> Vec<String> {
        let addresses = self.addresses();
        let lan: Vec<&SocketAddr> = addresses.iter().filter(|a| !a.ip().is_loopback()).collect();
        let chosen: Vec<&SocketAddr> = if lan.is_empty() { addresses.iter().collect() } else { lan };
        chosen.iter().map(|a| format!("http://{a}/")).collect()
    }

    /// The QR code of the first URL (`None` while closed).
    pub fn qr(&self) -> Option<QrMatrix> {
        self.urls().first().and_then(|u| QrMatrix::new(u).ok())
    }

    pub fn is_answering(&self) -> bool {
        self.running.is_some()
    }

    /// Binds and serves (the same token and, when free, the same port as before).
    pub fn open_answering(&mut self) -> Result<(), LiveError> {
        if self.running.is_some() {
            return Ok(());
        }
        let listeners = self.bind()?;
        let addresses: Vec<SocketAddr> = listeners.iter().filter_map(|l| l.local_addr().ok()).collect();
        if let Some(port) = addresses.first().map(SocketAddr::port) {
            self.config.port = port;
        }
        lock(&self.shared.room).open = true;
        let running = server::serve(self.shared.clone(), listeners).inspect_err(|_| {
            lock(&self.shared.room).open = false;
        })?;
        self.running = Some(Running { addresses, ..running });
        self.shared.send(LiveEvent::Answering { open: true, urls: self.urls() });
        Ok(())
    }

    /// Stops serving: nothing listens until [`Self::open_answering`]. Answers stay.
    pub fn close_answering(&mut self) {
        lock(&self.shared.room).open = false;
        if let Some(running) = self.running.take() {
            running.stop();
            self.shared.send(LiveEvent::Answering { open: false, urls: Vec::new() });
        }
    }

    /// Closes answering, draws a new URL token and join code, and opens again: links shared before stop working;
    /// every phone keeps its answers (its participant cookie still names it).
    pub fn reopen_with_new_token(&mut self) -> Result<(), LiveError> {
        self.close_answering();
        *lock(&self.shared.token) = random_token(URL_TOKEN_CHARS);
        *lock(&self.shared.join_code) = join_code();
        lock(&self.shared.room).wrong_codes = 0;
        self.open_answering()
    }

    /// Ends the round: the server stops. The answers stay in the database.
    pub fn end(mut self) {
        self.close_answering();
    }

    /// Paces the room: every phone shows `step` only and follows when it changes; `None`: the whole form, each
    /// phone at its own pace. Both store the same answers.
    pub fn set_step(&self, step: Option<Step>) {
        lock(&self.shared.room).step = step;
    }

    /// The question the room is on, when paced.
    pub fn step(&self) -> Option<Step> {
        lock(&self.shared.room).step
    }

    /// The round's questions in pacing order.
    pub fn steps(&self) -> Vec<Step> {
        self.shared.form.steps()
    }

    /// Hides or reveals the results (the window shows its charts only when revealed; phones are told).
    pub fn set_revealed(&self, revealed: bool) {
        lock(&self.shared.room).revealed = revealed;
    }

    pub fn revealed(&self) -> bool {
        lock(&self.shared.room).revealed
    }

    pub fn counts(&self) -> Counts {
        lock(&self.shared.room).counts()
    }

    /// Participants who answered, in the order they joined.
    pub fn participants(&self) -> Vec<Participant> {
        let room = lock(&self.shared.room);
        let mut phones: Vec<&Phone> = room.phones.values().filter(|p| p.respondent.is_some()).collect();
        phones.sort_by_key(|p| p.joined_at);
        phones
            .into_iter()
            .map(|p| Participant {
                respondent: p.respondent.clone().unwrap_or_default(),
                submissions: p.submissions,
                scored: p.answers.scored(),
                ticked: p.answers.ticked(),
                text: p.answers.text.clone(),
                text_shown: p.text_shown,
                rejoined: p.rejoined.clone(),
            })
            .collect()
    }

    /// Removes a participant (spam): their answers are deleted and their phone may not answer again.
    pub fn remove_participant(&self, respondent: &str) -> Result<(), LiveError> {
        let token = {
            let room = lock(&self.shared.room);
            room.phones
                .iter()
                .find(|(_, p)| p.respondent.as_deref() == Some(respondent))
                .map(|(t, _)| t.clone())
                .ok_or_else(|| LiveError::NoParticipant(respondent.to_owned()))?
        };
        lock(&self.shared.store).delete_respondent(&self.shared.form.round, respondent)?;
        {
            let mut room = lock(&self.shared.room);
            if let Some(address) = room.phones.remove(&token).and_then(|p| p.address) {
                room.removed_addresses.insert(address, respondent.to_owned());
            }
            room.removed.insert(token);
        }
        self.shared.send(LiveEvent::Removed { respondent: respondent.to_owned() });
        Ok(())
    }

    /// Shows (or hides) a participant's free-text line in the word list, after the facilitator read it.
    pub fn show_text(&self, respondent: &str, shown: bool) -> Result<(), LiveError> {
        lock(&self.shared.store).live_show_text(&self.shared.form.round, respondent, shown)?;
        let mut room = lock(&self.shared.room);
        let phone = room
            .phones
            .values_mut()
            .find(|p| p.respondent.as_deref() == Some(respondent))
            .ok_or_else(|| LiveError::NoParticipant(respondent.to_owned()))?;
        phone.text_shown = shown;
        Ok(())
    }

    /// The lines the facilitator chose to show, in the order the phones joined.
    pub fn shown_lines(&self) -> Vec<String> {
        let room = lock(&self.shared.room);
        let mut shown: Vec<&Phone> =
            room.phones.values().filter(|p| p.text_shown && p.answers.text.is_some()).collect();
        shown.sort_by_key(|p| p.joined_at);
        shown.into_iter().filter_map(|p| p.answers.text.clone()).collect()
    }

    /// The words of the lines the facilitator chose to show, most frequent first (ties alphabetical).
    pub fn word_list(&self) -> Vec<(String, usize)> {
        word_counts(self.shown_lines().iter().map(String::as_str))
    }

    /// Binds every address on the port used before; if that port was the system's choice and is taken now, on a
    /// new one. A port the caller asked for is used or refused.
    fn bind(&self) -> Result<Vec<TcpListener>, LiveError> {
        match self.bind_on(self.config.port) {
            Err(_) if self.config.port != 0 && !self.fixed_port => self.bind_on(0),
            result => result,
        }
    }

    fn bind_on(&self, mut port: u16) -> Result<Vec<TcpListener>, LiveError> {
        let mut ips: Vec<IpAddr> = vec![IpAddr::V4(Ipv4Addr::LOCALHOST)];
        if !self.config.loopback_only {
            ips.extend(lan_addresses()?.into_iter().map(IpAddr::V4));
        }
        let mut listeners = Vec::new();
        for ip in ips {
            let address = SocketAddr::new(ip, port);
            let bind_error = |e: std::io::Error| LiveError::Bind { address, detail: e.to_string() };
            let listener = TcpListener::bind(address).map_err(bind_error)?;
            listener.set_nonblocking(true).map_err(bind_error)?;
            if port == 0 {
                port = listener.local_addr().map_err(bind_error)?.port();
            }
            listeners.push(listener);
        }
        Ok(listeners)
    }
}

impl Drop for LiveRound {
    fn drop(&mut self) {
        self.close_answering();
    }
}

/// The words of the lines, counted for the word cloud (see [`atlas_analysis::words::word_counts`]).
pub use atlas_analysis::words::word_counts;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_and_distinct() {
        let a = random_token(URL_TOKEN_CHARS);
        let b = random_token(URL_TOKEN_CHARS);
        assert_eq!(a.len(), 20);
        const { assert!(URL_TOKEN_CHARS * 5 >= 96, "a token carries at least 96 bits") };
        assert_ne!(a, b);
        assert_eq!(join_code().len(), 4);
    }

    #[test]
    fn words_are_counted_across_shown_lines() {
        let words = word_counts(["Funding rules, funding cuts", "No data on funding"]);
        assert_eq!(words[0], ("funding".to_owned(), 3));
        assert!(words.iter().all(|(w, _)| w != "no"));
    }
}
