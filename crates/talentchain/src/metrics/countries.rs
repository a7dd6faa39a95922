//! `talentchain countries`: AI research output, citations and highly cited
//! works per country and year, or per country over the whole range.
//!
//! Columns by year: `country, year, papers_full, papers_fractional,
//! citations, highly_cited, share_full, share_fractional, highly_cited_share`,
//! sorted by year, then papers_full descending, then country.
//!
//! - `citations(c, y)`: the sum of `cited_by_count` over the works counted
//!   in `papers_full(c, y)`.
//! - `share_full`, `share_fractional`: the country's value over the world's
//!   (the number of selected works of the year, whatever their countries).
//!   Full-count shares of a year can add up past 1 (a work counts once for
//!   each of its countries); fractional shares add up to at most 1 (works
//!   without any country count in the world only).
//! - `highly_cited_share`: highly_cited(c, y) over the number of highly
//!   cited works of the year (null when the year has none).
//!
//! By total: `country, year_from, year_to, papers_full, papers_fractional,
//! citations, highly_cited, share_full, share_fractional,
//! highly_cited_share, cagr`: sums over the range, shares over the world's
//! totals, sorted by papers_full descending then country. `cagr` is the
//! compound annual growth rate of papers_full from the first to the last year
//! of the range, `(p_last / p_first)^(1 / (last − first)) − 1`; the range is
//! `--from`/`--to` when given, else the first and last year of the selection.
//! It is null when the range is a single year or the country has no paper in
//! the first year; −1 when it has none in the last year.

use datafusion::error::Result;
use datafusion::prelude::SessionContext;

use super::{MetricResult, Options, countries_source, hc_note, prepare, result};

/// Per year or over the whole range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum By {
    /// One row per country and year.
    #[default]
    Year,
    /// One row per country over the range, with CAGR.
    Total,
}

/// Per country and year, over `countries`, a table of the selection's
/// countries ([`countries_source`]).
fn per_country(countries: &str) -> String {
    format!(
        "SELECT sc.country, h.year, COUNT(*) AS papers_full, SUM(sc.fractional) AS papers_fractional, \
                SUM(h.cites) AS citations, SUM(CASE WHEN h.highly_cited THEN 1 ELSE 0 END) AS highly_cited \
         FROM {countries} sc JOIN selection_hc h ON h.work = sc.work \
         GROUP BY sc.country, h.year"
    )
}

/// Run the metric (see the module documentation).
pub async fn run(ctx: &SessionContext, opts: &Options, by: By) -> Result<MetricResult> {
    let sel = prepare(ctx, opts).await?;
    let per = per_country(countries_source(ctx).await?);
    let mut notes = sel.notes();
    notes.push(hc_note(opts));
    notes.push(
        "papers_full: works with an author in the country; papers_fractional: each work split equally among \
         its authorships with a country, then among each authorship's countries; shares: over all selected works"
            .to_string(),
    );
    let sql = match by {
        By::Year => format!(
            "WITH world AS (SELECT year, COUNT(*) AS works, \
                                   SUM(CASE WHEN highly_cited THEN 1 ELSE 0 END) AS hc \
                            FROM selection_hc GROUP BY year), \
                  per AS ({per}) \
             SELECT p.country, p.year, p.papers_full, p.papers_fractional, p.citations, p.highly_cited, \
                    CAST(p.papers_full AS DOUBLE) / w.works AS share_full, \
                    p.papers_fractional / w.works AS share_fractional, \
                    CAST(p.highly_cited AS DOUBLE) / NULLIF(w.hc, 0) AS highly_cited_share \
             FROM per p JOIN world w ON w.year = p.year \
             ORDER BY p.year, p.papers_full DESC, p.country"
        ),
        By::Total => {
            // Always an aggregate, so `bounds` has exactly one row.
            let y0 = opts.from.map_or("MIN(year)".to_string(), |y| {
                format!("COALESCE({y}, MIN(year))")
            });
            let y1 = opts.to.map_or("MAX(year)".to_string(), |y| {
                format!("COALESCE({y}, MAX(year))")
            });
            notes.push(
                "cagr: compound annual growth of papers_full from the first to the last year of the range; \
                 null for a single year or no paper in the first year"
                    .to_string(),
            );
            format!(
                "WITH world AS (SELECT COUNT(*) AS works, SUM(CASE WHEN highly_cited THEN 1 ELSE 0 END) AS hc \
                                FROM selection_hc), \
                      bounds AS (SELECT CAST({y0} AS INT) AS y0, CAST({y1} AS INT) AS y1 FROM selection), \
                      per AS ({per}), \
                      tot AS (SELECT p.country, SUM(p.papers_full) AS papers_full, \
                                     SUM(p.papers_fractional) AS papers_fractional, \
                                     SUM(p.citations) AS citations, SUM(p.highly_cited) AS highly_cited, \
                                     SUM(CASE WHEN p.year = b.y0 THEN p.papers_full ELSE 0 END) AS p0, \
                                     SUM(CASE WHEN p.year = b.y1 THEN p.papers_full ELSE 0 END) AS p1, \
                                     MAX(b.y0) AS y0, MAX(b.y1) AS y1 \
                              FROM per p CROSS JOIN bounds b GROUP BY p.country) \
                 SELECT t.country, t.y0 AS year_from, t.y1 AS year_to, \
                        t.papers_full, t.papers_fractional, t.citations, t.highly_cited, \
                        CAST(t.papers_full AS DOUBLE) / w.works AS share_full, \
                        t.papers_fractional / w.works AS share_fractional, \
                        CAST(t.highly_cited AS DOUBLE) / NULLIF(w.hc, 0) AS highly_cited_share, \
                        CASE WHEN t.y1 > t.y0 AND t.p0 > 0 \
                             THEN power(CAST(t.p1 AS DOUBLE) / t.p0, 1.0 / (t.y1 - t.y0)) - 1 END AS cagr \
                 FROM tot t CROSS JOIN world w \
                 ORDER BY t.papers_full DESC, t.country"
            )
        }
    };
    result(ctx, &sql, notes).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testing::{TinyWorld, rows};
    use crate::profile::Profile;

    /// 2020 (4 selected works, ceil(0.1·4) = 1 highly cited: W1):
    /// - W1, 10 cites: A0 [US], A1 [US, CN], A2 [] → 2 authorships with a
    ///   country, ½ each: US ½ + ¼ = ¾, CN ¼.
    /// - W2, 0 cites: [CN] → CN 1.
    /// - W3, 5 cites: [GB], [US] → GB ½, US ½.
    /// - W4, 3 cites: no authorship → world only.
    ///
    /// US: full 2, frac 1.25, cites 15, hc 1, shares 2/4, 1.25/4, 1/1.
    /// CN: full 2, frac 1.25, cites 10, hc 1. GB: full 1, frac 0.5, cites 5, hc 0.
    ///
    /// 2021 (2 works tied at 7 cites: both rank 1 ≤ ceil(0.2) = 1, both highly
    /// cited): W5 [US], W6 [DE]. W7 (non-AI, US) and W8 (AI, no year) are out.
    fn world() -> TinyWorld {
        let mut w = TinyWorld::new();
        w.work("W1", 2020, 10)
            .ai()
            .author(&["US"])
            .author(&["US", "CN"])
            .author(&[]);
        w.work("W2", 2020, 0).ai().author(&["CN"]);
        w.work("W3", 2020, 5).ai().author(&["GB"]).author(&["US"]);
        w.work("W4", 2020, 3).ai();
        w.work("W5", 2021, 7).ai().author(&["US"]);
        w.work("W6", 2021, 7).ai().author(&["DE"]);
        w.work("W7", 2021, 99)
            .concept("C185592680", 0.9)
            .author(&["US"]);
        w.work_no_year("W8", 50).ai().author(&["US"]);
        w
    }

    #[tokio::test]
    async fn by_year() {
        for (how, ctx) in world().contexts().await {
            eprintln!("with {how}");
            let opts = Options::new(Profile::builtin("concepts").unwrap());
            let r = run(&ctx, &opts, By::Year).await.unwrap();
            let names: Vec<String> = r.schema.fields().iter().map(|f| f.name().clone()).collect();
            assert_eq!(
                names,
                [
                    "country",
                    "year",
                    "papers_full",
                    "papers_fractional",
                    "citations",
                    "highly_cited",
                    "share_full",
                    "share_fractional",
                    "highly_cited_share"
                ]
            );
            assert_eq!(
                rows(
                    &r.batches,
                    &names.iter().map(String::as_str).collect::<Vec<_>>()
                ),
                [
                    "CN|2020|2|1.25|10|1|0.5|0.3125|1",
                    "US|2020|2|1.25|15|1|0.5|0.3125|1",
                    "GB|2020|1|0.5|5|0|0.25|0.125|0",
                    "DE|2021|1|1|7|1|0.5|0.5|0.5",
                    "US|2021|1|1|7|1|0.5|0.5|0.5",
                ]
            );
            assert!(r.notes[0].contains("6 works selected"), "{:?}", r.notes);
            assert!(
                r.notes[1].contains("1 selected works have no publication year"),
                "{:?}",
                r.notes
            );
        }
    }

    /// Over 2020–2021 (world: 6 works, 3 highly cited):
    /// US full 3 (2+1), frac 2.25, cites 22, hc 2 → shares 3/6, 2.25/6, 2/3;
    /// cagr (1/2)^(1/1) − 1 = −0.5. CN: full 2, frac 1.25, cagr (0/2) − 1 = −1.
    /// DE: no 2020 paper → cagr null. GB: −1.
    #[tokio::test]
    async fn by_total_with_cagr() {
        for (how, ctx) in world().contexts().await {
            eprintln!("with {how}");
            let opts = Options::new(Profile::builtin("concepts").unwrap());
            let r = run(&ctx, &opts, By::Total).await.unwrap();
            assert_eq!(
                rows(
                    &r.batches,
                    &[
                        "country",
                        "year_from",
                        "year_to",
                        "papers_full",
                        "papers_fractional",
                        "citations",
                        "highly_cited",
                        "share_full",
                        "share_fractional",
                        "highly_cited_share",
                        "cagr"
                    ]
                ),
                [
                    "US|2020|2021|3|2.25|22|2|0.5|0.375|0.666667|-0.5",
                    "CN|2020|2021|2|1.25|10|1|0.333333|0.208333|0.333333|-1",
                    "DE|2020|2021|1|1|7|1|0.166667|0.166667|0.333333|∅",
                    "GB|2020|2021|1|0.5|5|0|0.166667|0.083333|0|-1",
                ]
            );
            // An explicit one-year range: cagr is null, world = 2021 only.
            let mut one = opts.clone();
            one.from = Some(2021);
            one.to = Some(2021);
            let r = run(&ctx, &one, By::Total).await.unwrap();
            assert_eq!(
                rows(
                    &r.batches,
                    &["country", "papers_full", "share_full", "cagr"]
                ),
                ["DE|1|0.5|∅", "US|1|0.5|∅"]
            );
        }
    }

    /// CAGR over three years: US 4 papers in 2018, 0 in 2019, 9 in 2020:
    /// (9/4)^(1/2) − 1 = 1.5 − 1 = 0.5.
    #[tokio::test]
    async fn cagr_over_three_years() {
        let mut w = TinyWorld::new();
        let mut n = 0;
        for (year, k) in [(2018, 4), (2020, 9)] {
            for _ in 0..k {
                n += 1;
                w.work(&format!("W{n}"), year, 1).ai().author(&["US"]);
            }
        }
        w.work("W99", 2019, 1).ai().author(&["FR"]);
        for (how, ctx) in w.contexts().await {
            eprintln!("with {how}");
            let opts = Options::new(Profile::builtin("concepts").unwrap());
            let r = run(&ctx, &opts, By::Total).await.unwrap();
            assert_eq!(
                rows(&r.batches, &["country", "papers_full", "cagr"]),
                ["US|13|0.5", "FR|1|∅"]
            );
        }
    }

    /// Highly cited, top 10% and top 1%:
    /// - 2020, n = 25, ceil(2.5) = 3: cites 100, 50, 40, 40, then 21 works of
    ///   10. Ranks 1, 2, 3, 3, 5 … → 4 highly cited (the tie at rank 3 is in).
    ///   Top 1%: ceil(0.25) = 1 → only the 100.
    /// - 2019, n = 5, all 0 cites: every rank is 1 ≤ ceil(0.5) = 1 but 0
    ///   citations are never highly cited → 0.
    /// - 2018, n = 30, cites 1..=30: ceil(0.1·30) = 3 (not 4, as
    ///   floating-point 0.1·30 = 3.0000000000000004 would give) → 30, 29, 28.
    ///   Top 1%: ceil(0.3) = 1.
    #[tokio::test]
    async fn highly_cited_ties_zero_and_top_1() {
        let mut w = TinyWorld::new();
        for (i, c) in [100, 50, 40, 40].into_iter().chain([10; 21]).enumerate() {
            w.work(&format!("W20{i:02}"), 2020, c).ai().author(&["US"]);
        }
        for i in 0..5 {
            w.work(&format!("W19{i:02}"), 2019, 0).ai().author(&["US"]);
        }
        for i in 1..=30 {
            w.work(&format!("W18{i:02}"), 2018, i).ai().author(&["US"]);
        }
        for (how, ctx) in w.contexts().await {
            eprintln!("with {how}");
            let mut opts = Options::new(Profile::builtin("concepts").unwrap());
            let r = run(&ctx, &opts, By::Year).await.unwrap();
            assert_eq!(
                rows(
                    &r.batches,
                    &["year", "papers_full", "highly_cited", "highly_cited_share"]
                ),
                ["2018|30|3|1", "2019|5|0|∅", "2020|25|4|1"]
            );
            opts.top = 0.01;
            let r = run(&ctx, &opts, By::Year).await.unwrap();
            assert_eq!(
                rows(&r.batches, &["year", "highly_cited"]),
                ["2018|1", "2019|0", "2020|1"]
            );
            assert!(
                r.notes.iter().any(|n| n.contains("top 1%")),
                "{:?}",
                r.notes
            );
        }
    }
}
