//! The nodes of the graph and the batch in which they are written.

use serde::{Deserialize, Serialize};

use super::{
    AdoptionId, AdoptionStatus, AlternativeId, AlternativeKind, CollectivityId, CollectivityKind,
    Confidence, ContributionId, ContributionKind, Country, DependencyKind, DeploymentStrategy,
    Hosting, InseeCode, Licence, LocalizedText, MaintenanceStatus, MaintenanceType, NeedId, NodeId,
    OutcomeId, OutcomeKind, PartialDate, ProductCycle, PublisherId, PublisherKind, PublisherStatus,
    SillStatus, Siren, SolutionId, SolutionKind, SourceId, SourceKind, ValidationError, WebUrl,
    WikidataId,
};
use super::{FunctionalContact, StatusChange};

/// Longest name accepted, in characters.
const MAX_NAME_CHARS: usize = 300;

fn check_name(what: &str, name: &str) -> Result<(), ValidationError> {
    if name.trim().is_empty() {
        return Err(ValidationError::new(format!("{what} has an empty name")));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(ValidationError::new(format!(
            "{what} has a name longer than {MAX_NAME_CHARS} characters"
        )));
    }
    Ok(())
}

/// Why a fact is believed: a document, dataset or interview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// Its id.
    pub id: SourceId,
    /// Its title.
    pub title: String,
    /// Its title by language, where the seed or the importer knows it: the source's own title
    /// in its language, and our description of a dataset in French and English (a dataset's
    /// name is never translated). Pages show the one in their language, else `title`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub titles: Option<LocalizedText>,
    /// What kind of document it is.
    pub kind: SourceKind,
    /// Where to read it.
    pub url: Option<WebUrl>,
    /// Who published it.
    pub publisher: Option<String>,
    /// When it was published.
    pub published: Option<PartialDate>,
    /// Under which licence its content may be reused.
    pub licence: Option<Licence>,
    /// When it was retired through the API: it stays readable (history, provenance) but is
    /// left out where a live one is expected (see each kind's retire mutation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired: Option<PartialDate>,
}

/// What a collectivity needs done: videoconferencing, an office suite, a desktop OS...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Need {
    /// Its id.
    pub id: NeedId,
    /// Its name, in French and English.
    pub label: LocalizedText,
    /// The broader need it belongs to.
    pub broader: Option<NeedId>,
    /// The matching publiccode.yml category, when there is one.
    pub publiccode: Option<String>,
    /// When it was retired through the API: it stays readable (history, provenance) but is
    /// left out where a live one is expected (see each kind's retire mutation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired: Option<PartialDate>,
}

/// Who makes a solution: company, association, foundation, community or public body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Publisher {
    /// Its id.
    pub id: PublisherId,
    /// Its name.
    pub name: String,
    /// What kind of organisation it is.
    pub kind: PublisherKind,
    /// Its country.
    pub country: Option<Country>,
    /// Its web site.
    pub website: Option<WebUrl>,
    /// Whether it still exists.
    pub status: PublisherStatus,
    /// When it closed, if it did.
    pub closed: Option<PartialDate>,
    /// True when the sources do not name it.
    pub unnamed: bool,
}

/// A piece of software or a service that serves needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Solution {
    /// Its id.
    pub id: SolutionId,
    /// Its name.
    pub name: String,
    /// Libre, proprietary or internal.
    pub kind: SolutionKind,
    /// Its licence (required for libre solutions).
    pub licence: Option<Licence>,
    /// Who makes it.
    pub publisher: Option<PublisherId>,
    /// The needs it serves (at least one).
    pub needs: Vec<NeedId>,
    /// Its maintenance health.
    pub status: MaintenanceStatus,
    /// Its web site.
    pub website: Option<WebUrl>,
    /// Its source repository.
    pub repository: Option<WebUrl>,
    /// Its Wikidata item.
    pub wikidata: Option<WikidataId>,
    /// Its id in the French State's SILL.
    pub sill: Option<u32>,
    /// Its id on the Comptoir du Libre.
    pub comptoir: Option<u32>,
    /// What it does, in French and/or English: the curated seed's words, else the text the
    /// datasets publish about it (kept as they state it, attributed in `description_sources`).
    pub description: Option<LocalizedText>,
    /// True when the sources do not name it.
    pub unnamed: bool,
    /// The dataset records whose text is in `description` (`sill/...#id=196 (fr-desc)`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub description_sources: Vec<String>,
    /// Values two sources state differently: the one served and the other, with who states
    /// each (`licence: LGPL-3.0-only (sill/...#ID=196, the authority) over LGPL-3.0-or-later`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<String>,
    /// Its status in the SILL, year by year.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sill_history: Vec<SillYear>,
    /// The solution it is a plugin or extension of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugin_of: Option<SolutionId>,
    /// Solutions a dataset calls similar to it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub similar: Vec<SolutionId>,
    /// Other names it has in the datasets (`Jitsi Meet`, `Webconf (Jitsi)`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Why records of several datasets were merged into it (`sill#54: wikidata Q3104570`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merge_evidence: Vec<String>,
    /// What its publiccode.yml says beyond its identity: maintenance and contractors,
    /// development status, latest release, dependencies, the software it is based on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publiccode: Option<PubliccodeFacts>,
}

/// The facts a publiccode.yml file gives about a solution's software, as the file states them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PubliccodeFacts {
    /// The file they come from (`publiccode/AgID__pat.publiccode.yml`): a later import of the
    /// same file replaces them; another file describing the same solution does not.
    pub record: String,
    /// `developmentStatus`: `concept`, `development`, `beta`, `stable` or `obsolete`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub development_status: Option<String>,
    /// Who maintains it (`maintenance`); contacts, being people, are not kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance: Option<Maintenance>,
    /// The latest release the file states (`softwareVersion`, `releaseDate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_version: Option<VersionRelease>,
    /// What it needs to run (`dependsOn`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<Dependency>,
    /// The software it is a variant of (`isBasedOn`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub based_on: Vec<BasedOn>,
}

/// Who maintains a piece of software.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Maintenance {
    /// The kind of maintenance, when the file gives one of the standard's values.
    pub kind: Option<MaintenanceType>,
    /// The contractors paid to maintain it, with the end of their contract.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contractors: Vec<Contractor>,
}

/// A company under contract to maintain a piece of software.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contractor {
    /// Its name.
    pub name: String,
    /// When the contract ends.
    pub until: Option<PartialDate>,
    /// Its web site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<WebUrl>,
}

/// A release: a version and its date, either of which may be unknown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionRelease {
    /// The version (`v17.6.0`).
    pub version: Option<String>,
    /// When it was released.
    pub date: Option<PartialDate>,
}

/// Something a piece of software needs to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dependency {
    /// Its name, as the file gives it.
    pub name: String,
    /// Open, proprietary or hardware.
    pub kind: DependencyKind,
    /// The exact version needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The oldest version that works.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_min: Option<String>,
    /// The newest version that works.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_max: Option<String>,
    /// Whether it can be done without, when the file says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
    /// The known solution it is, when entity resolution found one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solution: Option<SolutionId>,
}

/// The software a piece of software is based on (a fork or a variant of).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BasedOn {
    /// How the file names it: a repository URL or a name.
    pub reference: String,
    /// The known solution it is, when entity resolution found one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solution: Option<SolutionId>,
}

/// A solution's status in the SILL for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SillYear {
    /// The year of the SILL edition.
    pub year: u16,
    /// Its status that year.
    pub status: SillStatus,
}

/// A libre solution that can replace a proprietary one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alternative {
    /// Its id, derived from the two solutions.
    pub id: AlternativeId,
    /// The libre solution.
    pub libre: SolutionId,
    /// The proprietary solution it replaces.
    pub proprietary: SolutionId,
    /// How fully it replaces it.
    pub confidence: Confidence,
    /// What the replaced paid item is.
    pub kind: AlternativeKind,
}

impl Alternative {
    /// The id of the alternative between two solutions.
    pub fn id_for(libre: &SolutionId, proprietary: &SolutionId) -> AlternativeId {
        AlternativeId::parse(&format!(
            "alternative:{}--{}",
            libre.slug(),
            proprietary.slug()
        ))
        .expect("two valid slugs joined by -- form a valid slug")
    }
}

/// A figure: a number with its unit, stated by a source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// What is measured (`libre-share`, `seats`, `savings-eur-per-year`).
    pub name: String,
    /// The value.
    pub value: f64,
    /// The unit (`percent`, `count`, `EUR`).
    pub unit: Option<String>,
    /// Who stated it.
    pub source: Option<SourceId>,
}

impl Figure {
    fn validate(&self) -> Result<(), ValidationError> {
        check_name("a figure", &self.name)?;
        if !self.value.is_finite() {
            return Err(ValidationError::new(format!(
                "figure `{}` has no finite value",
                self.name
            )));
        }
        Ok(())
    }
}

/// Any public body: commune, intercommunality, department, region, state service...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Collectivity {
    /// Its id.
    pub id: CollectivityId,
    /// Its name (or a description of the unnamed group).
    pub name: String,
    /// What kind of body it is.
    pub kind: CollectivityKind,
    /// Its country.
    pub country: Country,
    /// Its INSEE commune code.
    pub insee: Option<InseeCode>,
    /// Its SIREN.
    pub siren: Option<Siren>,
    /// Its population.
    pub population: Option<u64>,
    /// The code of its department.
    pub department: Option<String>,
    /// The code of its region.
    pub region: Option<String>,
    /// The body it belongs to (a commune in its métropole).
    pub parent: Option<CollectivityId>,
    /// True for a group the sources leave unnamed.
    pub unnamed: bool,
    /// Figures it stated about itself.
    pub figures: Vec<Figure>,
    /// A functional contact (a role, a team mailbox) peers may reach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<FunctionalContact>,
    /// Whether the collectivity consents to its contact being shown in public reads.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub contact_public: bool,
    /// Other groupings it is a member of besides its parent (a commune's EPT).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub member_of: Vec<CollectivityId>,
    /// Its accounts on software forges (`https://github.com/etalab`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forges: Vec<WebUrl>,
    /// True when it runs an open source programme office (OSPO).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ospo: bool,
}

/// A collectivity's use of a solution for a need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Adoption {
    /// Its id.
    pub id: AdoptionId,
    /// Who adopted.
    pub collectivity: CollectivityId,
    /// What was adopted.
    pub solution: SolutionId,
    /// For which need.
    pub need: NeedId,
    /// Where it stands.
    pub status: AdoptionStatus,
    /// When it started.
    pub started: Option<PartialDate>,
    /// When it ended.
    pub ended: Option<PartialDate>,
    /// How it was deployed.
    pub strategy: Option<DeploymentStrategy>,
    /// Who runs it.
    pub hosting: Option<Hosting>,
    /// Number of seats or users.
    pub scale: Option<u64>,
    /// What it replaced.
    pub replaced: Vec<SolutionId>,
    /// A note, in our own words.
    pub note: Option<LocalizedText>,
    /// Its status changes, oldest first (PILOT on this date, DEPLOYED on that one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status_history: Vec<StatusChange>,
}

/// How an adoption went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// Its id.
    pub id: OutcomeId,
    /// The adoption it is the outcome of.
    pub adoption: AdoptionId,
    /// What happened.
    pub kind: OutcomeKind,
    /// When.
    pub date: Option<PartialDate>,
    /// A short summary in our own words.
    pub summary: LocalizedText,
    /// Figures, where known (savings, seats...).
    pub figures: Vec<Figure>,
    /// When it was retired through the API: it stays readable (history, provenance) but is
    /// left out where a live one is expected (see each kind's retire mutation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired: Option<PartialDate>,
}

/// A public body giving back to libre software: code, money, staff time, documentation,
/// translation or hosting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// Its id.
    pub id: ContributionId,
    /// The public body that gives back (or pays for it).
    pub collectivity: CollectivityId,
    /// The solution it goes to, when the graph holds it.
    pub solution: Option<SolutionId>,
    /// The software's name as the source gives it (kept when no solution matched).
    #[serde(default)]
    pub software: Option<String>,
    /// What is given.
    pub kind: ContributionKind,
    /// The share of a person's or team's time, in percent, where stated (`20` for 20 %).
    pub share_percent: Option<f64>,
    /// When it started.
    pub started: Option<PartialDate>,
    /// When it ended.
    pub ended: Option<PartialDate>,
    /// Who did the work for the body (a contractor), where stated.
    pub contractor: Option<String>,
    /// Where the contribution can be seen upstream (commits, issues, patches).
    #[serde(default)]
    pub references: Vec<WebUrl>,
    /// A note, in our own words.
    pub note: Option<LocalizedText>,
}

impl Contribution {
    /// Checks the rules that span fields.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if let Some(share) = self.share_percent {
            if !(share > 0.0 && share <= 100.0) {
                return Err(ValidationError::new(format!(
                    "{}: a share is a percentage above 0 and at most 100, not {share}",
                    self.id
                )));
            }
        }
        if let (Some(start), Some(end)) = (&self.started, &self.ended) {
            if end.sort_key() < start.sort_key() {
                return Err(ValidationError::new(format!(
                    "{} ends ({end}) before it starts ({start})",
                    self.id
                )));
            }
        }
        Ok(())
    }
}

/// A source cited for a node.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Citation {
    /// The node the source supports.
    pub subject: NodeId,
    /// The source.
    pub source: SourceId,
    /// Where in the source the fact is: a dataset file and record
    /// (`sill-api-2022-03/software.csv#ID=67`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
}

/// A set of nodes written together: all of them or none.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    /// Sources.
    pub sources: Vec<Source>,
    /// Needs.
    pub needs: Vec<Need>,
    /// Publishers.
    pub publishers: Vec<Publisher>,
    /// Solutions.
    pub solutions: Vec<Solution>,
    /// Alternatives.
    pub alternatives: Vec<Alternative>,
    /// Collectivities.
    pub collectivities: Vec<Collectivity>,
    /// Adoptions.
    pub adoptions: Vec<Adoption>,
    /// Outcomes.
    pub outcomes: Vec<Outcome>,
    /// Contributions.
    #[serde(default)]
    pub contributions: Vec<Contribution>,
    /// Citations.
    pub citations: Vec<Citation>,
    /// Release cycles (endoflife.date).
    #[serde(default)]
    pub releases: Vec<ProductCycle>,
}

impl Source {
    /// Checks the rules that span fields.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_name(self.id.as_str(), &self.title)
    }
}

impl Need {
    /// Checks the rules that span fields.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.broader.as_ref() == Some(&self.id) {
            return Err(ValidationError::new(format!(
                "{} cannot be its own broader need",
                self.id
            )));
        }
        Ok(())
    }
}

impl Publisher {
    /// Checks the rules that span fields.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_name(self.id.as_str(), &self.name)?;
        match (self.status, &self.closed) {
            (PublisherStatus::Closed, None) => Err(ValidationError::new(format!(
                "{} is CLOSED but has no `closed` date",
                self.id
            ))),
            (PublisherStatus::Active, Some(_)) => Err(ValidationError::new(format!(
                "{} has a `closed` date but its status is ACTIVE",
                self.id
            ))),
            _ => Ok(()),
        }
    }
}

impl Solution {
    /// A solution known by its identity and the needs it serves: maintained (`ACTIVE`), and
    /// every other fact unstated. Sources state the rest with struct update syntax
    /// (`Solution { licence, ..Solution::new(id, name, kind, needs) }`).
    pub fn new(
        id: SolutionId,
        name: impl Into<String>,
        kind: SolutionKind,
        needs: Vec<NeedId>,
    ) -> Self {
        Solution {
            id,
            name: name.into(),
            kind,
            licence: None,
            publisher: None,
            needs,
            status: MaintenanceStatus::Active,
            website: None,
            repository: None,
            wikidata: None,
            sill: None,
            comptoir: None,
            description: None,
            unnamed: false,
            description_sources: Vec::new(),
            conflicts: Vec::new(),
            sill_history: Vec::new(),
            plugin_of: None,
            similar: Vec::new(),
            aliases: Vec::new(),
            merge_evidence: Vec::new(),
            publiccode: None,
        }
    }

    /// Checks the rules that span fields.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_name(self.id.as_str(), &self.name)?;
        if self.needs.is_empty() {
            return Err(ValidationError::new(format!(
                "{} serves no need: give at least one",
                self.id
            )));
        }
        if self.kind == SolutionKind::Libre && self.licence.is_none() {
            return Err(ValidationError::new(format!(
                "{} is LIBRE but has no licence",
                self.id
            )));
        }
        Ok(())
    }
}

impl Alternative {
    /// Checks the rules that span fields.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.libre == self.proprietary {
            return Err(ValidationError::new(format!(
                "{} cannot replace itself",
                self.libre
            )));
        }
        Ok(())
    }
}

impl Collectivity {
    /// A public body known by its identity: every other fact unstated (no codes, population,
    /// place in the hierarchy, figures or forges). Sources state the rest with struct update
    /// syntax (`Collectivity { siren, ..Collectivity::new(id, name, kind, country) }`).
    pub fn new(
        id: CollectivityId,
        name: impl Into<String>,
        kind: CollectivityKind,
        country: Country,
    ) -> Self {
        Collectivity {
            id,
            name: name.into(),
            kind,
            country,
            insee: None,
            siren: None,
            population: None,
            department: None,
            region: None,
            parent: None,
            unnamed: false,
            figures: Vec::new(),
            contact: None,
            contact_public: false,
            member_of: Vec::new(),
            forges: Vec::new(),
            ospo: false,
        }
    }

    /// Checks the rules that span fields.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_name(self.id.as_str(), &self.name)?;
        if self.parent.as_ref() == Some(&self.id) {
            return Err(ValidationError::new(format!(
                "{} cannot belong to itself",
                self.id
            )));
        }
        if let Some(contact) = &self.contact {
            contact.validate()?;
        }
        self.figures.iter().try_for_each(Figure::validate)
    }
}

impl Adoption {
    /// Checks the rules that span fields.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if let (Some(start), Some(end)) = (&self.started, &self.ended) {
            if end.sort_key() < start.sort_key() {
                return Err(ValidationError::new(format!(
                    "{} ends ({end}) before it starts ({start})",
                    self.id
                )));
            }
        }
        if self.replaced.contains(&self.solution) {
            return Err(ValidationError::new(format!(
                "{} cannot replace the solution it adopts",
                self.id
            )));
        }
        Ok(())
    }
}

impl Outcome {
    /// Checks the rules that span fields.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.figures.iter().try_for_each(Figure::validate)
    }
}

impl Batch {
    /// Checks every node's own rules, and that no id appears twice.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.sources.iter().try_for_each(Source::validate)?;
        self.needs.iter().try_for_each(Need::validate)?;
        self.publishers.iter().try_for_each(Publisher::validate)?;
        self.solutions.iter().try_for_each(Solution::validate)?;
        self.alternatives
            .iter()
            .try_for_each(Alternative::validate)?;
        self.collectivities
            .iter()
            .try_for_each(Collectivity::validate)?;
        self.adoptions.iter().try_for_each(Adoption::validate)?;
        self.outcomes.iter().try_for_each(Outcome::validate)?;
        self.contributions
            .iter()
            .try_for_each(Contribution::validate)?;
        self.releases.iter().try_for_each(ProductCycle::validate)?;
        let mut seen = std::collections::HashSet::new();
        for id in self.ids() {
            if !seen.insert(id) {
                return Err(ValidationError::new(format!(
                    "{id} appears twice in one batch"
                )));
            }
        }
        Ok(())
    }

    /// The id of every node in the batch (citations have none), kind by kind.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.node_ids()
            .chain(self.contributions.iter().map(|n| n.id.as_str()))
            .chain(self.releases.iter().map(|n| n.id.as_str()))
    }

    /// The ids of the batch's nodes of the graph proper (sources, needs, publishers, solutions,
    /// alternatives, collectivities, adoptions, outcomes): not its contributions and release
    /// cycles.
    pub fn node_ids(&self) -> impl Iterator<Item = &str> {
        self.sources
            .iter()
            .map(|n| n.id.as_str())
            .chain(self.needs.iter().map(|n| n.id.as_str()))
            .chain(self.publishers.iter().map(|n| n.id.as_str()))
            .chain(self.solutions.iter().map(|n| n.id.as_str()))
            .chain(self.alternatives.iter().map(|n| n.id.as_str()))
            .chain(self.collectivities.iter().map(|n| n.id.as_str()))
            .chain(self.adoptions.iter().map(|n| n.id.as_str()))
            .chain(self.outcomes.iter().map(|n| n.id.as_str()))
    }

    /// Number of nodes in the batch.
    pub fn len(&self) -> usize {
        self.sources.len()
            + self.needs.len()
            + self.publishers.len()
            + self.solutions.len()
            + self.alternatives.len()
            + self.collectivities.len()
            + self.adoptions.len()
            + self.outcomes.len()
            + self.contributions.len()
            + self.releases.len()
    }

    /// True when the batch holds no node and no citation.
    pub fn is_empty(&self) -> bool {
        self.len() == 0 && self.citations.is_empty()
    }
}
