//! `Edge`s -> `Clusters`: connected components by union-find.
//!
//! Union by size with path halving: near-linear in articles plus edges.
//! Cluster ids are numbered in order of each cluster's first article (input
//! order), so they depend only on the input and the edges, never on thread
//! count or hash-map order. Every article gets exactly one cluster;
//! singletons have their own.

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

        #[test]
        fn edge_order_does_not_matter(n in 1usize..40, raw in proptest::collection::vec((0u32..40, 0u32..40), 0..60)) {
            let mut edges: Vec<Edge> = raw.into_iter().filter(|&(a, b)| (a as usize) < n && (b as usize) < n).map(|(a, b)| edge(a, b)).collect();
            let one = cluster(n, &edges);
            edges.reverse();
            prop_assert_eq!(one, cluster(n, &edges));
        }
    }
}
