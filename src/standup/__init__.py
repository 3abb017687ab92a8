"""standup: a tray utility that reminds people who sit all day to get up and move."""

__version__ = "0.1.0"

# The reverse-DNS application id: the menu entry's and metainfo's file names, the icon name, the
# macOS LaunchAgent label.
APP_ID = "io.github.standup.Standup"
