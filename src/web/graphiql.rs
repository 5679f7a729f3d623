//! GraphiQL on `/graphiql`: its page, and its assets (GraphiQL and React as locked in
//! `web/package-lock.json`, fetched by `build.rs`, and our `web/graphiql.js`) under hashed
//! names like the explorer's own files. A binary built without npm carries empty assets and
//! answers `/graphiql` with a page saying how to get the IDE.

use std::sync::LazyLock;

use poem::{handler, Response};

use super::assets::Asset;

/// GraphiQL's files, in the order the page loads them: stylesheet, React, React DOM,
/// GraphiQL, our start-up script.
pub static ASSETS: LazyLock<[Asset; 5]> = LazyLock::new(|| {
    [
        Asset::new(
            "graphiql.min.css",
            "text/css; charset=utf-8",
            include_bytes!(concat!(env!("OUT_DIR"), "/assets/graphiql.min.css")),
        ),
        Asset::new(
            "react.production.min.js",
            "text/javascript; charset=utf-8",
            include_bytes!(concat!(env!("OUT_DIR"), "/assets/react.production.min.js")),
        ),
        Asset::new(
            "react-dom.production.min.js",
            "text/javascript; charset=utf-8",
            include_bytes!(concat!(
                env!("OUT_DIR"),
                "/assets/react-dom.production.min.js"
            )),
        ),
        Asset::new(
            "graphiql.min.js",
            "text/javascript; charset=utf-8",
            include_bytes!(concat!(env!("OUT_DIR"), "/assets/graphiql.min.js")),
        ),
        Asset::new(
            "graphiql.js",
            "text/javascript; charset=utf-8",
            include_bytes!("../../web/graphiql.js"),
        ),
    ]
});

/// The GraphiQL page, referring to the assets' hashed names.
static PAGE: LazyLock<String> = LazyLock::new(|| {
    let [css, react, react_dom, graphiql, start] = &*ASSETS;
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>retex — GraphQL explorer</title>
  <link rel="stylesheet" href="{css}">
  <style>html, body, #graphiql {{ height: 100%; margin: 0; }}</style>
</head>
<body>
  <div id="graphiql" role="main">Loading GraphiQL…</div>
  <noscript>GraphiQL needs JavaScript. The API itself answers POST requests at /graphql.</noscript>
  <script src="{react}"></script>
  <script src="{react_dom}"></script>
  <script src="{graphiql}"></script>
  <script src="{start}"></script>
</body>
</html>
"#,
        css = css.path(),
        react = react.path(),
        react_dom = react_dom.path(),
        graphiql = graphiql.path(),
        start = start.path(),
    )
});

/// `/graphiql` of a binary built without npm (see `build.rs`): how to get the IDE.
const MISSING_PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>retex — GraphiQL is not in this build</title>
</head>
<body>
  <main>
    <h1>GraphiQL is not in this build</h1>
    <p>This retex binary was built without npm, so it does not carry GraphiQL's assets.
    The GraphQL API is complete: send queries with any GraphQL client to <code>POST /graphql</code>,
    for example <code>curl -H 'Content-Type: application/json' -d '{"query":"{ search(text: \"visio\") { kind label } }"}' http://HOST/graphql</code>.
    The web explorer is at <a href="/">/</a>.</p>
    <p>To get the IDE, install Node.js and npm and build again (<code>cargo build</code> runs
    <code>npm ci</code> on <code>web/package-lock.json</code>), or point <code>RETEX_WEB_ASSETS</code>
    at a folder holding that <code>node_modules</code> tree.</p>
  </main>
</body>
</html>
"#;

/// `GET /graphiql`: the IDE (not cached: it names the assets of this build), or how to get it.
#[handler]
pub fn page() -> Response {
    let body: &str = if cfg!(retex_no_graphiql) {
        MISSING_PAGE
    } else {
        PAGE.as_str()
    };
    Response::builder()
        .content_type("text/html; charset=utf-8")
        .header(
            "Content-Security-Policy",
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:",
        )
        .header(poem::http::header::CACHE_CONTROL, "no-cache")
        .body(body.to_owned())
}
