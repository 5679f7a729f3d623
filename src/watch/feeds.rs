//! Atom feeds out: per solution and per collectivity, its releases and end-of-life events, so
//! people can follow them in any feed reader. Written by hand with every text escaped.

use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, Utc};

use super::alerts::{deployed_solutions, recent_releases};
use crate::domain::{CollectivityId, EndOfLife, Release, ReleaseCycle, SolutionId};
use crate::store::{Store, StoreResult};

/// Days before an end of life from which it appears in feeds.
const EOL_NOTICE_DAYS: i64 = 180;
/// Most entries in a feed.
const MAX_ENTRIES: usize = 100;

/// One entry of a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry {
    /// A stable, unique id (a `tag:` URI).
    pub id: String,
    /// Its title.
    pub title: String,
    /// When it happened.
    pub updated: DateTime<Utc>,
    /// A page to read more.
    pub link: Option<String>,
    /// One line of text.
    pub summary: String,
}

/// Escapes text for XML content and attribute values.
pub use crate::domain::xml_escape as escape;

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An Atom document.
pub fn atom(id: &str, title: &str, self_url: &str, entries: &[FeedEntry]) -> String {
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <id>{}</id>\n  <title>{}</title>\n  <updated>{}</updated>\n  <link rel=\"self\" href=\"{}\"/>\n  <author><name>retex</name></author>\n  <generator>retex</generator>\n",
        escape(id),
        escape(title),
        time(updated),
        escape(self_url)
    );
    for e in entries {
        xml.push_str(&format!(
            "  <entry>\n    <id>{}</id>\n    <title>{}</title>\n    <updated>{}</updated>\n",
            escape(&e.id),
            escape(&e.title),
            time(e.updated)
        ));
        if let Some(link) = &e.link {
            xml.push_str(&format!("    <link href=\"{}\"/>\n", escape(link)));
        }
        xml.push_str(&format!(
            "    <summary>{}</summary>\n  </entry>\n",
            escape(&e.summary)
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

fn release_entry(r: &Release) -> FeedEntry {
    let kind = if r.prerelease {
        "pre-release"
    } else {
        "release"
    };
    FeedEntry {
        id: format!("tag:retex,2026:release/{}", r.key()),
        title: format!("{} {}", r.solution.slug(), r.version),
        updated: r
            .published
            .or(r.first_seen)
            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
        link: r.url.clone(),
        summary: r.title.clone().map_or_else(
            || format!("New {kind} of {}: {}", r.solution, r.version),
            |t| format!("New {kind} of {}: {t}", r.solution),
        ),
    }
}

fn midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0)
        .map_or(DateTime::<Utc>::UNIX_EPOCH, |t| t.and_utc())
}

/// The end-of-life entry of a cycle: dated on its end of life when reached, else on the day
/// the notice starts; none for cycles without a date or too far ahead.
fn eol_entry(c: &ReleaseCycle, today: NaiveDate) -> Option<FeedEntry> {
    let EndOfLife::Date(eol) = c.eol else {
        return None;
    };
    let notice = eol - Duration::days(EOL_NOTICE_DAYS);
    let (updated, verb) = if eol <= today {
        (eol, "reached its end of life on")
    } else if notice <= today {
        (notice, "reaches its end of life on")
    } else {
        return None;
    };
    Some(FeedEntry {
        id: format!(
            "tag:retex,2026:eol/{}/{}/{}",
            c.solution.slug(),
            c.product,
            c.cycle
        ),
        title: format!("{} {}: end of life {eol}", c.product, c.cycle),
        updated: midnight(updated),
        link: None,
        summary: format!("{} {} {verb} {eol}.", c.product, c.cycle),
    })
}

async fn entries_for(store: &dyn Store, solutions: Vec<SolutionId>) -> StoreResult<Vec<FeedEntry>> {
    let today = Utc::now().date_naive();
    let releases = recent_releases(store, solutions.clone(), None, true).await?;
    let cycles = store.release_cycles_for(solutions).await?;
    let mut entries: Vec<FeedEntry> = releases.iter().map(release_entry).collect();
    entries.extend(cycles.iter().filter_map(|c| eol_entry(c, today)));
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    entries.truncate(MAX_ENTRIES);
    Ok(entries)
}

/// The feed of a solution; `None` when the store does not hold it.
pub async fn solution_feed(
    store: &dyn Store,
    solution: &SolutionId,
    self_url: &str,
) -> StoreResult<Option<String>> {
    let Some(found) = store.solutions(vec![solution.clone()]).await?.pop() else {
        return Ok(None);
    };
    let entries = entries_for(store, vec![solution.clone()]).await?;
    let title = format!("{}: releases and end of life", found.name);
    Ok(Some(atom(
        &format!("tag:retex,2026:feed/{solution}"),
        &title,
        self_url,
        &entries,
    )))
}

/// The feed of a collectivity: the releases and ends of life of what it runs; `None` when
/// the store does not hold it.
pub async fn collectivity_feed(
    store: &dyn Store,
    collectivity: &CollectivityId,
    self_url: &str,
) -> StoreResult<Option<String>> {
    let Some(found) = store
        .collectivities(vec![collectivity.clone()])
        .await?
        .pop()
    else {
        return Ok(None);
    };
    let solutions = deployed_solutions(store, collectivity).await?;
    let entries = if solutions.is_empty() {
        Vec::new()
    } else {
        entries_for(store, solutions).await?
    };
    let title = format!("{}: releases and end of life of its software", found.name);
    Ok(Some(atom(
        &format!("tag:retex,2026:feed/{collectivity}"),
        &title,
        self_url,
        &entries,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_escape_text_and_parse_back() {
        let entry = FeedEntry {
            id: "tag:x,2026:1".into(),
            title: "A <b> & \"c\"\u{1}".into(),
            updated: DateTime::<Utc>::UNIX_EPOCH,
            link: Some("https://e.org/?a=1&b=2".into()),
            summary: "ok".into(),
        };
        let xml = atom("tag:x,2026:f", "T & U", "https://e.org/f.atom", &[entry]);
        assert!(
            xml.contains("A &lt;b&gt; &amp; &quot;c&quot;</title>"),
            "{xml}"
        );
        let parsed = feed_rs::parser::parse(xml.as_bytes()).unwrap();
        assert_eq!(parsed.entries.len(), 1);
        assert_eq!(parsed.entries[0].links[0].href, "https://e.org/?a=1&b=2");
    }
}
