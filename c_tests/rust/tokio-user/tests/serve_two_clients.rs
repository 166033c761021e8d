//! A tokio server on a sockctl_core listener (IPv6 loopback), on a
//! current-thread runtime, serves two clients connected by sockctl_core at
//! once: each sends "hello World" and gets "Im server\n" back, then leaves.
//! The sockets are non-blocking from sockctl_core's options, as tokio's
//! `from_std` needs them.

use std::net::SocketAddr;
use std::time::Duration;

use sockctl_core::{ConnectOptions, ListenOptions};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The legacy server's loop: a reply per chunk received, until the client
/// leaves. Returns the number of chunks.
async fn serve(mut stream: tokio::net::TcpStream) -> std::io::Result<usize> {
    let mut buf = [0u8; 1024];
    let mut chunks = 0;
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(chunks);
        }
        chunks += 1;
        stream.write_all(b"Im server\n").await?;
    }
}

/// A client: connects (the connect waits, so on tokio's blocking pool),
/// hands the stream to tokio, sends one message and returns the reply.
async fn client(addr: SocketAddr) -> std::io::Result<Vec<u8>> {
    let options = ConnectOptions::new()
        .nonblocking(true)
        .timeout(Some(Duration::from_secs(5)));
    let stream = tokio::task::spawn_blocking(move || options.connect(addr)).await??;
    let mut stream = tokio::net::TcpStream::from_std(stream)?;
    stream.write_all(b"hello World").await?;
    let mut reply = vec![0u8; 10];
    stream.read_exact(&mut reply).await?;
    stream.shutdown().await?; // the client leaves
    Ok(reply)
}

#[test]
fn a_current_thread_runtime_serves_two_clients() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let chunks = runtime.block_on(async {
        let listener = ListenOptions::new().nonblocking(true).listen("[::1]:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();

        let server = tokio::spawn(async move {
            let mut served = Vec::new();
            for _ in 0..2 {
                let (stream, _) = listener.accept().await?;
                served.push(tokio::spawn(serve(stream)));
            }
            let mut chunks = Vec::new();
            for s in served {
                chunks.push(s.await??);
            }
            Ok::<_, std::io::Error>(chunks)
        });
        let clients = [tokio::spawn(client(addr)), tokio::spawn(client(addr))];
        let everything = async {
            for c in clients {
                assert_eq!(c.await.unwrap().unwrap(), b"Im server\n");
            }
            server.await.unwrap().unwrap()
        };
        tokio::time::timeout(Duration::from_secs(20), everything)
            .await
            .expect("the exchange took over 20 s")
    });
    assert_eq!(chunks, [1, 1]);
}
