//! What an adoption's status, an outcome's kind and a REPLACES link's confidence weigh in the
//! evidence (see [`super::evidence`] for the score they enter).

use crate::domain::{AdoptionStatus, Confidence, OutcomeKind};

/// The weight of an adoption's status in the evidence.
pub fn status_weight(status: AdoptionStatus) -> f64 {
    match status {
        AdoptionStatus::Deployed => 1.0,
        AdoptionStatus::Pilot => 0.5,
        AdoptionStatus::Evaluating => 0.25,
        AdoptionStatus::Abandoned | AdoptionStatus::Replaced => 0.0,
    }
}

/// The sign of an outcome in the evidence.
pub fn outcome_sign(kind: OutcomeKind) -> f64 {
    match kind {
        OutcomeKind::Success | OutcomeKind::CostSaving => 1.0,
        OutcomeKind::Partial => 0.5,
        OutcomeKind::Rollback | OutcomeKind::VendorShutdown => -1.0,
        OutcomeKind::Other => 0.0,
    }
}

/// The value of a REPLACES link's confidence.
pub fn confidence_value(confidence: Confidence) -> f64 {
    match confidence {
        Confidence::Strong => 1.0,
        Confidence::Partial => 0.6,
        Confidence::Adjacent => 0.3,
    }
}
