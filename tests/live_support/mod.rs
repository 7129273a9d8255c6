//! A minimal HTTP/1.1 client over a loopback socket for the live-round tests and bench (the app has no HTTP client
//! and must not get one), and a fresh database with a live round.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};

use integration_atlas::live::{LiveConfig, LiveEvent, LiveRound};
use integration_atlas::model::Atlas;
use integration_atlas::store::Store;

/// A reply: status, headers (names lower-cased) and body.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The value a `Set-Cookie` header gives `name`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k == "set-cookie")
            .filter_map(|(_, v)| v.split(';').next())
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
    }

    /// The hidden submission id of the page's form.
    pub fn submission(&self) -> Option<String> {
        let at = self.body.find("name=\"sub\" value=\"")? + "name=\"sub\" value=\"".len();
        let end = self.body[at..].find('"')?;
        Some(self.body[at..at + end].to_owned())
    }
}

/// Sends one request (`Connection: close`) and reads the whole reply. A write the server cut short (it refused a
/// body too large before reading it) still reads the reply.
pub fn request(address: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    request_from(None, address, method, path, headers, body)
}

/// [`request`] from the loopback address `source` (127.x.y.z: each simulated phone has its own address, as phones
/// in a room have, so the server's per-address budget counts each apart); `None`: whatever the system picks.
pub fn request_from(
    source: Option<Ipv4Addr>,
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let mut stream = match source {
        None => TcpStream::connect(address).expect("connect to the live round"),
        Some(ip) => {
            assert!(ip.is_loopback() && address.ip().is_loopback(), "simulated phones stay on loopback");
            let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("socket");
            socket.bind(&SocketAddr::from((ip, 0)).into()).expect("bind the phone's loopback address");
            socket.connect(&address.into()).expect("connect to the live round");
            socket.into()
        }
    };
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    // The Host a browser sends for this address, unless the test sends its own.
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {address}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body));
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    parse(&raw)
}

fn parse(raw: &[u8]) -> Reply {
    let text = String::from_utf8_lossy(raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let chunked = headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked { dechunk(body) } else { body.to_owned() };
    Reply { status, headers, body }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else { break };
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// A phone: its participant cookie once it has one.
#[derive(Debug, Clone, Default)]
pub struct Phone {
    pub cookie: Option<String>,
    pub language: Option<String>,
}

impl Phone {
    fn headers(&self) -> Vec<(&str, String)> {
        let mut h = Vec::new();
        if let Some(c) = &self.cookie {
            h.push(("Cookie", format!("atlas_phone={c}")));
        }
        if let Some(l) = &self.language {
            h.push(("Accept-Language", l.clone()));
        }
        h
    }

    pub fn get(&mut self, address: SocketAddr, path: &str) -> Reply {
        self.get_from(None, address, path)
    }

    /// [`Phone::get`] from its own loopback address (see [`request_from`]).
    pub fn get_from(&mut self, source: Option<Ipv4Addr>, address: SocketAddr, path: &str) -> Reply {
        let headers = self.headers();
        let refs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = request_from(source, address, "GET", path, &refs, b"");
        if let Some(c) = reply.cookie("atlas_phone") {
            self.cookie = Some(c);
        }
        reply
    }

    pub fn post(&mut self, address: SocketAddr, path: &str, form: &str, json: bool) -> Reply {
        self.post_from(None, address, path, form, json)
    }

    /// [`Phone::post`] from its own loopback address (see [`request_from`]).
    pub fn post_from(
        &mut self,
        source: Option<Ipv4Addr>,
        address: SocketAddr,
        path: &str,
        form: &str,
        json: bool,
    ) -> Reply {
        let mut headers = self.headers();
        headers.push(("Content-Type", "application/x-www-form-urlencoded".to_owned()));
        if json {
            headers.push(("Accept", "application/json".to_owned()));
        }
        let refs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = request_from(source, address, "POST", path, &refs, form.as_bytes());
        if let Some(c) = reply.cookie("atlas_phone") {
            self.cookie = Some(c);
        }
        reply
    }
}

/// A form body: the submission id, an optional name, scores (objective, score), ticks (gap, level), a text line.
pub fn form(
    sub: &str,
    name: Option<&str>,
    scores: &[(i64, u8)],
    ticks: &[(usize, usize)],
    text: Option<&str>,
) -> String {
    let mut pairs: Vec<(String, String)> = vec![("sub".to_owned(), sub.to_owned())];
    if let Some(n) = name {
        pairs.push(("name".to_owned(), n.to_owned()));
    }
    for (o, s) in scores {
        pairs.push((format!("s{o}"), s.to_string()));
    }
    for (g, l) in ticks {
        pairs.push(("t".to_owned(), format!("{g}-{l}")));
    }
    if let Some(t) = text {
        pairs.push(("text".to_owned(), t.to_owned()));
    }
    serde_urlencoded::to_string(&pairs).expect("form")
}

/// A fresh database with one live round; the atlas; the round's uuid.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub atlas: Atlas,
    pub round: String,
}

impl Fixture {
    pub fn new(title: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("atlas.sqlite");
        let store = Store::open(&db).expect("store");
        let atlas = store.load_atlas().expect("atlas");
        let round = store.create_live_round(title, None).expect("round");
        Fixture { dir, db, atlas, round }
    }

    pub fn start(&self, config: LiveConfig) -> (LiveRound, std::sync::mpsc::Receiver<LiveEvent>) {
        LiveRound::start(&self.db, &self.atlas, &self.round, LiveConfig { loopback_only: true, ..config })
            .expect("the live round starts")
    }

    pub fn store(&self) -> Store {
        Store::open(&self.db).expect("store")
    }

    pub fn path(&self) -> &Path {
        &self.db
    }
}

/// The live round's loopback address and its page path.
pub fn where_(live: &LiveRound) -> (SocketAddr, String) {
    let address = *live.addresses().iter().find(|a| a.ip().is_loopback()).expect("listens on loopback");
    (address, format!("/{}/", live.token()))
}
