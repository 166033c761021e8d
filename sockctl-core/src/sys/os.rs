//! Everything in sockctl-core that differs between Unix systems, in one
//! place. The rest of `sys` is the same source on every Unix system.
//!
//! Each item is one fact about the C library or kernel of a target. A
//! target that none of the `cfg`s below knows fails to compile here with a
//! message that names this file, rather than somewhere deep in `unix.rs`.

use core::ffi::c_int;

/// Where the C library keeps the calling thread's `errno` (each C library
/// names the function differently; the libc crate declares each).
pub(super) fn errno_location() -> *mut c_int {
    // SAFETY: these functions take no arguments and return the address of
    // the calling thread's errno, valid for the life of the thread.
    unsafe {
        #[cfg(any(
            target_os = "linux",
            target_os = "emscripten",
            target_os = "hurd",
            target_os = "redox",
            target_os = "dragonfly",
        ))]
        return libc::__errno_location();
        #[cfg(any(target_os = "android", target_os = "netbsd", target_os = "openbsd"))]
        return libc::__errno();
        #[cfg(any(target_vendor = "apple", target_os = "freebsd"))]
        return libc::__error();
        #[cfg(any(target_os = "illumos", target_os = "solaris"))]
        return libc::___errno();
    }
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "emscripten",
    target_os = "hurd",
    target_os = "redox",
    target_os = "dragonfly",
    target_os = "android",
    target_os = "netbsd",
    target_os = "openbsd",
    target_vendor = "apple",
    target_os = "freebsd",
    target_os = "illumos",
    target_os = "solaris",
)))]
compile_error!("sockctl-core: this Unix system's errno location is not known: add it to sockctl-core/src/sys/os.rs");

/// Whether `socket()` takes `SOCK_CLOEXEC` and `SOCK_NONBLOCK` in its type
/// argument, setting the flags atomically with the descriptor's creation.
/// Apple's systems do not: there `unix::socket_stream` sets them with
/// `fcntl` right after `socket()` (a descriptor created meanwhile by
/// another thread's `fork` + `exec` can leak; std has the same window
/// there).
pub(super) const ATOMIC_SOCKET_FLAGS: bool = cfg!(not(target_vendor = "apple"));

/// `SOCK_CLOEXEC | SOCK_NONBLOCK` as asked, for `socket()`'s type argument,
/// where [`ATOMIC_SOCKET_FLAGS`]; 0 elsewhere.
pub(super) fn socket_type_flags(cloexec: bool, nonblocking: bool) -> c_int {
    #[cfg(not(target_vendor = "apple"))]
    return if cloexec { libc::SOCK_CLOEXEC } else { 0 } | if nonblocking { libc::SOCK_NONBLOCK } else { 0 };
    #[cfg(target_vendor = "apple")]
    {
        let _ = (cloexec, nonblocking);
        0
    }
}

/// Fills the fields of `sigaction` that only some systems have, for an
/// action written field by field (`unix::ignore_sigpipe`).
///
/// # Safety
/// `p` points to a live, writable `sigaction`.
pub(super) unsafe fn init_os_sigaction_fields(p: *mut libc::sigaction) {
    // Linux's has sa_restorer, which the C library replaces.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    // SAFETY: p points to a live, writable sigaction (this function's contract).
    unsafe {
        core::ptr::addr_of_mut!((*p).sa_restorer).write(None)
    };
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let _ = p;
}
