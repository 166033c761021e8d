//! The C ABI under prefixed names, for builds with `SOCKCTL_SYMBOL_PREFIX`
//! set (for example `rs_`, giving `rs_listenSocket`), so that sockctl and a
//! program's own C helpers can live in one binary during a migration. The
//! plain names are then not defined. `make prefixed` builds this variant
//! with a header whose three names carry the prefix.
//!
//! cbindgen does not read this file: the prototypes are those of `capi.rs`.

#![allow(non_snake_case)]

use std::ffi::c_int;

/// `listenSocket` under the prefixed name.
///
/// # Safety
/// As `listenSocket`: `servAddr` is NULL or writable for a `sockaddr_in`.
#[cfg(feature = "server")]
#[export_name = concat!(env!("SOCKCTL_SYMBOL_PREFIX"), "listenSocket")]
pub unsafe extern "C" fn prefixed_listenSocket(portNum: c_int, servAddr: *mut libc::sockaddr_in) -> c_int {
    // SAFETY: the caller's contract is listen_socket's.
    unsafe { crate::capi::listen_socket(portNum, servAddr) }
}

/// `tcpCreateClient` under the prefixed name.
#[cfg(feature = "client")]
#[export_name = concat!(env!("SOCKCTL_SYMBOL_PREFIX"), "tcpCreateClient")]
pub extern "C" fn prefixed_tcpCreateClient(ip: c_int, port: libc::c_ushort) -> c_int {
    crate::capi::tcp_create_client(ip, port)
}

/// `tcpCloseSocket` under the prefixed name.
///
/// # Safety
/// As `tcpCloseSocket`: `socketFd` is NULL or points to a writable `int`.
#[cfg(feature = "client")]
#[export_name = concat!(env!("SOCKCTL_SYMBOL_PREFIX"), "tcpCloseSocket")]
pub unsafe extern "C" fn prefixed_tcpCloseSocket(socketFd: *mut c_int) {
    // SAFETY: the caller's contract is tcp_close_socket's.
    unsafe { crate::capi::tcp_close_socket(socketFd) }
}
