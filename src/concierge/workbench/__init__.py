"""Designer tooling: labelled CSVs, importing, training, testing and benchmarking intents."""
