"""Difference-in-differences with staggered adoption (Callaway & Sant'Anna 2021), for the training impact
analysis (../shared/docs/domain.md, "Measuring the effect of training"). Pure numpy/scipy, no Django.

Why our own code: statsmodels has no staggered DiD, and the Python ports of `did` pull in heavy stacks and are
not kept up. The estimator is short once the panel is a matrix:

- the panel is an officers × months matrix Y (NaN where an officer has no observation that month) and a
  cohort per officer: the index of the month in which the officer completed the programme (NEVER if not);
- ATT(g, t) = mean over cohort g of (Y_t − Y_{g−1}) − the same mean over the comparison officers: never
  treated, or not yet treated at t and at g−1 (cohort > max(t, g−1)). Each ATT(g, t) is a two-group,
  two-month comparison, i.e. the regression with officer and month fixed effects on that subsample;
- event-time estimates θ(e), e = −6…+6 (reference e = −1, which is 0 by construction), average ATT(g, g+e)
  weighted by the treated officers in each cell; the overall effect averages the cells with e = 0…+6 the
  same way;
- standard errors come from the influence function of each ATT(g, t) per officer, so they are clustered by
  officer (an officer's contributions to all cells add up before squaring). The weights are treated as
  fixed (the estimated-weights term of Callaway & Sant'Anna is left out; it is small with many officers);
- the pre-trend test is the joint Wald test that θ(−6…−2) = 0 (chi-square, degrees of freedom = number of
  pre-period estimates);
- the naive before/after is, among treated officers, the mean of (mean of months 0…+6 − mean of months
  −6…−1): what one would report without a comparison group.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy import stats

NEVER = -1  # cohort of an officer who never completed the programme
WINDOW = 6  # event window −6…+6 months
REFERENCE = -1
MIN_TREATED = 5
MIN_CONTROL = 5
Z95 = float(stats.norm.ppf(0.975))

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class EventPoint:
    event: int  # months relative to completion (−1 is the reference)
    estimate: float | None
    se: float | None
    treated: int  # treated officers behind it

    @property
    def ci95(self) -> tuple[float, float] | None:
        if self.estimate is None or self.se is None:
            return None
        return (self.estimate - Z95 * self.se, self.estimate + Z95 * self.se)


@dataclass(frozen=True)
class Estimate:
    effect: float
    se: float
    ci95: tuple[float, float]
    naive_before_after: float | None
    officers_treated: int
    officers_control: int
    observations: int  # officer-months used
    tickets: int  # tickets behind those officer-months (0 when no ticket counts were given)
    event_study: list[EventPoint]
    pretrend_chi2: float | None
    pretrend_df: int
    pretrend_p: float | None
    method: str = "callaway_santanna_2021"
    thin: bool = False


@dataclass(frozen=True)
class TooThin:
    """Refusal: the data cannot support an estimate. `reason` is a code the caller words for people."""

    reason: str  # few_treated | few_control | no_window
    detail: dict[str, int] = field(default_factory=dict)
    naive_before_after: float | None = None
    officers_treated: int = 0
    officers_control: int = 0
    thin: bool = True


def _naive(y: FloatArray, cohort: IntArray) -> float | None:
    months = y.shape[1]
    diffs: list[float] = []
    for g in np.unique(cohort[cohort >= 1]):
        rows = y[cohort == g]
        pre = rows[:, max(0, g - WINDOW) : g]
        post = rows[:, g : min(months, g + WINDOW + 1)]
        if pre.shape[1] == 0 or post.shape[1] == 0:
            continue
        with np.errstate(all="ignore"):
            both = np.isfinite(pre).any(axis=1) & np.isfinite(post).any(axis=1)
            if both.any():
                d = np.nanmean(post[both], axis=1) - np.nanmean(pre[both], axis=1)
                diffs.extend(d.tolist())
    return float(np.mean(diffs)) if diffs else None


def estimate(
    y: FloatArray,
    cohort: IntArray,
    *,
    tickets: FloatArray | None = None,
    window: int = WINDOW,
    min_treated: int = MIN_TREATED,
    min_control: int = MIN_CONTROL,
) -> Estimate | TooThin:
    """Staggered DiD on an officers × months matrix `y` (NaN: not observed) and each officer's treatment
    month index in `cohort` (NEVER: not treated). Officers treated in month 0 have no pre-period and are
    left out. `tickets` (same shape as y) only feeds the count of tickets behind the estimate."""
    y = np.asarray(y, dtype=np.float64)
    cohort = np.asarray(cohort, dtype=np.int64)
    n, months = y.shape
    if cohort.shape != (n,):
        raise ValueError("cohort must have one entry per row of y")
    observed = np.isfinite(y)
    naive = _naive(y, cohort)
    events = [e for e in range(-window, window + 1) if e != REFERENCE]
    k = len(events)
    theta_num = np.zeros(k)
    weight = np.zeros(k)
    psi = np.zeros((n, k))  # influence of each officer on each event-time estimate (before weighting)
    overall_num = 0.0
    overall_w = 0.0
    psi_overall = np.zeros(n)
    used = np.zeros((n, months), dtype=bool)
    treated_used = np.zeros(n, dtype=bool)
    control_used = np.zeros(n, dtype=bool)
    post_treated = np.zeros(n, dtype=bool)
    never = cohort == NEVER
    for g in np.unique(cohort[(cohort >= 1) & (cohort < months)]):
        base = g - 1
        in_g = cohort == g
        for j, e in enumerate(events):
            t = g + e
            if t < 0 or t >= months:
                continue
            treated = in_g & observed[:, t] & observed[:, base]
            control = (never | (cohort > max(t, base))) & ~in_g & observed[:, t] & observed[:, base]
            n_t, n_c = int(treated.sum()), int(control.sum())
            if n_t == 0 or n_c == 0:
                continue
            delta = y[:, t] - y[:, base]
            mean_t = float(delta[treated].mean())
            mean_c = float(delta[control].mean())
            att = mean_t - mean_c
            influence = np.zeros(n)
            influence[treated] = n / n_t * (delta[treated] - mean_t)
            influence[control] = -n / n_c * (delta[control] - mean_c)
            theta_num[j] += n_t * att
            weight[j] += n_t
            psi[:, j] += n_t * influence
            used[treated | control, t] = True
            used[treated | control, base] = True
            if e >= 0:
                overall_num += n_t * att
                overall_w += n_t
                psi_overall += n_t * influence
                treated_used |= treated
                control_used |= control
                post_treated |= treated
    officers_treated = int(post_treated.sum())
    officers_control = int(control_used.sum())
    eligible = int(((cohort >= 1) & (cohort < months)).sum())
    if officers_control < min_control and eligible >= min_treated:
        return TooThin(
            "few_control",
            {"control": officers_control, "needed": min_control},
            naive,
            officers_treated,
            officers_control,
        )
    if officers_treated < min_treated:
        return TooThin(
            "few_treated",
            {"treated": officers_treated, "needed": min_treated},
            naive,
            officers_treated,
            officers_control,
        )
    if officers_control < min_control:
        return TooThin(
            "few_control",
            {"control": officers_control, "needed": min_control},
            naive,
            officers_treated,
            officers_control,
        )
    has = weight > 0
    theta = np.full(k, np.nan)
    theta[has] = theta_num[has] / weight[has]
    psi[:, has] /= weight[has]
    # Officer-clustered variance from the influence functions, with the usual n/(n−1) correction.
    scale = 1.0 / (n * (n - 1))
    cov = psi.T @ psi * scale
    se = np.sqrt(np.clip(np.diag(cov), 0, None))
    effect = overall_num / overall_w
    psi_overall /= overall_w
    effect_se = float(np.sqrt(psi_overall @ psi_overall * scale))
    points = [EventPoint(REFERENCE, 0.0, 0.0, 0)]
    for j, e in enumerate(events):
        if has[j]:
            points.append(EventPoint(e, float(theta[j]), float(se[j]), int(weight[j])))
        else:
            points.append(EventPoint(e, None, None, 0))
    points.sort(key=lambda p: p.event)
    pre = [j for j, e in enumerate(events) if e < REFERENCE and has[j]]
    chi2: float | None = None
    p_value: float | None = None
    if pre:
        sub = cov[np.ix_(pre, pre)]
        vec = theta[pre]
        chi2 = float(vec @ np.linalg.pinv(sub) @ vec)
        rank = int(np.linalg.matrix_rank(sub))
        p_value = float(stats.chi2.sf(chi2, max(rank, 1)))
    ticket_count = int(np.nansum(tickets[used])) if tickets is not None else 0
    return Estimate(
        effect=float(effect),
        se=effect_se,
        ci95=(float(effect - Z95 * effect_se), float(effect + Z95 * effect_se)),
        naive_before_after=naive,
        officers_treated=officers_treated,
        officers_control=officers_control,
        observations=int(used.sum()),
        tickets=ticket_count,
        event_study=points,
        pretrend_chi2=chi2,
        pretrend_df=len(pre),
        pretrend_p=p_value,
    )


@dataclass(frozen=True)
class SyntheticPanel:
    y: FloatArray
    cohort: IntArray
    tickets: FloatArray
    level: FloatArray  # each officer's own level (before effect, trend and season)


def simulate_panel(
    *,
    officers: int = 300,
    months: int = 24,
    effect: float = -1.5,
    treated_share: float = 0.5,
    selection: float = 1.0,
    trend: float = -0.08,
    pretrend: float = 0.0,
    noise: float = 0.8,
    level_mean: float = 12.0,
    level_sd: float = 2.0,
    missing: float = 0.03,
    first_cohort: int = 6,
    last_cohort: int | None = None,
    seed: int = 0,
) -> SyntheticPanel:
    """A panel of monthly mean service minutes with a known effect, for tests, the benchmark and the demo.

    Each officer has a level; a city-wide trend (`trend` minutes per month) and a seasonal wave move
    everyone; completion lowers the officer's minutes by `effect` from its month on. Selection: with
    `selection` > 0, slower officers are trained (and trained earlier) more often, so a before/after
    comparison mixes the trend into the effect. `pretrend` adds a drift (per month) to treated officers
    before their completion, which the pre-trend test should flag."""
    rng = np.random.default_rng(seed)
    level = rng.normal(level_mean, level_sd, officers)
    z = (level - level.mean()) / (level.std() or 1.0)
    # Probability of being trained rises with slowness; the slowest go first.
    score = selection * z + rng.normal(0, 1, officers)
    order = np.argsort(-score)
    n_treated = int(round(treated_share * officers))
    last = months - 2 if last_cohort is None else last_cohort
    cohort = np.full(officers, NEVER, dtype=np.int64)
    if n_treated:
        slots = np.linspace(first_cohort, last, n_treated).round().astype(np.int64)
        cohort[order[:n_treated]] = slots
    t = np.arange(months)
    season = 0.6 * np.sin(2 * np.pi * t / 12)
    y = level[:, None] + trend * t[None, :] + season[None, :] + rng.normal(0, noise, (officers, months))
    treated_mask = (cohort[:, None] != NEVER) & (t[None, :] >= cohort[:, None])
    y = y + effect * treated_mask
    if pretrend:
        before = (cohort[:, None] != NEVER) & (t[None, :] < cohort[:, None])
        y = y + pretrend * (t[None, :] - cohort[:, None]) * before
    tickets = rng.poisson(120, (officers, months)).astype(np.float64)
    gone = rng.random((officers, months)) < missing
    y[gone] = np.nan
    tickets[gone] = 0
    return SyntheticPanel(y=y, cohort=cohort, tickets=tickets, level=level)
