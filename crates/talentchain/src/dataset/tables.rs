//! `talentchain tables`: the dataset's tables and their columns, with types
//! and each table's description.
//!
//! Columns: `table, column, data_type, nullable, description` (the
//! description is the table's, [`Table::description`]), in the order of
//! [`Table::ALL`] and of each schema.

use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;

use super::Table;
use crate::sql::MetricResult;

/// The tables and columns of the dataset schema.
pub fn run() -> MetricResult {
    let (mut t, mut c, mut ty, mut n, mut d) = (vec![], vec![], vec![], vec![], vec![]);
    for table in Table::ALL {
        for f in table.schema().fields() {
            t.push(table.name());
            c.push(f.name().clone());
            ty.push(f.data_type().to_string());
            n.push(f.is_nullable());
            d.push(table.description());
        }
    }
    let schema = Arc::new(Schema::new(vec![
        Field::new("table", DataType::Utf8, false),
        Field::new("column", DataType::Utf8, false),
        Field::new("data_type", DataType::Utf8, false),
        Field::new("nullable", DataType::Boolean, false),
        Field::new("description", DataType::Utf8, false),
    ]));
    let cols: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(t)),
        Arc::new(StringArray::from(c)),
        Arc::new(StringArray::from(ty)),
        Arc::new(BooleanArray::from(n)),
        Arc::new(StringArray::from(d)),
    ];
    let batch = RecordBatch::try_new(schema.clone(), cols).expect("columns match the schema");
    MetricResult {
        batches: vec![batch],
        schema,
        notes: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::util::display::array_value_to_string;

    fn rows(r: &MetricResult, names: &[&str]) -> Vec<String> {
        let b = &r.batches[0];
        (0..b.num_rows())
            .map(|i| {
                names
                    .iter()
                    .map(|n| {
                        array_value_to_string(b.column(b.schema().index_of(n).unwrap()), i).unwrap()
                    })
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect()
    }

    #[test]
    fn lists_every_column() {
        let r = run();
        let total: usize = Table::ALL.iter().map(|t| t.schema().fields().len()).sum();
        assert_eq!(r.num_rows(), total);
        let all = rows(&r, &["table", "column", "data_type", "nullable"]);
        assert_eq!(all[0], "works|id|Utf8|false");
        assert!(all.contains(&"authorship_countries|country|Utf8|false".to_string()));
        assert!(all.contains(&"works|year|Int32|true".to_string()));
    }
}
