//! Writing through the API: every mutation's happy path, validation error, missing or bad
//! token, another collectivity's data, stale version, and idempotent retry; history records
//! every change with its author token's id.

mod common;

use common::{error_codes, TestApp};
use retex::domain::Scope;
use serde_json::{json, Value};

const A: &str = "collectivity:fr-commune-38151";
const B: &str = "collectivity:fr-commune-38169";
const A_ADOPTION: &str = "adoption:echirolles-gnu-linux";
const B_ADOPTION: &str = "adoption:fontaine-bigbluebutton";

const CREATE_ADOPTION: &str =
    "mutation($input: CreateAdoptionInput!, $key: String, $comment: String) {
  createAdoption(input: $input, idempotencyKey: $key, comment: $comment) {
    id version status statusHistory { status date } collectivity { id }
  } }";
const UPDATE_ADOPTION: &str = "mutation($input: UpdateAdoptionInput!, $comment: String) {
  updateAdoption(input: $input, comment: $comment) { id version status ended scale statusHistory { status date } } }";
const RETIRE_ADOPTION: &str = "mutation($id: ID!, $v: String!, $ended: String) {
  retireAdoption(id: $id, expectedVersion: $v, ended: $ended, comment: \"stopped\") { id version status ended } }";
const CREATE_OUTCOME: &str = "mutation($input: CreateOutcomeInput!, $key: String) {
  createOutcome(input: $input, idempotencyKey: $key) { id version kind date } }";
const UPDATE_OUTCOME: &str = "mutation($input: UpdateOutcomeInput!) {
  updateOutcome(input: $input) { id version kind } }";
const SET_CONTACT: &str = "mutation($c: ID!, $v: String!, $contact: ContactInput, $public: Boolean!) {
  setCollectivityContact(collectivity: $c, expectedVersion: $v, contact: $contact, public: $public) {
    id version contact { role mailbox url } } }";
const CREATE_SOURCE: &str = "mutation($input: SourceInput!, $key: String) {
  createSource(input: $input, idempotencyKey: $key) { id title } }";
const SAVE_NEED: &str = "mutation($input: NeedInput!, $v: String) {
  saveNeed(input: $input, expectedVersion: $v) { id version } }";
const SAVE_PUBLISHER: &str = "mutation($input: PublisherInput!, $v: String) {
  savePublisher(input: $input, expectedVersion: $v) { id version } }";
const SAVE_SOLUTION: &str = "mutation($input: SolutionInput!, $v: String) {
  saveSolution(input: $input, expectedVersion: $v) { id version status } }";
const SAVE_ALTERNATIVE: &str = "mutation($input: AlternativeInput!, $v: String) {
  saveAlternative(input: $input, expectedVersion: $v) { id confidence } }";
const RETIRE_OUTCOME: &str = "mutation($id: ID!, $v: String!, $comment: String) {
  retireOutcome(id: $id, expectedVersion: $v, comment: $comment) { id version kind retired } }";
const RETIRE_SOURCE: &str = "mutation($id: ID!, $v: String!, $comment: String) {
  retireSource(id: $id, expectedVersion: $v, comment: $comment) { id version retired } }";
const RETIRE_NEED: &str = "mutation($id: ID!, $v: String!, $comment: String) {
  retireNeed(id: $id, expectedVersion: $v, comment: $comment) { id version retired } }";
const WATCH_FIELDS: &str = "id version kind url intervalSeconds retired solution { id }";
const CREATE_WATCH: &str = "mutation($input: WatchSourceInput!, $key: String, $comment: String) {
  createWatchSource(input: $input, idempotencyKey: $key, comment: $comment) { __FIELDS__ } }";
const UPDATE_WATCH: &str = "mutation($input: UpdateWatchSourceInput!, $comment: String) {
  updateWatchSource(input: $input, comment: $comment) { __FIELDS__ } }";
const RETIRE_WATCH: &str = "mutation($id: ID!, $v: String!, $comment: String) {
  retireWatchSource(id: $id, expectedVersion: $v, comment: $comment) { __FIELDS__ } }";
const B_OUTCOME: &str = "outcome:fontaine-bigbluebutton--1";
const ZERO: &str = "0000000000000000";

/// A watch-source mutation with its selection.
fn watch_query(template: &'static str) -> &'static str {
    Box::leak(
        template
            .replace("__FIELDS__", WATCH_FIELDS)
            .into_boxed_str(),
    )
}

fn codes(answer: &Value) -> Vec<String> {
    error_codes(answer)
}

fn ok(answer: &Value, field: &str) -> Value {
    assert!(
        answer.get("errors").is_none(),
        "unexpected errors: {answer}"
    );
    answer["data"][field].clone()
}

fn new_adoption(collectivity: &str) -> Value {
    json!({ "input": {
        "collectivity": collectivity, "solution": "solution:nextcloud",
        "need": "need:file-sharing", "status": "PILOT", "statusDate": "2025-01",
        "sources": ["source:interview-vivant-2025"]
    }})
}

async fn maybe_version(app: &TestApp, id: &str) -> Option<String> {
    let data = if id.starts_with("watch:") {
        app.gql(
            None,
            "query($id: ID!) { node: watchSource(id: $id) { version } }",
            json!({ "id": id }),
        )
        .await
    } else {
        app.gql(
            None,
            "query($id: ID!) { node(id: $id) { ... on Adoption { version } ... on Outcome { version }
             ... on Collectivity { version } ... on Solution { version } ... on Need { version }
             ... on Source { version } } }",
            json!({ "id": id }),
        )
        .await
    };
    data["data"]["node"]["version"].as_str().map(str::to_owned)
}

async fn version_of(app: &TestApp, id: &str) -> String {
    maybe_version(app, id).await.expect("a version")
}

const HISTORY_FIELDS: &str = "node author action comment before after";

async fn history(app: &TestApp, node: &str) -> Vec<Value> {
    let answer = app
        .gql(
            None,
            &format!(
                "query($n: ID!) {{ history(node: $n, first: 100) {{ edges {{ node {{ {HISTORY_FIELDS} }} }} }} }}"
            ),
            json!({ "n": node }),
        )
        .await;
    ok(&answer, "history")["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

/// Every mutation, aimed at collectivity B's data or at the catalogue, with valid input.
async fn every_mutation(app: &TestApp) -> Vec<(&'static str, &'static str, Value)> {
    let b_version = version_of(app, B_ADOPTION).await;
    let b_coll_version = version_of(app, B).await;
    vec![
        ("createAdoption", CREATE_ADOPTION, new_adoption(B)),
        (
            "updateAdoption",
            UPDATE_ADOPTION,
            json!({ "input": { "id": B_ADOPTION, "expectedVersion": b_version, "scale": 10 } }),
        ),
        (
            "retireAdoption",
            RETIRE_ADOPTION,
            json!({ "id": B_ADOPTION, "v": b_version }),
        ),
        (
            "createOutcome",
            CREATE_OUTCOME,
            json!({ "input": { "adoption": B_ADOPTION, "kind": "SUCCESS", "summary": { "en": "fine" } } }),
        ),
        (
            "setCollectivityContact",
            SET_CONTACT,
            json!({ "c": B, "v": b_coll_version, "contact": { "role": "DSI", "mailbox": "dsi@example.org" }, "public": true }),
        ),
        (
            "saveNeed",
            SAVE_NEED,
            json!({ "input": { "id": "need:test-need", "label": { "en": "Test" } } }),
        ),
        (
            "savePublisher",
            SAVE_PUBLISHER,
            json!({ "input": { "id": "publisher:test-co", "name": "Test Co", "kind": "COMPANY" } }),
        ),
        (
            "saveSolution",
            SAVE_SOLUTION,
            json!({ "input": { "id": "solution:test-tool", "name": "Test tool", "kind": "PROPRIETARY", "needs": ["need:office-suite"] } }),
        ),
        (
            "saveAlternative",
            SAVE_ALTERNATIVE,
            json!({ "input": { "libre": "solution:libreoffice", "proprietary": "solution:nextcloud", "confidence": "PARTIAL", "kind": "SOFTWARE" } }),
        ),
        (
            "retireOutcome",
            RETIRE_OUTCOME,
            json!({ "id": B_OUTCOME, "v": maybe_version(app, B_OUTCOME).await }),
        ),
        (
            "retireNeed",
            RETIRE_NEED,
            json!({ "id": "need:test-need", "v": maybe_version(app, "need:test-need").await.unwrap_or_else(|| ZERO.to_owned()) }),
        ),
        (
            "retireSource",
            RETIRE_SOURCE,
            json!({ "id": "source:interview-vivant-2025", "v": version_of(app, "source:interview-vivant-2025").await }),
        ),
        (
            "createWatchSource",
            watch_query(CREATE_WATCH),
            json!({ "input": { "solution": "solution:libreoffice", "id": "watch:libreoffice-feed", "feed": "https://example.org/libreoffice.atom" } }),
        ),
        (
            "updateWatchSource",
            watch_query(UPDATE_WATCH),
            json!({ "input": { "id": "watch:peertube-github", "expectedVersion": version_of(app, "watch:peertube-github").await, "intervalSeconds": 3600 } }),
        ),
        (
            "retireWatchSource",
            watch_query(RETIRE_WATCH),
            json!({ "id": "watch:moodle-endoflife", "v": version_of(app, "watch:moodle-endoflife").await }),
        ),
    ]
}

#[tokio::test]
async fn writes_without_a_valid_token_are_unauthenticated() {
    let app = TestApp::spawn().await;
    let (revoked_id, revoked) = app.token(Some(B), &[Scope::Admin]).await;
    app.store
        .revoke_token(revoked_id, chrono::Utc::now())
        .await
        .unwrap();
    let past = chrono::Utc::now() - chrono::Duration::hours(1);
    let (_, expired) = app
        .token_expiring(Some(B), &[Scope::Admin], Some(past))
        .await;
    let bad_tokens: Vec<Option<&str>> = vec![
        None,
        Some("rtx_not-a-real-token"),
        Some("garbage"),
        Some(&revoked),
        Some(&expired),
    ];
    let mut mutations = every_mutation(&app).await;
    mutations.push((
        "createSource",
        CREATE_SOURCE,
        json!({ "input": { "id": "source:s", "title": "S", "kind": "ARTICLE" } }),
    ));
    mutations.push((
        "updateOutcome",
        UPDATE_OUTCOME,
        json!({ "input": { "id": "outcome:anything--1", "expectedVersion": "0" } }),
    ));
    for (name, query, vars) in mutations {
        for token in &bad_tokens {
            let answer = app.gql(*token, query, vars.clone()).await;
            assert_eq!(
                codes(&answer),
                ["UNAUTHENTICATED"],
                "{name} with {token:?}: {answer}"
            );
        }
    }
    // Nothing is checked before the token: not the input, not whether the node exists.
    let mut bad_input = new_adoption(B);
    bad_input["input"]["need"] = json!("Not An Id");
    let answer = app.gql(None, CREATE_ADOPTION, bad_input).await;
    assert_eq!(codes(&answer), ["UNAUTHENTICATED"], "{answer}");
    let answer = app
        .gql(
            None,
            RETIRE_ADOPTION,
            json!({ "id": "adoption:nothing", "v": "0" }),
        )
        .await;
    assert_eq!(codes(&answer), ["UNAUTHENTICATED"], "{answer}");
    // Reads stay public, whatever the header says.
    let answer = app
        .gql(Some("garbage"), "{ statistics { kind count } }", json!({}))
        .await;
    assert!(answer.get("errors").is_none(), "{answer}");
}

#[tokio::test]
async fn a_collectivity_cannot_write_for_another_nor_edit_the_catalogue() {
    let app = TestApp::spawn().await;
    let (_, a_token) = app.token(Some(A), &[Scope::AdoptionsWrite]).await;
    for (name, query, vars) in every_mutation(&app).await {
        let answer = app.gql(Some(&a_token), query, vars).await;
        assert_eq!(codes(&answer), ["FORBIDDEN"], "{name}: {answer}");
    }
    assert!(
        history(&app, B_ADOPTION).await.is_empty(),
        "nothing was written"
    );
    // A curator may edit the catalogue but not a collectivity's adoptions.
    let (_, curator) = app.token(None, &[Scope::Curator]).await;
    let answer = app
        .gql(Some(&curator), CREATE_ADOPTION, new_adoption(B))
        .await;
    assert_eq!(codes(&answer), ["FORBIDDEN"], "{answer}");
}

#[tokio::test]
async fn every_mutation_works_for_an_admin_and_is_in_history() {
    let app = TestApp::spawn().await;
    let (admin_id, admin) = app.token(None, &[Scope::Admin]).await;
    let count = every_mutation(&app).await.len();
    for i in 0..count {
        // Versions change as the loop writes: read them again each time.
        let (name, query, vars) = every_mutation(&app).await.into_iter().nth(i).unwrap();
        let answer = app.gql(Some(&admin), query, vars.clone()).await;
        let node = ok(&answer, name);
        let id = node["id"].as_str().unwrap().to_owned();
        let entries = history(&app, &id).await;
        assert!(!entries.is_empty(), "{name} left no history");
        assert_eq!(entries[0]["author"], admin_id.as_str(), "{name}");
        assert_eq!(entries[0]["node"], id.as_str());
        // A retry of a creation without a key does not create twice: the node exists.
        if name.starts_with("create") || name.starts_with("save") {
            let again = app.gql(Some(&admin), query, vars).await;
            if name != "createOutcome" {
                assert_eq!(codes(&again), ["CONFLICT"], "{name}: {again}");
            }
        }
    }
}

#[tokio::test]
async fn an_adoption_lives_and_keeps_its_status_history() {
    let app = TestApp::spawn().await;
    let (token_id, token) = app.token(Some(A), &[Scope::AdoptionsWrite]).await;
    let mut vars = new_adoption(A);
    vars["comment"] = json!("we start a pilot");
    let created = ok(
        &app.gql(Some(&token), CREATE_ADOPTION, vars).await,
        "createAdoption",
    );
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(id, "adoption:fr-commune-38151--nextcloud");
    assert_eq!(
        created["statusHistory"],
        json!([{ "status": "PILOT", "date": "2025-01" }])
    );

    let updated = ok(
        &app.gql(
            Some(&token),
            UPDATE_ADOPTION,
            json!({ "input": { "id": id, "expectedVersion": created["version"], "status": "DEPLOYED", "statusDate": "2025-06-01", "scale": 400 }, "comment": "everyone" }),
        )
        .await,
        "updateAdoption",
    );
    assert_eq!(updated["status"], "DEPLOYED");
    assert_eq!(updated["scale"], 400);
    assert_eq!(
        updated["statusHistory"],
        json!([{ "status": "PILOT", "date": "2025-01" }, { "status": "DEPLOYED", "date": "2025-06-01" }])
    );
    assert_ne!(updated["version"], created["version"]);

    let retired = ok(
        &app.gql(
            Some(&token),
            RETIRE_ADOPTION,
            json!({ "id": id, "v": updated["version"], "ended": "2026-01" }),
        )
        .await,
        "retireAdoption",
    );
    assert_eq!(retired["status"], "ABANDONED");
    assert_eq!(retired["ended"], "2026-01");

    let entries = history(&app, &id).await;
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["RETIRE", "UPDATE", "CREATE"]);
    assert!(entries.iter().all(|e| e["author"] == token_id.as_str()));
    let comments: Vec<&Value> = entries.iter().map(|e| &e["comment"]).collect();
    assert_eq!(
        comments,
        [
            &json!("stopped"),
            &json!("everyone"),
            &json!("we start a pilot")
        ]
    );
    assert_eq!(entries[1]["before"]["status"], "PILOT");
    assert_eq!(entries[1]["after"]["status"], "DEPLOYED");
    assert!(entries[2]["before"].is_null());
}

#[tokio::test]
async fn invalid_input_is_bad_user_input_naming_the_field() {
    let app = TestApp::spawn().await;
    let (_, token) = app
        .token(Some(A), &[Scope::AdoptionsWrite, Scope::Curator])
        .await;
    let a_version = version_of(&app, A_ADOPTION).await;
    let a_coll_version = version_of(&app, A).await;
    let mut bad_date = new_adoption(A);
    bad_date["input"]["started"] = json!("2025-13");
    let mut unknown_solution = new_adoption(A);
    unknown_solution["input"]["solution"] = json!("solution:does-not-exist");
    let mut bad_id = new_adoption(A);
    bad_id["input"]["need"] = json!("Not An Id");
    let cases: Vec<(&str, &str, Value, &str)> = vec![
        ("createAdoption", CREATE_ADOPTION, bad_date, "started"),
        (
            "createAdoption",
            CREATE_ADOPTION,
            unknown_solution,
            "solution:does-not-exist",
        ),
        ("createAdoption", CREATE_ADOPTION, bad_id, "need"),
        (
            "updateAdoption",
            UPDATE_ADOPTION,
            json!({ "input": { "id": A_ADOPTION, "expectedVersion": a_version, "ended": "someday" } }),
            "ended",
        ),
        (
            "retireAdoption",
            RETIRE_ADOPTION,
            json!({ "id": A_ADOPTION, "v": a_version, "ended": "1999-02-30" }),
            "ended",
        ),
        (
            "createOutcome",
            CREATE_OUTCOME,
            json!({ "input": { "adoption": A_ADOPTION, "kind": "SUCCESS", "summary": { "en": "  " } } }),
            "summary",
        ),
        (
            "setCollectivityContact",
            SET_CONTACT,
            json!({ "c": A, "v": a_coll_version, "contact": { "role": "DSI", "mailbox": "not a mailbox" }, "public": true }),
            "contact",
        ),
        (
            "createSource",
            CREATE_SOURCE,
            json!({ "input": { "id": "source:x", "title": "X", "kind": "ARTICLE", "url": "javascript:alert(1)" } }),
            "url",
        ),
        (
            "saveNeed",
            SAVE_NEED,
            json!({ "input": { "id": "need:loop", "label": { "en": "Loop" }, "broader": "need:loop" } }),
            "its own broader",
        ),
        (
            "savePublisher",
            SAVE_PUBLISHER,
            json!({ "input": { "id": "publisher:gone", "name": "Gone", "kind": "COMPANY", "status": "CLOSED" } }),
            "closed",
        ),
        (
            "saveSolution",
            SAVE_SOLUTION,
            json!({ "input": { "id": "solution:nolicence", "name": "No licence", "kind": "LIBRE", "needs": ["need:office-suite"] } }),
            "licence",
        ),
        (
            "saveAlternative",
            SAVE_ALTERNATIVE,
            json!({ "input": { "libre": "solution:libreoffice", "proprietary": "solution:libreoffice", "confidence": "STRONG", "kind": "SOFTWARE" } }),
            "replace itself",
        ),
    ];
    for (name, query, vars, hint) in cases {
        let answer = app.gql(Some(&token), query, vars).await;
        assert_eq!(codes(&answer), ["BAD_USER_INPUT"], "{name}: {answer}");
        let message = answer["errors"][0]["message"].as_str().unwrap();
        assert!(
            message.contains(hint),
            "{name}: `{message}` should mention `{hint}`"
        );
    }
    assert!(history(&app, A_ADOPTION).await.is_empty());
}

#[tokio::test]
async fn concurrent_updates_conflict_instead_of_overwriting() {
    let app = TestApp::spawn().await;
    let (_, token) = app.token(Some(A), &[Scope::AdoptionsWrite]).await;
    let version = version_of(&app, A_ADOPTION).await;
    let update = |scale: u32| {
        app.gql(
            Some(&token),
            UPDATE_ADOPTION,
            json!({ "input": { "id": A_ADOPTION, "expectedVersion": version, "scale": scale } }),
        )
    };
    let (first, second) = tokio::join!(update(1), update(2));
    let mut outcomes = vec![codes(&first), codes(&second)];
    outcomes.sort();
    assert_eq!(
        outcomes,
        [vec![], vec!["CONFLICT".to_owned()]],
        "{first} {second}"
    );
    assert_eq!(history(&app, A_ADOPTION).await.len(), 1);
    // The stale version fails on every versioned mutation.
    let retire = app
        .gql(
            Some(&token),
            RETIRE_ADOPTION,
            json!({ "id": A_ADOPTION, "v": version }),
        )
        .await;
    assert_eq!(codes(&retire), ["CONFLICT"]);
    let contact = app
        .gql(
            Some(&token),
            SET_CONTACT,
            json!({ "c": A, "v": "0000000000000000", "contact": null, "public": false }),
        )
        .await;
    assert_eq!(codes(&contact), ["CONFLICT"]);
    let (_, curator) = app.token(None, &[Scope::Curator]).await;
    let solution = app
        .gql(
            Some(&curator),
            SAVE_SOLUTION,
            json!({ "input": { "id": "solution:libreoffice", "name": "LibreOffice", "kind": "LIBRE", "licence": "MPL-2.0", "needs": ["need:office-suite"] }, "v": "0000000000000000" }),
        )
        .await;
    assert_eq!(codes(&solution), ["CONFLICT"], "{solution}");
}

#[tokio::test]
async fn retried_creations_with_a_key_happen_once() {
    let app = TestApp::spawn().await;
    let (_, token) = app.token(Some(A), &[Scope::AdoptionsWrite]).await;
    let mut vars = new_adoption(A);
    vars["key"] = json!("create-nextcloud-1");
    let first = app.gql(Some(&token), CREATE_ADOPTION, vars.clone()).await;
    let second = app.gql(Some(&token), CREATE_ADOPTION, vars).await;
    assert_eq!(ok(&first, "createAdoption"), ok(&second, "createAdoption"));
    assert_eq!(
        history(&app, "adoption:fr-commune-38151--nextcloud")
            .await
            .len(),
        1
    );

    let outcome = json!({ "input": { "adoption": A_ADOPTION, "kind": "COST_SAVING", "summary": { "fr": "Moins cher" } }, "key": "outcome-1" });
    let first = ok(
        &app.gql(Some(&token), CREATE_OUTCOME, outcome.clone()).await,
        "createOutcome",
    );
    let second = ok(
        &app.gql(Some(&token), CREATE_OUTCOME, outcome).await,
        "createOutcome",
    );
    assert_eq!(first, second);
    let answer = app
        .gql(
            None,
            "query($id: ID!) { adoption(id: $id) { outcomes { id } } }",
            json!({ "id": A_ADOPTION }),
        )
        .await;
    let outcomes = ok(&answer, "adoption")["outcomes"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        outcomes.iter().filter(|o| o["id"] == first["id"]).count(),
        1
    );

    let source = json!({ "input": { "id": "source:our-report", "title": "Our report", "kind": "ARTICLE" }, "key": "s1" });
    let first = app.gql(Some(&token), CREATE_SOURCE, source.clone()).await;
    let second = app.gql(Some(&token), CREATE_SOURCE, source).await;
    assert_eq!(ok(&first, "createSource"), ok(&second, "createSource"));
    // A key names one node: reusing it for another kind of node is a conflict.
    let reused = app
        .gql(
            Some(&token),
            CREATE_SOURCE,
            json!({ "input": { "id": "source:other", "title": "Other", "kind": "ARTICLE" }, "key": "create-nextcloud-1" }),
        )
        .await;
    assert_eq!(codes(&reused), ["CONFLICT"], "{reused}");
    // Reusing it for another node of the same kind is a conflict too.
    let mut other = new_adoption(A);
    other["input"]["solution"] = json!("solution:libreoffice");
    other["key"] = json!("create-nextcloud-1");
    let reused = app.gql(Some(&token), CREATE_ADOPTION, other).await;
    assert_eq!(codes(&reused), ["CONFLICT"], "{reused}");

    // Catalogue creations take a key as well.
    let (_, curator) = app.token(None, &[Scope::Curator]).await;
    let save = "mutation($input: NeedInput!, $key: String) { saveNeed(input: $input, idempotencyKey: $key) { id version } }";
    let need =
        json!({ "input": { "id": "need:retried", "label": { "fr": "Réessayé" } }, "key": "n1" });
    let first = app.gql(Some(&curator), save, need.clone()).await;
    let second = app.gql(Some(&curator), save, need).await;
    assert_eq!(ok(&first, "saveNeed"), ok(&second, "saveNeed"));
    assert_eq!(history(&app, "need:retried").await.len(), 1);
}

#[tokio::test]
async fn outcomes_are_updated_with_their_version() {
    let app = TestApp::spawn().await;
    let (_, token) = app.token(Some(A), &[Scope::AdoptionsWrite]).await;
    let created = ok(
        &app.gql(
            Some(&token),
            CREATE_OUTCOME,
            json!({ "input": { "adoption": A_ADOPTION, "kind": "PARTIAL", "summary": { "en": "so so" } } }),
        )
        .await,
        "createOutcome",
    );
    let update = json!({ "input": { "id": created["id"], "expectedVersion": created["version"], "kind": "SUCCESS" } });
    let updated = ok(
        &app.gql(Some(&token), UPDATE_OUTCOME, update.clone()).await,
        "updateOutcome",
    );
    assert_eq!(updated["kind"], "SUCCESS");
    let stale = app.gql(Some(&token), UPDATE_OUTCOME, update).await;
    assert_eq!(codes(&stale), ["CONFLICT"]);
    let (_, b_token) = app.token(Some(B), &[Scope::AdoptionsWrite]).await;
    let forbidden = app
        .gql(
            Some(&b_token),
            UPDATE_OUTCOME,
            json!({ "input": { "id": created["id"], "expectedVersion": updated["version"], "kind": "ROLLBACK" } }),
        )
        .await;
    assert_eq!(codes(&forbidden), ["FORBIDDEN"]);
    let none = app
        .gql(
            None,
            UPDATE_OUTCOME,
            json!({ "input": { "id": created["id"], "expectedVersion": updated["version"] } }),
        )
        .await;
    assert_eq!(codes(&none), ["UNAUTHENTICATED"]);
}

#[tokio::test]
async fn a_contact_is_public_only_with_consent() {
    let app = TestApp::spawn().await;
    let (_, token) = app.token(Some(A), &[Scope::AdoptionsWrite]).await;
    let read = "query($id: ID!) { collectivity(id: $id) { contact { role mailbox } } }";
    let contact = json!({ "role": "DSI — logiciels libres", "mailbox": "dsi@example.org" });
    let version = version_of(&app, A).await;
    let private = ok(
        &app.gql(
            Some(&token),
            SET_CONTACT,
            json!({ "c": A, "v": version, "contact": contact, "public": false }),
        )
        .await,
        "setCollectivityContact",
    );
    assert!(private["contact"].is_null());
    let public_read = app.gql(None, read, json!({ "id": A })).await;
    assert!(ok(&public_read, "collectivity")["contact"].is_null());
    let entries = history(&app, A).await;
    assert!(
        entries[0]["after"].get("contact").is_none(),
        "history hides it"
    );
    assert!(!app.url("/").is_empty());

    let shown = ok(
        &app.gql(
            Some(&token),
            SET_CONTACT,
            json!({ "c": A, "v": private["version"], "contact": contact, "public": true }),
        )
        .await,
        "setCollectivityContact",
    );
    assert_eq!(shown["contact"]["mailbox"], "dsi@example.org");
    let public_read = app.gql(None, read, json!({ "id": A })).await;
    assert_eq!(
        ok(&public_read, "collectivity")["contact"]["role"],
        "DSI — logiciels libres"
    );
}

#[tokio::test]
async fn writes_are_rate_limited_per_token() {
    let app = TestApp::spawn_with(|c| c.limits.writes_per_minute = 2).await;
    let (_, token) = app.token(Some(A), &[Scope::AdoptionsWrite]).await;
    let mut seen = Vec::new();
    for i in 0..3 {
        let answer = app
            .gql(
                Some(&token),
                CREATE_SOURCE,
                json!({ "input": { "id": format!("source:rate-{i}"), "title": "T", "kind": "ARTICLE" } }),
            )
            .await;
        seen.push(codes(&answer));
    }
    assert_eq!(seen, [vec![], vec![], vec!["RATE_LIMITED".to_owned()]]);
    // Reads are not limited.
    assert!(app
        .query("{ statistics { kind } }")
        .await
        .get("errors")
        .is_none());
}

#[tokio::test]
async fn tokens_are_stored_hashed_only() {
    let app = TestApp::spawn().await;
    let (id, plaintext) = app.token(Some(A), &[Scope::AdoptionsWrite]).await;
    assert!(plaintext.starts_with("rtx_") && plaintext.len() == 47);
    let db = rusqlite::Connection::open(&app.store_path).unwrap();
    let (hash, doc): (String, String) = db
        .query_row(
            "SELECT hash, doc FROM tokens WHERE id = ?1",
            [id.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(hash.len(), 64);
    assert!(!hash.contains(&plaintext[4..]) && !doc.contains(&plaintext[4..]));
    let listed = app.store.list_tokens().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, id);
}

fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

fn message(answer: &Value) -> String {
    answer["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn watch_status_ids(app: &TestApp, include_retired: bool) -> Vec<(String, Value)> {
    let answer = app
        .gql(
            None,
            "query($r: Boolean!) { watchStatus(includeRetired: $r) { id retired } }",
            json!({ "r": include_retired }),
        )
        .await;
    ok(&answer, "watchStatus")
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap().to_owned(), s["retired"].clone()))
        .collect()
}

#[tokio::test]
async fn watch_sources_are_declared_changed_and_retired_by_curators() {
    use chrono::{Duration, Utc};
    use retex::domain::{PollOutcome, PollRecord, WatchSourceId};
    let app = TestApp::spawn().await;
    let (curator_id, curator) = app.token(None, &[Scope::Curator]).await;
    let (_, writer) = app.token(Some(A), &[Scope::AdoptionsWrite]).await;
    let create = watch_query(CREATE_WATCH);
    let update = watch_query(UPDATE_WATCH);
    let retire = watch_query(RETIRE_WATCH);
    let input = json!({ "solution": "solution:nextcloud", "id": "watch:nextcloud-feed",
        "feed": "https://example.org/nextcloud.atom" });

    // Who may: a curator; not a collectivity's writer, not an anonymous caller.
    let vars = json!({ "input": input, "key": "watch-1", "comment": "follow the feed" });
    let answer = app.gql(None, create, vars.clone()).await;
    assert_eq!(codes(&answer), ["UNAUTHENTICATED"], "{answer}");
    let answer = app.gql(Some(&writer), create, vars.clone()).await;
    assert_eq!(codes(&answer), ["FORBIDDEN"], "{answer}");

    // Validation is the seed's: exactly one location, a real repository, a sane interval.
    let bad_inputs = [
        (
            json!({ "solution": "solution:nextcloud", "github": "nextcloud/server", "feed": "https://example.org/a.atom" }),
            "exactly one",
        ),
        (json!({ "solution": "solution:nextcloud" }), "exactly one"),
        (
            json!({ "solution": "solution:nextcloud", "github": "just-a-name" }),
            "owner/name",
        ),
        (
            json!({ "solution": "solution:nextcloud", "endoflife": "nextcloud", "intervalSeconds": 10 }),
            "at least 300",
        ),
        (
            json!({ "solution": "solution:nextcloud", "feed": "javascript:alert(1)" }),
            "feed",
        ),
        (
            json!({ "solution": "solution:nextcloud", "gitlab": { "host": "ftp://example.org", "project": "g/p" } }),
            "gitlab.host",
        ),
        (
            json!({ "solution": "solution:does-not-exist", "endoflife": "x" }),
            "solution:does-not-exist",
        ),
        (
            json!({ "solution": "solution:nextcloud", "id": "watch:Bad Id", "endoflife": "x" }),
            "id",
        ),
    ];
    for (bad, hint) in bad_inputs {
        let answer = app
            .gql(Some(&curator), create, json!({ "input": bad }))
            .await;
        assert_eq!(codes(&answer), ["BAD_USER_INPUT"], "{bad}: {answer}");
        assert!(message(&answer).contains(hint), "{bad}: {answer}");
    }

    // Created once, whatever the retries with the same key.
    let first = ok(
        &app.gql(Some(&curator), create, vars.clone()).await,
        "createWatchSource",
    );
    assert_eq!(first["id"], "watch:nextcloud-feed");
    assert_eq!(first["kind"], "FEED");
    assert_eq!(first["url"], "https://example.org/nextcloud.atom");
    assert_eq!(first["intervalSeconds"], 21600);
    assert!(first["retired"].is_null());
    assert_eq!(first["solution"]["id"], "solution:nextcloud");
    let again = ok(
        &app.gql(Some(&curator), create, vars).await,
        "createWatchSource",
    );
    assert_eq!(again, first);
    let without_key = app
        .gql(Some(&curator), create, json!({ "input": input }))
        .await;
    assert_eq!(codes(&without_key), ["CONFLICT"], "{without_key}");
    // The key named a watch source: reusing it for a graph node is a conflict.
    let reused = app
        .gql(
            Some(&curator),
            CREATE_SOURCE,
            json!({ "input": { "id": "source:other", "title": "Other", "kind": "ARTICLE" }, "key": "watch-1" }),
        )
        .await;
    assert_eq!(codes(&reused), ["CONFLICT"], "{reused}");

    // The watch polls it, then its validators are kept while the URL stays.
    let id = WatchSourceId::parse("watch:nextcloud-feed").unwrap();
    let now = Utc::now();
    let due_now = app.store.watch_sources_due(Some(now)).await.unwrap();
    assert!(
        due_now.iter().any(|t| t.source.id == id),
        "a new source is due"
    );
    app.store
        .record_poll(PollRecord {
            source: id.clone(),
            checked_at: now,
            outcome: PollOutcome::Fetched {
                etag: Some("\"v1\"".into()),
                last_modified: None,
                releases: Vec::new(),
                cycles: Vec::new(),
            },
            next_check: now + Duration::hours(6),
            failures: 0,
        })
        .await
        .unwrap();
    let slower = ok(
        &app.gql(
            Some(&curator),
            update,
            json!({ "input": { "id": id.as_str(), "expectedVersion": first["version"], "intervalSeconds": 7200 }, "comment": "less often" }),
        )
        .await,
        "updateWatchSource",
    );
    assert_eq!(slower["intervalSeconds"], 7200);
    assert_eq!(slower["url"], first["url"]);
    let target = |due: Vec<retex::domain::WatchTarget>| due.into_iter().find(|t| t.source.id == id);
    let later = target(app.store.watch_sources_due(None).await.unwrap()).unwrap();
    assert_eq!(
        later.etag.as_deref(),
        Some("\"v1\""),
        "same URL, same validators"
    );
    assert!(target(app.store.watch_sources_due(Some(now)).await.unwrap()).is_none());

    // Two curators change it from the same version: one wins, the other gets CONFLICT.
    let change = |url: &'static str| {
        app.gql(
            Some(&curator),
            update,
            json!({ "input": { "id": id.as_str(), "expectedVersion": slower["version"], "feed": url } }),
        )
    };
    let (one, two) = tokio::join!(
        change("https://example.org/nextcloud-2.atom"),
        change("https://example.org/nextcloud-3.atom")
    );
    let mut seen = vec![codes(&one), codes(&two)];
    seen.sort();
    assert_eq!(seen, [vec![], vec!["CONFLICT".to_owned()]], "{one} {two}");
    let moved = if codes(&one).is_empty() { &one } else { &two };
    let moved = ok(moved, "updateWatchSource");
    assert_ne!(moved["url"], first["url"]);
    assert_eq!(
        moved["id"], "watch:nextcloud-feed",
        "a new URL keeps the id"
    );
    assert_eq!(moved["intervalSeconds"], 7200);
    // A new URL forgets the old validators and makes it due at once.
    let after_move = target(app.store.watch_sources_due(Some(now)).await.unwrap()).unwrap();
    assert_eq!(after_move.etag, None);
    assert_eq!(
        after_move.source.url.as_str(),
        moved["url"].as_str().unwrap()
    );
    let bad_update = app
        .gql(
            Some(&curator),
            update,
            json!({ "input": { "id": id.as_str(), "expectedVersion": moved["version"], "intervalSeconds": 60 } }),
        )
        .await;
    assert_eq!(codes(&bad_update), ["BAD_USER_INPUT"], "{bad_update}");
    let forbidden = app
        .gql(
            Some(&writer),
            update,
            json!({ "input": { "id": id.as_str(), "expectedVersion": moved["version"], "intervalSeconds": 3600 } }),
        )
        .await;
    assert_eq!(codes(&forbidden), ["FORBIDDEN"], "{forbidden}");

    // Retiring: stale version refused, then never due again, out of watchStatus unless asked.
    let stale = app
        .gql(
            Some(&curator),
            retire,
            json!({ "id": id.as_str(), "v": slower["version"] }),
        )
        .await;
    assert_eq!(codes(&stale), ["CONFLICT"], "{stale}");
    let unauthenticated = app
        .gql(
            None,
            retire,
            json!({ "id": id.as_str(), "v": moved["version"] }),
        )
        .await;
    assert_eq!(codes(&unauthenticated), ["UNAUTHENTICATED"]);
    let retired = ok(
        &app.gql(
            Some(&curator),
            retire,
            json!({ "id": id.as_str(), "v": moved["version"], "comment": "feed gone" }),
        )
        .await,
        "retireWatchSource",
    );
    assert_eq!(retired["retired"], today());
    assert!(target(app.store.watch_sources_due(None).await.unwrap()).is_none());
    let live = watch_status_ids(&app, false).await;
    assert!(live.iter().all(|(i, _)| i != id.as_str()), "{live:?}");
    assert!(live.iter().any(|(i, _)| i == "watch:nextcloud-github"));
    let all = watch_status_ids(&app, true).await;
    assert_eq!(
        all.iter()
            .find(|(i, _)| i == id.as_str())
            .map(|(_, r)| r.clone()),
        Some(json!(today()))
    );
    let after_retire = app
        .gql(
            Some(&curator),
            update,
            json!({ "input": { "id": id.as_str(), "expectedVersion": retired["version"], "intervalSeconds": 3600 } }),
        )
        .await;
    assert_eq!(codes(&after_retire), ["BAD_USER_INPUT"], "{after_retire}");

    // Every change is in its history, with its author and why.
    let entries = history(&app, id.as_str()).await;
    let summary: Vec<(&str, &Value)> = entries
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), &e["comment"]))
        .collect();
    assert_eq!(
        summary,
        [
            ("RETIRE", &json!("feed gone")),
            ("UPDATE", &Value::Null),
            ("UPDATE", &json!("less often")),
            ("CREATE", &json!("follow the feed")),
        ]
    );
    assert!(entries.iter().all(|e| e["author"] == curator_id.as_str()));
    assert!(entries.iter().all(|e| e["node"] == id.as_str()));
    assert_eq!(entries[2]["before"]["interval_secs"], 21600);
    assert_eq!(entries[2]["after"]["interval_secs"], 7200);
    assert_eq!(entries[0]["after"]["retired"], today());
    assert!(entries[3]["before"].is_null());
}

/// How many ROLLBACK outcomes count as evidence for GNU/Linux as a desktop OS, read as a
/// writer does (with a token: the analysis index of the store's current revision; anonymous
/// readers may be answered from an index up to a second old).
async fn gnu_linux_rollbacks(app: &TestApp) -> u64 {
    let (_, reader) = app.token(None, &[Scope::Admin]).await;
    let answer = app
        .gql(
            Some(&reader),
            "{ experience(need: \"need:desktop-operating-system\") { solutions { solution { id } counts { byOutcome { kind count } } } } }",
            json!({}),
        )
        .await;
    let solutions = ok(&answer, "experience")["solutions"].clone();
    let gnu_linux = solutions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["solution"]["id"] == "solution:gnu-linux")
        .expect("GNU/Linux is adopted for the desktop");
    gnu_linux["counts"]["byOutcome"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "ROLLBACK")
        .map_or(0, |c| c["count"].as_u64().unwrap())
}

async fn rolled_back_adoptions(app: &TestApp) -> Vec<String> {
    let answer = app
        .gql(
            None,
            "{ adoptions(filter: { outcome: [ROLLBACK] }, first: 100) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    ok(&answer, "adoptions")["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_retired_outcome_stays_readable_but_no_longer_counts() {
    let app = TestApp::spawn().await;
    let (a_id, a_token) = app.token(Some(A), &[Scope::AdoptionsWrite]).await;
    let (_, b_token) = app.token(Some(B), &[Scope::AdoptionsWrite]).await;
    let rollbacks = gnu_linux_rollbacks(&app).await;
    assert!(!rolled_back_adoptions(&app)
        .await
        .contains(&A_ADOPTION.to_owned()));
    let created = ok(
        &app.gql(
            Some(&a_token),
            CREATE_OUTCOME,
            json!({ "input": { "adoption": A_ADOPTION, "kind": "ROLLBACK", "summary": { "en": "back to the old one" } } }),
        )
        .await,
        "createOutcome",
    );
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(gnu_linux_rollbacks(&app).await, rollbacks + 1);
    assert!(rolled_back_adoptions(&app)
        .await
        .contains(&A_ADOPTION.to_owned()));

    let vars = json!({ "id": id, "v": created["version"], "comment": "entered by mistake" });
    assert_eq!(
        codes(&app.gql(None, RETIRE_OUTCOME, vars.clone()).await),
        ["UNAUTHENTICATED"]
    );
    assert_eq!(
        codes(&app.gql(Some(&b_token), RETIRE_OUTCOME, vars.clone()).await),
        ["FORBIDDEN"]
    );
    let bad = app
        .gql(
            Some(&a_token),
            RETIRE_OUTCOME,
            json!({ "id": "Outcome 1", "v": created["version"] }),
        )
        .await;
    assert_eq!(codes(&bad), ["BAD_USER_INPUT"], "{bad}");
    let stale = app
        .gql(
            Some(&a_token),
            RETIRE_OUTCOME,
            json!({ "id": id, "v": ZERO }),
        )
        .await;
    assert_eq!(codes(&stale), ["CONFLICT"], "{stale}");

    // Two retirements from the same version: one wins, the other gets CONFLICT.
    let (one, two) = tokio::join!(
        app.gql(Some(&a_token), RETIRE_OUTCOME, vars.clone()),
        app.gql(Some(&a_token), RETIRE_OUTCOME, vars.clone()),
    );
    let mut seen = vec![codes(&one), codes(&two)];
    seen.sort();
    assert_eq!(seen, [vec![], vec!["CONFLICT".to_owned()]], "{one} {two}");
    let retired = if codes(&one).is_empty() {
        ok(&one, "retireOutcome")
    } else {
        ok(&two, "retireOutcome")
    };
    assert_eq!(retired["retired"], today());
    assert_eq!(retired["kind"], "ROLLBACK");

    // No longer evidence, nor in outcome filters, nor in the adoption's outcomes...
    assert_eq!(gnu_linux_rollbacks(&app).await, rollbacks);
    assert!(!rolled_back_adoptions(&app)
        .await
        .contains(&A_ADOPTION.to_owned()));
    let read = "query($id: ID!, $all: Boolean!) { adoption(id: $id) { outcomes(includeRetired: $all) { id retired } } }";
    let live = ok(
        &app.gql(None, read, json!({ "id": A_ADOPTION, "all": false }))
            .await,
        "adoption",
    );
    assert_eq!(live["outcomes"], json!([]));
    let all = ok(
        &app.gql(None, read, json!({ "id": A_ADOPTION, "all": true }))
            .await,
        "adoption",
    );
    assert_eq!(all["outcomes"], json!([{ "id": id, "retired": today() }]));
    // ...but readable by id and in its history.
    let node = app
        .gql(
            None,
            "query($id: ID!) { node(id: $id) { ... on Outcome { kind retired } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        ok(&node, "node"),
        json!({ "kind": "ROLLBACK", "retired": today() })
    );
    let entries = history(&app, &id).await;
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["RETIRE", "CREATE"]);
    assert_eq!(entries[0]["author"], a_id.as_str());
    assert_eq!(entries[0]["comment"], "entered by mistake");
    assert!(entries[0]["before"].get("retired").is_none());
    assert_eq!(entries[0]["after"]["retired"], today());
    // A new outcome of the same adoption gets a fresh number.
    let next = ok(
        &app.gql(
            Some(&a_token),
            CREATE_OUTCOME,
            json!({ "input": { "adoption": A_ADOPTION, "kind": "SUCCESS", "summary": { "en": "fine after all" } } }),
        )
        .await,
        "createOutcome",
    );
    assert_ne!(next["id"], json!(id));
}

#[tokio::test]
async fn a_need_in_use_is_not_retired_and_a_retired_one_takes_nothing_new() {
    let app = TestApp::spawn().await;
    let (curator_id, curator) = app.token(None, &[Scope::Curator]).await;
    let (_, writer) = app.token(Some(A), &[Scope::AdoptionsWrite]).await;
    // Used by solutions and adoptions: refused, saying by which.
    let video = version_of(&app, "need:video-conferencing").await;
    let refused = app
        .gql(
            Some(&curator),
            RETIRE_NEED,
            json!({ "id": "need:video-conferencing", "v": video }),
        )
        .await;
    assert_eq!(codes(&refused), ["BAD_USER_INPUT"], "{refused}");
    let why = message(&refused);
    assert!(
        why.contains("solution:bigbluebutton") && why.contains("serve it"),
        "{why}"
    );
    assert!(why.contains("adoption:fontaine-bigbluebutton"), "{why}");

    // A need with a narrower need under it: refused too.
    let parent = ok(
        &app.gql(
            Some(&curator),
            SAVE_NEED,
            json!({ "input": { "id": "need:old-parent", "label": { "en": "Old parent" } } }),
        )
        .await,
        "saveNeed",
    );
    let child = ok(
        &app.gql(Some(&curator), SAVE_NEED, json!({ "input": { "id": "need:old-child", "label": { "en": "Old child" }, "broader": "need:old-parent" } })).await,
        "saveNeed",
    );
    let refused = app
        .gql(
            Some(&curator),
            RETIRE_NEED,
            json!({ "id": "need:old-parent", "v": parent["version"] }),
        )
        .await;
    assert_eq!(codes(&refused), ["BAD_USER_INPUT"], "{refused}");
    assert!(
        message(&refused).contains("narrower need(s) sit under it (need:old-child)"),
        "{refused}"
    );

    let vars = json!({ "id": "need:old-child", "v": child["version"], "comment": "merged into its parent" });
    assert_eq!(
        codes(&app.gql(None, RETIRE_NEED, vars.clone()).await),
        ["UNAUTHENTICATED"]
    );
    assert_eq!(
        codes(&app.gql(Some(&writer), RETIRE_NEED, vars.clone()).await),
        ["FORBIDDEN"]
    );
    let stale = app
        .gql(
            Some(&curator),
            RETIRE_NEED,
            json!({ "id": "need:old-child", "v": ZERO }),
        )
        .await;
    assert_eq!(codes(&stale), ["CONFLICT"], "{stale}");
    let retired = ok(
        &app.gql(Some(&curator), RETIRE_NEED, vars).await,
        "retireNeed",
    );
    assert_eq!(retired["retired"], today());
    // Its parent has no live narrower need now: it may go too.
    let parent_after = ok(
        &app.gql(
            None,
            "{ need(id: \"need:old-parent\") { version narrower { id } } }",
            json!({}),
        )
        .await,
        "need",
    );
    assert_eq!(parent_after["narrower"], json!([]));
    let listed = |all: bool| {
        app.gql(
            None,
            "query($all: Boolean!) { needs(filter: { text: \"old\", includeRetired: $all }) { edges { node { id retired } } } }",
            json!({ "all": all }),
        )
    };
    let live = ok(&listed(false).await, "needs");
    assert_eq!(
        live["edges"],
        json!([{ "node": { "id": "need:old-parent", "retired": null } }])
    );
    let all = ok(&listed(true).await, "needs");
    assert_eq!(all["edges"].as_array().unwrap().len(), 2, "{all}");

    // Nothing new may refer to it.
    let solution = app
        .gql(
            Some(&curator),
            SAVE_SOLUTION,
            json!({ "input": { "id": "solution:new-tool", "name": "New tool", "kind": "PROPRIETARY", "needs": ["need:old-child"] } }),
        )
        .await;
    assert_eq!(codes(&solution), ["BAD_USER_INPUT"], "{solution}");
    assert!(
        message(&solution).contains("need:old-child is retired"),
        "{solution}"
    );
    let under = app
        .gql(Some(&curator), SAVE_NEED, json!({ "input": { "id": "need:grandchild", "label": { "en": "G" }, "broader": "need:old-child" } }))
        .await;
    assert_eq!(codes(&under), ["BAD_USER_INPUT"], "{under}");
    let mut adoption = new_adoption(A);
    adoption["input"]["need"] = json!("need:old-child");
    let answer = app.gql(Some(&writer), CREATE_ADOPTION, adoption).await;
    assert_eq!(codes(&answer), ["BAD_USER_INPUT"], "{answer}");

    let entries = history(&app, "need:old-child").await;
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["RETIRE", "CREATE"]);
    assert!(entries.iter().all(|e| e["author"] == curator_id.as_str()));
    assert_eq!(entries[0]["comment"], "merged into its parent");
}

#[tokio::test]
async fn a_retired_source_keeps_its_citations_but_takes_no_new_one() {
    let app = TestApp::spawn().await;
    let (curator_id, curator) = app.token(None, &[Scope::Curator]).await;
    let (_, writer) = app.token(Some(A), &[Scope::AdoptionsWrite]).await;
    let source = "source:interview-vivant-2025";
    let version = version_of(&app, source).await;
    let vars = json!({ "id": source, "v": version, "comment": "superseded" });
    assert_eq!(
        codes(&app.gql(None, RETIRE_SOURCE, vars.clone()).await),
        ["UNAUTHENTICATED"]
    );
    // Any writer may add a source; only curators retire one others cite.
    assert_eq!(
        codes(&app.gql(Some(&writer), RETIRE_SOURCE, vars.clone()).await),
        ["FORBIDDEN"]
    );
    let bad = app
        .gql(
            Some(&curator),
            RETIRE_SOURCE,
            json!({ "id": "interview", "v": version }),
        )
        .await;
    assert_eq!(codes(&bad), ["BAD_USER_INPUT"], "{bad}");
    let (one, two) = tokio::join!(
        app.gql(Some(&curator), RETIRE_SOURCE, vars.clone()),
        app.gql(
            Some(&curator),
            RETIRE_SOURCE,
            json!({ "id": source, "v": version })
        ),
    );
    let mut seen = vec![codes(&one), codes(&two)];
    seen.sort();
    assert_eq!(seen, [vec![], vec!["CONFLICT".to_owned()]], "{one} {two}");
    let retired = if codes(&one).is_empty() {
        ok(&one, "retireSource")
    } else {
        ok(&two, "retireSource")
    };
    assert_eq!(retired["retired"], today());

    // The facts that cited it still do, and show it retired.
    let cited = app
        .gql(
            None,
            "query($id: ID!) { adoption(id: $id) { sources { id retired } } }",
            json!({ "id": B_ADOPTION }),
        )
        .await;
    assert_eq!(
        ok(&cited, "adoption")["sources"],
        json!([{ "id": source, "retired": today() }])
    );
    // No new fact may cite it.
    let answer = app
        .gql(Some(&writer), CREATE_ADOPTION, new_adoption(A))
        .await;
    assert_eq!(codes(&answer), ["BAD_USER_INPUT"], "{answer}");
    assert!(
        message(&answer).contains("sources: source:interview-vivant-2025 is retired"),
        "{answer}"
    );
    let outcome = app
        .gql(
            Some(&writer),
            CREATE_OUTCOME,
            json!({ "input": { "adoption": A_ADOPTION, "kind": "SUCCESS", "summary": { "en": "ok" }, "sources": [source] } }),
        )
        .await;
    assert_eq!(codes(&outcome), ["BAD_USER_INPUT"], "{outcome}");
    let entries = history(&app, source).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["action"], "RETIRE");
    assert_eq!(entries[0]["author"], curator_id.as_str());
}

#[tokio::test]
async fn history_pages_walk_newest_first_with_opaque_cursors() {
    let app = TestApp::spawn().await;
    let (token_id, token) = app.token(Some(A), &[Scope::AdoptionsWrite]).await;
    let created = ok(
        &app.gql(Some(&token), CREATE_ADOPTION, new_adoption(A))
            .await,
        "createAdoption",
    );
    let id = created["id"].as_str().unwrap().to_owned();
    let mut version = created["version"].clone();
    for scale in 1..=4 {
        let updated = ok(
            &app.gql(
                Some(&token),
                UPDATE_ADOPTION,
                json!({ "input": { "id": id, "expectedVersion": version, "scale": scale }, "comment": format!("scale {scale}") }),
            )
            .await,
            "updateAdoption",
        );
        version = updated["version"].clone();
    }
    let retired = app
        .gql(
            Some(&token),
            RETIRE_ADOPTION,
            json!({ "id": id, "v": version }),
        )
        .await;
    ok(&retired, "retireAdoption");

    let page_query = "query($n: ID!, $first: Int, $after: String) {
      history(node: $n, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node { action comment author after } } } }";
    let mut after: Option<String> = None;
    let mut walked: Vec<(String, Value)> = Vec::new();
    let mut pages = Vec::new();
    loop {
        let answer = app
            .gql(
                None,
                page_query,
                json!({ "n": id, "first": 2, "after": after }),
            )
            .await;
        let page = ok(&answer, "history");
        assert_eq!(page["totalCount"], 6);
        assert_eq!(page["pageInfo"]["hasPreviousPage"], after.is_some());
        let edges = page["edges"].as_array().unwrap();
        pages.push(edges.len());
        for e in edges {
            assert_eq!(e["node"]["author"], token_id.as_str());
            walked.push((
                e["node"]["action"].as_str().unwrap().to_owned(),
                e["node"]["comment"].clone(),
            ));
        }
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = Some(page["pageInfo"]["endCursor"].as_str().unwrap().to_owned());
    }
    assert_eq!(pages, [2, 2, 2]);
    let expected: Vec<(String, Value)> = vec![
        ("RETIRE".into(), json!("stopped")),
        ("UPDATE".into(), json!("scale 4")),
        ("UPDATE".into(), json!("scale 3")),
        ("UPDATE".into(), json!("scale 2")),
        ("UPDATE".into(), json!("scale 1")),
        ("CREATE".into(), Value::Null),
    ];
    assert_eq!(walked, expected);
    // The same walk in one page gives the same sequence.
    let whole = history(&app, &id).await;
    let actions: Vec<&str> = whole
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["RETIRE", "UPDATE", "UPDATE", "UPDATE", "UPDATE", "CREATE"]
    );
    assert_eq!(whole[1]["after"]["scale"], 4);
    assert_eq!(whole[4]["after"]["scale"], 1);

    // Cursors are opaque and belong to one node's history.
    let first_page = ok(
        &app.gql(None, page_query, json!({ "n": id, "first": 1 }))
            .await,
        "history",
    );
    let cursor = first_page["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let other_node = app
        .gql(
            None,
            page_query,
            json!({ "n": A_ADOPTION, "first": 2, "after": cursor }),
        )
        .await;
    assert_eq!(codes(&other_node), ["BAD_USER_INPUT"], "{other_node}");
    let solutions = ok(
        &app.gql(
            None,
            "{ solutions(first: 1) { pageInfo { endCursor } } }",
            json!({}),
        )
        .await,
        "solutions",
    );
    let foreign = solutions["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    for bad in [json!("garbage"), json!(foreign)] {
        let answer = app
            .gql(
                None,
                page_query,
                json!({ "n": id, "first": 2, "after": bad }),
            )
            .await;
        assert_eq!(codes(&answer), ["BAD_USER_INPUT"], "{bad}: {answer}");
    }
    let too_many = app
        .gql(None, page_query, json!({ "n": id, "first": 101 }))
        .await;
    assert_eq!(codes(&too_many), ["BAD_USER_INPUT"], "{too_many}");
    let bad_node = app
        .gql(None, page_query, json!({ "n": "Not An Id", "first": 2 }))
        .await;
    assert_eq!(codes(&bad_node), ["BAD_USER_INPUT"], "{bad_node}");
}
