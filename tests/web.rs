//! The web explorer over HTTP: every page answers, with one h1, its key facts, links to
//! sources, nothing from an outside host, and under 200 KB with its stylesheet.

mod common;

use common::TestApp;

/// Largest page weight allowed, HTML and assets together, in bytes.
const MAX_PAGE_BYTES: usize = 200 * 1024;

async fn get(app: &TestApp, path: &str) -> (u16, String, String) {
    let response = app.client().get(app.url(path)).send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, response.text().await.unwrap())
}

/// Every `src` and `<link href>` on the page points to this server.
fn assert_no_outside_asset(path: &str, html: &str) {
    for marker in ["src=\"", "<link rel=\"stylesheet\" href=\""] {
        for (i, _) in html.match_indices(marker) {
            let url = &html[i + marker.len()..];
            assert!(
                url.starts_with('/'),
                "{path}: an asset from elsewhere: {}",
                &url[..url.len().min(60)]
            );
        }
    }
    assert!(!html.contains("<script"), "{path}: pages need no script");
    assert!(!html.contains("@import"), "{path}: no imported style");
}

async fn page(app: &TestApp, path: &str) -> String {
    let (status, content_type, html) = get(app, path).await;
    assert_eq!(status, 200, "{path}");
    assert!(
        content_type.starts_with("text/html"),
        "{path}: {content_type}"
    );
    assert_eq!(html.matches("<h1").count(), 1, "{path}: one h1");
    assert!(
        html.contains("<main id=\"contenu\""),
        "{path}: a main landmark"
    );
    assert!(html.contains("href=\"#contenu\""), "{path}: a skip link");
    assert!(html.contains("<footer"), "{path}: a footer");
    assert!(
        html.contains("etalab-2.0"),
        "{path}: the footer credits the licences"
    );
    assert_no_outside_asset(path, &html);
    let css = get(app, "/assets/explorer.css").await.2;
    assert!(
        html.len() + css.len() < MAX_PAGE_BYTES,
        "{path}: {} bytes",
        html.len() + css.len()
    );
    html
}

#[tokio::test]
async fn search_groups_results_and_ignores_accents() {
    let app = TestApp::spawn().await;
    let home = page(&app, "/").await;
    assert!(home.contains("<html lang=\"fr\">"));
    assert!(
        home.contains("<label for=\"q\">"),
        "the search box is labelled"
    );
    let visio = page(&app, "/?q=visio").await;
    assert!(visio.contains("<h2>Besoins (1)</h2>"), "{visio}");
    assert!(visio.contains("href=\"/besoins/video-conferencing\""));
    assert!(
        visio.contains("href=\"/solutions/bigbluebutton\""),
        "a need found lists its solutions"
    );
    for q in ["Echirolles", "%C3%A9chirolles", "ECHIR"] {
        let found = page(&app, &format!("/?q={q}")).await;
        assert!(
            found.contains("href=\"/collectivites/fr-commune-38151\""),
            "{q}"
        );
    }
    let hostile = page(&app, "/?q=%3Cscript%3Ealert(1)%3C/script%3E").await;
    assert!(!hostile.contains("<script>alert"), "the query is escaped");
    assert!(hostile.contains("&lt;script&gt;"));
}

#[tokio::test]
async fn need_page_puts_libre_beside_proprietary_with_adopters_and_advice() {
    let app = TestApp::spawn().await;
    let html = page(&app, "/besoins/video-conferencing").await;
    assert!(html.contains("Solutions libres et internes"));
    assert!(html.contains("Solutions propriétaires"));
    assert!(html.contains("href=\"/solutions/bigbluebutton\""));
    assert!(
        html.contains("href=\"/collectivites/fr-commune-38169\""),
        "Fontaine adopted it"
    );
    assert!(html.contains("href=\"/parcours/unnamed-proprietary-videoconferencing\""));
    assert!(html.contains("<label for=\"pour\">"));
    let advice = page(&app, "/besoins/video-conferencing?pour=fr-commune-38169").await;
    assert!(advice.contains("1. Ce que vous utilisez déjà"), "{advice}");
    assert!(advice.contains("(conclusion)"));
}

#[tokio::test]
async fn solution_page_shows_risk_alternatives_adopters_timeline_and_sources() {
    let app = TestApp::spawn().await;
    let bbb = page(&app, "/solutions/bigbluebutton").await;
    for fact in [
        "Licence",
        "Risque de continuité",
        "Adoptants",
        "Fontaine",
        "SUCCESS",
        "href=\"/sources/interview-vivant-2025\"",
        "Versions et fins de vie",
        "<th scope=\"col\">",
    ] {
        assert!(bbb.contains(fact), "BigBlueButton's page lacks {fact}");
    }
    // The timeline needs dated adoptions: BigBlueButton's have no stated start, Jitsi Meet's do.
    let jitsi = page(&app, "/solutions/jitsi-meet").await;
    assert!(jitsi.contains("<svg class=\"chart\" role=\"img\""));
    assert!(
        bbb.contains("Zoom</a> — remplacement complet <span class=\"sources\">"),
        "what it replaces, with the source of the link"
    );
    let gone = page(&app, "/solutions/unnamed-proprietary-videoconferencing").await;
    assert!(
        gone.contains("risk-high"),
        "a vendor that closed is a high risk"
    );
    assert!(gone.contains("son éditeur a fermé"));
    assert!(gone.contains("VENDOR_SHUTDOWN"));
    assert!(gone.contains("Alternatives libres"));
    let same = page(&app, "/solutions/solution:bigbluebutton").await;
    assert_eq!(
        same.matches("<h1").count(),
        1,
        "a prefixed id reaches the same page"
    );
}

#[tokio::test]
async fn collectivity_page_shows_what_it_runs_shares_and_peers() {
    let app = TestApp::spawn().await;
    let fontaine = page(&app, "/collectivites/fr-commune-38169").await;
    assert!(fontaine.contains("<h1>Fontaine</h1>"));
    assert!(fontaine.contains("SUCCESS"));
    assert!(fontaine.contains("href=\"/sources/interview-vivant-2025\""));
    assert!(fontaine.contains("Collectivités comparables"));
    let echirolles = page(&app, "/collectivites/fr-commune-38151").await;
    assert!(echirolles.contains("Déclaré"), "the stated libre share");
    assert!(echirolles.contains("Calculé"), "the computed libre share");
    assert!(echirolles.contains("80 %"));
}

#[tokio::test]
async fn adoption_paths_are_drawn_with_a_text_alternative() {
    let app = TestApp::spawn().await;
    let html = page(&app, "/parcours/unnamed-proprietary-videoconferencing").await;
    assert!(html.contains("<svg class=\"graph\" role=\"img\" aria-labelledby="));
    assert!(html.contains("<title id=\"parcours-t\">"));
    assert!(
        html.contains("VENDOR_SHUTDOWN 2022-07"),
        "the drawing shows the vendor shutdown"
    );
    assert!(
        html.contains("BigBlueButton ("),
        "the drawing shows the alternative"
    );
    assert!(html.contains("Alternatives classées par les preuves"));
    assert!(html.contains("href=\"/collectivites/fr-commune-38169\""));
    let peers = page(
        &app,
        "/parcours/unnamed-proprietary-videoconferencing?pour=fr-commune-38151",
    )
    .await;
    assert!(peers.contains("<option value=\"fr-commune-38151\" selected>"));
    let search = page(&app, "/?q=visioconference").await;
    assert!(search.contains("href=\"/parcours/unnamed-proprietary-videoconferencing\""));
}

#[tokio::test]
async fn english_switch_sources_and_missing_pages() {
    let app = TestApp::spawn().await;
    let en = page(&app, "/solutions/bigbluebutton?lang=en").await;
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("Adopters"));
    assert!(
        en.contains("href=\"/collectivites/fr-commune-38169?lang=en\""),
        "links keep the language"
    );
    assert!(
        en.contains("href=\"/solutions/bigbluebutton\" lang=\"fr\""),
        "the switch back to French"
    );
    let source = page(&app, "/sources/interview-vivant-2025").await;
    assert!(source.contains("Nicolas Vivant"));
    let (status, _, missing) = get(&app, "/solutions/nothing-here").await;
    assert_eq!(status, 404);
    assert!(missing.contains("<h1>Page introuvable</h1>"));
    let (status, _, _) = get(&app, "/besoins/not%20an%20id").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn releases_and_ends_of_life_from_the_watch_reach_the_pages() {
    use chrono::{NaiveDate, TimeZone, Utc};
    use retex::domain::{
        EndOfLife, PollOutcome, PollRecord, Release, ReleaseCycle, SolutionId, WatchSourceId,
    };
    use retex::store::Store;

    let app = TestApp::spawn().await;
    let store = retex::store::sqlite::SqliteStore::open(&app.store_path)
        .await
        .unwrap();
    let nextcloud = SolutionId::parse("solution:nextcloud").unwrap();
    let source = WatchSourceId::parse("watch:nextcloud-endoflife").unwrap();
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let release = Release {
        source: source.clone(),
        solution: nextcloud.clone(),
        version: "27.1.11".into(),
        semver: Some("27.1.11".into()),
        prerelease: false,
        published: Some(Utc.with_ymd_and_hms(2024, 5, 30, 12, 0, 0).unwrap()),
        url: Some("https://nextcloud.com/changelog/".into()),
        title: None,
        first_seen: None,
    };
    let cycle = ReleaseCycle {
        solution: nextcloud,
        product: "nextcloud".into(),
        cycle: "27".into(),
        released: Some(date(2023, 6, 12)),
        eol: EndOfLife::Date(date(2024, 6, 1)),
        lts: false,
        latest: Some("27.1.11".into()),
    };
    store
        .record_poll(PollRecord {
            source,
            checked_at: Utc::now(),
            outcome: PollOutcome::Fetched {
                etag: None,
                last_modified: None,
                releases: vec![release],
                cycles: vec![cycle],
            },
            next_check: Utc::now(),
            failures: 0,
        })
        .await
        .unwrap();
    let gitlab = ReleaseCycle {
        solution: SolutionId::parse("solution:gitlab").unwrap(),
        product: "gitlab".into(),
        cycle: "16".into(),
        released: None,
        eol: EndOfLife::Date(Utc::now().date_naive() - chrono::Duration::days(30)),
        lts: false,
        latest: None,
    };
    store
        .record_poll(PollRecord {
            source: WatchSourceId::parse("watch:gitlab-endoflife").unwrap(),
            checked_at: Utc::now(),
            outcome: PollOutcome::Fetched {
                etag: None,
                last_modified: None,
                releases: Vec::new(),
                cycles: vec![gitlab],
            },
            next_check: Utc::now(),
            failures: 0,
        })
        .await
        .unwrap();
    let mim = page(&app, "/collectivites/fr-mim").await;
    assert!(
        mim.contains(
            "href=\"/solutions/gitlab\">GitLab Community Edition</a> — fin de vie atteinte : 16"
        ),
        "MIM runs GitLab, whose cycle 16 ended a month ago"
    );
    let html = page(&app, "/solutions/nextcloud").await;
    assert!(
        html.contains(">27.1.11</a> — 2024-05-30"),
        "the release, linked and dated"
    );
    assert!(html.contains("<th scope=\"row\">27</th><td>2023-06-12</td><td>2024-06-01</td>"));
    // The seed's cycles of Nextcloud are newer (34 ends 2027-06-30, out since 2026-06): the
    // newest cycle is judged, and a young one ending within the year is the usual cadence.
    assert!(html.contains("<th scope=\"row\">34</th><td>2026-06-09</td><td>2027-06-30</td>"));
    assert!(
        !html.contains("sa version la plus récente"),
        "no release-based risk for Nextcloud"
    );
}

#[tokio::test]
async fn a_solution_page_shows_what_its_publiccode_file_states() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let app = TestApp::spawn().await;
    let file =
        data.join("publiccode-yml-samples/files/Azienda-USL-di-Bologna__babel.publiccode.yml");
    retex::import::import(
        app.store.as_ref(),
        Some(retex::import::Kind::Publiccode),
        file.to_str().expect("a UTF-8 path"),
        &retex::import::Options::default(),
    )
    .await
    .expect("the BABEL file imports");
    let html = page(&app, "/solutions/babel").await;
    assert!(html.contains("<h2 id=\"publiccode\">Fiche publiccode.yml</h2>"));
    assert!(html.contains("<dt>État du développement</dt><dd>stable</dd>"));
    assert!(html.contains(
        "<dt>Maintenance déclarée</dt><dd>sous contrat — NEXT srl (jusqu'au 2025-12-31), Dilaxia SpA (jusqu'au 2025-12-31)</dd>"
    ));
    assert!(html.contains("2019-04-01"));
    // PostgreSQL is a known solution: its page is linked; Java Spring is not known.
    assert!(
        html.contains("<a href=\"/solutions/postgresql\">PostgreSQL</a> (libre)"),
        "dependencies link to known solutions"
    );
    assert!(html.contains("Java Spring (libre)"));
    // Nobody's contact (a person) is shown.
    assert!(!html.contains("Benedetti"));
    let english = page(&app, "/solutions/babel?lang=en").await;
    assert!(english
        .contains("<dt>Stated maintenance</dt><dd>under contract — NEXT srl (until 2025-12-31)"));
}
