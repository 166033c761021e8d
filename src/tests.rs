//! Unit tests of the shim's own logic. The C ABI as C programs see it
//! (messages, errno, descriptors) is tested from C, in c_tests/.

use core::net::{Ipv4Addr, SocketAddrV4};

#[test]
fn sockaddr_in_is_the_legacy_fill() {
    let sin = crate::capi::sockaddr_in(SocketAddrV4::new(Ipv4Addr::new(127, 0, 0, 1), 18890));
    assert_eq!(sin.sin_family, libc::AF_INET as libc::sa_family_t);
    assert_eq!(sin.sin_port, 18890u16.to_be());
    assert_eq!(sin.sin_addr.s_addr.to_ne_bytes(), [127, 0, 0, 1]);
    assert_eq!(sin.sin_zero, [0; 8]);
}
