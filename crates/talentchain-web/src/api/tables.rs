//! `/api/tables`: `talentchain tables`.

use talentchain::dataset::tables;

use super::Answer;

/// The dataset's tables and columns.
pub fn answer() -> Answer {
    tables::run().into()
}
