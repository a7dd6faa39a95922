//! Buffers of normalized records that become Parquet part files.
//!
//! A worker fills a buffer until it is large enough, then the buffer is
//! sorted by id, deduplicated within itself, turned into one Arrow batch per
//! table and written as `TABLE/part-NNNNNN.parquet` under the same part
//! number for every table of the group. Parts sorted by id let the final
//! step find duplicates across parts with a streaming merge.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use arrow::array::{
    ArrayRef, BooleanBuilder, Float64Builder, Int32Builder, Int64Builder, RecordBatch,
    StringBuilder,
};
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
    pub works: Vec<Work>,
    /// Rough size in bytes, to bound memory.
    pub bytes: usize,
}

impl WorkBuffer {
    pub fn push(&mut self, w: Work, line_bytes: usize) {
        self.bytes += line_bytes / 4 + 256;
        self.works.push(w);
    }

    pub fn len(&self) -> usize {
        self.works.len()
    }

    pub fn is_empty(&self) -> bool {
        self.works.is_empty()
    }

    /// Sort, deduplicate and write every work table as part `n`. Returns the
    /// number of duplicate copies dropped inside the buffer.
    pub fn write(&mut self, root: &Path, n: u64) -> Result<u64> {
        let dropped = dedup_sorted(
            &mut self.works,
            |w| &w.id,
            |w| w.updated_date.as_deref(),
            |w| w.read_order,
        );
        for (table, batch) in work_batches(&self.works) {
            write_parquet(&root.join(table.name()).join(part_name(n)), &batch)?;
        }
        self.works.clear();
        self.bytes = 0;
        Ok(dropped)
    }
}

/// The work tables' batches (base and derived, [`Table::WORK_TABLES`]) for
/// sorted works.
pub fn work_batches(works: &[Work]) -> Vec<(Table, RecordBatch)> {
    // Builders sized from a count of the rows, so that none grows (and
    // copies) while the part is built.
    let n = works.len();
    let (mut n_auth_rows, mut n_ctry, mut n_inst, mut n_topics, mut n_concepts) = (0, 0, 0, 0, 0);
    let (mut id_bytes, mut title_bytes, mut doi_bytes, mut name_bytes, mut raw_bytes) =
        (0, 0, 0, 0, 0);
    for w in works {
        n_auth_rows += w.authorships.len();
        n_topics += w.topics.len();
        n_concepts += w.concepts.len();
        id_bytes += w.id.len();
        title_bytes += w.title.as_ref().map_or(0, String::len);
        doi_bytes += w.doi.as_ref().map_or(0, String::len);
        for a in &w.authorships {
            n_ctry += a.countries.len();
            n_inst += a.institutions.len();
            name_bytes += a.author_name.as_ref().map_or(0, String::len);
            raw_bytes += a.raw_affiliation.as_ref().map_or(0, String::len);
        }
    }
    let id_len = id_bytes / n.max(1) + 1;
    let strings = |rows: usize, avg: usize| StringBuilder::with_capacity(rows, rows * avg);
    let ids = |rows: usize| strings(rows, id_len);
    let mut id = ids(n);
    let mut doi = strings(n, doi_bytes / n.max(1) + 1);
    let mut title = strings(n, title_bytes / n.max(1) + 1);
    let mut year = Int32Builder::with_capacity(n);
    let mut date = strings(n, 10);
    let mut kind = strings(n, 8);
    let mut cited = Int64Builder::with_capacity(n);
    let mut venue_id = ids(n);
    let mut venue = strings(n, 32);
    let mut venue_type = strings(n, 8);
    let mut language = strings(n, 2);
    let mut retracted = BooleanBuilder::with_capacity(n);
    let mut n_auth = Int32Builder::with_capacity(n);
    let mut updated = strings(n, 10);
    let mut order = Int64Builder::with_capacity(n);

    let mut a_work = ids(n_auth_rows);
    let mut a_pos = Int32Builder::with_capacity(n_auth_rows);
    let mut a_author_position = strings(n_auth_rows, 6);
    let mut a_author = ids(n_auth_rows);
    let mut a_name = strings(n_auth_rows, name_bytes / n_auth_rows.max(1) + 1);
    let mut a_orcid = strings(n_auth_rows, 19);
    let mut a_corr = BooleanBuilder::with_capacity(n_auth_rows);
    let mut a_ncountries = Int32Builder::with_capacity(n_auth_rows);
    let mut a_ninst = Int32Builder::with_capacity(n_auth_rows);
    let mut a_raw = strings(n_auth_rows, raw_bytes / n_auth_rows.max(1) + 1);

    let mut c_work = ids(n_ctry);
    let mut c_pos = Int32Builder::with_capacity(n_ctry);
    let mut c_country = strings(n_ctry, 2);

    let mut i_work = ids(n_inst);
    let mut i_pos = Int32Builder::with_capacity(n_inst);
    let mut i_inst = ids(n_inst);
    let mut i_country = strings(n_inst, 2);

    let mut t_work = ids(n_topics);
    let mut t_topic = strings(n_topics, 6);
    let mut t_name = strings(n_topics, 40);
    let mut t_score = Float64Builder::with_capacity(n_topics);
    let mut t_primary = BooleanBuilder::with_capacity(n_topics);
    let mut t_subfield = strings(n_topics, 4);
    let mut t_subfield_name = strings(n_topics, 32);
    let mut t_field = strings(n_topics, 2);
    let mut t_field_name = strings(n_topics, 32);
    let mut t_domain = strings(n_topics, 1);

    let mut k_work = ids(n_concepts);
    let mut k_concept = strings(n_concepts, 11);
    let mut k_name = strings(n_concepts, 20);
    let mut k_level = Int32Builder::with_capacity(n_concepts);
    let mut k_score = Float64Builder::with_capacity(n_concepts);

    let stored = crate::profile::stored_status_columns();
    let mut status: Vec<StringBuilder> = stored.iter().map(|_| strings(n, 8)).collect();
    let mut wc_work = ids(n_ctry);
    let mut wc_country = strings(n_ctry, 2);
    let mut wc_frac = Float64Builder::with_capacity(n_ctry);
    let mut wi_work = ids(n_inst);
    let mut wi_inst = ids(n_inst);
    let mut wi_country = strings(n_inst, 2);
    let mut wi_frac = Float64Builder::with_capacity(n_inst);
    let mut wi_first = BooleanBuilder::with_capacity(n_inst);
    let mut wi_year = Int32Builder::with_capacity(n_inst);
    let mut wi_cites = Int64Builder::with_capacity(n_inst);
    let mut wi_status: Vec<StringBuilder> = stored.iter().map(|_| strings(n_inst, 8)).collect();
    let mut au_work = ids(n_auth_rows);
    let mut au_author = ids(n_auth_rows);
    let mut au_year = Int32Builder::with_capacity(n_auth_rows);
    let mut au_cites = Int64Builder::with_capacity(n_auth_rows);
    let mut au_status: Vec<StringBuilder> =
        stored.iter().map(|_| strings(n_auth_rows, 8)).collect();
    let mut wa_work = ids(n_ctry);
    let mut wa_author = ids(n_ctry);
    let mut wa_year = Int32Builder::with_capacity(n_ctry);
    let mut wa_country = strings(n_ctry, 2);
    let mut wa_n = Int32Builder::with_capacity(n_ctry);

    for w in works {
        let statuses: Vec<&str> = stored
            .iter()
            .map(|(profile, _)| profile.status_of(w).as_str())
            .collect();
        for (b, s) in status.iter_mut().zip(&statuses) {
            b.append_value(s);
        }
        for (country, frac) in country_shares(w) {
            wc_work.append_value(&w.id);
            wc_country.append_value(country);
            wc_frac.append_value(frac);
        }
        let mut previous = None;
        for ((inst, country), frac) in institution_shares(w) {
            wi_work.append_value(&w.id);
            wi_inst.append_value(inst);
            wi_country.append_option(country);
            wi_frac.append_value(frac);
            // Rows come sorted by institution: the first of each.
            wi_first.append_value(previous != Some(inst));
            previous = Some(inst);
            wi_year.append_option(w.year);
            wi_cites.append_option(w.cited_by_count);
            for (b, s) in wi_status.iter_mut().zip(&statuses) {
                b.append_value(s);
            }
        }
        if let Some(y) = w.year {
            let authors: std::collections::BTreeSet<&str> = w
                .authorships
                .iter()
                .filter_map(|a| a.author.as_deref())
                .collect();
            for author in authors {
                au_work.append_value(&w.id);
                au_author.append_value(author);
                au_year.append_value(y);
                au_cites.append_option(w.cited_by_count);
                for (b, s) in au_status.iter_mut().zip(&statuses) {
                    b.append_value(s);
                }
            }
            for ((author, country), n) in author_countries(w) {
                wa_work.append_value(&w.id);
                wa_author.append_value(author);
                wa_year.append_value(y);
                wa_country.append_value(country);
                wa_n.append_value(n);
            }
        }
        id.append_value(&w.id);
        doi.append_option(w.doi.as_deref());
        title.append_option(w.title.as_deref());
        year.append_option(w.year);
        date.append_option(w.publication_date.as_deref());
        kind.append_option(w.kind.as_deref());
        cited.append_option(w.cited_by_count);
        venue_id.append_option(w.venue_id.as_deref());
        venue.append_option(w.venue.as_deref());
        venue_type.append_option(w.venue_type.as_deref());
        language.append_option(w.language.as_deref());
        retracted.append_option(w.is_retracted);
        n_auth.append_value(w.authorships.len() as i32);
        updated.append_option(w.updated_date.as_deref());
        order.append_value(w.read_order);

        for (pos, a) in w.authorships.iter().enumerate() {
            let pos = pos as i32;
            a_work.append_value(&w.id);
            a_pos.append_value(pos);
            a_author_position.append_option(a.author_position.as_deref());
            a_author.append_option(a.author.as_deref());
            a_name.append_option(a.author_name.as_deref());
            a_orcid.append_option(a.orcid.as_deref());
            a_corr.append_option(a.is_corresponding);
            a_ncountries.append_value(a.countries.len() as i32);
            a_ninst.append_value(a.institutions.len() as i32);
            a_raw.append_option(a.raw_affiliation.as_deref());
            for c in &a.countries {
                c_work.append_value(&w.id);
                c_pos.append_value(pos);
                c_country.append_value(c);
            }
            for (inst, country) in &a.institutions {
                i_work.append_value(&w.id);
                i_pos.append_value(pos);
                i_inst.append_value(inst);
                i_country.append_option(country.as_deref());
            }
        }
        for t in &w.topics {
            t_work.append_value(&w.id);
            t_topic.append_value(&t.topic);
            t_name.append_option(t.name.as_deref());
            t_score.append_option(t.score);
            t_primary.append_value(t.is_primary);
            t_subfield.append_option(t.subfield.as_deref());
            t_subfield_name.append_option(t.subfield_name.as_deref());
            t_field.append_option(t.field.as_deref());
            t_field_name.append_option(t.field_name.as_deref());
            t_domain.append_option(t.domain.as_deref());
        }
        for c in &w.concepts {
            k_work.append_value(&w.id);
            k_concept.append_value(&c.concept);
            k_name.append_option(c.name.as_deref());
            k_level.append_option(c.level);
            k_score.append_option(c.score);
        }
    }

    fn a<B: arrow::array::ArrayBuilder>(mut b: B) -> ArrayRef {
        b.finish()
    }
    let mut works_columns = vec![
        a(id),
        a(doi),
        a(title),
        a(year),
        a(date),
        a(kind),
        a(cited),
        a(venue_id),
        a(venue),
        a(venue_type),
        a(language),
        a(retracted),
        a(n_auth),
        a(updated),
        a(order),
    ];
    works_columns.extend(status.into_iter().map(a));
    vec![
        (Table::Works, batch(Table::Works, works_columns)),
        (
            Table::Authorships,
            batch(
                Table::Authorships,
                vec![
                    a(a_work),
                    a(a_pos),
                    a(a_author_position),
                    a(a_author),
                    a(a_name),
                    a(a_orcid),
                    a(a_corr),
                    a(a_ncountries),
                    a(a_ninst),
                    a(a_raw),
                ],
            ),
        ),
        (
            Table::AuthorshipCountries,
            batch(
                Table::AuthorshipCountries,
                vec![a(c_work), a(c_pos), a(c_country)],
            ),
        ),
        (
            Table::AuthorshipInstitutions,
            batch(
                Table::AuthorshipInstitutions,
                vec![a(i_work), a(i_pos), a(i_inst), a(i_country)],
            ),
        ),
        (
            Table::WorkTopics,
            batch(
                Table::WorkTopics,
                vec![
                    a(t_work),
                    a(t_topic),
                    a(t_name),
                    a(t_score),
                    a(t_primary),
                    a(t_subfield),
                    a(t_subfield_name),
                    a(t_field),
                    a(t_field_name),
                    a(t_domain),
                ],
            ),
        ),
        (
            Table::WorkConcepts,
            batch(
                Table::WorkConcepts,
                vec![a(k_work), a(k_concept), a(k_name), a(k_level), a(k_score)],
            ),
        ),
        (
            Table::WorkCountries,
            batch(
                Table::WorkCountries,
                vec![a(wc_work), a(wc_country), a(wc_frac)],
            ),
        ),
        (
            Table::WorkInstitutions,
            batch(Table::WorkInstitutions, {
                let mut columns = vec![
                    a(wi_work),
                    a(wi_inst),
                    a(wi_country),
                    a(wi_frac),
                    a(wi_first),
                    a(wi_year),
                    a(wi_cites),
                ];
                columns.extend(wi_status.into_iter().map(a));
                columns
            }),
        ),
        (Table::WorkAuthors, {
            let mut columns = vec![a(au_work), a(au_author), a(au_year), a(au_cites)];
            columns.extend(au_status.into_iter().map(a));
            batch(Table::WorkAuthors, columns)
        }),
        (
            Table::WorkAuthorCountries,
            batch(
                Table::WorkAuthorCountries,
                vec![a(wa_work), a(wa_author), a(wa_year), a(wa_country), a(wa_n)],
            ),
        ),
    ]
}

/// A work's (author, country) pairs with the number of the author's
/// authorships in the work that have the country: the fast path of
/// `sql/derived/work_author_countries.sql` (what the work adds to its
/// authors' career tallies). Authorships without an author id add nothing.
pub fn author_countries(w: &Work) -> BTreeMap<(&str, &str), i32> {
    let mut tally = BTreeMap::new();
    for a in &w.authorships {
        let Some(author) = a.author.as_deref() else {
            continue;
        };
        for c in &a.countries {
            *tally.entry((author, c.as_str())).or_insert(0) += 1;
        }
    }
    tally
}

/// A work's countries with their fractional share of it: the fast path of
/// `sql/derived/work_countries.sql`, by the rule of
/// `sql/derived/authorship_shares.sql`, sorted by country.
pub fn country_shares(w: &Work) -> BTreeMap<&str, f64> {
    let counted = w.authorships.iter().filter(|a| !a.countries.is_empty());
    let n = counted.clone().count();
    let mut shares = BTreeMap::new();
    for a in counted {
        let part = 1.0 / (n * a.countries.len()) as f64;
        for c in &a.countries {
            *shares.entry(c.as_str()).or_insert(0.0) += part;
        }
    }
    shares
}

/// A work's (institution, country) pairs with their fractional share of
/// it: the fast path of `sql/derived/work_institutions.sql`, by the rule of
/// `sql/derived/authorship_shares.sql` (an institution listed twice in an
/// authorship takes the greater of its countries).
pub fn institution_shares(w: &Work) -> BTreeMap<(&str, Option<&str>), f64> {
    let per_authorship: Vec<BTreeMap<&str, Option<&str>>> = w
        .authorships
        .iter()
        .filter(|a| !a.institutions.is_empty())
        .map(|a| {
            let mut distinct: BTreeMap<&str, Option<&str>> = BTreeMap::new();
            for (inst, country) in &a.institutions {
                let c = distinct.entry(inst.as_str()).or_insert(None);
                *c = (*c).max(country.as_deref());
            }
            distinct
        })
        .collect();
    let n = per_authorship.len();
    let mut shares = BTreeMap::new();
    for distinct in &per_authorship {
        let part = 1.0 / (n * distinct.len()) as f64;
        for (&inst, &country) in distinct {
            *shares.entry((inst, country)).or_insert(0.0) += part;
        }
    }
    shares
}

/// Author entities waiting to be written.
#[derive(Default)]
pub struct AuthorBuffer {
    pub authors: Vec<Author>,
}

impl AuthorBuffer {
    pub fn len(&self) -> usize {
        self.authors.len()
    }

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
