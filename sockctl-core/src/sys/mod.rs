//! The syscall layer: one thin, safe function per system call, one module
//! per OS family. With the C shim's pointer accesses and message printing,
//! this is the only place that contains `unsafe`.
//!
//! Every function reports failure as an [`Errno`] captured right after the
//! failing call, before anything else can overwrite `errno`.

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub(crate) use unix::*;

#[cfg(not(unix))]
compile_error!("sockctl replaces POSIX socket helpers and builds on Unix only");
