//! Peers, peer experience, adoption paths, selection advice, risk and statistics, over HTTP on
//! the seeded embedded store: real answers from the seed's sourced facts.

mod common;

use common::{bigbluebutton_cycle, error_codes, TestApp};
use serde_json::Value;

/// The item of a list whose field at `path` (dotted) equals `value`.
fn find<'a>(list: &'a Value, path: &str, value: &str) -> &'a Value {
    list.as_array()
        .expect("a list")
        .iter()
        .find(|x| {
            path.split('.')
                .try_fold(*x, |v, k| v.get(k))
                .and_then(Value::as_str)
                == Some(value)
        })
        .unwrap_or_else(|| panic!("no item with {path} = {value} in {list}"))
}

fn close(v: &Value, expected: f64) -> bool {
    (v.as_f64().expect("a number") - expected).abs() < 1e-9
}

#[tokio::test]
async fn fontaine_videoconferencing_experience_shows_bigbluebutton_with_a_success() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ experience(need: "need:video-conferencing", for: "collectivity:fr-commune-38169") {
                need { id } asker { name } totalCount
                peers { collectivity { id } similarity { score { total } } }
                solutions {
                    solution { id kind }
                    counts { adoptions byStatus { status count } byOutcome { kind count }
                             hostings { hosting count } firstStarted lastStarted sources { id } }
                    peerAdopters
                    peerAdoptions { collectivity { name } similarity own outcomeKinds
                                    outcomes { summary { en } } sources { id } }
                    score { total parts { name value weight points count } }
                    explanation { fr en } weighedForAsker adoptionsByCountry { country adoptions }
                }
            } }"#,
        )
        .await;
    let e = &data["experience"];
    assert_eq!(e["asker"]["name"], "Fontaine");
    assert_eq!(e["totalCount"], 3);
    let solutions = e["solutions"].as_array().unwrap();
    let ids: Vec<&str> = solutions
        .iter()
        .map(|s| s["solution"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "solution:bigbluebutton",
            "solution:jitsi-meet",
            "solution:unnamed-proprietary-videoconferencing"
        ],
        "best evidence first"
    );
    let bbb = &solutions[0];
    assert_eq!(bbb["counts"]["adoptions"], 2);
    assert_eq!(bbb["counts"]["byOutcome"][0]["kind"], "SUCCESS");
    assert_eq!(bbb["counts"]["byOutcome"][0]["count"], 1);
    assert_eq!(
        bbb["counts"]["firstStarted"],
        Value::Null,
        "neither adoption states a start"
    );
    let sources: Vec<&str> = bbb["counts"]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        ["source:interview-vivant-2025", "source:sill-2022"]
    );
    // Fontaine's own adoption, then the ministry (a peer through BigBlueButton).
    let own = &bbb["peerAdoptions"][0];
    assert_eq!(own["collectivity"]["name"], "Fontaine");
    assert_eq!(own["own"], true);
    assert_eq!(own["outcomeKinds"][0], "SUCCESS");
    assert_eq!(
        own["outcomes"][0]["summary"]["en"],
        "Works well and is still maintained, per the city's former IT director in October 2025."
    );
    assert_eq!(own["sources"][0]["id"], "source:interview-vivant-2025");
    assert_eq!(bbb["peerAdopters"], 2);
    // Score parts, weighed for Fontaine: its own DEPLOYED adoption is comparable (same
    // country, kind and size): ln(1 + 1); the ministry's is another kind of body in the same
    // country: 0.3 × ln(1 + 1); Fontaine's SUCCESS: ln(1 + 1); peers: 2 × (1 × (1 + 1) + 0.205 × 1).
    let parts = &bbb["score"]["parts"];
    let points = |name: &str| find(parts, "name", name)["points"].clone();
    assert!(close(&points("comparableAdoptions"), 2f64.ln()), "{parts}");
    assert_eq!(find(parts, "name", "comparableAdoptions")["count"], 1);
    assert!(
        close(&points("sameCountryAdoptions"), 0.3 * 2f64.ln()),
        "{parts}"
    );
    assert_eq!(find(parts, "name", "sameCountryAdoptions")["weight"], 0.3);
    assert!(close(&points("otherAdoptions"), 0.0), "{parts}");
    assert!(close(&points("favourableOutcomes"), 2f64.ln()), "{parts}");
    assert!(close(&find(parts, "name", "peers")["value"], 2.205));
    assert!(close(
        &bbb["score"]["total"],
        2f64.ln() + 0.3 * 2f64.ln() + 2f64.ln() + 2.0 * 2.205
    ));
    // Without an asker, the evidence says where it comes from; with one, it was weighed.
    assert_eq!(bbb["weighedForAsker"], true);
    assert_eq!(bbb["adoptionsByCountry"][0]["country"], "FR");
    assert_eq!(bbb["adoptionsByCountry"][0]["adoptions"], 2);
    assert_eq!(
        bbb["explanation"]["fr"],
        "1 adoption par une collectivité comparable ; 1 adoption par un autre type \
         d'organisme du même pays ; 1 retour favorable ; adoptée par 1 de vos pairs ; vous \
         l'utilisez déjà ; score 6,00"
    );
    assert_eq!(
        bbb["explanation"]["en"],
        "1 adoption by a comparable body; 1 adoption by another kind of body in the same \
         country; 1 favourable outcome; adopted by 1 of your peers; you use it already; score \
         6.00"
    );
    // The vendor that shut down counts against its solution, weighed as the experience of
    // another kind of body (the unnamed group of collectivities) in Fontaine's country.
    let unnamed = &solutions[2];
    assert_eq!(unnamed["counts"]["byOutcome"][0]["kind"], "VENDOR_SHUTDOWN");
    let against = find(&unnamed["score"]["parts"], "name", "unfavourableOutcomes");
    assert!(close(&against["value"], 0.3));
    assert!(close(&against["points"], -(1.3f64.ln())));
    assert_eq!(against["count"], 1);
}

#[tokio::test]
async fn adoption_paths_from_the_unnamed_vendor_show_its_shutdown_and_bigbluebutton() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ adoptionPaths(from: "solution:unnamed-proprietary-videoconferencing") {
                totalCount
                from { solution { name } counts { byOutcome { kind count } }
                       against { id kind date adoption { collectivity { id } } outcome { summary { en } } }
                       favourable { id }
                       risk { level factors { reason level date count } } }
                paths { alternative { solution { id } link { kind needs { id } }
                                      counts { byOutcome { kind count } } score { total } }
                        adopters { collectivity { name } outcomeKinds } }
                walk { nodes { id kind label } edges { from to relation } }
            } }"#,
        )
        .await;
    let p = &data["adoptionPaths"];
    let against = &p["from"]["against"][0];
    assert_eq!(against["kind"], "VENDOR_SHUTDOWN");
    assert_eq!(against["date"], "2022-07");
    assert_eq!(
        against["adoption"]["collectivity"]["id"],
        "collectivity:fr-grenoble-area-other-collectivities"
    );
    assert_eq!(p["from"]["favourable"].as_array().unwrap().len(), 0);
    let reasons: Vec<&str> = p["from"]["risk"]["factors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        ["PUBLISHER_CLOSED", "DISCONTINUED", "ADOPTERS_LOST_VENDOR"]
    );
    assert_eq!(p["from"]["risk"]["level"], "HIGH");
    assert_eq!(p["from"]["risk"]["factors"][0]["date"], "2022-07");

    assert_eq!(p["totalCount"], 2);
    let first = &p["paths"][0];
    assert_eq!(
        first["alternative"]["solution"]["id"],
        "solution:bigbluebutton"
    );
    assert_eq!(first["alternative"]["link"]["kind"], "SAME_NEED");
    assert_eq!(
        first["alternative"]["link"]["needs"][0]["id"],
        "need:video-conferencing"
    );
    assert_eq!(
        first["alternative"]["counts"]["byOutcome"][0]["kind"],
        "SUCCESS"
    );
    assert_eq!(first["adopters"][0]["collectivity"]["name"], "Fontaine");
    assert_eq!(first["adopters"][0]["outcomeKinds"][0], "SUCCESS");
    // ln(1 + 2 deployed) + ln(1 + 1 success) + 0 for a same-need link.
    assert!(close(
        &first["alternative"]["score"]["total"],
        3f64.ln() + 2f64.ln()
    ));
    assert_eq!(
        p["paths"][1]["alternative"]["solution"]["id"],
        "solution:jitsi-meet"
    );

    // The walk: proprietary → alternative → adoption → adopter, and → outcome.
    let edges = &p["walk"]["edges"];
    let has = |from: &str, to: &str, relation: &str| {
        edges
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["from"] == from && e["to"] == to && e["relation"] == relation)
    };
    assert!(has(
        "solution:unnamed-proprietary-videoconferencing",
        "solution:bigbluebutton",
        "SAME_NEED"
    ));
    assert!(has(
        "solution:bigbluebutton",
        "adoption:fontaine-bigbluebutton",
        "ADOPTED_IN"
    ));
    assert!(has(
        "adoption:fontaine-bigbluebutton",
        "collectivity:fr-commune-38169",
        "ADOPTED_BY"
    ));
    assert!(has(
        "adoption:fontaine-bigbluebutton",
        "outcome:fontaine-bigbluebutton--1",
        "OUTCOME"
    ));
    assert!(has(
        "adoption:grenoble-area-unnamed-videoconferencing",
        "outcome:grenoble-area-unnamed-videoconferencing--1",
        "OUTCOME"
    ));
    assert_eq!(
        find(
            &p["walk"]["nodes"],
            "id",
            "outcome:grenoble-area-unnamed-videoconferencing--1"
        )["label"],
        "VENDOR_SHUTDOWN"
    );
}

#[tokio::test]
async fn adoption_paths_from_zoom_follow_the_direct_replaces_link_first() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ adoptionPaths(from: "solution:zoom", first: 3) {
                paths { alternative { solution { id } link { kind alternative { confidence } }
                                      score { parts { name value points } } } }
                walk { edges { from to relation detail } }
            } }"#,
        )
        .await;
    let first = &data["adoptionPaths"]["paths"][0]["alternative"];
    assert_eq!(first["solution"]["id"], "solution:bigbluebutton");
    assert_eq!(first["link"]["kind"], "REPLACES");
    assert_eq!(first["link"]["alternative"]["confidence"], "STRONG");
    let confidence = find(&first["score"]["parts"], "name", "replacesConfidence");
    assert!(close(&confidence["points"], 1.0));
    let edge = find(
        &data["adoptionPaths"]["walk"]["edges"],
        "to",
        "solution:bigbluebutton",
    );
    assert_eq!(edge["relation"], "REPLACED_BY");
    assert_eq!(edge["detail"], "STRONG");
}

#[tokio::test]
async fn echirolles_selection_advice_for_a_covered_need_starts_with_step_one() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ selectionAdvice(collectivity: "collectivity:fr-commune-38151",
                                 need: "need:desktop-operating-system") {
                collectivity { name } need { id } conclusion
                steps { order kind found
                        options { solution { id kind status risk { level } }
                                  peerAdoptions { collectivity { name } own strategy } } }
            } }"#,
        )
        .await;
    let a = &data["selectionAdvice"];
    assert_eq!(a["conclusion"], "ALREADY_RUNS");
    let steps = a["steps"].as_array().unwrap();
    let kinds: Vec<&str> = steps.iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["ALREADY_RUNS", "LIBRE", "PROPRIETARY", "BUILD_IN_HOUSE"]
    );
    assert_eq!(steps[0]["order"], 1);
    assert_eq!(steps[0]["found"], true);
    let linux = &steps[0]["options"][0];
    assert_eq!(linux["solution"]["id"], "solution:gnu-linux");
    assert_eq!(linux["solution"]["risk"]["level"], "NONE");
    assert_eq!(
        linux["peerAdoptions"][0]["collectivity"]["name"],
        "Échirolles"
    );
    assert_eq!(linux["peerAdoptions"][0]["own"], true);
    assert_eq!(linux["peerAdoptions"][0]["strategy"], "VOLUNTEER_FIRST");
    assert_eq!(
        steps[2]["options"][0]["solution"]["id"],
        "solution:microsoft-windows"
    );
}

#[tokio::test]
async fn peers_of_fontaine_are_explained() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ peers(of: "collectivity:fr-commune-38169", need: "need:video-conferencing") {
                collectivity { id }
                similarity { proximity sharedSolutionCount score { total parts { name value weight points } } }
                sharedSolutions { id }
                adoptions { solution { id } status }
            } }"#,
        )
        .await;
    let peers = data["peers"].as_array().unwrap();
    assert_eq!(
        peers[0]["collectivity"]["id"],
        "collectivity:fr-commune-38151"
    );
    let s = &peers[0]["similarity"];
    assert_eq!(s["proximity"], "SAME_DEPARTMENT");
    // Same kind, populations 22,020 and 37,491, same department, nothing shared.
    let population = 1.0 - (37491f64 / 22020f64).ln() / 10f64.ln();
    let parts = &s["score"]["parts"];
    assert!(close(
        &find(parts, "name", "population")["value"],
        population
    ));
    assert!(close(&s["score"]["total"], 0.25 + 0.25 * population + 0.15));
    // The ministry shares BigBlueButton: Jaccard 1/2, same country only.
    let ministry = &peers[1];
    assert_eq!(
        ministry["collectivity"]["id"],
        "collectivity:fr-ministere-education-nationale"
    );
    assert_eq!(
        ministry["sharedSolutions"][0]["id"],
        "solution:bigbluebutton"
    );
    assert!(close(
        &ministry["similarity"]["score"]["total"],
        0.35 * 0.5 + 0.15 * 0.2
    ));
    assert_eq!(
        ministry["adoptions"][0]["solution"]["id"],
        "solution:bigbluebutton"
    );
}

#[tokio::test]
async fn stated_and_computed_figures_stay_apart() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ collectivityStatistics(id: "collectivity:fr-commune-38151") {
                stated { name value unit origin source { id } }
                computed { name value unit origin }
            }
            adoptionTimeline(need: "need:video-conferencing") { years { year count } undated total }
            aggregates { collectivityKind collectivities adopters adoptions } }"#,
        )
        .await;
    let s = &data["collectivityStatistics"];
    let stated = find(
        &s["stated"],
        "name",
        "libre-share-of-infrastructure-software-approx",
    );
    assert_eq!(stated["value"], 80.0);
    assert_eq!(stated["origin"], "STATED");
    assert_eq!(stated["source"]["id"], "source:interview-vivant-2025");
    let computed = find(&s["computed"], "name", "libre-share");
    assert_eq!(computed["origin"], "COMPUTED");
    assert_eq!(computed["value"], 100.0);
    let t = &data["adoptionTimeline"];
    assert_eq!(t["total"], 5);
    assert_eq!(
        t["undated"], 3,
        "Fontaine's BigBlueButton has no stated start"
    );
    assert_eq!(t["years"][0]["year"], 2019);
    assert_eq!(t["years"][0]["count"], 2);
    let national = &data["aggregates"][0];
    assert!(national["collectivityKind"].is_null());
    assert_eq!(national["adoptions"], 24, "every adoption of the seed");
}

#[tokio::test]
async fn unknown_and_malformed_ids_get_stable_codes() {
    let app = TestApp::spawn().await;
    let answer = app
        .query(r#"{ peers(of: "collectivity:nowhere") { similarity { score { total } } } }"#)
        .await;
    assert_eq!(error_codes(&answer), ["NOT_FOUND"]);
    let answer = app
        .query(r#"{ experience(need: "solution:zoom") { totalCount } }"#)
        .await;
    assert_eq!(error_codes(&answer), ["BAD_USER_INPUT"]);
    let answer = app
        .query(r#"{ adoptionPaths(from: "solution:zoom", first: 1000) { totalCount } }"#)
        .await;
    assert_eq!(error_codes(&answer), ["BAD_USER_INPUT"]);
    let answer = app.query(r#"{ adoptionTimeline { total } }"#).await;
    assert_eq!(error_codes(&answer), ["BAD_USER_INPUT"]);
}

#[tokio::test]
async fn imported_release_cycles_raise_continuity_risk_and_alerts() {
    use chrono::Duration;
    let app = TestApp::spawn().await;
    let today = chrono::Utc::now().date_naive();
    let since = today - Duration::days(365);
    let query = format!(
        r#"{{
      solution(id: "solution:bigbluebutton") {{
        risk {{ level releaseDataAvailable factors {{ reason level date }} }}
      }}
      releaseCycles(solution: "solution:bigbluebutton") {{ cycle eolDate }}
      alerts(collectivity: "collectivity:fr-commune-38169", since: "{since}") {{
        kind version date solution {{ id }}
      }}
    }}"#
    );
    let query = query.as_str();
    // The store is written directly below: read as a writer does (with a token), which waits
    // for the index of the store's current revision (anonymous readers may be answered from
    // an index up to a second old).
    let (_, writer) = app.token(None, &[retex::domain::Scope::Admin]).await;
    let read = || async {
        let answer = app.gql(Some(&writer), query, serde_json::json!({})).await;
        assert!(answer.get("errors").is_none(), "{answer}");
        answer["data"].clone()
    };
    let data = read().await;
    assert_eq!(data["solution"]["risk"]["releaseDataAvailable"], false);
    assert!(!data["alerts"].to_string().contains("EOL"));

    // Fontaine runs BigBlueButton; its newest known cycle ended 200 days ago.
    let ended = today - Duration::days(200);
    let batch = retex::domain::Batch {
        releases: vec![bigbluebutton_cycle(
            "2.7",
            &(today - Duration::days(1_000)).to_string(),
            &ended.to_string(),
        )],
        ..Default::default()
    };
    app.store.write(batch).await.unwrap();
    let data = read().await;
    let risk = &data["solution"]["risk"];
    assert_eq!(risk["releaseDataAvailable"], true);
    assert_eq!(risk["level"], "HIGH");
    let factor = find(&risk["factors"], "reason", "RELEASE_END_OF_LIFE");
    assert_eq!(factor["date"], ended.to_string());
    let alert = find(&data["alerts"], "kind", "EOL_REACHED");
    assert_eq!(alert["version"], "2.7");
    assert_eq!(alert["date"], ended.to_string());
    assert_eq!(alert["solution"]["id"], "solution:bigbluebutton");

    // A newer cycle, out for 900 days and ending in 100: the risk is that end, and the alert
    // warns of it.
    let ends = today + Duration::days(100);
    let batch = retex::domain::Batch {
        releases: vec![bigbluebutton_cycle(
            "3.0",
            &(today - Duration::days(900)).to_string(),
            &ends.to_string(),
        )],
        ..Default::default()
    };
    app.store.write(batch).await.unwrap();
    let data = read().await;
    let risk = &data["solution"]["risk"];
    assert_eq!(risk["level"], "MEDIUM", "{risk}");
    let reasons: Vec<&str> = risk["factors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["reason"].as_str())
        .filter(|r| r.starts_with("RELEASE") || r.starts_with("NO_RECENT"))
        .collect();
    assert_eq!(reasons, vec!["RELEASE_END_OF_LIFE_SOON"]);
    assert_eq!(
        find(&risk["factors"], "reason", "RELEASE_END_OF_LIFE_SOON")["date"],
        ends.to_string()
    );
    let cycles: Vec<&str> = data["releaseCycles"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["cycle"].as_str())
        .collect();
    assert_eq!(cycles, vec!["2.7", "3.0"]);
    let soon = find(&data["alerts"], "kind", "EOL_SOON");
    assert_eq!(soon["version"], "3.0");
}

#[tokio::test]
async fn adoption_paths_put_declared_replacements_first_and_explain_them_in_two_languages() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ adoptionPaths(from: "solution:microsoft-teams", for: "collectivity:fr-commune-38151") {
                paths { tier alternative { solution { id } score { total }
                                           link { kind needs { id } } explanation { fr en } } }
            } }"#,
        )
        .await;
    let paths = data["adoptionPaths"]["paths"].as_array().unwrap();
    let ids: Vec<&str> = paths
        .iter()
        .map(|p| p["alternative"]["solution"]["id"].as_str().unwrap())
        .collect();
    // Element, the declared (PARTIAL) replacement without adoptions, ranks above
    // BigBlueButton, which only shares Teams' video-conferencing need, whatever its evidence.
    assert_eq!(
        ids,
        [
            "solution:element",
            "solution:bigbluebutton",
            "solution:jitsi-meet",
            "solution:rocket-chat"
        ]
    );
    let tiers: Vec<&str> = paths.iter().map(|p| p["tier"].as_str().unwrap()).collect();
    assert_eq!(
        tiers,
        [
            "DECLARED_REPLACEMENT",
            "SAME_NEED",
            "SAME_NEED",
            "SAME_NEED"
        ]
    );
    let (element, bbb) = (&paths[0]["alternative"], &paths[1]["alternative"]);
    assert!(element["score"]["total"].as_f64() < bbb["score"]["total"].as_f64());
    assert_eq!(
        element["explanation"]["fr"],
        "remplacement déclaré (partiel) ; aucune adoption connue ; score 0,60"
    );
    assert_eq!(
        element["explanation"]["en"],
        "declared replacement (partial); no known adoption; score 0.60"
    );
    assert_eq!(bbb["link"]["needs"][0]["id"], "need:video-conferencing");
    assert_eq!(
        bbb["explanation"]["fr"],
        "même besoin : Visioconférence ; 1 adoption par une collectivité comparable ; 1 adoption \
         par un autre type d'organisme du même pays ; 1 retour favorable ; adoptée par 1 de vos \
         pairs ; score 3,96"
    );
    assert_eq!(
        bbb["explanation"]["en"],
        "same need: Video conferencing; 1 adoption by a comparable body; 1 adoption by another \
         kind of body in the same country; 1 favourable outcome; adopted by 1 of your peers; \
         score 3.96"
    );
}

#[tokio::test]
async fn without_an_asker_the_evidence_says_which_countries_it_comes_from() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ adoptionPaths(from: "solution:zoom") {
                evidenceCountries { country adoptions }
                paths { tier alternative { solution { id } weighedForAsker
                        score { parts { name count } } explanation { fr en } } } }
                 selectionAdvice(collectivity: "collectivity:fr-commune-38151",
                                 need: "need:video-conferencing") {
                    steps { kind options { solution { id } explanation { fr en } } } }
            }"#,
        )
        .await;
    let p = &data["adoptionPaths"];
    assert_eq!(p["evidenceCountries"][0]["country"], "FR");
    assert_eq!(p["evidenceCountries"][0]["adoptions"], 4);
    let bbb = &p["paths"][0]["alternative"];
    assert_eq!(bbb["solution"]["id"], "solution:bigbluebutton");
    assert_eq!(bbb["weighedForAsker"], false);
    assert_eq!(
        find(&bbb["score"]["parts"], "name", "adoptions")["count"],
        2
    );
    assert_eq!(
        bbb["explanation"]["fr"],
        "remplacement déclaré (fort) ; 2 adoptions, toutes en France ; 1 retour favorable ; \
         score 2,79"
    );
    assert_eq!(
        bbb["explanation"]["en"],
        "declared replacement (strong); 2 adoptions, all in France; 1 favourable outcome; \
         score 2.79"
    );
    // Selection options carry their explanation too (Échirolles runs neither).
    let steps = data["selectionAdvice"]["steps"].as_array().unwrap();
    let libre = steps.iter().find(|s| s["kind"] == "LIBRE").unwrap();
    let jitsi = find(&libre["options"], "solution.id", "solution:jitsi-meet");
    assert_eq!(
        jitsi["explanation"]["en"],
        "2 adoptions by other kinds of bodies in the same country; score 0.33"
    );
    assert_eq!(
        jitsi["explanation"]["fr"],
        "2 adoptions par d'autres types d'organismes du même pays ; score 0,33"
    );
}

#[tokio::test]
async fn an_adoption_counts_only_for_the_need_it_was_for() {
    let app = TestApp::spawn().await;
    // Nextcloud serves collaboration and file sharing; both its adoptions are for file sharing.
    let query = |need: &str| {
        format!(
            r#"{{ selectionAdvice(collectivity: "collectivity:fr-commune-38151", need: "{need}") {{
                    steps {{ kind options {{ solution {{ id }} counts {{ adoptions }}
                                          explanation {{ en }} }} }} }}
                 experience(need: "{need}") {{ solutions {{ solution {{ id }} }} }} }}"#
        )
    };
    let nextcloud = |data: &Value| {
        let steps = data["selectionAdvice"]["steps"].as_array().unwrap();
        let libre = steps.iter().find(|s| s["kind"] == "LIBRE").unwrap();
        find(&libre["options"], "solution.id", "solution:nextcloud").clone()
    };
    let collaboration = app.data(&query("need:collaboration")).await;
    let option = nextcloud(&collaboration);
    assert_eq!(option["counts"]["adoptions"], 0);
    assert_eq!(option["explanation"]["en"], "no known adoption; score 0.00");
    let listed: Vec<&str> = collaboration["experience"]["solutions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["solution"]["id"].as_str().unwrap())
        .collect();
    assert!(!listed.contains(&"solution:nextcloud"), "{listed:?}");
    let sharing = app.data(&query("need:file-sharing")).await;
    assert_eq!(nextcloud(&sharing)["counts"]["adoptions"], 2);
    assert_eq!(
        sharing["experience"]["solutions"][0]["solution"]["id"],
        "solution:nextcloud"
    );
}

/// A caller that gives up while the first analysis index is built (a request timing out on a
/// large store) does not cancel the build: it goes on in a task of its own, and the next
/// caller finds it built instead of starting over (before, under a slow store, every request
/// timed out, each restarting the build).
#[tokio::test]
async fn a_caller_giving_up_does_not_cancel_the_first_index_build() {
    use std::sync::Arc;
    use std::time::Duration;

    use retex::store::Store;

    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(
        retex::store::sqlite::SqliteStore::open(dir.path().join("retex.db"))
            .await
            .unwrap(),
    );
    retex::import::seed::load_embedded(store.as_ref())
        .await
        .unwrap();
    let revision = store.revision().await.unwrap();
    let analysis = Arc::new(retex::analysis::Analysis::new(store));
    // The call is polled by hand on this single-threaded runtime, so a build task it starts
    // cannot run before the call is dropped; that task holds the analysis (a second `Arc`).
    let mut call = Box::pin(analysis.index());
    for _ in 0..5_000 {
        assert!(
            futures::poll!(&mut call).is_pending(),
            "the index was built inside the caller, which would cancel it by giving up"
        );
        if Arc::strong_count(&analysis) > 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    assert!(Arc::strong_count(&analysis) > 1, "no build was started");
    drop(call);
    for _ in 0..5_000 {
        if analysis.index_revision().is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    assert_eq!(analysis.index_revision(), Some(revision));
}
