"""Shoal's side of the Jupyter tools (papermill's Swift parameters)."""
