//! The explorer's own files and GraphiQL's, under hashed names (cached for a year,
//! `immutable`: a new build changes the name): the stylesheet, the icon, the collectivity
//! suggestions' script, GraphiQL with React; then `/favicon.ico`, `/robots.txt`, and the HTML
//! view of the data export's manifest.

use std::fmt::Write;
use std::sync::LazyLock;

use poem::http::{header, StatusCode};
use poem::web::Path;
use poem::{handler, IntoResponse, Response};

use super::html::{esc, header_row, Lang, Page};
use super::labels::number;

/// The explorer's stylesheet, bundled into the binary.
pub const STYLESHEET: &str = include_str!("../../web/explorer.css");

/// The explorer's icon (SVG).
const ICON: &str = include_str!("../../web/icon.svg");

/// The script offering collectivities while one types a name (progressive enhancement).
const SUGGEST: &str = include_str!("../../web/suggest.js");

/// FNV-1a over the bytes, as 16 hex digits: names a file by its content.
fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// A file served under its hashed name.
pub struct Asset {
    /// `<stem>-<hash>.<extension>`.
    pub name: String,
    /// Its media type.
    pub media_type: &'static str,
    /// Its bytes.
    pub bytes: &'static [u8],
}

impl Asset {
    /// `file` (`graphiql.min.js`) named by its content: `graphiql.min-<hash>.js`.
    pub fn new(file: &str, media_type: &'static str, bytes: &'static [u8]) -> Self {
        let (stem, extension) = file.rsplit_once('.').unwrap_or((file, ""));
        Self {
            name: format!("{stem}-{}.{extension}", content_hash(bytes)),
            media_type,
            bytes,
        }
    }

    /// Its path on the server.
    pub fn path(&self) -> String {
        format!("/static/{}", self.name)
    }
}

/// The explorer's stylesheet.
pub static STYLESHEET_ASSET: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "explorer.css",
        "text/css; charset=utf-8",
        STYLESHEET.as_bytes(),
    )
});
/// The explorer's icon.
pub static ICON_ASSET: LazyLock<Asset> =
    LazyLock::new(|| Asset::new("icon.svg", "image/svg+xml", ICON.as_bytes()));
/// The suggestions' script.
pub static SUGGEST_ASSET: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "suggest.js",
        "text/javascript; charset=utf-8",
        SUGGEST.as_bytes(),
    )
});

/// The stylesheet's hashed path.
pub fn stylesheet_path() -> String {
    STYLESHEET_ASSET.path()
}

/// The icon's hashed path.
pub fn icon_path() -> String {
    ICON_ASSET.path()
}

/// The suggestions script's hashed path.
pub fn suggest_path() -> String {
    SUGGEST_ASSET.path()
}

/// The asset with this hashed name, if any.
fn find(name: &str) -> Option<&'static Asset> {
    [&*STYLESHEET_ASSET, &*ICON_ASSET, &*SUGGEST_ASSET]
        .into_iter()
        .chain(super::graphiql::ASSETS.iter())
        .find(|a| a.name == name)
}

/// A file under its hashed name, cached for a year.
#[handler]
pub fn static_asset(Path(name): Path<String>) -> Response {
    let Some(asset) = find(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    Response::builder()
        .content_type(asset.media_type)
        .header(header::CACHE_CONTROL, "public, max-age=31536000, immutable")
        .body(asset.bytes)
}

/// `/favicon.ico`: the icon (SVG, which browsers accept there), cached for a day.
#[handler]
pub fn favicon() -> Response {
    Response::builder()
        .content_type("image/svg+xml")
        .header(header::CACHE_CONTROL, "public, max-age=86400")
        .body(ICON)
}

/// `/robots.txt`: pages may be indexed; the API, the feeds, the export and the CSV downloads
/// are not for crawlers.
#[handler]
pub fn robots() -> Response {
    Response::builder()
        .content_type("text/plain; charset=utf-8")
        .header(header::CACHE_CONTROL, "public, max-age=86400")
        .body(
            "User-agent: *\nDisallow: /graphql\nDisallow: /graphiql\nDisallow: /feeds/\n\
             Disallow: /suggestions\n\
             Disallow: /data/\nDisallow: /metrics\nDisallow: /*format=csv\nAllow: /\n",
        )
}

/// The data export as a page: when it was made, counts, files, sources and licences.
pub fn data_page(lang: Lang, m: &crate::export::Manifest) -> Page {
    let mut body = format!(
        "<p>{} {} ({} {}).</p>\n",
        lang.t(
            "Le graphe entier, en données ouvertes, produit par",
            "The whole graph as open data, written by"
        ),
        esc(&m.generator),
        lang.t("révision", "revision"),
        m.store_revision
    );
    let _ = write!(
        body,
        "<h2>{}</h2>\n<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"data-counts\" tabindex=\"0\"><table><caption id=\"data-counts\">{}</caption>{}<tbody>",
        lang.t("Contenu", "Contents"),
        lang.t("Nombre de nœuds et de citations par nature", "Nodes and citations per kind"),
        header_row(&[lang.t("Nature", "Kind"), lang.t("Nombre", "Count")]),
    );
    for (kind, n) in &m.counts {
        let _ = write!(
            body,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            esc(kind),
            number(lang, *n as f64, 0)
        );
    }
    let _ = write!(
        body,
        "</tbody></table></div>\n<h2>{}</h2>\n<ul>",
        lang.t("Fichiers", "Files")
    );
    for f in &m.files {
        let _ = write!(
            body,
            "<li><a href=\"/data/{0}\">{0}</a> — {1} {2}, SHA-256 <code class=\"hash\">{3}</code></li>",
            esc(&f.path),
            number(lang, f.bytes as f64, 0),
            lang.t("octets", "bytes"),
            esc(&f.sha256)
        );
    }
    let _ = write!(
        body,
        "</ul>\n<h2>{}</h2>\n<ul>",
        lang.t("Sources et licences", "Sources and licences")
    );
    for s in &m.sources {
        let _ = write!(
            body,
            "<li>{}{} — {}</li>",
            super::html::node_link(lang, &s.id, &s.title),
            s.licence
                .as_deref()
                .map(|l| format!(", {} {}", lang.t("licence", "licence"), esc(l)))
                .unwrap_or_default(),
            super::labels::count(lang, s.citations, super::labels::FACT)
        );
    }
    let _ = write!(
        body,
        "</ul>\n<p>{} <a href=\"/data/manifest.json\">manifest.json</a>.</p>",
        lang.t(
            "Le manifeste lisible par une machine :",
            "The machine-readable manifest:"
        )
    );
    Page {
        path: "/data/".to_owned(),
        title: lang.t("Données ouvertes", "Open data").to_owned(),
        description: lang
            .t(
                "L'export complet du graphe retex : fichiers, empreintes, sources et licences.",
                "The whole retex graph exported: files, hashes, sources and licences.",
            )
            .to_owned(),
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn js_name() -> String {
        SUGGEST_ASSET.name.clone()
    }

    #[test]
    fn hashed_names_follow_the_content() {
        assert_eq!(content_hash(b"a"), content_hash(b"a"));
        assert_ne!(content_hash(b"a"), content_hash(b"b"));
        assert!(stylesheet_path().starts_with("/static/explorer-"));
        assert!(stylesheet_path().ends_with(".css"));
        assert!(icon_path().ends_with(".svg"));
        let js = Asset::new("graphiql.min.js", "text/javascript", b"x");
        assert_eq!(js.name, format!("graphiql.min-{}.js", content_hash(b"x")));
        assert!(std::ptr::eq(find(&js_name()).unwrap(), &*SUGGEST_ASSET));
        assert!(find("explorer.css").is_none(), "only hashed names");
    }
}
