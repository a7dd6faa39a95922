//! Normalized works → the Arrow batches of the work tables, one builder per
//! table. The base tables hold what the works say; the derived ones
//! (statuses, `work_countries`, `work_institutions`, `work_authors`,
//! `work_author_countries`, `work_author_institutions`) are the fast path of their SQL definitions
//! (`sql/derived/`, [`super::derive`]), which tests check equal on real and
//! generated works. Builders are sized from a count of the rows, so that
//! none grows (and copies) while a part is built.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use arrow::array::{
    ArrayBuilder, ArrayRef, BooleanBuilder, Float64Builder, Int32Builder, Int64Builder,
    RecordBatch, StringBuilder,
};

use crate::dataset::Table;
use crate::model::{Authorship, Work};
use crate::profile::stored_status_columns;

/// Row counts and string sizes of a slice of works, to size the builders.
struct Sizes {
    works: usize,
    authorships: usize,
    countries: usize,
    institutions: usize,
    topics: usize,
    concepts: usize,
    id: usize,
    title: usize,
    doi: usize,
    name: usize,
    raw: usize,
}

impl Sizes {
    fn of(works: &[Work]) -> Sizes {
        let mut s = Sizes {
            works: works.len(),
            authorships: 0,
            countries: 0,
            institutions: 0,
            topics: 0,
            concepts: 0,
            id: 0,
            title: 0,
            doi: 0,
            name: 0,
            raw: 0,
        };
        let (mut id, mut title, mut doi, mut name, mut raw) = (0, 0, 0, 0, 0);
        for w in works {
            s.authorships += w.authorships.len();
            s.topics += w.topics.len();
            s.concepts += w.concepts.len();
            id += w.id.len();
            title += w.title.as_ref().map_or(0, String::len);
            doi += w.doi.as_ref().map_or(0, String::len);
            for a in &w.authorships {
                s.countries += a.countries.len();
                s.institutions += a.institutions.len();
                name += a.author_name.as_ref().map_or(0, String::len);
                raw += a.raw_affiliation.as_ref().map_or(0, String::len);
            }
        }
        let per = |bytes: usize, rows: usize| bytes / rows.max(1) + 1;
        s.id = per(id, s.works);
        s.title = per(title, s.works);
        s.doi = per(doi, s.works);
        s.name = per(name, s.authorships);
        s.raw = per(raw, s.authorships);
        s
    }

    /// A string builder for `rows` strings of about `avg` bytes.
    fn strings(rows: usize, avg: usize) -> StringBuilder {
        StringBuilder::with_capacity(rows, rows * avg)
    }

    /// A builder of ids for `rows` rows.
    fn ids(&self, rows: usize) -> StringBuilder {
        Sizes::strings(rows, self.id)
    }
}

fn finish<B: ArrayBuilder>(mut b: B) -> ArrayRef {
    b.finish()
}

fn batch(table: Table, columns: Vec<ArrayRef>) -> (Table, RecordBatch) {
    let b = RecordBatch::try_new(table.schema(), columns).expect("columns match the table schema");
    (table, b)
}

/// The status builders of the stored profiles, one per column.
fn status_builders(rows: usize) -> Vec<StringBuilder> {
    stored_status_columns()
        .iter()
        .map(|_| Sizes::strings(rows, 8))
        .collect()
}

/// The base work tables' batches ([`Table::WORK_TABLES`] that are not
/// derived), `works` without its status columns.
struct Base {
    id: StringBuilder,
    doi: StringBuilder,
    title: StringBuilder,
    year: Int32Builder,
    date: StringBuilder,
    kind: StringBuilder,
    cited: Int64Builder,
    venue_id: StringBuilder,
    venue: StringBuilder,
    venue_type: StringBuilder,
    language: StringBuilder,
    retracted: BooleanBuilder,
    n_authorships: Int32Builder,
    updated: StringBuilder,
    order: Int64Builder,
    source: StringBuilder,
    decision: StringBuilder,
    elite: BooleanBuilder,
    gs_citations: Int64Builder,
    authorships: Authorships,
    topics: Topics,
    concepts: Concepts,
}

/// `authorships`, `authorship_countries`, `authorship_institutions`.
struct Authorships {
    work: StringBuilder,
    position: Int32Builder,
    author_position: StringBuilder,
    author: StringBuilder,
    name: StringBuilder,
    orcid: StringBuilder,
    corresponding: BooleanBuilder,
    n_countries: Int32Builder,
    n_institutions: Int32Builder,
    raw: StringBuilder,
    career_position: StringBuilder,
    c_work: StringBuilder,
    c_position: Int32Builder,
    c_country: StringBuilder,
    i_work: StringBuilder,
    i_position: Int32Builder,
    i_institution: StringBuilder,
    i_country: StringBuilder,
}

struct Topics {
    work: StringBuilder,
    topic: StringBuilder,
    name: StringBuilder,
    score: Float64Builder,
    primary: BooleanBuilder,
    subfield: StringBuilder,
    subfield_name: StringBuilder,
    field: StringBuilder,
    field_name: StringBuilder,
    domain: StringBuilder,
}

struct Concepts {
    work: StringBuilder,
    concept: StringBuilder,
    name: StringBuilder,
    level: Int32Builder,
    score: Float64Builder,
}

impl Authorships {
    fn new(s: &Sizes) -> Authorships {
        let n = s.authorships;
        Authorships {
            work: s.ids(n),
            position: Int32Builder::with_capacity(n),
            author_position: Sizes::strings(n, 6),
            author: s.ids(n),
            name: Sizes::strings(n, s.name),
            orcid: Sizes::strings(n, 19),
            corresponding: BooleanBuilder::with_capacity(n),
            n_countries: Int32Builder::with_capacity(n),
            n_institutions: Int32Builder::with_capacity(n),
            raw: Sizes::strings(n, s.raw),
            career_position: StringBuilder::new(),
            c_work: s.ids(s.countries),
            c_position: Int32Builder::with_capacity(s.countries),
            c_country: Sizes::strings(s.countries, 2),
            i_work: s.ids(s.institutions),
            i_position: Int32Builder::with_capacity(s.institutions),
            i_institution: s.ids(s.institutions),
            i_country: Sizes::strings(s.institutions, 2),
        }
    }

    fn push(&mut self, w: &Work) {
        for (pos, a) in w.authorships.iter().enumerate() {
            let pos = pos as i32;
            self.work.append_value(&w.id);
            self.position.append_value(pos);
            self.author_position
                .append_option(a.author_position.as_deref());
            self.author.append_option(a.author.as_deref());
            self.name.append_option(a.author_name.as_deref());
            self.orcid.append_option(a.orcid.as_deref());
            self.corresponding.append_option(a.is_corresponding);
            self.n_countries.append_value(a.countries.len() as i32);
            self.n_institutions
                .append_value(a.institutions.len() as i32);
            self.raw.append_option(a.raw_affiliation.as_deref());
            self.career_position
                .append_option(a.career_position.as_deref());
            for c in &a.countries {
                self.c_work.append_value(&w.id);
                self.c_position.append_value(pos);
                self.c_country.append_value(c);
            }
            for (inst, country) in &a.institutions {
                self.i_work.append_value(&w.id);
                self.i_position.append_value(pos);
                self.i_institution.append_value(inst);
                self.i_country.append_option(country.as_deref());
            }
        }
    }

    fn finish(self) -> [(Table, RecordBatch); 3] {
        [
            batch(
                Table::Authorships,
                vec![
                    finish(self.work),
                    finish(self.position),
                    finish(self.author_position),
                    finish(self.author),
                    finish(self.name),
                    finish(self.orcid),
                    finish(self.corresponding),
                    finish(self.n_countries),
                    finish(self.n_institutions),
                    finish(self.raw),
                    finish(self.career_position),
                ],
            ),
            batch(
                Table::AuthorshipCountries,
                vec![
                    finish(self.c_work),
                    finish(self.c_position),
                    finish(self.c_country),
                ],
            ),
            batch(
                Table::AuthorshipInstitutions,
                vec![
                    finish(self.i_work),
                    finish(self.i_position),
                    finish(self.i_institution),
                    finish(self.i_country),
                ],
            ),
        ]
    }
}

impl Topics {
    fn new(s: &Sizes) -> Topics {
        let n = s.topics;
        Topics {
            work: s.ids(n),
            topic: Sizes::strings(n, 6),
            name: Sizes::strings(n, 40),
            score: Float64Builder::with_capacity(n),
            primary: BooleanBuilder::with_capacity(n),
            subfield: Sizes::strings(n, 4),
            subfield_name: Sizes::strings(n, 32),
            field: Sizes::strings(n, 2),
            field_name: Sizes::strings(n, 32),
            domain: Sizes::strings(n, 1),
        }
    }

    fn push(&mut self, w: &Work) {
        for t in &w.topics {
            self.work.append_value(&w.id);
            self.topic.append_value(&t.topic);
            self.name.append_option(t.name.as_deref());
            self.score.append_option(t.score);
            self.primary.append_value(t.is_primary);
            self.subfield.append_option(t.subfield.as_deref());
            self.subfield_name.append_option(t.subfield_name.as_deref());
            self.field.append_option(t.field.as_deref());
            self.field_name.append_option(t.field_name.as_deref());
            self.domain.append_option(t.domain.as_deref());
        }
    }

    fn finish(self) -> (Table, RecordBatch) {
        batch(
            Table::WorkTopics,
            vec![
                finish(self.work),
                finish(self.topic),
                finish(self.name),
                finish(self.score),
                finish(self.primary),
                finish(self.subfield),
                finish(self.subfield_name),
                finish(self.field),
                finish(self.field_name),
                finish(self.domain),
            ],
        )
    }
}

impl Concepts {
    fn new(s: &Sizes) -> Concepts {
        let n = s.concepts;
        Concepts {
            work: s.ids(n),
            concept: Sizes::strings(n, 11),
            name: Sizes::strings(n, 20),
            level: Int32Builder::with_capacity(n),
            score: Float64Builder::with_capacity(n),
        }
    }

    fn push(&mut self, w: &Work) {
        for c in &w.concepts {
            self.work.append_value(&w.id);
            self.concept.append_value(&c.concept);
            self.name.append_option(c.name.as_deref());
            self.level.append_option(c.level);
            self.score.append_option(c.score);
        }
    }

    fn finish(self) -> (Table, RecordBatch) {
        batch(
            Table::WorkConcepts,
            vec![
                finish(self.work),
                finish(self.concept),
                finish(self.name),
                finish(self.level),
                finish(self.score),
            ],
        )
    }
}

impl Base {
    fn new(s: &Sizes) -> Base {
        let n = s.works;
        Base {
            id: s.ids(n),
            doi: Sizes::strings(n, s.doi),
            title: Sizes::strings(n, s.title),
            year: Int32Builder::with_capacity(n),
            date: Sizes::strings(n, 10),
            kind: Sizes::strings(n, 8),
            cited: Int64Builder::with_capacity(n),
            venue_id: s.ids(n),
            venue: Sizes::strings(n, 32),
            venue_type: Sizes::strings(n, 8),
            language: Sizes::strings(n, 2),
            retracted: BooleanBuilder::with_capacity(n),
            n_authorships: Int32Builder::with_capacity(n),
            updated: Sizes::strings(n, 10),
            order: Int64Builder::with_capacity(n),
            source: Sizes::strings(n, 8),
            decision: StringBuilder::new(),
            elite: BooleanBuilder::with_capacity(n),
            gs_citations: Int64Builder::with_capacity(n),
            authorships: Authorships::new(s),
            topics: Topics::new(s),
            concepts: Concepts::new(s),
        }
    }

    fn push(&mut self, w: &Work) {
        self.id.append_value(&w.id);
        self.doi.append_option(w.doi.as_deref());
        self.title.append_option(w.title.as_deref());
        self.year.append_option(w.year);
        self.date.append_option(w.publication_date.as_deref());
        self.kind.append_option(w.kind.as_deref());
        self.cited.append_option(w.cited_by_count);
        self.venue_id.append_option(w.venue_id.as_deref());
        self.venue.append_option(w.venue.as_deref());
        self.venue_type.append_option(w.venue_type.as_deref());
        self.language.append_option(w.language.as_deref());
        self.retracted.append_option(w.is_retracted);
        self.n_authorships.append_value(w.authorships.len() as i32);
        self.updated.append_option(w.updated_date.as_deref());
        self.order.append_value(w.read_order);
        self.source.append_value(w.source.as_str());
        self.decision.append_option(w.decision.as_deref());
        self.elite.append_option(w.elite);
        self.gs_citations.append_option(w.gs_citations);
        self.authorships.push(w);
        self.topics.push(w);
        self.concepts.push(w);
    }

    /// The base tables' batches; `works` ends with `statuses` (none: the
    /// base columns only).
    fn finish(self, statuses: Vec<ArrayRef>) -> Vec<(Table, RecordBatch)> {
        let mut works = vec![
            finish(self.id),
            finish(self.doi),
            finish(self.title),
            finish(self.year),
            finish(self.date),
            finish(self.kind),
            finish(self.cited),
            finish(self.venue_id),
            finish(self.venue),
            finish(self.venue_type),
            finish(self.language),
            finish(self.retracted),
            finish(self.n_authorships),
            finish(self.updated),
            finish(self.order),
            finish(self.source),
            finish(self.decision),
            finish(self.elite),
            finish(self.gs_citations),
        ];
        let works = if statuses.is_empty() {
            let schema = Table::Works.schema();
            let base: Vec<usize> = (0..works.len()).collect();
            let schema = Arc::new(schema.project(&base).expect("base columns"));
            (
                Table::Works,
                RecordBatch::try_new(schema, works).expect("columns match the schema"),
            )
        } else {
            works.extend(statuses);
            batch(Table::Works, works)
        };
        let mut out = vec![works];
        out.extend(self.authorships.finish());
        out.push(self.topics.finish());
        out.push(self.concepts.finish());
        out
    }
}

/// The derived work tables and the statuses: the fast path of
/// `sql/derived/` and `sql/selection/ai_status.sql`.
struct Derived {
    status: Vec<StringBuilder>,
    wc_work: StringBuilder,
    wc_country: StringBuilder,
    wc_fractional: Float64Builder,
    wi_work: StringBuilder,
    wi_institution: StringBuilder,
    wi_country: StringBuilder,
    wi_fractional: Float64Builder,
    wi_first: BooleanBuilder,
    wi_year: Int32Builder,
    wi_cites: Int64Builder,
    wi_status: Vec<StringBuilder>,
    au_work: StringBuilder,
    au_author: StringBuilder,
    au_year: Int32Builder,
    au_cites: Int64Builder,
    au_status: Vec<StringBuilder>,
    wa_work: StringBuilder,
    wa_author: StringBuilder,
    wa_year: Int32Builder,
    wa_country: StringBuilder,
    wa_n: Int32Builder,
    wai_work: StringBuilder,
    wai_author: StringBuilder,
    wai_year: Int32Builder,
    wai_institution: StringBuilder,
    wai_country: StringBuilder,
    wai_n: Int32Builder,
}

impl Derived {
    fn new(s: &Sizes) -> Derived {
        Derived {
            status: status_builders(s.works),
            wc_work: s.ids(s.countries),
            wc_country: Sizes::strings(s.countries, 2),
            wc_fractional: Float64Builder::with_capacity(s.countries),
            wi_work: s.ids(s.institutions),
            wi_institution: s.ids(s.institutions),
            wi_country: Sizes::strings(s.institutions, 2),
            wi_fractional: Float64Builder::with_capacity(s.institutions),
            wi_first: BooleanBuilder::with_capacity(s.institutions),
            wi_year: Int32Builder::with_capacity(s.institutions),
            wi_cites: Int64Builder::with_capacity(s.institutions),
            wi_status: status_builders(s.institutions),
            au_work: s.ids(s.authorships),
            au_author: s.ids(s.authorships),
            au_year: Int32Builder::with_capacity(s.authorships),
            au_cites: Int64Builder::with_capacity(s.authorships),
            au_status: status_builders(s.authorships),
            wa_work: s.ids(s.countries),
            wa_author: s.ids(s.countries),
            wa_year: Int32Builder::with_capacity(s.countries),
            wa_country: Sizes::strings(s.countries, 2),
            wa_n: Int32Builder::with_capacity(s.countries),
            wai_work: s.ids(s.institutions),
            wai_author: s.ids(s.institutions),
            wai_year: Int32Builder::with_capacity(s.institutions),
            wai_institution: s.ids(s.institutions),
            wai_country: Sizes::strings(s.institutions, 2),
            wai_n: Int32Builder::with_capacity(s.institutions),
        }
    }

    fn push(&mut self, w: &Work) {
        let statuses: Vec<&str> = stored_status_columns()
            .iter()
            .map(|(profile, _)| profile.status_of(w).as_str())
            .collect();
        let append = |builders: &mut Vec<StringBuilder>| {
            for (b, s) in builders.iter_mut().zip(&statuses) {
                b.append_value(s);
            }
        };
        append(&mut self.status);
        for (country, fractional) in country_shares(w) {
            self.wc_work.append_value(&w.id);
            self.wc_country.append_value(country);
            self.wc_fractional.append_value(fractional);
        }
        let mut previous = None;
        for ((institution, country), fractional) in institution_shares(w) {
            self.wi_work.append_value(&w.id);
            self.wi_institution.append_value(institution);
            self.wi_country.append_option(country);
            self.wi_fractional.append_value(fractional);
            // Rows come sorted by institution: the first of each.
            self.wi_first.append_value(previous != Some(institution));
            previous = Some(institution);
            self.wi_year.append_option(w.year);
            self.wi_cites.append_option(w.cited_by_count);
            append(&mut self.wi_status);
        }
        let Some(year) = w.year else { return };
        let authors: BTreeSet<&str> = w
            .authorships
            .iter()
            .filter_map(|a| a.author.as_deref())
            .collect();
        for author in authors {
            self.au_work.append_value(&w.id);
            self.au_author.append_value(author);
            self.au_year.append_value(year);
            self.au_cites.append_option(w.cited_by_count);
            append(&mut self.au_status);
        }
        for ((author, country), n) in author_countries(w) {
            self.wa_work.append_value(&w.id);
            self.wa_author.append_value(author);
            self.wa_year.append_value(year);
            self.wa_country.append_value(country);
            self.wa_n.append_value(n);
        }
        for ((author, institution), (country, n)) in author_institutions(w) {
            self.wai_work.append_value(&w.id);
            self.wai_author.append_value(author);
            self.wai_year.append_value(year);
            self.wai_institution.append_value(institution);
            self.wai_country.append_option(country);
            self.wai_n.append_value(n);
        }
    }

    /// The statuses (the last columns of `works`) and the derived tables.
    fn finish(self) -> (Vec<ArrayRef>, Vec<(Table, RecordBatch)>) {
        let statuses = self.status.into_iter().map(finish).collect();
        let mut institutions = vec![
            finish(self.wi_work),
            finish(self.wi_institution),
            finish(self.wi_country),
            finish(self.wi_fractional),
            finish(self.wi_first),
            finish(self.wi_year),
            finish(self.wi_cites),
        ];
        institutions.extend(self.wi_status.into_iter().map(finish));
        let mut authors = vec![
            finish(self.au_work),
            finish(self.au_author),
            finish(self.au_year),
            finish(self.au_cites),
        ];
        authors.extend(self.au_status.into_iter().map(finish));
        let tables = vec![
            batch(
                Table::WorkCountries,
                vec![
                    finish(self.wc_work),
                    finish(self.wc_country),
                    finish(self.wc_fractional),
                ],
            ),
            batch(Table::WorkInstitutions, institutions),
            batch(Table::WorkAuthors, authors),
            batch(
                Table::WorkAuthorCountries,
                vec![
                    finish(self.wa_work),
                    finish(self.wa_author),
                    finish(self.wa_year),
                    finish(self.wa_country),
                    finish(self.wa_n),
                ],
            ),
            batch(
                Table::WorkAuthorInstitutions,
                vec![
                    finish(self.wai_work),
                    finish(self.wai_author),
                    finish(self.wai_year),
                    finish(self.wai_institution),
                    finish(self.wai_country),
                    finish(self.wai_n),
                ],
            ),
        ];
        (statuses, tables)
    }
}

/// Every work table's batch ([`Table::WORK_TABLES`], base and derived) for
/// sorted works, in that order.
pub fn work_batches(works: &[Work]) -> Vec<(Table, RecordBatch)> {
    let sizes = Sizes::of(works);
    let mut base = Base::new(&sizes);
    let mut derived = Derived::new(&sizes);
    for w in works {
        base.push(w);
        derived.push(w);
    }
    let (statuses, tables) = derived.finish();
    let mut out = base.finish(statuses);
    out.extend(tables);
    out
}

/// The base work tables' batches only, `works` without its status columns:
/// what the SQL definitions derive from ([`super::derive`]).
pub fn base_batches(works: &[Work]) -> Vec<(Table, RecordBatch)> {
    let mut base = Base::new(&Sizes::of(works));
    for w in works {
        base.push(w);
    }
    base.finish(Vec::new())
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

/// A work's (author, institution) pairs with the institution's greatest
/// country and the number of the author's authorships in the work at it:
/// the fast path of `sql/derived/work_author_institutions.sql` (what the
/// work adds to its authors' career institutions). An institution listed
/// twice in one authorship counts once; authorships without an author id
/// add nothing.
pub fn author_institutions(w: &Work) -> BTreeMap<(&str, &str), (Option<&str>, i32)> {
    let mut tally: BTreeMap<(&str, &str), (Option<&str>, i32)> = BTreeMap::new();
    for a in &w.authorships {
        let Some(author) = a.author.as_deref() else {
            continue;
        };
        for (inst, country) in distinct_institutions(a) {
            let e = tally.entry((author, inst)).or_insert((None, 0));
            e.0 = e.0.max(country);
            e.1 += 1;
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
        .map(distinct_institutions)
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

/// An authorship's institutions, each once with its greatest country: the
/// rule of `sql/derived/authorship_shares.sql` for an institution listed
/// twice in one authorship.
fn distinct_institutions(a: &Authorship) -> BTreeMap<&str, Option<&str>> {
    let mut distinct: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    for (inst, country) in &a.institutions {
        let c = distinct.entry(inst.as_str()).or_insert(None);
        *c = (*c).max(country.as_deref());
    }
    distinct
}
