//! Command-line interface: clap definitions, terminal output. Binary only.

mod check;
pub mod index;
mod progress;
mod report;
mod summary;
mod term;

pub use check::print_check;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use wiretrace::{Config, FieldNames, ShingleSpec};

pub use progress::Bar;
pub use report::{bad, good, is_dir_target, prepare_dir, set_color, write_file, ColorChoice};
pub use summary::{print_notices, print_skipped, print_summary};
pub use term::{clean, clean_lines};

/// What every scan-like subcommand says about outputs.
macro_rules! outputs_note {
    () => {
        "Outputs (-o, --assignments, --report) are written atomically (a temporary file
beside the target, renamed when complete; through a symbolic link, onto its
target). An output that already exists is refused unless --force is given; an
output that is an input, or two outputs that are one file, always are. A
device or FIFO (/dev/null, a named pipe) is written directly. FILE - is
standard output (one output at most); the summary then goes to stderr.
--report DIR/ (a trailing slash, or an existing directory) writes index.html
and a page per 1,000 stories."
    };
}

/// Exit codes 0 to 2, shared by every help page that lists them.
macro_rules! exit_codes {
    () => {
        "Exit codes:
  0  finished; every record was read
  1  finished, but some records or files were skipped (listed on stderr and in -o JSON)
  2  error: bad arguments, unreadable stdin or output, an existing output without
     --force, no articles, an input named that cannot be opened, no input readable,
     or --strict hit a bad record"
    };
}

const TOP_HELP: &str = concat!(
    "Examples:
  wiretrace scan corpus.jsonl more/*.ndjson --assignments a.jsonl -o clusters.json
  wiretrace scan archive/ --report report.html
  wiretrace scan big.jsonl --report report/          # a directory of pages
  zcat dump.jsonl.gz | wiretrace scan - --id-field doc.uid --text-field body.plain
  wiretrace check --originals mine.jsonl crawl/ --report check.html --fail-on unattributed
  wiretrace gen --out /tmp/g --articles 20000 --seed 1
  wiretrace eval --truth /tmp/g/truth.jsonl /tmp/g/pred.jsonl

",
    exit_codes!(),
    "
  3  check --fail-on unattributed found a copy that credits neither the original
     nor its parent (takes precedence over 1)"
);

const EXIT_CODES: &str = concat!(
    "Examples:
  # Group the copies of each story; write assignments and the clusters.
  wiretrace scan corpus.jsonl more/*.ndjson --assignments a.jsonl -o clusters.json
  # A directory: *.jsonl/*.ndjson as JSON Lines, *.txt/*.md one article per file.
  wiretrace scan archive/ --report report.html          # or .md, .json, .jsonl, .csv
  # A big corpus: index.html plus a page per 1,000 stories.
  wiretrace scan big.jsonl --report report/
  # Other field names, nested fields with dots; stdin with -.
  zcat dump.jsonl.gz | wiretrace scan - --id-field doc.uid --text-field body.plain
  # Outputs to standard output, for a pipeline (one at a time).
  wiretrace scan corpus.jsonl --assignments - | head
  wiretrace scan corpus.jsonl --report - --report-format jsonl | jq .cluster

",
    outputs_note!(),
    "

",
    exit_codes!()
);

const GEN_HELP: &str = "Examples:
  wiretrace gen --out /tmp/g --articles 20000 --seed 1
  wiretrace gen --out /tmp/g50 --articles 50000 --seed 3 --json

Exit codes:
  0  written
  2  error: a bad setting, or an output that cannot be written";

const EVAL_HELP: &str = "Examples:
  wiretrace scan /tmp/g/corpus.jsonl --assignments /tmp/g/pred.jsonl
  wiretrace eval --truth /tmp/g/truth.jsonl /tmp/g/pred.jsonl
  wiretrace eval --truth /tmp/g/truth.jsonl /tmp/g/pred.jsonl --corpus /tmp/g/corpus.jsonl --json

Exit codes:
  0  scored
  2  error: unreadable or malformed file";

/// Find near-duplicate news articles and trace how stories spread.
#[derive(Debug, Parser)]
#[command(name = "wiretrace", version, about, after_help = TOP_HELP)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Group the copies of each story in article corpora.
    #[command(after_help = EXIT_CODES)]
    Scan(ScanArgs),
    /// Generate a syndication corpus with ground truth (corpus.jsonl, truth.jsonl).
    #[command(after_help = GEN_HELP)]
    Gen(GenArgs),
    /// Score predicted assignments against a truth file.
    #[command(after_help = EVAL_HELP)]
    Eval(EvalArgs),
    /// Find who republished your articles: scan your originals with a
    /// corpus and report every copy of each, with lag, type and credit.
    #[command(after_help = CHECK_EXIT_CODES)]
    Check(CheckArgs),
    /// Write the articles as wiretrace reads them (after decompression,
    /// CSV/WARC parsing and HTML extraction) as JSON Lines.
    #[command(after_help = READ_EXIT_CODES)]
    Read(ReadArgs),
    /// A persistent index on disk: add each day's articles, check them
    /// against the archive, export, remove, compact.
    Index(index::IndexArgs),
}

const READ_EXIT_CODES: &str = "\
Each line: id, url, title, source, published (RFC 3339) and published_from
(field: the record's date field; page: the HTML page's metadata; crawl: the
WARC-Date, for a page with no date), text, and location (file:line, file:row
or file:record). The lines are wiretrace's JSON Lines input format.

Exit codes:
  0  every record was read
  1  some records or files were skipped (listed on stderr)
  2  error: bad arguments, an input named that cannot be opened, no article
     readable, or an unwritable or existing output (without --force)";

/// `wiretrace read`.
#[derive(Debug, clap::Args)]
pub struct ReadArgs {
    /// Input files and directories, or - for stdin (as for scan).
    #[arg(required = true, value_name = "PATH")]
    pub inputs: Vec<PathBuf>,
    /// Write the articles to FILE (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite the output if it exists.
    #[arg(long)]
    pub force: bool,
    /// Read every input as this kind instead of by its content and name.
    #[arg(long, value_enum, value_name = "KIND")]
    pub input_format: Option<InputFormat>,
    /// Field holding the article id (JSON Lines, CSV).
    #[arg(long, default_value = "id", value_name = "PATH")]
    pub id_field: String,
    /// Field holding the article text.
    #[arg(long, default_value = "text", value_name = "PATH")]
    pub text_field: String,
    /// Field holding the headline.
    #[arg(long, default_value = "title", value_name = "PATH")]
    pub title_field: String,
    /// Field holding the outlet name.
    #[arg(long, default_value = "source", value_name = "PATH")]
    pub source_field: String,
    /// Field holding the URL.
    #[arg(long, default_value = "url", value_name = "PATH")]
    pub url_field: String,
    /// Field holding the publication date.
    #[arg(long, default_value = "published", value_name = "PATH")]
    pub date_field: String,
    /// Replace invalid UTF-8 with U+FFFD instead of skipping the record.
    #[arg(long)]
    pub lossy: bool,
}

impl ReadArgs {
    /// The library config of these arguments (fields, lossy, kind).
    pub fn config(&self) -> Config {
        Config {
            fields: FieldNames {
                id: self.id_field.clone(),
                text: self.text_field.clone(),
                title: self.title_field.clone(),
                source: self.source_field.clone(),
                url: self.url_field.clone(),
                date: self.date_field.clone(),
            },
            lossy: self.lossy,
            input_format: self.input_format.map(InputFormat::kind),
            ..Config::default()
        }
    }
}

/// `--input-format`: the kind every input is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// JSON Lines: one article object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// TSV with a header row.
    Tsv,
    /// Apache Parquet.
    Parquet,
    /// WARC or WET (response, resource and conversion records).
    Warc,
    /// One HTML page per file.
    Html,
    /// One article per file.
    Txt,
}

impl InputFormat {
    /// The library's kind.
    pub fn kind(self) -> wiretrace::ingest::InputKind {
        use wiretrace::ingest::InputKind as K;
        match self {
            InputFormat::Jsonl => K::JsonLines,
            InputFormat::Csv => K::Csv,
            InputFormat::Tsv => K::Tsv,
            InputFormat::Parquet => K::Parquet,
            InputFormat::Warc => K::Warc,
            InputFormat::Html => K::Html,
            InputFormat::Txt => K::Text,
        }
    }
}

/// `wiretrace gen`.
#[derive(Debug, clap::Args)]
pub struct GenArgs {
    /// Directory to write corpus.jsonl and truth.jsonl into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Number of articles.
    #[arg(long, default_value_t = 10_000)]
    pub articles: usize,
    /// Seed: the same seed and settings give byte-identical files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Spin rates (share of content words replaced by synonyms), one copy kind each.
    #[arg(long, value_delimiter = ',', default_values_t = [0.2, 0.35])]
    pub spin_rates: Vec<f64>,
    /// Adjacent-word swap rate of spun copies (per word).
    #[arg(long, default_value_t = wiretrace_gen::gen::GenConfig::default().swap_rate)]
    pub swap_rate: f64,
    /// Sentence drop rate of spun copies.
    #[arg(long, default_value_t = wiretrace_gen::gen::GenConfig::default().drop_rate)]
    pub drop_rate: f64,
    /// Sentence merge rate of spun copies.
    #[arg(long, default_value_t = wiretrace_gen::gen::GenConfig::default().merge_rate)]
    pub merge_rate: f64,
    /// Language of the articles: en, zh (generated Chinese: English words
    /// mapped to Han characters, no spaces), or mixed (each story in one).
    #[arg(long, default_value = "en", value_parser = ["en", "zh", "mixed"])]
    pub language: String,
    /// Print the statistics as JSON.
    #[arg(long)]
    pub json: bool,
    /// Overwrite corpus.jsonl and truth.jsonl if they exist.
    #[arg(long)]
    pub force: bool,
}

impl GenArgs {
    /// The generator config these arguments describe.
    pub fn config(&self) -> wiretrace_gen::gen::GenConfig {
        wiretrace_gen::gen::GenConfig {
            seed: self.seed,
            articles: self.articles,
            spin_rates: self.spin_rates.clone(),
            swap_rate: self.swap_rate,
            drop_rate: self.drop_rate,
            merge_rate: self.merge_rate,
            language: wiretrace_gen::gen::Language::parse(&self.language).unwrap_or_default(),
            ..Default::default()
        }
    }
}

/// `wiretrace eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Truth assignments: {"id","cluster"[,"kind"]} per line.
    #[arg(long, value_name = "FILE")]
    pub truth: PathBuf,
    /// Predicted assignments: {"id","cluster"} per line (as written by scan --assignments).
    #[arg(value_name = "PRED")]
    pub pred: PathBuf,
    /// Print the scores as JSON.
    #[arg(long)]
    pub json: bool,
    /// The scanned corpus (JSON Lines with `id` and `title`): names the
    /// documents of the largest false merges by their headlines.
    #[arg(long, value_name = "FILE")]
    pub corpus: Option<PathBuf>,
}

const CHECK_EXIT_CODES: &str = concat!(
    "Examples:
  # Who republished my articles? Exit 3 if a copy does not credit me.
  wiretrace check --originals mine.jsonl crawl/ --report check.html --fail-on unattributed
  # The copies as CSV for a spreadsheet, or one story per line for jq.
  wiretrace check --originals mine.jsonl crawl/ --report copies.csv
  wiretrace check --originals mine.jsonl crawl/ --report - --report-format jsonl | jq -c '.copies[]'

",
    outputs_note!(),
    "

",
    exit_codes!(),
    "
  3  with --fail-on unattributed: a copy with no credit to its source was found (takes precedence over 1)"
);

/// What makes `check` exit with status 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// A copy that credits neither the original nor its parent.
    Unattributed,
}

/// `wiretrace check`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("inputs", |a| a.required(false).required_unless_present("index")))]
pub struct CheckArgs {
    /// Your articles (JSON Lines files or directories, like the corpus);
    /// repeat for several. Each becomes the original of its chain.
    #[arg(long, required_unless_present = "index", value_name = "PATH")]
    pub originals: Vec<PathBuf>,
    /// Check against this index (`wiretrace index`) instead of scanning a
    /// corpus: PATHs are a new crawl whose copies of archived articles are
    /// reported (the archive holds the originals), or with --originals,
    /// your articles whose copies in the archive (and in PATHs) are
    /// reported. Settings come from the index.
    #[arg(long, value_name = "INDEX")]
    pub index: Option<PathBuf>,
    /// Exit with status 3 when a copy of the given kind is found.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub fail_on: Option<FailOn>,
    /// The corpus to search, and every scan setting.
    #[command(flatten)]
    pub scan: ScanArgs,
}

/// Format of `--report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormatArg {
    /// One JSON document (schema: docs/report-schema.md).
    Json,
    /// One story per line (JSON Lines).
    Jsonl,
    /// A readable summary per story.
    Md,
    /// One self-contained, offline HTML page.
    Html,
    /// One row per copy.
    Csv,
}

/// Output format of `-o`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON document with settings, summary, clusters and skipped records.
    Json,
    /// One cluster per line.
    Jsonl,
}

/// `wiretrace scan`.
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// JSON Lines, CSV/TSV, WARC/WET or HTML files, compressed or not
    /// (gzip, zstd, bzip2, xz: by content), directories (walked: those
    /// files, and .txt/.md files as one article each), or - for stdin.
    #[arg(required = true, value_name = "PATH")]
    pub inputs: Vec<PathBuf>,

    /// Write {"id","cluster"} for every article to FILE (JSON Lines; - for stdout).
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub assignments: Option<PathBuf>,
    /// Write the clusters with their members and similarities to FILE (- for stdout).
    #[arg(short, long, value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,
    /// Format of -o (default: from the extension, else json).
    #[arg(long, value_enum, help_heading = "Output")]
    pub format: Option<Format>,
    /// Write a republication report (origin, copies, lag, type, credit) to
    /// FILE (- for stdout, with --report-format), or HTML pages into DIR/
    /// (index.html and a page per 1,000 stories).
    #[arg(long, value_name = "FILE|DIR/", help_heading = "Output")]
    pub report: Option<PathBuf>,
    /// Format of --report (default: from the extension: .json, .jsonl, .md, .html, .csv).
    #[arg(long, value_enum, value_name = "FORMAT", help_heading = "Output")]
    pub report_format: Option<ReportFormatArg>,
    /// HTML report: list only the N largest stories (the JSON report has
    /// them all; the page says how many are left out).
    #[arg(long, value_name = "N", help_heading = "Output")]
    pub report_max_stories: Option<usize>,
    /// Colour in what is printed for a person: auto (when stdout is a
    /// terminal and NO_COLOR is unset), always, never.
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        default_value = "auto",
        help_heading = "Output"
    )]
    pub color: ColorChoice,
    /// No progress bar and no summary (the summary goes to stdout, or to
    /// stderr when an output is -).
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,
    /// Overwrite output files that already exist (without it, an existing
    /// output is an error and nothing is scanned).
    #[arg(long, help_heading = "Output")]
    pub force: bool,

    /// Field holding the article id (dotted path for nested objects).
    #[arg(
        long,
        default_value = "id",
        value_name = "PATH",
        help_heading = "Input"
    )]
    pub id_field: String,
    /// Field holding the article text.
    #[arg(
        long,
        default_value = "text",
        value_name = "PATH",
        help_heading = "Input"
    )]
    pub text_field: String,
    /// Field holding the headline.
    #[arg(
        long,
        default_value = "title",
        value_name = "PATH",
        help_heading = "Input"
    )]
    pub title_field: String,
    /// Field holding the outlet name.
    #[arg(
        long,
        default_value = "source",
        value_name = "PATH",
        help_heading = "Input"
    )]
    pub source_field: String,
    /// Field holding the URL.
    #[arg(
        long,
        default_value = "url",
        value_name = "PATH",
        help_heading = "Input"
    )]
    pub url_field: String,
    /// Field holding the publication time (RFC 3339 or YYYY-MM-DD).
    #[arg(
        long,
        default_value = "published",
        value_name = "PATH",
        help_heading = "Input"
    )]
    pub date_field: String,
    /// Stop at the first bad record instead of skipping it.
    #[arg(long, help_heading = "Input")]
    pub strict: bool,
    /// Replace invalid UTF-8 with U+FFFD instead of skipping the record.
    #[arg(long, help_heading = "Input")]
    pub lossy: bool,
    /// Read every input as this kind instead of by its content and name
    /// (compression is still found by content).
    #[arg(long, value_enum, value_name = "KIND", help_heading = "Input")]
    pub input_format: Option<InputFormat>,
    /// More boilerplate line patterns: one regex per line, # for comments;
    /// matched case-insensitively against whole lines.
    #[arg(long, value_name = "FILE", help_heading = "Input")]
    pub boilerplate: Option<PathBuf>,

    /// Shingle kind, word:N or char:N; repeat to combine.
    #[arg(long = "shingle", value_name = "UNIT:N", help_heading = "Detection")]
    pub shingles: Vec<ShingleSpec>,
    /// MinHash signature length.
    #[arg(long, default_value_t = Config::default().num_perm, help_heading = "Detection")]
    pub num_perm: usize,
    /// Jaccard similarity at or above which two articles are copies.
    #[arg(long, default_value_t = Config::default().threshold, help_heading = "Detection")]
    pub threshold: f64,
    /// Containment (share of the shorter article found in the longer) at or
    /// above which two articles are copies; above 1 turns it off.
    #[arg(long, default_value_t = Config::default().containment, help_heading = "Detection")]
    pub containment: f64,
    /// Smallest share of the longer article an excerpt must cover.
    #[arg(long, default_value_t = Config::default().min_excerpt, help_heading = "Detection")]
    pub min_excerpt: f64,
    /// Share of the smaller set of names and numbers that must be found in
    /// the larger (tells templated news apart from copies); 0 turns it off.
    #[arg(long, default_value_t = Config::default().anchor_containment, help_heading = "Detection")]
    pub anchor_containment: f64,
    /// Names and numbers both articles need before --anchor-containment applies.
    #[arg(long, default_value_t = Config::default().min_anchors, help_heading = "Detection")]
    pub min_anchors: u32,
    /// Shingles a pair must share before its similarity is trusted alone;
    /// pairs sharing fewer need near-identical text, the same names and
    /// figures, and agreeing headlines (short templated notices).
    #[arg(long, default_value_t = Config::default().min_shared, help_heading = "Detection")]
    pub min_shared: f64,
    /// For pairs below --min-shared: share of the smaller headline's
    /// content words found in the other headline.
    #[arg(long, default_value_t = Config::default().title_agreement, help_heading = "Detection")]
    pub title_agreement: f64,
    /// An outlet's own item published again this many days or more later
    /// is a new story (a recurring notice), never a copy; negative: off.
    #[arg(long, default_value_t = Config::default().recurrence_days, allow_hyphen_values = true, help_heading = "Detection")]
    pub recurrence_days: f64,
    /// Share of the smaller set of figures (amounts, dates, rates: runs of
    /// words with a digit) found in the other text, when both have any; 0
    /// turns it off.
    #[arg(long, default_value_t = Config::default().figure_agreement, help_heading = "Detection")]
    pub figure_agreement: f64,
    /// LSH bands (with --rows); default: chosen from the thresholds.
    #[arg(long, requires = "rows", help_heading = "Detection")]
    pub bands: Option<usize>,
    /// LSH rows per band (with --bands).
    #[arg(long, requires = "bands", help_heading = "Detection")]
    pub rows: Option<usize>,
    /// Verify candidates with exact Jaccard and containment on shingle sets.
    #[arg(long, help_heading = "Detection")]
    pub exact: bool,
    /// Do not band articles' openings: lede excerpts shorter than
    /// --min-excerpt of their original are then not found.
    #[arg(long, help_heading = "Detection")]
    pub no_lede: bool,
    /// Seed of every hash function.
    #[arg(long, default_value_t = Config::default().seed, help_heading = "Detection")]
    pub seed: u64,
    /// LSH buckets larger than this are compared in a window, not all pairs.
    #[arg(long, default_value_t = Config::default().max_bucket, help_heading = "Detection")]
    pub max_bucket: usize,
    /// Articles with fewer distinct shingles are kept as singletons.
    #[arg(long, default_value_t = Config::default().min_shingles, help_heading = "Detection")]
    pub min_shingles: usize,

    /// Skipped records (and notes) listed per input file, on stderr and in
    /// the -o JSON; the rest are counted ("and K more in FILE").
    #[arg(long, value_name = "N", default_value_t = wiretrace::config::DEFAULT_MAX_ERRORS, help_heading = "Input")]
    pub max_errors: usize,

    /// Worker threads, 1 to 1024 (default: all cores).
    #[arg(long, short = 'j', help_heading = "Performance")]
    pub threads: Option<usize>,
}

/// Most `--threads`: 1024. The largest machines have a few hundred hardware
/// threads; more workers than cores make nothing faster and each costs a
/// stack and scratch buffers, while 100,000 took 40 s just to start.
pub const MAX_THREADS: usize = 1024;

impl ScanArgs {
    /// The library config these arguments describe. Fails when the
    /// boilerplate file cannot be read or has a bad pattern.
    pub fn config(&self) -> Result<Config, wiretrace::Error> {
        let d = Config::default();
        if let Some(n) = self.threads {
            if !(1..=MAX_THREADS).contains(&n) {
                let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
                return Err(wiretrace::Error::Config(format!(
                    "--threads {n}: must be between 1 and {MAX_THREADS} (this machine has {cores} cores; leave it out to use them all)"
                )));
            }
        }
        let boilerplate = match &self.boilerplate {
            Some(p) => read_patterns(p)?,
            None => Vec::new(),
        };
        Ok(Config {
            fields: FieldNames {
                id: self.id_field.clone(),
                text: self.text_field.clone(),
                title: self.title_field.clone(),
                source: self.source_field.clone(),
                url: self.url_field.clone(),
                date: self.date_field.clone(),
            },
            lossy: self.lossy,
            input_format: self.input_format.map(InputFormat::kind),
            strict: self.strict,
            boilerplate,
            shingles: if self.shingles.is_empty() {
                d.shingles
            } else {
                self.shingles.clone()
            },
            num_perm: self.num_perm,
            seed: self.seed,
            threshold: self.threshold,
            containment: self.containment,
            min_excerpt: self.min_excerpt,
            anchor_containment: self.anchor_containment,
            min_anchors: self.min_anchors,
            min_shared: self.min_shared,
            title_agreement: self.title_agreement,
            recurrence_days: self.recurrence_days,
            figure_agreement: self.figure_agreement,
            bands: self.bands.zip(self.rows),
            exact: self.exact,
            lede: !self.no_lede,
            max_bucket: self.max_bucket,
            min_shingles: self.min_shingles,
            max_errors: self.max_errors,
        })
    }

    /// The format of `-o`: as given, else from the extension.
    pub fn output_format(&self) -> wiretrace::report::ClustersFormat {
        use wiretrace::report::ClustersFormat;
        let by_ext = self
            .output
            .as_ref()
            .and_then(|p| p.extension())
            .is_some_and(|e| e == "jsonl" || e == "ndjson");
        match self.format {
            Some(Format::Jsonl) => ClustersFormat::JsonLines,
            Some(Format::Json) => ClustersFormat::Json,
            None if by_ext => ClustersFormat::JsonLines,
            None => ClustersFormat::Json,
        }
    }
}

impl ScanArgs {
    /// The format of `--report`: as given, else from the extension.
    /// Fails when neither names one.
    pub fn report_format(
        &self,
    ) -> Result<Option<wiretrace::report::ReportFormat>, wiretrace::Error> {
        match &self.report {
            Some(path) => resolve_report_format(path, self.report_format).map(Some),
            None => Ok(None),
        }
    }
}

/// The format of a report written to `path`: `given` (`--report-format`),
/// else HTML for a directory target, else the extension's.
pub fn resolve_report_format(
    path: &std::path::Path,
    given: Option<ReportFormatArg>,
) -> Result<wiretrace::report::ReportFormat, wiretrace::Error> {
    use wiretrace::report::ReportFormat;
    if given.is_none() && is_dir_target(path) {
        return Ok(ReportFormat::Html);
    }
    match given {
        Some(ReportFormatArg::Json) => Ok(ReportFormat::Json),
        Some(ReportFormatArg::Jsonl) => Ok(ReportFormat::JsonLines),
        Some(ReportFormatArg::Md) => Ok(ReportFormat::Markdown),
        Some(ReportFormatArg::Html) => Ok(ReportFormat::Html),
        Some(ReportFormatArg::Csv) => Ok(ReportFormat::Csv),
        None => ReportFormat::from_path(path).ok_or_else(|| wiretrace::Error::Input {
            path: path.to_owned(),
            why: "cannot tell the report format from the extension; use .json, .jsonl, .md, .html or .csv, end the path with / for a directory of HTML pages, or pass --report-format".into(),
        }),
    }
}

/// Reads a boilerplate pattern file; each bad pattern is reported with its line.
fn read_patterns(path: &std::path::Path) -> Result<Vec<String>, wiretrace::Error> {
    let text = std::fs::read_to_string(path).map_err(|e| wiretrace::Error::io(path, e))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let p = line.trim();
        if p.is_empty() || p.starts_with('#') {
            continue;
        }
        wiretrace::normalize::Boilerplate::check(p).map_err(|why| wiretrace::Error::Pattern {
            at: wiretrace::Location {
                path: path.to_owned(),
                line: i as u64 + 1,
                column: None,
            },
            why,
        })?;
        out.push(p.to_owned());
    }
    Ok(out)
}
