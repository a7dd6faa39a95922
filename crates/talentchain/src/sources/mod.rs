//! The sources talentchain reads, each turned into the normalized records of
//! [`crate::model`]: OpenAlex records (snapshot files and API pages, which
//! [`crate::fetch`] harvests), and conferences' paper lists.

pub mod openalex;
pub mod paperlists;
