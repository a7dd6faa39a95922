//! Renderers: write result rows as a table, CSV, JSON or Parquet.
//!
//! Only data goes through here; notes (unknown counts, definitions) are the
//! caller's to print on stderr, so that stdout composes in a pipe.
//!
//! - `table`: Arrow's pretty printer, floats rounded to 4 decimals for
//!   display (the other formats keep full precision).
//! - `csv`: a header line, then one line per row.
//! - `json`: one JSON array of objects, nulls written as `null`.
//! - `parquet`: a Parquet file; it needs a file (`--out`), never stdout.

use std::fmt;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Float64Array};
use arrow::datatypes::{DataType, SchemaRef};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::errors::ParquetError;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned text table, for people.
    #[default]
    Table,
    /// Comma-separated values with a header.
    Csv,
    /// A JSON array of objects.
    Json,
    /// A Parquet file (needs a file path).
    Parquet,
}

impl Format {
    /// Every format, by name.
    pub const ALL: [(&'static str, Format); 4] = [
        ("table", Format::Table),
        ("csv", Format::Csv),
        ("json", Format::Json),
        ("parquet", Format::Parquet),
    ];
}

impl FromStr for Format {
    type Err = OutputError;
    fn from_str(s: &str) -> Result<Format, OutputError> {
        Format::ALL
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(s))
            .map(|(_, f)| *f)
            .ok_or_else(|| OutputError::UnknownFormat(s.to_string()))
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = Format::ALL
            .iter()
            .find(|(_, x)| x == self)
            .map_or("?", |(n, _)| n);
        f.write_str(name)
    }
}

/// What can go wrong writing results.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// Not one of table, csv, json, parquet.
    #[error("unknown output format `{0}`: use table, csv, json or parquet")]
    UnknownFormat(String),
    /// Parquet is binary and needs a file.
    #[error(
        "parquet output is binary and cannot go to stdout: give a file with --out FILE.parquet"
    )]
    ParquetNeedsFile,
    /// The output file could not be created.
    #[error("cannot create `{path}`: {source}")]
    Create {
        /// The output file, as given.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// Writing failed (a closed pipe shows here as `BrokenPipe`).
    #[error("write error: {0}")]
    Io(#[from] std::io::Error),
    /// Arrow could not encode the rows.
    #[error("cannot encode rows: {0}")]
    Arrow(#[from] ArrowError),
    /// Parquet could not encode the rows.
    #[error("cannot write parquet: {0}")]
    Parquet(#[from] ParquetError),
}

impl OutputError {
    /// A closed pipe (`| head`): the caller should exit 0 quietly.
    pub fn is_broken_pipe(&self) -> bool {
        let io = match self {
            OutputError::Io(e) => Some(e),
            OutputError::Arrow(ArrowError::IoError(_, e)) => Some(e),
            _ => None,
        };
        io.is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// Write rows to `out` in `format`. `schema` is used when there are no rows
/// (a table or CSV still shows its header, JSON writes `[]`). Parquet to a
/// writer is allowed here (a file the caller opened); see [`write_to`].
pub fn write<W: Write + Send>(
    batches: &[RecordBatch],
    schema: &SchemaRef,
    format: Format,
    mut out: W,
) -> Result<(), OutputError> {
    let empty;
    let batches = if batches.is_empty() {
        empty = [RecordBatch::new_empty(schema.clone())];
        &empty[..]
    } else {
        batches
    };
    match format {
        Format::Table => {
            let rounded: Vec<RecordBatch> =
                batches.iter().map(round_floats).collect::<Result<_, _>>()?;
            let text = arrow::util::pretty::pretty_format_batches(&rounded)?;
            writeln!(out, "{text}")?;
        }
        Format::Csv => {
            let mut w = arrow::csv::WriterBuilder::new()
                .with_header(true)
                .build(&mut out);
            for b in batches {
                w.write(b)?;
            }
        }
        Format::Json => {
            let mut w = arrow::json::WriterBuilder::new()
                .with_explicit_nulls(true)
                .build::<_, arrow::json::writer::JsonArray>(&mut out);
            for b in batches {
                w.write(b)?;
            }
            w.finish()?;
            drop(w);
            writeln!(out)?;
        }
        Format::Parquet => {
            let mut w = ArrowWriter::try_new(&mut out, schema.clone(), None)?;
            for b in batches {
                w.write(b)?;
            }
            w.close()?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Write rows to the file `out`, or to stdout when it is `None`. Parquet
/// needs a file: [`OutputError::ParquetNeedsFile`] otherwise.
pub fn write_to(
    batches: &[RecordBatch],
    schema: &SchemaRef,
    format: Format,
    out: Option<&Path>,
) -> Result<(), OutputError> {
    match out {
        Some(path) => {
            let file = File::create(path).map_err(|source| OutputError::Create {
                path: path.to_path_buf(),
                source,
            })?;
            write(batches, schema, format, BufWriter::new(file))
        }
        None if format == Format::Parquet => Err(OutputError::ParquetNeedsFile),
        None => write(batches, schema, format, BufWriter::new(std::io::stdout())),
    }
}

/// The batch with Float64 columns rounded to 4 decimals, for display.
fn round_floats(batch: &RecordBatch) -> Result<RecordBatch, ArrowError> {
    let cols: Vec<ArrayRef> = batch
        .columns()
        .iter()
        .map(|c| match c.data_type() {
            DataType::Float64 => {
                let a = c
                    .as_any()
                    .downcast_ref::<Float64Array>()
                    .expect("Float64 column");
                let r: Float64Array = a
                    .iter()
                    .map(|v| v.map(|x| (x * 1e4).round() / 1e4 + 0.0))
                    .collect();
                Arc::new(r) as ArrayRef
            }
            _ => c.clone(),
        })
        .collect();
    RecordBatch::try_new(batch.schema(), cols)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Int64Array, StringArray};
    use arrow::datatypes::{Field, Schema};

    fn sample() -> (SchemaRef, Vec<RecordBatch>) {
        let schema = Arc::new(Schema::new(vec![
            Field::new("country", DataType::Utf8, true),
            Field::new("papers_full", DataType::Int64, true),
            Field::new("share", DataType::Float64, true),
        ]));
        let b = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(StringArray::from(vec![Some("US"), Some("CN")])),
                Arc::new(Int64Array::from(vec![3, 2])),
                Arc::new(Float64Array::from(vec![Some(2.0 / 3.0), None])),
            ],
        )
        .unwrap();
        (schema, vec![b])
    }

    fn render(format: Format, batches: &[RecordBatch], schema: &SchemaRef) -> String {
        let mut buf = Vec::new();
        write(batches, schema, format, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn table_rounds_floats_for_display() {
        let (schema, b) = sample();
        let t = render(Format::Table, &b, &schema);
        assert!(t.contains("| US      | 3           | 0.6667 |"), "{t}");
        assert!(!t.contains("0.66666"), "{t}");
        // No rows: the header is still shown.
        let t = render(Format::Table, &[], &schema);
        assert!(t.contains("| country | papers_full | share |"), "{t}");
    }

    #[test]
    fn csv_has_a_header_and_full_precision() {
        let (schema, b) = sample();
        assert_eq!(
            render(Format::Csv, &b, &schema),
            "country,papers_full,share\nUS,3,0.6666666666666666\nCN,2,\n"
        );
        assert_eq!(
            render(Format::Csv, &[], &schema),
            "country,papers_full,share\n"
        );
    }

    #[test]
    fn json_is_an_array_of_objects() {
        let (schema, b) = sample();
        let v: serde_json::Value =
            serde_json::from_str(&render(Format::Json, &b, &schema)).unwrap();
        assert_eq!(v[0]["country"], "US");
        assert_eq!(v[0]["papers_full"], 3);
        assert_eq!(v[1]["share"], serde_json::Value::Null);
        assert_eq!(v.as_array().unwrap().len(), 2);
        let empty: serde_json::Value =
            serde_json::from_str(&render(Format::Json, &[], &schema)).unwrap();
        assert_eq!(empty, serde_json::json!([]));
    }

    #[test]
    fn parquet_needs_a_file_and_round_trips() {
        let (schema, b) = sample();
        let err = write_to(&b, &schema, Format::Parquet, None).unwrap_err();
        assert!(matches!(err, OutputError::ParquetNeedsFile));
        assert!(err.to_string().contains("--out"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.parquet");
        write_to(&b, &schema, Format::Parquet, Some(&path)).unwrap();
        let file = File::open(&path).unwrap();
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .build()
            .unwrap();
        let back: Vec<RecordBatch> = reader.collect::<Result<_, _>>().unwrap();
        assert_eq!(back.iter().map(RecordBatch::num_rows).sum::<usize>(), 2);
        assert_eq!(
            back[0]
                .column(1)
                .as_any()
                .downcast_ref::<Int64Array>()
                .unwrap()
                .value(0),
            3
        );
    }

    #[test]
    fn format_names() {
        assert_eq!("CSV".parse::<Format>().unwrap(), Format::Csv);
        assert_eq!(Format::Parquet.to_string(), "parquet");
        assert!(
            "xlsx"
                .parse::<Format>()
                .unwrap_err()
                .to_string()
                .contains("`xlsx`")
        );
    }
}
