//! `union-news-tools`: evaluation, corpus generation and benchmarks beside the
//! bot. `cargo run -p union-news-tools -- eval QUESTIONS.tsv`, `… gen-corpus
//! --articles N --out DIR`, `… bench answers QUESTIONS.tsv`.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use union_news_bot::config::Config;
use union_news_bot::desk::{NewsDesk, page_files};
use union_news_bot::page::PageDefaults;
use union_news_tools::{bench, eval, near_dup_eval, pastes, synth};

/// Tools beside union-news-bot: evaluation, a synthetic corpus, benchmarks.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// Data folder (database, index, sample pages); overrides DATA_DIR.
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score answer quality on a questions file (id, kind, query, expect, answer)
    /// against a fresh in-memory copy of the given pages.
    Eval {
        /// The questions file (tab-separated, with a header line).
        questions: PathBuf,
        /// Page files or folders (default: the sample pages).
        #[arg(long, num_args = 1.., value_name = "DIR")]
        pages: Vec<PathBuf>,
    },
    /// Write a synthetic archive of N distinct articles (page files, one
    /// folder per year, and queries.tsv) recombined from the sample pages.
    GenCorpus {
        /// How many articles.
        #[arg(long)]
        articles: usize,
        /// Output folder.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Generator seed: the same seed writes the same files.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Pages to learn from (default: the sample pages).
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,
    },
    /// Score how admins' pastes are understood: every file of a folder with
    /// a manifest.tsv, pushed, and also read as files in other encodings.
    Pastes {
        /// The folder (tests/data/pastes/dev).
        folder: PathBuf,
        /// Print each miss (not for a held-out folder).
        #[arg(long)]
        misses: bool,
    },
    /// Print the near-duplicate detector's labelled set: similarity spreads
    /// of the same article in two forms and of distinct articles, precision
    /// and recall at candidate thresholds.
    NearDup {
        /// The repository's root (data/pages, tests/data/pastes).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Make a PDF of every n-th article (0: none).
        #[arg(long, default_value_t = 1)]
        pdf_every: usize,
        /// Recombined articles whose pairs are negatives.
        #[arg(long, default_value_t = 400)]
        generated: usize,
        /// Also the exact-Jaccard study of shingle lengths and the pairs on
        /// the wrong side of the threshold.
        #[arg(long)]
        study: bool,
    },
    /// Write hostile files (the kinds issue 18 names: a page tree that
    /// loops, stream bombs, repeated content, 20,000 pages, deep Word and
    /// HTML nesting, noise named as pages, a glyph flood) into a folder,
    /// for timing `union-news-bot ingest` on each (scripts/hostile-files.sh).
    Hostile {
        /// Output folder.
        out: PathBuf,
    },
    /// Measurements for scripts/bench.sh (one line of JSON each).
    Bench {
        /// What to measure.
        #[command(subcommand)]
        what: BenchCommand,
    },
}

/// What `bench` measures.
#[derive(Debug, Subcommand)]
enum BenchCommand {
    /// Raw jieba-rs search-mode segmentation throughput of page files.
    Segment {
        /// Page files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Parser throughput of page files (no store, no index).
    Parse {
        /// Page files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Answer-path latency for the queries of questions files, on the data folder.
    Answers {
        /// Questions files (tab-separated, as for eval).
        #[arg(required = true)]
        questions: Vec<PathBuf>,
        /// How many timed passes over the queries.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
    /// Push-to-searchable latency of one-article pages into the data folder
    /// (the pushed articles are deleted afterwards).
    Push {
        /// How many pushes.
        #[arg(long, default_value_t = 50)]
        count: usize,
        /// Pages to make the pushed pages from (default: the sample pages).
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,
    },
    /// Every article as JSON lines (id, title, body).
    Export {
        /// Output file.
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let mut config = Config::from_env();
    if let Some(dir) = cli.data_dir {
        config = config.with_data_dir(dir);
    }
    // The same place resolver as the bot's.
    let home = config.home();
    match cli.command {
        Command::Eval { questions, pages } => {
            let text = std::fs::read_to_string(&questions)
                .with_context(|| format!("cannot read {}", questions.display()))?;
            let questions = eval::parse_questions(&text);
            let desk = NewsDesk::in_memory()
                .context("cannot open an in-memory store")?
                .with_home_province(home);
            let pages = if pages.is_empty() {
                vec![config.pages_dir.clone()]
            } else {
                pages
            };
            ingest_all(&desk, &pages)?;
            print!("{}", eval::evaluate(&desk, &questions).render());
            Ok(())
        }
        Command::Pastes { folder, misses } => {
            for delivery in pastes::Delivery::ALL {
                let score = pastes::score_folder(&folder, delivery);
                println!("{delivery:?}: {}", score.render());
                if misses {
                    for miss in &score.misses {
                        println!("  {miss}");
                    }
                }
            }
            Ok(())
        }
        Command::NearDup {
            root,
            pdf_every,
            generated,
            study,
        } => {
            let set = near_dup_eval::labelled_set(&near_dup_eval::SetOptions {
                root,
                pdf_every,
                generated,
                most_alike: near_dup_eval::MOST_ALIKE,
            });
            print!("{}", set.render());
            if study {
                let (mean, max) = set.estimate_error();
                println!("\nestimate error against exact Jaccard: mean {mean:.3}, max {max:.3}\n");
                print!("{}", set.shingle_study(&[2, 3, 4, 5, 6, 8]));
                println!();
                println!("wrong side of SAME_ARTICLE:");
                for line in set
                    .surprises(union_news_bot::near_dup::SAME_ARTICLE)
                    .iter()
                    .take(40)
                {
                    println!("  {line}");
                }
                for (name, kind) in [
                    ("same-subject", near_dup_eval::Kind::SameSubject),
                    ("recombined", near_dup_eval::Kind::Generated),
                ] {
                    println!("closest {name} pairs:");
                    for line in set.closest(kind, 12) {
                        println!("  {line}");
                    }
                }
            }
            Ok(())
        }
        Command::Hostile { out } => {
            use union_news_testkit::hostile;
            std::fs::create_dir_all(&out)
                .with_context(|| format!("cannot create {}", out.display()))?;
            let mut binary = hostile::noise(3, 200_000);
            binary.splice(0..0, b"<html><body>".iter().copied());
            let files: [(&str, Vec<u8>); 11] = [
                ("loop.pdf", hostile::pdf_page_is_its_own_parent()),
                ("bomb.pdf", hostile::pdf_compressed_bomb(4096)),
                ("repeat.pdf", hostile::pdf_repeated_content(200_000)),
                ("pages.pdf", hostile::pdf_many_pages(20_000)),
                ("flood.pdf", hostile::pdf_glyph_flood(3_900_000)),
                ("nested.docx", hostile::docx_nested(50_000_000)),
                ("nested.html", hostile::html_nested(1_000_000)),
                ("binary.html", binary),
                ("noise.txt", hostile::ascii_noise(5, 1_000_000)),
                ("gzip-bomb.html", hostile::gzip_bomb(1024)),
                ("gzip.html", hostile::gzip(&hostile::html_nested(10))),
            ];
            for (name, bytes) in files {
                std::fs::write(out.join(name), &bytes)?;
                println!("{name}\t{} bytes", bytes.len());
            }
            Ok(())
        }
        Command::GenCorpus {
            articles,
            out,
            seed,
            from,
        } => {
            let from = from.unwrap_or_else(|| config.pages_dir.clone());
            let options = synth::SynthOptions {
                articles,
                seed,
                out,
                sources: page_files(&from),
            };
            let report = synth::generate(&options)
                .with_context(|| format!("gen-corpus from {} failed", from.display()))?;
            println!(
                "写入 {} 篇报道，{} 个版面文件，{:.1} MB；{} 条查询写入 {}；{} 篇近似重复已重写",
                report.articles,
                report.pages,
                report.bytes as f64 / 1e6,
                report.queries,
                options.out.join("queries.tsv").display(),
                report.near_duplicates
            );
            Ok(())
        }
        Command::Bench { what } => {
            let open = || {
                NewsDesk::open(&config.data_dir)
                    .map(|desk| desk.with_home_province(home))
                    .with_context(|| {
                        format!("cannot open the data folder {}", config.data_dir.display())
                    })
            };
            let line = match what {
                BenchCommand::Segment { paths } => bench::segment(&paths),
                BenchCommand::Parse { paths } => bench::parse(&paths),
                BenchCommand::Answers { questions, rounds } => {
                    bench::answers(&open()?, &questions, rounds)
                }
                BenchCommand::Push { count, from } => {
                    let from = from.unwrap_or_else(|| config.pages_dir.clone());
                    bench::push(&open()?, &page_files(&from), count)?
                }
                BenchCommand::Export { out } => bench::export(&open()?, &out)?,
            };
            println!("{line}");
            Ok(())
        }
    }
}

/// Ingests page files and folders into a desk, refusing a path that holds none.
fn ingest_all(desk: &NewsDesk, paths: &[PathBuf]) -> Result<()> {
    let mut files = Vec::new();
    for path in paths {
        let found = page_files(path);
        if found.is_empty() {
            anyhow::bail!("{}: no *.md or *.txt pages there", path.display());
        }
        files.extend(found);
    }
    desk.ingest()
        .files(&files, &PageDefaults::default(), |path, outcome| {
            if let Err(e) = outcome {
                eprintln!("跳过 {}: {e}", path.display());
            }
        })?;
    Ok(())
}
