//! The legacy helpers' messages, printed by C `printf` with the legacy
//! format strings, and they go through C `stdout`'s buffer, in order with
//! the host program's own output.
//!
//! Where the legacy helper printed `strerror(e)` with `%s`, this prints
//! `%m` with `errno` set to `e`: glibc and musl print `strerror(errno)`
//! for it, the C library's own text in the current locale, whole however
//! long a translation is, and thread-safe (no copy into a fixed buffer, no
//! shared static one). So the bytes are the original's in every locale.
//!
//! Typos, missing newlines and the port in network byte order are part of
//! the contract and kept.

use core::ffi::{c_int, c_uint, CStr};
use core::net::Ipv4Addr;

use sockctl_core::raw::Errno;

/// `listenSocket`: `socket` failed.
pub const LISTEN_SOCKET: &CStr = c"fail : can't open stream socket\n";
/// `listenSocket`: `setsockopt(SO_REUSEADDR)` failed (no newline, as in the original).
pub const LISTEN_REUSEADDR: &CStr = c"fail socket option apply. option name is SO_REUSEADDR.";
/// `listenSocket`: `listen` failed (sic).
pub const LISTEN_LISTEN: &CStr = c"fail to liten for connection\r\n";
/// `tcpCreateClient`: `connect` failed.
pub const CLIENT_CONNECT: &CStr = c"connection fail\r\n";

/// Prints a fixed message. (Through "%.*s": a constant format would be
/// turned into a call of `puts` by the compiler, which it then assumes may
/// unwind, and the function would need unwind tables, on ARM with a
/// reference to libgcc_s's `__aeabi_unwind_cpp_pr0`.)
pub fn print(text: &CStr) {
    let text = text.to_bytes();
    let len = c_int::try_from(text.len()).unwrap_or(c_int::MAX);
    // SAFETY: "%.*s" takes an int and a pointer to at least that many bytes.
    unsafe { libc::printf(c"%.*s".as_ptr(), len, text.as_ptr()) };
}

/// `fail to bind local address(<strerror>)\n`
pub fn listen_bind(e: Errno) {
    e.set();
    // SAFETY: "%m" takes no argument: it is strerror(errno), set just above.
    unsafe { libc::printf(c"fail to bind local address(%m)\n".as_ptr()) };
}

/// `Socket Command error[<strerror>-<errno>]\n`
pub fn client_socket(e: Errno) {
    e.set();
    // SAFETY: "%m" takes no argument (strerror(errno), set just above),
    // "%d" an int.
    unsafe { libc::printf(c"Socket Command error[%m-%d]\n".as_ptr(), e.raw()) };
}

/// `Client Socket connect OK Server Socket[<fd>] IP[<a.b.c.d>, <port>] \n`.
/// `port` is in host byte order; it is printed as the legacy helper
/// printed `sin_port`: the network-order value read as a host integer. The
/// address is written as `inet_ntoa` writes it, without its shared buffer.
pub fn client_connected(fd: c_int, ip: Ipv4Addr, port: u16) {
    let [a, b, c, d] = ip.octets().map(c_uint::from);
    let port = c_int::from(port.to_be());
    // SAFETY: "%d" and "%i" take ints, each "%u" an unsigned int: the
    // arguments are of those types, in that order.
    unsafe {
        libc::printf(
            c"Client Socket connect OK Server Socket[%d] IP[%u.%u.%u.%u, %i] \n".as_ptr(),
            fd,
            a,
            b,
            c,
            d,
            port,
        )
    };
}

/// `(HOST) : Error fcntl() <errno> - <strerror>\n`
pub fn client_fcntl(e: Errno) {
    e.set();
    // SAFETY: "%d" takes an int, "%m" no argument (strerror(errno), set
    // just above).
    unsafe { libc::printf(c"(HOST) : Error fcntl() %d - %m\n".as_ptr(), e.raw()) };
}
