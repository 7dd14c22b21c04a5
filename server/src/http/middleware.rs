//! Middleware: the frame of every request (the same-origin check for cookie sessions, the
//! client address that audit lines carry, the reader's language and failed pages rendered as
//! HTML, the security headers, and closing connections while draining), and metrics with the
//! log line for 500s.
//!
//! Both are tower services written out by hand, each with a named future: a request passes
//! through them without a boxed future or a boxed `Next`, and carries no more of the state than
//! it needs. (As `from_fn` layers, with the frame's concerns as five layers, they were a
//! quarter of a studio page's time, measured with `lianmeng-bench http`.) The frame's concerns
//! are still plain functions.

use std::any::Any;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Instant;

use axum::Router;
use axum::extract::{ConnectInfo, MatchedPath, Request};
use axum::http::{HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use axum::routing::future::RouteFuture;
use pin_project_lite::pin_project;
use tokio::task::futures::TaskLocalFuture;
use tower::{Layer, Service};

use crate::auth::session;
use crate::error::{AppError, InternalCause};
use crate::http::drain::Draining;
use crate::metrics::Metrics;
use crate::pages::PageFrame;
use crate::state::AppState;

/// Strict CSP for our pages: our own scripts, styles and images only.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
    frame-ancestors 'none'; form-action 'self'";
/// Swagger UI (vendored) sets inline styles; it gets them, and still only our own scripts.
const CSP_DOCS: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
    frame-ancestors 'none'";

/// Around every request, once around the routed application: refuses a cross-site state
/// change, gives pages the reader's language, runs the request with its client's address for
/// the audit lines, renders a failed page as HTML, then sets the security headers and, while
/// draining, asks the client to close the connection.
#[derive(Clone)]
pub struct Frame {
    routes: Router,
    state: AppState,
}

impl Service<Request> for Frame {
    type Response = Response;
    type Error = Infallible;
    type Future = FrameFuture;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // A router is always ready.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request) -> FrameFuture {
        let docs = req.uri().path().starts_with("/api/docs");
        match catch_unwind(AssertUnwindSafe(|| self.enter(req, docs))) {
            Ok(entered) => entered,
            Err(panic) => self.answered(panicked(panic.as_ref()), docs),
        }
    }
}

impl Frame {
    pub fn new(routes: Router, state: AppState) -> Frame {
        Frame { routes, state }
    }

    /// The request on its way to its route, or refused.
    fn enter(&mut self, mut req: Request, docs: bool) -> FrameFuture {
        if let Some(refused) = refuse_cross_site(&self.state, &req) {
            return self.answered(refused, docs);
        }
        let address = client_address(&req);
        let page = PageFrame::enter(&mut req);
        FrameFuture {
            routed: Some(crate::store::audit::scope_address(
                address,
                self.routes.call(req),
            )),
            refused: None,
            page: Some(page),
            docs,
            draining: self.state.draining.clone(),
        }
    }

    /// An answer given without routing the request.
    fn answered(&self, res: Response, docs: bool) -> FrameFuture {
        FrameFuture {
            routed: None,
            refused: Some(res),
            page: None,
            docs,
            draining: self.state.draining.clone(),
        }
    }
}

/// A routed request, run with its client's address.
type Routed = TaskLocalFuture<String, RouteFuture<Infallible>>;

pin_project! {
    /// A request inside the frame: routed with its client's address, or refused.
    pub struct FrameFuture {
        #[pin]
        routed: Option<Routed>,
        refused: Option<Response>,
        page: Option<PageFrame>,
        docs: bool,
        draining: Draining,
    }
}

impl Future for FrameFuture {
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let mut res = match (this.refused.take(), this.routed.as_mut().as_pin_mut()) {
            (Some(refused), _) => refused,
            (None, Some(routed)) => {
                let page = this.page;
                let polled = catch_unwind(AssertUnwindSafe(|| {
                    routed.poll(cx).map(|Ok(res)| match page.take() {
                        Some(page) => page.leave(res),
                        None => res,
                    })
                }));
                match polled {
                    Ok(Poll::Pending) => return Poll::Pending,
                    Ok(Poll::Ready(res)) => res,
                    // The request is lost, not the connection or the server: a 500 like any
                    // other, with the frame's headers.
                    Err(panic) => panicked(panic.as_ref()),
                }
            }
            (None, None) => panic!("FrameFuture polled after completion"),
        };
        this.routed.set(None);
        // Every answer, a refusal and a panic's too.
        security_headers(&mut res, *this.docs);
        crate::http::drain::close_if_draining(this.draining, &mut res);
        Poll::Ready(Ok(res))
    }
}

/// The answer to a request whose handler panicked; the panic's message is logged, never sent.
fn panicked(panic: &(dyn Any + Send)) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(not text)");
    tracing::error!(%message, "a handler panicked");
    AppError::Internal(anyhow::anyhow!("a handler panicked: {message}")).into_response()
}

/// Our own resources only (a looser style rule for the API documentation), no sniffing, no
/// framing, no referrer beyond the site.
fn security_headers(res: &mut Response, docs: bool) {
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(if docs { CSP_DOCS } else { CSP }),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
}

/// A state-changing request that rides on the session cookie must come from our own pages:
/// its `Origin` (or, failing that, `Sec-Fetch-Site`) must be this site. So must a browser's
/// sign-in and sign-up, which have no session yet (a foreign page must not sign a browser into
/// someone else's account). A request that carries a bearer token is authenticated by it alone
/// (the cookie is then ignored) and is no CSRF vector; any other `Authorization` header lifts
/// nothing.
fn refuse_cross_site(state: &AppState, req: &Request) -> Option<Response> {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let h = req.headers();
    let has_cookie = session::cookie_token(h).is_some();
    let has_bearer = h
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer ") && !v["Bearer ".len()..].trim().is_empty());
    let signs_in = matches!(
        req.uri().path(),
        "/login" | "/register" | "/api/v1/auth/login" | "/api/v1/auth/register"
    );
    if unsafe_method && (has_cookie || signs_in) && !has_bearer && !origin_ok(state, h) {
        return Some(
            AppError::client(
                axum::http::StatusCode::FORBIDDEN,
                "cross_origin",
                Some("跨站请求被拒绝 / cross-site request refused".to_owned()),
            )
            .into_response(),
        );
    }
    None
}

pub(crate) fn origin_ok(state: &AppState, h: &axum::http::HeaderMap) -> bool {
    if let Some(origin) = h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        return match &state.config.site_origin {
            Some(site) => origin == site,
            None => {
                let host = h
                    .get(header::HOST)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                origin
                    .split_once("://")
                    .is_some_and(|(_, rest)| rest == host)
            }
        };
    }
    match h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some(site) => site == "same-origin" || site == "none",
        // Neither header: not a browser, so not a CSRF vector.
        None => true,
    }
}

/// Counts each request by its route template and logs the cause of any 500: a layer of the
/// routes, as only they know the matched route.
#[derive(Clone)]
pub struct ObserveLayer {
    metrics: Arc<Metrics>,
}

impl ObserveLayer {
    pub fn new(metrics: Arc<Metrics>) -> ObserveLayer {
        ObserveLayer { metrics }
    }
}

impl<S> Layer<S> for ObserveLayer {
    type Service = Observe<S>;

    fn layer(&self, inner: S) -> Observe<S> {
        Observe {
            inner,
            metrics: self.metrics.clone(),
        }
    }
}

/// One route, observed (see [`ObserveLayer`]).
#[derive(Clone)]
pub struct Observe<S> {
    inner: S,
    metrics: Arc<Metrics>,
}

impl<S> Service<Request> for Observe<S>
where
    S: Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = ObserveFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> ObserveFuture<S::Future> {
        let method = req.method().clone();
        let route = req.extensions().get::<MatchedPath>().cloned();
        ObserveFuture {
            inner: self.inner.call(req),
            start: Instant::now(),
            method,
            route,
            metrics: self.metrics.clone(),
        }
    }
}

pin_project! {
    /// A request on its route, timed.
    pub struct ObserveFuture<F> {
        #[pin]
        inner: F,
        start: Instant,
        method: Method,
        route: Option<MatchedPath>,
        metrics: Arc<Metrics>,
    }
}

impl<F, E> Future for ObserveFuture<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let res = ready!(this.inner.poll(cx))?;
        let route = this.route.as_ref().map_or("unmatched", |r| r.as_str());
        let status = res.status().as_u16();
        this.metrics
            .observe(this.method, route, status, this.start.elapsed());
        if let Some(InternalCause(cause)) = res.extensions().get::<InternalCause>() {
            tracing::error!(method = %this.method, %route, %cause, "request failed");
        }
        Poll::Ready(Ok(res))
    }
}

/// Every audit line a request writes carries the client's address (the TCP peer).
fn client_address(req: &Request) -> String {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::routing::get;

    use super::*;
    use crate::config::Config;

    async fn boom() -> &'static str {
        panic!("主轴过热")
    }

    #[tokio::test]
    async fn a_panicking_handler_is_a_500_problem_with_the_frame_headers() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::for_data_dir(dir.path().to_path_buf(), None);
        config.sweep_every = None;
        let state = AppState::connect(config).await.unwrap();
        let routes = Router::new()
            .route("/boom", get(boom))
            .route("/fine", get(|| async { "好" }));
        let mut frame = Frame::new(routes, state);
        let get = |path: &str| Request::get(path).body(Body::empty()).unwrap();

        let res = frame.call(get("/boom")).await.unwrap();
        assert_eq!(res.status(), axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(res.headers()[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(res.headers()[header::CONTENT_SECURITY_POLICY], CSP);
        let body = axum::body::to_bytes(res.into_body(), 1 << 16)
            .await
            .unwrap();
        let body = String::from_utf8(body.to_vec()).unwrap();
        assert!(body.contains("\"status\":500"), "{body}");
        assert!(
            !body.contains("主轴过热"),
            "the panic's message stays in the log: {body}"
        );

        // The frame serves the next request as before.
        let res = frame.call(get("/fine")).await.unwrap();
        assert_eq!(res.status(), axum::http::StatusCode::OK);
        assert_eq!(res.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
}
