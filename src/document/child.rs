//! Documents read in a bounded child process.
//!
//! A Word file, a PDF or a web page comes from outside, even when an admin
//! sends it: a page tree that loops, a compressed stream that unpacks to
//! gigabytes or XML nested fifty million deep must not freeze the bot or
//! take it down (an allocation failure in Rust cannot be caught; it aborts
//! the process). So these are read by a child: the same binary, started
//! with the hidden subcommand [`CHILD_COMMAND`], under limits on CPU time,
//! address space, wall time and output size. The parent waits on a blocking
//! thread (the bot calls it through `spawn_blocking`), kills the child on
//! overrun and reports why ([`ReaderFailure`]). This is how Apache Tika's
//! forked parser isolates parsers it cannot trust.
//!
//! Plain text and Markdown stay in-process: decoding them is linear and
//! bounded by the size limit, and a bulk ingest must not pay a process start
//! per page.
//!
//! The wire: the parent writes one JSON line ([`DocumentInput`]) and then the
//! file's bytes to the child's standard input; the child writes one JSON
//! value, `Result<DocumentReading, Unreadable>`, to its standard output.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{DocumentInput, DocumentReading, Unreadable};

/// The hidden subcommand that turns the binary into a reader child.
pub const CHILD_COMMAND: &str = "read-document";

/// What a reader child may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReaderLimits {
    /// CPU time, in seconds.
    pub cpu_seconds: u64,
    /// Time from start to finish, CPU or not.
    pub wall: Duration,
    /// Address space, in bytes (what `RLIMIT_AS` bounds: the heap and all).
    pub memory_bytes: u64,
    /// Bytes of output (the JSON of the text read).
    pub output_bytes: usize,
    /// Children reading at the same time; more wait for a turn.
    pub concurrent: usize,
}

impl Default for ReaderLimits {
    /// 20 s of CPU, 30 s in all, 1 GiB, 16 MiB of output, two at a time.
    fn default() -> Self {
        ReaderLimits {
            cpu_seconds: 20,
            wall: Duration::from_secs(30),
            memory_bytes: 1 << 30,
            output_bytes: 16 << 20,
            concurrent: 2,
        }
    }
}

/// Why a reader child gave no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ReaderFailure {
    /// It ran past its CPU or wall-time limit and was stopped.
    #[error("reading took longer than {seconds} s")]
    TimedOut {
        /// The limit that was hit, in seconds.
        seconds: u64,
    },
    /// It needed more memory than its limit.
    #[error("reading needed more than {megabytes} MB of memory")]
    OutOfMemory {
        /// The limit, in megabytes.
        megabytes: u64,
    },
    /// It wrote more than the output limit.
    #[error("the text read is larger than {megabytes} MB")]
    TooMuchOutput {
        /// The limit, in megabytes.
        megabytes: u64,
    },
    /// It ended some other way without an answer (a crash).
    #[error("the reader stopped without an answer: {detail}")]
    Crashed {
        /// Its exit status and the end of what it printed, for logs.
        detail: String,
    },
    /// It could not be started at all.
    #[error("the reader could not be started: {detail}")]
    CannotStart {
        /// The system's reason.
        detail: String,
    },
}

/// Reads pushed documents: in a bounded child when the program to run is
/// known, else in this process.
#[derive(Debug, Clone)]
pub struct DocumentReader {
    program: Option<PathBuf>,
    limits: ReaderLimits,
    turns: Arc<Turns>,
}

/// How documents are to be read: the settings `DOCUMENT_READER_EXE` and
/// `READER_*` give (read by `config`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReaderSettings {
    /// The program to start as the reader child: this project's binary.
    /// `None`: this process's own binary when it is the bot's.
    pub program: Option<PathBuf>,
    /// What the child may use.
    pub limits: ReaderLimits,
}

impl Default for DocumentReader {
    /// The reader for default settings: a child of this binary when it is
    /// the bot's, else in-process (see [`DocumentReader::from_settings`]).
    fn default() -> Self {
        DocumentReader::from_settings(&ReaderSettings::default())
    }
}

impl DocumentReader {
    /// A reader that starts `program` (this project's binary) as its child.
    pub fn child(program: PathBuf, limits: ReaderLimits) -> Self {
        DocumentReader {
            program: Some(program),
            limits,
            turns: Arc::new(Turns::new(limits.concurrent)),
        }
    }

    /// A reader with no isolation: for unit tests and fuzzing, never for
    /// documents from outside.
    pub fn in_process() -> Self {
        DocumentReader {
            program: None,
            limits: ReaderLimits::default(),
            turns: Arc::new(Turns::new(1)),
        }
    }

    /// The reader for these settings: the program they name, else this
    /// process's own binary when it is the bot's, else (a test harness, a
    /// tool) in-process with a warning.
    pub fn from_settings(settings: &ReaderSettings) -> Self {
        let program = settings.program.clone().or_else(|| {
            std::env::current_exe()
                .ok()
                .filter(|exe| exe.file_stem().is_some_and(|s| s == env!("CARGO_PKG_NAME")))
        });
        match program {
            Some(program) => DocumentReader::child(program, settings.limits),
            None => {
                tracing::warn!(
                    "documents are read in-process: set DOCUMENT_READER_EXE to the bot's binary to isolate them"
                );
                DocumentReader {
                    limits: settings.limits,
                    ..DocumentReader::in_process()
                }
            }
        }
    }

    /// True when documents are read in a child.
    pub fn is_isolated(&self) -> bool {
        self.program.is_some()
    }

    /// The limits a child gets.
    pub fn limits(&self) -> ReaderLimits {
        self.limits
    }

    /// Reads a file or fetched page: text files here, documents in a child.
    /// Blocks until the child answers or is stopped; call it from a blocking
    /// thread in async code.
    pub fn read(&self, input: &DocumentInput, bytes: &[u8]) -> Result<DocumentReading, Unreadable> {
        match &self.program {
            Some(program) if input.needs_isolation(bytes) => {
                let _turn = self.turns.take();
                run_child(program, &self.limits, input, bytes)
            }
            _ => super::read_document(input, bytes),
        }
    }
}

/// A counting semaphore: at most so many children at once.
#[derive(Debug)]
struct Turns {
    free: Mutex<usize>,
    freed: Condvar,
}

impl Turns {
    fn new(count: usize) -> Self {
        Turns {
            free: Mutex::new(count.max(1)),
            freed: Condvar::new(),
        }
    }

    fn take(&self) -> Turn<'_> {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
        Turn(self)
    }
}

struct Turn<'a>(&'a Turns);

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.0.freed.notify_one();
    }
}

fn run_child(
    program: &PathBuf,
    limits: &ReaderLimits,
    input: &DocumentInput,
    bytes: &[u8],
) -> Result<DocumentReading, Unreadable> {
    let started = Instant::now();
    let mut command = Command::new(program);
    command
        .arg(CHILD_COMMAND)
        .env_clear()
        .env("RUST_LOG", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    limit_child(&mut command, limits);
    let mut child = command.spawn().map_err(|e| ReaderFailure::CannotStart {
        detail: format!("{}: {e}", program.display()),
    })?;

    let mut stdin = child.stdin.take().expect("piped stdin");
    let header = serde_json::to_vec(input).expect("a DocumentInput serialises");
    let payload: Vec<u8> = [header.as_slice(), b"\n", bytes].concat();
    // A child that stops reading (it failed early) closes the pipe: ignore.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&payload);
    });
    let stdout = child.stdout.take().expect("piped stdout");
    let cap = limits.output_bytes as u64 + 1;
    let over = Arc::new(AtomicBool::new(false));
    let reader = std::thread::spawn({
        let over = Arc::clone(&over);
        move || {
            let mut out = Vec::new();
            let _ = stdout.take(cap).read_to_end(&mut out);
            if out.len() as u64 >= cap {
                over.store(true, Ordering::Relaxed);
            }
            out
        }
    });
    let stderr = child.stderr.take().expect("piped stderr");
    let errors = std::thread::spawn(move || {
        let mut err = Vec::new();
        let _ = stderr.take(64 * 1024).read_to_end(&mut err);
        err
    });

    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() >= limits.wall => {
                timed_out = true;
                let _ = child.kill();
                break child.wait().ok();
            }
            Ok(None) if over.load(Ordering::Relaxed) => {
                let _ = child.kill();
                break child.wait().ok();
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ReaderFailure::Crashed {
                    detail: e.to_string(),
                }
                .into());
            }
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    let err = errors.join().unwrap_or_default();
    tracing::debug!(elapsed = ?started.elapsed(), file = %input.name, "reader child finished");
    if timed_out {
        return Err(ReaderFailure::TimedOut {
            seconds: limits.wall.as_secs(),
        }
        .into());
    }
    if out.len() as u64 >= cap {
        return Err(ReaderFailure::TooMuchOutput {
            megabytes: (limits.output_bytes >> 20) as u64,
        }
        .into());
    }
    if let Some(status) = status
        && status.success()
        && let Ok(answer) = serde_json::from_slice::<Result<DocumentReading, Unreadable>>(&out)
    {
        return answer;
    }
    Err(failure(status, &err, limits).into())
}

/// What an unsuccessful exit means.
fn failure(status: Option<ExitStatus>, stderr: &[u8], limits: &ReaderLimits) -> ReaderFailure {
    use std::os::unix::process::ExitStatusExt;
    let said = String::from_utf8_lossy(stderr);
    let signal = status.and_then(|s| s.signal());
    // A panic on a failed allocation, or the request itself not fitting
    // (reading it reports the I/O error "out of memory").
    if said.contains("memory allocation of")
        || said.contains("capacity overflow")
        || said.contains("out of memory")
    {
        return ReaderFailure::OutOfMemory {
            megabytes: limits.memory_bytes >> 20,
        };
    }
    if signal == Some(libc::SIGXCPU) || signal == Some(libc::SIGKILL) {
        return ReaderFailure::TimedOut {
            seconds: limits.cpu_seconds,
        };
    }
    let tail: String = {
        let lines: Vec<&str> = said.lines().rev().take(3).collect();
        lines.into_iter().rev().collect::<Vec<_>>().join(" / ")
    };
    ReaderFailure::Crashed {
        detail: format!(
            "{}{}",
            status.map_or("no status".to_string(), |s| s.to_string()),
            if tail.is_empty() {
                String::new()
            } else {
                format!(": {tail}")
            }
        ),
    }
}

/// Sets the child's resource limits between fork and exec, and asks the
/// kernel to kill it if the parent dies first.
fn limit_child(command: &mut Command, limits: &ReaderLimits) {
    use std::os::unix::process::CommandExt;
    let memory = limits.memory_bytes as libc::rlim_t;
    let cpu = limits.cpu_seconds.max(1) as libc::rlim_t;
    // SAFETY: the closure runs in the forked child before exec and only
    // makes async-signal-safe system calls (setrlimit, prctl) on values
    // copied in; it allocates nothing and takes no lock.
    unsafe {
        command.pre_exec(move || {
            let set = |resource, soft: libc::rlim_t, hard: libc::rlim_t| {
                let limit = libc::rlimit {
                    rlim_cur: soft,
                    rlim_max: hard,
                };
                if libc::setrlimit(resource, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            };
            set(libc::RLIMIT_AS, memory, memory)?;
            // SIGXCPU at the soft limit, SIGKILL a second later.
            set(libc::RLIMIT_CPU, cpu, cpu + 1)?;
            set(libc::RLIMIT_CORE, 0, 0)?;
            #[cfg(target_os = "linux")]
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
}

/// The child's side: reads the request from standard input, the document
/// in-process, and writes the answer to standard output. Returns the exit
/// code: 0 when an answer (a reading or a refusal) was written.
pub fn serve_child(max_input_bytes: usize) -> i32 {
    let mut input = Vec::new();
    let stdin = std::io::stdin();
    if let Err(e) = stdin
        .lock()
        .take(max_input_bytes as u64 + 64 * 1024)
        .read_to_end(&mut input)
    {
        eprintln!("cannot read the request: {e}");
        return 2;
    }
    let Some(newline) = input.iter().position(|&b| b == b'\n') else {
        eprintln!("the request has no header line");
        return 2;
    };
    let request: DocumentInput = match serde_json::from_slice(&input[..newline]) {
        Ok(request) => request,
        Err(e) => {
            eprintln!("the request's header is not valid: {e}");
            return 2;
        }
    };
    let answer = super::read_document(&request, &input[newline + 1..]);
    let mut stdout = std::io::stdout().lock();
    let written = serde_json::to_writer(&mut stdout, &answer)
        .map_err(std::io::Error::from)
        .and_then(|()| stdout.flush());
    match written {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("cannot write the answer: {e}");
            2
        }
    }
}
