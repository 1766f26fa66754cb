//! `Edge`s -> `Clusters`: connected components by union-find, with cores
//! that stop chains.
//!
//! Union by size with path halving: near-linear in articles plus edges.
//!
//! Plain connected components chain: A-B and B-C join A and C though they
//! share nothing, and one weak edge per step builds clusters of hundreds
//! (a roundup that quotes two stories joins them; so does a run of daily
//! notices, each like the next). [`cluster_with_cores`] gives each cluster a
//! *core*, the member most likely to be the original (the earliest dated,
//! then the longest, then the first read), and joins two clusters only when
//! their cores are alike themselves (see [`Cores`]). Syndication is a star:
//! every copy is made from the original, so each copy resembles the core;
//! a chain of stories does not. Edges are taken strongest first, so a
//! member joins the story it is closest to.
//! Cluster ids are numbered in order of each cluster's first article (input
//! order), so they depend only on the input and the edges, never on thread
//! count or hash-map order. Every article gets exactly one cluster;
//! singletons have their own.

mod cores;

pub use cores::FingerprintCores;

use crate::verify::Edge;
use serde::Serialize;

/// Disjoint sets over `0..n`.
#[derive(Debug, Clone)]
pub struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    /// `n` singleton sets.
    pub fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    /// The representative of `x`'s set.
    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }

    /// Merges the sets of `a` and `b`; returns whether they were apart.
    pub fn union(&mut self, a: u32, b: u32) -> bool {
        let (mut ra, mut rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        if self.size[ra as usize] < self.size[rb as usize] {
            std::mem::swap(&mut ra, &mut rb);
        }
        self.parent[rb as usize] = ra;
        self.size[ra as usize] += self.size[rb as usize];
        true
    }
}

/// Every article's cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Clusters {
    /// `of[i]` = cluster id of article `i`; ids are `0..count`.
    pub of: Vec<u32>,
    /// Number of clusters, singletons included.
    pub count: usize,
}

impl Clusters {
    /// Members of each cluster, in article order; `result[c]` lists cluster `c`.
    pub fn members(&self) -> Vec<Vec<u32>> {
        let mut m = vec![Vec::new(); self.count];
        for (i, &c) in self.of.iter().enumerate() {
            m[c as usize].push(i as u32);
        }
        m
    }
}

/// Clusters `n` articles joined by `edges`.
pub fn cluster(n: usize, edges: &[Edge]) -> Clusters {
    let mut uf = UnionFind::new(n);
    for e in edges {
        uf.union(e.a, e.b);
    }
    number(n, &mut uf)
}

/// What [`cluster_with_cores`] knows of each article to pick cores and
/// compare them.
pub trait Cores {
    /// Which of `a` and `b` is the better core: `true` when `a` is (earlier
    /// dated, else more text, else read first).
    fn prefer(&self, a: u32, b: u32) -> bool;
    /// Whether two cores are alike enough for their clusters to be one.
    fn alike(&self, a: u32, b: u32) -> bool;
}

/// Clusters `n` articles joined by `edges`, strongest first, joining two
/// clusters only when their cores are [`Cores::alike`] (an edge between the
/// two cores themselves always joins: it was verified).
pub fn cluster_with_cores(n: usize, edges: &[Edge], cores: &(impl Cores + ?Sized)) -> Clusters {
    let mut order: Vec<u32> = (0..edges.len() as u32).collect();
    let strength = |e: &Edge| e.jaccard.max(e.containment);
    order.sort_unstable_by(|&x, &y| {
        let (ex, ey) = (&edges[x as usize], &edges[y as usize]);
        strength(ey)
            .total_cmp(&strength(ex))
            .then((ex.a, ex.b).cmp(&(ey.a, ey.b)))
    });
    let mut uf = UnionFind::new(n);
    let mut core: Vec<u32> = (0..n as u32).collect();
    for &k in &order {
        let e = &edges[k as usize];
        let (ra, rb) = (uf.find(e.a), uf.find(e.b));
        if ra == rb {
            continue;
        }
        let (ca, cb) = (core[ra as usize], core[rb as usize]);
        let direct = (ca == e.a && cb == e.b) || (ca == e.b && cb == e.a);
        if !direct && !cores.alike(ca, cb) {
            continue;
        }
        uf.union(ra, rb);
        let r = uf.find(ra);
        core[r as usize] = if cores.prefer(ca, cb) { ca } else { cb };
    }
    number(n, &mut uf)
}

/// Cluster ids of `uf`'s sets, numbered by first member.
fn number(n: usize, uf: &mut UnionFind) -> Clusters {
    let mut id_of_root = vec![u32::MAX; n];
    let mut of = Vec::with_capacity(n);
    let mut count = 0u32;
    for i in 0..n as u32 {
        let r = uf.find(i) as usize;
        if id_of_root[r] == u32::MAX {
            id_of_root[r] = count;
            count += 1;
        }
        of.push(id_of_root[r]);
    }
    Clusters {
        of,
        count: count as usize,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn edge(a: u32, b: u32) -> Edge {
        Edge {
            a,
            b,
            jaccard: 1.0,
            containment: 1.0,
        }
    }

    /// Reference: breadth-first search over an adjacency list.
    fn bfs_components(n: usize, edges: &[(u32, u32)]) -> Vec<u32> {
        let mut adj = vec![Vec::new(); n];
        for &(a, b) in edges {
            adj[a as usize].push(b);
            adj[b as usize].push(a);
        }
        let mut comp = vec![u32::MAX; n];
        let mut next = 0;
        for s in 0..n {
            if comp[s] != u32::MAX {
                continue;
            }
            comp[s] = next;
            let mut q = std::collections::VecDeque::from([s as u32]);
            while let Some(x) = q.pop_front() {
                for &y in &adj[x as usize] {
                    if comp[y as usize] == u32::MAX {
                        comp[y as usize] = next;
                        q.push_back(y);
                    }
                }
            }
            next += 1;
        }
        comp
    }

    #[test]
    fn ids_follow_first_member() {
        let c = cluster(5, &[edge(3, 4), edge(1, 3)]);
        assert_eq!(c.of, vec![0, 1, 2, 1, 1]);
        assert_eq!(c.count, 3);
        assert_eq!(c.members(), vec![vec![0], vec![1, 3, 4], vec![2]]);
    }

    /// Cores by hand: lower index preferred; alike as listed.
    struct Alike(Vec<(u32, u32)>);
    impl Cores for Alike {
        fn prefer(&self, a: u32, b: u32) -> bool {
            a < b
        }
        fn alike(&self, a: u32, b: u32) -> bool {
            self.0.contains(&(a.min(b), a.max(b)))
        }
    }

    #[test]
    fn a_chain_whose_ends_share_nothing_is_cut() {
        // A (0) - B (1) - C (2): B is like both, A and C alike in nothing.
        let edges = [edge(0, 1), edge(1, 2)];
        let c = cluster_with_cores(3, &edges, &Alike(vec![(0, 1), (1, 2)]));
        assert_ne!(c.of[0], c.of[2], "{:?}", c.of);
        // The same three, with A and C alike: one story.
        let c = cluster_with_cores(3, &edges, &Alike(vec![(0, 1), (1, 2), (0, 2)]));
        assert_eq!(c.of, vec![0, 0, 0]);
    }

    #[test]
    fn a_star_around_its_core_stays_whole() {
        // An original (0) and four copies, some unlike each other.
        let edges = [edge(0, 1), edge(0, 2), edge(0, 3), edge(0, 4), edge(3, 4)];
        let c = cluster_with_cores(5, &edges, &Alike(vec![]));
        assert_eq!(c.of, vec![0; 5]);
    }

    #[test]
    fn the_strongest_edge_decides_where_a_bridge_goes() {
        // 2 is a later article (never a core here) bridging stories 0 and
        // 1, closer to 1: it joins 1, and 0 stays apart, whichever edge is
        // listed first.
        let weak = Edge {
            jaccard: 0.4,
            containment: 0.4,
            ..edge(0, 2)
        };
        let strong = Edge {
            jaccard: 0.9,
            containment: 0.9,
            ..edge(1, 2)
        };
        for edges in [[weak, strong], [strong, weak]] {
            let c = cluster_with_cores(3, &edges, &Alike(vec![]));
            assert_eq!(c.of, vec![0, 1, 1]);
        }
    }

    #[test]
    fn a_copy_of_the_core_joins_though_unlike_its_other_copies() {
        // 0 is the core (the original) of {0, 2}; 1 is another copy of 0.
        let edges = [edge(0, 2), edge(0, 1)];
        let c = cluster_with_cores(3, &edges, &Alike(vec![]));
        assert_eq!(c.of, vec![0, 0, 0]);
    }

    #[test]
    fn no_edges_all_singletons() {
        let c = cluster(3, &[]);
        assert_eq!(c.of, vec![0, 1, 2]);
    }

    proptest! {
        #[test]
        fn matches_bfs(n in 1usize..60, raw in proptest::collection::vec((0u32..60, 0u32..60), 0..80)) {
            let pairs: Vec<(u32, u32)> = raw.into_iter().filter(|&(a, b)| (a as usize) < n && (b as usize) < n).collect();
            let edges: Vec<Edge> = pairs.iter().map(|&(a, b)| edge(a, b)).collect();
            let got = cluster(n, &edges);
            // BFS numbers components in order of first member too, so ids agree exactly.
            prop_assert_eq!(got.of, bfs_components(n, &pairs));
        }

        /// With every pair of cores alike, the cores change nothing:
        /// the components are union-find's.
        #[test]
        fn cores_all_alike_is_union_find(n in 1usize..40, raw in proptest::collection::vec((0u32..40, 0u32..40), 0..60)) {
            struct All;
            impl Cores for All {
                fn prefer(&self, a: u32, b: u32) -> bool { a < b }
                fn alike(&self, _: u32, _: u32) -> bool { true }
            }
            let edges: Vec<Edge> = raw.into_iter().filter(|&(a, b)| (a as usize) < n && (b as usize) < n).map(|(a, b)| edge(a, b)).collect();
            prop_assert_eq!(cluster_with_cores(n, &edges, &All), cluster(n, &edges));
        }

        #[test]
        fn edge_order_does_not_matter(n in 1usize..40, raw in proptest::collection::vec((0u32..40, 0u32..40), 0..60)) {
            let mut edges: Vec<Edge> = raw.into_iter().filter(|&(a, b)| (a as usize) < n && (b as usize) < n).map(|(a, b)| edge(a, b)).collect();
            let one = cluster(n, &edges);
            edges.reverse();
            prop_assert_eq!(one, cluster(n, &edges));
        }
    }
}
