//! A hostile HTTP/1.1 server for tests, on `127.0.0.1:0`.
//!
//! Plain std threads and blocking sockets (one thread per connection, no
//! tokio), so it works under any runtime flavour and in both test crates
//! (`tests/hostile.rs` and `clickstack-runtime/tests/`). The server parses
//! requests (request line, headers, a `Content-Length` body) and records
//! them with their arrival instant; what goes back is written byte by byte
//! by the test's handler: lying `Content-Length`s, endless bodies, stalls,
//! redirect loops, echoed headers.
//!
//! A handler runs on the connection's thread and must not panic (record
//! what it saw instead; the test asserts). Dropping the [`Server`] stops
//! every stall and closes every connection.

#![allow(dead_code)]

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A request as the server received it.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    /// The raw request line, e.g. `GET /api/v2/dashboards HTTP/1.1`.
    pub(crate) line: String,
    /// The method.
    pub(crate) method: String,
    /// The raw request target (path and query), exactly as sent.
    pub(crate) target: String,
    /// Headers, names lowercased, in order.
    pub(crate) headers: Vec<(String, String)>,
    /// The body (by `Content-Length`).
    pub(crate) body: Vec<u8>,
    /// When its head had arrived whole.
    pub(crate) at: Instant,
    /// Which connection (0-based, in accept order) carried it.
    pub(crate) connection: usize,
    /// Its index among all requests of the server.
    pub(crate) index: usize,
}

impl Request {
    /// The first header of this name (case-insensitive).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The path, without the query.
    pub(crate) fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// A query parameter, raw (not decoded).
    pub(crate) fn query(&self, key: &str) -> Option<&str> {
        let (_, query) = self.target.split_once('?')?;
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }
}

/// What the connection does after a handler returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// Read the next request on the same connection.
    KeepAlive,
    /// Close the connection.
    Close,
}

struct Shared {
    requests: Mutex<Vec<Request>>,
    connections: AtomicUsize,
    stop: AtomicBool,
    open: Mutex<Vec<TcpStream>>,
}

impl Shared {
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

/// The server's side of one connection, handed to the handler.
pub(crate) struct Conn {
    stream: TcpStream,
    shared: Arc<Shared>,
}

impl Conn {
    /// Writes all of `bytes`.
    pub(crate) fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes)?;
        self.stream.flush()
    }

    /// Writes a whole response with a correct `Content-Length`, keeping the
    /// connection open.
    pub(crate) fn respond(&mut self, status: u16, headers: &[(&str, &str)], body: &[u8]) -> Next {
        match self.write(&response(status, headers, body)) {
            Ok(()) => Next::KeepAlive,
            Err(_) => Next::Close,
        }
    }

    /// A JSON response.
    pub(crate) fn json(&mut self, status: u16, body: &str) -> Next {
        self.respond(
            status,
            &[("content-type", "application/json")],
            body.as_bytes(),
        )
    }

    /// Writes `total` bytes of `fill` in 64 KiB pieces (as chunked
    /// transfer-encoding chunks when `chunked`), stopping at the first
    /// write error. Returns the body bytes written and the error, if any.
    pub(crate) fn stream_fill(
        &mut self,
        fill: u8,
        total: u64,
        chunked: bool,
    ) -> (u64, Option<io::Error>) {
        let piece = vec![fill; 64 * 1024];
        let mut written = 0u64;
        while written < total {
            let n = usize::try_from((total - written).min(piece.len() as u64)).unwrap();
            let result = if chunked {
                let mut chunk = format!("{n:x}\r\n").into_bytes();
                chunk.extend_from_slice(&piece[..n]);
                chunk.extend_from_slice(b"\r\n");
                self.stream.write_all(&chunk)
            } else {
                self.stream.write_all(&piece[..n])
            };
            if let Err(e) = result {
                return (written, Some(e));
            }
            written += n as u64;
        }
        (written, None)
    }

    /// Sleeps until `max` has passed, `until` turns true, or the server
    /// stops, whichever comes first; true when `until` ended it.
    pub(crate) fn stall_until(&self, max: Duration, until: &AtomicBool) -> bool {
        let start = Instant::now();
        while start.elapsed() < max && !self.shared.stopped() {
            if until.load(Ordering::SeqCst) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        until.load(Ordering::SeqCst)
    }

    /// Sleeps until `max` has passed or the server stops.
    pub(crate) fn stall(&self, max: Duration) {
        self.stall_until(max, &AtomicBool::new(false));
    }

    /// Whether the client closed the connection: waits up to `max` for EOF
    /// or a reset (true), or for `max` to pass with the connection still
    /// open (false). Data the client sends meanwhile is discarded.
    pub(crate) fn peer_closed_within(&mut self, max: Duration) -> bool {
        let start = Instant::now();
        let mut buf = [0u8; 4096];
        while start.elapsed() < max && !self.shared.stopped() {
            match self.stream.read(&mut buf) {
                Ok(0) => return true,
                Ok(_) => {}
                Err(e) if is_timeout(&e) => {}
                Err(_) => return true,
            }
        }
        false
    }
}

/// A response with a correct `Content-Length` and the given headers.
pub(crate) fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status)).into_bytes();
    out.extend_from_slice(format!("content-length: {}\r\n", body.len()).as_bytes());
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        302 => "Found",
        307 => "Temporary Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// A running server; stops when dropped.
pub(crate) struct Server {
    shared: Arc<Shared>,
    addr: SocketAddr,
}

type Handler = dyn Fn(&Request, &mut Conn) -> Next + Send + Sync;

impl Server {
    /// Starts a server calling `handler` for every request.
    pub(crate) fn start<F>(handler: F) -> Server
    where
        F: Fn(&Request, &mut Conn) -> Next + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            requests: Mutex::new(Vec::new()),
            connections: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            open: Mutex::new(Vec::new()),
        });
        let handler: Arc<Handler> = Arc::new(handler);
        let accept_shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if accept_shared.stopped() {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let connection = accept_shared.connections.fetch_add(1, Ordering::SeqCst);
                if let Ok(clone) = stream.try_clone() {
                    accept_shared.open.lock().unwrap().push(clone);
                }
                let shared = Arc::clone(&accept_shared);
                let handler = Arc::clone(&handler);
                std::thread::spawn(move || serve(stream, connection, &shared, &*handler));
            }
        });
        Server { shared, addr }
    }

    /// A server answering every request with this JSON.
    pub(crate) fn json(status: u16, body: &str) -> Server {
        let body = body.to_string();
        Server::start(move |_, conn| conn.json(status, &body))
    }

    /// `http://127.0.0.1:<port>`.
    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The port.
    pub(crate) fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Every request received so far.
    pub(crate) fn requests(&self) -> Vec<Request> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// The request lines received so far.
    pub(crate) fn lines(&self) -> Vec<String> {
        self.requests().into_iter().map(|r| r.line).collect()
    }

    /// How many requests arrived whole.
    pub(crate) fn count(&self) -> usize {
        self.shared.requests.lock().unwrap().len()
    }

    /// How many connections were accepted.
    pub(crate) fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        for stream in self.shared.open.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
        // Wake the accept loop so that it sees the flag and exits.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

/// Serves one connection: read a request, record it, hand it over.
fn serve(stream: TcpStream, connection: usize, shared: &Arc<Shared>, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(20)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(20)));
    let _ = stream.set_nodelay(true);
    let Ok(reader) = stream.try_clone() else {
        return;
    };
    let mut reader = reader;
    let mut conn = Conn {
        stream,
        shared: Arc::clone(shared),
    };
    let mut buffered: Vec<u8> = Vec::new();
    while let Some(request) = read_request(&mut reader, &mut buffered, connection, shared) {
        if handler(&request, &mut conn) == Next::Close {
            let _ = conn.stream.flush();
            let _ = conn.stream.shutdown(Shutdown::Write);
            // Let the client read what was sent before the socket closes.
            conn.peer_closed_within(Duration::from_secs(2));
            break;
        }
    }
    // The accept loop keeps a clone of the socket (to close it when the
    // server stops): shut it down so that the client sees the close now.
    let _ = conn.stream.shutdown(Shutdown::Both);
}

/// Reads more bytes into `buffered`; `None` on EOF, error or stop.
fn fill(reader: &mut TcpStream, buffered: &mut Vec<u8>, shared: &Shared) -> Option<()> {
    let mut buf = [0u8; 16 * 1024];
    loop {
        if shared.stopped() {
            return None;
        }
        match reader.read(&mut buf) {
            Ok(0) => return None,
            Ok(n) => {
                buffered.extend_from_slice(&buf[..n]);
                return Some(());
            }
            Err(e) if is_timeout(&e) => {}
            Err(_) => return None,
        }
    }
}

fn read_request(
    reader: &mut TcpStream,
    buffered: &mut Vec<u8>,
    connection: usize,
    shared: &Shared,
) -> Option<Request> {
    let head_end = loop {
        if let Some(i) = buffered.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        fill(reader, buffered, shared)?;
    };
    let at = Instant::now();
    let head = String::from_utf8_lossy(&buffered[..head_end]).into_owned();
    buffered.drain(..head_end + 4);
    let mut lines = head.split("\r\n");
    let line = lines.next().unwrap_or("").to_string();
    let mut parts = line.split(' ');
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    while buffered.len() < length {
        fill(reader, buffered, shared)?;
    }
    let body: Vec<u8> = buffered.drain(..length).collect();
    let mut requests = shared.requests.lock().unwrap();
    let request = Request {
        line,
        method,
        target,
        headers,
        body,
        at,
        connection,
        index: requests.len(),
    };
    requests.push(request.clone());
    Some(request)
}
