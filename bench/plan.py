"""Optimizer benchmark (issue 8 §2): solve synthetic instances, print time, objective, bound, gap, RSS.

    .venv/bin/python bench/plan.py [--employees 15000] [--programs 60] [--time-limit 10] [--method auto]
    .venv/bin/python bench/plan.py --scale national [--employees 4300000] [--programs 300] [--time-limit 120]

Also prints the greedy baseline's objective as a ratio to ours (computed outside the clock when the solver
had no time left for it), an independent feasibility check and peak RSS. `--scale national` builds the
instance as arrays in memory (solver/national.py; its JSON would be gigabytes) and runs the national
decomposition; the greedy baseline there is the ratio greedy computed inside the same run.
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
    parser.add_argument("--scale", choices=["city", "national"], default="city")
    args = parser.parse_args()
    if args.scale == "national":
        national(args)
        return

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


def national(args: argparse.Namespace) -> None:
    import numpy as np

    from mumpuni.planning.solver.national import national_problem, solve_national
    from mumpuni.planning.solver.plan import infeasibility_reasons, objective

    employees = args.employees if args.employees != 15_000 else 4_300_000
    programs = args.programs if args.programs != 60 else 300
    limit = args.time_limit if args.time_limit != 10.0 else 120.0
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    started = time.perf_counter()
    problem = national_problem(employees=employees, programs=programs, seed=args.seed)
    print(
        f"instance: {employees:,} ASN × {programs} programmes, {len(problem.gap_comp):,} gap entries, "
        f"{len(problem.mandatory_employee):,} mandatory pairs, {len(problem.unit_codes)} units "
        f"({int(np.isfinite(problem.unit_budget).sum())} with a budget); built in "
        f"{time.perf_counter() - started:.1f} s (not timed)"
    )
    reasons = infeasibility_reasons(problem)
    if reasons:
        print(f"infeasible: {reasons[0]}")
        return
    started = time.perf_counter()
    outcome = solve_national(problem, time_limit=limit)
    wall = time.perf_counter() - started
    stats = outcome.stats
    print(
        f"method national, solve {stats['solve_seconds']:.1f} s (time limit {limit:g} s; wall incl. the "
        f"greedy baseline {wall:.1f} s); profiles {stats['profiles']:,}, "
        f"types {stats['types']:,}, patterns {stats['patterns']:,} ({stats['pattern_members']:,} members), "
        f"setup {stats['setup_seconds']:.1f} s, {stats['iterations']} dual steps, "
        f"master LP {stats.get('master_seconds', 0.0):.1f} s over {stats.get('master_types', 0):,} of "
        f"{stats.get('contested_types', 0):,} contested types in {stats.get('master_chunks', 0)} chunk(s), "
        f"{stats.get('rounds', 0)} round(s); repairs "
        + ", ".join(f"{k[7:]} {v:,.2f}" for k, v in stats.items() if k.startswith("repair_"))
    )
    print(
        f"objective {outcome.objective:,.2f}  bound {outcome.bound:,.2f}  gap {outcome.gap:.3%}  "
        f"(start bound {stats['start_bound']:,.2f})"
    )
    print(
        f"cost {float(problem.cost[outcome.prog].sum()):,.0f} of budget {problem.budget:,.0f}; {len(outcome.emp):,} assignments"
    )
    greedy_value = outcome.greedy_objective or 0.0
    print(
        f"greedy (ratio) objective {greedy_value:,.2f}  ratio greedy/ours {greedy_value / outcome.objective:.4f}"
        f"  (greedy took {stats.get('greedy_seconds', 0.0):.1f} s of the run)"
    )
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (solve + instance)")
    check = time.perf_counter()
    broken = violations(problem, outcome.emp, outcome.prog)
    value = objective(problem, outcome.emp, outcome.prog)
    print(
        f"independent check (not timed, {time.perf_counter() - check:.1f} s): feasible "
        f"{'yes' if not broken else broken[:3]}, objective recomputed {value:,.2f}"
    )


if __name__ == "__main__":
    main()
