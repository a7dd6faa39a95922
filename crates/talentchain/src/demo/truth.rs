//! The demo world's ground truth as CSV: the true country and institution of
//! every researcher in every active year (`truth.csv`), and each researcher's
//! origin, current country and mobility class (`truth_researchers.csv`), so
//! that talentchain's measurements can be scored against what really happened.

use std::io::Write;

use super::calibration::COUNTRIES;
use super::openalex::short;
use super::world::{Researcher, World};

/// Mobility class over the true active years (OECD STI Scoreboard notions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Every year in the origin country.
    Stayer,
    /// Ends in the origin country after some years abroad.
    Returnee,
    /// Ends outside the origin country.
    Emigrant,
    /// One active year only: no mobility can be observed.
    SingleYear,
}

impl Class {
    /// The name written in `truth_researchers.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Class::Stayer => "stayer",
            Class::Returnee => "returnee",
            Class::Emigrant => "emigrant",
            Class::SingleYear => "single_year",
        }
    }
}

/// Origin country index, current country index and class of a researcher.
pub fn classify(world: &World, r: &Researcher) -> (usize, usize, Class) {
    let country = |i: &u32| world.institutions[*i as usize].country;
    let origin = country(r.institutions.first().expect("at least one active year"));
    let current = country(r.institutions.last().unwrap());
    let class = if r.institutions.len() < 2 {
        Class::SingleYear
    } else if current != origin {
        Class::Emigrant
    } else if r.institutions.iter().all(|i| country(i) == origin) {
        Class::Stayer
    } else {
        Class::Returnee
    };
    (origin, current, class)
}

/// Write `truth.csv`: `author,year,country,institution`, one row per
/// researcher and active year, researchers in id order.
pub fn write_truth(world: &World, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "author,year,country,institution")?;
    for r in &world.researchers {
        let id = r.short_id();
        for (year, &inst) in r.years().zip(&r.institutions) {
            let inst = &world.institutions[inst as usize];
            writeln!(
                out,
                "{id},{year},{},{}",
                COUNTRIES[inst.country].code,
                short(&inst.id)
            )?;
        }
    }
    Ok(())
}

/// Write `truth_researchers.csv`: `author,origin,current,class`.
pub fn write_researchers(world: &World, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "author,origin,current,class")?;
    for r in &world.researchers {
        let (o, c, class) = classify(world, r);
        writeln!(
            out,
            "{},{},{},{}",
            r.short_id(),
            COUNTRIES[o].code,
            COUNTRIES[c].code,
            class.name()
        )?;
    }
    Ok(())
}
