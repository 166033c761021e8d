//! # sockctl-core
//!
//! The safe core of sockctl, the Rust replacement for the C socket helpers
//! of a legacy IoT gateway (`listenSocket`, `tcpCreateClient`,
//! `tcpCloseSocket`), in two layers:
//!
//! * with the default `std` feature, the **Rust API** for new modules, in
//!   std's shape and with std's defaults: `listen` returns a
//!   `std::net::TcpListener` and `connect` a `TcpStream`, on any address
//!   (IPv4 or IPv6, anything `ToSocketAddrs` takes, each resolved address
//!   tried in turn as std does); `ListenOptions` and `ConnectOptions`
//!   change the backlog, non-blocking mode and `TCP_NODELAY`; errors are
//!   `Error`s that name the failing step and address and answer `kind()`
//!   and `raw_os_error()` as std's. The legacy descriptors (IPv4, no
//!   `FD_CLOEXEC`, backlog 15, every local address, a non-blocking client
//!   with `TCP_NODELAY`) are there when asked for by name:
//!   `listen_legacy`, `connect_legacy`;
//! * always, `no_std`, the C-facing **step layer** [`raw`]: the legacy
//!   helpers' system calls in their order, IPv4, reporting which step failed
//!   with which `errno`. The C ABI (the top-level `sockctl` crate,
//!   `libsockctl.a`) is a thin shim over it that adds what the legacy
//!   contract requires: the process-wide `SIGPIPE` disposition, the legacy
//!   messages on C `stdout`, `errno` and the caller's `struct sockaddr_in`.
//!
//! Without `std` the crate needs neither the Rust standard library nor an
//! allocator, only `core` and the C library (through `libc`).
//!
//! No safe function of this crate closes or otherwise takes over a
//! descriptor it does not own: descriptors come and go as owned values
//! ([`raw::Fd`], `OwnedFd`, std's types); closing a bare number is
//! [`raw::close`], an `unsafe fn`. The system calls, and so nearly all of
//! the crate's `unsafe`, are in its private `sys` module; `raw` has the
//! few blocks that hand an owned descriptor to std's types or release it.
//!
//! ```
//! # #[cfg(feature = "std")] fn main() -> Result<(), sockctl_core::Error> {
//! use std::io::{Read, Write};
//!
//! // A listener on an ephemeral IPv6 loopback port, and a client.
//! let listener = sockctl_core::listen("[::1]:0")?;
//! let addr = listener.local_addr().unwrap();
//! let mut client = sockctl_core::connect(addr)?;
//!
//! let (mut peer, _) = listener.accept().unwrap();
//! peer.write_all(b"Im server\n").unwrap();
//! let mut reply = [0u8; 10];
//! client.read_exact(&mut reply).unwrap();
//! assert_eq!(&reply, b"Im server\n");
//! # Ok(()) }
//! # #[cfg(not(feature = "std"))] fn main() {}
//! ```
//!
//! ## `SIGPIPE`
//!
//! A Rust program's own `main` starts with `SIGPIPE` ignored (std's
//! runtime does that before `main`), but this crate's main use is inside a
//! C program, as part of a static library under a C `main`: there the
//! disposition is the C program's, by default "terminate". std's
//! `TcpStream` writes do not raise it on Linux (std sends with
//! `MSG_NOSIGNAL`), but a descriptor handed to C and written there with
//! `write()` after the peer has gone kills the process. `listen` and
//! `connect` leave the disposition alone, as std does; `ignore_sigpipe`
//! sets it to "ignore" for the whole process, as `listenSocket` does.
//!
//! ## With tokio
//!
//! tokio's `TcpListener::from_std` and `TcpStream::from_std` need sockets
//! in non-blocking mode: ask for it in the options (a blocking socket
//! panics in a debug build, "Registering a blocking socket", and stalls the
//! runtime in a release build):
//!
//! ```ignore
//! use sockctl_core::{ConnectOptions, ListenOptions};
//!
//! let listener = ListenOptions::new().nonblocking(true).listen(addr)?;
//! let listener = tokio::net::TcpListener::from_std(listener)?;
//!
//! // connect waits for the connection: in async code, on the blocking pool.
//! let options = ConnectOptions::new().nonblocking(true).timeout(Some(Duration::from_secs(5)));
//! let stream = tokio::task::spawn_blocking(move || options.connect(addr)).await??;
//! let stream = tokio::net::TcpStream::from_std(stream)?;
//! ```
//!
//! (`make test` runs exactly this, with a current-thread runtime serving two
//! clients, in `c_tests/rust/tokio-user/`, a crate of its own.)

#![no_std]
#![warn(missing_docs)]

// The tests use std in both configurations; the library only with `std`.
#[cfg(any(feature = "std", test))]
extern crate std;

#[cfg(feature = "std")]
mod net;
pub mod raw;
mod sys;

#[cfg(feature = "std")]
pub use net::{connect, connect_legacy, ignore_sigpipe, listen, listen_legacy, ConnectOptions, Error, ListenOptions};

/// The listen backlog of the legacy server, `listenSocket` and
/// `listen_legacy`: a connection queue of 15.
pub const LEGACY_BACKLOG: i32 = 15;

#[cfg(all(test, feature = "std"))]
mod tests;
#[cfg(test)]
mod tests_raw;
