//! `talentchain demo`: a synthetic AI talent world written as an OpenAlex
//! snapshot, with its ground truth beside it.
//!
//! It is the newcomer's first run (no download, no API key) and the
//! generator of large test and benchmark corpora. The world is calibrated on
//! public figures (`calibration`), its actors and careers live in `world`,
//! the records are native OpenAlex JSON (`openalex`), and what really
//! happened is written to CSV (`truth`). Output layout:
//!
//! ```text
//! OUT/openalex/works/updated_date=2026-11-01/part_000.gz … part_NNN.gz
//! OUT/openalex/works/manifest
//! OUT/openalex/authors/updated_date=2026-11-01/part_000.gz, OUT/openalex/authors/manifest
//! OUT/openalex/institutions/updated_date=2026-11-01/part_000.gz, OUT/openalex/institutions/manifest
//! OUT/truth.csv, OUT/truth_researchers.csv
//! ```
//!
//! Same config, same bytes. Works are generated and written streaming, one
//! researcher at a time; with `parts > 1` the part files are written on
//! several threads. Every random draw comes from a stream derived from the
//! seed and the researcher's index, so a work's content does not depend on
//! `parts`, and the drop knobs remove records without changing the others.

pub mod calibration;
pub mod openalex;
pub mod truth;
pub mod world;

#[cfg(test)]
mod tests;

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, bail};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde::Serialize;

use calibration::COUNTRIES;
use openalex::{
    Associated, AuthorAffiliation, AuthorEntity, AuthorIds, DehydratedInstitution, Geo,
    InstitutionEntity, InstitutionIds, PARTITION_DATE, UPDATED_DATE, WorkGen, WorkKnobs, short,
};
pub use world::Policy;
use world::World;

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoConfig {
    /// Seed of every random draw; default 42.
    pub seed: u64,
    /// Number of researchers; default 2000.
    pub researchers: usize,
    /// First publication year; default 2010.
    pub from: i32,
    /// Last publication year (inclusive); default 2024.
    pub to: i32,
    /// Add the bulk of real records (abstract, references, locations, …),
    /// ≈ 5–7 KB of JSON per work; default false.
    pub full_records: bool,
    /// Share of works that are AI by venue, concepts and topics alike;
    /// default 0.8.
    pub ai_share: f64,
    /// Share of works left out of the output (the truth is unchanged);
    /// default 0.
    pub drop_papers: f64,
    /// Share of authorships whose institutions and countries are emptied;
    /// default 0.
    pub drop_affiliations: f64,
    /// Chance that an interior career year (neither the first nor the last)
    /// has no paper led by the researcher; default 0.08. At 0, every active
    /// year has at least one paper, so every true career year is observed
    /// (the talent ground-truth tests rely on it).
    pub gap_share: f64,
    /// Number of works part files; default 1.
    pub parts: usize,
    /// Keep adding researchers until the works JSON reaches about this many
    /// (uncompressed) bytes; `researchers` is then a minimum.
    pub target_bytes: Option<u64>,
    /// A policy of the world: from its year on, moves of one origin into one
    /// country happen `factor` times as often (the ground truth of a
    /// scenario projection); default none. Careers it does not touch are the
    /// same as without it.
    pub policy: Option<Policy>,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            seed: 42,
            researchers: 2000,
            from: 2010,
            to: 2024,
            full_records: false,
            ai_share: 0.8,
            drop_papers: 0.0,
            drop_affiliations: 0.0,
            gap_share: 0.08,
            parts: 1,
            target_bytes: None,
            policy: None,
        }
    }
}

/// What was generated, and where.
#[derive(Debug, Clone)]
pub struct DemoOutput {
    /// The output folder.
    pub root: PathBuf,
    /// `works/updated_date=…/part_NNN.gz`, in order.
    pub works_files: Vec<PathBuf>,
    /// `authors/updated_date=…/part_000.gz`: the author entities.
    pub authors_file: PathBuf,
    /// `institutions/updated_date=…/part_000.gz`: the institution entities.
    pub institutions_file: PathBuf,
    /// `truth.csv` (`truth_researchers.csv` sits beside it).
    pub truth_file: PathBuf,
    /// Works written (after `drop_papers`).
    pub works: u64,
    /// Researchers in the world (more than asked when `target_bytes` grew
    /// it).
    pub researchers: u64,
    /// Uncompressed bytes of works JSON lines.
    pub json_bytes: u64,
}

/// gzip level of the part files. Measured on 1 GB of full records (debug
/// build, 2 threads): level 6 takes 10.9 s and writes 128 MB; `fast` takes
/// 8.2 s and writes 213 MB. A third more time for 40% less disk.
const GZIP_LEVEL: Compression = Compression::new(6);
/// Researchers sampled to estimate bytes per researcher for `target_bytes`.
const PILOT_RESEARCHERS: usize = 300;

/// Generate the demo world into `out_dir` (created if missing; existing
/// files of the layout are overwritten).
pub fn generate(cfg: &DemoConfig, out_dir: &Path) -> Result<DemoOutput> {
    validate(cfg)?;
    let knobs = WorkKnobs {
        seed: cfg.seed,
        full_records: cfg.full_records,
        ai_share: cfg.ai_share,
        drop_papers: cfg.drop_papers,
        drop_affiliations: cfg.drop_affiliations,
        gap_share: cfg.gap_share,
    };
    let build = |researchers| {
        World::build_with(cfg.seed, researchers, cfg.from, cfg.to, cfg.policy.as_ref())
    };
    let mut world = build(cfg.researchers);
    if let Some(target) = cfg.target_bytes {
        let per_researcher = estimate_bytes_per_researcher(&world, knobs)?;
        let needed = (target as f64 / per_researcher).ceil() as usize;
        if needed > cfg.researchers {
            world = build(needed);
        }
    }

    let snapshot = out_dir.join("openalex");
    let entity_dir = |entity: &str| {
        snapshot
            .join(entity)
            .join(format!("updated_date={PARTITION_DATE}"))
    };
    for entity in ["works", "authors", "institutions"] {
        let dir = entity_dir(entity);
        fs::create_dir_all(&dir).with_context(|| format!("creating `{}`", dir.display()))?;
    }

    let truth_file = out_dir.join("truth.csv");
    write_file(&truth_file, |w| truth::write_truth(&world, w))?;
    write_file(&out_dir.join("truth_researchers.csv"), |w| {
        truth::write_researchers(&world, w)
    })?;

    let shards = write_works(&world, knobs, cfg.parts, &entity_dir("works"))?;
    let n_res = world.researchers.len();
    let mut author_works = vec![0u32; n_res];
    let mut author_cites = vec![0u64; n_res];
    let mut inst_works = vec![0u64; world.institutions.len()];
    for s in &shards {
        for (a, b) in author_works.iter_mut().zip(&s.tally.author_works) {
            *a += b;
        }
        for (a, b) in author_cites.iter_mut().zip(&s.tally.author_cites) {
            *a += b;
        }
        for (a, b) in inst_works.iter_mut().zip(&s.tally.inst_works) {
            *a += b;
        }
    }
    write_manifest(
        &snapshot.join("works"),
        "works",
        &shards.iter().map(|s| s.part.clone()).collect::<Vec<_>>(),
    )?;

    let authors_file = entity_dir("authors").join("part_000.gz");
    let authors_part = write_part(
        &authors_file,
        world
            .researchers
            .iter()
            .enumerate()
            .map(|(i, r)| author_entity(&world, r, author_works[i], author_cites[i])),
    )?;
    write_manifest(&snapshot.join("authors"), "authors", &[authors_part])?;

    let institutions_file = entity_dir("institutions").join("part_000.gz");
    let inst_part = write_part(
        &institutions_file,
        (0..world.institutions.len()).map(|i| institution_entity(&world, i, inst_works[i])),
    )?;
    write_manifest(&snapshot.join("institutions"), "institutions", &[inst_part])?;

    Ok(DemoOutput {
        root: out_dir.to_path_buf(),
        works_files: shards.iter().map(|s| s.part.path.clone()).collect(),
        authors_file,
        institutions_file,
        truth_file,
        works: shards.iter().map(|s| s.part.records).sum(),
        researchers: n_res as u64,
        json_bytes: shards.iter().map(|s| s.part.json_bytes).sum(),
    })
}

fn validate(cfg: &DemoConfig) -> Result<()> {
    if cfg.from > cfg.to {
        bail!(
            "year range `{}..={}` is empty: `from` must not be after `to`",
            cfg.from,
            cfg.to
        );
    }
    if cfg.researchers == 0 {
        bail!("`researchers` is 0: the world needs at least one researcher");
    }
    if cfg.parts == 0 {
        bail!("`parts` is 0: write at least one works part file");
    }
    for (name, v) in [
        ("ai_share", cfg.ai_share),
        ("drop_papers", cfg.drop_papers),
        ("drop_affiliations", cfg.drop_affiliations),
        ("gap_share", cfg.gap_share),
    ] {
        if !(0.0..=1.0).contains(&v) {
            bail!("`{name}` is `{v}`: a share must be between 0 and 1");
        }
    }
    if let Some(p) = &cfg.policy {
        p.countries().map_err(anyhow::Error::msg)?;
    }
    Ok(())
}

fn write_file(
    path: &Path,
    body: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> Result<()> {
    let file = File::create(path).with_context(|| format!("creating `{}`", path.display()))?;
    let mut w = BufWriter::new(file);
    body(&mut w)
        .and_then(|()| w.flush())
        .with_context(|| format!("writing `{}`", path.display()))
}

/// One written part file.
#[derive(Debug, Clone)]
struct Part {
    path: PathBuf,
    records: u64,
    json_bytes: u64,
    /// Compressed size (the manifest's `content_length`).
    content_length: u64,
}

/// Works and citations per researcher and works per institution, from the
/// works actually written.
struct Tally {
    author_works: Vec<u32>,
    author_cites: Vec<u64>,
    inst_works: Vec<u64>,
}

struct Shard {
    part: Part,
    tally: Tally,
}

/// A gzip JSON Lines writer that counts records and uncompressed bytes.
struct JsonLines {
    enc: GzEncoder<BufWriter<File>>,
    buf: Vec<u8>,
    records: u64,
    json_bytes: u64,
    path: PathBuf,
}

impl JsonLines {
    fn create(path: &Path) -> Result<Self> {
        let file = File::create(path).with_context(|| format!("creating `{}`", path.display()))?;
        Ok(JsonLines {
            enc: GzEncoder::new(BufWriter::with_capacity(1 << 20, file), GZIP_LEVEL),
            buf: Vec::with_capacity(1 << 16),
            records: 0,
            json_bytes: 0,
            path: path.to_path_buf(),
        })
    }

    fn write(&mut self, record: &impl Serialize) -> Result<()> {
        self.buf.clear();
        serde_json::to_writer(&mut self.buf, record)?;
        self.buf.push(b'\n');
        self.enc
            .write_all(&self.buf)
            .with_context(|| format!("writing `{}`", self.path.display()))?;
        self.records += 1;
        self.json_bytes += self.buf.len() as u64;
        Ok(())
    }

    fn finish(self) -> Result<Part> {
        let mut inner = self
            .enc
            .finish()
            .with_context(|| format!("writing `{}`", self.path.display()))?;
        inner.flush()?;
        let content_length = fs::metadata(&self.path)?.len();
        Ok(Part {
            path: self.path,
            records: self.records,
            json_bytes: self.json_bytes,
            content_length,
        })
    }
}

fn write_part<T: Serialize>(path: &Path, records: impl Iterator<Item = T>) -> Result<Part> {
    let mut out = JsonLines::create(path)?;
    for r in records {
        out.write(&r)?;
    }
    out.finish()
}

/// Write the works, researchers split into `parts` contiguous ranges, one
/// part file each, on up to `available_parallelism` threads.
fn write_works(world: &World, knobs: WorkKnobs, parts: usize, dir: &Path) -> Result<Vec<Shard>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(parts);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Shard>>>> = Mutex::new((0..parts).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let s = next.fetch_add(1, Ordering::Relaxed);
                    if s >= parts {
                        break;
                    }
                    let r = write_shard(world, knobs, s, parts, dir);
                    let failed = r.is_err();
                    results.lock().unwrap()[s] = Some(r);
                    if failed {
                        // Let the other threads run out of shards quickly.
                        next.store(parts, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let mut out = Vec::with_capacity(parts);
    for r in results.into_inner().unwrap().into_iter() {
        match r {
            Some(r) => out.push(r?),
            None => bail!("a works part was not written (another part failed)"),
        }
    }
    Ok(out)
}

fn write_shard(
    world: &World,
    knobs: WorkKnobs,
    shard: usize,
    parts: usize,
    dir: &Path,
) -> Result<Shard> {
    let n = world.researchers.len();
    let (lo, hi) = (shard * n / parts, (shard + 1) * n / parts);
    let mut out = JsonLines::create(&dir.join(format!("part_{shard:03}.gz")))?;
    let mut tally = Tally {
        author_works: vec![0; n],
        author_cites: vec![0; n],
        inst_works: vec![0; world.institutions.len()],
    };
    let generator = WorkGen::new(world, knobs);
    let mut error = None;
    let mut seen_inst: Vec<u32> = Vec::new();
    for idx in lo..hi {
        generator.researcher_works(idx, &mut |work, dropped| {
            if dropped || error.is_some() {
                return;
            }
            if let Err(e) = out.write(work) {
                error = Some(e);
                return;
            }
            seen_inst.clear();
            for &(r, inst) in &work.researchers {
                tally.author_works[r as usize] += 1;
                tally.author_cites[r as usize] += work.cited_by_count() as u64;
                if let Some(i) = inst
                    && !seen_inst.contains(&i)
                {
                    seen_inst.push(i);
                    tally.inst_works[i as usize] += 1;
                }
            }
        });
        if let Some(e) = error.take() {
            return Err(e);
        }
    }
    Ok(Shard {
        part: out.finish()?,
        tally,
    })
}

/// Uncompressed works JSON bytes per researcher, from the first
/// `PILOT_RESEARCHERS` researchers (written to nowhere).
fn estimate_bytes_per_researcher(world: &World, knobs: WorkKnobs) -> Result<f64> {
    let generator = WorkGen::new(world, knobs);
    let sample = world.researchers.len().min(PILOT_RESEARCHERS);
    let mut bytes = 0u64;
    let mut buf = Vec::new();
    let mut error = None;
    for idx in 0..sample {
        generator.researcher_works(idx, &mut |work, dropped| {
            if dropped {
                return;
            }
            buf.clear();
            match serde_json::to_writer(&mut buf, work) {
                Ok(()) => bytes += buf.len() as u64 + 1,
                Err(e) => error = Some(e),
            }
        });
    }
    if let Some(e) = error {
        return Err(e.into());
    }
    Ok((bytes as f64 / sample as f64).max(1.0))
}

#[derive(Serialize)]
struct ManifestMeta {
    content_length: u64,
    record_count: u64,
}

#[derive(Serialize)]
struct ManifestEntry {
    url: String,
    meta: ManifestMeta,
}

#[derive(Serialize)]
struct Manifest {
    entries: Vec<ManifestEntry>,
    meta: ManifestMeta,
}

/// Write a Redshift-style `manifest` for one entity's part files.
fn write_manifest(entity_root: &Path, entity: &str, parts: &[Part]) -> Result<()> {
    let entries = parts
        .iter()
        .map(|p| ManifestEntry {
            url: format!(
                "s3://openalex/data/{entity}/updated_date={PARTITION_DATE}/{}",
                p.path.file_name().unwrap().to_string_lossy()
            ),
            meta: ManifestMeta {
                content_length: p.content_length,
                record_count: p.records,
            },
        })
        .collect();
    let manifest = Manifest {
        entries,
        meta: ManifestMeta {
            content_length: parts.iter().map(|p| p.content_length).sum(),
            record_count: parts.iter().map(|p| p.records).sum(),
        },
    };
    let path = entity_root.join("manifest");
    let text = serde_json::to_string_pretty(&manifest)?;
    fs::write(&path, text).with_context(|| format!("writing `{}`", path.display()))
}

/// The author entity of researcher `i`: affiliations from the truth, most
/// recent first, years descending.
fn author_entity<'w>(
    world: &'w World,
    r: &'w world::Researcher,
    works_count: u32,
    cited_by_count: u64,
) -> AuthorEntity<'w> {
    let mut by_inst: Vec<(u32, Vec<i32>)> = Vec::new();
    for (year, &inst) in r.years().zip(&r.institutions).rev() {
        match by_inst.iter_mut().find(|(i, _)| *i == inst) {
            Some((_, years)) => years.push(year),
            None => by_inst.push((inst, vec![year])),
        }
    }
    let dehydrate = |inst: u32| DehydratedInstitution::of(&world.institutions[inst as usize]);
    let id = format!("https://openalex.org/{}", r.short_id());
    AuthorEntity {
        orcid: r.orcid.as_deref(),
        display_name: &r.name,
        works_count,
        cited_by_count,
        ids: AuthorIds {
            openalex: id.clone(),
            orcid: r.orcid.as_deref(),
        },
        affiliations: by_inst
            .into_iter()
            .map(|(inst, years)| AuthorAffiliation {
                institution: dehydrate(inst),
                years,
            })
            .collect(),
        last_known_institutions: vec![dehydrate(*r.institutions.last().unwrap())],
        works_api_url: format!(
            "https://api.openalex.org/works?filter=author.id:{}",
            r.short_id()
        ),
        id,
        updated_date: UPDATED_DATE,
        created_date: "2023-07-21",
    }
}

fn institution_entity(world: &World, i: usize, works_count: u64) -> InstitutionEntity<'_> {
    let inst = &world.institutions[i];
    let assoc = |j: usize, relationship| {
        let o = &world.institutions[j];
        Associated {
            id: &o.id,
            ror: &o.ror,
            display_name: &o.name,
            country_code: COUNTRIES[o.country].code,
            kind: o.oa_type,
            relationship,
        }
    };
    let mut associated: Vec<Associated<'_>> = inst
        .parent
        .map(|p| assoc(p, "parent"))
        .into_iter()
        .collect();
    associated.extend(
        world
            .institutions
            .iter()
            .enumerate()
            .filter(|(_, o)| o.parent == Some(i))
            .map(|(j, _)| assoc(j, "child")),
    );
    InstitutionEntity {
        id: &inst.id,
        ror: &inst.ror,
        display_name: &inst.name,
        country_code: COUNTRIES[inst.country].code,
        kind: inst.oa_type,
        lineage: &inst.lineage,
        works_count,
        ids: InstitutionIds {
            openalex: &inst.id,
            ror: &inst.ror,
        },
        geo: Geo {
            country_code: COUNTRIES[inst.country].code,
            country: COUNTRIES[inst.country].name,
        },
        associated_institutions: associated,
        works_api_url: format!(
            "https://api.openalex.org/works?filter=institutions.id:{}",
            short(&inst.id)
        ),
        updated_date: UPDATED_DATE,
        created_date: "2016-06-24",
    }
}
