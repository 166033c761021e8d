//! Unit tests of the Rust API (feature `std`); the step layer's are in
//! `tests_raw`. The C ABI is tested from C (c_tests/), linked the way C
//! programs link it.
//!
//! Every descriptor a test looks at or closes is its own: tests run in
//! parallel threads of one process, so a descriptor number a test does not
//! own may be another test's socket at any moment. errno values are named
//! by their constants; probes of one system (`/proc`, Linux's accept queue)
//! are behind a `cfg`, so the suite compiles for every target.

use std::format;
use std::io::{self, ErrorKind, Read, Write};
use std::mem::ManuallyDrop;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6, TcpListener, TcpStream};
use std::os::fd::{AsFd, AsRawFd, FromRawFd, IntoRawFd, OwnedFd};
use std::string::{String, ToString};
use std::time::{Duration, Instant};
use std::vec::Vec;

use crate::raw::{Errno, Fd, Step};
use crate::{sys, ConnectOptions, Error, ListenOptions};

const LOOPBACK: SocketAddr = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0));
const LOOPBACK6: SocketAddr = SocketAddr::V6(SocketAddrV6::new(Ipv6Addr::LOCALHOST, 0, 0, 0));

/// Lends a descriptor that `fd` owns to the syscall layer for one call; the
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

/// The chain of an error as anyhow's `{:#}` and eyre print it: each
/// link's `Display`, joined by ": ".
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut next = e.source();
    while let Some(link) = next {
        text = format!("{text}: {link}");
        next = link.source();
    }
    text
}

/// Whether a child process (sh, by fork and exec) still has the
/// descriptor number of `fd`, which this process owns (Linux's /proc).
#[cfg(target_os = "linux")]
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

/// Asserts that `ours` is std's error for the same failure (kind,
/// raw_os_error, text of the source) with the step and address on top, and
/// that its chain says each thing once.
fn assert_as_std(ours: &Error, std_err: &io::Error, step: Step, addr: SocketAddr, errno: i32) {
    assert_eq!(
        (ours.kind(), ours.raw_os_error()),
        (std_err.kind(), std_err.raw_os_error())
    );
    assert_eq!(ours.raw_os_error(), Some(errno));
    assert_eq!((ours.step(), ours.addr()), (Some(step), Some(addr)));
    assert_eq!(ours.to_string(), format!("{step} {addr}"));
    assert_eq!(chain(ours), format!("{step} {addr}: {std_err}"));
    assert!(std_err.to_string().ends_with(&format!("(os error {errno})")));
    let io_err = io::Error::from(Error::at(step, addr)(Errno::from_raw(errno)));
    assert_eq!((io_err.kind(), io_err.raw_os_error()), (std_err.kind(), Some(errno)));
    assert_eq!(io_err.to_string(), std_err.to_string());
}

#[test]
fn listen_is_std_shaped_on_ipv4_and_ipv6() {
    for any_port in [LOOPBACK, LOOPBACK6] {
        let listener = crate::listen(any_port).unwrap();
        let addr = listener.local_addr().unwrap();
        assert_eq!(addr.ip(), any_port.ip());
        assert_ne!(addr.port(), 0);
        assert_eq!(int_opt(&listener, libc::SOL_SOCKET, libc::SO_REUSEADDR), 1);
        assert_eq!(int_opt(&listener, libc::SOL_SOCKET, libc::SO_ACCEPTCONN), 1);
        assert_eq!(flags(&listener), (false, true), "(non-blocking, FD_CLOEXEC)");
        #[cfg(target_os = "linux")]
        assert!(!inherited_by_child(&listener));
        if addr.is_ipv6() {
            assert_eq!(int_opt(&listener, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY), 1);
        }
        // A std client connects and talks to it.
        let mut client = TcpStream::connect(addr).unwrap();
        let (mut peer, _) = listener.accept().unwrap();
        client.write_all(b"hello World").unwrap();
        let mut got = [0u8; 11];
        peer.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"hello World");
    }
}

#[test]
fn listen_takes_anything_to_socket_addrs_and_tries_each() {
    let listener = crate::listen("[::1]:0").unwrap();
    assert_eq!(listener.local_addr().unwrap().ip(), Ipv6Addr::LOCALHOST);
    let listener = crate::listen((Ipv4Addr::LOCALHOST, 0)).unwrap();
    assert_eq!(listener.local_addr().unwrap().ip(), Ipv4Addr::LOCALHOST);

    // The first address is taken: the second one is used.
    let taken = listener.local_addr().unwrap();
    let listener = crate::listen(&[taken, LOOPBACK6][..]).unwrap();
    assert_eq!(listener.local_addr().unwrap().ip(), Ipv6Addr::LOCALHOST);
    // Every one fails: the last one's error, with its address.
    let taken6 = listener.local_addr().unwrap();
    let err = crate::listen(&[taken6, taken][..]).unwrap_err();
    assert_eq!(
        (err.step(), err.addr(), err.raw_os_error()),
        (Some(Step::Bind), Some(taken), Some(libc::EADDRINUSE))
    );

    // No address, or not an address: std's errors, no step.
    let std_err = TcpListener::bind(&[][..] as &[SocketAddr]).unwrap_err();
    let err = crate::listen(&[][..] as &[SocketAddr]).unwrap_err();
    assert_eq!(
        (err.kind(), err.step(), err.addr()),
        (ErrorKind::InvalidInput, None, None)
    );
    assert_eq!(err.kind(), std_err.kind());
    let std_err = TcpListener::bind("127.0.0.1").unwrap_err(); // no port
    let err = crate::listen("127.0.0.1").unwrap_err();
    assert_eq!(
        (err.kind(), err.raw_os_error(), err.step()),
        (std_err.kind(), std_err.raw_os_error(), None)
    );
    assert_eq!(err.to_string(), std_err.to_string());
    assert_eq!(chain(&err), std_err.to_string());
}

#[test]
fn ipv6_only_by_default_and_dual_stack_when_asked() {
    let unspecified6 = SocketAddr::from((Ipv6Addr::UNSPECIFIED, 0));
    // IPV6_V6ONLY on: the IPv4 port stays free (a plain IPv4 socket, no
    // SO_REUSEADDR, binds it).
    let v6only = crate::listen(unspecified6).unwrap();
    assert_eq!(int_opt(&v6only, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY), 1);
    let port = v6only.local_addr().unwrap().port();
    let v4 = sys::socket_v4_stream(0, true).unwrap();
    assert_eq!(
        sys::bind_v4(&v4, SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port)),
        Ok(())
    );
    drop(v4);

    // Off: one socket for both families, IPv4 peers as ::ffff:a.b.c.d.
    let dual = match ListenOptions::new().only_v6(false).listen(unspecified6) {
        Ok(l) => l,
        #[cfg(target_os = "openbsd")]
        Err(e) if e.step() == Some(Step::V6Only) => return, // no dual stack there
        Err(e) => panic!("{}", chain(&e)),
    };
    assert_eq!(int_opt(&dual, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY), 0);
    let port = dual.local_addr().unwrap().port();
    let _client = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
    let (_peer, from) = dual.accept().unwrap();
    let SocketAddr::V6(from) = from else { panic!("{from}") };
    assert_eq!(from.ip().to_ipv4_mapped(), Some(Ipv4Addr::LOCALHOST));
}

#[test]
fn listen_options_backlog_and_nonblocking() {
    let listener = ListenOptions::new().nonblocking(true).listen(LOOPBACK6).unwrap();
    assert_eq!(flags(&listener), (true, true), "(non-blocking, FD_CLOEXEC)");
    assert_eq!(listener.accept().unwrap_err().kind(), ErrorKind::WouldBlock);
    assert_eq!(ListenOptions::default(), ListenOptions::new());
    // The backlog is the one asked for (Linux queues backlog + 1
    // connections; other systems count differently).
    #[cfg(target_os = "linux")]
    for backlog in [1, 3] {
        let (_listener, _addr, queued) = full_listener(ListenOptions::new().backlog(backlog));
        assert_eq!(queued.len(), backlog as usize + 1);
    }
}

#[test]
fn listen_legacy_is_the_legacy_listener() {
    let listener = crate::listen_legacy(0).unwrap();
    let addr = listener.local_addr().unwrap();
    assert_eq!(addr.ip(), Ipv4Addr::UNSPECIFIED);
    assert_ne!(addr.port(), 0);
    assert_eq!(int_opt(&listener, libc::SOL_SOCKET, libc::SO_REUSEADDR), 1);
    assert_eq!(flags(&listener), (false, false), "(non-blocking, FD_CLOEXEC)");
    #[cfg(target_os = "linux")]
    assert!(inherited_by_child(&listener));
}

#[test]
fn a_taken_port_is_std_addr_in_use_at_bind() {
    for any_port in [LOOPBACK, LOOPBACK6] {
        let taken = TcpListener::bind(any_port).unwrap();
        let addr = taken.local_addr().unwrap();
        let err = crate::listen(addr).unwrap_err();
        let std_err = TcpListener::bind(addr).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AddrInUse);
        assert_as_std(&err, &std_err, Step::Bind, addr, libc::EADDRINUSE);
    }
    let taken = crate::listen_legacy(0).unwrap();
    let port = taken.local_addr().unwrap().port();
    let err = crate::listen_legacy(port).unwrap_err();
    let addr = SocketAddr::from((Ipv4Addr::UNSPECIFIED, port));
    assert_as_std(
        &err,
        &TcpListener::bind(addr).unwrap_err(),
        Step::Bind,
        addr,
        libc::EADDRINUSE,
    );
}

#[test]
fn an_address_not_of_this_host_is_std_addr_not_available_at_bind() {
    // TEST-NET-1 and the IPv6 documentation prefix: no host has them.
    for addr in ["192.0.2.1:0", "[2001:db8::1]:0"] {
        let addr: SocketAddr = addr.parse().unwrap();
        let err = crate::listen(addr).unwrap_err();
        let std_err = TcpListener::bind(addr).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AddrNotAvailable);
        assert_as_std(&err, &std_err, Step::Bind, addr, libc::EADDRNOTAVAIL);
    }
}

#[test]
fn connect_is_std_shaped_with_its_options() {
    for any_port in [LOOPBACK, LOOPBACK6] {
        let listener = crate::listen(any_port).unwrap();
        let addr = listener.local_addr().unwrap();
        let timeout = Some(Duration::from_secs(10));
        let cases = [
            (ConnectOptions::new(), false, false),
            (ConnectOptions::new().timeout(timeout), false, false),
            (ConnectOptions::new().nodelay(true), true, false),
            (ConnectOptions::new().nonblocking(true), false, true),
            (
                ConnectOptions::new().nonblocking(true).timeout(timeout).nodelay(true),
                true,
                true,
            ),
        ];
        for (options, nodelay, nonblocking) in cases {
            let mut client = options.connect(addr).unwrap();
            assert_eq!(client.peer_addr().unwrap(), addr);
            assert_eq!(client.nodelay().unwrap(), nodelay, "{options:?}");
            assert_eq!(
                flags(&client),
                (nonblocking, true),
                "{options:?}: (non-blocking, FD_CLOEXEC)"
            );
            #[cfg(target_os = "linux")]
            assert!(!inherited_by_child(&client));
            let (mut peer, _) = listener.accept().unwrap();
            peer.write_all(b"Im server\n").unwrap();
            client.set_nonblocking(false).unwrap();
            let mut reply = [0u8; 10];
            client.read_exact(&mut reply).unwrap();
            assert_eq!(&reply, b"Im server\n");
        }
    }
    assert_eq!(ConnectOptions::default(), ConnectOptions::new());
}

#[test]
fn connect_legacy_is_the_legacy_client() {
    let listener = crate::listen(LOOPBACK).unwrap();
    let SocketAddr::V4(addr) = listener.local_addr().unwrap() else {
        unreachable!()
    };
    let mut client = crate::connect_legacy(addr).unwrap();
    assert_eq!(int_opt(&client, libc::IPPROTO_TCP, libc::TCP_NODELAY), 1);
    assert_eq!(flags(&client), (true, false), "(non-blocking, FD_CLOEXEC)");
    #[cfg(target_os = "linux")]
    assert!(inherited_by_child(&client));
    assert_eq!(client.read(&mut [0u8; 4]).unwrap_err().kind(), ErrorKind::WouldBlock);
}

/// A socket bound to a loopback port, not listening: a connect there is
/// refused. (Not a dropped listener's port: a parallel test, or another
/// program, could listen on that one again. This port stays taken, as the
/// socket has no SO_REUSEADDR.)
fn refusing_port(any_port: SocketAddr) -> (Fd, SocketAddr) {
    let fd = sys::socket_stream(sys::domain_of(&any_port), 0, true, false).unwrap();
    sys::bind(&fd, &any_port).unwrap();
    // SAFETY: the number is fd's, borrowed for this call only.
    let addr = ManuallyDrop::new(unsafe { TcpListener::from_raw_fd(fd.as_raw()) })
        .local_addr()
        .unwrap();
    (fd, addr)
}

#[test]
fn connect_to_a_closed_port_is_std_connection_refused() {
    for any_port in [LOOPBACK, LOOPBACK6] {
        let (_bound, addr) = refusing_port(any_port);
        for options in [
            ConnectOptions::new(),
            ConnectOptions::new().timeout(Some(Duration::from_secs(10))),
        ] {
            let err = options.connect(addr).unwrap_err();
            let std_err = TcpStream::connect(addr).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::ConnectionRefused);
            assert_as_std(&err, &std_err, Step::Connect, addr, libc::ECONNREFUSED);
        }
        if let SocketAddr::V4(addr) = addr {
            let err = crate::connect_legacy(addr).unwrap_err();
            assert_eq!(
                (err.kind(), err.step()),
                (ErrorKind::ConnectionRefused, Some(Step::Connect))
            );
        }
    }
}

#[test]
fn a_zero_timeout_is_invalid_input_as_std() {
    let listener = crate::listen(LOOPBACK).unwrap();
    let addr = listener.local_addr().unwrap();
    let err = ConnectOptions::new()
        .timeout(Some(Duration::ZERO))
        .connect(addr)
        .unwrap_err();
    let std_err = TcpStream::connect_timeout(&addr, Duration::ZERO).unwrap_err();
    assert_eq!(
        (err.kind(), err.raw_os_error(), err.step()),
        (std_err.kind(), None, None)
    );
}

/// A listener whose accept queue is full (nothing accepted): the kernel
/// drops further SYNs, so another connect hangs. Returns the connections
/// that filled it, to keep them open.
fn full_listener(options: ListenOptions) -> (TcpListener, SocketAddr, Vec<TcpStream>) {
    let listener = options.listen(LOOPBACK).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut queued = Vec::new();
    let connect = ConnectOptions::new().timeout(Some(Duration::from_millis(200)));
    for _ in 0..64 {
        match connect.connect(addr) {
            Ok(s) => queued.push(s),
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::TimedOut, "{}", chain(&e));
                return (listener, addr, queued);
            }
        }
    }
    panic!("64 connections queued on a listener of {options:?} without a timeout");
}

#[test]
fn a_connect_timeout_ends_a_hanging_connect_with_timed_out() {
    let (_listener, addr, _queued) = full_listener(ListenOptions::new().backlog(2));
    let start = Instant::now();
    let err = ConnectOptions::new()
        .timeout(Some(Duration::from_millis(300)))
        .connect(addr)
        .unwrap_err();
    let took = start.elapsed();
    assert_eq!(err.kind(), ErrorKind::TimedOut, "{err}");
    assert_eq!(
        (err.step(), err.raw_os_error()),
        (Some(Step::Connect), Some(libc::ETIMEDOUT))
    );
    assert_eq!(
        chain(&err),
        format!("connect {addr}: {}", io::Error::from_raw_os_error(libc::ETIMEDOUT))
    );
    assert!(took >= Duration::from_millis(300), "{took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");
}

extern "C" fn ignore_signal(_: libc::c_int) {}

/// Runs `options.connect(addr)` in a thread and sends it SIGUSR1 (a
/// handler without SA_RESTART, so it interrupts system calls) every 10 ms
/// until it returns, calling `meanwhile(n)` after the n-th signal. Returns
/// its outcome, how long it took, and the signals sent.
fn connect_under_signals(
    addr: SocketAddr,
    options: ConnectOptions,
    mut meanwhile: impl FnMut(usize),
) -> (Result<(), Error>, Duration, usize) {
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
        let result = options.connect(addr);
        done_in_thread.store(true, Ordering::SeqCst);
        (result.map(drop), start.elapsed())
    });
    let mut sent = 0;
    while !done.load(Ordering::SeqCst) && sent < 2000 {
        // std's RawPthread is an integer; musl's pthread_t, in the libc
        // crate, a pointer: the cast is the identity where they agree.
        #[allow(clippy::unnecessary_cast)]
        let thread = connecting.as_pthread_t() as libc::pthread_t;
        // SAFETY: the thread is not joined yet, so its id is valid.
        assert_eq!(unsafe { libc::pthread_kill(thread, libc::SIGUSR1) }, 0);
        sent += 1;
        meanwhile(sent);
        std::thread::sleep(Duration::from_millis(10));
    }
    let (result, took) = connecting.join().unwrap();
    (result, took, sent)
}

#[test]
fn signals_during_a_timed_connect_do_not_end_it() {
    let (_listener, addr, _queued) = full_listener(ListenOptions::new().backlog(2));
    let options = ConnectOptions::new().timeout(Some(Duration::from_millis(500)));
    let (result, took, sent) = connect_under_signals(addr, options, drop);
    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TimedOut, "{err} after {sent} signals");
    assert!(took >= Duration::from_millis(500), "{took:?}");
    assert!(sent >= 10, "only {sent} signals sent");
}

#[test]
fn signals_during_a_connect_without_timeout_do_not_end_it() {
    // The connect waits on a full accept queue; after 20 signals the
    // server accepts one connection, and the kernel's next SYN gets in.
    let (listener, addr, _queued) = full_listener(ListenOptions::new().backlog(2));
    let mut accepted = Vec::new();
    let (result, took, sent) = connect_under_signals(addr, ConnectOptions::new(), |n| {
        if n == 20 {
            accepted.push(listener.accept().unwrap());
        }
    });
    assert!(result.is_ok(), "{result:?} after {sent} signals, {took:?}");
    assert!(sent >= 20, "connected after {sent} signals: the queue was not full");
}

#[test]
fn fd_converts_into_owned_fd_and_keeps_it_open() {
    let listener = crate::listen(LOOPBACK).unwrap();
    let SocketAddr::V4(addr) = listener.local_addr().unwrap() else {
        unreachable!()
    };
    let fd = crate::raw::connect_v4(*addr.ip(), addr.port(), drop).unwrap();
    let (mut peer, _) = listener.accept().unwrap();
    let raw_number = fd.as_raw();
    assert_eq!(fd.as_fd().as_raw_fd(), raw_number);
    assert_eq!(fd.as_raw_fd(), raw_number);
    let mut stream = TcpStream::from(OwnedFd::from(fd));
    assert_eq!(stream.as_raw_fd(), raw_number);
    stream.write_all(b"y").unwrap();
    let mut buf = [0u8; 1];
    peer.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"y");
    // SAFETY: into_raw_fd handed the open descriptor over to this test.
    drop(unsafe { OwnedFd::from_raw_fd(stream.into_raw_fd()) });
    peer.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    assert_eq!(peer.read(&mut buf).unwrap(), 0);
}

#[test]
fn errors_box_into_dyn_error_and_convert_to_std_io_errors() {
    let addr = SocketAddr::from((Ipv6Addr::LOCALHOST, 8890));
    let err = Error::at(Step::Listen, addr)(Errno::from_raw(libc::EADDRINUSE));
    assert_eq!(err.to_string(), "listen [::1]:8890");
    fn boxed(e: Error) -> Result<(), std::boxed::Box<dyn std::error::Error + Send + Sync>> {
        Err(e)?
    }
    let text = chain(&err);
    assert_eq!(chain(&*boxed(err).unwrap_err()), text);
    fn io_result() -> io::Result<()> {
        Err(Error::from(crate::raw::Failure::at(
            Step::Bind,
            SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 1),
        )(Errno::from_raw(libc::EACCES))))?
    }
    let io_err = io_result().unwrap_err();
    assert_eq!(
        (io_err.kind(), io_err.raw_os_error()),
        (ErrorKind::PermissionDenied, Some(libc::EACCES))
    );
}
