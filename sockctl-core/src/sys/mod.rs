//! The syscall layer: one thin, safe function per system call.
//!
//! Every function reports failure as an [`Errno`](crate::raw::Errno)
//! captured right after the failing call, before anything else can
//! overwrite `errno`.
//!
//! What differs between Unix systems (where `errno` lives, whether
//! `socket()` takes `SOCK_CLOEXEC`, the `sigaction` layout) is in one
//! place, [`os`]; [`unix`] makes the same calls on every Unix system and
//! asks `os` for the rest. A new OS family is a new arm in `os` (and a new
//! sibling of `unix` only if it is not Unix).
//!
//! `unsafe` in sockctl-core: every FFI call is here, each block with its
//! `// SAFETY:`. Outside `sys/`, the step layer (`raw`) has the few blocks
//! that turn an owned descriptor into std's `OwnedFd`/`BorrowedFd` or
//! release one (`Fd::close`), and `raw::close`, the one `unsafe fn`.

#[cfg(unix)]
mod os;
#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub(crate) use unix::*;

#[cfg(not(unix))]
compile_error!("sockctl replaces POSIX socket helpers and builds on Unix only");
