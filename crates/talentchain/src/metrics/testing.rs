//! Test support: tiny hand-made datasets, registered as in-memory tables with
//! the real schemas, so that every metric can be pinned on cases worked out by
//! hand.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray, UInt64Array,
};
use datafusion::datasource::MemTable;
use datafusion::prelude::{SessionConfig, SessionContext};
use datafusion::scalar::ScalarValue;

use crate::dataset::Table;
use crate::dataset::schema::WORKS_BASE_COLUMNS;

/// One authorship: its countries and its institutions with their countries.
#[derive(Debug, Clone, Default)]
pub struct Authorship {
    /// The author id (`A1`), or none (an authorship without author id).
    pub author: Option<String>,
    pub countries: Vec<String>,
    pub institutions: Vec<(String, Option<String>)>,
}

/// One work of a tiny world.
#[derive(Debug, Clone, Default)]
pub struct Work {
    pub id: String,
    pub year: Option<i32>,
    pub cites: i64,
    pub venue: Option<String>,
    pub venue_id: Option<String>,
    pub authorships: Vec<Authorship>,
    pub concepts: Vec<(String, f64)>,
    pub topics: Vec<(String, String, bool)>,
}

impl Work {
    /// Tag with the AI concept (C154945302, score 0.9): selected by `concepts`.
    pub fn ai(&mut self) -> &mut Self {
        self.concept("C154945302", 0.9)
    }
    pub fn concept(&mut self, id: &str, score: f64) -> &mut Self {
        self.concepts.push((id.into(), score));
        self
    }
    pub fn topic(&mut self, id: &str, subfield: &str, primary: bool) -> &mut Self {
        self.topics.push((id.into(), subfield.into(), primary));
        self
    }
    pub fn venue(&mut self, name: &str) -> &mut Self {
        self.venue = Some(name.into());
        self
    }
    pub fn venue_id(&mut self, id: &str) -> &mut Self {
        self.venue_id = Some(id.into());
        self
    }
    /// An authorship with these countries and no institution.
    pub fn author(&mut self, countries: &[&str]) -> &mut Self {
        self.authorships.push(Authorship {
            author: None,
            countries: countries.iter().map(|c| c.to_string()).collect(),
            institutions: vec![],
        });
        self
    }
    /// An authorship of `author` with these countries and no institution.
    pub fn by(&mut self, author: &str, countries: &[&str]) -> &mut Self {
        self.author(countries);
        self.authorships.last_mut().unwrap().author = Some(author.into());
        self
    }
    /// An authorship of `author` at these institutions `(id, country)`.
    pub fn by_at(&mut self, author: &str, institutions: &[(&str, &str)]) -> &mut Self {
        self.author_at(institutions);
        self.authorships.last_mut().unwrap().author = Some(author.into());
        self
    }
    /// An authorship at these institutions `(id, country)`; its countries are
    /// the institutions' countries (as ingest derives them).
    pub fn author_at(&mut self, institutions: &[(&str, &str)]) -> &mut Self {
        let mut countries: Vec<String> = Vec::new();
        for (_, c) in institutions {
            if !c.is_empty() && !countries.iter().any(|x| x == c) {
                countries.push(c.to_string());
            }
        }
        self.authorships.push(Authorship {
            author: None,
            countries,
            institutions: institutions
                .iter()
                .map(|(i, c)| (i.to_string(), (!c.is_empty()).then(|| c.to_string())))
                .collect(),
        });
        self
    }
}

/// One institution row.
#[derive(Debug, Clone)]
pub struct Institution {
    pub id: String,
    pub name: String,
    pub country: String,
    pub sector: String,
    pub lineage_root: String,
}

/// A tiny dataset built from compact literals.
#[derive(Debug, Default)]
pub struct TinyWorld {
    pub works: Vec<Work>,
    pub institutions: Vec<Institution>,
    /// Author entities `(id, name)`.
    pub authors: Vec<(String, String)>,
    /// Author entities' affiliation years `(author, institution, year, country)`.
    pub affiliations: Vec<(String, String, i32, Option<String>)>,
}

type Row = HashMap<&'static str, ScalarValue>;

fn s(v: &str) -> ScalarValue {
    ScalarValue::Utf8(Some(v.to_string()))
}
fn os(v: &Option<String>) -> ScalarValue {
    ScalarValue::Utf8(v.clone())
}
fn i32v(v: i32) -> ScalarValue {
    ScalarValue::Int32(Some(v))
}

impl TinyWorld {
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a work with a year and a citation count.
    pub fn work(&mut self, id: &str, year: i32, cites: i64) -> &mut Work {
        self.works.push(Work {
            id: id.into(),
            year: Some(year),
            cites,
            ..Work::default()
        });
        self.works.last_mut().unwrap()
    }

    /// Add a work without publication year.
    pub fn work_no_year(&mut self, id: &str, cites: i64) -> &mut Work {
        self.works.push(Work {
            id: id.into(),
            year: None,
            cites,
            ..Work::default()
        });
        self.works.last_mut().unwrap()
    }

    /// Add an institution (`root` = its lineage root).
    pub fn institution(
        &mut self,
        id: &str,
        name: &str,
        country: &str,
        sector: &str,
        root: &str,
    ) -> &mut Self {
        self.institutions.push(Institution {
            id: id.into(),
            name: name.into(),
            country: country.into(),
            sector: sector.into(),
            lineage_root: root.into(),
        });
        self
    }

    /// Add an author entity with a name.
    pub fn author_entity(&mut self, id: &str, name: &str) -> &mut Self {
        self.authors.push((id.into(), name.into()));
        self
    }

    /// Add an author entity's affiliation years at `institution` in `country`
    /// (`""`: no country).
    pub fn affiliation(
        &mut self,
        author: &str,
        institution: &str,
        country: &str,
        years: &[i32],
    ) -> &mut Self {
        for &y in years {
            let c = (!country.is_empty()).then(|| country.to_string());
            self.affiliations
                .push((author.into(), institution.into(), y, c));
        }
        self
    }

    fn rows(&self, table: Table) -> Vec<Row> {
        let mut out = Vec::new();
        match table {
            Table::Works => {
                for w in &self.works {
                    out.push(Row::from([
                        ("id", s(&w.id)),
                        ("year", ScalarValue::Int32(w.year)),
                        ("cited_by_count", ScalarValue::Int64(Some(w.cites))),
                        ("venue", os(&w.venue)),
                        ("venue_id", os(&w.venue_id)),
                        ("n_authorships", i32v(w.authorships.len() as i32)),
                    ]));
                }
            }
            Table::Authorships => {
                for w in &self.works {
                    for (p, a) in w.authorships.iter().enumerate() {
                        out.push(Row::from([
                            ("work", s(&w.id)),
                            ("position", i32v(p as i32)),
                            ("author", os(&a.author)),
                            ("n_countries", i32v(a.countries.len() as i32)),
                            ("n_institutions", i32v(a.institutions.len() as i32)),
                        ]));
                    }
                }
            }
            Table::AuthorshipCountries => {
                for w in &self.works {
                    for (p, a) in w.authorships.iter().enumerate() {
                        for c in &a.countries {
                            out.push(Row::from([
                                ("work", s(&w.id)),
                                ("position", i32v(p as i32)),
                                ("country", s(c)),
                            ]));
                        }
                    }
                }
            }
            Table::AuthorshipInstitutions => {
                for w in &self.works {
                    for (p, a) in w.authorships.iter().enumerate() {
                        for (i, c) in &a.institutions {
                            out.push(Row::from([
                                ("work", s(&w.id)),
                                ("position", i32v(p as i32)),
                                ("institution", s(i)),
                                ("country", os(c)),
                            ]));
                        }
                    }
                }
            }
            Table::WorkTopics => {
                for w in &self.works {
                    for (t, sf, primary) in &w.topics {
                        out.push(Row::from([
                            ("work", s(&w.id)),
                            ("topic", s(t)),
                            ("score", ScalarValue::Float64(Some(0.9))),
                            ("is_primary", ScalarValue::Boolean(Some(*primary))),
                            ("subfield", s(sf)),
                        ]));
                    }
                }
            }
            Table::WorkConcepts => {
                for w in &self.works {
                    for (c, score) in &w.concepts {
                        out.push(Row::from([
                            ("work", s(&w.id)),
                            ("concept", s(c)),
                            ("score", ScalarValue::Float64(Some(*score))),
                        ]));
                    }
                }
            }
            Table::Institutions => {
                for i in &self.institutions {
                    out.push(Row::from([
                        ("id", s(&i.id)),
                        ("name", s(&i.name)),
                        ("country", s(&i.country)),
                        ("sector", s(&i.sector)),
                        ("lineage_root", s(&i.lineage_root)),
                        ("source", s("entity")),
                    ]));
                }
            }
            Table::Authors => {
                for (id, name) in &self.authors {
                    out.push(Row::from([("id", s(id)), ("name", s(name))]));
                }
            }
            // Built by ingest's code in `context_stored`.
            Table::WorkCountries
            | Table::WorkInstitutions
            | Table::WorkAuthors
            | Table::WorkAuthorCountries
            | Table::AuthorYears
            | Table::WorkRoots => {}
            Table::AuthorAffiliations => {
                for (a, i, y, c) in &self.affiliations {
                    out.push(Row::from([
                        ("author", s(a)),
                        ("institution", s(i)),
                        ("year", i32v(*y)),
                        ("country", os(c)),
                    ]));
                }
            }
        }
        out
    }

    /// A session with the base dataset tables registered as `MemTable`s,
    /// without the derived ones (see [`crate::dataset`]): the metrics compute
    /// everything from the base tables.
    pub async fn context(&self) -> SessionContext {
        let ctx =
            SessionContext::new_with_config(SessionConfig::new().with_information_schema(true));
        for table in Table::ALL {
            if table.is_derived() {
                continue;
            }
            let mut schema = table.schema();
            if table == Table::Works {
                let base: Vec<usize> = (0..WORKS_BASE_COLUMNS).collect();
                schema = Arc::new(schema.project(&base).unwrap());
            }
            let rows = self.rows(table);
            let batch = if rows.is_empty() {
                RecordBatch::new_empty(schema.clone())
            } else {
                let cols: Vec<ArrayRef> = schema
                    .fields()
                    .iter()
                    .map(|f| {
                        let values = rows.iter().map(|r| {
                            r.get(f.name().as_str())
                                .cloned()
                                .unwrap_or_else(|| ScalarValue::try_from(f.data_type()).unwrap())
                        });
                        ScalarValue::iter_to_array(values).unwrap()
                    })
                    .collect();
                RecordBatch::try_new(schema.clone(), cols).unwrap()
            };
            let mem = MemTable::try_new(schema, vec![vec![batch]]).unwrap();
            ctx.register_table(table.name(), Arc::new(mem)).unwrap();
        }
        ctx
    }

    /// A session as ingest would make it: the work tables, derived ones
    /// included, are built from the works by ingest's own code
    /// ([`crate::ingest::parts::work_batches`]), `author_years` and
    /// `work_roots` by their SQL definitions, the other tables as in
    /// [`TinyWorld::context`]. The metrics read the derived tables.
    pub async fn context_stored(&self) -> SessionContext {
        let ctx = self.context().await;
        let mut works: Vec<crate::model::Work> = self.works.iter().map(Work::normalized).collect();
        works.sort_by(|a, b| a.id.cmp(&b.id));
        for (table, batch) in crate::ingest::parts::work_batches(&works) {
            let mem = MemTable::try_new(batch.schema(), vec![vec![batch]]).unwrap();
            ctx.deregister_table(table.name()).unwrap();
            ctx.register_table(table.name(), Arc::new(mem)).unwrap();
        }
        crate::engine::materialize(&ctx, "author_years", &crate::talent::author_years_sql(None))
            .await
            .unwrap();
        crate::engine::materialize(
            &ctx,
            "work_roots",
            &crate::metrics::institutions::work_roots_sql(None),
        )
        .await
        .unwrap();
        ctx
    }

    /// Both sessions, base tables only and as ingested, for the tests that
    /// pin a metric both ways.
    pub async fn contexts(&self) -> [(&'static str, SessionContext); 2] {
        [
            ("base tables", self.context().await),
            ("derived tables", self.context_stored().await),
        ]
    }
}

impl Work {
    /// The work as ingest normalizes it (the fields a tiny world has).
    fn normalized(&self) -> crate::model::Work {
        use crate::model as n;
        n::Work {
            id: self.id.clone(),
            year: self.year,
            cited_by_count: Some(self.cites),
            venue: self.venue.clone(),
            venue_id: self.venue_id.clone(),
            authorships: self
                .authorships
                .iter()
                .map(|a| n::Authorship {
                    author: a.author.clone(),
                    countries: {
                        let mut c = a.countries.clone();
                        c.sort();
                        c.dedup();
                        c
                    },
                    institutions: a.institutions.clone(),
                    ..n::Authorship::default()
                })
                .collect(),
            topics: self
                .topics
                .iter()
                .map(|(t, sf, primary)| n::Topic {
                    topic: t.clone(),
                    score: Some(0.9),
                    is_primary: *primary,
                    subfield: Some(sf.clone()),
                    ..n::Topic::default()
                })
                .collect(),
            concepts: self
                .concepts
                .iter()
                .map(|(c, score)| n::Concept {
                    concept: c.clone(),
                    score: Some(*score),
                    ..n::Concept::default()
                })
                .collect(),
            ..n::Work::default()
        }
    }
}

/// A column of a result as strings (nulls as `∅`), floats rounded to 6
/// decimals, for compact assertions.
pub fn column(batches: &[RecordBatch], name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for b in batches {
        let idx = b
            .schema()
            .index_of(name)
            .unwrap_or_else(|_| panic!("no column `{name}` in {:?}", b.schema()));
        let col = b.column(idx);
        for i in 0..b.num_rows() {
            if col.is_null(i) {
                out.push("∅".to_string());
            } else if let Some(a) = col.as_any().downcast_ref::<StringArray>() {
                out.push(a.value(i).to_string());
            } else if let Some(a) = col.as_any().downcast_ref::<Float64Array>() {
                let v = (a.value(i) * 1e6).round() / 1e6;
                out.push(format!("{v}"));
            } else if let Some(a) = col.as_any().downcast_ref::<Int64Array>() {
                out.push(a.value(i).to_string());
            } else if let Some(a) = col.as_any().downcast_ref::<UInt64Array>() {
                out.push(a.value(i).to_string());
            } else {
                let f = arrow::util::display::ArrayFormatter::try_new(col, &Default::default())
                    .unwrap();
                out.push(f.value(i).to_string());
            }
        }
    }
    out
}

/// Rows of some columns joined by `|`, for compact assertions.
pub fn rows(batches: &[RecordBatch], names: &[&str]) -> Vec<String> {
    let cols: Vec<Vec<String>> = names.iter().map(|n| column(batches, n)).collect();
    let n = cols.first().map_or(0, Vec::len);
    (0..n)
        .map(|i| {
            cols.iter()
                .map(|c| c[i].as_str())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect()
}
