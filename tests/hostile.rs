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
