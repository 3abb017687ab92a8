"""Bundled data shipped inside the wheel: routine catalogue, icons, desktop entry.

Read with `importlib.resources.files("standup.assets")`, never by path.
"""
