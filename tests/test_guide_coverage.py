"""Every section, example, list and figure of the answer guide is on the built site.

The guide is restructured in our own words, so each entry names a fact (a figure, a
term, a short phrase) and the page where a reader finds it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from htmltext import page_text

GUIDE = {
    "index.html": [
        "two impactful projects", "objectives", "specific contributions", "key technical decisions",
        "measurable outcomes", "ambiguous", "negotiate scope when the timeline slips", "incomplete data",
        "stakeholder management, risk mitigation, and how you measure success",
        "Leadership, stakeholder management, technical decision-making and execution",
    ],
    "approach.html": [
        "STAR or PAR", "Situation/Problem → Actions → Results → Reflection", "2–3 minutes on each project",
        "5–7 minutes for the hypotheticals", "baseline → change → business or user effect", "trade-offs",
    ],
    "template.html": [
        "One-line headline that carries both the impact and the scope", "user or business value",
        "success", "team", "partners", "Scale, SLOs, privacy, legacy, timeline", "option A", "option B",
        "what you mitigated", "perf vs cost, build vs buy, consistency vs availability",
        "design doc, ADRs, test plan, rollout (canary, feature flags), monitoring",
        "Metrics before and after", "confidence (A/B, p-values)", "side effects",
        "What you learned, and what you would change next time",
    ],
    "examples/p99-latency.html": [
        "Cutting p99 latency of a critical API", "400 ms SLO", "sitting at 620 ms", "350 ms",
        "No increase in error rate", "more than 10%", "Lead engineer", "Team size: 3", "PM", "SRE",
        "Implementation of the cache layer", "Rollout plan", "Dashboards", "~1.5k RPS", "Strict SLOs",
        "shared DB behind a legacy ORM", "8-week target", "Read-through caching", "Redis", "in-process LRU",
        "15 min TTL", "Singleflight and jitter", "cache stampede", "write-through on mutations",
        "versioned keys to avoid stale reads", "Cache invalidation complexity vs latency wins", "gRPC", "REST+JSON",
        "Operational overhead and LB config", "20–30% serialization and CPU savings", "thin BFF",
        "N+1 queries", "composite index", "batched fetches", "parameterized SQL", "Keep the ORM",
        "Localized complexity vs predictable performance", "Circuit breakers, deadlines, and retries with backoff",
        "tail latency amplification", "Design doc with alternatives, and ADRs", "Load test plan",
        "Feature flags", "Canary 5% → 25% → 100%", "SLO dashboards and alerts", "Documented rollback",
        "p99 latency technical 620 ms → 290 ms −53%", "p95 latency technical 310 ms → 160 ms −48%",
        "Error rate user 0.7% → 0.2%", "CPU technical −30%", "Infra cost business −18%",
        "Checkout success business +0.7 pp", "SLO sustained guardrail 90 days",
        "Cache invalidation must be first-class (versioned keys + write hooks)",
        "Design for graceful degradation early", "Flamegraphs and tracing pay off before optimizing code",
    ],
    "examples/recommendations.html": [
        "Launching personalized recommendations (A/B tested)", "Increase content CTR by 10%",
        "Session length not hurt", "Complaint rate not hurt", "8-week runway", "Feature lead", "Team size: 4",
        "Privacy Counsel", "DS", "No new PII", "On-call supportability", "Incremental rollout",
        "Cost budget: +$5k/month", "Offline batch features, computed nightly", "An online feature store",
        "slight freshness gap", "de-risk", "Rules-based fallback and per-user cache invalidation on key events",
        "Gradient boosted trees (XGBoost)", "lightweight microservice", "Deep models",
        "Faster iteration and explainability vs potentially lower asymptotic accuracy",
        "strict A/A health check", "A/B on the existing experimentation platform",
        "Guardrails on complaint rate, crash rate and latency budgets", "stateless ranking service",
        "top-K retrieval", "business rules (diversity, cooldown)", "Feature flags and per-cohort rollout",
        "Design doc and ethics review", "Offline evaluation (AUC, calibration)", "Shadow traffic",
        "Canary in one region", "Ramp 10% → 50% → 100%", "Dashboards for CTR and the guardrails",
        "Content CTR user 6.5% → 7.4% +13.8% relative p < 0.01", "No regressions",
        "Session length, complaint rate, latency", "+$3.2k/month", "Within the +$5k/month budget",
        "Online features for recency boosts", "Invest in offline evaluation and guardrails",
        "Bake in a strong fallback path", "Align early with the privacy and experimentation teams",
    ],
    "print/card-recommendations.html": [
        "Session length, complaint rate, latency: No regressions", "+$3.2k/month · Within the +$5k/month budget",
        "Online features for recency boosts: Enabled as a follow-up", "6.5", "7.4", "+13.8% relative", "p < 0.01",
    ],
    "print/card-p99-latency.html": [
        "620", "290", "−53%", "310", "160", "−48%", "CPU: −30%", "Infra cost: −18%",
        "Checkout success: +0.7 pp", "90", "~1.5k RPS at peak", "versioned keys to avoid stale reads",
    ],
    "hypotheticals/ambiguous-requirements.html": [
        "Executing under ambiguous requirements", "Clarify the intent", "user problem", "Must-haves versus nice-to-haves",
        "What success looks like, and by when", "Time-box discovery", "Log dives and user support tickets",
        "spike or prototype", "assumptions", "strawman", "one-pager with options, risks and an MVP slice",
        "Acceptance criteria and the SLO/SLA", "short kickoff", "who owns the decision", "Iterate in slices",
        "Instrumentation first, then the core API, then the UI", "feature flag", "Measure, then adjust",
        "RACI", "Weekly check-ins", "tying them back to the objective and its metrics", "pre-mortem",
        "Spikes for the unknowns", "Kill-switches and canaries", "Rollback preconditions",
        "Leading metrics: adoption, latency, error rate", "Lagging metrics: retention, revenue",
        "Explicit targets and a review cadence",
    ],
    "hypotheticals/scope-negotiation.html": [
        "Negotiating scope when timelines slip", "Surface the slip early, with facts", "critical path",
        "burn-down", "blocked dependencies", "iron triangle: scope, time, resources",
        "MoSCoW (Must, Should, Could, Won't)", "ship the MVP, then follow-ups", "real impact and the external commitments",
        "onboarding cost and the risk", "User value, risk and metric deltas", "Decide with the owner (PM/EM)",
        "Document the new plan", "milestones and the comms", "partner teams into the trade-offs",
        "dependencies explicit", "who must approve a change", "tests and security reviews",
        "feature flags and staged rollout", "revised milestone hit with the guardrails intact",
        "Must-haves meet their SLOs", "defect escape rate", "post-launch follow-through",
    ],
    "hypotheticals/incomplete-data.html": [
        "Deciding with incomplete data", "two-way door", "one-way door", "decide fast and put guardrails around it",
        "invest more in getting data", "expected value", "value of information", "EV = p × benefit − (1 − p) × cost",
        "higher EV per unit of time or cost", "Delay only when more data is likely to change the decision",
        "EV = 0.6 × 1.0 − 0.4 × 0 = 0.6 pp over 2 weeks", "0.54 pp over 1 week", "0.30 pp/week", "0.54 pp/week",
        "Pick B first, then reassess", "No-go thresholds for latency, error rate and complaint rate",
        "Feature flags", "canary plan", "Rollback criteria", "re-evaluate", "revisit date",
    ],
    "playbooks/stakeholders.html": [
        "influence and interest", "weekly sync, async updates", "publish design docs early",
        "owner, options, trade-offs, decision, rationale and follow-ups (ADRs)", "data and a proposed solution",
        "constraints of partner teams",
    ],
    "playbooks/risk.html": [
        "pre-mortem and a risk register", "owner and a trigger", "Dark launch, canary, gradual ramp, automatic rollback",
        "SLOs and error budgets", "on-call runbooks", "synthetic and real-user monitoring",
    ],
    "playbooks/metrics.html": [
        "SLO attainment, p95/p99 latency, error rate, availability, error budget burn",
        "DORA metrics: lead time, deployment frequency, change failure rate, MTTR",
        "Adoption, CTR, retention, revenue or cost efficiency",
        "baseline → outcome → confidence (A/B, confidence intervals)",
    ],
    "playbooks/pitfalls.html": [
        "No numbers, or vague impact", "Only technical details, with no business outcome or user value",
        "Not crediting the team, or ignoring stakeholder dynamics", "No trade-offs and no discussion of risk",
        "No reflection on what you would do differently",
    ],
    "practice.html": [
        "Two stories of 2–3 minutes each", "metrics and lessons", "30–60 second playbook",
        "ambiguity, scope negotiation, and decisions on incomplete data", "risk and rollout guardrails",
        "success metrics of your domain (SLOs, DORA, product KPIs)",
    ],
}

CASES = [(page, fact) for page, facts in GUIDE.items() for fact in facts]


@pytest.mark.parametrize(("page", "fact"), CASES, ids=[f"{p}:{f[:40]}" for p, f in CASES])
def test_guide_fact_is_on_its_page(built_site: Path, page: str, fact: str) -> None:
    assert fact in page_text(built_site / page)
