"""The breadth-first search spread over worker processes or Ray actors,
with the seen set partitioned by fingerprint (see `coordinator`)."""

from checker.explore.parallel.coordinator import ParallelSearch, default_workers

__all__ = ["ParallelSearch", "default_workers"]
