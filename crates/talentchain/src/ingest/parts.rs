//! Buffers of normalized records that become Parquet part files.
//!
//! A worker fills a buffer until it is large enough, then the buffer is
//! sorted by id, deduplicated within itself, turned into one Arrow batch per
//! table and written as `TABLE/part-NNNNNN.parquet` under the same part
//! number for every table of the group. Parts sorted by id let the final
//! step find duplicates across parts with a streaming merge.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use arrow::array::{ArrayRef, Int32Builder, Int64Builder, RecordBatch, StringBuilder};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use crate::dataset::Table;
use crate::model::{Author, Work, supersedes};

/// The file name of part `n`.
pub fn part_name(n: u64) -> String {
    format!("part-{n:06}.parquet")
}

/// Writer settings shared by every table.
pub fn writer_properties() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::ZSTD(
            ZstdLevel::try_new(1).expect("valid zstd level"),
        ))
        .set_max_row_group_row_count(Some(256 * 1024))
        .build()
}

/// Write `batch` as one Parquet file at `path`.
pub fn write_parquet(path: &Path, batch: &RecordBatch) -> Result<()> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(writer_properties()))?;
    writer.write(batch)?;
    writer
        .close()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Sort records by id and keep one copy of each (the rule of
/// [`supersedes`]). Returns how many copies were dropped.
fn dedup_sorted<T>(
    items: &mut Vec<T>,
    id: impl Fn(&T) -> &str,
    date: impl Fn(&T) -> Option<&str>,
    order: impl Fn(&T) -> i64,
) -> u64 {
    items.sort_by(|a, b| id(a).cmp(id(b)).then(order(a).cmp(&order(b))));
    let before = items.len();
    // Within an id group (in read order) fold the winner to the group's end.
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for item in items.drain(..) {
        match out.last() {
            Some(kept) if id(kept) == id(&item) => {
                if supersedes(date(&item), order(&item), date(kept), order(kept)) {
                    *out.last_mut().expect("non-empty") = item;
                }
            }
            _ => out.push(item),
        }
    }
    *items = out;
    (before - items.len()) as u64
}

fn batch(table: Table, columns: Vec<ArrayRef>) -> RecordBatch {
    RecordBatch::try_new(table.schema(), columns).expect("columns match the table schema")
}

/// Works waiting to be written.
#[derive(Default)]
pub struct WorkBuffer {
    /// The works, in the order read.
    pub works: Vec<Work>,
    /// Rough size in bytes, to bound memory.
    pub bytes: usize,
}

impl WorkBuffer {
    /// Add a work of a line of `line_bytes` bytes.
    pub fn push(&mut self, w: Work, line_bytes: usize) {
        self.bytes += line_bytes / 4 + 256;
        self.works.push(w);
    }

    /// The works held.
    pub fn len(&self) -> usize {
        self.works.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.works.is_empty()
    }

    /// Sort, deduplicate and write every work table as part `n`, the
    /// derived ones by `derive`. Returns the number of duplicate copies
    /// dropped inside the buffer.
    pub fn write(&mut self, root: &Path, n: u64, derive: Derive) -> Result<u64> {
        let dropped = dedup_sorted(
            &mut self.works,
            |w| &w.id,
            |w| w.updated_date.as_deref(),
            |w| w.read_order,
        );
        let batches = match derive {
            Derive::Rust => super::columns::work_batches(&self.works),
            Derive::Sql => sql_batches(&self.works)?,
        };
        for (table, batch) in batches {
            write_parquet(&root.join(table.name()).join(part_name(n)), &batch)?;
        }
        self.works.clear();
        self.bytes = 0;
        Ok(dropped)
    }
}

/// How ingest computes the derived columns and tables of each part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Derive {
    /// In Rust, as each work is added to the part's batches
    /// ([`super::columns`]): the default, measured faster (BENCHMARKS.md).
    #[default]
    Rust,
    /// By their SQL definitions over the part's base tables
    /// ([`super::derive::work_tables`]): for measuring and checking.
    Sql,
}

/// The work tables of `works`, the derived ones by their SQL definitions,
/// in a session of one partition (the parser threads run in parallel).
fn sql_batches(works: &[Work]) -> Result<Vec<(Table, RecordBatch)>> {
    use datafusion::datasource::MemTable;
    use datafusion::prelude::{SessionConfig, SessionContext};
    thread_local! {
        static RUNTIME: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime for the SQL of the derived tables");
    }
    let base = super::columns::base_batches(works);
    RUNTIME.with(|rt| {
        rt.block_on(async {
            let ctx =
                SessionContext::new_with_config(SessionConfig::new().with_target_partitions(1));
            for (table, batch) in &base {
                let mem = MemTable::try_new(batch.schema(), vec![vec![batch.clone()]])?;
                ctx.register_table(table.name(), std::sync::Arc::new(mem))?;
            }
            super::derive::work_tables(&ctx).await?;
            let mut out = Vec::new();
            for table in Table::WORK_TABLES {
                let df = ctx.table(table.name()).await?;
                let sql_schema = std::sync::Arc::new(df.schema().as_arrow().clone());
                let all = arrow::compute::concat_batches(&sql_schema, &df.collect().await?)?;
                out.push((
                    table,
                    RecordBatch::try_new(table.schema(), all.columns().to_vec())?,
                ));
            }
            Ok(out)
        })
    })
}

/// Author entities waiting to be written.
#[derive(Default)]
pub struct AuthorBuffer {
    /// The author entities, in the order read.
    pub authors: Vec<Author>,
}

impl AuthorBuffer {
    /// The authors held.
    pub fn len(&self) -> usize {
        self.authors.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.authors.is_empty()
    }

    /// Sort, deduplicate and write `authors` and `author_affiliations` as
    /// part `n`. Returns the number of duplicate copies dropped.
    pub fn write(&mut self, root: &Path, n: u64) -> Result<u64> {
        let dropped = dedup_sorted(
            &mut self.authors,
            |a| &a.id,
            |a| a.updated_date.as_deref(),
            |a| a.read_order,
        );
        let mut id = StringBuilder::new();
        let mut name = StringBuilder::new();
        let mut orcid = StringBuilder::new();
        let mut works = Int64Builder::new();
        let mut cited = Int64Builder::new();
        let mut last = StringBuilder::new();
        let mut updated = StringBuilder::new();
        let mut order = Int64Builder::new();
        let mut f_author = StringBuilder::new();
        let mut f_inst = StringBuilder::new();
        let mut f_year = Int32Builder::new();
        let mut f_country = StringBuilder::new();
        for au in &self.authors {
            id.append_value(&au.id);
            name.append_option(au.name.as_deref());
            orcid.append_option(au.orcid.as_deref());
            works.append_option(au.works_count);
            cited.append_option(au.cited_by_count);
            last.append_option(au.last_known_institution.as_deref());
            updated.append_option(au.updated_date.as_deref());
            order.append_value(au.read_order);
            for (inst, year, country) in &au.affiliations {
                f_author.append_value(&au.id);
                f_inst.append_value(inst);
                f_year.append_value(*year);
                f_country.append_option(country.as_deref());
            }
        }
        let authors = batch(
            Table::Authors,
            vec![
                Arc::new(id.finish()),
                Arc::new(name.finish()),
                Arc::new(orcid.finish()),
                Arc::new(works.finish()),
                Arc::new(cited.finish()),
                Arc::new(last.finish()),
                Arc::new(updated.finish()),
                Arc::new(order.finish()),
            ],
        );
        let affiliations = batch(
            Table::AuthorAffiliations,
            vec![
                Arc::new(f_author.finish()),
                Arc::new(f_inst.finish()),
                Arc::new(f_year.finish()),
                Arc::new(f_country.finish()),
            ],
        );
        write_parquet(
            &root.join(Table::Authors.name()).join(part_name(n)),
            &authors,
        )?;
        write_parquet(
            &root
                .join(Table::AuthorAffiliations.name())
                .join(part_name(n)),
            &affiliations,
        )?;
        self.authors.clear();
        Ok(dropped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffer_dedup_keeps_latest_then_last_read() {
        let w = |id: &str, date: Option<&str>, order: i64, cites: i64| Work {
            id: id.into(),
            updated_date: date.map(Into::into),
            read_order: order,
            cited_by_count: Some(cites),
            ..Default::default()
        };
        let mut v = vec![
            w("W2", Some("2024-02-01"), 1, 1),
            w("W1", Some("2024-01-01"), 2, 2),
            w("W2", Some("2024-01-01"), 3, 3),
            w("W1", Some("2024-01-01"), 4, 4),
            w("W3", None, 5, 5),
        ];
        let dropped = dedup_sorted(
            &mut v,
            |w| &w.id,
            |w| w.updated_date.as_deref(),
            |w| w.read_order,
        );
        assert_eq!(dropped, 2);
        let kept: Vec<(&str, i64)> = v
            .iter()
            .map(|w| (w.id.as_str(), w.cited_by_count.unwrap()))
            .collect();
        // W1: equal dates, the one read last (4); W2: the later date (1).
        assert_eq!(kept, vec![("W1", 4), ("W2", 1), ("W3", 5)]);
    }
}
