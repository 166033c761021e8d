//! # sockctl-core
//!
//! The safe core of sockctl, the Rust replacement for the C socket helpers
//! of a legacy IoT gateway (`listenSocket`, `tcpCreateClient`,
//! `tcpCloseSocket`), in two layers:
//!
//! * with the default `std` feature, a **safe Rust API** (`listen`,
//!   `connect`, `ignore_sigpipe`) that returns `OwnedFd`s and
//!   `io::Result`s, for the Rust side of the next migration steps;
//! * always, `no_std`, the **step layer** [`raw`]: the same system calls in
//!   the same order, reporting which step failed with which `errno`. The C
//!   ABI (the top-level `sockctl` crate, `libsockctl.a`) is a thin shim over
//!   it that adds what the legacy contract requires: the process-wide
//!   `SIGPIPE` disposition, the legacy messages on C `stdout`, and `errno`.
//!
//! Without `std` the crate needs neither the Rust standard library nor an
//! allocator, only `core` and the C library (through `libc`).
//!
//! ```
//! use std::io::{Read, Write};
//! use std::net::{Ipv4Addr, TcpListener, TcpStream};
//!
//! // A listener on an ephemeral port of every local address, and a client.
//! let (listener, addr) = sockctl_core::listen(0)?;
//! let client = sockctl_core::connect(Ipv4Addr::LOCALHOST, addr.port())?;
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

#![no_std]
#![warn(missing_docs)]

#[cfg(feature = "std")]
extern crate std;

pub mod raw;
mod sys;

#[cfg(feature = "std")]
use std::{
    io,
    net::{Ipv4Addr, SocketAddrV4},
    os::fd::OwnedFd,
};

/// The listen backlog of the legacy server: a connection queue of 15.
pub const BACKLOG: i32 = 15;

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
/// let (fd, addr) = sockctl_core::listen(0)?;
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
#[cfg(feature = "std")]
pub fn listen(port: u16) -> io::Result<(OwnedFd, SocketAddrV4)> {
    let (fd, addr) = raw::listen_v4(port, drop)?;
    Ok((fd.into(), addr))
}

/// Connects the legacy client's socket to `ip:port`.
///
/// The socket is TCP over IPv4 with `TCP_NODELAY`. The connection is made
/// by a blocking `connect` with the kernel's timeout; a signal handler
/// installed without `SA_RESTART` ends it with `ErrorKind::Interrupted`
/// (see [`raw::connect_v4`]). Once
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
/// let (fd, addr) = sockctl_core::listen(0)?;
/// drop(fd);
/// let err = sockctl_core::connect(Ipv4Addr::LOCALHOST, addr.port()).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::ConnectionRefused);
/// # Ok::<(), std::io::Error>(())
/// ```
#[cfg(feature = "std")]
pub fn connect(ip: Ipv4Addr, port: u16) -> io::Result<OwnedFd> {
    let fd = raw::connect_v4(ip, port, drop)?;
    raw::set_nonblocking(&fd)?;
    Ok(fd.into())
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
