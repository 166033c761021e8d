//! The step layer, `no_std`: the C-facing layer, what the C ABI (the
//! top-level `sockctl` crate) builds on, and what the safe API wraps.
//!
//! Every function makes the legacy helper's system calls in the legacy
//! order and says which step failed with which `errno`, so that a caller can
//! print the legacy message of that step. The descriptors are the legacy
//! ones: no `FD_CLOEXEC`, the listener on `INADDR_ANY`. Descriptors are
//! [`Fd`]s, closed when dropped, so no error path can leak one.
//!
//! It is IPv4 only, as the legacy helpers and the C ABI are, and has no
//! `libc` type in its API (the C ABI crate fills its `struct sockaddr_in`
//! itself), so a `libc` major version does not change it. Rust programs use
//! the crate's root, with `std`: `sockctl_core::listen` and
//! `sockctl_core::connect`, any address family.

use core::ffi::c_int;
use core::fmt;
use core::net::{Ipv4Addr, SocketAddrV4};

use crate::sys;

/// An `errno` value, captured right after the failing call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Errno(c_int);

impl Errno {
    /// The `errno` value `code` (a C library constant such as `EINVAL`).
    pub const fn from_raw(code: c_int) -> Errno {
        Errno(code)
    }

    /// The `errno` value, as C code and `io::Error::raw_os_error` see it.
    pub const fn raw(self) -> c_int {
        self.0
    }

    /// The calling thread's current `errno`.
    pub fn last() -> Errno {
        sys::errno()
    }

    /// Sets the calling thread's `errno` to this value, as a C function
    /// does before it returns -1.
    pub fn set(self) {
        sys::set_errno(self)
    }
}

/// With `std`, the text of `io::Error::from_raw_os_error`, the C library's
/// `strerror` and the number, for example `Address already in use (os error
/// 98)` with glibc (musl says `Address in use`); without `std`, `os error
/// 98`.
impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        #[cfg(feature = "std")]
        return fmt::Display::fmt(&std::io::Error::from_raw_os_error(self.0), f);
        #[cfg(not(feature = "std"))]
        return write!(f, "os error {}", self.0);
    }
}

impl core::error::Error for Errno {}

#[cfg(feature = "std")]
impl From<Errno> for std::io::Error {
    /// The OS error: `raw_os_error()` is the `errno` value.
    fn from(e: Errno) -> Self {
        std::io::Error::from_raw_os_error(e.0)
    }
}

/// An open descriptor owned by this value: dropping it closes it.
///
/// The step layer's `OwnedFd`, available without `std`. With `std` it
/// converts into `OwnedFd` and implements `AsFd`, `AsRawFd` and `IntoRawFd`.
#[derive(Debug)]
#[must_use = "dropping an Fd closes its descriptor"]
pub struct Fd(c_int);

impl Fd {
    /// Takes ownership of a descriptor that a system call has just created.
    pub(crate) fn owning(fd: c_int) -> Fd {
        Fd(fd)
    }

    /// The descriptor number, still owned by `self`.
    pub fn as_raw(&self) -> c_int {
        self.0
    }

    /// Gives up ownership: the descriptor stays open and is the caller's,
    /// who must close it.
    #[must_use = "the descriptor leaks unless it is closed or owned again"]
    pub fn into_raw(self) -> c_int {
        let fd = self.0;
        core::mem::forget(self);
        fd
    }

    /// Closes the descriptor and reports the outcome of `close` (dropping
    /// an `Fd` closes it too, ignoring the outcome). The descriptor is
    /// released even when `close` fails, so it is never retried.
    pub fn close(self) -> Result<(), Errno> {
        // SAFETY: into_raw hands over the descriptor that self owned.
        unsafe { close(self.into_raw()) }
    }
}

impl Drop for Fd {
    fn drop(&mut self) {
        // Errors of close are not reported from a destructor, as with OwnedFd.
        // SAFETY: self owns the descriptor and is going away.
        unsafe { sys::close_quietly(self.0) };
    }
}

#[cfg(feature = "std")]
mod std_traits {
    use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};

    use super::Fd;

    impl From<Fd> for OwnedFd {
        fn from(fd: Fd) -> Self {
            // SAFETY: into_raw hands over an open descriptor that nothing else owns.
            unsafe { OwnedFd::from_raw_fd(fd.into_raw()) }
        }
    }

    impl AsFd for Fd {
        fn as_fd(&self) -> BorrowedFd<'_> {
            // SAFETY: self owns the open descriptor for as long as the borrow lives.
            unsafe { BorrowedFd::borrow_raw(self.0) }
        }
    }

    impl AsRawFd for Fd {
        fn as_raw_fd(&self) -> RawFd {
            self.0
        }
    }

    impl IntoRawFd for Fd {
        fn into_raw_fd(self) -> RawFd {
            self.into_raw()
        }
    }
}

/// The step of a helper that failed, which decides the legacy message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Step {
    /// `socket`
    Socket,
    /// `setsockopt(SO_REUSEADDR)`
    ReuseAddr,
    /// `setsockopt(IPV6_V6ONLY)` (the Rust API's listener on IPv6)
    V6Only,
    /// `bind`
    Bind,
    /// `getsockname`, after binding port 0
    LocalAddr,
    /// `listen`
    Listen,
    /// `setsockopt(TCP_NODELAY)`
    NoDelay,
    /// `connect` (in the Rust API's `connect`, also the wait for its outcome)
    Connect,
    /// `fcntl(F_SETFL)`: `O_NONBLOCK` set (the legacy client) or, in the
    /// Rust API, cleared after a connect with a timeout
    NonBlocking,
}

/// The system call of the step, as an error message names it: `bind`,
/// `setsockopt(SO_REUSEADDR)`, ...
impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Step::Socket => "socket",
            Step::ReuseAddr => "setsockopt(SO_REUSEADDR)",
            Step::V6Only => "setsockopt(IPV6_V6ONLY)",
            Step::Bind => "bind",
            Step::LocalAddr => "getsockname",
            Step::Listen => "listen",
            Step::NoDelay => "setsockopt(TCP_NODELAY)",
            Step::Connect => "connect",
            Step::NonBlocking => "fcntl(F_SETFL)",
        })
    }
}

/// A failed helper: the step, the address it worked on (the listener's or
/// the peer's) and the `errno` of its failing call.
///
/// As an error it is a chain of two links that each say one thing: its
/// `Display` is the step and the address, its `source()` the [`Errno`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failure {
    step: Step,
    addr: SocketAddrV4,
    errno: Errno,
}

impl Failure {
    /// How a step's `errno` becomes a `Failure`.
    pub(crate) fn at(step: Step, addr: SocketAddrV4) -> impl FnOnce(Errno) -> Failure {
        move |errno| Failure { step, addr, errno }
    }

    /// The step that failed.
    pub fn step(&self) -> Step {
        self.step
    }

    /// The `errno` of the step's system call.
    pub fn errno(&self) -> Errno {
        self.errno
    }

    /// The address the helper worked on: the one to bind and listen on, or
    /// the peer to connect to.
    pub fn addr(&self) -> SocketAddrV4 {
        self.addr
    }
}

/// `<step> <address>`, for example `bind 0.0.0.0:8890`; the reason is the
/// error's `source()`, the [`Errno`] (so that a chain printed link by link,
/// as anyhow's `{:#}` or eyre do, says it once: `bind 0.0.0.0:8890: Address
/// already in use (os error 98)`).
impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.step, self.addr)
    }
}

/// Its source is the [`Errno`].
impl core::error::Error for Failure {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        Some(&self.errno)
    }
}

/// Opens a TCP/IPv4 socket (`socket(AF_INET, SOCK_STREAM, protocol)`, with
/// `FD_CLOEXEC` when `cloexec`) and runs `configure` on it. On failure,
/// `report` is called while the socket is still open, then the socket is
/// closed: the C ABI prints its message there, so the system calls come in
/// the original's order (message, then `close`).
pub(crate) fn open_socket<T>(
    protocol: c_int,
    cloexec: bool,
    addr: SocketAddrV4,
    configure: impl FnOnce(&Fd) -> Result<T, Failure>,
    report: impl FnOnce(Failure),
) -> Result<(Fd, T), Failure> {
    let fd = match sys::socket_v4_stream(protocol, cloexec) {
        Ok(fd) => fd,
        Err(e) => {
            let f = Failure::at(Step::Socket, addr)(e);
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

/// The legacy server's socket: TCP over IPv4, `SO_REUSEADDR` (an `int`),
/// bound to `INADDR_ANY:port` and listening with a backlog of
/// [`LEGACY_BACKLOG`](crate::LEGACY_BACKLOG) (15). With port 0 the kernel picks a port, which
/// the returned address holds (one `getsockname`, for port 0 only). Blocking,
/// no `FD_CLOEXEC`. `report`: called with the failure before the socket is
/// closed.
pub fn listen_v4(port: u16, report: impl FnOnce(Failure)) -> Result<(Fd, SocketAddrV4), Failure> {
    listen_at(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port), false, report)
}

/// [`listen_v4`] on any IPv4 address, with `FD_CLOEXEC` when `cloexec`.
pub(crate) fn listen_at(
    addr: SocketAddrV4,
    cloexec: bool,
    report: impl FnOnce(Failure),
) -> Result<(Fd, SocketAddrV4), Failure> {
    open_socket(0, cloexec, addr, |fd| configure_listener(fd, addr), report)
}

#[inline(always)]
fn configure_listener(fd: &Fd, mut addr: SocketAddrV4) -> Result<SocketAddrV4, Failure> {
    let at = |step| Failure::at(step, addr);
    sys::set_int_opt(fd, libc::SOL_SOCKET, libc::SO_REUSEADDR, 1).map_err(at(Step::ReuseAddr))?;
    sys::bind_v4(fd, addr).map_err(at(Step::Bind))?;
    if addr.port() == 0 {
        addr = sys::local_addr_v4(fd).map_err(at(Step::LocalAddr))?;
    }
    sys::listen(fd, crate::LEGACY_BACKLOG).map_err(Failure::at(Step::Listen, addr))?;
    Ok(addr)
}

/// The legacy client's socket up to and including the connection: TCP over
/// IPv4 with `TCP_NODELAY`, connected by one blocking `connect` with the
/// kernel's timeout, as the legacy helper did. A signal that interrupts it
/// ends the attempt with `EINTR` at [`Step::Connect`] when its handler was
/// installed without `SA_RESTART` (the caller's way of bounding the wait,
/// for example with `alarm`); with `SA_RESTART` the kernel resumes the
/// connect and the call goes on. No `FD_CLOEXEC`; still blocking (see
/// [`set_nonblocking`]).
///
/// `report`: called with the failure before the socket is closed.
pub fn connect_v4(ip: Ipv4Addr, port: u16, report: impl FnOnce(Failure)) -> Result<Fd, Failure> {
    client_socket(SocketAddrV4::new(ip, port), false, sys::connect_v4, report)
}

/// A TCP/IPv4 socket with `TCP_NODELAY` (and `FD_CLOEXEC` when `cloexec`),
/// connected to `addr` by `connect`, whose error is the `Connect` step's.
pub(crate) fn client_socket(
    addr: SocketAddrV4,
    cloexec: bool,
    connect: impl FnOnce(&Fd, SocketAddrV4) -> Result<(), Errno>,
    report: impl FnOnce(Failure),
) -> Result<Fd, Failure> {
    let configure = |fd: &Fd| {
        sys::set_int_opt(fd, libc::IPPROTO_TCP, libc::TCP_NODELAY, 1).map_err(Failure::at(Step::NoDelay, addr))?;
        connect(fd, addr).map_err(Failure::at(Step::Connect, addr))
    };
    open_socket(libc::IPPROTO_TCP, cloexec, addr, configure, report).map(|(fd, ())| fd)
}

/// Makes a connected client socket non-blocking: its file status flags
/// become exactly `O_NONBLOCK` (one `fcntl(F_SETFL)`, as the legacy helper).
/// `addr`: the peer, for the failure's message.
pub fn set_nonblocking(fd: &Fd, addr: SocketAddrV4) -> Result<(), Failure> {
    sys::set_status_flags_nonblock(fd).map_err(Failure::at(Step::NonBlocking, addr))
}

/// Sets the process's `SIGPIPE` disposition to "ignore" (empty mask, no
/// flags), as `listenSocket` does before it opens its socket.
pub fn ignore_sigpipe() -> Result<(), Errno> {
    sys::ignore_sigpipe()
}

/// `close` of a raw descriptor, which is released even when `close`
/// reports `EINTR`, so it is never retried. (An owned [`Fd`] has
/// [`Fd::close`].)
///
/// # Safety
/// The caller owns `fd` and gives it up: it is open, and nothing else will
/// use or close that number after this call (an `OwnedFd`, `File`, [`Fd`]
/// or other owner of it would close whatever reuses the number). The C ABI
/// calls it from `tcpCloseSocket`, whose C caller hands the descriptor over.
///
/// Safe code cannot call it, so a crate with `#![forbid(unsafe_code)]`
/// cannot close a descriptor it does not own through this crate: the call
/// below is error E0133, "call to unsafe function requires unsafe block".
/// (`tests/unsafe_close.rs` compiles it with rustc and checks that E0133 is
/// the error, and that the same call in an `unsafe` block compiles; a
/// `compile_fail` doctest would pass on any error.)
///
/// ```compile_fail
/// let _ = sockctl_core::raw::close(3); // error[E0133]
/// ```
pub unsafe fn close(fd: c_int) -> Result<(), Errno> {
    // SAFETY: the caller gives up fd (this function's contract).
    unsafe { sys::close(fd) }
}
