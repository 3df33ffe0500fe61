"""Optimizer benchmark (issue 8 §2): solve synthetic instances, print time, objective, bound, gap, RSS.

    .venv/bin/python bench/plan.py [--employees 15000] [--programs 60] [--time-limit 10] [--method auto]

Also prints the greedy baseline's objective as a ratio to ours (computed outside the clock when the solver
had no time left for it), an independent feasibility check and peak RSS. The national scale (4.3 M ASN)
is not benchmarked (docs/optimizer.md).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from mumpuni.planning.solver import solve, validate_instance  # noqa: E402
from mumpuni.planning.solver.plan import violations  # noqa: E402
from mumpuni.planning.solver.synthetic import city_instance  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=15_000)
    parser.add_argument("--programs", type=int, default=60)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--method", default="auto")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    started = time.perf_counter()
    instance = city_instance(employees=args.employees, programs=args.programs, seed=args.seed)
    problem = validate_instance(instance)
    print(
        f"instance: {args.employees} ASN × {args.programs} programmes, built in {time.perf_counter() - started:.1f} s"
    )
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    started = time.perf_counter()
    result = solve(instance, time_limit=args.time_limit, method=args.method)
    wall = time.perf_counter() - started
    row = {problem.employee_id(i): i for i in range(problem.n_employees)}
    col = {c: i for i, c in enumerate(problem.program_codes)}
    import numpy as np

    emp = np.array([row[a["employee"]] for a in result["assignments"]], dtype=np.int64)
    prog = np.array([col[a["program"]] for a in result["assignments"]], dtype=np.int64)
    broken = violations(problem, emp, prog)
    print(
        f"method {result['method']}, status {result['status']}, wall {wall:.1f} s (time limit {args.time_limit:g} s)"
    )
    print(f"objective {result['objective']:.2f}  bound {result['bound']:.2f}  gap {result['gap']:.2%}")
    print(
        f"cost {result['cost']:,.0f} of budget {problem.budget:,.0f}; {len(result['assignments'])} assignments"
    )
    greedy_value = result.get("greedy_objective")
    if greedy_value is None:  # not computed within the time limit: measure it here, outside the clock
        from mumpuni.planning.solver.greedy import greedy
        from mumpuni.planning.solver.plan import objective

        greedy_value = objective(problem, *greedy(problem))
        print("(greedy baseline computed outside the timed solve)")
    print(f"greedy objective {greedy_value:.2f}  ratio greedy/ours {greedy_value / result['objective']:.4f}")
    print(f"feasible: {'yes' if not broken else broken[:3]}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
