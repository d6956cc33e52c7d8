"""An equal-weight average of other models' forecasts.

Averaging a mixture cure model (smooth, parametric) with a gradient-boosted hazard (flexible,
noisy) usually beats each alone on the Brier score: their errors are only partly shared.
With ``landmark=True`` each member is a :class:`~.landmark.LandmarkModel` (fitted on
landmark looks), as the forecasts use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .base import SurvivalModel

__all__ = ["EnsembleModel"]


class EnsembleModel(SurvivalModel):
    name = "ensemble"

    def __init__(self, members: Sequence[str] = ("cure", "gbm"), landmark: bool = False
                 ) -> None:
        self.members = tuple(members)
        self.landmark = landmark

    def fit(self, X: pd.DataFrame, duration: Any, event: Any, entry: Any | None = None
            ) -> EnsembleModel:
        from .backtest import MODEL_PARAMS
        from .landmark import LandmarkModel
        from .models import make_model

        self.models_ = [(LandmarkModel(m, MODEL_PARAMS.get(m, {})) if self.landmark
                         else make_model(m)).fit(X, duration, event, entry)
                        for m in self.members]
        return self

    def predict_within(self, X: pd.DataFrame, elapsed: Any, horizons: Sequence[float]
                       ) -> np.ndarray:
        self._check_fitted()
        return np.mean([m.predict_within(X, elapsed, horizons) for m in self.models_], axis=0)

    def predict_ever(self, X: pd.DataFrame, elapsed: Any) -> np.ndarray:
        self._check_fitted()
        return np.mean([m.predict_ever(X, elapsed) for m in self.models_], axis=0)
