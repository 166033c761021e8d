//! The gateway client's socket reads and writes, moved from C
//! (`client/RecvSend.c`) to Rust with the prototypes of `client/RecvSend.h`,
//! which stays: `client/HostProc.c` calls them as before. `no_std`, with a
//! panic handler that aborts; it prints through the C library's `printf`,
//! so its line lands in the same stdout buffer as the C code's.

#![no_std]
// The C prototypes' parameter names.
#![allow(non_snake_case)]

use core::ffi::{c_char, c_int, CStr};

use sockctl_core::raw::Errno;

// sockctl's C functions, exported from this crate's archive too.
#[cfg(feature = "sockctl")]
use sockctl as _;

/// hostSend's line on failure, as RecvSend.c printed it.
const SEND_ERROR: &CStr = c"[ERR] send function return error on hostSend function. error is %s(%d)\r\n";

/// Waits up to 1 ms for data, then reads up to `len` bytes: > 0 bytes
/// read, 0 the server left, -1 nothing yet (errno EAGAIN) or an error.
///
/// # Safety
/// `buff` points to `len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn hostRecv(socketFd: c_int, buff: *mut c_char, len: libc::size_t) -> libc::ssize_t {
    let mut pfd = libc::pollfd {
        fd: socketFd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: pfd is a live local and the count is 1.
    if unsafe { libc::poll(&mut pfd, 1, 1) } <= 0 {
        Errno::from_raw(libc::EAGAIN).set();
        return -1;
    }
    // SAFETY: the caller gives len writable bytes at buff.
    unsafe { libc::recv(socketFd, buff.cast(), len, 0) }
}

/// Sends the NUL-terminated `msg` (without SIGPIPE); prints the legacy
/// `[ERR]` line with the C library's strerror text and errno on failure.
///
/// # Safety
/// `msg` points to a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn hostSend(socketFd: c_int, msg: *const c_char) -> libc::ssize_t {
    // SAFETY: msg is NUL-terminated (the caller's promise).
    let n = unsafe { libc::send(socketFd, msg.cast(), libc::strlen(msg), libc::MSG_NOSIGNAL) };
    if n < 0 {
        let err = Errno::last().raw();
        // SAFETY: the format takes a string and an int, and strerror
        // returns a valid string.
        unsafe { libc::printf(SEND_ERROR.as_ptr(), libc::strerror(err), err) };
    }
    n
}

/// A panic aborts the process: it must never unwind into C. (Nothing here
/// panics; a `no_std` static library must still name a handler.)
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    // SAFETY: abort() takes no arguments and does not return.
    unsafe { libc::abort() }
}
