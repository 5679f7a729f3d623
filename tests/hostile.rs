//! Hostile requests get clean errors with stable codes, and the server stays up: deep nesting,
//! alias bombs, huge strings, invalid UTF-8, wrong content types, oversized bodies, bad
//! tokens, slow requests. Also CORS and `/metrics`.

mod common;

use std::time::Duration;

use common::{error_codes, TestApp};
use serde_json::{json, Value};

async fn post_raw(app: &TestApp, content_type: Option<&str>, body: Vec<u8>) -> (u16, Value) {
    let mut request = app.client().post(app.url("/graphql")).body(body);
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let response = request.send().await.expect("request sent");
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

async fn assert_up(app: &TestApp) {
    let health = app.client().get(app.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), 200, "the server is still up");
}

#[tokio::test]
async fn alias_bombs_are_refused_before_execution() {
    let app = TestApp::spawn_with(|c| c.limits.fields = 200).await;
    let aliases: String = (0..500)
        .map(|i| format!("a{i}: statistics {{ kind }} "))
        .collect();
    let (status, body) = post_raw(
        &app,
        Some("application/json"),
        json!({ "query": format!("{{ {aliases} }}") })
            .to_string()
            .into_bytes(),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(error_codes(&body), ["BAD_USER_INPUT"]);
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("aliases included"));
    // Inside a fragment, too.
    let fragment = format!("query {{ ...F }} fragment F on Query {{ {aliases} }}");
    let (status, _) = post_raw(
        &app,
        Some("application/json"),
        json!({ "query": fragment }).to_string().into_bytes(),
    )
    .await;
    assert_eq!(status, 400);
    // Under the limit, aliases are fine.
    let few: String = (0..10)
        .map(|i| format!("a{i}: statistics {{ kind }} "))
        .collect();
    let answer = app.query(&format!("{{ {few} }}")).await;
    assert!(answer.get("errors").is_none(), "{answer}");
    assert_up(&app).await;
}

#[tokio::test]
async fn deep_nesting_and_deep_introspection_are_refused() {
    let app = TestApp::spawn().await;
    let mut deep = String::from("name");
    for _ in 0..20 {
        deep = format!("solution {{ adoptions {{ edges {{ node {{ {deep} }} }} }} }}");
    }
    let deep = format!("{{ adoption(id: \"adoption:echirolles-gnu-linux\") {{ {deep} }} }}");
    assert_eq!(error_codes(&app.query(&deep).await), ["BAD_USER_INPUT"]);
    let mut of_type = String::from("name");
    for _ in 0..30 {
        of_type = format!("ofType {{ {of_type} }}");
    }
    let introspection =
        format!("{{ __schema {{ types {{ fields {{ type {{ {of_type} }} }} }} }} }}");
    assert_eq!(
        error_codes(&app.query(&introspection).await),
        ["BAD_USER_INPUT"]
    );
    // Ordinary introspection stays on: the API is public.
    let answer = app
        .query("{ __schema { queryType { name } mutationType { name } } }")
        .await;
    assert_eq!(
        answer["data"]["__schema"]["mutationType"]["name"],
        "MutationRoot"
    );
    assert_up(&app).await;
}

#[tokio::test]
async fn bodies_that_are_not_json_requests_get_clean_errors() {
    let app = TestApp::spawn().await;
    let invalid_utf8 = b"{\"query\": \"{ statistics { kind } }\xff\xfe\"}".to_vec();
    let (status, body) = post_raw(&app, Some("application/json"), invalid_utf8).await;
    assert_eq!(status, 400);
    assert_eq!(error_codes(&body), ["BAD_USER_INPUT"]);

    for content_type in [
        Some("text/plain"),
        Some("multipart/form-data; boundary=x"),
        Some("application/x-www-form-urlencoded"),
        Some("application/jsonx"),
        None,
    ] {
        let (status, body) = post_raw(
            &app,
            content_type,
            b"{\"query\":\"{ statistics { kind } }\"}".to_vec(),
        )
        .await;
        assert_eq!(status, 415, "{content_type:?}");
        assert_eq!(error_codes(&body), ["BAD_USER_INPUT"]);
    }
    for garbage in [
        &b""[..],
        b"null",
        b"42",
        b"{\"query\": 42}",
        b"{\"query\": \"{\", \"variables\": []}",
    ] {
        let (status, body) = post_raw(&app, Some("application/json"), garbage.to_vec()).await;
        assert!(status == 400 || status == 200, "{status}");
        assert!(!error_codes(&body).is_empty(), "{body}");
    }
    let (status, body) = post_raw(&app, Some("application/json"), vec![b' '; 1_000_000]).await;
    assert_eq!(status, 413);
    assert_eq!(error_codes(&body), ["BAD_USER_INPUT"]);
    assert_up(&app).await;
}

#[tokio::test]
async fn huge_strings_and_bad_tokens_in_mutations_are_refused() {
    let app = TestApp::spawn().await;
    let (_, token) = app
        .token(
            Some("collectivity:fr-commune-38151"),
            &[retex::domain::Scope::AdoptionsWrite],
        )
        .await;
    let query = "mutation($c: String) { createSource(input: { id: \"source:x\", title: \"x\", kind: ARTICLE }, comment: $c) { id } }";
    let answer = app
        .gql(Some(&token), query, json!({ "c": "é".repeat(3_000) }))
        .await;
    assert_eq!(error_codes(&answer), ["BAD_USER_INPUT"]);
    let long_title =
        json!({ "input": { "id": "source:y", "title": "t".repeat(20_000), "kind": "ARTICLE" } });
    let answer = app
        .gql(
            Some(&token),
            "mutation($input: SourceInput!) { createSource(input: $input) { id } }",
            long_title,
        )
        .await;
    assert_eq!(error_codes(&answer), ["BAD_USER_INPUT"]);
    let huge_header = format!("rtx_{}", "a".repeat(4_000));
    let answer = app.gql(Some(&huge_header), query, json!({})).await;
    assert_eq!(error_codes(&answer), ["UNAUTHENTICATED"]);
    let response = app
        .client()
        .post(app.url("/graphql"))
        .header("authorization", "Basic dXNlcjpwYXNz")
        .json(&json!({ "query": query }))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_codes(&body), ["UNAUTHENTICATED"]);
    assert_up(&app).await;
}

#[tokio::test]
async fn slow_requests_time_out_with_a_stable_code() {
    let app = TestApp::spawn_with(|c| c.request_timeout = Duration::from_millis(300)).await;
    let (_, token) = app
        .token(
            Some("collectivity:fr-commune-38151"),
            &[retex::domain::Scope::AdoptionsWrite],
        )
        .await;
    // Another process holds the store's write lock: the write waits, the request does not.
    let blocker = rusqlite::Connection::open(&app.store_path).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    let response = app
        .client()
        .post(app.url("/graphql"))
        .bearer_auth(&token)
        .json(&json!({ "query": "mutation { createSource(input: { id: \"source:slow\", title: \"Slow\", kind: ARTICLE }, idempotencyKey: \"slow-1\") { id } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_codes(&body), ["TIMEOUT"]);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    blocker.execute_batch("ROLLBACK").unwrap();
    assert_up(&app).await;
}

#[tokio::test]
async fn cors_is_off_by_default_and_configurable() {
    let app = TestApp::spawn().await;
    let response = app
        .client()
        .post(app.url("/graphql"))
        .header("origin", "https://peer.example")
        .json(&json!({ "query": "{ statistics { kind } }" }))
        .send()
        .await
        .unwrap();
    assert!(response
        .headers()
        .get("access-control-allow-origin")
        .is_none());

    let app =
        TestApp::spawn_with(|c| c.cors_origins = vec!["https://peer.example".to_owned()]).await;
    let response = app
        .client()
        .request(reqwest::Method::OPTIONS, app.url("/graphql"))
        .header("origin", "https://peer.example")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type, authorization",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        response
            .headers()
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap()),
        Some("https://peer.example")
    );
    let response = app
        .client()
        .request(reqwest::Method::OPTIONS, app.url("/graphql"))
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(response
        .headers()
        .get("access-control-allow-origin")
        .is_none());
}

#[tokio::test]
async fn metrics_count_requests_errors_and_store_calls() {
    let app = TestApp::spawn().await;
    app.query("{ statistics { kind } }").await;
    app.query("{ solution(id: \"not an id\") { name } }").await;
    let text = app
        .client()
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("retex_http_requests_total{route=\"/graphql\",status=\"200\"} 2"),
        "{text}"
    );
    assert!(text.contains("retex_http_request_duration_seconds_count{route=\"/graphql\"} 2"));
    assert!(text.contains("retex_graphql_errors_total{code=\"BAD_USER_INPUT\"} 1"));
    assert!(text.contains("retex_store_calls_total{method=\"counts\",result=\"ok\"}"));
    assert!(
        !text.contains("not an id"),
        "raw input never becomes a label"
    );
}

// Pricing: each request of issue 17's items 1, 2 and 4 is refused before it runs. ----------

async fn post_query(app: &TestApp, query: &str) -> (u16, Value) {
    post_raw(
        app,
        Some("application/json"),
        json!({ "query": query }).to_string().into_bytes(),
    )
    .await
}

fn message(body: &Value) -> &str {
    body["errors"][0]["message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn fragment_fan_out_is_priced_as_expanded_and_refused() {
    let app = TestApp::spawn().await;
    // Each fragment spreads the previous one twice: 1.4 KB of text, 2^25 fields once expanded.
    let mut query = String::from("{ ...F24 } fragment F0 on QueryRoot { __typename }");
    for i in 1..=24 {
        query.push_str(&format!(
            " fragment F{i} on QueryRoot {{ ...F{p} a: __typename ...F{p} }}",
            p = i - 1
        ));
    }
    assert!(query.len() < 2_000);
    let (status, body) = post_query(&app, &query).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_codes(&body), ["BAD_USER_INPUT"]);
    assert!(
        message(&body).contains("33554431 fields") && message(&body).contains("fragments expanded"),
        "{body}"
    );
    // A fragment cycle is refused too (before validation would have to walk it).
    let (status, body) = post_query(
        &app,
        "{ ...A } fragment A on QueryRoot { ...B } fragment B on QueryRoot { ...A }",
    )
    .await;
    assert_eq!(status, 400);
    assert!(message(&body).contains("spreads itself"), "{body}");
    // A few spreads of a small fragment are fine.
    let answer = app
        .query("{ ...F ...F } fragment F on QueryRoot { statistics { kind } }")
        .await;
    assert!(answer.get("errors").is_none(), "{answer}");
    assert_up(&app).await;
}

#[tokio::test]
async fn cycles_through_list_fields_are_priced_by_their_rows() {
    let app = TestApp::spawn().await;
    let mut chain = String::from("name");
    for _ in 0..3 {
        chain = format!("alternatives {{ libre {{ replaces {{ proprietary {{ {chain} }} }} }} }}");
    }
    let aliases: String = (0..30)
        .map(|i| format!("a{i}: solution(id: \"solution:microsoft-office\") {{ {chain} }} "))
        .collect();
    let (status, body) = post_query(&app, &format!("{{ {aliases} }}")).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_codes(&body), ["BAD_USER_INPUT"]);
    assert!(message(&body).contains("costs"), "{body}");
    // One level of the cycle is an ordinary question.
    let answer = app
        .query("{ solution(id: \"solution:microsoft-office\") { alternatives { libre { name replaces { proprietary { name } } } } } }")
        .await;
    assert!(answer.get("errors").is_none(), "{answer}");
    assert_up(&app).await;
}

#[tokio::test]
async fn searches_and_analyses_have_a_price() {
    let app = TestApp::spawn().await;
    let searches: String = (0..500)
        .map(|i| format!("s{i}: search(text: \"a\") {{ kind }} "))
        .collect();
    let (status, body) = post_query(&app, &format!("{{ {searches} }}")).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_codes(&body), ["BAD_USER_INPUT"]);
    assert!(message(&body).contains("costs"), "{body}");
    let analyses: String = (0..200)
        .map(|i| format!("p{i}: aggregates {{ collectivities }} "))
        .collect();
    let (status, body) = post_query(&app, &format!("{{ {analyses} }}")).await;
    assert_eq!(status, 400, "{body}");
    assert!(message(&body).contains("costs"), "{body}");
    let answer = app
        .query("{ a: search(text: \"visio\") { kind } b: search(text: \"office\") { kind } }")
        .await;
    assert!(answer.get("errors").is_none(), "{answer}");
}

#[tokio::test]
async fn answers_over_the_size_cap_are_refused() {
    let app = TestApp::spawn_with(|c| c.max_response_bytes = 2_000).await;
    let (status, body) = post_query(
        &app,
        "{ solutions(first: 100) { edges { node { id name licence } } } }",
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_codes(&body), ["BAD_USER_INPUT"]);
    assert!(message(&body).contains("larger than 2000 bytes"), "{body}");
    let answer = app.query("{ statistics { kind } }").await;
    assert!(answer.get("errors").is_none(), "{answer}");
}

#[tokio::test]
async fn a_changed_comment_does_not_bypass_the_answer_cache() {
    let app = TestApp::spawn().await;
    let ask = |query: String| {
        let request = app
            .client()
            .post(app.url("/graphql"))
            .json(&json!({ "query": query }));
        async move {
            let response = request.send().await.unwrap();
            response.headers()["x-retex-cache"]
                .to_str()
                .unwrap()
                .to_owned()
        }
    };
    let query = "{ search(text: \"visio\") { kind label } }";
    assert_eq!(ask(query.to_owned()).await, "miss");
    assert_eq!(ask(format!("# cache buster 1\n{query}")).await, "hit");
    assert_eq!(
        ask("{\n  search(text: \"visio\") , # two\n { kind label }\n}".to_owned()).await,
        "hit"
    );
    // A change inside a string is a change of question.
    assert_eq!(
        ask("{ search(text: \"visio \") { kind label } }".to_owned()).await,
        "miss"
    );
}

/// A document that passed the full validation is then checked for its complexity and depth
/// only (`api::Schemas::fast`); one that failed it is checked in full every time: an unknown
/// argument, which execution alone would ignore, is refused on every request.
#[tokio::test]
async fn a_document_is_validated_in_full_until_it_has_passed() {
    let app = TestApp::spawn_with(|c| c.response_cache_bytes = 0).await;
    let unknown = "{ solution(id: \"solution:bigbluebutton\", bogus: 1) { name } }";
    for round in 0..3 {
        let (status, body) = post_query(&app, unknown).await;
        assert_eq!(status, 200, "round {round}: {body}");
        assert!(
            body.get("data").is_none() || body["data"].is_null(),
            "round {round}: {body}"
        );
        assert!(message(&body).contains("bogus"), "round {round}: {body}");
    }
    let valid = "{ solution(id: \"solution:bigbluebutton\") { name } }";
    let first = post_query(&app, valid).await;
    for round in 1..3 {
        assert_eq!(post_query(&app, valid).await, first, "round {round}");
    }
    assert_eq!(first.1["data"]["solution"]["name"], "BigBlueButton");
    assert_up(&app).await;
}

// GraphQL over HTTP details. ------------------------------------------------------------------

#[tokio::test]
async fn graphql_response_json_answers_request_errors_with_4xx_and_no_data() {
    let app = TestApp::spawn().await;
    let ask = |query: &str| {
        app.client()
            .post(app.url("/graphql"))
            .header("accept", "application/graphql-response+json")
            .json(&json!({ "query": query }))
            .send()
    };
    for bad in [
        "{",
        "{ noSuchField }",
        "query($x: Int) { statistics { kind } } { x }",
    ] {
        let response = ask(bad).await.unwrap();
        assert_eq!(response.status(), 400, "{bad}");
        assert_eq!(
            response.headers()["content-type"],
            "application/graphql-response+json"
        );
        let body: Value = response.json().await.unwrap();
        assert!(body.get("data").is_none(), "{bad}: {body}");
        assert_eq!(error_codes(&body), ["BAD_USER_INPUT"], "{bad}: {body}");
    }
    let response = ask("{ statistics { kind } }").await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/graphql-response+json"
    );
    // With application/json, a validation failure stays a 200 with `data: null`.
    let response = app
        .client()
        .post(app.url("/graphql"))
        .json(&json!({ "query": "{ noSuchField }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn errors_name_the_right_argument_and_cursors_their_connection() {
    let app = TestApp::spawn().await;
    let answer = app
        .query("{ adoptionPaths(from: \"solution:microsoft-office\", adopters: 1000000) { totalCount } }")
        .await;
    assert_eq!(error_codes(&answer), ["BAD_USER_INPUT"]);
    let text = answer["errors"][0]["message"].as_str().unwrap();
    assert!(
        text.contains("`adopters`") && !text.contains("`first`"),
        "{text}"
    );

    let needs = app.query("{ needs(first: 1) { edges { cursor } } }").await;
    let cursor = needs["data"]["needs"]["edges"][0]["cursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let answer = app
        .query_with(
            "query($c: String) { solutions(first: 1, after: $c) { edges { node { id } } } }",
            json!({ "c": cursor }),
        )
        .await;
    assert_eq!(error_codes(&answer), ["BAD_USER_INPUT"]);
    assert!(
        answer["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not of `solutions`"),
        "{answer}"
    );
    let answer = app
        .query_with(
            "query($c: String) { needs(first: 1, after: $c) { edges { node { id } } } }",
            json!({ "c": cursor }),
        )
        .await;
    assert!(answer.get("errors").is_none(), "{answer}");
}

#[tokio::test]
async fn watch_sources_are_nodes() {
    let app = TestApp::spawn().await;
    let answer = app
        .query("{ node(id: \"watch:nextcloud-endoflife\") { __typename id ... on WatchSource { kind solution { id } } } }")
        .await;
    let node = &answer["data"]["node"];
    assert_eq!(node["__typename"], "WatchSource", "{answer}");
    assert_eq!(node["id"], "watch:nextcloud-endoflife");
    assert_eq!(node["kind"], "ENDOFLIFE");
    assert_eq!(node["solution"]["id"], "solution:nextcloud");
    let answer = app
        .query("{ node(id: \"watch:nothing-here\") { id } }")
        .await;
    assert!(answer["data"]["node"].is_null(), "{answer}");
}

#[tokio::test]
async fn watch_urls_with_credentials_are_refused() {
    let app = TestApp::spawn().await;
    let (_, token) = app.token(None, &[retex::domain::Scope::Curator]).await;
    let answer = app
        .gql(
            Some(&token),
            "mutation($input: WatchSourceInput!) { createWatchSource(input: $input) { id url } }",
            json!({ "input": { "solution": "solution:libreoffice", "id": "watch:libreoffice-feed",
                               "feed": "https://reader:s3cret@example.org/libreoffice.atom" } }),
        )
        .await;
    assert_eq!(error_codes(&answer), ["BAD_USER_INPUT"], "{answer}");
    let text = answer["errors"][0]["message"].as_str().unwrap();
    assert!(
        text.contains("credentials") && !text.contains("s3cret"),
        "{text}"
    );
}

// GraphQL over WebSocket: graphql-transport-ws close codes, and the HTTP limits. ------------

mod ws {
    use std::time::Duration;

    use futures::{SinkExt, StreamExt};
    use serde_json::{json, Value};
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    use tokio_tungstenite::tungstenite::Message;

    pub type Socket = tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >;

    pub async fn connect(addr: std::net::SocketAddr) -> Socket {
        connect_from(addr, None).await
    }

    /// A connection whose request carries `X-Forwarded-For: forwarded_for`.
    pub async fn connect_from(addr: std::net::SocketAddr, forwarded_for: Option<&str>) -> Socket {
        let mut request = format!("ws://{addr}/graphql/ws")
            .into_client_request()
            .unwrap();
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        if let Some(client) = forwarded_for {
            request
                .headers_mut()
                .insert("X-Forwarded-For", client.parse().unwrap());
        }
        tokio_tungstenite::connect_async(request).await.unwrap().0
    }

    pub async fn send(ws: &mut Socket, text: impl Into<String>) {
        ws.send(Message::Text(text.into().into())).await.unwrap();
    }

    pub async fn init(addr: std::net::SocketAddr) -> Socket {
        init_from(addr, None).await
    }

    pub async fn init_from(addr: std::net::SocketAddr, forwarded_for: Option<&str>) -> Socket {
        let mut ws = connect_from(addr, forwarded_for).await;
        send(&mut ws, json!({ "type": "connection_init" }).to_string()).await;
        assert_eq!(next(&mut ws).await.unwrap()["type"], "connection_ack");
        ws
    }

    /// The next JSON message, or the close frame's code and reason.
    pub async fn next(ws: &mut Socket) -> Result<Value, (u16, String)> {
        loop {
            let message = tokio::time::timeout(Duration::from_secs(5), ws.next())
                .await
                .expect("a message in time");
            match message {
                Some(Ok(Message::Text(text))) => return Ok(serde_json::from_str(&text).unwrap()),
                Some(Ok(Message::Close(frame))) => {
                    let frame = frame.expect("a close frame with a code");
                    return Err((u16::from(frame.code), frame.reason.to_string()));
                }
                Some(Ok(_)) => continue,
                other => panic!("the socket ended without a close frame: {other:?}"),
            }
        }
    }

    pub async fn next_raw(
        ws: &mut Socket,
    ) -> Option<Result<Message, tokio_tungstenite::tungstenite::Error>> {
        tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a message in time")
    }

    pub async fn closed_with(ws: &mut Socket) -> (u16, String) {
        loop {
            if let Err(close) = next(ws).await {
                assert!(close.1.len() <= 123, "{}", close.1);
                return close;
            }
        }
    }

    /// Sends a `ping` and waits for its `pong`: every message sent before has been handled.
    pub async fn ping(ws: &mut Socket) {
        send(ws, json!({ "type": "ping" }).to_string()).await;
        assert_eq!(next(ws).await.unwrap()["type"], "pong");
    }

    pub fn subscribe(id: &str, query: &str) -> String {
        json!({ "id": id, "type": "subscribe", "payload": { "query": query } }).to_string()
    }
}

const RELEASES: &str = "subscription { releasePublished { version } }";

#[tokio::test]
async fn websocket_close_codes_follow_graphql_transport_ws() {
    let app = TestApp::spawn_with(|c| c.request_timeout = Duration::from_millis(500)).await;

    let mut socket = ws::init(app.addr).await;
    ws::send(&mut socket, "{ not json").await;
    assert_eq!(ws::closed_with(&mut socket).await.0, 4400);

    let mut socket = ws::init(app.addr).await;
    ws::send(&mut socket, json!({ "type": "x".repeat(300) }).to_string()).await;
    assert_eq!(ws::closed_with(&mut socket).await.0, 4400);

    let mut socket = ws::connect(app.addr).await;
    ws::send(&mut socket, ws::subscribe("1", RELEASES)).await;
    assert_eq!(ws::closed_with(&mut socket).await.0, 4401);

    let mut socket = ws::connect(app.addr).await;
    assert_eq!(ws::closed_with(&mut socket).await.0, 4408);

    let mut socket = ws::init(app.addr).await;
    ws::send(
        &mut socket,
        json!({ "type": "connection_init" }).to_string(),
    )
    .await;
    assert_eq!(ws::closed_with(&mut socket).await.0, 4429);

    let mut socket = ws::init(app.addr).await;
    ws::send(&mut socket, ws::subscribe("same", RELEASES)).await;
    ws::send(&mut socket, ws::subscribe("same", RELEASES)).await;
    assert_eq!(ws::closed_with(&mut socket).await.0, 4409);

    // ping / pong, and a query answered as next + complete.
    let mut socket = ws::init(app.addr).await;
    ws::send(&mut socket, json!({ "type": "ping" }).to_string()).await;
    assert_eq!(ws::next(&mut socket).await.unwrap()["type"], "pong");
    ws::send(&mut socket, ws::subscribe("q", "{ statistics { kind } }")).await;
    let next = ws::next(&mut socket).await.unwrap();
    assert_eq!(next["type"], "next", "{next}");
    assert!(next["payload"]["data"]["statistics"].is_array());
    assert_eq!(ws::next(&mut socket).await.unwrap()["type"], "complete");
    assert_up(&app).await;
}

#[tokio::test]
async fn websocket_operations_obey_the_http_limits() {
    let app = TestApp::spawn().await;
    let mut socket = ws::init(app.addr).await;
    // Validation errors come as an `error` message with a code.
    ws::send(&mut socket, ws::subscribe("v", "{ noSuchField }")).await;
    let error = ws::next(&mut socket).await.unwrap();
    assert_eq!(error["type"], "error", "{error}");
    assert_eq!(error["id"], "v");
    assert_eq!(error["payload"][0]["extensions"]["code"], "BAD_USER_INPUT");
    // Alias bombs and priced-out requests: the same refusal as over HTTP.
    // 3,000 aliases: 47 KB, under the body limit (a larger message closes the connection).
    let aliases: String = (0..3_000).map(|i| format!("a{i}:__typename ")).collect();
    ws::send(&mut socket, ws::subscribe("a", &format!("{{ {aliases} }}"))).await;
    let error = ws::next(&mut socket).await.unwrap();
    assert_eq!(error["type"], "error", "{error}");
    assert_eq!(error["payload"][0]["extensions"]["code"], "BAD_USER_INPUT");
    let searches: String = (0..500)
        .map(|i| format!("s{i}: search(text: \"a\") {{ kind }} "))
        .collect();
    ws::send(
        &mut socket,
        ws::subscribe("s", &format!("{{ {searches} }}")),
    )
    .await;
    let error = ws::next(&mut socket).await.unwrap();
    assert_eq!(error["type"], "error", "{error}");
    assert!(error["payload"][0]["message"]
        .as_str()
        .unwrap()
        .contains("costs"));
    // A cap on operations at once per connection.
    for i in 0..retex::http::ws::MAX_OPERATIONS {
        ws::send(&mut socket, ws::subscribe(&format!("r{i}"), RELEASES)).await;
    }
    ws::send(&mut socket, ws::subscribe("one-too-many", RELEASES)).await;
    let error = ws::next(&mut socket).await.unwrap();
    assert_eq!(error["id"], "one-too-many", "{error}");
    assert_eq!(error["payload"][0]["extensions"]["code"], "RATE_LIMITED");
    // Completing one frees its place.
    ws::send(
        &mut socket,
        json!({ "id": "r0", "type": "complete" }).to_string(),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    ws::send(&mut socket, ws::subscribe("q", "{ statistics { kind } }")).await;
    assert_eq!(ws::next(&mut socket).await.unwrap()["type"], "next");
    // A message over the body limit closes the connection (1009, message too big); a huge
    // one breaks it before it is read whole.
    ws::send(&mut socket, ws::subscribe("big", &"#".repeat(100_000))).await;
    assert_eq!(ws::closed_with(&mut socket).await.0, 1009);
    let mut socket = ws::init(app.addr).await;
    let _ = futures::SinkExt::send(
        &mut socket,
        tokio_tungstenite::tungstenite::Message::Text(
            ws::subscribe("huge", &"#".repeat(1_000_000)).into(),
        ),
    )
    .await;
    assert!(
        !matches!(
            ws::next_raw(&mut socket).await,
            Some(Ok(tokio_tungstenite::tungstenite::Message::Text(_)))
        ),
        "a huge message is never answered"
    );
    assert_up(&app).await;
}

/// Generated requests (random sequences of GraphQL tokens, seeded): the server answers every
/// one with a clean error or data, never a 5xx, and the text normalisation is stable.
#[tokio::test]
async fn generated_requests_get_clean_answers() {
    let app = TestApp::spawn().await;
    let tokens = [
        "{",
        "}",
        "(",
        ")",
        "...",
        "F",
        "on",
        "QueryRoot",
        "fragment",
        "query",
        "$v",
        ":",
        "\"a\"",
        "#c\n",
        "search",
        "text",
        "solution",
        "id",
        "alternatives",
        "libre",
        "replaces",
        "first",
        "1",
        "-1",
        "3000000000",
        "__typename",
        "a:",
        "@skip(if: true)",
        ",",
        "statistics",
        "kind",
        "needs",
        "edges",
        "node",
        "subscription",
        "mutation",
        "\"\"\"x # y\"\"\"",
        "\"\\\"\"",
        "[",
        "]",
        "Int",
        "!",
        "=",
    ];
    let mut rng = fastrand::Rng::with_seed(2026);
    for _ in 0..300 {
        let n = rng.usize(1..60);
        let query: Vec<&str> = (0..n).map(|_| tokens[rng.usize(..tokens.len())]).collect();
        let query = query.join(" ");
        let normal = retex::http::documents::normalise(&query);
        assert_eq!(
            retex::http::documents::normalise(&normal),
            normal,
            "{query}"
        );
        let (status, body) = post_query(&app, &query).await;
        assert!(
            status == 200 || status == 400,
            "{status} for {query}: {body}"
        );
        assert!(
            body.get("data").is_some() || !error_codes(&body).is_empty(),
            "{query}: {body}"
        );
    }
    assert_up(&app).await;
}

/// Every numeric argument or input field that cannot be negative or huge is an `Int` whose
/// description states its range (`0 to 100`, `300 to 2147483647`...).
#[test]
fn every_numeric_input_states_its_range() {
    use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
    let sdl = retex::api::sdl();
    let document = async_graphql::parser::parse_schema(&sdl).expect("the SDL parses");
    let states_range = |description: Option<&str>| {
        let words: Vec<&str> = description.unwrap_or_default().split_whitespace().collect();
        words.windows(3).any(|w| {
            w[1] == "to"
                && w[0]
                    .trim_matches(|c: char| !c.is_ascii_digit())
                    .parse::<u64>()
                    .is_ok()
                && w[2]
                    .trim_matches(|c: char| !c.is_ascii_digit())
                    .parse::<u64>()
                    .is_ok()
        })
    };
    let numeric = |ty: &str| matches!(ty.trim_end_matches('!'), "Int" | "Float");
    let mut checked = 0;
    let mut missing = Vec::new();
    for definition in &document.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let type_name = ty.node.name.node.as_str();
        match &ty.node.kind {
            TypeKind::Object(object) => {
                for field in &object.fields {
                    for arg in &field.node.arguments {
                        if numeric(&arg.node.ty.node.to_string()) {
                            checked += 1;
                            if !states_range(arg.node.description.as_ref().map(|d| d.node.as_str()))
                            {
                                missing.push(format!(
                                    "{type_name}.{}({})",
                                    field.node.name.node, arg.node.name.node
                                ));
                            }
                        }
                    }
                }
            }
            TypeKind::InputObject(input) => {
                for field in &input.fields {
                    if numeric(&field.node.ty.node.to_string()) {
                        checked += 1;
                        if !states_range(field.node.description.as_ref().map(|d| d.node.as_str())) {
                            missing.push(format!("{type_name}.{}", field.node.name.node));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    assert!(checked >= 25, "only {checked} numeric inputs found");
    assert!(
        missing.is_empty(),
        "no range in the description of {missing:?}"
    );
}

/// Negative and huge values of unsigned inputs are refused with `BAD_USER_INPUT`, the message
/// naming the argument, whether written in the query or passed as a variable.
#[tokio::test]
async fn unsigned_inputs_refuse_negative_and_huge_values_naming_the_argument() {
    let app = TestApp::spawn().await;
    let cases = [
        // Input fields of a filter.
        ("{ collectivities(filter: { populationMin: 3000000000 }) { totalCount } }", "populationMin"),
        ("{ collectivities(filter: { populationMin: -1 }) { totalCount } }", "populationMin"),
        ("{ collectivities(filter: { populationMax: -5 }) { totalCount } }", "populationMax"),
        // Page sizes.
        ("{ solutions(first: 3000000000) { totalCount } }", "first"),
        ("{ solutions(first: -1) { totalCount } }", "first"),
        ("{ history(node: \"solution:nextcloud\", first: 101) { totalCount } }", "first"),
        ("{ search(text: \"visio\", first: -1) { kind } }", "first"),
        ("{ peers(of: \"collectivity:fr-commune-38151\", first: -3) { similarity { score { total } } } }", "first"),
        ("{ experience(need: \"need:file-sharing\", first: 3000000000) { totalCount } }", "first"),
        ("{ adoptionPaths(from: \"solution:zoom\", adopters: -1) { totalCount } }", "adopters"),
        // Days.
        ("{ alerts(collectivity: \"collectivity:fr-commune-38151\", withinDays: -1) { kind } }", "withinDays"),
        ("{ alerts(collectivity: \"collectivity:fr-commune-38151\", withinDays: 3000000000) { kind } }", "withinDays"),
    ];
    for (query, argument) in cases {
        let answer = app.query(query).await;
        assert_eq!(
            error_codes(&answer),
            ["BAD_USER_INPUT"],
            "{query}: {answer}"
        );
        let text = message(&answer);
        assert!(text.contains(argument), "{query}: {text}");
    }
    // The same through variables: a huge one fails as its variable, a negative one as the field.
    let filter = "query($f: CollectivityFilter) { collectivities(filter: $f) { totalCount } }";
    let huge = app
        .query_with(
            filter,
            json!({ "f": { "populationMin": 3_000_000_000u64 } }),
        )
        .await;
    assert_eq!(error_codes(&huge), ["BAD_USER_INPUT"], "{huge}");
    assert!(message(&huge).contains("populationMin"), "{huge}");
    let negative = app
        .query_with(filter, json!({ "f": { "populationMax": -1 } }))
        .await;
    assert_eq!(error_codes(&negative), ["BAD_USER_INPUT"], "{negative}");
    assert!(message(&negative).contains("`populationMax`"), "{negative}");
    // In range, the filter still works.
    let big = app
        .data("{ collectivities(filter: { populationMin: 100000, populationMax: 2147483647 }) { totalCount } }")
        .await;
    assert!(
        big["collectivities"]["totalCount"].as_u64().is_some(),
        "{big}"
    );
}

/// Unsigned fields of mutation inputs (`scale`, `sill`, `comptoir`, `intervalSeconds`): refused
/// out of range with the field named, before anything is written.
#[tokio::test]
async fn unsigned_mutation_inputs_are_refused_out_of_range() {
    use retex::domain::Scope;
    let app = TestApp::spawn().await;
    let (_, admin) = app.token(None, &[Scope::Admin]).await;
    let adoption =
        "mutation($input: CreateAdoptionInput!) { createAdoption(input: $input) { id } }";
    let solution = "mutation($input: SolutionInput!) { saveSolution(input: $input) { id } }";
    let watch = "mutation($input: WatchSourceInput!) { createWatchSource(input: $input) { id } }";
    let new_adoption = |scale: Value| {
        json!({ "input": {
            "collectivity": "collectivity:fr-commune-38169", "solution": "solution:nextcloud",
            "need": "need:file-sharing", "status": "PILOT", "statusDate": "2025-01",
            "sources": ["source:interview-vivant-2025"], "scale": scale
        }})
    };
    let new_solution = |field: &str, value: Value| {
        let mut input = json!({ "id": "solution:bounded-tool", "name": "Bounded tool", "kind": "PROPRIETARY", "needs": ["need:office-suite"] });
        input[field] = value;
        json!({ "input": input })
    };
    let new_watch = |interval: Value| json!({ "input": { "solution": "solution:nextcloud", "endoflife": "nextcloud-bounded", "intervalSeconds": interval } });
    let cases = [
        (adoption, new_adoption(json!(-1)), "scale"),
        (adoption, new_adoption(json!(3_000_000_000u64)), "scale"),
        (solution, new_solution("sill", json!(0)), "sill"),
        (solution, new_solution("sill", json!(-7)), "sill"),
        (
            solution,
            new_solution("comptoir", json!(4_294_967_296u64)),
            "comptoir",
        ),
        (watch, new_watch(json!(-1)), "intervalSeconds"),
        (watch, new_watch(json!(3_000_000_000u64)), "intervalSeconds"),
    ];
    for (query, variables, field) in cases {
        let answer = app.gql(Some(&admin), query, variables.clone()).await;
        assert_eq!(
            error_codes(&answer),
            ["BAD_USER_INPUT"],
            "{variables}: {answer}"
        );
        assert!(message(&answer).contains(field), "{variables}: {answer}");
    }
    // Nothing was written.
    let missing = app
        .query("{ solution(id: \"solution:bounded-tool\") { name } }")
        .await;
    assert_eq!(error_codes(&missing), ["NOT_FOUND"], "{missing}");
    // In range, they are accepted.
    let created = app
        .gql(Some(&admin), adoption, new_adoption(json!(250)))
        .await;
    assert!(created["errors"].is_null(), "{created}");
}

/// Many connections from one address cannot run more than the per-address cap of operations
/// in total; another address (behind a trusted proxy) has its own; completing one frees a place.
#[tokio::test]
async fn websocket_operations_are_capped_per_address() {
    let app = TestApp::spawn_with(|c| {
        c.ws_operations_per_address = 3;
        c.trusted_proxies = retex::http::client::TrustedProxies::parse(&["127.0.0.1"]).unwrap();
    })
    .await;
    let mut first = ws::init_from(app.addr, Some("198.51.100.1")).await;
    let mut second = ws::init_from(app.addr, Some("198.51.100.1")).await;
    for id in ["a", "b"] {
        ws::send(&mut first, ws::subscribe(id, RELEASES)).await;
    }
    // A connection's messages are handled in order: its pong says both are running.
    ws::ping(&mut first).await;
    ws::send(&mut second, ws::subscribe("c", RELEASES)).await;
    ws::send(&mut second, ws::subscribe("d", RELEASES)).await;
    let refused = ws::next(&mut second).await.unwrap();
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["id"], "d", "{refused}");
    assert_eq!(refused["payload"][0]["extensions"]["code"], "RATE_LIMITED");
    assert!(refused["payload"][0]["message"]
        .as_str()
        .unwrap()
        .contains("from one address"));
    // Another client behind the same proxy is not counted with the first.
    let mut other = ws::init_from(app.addr, Some("198.51.100.2")).await;
    ws::send(&mut other, ws::subscribe("q", "{ statistics { kind } }")).await;
    assert_eq!(ws::next(&mut other).await.unwrap()["type"], "next");
    // Completing an operation frees its place.
    ws::send(
        &mut first,
        json!({ "id": "a", "type": "complete" }).to_string(),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    ws::send(&mut second, ws::subscribe("q", "{ statistics { kind } }")).await;
    let answer = ws::next(&mut second).await.unwrap();
    assert_eq!(answer["type"], "next", "{answer}");
    // Closing a connection gives its places back.
    drop(first);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut third = ws::init_from(app.addr, Some("198.51.100.1")).await;
    for id in ["e", "f"] {
        ws::send(&mut third, ws::subscribe(id, RELEASES)).await;
    }
    ws::ping(&mut third).await;
    ws::send(&mut third, ws::subscribe("g", RELEASES)).await;
    let refused = ws::next(&mut third).await.unwrap();
    assert_eq!(refused["id"], "g", "{refused}");
    assert_eq!(refused["payload"][0]["extensions"]["code"], "RATE_LIMITED");
    assert_up(&app).await;

    // Without trusted proxies, a forged `X-Forwarded-For` does not escape the cap.
    let app = TestApp::spawn_with(|c| c.ws_operations_per_address = 1).await;
    let mut one = ws::init_from(app.addr, Some("203.0.113.1")).await;
    ws::send(&mut one, ws::subscribe("a", RELEASES)).await;
    ws::ping(&mut one).await;
    let mut forged = ws::init_from(app.addr, Some("203.0.113.2")).await;
    ws::send(&mut forged, ws::subscribe("b", RELEASES)).await;
    let refused = ws::next(&mut forged).await.unwrap();
    assert_eq!(
        refused["payload"][0]["extensions"]["code"], "RATE_LIMITED",
        "{refused}"
    );
}

/// The limits the README lists that no test above refuses: one operation per request (a
/// batch is refused), mutations only over POST, writes per minute per token and per address.
#[tokio::test]
async fn batches_mutations_over_get_and_write_floods_are_refused() {
    let app = TestApp::spawn_with(|c| c.limits.writes_per_minute = 2).await;
    let batch =
        json!([{ "query": "{ statistics { kind } }" }, { "query": "{ needs { totalCount } }" }]);
    let (status, body) = post_raw(
        &app,
        Some("application/json"),
        batch.to_string().into_bytes(),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_codes(&body), ["BAD_USER_INPUT"]);
    assert!(message(&body).contains("batched"), "{body}");

    let response = app
        .client()
        .get(app.url("/graphql"))
        .query(&[("query", "mutation { createSource(input: { id: \"source:g\", title: \"g\", kind: ARTICLE }) { id } }")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);

    let (_, token) = app
        .token(
            Some("collectivity:fr-commune-38151"),
            &[retex::domain::Scope::AdoptionsWrite],
        )
        .await;
    let write = |i: usize| json!({ "input": { "id": format!("source:flood-{i}"), "title": "Flood", "kind": "ARTICLE" } });
    let query = "mutation($input: SourceInput!) { createSource(input: $input) { id } }";
    let mut codes = Vec::new();
    for i in 0..4 {
        codes.push(error_codes(&app.gql(Some(&token), query, write(i)).await));
    }
    assert!(codes[0].is_empty() && codes[1].is_empty(), "{codes:?}");
    assert_eq!(codes[3], ["RATE_LIMITED"], "{codes:?}");
    assert_up(&app).await;
}
