//! A TCP proxy a test can cut: its connections drop and new ones are refused until it is
//! joined again. For a server whose own link to a service breaks while the service, and the
//! links of everything else, stay up.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::{AbortHandle, JoinHandle};

#[derive(Default)]
struct Links {
    cut: AtomicBool,
    open: Mutex<Vec<AbortHandle>>,
}

/// Forwards each connection made to [`Proxy::addr`] to `upstream`.
pub struct Proxy {
    addr: SocketAddr,
    links: Arc<Links>,
    accept: JoinHandle<()>,
}

impl Proxy {
    pub async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a local port for the proxy");
        let addr = listener.local_addr().expect("the proxy's address");
        let links = Arc::new(Links::default());
        let shared = links.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if shared.cut.load(Ordering::SeqCst) {
                    continue; // dropped at once: the link is down
                }
                let link = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                let mut open = shared.open.lock().expect("proxy lock");
                open.retain(|l| !l.is_finished());
                open.push(link.abort_handle());
            }
        });
        Proxy {
            addr,
            links,
            accept,
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Drops every connection through the proxy and refuses new ones until [`Proxy::join`].
    pub fn cut(&self) {
        self.links.cut.store(true, Ordering::SeqCst);
        for link in self.links.open.lock().expect("proxy lock").drain(..) {
            link.abort();
        }
    }

    /// Lets connections through again.
    pub fn join(&self) {
        self.links.cut.store(false, Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.cut();
    }
}
