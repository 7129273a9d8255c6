//! A live round under load, on loopback: 300 phones each join, then submit 12 scores and 21 ticks, all at once from
//! 30 client threads. Prints p50/p99 submit latency (request sent → reply read, the answer committed), the time
//! from a submission's arrival at the server to its event reaching the window's channel, the wall time for all 300,
//! and the server's extra memory (VmRSS before the round and after the 300 answers). Then criterion measures one
//! phone's submit round trip. Targets: p99 submit ≤ 50 ms; event delivery well under one frame; all within 10 s.
//!
//! The room is run twice: once alone, and once with 1,000 idle connections opened from 50 other loopback addresses
//! just before the phones submit (a hostile device on the Wi-Fi; the server's connection caps close the idle ones
//! to make room). Each phone has its own loopback address, as phones in a room have.
//!
//! `cargo bench --bench live`

#[path = "../tests/live_support/mod.rs"]
mod live_support;

use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use integration_atlas::live::{LiveConfig, LiveEvent, LiveLimits};
use live_support::{Fixture, Phone, form, where_};

const PHONES: usize = 300;
const THREADS: usize = 30;

fn limits() -> LiveLimits {
    // Every phone is on 127.0.0.1 here: the per-address budget is opened up (a room has one address per phone).
    LiveLimits {
        max_participants: 1_000,
        max_submissions: 1_000_000,
        phone_burst: 1e9,
        phone_per_second: 1e9,
        address_burst: 1e9,
        address_per_second: 1e9,
        ..LiveLimits::default()
    }
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// 12 scores and 21 ticks, varied by phone.
fn answers_of(i: usize, sub: &str) -> String {
    let scores: Vec<(i64, u8)> = (1..=12).map(|o| (o, ((i + o as usize) % 5) as u8)).collect();
    let ticks: Vec<(usize, usize)> =
        (0..42).filter(|t| (t + i).is_multiple_of(2)).take(21).map(|t| (t / 6, t % 6)).collect();
    form(sub, None, &scores, &ticks, None)
}

/// Phone `i`'s own loopback address.
fn phone_ip(i: usize) -> Ipv4Addr {
    Ipv4Addr::new(127, 1, (i / 250) as u8, (i % 250 + 1) as u8)
}

/// `n` silent connections, 20 from each of `n / 20` loopback addresses.
fn idle_connections(address: SocketAddr, n: usize) -> Vec<TcpStream> {
    (0..n)
        .filter_map(|i| {
            let ip = Ipv4Addr::new(127, 2, (i / 20 / 250) as u8, (i / 20 % 250 + 1) as u8);
            let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).ok()?;
            socket.bind(&SocketAddr::from((ip, 0)).into()).ok()?;
            socket.connect(&address.into()).ok()?;
            Some(socket.into())
        })
        .collect()
}

fn room(idle: usize) {
    let fx = Fixture::new("Load");
    let before = rss_kib();
    let (live, events) = fx.start(LiveConfig { limits: limits(), ..Default::default() });
    let (address, page) = where_(&live);
    let post = format!("{page}answers");
    // The window's side: events drained as they come, arrival → delivery recorded.
    let delivery = Arc::new(Mutex::new(Vec::new()));
    let sink = delivery.clone();
    let listener = std::thread::spawn(move || {
        let mut seen = 0;
        while seen < PHONES {
            match events.recv_timeout(Duration::from_secs(30)) {
                Ok(LiveEvent::Answered { arrived, .. }) => {
                    sink.lock().expect("sink").push(arrived.elapsed());
                    seen += 1;
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
    });
    // Every phone joins first (the page load), then all submit at once.
    let phones: Vec<(Phone, String)> = std::iter::repeat_n((), PHONES)
        .enumerate()
        .map(|(i, ())| {
            let mut phone = Phone::default();
            let sub = phone.get_from(Some(phone_ip(i)), address, &page).submission().expect("form");
            (phone, sub)
        })
        .collect();
    let joined_rss = rss_kib();
    let chunks: Vec<Vec<(usize, Phone, String)>> = {
        let mut chunks: Vec<Vec<_>> = (0..THREADS).map(|_| Vec::new()).collect();
        for (i, (phone, sub)) in phones.into_iter().enumerate() {
            chunks[i % THREADS].push((i, phone, sub));
        }
        chunks
    };
    let held = idle_connections(address, idle);
    let start = Instant::now();
    let latencies: Vec<Duration> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let post = post.clone();
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for (i, mut phone, sub) in chunk {
                        let sent = Instant::now();
                        let reply = phone.post_from(Some(phone_ip(i)), address, &post, &answers_of(i, &sub), true);
                        out.push(sent.elapsed());
                        assert_eq!(reply.status, 200, "{}", reply.body);
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("client")).collect()
    });
    let wall = start.elapsed();
    listener.join().expect("listener");
    let after = rss_kib();
    assert_eq!(live.counts().answered, PHONES);
    let mut latencies = latencies;
    latencies.sort();
    let mut delivery = delivery.lock().expect("delivery").clone();
    delivery.sort();
    drop(held);
    if idle > 0 {
        println!("with {idle} idle connections opened from 50 other addresses just before the submits:");
    }
    println!("live round, {PHONES} phones × (12 scores + 21 ticks), {THREADS} client threads, loopback:");
    println!(
        "  submit latency p50 {} p99 {} max {}; all {PHONES} answered in {}",
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().unwrap_or(&Duration::ZERO)),
        ms(wall)
    );
    println!(
        "  arrival → event delivered p50 {} p99 {} max {} ({} events)",
        ms(percentile(&delivery, 0.5)),
        ms(percentile(&delivery, 0.99)),
        ms(*delivery.last().unwrap_or(&Duration::ZERO)),
        delivery.len()
    );
    println!(
        "  extra memory (VmRSS, whole bench process): +{} KiB with {PHONES} phones joined, +{} KiB after all answered",
        joined_rss.saturating_sub(before),
        after.saturating_sub(before)
    );
}

fn one_submit(c: &mut Criterion) {
    room(0);
    room(1_000);
    let fx = Fixture::new("One phone");
    let (live, events) = fx.start(LiveConfig { limits: limits(), ..Default::default() });
    let (address, page) = where_(&live);
    let post = format!("{page}answers");
    let mut phone = Phone::default();
    phone.get(address, &page);
    let mut n = 0usize;
    c.bench_function("live/submit 12 scores + 21 ticks (one phone, committed)", |b| {
        b.iter(|| {
            n += 1;
            let reply = phone.post(address, &post, &answers_of(n, &format!("b{n}")), true);
            assert_eq!(reply.status, 200);
            while events.try_recv().is_ok() {}
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(5));
    targets = one_submit
}
criterion_main!(benches);
