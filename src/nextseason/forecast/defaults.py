"""Defaults that the CLI needs without importing the modelling stack."""

__all__ = ["DEFAULT_MODEL", "RECALIBRATE"]

#: chosen by the backtest: the model with the best mean Brier skill on the main horizon
#: across origins (``nextseason backtest`` prints the winner and the card flags a mismatch)
DEFAULT_MODEL = "ensemble"
#: whether the default model's forecasts pass through the recalibration learned on the past
#: only (:mod:`nextseason.forecast.calibrate`). Off: the backtest scores it as a candidate,
#: and on the primary population it lowers the Brier skill at 2021-01-24 (a change is kept
#: only if it gets worse at neither origin; see the model card)
RECALIBRATE = False
