//! The closed vocabularies of the domain. Written in upper snake case everywhere (data files,
//! store, API), so one spelling serves all layers.

use serde::{Deserialize, Serialize};

use super::ValidationError;

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as written in data files, the store and the API.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the written form.
            pub fn parse(text: &str) -> Result<Self, ValidationError> {
                match text {
                    $($text => Ok($name::$variant),)+
                    other => Err(ValidationError::new(format!(
                        "`{other}` is not one of {}",
                        [$($text),+].join(", ")
                    ))),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// Whether a solution is libre, proprietary, or built by a public body.
    SolutionKind {
        /// Free/libre and open source software.
        Libre => "LIBRE",
        /// Proprietary software or service.
        Proprietary => "PROPRIETARY",
        /// Built by a public body for its own use (and often published).
        Internal => "INTERNAL",
    }
);

vocabulary!(
    /// Maintenance health of a solution.
    MaintenanceStatus {
        /// Maintained.
        Active => "ACTIVE",
        /// Still available, no longer maintained.
        Unmaintained => "UNMAINTAINED",
        /// No longer available or sold.
        Discontinued => "DISCONTINUED",
    }
);

vocabulary!(
    /// What kind of organisation a publisher is.
    PublisherKind {
        /// A company.
        Company => "COMPANY",
        /// An association.
        Association => "ASSOCIATION",
        /// A foundation.
        Foundation => "FOUNDATION",
        /// An informal community.
        Community => "COMMUNITY",
        /// A public body.
        PublicBody => "PUBLIC_BODY",
    }
);

vocabulary!(
    /// Whether a publisher still exists.
    PublisherStatus {
        /// Operating.
        Active => "ACTIVE",
        /// Closed down (a vendor that shut down).
        Closed => "CLOSED",
    }
);

vocabulary!(
    /// What kind of public body a collectivity is.
    CollectivityKind {
        /// A commune (municipality).
        Commune => "COMMUNE",
        /// An intercommunality: EPCI, métropole, communauté urbaine, d'agglomération, de communes, EPT.
        Intercommunality => "INTERCOMMUNALITY",
        /// A department.
        Department => "DEPARTMENT",
        /// A region.
        Region => "REGION",
        /// A state service: ministry, gendarmerie, académie, agency.
        StateService => "STATE_SERVICE",
        /// Any other public body.
        OtherPublicBody => "OTHER_PUBLIC_BODY",
    }
);

vocabulary!(
    /// Where an adoption stands.
    AdoptionStatus {
        /// Being evaluated.
        Evaluating => "EVALUATING",
        /// Piloted on a part of the organisation.
        Pilot => "PILOT",
        /// Deployed (possibly still rolling out).
        Deployed => "DEPLOYED",
        /// Abandoned.
        Abandoned => "ABANDONED",
        /// Replaced by another solution.
        Replaced => "REPLACED",
    }
);

vocabulary!(
    /// How a deployment was carried out.
    DeploymentStrategy {
        /// Volunteers first.
        VolunteerFirst => "VOLUNTEER_FIRST",
        /// With incentives.
        Incentive => "INCENTIVE",
        /// Made mandatory.
        Mandatory => "MANDATORY",
        /// Everyone at once.
        BigBang => "BIG_BANG",
    }
);

vocabulary!(
    /// Who runs the deployed solution.
    Hosting {
        /// Run by the collectivity itself.
        SelfHosted => "SELF_HOSTED",
        /// Run by a service provider for it.
        Provider => "PROVIDER",
        /// Used as a vendor's online service.
        Saas => "SAAS",
    }
);

vocabulary!(
    /// How an adoption went.
    OutcomeKind {
        /// It works.
        Success => "SUCCESS",
        /// It works in part.
        Partial => "PARTIAL",
        /// It was rolled back.
        Rollback => "ROLLBACK",
        /// The vendor shut down.
        VendorShutdown => "VENDOR_SHUTDOWN",
        /// It saved money.
        CostSaving => "COST_SAVING",
        /// Something else.
        Other => "OTHER",
    }
);

vocabulary!(
    /// How fully a libre solution replaces a proprietary one.
    Confidence {
        /// A like-for-like substitute for the usual use.
        Strong => "STRONG",
        /// Covers the main use with real gaps.
        Partial => "PARTIAL",
        /// Same domain, different shape: the workflow changes.
        Adjacent => "ADJACENT",
    }
);

vocabulary!(
    /// What the replaced paid item is.
    AlternativeKind {
        /// The software itself.
        Software => "SOFTWARE",
        /// A hosted service or content: hosting still has to be bought.
        Service => "SERVICE",
        /// A paid edition of software that is already libre.
        PaidTier => "PAID_TIER",
    }
);

vocabulary!(
    /// What kind of document a source is.
    SourceKind {
        /// An interview.
        Interview => "INTERVIEW",
        /// A dataset.
        Dataset => "DATASET",
        /// A software catalogue.
        Catalogue => "CATALOGUE",
        /// An article.
        Article => "ARTICLE",
        /// A web site or page.
        Website => "WEBSITE",
        /// An official document (decision, report, procurement record).
        Official => "OFFICIAL",
    }
);

vocabulary!(
    /// How a public body gives back to a solution.
    ContributionKind {
        /// Code: fixes, features, patches.
        Code => "CODE",
        /// Money: funding, sponsorship, paid development.
        Funding => "FUNDING",
        /// Staff time given to the project.
        StaffTime => "STAFF_TIME",
        /// Documentation.
        Documentation => "DOCUMENTATION",
        /// Translation.
        Translation => "TRANSLATION",
        /// Hosting a public instance or infrastructure.
        Hosting => "HOSTING",
    }
);

vocabulary!(
    /// A solution's status in one year's SILL.
    SillStatus {
        /// Recommended (`R`).
        Recommended => "RECOMMENDED",
        /// In observation (`O`).
        Observation => "OBSERVATION",
        /// No longer recommended (`FR`).
        NoLongerRecommended => "NO_LONGER_RECOMMENDED",
    }
);

vocabulary!(
    /// Who maintains a piece of software, as publiccode.yml's `maintenance.type` says.
    MaintenanceType {
        /// The body that owns it maintains it.
        Internal => "INTERNAL",
        /// Contractors paid by the body maintain it.
        Contract => "CONTRACT",
        /// A community maintains it.
        Community => "COMMUNITY",
        /// Nobody maintains it.
        None => "NONE",
    }
);

vocabulary!(
    /// What a dependency is, as publiccode.yml's `dependsOn` groups them.
    DependencyKind {
        /// Open source software.
        Open => "OPEN",
        /// Proprietary software.
        Proprietary => "PROPRIETARY",
        /// Hardware.
        Hardware => "HARDWARE",
    }
);
