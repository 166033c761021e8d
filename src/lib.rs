//! # sockctl
//!
//! A Rust replacement for the C socket helpers of a legacy IoT gateway,
//! `listenSocket`, `tcpCreateClient` and `tcpCloseSocket`, in two layers:
//!
//! * a **safe Rust API** ([`listen`], [`connect`], [`ignore_sigpipe`]) that
//!   returns [`OwnedFd`]s and [`io::Result`]s, for the Rust side of the next
//!   migration steps;
//! * a thin **C ABI** (module `capi`, the header `include/sockctl.h`) with
//!   the legacy names and prototypes, for C programs that link
//!   `libsockctl.a` or `libsockctl.so` instead of their own definitions.
//!
//! Both layers make the same system calls in the same order. The C layer
//! adds what the legacy contract requires on top: the process-wide
//! `SIGPIPE` disposition, the legacy messages on C `stdout`, and `errno`.
//!
//! ```
//! use std::io::{Read, Write};
//! use std::net::{Ipv4Addr, TcpListener, TcpStream};
//!
//! // A listener on an ephemeral port of every local address, and a client.
//! let (listener, addr) = sockctl::listen(0)?;
//! let client = sockctl::connect(Ipv4Addr::LOCALHOST, addr.port())?;
//!
//! // Both are plain descriptors: hand them to std's types.
//! let listener = TcpListener::from(listener);
//! let mut client = TcpStream::from(client); // non-blocking, TCP_NODELAY
//! let (mut peer, _) = listener.accept()?;
//! peer.write_all(b"Im server\n")?;
//! client.set_nonblocking(false)?;
//! let mut reply = [0u8; 10];
//! client.read_exact(&mut reply)?;
//! assert_eq!(&reply, b"Im server\n");
//! # Ok::<(), std::io::Error>(())
//! ```

#![warn(missing_docs)]

use std::io;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::os::fd::{AsFd, OwnedFd};

#[cfg(feature = "capi")]
mod capi;
#[cfg(all(feature = "capi", sockctl_prefix))]
mod capi_prefixed;
mod msg;
mod sys;

use sys::Errno;

/// The listen backlog of the legacy server: a connection queue of 15.
pub const BACKLOG: i32 = 15;

/// The step of a helper that failed, which decides the legacy message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Step {
    Socket,
    ReuseAddr,
    Bind,
    LocalAddr,
    Listen,
    NoDelay,
    Connect,
    NonBlocking,
}

/// A failed helper: the step and the `errno` of its failing call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Failure {
    pub(crate) step: Step,
    pub(crate) errno: Errno,
}

impl Failure {
    fn at(step: Step) -> impl FnOnce(Errno) -> Failure {
        move |errno| Failure { step, errno }
    }
}

impl From<Failure> for io::Error {
    fn from(f: Failure) -> Self {
        f.errno.into()
    }
}

/// Opens a TCP/IPv4 socket (`socket(AF_INET, SOCK_STREAM, protocol)`) and
/// runs `configure` on it. On failure, `report` is called while the socket
/// is still open, then the socket is closed: the C shim prints its message
/// there, so the system calls come in the original's order (message, then
/// `close`).
fn open_socket<T>(
    protocol: libc::c_int,
    configure: impl FnOnce(&OwnedFd) -> Result<T, Failure>,
    report: impl FnOnce(Failure),
) -> Result<(OwnedFd, T), Failure> {
    let fd = match sys::socket_v4_stream(protocol) {
        Ok(fd) => fd,
        Err(e) => {
            let f = Failure::at(Step::Socket)(e);
            report(f);
            return Err(f);
        }
    };
    match configure(&fd) {
        Ok(value) => Ok((fd, value)),
        Err(f) => {
            report(f); // fd is still open here; it is closed on return
            Err(f)
        }
    }
}

/// The legacy server's socket: TCP over IPv4, `SO_REUSEADDR`, bound to
/// `INADDR_ANY:port` and listening with a backlog of 15. With port 0 the
/// kernel picks a port, which the returned address holds. `report`: see
/// [`open_socket`].
pub(crate) fn listen_v4(port: u16, report: impl FnOnce(Failure)) -> Result<(OwnedFd, SocketAddrV4), Failure> {
    open_socket(0, |fd| configure_listener(fd, port), report)
}

#[inline(always)]
fn configure_listener(fd: &OwnedFd, port: u16) -> Result<SocketAddrV4, Failure> {
    sys::set_int_opt(fd.as_fd(), libc::SOL_SOCKET, libc::SO_REUSEADDR, 1).map_err(Failure::at(Step::ReuseAddr))?;
    let mut addr = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port);
    sys::bind_v4(fd.as_fd(), addr).map_err(Failure::at(Step::Bind))?;
    if port == 0 {
        addr = sys::local_addr_v4(fd.as_fd()).map_err(Failure::at(Step::LocalAddr))?;
    }
    sys::listen(fd.as_fd(), BACKLOG).map_err(Failure::at(Step::Listen))?;
    Ok(addr)
}

/// The legacy client's socket up to and including the connection: TCP over
/// IPv4 with `TCP_NODELAY`, connected by a blocking `connect` with the
/// kernel's timeout. A signal that interrupts `connect` does not end the
/// attempt: the connection goes on in the kernel, so this waits for it with
/// `poll` and reads its outcome from `SO_ERROR` (calling `connect` again
/// would fail with `EALREADY` or `EISCONN`).
///
/// `report`: see [`open_socket`].
pub(crate) fn connect_blocking(ip: Ipv4Addr, port: u16, report: impl FnOnce(Failure)) -> Result<OwnedFd, Failure> {
    let addr = SocketAddrV4::new(ip, port);
    open_socket(libc::IPPROTO_TCP, |fd| configure_client(fd, addr), report).map(|(fd, ())| fd)
}

#[inline(always)]
fn configure_client(fd: &OwnedFd, addr: SocketAddrV4) -> Result<(), Failure> {
    sys::set_int_opt(fd.as_fd(), libc::IPPROTO_TCP, libc::TCP_NODELAY, 1).map_err(Failure::at(Step::NoDelay))?;
    match sys::connect_v4(fd.as_fd(), addr) {
        Ok(()) => Ok(()),
        Err(Errno(libc::EINTR)) => finish_interrupted_connect(fd).map_err(Failure::at(Step::Connect)),
        Err(e) => Err(Failure::at(Step::Connect)(e)),
    }
}

fn finish_interrupted_connect(fd: &OwnedFd) -> Result<(), Errno> {
    loop {
        match sys::wait_writable(fd.as_fd()) {
            Ok(()) => break,
            Err(Errno(libc::EINTR)) => continue,
            Err(e) => return Err(e),
        }
    }
    match sys::int_opt(fd.as_fd(), libc::SOL_SOCKET, libc::SO_ERROR)? {
        0 => Ok(()),
        pending => Err(Errno(pending)),
    }
}

/// Makes a connected client socket non-blocking: its file status flags
/// become exactly `O_NONBLOCK`.
pub(crate) fn set_nonblocking(fd: &OwnedFd) -> Result<(), Failure> {
    sys::set_status_flags_nonblock(fd.as_fd()).map_err(Failure::at(Step::NonBlocking))
}

/// Opens the legacy server's listening socket on `0.0.0.0:port`.
///
/// The socket is TCP over IPv4 with `SO_REUSEADDR`, bound to every local
/// address and listening with a backlog of [`BACKLOG`] (15). It is blocking
/// and has no `FD_CLOEXEC`, like the one `listenSocket` returns. With
/// `port == 0` the kernel picks a free port: the returned address always
/// holds the port actually bound.
///
/// Unlike `listenSocket`, this does not change the process's `SIGPIPE`
/// disposition (Rust programs ignore `SIGPIPE` already); call
/// [`ignore_sigpipe`] for that.
///
/// # Errors
/// The `errno` of the failing system call (`socket`, `setsockopt`, `bind`,
/// `getsockname` or `listen`), for example `AddrInUse`. The socket is closed
/// on every error.
///
/// # Example: the next migration step, the legacy server's loop in Rust
/// ```
/// use std::io::{Read, Write};
/// use std::net::{Ipv4Addr, Shutdown, TcpListener, TcpStream};
///
/// let (fd, addr) = sockctl::listen(0)?;
/// let listener = TcpListener::from(fd);
///
/// // A client for the example; in the gateway it is another process.
/// let client = std::thread::spawn(move || -> std::io::Result<Vec<u8>> {
///     let mut s = TcpStream::connect((Ipv4Addr::LOCALHOST, addr.port()))?;
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
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn listen(port: u16) -> io::Result<(OwnedFd, SocketAddrV4)> {
    Ok(listen_v4(port, drop)?)
}

/// Connects the legacy client's socket to `ip:port`.
///
/// The socket is TCP over IPv4 with `TCP_NODELAY`. The connection is made
/// by a blocking `connect` with the kernel's timeout; a signal that
/// interrupts it does not end the attempt (see the crate's README). Once
/// connected, the socket's file status flags are set to `O_NONBLOCK`, as
/// `tcpCreateClient` does. It has no `FD_CLOEXEC`.
///
/// # Errors
/// The `errno` of the failing system call, for example `ConnectionRefused`
/// when nothing listens on `ip:port`. The socket is closed on every error.
///
/// ```
/// use std::io::ErrorKind;
/// use std::net::Ipv4Addr;
///
/// // Find a port where nothing listens, then try to connect to it.
/// let (fd, addr) = sockctl::listen(0)?;
/// drop(fd);
/// let err = sockctl::connect(Ipv4Addr::LOCALHOST, addr.port()).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::ConnectionRefused);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn connect(ip: Ipv4Addr, port: u16) -> io::Result<OwnedFd> {
    let fd = connect_blocking(ip, port, drop)?;
    set_nonblocking(&fd)?;
    Ok(fd)
}

/// Sets the process's `SIGPIPE` disposition to "ignore" (empty mask, no
/// flags), as `listenSocket` does before it opens its socket, so that a
/// write to a peer that has gone fails with `EPIPE` instead of killing the
/// process.
///
/// # Errors
/// The `errno` of `sigaction`.
pub fn ignore_sigpipe() -> io::Result<()> {
    Ok(sys::ignore_sigpipe()?)
}

#[cfg(test)]
mod tests;
