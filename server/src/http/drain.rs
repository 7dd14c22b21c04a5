//! Shutting down without cutting anyone off. When the signal comes the server first *drains*:
//! for a grace period it keeps accepting and answering, but every answer closes its connection
//! and `/readyz` says 503, so clients and load balancers move away; only then does it stop
//! accepting and wait for what is in flight. Without the grace, a keep-alive connection that
//! was idle at the signal would be closed under a request its client had just sent.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

/// Whether this server is draining; shared by the shutdown sequence and the middleware.
#[derive(Debug, Clone, Default)]
pub struct Draining(Arc<AtomicBool>);

impl Draining {
    pub fn start(&self) {
        self.0.store(true, Ordering::Release);
    }

    pub fn is_draining(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

/// While draining, every answer asks its client to close the connection; but a WebSocket's
/// `101` keeps its `Connection: upgrade` (the socket is told to resume elsewhere, 1012, when
/// the grace ends).
pub fn close_if_draining(draining: &Draining, res: &mut Response) {
    if draining.is_draining() && res.status() != StatusCode::SWITCHING_PROTOCOLS {
        res.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
}
