"""The one place that reaches into desktop-notifier's private attributes (checked against 6.2).

Upstream behaviour that forces it: desktop-notifier's D-Bus backend drops a toast from its
`_platform_to_interface_notification_identifier` map as soon as a button is pressed
(`_on_action`), so `DesktopNotifier.clear(identifier)` then raises KeyError. Notification servers
that keep a toast after a button press (resident notifications, some GNOME and KDE versions) would
leave it on screen. So, right after sending, we note the server's own notification id, and when
`clear` fails we call the server's CloseNotification through the backend's D-Bus interface. Both
reads go through `getattr` with defaults: on another platform or version they answer None and the
toast is left to the server. `connection` reads the backend's dbus-fast MessageBus (`bus`, made on
the first call) so the rest of the desktop can share it instead of opening a second connection.
"""

from __future__ import annotations


def server_id(notifier: object, identifier: str | None) -> int | None:
    """The notification server's id for desktop-notifier's `identifier`, while it still knows it."""
    ids = getattr(getattr(notifier, "_backend", None), "_platform_to_interface_notification_identifier", None)
    if ids is None or identifier is None:
        return None
    try:
        found = ids.inverse[identifier]
    except KeyError:
        return None
    return found if isinstance(found, int) else None


async def close_by_server_id(notifier: object, platform_id: int | None) -> None:
    """CloseNotification straight to the server; nothing when it is gone already or not D-Bus."""
    interface = getattr(getattr(notifier, "_backend", None), "interface", None)
    if platform_id is None or interface is None:
        return
    from dbus_fast.errors import DBusError

    try:
        await interface.call_close_notification(platform_id)
    except DBusError:
        pass  # already closed


def connection(notifier: object) -> object:
    """desktop-notifier's dbus-fast connection (its D-Bus backend's `bus`), or None."""
    return getattr(getattr(notifier, "_backend", None), "bus", None)
