//! The live server's connections, so that a hostile Wi-Fi cannot freeze a round:
//! - the accept loop never waits on a cap: it takes every connection the system hands it and then decides;
//! - connections are capped per client address and in all; when a cap is reached, the connection that has been
//!   idle longest (no request under way) is closed to make room, and only when none is idle is the new one refused;
//! - hyper's header-read timeout closes a connection whose request head does not arrive in time: a silent
//!   connection, a request line sent half, headers trickled, and a kept-alive connection left idle (hyper starts the
//!   timer again while it waits for the next request);
//! - the body and the whole request have their own time limits (tower-http, in `server::router`).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};
use tower::ServiceExt as _;

use super::{LiveLimits, lock};

/// How long a stopping server waits for requests under way.
const DRAIN: Duration = Duration::from_secs(2);

/// What one connection tells the table: requests under way, and when it was last active.
#[derive(Default)]
struct Activity {
    busy: AtomicUsize,
    /// Milliseconds since the table was made.
    last: AtomicU64,
}

struct Entry {
    address: IpAddr,
    activity: Arc<Activity>,
    /// Dropping or sending closes the connection.
    shed: oneshot::Sender<()>,
}

/// Every open connection of one server, by a number of its own.
pub(super) struct Table {
    started: Instant,
    next: u64,
    open: HashMap<u64, Entry>,
    /// Connections closed to make room, and new ones refused because nothing could be closed (tests read them).
    pub(super) shed: u64,
    pub(super) refused: u64,
}

pub(super) type Conns = Arc<Mutex<Table>>;

pub(super) fn table() -> Conns {
    Arc::new(Mutex::new(Table { started: Instant::now(), next: 0, open: HashMap::new(), shed: 0, refused: 0 }))
}

/// A connection let in: its number, what it reports, and the signal that closes it.
struct Admitted {
    id: u64,
    activity: Arc<Activity>,
    shed: oneshot::Receiver<()>,
}

impl Table {
    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Lets a connection from `address` in, closing the longest-idle one where a cap is reached; `None` when a
    /// cap is reached and every connection it counts has a request under way.
    fn admit(&mut self, address: IpAddr, limits: &LiveLimits) -> Option<Admitted> {
        let mine = self.open.values().filter(|e| e.address == address).count();
        if mine >= limits.max_connections_per_address && !self.shed_idle(Some(address)) {
            self.refused += 1;
            return None;
        }
        if self.open.len() >= limits.max_connections && !self.shed_idle(None) {
            self.refused += 1;
            return None;
        }
        let activity = Arc::new(Activity::default());
        activity.last.store(self.now_ms(), Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        self.next += 1;
        let id = self.next;
        self.open.insert(id, Entry { address, activity: activity.clone(), shed: tx });
        Some(Admitted { id, activity, shed: rx })
    }

    /// Closes the connection idle longest (of `address`, or of anyone); false if none is idle.
    fn shed_idle(&mut self, address: Option<IpAddr>) -> bool {
        let victim = self
            .open
            .iter()
            .filter(|(_, e)| e.activity.busy.load(Ordering::Relaxed) == 0)
            .filter(|(_, e)| address.is_none_or(|a| e.address == a))
            .min_by_key(|(id, e)| (e.activity.last.load(Ordering::Relaxed), **id))
            .map(|(id, _)| *id);
        let Some(id) = victim else { return false };
        if let Some(entry) = self.open.remove(&id) {
            let _ = entry.shed.send(());
        }
        self.shed += 1;
        true
    }

    /// Connections open now.
    #[cfg(test)]
    pub(super) fn open(&self) -> usize {
        self.open.len()
    }
}

/// Marks a request under way on its connection until dropped.
struct Busy {
    activity: Arc<Activity>,
    /// The table's start, which `Activity::last` counts from.
    started: Instant,
}

impl Busy {
    fn new(activity: &Arc<Activity>, started: Instant) -> Self {
        activity.busy.fetch_add(1, Ordering::Relaxed);
        Self { activity: activity.clone(), started }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        let now = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.activity.last.store(now, Ordering::Relaxed);
        self.activity.busy.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Accepts on `listener` until `stopped`, serving each connection on a task of its own; then waits a moment for
/// the requests under way.
pub(super) async fn accept_loop(
    listener: TcpListener,
    app: Router,
    limits: LiveLimits,
    conns: Conns,
    mut stopped: watch::Receiver<bool>,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout).keep_alive(true);
    let http = Arc::new(http);
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = until_stopped(&mut stopped) => break,
        };
        // Finished connections' tasks are collected as we go.
        while tasks.try_join_next().is_some() {}
        let (stream, peer) = match accepted {
            Ok(pair) => pair,
            Err(_) => {
                // Out of file descriptors or a connection reset before it was taken: make room and go on.
                lock(&conns).shed_idle(None);
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let Some(admitted) = lock(&conns).admit(peer.ip(), &limits) else {
            drop(stream);
            continue;
        };
        tasks.spawn(serve(stream, peer, app.clone(), http.clone(), admitted, conns.clone(), stopped.clone()));
    }
    let _ = tokio::time::timeout(DRAIN, async { while tasks.join_next().await.is_some() {} }).await;
}

/// Returns once the server is told to stop (or its stopper is gone).
async fn until_stopped(stopped: &mut watch::Receiver<bool>) {
    let _ = stopped.wait_for(|s| *s).await;
}

/// Serves one connection until it ends, is shed, or the server stops (then requests under way may finish).
async fn serve(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    http: Arc<hyper::server::conn::http1::Builder>,
    admitted: Admitted,
    conns: Conns,
    mut stopped: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let Admitted { id, activity, shed } = admitted;
    let for_requests = (activity.clone(), lock(&conns).started);
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        let busy = Busy::new(&for_requests.0, for_requests.1);
        let app = app.clone();
        async move {
            let response = app.oneshot(request).await;
            drop(busy);
            response
        }
    });
    let connection = http.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        _ = shed => {}
        () = until_stopped(&mut stopped) => {
            connection.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(DRAIN, connection.as_mut()).await;
        }
    }
    lock(&conns).open.remove(&id);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(per_address: usize, total: usize) -> LiveLimits {
        LiveLimits { max_connections_per_address: per_address, max_connections: total, ..LiveLimits::default() }
    }

    #[test]
    fn a_full_table_sheds_the_longest_idle_connection_and_never_a_busy_one() {
        let conns = table();
        let mut t = lock(&conns);
        let l = limits(2, 3);
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        let first = t.admit(a, &l).expect("room");
        first.activity.busy.store(1, Ordering::Relaxed);
        let mut second = t.admit(a, &l).expect("room");
        // A third from the same address: the idle one of that address goes, the busy one stays.
        let _third = t.admit(a, &l).expect("the idle one made room");
        assert!(second.shed.try_recv().is_ok(), "the idle connection was told to close");
        assert_eq!((t.open(), t.shed), (2, 1));
        let _c = t.admit(b, &l).expect("room in all");
        assert_eq!(t.open(), 3);
        // Everyone busy: a newcomer is refused, nobody is cut off mid-request.
        for e in t.open.values() {
            e.activity.busy.store(1, Ordering::Relaxed);
        }
        assert!(t.admit(b, &l).is_none());
        assert_eq!((t.open(), t.refused), (3, 1));
    }
}
