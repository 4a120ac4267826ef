//! The small HTTP/1.1 server behind `serve`: a thread per connection,
//! keep-alive, GET and HEAD answered by a handler that may also take the
//! connection over (an event stream). A request's head is read within
//! `MAX_HEAD` bytes and answered 431 past it, so no client makes the server
//! hold more than that (tiny_http, used before, read a header line of any
//! length into memory).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The most bytes a request line and its headers may take together.
pub(crate) const MAX_HEAD: usize = 64 * 1024;
/// Connections served at once; more are answered 503.
const MAX_CONNECTIONS: usize = 256;
/// How long a connection may wait for its next request.
const IDLE: Duration = Duration::from_secs(60);
/// The largest request body read (and dropped) to keep a connection open.
const MAX_BODY: u64 = 1 << 20;

/// A request's line and what of its headers the server needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Request {
    pub method: String,
    /// The request target as sent (`/guide.html?q=x`).
    pub url: String,
    /// HTTP/1.0 without keep-alive, or `Connection: close`.
    close: bool,
    /// Bytes of body that follow the head (`Content-Length`).
    body: u64,
    /// A body whose length is not known (`Transfer-Encoding`): the
    /// connection cannot be read further.
    unframed: bool,
}

/// What the handler made of a request.
pub(crate) enum Answer {
    /// A response; a HEAD request gets its headers (and length) only.
    Body {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// The handler took the connection (a copy of the stream) for itself.
    Taken,
}

pub(crate) type Handler = dyn Fn(&Request, &TcpStream) -> Answer + Send + Sync;

pub(crate) struct Server {
    listener: TcpListener,
}

impl Server {
    pub(crate) fn bind(addr: impl ToSocketAddrs) -> io::Result<Server> {
        Ok(Server {
            listener: TcpListener::bind(addr)?,
        })
    }

    pub(crate) fn local_addr(&self) -> io::Result<std::net::SocketAddr> {
        self.listener.local_addr()
    }

    /// Accepts connections on a thread of its own, for as long as the process runs.
    pub(crate) fn spawn(self, handler: Arc<Handler>) -> io::Result<std::thread::JoinHandle<()>> {
        std::thread::Builder::new()
            .name("almanac-http".into())
            .spawn(move || {
                let open = Arc::new(AtomicUsize::new(0));
                for stream in self.listener.incoming() {
                    let Ok(mut stream) = stream else {
                        // Out of file descriptors, or a connection reset
                        // before it was accepted: go on after a breath.
                        std::thread::sleep(Duration::from_millis(10));
                        continue;
                    };
                    if open.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
                        let _ =
                            respond(&mut stream, 503, &[], b"too many connections", false, true);
                        continue;
                    }
                    open.fetch_add(1, Ordering::SeqCst);
                    let (still_open, handler) = (open.clone(), handler.clone());
                    let spawned = std::thread::Builder::new().spawn(move || {
                        connection(stream, &*handler);
                        still_open.fetch_sub(1, Ordering::SeqCst);
                    });
                    if spawned.is_err() {
                        open.fetch_sub(1, Ordering::SeqCst);
                    }
                }
            })
    }
}

/// What reading a request's head gave.
#[derive(Debug, PartialEq, Eq)]
enum Head {
    Request(Request),
    /// Longer than `MAX_HEAD`.
    TooLarge,
    /// Not an HTTP request line or header.
    Bad,
    /// The client closed the connection between requests.
    Closed,
}

/// Serves the requests of one connection until either side closes it.
fn connection(stream: TcpStream, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(IDLE));
    let _ = stream.set_nodelay(true);
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    loop {
        let request = match read_head(&mut reader, MAX_HEAD) {
            Ok(Head::Request(request)) => request,
            Ok(Head::TooLarge) => {
                let _ = respond(
                    &mut writer,
                    431,
                    &[],
                    b"request header fields too large",
                    false,
                    true,
                );
                // Read what the client still sends, keeping none of it, so
                // it gets the answer rather than a reset connection.
                drain(&mut reader, &writer);
                return;
            }
            Ok(Head::Bad) => {
                let _ = respond(&mut writer, 400, &[], b"bad request", false, true);
                return;
            }
            Ok(Head::Closed) | Err(_) => return,
        };
        let mut close = request.close || request.unframed || request.body > MAX_BODY;
        if !close && request.body > 0 {
            let skipped = io::copy(&mut (&mut reader).take(request.body), &mut io::sink());
            close = skipped.map_or(true, |n| n < request.body);
        }
        match handler(&request, &writer) {
            Answer::Taken => return,
            Answer::Body {
                status,
                headers,
                body,
            } => {
                let head_only = request.method == "HEAD";
                if respond(&mut writer, status, &headers, &body, head_only, close).is_err() || close
                {
                    return;
                }
            }
        }
    }
}

/// Reads a request line and its headers, `limit` bytes at most.
fn read_head(reader: &mut impl BufRead, limit: usize) -> io::Result<Head> {
    let mut left = limit;
    let mut line = Vec::new();
    let mut next_line = |line: &mut Vec<u8>, left: &mut usize| -> io::Result<Option<bool>> {
        line.clear();
        let n = reader.take(*left as u64 + 1).read_until(b'\n', line)?;
        if n == 0 {
            return Ok(None);
        }
        if n > *left {
            return Ok(Some(false));
        }
        *left -= n;
        while line.last().is_some_and(|b| matches!(b, b'\n' | b'\r')) {
            line.pop();
        }
        Ok(Some(true))
    };
    // Empty lines before a request are allowed (RFC 9112 §2.2).
    let request_line = loop {
        match next_line(&mut line, &mut left)? {
            None => return Ok(Head::Closed),
            Some(false) => return Ok(Head::TooLarge),
            Some(true) if line.is_empty() => continue,
            Some(true) => break String::from_utf8_lossy(&line).into_owned(),
        }
    };
    let mut parts = request_line.split(' ');
    let (Some(method), Some(url), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Ok(Head::Bad);
    };
    let version = match version {
        "HTTP/1.1" => 11,
        "HTTP/1.0" => 10,
        _ => return Ok(Head::Bad),
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) || url.is_empty() {
        return Ok(Head::Bad);
    }
    let mut request = Request {
        method: method.to_string(),
        url: url.to_string(),
        close: version == 10,
        body: 0,
        unframed: false,
    };
    loop {
        match next_line(&mut line, &mut left)? {
            None => return Ok(Head::Closed),
            Some(false) => return Ok(Head::TooLarge),
            Some(true) if line.is_empty() => return Ok(Head::Request(request)),
            Some(true) => {}
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return Ok(Head::Bad);
        };
        let name = String::from_utf8_lossy(&line[..colon]).to_ascii_lowercase();
        let value = String::from_utf8_lossy(&line[colon + 1..]);
        let value = value.trim();
        match name.as_str() {
            "connection" => {
                let value = value.to_ascii_lowercase();
                if value.contains("close") {
                    request.close = true;
                } else if value.contains("keep-alive") {
                    request.close = false;
                }
            }
            "content-length" => match value.parse() {
                Ok(n) => request.body = n,
                Err(_) => return Ok(Head::Bad),
            },
            "transfer-encoding" => request.unframed = true,
            _ => {}
        }
    }
}

/// Reads and drops what the client sends, until it stops, for a few seconds
/// at most, then closes the connection.
fn drain(reader: &mut impl Read, stream: &TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut scratch = [0u8; 16 * 1024];
    while Instant::now() < deadline {
        match reader.read(&mut scratch) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Writes a response with its length; the body only when not `head_only`.
fn respond(
    out: &mut impl Write,
    status: u16,
    headers: &[(&'static str, String)],
    body: &[u8],
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
    {
        head.push_str("Content-Type: text/plain; charset=utf-8\r\n");
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: {}\r\n\r\n",
        body.len(),
        if close { "close" } else { "keep-alive" }
    ));
    out.write_all(head.as_bytes())?;
    if !head_only {
        out.write_all(body)?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &[u8], limit: usize) -> Head {
        read_head(&mut BufReader::new(text), limit).unwrap()
    }

    #[test]
    fn heads_are_read_within_the_limit() {
        let get = |url: &str, close: bool| {
            Head::Request(Request {
                method: "GET".into(),
                url: url.into(),
                close,
                body: 0,
                unframed: false,
            })
        };
        assert_eq!(
            head(b"GET /a.html HTTP/1.1\r\nHost: x\r\n\r\n", 1024),
            get("/a.html", false)
        );
        assert_eq!(head(b"\r\nGET / HTTP/1.0\r\n\r\n", 1024), get("/", true));
        assert_eq!(
            head(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n", 1024),
            get("/", true)
        );
        let long = format!("GET / HTTP/1.1\r\nX-A: {}\r\n\r\n", "a".repeat(100));
        assert_eq!(head(long.as_bytes(), 64), Head::TooLarge);
        // Exactly at the limit is fine.
        let exact = b"GET / HTTP/1.1\r\n\r\n";
        assert_eq!(head(exact, exact.len()), get("/", false));
        assert_eq!(head(exact, exact.len() - 1), Head::TooLarge);
        for bad in [
            &b"GET /\r\n\r\n"[..],
            b"GET / HTTP/2\r\n\r\n",
            b"get / HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nno colon\r\n\r\n",
            b"GET / HTTP/1.1\r\nContent-Length: lots\r\n\r\n",
        ] {
            assert_eq!(
                head(bad, 1024),
                Head::Bad,
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        assert_eq!(head(b"", 1024), Head::Closed);
        assert_eq!(head(b"GET / HTTP/1.1\r\nHost: x\r\n", 1024), Head::Closed);
    }
}
