//! The derived columns and tables by their SQL definitions
//! (`sql/derived/`), computed in a session over its base tables. Ingest
//! writes them by a faster path (the per-work tables and the statuses as
//! each part is built, `work_roots` part by part), which tests check equal
//! to this on real and generated works; the SQL tests build their worlds
//! with this.

use datafusion::prelude::SessionContext;

use crate::dataset::Table;
use crate::dataset::schema::WORKS_BASE_COLUMNS;
use crate::engine::materialize;
use crate::error::Result;
use crate::profile::stored_status_columns;
use crate::sql::{Bindings, query};

/// The derived tables in the order they are computed (each reads those
/// before it).
pub const ORDER: [Table; 7] = [
    Table::WorkCountries,
    Table::WorkInstitutions,
    Table::WorkAuthors,
    Table::WorkAuthorCountries,
    Table::WorkAuthorInstitutions,
    Table::AuthorYears,
    Table::WorkRoots,
];

/// Compute, in `ctx`, the stored statuses of `works` (one column per stored
/// profile, by `sql/selection/ai_status.sql`) and every derived table
/// (`sql/derived/`), from the base tables of the session, and keep each as
/// a table of the session in place of any it had.
pub async fn derive(ctx: &SessionContext) -> Result<()> {
    work_tables(ctx).await?;
    for view in ["career_tallies", "career_countries"] {
        crate::dataset::register_view(ctx, view).await?;
    }
    for table in [Table::AuthorYears, Table::WorkRoots] {
        derived(ctx, table).await?;
    }
    Ok(())
}

/// The statuses and the derived tables of one work each (`work_countries`,
/// `work_institutions`, `work_authors`, `work_author_countries`,
/// `work_author_institutions`): what ingest computes as it writes each part.
pub async fn work_tables(ctx: &SessionContext) -> Result<()> {
    statuses(ctx).await?;
    crate::dataset::register_view(ctx, "authorship_shares").await?;
    for table in &ORDER[..5] {
        derived(ctx, *table).await?;
    }
    Ok(())
}

/// Compute the derived `table` by its SQL and keep it for the session.
async fn derived(ctx: &SessionContext, table: Table) -> Result<()> {
    query(&format!("derived/{}", table.name()))
        .materialize(ctx, &Bindings::default())
        .await
}

/// `works` with its base columns and the status of each stored profile.
async fn statuses(ctx: &SessionContext) -> Result<()> {
    let base: Vec<String> = Table::Works.schema().fields()[..WORKS_BASE_COLUMNS]
        .iter()
        .map(|f| format!("w.{}", f.name()))
        .collect();
    let mut columns = base;
    let mut joins = String::new();
    for (i, (profile, column)) in stored_status_columns().iter().enumerate() {
        let status = profile.status_by_sql(ctx).await?;
        let name = format!("status_{i}");
        materialize(ctx, &name, status).await?;
        columns.push(format!("{name}.status AS {column}"));
        joins.push_str(&format!(" JOIN {name} ON {name}.work = w.id"));
    }
    let works = ctx
        .sql(&format!(
            "SELECT {} FROM works w{joins}",
            columns.join(", ")
        ))
        .await?;
    materialize(ctx, "works", works).await?;
    for i in 0..stored_status_columns().len() {
        ctx.deregister_table(format!("status_{i}"))?;
    }
    Ok(())
}
