//! Unit tests of the step layer, `raw`, which the C ABI builds on. They run
//! with and without the `std` feature (`cargo test -p sockctl-core
//! --no-default-features` tests the library as the C ABI links it, `no_std`;
//! the tests themselves use std). The C ABI is tested from C (c_tests/).
//!
//! Every descriptor a test looks at or closes is its own: tests run in
//! parallel threads of one process.

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener, TcpStream};
use std::os::fd::{FromRawFd, OwnedFd};
use std::string::ToString;
use std::time::Duration;

use crate::raw::{self, Errno, Failure, Fd, Step};
use crate::sys;

const LOOPBACK_ANY_PORT: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0);

/// `Errno`'s text: std's `io::Error` text with `std`, the number alone
/// without it (no `strerror` in a `no_std` build).
fn errno_text(code: i32) -> std::string::String {
    #[cfg(feature = "std")]
    return std::io::Error::from_raw_os_error(code).to_string();
    #[cfg(not(feature = "std"))]
    return std::format!("os error {code}");
}

#[test]
fn errno_and_failure_display_say_each_thing_once() {
    let e = Errno::from_raw(libc::EADDRINUSE);
    assert_eq!(e.to_string(), errno_text(libc::EADDRINUSE));
    assert!(e.to_string().contains(&std::format!("os error {}", libc::EADDRINUSE)));
    #[cfg(not(feature = "std"))]
    assert_eq!(e.to_string(), std::format!("os error {}", libc::EADDRINUSE));

    let addr = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 8890);
    let failure = Failure::at(Step::Bind, addr)(e);
    assert_eq!(failure.to_string(), "bind 0.0.0.0:8890");
    let source = core::error::Error::source(&failure).expect("the errno is the source");
    assert_eq!(source.to_string(), errno_text(libc::EADDRINUSE));
    assert!(source.source().is_none());
    assert_eq!(Step::ReuseAddr.to_string(), "setsockopt(SO_REUSEADDR)");
    assert_eq!(Step::V6Only.to_string(), "setsockopt(IPV6_V6ONLY)");
    assert_eq!(Step::NonBlocking.to_string(), "fcntl(F_SETFL)");
}

#[test]
fn listen_v4_is_the_legacy_listener() {
    let (fd, addr) = raw::listen_v4(0, drop).unwrap();
    assert_eq!(*addr.ip(), Ipv4Addr::UNSPECIFIED);
    assert_ne!(addr.port(), 0);
    assert_eq!(sys::local_addr_v4(&fd).unwrap(), addr);
    assert_eq!(sys::int_opt(&fd, libc::SOL_SOCKET, libc::SO_REUSEADDR), Ok(1));
    assert_eq!(sys::int_opt(&fd, libc::SOL_SOCKET, libc::SO_ACCEPTCONN), Ok(1));
    assert_eq!(flags(&fd), (false, false), "(non-blocking, FD_CLOEXEC)");
}

#[test]
fn a_taken_port_fails_at_bind_with_eaddrinuse() {
    let (_taken, addr) = raw::listen_v4(0, drop).unwrap();
    let mut reported = None;
    let failure = raw::listen_v4(addr.port(), |f| reported = Some(f)).unwrap_err();
    assert_eq!(reported, Some(failure));
    assert_eq!(failure.step(), Step::Bind);
    assert_eq!(failure.errno(), Errno::from_raw(libc::EADDRINUSE));
    assert_eq!(failure.addr(), addr);
}

/// (O_NONBLOCK set, FD_CLOEXEC set).
fn flags(fd: &Fd) -> (bool, bool) {
    // SAFETY: F_GETFL and F_GETFD take no argument; fd is open.
    let (fl, fdfl) = unsafe {
        (
            libc::fcntl(fd.as_raw(), libc::F_GETFL),
            libc::fcntl(fd.as_raw(), libc::F_GETFD),
        )
    };
    assert!(fl != -1 && fdfl != -1);
    (fl & libc::O_NONBLOCK != 0, fdfl & libc::FD_CLOEXEC != 0)
}

/// A socket bound to a loopback port, not listening: a connect there is
/// refused. (Not a dropped listener's port: a parallel test could listen on
/// that one again. This port stays taken, as the socket has no SO_REUSEADDR.)
fn refusing_port() -> (Fd, SocketAddrV4) {
    let fd = sys::socket_v4_stream(0, true).unwrap();
    sys::bind_v4(&fd, LOOPBACK_ANY_PORT).unwrap();
    let addr = sys::local_addr_v4(&fd).unwrap();
    (fd, addr)
}

#[test]
fn connect_v4_is_the_legacy_client_and_refused_at_connect() {
    let (listener, addr) = raw::listen_v4(0, drop).unwrap();
    let fd = raw::connect_v4(Ipv4Addr::LOCALHOST, addr.port(), drop).unwrap();
    assert_eq!(sys::int_opt(&fd, libc::IPPROTO_TCP, libc::TCP_NODELAY), Ok(1));
    assert_eq!(flags(&fd), (false, false), "(non-blocking, FD_CLOEXEC)");
    raw::set_nonblocking(&fd, addr).unwrap();
    assert_eq!(flags(&fd), (true, false), "(non-blocking, FD_CLOEXEC)");
    drop(listener);

    let (_bound, addr) = refusing_port();
    let failure = raw::connect_v4(*addr.ip(), addr.port(), drop).unwrap_err();
    assert_eq!(failure.step(), Step::Connect);
    assert_eq!(failure.errno(), Errno::from_raw(libc::ECONNREFUSED));
    assert_eq!(failure.to_string(), std::format!("connect {addr}"));
}

#[test]
fn a_failing_step_is_reported_before_the_socket_is_closed() {
    // The configure step binds the new socket to a loopback port (no
    // SO_REUSEADDR), then fails. While the failure is reported, that port
    // is still taken: the socket is open.
    let bound = core::cell::Cell::new(None);
    let mut seen = None;
    let failure = raw::open_socket(
        0,
        true,
        LOOPBACK_ANY_PORT,
        |fd| {
            sys::bind_v4(fd, LOOPBACK_ANY_PORT).unwrap();
            let addr = sys::local_addr_v4(fd).unwrap();
            bound.set(Some(addr));
            Err::<(), _>(Failure::at(Step::Listen, addr)(Errno::from_raw(libc::EINVAL)))
        },
        |f| {
            seen = Some((
                f,
                TcpListener::bind(bound.get().unwrap()).map(drop).map_err(|e| e.kind()),
            ))
        },
    )
    .unwrap_err();
    assert_eq!(seen, Some((failure, Err(ErrorKind::AddrInUse))));
}

/// A client `Fd` connected to a fresh listener, and the accepted peer
/// (reads time out rather than hang).
fn connected_pair() -> (Fd, TcpStream) {
    let (listener, addr) = raw::listen_v4(0, drop).unwrap();
    let fd = raw::connect_v4(Ipv4Addr::LOCALHOST, addr.port(), drop).unwrap();
    // SAFETY: into_raw hands the open listener over to this OwnedFd.
    let listener = TcpListener::from(unsafe { OwnedFd::from_raw_fd(listener.into_raw()) });
    let (peer, _) = listener.accept().unwrap();
    peer.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    (fd, peer)
}

/// Whether the peer sees the connection closed (EOF).
fn peer_sees_eof(mut peer: TcpStream) -> bool {
    peer.read(&mut [0u8; 1]).unwrap() == 0
}

#[test]
fn fd_closes_on_drop_and_on_close_and_into_raw_keeps_it_open() {
    let (fd, peer) = connected_pair();
    drop(fd);
    assert!(peer_sees_eof(peer));

    let (fd, peer) = connected_pair();
    assert_eq!(fd.close(), Ok(()));
    assert!(peer_sees_eof(peer));

    let (fd, mut peer) = connected_pair();
    let n = fd.into_raw();
    // SAFETY: into_raw handed the open descriptor n over to this test.
    let mut stream = TcpStream::from(unsafe { OwnedFd::from_raw_fd(n) });
    stream.write_all(b"x").unwrap();
    peer.read_exact(&mut [0u8; 1]).unwrap();
    // SAFETY: the stream's descriptor is handed over to raw::close.
    assert_eq!(
        unsafe { raw::close(std::os::fd::IntoRawFd::into_raw_fd(stream)) },
        Ok(())
    );
    assert!(peer_sees_eof(peer));
}

#[test]
fn errno_is_set_and_read_per_thread() {
    Errno::from_raw(libc::EADDRINUSE).set();
    assert_eq!(Errno::last(), Errno::from_raw(libc::EADDRINUSE));
    std::thread::spawn(|| assert_ne!(Errno::last(), Errno::from_raw(libc::EADDRINUSE)))
        .join()
        .unwrap();
    assert_eq!(Errno::last().raw(), libc::EADDRINUSE);
}

#[test]
fn ignore_sigpipe_sets_sig_ign() {
    raw::ignore_sigpipe().unwrap();
    let mut old = core::mem::MaybeUninit::<libc::sigaction>::zeroed();
    // SAFETY: a null new action only reads the current one into old.
    assert_eq!(
        unsafe { libc::sigaction(libc::SIGPIPE, core::ptr::null(), old.as_mut_ptr()) },
        0
    );
    // SAFETY: sigaction filled old.
    assert_eq!(unsafe { old.assume_init() }.sa_sigaction, libc::SIG_IGN);
}
