"""Defaults that the CLI needs without importing the modelling stack."""

__all__ = ["DEFAULT_MODEL", "RECALIBRATE"]

#: chosen by the backtest: the model with the best mean Brier skill on the main horizon
#: across origins (``nextseason backtest`` prints the winner and the card flags a mismatch)
DEFAULT_MODEL = "ensemble"
#: whether the default model's forecasts pass through the recalibration learned on the past
#: only (:mod:`nextseason.forecast.calibrate`). On: with the landmark-dated features it is no
#: worse at either origin on the primary population (Brier skill 0.177 against 0.173 without
#: it at 2021-01-24, 0.095 against 0.093 at 2018-06-30; ICI 0.014 and 0.011); the backtest
#: scores the ensemble without it beside it
RECALIBRATE = True
