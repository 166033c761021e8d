//! The Rust API (feature `std`): listeners and streams of std's types on
//! any address, their options, and the error type.

use core::ffi::c_int;
use core::fmt;
use std::io;
use std::net::{SocketAddr, SocketAddrV4, TcpListener, TcpStream, ToSocketAddrs};
use std::os::fd::OwnedFd;
use std::time::{Duration, Instant};

use crate::raw::{self, Errno, Failure, Fd, Step};
use crate::sys;

/// A failure of [`listen`], [`connect`] and the other functions of the
/// Rust API.
///
/// * [`kind()`](Error::kind) and [`raw_os_error()`](Error::raw_os_error)
///   answer as those of the `io::Error` that std's `TcpListener::bind` or
///   `TcpStream::connect` returns for the same failure: `AddrInUse` and
///   `Some(EADDRINUSE)` for a taken port, for example;
/// * [`step()`](Error::step) and [`addr()`](Error::addr) say which system
///   call failed on which address (the address as given, or as resolved
///   from what was given);
/// * as an error it is a chain in which each link says one thing: its
///   `Display` is the step and the address, `bind 127.0.0.1:8890`, and its
///   `source()` is std's `io::Error` for the failure, `Address already in
///   use (os error 98)` (the C library's text: glibc's here, musl says
///   `Address in use`). anyhow's `{:#}` and eyre print both: `bind
///   127.0.0.1:8890: Address already in use (os error 98)`. An error that
///   is no system call's (the address does not resolve, a zero timeout) has
///   no step: it displays as that `io::Error`;
/// * `?` in a function returning `io::Result` turns it into that std
///   `io::Error` (`From<Error> for io::Error`), whose `raw_os_error()` code
///   matching on keeps working; the step and address stay with the `Error`,
///   so keep it (or an anyhow/eyre chain) where the message matters.
///
/// ```
/// use std::io::ErrorKind;
/// use std::net::TcpListener;
/// use sockctl_core::raw::Step;
///
/// let taken = sockctl_core::listen("127.0.0.1:0")?;
/// let addr = taken.local_addr()?;
/// let err = sockctl_core::listen(addr).unwrap_err();
/// let std_err = TcpListener::bind(addr).unwrap_err();
/// assert_eq!((err.kind(), err.raw_os_error()), (std_err.kind(), std_err.raw_os_error()));
/// assert_eq!(err.kind(), ErrorKind::AddrInUse);
/// assert_eq!((err.step(), err.addr()), (Some(Step::Bind), Some(addr)));
/// assert_eq!(err.to_string(), format!("bind {addr}"));
/// let source = std::error::Error::source(&err).unwrap();
/// assert_eq!(source.to_string(), std_err.to_string());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Error {
    step: Option<Step>,
    addr: Option<SocketAddr>,
    source: io::Error,
}

impl Error {
    /// How a step's `errno` on `addr` becomes an `Error`.
    pub(crate) fn at(step: Step, addr: SocketAddr) -> impl FnOnce(Errno) -> Error {
        move |errno| Error {
            step: Some(step),
            addr: Some(addr),
            source: io::Error::from(errno),
        }
    }

    /// An error that is no step's: as `e` says.
    fn other(e: io::Error) -> Error {
        Error {
            step: None,
            addr: None,
            source: e,
        }
    }

    /// The kind of error, as `io::Error::kind` of std's error for the same
    /// failure (the `errno`'s kind for a system call's).
    pub fn kind(&self) -> io::ErrorKind {
        self.source.kind()
    }

    /// The `errno` of the failing system call, as
    /// `io::Error::raw_os_error` of std's error for the same failure.
    pub fn raw_os_error(&self) -> Option<i32> {
        self.source.raw_os_error()
    }

    /// The step that failed; `None` when it was no system call of a
    /// socket (the address did not resolve, an invalid argument).
    pub fn step(&self) -> Option<Step> {
        self.step
    }

    /// The address the failing step worked on: the one to listen on or the
    /// peer; `None` with [`step()`](Error::step) `None`.
    pub fn addr(&self) -> Option<SocketAddr> {
        self.addr
    }
}

/// `<step> <address>`, for example `bind 127.0.0.1:8890` (the reason is
/// the `source()`); without a step, the `io::Error`'s text.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.step, self.addr) {
            (Some(step), Some(addr)) => write!(f, "{step} {addr}"),
            _ => fmt::Display::fmt(&self.source, f),
        }
    }
}

/// With a step, std's `io::Error` for the failure; without, that error's
/// own source (the error displays as it).
impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self.step {
            Some(_) => Some(&self.source),
            None => self.source.source(),
        }
    }
}

/// std's `io::Error` for the failure: the same `kind()`, `raw_os_error()`
/// and text as std's own for it, without the step and address.
impl From<Error> for io::Error {
    fn from(e: Error) -> Self {
        e.source
    }
}

/// A failure of the step layer, with its step, address and `errno`.
impl From<Failure> for Error {
    fn from(f: Failure) -> Self {
        Error::at(f.step(), SocketAddr::V4(f.addr()))(f.errno())
    }
}

/// Runs `f` on each address that `addr` resolves to, in order, until one
/// succeeds, as std's `TcpListener::bind` and `TcpStream::connect` do: the
/// first success, or the last address's error.
fn each_addr<T>(addr: impl ToSocketAddrs, mut f: impl FnMut(SocketAddr) -> Result<T, Error>) -> Result<T, Error> {
    let mut last = None;
    for addr in addr.to_socket_addrs().map_err(Error::other)? {
        match f(addr) {
            Ok(value) => return Ok(value),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| {
        Error::other(io::Error::new(
            io::ErrorKind::InvalidInput,
            "could not resolve to any addresses",
        ))
    }))
}

/// The options of a listener: [`ListenOptions::new`], change what needs
/// changing, then [`listen`](ListenOptions::listen).
///
/// | option | default | why |
/// | --- | --- | --- |
/// | [`backlog`](ListenOptions::backlog) | 128 | std's (`TcpListener::bind`); the legacy 15 is [`listen_legacy`]'s |
/// | [`nonblocking`](ListenOptions::nonblocking) | off | std's; on for tokio's `from_std` |
/// | [`only_v6`](ListenOptions::only_v6) | on | `IPV6_V6ONLY`; std leaves it to the system (see below) |
///
/// Always, as std's listener: `SO_REUSEADDR` (a restarted server binds its
/// port again while old connections are in `TIME_WAIT`) and `FD_CLOEXEC`
/// (set atomically where `socket()` takes `SOCK_CLOEXEC`).
///
/// **IPv6 and dual stack.** A listener on an IPv6 address accepts IPv6
/// connections only (`IPV6_V6ONLY` on): std does not set the option, so
/// what `[::]:port` accepts would depend on the system (Linux: IPv4 too,
/// unless the sysctl `net.ipv6.bindv6only` says otherwise; the BSDs: IPv6
/// only) and a gateway would behave differently where it is deployed. To
/// serve both families, listen on `0.0.0.0:port` and `[::]:port` (two
/// listeners, which may share the port), or ask for one dual-stack socket
/// with `only_v6(false)`: IPv4 peers then appear as `::ffff:a.b.c.d`
/// (OpenBSD has no dual-stack sockets: there it fails at
/// [`Step::V6Only`]). The option does not apply to IPv4 addresses.
///
/// ```
/// use sockctl_core::ListenOptions;
///
/// let listener = ListenOptions::new().backlog(32).nonblocking(true).listen("[::1]:0")?;
/// assert!(listener.local_addr()?.is_ipv6());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListenOptions {
    backlog: i32,
    nonblocking: bool,
    only_v6: bool,
}

impl Default for ListenOptions {
    fn default() -> Self {
        ListenOptions::new()
    }
}

impl ListenOptions {
    /// The defaults: backlog 128, blocking, `IPV6_V6ONLY` on.
    pub const fn new() -> ListenOptions {
        ListenOptions {
            backlog: 128,
            nonblocking: false,
            only_v6: true,
        }
    }

    /// The length of the queue of connections not yet accepted, as
    /// `listen()` takes it (the kernel may cap it: Linux at the sysctl
    /// `net.core.somaxconn`).
    pub const fn backlog(mut self, backlog: i32) -> ListenOptions {
        self.backlog = backlog;
        self
    }

    /// Whether the listener is non-blocking (`O_NONBLOCK`, set with the
    /// socket where the system allows): `accept` then fails with
    /// `WouldBlock` instead of waiting. tokio's `from_std` needs it on.
    pub const fn nonblocking(mut self, nonblocking: bool) -> ListenOptions {
        self.nonblocking = nonblocking;
        self
    }

    /// `IPV6_V6ONLY` of a listener on an IPv6 address: on, IPv6
    /// connections only; off, IPv4 ones too where the system has dual-stack
    /// sockets (see the type's documentation).
    pub const fn only_v6(mut self, only_v6: bool) -> ListenOptions {
        self.only_v6 = only_v6;
        self
    }

    /// Opens a TCP listening socket on `addr` (anything `ToSocketAddrs`
    /// takes: `"[::1]:8890"`, a `SocketAddr`, `(Ipv4Addr::LOCALHOST, 0)`),
    /// trying each address it resolves to in turn until one works, as std's
    /// `TcpListener::bind`. With port 0 the kernel picks a free port:
    /// `local_addr()` tells which.
    ///
    /// # Errors
    /// The failing step's [`Error`]: `socket`, `setsockopt(SO_REUSEADDR)`,
    /// `setsockopt(IPV6_V6ONLY)`, `bind` (`AddrInUse` for a taken port,
    /// `AddrNotAvailable` for an address that is not this host's,
    /// `PermissionDenied` for a privileged port) or `listen`; with several
    /// addresses, the last one's. An address that does not resolve fails
    /// as in std. The socket is closed on every error.
    pub fn listen(&self, addr: impl ToSocketAddrs) -> Result<TcpListener, Error> {
        each_addr(addr, |addr| self.listen_on(addr))
    }

    fn listen_on(&self, addr: SocketAddr) -> Result<TcpListener, Error> {
        let at = |step| Error::at(step, addr);
        let fd = sys::socket_stream(sys::domain_of(&addr), 0, true, self.nonblocking).map_err(at(Step::Socket))?;
        sys::set_int_opt(&fd, libc::SOL_SOCKET, libc::SO_REUSEADDR, 1).map_err(at(Step::ReuseAddr))?;
        if addr.is_ipv6() {
            sys::set_int_opt(&fd, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY, c_int::from(self.only_v6))
                .map_err(at(Step::V6Only))?;
        }
        sys::bind(&fd, &addr).map_err(at(Step::Bind))?;
        sys::listen(&fd, self.backlog).map_err(at(Step::Listen))?;
        Ok(TcpListener::from(OwnedFd::from(fd)))
    }
}

/// The options of a client connection: [`ConnectOptions::new`], change
/// what needs changing, then [`connect`](ConnectOptions::connect).
///
/// | option | default | why |
/// | --- | --- | --- |
/// | [`timeout`](ConnectOptions::timeout) | none | std's `TcpStream::connect`: the kernel's own limit |
/// | [`nodelay`](ConnectOptions::nodelay) | off | std's; the legacy client's on is [`connect_legacy`]'s |
/// | [`nonblocking`](ConnectOptions::nonblocking) | off | std's; on for tokio's `from_std` |
///
/// `TCP_NODELAY` off (Nagle's algorithm on) costs nothing to a client that
/// writes each message whole and waits for the reply, as the gateway's
/// does; turn it on for one that writes a message in several small pieces
/// and must not wait for the peer's acknowledgement between them.
///
/// Always, as std's stream: `FD_CLOEXEC` (set atomically where `socket()`
/// takes `SOCK_CLOEXEC`). A signal that interrupts the connect (`EINTR`)
/// does not end it: this waits for its outcome (std's convention; the C
/// ABI's `tcpCreateClient` fails with `EINTR`, as the original did).
///
/// ```
/// use std::time::Duration;
/// use sockctl_core::ConnectOptions;
///
/// let listener = sockctl_core::listen("127.0.0.1:0")?;
/// let options = ConnectOptions::new().timeout(Some(Duration::from_secs(5))).nodelay(true);
/// let stream = options.connect(listener.local_addr()?)?;
/// assert!(stream.nodelay()?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectOptions {
    timeout: Option<Duration>,
    nodelay: bool,
    nonblocking: bool,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions::new()
    }
}

impl ConnectOptions {
    /// The defaults: no timeout, `TCP_NODELAY` off, blocking.
    pub const fn new() -> ConnectOptions {
        ConnectOptions {
            timeout: None,
            nodelay: false,
            nonblocking: false,
        }
    }

    /// A limit on each connection attempt (a non-blocking `connect`, then
    /// `poll`), as std's `TcpStream::connect_timeout`: when it runs out the
    /// attempt fails with `TimedOut` at [`Step::Connect`]. `None`: a
    /// blocking `connect`, bounded by the kernel only. A zero timeout makes
    /// `connect` fail with `InvalidInput`, as std's does.
    pub const fn timeout(mut self, timeout: Option<Duration>) -> ConnectOptions {
        self.timeout = timeout;
        self
    }

    /// `TCP_NODELAY`: on, small writes go out at once instead of waiting for
    /// the peer's acknowledgement of the previous ones (Nagle's algorithm).
    pub const fn nodelay(mut self, nodelay: bool) -> ConnectOptions {
        self.nodelay = nodelay;
        self
    }

    /// Whether the connected stream is non-blocking (`O_NONBLOCK`): reads
    /// and writes then fail with `WouldBlock` instead of waiting. The
    /// connect itself still waits for the connection (within the timeout).
    /// tokio's `from_std` needs it on.
    pub const fn nonblocking(mut self, nonblocking: bool) -> ConnectOptions {
        self.nonblocking = nonblocking;
        self
    }

    /// Connects a TCP socket to `addr` (anything `ToSocketAddrs` takes),
    /// trying each address it resolves to in turn until one connects, as
    /// std's `TcpStream::connect`.
    ///
    /// # Errors
    /// The failing step's [`Error`]: `socket`, `setsockopt(TCP_NODELAY)`,
    /// `connect` (`ConnectionRefused` when nothing listens there,
    /// `TimedOut` when the timeout runs out) or `fcntl(F_SETFL)`; with
    /// several addresses, the last one's. A zero timeout is `InvalidInput`;
    /// an address that does not resolve fails as in std. The socket is
    /// closed on every error.
    pub fn connect(&self, addr: impl ToSocketAddrs) -> Result<TcpStream, Error> {
        if self.timeout == Some(Duration::ZERO) {
            return Err(Error::other(io::Error::new(
                io::ErrorKind::InvalidInput,
                "cannot connect with a zero timeout",
            )));
        }
        each_addr(addr, |addr| self.connect_to(addr))
    }

    fn connect_to(&self, addr: SocketAddr) -> Result<TcpStream, Error> {
        let at = |step| Error::at(step, addr);
        // A timeout needs a non-blocking connect; a non-blocking stream
        // gets one too (the socket is non-blocking from its creation).
        let nonblocking_connect = self.timeout.is_some() || self.nonblocking;
        // A timeout too long for Instant is no limit.
        let deadline = self.timeout.and_then(|t| Instant::now().checked_add(t));
        let fd = sys::socket_stream(sys::domain_of(&addr), 0, true, nonblocking_connect).map_err(at(Step::Socket))?;
        if self.nodelay {
            sys::set_int_opt(&fd, libc::IPPROTO_TCP, libc::TCP_NODELAY, 1).map_err(at(Step::NoDelay))?;
        }
        connect_fd(&fd, &addr, deadline).map_err(at(Step::Connect))?;
        if nonblocking_connect && !self.nonblocking {
            sys::set_nonblocking_flag(&fd, false).map_err(at(Step::NonBlocking))?;
        }
        Ok(TcpStream::from(OwnedFd::from(fd)))
    }
}

/// Opens a TCP listening socket on `addr` with the default
/// [`ListenOptions`]: as std's `TcpListener::bind` (backlog 128, blocking,
/// `SO_REUSEADDR`, `FD_CLOEXEC`), and `IPV6_V6ONLY` on an IPv6 address.
///
/// Unlike `listenSocket`, this leaves the process's `SIGPIPE` disposition
/// alone (see the crate's documentation, "SIGPIPE", and
/// [`ignore_sigpipe`]).
///
/// # Errors
/// As [`ListenOptions::listen`].
///
/// # Example: the next migration step, the legacy server's loop in Rust
/// ```
/// use std::io::{Read, Write};
/// use std::net::{Shutdown, TcpStream};
///
/// let listener = sockctl_core::listen("127.0.0.1:0")?;
/// let addr = listener.local_addr()?;
///
/// // A client for the example; in the gateway it is another process.
/// let client = std::thread::spawn(move || -> std::io::Result<Vec<u8>> {
///     let mut s = TcpStream::connect(addr)?;
///     s.write_all(b"hello World")?;
///     let mut reply = [0u8; 10];
///     s.read_exact(&mut reply)?;
///     s.shutdown(Shutdown::Write)?; // the client leaves
///     Ok(reply.to_vec())
/// });
///
/// // The server: accept one client, answer every chunk it sends with
/// // "Im server\n", and stop when it leaves (read returns 0).
/// let (mut stream, _) = listener.accept()?;
/// let mut buf = [0u8; 1024];
/// let mut chunks = 0;
/// loop {
///     let n = stream.read(&mut buf)?;
///     if n == 0 {
///         break;
///     }
///     chunks += 1;
///     stream.write_all(b"Im server\n")?;
/// }
/// assert_eq!(chunks, 1);
/// assert_eq!(client.join().unwrap()?, b"Im server\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn listen(addr: impl ToSocketAddrs) -> Result<TcpListener, Error> {
    ListenOptions::new().listen(addr)
}

/// Connects a TCP socket to `addr` with the default [`ConnectOptions`]: as
/// std's `TcpStream::connect` (no timeout, `TCP_NODELAY` off, blocking,
/// `FD_CLOEXEC`).
///
/// # Errors
/// As [`ConnectOptions::connect`].
///
/// ```
/// use std::io::Write;
///
/// let listener = sockctl_core::listen("[::1]:0")?;
/// let mut stream = sockctl_core::connect(listener.local_addr()?).inspect_err(|e| {
///     // What failed, and why: "connect [::1]:40000: Connection refused (os error 111)"
///     let why = std::error::Error::source(e).map(ToString::to_string).unwrap_or_default();
///     eprintln!("{e}: {why}");
/// })?;
/// stream.write_all(b"hello World")?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn connect(addr: impl ToSocketAddrs) -> Result<TcpStream, Error> {
    ConnectOptions::new().connect(addr)
}

/// Opens the legacy server's listening socket on `0.0.0.0:port`, as
/// `listenSocket` does: IPv4, on every local address, `SO_REUSEADDR`,
/// backlog [`LEGACY_BACKLOG`](crate::LEGACY_BACKLOG) (15), blocking, and
/// **without `FD_CLOEXEC`** (a child process that `exec`s keeps the port
/// open). For code that relies on that; new code calls [`listen`].
///
/// # Errors
/// The failing step's [`Error`] (`socket`, `setsockopt(SO_REUSEADDR)`,
/// `bind`, `getsockname` for port 0, `listen`).
///
/// ```
/// let listener = sockctl_core::listen_legacy(0)?;
/// assert!(listener.local_addr()?.ip().is_unspecified());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn listen_legacy(port: u16) -> Result<TcpListener, Error> {
    let (fd, _) = raw::listen_v4(port, drop)?;
    Ok(TcpListener::from(OwnedFd::from(fd)))
}

/// Connects the legacy client's socket to `addr`, as `tcpCreateClient`
/// does: IPv4, `TCP_NODELAY`, no timeout, **without `FD_CLOEXEC`**, and made
/// **non-blocking** once connected (its file status flags become exactly
/// `O_NONBLOCK`), so reads and writes fail with `WouldBlock` instead of
/// waiting. A signal during the connect does not end it (as [`connect`]).
/// For code that relies on that; new code calls [`connect`].
///
/// # Errors
/// As [`connect`]; and the `fcntl(F_SETFL)` that makes it non-blocking.
///
/// ```
/// use std::io::{ErrorKind, Read};
/// use std::net::SocketAddr;
///
/// let listener = sockctl_core::listen("127.0.0.1:0")?;
/// let SocketAddr::V4(addr) = listener.local_addr()? else { unreachable!() };
/// let mut client = sockctl_core::connect_legacy(addr)?;
/// let err = client.read(&mut [0u8; 16]).unwrap_err(); // nothing sent yet
/// assert_eq!(err.kind(), ErrorKind::WouldBlock);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn connect_legacy(addr: SocketAddrV4) -> Result<TcpStream, Error> {
    let connect = |fd: &Fd, addr| connect_fd(fd, &SocketAddr::V4(addr), None);
    let fd = raw::client_socket(addr, false, connect, drop)?;
    raw::set_nonblocking(&fd, addr)?;
    Ok(TcpStream::from(OwnedFd::from(fd)))
}

/// One `connect`, then, if it is in progress (a non-blocking socket) or
/// was interrupted by a signal, the wait for its outcome until `deadline`.
fn connect_fd(fd: &Fd, addr: &SocketAddr, deadline: Option<Instant>) -> Result<(), Errno> {
    match sys::connect(fd, addr) {
        Ok(()) => Ok(()),
        Err(e) if e == Errno::from_raw(libc::EINPROGRESS) || e == Errno::from_raw(libc::EINTR) => {
            wait_for_connect(fd, deadline)
        }
        Err(e) => Err(e),
    }
}

/// Waits for a connect in progress (non-blocking, or interrupted by a
/// signal) until `deadline` (`None`: no limit), through any signals, and
/// returns its outcome (`SO_ERROR`); `ETIMEDOUT` when the time runs out.
fn wait_for_connect(fd: &Fd, deadline: Option<Instant>) -> Result<(), Errno> {
    loop {
        let timeout_ms = match deadline {
            None => -1,
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(Errno::from_raw(libc::ETIMEDOUT));
                }
                // Whole milliseconds, rounded up: never a busy poll of 0.
                c_int::try_from(left.as_nanos().div_ceil(1_000_000)).unwrap_or(c_int::MAX)
            }
        };
        match sys::poll_writable(fd, timeout_ms) {
            Ok(true) => return sys::take_socket_error(fd),
            // Out of time (checked above) or interrupted: with what is left.
            Ok(false) => continue,
            Err(e) if e == Errno::from_raw(libc::EINTR) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Sets the process's `SIGPIPE` disposition to "ignore" (empty mask, no
/// flags), as `listenSocket` does before it opens its socket, so that a
/// write to a peer that has gone fails with `EPIPE` instead of killing the
/// process (see the crate's documentation, "SIGPIPE").
///
/// # Errors
/// The `errno` of `sigaction`.
pub fn ignore_sigpipe() -> io::Result<()> {
    Ok(raw::ignore_sigpipe()?)
}
