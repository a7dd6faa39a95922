//! The library's error: every failure has a [`Kind`], so that each front end
//! answers it the right way (the API: 400 naming the parameter for user
//! input, 500 only for an internal failure; the CLI: the flag to change).

use datafusion::error::DataFusionError;

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A setting, argument or query the user gave is not accepted: changing
    /// it fixes the failure.
    Input,
    /// The data cannot be used as it is: a dataset missing, incomplete or
    /// of another schema version.
    Data,
    /// A failure of talentchain itself or of its environment (a disk, the
    /// query engine).
    Internal,
}

/// A failure, with its [`Kind`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value the user gave for `parameter` is not accepted.
    #[error("{message}")]
    Input {
        /// The parameter, by its settings name (`top`, `from`, `min_works`;
        /// the CLI's flag is `--` and the name with `-` for `_`).
        parameter: String,
        /// What was wrong, with the value.
        message: String,
        /// The values or forms accepted, for a front end to list.
        accepted: Vec<String>,
    },
    /// The data cannot be used as it is.
    #[error("{0}")]
    Data(String),
    /// A failure of talentchain itself or of its environment.
    #[error(transparent)]
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

/// The library's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The kind of this failure.
    pub fn kind(&self) -> Kind {
        match self {
            Error::Input { .. } => Kind::Input,
            Error::Data(_) => Kind::Data,
            Error::Internal(_) => Kind::Internal,
        }
    }

    /// A value of `parameter` that is not accepted.
    pub fn input(
        parameter: impl Into<String>,
        message: impl Into<String>,
        accepted: Vec<String>,
    ) -> Error {
        Error::Input {
            parameter: parameter.into(),
            message: message.into(),
            accepted,
        }
    }

    /// The parameter a user-input error names.
    pub fn parameter(&self) -> Option<&str> {
        match self {
            Error::Input { parameter, .. } => Some(parameter),
            _ => None,
        }
    }
}

/// A query engine failure is internal, unless it carries one of ours (a
/// check made inside a query).
impl From<DataFusionError> for Error {
    fn from(e: DataFusionError) -> Error {
        match e {
            DataFusionError::External(inner) => match inner.downcast::<Error>() {
                Ok(ours) => *ours,
                Err(other) => Error::Internal(other),
            },
            DataFusionError::Context(_, inner)
                if matches!(*inner, DataFusionError::External(_)) =>
            {
                Error::from(*inner)
            }
            other => Error::Internal(Box::new(other)),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::Internal(Box::new(e))
    }
}

impl From<arrow::error::ArrowError> for Error {
    fn from(e: arrow::error::ArrowError) -> Error {
        Error::Internal(Box::new(e))
    }
}

impl From<Error> for DataFusionError {
    fn from(e: Error) -> DataFusionError {
        DataFusionError::External(Box::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_survive_a_trip_through_the_query_engine() {
        let input = Error::input("top", "bad top", vec![]);
        let back = Error::from(DataFusionError::from(input));
        assert_eq!(back.kind(), Kind::Input);
        assert_eq!(back.parameter(), Some("top"));
        let plan = Error::from(DataFusionError::Plan("no such table".into()));
        assert_eq!(plan.kind(), Kind::Internal);
        assert!(plan.to_string().contains("no such table"), "{plan}");
        assert_eq!(Error::Data("gone".into()).kind(), Kind::Data);
    }
}
