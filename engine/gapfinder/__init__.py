"""gapfinder: turn job-rejection feedback into an action plan."""
__version__ = "0.1.0"
