//! Assignments and cluster listings: the machine-readable scan results.

use super::Output;
use crate::error::Error;
use crate::ingest::format_timestamp;
use crate::pipeline::Scan;
use rayon::prelude::*;
use serde::Serialize;

/// Output format of `-o`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClustersFormat {
    /// One JSON document: settings, summary, clusters, skipped records.
    Json,
    /// One cluster object per line.
    JsonLines,
}

#[derive(Serialize)]
struct AssignmentLine<'a> {
    id: &'a str,
    cluster: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    too_short: bool,
}

/// Writes one `{"id", "cluster"}` line for every article, in input order.
///
/// Two more keys appear only where they say something: `"at": "file:line"`
/// on every record whose id is shared with another record (both are kept;
/// the location tells them apart), and `"too_short": true` on articles too
/// short to fingerprint (singletons by rule).
///
/// The lines are formatted in parallel, 8,192 articles a
/// task, and written in order: formatting a million lines on one thread
/// was the scan's last serial step.
pub fn write_assignments(scan: &Scan, out: Output) -> Result<(), Error> {
    let n = scan.docs.len().min(scan.clusters.of.len());
    let block = |start: usize| -> std::io::Result<Vec<u8>> {
        let end = (start + ASSIGNMENT_BLOCK).min(n);
        let mut b = Vec::with_capacity(32 * (end - start));
        for i in start..end {
            let dup = scan.duplicate_id.get(i).copied().unwrap_or(false);
            serde_json::to_writer(
                &mut b,
                &AssignmentLine {
                    id: &scan.docs[i].id,
                    cluster: scan.clusters.of[i],
                    at: dup.then(|| location_of(scan, i as u32)),
                    too_short: scan.too_short.get(i).copied().unwrap_or(false),
                },
            )?;
            b.push(b'\n');
        }
        Ok(b)
    };
    let starts: Vec<usize> = (0..n).step_by(ASSIGNMENT_BLOCK).collect();
    // A few blocks per thread at a time: memory holds those, not the file.
    let wave = 4 * rayon::current_num_threads().max(1);
    out.write(|w| {
        for group in starts.chunks(wave) {
            let bufs: Vec<std::io::Result<Vec<u8>>> = group.par_iter().map(|&s| block(s)).collect();
            for b in bufs {
                w.write_all(&b?)?;
            }
        }
        Ok(())
    })
}

/// Articles whose assignment lines one task formats.
const ASSIGNMENT_BLOCK: usize = 8192;

/// A member of a cluster, as reported.
#[derive(Debug, Serialize)]
pub struct MemberRecord {
    /// Article id.
    pub id: String,
    /// Outlet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Publication time (RFC 3339, UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Where `published` came from when not the record's date field:
    /// `page` (the HTML page's metadata) or `crawl` (a WARC crawl date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_from: Option<crate::ingest::DateFrom>,
    /// Headline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `file:line` of the record.
    pub location: String,
}

/// A verified similarity between two members.
#[derive(Debug, Serialize)]
pub struct PairRecord {
    /// One article's id.
    pub a: String,
    /// The other's.
    pub b: String,
    /// Jaccard similarity.
    pub jaccard: f32,
    /// Share of the shorter article found in the longer.
    pub containment: f32,
}

/// A cluster of two or more articles, as reported.
#[derive(Debug, Serialize)]
pub struct ClusterRecord {
    /// Cluster id (as in the assignments).
    pub cluster: u32,
    /// Number of members.
    pub size: usize,
    /// Members in input order.
    pub members: Vec<MemberRecord>,
    /// Verified pairs inside the cluster.
    pub pairs: Vec<PairRecord>,
}

/// Counts of a scan's clusters and its largest ones, without building a
/// record per cluster (a million-article scan has hundreds of thousands).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    /// Clusters of two or more articles.
    pub clusters: usize,
    /// Articles in them.
    pub clustered: usize,
    /// The largest, as `(cluster id, size, first member)`, largest first
    /// (ties by id), as in [`cluster_records`].
    pub largest: Vec<(u32, usize, u32)>,
}

/// The [`Overview`] of a scan, with its `n` largest clusters.
pub fn overview(scan: &Scan, n: usize) -> Overview {
    let mut size = vec![0u32; scan.clusters.count];
    let mut first = vec![u32::MAX; scan.clusters.count];
    for (i, &c) in scan.clusters.of.iter().enumerate() {
        size[c as usize] += 1;
        first[c as usize] = first[c as usize].min(i as u32);
    }
    let mut multi: Vec<u32> = (0..size.len() as u32)
        .filter(|&c| size[c as usize] >= 2)
        .collect();
    let clustered = multi.iter().map(|&c| size[c as usize] as usize).sum();
    let clusters = multi.len();
    let by_size = |&c: &u32| (std::cmp::Reverse(size[c as usize]), c);
    if multi.len() > n {
        multi.select_nth_unstable_by_key(n, by_size);
        multi.truncate(n);
    }
    multi.sort_by_key(by_size);
    Overview {
        clusters,
        clustered,
        largest: multi
            .into_iter()
            .map(|c| (c, size[c as usize] as usize, first[c as usize]))
            .collect(),
    }
}

/// Clusters of two or more articles, largest first (ties by id).
pub fn cluster_records(scan: &Scan) -> Vec<ClusterRecord> {
    let members = scan.clusters.members();
    let mut pairs: Vec<Vec<PairRecord>> = (0..members.len()).map(|_| Vec::new()).collect();
    for e in &scan.edges {
        let c = scan.clusters.of[e.a as usize] as usize;
        pairs[c].push(PairRecord {
            a: scan.docs[e.a as usize].id.clone(),
            b: scan.docs[e.b as usize].id.clone(),
            jaccard: round3(e.jaccard),
            containment: round3(e.containment),
        });
    }
    let mut out: Vec<ClusterRecord> = members
        .into_iter()
        .zip(pairs)
        .enumerate()
        .filter(|(_, (m, _))| m.len() >= 2)
        .map(|(c, (m, pairs))| ClusterRecord {
            cluster: c as u32,
            size: m.len(),
            members: m
                .iter()
                .map(|&i| {
                    let d = &scan.docs[i as usize];
                    MemberRecord {
                        id: d.id.clone(),
                        source: d.source.clone(),
                        published: d.published.map(format_timestamp),
                        date_from: d.published.map(|_| d.date_from).filter(|f| !f.is_field()),
                        title: d.title.clone(),
                        url: d.url.clone(),
                        location: location_of(scan, i),
                    }
                })
                .collect(),
            pairs,
        })
        .collect();
    out.sort_by(|a, b| b.size.cmp(&a.size).then(a.cluster.cmp(&b.cluster)));
    out
}

fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

/// `file:line` of article `i`.
pub fn location_of(scan: &Scan, i: u32) -> String {
    let loc = scan.docs[i as usize].loc;
    let path = scan
        .inputs
        .files
        .get(loc.file as usize)
        .map(|f| crate::error::path_text(&f.path).into_owned())
        .unwrap_or_default();
    crate::ingest::location_text(&path, loc.line)
}

#[derive(Serialize)]
struct Summary {
    records: u64,
    articles: u64,
    skipped: u64,
    too_short: u64,
    duplicate_ids: u64,
    clusters: usize,
    clusters_with_copies: usize,
    articles_in_clusters: usize,
}

#[derive(Serialize)]
struct SkippedRecord {
    at: String,
    reason: String,
    #[serde(flatten)]
    kind: crate::error::SkipReason,
}

#[derive(Serialize)]
struct NoticeRecord<'a> {
    at: String,
    message: &'a str,
}

#[derive(Serialize)]
struct ShortRecord<'a> {
    id: &'a str,
    at: String,
}

#[derive(Serialize)]
struct IgnoredRecord<'a> {
    path: std::borrow::Cow<'a, str>,
    reason: String,
    kind: crate::ingest::IgnoreReason,
}

#[derive(Serialize)]
struct ClustersDoc<'a> {
    wiretrace: &'static str,
    settings: &'a crate::Config,
    stats: &'a crate::pipeline::Stats,
    summary: Summary,
    /// Per input: records = articles + skipped.
    files: &'a [crate::pipeline::FileCount],
    /// Files under named directories that are not read.
    ignored: Vec<std::borrow::Cow<'a, str>>,
    /// The same files, each with why it was not read.
    ignored_reasons: Vec<IgnoredRecord<'a>>,
    clusters: Vec<ClusterRecord>,
    skipped: Vec<SkippedRecord>,
    notices: Vec<NoticeRecord<'a>>,
    too_short: Vec<ShortRecord<'a>>,
}

/// Writes the clusters of two or more articles with their members and
/// verified pairs. The JSON form also carries the settings, the figures,
/// `files` (per input: `records = articles + skipped`), every skipped
/// record with its location and reason, every notice (duplicate ids,
/// unreadable dates) and the articles too short to fingerprint.
pub fn write_clusters(scan: &Scan, out: Output, format: ClustersFormat) -> Result<(), Error> {
    let clusters = cluster_records(scan);
    match format {
        ClustersFormat::JsonLines => out.write(|w| {
            for c in &clusters {
                serde_json::to_writer(&mut *w, c)?;
                w.write_all(b"\n")?;
            }
            Ok(())
        }),
        ClustersFormat::Json => {
            let summary = Summary {
                records: scan.stats.records,
                duplicate_ids: scan.stats.duplicate_ids,
                articles: scan.stats.articles,
                skipped: scan.stats.skipped,
                too_short: scan.stats.too_short,
                clusters: scan.clusters.count,
                clusters_with_copies: clusters.len(),
                articles_in_clusters: clusters.iter().map(|c| c.size).sum(),
            };
            let skipped = scan
                .skipped
                .iter()
                .map(|s| SkippedRecord {
                    at: s.at.to_string(),
                    reason: s.reason.to_string(),
                    kind: s.reason.clone(),
                })
                .collect();
            let ignored: Vec<IgnoredRecord> = scan
                .stats
                .ignored
                .iter()
                .map(|i| IgnoredRecord {
                    path: crate::error::path_text(&i.path),
                    reason: i.reason.to_string(),
                    kind: i.reason,
                })
                .collect();
            let doc = ClustersDoc {
                wiretrace: env!("CARGO_PKG_VERSION"),
                settings: &scan.config,
                stats: &scan.stats,
                summary,
                files: &scan.stats.per_file,
                ignored: ignored.iter().map(|i| i.path.clone()).collect(),
                ignored_reasons: ignored,
                clusters,
                skipped,
                notices: scan
                    .notices
                    .iter()
                    .map(|n| NoticeRecord {
                        at: n.at.to_string(),
                        message: &n.message,
                    })
                    .collect(),
                too_short: (0..scan.docs.len())
                    .filter(|&i| scan.too_short[i])
                    .map(|i| ShortRecord {
                        id: &scan.docs[i].id,
                        at: location_of(scan, i as u32),
                    })
                    .collect(),
            };
            out.write(|w| {
                serde_json::to_writer_pretty(&mut *w, &doc)?;
                w.write_all(b"\n")
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Inputs;
    use crate::pipeline::{scan_inputs, NoProgress};

    /// The summary's overview must say what the full records say.
    #[test]
    fn overview_agrees_with_records() {
        let corpus = std::fs::read("testdata/demo/corpus.jsonl").unwrap();
        let scan = scan_inputs(
            &crate::Config::default(),
            Inputs::from_jsonl("demo.jsonl", corpus),
            &NoProgress,
        )
        .unwrap();
        let records = cluster_records(&scan);
        for n in [0, 1, 5, records.len() + 3] {
            let o = overview(&scan, n);
            assert_eq!(o.clusters, records.len());
            assert_eq!(o.clustered, records.iter().map(|c| c.size).sum::<usize>());
            let want: Vec<(u32, usize, String)> = records
                .iter()
                .take(n)
                .map(|c| (c.cluster, c.size, c.members[0].id.clone()))
                .collect();
            let got: Vec<(u32, usize, String)> = o
                .largest
                .iter()
                .map(|&(c, size, first)| (c, size, scan.docs[first as usize].id.clone()))
                .collect();
            assert_eq!(got, want);
        }
    }
}
