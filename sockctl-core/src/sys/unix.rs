//! Unix system calls used by sockctl, each wrapped once.
//!
//! Descriptors come in as `&Fd` and go out as [`Fd`], so a descriptor can
//! neither be used after it is closed nor leak on an early return: dropping
//! an `Fd` closes it.

use core::ffi::c_int;
use core::mem::{size_of, MaybeUninit};
#[cfg(feature = "std")]
use core::net::SocketAddr;
use core::net::{Ipv4Addr, SocketAddrV4};

use super::os::{self, errno_location};
use crate::raw::{Errno, Fd};

/// The calling thread's current `errno`.
pub(crate) fn errno() -> Errno {
    // SAFETY: errno_location() points at this thread's errno.
    Errno::from_raw(unsafe { *errno_location() })
}

/// Sets the calling thread's `errno`, as a C function does on failure.
pub(crate) fn set_errno(e: Errno) {
    // SAFETY: errno_location() points at this thread's errno.
    unsafe { *errno_location() = e.raw() }
}

/// Maps a C-style `-1`-on-error return value to a `Result`.
fn check(ret: c_int) -> Result<c_int, Errno> {
    if ret == -1 {
        Err(errno())
    } else {
        Ok(ret)
    }
}

/// `socket(AF_INET, SOCK_STREAM, protocol)`, blocking, with `FD_CLOEXEC`
/// only when `cloexec` (the legacy helpers' descriptors are inherited
/// across `exec`).
#[inline(always)]
pub(crate) fn socket_v4_stream(protocol: c_int, cloexec: bool) -> Result<Fd, Errno> {
    socket_stream(libc::AF_INET, protocol, cloexec, false)
}

/// `socket(domain, SOCK_STREAM, protocol)`, with `FD_CLOEXEC` when
/// `cloexec` and `O_NONBLOCK` when `nonblocking`: set atomically by
/// `SOCK_CLOEXEC`/`SOCK_NONBLOCK` where `socket()` takes them, else by
/// `fcntl` right after it ([`os::ATOMIC_SOCKET_FLAGS`]).
#[inline(always)]
pub(crate) fn socket_stream(domain: c_int, protocol: c_int, cloexec: bool, nonblocking: bool) -> Result<Fd, Errno> {
    let kind = libc::SOCK_STREAM | os::socket_type_flags(cloexec, nonblocking);
    // SAFETY: socket() takes no pointers.
    let fd = check(unsafe { libc::socket(domain, kind, protocol) })?;
    // socket() succeeded, so fd is a new descriptor that nothing else owns.
    let fd = Fd::owning(fd);
    if !os::ATOMIC_SOCKET_FLAGS {
        if cloexec {
            // SAFETY: F_SETFD takes an int argument, no pointers.
            check(unsafe { libc::fcntl(fd.as_raw(), libc::F_SETFD, libc::FD_CLOEXEC) })?;
        }
        if nonblocking {
            set_nonblocking_flag(&fd, true)?;
        }
    }
    Ok(fd)
}

/// The address family of `addr`, for `socket()`.
#[cfg(feature = "std")]
pub(crate) fn domain_of(addr: &SocketAddr) -> c_int {
    match addr {
        SocketAddr::V4(_) => libc::AF_INET,
        SocketAddr::V6(_) => libc::AF_INET6,
    }
}

/// `setsockopt` with an `int` value.
pub(crate) fn set_int_opt(fd: &Fd, level: c_int, name: c_int, value: c_int) -> Result<(), Errno> {
    // SAFETY: the option value points at a live c_int and the length is its size.
    check(unsafe {
        libc::setsockopt(
            fd.as_raw(),
            level,
            name,
            (&value as *const c_int).cast(),
            size_of::<c_int>() as libc::socklen_t,
        )
    })
    .map(drop)
}

/// `getsockopt` of an `int` value.
#[cfg(any(feature = "std", test))]
pub(crate) fn int_opt(fd: &Fd, level: c_int, name: c_int) -> Result<c_int, Errno> {
    let mut value: c_int = 0;
    let mut len = size_of::<c_int>() as libc::socklen_t;
    // SAFETY: value and len are live locals; len holds value's size.
    check(unsafe { libc::getsockopt(fd.as_raw(), level, name, (&mut value as *mut c_int).cast(), &mut len) })?;
    Ok(value)
}

/// The C representation of an IPv4 socket address; `sin_zero` is zeroed, so
/// every byte is defined (as after the legacy `memset`).
fn sockaddr_in(addr: SocketAddrV4) -> libc::sockaddr_in {
    // SAFETY: sockaddr_in is plain old data, for which all-zero bytes are valid.
    let mut sin: libc::sockaddr_in = unsafe { MaybeUninit::zeroed().assume_init() };
    sin.sin_family = libc::AF_INET as libc::sa_family_t;
    sin.sin_port = addr.port().to_be();
    sin.sin_addr.s_addr = u32::from(*addr.ip()).to_be();
    sin
}

/// Calls `f` with a pointer to the C form of `addr` and its length, and
/// maps its C-style return value.
fn with_sockaddr(
    addr: SocketAddrV4,
    f: impl FnOnce(*const libc::sockaddr, libc::socklen_t) -> c_int,
) -> Result<(), Errno> {
    let sin = sockaddr_in(addr);
    check(f(
        (&sin as *const libc::sockaddr_in).cast(),
        size_of::<libc::sockaddr_in>() as libc::socklen_t,
    ))
    .map(drop)
}

/// The C representation of an IPv6 socket address, every byte defined. (The
/// BSDs' `sin6_len` stays 0: their kernels set it from the length argument.)
#[cfg(feature = "std")]
fn sockaddr_in6(addr: &core::net::SocketAddrV6) -> libc::sockaddr_in6 {
    // SAFETY: sockaddr_in6 is plain old data, for which all-zero bytes are valid.
    let mut sin6: libc::sockaddr_in6 = unsafe { MaybeUninit::zeroed().assume_init() };
    sin6.sin6_family = libc::AF_INET6 as libc::sa_family_t;
    sin6.sin6_port = addr.port().to_be();
    sin6.sin6_flowinfo = addr.flowinfo();
    sin6.sin6_addr.s6_addr = addr.ip().octets();
    sin6.sin6_scope_id = addr.scope_id();
    sin6
}

/// [`with_sockaddr`] for an address of either family.
#[cfg(feature = "std")]
fn with_any_sockaddr(
    addr: &SocketAddr,
    f: impl FnOnce(*const libc::sockaddr, libc::socklen_t) -> c_int,
) -> Result<(), Errno> {
    match addr {
        SocketAddr::V4(a) => with_sockaddr(*a, f),
        SocketAddr::V6(a) => {
            let sin6 = sockaddr_in6(a);
            check(f(
                (&sin6 as *const libc::sockaddr_in6).cast(),
                size_of::<libc::sockaddr_in6>() as libc::socklen_t,
            ))
            .map(drop)
        }
    }
}

/// `bind` to an IPv4 address.
pub(crate) fn bind_v4(fd: &Fd, addr: SocketAddrV4) -> Result<(), Errno> {
    // SAFETY: sa and len describe a live sockaddr_in (with_sockaddr).
    with_sockaddr(addr, |sa, len| unsafe { libc::bind(fd.as_raw(), sa, len) })
}

/// `bind` to an address of either family.
#[cfg(feature = "std")]
pub(crate) fn bind(fd: &Fd, addr: &SocketAddr) -> Result<(), Errno> {
    // SAFETY: sa and len describe a live sockaddr_in or sockaddr_in6.
    with_any_sockaddr(addr, |sa, len| unsafe { libc::bind(fd.as_raw(), sa, len) })
}

/// `listen` with the given backlog.
pub(crate) fn listen(fd: &Fd, backlog: c_int) -> Result<(), Errno> {
    // SAFETY: listen() takes no pointers.
    check(unsafe { libc::listen(fd.as_raw(), backlog) }).map(drop)
}

/// `getsockname` of an IPv4 socket.
pub(crate) fn local_addr_v4(fd: &Fd) -> Result<SocketAddrV4, Errno> {
    let mut sin = sockaddr_in(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0));
    let mut len = size_of::<libc::sockaddr_in>() as libc::socklen_t;
    // SAFETY: sin and len are live locals; len holds sin's size, and the
    // kernel writes at most that many bytes.
    check(unsafe { libc::getsockname(fd.as_raw(), (&mut sin as *mut libc::sockaddr_in).cast(), &mut len) })?;
    Ok(SocketAddrV4::new(
        Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr)),
        u16::from_be(sin.sin_port),
    ))
}

/// One `connect` call to an IPv4 address (`EINTR` included: never retried).
pub(crate) fn connect_v4(fd: &Fd, addr: SocketAddrV4) -> Result<(), Errno> {
    // SAFETY: sa and len describe a live sockaddr_in (with_sockaddr).
    with_sockaddr(addr, |sa, len| unsafe { libc::connect(fd.as_raw(), sa, len) })
}

/// One `connect` call to an address of either family (`EINTR` included).
#[cfg(feature = "std")]
pub(crate) fn connect(fd: &Fd, addr: &SocketAddr) -> Result<(), Errno> {
    // SAFETY: sa and len describe a live sockaddr_in or sockaddr_in6.
    with_any_sockaddr(addr, |sa, len| unsafe { libc::connect(fd.as_raw(), sa, len) })
}

/// One `poll` for writability, at most `timeout_ms` milliseconds (-1: no
/// limit). `Ok(true)`: the socket is writable or has an error or hang-up
/// pending; `Ok(false)`: the time ran out. `EINTR` is returned.
#[cfg(feature = "std")]
pub(crate) fn poll_writable(fd: &Fd, timeout_ms: c_int) -> Result<bool, Errno> {
    let mut pfd = libc::pollfd {
        fd: fd.as_raw(),
        events: libc::POLLOUT,
        revents: 0,
    };
    // SAFETY: pfd is one live pollfd and the count is 1.
    check(unsafe { libc::poll(&mut pfd, 1, timeout_ms) }).map(|n| n > 0)
}

/// The outcome of a finished non-blocking or interrupted `connect`:
/// `getsockopt(SO_ERROR)`, its pending error as the `Err`.
#[cfg(feature = "std")]
pub(crate) fn take_socket_error(fd: &Fd) -> Result<(), Errno> {
    match int_opt(fd, libc::SOL_SOCKET, libc::SO_ERROR)? {
        0 => Ok(()),
        pending => Err(Errno::from_raw(pending)),
    }
}

/// Sets or clears `O_NONBLOCK`, keeping the other file status flags
/// (`fcntl` `F_GETFL`, then `F_SETFL` if they change).
pub(crate) fn set_nonblocking_flag(fd: &Fd, on: bool) -> Result<(), Errno> {
    // SAFETY: F_GETFL takes no argument.
    let flags = check(unsafe { libc::fcntl(fd.as_raw(), libc::F_GETFL) })?;
    let new = if on {
        flags | libc::O_NONBLOCK
    } else {
        flags & !libc::O_NONBLOCK
    };
    if new != flags {
        // SAFETY: F_SETFL takes an int argument, no pointers.
        check(unsafe { libc::fcntl(fd.as_raw(), libc::F_SETFL, new) })?;
    }
    Ok(())
}

/// `fcntl(fd, F_SETFL, O_NONBLOCK)`: the file status flags become exactly
/// `O_NONBLOCK`, as in the legacy helper (one call, no `F_GETFL`).
pub(crate) fn set_status_flags_nonblock(fd: &Fd) -> Result<(), Errno> {
    // SAFETY: F_SETFL takes an int argument, no pointers.
    check(unsafe { libc::fcntl(fd.as_raw(), libc::F_SETFL, libc::O_NONBLOCK) }).map(drop)
}

/// `sigaction(SIGPIPE)` to `SIG_IGN` with an empty mask and no flags, for the
/// whole process.
pub(crate) fn ignore_sigpipe() -> Result<(), Errno> {
    let mut action = MaybeUninit::<libc::sigaction>::uninit();
    let p = action.as_mut_ptr();
    // SAFETY: p points to a live, writable sigaction. Each field is written
    // through a raw field pointer (no reference to uninitialised memory) and
    // sigemptyset initialises sa_mask, so every field that sigaction() reads
    // is initialised (handler, mask, flags, and the fields only some systems
    // have: os::init_os_sigaction_fields). Like the original, the struct is not zeroed
    // first. A null old action is allowed.
    let ret = unsafe {
        core::ptr::addr_of_mut!((*p).sa_sigaction).write(libc::SIG_IGN);
        libc::sigemptyset(core::ptr::addr_of_mut!((*p).sa_mask));
        core::ptr::addr_of_mut!((*p).sa_flags).write(0);
        os::init_os_sigaction_fields(p);
        libc::sigaction(libc::SIGPIPE, p, core::ptr::null_mut())
    };
    check(ret).map(drop)
}

/// `close` of a raw descriptor. The descriptor is released even when
/// `close` reports `EINTR`, so it is never retried.
///
/// # Safety
/// The caller owns `fd` and gives it up (see `raw::close`).
pub(crate) unsafe fn close(fd: c_int) -> Result<(), Errno> {
    // SAFETY: close() takes no pointers; the caller gives up fd.
    check(unsafe { libc::close(fd) }).map(drop)
}

/// `close`, its outcome ignored (a destructor's close); `errno` may change.
///
/// # Safety
/// As [`close`].
pub(crate) unsafe fn close_quietly(fd: c_int) {
    // SAFETY: close() takes no pointers; the caller gives up fd.
    unsafe { libc::close(fd) };
}
