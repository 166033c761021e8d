//! Tells the crates that depend on sockctl-core whether it was built with
//! the `std` feature (`DEP_SOCKCTL_CORE_STD` in their build scripts): the
//! C-ABI crate defines its own panic handler only when std is not linked.
//! Cargo unifies features across the packages of one build, so a
//! `cargo build` of the whole workspace gives this crate `std` even where
//! the C ABI asked for none.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let std = std::env::var_os("CARGO_FEATURE_STD").is_some();
    println!("cargo:std={}", u8::from(std));
}
