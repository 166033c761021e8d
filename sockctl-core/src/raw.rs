//! The step layer, `no_std`: what the C ABI (the top-level `sockctl`
//! crate) builds on, and what the safe API wraps.
//!
//! Every function makes the legacy helper's system calls in the legacy
//! order and says which step failed with which `errno`, so that a caller can
//! print the legacy message of that step. Descriptors are [`Fd`]s, closed
//! when dropped, so no error path can leak one.

use core::ffi::c_int;
use core::net::{Ipv4Addr, SocketAddrV4};

use crate::sys;

/// An `errno` value, captured right after the failing call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Errno(pub c_int);

impl Errno {
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

#[cfg(feature = "std")]
impl From<Errno> for std::io::Error {
    fn from(e: Errno) -> Self {
        std::io::Error::from_raw_os_error(e.0)
    }
}

/// An open descriptor owned by this value: dropping it closes it.
#[derive(Debug)]
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

    /// Gives up ownership: the descriptor stays open and is the caller's.
    pub fn into_raw(self) -> c_int {
        let fd = self.0;
        core::mem::forget(self);
        fd
    }
}

impl Drop for Fd {
    fn drop(&mut self) {
        // Errors of close are not reported from a destructor, as with OwnedFd.
        sys::close_quietly(self.0);
    }
}

#[cfg(feature = "std")]
impl From<Fd> for std::os::fd::OwnedFd {
    fn from(fd: Fd) -> Self {
        use std::os::fd::FromRawFd;
        // SAFETY: into_raw hands over an open descriptor that nothing else owns.
        unsafe { std::os::fd::OwnedFd::from_raw_fd(fd.into_raw()) }
    }
}

/// The step of a helper that failed, which decides the legacy message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// `socket`
    Socket,
    /// `setsockopt(SO_REUSEADDR)`
    ReuseAddr,
    /// `bind`
    Bind,
    /// `getsockname`, after binding port 0
    LocalAddr,
    /// `listen`
    Listen,
    /// `setsockopt(TCP_NODELAY)`
    NoDelay,
    /// `connect`
    Connect,
    /// `fcntl(F_SETFL, O_NONBLOCK)`
    NonBlocking,
}

/// A failed helper: the step and the `errno` of its failing call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The step that failed.
    pub step: Step,
    /// The `errno` of its system call.
    pub errno: Errno,
}

impl Failure {
    fn at(step: Step) -> impl FnOnce(Errno) -> Failure {
        move |errno| Failure { step, errno }
    }
}

#[cfg(feature = "std")]
impl From<Failure> for std::io::Error {
    fn from(f: Failure) -> Self {
        f.errno.into()
    }
}

/// Opens a TCP/IPv4 socket (`socket(AF_INET, SOCK_STREAM, protocol)`) and
/// runs `configure` on it. On failure, `report` is called while the socket
/// is still open, then the socket is closed: the C ABI prints its message
/// there, so the system calls come in the original's order (message, then
/// `close`).
fn open_socket<T>(
    protocol: c_int,
    configure: impl FnOnce(&Fd) -> Result<T, Failure>,
    report: impl FnOnce(Failure),
) -> Result<(Fd, T), Failure> {
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

/// The legacy server's socket: TCP over IPv4, `SO_REUSEADDR` (an `int`),
/// bound to `INADDR_ANY:port` and listening with a backlog of
/// [`BACKLOG`](crate::BACKLOG). With port 0 the kernel picks a port, which
/// the returned address holds (one `getsockname`, for port 0 only). Blocking,
/// no `FD_CLOEXEC`. `report`: called with the failure before the socket is
/// closed.
pub fn listen_v4(port: u16, report: impl FnOnce(Failure)) -> Result<(Fd, SocketAddrV4), Failure> {
    open_socket(0, |fd| configure_listener(fd, port), report)
}

#[inline(always)]
fn configure_listener(fd: &Fd, port: u16) -> Result<SocketAddrV4, Failure> {
    sys::set_int_opt(fd, libc::SOL_SOCKET, libc::SO_REUSEADDR, 1).map_err(Failure::at(Step::ReuseAddr))?;
    let mut addr = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port);
    sys::bind_v4(fd, addr).map_err(Failure::at(Step::Bind))?;
    if port == 0 {
        addr = sys::local_addr_v4(fd).map_err(Failure::at(Step::LocalAddr))?;
    }
    sys::listen(fd, crate::BACKLOG).map_err(Failure::at(Step::Listen))?;
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
    let addr = SocketAddrV4::new(ip, port);
    open_socket(libc::IPPROTO_TCP, |fd| configure_client(fd, addr), report).map(|(fd, ())| fd)
}

#[inline(always)]
fn configure_client(fd: &Fd, addr: SocketAddrV4) -> Result<(), Failure> {
    sys::set_int_opt(fd, libc::IPPROTO_TCP, libc::TCP_NODELAY, 1).map_err(Failure::at(Step::NoDelay))?;
    sys::connect_v4(fd, addr).map_err(Failure::at(Step::Connect))
}

/// Makes a connected client socket non-blocking: its file status flags
/// become exactly `O_NONBLOCK` (one `fcntl(F_SETFL)`, as the legacy helper).
pub fn set_nonblocking(fd: &Fd) -> Result<(), Failure> {
    sys::set_status_flags_nonblock(fd).map_err(Failure::at(Step::NonBlocking))
}

/// Sets the process's `SIGPIPE` disposition to "ignore" (empty mask, no
/// flags), as `listenSocket` does before it opens its socket.
pub fn ignore_sigpipe() -> Result<(), Errno> {
    sys::ignore_sigpipe()
}

/// The C form of an IPv4 socket address, as the legacy helper filled it
/// (`memset` to zero, then family, address and port in network order).
pub fn sockaddr_in(addr: SocketAddrV4) -> libc::sockaddr_in {
    sys::sockaddr_in(addr)
}

/// `close` of a raw descriptor that the caller owns and gives up. It is
/// released even when `close` reports `EINTR`, so it is never retried.
pub fn close(fd: c_int) -> Result<(), Errno> {
    sys::close(fd)
}
