"""The forecast models, behind one estimator contract (see :mod:`.base`).

=================  ==========================================================================
``km``             :class:`KaplanMeierBaseline`: the baseline (optionally per cohort)
``cox``            :class:`CoxModel`: penalised proportional hazards
``cure``           :class:`CureModel`: logistic incidence x Weibull latency (mixture cure)
``gbm``            :class:`DiscreteTimeHazard` with gradient boosting
``logistic_dt``    :class:`DiscreteTimeHazard` with a logistic regression
=================  ==========================================================================

All handle left truncation (a row is at risk only from its ``entry``)::

    model = make_model("cure").fit(X, duration, event, entry)
    model.predict_within(X_new, elapsed, [1, 2, 4])
"""

from __future__ import annotations

from typing import Any

from .base import SurvivalModel
from .models_cox import CoxModel
from .models_cure import CureModel
from .models_dt import DiscreteTimeHazard
from .models_km import KaplanMeierBaseline

__all__ = [
    "MODEL_NAMES",
    "make_model",
    "KaplanMeierBaseline",
    "CoxModel",
    "CureModel",
    "DiscreteTimeHazard",
]

#: the names :func:`make_model` knows, the baseline first
MODEL_NAMES: tuple[str, ...] = ("km", "cox", "cure", "gbm", "logistic_dt")


def make_model(name: str, **params: Any) -> SurvivalModel:
    """A fresh, unfitted model by name; ``params`` go to its constructor."""
    if name == "km":
        return KaplanMeierBaseline(**params)
    if name == "cox":
        return CoxModel(**params)
    if name == "cure":
        return CureModel(**params)
    if name == "gbm":
        return DiscreteTimeHazard(classifier="gbm", **params)
    if name == "logistic_dt":
        return DiscreteTimeHazard(classifier="logistic", **params)
    raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODEL_NAMES)}")
