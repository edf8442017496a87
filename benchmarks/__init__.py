"""The benchmarks: a package so that its modules (the data generator above all) are imported by
name, `from benchmarks import generate`, and its scripts run as `python -m benchmarks.run`."""
