//! The web explorer over HTTP: every page answers, with one h1, its key facts in French words
//! (no raw code), links to sources, nothing from an outside host, no script but ours, and under
//! 200 KB with its stylesheet; tables filter, sort, page and download as CSV with the rows the
//! page shows; collectivity suggestions (JSON); source titles in the page's language; the HTTP
//! hygiene (compression, hashed assets cached a year, GraphiQL's included, icon, robots, 404,
//! /data/).

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
    for marker in [
        "src=\"",
        "<link rel=\"stylesheet\" href=\"",
        "<link rel=\"icon\" href=\"",
    ] {
        for (i, _) in html.match_indices(marker) {
            let url = &html[i + marker.len()..];
            assert!(
                url.starts_with('/'),
                "{path}: an asset from elsewhere: {}",
                &url[..url.len().min(60)]
            );
        }
    }
    // The only script is ours, deferred: the suggestions, which the plain form works without.
    for (i, _) in html.match_indices("<script") {
        let tag = &html[i..i + html[i..].find('>').unwrap()];
        assert!(
            tag.starts_with("<script src=\"/static/suggest-") && tag.ends_with(".js\" defer"),
            "{path}: a script that is not ours: {tag}"
        );
    }
    assert!(!html.contains("@import"), "{path}: no imported style");
}

/// The first path on the page starting with `prefix` (a hashed asset's), up to its quote.
fn hashed(html: &str, prefix: &str) -> String {
    let start = html
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} on the page"));
    let rest = &html[start..];
    rest[..rest.find('"').unwrap()].to_owned()
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
        html.contains("/sources/\">"),
        "{path}: the footer links to every source and its licence"
    );
    assert_no_outside_asset(path, &html);
    let css = get(app, &hashed(&html, "/static/explorer-")).await.2;
    assert!(css.contains("form.search"), "{path}: the stylesheet");
    assert!(
        html.contains("<meta name=\"description\" content=\""),
        "{path}: a meta description"
    );
    assert!(
        html.len() + css.len() < MAX_PAGE_BYTES,
        "{path}: {} bytes",
        html.len() + css.len()
    );
    html
}

/// Codes and markers a reader must never see on a French page.
const RAW: [&str; 12] = [
    "SUCCESS",
    "VENDOR_SHUTDOWN",
    "ROLLBACK",
    "COST_SAVING",
    "DEPLOYED",
    "ABANDONED",
    "PROPRIETARY",
    "SELF_HOSTED",
    "(s)",
    "2022-07",
    "1. 1.",
    ">1 libres",
];

/// The page's visible text (tags and attributes dropped, a space for a block's edge, ASCII
/// spaces collapsed, entities read).
fn text_of(html: &str) -> String {
    const INLINE: [&str; 8] = ["a", "span", "strong", "em", "abbr", "code", "tspan", "time"];
    let body = &html[html.find("<body").unwrap_or(0)..];
    let mut out = String::new();
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if !INLINE.contains(&name.as_str()) {
            out.push(' ');
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    let mut collapsed = String::with_capacity(out.len());
    for c in out.chars() {
        let c = if c.is_ascii_whitespace() { ' ' } else { c };
        if c == ' ' && collapsed.ends_with(' ') {
            continue;
        }
        collapsed.push(c);
    }
    collapsed
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn assert_no_raw_codes(path: &str, html: &str) {
    let text = text_of(html);
    for raw in RAW {
        assert!(!text.contains(raw), "{path} shows {raw:?}");
    }
}

/// The rows of a table on a page, by the table's id: each row's cells as text.
fn table_rows(html: &str, id: &str) -> Vec<Vec<String>> {
    let start = html
        .find(&format!("<table id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no table {id}"));
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    let body = &table[table.find("<tbody>").unwrap()..];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            row.split("</t")
                .filter_map(|cell| {
                    let open = cell.rfind("<th").or_else(|| cell.rfind("<td"))?;
                    let inner = &cell[open..];
                    let inner = &inner[inner.find('>')? + 1..];
                    Some(text_of(&format!("<body>{inner}")).trim().to_owned())
                })
                .collect()
        })
        .collect()
}

/// A CSV file's records (RFC 4180 quoting), header first.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (c, _) => field.push(c),
        }
    }
    records
}

/// The body of a CSV download, checked for its headers.
async fn csv(app: &TestApp, path: &str) -> Vec<Vec<String>> {
    let response = app.client().get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"retex-"),
        "{disposition}"
    );
    assert!(disposition.ends_with(".csv\""), "{disposition}");
    csv_records(&response.text().await.unwrap())
}

#[tokio::test]
async fn home_starts_from_needs_with_their_counts() {
    let app = TestApp::spawn().await;
    let home = page(&app, "/").await;
    assert!(home.contains("<html lang=\"fr\">"));
    assert!(
        home.contains("<label for=\"q\">"),
        "the search box is labelled"
    );
    assert!(home.contains("<meta name=\"description\" content=\""));
    assert!(home.contains("<h2 id=\"themes\">Thèmes et besoins</h2>"));
    // Visioconférence is served by seven solutions in the seed and adopted by five bodies.
    assert!(
        home.contains("href=\"/besoins/video-conferencing\">Visioconférence</a> <span class=\"counts\">— 7 solutions, 5 adoptants</span>"),
        "{}",
        text_of(&home)
    );
    assert!(
        !home.contains("Collectivités documentées"),
        "no list of adopters first"
    );
    assert!(
        home.contains("<label id=\"qui-label\" for=\"qui\">"),
        "my collectivity can be chosen"
    );
    assert!(text_of(&home).contains("Les codes postaux ne figurent pas dans les données"));
    assert_no_raw_codes("/", &home);
}

#[tokio::test]
async fn search_groups_results_and_ignores_accents() {
    let app = TestApp::spawn().await;
    let visio = page(&app, "/?q=visio").await;
    assert!(visio.contains("<h2>Besoins (1)</h2>"), "{visio}");
    assert!(visio.contains("href=\"/besoins/video-conferencing\""));
    assert!(
        visio.contains("href=\"/solutions/bigbluebutton\""),
        "a need found lists its solutions"
    );
    assert!(!text_of(&visio).contains("(s)"));
    for q in ["Echirolles", "%C3%A9chirolles", "ECHIR", "38151"] {
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
async fn my_collectivity_is_found_by_name_or_code_and_remembered() {
    let app = TestApp::spawn().await;
    let found = page(&app, "/besoins/video-conferencing?qui=echirol").await;
    assert!(
        found.contains("href=\"/besoins/video-conferencing?pour=fr-commune-38151\">Choisir Échirolles</a> — commune, Isère (38), INSEE 38151, 37\u{202f}491 habitants"),
        "{}",
        text_of(&found)
    );
    let by_code = page(&app, "/besoins/video-conferencing?qui=38169").await;
    assert!(by_code.contains("?pour=fr-commune-38169\">Choisir Fontaine</a>"));
    assert!(
        !found.contains(" selected>"),
        "nothing is chosen before the reader chooses"
    );

    let response = app
        .client()
        .get(app.url("/besoins/video-conferencing?pour=fr-commune-38151"))
        .send()
        .await
        .unwrap();
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with("retex_pour=fr-commune-38151;"),
        "{cookie}"
    );
    // The cookie alone brings the choice back on another page.
    let html = app
        .client()
        .get(app.url("/"))
        .header("cookie", "retex_pour=fr-commune-38151")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text_of(&html).contains("Choisie : Échirolles"),
        "{}",
        text_of(&html)
    );
    // An empty choice forgets it; an unknown one is refused.
    let forget = app.client().get(app.url("/?pour=")).send().await.unwrap();
    assert!(forget.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let (status, _, unknown) = get(&app, "/besoins/video-conferencing?pour=nobody").await;
    assert_eq!(status, 404);
    assert!(unknown.contains("Aucune collectivité ne porte"));
}

#[tokio::test]
async fn need_page_answers_for_my_collectivity() {
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
    assert!(text_of(&html).contains("fermeture de l'éditeur, juillet 2022"));
    assert!(text_of(&html).contains("jusqu'en juillet 2022"));
    assert!(html.contains("<svg class=\"chart\""), "adoptions over time");
    assert!(
        html.contains("<svg class=\"map\""),
        "adopters by department"
    );
    assert!(html.contains("Isère (38) : 2 adoptants"));
    assert_no_raw_codes("/besoins/video-conferencing", &html);

    let path = "/besoins/video-conferencing?pour=fr-commune-38151";
    let advice = page(&app, path).await;
    let text = text_of(&advice);
    assert!(text.contains("La réponse pour Échirolles"), "{text}");
    assert!(text.contains("Ce qu'utilisent vos pairs"));
    // Fontaine, Échirolles' closest peer, runs BigBlueButton, and it went well.
    let peers = table_rows(&advice, "pairs");
    assert!(
        peers.iter().any(|r| r[0] == "Fontaine"
            && r[2] == "BigBlueButton"
            && r[5].starts_with("réussite, octobre 2025")),
        "{peers:?}"
    );
    assert!(text.contains("Remplacements déclarés"));
    assert!(
        advice.contains("<a href=\"/solutions/zoom\">Zoom</a> (logiciel) → <a href=\"/solutions/bigbluebutton\">BigBlueButton</a> (remplacement complet)"),
        "the replacement the sources declare"
    );
    assert!(text.contains("La démarche de choix conseillée pour Échirolles"));
    assert!(text.contains("(conclusion)"));
    assert_no_raw_codes(path, &advice);
    // The peers' table downloads with the same rows.
    let records = csv(&app, &format!("{path}&format=csv&tableau=pairs")).await;
    assert_eq!(records[0][0], "Pair");
    assert_eq!(records.len() - 1, peers.len());
    for (record, row) in records[1..].iter().zip(&peers) {
        assert_eq!(record[0], row[0]);
        assert_eq!(record[2], row[2]);
    }
}

#[tokio::test]
async fn tables_filter_sort_and_download_the_rows_they_show() {
    let app = TestApp::spawn().await;
    let base = "/besoins/video-conferencing";
    let all = page(&app, base).await;
    let rows = table_rows(&all, "adoptions");
    assert_eq!(rows.len(), 5, "{rows:?}");
    let records = csv(&app, &format!("{base}?format=csv&tableau=adoptions")).await;
    assert_eq!(
        records[0],
        [
            "Collectivité",
            "Département",
            "Solution",
            "Statut",
            "Période",
            "Résultats",
            "Sources"
        ]
    );
    assert_eq!(records.len() - 1, rows.len(), "the CSV has the page's rows");
    for (record, row) in records[1..].iter().zip(&rows) {
        assert_eq!(record[0], row[0]);
        assert_eq!(record[2], row[2]);
        assert_eq!(record[3], row[3]);
    }

    let proprietary = page(&app, &format!("{base}?licence=proprietaire")).await;
    let rows = table_rows(&proprietary, "adoptions");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][3], "abandonnée");
    let isere = table_rows(
        &page(&app, &format!("{base}?departement=38")).await,
        "adoptions",
    );
    assert_eq!(isere.len(), 2);
    assert!(isere.iter().all(|r| r[1] == "Isère (38)"));
    let filtered = csv(
        &app,
        &format!("{base}?departement=38&format=csv&tableau=adoptions"),
    )
    .await;
    assert_eq!(filtered.len() - 1, 2, "the download keeps the filters");

    let sorted = table_rows(
        &page(&app, &format!("{base}?tri=collectivite&ordre=desc")).await,
        "adoptions",
    );
    let names: Vec<&str> = sorted.iter().map(|r| r[0].as_str()).collect();
    let mut expected = names.clone();
    expected.sort_by_key(|n| std::cmp::Reverse(retex::domain::fold(n)));
    assert_eq!(names, expected);

    for (query, word) in [
        ("page=0", "page"),
        ("statut=great", "statut"),
        ("tri=prix", "tri"),
        ("format=csv&tableau=nothing", "tableau"),
    ] {
        let (status, _, html) = get(&app, &format!("{base}?{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert!(html.contains(word), "{query}: {html}");
    }
}

#[tokio::test]
async fn long_tables_are_cut_into_pages_with_a_show_all() {
    use retex::domain::Batch;
    let app = TestApp::spawn().await;
    // 60 test communes (synthetic, for this test only) adopting Jitsi Meet.
    let collectivities: Vec<serde_json::Value> = (0..60)
        .map(|i| {
            serde_json::json!({
                "id": format!("collectivity:test-commune-{i:03}"),
                "name": format!("Commune d'essai {i:03}"),
                "kind": "COMMUNE", "country": "FR", "insee": null, "siren": null,
                "population": 1000 + i * 1000, "department": "38", "region": "84",
                "parent": null, "unnamed": false, "figures": []
            })
        })
        .collect();
    let adoptions: Vec<serde_json::Value> = (0..60)
        .map(|i| {
            serde_json::json!({
                "id": format!("adoption:test-commune-{i:03}-jitsi"),
                "collectivity": format!("collectivity:test-commune-{i:03}"),
                "solution": "solution:jitsi-meet", "need": "need:video-conferencing",
                "status": "DEPLOYED", "started": null, "ended": null, "strategy": null,
                "hosting": null, "scale": null, "replaced": [], "note": null
            })
        })
        .collect();
    let batch = Batch {
        collectivities: serde_json::from_value(serde_json::Value::Array(collectivities)).unwrap(),
        adoptions: serde_json::from_value(serde_json::Value::Array(adoptions)).unwrap(),
        ..Batch::default()
    };
    app.store.write(batch).await.unwrap();
    let base = "/solutions/jitsi-meet";
    let first = page(&app, base).await;
    assert_eq!(table_rows(&first, "adoptions").len(), 50);
    assert!(
        text_of(&first).contains("Lignes 1 à 50 sur 62."),
        "{}",
        text_of(&first)
    );
    assert!(first.contains("href=\"/solutions/jitsi-meet?page=2\" rel=\"next\""));
    assert!(first.contains("href=\"/solutions/jitsi-meet?tout=1\">Voir tout (62)</a>"));
    let second = page(&app, &format!("{base}?page=2")).await;
    assert_eq!(table_rows(&second, "adoptions").len(), 12);
    let every = page(&app, &format!("{base}?tout=1")).await;
    assert_eq!(table_rows(&every, "adoptions").len(), 62);
    let records = csv(&app, &format!("{base}?page=2&format=csv&tableau=adoptions")).await;
    assert_eq!(records.len() - 1, 12, "the download has the page's rows");
    let small = page(&app, &format!("{base}?taille=moins-2000")).await;
    let rows = table_rows(&small, "adoptions");
    assert_eq!(
        rows.len(),
        1,
        "only the commune of 1,000 inhabitants: {rows:?}"
    );
    assert_eq!(rows[0][0], "Commune d'essai 000");
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
        "réussite",
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
    assert_no_raw_codes("/solutions/bigbluebutton", &bbb);
    let gone = page(&app, "/solutions/unnamed-proprietary-videoconferencing").await;
    assert!(
        gone.contains("risk-high"),
        "a vendor that closed is a high risk"
    );
    assert!(gone.contains("son éditeur a fermé"));
    assert!(text_of(&gone).contains("fermeture de l'éditeur"));
    assert!(gone.contains("Alternatives libres"));
    assert_no_raw_codes("/solutions/unnamed-proprietary-videoconferencing", &gone);
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
    assert!(text_of(&fontaine).contains("réussite, octobre 2025"));
    assert!(fontaine.contains("<dt>Département</dt><dd>Isère (38)</dd>"));
    assert!(fontaine.contains("<dt>Région</dt><dd>Auvergne-Rhône-Alpes</dd>"));
    assert!(fontaine.contains("href=\"/sources/interview-vivant-2025\""));
    assert!(fontaine.contains("Collectivités comparables"));
    assert!(
        fontaine.contains("<th scope=\"col\">Ce qu'elle utilise</th>"),
        "what each peer runs"
    );
    assert_no_raw_codes("/collectivites/fr-commune-38169", &fontaine);
    let echirolles = page(&app, "/collectivites/fr-commune-38151").await;
    let text = text_of(&echirolles);
    assert!(text.contains("Déclaré"), "the stated libre share");
    assert!(text.contains("Calculé"), "the computed libre share");
    assert!(text.contains("80 %"));
    assert!(!text.contains("libres /"), "{text}");
    assert_no_raw_codes("/collectivites/fr-commune-38151", &echirolles);
}

#[tokio::test]
async fn adoption_paths_are_drawn_with_links_a_legend_and_a_text_alternative() {
    let app = TestApp::spawn().await;
    let html = page(&app, "/parcours/unnamed-proprietary-videoconferencing").await;
    assert!(html.contains("<svg class=\"graph\" role=\"group\" aria-labelledby="));
    assert!(html.contains("<title id=\"parcours-t\">"));
    assert!(
        html.contains(">fermeture de l&#39;éditeur, juillet</tspan>"),
        "the drawing shows the vendor shutdown in words"
    );
    assert!(
        html.contains("<a href=\"/solutions/bigbluebutton\"><g class=\"node libre\">"),
        "the alternative's box links to its page"
    );
    assert!(
        html.contains(">l&#39;agglomération grenobloise</tspan><tspan x=\"288\" y=\"70\">(non nommées) (abandonnée)</tspan>"),
        "labels are whole: {}",
        &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()]
    );
    assert!(html.contains("<h3>Légende</h3>"));
    assert!(html.contains("Alternatives classées par les preuves"));
    assert!(html.contains("href=\"/collectivites/fr-commune-38169\""));
    assert_no_raw_codes("/parcours/unnamed-proprietary-videoconferencing", &html);
    let search = page(&app, "/?q=visioconference").await;
    assert!(search.contains("href=\"/parcours/unnamed-proprietary-videoconferencing\""));

    // Each alternative says why it ranks where it does, in the page's language, from the same
    // parts as its score (the API's `explanation`).
    let zoom = page(&app, "/parcours/zoom").await;
    let why = zoom
        .split("<p class=\"why\">")
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .expect("an explanation");
    assert!(
        why.starts_with("Pourquoi : remplacement déclaré (fort)"),
        "{why}"
    );
    assert_no_raw_codes("/parcours/zoom", &zoom);
    let english = page(&app, "/en/parcours/zoom").await;
    assert!(
        english.contains("<p class=\"why\">Why: declared replacement (strong)"),
        "{english}"
    );
}

#[tokio::test]
async fn sources_list_their_facts() {
    let app = TestApp::spawn().await;
    let source = page(&app, "/sources/interview-vivant-2025").await;
    assert!(source.contains("Nicolas Vivant"));
    let rows = table_rows(&source, "faits");
    assert!(
        rows.iter()
            .any(|r| r[0] == "Fontaine" && r[2] == "BigBlueButton"),
        "Fontaine's BigBlueButton cites the interview: {rows:?}"
    );
    let records = csv(
        &app,
        "/sources/interview-vivant-2025?format=csv&tableau=faits",
    )
    .await;
    assert_eq!(records.len() - 1, rows.len());
    let all = page(&app, "/sources/").await;
    assert!(all.contains("href=\"/sources/interview-vivant-2025\""));
    assert!(all.contains("etalab-2.0") || all.contains("Etalab-2.0"));
    // The footer credits the sources the page cites, not every source.
    let footer = &source[source.find("<footer").unwrap()..];
    assert!(footer.contains("href=\"/sources/interview-vivant-2025\""));
    assert!(
        !footer.contains("href=\"/sources/govoss-catalog\""),
        "{footer}"
    );
}

#[tokio::test]
async fn english_lives_under_en() {
    let app = TestApp::spawn().await;
    let en = page(&app, "/en/solutions/bigbluebutton").await;
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("Adopters"));
    assert!(en.contains("success"));
    assert!(
        en.contains("href=\"/en/collectivites/fr-commune-38169\""),
        "links keep the language"
    );
    assert!(
        en.contains("href=\"/solutions/bigbluebutton\" lang=\"fr\""),
        "the switch back to French"
    );
    let home = page(&app, "/en/").await;
    assert!(home.contains("Themes and needs"));
    let same = page(&app, "/solutions/bigbluebutton?lang=en").await;
    assert!(same.contains("<html lang=\"en\">"), "?lang=en still works");
    let (status, _, missing) = get(&app, "/en/nothing/here").await;
    assert_eq!(status, 404);
    assert!(missing.contains("<h1>Page not found</h1>"));
}

#[tokio::test]
async fn missing_pages_and_http_hygiene() {
    let app = TestApp::spawn().await;
    for path in [
        "/solutions/nothing-here",
        "/nothing",
        "/a/b/c",
        "/besoins/not%20an%20id",
    ] {
        let (status, content_type, html) = get(&app, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(content_type.starts_with("text/html"), "{path}");
        assert!(html.contains("<h1>Page introuvable</h1>"), "{path}");
        assert!(
            html.contains("<main id=\"contenu\""),
            "{path}: the explorer's layout"
        );
    }
    let client = app.client();
    let (status, _, graphiql) = get(&app, "/graphiql").await;
    assert_eq!(status, 200);
    let graphiql_js = hashed(&graphiql, "/static/graphiql.min-");
    for encoding in ["gzip", "br"] {
        for path in ["/", graphiql_js.as_str()] {
            let response = client
                .get(app.url(path))
                .header("accept-encoding", encoding)
                .send()
                .await
                .unwrap();
            assert_eq!(response.headers()["content-encoding"], encoding, "{path}");
        }
    }
    let home = get(&app, "/").await.2;
    let css = &home[home.find("href=\"/static/explorer-").unwrap() + 6..];
    let css = &css[..css.find('"').unwrap()];
    let response = client.get(app.url(css)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let icon = client.get(app.url("/favicon.ico")).send().await.unwrap();
    assert_eq!(icon.status(), 200);
    assert_eq!(icon.headers()["content-type"], "image/svg+xml");
    let (status, content_type, robots) = get(&app, "/robots.txt").await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/plain"));
    assert!(robots.contains("Disallow: /graphql"));
}

#[tokio::test]
async fn graphiql_assets_have_hashed_names_cached_a_year() {
    let app = TestApp::spawn().await;
    let (status, content_type, graphiql) = get(&app, "/graphiql").await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/html"));
    let assets: Vec<String> = ["src=\"", "href=\""]
        .iter()
        .flat_map(|marker| {
            graphiql.match_indices(marker).map(|(i, _)| {
                let rest = &graphiql[i + marker.len()..];
                rest[..rest.find('"').unwrap()].to_owned()
            })
        })
        .collect();
    assert_eq!(assets.len(), 5, "{assets:?}");
    for (stem, extension) in [
        ("graphiql.min", "css"),
        ("react.production.min", "js"),
        ("react-dom.production.min", "js"),
        ("graphiql.min", "js"),
        ("graphiql", "js"),
    ] {
        let path = assets
            .iter()
            .find(|a| {
                a.strip_prefix(&format!("/static/{stem}-"))
                    .and_then(|rest| rest.strip_suffix(&format!(".{extension}")))
                    .is_some_and(|hash| {
                        hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit())
                    })
            })
            .unwrap_or_else(|| panic!("no hashed {stem}.{extension} in {assets:?}"));
        let response = app.client().get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            response.headers()["cache-control"],
            "public, max-age=31536000, immutable",
            "{path}"
        );
        let media_type = if extension == "css" {
            "text/css"
        } else {
            "text/javascript"
        };
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(media_type),
            "{path}"
        );
        assert!(response.bytes().await.unwrap().len() > 100, "{path}");
    }
    for old in [
        "/assets/graphiql.min.js",
        "/static/graphiql.min-0000000000000000.js",
    ] {
        let (status, _, _) = get(&app, old).await;
        assert_eq!(status, 404, "{old}: only the hashed names");
    }
}

#[tokio::test]
async fn collectivities_are_suggested_while_typing() {
    let app = TestApp::spawn().await;
    let need = page(&app, "/besoins/video-conferencing").await;
    assert!(need.contains("data-suggestions=\"/suggestions\""));
    assert!(need.contains("<label id=\"qui-label\" for=\"qui\">"));
    let script = hashed(&need, "/static/suggest-");
    let response = app.client().get(app.url(&script)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("aria-activedescendant"));
    let csp = app
        .client()
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("connect-src 'self'"),
        "{csp}"
    );
    let en = page(&app, "/en/besoins/video-conferencing").await;
    assert!(en.contains("data-suggestions=\"/en/suggestions\""));

    let suggested = |path: &'static str| {
        let app = &app;
        async move {
            let response = app.client().get(app.url(path)).send().await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
            assert!(response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json"));
            response.json::<serde_json::Value>().await.unwrap()
        }
    };
    let echirolles = suggested("/suggestions?qui=echirol").await;
    assert_eq!(
        echirolles["suggestions"][0],
        serde_json::json!({
            "id": "fr-commune-38151",
            "name": "Échirolles",
            "detail": "commune, Isère (38), INSEE 38151, 37\u{202f}491 habitants"
        })
    );
    assert_eq!(
        echirolles["status"],
        "1 collectivité proposée : flèches haut et bas pour parcourir, Entrée pour choisir."
    );
    let by_code = suggested("/en/suggestions?qui=38169").await;
    assert_eq!(by_code["suggestions"][0]["name"], "Fontaine");
    assert!(
        by_code["suggestions"][0]["detail"]
            .as_str()
            .unwrap()
            .ends_with("inhabitants"),
        "{by_code}"
    );
    let none = suggested("/suggestions?qui=zzqx").await;
    assert_eq!(none["suggestions"], serde_json::json!([]));
    assert_eq!(none["status"], "Aucune collectivité trouvée pour « zzqx ».");
    let empty = suggested("/suggestions?qui=%20").await;
    assert_eq!(empty, serde_json::json!({"status": "", "suggestions": []}));
}

#[tokio::test]
async fn source_titles_follow_the_page_language() {
    let app = TestApp::spawn().await;
    let fr = page(&app, "/sources/sill-2022").await;
    assert!(
        fr.contains("<h1>SILL (Socle interministériel de logiciels libres) — software.csv et services.csv (sill-api, données du 14 février 2022)</h1>"),
        "{}",
        text_of(&fr)
    );
    let en = page(&app, "/en/sources/sill-2022").await;
    assert!(
        en.contains("<h1>SILL — software.csv and services.csv (sill-api, data of 2022-02-14)</h1>")
    );
    let list = page(&app, "/sources/").await;
    assert!(list.contains(">SILL (Socle interministériel de logiciels libres) — sill.json consolidé (sill-data, mai 2022)</a>"));
    // The interview has only its French title: English pages show it, marked as French.
    let fontaine = page(&app, "/en/collectivites/fr-commune-38169").await;
    assert!(
        fontaine.contains("<a href=\"/en/sources/interview-vivant-2025\" lang=\"fr\">L&#39;Open Source au sein d&#39;une collectivité territoriale — Nicolas Vivant</a>"),
        "{}",
        text_of(&fontaine)
    );
    let french = page(&app, "/collectivites/fr-commune-38169").await;
    assert!(french.contains("<a href=\"/sources/interview-vivant-2025\">L&#39;Open Source"));
}

#[tokio::test]
async fn data_is_a_page_for_browsers_and_json_otherwise() {
    let app = TestApp::spawn().await;
    let html = app
        .client()
        .get(app.url("/data/"))
        .header("accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), 200);
    assert!(html.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = html.text().await.unwrap();
    assert!(html.contains("<h1>Données ouvertes</h1>"));
    assert!(html.contains("manifest.json"));
    let json = app.client().get(app.url("/data/")).send().await.unwrap();
    assert!(json.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let manifest: serde_json::Value = json.json().await.unwrap();
    assert!(manifest["files"].is_array());
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
        html.contains(">27.1.11</a> — 30 mai 2024"),
        "the release, linked and dated"
    );
    assert!(html.contains("<th scope=\"row\">27</th><td>12 juin 2023</td><td>1er juin 2024</td>"));
    // The seed's cycles of Nextcloud are newer (34 ends 2027-06-30, out since 2026-06): the
    // newest cycle is judged, and a young one ending within the year is the usual cadence.
    assert!(html.contains("<th scope=\"row\">34</th><td>9 juin 2026</td><td>30 juin 2027</td>"));
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
        "<dt>Maintenance déclarée</dt><dd>sous contrat — NEXT srl (jusqu'au 31 décembre 2025), Dilaxia SpA (jusqu'au 31 décembre 2025)</dd>"
    ));
    assert!(html.contains("1er avril 2019"));
    // PostgreSQL is a known solution: its page is linked; Java Spring is not known.
    assert!(
        html.contains("<a href=\"/solutions/postgresql\">PostgreSQL</a> (libre)"),
        "dependencies link to known solutions"
    );
    assert!(html.contains("Java Spring (libre)"));
    // Nobody's contact (a person) is shown.
    assert!(!html.contains("Benedetti"));
    let english = page(&app, "/en/solutions/babel").await;
    assert!(english.contains(
        "<dt>Stated maintenance</dt><dd>under contract — NEXT srl (until 31 December 2025)"
    ));
}
