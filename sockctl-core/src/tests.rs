//! Unit tests of the step layer and the Rust API. The C ABI is tested from
//! C (c_tests/), linked the way C programs link it.
//!
//! Every descriptor a test looks at or closes is its own: tests run in
//! parallel threads of one process, so a descriptor number a test does not
//! own may be another test's socket at any moment.

use std::format;
use std::io::{self, ErrorKind, Read, Write};
use std::mem::ManuallyDrop;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener, TcpStream};
use std::os::fd::{AsFd, AsRawFd, FromRawFd, IntoRawFd, OwnedFd};
use std::string::ToString;
use std::time::{Duration, Instant};
use std::vec::Vec;

use crate::raw::{self, Errno, Failure, Fd, Step};
use crate::sys;

const LOOPBACK_ANY_PORT: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0);

/// Lends a descriptor that `fd` owns to the step layer for one call; the
/// `Fd` is never dropped, so it never closes what `fd` owns.
fn with_fd<T>(fd: &impl AsFd, f: impl FnOnce(&Fd) -> T) -> T {
    let borrowed = ManuallyDrop::new(Fd::owning(fd.as_fd().as_raw_fd()));
    f(&borrowed)
}

fn int_opt(fd: &impl AsFd, level: i32, name: i32) -> i32 {
    with_fd(fd, |fd| sys::int_opt(fd, level, name)).unwrap()
}

/// (O_NONBLOCK set, FD_CLOEXEC set) of a descriptor the caller owns.
fn flags(fd: &impl AsFd) -> (bool, bool) {
    let n = fd.as_fd().as_raw_fd();
    // SAFETY: F_GETFL and F_GETFD take no argument; n is open (borrowed).
    let (fl, fdfl) = unsafe { (libc::fcntl(n, libc::F_GETFL), libc::fcntl(n, libc::F_GETFD)) };
    assert!(fl != -1 && fdfl != -1);
    (fl & libc::O_NONBLOCK != 0, fdfl & libc::FD_CLOEXEC != 0)
}

fn v4(addr: SocketAddr) -> SocketAddrV4 {
    match addr {
        SocketAddr::V4(a) => a,
        SocketAddr::V6(a) => panic!("not IPv4: {a}"),
    }
}

/// A listener on an ephemeral loopback port, and its address.
fn loopback_listener() -> (TcpListener, SocketAddrV4) {
    let listener = crate::listen(LOOPBACK_ANY_PORT).unwrap();
    let addr = v4(listener.local_addr().unwrap());
    (listener, addr)
}

/// Whether a child process (sh, by fork and exec) still has the
/// descriptor number of `fd`, which this process owns.
fn inherited_by_child(fd: &impl AsFd) -> bool {
    let n = fd.as_fd().as_raw_fd();
    // `[ -e ]` is a shell builtin: the child opens nothing before it looks.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("[ -e /proc/self/fd/{n} ]"))
        .status()
        .unwrap();
    status.success()
}

#[test]
fn listen_is_std_shaped_on_the_given_address() {
    let (listener, addr) = loopback_listener();
    assert_eq!(*addr.ip(), Ipv4Addr::LOCALHOST);
    assert_ne!(addr.port(), 0);
    assert_eq!(int_opt(&listener, libc::SOL_SOCKET, libc::SO_REUSEADDR), 1);
    assert_eq!(int_opt(&listener, libc::SOL_SOCKET, libc::SO_ACCEPTCONN), 1);
    assert_eq!(flags(&listener), (false, true), "(non-blocking, FD_CLOEXEC)");
    assert!(!inherited_by_child(&listener));
}

#[test]
fn listen_legacy_is_the_legacy_listener() {
    let listener = crate::listen_legacy(0).unwrap();
    let addr = v4(listener.local_addr().unwrap());
    assert_eq!(*addr.ip(), Ipv4Addr::UNSPECIFIED);
    assert_ne!(addr.port(), 0);
    assert_eq!(int_opt(&listener, libc::SOL_SOCKET, libc::SO_REUSEADDR), 1);
    assert_eq!(flags(&listener), (false, false), "(non-blocking, FD_CLOEXEC)");
    assert!(inherited_by_child(&listener));
}

#[test]
fn raw_listen_on_port_zero_reports_the_bound_port() {
    let (fd, addr) = raw::listen_v4(0, drop).unwrap();
    assert_eq!(*addr.ip(), Ipv4Addr::UNSPECIFIED);
    assert_ne!(addr.port(), 0);
    assert_eq!(with_fd(&fd, sys::local_addr_v4).unwrap(), addr);
}

#[test]
fn a_taken_port_is_addr_in_use_at_bind_and_says_so() {
    let taken = crate::listen_legacy(0).unwrap();
    let port = taken.local_addr().unwrap().port();

    let failure = raw::listen_v4(port, drop).unwrap_err();
    assert_eq!(failure.step(), Step::Bind);
    assert_eq!(failure.errno(), Errno::from_raw(libc::EADDRINUSE));
    assert_eq!(failure.addr(), SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port));

    let addr = SocketAddrV4::new(Ipv4Addr::LOCALHOST, port);
    let err = crate::listen(addr).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AddrInUse);
    let os = io::Error::from_raw_os_error(libc::EADDRINUSE);
    assert_eq!(err.to_string(), format!("bind {addr}: {os}"));
    assert!(err.to_string().ends_with(&format!("(os error {})", libc::EADDRINUSE)));
    // A custom io::Error has no raw_os_error (std keeps one only without a
    // payload): the code is in the payload.
    assert_eq!(err.raw_os_error(), None);
    let failure = Failure::of(&err).unwrap();
    assert_eq!((failure.step(), failure.errno().raw()), (Step::Bind, libc::EADDRINUSE));
    let source = err.get_ref().unwrap().source().unwrap();
    assert_eq!(source.downcast_ref::<Errno>(), Some(&Errno::from_raw(libc::EADDRINUSE)));
}

#[test]
fn errors_display_and_box_into_dyn_error() {
    let addr = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 8890);
    let failure = Failure::at(Step::Bind, addr)(Errno::from_raw(libc::EADDRINUSE));
    let os = io::Error::from_raw_os_error(libc::EADDRINUSE);
    assert_eq!(failure.to_string(), format!("bind 0.0.0.0:8890: {os}"));
    assert_eq!(Errno::from_raw(libc::EADDRINUSE).to_string(), os.to_string());
    assert_eq!(Step::ReuseAddr.to_string(), "setsockopt(SO_REUSEADDR)");
    fn boxed(f: Failure) -> Result<(), std::boxed::Box<dyn std::error::Error>> {
        Err(f)?
    }
    assert_eq!(boxed(failure).unwrap_err().to_string(), failure.to_string());
    // From<Errno>: a plain OS error.
    assert_eq!(io::Error::from(failure.errno()).raw_os_error(), Some(libc::EADDRINUSE));
}

#[test]
fn connect_is_std_shaped_blocking_cloexec_nodelay() {
    let (listener, addr) = loopback_listener();
    for timeout in [None, Some(Duration::from_secs(10))] {
        let mut client = crate::connect(addr, timeout).unwrap();
        assert_eq!(int_opt(&client, libc::IPPROTO_TCP, libc::TCP_NODELAY), 1);
        assert_eq!(flags(&client), (false, true), "(non-blocking, FD_CLOEXEC)");
        assert!(!inherited_by_child(&client));
        // Blocking: read_exact waits for the reply.
        let (mut peer, _) = listener.accept().unwrap();
        peer.write_all(b"Im server\n").unwrap();
        let mut reply = [0u8; 10];
        client.read_exact(&mut reply).unwrap();
        assert_eq!(&reply, b"Im server\n");
    }
}

#[test]
fn connect_legacy_is_the_legacy_client() {
    let (_listener, addr) = loopback_listener();
    let mut client = crate::connect_legacy(addr).unwrap();
    assert_eq!(int_opt(&client, libc::IPPROTO_TCP, libc::TCP_NODELAY), 1);
    assert_eq!(flags(&client), (true, false), "(non-blocking, FD_CLOEXEC)");
    assert!(inherited_by_child(&client));
    assert_eq!(client.read(&mut [0u8; 4]).unwrap_err().kind(), ErrorKind::WouldBlock);
}

/// A socket bound to a loopback port, not listening: a connect there is
/// refused. (Not a dropped listener's port: a parallel test, or another
/// program, could listen on that one again. This port stays taken, as the
/// socket has no SO_REUSEADDR.)
fn refusing_port() -> (Fd, SocketAddrV4) {
    let fd = sys::socket_v4_stream(0, true).unwrap();
    sys::bind_v4(&fd, LOOPBACK_ANY_PORT).unwrap();
    let addr = sys::local_addr_v4(&fd).unwrap();
    (fd, addr)
}

#[test]
fn connect_to_a_closed_port_is_refused_at_connect() {
    let (_bound, addr) = refusing_port();
    let failure = raw::connect_v4(*addr.ip(), addr.port(), drop).unwrap_err();
    assert_eq!(failure.step(), Step::Connect);
    assert_eq!(failure.errno(), Errno::from_raw(libc::ECONNREFUSED));
    for timeout in [None, Some(Duration::from_secs(10))] {
        let err = crate::connect(addr, timeout).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionRefused);
        assert!(err.to_string().starts_with(&format!("connect {addr}: ")), "{err}");
    }
    assert_eq!(
        crate::connect_legacy(addr).unwrap_err().kind(),
        ErrorKind::ConnectionRefused
    );
}

#[test]
fn a_zero_timeout_is_invalid_input() {
    let (_listener, addr) = loopback_listener();
    let err = crate::connect(addr, Some(Duration::ZERO)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
}

/// A listener whose accept queue is full (backlog 15, nothing accepted):
/// the kernel drops further SYNs, so another connect hangs. Returns the
/// connections that filled it, to keep them open.
fn full_listener() -> (TcpListener, SocketAddrV4, Vec<TcpStream>) {
    let (listener, addr) = loopback_listener();
    let mut queued = Vec::new();
    for _ in 0..64 {
        match crate::connect(addr, Some(Duration::from_millis(200))) {
            Ok(s) => queued.push(s),
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::TimedOut, "{e}");
                assert!(
                    queued.len() > crate::BACKLOG as usize,
                    "timed out after {} connections",
                    queued.len()
                );
                return (listener, addr, queued);
            }
        }
    }
    panic!("64 connections queued on a listener of backlog 15 without a timeout");
}

#[test]
fn a_connect_timeout_ends_a_hanging_connect_with_timed_out() {
    let (_listener, addr, _queued) = full_listener();
    let start = Instant::now();
    let err = crate::connect(addr, Some(Duration::from_millis(300))).unwrap_err();
    let took = start.elapsed();
    assert_eq!(err.kind(), ErrorKind::TimedOut, "{err}");
    assert_eq!(
        err.to_string(),
        format!("connect {addr}: {}", io::Error::from_raw_os_error(libc::ETIMEDOUT))
    );
    assert!(took >= Duration::from_millis(300), "{took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");
}

extern "C" fn ignore_signal(_: libc::c_int) {}

/// Runs `crate::connect(addr, timeout)` in a thread and sends it SIGUSR1
/// (a handler without SA_RESTART, so it interrupts system calls) every 10
/// ms until it returns, calling `meanwhile(n)` after the n-th signal.
/// Returns its outcome, how long it took, and the signals sent.
fn connect_under_signals(
    addr: SocketAddrV4,
    timeout: Option<Duration>,
    mut meanwhile: impl FnMut(usize),
) -> (io::Result<()>, Duration, usize) {
    use std::os::unix::thread::JoinHandleExt;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    // Nothing else in this test binary uses SIGUSR1.
    // SAFETY: a zeroed sigaction is valid; the handler is an extern "C" fn
    // that does nothing (async-signal-safe); no old action is asked for.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = ignore_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::sigemptyset(&mut action.sa_mask);
        assert_eq!(libc::sigaction(libc::SIGUSR1, &action, std::ptr::null_mut()), 0);
    }
    let done = Arc::new(AtomicBool::new(false));
    let done_in_thread = Arc::clone(&done);
    let connecting = std::thread::spawn(move || {
        let start = Instant::now();
        let result = crate::connect(addr, timeout);
        done_in_thread.store(true, Ordering::SeqCst);
        (result.map(drop), start.elapsed())
    });
    let mut sent = 0;
    while !done.load(Ordering::SeqCst) && sent < 2000 {
        // SAFETY: the thread is not joined yet, so its id is valid.
        assert_eq!(
            unsafe { libc::pthread_kill(connecting.as_pthread_t(), libc::SIGUSR1) },
            0
        );
        sent += 1;
        meanwhile(sent);
        std::thread::sleep(Duration::from_millis(10));
    }
    let (result, took) = connecting.join().unwrap();
    (result, took, sent)
}

#[test]
fn signals_during_a_timed_connect_do_not_end_it() {
    let (_listener, addr, _queued) = full_listener();
    let (result, took, sent) = connect_under_signals(addr, Some(Duration::from_millis(500)), drop);
    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TimedOut, "{err} after {sent} signals");
    assert!(took >= Duration::from_millis(500), "{took:?}");
    assert!(sent >= 10, "only {sent} signals sent");
}

#[test]
fn signals_during_a_connect_without_timeout_do_not_end_it() {
    // The connect waits on a full accept queue; after 20 signals the
    // server accepts one connection, and the kernel's next SYN gets in.
    let (listener, addr, _queued) = full_listener();
    let mut accepted = Vec::new();
    let (result, took, sent) = connect_under_signals(addr, None, |n| {
        if n == 20 {
            accepted.push(listener.accept().unwrap());
        }
    });
    assert!(result.is_ok(), "{result:?} after {sent} signals, {took:?}");
    assert!(sent >= 20, "connected after {sent} signals: the queue was not full");
}

#[test]
fn a_failing_step_is_reported_before_the_socket_is_closed() {
    // The configure step binds the new socket to a loopback port (no
    // SO_REUSEADDR), then fails. While the failure is reported, that port
    // is still taken: the socket is open.
    let bound = std::cell::Cell::new(None);
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
    let (listener, addr) = loopback_listener();
    let fd = raw::connect_v4(*addr.ip(), addr.port(), drop).unwrap();
    let (peer, _) = listener.accept().unwrap();
    peer.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    (fd, peer)
}

/// Whether the peer sees the connection closed (EOF) rather than `byte`.
fn peer_sees_eof(mut peer: TcpStream) -> bool {
    let mut buf = [0u8; 1];
    peer.read(&mut buf).unwrap() == 0
}

#[test]
fn fd_closes_on_drop_and_on_close() {
    let (fd, peer) = connected_pair();
    drop(fd);
    assert!(peer_sees_eof(peer));

    let (fd, peer) = connected_pair();
    assert_eq!(fd.close(), Ok(()));
    assert!(peer_sees_eof(peer));
}

#[test]
fn fd_into_raw_and_into_owned_fd_keep_it_open() {
    let (fd, mut peer) = connected_pair();
    let n = fd.into_raw();
    // SAFETY: into_raw handed the open descriptor n over to this test.
    let mut stream = TcpStream::from(unsafe { OwnedFd::from_raw_fd(n) });
    stream.write_all(b"x").unwrap();
    let mut buf = [0u8; 1];
    peer.read_exact(&mut buf).unwrap();
    drop(stream);
    assert!(peer_sees_eof(peer));

    let (fd, mut peer) = connected_pair();
    let raw_number = fd.as_raw();
    assert_eq!(fd.as_fd().as_raw_fd(), raw_number);
    assert_eq!(fd.as_raw_fd(), raw_number);
    let mut stream = TcpStream::from(OwnedFd::from(fd));
    assert_eq!(stream.as_raw_fd(), raw_number);
    stream.write_all(b"y").unwrap();
    peer.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"y");

    let (fd, peer) = connected_pair();
    // SAFETY: into_raw_fd handed the open descriptor over to this test.
    drop(unsafe { OwnedFd::from_raw_fd(fd.into_raw_fd()) });
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
fn sockaddr_in_is_the_legacy_fill() {
    let sin = raw::sockaddr_in(SocketAddrV4::new(Ipv4Addr::new(127, 0, 0, 1), 18890));
    assert_eq!(sin.sin_family, libc::AF_INET as libc::sa_family_t);
    assert_eq!(sin.sin_port, 18890u16.to_be());
    assert_eq!(sin.sin_addr.s_addr.to_ne_bytes(), [127, 0, 0, 1]);
    assert_eq!(sin.sin_zero, [0; 8]);
}
