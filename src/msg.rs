//! The legacy helpers' messages, byte for byte, built without `core::fmt`
//! (and so without its code or any panic path) in a fixed stack buffer.
//!
//! Each function returns the bytes that the legacy `printf` call printed;
//! the C shim writes them to C `stdout`. Typos, missing newlines and the
//! port in network byte order are part of the contract and kept.

// A build with one feature group (server or client) uses part of this.
#![cfg_attr(not(all(feature = "server", feature = "client")), allow(dead_code))]

use std::net::Ipv4Addr;

use crate::sys::{self, Errno};

/// A message line being built. Longer input is cut at the capacity, which
/// no legacy message comes near (the longest `strerror` text is about 50
/// bytes).
pub(crate) struct Line {
    buf: [u8; 256],
    len: usize,
}

impl Line {
    pub(crate) fn new() -> Line {
        Line { buf: [0; 256], len: 0 }
    }

    // The appenders are not inlined: one copy of each serves every message,
    // which keeps the C callers' code small.

    #[inline(never)]
    pub(crate) fn text(&mut self, s: &[u8]) -> &mut Line {
        let room = self.buf.len().saturating_sub(self.len);
        let n = s.len().min(room);
        if let (Some(dst), Some(src)) = (self.buf.get_mut(self.len..self.len + n), s.get(..n)) {
            dst.copy_from_slice(src);
            self.len += n;
        }
        self
    }

    /// `v` in decimal, as printf's `%d` and `%i` write it.
    #[inline(never)]
    pub(crate) fn int(&mut self, v: i32) -> &mut Line {
        let mut digits = [0u8; 11];
        let mut start = digits.len();
        let mut rest = v.unsigned_abs();
        loop {
            start -= 1;
            if let Some(d) = digits.get_mut(start) {
                *d = b'0' + (rest % 10) as u8;
            }
            rest /= 10;
            if rest == 0 || start == 0 {
                break;
            }
        }
        if v < 0 {
            self.text(b"-");
        }
        self.text(digits.get(start..).unwrap_or(&[]))
    }

    /// `strerror(e)`, as printf's `%s` of it writes it.
    pub(crate) fn strerror(&mut self, e: Errno) -> &mut Line {
        let mut buf = [0u8; 128];
        self.text(sys::strerror(e, &mut buf))
    }

    /// Dotted decimal, as `inet_ntoa` writes it, without its shared buffer.
    pub(crate) fn ipv4(&mut self, ip: Ipv4Addr) -> &mut Line {
        let [a, b, c, d] = ip.octets();
        self.int(a.into())
            .text(b".")
            .int(b.into())
            .text(b".")
            .int(c.into())
            .text(b".")
            .int(d.into())
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }
}

// listenSocket

pub(crate) const LISTEN_SOCKET: &[u8] = b"fail : can't open stream socket\n";
pub(crate) const LISTEN_REUSEADDR: &[u8] = b"fail socket option apply. option name is SO_REUSEADDR.";
pub(crate) const LISTEN_LISTEN: &[u8] = b"fail to liten for connection\r\n";

pub(crate) fn listen_bind(e: Errno) -> Line {
    let mut line = Line::new();
    line.text(b"fail to bind local address(").strerror(e).text(b")\n");
    line
}

// tcpCreateClient

pub(crate) const CLIENT_CONNECT: &[u8] = b"connection fail\r\n";

pub(crate) fn client_socket(e: Errno) -> Line {
    let mut line = Line::new();
    line.text(b"Socket Command error[")
        .strerror(e)
        .text(b"-")
        .int(e.0)
        .text(b"]\n");
    line
}

/// `port` in host byte order; it is printed as the legacy helper printed
/// `sin_port`: the network-order value read as a host integer.
pub(crate) fn client_connected(fd: i32, ip: Ipv4Addr, port: u16) -> Line {
    let mut line = Line::new();
    line.text(b"Client Socket connect OK Server Socket[")
        .int(fd)
        .text(b"] IP[")
        .ipv4(ip)
        .text(b", ")
        .int(port.to_be().into())
        .text(b"] \n");
    line
}

pub(crate) fn client_fcntl(e: Errno) -> Line {
    let mut line = Line::new();
    line.text(b"(HOST) : Error fcntl() ")
        .int(e.0)
        .text(b" - ")
        .strerror(e)
        .text(b"\n");
    line
}
