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

async fn version_of(app: &TestApp, id: &str) -> String {
    let data = app
        .gql(
            None,
            "query($id: ID!) { node(id: $id) { ... on Adoption { version } ... on Outcome { version }
             ... on Collectivity { version } ... on Solution { version } } }",
            json!({ "id": id }),
        )
        .await;
    data["data"]["node"]["version"]
        .as_str()
        .expect("a version")
        .to_owned()
}

async fn history(app: &TestApp, node: &str) -> Vec<Value> {
    let answer = app
        .gql(
            None,
            "query($n: ID!) { history(node: $n) { node author action comment before after } }",
            json!({ "n": node }),
        )
        .await;
    ok(&answer, "history").as_array().unwrap().clone()
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
