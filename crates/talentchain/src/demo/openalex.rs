//! Native OpenAlex JSON for the demo world: the Serialize structs of works,
//! authors and institutions (same field names and shapes as the real
//! snapshot), the vocabularies they draw on (real AI venues, real OpenAlex
//! concept and topic ids), and the per-researcher work generator.

use std::collections::HashMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use serde::ser::Serializer;

use super::calibration::COUNTRIES;
use super::world::{Institution, Kind, World, derive_seed, pick_weighted, stream};

/// `updated_date` of every record, matching the snapshot partition name.
pub const UPDATED_DATE: &str = "2026-11-01T00:00:00.000000";
/// The partition's date (`updated_date=…` folder).
pub const PARTITION_DATE: &str = "2026-11-01";
/// Offset of synthetic work ids: 11 digits starting with 9, far above real
/// OpenAlex work ids (10 digits).
pub const WORK_BASE: u64 = 90_000_000_000;
/// Work ids are `WORK_BASE + researcher * WORKS_PER_RESEARCHER + k`, so a
/// work's id does not depend on sharding.
pub const WORKS_PER_RESEARCHER: u64 = 1000;
const SOURCE_BASE: u64 = 9_000_000_000;
/// The year citations are counted up to (the snapshot's year).
const SNAPSHOT_YEAR: i32 = 2026;

// ---------------------------------------------------------------- vocabularies

/// Research area of a work: decides venue, concepts, topics and words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Area {
    Ml,
    Cv,
    Nlp,
    Robotics,
    GeneralAi,
    Biology,
    Medicine,
    Physics,
    Chemistry,
}

impl Area {
    fn is_ai(self) -> bool {
        matches!(
            self,
            Area::Ml | Area::Cv | Area::Nlp | Area::Robotics | Area::GeneralAi
        )
    }
}

/// A publication venue. AI venues carry their real names; other journals
/// are fictional.
struct Venue {
    name: &'static str,
    kind: &'static str,
    area: Area,
    /// Added to the log-mean of citations.
    boost: f64,
    /// Relative choice weight among venues of the same family.
    weight: f64,
}

const fn venue(
    name: &'static str,
    kind: &'static str,
    area: Area,
    boost: f64,
    weight: f64,
) -> Venue {
    Venue {
        name,
        kind,
        area,
        boost,
        weight,
    }
}

const VENUES: &[Venue] = &[
    venue(
        "Neural Information Processing Systems",
        "conference",
        Area::Ml,
        0.6,
        1.2,
    ),
    venue(
        "International Conference on Machine Learning",
        "conference",
        Area::Ml,
        0.6,
        1.0,
    ),
    venue(
        "International Conference on Learning Representations",
        "conference",
        Area::Ml,
        0.6,
        0.8,
    ),
    venue(
        "Computer Vision and Pattern Recognition",
        "conference",
        Area::Cv,
        0.6,
        1.2,
    ),
    venue(
        "International Conference on Computer Vision",
        "conference",
        Area::Cv,
        0.5,
        0.6,
    ),
    venue(
        "European Conference on Computer Vision",
        "conference",
        Area::Cv,
        0.5,
        0.6,
    ),
    venue(
        "Annual Meeting of the Association for Computational Linguistics",
        "conference",
        Area::Nlp,
        0.5,
        0.8,
    ),
    venue(
        "Empirical Methods in Natural Language Processing",
        "conference",
        Area::Nlp,
        0.4,
        0.7,
    ),
    venue(
        "North American Chapter of the Association for Computational Linguistics",
        "conference",
        Area::Nlp,
        0.3,
        0.4,
    ),
    venue(
        "Proceedings of the AAAI Conference on Artificial Intelligence",
        "conference",
        Area::GeneralAi,
        0.3,
        1.0,
    ),
    venue(
        "International Joint Conference on Artificial Intelligence",
        "conference",
        Area::GeneralAi,
        0.3,
        0.7,
    ),
    venue(
        "Knowledge Discovery and Data Mining",
        "conference",
        Area::Ml,
        0.3,
        0.5,
    ),
    venue(
        "IEEE International Conference on Robotics and Automation",
        "conference",
        Area::Robotics,
        0.2,
        0.8,
    ),
    venue(
        "IEEE Transactions on Pattern Analysis and Machine Intelligence",
        "journal",
        Area::Cv,
        0.5,
        0.5,
    ),
    venue("Neurocomputing", "journal", Area::Ml, 0.0, 1.0),
    venue("Pattern Recognition", "journal", Area::Cv, 0.1, 0.8),
    venue("IEEE Access", "journal", Area::GeneralAi, -0.2, 1.2),
    // Fictional generic journals for the non-AI works.
    venue(
        "Kelmont Journal of Molecular Biology",
        "journal",
        Area::Biology,
        0.0,
        1.0,
    ),
    venue(
        "Annals of Dalvere Clinical Medicine",
        "journal",
        Area::Medicine,
        0.0,
        1.0,
    ),
    venue(
        "Orsfield Letters in Physics",
        "journal",
        Area::Physics,
        0.0,
        1.0,
    ),
    venue(
        "Tanbrook Reviews in Chemistry",
        "journal",
        Area::Chemistry,
        0.0,
        1.0,
    ),
];
/// Preprints of AI works sit on this repository (a real source name).
const ARXIV: &str = "arXiv (Cornell University)";
const ARXIV_SOURCE: usize = VENUES.len();

/// (id, display_name, level, wikidata): real OpenAlex concepts.
type ConceptDef = (&'static str, &'static str, u8, &'static str);
const C_CS: ConceptDef = ("C41008148", "Computer science", 0, "Q21198");
const C_AI: ConceptDef = ("C154945302", "Artificial intelligence", 1, "Q11660");
const C_ML: ConceptDef = ("C119857082", "Machine learning", 1, "Q2539");
const C_CV: ConceptDef = ("C31972630", "Computer vision", 1, "Q844240");
const C_NLP: ConceptDef = ("C204321447", "Natural language processing", 1, "Q30642");
const C_DL: ConceptDef = ("C108583219", "Deep learning", 2, "Q197536");
const C_ROBOT: ConceptDef = ("C90509273", "Robot", 2, "Q11012");
const C_MATH: ConceptDef = ("C33923547", "Mathematics", 0, "Q395");
const C_BIO: ConceptDef = ("C86803240", "Biology", 0, "Q420");
const C_GEN: ConceptDef = ("C54355233", "Genetics", 1, "Q7162");
const C_MED: ConceptDef = ("C71924100", "Medicine", 0, "Q11190");
const C_IM: ConceptDef = ("C126322002", "Internal medicine", 1, "Q11180");
const C_PHYS: ConceptDef = ("C121332964", "Physics", 0, "Q413");
const C_QM: ConceptDef = ("C62520636", "Quantum mechanics", 1, "Q944");
const C_CHEM: ConceptDef = ("C185592680", "Chemistry", 0, "Q2329");

/// (topic id, name, subfield id, subfield, field id, field, domain id, domain):
/// real OpenAlex topics.
type TopicDef = (
    &'static str,
    &'static str,
    u16,
    &'static str,
    u8,
    &'static str,
    u8,
    &'static str,
);
const AI_SF: (u16, &str) = (1702, "Artificial Intelligence");
const CV_SF: (u16, &str) = (1707, "Computer Vision and Pattern Recognition");
macro_rules! topic {
    ($id:expr, $name:expr, $sf:expr, $field:expr, $fname:expr, $dom:expr, $dname:expr) => {
        ($id, $name, $sf.0, $sf.1, $field, $fname, $dom, $dname)
    };
}
macro_rules! cs_topic {
    ($id:expr, $name:expr, $sf:expr) => {
        topic!(
            $id,
            $name,
            $sf,
            17,
            "Computer Science",
            3,
            "Physical Sciences"
        )
    };
}
const T_ML: &[TopicDef] = &[
    cs_topic!("T10320", "Neural Networks and Applications", AI_SF),
    cs_topic!("T12535", "Machine Learning and Data Classification", AI_SF),
    cs_topic!("T11307", "Domain Adaptation and Few-Shot Learning", AI_SF),
    cs_topic!(
        "T11689",
        "Adversarial Robustness in Machine Learning",
        AI_SF
    ),
    cs_topic!("T12026", "Explainable Artificial Intelligence (XAI)", AI_SF),
    cs_topic!(
        "T11512",
        "Anomaly Detection Techniques and Applications",
        AI_SF
    ),
];
const T_CV: &[TopicDef] = &[
    cs_topic!("T10036", "Advanced Neural Network Applications", CV_SF),
    cs_topic!("T10057", "Face and Expression Recognition", CV_SF),
    cs_topic!(
        "T10627",
        "Advanced Image and Video Retrieval Techniques",
        CV_SF
    ),
    cs_topic!(
        "T10775",
        "Generative Adversarial Networks and Image Synthesis",
        CV_SF
    ),
    cs_topic!("T11605", "Visual Attention and Saliency Detection", CV_SF),
    cs_topic!("T11714", "Multimodal Machine Learning Applications", CV_SF),
];
const T_NLP: &[TopicDef] = &[
    cs_topic!("T10181", "Natural Language Processing Techniques", AI_SF),
    cs_topic!("T10028", "Topic Modeling", AI_SF),
];
const T_ROBOT: &[TopicDef] = &[
    cs_topic!("T10462", "Reinforcement Learning in Robotics", AI_SF),
    cs_topic!("T10586", "Robotic Path Planning Algorithms", CV_SF),
];
const T_BIO: &[TopicDef] = &[
    topic!(
        "T10015",
        "Genomics and Phylogenetic Studies",
        (1312, "Molecular Biology"),
        13,
        "Biochemistry, Genetics and Molecular Biology",
        1,
        "Life Sciences"
    ),
    topic!(
        "T10521",
        "RNA and protein synthesis mechanisms",
        (1312, "Molecular Biology"),
        13,
        "Biochemistry, Genetics and Molecular Biology",
        1,
        "Life Sciences"
    ),
];
const T_MED: &[TopicDef] = &[
    topic!(
        "T10118",
        "SARS-CoV-2 and COVID-19 Research",
        (2725, "Infectious Diseases"),
        27,
        "Medicine",
        4,
        "Health Sciences"
    ),
    topic!(
        "T10556",
        "Global Cancer Incidence and Screening",
        (2730, "Oncology"),
        27,
        "Medicine",
        4,
        "Health Sciences"
    ),
];
const T_PHYS: &[TopicDef] = &[
    topic!(
        "T10002",
        "Advanced Chemical Physics Studies",
        (3107, "Atomic and Molecular Physics, and Optics"),
        31,
        "Physics and Astronomy",
        3,
        "Physical Sciences"
    ),
    topic!(
        "T10064",
        "Complex Network Analysis Techniques",
        (3109, "Statistical and Nonlinear Physics"),
        31,
        "Physics and Astronomy",
        3,
        "Physical Sciences"
    ),
];
const T_CHEM: &[TopicDef] = &[
    topic!(
        "T12327",
        "Various Chemistry Research Topics",
        (1606, "Physical and Theoretical Chemistry"),
        16,
        "Chemistry",
        3,
        "Physical Sciences"
    ),
    topic!(
        "T10661",
        "biodegradable polymer synthesis and properties",
        (2502, "Biomaterials"),
        25,
        "Materials Science",
        3,
        "Physical Sciences"
    ),
];

fn area_topics(area: Area) -> &'static [TopicDef] {
    match area {
        Area::Ml => T_ML,
        Area::Cv => T_CV,
        Area::Nlp => T_NLP,
        Area::Robotics => T_ROBOT,
        Area::GeneralAi => T_ML,
        Area::Biology => T_BIO,
        Area::Medicine => T_MED,
        Area::Physics => T_PHYS,
        Area::Chemistry => T_CHEM,
    }
}

fn area_concepts(area: Area) -> &'static [ConceptDef] {
    match area {
        Area::Ml => &[C_CS, C_AI, C_ML],
        Area::Cv => &[C_CS, C_AI, C_CV],
        Area::Nlp => &[C_CS, C_AI, C_NLP],
        Area::Robotics => &[C_CS, C_AI, C_ROBOT],
        Area::GeneralAi => &[C_CS, C_AI],
        Area::Biology => &[C_BIO, C_GEN],
        Area::Medicine => &[C_MED, C_IM],
        Area::Physics => &[C_PHYS, C_QM],
        Area::Chemistry => &[C_CHEM],
    }
}

const AI_WORDS: &[&str] = &[
    "transformer",
    "attention",
    "graph",
    "neural",
    "network",
    "learning",
    "reinforcement",
    "diffusion",
    "language",
    "vision",
    "segmentation",
    "detection",
    "representation",
    "contrastive",
    "self-supervised",
    "robust",
    "efficient",
    "sparse",
    "federated",
    "generative",
    "adversarial",
    "policy",
    "reward",
    "embedding",
    "retrieval",
    "benchmark",
    "dataset",
    "fine-tuning",
    "pretraining",
    "multimodal",
    "manipulation",
    "navigation",
    "depth",
    "pose",
    "tracking",
    "translation",
    "parsing",
    "reasoning",
    "optimization",
    "gradient",
    "convergence",
    "kernel",
    "bayesian",
    "uncertainty",
    "calibration",
    "inference",
    "agents",
];
const SCI_WORDS: &[&str] = &[
    "protein",
    "cell",
    "gene",
    "expression",
    "tumor",
    "patients",
    "clinical",
    "quantum",
    "spin",
    "lattice",
    "thermal",
    "polymer",
    "membrane",
    "enzyme",
    "cohort",
    "mortality",
    "infection",
    "receptor",
    "magnetic",
    "phase",
    "synthesis",
    "catalyst",
    "sequencing",
    "trial",
    "dose",
    "spectroscopy",
    "molecular",
    "signal",
];
const GLUE_WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "we",
    "a",
    "in",
    "to",
    "is",
    "that",
    "for",
    "with",
    "on",
    "our",
    "this",
    "results",
    "show",
    "propose",
    "method",
    "approach",
    "performance",
    "data",
    "experiments",
    "new",
    "based",
    "using",
    "which",
    "both",
    "across",
    "than",
    "significantly",
    "state-of-the-art",
    "analysis",
    "study",
    "framework",
];
const TITLE_ADJ: &[&str] = &[
    "Scalable",
    "Robust",
    "Efficient",
    "Sparse",
    "Adaptive",
    "Hierarchical",
    "Unified",
    "Provable",
    "Latent",
];

// ---------------------------------------------------------------- records

/// An institution as embedded in works and authors (OpenAlex "dehydrated").
#[derive(Serialize, Clone, Copy)]
pub struct DehydratedInstitution<'a> {
    /// `id`: full OpenAlex id, `https://openalex.org/I9000000001`.
    pub id: &'a str,
    /// `display_name`: the invented name.
    pub display_name: &'a str,
    /// `ror`: fake, well-formed ROR URL, `https://ror.org/0z…`.
    pub ror: &'a str,
    /// `country_code`: upper-case ISO 3166-1 alpha-2 code, `US`.
    pub country_code: &'a str,
    /// `type`: `education`, `funder` (the trap), `government` or `company`.
    #[serde(rename = "type")]
    pub kind: &'a str,
    /// `lineage`: full ids, the institution first, then its ancestors.
    pub lineage: &'a [String],
}

impl<'a> DehydratedInstitution<'a> {
    /// The dehydrated form of a world institution.
    pub fn of(inst: &'a Institution) -> Self {
        DehydratedInstitution {
            id: &inst.id,
            display_name: &inst.name,
            ror: &inst.ror,
            country_code: COUNTRIES[inst.country].code,
            kind: inst.oa_type,
            lineage: &inst.lineage,
        }
    }
}

#[derive(Serialize)]
struct AuthorRef<'a> {
    id: String,
    display_name: &'a str,
    orcid: Option<&'a str>,
}

#[derive(Serialize)]
struct Authorship<'a> {
    author_position: &'static str,
    author: AuthorRef<'a>,
    institutions: Vec<DehydratedInstitution<'a>>,
    countries: Vec<&'static str>,
    is_corresponding: bool,
    raw_author_name: &'a str,
    raw_affiliation_strings: Vec<String>,
}

#[derive(Serialize)]
struct SourceRef {
    id: String,
    display_name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Location {
    is_oa: bool,
    landing_page_url: String,
    pdf_url: Option<String>,
    source: SourceRef,
    license: Option<&'static str>,
    version: Option<&'static str>,
    is_accepted: bool,
    is_published: bool,
}

#[derive(Serialize)]
struct Concept {
    id: String,
    wikidata: String,
    display_name: &'static str,
    level: u8,
    score: f64,
}

#[derive(Serialize, Clone)]
struct Ref {
    id: String,
    display_name: &'static str,
}

#[derive(Serialize, Clone)]
struct Topic {
    id: String,
    display_name: &'static str,
    score: f64,
    subfield: Ref,
    field: Ref,
    domain: Ref,
}

#[derive(Serialize)]
struct Keyword {
    id: String,
    display_name: &'static str,
    score: f64,
}

#[derive(Serialize)]
struct OpenAccess {
    is_oa: bool,
    oa_status: &'static str,
    oa_url: Option<String>,
    any_repository_has_fulltext: bool,
}

#[derive(Serialize)]
struct Biblio {
    volume: Option<String>,
    issue: Option<String>,
    first_page: Option<String>,
    last_page: Option<String>,
}

#[derive(Serialize)]
struct Ids {
    openalex: String,
    doi: String,
}

#[derive(Serialize)]
struct YearCount {
    year: i32,
    cited_by_count: u32,
}

/// `abstract_inverted_index`: word → positions, words in order of first use.
struct InvertedIndex(Vec<(&'static str, Vec<u32>)>);

impl Serialize for InvertedIndex {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(w, p)| (w, p)))
    }
}

/// The bulk that `full_records` adds, to reach the real snapshot's size.
#[derive(Serialize)]
struct FullExtras {
    ids: Ids,
    type_crossref: &'static str,
    indexed_in: [&'static str; 1],
    open_access: OpenAccess,
    countries_distinct_count: usize,
    institutions_distinct_count: usize,
    corresponding_author_ids: Vec<String>,
    corresponding_institution_ids: Vec<String>,
    fwci: f64,
    has_fulltext: bool,
    biblio: Biblio,
    is_retracted: bool,
    is_paratext: bool,
    keywords: Vec<Keyword>,
    locations_count: usize,
    locations: Vec<Location>,
    referenced_works_count: usize,
    referenced_works: Vec<String>,
    related_works: Vec<String>,
    abstract_inverted_index: Option<InvertedIndex>,
    cited_by_api_url: String,
    counts_by_year: Vec<YearCount>,
    created_date: String,
}

/// One OpenAlex work.
#[derive(Serialize)]
pub struct Work<'a> {
    id: String,
    doi: String,
    title: String,
    display_name: String,
    publication_year: i32,
    publication_date: String,
    language: &'static str,
    primary_location: Location,
    #[serde(rename = "type")]
    kind: &'static str,
    authorships: Vec<Authorship<'a>>,
    cited_by_count: u32,
    primary_topic: Option<Topic>,
    topics: Vec<Topic>,
    /// Absent (not empty) on "topics only" works, like newer API records.
    #[serde(skip_serializing_if = "Option::is_none")]
    concepts: Option<Vec<Concept>>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    extras: Option<FullExtras>,
    updated_date: &'static str,
    /// Researchers (world indices) on the work with their institution in the
    /// output (None when the affiliation was dropped): for tallies, not JSON.
    #[serde(skip)]
    pub researchers: Vec<(u32, Option<u32>)>,
}

impl Work<'_> {
    /// `cited_by_count`.
    pub fn cited_by_count(&self) -> u32 {
        self.cited_by_count
    }
}

/// Author entity.
#[derive(Serialize)]
pub struct AuthorEntity<'a> {
    /// `id`: full OpenAlex id, `https://openalex.org/A59000000000`.
    pub id: String,
    /// `orcid`: ORCID URL, `https://orcid.org/0009-…`; null for about 30%.
    pub orcid: Option<&'a str>,
    /// `display_name`: the invented name.
    pub display_name: &'a str,
    /// `works_count`: the author's works in the output (dropped ones not
    /// counted).
    pub works_count: u32,
    /// `cited_by_count`: citations of those works, summed.
    pub cited_by_count: u64,
    /// `ids`: the OpenAlex id and the ORCID again.
    pub ids: AuthorIds<'a>,
    /// `affiliations`: each institution of the career with its years,
    /// the latest institution first.
    pub affiliations: Vec<AuthorAffiliation<'a>>,
    /// `last_known_institutions`: the institution of the career's last year.
    pub last_known_institutions: Vec<DehydratedInstitution<'a>>,
    /// `works_api_url`: the API query of the author's works.
    pub works_api_url: String,
    /// `updated_date`: [`UPDATED_DATE`].
    pub updated_date: &'static str,
    /// `created_date`: a fixed date, `2023-07-21`.
    pub created_date: &'static str,
}

/// `ids` of an author entity.
#[derive(Serialize)]
pub struct AuthorIds<'a> {
    /// `openalex`: the author's full OpenAlex id.
    pub openalex: String,
    /// `orcid`: the author's ORCID URL, or null.
    pub orcid: Option<&'a str>,
}

/// One `affiliations[]` entry of an author entity.
#[derive(Serialize)]
pub struct AuthorAffiliation<'a> {
    /// `institution`, dehydrated.
    pub institution: DehydratedInstitution<'a>,
    /// Descending, like OpenAlex.
    pub years: Vec<i32>,
}

/// Institution entity.
#[derive(Serialize)]
pub struct InstitutionEntity<'a> {
    /// `id`: full OpenAlex id, `https://openalex.org/I9000000001`.
    pub id: &'a str,
    /// `ror`: fake, well-formed ROR URL, `https://ror.org/0z…`.
    pub ror: &'a str,
    /// `display_name`: the invented name.
    pub display_name: &'a str,
    /// `country_code`: upper-case ISO 3166-1 alpha-2 code, `US`.
    pub country_code: &'static str,
    /// `type`: `education`, `funder` (the trap), `government` or `company`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `lineage`: full ids, the institution first, then its ancestors.
    pub lineage: &'a [String],
    /// `works_count`: works in the output with an author affiliated here
    /// (dropped works and affiliations not counted).
    pub works_count: u64,
    /// `ids`: the OpenAlex id and the ROR again.
    pub ids: InstitutionIds<'a>,
    /// `geo`: the country.
    pub geo: Geo,
    /// `associated_institutions`: the parent, if any, then the children.
    pub associated_institutions: Vec<Associated<'a>>,
    /// `works_api_url`: the API query of the institution's works.
    pub works_api_url: String,
    /// `updated_date`: [`UPDATED_DATE`].
    pub updated_date: &'static str,
    /// `created_date`: a fixed date, `2016-06-24`.
    pub created_date: &'static str,
}

/// `ids` of an institution entity.
#[derive(Serialize)]
pub struct InstitutionIds<'a> {
    /// `openalex`: the institution's full OpenAlex id.
    pub openalex: &'a str,
    /// `ror`: the institution's ROR URL.
    pub ror: &'a str,
}

/// `geo` of an institution entity (country only: the world has no cities).
#[derive(Serialize)]
pub struct Geo {
    /// `country_code`: upper-case ISO 3166-1 alpha-2 code, `US`.
    pub country_code: &'static str,
    /// `country`: the country's English name, `United States`.
    pub country: &'static str,
}

/// `associated_institutions[]` entry: parent or child.
#[derive(Serialize)]
pub struct Associated<'a> {
    /// `id`: the other institution's full OpenAlex id.
    pub id: &'a str,
    /// `ror`: its ROR URL.
    pub ror: &'a str,
    /// `display_name`: its name.
    pub display_name: &'a str,
    /// `country_code`: its upper-case ISO 3166-1 alpha-2 code.
    pub country_code: &'static str,
    /// `type`: its OpenAlex type.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `relationship`: `parent` or `child`, seen from the entity.
    pub relationship: &'static str,
}

/// Strip `https://openalex.org/` from a full id.
pub fn short(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

// ---------------------------------------------------------------- generator

fn normal(rng: &mut StdRng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn poisson(rng: &mut StdRng, lambda: f64) -> u32 {
    let l = (-lambda).exp();
    let (mut k, mut p) = (0, 1.0);
    loop {
        p *= rng.random::<f64>();
        if p <= l {
            return k;
        }
        k += 1;
    }
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn source_ref(index: usize) -> SourceRef {
    let (name, kind) = if index == ARXIV_SOURCE {
        (ARXIV, "repository")
    } else {
        (VENUES[index].name, VENUES[index].kind)
    };
    SourceRef {
        id: format!("https://openalex.org/S{}", SOURCE_BASE + index as u64 + 1),
        display_name: name,
        kind,
    }
}

fn make_topic(t: &TopicDef, score: f64) -> Topic {
    Topic {
        id: format!("https://openalex.org/{}", t.0),
        display_name: t.1,
        score: round4(score),
        subfield: Ref {
            id: format!("https://openalex.org/subfields/{}", t.2),
            display_name: t.3,
        },
        field: Ref {
            id: format!("https://openalex.org/fields/{}", t.4),
            display_name: t.5,
        },
        domain: Ref {
            id: format!("https://openalex.org/domains/{}", t.6),
            display_name: t.7,
        },
    }
}

fn make_concept(c: &ConceptDef, score: f64) -> Concept {
    Concept {
        id: format!("https://openalex.org/{}", c.0),
        wikidata: format!("https://www.wikidata.org/wiki/{}", c.3),
        display_name: c.1,
        level: c.2,
        score: round4(score),
    }
}

/// Knobs of the work generator (a subset of `DemoConfig`).
#[derive(Debug, Clone, Copy)]
pub struct WorkKnobs {
    /// The world's seed ([`super::DemoConfig::seed`]).
    pub seed: u64,
    /// Add the extras of real records ([`super::DemoConfig::full_records`]).
    pub full_records: bool,
    /// Share of AI works ([`super::DemoConfig::ai_share`]).
    pub ai_share: f64,
    /// Share of works dropped ([`super::DemoConfig::drop_papers`]).
    pub drop_papers: f64,
    /// Share of authorships emptied
    /// ([`super::DemoConfig::drop_affiliations`]).
    pub drop_affiliations: f64,
    /// Chance of a year without a paper
    /// ([`super::DemoConfig::gap_share`]).
    pub gap_share: f64,
}

/// Generates the works led by each researcher of a world.
pub struct WorkGen<'w> {
    world: &'w World,
    knobs: WorkKnobs,
    ai_venue_w: Vec<f64>,
    other_venue_w: Vec<f64>,
}

impl<'w> WorkGen<'w> {
    /// A generator over `world`.
    pub fn new(world: &'w World, knobs: WorkKnobs) -> Self {
        let ai_venue_w = VENUES
            .iter()
            .map(|v| if v.area.is_ai() { v.weight } else { 0.0 })
            .collect();
        let other_venue_w = VENUES
            .iter()
            .map(|v| if v.area.is_ai() { 0.0 } else { v.weight })
            .collect();
        WorkGen {
            world,
            knobs,
            ai_venue_w,
            other_venue_w,
        }
    }

    /// Generate every work that researcher `idx` leads, in year order, and
    /// hand each to `sink` with whether it is dropped from the output
    /// (`drop_papers`). Drops use their own RNG stream, so the works that are
    /// kept are identical whatever the drop rates.
    pub fn researcher_works(&self, idx: usize, sink: &mut dyn FnMut(&Work<'w>, bool)) {
        let w = self.world;
        let r = &w.researchers[idx];
        let mut rng =
            StdRng::seed_from_u64(derive_seed(self.knobs.seed, stream::WORKS, idx as u64));
        let mut drops =
            StdRng::seed_from_u64(derive_seed(self.knobs.seed, stream::DROPS, idx as u64));
        let mut extras_rng =
            StdRng::seed_from_u64(derive_seed(self.knobs.seed, stream::EXTRAS, idx as u64));
        let n_years = r.institutions.len();
        let mut k = 0u64;
        for (yi, year) in r.years().enumerate() {
            let country = w.institutions[r.institutions[yi] as usize].country;
            let (p0, p1) = COUNTRIES[country].productivity;
            let t = if w.to > w.from {
                (year - w.from) as f64 / (w.to - w.from) as f64
            } else {
                1.0
            };
            let lambda = 1.7 * (p0 + (p1 - p0) * t);
            let edge = yi == 0 || yi + 1 == n_years;
            // Interior years may have no paper (a gap); first and last never.
            let gap = rng.random::<f64>() < self.knobs.gap_share;
            let papers = if gap && !edge {
                0
            } else {
                poisson(&mut rng, lambda).clamp(1, 6)
            };
            for _ in 0..papers {
                let num = WORK_BASE + idx as u64 * WORKS_PER_RESEARCHER + k;
                k += 1;
                let mut work = self.work(idx, year, num, &mut rng, &mut extras_rng);
                let dropped = drops.random::<f64>() < self.knobs.drop_papers;
                for (a, slot) in work.authorships.iter_mut().zip(work.researchers.iter_mut()) {
                    if drops.random::<f64>() < self.knobs.drop_affiliations {
                        a.institutions.clear();
                        a.countries.clear();
                        a.raw_affiliation_strings.clear();
                        slot.1 = None;
                    }
                }
                sink(&work, dropped);
            }
        }
    }

    /// Co-authors of a work by `lead` in `year`: mostly colleagues from the
    /// same institution, then the same country, then anywhere (international
    /// collaboration).
    fn coauthors(&self, lead: usize, year: i32, rng: &mut StdRng) -> Vec<u32> {
        const COUNT_W: [f64; 7] = [0.10, 0.25, 0.27, 0.18, 0.10, 0.06, 0.04];
        let w = self.world;
        let n = pick_weighted(rng, &COUNT_W);
        let inst = w.researchers[lead]
            .institution_in(year)
            .expect("lead active");
        let country = w.institutions[inst as usize].country;
        let mut out: Vec<u32> = Vec::with_capacity(n);
        for _ in 0..n {
            for _attempt in 0..4 {
                let u = rng.random::<f64>();
                let pool = if u < 0.6 {
                    w.by_institution.get(&(inst, year))
                } else if u < 0.85 {
                    w.by_country.get(&(country, year))
                } else {
                    w.by_year.get(&year)
                };
                let Some(pool) = pool else { continue };
                let c = *pick(rng, pool);
                if c as usize != lead && !out.contains(&c) {
                    out.push(c);
                    break;
                }
            }
        }
        out
    }

    /// Work number `num`, led by `lead` in `year`. Its parts are drawn from
    /// `rng` one step after the other, in this order: authorships, subject
    /// (venue, area, type), citations, concepts and topics, title, date. With
    /// `full_records`, the extras are then drawn from `xr`. The seed promises
    /// the same world byte for byte: keep the order of the steps, and of the
    /// draws within each.
    fn work(
        &self,
        lead: usize,
        year: i32,
        num: u64,
        rng: &mut StdRng,
        xr: &mut StdRng,
    ) -> Work<'w> {
        let id = format!("https://openalex.org/W{num}");
        let doi = format!("https://doi.org/10.5555/talentchain-demo.{num}");
        let (authorships, researchers) = self.authorships(lead, year, rng);
        let subject = self.subject(rng);
        let cited = self.citations(lead, year, &subject, rng);
        let (concepts, topics) = classification(&subject, rng);
        let title = make_title(rng, subject.area);
        let (publication_date, month) = publication_date(year, rng);
        let primary_location = primary_location(&subject, year, month, num, &doi);
        let mut work = Work {
            id,
            doi,
            display_name: title.clone(),
            title,
            publication_year: year,
            publication_date,
            language: "en",
            primary_location,
            kind: subject.kind,
            authorships,
            cited_by_count: cited,
            primary_topic: topics.first().cloned(),
            topics,
            concepts,
            extras: None,
            updated_date: UPDATED_DATE,
            researchers,
        };
        if self.knobs.full_records {
            work.extras = Some(self.extras(xr, &work, &subject));
        }
        work
    }

    /// The authorships of a work by `lead` in `year`, in author order, and
    /// its researchers (world index, institution index) in the same order.
    /// The lead comes first, last (as PI) or in the middle; the co-authors
    /// are drawn by [`Self::coauthors`].
    fn authorships(
        &self,
        lead: usize,
        year: i32,
        rng: &mut StdRng,
    ) -> (Vec<Authorship<'w>>, Vec<(u32, Option<u32>)>) {
        let mut people: Vec<u32> = self.coauthors(lead, year, rng);
        let u = rng.random::<f64>();
        let pos = if people.is_empty() || u < 0.55 {
            0
        } else if u < 0.85 {
            people.len()
        } else {
            rng.random_range(0..=people.len())
        };
        people.insert(pos, lead as u32);
        let last = people.len() - 1;
        let mut authorships = Vec::with_capacity(people.len());
        let mut researchers = Vec::with_capacity(people.len());
        for (i, &p) in people.iter().enumerate() {
            let position = if i == 0 {
                "first"
            } else if i == last {
                "last"
            } else {
                "middle"
            };
            let (authorship, inst_idx) = self.authorship(p, year, position, p as usize == lead);
            authorships.push(authorship);
            researchers.push((p, Some(inst_idx)));
        }
        (authorships, researchers)
    }

    /// The authorship of researcher `p` at `position` ("first", "middle",
    /// "last") on a work of `year`, affiliated with their institution of
    /// that year, and that institution's world index. No draws.
    fn authorship(
        &self,
        p: u32,
        year: i32,
        position: &'static str,
        is_corresponding: bool,
    ) -> (Authorship<'w>, u32) {
        let w = self.world;
        let res = &w.researchers[p as usize];
        let inst_idx = res
            .institution_in(year)
            .expect("co-author active in the work's year");
        let inst = &w.institutions[inst_idx as usize];
        let code = COUNTRIES[inst.country].code;
        let raw = format!("{}, {}", inst.name, COUNTRIES[inst.country].name);
        let authorship = Authorship {
            author_position: position,
            author: AuthorRef {
                id: format!("https://openalex.org/{}", res.short_id()),
                display_name: &res.name,
                orcid: res.orcid.as_deref(),
            },
            institutions: vec![DehydratedInstitution::of(inst)],
            countries: vec![code],
            is_corresponding,
            raw_author_name: &res.name,
            raw_affiliation_strings: vec![raw],
        };
        (authorship, inst_idx)
    }

    /// Subject, venue and type of a work: AI or not (`ai_share`), an arXiv
    /// preprint for some AI works, a venue of the matching kind, the area
    /// (a general AI venue's works spread over the AI areas), the type.
    fn subject(&self, rng: &mut StdRng) -> Subject {
        let is_ai = rng.random::<f64>() < self.knobs.ai_share;
        let preprint = is_ai && rng.random::<f64>() < 0.15;
        let venue_idx = pick_weighted(
            rng,
            if is_ai {
                &self.ai_venue_w
            } else {
                &self.other_venue_w
            },
        );
        let venue = &VENUES[venue_idx];
        let area = if venue.area == Area::GeneralAi {
            *pick(
                rng,
                &[
                    Area::Ml,
                    Area::Cv,
                    Area::Nlp,
                    Area::Robotics,
                    Area::GeneralAi,
                ],
            )
        } else {
            venue.area
        };
        let source_idx = if preprint { ARXIV_SOURCE } else { venue_idx };
        let kind = if preprint {
            "preprint"
        } else if venue.kind == "conference" && rng.random::<f64>() < 0.2 {
            "conference-paper"
        } else {
            "article"
        };
        Subject {
            is_ai,
            preprint,
            venue,
            area,
            source_idx,
            kind,
        }
    }

    /// Citations of a work by `lead` in `year`: lognormal, more for older
    /// works, top venues, US-led and company-led works.
    fn citations(&self, lead: usize, year: i32, subject: &Subject, rng: &mut StdRng) -> u32 {
        let w = self.world;
        let lead_inst = &w.institutions[w.researchers[lead].institution_in(year).unwrap() as usize];
        let age = (SNAPSHOT_YEAR - year).clamp(0, 10) as f64;
        let company = matches!(lead_inst.kind, Kind::Company | Kind::CompanyLab);
        let mu = 0.4
            + 0.22 * age
            + if subject.preprint {
                0.0
            } else {
                subject.venue.boost
            }
            + COUNTRIES[lead_inst.country].citation_boost
            + if company { 0.3 } else { 0.0 };
        ((mu + 1.25 * normal(rng)).exp() - 1.0).clamp(0.0, 200_000.0) as u32
    }

    /// The bulk that `full_records` adds to `work`, to reach the real
    /// snapshot's size. Its draws from `xr`, in this order: references,
    /// abstract, keywords, open access, biblio; the rest follows from the
    /// work.
    fn extras(&self, xr: &mut StdRng, work: &Work<'_>, subject: &Subject) -> FullExtras {
        let (referenced_works, related_works) = self.references(xr);
        let topical = if subject.is_ai { AI_WORDS } else { SCI_WORDS };
        let abstract_inverted_index = abstract_index(xr, topical);
        let keywords = make_keywords(xr, topical);
        let oa = xr.random::<f64>() < 0.45;
        let biblio = make_biblio(xr, work.publication_year);

        let repo_url = format!("https://arxiv.org/abs/{}", short(&work.id));
        let locations = extra_locations(&work.doi, subject.source_idx, oa, &repo_url);
        let authorships = &work.authorships;
        let corresponding = authorships.iter().find(|a| a.is_corresponding);
        FullExtras {
            ids: Ids {
                openalex: work.id.clone(),
                doi: work.doi.clone(),
            },
            type_crossref: if subject.venue.kind == "conference" {
                "proceedings-article"
            } else {
                "journal-article"
            },
            indexed_in: ["crossref"],
            open_access: OpenAccess {
                is_oa: oa,
                oa_status: if oa { "green" } else { "closed" },
                oa_url: oa.then(|| repo_url.replace("/abs/", "/pdf/")),
                any_repository_has_fulltext: oa,
            },
            countries_distinct_count: distinct_count(
                authorships.iter().flat_map(|a| a.countries.iter().copied()),
            ),
            institutions_distinct_count: distinct_count(
                authorships
                    .iter()
                    .flat_map(|a| a.institutions.iter().map(|i| i.id)),
            ),
            corresponding_author_ids: corresponding
                .map(|a| vec![a.author.id.clone()])
                .unwrap_or_default(),
            corresponding_institution_ids: corresponding
                .map(|a| a.institutions.iter().map(|i| i.id.to_string()).collect())
                .unwrap_or_default(),
            fwci: round4((work.cited_by_count as f64 + 1.0).ln() / 2.0),
            has_fulltext: oa,
            biblio,
            is_retracted: false,
            is_paratext: false,
            keywords,
            locations_count: locations.len(),
            locations,
            referenced_works_count: referenced_works.len(),
            referenced_works,
            related_works,
            abstract_inverted_index,
            cited_by_api_url: format!(
                "https://api.openalex.org/works?filter=cites:{}",
                short(&work.id)
            ),
            counts_by_year: counts_by_year(work.publication_year, work.cited_by_count),
            created_date: work.publication_date.clone(),
        }
    }

    /// `referenced_works` (20–50 ids; none on a tenth of works, like real
    /// records) and the 10 `related_works`, each drawn by [`Self::work_ref`].
    fn references(&self, xr: &mut StdRng) -> (Vec<String>, Vec<String>) {
        let n_refs = if xr.random::<f64>() < 0.9 {
            xr.random_range(20..=50)
        } else {
            0
        };
        let referenced_works: Vec<String> = (0..n_refs).map(|_| self.work_ref(xr)).collect();
        let related_works: Vec<String> = (0..10).map(|_| self.work_ref(xr)).collect();
        (referenced_works, related_works)
    }

    /// The full id of one of the first four works of a random researcher.
    fn work_ref(&self, xr: &mut StdRng) -> String {
        let n_res = self.world.researchers.len() as u64;
        let r = xr.random_range(0..n_res);
        format!(
            "https://openalex.org/W{}",
            WORK_BASE + r * WORKS_PER_RESEARCHER + xr.random_range(0..4)
        )
    }
}

/// What a work is about and where it appeared, as [`WorkGen::subject`]
/// draws it.
struct Subject {
    /// AI under every profile (AI venue, AI concepts and topics).
    is_ai: bool,
    /// An arXiv preprint (AI works only): published in the arXiv source,
    /// without its venue's citation boost.
    preprint: bool,
    /// The venue drawn; a preprint keeps it for its area and crossref type.
    venue: &'static Venue,
    /// The research area: the venue's, or one of the AI areas for a general
    /// AI venue.
    area: Area,
    /// Index of the source published in: the venue's, or [`ARXIV_SOURCE`].
    source_idx: usize,
    /// OpenAlex `type`: "preprint", "conference-paper" or "article".
    kind: &'static str,
}

/// Concepts and topics of a work. Non-AI works sometimes carry only one of
/// the two (mixed API versions); AI works always carry both, so that every
/// AI profile (concepts, topics, venue) finds the same AI works.
fn classification(subject: &Subject, rng: &mut StdRng) -> (Option<Vec<Concept>>, Vec<Topic>) {
    let shape = if subject.is_ai {
        0
    } else {
        pick_weighted(rng, &[0.7, 0.15, 0.15])
    };
    let concepts = (shape != 2).then(|| make_concepts(subject, rng));
    let topics: Vec<Topic> = if shape == 1 {
        Vec::new()
    } else {
        make_topics(subject.area, rng)
    };
    (concepts, topics)
}

/// The concepts of a work, highest score first: its area's concepts (0.3 to
/// 0.99), sometimes deep learning on AI works, and a low-score tail.
fn make_concepts(subject: &Subject, rng: &mut StdRng) -> Vec<Concept> {
    let is_ai = subject.is_ai;
    let defs = area_concepts(subject.area);
    let mut cs: Vec<Concept> = defs
        .iter()
        .map(|c| make_concept(c, 0.3 + 0.69 * rng.random::<f64>()))
        .collect();
    if is_ai && rng.random::<f64>() < 0.5 {
        cs.push(make_concept(&C_DL, 0.3 + 0.5 * rng.random::<f64>()));
    }
    // Low-score tail, as in real records; on some non-AI works that
    // includes the AI concept below the 0.3 threshold.
    if rng.random::<f64>() < 0.5 {
        cs.push(make_concept(&C_MATH, 0.25 * rng.random::<f64>()));
    }
    if !is_ai && rng.random::<f64>() < 0.2 {
        cs.push(make_concept(&C_AI, 0.25 * rng.random::<f64>()));
    }
    cs.sort_by(|a, b| b.score.total_cmp(&a.score));
    cs
}

/// One or two consecutive topics of the area, the first scored 0.9 to
/// 0.9999, each next one a little lower.
fn make_topics(area: Area, rng: &mut StdRng) -> Vec<Topic> {
    let pool = area_topics(area);
    let n = rng.random_range(1..=pool.len().min(2));
    let first = rng.random_range(0..pool.len());
    let mut score = 0.9 + 0.0999 * rng.random::<f64>();
    (0..n)
        .map(|i| {
            let t = make_topic(&pool[(first + i) % pool.len()], score);
            score *= 0.8 + 0.15 * rng.random::<f64>();
            t
        })
        .collect()
}

/// A publication date in `year` (`YYYY-MM-DD`, day 1 to 28), and its month.
fn publication_date(year: i32, rng: &mut StdRng) -> (String, i32) {
    let month: i32 = rng.random_range(1..=12);
    let day: i32 = rng.random_range(1..=28);
    (format!("{year}-{month:02}-{day:02}"), month)
}

/// `primary_location`: the venue, landing on the DOI; or, for a preprint,
/// arXiv, open, landing on an arXiv id made of the year, month and work
/// number. No draws.
fn primary_location(subject: &Subject, year: i32, month: i32, num: u64, doi: &str) -> Location {
    let preprint = subject.preprint;
    let landing = if preprint {
        format!(
            "https://arxiv.org/abs/{:02}{:02}.{:05}",
            year % 100,
            month,
            num % 100_000
        )
    } else {
        doi.to_string()
    };
    Location {
        is_oa: preprint,
        pdf_url: preprint.then(|| landing.replace("/abs/", "/pdf/")),
        landing_page_url: landing,
        source: source_ref(subject.source_idx),
        license: None,
        version: Some(if preprint {
            "submittedVersion"
        } else {
            "publishedVersion"
        }),
        is_accepted: !preprint,
        is_published: !preprint,
    }
}

/// `abstract_inverted_index` of 150 to 250 words, glue words and the
/// `topical` vocabulary; `None` (no abstract) on a quarter of works.
fn abstract_index(xr: &mut StdRng, topical: &[&'static str]) -> Option<InvertedIndex> {
    let n_words = if xr.random::<f64>() < 0.75 {
        xr.random_range(150..=250)
    } else {
        0
    };
    let mut index: Vec<(&'static str, Vec<u32>)> = Vec::new();
    let mut at: HashMap<&'static str, usize> = HashMap::new();
    for pos in 0..n_words {
        let word = if xr.random::<f64>() < 0.55 {
            *pick(xr, GLUE_WORDS)
        } else {
            *pick(xr, topical)
        };
        let slot = *at.entry(word).or_insert_with(|| {
            index.push((word, Vec::new()));
            index.len() - 1
        });
        index[slot].1.push(pos);
    }
    (!index.is_empty()).then_some(InvertedIndex(index))
}

/// Two or three keywords from the `topical` vocabulary, scored 0.3 to 0.9.
fn make_keywords(xr: &mut StdRng, topical: &[&'static str]) -> Vec<Keyword> {
    (0..xr.random_range(2..=3))
        .map(|_| {
            let word = *pick(xr, topical);
            Keyword {
                id: format!("https://openalex.org/keywords/{word}"),
                display_name: word,
                score: round4(0.3 + 0.6 * xr.random::<f64>()),
            }
        })
        .collect()
}

/// `biblio` of a work of `year`: volume by year, random issue and pages.
fn make_biblio(xr: &mut StdRng, year: i32) -> Biblio {
    let first_page = xr.random_range(1..3000u32);
    Biblio {
        volume: Some(format!("{}", year - 1980)),
        issue: Some(format!("{}", xr.random_range(1..13))),
        first_page: Some(first_page.to_string()),
        last_page: Some((first_page + xr.random_range(6..20)).to_string()),
    }
}

/// `locations`: the published version at `doi` in source `source_idx`,
/// then, when open access (`oa`), the accepted version on arXiv at
/// `repo_url`. No draws.
fn extra_locations(doi: &str, source_idx: usize, oa: bool, repo_url: &str) -> Vec<Location> {
    let mut locations = vec![Location {
        is_oa: false,
        landing_page_url: doi.to_string(),
        pdf_url: None,
        source: source_ref(source_idx),
        license: None,
        version: Some("publishedVersion"),
        is_accepted: true,
        is_published: true,
    }];
    if oa {
        locations.push(Location {
            is_oa: true,
            landing_page_url: repo_url.to_string(),
            pdf_url: Some(repo_url.replace("/abs/", "/pdf/")),
            source: source_ref(ARXIV_SOURCE),
            license: Some("cc-by"),
            version: Some("submittedVersion"),
            is_accepted: false,
            is_published: false,
        });
    }
    locations
}

/// `counts_by_year`: the `cited` citations spread evenly over the years
/// since publication (the last 10 at most, newest first, the remainder on
/// the newest), years with none left out. No draws.
fn counts_by_year(year: i32, cited: u32) -> Vec<YearCount> {
    let years: Vec<i32> = (year.max(SNAPSHOT_YEAR - 9)..=SNAPSHOT_YEAR)
        .rev()
        .collect();
    let mut counts: Vec<u32> = vec![0; years.len()];
    if !years.is_empty() {
        let share = cited / years.len() as u32;
        for c in counts.iter_mut() {
            *c = share;
        }
        counts[0] += cited - share * years.len() as u32;
    }
    years
        .iter()
        .zip(&counts)
        .filter(|(_, c)| **c > 0)
        .map(|(&y, &c)| YearCount {
            year: y,
            cited_by_count: c,
        })
        .collect()
}

/// How many distinct values `items` holds.
fn distinct_count<T: Ord>(items: impl Iterator<Item = T>) -> usize {
    let mut all: Vec<T> = items.collect();
    all.sort();
    all.dedup();
    all.len()
}

fn make_title(rng: &mut StdRng, area: Area) -> String {
    let words = if area.is_ai() { AI_WORDS } else { SCI_WORDS };
    let cap = |s: &str| {
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
    let (a, b, c) = (pick(rng, words), pick(rng, words), pick(rng, words));
    match rng.random_range(0..3) {
        0 => format!(
            "{} {} {} for {}",
            pick(rng, TITLE_ADJ),
            cap(a),
            cap(b),
            cap(c)
        ),
        1 => format!(
            "Towards {} {} with {} {}",
            pick(rng, TITLE_ADJ),
            cap(a),
            cap(b),
            cap(c)
        ),
        _ => format!("On the {} of {} {}", cap(a), cap(b), cap(c)),
    }
}
