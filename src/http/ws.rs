//! GraphQL over WebSocket (`/graphql/ws`), by the graphql-transport-ws protocol, under the
//! same limits as HTTP: messages no larger than the body limit, operations priced before they
//! run (fields, cost), single-result operations under the request timeout, answers under the
//! size cap; at most [`MAX_OPERATIONS`] operations at once per connection, and at most
//! `--max-ws-operations-per-address` at once per client address over all its connections
//! (the address as the HTTP layer resolves it, see [`super::client`]). In graphql-transport-ws
//! every operation, subscription or not, starts with a `subscribe` message; both caps count
//! the operations running. An operation over either cap is refused with an `error` message
//! (`RATE_LIMITED`): the connection and its other operations go on.
//!
//! Close codes: 4400 (invalid message or JSON), 4401 (`subscribe` before the connection was
//! acknowledged), 4408 (no `connection_init` within the request timeout), 4409 (an id
//! already running), 4429 (a second `connection_init`), 1009 (a message over the size
//! limit). A request refused by its price or by validation gets an `error` message whose
//! errors carry `extensions.code`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::OperationType;
use futures::{SinkExt, StreamExt};
use poem::web::websocket::{CloseCode, Message, WebSocket, WebSocketStream};
use poem::web::Data;
use poem::{handler, IntoResponse, Request};
use serde_json::{json, Value};
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use super::{documents, limits, AppState};
use crate::api::auth::{Caller, ClientAddr};
use crate::api::error::{BAD_USER_INPUT, RATE_LIMITED, TIMEOUT};

/// Most operations running at once on one connection.
pub const MAX_OPERATIONS: usize = 16;

/// Default most operations running at once per client address, over all its connections.
pub const DEFAULT_OPERATIONS_PER_ADDRESS: usize = 64;

/// The operations running per client address over all WebSocket connections, under a cap.
#[derive(Debug)]
pub struct AddressOperations {
    cap: usize,
    running: Mutex<HashMap<Option<IpAddr>, usize>>,
}

impl AddressOperations {
    /// At most `cap` operations at once per address (0: no cap).
    pub fn new(cap: usize) -> Self {
        Self {
            cap,
            running: Mutex::new(HashMap::new()),
        }
    }

    /// The cap (0: none).
    pub fn cap(&self) -> usize {
        self.cap
    }

    /// A place for one more operation of `addr`, held until the slot drops; `None` when the
    /// address already runs as many as the cap allows.
    pub fn acquire(self: &Arc<Self>, addr: Option<IpAddr>) -> Option<OperationSlot> {
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        let count = running.entry(addr).or_insert(0);
        if self.cap > 0 && *count >= self.cap {
            return None;
        }
        *count += 1;
        Some(OperationSlot {
            owner: self.clone(),
            addr,
        })
    }

    /// Operations running for `addr`.
    pub fn running(&self, addr: Option<IpAddr>) -> usize {
        let running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        running.get(&addr).copied().unwrap_or(0)
    }
}

/// One running operation's place under its address's cap, given back when dropped (the
/// operation ended, was completed by the client, or its connection closed).
#[derive(Debug)]
pub struct OperationSlot {
    owner: Arc<AddressOperations>,
    addr: Option<IpAddr>,
}

impl Drop for OperationSlot {
    fn drop(&mut self) {
        let mut running = self.owner.running.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = running.get_mut(&self.addr) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                running.remove(&self.addr);
            }
        }
    }
}

/// Longest close reason sent, in bytes (a control frame holds 125, 2 for the code).
const MAX_REASON: usize = 123;

/// The subprotocol spoken.
const PROTOCOL: &str = "graphql-transport-ws";

/// Upgrades `GET /graphql/ws` to a graphql-transport-ws connection.
#[handler]
pub fn endpoint(
    req: &Request,
    ws: WebSocket,
    Data(state): Data<&Arc<AppState>>,
) -> impl IntoResponse {
    let state = state.clone();
    // The client's address as the HTTP layer resolved it (`X-Forwarded-For` only from a
    // trusted proxy), for the per-address caps.
    let addr = ClientAddr(match req.data::<super::client::ClientIp>() {
        Some(client) => client.0,
        None => req.remote_addr().as_socket_addr().map(|a| a.ip()),
    });
    // Messages up to four times the body limit are read (and refused with 1009 above the
    // limit); larger ones break the connection before they are held whole.
    let hard_cap = state.max_body.saturating_mul(4);
    let config = poem::web::websocket::WebSocketConfig::default()
        .max_message_size(Some(hard_cap))
        .max_frame_size(Some(hard_cap));
    ws.protocols([PROTOCOL])
        .config(config)
        .on_upgrade(move |socket| Connection::new(state, addr).run(socket))
}

/// A close frame, its reason cut to [`MAX_REASON`] bytes.
fn close(code: u16, reason: &str) -> Message {
    let mut end = reason.len().min(MAX_REASON);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    Message::close_with(CloseCode::from(code), reason[..end].to_owned())
}

/// What the connection's tasks tell it.
enum Event {
    /// A message to send, as JSON text.
    Send(String),
    /// An operation finished (its `complete` was sent, or it was refused).
    Done(String),
}

/// One connection's state.
struct Connection {
    state: Arc<AppState>,
    addr: ClientAddr,
    acknowledged: bool,
    running: HashMap<String, AbortHandle>,
}

/// Why the connection closes: its close frame.
struct Closing(Message);

impl Connection {
    fn new(state: Arc<AppState>, addr: ClientAddr) -> Self {
        Self {
            state,
            addr,
            acknowledged: false,
            running: HashMap::new(),
        }
    }

    async fn run(mut self, socket: WebSocketStream) {
        let (mut sink, mut stream) = socket.split();
        let (events, mut inbox) = mpsc::channel::<Event>(64);
        let init_deadline = tokio::time::sleep(self.state.request_timeout);
        tokio::pin!(init_deadline);
        let closing = loop {
            tokio::select! {
                _ = &mut init_deadline, if !self.acknowledged => {
                    break Closing(close(4408, "Connection initialisation timeout"));
                }
                event = inbox.recv() => match event {
                    Some(Event::Send(text)) => {
                        if sink.send(Message::text(text)).await.is_err() {
                            break Closing(Message::close());
                        }
                    }
                    Some(Event::Done(id)) => {
                        self.running.remove(&id);
                    }
                    None => break Closing(Message::close()),
                },
                message = stream.next() => match message {
                    None => break Closing(Message::close()),
                    Some(Err(e)) => {
                        // Mostly a message over the size limit (a broken connection
                        // receives nothing anyway).
                        tracing::debug!(error = %e, "a WebSocket message could not be read");
                        break Closing(close(
                            1009,
                            &format!("messages are limited to {} bytes", self.state.max_body),
                        ));
                    }
                    Some(Ok(Message::Close(_))) => break Closing(Message::close()),
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                    Some(Ok(Message::Binary(_))) => {
                        break Closing(close(4400, "graphql-transport-ws messages are text"));
                    }
                    Some(Ok(Message::Text(text))) if text.len() > self.state.max_body => {
                        break Closing(close(
                            1009,
                            &format!("messages are limited to {} bytes", self.state.max_body),
                        ));
                    }
                    Some(Ok(Message::Text(text))) => {
                        match self.receive(&text, &events) {
                            Ok(Some(reply)) => {
                                if sink.send(Message::text(reply.to_string())).await.is_err() {
                                    break Closing(Message::close());
                                }
                            }
                            Ok(None) => {}
                            Err(closing) => break closing,
                        }
                    }
                },
            }
        };
        for (_, task) in self.running.drain() {
            task.abort();
        }
        let _ = sink.send(closing.0).await;
        let _ = sink.close().await;
    }

    /// Handles one text message: a reply to send at once, nothing, or a reason to close.
    fn receive(
        &mut self,
        text: &str,
        events: &mpsc::Sender<Event>,
    ) -> Result<Option<Value>, Closing> {
        let invalid = |why: &str| Closing(close(4400, why));
        let message: Value =
            serde_json::from_str(text).map_err(|_| invalid("Invalid message: not JSON"))?;
        let kind = message
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("Invalid message: no `type`"))?;
        match kind {
            "connection_init" => {
                if self.acknowledged {
                    return Err(Closing(close(4429, "Too many initialisation requests")));
                }
                self.acknowledged = true;
                Ok(Some(json!({ "type": "connection_ack" })))
            }
            "ping" => Ok(Some(json!({ "type": "pong" }))),
            "pong" => Ok(None),
            "subscribe" => {
                if !self.acknowledged {
                    return Err(Closing(close(4401, "Unauthorized")));
                }
                let id = message_id(&message).ok_or_else(|| invalid("Invalid message: no `id`"))?;
                let request: async_graphql::Request = message
                    .get("payload")
                    .cloned()
                    .and_then(|p| serde_json::from_value(p).ok())
                    .ok_or_else(|| {
                        invalid("Invalid message: `payload` is not a GraphQL request")
                    })?;
                if self.running.contains_key(&id) {
                    return Err(Closing(close(
                        4409,
                        &format!("Subscriber for {} already exists", short(&id)),
                    )));
                }
                if self.running.len() >= MAX_OPERATIONS {
                    return Ok(Some(error_message(
                        &id,
                        RATE_LIMITED,
                        &format!(
                            "at most {MAX_OPERATIONS} operations may run at once on one connection"
                        ),
                    )));
                }
                let Some(slot) = self.state.ws_operations.acquire(self.addr.0) else {
                    self.state.metrics.error(RATE_LIMITED);
                    return Ok(Some(error_message(
                        &id,
                        RATE_LIMITED,
                        &format!(
                            "at most {} operations may run at once from one address, over all its connections",
                            self.state.ws_operations.cap()
                        ),
                    )));
                };
                let task = tokio::spawn(operation(
                    self.state.clone(),
                    id.clone(),
                    request.data(Caller::Anonymous).data(self.addr),
                    events.clone(),
                    slot,
                ));
                self.running.insert(id, task.abort_handle());
                Ok(None)
            }
            "complete" => {
                let id = message_id(&message).ok_or_else(|| invalid("Invalid message: no `id`"))?;
                if let Some(task) = self.running.remove(&id) {
                    task.abort();
                }
                Ok(None)
            }
            _ => Err(invalid("Invalid message: unknown `type`")),
        }
    }
}

/// A message's `id`: a non-empty string.
fn message_id(message: &Value) -> Option<String> {
    message
        .get("id")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
}

/// At most 40 bytes of an id, for a close reason.
fn short(id: &str) -> &str {
    let mut end = id.len().min(40);
    while !id.is_char_boundary(end) {
        end -= 1;
    }
    &id[..end]
}

/// An `error` message for operation `id`.
fn error_message(id: &str, code: &str, message: &str) -> Value {
    json!({
        "type": "error",
        "id": id,
        "payload": [{ "message": message, "extensions": { "code": code } }],
    })
}

/// Runs one operation: priced first, then its results as `next` messages and a `complete`;
/// a request error (parse, validation, price) as one `error` message. Its `slot` under the
/// address's cap is held until it ends or is aborted.
async fn operation(
    state: Arc<AppState>,
    id: String,
    mut request: async_graphql::Request,
    events: mpsc::Sender<Event>,
    slot: OperationSlot,
) {
    let _slot = slot;
    let send_text = |text: String| {
        let events = events.clone();
        async move { events.send(Event::Send(text)).await.is_ok() }
    };
    let send = |value: Value| send_text(value.to_string());
    let mut single = true;
    if let Some(document) = state.documents.parse(&request.query) {
        if let Err(message) = limits::check_price(
            &state.pricer,
            state.request_limits(),
            &document,
            &request.variables,
        ) {
            state.metrics.error(BAD_USER_INPUT);
            send(error_message(&id, BAD_USER_INPUT, &message)).await;
            let _ = events.send(Event::Done(id)).await;
            return;
        }
        single = documents::operation_type(&document, request.operation_name.as_deref())
            != Some(OperationType::Subscription);
        request.set_parsed_query((*document).clone());
    }
    let mut responses = state.schema.execute_stream(request);
    let mut first = true;
    loop {
        let next = if single {
            match tokio::time::timeout(state.request_timeout, responses.next()).await {
                Ok(next) => next,
                Err(_) => {
                    state.metrics.error(TIMEOUT);
                    let message = format!(
                        "the request took longer than {} ms: ask for less",
                        state.request_timeout.as_millis()
                    );
                    send(error_message(&id, TIMEOUT, &message)).await;
                    break;
                }
            }
        } else {
            responses.next().await
        };
        let Some(mut response) = next else {
            send(json!({ "type": "complete", "id": id })).await;
            break;
        };
        super::give_codes(&state, &mut response);
        if first && limits::is_request_error(&response) {
            let errors = serde_json::to_value(&response.errors).unwrap_or(Value::Null);
            send(json!({ "type": "error", "id": id, "payload": errors })).await;
            break;
        }
        first = false;
        let payload = match limits::serialise_capped(&response, state.max_response) {
            limits::Serialised::Body(bytes) => String::from_utf8(bytes).unwrap_or_default(),
            _ => {
                let message = limits::too_large(state.max_response);
                send(error_message(&id, BAD_USER_INPUT, &message)).await;
                break;
            }
        };
        let next = format!(
            "{{\"type\":\"next\",\"id\":{},\"payload\":{payload}}}",
            Value::String(id.clone())
        );
        if !send_text(next).await {
            break;
        }
        if single {
            send(json!({ "type": "complete", "id": id })).await;
            break;
        }
    }
    let _ = events.send(Event::Done(id)).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_capped_per_address_and_freed_when_dropped() {
        let caps = Arc::new(AddressOperations::new(2));
        let a = Some(IpAddr::from([198, 51, 100, 1]));
        let b = Some(IpAddr::from([198, 51, 100, 2]));
        let first = caps.acquire(a).unwrap();
        let _second = caps.acquire(a).unwrap();
        assert!(caps.acquire(a).is_none(), "a third from the same address");
        assert!(caps.acquire(b).is_some(), "another address has its own cap");
        drop(first);
        assert_eq!(caps.running(a), 1);
        assert!(caps.acquire(a).is_some());
        let unlimited = Arc::new(AddressOperations::new(0));
        let held: Vec<_> = (0..100).filter_map(|_| unlimited.acquire(a)).collect();
        assert_eq!(held.len(), 100);
    }

    #[test]
    fn close_reasons_fit_a_control_frame() {
        let long = "é".repeat(200);
        match close(4400, &long) {
            Message::Close(Some((code, reason))) => {
                assert_eq!(u16::from(code), 4400);
                assert!(reason.len() <= MAX_REASON, "{}", reason.len());
            }
            other => panic!("{other:?}"),
        }
    }
}
