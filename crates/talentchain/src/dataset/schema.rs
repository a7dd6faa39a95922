//! The columnar dataset's tables and their Arrow schemas: the one contract
//! between ingest (which writes them) and the metrics (which query them).
//!
//! Every table is a folder of Parquet files under the dataset root
//! (`DATASET/<table>/part-NNNNNN.parquet`). Ids are kept in OpenAlex short
//! form (`W123`, `A123`, `I123`, `T123`, `C123`, `S123`); country codes are
//! upper-case ISO-3166 alpha-2. The README ("The dataset") describes each table.
//!
//! Some columns and tables are *derived*: ingest computes them from the
//! other rows of the same work, so that the metrics need not join and
//! aggregate tens of millions of rows at each query (the `status_*` columns
//! of `works`, `work_countries`, `work_institutions`,
//! `work_authors`, `work_author_countries`, `work_author_institutions`, and
//! `author_years`, which the
//! last step of an ingest computes over all works). Each is defined by its
//! SQL (`crates/talentchain/sql/derived/`), which a test checks ingest's
//! faster Rust path against; the metrics read them and nothing else.

use std::sync::{Arc, LazyLock};

use arrow::datatypes::{DataType, Field, Schema, SchemaRef};

/// Version of the dataset layout, written into `manifest.json`. Bump it when a
/// table or column changes meaning, so that old datasets are refused clearly.
/// 3: `institutions.lineage_root` (and so `work_roots`) follows the lineage
/// up to the top (a root has no root above it).
/// 4: `works.source`, `decision`, `elite`, `gs_citations` and
/// `authorships.career_position` (paper lists).
/// 5: `work_author_institutions` (the careers' institutions, stored as
/// their countries are).
pub const SCHEMA_VERSION: u32 = 5;

/// One table of the dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    /// One row per work.
    Works,
    /// One row per authorship (author slot) of a work.
    Authorships,
    /// One row per country of an authorship.
    AuthorshipCountries,
    /// One row per institution of an authorship.
    AuthorshipInstitutions,
    /// One row per topic of a work.
    WorkTopics,
    /// One row per concept of a work.
    WorkConcepts,
    /// Derived: one row per work and country, with its fractional share.
    WorkCountries,
    /// Derived: one row per work, institution and country, with its fractional share.
    WorkInstitutions,
    /// Derived: one row per work with a year and each author of it.
    WorkAuthors,
    /// Derived: one row per work with a year, author and country.
    WorkAuthorCountries,
    /// Derived: one row per work with a year, author and institution.
    WorkAuthorInstitutions,
    /// Derived over all works: one row per author and year (the stored careers).
    AuthorYears,
    /// Derived over all works: `work_institutions` by lineage root.
    WorkRoots,
    /// One row per institution.
    Institutions,
    /// One row per author entity.
    Authors,
    /// One row per author entity, institution and affiliation year.
    AuthorAffiliations,
}

impl Table {
    /// Every table, in the order `talentchain tables` lists them.
    pub const ALL: [Table; 16] = [
        Table::Works,
        Table::Authorships,
        Table::AuthorshipCountries,
        Table::AuthorshipInstitutions,
        Table::WorkTopics,
        Table::WorkConcepts,
        Table::WorkCountries,
        Table::WorkInstitutions,
        Table::WorkAuthors,
        Table::WorkAuthorCountries,
        Table::WorkAuthorInstitutions,
        Table::AuthorYears,
        Table::WorkRoots,
        Table::Institutions,
        Table::Authors,
        Table::AuthorAffiliations,
    ];

    /// The tables whose rows belong to one work (keyed by `work`, or `id` for
    /// `works` itself). A work read twice is deduplicated across all of them.
    pub const WORK_TABLES: [Table; 11] = [
        Table::Works,
        Table::Authorships,
        Table::AuthorshipCountries,
        Table::AuthorshipInstitutions,
        Table::WorkTopics,
        Table::WorkConcepts,
        Table::WorkCountries,
        Table::WorkInstitutions,
        Table::WorkAuthors,
        Table::WorkAuthorCountries,
        Table::WorkAuthorInstitutions,
    ];

    /// The derived tables (see the module documentation).
    pub fn is_derived(self) -> bool {
        matches!(
            self,
            Table::WorkCountries
                | Table::WorkInstitutions
                | Table::WorkAuthors
                | Table::WorkAuthorCountries
                | Table::WorkAuthorInstitutions
                | Table::AuthorYears
                | Table::WorkRoots
        )
    }

    /// The table's name in SQL and its folder name in the dataset.
    pub fn name(self) -> &'static str {
        match self {
            Table::Works => "works",
            Table::Authorships => "authorships",
            Table::AuthorshipCountries => "authorship_countries",
            Table::AuthorshipInstitutions => "authorship_institutions",
            Table::WorkTopics => "work_topics",
            Table::WorkConcepts => "work_concepts",
            Table::WorkCountries => "work_countries",
            Table::WorkInstitutions => "work_institutions",
            Table::WorkAuthors => "work_authors",
            Table::WorkAuthorCountries => "work_author_countries",
            Table::WorkAuthorInstitutions => "work_author_institutions",
            Table::AuthorYears => "author_years",
            Table::WorkRoots => "work_roots",
            Table::Institutions => "institutions",
            Table::Authors => "authors",
            Table::AuthorAffiliations => "author_affiliations",
        }
    }

    /// One line on what a row of the table is.
    pub fn description(self) -> &'static str {
        match self {
            Table::Works => "one row per work (deduplicated by id, latest updated_date wins)",
            Table::Authorships => "one row per authorship (author slot) of a work",
            Table::AuthorshipCountries => {
                "one row per country of an authorship: its `countries` plus its institutions' country codes"
            }
            Table::AuthorshipInstitutions => "one row per institution of an authorship",
            Table::WorkTopics => "one row per topic of a work, with its subfield, field and domain",
            Table::WorkConcepts => "one row per (legacy) concept of a work",
            Table::WorkCountries => {
                "derived: one row per work and country of its authorships, with the country's fractional share of the work"
            }
            Table::WorkInstitutions => {
                "derived: one row per work, institution and institution country, with the fractional share of the work"
            }
            Table::WorkAuthors => {
                "derived: one row per work with a year and author of it, with the work's citations and stored statuses"
            }
            Table::AuthorYears => {
                "derived at the end of ingest: one row per author and year with a work, with the year's main country and AI works by stored profile"
            }
            Table::WorkRoots => {
                "derived at the end of ingest: work_institutions by lineage root: one row per work, root and country"
            }
            Table::WorkAuthorCountries => {
                "derived: one row per work with a year, author and country: the author's authorships in the work with that country"
            }
            Table::WorkAuthorInstitutions => {
                "derived: one row per work with a year, author and institution: the author's authorships in the work at it, with its greatest country"
            }
            Table::Institutions => {
                "one row per institution: from institution entities, else as seen inside works"
            }
            Table::Authors => "one row per author entity (only when author entities were ingested)",
            Table::AuthorAffiliations => {
                "one row per author entity, institution and year (`affiliations[].years`)"
            }
        }
    }

    /// The table's Arrow schema.
    pub fn schema(self) -> SchemaRef {
        SCHEMAS[self as usize].clone()
    }
}

fn utf8(name: &str) -> Field {
    Field::new(name, DataType::Utf8, true)
}
fn key(name: &str) -> Field {
    Field::new(name, DataType::Utf8, false)
}
fn int32(name: &str) -> Field {
    Field::new(name, DataType::Int32, true)
}
fn int64(name: &str) -> Field {
    Field::new(name, DataType::Int64, true)
}
fn float64(name: &str) -> Field {
    Field::new(name, DataType::Float64, true)
}
fn boolean(name: &str) -> Field {
    Field::new(name, DataType::Boolean, true)
}

/// How many columns of `works` are base columns; the derived `status_*`
/// columns ([`crate::profile::stored_status_columns`]) follow them.
pub const WORKS_BASE_COLUMNS: usize = 19;

static SCHEMAS: LazyLock<[SchemaRef; 16]> = LazyLock::new(|| {
    let s = |fields: Vec<Field>| Arc::new(Schema::new(fields));
    let mut works = vec![
        key("id"),
        utf8("doi"),
        utf8("title"),
        int32("year"),
        utf8("publication_date"),
        utf8("type"),
        int64("cited_by_count"),
        utf8("venue_id"),
        utf8("venue"),
        utf8("venue_type"),
        utf8("language"),
        boolean("is_retracted"),
        int32("n_authorships"),
        utf8("updated_date"),
        int64("read_order"),
        key("source"),
        utf8("decision"),
        boolean("elite"),
        int64("gs_citations"),
    ];
    let statuses = || {
        crate::profile::stored_status_columns()
            .iter()
            .map(|(_, column)| utf8(column))
    };
    works.extend(statuses());
    let mut work_authors = vec![
        key("work"),
        key("author"),
        Field::new("year", DataType::Int32, false),
        int64("cites"),
    ];
    work_authors.extend(statuses());
    // Written by DataFusion (`ingest::finalize`), whose plan marks every
    // column nullable.
    // work_institutions, and work_roots with `root` for `institution`.
    let by_entity = |entity: &str, nullable: bool| {
        let mut v = vec![
            Field::new("work", DataType::Utf8, nullable),
            Field::new(entity, DataType::Utf8, nullable),
            utf8("country"),
            float64("fractional"),
            boolean("first"),
            int32("year"),
            int64("cites"),
        ];
        v.extend(statuses());
        v
    };
    let mut author_years = vec![
        utf8("author"),
        int32("year"),
        utf8("country"),
        int32("prev_year"),
        utf8("prev_country"),
    ];
    for (_, column) in crate::profile::stored_status_columns() {
        let profile = crate::profile::stored_suffix(column);
        author_years.push(int64(&format!("ai_works_{profile}")));
        author_years.push(int64(&format!("ai_citations_{profile}")));
    }
    [
        // works
        s(works),
        // authorships
        s(vec![
            key("work"),
            Field::new("position", DataType::Int32, false),
            utf8("author_position"),
            utf8("author"),
            utf8("author_name"),
            utf8("orcid"),
            boolean("is_corresponding"),
            int32("n_countries"),
            int32("n_institutions"),
            utf8("raw_affiliation"),
            utf8("career_position"),
        ]),
        // authorship_countries
        s(vec![
            key("work"),
            Field::new("position", DataType::Int32, false),
            key("country"),
        ]),
        // authorship_institutions
        s(vec![
            key("work"),
            Field::new("position", DataType::Int32, false),
            key("institution"),
            utf8("country"),
        ]),
        // work_topics
        s(vec![
            key("work"),
            key("topic"),
            utf8("name"),
            float64("score"),
            boolean("is_primary"),
            utf8("subfield"),
            utf8("subfield_name"),
            utf8("field"),
            utf8("field_name"),
            utf8("domain"),
        ]),
        // work_concepts
        s(vec![
            key("work"),
            key("concept"),
            utf8("name"),
            int32("level"),
            float64("score"),
        ]),
        // work_countries
        s(vec![key("work"), key("country"), float64("fractional")]),
        // work_institutions
        s(by_entity("institution", false)),
        // work_authors
        s(work_authors),
        // work_author_countries
        s(vec![
            key("work"),
            key("author"),
            Field::new("year", DataType::Int32, false),
            key("country"),
            Field::new("n", DataType::Int32, false),
        ]),
        // work_author_institutions
        s(vec![
            key("work"),
            key("author"),
            Field::new("year", DataType::Int32, false),
            key("institution"),
            utf8("country"),
            Field::new("n", DataType::Int32, false),
        ]),
        // author_years
        s(author_years),
        // work_roots (written by DataFusion: every column nullable)
        s(by_entity("root", true)),
        // institutions
        s(vec![
            key("id"),
            utf8("name"),
            utf8("ror"),
            utf8("country"),
            utf8("type"),
            utf8("sector"),
            utf8("lineage_root"),
            utf8("lineage"),
            int64("works_count"),
            utf8("source"),
            utf8("updated_date"),
            int64("read_order"),
        ]),
        // authors
        s(vec![
            key("id"),
            utf8("name"),
            utf8("orcid"),
            int64("works_count"),
            int64("cited_by_count"),
            utf8("last_known_institution"),
            utf8("updated_date"),
            int64("read_order"),
        ]),
        // author_affiliations
        s(vec![
            key("author"),
            key("institution"),
            Field::new("year", DataType::Int32, false),
            utf8("country"),
        ]),
    ]
});
