//! The HTTP server: [`app`] builds the router (tested without a socket),
//! [`serve`] binds it. Routes: `/` (the dashboard), `/assets/{name}`
//! (embedded), every API route of [`spec::ROUTES`] (and its path-segment
//! form, `/api/talent/author/{author}`), and a JSON 404 for anything else.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use crate::api;
use crate::assets;
use crate::error::ApiError;
use crate::report::{self, PageMode};
use crate::spec;
use crate::state::AppState;

/// The router of the server.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new()
        .route("/", get(dashboard))
        .route("/assets/{name}", get(asset));
    for r in spec::ROUTES {
        router = router.route(r.path, get(api::endpoint));
        if let Some(path) = spec::segment_path(r) {
            router = router.route(&path, get(api::segment_endpoint));
        }
    }
    router.fallback(not_found).with_state(state)
}

/// Serve `state` at `addr` until Ctrl-C; `ready` is called with the bound
/// address (port 0 picks a free one).
pub async fn serve(
    state: AppState,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    ready(listener.local_addr()?);
    axum::serve(listener, app(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

async fn dashboard(State(state): State<AppState>) -> Html<String> {
    Html(report::page(&state, PageMode::Dashboard))
}

async fn asset(Path(name): Path<String>) -> Response {
    match assets::get(&name) {
        Some((body, content_type)) => {
            let mut r = body.into_response();
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            r.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            r
        }
        None => ApiError::NotFound {
            path: format!("/assets/{name}"),
        }
        .into_response(),
    }
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::NotFound {
        path: uri.path().to_string(),
    }
}
