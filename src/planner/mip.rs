//! A small mixed-integer model and the solvers that take it.
//!
//! The planner's models are built once as plain data ([`Model`]) and handed
//! to a backend: microlp (pure Rust, always built) or HiGHS (cargo feature
//! `highs`, which needs cmake and a C++ compiler). Each backend returns the
//! values, the objective, the best bound it proved and whether it proved
//! optimality, so the planner can report a gap whichever solver ran.

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
