//! The C ABI: the legacy helpers' names and prototypes over the safe core.
//!
//! This layer only converts types, checks pointers and ranges, prints the
//! legacy messages through C stdio, sets `errno` and returns -1. It never
//! panics and never unwinds: the C artifacts are built with
//! `panic = "abort"`, which the check below enforces.

// Parameter names are part of the legacy prototypes the header repeats.
#![allow(non_snake_case)]

#[cfg(all(not(panic = "abort"), not(doc)))]
compile_error!(
    "the C ABI must be built with panic = \"abort\" (a panic must never unwind into C): \
     build it with the profiles in Cargo.toml, or test the Rust API alone with \
     `cargo test --no-default-features`"
);

#[cfg(any(feature = "server", feature = "client"))]
use std::ffi::c_int;
#[cfg(any(feature = "server", feature = "client"))]
use std::net::Ipv4Addr;
#[cfg(feature = "server")]
use std::net::SocketAddrV4;
#[cfg(feature = "client")]
use std::os::fd::AsRawFd;
#[cfg(any(feature = "server", feature = "client"))]
use std::os::fd::IntoRawFd;

#[cfg(any(feature = "server", feature = "client"))]
use crate::sys::{self, Errno};
#[cfg(any(feature = "server", feature = "client"))]
use crate::{msg, Failure, Step};

/// Sets `errno` and returns the C failure value.
#[cfg(any(feature = "server", feature = "client"))]
fn fail(e: Errno) -> c_int {
    sys::set_errno(e);
    -1
}

/// Opens a TCP listening socket on every local IPv4 address.
///
/// Sets the process's SIGPIPE disposition to SIG_IGN, opens a TCP socket
/// with SO_REUSEADDR, fills `*servAddr` with AF_INET, INADDR_ANY and
/// `portNum` (in network byte order), binds it there and listens with a
/// backlog of 15. With `portNum` 0 the kernel picks a free port, and
/// `*servAddr` then holds the port actually bound. The descriptor is
/// blocking and has no FD_CLOEXEC.
///
/// On failure, prints the legacy message for the failing step on stdout,
/// closes the socket, sets errno to the failing call's errno and returns
/// -1. `servAddr` NULL or `portNum` outside 0..65535 fail with EINVAL
/// before anything else is done.
///
/// Returns the listening descriptor, or -1.
///
/// # Safety
/// `servAddr` is NULL or points to memory writable for a `struct sockaddr_in`.
#[cfg(all(feature = "server", not(sockctl_prefix)))]
#[no_mangle]
pub unsafe extern "C" fn listenSocket(portNum: c_int, servAddr: *mut libc::sockaddr_in) -> c_int {
    // SAFETY: the caller's contract is listen_socket's, stated above.
    unsafe { listen_socket(portNum, servAddr) }
}

/// The body of `listenSocket`, shared by the plain and the prefixed export.
///
/// # Safety
/// As `listenSocket`.
#[cfg(feature = "server")]
pub(crate) unsafe fn listen_socket(portNum: c_int, servAddr: *mut libc::sockaddr_in) -> c_int {
    if servAddr.is_null() {
        return fail(Errno(libc::EINVAL));
    }
    let Ok(port) = u16::try_from(portNum) else {
        return fail(Errno(libc::EINVAL));
    };
    if let Err(e) = sys::ignore_sigpipe() {
        return fail(e);
    }
    // The message is printed while the socket is still open, then it is
    // closed, as in the original.
    let result = crate::listen_v4(port, |Failure { step, errno }| match step {
        Step::Socket => sys::print(msg::LISTEN_SOCKET),
        Step::ReuseAddr => sys::print(msg::LISTEN_REUSEADDR),
        Step::Bind => sys::print(msg::listen_bind(errno).bytes()),
        Step::Listen => sys::print(msg::LISTEN_LISTEN),
        // getsockname after binding port 0 is new: no legacy message.
        _ => {}
    });
    let filled = match &result {
        Ok((_, addr)) => Some(*addr),
        // The legacy helper filled *servAddr before bind(); keep that.
        Err(Failure { step, .. }) if *step >= Step::Bind => Some(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port)),
        Err(_) => None,
    };
    if let Some(addr) = filled {
        // SAFETY: servAddr is not NULL and, by this function's contract,
        // writable for a sockaddr_in; an unaligned write needs no alignment.
        unsafe { servAddr.write_unaligned(sys::sockaddr_in(addr)) };
    }
    match result {
        Ok((fd, _)) => fd.into_raw_fd(),
        Err(Failure { errno, .. }) => fail(errno),
    }
}

/// Opens a TCP connection to `ip:port` and makes it non-blocking.
///
/// `ip` is an IPv4 address in network byte order (as `inet_addr` returns
/// it), `port` is in host byte order. The socket has TCP_NODELAY; the
/// connection is made by a blocking connect with the kernel's timeout, and
/// a signal that interrupts it does not end it (the call waits for the
/// outcome). On success prints `Client Socket connect OK Server Socket[fd]
/// IP[a.b.c.d, port]` with the port in network byte order, then sets the
/// file status flags to O_NONBLOCK. The descriptor has no FD_CLOEXEC.
///
/// On failure, prints the legacy message for the failing step on stdout,
/// closes the socket, sets errno to the failing call's errno and returns -1.
///
/// Returns the connected descriptor, or -1.
#[cfg(all(feature = "client", not(sockctl_prefix)))]
#[no_mangle]
pub extern "C" fn tcpCreateClient(ip: c_int, port: libc::c_ushort) -> c_int {
    tcp_create_client(ip, port)
}

/// The body of `tcpCreateClient`, shared by the plain and the prefixed export.
#[cfg(feature = "client")]
pub(crate) fn tcp_create_client(ip: c_int, port: libc::c_ushort) -> c_int {
    // The int holds the address's bytes in network order, first octet first.
    let ip = Ipv4Addr::from(ip.to_ne_bytes());
    let connected = crate::connect_blocking(ip, port, |Failure { step, errno }| match step {
        Step::Socket => sys::print(msg::client_socket(errno).bytes()),
        Step::Connect => sys::print(msg::CLIENT_CONNECT),
        // The legacy helper failed silently at TCP_NODELAY.
        _ => {}
    });
    let fd = match connected {
        Ok(fd) => fd,
        Err(Failure { errno, .. }) => return fail(errno),
    };
    sys::print(msg::client_connected(fd.as_raw_fd(), ip, port).bytes());
    match crate::set_nonblocking(&fd) {
        Ok(()) => fd.into_raw_fd(),
        Err(Failure { errno, .. }) => {
            sys::print(msg::client_fcntl(errno).bytes());
            drop(fd);
            fail(errno)
        }
    }
}

/// Closes `*socketFd` and sets it to -1.
///
/// A negative `*socketFd` is set to -1 without calling close. If close
/// fails, errno is its errno (EBADF for a descriptor that is not open);
/// the descriptor is not retried, as Linux releases it even on EINTR.
/// `socketFd` NULL does nothing but set errno to EINVAL.
///
/// # Safety
/// `socketFd` is NULL or points to a readable and writable `int`.
#[cfg(all(feature = "client", not(sockctl_prefix)))]
#[no_mangle]
pub unsafe extern "C" fn tcpCloseSocket(socketFd: *mut c_int) {
    // SAFETY: the caller's contract is tcp_close_socket's, stated above.
    unsafe { tcp_close_socket(socketFd) }
}

/// The body of `tcpCloseSocket`, shared by the plain and the prefixed export.
///
/// # Safety
/// As `tcpCloseSocket`.
#[cfg(feature = "client")]
pub(crate) unsafe fn tcp_close_socket(socketFd: *mut c_int) {
    if socketFd.is_null() {
        sys::set_errno(Errno(libc::EINVAL));
        return;
    }
    // SAFETY: socketFd is not NULL and, by this function's contract, points
    // to a readable int; unaligned reads need no alignment.
    let fd = unsafe { socketFd.read_unaligned() };
    // SAFETY: as above, the int is writable.
    unsafe { socketFd.write_unaligned(-1) };
    if fd >= 0 {
        // On failure close() has set errno, and nothing after it touches errno.
        let _ = sys::close(fd);
    }
}
