//! The session's selection: what every metric starts from, computed once
//! per session for the [`Settings`] in force from the files of
//! `sql/selection/` (each file's header defines its table):
//!
//! | table | made by | kept |
//! |---|---|---|
//! | `ai_status`, `ai_works`, `work_labels` | [`register_profile`] | view (a table for a profile file) |
//! | `selection`, `selection_ranks` | [`prepare`] | table |
//! | `selection_hc` | [`prepare`] | view (the selection joined with its few ranks: kept, it held a second copy of the selection) |
//! | `selection_countries` | `collab` | table |
//! | `collab_parts`, `collab_pair_parts` | `collab` (`--shares`) | view |
//! | `institution_parts`, `sector_parts` | `institutions`, `sectors` | view |
//! | `country_parts`, `world_parts`, `country_years` | `countries`, `talent mismatch` | view |
//! | `talent_country_parts`, `talent_flow_parts`, `talent_org_parts`, `talent_stay_parts`, `talent_supply_parts` | `talent countries`, `flows`, `orgs`, `stays`, `mismatch` | view |
//! | `talent_scope`, `talent_main`, `talent_years`, `talent_authors` | [`prepare_talent`] | table |
//! | `career_institutions`, `careers` | [`prepare_talent`] | view |
//!
//! A table is computed once and kept for the session
//! ([`crate::engine::materialize`]): the metrics read each several times.
//! `talentchain sql` queries all of them.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use arrow::array::{Array, AsArray};
use arrow::datatypes::Int64Type;
use datafusion::prelude::SessionContext;
use datafusion::scalar::ScalarValue;

use crate::error::Result;
use crate::profile::Profile;
use crate::settings::{Careers, Settings};
use crate::sql::{Bindings, query};

/// The tables that carry the stored profiles' statuses: a profile file's
/// status is added to them as views ([`register_profile`]).
const STATUS_TABLES: [&str; 5] = [
    "works",
    "work_institutions",
    "work_roots",
    "work_authors",
    "author_years",
];

/// Make the profile's status readable as the columns `status_SUFFIX` (and
/// `ai_works_SUFFIX`, `ai_citations_SUFFIX` of `author_years`), and the
/// views `ai_status(work, status)`, `ai_works(id)` and `work_labels(work,
/// label)`; returns the suffix. A built-in profile's status is stored by
/// ingest (`concepts_v1`); a profile file's is computed here
/// (`selection/ai_status.sql`) and added as `custom`
/// (`selection/custom_profile.sql`).
pub async fn register_profile(ctx: &SessionContext, profile: &Profile) -> Result<&'static str> {
    // A profile file's status is computed once a session: a metric run
    // again under the same profile (the sensitivity grid's and the claims'
    // definitions, one after another) reads it as it stands.
    let fingerprint = format!("{profile:?}");
    if profile.status_suffix().is_none()
        && ctx.table_exist("stored_works")?
        && registered(ctx).as_deref() == Some(&fingerprint)
    {
        return Ok("custom");
    }
    set_registered(ctx, None);
    // A session may change profiles: put the dataset's tables back first.
    if ctx.table_exist("stored_works")? {
        for t in STATUS_TABLES {
            let stored = format!("stored_{t}");
            if let Some(provider) = ctx.deregister_table(&stored)? {
                ctx.deregister_table(t)?;
                ctx.register_table(t, provider)?;
            }
        }
    }
    let suffix = match profile.status_suffix() {
        Some(suffix) => {
            let status = crate::sql::bind(
                ctx,
                &format!("SELECT id AS work, status_{suffix} AS status FROM works"),
                &Bindings::default(),
            )
            .await?;
            ctx.deregister_table("ai_status")?;
            ctx.register_table("ai_status", status.into_view())?;
            suffix
        }
        None => {
            let status = profile.status_by_sql(ctx).await?;
            crate::engine::materialize(ctx, "ai_status", status).await?;
            for t in STATUS_TABLES {
                if let Some(provider) = ctx.deregister_table(t)? {
                    ctx.register_table(format!("stored_{t}"), provider)?;
                }
            }
            query("selection/custom_profile")
                .run(ctx, &Bindings::default())
                .await?;
            "custom"
        }
    };
    let registered_now = profile.status_suffix().is_none();
    for (name, sql) in [
        (
            "ai_works",
            "SELECT work AS id FROM ai_status WHERE status = 'selected'".to_string(),
        ),
        (
            "work_labels",
            format!(
                "SELECT DISTINCT l.work, l.label FROM ({}) l JOIN ai_works a ON a.id = l.work",
                profile.labels_sql()
            ),
        ),
    ] {
        let df = ctx.sql(&sql).await?;
        ctx.deregister_table(name)?;
        ctx.register_table(name, df.into_view())?;
    }
    if registered_now {
        set_registered(ctx, Some(fingerprint));
    }
    Ok(suffix)
}

/// The profile file whose status each session holds, by session id
/// ([`register_profile`]): kept here, not in a table, since a Ballista
/// session's executors cannot read this process's memory.
static REGISTERED: LazyLock<Mutex<HashMap<String, String>>> = LazyLock::new(Default::default);

/// The profile file whose status the session holds, if any.
fn registered(ctx: &SessionContext) -> Option<String> {
    REGISTERED
        .lock()
        .expect("the registry is never poisoned")
        .get(&ctx.session_id())
        .cloned()
}

fn set_registered(ctx: &SessionContext, fingerprint: Option<String>) {
    let mut map = REGISTERED.lock().expect("the registry is never poisoned");
    match fingerprint {
        Some(f) => map.insert(ctx.session_id(), f),
        None => map.remove(&ctx.session_id()),
    };
}

/// The bindings of `settings` in `ctx`: its values, and the profile's
/// column suffix ([`register_profile`]).
pub async fn bindings(ctx: &SessionContext, settings: &Settings) -> Result<Bindings> {
    let suffix = register_profile(ctx, settings.profile()).await?;
    Bindings::new(settings.bindings()).with_profile(suffix)
}

/// Counts of the profile's sorting of the works within the year range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// `name vN` of the profile.
    pub profile: String,
    /// What unknown means under the profile.
    pub unknown_meaning: String,
    /// The year range, as text.
    pub range: String,
    /// Works selected, with a year in the range: the selection.
    pub selected: u64,
    /// Works the profile cannot sort, with a year in the range.
    pub unknown: u64,
    /// Works rejected, with a year in the range.
    pub rejected: u64,
    /// Selected works excluded because they have no publication year.
    pub selected_without_year: u64,
    /// Selected works from conference paper lists (their citations are
    /// Google Scholar's, not read).
    pub selected_from_paperlists: u64,
}

impl Selection {
    /// The notes every metric prints.
    pub fn notes(&self) -> Vec<String> {
        let mut v = vec![format!(
            "profile {}: {} works selected, {} unknown ({}), {} rejected ({})",
            self.profile,
            self.selected,
            self.unknown,
            self.unknown_meaning,
            self.rejected,
            self.range
        )];
        if self.selected_without_year > 0 {
            v.push(format!(
                "{} selected works have no publication year and are excluded",
                self.selected_without_year
            ));
        }
        if self.selected_from_paperlists > 0 {
            v.push(format!(
                "{} selected works come from conference paper lists: their citation counts are Google Scholar's (works.gs_citations), never mixed with OpenAlex's, so citations and highly cited count them as 0",
                self.selected_from_paperlists
            ));
        }
        v
    }
}

/// The tables [`prepare`] computes and keeps, in order.
const SELECTION_TABLES: [&str; 2] = ["selection/selection", "selection/selection_ranks"];

/// The tables [`prepare_talent`] computes and keeps, in order.
const TALENT_TABLES: [&str; 4] = [
    "selection/talent_scope",
    "selection/talent_main",
    "selection/talent_years",
    "selection/talent_authors",
];

/// Drop the tables [`prepare`] and [`prepare_talent`] keep, for a caller
/// done with them that prepares again (a backtest's second panel): the
/// new tables are then computed without the old ones held beside them.
/// `selection_hc`, a view over the selection, goes too: it holds it.
pub fn release(ctx: &SessionContext) -> Result<()> {
    for path in SELECTION_TABLES.iter().chain(&TALENT_TABLES) {
        ctx.deregister_table(query(path).name())?;
    }
    ctx.deregister_table("selection_hc")?;
    Ok(())
}

/// Register the profile ([`register_profile`]) and compute the selection
/// tables (`selection`, `selection_ranks`; `selection_hc` a view) for `settings`;
/// returns the counts and the bindings the metrics run with.
pub async fn prepare(ctx: &SessionContext, settings: &Settings) -> Result<(Selection, Bindings)> {
    let b = bindings(ctx, settings).await?;
    for path in SELECTION_TABLES {
        query(path).materialize(ctx, &b).await?;
    }
    query("selection/selection_hc")
        .register_view(ctx, "selection_hc", &b)
        .await?;
    let counts = query("selection/selection_counts")
        .dataframe(ctx, &b)
        .await?
        .collect()
        .await?;
    let profile = settings.profile();
    let mut sel = Selection {
        profile: profile.title(),
        unknown_meaning: profile.unknown_meaning(),
        range: settings.range_text(),
        selected: 0,
        unknown: 0,
        rejected: 0,
        selected_without_year: 0,
        selected_from_paperlists: 0,
    };
    for batch in &counts {
        let status = arrow::compute::cast(batch.column(0), &arrow::datatypes::DataType::Utf8)?;
        let status = status.as_string::<i32>();
        let n = batch.column(1).as_primitive::<Int64Type>();
        let lists = batch.column(2).as_primitive::<Int64Type>();
        for i in 0..batch.num_rows() {
            let n = n.value(i) as u64;
            match status.is_valid(i).then(|| status.value(i)) {
                Some("selected") => {
                    sel.selected = n;
                    sel.selected_from_paperlists = lists.value(i) as u64;
                }
                Some("unknown") => sel.unknown = n,
                Some("selected_without_year") => sel.selected_without_year = n,
                _ => sel.rejected += n,
            }
        }
    }
    Ok((sel, b))
}

/// Counts of the researchers in scope, for the notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Authors with at least `min_works` works in the AI selection.
    pub researchers: u64,
    /// Of those, with at least one observed year (an origin).
    pub observed: u64,
    /// Of those, with at least two observed years (a mobility class).
    pub mobile_observable: u64,
}

/// Register the careers views (`career_institutions`, `careers`) for the
/// career source of `b`, after [`prepare`].
pub async fn register_careers(ctx: &SessionContext, b: &Bindings, name: &str) -> Result<()> {
    query("selection/career_institutions")
        .register_view(ctx, "career_institutions", b)
        .await?;
    query("selection/careers").register_view(ctx, name, b).await
}

/// The selection ([`prepare`]), the careers views and the researchers in
/// scope with their observed years and classes (`talent_scope`,
/// `talent_main`, `talent_years`, `talent_authors`); returns the counts,
/// the notes every talent metric prints and the bindings.
pub async fn prepare_talent(
    ctx: &SessionContext,
    settings: &Settings,
) -> Result<(Scope, Vec<String>, Bindings)> {
    let (sel, b) = prepare(ctx, settings).await?;
    register_careers(ctx, &b, "careers").await?;
    for path in TALENT_TABLES {
        query(path).materialize(ctx, &b).await?;
    }
    let counts = query("selection/talent_counts")
        .dataframe(ctx, &b)
        .await?
        .collect()
        .await?;
    let get = |i: usize| -> u64 {
        counts.iter().find(|b| b.num_rows() > 0).map_or(0, |b| {
            b.column(i).as_primitive::<Int64Type>().value(0) as u64
        })
    };
    let scope = Scope {
        researchers: get(0),
        observed: get(1),
        mobile_observable: get(2),
    };
    let mut notes = sel.notes();
    notes.push(format!(
        "{} researchers in scope (≥ {} AI works); careers from {}: {} with an origin (≥ 1 observed year), {} with ≥ 2 observed years",
        scope.researchers,
        settings.min_works(),
        settings.careers(),
        scope.observed,
        scope.mobile_observable
    ));
    if settings.careers() == Careers::Affiliations && scope.observed < scope.researchers {
        notes.push(format!(
            "{} researchers in scope have no affiliation years in range (author entity absent or without affiliations): no career",
            scope.researchers - scope.observed
        ));
    }
    notes.push(
        "origin = main country of the first observed year: a proxy for where a career started, not nationality"
            .to_string(),
    );
    Ok((scope, notes, b))
}

/// The views over the selection that the output metrics add up (their
/// parts, and `country_years`), in the order they read each other:
/// registered by [`prepare_all`] for `talentchain sql` and the SQL tests.
pub const OUTPUT_VIEWS: &[&str] = &[
    "collab_parts",
    "collab_pair_parts",
    "institution_parts",
    "sector_parts",
    "country_parts",
    "world_parts",
    "country_years",
];

/// Everything `talentchain sql` can query: the selection, its countries,
/// and both careers views (`careers` from authorships,
/// `careers_affiliations` from affiliations), for `settings`.
pub async fn prepare_all(ctx: &SessionContext, settings: &Settings) -> Result<Selection> {
    let (sel, b) = prepare(ctx, settings).await?;
    query("selection/selection_countries")
        .materialize(ctx, &b)
        .await?;
    for name in OUTPUT_VIEWS {
        query(&format!("selection/{name}"))
            .register_view(ctx, name, &b)
            .await?;
    }
    for (careers, name) in [
        (Careers::Authorships, "careers"),
        (Careers::Affiliations, "careers_affiliations"),
    ] {
        let b = b
            .clone()
            .with("careers_from", ScalarValue::Utf8(Some(careers.to_string())));
        register_careers(ctx, &b, name).await?;
    }
    Ok(sel)
}
