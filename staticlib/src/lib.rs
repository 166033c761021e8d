//! `libsockctl.a`: the C ABI of the `sockctl` crate (`listenSocket`,
//! `tcpCreateClient`, `tcpCloseSocket`) as a static library for C
//! programs, with the panic handler a `no_std` static library must name.
//! The Makefile links `libsockctl.so` from it.

#![no_std]

// The C functions are defined (and exported) by the rlib; naming it links it.
use sockctl_abi as _;

#[cfg(not(panic = "abort"))]
compile_error!("libsockctl.a is built with panic = \"abort\" (see Cargo.toml): a panic must never unwind into C");

/// A panic aborts the process: it must never unwind into C. (Nothing in
/// the C ABI panics on any input; a `no_std` static library must still
/// name a handler.)
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    // SAFETY: abort() takes no arguments and does not return.
    unsafe { libc::abort() }
}
