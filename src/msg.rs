//! The legacy helpers' messages, printed through C stdio with the legacy
//! format strings, in order with the host program's own output on `stdout`.
//!
//! Each message goes through the C function that the compiled original
//! called: gcc and clang turn `printf("constant text\n")` into
//! `puts("constant text")`, so the three constant messages that end in a
//! newline are printed with `puts` (which appends it), and the others with
//! `printf`. A program that wraps or interposes `printf` or `puts` (for its
//! log) sees the same calls as with the original.
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

/// A constant message that ends in a newline, printed by `puts`, which
/// writes the text and then the newline.
#[derive(Clone, Copy, Debug)]
pub struct Line(&'static CStr);

/// `listenSocket`: `socket` failed: `fail : can't open stream socket\n`.
pub const LISTEN_SOCKET: Line = Line(c"fail : can't open stream socket");
/// `listenSocket`: `listen` failed (sic): `fail to liten for connection\r\n`.
pub const LISTEN_LISTEN: Line = Line(c"fail to liten for connection\r");
/// `tcpCreateClient`: `connect` failed: `connection fail\r\n`.
pub const CLIENT_CONNECT: Line = Line(c"connection fail\r");

/// `listenSocket`: `setsockopt(SO_REUSEADDR)` failed (no newline, as in the
/// original, so the original called `printf` with it as the format; it has
/// no `%`).
pub const LISTEN_REUSEADDR: &CStr = c"fail socket option apply. option name is SO_REUSEADDR.";

/// Prints a constant message with `puts`, as the compiled original did.
/// (`libc::puts` is an `extern "C"` import, which Rust treats as unable to
/// unwind: the caller needs no unwind tables, and on 32-bit ARM no
/// reference to libgcc_s's personality routine.)
pub fn print_line(line: Line) {
    // SAFETY: the text is a NUL-terminated C string.
    unsafe { libc::puts(line.0.as_ptr()) };
}

/// `fail socket option apply. option name is SO_REUSEADDR.`, by `printf`
/// with the text as its format, as in the original.
pub fn listen_reuseaddr() {
    // SAFETY: the format is a NUL-terminated C string without conversions.
    unsafe { libc::printf(LISTEN_REUSEADDR.as_ptr()) };
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
