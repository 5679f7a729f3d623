//! Kept answers served from the request's bytes with their entity tags, nodes kept for the
//! next anonymous query until a write, and a health check that costs no store query.

mod common;

use common::TestApp;
use serde_json::{json, Value};

const COUNT: &str = "{ sources(first: 1) { totalCount } }";

async fn post(app: &TestApp, body: &Value, if_none_match: Option<&str>) -> reqwest::Response {
    let mut request = app.client().post(app.url("/graphql")).json(body);
    if let Some(tag) = if_none_match {
        request = request.header("If-None-Match", tag);
    }
    request.send().await.expect("request sent")
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_repeated_question_is_answered_from_its_bytes_with_an_entity_tag() {
    let app = TestApp::spawn().await;
    let body = json!({ "query": COUNT });
    let first = post(&app, &body, None).await;
    assert_eq!(header(&first, "x-retex-cache"), "miss");
    let tag = header(&first, "etag");
    let answer: Value = first.json().await.unwrap();
    assert!(answer["data"]["sources"]["totalCount"].as_u64().unwrap() > 0);

    let second = post(&app, &body, None).await;
    assert_eq!(header(&second, "x-retex-cache"), "hit");
    assert_eq!(header(&second, "etag"), tag);
    assert_eq!(second.json::<Value>().await.unwrap(), answer);

    // The client holds it already: 304, no body.
    let unchanged = post(&app, &body, Some(&tag)).await;
    assert_eq!(unchanged.status(), 304);
    assert_eq!(header(&unchanged, "etag"), tag);
    assert!(unchanged.bytes().await.unwrap().is_empty());
    let stale = post(&app, &body, Some("\"r0-0000000000000000\"")).await;
    assert_eq!(stale.status(), 200);

    // A write moves the revision: the same bytes are computed again, with another tag.
    let (_, admin) = app.token(None, &[retex::domain::Scope::Admin]).await;
    let created = app
        .gql(
            Some(&admin),
            "mutation($input: SourceInput!) { createSource(input: $input) { id } }",
            json!({ "input": { "id": "source:etag-test", "title": "ETag test", "kind": "ARTICLE" } }),
        )
        .await;
    assert!(created.get("errors").is_none(), "{created}");
    let after = post(&app, &body, Some(&tag)).await;
    assert_eq!(
        after.status(),
        200,
        "the old tag no longer names the answer"
    );
    assert_eq!(header(&after, "x-retex-cache"), "miss");
    assert_ne!(header(&after, "etag"), tag);
    let fresh: Value = after.json().await.unwrap();
    assert_eq!(
        fresh["data"]["sources"]["totalCount"].as_u64().unwrap(),
        answer["data"]["sources"]["totalCount"].as_u64().unwrap() + 1
    );
}

#[tokio::test]
async fn get_requests_are_kept_by_their_query_string_and_tokens_never_hit() {
    let app = TestApp::spawn().await;
    let url = app.url(&format!(
        "/graphql?query={}",
        "%7B%20needs(first%3A%201)%20%7B%20totalCount%20%7D%20%7D"
    ));
    let first = app.client().get(&url).send().await.unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(header(&first, "x-retex-cache"), "miss");
    let second = app.client().get(&url).send().await.unwrap();
    assert_eq!(header(&second, "x-retex-cache"), "hit");

    let (_, admin) = app.token(None, &[retex::domain::Scope::Admin]).await;
    let body = json!({ "query": COUNT });
    assert_eq!(
        header(&post(&app, &body, None).await, "x-retex-cache"),
        "miss"
    );
    let with_token = app
        .client()
        .post(app.url("/graphql"))
        .bearer_auth(&admin)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(header(&with_token, "x-retex-cache"), "none");
}

const PEERS: &str = r#"{ peers(of: "collectivity:fr-commune-38151", first: 3) { collectivity { id } similarity { score { total } } } }"#;

#[tokio::test]
async fn an_answer_that_read_only_the_analysis_index_outlives_writes_until_the_index_changes() {
    let app = TestApp::spawn().await;
    let body = json!({ "query": PEERS });
    let first = post(&app, &body, None).await;
    assert_eq!(header(&first, "x-retex-cache"), "miss");
    let tag = header(&first, "etag");
    assert!(tag.starts_with("\"i"), "kept under the index: {tag}");
    let index = header(&first, "x-retex-index-revision");
    let answer: Value = first.json().await.unwrap();
    assert_eq!(
        answer["data"]["peers"][0]["collectivity"]["id"], "collectivity:fr-commune-38169",
        "{answer}"
    );

    // A write moves the store's revision: the answer still stands (it read only the index,
    // and an index this young still answers anonymous readers), with the same tag.
    let (_, admin) = app.token(None, &[retex::domain::Scope::Admin]).await;
    let created = app
        .gql(
            Some(&admin),
            "mutation($input: SourceInput!) { createSource(input: $input) { id } }",
            json!({ "input": { "id": "source:index-basis-test", "title": "Index basis", "kind": "ARTICLE" } }),
        )
        .await;
    assert!(created.get("errors").is_none(), "{created}");
    let after_write = post(&app, &body, None).await;
    assert_eq!(header(&after_write, "x-retex-cache"), "hit");
    assert_eq!(header(&after_write, "etag"), tag);
    assert_eq!(header(&after_write, "x-retex-index-revision"), index);
    assert_eq!(after_write.json::<Value>().await.unwrap(), answer);

    // Once the index may be rebuilt, the next asking waits for the new index (a quick build)
    // and is computed on it.
    tokio::time::sleep(retex::analysis::REBUILD_AT_MOST_EVERY).await;
    let rebuilt = post(&app, &body, None).await;
    assert_eq!(header(&rebuilt, "x-retex-cache"), "miss");
    let newer: u64 = header(&rebuilt, "x-retex-index-revision").parse().unwrap();
    assert!(newer > index.parse::<u64>().unwrap());
    assert_ne!(header(&rebuilt, "etag"), tag);
}

/// The store calls of one method counted in `/metrics`.
fn store_calls(metrics: &str, method: &str) -> u64 {
    let prefix = format!("retex_store_calls_total{{method=\"{method}\"");
    metrics
        .lines()
        .filter(|l| l.starts_with(&prefix))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

/// The store's health queries counted in `/metrics`.
async fn health_calls(app: &TestApp) -> u64 {
    store_calls(&metrics(app).await, "health")
}

async fn metrics(app: &TestApp) -> String {
    let response = app.client().get(app.url("/metrics")).send().await.unwrap();
    response.text().await.unwrap()
}

/// A solution's adoptions and their outcomes, under an alias so that each asking is a new
/// request (not a kept answer) reading the same nodes.
fn adoptions_with_outcomes(alias: &str) -> String {
    format!(
        "{{ {alias}: solution(id: \"solution:bigbluebutton\") {{ name adoptions(first: 20) {{
           edges {{ node {{ id outcomes {{ kind }} }} }} }} }} }}"
    )
}

fn outcome_count(answer: &Value, alias: &str, adoption: &str) -> usize {
    answer["data"][alias]["adoptions"]["edges"]
        .as_array()
        .expect("adoptions")
        .iter()
        .find(|e| e["node"]["id"] == adoption)
        .unwrap_or_else(|| panic!("{adoption} in {answer}"))["node"]["outcomes"]
        .as_array()
        .expect("outcomes")
        .len()
}

#[tokio::test]
async fn nodes_one_anonymous_query_read_serve_the_next_until_a_write() {
    let app = TestApp::spawn().await;
    const ADOPTION: &str = "adoption:fontaine-bigbluebutton";
    const READS: [&str; 3] = ["solutions", "adoptions_by_parent", "outcomes_of"];
    let calls = |metrics: &str| READS.map(|m| store_calls(metrics, m));

    let first = app.query(&adoptions_with_outcomes("a")).await;
    let outcomes = outcome_count(&first, "a", ADOPTION);
    let after_first = calls(&metrics(&app).await);
    assert!(after_first.iter().all(|n| *n > 0), "{after_first:?}");

    // Another query (other bytes, so no kept answer) reading the same nodes at the same store
    // revision asks the store nothing.
    let second = app.query(&adoptions_with_outcomes("b")).await;
    assert_eq!(second["data"]["b"], first["data"]["a"]);
    assert_eq!(calls(&metrics(&app).await), after_first);

    // A write moves the revision: the next reader reads the store again and sees the write.
    let (_, token) = app
        .token(
            Some("collectivity:fr-commune-38169"),
            &[retex::domain::Scope::AdoptionsWrite],
        )
        .await;
    let created = app
        .gql(
            Some(&token),
            "mutation($input: CreateOutcomeInput!) { createOutcome(input: $input) { id } }",
            json!({ "input": { "adoption": ADOPTION, "kind": "SUCCESS", "summary": { "en": "fine" } } }),
        )
        .await;
    assert!(created.get("errors").is_none(), "{created}");
    let third = app.query(&adoptions_with_outcomes("c")).await;
    assert_eq!(outcome_count(&third, "c", ADOPTION), outcomes + 1);
    let after_write = calls(&metrics(&app).await);
    assert!(
        after_write
            .iter()
            .zip(after_first)
            .all(|(now, then)| *now > then),
        "{after_first:?} → {after_write:?}"
    );
}

#[tokio::test]
async fn without_a_node_cache_every_query_reads_the_store() {
    let app = TestApp::spawn_with(|config| config.node_cache_entries = 0).await;
    app.query(&adoptions_with_outcomes("a")).await;
    let before = store_calls(&metrics(&app).await, "outcomes_of");
    app.query(&adoptions_with_outcomes("b")).await;
    assert_eq!(store_calls(&metrics(&app).await, "outcomes_of"), before + 1);
}

#[tokio::test]
async fn health_answers_from_the_last_known_state_and_ready_asks_the_store() {
    let app = TestApp::spawn().await;
    let before = health_calls(&app).await;
    for _ in 0..50 {
        let health = app.client().get(app.url("/health")).send().await.unwrap();
        assert_eq!(health.status(), 200);
    }
    let after = health_calls(&app).await;
    // At most the background check (every second) ran meanwhile; 50 polls cost no query.
    assert!(after - before <= 2, "{before} → {after} health queries");

    let ready = app.client().get(app.url("/ready")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert!(health_calls(&app).await > after, "/ready asks the store");
}
