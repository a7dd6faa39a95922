//! `talentchain sql`: run a user's query, read-only.
//!
//! Two locks: the query must start with SELECT, WITH, EXPLAIN, SHOW,
//! DESCRIBE (or DESC, or an opening parenthesis), after comments; and it is
//! planned with DataFusion's [`SQLOptions`] refusing DDL (CREATE, DROP …),
//! DML (INSERT, COPY …) and statements (SET, transactions …), so that a
//! `WITH … INSERT` is refused too. Call `selection::prepare_all` first to
//! make the profile and selection views (`ai_works`, `selection`, …)
//! queryable. A query refused or failing to plan is the user's input
//! ([`Error::Input`], parameter `query`).
//! `SHOW TABLES` needs the session's information schema enabled.

use datafusion::prelude::{DataFrame, SQLOptions, SessionContext};

use super::MetricResult;
use crate::error::{Error, Result};

/// A failure of the user's query.
fn refused(message: impl Into<String>) -> Error {
    Error::input(
        "query",
        message,
        vec!["a read-only query starting with SELECT, WITH, EXPLAIN, SHOW or DESCRIBE".into()],
    )
}

/// The statements accepted, by first keyword.
pub const ALLOWED: [&str; 6] = ["select", "with", "explain", "show", "describe", "desc"];

/// The first keyword of a query, lower-cased, after whitespace, comments and
/// opening parentheses.
fn first_keyword(query: &str) -> String {
    let mut rest = query;
    loop {
        let t = rest.trim_start();
        if let Some(r) = t.strip_prefix("--") {
            rest = r.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(r) = t.strip_prefix("/*") {
            rest = r.split_once("*/").map_or("", |(_, after)| after);
        } else if let Some(r) = t.strip_prefix('(') {
            rest = r;
        } else {
            rest = t;
            break;
        }
    }
    rest.chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Run `query` read-only in `ctx` and collect its rows.
pub async fn run(ctx: &SessionContext, query: &str) -> Result<MetricResult> {
    let df = plan(ctx, query).await?;
    let schema = df.schema().inner().clone();
    let batches = df.collect().await.map_err(|e| refused(e.to_string()))?;
    Ok(MetricResult {
        batches,
        schema,
        notes: vec![],
    })
}

/// Plan `query` read-only in `ctx`, without running it (the HTTP server
/// streams it under a time limit and a row cap).
pub async fn plan(ctx: &SessionContext, query: &str) -> Result<DataFrame> {
    let kw = first_keyword(query);
    if !ALLOWED.contains(&kw.as_str()) {
        let shown = if kw.is_empty() {
            "(nothing)".to_string()
        } else {
            kw.to_uppercase()
        };
        return Err(refused(format!(
            "only read-only queries are accepted (SELECT, WITH, EXPLAIN, SHOW, DESCRIBE): `{shown}` is not one of them"
        )));
    }
    let options = SQLOptions::new()
        .with_allow_ddl(false)
        .with_allow_dml(false)
        .with_allow_statements(false);
    ctx.sql_with_options(query, options)
        .await
        .map_err(|e| refused(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::util::display::array_value_to_string;
    use datafusion::prelude::SessionConfig;

    fn column(r: &MetricResult, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        for b in &r.batches {
            let c = b.column(b.schema().index_of(name).unwrap());
            for i in 0..b.num_rows() {
                out.push(array_value_to_string(c, i).unwrap());
            }
        }
        out
    }

    #[test]
    fn first_keywords() {
        assert_eq!(first_keyword("  -- hi\n /* x */ (SELECT 1)"), "select");
        assert_eq!(
            first_keyword("with a as (select 1) select * from a"),
            "with"
        );
        assert_eq!(first_keyword("DROP TABLE works"), "drop");
        assert_eq!(first_keyword(""), "");
    }

    #[tokio::test]
    async fn reads_and_refuses_writes() {
        let ctx =
            SessionContext::new_with_config(SessionConfig::new().with_information_schema(true));
        ctx.sql(
            "CREATE TABLE works (id VARCHAR, cited_by_count BIGINT) AS VALUES ('W1', 3), ('W2', 4)",
        )
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
        let r = run(&ctx, "SELECT id, cited_by_count FROM works ORDER BY id")
            .await
            .unwrap();
        assert_eq!(column(&r, "id"), ["W1", "W2"]);
        let r = run(
            &ctx,
            "/* total */ WITH t AS (SELECT SUM(cited_by_count) AS s FROM works) SELECT s FROM t",
        )
        .await
        .unwrap();
        assert_eq!(column(&r, "s"), ["7"]);
        let r = run(&ctx, "SHOW TABLES").await.unwrap();
        assert!(column(&r, "table_name").contains(&"works".to_string()));
        let r = run(&ctx, "DESCRIBE works").await.unwrap();
        assert_eq!(column(&r, "column_name")[0], "id");
        assert!(
            run(&ctx, "EXPLAIN SELECT * FROM works")
                .await
                .unwrap()
                .num_rows()
                > 0
        );
        for bad in [
            "CREATE TABLE t AS SELECT 1",
            "INSERT INTO works (id) VALUES ('W9')",
            "DROP TABLE works",
            "CREATE VIEW v AS SELECT 1",
            "SET datafusion.execution.batch_size = 1",
            "COPY works TO '/tmp/x.csv'",
        ] {
            let err = run(&ctx, bad).await.unwrap_err();
            assert_eq!(err.parameter(), Some("query"), "{bad}");
            assert!(
                err.to_string()
                    .contains("only read-only queries are accepted"),
                "{bad}: {err}"
            );
        }
        // Past the keyword check, SQLOptions still refuses DML inside WITH.
        let err = run(
            &ctx,
            "WITH a AS (SELECT 1) INSERT INTO works (id) VALUES ('W9')",
        )
        .await
        .unwrap_err();
        assert_eq!(err.parameter(), Some("query"));
        // A query that does not plan is the user's too.
        let err = run(&ctx, "SELECT nope FROM works").await.unwrap_err();
        assert_eq!(err.parameter(), Some("query"), "{err}");
        let r = run(&ctx, "SELECT COUNT(*) AS n FROM works").await.unwrap();
        assert_eq!(column(&r, "n"), ["2"], "nothing was written");
    }
}
