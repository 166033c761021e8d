//! Unit tests of the step layer and the safe API. The C ABI is tested from
//! C (c_tests/), linked the way C programs link it.

use std::io::ErrorKind;
use std::net::Ipv4Addr;
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd};
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

#[test]
fn connect_to_a_closed_port_is_refused_at_connect() {
    let (fd, addr) = crate::listen(0).unwrap();
    drop(fd);
    let failure = raw::connect_v4(Ipv4Addr::LOCALHOST, addr.port(), drop).unwrap_err();
    assert_eq!(failure.step, Step::Connect);
    assert_eq!(failure.errno, Errno(libc::ECONNREFUSED));
}

#[test]
fn a_failing_step_is_reported_before_the_socket_is_closed() {
    let (_fd, addr) = crate::listen(0).unwrap();
    let mut seen = None;
    let failure = raw::listen_v4(addr.port(), |f| {
        // The socket of the failed attempt is still open while reporting:
        // it is the highest descriptor, and F_GETFD succeeds on it.
        let probe = std::fs::File::open("/dev/null").unwrap().into_raw_fd();
        // SAFETY: F_GETFD takes no argument.
        seen = Some((f, unsafe { libc::fcntl(probe - 1, libc::F_GETFD) }));
        // SAFETY: probe is ours.
        drop(unsafe { std::fs::File::from_raw_fd(probe) });
    })
    .unwrap_err();
    assert_eq!(seen, Some((failure, 0)));
}

#[test]
fn fd_closes_on_drop_and_into_raw_keeps_it_open() {
    let (fd, _) = raw::listen_v4(0, drop).unwrap();
    let n = fd.as_raw();
    drop(fd);
    // SAFETY: F_GETFD takes no argument.
    assert_eq!(unsafe { libc::fcntl(n, libc::F_GETFD) }, -1);
    let (fd, _) = raw::listen_v4(0, drop).unwrap();
    let n = fd.into_raw();
    // SAFETY: as above.
    assert_eq!(unsafe { libc::fcntl(n, libc::F_GETFD) }, 0);
    assert_eq!(raw::close(n), Ok(()));
    assert_eq!(raw::close(n), Err(Errno(libc::EBADF)));
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
