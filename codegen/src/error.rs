//! The error type of every codegen stage.

use std::path::PathBuf;

/// Result alias for codegen operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can stop the code generator.
#[derive(Debug)]
pub enum Error {
    /// A file could not be read or written.
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The spec file named by a pin is not in the spec directory.
    SpecMissing {
        /// Where the file was looked for.
        path: PathBuf,
        /// The environment variable that selects the spec directory.
        env_var: &'static str,
    },
    /// A document is not valid JSON, or does not match the shape expected
    /// at `path` (a JSON path such as `components.schemas.Foo.type`).
    Parse {
        /// What was being parsed (a file name or "OpenAPI document").
        what: String,
        /// The path inside the document where parsing failed.
        path: String,
        /// The parser's message.
        message: String,
    },
    /// A normalization step met a construct it cannot handle.
    Normalize {
        /// The step that failed.
        step: &'static str,
        /// JSON pointer of the offending schema or node.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// progenitor rejected the normalized document (or panicked on it).
    Generate {
        /// progenitor's message.
        message: String,
    },
    /// The generated code could not be post-processed.
    Postprocess {
        /// What went wrong.
        message: String,
    },
    /// A spec source (a URL or a file) could not be read within the
    /// limits, or is not JSON ([`crate::download`]).
    Download {
        /// The URL or file.
        from: String,
        /// What went wrong.
        problem: crate::download::Problem,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::SpecMissing { path, env_var } => write!(
                f,
                "spec file {} not found. Set {env_var} to the directory that holds the upstream \
                 specs (with cloud/ and oss/ inside), or check out the shared specs beside this \
                 repository (the default, set in .cargo/config.toml, is ../shared/specs/upstream)",
                path.display()
            ),
            Error::Parse {
                what,
                path,
                message,
            } => write!(f, "{what}: at `{path}`: {message}"),
            Error::Normalize {
                step,
                pointer,
                message,
            } => write!(f, "normalize step `{step}` at `{pointer}`: {message}"),
            Error::Generate { message } => write!(f, "progenitor: {message}"),
            Error::Postprocess { message } => {
                write!(f, "post-processing generated code: {message}")
            }
            Error::Download { from, problem } => write!(f, "{from}: {problem}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
