//! `podium serve`: the JSON API and the web page over one index (or one search cluster,
//! [`crate::engine`]), for the browsers of a newsroom or a research group.
//!
//! Every endpoint calls the same operations as the command line ([`crate::ops`]) and renders
//! their results with [`crate::render`] (JSON) or [`page`] (HTML). The server is read-only:
//! it answers `GET` (and `HEAD`) only, and it never opens a path taken from a request: a
//! transcript is looked up by its key in the index.
//!
//! Cost is bounded at every step: query length and shape ([`params`]), page size, a
//! per-request timeout, a limit on searches running at once, and tiny request bodies.

mod api;
mod chart;
mod live;
mod page;
pub mod params;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::Semaphore;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use crate::ops::Podium;
pub use live::Live;
use params::Rejection;

/// How `podium serve` runs.
#[derive(Debug, Clone)]
pub struct Options {
    pub index: PathBuf,
    /// A search cluster to serve instead of the index (`sphinxql://…`).
    pub engine: Option<String>,
    pub addr: SocketAddr,
    /// Searches running at once; more wait (up to the timeout) for a turn.
    pub concurrency: usize,
    /// The longest a request may take before it is answered 503.
    pub timeout: Duration,
}

impl Options {
    pub fn new(index: PathBuf, addr: SocketAddr) -> Options {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Options {
            index,
            engine: None,
            addr,
            concurrency: cores * 4,
            timeout: Duration::from_secs(10),
        }
    }
}

/// What every request handler shares.
pub(crate) struct State {
    pub live: Live,
    /// Turns for the blocking work of searches.
    pub turns: Arc<Semaphore>,
    pub timeout: Duration,
}

type Shared = Arc<State>;

/// The Content-Security-Policy: scripts, styles and images from this server only, nothing
/// inline, no plugins, no framing, forms submit here only.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The whole application: routes and the layers that bound and secure them.
pub fn router(live: Live, options: &Options) -> Router {
    let state = Arc::new(State {
        live,
        turns: Arc::new(Semaphore::new(options.concurrency.max(1))),
        timeout: options.timeout,
    });
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    Router::new()
        .route("/", get(page::home))
        .route("/results", get(page::results))
        .route("/show", get(page::show))
        .route("/assets/app.js", get(page::script))
        .route("/assets/style.css", get(page::style))
        .route("/api/search", get(api::search))
        .route("/api/kwic", get(api::kwic))
        .route("/api/trend", get(api::trend))
        .route("/api/speakers", get(api::speakers))
        .route("/api/stats", get(api::stats))
        .route("/api/show", get(api::show))
        .fallback(not_found)
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(1024))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            options.timeout + Duration::from_secs(1),
        ))
        .layer(header(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
}

async fn not_found() -> Response {
    failure(StatusCode::NOT_FOUND, Rejection::new("no such page"))
}

/// Runs the server until the process is stopped. Prints where it listens on stdout (first
/// line, `podium: serving … at http://ADDR/`), and a notice when the address is not loopback.
pub fn run(options: Options) -> anyhow::Result<()> {
    use anyhow::Context;
    let live = match &options.engine {
        Some(url) => Live::open_cluster(url)?,
        None => Live::open(&options.index)?,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server's runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.addr)
            .await
            .with_context(|| format!("listening on {}", options.addr))?;
        let addr = listener.local_addr()?;
        if !addr.ip().is_loopback() {
            eprintln!(
                "podium: notice: listening on {addr}, which other machines may reach; every \
                 transcript in the index is readable by anyone who can connect"
            );
        }
        let what = match &options.engine {
            Some(url) => url.clone(),
            None => options.index.display().to_string(),
        };
        println!("podium: serving {what} at http://{addr}/");
        use std::io::Write;
        std::io::stdout().flush()?;
        let app = router(live, &options);
        axum::serve(listener, app).await.context("serving HTTP")?;
        Ok(())
    })
}

/// Runs `work` on the newest index (or cluster) on the blocking pool once a turn is free,
/// within the request timeout. Finding the newest may itself ask a cluster, so it runs there too.
pub(crate) async fn blocking<T: Send + 'static>(
    state: &Shared,
    work: impl FnOnce(&Podium) -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    let turn = tokio::time::timeout(state.timeout, state.turns.clone().acquire_owned())
        .await
        .map_err(|_| Failure::busy())?
        .map_err(|_| Failure::busy())?;
    // The turn is held until the work ends, even if the client has gone: a search cannot be
    // interrupted, so the number of searches running stays bounded.
    let shared = state.clone();
    let handle = tokio::task::spawn_blocking(move || {
        let out = work(&shared.live.get());
        drop(turn);
        out
    });
    match tokio::time::timeout(state.timeout, handle).await {
        Ok(Ok(out)) => out,
        Ok(Err(_)) => Err(Failure::internal("the search stopped unexpectedly")),
        Err(_) => Err(Failure::busy()),
    }
}

/// An error answer: a status and a message (and the column of a bad query).
#[derive(Debug)]
pub(crate) struct Failure {
    pub status: StatusCode,
    pub rejection: Rejection,
}

impl Failure {
    pub fn bad(rejection: Rejection) -> Failure {
        Failure {
            status: StatusCode::BAD_REQUEST,
            rejection,
        }
    }

    pub fn busy() -> Failure {
        Failure {
            status: StatusCode::SERVICE_UNAVAILABLE,
            rejection: Rejection::new("the server is busy or the request took too long; try again"),
        }
    }

    pub fn internal(message: &str) -> Failure {
        Failure {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            rejection: Rejection::new(message),
        }
    }
}

impl From<Rejection> for Failure {
    fn from(r: Rejection) -> Failure {
        Failure::bad(r)
    }
}

impl From<crate::Error> for Failure {
    fn from(e: crate::Error) -> Failure {
        use crate::Error;
        let status = match &e {
            Error::Query(q) => {
                return Failure::bad(Rejection {
                    message: format!("bad query: column {}: {}", q.column, q.message),
                    column: Some(q.column),
                })
            }
            Error::Usage(_) => StatusCode::BAD_REQUEST,
            Error::NoTranscript { .. } | Error::NoParagraph { .. } => StatusCode::NOT_FOUND,
            // The cluster (or one of its shards) did not answer: try again later.
            Error::EngineDown(_) => StatusCode::SERVICE_UNAVAILABLE,
            // The cluster refused the request (a missing table, a view it does not offer).
            Error::Engine(_) => StatusCode::BAD_GATEWAY,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Failure {
            status,
            rejection: Rejection::new(e.to_string()),
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        failure(self.status, self.rejection)
    }
}

/// `{"error": message, "column": n}` with the status.
fn failure(status: StatusCode, r: Rejection) -> Response {
    let body = serde_json::json!({"error": r.message, "column": r.column});
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}
