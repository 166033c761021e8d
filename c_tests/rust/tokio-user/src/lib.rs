//! (The test is tests/serve_two_clients.rs.)
