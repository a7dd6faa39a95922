//! The last steps of an ingest: deduplicate across parts, write the
//! institutions table, and put the dataset in place atomically.
//!
//! Parts are sorted by id, so duplicates across parts are found by a
//! streaming k-way merge of their id columns: memory grows with the number of
//! parts and of duplicates, not with the number of works. Only the parts that
//! hold a losing copy are rewritten.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use arrow::array::{
    Array, AsArray, BooleanArray, Int64Array, Int64Builder, RecordBatch, StringArray, StringBuilder,
};
use arrow::compute::filter_record_batch;
use arrow::datatypes::Int64Type;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::file::reader::{FileReader, SerializedFileReader};

use super::parts::{part_name, write_parquet};
use crate::dataset::Table;
use crate::model::{Institution, InstitutionSource, supersedes};

/// The private folder an ingest writes into: `.NAME.tmp-PID` beside the
/// dataset. Leftovers of runs that died are removed.
pub fn temp_dir(out: &Path) -> Result<PathBuf> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .with_context(|| format!("`{}` is not a folder name", out.display()))?;
    let prefix = format!(".{name}.tmp-");
    for entry in std::fs::read_dir(&parent)? {
        let entry = entry?;
        let fname = entry.file_name();
        let Some(pid) = fname.to_str().and_then(|f| f.strip_prefix(&prefix)) else {
            continue;
        };
        let alive = pid
            .parse::<u32>()
            .is_ok_and(|p| Path::new(&format!("/proc/{p}")).exists());
        if !alive {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    let tmp = parent.join(format!("{prefix}{}", std::process::id()));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp)?;
    }
    std::fs::create_dir_all(&tmp)?;
    Ok(tmp)
}

/// Hard-link (or copy) an existing dataset's parts into the temporary folder,
/// for `--append`. The old dataset is never modified.
pub fn link_existing(out: &Path, tmp: &Path) -> Result<()> {
    for table in Table::ALL {
        let from = out.join(table.name());
        if !from.is_dir() {
            continue;
        }
        for entry in std::fs::read_dir(&from)? {
            let entry = entry?;
            let target = tmp.join(table.name()).join(entry.file_name());
            if std::fs::hard_link(entry.path(), &target).is_err() {
                std::fs::copy(entry.path(), &target)?;
            }
        }
    }
    Ok(())
}

/// Put the finished folder in place of `out`.
pub fn publish(tmp: &Path, out: &Path) -> Result<()> {
    if out.exists() {
        let old = out.with_file_name(format!(
            ".{}.old-{}",
            out.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("dataset"),
            std::process::id()
        ));
        std::fs::rename(out, &old)
            .with_context(|| format!("moving the old {} aside", out.display()))?;
        std::fs::rename(tmp, out).with_context(|| format!("renaming into {}", out.display()))?;
        std::fs::remove_dir_all(&old)?;
    } else {
        std::fs::rename(tmp, out).with_context(|| format!("renaming into {}", out.display()))?;
    }
    Ok(())
}

/// Rows of its first input a step of [`write_spanning`] takes at a time.
/// For `author_years`, measured on
/// 5M works (16.5M rows): 10 passes peak at 892 MB for the whole ingest,
/// 5 passes at 951 MB, one pass (with a 512 MB spilling pool) at 1.66 GB;
/// each pass adds about 0.7 s of reading.
const CAREERS_ROWS_PER_PASS: u64 = 2_000_000;

/// Compute a derived table that spans all works and needs a global
/// aggregation (`author_years`, the stored careers; `work_roots` needs
/// none: [`write_work_roots`]) from the deduplicated tables `inputs`
/// with `sql`, and write it in place of any earlier copy (an append or a
/// merge recomputes it over all works). DataFusion runs it in its own
/// runtime, over one bucket of ids at a time (a part file each), as many
/// as needed for [`CAREERS_ROWS_PER_PASS`] rows of the first input per
/// pass: memory stays bounded whatever the number of works.
fn write_spanning(
    root: &Path,
    table: Table,
    inputs: &[Table],
    views: &[&str],
    key: &str,
) -> Result<()> {
    let dir = root.join(table.name());
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    // No works, nothing to derive; another input may be absent (no
    // institution seen): it is then an empty table.
    if !root.join(inputs[0].name()).is_dir() {
        return Ok(());
    }
    for t in &inputs[1..] {
        std::fs::create_dir_all(root.join(t.name()))?;
    }
    let mut rows = 0;
    for path in part_files(root, inputs[0])? {
        let reader = SerializedFileReader::new(File::open(&path)?)?;
        rows += reader.metadata().file_metadata().num_rows() as u64;
    }
    // Bucket counts that divide 1000 spread OpenAlex ids evenly; 1000
    // buckets keep a full snapshot's (about 800M authorship rows) passes
    // near the measured size.
    let passes = [1u32, 2, 4, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]
        .into_iter()
        .find(|&n| rows.div_ceil(n as u64) <= CAREERS_ROWS_PER_PASS)
        .unwrap_or(1000);
    std::fs::create_dir_all(&dir)?;
    // Its own thread: ingest may run inside a caller's async runtime.
    std::thread::scope(|scope| {
        scope
            .spawn(|| -> Result<()> {
                use datafusion::dataframe::DataFrameWriteOptions;
                use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
                // Each pass decodes the author ids of every row, and the
                // other columns only of its bucket's rows.
                let config = SessionConfig::new()
                    .set_bool("datafusion.execution.parquet.pushdown_filters", true);
                let ctx = SessionContext::new_with_config(config);
                tokio::runtime::Builder::new_multi_thread()
                    .enable_all()
                    .build()?
                    .block_on(async {
                        for t in inputs {
                            let path = root.join(t.name());
                            let path = path.to_str().context("non-UTF-8 dataset path")?;
                            let schema = t.schema();
                            ctx.register_parquet(
                                t.name(),
                                path,
                                ParquetReadOptions::default().schema(&schema),
                            )
                            .await?;
                        }
                        for view in views {
                            crate::dataset::register_view(&ctx, view).await?;
                        }
                        let query = crate::sql::query(&format!("derived/{}", table.name()));
                        let start = std::time::Instant::now();
                        for i in 0..passes {
                            let out = dir.join(part_name(i as u64));
                            let out = out.to_str().context("non-UTF-8 dataset path")?;
                            let mut df = query
                                .dataframe(&ctx, &crate::sql::Bindings::default())
                                .await?;
                            if passes > 1 {
                                let bucket =
                                    df.parse_sql_expr(&crate::dataset::bucket_sql(key, passes))?;
                                df = df.filter(bucket.eq(datafusion::prelude::lit(i as i64)))?;
                            }
                            df.write_parquet(
                                out,
                                DataFrameWriteOptions::new().with_single_file_output(true),
                                None,
                            )
                            .await?;
                        }
                        if std::env::var_os("TALENTCHAIN_TIMINGS").is_some() {
                            eprintln!(
                                "timing: {}: {passes} passes in {:.3} s",
                                table.name(),
                                start.elapsed().as_secs_f64()
                            );
                        }
                        Ok::<_, anyhow::Error>(())
                    })
            })
            .join()
            .map_err(|_| anyhow::anyhow!("the careers step panicked"))?
    })
    .with_context(|| format!("computing the derived table {}", table.name()))
}

/// Write the derived `work_roots` (`sql/derived/work_roots.sql` defines it,
/// and a test checks the two agree) from `work_institutions`
/// and the institutions' lineage `roots` (as [`write_institutions`] wrote
/// them), in place of any earlier copy: part by part, since a work's rows
/// are together in one part, with one part in memory at a time.
fn write_work_roots(root: &Path, roots: &HashMap<String, String>) -> Result<()> {
    use arrow::array::{BooleanBuilder, Float64Array, Float64Builder, Int32Array, Int32Builder};
    let dir = root.join(Table::WorkRoots.name());
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    let parts = part_files(root, Table::WorkInstitutions)?;
    if parts.is_empty() {
        return Ok(());
    }
    std::fs::create_dir_all(&dir)?;
    let schema = Table::WorkRoots.schema();
    let n_status = crate::profile::stored_status_columns().len();
    let start = std::time::Instant::now();
    for path in parts {
        let mut batches = Vec::new();
        for batch in ParquetRecordBatchReaderBuilder::try_new(File::open(&path)?)?.build()? {
            batches.push(batch?);
        }
        let b = arrow::compute::concat_batches(&Table::WorkInstitutions.schema(), &batches)?;
        let col = |name: &str| {
            b.column_by_name(name)
                .with_context(|| format!("work_institutions.{name}"))
        };
        let work = col("work")?.as_string::<i32>();
        let inst = col("institution")?.as_string::<i32>();
        let country = col("country")?.as_string::<i32>();
        let frac: &Float64Array = col("fractional")?.as_primitive();
        let year: &Int32Array = col("year")?.as_primitive();
        let cites: &Int64Array = col("cites")?.as_primitive();
        let statuses: Vec<&StringArray> = crate::profile::stored_status_columns()
            .iter()
            .map(|(_, c)| col(c).map(|a| a.as_string::<i32>()))
            .collect::<Result<_>>()?;
        let mut o_work = StringBuilder::new();
        let mut o_root = StringBuilder::new();
        let mut o_country = StringBuilder::new();
        let mut o_frac = Float64Builder::new();
        let mut o_first = BooleanBuilder::new();
        let mut o_year = Int32Builder::new();
        let mut o_cites = Int64Builder::new();
        let mut o_status: Vec<StringBuilder> =
            (0..n_status).map(|_| StringBuilder::new()).collect();
        let mut start = 0;
        while start < b.num_rows() {
            // One work's rows.
            let mut end = start + 1;
            while end < b.num_rows() && work.value(end) == work.value(start) {
                end += 1;
            }
            let mut merged: BTreeMap<(&str, Option<&str>), f64> = BTreeMap::new();
            for r in start..end {
                let i = inst.value(r);
                let root = roots.get(i).map_or(i, String::as_str);
                *merged.entry((root, opt(country, r))).or_insert(0.0) += frac.value(r);
            }
            let mut previous = None;
            for ((root, c), f) in merged {
                o_work.append_value(work.value(start));
                o_root.append_value(root);
                o_country.append_option(c);
                o_frac.append_value(f);
                o_first.append_value(previous != Some(root));
                previous = Some(root);
                o_year.append_option((!year.is_null(start)).then(|| year.value(start)));
                o_cites.append_option((!cites.is_null(start)).then(|| cites.value(start)));
                for (o, st) in o_status.iter_mut().zip(&statuses) {
                    o.append_option(opt(st, start));
                }
            }
            start = end;
        }
        let mut columns: Vec<arrow::array::ArrayRef> = vec![
            Arc::new(o_work.finish()),
            Arc::new(o_root.finish()),
            Arc::new(o_country.finish()),
            Arc::new(o_frac.finish()),
            Arc::new(o_first.finish()),
            Arc::new(o_year.finish()),
            Arc::new(o_cites.finish()),
        ];
        columns.extend(
            o_status
                .iter_mut()
                .map(|o| Arc::new(o.finish()) as arrow::array::ArrayRef),
        );
        let out = RecordBatch::try_new(schema.clone(), columns)?;
        let name = path.file_name().context("part file name")?;
        write_parquet(&dir.join(name), &out)?;
    }
    if std::env::var_os("TALENTCHAIN_TIMINGS").is_some() {
        eprintln!("timing: work_roots: {:.3} s", start.elapsed().as_secs_f64());
    }
    Ok(())
}

/// A string cell, or `None` for null.
fn opt(a: &StringArray, r: usize) -> Option<&str> {
    (!a.is_null(r)).then(|| a.value(r))
}

/// What the final step measured.
pub struct Finalized {
    pub duplicates_dropped: u64,
    pub rows: BTreeMap<String, u64>,
}

pub fn finalize(
    root: &Path,
    institutions: HashMap<String, Institution>,
    append: bool,
) -> Result<Finalized> {
    let duplicates_dropped =
        dedup_group(root, Table::Works, "id", &Table::WORK_TABLES[1..], "work")?;
    dedup_group(
        root,
        Table::Authors,
        "id",
        &[Table::AuthorAffiliations],
        "author",
    )?;
    let roots = write_institutions(root, institutions, append)?;
    // The two derived tables read different tables, so they run side by
    // side (the lineage roots hold one part in memory at a time): 0.21 s
    // instead of 0.26 s one after the other for 1 GB of JSON; at 5M works
    // on 2 cores, where the careers keep both busy, no gain.
    std::thread::scope(|s| {
        let work_roots = s.spawn(|| write_work_roots(root, &roots));
        let careers = write_spanning(
            root,
            Table::AuthorYears,
            &[
                Table::WorkAuthors,
                Table::WorkAuthorCountries,
                Table::AuthorAffiliations,
            ],
            &["career_tallies", "career_countries"],
            "author",
        );
        let work_roots = work_roots
            .join()
            .map_err(|_| anyhow::anyhow!("the lineage roots step panicked"))?;
        careers.and(work_roots)
    })?;
    let mut rows = BTreeMap::new();
    for table in Table::ALL {
        let mut n = 0;
        for path in part_files(root, table)? {
            let reader = SerializedFileReader::new(File::open(&path)?)?;
            n += reader.metadata().file_metadata().num_rows() as u64;
        }
        rows.insert(table.name().to_string(), n);
    }
    Ok(Finalized {
        duplicates_dropped,
        rows,
    })
}

/// A table's part files, by part number.
pub fn part_files(root: &Path, table: Table) -> Result<Vec<PathBuf>> {
    let dir = root.join(table.name());
    let mut files = Vec::new();
    if dir.is_dir() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "parquet") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// One part's (id, updated_date, read_order) stream, in id order.
struct Cursor {
    reader: ParquetRecordBatchReader,
    batch: Option<RecordBatch>,
    row: usize,
}

impl Cursor {
    fn open(path: &Path) -> Result<Cursor> {
        let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(path)?)?;
        let schema = builder.parquet_schema();
        let wanted = ["id", "updated_date", "read_order"];
        let idx: Vec<usize> = (0..schema.num_columns())
            .filter(|&i| wanted.contains(&schema.column(i).name()))
            .collect();
        let mask = ProjectionMask::leaves(schema, idx);
        let reader = builder
            .with_projection(mask)
            .with_batch_size(4096)
            .build()?;
        let mut c = Cursor {
            reader,
            batch: None,
            row: 0,
        };
        c.advance_batch()?;
        Ok(c)
    }

    fn advance_batch(&mut self) -> Result<()> {
        self.row = 0;
        self.batch = loop {
            match self.reader.next().transpose()? {
                Some(b) if b.num_rows() == 0 => continue,
                other => break other,
            }
        };
        Ok(())
    }

    fn current(&self) -> Option<(&str, Option<&str>, i64)> {
        let b = self.batch.as_ref()?;
        let ids: &StringArray = b.column_by_name("id")?.as_string();
        let dates: &StringArray = b.column_by_name("updated_date")?.as_string();
        let orders = b.column_by_name("read_order")?.as_primitive::<Int64Type>();
        let r = self.row;
        Some((
            ids.value(r),
            (!dates.is_null(r)).then(|| dates.value(r)),
            orders.value(r),
        ))
    }

    fn next(&mut self) -> Result<()> {
        self.row += 1;
        if self
            .batch
            .as_ref()
            .is_some_and(|b| self.row >= b.num_rows())
        {
            self.advance_batch()?;
        }
        Ok(())
    }
}

/// Drop the losing copies of entities that appear in several parts of
/// `key_table` (and their rows in `children`). Returns the copies dropped.
fn dedup_group(
    root: &Path,
    key_table: Table,
    key: &str,
    children: &[Table],
    child_key: &str,
) -> Result<u64> {
    let parts = part_files(root, key_table)?;
    if parts.len() < 2 {
        return Ok(0);
    }
    let mut cursors = parts
        .iter()
        .map(|p| Cursor::open(p))
        .collect::<Result<Vec<_>>>()?;
    let mut heap = BinaryHeap::new();
    for (i, c) in cursors.iter().enumerate() {
        if let Some((id, _, _)) = c.current() {
            heap.push(Reverse((id.to_string(), i)));
        }
    }
    // part index → ids whose copy in that part loses.
    let mut losers: HashMap<usize, HashSet<String>> = HashMap::new();
    let mut dropped = 0;
    while let Some(Reverse((id, first))) = heap.pop() {
        let mut copies = vec![first];
        while heap.peek().is_some_and(|Reverse((other, _))| *other == id) {
            copies.push(heap.pop().expect("peeked").0.1);
        }
        if copies.len() > 1 {
            let mut meta: Vec<(usize, Option<String>, i64)> = copies
                .iter()
                .map(|&i| {
                    let (_, date, order) = cursors[i].current().expect("cursor holds the id");
                    (i, date.map(str::to_string), order)
                })
                .collect();
            meta.sort_by_key(|m| m.2);
            let mut winner = 0;
            for k in 1..meta.len() {
                if supersedes(
                    meta[k].1.as_deref(),
                    meta[k].2,
                    meta[winner].1.as_deref(),
                    meta[winner].2,
                ) {
                    winner = k;
                }
            }
            for (k, m) in meta.iter().enumerate() {
                if k != winner {
                    losers.entry(m.0).or_default().insert(id.clone());
                    dropped += 1;
                }
            }
        }
        for i in copies {
            cursors[i].next()?;
            if let Some((next, _, _)) = cursors[i].current() {
                if next == id {
                    bail!(
                        "part {} holds `{id}` twice: it was not deduplicated",
                        parts[i].display()
                    );
                }
                heap.push(Reverse((next.to_string(), i)));
            }
        }
    }
    drop(cursors);
    for (part, ids) in losers {
        let name = parts[part].file_name().expect("part file").to_owned();
        rewrite_without(&parts[part], key, &ids)?;
        for child in children {
            rewrite_without(&root.join(child.name()).join(&name), child_key, &ids)?;
        }
    }
    Ok(dropped)
}

/// Rewrite a part file without the rows whose `key` is in `ids`.
fn rewrite_without(path: &Path, key: &str, ids: &HashSet<String>) -> Result<()> {
    if !path.exists() {
        return Ok(());
    }
    let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(path)?)?;
    let schema = builder.schema().clone();
    let reader = builder.build()?;
    let mut kept = Vec::new();
    for batch in reader {
        let batch = batch?;
        let col: &StringArray = batch.column_by_name(key).context("key column")?.as_string();
        let mask: BooleanArray = col
            .iter()
            .map(|v| Some(!v.is_some_and(|v| ids.contains(v))))
            .collect();
        kept.push(filter_record_batch(&batch, &mask)?);
    }
    let all = arrow::compute::concat_batches(&schema, &kept)?;
    let tmp = path.with_extension("parquet.rewrite");
    write_parquet(&tmp, &all)?;
    // The old file may be a hard link into the previous dataset: replace the
    // link, never write through it.
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// Read an institutions table back into records, merged into `into`, their
/// read order shifted by `read_order_shift` (for shards being merged).
pub fn read_institutions(
    path: &Path,
    read_order_shift: i64,
    into: &mut HashMap<String, Institution>,
) -> Result<()> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path)?)?.build()?;
    for batch in reader {
        let b = batch?;
        let s = |name: &str| -> &StringArray {
            b.column_by_name(name)
                .expect("institutions column")
                .as_string()
        };
        let get = |a: &StringArray, r: usize| (!a.is_null(r)).then(|| a.value(r).to_string());
        let works: &Int64Array = b
            .column_by_name("works_count")
            .expect("works_count")
            .as_primitive();
        let orders: &Int64Array = b
            .column_by_name("read_order")
            .expect("read_order")
            .as_primitive();
        let (id, name, ror, country, kind, lineage, source, updated) = (
            s("id"),
            s("name"),
            s("ror"),
            s("country"),
            s("type"),
            s("lineage"),
            s("source"),
            s("updated_date"),
        );
        for r in 0..b.num_rows() {
            let inst = Institution {
                id: id.value(r).to_string(),
                name: get(name, r),
                ror: get(ror, r),
                country: get(country, r),
                kind: get(kind, r),
                lineage: get(lineage, r)
                    .map(|l| l.split(';').map(str::to_string).collect())
                    .unwrap_or_default(),
                works_count: (!works.is_null(r)).then(|| works.value(r)),
                source: if source.value(r) == "entity" {
                    InstitutionSource::Entity
                } else {
                    InstitutionSource::Dehydrated
                },
                updated_date: get(updated, r),
                read_order: orders.value(r) + read_order_shift,
            };
            match into.get_mut(&inst.id) {
                Some(old) => inst.merge_into(old),
                None => {
                    into.insert(inst.id.clone(), inst);
                }
            }
        }
    }
    Ok(())
}

/// The top of an institution's lineage. OpenAlex lists a lineage as a set
/// of ids (not in hierarchy order), so the root is found from the
/// ancestors' own lineages, one step at a time: a step goes to the
/// ancestor whose lineage is only itself; else to the ancestor with the
/// shortest known lineage; ties and unknowns to the smallest id. The steps
/// are followed up to an institution without ancestors (its own root) or to
/// an ancestor no record describes, so the root of an institution's root
/// is that root: a hierarchy of any depth rolls up to one institution.
pub fn lineage_root(inst: &Institution, all: &HashMap<String, Institution>) -> String {
    let mut at = inst;
    let mut seen = std::collections::HashSet::new();
    loop {
        let Some(up) = lineage_step(at, all) else {
            return at.id.clone();
        };
        let Some(next) = all.get(&up) else {
            return up;
        };
        if !seen.insert(up.clone()) {
            // A cycle in the records (a lists b, b lists a): its smallest
            // id, whichever end the chain came in by.
            return seen
                .into_iter()
                .min_by_key(|id| (numeric_id(id), id.clone()))
                .expect("non-empty");
        }
        at = next;
    }
}

/// One step up an institution's lineage (see [`lineage_root`]); `None`
/// without ancestors.
fn lineage_step(inst: &Institution, all: &HashMap<String, Institution>) -> Option<String> {
    let depth = |id: &String| match all.get(id) {
        Some(a) if a.lineage.iter().all(|l| l == id) => 0,
        Some(a) => a.lineage.len(),
        None => usize::MAX,
    };
    inst.lineage
        .iter()
        .filter(|l| **l != inst.id)
        .min_by_key(|a| (depth(a), numeric_id(a), (*a).clone()))
        .cloned()
}

/// An OpenAlex id's number (`I123` → 123), for ordering ids.
fn numeric_id(id: &str) -> u64 {
    id[1..].parse::<u64>().unwrap_or(u64::MAX)
}

/// Write the institutions table; returns each institution's lineage root
/// (its `lineage_root` column), for [`write_work_roots`].
fn write_institutions(
    root: &Path,
    mut institutions: HashMap<String, Institution>,
    append: bool,
) -> Result<HashMap<String, String>> {
    let dir = root.join(Table::Institutions.name());
    if append {
        let mut old = HashMap::new();
        for path in part_files(root, Table::Institutions)? {
            read_institutions(&path, 0, &mut old)?;
            std::fs::remove_file(&path)?;
        }
        for (_, inst) in institutions.drain() {
            match old.get_mut(&inst.id) {
                Some(o) => inst.merge_into(o),
                None => {
                    old.insert(inst.id.clone(), inst);
                }
            }
        }
        institutions = old;
    }
    let mut ids: Vec<&String> = institutions.keys().collect();
    ids.sort_by_key(|id| (numeric_id(id), (*id).clone()));

    let mut b_id = StringBuilder::new();
    let mut b_name = StringBuilder::new();
    let mut b_ror = StringBuilder::new();
    let mut b_country = StringBuilder::new();
    let mut b_type = StringBuilder::new();
    let mut b_sector = StringBuilder::new();
    let mut b_root = StringBuilder::new();
    let mut b_lineage = StringBuilder::new();
    let mut b_works = Int64Builder::new();
    let mut b_source = StringBuilder::new();
    let mut b_updated = StringBuilder::new();
    let mut b_order = Int64Builder::new();
    let mut roots = HashMap::with_capacity(ids.len());
    for id in ids {
        let inst = &institutions[id];
        let root_id = lineage_root(inst, &institutions);
        roots.insert(id.clone(), root_id.clone());
        // The root's own sector, not its raw type: roots are often typed `funder`.
        let root_sector = institutions
            .get(&root_id)
            .filter(|r| r.id != inst.id)
            .map(|r| crate::model::sector::sector(r.kind.as_deref(), r.name.as_deref(), None));
        let root_kind = root_sector;
        b_id.append_value(&inst.id);
        b_name.append_option(inst.name.as_deref());
        b_ror.append_option(inst.ror.as_deref());
        b_country.append_option(inst.country.as_deref());
        b_type.append_option(inst.kind.as_deref());
        b_sector.append_value(crate::model::sector::sector(
            inst.kind.as_deref(),
            inst.name.as_deref(),
            root_kind,
        ));
        b_root.append_value(&root_id);
        if inst.lineage.is_empty() {
            b_lineage.append_null();
        } else {
            b_lineage.append_value(inst.lineage.join(";"));
        }
        b_works.append_option(inst.works_count);
        b_source.append_value(inst.source.as_str());
        b_updated.append_option(inst.updated_date.as_deref());
        b_order.append_value(inst.read_order);
    }
    let batch = RecordBatch::try_new(
        Table::Institutions.schema(),
        vec![
            Arc::new(b_id.finish()),
            Arc::new(b_name.finish()),
            Arc::new(b_ror.finish()),
            Arc::new(b_country.finish()),
            Arc::new(b_type.finish()),
            Arc::new(b_sector.finish()),
            Arc::new(b_root.finish()),
            Arc::new(b_lineage.finish()),
            Arc::new(b_works.finish()),
            Arc::new(b_source.finish()),
            Arc::new(b_updated.finish()),
            Arc::new(b_order.finish()),
        ],
    )?;
    if batch.num_rows() > 0 {
        write_parquet(&dir.join(part_name(0)), &batch)?;
    }
    Ok(roots)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inst(id: &str, lineage: &[&str]) -> Institution {
        Institution {
            id: id.into(),
            name: None,
            ror: None,
            country: None,
            kind: None,
            lineage: lineage.iter().map(|s| s.to_string()).collect(),
            works_count: None,
            source: InstitutionSource::Dehydrated,
            updated_date: None,
            read_order: 0,
        }
    }

    #[test]
    fn lineage_root_is_found_whatever_the_order() {
        // OpenAlex lists lineage ids sorted, not by hierarchy: I2 < I30 < I4.
        let all: HashMap<String, Institution> = [
            inst("I4", &["I2", "I30", "I4"]), // lab under I30 under I2
            inst("I30", &["I2", "I30"]),
            inst("I2", &["I2"]),
            inst("I7", &["I5", "I7"]), // parent unknown
            inst("I8", &[]),
        ]
        .into_iter()
        .map(|i| (i.id.clone(), i))
        .collect();
        assert_eq!(lineage_root(&all["I4"], &all), "I2");
        assert_eq!(lineage_root(&all["I30"], &all), "I2");
        assert_eq!(lineage_root(&all["I2"], &all), "I2");
        assert_eq!(lineage_root(&all["I7"], &all), "I5");
        assert_eq!(lineage_root(&all["I8"], &all), "I8");
    }

    /// Three levels whose top no record describes (as OpenAlex lists the
    /// Chinese Center for Disease Control and Prevention, I184490438, and
    /// one of its institutes, I4210140986): the institute's first step is
    /// its one described ancestor, I20 (shortest known lineage), whose own
    /// first step is I10, undescribed (smallest id). The root of both is
    /// I10, and the root of a root is itself.
    #[test]
    fn lineage_root_follows_the_chain_to_the_top() {
        let all: HashMap<String, Institution> = [
            inst("I40", &["I10", "I20", "I40", "I50"]),
            inst("I20", &["I10", "I20", "I50"]),
            inst("I60", &["I60", "I40"]), // a lab under the institute
        ]
        .into_iter()
        .map(|i| (i.id.clone(), i))
        .collect();
        for id in ["I40", "I20", "I60"] {
            assert_eq!(lineage_root(&all[id], &all), "I10", "{id}");
        }
        // With the top described, each root is its own root.
        let mut all = all;
        all.insert("I10".into(), inst("I10", &["I10"]));
        for id in ["I40", "I20", "I60", "I10"] {
            let root = lineage_root(&all[id], &all);
            assert_eq!(root, "I10", "{id}");
            assert_eq!(lineage_root(&all[&root], &all), root);
        }
        // A cycle in the records ends at its smallest id, from either end.
        let cycle: HashMap<String, Institution> =
            [inst("I7", &["I7", "I9"]), inst("I9", &["I9", "I7"])]
                .into_iter()
                .map(|i| (i.id.clone(), i))
                .collect();
        assert_eq!(lineage_root(&cycle["I7"], &cycle), "I7");
        assert_eq!(lineage_root(&cycle["I9"], &cycle), "I7");
    }
}
