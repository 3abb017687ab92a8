"""Desktop adapters: tray, notifications, idle and presence, the session that wires them."""
