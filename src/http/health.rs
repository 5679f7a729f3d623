//! `GET /health` from the store's last known state, `GET /ready` asking the store.
//!
//! Load balancers poll `/health` often; it must not cost a store query each time. The store's
//! state is what its calls last revealed (a call failing as unreachable marks it down, any
//! answered call marks it up: [`StoreSignals`]), refreshed by a check every second when nothing
//! else asks the store. `/ready` still asks the store itself, for deployments that want a
//! readiness check that proves a query works right now.

use std::sync::{Arc, Weak};
use std::time::Duration;

use poem::http::StatusCode;
use poem::web::Data;
use poem::{handler, Response};
use serde_json::json;

use super::{json_response, AppState};
use crate::metrics::store::StoreSignals;
use crate::store::Store;

/// How often the background check asks the store.
pub const CHECK_EVERY: Duration = Duration::from_secs(1);

/// Longest a health query may take before the store counts as down.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// Checks the store every [`CHECK_EVERY`] until the store is dropped (the application stopped).
pub fn spawn_checks(store: Weak<dyn Store>, signals: Arc<StoreSignals>) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(CHECK_EVERY).await;
            let Some(store) = store.upgrade() else {
                break;
            };
            let healthy = matches!(
                tokio::time::timeout(CHECK_TIMEOUT, store.health()).await,
                Ok(Ok(()))
            );
            signals.set_reachable(healthy);
        }
    });
}

/// `GET /health`: 200 while the store answers, 503 when its last call or check failed.
#[handler]
pub async fn health(Data(state): Data<&Arc<AppState>>) -> Response {
    if state.store_signals.reachable() {
        json_response(StatusCode::OK, &json!({ "status": "ok" }))
    } else {
        json_response(
            StatusCode::SERVICE_UNAVAILABLE,
            &json!({ "status": "unavailable" }),
        )
    }
}

/// `GET /ready`: asks the store now (a query with a timeout).
#[handler]
pub async fn ready(Data(state): Data<&Arc<AppState>>) -> Response {
    let answer = tokio::time::timeout(CHECK_TIMEOUT, state.store.health()).await;
    state
        .store_signals
        .set_reachable(matches!(answer, Ok(Ok(()))));
    match answer {
        Ok(Ok(())) => json_response(StatusCode::OK, &json!({ "status": "ok" })),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness check failed");
            json_response(
                StatusCode::SERVICE_UNAVAILABLE,
                &json!({ "status": "unavailable" }),
            )
        }
        Err(_) => json_response(
            StatusCode::SERVICE_UNAVAILABLE,
            &json!({ "status": "timeout" }),
        ),
    }
}
