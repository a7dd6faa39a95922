//! `talentchain merge`: combine datasets ingested separately (shards) into
//! one, as if all their inputs had been read in one run.
//!
//! A snapshot can be ingested on N machines at once — one `talentchain
//! ingest` per partition or group of files, with any batch scheduler — and
//! merged at the end. The shards are taken in the order given: shard k's
//! inputs count as read after those of shards 0..k, so deduplication ("the
//! latest `updated_date`; equal or missing, the copy read last") gives
//! exactly the dataset of one run over all inputs in that order.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use arrow::array::{Array, AsArray, Int64Array, RecordBatch};
use arrow::datatypes::Int64Type;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::finalize::{self, part_files, read_institutions};
use super::parts::{part_name, write_parquet};
use crate::dataset::bad;
use crate::dataset::manifest::{self, Manifest, RecordCounts};
use crate::dataset::{SCHEMA_VERSION, Table};
use crate::model::Institution;

/// The position of the input-file index inside `read_order`.
const FILE_SHIFT: u32 = 40;

/// What a merge produced.
#[derive(Debug)]
pub struct MergeReport {
    /// The merged dataset's manifest.
    pub manifest: Manifest,
    /// How long the merge took.
    pub elapsed: std::time::Duration,
}

/// Merge the datasets `shards` (in this order) into `out`.
pub fn merge(shards: &[PathBuf], out: &Path, force: bool) -> Result<MergeReport> {
    let started = std::time::Instant::now();
    if shards.is_empty() {
        bail!("nothing to merge: give the shard datasets");
    }
    // Held until the merged dataset is in place: one writer at a time.
    let _lock = crate::dataset::lock_for_writing(out, "merge")?;
    if out.exists() && !force {
        bail!(
            "`{}` already exists: add --force to replace it",
            out.display()
        );
    }
    let manifests = shards
        .iter()
        .map(|s| Manifest::read(s).with_context(|| format!("shard `{}`", s.display())))
        .collect::<Result<Vec<_>>>()?;
    let profile = &manifests[0].ai_profile;
    if let Some((s, m)) = shards
        .iter()
        .zip(&manifests)
        .find(|(_, m)| &m.ai_profile != profile)
    {
        bail!(
            "shard `{}` was ingested with AI profile `{}`, the first with `{profile}`: merge shards of one profile",
            s.display(),
            m.ai_profile
        );
    }

    let tmp = finalize::temp_dir(out)?;
    let result = (|| {
        for table in Table::ALL {
            std::fs::create_dir_all(tmp.join(table.name()))?;
        }
        let mut next_part = 0u64;
        let mut files_before = 0i64;
        let mut institutions: HashMap<String, Institution> = HashMap::new();
        for (shard, m) in shards.iter().zip(&manifests) {
            let shift = files_before << FILE_SHIFT;
            // Part numbers are shared by the tables of a group: map each of
            // the shard's numbers to a new one, the same for every table.
            let mut numbers: Vec<String> = Vec::new();
            for table in Table::ALL {
                if table == Table::Institutions {
                    continue;
                }
                for p in part_files(shard, table)? {
                    let name = p
                        .file_name()
                        .and_then(|n| n.to_str())
                        .context("part name")?
                        .to_string();
                    if !numbers.contains(&name) {
                        numbers.push(name);
                    }
                }
            }
            numbers.sort();
            let renamed: HashMap<String, String> = numbers
                .into_iter()
                .map(|n| {
                    let new = part_name(next_part);
                    next_part += 1;
                    (n, new)
                })
                .collect();
            for table in Table::ALL {
                if table == Table::Institutions {
                    for p in part_files(shard, table)? {
                        read_institutions(&p, shift, &mut institutions)?;
                    }
                    continue;
                }
                for p in part_files(shard, table)? {
                    let name = p
                        .file_name()
                        .and_then(|n| n.to_str())
                        .context("part name")?;
                    let target = tmp.join(table.name()).join(&renamed[name]);
                    if matches!(table, Table::Works | Table::Authors) && shift != 0 {
                        shift_read_order(&p, &target, shift)?;
                    } else if std::fs::hard_link(&p, &target).is_err() {
                        std::fs::copy(&p, &target)?;
                    }
                }
            }
            files_before += m.inputs.len() as i64;
        }

        let fin = finalize::finalize(&tmp, institutions, false)?;
        let mut records = RecordCounts::default();
        let mut bad_summary = bad::BadSummary::default();
        let mut inputs = Vec::new();
        let mut warnings = Vec::new();
        for m in &manifests {
            let r = &m.records;
            records.works_read += r.works_read;
            records.works_filtered += r.works_filtered;
            records.authors_read += r.authors_read;
            records.institution_entities_read += r.institution_entities_read;
            records.other_entities += r.other_entities;
            records.duplicates_dropped += r.duplicates_dropped;
            records.author_ids_left_out += r.author_ids_left_out;
            records.affiliations_looked_up += r.affiliations_looked_up;
            records.authors_matched_by_name += r.authors_matched_by_name;
            for (k, v) in &r.papers_left_out {
                *records.papers_left_out.entry(k.clone()).or_default() += v;
            }
            for (k, v) in &m.bad.counts {
                *bad_summary.counts.entry(*k).or_default() += v;
            }
            bad_summary.records.extend(m.bad.records.iter().cloned());
            inputs.extend(m.inputs.iter().cloned());
            warnings.extend(m.warnings.iter().cloned());
        }
        bad_summary.records.truncate(bad::KEPT_EXAMPLES);
        let mut salts: Vec<&String> = manifests
            .iter()
            .filter_map(|m| m.id_salt.as_ref())
            .collect();
        salts.dedup();
        if salts.len() > 1 {
            warnings.push(
                "the shards hashed e-mail author ids with different salts: one person's hashed ids differ between shards"
                    .to_string(),
            );
        }
        let id_salt = salts.first().map(|s| (*s).clone());
        records.duplicates_dropped += fin.duplicates_dropped;
        records.works = fin.rows[Table::Works.name()];
        records.authors = fin.rows[Table::Authors.name()];
        records.institutions = fin.rows[Table::Institutions.name()];
        let manifest = Manifest {
            format: manifest::FORMAT.to_string(),
            schema_version: SCHEMA_VERSION,
            tool: "talentchain".into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            created: manifest::now_rfc3339(),
            ai_profile: profile.clone(),
            snapshot_date: manifests
                .iter()
                .filter_map(|m| m.snapshot_date.clone())
                .max(),
            inputs,
            records,
            tables: fin.rows,
            bad: bad_summary,
            warnings,
            next_part,
            id_salt,
        };
        manifest.write(&tmp)?;
        Ok(manifest)
    })();
    match result {
        Ok(manifest) => {
            finalize::publish(&tmp, out)?;
            Ok(MergeReport {
                manifest,
                elapsed: started.elapsed(),
            })
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            Err(e)
        }
    }
}

/// Copy a works or authors part, its `read_order` shifted by `shift`.
fn shift_read_order(from: &Path, to: &Path, shift: i64) -> Result<()> {
    let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(from)?)?;
    let schema = builder.schema().clone();
    let idx = schema.index_of("read_order")?;
    let mut batches = Vec::new();
    for batch in builder.build()? {
        let batch = batch?;
        let orders = batch.column(idx).as_primitive::<Int64Type>();
        let shifted: Int64Array = orders.iter().map(|v| v.map(|v| v + shift)).collect();
        let mut columns = batch.columns().to_vec();
        columns[idx] = Arc::new(shifted);
        batches.push(RecordBatch::try_new(schema.clone(), columns)?);
    }
    let all = arrow::compute::concat_batches(&schema, &batches)?;
    debug_assert_eq!(all.column(idx).null_count(), 0);
    write_parquet(to, &all)
}
