//! A tokio server on sockctl_core::listen's listener, on a current-thread
//! runtime, serves two clients connected by sockctl_core::connect at once:
//! each sends "hello World" and gets "Im server\n" back, then leaves.

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::time::Duration;

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

/// A client: connects (a blocking call, so on tokio's blocking pool), hands
/// the stream to tokio, sends one message and returns the reply.
async fn client(addr: SocketAddrV4) -> std::io::Result<Vec<u8>> {
    let stream =
        tokio::task::spawn_blocking(move || sockctl_core::connect(addr, Some(Duration::from_secs(5)))).await??;
    stream.set_nonblocking(true)?;
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
        let listener = sockctl_core::listen(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)).unwrap();
        let SocketAddr::V4(addr) = listener.local_addr().unwrap() else {
            panic!("an IPv4 listener")
        };
        listener.set_nonblocking(true).unwrap();
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
