//! Reading what sources answer: GitHub and GitLab releases JSON, Atom and RSS feeds (through
//! feed-rs), endoflife.date's product JSON. Outside input: nothing here panics on it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::Value;

use crate::domain::{EndOfLife, Release, ReleaseCycle, Version, WatchKind, WatchSource};

/// Longest version text kept.
const MAX_VERSION_LEN: usize = 100;
/// Longest title kept.
const MAX_TITLE_LEN: usize = 300;
/// Most entries read from one answer.
const MAX_ENTRIES: usize = 1_000;

/// Why an answer could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The JSON is malformed or not of the expected shape.
    #[error("unexpected JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The feed is neither Atom nor RSS.
    #[error("not an Atom or RSS feed: {0}")]
    Feed(String),
}

/// What one answer lists.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Releases.
    pub releases: Vec<Release>,
    /// Release cycles (endoflife.date only).
    pub cycles: Vec<ReleaseCycle>,
}

/// Reads `body` as the source's kind says.
pub fn parse(source: &WatchSource, body: &[u8]) -> Result<Parsed, ParseError> {
    match source.kind {
        WatchKind::Github => github(source, body).map(releases_only),
        WatchKind::Gitlab => gitlab(source, body).map(releases_only),
        WatchKind::Feed => feed(source, body).map(releases_only),
        WatchKind::Endoflife => endoflife(source, body),
    }
}

fn releases_only(releases: Vec<Release>) -> Parsed {
    Parsed {
        releases,
        cycles: Vec::new(),
    }
}

fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => text[..i].to_owned(),
        None => text.to_owned(),
    }
}

fn web_url(text: Option<&str>) -> Option<String> {
    text.filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .filter(|u| u.len() <= 2_000)
        .map(str::to_owned)
}

fn release(
    source: &WatchSource,
    tag: &str,
    prerelease: bool,
    title: Option<&str>,
    published: Option<DateTime<Utc>>,
    url: Option<&str>,
) -> Option<Release> {
    let tag = tag.trim();
    if tag.is_empty() || tag.len() > MAX_VERSION_LEN {
        return None;
    }
    let mut r = Release::new(source, tag, prerelease);
    r.title = title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| clip(t, MAX_TITLE_LEN));
    r.published = published;
    r.url = web_url(url);
    Some(r)
}

#[derive(Deserialize)]
struct GithubRelease {
    tag_name: String,
    name: Option<String>,
    html_url: Option<String>,
    #[serde(default)]
    prerelease: bool,
    #[serde(default)]
    draft: bool,
    published_at: Option<DateTime<Utc>>,
    created_at: Option<DateTime<Utc>>,
}

/// GitHub's `GET /repos/<owner>/<repo>/releases`: drafts are skipped.
pub fn github(source: &WatchSource, body: &[u8]) -> Result<Vec<Release>, ParseError> {
    let items: Vec<GithubRelease> = serde_json::from_slice(body)?;
    Ok(items
        .iter()
        .filter(|r| !r.draft)
        .take(MAX_ENTRIES)
        .filter_map(|r| {
            release(
                source,
                &r.tag_name,
                r.prerelease,
                r.name.as_deref(),
                r.published_at.or(r.created_at),
                r.html_url.as_deref(),
            )
        })
        .collect())
}

#[derive(Deserialize)]
struct GitlabLinks {
    #[serde(rename = "self")]
    this: Option<String>,
}

#[derive(Deserialize)]
struct GitlabRelease {
    tag_name: String,
    name: Option<String>,
    released_at: Option<DateTime<Utc>>,
    #[serde(default)]
    upcoming_release: bool,
    #[serde(rename = "_links")]
    links: Option<GitlabLinks>,
}

/// GitLab's `GET /api/v4/projects/<id>/releases`: upcoming releases count as pre-releases.
pub fn gitlab(source: &WatchSource, body: &[u8]) -> Result<Vec<Release>, ParseError> {
    let items: Vec<GitlabRelease> = serde_json::from_slice(body)?;
    Ok(items
        .iter()
        .take(MAX_ENTRIES)
        .filter_map(|r| {
            release(
                source,
                &r.tag_name,
                r.upcoming_release,
                r.name.as_deref(),
                r.released_at,
                r.links.as_ref().and_then(|l| l.this.as_deref()),
            )
        })
        .collect())
}

/// The version an entry is about: the tag of a `/releases/tag/<tag>` link, else the first
/// word of the title that reads as a version, else the title.
fn entry_version(title: &str, links: &[String]) -> Option<String> {
    let from_link = links.iter().find_map(|l| {
        l.split_once("/releases/tag/")
            .map(|(_, tag)| tag.trim_end_matches('/').to_owned())
            .filter(|t| !t.is_empty() && !t.contains('/'))
    });
    from_link
        .or_else(|| {
            title
                .split(|c: char| c.is_whitespace() || c == ',' || c == ':' || c == '(' || c == ')')
                .find(|w| Version::parse(w).semver.is_some())
                .map(str::to_owned)
        })
        .or_else(|| Some(title.trim().to_owned()).filter(|t| !t.is_empty()))
}

/// Any Atom or RSS feed, one release per entry.
pub fn feed(source: &WatchSource, body: &[u8]) -> Result<Vec<Release>, ParseError> {
    let parsed = feed_rs::parser::parse(body).map_err(|e| ParseError::Feed(e.to_string()))?;
    Ok(parsed
        .entries
        .iter()
        .take(MAX_ENTRIES)
        .filter_map(|e| {
            let title = e
                .title
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default();
            let links: Vec<String> = e.links.iter().map(|l| l.href.clone()).collect();
            let version = entry_version(&title, &links)?;
            release(
                source,
                &version,
                false,
                Some(&title),
                e.published.or(e.updated),
                links.first().map(String::as_str),
            )
        })
        .collect())
}

fn date_of(value: &Value) -> Option<NaiveDate> {
    value
        .as_str()
        .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(clip(s, MAX_VERSION_LEN)),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// endoflife.date's `GET /api/<product>.json`: one cycle per entry (`eol` a date or a
/// boolean, `lts` a boolean or a date), and each cycle's latest version as a release.
pub fn endoflife(source: &WatchSource, body: &[u8]) -> Result<Parsed, ParseError> {
    let items: Vec<serde_json::Map<String, Value>> = serde_json::from_slice(body)?;
    let product = source
        .url
        .as_str()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .trim_end_matches(".json")
        .to_owned();
    let mut parsed = Parsed::default();
    for item in items.iter().take(MAX_ENTRIES) {
        let Some(cycle) = item.get("cycle").and_then(text_of) else {
            continue;
        };
        let eol = match item.get("eol") {
            Some(Value::Bool(true)) => EndOfLife::Ended,
            Some(v) => date_of(v).map_or(EndOfLife::NotPlanned, EndOfLife::Date),
            None => EndOfLife::NotPlanned,
        };
        let lts = match item.get("lts") {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(_)) => true,
            _ => false,
        };
        let latest = item.get("latest").and_then(text_of);
        let released = item.get("releaseDate").and_then(date_of);
        if let Some(version) = &latest {
            let date = item.get("latestReleaseDate").and_then(date_of).or(released);
            let link = item.get("link").and_then(Value::as_str);
            if let Some(r) = release(
                source,
                version,
                false,
                Some(&format!("{product} {version}")),
                date.and_then(|d| d.and_hms_opt(0, 0, 0))
                    .map(|d| d.and_utc()),
                link,
            ) {
                parsed.releases.push(r);
            }
        }
        parsed.cycles.push(ReleaseCycle {
            solution: source.solution.clone(),
            product: product.clone(),
            cycle,
            released,
            eol,
            lts,
            latest,
        });
    }
    Ok(parsed)
}
