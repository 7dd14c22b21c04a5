//! The application: the router assembled in one place, served on a bound listener until a
//! shutdown signal.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request};
use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::error::AppError;
use crate::http::middleware;
use crate::state::AppState;

/// JSON and form bodies are limited to 1 MiB.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// The whole application's routes and middleware.
///
/// Only the middleware that needs the matched route (metrics) is a layer of the routes: a
/// route's layers are cloned with it for every request. The frame wraps the routed application
/// once (see `http::middleware`).
pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let routes = Router::new()
        .merge(crate::api::router())
        .merge(crate::pages::router())
        .fallback(crate::pages::not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::ObserveLayer::new(state.metrics.clone()))
        .with_state(state.clone());
    Router::new()
        .fallback_service(middleware::Frame::new(routes, state))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(CompressionLayer::new())
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                tracing::info_span!("request", method = %req.method(), uri = %req.uri().path(), request_id = %id)
            }),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

async fn method_not_allowed() -> AppError {
    AppError::client(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        None,
    )
}

/// Serves `state` on an already-bound listener until `shutdown` resolves, then drains (see
/// [`crate::http::drain`]) for the configured grace and lets in-flight requests finish. Alongside, the sweep (expiry and escalation of stale
/// work) runs every `sweep_every`; it stops when shutdown begins.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let addr = listener.local_addr()?;
    let db = state.db.clone();
    let (stop_sweep, stop_rx) = tokio::sync::watch::channel(false);
    let sweeper = state.config.sweep_every.map(|every| {
        tokio::spawn(crate::jobs::sweeper::run(
            state.db.clone(),
            crate::jobs::sweeper::thresholds(&state.config),
            every,
            stop_rx,
        ))
    });
    // The indexer stops on the same signal as the sweeper.
    let indexer = tokio::spawn(crate::jobs::indexer::run(
        state.db.clone(),
        state.search.clone(),
        stop_sweep.subscribe(),
    ));
    // Presence broadcasts; on shutdown it closes every chat socket (1012) so clients resume
    // on another node.
    let chat = tokio::spawn(crate::chat::run(state.chat.clone(), stop_sweep.subscribe()));
    let (draining, grace) = (state.draining.clone(), state.config.shutdown_grace);
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    tracing::info!("listening on http://{addr}");
    println!("listening on http://{addr}");
    // Frames and responses are gathered before each write: Nagle's algorithm would only hold a
    // chat frame back until the peer acknowledges the one before (up to its delayed ACK).
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY not set");
        }
    });
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            draining.start();
            tokio::time::sleep(grace).await;
            let _ = stop_sweep.send(true);
        })
        .await;
    // The sweeper also stops if serving failed: the dropped sender ends its wait. Wait for it
    // so the pool is not closed under a pass.
    if let Some(task) = sweeper
        && let Err(e) = task.await
    {
        tracing::error!(error = %e, "the sweeper task failed");
    }
    if let Err(e) = chat.await {
        tracing::error!(error = %e, "the chat task failed");
    }
    if let Err(e) = indexer.await {
        tracing::error!(error = %e, "the indexer task failed");
    }
    db.close().await;
    served?;
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C. The SIGTERM handler is installed when this is called (not
/// when the future is first polled), so a SIGTERM that arrives just after "listening on" is
/// printed still shuts the server down gracefully.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let term = async {
            match term.as_mut() {
                Some(s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {},
            _ = term => {},
        }
        tracing::info!("shutting down: draining in-flight requests");
    }
}

/// A running server for tests and benchmarks: bound to `addr` (port 0 for any).
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

impl Running {
    pub async fn start(state: AppState, addr: &str) -> anyhow::Result<Running> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, state.clone(), async {
            let _ = rx.await;
        }));
        Ok(Running {
            addr,
            state,
            stop: Some(tx),
            task: Some(task),
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Stops accepting, drains, and waits for the server task.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(10), task).await???;
        }
        Ok(())
    }
}
