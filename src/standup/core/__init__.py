"""The pure core: model, settings, scheduling policy, catalogue, planner, summary. No I/O clock, no randomness, no adapter."""
