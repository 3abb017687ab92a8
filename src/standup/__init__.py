"""standup: a tray utility that reminds people who sit all day to get up and move."""

__version__ = "0.1.0"
