//! The sector rule: which of seven sectors an institution belongs to.
//!
//! OpenAlex copies the institution `type` from ROR, but recent responses type
//! many universities as `funder` (71 of the 136 institutions in the shared
//! explorer sample, Stanford and Tsinghua among them), so the type alone puts
//! most of academia in the wrong sector. The rule below trusts a ROR type when
//! it is one of the seven sectors, and otherwise reads the name.
//!
//! | step | input | result |
//! |---|---|---|
//! | 1 | `kind` is education, company, government, facility, healthcare, nonprofit, other | that sector |
//! | 1 | `kind` is archive | other |
//! | 2 | `kind` is funder, missing or unknown: the name has a hospital marker (Hospital, Klinikum, Hôpital, Ospedale, 医院, 病院, the word Clinic) | healthcare |
//! | 3 | … a university marker (Universi-ty/tät/té/dad/tà/teit/dade/tet, Univerzita, Uniwersytet, Университет, College, Institute of Technology, Polytechnic, Politecnico, École, Hochschule, Högskola, Hogeschool, Technion, 大学, 大學, 대학, the acronyms KU, ETH, EPFL, KTH) | education |
//! | 4 | … a company marker (Inc, Ltd, LLC, GmbH, Corp, Corporation, PLC, AG, S.A., Limited, Company, K.K., Pty, B.V., N.V., 公司, 株式会社, or a major AI-lab company name: Google, Microsoft, Facebook, Meta, IBM, Amazon, NVIDIA, DeepMind, Tencent, Alibaba, Baidu, Huawei, Samsung, Intel, ByteDance, SenseTime, Adobe, Sony, Siemens, Bosch, OpenAI …) | company |
//! | 5 | … Medical Center/Centre, Health System | healthcare |
//! | 6 | … Ministry, Ministère, Ministerio, Agency, Bureau, National Institutes of Health, Academy of Sciences, National Research Council, Consiglio Nazionale, Centre National | government |
//! | 7 | … Foundation, Fondation, Stiftung, Fundación, Society, Gesellschaft, Association | nonprofit |
//! | 8 | … Laboratory, Laboratoire, Labor, Observatory, Institute/Institut/Instituto/Istituto, Center/Centre for, Research Center, Zentrum, 研究所, 研究院 | facility |
//! | 9 | no marker: `root_kind` (the lineage root's type, or better its sector) if it is a trusted type | that sector |
//! | 10 | otherwise | other |
//!
//! Markers are matched case-insensitively: multi-word markers as substrings,
//! short ones (Inc, AG, KU, IBM …) as whole words only.

/// The seven sectors, in the order reports list them.
pub const SECTORS: [&str; 7] = [
    "education",
    "company",
    "government",
    "facility",
    "healthcare",
    "nonprofit",
    "other",
];

/// The sector of an institution from its ROR/OpenAlex `kind` (type), its
/// display `name`, and `root_kind`: the type of its lineage root (the caller
/// may pass the root's already-computed sector instead, which is better since
/// roots are often typed `funder` too).
///
/// Always returns one of [`SECTORS`]. See the module documentation for the
/// rule, step by step.
pub fn sector(kind: Option<&str>, name: Option<&str>, root_kind: Option<&str>) -> &'static str {
    if let Some(s) = trusted(kind) {
        return s;
    }
    if let Some(s) = name.and_then(from_name) {
        return s;
    }
    trusted(root_kind).unwrap_or("other")
}

/// A type that can be taken at its word: the seven sectors, and `archive`
/// (→ other). `funder`, an empty or an unknown type is not trusted.
fn trusted(kind: Option<&str>) -> Option<&'static str> {
    let k = kind?.trim().to_ascii_lowercase();
    if k == "archive" {
        return Some("other");
    }
    SECTORS.iter().copied().find(|s| *s == k)
}

const HEALTH_STRONG_SUB: &[&str] = &[
    "hospital",
    "hôpital",
    "hopital",
    "klinikum",
    "krankenhaus",
    "ospedale",
    "spital",
    "医院",
    "病院",
];
const HEALTH_STRONG_WORD: &[&str] = &[
    "clinic", "clinics", "klinik", "clinique", "clínica", "clinica",
];

const EDU_SUB: &[&str] = &[
    "universi", // university, universität, université, universidad, università, universiteit, universidade, universitet …
    "univerzit",
    "uniwersytet",
    "университет",
    "college",
    "institute of technology",
    "polytechnic",
    "politecnico",
    "polytechnique",
    "politécnica",
    "politehnica",
    "école",
    "ecole ",
    "hochschule",
    "högskola",
    "hogeschool",
    "technion",
    "大学",
    "大學",
    "대학",
];
const EDU_WORD: &[&str] = &["ku", "eth", "epfl", "kth", "ucl", "mit", "kaist"];

const COMPANY_SUB: &[&str] = &[
    "s.a.",
    "k.k.",
    "b.v.",
    "n.v.",
    "公司",
    "株式会社",
    "meta platforms",
];
const COMPANY_WORD: &[&str] = &[
    "inc",
    "ltd",
    "llc",
    "gmbh",
    "corp",
    "corporation",
    "plc",
    "ag",
    "limited",
    "company",
    "pty",
    "kk",
    "google",
    "microsoft",
    "facebook",
    "meta",
    "ibm",
    "amazon",
    "nvidia",
    "deepmind",
    "tencent",
    "alibaba",
    "baidu",
    "huawei",
    "samsung",
    "intel",
    "bytedance",
    "sensetime",
    "adobe",
    "sony",
    "siemens",
    "bosch",
    "openai",
    "anthropic",
    "netflix",
    "salesforce",
    "qualcomm",
    "megvii",
    "iflytek",
    "naver",
    "toyota",
    "hitachi",
    "fujitsu",
    "nec",
    "ntt",
];

const HEALTH_WEAK_SUB: &[&str] = &[
    "medical center",
    "medical centre",
    "health system",
    "health care system",
];

const GOV_SUB: &[&str] = &[
    "ministry",
    "ministère",
    "ministerio",
    "ministerium",
    "agency",
    "bureau",
    "national institutes of health",
    "academy of sciences",
    "national research council",
    "consiglio nazionale",
    "centre national",
    "bundesamt",
];

const NONPROFIT_SUB: &[&str] = &[
    "foundation",
    "fondation",
    "stiftung",
    "fundación",
    "fundacion",
    "fondazione",
    "society",
    "gesellschaft",
    "association",
];

const FACILITY_SUB: &[&str] = &[
    "laborator",
    "laboratoire",
    "observatory",
    "institute",
    "institut",
    "istituto",
    "center for",
    "centre for",
    "research center",
    "research centre",
    "zentrum",
    "研究所",
    "研究院",
];
const FACILITY_WORD: &[&str] = &["labor", "lab", "labs"];

/// Steps 2–8 of the rule: the sector a name's markers point to, if any.
fn from_name(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let sub = |list: &[&str]| list.iter().any(|m| lower.contains(m));
    let word = |list: &[&str]| list.iter().any(|m| words.contains(m));
    if sub(HEALTH_STRONG_SUB) || word(HEALTH_STRONG_WORD) {
        Some("healthcare")
    } else if sub(EDU_SUB) || word(EDU_WORD) {
        Some("education")
    } else if sub(COMPANY_SUB) || word(COMPANY_WORD) {
        Some("company")
    } else if sub(HEALTH_WEAK_SUB) {
        Some("healthcare")
    } else if sub(GOV_SUB) {
        Some("government")
    } else if sub(NONPROFIT_SUB) {
        Some("nonprofit")
    } else if sub(FACILITY_SUB) || word(FACILITY_WORD) {
        Some("facility")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufRead;

    #[test]
    fn trusted_types_map_to_themselves() {
        for s in SECTORS {
            assert_eq!(sector(Some(s), Some("Acme University"), None), s);
        }
        assert_eq!(
            sector(Some("archive"), Some("National Archives"), None),
            "other"
        );
        assert_eq!(sector(Some("Company"), None, None), "company");
    }

    #[test]
    fn funder_typed_institutions_are_read_by_name() {
        let f = |name| sector(Some("funder"), Some(name), None);
        assert_eq!(f("Stanford University"), "education");
        assert_eq!(f("Technische Universität München"), "education");
        assert_eq!(f("Université Paris Cité"), "education");
        assert_eq!(f("Universidade de São Paulo"), "education");
        assert_eq!(f("Massachusetts Institute of Technology"), "education");
        assert_eq!(f("Meta"), "company");
        assert_eq!(f("Meta AI"), "company");
        assert_eq!(f("Imperial College London"), "education");
        assert_eq!(f("KU Leuven"), "education");
        assert_eq!(f("ETH Zurich"), "education");
        assert_eq!(f("清华大学"), "education");
        assert_eq!(f("Peking University Third Hospital"), "healthcare");
        assert_eq!(f("Mayo Clinic"), "healthcare");
        assert_eq!(f("Google (United States)"), "company");
        assert_eq!(f("Huawei Technologies (China)"), "company");
        assert_eq!(f("Robert Bosch GmbH"), "company");
        assert_eq!(f("Pacific Northwest National Laboratory"), "facility");
        assert_eq!(f("Chinese Academy of Sciences"), "government");
        assert_eq!(f("Wellcome Trust Foundation"), "nonprofit");
    }

    #[test]
    fn short_company_markers_match_whole_words_only() {
        // "Inc" inside "Lincoln" and "ag" inside "Chicago" must not make a company.
        assert_eq!(sector(None, Some("Lincoln Memorial"), None), "other");
        assert_eq!(sector(None, Some("Chicago Botanic Garden"), None), "other");
        assert_eq!(sector(None, Some("Acme Inc."), None), "company");
    }

    #[test]
    fn falls_back_to_the_root_then_other() {
        assert_eq!(
            sector(Some("funder"), Some("Zebra"), Some("government")),
            "government"
        );
        assert_eq!(
            sector(Some("funder"), Some("Zebra"), Some("funder")),
            "other"
        );
        assert_eq!(sector(None, None, Some("education")), "education");
        assert_eq!(sector(None, None, None), "other");
        assert_eq!(sector(Some(""), None, None), "other");
    }

    /// The 71 `funder`-typed institutions of the real explorer sample: 68 are
    /// universities (names checked by hand); the other three are Pacific
    /// Northwest National Laboratory, the Environmental Molecular Sciences
    /// Laboratory (both facility) and the Munich Center for Machine Learning
    /// (facility, "Center for").
    #[test]
    fn real_funder_typed_institutions() {
        let rel = "openalex/explorer/institutions.jsonl.gz";
        let Some(path) = talentchain_testkit::shared_data(rel) else {
            return;
        };
        let file = std::fs::File::open(path).unwrap();
        let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(file));
        let mut counts = std::collections::BTreeMap::<&str, Vec<String>>::new();
        let mut funders = 0;
        for line in reader.lines() {
            let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
            if v["type"] != "funder" {
                continue;
            }
            funders += 1;
            let name = v["display_name"].as_str().unwrap().to_string();
            counts
                .entry(sector(Some("funder"), Some(&name), None))
                .or_default()
                .push(name);
        }
        assert_eq!(funders, 71);
        assert_eq!(counts["education"].len(), 68, "{counts:?}");
        let mut facility = counts["facility"].clone();
        facility.sort();
        assert_eq!(
            facility,
            [
                "Environmental Molecular Sciences Laboratory",
                "Munich Center for Machine Learning",
                "Pacific Northwest National Laboratory"
            ]
        );
        for n in [
            "Stanford University",
            "Tsinghua University",
            "KU Leuven",
            "Imperial College London",
        ] {
            assert!(counts["education"].iter().any(|x| x == n), "{n}");
        }
    }
}
