//! The listener: accepts connections and serves HTTP/1.1 on each until the
//! server is stopped.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use crate::router;
use crate::state::Shared;

/// Accepts connections until aborted, serving each on its own task
/// (dropping the `JoinSet` when aborted closes them all).
pub(crate) async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                connections.spawn(serve_connection(stream, peer, Arc::clone(&shared)));
            }
            // Out of file descriptors and the like: back off and go on.
            Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
        }
        while connections.try_join_next().is_some() {}
    }
}

/// Serves HTTP/1.1 on one connection until the client closes it.
async fn serve_connection(stream: TcpStream, peer: SocketAddr, shared: Arc<Shared>) {
    let service = service_fn(move |request| {
        let shared = Arc::clone(&shared);
        async move { router::serve(&shared, peer, request).await }
    });
    // A connection error (client hung up mid-request) only ends this
    // connection.
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await;
}
