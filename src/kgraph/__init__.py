"""kgraph: the Kenniscentrum Vlaamse Steden's annual reports as linked open data."""

__version__ = "0.1.0"
