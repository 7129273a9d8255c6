//! A hostile Wi-Fi against a live round, with real sockets: idle connections, a request line sent half, headers
//! trickled, a slow body, a kept-alive connection left open, a thousand idle connections from many addresses and a
//! flood from one, a wrong token with any method, and a `Host` the round does not serve. In every case the room's
//! phones can still answer.

mod live_support;

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use integration_atlas::live::{LiveConfig, LiveLimits};
use live_support::{Fixture, Phone, form, request, where_};

/// Short time limits, so that the tests see them act in well under a second.
fn quick() -> LiveConfig {
    let limits = LiveLimits {
        header_timeout: Duration::from_millis(300),
        body_timeout: Duration::from_millis(500),
        ..LiveLimits::default()
    };
    LiveConfig { limits, ..LiveConfig::default() }
}

fn connect_from(source: Option<Ipv4Addr>, address: SocketAddr) -> TcpStream {
    let stream = match source {
        None => TcpStream::connect(address).expect("connect"),
        Some(ip) => {
            let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("socket");
            socket.bind(&SocketAddr::from((ip, 0)).into()).expect("bind a loopback address");
            socket.connect(&address.into()).expect("connect");
            socket.into()
        }
    };
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    stream
}

/// Reads until the server closes the connection; how long that took, and what it sent.
fn until_closed(stream: &mut TcpStream) -> (Duration, String) {
    let start = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    (start.elapsed(), String::from_utf8_lossy(&got).into_owned())
}

/// Whether the server has closed this connection (a read sees the end, or a reset).
fn is_closed(stream: &mut TcpStream) -> bool {
    stream.set_nonblocking(true).expect("non-blocking");
    let mut buf = [0u8; 64];
    let closed = match stream.read(&mut buf) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut),
    };
    stream.set_nonblocking(false).expect("blocking");
    closed
}

/// One phone opens the page and saves a score: the round is still answerable.
fn a_phone_answers(fx: &Fixture, address: SocketAddr, page: &str, source: Ipv4Addr) {
    let mut phone = Phone::default();
    let reply = phone.get_from(Some(source), address, page);
    assert_eq!(reply.status, 200, "the page opens: {}", reply.body);
    let sub = reply.submission().expect("form");
    let saved = phone.post_from(
        Some(source),
        address,
        &format!("{page}answers"),
        &form(&sub, None, &[(1, 3)], &[], None),
        false,
    );
    assert_eq!(saved.status, 303, "the answer is saved: {}", saved.body);
    let count: i64 =
        fx.store().connection().query_row("SELECT count(*) FROM survey_answers", [], |r| r.get(0)).expect("count");
    assert!(count >= 1);
}

#[test]
fn silent_half_sent_and_trickled_requests_are_closed_and_write_nothing() {
    let fx = Fixture::new("Slow");
    let (live, _events) = fx.start(quick());
    let (address, page) = where_(&live);

    // A connection that never says anything.
    let mut silent = connect_from(None, address);
    let (waited, _) = until_closed(&mut silent);
    assert!(waited < Duration::from_secs(5), "a silent connection is closed (after {waited:?})");

    // A request line sent half.
    let mut half = connect_from(None, address);
    half.write_all(format!("GET {page}").as_bytes()).expect("write");
    let (waited, _) = until_closed(&mut half);
    assert!(waited < Duration::from_secs(5), "a half request line is closed (after {waited:?})");

    // Headers trickled one every 100 ms, for longer than the head may take.
    let mut trickle = connect_from(None, address);
    trickle.write_all(format!("GET {page} HTTP/1.1\r\nHost: {address}\r\n").as_bytes()).expect("write");
    let start = Instant::now();
    let mut cut = false;
    for i in 0..40 {
        std::thread::sleep(Duration::from_millis(100));
        if trickle.write_all(format!("X-Slow-{i}: 1\r\n").as_bytes()).is_err() || is_closed(&mut trickle) {
            cut = true;
            break;
        }
    }
    assert!(cut, "trickled headers are cut off (still open after {:?})", start.elapsed());

    // A body sent a byte at a time: refused before it is whole, nothing written.
    let mut slow = connect_from(None, address);
    let head = format!(
        "POST {page}answers HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: 200\r\n\r\n"
    );
    slow.write_all(head.as_bytes()).expect("write");
    let start = Instant::now();
    let mut ended = false;
    for _ in 0..40 {
        std::thread::sleep(Duration::from_millis(100));
        if slow.write_all(b"s").is_err() || is_closed(&mut slow) {
            ended = true;
            break;
        }
    }
    assert!(ended, "a slow body is cut off (still open after {:?})", start.elapsed());
    let written: i64 =
        fx.store().connection().query_row("SELECT count(*) FROM survey_answers", [], |r| r.get(0)).expect("count");
    assert_eq!(written, 0, "nothing was written");

    a_phone_answers(&fx, address, &page, Ipv4Addr::new(127, 0, 9, 1));
}

#[test]
fn a_kept_alive_connection_left_idle_is_closed() {
    let fx = Fixture::new("Keep-alive");
    let (live, _events) = fx.start(quick());
    let (address, page) = where_(&live);
    let mut stream = connect_from(None, address);
    stream
        .write_all(format!("GET {page}static/style.css HTTP/1.1\r\nHost: {address}\r\n\r\n").as_bytes())
        .expect("write");
    // The reply comes, and then the connection stays open only as long as a request head may take.
    let (waited, reply) = until_closed(&mut stream);
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(waited < Duration::from_secs(5), "an idle kept-alive connection is closed (after {waited:?})");
}

#[test]
fn a_thousand_idle_connections_from_many_addresses_and_a_flood_from_one_leave_the_round_answerable() {
    let fx = Fixture::new("Crowded");
    // The default limits: the time limits are long (5 s), so only the connection caps act here.
    let (live, _events) = fx.start(LiveConfig::default());
    let (address, page) = where_(&live);
    let limits = LiveLimits::default();
    let mut idle = Vec::new();
    for i in 0..1_100u32 {
        // 50 addresses of 22 connections each, every one silent.
        let ip = Ipv4Addr::new(127, 0, 10 + (i / 22 / 250) as u8, 1 + ((i / 22) % 250) as u8);
        idle.push(connect_from(Some(ip), address));
    }
    std::thread::sleep(Duration::from_millis(300));
    let open = idle.iter_mut().map(is_closed).filter(|c| !c).count();
    assert!(open <= limits.max_connections, "{open} idle connections are held, at most {}", limits.max_connections);
    // New phones still get in, each from its own address: the longest idle connections make room.
    for n in 1..=5 {
        a_phone_answers(&fx, address, &page, Ipv4Addr::new(127, 0, 20, n));
    }

    // One address opening 200 connections keeps only its share; a phone elsewhere is not affected.
    let flooder = Ipv4Addr::new(127, 0, 30, 1);
    let mut flood: Vec<TcpStream> = (0..200).map(|_| connect_from(Some(flooder), address)).collect();
    std::thread::sleep(Duration::from_millis(300));
    let held = flood.iter_mut().map(is_closed).filter(|c| !c).count();
    assert!(held <= limits.max_connections_per_address, "one address holds {held} connections");
    a_phone_answers(&fx, address, &page, Ipv4Addr::new(127, 0, 20, 9));
}

#[test]
fn a_wrong_token_is_a_bare_404_whatever_the_method_and_an_unknown_host_is_refused() {
    let fx = Fixture::new("Gate");
    let (live, _events) = fx.start(LiveConfig::default());
    let (address, page) = where_(&live);
    for method in ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        for path in ["/wrong/answers", "/wrong/", "/"] {
            if method == "GET" && path == "/" {
                continue; // the short address, where a phone types the join code (tests/live_promises.rs)
            }
            let reply = request(address, method, path, &[], b"");
            assert_eq!(reply.status, 404, "{method} {path}");
            assert!(reply.header("allow").is_none(), "{method} {path} names no routes: {:?}", reply.headers);
        }
    }
    // The right token: a method the route does not take is told so, as HTTP says.
    assert_eq!(request(address, "PUT", &format!("{page}answers"), &[], b"").status, 405);

    // DNS rebinding: a page of another site whose name now points here sends its own Host.
    for host in ["evil.example", "evil.example:80", &format!("attacker.test:{}", address.port()), ""] {
        let reply = request(address, "GET", &page, &[("Host", host)], b"");
        assert_eq!(reply.status, 421, "Host {host:?}");
        assert!(!reply.body.contains("Gate"), "nothing of the round is shown");
    }
    let port = address.port();
    for host in [address.to_string(), format!("localhost:{port}"), format!("LOCALHOST:{port}")] {
        assert_eq!(request(address, "GET", &page, &[("Host", &host)], b"").status, 200, "Host {host}");
    }
}
