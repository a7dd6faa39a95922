//! `talentchain collab`: international co-authorship between countries.
//!
//! Two results, both over the whole range:
//! - [`pairs`]: `country_a, country_b, works` in long form, one row per
//!   unordered pair with `country_a < country_b` (not symmetric: read a pair
//!   once), sorted by works descending then the codes. `works` = selected
//!   works with authorships in both countries (an authorship with two
//!   countries links them too).
//! - [`shares`]: `country, works, international_works, international_share`:
//!   the country's selected works (full count), those that also have another
//!   country, and their ratio; sorted by works descending then country.

use datafusion::error::Result;
use datafusion::prelude::SessionContext;

use super::{MetricResult, Options, prepare, prepare_countries, result};

/// The country × country co-authorship matrix, long form, a < b.
pub async fn pairs(ctx: &SessionContext, opts: &Options) -> Result<MetricResult> {
    let mut notes = prepare(ctx, opts).await?.notes();
    prepare_countries(ctx).await?;
    notes.push("works: selected works with authorships in both countries; each pair once (country_a < country_b)".into());
    let sql = "\
        SELECT a.country AS country_a, b.country AS country_b, COUNT(*) AS works \
        FROM selection_countries a JOIN selection_countries b ON a.work = b.work AND a.country < b.country \
        GROUP BY a.country, b.country \
        ORDER BY works DESC, country_a, country_b";
    result(ctx, sql, notes).await
}

/// Each country's international collaboration share.
pub async fn shares(ctx: &SessionContext, opts: &Options) -> Result<MetricResult> {
    let mut notes = prepare(ctx, opts).await?.notes();
    prepare_countries(ctx).await?;
    notes.push(
        "international_share: the country's works with at least one other country / its works"
            .into(),
    );
    let sql = "\
        WITH n AS (SELECT work, COUNT(*) AS n_countries FROM selection_countries GROUP BY work) \
        SELECT sc.country, COUNT(*) AS works, \
               SUM(CASE WHEN n.n_countries > 1 THEN 1 ELSE 0 END) AS international_works, \
               CAST(SUM(CASE WHEN n.n_countries > 1 THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS international_share \
        FROM selection_countries sc JOIN n ON n.work = sc.work \
        GROUP BY sc.country \
        ORDER BY works DESC, sc.country";
    result(ctx, sql, notes).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testing::{TinyWorld, rows};
    use crate::profile::Profile;

    /// W1 [US], [CN]; W2 one authorship [US, GB]; W3 [US]; W4 [CN], [CN];
    /// W5 [US], [CN], [DE]; W6 no authorship; W7 non-AI [US], [FR].
    /// Pairs: CN–US W1, W5 → 2; CN–DE W5; DE–US W5; GB–US W2 → 1 each.
    /// Shares: US W1, W2, W3, W5 → 4 works, 3 international → 0.75;
    /// CN W1, W4, W5 → 3, 2 → ⅔; DE 1, 1 → 1; GB 1, 1 → 1.
    #[tokio::test]
    async fn pairs_and_shares() {
        let mut w = TinyWorld::new();
        w.work("W1", 2020, 0).ai().author(&["US"]).author(&["CN"]);
        w.work("W2", 2020, 0).ai().author(&["US", "GB"]);
        w.work("W3", 2020, 0).ai().author(&["US"]);
        w.work("W4", 2021, 0).ai().author(&["CN"]).author(&["CN"]);
        w.work("W5", 2021, 0)
            .ai()
            .author(&["US"])
            .author(&["CN"])
            .author(&["DE"]);
        w.work("W6", 2021, 0).ai();
        w.work("W7", 2021, 0)
            .concept("C185592680", 0.9)
            .author(&["US"])
            .author(&["FR"]);
        for (how, ctx) in w.contexts().await {
            eprintln!("with {how}");
            let opts = Options::new(Profile::builtin("concepts").unwrap());
            let r = pairs(&ctx, &opts).await.unwrap();
            assert_eq!(
                rows(&r.batches, &["country_a", "country_b", "works"]),
                ["CN|US|2", "CN|DE|1", "DE|US|1", "GB|US|1"]
            );
            let r = shares(&ctx, &opts).await.unwrap();
            let names: Vec<String> = r.schema.fields().iter().map(|f| f.name().clone()).collect();
            assert_eq!(
                names,
                [
                    "country",
                    "works",
                    "international_works",
                    "international_share"
                ]
            );
            assert_eq!(
                rows(
                    &r.batches,
                    &[
                        "country",
                        "works",
                        "international_works",
                        "international_share"
                    ]
                ),
                ["US|4|3|0.75", "CN|3|2|0.666667", "DE|1|1|1", "GB|1|1|1"]
            );
        }
    }
}
