//! Values a record gives that cannot be right: a publication year outside
//! [`FIRST_YEAR`]..=[`LAST_YEAR`], a negative count, a publication date
//! that is not a date (`YYYY-MM-DD`), a country code that is not ISO 3166-1
//! alpha-2 ([`crate::model::countries::COUNTRIES`]). Each is set to null
//! (a country code left out, an affiliation year dropped), the record kept,
//! and reported by reason with file and line like other bad input
//! (README, "Bad input"). Taken silently, a year 99999 or a negative
//! citation count would be counted like any other.

use std::collections::BTreeSet;

use crate::model::{Author, Institution, Work};

/// What is implausible; ingest reports each as the bad-input reason of the
/// same name (`implausible_year`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// A year outside [`FIRST_YEAR`]..=[`LAST_YEAR`].
    ImplausibleYear,
    /// A negative count.
    NegativeCount,
    /// A publication date that is not a date.
    BadDate,
    /// A country code that is not ISO 3166-1 alpha-2.
    BadCountry,
}

/// The first publication year taken (the first scholarly journals are of
/// 1665; OpenAlex has some works dated earlier, none credibly before this).
pub const FIRST_YEAR: i32 = 1600;
/// The last publication year taken.
pub const LAST_YEAR: i32 = 2100;

/// What one record had that is implausible, each once: (reason, detail).
#[derive(Debug, Default)]
pub struct Findings(BTreeSet<(Reason, String)>);

impl Findings {
    fn add(&mut self, reason: Reason, detail: String) {
        self.0.insert((reason, detail));
    }

    /// The findings, by reason.
    pub fn items(self) -> impl Iterator<Item = (Reason, String)> {
        self.0.into_iter()
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn plausible_year(y: i32) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&y)
}

fn year(field: &str, y: &mut Option<i32>, f: &mut Findings) {
    if let Some(v) = *y
        && !plausible_year(v)
    {
        f.add(
            Reason::ImplausibleYear,
            format!("`{field}` {v} is outside {FIRST_YEAR}–{LAST_YEAR}: set to null"),
        );
        *y = None;
    }
}

fn count(field: &str, c: &mut Option<i64>, f: &mut Findings) {
    if let Some(v) = *c
        && v < 0
    {
        f.add(
            Reason::NegativeCount,
            format!("`{field}` {v} is negative: set to null"),
        );
        *c = None;
    }
}

/// Whether `d` is a calendar date `YYYY-MM-DD` of a plausible year.
pub fn is_date(d: &str) -> bool {
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return false;
    }
    let (y, m, day): (i32, u32, u32) = (
        d[0..4].parse().unwrap_or(0),
        d[5..7].parse().unwrap_or(0),
        d[8..10].parse().unwrap_or(0),
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    plausible_year(y) && (1..=days).contains(&day)
}

fn date(field: &str, d: &mut Option<String>, f: &mut Findings) {
    if let Some(v) = d
        && !is_date(v)
    {
        f.add(
            Reason::BadDate,
            format!("`{field}` {v:?} is not a date (YYYY-MM-DD): set to null"),
        );
        *d = None;
    }
}

/// Whether `code` is an ISO 3166-1 alpha-2 code.
pub fn is_country(code: &str) -> bool {
    crate::model::countries::is_code(code)
}

fn bad_country(code: &str, f: &mut Findings) {
    f.add(
        Reason::BadCountry,
        format!("country code {code:?} is not ISO 3166-1 alpha-2: left out"),
    );
}

/// Clear a country code that is not ISO-2.
pub fn country(c: &mut Option<String>, f: &mut Findings) {
    if let Some(code) = c
        && !is_country(code)
    {
        bad_country(code, f);
        *c = None;
    }
}

/// Check a work's year, date, citations and country codes.
pub fn work(w: &mut Work, f: &mut Findings) {
    year("publication_year", &mut w.year, f);
    date("publication_date", &mut w.publication_date, f);
    count("cited_by_count", &mut w.cited_by_count, f);
    for a in &mut w.authorships {
        a.countries.retain(|c| {
            let ok = is_country(c);
            if !ok {
                bad_country(c, f);
            }
            ok
        });
        for (_, c) in &mut a.institutions {
            country(c, f);
        }
    }
}

/// Check an institution entity's country and works count.
pub fn institution(i: &mut Institution, f: &mut Findings) {
    country(&mut i.country, f);
    count("works_count", &mut i.works_count, f);
}

/// Check an author entity's counts and affiliation years and countries.
pub fn author(a: &mut Author, f: &mut Findings) {
    count("works_count", &mut a.works_count, f);
    count("cited_by_count", &mut a.cited_by_count, f);
    a.affiliations.retain_mut(|(_, y, c)| {
        country(c, f);
        let ok = plausible_year(*y);
        if !ok {
            f.add(
                Reason::ImplausibleYear,
                format!("affiliation year {y} is outside {FIRST_YEAR}–{LAST_YEAR}: left out"),
            );
        }
        ok
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_calendar_dates_of_plausible_years() {
        for good in ["2020-02-29", "2021-12-31", "1600-01-01", "2100-06-30"] {
            assert!(is_date(good), "{good}");
        }
        for bad in [
            "2021-02-29",
            "2021-04-31",
            "2021-13-01",
            "2021-00-10",
            "2021-1-01",
            "20210101",
            "2021-01-01T00:00",
            "99999-01-01",
            "1599-12-31",
            "abcd-ef-gh",
            "",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }

    #[test]
    fn an_implausible_work_keeps_its_good_fields_and_says_what_it_cleared() {
        let mut w = Work {
            id: "W1".into(),
            year: Some(99999),
            publication_date: Some("2020-02-30".into()),
            cited_by_count: Some(-3),
            ..Work::default()
        };
        w.authorships.push(crate::model::Authorship {
            countries: vec!["US".into(), "ZZ".into(), "U1".into()],
            institutions: vec![
                ("I1".into(), Some("XX".into())),
                ("I2".into(), Some("GB".into())),
            ],
            ..Default::default()
        });
        let mut f = Findings::default();
        work(&mut w, &mut f);
        assert_eq!(
            (w.year, w.publication_date.as_deref(), w.cited_by_count),
            (None, None, None)
        );
        assert_eq!(w.authorships[0].countries, ["US"]);
        assert_eq!(
            w.authorships[0].institutions,
            [
                ("I1".to_string(), None),
                ("I2".to_string(), Some("GB".to_string()))
            ]
        );
        let reasons: Vec<Reason> = f.items().map(|(r, _)| r).collect();
        assert_eq!(
            reasons,
            [
                Reason::ImplausibleYear,
                Reason::NegativeCount,
                Reason::BadDate,
                Reason::BadCountry,
                Reason::BadCountry,
                Reason::BadCountry
            ]
        );
        // A plausible work is left as it is, with nothing to report.
        let mut ok = Work {
            id: "W2".into(),
            year: Some(2020),
            publication_date: Some("2020-02-29".into()),
            cited_by_count: Some(0),
            ..Work::default()
        };
        let mut f = Findings::default();
        work(&mut ok, &mut f);
        assert!(f.is_empty());
        assert_eq!(ok.year, Some(2020));
    }
}
