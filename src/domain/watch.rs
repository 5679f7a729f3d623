//! Release watch: where a solution's releases are followed, what was released, release cycles
//! with their end of life, and the alerts they raise for the collectivities that run them.
//!
//! Watch sources and releases are not nodes of the knowledge graph: they have their own typed
//! ids (`watch:<slug>`) and their own tables, and they refer to solutions of the graph.

use std::cmp::Ordering;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::id::slugify;
use super::{SolutionId, ValidationError, WebUrl};

/// Default time between two polls of a source, in seconds (six hours).
pub const DEFAULT_INTERVAL_SECS: u32 = 6 * 3600;
/// Shortest time between two polls of a source, in seconds.
pub const MIN_INTERVAL_SECS: u32 = 300;

/// The id of a [`WatchSource`]: `watch:<slug>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WatchSourceId(String);

impl WatchSourceId {
    /// Parses `watch:<slug>`, the slug as in the graph's ids.
    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        let slug = value.strip_prefix("watch:").ok_or_else(|| {
            ValidationError::new(format!(
                "`{value}` is not a watch source id (`watch:<slug>`)"
            ))
        })?;
        let ok = value.len() <= 200
            && slug.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c));
        if !ok {
            return Err(ValidationError::new(format!(
                "`{value}`: the part after `watch:` must be lower-case letters, digits, '-', '_' or '.'"
            )));
        }
        Ok(Self(value.to_owned()))
    }
}

string_value!(text WatchSourceId, "The id as text.");

/// What a watch source speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WatchKind {
    /// GitHub's releases API (`/repos/<owner>/<repo>/releases`).
    Github,
    /// A GitLab host's releases API (`/api/v4/projects/<id>/releases`).
    Gitlab,
    /// Any Atom or RSS feed (GitHub's `releases.atom` included).
    Feed,
    /// An endoflife.date product (`/api/<product>.json`): release cycles and their end of life.
    Endoflife,
}

impl WatchKind {
    /// The kind as written in data and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            WatchKind::Github => "GITHUB",
            WatchKind::Gitlab => "GITLAB",
            WatchKind::Feed => "FEED",
            WatchKind::Endoflife => "ENDOFLIFE",
        }
    }

    /// Reads a kind written by [`WatchKind::as_str`].
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        [Self::Github, Self::Gitlab, Self::Feed, Self::Endoflife]
            .into_iter()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| ValidationError::new(format!("`{text}` is not a watch source kind")))
    }
}

/// Where the releases of a solution are followed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchSource {
    /// Its id.
    pub id: WatchSourceId,
    /// The solution whose releases it lists.
    pub solution: SolutionId,
    /// What it speaks.
    pub kind: WatchKind,
    /// The URL polled.
    pub url: WebUrl,
    /// Time between two polls, in seconds.
    pub interval_secs: u32,
    /// When it was retired through the API: never polled again, its releases kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired: Option<super::PartialDate>,
}

/// Checks `owner/name`-like paths: non-empty segments of letters, digits, `-`, `_`, `.`.
fn check_path(path: &str, what: &str) -> Result<(), ValidationError> {
    let ok = !path.is_empty()
        && path.split('/').all(|s| {
            !s.is_empty()
                && s != ".."
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        });
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new(format!("`{path}` is not a {what}")))
    }
}

/// Refuses a URL with a user name or password in it (`https://user:pass@host/`).
fn check_no_credentials(url: &WebUrl) -> Result<(), ValidationError> {
    let parsed = url::Url::parse(url.as_str())
        .map_err(|e| ValidationError::new(format!("`{}` is not a valid URL: {e}", url.as_str())))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(ValidationError::new(
            "a watch URL must not carry credentials (user:password@): watch URLs are shown publicly",
        ));
    }
    Ok(())
}

impl WatchSource {
    /// A source polling `url`, with the default id `watch:<solution>-<kind>` and interval.
    /// A URL carrying credentials (`https://user:pass@host/`) is refused: watch URLs are
    /// public (`watchStatus.url`), so no secret may be stored in one.
    pub fn new(
        solution: SolutionId,
        kind: WatchKind,
        url: WebUrl,
    ) -> Result<Self, ValidationError> {
        check_no_credentials(&url)?;
        let id = WatchSourceId::parse(&format!(
            "watch:{}-{}",
            solution.slug(),
            slugify(kind.as_str())
        ))?;
        Ok(Self {
            id,
            solution,
            kind,
            url,
            interval_secs: DEFAULT_INTERVAL_SECS,
            retired: None,
        })
    }

    /// A GitHub repository (`owner/name`), through the releases API.
    pub fn github(solution: SolutionId, repository: &str) -> Result<Self, ValidationError> {
        check_path(repository, "GitHub repository (owner/name)")?;
        if repository.split('/').count() != 2 {
            return Err(ValidationError::new(format!(
                "`{repository}` is not a GitHub repository (owner/name)"
            )));
        }
        let url = WebUrl::parse(&format!(
            "https://api.github.com/repos/{repository}/releases"
        ))?;
        Self::new(solution, WatchKind::Github, url)
    }

    /// A GitLab project (`group/name`) on `host` (`https://gitlab.com`, a public-sector forge).
    pub fn gitlab(
        solution: SolutionId,
        host: &WebUrl,
        project: &str,
    ) -> Result<Self, ValidationError> {
        check_path(project, "GitLab project path (group/name)")?;
        let encoded = project.replace('/', "%2F");
        let url = WebUrl::parse(&format!(
            "{}/api/v4/projects/{encoded}/releases",
            host.as_str().trim_end_matches('/')
        ))?;
        Self::new(solution, WatchKind::Gitlab, url)
    }

    /// An endoflife.date product (`debian`, `windows`, `libreoffice`).
    pub fn endoflife(solution: SolutionId, product: &str) -> Result<Self, ValidationError> {
        check_path(product, "endoflife.date product")?;
        if product.contains('/') {
            return Err(ValidationError::new(format!(
                "`{product}` is not an endoflife.date product"
            )));
        }
        let url = WebUrl::parse(&format!("https://endoflife.date/api/{product}.json"))?;
        Self::new(solution, WatchKind::Endoflife, url)
    }
}

/// Where a source is declared to be, as data files and the API name it: exactly one of a
/// GitHub repository, a GitLab project on a host, a feed, an endoflife.date product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchLocation {
    /// A GitHub repository (`owner/name`).
    Github(String),
    /// A GitLab project (`group/name`) on a host.
    Gitlab {
        /// The GitLab host (`https://gitlab.com`).
        host: WebUrl,
        /// The project path.
        project: String,
    },
    /// An Atom or RSS feed.
    Feed(WebUrl),
    /// An endoflife.date product.
    Endoflife(String),
}

impl WatchLocation {
    /// The one location among those given, or an error naming the four choices.
    pub fn one_of(
        github: Option<String>,
        gitlab: Option<(WebUrl, String)>,
        feed: Option<WebUrl>,
        endoflife: Option<String>,
    ) -> Result<Self, ValidationError> {
        let given = [
            github.is_some(),
            gitlab.is_some(),
            feed.is_some(),
            endoflife.is_some(),
        ];
        if given.iter().filter(|g| **g).count() != 1 {
            return Err(ValidationError::new(
                "a watch source needs exactly one of github, gitlab, feed, endoflife",
            ));
        }
        Ok(match (github, gitlab, feed, endoflife) {
            (Some(repo), ..) => Self::Github(repo),
            (_, Some((host, project)), ..) => Self::Gitlab { host, project },
            (_, _, Some(url), _) => Self::Feed(url),
            (.., Some(product)) => Self::Endoflife(product),
            _ => unreachable!("exactly one location was checked above"),
        })
    }
}

impl WatchSource {
    /// A source of `solution` at `location`, as the seed and the API declare it: the default id
    /// (`watch:<solution>-<kind>`) unless `id` is given, the default interval unless
    /// `interval_secs` is given (at least [`MIN_INTERVAL_SECS`]).
    pub fn declare(
        solution: SolutionId,
        location: WatchLocation,
        id: Option<WatchSourceId>,
        interval_secs: Option<u32>,
    ) -> Result<Self, ValidationError> {
        let mut source = match location {
            WatchLocation::Github(repo) => Self::github(solution, &repo)?,
            WatchLocation::Gitlab { host, project } => Self::gitlab(solution, &host, &project)?,
            WatchLocation::Feed(url) => Self::new(solution, WatchKind::Feed, url)?,
            WatchLocation::Endoflife(product) => Self::endoflife(solution, &product)?,
        };
        if let Some(id) = id {
            source.id = id;
        }
        if let Some(interval) = interval_secs {
            source.check_interval(interval)?;
            source.interval_secs = interval;
        }
        Ok(source)
    }

    /// Checks a poll interval for this source.
    pub fn check_interval(&self, interval_secs: u32) -> Result<(), ValidationError> {
        if interval_secs < MIN_INTERVAL_SECS {
            return Err(ValidationError::new(format!(
                "{}: interval must be at least {MIN_INTERVAL_SECS} seconds",
                self.id
            )));
        }
        Ok(())
    }

    /// Moves this source to another location of the same solution, keeping its id, interval
    /// and retirement.
    pub fn relocate(&self, location: WatchLocation) -> Result<Self, ValidationError> {
        let moved = Self::declare(self.solution.clone(), location, Some(self.id.clone()), None)?;
        Ok(Self {
            interval_secs: self.interval_secs,
            retired: self.retired,
            ..moved
        })
    }
}

/// A version as published, with its semantic reading when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The text as published, without a leading `v` (`1.2.3`, `24.04`, `2.7.0-rc.1`).
    pub text: String,
    /// The semantic version, when the text reads as one (missing parts taken as 0).
    pub semver: Option<semver::Version>,
}

impl Version {
    /// Reads a tag or version text (`v2.7.3`, `release-1.2`, `24.8.1`).
    pub fn parse(tag: &str) -> Self {
        let text = tag
            .trim()
            .trim_start_matches("release-")
            .trim_start_matches(['v', 'V'])
            .to_owned();
        Self {
            semver: lenient_semver(&text),
            text,
        }
    }

    /// Whether the version reads as a pre-release (`-rc.1`, `beta`, `alpha`).
    pub fn is_prerelease(&self) -> bool {
        match &self.semver {
            Some(v) => !v.pre.is_empty(),
            None => {
                let lower = self.text.to_ascii_lowercase();
                ["alpha", "beta", "rc", "preview", "dev", "nightly"]
                    .iter()
                    .any(|w| lower.contains(w))
            }
        }
    }
}

/// Reads `1`, `1.2` and `1.2.3[-pre][+build]` as semantic versions (short ones padded with 0).
fn lenient_semver(text: &str) -> Option<semver::Version> {
    if let Ok(v) = semver::Version::parse(text) {
        return Some(v);
    }
    let split = text.find(['-', '+']).unwrap_or(text.len());
    let (core, rest) = text.split_at(split);
    let parts: Vec<&str> = core.split('.').collect();
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.parse::<u64>().is_err()) {
        return None;
    }
    // A suffix on a short version (`2024-R2`) is part of its name unless it reads as a
    // pre-release or build.
    let lower = rest.to_ascii_lowercase();
    let pre_words = ["alpha", "beta", "rc", "pre", "dev"];
    if lower.starts_with('-') && !pre_words.iter().any(|w| lower.contains(w)) {
        return None;
    }
    let mut padded = parts.join(".");
    for _ in parts.len()..3 {
        padded.push_str(".0");
    }
    semver::Version::parse(&format!("{padded}{rest}")).ok()
}

/// Orders two version texts: semantically when both parse, else as text.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    match (lenient_semver(a), lenient_semver(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        (None, None) => a.cmp(b),
    }
}

/// A release of a solution, as one watch source published it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    /// The source that listed it.
    pub source: WatchSourceId,
    /// The solution released.
    pub solution: SolutionId,
    /// The version text as published (without a leading `v`).
    pub version: String,
    /// Its semantic version, normalised, when it reads as one.
    pub semver: Option<String>,
    /// Whether it is a pre-release (said by the source, or read from the version).
    pub prerelease: bool,
    /// When it was published, when the source says.
    pub published: Option<DateTime<Utc>>,
    /// Its page.
    pub url: Option<String>,
    /// Its title, when the source gives one.
    pub title: Option<String>,
    /// When the watch first stored it (set by the store).
    #[serde(default)]
    pub first_seen: Option<DateTime<Utc>>,
}

impl Release {
    /// A release of `version` listed by `source`.
    pub fn new(source: &WatchSource, tag: &str, prerelease_flag: bool) -> Self {
        let version = Version::parse(tag);
        Self {
            source: source.id.clone(),
            solution: source.solution.clone(),
            prerelease: prerelease_flag || version.is_prerelease(),
            semver: version.semver.as_ref().map(ToString::to_string),
            version: version.text,
            published: None,
            url: None,
            title: None,
            first_seen: None,
        }
    }

    /// Its stable key: source and version.
    pub fn key(&self) -> String {
        format!("{}@{}", self.source, self.version)
    }
}

/// When a release cycle stops being supported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "date", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EndOfLife {
    /// On this date.
    Date(NaiveDate),
    /// Already, on a date not given.
    Ended,
    /// No end planned yet.
    NotPlanned,
}

/// A release cycle of a product (endoflife.date's `cycle`): `12` of Debian, `10` of Windows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseCycle {
    /// The solution it is a cycle of.
    pub solution: SolutionId,
    /// The product name at the source (`debian`).
    pub product: String,
    /// The cycle (`12`, `2019`, `10-22h2`).
    pub cycle: String,
    /// When the cycle was first released.
    pub released: Option<NaiveDate>,
    /// When its support ends.
    pub eol: EndOfLife,
    /// Whether it is a long-term support cycle.
    pub lts: bool,
    /// Its latest version.
    pub latest: Option<String>,
}

/// The release cycles of solutions from both origins: those the watch fetched, and those
/// imported (endoflife.date's dataset) for a (solution, product, cycle) the watch does not
/// have, the fetched one being the fresher. Ordered by solution, product and cycle.
pub fn merge_cycles(
    fetched: Vec<ReleaseCycle>,
    imported: impl IntoIterator<Item = ReleaseCycle>,
) -> Vec<ReleaseCycle> {
    let mut by_key: std::collections::BTreeMap<(SolutionId, String, String), ReleaseCycle> =
        imported
            .into_iter()
            .map(|c| ((c.solution.clone(), c.product.clone(), c.cycle.clone()), c))
            .collect();
    for c in fetched {
        by_key.insert((c.solution.clone(), c.product.clone(), c.cycle.clone()), c);
    }
    by_key.into_values().collect()
}

/// What one poll of a source found.
#[derive(Debug, Clone, PartialEq)]
pub enum PollOutcome {
    /// The source answered with content.
    Fetched {
        /// Its `ETag` validator, if any.
        etag: Option<String>,
        /// Its `Last-Modified` validator, if any.
        last_modified: Option<String>,
        /// The releases it lists.
        releases: Vec<Release>,
        /// The release cycles it lists (endoflife.date).
        cycles: Vec<ReleaseCycle>,
    },
    /// The source said nothing changed (304).
    NotModified,
    /// The poll failed.
    Failed {
        /// What went wrong, for a person.
        error: String,
    },
}

/// One poll of a source, as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct PollRecord {
    /// The source.
    pub source: WatchSourceId,
    /// When it was polled.
    pub checked_at: DateTime<Utc>,
    /// What was found.
    pub outcome: PollOutcome,
    /// When to poll it next.
    pub next_check: DateTime<Utc>,
    /// Failures in a row, this one included (0 after a success).
    pub failures: u32,
}

/// A source to poll, with the validators of its last answer.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchTarget {
    /// The source.
    pub source: WatchSource,
    /// The last `ETag` it gave.
    pub etag: Option<String>,
    /// The last `Last-Modified` it gave.
    pub last_modified: Option<String>,
    /// Failures in a row so far.
    pub failures: u32,
}

/// Where a source stands.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchStatus {
    /// The source.
    pub source: WatchSource,
    /// When it was last polled.
    pub last_checked: Option<DateTime<Utc>>,
    /// When it last answered well (content or 304).
    pub last_success: Option<DateTime<Utc>>,
    /// The error of its last poll, when it failed.
    pub last_error: Option<String>,
    /// When it will be polled next.
    pub next_check: Option<DateTime<Utc>>,
    /// Failures in a row.
    pub failures: u32,
    /// Releases stored from it.
    pub releases: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_read_semver_leniently_and_flag_prereleases() {
        let v = Version::parse("v2.7.3");
        assert_eq!(v.text, "2.7.3");
        assert_eq!(v.semver.unwrap().to_string(), "2.7.3");
        assert_eq!(Version::parse("24.8").semver.unwrap().to_string(), "24.8.0");
        assert!(Version::parse("3.0.0-rc.1").is_prerelease());
        assert!(Version::parse("bookworm-beta").is_prerelease());
        let text = Version::parse("2024-R2");
        assert!(text.semver.is_none());
        assert!(!text.is_prerelease());
        assert_eq!(compare_versions("1.10.0", "1.9.2"), Ordering::Greater);
        assert_eq!(compare_versions("1.10", "1.9.2"), Ordering::Greater);
    }

    #[test]
    fn urls_with_credentials_are_refused() {
        let solution = SolutionId::parse("solution:jitsi").unwrap();
        for url in [
            "https://user:secret@example.org/feed.atom",
            "https://token@example.org/feed.atom",
            "https://:secret@example.org/feed.atom",
        ] {
            let location = WatchLocation::Feed(WebUrl::parse(url).unwrap());
            let error = WatchSource::declare(solution.clone(), location, None, None).unwrap_err();
            assert!(error.0.contains("credentials"), "{url}: {}", error.0);
            assert!(
                !error.0.contains("secret"),
                "the error never repeats the secret"
            );
        }
        let host = WebUrl::parse("https://user:pw@gitlab.example/").unwrap();
        assert!(WatchSource::gitlab(solution.clone(), &host, "group/name").is_err());
        let fine = WebUrl::parse("https://example.org/feed.atom").unwrap();
        assert!(WatchSource::declare(solution, WatchLocation::Feed(fine), None, None).is_ok());
    }

    #[test]
    fn sources_build_their_urls() {
        let s = SolutionId::parse("solution:x").unwrap();
        let gh = WatchSource::github(s.clone(), "bigbluebutton/bigbluebutton").unwrap();
        assert_eq!(
            gh.url.as_str(),
            "https://api.github.com/repos/bigbluebutton/bigbluebutton/releases"
        );
        assert_eq!(gh.id.as_str(), "watch:x-github");
        let host = WebUrl::parse("https://gitlab.adullact.net/").unwrap();
        let gl = WatchSource::gitlab(s.clone(), &host, "group/sub/name").unwrap();
        assert_eq!(
            gl.url.as_str(),
            "https://gitlab.adullact.net/api/v4/projects/group%2Fsub%2Fname/releases"
        );
        assert!(WatchSource::github(s.clone(), "../x").is_err());
        assert!(WatchSource::endoflife(s, "a/b").is_err());
    }
}
