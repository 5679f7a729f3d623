//! The GraphQL API over HTTP, on the seeded embedded store.

mod common;

use std::collections::BTreeSet;

use common::{error_codes, seed_records, TestApp};
use serde_json::{json, Value};

fn names(connection: &Value) -> Vec<String> {
    connection["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["name"].as_str().expect("name").to_owned())
        .collect()
}

#[tokio::test]
async fn bigbluebutton_adopters_include_fontaine_with_a_sourced_success() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ solution(id: "solution:bigbluebutton") {
                name kind licence
                adoptions(first: 50) { totalCount edges { node {
                    collectivity { id name inseeCode parent { name siren } }
                    status started
                    outcomes { kind date summary { en } sources { id title kind published } }
                } } }
            } }"#,
        )
        .await;
    let solution = &data["solution"];
    assert_eq!(solution["name"], "BigBlueButton");
    assert_eq!(solution["kind"], "LIBRE");
    let edges = solution["adoptions"]["edges"].as_array().unwrap();
    let fontaine = edges
        .iter()
        .map(|e| &e["node"])
        .find(|n| n["collectivity"]["name"] == "Fontaine")
        .expect("Fontaine adopted BigBlueButton");
    assert_eq!(
        fontaine["collectivity"]["id"],
        "collectivity:fr-commune-38169"
    );
    assert_eq!(fontaine["collectivity"]["inseeCode"], "38169");
    assert_eq!(fontaine["collectivity"]["parent"]["siren"], "200040715");
    assert_eq!(fontaine["status"], "DEPLOYED");
    assert_eq!(
        fontaine["started"],
        Value::Null,
        "the interview says the lockdown, not a year"
    );
    let outcome = &fontaine["outcomes"][0];
    assert_eq!(outcome["kind"], "SUCCESS");
    let source = &outcome["sources"][0];
    assert_eq!(source["id"], "source:interview-vivant-2025");
    assert_eq!(source["kind"], "INTERVIEW");
    assert_eq!(source["published"], "2025-10-21");
    assert_eq!(
        solution["adoptions"]["totalCount"].as_u64().unwrap() as usize,
        edges.len()
    );
}

#[tokio::test]
async fn echirolles_rolls_out_linux_volunteers_first() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ collectivity(id: "collectivity:fr-commune-38151") {
                name kind population siren
                statedFigures { name value unit source { id } }
                adoptions { edges { node { solution { id } need { id } strategy status replaced { name } } } }
            } }"#,
        )
        .await;
    let c = &data["collectivity"];
    assert_eq!(c["name"], "Échirolles");
    assert_eq!(c["kind"], "COMMUNE");
    assert_eq!(c["population"], 37491);
    let linux = c["adoptions"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .find(|n| n["solution"]["id"] == "solution:gnu-linux")
        .expect("Échirolles's Linux adoption");
    assert_eq!(linux["strategy"], "VOLUNTEER_FIRST");
    assert_eq!(linux["need"]["id"], "need:desktop-operating-system");
    assert_eq!(linux["status"], "PILOT", "a rollout still under way");
    assert_eq!(
        linux["replaced"],
        json!([]),
        "the interview names nothing replaced"
    );
    let share = c["statedFigures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "libre-share-of-infrastructure-software-approx")
        .expect("stated libre share");
    assert_eq!(share["value"], 80.0);
    assert_eq!(share["source"]["id"], "source:interview-vivant-2025");
}

#[tokio::test]
async fn the_unnamed_vendor_closed_and_its_customers_lost_their_tool() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ solution(id: "solution:unnamed-proprietary-videoconferencing") {
                kind unnamed status publisher { status closed unnamed }
                adoptions { edges { node { status ended collectivity { unnamed } outcomes { kind date } } } }
            } }"#,
        )
        .await;
    let s = &data["solution"];
    assert_eq!(s["kind"], "PROPRIETARY");
    assert_eq!(s["unnamed"], true);
    assert_eq!(s["publisher"]["status"], "CLOSED");
    assert_eq!(s["publisher"]["closed"], "2022-07");
    let adoption = &s["adoptions"]["edges"][0]["node"];
    assert_eq!(adoption["collectivity"]["unnamed"], true);
    assert_eq!(adoption["outcomes"][0]["kind"], "VENDOR_SHUTDOWN");
    assert_eq!(adoption["outcomes"][0]["date"], "2022-07");
}

#[tokio::test]
async fn alternatives_are_navigable_both_ways() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ office: solution(id: "solution:microsoft-office") { alternatives { confidence libre { id kind } sources { id } } }
                 lo: solution(id: "solution:libreoffice") { replaces { proprietary { id } } } }"#,
        )
        .await;
    let libre: Vec<&str> = data["office"]["alternatives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["libre"]["id"].as_str().unwrap())
        .collect();
    assert!(libre.contains(&"solution:libreoffice"), "{libre:?}");
    for a in data["office"]["alternatives"].as_array().unwrap() {
        assert_eq!(a["libre"]["kind"], "LIBRE");
        assert!(
            !a["sources"].as_array().unwrap().is_empty(),
            "every alternative cites a source"
        );
    }
    let replaced: Vec<&str> = data["lo"]["replaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["proprietary"]["id"].as_str().unwrap())
        .collect();
    assert!(
        replaced.contains(&"solution:microsoft-office"),
        "{replaced:?}"
    );
}

/// The seed's solutions serving a need or any need below it, computed from the YAML itself.
fn seed_solutions_under(need: &str) -> BTreeSet<String> {
    let needs = seed_records("needs");
    let mut under: BTreeSet<String> = BTreeSet::from([need.to_owned()]);
    loop {
        let before = under.len();
        for n in &needs {
            if let Some(b) = n["broader"].as_str() {
                if under.contains(b) {
                    under.insert(n["id"].as_str().unwrap().to_owned());
                }
            }
        }
        if under.len() == before {
            break;
        }
    }
    seed_records("solutions")
        .iter()
        .filter(|s| {
            s["needs"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| under.contains(n.as_str().unwrap()))
        })
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn solution_filters_are_exact() {
    let app = TestApp::spawn().await;
    let query = r#"query($f: SolutionFilter) { solutions(filter: $f, first: 100) { totalCount edges { node { id kind licence } } } }"#;
    let ids = |answer: &Value| -> BTreeSet<String> {
        answer["data"]["solutions"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
            .collect()
    };

    let direct = app
        .query_with(
            query,
            json!({ "f": { "need": "need:video-conferencing", "includeNarrower": false } }),
        )
        .await;
    let expected: BTreeSet<String> = seed_records("solutions")
        .iter()
        .filter(|s| {
            s["needs"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n == "need:video-conferencing")
        })
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        expected.contains("solution:bigbluebutton") && expected.contains("solution:jitsi-meet")
    );
    assert_eq!(ids(&direct), expected);
    assert_eq!(direct["data"]["solutions"]["totalCount"], expected.len());

    let broad_need = seed_records("needs")
        .iter()
        .find(|n| n["id"] == "need:video-conferencing")
        .and_then(|n| n["broader"].as_str().map(str::to_owned))
        .expect("video-conferencing has a broader need");
    let with_narrower = app
        .query_with(query, json!({ "f": { "need": broad_need } }))
        .await;
    let expected_broad = seed_solutions_under(&broad_need);
    assert!(expected_broad.len() > expected.len());
    assert_eq!(ids(&with_narrower), expected_broad);

    let libre_video = app
        .query_with(
            query,
            json!({ "f": { "need": "need:video-conferencing", "kind": ["LIBRE"] } }),
        )
        .await;
    for e in libre_video["data"]["solutions"]["edges"]
        .as_array()
        .unwrap()
    {
        assert_eq!(e["node"]["kind"], "LIBRE");
    }
    assert!(ids(&libre_video).contains("solution:bigbluebutton"));
    assert!(!ids(&libre_video).contains("solution:zoom"));

    let mpl = app
        .query_with(query, json!({ "f": { "licence": "mpl-2.0" } }))
        .await;
    let expected_mpl: BTreeSet<String> = seed_records("solutions")
        .iter()
        .filter(|s| {
            s["licence"].as_str().is_some_and(|l| {
                l.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '.')
                    .any(|t| t == "MPL-2.0")
            })
        })
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(expected_mpl.contains("solution:libreoffice"));
    assert_eq!(ids(&mpl), expected_mpl);
}

#[tokio::test]
async fn pagination_walks_every_solution_once_in_order() {
    let app = TestApp::spawn().await;
    let query = r#"query($after: String) { solutions(first: 7, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id name } } } }"#;
    let mut after = Value::Null;
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut pages = 0;
    loop {
        let answer = app.query_with(query, json!({ "after": after })).await;
        let conn = &answer["data"]["solutions"];
        assert_eq!(conn["pageInfo"]["hasPreviousPage"], pages > 0);
        let edges = conn["edges"].as_array().unwrap();
        assert!(edges.len() <= 7);
        for e in edges {
            seen.push((
                e["node"]["name"].as_str().unwrap().to_owned(),
                e["node"]["id"].as_str().unwrap().to_owned(),
            ));
        }
        pages += 1;
        if conn["pageInfo"]["hasNextPage"] == false {
            assert_eq!(conn["totalCount"], seed_records("solutions").len());
            break;
        }
        assert_eq!(edges.len(), 7, "only the last page is short");
        after = conn["pageInfo"]["endCursor"].clone();
    }
    let total = seed_records("solutions").len();
    assert_eq!(seen.len(), total);
    assert_eq!(pages, total.div_ceil(7));
    let ids: BTreeSet<&str> = seen.iter().map(|(_, id)| id.as_str()).collect();
    assert_eq!(ids.len(), total, "no solution twice");
    let keys: Vec<String> = seen.iter().map(|(n, _)| retex::domain::fold(n)).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(
        keys, sorted,
        "ordered by name, accent- and case-insensitive"
    );
}

#[tokio::test]
async fn collectivity_filters_and_members() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ metro: collectivity(id: "collectivity:fr-epci-200040715") { name members(first: 50) { totalCount edges { node { id } } } }
                 big: collectivities(filter: { populationMin: 30000, country: "fr", kind: [COMMUNE] }) { edges { node { name population } } }
                 isere: collectivities(filter: { department: "38" }, sort: POPULATION_DESC) { edges { node { name population } } } }"#,
        )
        .await;
    let members: BTreeSet<&str> = data["metro"]["members"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap())
        .collect();
    assert!(members.contains("collectivity:fr-commune-38151"));
    assert!(members.contains("collectivity:fr-commune-38169"));
    assert_eq!(
        names(&data["big"]),
        vec!["Échirolles"],
        "Fontaine has 22,020 inhabitants"
    );
    let isere = names(&data["isere"]);
    assert_eq!(
        isere.first().map(String::as_str),
        Some("Grenoble-Alpes-Métropole")
    );
    let pops: Vec<i64> = data["isere"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["population"].as_i64().unwrap_or(-1))
        .collect();
    assert!(pops.windows(2).all(|w| w[0] >= w[1]), "{pops:?}");
}

#[tokio::test]
async fn adoption_filters_by_status_and_outcome() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ shut: adoptions(filter: { outcome: [VENDOR_SHUTDOWN] }) { totalCount edges { node { id } } }
                 ok: adoptions(filter: { outcome: [SUCCESS], need: "need:desktop-operating-system" }) { totalCount edges { node { collectivity { name } } } }
                 abandoned: adoptions(filter: { status: [ABANDONED] }) { totalCount } }"#,
        )
        .await;
    assert_eq!(data["shut"]["totalCount"], 1);
    assert_eq!(
        data["shut"]["edges"][0]["node"]["id"],
        "adoption:grenoble-area-unnamed-videoconferencing"
    );
    let ok: Vec<&str> = data["ok"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["collectivity"]["name"].as_str().unwrap())
        .collect();
    assert!(ok.is_empty(), "no desktop OS success is stated: {ok:?}");
    let expected_abandoned = seed_records("adoptions")
        .iter()
        .filter(|a| a["status"] == "ABANDONED")
        .count();
    assert_eq!(data["abandoned"]["totalCount"], expected_abandoned);
}

#[tokio::test]
async fn search_ignores_accents_and_case() {
    let app = TestApp::spawn().await;
    let query = r#"query($t: String!) { search(text: $t) { kind label node { id } } }"#;
    for (text, target) in [
        ("visio", "need:video-conferencing"),
        ("visioconférence", "need:video-conferencing"),
        ("VISIOCONFERENCE", "need:video-conferencing"),
        ("Echirolles", "collectivity:fr-commune-38151"),
        ("Échirolles", "collectivity:fr-commune-38151"),
        ("échirolles", "collectivity:fr-commune-38151"),
        ("38151", "collectivity:fr-commune-38151"),
        ("bigblue", "solution:bigbluebutton"),
    ] {
        let answer = app.query_with(query, json!({ "t": text })).await;
        let ids: Vec<&str> = answer["data"]["search"]
            .as_array()
            .unwrap_or_else(|| panic!("{text}: {answer}"))
            .iter()
            .map(|h| h["node"]["id"].as_str().unwrap())
            .collect();
        assert!(
            ids.contains(&target),
            "{text} should find {target}, found {ids:?}"
        );
    }
    let none = app.query_with(query, json!({ "t": "zzzznothing" })).await;
    assert_eq!(none["data"]["search"], json!([]));
    let empty = app.query_with(query, json!({ "t": "  *** " })).await;
    assert_eq!(error_codes(&empty), vec!["BAD_USER_INPUT"]);
}

/// Search ranks as a practitioner reads: a name before a mere mention, software before the
/// places that share a word, and the score falls with the rank (expectations from the seed's
/// records: `seed/needs.yaml` labels `need:office-suite` "Office suite" in English,
/// `seed/solutions.yaml` names Microsoft Office, ONLYOFFICE and LibreOffice,
/// `seed/collectivities.yaml` names the MIM after mim-libre.fr).
#[tokio::test]
async fn search_ranks_names_then_kinds_then_evidence() {
    let app = TestApp::spawn().await;
    let query = r#"query($t: String!) { search(text: $t) { kind score node { id } } }"#;
    let ranked = |answer: &Value| -> Vec<(String, String, f64)> {
        answer["data"]["search"]
            .as_array()
            .unwrap_or_else(|| panic!("{answer}"))
            .iter()
            .map(|h| {
                (
                    h["kind"].as_str().unwrap().to_owned(),
                    h["node"]["id"].as_str().unwrap().to_owned(),
                    h["score"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    // "office": the two needs it names (in English), then Microsoft Office (in its name),
    // then the suites that serve an office need (in their text only).
    let office = ranked(&app.query_with(query, json!({ "t": "office" })).await);
    let kinds: Vec<&str> = office.iter().map(|(k, ..)| k.as_str()).collect();
    assert_eq!(&kinds[..3], ["NEED", "NEED", "SOLUTION"], "{office:?}");
    assert_eq!(office[2].1, "solution:microsoft-office", "{office:?}");
    assert!(
        office[3..]
            .iter()
            .any(|(_, id, _)| id == "solution:onlyoffice"),
        "{office:?}"
    );
    // "libre": the solutions named by it before the collectivity whose name holds it.
    let libre = ranked(&app.query_with(query, json!({ "t": "libre" })).await);
    let ids: Vec<&str> = libre.iter().map(|(_, id, _)| id.as_str()).collect();
    let at = |id: &str| {
        ids.iter()
            .position(|i| *i == id)
            .unwrap_or_else(|| panic!("{id} in {ids:?}"))
    };
    assert!(
        at("solution:libreoffice") < at("collectivity:fr-mim"),
        "{ids:?}"
    );
    // Scores fall with the rank.
    for answer in [&office, &libre] {
        assert!(answer.windows(2).all(|w| w[0].2 >= w[1].2), "{answer:?}");
    }
}

#[tokio::test]
async fn bad_input_gets_stable_codes() {
    let app = TestApp::spawn().await;
    for (query, code) in [
        (
            "{ solution(id: \"solution:bigbluebutton\") { name ",
            "BAD_USER_INPUT",
        ),
        ("{ solution(id: \"not an id\") { name } }", "BAD_USER_INPUT"),
        (
            "{ solution(id: \"need:video-conferencing\") { name } }",
            "BAD_USER_INPUT",
        ),
        (
            "{ solution(id: \"solution:does-not-exist\") { name } }",
            "NOT_FOUND",
        ),
        (
            "{ solutions(first: 1000) { totalCount } }",
            "BAD_USER_INPUT",
        ),
        ("{ solutions(first: -1) { totalCount } }", "BAD_USER_INPUT"),
        (
            "{ solutions(after: \"garbage\") { totalCount } }",
            "BAD_USER_INPUT",
        ),
        ("{ solutions { nosuchfield } }", "BAD_USER_INPUT"),
        (
            "{ solutions(filter: { kind: [NOPE] }) { totalCount } }",
            "BAD_USER_INPUT",
        ),
        (
            "{ collectivities(filter: { populationMin: 10, populationMax: 5 }) { totalCount } }",
            "BAD_USER_INPUT",
        ),
    ] {
        let answer = app.query(query).await;
        assert_eq!(error_codes(&answer), vec![code], "{query}: {answer}");
        let message = answer["errors"][0]["message"].as_str().unwrap();
        assert!(
            !message.contains("sqlite") && !message.contains("SELECT"),
            "no internals leak: {message}"
        );
    }
    let cursor_of_other_order = app
        .data("{ collectivities(first: 1, sort: POPULATION_DESC) { pageInfo { endCursor } } }")
        .await["collectivities"]["pageInfo"]["endCursor"]
        .clone();
    let answer = app
        .query_with(
            "query($a: String) { collectivities(after: $a) { totalCount } }",
            json!({ "a": cursor_of_other_order }),
        )
        .await;
    assert_eq!(error_codes(&answer), vec!["BAD_USER_INPUT"], "{answer}");
}

#[tokio::test]
async fn hostile_requests_are_refused_cleanly() {
    let app = TestApp::spawn_with(|c| c.limits.depth = 8).await;
    let deep = "{ solution(id: \"solution:bigbluebutton\") { adoptions { edges { node { collectivity { adoptions { edges { node { solution { name } } } } } } } } } }";
    assert_eq!(error_codes(&app.query(deep).await), vec!["BAD_USER_INPUT"]);
    let wide = "{ solutions(first: 100) { edges { node { adoptions(first: 100) { edges { node { collectivity { adoptions(first: 100) { totalCount } } } } } } } } }";
    // Priced before it runs: refused with 400 like every request that never ran.
    let response = app
        .client()
        .post(app.url("/graphql"))
        .json(&json!({ "query": wide }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_codes(&body), vec!["BAD_USER_INPUT"]);
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("costs"));

    let huge =
        json!({ "query": format!("{{ search(text: \"{}\") {{ label }} }}", "a".repeat(100_000)) });
    let response = app
        .client()
        .post(app.url("/graphql"))
        .json(&huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_codes(&body), vec!["BAD_USER_INPUT"]);

    let response = app
        .client()
        .post(app.url("/graphql"))
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    let response = app
        .client()
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_codes(&body), vec!["BAD_USER_INPUT"]);
    let response = app
        .client()
        .post(app.url("/graphql"))
        .json(&json!([{ "query": "{ statistics { kind } }" }]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);

    let long_text = format!(
        "{{ solutions(filter: {{ text: \"{}\" }}) {{ totalCount }} }}",
        "x".repeat(300)
    );
    assert_eq!(
        error_codes(&app.query(&long_text).await),
        vec!["BAD_USER_INPUT"]
    );

    // The server is still up.
    let health = app.client().get(app.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
}

#[tokio::test]
async fn health_graphiql_and_assets_are_served_locally() {
    let app = TestApp::spawn().await;
    let health: Value = app
        .client()
        .get(app.url("/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    let page = app
        .client()
        .get(app.url("/graphiql"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("\"/static/graphiql.min-"),
        "hashed asset names"
    );
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "no outside host on the page"
    );
    // Every asset the page names (the GraphiQL page's `src` and `href`) is served here.
    let assets: Vec<&str> = page
        .split(['"'])
        .filter(|part| part.starts_with("/static/"))
        .collect();
    assert_eq!(assets.len(), 5, "{assets:?}");
    for asset in assets {
        let response = app.client().get(app.url(asset)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{asset}");
        assert!(
            response.bytes().await.unwrap().len() > 100,
            "{asset} has content"
        );
    }
    let missing = app
        .client()
        .get(app.url("/static/nope.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let get = app
        .client()
        .get(app.url("/graphql?query=%7B%20statistics%20%7B%20kind%20count%20%7D%20%7D"))
        .send()
        .await
        .unwrap();
    let body: Value = get.json().await.unwrap();
    let solutions = body["data"]["statistics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "solution")
        .unwrap()["count"]
        .as_u64()
        .unwrap();
    assert_eq!(solutions as usize, seed_records("solutions").len());
}

#[tokio::test]
async fn needs_form_a_navigable_hierarchy_with_labels_in_two_languages() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ need(id: "need:video-conferencing") { label { fr en value(lang: EN) } publiccodeCategory broader { id narrower { id } } }
                 top: needs(filter: { topLevel: true }, first: 100) { totalCount } all: needs { totalCount }
                 node(id: "alternative:libreoffice--microsoft-office") { ... on Alternative { confidence } } }"#,
        )
        .await;
    let need = &data["need"];
    assert_eq!(need["label"]["fr"], "Visioconférence");
    assert_eq!(need["label"]["value"], need["label"]["en"]);
    assert_eq!(need["publiccodeCategory"], "video-conferencing");
    let siblings: Vec<&str> = need["broader"]["narrower"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert!(siblings.contains(&"need:video-conferencing"));
    let seed_needs = seed_records("needs");
    assert_eq!(data["all"]["totalCount"], seed_needs.len());
    assert_eq!(
        data["top"]["totalCount"],
        seed_needs
            .iter()
            .filter(|n| n.get("broader").is_none())
            .count()
    );
    assert_eq!(data["node"]["confidence"], "STRONG");
}

#[tokio::test]
async fn contributions_are_visible_from_both_sides() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ collectivity(id: "collectivity:fr-commune-38151") {
                    contributions { id kind sharePercent solution { id } note { en } sources { id } } }
                 node(id: "contribution:echirolles-developer-time") { ... on Contribution { collectivity { name } } }
                 search(text: "Échirolles", kinds: [COLLECTIVITY]) { node { id } } }"#,
        )
        .await;
    let contributions = data["collectivity"]["contributions"].as_array().unwrap();
    assert_eq!(contributions.len(), 3);
    let c = contributions
        .iter()
        .find(|c| c["id"] == "contribution:echirolles-developer-time")
        .unwrap();
    assert_eq!(c["kind"], "STAFF_TIME");
    assert_eq!(c["sharePercent"], 20.0);
    assert_eq!(
        c["solution"],
        Value::Null,
        "the interview does not name the projects"
    );
    assert_eq!(c["sources"][0]["id"], "source:interview-vivant-2025");
    assert_eq!(data["node"]["collectivity"]["name"], "Échirolles");
    let plugin = contributions
        .iter()
        .find(|c| c["id"] == "contribution:echirolles-wordpress-plugin")
        .unwrap();
    assert_eq!(plugin["kind"], "CODE");
    assert_eq!(plugin["solution"]["id"], "solution:wordpress");
    let none = app
        .data(r#"{ solution(id: "solution:bigbluebutton") { contributors { id } } }"#)
        .await;
    assert_eq!(none["solution"]["contributors"], json!([]));
}

#[tokio::test]
async fn get_requests_never_run_mutations() {
    let app = TestApp::spawn().await;
    let get = |query: &'static str, operation: Option<&'static str>| {
        let mut params = vec![("query", query)];
        if let Some(op) = operation {
            params.push(("operationName", op));
        }
        app.client().get(app.url("/graphql")).query(&params).send()
    };
    let plain = get("mutation { retireAdoption(id: \"adoption:fontaine-bigbluebutton\", expectedVersion: \"0\") { id } }", None)
        .await
        .unwrap();
    assert_eq!(plain.status(), 405);
    let body: Value = plain.json().await.unwrap();
    assert_eq!(error_codes(&body), vec!["BAD_USER_INPUT"]);
    let hidden = "query A { statistics { kind } }\nmutation B { retireAdoption(id: \"adoption:fontaine-bigbluebutton\", expectedVersion: \"0\") { id } }";
    assert_eq!(
        get(hidden, Some("B")).await.unwrap().status(),
        405,
        "chosen by name"
    );
    assert_eq!(
        get(hidden, None).await.unwrap().status(),
        405,
        "no name: any mutation refuses"
    );
    let query_only = get(hidden, Some("A")).await.unwrap();
    assert_eq!(query_only.status(), 200);
    let body: Value = query_only.json().await.unwrap();
    assert!(body["data"]["statistics"].is_array(), "{body}");
}

/// Posts a query and returns the answer with its `X-Retex-Cache` header.
async fn cached_query(app: &TestApp, token: Option<&str>, query: &str) -> (String, Value) {
    let mut request = app
        .client()
        .post(app.url("/graphql"))
        .json(&json!({ "query": query }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request sent");
    assert_eq!(response.status(), 200);
    let cache = response
        .headers()
        .get("x-retex-cache")
        .expect("the cache header")
        .to_str()
        .unwrap()
        .to_owned();
    (cache, response.json().await.expect("JSON answer"))
}

#[tokio::test]
async fn anonymous_reads_are_kept_until_a_write_moves_the_revision() {
    let app = TestApp::spawn().await;
    let count = "{ sources(first: 1) { totalCount } }";
    let seeded = seed_records("sources").len() as u64;
    let (first, answer) = cached_query(&app, None, count).await;
    assert_eq!(first, "miss");
    assert_eq!(answer["data"]["sources"]["totalCount"], seeded);
    let (second, again) = cached_query(&app, None, count).await;
    assert_eq!(second, "hit");
    assert_eq!(again, answer);

    // A bearer token's reads are answered afresh and not kept.
    let (_, admin) = app.token(None, &[retex::domain::Scope::Admin]).await;
    let (with_token, _) = cached_query(&app, Some(&admin), count).await;
    assert_eq!(with_token, "none");

    // A write moves the revision: the next read is computed again and sees it.
    let created = app
        .gql(
            Some(&admin),
            "mutation($input: SourceInput!) { createSource(input: $input) { id } }",
            json!({ "input": { "id": "source:cache-test", "title": "Cache test", "kind": "ARTICLE" } }),
        )
        .await;
    assert!(created.get("errors").is_none(), "{created}");
    let (after, fresh) = cached_query(&app, None, count).await;
    assert_eq!(after, "miss");
    assert_eq!(fresh["data"]["sources"]["totalCount"], seeded + 1);
    assert_eq!(cached_query(&app, None, count).await.0, "hit");

    // Answers with errors, and answers with data that changes between revisions, are not kept.
    let (broken, answer) =
        cached_query(&app, None, "{ solution(id: \"solution:nope\") { id } }").await;
    assert_eq!(broken, "none");
    assert!(!error_codes(&answer).is_empty());
    let watch = "{ watchStatus { id lastChecked } }";
    assert_eq!(cached_query(&app, None, watch).await.0, "none");
    assert_eq!(cached_query(&app, None, watch).await.0, "none");
}
