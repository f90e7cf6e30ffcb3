//! The master LP of column generation, solved by a primal simplex that
//! keeps its basis between rounds.
//!
//! The LP is a covering one: minimise `sum c_j x_j` over `x >= 0` with, per
//! row, `sum a_ij x_j >= 1` (a required visit) or `<= 1` (an early visit).
//! Columns arrive a few hundred at a time and the optimum moves little, so
//! the solver goes on from the last basis instead of starting over: new
//! columns enter at zero and a handful of pivots restore optimality. The
//! basis has one column per row (a few hundred), held as a dense inverse
//! that each pivot updates and that is computed afresh every
//! [`REFACTOR`] pivots and before every answer.
//!
//! Set-covering LPs are very degenerate; the right-hand sides are perturbed
//! by a few millionths (fixed per row, so the result is the same on every
//! machine) so that pivots make progress. The prices returned are optimal
//! for the perturbed LP and feasible for the real one, and the objective
//! returned is the real one's dual objective at those prices, which is a
//! lower bound on the real LP whenever no column prices out.

/// Pivots between two fresh inverses.
const REFACTOR: usize = 100;
/// Cost of an artificial variable (a row covered by nothing yet).
const BIG: f64 = 1e7;
/// A reduced cost below `-OPT_TOL` lets a column enter.
const OPT_TOL: f64 = 1e-7;
/// Pivot elements smaller than this are not taken.
const PIV_TOL: f64 = 1e-9;
/// Primal slack the ratio test allows (Harris).
const FEAS_TOL: f64 = 1e-9;
/// Most pivots in one call, against cycling that the perturbation missed.
const MAX_PIVOTS: usize = 200_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Var {
    /// A column.
    Col(usize),
    /// The row's slack: `-1` in a `>=` row, `+1` in a `<=` row.
    Slack(usize),
    /// The row's artificial, `+1` at cost [`BIG`], in `>=` rows only.
    Art(usize),
}

#[derive(Debug)]
pub struct MasterLp {
    /// Per row: whether it is `>= 1` (else `<= 1`).
    at_least: Vec<bool>,
    /// Perturbed right-hand sides.
    rhs: Vec<f64>,
    cols: Vec<(Vec<(usize, f64)>, f64)>,
    /// Per column: its place in the basis, if any.
    col_pos: Vec<Option<usize>>,
    slack_pos: Vec<Option<usize>>,
    /// Artificials that left the basis never come back.
    art_pos: Vec<Option<usize>>,
    basis: Vec<Var>,
    /// Row-major inverse of the basis.
    inv: Vec<f64>,
    xb: Vec<f64>,
    y: Vec<f64>,
    since_refactor: usize,
    /// Pivots made, all calls.
    pub pivots: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LpError {
    Unbounded,
    Infeasible,
    Singular,
    TooManyPivots,
}

impl MasterLp {
    /// An LP with the given rows (`true`: `>= 1`, `false`: `<= 1`) and no
    /// columns: artificials cover the `>=` rows, slacks take the others.
    pub fn new(at_least: Vec<bool>) -> Self {
        let m = at_least.len();
        let rhs: Vec<f64> = (0..m)
            .map(|i| {
                // A fixed spread of a few millionths per row.
                let h = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
                1.0 + 1e-6 * (1.0 + (h % 1000) as f64 / 1000.0)
            })
            .collect();
        let basis: Vec<Var> = (0..m)
            .map(|i| {
                if at_least[i] {
                    Var::Art(i)
                } else {
                    Var::Slack(i)
                }
            })
            .collect();
        let mut inv = vec![0.0; m * m];
        for i in 0..m {
            inv[i * m + i] = 1.0;
        }
        let mut lp = MasterLp {
            slack_pos: (0..m).map(|i| (!at_least[i]).then_some(i)).collect(),
            art_pos: (0..m).map(|i| at_least[i].then_some(i)).collect(),
            at_least,
            xb: rhs.clone(),
            rhs,
            cols: Vec::new(),
            col_pos: Vec::new(),
            basis,
            inv,
            y: vec![0.0; m],
            since_refactor: 0,
            pivots: 0,
        };
        lp.compute_duals();
        lp
    }

    pub fn rows(&self) -> usize {
        self.at_least.len()
    }

    /// Adds a column (its rows, each at most once, and its cost); it enters
    /// at zero. Returns its index.
    pub fn add_column(&mut self, terms: Vec<(usize, f64)>, cost: f64) -> usize {
        self.cols.push((terms, cost));
        self.col_pos.push(None);
        self.cols.len() - 1
    }

    /// Lowers or raises a column's cost.
    pub fn set_cost(&mut self, j: usize, cost: f64) {
        self.cols[j].1 = cost;
        if self.col_pos[j].is_some() {
            self.compute_duals();
        }
    }

    /// The row prices of the last solve.
    pub fn duals(&self) -> &[f64] {
        &self.y
    }

    /// The dual objective at the prices, with the real right-hand sides.
    pub fn dual_objective(&self) -> f64 {
        self.y.iter().sum()
    }

    /// The columns' values in the last solve (perturbed).
    pub fn values(&self) -> Vec<f64> {
        let mut x = vec![0.0; self.cols.len()];
        for (k, v) in self.basis.iter().enumerate() {
            if let Var::Col(j) = v {
                x[*j] = self.xb[k];
            }
        }
        x
    }

    fn cost(&self, v: Var) -> f64 {
        match v {
            Var::Col(j) => self.cols[j].1,
            Var::Slack(_) => 0.0,
            Var::Art(_) => BIG,
        }
    }

    /// The column of `v` as (row, coefficient) pairs.
    fn column(&self, v: Var) -> Vec<(usize, f64)> {
        match v {
            Var::Col(j) => self.cols[j].0.clone(),
            Var::Slack(i) => vec![(i, if self.at_least[i] { -1.0 } else { 1.0 })],
            Var::Art(i) => vec![(i, 1.0)],
        }
    }

    fn compute_duals(&mut self) {
        let m = self.rows();
        let mut y = vec![0.0; m];
        for (k, &v) in self.basis.iter().enumerate() {
            let c = self.cost(v);
            if c != 0.0 {
                let row = &self.inv[k * m..(k + 1) * m];
                for (yi, a) in y.iter_mut().zip(row) {
                    *yi += c * a;
                }
            }
        }
        self.y = y;
    }

    /// The inverse of the basis afresh (Gauss-Jordan with partial
    /// pivoting), and the primal values and prices from it.
    fn refactor(&mut self) -> Result<(), LpError> {
        let m = self.rows();
        // b[row][k]: the basis matrix; augmented with the identity.
        let mut a = vec![0.0; m * m];
        for (k, &v) in self.basis.iter().enumerate() {
            for (i, c) in self.column(v) {
                a[i * m + k] = c;
            }
        }
        let mut inv = vec![0.0; m * m];
        for i in 0..m {
            inv[i * m + i] = 1.0;
        }
        for col in 0..m {
            let p = (col..m)
                .max_by(|&r, &s| a[r * m + col].abs().total_cmp(&a[s * m + col].abs()))
                .ok_or(LpError::Singular)?;
            let piv = a[p * m + col];
            if piv.abs() < 1e-12 {
                return Err(LpError::Singular);
            }
            if p != col {
                for c in 0..m {
                    a.swap(p * m + c, col * m + c);
                    inv.swap(p * m + c, col * m + c);
                }
            }
            let scale = 1.0 / piv;
            for c in 0..m {
                a[col * m + c] *= scale;
                inv[col * m + c] *= scale;
            }
            for r in 0..m {
                if r == col {
                    continue;
                }
                let f = a[r * m + col];
                if f == 0.0 {
                    continue;
                }
                for c in 0..m {
                    a[r * m + c] -= f * a[col * m + c];
                    inv[r * m + c] -= f * inv[col * m + c];
                }
            }
        }
        // `inv` now inverts the basis matrix (rows: basis positions).
        self.inv = inv;
        let mut xb = vec![0.0; m];
        for (k, x) in xb.iter_mut().enumerate() {
            let row = &self.inv[k * m..(k + 1) * m];
            *x = row.iter().zip(&self.rhs).map(|(a, b)| a * b).sum();
            // Noise below the tolerance is no infeasibility.
            if *x < 0.0 && *x > -1e-7 {
                *x = 0.0;
            }
        }
        self.xb = xb;
        self.compute_duals();
        self.since_refactor = 0;
        Ok(())
    }

    /// The entering variable: the most negative reduced cost, if any.
    fn entering(&self) -> Option<(Var, f64)> {
        let mut best: Option<(Var, f64)> = None;
        let mut consider = |v: Var, rc: f64| {
            if rc < -OPT_TOL && best.map_or(true, |(_, b)| rc < b) {
                best = Some((v, rc));
            }
        };
        for (j, (terms, cost)) in self.cols.iter().enumerate() {
            if self.col_pos[j].is_some() {
                continue;
            }
            let rc = cost - terms.iter().map(|&(i, a)| a * self.y[i]).sum::<f64>();
            consider(Var::Col(j), rc);
        }
        for i in 0..self.rows() {
            if self.slack_pos[i].is_none() {
                let rc = if self.at_least[i] {
                    self.y[i]
                } else {
                    -self.y[i]
                };
                consider(Var::Slack(i), rc);
            }
        }
        best
    }

    /// Primal simplex from the current basis to an optimum.
    pub fn solve(&mut self) -> Result<(), LpError> {
        let m = self.rows();
        let mut pivots = 0;
        loop {
            if self.since_refactor >= REFACTOR {
                self.refactor()?;
            }
            let Some((q, rc)) = self.entering() else {
                if self.since_refactor > 0 {
                    // Check the optimum on a fresh inverse.
                    self.refactor()?;
                    if self.entering().is_some() {
                        continue;
                    }
                }
                if self
                    .basis
                    .iter()
                    .zip(&self.xb)
                    .any(|(v, &x)| matches!(v, Var::Art(_)) && x > 1e-6)
                {
                    return Err(LpError::Infeasible);
                }
                return Ok(());
            };
            pivots += 1;
            if pivots > MAX_PIVOTS {
                return Err(LpError::TooManyPivots);
            }
            // d = B^-1 a_q
            let col = self.column(q);
            let mut d = vec![0.0; m];
            for (k, dk) in d.iter_mut().enumerate() {
                let row = &self.inv[k * m..(k + 1) * m];
                *dk = col.iter().map(|&(i, a)| row[i] * a).sum();
            }
            // Harris ratio test: the largest pivot among the rows that
            // block within the tolerance.
            let mut theta_max = f64::INFINITY;
            for (&dk, &xk) in d.iter().zip(&self.xb) {
                if dk > PIV_TOL {
                    theta_max = theta_max.min((xk + FEAS_TOL) / dk);
                }
            }
            if !theta_max.is_finite() {
                return Err(LpError::Unbounded);
            }
            let mut r = usize::MAX;
            for (k, (&dk, &xk)) in d.iter().zip(&self.xb).enumerate() {
                if dk > PIV_TOL && xk / dk <= theta_max && (r == usize::MAX || dk > d[r]) {
                    r = k;
                }
            }
            if r == usize::MAX {
                return Err(LpError::Singular);
            }
            let theta = (self.xb[r] / d[r]).max(0.0);
            for (x, &dk) in self.xb.iter_mut().zip(&d) {
                if dk != 0.0 {
                    *x -= theta * dk;
                }
            }
            self.xb[r] = theta;
            // Prices: y += rc / d_r * (row r of the old inverse).
            let step = rc / d[r];
            let pivot_row: Vec<f64> = self.inv[r * m..(r + 1) * m].to_vec();
            for (yi, a) in self.y.iter_mut().zip(&pivot_row) {
                *yi += step * a;
            }
            // Inverse: row r over d_r, the others less d_k times it.
            let inv_dr = 1.0 / d[r];
            let new_r: Vec<f64> = pivot_row.iter().map(|a| a * inv_dr).collect();
            for (k, &f) in d.iter().enumerate() {
                if k == r || f == 0.0 {
                    continue;
                }
                let row = &mut self.inv[k * m..(k + 1) * m];
                for (x, a) in row.iter_mut().zip(&new_r) {
                    *x -= f * a;
                }
            }
            self.inv[r * m..(r + 1) * m].copy_from_slice(&new_r);
            // Basis bookkeeping.
            match self.basis[r] {
                Var::Col(j) => self.col_pos[j] = None,
                Var::Slack(i) => self.slack_pos[i] = None,
                Var::Art(i) => self.art_pos[i] = None,
            }
            match q {
                Var::Col(j) => self.col_pos[j] = Some(r),
                Var::Slack(i) => self.slack_pos[i] = Some(r),
                Var::Art(i) => self.art_pos[i] = Some(r),
            }
            self.basis[r] = q;
            self.since_refactor += 1;
            self.pivots += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planner::mip::{self, Backend, Limits, Model, Sense};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// The LP's optimum by microlp, on the primal.
    fn reference(at_least: &[bool], cols: &[(Vec<(usize, f64)>, f64)]) -> f64 {
        let mut model = Model::default();
        let x: Vec<usize> = cols
            .iter()
            .map(|(_, c)| model.continuous(*c, 0.0, 1e9))
            .collect();
        let mut rows: Vec<Vec<(usize, f64)>> = vec![Vec::new(); at_least.len()];
        for (j, (terms, _)) in cols.iter().enumerate() {
            for &(i, a) in terms {
                rows[i].push((x[j], a));
            }
        }
        for (i, terms) in rows.into_iter().enumerate() {
            if at_least[i] {
                let neg = terms.into_iter().map(|(v, a)| (v, -a)).collect();
                model.row(neg, Sense::Le, -1.0);
            } else if !terms.is_empty() {
                model.row(terms, Sense::Le, 1.0);
            }
        }
        mip::solve(
            &model,
            Backend::Microlp,
            &Limits {
                nodes: 0,
                start: None,
            },
        )
        .expect("reference LP")
        .objective
    }

    /// Random covering LPs: required and optional rows, columns of one to
    /// five rows (some with a row twice, as ng-routes), costs that go
    /// negative for columns with optional rows; every required row has a
    /// single-row column. Columns arrive in batches; after each the
    /// optimum must match microlp's and the prices must price every column
    /// out.
    #[test]
    fn agrees_with_microlp_while_columns_arrive() {
        for seed in 1..=12u64 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let m = 20 + rng.gen_range(0..40usize);
            let at_least: Vec<bool> = (0..m).map(|_| rng.gen_range(0..3) != 0u8).collect();
            let mut lp = MasterLp::new(at_least.clone());
            let mut cols: Vec<(Vec<(usize, f64)>, f64)> = Vec::new();
            for (i, &required) in at_least.iter().enumerate() {
                if required {
                    cols.push((
                        vec![(i, 1.0)],
                        500.0 + rng.gen_range(0.0..2000.0f64).floor(),
                    ));
                }
            }
            for batch in 0..6 {
                let extra = if batch == 0 {
                    0
                } else {
                    30 + rng.gen_range(0..60usize)
                };
                for _ in 0..extra {
                    let k = rng.gen_range(1..=5usize);
                    let mut rows: Vec<usize> = (0..k).map(|_| rng.gen_range(0..m)).collect();
                    rows.sort_unstable();
                    let mut terms: Vec<(usize, f64)> = Vec::new();
                    for r in rows {
                        match terms.last_mut() {
                            Some((i, a)) if *i == r => *a += 1.0,
                            _ => terms.push((r, 1.0)),
                        }
                    }
                    let optional = terms.iter().filter(|(i, _)| !at_least[*i]).count() as f64;
                    let cost = 300.0 + rng.gen_range(0.0..3000.0f64).floor() - 900.0 * optional;
                    cols.push((terms, cost));
                }
                for (terms, cost) in &cols[lp.cols.len()..] {
                    lp.add_column(terms.clone(), *cost);
                }
                lp.solve().expect("solves");
                let want = reference(&at_least, &cols);
                let got = lp.dual_objective();
                assert!(
                    (got - want).abs() <= 1e-4 * want.abs().max(1.0),
                    "seed {seed} batch {batch}: {got} against microlp {want}"
                );
                let y = lp.duals();
                for (terms, cost) in &cols {
                    let rc = cost - terms.iter().map(|&(i, a)| a * y[i]).sum::<f64>();
                    assert!(rc > -1e-5, "seed {seed}: a column prices out at {rc}");
                }
                for i in 0..m {
                    assert!(if at_least[i] {
                        y[i] > -1e-7
                    } else {
                        y[i] < 1e-7
                    });
                }
            }
        }
    }

    #[test]
    fn a_row_nothing_covers_is_infeasible() {
        let mut lp = MasterLp::new(vec![true, true]);
        lp.add_column(vec![(0, 1.0)], 10.0);
        assert_eq!(lp.solve(), Err(LpError::Infeasible));
    }

    #[test]
    fn a_lowered_cost_moves_the_optimum() {
        let mut lp = MasterLp::new(vec![true, true]);
        lp.add_column(vec![(0, 1.0)], 10.0);
        lp.add_column(vec![(1, 1.0)], 10.0);
        let both = lp.add_column(vec![(0, 1.0), (1, 1.0)], 25.0);
        lp.solve().unwrap();
        assert!((lp.dual_objective() - 20.0).abs() < 1e-6);
        lp.set_cost(both, 15.0);
        lp.solve().unwrap();
        assert!((lp.dual_objective() - 15.0).abs() < 1e-6);
        let x = lp.values();
        assert!((x[both] - 1.0).abs() < 1e-4);
    }
}
