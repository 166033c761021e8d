//! Unit tests of the step layer and the safe API. The C ABI is tested from
//! C (c_tests/), linked the way C programs link it.

use std::io::ErrorKind;
use std::net::Ipv4Addr;
use std::os::fd::{AsRawFd, FromRawFd};
use std::string::ToString;

use crate::raw::{self, Errno, Fd, Step};
use crate::sys;

/// Borrows an OwnedFd as the step layer's Fd for one call.
fn with_fd<T>(fd: &std::os::fd::OwnedFd, f: impl FnOnce(&Fd) -> T) -> T {
    let borrowed = Fd::owning(fd.as_raw_fd());
    let out = f(&borrowed);
    let _ = borrowed.into_raw(); // still owned by `fd`
    out
}

#[test]
fn listen_on_port_zero_reports_the_bound_port() {
    let (fd, addr) = crate::listen(0).unwrap();
    assert_eq!(*addr.ip(), Ipv4Addr::UNSPECIFIED);
    assert_ne!(addr.port(), 0);
    assert_eq!(with_fd(&fd, sys::local_addr_v4).unwrap(), addr);
    assert_eq!(
        with_fd(&fd, |fd| sys::int_opt(fd, libc::SOL_SOCKET, libc::SO_REUSEADDR)).unwrap(),
        1
    );
    assert_eq!(
        with_fd(&fd, |fd| sys::int_opt(fd, libc::SOL_SOCKET, libc::SO_ACCEPTCONN)).unwrap(),
        1
    );
}

#[test]
fn listen_on_a_listening_port_is_addr_in_use_at_bind() {
    let (_fd, addr) = crate::listen(0).unwrap();
    let failure = raw::listen_v4(addr.port(), drop).unwrap_err();
    assert_eq!(failure.step, Step::Bind);
    assert_eq!(failure.errno, Errno(libc::EADDRINUSE));
    assert_eq!(crate::listen(addr.port()).unwrap_err().kind(), ErrorKind::AddrInUse);
}

#[test]
fn connect_gives_a_nonblocking_nodelay_socket() {
    let (_listener, addr) = crate::listen(0).unwrap();
    let fd = crate::connect(Ipv4Addr::LOCALHOST, addr.port()).unwrap();
    assert_eq!(
        with_fd(&fd, |fd| sys::int_opt(fd, libc::IPPROTO_TCP, libc::TCP_NODELAY)).unwrap(),
        1
    );
    // SAFETY: F_GETFL/F_GETFD take no argument.
    let (fl, fdfl) = unsafe {
        (
            libc::fcntl(fd.as_raw_fd(), libc::F_GETFL),
            libc::fcntl(fd.as_raw_fd(), libc::F_GETFD),
        )
    };
    assert_eq!(fl & libc::O_NONBLOCK, libc::O_NONBLOCK);
    assert_eq!(fdfl & libc::FD_CLOEXEC, 0);
}

/// A port that refuses connections and that no parallel test can take: a
/// socket is bound to it (without SO_REUSEADDR) and does not listen.
fn refusing_port() -> (std::os::fd::OwnedFd, u16) {
    // SAFETY: socket() takes no pointer.
    let s = unsafe { libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0) };
    assert!(s >= 0, "socket: {}", Errno::last().0);
    // SAFETY: s is a new descriptor, owned from here on.
    let owned = unsafe { std::os::fd::OwnedFd::from_raw_fd(s) };
    let sin = raw::sockaddr_in(std::net::SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0));
    let len = core::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
    // SAFETY: sin is a live sockaddr_in and len its size.
    let rc = unsafe { libc::bind(s, (&sin as *const libc::sockaddr_in).cast(), len) };
    assert_eq!(rc, 0, "bind: {}", Errno::last().0);
    let port = with_fd(&owned, sys::local_addr_v4).unwrap().port();
    (owned, port)
}

#[test]
fn connect_to_a_closed_port_is_refused_at_connect() {
    let (_bound, port) = refusing_port();
    let failure = raw::connect_v4(Ipv4Addr::LOCALHOST, port, drop).unwrap_err();
    assert_eq!(failure.step, Step::Connect);
    assert_eq!(failure.errno, Errno(libc::ECONNREFUSED));
}

#[test]
fn a_failing_step_is_reported_before_the_socket_is_closed() {
    let (_fd, addr) = crate::listen(0).unwrap();
    let mut seen = None;
    let failure = raw::listen_v4(addr.port(), |f| {
        // The socket of the failed attempt is still open while reporting:
        // found by what it is (a TCP socket with SO_REUSEADDR, bound to no
        // port, not listening), never by a descriptor number, which a
        // parallel test can close or reuse.
        seen = Some((f, unbound_reuseaddr_socket_is_open()));
    })
    .unwrap_err();
    assert_eq!(seen, Some((failure, true)));
}

/// Whether some descriptor of this process is an unbound IPv4 socket with
/// SO_REUSEADDR on, as listen_v4's socket is between its setsockopt and a
/// successful bind.
fn unbound_reuseaddr_socket_is_open() -> bool {
    std::fs::read_dir("/proc/self/fd").unwrap().flatten().any(|entry| {
        let Some(n) = entry.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else {
            return false;
        };
        let borrowed = Fd::owning(n);
        let found = sys::int_opt(&borrowed, libc::SOL_SOCKET, libc::SO_REUSEADDR) == Ok(1)
            && sys::int_opt(&borrowed, libc::SOL_SOCKET, libc::SO_ACCEPTCONN) == Ok(0)
            && sys::local_addr_v4(&borrowed).map(|a| a.port()) == Ok(0);
        let _ = borrowed.into_raw(); // not ours: never closed here
        found
    })
}

/// What the peer of a connection reads now: Some(0) at the end of the
/// stream (the other end is closed), None while it is open and silent.
fn peer_reads(peer: &mut std::net::TcpStream) -> Option<usize> {
    use std::io::Read;
    peer.set_nonblocking(true).unwrap();
    match peer.read(&mut [0u8; 1]) {
        Ok(n) => Some(n),
        Err(e) if e.kind() == ErrorKind::WouldBlock => None,
        Err(e) => panic!("read: {e}"),
    }
}

/// Seen from the peer (end of stream or not), never through the
/// descriptor's number: after a close, a parallel test can get the same
/// number, and a second close or an fcntl on it would hit that test's file.
#[test]
fn fd_closes_on_drop_and_into_raw_keeps_it_open() {
    let (listener, addr) = crate::listen(0).unwrap();
    let listener = std::net::TcpListener::from(listener);
    let connect = || raw::connect_v4(Ipv4Addr::LOCALHOST, addr.port(), drop).unwrap();
    let eof_within = |peer: &mut std::net::TcpStream| {
        // (The FIN of a loopback close is queued before close returns; a
        // bounded wait all the same.)
        for _ in 0..500 {
            if peer_reads(peer) == Some(0) {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        false
    };

    let client = connect();
    let (mut peer, _) = listener.accept().unwrap();
    assert_eq!(peer_reads(&mut peer), None);
    drop(client);
    assert!(eof_within(&mut peer), "drop did not close the socket");

    let client = connect();
    let (mut peer, _) = listener.accept().unwrap();
    let n = client.into_raw();
    assert_eq!(peer_reads(&mut peer), None, "into_raw closed the socket");
    assert_eq!(raw::close(n), Ok(()));
    assert!(eof_within(&mut peer), "close did not close the socket");
}

#[test]
fn errno_is_set_and_read_per_thread() {
    Errno(libc::EADDRINUSE).set();
    assert_eq!(Errno::last(), Errno(libc::EADDRINUSE));
    std::thread::spawn(|| assert_ne!(Errno::last(), Errno(libc::EADDRINUSE)))
        .join()
        .unwrap();
    assert_eq!(Errno::last().0.to_string(), libc::EADDRINUSE.to_string());
}

#[test]
fn sockaddr_in_is_the_legacy_fill() {
    let sin = raw::sockaddr_in(std::net::SocketAddrV4::new(Ipv4Addr::new(127, 0, 0, 1), 18890));
    assert_eq!(sin.sin_family, libc::AF_INET as libc::sa_family_t);
    assert_eq!(sin.sin_port, 18890u16.to_be());
    assert_eq!(sin.sin_addr.s_addr.to_ne_bytes(), [127, 0, 0, 1]);
    assert_eq!(sin.sin_zero, [0; 8]);
}
