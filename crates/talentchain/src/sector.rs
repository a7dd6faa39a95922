//! Sector of an institution (placeholder until the documented rule lands).

/// The sector of an institution from its OpenAlex type.
pub fn sector(kind: Option<&str>, _name: Option<&str>, root_kind: Option<&str>) -> &'static str {
    fn trusted(k: &str) -> Option<&'static str> {
        Some(match k {
            "education" => "education",
            "company" => "company",
            "government" => "government",
            "facility" => "facility",
            "healthcare" => "healthcare",
            "nonprofit" => "nonprofit",
            "archive" | "other" => "other",
            _ => return None,
        })
    }
    kind.and_then(trusted).or_else(|| root_kind.and_then(trusted)).unwrap_or("other")
}
