//! # sockctl-core
//!
//! The safe core of sockctl, the Rust replacement for the C socket helpers
//! of a legacy IoT gateway (`listenSocket`, `tcpCreateClient`,
//! `tcpCloseSocket`), in two layers:
//!
//! * with the default `std` feature, the **Rust API**, in std's shape and
//!   with std's defaults: `listen` returns a `std::net::TcpListener` and
//!   `connect` a `TcpStream`, both blocking and with `FD_CLOEXEC`, as std's
//!   own; errors are `io::Error`s that say which step failed on which
//!   address. The legacy behaviour (no `FD_CLOEXEC`, every local address, a
//!   non-blocking client) is there when asked for by name: `listen_legacy`,
//!   `connect_legacy`;
//! * always, `no_std`, the C-facing **step layer** [`raw`]: the legacy
//!   helpers' system calls in their order, reporting which step failed with
//!   which `errno`. The C ABI (the top-level `sockctl` crate, `libsockctl.a`)
//!   is a thin shim over it that adds what the legacy contract requires: the
//!   process-wide `SIGPIPE` disposition, the legacy messages on C `stdout`,
//!   and `errno`.
//!
//! Without `std` the crate needs neither the Rust standard library nor an
//! allocator, only `core` and the C library (through `libc`).
//!
//! No safe function of this crate closes or otherwise takes over a
//! descriptor it does not own: descriptors come and go as owned values
//! ([`raw::Fd`], `OwnedFd`, std's types); closing a bare number is
//! [`raw::close`], an `unsafe fn`.
//!
//! ```
//! # #[cfg(feature = "std")] fn main() -> std::io::Result<()> {
//! use std::io::{Read, Write};
//! use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
//!
//! // A listener on an ephemeral loopback port, and a client.
//! let listener = sockctl_core::listen(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))?;
//! let SocketAddr::V4(addr) = listener.local_addr()? else { unreachable!() };
//! let mut client = sockctl_core::connect(addr, None)?; // TCP_NODELAY
//!
//! let (mut peer, _) = listener.accept()?;
//! peer.write_all(b"Im server\n")?;
//! let mut reply = [0u8; 10];
//! client.read_exact(&mut reply)?;
//! assert_eq!(&reply, b"Im server\n");
//! # Ok(()) }
//! # #[cfg(not(feature = "std"))] fn main() {}
//! ```
//!
//! ## With tokio
//!
//! tokio's `TcpListener::from_std` and `TcpStream::from_std` need sockets
//! in non-blocking mode: call `set_nonblocking(true)` first (a blocking
//! socket panics in a debug build, "Registering a blocking socket", and
//! stalls the runtime in a release build):
//!
//! ```ignore
//! let listener = sockctl_core::listen(addr)?;
//! listener.set_nonblocking(true)?;
//! let listener = tokio::net::TcpListener::from_std(listener)?;
//!
//! let stream = sockctl_core::connect(addr, Some(Duration::from_secs(5)))?;
//! stream.set_nonblocking(true)?;
//! let stream = tokio::net::TcpStream::from_std(stream)?;
//! ```
//!
//! (`make test` runs exactly this, with a current-thread runtime serving two
//! clients, in `c_tests/rust/tokio-user/`, a crate of its own.)

#![no_std]
#![warn(missing_docs)]

#[cfg(feature = "std")]
extern crate std;

pub mod raw;
mod sys;

#[cfg(feature = "std")]
use std::{
    io,
    net::{SocketAddrV4, TcpListener, TcpStream},
    os::fd::OwnedFd,
    time::{Duration, Instant},
};

#[cfg(feature = "std")]
use raw::{Errno, Fd};

/// Expands to the items it is given when this crate is built without
/// `std`, and to nothing with it. Not API: for the C ABI crate, whose panic
/// handler must exist exactly when nothing links std (cargo unifies this
/// crate's features across a build, so the C ABI crate cannot tell from its
/// own).
#[doc(hidden)]
#[cfg(not(feature = "std"))]
#[macro_export]
macro_rules! __if_no_std {
    ($($item:item)*) => { $($item)* };
}

/// See the other definition.
#[doc(hidden)]
#[cfg(feature = "std")]
#[macro_export]
macro_rules! __if_no_std {
    ($($item:item)*) => {};
}

/// The listen backlog of the legacy server: a connection queue of 15.
pub const BACKLOG: i32 = 15;

/// Opens a TCP listening socket on `addr`, as std's `TcpListener::bind`
/// does but with the legacy server's options.
///
/// The socket is TCP over IPv4 with `SO_REUSEADDR`, bound to `addr` and
/// listening with a backlog of [`BACKLOG`] (15). It is blocking and has
/// `FD_CLOEXEC` (set atomically, with `SOCK_CLOEXEC`), as std's listener.
/// With port 0 the kernel picks a free port: `local_addr()` tells which.
///
/// Unlike `listenSocket`, this does not change the process's `SIGPIPE`
/// disposition (Rust programs ignore `SIGPIPE` already); call
/// [`ignore_sigpipe`] for that.
///
/// # Errors
/// The `errno` of the failing system call (`socket`, `setsockopt`, `bind`,
/// `getsockname` or `listen`), for example `AddrInUse`; the error's text
/// names the step and the address, as in
/// `bind 0.0.0.0:8890: Address in use (os error 98)` (see
/// [`Failure`](raw::Failure)). The socket is closed on every error.
///
/// # Example: the next migration step, the legacy server's loop in Rust
/// ```
/// use std::io::{Read, Write};
/// use std::net::{Ipv4Addr, Shutdown, SocketAddr, SocketAddrV4, TcpStream};
///
/// let listener = sockctl_core::listen(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))?;
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
/// # Ok::<(), std::io::Error>(())
/// ```
#[cfg(feature = "std")]
pub fn listen(addr: SocketAddrV4) -> io::Result<TcpListener> {
    let (fd, _) = raw::listen_at(addr, true, drop)?;
    Ok(TcpListener::from(OwnedFd::from(fd)))
}

/// Opens the legacy server's listening socket on `0.0.0.0:port`, as
/// `listenSocket` does: as [`listen`], but on every local address and
/// **without `FD_CLOEXEC`** (a child process that `exec`s keeps the port
/// open). For code that relies on that; new code calls [`listen`].
///
/// # Errors
/// As [`listen`].
///
/// ```
/// let listener = sockctl_core::listen_legacy(0)?;
/// assert!(listener.local_addr()?.ip().is_unspecified());
/// # Ok::<(), std::io::Error>(())
/// ```
#[cfg(feature = "std")]
pub fn listen_legacy(port: u16) -> io::Result<TcpListener> {
    let (fd, _) = raw::listen_v4(port, drop)?;
    Ok(TcpListener::from(OwnedFd::from(fd)))
}

/// Connects a TCP socket to `addr`, as std's `TcpStream::connect` and
/// `connect_timeout` do but with the legacy client's options.
///
/// The socket is TCP over IPv4 with `TCP_NODELAY`. It is blocking and has
/// `FD_CLOEXEC` (set atomically, with `SOCK_CLOEXEC`), as std's stream.
///
/// * `timeout: None`: a blocking `connect`, bounded by the kernel's own
///   timeout only;
/// * `Some(t)`: the connect is bounded by `t` (a non-blocking `connect`,
///   then `poll`), and fails with `ErrorKind::TimedOut` when it runs out,
///   as `TcpStream::connect_timeout`. A zero `t` is `InvalidInput`.
///
/// A signal that interrupts the connect (`EINTR`) does not end it: the
/// attempt goes on in the kernel and this waits for its outcome, within
/// the time left of `t` (std's convention for `EINTR`). The C ABI's
/// `tcpCreateClient` instead fails with `EINTR`, as the original did.
///
/// # Errors
/// The `errno` of the failing step, for example `ConnectionRefused` when
/// nothing listens on `addr`, `TimedOut` when `timeout` runs out; the
/// error's text names the step and the address (see
/// [`Failure`](raw::Failure)). The socket is closed on every error.
///
/// ```
/// use std::io::Write;
/// use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
/// use std::time::Duration;
///
/// let listener = sockctl_core::listen(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))?;
/// let SocketAddr::V4(addr) = listener.local_addr()? else { unreachable!() };
/// let mut stream = sockctl_core::connect(addr, Some(Duration::from_secs(5))).inspect_err(|e| {
///     // What failed, e.g. "connect 127.0.0.1:40000: Connection refused (os error 111)"
///     eprintln!("{e}");
/// })?;
/// assert!(stream.nodelay()?);
/// stream.write_all(b"hello World")?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[cfg(feature = "std")]
pub fn connect(addr: SocketAddrV4, timeout: Option<Duration>) -> io::Result<TcpStream> {
    let fd = connect_socket(addr, timeout, true)?;
    Ok(TcpStream::from(OwnedFd::from(fd)))
}

/// Connects the legacy client's socket to `addr`, as `tcpCreateClient`
/// does: as [`connect`] without a timeout, but **without `FD_CLOEXEC`** and
/// made **non-blocking** once connected (its file status flags become
/// exactly `O_NONBLOCK`), so reads and writes fail with `WouldBlock` instead
/// of waiting. For code that relies on that; new code calls [`connect`].
///
/// # Errors
/// As [`connect`]; and the `fcntl` that makes it non-blocking.
///
/// ```
/// use std::io::{ErrorKind, Read};
/// use std::net::{SocketAddr, SocketAddrV4, Ipv4Addr};
///
/// let listener = sockctl_core::listen(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))?;
/// let SocketAddr::V4(addr) = listener.local_addr()? else { unreachable!() };
/// let mut client = sockctl_core::connect_legacy(addr)?;
/// let err = client.read(&mut [0u8; 16]).unwrap_err(); // nothing sent yet
/// assert_eq!(err.kind(), ErrorKind::WouldBlock);
/// # Ok::<(), std::io::Error>(())
/// ```
#[cfg(feature = "std")]
pub fn connect_legacy(addr: SocketAddrV4) -> io::Result<TcpStream> {
    let fd = connect_socket(addr, None, false)?;
    raw::set_nonblocking(&fd, addr)?;
    Ok(TcpStream::from(OwnedFd::from(fd)))
}

/// The client socket of [`connect`] and [`connect_legacy`].
#[cfg(feature = "std")]
fn connect_socket(addr: SocketAddrV4, timeout: Option<Duration>, cloexec: bool) -> io::Result<Fd> {
    if timeout == Some(Duration::ZERO) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "cannot connect with a zero timeout",
        ));
    }
    // A timeout too long for Instant is no limit.
    let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
    let connect = |fd: &Fd, addr| {
        if deadline.is_some() {
            sys::set_nonblocking_flag(fd, true)?;
        }
        match sys::connect_v4(fd, addr) {
            Ok(()) => {}
            Err(e) if e == Errno::from_raw(libc::EINPROGRESS) || e == Errno::from_raw(libc::EINTR) => {
                wait_for_connect(fd, deadline)?
            }
            Err(e) => return Err(e),
        }
        if deadline.is_some() {
            sys::set_nonblocking_flag(fd, false)?;
        }
        Ok(())
    };
    Ok(raw::client_socket(addr, cloexec, connect, drop)?)
}

/// Waits for a connect in progress (non-blocking, or interrupted by a
/// signal) until `deadline` (`None`: no limit), through any signals, and
/// returns its outcome (`SO_ERROR`); `ETIMEDOUT` when the time runs out.
#[cfg(feature = "std")]
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
                core::ffi::c_int::try_from(left.as_nanos().div_ceil(1_000_000)).unwrap_or(core::ffi::c_int::MAX)
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
/// process.
///
/// # Errors
/// The `errno` of `sigaction`.
#[cfg(feature = "std")]
pub fn ignore_sigpipe() -> io::Result<()> {
    Ok(raw::ignore_sigpipe()?)
}

#[cfg(all(test, feature = "std"))]
mod tests;
