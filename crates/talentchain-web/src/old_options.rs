//! TEMPORARY, until the library's metrics take `&Settings`: the option
//! structs they take today, made from a request's checked
//! [`Settings`]. Nothing is checked here (the settings were); each value is
//! only moved across. Delete this module, and call the metrics with
//! `params.settings()`, when they take `&Settings`.

use talentchain::metrics::Options;
use talentchain::metrics::countries;
use talentchain::metrics::institutions::{self, InstitutionOptions};
use talentchain::settings::{By, Careers, InstitutionSort, ResearcherSort, Settings};
use talentchain::talent::orgs::OrgOptions;
use talentchain::talent::top;
use talentchain::talent::{Source, TalentOptions};

/// The metric options: profile, years, highly-cited share.
pub fn options(s: &Settings) -> Options {
    let mut opts = Options::new(s.profile().clone());
    opts.from = s.from();
    opts.to = s.to();
    // Basis points to a fraction: 1000 → 0.1, exactly as the metrics turn
    // it back (`Options::top_basis_points`).
    opts.top = f64::from(s.top_bp()) / 10_000.0;
    opts
}

/// The talent options: the metric options, `min_works`, `careers_from`.
pub fn talent_options(s: &Settings) -> TalentOptions {
    let mut opts = TalentOptions::new(options(s));
    opts.min_works = s.min_works();
    opts.source = match s.careers() {
        Careers::Authorships => Source::Authorships,
        Careers::Affiliations => Source::Affiliations,
    };
    opts
}

/// `countries --by`.
pub fn countries_by(s: &Settings) -> countries::By {
    match s.by() {
        By::Year => countries::By::Year,
        By::Total => countries::By::Total,
    }
}

/// The institutions ranking's options: `rollup`, `type`, `sort`, `limit`.
pub fn institution_options(s: &Settings) -> InstitutionOptions {
    InstitutionOptions {
        rollup: s.rollup(),
        sector: s.sector().map(str::to_string),
        limit: limit(s),
        sort: match s.institution_sort() {
            InstitutionSort::Papers => institutions::Sort::Papers,
            InstitutionSort::Fractional => institutions::Sort::Fractional,
            InstitutionSort::Citations => institutions::Sort::Citations,
            InstitutionSort::HighlyCited => institutions::Sort::HighlyCited,
        },
    }
}

/// `talent orgs`' options: `rollup`, `limit`.
pub fn org_options(s: &Settings) -> OrgOptions {
    OrgOptions {
        rollup: s.rollup(),
        limit: limit(s),
    }
}

/// `talent top --sort`.
pub fn researcher_sort(s: &Settings) -> top::Sort {
    match s.researcher_sort() {
        ResearcherSort::Citations => top::Sort::Citations,
        ResearcherSort::HIndex => top::Sort::HIndex,
    }
}

/// `limit`, as the rankings take it.
pub fn limit(s: &Settings) -> Option<usize> {
    s.limit().map(|n| n as usize)
}
