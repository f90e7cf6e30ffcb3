//! A small mixed-integer model and the solvers that take it.
//!
//! The planner's models are built once as plain data ([`Model`]) and handed
//! to a backend: microlp (pure Rust, always built) or HiGHS (cargo feature
//! `highs`, which needs cmake, a C++ compiler and libclang). Each backend
//! returns the values, the objective, the best bound it proved and whether it
//! proved optimality, so the planner can report a gap whichever solver ran.

use std::fmt;

/// Which solver takes the models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Backend {
    #[default]
    Microlp,
    Highs,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Microlp => "microlp",
            Backend::Highs => "highs",
        })
    }
}

impl Backend {
    /// Whether this build can use the backend.
    pub fn available(self) -> bool {
        match self {
            Backend::Microlp => true,
            Backend::Highs => cfg!(feature = "highs"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sense {
    Le,
    Eq,
}

#[derive(Debug, Clone)]
pub struct Var {
    pub cost: f64,
    pub lower: f64,
    pub upper: f64,
    pub integer: bool,
}

#[derive(Debug, Clone)]
pub struct Row {
    /// (variable index, coefficient)
    pub terms: Vec<(usize, f64)>,
    pub sense: Sense,
    pub rhs: f64,
}

/// Minimise `sum cost * x` subject to the rows and bounds.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub vars: Vec<Var>,
    pub rows: Vec<Row>,
}

impl Model {
    pub fn binary(&mut self, cost: f64) -> usize {
        self.vars.push(Var {
            cost,
            lower: 0.0,
            upper: 1.0,
            integer: true,
        });
        self.vars.len() - 1
    }

    pub fn continuous(&mut self, cost: f64, lower: f64, upper: f64) -> usize {
        self.vars.push(Var {
            cost,
            lower,
            upper,
            integer: false,
        });
        self.vars.len() - 1
    }

    pub fn row(&mut self, terms: Vec<(usize, f64)>, sense: Sense, rhs: f64) {
        self.rows.push(Row { terms, sense, rhs });
    }

    /// Whether `x` satisfies every bound, integrality and row (within 1e-6).
    pub fn is_feasible(&self, x: &[f64]) -> bool {
        let eps = 1e-6;
        x.len() == self.vars.len()
            && self.vars.iter().zip(x).all(|(v, &x)| {
                x >= v.lower - eps
                    && x <= v.upper + eps
                    && (!v.integer || (x - x.round()).abs() < eps)
            })
            && self.rows.iter().all(|r| {
                let lhs: f64 = r.terms.iter().map(|&(j, a)| a * x[j]).sum();
                match r.sense {
                    Sense::Le => lhs <= r.rhs + eps,
                    Sense::Eq => (lhs - r.rhs).abs() <= eps,
                }
            })
    }

    /// Checks what every backend relies on: no NaN, finite costs,
    /// coefficients and right-hand sides, `lower <= upper`, and row terms that
    /// name existing variables.
    pub fn check(&self) -> Result<(), String> {
        for (j, v) in self.vars.iter().enumerate() {
            if !v.cost.is_finite() || v.lower.is_nan() || v.upper.is_nan() || v.lower > v.upper {
                return Err(format!(
                    "variable {j}: cost {} and bounds [{}, {}] are not a valid column",
                    v.cost, v.lower, v.upper
                ));
            }
        }
        for (i, r) in self.rows.iter().enumerate() {
            if !r.rhs.is_finite() {
                return Err(format!("row {i}: right-hand side {} is not finite", r.rhs));
            }
            if let Some(&(j, a)) = r
                .terms
                .iter()
                .find(|&&(j, a)| j >= self.vars.len() || !a.is_finite())
            {
                return Err(format!(
                    "row {i}: term ({j}, {a}) names no variable or is not finite"
                ));
            }
        }
        Ok(())
    }

    pub fn objective(&self, x: &[f64]) -> f64 {
        self.vars.iter().zip(x).map(|(v, x)| v.cost * x).sum()
    }
}

/// Limits for one solve. The node budget keeps results the same on every
/// machine; there is deliberately no clock.
#[derive(Debug, Clone)]
pub struct Limits {
    pub nodes: u64,
    /// A feasible starting point, if one is known.
    pub start: Option<Vec<f64>>,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    /// Values of the best solution found (the start when nothing better).
    pub values: Vec<f64>,
    pub objective: f64,
    /// The best proven lower bound on the objective.
    pub bound: f64,
    pub proven: bool,
    pub nodes: u64,
}

/// Solves `model` with `backend`. With a feasible start the result is never
/// worse than the start.
pub fn solve(model: &Model, backend: Backend, limits: &Limits) -> Result<Outcome, String> {
    model.check()?;
    let outcome = match backend {
        Backend::Microlp => microlp_backend::solve(model, limits)?,
        #[cfg(feature = "highs")]
        Backend::Highs => highs_backend::solve(model, limits)?,
        #[cfg(not(feature = "highs"))]
        Backend::Highs => {
            return Err(
                "this build has no HiGHS; build with `cargo build --release --features highs`"
                    .to_string(),
            )
        }
    };
    // Keep the start when the solver came back with nothing better.
    if let Some(start) = &limits.start {
        if model.is_feasible(start) && model.objective(start) < outcome.objective - 1e-9 {
            let objective = model.objective(start);
            return Ok(Outcome {
                objective,
                bound: outcome.bound.min(objective),
                values: start.clone(),
                proven: false,
                nodes: outcome.nodes,
            });
        }
    }
    Ok(outcome)
}

mod microlp_backend {
    use super::{Limits, Model, Outcome, Sense};
    use microlp::{ComparisonOp, LinearExpr, OptimizationDirection, Problem, SolveOptions};

    pub fn solve(model: &Model, limits: &Limits) -> Result<Outcome, String> {
        let mut problem = Problem::new(OptimizationDirection::Minimize);
        let vars: Vec<microlp::Variable> = model
            .vars
            .iter()
            .map(|v| {
                if v.integer && v.lower == 0.0 && v.upper == 1.0 {
                    problem.add_binary_var(v.cost)
                } else if v.integer {
                    problem.add_integer_var(v.cost, (v.lower as i32, v.upper as i32))
                } else {
                    problem.add_var(v.cost, (v.lower, v.upper))
                }
            })
            .collect();
        for r in &model.rows {
            let mut e = LinearExpr::empty();
            for &(j, a) in &r.terms {
                e.add(vars[j], a);
            }
            let op = match r.sense {
                Sense::Le => ComparisonOp::Le,
                Sense::Eq => ComparisonOp::Eq,
            };
            problem.add_constraint(e, op, r.rhs);
        }
        let mut options = SolveOptions::default();
        options.node_limit = Some(limits.nodes);
        options.warm_start = limits
            .start
            .as_ref()
            .map(|x| vars.iter().copied().zip(x.iter().copied()).collect());
        let outcome = problem
            .solve_with(options)
            .map_err(|e| format!("microlp: {e}"))?;
        let proven = outcome.is_optimal();
        let stats = outcome.stats();
        match outcome.solution() {
            Some(s) => {
                let values: Vec<f64> = vars.iter().map(|&v| s[v]).collect();
                let objective = s.objective();
                Ok(Outcome {
                    bound: if proven {
                        objective
                    } else {
                        stats.best_bound.unwrap_or(f64::NEG_INFINITY).min(objective)
                    },
                    values,
                    objective,
                    proven,
                    nodes: stats.nodes_solved,
                })
            }
            None => match &limits.start {
                Some(start) if model.is_feasible(start) => Ok(Outcome {
                    objective: model.objective(start),
                    bound: stats.best_bound.unwrap_or(f64::NEG_INFINITY),
                    values: start.clone(),
                    proven: false,
                    nodes: stats.nodes_solved,
                }),
                _ => Err("microlp found no solution within its node budget".to_string()),
            },
        }
    }
}

#[cfg(feature = "highs")]
mod highs_backend;

#[cfg(test)]
mod tests {
    use super::*;

    /// A small knapsack-like cover with a known optimum.
    fn cover() -> Model {
        let mut m = Model::default();
        let a = m.binary(3.0);
        let b = m.binary(2.0);
        let c = m.binary(2.5);
        let u = m.continuous(100.0, 0.0, 1.0);
        // visit 1: a or b; visit 2: a or c (or unmet)
        m.row(vec![(a, 1.0), (b, 1.0)], Sense::Eq, 1.0);
        m.row(vec![(a, 1.0), (c, 1.0), (u, 1.0)], Sense::Eq, 1.0);
        m
    }

    fn check_backend(backend: Backend) {
        let m = cover();
        let out = solve(
            &m,
            backend,
            &Limits {
                nodes: 1000,
                start: None,
            },
        )
        .unwrap();
        assert!(out.proven);
        assert!((out.objective - 3.0).abs() < 1e-6, "{}", out.objective);
        assert!((out.bound - 3.0).abs() < 1e-6);
        assert!(m.is_feasible(&out.values));
    }

    #[test]
    fn microlp_solves_and_proves_a_small_cover() {
        check_backend(Backend::Microlp);
    }

    #[cfg(feature = "highs")]
    #[test]
    fn highs_solves_and_proves_a_small_cover() {
        check_backend(Backend::Highs);
    }

    /// A random set-partitioning model like the planner's: `items` rows to
    /// cover exactly once, `columns` binary subsets of one to three items at
    /// random costs, a costly continuous "unmet" column per item (so every
    /// model is feasible), and one capacity row on the subsets' days.
    #[cfg(feature = "highs")]
    fn random_partition(seed: u64, columns: usize, items: usize) -> Model {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut m = Model::default();
        let mut covers: Vec<Vec<(usize, f64)>> = vec![Vec::new(); items];
        let mut load = Vec::new();
        for _ in 0..columns {
            let size = rng.gen_range(1..=3);
            let x = m.binary(f64::from(rng.gen_range(500..5000)) * size as f64 * 0.8);
            let mut taken = Vec::new();
            while taken.len() < size {
                let item = rng.gen_range(0..items);
                if !taken.contains(&item) {
                    taken.push(item);
                    covers[item].push((x, 1.0));
                }
            }
            load.push((x, f64::from(rng.gen_range(1..=3))));
        }
        for mut cover in covers {
            cover.push((m.continuous(100_000.0, 0.0, 1.0), 1.0));
            m.row(cover, Sense::Eq, 1.0);
        }
        m.row(load, Sense::Le, (items as f64 * 0.8).round());
        m
    }

    #[cfg(feature = "highs")]
    #[test]
    fn highs_and_microlp_agree_on_random_set_partitions() {
        let limits = Limits {
            nodes: 100_000,
            start: None,
        };
        for seed in 0..8 {
            let m = random_partition(seed, 30, 10);
            let a = solve(&m, Backend::Microlp, &limits).unwrap();
            let b = solve(&m, Backend::Highs, &limits).unwrap();
            assert!(a.proven && b.proven, "seed {seed}");
            assert!(m.is_feasible(&b.values), "seed {seed}");
            assert!(
                (a.objective - b.objective).abs() < 1e-6,
                "seed {seed}: microlp {} HiGHS {}",
                a.objective,
                b.objective
            );
            assert!(b.bound <= b.objective && b.bound > b.objective - 1e-6);
        }
    }

    #[cfg(feature = "highs")]
    #[test]
    fn highs_reports_an_infeasible_model_as_an_error() {
        let mut m = Model::default();
        let a = m.binary(1.0);
        let b = m.binary(1.0);
        m.row(vec![(a, 1.0), (b, 1.0)], Sense::Eq, 3.0);
        let limits = Limits {
            nodes: 100,
            start: None,
        };
        let err = solve(&m, Backend::Highs, &limits).unwrap_err();
        assert!(err.contains("infeasible"), "{err}");
    }

    /// A budget of one node on a model too large for the root node: HiGHS
    /// stops at its "solution limit" (which the `highs` crate cannot name),
    /// and the answer is the start or better, with a bound below it.
    #[cfg(feature = "highs")]
    #[test]
    fn highs_under_a_tiny_node_budget_keeps_the_start_and_a_sound_bound() {
        let m = random_partition(7, 400, 60);
        let unmet_only: Vec<f64> = m.vars.iter().map(|v| f64::from(!v.integer)).collect();
        assert!(m.is_feasible(&unmet_only));
        let limits = Limits {
            nodes: 1,
            start: Some(unmet_only.clone()),
        };
        let out = solve(&m, Backend::Highs, &limits).unwrap();
        assert!(!out.proven, "this model needs more than one node");
        assert!(m.is_feasible(&out.values));
        assert!(out.objective <= m.objective(&unmet_only));
        assert!(out.bound <= out.objective + 1e-9);
        let full = solve(
            &m,
            Backend::Highs,
            &Limits {
                nodes: 1_000_000,
                start: None,
            },
        )
        .unwrap();
        assert!(full.proven);
        assert!(out.bound <= full.objective + 1e-6, "the bound is a bound");
    }

    #[cfg(feature = "highs")]
    #[test]
    fn highs_solves_models_without_integers_or_columns() {
        let mut lp = Model::default();
        let x = lp.continuous(2.0, 0.0, 10.0);
        let y = lp.continuous(3.0, 0.0, 10.0);
        lp.row(vec![(x, -1.0), (y, -1.0)], Sense::Le, -4.0);
        let limits = Limits {
            nodes: 100,
            start: None,
        };
        let out = solve(&lp, Backend::Highs, &limits).unwrap();
        assert!(out.proven && (out.objective - 8.0).abs() < 1e-6);
        assert!((out.bound - 8.0).abs() < 1e-6);
        let out = solve(&Model::default(), Backend::Highs, &limits).unwrap();
        assert!(out.proven && out.values.is_empty());
    }

    #[test]
    fn a_model_naming_a_missing_variable_is_refused_not_a_panic() {
        let mut m = cover();
        m.row(vec![(99, 1.0)], Sense::Le, 1.0);
        let limits = Limits {
            nodes: 100,
            start: None,
        };
        assert!(solve(&m, Backend::Microlp, &limits).is_err());
        let mut m = cover();
        m.vars[0].cost = f64::NAN;
        assert!(solve(&m, Backend::Microlp, &limits).is_err());
    }

    #[test]
    fn a_feasible_start_is_never_lost() {
        let m = cover();
        let start = vec![0.0, 1.0, 0.0, 1.0];
        assert!(m.is_feasible(&start));
        let out = solve(
            &m,
            Backend::Microlp,
            &Limits {
                nodes: 1000,
                start: Some(start),
            },
        )
        .unwrap();
        assert!(out.objective <= 102.0 + 1e-9);
    }

    #[test]
    fn feasibility_checks_rows_bounds_and_integrality() {
        let m = cover();
        assert!(!m.is_feasible(&[0.5, 0.5, 0.5, 0.0]));
        assert!(!m.is_feasible(&[1.0, 1.0, 0.0, 0.0]));
        assert!(m.is_feasible(&[1.0, 0.0, 0.0, 0.0]));
    }
}
