//! OpenAlex: the record shapes read from a snapshot's or the API's JSON
//! ([`record`]) and their normalization into the model ([`normalize`]).

pub mod normalize;
pub mod plausible;
pub mod record;
