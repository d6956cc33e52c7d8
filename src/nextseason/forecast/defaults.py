"""Defaults that the CLI needs without importing the modelling stack."""

__all__ = ["DEFAULT_MODEL"]

#: chosen by the backtest: the model with the best mean Brier skill on the main horizon
#: across origins (``nextseason backtest`` prints the winner and the card flags a mismatch)
DEFAULT_MODEL = "ensemble"
