//! Unit tests of the safe core and the message bytes. The C ABI itself is
//! tested from C (c_tests/), linked the way C programs link it.

use std::io::ErrorKind;
use std::net::Ipv4Addr;
use std::os::fd::{AsFd, AsRawFd};

use crate::sys::{self, Errno};
use crate::{msg, Step};

#[test]
fn listen_on_port_zero_reports_the_bound_port() {
    let (fd, addr) = crate::listen(0).unwrap();
    assert_eq!(*addr.ip(), Ipv4Addr::UNSPECIFIED);
    assert_ne!(addr.port(), 0);
    assert_eq!(sys::local_addr_v4(fd.as_fd()).unwrap(), addr);
    assert_eq!(
        sys::int_opt(fd.as_fd(), libc::SOL_SOCKET, libc::SO_REUSEADDR).unwrap(),
        1
    );
    assert_eq!(
        sys::int_opt(fd.as_fd(), libc::SOL_SOCKET, libc::SO_ACCEPTCONN).unwrap(),
        1
    );
}

#[test]
fn listen_on_a_listening_port_is_addr_in_use_at_bind() {
    let (_fd, addr) = crate::listen(0).unwrap();
    let failure = crate::listen_v4(addr.port(), drop).unwrap_err();
    assert_eq!(failure.step, Step::Bind);
    assert_eq!(failure.errno, Errno(libc::EADDRINUSE));
    assert_eq!(crate::listen(addr.port()).unwrap_err().kind(), ErrorKind::AddrInUse);
}

#[test]
fn connect_gives_a_nonblocking_nodelay_socket() {
    let (_listener, addr) = crate::listen(0).unwrap();
    let fd = crate::connect(Ipv4Addr::LOCALHOST, addr.port()).unwrap();
    assert_eq!(
        sys::int_opt(fd.as_fd(), libc::IPPROTO_TCP, libc::TCP_NODELAY).unwrap(),
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
    let failure = crate::connect_blocking(Ipv4Addr::LOCALHOST, addr.port(), drop).unwrap_err();
    assert_eq!(failure.step, Step::Connect);
    assert_eq!(failure.errno, Errno(libc::ECONNREFUSED));
}

#[test]
fn messages_are_the_legacy_bytes() {
    assert_eq!(
        msg::listen_bind(Errno(libc::EADDRINUSE)).bytes(),
        b"fail to bind local address(Address already in use)\n"
    );
    assert_eq!(
        msg::client_socket(Errno(libc::EMFILE)).bytes(),
        b"Socket Command error[Too many open files-24]\n"
    );
    // 18890 is 0x49CA; in network byte order read as a host integer, 0xCA49 = 51785.
    assert_eq!(
        msg::client_connected(3, Ipv4Addr::LOCALHOST, 18890).bytes(),
        b"Client Socket connect OK Server Socket[3] IP[127.0.0.1, 51785] \n"
    );
    assert_eq!(
        msg::client_connected(1023, Ipv4Addr::new(255, 0, 10, 200), 0).bytes(),
        b"Client Socket connect OK Server Socket[1023] IP[255.0.10.200, 0] \n"
    );
    assert_eq!(
        msg::client_fcntl(Errno(libc::EBADF)).bytes(),
        b"(HOST) : Error fcntl() 9 - Bad file descriptor\n"
    );
}

#[test]
fn integers_print_as_printf_does() {
    for v in [0, 7, -1, 10, 65535, i32::MAX, i32::MIN] {
        assert_eq!(msg::Line::new().int(v).bytes(), v.to_string().as_bytes());
    }
}

#[test]
fn long_lines_are_cut_not_overrun() {
    let long = [b'x'; 300];
    assert_eq!(msg::Line::new().text(&long).bytes().len(), 256);
}
