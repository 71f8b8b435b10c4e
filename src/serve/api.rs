//! `/api/*`: the command line's `--json` output over HTTP, byte for byte, from the same
//! operations and renderers.

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::params::Params;
use super::{blocking, Failure, Shared};
use crate::ops::Target;
use crate::render::{json, kwic};

/// A JSON body written by one of [`crate::render`]'s JSON writers.
fn respond(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> Result<Response, Failure> {
    let mut body = Vec::new();
    write(&mut body).map_err(|_| Failure::internal("could not write the answer"))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

pub async fn search(
    State(state): State<Shared>,
    RawQuery(q): RawQuery,
) -> Result<Response, Failure> {
    let params = Params::parse(q.as_deref());
    let request = params.request()?;
    let context = params.context(0)?;
    let results = blocking(&state, move |podium| Ok(podium.search(&request, context)?)).await?;
    respond(|w| json::search(w, &results))
}

pub async fn kwic(State(state): State<Shared>, RawQuery(q): RawQuery) -> Result<Response, Failure> {
    let params = Params::parse(q.as_deref());
    let request = params.request()?;
    let width = params.width()?;
    let results = blocking(&state, move |podium| Ok(podium.search(&request, 0)?)).await?;
    respond(|w| kwic::render_json(w, &results, width))
}

pub async fn trend(
    State(state): State<Shared>,
    RawQuery(q): RawQuery,
) -> Result<Response, Failure> {
    let params = Params::parse(q.as_deref());
    let request = params.request()?;
    let (by, top) = (params.period()?, params.split()?);
    let trend = blocking(&state, move |podium| Ok(podium.trend(&request, by, top)?)).await?;
    respond(|w| json::value(w, &trend))
}

pub async fn speakers(State(state): State<Shared>) -> Result<Response, Failure> {
    let speakers = blocking(&state, move |podium| Ok(podium.speakers()?)).await?;
    respond(|w| json::speakers(w, &speakers))
}

pub async fn stats(State(state): State<Shared>) -> Result<Response, Failure> {
    let stats = blocking(&state, move |podium| Ok(podium.stats()?)).await?;
    respond(|w| json::value(w, &stats))
}

pub async fn show(State(state): State<Shared>, RawQuery(q): RawQuery) -> Result<Response, Failure> {
    let params = Params::parse(q.as_deref());
    let target = params
        .get("target")
        .map(Target::parse)
        .ok_or_else(|| super::Rejection::new("target: PATH[:PARAGRAPH] is missing"))?;
    let context = params.context(5)?;
    let shown = blocking(&state, move |podium| Ok(podium.show(&target, context)?)).await?;
    respond(|w| json::value(w, &shown.passages))
}
