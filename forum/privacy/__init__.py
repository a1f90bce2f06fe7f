"""Privacy tools: erasure on request, the retention purge, and open data without persons."""
