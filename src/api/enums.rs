//! The GraphQL faces of the domain's vocabularies; each converts to and from its domain twin.

use async_graphql::Enum;

use crate::store as st;

/// Whether a solution is libre, proprietary, or built by a public body.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::SolutionKind")]
pub enum SolutionKind {
    /// Free/libre and open source software.
    Libre,
    /// Proprietary software or service.
    Proprietary,
    /// Built by a public body.
    Internal,
}

/// Maintenance health of a solution.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::MaintenanceStatus")]
pub enum MaintenanceStatus {
    /// Maintained.
    Active,
    /// Available but no longer maintained.
    Unmaintained,
    /// No longer available or sold.
    Discontinued,
}

/// What kind of organisation a publisher is.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::PublisherKind")]
pub enum PublisherKind {
    /// A company.
    Company,
    /// An association.
    Association,
    /// A foundation.
    Foundation,
    /// An informal community.
    Community,
    /// A public body.
    PublicBody,
}

/// Whether a publisher still exists.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::PublisherStatus")]
pub enum PublisherStatus {
    /// Operating.
    Active,
    /// Closed down.
    Closed,
}

/// What kind of public body a collectivity is.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::CollectivityKind")]
pub enum CollectivityKind {
    /// A commune.
    Commune,
    /// An intercommunality (EPCI, métropole, EPT...).
    Intercommunality,
    /// A department.
    Department,
    /// A region.
    Region,
    /// A state service (ministry, gendarmerie, académie...).
    StateService,
    /// Any other public body.
    OtherPublicBody,
}

/// Where an adoption stands.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::AdoptionStatus")]
pub enum AdoptionStatus {
    /// Being evaluated.
    Evaluating,
    /// Piloted.
    Pilot,
    /// Deployed.
    Deployed,
    /// Abandoned.
    Abandoned,
    /// Replaced by another solution.
    Replaced,
}

/// How a deployment was carried out.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::DeploymentStrategy")]
pub enum DeploymentStrategy {
    /// Volunteers first.
    VolunteerFirst,
    /// With incentives.
    Incentive,
    /// Made mandatory.
    Mandatory,
    /// Everyone at once.
    BigBang,
}

/// Who runs the deployed solution.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::Hosting")]
pub enum Hosting {
    /// The collectivity itself.
    SelfHosted,
    /// A service provider.
    Provider,
    /// The vendor's online service.
    Saas,
}

/// How an adoption went.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::OutcomeKind")]
pub enum OutcomeKind {
    /// It works.
    Success,
    /// It works in part.
    Partial,
    /// It was rolled back.
    Rollback,
    /// The vendor shut down.
    VendorShutdown,
    /// It saved money.
    CostSaving,
    /// Something else.
    Other,
}

/// How fully a libre solution replaces a proprietary one.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::Confidence")]
pub enum Confidence {
    /// Like-for-like substitute.
    Strong,
    /// Main use covered, with gaps.
    Partial,
    /// Same domain, different shape.
    Adjacent,
}

/// What the replaced paid item is.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::AlternativeKind")]
pub enum AlternativeKind {
    /// The software itself.
    Software,
    /// A hosted service or content.
    Service,
    /// A paid edition of libre software.
    PaidTier,
}

/// What kind of document a source is.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::SourceKind")]
pub enum SourceKind {
    /// An interview.
    Interview,
    /// A dataset.
    Dataset,
    /// A software catalogue.
    Catalogue,
    /// An article.
    Article,
    /// A web site or page.
    Website,
    /// An official document.
    Official,
}

/// The kinds of node in the graph.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::EntityKind")]
pub enum NodeKind {
    /// A need.
    Need,
    /// A solution.
    Solution,
    /// A publisher.
    Publisher,
    /// A collectivity.
    Collectivity,
    /// An adoption.
    Adoption,
    /// An outcome.
    Outcome,
    /// An alternative.
    Alternative,
    /// A source.
    Source,
    /// A contribution.
    Contribution,
}

/// A language for labels.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq, Default)]
pub enum Language {
    /// French.
    #[default]
    Fr,
    /// English.
    En,
}

/// Orders of solution lists.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq, Default)]
pub enum SolutionOrder {
    /// By name, accent- and case-insensitive.
    #[default]
    Name,
    /// By id.
    Id,
}

/// Orders of collectivity lists.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq, Default)]
pub enum CollectivityOrder {
    /// By name.
    #[default]
    Name,
    /// Largest population first.
    PopulationDesc,
}

/// Orders of adoption lists.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq, Default)]
pub enum AdoptionOrder {
    /// By id.
    #[default]
    Id,
    /// Most recent start first.
    StartedDesc,
}

/// How a public body gives back to a solution.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::ContributionKind")]
pub enum ContributionKind {
    /// Code: fixes, features, patches.
    Code,
    /// Money: funding, sponsorship, paid development.
    Funding,
    /// Staff time given to the project.
    StaffTime,
    /// Documentation.
    Documentation,
    /// Translation.
    Translation,
    /// Hosting a public instance or infrastructure.
    Hosting,
}

/// Who maintains a piece of software (publiccode.yml `maintenance.type`).
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::MaintenanceType")]
pub enum MaintenanceType {
    /// The body that owns it.
    Internal,
    /// Contractors paid by the body.
    Contract,
    /// A community.
    Community,
    /// Nobody.
    None,
}

/// What a dependency is (publiccode.yml `dependsOn`).
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::DependencyKind")]
pub enum DependencyKind {
    /// Open source software.
    Open,
    /// Proprietary software.
    Proprietary,
    /// Hardware.
    Hardware,
}

/// The tier of an alternative on an adoption path: every declared replacement ranks above
/// every same-need candidate.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::analysis::paths::Tier")]
pub enum PathTier {
    /// A declared REPLACES link (by confidence: STRONG, PARTIAL, ADJACENT).
    DeclaredReplacement,
    /// A libre solution serving one of the start's specific needs (not only its theme).
    SameNeed,
}

impl From<AdoptionOrder> for st::AdoptionSort {
    fn from(order: AdoptionOrder) -> Self {
        match order {
            AdoptionOrder::Id => Self::Id,
            AdoptionOrder::StartedDesc => Self::StartedDesc,
        }
    }
}

impl From<SolutionOrder> for st::SolutionSort {
    fn from(order: SolutionOrder) -> Self {
        match order {
            SolutionOrder::Name => Self::Name,
            SolutionOrder::Id => Self::Id,
        }
    }
}

impl From<CollectivityOrder> for st::CollectivitySort {
    fn from(order: CollectivityOrder) -> Self {
        match order {
            CollectivityOrder::Name => Self::Name,
            CollectivityOrder::PopulationDesc => Self::PopulationDesc,
        }
    }
}
