"""The coordinator: the one owner of state, and the ports it depends on."""
