//! The syscall layer: one thin, safe function per system call, one module
//! per OS family. This is the only module (with the pointer checks of the C
//! shim) that contains `unsafe`.
//!
//! Every function reports failure as an [`Errno`] captured right after the
//! failing call, before anything else can overwrite `errno`.

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub(crate) use unix::*;

#[cfg(not(unix))]
compile_error!("sockctl replaces POSIX socket helpers and builds on Unix only");

/// An `errno` value, captured at the failing call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Errno(pub(crate) i32);

impl From<Errno> for std::io::Error {
    fn from(e: Errno) -> Self {
        std::io::Error::from_raw_os_error(e.0)
    }
}
