//! The C ABI: the legacy helpers' names and prototypes over the safe core.
//!
//! This layer only converts types, checks pointers and ranges, prints the
//! legacy messages through C stdio ([`msg`]), sets `errno` and returns -1.
//! Nothing in it panics; were anything to, the process would abort (the
//! crate's panic handler): it never unwinds into C.
//!
//! Each function is defined once. Its symbol is its legacy name, or, in a
//! build with `SOCKCTL_SYMBOL_PREFIX=rs_`, `rs_` and its legacy name (so
//! that the C original and sockctl can share a binary during a migration);
//! tools/header-gen generates the header for either from these declarations.

// Parameter names are part of the legacy prototypes the header repeats.
#![allow(non_snake_case)]

use core::ffi::c_int;
use core::net::{Ipv4Addr, SocketAddrV4};

use sockctl_core::raw::{self, Errno, Step};

use crate::msg;

/// Sets `errno` and returns the C failure value.
fn fail(e: Errno) -> c_int {
    e.set();
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
#[cfg(feature = "server")]
#[export_name = concat!(env!("SOCKCTL_SYMBOL_PREFIX"), "listenSocket")]
pub unsafe extern "C" fn listenSocket(portNum: c_int, servAddr: *mut libc::sockaddr_in) -> c_int {
    if servAddr.is_null() {
        return fail(Errno::from_raw(libc::EINVAL));
    }
    let Ok(port) = u16::try_from(portNum) else {
        return fail(Errno::from_raw(libc::EINVAL));
    };
    if let Err(e) = raw::ignore_sigpipe() {
        return fail(e);
    }
    // The message is printed while the socket is still open, then it is
    // closed, as in the original.
    let result = raw::listen_v4(port, |f| match f.step() {
        Step::Socket => msg::print_line(msg::LISTEN_SOCKET),
        Step::ReuseAddr => msg::listen_reuseaddr(),
        Step::Bind => msg::listen_bind(f.errno()),
        Step::Listen => msg::print_line(msg::LISTEN_LISTEN),
        // getsockname after binding port 0 is new: no legacy message.
        _ => {}
    });
    let filled = match &result {
        Ok((_, addr)) => Some(*addr),
        // The legacy helper filled *servAddr before bind(): every step from
        // bind on has it filled, the steps before do not.
        Err(f) if filled_before(f.step()) => Some(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port)),
        Err(_) => None,
    };
    if let Some(addr) = filled {
        // SAFETY: servAddr is not NULL and, by this function's contract,
        // writable for a sockaddr_in; an unaligned write needs no alignment.
        unsafe { servAddr.write_unaligned(sockaddr_in(addr)) };
    }
    match result {
        Ok((fd, _)) => fd.into_raw(),
        Err(f) => fail(f.errno()),
    }
}

/// The C form of an IPv4 socket address, as the legacy helper filled
/// `*servAddr`: `memset` to zero, then family, address and port in network
/// order. Every other field stays zero, as the original left it: `sin_zero`,
/// and on macOS and FreeBSD `sin_len` (their kernels take the length from
/// `bind`'s length argument, not from this field).
#[cfg(feature = "server")]
fn sockaddr_in(addr: SocketAddrV4) -> libc::sockaddr_in {
    // SAFETY: sockaddr_in is plain old data (integers and arrays of them),
    // for which all-zero bytes are a valid value: the original's memset.
    let mut sin: libc::sockaddr_in = unsafe { core::mem::zeroed() };
    sin.sin_family = libc::AF_INET as libc::sa_family_t;
    sin.sin_port = addr.port().to_be();
    sin.sin_addr.s_addr = u32::from(*addr.ip()).to_be();
    sin
}

/// Whether `listenSocket` had filled `*servAddr` when `step` failed: the
/// original filled it right before `bind`.
#[cfg(feature = "server")]
fn filled_before(step: Step) -> bool {
    matches!(step, Step::Bind | Step::LocalAddr | Step::Listen)
}

/// Opens a TCP connection to `ip:port` and makes it non-blocking.
///
/// `ip` is an IPv4 address in network byte order (as `inet_addr` returns
/// it), `port` is in host byte order. The socket has TCP_NODELAY; the
/// connection is made by a blocking connect with the kernel's timeout. A
/// signal whose handler was installed without SA_RESTART ends it as it
/// ended the original's: `connection fail`, errno EINTR, -1 (the way C
/// callers bound the wait with `alarm`); with SA_RESTART the Linux kernel
/// resumes the connect, while macOS's and FreeBSD's end it with EINTR
/// either way. On success prints `Client Socket connect OK Server Socket[fd]
/// IP[a.b.c.d, port]` with the port in network byte order, then sets the
/// file status flags to O_NONBLOCK. The descriptor has no FD_CLOEXEC.
///
/// On failure, prints the legacy message for the failing step on stdout,
/// closes the socket, sets errno to the failing call's errno and returns -1.
///
/// Returns the connected descriptor, or -1.
#[cfg(feature = "client")]
#[export_name = concat!(env!("SOCKCTL_SYMBOL_PREFIX"), "tcpCreateClient")]
pub extern "C" fn tcpCreateClient(ip: c_int, port: libc::c_ushort) -> c_int {
    // The int holds the address's bytes in network order, first octet first.
    let ip = Ipv4Addr::from(ip.to_ne_bytes());
    let connected = raw::connect_v4(ip, port, |f| match f.step() {
        Step::Socket => msg::client_socket(f.errno()),
        Step::Connect => msg::print_line(msg::CLIENT_CONNECT),
        // The legacy helper failed silently at TCP_NODELAY.
        _ => {}
    });
    let fd = match connected {
        Ok(fd) => fd,
        Err(f) => return fail(f.errno()),
    };
    msg::client_connected(fd.as_raw(), ip, port);
    match raw::set_nonblocking(&fd, SocketAddrV4::new(ip, port)) {
        Ok(()) => fd.into_raw(),
        Err(f) => {
            msg::client_fcntl(f.errno());
            drop(fd);
            fail(f.errno())
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
#[cfg(feature = "client")]
#[export_name = concat!(env!("SOCKCTL_SYMBOL_PREFIX"), "tcpCloseSocket")]
pub unsafe extern "C" fn tcpCloseSocket(socketFd: *mut c_int) {
    if socketFd.is_null() {
        Errno::from_raw(libc::EINVAL).set();
        return;
    }
    // SAFETY: socketFd is not NULL and, by this function's contract, points
    // to a readable int; unaligned reads need no alignment.
    let fd = unsafe { socketFd.read_unaligned() };
    // SAFETY: as above, the int is writable.
    unsafe { socketFd.write_unaligned(-1) };
    if fd >= 0 {
        // On failure close() has set errno, and nothing after it touches errno.
        // SAFETY: the C caller hands the descriptor over to be closed (the
        // legacy contract of tcpCloseSocket), and *socketFd no longer names
        // it; nothing in Rust owns it.
        let _ = unsafe { raw::close(fd) };
    }
}

#[cfg(all(test, feature = "server"))]
mod tests {
    use core::net::{Ipv4Addr, SocketAddrV4};

    #[test]
    fn sockaddr_in_is_the_legacy_fill() {
        let sin = super::sockaddr_in(SocketAddrV4::new(Ipv4Addr::new(127, 0, 0, 1), 18890));
        assert_eq!(sin.sin_family, libc::AF_INET as libc::sa_family_t);
        assert_eq!(sin.sin_port, 18890u16.to_be());
        assert_eq!(sin.sin_addr.s_addr.to_ne_bytes(), [127, 0, 0, 1]);
        assert_eq!(sin.sin_zero, [0; 8]);
        // The BSDs' length field stays 0, as after the original's memset.
        #[cfg(any(target_os = "macos", target_os = "freebsd"))]
        assert_eq!(sin.sin_len, 0);
    }
}
