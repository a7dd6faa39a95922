//! Tests of the demo generator: determinism, the truth contract (every
//! researcher authorship carries the true institution of its year), the drop
//! knobs, the calibration, the real-data traps, and the snapshot layout.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::Path;

use flate2::read::MultiGzDecoder;
use serde_json::Value;

use super::calibration;
use super::calibration::{COUNTRIES, Calibration};
use super::truth::{Class, classify};
use super::world::{Policy, World};
use super::{DemoConfig, DemoOutput, generate};

fn small(researchers: usize) -> DemoConfig {
    DemoConfig {
        researchers,
        ..DemoConfig::default()
    }
}

fn run(cfg: &DemoConfig) -> (tempfile::TempDir, DemoOutput) {
    let dir = tempfile::tempdir().unwrap();
    let out = generate(cfg, dir.path()).unwrap();
    (dir, out)
}

fn raw_lines(path: &Path) -> Vec<String> {
    BufReader::new(MultiGzDecoder::new(std::fs::File::open(path).unwrap()))
        .lines()
        .map(Result::unwrap)
        .collect()
}

fn records(path: &Path) -> Vec<Value> {
    raw_lines(path)
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn works(out: &DemoOutput) -> Vec<Value> {
    out.works_files.iter().flat_map(|p| records(p)).collect()
}

/// (author, year) → (country, institution), from `truth.csv`.
fn truth(out: &DemoOutput) -> HashMap<(String, i64), (String, String)> {
    let text = std::fs::read_to_string(&out.truth_file).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("author,year,country,institution"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                (f[0].to_string(), f[1].parse().unwrap()),
                (f[2].to_string(), f[3].to_string()),
            )
        })
        .collect()
}

fn short(id: &Value) -> String {
    id.as_str().unwrap().rsplit('/').next().unwrap().to_string()
}

fn all_files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(root).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn demo_same_seed_same_bytes_other_seed_other_bytes() {
    let cfg = small(120);
    let (a, _) = run(&cfg);
    let (b, _) = run(&cfg);
    let (fa, fb) = (all_files(a.path()), all_files(b.path()));
    assert_eq!(
        fa.len(),
        8,
        "{:?}",
        fa.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert!(fa == fb, "same config, different bytes");
    let (c, _) = run(&DemoConfig { seed: 7, ..cfg });
    let fc = all_files(c.path());
    let works = |f: &[(String, Vec<u8>)]| {
        f.iter()
            .find(|x| x.0.ends_with("part_000.gz") && x.0.contains("works"))
            .unwrap()
            .1
            .clone()
    };
    assert_ne!(works(&fa), works(&fc));
}

#[test]
fn demo_parts_split_the_same_works() {
    let (_a, one) = run(&small(150));
    let (_b, three) = run(&DemoConfig {
        parts: 3,
        ..small(150)
    });
    assert_eq!(three.works_files.len(), 3);
    let lines = |o: &DemoOutput| {
        o.works_files
            .iter()
            .flat_map(|p| raw_lines(p))
            .collect::<Vec<_>>()
    };
    assert_eq!(lines(&one), lines(&three));
    assert_eq!(one.works, three.works);
}

#[test]
fn demo_every_researcher_authorship_matches_truth() {
    let n = 300;
    let (_d, out) = run(&small(n));
    let truth = truth(&out);
    let works = works(&out);
    assert_eq!(works.len() as u64, out.works);
    let mut seen = HashSet::new();
    let mut checked = 0;
    for w in &works {
        let year = w["publication_year"].as_i64().unwrap();
        for a in w["authorships"].as_array().unwrap() {
            let author = short(&a["author"]["id"]);
            let (country, inst) = truth
                .get(&(author.clone(), year))
                .unwrap_or_else(|| panic!("{author} has a work in {year} but is not active then"));
            let insts = a["institutions"].as_array().unwrap();
            assert_eq!(insts.len(), 1);
            assert_eq!(&short(&insts[0]["id"]), inst, "{author} {year}");
            assert_eq!(insts[0]["country_code"].as_str().unwrap(), country);
            assert_eq!(a["countries"], serde_json::json!([country]));
            seen.insert(author);
            checked += 1;
        }
    }
    assert!(checked > works.len());
    assert_eq!(seen.len(), n, "every researcher appears in an authorship");
    let authors = records(&out.authors_file);
    assert_eq!(authors.len(), n);
    let ids: HashSet<String> = authors.iter().map(|a| short(&a["id"])).collect();
    assert_eq!(ids, seen);
    // Author entities: affiliations from the truth, years descending.
    for a in &authors {
        let id = short(&a["id"]);
        for aff in a["affiliations"].as_array().unwrap() {
            let years: Vec<i64> = aff["years"]
                .as_array()
                .unwrap()
                .iter()
                .map(|y| y.as_i64().unwrap())
                .collect();
            assert!(years.windows(2).all(|w| w[0] > w[1]), "{id}: {years:?}");
            for y in years {
                assert_eq!(truth[&(id.clone(), y)].1, short(&aff["institution"]["id"]));
            }
        }
        assert!(a["works_count"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn demo_drop_papers_removes_works_only() {
    let (_a, full) = run(&small(400));
    let (_b, dropped) = run(&DemoConfig {
        drop_papers: 0.3,
        ..small(400)
    });
    let ratio = dropped.works as f64 / full.works as f64;
    assert!(
        (0.66..=0.74).contains(&ratio),
        "kept {ratio:.3} of works, expected ~0.70"
    );
    assert_eq!(
        std::fs::read(&full.truth_file).unwrap(),
        std::fs::read(&dropped.truth_file).unwrap()
    );
    let all: HashSet<String> = raw_lines(&full.works_files[0]).into_iter().collect();
    assert!(
        raw_lines(&dropped.works_files[0])
            .iter()
            .all(|l| all.contains(l)),
        "kept works are unchanged"
    );
}

#[test]
fn demo_drop_affiliations_empties_authorships() {
    let (_d, out) = run(&DemoConfig {
        drop_affiliations: 0.2,
        ..small(300)
    });
    let truth = truth(&out);
    let (mut empty, mut total) = (0, 0);
    for w in works(&out) {
        let year = w["publication_year"].as_i64().unwrap();
        for a in w["authorships"].as_array().unwrap() {
            total += 1;
            let insts = a["institutions"].as_array().unwrap();
            if insts.is_empty() {
                assert_eq!(a["countries"], serde_json::json!([]));
                empty += 1;
            } else {
                assert_eq!(
                    short(&insts[0]["id"]),
                    truth[&(short(&a["author"]["id"]), year)].1
                );
            }
        }
    }
    let share = empty as f64 / total as f64;
    assert!(
        (0.17..=0.23).contains(&share),
        "emptied {share:.3} of authorships, expected ~0.20"
    );
}

#[test]
fn demo_world_matches_calibration_table() {
    // 5000 researchers; tolerance per country: 4 standard errors + 0.5 pp.
    let n = 5000;
    let world = World::build(42, n, 2010, 2024);
    let cal = Calibration::solve();
    let mut origin = vec![0usize; COUNTRIES.len()];
    let mut current = vec![0usize; COUNTRIES.len()];
    let (mut multi, mut abroad) = (0usize, 0usize);
    let mut classes: HashMap<&str, usize> = HashMap::new();
    for r in &world.researchers {
        let (o, c, class) = classify(&world, r);
        assert_eq!(
            o, r.origin,
            "the first active year is in the origin country"
        );
        origin[o] += 1;
        *classes.entry(class.name()).or_default() += 1;
        if class != Class::SingleYear {
            multi += 1;
            current[c] += 1;
            abroad += usize::from(class == Class::Emigrant);
        }
    }
    let check = |what: &str, counts: &[usize], total: usize, target: &[f64]| {
        for (i, (&k, &p)) in counts.iter().zip(target).enumerate() {
            let share = k as f64 / total as f64;
            let tol = 4.0 * (p * (1.0 - p) / total as f64).sqrt() + 0.005;
            assert!(
                (share - p).abs() <= tol,
                "{what} {}: {share:.4} vs table {p:.4} (±{tol:.4})",
                COUNTRIES[i].code
            );
        }
    };
    check("origin", &origin, n, &cal.origin);
    check("work", &current, multi, &cal.work);
    let abroad = abroad as f64 / multi as f64;
    assert!(
        (0.38..=0.47).contains(&abroad),
        "abroad {abroad:.3}, MacroPolo 2.0 says 0.42"
    );
    for class in ["stayer", "returnee", "emigrant", "single_year"] {
        assert!(
            classes.get(class).copied().unwrap_or(0) > n / 50,
            "{class}: {classes:?}"
        );
    }
}

#[test]
fn demo_institutions_carry_the_real_data_traps() {
    let (_d, out) = run(&small(300));
    let insts = records(&out.institutions_file);
    let by_id: HashMap<String, &Value> = insts.iter().map(|i| (short(&i["id"]), i)).collect();
    for i in &insts {
        let id = short(&i["id"]);
        assert!(id.starts_with("I9") && id.len() == 11, "{id}");
        let ror = i["ror"].as_str().unwrap();
        assert!(
            ror.starts_with("https://ror.org/0") && ror.len() == 25,
            "{ror}"
        );
        let lineage = i["lineage"].as_array().unwrap();
        assert_eq!(short(&lineage[0]), id, "lineage starts with self");
    }
    // Half the universities are typed "funder".
    let unis: Vec<&Value> = insts
        .iter()
        .filter(|i| i["display_name"].as_str().unwrap().contains("Univ"))
        .collect();
    let funder = unis.iter().filter(|i| i["type"] == "funder").count() as f64 / unis.len() as f64;
    assert!(
        (0.35..=0.65).contains(&funder),
        "funder share of universities {funder:.2}"
    );
    assert!(
        unis.iter()
            .all(|i| i["type"] == "funder" || i["type"] == "education")
    );
    let in_works = works(&out)
        .iter()
        .flat_map(|w| w["authorships"].as_array().unwrap().clone())
        .flat_map(|a| a["institutions"].as_array().unwrap().clone())
        .filter(|i| i["type"] == "funder")
        .count();
    assert!(in_works > 0, "funder-typed universities appear in works");
    // Company labs: lineage [lab, root], several countries per company.
    let mut lab_countries: HashMap<String, HashSet<String>> = HashMap::new();
    for i in insts.iter().filter(|i| i["type"] == "company") {
        let lineage = i["lineage"].as_array().unwrap();
        if lineage.len() == 2 {
            let root = by_id[&short(&lineage[1])];
            assert_eq!(root["type"], "company");
            assert_eq!(root["lineage"].as_array().unwrap().len(), 1);
            lab_countries
                .entry(short(&lineage[1]))
                .or_default()
                .insert(i["country_code"].as_str().unwrap().into());
        }
    }
    assert!(lab_countries.len() >= 6, "{lab_countries:?}");
    assert!(
        lab_countries.values().all(|c| c.len() >= 3),
        "{lab_countries:?}"
    );
    // National academies: institutes whose lineage rolls up to the academy.
    let academy_children = insts
        .iter()
        .filter(|i| i["lineage"].as_array().unwrap().len() == 2 && i["type"] == "government")
        .count();
    assert!(
        academy_children >= 20,
        "{academy_children} academy institutes"
    );
}

#[test]
fn demo_records_have_the_openalex_shape() {
    let (_d, out) = run(&small(300));
    let works = works(&out);
    let (mut ai_topics, mut ai_concepts, mut only_one) = (0, 0, 0);
    for w in &works {
        let id = w["id"].as_str().unwrap();
        assert!(id.starts_with("https://openalex.org/W9"), "{id}");
        assert!(
            w["doi"]
                .as_str()
                .unwrap()
                .starts_with("https://doi.org/10.")
        );
        assert_eq!(w["title"], w["display_name"]);
        let year = w["publication_year"].as_i64().unwrap();
        assert!((2010..=2024).contains(&year));
        assert!(
            w["publication_date"]
                .as_str()
                .unwrap()
                .starts_with(&year.to_string())
        );
        assert!(["article", "preprint", "conference-paper"].contains(&w["type"].as_str().unwrap()));
        assert_eq!(w["language"], "en");
        assert!(w["cited_by_count"].is_u64());
        assert!(w["updated_date"].is_string());
        let source = &w["primary_location"]["source"];
        assert!(
            source["id"]
                .as_str()
                .unwrap()
                .starts_with("https://openalex.org/S9")
        );
        assert!(source["display_name"].is_string() && source["type"].is_string());
        let authorships = w["authorships"].as_array().unwrap();
        assert_eq!(authorships[0]["author_position"], "first");
        if authorships.len() > 1 {
            assert_eq!(authorships.last().unwrap()["author_position"], "last");
        }
        assert_eq!(
            authorships
                .iter()
                .filter(|a| a["is_corresponding"] == true)
                .count(),
            1
        );
        for a in authorships {
            assert!(
                a["author"]["id"]
                    .as_str()
                    .unwrap()
                    .starts_with("https://openalex.org/A5")
            );
            assert!(a["author"]["display_name"].is_string() && a["author"].get("orcid").is_some());
            assert!(a["raw_author_name"].is_string() && a["raw_affiliation_strings"].is_array());
            let inst = &a["institutions"][0];
            for f in [
                "id",
                "display_name",
                "ror",
                "country_code",
                "type",
                "lineage",
            ] {
                assert!(inst.get(f).is_some(), "institution lacks {f}");
            }
        }
        let is_ai_topic = w["topics"].as_array().unwrap().iter().any(|t| {
            [
                "https://openalex.org/subfields/1702",
                "https://openalex.org/subfields/1707",
            ]
            .contains(&t["subfield"]["id"].as_str().unwrap())
        });
        let is_ai_concept = w.get("concepts").is_some_and(|c| {
            c.as_array().unwrap().iter().any(|c| {
                c["id"] == "https://openalex.org/C154945302" && c["score"].as_f64().unwrap() >= 0.3
            })
        });
        ai_topics += usize::from(is_ai_topic);
        ai_concepts += usize::from(is_ai_concept);
        assert_eq!(
            is_ai_topic, is_ai_concept,
            "AI under one profile is AI under the other"
        );
        only_one +=
            usize::from(w.get("concepts").is_none() || w["topics"].as_array().unwrap().is_empty());
        if is_ai_topic {
            assert_eq!(
                w["primary_topic"]["field"]["id"],
                "https://openalex.org/fields/17"
            );
            assert_eq!(
                w["primary_topic"]["domain"]["id"],
                "https://openalex.org/domains/3"
            );
        }
    }
    let share = ai_topics as f64 / works.len() as f64;
    assert!(
        (0.77..=0.83).contains(&share),
        "AI share {share:.3}, configured 0.8"
    );
    assert_eq!(ai_topics, ai_concepts);
    assert!(only_one > 0, "some works have only concepts or only topics");

    // Manifests count what the part files hold.
    for (entity, files) in [
        ("works", out.works_files.clone()),
        ("authors", vec![out.authors_file.clone()]),
        ("institutions", vec![out.institutions_file.clone()]),
    ] {
        let manifest: Value = serde_json::from_slice(
            &std::fs::read(out.root.join("openalex").join(entity).join("manifest")).unwrap(),
        )
        .unwrap();
        let entries = manifest["entries"].as_array().unwrap();
        assert_eq!(entries.len(), files.len());
        let mut total = 0;
        for (e, f) in entries.iter().zip(&files) {
            let n = raw_lines(f).len() as u64;
            assert_eq!(e["meta"]["record_count"].as_u64().unwrap(), n);
            assert_eq!(
                e["meta"]["content_length"].as_u64().unwrap(),
                std::fs::metadata(f).unwrap().len()
            );
            assert_eq!(
                e["url"].as_str().unwrap(),
                format!(
                    "s3://openalex/data/{entity}/updated_date=2026-11-01/{}",
                    f.file_name().unwrap().to_str().unwrap()
                )
            );
            total += n;
        }
        assert_eq!(manifest["meta"]["record_count"].as_u64().unwrap(), total);
    }
}

#[test]
fn demo_full_records_are_snapshot_sized() {
    let (_d, out) = run(&DemoConfig {
        full_records: true,
        ..small(60)
    });
    let per_work = out.json_bytes as f64 / out.works as f64;
    assert!(
        (5000.0..=8500.0).contains(&per_work),
        "{per_work:.0} bytes per work"
    );
    let works = works(&out);
    let w = works
        .iter()
        .find(|w| w["abstract_inverted_index"].is_object())
        .unwrap();
    for f in [
        "abstract_inverted_index",
        "referenced_works",
        "related_works",
        "counts_by_year",
        "keywords",
        "locations",
        "open_access",
        "biblio",
        "ids",
    ] {
        assert!(w.get(f).is_some(), "full record lacks {f}");
    }
    let refs = w["referenced_works"].as_array().unwrap().len();
    assert!((20..=50).contains(&refs));
}

#[test]
fn demo_target_bytes_grows_the_world() {
    let target = 4_000_000;
    let (_d, out) = run(&DemoConfig {
        target_bytes: Some(target),
        ..small(100)
    });
    assert!(out.researchers > 100);
    let ratio = out.json_bytes as f64 / target as f64;
    assert!(
        (0.8..=1.25).contains(&ratio),
        "{} bytes for a {target} target",
        out.json_bytes
    );
}

#[test]
fn demo_rejects_bad_config() {
    let dir = tempfile::tempdir().unwrap();
    for cfg in [
        DemoConfig {
            from: 2020,
            to: 2010,
            ..small(10)
        },
        DemoConfig {
            drop_papers: 1.5,
            ..small(10)
        },
        DemoConfig {
            parts: 0,
            ..small(10)
        },
    ] {
        assert!(generate(&cfg, dir.path()).is_err(), "{cfg:?}");
    }
}

/// Writes a sample world to `$DEMO_OUT` for inspection (not a check).
#[test]
#[ignore]
fn demo_write_sample() {
    let out = std::env::var("DEMO_OUT").unwrap_or_else(|_| "/tmp/demo-sample".into());
    let full = std::env::var("DEMO_FULL").is_ok();
    let n = std::env::var("DEMO_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    let target = std::env::var("DEMO_TARGET")
        .ok()
        .and_then(|n| n.parse().ok());
    let parts = std::env::var("DEMO_PARTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let start = std::time::Instant::now();
    let o = generate(
        &DemoConfig {
            full_records: full,
            researchers: n,
            target_bytes: target,
            parts,
            ..DemoConfig::default()
        },
        Path::new(&out),
    )
    .unwrap();
    let secs = start.elapsed().as_secs_f64();
    let gz: u64 = o
        .works_files
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    eprintln!(
        "{} researchers, {} works, {} JSON bytes ({:.0}/work), {} gz bytes, {:.1}s ({:.1} MB/s)",
        o.researchers,
        o.works,
        o.json_bytes,
        o.json_bytes as f64 / o.works as f64,
        gz,
        secs,
        o.json_bytes as f64 / secs / 1e6
    );
}

#[test]
fn demo_china_leads_volume_and_us_leads_highly_cited() {
    let (_d, out) = run(&small(1500));
    let works = works(&out);
    // Fractional counting by authorship country, AI works (by topic) only.
    let mut volume: HashMap<i64, HashMap<String, f64>> = HashMap::new();
    let mut by_year: HashMap<i64, Vec<&Value>> = HashMap::new();
    let fractional = |w: &Value, into: &mut HashMap<String, f64>| {
        let authorships = w["authorships"].as_array().unwrap();
        for a in authorships {
            for c in a["countries"].as_array().unwrap() {
                *into.entry(c.as_str().unwrap().to_string()).or_default() +=
                    1.0 / authorships.len() as f64;
            }
        }
    };
    for w in works
        .iter()
        .filter(|w| w["primary_topic"]["field"]["id"] == "https://openalex.org/fields/17")
    {
        let y = w["publication_year"].as_i64().unwrap();
        fractional(w, volume.entry(y).or_default());
        by_year.entry(y).or_default().push(w);
    }
    for y in 2020..=2024 {
        let v = &volume[&y];
        let total: f64 = v.values().sum();
        let (cn, us) = (v["CN"] / total, v["US"] / total);
        assert!(
            cn > us && (0.33..=0.50).contains(&cn),
            "{y}: CN {cn:.3}, US {us:.3}"
        );
    }
    // Top 10% cited per publication year.
    let mut top: HashMap<String, f64> = HashMap::new();
    for ws in by_year.values_mut() {
        ws.sort_by_key(|w| std::cmp::Reverse(w["cited_by_count"].as_u64().unwrap()));
        for w in &ws[..ws.len() / 10] {
            fractional(w, &mut top);
        }
    }
    assert!(
        top["US"] > top["CN"],
        "top-10% cited: US {:.1}, CN {:.1}",
        top["US"],
        top["CN"]
    );
}

/// Every researcher's (origin, first year, institutions).
fn careers(world: &World) -> Vec<(usize, i32, Vec<u32>)> {
    world
        .researchers
        .iter()
        .map(|r| (r.origin, r.first_year, r.institutions.clone()))
        .collect()
}

/// Moves of researchers of origin `origin` into `to` (a year in `to` after
/// a year elsewhere), as (arriving before `year`, arriving in `year` or
/// later).
fn moves_into(world: &World, origin: &str, to: &str, year: i32) -> (usize, usize) {
    let (o, d) = (
        calibration::country_index(origin).unwrap(),
        calibration::country_index(to).unwrap(),
    );
    let (mut before, mut after) = (0, 0);
    for (i, r) in world.researchers.iter().enumerate() {
        if r.origin != o {
            continue;
        }
        for y in r.years().skip(1) {
            if world.country_of(i, y - 1) != Some(d) && world.country_of(i, y) == Some(d) {
                if y < year {
                    before += 1;
                } else {
                    after += 1;
                }
            }
        }
    }
    (before, after)
}

fn policy(s: &str) -> Policy {
    s.parse().unwrap()
}

#[test]
fn demo_policy_none_or_factor_one_is_the_world_without_policy() {
    let plain = World::build(42, 3000, 2010, 2024);
    let none = World::build_with(42, 3000, 2010, 2024, None);
    assert_eq!(careers(&none), careers(&plain));
    let all = World::build_with(42, 3000, 2010, 2024, Some(&policy("CN:US:1:2015")));
    assert_eq!(careers(&all), careers(&plain));
    // Names and ORCIDs come from the same stream after the careers.
    let ids = |w: &World| {
        w.researchers
            .iter()
            .map(|r| (r.name.clone(), r.orcid.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&all), ids(&plain));
}

#[test]
fn demo_policy_factor_zero_stops_the_moves_from_its_year() {
    let plain = World::build(42, 5000, 2010, 2024);
    let stopped = World::build_with(42, 5000, 2010, 2024, Some(&policy("CN:US:0:2018")));
    let (before, after) = moves_into(&plain, "CN", "US", 2018);
    assert!(
        before > 100 && after > 100,
        "CN→US moves without policy: {before} before 2018, {after} from 2018"
    );
    assert_eq!(moves_into(&stopped, "CN", "US", 2018), (before, 0));
    // Researchers of other origins are untouched, as are CN→GB moves.
    let cn = calibration::country_index("CN").unwrap();
    let others = |w: &World| {
        careers(w)
            .into_iter()
            .filter(|c| c.0 != cn)
            .collect::<Vec<_>>()
    };
    assert_eq!(others(&stopped), others(&plain));
    assert_eq!(
        moves_into(&stopped, "CN", "GB", 2018),
        moves_into(&plain, "CN", "GB", 2018)
    );
    // The researchers whose career changed are the cancelled movers (one
    // move each): they stay in CN every year.
    let mut changed = 0;
    for (i, (a, b)) in plain
        .researchers
        .iter()
        .zip(&stopped.researchers)
        .enumerate()
    {
        if a.institutions != b.institutions {
            changed += 1;
            assert!(
                b.years().all(|y| stopped.country_of(i, y) == Some(cn)),
                "{} stays in CN",
                b.short_id()
            );
        }
    }
    assert_eq!(changed, after, "one cancelled move per changed career");
}

#[test]
fn demo_policy_factor_half_keeps_about_half_the_moves() {
    let n = 20_000;
    let plain = World::build(42, n, 2010, 2024);
    let half = World::build_with(42, n, 2010, 2024, Some(&policy("cn:us:0.5:2018")));
    let (before, after) = moves_into(&plain, "CN", "US", 2018);
    let (h_before, h_after) = moves_into(&half, "CN", "US", 2018);
    assert_eq!(h_before, before);
    assert!(after > 500, "CN→US moves from 2018 without policy: {after}");
    let share = h_after as f64 / after as f64;
    assert!(
        (0.35..=0.65).contains(&share),
        "kept {h_after} of {after} CN→US moves from 2018 ({share:.3}), expected ~0.5"
    );
}

#[test]
fn demo_policy_parses_and_names_what_is_wrong() {
    let p = policy("cn:Us:0.25:2018");
    assert_eq!(
        p,
        Policy {
            origin: "CN".into(),
            to: "US".into(),
            factor: 0.25,
            from: 2018,
        }
    );
    assert_eq!(p.to_string(), "CN:US:0.25:2018");
    assert_eq!(policy(&p.to_string()), p);
    assert_eq!(policy("IN:GB:0:2020").to_string(), "IN:GB:0:2020");
    assert_eq!(policy("IN:GB:1:2020").factor, 1.0);
    let err = |s: &str| s.parse::<Policy>().unwrap_err();
    assert_eq!(
        err("XX:US:0.5:2018"),
        "policy origin `XX` is not a country of the demo world"
    );
    assert_eq!(
        err("CN:zz:0.5:2018"),
        "policy destination `ZZ` is not a country of the demo world"
    );
    assert!(
        err("us:US:0.5:2018").contains("origin and destination are both `US`"),
        "{}",
        err("us:US:0.5:2018")
    );
    assert_eq!(
        err("CN:US:half:2018"),
        "policy factor `half` is not a number (0 to 1)"
    );
    assert!(err("CN:US:1.5:2018").starts_with("policy factor `1.5` is outside 0..=1"));
    assert!(err("CN:US:-0.1:2018").starts_with("policy factor `-0.1` is outside 0..=1"));
    assert!(err("CN:US:NaN:2018").contains("is outside 0..=1"));
    assert_eq!(
        err("CN:US:0.5:2018a"),
        "policy year `2018a` is not a number"
    );
    for bad in ["CN:US:0.5", "CN:US:0.5:2018:1", ""] {
        assert!(
            err(bad).contains("is not ORIGIN:TO:FACTOR:YEAR"),
            "{bad}: {}",
            err(bad)
        );
    }
}

#[test]
fn demo_policy_reaches_the_truth_and_is_checked() {
    // Factor 0 from the first year: no CN-origin researcher ever works in
    // the US, while without the policy some do.
    let in_us = |out: &DemoOutput| {
        let researchers = std::fs::read_to_string(out.root.join("truth_researchers.csv")).unwrap();
        let cn: HashSet<&str> = researchers
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once(','))
            .filter(|(_, rest)| rest.starts_with("CN,"))
            .map(|(a, _)| a)
            .collect();
        truth(out)
            .iter()
            .filter(|((a, _), (c, _))| c == "US" && cn.contains(a.as_str()))
            .count()
    };
    let (_a, plain) = run(&small(400));
    assert!(in_us(&plain) > 0, "CN-origin researcher-years in the US");
    let cfg = DemoConfig {
        policy: Some(policy("CN:US:0:2010")),
        ..small(400)
    };
    let (_b, stopped) = run(&cfg);
    assert_eq!(in_us(&stopped), 0);
    let bad = DemoConfig {
        policy: Some(Policy {
            origin: "CN".into(),
            to: "XX".into(),
            factor: 0.5,
            from: 2018,
        }),
        ..small(10)
    };
    let dir = tempfile::tempdir().unwrap();
    let e = generate(&bad, dir.path()).unwrap_err().to_string();
    assert!(e.contains("`XX` is not a country of the demo world"), "{e}");
}
