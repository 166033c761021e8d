//! The legacy helpers' messages, printed through C stdio with the legacy
//! format strings, in order with the host program's own output on `stdout`.
//!
//! Each message goes through the C function that the original, compiled
//! with the same C compiler and flags, calls for it. That is the compiler's
//! choice, not the source's: gcc at any level and clang from `-O1` turn
//! `printf("constant text\n")` into `puts("constant text")`, `-fno-builtin`
//! and clang's `-O0` do not, and glibc's `_FORTIFY_SOURCE=2` turns the
//! other calls into `__printf_chk`. The build asks the compiler
//! (`tools/c-codegen.sh` compiles the original's own lines) and tells this
//! crate through `SOCKCTL_C_CALLS` (see build.rs): one C function for each
//! of the three kinds of line, a constant text ending in a newline
//! ([`print_line`]), a constant text without one ([`listen_reuseaddr`]) and
//! a format with conversions (the others). Without it, the choices of gcc
//! at `-O2`: `puts`, `printf`, `printf`. A program that wraps or interposes
//! any of them (for its log) sees the same calls as with the original.
//!
//! Where the legacy helper printed `strerror(errno)` with `%s`, this calls
//! `strerror` with the failing call's errno and prints it with `%s` too: the
//! C library's own text in the current locale, through the same function a
//! program may wrap or interpose. (The original's `strerror` calls are
//! the only ones it made; never printf's m conversion, which only glibc and
//! musl have.)
//!
//! Typos, missing newlines and the port in network byte order are part of
//! the contract and kept.

use core::ffi::{c_char, c_int, c_uint, CStr};
use core::net::Ipv4Addr;

use sockctl_core::raw::Errno;

/// A constant message that ends in a newline: the whole text for `printf`,
/// and the text without its newline for `puts` (which appends it).
#[derive(Clone, Copy, Debug)]
pub struct Line {
    #[cfg_attr(sockctl_line = "puts", allow(dead_code))]
    whole: &'static CStr,
    #[cfg_attr(not(sockctl_line = "puts"), allow(dead_code))]
    bare: &'static CStr,
}

/// A C string from a literal that ends in NUL (checked at compile time).
const fn c_str(s: &'static str) -> &'static CStr {
    match CStr::from_bytes_with_nul(s.as_bytes()) {
        Ok(c) => c,
        Err(_) => panic!("not a C string"),
    }
}

macro_rules! line {
    ($text:literal) => {
        Line {
            whole: c_str(concat!($text, "\n\0")),
            bare: c_str(concat!($text, "\0")),
        }
    };
}

/// `listenSocket`: `socket` failed: `fail : can't open stream socket\n`.
pub const LISTEN_SOCKET: Line = line!("fail : can't open stream socket");
/// `listenSocket`: `listen` failed (sic): `fail to liten for connection\r\n`.
pub const LISTEN_LISTEN: Line = line!("fail to liten for connection\r");
/// `tcpCreateClient`: `connect` failed: `connection fail\r\n`.
pub const CLIENT_CONNECT: Line = line!("connection fail\r");

/// `listenSocket`: `setsockopt(SO_REUSEADDR)` failed (no newline, as in the
/// original, so the original called `printf` with it as the format; it has
/// no `%`).
pub const LISTEN_REUSEADDR: &CStr = c"fail socket option apply. option name is SO_REUSEADDR.";

#[cfg(any(
    sockctl_line = "__printf_chk",
    sockctl_text = "__printf_chk",
    sockctl_fmt = "__printf_chk"
))]
extern "C" {
    /// glibc's checking printf, what `_FORTIFY_SOURCE=2` makes of `printf`.
    fn __printf_chk(flag: c_int, format: *const c_char, ...) -> c_int;
}

/// The flag the fortified original passes to `__printf_chk`
/// (`_FORTIFY_SOURCE` - 1, as glibc's headers pass it).
#[cfg(any(
    sockctl_line = "__printf_chk",
    sockctl_text = "__printf_chk",
    sockctl_fmt = "__printf_chk"
))]
const PRINTF_CHK_FLAG: c_int = match c_int::from_str_radix(env!("SOCKCTL_PRINTF_CHK_FLAG"), 10) {
    Ok(flag) => flag,
    Err(_) => panic!("SOCKCTL_PRINTF_CHK_FLAG is not a number"),
};

/// `printf(format, args...)` as the original's formatted lines are
/// compiled: `printf`, or `__printf_chk` under `_FORTIFY_SOURCE=2`.
///
/// # Safety
/// The arguments match the conversions of the format, a C string.
macro_rules! c_printf {
    ($format:expr $(, $arg:expr)*) => {{
        #[cfg(not(sockctl_fmt = "__printf_chk"))]
        let r = libc::printf($format $(, $arg)*);
        #[cfg(sockctl_fmt = "__printf_chk")]
        let r = __printf_chk(PRINTF_CHK_FLAG, $format $(, $arg)*);
        r
    }};
}

/// Prints a constant message that ends in a newline, as the compiled
/// original did (`puts`, `printf` or `__printf_chk`). (The C functions are
/// `extern "C"` imports, which Rust treats as unable to unwind: the caller
/// needs no unwind tables, and on 32-bit ARM no reference to libgcc_s's
/// personality routine.)
pub fn print_line(line: Line) {
    // LLVM, like gcc, would turn printf of a constant line into puts: the
    // format is hidden from it where the C compiler kept printf.
    #[cfg(not(sockctl_line = "puts"))]
    let whole = core::hint::black_box(line.whole.as_ptr());
    // SAFETY: the texts are NUL-terminated C strings; as formats they have
    // no conversions.
    unsafe {
        #[cfg(sockctl_line = "puts")]
        libc::puts(line.bare.as_ptr());
        #[cfg(sockctl_line = "printf")]
        libc::printf(whole);
        #[cfg(sockctl_line = "__printf_chk")]
        __printf_chk(PRINTF_CHK_FLAG, whole);
    }
}

/// `fail socket option apply. option name is SO_REUSEADDR.`, with the text
/// as the format, as in the original (`printf` or `__printf_chk`).
pub fn listen_reuseaddr() {
    // SAFETY: the format is a NUL-terminated C string without conversions.
    unsafe {
        #[cfg(not(sockctl_text = "__printf_chk"))]
        libc::printf(LISTEN_REUSEADDR.as_ptr());
        #[cfg(sockctl_text = "__printf_chk")]
        __printf_chk(PRINTF_CHK_FLAG, LISTEN_REUSEADDR.as_ptr());
    }
}

/// `strerror(e)`: the C library's text for `e`, as the original printed it.
fn strerror(e: Errno) -> *const c_char {
    // SAFETY: strerror takes any int and returns a C string that stays
    // valid until the next strerror call of this thread (glibc, musl: for
    // every value), which comes after the printf that reads it.
    unsafe { libc::strerror(e.raw()) }
}

/// `fail to bind local address(<strerror>)\n`
pub fn listen_bind(e: Errno) {
    let text = strerror(e);
    // SAFETY: "%s" takes a C string: strerror's.
    unsafe { c_printf!(c"fail to bind local address(%s)\n".as_ptr(), text) };
}

/// `Socket Command error[<strerror>-<errno>]\n`
pub fn client_socket(e: Errno) {
    let text = strerror(e);
    // SAFETY: "%s" takes a C string (strerror's), "%d" an int.
    unsafe { c_printf!(c"Socket Command error[%s-%d]\n".as_ptr(), text, e.raw()) };
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
        c_printf!(
            c"Client Socket connect OK Server Socket[%d] IP[%u.%u.%u.%u, %i] \n".as_ptr(),
            fd,
            a,
            b,
            c,
            d,
            port
        )
    };
}

/// `(HOST) : Error fcntl() <errno> - <strerror>\n`
pub fn client_fcntl(e: Errno) {
    let text = strerror(e);
    // SAFETY: "%d" takes an int, "%s" a C string (strerror's).
    unsafe { c_printf!(c"(HOST) : Error fcntl() %d - %s\n".as_ptr(), e.raw(), text) };
}
