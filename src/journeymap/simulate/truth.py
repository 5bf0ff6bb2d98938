"""The ground truth of a simulation: the probabilities and distributions the data was drawn from."""

from __future__ import annotations

from typing import Any

import journeymap
from journeymap.simulate.model import JourneyModel
from journeymap.simulate.spec import DEFAULT, EXIT


def ground_truth(model: JourneyModel, *, customers: int, seed: int, events: int) -> dict[str, Any]:
    """A JSON-ready description of everything the simulated data was drawn from.

    Transition rows are complete (every target with its probability, ``exit`` included) for the
    touchpoints each persona can reach; channel mixes are given per touchpoint after the persona's
    default is applied; time gaps as written (by ``FROM->TO``, ``FROM`` or ``default``).
    """
    spec = model.simulation.spec
    total_weight = sum(p.weight for p in spec.personas)
    personas = []
    for k, persona in enumerate(spec.personas):
        rows = {
            source: {
                target: float(model.transitions[k, s, t])
                for t, target in enumerate((*model.touchpoints, EXIT))
                if model.transitions[k, s, t] > 0
            }
            for s, source in enumerate(model.touchpoints)
            if source in persona.transitions
        }
        personas.append(
            {
                "id": persona.id,
                "name": persona.name,
                "share": persona.weight / total_weight,
                "start": dict(persona.start),
                "transitions": rows,
                "channels": {
                    tp: dict(persona.channels.get(tp, persona.channels[DEFAULT])) for tp in rows
                },
                "gaps": {key: gap.model_dump() for key, gap in persona.gaps.items()},
                "order_value": (
                    {k: v.model_dump(exclude_none=True) for k, v in persona.order_value.items()}
                    if isinstance(persona.order_value, dict)
                    else persona.order_value.model_dump(exclude_none=True)
                ),
                "repeat": persona.repeat.model_dump() if persona.repeat else None,
                "surveys": persona.surveys.model_dump(),
            }
        )
    return {
        "generator": f"journeymap {journeymap.__version__}",
        "spec": spec.id,
        "source": model.simulation.source,
        "map": model.simulation.journey_map.id,
        "seed": seed,
        "customers": customers,
        "events": events,
        "start": spec.start.isoformat(),
        "period_days": spec.period_days,
        "session_timeout_minutes": spec.session_timeout_minutes,
        "max_events_per_customer": spec.max_events_per_customer,
        "purchase_touchpoints": list(spec.purchase),
        "touchpoints": {
            tp.id: {"stage": tp.stage, "event": spec.events.get(tp.id, tp.id)}
            for tp in model.simulation.touchpoints
        },
        "personas": personas,
    }
