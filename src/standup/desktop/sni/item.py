# mypy: disable-error-code="name-defined,valid-type"
# (dbus-fast reads D-Bus signatures such as "s" or "a{sv}" from the annotations)
"""The org.kde.StatusNotifierItem interface: the icon, tooltip and status a panel shows.

Holds what the panel reads (pixmaps, tooltip text, status) and sends NewIcon / NewToolTip /
NewStatus when `show()` changes them. ItemIsMenu is true: standup has no window, so a panel opens
the menu on a left click; a panel that calls Activate anyway gets `on_activate` (the menu's default
entry). Called on the bus loop's thread only.
"""

import logging
from collections.abc import Callable

from dbus_fast import PropertyAccess
from dbus_fast.service import ServiceInterface, dbus_property, method, signal

from standup.desktop.sni import menu
from standup.desktop.sni.pixmap import Pixmap

log = logging.getLogger(__name__)

INTERFACE = "org.kde.StatusNotifierItem"
PATH = "/StatusNotifierItem"
ACTIVE, NEEDS_ATTENTION = "Active", "NeedsAttention"


class StatusNotifierItem(ServiceInterface):
    def __init__(self, app_id: str, title: str, on_activate: Callable[[], None]) -> None:
        super().__init__(INTERFACE)
        self._id = app_id
        self._title = title
        self._on_activate = on_activate
        self.pixmaps: list[Pixmap] = []
        self.tooltip = ""
        self.status = ACTIVE
        self._attention_told: list[Pixmap] | None = None  # the attention icon hosts last heard of

    def show(self, *, pixmaps: list[Pixmap] | None = None, tooltip: str | None = None, status: str | None = None) -> None:
        """Changes what is given (None: unchanged) and signals each change."""
        if pixmaps is not None and pixmaps != self.pixmaps:
            self.pixmaps = pixmaps
            self.NewIcon()
        if tooltip is not None and tooltip != self.tooltip:
            self.tooltip = tooltip
            self.NewToolTip()
        if status is not None and status != self.status:
            self.status = status
            self.NewStatus(status)
        # A host showing NeedsAttention draws the attention icon it last read (GNOME's AppIndicator
        # extension does): tell it when that is not the icon of now, or it keeps an old one.
        if self.status == NEEDS_ATTENTION and self._attention_told is not self.pixmaps:
            self._attention_told = self.pixmaps
            self.NewAttentionIcon()

    # ---- methods ------------------------------------------------------------------------
    @method()
    def Activate(self, x: "i", y: "i") -> None:  # noqa: F821,N802
        log.info("tray: activated (left click)")
        self._on_activate()

    @method()
    def SecondaryActivate(self, x: "i", y: "i") -> None:  # noqa: F821,N802
        pass  # a middle click: nothing, rather than a surprise

    @method()
    def ContextMenu(self, x: "i", y: "i") -> None:  # noqa: F821,N802
        log.info("tray: the panel asked the item to draw its own menu; it offers only the dbusmenu one")

    @method()
    def Scroll(self, delta: "i", orientation: "s") -> None:  # noqa: F821,N802
        pass

    # ---- properties ---------------------------------------------------------------------
    @dbus_property(access=PropertyAccess.READ)
    def Category(self) -> "s":  # noqa: F821,N802
        return "ApplicationStatus"

    @dbus_property(access=PropertyAccess.READ)
    def Id(self) -> "s":  # noqa: F821,N802
        return self._id

    @dbus_property(access=PropertyAccess.READ)
    def Title(self) -> "s":  # noqa: F821,N802
        return self._title

    @dbus_property(access=PropertyAccess.READ)
    def Status(self) -> "s":  # noqa: F821,N802
        return self.status

    @dbus_property(access=PropertyAccess.READ)
    def WindowId(self) -> "i":  # noqa: F821,N802
        return 0

    @dbus_property(access=PropertyAccess.READ)
    def IconName(self) -> "s":  # noqa: F821,N802
        return ""

    @dbus_property(access=PropertyAccess.READ)
    def IconPixmap(self) -> "a(iiay)":  # noqa: F821,N802
        return self.pixmaps

    @dbus_property(access=PropertyAccess.READ)
    def OverlayIconName(self) -> "s":  # noqa: F821,N802
        return ""

    @dbus_property(access=PropertyAccess.READ)
    def OverlayIconPixmap(self) -> "a(iiay)":  # noqa: F821,N802
        return []

    @dbus_property(access=PropertyAccess.READ)
    def AttentionIconName(self) -> "s":  # noqa: F821,N802
        return ""

    @dbus_property(access=PropertyAccess.READ)
    def AttentionIconPixmap(self) -> "a(iiay)":  # noqa: F821,N802
        return self.pixmaps  # the prompt's own (orange) icon is the attention icon

    @dbus_property(access=PropertyAccess.READ)
    def AttentionMovieName(self) -> "s":  # noqa: F821,N802
        return ""

    @dbus_property(access=PropertyAccess.READ)
    def ToolTip(self) -> "(sa(iiay)ss)":  # noqa: F821,N802
        return ["", [], self._title, self.tooltip]

    @dbus_property(access=PropertyAccess.READ)
    def ItemIsMenu(self) -> "b":  # noqa: F821,N802
        return True

    @dbus_property(access=PropertyAccess.READ)
    def Menu(self) -> "o":  # noqa: F821,N802
        return menu.PATH

    @dbus_property(access=PropertyAccess.READ)
    def IconThemePath(self) -> "s":  # noqa: F821,N802
        return ""

    # ---- signals ------------------------------------------------------------------------
    @signal()
    def NewIcon(self) -> None:  # noqa: N802
        pass

    @signal()
    def NewAttentionIcon(self) -> None:  # noqa: N802
        pass

    @signal()
    def NewToolTip(self) -> None:  # noqa: N802
        pass

    @signal()
    def NewStatus(self, status: str) -> "s":  # noqa: F821,N802
        return status
