//! Reading one input file as chunks of whole lines, tolerating bad input.
//!
//! Gzip is detected by its magic bytes (multi-member streams, as in the
//! snapshot, are read whole). The decompressed text is cut into chunks of
//! complete lines for the parser threads. A truncated or corrupt gzip stream
//! keeps every complete line before the break; a line longer than the limit
//! is skipped without being held in memory; an empty file is reported. A file
//! holding one JSON document (a pretty-printed entity, an array, or an API
//! list page) is split into one line per entity.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use flate2::bufread::MultiGzDecoder;
use sha2::{Digest, Sha256};

use crate::dataset::bad::{BadLog, Reason};

/// Complete lines of one file, for a parser thread.
pub struct Chunk {
    /// Index of the file in the run's input list.
    pub file: usize,
    /// Line number (1-based) of the chunk's first line; in a JSON document,
    /// the 1-based index of its first entity.
    pub first_line: u64,
    /// Whether lines are entities split from one JSON document.
    pub elements: bool,
    /// Whole lines of the file (or entities of a JSON document), newline-separated.
    pub data: Vec<u8>,
}

/// Limits of the reader.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    /// Target size of a chunk handed to a parser.
    pub chunk_bytes: usize,
    /// A longer line is skipped and reported.
    pub max_line_bytes: usize,
    /// A file that is one JSON document is parsed whole up to this size.
    pub max_document_bytes: usize,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            chunk_bytes: 1 << 20,
            max_line_bytes: 32 << 20,
            max_document_bytes: 512 << 20,
        }
    }
}

/// What reading a file measured.
#[derive(Debug, Default, Clone)]
pub struct FileStats {
    /// Bytes of the file as stored (compressed when gzipped).
    pub bytes: u64,
    /// Bytes after decompression.
    pub text_bytes: u64,
    /// SHA-256 of the file as stored, hex.
    pub sha256: String,
    /// Whether it was gzipped.
    pub gzip: bool,
    /// Lines read.
    pub lines: u64,
    /// Whether the whole file was read (false after a gzip error).
    pub complete: bool,
}

/// Counts and hashes the raw bytes as they are read.
struct Tee<R> {
    inner: R,
    hash: Sha256,
    bytes: u64,
    progress: Option<indicatif::ProgressBar>,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        if let Some(p) = &self.progress {
            p.inc(n as u64);
        }
        Ok(n)
    }
}

/// Chunk buffers given back once parsed, for the readers to fill again: a
/// fresh megabyte buffer per chunk costs page faults. Keeps at most 32.
#[derive(Debug, Default)]
pub struct BufferPool(std::sync::Mutex<Vec<Vec<u8>>>);

impl BufferPool {
    /// An empty buffer with at least `capacity` bytes of room.
    pub fn take(&self, capacity: usize) -> Vec<u8> {
        let mut v = self
            .0
            .lock()
            .expect("buffer pool poisoned")
            .pop()
            .unwrap_or_default();
        v.clear();
        v.reserve(capacity);
        v
    }

    /// Give a chunk's buffer back.
    pub fn give(&self, v: Vec<u8>) {
        let mut pool = self.0.lock().expect("buffer pool poisoned");
        if pool.len() < 32 {
            pool.push(v);
        }
    }
}

/// Read `path` and hand its lines to `send` in chunks (buffers from
/// `pool`). Problems are logged in `bad`; only an error of `send` (the run
/// was stopped) ends the read early.
pub fn read_file(
    file: usize,
    path: &Path,
    limits: ReadLimits,
    bad: &BadLog,
    pool: &BufferPool,
    progress: Option<indicatif::ProgressBar>,
    send: &mut dyn FnMut(Chunk) -> Result<(), ()>,
) -> FileStats {
    let mut stats = FileStats::default();
    let f = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            bad.report(path, 0, Reason::UnreadableFile, &e.to_string());
            return stats;
        }
    };
    let tee = Tee {
        inner: f,
        hash: Sha256::new(),
        bytes: 0,
        progress,
    };
    let mut raw = BufReader::with_capacity(256 << 10, tee);
    let gzip = matches!(raw.fill_buf(), Ok(b) if b.starts_with(&[0x1f, 0x8b]));
    stats.gzip = gzip;

    let mut lines = LineCutter {
        file,
        limits,
        pool,
        line: 1,
        skipping: false,
        bad,
        path,
        lines: 0,
    };
    let outcome = if gzip {
        let mut dec = MultiGzDecoder::new(raw);
        let r = lines.run(&mut dec, send);
        finish_hash(&mut stats, dec.into_inner().into_inner());
        r
    } else {
        let r = lines.run(&mut raw, send);
        finish_hash(&mut stats, raw.into_inner());
        r
    };
    stats.lines = lines.lines;
    match outcome {
        Outcome::Complete { text_bytes } => {
            stats.text_bytes = text_bytes;
            stats.complete = true;
            if text_bytes == 0 || lines.lines == 0 {
                bad.report(path, 0, Reason::EmptyFile, "no records in the file");
            }
        }
        Outcome::Broken { text_bytes } => stats.text_bytes = text_bytes,
        Outcome::Stopped => {}
    }
    stats
}

fn finish_hash(stats: &mut FileStats, tee: Tee<File>) {
    stats.bytes = tee.bytes;
    stats.sha256 = format!("{:x}", tee.hash.finalize());
}

enum Outcome {
    Complete { text_bytes: u64 },
    Broken { text_bytes: u64 },
    Stopped,
}

/// Whether the file's text (inflated when gzipped) starts with a JSON array:
/// a cheap look at its first bytes, to find the paper lists among inputs.
pub fn starts_with_array(path: &Path) -> bool {
    let Ok(f) = File::open(path) else {
        return false;
    };
    let mut raw = BufReader::new(f);
    let gzip = matches!(raw.fill_buf(), Ok(b) if b.starts_with(&[0x1f, 0x8b]));
    let mut head = [0u8; 4096];
    let n = if gzip {
        read_some(&mut MultiGzDecoder::new(raw), &mut head)
    } else {
        read_some(&mut raw, &mut head)
    };
    let text = &head[..n.unwrap_or(0)];
    let text = text.strip_prefix(BOM).unwrap_or(text);
    text.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[')
}

/// The UTF-8 byte-order mark that many Windows tools and spreadsheet
/// exports write at the start of a file.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// The lines of `data`, as `data.split(|&b| b == b'\n')` gives them (the
/// last one without a newline, empty after a final newline), found with
/// memchr rather than byte by byte; a line's leading byte-order mark (a
/// file's, or one of several files joined into one) is left out.
pub fn lines(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    let mut newlines = memchr::memchr_iter(b'\n', data);
    std::iter::from_fn(move || {
        if start > data.len() {
            return None;
        }
        let end = newlines.next().unwrap_or(data.len());
        let line = &data[start..end];
        start = end + 1;
        Some(line.strip_prefix(BOM).unwrap_or(line))
    })
}

struct LineCutter<'a> {
    file: usize,
    limits: ReadLimits,
    pool: &'a BufferPool,
    /// Number of the next line to hand out.
    line: u64,
    /// Inside a line longer than the limit: drop bytes up to its end.
    skipping: bool,
    bad: &'a BadLog,
    path: &'a Path,
    /// Non-blank lines handed out.
    lines: u64,
}

impl LineCutter<'_> {
    fn run(&mut self, r: &mut dyn Read, send: &mut dyn FnMut(Chunk) -> Result<(), ()>) -> Outcome {
        let chunk = self.limits.chunk_bytes.max(4096);
        let mut buf: Vec<u8> = self.pool.take(chunk * 2);
        let mut text_bytes = 0u64;
        let mut first = true;
        loop {
            let len = buf.len();
            buf.resize(len + chunk, 0);
            let n = match read_some(r, &mut buf[len..]) {
                Ok(n) => n,
                Err(e) => {
                    buf.truncate(len);
                    // Keep the complete lines before the break.
                    let cut = memchr::memrchr(b'\n', &buf).map_or(0, |i| i + 1);
                    let broken_line =
                        self.line + memchr::memchr_iter(b'\n', &buf[..cut]).count() as u64;
                    if cut > 0 && self.emit(buf[..cut].to_vec(), send).is_err() {
                        return Outcome::Stopped;
                    }
                    self.bad.report(
                        self.path,
                        broken_line,
                        Reason::TruncatedGzip,
                        &e.to_string(),
                    );
                    return Outcome::Broken { text_bytes };
                }
            };
            buf.truncate(len + n);
            text_bytes += n as u64;
            let eof = n == 0;

            if first && !buf.is_empty() {
                // A byte-order mark is not part of the first record.
                if buf.len() < BOM.len() && !eof && BOM.starts_with(&buf) {
                    continue;
                }
                if buf.starts_with(BOM) {
                    buf.drain(..BOM.len());
                }
                // Decide once whether the file is one JSON document.
                match self.sniff(&buf, eof) {
                    Sniff::Lines => first = false,
                    Sniff::NeedMore => continue,
                    Sniff::Document => {
                        if let Err(e) = r.read_to_end(&mut buf) {
                            self.bad
                                .report(self.path, 0, Reason::TruncatedGzip, &e.to_string());
                        }
                        text_bytes = buf.len() as u64;
                        if let Some(elements) = split_document(&buf) {
                            self.lines = elements.1;
                            let chunk = Chunk {
                                file: self.file,
                                first_line: 1,
                                elements: true,
                                data: elements.0,
                            };
                            return if send(chunk).is_err() {
                                Outcome::Stopped
                            } else {
                                Outcome::Complete { text_bytes }
                            };
                        }
                        // Not a document after all: read it as lines.
                        first = false;
                    }
                }
            }

            if self.skipping {
                match memchr::memchr(b'\n', &buf) {
                    Some(i) => {
                        buf.drain(..=i);
                        self.line += 1;
                        self.skipping = false;
                    }
                    None => {
                        buf.clear();
                        if eof {
                            return Outcome::Complete { text_bytes };
                        }
                        continue;
                    }
                }
            }

            if eof {
                if !buf.is_empty() && self.emit(std::mem::take(&mut buf), send).is_err() {
                    return Outcome::Stopped;
                }
                return Outcome::Complete { text_bytes };
            }
            if buf.len() >= chunk {
                match memchr::memrchr(b'\n', &buf) {
                    Some(i) => {
                        let mut rest = self.pool.take(chunk * 2);
                        rest.extend_from_slice(&buf[i + 1..]);
                        buf.truncate(i + 1);
                        let full = std::mem::replace(&mut buf, rest);
                        if self.emit(full, send).is_err() {
                            return Outcome::Stopped;
                        }
                    }
                    None if buf.len() > self.limits.max_line_bytes => {
                        self.bad.report(
                            self.path,
                            self.line,
                            Reason::LineTooLong,
                            &format!(
                                "line longer than {} bytes skipped",
                                self.limits.max_line_bytes
                            ),
                        );
                        buf.clear();
                        self.skipping = true;
                    }
                    None => {}
                }
            }
        }
    }

    /// Hand out complete lines (the last may lack its newline at EOF).
    fn emit(
        &mut self,
        data: Vec<u8>,
        send: &mut dyn FnMut(Chunk) -> Result<(), ()>,
    ) -> Result<(), ()> {
        let newlines = memchr::memchr_iter(b'\n', &data).count() as u64;
        let ends_open = !data.ends_with(b"\n");
        self.lines += lines(&data).filter(|l| !l.trim_ascii().is_empty()).count() as u64;
        let first_line = self.line;
        self.line += newlines + u64::from(ends_open);
        send(Chunk {
            file: self.file,
            first_line,
            elements: false,
            data,
        })
    }

    fn sniff(&self, buf: &[u8], eof: bool) -> Sniff {
        let Some(start) = buf.iter().position(|b| !b.is_ascii_whitespace()) else {
            return if eof { Sniff::Lines } else { Sniff::NeedMore };
        };
        match buf[start] {
            b'[' => Sniff::Document,
            b'{' => {
                let end = match memchr::memchr(b'\n', &buf[start..]) {
                    Some(i) => start + i,
                    None if eof => buf.len(),
                    None if buf.len() > self.limits.max_line_bytes => return Sniff::Lines,
                    None => return Sniff::NeedMore,
                };
                let first_line = &buf[start..end];
                if serde_json::from_slice::<serde::de::IgnoredAny>(first_line).is_ok() {
                    Sniff::Lines
                } else {
                    Sniff::Document
                }
            }
            _ => Sniff::Lines,
        }
    }
}

enum Sniff {
    Lines,
    Document,
    NeedMore,
}

fn read_some(r: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match r.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// A whole-file JSON document as one line per entity: an array's elements,
/// an API page's `results`, or the single object. `None` when the text is
/// not one JSON value. Each entity's text is kept as written, its newlines
/// turned into spaces: a JSON value holds newlines only between its tokens
/// (a string cannot hold one unescaped), so it stays the same value, and is
/// not parsed and written again.
fn split_document(text: &[u8]) -> Option<(Vec<u8>, u64)> {
    use serde_json::value::RawValue;
    #[derive(serde::Deserialize)]
    struct Page<'a> {
        #[serde(borrow)]
        results: Option<&'a RawValue>,
    }
    let whole: &RawValue = serde_json::from_slice(text).ok()?;
    let items: Vec<&RawValue> = match serde_json::from_str::<Vec<&RawValue>>(whole.get()) {
        Ok(items) => items,
        Err(_) => match serde_json::from_str::<Page>(whole.get()) {
            Ok(Page {
                results: Some(results),
            }) => serde_json::from_str::<Vec<&RawValue>>(results.get())
                .unwrap_or_else(|_| vec![whole]),
            _ => vec![whole],
        },
    };
    let mut out = Vec::with_capacity(text.len());
    for item in &items {
        out.extend(
            item.get()
                .bytes()
                .map(|b| if b == b'\n' || b == b'\r' { b' ' } else { b }),
        );
        out.push(b'\n');
    }
    Some((out, items.len() as u64))
}

#[cfg(test)]
mod tests {
    use super::lines;

    #[test]
    fn lines_split_as_slice_split_does() {
        for data in [
            &b""[..],
            b"\n",
            b"a",
            b"a\n",
            b"a\nb",
            b"a\n\nb\n",
            b"\n\n",
            b"{\"x\":1}\n{\"y\":2}",
        ] {
            let want: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
            assert_eq!(
                lines(data).collect::<Vec<_>>(),
                want,
                "{:?}",
                String::from_utf8_lossy(data)
            );
        }
    }
}
